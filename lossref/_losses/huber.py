"""Huber loss: the ``huber`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ELEMENTWISE

__all__ = ["Huber", "ENTRY"]


class Huber(Loss):
    r"""Huber loss with threshold $\delta$: quadratic for small residuals, linear beyond.

    $$
    L = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\ \delta\,(|r| - \tfrac12\delta) & |r| > \delta \end{cases},
    \qquad \frac{\partial L}{\partial \hat y} = \operatorname{clip}(r, -\delta, \delta),
    \qquad r = \hat y - y.
    $$

    The two pieces meet with equal value and slope at $|r| = \delta$, so the loss is
    differentiable everywhere and its gradient is bounded by $\delta$. Same as
    ``torch.nn.HuberLoss(delta=delta)``; ``smooth_l1`` is this divided by $\delta$.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.huber([0.0, 0.0], [0.5, 3.0], reduction="none")
    array([0.125, 2.5  ])
    >>> lr.huber.grad([0.0, 0.0], [0.5, 3.0], reduction="sum")
    array([0.5, 1. ])
    """

    name = "huber"
    parameters = (
        Param("delta", 1.0,
              "Residual size where the loss turns from quadratic to linear; the gradient is clipped to "
              "[-delta, delta]. Must be > 0.",
              constraint=V.Real(low=0, low_open=True)),
    )

    def _forward(self, y, y_pred, grad_out, *, delta, **_):
        r = y_pred - y
        a = np.abs(r)
        loss = np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))
        if grad_out is not None:
            np.clip(r, -delta, delta, out=grad_out)
        return loss.astype(y_pred.dtype, copy=False)


    def _forward_hess(self, y, y_pred, *, delta, **_):
        """1 on the quadratic piece (|r| <= delta, the boundary included, as in the loss), 0 on the linear ones.

        At |r| = delta the gradient clip(r) has a corner: the one-sided second derivatives are 1
        and 0, and lossref returns the quadratic piece's 1.
        """
        return (np.abs(y_pred - y) <= delta).astype(y_pred.dtype)


ENTRY = Entry(
    title="Huber loss",
    family="regression",
    page='huber.md#huber-loss',
    formula=r"L = \begin{cases} \tfrac12 (\hat y - y)^2 & |\hat y - y| \le \delta \\ "
             r"\delta\left(|\hat y - y| - \tfrac12\delta\right) & |\hat y - y| > \delta \end{cases}",
    gradient=r"\frac{\partial L}{\partial \hat y} = \operatorname{clip}(\hat y - y,\ -\delta,\ \delta)",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = \begin{cases} 1 & |\hat y - y| \le \delta \\ " r"0 & |\hat y - y| > \delta \end{cases} \quad (\text{one-sided values 1 and 0 at } " r"|\hat y - y| = \delta\text{; lossref returns } 1)",
    target="real values",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=True, calibrated=False),
    minimizer="the conditional Huber location: the m solving E[clip(m - y, -delta, delta) | x] = 0; "
               "for symmetric noise it is the conditional mean (= median)",
    when_to_use="Regression with occasional outliers: squared error for residuals up to delta, absolute error "
                 "beyond, so no single residual dominates the gradient. Set delta near the noise scale of the "
                 "inliers.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.huber_loss(y_pred, y, delta=1.0)", True,
           "Same definition (torch.nn.HuberLoss). smooth_l1_loss(beta=delta) is this divided by delta."),
        Eq("Keras 3", "keras.losses.Huber(delta=1.0)(y, y_pred)", True,
           "Same piecewise formula (delta * |r| - delta^2 / 2 beyond delta). " + KERAS_ELEMENTWISE),
        Eq("optax", "optax.losses.huber_loss(y_pred, y, delta=1.0).mean()", True,
           "Per-element values; take the mean."),
        Eq("scikit-learn",
           "np.mean(np.where(np.abs(y_pred - y) <= 1.0, 0.5 * (y_pred - y) ** 2, "
           "1.0 * (np.abs(y_pred - y) - 0.5 * 1.0)))", True,
           "scikit-learn has no Huber metric; this is the formula with NumPy for delta=1. "
           "SGDRegressor(loss=\"huber\", "
           "epsilon=delta) trains with this loss, and HuberRegressor(epsilon=...) fits a scale-normalised variant "
           "(epsilon multiplies an estimated scale), but neither returns the loss value."),
    ),
    notes=(
        "Conventions differ by constant factors: some texts multiply by 2 or by 1/delta (smooth_l1 = huber / "
        "delta). "
        "Compare values only within one convention.",
        "delta is in the units of y: rescaling the targets without rescaling delta changes which residuals count "
        "as "
        "outliers.",
    ),
    references=(
        "Huber, P. J. (1964). Robust Estimation of a Location Parameter. Annals of Mathematical Statistics 35(1), "
        "73-101.",
        "https://en.wikipedia.org/wiki/Huber_loss",
    ),
)
