"""info_nce: cross-entropy of [cos(q, k+), cos(q, k-)...] / temperature, positive first (info-nce-pytorch)."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.info_nce
mpmath.mp.dps = 60


def mp_unit(x):
    """F.normalize: x / max(||x||, 1e-12)."""
    row = [mpmath.mpf(float(t)) for t in x]
    n = max(mpmath.sqrt(mpmath.fsum(t * t for t in row)), mpmath.mpf("1e-12"))
    return [t / n for t in row]


def mp_info_nce(q, k, neg=None, temperature=0.1):
    """info-nce-pytorch's info_nce: logits [q.k+, q.n_1, ...] / T (or q.k_j over all keys, positive j = i)."""
    tau = mpmath.mpf(temperature)
    qs, ks = [mp_unit(r) for r in q], [mp_unit(r) for r in k]
    others = None if neg is None else [mp_unit(r) for r in neg]
    out = []
    for i, qi in enumerate(qs):
        dot = lambda u, v: mpmath.fsum(a * b for a, b in zip(u, v))  # noqa: E731
        keys = [ks[i]] + others if others is not None else ks
        logits = [dot(qi, kj) / tau for kj in keys]
        positive = logits[0] if others is not None else logits[i]
        out.append(float(mpmath.log(mpmath.fsum(mpmath.exp(z) for z in logits)) - positive))
    return np.array(out)


def data(seed, n=6, m=4, d=3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.normal(size=(n, d)), rng.normal(size=(m, d))


def test_by_hand():
    q, k = [[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [0.0, 3.0]]
    # in-batch: logits [[1, 0], [0, 1]]: log(e + 1) - 1 each
    np.testing.assert_allclose(loss(q, k, temperature=1.0, reduction="none"), np.log1p(np.exp(-1.0)), rtol=1e-14)
    # one shared negative (-1, 0): logits [1, -1] and [1, 0]
    np.testing.assert_allclose(loss(q, k, [[-1.0, 0.0]], temperature=1.0, reduction="none"),
                               [np.log1p(np.exp(-2.0)), np.log1p(np.exp(-1.0))], rtol=1e-14)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("shared", [True, False])
def test_matches_mpmath(seed, shared):
    q, k, neg = data(seed)
    neg = neg if shared else None
    # LSE(z) - z_pos cancels for a confident row: compare to 1e-14 absolute there
    np.testing.assert_allclose(loss(q, k, neg, temperature=0.1, reduction="none"), mp_info_nce(q, k, neg, 0.1),
                               rtol=1e-12, atol=1e-14)


def test_is_a_cross_entropy_with_the_positive_first():
    q, k, neg = data(4, n=8, m=5)
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    logits = np.concatenate([np.sum(unit(q) * unit(k), axis=1, keepdims=True), unit(q) @ unit(neg).T], axis=1) / 0.2
    assert loss(q, k, neg, temperature=0.2) == pytest.approx(lr.cross_entropy(np.zeros(8, dtype=int), logits), rel=1e-13)
    in_batch = unit(q) @ unit(k).T / 0.2
    assert loss(q, k, temperature=0.2) == pytest.approx(lr.cross_entropy(np.arange(8), in_batch), rel=1e-13)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_match_finite_differences(seed, shared, reduction, assert_grads_match):
    q, k, neg = data(seed)
    arrays = {"query": q, "positive_key": k, "negative_keys": neg if shared else None}
    w = np.random.default_rng(seed).uniform(0, 2, size=len(q))
    grads = assert_grads_match(loss, arrays, {"temperature": 0.3}, reduction=reduction, sample_weight=w)
    assert len(grads) == (3 if shared else 2)


def test_gradient_of_none_is_that_of_the_sum_and_tangent():
    q, k, neg = data(7)
    g_none, g_sum = loss.grad(q, k, neg, reduction="none"), loss.grad(q, k, neg, reduction="sum")
    for g, h, x in zip(g_none, g_sum, (q, k, neg)):
        np.testing.assert_array_equal(g, h)
        np.testing.assert_allclose(np.sum(g * x, axis=1), 0, atol=1e-12)  # lengths do not matter


def test_scale_invariance_and_the_random_embedding_value():
    q, k, neg = data(8)
    value = loss(q, k, neg)
    assert loss(3.0 * q, 0.5 * k, 7.0 * neg) == pytest.approx(value, rel=1e-12)
    # identical logits for every candidate: the loss is log(1 + M) whatever the temperature
    same = np.ones((3, 2))
    assert loss(same, same, np.ones((4, 2)), temperature=0.01) == pytest.approx(np.log(5), rel=1e-12)


@pytest.mark.parametrize("scale", [1e30, 1e-30])
def test_extremes_in_float32(scale):
    q, k, neg = (x * scale for x in data(9))
    value, grads = loss.value_and_grad(*(x.astype(np.float32) for x in (q, k, neg)), temperature=0.001)
    assert isinstance(value, np.float32) and np.isfinite(value) and all(np.all(np.isfinite(g)) for g in grads)
    if scale > 1:  # the cosines do not depend on the scale
        assert value == pytest.approx(loss(*(x / scale for x in (q, k, neg)), temperature=0.001), rel=1e-3)
    else:  # below F.normalize's floor 1e-12 every vector shrinks to ~0: all logits 0, loss log(1 + M)
        assert value == pytest.approx(np.log(1 + len(neg)), rel=1e-6)


@pytest.mark.parametrize("args, error, message", [
    (([[1.0, 0.0]], [[1.0, 0.0, 0.0]]), ValueError, r"query and positive_key must have the same shape"),
    (([[1.0, 0.0]], [[1.0, 0.0]], [[1.0, 0.0, 0.0]]), ValueError,
     r"negative_keys must have 2 columns, as query has; got shape \(1, 3\)"),
    (([1.0, 0.0], [1.0, 0.0]), ValueError, r"query must have shape \(N, D\)"),
    (([[1.0, 0.0]], [[1.0, 0.0]], [1.0, 0.0]), ValueError, r"negative_keys must have shape \(M, D\)"),
])
def test_bad_input_is_named(args, error, message):
    with pytest.raises(error, match=message):
        loss(*args)
