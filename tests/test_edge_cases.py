"""Edge cases where a loss could quietly return a wrong number instead of the right one or an error."""

from __future__ import annotations

import numpy as np
import pytest

import lossref as lr
from lossref import _parallel


def test_combine_refuses_the_gradient_of_a_metric():
    total = lr.combine({"err": lr.zero_one, "fit": lr.mse})
    ys = {"err": [1.0, -1.0, 1.0], "fit": [0.0, 1.0]}
    preds = {"err": np.array([0.5, 0.2, -3.0]), "fit": np.array([1.0, 1.0])}
    assert total(ys, preds) == pytest.approx(2 / 3 + 0.5)
    with pytest.raises(TypeError, match="zero_one has no useful gradient"):
        total.grad(ys, preds)


def test_combine_rejects_sample_weight_for_an_unknown_task():
    total = lr.combine({"a": lr.mse, "b": lr.mae})
    ys, preds = {"a": [1.0], "b": [1.0]}, {"a": [0.0], "b": [0.0]}
    assert total(ys, preds, sample_weight={"a": [2.0]}) == 2.0  # a task left out is unweighted
    with pytest.raises(ValueError, match=r"sample_weight names unknown task\(s\) \['c'\]"):
        total(ys, preds, sample_weight={"a": [2.0], "c": [1.0]})


@pytest.mark.parametrize(
    "loss, y, pred, kwargs",
    [
        (lr.multiclass_hinge, [0], [[2.0, np.nan, 0.0]], {"variant": "weston_watkins"}),
        (lr.multiclass_hinge, [0], [[np.inf, 0.0]], {}),
        (lr.hinge, [1.0], [np.inf], {}),
        (lr.squared_hinge, [1.0], [np.inf], {}),
        (lr.logistic, [1.0], [np.inf], {}),
        (lr.cross_entropy, [0], [[0.0, -np.inf]], {}),
        (lr.kl_divergence, [[1.0, 0.0]], [[0.0, -np.inf]], {}),
        (lr.zero_one, [1.0], [np.nan], {}),
    ],
    ids=["ww-nan", "cs-inf", "hinge-inf", "squared-hinge-inf", "logistic-inf", "ce-minus-inf", "kl-minus-inf", "zero-one-nan"],
)
def test_non_finite_predictions_are_rejected_even_where_the_loss_would_hide_them(loss, y, pred, kwargs):
    with pytest.raises(ValueError, match=rf"{loss.pred_name} contains (NaN|an infinity) at index"):
        loss(y, pred, **kwargs)


@pytest.mark.parametrize("row_sum", [0.0, 0.9, 3.0])
def test_probability_rows_must_sum_to_one_even_with_many_classes(row_sum):
    n_classes = 50_000
    logits = np.zeros((2, n_classes), np.float32)
    y = np.zeros((2, n_classes), np.float32)
    y[:, 0] = 1.0
    y[1, :3] = row_sum / 3
    for loss in (lr.cross_entropy, lr.kl_divergence):
        with pytest.raises(ValueError, match=r"y must hold probability rows that sum to 1 .* the row at index 1"):
            loss(y, logits)


def test_normalised_float32_rows_with_many_classes_are_accepted():
    rng = np.random.default_rng(3)
    y = rng.uniform(size=(2, 50_000)).astype(np.float32)
    y /= y.sum(axis=1, keepdims=True)
    assert np.isfinite(lr.cross_entropy(y, np.zeros_like(y)))


def test_float32_mse_sums_accurately():
    pred = np.full(1 << 16, 1.1, np.float32)
    exact = float(np.float64(pred[0]) ** 2)
    assert float(lr.mse(np.zeros_like(pred), pred)) == pytest.approx(exact, rel=2e-7)


@pytest.mark.parametrize("dtype, tiny", [(np.float32, 1e-39), (np.float64, 1e-310)])
def test_tiny_weights_give_the_weighted_mean(dtype, tiny):
    y, pred = np.zeros(2, dtype), np.array([1.0, 2.0], dtype)
    value, grad = lr.mse.value_and_grad(y, pred, sample_weight=[tiny, tiny])
    plain_value, plain_grad = lr.mse.value_and_grad(y, pred)
    assert value == pytest.approx(plain_value, rel=1e-5)
    np.testing.assert_allclose(grad, plain_grad, rtol=1e-5)


def test_poisson_overflow_names_the_position_in_the_whole_array():
    log_rate = np.zeros((70_000, 2))
    log_rate[40_000, 1] = 1000.0
    with pytest.raises(ValueError, match=r"got 1000 at index \(40000, 1\)"):
        lr.poisson_nll(np.ones_like(log_rate), log_rate)


def test_the_thread_pool_is_reused(monkeypatch):
    monkeypatch.setenv("LOSSREF_NUM_THREADS", "2")
    lr.mse(np.zeros((4, 1 << 19)), np.ones((4, 1 << 19)))
    pool = _parallel._pool
    for rows in (3, 4, 3):
        lr.mse(np.zeros((rows, 1 << 19)), np.ones((rows, 1 << 19)))
    assert _parallel._pool is pool


def test_a_bad_thread_setting_does_not_break_small_inputs(monkeypatch):
    monkeypatch.setenv("LOSSREF_NUM_THREADS", "many")
    assert lr.mse([1.0], [2.0]) == 1.0


def test_bound_parameters_show_in_the_metadata():
    wide = lr.huber.bind(delta=2.0)
    assert {p.name: p.default for p in wide.info.params} == {"delta": 2.0}
    assert {p.name: p.default for p in lr.huber.info.params} == {"delta": 1.0}
    assert wide([0.0], [3.0]) == lr.huber([0.0], [3.0], delta=2.0)


def test_scalar_input_takes_a_scalar_weight():
    assert lr.mse(1.0, 2.0, sample_weight=2.0, reduction="sum") == 2.0


def test_boolean_predictions_are_rejected():
    with pytest.raises(TypeError, match="probs holds booleans; expected float32 or float64"):
        lr.bce([1.0, 0.0], [True, False])


def test_large_finite_float32_losses_do_not_overflow_their_sum():
    # each loss is about 5.5e34; their float32 sum over a block would exceed 3.4e38
    y = np.full(200_000, 1e4, np.float32)
    log_rate = np.full(200_000, 80.0, np.float32)
    value = lr.poisson_nll(y, log_rate)
    assert value.dtype == np.float32 and value == pytest.approx(np.exp(80.0) - 1e4 * 80.0, rel=1e-6)


def test_a_float32_sum_that_overflows_raises_instead_of_returning_inf():
    y = np.zeros(2, np.float32)
    pred = np.full(2, 1.5e19, np.float32)  # each loss 2.25e38 fits float32; their sum does not
    assert np.isfinite(lr.mse(y, pred))  # the mean fits
    with pytest.raises(ValueError, match=r"mse overflows float32: the sum of the losses, 4\.5e\+38"):
        lr.mse(y, pred, reduction="sum")


def test_an_overflowing_float32_loss_raises_the_value_error_not_a_warning():
    y = np.zeros(3, np.float32)
    pred = np.array([0.0, 2e19, 0.0], np.float32)  # the square overflows float32
    with pytest.raises(ValueError, match="mse overflows float32 at example 1"):
        lr.mse(y, pred)
