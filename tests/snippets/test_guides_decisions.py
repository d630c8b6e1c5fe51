"""Thresholds and imbalance guide: snippet output against Newton fits and formulas computed here."""

import numpy as np
from numpy.testing import assert_allclose


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def newton_logistic(X, y, weights):
    """Weighted logistic regression to convergence by Newton's method (no lossref)."""
    w = np.zeros(X.shape[1])
    for _ in range(50):
        p = sigmoid(X @ w)
        grad = X.T @ (weights * (p - y))
        hess = (X * (weights * p * (1 - p))[:, None]).T @ X
        w -= np.linalg.solve(hess, grad)
    return w


def test_thresholds_weights(printed):
    out = printed("guides/thresholds_weights.py")
    q, alpha, beta = 0.2, 9.0, 1.0
    assert out["size of the gradient at logit(q) + log(alpha/beta)"][0] < 1e-12
    # d/dp of -alpha q log p - beta (1 - q) log(1 - p) vanishes at p_w:
    p_w = alpha * q / (alpha * q + beta * (1 - q))
    assert_allclose(-alpha * q / p_w + beta * (1 - q) / (1 - p_w), 0, atol=1e-12)
    assert_allclose(out["weighted minimiser p_w"], p_w, atol=1e-6)
    assert_allclose(out["alpha q / (alpha q + beta (1 - q))"], p_w, atol=1e-6)
    assert_allclose(out["threshold on q equivalent to p_w > 0.5"], beta / (alpha + beta))


def _cost(q, p, t):
    return np.mean(np.where(p > t, 1 - q, 9 * q))


def test_thresholds_simulation(printed):
    out = printed("guides/thresholds_simulation.py")
    rng = np.random.default_rng(0)
    logits = {"well specified": lambda x: -3 + 2 * x, "misspecified": lambda x: -2.5 + 3 * np.tanh(2 * x)}
    for case, logit in logits.items():  # the same draws, in the same order, as the snippet
        x = rng.normal(size=4000)
        y = (rng.random(4000) < sigmoid(logit(x))).astype(float)
        X = np.column_stack([np.ones_like(x), x])
        w_plain = newton_logistic(X, y, np.ones_like(y))
        w_weighted = newton_logistic(X, y, np.where(y == 1, 9.0, 1.0))
        assert_allclose(out[f"{case}, positives in training"], y.mean())
        assert_allclose(out[f"{case}, unweighted (intercept, slope)"], w_plain, atol=2e-3)
        assert_allclose(out[f"{case}, weighted (intercept, slope)"], w_weighted, atol=2e-3)
        x_test = rng.normal(size=50_000)
        q = sigmoid(logit(x_test))
        p_plain = sigmoid(w_plain[0] + w_plain[1] * x_test)
        p_weighted = sigmoid(w_weighted[0] + w_weighted[1] * x_test)
        assert_allclose(out[f"{case}, cost of unweighted at 0.5"], _cost(q, p_plain, 0.5), atol=2e-4)
        assert_allclose(out[f"{case}, cost of unweighted at t* = 0.1"], _cost(q, p_plain, 0.1), atol=2e-4)
        assert_allclose(out[f"{case}, cost of weighted at 0.5"], _cost(q, p_weighted, 0.5), atol=2e-4)
        bayes = _cost(q, q, 0.1)
        assert_allclose(out[f"{case}, cost of the Bayes rule q > 0.1"], bayes, atol=1e-4)
        best = out[f"{case}, best cost over thresholds (unweighted, weighted)"]
        assert (best >= bayes - 1e-4).all()  # no rule beats the Bayes rule on the true probabilities
    # What the page says about the two cases.
    shift = out["well specified, intercept shift vs log 9"]
    assert abs(shift[0] - np.log(9)) < 0.1 and abs(shift[1] - np.log(9)) < 1e-3
    assert abs(out["misspecified, intercept shift vs log 9"][0] - np.log(9)) > 0.3
    slopes = [out[f"{case}, {fit} (intercept, slope)"][1] for case in logits for fit in ("unweighted", "weighted")]
    assert abs(slopes[1] - slopes[0]) < 0.15 and slopes[3] - slopes[2] > 0.5
    assert out["well specified, cost of unweighted at 0.5"][0] > 1.8 * out["well specified, cost of weighted at 0.5"][0]
    mis_plain, mis_weighted = out["misspecified, cost of unweighted at t* = 0.1"][0], out["misspecified, cost of weighted at 0.5"][0]
    assert mis_plain - mis_weighted > 0.02
    assert mis_weighted - out["misspecified, cost of the Bayes rule q > 0.1"][0] < 1e-3


def test_thresholds_prior(printed):
    out = printed("guides/thresholds_prior.py")
    rng = np.random.default_rng(1)
    y = (rng.random(4000) < 0.5).astype(float)
    x = rng.normal(loc=1.5 * y)
    w = newton_logistic(np.column_stack([np.ones_like(x), x]), y, np.ones_like(y))
    pi = y.mean()
    y_new = (rng.random(50_000) < 0.05).astype(float)
    x_new = rng.normal(loc=1.5 * y_new)
    z = w[0] + w[1] * x_new
    shift = np.log(0.05 / 0.95) - np.log(pi / (1 - pi))
    bce = lambda y, z: np.mean(np.logaddexp(0, z) - y * z)  # noqa: E731
    assert_allclose(out["training prevalence"], pi)
    assert_allclose(out["deployment prevalence"], y_new.mean())
    assert_allclose(out["mean predicted probability, uncorrected"], np.mean(sigmoid(z)), atol=2e-4)
    assert_allclose(out["mean predicted probability, corrected"], np.mean(sigmoid(z + shift)), atol=2e-4)
    assert_allclose(out["deployment BCE, uncorrected"], bce(y_new, z), atol=2e-4)
    assert_allclose(out["deployment BCE, corrected"], bce(y_new, z + shift), atol=2e-4)
    # The fitted model is close to the true posterior at pi = 1/2: logit = 1.5 x - 1.125.
    assert_allclose(w, [-1.125, 1.5], atol=0.15)
    assert out["deployment BCE, corrected"][0] < out["deployment BCE, uncorrected"][0] / 3 * 1.05
