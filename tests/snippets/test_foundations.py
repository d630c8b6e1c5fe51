"""Foundations guides: each snippet's printed numbers against the formulas, computed here with NumPy."""

from itertools import combinations

import numpy as np
from numpy.testing import assert_allclose


def _log1pexp(t):
    """log(1 + e^t) without overflow."""
    return np.logaddexp(0.0, t)


# ----------------------------------------------------------------------------- loss, risk and metric
def test_loss_risk_reduction(printed):
    out = printed("guides/loss_risk_reduction.py")
    y = np.array([2.0, 3.0, 0.5, 1.0])
    y_pred = np.array([1.0, 2.0, 1.5, 4.0])
    w = np.array([1.0, 1.0, 1.0, 2.0])
    l = (y_pred - y) ** 2
    assert_allclose(out["pointwise losses"], l)
    assert_allclose(out["empirical risk (mean)"], l.mean())
    assert_allclose(out["sum"], l.sum())
    assert_allclose(out["weighted risk"], np.sum(w * l) / np.sum(w))
    assert_allclose(out["weighted risk"], 4.2)  # the page quotes 21 / 5
    assert_allclose(out["weighted, reduction='none'"], w * l)


def test_loss_risk_how_wrong(printed):
    out = printed("guides/loss_risk_how_wrong.py")
    r = np.array([0.5, 1.0, 2.0, 4.0])
    assert_allclose(out["squared error"], r**2)
    assert_allclose(out["absolute error"], np.abs(r))
    assert_allclose(out["share of the squared-error risk"], r**2 / np.sum(r**2), atol=1e-4)
    assert_allclose(out["share of the absolute-error risk"], r / r.sum(), atol=1e-4)
    assert out["share of the squared-error risk"][-1] > 0.75  # "three quarters" on the page
    assert out["share of the absolute-error risk"][-1] < 0.55


def test_loss_risk_metric(printed):
    out = printed("guides/loss_risk_metric.py")
    y = np.array([1, 1, -1, -1, 1])
    scores = {"A": np.array([0.5, 2.0, -0.3, 0.4, -1.0]), "B": np.array([2.5, 3.0, -2.0, 0.1, -0.2])}
    for name, s in scores.items():
        l = _log1pexp(-y * s)
        assert_allclose(out[f"{name} pointwise logistic loss"], l, atol=1e-4)
        assert_allclose(out[f"{name} risk (mean logistic loss)"], l.mean(), atol=1e-4)
        assert_allclose(out[f"{name} accuracy"], np.mean(y * s > 0))
    # the point of the example: the risk falls by about half, the accuracy does not move
    assert out["B risk (mean logistic loss)"] < 0.6 * out["A risk (mean logistic loss)"]
    assert_allclose(out["A accuracy"], out["B accuracy"])
    assert_allclose(out["A accuracy"], 0.6)
    # every single example's loss falls, including the two that stay misclassified
    assert np.all(out["B pointwise logistic loss"] < out["A pointwise logistic loss"])


# ----------------------------------------------------------------------------- backpropagation
def test_backprop_linear(printed, run_snippet):
    out = printed("guides/backprop_linear.py")
    x = np.array([1.0, 2.0])
    y = np.array([2.0, 3.0])
    w = 1.0
    y_pred = w * x
    assert_allclose(out["predictions"], [1.0, 2.0])
    assert_allclose(out["pointwise losses"], 0.5 * (y_pred - y) ** 2)
    assert_allclose(out["pointwise losses"], [0.5, 0.5])
    assert_allclose(out["risk"], 0.5)
    assert_allclose(out["error signal dR/dy_pred"], (y_pred - y) / len(y))
    assert_allclose(out["dR/dw (chain rule)"], np.mean((w * x - y) * x))
    assert_allclose(out["dR/dw (chain rule)"], -1.5)
    assert_allclose(out["dR/dw (finite difference)"], -1.5, atol=1e-7)
    assert "check_grad on dR/dy_pred passes: True" in run_snippet("guides/backprop_linear.py")


def test_backprop_logistic(printed):
    out = printed("guides/backprop_logistic.py")
    X = np.array([[1.0, 0.5], [1.0, -1.5], [1.0, 2.0], [1.0, -0.5]])
    y = np.array([1.0, 0.0, 1.0, 1.0])
    theta = np.array([0.2, -0.4])
    p = 1 / (1 + np.exp(-(X @ theta)))
    assert_allclose(out["p - y"], p - y, atol=1e-4)
    assert_allclose(out["error signal dR/dz"], (p - y) / len(y), atol=1e-4)
    assert_allclose(out["gradient in theta"], X.T @ (p - y) / len(y), atol=1e-6)
    assert_allclose(out["finite differences"], out["gradient in theta"], atol=1e-6)


