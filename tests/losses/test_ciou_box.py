"""ciou_box: torchvision's complete_box_iou_loss value, with the exact gradient (alpha not held constant)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lossref as lr

loss = lr.ciou_box


def test_value_by_hand():
    y, b = np.array([[0.0, 0.0, 2.0, 2.0]]), np.array([[0.0, 0.0, 2.0, 4.0]])
    # IoU = 4/8, centres 1 apart, enclosing diagonal^2 = 4 + 16; v from atan(1) - atan(1/2)
    v = 4 / math.pi ** 2 * (math.atan(1.0) - math.atan(0.5)) ** 2
    alpha = v / (1 - 0.5 + v)
    np.testing.assert_allclose(loss(y, b, eps=0.0, reduction="none"), [0.5 + 1 / 20 + alpha * v], rtol=1e-15)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("eps", [1e-7, 0.0])
def test_values_match_mpmath(seed, eps, box_pairs, mp_box_losses):
    y, b = box_pairs(seed)
    expected = [float(mp_box_losses(y[i], b[i], eps)["ciou_box"]) for i in range(len(y))]
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


def test_torchvision_style_gradient_with_alpha_held_constant_differs(box_pairs, mp_box_losses, five_point):
    y, b = box_pairs(8, n=4, overlapping=True)
    exact = loss.grad(y, b, reduction="sum")
    for i in range(len(y)):
        terms = mp_box_losses(y[i], b[i], 1e-7)
        alpha0 = float(terms["v"] / (1 - terms["iou"] + terms["v"] + 1e-7))

        def frozen(box, i=i, alpha0=alpha0):  # DIoU + alpha v with alpha fixed at its value at b[i]
            t = mp_box_losses(y[i], box, 1e-7)
            return float(t["diou_box"] + alpha0 * t["v"])

        torchvision_style = five_point(frozen, b[i])
        assert np.max(np.abs(torchvision_style - exact[i])) > 1e-4  # not the derivative of the value
        # the difference is exactly alpha (1 - alpha) v' + alpha^2 IoU'
        d_v = five_point(lambda box, i=i: float(mp_box_losses(y[i], box, 1e-7)["v"]), b[i])
        d_iou = five_point(lambda box, i=i: float(mp_box_losses(y[i], box, 1e-7)["iou"]), b[i])
        np.testing.assert_allclose(exact[i] - torchvision_style, alpha0 * (1 - alpha0) * d_v + alpha0 ** 2 * d_iou,
                                   rtol=1e-6, atol=1e-10)


def test_equal_aspect_ratios_make_it_diou(box_pairs):
    y = np.array([[0.0, 0.0, 2.0, 1.0], [1.0, 1.0, 4.0, 2.0]])
    b = np.array([[1.0, 0.5, 5.0, 2.5], [0.0, 0.0, 1.5, 0.5]])  # both 2:1 and 3:1 kept per pair
    np.testing.assert_allclose(loss(y, b, reduction="none"), lr.diou_box(y, b, reduction="none"), rtol=1e-14)
    np.testing.assert_allclose(loss.grad(y, b), lr.diou_box.grad(y, b), rtol=1e-12, atol=1e-15)


def test_identity_and_invariances(box_pairs):
    y, b = box_pairs(5, n=8)
    np.testing.assert_allclose(loss(y, y, reduction="none"), 0.0, atol=1e-6)
    each = loss(y, b, eps=0.0, reduction="none")
    shift = np.array([3.0, 3.0, 3.0, 3.0])
    np.testing.assert_allclose(loss(y + shift, b + shift, eps=0.0, reduction="none"), each, rtol=1e-12)
    np.testing.assert_allclose(loss(40 * y, 40 * b, eps=0.0, reduction="none"), each, rtol=1e-12)


@pytest.mark.parametrize("dtype, scale", [(np.float32, 1e30), (np.float32, 1e-30), (np.float64, 1e300)])
def test_extreme_scales_stay_finite(dtype, scale, box_pairs):
    y, b = box_pairs(7)
    value, grad = loss.value_and_grad((scale * y).astype(dtype), (scale * b).astype(dtype), eps=0.0,
                                      reduction="none")
    assert value.dtype == grad.dtype == dtype and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value, loss(y, b, eps=0.0, reduction="none"), rtol=1e-5)


def test_boxes_need_positive_height():
    with pytest.raises(ValueError, match=r"boxes must hold boxes \(x1, y1, x2, y2\) with x2 > x1 and y2 > y1 "
                                         r"\(a box with positive width and height\); got \(0, 1, 2, 1\) at row 0"):
        loss([[0.0, 0.0, 1.0, 1.0]], [[0.0, 1.0, 2.0, 1.0]])
