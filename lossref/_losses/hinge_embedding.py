"""Hinge embedding loss: the ``hinge_embedding`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_FLOAT32, SKLEARN_WEIGHTED

__all__ = ["HingeEmbedding", "ENTRY"]


class HingeEmbedding(Loss):
    r"""Hinge embedding loss on distances: $L = x$ for a similar pair ($y = 1$),
    $\max(0,\ m - x)$ for a dissimilar one ($y = -1$).

    The input $x$ is a distance between two embeddings (for example an L1 or L2 distance): a
    similar pair is pulled together by its whole distance, a dissimilar one pushed apart until
    it is at least the margin $m$ away. It is not the SVM hinge $\max(0, 1 - y s)$ on a score:
    there both labels are penalised on the same side of a margin, here the two labels have
    different functions (a linear pull, a hinged push).

    Gradient: $\partial L / \partial x = 1$ for $y = 1$; $-1$ for $y = -1$ where $x < m$, 0 where
    $x > m$ (0 at the kink $x = m$).

    Examples
    --------
    >>> import lossref as lr
    >>> lr.hinge_embedding([1, -1, -1], [0.5, 0.25, 2.0], reduction="none")
    array([0.5 , 0.75, 0.  ])
    >>> lr.hinge_embedding.grad([1, -1, -1], [0.5, 0.25, 2.0], reduction="sum")
    array([ 1., -1.,  0.])
    """

    name = "hinge_embedding"
    pred_name = "distances"
    prediction = "real"
    parameters = (
        Param("margin", 1.0, "The distance beyond which a dissimilar pair costs nothing (PyTorch's default 1).",
              constraint=V.Real()),
    )

    def _check_block(self, y, distances, start, params):
        V.check_pm1_labels(y, "y", self.name, start)

    def _forward(self, y, distances, grad_out, *, margin, **_):
        push = margin - distances
        if grad_out is not None:
            np.copyto(grad_out, np.where(y == 1, 1, np.where(push > 0, -1, 0)))
        return np.where(y == 1, distances, np.maximum(push, 0))

    def _forward_hess(self, y, distances, **_):
        """Linear on each side of the kink: 0 there, undefined at x = margin for y = -1 (0 returned)."""
        return np.zeros_like(distances)


ENTRY = Entry(
    title="Hinge embedding loss",
    family="metric",
    page="metric-learning.md#hinge-embedding-loss",
    formula=r"L(y, x) = \begin{cases} x & y = 1 \\ \max(0,\ m - x) & y = -1 \end{cases}",
    gradient=r"\frac{\partial L}{\partial x} = \begin{cases} 1 & y = 1 \\ -[x < m] & y = -1 \end{cases}",
    second_derivative=r"\frac{\partial^2 L}{\partial x^2} = 0 \text{ except at } x = m,\ y = -1 "
                      r"\ (\text{undefined; lossref returns } 0)",
    target="labels in {-1, +1}: +1 for a pair that should be close, -1 for one that should be at least the margin apart",
    properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=False),
    minimizer="distance 0 for similar pairs, at least the margin for dissimilar ones",
    when_to_use="Siamese networks and semi-supervised embeddings trained on pairs labelled similar or "
                "dissimilar, with the pair's distance computed by the model (the contrastive loss of Hadsell et "
                "al. with a linear rather than squared distance).",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.hinge_embedding_loss(distances, y, margin=1.0)", True,
           "The label comes second. PyTorch gives any label other than -1 and +1 both terms (x + max(0, m - x)); "
           "lossref rejects it."),
        Eq("Keras 3", "keras.ops.mean(keras.ops.where(y == 1, distances, keras.ops.maximum(1.0 - distances, 0)))",
           True, "Keras 3 has no hinge embedding loss (keras.losses.Hinge is the SVM hinge on scores); this is the "
           "formula with keras.ops. " + KERAS_FLOAT32),
        Eq("optax", "jnp.mean(jnp.where(y == 1, distances, jnp.maximum(1.0 - distances, 0)))", True,
           "optax has no hinge embedding loss (optax.losses.hinge_loss is the SVM hinge on scores); this is the "
           "formula with jax.numpy."),
        Eq("scikit-learn", "np.mean(np.where(y == 1, distances, np.maximum(1.0 - distances, 0)))", True,
           "scikit-learn has no hinge embedding loss (sklearn.metrics.hinge_loss is the SVM hinge on scores); this "
           "is the formula with NumPy. " + SKLEARN_WEIGHTED),
    ),
    notes=(
        "The input is a distance, not a classifier score: passing scores gives a loss that rewards large "
        "negative scores for y = 1 without bound. For scores use hinge.",
        "For y = 1 the loss is the distance itself: it is unbounded below if the 'distance' can be negative, "
        "so feed a non-negative distance (a norm).",
    ),
    references=(
        "Hadsell, R., Chopra, S. and LeCun, Y. (2006). Dimensionality reduction by learning an invariant "
        "mapping. CVPR.",
        "PyTorch documentation, torch.nn.HingeEmbeddingLoss.",
    ),
)
