"""Regression loss pages: each snippet's printed numbers against the formulas, computed here."""

import numpy as np
from numpy.testing import assert_allclose


def test_mse(printed):
    out = printed("losses/mse.py")
    y = np.array([2.0, 3.0, 0.5, 1.0])
    y_pred = np.array([1.0, 2.0, 1.5, 4.0])
    r = y_pred - y
    assert_allclose(out["per example"], r**2)
    assert_allclose(out["mean"], np.mean(r**2))
    assert_allclose(out["mean, half=True"], np.mean(r**2) / 2)
    assert_allclose(out["gradient"], 2 * r / len(r))
    assert_allclose(out["gradient, half=True"], r / len(r))


def test_mse_minimizer(printed):
    out = printed("losses/mse_minimizer.py")
    y = np.array([1.0, 2.0, 2.5, 3.0, 11.5])
    assert_allclose(out["best constant"], y.mean(), atol=1e-3)  # the grid step
    assert_allclose(out["mean of y"], y.mean())
    assert out["best constant"] != np.median(y)


# ----------------------------------------------------------------------------------- helpers
def _root(f, lo, hi, iters=200):
    """The zero of an increasing function on [lo, hi], by bisection."""
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
    return 0.5 * (lo + hi)


def _huber(r, delta):
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta))


def _smooth_l1(r, beta):
    a = np.abs(r)
    if beta == 0:
        return a
    return np.where(a < beta, 0.5 * r**2 / beta, a - 0.5 * beta)


def _pinball(y, y_pred, tau):
    u = y - y_pred
    return np.where(u >= 0, tau * u, (tau - 1) * u)


OUTLIER_SAMPLE = np.array([1.0, 2.0, 2.5, 3.0, 11.5])


# ----------------------------------------------------------------------------------- mae
def test_mae(printed):
    out = printed("losses/mae.py")
    y = np.array([2.0, 3.0, 0.5, 1.0])
    y_pred = np.array([1.0, 2.0, 1.5, 4.0])
    r = y_pred - y
    assert_allclose(out["per example"], np.abs(r))
    assert_allclose(out["mean"], 1.5)
    assert_allclose(out["gradient"], np.sign(r) / 4)
    assert_allclose(out["MSE gradient, for comparison"], 2 * r / 4)
    # the outlier's entry is no larger than the others'
    assert np.all(np.abs(out["gradient"]) == 0.25)
    assert_allclose(out["gradient, second example exact"], [-0.25, 0.0, 0.25, 0.25])


def test_mae_minimizer(printed):
    out = printed("losses/mae_minimizer.py")
    y = OUTLIER_SAMPLE
    assert_allclose(out["best constant"], np.median(y))
    assert_allclose(out["median of y"], 2.5)
    assert_allclose(out["mean of y"], y.mean())
    y_even = np.array([1.0, 2.0, 3.0, 11.5])
    expected = [np.mean(np.abs(y_even - c)) for c in (2.0, 2.5, 3.0)]
    assert_allclose(out["risk at c = 2, 2.5, 3"], expected)
    assert_allclose(out["risk at c = 2, 2.5, 3"], 2.875)  # flat between the middle values


def test_mae_step(printed):
    out = printed("losses/mae_step.py")
    y = OUTLIER_SAMPLE
    step, n = 0.3, len(y)
    c_mae = c_mse = 0.0
    history = []
    for _ in range(200):
        c_mae -= step * np.mean(np.sign(c_mae - y))  # d/dc of mean |c - y|
        c_mse -= step * 2 * (c_mse - y.mean())  # d/dc of mean (c - y)^2
        history.append(c_mae)
    assert_allclose(out["MAE, last four iterates"], history[-4:], atol=1e-6)
    a, b, c, d = out["MAE, last four iterates"]
    assert a == c and b == d  # a 2-cycle ...
    assert_allclose(abs(b - a), step / n)  # ... of width step / n = 0.06 ...
    assert min(a, b) < np.median(y) < max(a, b)  # ... across the median
    assert_allclose(out["MAE, last four iterates"], [2.46, 2.52, 2.46, 2.52])
    assert_allclose(out["MSE, last iterate"], y.mean(), atol=1e-6)
    assert_allclose(out["median, mean"], [2.5, 4.0])


