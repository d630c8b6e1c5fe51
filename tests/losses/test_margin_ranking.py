"""margin_ranking: max(0, margin - y (x1 - x2)) per pair, with PyTorch's MarginRankingLoss semantics."""

from __future__ import annotations

import numpy as np
import pytest

import lossref as lr

loss = lr.margin_ranking


def pairs(seed, n=7, margin=0.5):
    rng = np.random.default_rng(seed)
    y = rng.choice([-1.0, 1.0], size=n)
    x1 = rng.normal(size=n)
    # keep every pair 0.05 away from the kink margin - y (x1 - x2) = 0, where the loss has no derivative
    v = rng.uniform(-2, 2, size=n)
    v = np.where(np.abs(v) < 0.05, 0.1 * np.sign(v + 1e-12), v)
    x2 = x1 - y * (margin - v)  # so that margin - y (x1 - x2) = v
    return y, x1, x2


def test_value_is_the_hinge_of_the_signed_difference():
    y, x1, x2 = np.array([1.0, 1.0, -1.0, -1.0]), np.array([3.0, 0.0, 0.0, 2.0]), np.array([1.0, 0.2, 1.0, 0.0])
    # by hand: v = 0.5 - y (x1 - x2) = 0.5 - 2, 0.5 + 0.2, 0.5 - 1, 0.5 + 2
    np.testing.assert_allclose(loss(y, x1, x2, margin=0.5, reduction="none"), [0.0, 0.7, 0.0, 2.5])
    assert loss(y, x1, x2, margin=0.5) == pytest.approx(3.2 / 4)
    assert loss(y, x1, x2, margin=0.5, reduction="sum") == pytest.approx(3.2)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_match_finite_differences(seed, reduction, assert_grads_match):
    y, x1, x2 = pairs(seed)
    w = np.random.default_rng(seed).uniform(0, 2, size=y.shape)
    assert_grads_match(loss, {"y": y, "x1": x1, "x2": x2}, {"margin": 0.5}, reduction=reduction, sample_weight=w)


def test_gradient_is_a_tuple_in_argument_order_and_sums_to_zero():
    y, x1, x2 = pairs(3)
    g1, g2 = loss.grad(y, x1, x2, margin=0.5)
    np.testing.assert_array_equal(g1, -g2)  # the loss depends on x1 - x2 only
    assert g1.shape == x1.shape and g2.shape == x2.shape


def test_only_the_difference_matters():
    y, x1, x2 = pairs(4)
    np.testing.assert_allclose(loss(y, x1 + 10.0, x2 + 10.0, margin=0.5), loss(y, x1, x2, margin=0.5), rtol=1e-14)


def test_weights_and_the_weighted_mean():
    y, x1, x2 = pairs(5)
    w = np.arange(1.0, 8.0)
    each = loss(y, x1, x2, margin=0.5, reduction="none")
    assert loss(y, x1, x2, margin=0.5, sample_weight=w) == pytest.approx(np.sum(w * each) / np.sum(w))
    zero = loss.grad(y, x1, x2, sample_weight=np.zeros(7))
    assert loss(y, x1, x2, sample_weight=np.zeros(7)) == 0 and not np.any(zero[0]) and not np.any(zero[1])


def test_dtype_is_kept_and_predictions_must_agree():
    y, x1, x2 = pairs(6)
    value, (g1, g2) = loss.value_and_grad(y, x1.astype(np.float32), x2.astype(np.float32))
    assert value.dtype == g1.dtype == g2.dtype == np.float32
    with pytest.raises(TypeError, match="x2 has dtype float32 but x1 has float64"):
        loss(y, x1, x2.astype(np.float32))


def test_extreme_scores_stay_finite():
    y = np.array([1.0, -1.0])
    big = np.array([1e300, -1e300])
    value, grads = loss.value_and_grad(y, -big, big, reduction="none")
    np.testing.assert_allclose(value, [2e300, 2e300])  # both pairs ranked the wrong way by 2e300
    assert all(np.all(np.isfinite(g)) for g in grads)


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([0, 1], [0.0, 1.0], [1.0, 0.0]), {}, ValueError, r"y must hold labels in \{-1, \+1\}.*convert them with y = 2 \* y - 1"),
    (([1, 1], [0.0, 1.0], [1.0, 0.0, 2.0]), {}, ValueError, r"x1 and x2 must have the same shape"),
    (([1], [0.0, 1.0], [1.0, 0.0]), {}, ValueError, r"y and x1 must have the same shape"),
    (([1, 1], [0.0, 1.0]), {}, TypeError, r"margin_ranking needs x2: margin_ranking\(y, x1, x2, \*"),
    (([1, 1], [0.0, np.nan], [1.0, 0.0]), {}, ValueError, r"x1 contains NaN at index 1"),
    (([1, 1], [0.0, 1.0], [1.0, 0.0]), {"margin": -1.0}, ValueError, r"margin must be in \[0, inf\); got -1.0"),
    (([1, 1], [0.0, 1.0], [1.0, 0.0]), {"delta": 1.0}, TypeError, r"unexpected parameter\(s\) 'delta'"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)


def test_arguments_by_name():
    y, x1, x2 = pairs(7)
    assert loss(y=y, x1=x1, x2=x2) == loss(y, x1, x2)
    with pytest.raises(TypeError, match="got x1 twice"):
        loss(y, x1, x1=x1)
