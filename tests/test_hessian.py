"""Second derivatives: ``hess`` against finite differences of lossref's own ``grad``, for every loss
that has one, every reduction and with sample weights; its shape, dtype, symmetry, reductions and
extreme inputs; the registry's ``second_derivative`` formulas; bad input.

The list of losses comes from the registry (``lr.losses()``); the inputs come from the shared
cases of ``conftest.py``, which keep every point away from the kinks, where the gradient has a
corner and finite differences of it mean nothing.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossref as lr

REDUCTIONS = ("mean", "sum", "none")
TESTS = Path(__file__).resolve().parent
# The losses that define a second derivative (every element-wise and per-row loss of the first catalogue;
# the structured losses, lr.StructuredLoss, give value and gradient only).
HESSIAN_LOSSES = [loss for loss in lr.losses() if loss._has_hess()]


def full_hessian(loss, hess, pred_shape):
    """The whole Hessian (pred.shape + pred.shape) from ``hess``'s diagonal or per-row blocks."""
    full = np.zeros(pred_shape + pred_shape)
    if not loss.per_row:
        for i in np.ndindex(pred_shape):
            full[i + i] = hess[i]
        return full
    for row in np.ndindex(pred_shape[:-1]):
        full[row + (slice(None),) + row + (slice(None),)] = hess[row]
    return full


# ----------------------------------------------------------------------------------- the registry
def _braces_balanced(tex: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("loss", HESSIAN_LOSSES + [lr.zero_one], ids=lambda loss: loss.name)
def test_registry_has_a_second_derivative_for_every_loss_with_hess(loss):
    tex = loss.info.second_derivative
    assert tex.strip(), f"{loss.name}: second_derivative is empty"
    assert _braces_balanced(tex), f"{loss.name}: unbalanced braces in second_derivative: {tex}"
    assert len(re.findall(r"\\left(?![A-Za-z])", tex)) == len(re.findall(r"\\right(?![A-Za-z])", tex))
    assert tex.count(r"\begin{") == tex.count(r"\end{")


def test_losses_zero_almost_everywhere_say_so_in_the_registry():
    for name in ("mae", "quantile", "hinge", "multiclass_hinge"):
        tex = lr.get(name).info.second_derivative
        assert "undefined" in tex and "lossref returns" in tex, name


def test_the_cases_cover_every_loss_with_a_hessian_and_the_registry_says_which_have_one(cases_by_id):
    # Each loss with a Hessian is checked against finite differences: by the shared cases of this file,
    # or by its own tests in tests/losses/.
    covered = {c.name for c in cases_by_id.values() if c.has_grad}
    own_tests = {loss.name: TESTS / "losses" / f"test_{loss.name}.py" for loss in HESSIAN_LOSSES}
    own = {name for name, path in own_tests.items() if path.is_file() and ".hess(" in path.read_text()}
    assert covered <= {loss.name for loss in HESSIAN_LOSSES}
    assert {loss.name for loss in HESSIAN_LOSSES} <= covered | own
    for loss in lr.losses():
        if loss.name != "zero_one":  # zero_one's entry explains why it has none
            assert bool(loss.info.second_derivative.strip()) == loss._has_hess(), loss.name
    for loss in lr.losses():
        if isinstance(loss, lr.StructuredLoss):
            with pytest.raises(NotImplementedError, match="no second derivative"):
                loss.hess()


# ----------------------------------------------------------------------------------- finite differences
@settings(max_examples=12)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data())
def test_hessian_matches_finite_differences_of_the_gradient(grad_case, reduction, weighted, data, five_point):
    ex = data.draw(grad_case.examples(weighted=weighted), label="example")
    loss, y, pred, kw = grad_case.loss, ex.y, ex.pred, ex.kwargs

    hess = loss.hess(y, pred, reduction=reduction, **kw)
    expected_shape = pred.shape + pred.shape[-1:] if loss.per_row else pred.shape
    assert hess.shape == expected_shape and hess.dtype == np.float64
    assert np.all(np.isfinite(hess))

    # "none" is the Hessian of the sum, like its gradient: differentiate the sum's gradient.
    total = "sum" if reduction == "none" else reduction
    numeric = five_point(lambda p: loss.grad(y, p, reduction=total, **kw), pred)
    analytic = full_hessian(loss, hess, pred.shape)
    scale = 1.0 + float(np.max(np.abs(numeric)))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7 * scale,
                               err_msg=f"{grad_case.id} reduction={reduction}")


