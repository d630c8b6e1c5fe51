"""Margin losses: the prediction is a score ``s`` whose sign is the decision.

Binary margin losses take labels in {-1, +1} and are functions of the margin ``y * s``.
Multiclass ones take integer labels and a row of scores per example.
"""

from __future__ import annotations

import numpy as np

from . import _validation as V
from ._base import NOT_GIVEN, Loss
from ._classification import binary_class_weight
from ._stable import sigmoid_slope

__all__ = ["Hinge", "SquaredHinge", "Logistic", "MulticlassHinge", "ZeroOne"]


class _PlusMinusOne(Loss):
    pred_name = "scores"
    prediction = "score"
    defaults = {"class_weight": None}

    def _check_block(self, y, scores, start, params):
        V.check_pm1_labels(y, "y", self.name, start)

    def _example_weight(self, y, scores, params, sample_weight):
        # class_weight = (weight of -1, weight of +1); P(+1) = (y + 1) / 2 for y in {-1, +1}
        return binary_class_weight((y + 1) / 2, params["class_weight"], sample_weight, scores.dtype)


class Hinge(_PlusMinusOne):
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

    def _forward(self, y, scores, grad_out, **_):
        violation = 1 - y * scores
        if grad_out is not None:
            np.copyto(grad_out, np.where(violation > 0, -y, 0))
        return np.maximum(violation, 0)


    def _forward_hess(self, y, scores, **_):
        """Linear in s on each side of the kink y s = 1: 0 there, undefined at the kink (0 returned)."""
        return np.zeros_like(scores)

class SquaredHinge(_PlusMinusOne):
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

class Logistic(_PlusMinusOne):
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
    defaults = {"variant": "crammer_singer", "margin": 1.0, "class_weight": None}

    def _check_params(self, params, scores):
        V.check_choice(params["variant"], "variant", ("crammer_singer", "weston_watkins"))
        V.check_scalar(params["margin"], "margin", low=0)
        if scores.ndim < 2 or scores.shape[-1] < 2:
            raise ValueError(f"scores must have shape (n, C) with C >= 2 classes on the last axis; got {scores.shape}")
        return {**params, "class_weight": V.check_class_weight(params["class_weight"], scores.shape[-1], scores.dtype)}

    def _prepare_target(self, y, scores, params):
        labels = V.as_labels(y, "y")
        if labels.shape != scores.shape[:-1]:
            raise ValueError(f"y must hold integer labels of shape {scores.shape[:-1]} to match scores {scores.shape}; got {labels.shape}")
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
    pred_name = "scores"
    prediction = "score"
    defaults = {"class_weight": None}

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
        raise ValueError(
            f"y must hold labels in {{-1, +1}} of the scores' shape {scores.shape}, or integer class labels of "
            f"shape {scores.shape[:-1]} with one row of scores per example; got shape {arr.shape}"
        )

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
        raise TypeError(
            "zero_one has no useful gradient: it is piecewise constant (0 almost everywhere, undefined at the "
            "boundary); train a surrogate such as hinge, logistic or cross_entropy and report zero_one as a metric"
        )

    value_and_grad = grad

    def hess(self, y, scores=NOT_GIVEN, /, **kwargs):
        raise TypeError(
            "zero_one has no second derivative: it is piecewise constant (derivatives 0 almost everywhere, "
            "undefined at the boundary); train a surrogate such as squared_hinge, logistic or cross_entropy"
        )

    def _forward(self, y, scores, grad_out, **_):
        if grad_out is not None:  # reached through combine(); grad() refuses earlier
            self.grad(y, scores)
        if y.shape == scores.shape:
            return (y * scores <= 0).astype(scores.dtype)
        return (scores.argmax(axis=-1) != y).astype(scores.dtype)
