"""Numerics: finite inputs never give inf or NaN, dtype in is dtype out, and the stable forms
are accurate where the naive formulas fail (closed forms computed here, not by lossref)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossref as lr

REDUCTIONS = ("mean", "sum", "none")
DTYPES = (np.float32, np.float64)
EXTREMES = (1e4, -1e4, 1000.0, -1000.0, 100.0, -100.0, 30.0, -30.0, 1e-8, -1e-8, 0.0)
NON_NEGATIVE = (0.0, 1e-8, 30.0, 100.0, 1000.0, 1e4)
PROBS = (0.0, 1.0, 1e-30, 1e-8, 0.5, 1 - 1e-8)
BINARY_TARGETS = (0.0, 1.0, 0.3)
COUNTS = (0.0, 1.0, 5.0, 1000.0)
ELEMENT_SHAPES = st.one_of(st.tuples(st.integers(1, 12)), st.tuples(st.integers(1, 4), st.integers(1, 4)))
ROW_SHAPES = st.tuples(st.integers(1, 5), st.integers(2, 5))


def _prob_rows(shape):
    raw = hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 0.0, 1.0, 3.0]))

    def normalise(a):
        a = a.copy()
        a[..., 0] = np.where(a.sum(axis=-1) == 0, 1.0, a[..., 0])
        return a / a.sum(axis=-1, keepdims=True)

    return raw.map(normalise)


def _labels(shape):
    return hnp.arrays(np.int64, shape[:-1], elements=st.integers(0, shape[-1] - 1))


def _values(values):
    return lambda shape: hnp.arrays(np.float64, shape, elements=st.sampled_from(values))


@dataclass(frozen=True)
class Spec:
    """A loss and parameters with the inputs to sweep: predictions and targets from fixed sets."""

    id: str
    loss: lr.Loss
    preds: tuple = EXTREMES
    targets: Callable = field(default=_values(EXTREMES))
    params: dict = field(default_factory=dict)
    per_row: bool = False
    class_weighted: bool = False  # add one class weight per class of the drawn shape

    def __repr__(self):
        return self.id


PM1 = _values((-1.0, 1.0))
SPECS = [
    Spec("mse", lr.mse),
    Spec("mse-half", lr.mse, params={"half": True}),
    Spec("mae", lr.mae),
    Spec("huber", lr.huber),
    Spec("huber-delta", lr.huber, params={"delta": 250.0}),
    Spec("smooth_l1", lr.smooth_l1),
    Spec("smooth_l1-beta0", lr.smooth_l1, params={"beta": 0.0}),
    Spec("log_cosh", lr.log_cosh),
    Spec("quantile", lr.quantile, params={"tau": 0.9}),
    Spec("poisson_nll-log", lr.poisson_nll, preds=tuple(v for v in EXTREMES if v <= 30), targets=_values(COUNTS)),
    Spec("poisson_nll-log-full", lr.poisson_nll, preds=tuple(v for v in EXTREMES if v <= 30), targets=_values(COUNTS),
         params={"full": True}),
    Spec("poisson_nll-rate", lr.poisson_nll, preds=NON_NEGATIVE, targets=_values(COUNTS), params={"log_input": False}),
    Spec("gaussian_nll-var_tiny", lr.gaussian_nll, params={"var": 1e-8}),
    Spec("gaussian_nll-var_large", lr.gaussian_nll, params={"var": 1e4, "full": True}),
    Spec("bce", lr.bce, preds=PROBS, targets=_values(BINARY_TARGETS)),
    Spec("bce-class_weight", lr.bce, preds=PROBS, targets=_values(BINARY_TARGETS), params={"class_weight": [0.3, 3.0]}),
    Spec("bce_with_logits", lr.bce_with_logits, targets=_values(BINARY_TARGETS)),
    Spec("bce_with_logits-pos_weight", lr.bce_with_logits, targets=_values(BINARY_TARGETS), params={"pos_weight": 3.0}),
    Spec("focal", lr.focal, targets=_values(BINARY_TARGETS)),
    Spec("focal-gamma0.5", lr.focal, targets=_values(BINARY_TARGETS), params={"gamma": 0.5, "alpha": 0.25}),
    Spec("focal-gamma0", lr.focal, targets=_values(BINARY_TARGETS), params={"gamma": 0.0}),
    Spec("cross_entropy-labels", lr.cross_entropy, targets=_labels, per_row=True),
    Spec("cross_entropy-labels-smoothing", lr.cross_entropy, targets=_labels, per_row=True,
         params={"label_smoothing": 0.1}, class_weighted=True),
    Spec("cross_entropy-probs", lr.cross_entropy, targets=_prob_rows, per_row=True),
    Spec("cross_entropy-probs-smoothing", lr.cross_entropy, targets=_prob_rows, per_row=True,
         params={"label_smoothing": 0.2}),
    Spec("kl_divergence", lr.kl_divergence, targets=_prob_rows, per_row=True),
    Spec("hinge", lr.hinge, targets=PM1),
    Spec("squared_hinge", lr.squared_hinge, targets=PM1),
    Spec("logistic", lr.logistic, targets=PM1),
    Spec("multiclass_hinge", lr.multiclass_hinge, targets=_labels, per_row=True),
    Spec("multiclass_hinge-ww", lr.multiclass_hinge, targets=_labels, per_row=True,
         params={"variant": "weston_watkins", "margin": 2.0}),
    Spec("zero_one-binary", lr.zero_one, targets=PM1),
    Spec("zero_one-multiclass", lr.zero_one, targets=_labels, per_row=True),
]


def _params_for(spec, shape):
    params = dict(spec.params)
    if spec.class_weighted:
        params["class_weight"] = np.linspace(0.5, 2.0, shape[-1])
    return params


def assert_finite_everywhere(spec, y, pred, params, sample_weight=None):
    loss = spec.loss
    for reduction in REDUCTIONS:
        kw = dict(reduction=reduction, sample_weight=sample_weight, **params)
        value = loss(y, pred, **kw)
        assert np.all(np.isfinite(value)), (reduction, value)
        assert np.asarray(value).dtype == pred.dtype
        if loss.name != "zero_one":
            grad = loss.grad(y, pred, **kw)
            assert np.all(np.isfinite(grad)), (reduction, grad)
            assert grad.dtype == pred.dtype


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
@given(data=st.data())
def test_extreme_mixtures_give_finite_values_and_gradients(spec, dtype, data):
    shape = data.draw(ROW_SHAPES if spec.per_row else ELEMENT_SHAPES, label="shape")
    pred = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from(spec.preds)), label="pred").astype(dtype)
    y = data.draw(spec.targets(shape), label="y")
    weighted = data.draw(st.booleans(), label="weighted")
    sw = np.linspace(0.0, 2.0, shape[0]) if weighted else None
    assert_finite_everywhere(spec, y, pred, _params_for(spec, shape), sw)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("spec", [s for s in SPECS if not s.per_row], ids=lambda s: s.id)
def test_every_pair_of_extreme_target_and_prediction(spec, dtype):
    """The full grid: every target value against every prediction value, one element each."""
    if spec.targets is PM1:
        ys = (-1.0, 1.0)
    elif spec.loss.name in ("bce", "bce_with_logits", "focal"):
        ys = BINARY_TARGETS
    elif spec.loss.name == "poisson_nll":
        ys = COUNTS
    else:
        ys = EXTREMES
    y, pred = np.meshgrid(np.array(ys), np.array(spec.preds), indexing="ij")
    assert_finite_everywhere(spec, y.ravel(), pred.ravel().astype(dtype), _params_for(spec, y.shape))


# ---------------------------------------------------------------------------------- dtype in, dtype out
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_in_is_dtype_out(case, dtype):
    ex = case.sample(3, weighted=True).astype(dtype)
    loss = case.loss
    for reduction in REDUCTIONS:
        for kw in (ex.params, ex.kwargs):
            value = loss(ex.y, ex.pred, reduction=reduction, **kw)
            if reduction == "none":
                assert isinstance(value, np.ndarray) and value.dtype == dtype
            else:
                assert isinstance(value, dtype), type(value)  # the scalar too: np.float32 for float32 input
            if case.has_grad:
                value2, grad = loss.value_and_grad(ex.y, ex.pred, reduction=reduction, **kw)
                assert np.asarray(value2).dtype == dtype
                assert grad.dtype == dtype and grad.shape == ex.pred.shape
                assert loss.grad(ex.y, ex.pred, reduction=reduction, **kw).dtype == dtype


@pytest.mark.parametrize("loss", [lr.mse, lr.bce_with_logits, lr.hinge], ids=lambda l: l.name)
def test_float32_predictions_with_float64_targets_stay_float32(loss):
    y = np.array([1.0, -1.0, 1.0]) if loss is lr.hinge else np.array([1.0, 0.0, 1.0])
    pred = np.array([0.5, 0.25, -2.0], dtype=np.float32)
    assert isinstance(loss(y, pred), np.float32)
    assert loss.grad(y, pred).dtype == np.float32
    w = np.array([1.0, 2.0, 3.0])  # float64 weights do not promote either
    assert isinstance(loss(y, pred, sample_weight=w), np.float32)
    assert loss.grad(y, pred, sample_weight=w).dtype == np.float32


def test_cross_entropy_float32_logits_with_integer_labels():
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    assert isinstance(lr.cross_entropy([0, 2], logits), np.float32)
    assert lr.cross_entropy.grad([0, 2], logits).dtype == np.float32


def test_float32_agrees_with_float64(case):
    """Same inputs (representable in float32): the float32 result is the float64 one, rounded."""
    ex32 = case.sample(11, weighted=True).astype(np.float32)
    ex64 = ex32.astype(np.float64)
    loss = case.loss
    for reduction in REDUCTIONS:
        v32 = np.asarray(loss(ex32.y, ex32.pred, reduction=reduction, **ex32.kwargs), dtype=np.float64)
        v64 = np.asarray(loss(ex64.y, ex64.pred, reduction=reduction, **ex64.kwargs))
        terms = np.abs(loss(ex64.y, ex64.pred, reduction="none", **ex64.kwargs)).sum()
        np.testing.assert_allclose(v32, v64, rtol=2e-5, atol=2e-6 * (1 + terms), err_msg=reduction)
        if case.has_grad:
            g32 = loss.grad(ex32.y, ex32.pred, reduction=reduction, **ex32.kwargs).astype(np.float64)
            g64 = loss.grad(ex64.y, ex64.pred, reduction=reduction, **ex64.kwargs)
            np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-5 * (1 + np.abs(g64).max()), err_msg=reduction)


# ---------------------------------------------------------------------------------- accuracy at the extremes
@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-6)])
def test_bce_with_logits_gradient_of_a_confident_correct_prediction(dtype, rtol):
    """y = 1, z = 40: dL/dz = sigma(z) - 1 = -sigma(-40) = -4.25e-18, not 1 - 1 = 0."""
    expected = -math.exp(-40) / (1 + math.exp(-40))
    g = lr.bce_with_logits.grad(np.array([1.0]), np.array([40.0], dtype=dtype), reduction="sum")
    assert g.dtype == dtype
    assert g[0] != 0
    assert float(g[0]) == pytest.approx(expected, rel=rtol)
    g = lr.bce_with_logits.grad(np.array([0.0]), np.array([-40.0], dtype=dtype), reduction="sum")
    assert float(g[0]) == pytest.approx(-expected, rel=rtol)
    # the loss itself is log(1 + e^-40) ~ e^-40, not 0
    value = lr.bce_with_logits(np.array([1.0]), np.array([40.0], dtype=dtype))
    assert float(value) == pytest.approx(math.log1p(math.exp(-40)), rel=rtol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_logistic_at_a_margin_of_minus_1000(dtype):
    """log(1 + e^1000) overflows naively; it is 1000 (+ e^-1000)."""
    value = lr.logistic(np.array([1.0, -1.0]), np.array([-1000.0, 1000.0], dtype=dtype), reduction="none")
    np.testing.assert_array_equal(value, np.array([1000.0, 1000.0], dtype=dtype))
    grad = lr.logistic.grad(np.array([1.0, -1.0]), np.array([-1000.0, 1000.0], dtype=dtype), reduction="sum")
    np.testing.assert_array_equal(grad, np.array([-1.0, 1.0], dtype=dtype))  # -y sigma(-y s) = -y


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_of_a_confident_wrong_prediction(dtype):
    """-log softmax([1000, 0])_1 = 1000 exactly, where softmax's exp(1000) would overflow."""
    logits = np.array([[1000.0, 0.0]], dtype=dtype)
    assert float(lr.cross_entropy([1], logits)) == 1000.0
    np.testing.assert_array_equal(lr.cross_entropy.grad([1], logits), np.array([[1.0, -1.0]], dtype=dtype))
    assert float(lr.cross_entropy([0], logits)) == 0.0  # the confident right answer costs e^-1000 ~ 0


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-15), (np.float32, 1e-7)])
def test_log_cosh_of_1000(dtype, rtol):
    """cosh(1000) overflows; log cosh(1000) = 1000 - log 2 (+ log1p(e^-2000))."""
    value = lr.log_cosh(np.array([0.0]), np.array([1000.0], dtype=dtype))
    assert float(value) == pytest.approx(1000 - math.log(2), rel=rtol)
    assert float(lr.log_cosh.grad(np.array([0.0]), np.array([-1000.0], dtype=dtype))[0]) == -1.0


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-9), (np.float32, 1e-4)])
def test_focal_with_gamma_below_one_at_a_confident_correct_logit(dtype, rtol):
    """gamma = 0.5, y = 1, z = 50: with q = sigma(-50), L ~ q^1.5 and dL/dz ~ -1.5 q^1.5 (finite, not NaN)."""
    q = 1 / (1 + math.exp(50))
    value, grad = lr.focal.value_and_grad(np.array([1.0]), np.array([50.0], dtype=dtype), gamma=0.5)
    assert np.all(np.isfinite(grad)) and np.isfinite(value)
    assert float(value) == pytest.approx(q**0.5 * math.log1p(math.exp(-50)), rel=rtol)
    assert float(grad[0]) == pytest.approx(-1.5 * q**1.5, rel=rtol)
    # beyond the point where q underflows to 0 the gradient is 0, still not NaN
    for z in (200.0, 1e4):
        g = lr.focal.grad(np.array([1.0, 0.0]), np.array([z, -z], dtype=dtype), gamma=0.5)
        assert np.all(np.isfinite(g)) and np.all(np.abs(g) < 1e-30)


