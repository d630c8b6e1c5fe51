"""Input checks for every loss, in one place.

Each check raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong
value) with a message that names the argument, says what was expected and shows what came.
The loss code calls these helpers and never formats an error message itself.

A loss declares each parameter once (``lossref._info.Param``) with one of the constraints
below (``Flag``, ``Real``, ``Integer``, ``OneOf``, ``Optional``); ``check_params`` applies them
all, so a loss class only checks what depends on the shapes of its inputs (class weights,
per-element arrays: ``check_class_weight``, ``broadcast_param``).
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_prediction",
    "as_target",
    "as_labels",
    "check_reduction",
    "check_same_shape",
    "check_sample_weight",
    "check_class_weight",
    "check_finite",
    "check_in_interval",
    "check_pm1_labels",
    "check_nonnegative",
    "check_at_most",
    "check_prob_rows",
    "check_class_range",
    "check_scalar",
    "check_choice",
    "check_flag",
    "check_ndim",
    "as_lengths",
    "check_not_blank",
    "check_alignable",
    "check_ndim_in",
    "check_leading",
    "check_same_width",
    "check_mask",
    "broadcast_param",
    "check_overlap_denominator",
    "check_boxes",
    "check_params",
    "wrong_shape",
    "no_derivative",
    "Flag",
    "Real",
    "Integer",
    "OneOf",
    "Optional",
    "REDUCTIONS",
]

REDUCTIONS = ("mean", "sum", "none")
FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _where(flat_index: int, shape: tuple[int, ...], start: int = 0) -> str:
    """Position of ``flat_index`` in an array of ``shape`` that is rows ``start:`` of a bigger one."""
    if len(shape) <= 1:
        return f"index {start + flat_index}"
    coords = [int(i) for i in np.unravel_index(flat_index, shape)]
    coords[0] += start
    return f"index {tuple(coords)}"


def _show(value) -> str:
    return np.format_float_positional(value, trim="-") if isinstance(value, np.floating) else repr(
        value.item() if isinstance(value, np.generic) else value
    )


def as_prediction(value, name: str) -> np.ndarray:
    """The prediction as a float32 or float64 array (dtype in is dtype out).

    Python numbers and lists carry no dtype, so they become float64. A NumPy array must
    already be floating point: an integer array would make the gradient's dtype a guess.
    """
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
    else:
        if value is None:
            raise TypeError(f"{name} is None; expected an array of floats")
        try:
            arr = np.asarray(value)
        except ValueError as exc:  # ragged lists
            raise ValueError(f"{name} could not be read as an array ({exc}); expected a rectangular array of floats") from None
        if arr.dtype.kind in "iu":
            arr = arr.astype(np.float64)
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} holds booleans; expected float32 or float64 numbers")
    if arr.dtype.kind in "iu":
        raise TypeError(
            f"{name} has integer dtype {arr.dtype}; expected float32 or float64 "
            f"(convert with np.asarray({name}, dtype=np.float64))"
        )
    if arr.dtype.kind == "f" and arr.dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name} has dtype {arr.dtype}; expected float32 or float64")
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected an array of float32 or float64 numbers")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); expected at least one example")
    return arr


def as_target(value, name: str, dtype: np.dtype) -> np.ndarray:
    """A real-valued target cast to the prediction's dtype."""
    if value is None:
        raise TypeError(f"{name} is None; expected an array of numbers")
    try:
        arr = np.asarray(value)
    except ValueError as exc:
        raise ValueError(f"{name} could not be read as an array ({exc}); expected a rectangular array of numbers") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected numbers")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); expected at least one example")
    return arr.astype(dtype, copy=False)


def as_labels(value, name: str) -> np.ndarray:
    """Integer class labels (0-indexed)."""
    arr = np.asarray(value)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iu":
        raise TypeError(
            f"{name} has dtype {arr.dtype}; expected integer class labels"
            + (" (convert with np.asarray(y).astype(int) if they are whole numbers)" if arr.dtype.kind == "f" else "")
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); expected at least one example")
    return arr


def check_reduction(reduction) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of 'mean', 'sum' or 'none'; got {reduction!r}")
    return reduction


def check_same_shape(y: np.ndarray, pred: np.ndarray, y_name: str, pred_name: str) -> None:
    if y.shape != pred.shape:
        raise ValueError(
            f"{y_name} and {pred_name} must have the same shape; got {y_name} {y.shape} and {pred_name} {pred.shape}"
        )


def check_finite(arr: np.ndarray, name: str, start: int = 0) -> None:
    """Raise if ``arr`` holds NaN or infinity; ``start`` locates a block of rows in the whole array."""
    if np.isfinite(arr.min()) and np.isfinite(arr.max()):  # fast path: NaN and inf show in min or max
        return
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "NaN" if np.isnan(arr.flat[i]) else "an infinity"
        raise ValueError(
            f"{name} contains {what} at {_where(i, arr.shape, start)}; expected finite numbers"
        )


