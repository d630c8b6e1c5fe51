"""Finite-difference gradient check for any loss, built-in or user-defined."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as V

__all__ = ["check_grad", "GradCheck"]


@dataclass(frozen=True)
class GradCheck:
    """The outcome of :func:`check_grad`; truthy when the gradient passed."""

    ok: bool
    max_rel_error: float  # max over elements of |analytic - numeric| / max(|analytic|, |numeric|)
    worst_index: tuple[int, ...]  # where the error relative to the tolerance is largest
    analytic: np.ndarray
    numeric: np.ndarray
    rtol: float
    atol: float

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        i = self.worst_index
        verdict = "gradient OK" if self.ok else "gradient MISMATCH"
        return (
            f"{verdict}: worst relative error {self.max_rel_error:.3g} at index {i} "
            f"(analytic {self.analytic[i]:.10g}, finite differences {self.numeric[i]:.10g}; "
            f"tolerance rtol={self.rtol:g}, atol={self.atol:g})"
        )


def check_grad(loss, y, pred, *, reduction="sum", sample_weight=None, step=1e-6, rtol=1e-5, atol=1e-8, **params):
    r"""Compare ``loss.grad`` with central finite differences of ``loss``.

    Each element of ``pred`` is moved by $\pm h$ with $h = \text{step}\cdot\max(1, |x_i|)$
    and $(f(x + h e_i) - f(x - h e_i)) / 2h$, whose error is $O(h^2)$, is compared with
    the analytic derivative. Everything is computed in float64 (a float32 loss would drown the
    difference in rounding). An element passes when
    $|a - n| \le \text{atol} + \text{rtol} \max(|a|, |n|)$.

    Points where the loss has a kink (hinge at $ys = 1$, absolute error at 0) have no
    derivative; keep test points away from them.

    Examples
    --------
    >>> import numpy as np, lossref as lr
    >>> result = lr.check_grad(lr.huber, [0.0, 1.0], [0.3, -2.0], delta=1.0)
    >>> bool(result), result.max_rel_error < 1e-8
    (True, True)
    """
    pred = np.array(V.as_prediction(pred, "pred"), dtype=np.float64)
    y_arr = np.asarray(y)
    if y_arr.dtype.kind == "f":
        y_arr = y_arr.astype(np.float64)
    kwargs = dict(reduction=reduction, sample_weight=sample_weight, **params)
    if reduction == "none":
        raise ValueError("check_grad needs a scalar loss: reduction must be 'mean' or 'sum'; got 'none'")
    analytic = np.asarray(loss.grad(y_arr, pred, **kwargs), dtype=np.float64)
    numeric = np.empty_like(pred)
    flat, out = pred.reshape(-1), numeric.reshape(-1)
    for i in range(flat.size):
        x = flat[i]
        h = step * max(1.0, abs(x))
        flat[i] = x + h
        up = float(loss(y_arr, pred, **kwargs))
        flat[i] = x - h
        down = float(loss(y_arr, pred, **kwargs))
        flat[i] = x
        out[i] = (up - down) / (2 * h)
    diff = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(scale > 0, diff / scale, 0.0)
        badness = diff / (atol + rtol * scale)
    worst = np.unravel_index(int(np.argmax(badness)), pred.shape) if pred.ndim else ()
    return GradCheck(
        ok=bool(np.all(badness <= 1)),
        max_rel_error=float(rel.max()),
        worst_index=tuple(int(i) for i in worst),
        analytic=analytic,
        numeric=numeric,
        rtol=rtol,
        atol=atol,
    )