# ----------------------------------------------------------------------------------- huber and smooth L1
HUBER_Y = np.array([2.0, 3.0, 0.5, 1.0])
HUBER_PRED = np.array([1.5, 3.2, 1.5, 4.0])


def test_huber(printed):
    out = printed("losses/huber.py")
    r = HUBER_PRED - HUBER_Y
    assert_allclose(r, [-0.5, 0.2, 1.0, 3.0])
    assert_allclose(out["per example, delta=1"], _huber(r, 1.0))
    assert_allclose(out["per example, delta=1"], [0.125, 0.02, 0.5, 2.5])
    assert_allclose(out["mean, delta=1"], np.mean(_huber(r, 1.0)))
    assert_allclose(out["per example, delta=2"], [0.125, 0.02, 0.5, 4.0])
    assert_allclose(out["derivative, delta=1"], np.clip(r, -1, 1))
    assert_allclose(out["derivative, delta=2"], np.clip(r, -2, 2))
    assert_allclose(out["derivative, delta=2"][-1], 2.0)
    assert_allclose(out["gradient of the mean, delta=1"], np.clip(r, -1, 1) / 4)


def test_huber_minimizer(printed):
    out = printed("losses/huber_minimizer.py")
    y = OUTLIER_SAMPLE
    previous = -np.inf
    for delta, expected in ((0.5, 2.5), (2.0, 2.625), (5.0, 3.375), (20.0, 4.0)):
        location = _root(lambda m: np.sum(np.clip(m - y, -delta, delta)), 0.0, 12.0)
        assert_allclose(location, expected)
        best = out[f"best constant, delta={delta}"]
        assert_allclose(best, location, atol=1e-3)  # the grid step
        assert best >= previous  # on this sample delta slides the answer from the median to the mean
        previous = best
    assert_allclose(out["best constant, delta=0.5"], np.median(y))
    assert_allclose(out["best constant, delta=20.0"], y.mean())


def test_huber_skewed(printed):
    out = printed("losses/huber_skewed.py")
    y = np.array([0.3, 0.4, 0.9, 1.4, 1.6, 1.8, 5.3])
    assert_allclose(out["median of y"], 1.4)
    assert_allclose(out["mean of y"], 1.671, atol=5e-4)
    assert_allclose(y.mean(), 11.7 / 7)
    exact = {0.1: 1.4, 0.7: 1.25, 1.0: 3.7 / 3, 3.0: 4.7 / 3, 5.0: 11.7 / 7}  # solved by hand, piece by piece
    for delta, expected in exact.items():
        location = _root(lambda m: np.sum(np.clip(m - y, -delta, delta)), 0.0, 6.0)
        assert_allclose(location, expected)
        assert_allclose(out[f"huber best constant, delta={delta}"], location, atol=1e-3)  # the grid step
    # the counterexample: below the median, so not between the median and the mean
    assert out["huber best constant, delta=0.7"] < np.median(y) < y.mean()
    assert out["huber best constant, delta=1.0"] < np.median(y)
    # the two limits: a median for a small delta, the mean once no residual is clipped
    assert_allclose(out["huber best constant, delta=0.1"], np.median(y))
    assert_allclose(out["huber best constant, delta=5.0"], y.mean(), atol=5e-4)
    location = _root(lambda m: np.sum(np.tanh(m - y)), 0.0, 6.0)
    assert_allclose(out["log_cosh best constant"], location, atol=1e-3)
    assert_allclose(location, 1.2988, atol=1e-4)
    assert out["log_cosh best constant"] < np.median(y)


