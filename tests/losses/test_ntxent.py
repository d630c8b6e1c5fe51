"""ntxent: optax's NT-Xent (optax/losses/_self_supervised.py, ``ntxent``), with per-anchor weights."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.ntxent
mpmath.mp.dps = 60


def mp_cosines(e, eps):
    """optax's cosine_similarity(..., epsilon=eps): each squared norm clipped at eps before the root."""
    rows = [[mpmath.mpf(float(t)) for t in r] for r in e]
    norms = [mpmath.sqrt(max(mpmath.fsum(t * t for t in r), mpmath.mpf(eps))) for r in rows]
    return [[mpmath.fsum(a * b for a, b in zip(u, v)) / (nu * nv) for v, nv in zip(rows, norms)]
            for u, nu in zip(rows, norms)]


def mp_ntxent(labels, e, temperature=0.07, weights=None, eps=float(np.finfo(np.float64).eps)):
    """optax's ntxent, line by line: matches = same label minus the diagonal, diffs = other labels; each
    positive pair's log-softmax is over its own logit and the anchor's negatives
    (``denom = sum(exp(xcs_diffs)) + numer_exp``); the loss is the sum over positive pairs divided by their
    number (``matches.sum()``). With weights, pair (i, j) is weighted by w_i, also in the divisor."""
    s = mp_cosines(e, eps)
    tau = mpmath.mpf(temperature)
    n = len(labels)
    w = [mpmath.mpf(1)] * n if weights is None else [mpmath.mpf(float(x)) for x in weights]
    total, count, per_anchor = mpmath.mpf(0), mpmath.mpf(0), []
    for i in range(n):
        negatives = mpmath.fsum(mpmath.exp(s[i][k] / tau) for k in range(n) if labels[k] != labels[i])
        anchor = mpmath.mpf(0)
        for j in range(n):
            if j != i and labels[j] == labels[i]:
                anchor += -(s[i][j] / tau - mpmath.log(mpmath.exp(s[i][j] / tau) + negatives))
                count += w[i]
        per_anchor.append(anchor)
        total += w[i] * anchor
    return float(total / count), np.array([float(a) for a in per_anchor])


def batch(seed, n=8, d=5, classes=3):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    return labels, rng.normal(size=(n, d))


def test_aligned_pairs_by_hand():
    e = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    # each pair: cosine 1 with its positive, 0 with its two negatives: -log(e / (e + 2)) = log(1 + 2/e)
    assert loss([0, 0, 1, 1], e, temperature=1.0) == pytest.approx(np.log1p(2 / np.e), rel=1e-14)
    np.testing.assert_allclose(loss([0, 0, 1, 1], e, temperature=1.0, reduction="none"), np.log1p(2 / np.e))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("temperature", [0.07, 0.5])
def test_matches_the_published_formula_in_mpmath(seed, temperature):
    labels, e = batch(seed, n=9)
    expected, per_anchor = mp_ntxent(labels, e, temperature)
    assert loss(labels, e, temperature=temperature) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(loss(labels, e, temperature=temperature, reduction="none"), per_anchor, rtol=1e-12)


def test_classes_of_unequal_size_average_over_pairs_not_anchors():
    labels = np.array([0, 0, 0, 0, 1, 1, 2])  # 12 ordered pairs from class 0, 2 from class 1, none from 2
    e = np.random.default_rng(1).normal(size=(7, 3))
    each = loss(labels, e, reduction="none")
    assert each[6] == 0  # a unique label is an anchor of nothing
    assert loss(labels, e) == pytest.approx(np.sum(each) / 14, rel=1e-14)
    assert loss(labels, e) == pytest.approx(mp_ntxent(labels, e)[0], rel=1e-12)


def test_weights_weigh_each_pair_by_its_anchor():
    labels, e = batch(5, n=10)
    w = np.random.default_rng(5).uniform(0, 3, size=10)
    assert loss(labels, e, sample_weight=w) == pytest.approx(mp_ntxent(labels, e, weights=w)[0], rel=1e-12)
    np.testing.assert_allclose(loss(labels, e, sample_weight=w, reduction="none"),
                               w * loss(labels, e, reduction="none"), rtol=1e-14)
    assert loss(labels, e, sample_weight=np.full(10, 2.5)) == pytest.approx(loss(labels, e), rel=1e-14)


