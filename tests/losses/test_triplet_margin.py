"""triplet_margin: max(0, d(a, p) - d(a, n) + margin) with PyTorch's pairwise_distance d(u, v) = ||u - v + eps||_p."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.triplet_margin
mpmath.mp.dps = 60


def mp_distance(u, v, p, eps):
    """The published formula, (sum_k |u_k - v_k + eps|^p)^(1/p), in 60 digits."""
    return mpmath.fsum(abs(mpmath.mpf(float(a)) - mpmath.mpf(float(b)) + mpmath.mpf(eps)) ** p
                       for a, b in zip(u, v)) ** (mpmath.mpf(1) / p)


def mp_triplet(a, p_, n, margin=1.0, p=2.0, eps=1e-6, swap=False):
    out = []
    for ai, pi, ni in zip(a, p_, n):
        d_neg = mp_distance(ai, ni, p, eps)
        if swap:
            d_neg = min(d_neg, mp_distance(pi, ni, p, eps))
        out.append(float(max(mp_distance(ai, pi, p, eps) - d_neg + margin, 0)))
    return np.array(out)


def triplets(seed, n=6, d=4, margin=1.0):
    """Random triplets whose violations d(a, p) - d(a, n) + margin stay 0.05 away from the kink at 0."""
    rng = np.random.default_rng(seed)
    a, p, neg = rng.normal(size=(3, n, d))
    keep = np.abs(mp_triplet(a, p, neg, margin=0.0) + margin) > 0.05
    return a[keep], p[keep], neg[keep]


def test_a_3_4_5_triangle_by_hand():
    a, p, n = np.zeros((2, 2)), np.array([[3.0, 4.0], [0.0, 1.0]]), np.array([[6.0, 8.0], [0.0, 0.5]])
    # eps = 0: d(a, p) = 5, 1 and d(a, n) = 10, 0.5; losses max(0, 5 - 10 + 1), max(0, 1 - 0.5 + 1)
    np.testing.assert_allclose(loss(a, p, n, eps=0.0, reduction="none"), [0.0, 1.5])
    # p = 1: d(a, p) = 7, 1 and d(a, n) = 14, 0.5
    np.testing.assert_allclose(loss(a, p, n, eps=0.0, p=1.0, margin=7.5, reduction="none"), [0.5, 8.0])


@pytest.mark.parametrize("p", [1.0, 1.5, 2.0, 3.0])
@pytest.mark.parametrize("swap", [False, True])
def test_values_match_mpmath(p, swap):
    rng = np.random.default_rng(int(p * 10) + swap)
    a, pos, neg = rng.normal(size=(3, 20, 5))
    got = loss(a, pos, neg, p=p, swap=swap, margin=0.5, reduction="none")
    np.testing.assert_allclose(got, mp_triplet(a, pos, neg, margin=0.5, p=p, swap=swap), rtol=1e-13, atol=1e-15)


def test_eps_is_added_to_each_component_not_under_the_root():
    # PyTorch: d(u, u) = ||eps * 1||_2 = eps sqrt(D); optax would give sqrt(0 + eps) = 1e-3 for eps = 1e-6
    u = np.ones((1, 16))
    value = loss(u, u, u + 100.0, margin=0.0, eps=1e-6, reduction="none")
    assert value[0] == 0.0
    value = loss(u, u, u, margin=0.0, eps=1e-6, reduction="none")  # d(a, p) = d(a, n) = 4e-6: loss 0
    assert value[0] == 0.0
    np.testing.assert_allclose(loss(u, u, u + 100.0, margin=1000.0, eps=1e-6, reduction="none"),
                               [1000.0 + 4e-6 - np.sqrt(16) * (100.0 - 1e-6)], rtol=1e-15)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("p", [1.5, 2.0, 3.0])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_match_finite_differences(seed, p, swap, reduction, assert_grads_match):
    a, pos, neg = triplets(seed)
    w = np.random.default_rng(seed).uniform(0, 2, size=len(a))
    assert_grads_match(loss, {"anchor": a, "positive": pos, "negative": neg}, {"p": p, "swap": swap},
                       reduction=reduction, sample_weight=w, rtol=1e-6, atol=1e-8)


def test_gradient_of_reduction_none_is_that_of_the_weighted_sum():
    a, pos, neg = triplets(11)
    w = np.linspace(0.5, 2.0, len(a))
    for g, h in zip(loss.grad(a, pos, neg, reduction="none", sample_weight=w),
                    loss.grad(a, pos, neg, reduction="sum", sample_weight=w)):
        np.testing.assert_array_equal(g, h)
    each = loss(a, pos, neg, reduction="none", sample_weight=w)
    np.testing.assert_allclose(each, w * loss(a, pos, neg, reduction="none"), rtol=1e-15)


def test_p1_gradient_is_the_sign_pattern():
    a = np.array([[0.0, 0.0]])
    pos, neg = np.array([[1.0, -2.0]]), np.array([[0.5, 0.25]])
    ga, gp, gn = loss.grad(a, pos, neg, p=1.0, eps=0.0, reduction="sum")
    # d(a, p) = |-1| + |2|, d(a, n) = 0.75; violated: dL/dp = -sign(a - p), dL/dn = sign(a - n)
    np.testing.assert_array_equal(gp, [[1.0, -1.0]])
    np.testing.assert_array_equal(gn, [[-1.0, -1.0]])
    np.testing.assert_array_equal(ga, -(gp + gn))


def test_the_three_gradients_sum_to_zero_and_translation_does_not_matter():
    a, pos, neg = triplets(2)
    ga, gp, gn = loss.grad(a, pos, neg, swap=True)
    np.testing.assert_allclose(ga + gp + gn, 0, atol=1e-15)  # the loss depends on differences only
    shift = np.array([3.0, -1.0, 2.0, 0.5])
    np.testing.assert_allclose(loss(a + shift, pos + shift, neg + shift, swap=True), loss(a, pos, neg, swap=True),
                               rtol=1e-13)


def test_swap_never_lowers_the_loss_and_margin_shifts_active_triplets():
    a, pos, neg = triplets(3, n=40)
    plain, swapped = loss(a, pos, neg, reduction="none"), loss(a, pos, neg, swap=True, reduction="none")
    assert np.all(swapped >= plain)
    active = plain > 0
    bigger = loss(a, pos, neg, margin=1.5, reduction="none")
    np.testing.assert_allclose(bigger[active], plain[active] + 0.5, rtol=1e-13)


def test_a_single_triplet_of_shape_d():
    a, pos, neg = triplets(4)
    value, grads = loss.value_and_grad(a[0], pos[0], neg[0], reduction="none")
    assert value.shape == () and all(g.shape == a[0].shape for g in grads)
    assert value == loss(a[:1], pos[:1], neg[:1], reduction="none")[0]


def test_blocks_give_the_same_result_as_one_pass(monkeypatch):
    import lossref._losses.triplet_margin as module

    a, pos, neg = triplets(5, n=50, d=8)
    whole = loss.value_and_grad(a, pos, neg, swap=True)
    monkeypatch.setattr(module, "_BLOCK_ENTRIES", 24)  # three rows per block
    blocked = loss.value_and_grad(a, pos, neg, swap=True)
    assert whole[0] == pytest.approx(blocked[0], rel=1e-15)
    for g, h in zip(whole[1], blocked[1]):
        np.testing.assert_array_equal(g, h)


@pytest.mark.parametrize("scale", [1e30, 1e-30])
def test_extreme_scales_in_float32(scale):
    a = np.array([[1.0, 0.0]], dtype=np.float32) * np.float32(scale)
    pos = np.zeros((1, 2), dtype=np.float32)
    neg = np.array([[0.0, 2.0]], dtype=np.float32) * np.float32(scale)
    # the positive is farther than the negative (by swapping roles): d(a, n) = sqrt(5) scale, d(a, p) = scale
    value, grads = loss.value_and_grad(a, neg, pos, eps=0.0, margin=0.0, reduction="none")
    assert value.dtype == np.float32
    np.testing.assert_allclose(value, [(np.sqrt(5) - 1) * scale], rtol=1e-6)
    # dL/dn = (a - n) / ||a - n|| (moving the negative away from the anchor lowers the loss)
    np.testing.assert_allclose(grads[2], [[1.0, 0.0]], rtol=1e-6)
    assert all(np.all(np.isfinite(g)) for g in grads)


def test_float32_in_float32_out():
    a, pos, neg = (x.astype(np.float32) for x in triplets(6))
    value, grads = loss.value_and_grad(a, pos, neg)
    assert isinstance(value, np.float32) and all(g.dtype == np.float32 for g in grads)
    assert value == pytest.approx(loss(*(x.astype(np.float64) for x in (a, pos, neg))), rel=1e-5)


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 4))), {}, ValueError,
     r"anchor and negative must have the same shape; got anchor \(2, 3\) and negative \(2, 4\)"),
    ((np.zeros((2, 2, 3)),) * 3, {}, ValueError, r"anchor must have shape \(N, D\), one embedding per row, or \(D,\)"),
    ((np.zeros((2, 3)),) * 3, {"p": 0.5}, ValueError, r"p must be in \[1, inf\); got 0.5"),
    ((np.zeros((2, 3)),) * 3, {"margin": -1.0}, ValueError, r"margin must be in \[0, inf\)"),
    ((np.zeros((2, 3)),) * 3, {"swap": 1}, TypeError, r"swap must be True or False"),
    ((np.zeros((2, 3)), np.full((2, 3), np.nan), np.zeros((2, 3))), {}, ValueError, r"positive contains NaN"),
    ((np.zeros((2, 3)), np.zeros((2, 3))), {}, TypeError, r"triplet_margin needs negative"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)