def test_huber_units(printed):
    out = printed("losses/huber_units.py")
    rng = np.random.default_rng(1)
    y = rng.normal(10.0, 2.0, size=1000)
    y_pred = y + rng.normal(0.0, 0.3, size=1000)
    for unit, scale in (("metres", 1.0), ("millimetres", 1000.0)):
        r = scale * (y_pred - y)
        huber = np.mean(_huber(r, 1.0))
        assert_allclose(out[f"share of |r| > delta=1, {unit}"], np.mean(np.abs(r) > 1.0))
        assert_allclose(out[f"huber / half MSE, {unit}"], huber / np.mean(0.5 * r**2))
        assert_allclose(out[f"huber / MAE, {unit}"], huber / np.mean(np.abs(r)))
    # metres: every residual in the quadratic zone, so exactly half the squared error
    assert out["share of |r| > delta=1, metres"] == 0
    assert_allclose(out["huber / half MSE, metres"], 1.0, rtol=1e-12)
    # millimetres: almost every residual in the linear zone, within a fraction of a percent of MAE
    assert out["share of |r| > delta=1, millimetres"] > 0.99
    assert 0.99 < out["huber / MAE, millimetres"] < 1.0


def test_smooth_l1(printed):
    out = printed("losses/smooth_l1.py")
    r = HUBER_PRED - HUBER_Y
    assert_allclose(out["per example, beta=1"], _smooth_l1(r, 1.0))
    assert_allclose(out["per example, beta=1"], _huber(r, 1.0))  # beta = delta = 1: the same
    assert_allclose(out["per example, beta=2"], _smooth_l1(r, 2.0))
    assert_allclose(out["per example, beta=2"], _huber(r, 2.0) / 2)
    assert_allclose(out["derivative, beta=1"], np.clip(r, -1, 1))
    assert_allclose(out["derivative, beta=2"], np.clip(r / 2, -1, 1))
    assert_allclose(out["derivative, beta=2"][-1], 1.0)  # where huber(delta=2) gives 2
    assert_allclose(out["per example, beta=0"], np.abs(r))


def test_smooth_l1_huber(printed):
    out = printed("losses/smooth_l1_huber.py")
    rng = np.random.default_rng(0)
    y = rng.normal(size=1000)
    r = y + rng.standard_t(df=2, size=1000) - y
    for beta in (0.1, 1.0, 3.0):
        assert_allclose(_smooth_l1(r, beta), _huber(r, beta) / beta, rtol=1e-12)  # the identity itself
        assert out[f"beta={beta}, value gap"] < 1e-12
        assert out[f"beta={beta}, largest gradient gap"] < 1e-12
    assert np.abs(r).max() > 3.0  # the data reach the linear zone of every beta
    assert out["beta=0 minus MAE"] == 0


# ----------------------------------------------------------------------------------- log-cosh
def test_log_cosh(printed):
    out = printed("losses/log_cosh.py")
    y = np.array([2.0, 3.0, 0.5, 1.0])
    r = np.array([1.9, 4.0, 3.5, 11.0]) - y
    exact = np.logaddexp(r, -r) - np.log(2)  # log cosh r, without overflow
    assert_allclose(out["per example"], exact)
    assert_allclose(out["r^2 / 2"], r**2 / 2)
    assert_allclose(out["|r| - log 2"], np.abs(r) - np.log(2))
    assert_allclose(out["mean"], exact.mean())
    assert_allclose(out["derivative"], np.tanh(r))
    # below r^2/2 and above |r| - log 2; within 0.2% of r^2/2 at -0.1; equal to |r| - log 2 at 10
    assert np.all(out["per example"] < out["r^2 / 2"])
    assert np.all(out["per example"] >= out["|r| - log 2"])  # equal to the printed digits at 10
    assert np.all(exact > np.abs(r) - np.log(2))
    assert abs(out["per example"][0] / (r[0] ** 2 / 2) - 1) < 0.002
    assert_allclose(out["per example"][-1], 10 - np.log(2), rtol=1e-8)


def test_log_cosh_overflow(printed):
    out = printed("losses/log_cosh_overflow.py")
    naive = out["naive log(cosh(r))"]
    assert naive[0] == 0.0  # cosh(1e-8) rounds to 1
    assert_allclose(naive[1], 700 - np.log(2))
    assert np.isinf(naive[2]) and np.isinf(naive[3])  # cosh overflows above 710
    r = np.array([1e-8, 700.0, 711.0, 1000.0])
    assert_allclose(out["lossref"], [1e-16 / 2, *(r[1:] - np.log(2))], rtol=1e-8)
    assert out["naive, float32"][0] == 0.0 and np.isinf(out["naive, float32"][1])
    assert_allclose(out["lossref, float32"], [1e-8 / 2, 90 - np.log(2)], rtol=1e-6)


