"""Analytic gradients against finite differences, for every loss, parameter combination,
reduction and weighting.

Two independent checks per example: ``lossref.check_grad`` (the tool learners use) and a
fourth-order central difference written here, so that a bug in ``check_grad`` cannot hide a
bug in a gradient. With ``reduction="none"`` the gradient is that of the sum of the returned
per-example losses.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lossref as lr

REDUCTIONS = ("mean", "sum", "none")


def scalar_objective(loss, y, kwargs, reduction):
    """The scalar whose gradient ``loss.grad(..., reduction=reduction)`` is."""
    if reduction == "none":
        return lambda p: float(np.sum(loss(y, p, reduction="none", **kwargs), dtype=np.float64))
    return lambda p: float(loss(y, p, reduction=reduction, **kwargs))


def magnitude(loss, y, pred, kwargs, value):
    """Size of the numbers summed into the loss, which sets the finite differences' rounding error."""
    terms = np.abs(np.asarray(loss(y, pred, reduction="none", **kwargs), dtype=np.float64))
    return 1.0 + max(abs(float(np.sum(value))), float(terms.sum()))


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data())
def test_gradient_matches_finite_differences(grad_case, reduction, weighted, data, five_point):
    ex = data.draw(grad_case.examples(weighted=weighted), label="example")
    loss, y, pred, kw = grad_case.loss, ex.y, ex.pred, ex.kwargs

    value, analytic = loss.value_and_grad(y, pred, reduction=reduction, **kw)
    assert analytic.shape == pred.shape and analytic.dtype == np.float64
    assert np.all(np.isfinite(analytic))
    scale = magnitude(loss, y, pred, kw, value)

    # Independent check: a fourth-order stencil on the scalar objective.
    numeric = five_point(scalar_objective(loss, y, kw, reduction), pred)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8 * scale,
                               err_msg=f"{grad_case.id} reduction={reduction}")

    # The library's own checker agrees, and checks the very gradient that grad returns.
    checked = "sum" if reduction == "none" else reduction
    result = lr.check_grad(loss, y, pred, reduction=checked, atol=1e-7 * scale, **kw)
    assert result, str(result)
    assert result.ok and "OK" in str(result)
    np.testing.assert_array_equal(result.analytic, loss.grad(y, pred, reduction=checked, **kw))

    if reduction == "none":
        # "none" differentiates the sum: the same array as reduction="sum".
        np.testing.assert_array_equal(analytic, loss.grad(y, pred, reduction="sum", **kw))


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@given(data=st.data())
def test_gradient_of_sum_is_mean_gradient_times_total_weight(grad_case, reduction, data):
    """d(sum)/dpred = W * d(mean)/dpred with W the total effective weight = sum / mean."""
    ex = data.draw(grad_case.examples(weighted=None), label="example")
    loss, y, pred, kw = grad_case.loss, ex.y, ex.pred, ex.kwargs
    total, g_sum = loss.value_and_grad(y, pred, reduction="sum", **kw)
    mean, g_mean = loss.value_and_grad(y, pred, reduction="mean", **kw)
    if abs(mean) > 1e-6:
        w = float(total) / float(mean)
        np.testing.assert_allclose(g_sum, w * g_mean, rtol=1e-9, atol=1e-12 * (1 + np.abs(g_sum).max()))


def test_check_grad_works_on_pm1_integer_labels_and_lists():
    """check_grad accepts what the losses accept: integer labels and Python lists."""
    result = lr.check_grad(lr.hinge, [1, -1, 1], [0.5, 0.2, 3.0])
    assert result and result.analytic.tolist() == [-1.0, 1.0, 0.0]
    result = lr.check_grad(lr.cross_entropy, [0, 2], [[1.0, 0.5, -1.0], [0.0, 0.3, 2.0]], reduction="mean")
    assert result
    p = np.exp([[1.0, 0.5, -1.0], [0.0, 0.3, 2.0]])
    p /= p.sum(axis=1, keepdims=True)
    expected = (p - np.eye(3)[[0, 2]]) / 2
    np.testing.assert_allclose(result.analytic, expected, rtol=1e-12)
    np.testing.assert_allclose(result.numeric, expected, rtol=1e-6)


def test_check_grad_numeric_is_central_difference():
    """check_grad's numeric gradient is the derivative of the loss, whatever the analytic one says."""
    y = np.array([0.0, 1.0, -2.0])
    pred = np.array([1.5, -0.5, 2.0])
    result = lr.check_grad(lr.mse, y, pred, reduction="sum")
    np.testing.assert_allclose(result.numeric, 2 * (pred - y), rtol=1e-7)
    np.testing.assert_allclose(result.analytic, 2 * (pred - y), rtol=1e-15)
    assert result.max_rel_error < 1e-7


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_check_grad_checks_float32_losses_in_float64(dtype):
    y = np.array([0.2, 0.7], dtype=dtype)
    pred = np.array([0.3, -1.4], dtype=dtype)
    result = lr.check_grad(lr.bce_with_logits, y, pred)
    assert result, str(result)
    assert result.numeric.dtype == np.float64
