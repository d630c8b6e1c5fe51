"""Probabilistic classification pages: each snippet's printed numbers against the formulas, computed here."""

import numpy as np
from numpy.testing import assert_allclose


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bce_formula(y, z):
    """Binary cross-entropy on logits, softplus(z) - y z."""
    return np.logaddexp(0, z) - y * z


# ------------------------------------------------------------------------------------------------ bce.md
def test_bce(printed):
    out = printed("losses/bce.py")
    p = 1 / (1 + np.e)
    # the lesson's digits, exactly as printed
    assert out["p"][0] == 0.2689
    assert out["loss"][0] == 1.313
    assert out["dL/dz = dL/dp * dp/dz"][0] == -0.7311
    assert_allclose(out["p"], p, atol=5e-5)
    assert_allclose(out["loss"], -np.log(p), atol=5e-4)
    assert_allclose(out["dL/dp"], -1 / p, atol=5e-5)  # (p - y) / (p (1 - p)) at y = 1
    assert_allclose(out["dp/dz"], p * (1 - p), atol=5e-5)
    assert_allclose(out["dL/dz = dL/dp * dp/dz"], p - 1, atol=5e-5)


def test_bce_clipping(printed):
    out = printed("losses/bce_clipping.py")
    assert np.isposinf(out["naive -log p"]).all()
    eps64, eps32 = np.finfo(np.float64).eps, np.finfo(np.float32).eps
    assert_allclose(out["float64"], -np.log(eps64))
    assert_allclose(out["-log(eps), float64"], -np.log(eps64))
    assert round(float(out["float64"][0]), 2) == 36.04  # the number the page quotes
    assert_allclose(out["float32"], -np.log(eps32), rtol=1e-6)
    assert round(float(out["float32"][0]), 2) == 15.94
    # (p - y) / (p (1 - p)) at p = eps, y = 1 is -1 / (1 - eps) / eps ... = -1/eps to 8 digits
    assert_allclose(out["gradient"], (eps64 - 1) / (eps64 * (1 - eps64)), rtol=1e-8)
    assert out["gradient"][0] < -1e15


def test_bce_with_logits(printed):
    out = printed("losses/bce_with_logits.py")
    p = 1 / (1 + np.e)
    assert out["p"][0] == 0.2689
    assert out["loss"][0] == 1.313
    assert out["dL/dz"][0] == -0.7311
    assert out["p - y"][0] == -0.7311
    assert_allclose(out["loss"], np.log1p(np.e), atol=5e-4)
    assert_allclose(out["dL/dz"], p - 1, atol=5e-5)


def test_bce_with_logits_stability(printed):
    out = printed("losses/bce_with_logits_stability.py")
    y = np.array([1.0, 0.0, 1.0])
    z = np.array([-50.0, 40.0, -10.0])
    assert out["sigmoid(z)"][1] == 1.0  # rounded to exactly 1
    cap = -np.log(np.finfo(np.float64).eps)
    assert_allclose(out["bce on sigmoid(z)"][:2], [cap, cap], rtol=1e-8)  # saturated at 36.04
    assert_allclose(out["bce_with_logits"], bce_formula(y, z), rtol=1e-8)
    assert_allclose(out["bce_with_logits"][:2], [50.0, 40.0])
    # both agree where nothing saturates
    assert_allclose(out["bce on sigmoid(z)"][2], out["bce_with_logits"][2], rtol=1e-8)


def test_bce_soft_target(printed):
    out = printed("losses/bce_soft_target.py")
    y = 0.3
    entropy = -(y * np.log(y) + (1 - y) * np.log(1 - y))
    assert_allclose(entropy, 0.610864, atol=5e-7)
    assert_allclose(out["best prediction"], y)
    # the minimum over q of -y log q - (1 - y) log(1 - q) is at q = y, where it equals H(y) > 0
    assert_allclose(out["smallest loss"], -(y * np.log(y) + (1 - y) * np.log(1 - y)), atol=1e-6)
    assert_allclose(out["entropy of the target, H(0.3)"], entropy, atol=1e-6)
    assert out["smallest loss"] > 0.6
    assert_allclose(out["loss at a hard label, y = 1 and p = 0.999"], -np.log(0.999), atol=1e-6)


def _sklearn_log_loss_per_example(y, z):
    """scikit-learn's log_loss on expit(z), one example at a time."""
    from scipy.special import expit
    from sklearn.metrics import log_loss

    return np.array([log_loss([yi], [expit(zi)], labels=[0, 1]) for yi, zi in zip(y, z)])


