"""The ``Loss`` base class: reduction, weights, validation and chunked evaluation.

A loss only has to say what one example costs and how that cost changes with the
prediction. Everything else lives here, once:

* ``reduction="mean"`` is the weighted mean ``sum(w * l) / sum(w)`` (the plain mean when
  there are no weights); ``"sum"`` is ``sum(w * l)``; ``"none"`` returns ``w * l`` per
  example, and its gradient is that of the sum.
* The effective weight of an example is its ``sample_weight`` times its class weight
  (for losses with classes) times 0 when the example is ignored.
* If the weights sum to zero there is nothing to average: the mean is 0 and so is its
  gradient (PyTorch returns NaN there).
* Large inputs are processed in blocks of rows that fit in the CPU cache, so temporaries
  stay small and each input element is read from memory once; the blocks of a large input
  run on several threads (``_parallel``).
"""

from __future__ import annotations

import dataclasses
import inspect
import math

import numpy as np

from . import _validation as V
from ._info import LossInfo, Param, Properties
from ._parallel import map_blocks

__all__ = ["Loss", "REQUIRED"]

#: Elements per block. About 256 KB of float32: a few temporaries of this size fit in L2.
BLOCK_ELEMENTS = 1 << 16


class _NotGiven:
    def __repr__(self):
        return "<not given>"


#: Default of the prediction argument when it is passed by name instead (``logits=...``).
NOT_GIVEN = _NotGiven()

#: Default of a parameter that has none: the caller must give it.
REQUIRED = inspect.Parameter.empty


