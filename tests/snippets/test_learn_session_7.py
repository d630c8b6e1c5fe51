"""Course session 7 (custom losses): the worked example's numbers, recomputed here from the formulas."""

import numpy as np
from numpy.testing import assert_allclose


def test_session_7_weighted_bce_batch(printed):
    out = printed("learn/session_7_example.py")
    y = np.array([1.0, 0.0, 0.0, 0.0])
    p = np.array([0.4, 0.2, 0.1, 0.3])
    alpha, beta = 3.0, 0.5
    # -[alpha y log p + beta (1 - y) log(1 - p)], one term per example
    weighted = -(alpha * y * np.log(p) + beta * (1 - y) * np.log(1 - p))
    unweighted = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    w = alpha * y + beta * (1 - y)
    assert_allclose(weighted, [3 * 0.916291, 0.5 * 0.223144, 0.5 * 0.105361, 0.5 * 0.356675], rtol=1e-5)
    assert_allclose(out["weighted losses"], weighted, rtol=1e-7)  # NumPy prints 8 digits
    assert_allclose(out["sum of the weights"], 4.5)
    assert_allclose(out["class-weighted mean"], weighted.sum() / w.sum(), rtol=1e-12)
    assert_allclose(out["class-weighted mean"], 0.68699, atol=5e-6)  # the value the page quotes
    assert_allclose(out["weighted sum / n"], weighted.sum() / 4, rtol=1e-12)
    assert_allclose(out["unweighted mean"], unweighted.mean(), rtol=1e-12)
    assert_allclose(out["positive's share, unweighted"], unweighted[0] / unweighted.sum(), rtol=1e-12)
    assert_allclose(out["positive's share, weighted"], weighted[0] / weighted.sum(), rtol=1e-12)
    # d/dp of -[alpha y log p + beta (1 - y) log(1 - p)] = -alpha y / p + beta (1 - y) / (1 - p)
    grad = np.abs(-alpha * y / p + beta * (1 - y) / (1 - p))
    assert_allclose(grad[0], 7.5)
    assert_allclose(out["positive's share of the gradient, weighted"], grad[0] / grad.sum(), rtol=1e-7)
    assert round(100 * out["positive's share of the gradient, weighted"][0]) == 80  # the page's number
    assert round(100 * out["positive's share, unweighted"][0]) == 57
    assert round(100 * out["positive's share, weighted"][0]) == 89