def test_bce_with_logits_sklearn(printed):
    out = printed("losses/bce_with_logits_sklearn.py")
    eps = np.finfo(np.float64).eps
    assert_allclose(out["eps"], eps)
    assert_allclose(out["largest cost, -log(eps)"], 36.0437, atol=5e-5)
    z_neg = np.array([-30.0, -36.0, -37.0, -50.0])
    z_pos = np.array([30.0, 35.0, 36.04, 37.0])
    # negative logits: the sigmoid is tiny but positive; the clip at eps caps the cost
    assert np.all(out["sigmoid(z), z < 0"] > 0)
    assert_allclose(out["sigmoid(z), z < 0"], np.exp(z_neg) / (1 + np.exp(z_neg)), rtol=1e-8)
    clipped = _sklearn_log_loss_per_example(np.ones(4), z_neg)
    assert_allclose(out["clipped, y = 1"], clipped, atol=5e-5)
    assert_allclose(clipped, np.minimum(-z_neg, -np.log(eps)), rtol=1e-6)  # min(-z, 36.04), exactly
    assert_allclose(out["exact, y = 1"], bce_formula(np.ones(4), z_neg))
    # positive logits: 1 - expit(z) is a multiple of 2^-53, so the cost drifts, then the clip caps it
    assert_allclose(out["1 - sigmoid(z), z > 0"], 1 - sigmoid(z_pos))
    assert np.all(np.round((1 - sigmoid(z_pos)) / 2.0**-53) == (1 - sigmoid(z_pos)) / 2.0**-53)
    assert out["1 - sigmoid(z), z > 0"][-1] == 0.0
    clipped = _sklearn_log_loss_per_example(np.zeros(4), z_pos)
    assert_allclose(out["clipped, y = 0"], clipped, atol=5e-5)
    assert_allclose(out["clipped, y = 0"], [30.001, 34.945, 36.0437, 36.0437], atol=5e-5)
    assert_allclose(out["exact, y = 0"], bce_formula(np.zeros(4), z_pos))


def test_bce_with_logits_sklearn_tab():
    """The numbers the scikit-learn tab of bce_with_logits quotes, recomputed with scikit-learn."""
    from scipy.special import expit

    import lossref as lr

    tab = next(eq for eq in lr.bce_with_logits.info.equivalents if eq.framework == "scikit-learn")
    eps = np.finfo(np.float64).eps
    assert "36.04" in tab.difference and f"{-np.log(eps):.2f}" == "36.04" and f"{np.log(eps):.2f}" == "-36.04"
    assert "expit(-50) = 1.9e-22" in tab.difference and f"{expit(-50.0):.1e}" == "1.9e-22"
    y0 = _sklearn_log_loss_per_example(np.zeros(4), [30.0, 35.0, 36.04, 100.0])
    assert "30.001 at z = 30 and 34.945 at z = 35" in tab.difference
    assert_allclose(y0[:2], [30.001, 34.945], atol=5e-4)
    assert_allclose(y0[2:], -np.log(eps))  # 36.04 from z = 36.04 on
    assert "exactly 1 from z = 36.74" in tab.difference
    assert expit(36.73) < 1.0 == expit(36.74)
    assert "logits=-50, y=1 gives 50" in tab.difference
    assert_allclose(_sklearn_log_loss_per_example([1.0, 1.0], [-36.0, -36.05]), [36.0, -np.log(eps)])
    assert_allclose(lr.bce_with_logits([1.0], [-50.0]), 50.0)


def test_bce_with_logits_gradient(printed):
    out = printed("losses/bce_with_logits_gradient.py")
    z = np.array([10.0, 20.0, 40.0])
    exact = -1 / (1 + np.exp(z))  # -sigmoid(-z), no cancellation
    assert_allclose(out["lossref"], exact, rtol=1e-8)
    assert_allclose(out["-sigmoid(-z)"], exact, rtol=1e-8)
    assert out["sigmoid(z) - y"][2] == 0.0  # the naive difference has cancelled completely
    assert out["lossref"][2] < 0
    # at z = 20 the naive difference is off in the eighth digit
    rel = abs(out["sigmoid(z) - y"][1] / exact[1] - 1)
    assert 1e-9 < rel < 1e-7


