"""ranking_softmax: -sum_i r_i log softmax(s)_i over each list, with optax's ranking_softmax_loss semantics."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.ranking_softmax


def lists(seed, n=6, size=5, masked=False):
    """Graded relevance in {0, 1, 2, 3} (some lists with no relevant item), scores, optionally a mask."""
    rng = np.random.default_rng(seed)
    relevance = rng.integers(0, 4, size=(n, size)) * (rng.random((n, size)) < 0.6)
    relevance[0] = 0  # a list with no relevant item
    scores = rng.normal(scale=2.0, size=(n, size))
    mask = rng.random((n, size)) < 0.7 if masked else None
    if masked:
        mask[1] = False  # a list with no valid item
        mask[2] = True
    return relevance.astype(np.float64), scores, mask


def mp_row(relevance, scores, mask=None):
    """-sum_i r_i log softmax(s)_i over the valid items, and its gradient R p - r, from the definition in mpmath."""
    mpmath.mp.dps = 60
    valid = [i for i in range(len(scores)) if mask is None or mask[i]]
    grad = [mpmath.mpf(0)] * len(scores)
    if not valid:
        return mpmath.mpf(0), grad
    total = mpmath.fsum(mpmath.exp(mpmath.mpf(scores[i])) for i in valid)
    value = -mpmath.fsum(mpmath.mpf(relevance[i]) * mpmath.log(mpmath.exp(mpmath.mpf(scores[i])) / total)
                         for i in valid)
    mass = mpmath.fsum(mpmath.mpf(relevance[i]) for i in valid)
    for i in valid:
        grad[i] = mass * mpmath.exp(mpmath.mpf(scores[i])) / total - mpmath.mpf(relevance[i])
    return value, grad


def mp_lists(relevance, scores, mask=None):
    rows = [mp_row(r, s, None if mask is None else m)
            for r, s, m in zip(relevance, scores, mask if mask is not None else [None] * len(scores))]
    return np.array([float(v) for v, _ in rows]), np.array([[float(g) for g in grad] for _, grad in rows])


# ---------------------------------------------------------------------------------- values
def test_hand_derived_values():
    # all scores equal: p = 1/3 each, so L = -(2 + 1) log(1/3) = 3 log 3 and dL/ds = R p - r = 1 - r
    value, g = loss.value_and_grad([[2, 1, 0]], [[0.0, 0.0, 0.0]], reduction="sum")
    assert value == pytest.approx(3 * math.log(3), rel=1e-15)
    np.testing.assert_allclose(g, [[-1.0, 0.0, 1.0]], atol=1e-15)
    # one relevant item: L = log(e^2 + e^1 + e^3) - 2
    assert loss([[1, 0, 0]], [[2.0, 1.0, 3.0]]) == pytest.approx(math.log(math.e**2 + math.e + math.e**3) - 2, rel=1e-15)


def test_optax_documented_numbers():
    """The values printed in optax.losses.ranking_softmax_loss's docstring (optax/losses/_ranking.py)."""
    assert round(float(loss([[1.0, 0.0, 0.0]], [[2.0, 1.0, 3.0]])), 3) == 1.408
    np.testing.assert_array_equal(loss.grad([[1.0, 0.0, 0.0]], [[2.0, 1.0, 3.0]]).round(3), [[-0.755, 0.09, 0.665]])
    where = np.array([[True, True, False], [True, True, True]])
    value = loss([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], [[2.0, 1.0, 0.0], [1.0, 0.5, 1.5]], mask=where)
    assert round(float(value), 3) == 0.497


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_values_and_gradients_match_mpmath(seed, masked):
    relevance, scores, mask = lists(seed, masked=masked)
    expected, expected_grad = mp_lists(relevance, scores, mask)
    np.testing.assert_allclose(loss(relevance, scores, mask=mask, reduction="none"), expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(loss.grad(relevance, scores, mask=mask, reduction="sum"), expected_grad,
                               rtol=1e-12, atol=1e-15)


def test_mean_is_over_lists_with_a_valid_item_as_in_optax():
    relevance, scores, mask = lists(7, masked=True)
    each = mp_lists(relevance, scores, mask)[0]
    has_items = mask.any(axis=-1)
    assert not has_items.all() and has_items.any()
    assert loss(relevance, scores, mask=mask) == pytest.approx(each[has_items].mean(), rel=1e-13)
    assert loss(relevance, scores, mask=mask, reduction="sum") == pytest.approx(each.sum(), rel=1e-13)
    w = np.linspace(0.5, 3.0, len(scores))
    expected = np.sum(w * each) / np.sum(w * has_items)
    assert loss(relevance, scores, mask=mask, sample_weight=w) == pytest.approx(expected, rel=1e-13)


# ---------------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_gradients_match_finite_differences(reduction, weighted, masked, five_point):
    relevance, scores, mask = lists(11, masked=masked)
    w = np.random.default_rng(3).uniform(0.2, 2.0, size=len(scores)) if weighted else None

    def f(s):
        return float(np.sum(loss(relevance, s, mask=mask, reduction=reduction, sample_weight=w)))

    g = loss.grad(relevance, scores, mask=mask, reduction=reduction, sample_weight=w)
    np.testing.assert_allclose(g, five_point(f, scores), rtol=1e-7, atol=1e-9)


def test_hessian_is_the_derivative_of_the_gradient(five_point):
    relevance, scores, mask = lists(12, masked=True)

    def g(s):
        return loss.grad(relevance, s, mask=mask, reduction="sum")

    jacobian = five_point(g, scores)  # (n, L, n, L)
    n, size = scores.shape
    blocks = np.stack([jacobian[i, :, i, :] for i in range(n)])
    np.testing.assert_allclose(loss.hess(relevance, scores, mask=mask, reduction="sum"), blocks, rtol=1e-7, atol=1e-9)


# ---------------------------------------------------------------------------------- properties
def test_adding_a_constant_to_a_list_changes_nothing():
    relevance, scores, mask = lists(13, masked=True)
    shift = np.array([-50.0, 3.0, 1e3, -7.5, 0.25, 40.0])[:, None]
    for r in ("none", "sum"):
        np.testing.assert_allclose(loss(relevance, scores + shift, mask=mask, reduction=r),
                                   loss(relevance, scores, mask=mask, reduction=r), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(loss.grad(relevance, scores + shift, mask=mask),
                               loss.grad(relevance, scores, mask=mask), rtol=1e-10, atol=1e-14)
    # which is why each list's gradient sums to zero
    np.testing.assert_allclose(loss.grad(relevance, scores, mask=mask).sum(axis=-1), 0, atol=1e-15)


def test_one_hot_relevance_is_cross_entropy_on_the_scores():
    rng = np.random.default_rng(14)
    scores = rng.normal(scale=3.0, size=(8, 4))
    labels = rng.integers(0, 4, size=8)
    onehot = np.eye(4)[labels]
    np.testing.assert_allclose(loss(onehot, scores, reduction="none"), lr.cross_entropy(labels, scores, reduction="none"),
                               rtol=1e-14)
    np.testing.assert_allclose(loss.grad(onehot, scores), lr.cross_entropy.grad(labels, scores), rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(loss.hess(onehot, scores), lr.cross_entropy.hess(labels, scores), rtol=1e-13, atol=1e-16)


def test_linear_in_the_relevance():
    relevance, scores, _ = lists(15)
    np.testing.assert_allclose(loss(2.5 * relevance, scores, reduction="none"),
                               2.5 * loss(relevance, scores, reduction="none"), rtol=1e-14)
    # relevance spread over two items costs the sum of the two one-item losses
    a, b = np.eye(5)[[1]], np.eye(5)[[3]]
    assert loss(a + b, scores[:1]) == pytest.approx(loss(a, scores[:1]) + loss(b, scores[:1]), rel=1e-14)


def test_the_minimiser_gives_each_item_its_share_of_the_relevance():
    relevance = np.array([[3.0, 1.0, 0.0, 0.0]])
    # softmax(s) = r / R is the minimiser when no relevance is 0; a zero-relevance item wants s -> -inf
    scores = np.log(np.array([[3.0, 1.0, 1e-12, 1e-12]]) / 4)
    np.testing.assert_allclose(loss.grad(relevance, scores), 0, atol=1e-11)
    assert loss(relevance, scores) == pytest.approx(-(3 * math.log(0.75) + math.log(0.25)), rel=1e-10)
    assert loss(relevance, scores) < loss(relevance, scores + np.array([[0.1, -0.1, 0.0, 0.0]]))


def test_a_list_with_no_relevant_item_costs_nothing_and_counts_in_the_mean():
    scores = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    relevance = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    each, g = loss(relevance, scores, reduction="none"), loss.grad(relevance, scores, reduction="sum")
    assert each[0] == 0 and not np.any(g[0])
    assert loss(relevance, scores) == pytest.approx(each[1] / 2, rel=1e-15)


# ---------------------------------------------------------------------------------- the mask
def test_a_masked_item_is_as_if_it_were_not_in_the_list():
    relevance = np.array([[2.0, 5.0, 1.0, 0.0]])
    scores = np.array([[0.3, 9.0, -1.2, 2.0]])
    mask = np.array([[True, False, True, True]])
    kept = [0, 2, 3]
    value, g = loss.value_and_grad(relevance, scores, mask=mask, reduction="sum")
    value_without, g_without = loss.value_and_grad(relevance[:, kept], scores[:, kept], reduction="sum")
    assert value == pytest.approx(value_without, rel=1e-15)
    np.testing.assert_allclose(g[:, kept], g_without, rtol=1e-15)
    assert g[0, 1] == 0
    # neither its score nor its relevance (even a negative padding marker) matters
    other = loss(np.array([[2.0, -1.0, 1.0, 0.0]]), np.array([[0.3, -1e300, -1.2, 2.0]]), mask=mask, reduction="sum")
    assert other == value


def test_a_list_with_no_valid_item_costs_nothing_and_is_left_out_of_the_mean():
    relevance = np.array([[1.0, 0.0], [0.0, 1.0]])
    scores = np.array([[5.0, -5.0], [1.0, 2.0]])
    mask = np.array([[False, False], [True, True]])
    each = loss(relevance, scores, mask=mask, reduction="none")
    assert each[0] == 0
    assert loss(relevance, scores, mask=mask) == each[1]  # the mean over the one list with items
    for r in ("mean", "sum", "none"):
        g = loss.grad(relevance, scores, mask=mask, reduction=r)
        assert not np.any(g[0]) and np.any(g[1])
        assert loss.hess(relevance, scores, mask=mask, reduction=r)[0].max() == 0
    none_valid = np.zeros_like(mask)
    assert loss(relevance, scores, mask=none_valid) == 0  # the mean of nothing
    assert not np.any(loss.grad(relevance, scores, mask=none_valid))


def test_mask_all_true_is_no_mask():
    relevance, scores, _ = lists(16)
    full = np.ones(scores.shape, dtype=bool)
    assert loss(relevance, scores, mask=full) == loss(relevance, scores)
    np.testing.assert_array_equal(loss.grad(relevance, scores, mask=full), loss.grad(relevance, scores))


def test_leading_axes_are_lists_too():
    relevance, scores, mask = lists(17, n=6, masked=True)
    shape = (2, 3, scores.shape[-1])
    got = loss(relevance.reshape(shape), scores.reshape(shape), mask=mask.reshape(shape), reduction="none")
    np.testing.assert_array_equal(got.ravel(), loss(relevance, scores, mask=mask, reduction="none"))
    g = loss.grad(relevance.reshape(shape), scores.reshape(shape), mask=mask.reshape(shape))
    np.testing.assert_allclose(g.reshape(scores.shape), loss.grad(relevance, scores, mask=mask), rtol=1e-15)


# ---------------------------------------------------------------------------------- extremes and dtype
@pytest.mark.parametrize("dtype, big", [(np.float64, 1e300), (np.float64, 1e30), (np.float32, 1e30)])
def test_extreme_scores_stay_finite_and_exact(dtype, big):
    relevance = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 2.0], [1.0, 1.0, 0.0]])
    scores = np.array([[-big, big, 0.0], [big, big, -big], [big / 2, big / 2, -big / 2]], dtype=dtype)
    value, g = loss.value_and_grad(relevance, scores, reduction="none")
    # row 0: the relevant item is 2 big below the top, L = 2 big; row 1: items 0 and 1 share the mass,
    # L = log 2 + 2 (2 big); row 2: two relevant items tied at the top, L = 2 log 2
    expected = np.array([2 * big, math.log(2) + 4 * big, 2 * math.log(2)])
    np.testing.assert_allclose(value, expected.astype(dtype), rtol=1e-6 if dtype == np.float32 else 1e-15)
    np.testing.assert_allclose(g, [[-1, 1, 0], [3 / 2, 3 / 2 - 1, -2], [0, 0, 0]], atol=1e-7)
    assert value.dtype == g.dtype == dtype and np.all(np.isfinite(g))


