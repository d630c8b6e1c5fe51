"""The registry: one instance per built-in loss, with its metadata attached.

Each name in ``lossref._losses.NAMES`` is a module holding one ``Loss`` subclass whose ``name``
is the module's name, and its catalogue ``ENTRY``; the registry joins the two into ``loss.info``.
"""

from __future__ import annotations

import dataclasses
import importlib

from ._base import Loss
from ._info import FAMILIES, LossInfo, Param
from ._losses import NAMES

# The loss instances are module attributes too (one per name in NAMES), reached through lossref's lazy exports.
__all__ = ["losses", "get"]


def _loss_class(module) -> type[Loss]:
    name = module.__name__.rsplit(".", 1)[1]
    found = [v for v in vars(module).values()
             if isinstance(v, type) and issubclass(v, Loss) and v.__module__ == module.__name__ and v.name == name]
    if len(found) != 1:
        raise RuntimeError(
            f"{module.__name__} must define exactly one Loss subclass with name = {name!r}; found {len(found)}"
        )
    return found[0]


def _register(name: str) -> Loss:
    module = importlib.import_module(f"._losses.{name}", __package__)
    cls = _loss_class(module)
    entry = getattr(module, "ENTRY", None)
    if entry is None:
        raise RuntimeError(f"{module.__name__} has no ENTRY (its catalogue entry, a lossref._info.Entry)")
    if entry.family not in FAMILIES:
        raise RuntimeError(f"{module.__name__}: family {entry.family!r} is not one of {', '.join(FAMILIES)}")
    params = tuple(cls.parameters or ())
    undocumented = [p.name for p in params if not p.doc.strip()]
    if undocumented:
        raise RuntimeError(f"{module.__name__}: parameter(s) {', '.join(undocumented)} have no doc")
    loss = cls()
    loss._info = LossInfo(
        name=name,
        prediction=cls.prediction,
        params=tuple(Param(p.name, p.default, p.doc, p.required, p.constraint) for p in params),
        per_row=cls.per_row,
        has_gradient=cls.has_gradient,
        inputs=tuple(i.name for i in getattr(cls, "inputs", ())),
        **{f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)},
    )
    return loss


_ALL = {name: _register(name) for name in NAMES}
globals().update(_ALL)


def losses(family: str | None = None) -> list[Loss]:
    """Every built-in loss, in reference order; ``family`` filters (a key of ``lossref.FAMILIES``).

    Examples
    --------
    >>> import lossref as lr
    >>> " ".join(loss.name for loss in lr.losses("margin"))
    'hinge squared_hinge logistic multiclass_hinge zero_one'
    """
    if family is not None and family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(map(repr, FAMILIES))}; got {family!r}")
    return [loss for loss in _ALL.values() if family is None or loss.info.family == family]


def get(name: str) -> Loss:
    """The built-in loss called ``name``."""
    try:
        return _ALL[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; known losses: {', '.join(_ALL)}") from None