def test_backprop_signals(printed):
    out = printed("guides/backprop_signals.py")
    r = np.array([-4.0, -0.5, 0.5, 4.0])
    assert_allclose(out["mse, half=True"], r)
    assert_allclose(out["mae"], np.sign(r))
    assert_allclose(out["huber, delta=1"], np.clip(r, -1, 1))
    s = np.array([-4.0, 0.5, 1.5, 4.0])
    assert_allclose(out["bce_with_logits"], 1 / (1 + np.exp(-s)) - 1, atol=1e-4)
    assert_allclose(out["hinge"], np.where(s < 1, -1.0, 0.0))


# ----------------------------------------------------------------------------- mini-batches
def _regression_data(n):
    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    y = 3 * x + rng.normal(size=n)
    return x, y


def test_minibatch_unbiased(printed):
    out = printed("guides/minibatch_unbiased.py")
    n, m = 1000, 10
    x, y = _regression_data(n)
    g = (1.0 * x - y) * x  # each example's gradient in w of the half squared error
    full = g.mean()
    assert_allclose(out["full gradient"], full)
    assert_allclose(out["mean over one epoch"], full, rtol=1e-12)  # exact: every example once
    batch = out["first three batch gradients"]
    assert len(batch) == 3 and np.ptp(batch) > 1.0  # single batches scatter widely
    # 20000 uniform batches: within 3 standard errors of the full gradient
    se = g.std() / np.sqrt(m) * np.sqrt((n - m) / (n - 1)) / np.sqrt(20000)
    assert abs(out["mean over 20000 uniform batches"][0] - full) < 3 * se


def test_minibatch_spread(printed):
    out = printed("guides/minibatch_spread.py")
    n = 1024
    x, y = _regression_data(n)
    g = (1.0 * x - y) * x
    sizes = np.array([1, 4, 16, 64])
    assert_allclose(out["batch size m"], sizes)
    # without replacement: Var = sigma^2 / m * (n - m) / (n - 1), sigma^2 the population variance of g
    theory = g.std() / np.sqrt(sizes) * np.sqrt((n - sizes) / (n - 1))
    assert_allclose(out["std of the mini-batch gradient"], theory, rtol=0.03)
    scaled = out["std * sqrt(m)"]
    assert_allclose(scaled, g.std() * np.sqrt((n - sizes) / (n - 1)), rtol=0.03)
    assert scaled.max() / scaled.min() < 1.05  # "roughly constant": the spread shrinks like 1/sqrt(m)
    assert np.all(np.diff(out["std of the mini-batch gradient"]) < 0)
    assert 0.95 < scaled[-1] / scaled[0] < 0.99  # "about 2.5% below" at m = 64: the (n - m) / (n - 1) factor
    assert_allclose(np.sqrt((n - 64) / (n - 1)), 0.969, atol=5e-4)


def test_minibatch_weighted(printed):
    out = printed("guides/minibatch_weighted.py")
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y = np.array([2.0, 3.0, 5.0, 8.0])
    sw = np.array([1.0, 1.0, 1.0, 5.0])
    n, m = 4, 2
    g = (x - y) * x  # per-example gradient in w at w = 1
    full_weighted = np.sum(sw * g) / sw.sum()
    batches = [list(b) for b in combinations(range(n), m)]
    ratio = np.mean([np.sum(sw[b] * g[b]) / sw[b].sum() for b in batches])
    assert_allclose(out["full weighted gradient"], full_weighted)
    assert_allclose(out["expected batch weighted mean"], ratio)
    assert abs(ratio - full_weighted) > 1.0  # the ratio estimate is biased, visibly so here
    assert_allclose([ratio, full_weighted], [-8.4167, -11.125], atol=1e-4)  # the page's numbers
    assert np.argmax(sw) == np.argmax(np.abs(g))  # the heavy example has the largest gradient
    assert_allclose(out["expected batch sum * n / (m * total weight)"], full_weighted)
    assert_allclose(out["expected batch gradient, reduction='sum'"], m * g.mean())
    assert_allclose(out["full gradient, reduction='mean'"], g.mean())


# ----------------------------------------------------------------------------- surrogates
def test_surrogate_bounds(printed):
    out = printed("guides/surrogate_bounds.py")
    margin = np.linspace(-3.0, 3.0, 601)
    zero_one = (margin <= 0).astype(float)
    curves = {
        "hinge": np.maximum(0, 1 - margin),
        "logistic / log 2": _log1pexp(-margin) / np.log(2),
        "squared_hinge": np.maximum(0, 1 - margin) ** 2,
        "exponential": np.exp(-margin),
    }
    for name, values in curves.items():
        gap = (values - zero_one).min()
        assert gap >= -1e-12  # an upper bound of the 0-1 loss on the whole grid
        assert_allclose(out[f"{name}, smallest gap to 0-1"], gap, atol=1e-6)
        assert_allclose(out[f"{name}, at m = 0"], 1.0, atol=1e-6)
    # the mean hinge falls while the error rate rises: the bound caps the error rate, no more
    for label, s in (("before", np.array([0.1, 0.1])), ("after", np.array([-0.01, 3.0]))):
        assert_allclose(out[f"{label}, mean hinge"], np.maximum(0, 1 - s).mean())
        assert_allclose(out[f"{label}, error rate"], (s <= 0).mean())
        assert out[f"{label}, mean hinge"] >= out[f"{label}, error rate"]
    assert out["after, mean hinge"] < out["before, mean hinge"]
    assert out["after, error rate"] > out["before, error rate"]