def test_tiny_scores_and_relevance():
    scores = np.array([[1e-300, -1e-300, 0.0]])
    relevance = np.array([[1e-300, 0.0, 0.0]])
    value, g = loss.value_and_grad(relevance, scores, reduction="sum")
    assert value == pytest.approx(1e-300 * math.log(3), rel=1e-14)
    np.testing.assert_allclose(g, [[1e-300 / 3 - 1e-300, 1e-300 / 3, 1e-300 / 3]], rtol=1e-14)


def test_a_huge_masked_score_does_not_matter():
    mask = np.array([[True, True, False]])
    value = loss([[1.0, 0.0, 0.0]], np.array([[0.0, 1.0, 1e30]], dtype=np.float32), mask=mask, reduction="sum")
    assert value == pytest.approx(math.log1p(math.e), rel=1e-6)


def test_float32_in_float32_out_and_close_to_float64():
    relevance, scores, mask = lists(18, masked=True)
    v32, g32 = loss.value_and_grad(relevance, scores.astype(np.float32), mask=mask)
    v64, g64 = loss.value_and_grad(relevance, scores, mask=mask)
    assert isinstance(v32, np.float32) and g32.dtype == np.float32
    assert v32 == pytest.approx(v64, rel=1e-6)
    np.testing.assert_allclose(g32, g64, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------- bad input
GOOD_R, GOOD_S = [[1.0, 0.0, 2.0]], [[0.5, 1.0, -1.0]]


@pytest.mark.parametrize("relevance, scores, kwargs, error, message", [
    ([[1.0, 0.0]], GOOD_S, {}, ValueError, r"relevance and scores must have the same shape; got relevance \(1, 2\)"),
    ([1, 0], GOOD_S, {}, ValueError, r"relevance and scores must have the same shape"),
    ([[1.0, -1.0, 0.0]], GOOD_S, {}, ValueError, r"relevance must hold relevance grades \(>= 0\); got -1 at index \(0, 1\)"),
    ([[1.0, -1.0, 0.0]], GOOD_S, {"mask": np.array([[True, True, False]])}, ValueError,
     r"relevance must hold relevance grades \(>= 0\) at the valid items; got -1 at index \(0, 1\)"),
    ([[1.0, np.nan, 0.0]], GOOD_S, {}, ValueError, r"relevance contains NaN at index \(0, 1\)"),
    (GOOD_R, [[0.5, np.inf, 0.0]], {}, ValueError, r"scores contains an infinity at index \(0, 1\)"),
    (GOOD_R, [0.5, 1.0, -1.0], {}, ValueError, r"scores must have shape \(n, L\): one list per row"),
    (GOOD_R, GOOD_S, {"mask": [[1, 1, 0]]}, TypeError, r"mask has dtype int64; expected booleans \(True for a valid item\)"),
    (GOOD_R, GOOD_S, {"mask": [[True, False]]}, ValueError, r"mask must have the shape of scores \(1, 3\); got \(1, 2\)"),
    (GOOD_R, np.array([[1, 2, 3]]), {}, TypeError, r"scores has integer dtype int64"),
    (GOOD_R, GOOD_S, {"temperature": 2.0}, TypeError, r"unexpected parameter\(s\) 'temperature'"),
])
def test_bad_input_is_named(relevance, scores, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(relevance, scores, **kwargs)
