"""cosine_embedding: 1 - cos for similar pairs, max(0, cos - margin) for dissimilar ones (PyTorch's EPSILON 1e-12)."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.cosine_embedding
mpmath.mp.dps = 60


def mp_cosine_embedding(y, x1, x2, margin=0.0):
    """PyTorch's formula: cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)), in 60 digits."""
    out = []
    eps = mpmath.mpf("1e-12")
    for yi, u, v in zip(y, x1, x2):
        u, v = [mpmath.mpf(float(t)) for t in u], [mpmath.mpf(float(t)) for t in v]
        dot = mpmath.fsum(a * b for a, b in zip(u, v))
        c = dot / mpmath.sqrt((mpmath.fsum(a * a for a in u) + eps) * (mpmath.fsum(b * b for b in v) + eps))
        out.append(float(1 - c if yi == 1 else max(c - margin, 0)))
    return np.array(out)


def pairs(seed, n=8, d=3, margin=0.2):
    rng = np.random.default_rng(seed)
    y = rng.choice([-1.0, 1.0], size=n)
    x1, x2 = rng.normal(size=(2, n, d))
    c = np.sum(x1 * x2, axis=1) / np.linalg.norm(x1, axis=1) / np.linalg.norm(x2, axis=1)
    keep = np.abs(c - margin) > 0.05  # away from the kink of the dissimilar pairs
    return y[keep], x1[keep], x2[keep]


def test_by_hand():
    x1 = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    x2 = np.array([[1.0, 1.0], [1.0, 1.0], [-1.0, 0.0], [0.0, 5.0]])
    y = np.array([1, -1, -1, 1])
    # cosines 1/sqrt(2), 1/sqrt(2), -1, 0
    expected = [1 - 2 ** -0.5, 2 ** -0.5 - 0.5, 0.0, 1.0]
    np.testing.assert_allclose(loss(y, x1, x2, margin=0.5, reduction="none"), expected, rtol=1e-11)


@pytest.mark.parametrize("margin", [-0.5, 0.0, 0.3])
def test_values_match_mpmath(margin):
    rng = np.random.default_rng(int(10 * margin) + 5)
    y = rng.choice([-1, 1], size=30)
    x1, x2 = rng.normal(size=(2, 30, 4)) * rng.uniform(1e-7, 10, size=(2, 30, 1))
    np.testing.assert_allclose(loss(y, x1, x2, margin=margin, reduction="none"),
                               mp_cosine_embedding(y, x1, x2, margin), rtol=1e-12, atol=1e-15)


def test_the_epsilon_is_pytorchs():
    # a vector of norm 1e-6 has |x|^2 = 1e-12 = EPSILON: its cosine with itself is 1e-12 / (2e-12) = 1/2
    x = np.array([[1e-6, 0.0]])
    np.testing.assert_allclose(loss([1], x, x, reduction="none"), [0.5], rtol=1e-12)
    zero = np.zeros((1, 2))
    np.testing.assert_array_equal(loss([1], zero, x, reduction="none"), [1.0])  # cos(0, x) = 0, not NaN
    assert np.all(np.isfinite(loss.grad([1], zero, x)[0]))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_match_finite_differences(seed, reduction, assert_grads_match):
    y, x1, x2 = pairs(seed)
    w = np.random.default_rng(seed).uniform(0, 2, size=y.shape)
    assert_grads_match(loss, {"y": y, "x1": x1, "x2": x2}, {"margin": 0.2}, reduction=reduction, sample_weight=w)


def test_gradient_of_none_is_that_of_the_sum_and_orthogonal_to_the_input():
    y, x1, x2 = pairs(7)
    g_none, g_sum = loss.grad(y, x1, x2, reduction="none"), loss.grad(y, x1, x2, reduction="sum")
    for g, h in zip(g_none, g_sum):
        np.testing.assert_array_equal(g, h)
    # the cosine ignores length: moving along x1 changes nothing (up to the 1e-12 epsilon)
    np.testing.assert_allclose(np.sum(g_sum[0] * x1, axis=1), 0, atol=1e-10)


def test_scale_invariance_and_bounds():
    y, x1, x2 = pairs(8, n=40)
    each = loss(y, x1, x2, reduction="none")
    np.testing.assert_allclose(loss(y, 7.0 * x1, 0.5 * x2, reduction="none"), each, rtol=1e-9)  # eps / |x|^2 ~ 1e-11
    assert np.all((each >= 0) & (each <= 2))
    # a vector with itself: 1 - |x|^2 / (|x|^2 + eps) = eps / (|x|^2 + eps), 0 but for PyTorch's epsilon
    sq = np.sum(x1 * x1, axis=1)
    np.testing.assert_allclose(loss(np.ones(len(y)), x1, x1, reduction="none"), 1e-12 / (sq + 1e-12), rtol=0, atol=2e-15)  # 1 - c rounds at 1e-16


@pytest.mark.parametrize("scale", [1e30, 1e-30])
def test_extreme_scales_in_float32(scale):
    x1 = np.array([[3.0, 4.0]], dtype=np.float32) * np.float32(scale)
    x2 = np.array([[4.0, 3.0]], dtype=np.float32) * np.float32(scale)
    value, (g1, g2) = loss.value_and_grad([1], x1, x2, reduction="none")
    assert value.dtype == np.float32 and np.all(np.isfinite(g1)) and np.all(np.isfinite(g2))
    # large: cos = 24/25; tiny: |x|^2 = 25e-60 << 1e-12, so cos = 24e-60 / 1e-12 = 0 in float32
    expected = 1 - 24 / 25 if scale > 1 else 1.0
    np.testing.assert_allclose(value, [expected], rtol=1e-5)


def test_a_single_pair_of_shape_d():
    value = loss(1, [1.0, 0.0], [1.0, 1.0], reduction="none")
    assert value.shape == () and value == pytest.approx(1 - 2 ** -0.5)


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([0, 1], [[1.0, 0.0]] * 2, [[0.0, 1.0]] * 2), {}, ValueError, r"y must hold labels in \{-1, \+1\}"),
    (([1, 1], [[1.0, 0.0]] * 2, [[0.0, 1.0, 0.0]] * 2), {}, ValueError, r"x1 and x2 must have the same shape"),
    (([1, 1, 1], [[1.0, 0.0]] * 2, [[0.0, 1.0]] * 2), {}, ValueError, r"y and x1's rows must have the same shape"),
    (([1, 1], [[1.0, 0.0]] * 2, [[0.0, 1.0]] * 2), {"margin": 2.0}, ValueError, r"margin must be in \[-1, 1\]"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)
