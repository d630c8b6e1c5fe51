"""Losses with several array arguments, or whose example is more than one element or row.

A triplet loss differentiates three arrays (anchor, positive, negative); a contrastive loss
couples every row of a batch with every other; a Dice loss scores a whole image, a CTC loss a
whole sequence. ``StructuredLoss`` gives them the interface of every other loss (``reduction``,
``sample_weight``, ``grad``, ``value_and_grad``, ``bind``, ``info``) and the same validation:

* the array arguments are declared in order as ``inputs`` (``lossref._info.Input``): a target
  first where there is one, then the predictions, each passed positionally or by its name;
* every prediction is float32 or float64, all of one dtype, which is the dtype of the result;
  targets are cast to it; NaN or infinity in any float input is an error naming it, and so is
  a value outside the input's declared ``interval``;
* ``reduction`` and ``sample_weight`` mean what they mean for ``Loss`` (the weighted mean, the
  weighted sum, or the weighted per-example values, whose gradient is that of their sum);
* ``grad`` returns the gradient with respect to the one prediction, or a tuple of gradients in
  argument order when there are several (an optional prediction left out has none).

A subclass gives ``_check_inputs`` (shapes, and the per-example loss shape) and ``_forward``:
the per-example losses and, when asked, the gradients of ``sum_i g_i loss_i`` for the weights
``g`` it is given. Passing the weights in, rather than scaling per-example gradients afterwards,
is what lets a loss whose examples share inputs (every row of an NT-Xent batch is a negative
for every other row) compute its gradient in one pass.
"""

from __future__ import annotations

import math

import numpy as np

from . import _validation as V
from ._base import Loss
from ._info import Input

__all__ = ["StructuredLoss"]


