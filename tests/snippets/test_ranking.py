"""Ranking loss page: each snippet's printed numbers against the formulas, computed here."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal


def log_softmax(s):
    s = np.asarray(s, dtype=float)
    top = s.max(axis=-1, keepdims=True)
    return s - top - np.log(np.exp(s - top).sum(axis=-1, keepdims=True))


def listwise(r, s):
    """-sum_i r_i log softmax(s)_i over the items of one list given in full (no padding)."""
    return -(np.asarray(r) * log_softmax(s)).sum(axis=-1)


# ----------------------------------------------------------------------------------- margin ranking
def test_margin_ranking(printed):
    out = printed("losses/margin_ranking.py")
    y, x1, x2 = np.array([1.0, 1.0, -1.0]), np.array([2.0, 0.4, 1.2]), np.array([1.0, 0.6, 1.5])
    d = y * (x1 - x2)
    assert_allclose(out["signed differences y*(x1 - x2)"], d)
    assert_allclose(out["losses, margin 0.5"], np.maximum(0, 0.5 - d))
    assert_array_equal(out["gradient in x1"], np.where(0.5 - d > 0, -y, 0))
    assert_array_equal(out["gradient in x2"], np.where(0.5 - d > 0, y, 0))
    assert out["equal scores, margin 0"] == 0 and out["equal scores, margin 0.5"] == 0.5


# ----------------------------------------------------------------------------------- softmax ranking
def test_ranking_softmax(printed):
    out = printed("losses/ranking_softmax.py")
    r, s = np.array([3.0, 0.0, 1.0, 0.0]), np.array([1.0, 2.0, 0.5, -1.0])
    p = np.exp(log_softmax(s))
    assert_allclose(out["softmax of the scores"], p, atol=5e-5)
    assert_allclose(out["loss"], listwise(r, s), rtol=1e-12)
    assert_allclose(out["-sum r log p by hand"], out["loss"], rtol=1e-12)
    assert_allclose(out["gradient"], 4 * p - r, atol=5e-5)
    assert_allclose(out["R p - r by hand"], out["gradient"])


def test_ranking_softmax_mask(printed):
    out = printed("losses/ranking_softmax_mask.py")
    # masking an item is dropping it from the list
    list1, list2 = listwise([1.0, 0.0, 2.0], [0.5, 1.5, 1.0]), listwise([0.0, 1.0], [2.0, 1.0])
    assert_allclose(out["per list, masked"], [list1, list2, 0.0], rtol=1e-8)
    padded = [listwise([1.0, 0.0, 2.0, 0.0], [0.5, 1.5, 1.0, 0.0]), listwise([0.0, 1.0, 0, 0], [2.0, 1.0, 0, 0]), 0.0]
    assert_allclose(out["per list, padding left in"], padded, rtol=1e-8)
    assert_allclose(out["mean, masked (over the two lists with items)"], (list1 + list2) / 2, rtol=1e-12)
    p = np.exp(log_softmax([0.5, 1.5, 1.0]))
    assert_allclose(out["gradient of list 1, masked"], np.append(3 * p - [1.0, 0.0, 2.0], 0.0), atol=5e-5)
    p4 = np.exp(log_softmax([0.5, 1.5, 1.0, 0.0]))
    assert_allclose(out["gradient of list 1, padding left in"], 3 * p4 - [1.0, 0.0, 2.0, 0.0], atol=5e-5)
    assert_array_equal(out["gradient of list 3, masked"], 0)


def test_ranking_softmax_cross_entropy(printed):
    out = printed("losses/ranking_softmax_cross_entropy.py")
    scores = np.random.default_rng(0).normal(size=(3, 5))
    expected = -log_softmax(scores)[np.arange(3), [4, 0, 2]]
    for label in ("ranking_softmax, one-hot relevance", "cross_entropy, integer labels", "after shifting each list"):
        assert_allclose(out[label], expected, rtol=1e-8)
    assert out["largest |row sum| of the gradient"] < 1e-15
