"""Course session 8 (calibration, scoring rules): the worked example's numbers, recomputed here from the formulas."""

import numpy as np
from numpy.testing import assert_allclose
from scipy.optimize import minimize_scalar


def test_session_8_temperature_newton_step(printed):
    out = printed("learn/session_8_example.py")
    z = np.array([2.0, -1.0, 4.0, -3.0])
    y = np.array([1.0, 1.0, 1.0, 0.0])
    s = 1 / (1 + np.exp(-z))

    def nll(beta):  # mean log(1 + e^u) - y u at u = beta z
        return np.mean(np.logaddexp(0.0, beta * z) - y * beta * z)

    slope = np.mean((s - y) * z)
    curvature = np.mean(s * (1 - s) * z**2)
    # the numbers the page works by hand
    assert_allclose(s, [0.8808, 0.2689, 0.9820, 0.0474], atol=5e-5)
    assert_allclose((s - y) * z, [-0.2384, 0.7311, -0.0719, -0.1423], atol=5e-5)
    assert_allclose(s * (1 - s) * z**2, [0.4200, 0.1966, 0.2826, 0.4066], atol=5e-5)
    assert_allclose([slope, curvature], [0.0696, 0.3264], atol=5e-5)
    assert_allclose(out["sigma(z)"], s, rtol=1e-7)
    assert_allclose(out["L'(1)"], slope, rtol=1e-10)
    assert_allclose(out["L''(1)"], curvature, rtol=1e-10)
    beta = 1 - slope / curvature
    assert_allclose(out["beta after one step"], beta, rtol=1e-10)
    assert_allclose(out["T after one step"], 1 / beta, rtol=1e-10)
    assert_allclose([beta, 1 / beta], [0.7868, 1.271], atol=5e-4)
    assert_allclose(out["NLL at T = 1"], nll(1.0), rtol=1e-10)
    assert_allclose(out["NLL after one step"], nll(beta), rtol=1e-10)
    assert_allclose([nll(1.0), nll(beta)], [0.3767, 0.3707], atol=5e-5)
    best = minimize_scalar(nll, bounds=(0.1, 2.0), method="bounded", options={"xatol": 1e-10})
    assert_allclose(out["T at the minimum"], 1 / best.x, rtol=1e-6)
    assert_allclose(out["NLL at the minimum"], best.fun, rtol=1e-9)
    assert_allclose([1 / best.x, best.fun], [1.2105, 0.3703], atol=5e-5)
