"""Mean squared error: the ``mse`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ELEMENTWISE, SKLEARN_WEIGHTED

__all__ = ["MSE", "ENTRY"]


class MSE(Loss):
    r"""Squared error, $L = (\hat y - y)^2$, or $\tfrac12(\hat y - y)^2$ with ``half=True``.

    Gradient: $\partial L/\partial \hat y = 2(\hat y - y)$, or $\hat y - y$ with
    ``half=True``: the residual itself, the reason textbooks carry the 1/2.

    The population minimiser is the conditional mean $E[y \mid x]$.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.mse([2.0, 3.0], [1.0, 2.0])
    np.float64(1.0)
    >>> lr.mse([2.0, 3.0], [1.0, 2.0], half=True)
    np.float64(0.5)
    >>> lr.mse.grad([2.0, 3.0], [1.0, 2.0], half=True)   # (y_pred - y) / n
    array([-0.5, -0.5])
    """

    name = "mse"
    parameters = (
        Param("half", False,
              "Multiply by 1/2 so that the gradient is the residual y_pred - y (the textbook convention).",
              constraint=V.Flag()),
    )
    nonfinite_propagates = True  # (y_pred - y)^2 is inf or NaN when either is: no separate check

    def _grad_factor(self, params):
        return 1.0 if params["half"] else 2.0

    def _forward(self, y, y_pred, grad_out, *, half, each=True, **_):
        r = np.subtract(y_pred, y, out=grad_out)  # the residual: the gradient up to the factor above
        if not each and r.dtype == np.float64:
            # Only the total is needed: a sum of squares without a temporary array (einsum's own
            # loop, not np.dot, which may start BLAS threads for every block). Its plain running
            # sum is accurate enough in float64 only; float32 takes the pairwise sum below.
            flat = r.ravel()
            total = np.einsum("i,i->", flat, flat)
            return total * 0.5 if half else total
        loss = r * r
        if half:
            loss *= 0.5
        return loss


    def _forward_hess(self, y, y_pred, *, half, **_):
        """d^2/dy_pred^2 of (y_pred - y)^2 is 2 (1 with ``half=True``), whatever the residual."""
        return np.full_like(y_pred, 1.0 if half else 2.0)


ENTRY = Entry(
    title="Mean squared error",
    family="regression",
    page='mse.md',
    formula=r"L(y, \hat y) = (\hat y - y)^2 \quad\text{or}\quad \tfrac12(\hat y - y)^2 \text{ with half=True}",
    gradient=r"\frac{\partial L}{\partial \hat y} = 2(\hat y - y) \quad\text{or}\quad "
              r"\hat y - y \text{ with half=True}",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = 2 \quad\text{or}\quad 1 \text{ with half=True}" r"\quad (\text{the same for every residual})",
    target="real values",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=False),
    minimizer="the conditional mean, E[y | x]",
    when_to_use="Regression with roughly Gaussian noise, when large errors should cost much more than small ones.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.mse_loss(y_pred, y)", True,
           "No 1/2: equals lossref with half=False; for half=True divide by 2. Argument order is (input, target)."),
        Eq("Keras 3", "keras.losses.MeanSquaredError()(y, y_pred)", True,
           "No 1/2. " + KERAS_ELEMENTWISE),
        Eq("optax", "optax.losses.squared_error(y_pred, y).mean()", True,
           "squared_error returns per-element values (take the mean); optax.losses.l2_loss is 0.5 * squared_error, "
           "lossref's half=True."),
        Eq("scikit-learn", "sklearn.metrics.mean_squared_error(y, y_pred)", True,
           "A metric (no gradient), no 1/2. " + SKLEARN_WEIGHTED),
    ),
    notes=(
        "Two conventions exist: (y_pred - y)^2 (PyTorch, Keras, scikit-learn, optax squared_error, lossref's "
        "default) "
        "and 1/2 (y_pred - y)^2 (Bishop, optax l2_loss, half=True). They differ by a factor 2 in value and "
        "gradient, "
        "which a fixed learning rate absorbs.",
        "The loss is in squared units of y and one large residual can dominate the mean; with outliers prefer "
        "huber, "
        "log_cosh or mae.",
    ),
    references=(
        "https://en.wikipedia.org/wiki/Mean_squared_error",
        "Bishop, C. M. (2006). Pattern Recognition and Machine Learning, Section 1.5.5. Springer.",
    ),
)
