"""Cosine embedding loss: the ``cosine_embedding`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._info import Entry, Input, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._metric import pnorm_rows
from .._structured import StructuredLoss
from ._sentences import KERAS_FLOAT32

__all__ = ["CosineEmbedding", "ENTRY"]

#: PyTorch's EPSILON in cosine_embedding_loss, added to each squared norm.
EPSILON = 1e-12


class CosineEmbedding(StructuredLoss):
    r"""Cosine embedding loss on pairs: $1 - c$ for a similar pair ($y = 1$), $\max(0, c - m)$ for a
    dissimilar one ($y = -1$), with $c$ the cosine of the angle between $x_1$ and $x_2$.

    As in PyTorch, the cosine carries $\epsilon = 10^{-12}$ in each squared norm:

    $$
    c = \frac{x_1 \cdot x_2}{n_1 n_2}, \qquad n_i = \sqrt{\lVert x_i \rVert^2 + \epsilon},
    $$

    so a zero vector has $c = 0$ rather than 0/0. Gradient: with $u_i = x_i / n_i$, and since
    $\partial n_1 / \partial x_1 = x_1 / n_1$,

    $$
    \frac{\partial c}{\partial x_1} = \frac{x_2}{n_1 n_2} - \frac{c\,x_1}{n_1^2} = \frac{u_2 - c\,u_1}{n_1},
    \qquad \frac{\partial c}{\partial x_2} = \frac{u_1 - c\,u_2}{n_2};
    $$

    the loss's gradient is $-\partial c$ for $y = 1$, $+\partial c$ for $y = -1$ where $c > m$,
    and 0 otherwise (0 at the kink $c = m$).

    ``x1`` and ``x2`` are (N, D) with ``y`` (N,), or (D,) with a scalar ``y``.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.cosine_embedding([1, -1], [[1.0, 0.0], [1.0, 0.0]], [[1.0, 1.0], [1.0, 1.0]], reduction="none").round(6)
    array([0.292893, 0.707107])
    """

    name = "cosine_embedding"
    prediction = "embedding"
    inputs = (Input("y", "pm1"), Input("x1"), Input("x2"))
    parameters = (
        Param("margin", 0.0, "A dissimilar pair costs nothing once its cosine is at most the margin (in [-1, 1]; "
              "PyTorch's default 0).", constraint=V.Real(low=-1, high=1)),
    )

    def _check_inputs(self, arrays, params):
        y, x1, x2 = arrays["y"], arrays["x1"], arrays["x2"]
        V.check_ndim_in(x1, "x1", (1, 2), "(N, D), one vector per row, or (D,)")
        V.check_same_shape(x1, x2, "x1", "x2")
        V.check_same_shape(y, x1[..., 0], "y", "x1's rows")
        return x1.shape[:-1]

    def _forward(self, arrays, params, grad_weight):
        y, x1, x2 = arrays["y"], arrays["x1"], arrays["x2"]
        # n = sqrt(||x||^2 + eps) as hypot(||x||, sqrt(eps)): the squared norm of 1e30-scale float32
        # rows would overflow; the norm itself does not.
        n1 = np.hypot(pnorm_rows(x1, 2), np.sqrt(EPSILON)).astype(x1.dtype, copy=False)
        n2 = np.hypot(pnorm_rows(x2, 2), np.sqrt(EPSILON)).astype(x1.dtype, copy=False)
        # the cosine as the dot product of the scaled rows, each entry at most 1: no overflow
        u1, u2 = x1 / n1[..., None], x2 / n2[..., None]
        c = np.einsum("...k,...k->...", u1, u2)
        similar = y == 1
        losses = np.where(similar, 1 - c, np.maximum(c - params["margin"], 0))
        if grad_weight is None:
            return losses, None
        # d loss / d c: -1 for similar pairs, +1 for dissimilar ones inside the margin
        dc = np.where(similar, -1, np.where(c > params["margin"], 1, 0)) * grad_weight
        g1 = (dc / n1)[..., None] * (u2 - c[..., None] * u1)
        g2 = (dc / n2)[..., None] * (u1 - c[..., None] * u2)
        return losses, {"x1": g1, "x2": g2}


ENTRY = Entry(
    title="Cosine embedding loss",
    family="metric",
    page="metric-learning.md#cosine-embedding-loss",
    formula=(r"L(y, x_1, x_2) = \begin{cases} 1 - \cos(x_1, x_2) & y = 1 \\ \max(0,\ \cos(x_1, x_2) - m) & y = -1 "
             r"\end{cases}, \quad \cos(x_1, x_2) = \frac{x_1 \cdot x_2}{\sqrt{(\lVert x_1 \rVert^2 + \epsilon)"
             r"(\lVert x_2 \rVert^2 + \epsilon)}}"),
    gradient=(r"\frac{\partial c}{\partial x_1} = \frac{u_2 - c\,u_1}{n_1},\ \frac{\partial c}{\partial x_2} = "
              r"\frac{u_1 - c\,u_2}{n_2}, \ u_i = x_i / n_i,\ n_i = \sqrt{\lVert x_i \rVert^2 + \epsilon}; "
              r"\ \partial L = -\partial c \ (y = 1),\ \partial c\,[c > m] \ (y = -1)"),
    target="labels in {-1, +1}: +1 for a pair that should point the same way, -1 for one that should not",
    properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=False,
                 robust_to_outliers=True, calibrated=False),
    minimizer="similar pairs parallel (cosine 1), dissimilar pairs at a cosine of at most the margin",
    when_to_use="Learning embeddings compared by angle (text and sentence embeddings, siamese networks) from "
                "pairs labelled similar or dissimilar, when the vectors' lengths should not matter.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.cosine_embedding_loss(x1, x2, y, margin=0.0)", True,
           "The label comes last. PyTorch adds its EPSILON = 1e-12 to each squared norm "
           "(sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)) in the denominator), as lossref does."),
        Eq("Keras 3", "c = -keras.losses.cosine_similarity(x1, x2); "
           "keras.ops.mean(keras.ops.where(y == 1, 1 - c, keras.ops.maximum(c - 0.0, 0)))", False,
           "Keras 3 has no cosine embedding loss; keras.losses.cosine_similarity returns -cos of l2-normalised "
           "vectors, with its own epsilon rather than PyTorch's 1e-12 added to each squared norm: equal for "
           "vectors of norm well above 1e-6. " + KERAS_FLOAT32),
        Eq("optax", "c = optax.losses.cosine_similarity(x1, x2); "
           "jnp.mean(jnp.where(y == 1, 1 - c, jnp.maximum(c - 0.0, 0)))", False,
           "optax has no cosine embedding loss. Its cosine_similarity clips each squared norm at epsilon (default "
           "0) instead of adding 1e-12: equal for vectors of norm well above 1e-6; a zero vector gives NaN."),
        Eq("scikit-learn", "c = 1 - sklearn.metrics.pairwise.paired_cosine_distances(x1, x2); "
           "np.mean(np.where(y == 1, 1 - c, np.maximum(c - 0.0, 0)))", False,
           "scikit-learn has no cosine embedding loss; paired_cosine_distances normalises each row without "
           "PyTorch's epsilon: equal for vectors of norm well above 1e-6."),
    ),
    notes=(
        "The cosine ignores length: the gradient is orthogonal to each vector and scales as 1/|x|, so short "
        "vectors get huge steps and long ones barely move. Normalise, or keep the norms away from 0.",
        "margin=0 (the default) pushes dissimilar pairs only to orthogonal, not opposite; a negative margin "
        "asks for more, a positive one for less.",
        "Only {-1, +1} labels are accepted: PyTorch's formula silently gives 0 for any other label value.",
    ),
    references=(
        "PyTorch documentation, torch.nn.CosineEmbeddingLoss.",
    ),
)
