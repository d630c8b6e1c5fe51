"""Margin loss pages: each snippet's printed numbers against the formulas, computed here."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

# The three examples of the hinge, logistic and zero-one worked examples
Y3 = np.array([1.0, 1.0, -1.0])
S3 = np.array([2.0, 0.2, 0.3])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def hinge(y, s):
    return np.maximum(0, 1 - y * s)


def hinge_grad(y, s):
    return np.where(y * s < 1, -y, 0.0)


# ----------------------------------------------------------------------------------- hinge
def test_hinge(printed):
    out = printed("losses/hinge.py")
    assert_allclose(out["margins y*s"], [2.0, 0.2, -0.3])
    assert_allclose(out["losses"], [0.0, 0.8, 1.3])  # the lesson's numbers
    assert_allclose(out["losses"], hinge(Y3, S3))
    assert_array_equal(out["gradients"], [0.0, -1.0, 1.0])
    assert_allclose(out["mean loss"], 2.1 / 3)
    assert_allclose(out["gradient of the mean"], hinge_grad(Y3, S3) / 3, rtol=1e-7)


def test_hinge_printed_digits(run_snippet):
    text = run_snippet("losses/hinge.py")
    assert "losses: [0.  0.8 1.3]" in text
    assert "gradients: [ 0. -1.  1.]" in text


def test_hinge_minimizer(printed):
    out = printed("losses/hinge_minimizer.py")
    for eta, sign in ((0.7, 1.0), (0.3, -1.0)):
        grid = np.linspace(-3, 3, 6001)
        risk = eta * hinge(1, grid) + (1 - eta) * hinge(-1, grid)
        assert out[f"P(y=+1) = {eta}, best constant score"] == sign == np.sign(2 * eta - 1)
        assert_allclose(out[f"P(y=+1) = {eta}, best constant score"], grid[np.argmin(risk)], atol=1e-3)
        assert_allclose(out[f"P(y=+1) = {eta}, its risk"], 2 * min(eta, 1 - eta))  # twice the Bayes error


def test_hinge_kink(printed):
    out = printed("losses/hinge_kink.py")
    assert_allclose(out["slope from the left"], -1.0)
    assert_allclose(out["slope from the right"], 0.0)
    # lossref's choice at y*s = 1 lies in the subdifferential [-1, 0] and is its right end, 0
    assert out["lossref's subgradient"][0] == 0.0
    assert out["slope from the left"][0] <= out["lossref's subgradient"][0] <= out["slope from the right"][0]


def test_hinge_support_vectors(printed):
    out = printed("losses/hinge_support_vectors.py")
    X = np.array([[2.0, 1.0], [1.0, -1.0], [-1.0, -2.0], [0.5, 0.5], [-1.5, 0.5]])
    y = np.array([1.0, 1.0, -1.0, -1.0, -1.0])
    s = X @ np.array([1.0, 0.5])
    g = hinge_grad(y, s)
    assert_allclose(out["margins y*s"], y * s)
    assert_array_equal(out["dL/ds"], g)
    assert np.count_nonzero(out["dL/ds"]) == 2  # two margin violators
    expected = -(y[y * s < 1, None] * X[y * s < 1]).sum(axis=0)  # -sum over violators of y_i x_i
    assert_allclose(out["gradient in w, all points"], expected)
    assert_allclose(out["gradient in w, violators only"], expected)


def test_hinge_labels(run_snippet, printed):
    text = run_snippet("losses/hinge_labels.py")
    error = next(line for line in text.splitlines() if line.startswith("error:"))
    assert "labels in {-1, +1}" in error
    assert "y = 2 * y - 1" in error
    out = printed("losses/hinge_labels.py")
    y01 = np.array([1.0, 0.0, 0.0, 1.0])
    s = np.array([0.8, -2.0, 0.5, 1.5])
    assert_array_equal(out["converted labels"], [1, -1, -1, 1])
    assert_allclose(out["losses"], hinge(2 * y01 - 1, s))
    # with y = 0 every negative costs exactly 1, whether its score is right (-2.0) or wrong (0.5)
    assert_allclose(out["formula with the 0/1 labels"], [0.2, 1.0, 1.0, 0.0])


# ----------------------------------------------------------------------------------- squared hinge
def test_squared_hinge(printed):
    out = printed("losses/squared_hinge.py")
    v = np.maximum(0, 1 - Y3 * S3)
    assert_allclose(out["1 - y*s"], 1 - Y3 * S3)
    assert_allclose(out["losses"], v**2)
    assert_allclose(out["losses"], [0.0, 0.64, 1.69])
    assert_allclose(out["gradients"], -2 * Y3 * v)
    assert_allclose(out["gradients"], [0.0, -1.6, 2.6])
    assert_array_equal(out["hinge gradients"], hinge_grad(Y3, S3))
    # the violators' gradients are twice their violations, larger than the hinge's -y
    assert np.all(np.abs(out["gradients"][1:]) > np.abs(out["hinge gradients"][1:]))


def test_squared_hinge_minimizer(printed):
    out = printed("losses/squared_hinge_minimizer.py")
    eta = 0.7
    assert_allclose(out["best constant score"], 2 * eta - 1, atol=1e-3)
    assert_allclose(out["(best + 1) / 2"], eta, atol=1e-3)
    assert_allclose(out["its risk"], 4 * eta * (1 - eta), atol=1e-6)


# ----------------------------------------------------------------------------------- logistic
def test_logistic(printed):
    out = printed("losses/logistic.py")
    assert_allclose(out["losses"], np.log1p(np.exp(-Y3 * S3)), rtol=1e-7)
    assert_allclose(out["gradients"], -Y3 * sigmoid(-Y3 * S3), rtol=1e-6)
    assert_allclose(out["losses"][0], 0.127, atol=5e-4)  # the numbers quoted on the page
    assert_allclose(out["gradients"][0], -0.119, atol=5e-4)
    assert_array_equal(out["hinge losses"], [0.0, 0.8, 1.3])
    # every example gets a gradient under the logistic loss, not under the hinge
    assert np.all(out["gradients"] != 0) and out["hinge gradients"][0] == 0


def test_logistic_minimizer(printed):
    out = printed("losses/logistic_minimizer.py")
    log_odds = np.log(0.7 / 0.3)
    assert_allclose(out["log-odds log(0.7 / 0.3)"], log_odds)
    assert_allclose(out["best constant score"], log_odds, atol=1e-3)
    assert_allclose(out["sigma(best)"], 0.7, atol=1e-3)


def test_logistic_bce(printed):
    out = printed("losses/logistic_bce.py")
    y = np.array([1.0, -1.0, -1.0, 1.0, 1.0])
    s = np.array([2.0, -0.5, 1.2, -3.0, 0.0])
    y01 = (y + 1) / 2
    bce = -(y01 * np.log(sigmoid(s)) + (1 - y01) * np.log(1 - sigmoid(s)))
    assert_allclose(out["logistic"], bce, rtol=1e-7)
    assert_allclose(out["bce_with_logits"], bce, rtol=1e-7)
    assert_allclose(out["logistic"][4], np.log(2), rtol=1e-7)  # margin 0 costs log 2
    assert_allclose(out["logistic gradient"], sigmoid(s) - y01, rtol=1e-6)
    assert_allclose(out["bce_with_logits gradient"], sigmoid(s) - y01, rtol=1e-6)


def test_logistic_stability(printed):
    out = printed("losses/logistic_stability.py")
    m = np.array([-1000.0, -100.0, 50.0])
    direct = out["direct formula"]
    assert np.isinf(direct[0]) and direct[2] == 0.0  # overflow, and the small loss lost
    assert_allclose(direct[1], 100.0)
    assert np.all(np.isfinite(out["lossref"]))
    # softplus: max(-m, 0) + log1p(exp(-|m|))
    assert_allclose(out["lossref"], np.maximum(-m, 0) + np.log1p(np.exp(-np.abs(m))), rtol=1e-7)
    assert out["lossref"][2] > 0
    assert_allclose(out["lossref gradient"], -sigmoid(-m), rtol=1e-7)
    assert np.isinf(out["direct formula, float32"][0])
    assert_allclose(out["lossref, float32"], 100.0)


# ----------------------------------------------------------------------------------- multiclass hinge
SCORES = np.array([[3.0, 0.5, -1.0], [2.0, 1.5, -1.0], [0.5, 1.0, 0.8], [0.2, 0.1, 0.0]])
LABELS = np.array([0, 0, 1, 2])


def rival_gaps(labels, scores, margin=1.0):
    """margin + s_j - s_c for every rival j, and -inf for the true class."""
    true = scores[np.arange(len(labels)), labels][:, None]
    gaps = margin + scores - true
    gaps[np.arange(len(labels)), labels] = -np.inf
    return gaps


def crammer_singer(labels, scores, margin=1.0):
    return np.maximum(rival_gaps(labels, scores, margin).max(axis=1), 0)


def weston_watkins(labels, scores, margin=1.0):
    return np.maximum(rival_gaps(labels, scores, margin), 0).sum(axis=1)


def test_multiclass_hinge(printed):
    out = printed("losses/multiclass_hinge.py")
    cs, ww = crammer_singer(LABELS, SCORES), weston_watkins(LABELS, SCORES)
    assert_allclose(out["crammer_singer"], cs)
    assert_allclose(out["weston_watkins"], ww)
    assert np.all(ww >= cs) and ww[1] == cs[1] and ww[2] > cs[2] and ww[3] > cs[3]
    assert_allclose(out["weston_watkins / C (PyTorch's multi_margin_loss)"], ww / 3, rtol=1e-7)
    assert_allclose(out["means, crammer_singer and weston_watkins"], [cs.mean(), ww.mean()])
    assert_array_equal(out["crammer_singer gradient, row 3"], [0, -1, 1])  # rival: class 2 (score 0.8)
    assert_array_equal(out["weston_watkins gradient, row 3"], [1, -2, 1])
    assert_array_equal(out["row sums of the weston_watkins gradient"], np.zeros(4))


def test_multiclass_hinge_margin(printed):
    out = printed("losses/multiclass_hinge_margin.py")
    for margin in (0.0, 1.0, 2.0):
        assert_allclose(out[f"margin={margin}"], crammer_singer(LABELS, SCORES, margin))
    errors = (SCORES.argmax(axis=1) != LABELS).astype(float)
    assert_array_equal(out["errors (zero_one)"], errors)
    # margin 0: only the misclassified rows cost anything
    assert_array_equal(out["margin=0.0"] > 0, errors > 0)
    assert_allclose(out["margin=2.0 on 2 * scores, halved"], crammer_singer(LABELS, SCORES, 1.0))


def test_multiclass_hinge_minimizer(printed):
    out = printed("losses/multiclass_hinge_minimizer.py")
    grid = np.linspace(-2.0, 2.0, 81)
    s0, s1 = np.meshgrid(grid, grid, indexing="ij")
    S = np.column_stack([s0.ravel(), s1.ravel(), np.zeros(s0.size)])
    expected_best = [
        ([0.6, 0.2, 0.2], "crammer_singer", [1, 0, 0]),  # class 0 ahead by the margin
        ([0.6, 0.2, 0.2], "weston_watkins", [1, 0, 0]),
        ([0.45, 0.35, 0.2], "crammer_singer", [0, 0, 0]),  # all tied: no class named
        ([0.45, 0.35, 0.2], "weston_watkins", [1, 1, 0]),  # the two most probable tied
    ]
    for p, variant, best in expected_best:
        p_text = str(p)
        loss = crammer_singer if variant == "crammer_singer" else weston_watkins
        risk = sum(pc * loss(np.full(len(S), c), S) for c, pc in enumerate(p))
        assert_allclose(out[f"p = {p_text}, {variant}, best scores"], best)
        assert_allclose(out[f"p = {p_text}, {variant}, best scores"], S[np.argmin(risk)], atol=1e-12)
        assert_allclose(out[f"p = {p_text}, {variant}, expected loss"], risk.min(), atol=1e-6)
    # with a majority class, Crammer-Singer's minimum is 2 (1 - p_0)
    assert_allclose(out["p = [0.6, 0.2, 0.2], crammer_singer, expected loss"], 2 * (1 - 0.6))
    assert_allclose(out["p = [0.45, 0.35, 0.2], crammer_singer, expected loss"], 1.0)


# ----------------------------------------------------------------------------------- zero-one
def test_zero_one(printed):
    out = printed("losses/zero_one.py")
    y = np.array([1.0, -1.0, 1.0, -1.0])
    s = np.array([0.5, 0.2, -3.0, 0.0])
    errors = (y * s <= 0).astype(float)
    assert_array_equal(out["binary errors"], errors)
    assert out["binary errors"][3] == 1  # a score of exactly 0 is an error
    assert_allclose(out["error rate"], errors.mean())
    assert_allclose(out["number of errors"], errors.sum())
    labels = np.array([0, 2, 1])
    scores = np.array([[2.0, 1.0, 0.0], [0.5, 0.3, 0.1], [1.0, 1.0, -1.0]])
    multi = (scores.argmax(axis=1) != labels).astype(float)  # argmax takes the first maximum
    assert_array_equal(out["multiclass errors"], multi)
    assert out["multiclass errors"][2] == 1  # the tie went to class 0, not the true class 1
    assert_allclose(out["accuracy"], 1 - multi.mean(), atol=1e-6)


def test_zero_one_grad(run_snippet, printed):
    text = run_snippet("losses/zero_one_grad.py")
    error = next(line for line in text.splitlines() if line.startswith("error:"))
    assert "no useful gradient" in error and "surrogate" in error
    out = printed("losses/zero_one_grad.py")
    assert out["slope along +h"] == 0 and out["slope along -h"] == 0
    y = np.array([1.0, -1.0, 1.0])
    s = np.array([0.5, 0.2, -3.0])
    assert_array_equal(out["hinge gradients"], hinge_grad(y, s))


def test_zero_one_balanced(printed):
    out = printed("losses/zero_one_balanced.py")
    y = np.array([-1.0] * 8 + [1.0] * 2)
    errors = (y * -1.0 <= 0).astype(float)  # every score is -1
    assert_allclose(out["error rate"], errors.mean())
    assert_allclose(out["error rate"], 0.2)
    assert_allclose(out["error on negatives"], 0.0)
    assert_allclose(out["error on positives"], 1.0)
    per_class = [errors[y == -1].mean(), errors[y == 1].mean()]
    assert_allclose(out["balanced error"], np.mean(per_class))  # 1 - balanced accuracy
    w = np.where(y == 1, 5.0, 1.0)
    assert_allclose(out["cost-weighted error, (1, 5)"], np.sum(w * errors) / np.sum(w))


def test_zero_one_surrogates(printed):
    out = printed("losses/zero_one_surrogates.py")
    zero_one = (Y3 * S3 <= 0).astype(float)
    assert_array_equal(out["0-1 losses"], zero_one)
    assert_allclose(out["hinge losses"], hinge(Y3, S3))
    assert_allclose(out["squared hinge losses"], hinge(Y3, S3) ** 2)
    assert_allclose(out["logistic losses / log 2"], np.log1p(np.exp(-Y3 * S3)) / np.log(2), rtol=1e-7)
    for name in ("hinge losses", "squared hinge losses", "logistic losses / log 2"):
        assert np.all(out[name] >= zero_one)  # every surrogate bounds the 0-1 loss
    assert_allclose(out["error rate"], 1 / 3)
    assert_allclose(out["mean hinge"], 0.7)
    assert out["mean hinge"] >= out["error rate"]
