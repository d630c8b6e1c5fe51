"""Weighted sums of losses over several tasks (multi-task training)."""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np

from ._base import Loss

__all__ = ["combine", "Combined"]


class Combined:
    r"""A multi-task objective $L = \sum_k \lambda_k L_k(y_k, \hat y_k)$.

    Each task has its own target and prediction; call it with two dicts keyed by task name.
    Each $L_k$ is reduced with ``reduction`` ("mean" by default) before weighting, so
    $\lambda_k$ trades whole task risks against each other.
    """

    def __init__(self, losses: Mapping[str, Loss], weights=None):
        if not isinstance(losses, Mapping) or not losses:
            raise TypeError(f"losses must be a non-empty dict of task name -> loss; got {type(losses).__name__}")
        for task, loss in losses.items():
            if not isinstance(loss, Loss):
                raise TypeError(f"losses[{task!r}] must be a lossref loss (lr.mse, lr.huber.bind(delta=2), ...); got {loss!r}")
        self.losses = dict(losses)
        self.weights = self._read_weights(weights)

    def _read_weights(self, weights) -> dict[str, float]:
        tasks = list(self.losses)
        if weights is None:
            return {t: 1.0 for t in tasks}
        if isinstance(weights, Mapping):
            if set(weights) != set(tasks):
                raise ValueError(f"weights must have one entry per task {tasks}; got keys {sorted(weights)}")
            values = [weights[t] for t in tasks]
        else:
            values = list(weights)
            if len(values) != len(tasks):
                raise ValueError(f"weights must have {len(tasks)} entries, one per task {tasks}; got {len(values)}")
        for t, v in zip(tasks, values):
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not np.isfinite(v) or v < 0:
                raise ValueError(f"weights[{t!r}] must be a finite non-negative number; got {v!r}")
        return {t: float(v) for t, v in zip(tasks, values)}

    def _check_tasks(self, arg, name):
        if not isinstance(arg, Mapping):
            raise TypeError(f"{name} must be a dict keyed by task name {list(self.losses)}; got {type(arg).__name__}")
        missing = [t for t in self.losses if t not in arg]
        extra = [t for t in arg if t not in self.losses]
        if missing or extra:
            raise ValueError(
                f"{name} must have exactly the tasks {list(self.losses)}"
                + (f"; missing {missing}" if missing else "")
                + (f"; unknown {extra}" if extra else "")
            )

    def _run(self, ys, preds, reduction, sample_weight, want_grad):
        self._check_tasks(ys, "ys")
        self._check_tasks(preds, "preds")
        if reduction not in ("mean", "sum"):
            raise ValueError(f"reduction must be 'mean' or 'sum' for a combined loss; got {reduction!r}")
        if isinstance(sample_weight, Mapping):
            unknown = [t for t in sample_weight if t not in self.losses]
            if unknown:  # a misspelt task must not silently go unweighted
                raise ValueError(f"sample_weight names unknown task(s) {unknown}; the tasks are {list(self.losses)}")
            sw = sample_weight
        else:
            sw = {t: sample_weight for t in self.losses}
        parts, grads = {}, {}
        for task, loss in self.losses.items():
            if want_grad and not loss.info.has_gradient:
                loss.grad(ys[task], preds[task])  # raises, saying why
            value, grad = loss._evaluate(ys[task], preds[task], reduction, sw.get(task), {}, want_grad)
            parts[task] = value
            if want_grad:
                grads[task] = grad * grad.dtype.type(self.weights[task])
        total = sum(self.weights[t] * float(v) for t, v in parts.items())
        return total, parts, grads

    def __call__(self, ys, preds, *, reduction="mean", sample_weight=None) -> float:
        """The weighted total."""
        return self._run(ys, preds, reduction, sample_weight, False)[0]

    def parts(self, ys, preds, *, reduction="mean", sample_weight=None) -> dict:
        """Each task's own (unweighted) loss, to see which one dominates."""
        return self._run(ys, preds, reduction, sample_weight, False)[1]

    def grad(self, ys, preds, *, reduction="mean", sample_weight=None) -> dict:
        """Gradient of the total for each task's prediction: ``lambda_k * dL_k/dpred_k``."""
        return self._run(ys, preds, reduction, sample_weight, True)[2]

    def value_and_grad(self, ys, preds, *, reduction="mean", sample_weight=None):
        total, _, grads = self._run(ys, preds, reduction, sample_weight, True)
        return total, grads

    def __repr__(self) -> str:
        return "combine(" + ", ".join(f"{w:g} * {self.losses[t]._name()}[{t}]" for t, w in self.weights.items()) + ")"


def combine(losses: Mapping[str, Loss], weights=None) -> Combined:
    """Weighted sum of per-task losses, e.g. classification plus box regression.

    Examples
    --------
    >>> import lossref as lr
    >>> total = lr.combine({"cls": lr.cross_entropy, "box": lr.huber}, {"cls": 1.0, "box": 5.0})
    >>> ys = {"cls": [0, 1], "box": [[0.0, 1.0], [2.0, 2.0]]}
    >>> preds = {"cls": [[2.0, 0.0], [0.0, 2.0]], "box": [[0.5, 1.0], [2.0, 2.0]]}
    >>> round(total(ys, preds), 6), {k: round(float(v), 6) for k, v in total.parts(ys, preds).items()}
    (0.283178, {'cls': 0.126928, 'box': 0.03125})
    """
    return Combined(losses, weights)