def test_bce_with_logits_weights(printed):
    out = printed("losses/bce_with_logits_weights.py")
    y = np.array([1.0, 0.0, 0.0, 0.0])
    z = np.array([0.5, -1.0, 0.2, -2.0])
    per = bce_formula(y, z)
    assert_allclose(out["per example"], per, rtol=1e-8)
    weighted_sum = 3 * per[0] + per[1:].sum()
    assert_allclose(out["pos_weight=3"], weighted_sum / 4)
    assert_allclose(out["class_weight=(1, 3)"], weighted_sum / 6)
    # the soft target 0.5 at sigmoid(z) = 0.5: class_weight keeps the optimum, pos_weight moves it
    assert_allclose(out["gradient, class_weight=(1, 3)"], 0.0, atol=1e-15)
    # (1 - y) sigma(z) - w y sigma(-z) = 0.25 - 3 * 0.25
    assert_allclose(out["gradient, pos_weight=3"], -0.5)


# ------------------------------------------------------------------------------------ cross-entropy.md
def test_cross_entropy(printed):
    out = printed("losses/cross_entropy.py")
    z = np.array([2.0, 0.0, -1.0])
    p = softmax(z)
    assert_allclose(out["softmax"], [0.8438, 0.1142, 0.0420])  # the lesson's digits
    assert_allclose(out["softmax"], p, atol=5e-5)
    assert out["loss"][0] == 2.170
    assert out["loss, probability row"][0] == 2.170
    assert_allclose(out["loss"], -np.log(p[1]), atol=5e-4)
    assert_allclose(out["gradient"], p - np.array([0.0, 1.0, 0.0]), atol=5e-5)
    assert out["gradient"][1] < 0 < out["gradient"][0]


def test_cross_entropy_minimizer(printed):
    out = printed("losses/cross_entropy_minimizer.py")
    freq = np.array([0.5, 0.25, 0.25])
    assert_allclose(out["class frequencies"], freq)
    assert_allclose(out["gradient summed over examples"], 0.0, atol=1e-15)
    entropy = -np.sum(freq * np.log(freq))
    assert_allclose(out["loss at log frequencies"], entropy)
    assert_allclose(out["loss at equal logits"], np.log(3))
    assert out["loss at log frequencies"][0] < out["loss at equal logits"][0]


def test_cross_entropy_stability(printed):
    out = printed("losses/cross_entropy_stability.py")
    assert np.isnan(out["naive softmax"][0])
    assert np.isposinf(out["naive loss"]).all()
    # log softmax(z)_1 = 0 - 1000 - log(1 + e^-1000 + e^-2000) = -1000 to double precision
    assert_allclose(out["lossref loss"], 1000.0)
    assert_allclose(out["lossref gradient"], [1.0, -1.0, 0.0])


def test_cross_entropy_label_smoothing(printed):
    out = printed("losses/cross_entropy_label_smoothing.py")
    z = np.array([2.0, 0.0, -1.0])
    target = np.array([0.1 / 3, 0.9 + 0.1 / 3, 0.1 / 3])
    assert_allclose(out["smoothed target"], target, atol=5e-9)
    expected = -np.sum(target * np.log(softmax(z)))
    assert_allclose(out["label_smoothing=0.1"], expected)
    assert_allclose(out["smoothed row as target"], expected)
    assert_allclose(out["gradient"], softmax(z) - target, atol=5e-9)
    assert out["label_smoothing=0.1"][0] < -np.log(softmax(z)[1])  # smoothing lowers this example's loss


def test_cross_entropy_weights(printed):
    out = printed("losses/cross_entropy_weights.py")
    z = np.array([[2.0, 0.0, -1.0], [0.5, 0.1, 3.0], [1.0, 1.0, 1.0]])
    y = np.array([0, 2, 1])
    per = -np.log(softmax(z)[np.arange(3), y])
    assert_allclose(out["per example, first three"], per, rtol=1e-8)
    assert_allclose(out["ignore_index=-100"], per.mean())
    assert out["largest |gradient| in the padding row"][0] == 0.0
    assert_allclose(out["class_weight=(1, 1, 4)"], (per[0] + 4 * per[1] + per[2]) / 6)


# ---------------------------------------------------------------------------------------------- focal.md
def test_focal(printed):
    out = printed("losses/focal.py")
    p = np.array([0.1, 0.5, 0.9, 0.99])
    ce = -np.log(p)
    # NumPy prints arrays to 8 decimals: compare to that precision
    assert_allclose(out["bce"], ce, atol=5e-9)
    assert_allclose(out["focal, gamma=2"], (1 - p) ** 2 * ce, rtol=1e-8)
    assert_allclose(out["focal / bce"], (1 - p) ** 2, rtol=1e-8)
    assert_allclose(out["focal, gamma=0"], ce, atol=5e-9)
    easy_bce = 100 * ce[3] / (ce[0] + 100 * ce[3])
    f = (1 - p) ** 2 * ce
    easy_focal = 100 * f[3] / (f[0] + 100 * f[3])
    assert_allclose(out["easy share, bce"], easy_bce)
    assert_allclose(out["easy share, focal"], easy_focal)
    assert 0.3 < out["easy share, bce"][0] < 0.31  # "about 30 %"
    assert out["easy share, focal"][0] < 1e-4


