"""Margin ranking loss: the ``margin_ranking`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._info import Entry, Input, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._structured import StructuredLoss

__all__ = ["MarginRanking", "ENTRY"]


class MarginRanking(StructuredLoss):
    r"""Margin ranking loss on pairs of scores: $L = \max(0,\ m - y\,(x_1 - x_2))$.

    $y = +1$ says $x_1$ should rank above $x_2$, $y = -1$ the reverse; the pair costs nothing
    once the right one leads by at least the margin $m$. With $v = m - y (x_1 - x_2)$,

    $$
    \frac{\partial L}{\partial x_1} = -y\,[v > 0], \qquad \frac{\partial L}{\partial x_2} = y\,[v > 0],
    $$

    and at the kink $v = 0$ lossref returns 0 for both (a valid subgradient). Element-wise: ``y``,
    ``x1`` and ``x2`` have one shape, and so do the per-example losses.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.margin_ranking([1, -1], [2.0, 0.5], [1.0, 1.0], margin=0.5, reduction="none")
    array([0., 0.])
    >>> lr.margin_ranking.grad([1, 1], [0.0, 3.0], [1.0, 1.0], reduction="sum")
    (array([-1.,  0.]), array([1., 0.]))
    """

    name = "margin_ranking"
    prediction = "score"
    inputs = (Input("y", "pm1"), Input("x1"), Input("x2"))
    parameters = (
        Param("margin", 0.0,
              "How far the preferred score must lead before the pair costs nothing (>= 0; PyTorch's default 0).",
              constraint=V.Real(low=0)),
    )

    def _check_inputs(self, arrays, params):
        y, x1, x2 = arrays["y"], arrays["x1"], arrays["x2"]
        V.check_same_shape(x1, x2, "x1", "x2")
        V.check_same_shape(y, x1, "y", "x1")
        return x1.shape

    def _forward(self, arrays, params, grad_weight):
        y, x1, x2 = arrays["y"], arrays["x1"], arrays["x2"]
        violation = params["margin"] - y * (x1 - x2)
        losses = np.maximum(violation, 0)
        if grad_weight is None:
            return losses, None
        active = violation > 0
        return losses, {"x1": np.where(active, -y * grad_weight, 0), "x2": np.where(active, y * grad_weight, 0)}


ENTRY = Entry(
    title="Margin ranking loss",
    family="ranking",
    page="ranking.md#margin-ranking-loss",
    formula=r"L(y, x_1, x_2) = \max\big(0,\ m - y\,(x_1 - x_2)\big)",
    gradient=(r"\frac{\partial L}{\partial x_1} = -y\,[m - y(x_1 - x_2) > 0], \quad "
              r"\frac{\partial L}{\partial x_2} = y\,[m - y(x_1 - x_2) > 0]"),
    target="labels in {-1, +1}: +1 when x1 should rank above x2",
    properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=False),
    minimizer="any scores that order every pair as its label says, by at least the margin",
    when_to_use="Learning to rank from pairwise preferences (which of two items is better), as in RankSVM.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.margin_ranking_loss(x1, x2, y, margin=0.0)", True,
           "The label comes last: (input1, input2, target)."),
        Eq("Keras 3", "keras.ops.mean(keras.ops.relu(-y * (x1 - x2)))", True,
           "Keras has no margin ranking loss; this is the formula with keras.ops (add the margin inside relu)."),
        Eq("optax", "jnp.mean(jax.nn.relu(-y * (x1 - x2)))", True,
           "optax has no margin ranking loss; this is the formula with jax.numpy (add the margin inside relu)."),
        Eq("scikit-learn", "np.mean(np.maximum(0, -y * (x1 - x2)))", True,
           "scikit-learn has no pairwise ranking loss; this is the formula with NumPy."),
    ),
    notes=(
        "The loss depends only on the difference x1 - x2: adding a constant to both scores changes nothing, so "
        "pairwise training fixes an order, not a scale or an offset.",
        "With margin=0 (PyTorch's default) a pair scored equal costs nothing and gets no gradient: the "
        "degenerate all-equal scores are a minimiser. Use a positive margin.",
    ),
    references=(
        "Herbrich, R., Graepel, T. and Obermayer, K. (2000). Large margin rank boundaries for ordinal regression. "
        "Advances in Large Margin Classifiers, 115-132. MIT Press.",
    ),
)
