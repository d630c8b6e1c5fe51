"""hinge_embedding: x for similar pairs, max(0, margin - x) for dissimilar ones; x is a distance."""

from __future__ import annotations

import numpy as np
import pytest

import lossref as lr
from tests.conftest import away_from

loss = lr.hinge_embedding


def test_by_hand():
    y = np.array([1, 1, -1, -1, -1])
    x = np.array([0.0, 2.5, 0.25, 1.0, 3.0])
    np.testing.assert_allclose(loss(y, x, reduction="none"), [0.0, 2.5, 0.75, 0.0, 0.0])
    np.testing.assert_allclose(loss(y, x, margin=2.0, reduction="none"), [0.0, 2.5, 1.75, 1.0, 0.0])
    np.testing.assert_array_equal(loss.grad(y, x, margin=2.0, reduction="sum"), [1.0, 1.0, -1.0, -1.0, 0.0])


@pytest.mark.parametrize("seed", range(3))
def test_gradients_match_finite_differences(seed, five_point):
    rng = np.random.default_rng(seed)
    y = rng.choice([-1.0, 1.0], size=12)
    x = away_from(rng.uniform(0, 3, size=12), [1.5], 0.05)
    w = rng.uniform(0, 2, size=12)
    for reduction in ("mean", "sum"):
        numeric = five_point(lambda d: float(loss(y, d, margin=1.5, reduction=reduction, sample_weight=w)), x)
        np.testing.assert_allclose(loss.grad(y, x, margin=1.5, reduction=reduction, sample_weight=w), numeric,
                                   rtol=1e-8, atol=1e-10)


def test_dissimilar_pairs_are_the_svm_hinge_of_the_distance_and_similar_ones_the_distance():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 3, size=20)
    # y = -1: max(0, 1 - x) = hinge(+1, x); the two labels are not mirror images as in the SVM hinge
    np.testing.assert_allclose(loss(-np.ones(20), x, reduction="none"), lr.hinge(np.ones(20), x, reduction="none"))
    np.testing.assert_array_equal(loss(np.ones(20), x, reduction="none"), x)
    assert not np.allclose(loss(np.ones(20), x, reduction="none"), lr.hinge(-np.ones(20), x, reduction="none"))


def test_weights_and_dtype():
    y, x = np.array([1, -1, -1]), np.array([0.5, 0.25, 2.0], dtype=np.float32)
    w = np.array([2.0, 1.0, 1.0])
    assert loss(y, x, sample_weight=w) == pytest.approx((2 * 0.5 + 0.75) / 4)
    assert loss(y, x).dtype == np.float32 and loss.grad(y, x).dtype == np.float32


def test_extremes_stay_finite():
    y = np.array([1, -1, -1], dtype=np.float32)
    x = np.array([1e30, -1e30, 1e-30], dtype=np.float32)
    value = loss(y, x, reduction="none")
    np.testing.assert_allclose(value, [1e30, 1e30, 1.0], rtol=1e-6)
    assert np.all(np.isfinite(loss.grad(y, x)))


@pytest.mark.parametrize("y, x, kwargs, error, message", [
    ([0, 1], [0.5, 1.0], {}, ValueError, r"y must hold labels in \{-1, \+1\} for hinge_embedding.*y = 2 \* y - 1"),
    ([1, 1], [0.5, np.inf], {}, ValueError, r"distances contains an infinity at index 1"),
    ([1], [0.5, 1.0], {}, ValueError, r"y and distances must have the same shape"),
])
def test_bad_input_is_named(y, x, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(y, x, **kwargs)
