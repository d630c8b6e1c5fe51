"""Course session 3 (minimisers and likelihoods): the worked example's numbers against formulas written out
here."""

import math

import numpy as np
from numpy.testing import assert_allclose

COUNTS = np.array([0.0, 1.0, 3.0, 2.0, 4.0])
Y = np.array([1.0, 2.0, 4.0, 3.0])
MU = np.array([1.5, 2.0, 3.0, 3.5])
TARGETS = np.array([3.0, 7.0, 1.0, 9.0, 4.0, 12.0, 6.0])
SAMPLE = np.array([2.0, 2.4, 2.6, 3.0, 12.0])


def test_session_3_example(printed):
    out = printed("learn/session_3_example.py")
    # (a) Poisson: e^eta - y eta, its gradient (e^eta - y)/n, and the best log-rate log(mean)
    rate = math.exp(0.5)
    assert_allclose(out["Poisson NLL per example"], rate - 0.5 * COUNTS, rtol=1e-7)
    assert_allclose(out["Poisson NLL, mean"], rate - 0.5 * 2.0)
    assert_allclose(out["gradient in the log-rates"], (rate - COUNTS) / 5, rtol=1e-7)
    assert_allclose(out["dR/d(eta) for one shared log-rate"], rate - 2.0)
    assert_allclose(out["same model as rates, log_input=False"], rate - 0.5 * 2.0, rtol=1e-7)
    assert_allclose(out["best log-rate, log(mean)"], math.log(2.0))
    assert_allclose(out["Poisson NLL there"], 2.0 - 2.0 * math.log(2.0))
    assert_allclose(out["gradient sum there"], 0.0, atol=1e-12)
    # (b) Gaussian: the best shared variance is the mean squared residual, the NLL there 0.5 (log v + 1)
    v = np.mean((MU - Y) ** 2)
    assert_allclose(out["best shared variance"], v)
    assert_allclose(out["best shared variance"], 0.375)
    assert_allclose(out["Gaussian NLL there"], 0.5 * (math.log(v) + 1.0))
    assert_allclose(out["Gaussian NLL at var=1 and half MSE"], [0.5 * np.mean((MU - Y) ** 2)] * 2)
    floored = np.array([0.25, 1e-6, 1.0, 0.25])  # 1e-8 is below the floor eps = 1e-6
    r = MU - Y
    assert_allclose(out["per-example variances, losses"], 0.5 * (np.log(floored) + r**2 / floored), rtol=1e-7)
    assert_allclose(out["per-example variances, losses"][1], 0.5 * math.log(1e-6), rtol=1e-7)
    assert_allclose(out["per-example variances, gradient in the means"], r / floored)
    # (c) pinball at tau = 0.8: the ceil(n tau)-th smallest target, here the 6th of 7
    tau = 0.8

    def pinball(c):
        u = TARGETS - c
        return np.mean(np.maximum(tau * u, (tau - 1) * u))

    assert_allclose(out["pinball risk at 7, 9, 12"], [pinball(c) for c in (7.0, 9.0, 12.0)], atol=1e-6)
    k = math.ceil(len(TARGETS) * tau)
    assert_allclose(out["pinball minimiser"], np.sort(TARGETS)[k - 1])
    assert_allclose(out["pinball minimiser"], 9.0)
    # (d) Huber with delta = 1: the four inliers unclipped, the outlier's residual clipped to -1
    c = (SAMPLE[:4].sum() + 1.0) / 4
    assert_allclose(out["Huber minimiser"], c)
    assert_allclose(out["Huber minimiser"], 2.75)
    assert np.all(np.abs(c - SAMPLE[:4]) <= 1.0) and SAMPLE[4] - c > 1.0
    assert_allclose(np.clip(c - SAMPLE, -1.0, 1.0).sum(), 0.0, atol=1e-12)
    assert_allclose(out["mean and median of the sample"], [SAMPLE.mean(), np.sort(SAMPLE)[2]])
