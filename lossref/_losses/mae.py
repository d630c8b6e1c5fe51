"""Mean absolute error: the ``mae`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .._base import Loss
from .._info import Entry
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ELEMENTWISE, SKLEARN_WEIGHTED

__all__ = ["MAE", "ENTRY"]


class MAE(Loss):
    r"""Absolute error, $L = |\hat y - y|$.

    Gradient: $\operatorname{sign}(\hat y - y)$; at $\hat y = y$ any value in
    [-1, 1] is a subgradient and lossref returns 0. The minimiser is the conditional median.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.mae([0.0, 0.0, 0.0], [1.0, -2.0, 0.0], reduction="none")
    array([1., 2., 0.])
    >>> lr.mae.grad([0.0, 0.0, 0.0], [1.0, -2.0, 0.0], reduction="sum")
    array([ 1., -1.,  0.])
    """

    name = "mae"
    parameters = ()

    def _forward(self, y, y_pred, grad_out, **_):
        r = y_pred - y
        if grad_out is not None:
            np.sign(r, out=grad_out)
        return np.abs(r)


    def _forward_hess(self, y, y_pred, **_):
        """|r| is linear on each side of 0: the second derivative is 0 there, undefined at r = 0 (0 returned)."""
        return np.zeros_like(y_pred)


ENTRY = Entry(
    title="Mean absolute error",
    family="regression",
    page='mae.md',
    formula=r"L(y, \hat y) = |\hat y - y|",
    gradient=r"\frac{\partial L}{\partial \hat y} = \operatorname{sign}(\hat y - y) "
              r"\quad (0 \text{ at } \hat y = y)",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = 0 \text{ for } \hat y \ne y; \ " r"\text{undefined at } \hat y = y \ (\text{lossref returns } 0)",
    target="real values",
    properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                 robust_to_outliers=True, calibrated=False),
    minimizer="the conditional median, median(y | x)",
    when_to_use="Regression with heavy-tailed noise or outliers, or when the median rather than the mean is "
                 "wanted.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.l1_loss(y_pred, y)", True, "Argument order is (input, target)."),
        Eq("Keras 3", "keras.losses.MeanAbsoluteError()(y, y_pred)", True, KERAS_ELEMENTWISE),
        Eq("optax", "jnp.abs(y_pred - y).mean()", True,
           "optax has no absolute-error loss; this is the formula with jax.numpy."),
        Eq("scikit-learn", "sklearn.metrics.mean_absolute_error(y, y_pred)", True,
           "A metric (no gradient). " + SKLEARN_WEIGHTED),
    ),
    notes=(
        "At a zero residual lossref returns the subgradient 0; any value in [-1, 1] is valid there.",
        "The gradient has magnitude 1 for every nonzero residual, so a fixed step size makes gradient descent "
        "oscillate around the optimum: decay the step, or use huber or smooth_l1.",
    ),
    references=("https://en.wikipedia.org/wiki/Mean_absolute_error",),
)
