"""Second derivatives and likelihoods on the loss pages: each snippet's numbers recomputed here from
the formulas (closed forms with the standard library's math, not lossref)."""

import math

import numpy as np
from numpy.testing import assert_allclose

OUTLIER_SAMPLE = np.array([1.0, 2.0, 2.5, 3.0, 11.5])


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ----------------------------------------------------------------------------------- likelihoods
def test_mse_likelihood(printed):
    out = printed("losses/mse_likelihood.py")
    sigma = 1.5
    z = math.sqrt(2 * math.pi * sigma**2)
    assert_allclose(out["normalising constant, integrated"], z, rtol=1e-12)
    assert_allclose(out["normalising constant, sqrt(2 pi sigma^2)"], z)
    assert out["largest gap to the normal density"][0] < 1e-12
    assert_allclose(out["-log density - loss / (2 sigma^2), min and max"], [math.log(z)] * 2, rtol=1e-12)
    assert_allclose(out["log Z"], math.log(z), rtol=1e-12)
    assert out["largest gap to gaussian_nll(var=sigma^2, full=True)"][0] < 1e-12


def test_mae_likelihood(printed):
    out = printed("losses/mae_likelihood.py")
    b = 0.8
    assert_allclose(out["normalising constant, integrated"], 2 * b, rtol=1e-7)
    assert_allclose(out["normalising constant, 2 b"], 2 * b)
    assert out["largest gap to the Laplace density"][0] < 1e-7
    assert_allclose(out["-log density - loss / b, min and max"], [math.log(2 * b)] * 2, rtol=1e-12)
    assert_allclose(out["log(2 b)"], math.log(2 * b))
    assert_allclose(out["P(y <= y_hat)"], 0.5, rtol=1e-7)


def test_quantile_likelihood(printed):
    out = printed("losses/quantile_likelihood.py")
    tau, b = 0.9, 1.0
    z = b / (tau * (1 - tau))
    assert_allclose(out["normalising constant, integrated"], z, rtol=1e-7)
    assert_allclose(out["normalising constant, b / (tau (1 - tau))"], z)
    assert out["largest gap to the asymmetric Laplace density"][0] < 1e-7
    assert_allclose(out["-log density - loss / b, min and max"], [math.log(z)] * 2, rtol=1e-12)
    assert_allclose(out["log(b / (tau (1 - tau)))"], math.log(z))
    assert_allclose(out["P(y <= y_hat)"], tau, rtol=1e-7)


def test_log_cosh_likelihood(printed):
    out = printed("losses/log_cosh_likelihood.py")
    assert_allclose(out["normalising constant, integrated"], math.pi, rtol=1e-10)
    assert_allclose(out["normalising constant, pi"], math.pi)
    assert out["largest gap to sech(u) / pi"][0] < 1e-12
    assert_allclose(out["-log density - loss, min and max"], [math.log(math.pi)] * 2, rtol=1e-12)
    assert_allclose(out["log pi"], math.log(math.pi))
    assert_allclose(out["variance, integrated"], math.pi**2 / 4, rtol=1e-9)
    assert_allclose(out["pi^2 / 4"], math.pi**2 / 4)


def test_huber_likelihood(printed):
    out = printed("losses/huber_likelihood.py")
    delta = 1.345
    phi = math.exp(-delta**2 / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + math.erf(delta / math.sqrt(2)))
    # Z = integral of exp(-L): sqrt(2 pi) (2 Phi(delta) - 1) + 2 exp(-delta^2 / 2) / delta
    z = math.sqrt(2 * math.pi) * (2 * cdf - 1) + 2 * math.sqrt(2 * math.pi) * phi / delta
    assert_allclose(out["normalising constant, integrated"], z, rtol=1e-10)
    assert_allclose(out["normalising constant, closed form"], z, rtol=1e-14)
    assert_allclose(out["-log density - loss, min and max"], [math.log(z)] * 2, rtol=1e-10)
    assert_allclose(out["log Z"], math.log(z), rtol=1e-14)
    # Huber (1964): eps / (1 - eps) = 2 phi(delta) / delta - 2 Phi(-delta)
    ratio = 2 * phi / delta - 2 * (1 - cdf)
    assert_allclose(out["contamination eps for this delta"], ratio / (1 + ratio), rtol=1e-12)
    assert round(float(out["contamination eps for this delta"][0]), 3) == 0.058  # as the page says
    # efficiency (E psi')^2 / E psi^2 under N(0, 1), psi = clip(u, -delta, delta)
    e_dpsi = 2 * cdf - 1
    e_psi2 = (2 * cdf - 1) - 2 * delta * phi + 2 * delta**2 * (1 - cdf)
    assert_allclose(out["efficiency at the normal"], e_dpsi**2 / e_psi2, rtol=2e-5)  # a jump at |u| = delta
    assert_allclose(out["efficiency at the normal"], 0.95, atol=5e-4)


# ----------------------------------------------------------------------------------- second derivatives
def test_mse_newton(printed):
    out = printed("losses/mse_newton.py")
    y = OUTLIER_SAMPLE
    n = len(y)
    assert_allclose(out["second derivative per example"], [2.0] * n)
    # R(c) = mean (c - y)^2: R'(0) = -2 mean(y), R''(0) = 2
    assert_allclose(out["gradient and second derivative of the risk in c"], [-2 * y.mean(), 2.0])
    assert_allclose(out["one Newton step from 0"], y.mean())
    assert_allclose(out["mean of y"], 4.0)


