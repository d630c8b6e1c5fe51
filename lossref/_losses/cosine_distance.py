"""Cosine distance between target and predicted vectors: the ``cosine_distance`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ROWS

__all__ = ["CosineDistance", "ENTRY"]


def _floored_unit(x: np.ndarray, eps: float):
    r"""``x / max(|x|, eps)`` per row, and whether the floor is active, without overflow or underflow.

    Each row is first divided by its largest absolute entry $s$ (1 for a zero row), so the
    sum of squares lies in $[1, D]$ and neither overflows (entries near 1e300) nor underflows
    (entries near 1e-300): $|x| = s\,|x / s|$ and $\max(|x|, \varepsilon)/s = \max(|x/s|, \varepsilon/s)$.
    Also returns ``max(|x|, eps)`` itself (inf when |x| exceeds the dtype's range).
    """
    scale = np.abs(x).max(axis=-1)
    scale = np.where(scale > 0, scale, 1)
    scaled = x / scale[..., None]
    norm = np.sqrt(np.einsum("...j,...j->...", scaled, scaled))  # |x| / s, in [1, sqrt(D)] or 0
    with np.errstate(over="ignore"):
        floor = eps / scale  # may overflow to inf for a tiny row: then the unit vector is 0, as it should be
        denom = np.maximum(norm, floor)
        full = scale * denom  # max(|x|, eps)
    floored = floor > norm
    return scaled / denom[..., None], floored, norm / denom, full


class CosineDistance(Loss):
    r"""One minus the cosine of the angle between target and predicted vectors (last axis).

    With $u = y / \max(|y|, \varepsilon)$ and $v = \hat y / \max(|\hat y|, \varepsilon)$,

    $$
    L = 1 - u^\top v = 1 - \frac{y^\top \hat y}{\max(|y|, \varepsilon)\,\max(|\hat y|, \varepsilon)},
    $$

    which is $1 - \cos(y, \hat y)$ whenever both norms exceed $\varepsilon$, in $[0, 2]$.

    **Gradient** (in $\hat y$ only; $y$ is the target). Write $b = \max(|\hat y|, \varepsilon)$.
    Where $|\hat y| > \varepsilon$, $b = |\hat y|$ and $\partial b / \partial \hat y = \hat y / |\hat y| = v$, so

    $$
    \frac{\partial L}{\partial \hat y} = -\frac{u}{b} + \frac{u^\top \hat y}{b^2}\, v
    = -\frac{1}{b}\left(u - (u^\top v)\, v\right),
    $$

    the component of $-u/b$ orthogonal to $\hat y$ (the loss does not change when $\hat y$ is
    scaled). Where the floor is active ($|\hat y| < \varepsilon$), $b = \varepsilon$ is constant
    and $\partial L / \partial \hat y = -u / \varepsilon$. At $|\hat y| = \varepsilon$ exactly the
    first form is returned.

    **Stability.** Each row is divided by its largest absolute entry before its norm is taken
    (no overflow at 1e300, no underflow at 1e-300). Near $\hat y \parallel y$ the loss is
    computed as $\tfrac12|u - v|^2 + \tfrac12(1 - |u|^2) + \tfrac12(1 - |v|^2)$, equal to
    $1 - u^\top v$, whose terms are exactly 0 or small and positive: no cancellation
    of $1 - \cos$ when the cosine is close to 1.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.cosine_distance([[1.0, 0.0], [1.0, 1.0]], [[0.0, 2.0], [-3.0, -3.0]], reduction="none")
    array([1., 2.])
    >>> round(float(lr.cosine_distance([[3.0, 4.0]], [[4.0, 3.0]])), 6)   # 1 - 24/25
    0.04
    """

    name = "cosine_distance"
    pred_name = "y_pred"
    prediction = "embedding"
    per_row = True
    parameters = (
        Param("eps", 1e-8,
              "Floor > 0 of each vector's norm: the cosine divides by max(|y|, eps) max(|y_pred|, eps) "
              "(torch's eps; optax's epsilon floors the squared norm, so it is eps**2).",
              constraint=V.Real(low=0, low_open=True)),
    )

    def _check_params(self, params, y_pred):
        V.check_ndim(y_pred, "y_pred", 2, "(n, D), vectors on the last axis")
        return params

    def _prepare_target(self, y, y_pred, params):
        y = V.as_target(y, "y", y_pred.dtype)
        V.check_same_shape(y, y_pred, "y", "y_pred")
        return y

    def _check_block(self, y, y_pred, start, params):
        V.check_finite(y, "y", start)

    def _forward(self, y, y_pred, grad_out, *, eps, **_):
        u, _, u_norm, _ = _floored_unit(y, eps)
        v, p_floored, v_norm, b = _floored_unit(y_pred, eps)
        diff = u - v
        # 1 - u.v = |u - v|^2 / 2 + (1 - |u|^2) / 2 + (1 - |v|^2) / 2: |u| = 1 exactly unless floored.
        loss = 0.5 * (np.einsum("...j,...j->...", diff, diff) + (1 - u_norm * u_norm) + (1 - v_norm * v_norm))
        if grad_out is not None:
            cos = np.einsum("...j,...j->...", u, v)
            radial = np.where(p_floored, 0, cos)  # the floor holds b constant: no radial term
            with np.errstate(over="ignore"):
                inv_b = 1 / b  # b >= eps > 0; 0 when |y_pred| overflows the dtype
            np.multiply(v, radial[..., None], out=grad_out)
            grad_out -= u
            grad_out *= inv_b[..., None]
        return loss.astype(y_pred.dtype, copy=False)

    def _forward_hess(self, y, y_pred, *, eps, **_):
        r"""One $D \times D$ block per row: $\big(v w^\top + w v^\top + c\,(I - v v^\top)\big) / b^2$, 0 below the floor.

        Differentiate $g = -w/b$ with $w = u - c\,v$, $c = u^\top v$, $v = \hat y/b$ and
        $b = \lVert\hat y\rVert$: $\partial v/\partial\hat y = (I - v v^\top)/b$, so
        $\partial c/\partial\hat y = (I - v v^\top)u/b = w/b$, and

        $$
        \frac{\partial g}{\partial \hat y} = \frac{1}{b}\Big(v\,\frac{w^\top}{b}
        + c\,\frac{I - v v^\top}{b}\Big) + \frac{w\, v^\top}{b^2},
        $$

        symmetric. Below the floor the loss is linear in $\hat y$ and the block is 0.
        """
        u, _, _, _ = _floored_unit(y, eps)
        v, p_floored, _, b = _floored_unit(y_pred, eps)
        cos = np.einsum("...j,...j->...", u, v)
        w = u - cos[..., None] * v
        hess = v[..., :, None] * w[..., None, :]
        hess += np.swapaxes(hess, -1, -2)
        hess -= cos[..., None, None] * (v[..., :, None] * v[..., None, :])
        np.einsum("...jj->...j", hess)[...] += cos[..., None]
        with np.errstate(over="ignore"):
            inv_b2 = np.where(p_floored, 0, 1 / (b * b))  # 0 when |y_pred|^2 overflows the dtype
        return (hess * inv_b2[..., None, None]).astype(y_pred.dtype, copy=False)


ENTRY = Entry(
    title="Cosine distance",
    family="metric",
    page="cosine-distance.md",
    formula=r"L(y, \hat y) = 1 - \frac{y^\top \hat y}{\max(\lVert y\rVert, \varepsilon)\,"
             r"\max(\lVert \hat y\rVert, \varepsilon)}",
    gradient=r"\frac{\partial L}{\partial \hat y} = -\frac{1}{\lVert \hat y\rVert}\left(u - (u^\top v)\, v\right), "
              r"\quad u = \frac{y}{\max(\lVert y\rVert, \varepsilon)}, \; v = \frac{\hat y}{\lVert \hat y\rVert} "
              r"\quad (\lVert \hat y\rVert > \varepsilon; \; -u/\varepsilon \text{ below})",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y\,\partial \hat y^\top} = \frac{v w^\top + w v^\top + "
                      r"(u^\top v)(I - v v^\top)}{\lVert \hat y\rVert^2}, \quad w = u - (u^\top v)\,v "
                      r"\quad (\lVert \hat y\rVert > \varepsilon; \; 0 \text{ below})",
    target="a real target vector per row, the same shape (n, D) as y_pred; only its direction matters",
    properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=True,
                 robust_to_outliers=True, calibrated=False),
    minimizer="any positive multiple of the target's direction, y_pred = c y with c > 0 (for a distribution "
               "of targets, the direction of E[y / |y|]): the norm of y_pred is not learnt",
    when_to_use="Regressing directions or embeddings where only the angle matters (word or sentence vectors, "
                 "normalised features, distillation of an embedding); the loss ignores the prediction's norm.",
    equivalents=(
        Eq("PyTorch", "(1 - torch.nn.functional.cosine_similarity(y_pred, y, dim=-1, eps=1e-8)).mean()", True,
           "torch floors each norm at eps (default 1e-8), as lossref (torch < 1.12 floored the product of the "
           "norms instead). Pass dim=-1: the default dim=1 is the class axis of torch's layout. "
           "torch.nn.CosineEmbeddingLoss()(y_pred, y, torch.ones(n)) also gives 1 - cos, with its own epsilon "
           "1e-12 added to the squared norms."),
        Eq("Keras 3", "1 + keras.losses.CosineSimilarity(axis=-1)(y, y_pred)", False,
           "Keras returns minus the cosine, in [-1, 1] (minimised at -1): lossref's loss is 1 plus it, and the "
           "gradients agree. Keras normalises with keras.ops.normalize, which floors each norm at "
           "backend.epsilon() = 1e-7, not 1e-8: the numbers differ only for vectors shorter than 1e-7. "
           + KERAS_ROWS),
        Eq("optax", "optax.losses.cosine_distance(y_pred, y, epsilon=1e-16).mean()", True,
           "optax's argument order is (predictions, targets) and its epsilon clips the squared norms "
           "(jnp.sqrt(norm2.clip(epsilon))), so the norm floor is sqrt(epsilon): epsilon = eps**2 = 1e-16 gives "
           "lossref's. optax's default epsilon=0 gives NaN for a zero vector (0/0)."),
        Eq("scikit-learn",
           "np.mean(np.diag(sklearn.metrics.pairwise.cosine_distances(y, y_pred)))", False,
           "cosine_distances compares every row with every other (n x n: take the diagonal, or use "
           "1 - np.sum(normalize(y) * normalize(y_pred), axis=1) with sklearn.preprocessing.normalize); a zero "
           "vector is left as zero (cosine 0, distance 1), as lossref's floor gives; it clips distances to "
           "[0, 2]. Agrees otherwise."),
    ),
    notes=(
        "Keras's CosineSimilarity loss is -cos, not 1 - cos: the same gradients, but its values are negative and "
        "its minimum is -1.",
        "optax's epsilon floors the squared norm (the norm floor is sqrt(epsilon)) and defaults to 0, so a zero "
        "vector gives NaN there; lossref's eps floors the norm itself, like torch's.",
        "The loss ignores the prediction's norm, and its gradient is orthogonal to y_pred and scales as "
        "1 / |y_pred|: predictions with a large norm learn slowly, small ones (near eps) get huge steps.",
    ),
    references=(
        "https://pytorch.org/docs/stable/generated/torch.nn.functional.cosine_similarity.html",
        "https://optax.readthedocs.io/en/latest/api/losses.html#optax.losses.cosine_distance",
    ),
)
