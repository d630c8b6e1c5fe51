"""Label-noise guide: snippet output against the losses written out here and finite differences."""

import numpy as np
from numpy.testing import assert_allclose


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _losses(z, y, q=0.7):
    p = softmax(z)
    return {"CE": -np.log(p[y]), "GCE": (1 - p[y] ** q) / q, "MAE": np.abs(np.eye(len(z))[y] - p).sum()}


def _fd(f, z, h=1e-6):
    return np.array([(f(z + h * e) - f(z - h * e)) / (2 * h) for e in np.eye(len(z))])


def test_noise_gradients(printed):
    out = printed("guides/noise_gradients.py")
    z, y = np.array([4.0, 0.0, -1.0]), 1
    p = softmax(z)
    assert_allclose(out["p_y"], p[y], atol=1e-5)
    assert_allclose(out["CE gradient in the logits"], _fd(lambda v: _losses(v, y)["CE"], z), atol=1e-4)
    smooth = 0.9 * np.eye(3)[y] + 0.1 / 3
    assert_allclose(out["CE with label_smoothing=0.1"], _fd(lambda v: -(smooth * np.log(softmax(v))).sum(), z), atol=1e-4)
    assert_allclose(out["GCE (q = 0.7) gradient"], _fd(lambda v: _losses(v, y)["GCE"], z), atol=1e-4)
    assert_allclose(out["MAE gradient"], _fd(lambda v: _losses(v, y)["MAE"], z), atol=1e-4)
    assert_allclose(out["weights relative to CE (GCE, MAE)"], [p[y] ** 0.7, 2 * p[y]], atol=1e-4)
    ce, gce_small = out["CE, GCE at q = 1e-6"]
    assert_allclose(ce, -np.log(p[y]), atol=1e-6)
    assert abs(gce_small - ce) < 1e-4
    assert_allclose(out["GCE at q = 1, MAE / 2"], [1 - p[y]] * 2, atol=1e-6)
    assert_allclose(out["RCE by definition, -A (1 - p_y)"], [4 * (1 - p[y])] * 2, atol=1e-6)
    # A fixed soft target beta y + (1 - beta) p: the gradient p - target = beta (p - y).
    assert_allclose(out["soft bootstrap gradient"], 0.8 * (p - np.eye(3)[y]), atol=1e-4)
    assert_allclose(out["beta times CE's gradient"], 0.8 * (p - np.eye(3)[y]), atol=1e-4)
    assert_allclose(out["hard bootstrap gradient"], p - 0.8 * np.eye(3)[y] - 0.2 * np.eye(3)[0], atol=1e-4)


def test_noise_symmetric(printed):
    out = printed("guides/noise_symmetric.py")
    rng = np.random.default_rng(0)
    p = softmax(rng.normal(scale=2.0, size=(3, 4)))
    assert_allclose(out["sum_k CE"], -np.log(p).sum(axis=1), atol=1e-4)
    assert_allclose(out["sum_k MAE"], [6.0] * 3, atol=1e-12)  # 2 (K - 1)
    assert_allclose(out["sum_k GCE (q = 0.7)"], ((1 - p ** 0.7) / 0.7).sum(axis=1), atol=1e-4)
    assert np.ptp(out["sum_k CE"]) > 1 and np.ptp(out["sum_k GCE (q = 0.7)"]) > 0.05
    # Monte Carlo over noisy labels, independent of the closed form.
    y, eta, K = np.array([0, 2, 1]), 0.3, 4
    draws = np.random.default_rng(1)
    flip = draws.random((200_000, 3)) < eta
    noisy = np.where(flip, (y + draws.integers(1, K, size=(200_000, 3))) % K, y)
    mae = 2 * (1 - p[np.arange(3), noisy])  # MAE on a one-hot target is 2 (1 - p_label)
    assert_allclose(out["expected MAE under noise"], mae.mean(axis=0), atol=5e-3)
    assert_allclose(out["(1 - eta K/(K-1)) MAE + eta C/(K-1)"], out["expected MAE under noise"], atol=1e-4)


def _train_without_lossref():
    """The snippet's experiment redone with the softmax and the GCE/MAE gradients written out."""
    rng = np.random.default_rng(0)
    K, n, D = 3, 300, 300
    centers = np.array([[0.0, 2.0], [-1.8, -1.0], [1.8, -1.0]])

    def blobs(m):
        y = rng.integers(K, size=m)
        return centers[y] + rng.normal(size=(m, 2)), y

    x, y = blobs(n)
    x_test, y_test = blobs(5000)
    flip = rng.random(n) < 0.4
    y_noisy = np.where(flip, (y + rng.integers(1, K, size=n)) % K, y)
    W_feat, b_feat = rng.normal(scale=1.5, size=(2, D)), rng.uniform(0, 2 * np.pi, D)
    F, F_test = (np.sqrt(2 / D) * np.cos(v @ W_feat + b_feat) for v in (x, x_test))

    def train(labels, loss):
        W = np.zeros((D, K))
        onehot = np.eye(K)[labels]
        for _ in range(400):
            p = softmax(F @ W)
            p_y = p[np.arange(n), labels]
            # dL/dz: CE p - e_y; GCE -p_y^q (e_y - p); MAE 2 (1 - p_y) -> -2 p_y (e_y - p)
            weight = {"CE": np.ones(n), "GCE": p_y ** 0.7, "MAE": 2 * p_y}[loss]
            W -= 30.0 * F.T @ (weight[:, None] * (p - onehot)) / n
        return np.mean(np.argmax(F_test @ W, axis=1) == y_test)

    return flip.mean(), train(y, "CE"), {k: train(y_noisy, k) for k in ("CE", "GCE", "MAE")}


def test_noise_training(printed):
    out = printed("guides/noise_training.py")
    flipped, clean_ce, noisy = _train_without_lossref()
    assert_allclose(out["labels flipped"], flipped)
    assert_allclose(out["clean test accuracy, CE on clean labels"], clean_ce, atol=1e-3)
    for k, acc in noisy.items():
        assert_allclose(out[f"clean test accuracy, {k} on noisy labels"], acc, atol=1e-3)
    acc = {k: out[f"clean test accuracy, {k} on noisy labels"][0] for k in ("CE", "GCE", "MAE")}
    clean = out["clean test accuracy, CE on clean labels"][0]
    assert 0.38 < out["labels flipped"][0] < 0.48
    assert clean > 0.85
    assert acc["CE"] < acc["GCE"] < acc["MAE"] < clean  # what the page says about this run
    assert_allclose([clean, acc["CE"], acc["GCE"], acc["MAE"]], [0.8948, 0.603, 0.6816, 0.7972], atol=5e-3)


def test_pull_curves_of_the_plot():
    """The page's plot: CE pulls hardest at p_y -> 0, GCE (q = 0.7) and MAE at moderate p_y."""
    p = np.linspace(0.005, 0.995, 199)
    ce, gce, mae = 1 - p, p ** 0.7 * (1 - p), 2 * p * (1 - p)
    assert np.argmax(ce) == 0
    assert_allclose(p[np.argmax(gce)], 0.7 / 1.7, atol=0.005)
    assert_allclose(p[np.argmax(mae)], 0.5, atol=0.005)
