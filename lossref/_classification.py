"""Shared by the probabilistic classification losses (``bce``, ``focal``, ``cross_entropy``, ...).

Binary losses (``bce``, ``bce_with_logits``, ``focal``) are applied element by element with
targets in [0, 1] (hard 0/1 labels or soft probabilities). Multiclass losses
(``cross_entropy``, ``kl_divergence``) take one row of logits per example, classes on the
last axis.

Class weights are example weights: an example of class ``c`` counts ``class_weight[c]``
times. A soft target counts with its expected class weight, ``sum_c y_c * class_weight[c]``,
so a one-hot row and the integer label give the same loss, and with any class weights the
best prediction for an example is still its target distribution.
"""

from __future__ import annotations

from . import _validation as V
from ._base import Loss

__all__ = ["BinaryTarget", "binary_class_weight"]


def binary_class_weight(p_positive, class_weight, sample_weight, dtype):
    """Per-example weight ``w0 (1 - p) + w1 p`` for ``class_weight = (w0, w1)``, times ``sample_weight``."""
    if class_weight is None:
        return sample_weight
    w0, w1 = V.check_class_weight(class_weight, 2, dtype)
    weight = (w0 + (w1 - w0) * p_positive).astype(dtype, copy=False)
    return weight if sample_weight is None else weight * sample_weight


class BinaryTarget(Loss):
    """Shared by the losses whose target is a probability of the positive class."""

    def _check_block(self, y, pred, start, params):
        V.check_in_interval(y, "y", 0.0, 1.0, "targets (0/1 labels or probabilities)", start)

    def _example_weight(self, y, pred, params, sample_weight):
        return binary_class_weight(y, params["class_weight"], sample_weight, pred.dtype)
