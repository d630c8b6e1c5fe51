"""dice: 1 - (2 sum y p + s) / (sum y + sum p + s) per example, or the mean of per-class Dice losses."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.dice
mpmath.mp.dps = 60


def masks(seed, shape=(3, 4, 5)):
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=shape) < 0.4).astype(np.float64)
    p = rng.uniform(0.02, 0.98, size=shape)
    return y, p


def mp_dice(y, p, smooth):
    """60-digit Dice loss of one example (flattened)."""
    y, p = [mpmath.mpf(float(v)) for v in np.ravel(y)], [mpmath.mpf(float(v)) for v in np.ravel(p)]
    inter = mpmath.fsum(a * b for a, b in zip(y, p))
    s = mpmath.mpf(smooth)
    return 1 - (2 * inter + s) / (mpmath.fsum(y) + mpmath.fsum(p) + s)


def test_values_by_hand():
    y = np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    p = np.array([[1.0, 0.5, 0.5, 0.0], [0.5, 0.0, 0.0, 0.5]])
    # example 0: I = 1.5, Y = 2, P = 2 -> 1 - 3/4; example 1: I = 0.5, Y = 1, P = 1 -> 1 - 2/3 with smooth 1
    np.testing.assert_allclose(loss(y, p, smooth=0.0, reduction="none"), [0.25, 0.5])
    np.testing.assert_allclose(loss(y, p, reduction="none"), [1 - 4 / 5, 1 - 2 / 3])
    assert loss(y, p, smooth=0.0) == pytest.approx(0.375)


def test_class_axis_averages_the_classes_by_hand():
    # one example, two classes of two pixels each
    y = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    p = np.array([[[0.5, 0.0], [0.5, 0.5]]])
    # class 0: 1 - 1 / 1.5; class 1: 1 - 1 / 2; mean of the two
    expected = ((1 - 1 / 1.5) + (1 - 1 / 2)) / 2
    np.testing.assert_allclose(loss(y, p, smooth=0.0, class_axis=1, reduction="none"), [expected])
    # without class_axis the two classes are pooled: I = 1, Y = 2, P = 1.5
    np.testing.assert_allclose(loss(y, p, smooth=0.0, reduction="none"), [1 - 2 / 3.5])


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("smooth", [0.0, 1.0, 1e-3])
def test_values_match_mpmath(seed, smooth):
    y, p = masks(seed)
    expected = [float(mp_dice(y[i], p[i], smooth)) for i in range(3)]
    np.testing.assert_allclose(loss(y, p, smooth=smooth, reduction="none"), expected, rtol=1e-14)
    per_class = [float(mpmath.fsum(mp_dice(y[i, c], p[i, c], smooth) for c in range(4)) / 4) for i in range(3)]
    np.testing.assert_allclose(loss(y, p, smooth=smooth, class_axis=1, reduction="none"), per_class, rtol=1e-14)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("class_axis", [None, 1])
def test_gradients_match_finite_differences(seed, reduction, class_axis, assert_grads_match):
    y, p = masks(seed, (3, 2, 3))
    w = np.random.default_rng(seed).uniform(0, 2, size=3)
    for weights in (None, w):
        assert_grads_match(loss, {"y": y, "probs": p}, {"smooth": 0.5, "class_axis": class_axis},
                           reduction=reduction, sample_weight=weights, rtol=1e-7, atol=1e-10)


def test_gradient_by_hand_and_none_reduction_is_the_sum():
    y, p = np.array([[1.0, 1.0, 0.0, 0.0]]), np.array([[1.0, 0.5, 0.5, 0.0]])
    # -2 y / S + (2 I + s) / S^2 with I = 1.5, S = 4, s = 0
    np.testing.assert_allclose(loss.grad(y, p, smooth=0.0), [[-0.3125, -0.3125, 0.1875, 0.1875]])
    y, p = masks(4)
    np.testing.assert_array_equal(loss.grad(y, p, reduction="none"), loss.grad(y, p, reduction="sum"))


def test_empty_masks_cost_nothing_with_smoothing_and_raise_without():
    y = np.zeros((2, 3, 3))
    y[1, 0, 0] = 1.0
    p = np.zeros((2, 3, 3))
    p[1, 0, 0] = 1.0
    value, grad = loss.value_and_grad(y, p, reduction="none")
    np.testing.assert_array_equal(value, [0.0, 0.0])  # (0 + s) / (0 + s) and (2 + s) / (2 + s)
    # at the empty example every pixel has slope s / s^2 = 1 (predicting anything there costs)
    np.testing.assert_allclose(grad[0], np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"dice with smooth=0 is 0/0 at index 0: y and probs are both all zero"):
        loss(y, p, smooth=0.0)


def test_perfect_binary_prediction_is_the_minimum():
    y, _ = masks(5)
    assert np.all(loss(y, y, smooth=0.0, reduction="none") == 0)
    # any other prediction costs more
    _, p = masks(6)
    assert np.all(loss(y, p, smooth=0.0, reduction="none") > 0)


def test_float32_keeps_dtype_and_sums_a_large_image_accurately():
    rng = np.random.default_rng(7)
    y = (rng.uniform(size=(2, 256, 256)) < 0.1).astype(np.float32)
    p = rng.uniform(size=(2, 256, 256)).astype(np.float32)
    value, grad = loss.value_and_grad(y, p, reduction="none")
    assert value.dtype == grad.dtype == np.float32
    exact = loss(y.astype(np.float64), p.astype(np.float64), reduction="none")
    np.testing.assert_allclose(value, exact, rtol=1e-6)  # float64 sums: float32 rounding only at the end


@pytest.mark.parametrize("dtype, tiny", [(np.float64, 1e-300), (np.float32, 1e-30), (np.float32, 1e-45)])
def test_tiny_masks_stay_finite(dtype, tiny):
    y = np.full((2, 8), tiny, dtype=dtype)
    p = np.full((2, 8), tiny, dtype=dtype)
    p[1, 0] = 1.0
    value, grad = loss.value_and_grad(y, p, smooth=0.0, reduction="none")
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value[0], 1.0, atol=1e-6)  # 1 - 2 I / S with I = 8 t^2, S = 16 t: 1 - t


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([[1.0, 0.0]], [[0.5, 0.5, 0.5]]), {}, ValueError, r"y and probs must have the same shape"),
    (([[1.0, 0.0]], [[0.5, 1.5]]), {}, ValueError, r"probs must hold probabilities in \[0, 1\]; got 1.5 at index \(0, 1\)"),
    (([[2.0, 0.0]], [[0.5, 0.5]]), {}, ValueError, r"y must hold targets \(masks or soft masks\) in \[0, 1\]; got 2"),
    (([1.0, 0.0], [0.5, 0.5]), {"class_axis": 1}, ValueError, r"probs must have shape \(n, C, ...\) with classes on axis 1"),
    (([[1.0, 0.0]], [[0.5, 0.5]]), {"class_axis": 2}, ValueError, r"class_axis must be one of 1; got 2"),
    (([[1.0, 0.0]], [[0.5, 0.5]]), {"smooth": -1.0}, ValueError, r"smooth must be in \[0, inf\); got -1.0"),
    (([[1.0, 0.0]], [[0.5, np.nan]]), {}, ValueError, r"probs contains NaN at index \(0, 1\)"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)


@pytest.mark.parametrize("smooth", [0.0, 1e-3, 1.0, 10.0])
def test_a_binary_mask_is_its_own_minimiser_for_every_smooth(smooth):
    rng = np.random.default_rng(11)
    y = (rng.random((3, 5, 5)) < 0.4).astype(float)
    y[:, 0, 0] = 1.0  # no empty mask, so smooth = 0 is defined
    np.testing.assert_allclose(lr.dice(y, y, smooth=smooth, reduction="none"), 0.0, atol=1e-15)
    other = np.clip(y + rng.uniform(-0.3, 0.3, y.shape), 0, 1)
    assert np.all(lr.dice(y, other, smooth=smooth, reduction="none") > 0)


def test_a_soft_mask_is_not_its_own_minimiser():
    # one pixel, y = 0.5, smooth = 0: L(p) = 1 - p / (0.5 + p) falls all the way to p = 1
    p = np.linspace(0.05, 1.0, 20)
    values = [float(lr.dice([[0.5]], [[q]], smooth=0.0)) for q in p]
    assert np.all(np.diff(values) < 0)
    assert values[-1] < float(lr.dice([[0.5]], [[0.5]], smooth=0.0))
