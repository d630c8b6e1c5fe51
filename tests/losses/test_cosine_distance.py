"""cosine_distance: 1 - y.y_pred / (max(|y|, eps) max(|y_pred|, eps)) over the last axis."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.cosine_distance
mpmath.mp.dps = 60


def mp_distance(y_row, p_row, eps):
    """The published formula at 60 digits (torch's: each norm floored at eps)."""
    y = [mpmath.mpf(float(v)) for v in y_row]
    p = [mpmath.mpf(float(v)) for v in p_row]
    dot = mpmath.fsum(a * b for a, b in zip(y, p))
    norm_y = mpmath.sqrt(mpmath.fsum(a * a for a in y))
    norm_p = mpmath.sqrt(mpmath.fsum(b * b for b in p))
    return 1 - dot / (max(norm_y, mpmath.mpf(eps)) * max(norm_p, mpmath.mpf(eps)))


def test_hand_values():
    y = np.array([[1.0, 0.0], [1.0, 1.0], [3.0, 4.0], [2.0, 0.0]])
    y_pred = np.array([[0.0, 2.0], [-3.0, -3.0], [4.0, 3.0], [5.0, 0.0]])
    np.testing.assert_allclose(loss(y, y_pred, reduction="none"), [1.0, 2.0, 1 - 24 / 25, 0.0], rtol=1e-15,
                               atol=1e-16)


@pytest.mark.parametrize("seed", range(4))
def test_values_match_mpmath(seed):
    rng = np.random.default_rng(seed)
    y, y_pred = rng.normal(size=(6, 5)), rng.normal(size=(6, 5))
    # rows 4 and 5 are shorter than eps = 0.5: the floor replaces their norm
    y[4] *= 0.05
    y_pred[5] *= 0.05
    for eps in (1e-8, 0.5):
        expected = [float(mp_distance(y[i], y_pred[i], eps)) for i in range(6)]
        np.testing.assert_allclose(loss(y, y_pred, eps=eps, reduction="none"), expected, rtol=1e-14, atol=1e-16)


def test_near_parallel_vectors_keep_their_tiny_distance():
    # 1 - cos = 1 - 1/sqrt(1 + 1e-18) ~ 5e-19, which 1 - (dot / norms) would round to 0
    y, y_pred = np.array([[1.0, 1e-9], [1.0, 2.0]]), np.array([[1.0, 0.0], [1.0, 2.0 + 1e-7]])
    expected = [float(mp_distance(y[i], y_pred[i], 1e-8)) for i in range(2)]
    np.testing.assert_allclose(loss(y, y_pred, reduction="none"), expected, rtol=1e-8)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("eps", [1e-8, 0.5])
def test_gradients_match_finite_differences(reduction, weighted, eps, assert_grads_match):
    rng = np.random.default_rng(3)
    y, y_pred = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    y[4] *= 0.05
    y_pred[5] *= 0.05  # with eps = 0.5 its norm is floored: the gradient is -u / eps there
    w = rng.uniform(0.2, 2.0, size=6) if weighted else None
    assert_grads_match(loss, {"y": y, "y_pred": y_pred}, {"eps": eps}, reduction=reduction, sample_weight=w)


def test_gradient_is_the_hand_derivation():
    rng = np.random.default_rng(8)
    y, y_pred = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    g = loss.grad(y, y_pred, reduction="sum")
    norm_y, norm_p = np.linalg.norm(y, axis=1, keepdims=True), np.linalg.norm(y_pred, axis=1, keepdims=True)
    cos = np.sum(y * y_pred, axis=1, keepdims=True) / (norm_y * norm_p)
    np.testing.assert_allclose(g, -(y / norm_y - cos * y_pred / norm_p) / norm_p, rtol=1e-12, atol=1e-15)
    # the loss ignores the prediction's norm: the gradient is orthogonal to y_pred
    np.testing.assert_allclose(np.sum(g * y_pred, axis=1), 0, atol=1e-14)


def test_only_directions_matter_and_the_target_direction_minimises():
    rng = np.random.default_rng(4)
    y, y_pred = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    c = rng.uniform(0.01, 100.0, size=(4, 1))
    np.testing.assert_allclose(loss(c * y, y_pred / c, reduction="none"), loss(y, y_pred, reduction="none"),
                               rtol=1e-13)
    value, grad = loss.value_and_grad(y, 3.0 * y)
    assert value == pytest.approx(0.0, abs=1e-16) and np.max(np.abs(grad)) < 1e-15
    assert loss(y, -y) == pytest.approx(2.0, rel=1e-15)


def test_zero_vectors_use_the_floor():
    y, y_pred = np.array([[3.0, 4.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [1.0, 2.0]])
    value, grad = loss.value_and_grad(y, y_pred, reduction="none")
    np.testing.assert_array_equal(value, [1.0, 1.0])  # the cosine with a zero vector is 0
    # first row: the floor holds max(|y_pred|, eps) = eps, so d/dy_pred = -(y / |y|) / eps
    np.testing.assert_allclose(grad, [[-0.6e8, -0.8e8], [0.0, 0.0]], rtol=1e-15)


def test_extreme_norms_stay_finite_and_exact():
    y = np.array([[1e300, 2e300], [1e-300, -3e-300], [1e300, 0.0]])
    y_pred = np.array([[2e-300, 1e-300], [3e300, 1e300], [1e300, 1e300]])
    # scale-free: the same as the unit-sized rows, [1, 2]/[2, 1], [1, -3]/[3, 1], [1, 0]/[1, 1]; rows 0 and
    # 1 are below eps = 1e-8 in one vector, so compare those with the floored formula
    expected = [float(mp_distance(y[i], y_pred[i], 1e-8)) for i in range(3)]
    value, grad = loss.value_and_grad(y, y_pred, reduction="none")
    np.testing.assert_allclose(value, expected, rtol=1e-14)
    assert np.all(np.isfinite(grad))
    assert value[2] == pytest.approx(1 - np.sqrt(0.5), rel=1e-14)
    y32, p32 = np.float32([[1e30, 2e30], [1e-30, 1e-30]]), np.float32([[2e30, 4e30], [-1e-30, -1e-30]])
    value32, grad32 = loss.value_and_grad(y32, p32, reduction="none")
    assert value32.dtype == grad32.dtype == np.float32
    # row 1: both norms (1.4e-30) are below eps, so the cosine is -2e-60 / eps^2 ~ -2e-44 and the loss 1
    np.testing.assert_allclose(value32, [0.0, 1.0], atol=1e-7)
    assert np.all(np.isfinite(grad32))


def test_float32_agrees_with_float64():
    rng = np.random.default_rng(12)
    y, y_pred = rng.normal(size=(40, 8)), rng.normal(size=(40, 8))
    value, grad = loss.value_and_grad(y.astype(np.float32), y_pred.astype(np.float32))
    assert value.dtype == grad.dtype == np.float32
    assert value == pytest.approx(loss(y, y_pred), rel=1e-6)
    np.testing.assert_allclose(grad, loss.grad(y, y_pred), rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([[1.0, 0.0]], [[1.0, 0.0, 0.0]]), {}, ValueError, r"y and y_pred must have the same shape"),
    (([1.0, 0.0], [1.0, 0.0]), {}, ValueError, r"y_pred must have shape \(n, D\), vectors on the last axis"),
    (([[1.0, np.nan]], [[1.0, 0.0]]), {}, ValueError, r"y contains NaN at index \(0, 1\)"),
    (([[1.0, 0.0]], [[np.inf, 0.0]]), {}, ValueError, r"y_pred contains an infinity at index \(0, 0\)"),
    (([[1.0, 0.0]], np.array([[1, 0]])), {}, TypeError, r"y_pred has integer dtype int64"),
    (([[1.0, 0.0]], [[1.0, 0.0]]), {"eps": 0.0}, ValueError, r"eps must be in \(0, inf\); got 0.0"),
    (([[1.0, 0.0]], [[1.0, 0.0]]), {"sample_weight": [1.0, 2.0]}, ValueError,
     r"sample_weight must have shape \(1,\)"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("eps", [1e-8, 0.5])
def test_hessian_matches_finite_differences_of_the_gradient(reduction, eps, assert_row_hessian_matches):
    rng = np.random.default_rng(6)
    y, y_pred = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    y_pred[4] *= 0.05  # floored at eps = 0.5: the loss is linear there and its block 0
    w = rng.uniform(0.2, 2.0, size=5)
    hess = assert_row_hessian_matches(loss, y, y_pred, {"eps": eps}, reduction=reduction, sample_weight=w,
                                      atol=1e-7)
    if eps == 0.5:
        assert not np.any(hess[4])


def test_hessian_maps_the_prediction_to_minus_the_gradient():
    # the gradient is homogeneous of degree -1 in y_pred (g(t p) = g(p) / t), so Euler's theorem gives H p = -g
    rng = np.random.default_rng(7)
    y, y_pred = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    hess, grad = loss.hess(y, y_pred, reduction="sum"), loss.grad(y, y_pred, reduction="sum")
    np.testing.assert_allclose(np.einsum("ijk,ik->ij", hess, y_pred), -grad, rtol=1e-12, atol=1e-15)
    assert np.all(np.isfinite(loss.hess([[1e300, 1.0]], [[1e300, -1e300]])))