def test_focal_minimizer(printed):
    out = printed("losses/focal_minimizer.py")
    eta = 0.9
    q = np.linspace(0.5, 0.99, 490001)  # candidate probabilities

    def expected(gamma):
        return eta * (1 - q) ** gamma * -np.log(q) + (1 - eta) * q**gamma * -np.log1p(-q)

    best0 = q[np.argmin(expected(0.0))]
    best2 = q[np.argmin(expected(2.0))]
    assert_allclose(out["sigmoid of the best logit, gamma=0"], best0, atol=2e-4)
    assert_allclose(out["sigmoid of the best logit, gamma=0"], eta, atol=1e-4)
    assert_allclose(out["sigmoid of the best logit, gamma=2"], best2, atol=2e-4)
    assert 0.5 < out["sigmoid of the best logit, gamma=2"][0] < eta  # under-confident


def test_focal_gradient(printed):
    out = printed("losses/focal_gradient.py")
    gamma = 0.5
    z = np.array([2.0, 40.0])
    p = sigmoid(z)
    q = 1 / (1 + np.exp(z))  # 1 - p without cancellation
    ce = np.log1p(np.exp(-z))
    # dL/dz = q^gamma [gamma (1 - 2y) p (1 - p) / q CE + (p - y)] with y = 1, and p (1 - p) / q = p
    exact = q**gamma * (-gamma * p * ce - q)
    assert_allclose(out["naive gradient"][0], exact[0], rtol=1e-6)
    assert np.isnan(out["naive gradient"][1])
    assert_allclose(out["lossref gradient"], exact, rtol=1e-6)
    assert np.isfinite(out["lossref gradient"]).all()
    assert out["lossref gradient"][1] < 0


def test_focal_soft_target(printed):
    out = printed("losses/focal_soft_target.py")
    p = np.linspace(0.001, 0.999, 998001)  # candidate probabilities
    for y in (0.3, 0.8):
        ce = -y * np.log(p) - (1 - y) * np.log1p(-p)
        q = y * (1 - p) + (1 - y) * p
        for gamma in (0.0, 2.0):
            best = p[np.argmin(q**gamma * ce)]
            assert_allclose(out[f"y={y:g}, gamma={gamma:g}, sigmoid of the best logit"], best, atol=1e-3)
    # gamma = 0 reproduces the target; gamma = 2 pushes the optimum away from 1/2
    assert out["y=0.3, gamma=0, sigmoid of the best logit"][0] == 0.3
    assert out["y=0.8, gamma=0, sigmoid of the best logit"][0] == 0.8
    assert out["y=0.3, gamma=2, sigmoid of the best logit"][0] < 0.3
    assert out["y=0.8, gamma=2, sigmoid of the best logit"][0] > 0.8


# -------------------------------------------------------------------------------------- kl-divergence.md
def test_kl_divergence(printed):
    out = printed("losses/kl_divergence.py")
    y = np.array([0.7, 0.3, 0.0])
    logp = np.log(softmax(np.array([1.0, 0.0, -1.0])))
    entropy = -(0.7 * np.log(0.7) + 0.3 * np.log(0.3))  # the zero entry contributes nothing
    ce = -np.sum(y * logp)
    assert_allclose(out["KL"], ce - entropy)
    assert_allclose(out["cross-entropy"], ce)
    assert_allclose(out["CE - KL"], entropy)
    assert_allclose(out["entropy of y"], entropy)
    assert_allclose(out["gradient, KL"], np.exp(logp) - y, atol=5e-9)
    assert_allclose(out["gradient, KL"], out["gradient, CE"])
    assert out["KL"][0] > 0


def test_kl_divergence_reduction(printed):
    out = printed("losses/kl_divergence_reduction.py")
    y = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    z = np.array([[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    rows = np.sum(y * (np.log(y) - np.log(softmax(z))), axis=-1)
    assert_allclose(out["lossref mean"], rows.mean())
    assert_allclose(out["sum / n, torch 'batchmean'"], rows.mean())
    assert_allclose(out["sum / (n C), torch 'mean'"], rows.sum() / 6)
    assert_allclose(out["sum / (n C), torch 'mean'"] * 3, out["lossref mean"])
