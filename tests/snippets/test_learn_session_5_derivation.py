"""Session 5 page, the derivations: the cross-entropy Hessian, the focal gradient and the smoothed
optimum, against formulas written out here."""

import math

import numpy as np
from numpy.testing import assert_allclose

Z = np.array([2.0, 0.0, -1.0])


def test_session_5_hessian(printed):
    out = printed("learn/session_5_derivation.py")
    e = np.exp(Z)
    p = e / e.sum()
    # H_1j = p_1 (delta_1j - p_j), written entry by entry
    assert_allclose(out["p"], p, atol=5e-5)
    assert_allclose(out["p"], [0.8438, 0.1142, 0.0420], atol=1e-12)
    row = [p[0] * (1 - p[0]), -p[0] * p[1], -p[0] * p[2]]
    assert_allclose(out["diag(p) - p p^T, first row"], row, atol=5e-5)
    assert_allclose(out["finite differences, first row"], row, atol=5e-5)
    assert_allclose(out["diag(p) - p p^T, first row"], [0.1318, -0.0964, -0.0354], atol=1e-12)
    assert_allclose(out["diagonal p(1 - p)"], p * (1 - p), atol=5e-5)
    # v^T H v is the variance of v under p: for v = (1, -1, 0), p_1 + p_2 - (p_1 - p_2)^2
    assert_allclose(out["curvature along v = (1, -1, 0)"], p[0] + p[1] - (p[0] - p[1]) ** 2, atol=5e-5)
    assert_allclose(out["curvature along v = (1, -1, 0)"], 0.4257, atol=1e-12)


def test_session_5_focal_gradient(printed):
    out = printed("learn/session_5_derivation.py")
    z, gamma, h = 0.5, 2.0, 1e-6

    def focal(t):  # -(1 - p)^gamma log p for y = 1
        p = 1 / (1 + math.exp(-t))
        return -((1 - p) ** gamma) * math.log(p)

    numeric = (focal(z + h) - focal(z - h)) / (2 * h)
    assert_allclose(out["focal gradient, product rule"], numeric, atol=5e-5)
    assert_allclose(out["focal gradient, lossref"], numeric, atol=5e-5)
    assert_allclose(out["focal gradient, lossref"], -0.1379, atol=1e-12)


def test_session_5_smoothed_gap(printed):
    out = printed("learn/session_5_derivation.py")
    # softmax(z) = (eps/3, 1 - eps + eps/3, eps/3) with eps = 0.1: the ratio is 0.9333 / 0.0333 = 28
    assert_allclose(out["smoothed target"], [0.1 / 3, 0.9 + 0.1 / 3, 0.1 / 3], atol=5e-5)
    assert_allclose(out["smoothed target"], [0.0333, 0.9333, 0.0333], atol=1e-12)
    assert_allclose(out["best gap z_c - z_j"], math.log(28), atol=5e-5)
    assert_allclose(out["best gap z_c - z_j"], 3.3322, atol=1e-12)
    assert out["largest |gradient| there"][0] < 1e-12


def test_session_5_focal_minimiser(printed):
    out = printed("learn/session_5_derivation.py")
    q, gamma = 0.8, 2.0

    def slope(p):  # d/dp of q [-(1 - p)^2 log p] + (1 - q) [-p^2 log(1 - p)]
        return (q * (gamma * (1 - p) * math.log(p) - (1 - p) ** 2 / p)
                + (1 - q) * (-gamma * p * math.log(1 - p) + p**2 / (1 - p)))

    lo, hi = 0.5, q
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if slope(mid) < 0 else (lo, mid)
    assert_allclose(out["focal minimiser for q = 0.8, gamma = 2"], lo, atol=5e-4)
    assert_allclose(out["focal minimiser for q = 0.8, gamma = 2"], 0.627, atol=1e-12)

