"""Session 4 page, the derivations: a Newton step, the BCE-minimising logit and the gradient through a
linear layer, against formulas written out here."""

import math

import numpy as np
from numpy.testing import assert_allclose

X = np.array([-1.0, 0.5, 2.0])
Y = np.array([1.0, 0.0, 1.0])


def sigmoid(z):
    return 0.5 * (1 + np.tanh(np.asarray(z) / 2))


def score(w):  # dR/dw of the summed BCE
    return float(np.sum((sigmoid(w * X) - Y) * X))


def test_session_4_newton_steps(printed):
    out = printed("learn/session_4_derivation.py")
    assert_allclose(out["R'(0)"], np.sum((0.5 - Y) * X), atol=5e-5)
    assert_allclose(out["R'(0)"], -0.25, atol=1e-12)  # the digits the page quotes
    assert_allclose(out["R''(0)"], 0.25 * np.sum(X**2), atol=5e-5)
    assert_allclose(out["R''(0)"], 1.3125, atol=1e-12)
    assert_allclose(out["w after step 1"], 0.25 / 1.3125, atol=5e-7)
    lo, hi = -5.0, 5.0  # the minimiser of the convex R: the root of the increasing R', by bisection
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if score(mid) < 0 else (lo, mid)
    assert_allclose(out["w after step 4"], lo, atol=5e-7)
    assert_allclose(out["w after step 3"], lo, atol=5e-7)  # Newton converged in three steps
    assert round(float(out["w after step 1"][0]), 4) == 0.1905 and round(lo, 4) == 0.1924


def test_session_4_best_logit(printed):
    out = printed("learn/session_4_derivation.py")
    assert_allclose(out["z* = log 3"], math.log(3), atol=5e-5)
    assert_allclose(out["z* = log 3"], 1.0986, atol=1e-12)
    risks = out["mean BCE at z* - 0.1, z*, z* + 0.1"]
    z = math.log(3) + np.array([-0.1, 0.0, 0.1])
    expected = -(0.75 * np.log(sigmoid(z)) + 0.25 * np.log(1 - sigmoid(z)))
    assert_allclose(risks, expected, atol=5e-7)
    assert risks[1] < risks[0] and risks[1] < risks[2]


def test_session_4_linear_layer(printed):
    out = printed("learn/session_4_derivation.py")
    W = np.array([[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8]])
    x = np.array([1.5, -0.5])
    z = W @ x
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    g = p - np.array([0.0, 0.0, 1.0])
    assert_allclose(out["gradient in the logits"], g, atol=5e-5)
    assert_allclose(out["gradient in W, row by row"], np.outer(g, x).ravel(), atol=5e-5)
    assert_allclose(out["gradient in W, row by row"][4:], [-1.4196, 0.4732], atol=1e-12)  # quoted on the page
