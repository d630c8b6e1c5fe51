"""Multiclass hinge loss: the ``multiclass_hinge`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ROWS, SKLEARN_WEIGHTED

__all__ = ["MulticlassHinge", "ENTRY"]


class MulticlassHinge(Loss):
    r"""Multiclass hinge on a row of scores $s \in \mathbb R^C$ with true class $c$.

    ``variant="crammer_singer"`` (default; scikit-learn's ``hinge_loss``, optax's
    ``multiclass_hinge_loss``) penalises the strongest rival:

    $$
    L = \max\left(0, \Delta + \max_{j \ne c} s_j - s_c\right)
    $$

    ``variant="weston_watkins"`` penalises every rival inside the margin:

    $$
    L = \sum_{j \ne c} \max(0, \Delta + s_j - s_c)
    $$

    with margin $\Delta$ (``margin``). Subgradient: +1 on each active rival (the
    first maximiser for Crammer-Singer), minus their count on $s_c$. PyTorch's
    ``MultiMarginLoss`` is Weston-Watkins divided by $C$.

    Examples
    --------
    >>> import lossref as lr
    >>> s = [[2.0, 1.5, -1.0]]
    >>> float(lr.multiclass_hinge([0], s)), float(lr.multiclass_hinge([0], s, variant="weston_watkins"))
    (0.5, 0.5)
    """

    name = "multiclass_hinge"
    pred_name = "scores"
    prediction = "score"
    per_row = True
    parameters = (
        Param("variant", "crammer_singer",
              "\"crammer_singer\" (default) penalises the strongest rival only; \"weston_watkins\" sums the "
              "violations of all rivals.",
              constraint=V.OneOf("crammer_singer", "weston_watkins")),
        Param("margin", 1.0,
              "Required score gap Delta between the true class and each rival (>= 0).",
              constraint=V.Real(low=0)),
        Param("class_weight", None,
              "Weight per class, shape (C,): an example counts class_weight[y] times, and the mean divides "
              "by the sum of these weights."),
    )

    def _check_params(self, params, scores):
        if scores.ndim < 2 or scores.shape[-1] < 2:
            raise V.wrong_shape("scores", "have shape (n, C) with C >= 2 classes on the last axis", scores.shape)
        return {**params, "class_weight": V.check_class_weight(params["class_weight"], scores.shape[-1], scores.dtype)}

    def _prepare_target(self, y, scores, params):
        labels = V.as_labels(y, "y")
        if labels.shape != scores.shape[:-1]:
            raise V.wrong_shape("y", f"hold integer labels of shape {scores.shape[:-1]} to match scores {scores.shape}",
                                labels.shape)
        V.check_class_range(labels, "y", scores.shape[-1])
        return labels

    def _example_weight(self, y, scores, params, sample_weight):
        if params["class_weight"] is None:
            return sample_weight
        weight = params["class_weight"][y]
        return weight if sample_weight is None else weight * sample_weight

    def _forward(self, y, scores, grad_out, *, variant, margin, **_):
        label = y[..., None]
        true_score = np.take_along_axis(scores, label, axis=-1)
        gaps = margin + scores - true_score  # margin violation of each rival
        np.put_along_axis(gaps, label, -np.inf, axis=-1)  # the true class is not its own rival
        if variant == "crammer_singer":
            rival = gaps.argmax(axis=-1)[..., None]
            loss = np.maximum(np.take_along_axis(gaps, rival, axis=-1)[..., 0], 0)
            if grad_out is not None:
                grad_out[...] = 0
                active = (loss > 0).astype(scores.dtype)[..., None]
                np.put_along_axis(grad_out, rival, active, axis=-1)
                np.put_along_axis(grad_out, label, -active, axis=-1)
        else:
            active = gaps > 0
            loss = np.maximum(gaps, 0).sum(axis=-1)
            if grad_out is not None:
                grad_out[...] = active
                np.put_along_axis(grad_out, label, -active.sum(axis=-1, keepdims=True).astype(scores.dtype), axis=-1)
        return loss.astype(scores.dtype, copy=False)


    def _forward_hess(self, y, scores, **_):
        """Piecewise linear in the scores: every (C, C) block is 0 away from the kinks (0 returned at them)."""
        return np.zeros(scores.shape + scores.shape[-1:], dtype=scores.dtype)


ENTRY = Entry(
    title="Multiclass hinge loss",
    family="margin",
    page='multiclass-hinge.md',
    formula=r"L = \max\left(0,\ \Delta + \max_{j \ne c} s_j - s_c\right) \ \text{(Crammer-Singer)}, \qquad "
             r"L = \sum_{j \ne c} \max(0,\ \Delta + s_j - s_c) \ \text{(Weston-Watkins)}",
    gradient=r"\frac{\partial L}{\partial s_j} = \mathbb{1}[j \in A] - \mathbb{1}[j = c]\,|A|, \qquad "
              r"A = \{\, j \ne c : \Delta + s_j - s_c > 0 \,\} \ \text{(Crammer-Singer: only the first "
              r"maximiser)}",
    second_derivative=r"\frac{\partial^2 L}{\partial s_j\,\partial s_k} = 0 \text{ away from the kinks " r"(where a margin term is exactly 0 or two rivals tie); undefined at them " r"(lossref returns } 0)",
    target="an integer class label c in 0..C-1 per row of scores",
    properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=False),
    minimizer="scores whose argmax is the Bayes class argmax_c P(c | x) when that class has probability above "
               "1/2; otherwise neither variant is guaranteed to recover it (not Fisher-consistent in general). "
               "Not a probability",
    when_to_use="Multiclass SVMs and other margin-based classifiers on raw scores, when a decision rather than "
                 "probabilities is needed.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.multi_margin_loss(scores, y)", False,
           "torch implements Weston-Watkins divided by the number of classes C: lossref's "
           "variant='weston_watkins' equals C * multi_margin_loss(scores, y, margin=margin). Crammer-Singer, "
           "lossref's default, has no torch function: torch.clamp(1 + scores.scatter(1, y[:, None], "
           "float('-inf')).amax(1) - scores.gather(1, y[:, None])[:, 0], min=0).mean(). torch's weight= multiplies "
           "by weight[y] but 'mean' divides by n, not by the sum of weights."),
        Eq("Keras 3",
           "keras.losses.CategoricalHinge()(keras.ops.one_hot(y, scores.shape[-1]), "
           "scores - keras.ops.min(scores, axis=-1, keepdims=True))", True,
           "CategoricalHinge is Crammer-Singer with margin 1, but it takes the rival maximum over "
           "(1 - one_hot) * scores, which counts the true class as a rival scoring 0: when every rival score is "
           "negative it uses 0 instead. Crammer-Singer is unchanged by shifting a row, so shifting each row to be "
           "non-negative, as here, gives lossref's value; the unshifted call can differ. No Weston-Watkins. "
           + KERAS_ROWS),
        Eq("optax", "optax.losses.multiclass_hinge_loss(scores, y).mean()", True,
           "Crammer-Singer with margin 1, computed as max_j(s_j + 1 - [j = c]) - s_c; no Weston-Watkins."),
        Eq("scikit-learn", "sklearn.metrics.hinge_loss(y, scores, labels=np.arange(scores.shape[-1]))", True,
           "Crammer-Singer with margin 1; labels is needed when some classes are absent from y. No Weston-Watkins. "
           + SKLEARN_WEIGHTED),
    ),
    notes=(
        "The variants give different numbers: Weston-Watkins is at least Crammer-Singer (equal when at most one "
        "rival violates the margin), and PyTorch's MultiMarginLoss further divides Weston-Watkins by C.",
        "With two classes Crammer-Singer is the binary hinge on s_1 - s_0 with margin Delta.",
        "The subgradient picks the first maximising rival for Crammer-Singer and 0 at exact margin ties.",
    ),
    references=(
        "Crammer, K. & Singer, Y. (2001). On the Algorithmic Implementation of Multiclass Kernel-based Vector "
        "Machines. Journal of Machine Learning Research 2, 265-292.",
        "Weston, J. & Watkins, C. (1999). Support Vector Machines for Multi-Class Pattern Recognition. ESANN.",
        "Tewari, A. & Bartlett, P. L. (2007). On the Consistency of Multiclass Classification Methods. Journal of "
        "Machine Learning Research 8, 1007-1025.",
    ),
)
