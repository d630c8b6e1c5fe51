"""Zero-one loss: the ``zero_one`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import NOT_GIVEN, Loss
from .._classification import binary_class_weight
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import SKLEARN_WEIGHTED

__all__ = ["ZeroOne", "ENTRY"]


class ZeroOne(Loss):
    r"""The 0-1 loss, the error rate: the metric the surrogates stand in for.

    Binary: labels in {-1, +1} and scores of the same shape, $L = [y s \le 0]$ (a
    score of exactly 0 counts as an error). Multiclass: integer labels and a row of scores,
    $L = [\arg\max_j s_j \ne c]$ (ties go to the first maximum).

    It is piecewise constant, so its gradient is 0 wherever it exists: ``grad`` raises
    ``TypeError`` and points to a surrogate.

    Examples
    --------
    >>> import lossref as lr
    >>> float(lr.zero_one([1, -1, 1], [0.5, 0.2, -3.0]))
    0.6666666666666666
    """

    name = "zero_one"
    has_gradient = False
    pred_name = "scores"
    prediction = "score"
    parameters = (
        Param("class_weight", None,
              "Weight per class ((w_neg, w_pos) for -1/+1 labels, shape (C,) for class labels): gives a "
              "class-weighted error rate; weights 1 / class frequency give 1 - balanced accuracy."),
    )

    def _is_per_row(self, y, scores):
        return y.shape != scores.shape

    def _prepare_target(self, y, scores, params):
        arr = np.asarray(y)
        if arr.shape == scores.shape:
            y = V.as_target(arr, "y", scores.dtype)
            if params["class_weight"] is not None:
                V.check_class_weight(params["class_weight"], 2, scores.dtype)
            return y
        if scores.ndim >= 2 and arr.shape == scores.shape[:-1]:
            labels = V.as_labels(arr, "y")
            V.check_class_range(labels, "y", scores.shape[-1])
            if params["class_weight"] is not None:
                V.check_class_weight(params["class_weight"], scores.shape[-1], scores.dtype)
            return labels
        raise V.wrong_shape("y", f"hold labels in {{-1, +1}} of the scores' shape {scores.shape}, or integer class "
                                 f"labels of shape {scores.shape[:-1]} with one row of scores per example", arr.shape)

    def _check_block(self, y, scores, start, params):
        if y.shape == scores.shape:
            V.check_pm1_labels(y, "y", self.name, start)

    def _example_weight(self, y, scores, params, sample_weight):
        cw = params["class_weight"]
        if cw is None:
            return sample_weight
        cw = np.asarray(cw, dtype=scores.dtype)
        weight = binary_class_weight((y + 1) / 2, cw, None, scores.dtype) if y.shape == scores.shape else cw[y]
        return weight if sample_weight is None else weight * sample_weight

    def grad(self, y, scores=NOT_GIVEN, /, **kwargs):
        raise V.no_derivative("zero_one", "useful gradient",
                             "it is piecewise constant (0 almost everywhere, undefined at the boundary)",
                             "train a surrogate such as hinge, logistic or cross_entropy and report zero_one as a metric")

    value_and_grad = grad

    def hess(self, y, scores=NOT_GIVEN, /, **kwargs):
        raise V.no_derivative("zero_one", "second derivative",
                             "it is piecewise constant (derivatives 0 almost everywhere, undefined at the boundary)",
                             "train a surrogate such as squared_hinge, logistic or cross_entropy")

    def _forward(self, y, scores, grad_out, **_):
        if grad_out is not None:  # reached through combine(); grad() refuses earlier
            self.grad(y, scores)
        if y.shape == scores.shape:
            return (y * scores <= 0).astype(scores.dtype)
        return (scores.argmax(axis=-1) != y).astype(scores.dtype)


ENTRY = Entry(
    title="Zero-one loss",
    family="margin",
    page='zero-one.md',
    formula=r"L = \mathbb{1}[\,y\,s \le 0\,] \ \ (y \in \{-1, +1\}), \qquad "
             r"L = \mathbb{1}[\,\arg\max_j s_j \ne c\,] \ \ (\text{class label } c)",
    gradient=r"\text{none: 0 wherever it exists, undefined at the decision boundary}",
    second_derivative=r"\text{none: 0 wherever it exists, undefined at the decision boundary}",
    target="labels in {-1, +1} with one score per example, or integer class labels with a row of scores per "
            "example",
    properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=False,
                 robust_to_outliers=True, calibrated=False),
    minimizer="the Bayes classifier: sign(2 P(y = +1 | x) - 1), or argmax_c P(c | x)",
    when_to_use="As the metric (error rate, 1 - accuracy) that surrogate losses are trained to reduce; it cannot "
                 "be trained with gradients.",
    equivalents=(
        Eq("PyTorch", "(y * scores <= 0).float().mean()", True,
           "PyTorch has no zero-one loss; multiclass: (scores.argmax(dim=1) != y).float().mean()."),
        Eq("Keras 3", "keras.ops.mean(keras.ops.cast(y * scores <= 0, \"float32\"))", True,
           "Formula with keras.ops; multiclass: 1 - keras.metrics.SparseCategoricalAccuracy on the scores. "
           "keras.metrics.BinaryAccuracy works on probabilities with 0/1 labels."),
        Eq("optax", "jnp.mean(y * scores <= 0)", True,
           "optax has no zero-one loss; multiclass: jnp.mean(scores.argmax(-1) != y)."),
        Eq("scikit-learn", "sklearn.metrics.zero_one_loss(y, np.sign(scores))", True,
           "np.sign maps a score of 0 to 0, which matches no label and counts as an error, as in lossref; "
           "np.where(scores > 0, 1, -1) would count it correct when y = -1. Multiclass: "
           "zero_one_loss(y, scores.argmax(axis=-1)) (ties go to the first maximum in both). "
           + SKLEARN_WEIGHTED),
    ),
    notes=(
        "A score of exactly 0 counts as an error for either label.",
        "grad raises TypeError: the loss is piecewise constant, so its gradient is 0 wherever it exists, and "
        "minimising it directly is NP-hard in general; train a convex surrogate (hinge, logistic, cross_entropy).",
        "Classification-calibrated surrogates (hinge, logistic, squared hinge, exponential) drive the 0-1 risk to "
        "the Bayes risk as their own risk is minimised (Bartlett et al., 2006). That calibration is of the "
        "decision, the sign of the minimiser; the tables' \"Calibrated probabilities\" is about the minimiser "
        "giving the true probability, which the hinge does not.",
    ),
    references=(
        "Bartlett, P. L., Jordan, M. I. & McAuliffe, J. D. (2006). Convexity, Classification, and Risk Bounds. "
        "Journal of the American Statistical Association 101(473), 138-156.",
        "https://scikit-learn.org/stable/modules/generated/sklearn.metrics.zero_one_loss.html",
    ),
)