def test_mae_hessian(printed):
    out = printed("losses/mae_hessian.py")
    y = OUTLIER_SAMPLE
    assert_allclose(out["gradient"], np.sign(0.0 - y))
    assert_allclose(out["second derivative"], np.zeros(5))
    assert_allclose(out["sum of second derivatives"], 0.0)
    assert_allclose(out["step with a second derivative of 1"], -np.sum(np.sign(-y)) / 5)
    assert_allclose(out["leaf value after the median update"], np.median(y))
    assert_allclose(out["quantile second derivative"], np.zeros(5))


def test_log_cosh_hessian(printed):
    out = printed("losses/log_cosh_hessian.py")
    r = np.array([0.5, 1.0, 5.0, 20.0])
    sech2 = 4 / (np.exp(r) + np.exp(-r)) ** 2
    assert_allclose(out["second derivative"], sech2, rtol=1e-8)
    assert_allclose(out["1 / cosh(r)^2"], sech2, rtol=1e-8)
    assert out["1 - tanh(r)^2, as written"][-1] == 0.0
    assert_allclose(out["Newton step"], -np.sinh(2 * r) / 2, rtol=1e-8)


def test_bce_with_logits_newton(printed):
    out = printed("losses/bce_with_logits_newton.py")
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    assert_allclose(out["gradient"], 0.5 - y)
    assert_allclose(out["second derivative"], [0.25] * 6)
    assert_allclose(out["leaf value, lambda = 1"], -np.sum(0.5 - y) / (6 * 0.25 + 1))
    c, steps = 0.0, []
    for _ in range(5):
        p = _sigmoid(c)
        c -= np.sum(p - y) / (6 * p * (1 - p))
        steps.append(c)
    for k, expected in enumerate(steps, start=1):
        assert_allclose(out[f"Newton step {k}"], expected, rtol=1e-13)
    assert_allclose(out["log-odds of the mean label"], math.log(2.0))
    assert_allclose(steps[-1], math.log(2.0), rtol=1e-14)
    e = math.exp(-40.0)
    assert_allclose(out["second derivative at z = 40"], e / (1 + e) ** 2, rtol=1e-8)  # as printed
    assert_allclose(out["second derivative at z = 40"], 4.2e-18, rtol=0.02)  # "about 4e-18" on the page
    assert_allclose(out["sigma (1 - sigma) written out at z = 40"], 0.0)


def test_cross_entropy_hessian(run_snippet, printed):
    text = run_snippet("losses/cross_entropy_hessian.py")
    out = printed("losses/cross_entropy_hessian.py")
    z = np.array([2.0, 0.0, -1.0])
    p = np.exp(z) / np.exp(z).sum()
    block = np.diag(p) - np.outer(p, p)
    rows = [line for line in text.splitlines() if line.strip().startswith("[")][:3]
    printed_block = np.array([[float(v) for v in row.replace("[", " ").replace("]", " ").split()] for row in rows])
    assert_allclose(printed_block, block, atol=1e-6)
    assert out["largest gap to diag(p) - p p^T"][0] < 1e-15
    assert "symmetric: True" in text
    assert out["largest row sum"][0] < 1e-15
    assert_allclose(out["eigenvalues"], np.linalg.eigvalsh(block), atol=1e-6)
    assert out["eigenvalues"][0] == 0.0
    assert "same block with label_smoothing=0.2: True" in text


def test_focal_hessian(printed):
    out = printed("losses/focal_hessian.py")
    gamma = 0.5
    z = np.array([5.0, 20.0, 40.0])
    asymptote = (1 + gamma) ** 2 * np.exp(-(1 + gamma) * z)
    assert_allclose(out["(1 + gamma)^2 e^(-(1 + gamma) z)"], asymptote, rtol=1e-8)
    # the exact value in float64 from q = sigma(-z) and CE = softplus(-z), by the formula of the docs
    p, q = _sigmoid(z), _sigmoid(-z)
    s, ce = p * q, np.log1p(np.exp(-z))
    rho = -s / q
    exact = q**gamma * (gamma * (gamma - 1) * rho**2 * ce + gamma * rho * (1 - 2 * p) * ce
                        + 2 * gamma * rho * (-q) + s)  # p - 1 = -q, without rounding
    assert_allclose(out["lossref, float32"], exact, rtol=1e-5)
    assert_allclose(out["lossref, float32"][1:], asymptote[1:], rtol=1e-5)
    naive = out["naive, float32"]
    assert np.isfinite(naive[0]) and np.all(np.isnan(naive[1:]))
    # y = 0, z = 5: q = p, rho = 1 - p, CE = softplus(5)
    p, q = _sigmoid(5.0), _sigmoid(-5.0)
    s, ce = p * q, math.log1p(math.exp(5.0))
    rho = q
    wrong = p**gamma * (gamma * (gamma - 1) * rho**2 * ce + gamma * rho * (1 - 2 * p) * ce
                        + 2 * gamma * rho * p + s)
    assert_allclose(out["confidently wrong, y = 0, z = 5"], wrong, rtol=1e-5)  # as printed
    assert wrong < 0
