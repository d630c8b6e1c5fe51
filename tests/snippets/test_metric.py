"""Metric-learning page: each snippet's printed numbers against the formulas, computed here."""

import numpy as np
from numpy.testing import assert_allclose


def unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


# ----------------------------------------------------------------------------------- triplet
def test_triplet_margin(printed):
    out = printed("losses/triplet_margin.py")
    anchor = np.zeros((3, 2))
    positive = np.array([[0.6, 0.8], [3.0, 0.0], [1.0, 1.0]])
    negative = np.array([[3.0, 4.0], [0.0, 1.0], [-1.0, 1.0]])
    d_ap = np.linalg.norm(anchor - positive + 1e-6, axis=1)
    d_an = np.linalg.norm(anchor - negative + 1e-6, axis=1)
    assert_allclose(out["losses"], np.maximum(d_ap - d_an + 1, 0), atol=1e-6)
    # the violated triplets move the positive towards the anchor: -(a - p) / |a - p|
    assert_allclose(out["gradient in the positive"].reshape(3, 2)[1:], unit(positive - anchor - 1e-6)[1:], atol=1e-6)
    assert_allclose(out["gradient in the positive"].reshape(3, 2)[0], 0)
    assert out["the three gradients sum to"][0] < 1e-12
    optax = np.sqrt(np.sum((anchor - positive) ** 2, axis=1) + 1e-6) - np.sqrt(np.sum((anchor - negative) ** 2, axis=1) + 1e-6)
    assert_allclose(out["optax minus lossref"], np.maximum(optax + 1, 0) - np.maximum(d_ap - d_an + 1, 0), atol=1e-12)
    assert_allclose(out["same point, lossref's d(u, u)"], [1e-6 * np.sqrt(128), 1e-3])


# ----------------------------------------------------------------------------------- pairs
def test_cosine_embedding(printed):
    out = printed("losses/cosine_embedding.py")
    x2 = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 1.0], [-1.0, 0.5]])
    cos = unit(x2)[:, 0]  # x1 = (1, 0) in every pair
    assert_allclose(out["losses, margin 0"], [1 - cos[0], 1 - cos[1], max(cos[2], 0), max(cos[3], 0)], atol=1e-6)
    assert_allclose(out["losses, margin 0.5"], [1 - cos[0], 1 - cos[1], max(cos[2] - 0.5, 0), 0], atol=1e-6)
    assert_allclose(out["x2 . gradient (no radial part)"], 0)
    assert_allclose(out["similar pair with a zero vector"], [1.0])


def test_hinge_embedding(printed):
    out = printed("losses/hinge_embedding.py")
    d = np.array([0.5, 0.0, 0.6, 2.0])
    assert_allclose(out["distances"], d)
    assert_allclose(out["losses"], [0.5, 0.0, 0.4, 0.0])  # d, d, 1 - d, max(0, 1 - 2)
    assert_allclose(out["gradients"], [1, 1, -1, 0])
    assert_allclose(out["SVM hinge on the distances"], np.maximum(0, 1 - np.array([1, 1, -1, -1]) * d))


# ----------------------------------------------------------------------------------- batches
def naive_ntxent_pairs(labels, e, tau):
    """optax's ntxent per ordered positive pair: -log(e^s_ij / (e^s_ij + sum_neg e^s_ik))."""
    s = unit(e) @ unit(e).T / tau
    out = {}
    for i in range(len(e)):
        neg = np.sum(np.exp(s[i][labels != labels[i]]))
        for j in range(len(e)):
            if j != i and labels[j] == labels[i]:
                out[i, j] = -(s[i, j] - np.log(np.exp(s[i, j]) + neg))
    return out


def test_ntxent(printed):
    out = printed("losses/ntxent.py")
    rng = np.random.default_rng(0)
    views = rng.normal(size=(4, 8))
    e = np.concatenate([views + 0.8 * rng.normal(size=(4, 8)), views + 0.8 * rng.normal(size=(4, 8))])
    labels = np.array([0, 1, 2, 3, 0, 1, 2, 3])
    pairs = naive_ntxent_pairs(labels, e, 0.07)
    assert_allclose(out["NT-Xent, temperature 0.07"], np.mean(list(pairs.values())), atol=1e-6)
    for t in (0.05, 0.5, 5.0):
        assert_allclose(out[f"temperature {t}"], np.mean(list(naive_ntxent_pairs(labels, e, t).values())), atol=1e-6)
    classes = np.array([0, 0, 0, 1, 1, 1, 1, 2])
    pairs = naive_ntxent_pairs(classes, e, 0.07)
    assert len(pairs) == 18 == out["ordered positive pairs"][0]
    assert_allclose(out["mean over pairs"][0], np.mean(list(pairs.values())), atol=1e-6)
    class0 = [v for (i, _), v in pairs.items() if i < 3]
    assert_allclose(out["only class 0's anchors"][0], np.mean(class0), atol=1e-6)


def test_info_nce(printed):
    out = printed("losses/info_nce.py")
    rng = np.random.default_rng(1)
    q = rng.normal(size=(4, 8))
    k = q + 0.5 * rng.normal(size=(4, 8))
    neg = rng.normal(size=(16, 8))
    logits = np.concatenate([np.sum(unit(q) * unit(k), axis=1, keepdims=True), unit(q) @ unit(neg).T], axis=1) / 0.1
    ce = np.log(np.sum(np.exp(logits), axis=1)) - logits[:, 0]
    assert_allclose(out["shared negatives"], np.mean(ce), atol=1e-6)
    in_batch = unit(q) @ unit(k).T / 0.1
    assert_allclose(out["in-batch negatives"], np.mean(np.log(np.sum(np.exp(in_batch), axis=1)) - np.diag(in_batch)),
                    atol=1e-6)
    assert_allclose(out["gradient shapes"], [4, 8, 4, 8, 16, 8])
    assert_allclose(out["all keys alike"][[0, 2]], [np.log(17)] * 2, atol=1e-6)  # "log(17):" also prints 17


def test_circle(printed):
    out = printed("losses/circle.py")
    rng = np.random.default_rng(2)
    labels = np.array([0, 0, 0, 1, 1, 2])
    centres = rng.normal(size=(3, 6))
    e = centres[labels] + 0.4 * rng.normal(size=(6, 6))
    d = np.maximum(1 - unit(e) @ unit(e).T, 0)
    rows = []
    for i in range(6):  # Keras's circle, from the paper's notation: alpha_p = [1 + m - s]_+, alpha_n = [s + m]_+
        s = 1 - d[i]
        pos = [-80 * max(1.4 - s[j], 0) * (s[j] - 0.6) for j in range(6) if labels[j] == labels[i] and j != i]
        neg = [80 * max(s[j] + 0.4, 0) * (s[j] - 0.4) for j in range(6) if labels[j] != labels[i]]
        if not pos or not neg:
            rows.append(0.0)
            continue
        lse = lambda z: max(z) + np.log(np.sum(np.exp(np.array(z) - max(z))))  # noqa: E731
        rows.append(np.logaddexp(0, lse(pos) + lse(neg)))
    rows = np.array(rows)
    assert_allclose(out["per row"], rows, atol=1e-4)
    assert_allclose(out["lossref mean (every row)"], np.mean(rows), atol=1e-6)
    assert_allclose(out["Keras's Circle mean (rows above 0)"], np.mean(rows[rows > 0]), atol=1e-6)
    assert_allclose(out["rows rescaled"], np.mean(rows), atol=1e-6)