_UNSIGNED_VIEW = {np.dtype(np.float32): np.dtype(np.uint32), np.dtype(np.float64): np.dtype(np.uint64)}


def check_in_interval(arr: np.ndarray, name: str, low: float, high: float, what: str, start=0) -> None:
    """Raise unless every value of ``arr`` lies in ``[low, high]`` (NaN and infinity named as such)."""
    if low == 0 and high > 0 and arr.dtype in _UNSIGNED_VIEW:
        # One pass instead of two: a float whose sign bit is clear has a bit pattern that, read as an
        # unsigned integer, is ordered as the number; negative numbers (sign bit set), NaN and inf
        # all read as larger than high's pattern. So max(bits) <= bits(high) means 0 <= x <= high.
        # (-0.0 reads as large too: it falls through to the exact check, which accepts it.)
        unsigned = _UNSIGNED_VIEW[arr.dtype]
        if arr.size == 0 or arr.view(unsigned).max() <= np.array(high, arr.dtype).view(unsigned):
            return
    if arr.min() >= low and arr.max() <= high:  # fast path: two reductions, no temporaries
        return
    if arr.dtype.kind == "f":
        check_finite(arr, name, start)
    bad = (arr < low) | (arr > high)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must hold {what} in [{low:g}, {high:g}]; got {_show(arr.flat[i])} at "
            f"{_where(i, arr.shape, start)}"
        )


def check_at_most(arr: np.ndarray, name: str, high: float, what: str, start=0) -> None:
    if arr.max() <= high:
        return
    i = int(np.flatnonzero(arr > high)[0])
    raise ValueError(f"{name} must hold {what}, at most {high:.6g}; got {_show(arr.flat[i])} at {_where(i, arr.shape, start)}")


def check_nonnegative(arr: np.ndarray, name: str, what: str, start=0, when: str = "") -> None:
    bad = arr < 0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must hold {what} (>= 0){when}; got {_show(arr.flat[i])} at {_where(i, arr.shape, start)}"
        )


def check_pm1_labels(y: np.ndarray, name: str, loss_name: str, start=0) -> None:
    """Margin losses take labels in {-1, +1}; a {0, 1} encoding gets the conversion."""
    bad = (y != 1) & (y != -1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        value = y.flat[i]
        hint = ""
        if np.all((y == 0) | (y == 1)):
            hint = "; these look like {0, 1} labels: convert them with y = 2 * y - 1"
        raise ValueError(
            f"{name} must hold labels in {{-1, +1}} for {loss_name}; got {_show(value)} at "
            f"{_where(i, y.shape, start)}{hint}"
        )


def check_prob_rows(y: np.ndarray, name: str, start=0) -> None:
    """Soft targets: each row a probability distribution over the last axis."""
    check_in_interval(y, name, 0.0, 1.0, "probabilities", start)
    sums = y.sum(axis=-1, dtype=np.float64)
    # Rounding of a normalised row grows slowly with its length; a row summing to 0.9 or 2 is a bug.
    tol = max(1e-6, np.sqrt(np.finfo(y.dtype).eps) * np.log2(max(2, y.shape[-1])))
    bad = np.abs(sums - 1.0) > tol
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must hold probability rows that sum to 1 along the last axis; the row at "
            f"{_where(i, sums.shape, start)} sums to {sums.flat[i]:.6g}"
        )


def check_class_range(labels: np.ndarray, name: str, n_classes: int, ignore_index=None, start=0) -> None:
    bad = (labels < 0) | (labels >= n_classes)
    if ignore_index is not None:
        bad &= labels != ignore_index
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        value = int(labels.flat[i])
        hint = ""
        if value == n_classes and labels.min() >= 1:
            hint = " (labels look 1-indexed: subtract 1)"
        raise ValueError(
            f"{name} holds class {value} at {_where(i, labels.shape, start)}; expected labels in "
            f"[0, {n_classes}) since there are {n_classes} classes (0-indexed){hint}"
        )


def check_sample_weight(sample_weight, loss_shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray | None:
    """Weights per example: shape ``(n,)`` (one per row) or the per-example loss shape."""
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight)
    if w.dtype.kind not in "biuf" or w.dtype.kind == "b":
        raise TypeError(f"sample_weight has dtype {w.dtype}; expected non-negative numbers")
    w = w.astype(dtype, copy=False)
    if w.shape != loss_shape and w.shape != loss_shape[:1]:
        expected = f"{loss_shape[:1]} or {loss_shape}" if len(loss_shape) > 1 else f"{loss_shape}"
        raise ValueError(f"sample_weight must have shape {expected} (one weight per example); got {w.shape}")
    check_finite(w, "sample_weight")
    check_nonnegative(w, "sample_weight", "non-negative weights")
    if w.shape != loss_shape:
        w = w.reshape(w.shape + (1,) * (len(loss_shape) - 1))
    return w


