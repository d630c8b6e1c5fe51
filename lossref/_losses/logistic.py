"""Logistic loss (soft margin): the ``logistic`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._margin import PlusMinusOne
from .._stable import sigmoid_slope
from ._sentences import KERAS_ELEMENTWISE

__all__ = ["Logistic", "ENTRY"]


class Logistic(PlusMinusOne):
    r"""Logistic loss on the margin, $L = \log(1 + e^{-y s})$ (PyTorch's ``SoftMarginLoss``).

    Gradient: $-y\,\sigma(-y s)$. With labels in {-1, +1} it is exactly
    ``bce_with_logits`` with labels in {0, 1}.

    **Stability.** Computed as softplus: $\max(-ys, 0) + \operatorname{log1p}(e^{-|ys|})$.
    The direct formula overflows to inf for $y s < -89$ in float32 (and PyTorch's
    ``soft_margin_loss`` does), while the loss there is simply $-y s$.

    Examples
    --------
    >>> import lossref as lr
    >>> float(lr.logistic([1], [-1000.0]))
    1000.0
    """

    name = "logistic"
    parameters = (
        Param("class_weight", None,
              "(w_neg, w_pos): weights of examples labelled -1 and +1, entering the weighted mean's "
              "denominator."),
    )

    def _forward(self, y, scores, grad_out, **_):
        m = y * scores
        e = np.exp(-np.abs(m))  # e^{-|m|} <= 1
        loss = np.maximum(-m, 0) + np.log1p(e)
        if grad_out is not None:
            # sigma(-m) = 1/(1+e) for m < 0, e/(1+e) for m >= 0
            sig = np.where(m >= 0, e, 1) / (1 + e)
            np.multiply(-y, sig, out=grad_out, casting="same_kind")
        return loss


    def _forward_hess(self, y, scores, **_):
        r"""$y^2\,\sigma(ys)\,\sigma(-ys) = \sigma(s)\,\sigma(-s)$ for $y = \pm 1$: the sigmoid's slope, symmetric in y.

        From $e^{-|s|}$ (``sigmoid_slope``), so finite for scores of any size.
        """
        return sigmoid_slope(scores)


ENTRY = Entry(
    title="Logistic loss (soft margin)",
    family="margin",
    page='logistic.md',
    formula=r"L(y, s) = \log\left(1 + e^{-y\,s}\right)",
    gradient=r"\frac{\partial L}{\partial s} = -y\,\sigma(-y\,s)",
    second_derivative=r"\frac{\partial^2 L}{\partial s^2} = \sigma(y\,s)\,\sigma(-y\,s) = \sigma(s)\,(1 - \sigma(s)) " r"\quad (y \in \{-1, +1\})",
    target="labels in {-1, +1} (convert 0/1 labels with 2y - 1)",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=True),
    minimizer="the log-odds log(P(y = +1 | x) / P(y = -1 | x)), so sigma(s) = P(y = +1 | x)",
    when_to_use="Logistic regression written on the margin with -1/+1 labels, as in boosting and SVM texts; "
                 "identical to bce_with_logits with 0/1 labels.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.soft_margin_loss(scores, y)", False,
           "Same function, but torch computes log(1 + exp(-y * scores)) directly, which overflows to inf for "
           "y * scores below about -89 (float32) or -710 (float64); lossref uses the stable softplus and returns "
           "-y * scores there. Stable equivalent: "
           "torch.logaddexp(torch.zeros_like(scores), -y * scores).mean()."),
        Eq("Keras 3", "keras.losses.BinaryCrossentropy(from_logits=True)((y + 1) / 2, scores)", True,
           "Keras has no margin form; with labels mapped to 0/1 the stable logit BCE is the same function. "
           + KERAS_ELEMENTWISE),
        Eq("optax", "optax.losses.sigmoid_binary_cross_entropy(scores, (y + 1) / 2).mean()", True,
           "Same function with labels mapped to 0/1; stable."),
        Eq("scikit-learn", "sklearn.metrics.log_loss((y + 1) / 2, scipy.special.expit(scores), labels=[0, 1])",
           False,
           "log_loss takes probabilities clipped at machine epsilon, so for y * scores below about -36 (float64) "
           "it "
           "saturates at 36.04 where lossref returns -y * scores. Exact value: np.mean(np.logaddexp(0, -y * "
           "scores))."),
    ),
    notes=(
        "Natural logarithm; texts that use log2 (so that the loss is 1 at s = 0) divide by log 2.",
        "With 0/1 labels every negative example has y s = 0 and costs log 2 whatever its score; lossref raises "
        "instead.",
    ),
    references=(
        "Hastie, T., Tibshirani, R. & Friedman, J. (2009). The Elements of Statistical Learning, 2nd ed., "
        "Section 10.6. Springer.",
        "https://pytorch.org/docs/stable/generated/torch.nn.SoftMarginLoss.html",
    ),
)