class StructuredLoss(Loss):
    """Base class of the losses with several array arguments (see the module docstring)."""

    #: The array arguments in order: a target first where there is one, then the predictions.
    inputs: tuple[Input, ...] = ()

    # ------------------------------------------------------------------ what a subclass gives
    def _check_inputs(self, arrays: dict, params: dict) -> tuple[int, ...]:
        """Check the shapes (and values) of the inputs; return the shape of the per-example losses."""
        raise NotImplementedError

    def _forward(self, arrays: dict, params: dict, grad_weight):
        """``(losses, grads)``: per-example losses, and with ``grad_weight`` (an array of the losses'
        shape) a dict of the gradients of ``sum(grad_weight * losses)`` for every prediction given."""
        raise NotImplementedError

    def _mean_terms(self, arrays: dict, params: dict):
        """How many terms each example's loss sums, for the denominator of "mean" (None: one each).

        A loss whose example is a sum over pairs (NT-Xent sums over an anchor's positives) returns
        the count per example, so that "mean" is the weighted mean over the pairs:
        ``sum_i w_i loss_i / sum_i w_i terms_i``.
        """
        return None

    # ------------------------------------------------------------------ public API
    def __call__(self, *arrays, reduction="mean", sample_weight=None, **params):
        """The loss: a scalar for "mean" and "sum", per-example values for "none"."""
        value, _ = self._evaluate_all(arrays, params, reduction, sample_weight, want_grad=False)
        return value

    def grad(self, *arrays, reduction="mean", sample_weight=None, **params):
        """Gradient of the reduced loss: one array, or a tuple in argument order for several predictions."""
        return self._evaluate_all(arrays, params, reduction, sample_weight, want_grad=True)[1]

    def value_and_grad(self, *arrays, reduction="mean", sample_weight=None, **params):
        """``(value, grad)`` computed together."""
        return self._evaluate_all(arrays, params, reduction, sample_weight, want_grad=True)

    def hess(self, *arrays, **params):
        raise NotImplementedError(f"{self._name()} has no second derivative in lossref (only grad)")

    def _has_hess(self) -> bool:
        return False

    @property
    def signature(self) -> str:
        """The call as a user writes it, e.g. ``triplet_margin(anchor, positive, negative, *, margin=1.0, ...)``."""
        args = ", ".join(f"{i.name}=None" if i.optional else i.name for i in self.inputs)
        return f"{self._name()}({args}, *, reduction=\"mean\", sample_weight=None{_keywords(self.params)})"

    # ------------------------------------------------------------------ the driver
    def _read_inputs(self, arrays: tuple, params: dict) -> tuple[dict, dict]:
        """Match positional and named arrays to ``inputs``; the rest of ``params`` are parameters."""
        params = dict(params)
        if len(arrays) > len(self.inputs):
            raise TypeError(f"{self.signature} takes {len(self.inputs)} arrays; got {len(arrays)}")
        given = {}
        for spec, value in zip(self.inputs, arrays):
            if spec.name in params:
                raise TypeError(f"{self._name()} got {spec.name} twice: positionally and as {spec.name}=")
            given[spec.name] = value
        for spec in self.inputs[len(arrays):]:
            if spec.name in params:
                given[spec.name] = params.pop(spec.name)
            elif spec.optional:
                given[spec.name] = None
            else:
                raise TypeError(f"{self._name()} needs {spec.name}: {self.signature}")
        return given, params

    def _convert(self, given: dict) -> dict:
        predictions = [s for s in self.inputs if s.kind == "prediction" and given[s.name] is not None]
        out = {}
        dtype = None
        for spec in predictions:
            arr = V.as_prediction(given[spec.name], spec.name)
            if dtype is None:
                dtype, first = arr.dtype, spec.name
            elif arr.dtype != dtype:
                raise TypeError(
                    f"{spec.name} has dtype {arr.dtype} but {first} has {dtype}; give every prediction the same dtype"
                )
            _check_values(arr, spec)
            out[spec.name] = arr
        for spec in self.inputs:
            value = given[spec.name]
            if spec.kind == "prediction" or value is None:
                out.setdefault(spec.name, value)
                continue
            if spec.kind == "labels":
                out[spec.name] = V.as_labels(value, spec.name)
            else:
                arr = V.as_target(value, spec.name, dtype)
                _check_values(arr, spec)
                if spec.kind == "pm1":
                    V.check_pm1_labels(arr, spec.name, self._name())
                out[spec.name] = arr
        return {s.name: out[s.name] for s in self.inputs}, dtype

    def _evaluate_all(self, arrays, params, reduction, sample_weight, want_grad):
        given, params = self._read_inputs(arrays, params)
        reduction = V.check_reduction(reduction)
        params = self._resolve(params)
        V.check_params(params, self.parameters or ())
        arrays, dtype = self._convert(given)
        loss_shape = tuple(self._check_inputs(arrays, params))
        weight = V.check_sample_weight(sample_weight, loss_shape, dtype)
        terms = self._mean_terms(arrays, params)
        if weight is not None:
            weight = np.broadcast_to(weight, loss_shape)
        if weight is None and terms is None:
            total_weight = math.prod(loss_shape)
        elif terms is None:
            total_weight = float(np.sum(weight, dtype=np.float64))
        elif weight is None:
            total_weight = float(np.sum(terms, dtype=np.float64))
        else:
            total_weight = float(np.sum(weight * terms, dtype=np.float64))
        nothing_to_average = reduction == "mean" and total_weight == 0
        # A division by the total weight, not a product with its reciprocal (tiny valid weights).
        divisor = total_weight if reduction == "mean" and total_weight > 0 else 1.0

        grad_weight = None
        if want_grad:
            if nothing_to_average:  # the mean of nothing is 0, and so is its gradient
                grad_weight = np.zeros(loss_shape, dtype=dtype)
            elif weight is None:
                grad_weight = np.full(loss_shape, 1 / divisor, dtype=dtype)
            else:
                grad_weight = (weight / divisor).astype(dtype, copy=False)
        with np.errstate(over="ignore"):
            losses, grads = self._forward(arrays, params, grad_weight)
        losses = np.asarray(losses, dtype=dtype)
        if weight is not None:
            losses = losses * weight
        if reduction == "none":
            value = losses
        else:
            total = float(np.sum(losses, dtype=np.float64))
            with np.errstate(over="ignore"):
                value = dtype.type(total / divisor)
        if not np.all(np.isfinite(value)):
            raise ValueError(
                f"{self._name()} overflows {dtype}: the loss is too large to represent; rescale the inputs or "
                f"compute in float64"
            )
        if not want_grad:
            return value, None
        names = [s.name for s in self.inputs if s.kind == "prediction" and arrays[s.name] is not None]
        out = tuple(np.asarray(grads[n], dtype=dtype).reshape(arrays[n].shape) for n in names)
        return value, out[0] if len(out) == 1 else out


def _check_values(arr: np.ndarray, spec: Input) -> None:
    """Finite numbers, within ``spec.interval`` when it declares one (whose check finds NaN too)."""
    if spec.interval is None:
        V.check_finite(arr, spec.name)
    else:
        V.check_in_interval(arr, spec.name, *spec.interval)


def _keywords(params: dict) -> str:
    return "".join(f", {k}={v!r}" for k, v in params.items() if not isinstance(v, np.ndarray))
