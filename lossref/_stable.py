"""Numerically stable building blocks shared by the row losses (cross-entropy, KL).

Every function here is finite for every finite input, in float32 and float64, and keeps the
input's dtype. The element-wise losses compute their softplus and sigmoid inline, from one
shared exponential e^{-|z|} per element.
"""

from __future__ import annotations

import numpy as np

__all__ = ["HALF_LOG_2PI", "xlogx", "shift_by_row_max", "masked_shift_by_row_max", "exp_and_log_sum_exp", "sigmoid_slope", "softmax_hessian"]

#: log sqrt(2 pi), the constant of the Gaussian log-density (and of Stirling's approximation).
HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def xlogx(p: np.ndarray) -> np.ndarray:
    """p log p with the limit 0 log 0 = 0 (log is never evaluated at 0)."""
    positive = p > 0
    return np.where(positive, p * np.log(np.where(positive, p, 1)), 0)


def shift_by_row_max(z: np.ndarray, out: np.ndarray | None = None):
    """``z - max_j z_j`` along the last axis (written to ``out``), and the position of each maximum.

    After the shift every exponent is <= 0, so no exponential overflows, and the largest is
    exactly e^0 = 1.
    """
    top = z.argmax(axis=-1)[..., None]
    return np.subtract(z, np.take_along_axis(z, top, axis=-1), out=out), top


def masked_shift_by_row_max(z: np.ndarray, mask: np.ndarray, out: np.ndarray | None = None):
    """``shift_by_row_max`` over the items where ``mask`` is True; the others become -inf.

    After ``exp_and_log_sum_exp`` a masked item then has weight e^{-inf} = 0 in the softmax, as if
    it were not in the row. A row with no valid item is all -inf and its ``top`` is an arbitrary
    index (the maximum of nothing): ``exp_and_log_sum_exp`` gives it log-sum-exp 0, and the caller
    must give such a row zero weight.
    """
    filled = np.where(mask, z, -np.inf)
    top = filled.argmax(axis=-1)[..., None]  # a valid item whenever the row has one
    # z at top is finite (a masked score is a real number too), so -inf - finite stays -inf: no NaN
    return np.subtract(filled, np.take_along_axis(z, top, axis=-1), out=out), top


def exp_and_log_sum_exp(shifted: np.ndarray, top: np.ndarray):
    r"""Exponentiate ``shifted`` in place; return $\log\sum_j e^{s_j}$ and $\sum_j e^{s_j}$ per row.

    The maximum's term is exactly 1, so the sum is 1 + rest with ``rest`` summed over the other
    classes, and the log is log1p(rest). For a confident prediction (rest ~ 1e-13) log(1 + rest)
    would keep only three significant digits of the loss; log1p keeps them all.
    """
    np.exp(shifted, out=shifted)
    np.put_along_axis(shifted, top, 0, axis=-1)
    rest = shifted.sum(axis=-1)
    np.put_along_axis(shifted, top, 1, axis=-1)
    return np.log1p(rest), 1 + rest


def sigmoid_slope(z: np.ndarray) -> np.ndarray:
    r"""$\sigma(z)\,\sigma(-z) = \sigma'(z)$, the curvature of softplus, for every finite $z$.

    With $e = e^{-|z|} \le 1$ it is $e / (1 + e)^2$ on both sides ($\sigma'$ is even): no
    exponential overflows, and for $|z|$ up to 1e4 the result underflows gracefully to 0 instead
    of forming $\sigma(z)(1 - \sigma(z))$ as $1 \cdot 0$ or $\infty / \infty$.
    """
    e = np.exp(-np.abs(z))
    return e / ((1 + e) * (1 + e))


def softmax_hessian(logits: np.ndarray, mass) -> np.ndarray:
    r"""Per-row Hessian of $m \log\sum_j e^{z_j}$: $m\,(\operatorname{diag}(p) - p p^\top)$, $p = \operatorname{softmax}(z)$.

    ``mass`` is $m$ per row (a scalar or an array of the rows' shape). Returns shape
    ``logits.shape + (C,)``; the softmax is computed after the log-sum-exp shift, so it is exact
    at logits of any size.
    """
    shifted, top = shift_by_row_max(logits)
    _, sum_exp = exp_and_log_sum_exp(shifted, top)
    p = shifted / sum_exp[..., None]
    hess = -p[..., :, None] * p[..., None, :]
    diagonal = np.einsum("...jj->...j", hess)  # a writable view of the diagonal
    diagonal += p
    return hess * np.asarray(mass, dtype=logits.dtype)[..., None, None]