def check_class_weight(class_weight, n_classes: int, dtype: np.dtype) -> np.ndarray | None:
    if class_weight is None:
        return None
    w = np.asarray(class_weight)
    if w.dtype.kind not in "iuf":
        raise TypeError(f"class_weight has dtype {w.dtype}; expected non-negative numbers, one per class")
    w = w.astype(dtype, copy=False)
    if w.shape != (n_classes,):
        raise ValueError(f"class_weight must have shape ({n_classes},), one weight per class; got {w.shape}")
    check_finite(w, "class_weight")
    check_nonnegative(w, "class_weight", "non-negative weights")
    return w


def check_scalar(value, name: str, *, low=None, high=None, low_open=False, high_open=False, integer=False):
    """A real (or integer) parameter inside an interval."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(f"{name} must be {'an integer' if integer else 'a real number'}; got {value!r}")
    if not integer and not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    ok = True
    if low is not None:
        ok &= value > low if low_open else value >= low
    if high is not None:
        ok &= value < high if high_open else value <= high
    if not ok:
        lo = "(-inf" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + (")" if high_open else "]")
        raise ValueError(f"{name} must be in {lo}, {hi}; got {value!r}")
    return value


def check_choice(value, name: str, choices) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}")
    return value


def wrong_shape(name: str, expected: str, shape: tuple[int, ...]) -> ValueError:
    """The error for an input of the wrong shape: ``raise V.wrong_shape("y", "hold ... of shape (3,)", y.shape)``."""
    return ValueError(f"{name} must {expected}; got shape {shape}")


def no_derivative(loss: str, order: str, why: str, instead: str) -> TypeError:
    """The error of ``grad`` or ``hess`` for a loss that has no useful derivative (the 0-1 loss)."""
    return TypeError(f"{loss} has no {order}: {why}; {instead}")


def check_flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_ndim(arr: np.ndarray, name: str, ndim: int, layout: str, *, at_least: bool = True) -> None:
    """``arr`` has ``ndim`` axes (at least, by default); ``layout`` names them, e.g. "(n, C), classes on the last axis"."""
    if arr.ndim < ndim or (not at_least and arr.ndim != ndim):
        raise ValueError(f"{name} must have shape {layout}; got shape {arr.shape}")


def check_ndim_in(arr: np.ndarray, name: str, ndims: tuple[int, ...], layout: str) -> None:
    """``arr`` has one of the numbers of axes ``ndims``; ``layout`` names them, e.g. "(N, D) or (D,)"."""
    if arr.ndim not in ndims:
        raise ValueError(f"{name} must have shape {layout}; got shape {arr.shape}")


def check_leading(arr: np.ndarray, name: str, n: int, other: str) -> None:
    """``arr`` has ``n`` entries on its first axis, one per row of ``other``."""
    if arr.shape[:1] != (n,):
        raise ValueError(f"{name} must have shape ({n},), one entry per row of {other}; got shape {arr.shape}")


def check_same_width(arr: np.ndarray, name: str, d: int, other: str) -> None:
    """``arr``'s rows have ``d`` entries, as ``other``'s do."""
    if arr.shape[-1] != d:
        raise ValueError(f"{name} must have {d} columns, as {other} has; got shape {arr.shape}")


def check_mask(mask, name: str, shape: tuple[int, ...], against: str) -> np.ndarray:
    """A boolean array with one entry per element of the prediction ``against`` (True: the element counts)."""
    arr = np.asarray(mask)
    if arr.dtype.kind != "b":
        raise TypeError(
            f"{name} has dtype {arr.dtype}; expected booleans (True for a valid item), one per element of {against}"
        )
    if arr.shape != shape:
        raise ValueError(f"{name} must have the shape of {against} {shape}; got {arr.shape}")
    return arr


def broadcast_param(value, name: str, shape: tuple[int, ...], dtype: np.dtype, against: str, what: str) -> np.ndarray:
    """An array parameter (a scalar, or one value per element of the prediction ``against``) as a
    read-only view of ``shape`` in ``dtype``, finite and non-negative; ``what`` names its values."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf" or arr.dtype.kind == "b":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected non-negative numbers")
    try:
        arr = np.broadcast_to(arr.astype(dtype, copy=False), shape)  # a view: no copy
    except ValueError:
        raise ValueError(f"{name} must be a scalar or broadcast to {against} {shape}; got shape {np.shape(value)}") from None
    check_finite(arr, name)
    check_nonnegative(arr, name, what)
    return arr


