"""Squared hinge loss: the ``squared_hinge`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._margin import PlusMinusOne
from ._sentences import KERAS_ELEMENTWISE

__all__ = ["SquaredHinge", "ENTRY"]


class SquaredHinge(PlusMinusOne):
    r"""Squared hinge, $L = \max(0, 1 - y s)^2$, with gradient $-2y\max(0, 1 - y s)$.

    Differentiable everywhere (the L2-SVM loss) but, like the squared error, it lets a badly
    misclassified example dominate.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.squared_hinge([1, -1], [0.5, 0.5], reduction="none")
    array([0.25, 2.25])
    """

    name = "squared_hinge"
    parameters = (
        Param("class_weight", None,
              "(w_neg, w_pos): weights of examples labelled -1 and +1, entering the weighted mean's "
              "denominator."),
    )

    def _forward(self, y, scores, grad_out, **_):
        violation = np.maximum(1 - y * scores, 0)
        if grad_out is not None:
            np.multiply(-2 * y, violation, out=grad_out)
        return violation * violation


    def _forward_hess(self, y, scores, **_):
        r"""$2y^2 = 2$ where the margin is violated ($y s < 1$), 0 where it is met.

        The gradient $-2y\max(0, 1 - ys)$ is continuous but has a corner at $y s = 1$, where the
        one-sided second derivatives are 2 and 0; lossref returns 0 there, as it counts
        $y s = 1$ as met (the hinge's subgradient convention).
        """
        return np.where(1 - y * scores > 0, scores.dtype.type(2), scores.dtype.type(0))


ENTRY = Entry(
    title="Squared hinge loss",
    family="margin",
    page='hinge.md#squared-hinge-loss',
    formula=r"L(y, s) = \max(0,\ 1 - y\,s)^2",
    gradient=r"\frac{\partial L}{\partial s} = -2y\,\max(0,\ 1 - y\,s)",
    second_derivative=r"\frac{\partial^2 L}{\partial s^2} = \begin{cases} 2 & y\,s < 1 \\ 0 & y\,s \ge 1 \end{cases}" r" \quad (\text{one-sided values 2 and 0 at } y\,s = 1\text{; lossref returns } 0)",
    target="labels in {-1, +1} (convert 0/1 labels with 2y - 1)",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=True),
    minimizer="s = 2 P(y = +1 | x) - 1, in [-1, 1], so (s + 1) / 2 recovers P(y = +1 | x)",
    when_to_use="Linear SVMs trained with smooth optimisers (the L2-SVM, LinearSVC's default): differentiable, "
                 "with a stronger push on margin violations than the hinge.",
    equivalents=(
        Eq("PyTorch", "torch.clamp(1 - y * scores, min=0).pow(2).mean()", True,
           "PyTorch has no squared hinge loss; this is the formula."),
        Eq("Keras 3", "keras.losses.SquaredHinge()(y, scores)", True,
           "Same formula; labels that are all 0 or 1 are silently converted to -1/+1. " + KERAS_ELEMENTWISE),
        Eq("optax", "jnp.square(optax.losses.hinge_loss(scores, y)).mean()", True,
           "optax has no squared hinge; square hinge_loss."),
        Eq("scikit-learn", "np.mean(np.maximum(0, 1 - y * scores) ** 2)", True,
           "scikit-learn has no squared hinge metric (LinearSVC(loss='squared_hinge') trains with it); this is the "
           "formula with NumPy."),
    ),
    notes=(
        "For s in [-1, 1] the loss is 4 times the Brier score of (s + 1) / 2, hence the probability estimate; "
        "scores beyond +-1 are never optimal in the population but occur on finite samples, so clip before "
        "reading probabilities.",
        "A badly misclassified example's loss and gradient grow with its violation, as with squared error: one "
        "mislabelled point can dominate.",
    ),
    references=(
        "Bartlett, P. L., Jordan, M. I. & McAuliffe, J. D. (2006). Convexity, Classification, and Risk Bounds. "
        "Journal of the American Statistical Association 101(473), 138-156.",
        "https://scikit-learn.org/stable/modules/generated/sklearn.svm.LinearSVC.html",
    ),
)
