"""Numerically stable building blocks shared by the losses.

Every function here is finite for every finite input, in float32 and float64, and keeps the
input's dtype.
"""

from __future__ import annotations

import numpy as np

__all__ = ["softplus", "sigmoid", "log_sigmoid", "log_softmax", "logsumexp", "xlogx"]


def softplus(x: np.ndarray) -> np.ndarray:
    r"""softplus(x) = log(1 + e^x).

    Computed as max(x, 0) + log1p(e^{-|x|}): the exponent is never positive, so e^{...}
    cannot overflow, and log1p keeps full precision when e^{-|x|} is tiny.
    """
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    r"""log sigma(x) = -softplus(-x), exact for large |x| where log(sigmoid(x)) gives -inf."""
    return -softplus(-x)


def sigmoid(x: np.ndarray) -> np.ndarray:
    r"""sigma(x) = 1 / (1 + e^{-x}).

    With e = e^{-|x|} <= 1, sigma(x) = 1/(1+e) for x >= 0 and e/(1+e) for x < 0; neither
    branch overflows, and the small tail e/(1+e) keeps its relative precision.
    """
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


def logsumexp(z: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    r"""log sum_j e^{z_j} = a + log sum_j e^{z_j - a} with a = max_j z_j.

    Shifting by the maximum makes the largest term e^0 = 1, so nothing overflows and the
    sum is at least 1, so the log never sees 0.
    """
    a = np.max(z, axis=axis, keepdims=True)
    out = a + np.log(np.sum(np.exp(z - a), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(z) = z - logsumexp(z), never log of an underflowed 0."""
    return z - logsumexp(z, axis=axis, keepdims=True)


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


def exp_and_log_sum_exp(shifted: np.ndarray, top: np.ndarray):
    r"""Exponentiate ``shifted`` in place; return :math:`\log\sum_j e^{s_j}` and :math:`\sum_j e^{s_j}` per row.

    The maximum's term is exactly 1, so the sum is 1 + rest with ``rest`` summed over the other
    classes, and the log is log1p(rest). For a confident prediction (rest ~ 1e-13) log(1 + rest)
    would keep only three significant digits of the loss; log1p keeps them all.
    """
    np.exp(shifted, out=shifted)
    np.put_along_axis(shifted, top, 0, axis=-1)
    rest = shifted.sum(axis=-1)
    np.put_along_axis(shifted, top, 1, axis=-1)
    return np.log1p(rest), 1 + rest
