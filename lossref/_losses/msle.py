"""Mean squared logarithmic error: the ``msle`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ELEMENTWISE, SKLEARN_WEIGHTED

__all__ = ["MSLE", "ENTRY"]


class MSLE(Loss):
    r"""Squared error of the logarithms, $L = \big(\log(1 + \hat y) - \log(1 + y)\big)^2$, for $y, \hat y \ge 0$.

    With $d = \log(1 + \hat y) - \log(1 + y)$, the log of the ratio $(1 + \hat y) / (1 + y)$,

    $$
    \frac{\partial L}{\partial \hat y} = \frac{2 d}{1 + \hat y}, \qquad
    \frac{\partial^2 L}{\partial \hat y^2} = \frac{2 (1 - d)}{(1 + \hat y)^2}.
    $$

    It is ``mse`` on the scale $\log(1 + \cdot)$: errors count as ratios, so predicting 200 for
    100 costs about what predicting 50 does. The second derivative is negative where $d > 1$
    (a prediction above $e (1 + y) - 1$): the loss is not convex in $\hat y$, only in
    $\log(1 + \hat y)$. ``log1p`` keeps the precision of values near 0.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.msle([0.0, 9.0], [0.0, 99.0], reduction="none").round(4)   # log(100 / 10)^2
    array([0.    , 5.3019])
    >>> lr.msle.grad([9.0], [99.0]).round(5)                          # 2 log(10) / 100
    array([0.04605])
    """

    name = "msle"
    parameters = ()

    def _check_block(self, y, y_pred, start, params):
        V.check_nonnegative(y, "y", "non-negative values", start)
        V.check_nonnegative(y_pred, "y_pred", "non-negative values", start)

    def _forward(self, y, y_pred, grad_out, **_):
        one_plus = 1 + y_pred
        d = np.log1p(y_pred) - np.log1p(y)  # log1p, not log(1 + x): exact for small values
        if grad_out is not None:
            np.divide(2 * d, one_plus, out=grad_out)
        return d * d

    def _forward_hess(self, y, y_pred, **_):
        """2 (1 - d) / (1 + y_pred)^2, negative once d = log((1 + y_pred) / (1 + y)) exceeds 1."""
        one_plus = 1 + y_pred
        d = np.log1p(y_pred) - np.log1p(y)
        return 2 * (1 - d) / (one_plus * one_plus)


ENTRY = Entry(
    title="Mean squared logarithmic error",
    family="regression",
    page="mse.md#mean-squared-logarithmic-error",
    formula=r"L(y, \hat y) = \big(\log(1 + \hat y) - \log(1 + y)\big)^2",
    gradient=r"\frac{\partial L}{\partial \hat y} = \frac{2\,\big(\log(1 + \hat y) - \log(1 + y)\big)}{1 + \hat y}",
    second_derivative=(r"\frac{\partial^2 L}{\partial \hat y^2} = \frac{2\,(1 - d)}{(1 + \hat y)^2}, \quad "
                       r"d = \log(1 + \hat y) - \log(1 + y)"),
    target="non-negative real values (counts, prices, durations)",
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=False),
    minimizer="exp(E[log(1 + y) | x]) - 1, at most the conditional mean (Jensen's inequality) and below it "
              "unless y given x is constant",
    when_to_use="Non-negative targets spanning orders of magnitude, when a relative error should cost the same "
                "at every scale.",
    equivalents=(
        Eq("PyTorch", "torch.mean((torch.log1p(y_pred) - torch.log1p(y)) ** 2)", True,
           "PyTorch has no MSLE loss; this is the formula with torch operations."),
        Eq("Keras 3", "keras.losses.MeanSquaredLogarithmicError()(y, y_pred)", True,
           "Keras clips both arguments at keras.config.epsilon() (1e-7) before log(x + 1), so values below 1e-7 "
           "count as 1e-7. " + KERAS_ELEMENTWISE),
        Eq("optax", "jnp.mean((jnp.log1p(y_pred) - jnp.log1p(y)) ** 2)", True,
           "optax has no MSLE loss; this is the formula with jax.numpy."),
        Eq("scikit-learn", "sklearn.metrics.mean_squared_log_error(y, y_pred)", True,
           "A metric (no gradient). scikit-learn accepts values above -1; lossref rejects negative ones. "
           + SKLEARN_WEIGHTED),
    ),
    notes=(
        "Negative values are rejected: log(1 + x) exists down to -1, but the loss is meant for non-negative "
        "quantities, and a value near -1 makes its logarithm, and the gradient, arbitrarily large.",
        "Over-prediction is cheaper in units than under-prediction of the same size (for a target of 100, "
        "predicting 150 costs 0.16 and predicting 50 costs 0.47): the loss is symmetric in the ratio "
        "(1 + y_pred) / (1 + y), not in the difference.",
        "The minimiser is below the mean, exp(E[log(1 + y)]) - 1: a model trained on MSLE under-predicts the mean "
        "of a skewed target; train on mse of log1p(y) if the model predicts log1p(y) directly.",
    ),
    references=(
        "https://scikit-learn.org/stable/modules/model_evaluation.html#mean-squared-log-error",
    ),
)
