"""Smooth L1 loss: the ``smooth_l1`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ELEMENTWISE

__all__ = ["SmoothL1", "ENTRY"]


class SmoothL1(Loss):
    r"""Smooth L1 loss (PyTorch's ``SmoothL1Loss``) with threshold $\beta$.

    $$
    L = \begin{cases} \tfrac12 r^2/\beta & |r| < \beta \\ |r| - \tfrac12\beta & |r| \ge \beta \end{cases},
    \qquad \frac{\partial L}{\partial \hat y} = \operatorname{clip}(r/\beta, -1, 1).
    $$

    It equals ``huber(delta=beta) / beta`` for $\beta > 0$, and like Huber it is then
    differentiable everywhere with gradient bounded by 1. ``beta=0`` gives the absolute error,
    which has a kink at $r = 0$ (the gradient there is 0, ``np.sign(0)``).

    Examples
    --------
    >>> import lossref as lr
    >>> lr.smooth_l1([0.0, 0.0], [0.5, 3.0], reduction="none")
    array([0.125, 2.5  ])
    >>> lr.smooth_l1([0.0, 0.0], [0.5, 3.0], beta=2.0, reduction="none")
    array([0.0625, 2.    ])
    """

    name = "smooth_l1"
    parameters = (
        Param("beta", 1.0,
              "Residual size where the loss turns from quadratic to linear; beta = 0 gives the absolute "
              "error, with its kink at 0. Must be >= 0.",
              constraint=V.Real(low=0)),
    )

    def _forward(self, y, y_pred, grad_out, *, beta, **_):
        r = y_pred - y
        a = np.abs(r)
        if beta == 0:  # the limit beta -> 0 is the absolute error; avoid 0/0
            if grad_out is not None:
                np.sign(r, out=grad_out)
            return a
        loss = np.where(a < beta, 0.5 * r * r / beta, a - 0.5 * beta)
        if grad_out is not None:
            np.clip(r / beta, -1, 1, out=grad_out)
        return loss.astype(y_pred.dtype, copy=False)


    def _forward_hess(self, y, y_pred, *, beta, **_):
        """1/beta on the quadratic piece (|r| < beta), 0 beyond; 0 everywhere when beta = 0 (the absolute error).

        At |r| = beta the one-sided values are 1/beta and 0; lossref returns 0, as the loss puts
        |r| = beta on the linear piece.
        """
        if beta == 0:
            return np.zeros_like(y_pred)
        inside = np.abs(y_pred - y) < beta
        return np.where(inside, y_pred.dtype.type(1 / beta), y_pred.dtype.type(0))


ENTRY = Entry(
    title="Smooth L1 loss",
    family="regression",
    page='huber.md#smooth-l1-loss',
    formula=r"L = \begin{cases} \dfrac{(\hat y - y)^2}{2\beta} & |\hat y - y| < \beta \\ "
             r"|\hat y - y| - \tfrac12\beta & |\hat y - y| \ge \beta \end{cases}",
    gradient=r"\frac{\partial L}{\partial \hat y} = "
              r"\operatorname{clip}\left(\frac{\hat y - y}{\beta},\ -1,\ 1\right)"
              r" \quad (\operatorname{sign}(\hat y - y) \text{ when } \beta = 0)",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = \begin{cases} 1/\beta & |\hat y - y| < \beta \\ " r"0 & |\hat y - y| \ge \beta \end{cases} \quad (0 \text{ everywhere when } \beta = 0\text{; " r"one-sided values } 1/\beta \text{ and } 0 \text{ at } |\hat y - y| = \beta)",
    target="real values",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=True, calibrated=False),
    minimizer="that of huber with delta = beta (smooth_l1 is huber / beta): the conditional mean (= median) for "
               "symmetric noise; the conditional median when beta = 0",
    when_to_use="Box regression and other tasks where a gradient bounded by 1 is wanted whatever the threshold "
                 "(Fast R-CNN); it is huber rescaled by 1/beta.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.smooth_l1_loss(y_pred, y, beta=1.0)", True,
           "Same definition (torch.nn.SmoothL1Loss), including beta=0 as L1. huber_loss(delta=beta) is beta times "
           "this; the two coincide at beta=1."),
        Eq("Keras 3", "keras.losses.Huber(delta=1.0)(y, y_pred)", True,
           "Keras has no smooth L1; at beta=1 it equals Huber(delta=1). For other beta > 0 use "
           "keras.losses.Huber(delta=beta)(y, y_pred) / beta. " + KERAS_ELEMENTWISE),
        Eq("optax", "optax.losses.huber_loss(y_pred, y, delta=1.0).mean() / 1.0", True,
           "optax has no smooth L1; divide huber_loss(delta=beta) by beta (beta > 0)."),
        Eq("scikit-learn",
           "np.mean(np.where(np.abs(y_pred - y) < 1.0, 0.5 * (y_pred - y) ** 2 / 1.0, "
           "np.abs(y_pred - y) - 0.5 * 1.0))", True,
           "scikit-learn has no smooth L1; this is the formula with NumPy for beta=1."),
    ),
    notes=(
        "huber(delta) and smooth_l1(beta) agree only at delta = beta = 1. smooth_l1's gradient is bounded by 1 for "
        "every beta, huber's by delta.",
        "A small beta approaches the absolute error: the quadratic zone near zero, where gradients shrink, "
        "narrows.",
        "Differentiable everywhere only for beta > 0 (the default is 1): beta = 0 is the absolute error, with a "
        "kink at a zero residual, where grad returns 0.",
    ),
    references=(
        "Girshick, R. (2015). Fast R-CNN. ICCV. https://arxiv.org/abs/1504.08083",
        "https://pytorch.org/docs/stable/generated/torch.nn.SmoothL1Loss.html",
    ),
)
