"""The registry: one instance per built-in loss, with its metadata attached."""

from __future__ import annotations

from ._base import REQUIRED, Loss
from ._catalog import CATALOG
from ._classification import BCE, BCEWithLogits, CrossEntropy, Focal, KLDivergence
from ._info import FAMILIES, LossInfo, Param
from ._margin import Hinge, Logistic, MulticlassHinge, SquaredHinge, ZeroOne
from ._regression import MAE, MSE, GaussianNLL, Huber, LogCosh, PoissonNLL, Quantile, SmoothL1

__all__ = ["losses", "get"] + [
    "mse", "mae", "huber", "smooth_l1", "log_cosh", "quantile", "poisson_nll", "gaussian_nll",
    "bce", "bce_with_logits", "cross_entropy", "focal", "kl_divergence",
    "hinge", "squared_hinge", "logistic", "multiclass_hinge", "zero_one",
]


def _register(cls: type[Loss]) -> Loss:
    loss = cls()
    entry = dict(CATALOG[loss.name])
    param_docs = entry.pop("param_docs", {})
    missing_docs = set(loss.defaults) - set(param_docs)
    if missing_docs:  # a parameter without documentation is a bug in the catalog
        raise RuntimeError(f"catalog entry {loss.name!r} does not document {sorted(missing_docs)}")
    params = tuple(Param(k, None if v is REQUIRED else v, param_docs[k], required=v is REQUIRED)
                   for k, v in loss.defaults.items())
    loss._info = LossInfo(
        name=loss.name,
        prediction=loss.prediction,
        params=params,
        per_row=loss.per_row,
        has_gradient=loss.name != "zero_one",
        **entry,
    )
    return loss


mse = _register(MSE)
mae = _register(MAE)
huber = _register(Huber)
smooth_l1 = _register(SmoothL1)
log_cosh = _register(LogCosh)
quantile = _register(Quantile)
poisson_nll = _register(PoissonNLL)
gaussian_nll = _register(GaussianNLL)
bce = _register(BCE)
bce_with_logits = _register(BCEWithLogits)
cross_entropy = _register(CrossEntropy)
focal = _register(Focal)
kl_divergence = _register(KLDivergence)
hinge = _register(Hinge)
squared_hinge = _register(SquaredHinge)
logistic = _register(Logistic)
multiclass_hinge = _register(MulticlassHinge)
zero_one = _register(ZeroOne)

_ALL = {loss.name: loss for loss in (
    mse, mae, huber, smooth_l1, log_cosh, quantile, poisson_nll, gaussian_nll,
    bce, bce_with_logits, cross_entropy, focal, kl_divergence,
    hinge, squared_hinge, logistic, multiclass_hinge, zero_one,
)}


def losses(family: str | None = None) -> list[Loss]:
    """Every built-in loss, in reference order; ``family`` filters ("regression", "probabilistic", "margin").

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