def test_log_cosh_minimizer(printed):
    out = printed("losses/log_cosh_minimizer.py")
    y = OUTLIER_SAMPLE
    location = _root(lambda m: np.sum(np.tanh(m - y)), 0.0, 12.0)
    assert_allclose(out["best constant"], location, atol=1e-3)
    assert np.median(y) < out["best constant"] < y.mean()
    assert out["best constant"] - np.median(y) < 0.1  # near the median


# ----------------------------------------------------------------------------------- quantile
def test_quantile(printed):
    from sklearn.metrics import mean_absolute_error, mean_pinball_loss

    out = printed("losses/quantile.py")
    y = np.array([2.0, 3.0, 0.5, 1.0])
    y_pred = np.array([1.0, 2.0, 1.5, 4.0])
    assert_allclose(out["per example, tau=0.9"], _pinball(y, y_pred, 0.9))
    assert_allclose(out["per example, tau=0.9"], [0.9, 0.9, 0.1, 0.3])
    assert_allclose(out["mean, tau=0.9"], 0.55)
    assert_allclose(out["derivative, tau=0.9"], np.where(y > y_pred, -0.9, 0.1))
    assert_allclose(out["mean, tau=0.5"], mean_pinball_loss(y, y_pred, alpha=0.5))
    assert_allclose(out["mean, tau=0.5"], mean_absolute_error(y, y_pred) / 2)
    assert_allclose(out["MAE / 2"], 0.75)


def test_quantile_minimizer(printed):
    out = printed("losses/quantile_minimizer.py")
    y = np.array([3.1, 0.4, 1.2, 7.9, 2.2, 0.8, 1.6, 4.5, 2.9, 12.0, 1.9])
    ordered = np.sort(y)
    for tau in (0.1, 0.5, 0.9):
        k = int(np.ceil(len(y) * tau))  # the empirical tau-quantile is the k-th smallest value
        best = out[f"best constant, tau={tau}"]
        assert_allclose(best, ordered[k - 1])
        assert_allclose(out[f"np.quantile, tau={tau}"], ordered[k - 1])
        below, at_or_below = out[f"share below, at or below, tau={tau}"]
        assert_allclose([below, at_or_below], [(k - 1) / 11, k / 11], atol=5e-4)
        assert below <= tau <= at_or_below
        # the pinball risk is higher at the neighbouring values
        risk = lambda c: np.mean(_pinball(y, c, tau))  # noqa: E731
        assert risk(ordered[k - 1]) < min(risk(ordered[k - 2]), risk(ordered[k]))


# ----------------------------------------------------------------------------------- poisson
def test_poisson_nll(printed):
    out = printed("losses/poisson_nll.py")
    y = np.array([0.0, 1.0, 3.0, 10.0])
    eta = np.array([-1.0, 0.0, 1.0, 2.0])
    loss = np.exp(eta) - y * eta
    assert_allclose(out["per example"], loss)
    assert out["per example"][-1] < 0  # log y! is dropped
    assert_allclose(out["mean"], loss.mean())
    assert_allclose(out["gradient"], (np.exp(eta) - y) / 4)
    assert out["gradient"][0] > 0 and out["gradient"][-1] < 0
    rate = np.exp(eta)
    assert_allclose(out["log_input=False"], rate - y * np.log(rate + 1e-8))
    assert_allclose(out["log_input=False"], loss, rtol=1e-7)


def test_poisson_nll_minimizer(printed):
    out = printed("losses/poisson_nll_minimizer.py")
    y = np.array([0.0, 2.0, 1.0, 4.0, 0.0, 3.0, 1.0, 1.0])
    assert_allclose(out["best constant log-rate"], np.log(y.mean()), atol=1e-3)  # the grid step
    assert_allclose(out["log of the mean count"], np.log(1.5))
    assert_allclose(out["rate exp(best), 2 decimals"], 1.5)
    assert_allclose(out["mean count"], 1.5)


