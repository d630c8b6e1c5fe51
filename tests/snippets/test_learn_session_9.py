"""Course session 9 (choosing a loss): the worked example's numbers, recomputed here from the minimisers."""

import math

import numpy as np
from numpy.testing import assert_allclose


def test_session_9_delivery_times(printed):
    out = printed("learn/session_9_example.py")
    minutes = np.array([27.0, 28, 29, 30, 30, 31, 32, 33, 35, 300])
    good, bad = minutes[:-1], minutes[-1]
    delta, tau = 5.0, 0.99

    # Squared error: the mean.
    assert_allclose(out["best constant, mse"], minutes.mean(), atol=0.005)
    assert_allclose(out["best constant, mse"], 57.5, atol=0.005)

    # Huber: sum of clip(c - y, -delta, delta) = 0. With the bad row clipped at -delta and the nine
    # others inside the quadratic zone, 9 c - sum(good) - delta = 0.
    c = (good.sum() + delta) / good.size
    assert np.all(np.abs(c - good) <= delta) and c - bad < -delta  # the assumption holds
    assert_allclose(np.clip(c - minutes, -delta, delta).sum(), 0.0, atol=1e-12)
    assert_allclose(out["best constant, huber, delta=5"], c, atol=0.005)
    assert_allclose(out["best constant, huber, delta=5"], 31.11, atol=0.005)

    # Pinball loss: the tau-quantile, the ceil(tau n)-th smallest value (F jumps past tau there).
    k = math.ceil(tau * minutes.size)
    assert_allclose(out["best constant, quantile, tau=0.99"], np.sort(minutes)[k - 1], atol=0.005)
    assert_allclose(out["best constant, quantile, tau=0.99"], 300.0, atol=0.005)

    # Gradients at a prediction of 31: half squared error gives the residual, Huber clips it at delta.
    r = 31.0 - minutes
    assert_allclose(out["gradient at 31, mse, bad row"], r[-1])
    assert_allclose(out["gradient at 31, mse, bad row"], -269.0)
    assert_allclose(out["gradient at 31, mse, nine others summed"], r[:-1].sum())
    assert_allclose(out["gradient at 31, huber, delta=5, bad row"], -delta)
    assert_allclose(out["gradient at 31, huber, delta=5, nine others summed"], np.clip(r[:-1], -delta, delta).sum())
