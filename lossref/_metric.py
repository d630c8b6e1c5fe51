"""Shared helpers of the metric-learning losses: norms, unit vectors, masked log-sum-exp.

Every helper works on the last axis (one vector per row) and is safe at extreme scales: a sum
of squares of 1e30-scale float32 entries overflows and one of 1e-30-scale entries underflows,
so the rows where that happens are recomputed after dividing by their largest entry.
"""

from __future__ import annotations

import numpy as np

__all__ = ["pnorm_rows", "pnorm_grad", "unit_rows", "unit_rows_backward", "masked_logsumexp", "softplus"]


def pnorm_rows(u: np.ndarray, p: float) -> np.ndarray:
    r"""$\lVert u \rVert_p = (\sum_k |u_k|^p)^{1/p}$ of each row, without overflow or underflow."""
    if p == 1:
        return np.sum(np.abs(u), axis=-1)
    s = np.einsum("...k,...k->...", u, u) if p == 2 else np.sum(np.abs(u) ** p, axis=-1)
    finfo = np.finfo(u.dtype)
    # |u_k|^p overflows to inf for large entries, and underflows to 0 (or loses digits as a
    # subnormal) for tiny ones: redo those rows as m * ||u / m||_p with m = max_k |u_k|.
    bad = ~np.isfinite(s) | (s < finfo.tiny / finfo.eps)
    out = np.sqrt(s) if p == 2 else s ** (1 / p)
    if bad.any():
        rows = u[bad]
        m = np.max(np.abs(rows), axis=-1, keepdims=True)
        scaled = rows / np.where(m > 0, m, 1)  # an all-zero row has norm 0
        out[bad] = m[..., 0] * np.sum(np.abs(scaled) ** p, axis=-1) ** (1 / p)
    return out


def pnorm_grad(u: np.ndarray, d: np.ndarray, p: float) -> np.ndarray:
    r"""$\partial \lVert u \rVert_p / \partial u_k = \operatorname{sign}(u_k)\,(|u_k| / \lVert u \rVert_p)^{p-1}$,
    0 on a row with $\lVert u \rVert_p = 0$ (and, for p = 1, at $u_k = 0$)."""
    if p == 1:
        return np.sign(u)
    # the ratio |u_k| / d is at most 1: no overflow whatever the scale of u
    safe = np.where(d > 0, d, 1)[..., None]
    if p == 2:
        return u / safe
    return np.sign(u) * (np.abs(u) / safe) ** (p - 1)


def unit_rows(x: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    r"""``(x / max(||x||, floor), ||x||)`` row by row (``floor`` keeps a zero row at zero)."""
    n = pnorm_rows(x, 2)
    return x / np.maximum(n, floor)[..., None], n


def unit_rows_backward(u: np.ndarray, n: np.ndarray, floor: float, h: np.ndarray,
                       overwrite: bool = False) -> np.ndarray:
    r"""Gradient in x of $\langle h, u \rangle$ for $u = x / \max(\lVert x \rVert, f)$.

    Where $\lVert x \rVert > f$ the Jacobian of $x / \lVert x \rVert$ is
    $(I - u u^\top) / \lVert x \rVert$; below the floor $u = x / f$ and it is $I / f$.
    With ``overwrite=True`` the result is written over ``h`` and ``u`` is used as scratch (both are
    then spent): no temporary of their size.
    """
    above = n > floor
    radial = np.where(above, np.einsum("...k,...k->...", u, h), 0)[..., None]
    scale = np.maximum(n, floor)[..., None]
    if not overwrite:
        return (h - u * radial) / scale
    h -= np.multiply(u, radial, out=u)
    h /= scale
    return h


def masked_logsumexp(z: np.ndarray, mask: np.ndarray) -> np.ndarray:
    r"""$\log \sum_{j: \text{mask}_{ij}} e^{z_{ij}}$ per row; $-\infty$ for a row with an empty mask.

    Shifted by the row's largest masked entry, so that no exponential overflows (the logits of
    NT-Xent reach 1/0.07 ~ 14, those of Circle loss 100 and more).
    """
    zm = np.where(mask, z, -np.inf)
    top = np.max(zm, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0)
    with np.errstate(divide="ignore"):  # log(0) = -inf for an empty row, as wanted
        return (top + np.log(np.sum(np.exp(zm - top), axis=-1, keepdims=True)))[..., 0]


def softplus(x: np.ndarray) -> np.ndarray:
    r"""$\log(1 + e^x)$ without overflow (``logaddexp`` shifts by the larger argument); 0 at $-\infty$."""
    return np.logaddexp(0, x)
