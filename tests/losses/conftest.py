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