def check_overlap_denominator(den: np.ndarray, loss_name: str, what_zero: str) -> None:
    """An overlap loss with ``smooth=0`` is 0/0 where its denominator is 0 (an empty mask predicted empty)."""
    bad = den <= 0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{loss_name} with smooth=0 is 0/0 at {_where(i, den.shape)}: {what_zero}; "
            f"give smooth > 0 (an empty mask predicted empty then costs 0)"
        )


def check_boxes(boxes: np.ndarray, name: str, *, positive: bool = False) -> None:
    """Boxes as rows ``(x1, y1, x2, y2)`` with ``x2 >= x1`` and ``y2 >= y1`` (``>`` when ``positive``)."""
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"{name} must have shape (n, 4), one box (x1, y1, x2, y2) per row; got shape {boxes.shape}")
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    bad = (w <= 0) | (h <= 0) if positive else (w < 0) | (h < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        x1, y1, x2, y2 = (_show(c) for c in boxes[i])
        need = "x2 > x1 and y2 > y1 (a box with positive width and height)" if positive else "x2 >= x1 and y2 >= y1"
        raise ValueError(f"{name} must hold boxes (x1, y1, x2, y2) with {need}; got ({x1}, {y1}, {x2}, {y2}) at row {i}")


# ---------------------------------------------------------------------------- declared constraints
class Flag:
    """True or False."""

    def check(self, value, name):
        return check_flag(value, name)

    def __repr__(self):
        return "Flag()"


class Real:
    """A real number in an interval (closed unless ``low_open`` / ``high_open``)."""

    integer = False

    def __init__(self, low=None, high=None, *, low_open=False, high_open=False):
        self.low, self.high, self.low_open, self.high_open = low, high, low_open, high_open

    def check(self, value, name):
        return check_scalar(value, name, low=self.low, high=self.high, low_open=self.low_open,
                            high_open=self.high_open, integer=self.integer)

    def __repr__(self):
        return f"{type(self).__name__}(low={self.low!r}, high={self.high!r})"


class Integer(Real):
    """An integer in an interval."""

    integer = True


class OneOf:
    """One of a few named options."""

    def __init__(self, *choices):
        self.choices = choices

    def check(self, value, name):
        return check_choice(value, name, self.choices)

    def __repr__(self):
        return f"OneOf{self.choices!r}"


class Optional:
    """None, or a value that passes ``inner``."""

    def __init__(self, inner):
        self.inner = inner

    def check(self, value, name):
        return None if value is None else self.inner.check(value, name)

    def __repr__(self):
        return f"Optional({self.inner!r})"


def check_params(params: dict, declared) -> None:
    """Apply each declared parameter's constraint (``Param.constraint``; None: the loss checks it)."""
    for p in declared:
        if p.constraint is not None and p.name in params:
            p.constraint.check(params[p.name], p.name)


# ---------------------------------------------------------------------------- sequences (ctc)
def as_lengths(value, name: str, n: int, high: int, what: str) -> np.ndarray:
    """One integer length per sequence, shape ``(n,)``, each in ``[0, high]``; ``what`` names the axis."""
    arr = np.asarray(value)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iu":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected integer lengths, one per sequence")
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), one length per sequence; got shape {arr.shape}")
    bad = (arr < 0) | (arr > high)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must hold lengths in [0, {high}] (the {what}); got {int(arr[i])} for sequence {i}"
        )
    return arr.astype(np.intp, copy=False)


def check_not_blank(labels: np.ndarray, valid: np.ndarray, name: str, blank: int) -> None:
    """No label inside a target's length is the blank (the blank is not a symbol of the target)."""
    bad = valid & (labels == blank)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} holds the blank label {blank} at {_where(i, labels.shape)}, inside the target's length; "
            f"targets cannot contain the blank (shorten target_lengths, or choose another blank)"
        )


def check_alignable(input_lengths: np.ndarray, needed: np.ndarray, target_lengths: np.ndarray,
                    name: str = "targets") -> None:
    """Every target fits its input: ``T_n >= S_n + repeats_n`` (a blank between repeated labels)."""
    bad = input_lengths < needed
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        repeats = int(needed[i] - target_lengths[i])
        raise ValueError(
            f"{name} sequence {i} cannot be aligned to its input: a target of length {int(target_lengths[i])} "
            f"with {repeats} repeated neighbour(s) needs at least {int(needed[i])} time steps, and its input has "
            f"{int(input_lengths[i])} (its probability is 0 and the loss infinite; pass zero_infinity=True to "
            f"give such sequences loss 0 and no gradient)"
        )
