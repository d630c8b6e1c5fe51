"""Session 6 page, the derivations: phi'(0) of the margin losses and the hinge subgradient of a linear
model, against formulas written out here."""

import numpy as np
from numpy.testing import assert_allclose


def test_session_6_slopes_at_zero(printed):
    out = printed("learn/session_6_derivation.py")
    # max(0, 1 - m) is 1 - m near 0; log(1 + e^-m) has slope -1/(1 + e^0); (1 - m)^2 has slope -2(1 - 0)
    assert_allclose(out["hinge phi'(0)"], -1.0, atol=5e-5)
    assert_allclose(out["logistic phi'(0)"], -0.5, atol=5e-5)
    assert_allclose(out["squared_hinge phi'(0)"], -2.0, atol=5e-5)
    assert_allclose(out["max(0, -m), slope left and right of 0"], [-1.0, 0.0], atol=5e-5)


def test_session_6_batch_subgradient(printed):
    out = printed("learn/session_6_derivation.py")
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [2.0, -1.0]])
    y = np.array([1.0, -1.0, 1.0])
    m = y * (X @ np.array([0.5, -0.5]))
    assert_allclose(out["margins y*s"], m)
    assert_allclose(out["margins y*s"], [-0.5, 0.75, 1.5])
    inside = m < 1
    assert_allclose(out["subgradient in the scores"], np.where(inside, -y, 0.0) / 3, atol=5e-5)
    expected = sum(-y[i] * X[i] for i in range(3) if inside[i]) / 3
    assert_allclose(out["subgradient in w"], expected, atol=5e-5)
    assert_allclose(out["subgradient in w"], [-0.6667, -0.5], atol=1e-12)
