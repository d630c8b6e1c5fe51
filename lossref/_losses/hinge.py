"""Hinge loss: the ``hinge`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._margin import PlusMinusOne
from ._sentences import KERAS_ELEMENTWISE, SKLEARN_WEIGHTED

__all__ = ["Hinge", "ENTRY"]


class Hinge(PlusMinusOne):
    r"""Hinge loss, the SVM's convex surrogate for the 0-1 loss: $L = \max(0, 1 - y s)$.

    Subgradient: $-y$ where the margin is violated ($y s < 1$), 0 where it is met
    ($y s > 1$); at $y s = 1$ lossref returns 0 (any value between 0 and
    $-y$ is valid). Only examples inside the margin move the model: the support vectors.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.hinge([1, 1, -1], [2.0, 0.2, 0.3], reduction="none")      # the lesson's example
    array([0. , 0.8, 1.3])
    >>> lr.hinge.grad([1, 1, -1], [2.0, 0.2, 0.3], reduction="sum")
    array([ 0., -1.,  1.])
    """

    name = "hinge"
    parameters = (
        Param("class_weight", None,
              "(w_neg, w_pos): weights of examples labelled -1 and +1, entering the weighted mean's "
              "denominator (like SVC's class_weight)."),
    )

    def _forward(self, y, scores, grad_out, **_):
        violation = 1 - y * scores
        if grad_out is not None:
            np.copyto(grad_out, np.where(violation > 0, -y, 0))
        return np.maximum(violation, 0)


    def _forward_hess(self, y, scores, **_):
        """Linear in s on each side of the kink y s = 1: 0 there, undefined at the kink (0 returned)."""
        return np.zeros_like(scores)


ENTRY = Entry(
    title="Hinge loss",
    family="margin",
    page='hinge.md#hinge-loss',
    formula=r"L(y, s) = \max(0,\ 1 - y\,s)",
    gradient=r"\frac{\partial L}{\partial s} = \begin{cases} -y & y\,s < 1 \\ 0 & y\,s \ge 1 \end{cases}",
    second_derivative=r"\frac{\partial^2 L}{\partial s^2} = 0 \text{ for } y\,s \ne 1; \ " r"\text{undefined at } y\,s = 1 \ (\text{lossref returns } 0)",
    target="labels in {-1, +1} (convert 0/1 labels with 2y - 1)",
    properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=False),
    minimizer="the Bayes decision sign(2 P(y = +1 | x) - 1), i.e. scores of -1 or +1; not a probability",
    when_to_use="Linear and kernel SVMs: a maximum-margin classifier whose solution depends only on the examples "
                 "inside the margin (the support vectors). Use when decisions, not probabilities, are needed.",
    equivalents=(
        Eq("PyTorch", "torch.clamp(1 - y * scores, min=0).mean()", True,
           "PyTorch has no binary hinge loss (HingeEmbeddingLoss is a different loss, on distances); this is the "
           "formula."),
        Eq("Keras 3", "keras.losses.Hinge()(y, scores)", True,
           "Same formula. Keras silently converts labels to -1/+1 when all of them are 0 or 1, where lossref "
           "raises. " + KERAS_ELEMENTWISE),
        Eq("optax", "optax.losses.hinge_loss(scores, y).mean()", True, "Targets in {-1, +1}, not checked: {0, 1} labels silently cost 1 for every 0 label, with a zero "
           "gradient. Per-element values; at y s = 1 optax's gradient is -y/2, lossref's 0 (both valid subgradients)."),
        Eq("scikit-learn", "sklearn.metrics.hinge_loss(y, scores)", True,
           "Any two labels are mapped to -1/+1 (the larger one to +1). " + SKLEARN_WEIGHTED),
    ),
    notes=(
        "At y s = 1 lossref returns the subgradient 0 (any value between 0 and -y is valid).",
        "Hinge scores are not probabilities; use logistic or bce_with_logits, or calibrate the scores (Platt "
        "scaling), when probabilities are needed.",
        "Once every example has margin >= 1 the loss and its gradient are 0, and scaling the weights up is free: "
        "pair the hinge with an L2 penalty.",
    ),
    references=(
        "Cortes, C. & Vapnik, V. (1995). Support-Vector Networks. Machine Learning 20, 273-297.",
        "https://en.wikipedia.org/wiki/Hinge_loss",
    ),
)