@pytest.mark.parametrize("dtype", DTYPES)
def test_kl_divergence_with_zero_target_entries(dtype):
    y = np.array([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    logits = np.array([[3.0, -1.0, 0.5], [1e4, -1e4, 0.0], [-1000.0, 0.0, 1000.0]], dtype=dtype)
    value, grad = lr.kl_divergence.value_and_grad(y, logits, reduction="none")
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    # row 0: -log softmax(z)_1; row 2: -log softmax(z)_2 = log(1 + e^-1000 + e^-2000) ~ 0
    z0 = logits[0].astype(np.float64)
    expected0 = -(z0[1] - np.log(np.sum(np.exp(z0))))
    # row 1: 0.5 (log 0.5 - log p_0) + 0.5 (log 0.5 - log p_1) with log p_0 = 0, log p_1 = -2e4
    expected1 = 0.5 * (math.log(0.5) - 0.0) + 0.5 * (math.log(0.5) + 2e4)
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(value, [expected0, expected1, 0.0], rtol=rtol, atol=rtol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_clips_probabilities_at_machine_epsilon(dtype):
    """A confident wrong probability costs -log(eps) (36.04 in float64, 15.94 in float32), not inf."""
    eps = np.finfo(dtype).eps
    value = lr.bce(np.array([1.0, 0.0]), np.array([0.0, 1.0], dtype=dtype), reduction="none")
    np.testing.assert_allclose(value, [-math.log(eps)] * 2, rtol=1e-6)
    grad = lr.bce.grad(np.array([1.0, 0.0]), np.array([0.0, 1.0], dtype=dtype), reduction="sum")
    assert np.all(np.isfinite(grad))
    assert grad[0] < 0 < grad[1]


@pytest.mark.parametrize("dtype, ok, too_big", [(np.float64, 709.0, 710.0), (np.float32, 88.0, 89.0)])
def test_poisson_log_rate_overflow_limit(dtype, ok, too_big):
    """exp(log-rate) must exist in the dtype: log(max float) = 709.78 (float64), 88.72 (float32)."""
    limit = math.log(float(np.finfo(dtype).max))
    assert ok < limit < too_big
    value, grad = lr.poisson_nll.value_and_grad(np.array([3.0]), np.array([ok], dtype=dtype))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert float(value) == pytest.approx(math.exp(ok) - 3 * ok, rel=1e-6)
    with pytest.raises(ValueError, match=r"y_pred.*log.*at most (709\.78|88\.72)"):
        lr.poisson_nll(np.array([3.0, 1.0]), np.array([0.0, too_big], dtype=dtype))
    with pytest.raises(ValueError, match=r"y_pred"):
        lr.poisson_nll.grad(np.array([3.0]), np.array([too_big], dtype=dtype))
    # the same rate given directly (log_input=False) is fine
    assert np.isfinite(lr.poisson_nll(np.array([3.0]), np.array([math.exp(ok)], dtype=dtype), log_input=False))


@pytest.mark.parametrize("r", [1e-8, 1e-6, 1e-4, 1e-2, 0.5])
def test_log_cosh_keeps_relative_precision_at_small_residuals(r):
    # log cosh r = r^2/2 - r^4/12 + r^6/45 - ...: the |r| + log1p(e^{-2|r|}) - log 2 form would cancel here
    series = r**2 / 2 - r**4 / 12 + r**6 / 45 - 17 * r**8 / 2520
    got = float(lr.log_cosh([0.0], [r]))
    assert got == pytest.approx(series, rel=4e-15 if r < 0.1 else 1e-4)
