"""Guide pages (stability, custom losses, choosing a loss): snippet output against formulas computed here."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal


def softplus(x):
    """log(1 + e^x), written out here for the expected values."""
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def log_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    a = z.max(axis=-1, keepdims=True)
    return z - a - np.log(np.exp(z - a).sum(axis=-1, keepdims=True))


# ----------------------------------------------------------------------------------- stability
def test_stability_float32(printed):
    out = printed("guides/stability_float32.py")
    assert_allclose(out["float32 exp overflows above"], 128 * np.log(2), rtol=1e-6)  # max float32 ~ 2^128
    assert_allclose(out["float64 exp overflows above"], 1024 * np.log(2), rtol=1e-12)
    naive = out["naive, float32"]
    assert np.isposinf(naive[0]) and naive[1] == 0
    stable = out["lossref, float32"]
    assert_allclose(stable[0], 100.0, rtol=1e-6)
    # e^-100 is a float32 subnormal (3.7e-44), printed with two digits: positive and of that size.
    assert 0 < stable[1] < 1e-43
    assert_array_equal(out["dtype of the result"], [32])


def test_stability_bce(printed):
    out = printed("guides/stability_bce.py")
    y = np.array([1.0, 1.0, 0.0, 1.0])
    z = np.array([-1000.0, 40.0, 40.0, 1000.0])
    naive = out["naive loss"]
    assert np.isposinf(naive[[0, 2]]).all() and np.isnan(naive[[1, 3]]).all()
    expected = np.where(y == 1, softplus(-z), softplus(z))  # -log sigma(z) or -log(1 - sigma(z))
    assert_allclose(out["lossref loss"], expected, rtol=1e-8)
    assert_allclose(out["lossref loss"][[0, 2]], [1000.0, 40.0])
    # The gradient sigma(z) - y: the naive difference cancels to 0 at z = 40, y = 1.
    assert_array_equal(out["naive gradient"], [-1.0, 0.0, 1.0, 0.0])
    sigma_minus_40 = np.exp(-40.0) / (1 + np.exp(-40.0))
    assert_allclose(out["lossref gradient"], [-1.0, -sigma_minus_40, 1.0, 0.0], rtol=1e-8)
    assert out["lossref gradient"][1] < 0


def test_stability_cross_entropy(printed):
    out = printed("guides/stability_cross_entropy.py")
    naive = out["naive"]
    assert np.isposinf(naive[0]) and np.isnan(naive[1])
    expected = [1000.0 + np.log1p(np.exp(-1000.0) + np.exp(-2000.0)), np.log(3.0)]
    assert_allclose(out["log-sum-exp by hand"], expected, rtol=1e-8)
    assert_allclose(out["lossref"], expected, rtol=1e-8)


def test_stability_log_cosh(printed):
    out = printed("guides/stability_log_cosh.py")
    exact = [np.log((np.e + 1 / np.e) / 2), 100.0 - np.log(2.0), 1000.0 - np.log(2.0)]  # e^-200 is negligible
    naive64, naive32 = out["naive, float64"], out["naive, float32"]
    assert_allclose(naive64[:2], exact[:2], rtol=1e-6) and np.isposinf(naive64[2])
    assert_allclose(naive32[0], exact[0], rtol=1e-6)
    assert np.isposinf(naive32[1:]).all()
    assert_allclose(out["lossref, float32"], exact, rtol=1e-6)
    r = 1e-8
    assert_allclose(out["lossref at 1e-8"], r * r / 2, rtol=1e-10)
    assert out["far-out form at 1e-8"][0] > 1.5 * r * r / 2  # the cancellation the page describes


def test_stability_focal(printed):
    out = printed("guides/stability_focal.py")
    gamma = 0.5
    naive = out["naive loss"]
    assert np.isposinf(naive[0]) and naive[1] == 0
    assert np.isnan(out["naive gradient"]).all()
    # z = 40, y = 1: q = sigma(-40), CE = -log sigma(40) = log1p(e^-40).
    q = np.exp(-40.0) / (1 + np.exp(-40.0))
    p = 1 / (1 + np.exp(-40.0))
    ce = np.log1p(np.exp(-40.0))
    assert_allclose(out["lossref loss"], [1000.0, q**gamma * ce], rtol=1e-8)
    # dL/dz = q^gamma [gamma (1 - 2y) p (1 - p) / q CE + (p - y)] with y = 1, where p (1 - p) / q = p.
    grad_40 = q**gamma * (-gamma * p * ce - q)
    assert_allclose(out["lossref gradient"], [-1.0, grad_40], rtol=1e-8)


def test_stability_kl(printed):
    out = printed("guides/stability_kl.py")
    naive = out["naive"]
    assert np.isnan(naive[0]) and np.isposinf(naive[1])
    row1 = -np.log(1 / (1 + np.exp(-2.0)))  # y = (1, 0): -log softmax(z)_0
    row2 = 0.9 * np.log(0.9) + 0.1 * np.log(0.1) + 0.1 * 800.0  # log softmax = (0, -800) up to e^-800
    assert_allclose(out["lossref"], [row1, row2], rtol=1e-7)  # NumPy prints 8 digits


# ----------------------------------------------------------------------------------- custom losses
def test_custom_sample_weight(printed):
    out = printed("guides/custom_sample_weight.py")
    r = np.array([1.5, 2.0, 2.0, 6.0]) - np.array([1.0, 2.0, 3.0, 4.0])
    w = np.array([1.0, 1.0, 2.0, 0.0])
    assert_allclose(out["per example, unweighted"], r**2)
    assert_allclose(out["weighted, none"], w * r**2)
    assert_allclose(out["weighted, sum"], np.sum(w * r**2))
    assert_allclose(out["weighted, mean"], np.sum(w * r**2) / np.sum(w))
    assert_allclose(out["duplicated instead"], out["weighted, mean"])


def test_custom_weighted_bce(printed):
    out = printed("guides/custom_weighted_bce.py")
    y = np.array([1.0, 0.0, 0.0, 0.0])
    z = np.array([-1.0, 0.5, -2.0, 1.0])
    alpha, beta = 4.0, 1.0
    terms = alpha * y * softplus(-z) + beta * (1 - y) * softplus(z)
    for label in ("formula, summed", "class_weight, sum", "pos_weight, sum"):
        assert_allclose(out[label], terms.sum(), rtol=1e-12)
    assert_allclose(out["class_weight, mean"], terms.sum() / (alpha * 1 + beta * 3), rtol=1e-12)
    assert_allclose(out["pos_weight, mean"], terms.sum() / 4, rtol=1e-12)


def test_custom_pos_weight(printed):
    out = printed("guides/custom_pos_weight.py")
    y, w = 0.3, 4.0
    assert_allclose(out["class_weight=(1, 4)"], 0.0, atol=1e-12)
    # (1 - y) sigma(z) - w y sigma(-z) at sigma(z) = y
    assert_allclose(out["pos_weight=4"], (1 - y) * y - w * y * (1 - y), rtol=1e-10)
    assert_allclose(out["pos_weight=4, gradient at the moved minimiser"], 0.0, atol=1e-12)
    assert_allclose(out["sigmoid of the moved minimiser"], w * y / (w * y + 1 - y), rtol=1e-7)


def test_custom_class_weight(printed):
    out = printed("guides/custom_class_weight.py")
    y = np.array([0, 1, 2, 2])
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 1.0, 0.0], [0.0, 0.5, 1.0], [1.0, 0.0, 0.5]])
    w = np.array([1.0, 1.0, 5.0])[y]
    nll = -log_softmax(logits)[np.arange(4), y]
    assert_allclose(out["unweighted, none"], nll, rtol=1e-7)
    assert_allclose(out["weighted, none"], w * nll, rtol=1e-7)
    assert_allclose(out["weighted, mean"], np.sum(w * nll) / 12, rtol=1e-12)
    assert_allclose(out["unweighted, mean"], nll.mean(), rtol=1e-12)


def test_custom_label_smoothing(printed):
    out = printed("guides/custom_label_smoothing.py")
    softmax = np.exp(log_softmax([2.0, 0.5, -1.0]))
    onehot = np.array([0.0, 1.0, 0.0])
    smoothed = 0.9 * onehot + 0.1 / 3
    assert_allclose(out["softmax"], softmax, rtol=1e-7)
    assert_allclose(out["gradient, eps=0.0"], softmax - onehot, rtol=1e-7)
    assert_allclose(out["target, eps=0.0"], onehot, atol=1e-7)
    assert_allclose(out["gradient, eps=0.1"], softmax - smoothed, rtol=1e-6)
    assert_allclose(out["target, eps=0.1"], [1 / 30, 28 / 30, 1 / 30], rtol=1e-6)
    assert_allclose(out["gradient there, eps=0.1"], 0.0, atol=1e-12)


def test_custom_multitask(printed):
    out = printed("guides/custom_multitask.py")
    species = np.array([0, 1, 2, 1])
    logits = np.array([[2.0, 0.5, -1.0], [0.3, 0.8, 0.1], [-0.5, 0.2, 1.5], [1.2, 0.4, 0.0]])
    r_grams = np.array([3900.0, 4950.0, 3600.0, 5000.0]) - np.array([3750.0, 5200.0, 3450.0, 4900.0])
    ce = np.mean(-log_softmax(logits)[np.arange(4), species])
    ce_grad = (np.exp(log_softmax(logits)) - np.eye(3)[species]) / 4
    cases = {"grams, weights 1 and 1": (1.0, 1.0), "grams, mass weight 1e-5": (1e-5, 1.0),
             "kilograms, weights 1 and 1": (1.0, 1000.0)}
    for label, (lam, unit) in cases.items():
        r = r_grams / unit
        value = np.array([ce, lam * np.mean(r**2)])
        norm = np.array([np.linalg.norm(ce_grad), lam * np.linalg.norm(2 * r / 4)])
        assert_allclose(out[f"{label}, value share"], value / value.sum(), rtol=1e-5)  # 8 printed digits
        assert_allclose(out[f"{label}, gradient share at the head outputs"], norm / norm.sum(), rtol=1e-5)
    # The page's reading of the numbers.
    assert out["grams, weights 1 and 1, value share"][1] > 0.9999
    assert out["grams, weights 1 and 1, gradient share at the head outputs"][1] > 0.99
    assert 0.2 < out["grams, mass weight 1e-5, value share"][1] < 0.5
    assert out["grams, mass weight 1e-5, gradient share at the head outputs"][0] > 0.99
    assert out["kilograms, weights 1 and 1, gradient share at the head outputs"][1] > 0.3


def test_custom_new_loss(printed, run_snippet):
    text = run_snippet("guides/custom_new_loss.py")
    out = printed("guides/custom_new_loss.py")
    r = np.array([0.5, -2.0, 6.0]) - np.array([0.0, 1.0, 2.0])
    delta = 2.0
    assert_allclose(out["loss, delta=2"], delta**2 * (np.sqrt(1 + (r / delta) ** 2) - 1), rtol=1e-7)
    assert "correct, delta=2: gradient OK" in text
    assert "forgetful, delta=2: gradient MISMATCH" in text
    assert "forgetful, delta=1: gradient OK" in text  # the bug the warning on the page describes
    # The wrong gradient is delta^2 = 4 times the right one: relative error 1 - 1/4.
    assert_allclose(out["forgetful, delta=2"][0], 0.75, rtol=1e-3)


# ----------------------------------------------------------------------------------- choosing a loss
def test_choosing_mse_on_probs(printed):
    out = printed("guides/choosing_mse_on_probs.py")
    z = np.array([-8.0, -4.0, 0.0, 2.0])
    p = 1 / (1 + np.exp(-z))
    mse_grad, bce_grad = out["MSE on p, dL/dz"], out["BCE with logits, dL/dz"]
    assert_allclose(out["p"], p, rtol=1e-7)
    assert_allclose(mse_grad, 2 * (p - 1) * p * (1 - p), rtol=1e-5)
    assert_allclose(bce_grad, p - 1, rtol=1e-7)
    # The confidently wrong example gets the weakest push from MSE and nearly the strongest from BCE.
    assert abs(mse_grad[0]) < 1e-3 and abs(mse_grad[0]) < abs(mse_grad[3])
    assert bce_grad[0] < -0.999


def test_choosing_softmax_twice(printed):
    out = printed("guides/choosing_softmax_twice.py")
    logits = np.array([20.0, 0.0, 0.0])
    probs = np.exp(log_softmax(logits))
    floor = np.log(1 + 2 / np.e)
    assert_allclose(out["loss on logits"], np.log1p(2 * np.exp(-20.0)), rtol=1e-8)
    assert_allclose(out["loss on softmax output"], -log_softmax(probs)[0], rtol=1e-10)
    assert_allclose(out["floor log(1 + (C - 1)/e)"], floor, rtol=1e-12)
    assert out["loss on softmax output"][0] >= floor
    assert_allclose(out["gradient on softmax output"], np.exp(log_softmax(probs)) - [1.0, 0.0, 0.0], rtol=1e-7)
    assert out["gradient on softmax output"][0] < -0.4


def test_custom_multitask_shared(printed):
    out = printed("guides/custom_multitask_shared.py")
    h = np.array([[1.0, -0.5, 0.3], [0.2, 0.8, -1.0], [-0.7, 0.4, 0.9], [0.5, 1.2, -0.2]])
    w_cls = np.array([[0.6, -0.4], [-0.3, 0.5], [0.2, -0.6]])
    w_box = np.array([[0.5, -0.2, 0.4, 0.1], [0.3, 0.6, -0.3, 0.2], [-0.4, 0.1, 0.2, 0.5]])
    labels = np.array([0, 1, 1, 0])
    err = np.array([[30.0, -42, 25, -38], [-33, 41, -29, 36], [40, -31, 37, -28], [-35, 30, -44, 39]])  # target - box
    n = 4
    logits = h @ w_cls
    ce = np.mean(-log_softmax(logits)[np.arange(n), labels])
    # Gradients at the head outputs: (softmax - onehot)/n for the mean cross-entropy, sign(box - target)/(4n)
    # for the mean absolute error over the 4n coordinates; at h, times the transposed head weights.
    g_cls = (np.exp(log_softmax(logits)) - np.eye(2)[labels]) / n
    g_box = np.sign(-err) / err.size
    out_norm = np.array([np.linalg.norm(g_cls), np.linalg.norm(g_box)])
    h_norm = np.array([np.linalg.norm(g_cls @ w_cls.T), np.linalg.norm(g_box @ w_box.T)])
    assert_allclose(out["values, cls and box"], [ce, np.abs(err).mean()], rtol=1e-12)
    assert_allclose(out["unweighted gradient norms at the head outputs, cls and box"], out_norm, rtol=1e-12)
    assert_allclose(out["unweighted gradient norms at the shared features, cls and box"], h_norm, rtol=1e-12)
    lams = {"1": 1.0, "matching the values": ce / np.abs(err).mean(), "matching the gradients at h": h_norm[0] / h_norm[1]}
    for label, lam in lams.items():
        assert_allclose(out[f"lambda_box {label}"], lam, rtol=1e-12)
        for where, norm in (("head outputs", out_norm), ("shared features", h_norm)):
            share = lam * norm[1] / (norm[0] + lam * norm[1])
            assert_allclose(out[f"box share, lambda_box {label}, at the {where}"], share, rtol=1e-10)
    assert_allclose(out["box value, errors doubled"], 2 * np.abs(err).mean(), rtol=1e-12)
    assert_allclose(out["box gradient norm at h, errors doubled"], h_norm[1], rtol=1e-12)
    # The page's reading: unweighted, the box task has about 38% of the gradient at h (46% at the outputs);
    # matching the values leaves it under 1% at h; matching the gradients at h gives 50% there by construction.
    assert round(100 * out["box share, lambda_box 1, at the shared features"][0]) == 38
    assert round(100 * out["box share, lambda_box 1, at the head outputs"][0]) == 46
    assert round(100 * out["box share, lambda_box matching the values, at the shared features"][0], 1) == 0.9
    assert round(100 * out["box share, lambda_box matching the values, at the head outputs"][0], 1) == 1.2
    assert_allclose(out["box share, lambda_box matching the gradients at h, at the shared features"], 0.5)
    assert round(100 * out["box share, lambda_box matching the gradients at h, at the head outputs"][0]) == 59
    assert round(out["lambda_box matching the values"][0], 4) == 0.0146
    assert round(out["values, cls and box"][0], 2) == 0.51 and round(out["values, cls and box"][1], 1) == 34.9
    assert round(out["values, cls and box"][1] / out["values, cls and box"][0]) == 69
    assert round(out["lambda_box matching the gradients at h"][0], 2) == 1.65


def test_choosing_imbalance(printed):
    out = printed("guides/choosing_imbalance.py")
    q = np.array([0.0005, 0.004, 0.03, 0.25])
    share = np.array([0.70, 0.22, 0.07, 0.01])
    prevalence = share @ q
    w = 49.0
    assert_allclose(out["prevalence"], prevalence)
    # The minimiser of the expected BCE at a value with P(y = 1) = q is q itself (d/dp: -q/p + (1-q)/(1-p) = 0);
    # with pos_weight w it is w q / (w q + 1 - q). The grid has a logit step of 1e-4.
    assert_allclose(out["unweighted minimiser"], q, rtol=1e-4)
    assert_allclose(out["pos_weight=49 minimiser"], w * q / (w * q + 1 - q), rtol=1e-4)

    def xent(t, p):
        return -(t * np.log(p) + (1 - t) * np.log(1 - p))

    assert_allclose(out["expected loss, constant prevalence"], xent(q, prevalence) @ share, rtol=1e-7)
    assert_allclose(out["expected loss, unweighted model"], xent(q, q) @ share, rtol=1e-6)
    assert out["expected loss, unweighted model"] < out["expected loss, constant prevalence"]
    # The page's numbers: about 1 case in 170, losses 0.0238 and 0.0358, 0.03 moved to 0.60 by the weight.
    assert round(1 / out["prevalence"][0], -1) == 170
    assert round(out["expected loss, unweighted model"][0], 4) == 0.0238
    assert round(out["expected loss, constant prevalence"][0], 4) == 0.0358
    assert round(out["pos_weight=49 minimiser"][2], 2) == 0.60
    t = 1 / (1 + w)
    assert_allclose(out["cost threshold"], t)
    # Bayes decision: flag when q c_FN > (1 - q) c_FP; weighted odds w q/(1 - q) > 1 is the same condition.
    assert_array_equal(out["flag, unweighted with the cost threshold"], (q * w > 1 - q).astype(float))
    assert_array_equal(out["flag, pos_weight=49 with 0.5"], (q * w > 1 - q).astype(float))
    assert_array_equal(out["flag, unweighted with the cost threshold"], [0, 0, 1, 1])
    keep = 0.01
    q_train = q / (q + keep * (1 - q))
    assert_allclose(out["trained on the rebalanced sample"], q_train, rtol=1e-4)
    assert_allclose(out["after the prior correction"], q, rtol=1e-4)
