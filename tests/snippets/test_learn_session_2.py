"""Course session 2 (regression losses): the worked example's numbers against formulas written out here."""

import numpy as np
from numpy.testing import assert_allclose

Y = np.array([0.5, 1.0, 2.0, 2.5, 9.0])
C = 2.0  # the constant prediction


def test_session_2_example(printed):
    out = printed("learn/session_2_example.py")
    r = C - Y  # residuals y_pred - y
    n = len(Y)
    assert_allclose(out["residuals"], [1.5, 1.0, 0.0, -0.5, -7.0])
    assert_allclose(out["residuals"], r)
    assert_allclose(out["MSE"], np.sum(r**2) / n)
    assert_allclose(out["MSE"], 10.5)
    assert_allclose(out["MSE gradient"], 2 * r / n)
    assert_allclose(out["half squared error, derivatives"], r)
    assert_allclose(out["absolute error, derivatives"], [1.0, 1.0, 0.0, -1.0, -1.0])  # 0 at the tie
    delta = 2.0
    huber = np.where(np.abs(r) <= delta, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))
    assert_allclose(out["Huber (delta=2), losses"], huber)
    assert_allclose(out["Huber (delta=2), losses"], [1.125, 0.5, 0.0, 0.125, 12.0])
    assert_allclose(out["Huber (delta=2), derivatives"], np.minimum(delta, np.maximum(-delta, r)))
    tau = 0.9
    u = Y - C  # target minus prediction
    assert_allclose(out["pinball (tau=0.9), losses"], np.maximum(tau * u, (tau - 1) * u))
    assert_allclose(out["pinball (tau=0.9), losses"], [0.15, 0.1, 0.0, 0.45, 6.3])
    assert_allclose(out["log-cosh, derivatives"], np.sinh(r) / np.cosh(r), rtol=1e-7)
    # Derivative of the risk of a constant c: MSE 2 (c - mean), MAE mean of sign(c - y)
    for c in (2.0, 3.0):
        expected = [2 * (c - Y.mean()), np.mean(np.sign(c - Y))]
        assert_allclose(out[f"dR/dc at c = {c:g}, MSE and MAE"], expected, atol=1e-12)
    assert_allclose(out["mean and median of y"], [np.sum(Y) / n, np.sort(Y)[n // 2]])
    assert_allclose(out["mean and median of y"], [3.0, 2.0])