def test_poisson_nll_zero_rate(printed):
    out = printed("losses/poisson_nll_zero_rate.py")
    eps = 1e-8
    assert_allclose(out["loss, rate 0"], -3 * np.log(eps))
    assert_allclose(out["gradient, rate 0"], 1 - 3 / eps)
    assert out["gradient, rate 0"] < -1e8
    assert_allclose(out["loss, log-rate -20"], np.exp(-20) + 60)
    assert_allclose(out["gradient, log-rate -20"], np.exp(-20) - 3)
    assert abs(out["gradient, log-rate -20"]) <= 3


def test_poisson_nll_full(printed):
    from scipy.special import gammaln

    out = printed("losses/poisson_nll_full.py")
    y = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
    eta = np.log(y + 0.5)
    safe = np.maximum(y, 1.0)
    stirling = np.where(y > 1, safe * np.log(safe) - safe + 0.5 * np.log(2 * np.pi * safe), 0.0)
    assert_allclose(out["full=True"], np.exp(eta) - y * eta + stirling)
    assert_allclose(out["exact -log P(y)"], np.exp(eta) - y * eta + gammaln(y + 1))
    gap = out["exact minus full"]
    assert_allclose(gap[:2], 0.0, atol=1e-12)  # exact for y in {0, 1}
    # about 1 / (12 y) for y > 1: the next term of Stirling's series is -1 / (360 y^3)
    assert np.all(np.abs(gap[2:] - 1 / (12 * y[2:])) <= 1 / (360 * y[2:] ** 3) + 1e-8)


# ----------------------------------------------------------------------------------- gaussian
def test_gaussian_nll(printed):
    from scipy.stats import norm

    out = printed("losses/gaussian_nll.py")
    y = np.array([2.0, 3.0, 0.5, 1.0])
    mu = np.array([1.0, 2.0, 1.5, 4.0])
    var = np.array([1.0, 1.0, 0.5, 9.0])
    loss = 0.5 * (np.log(var) + (y - mu) ** 2 / var)
    assert_allclose(out["per example"], loss)
    assert_allclose(out["mean"], loss.mean())
    grad = (mu - y) / var / 4
    assert_allclose(out["gradient"], grad)
    assert out["gradient"][3] < out["gradient"][2]  # off by 3 with variance 9 pulls less than off by 1 with 0.5
    assert_allclose(out["per example, full=True"], -norm.logpdf(y, mu, np.sqrt(var)))
    assert_allclose(out["per example, full=True"] - out["per example"], 0.5 * np.log(2 * np.pi))
    assert_allclose(out["mean, var=1.0"], np.mean(0.5 * (y - mu) ** 2))
    assert_allclose(out["MSE, half=True"], out["mean, var=1.0"])


def test_gaussian_nll_minimizer(printed):
    out = printed("losses/gaussian_nll_minimizer.py")
    y = OUTLIER_SAMPLE
    assert_allclose(out["best mean, var=0.5"], y.mean())
    assert_allclose(out["best mean, var=4.0"], y.mean())
    assert_allclose(out["best variance at the mean"], np.mean((y - y.mean()) ** 2), atol=0.01)
    assert_allclose(out["mean, variance of y"], [4.0, 14.5])


def test_gaussian_nll_collapse(printed):
    out = printed("losses/gaussian_nll_collapse.py")
    v = np.maximum([1.0, 1e-2, 1e-4, 1e-6, 1e-8], 1e-6)  # the clamp at eps
    assert_allclose(out["loss, r=0"], 0.5 * np.log(v), atol=1e-12)
    assert np.all(np.diff(out["loss, r=0"])[:3] < 0)  # each smaller variance lowers the loss ...
    assert out["loss, r=0"][4] == out["loss, r=0"][3]  # ... until the clamp
    assert_allclose(out["gradient, r=0.01"], 0.01 / v)
    assert_allclose(out["gradient, r=0.01"][3] / out["gradient, r=0.01"][0], 1e6)
