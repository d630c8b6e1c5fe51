"""diou_box: torchvision's distance_box_iou_loss, 1 - IoU + rho^2 / (c^2 + eps)."""

from __future__ import annotations

import numpy as np
import pytest

import lossref as lr

loss = lr.diou_box


def test_values_by_hand():
    y = np.array([[0.0, 0.0, 2.0, 2.0]] * 3)
    b = np.array([[1.0, 1.0, 3.0, 3.0],   # IoU 1/7, centres 1 apart in x and y, enclosing diagonal^2 18
                  [0.5, 0.5, 1.5, 1.5],   # same centre: DIoU = IoU loss
                  [4.0, 0.0, 6.0, 2.0]])  # disjoint: rho^2 = 16, c^2 = 36 + 4
    np.testing.assert_allclose(loss(y, b, eps=0.0, reduction="none"), [1 - 1 / 7 + 2 / 18, 1 - 1 / 4, 1 + 16 / 40])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("eps", [1e-7, 0.0, 0.5])
def test_values_match_mpmath(seed, eps, box_pairs, mp_box_losses):
    y, b = box_pairs(seed)
    expected = [float(mp_box_losses(y[i], b[i], eps)["diou_box"]) for i in range(len(y))]
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


def test_bounds_identity_and_invariances(box_pairs):
    y, b = box_pairs(5, n=10)
    each = loss(y, b, eps=0.0, reduction="none")
    assert np.all((each > 0) & (each < 2))  # rho^2 < c^2: the centre term is below 1
    np.testing.assert_allclose(loss(y, y, reduction="none"), 0.0, atol=1e-6)
    shift = np.array([-4.0, 2.5, -4.0, 2.5])
    np.testing.assert_allclose(loss(y + shift, b + shift, eps=0.0, reduction="none"), each, rtol=1e-12)
    np.testing.assert_allclose(loss(0.01 * y, 0.01 * b, eps=0.0, reduction="none"), each, rtol=1e-12)


def test_nested_boxes_get_a_pull_towards_the_centre_that_giou_lacks():
    y = np.array([[0.0, 0.0, 4.0, 4.0]])
    b = np.array([[0.5, 0.5, 1.5, 1.5]])  # inside the target, off centre
    g_diou = loss.grad(y, b, eps=0.0)
    # moving the small box right and down (towards the centre) lowers DIoU: negative slope along +x, +y
    assert g_diou[0] @ np.array([1.0, 1.0, 1.0, 1.0]) < 0
    # GIoU = IoU loss here (C = U): translation inside the target changes nothing
    assert lr.giou_box.grad(y, b, eps=0.0)[0] @ np.array([1.0, 1.0, 1.0, 1.0]) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("dtype, scale", [(np.float32, 1e30), (np.float32, 1e-30), (np.float64, 1e300)])
def test_extreme_scales_stay_finite(dtype, scale, box_pairs):
    y, b = box_pairs(7)
    value, grad = loss.value_and_grad((scale * y).astype(dtype), (scale * b).astype(dtype), eps=0.0,
                                      reduction="none")
    assert value.dtype == grad.dtype == dtype and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value, loss(y, b, eps=0.0, reduction="none"), rtol=1e-5)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"boxes must hold boxes \(x1, y1, x2, y2\) with x2 >= x1"):
        loss([[0.0, 0.0, 1.0, 1.0]], [[0.0, 1.0, 1.0, 0.5]])
    with pytest.raises(ValueError, match=r"eps must be in \[0, inf\); got -1.0"):
        loss([[0.0, 0.0, 1.0, 1.0]], [[0.0, 0.0, 1.0, 1.0]], eps=-1.0)
