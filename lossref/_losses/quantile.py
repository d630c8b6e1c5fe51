"""Quantile (pinball) loss: the ``quantile`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import SKLEARN_WEIGHTED

__all__ = ["Quantile", "ENTRY"]


class Quantile(Loss):
    r"""Quantile (pinball) loss at level $\tau \in (0, 1)$.

    With the residual $u = y - \hat y$,

    $$
    L = \max(\tau u, (\tau - 1) u), \qquad
    \frac{\partial L}{\partial \hat y} = \begin{cases} -\tau & y > \hat y \\ 1 - \tau & y < \hat y \end{cases}
    $$

    (0 at a tie, a valid subgradient). The minimiser is the conditional $\tau$-quantile.
    At $\tau = 0.5$ it is half the absolute error, as in scikit-learn's
    ``mean_pinball_loss(alpha=0.5)``.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.quantile([1.0, 1.0], [0.0, 3.0], tau=0.9, reduction="none")
    array([0.9, 0.2])
    """

    name = "quantile"
    parameters = (
        Param("tau", 0.5,
              "Quantile level in (0, 1): under-prediction costs tau per unit, over-prediction 1 - tau.",
              constraint=V.Real(low=0, high=1, low_open=True, high_open=True)),
    )

    def _forward(self, y, y_pred, grad_out, *, tau, **_):
        u = y - y_pred
        loss = np.maximum(tau * u, (tau - 1) * u)
        if grad_out is not None:
            grad_out[...] = np.where(u > 0, -tau, np.where(u < 0, 1 - tau, 0))
        return loss.astype(y_pred.dtype, copy=False)


    def _forward_hess(self, y, y_pred, **_):
        """Linear on each side of y = y_pred: 0 there, undefined at the tie (0 returned)."""
        return np.zeros_like(y_pred)


ENTRY = Entry(
    title="Quantile (pinball) loss",
    family="regression",
    page='quantile.md',
    formula=r"L(y, \hat y) = \max\left(\tau\,(y - \hat y),\ (\tau - 1)(y - \hat y)\right)",
    gradient=r"\frac{\partial L}{\partial \hat y} = \begin{cases} -\tau & y > \hat y \\ 1 - \tau & y < \hat y \\ "
              r"0 & y = \hat y \end{cases}",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = 0 \text{ for } \hat y \ne y; \ " r"\text{undefined at } \hat y = y \ (\text{lossref returns } 0)",
    target="real values",
    properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                 robust_to_outliers=True, calibrated=False),
    minimizer="the conditional tau-quantile of y given x; tau = 0.5 gives the conditional median",
    when_to_use="Predicting a quantile instead of the mean: prediction intervals from models at tau = 0.05 and "
                 "0.95, or asymmetric costs of under- and over-prediction.",
    equivalents=(
        Eq("PyTorch", "torch.maximum(0.5 * (y - y_pred), (0.5 - 1) * (y - y_pred)).mean()", True,
           "PyTorch has no pinball loss; this is the formula for tau=0.5 (replace 0.5 by tau)."),
        Eq("Keras 3", "keras.ops.mean(keras.ops.maximum(0.5 * (y - y_pred), (0.5 - 1) * (y - y_pred)))", True,
           "Keras 3 has no pinball loss; this is the formula with keras.ops for tau=0.5."),
        Eq("optax", "jnp.maximum(0.5 * (y - y_pred), (0.5 - 1) * (y - y_pred)).mean()", True,
           "optax has no pinball loss; this is the formula with jax.numpy for tau=0.5."),
        Eq("scikit-learn", "sklearn.metrics.mean_pinball_loss(y, y_pred, alpha=0.5)", True,
           "alpha is tau (default 0.5 in both). At 0.5 it is half the absolute error, mean_absolute_error / 2, as "
           "is "
           "lossref's quantile. " + SKLEARN_WEIGHTED),
    ),
    notes=(
        "At tau = 0.5 the loss is half the absolute error, not equal to it: quantile(y, p) == mae(y, p) / 2.",
        "The residual is y - y_pred: tau > 0.5 punishes under-prediction more and pushes predictions up.",
        "Quantile models fitted separately can cross (the 0.9 prediction below the 0.5 one); sort the predictions "
        "or fit the quantiles jointly when monotonicity matters.",
    ),
    references=(
        "Koenker, R. & Bassett, G. (1978). Regression Quantiles. Econometrica 46(1), 33-50.",
        "https://scikit-learn.org/stable/modules/model_evaluation.html#pinball-loss",
    ),
)
