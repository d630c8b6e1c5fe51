"""Shared by the margin losses: the prediction is a score ``s`` whose sign is the decision.

Binary margin losses take labels in {-1, +1} and are functions of the margin ``y * s``.
Multiclass ones take integer labels and a row of scores per example.
"""

from __future__ import annotations

from . import _validation as V
from ._base import Loss
from ._classification import binary_class_weight

__all__ = ["PlusMinusOne"]


class PlusMinusOne(Loss):
    """Shared by the binary margin losses: labels in {-1, +1}, class weights (w_neg, w_pos)."""

    pred_name = "scores"
    prediction = "score"

    def _check_block(self, y, scores, start, params):
        V.check_pm1_labels(y, "y", self.name, start)

    def _example_weight(self, y, scores, params, sample_weight):
        # class_weight = (weight of -1, weight of +1); P(+1) = (y + 1) / 2 for y in {-1, +1}
        return binary_class_weight((y + 1) / 2, params["class_weight"], sample_weight, scores.dtype)
