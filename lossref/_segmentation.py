"""Shared arithmetic of the segmentation and box losses (Dice, Tversky, generalised Dice, IoU boxes).

Overlap losses reduce each example (or each example's class) to three sums, the soft true
positives ``TP = sum y p``, ``sum y`` and ``sum p``; their gradient in ``p`` is then affine in
``y`` per row, ``a_r y + b_r``, with two coefficients per row. ``row_sums`` and
``affine_rows`` are those two passes, with no temporary of the inputs' size beyond the
gradient itself.

The box losses share the geometry of two axis-aligned boxes ``(x1, y1, x2, y2)``: intersection,
union, enclosing box, centre distance and aspect-ratio term, with their derivatives in the
predicted box (``box_geometry``).
"""

from __future__ import annotations

import math

import numpy as np

from . import _validation as V
from ._info import Input
from ._structured import StructuredLoss

__all__ = ["MASK_INPUTS", "overlap_rows", "row_sums", "affine_rows", "tversky_terms", "overlap_forward", "box_geometry", "BoxIoULoss", "OverlapLoss"]

_AFFINE_BLOCK = 1 << 16  # elements per block of the gradient: its two passes meet in cache

#: The inputs of the mask losses: a target mask and predicted probabilities, both in [0, 1].
MASK_INPUTS = (
    Input("y", "target", interval=(0.0, 1.0, "targets (masks or soft masks)")),
    Input("probs", interval=(0.0, 1.0, "probabilities")),
)


def overlap_rows(y: np.ndarray, probs: np.ndarray, class_axis):
    """The shape of the rows, after checking the inputs' shapes (their values are checked as ``MASK_INPUTS``).

    Without ``class_axis`` a row is an example (everything after the first axis): ``(n,)``; with
    ``class_axis=1`` a row is one class of one example: ``(n, C)``.
    """
    V.check_same_shape(y, probs, "y", "probs")
    if class_axis is None:
        V.check_ndim(probs, "probs", 1, "(n, ...), one example per slice of the first axis")
        return probs.shape[:1]
    V.check_ndim(probs, "probs", 2, "(n, C, ...) with classes on axis 1 (class_axis=1)")
    return probs.shape[:2]


def row_sums(y2: np.ndarray, p2: np.ndarray):
    """``(TP, Y, P)`` per row in float64: ``sum y p``, ``sum y``, ``sum p`` over the last axis.

    All three are BLAS dot products (``TP`` one per row, ``Y`` and ``P`` a matrix-vector product
    with ones): each reads its inputs once with no temporary, two to four times faster than
    NumPy's row-wise ``sum``. BLAS keeps several partial sums in vector registers, so in float32
    a 65536-pixel row sum is off by about 1e-7 (relative) and a 4-million-pixel one by about 1e-6.
    """
    ones = np.ones(p2.shape[1], dtype=p2.dtype)
    tp = np.matmul(y2[:, None, :], p2[:, :, None]).reshape(-1)
    return tp.astype(np.float64), (y2 @ ones).astype(np.float64), (p2 @ ones).astype(np.float64)


