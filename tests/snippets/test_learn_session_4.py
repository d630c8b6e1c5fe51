"""Session 4 page: the worked example's binary cross-entropies against softplus written out here."""

import numpy as np
from numpy.testing import assert_allclose

Y = np.array([1.0, 0.0, 0.0])
Z = np.array([-1.0, 3.0, 800.0])


def softplus(x):
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def test_session_4_example(printed):
    out = printed("learn/session_4_example.py")
    assert np.isposinf(out["naive losses"][2]) and np.isfinite(out["naive losses"][:2]).all()
    losses = Y * softplus(-Z) + (1 - Y) * softplus(Z)
    assert_allclose(out["losses"], losses, atol=5e-5)
    assert_allclose(out["losses"], [1.3133, 3.0486, 800.0], atol=1e-12)  # the digits the page quotes
    assert_allclose(out["mean loss"], losses.mean(), atol=5e-5)
    assert_allclose(out["mean loss"], 268.1206, atol=1e-12)
    sigmoid = 0.5 * (1 + np.tanh(Z / 2))
    assert_allclose(out["gradient of the mean"], (sigmoid - Y) / 3, atol=5e-5)
    assert_allclose(out["gradient of the mean"], [-0.2437, 0.3175, 0.3333], atol=1e-12)