class Loss:
    """Base class of every loss; subclass it to write your own.

    A user-defined loss gives its per-example value and its derivative; reduction, sample
    weights, input validation, ``grad``, ``value_and_grad`` and ``lossref.check_grad``
    come for free, and ``hess`` when it also gives its second derivative::

        import numpy as np
        import lossref as lr

        class Cauchy(lr.Loss):
            r"log(1 + (r / c)^2) with r = y_pred - y"
            name = "cauchy"
            formula = r"\\log\\left(1 + \\frac{(\\hat y - y)^2}{c^2}\\right)"

            def pointwise(self, y, y_pred, c=1.0):
                return np.log1p(((y_pred - y) / c) ** 2)

            def pointwise_grad(self, y, y_pred, c=1.0):
                r = y_pred - y
                return 2 * r / (c**2 + r**2)

            def pointwise_hess(self, y, y_pred, c=1.0):  # optional: gives cauchy.hess
                r = y_pred - y
                return 2 * (c**2 - r**2) / (c**2 + r**2) ** 2

        cauchy = Cauchy()
        cauchy([0.0, 1.0], [1.0, 1.0])            # mean loss
        lr.check_grad(cauchy, [0.0, 1.0], [0.5, 2.0], c=2.0)

    Keyword arguments of ``pointwise`` (after ``y`` and the prediction) are the loss's
    parameters; their defaults are the loss's defaults.
    """

    #: Name used in messages, repr and the registry.
    name: str | None = None
    #: Name of the prediction argument in messages ("y_pred", "probs", "logits", "scores").
    pred_name: str = "y_pred"
    #: Name of the target argument in messages and in the documented signature ("y", "relevance").
    target_name: str = "y"
    #: What the prediction is: "real", "probability", "logit" or "score".
    prediction: str = "real"
    #: True when an example is a whole row of the last axis (one loss per row).
    per_row: bool = False
    #: LaTeX of the pointwise loss, for user-defined losses (built-ins carry full ``info``).
    formula: str = ""
    #: The parameters of a built-in loss, each declared once with its default, doc and constraint
    #: (user losses may instead give them as keywords of ``pointwise``).
    parameters: tuple[Param, ...] | None = None
    #: False for a loss without a useful gradient (``zero_one``): ``grad`` raises and says why.
    has_gradient: bool = True
    #: True when NaN or inf in the prediction always makes the block's loss sum NaN or inf, so the
    #: driver can skip its explicit check (a hot-path saving); False checks every block.
    nonfinite_propagates: bool = False

    _info: LossInfo | None = None

    _param_defaults: dict = {}
    _bound: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._param_defaults = cls._declared_params()

    def __init__(self, **params):
        self._check_known(params)
        self._bound = dict(params)

    # ------------------------------------------------------------------ what a subclass gives
    def pointwise(self, y, pred, **params):
        """Per-example loss values (the shape of the prediction, or one per row)."""
        raise NotImplementedError(f"{type(self).__name__} must define pointwise(y, {self.pred_name})")

    def pointwise_grad(self, y, pred, **params):
        """Derivative of each example's loss with respect to the prediction (its shape)."""
        raise NotImplementedError(
            f"{type(self).__name__} must define pointwise_grad(y, {self.pred_name}) to have a gradient"
        )

    def pointwise_hess(self, y, pred, **params):
        """Second derivative of each example's loss in the prediction (optional).

        Element-wise losses return d^2 loss_i / d pred_i^2 with the prediction's shape; per-row
        losses return one (C, C) block per row, shape ``pred.shape + (C,)``.
        """
        raise NotImplementedError(f"{type(self).__name__} must define pointwise_hess(y, {self.pred_name})")

    # ------------------------------------------------------------------ public API
    def __call__(self, y, pred=NOT_GIVEN, /, *, reduction="mean", sample_weight=None, **params):
        """The loss: a scalar for "mean" and "sum", per-example values for "none".

        The prediction is the second positional argument, or the keyword that names what it is
        (``y_pred``, ``probs``, ``logits`` or ``scores``: see ``pred_name``).
        """
        pred, params = self._take_pred(pred, params)
        value, _ = self._evaluate(y, pred, reduction, sample_weight, params, want_grad=False)
        return value

    def grad(self, y, pred=NOT_GIVEN, /, *, reduction="mean", sample_weight=None, **params):
        """Gradient of the reduced loss with respect to the prediction (same shape, same dtype)."""
        pred, params = self._take_pred(pred, params)
        _, grad = self._evaluate(y, pred, reduction, sample_weight, params, want_grad=True)
        return grad

    def value_and_grad(self, y, pred=NOT_GIVEN, /, *, reduction="mean", sample_weight=None, **params):
        """``(value, grad)`` computed together, sharing the work."""
        pred, params = self._take_pred(pred, params)
        return self._evaluate(y, pred, reduction, sample_weight, params, want_grad=True)

    def hess(self, y, pred=NOT_GIVEN, /, *, reduction="mean", sample_weight=None, **params):
        r"""Second derivative of the reduced loss with respect to the prediction.

        * A loss whose value per example depends on one prediction entry (every element-wise
          loss) has a diagonal Hessian: ``hess`` returns its diagonal,
          $\partial^2 \hat R / \partial \hat y_i^2$, with the prediction's shape and dtype.
        * A loss with one example per row of the last axis (``per_row``) couples the entries of a
          row and nothing else: ``hess`` returns one $C \times C$ block per row, of shape
          ``pred.shape + (C,)``, symmetric (n C^2 numbers for n rows: mind the memory for many classes).

        Reductions and weights act as for ``grad``: "mean" divides by the sum of the weights,
        "sum" and "none" give the Hessian of the weighted sum. Where a loss is piecewise linear
        (mae, quantile, hinge, multiclass_hinge) the second derivative is 0 wherever it exists
        and undefined at the kinks; ``hess`` returns that almost-everywhere value, 0, at the kinks
        too. Where the gradient is continuous but has a corner (huber, smooth_l1, squared_hinge)
        each loss's docstring says which one-sided value is returned there. A user-defined loss has
        a Hessian when it defines ``pointwise_hess``.

        Examples
        --------
        >>> import lossref as lr
        >>> lr.logistic.hess([1, -1], [0.0, 2.0], reduction="none").round(4)   # sigma(s) (1 - sigma(s))
        array([0.25 , 0.105])
        >>> lr.cross_entropy.hess([0], [[0.0, 0.0]])                            # diag(p) - p p^T
        array([[[ 0.25, -0.25],
                [-0.25,  0.25]]])
        """
        pred, params = self._take_pred(pred, params)
        if not self._has_hess():
            raise NotImplementedError(
                f"{self._name()} has no second derivative: define pointwise_hess(y, {self.pred_name}) "
                f"(the second derivative of each example's loss; for a per-row loss one (C, C) block per row)"
            )
        return self._evaluate_hess(y, pred, reduction, sample_weight, params)

    def _take_pred(self, pred, params):
        """The prediction given positionally or by its name, e.g. ``logits=``."""
        if self.pred_name in params:
            if pred is not NOT_GIVEN:
                raise TypeError(f"{self._name()} got the prediction twice: positionally and as {self.pred_name}=")
            params = dict(params)
            pred = params.pop(self.pred_name)
        elif pred is NOT_GIVEN:
            raise TypeError(f"{self._name()} needs the prediction: {self._name()}(y, {self.pred_name})")
        return pred, params

    def bind(self, **params) -> "Loss":
        """A copy of this loss with different default parameters, e.g. ``lr.huber.bind(delta=2.0)``."""
        self._check_known(params)
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._bound = {**self._bound, **params}
        if self._info is not None:  # the metadata's defaults follow the binding
            bound = tuple(Param(p.name, clone._bound.get(p.name, p.default), p.doc, p.required and p.name not in clone._bound)
                          for p in self._info.params)
            clone._info = dataclasses.replace(self._info, params=bound)
        return clone

    @property
    def params(self) -> dict:
        """The current default parameters."""
        return {**self._param_defaults, **self._bound}

    @property
    def info(self) -> LossInfo:
        """Registry metadata (formula, gradient, properties, framework equivalents)."""
        if self._info is not None:
            return self._info
        return LossInfo(
            name=self._name(),
            title=self._name().replace("_", " ").capitalize(),
            family="custom",
            formula=self.formula,
            gradient="",
            prediction=self.prediction,
            target="",
            properties=Properties(False, False, False, False, False),
            minimizer="",
            when_to_use=(inspect.getdoc(type(self)) or "").split("\n")[0],
            per_row=self.per_row,
        )

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{k}={'<required>' if v is REQUIRED else repr(v)}" for k, v in self.params.items() if not isinstance(v, np.ndarray)
        )
        return f"<loss {self._name()}({shown})>"

    # ------------------------------------------------------------------ hooks for built-in losses
    @property
    def defaults(self) -> dict:
        """The declared defaults (``REQUIRED`` for a parameter that has none), before any ``bind``."""
        return dict(self._param_defaults)

    @classmethod
    def _declared_params(cls) -> dict:
        """Parameter defaults: ``parameters`` for built-ins, else the keywords of ``pointwise``."""
        if cls.parameters is not None:
            return {p.name: REQUIRED if p.required else p.default for p in cls.parameters}
        params = list(inspect.signature(cls.pointwise).parameters.values())[3:]  # after self, y, pred
        return {p.name: p.default for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}

    def _check_params(self, params: dict, pred: np.ndarray) -> dict:
        """Checks of parameters that depend on the inputs' shapes (after the declared constraints)."""
        return params

    def _prepare_target(self, y, pred: np.ndarray, params: dict) -> np.ndarray:
        """Read and check ``y`` against the prediction (whole-array checks)."""
        y = V.as_target(y, self.target_name, pred.dtype)
        if self.per_row:
            if y.shape != pred.shape and y.shape != pred.shape[:-1]:
                raise ValueError(
                    f"{self.target_name} must have shape {pred.shape[:-1]} or {pred.shape} to match {self.pred_name} "
                    f"{pred.shape}; got {y.shape}"
                )
        else:
            V.check_same_shape(y, pred, self.target_name, self.pred_name)
        return y

    def _aligned_params(self, y, pred, params) -> dict:
        """Array parameters with one entry per element of the prediction (sliced with it)."""
        return {}

    def _example_weight(self, y, pred, params, sample_weight):
        """Effective weight per example (class weights, ignored examples); None means all ones."""
        return sample_weight

    def _check_block(self, y, pred, start, params) -> None:
        """Value checks on one block of rows (domain of targets and predictions)."""

    def _grad_factor(self, params) -> float:
        """A constant that ``_forward`` leaves out of the gradient; applied with the reduction's scale."""
        return 1.0

    def _forward(self, y, pred, grad_out, *, each=True, **params):
        """Per-example losses of one block; fills ``grad_out`` with d loss_i / d pred when given.

        With ``each=False`` only the block's sum is used, and a built-in may return it directly.
        """
        loss = np.asarray(self.pointwise(y, pred, **params), dtype=pred.dtype)
        expected = pred.shape[:-1] if self.per_row else pred.shape
        if loss.shape != expected:
            raise ValueError(f"{type(self).__name__}.pointwise returned shape {loss.shape}; expected {expected}")
        if grad_out is not None:
            g = np.asarray(self.pointwise_grad(y, pred, **params), dtype=pred.dtype)
            if g.shape != pred.shape:
                raise ValueError(
                    f"{type(self).__name__}.pointwise_grad returned shape {g.shape}; expected {pred.shape} (the prediction's)"
                )
            grad_out[...] = g
        return loss

    def _has_hess(self) -> bool:
        """True when the loss has a second derivative (a built-in's ``_forward_hess`` or ``pointwise_hess``)."""
        cls = type(self)
        return cls._forward_hess is not Loss._forward_hess or cls.pointwise_hess is not Loss.pointwise_hess

    def _forward_hess(self, y, pred, **params):
        """Second derivative of each example's loss in one block (diagonal, or (C, C) blocks per row)."""
        h = np.asarray(self.pointwise_hess(y, pred, **params), dtype=pred.dtype)
        expected = pred.shape + pred.shape[-1:] if self.per_row else pred.shape
        if h.shape != expected:
            raise ValueError(f"{type(self).__name__}.pointwise_hess returned shape {h.shape}; expected {expected}")
        return h

    # ------------------------------------------------------------------ the driver
    def _name(self) -> str:
        return self.name or type(self).__name__.lower()

    def _check_known(self, params: dict) -> None:
        unknown = set(params) - set(self._param_defaults)
        if unknown:
            known = ", ".join(self._param_defaults) or "none"
            raise TypeError(
                f"{self._name()} got unexpected parameter(s) {', '.join(sorted(map(repr, unknown)))}; "
                f"its parameters are: {known}"
            )

    def _resolve(self, params: dict) -> dict:
        self._check_known(params)
        merged = {**self._param_defaults, **self._bound, **params}
        missing = [k for k, v in merged.items() if v is REQUIRED]
        if missing:
            raise TypeError(f"{self._name()} needs the parameter(s) {', '.join(missing)}")
        return merged

    def _prepare(self, y, pred, reduction, sample_weight, params):
        """Validate one call's whole-array inputs; shared by the value, the gradient and the Hessian.

        Returns ``(reduction, params, y, pred, scalar_shape, per_row, loss_shape, weight, aligned,
        divisor, nothing_to_average)``; the per-block checks run in the drivers below.
        """
        reduction = V.check_reduction(reduction)
        params = self._resolve(params)
        pred = V.as_prediction(pred, self.pred_name)
        scalar_shape = None
        if pred.ndim == 0:
            if self.per_row:
                raise ValueError(f"{self.pred_name} must have a class axis (shape (n, C)); got a scalar")
            scalar_shape = pred.shape
            pred = pred.reshape(1)
            y = np.reshape(np.asarray(y), (1,)) if np.ndim(y) == 0 else y
            if sample_weight is not None and np.ndim(sample_weight) == 0:
                sample_weight = np.reshape(np.asarray(sample_weight), (1,))
        if self.parameters:
            V.check_params(params, self.parameters)
        params = self._check_params(params, pred)
        y = self._prepare_target(y, pred, params)
        per_row = self._is_per_row(y, pred)
        loss_shape = pred.shape[:-1] if per_row else pred.shape
        if per_row and len(loss_shape) == 0:
            raise ValueError(f"{self.pred_name} must have shape (n, C) with a batch axis; got {pred.shape}")
        weight = V.check_sample_weight(sample_weight, loss_shape, pred.dtype)
        weight = self._example_weight(y, pred, params, weight)
        aligned = self._aligned_params(y, pred, params)

        if weight is None:
            total_weight = math.prod(loss_shape)
        else:  # a weight per row counts once for every element of that row's loss
            total_weight = float(np.sum(np.broadcast_to(weight, loss_shape), dtype=np.float64))
        # The mean divides by the total weight; computed as a division (not times 1/total) so that
        # tiny but valid weights (1e-310) do not overflow the reciprocal.
        divisor = total_weight if reduction == "mean" and total_weight > 0 else 1.0
        nothing_to_average = reduction == "mean" and total_weight == 0
        return (reduction, params, y, pred, scalar_shape, per_row, loss_shape, weight, aligned, divisor,
                nothing_to_average)

    def _evaluate(self, y, pred, reduction, sample_weight, params, want_grad):
        (reduction, params, y, pred, scalar_shape, per_row, loss_shape, weight, aligned, divisor,
         nothing_to_average) = self._prepare(y, pred, reduction, sample_weight, params)

        grad = np.empty_like(pred) if want_grad else None
        losses = np.empty(loss_shape, dtype=pred.dtype) if reduction == "none" else None
        # Only the block's total is needed when nothing weights or keeps the per-example losses.
        each = losses is not None or weight is not None
        grad_factor = 0.0 if nothing_to_average else self._grad_factor(params)
        # Without weights the divisor is the element count, so the combined factor is representable.
        grad_scale = pred.dtype.type(grad_factor / divisor) if weight is None else None
        check_pred = not self.nonfinite_propagates
        row_size = max(1, math.prod(pred.shape[1:]))
        step = max(1, BLOCK_ELEMENTS // row_size)

        def run_block(start, stop):
            y_b, pred_b, block_params = self._block(y, pred, start, stop, params, aligned, check_pred)
            grad_b = grad[start:stop] if want_grad else None
            with np.errstate(over="ignore"):  # an overflowing loss is reported below, by example
                loss_b = self._forward(y_b, pred_b, grad_b, each=each, **block_params)
            w_b = None if weight is None else weight[start:stop]
            if w_b is not None:
                loss_b = loss_b * w_b
            with np.errstate(over="ignore"):
                block_sum = loss_b.sum()  # pairwise summation, in the input's dtype (fast)
            if not np.isfinite(block_sum):  # large finite float32 losses can overflow their sum: redo in float64
                block_sum = np.sum(loss_b, dtype=np.float64)
            if not np.isfinite(block_sum):
                self._explain_nonfinite(y_b, pred_b, loss_b, start)
            if losses is not None:
                losses[start:stop] = loss_b
            if grad_b is not None:
                if w_b is None:
                    if grad_scale != 1:
                        grad_b *= grad_scale
                else:
                    factor = (w_b / divisor).astype(pred.dtype, copy=False) * pred.dtype.type(grad_factor)
                    grad_b *= factor[..., None] if per_row else factor
            return float(block_sum)

        # Block sums are added in block order whatever the number of threads: same result every time.
        total = math.fsum(map_blocks(run_block, pred.shape[0], step, pred.size))

        if losses is not None:
            value = losses.reshape(scalar_shape) if scalar_shape is not None else losses
        else:
            with np.errstate(over="ignore"):
                value = pred.dtype.type(total / divisor)
            if not np.isfinite(value):  # every loss fits the dtype, but their sum does not
                raise ValueError(
                    f"{self._name()} overflows {pred.dtype}: the {reduction} of the losses, {total / divisor:.4g}, "
                    f"is too large to represent; rescale the inputs, use reduction=\"mean\" or compute in float64"
                )
        if grad is not None and scalar_shape is not None:
            grad = grad.reshape(scalar_shape)
        return value, grad

    def _evaluate_hess(self, y, pred, reduction, sample_weight, params):
        """The driver of ``hess``: the same validation as ``_evaluate``, then block by block.

        A separate driver keeps the value and gradient path free of any Hessian work.
        """
        (reduction, params, y, pred, scalar_shape, per_row, _, weight, aligned, divisor,
         nothing_to_average) = self._prepare(y, pred, reduction, sample_weight, params)
        block_shape = pred.shape + pred.shape[-1:] if per_row else pred.shape
        hess = np.empty(block_shape, dtype=pred.dtype)
        if nothing_to_average:  # the mean of nothing is 0, and so are its derivatives
            hess[...] = 0
            return hess.reshape(scalar_shape) if scalar_shape is not None else hess
        row_size = max(1, math.prod(block_shape[1:]))
        step = max(1, BLOCK_ELEMENTS // row_size)
        check_pred = not self.nonfinite_propagates

        def run_block(start, stop):
            y_b, pred_b, block_params = self._block(y, pred, start, stop, params, aligned, check_pred)
            # The checks of the value's path, in its order: a loss whose NaN propagates is checked
            # there only once its sum is not finite (target first), here always.
            if y_b.dtype.kind == "f":
                V.check_finite(y_b, self.target_name, start)
            if not check_pred:
                V.check_finite(pred_b, self.pred_name, start)
            h_b = self._forward_hess(y_b, pred_b, **block_params)
            factor = None if weight is None else (weight[start:stop] / divisor).astype(pred.dtype, copy=False)
            if factor is None:
                if divisor != 1:
                    h_b = h_b / pred.dtype.type(divisor)
            else:
                h_b = h_b * (factor[..., None, None] if per_row else factor)
            hess[start:stop] = h_b
            return 0.0

        map_blocks(run_block, pred.shape[0], step, hess.size)
        return hess.reshape(scalar_shape) if scalar_shape is not None else hess

    def _block(self, y, pred, start, stop, params, aligned, check_pred):
        """Rows ``start:stop`` of the inputs, checked, with the parameters aligned to them."""
        y_b, pred_b = y[start:stop], pred[start:stop]
        if check_pred:
            V.check_finite(pred_b, self.pred_name, start)
        block_params = params
        if aligned:
            block_params = {**params, **{k: v[start:stop] for k, v in aligned.items()}}
        self._check_block(y_b, pred_b, start, block_params)
        return y_b, pred_b, block_params

    def _is_per_row(self, y, pred) -> bool:
        return self.per_row

    def _explain_nonfinite(self, y, pred, loss, start):
        """A block's sum is inf or NaN: name the input responsible, or report the overflow."""
        if y.dtype.kind == "f":
            V.check_finite(y, self.target_name, start)
        V.check_finite(pred, self.pred_name, start)
        where = ""
        if np.ndim(loss) > 0 and not np.isfinite(loss).all():
            where = f" at example {start + int(np.flatnonzero(~np.isfinite(loss))[0])}"
        raise ValueError(
            f"{self._name()} overflows {pred.dtype}{where}: the loss is too large to represent; rescale the inputs "
            f"or compute in float64"
        )