def affine_rows(y2: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """``out = a_r y + b_r`` row by row, in ``out``'s dtype: the gradient of an overlap loss in ``p``.

    ``a`` and ``b`` are float64. A row whose coefficient does not fit the dtype (a float32 mask
    whose sums are subnormal: ``1 / sum`` overflows while ``y / sum`` stays at most 1) is
    computed in float64 and rounded once.
    """
    big = np.finfo(out.dtype).max
    wide = (np.abs(a) > big) | (np.abs(b) > big)
    a_t = np.where(wide, 0, a).astype(out.dtype)[:, None]
    b_t = np.where(wide, 0, b).astype(out.dtype)[:, None]
    # blocks of rows small enough that the addition reads what the product has just written from cache
    step = max(1, _AFFINE_BLOCK // max(y2.shape[1], 1))
    for start in range(0, len(y2), step):
        rows = slice(start, start + step)
        np.multiply(y2[rows], a_t[rows], out=out[rows])
        out[rows] += b_t[rows]
    for r in np.flatnonzero(wide):
        out[r] = y2[r].astype(np.float64) * a[r] + b[r]


def tversky_terms(tp, ys, ps, alpha, beta, smooth, loss_name: str, what_zero: str, shape=None):
    """``(loss, ratio, den)`` of ``1 - (TP + s) / (TP + alpha FP + beta FN + s)`` per row.

    ``FP = sum (1-y) p = P - TP`` and ``FN = Y - TP``; with ``smooth = 0`` a row whose
    denominator is 0 is 0/0 and raises, naming the row (as an index of ``shape``: example, class).
    """
    # FP and FN are sums of non-negative terms; P - TP can round a hair below 0: clip it
    fp = np.maximum(ps - tp, 0.0)
    fn = np.maximum(ys - tp, 0.0)
    den = tp + alpha * fp + beta * fn + smooth
    if smooth == 0:
        V.check_overlap_denominator(den.reshape(shape or den.shape), loss_name, what_zero)
    ratio = (tp + smooth) / den
    return 1.0 - ratio, ratio, den


# ---------------------------------------------------------------------------- boxes
def box_geometry(y: np.ndarray, boxes: np.ndarray, eps: float, want_grad: bool):
    """The terms of the IoU losses for each pair of rows, and their gradients in ``boxes``.

    Returns a dict of float64 arrays: ``iou``, ``giou_pen`` = (C - U) / (C + eps),
    ``diou_pen`` = rho^2 / (c^2 + eps), ``v`` (CIoU's aspect term), and with ``want_grad`` the
    gradient of each, ``d_<name>``, of shape (n, 4).

    Every term is invariant to scaling all coordinates by ``s`` once ``eps`` is scaled by ``s^2``
    (it is added to areas), so each pair is computed in coordinates divided by its largest
    absolute coordinate, with ``eps / s^2``: 1e30-scale boxes would overflow their areas in
    float32 and 1e200-scale ones in float64. The identity holds for every fixed ``s``, so the
    gradient is that of the scaled problem divided by ``s``.
    """
    y = y.astype(np.float64)
    b = boxes.astype(np.float64)
    s = np.maximum(np.abs(y).max(axis=1), np.abs(b).max(axis=1))
    s = np.where(s > 0, s, 1.0)
    y = y / s[:, None]
    b = b / s[:, None]
    # eps / s^2 may be inf for tiny boxes (every eps-divided term is then 0), and s^2 alone could
    # underflow to 0: divide by s twice
    with np.errstate(over="ignore"):
        e = (eps / s) / s
    x1, y1, x2, y2 = b.T
    gx1, gy1, gx2, gy2 = y.T
    w, h, gw, gh = x2 - x1, y2 - y1, gx2 - gx1, gy2 - gy1

    # intersection: at a tie (x1 == gx1, ...) the predicted coordinate is the one that binds
    left, top = x1 >= gx1, y1 >= gy1
    right, bottom = x2 <= gx2, y2 <= gy2
    iw = np.where(right, x2, gx2) - np.where(left, x1, gx1)
    ih = np.where(bottom, y2, gy2) - np.where(top, y1, gy1)
    overlap = (iw > 0) & (ih > 0)
    inter = np.where(overlap, iw * ih, 0.0)
    union = w * h + gw * gh - inter
    with np.errstate(invalid="ignore"):
        iou = inter / (union + e)

    # enclosing box: again the predicted coordinate binds at a tie
    eleft, etop = x1 <= gx1, y1 <= gy1
    eright, ebottom = x2 >= gx2, y2 >= gy2
    cw = np.where(eright, x2, gx2) - np.where(eleft, x1, gx1)
    ch = np.where(ebottom, y2, gy2) - np.where(etop, y1, gy1)
    area_c = cw * ch
    giou_pen = (area_c - union) / (area_c + e)

    dx = (x1 + x2 - gx1 - gx2) / 2  # centre offsets
    dy = (y1 + y2 - gy1 - gy2) / 2
    rho2 = dx * dx + dy * dy
    diag2 = cw * cw + ch * ch + e
    diou_pen = rho2 / diag2

    # atan2(w, h) = atan(w / h) for h > 0, and its derivative needs no division by h alone
    theta = np.arctan2(w, h)
    delta = np.arctan2(gw, gh) - theta
    k = 4 / np.pi ** 2
    v = k * delta * delta
    out = {"iou": iou, "giou_pen": giou_pen, "diou_pen": diou_pen, "v": v}
    if not want_grad:
        return out

    zero = np.zeros_like(iou)
    on = overlap.astype(np.float64)
    # d inter / d (x1, y1, x2, y2): -ih [x1 binds], -iw [y1 binds], ih [x2 binds], iw [y2 binds]
    d_inter = np.stack([-ih * left, -iw * top, ih * right, iw * bottom], axis=1) * on[:, None]
    d_area = np.stack([-h, -w, h, w], axis=1)
    d_union = d_area - d_inter
    ue = union + e
    with np.errstate(invalid="ignore", over="ignore"):
        d_iou = d_inter / ue[:, None] - (inter / ue / ue)[:, None] * d_union
    d_iou = np.where(np.isfinite(d_iou), d_iou, 0.0)  # e = inf: the term is 0 and so is its slope

    d_cw = np.stack([-1.0 * eleft, zero, 1.0 * eright, zero], axis=1)
    d_ch = np.stack([zero, -1.0 * etop, zero, 1.0 * ebottom], axis=1)
    d_area_c = d_cw * ch[:, None] + d_ch * cw[:, None]
    ce = area_c + e
    with np.errstate(invalid="ignore", over="ignore"):
        d_giou = (d_area_c - d_union) / ce[:, None] - (giou_pen / ce)[:, None] * d_area_c
    d_giou = np.where(np.isfinite(d_giou), d_giou, 0.0)

    d_rho2 = np.stack([dx, dy, dx, dy], axis=1)  # d/dx1 of dx^2 is 2 dx * 1/2
    d_diag2 = 2 * (d_cw * cw[:, None] + d_ch * ch[:, None])
    with np.errstate(invalid="ignore", over="ignore"):
        d_diou = d_rho2 / diag2[:, None] - (diou_pen / diag2)[:, None] * d_diag2
    d_diou = np.where(np.isfinite(d_diou), d_diou, 0.0)

    # d theta / dw = h / (w^2 + h^2), d theta / dh = -w / (w^2 + h^2); dw/dx1 = -1, dh/dy1 = -1
    r2 = w * w + h * h
    dtheta = np.stack([-h / r2, w / r2, h / r2, -w / r2], axis=1)
    d_v = (-2 * k * delta)[:, None] * dtheta

    inv_s = (1.0 / s)[:, None]  # back to the caller's coordinates
    out.update(d_iou=d_iou * inv_s, d_giou_pen=d_giou * inv_s, d_diou_pen=d_diou * inv_s, d_v=d_v * inv_s)
    return out


def overlap_forward(y, probs, *, alpha, beta, smooth, class_axis, grad_weight, loss_name, what_zero,
                    weigh_classes=None):
    """Per-example Tversky-form losses and their gradient in ``probs`` (Dice is alpha = beta = 1/2).

    A row's loss is ``d_r = 1 - r``, ``r = (TP + s) / D``, ``D = (1 - alpha - beta) TP + alpha P
    + beta Y + s``. Since ``dTP/dp_j = y_j`` and ``dP/dp_j = 1``,

        d d_r / d p_j = -(y_j - r ((1 - alpha - beta) y_j + alpha)) / D
                      = y_j (r (1 - alpha - beta) - 1) / D + alpha r / D,

    affine in ``y_j``. With ``class_axis=1`` the example's loss is the mean over its classes of
    ``w_c d_{ic}``: ``w_c = 1``, or ``weigh_classes(f)`` of the batch's class totals
    ``f_c = sum_i Y_ic``.
    """
    n = probs.shape[0]
    shape = (n,) if class_axis is None else probs.shape[:2]
    rows = math.prod(shape)
    width = math.prod(probs.shape[len(shape):])
    y2, p2 = y.reshape(rows, width), probs.reshape(rows, width)
    tp, ys, ps = row_sums(y2, p2)
    d, ratio, den = tversky_terms(tp, ys, ps, alpha, beta, smooth, loss_name, what_zero, shape)
    if class_axis is None:
        per_row = np.ones(rows)
        losses = d
    else:
        c = shape[1]
        w = np.ones(c) if weigh_classes is None else weigh_classes(ys.reshape(shape).sum(axis=0))
        per_row = np.broadcast_to(w / c, shape).reshape(-1)  # d loss_i / d d_ic
        losses = (d.reshape(shape) * w).mean(axis=1)
    if grad_weight is None:
        return losses, None
    g = np.repeat(np.asarray(grad_weight, dtype=np.float64), rows // n if n else 1) * per_row
    # r <= 1 (TP <= D since FP, FN >= 0): dividing r by D once, rather than (TP + s) by D^2, keeps
    # tiny sums from underflowing D^2 to 0
    a = g * (ratio * (1.0 - alpha - beta) - 1.0) / den
    b = g * alpha * ratio / den
    grad = np.empty(probs.shape, dtype=probs.dtype)
    affine_rows(y2, a, b, grad.reshape(rows, width))
    return losses, grad


class OverlapLoss(StructuredLoss):
    """Base of the mask losses (Dice, Tversky, generalised Dice): ``y`` and ``probs`` in [0, 1]."""

    prediction = "probability"
    inputs = MASK_INPUTS


class BoxIoULoss(StructuredLoss):
    """The three IoU box losses: target boxes ``y`` and predicted ``boxes``, both ``(n, 4)``.

    A subclass gives ``_combine(terms, eps, want_grad) -> (losses, grad)`` from ``box_geometry``'s
    terms; the per-example gradients are then scaled by the weights.
    """

    prediction = "box"
    inputs = (Input("y", "target"), Input("boxes"))
    positive_boxes = False  # CIoU's aspect ratio needs positive heights

    def _check_inputs(self, arrays, params):
        y, boxes = arrays["y"], arrays["boxes"]
        V.check_boxes(boxes, "boxes", positive=self.positive_boxes)
        V.check_boxes(y, "y", positive=self.positive_boxes)
        V.check_same_shape(y, boxes, "y", "boxes")
        return boxes.shape[:1]

    def _forward(self, arrays, params, grad_weight):
        want = grad_weight is not None
        terms = box_geometry(arrays["y"], arrays["boxes"], params["eps"], want)
        losses, grad = self._combine(terms, params["eps"], want)
        if not want:
            return losses, None
        return losses, {"boxes": grad * np.asarray(grad_weight, dtype=np.float64)[:, None]}

    def _combine(self, terms, eps, want_grad):
        raise NotImplementedError