@pytest.mark.cases(where=lambda c: c.per_row)
def test_row_blocks_are_symmetric(grad_case):
    for seed in range(5):
        ex = grad_case.sample(seed, weighted=seed % 2 == 1)
        hess = grad_case.loss.hess(ex.y, ex.pred, **ex.kwargs)
        np.testing.assert_array_equal(hess, np.swapaxes(hess, -1, -2))


@pytest.mark.cases(where=lambda c: c.name in ("cross_entropy", "kl_divergence"))
def test_softmax_blocks_annihilate_the_all_ones_vector(grad_case):
    """Adding a constant to a row's logits changes nothing, so each block times (1, ..., 1) is 0."""
    ex = grad_case.sample(3)
    hess = grad_case.loss.hess(ex.y, ex.pred, reduction="sum", **ex.params)
    np.testing.assert_allclose(hess.sum(axis=-1), 0, atol=1e-15)


def test_cross_entropy_block_is_diag_p_minus_p_p_transposed():
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 0.1, 3.0]])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = np.stack([np.diag(row) - np.outer(row, row) for row in p])
    np.testing.assert_allclose(lr.cross_entropy.hess([0, 2], logits, reduction="sum"), expected, rtol=1e-14)
    # label smoothing leaves integer-label blocks unchanged (the target mass stays 1) ...
    np.testing.assert_allclose(lr.cross_entropy.hess([0, 2], logits, reduction="sum", label_smoothing=0.3),
                               expected, rtol=1e-14)
    # ... and so does it for probability rows, whose mass is 1 too: the Hessian does not see the target
    soft = np.array([[0.25, 0.75, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(lr.cross_entropy.hess(soft, logits, reduction="sum", label_smoothing=0.2),
                               expected, rtol=1e-14)


def test_closed_forms_at_chosen_points():
    r = np.array([-3.0, -0.5, 0.0, 0.7, 2.0])
    zero = np.zeros_like(r)
    np.testing.assert_array_equal(lr.mse.hess(zero, r, reduction="sum"), 2.0)
    np.testing.assert_array_equal(lr.mse.hess(zero, r, reduction="sum", half=True), 1.0)
    np.testing.assert_allclose(lr.log_cosh.hess(zero, r, reduction="sum"), 1 / np.cosh(r) ** 2, rtol=1e-14)
    np.testing.assert_array_equal(lr.huber.hess(zero, r, reduction="sum", delta=1.0), [0, 1, 1, 1, 0])
    np.testing.assert_array_equal(lr.huber.hess([0.0], [1.0], reduction="sum", delta=1.0), [1.0])  # the kink
    np.testing.assert_array_equal(lr.smooth_l1.hess(zero, r, reduction="sum", beta=2.0), [0, 0.5, 0.5, 0.5, 0])
    np.testing.assert_array_equal(lr.smooth_l1.hess(zero, r, reduction="sum", beta=0.0), 0)
    for name in ("mae", "quantile"):
        np.testing.assert_array_equal(lr.get(name).hess(zero, r, reduction="sum"), 0)
    s = np.array([-2.0, 0.0, 1.0, 3.0])
    y = np.ones_like(s)
    np.testing.assert_array_equal(lr.hinge.hess(y, s, reduction="sum"), 0)
    np.testing.assert_array_equal(lr.squared_hinge.hess(y, s, reduction="sum"), [2, 2, 0, 0])  # 0 at y s = 1
    sig = 1 / (1 + np.exp(-s))
    np.testing.assert_allclose(lr.logistic.hess(-y, s, reduction="sum"), sig * (1 - sig), rtol=1e-14)
    np.testing.assert_allclose(lr.bce_with_logits.hess([1.0, 0.0], [0.0, 0.0], reduction="sum"), [0.25, 0.25])
    np.testing.assert_allclose(lr.bce_with_logits.hess([1.0, 0.0], [0.0, 0.0], reduction="sum", pos_weight=3.0),
                               [0.75, 0.25])
    np.testing.assert_allclose(lr.poisson_nll.hess([2.0], [np.log(3.0)], reduction="sum"), [3.0])
    np.testing.assert_allclose(lr.poisson_nll.hess([2.0], [4.0], reduction="sum", log_input=False, eps=0.0 + 1e-8),
                               [2.0 / (4.0 + 1e-8) ** 2])
    np.testing.assert_allclose(lr.gaussian_nll.hess([0.0, 0.0], [1.0, 5.0], reduction="sum", var=[2.0, 0.0]),
                               [0.5, 1e6])
    np.testing.assert_allclose(lr.bce.hess([1.0, 0.0, 0.3], [0.5, 0.5, 0.2], reduction="sum"),
                               [4.0, 4.0, 0.3 / 0.04 + 0.7 / 0.64])
    np.testing.assert_array_equal(lr.multiclass_hinge.hess([0], [[0.0, 2.0, 1.0]]), np.zeros((1, 3, 3)))


def test_focal_with_gamma_zero_is_bce_with_logits():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 4, size=50)
    y = rng.uniform(0, 1, size=50)
    np.testing.assert_allclose(lr.focal.hess(y, z, gamma=0.0), lr.bce_with_logits.hess(y, z), rtol=1e-14)


def test_focal_tail_for_a_confident_correct_prediction():
    """y = 1, z large: q = 1 - p ~ e^{-z} and CE ~ e^{-z}, so L ~ e^{-(1 + gamma) z} and
    L'' ~ (1 + gamma)^2 e^{-(1 + gamma) z}, also for gamma < 1 where q^(gamma - 2) is unbounded."""
    for gamma in (0.25, 0.5, 2.0):
        for z in (30.0, 200.0):
            h = float(lr.focal.hess([1.0], [z], gamma=gamma, reduction="sum")[0])
            expected = (1 + gamma) ** 2 * np.exp(-(1 + gamma) * z)
            np.testing.assert_allclose(h, expected, rtol=1e-6)


def test_gaussian_nll_curvature_in_the_variance_is_as_documented():
    """hess is in the mean only; the docstring and the page give the variance's derivatives: checked here."""
    y, mu, v, h = 0.3, 1.1, 0.7, 1e-4
    r = mu - y

    def f(m, var):
        return float(lr.gaussian_nll([y], [m], var=var, reduction="sum"))

    d_mm = float(lr.gaussian_nll.hess([y], [mu], var=v, reduction="sum")[0])
    d_vv = (f(mu, v + h) - 2 * f(mu, v) + f(mu, v - h)) / h**2
    d_mv = (f(mu + h, v + h) - f(mu + h, v - h) - f(mu - h, v + h) + f(mu - h, v - h)) / (4 * h**2)
    np.testing.assert_allclose(d_mm, 1 / v, rtol=1e-14)
    np.testing.assert_allclose(d_vv, -1 / (2 * v**2) + r**2 / v**3, rtol=1e-5)
    np.testing.assert_allclose(d_mv, -r / v**2, rtol=1e-5)
    np.testing.assert_allclose(d_mm * d_vv - d_mv**2, -1 / (2 * v**3), rtol=1e-4)


# ----------------------------------------------------------------------------------- reductions and weights
@pytest.mark.cases(where=lambda case: case.has_grad and case.loss._has_hess())
def test_reductions_and_weights_scale_like_the_gradient(case):
    loss = case.loss
    ex = case.sample(7, weighted=True)
    h_sum = loss.hess(ex.y, ex.pred, reduction="sum", **ex.kwargs)
    np.testing.assert_array_equal(loss.hess(ex.y, ex.pred, reduction="none", **ex.kwargs), h_sum)
    total = float(np.sum(np.broadcast_to(loss._prepare(ex.y, ex.pred, "mean", ex.sample_weight, ex.params)[7],
                                         case.loss_shape(ex.pred.shape))))
    np.testing.assert_allclose(loss.hess(ex.y, ex.pred, **ex.kwargs), h_sum / total, rtol=1e-13)
    zero = np.zeros_like(ex.sample_weight)
    np.testing.assert_array_equal(loss.hess(ex.y, ex.pred, **{**ex.kwargs, "sample_weight": zero}), 0)


def test_scalar_input_gives_a_scalar():
    h = lr.log_cosh.hess(0.0, 0.5)
    assert h.shape == () and np.isclose(h, 1 / np.cosh(0.5) ** 2)


# ----------------------------------------------------------------------------------- extreme inputs, dtype
def _extreme_pred(case, dtype):
    if case.domain == "prob":
        return np.array([0.0, 1.0, 1e-30, 1 - 1e-7], dtype=dtype)
    if case.domain == "positive":
        return np.array([0.0, 1e4, 1e-30, 1.0], dtype=dtype)
    if case.name == "poisson_nll":  # a log-rate must keep exp(y_pred) finite: 88.7 is float32's limit
        return np.array([-1e4, 80.0, -80.0, 0.0], dtype=dtype)
    return np.array([-1e4, 1e4, -80.0, 80.0], dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_inputs_give_finite_values_in_the_input_dtype(grad_case, dtype):
    base = grad_case.sample(1, shape=(4, 3) if grad_case.per_row else (4,))
    if grad_case.per_row:
        pred = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0], [80.0, -80.0, 0.0], [0.0, 0.0, 0.0]], dtype=dtype)
    else:
        pred = _extreme_pred(grad_case, dtype)
    ex = base.astype(dtype)
    params = {k: (np.broadcast_to(v, pred.shape[-1:]).astype(dtype) if isinstance(v, np.ndarray)
                  and k in ("var", "pos_weight") else v) for k, v in ex.params.items()}
    for reduction in REDUCTIONS:
        hess = grad_case.loss.hess(ex.y, pred, reduction=reduction, **params)
        assert hess.dtype == dtype
        assert np.all(np.isfinite(hess)), f"{grad_case.id}: {hess}"


