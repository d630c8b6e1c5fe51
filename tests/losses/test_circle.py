"""circle: Keras 3's keras.losses.circle (keras/src/losses/losses.py, ``circle``) on normalised embeddings."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.circle
mpmath.mp.dps = 60


def mp_circle(labels, e, gamma=80.0, margin=0.4):
    """Keras's circle, line by line, on the unit rows: distances max(1 - u_i.u_j, 0); positive mask same label
    without the diagonal (remove_diagonal=True), negative mask another label; pos_weights = max(margin + d, 0),
    neg_weights = max(1 + margin - d, 0); pos_wdists = -gamma pos_weights (margin - d), neg_wdists = gamma
    neg_weights (1 - margin - d); loss = softplus(logsumexp_pos + logsumexp_neg), 0 for an empty mask."""
    rows = [[mpmath.mpf(float(t)) for t in r] for r in e]
    units = [[t / mpmath.sqrt(mpmath.fsum(x * x for x in r)) for t in r] for r in rows]
    g, m = mpmath.mpf(gamma), mpmath.mpf(margin)
    out = []
    for i, ui in enumerate(units):
        pos, neg = [], []
        for j, uj in enumerate(units):
            d = max(1 - mpmath.fsum(a * b for a, b in zip(ui, uj)), 0)
            if labels[j] == labels[i] and j != i:
                pos.append(-g * max(m + d, 0) * (m - d))
            elif labels[j] != labels[i]:
                neg.append(g * max(1 + m - d, 0) * (1 - m - d))
        if not pos or not neg:
            out.append(0.0)
            continue
        total = mpmath.log(mpmath.fsum(mpmath.exp(z) for z in pos)) + mpmath.log(mpmath.fsum(mpmath.exp(z) for z in neg))
        out.append(float(mpmath.log(1 + mpmath.exp(total))))
    return np.array(out)


def batch(seed, n=8, d=4, classes=3):
    rng = np.random.default_rng(seed)
    return rng.integers(0, classes, size=n), rng.normal(size=(n, d))


def test_by_hand():
    e = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    # positives at d = 0: -gamma * m * m; negatives at d = 1: gamma * m * (-m); two negatives per row
    gamma, m = 1.0, 0.25
    expected = np.log1p(np.exp(-gamma * m * m + np.log(2) - gamma * m * m))
    np.testing.assert_allclose(loss([0, 0, 1, 1], e, gamma=gamma, margin=m, reduction="none"), expected, rtol=1e-14)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("gamma, margin", [(80.0, 0.4), (4.0, 0.1), (16.0, 0.25)])
def test_matches_keras_formula_in_mpmath(seed, gamma, margin):
    labels, e = batch(seed)
    np.testing.assert_allclose(loss(labels, e, gamma=gamma, margin=margin, reduction="none"),
                               mp_circle(labels, e, gamma, margin), rtol=1e-11, atol=1e-13)


def test_lossref_normalises_and_keras_class_averages_over_positive_rows():
    labels = np.array([0, 0, 1, 1, 2, 3])  # labels 2 and 3 have no positives: their rows are 0
    e = np.random.default_rng(3).normal(size=(6, 3))
    each = loss(labels, e, gamma=8.0, reduction="none")
    np.testing.assert_array_equal(each[4:], 0)
    assert loss(labels, 5.0 * e, gamma=8.0) == pytest.approx(np.mean(each), rel=1e-13)  # scale-free
    keras_class = np.sum(mp_circle(labels, e, 8.0)) / np.count_nonzero(mp_circle(labels, e, 8.0) > 0)
    assert loss(labels, e, gamma=8.0) * 6 / 4 == pytest.approx(keras_class, rel=1e-11)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_match_finite_differences(seed, reduction, assert_grads_match):
    labels, e = batch(seed, n=7, d=3, classes=2)
    w = np.random.default_rng(seed).uniform(0.2, 2, size=7)
    assert_grads_match(loss, {"labels": labels, "embeddings": e}, {"gamma": 4.0, "margin": 0.25},
                       reduction=reduction, sample_weight=w, rtol=1e-6, atol=1e-8)


def test_gradient_differentiates_through_the_weights():
    # holding alpha constant (the paper's detach) gives another gradient: check ours is the derivative
    labels, e = batch(4, n=6, d=3, classes=2)
    g = loss.grad(labels, e, gamma=4.0, reduction="sum")
    h = 1e-6
    direction = np.random.default_rng(4).normal(size=e.shape)
    slope = (loss(labels, e + h * direction, gamma=4.0, reduction="sum")
             - loss(labels, e - h * direction, gamma=4.0, reduction="sum")) / (2 * h)
    assert np.sum(g * direction) == pytest.approx(slope, rel=1e-6)


def test_gradient_of_none_is_that_of_the_weighted_sum_and_tangent():
    labels, e = batch(5)
    w = np.linspace(0, 2, 8)
    g = loss.grad(labels, e, reduction="none", sample_weight=w)
    np.testing.assert_array_equal(g, loss.grad(labels, e, reduction="sum", sample_weight=w))
    np.testing.assert_allclose(np.sum(g * e, axis=1), 0, atol=1e-9)  # only directions matter


def test_rotation_and_permutation_invariance():
    labels, e = batch(6, n=9)
    q, _ = np.linalg.qr(np.random.default_rng(6).normal(size=(4, 4)))
    value = loss(labels, e)
    assert loss(labels, e @ q) == pytest.approx(value, rel=1e-11)
    perm = np.random.default_rng(7).permutation(9)
    assert loss(labels[perm], e[perm]) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("scale", [1e30, 1e-30])
def test_extremes_in_float32_with_gamma_80(scale):
    labels, e = batch(8, n=10)
    e32 = (e * scale).astype(np.float32)
    value, grad = loss.value_and_grad(labels, e32, gamma=80.0)  # terms of about +-100 and more
    assert isinstance(value, np.float32) and np.isfinite(value) and np.all(np.isfinite(grad))
    assert value == pytest.approx(loss(labels, e), rel=1e-4)
    # a far larger scale overflows exp(z) unless the log-sum-exp is shifted
    assert np.isfinite(loss(labels, e32, gamma=1e6))


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([0.0, 1.0], [[1.0, 0.0]] * 2), {}, TypeError, r"labels has dtype float64; expected integer class labels"),
    (([0, 1], [[1.0, 0.0]] * 3), {}, ValueError, r"labels must have shape \(3,\), one entry per row of embeddings"),
    (([0, 1], [[1.0, 0.0]] * 2), {"margin": 1.5}, ValueError, r"margin must be in \[0, 1\]"),
    (([0, 1], [[1.0, 0.0]] * 2), {"gamma": -1.0}, ValueError, r"gamma must be in \(0, inf\)"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)
