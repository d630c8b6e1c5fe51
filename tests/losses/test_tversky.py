"""tversky: 1 - (TP + s) / (TP + alpha FP + beta FN + s), alpha on the false positives."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.tversky
mpmath.mp.dps = 60


def masks(seed, shape=(3, 4, 5)):
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=shape) < 0.4).astype(np.float64)
    y[0, 0] = rng.uniform(size=shape[2:])  # soft targets too
    p = rng.uniform(0.02, 0.98, size=shape)
    return y, p


def mp_tversky(y, p, alpha, beta, smooth):
    """60-digit Tversky loss of one example, FP and FN summed term by term."""
    y, p = [mpmath.mpf(float(v)) for v in np.ravel(y)], [mpmath.mpf(float(v)) for v in np.ravel(p)]
    tp = mpmath.fsum(a * b for a, b in zip(y, p))
    fp = mpmath.fsum((1 - a) * b for a, b in zip(y, p))
    fn = mpmath.fsum(a * (1 - b) for a, b in zip(y, p))
    s, al, be = mpmath.mpf(smooth), mpmath.mpf(alpha), mpmath.mpf(beta)
    return 1 - (tp + s) / (tp + al * fp + be * fn + s)


def test_values_by_hand():
    y, p = np.array([[1.0, 1.0, 0.0, 0.0]]), np.array([[1.0, 0.5, 0.5, 0.0]])
    # TP = 1.5, FP = 0.5, FN = 0.5
    np.testing.assert_allclose(loss(y, p, alpha=0.3, beta=0.7, smooth=0.0), 1 - 1.5 / 2.0)
    np.testing.assert_allclose(loss(y, p, alpha=1.0, beta=1.0, smooth=0.0), 1 - 1.5 / 2.5)  # soft Jaccard
    y, p = np.array([[1.0, 1.0, 0.0]]), np.array([[1.0, 0.0, 1.0]])  # TP = 1, FP = 1, FN = 1
    np.testing.assert_allclose(loss(y, p, alpha=0.2, beta=0.8, smooth=1.0), 1 - 2 / 3)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("alpha, beta, smooth", [(0.3, 0.7, 1.0), (0.9, 0.1, 0.0), (2.0, 0.0, 1e-3)])
def test_values_match_mpmath(seed, alpha, beta, smooth):
    y, p = masks(seed)
    params = {"alpha": alpha, "beta": beta, "smooth": smooth}
    expected = [float(mp_tversky(y[i], p[i], alpha, beta, smooth)) for i in range(3)]
    np.testing.assert_allclose(loss(y, p, reduction="none", **params), expected, rtol=1e-13)
    per_class = [float(mpmath.fsum(mp_tversky(y[i, c], p[i, c], alpha, beta, smooth) for c in range(4)) / 4)
                 for i in range(3)]
    np.testing.assert_allclose(loss(y, p, class_axis=1, reduction="none", **params), per_class, rtol=1e-13)


@pytest.mark.parametrize("seed", range(2))
def test_half_half_is_dice_with_smooth_doubled(seed):
    y, p = masks(seed)
    for smooth in (0.0, 0.25, 1.0):
        np.testing.assert_allclose(loss(y, p, smooth=smooth, reduction="none"),
                                   lr.dice(y, p, smooth=2 * smooth, reduction="none"), rtol=1e-14)
        np.testing.assert_allclose(loss.grad(y, p, smooth=smooth, class_axis=1),
                                   lr.dice.grad(y, p, smooth=2 * smooth, class_axis=1), rtol=1e-13)


def test_swapping_alpha_and_beta_swaps_target_and_prediction():
    # FP(y, p) = FN(p, y): the index weighs false positives by alpha, false negatives by beta
    y, p = masks(3)
    np.testing.assert_allclose(loss(y, p, alpha=0.2, beta=0.8, reduction="none"),
                               loss(p, y, alpha=0.8, beta=0.2, reduction="none"), rtol=1e-14)
    # a false positive costs more than a false negative when alpha > beta
    y1 = np.array([[1.0, 0.0]])
    fp, fn = loss(y1, [[1.0, 1.0]], alpha=0.9, beta=0.1), loss(y1, [[0.0, 0.0]], alpha=0.9, beta=0.1)
    assert fp == pytest.approx(1 - 2 / 2.9) and fn == pytest.approx(1 - 1 / 1.1)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("class_axis", [None, 1])
def test_gradients_match_finite_differences(seed, reduction, class_axis, assert_grads_match):
    y, p = masks(seed, (3, 2, 3))
    w = np.random.default_rng(seed).uniform(0, 2, size=3)
    params = {"alpha": 0.3, "beta": 0.8, "smooth": 0.5, "class_axis": class_axis}
    for weights in (None, w):
        assert_grads_match(loss, {"y": y, "probs": p}, params, reduction=reduction, sample_weight=weights,
                           rtol=1e-7, atol=1e-10)


def test_zero_denominator_raises_only_without_smoothing():
    y, p = np.zeros((1, 3)), np.array([[0.5, 0.0, 0.2]])
    # alpha = 0: the false positives are not counted, so the denominator is 0
    with pytest.raises(ValueError, match=r"tversky with smooth=0 is 0/0 at index 0: TP \+ alpha FP \+ beta FN = 0"):
        loss(y, p, alpha=0.0, smooth=0.0)
    assert loss(y, p, alpha=0.0) == 0.0  # (0 + s) / (0 + s)


def test_float32_and_tiny_inputs():
    y, p = masks(4)
    value, grad = loss.value_and_grad(y.astype(np.float32), p.astype(np.float32), alpha=0.3, beta=0.7)
    assert value.dtype == grad.dtype == np.float32
    np.testing.assert_allclose(value, loss(y, p, alpha=0.3, beta=0.7), rtol=1e-6)
    t = np.full((1, 4), 1e-300)
    v, g = loss.value_and_grad(t, t, alpha=0.3, beta=0.7, smooth=0.0)
    assert np.isfinite(v) and np.all(np.isfinite(g))


@pytest.mark.parametrize("kwargs, message", [
    ({"alpha": -0.1}, r"alpha must be in \[0, inf\); got -0.1"),
    ({"beta": "x"}, r"beta must be a real number; got 'x'"),
    ({"class_axis": 0}, r"class_axis must be one of 1; got 0"),
])
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        loss([[1.0, 0.0]], [[0.5, 0.5]], **kwargs)
