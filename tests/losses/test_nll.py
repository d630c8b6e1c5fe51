"""nll: -log_probs[y] per row, with torch NLLLoss's class weights and ignore_index."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from scipy.special import log_softmax

import lossref as lr

loss = lr.nll
mpmath.mp.dps = 60


def example(seed, n=6, c=4):
    rng = np.random.default_rng(seed)
    log_probs = log_softmax(rng.normal(scale=2.0, size=(n, c)), axis=-1)
    return rng.integers(0, c, size=n), log_probs


def test_value_is_minus_the_true_class_log_probability():
    log_probs = np.log([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]])
    np.testing.assert_allclose(loss([0, 1], log_probs, reduction="none"), [np.log(2), np.log(1.25)], rtol=1e-15)
    # torch's weighted mean: (w_0 log 2 + w_1 log 1.25) / (w_0 + w_1) with class weights (1, 3, 1)
    assert loss([0, 1], log_probs, class_weight=[1.0, 3.0, 1.0]) == pytest.approx(
        (np.log(2) + 3 * np.log(1.25)) / 4, rel=1e-15)


@pytest.mark.parametrize("seed", range(4))
def test_weighted_mean_matches_mpmath(seed):
    y, log_probs = example(seed)
    rng = np.random.default_rng(100 + seed)
    log_probs = log_probs * rng.uniform(0.5, 30.0)  # log-probabilities need not be normalised
    class_weight, sample_weight = rng.uniform(0.1, 3.0, size=4), rng.uniform(0.0, 2.0, size=6)
    ignore = int(y[0])
    num = den = mpmath.mpf(0)
    for i in range(len(y)):
        if y[i] == ignore:
            continue
        w = mpmath.mpf(class_weight[y[i]]) * mpmath.mpf(sample_weight[i])
        num += w * -mpmath.mpf(log_probs[i, y[i]])
        den += w
    value = loss(y, log_probs, class_weight=class_weight, ignore_index=ignore, sample_weight=sample_weight)
    assert value == pytest.approx(float(num / den), rel=1e-14)


@pytest.mark.parametrize("seed", range(3))
def test_nll_of_log_softmax_is_cross_entropy(seed):
    rng = np.random.default_rng(seed)
    logits, y = rng.normal(scale=3.0, size=(8, 5)), rng.integers(0, 5, size=8)
    w = rng.uniform(0.5, 2.0, size=5)
    for kwargs in ({}, {"class_weight": w}, {"ignore_index": 2}):
        np.testing.assert_allclose(loss(y, log_softmax(logits, axis=-1), **kwargs),
                                   lr.cross_entropy(y, logits, **kwargs), rtol=1e-13)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_gradients_match_finite_differences(reduction, weighted, assert_grads_match):
    y, log_probs = example(7)
    w = np.random.default_rng(7).uniform(0.2, 2.0, size=6) if weighted else None
    params = {"class_weight": [0.5, 1.0, 2.0, 4.0], "ignore_index": int(y[1])} if weighted else {}
    assert_grads_match(loss, {"y": y, "log_probs": log_probs}, params, reduction=reduction, sample_weight=w)


def test_gradient_is_minus_the_normalised_weight_at_the_true_class():
    y = np.array([2, 0, 2, 1])
    log_probs = np.log(np.full((4, 3), 1 / 3))
    class_weight = np.array([1.0, 2.0, 5.0])
    g = loss.grad(y, log_probs, class_weight=class_weight, ignore_index=1)
    expected = np.zeros((4, 3))
    expected[[0, 1, 2], [2, 0, 2]] = -class_weight[[2, 0, 2]] / 11.0  # 5 + 1 + 5: the ignored row is left out
    np.testing.assert_array_equal(g, expected)
    assert not np.any(loss.hess(y, log_probs))  # linear in log_probs


def test_ignore_index_follows_torch():
    y, log_probs = example(3)
    each = -log_probs[np.arange(6), y]
    y_pad = y.copy()
    y_pad[[1, 4]] = -100  # torch's default padding label
    keep = np.ones(6, bool)
    keep[[1, 4]] = False
    assert loss(y_pad, log_probs, ignore_index=-100) == pytest.approx(each[keep].mean(), rel=1e-15)
    np.testing.assert_array_equal(loss(y_pad, log_probs, ignore_index=-100, reduction="none")[~keep], 0)
    # a real class id can be ignored too; everything ignored gives 0 and a zero gradient (torch: NaN)
    assert loss(np.zeros(6, int), log_probs, ignore_index=0) == 0
    assert not np.any(loss.grad(np.zeros(6, int), log_probs, ignore_index=0))


def test_any_finite_reals_are_accepted_as_log_probs():
    # like torch, lossref does not check normalisation: a positive "log-probability" gives a negative loss
    assert loss([1], [[0.0, 3.0]]) == -3.0


def test_extremes_stay_finite_and_dtype_is_kept():
    log_probs = np.array([[-1e30, 0.0], [-1e-30, -1e300]])
    np.testing.assert_array_equal(loss([0, 0], log_probs, reduction="none"), [1e30, 1e-30])
    value, grad = loss.value_and_grad(np.array([0, 1]), np.array([[-1e30, 0.0], [0.0, -3e38]], np.float32))
    assert value.dtype == grad.dtype == np.float32
    assert value == np.float32(0.5e30 + 1.5e38)
    np.testing.assert_array_equal(grad, np.float32([[-0.5, 0], [0, -0.5]]))


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([0.0, 1.0], [[0.0, -1.0], [-1.0, 0.0]]), {}, TypeError, r"y has dtype float64; expected integer class labels"),
    (([0, 3], [[0.0, -1.0, -2.0]] * 2), {}, ValueError, r"y holds class 3 at index 1; expected labels in \[0, 3\)"),
    (([1, 3], [[0.0, -1.0, -2.0]] * 2), {}, ValueError, r"labels look 1-indexed: subtract 1"),
    (([0, 1, 0], [[0.0, -1.0]] * 2), {}, ValueError, r"y must hold integer labels of shape \(2,\) to match log_probs"),
    (([0], [0.0, -1.0]), {}, ValueError, r"log_probs must have shape \(n, C\), classes on the last axis"),
    (([0, 1], [[0.0, np.nan], [0.0, -1.0]]), {}, ValueError, r"log_probs contains NaN at index \(0, 1\)"),
    (([0, 1], [[0.0, -1.0]] * 2), {"class_weight": [1.0]}, ValueError, r"class_weight must have shape \(2,\)"),
    (([0, 1], [[0.0, -1.0]] * 2), {"class_weight": [1.0, -1.0]}, ValueError,
     r"class_weight must hold non-negative weights"),
    (([0, 1], [[0.0, -1.0]] * 2), {"ignore_index": 1.5}, TypeError, r"ignore_index must be an integer; got 1.5"),
    (([0, 1], [[0, -1], [-1, 0]]), {"reduction": "avg"}, ValueError, r"reduction must be one of"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)
