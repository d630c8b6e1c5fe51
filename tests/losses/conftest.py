"""Checks shared by the tests of the losses with several array arguments (``lr.StructuredLoss``)."""

from __future__ import annotations

import numpy as np
import pytest


def numeric_grads(five_point, loss, arrays: dict, params: dict, *, reduction="sum", sample_weight=None):
    """Five-point finite differences of the reduced loss in each prediction input, in argument order."""
    names = [i.name for i in loss.inputs if i.kind == "prediction" and arrays.get(i.name) is not None]
    out = []
    for name in names:
        def f(x, name=name):
            return float(loss(**{**arrays, name: x}, reduction=reduction, sample_weight=sample_weight, **params))
        out.append(five_point(f, arrays[name]))
    return tuple(out)


@pytest.fixture
def assert_grads_match(five_point):
    """``assert_grads_match(loss, arrays, params, ...)``: analytic gradients agree with finite differences."""

    def check(loss, arrays, params=None, *, reduction="sum", sample_weight=None, rtol=1e-6, atol=1e-8):
        params = params or {}
        grads = loss.grad(**arrays, reduction=reduction, sample_weight=sample_weight, **params)
        grads = grads if isinstance(grads, tuple) else (grads,)
        numeric = numeric_grads(five_point, loss, arrays, params, reduction=reduction, sample_weight=sample_weight)
        assert len(grads) == len(numeric)
        for g, n in zip(grads, numeric):
            np.testing.assert_allclose(g, n, rtol=rtol, atol=atol)
        return grads

    return check