def test_surrogate_nats(printed):
    out = printed("guides/surrogate_nats.py")
    margin = np.linspace(-3.0, 3.0, 601)
    zero_one = (margin <= 0).astype(float)
    p = 1.0 / (1.0 + np.exp(-margin))  # sigma(m): the probability given to the true class
    curves = {
        "hinge": np.maximum(0, 1 - margin),
        "squared_hinge": np.maximum(0, 1 - margin) ** 2,
        "logistic": _log1pexp(-margin),
        "bce_with_logits": -np.log(p),
        "focal": (1 - p) ** 2 * -np.log(p),  # gamma = 2, no alpha
    }
    at_zero = {"hinge": 1.0, "squared_hinge": 1.0, "logistic": np.log(2), "bce_with_logits": np.log(2),
               "focal": 0.25 * np.log(2)}  # (1 - 1/2)^2 log 2 = 0.173
    for name, values in curves.items():
        assert_allclose(out[f"{name} at m = 0"], at_zero[name], atol=1e-6)
        assert_allclose(out[f"{name}, smallest gap to 0-1"], (values - zero_one).min(), atol=1e-6)
    # in nats only the hinge family bounds the 0-1 loss; in bits logistic and BCE do, focal does not
    assert out["hinge, smallest gap to 0-1"][0] >= 0 and out["squared_hinge, smallest gap to 0-1"][0] >= 0
    for name in ("logistic", "bce_with_logits", "focal"):
        assert out[f"{name}, smallest gap to 0-1"][0] < 0
        gap = (curves[name] / np.log(2) - zero_one).min()
        assert_allclose(out[f"{name} / log 2, smallest gap to 0-1"], gap, atol=1e-6)
    assert_allclose(out["logistic / log 2, smallest gap to 0-1"], 0.0, atol=1e-6)
    assert_allclose(out["focal / log 2, smallest gap to 0-1"], -0.75, atol=1e-6)  # 0.25 - 1 at m = 0
    below = margin[curves["focal"] / np.log(2) < zero_one]
    assert_allclose(out["focal / log 2 below 0-1, margins from"], [below.min(), below.max()], atol=5e-3)
    assert_allclose(below.max(), 0.0, atol=1e-12)
    # the crossing: (1 - sigma(m))^2 log(1 + e^-m) = log 2 between m = -0.99 and -0.98
    f = lambda m: (1 - 1 / (1 + np.exp(-m))) ** 2 * _log1pexp(-m) - np.log(2)  # noqa: E731
    assert f(-0.99) > 0 > f(-0.98)


def test_surrogate_calibration(printed):
    out = printed("guides/surrogate_calibration.py")
    eta = 0.7
    assert_allclose(out["logistic best score"], np.log(eta / (1 - eta)), atol=1e-4)
    assert_allclose(out["hinge best score"], 1.0)  # sign(2 eta - 1): the sign only
    assert_allclose(out["squared_hinge best score"], 2 * eta - 1, atol=1e-4)
    assert_allclose(out["log(eta / (1 - eta))"], 0.8473, atol=1e-4)
    for name in ("logistic", "hinge", "squared_hinge"):
        assert out[f"{name} best score"][0] > 0  # all three agree with the Bayes decision


def test_surrogate_kinks(run_snippet, printed):
    text = run_snippet("guides/surrogate_kinks.py")
    assert "zero_one.grad raises TypeError: zero_one has no useful gradient" in text
    out = printed("guides/surrogate_kinks.py")
    margins = np.array([0.999, 1.0, 1.001])
    # lossref's choice: -y strictly inside the margin, 0 at and beyond it
    assert_allclose(out["hinge subgradient"], np.where(margins < 1, -1.0, 0.0))
    assert_allclose(out["mae subgradient"], [-1.0, 0.0, 1.0])
    h = 1e-6  # check_grad's central difference straddles the kink: the mean of the slopes -1 and 0
    assert_allclose(out["at the kink, finite difference"], (0.0 - h) / (2 * h), rtol=1e-6)
    assert_allclose(out["at the kink, lossref"], 0.0)
