"""categorical_focal: sum_c t_c alpha_c (1 - p_c)^gamma (-log p_c), p = softmax(logits)."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.categorical_focal
mpmath.mp.dps = 60


def mp_focal(target_row, logits_row, gamma, alpha=None):
    """The published formula at 60 digits: softmax, then the focal terms of each class."""
    z = [mpmath.mpf(float(v)) for v in logits_row]
    total = mpmath.fsum(mpmath.exp(v) for v in z)
    out = mpmath.mpf(0)
    for c, t in enumerate(target_row):
        if t == 0:
            continue
        p = mpmath.exp(z[c]) / total
        a = 1 if alpha is None else mpmath.mpf(float(np.broadcast_to(alpha, len(z))[c]))
        out += mpmath.mpf(float(t)) * a * (1 - p) ** gamma * -mpmath.log(p)
    return out


def onehot(y, c):
    return np.eye(c)[y]


def test_hand_values():
    # p = (1/2, 1/4, 1/4): label 1 gives (3/4)^2 log 4; label 0 with alpha_0 = 0.25 gives 0.25 (1/2)^2 log 2
    logits = np.array([[np.log(2.0), 0.0, 0.0]] * 2)
    np.testing.assert_allclose(loss([1, 0], logits, alpha=[0.25, 1.0, 1.0], reduction="none"),
                               [0.5625 * np.log(4), 0.0625 * np.log(2)], rtol=1e-15)
    # a soft target mixes the per-class terms: 0.5 (1/2)^2 log 2 + 0.5 (3/4)^2 log 4
    assert loss([[0.5, 0.5, 0.0]], logits[:1]) == pytest.approx(0.125 * np.log(2) + 0.28125 * np.log(4), rel=1e-15)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 3.7])
@pytest.mark.parametrize("seed", range(3))
def test_values_match_mpmath(seed, gamma):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=4.0, size=(6, 5))
    y = rng.integers(0, 5, size=6)
    alpha = rng.uniform(0.1, 1.0, size=5)
    soft = rng.dirichlet(np.ones(5), size=6)
    for target, rows in ((y, onehot(y, 5)), (soft, soft)):
        value = loss(target, logits, gamma=gamma, alpha=alpha, reduction="none")
        expected = [float(mp_focal(rows[i], logits[i], gamma, alpha)) for i in range(6)]
        np.testing.assert_allclose(value, expected, rtol=1e-13)


def test_confident_predictions_keep_full_precision():
    # 1 - p = e^-40 / (1 + e^-40) is never formed as a difference: the tiny loss keeps every digit
    logits = np.array([[40.0, 0.0, -5.0], [0.0, 1e-3, 700.0]])
    y = np.array([0, 2])
    for gamma in (0.5, 2.0):
        expected = [float(mp_focal(onehot(y, 3)[i], logits[i], gamma)) for i in range(2)]
        np.testing.assert_allclose(loss(y, logits, gamma=gamma, reduction="none"), expected, rtol=1e-13)


def test_gradient_matches_a_60_digit_derivative_for_small_gamma():
    # gamma < 1: autograd of (1 - p)^gamma is NaN where p rounds to 1; the derivative is finite
    logits, y, gamma = np.array([[40.0, 0.0, -3.0]]), 0, 0.5
    g = loss.grad([y], logits, gamma=gamma)
    for k in range(3):
        def f(t, k=k):
            row = [mpmath.mpf(float(v)) for v in logits[0]]
            row[k] += t
            total = mpmath.fsum(mpmath.exp(v) for v in row)
            p = mpmath.exp(row[y]) / total
            return (1 - p) ** gamma * -mpmath.log(p)
        assert g[0, k] == pytest.approx(float(mpmath.diff(f, 0)), rel=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 3.7])
@pytest.mark.parametrize("soft", [False, True], ids=["labels", "probability rows"])
def test_gradients_match_finite_differences(reduction, gamma, soft, assert_grads_match):
    rng = np.random.default_rng(int(gamma * 10) + soft)
    logits = rng.normal(scale=2.0, size=(5, 4))
    y = rng.dirichlet(np.ones(4), size=5) if soft else rng.integers(0, 4, size=5)
    w = rng.uniform(0.2, 2.0, size=5)
    alpha = rng.uniform(0.2, 1.0, size=4)
    arrays = {"y": y, "logits": logits}
    assert_grads_match(loss, arrays, {"gamma": gamma}, reduction=reduction)
    assert_grads_match(loss, arrays, {"gamma": gamma, "alpha": alpha}, reduction=reduction, sample_weight=w)


def test_gamma_zero_is_cross_entropy():
    rng = np.random.default_rng(5)
    logits, y = rng.normal(scale=3.0, size=(7, 4)), rng.integers(0, 4, size=7)
    soft = rng.dirichlet(np.ones(4), size=7)
    for target in (y, soft):
        np.testing.assert_allclose(loss(target, logits, gamma=0.0), lr.cross_entropy(target, logits), rtol=1e-14)
        np.testing.assert_allclose(loss.grad(target, logits, gamma=0.0), lr.cross_entropy.grad(target, logits),
                                   rtol=1e-12, atol=1e-16)


def test_focusing_lowers_the_loss_of_easy_examples_most():
    # the ratio focal / cross-entropy is (1 - p_y)^gamma: near 0 for an easy example, near 1 for a hard one
    logits = np.array([[4.0, 0.0, 0.0], [-4.0, 0.0, 0.0]])
    ratio = loss([0, 0], logits, reduction="none") / lr.cross_entropy([0, 0], logits, reduction="none")
    p = np.exp(logits[:, 0]) / np.exp(logits).sum(axis=1)
    np.testing.assert_allclose(ratio, (1 - p) ** 2, rtol=1e-14)


def test_one_hot_rows_equal_integer_labels_and_scalar_alpha_scales():
    rng = np.random.default_rng(9)
    logits, y = rng.normal(size=(6, 3)), rng.integers(0, 3, size=6)
    np.testing.assert_allclose(loss(onehot(y, 3), logits), loss(y, logits), rtol=1e-15)
    np.testing.assert_allclose(loss.grad(onehot(y, 3), logits), loss.grad(y, logits), rtol=1e-13, atol=1e-17)
    assert loss(y, logits, alpha=0.25) == pytest.approx(0.25 * loss(y, logits), rel=1e-15)


def test_extreme_logits_stay_finite():
    logits = np.array([[1e30, -1e30], [1e30, -1e30], [1e-30, -1e-30]])
    y = np.array([0, 1, 0])
    value, grad = loss.value_and_grad(y, logits, reduction="none", gamma=0.5)
    # confident right: 0 loss, 0 gradient; confident wrong: p_y = 0, so the loss is the logit gap 2e30 and
    # g_y = 1, the cross-entropy gradient p - e_y
    np.testing.assert_array_equal(value[:2], [0.0, 2e30])
    np.testing.assert_array_equal(grad[:2], [[0.0, 0.0], [1.0, -1.0]])
    assert value[2] == pytest.approx(0.5 ** 0.5 * np.log(2), rel=1e-12)
    value32, grad32 = loss.value_and_grad(y, logits.astype(np.float32), reduction="none")
    assert value32.dtype == grad32.dtype == np.float32
    np.testing.assert_array_equal(value32[:2], np.float32([0.0, 2e30]))
    assert np.all(np.isfinite(grad32))


def test_float32_agrees_with_float64():
    rng = np.random.default_rng(11)
    logits, y = rng.normal(scale=3.0, size=(50, 6)), rng.integers(0, 6, size=50)
    value, grad = loss.value_and_grad(y, logits.astype(np.float32))
    assert value.dtype == grad.dtype == np.float32
    assert value == pytest.approx(loss(y, logits), rel=1e-6)
    np.testing.assert_allclose(grad, loss.grad(y, logits), rtol=1e-4, atol=1e-8)


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([0, 3], [[0.0, 1.0, 2.0]] * 2), {}, ValueError, r"y holds class 3 at index 1; expected labels in \[0, 3\)"),
    (([[0.5, 0.6]], [[0.0, 1.0]]), {}, ValueError, r"y must hold probability rows that sum to 1.*sums to 1.1"),
    (([0, 1, 1], [[0.0, 1.0]] * 2), {}, ValueError, r"y must hold integer labels of shape \(2,\) or probability rows"),
    (([0], [0.0, 1.0]), {}, ValueError, r"logits must have shape \(n, C\), classes on the last axis"),
    (([0], [[0.0, np.inf]]), {}, ValueError, r"logits contains an infinity at index \(0, 1\)"),
    (([0], [[0.0, 1.0]]), {"gamma": -1.0}, ValueError, r"gamma must be in \[0, inf\); got -1.0"),
    (([0], [[0.0, 1.0]]), {"alpha": [1.0, 1.0, 1.0]}, ValueError,
     r"alpha must be a scalar or broadcast to the classes of logits \(2,\); got shape \(3,\)"),
    (([0], [[0.0, 1.0]]), {"alpha": -0.5}, ValueError, r"alpha must hold non-negative weights"),
    (([0], [[0.0, 1.0]]), {"class_weight": [1.0, 1.0]}, TypeError, r"unexpected parameter\(s\) 'class_weight'"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 3.7])
@pytest.mark.parametrize("soft", [False, True], ids=["labels", "probability rows"])
def test_hessian_matches_finite_differences_of_the_gradient(reduction, gamma, soft, assert_row_hessian_matches):
    rng = np.random.default_rng(int(gamma * 10) + 2 * soft)
    logits = rng.normal(scale=2.0, size=(4, 3))
    y = rng.dirichlet(np.ones(3), size=4) if soft else rng.integers(0, 3, size=4)
    w = rng.uniform(0.2, 2.0, size=4)
    assert_row_hessian_matches(loss, y, logits, {"gamma": gamma, "alpha": [0.3, 1.0, 0.6]}, reduction=reduction,
                               sample_weight=w, atol=1e-7)


def test_hessian_at_gamma_zero_is_cross_entropy_and_finite_at_extremes():
    rng = np.random.default_rng(2)
    logits, y = rng.normal(size=(5, 4)), rng.integers(0, 4, size=5)
    np.testing.assert_allclose(loss.hess(y, logits, gamma=0.0), lr.cross_entropy.hess(y, logits), rtol=1e-13,
                               atol=1e-17)
    extreme = np.array([[1e30, -1e30, 0.0], [40.0, 0.0, 0.0]])
    for gamma in (0.5, 2.0):
        h = loss.hess([0, 0], extreme, gamma=gamma, reduction="none")
        assert np.all(np.isfinite(h))
        assert not np.any(h[0])  # a certain, correct prediction: the loss is flat there
    assert np.all(np.isfinite(loss.hess([0, 0], extreme.astype(np.float32), gamma=0.5)))


def test_minimiser_is_flatter_and_keeps_the_ranking():
    from scipy.optimize import minimize
    from scipy.special import softmax

    eta = np.array([0.5, 0.3, 0.15, 0.05])
    optimum = {}
    for gamma in (0.0, 2.0):
        res = minimize(lambda z: loss(eta[None], z[None], gamma=gamma), np.zeros(4),
                       jac=lambda z: loss.grad(eta[None], z[None], gamma=gamma)[0], method="BFGS",
                       options={"gtol": 1e-12})
        optimum[gamma] = softmax(res.x)
    np.testing.assert_allclose(optimum[0.0], eta, atol=1e-6)  # gamma = 0: cross-entropy, a proper scoring rule
    p = optimum[2.0]
    assert list(np.argsort(p)) == list(np.argsort(eta))
    entropy = lambda q: -np.sum(q * np.log(q))  # noqa: E731
    assert entropy(p) > entropy(eta) + 0.05  # under-confident
