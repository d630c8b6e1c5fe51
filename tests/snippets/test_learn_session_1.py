"""Course session 1 (loss, risk and metric): the worked example's numbers against formulas written out here."""

import numpy as np
from numpy.testing import assert_allclose

X = np.array([1.0, 2.0, 3.0])
Y = np.array([2.0, 3.0, 5.0])
W = 1.0


def test_session_1_example(printed):
    out = printed("learn/session_1_example.py")
    r = W * X - Y  # residuals y_pred - y
    losses = 0.5 * r**2
    assert_allclose(out["pointwise losses"], losses)
    assert_allclose(out["pointwise losses"], [0.5, 0.5, 2.0])
    assert_allclose(out["(a) empirical risk"], np.sum(losses) / len(X))
    assert_allclose(out["(a) empirical risk"], 1.0)
    assert_allclose(out["(b) dR/dw"], np.sum(r * X) / len(X))
    assert_allclose(out["(b) dR/dw"], -3.0)
    weights = np.array([1.0, 1.0, 2.0])
    assert_allclose(out["(c) weighted risk"], np.sum(weights * losses) / np.sum(weights))
    assert_allclose(out["(c) weighted risk"], 1.25)
    batch = [0, 2]
    assert_allclose(out["(d) mini-batch dR/dw"], np.mean(r[batch] * X[batch]))
    assert_allclose(out["(d) mini-batch dR/dw"], -3.5)
