"""Checks shared by the tests of the losses: structured ones (``lr.StructuredLoss``, several array
arguments) and ``lr.Loss`` ones (a target and one prediction, given as ``{"y": ..., pred_name: ...}``)."""

from __future__ import annotations

import numpy as np
import pytest


def _call(loss, method, arrays: dict, **kwargs):
    """``loss.<method>`` on the arrays by name; a ``Loss`` takes its target positionally."""
    fn = getattr(loss, method) if method else loss
    if hasattr(loss, "inputs"):
        return fn(**arrays, **kwargs)
    return fn(arrays["y"], arrays[loss.pred_name], **kwargs)


def _prediction_names(loss, arrays: dict) -> list[str]:
    if hasattr(loss, "inputs"):
        return [i.name for i in loss.inputs if i.kind == "prediction" and arrays.get(i.name) is not None]
    return [loss.pred_name]


def numeric_grads(five_point, loss, arrays: dict, params: dict, *, reduction="sum", sample_weight=None):
    """Five-point finite differences of the reduced loss in each prediction input, in argument order.

    "none" differentiates the sum, as the gradient of per-example values is defined.
    """
    reduction = "sum" if reduction == "none" else reduction
    out = []
    for name in _prediction_names(loss, arrays):
        def f(x, name=name):
            return float(_call(loss, None, {**arrays, name: x}, reduction=reduction, sample_weight=sample_weight,
                               **params))
        out.append(five_point(f, arrays[name]))
    return tuple(out)


@pytest.fixture
def assert_grads_match(five_point):
    """``assert_grads_match(loss, arrays, params, ...)``: analytic gradients agree with finite differences."""

    def check(loss, arrays, params=None, *, reduction="sum", sample_weight=None, rtol=1e-6, atol=1e-8):
        params = params or {}
        grads = _call(loss, "grad", arrays, reduction=reduction, sample_weight=sample_weight, **params)
        grads = grads if isinstance(grads, tuple) else (grads,)
        numeric = numeric_grads(five_point, loss, arrays, params, reduction=reduction, sample_weight=sample_weight)
        assert len(grads) == len(numeric)
        for g, n in zip(grads, numeric):
            np.testing.assert_allclose(g, n, rtol=rtol, atol=atol)
        return grads

    return check


def _mp_box_losses(target, box, eps):
    """torchvision's GIoU, DIoU and CIoU losses of one pair of boxes from the published formulas, in mpmath."""
    import mpmath

    mpmath.mp.dps = 60
    x1, y1, x2, y2 = (mpmath.mpf(float(c)) for c in box)
    g1, h1, g2, h2 = (mpmath.mpf(float(c)) for c in target)
    eps = mpmath.mpf(eps)
    iw, ih = min(x2, g2) - max(x1, g1), min(y2, h2) - max(y1, h1)
    inter = iw * ih if iw > 0 and ih > 0 else mpmath.mpf(0)
    union = (x2 - x1) * (y2 - y1) + (g2 - g1) * (h2 - h1) - inter
    iou = inter / (union + eps)
    cw, ch = max(x2, g2) - min(x1, g1), max(y2, h2) - min(y1, h1)
    giou = 1 - iou + (cw * ch - union) / (cw * ch + eps)
    rho2 = ((x1 + x2) / 2 - (g1 + g2) / 2) ** 2 + ((y1 + y2) / 2 - (h1 + h2) / 2) ** 2
    diou = 1 - iou + rho2 / (cw ** 2 + ch ** 2 + eps)
    v = 4 / mpmath.pi ** 2 * (mpmath.atan((g2 - g1) / (h2 - h1)) - mpmath.atan((x2 - x1) / (y2 - y1))) ** 2
    ciou = diou + v / (1 - iou + v + eps) * v
    return {"giou_box": giou, "diou_box": diou, "ciou_box": ciou, "iou": iou, "v": v}


@pytest.fixture
def mp_box_losses():
    """``mp_box_losses(target, box, eps)``: 60-digit GIoU, DIoU, CIoU losses (and IoU, v) of one pair."""
    return _mp_box_losses


def random_box_pairs(seed, n=6, overlapping=None):
    """Pairs of boxes in general position (no two coordinates within 0.05 of each other: no ties)."""
    rng = np.random.default_rng(seed)
    out_y, out_b = [], []
    while len(out_y) < n:
        c = rng.uniform(0, 4, size=8)
        xs, ys = np.sort(c[[0, 1, 4, 5]]), np.sort(c[[2, 3, 6, 7]])
        if np.min(np.diff(xs)) < 0.05 or np.min(np.diff(ys)) < 0.05:
            continue
        perm = rng.permutation(4)
        rest_x = [v for k, v in enumerate(xs) if k not in (perm[0], perm[2])]
        rest_y = [v for k, v in enumerate(ys) if k not in (perm[1], perm[3])]
        t = np.array([min(xs[perm[0]], xs[perm[2]]), min(ys[perm[1]], ys[perm[3]]),
                      max(xs[perm[0]], xs[perm[2]]), max(ys[perm[1]], ys[perm[3]])])
        b = np.array([min(rest_x), min(rest_y), max(rest_x), max(rest_y)])
        iw = min(t[2], b[2]) - max(t[0], b[0])
        ih = min(t[3], b[3]) - max(t[1], b[1])
        if overlapping is not None and overlapping != (iw > 0 and ih > 0):
            continue
        out_y.append(t)
        out_b.append(b)
    return np.array(out_y), np.array(out_b)


@pytest.fixture
def box_pairs():
    """``box_pairs(seed, n=6, overlapping=None)``: target and predicted boxes away from ties."""
    return random_box_pairs


@pytest.fixture
def assert_row_hessian_matches(five_point):
    """``check(loss, y, pred, params, ...)``: a per-row loss's (C, C) blocks agree with finite differences of
    its gradient, and are symmetric; "none" is the Hessian of the sum, as its gradient is."""

    def check(loss, y, pred, params=None, *, reduction="sum", sample_weight=None, rtol=1e-6, atol=1e-8):
        params = params or {}
        hess = loss.hess(y, pred, reduction=reduction, sample_weight=sample_weight, **params)
        assert hess.shape == pred.shape + pred.shape[-1:]
        np.testing.assert_array_equal(hess, np.swapaxes(hess, -1, -2))
        total = "sum" if reduction == "none" else reduction
        numeric = five_point(lambda p: loss.grad(y, p, reduction=total, sample_weight=sample_weight, **params), pred)
        n = pred.shape[0]
        for i in range(n):  # rows do not interact: every off-row block is 0
            np.testing.assert_allclose(hess[i], numeric[i, :, i, :], rtol=rtol, atol=atol)
            others = np.delete(numeric[i], i, axis=1)
            np.testing.assert_allclose(others, 0, atol=atol)
        return hess

    return check
