"""giou_box: torchvision's generalized_box_iou_loss, 1 - IoU + (C - U) / (C + eps), per pair of boxes."""

from __future__ import annotations

import numpy as np
import pytest

import lossref as lr

loss = lr.giou_box


def test_values_by_hand():
    y = np.array([[0.0, 0.0, 2.0, 2.0]] * 3)
    b = np.array([[1.0, 1.0, 3.0, 3.0],   # I = 1, U = 7, C = 9
                  [3.0, 0.0, 4.0, 2.0],   # disjoint: I = 0, U = 6, C = 8
                  [0.5, 0.5, 1.5, 1.5]])  # inside: I = 1, U = 4, C = 4
    np.testing.assert_allclose(loss(y, b, eps=0.0, reduction="none"), [1 - 1 / 7 + 2 / 9, 1 + 2 / 8, 1 - 1 / 4])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("eps", [1e-7, 0.0, 0.5])
def test_values_match_mpmath(seed, eps, box_pairs, mp_box_losses):
    y, b = box_pairs(seed)
    expected = [float(mp_box_losses(y[i], b[i], eps)["giou_box"]) for i in range(len(y))]
    np.testing.assert_allclose(loss(y, b, eps=eps, reduction="none"), expected, rtol=1e-13)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("overlapping", [True, False])
def test_gradients_match_finite_differences(seed, reduction, overlapping, box_pairs, assert_grads_match):
    y, b = box_pairs(seed, overlapping=overlapping)
    w = np.random.default_rng(seed).uniform(0, 2, size=len(y))
    for weights in (None, w):
        assert_grads_match(loss, {"y": y, "boxes": b}, {}, reduction=reduction, sample_weight=weights,
                           rtol=1e-7, atol=1e-10)


def test_identical_boxes_cost_nothing_and_disjoint_boxes_more_than_one(box_pairs):
    y, b = box_pairs(5, n=8, overlapping=False)
    np.testing.assert_allclose(loss(y, y, reduction="none"), 0.0, atol=1e-6)
    assert np.all(loss(y, b, reduction="none") > 1)  # IoU = 0 and the enclosing box is bigger than the union
    assert np.all(loss(y, b, reduction="none") < 2)


def test_invariant_to_translation_scale_and_argument_order(box_pairs):
    y, b = box_pairs(6)
    base = loss(y, b, eps=0.0, reduction="none")
    shift = np.array([10.0, -3.0, 10.0, -3.0])
    np.testing.assert_allclose(loss(y + shift, b + shift, eps=0.0, reduction="none"), base, rtol=1e-12)
    np.testing.assert_allclose(loss(7.5 * y, 7.5 * b, eps=0.0, reduction="none"), base, rtol=1e-13)
    np.testing.assert_allclose(loss(b, y, eps=0.0, reduction="none"), base, rtol=1e-14)  # symmetric
    # the gradient of a scale-invariant loss scales like 1 / size
    np.testing.assert_allclose(loss.grad(7.5 * y, 7.5 * b, eps=0.0), loss.grad(y, b, eps=0.0) / 7.5, rtol=1e-12)


@pytest.mark.parametrize("dtype, scale", [(np.float32, 1e30), (np.float32, 1e-30), (np.float64, 1e300),
                                          (np.float64, 1e-300)])
def test_extreme_scales_stay_finite(dtype, scale, box_pairs):
    y, b = box_pairs(7)
    value, grad = loss.value_and_grad((scale * y).astype(dtype), (scale * b).astype(dtype), eps=0.0,
                                      reduction="none")
    assert value.dtype == grad.dtype == dtype
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value, loss(y, b, eps=0.0, reduction="none"), rtol=1e-5)


def test_tiny_boxes_with_torchvisions_eps_tend_to_loss_one():
    # eps = 1e-7 dwarfs areas of 1e-60: IoU and the enclosing term vanish, as in torchvision
    y, b = np.array([[0.0, 0.0, 2e-30, 2e-30]]), np.array([[1e-30, 1e-30, 3e-30, 3e-30]])
    value, grad = loss.value_and_grad(y, b)
    assert value == pytest.approx(1.0) and np.all(np.isfinite(grad))


@pytest.mark.parametrize("y, b, message", [
    ([[0.0, 0.0, 1.0, 1.0]], [[0.0, 0.0, 1.0]], r"boxes must have shape \(n, 4\), one box \(x1, y1, x2, y2\) per row"),
    ([[0.0, 0.0, 1.0, 1.0]], [[1.0, 0.0, 0.0, 1.0]], r"boxes must hold boxes \(x1, y1, x2, y2\) with x2 >= x1 and "
                                                     r"y2 >= y1; got \(1, 0, 0, 1\) at row 0"),
    ([[0.0, 2.0, 1.0, 1.0]], [[0.0, 0.0, 1.0, 1.0]], r"y must hold boxes .* got \(0, 2, 1, 1\) at row 0"),
    ([[0.0, 0.0, 1.0, 1.0]] * 2, [[0.0, 0.0, 1.0, 1.0]], r"y and boxes must have the same shape"),
    ([[0.0, 0.0, 1.0, 1.0]], [[0.0, 0.0, np.inf, 1.0]], r"boxes contains an infinity at index \(0, 2\)"),
])
def test_bad_input_is_named(y, b, message):
    with pytest.raises(ValueError, match=message):
        loss(y, b)