def test_two_views_per_example_is_a_cross_entropy_over_the_other_rows():
    # SimCLR: rows i and i + n are views of one image; each anchor has one positive, so its denominator is
    # every other row, and the loss is cross-entropy over the similarity row with the diagonal removed
    rng = np.random.default_rng(2)
    n = 5
    e = rng.normal(size=(2 * n, 4))
    labels = np.concatenate([np.arange(n), np.arange(n)])
    u = e / np.linalg.norm(e, axis=1, keepdims=True)
    logits = u @ u.T / 0.1
    np.fill_diagonal(logits, -1e4)  # exp(-1e4 - max) is exactly 0: the self-similarity drops out
    partner = np.concatenate([np.arange(n, 2 * n), np.arange(n)])
    assert loss(labels, e, temperature=0.1) == pytest.approx(lr.cross_entropy(partner, logits), rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_match_finite_differences(seed, reduction, assert_grads_match):
    labels, e = batch(seed, n=7, d=3)
    w = np.random.default_rng(seed).uniform(0.2, 2, size=7)
    assert_grads_match(loss, {"labels": labels, "embeddings": e}, {"temperature": 0.3}, reduction=reduction,
                       sample_weight=w, rtol=1e-6, atol=1e-8)


def test_gradient_of_none_is_that_of_the_weighted_sum():
    labels, e = batch(9)
    w = np.linspace(0, 2, 8)
    np.testing.assert_array_equal(loss.grad(labels, e, reduction="none", sample_weight=w),
                                  loss.grad(labels, e, reduction="sum", sample_weight=w))


def test_invariances_of_the_cosine():
    labels, e = batch(3, n=10)
    value, grad = loss.value_and_grad(labels, e)
    scale = np.random.default_rng(3).uniform(0.5, 4, size=(10, 1))
    q, _ = np.linalg.qr(np.random.default_rng(4).normal(size=(5, 5)))
    assert loss(labels, e * scale) == pytest.approx(value, rel=1e-12)  # per-row lengths do not matter
    assert loss(labels, e @ q) == pytest.approx(value, rel=1e-12)  # nor does a rotation
    perm = np.random.default_rng(5).permutation(10)
    assert loss(labels[perm], e[perm]) == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(loss.grad(labels[perm], e[perm]), grad[perm], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(np.sum(grad * e, axis=1), 0, atol=1e-12)  # no radial component


def test_no_positive_pair_gives_zero_not_nan():
    e = np.random.default_rng(0).normal(size=(3, 2))
    assert loss([0, 1, 2], e) == 0  # optax: 0 / 0
    assert np.all(loss.grad([0, 1, 2], e) == 0)


def test_one_class_has_no_negatives_and_loss_zero():
    e = np.random.default_rng(0).normal(size=(4, 2))
    np.testing.assert_array_equal(loss([1, 1, 1, 1], e, reduction="none"), 0)  # -log(e^s / e^s) per pair


@pytest.mark.parametrize("scale", [1e30, 1e-30])
def test_extremes_in_float32(scale):
    labels, e = batch(6)
    e32 = (e * scale).astype(np.float32)
    value, grad = loss.value_and_grad(labels, e32, temperature=0.001)  # logits up to 1000
    assert isinstance(value, np.float32) and np.isfinite(value) and np.all(np.isfinite(grad))
    if scale > 1:  # above the norm's floor the cosine is scale-free
        assert value == pytest.approx(loss(labels, e, temperature=0.001), rel=1e-3)


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([0.0, 1.0], [[1.0, 0.0]] * 2), {}, TypeError, r"labels has dtype float64; expected integer class labels"),
    (([0, 1, 1], [[1.0, 0.0]] * 2), {}, ValueError, r"labels must have shape \(2,\), one entry per row of embeddings"),
    (([0, 1], [1.0, 0.0]), {}, ValueError, r"embeddings must have shape \(N, D\)"),
    (([0, 1], [[1.0, 0.0]] * 2), {"temperature": 0.0}, ValueError, r"temperature must be in \(0, inf\)"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)


def test_blocks_of_anchors_give_the_result_of_one_block(monkeypatch):
    """Large batches are processed a few anchor rows at a time; with unequal groups (one label alone,
    one in seven rows) and weights, every block size gives the one-block numbers."""
    import lossref._losses.ntxent as module

    rng = np.random.default_rng(11)
    labels = np.array([0] * 7 + [1] * 2 + [2] + [3] * 3 + [4] * 2 + [5] * 25)
    rng.shuffle(labels)
    e = rng.normal(size=(len(labels), 4))
    w = rng.uniform(0.5, 2.0, size=len(labels))
    whole = loss.value_and_grad(labels, e, temperature=0.2, sample_weight=w)
    monkeypatch.setattr(module, "_BLOCK_ENTRIES", 1)  # max(1, u.size // 4) // n: one anchor per block
    assert len(module._blocks(e)) == len(labels)
    blocked = loss.value_and_grad(labels, e, temperature=0.2, sample_weight=w)
    assert blocked[0] == pytest.approx(whole[0], rel=1e-13)
    np.testing.assert_allclose(blocked[1], whole[1], rtol=1e-12, atol=1e-15)
    assert mp_ntxent(labels, e, 0.2, w)[0] == pytest.approx(blocked[0], rel=1e-12)
