"""lossref: loss functions with their values, analytic gradients and metadata.

Examples
--------
>>> import lossref as lr
>>> lr.mse([2.0, 3.0], [1.0, 2.0], half=True)
np.float64(0.5)

Every loss is an object: ``loss(y, pred)`` gives the (mean) loss, ``loss.grad`` its gradient
with respect to the prediction, ``loss.value_and_grad`` both, ``loss.info`` its metadata.
Argument order is target first, prediction second.

The package imports NumPy lazily, on first use of a loss, so that ``lossref.practice`` (pure
Python) can be imported where NumPy is not available.
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._losses import NAMES as _LOSSES  # no NumPy: the names of the built-in losses, in order

_EXPORTS = {
    **{name: "._registry" for name in _LOSSES},
    "losses": "._registry",
    "get": "._registry",
    "Loss": "._base",
    "LossInfo": "._info",
    "Properties": "._info",
    "Equivalent": "._info",
    "Param": "._info",
    "Input": "._info",
    "Entry": "._info",
    "StructuredLoss": "._structured",
    "PREDICTION_KINDS": "._info",
    "FAMILIES": "._info",
    "FRAMEWORKS": "._info",
    "combine": "._combine",
    "Combined": "._combine",
    "check_grad": "._gradcheck",
    "GradCheck": "._gradcheck",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lossref' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
