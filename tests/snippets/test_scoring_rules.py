"""The scoring-rules guide: snippet output against closed forms and NumPy, SciPy and scikit-learn."""

import math

import numpy as np
from numpy.testing import assert_allclose


def test_expected_scores_of_a_bernoulli(printed):
    out = printed("guides/scoring_bernoulli.py")
    q = 0.7
    # d/dp [q (1 - p)^2 + (1 - q) p^2] = 2 (p - q); d/dp [-q log p - (1 - q) log(1 - p)] = (p - q) / (p (1 - p))
    assert_allclose(out["log loss, minimised by p in"], [q, q])
    assert_allclose(out["Brier, minimised by p in"], [q, q])
    assert_allclose(out["absolute error, minimised by p in"], [1.0, 1.0])  # q + (1 - 2q) p, decreasing in p
    assert_allclose(out["0-1 loss, minimised by p in"], [0.5001, 1.0])  # every p > 1/2 on the grid
    assert_allclose(out["absolute error at p = q, at p = 1"], [2 * q * (1 - q), 1 - q])
    assert_allclose(out["Brier at p = q, at p = 1"], [q * (1 - q), 1 - q])
    a, b, q2 = 4, 1, 0.2
    assert_allclose(out["weighted log loss, q = 0.2, minimised by p"], a * q2 / (a * q2 + b * (1 - q2)))


def test_minimisers(printed):
    from sklearn.metrics import mean_pinball_loss

    out = printed("guides/scoring_minimisers.py")
    rng = np.random.default_rng(0)
    y = rng.gamma(2.0, 1.5, 401)
    step = 0.005
    for label, value in (("mse", y.mean()), ("mae", np.median(y)), ("poisson_nll on the rate", y.mean())):
        got, stat = out[label]
        assert_allclose(stat, value, atol=5e-4)
        assert abs(got - value) <= step / 2 + 5e-4
    got, stat = out["quantile, tau = 0.9"][[0, -1]]  # the line also prints the 0.9 of "0.9-quantile"
    order_stat = np.sort(y)[math.ceil(0.9 * len(y)) - 1]  # the pinball loss's minimiser for n tau not an integer
    assert_allclose(stat, np.quantile(y, 0.9), atol=5e-4)
    assert abs(got - order_stat) <= step
    grid = np.array([got - step, got, got + step])
    risks = [mean_pinball_loss(y, np.full_like(y, c), alpha=0.9) for c in grid]
    assert np.argmin(risks) == 1  # scikit-learn agrees that the printed grid point is the best of its neighbours
    labels = rng.choice(3, size=1000, p=[0.5, 0.3, 0.2])
    assert_allclose(out["class frequencies"], np.bincount(labels, minlength=3) / 1000)
    assert np.abs(out["gradient in the shared logits"]).max() < 1e-12


def test_bregman_divergences(printed):
    from scipy.special import rel_entr, xlogy
    from sklearn.metrics import mean_poisson_deviance

    out = printed("guides/scoring_bregman.py")
    y, p = np.array([0.0, 0.3, 1.0, 0.8]), np.array([0.2, 0.5, 0.6, 0.9])
    assert_allclose(out["D, phi = t^2"], (y - p) ** 2, atol=1e-8)
    assert_allclose(out["lr.mse"], (y - p) ** 2, atol=1e-8)
    kl = rel_entr(y, p) + rel_entr(1 - y, 1 - p)  # KL(Bernoulli(y) || Bernoulli(p))
    assert_allclose(out["D, phi = negative entropy"], kl, rtol=1e-7)
    assert_allclose(out["lr.bce minus the entropy of y"], kl, rtol=1e-7)
    counts, rate = np.array([0.0, 1.0, 2.0, 5.0]), np.array([0.5, 1.5, 2.0, 3.0])
    half_deviance = xlogy(counts, counts / rate) - counts + rate
    assert_allclose(out["D, phi = t log t - t"], half_deviance, rtol=1e-7, atol=1e-12)
    assert_allclose(out["poisson_nll(log_input=False) - D"], counts - xlogy(counts, counts), rtol=1e-7, atol=1e-7)
    assert_allclose(out["y - y log y"], counts - xlogy(counts, counts), rtol=1e-7)
    stirling = np.where(counts > 1, 0.5 * np.log(2 * np.pi * np.maximum(counts, 1)), counts - xlogy(counts, counts))
    assert_allclose(out["poisson_nll(full=True) - D"], stirling, rtol=1e-7)
    assert_allclose(out["poisson_nll(full=True) - D"][2], 1.2655, atol=5e-5)  # the value the page quotes
    assert_allclose(out["Poisson deviance, 2 mean D"], mean_poisson_deviance(counts, rate), rtol=1e-12)
    rng = np.random.default_rng(0)
    sample = rng.gamma(2.0, 1.5, 300)
    for label in ("argmin of mean D(y, p), phi = t^2", "argmin of mean D(y, p), phi = t log t - t", "sample mean"):
        assert abs(out[label][-1] - sample.mean()) <= 1e-3
    geometric = np.exp(np.log(sample).mean())
    # d/dp mean [p log(p / y) - p + y] = log p - mean log y: zero at the geometric mean
    assert abs(out["argmin of mean D(p, y), phi = t log t - t"][-1] - geometric) <= 1e-3
    assert_allclose(out["geometric mean"], geometric, atol=5e-4)