@pytest.mark.parametrize("loss", [lr.bce_with_logits, lr.logistic, lr.focal, lr.log_cosh], ids=lambda loss: loss.name)
def test_float32_agrees_with_float64_out_to_large_logits(loss):
    z = np.linspace(-80, 80, 161)
    y = np.ones_like(z)
    kwargs = {"gamma": 0.5} if loss is lr.focal else {}
    h64 = loss.hess(y, z, reduction="sum", **kwargs)
    h32 = loss.hess(y.astype(np.float32), z.astype(np.float32), reduction="sum", **kwargs)
    tiny = np.finfo(np.float32).tiny
    np.testing.assert_allclose(h32, h64, rtol=2e-5, atol=100 * tiny)


def test_log_cosh_keeps_the_tail_where_one_minus_tanh_squared_cancels():
    r = np.array([20.0, 100.0, 300.0])
    assert np.all(1 - np.tanh(r) ** 2 == 0)  # the naive form
    np.testing.assert_allclose(lr.log_cosh.hess(np.zeros(3), r, reduction="sum"), 4 * np.exp(-2 * r), rtol=1e-12)


# ----------------------------------------------------------------------------------- bad input
def _bad_input_cases():
    path = Path(__file__).with_name("test_bad_input.py")
    spec = importlib.util.spec_from_file_location("_bad_input_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [p for p in module.BAD_INPUT if isinstance(p.values[0], lr.Loss) and p.values[0]._has_hess()]


@pytest.mark.parametrize("fn, args, kwargs, exc, match", _bad_input_cases())
def test_bad_input_gets_the_same_error_as_the_value(fn, args, kwargs, exc, match):
    with pytest.raises(exc, match=match) as from_value:
        fn(*args, **kwargs)
    with pytest.raises(exc, match=match) as from_hess:
        fn.hess(*args, **kwargs)
    assert str(from_hess.value) == str(from_value.value)


@pytest.mark.parametrize("loss", [lr.mse, lr.bce, lr.bce_with_logits, lr.cross_entropy, lr.hinge, lr.gaussian_nll],
                         ids=lambda loss: loss.name)
def test_nan_in_the_prediction_is_reported_as_by_the_value(loss):
    y = np.array([0, 1]) if loss.per_row else np.array([1.0, -1.0, 1.0])
    pred = np.array([[2.0, 0.0, -1.0], [0.5, np.nan, 0.0]]) if loss.per_row else np.array([0.5, np.nan, 0.5])
    if loss in (lr.bce, lr.bce_with_logits):
        y = np.array([1.0, 0.0, 1.0])
    kwargs = {"var": 1.0} if loss is lr.gaussian_nll else {}
    with pytest.raises(ValueError, match=rf"{loss.pred_name} contains NaN at index") as from_value:
        loss(y, pred, **kwargs)
    with pytest.raises(ValueError) as from_hess:
        loss.hess(y, pred, **kwargs)
    assert str(from_hess.value) == str(from_value.value)


def test_nan_in_the_target_is_reported_as_by_the_value():
    with pytest.raises(ValueError) as from_value:
        lr.mse([1.0, np.nan], [0.0, 0.0])
    with pytest.raises(ValueError) as from_hess:
        lr.mse.hess([1.0, np.nan], [0.0, 0.0])
    assert str(from_hess.value) == str(from_value.value)


def test_zero_one_has_no_second_derivative():
    with pytest.raises(TypeError, match="zero_one has no second derivative.*surrogate"):
        lr.zero_one.hess([1.0, -1.0], [0.5, 0.5])


# ----------------------------------------------------------------------------------- user-defined losses
class _Cauchy(lr.Loss):
    name = "cauchy"

    def pointwise(self, y, y_pred, c=1.0):
        return np.log1p(((y_pred - y) / c) ** 2)

    def pointwise_grad(self, y, y_pred, c=1.0):
        r = y_pred - y
        return 2 * r / (c**2 + r**2)

    def pointwise_hess(self, y, y_pred, c=1.0):
        r = y_pred - y
        return 2 * (c**2 - r**2) / (c**2 + r**2) ** 2


class _NoHess(_Cauchy):
    name = "cauchy_without_hess"
    pointwise_hess = lr.Loss.pointwise_hess


def test_a_user_loss_with_pointwise_hess_gets_hess(five_point):
    loss = _Cauchy()
    y, pred = np.array([0.0, 1.0, -2.0]), np.array([0.5, 3.0, -2.2])
    sw = np.array([1.0, 0.5, 2.0])
    for reduction in REDUCTIONS:
        total = "sum" if reduction == "none" else reduction
        numeric = five_point(lambda p: loss.grad(y, p, reduction=total, c=2.0, sample_weight=sw), pred)
        hess = loss.hess(y, pred, reduction=reduction, c=2.0, sample_weight=sw)
        np.testing.assert_allclose(np.diag(numeric), hess, rtol=1e-7, atol=1e-12)


def test_a_user_loss_without_pointwise_hess_says_so():
    with pytest.raises(NotImplementedError, match="cauchy_without_hess has no second derivative.*pointwise_hess"):
        _NoHess().hess([0.0], [1.0])


def test_a_user_hess_of_the_wrong_shape_is_reported():
    class Bad(_Cauchy):
        def pointwise_hess(self, y, y_pred, c=1.0):
            return np.zeros(3)

    with pytest.raises(ValueError, match=r"pointwise_hess returned shape \(3,\); expected \(2,\)"):
        Bad().hess([0.0, 1.0], [1.0, 1.0])
