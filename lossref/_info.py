"""Registry metadata: what the site's tables and framework tabs are generated from."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

__all__ = ["LossInfo", "Entry", "Param", "Input", "Properties", "Equivalent", "PREDICTION_KINDS", "FAMILIES", "FRAMEWORKS"]

#: What the prediction argument holds.
PREDICTION_KINDS = {
    "real": "a real value (y_pred)",
    "probability": "a probability in [0, 1] (probs)",
    "logit": "a logit, an unnormalised log-probability (logits)",
    "score": "a real-valued score whose sign is the decision (scores)",
    "log_probability": "a log-probability per class (log_probs)",
    "embedding": "an embedding vector per example, compared by distance or angle",
    "box": "a box (x1, y1, x2, y2) per example (boxes)",
}

FAMILIES = {
    "regression": "Regression",
    "probabilistic": "Probabilistic classification",
    "margin": "Margin",
    "sequence": "Sequences",
    "ranking": "Ranking",
    "metric": "Metric learning and contrastive",
    "segmentation": "Segmentation and detection",
    "custom": "Custom",
}

FRAMEWORKS = ("PyTorch", "Keras 3", "optax", "scikit-learn")


@dataclass(frozen=True)
class Param:
    """A keyword parameter of a loss, declared once: its default, its doc and its constraint.

    Validation (``constraint.check``), the signature shown by ``help`` and the reference page's
    parameter table all read this one declaration. ``required`` parameters have no default
    (``default`` is None). ``constraint`` is one of the checks in ``lossref._validation``
    (``Flag()``, ``Real(low=0)``, ``OneOf(...)``, ...) or None when the loss checks the value
    itself against the shapes of its inputs (class weights, per-element arrays).
    """

    name: str
    default: object
    doc: str
    required: bool = False
    constraint: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Input:
    """An array argument of a loss with several of them (a target, or a prediction it differentiates).

    ``kind`` is "prediction" (float32/float64, gets a gradient), "target" (real numbers, cast to
    the predictions' dtype), "labels" (integer class labels) or "pm1" (labels in {-1, +1}).
    An ``optional`` input defaults to None. ``interval``, ``(low, high, what)``, declares the
    values a float input must hold (``probs`` of a mask: ``(0.0, 1.0, "probabilities")``); one
    check then covers both the range and finiteness.
    """

    name: str
    kind: str = "prediction"
    optional: bool = False
    interval: tuple[float, float, str] | None = None


@dataclass(frozen=True)
class Properties:
    """Yes/no facts that comparison tables show as columns.

    ``convex`` is convexity in the prediction argument the loss takes (for losses on logits,
    in the logits). ``calibrated`` means the population minimiser gives the true conditional
    probability (a proper scoring rule, possibly after a fixed link such as the sigmoid).
    ``bounded_gradient`` means |dL/dprediction| has a finite bound over all inputs.
    ``robust_to_outliers`` means one wild example has bounded influence on the fit: for
    regression, a bounded gradient in the residual (Huber's influence function); for
    classification, a bounded loss, so that a single mislabelled example cannot outweigh the
    rest (only the 0-1 loss has it here; cross-entropy and hinge grow without bound).
    """

    convex: bool
    differentiable_everywhere: bool
    bounded_gradient: bool
    robust_to_outliers: bool
    calibrated: bool

    LABELS = {
        "convex": "Convex",
        "differentiable_everywhere": "Differentiable everywhere",
        "bounded_gradient": "Bounded gradient",
        "robust_to_outliers": "Robust to outliers",
        "calibrated": "Calibrated probabilities",
    }

    def items(self):
        """``(label, value)`` pairs in table order."""
        return [(self.LABELS[f.name], getattr(self, f.name)) for f in fields(self) if f.name in self.LABELS]


@dataclass(frozen=True)
class Equivalent:
    """The matching call in another library, and how its convention differs.

    ``call`` is code a user can paste (with ``y`` the target and the prediction named as in
    lossref). ``same`` is True when the call gives lossref's numbers exactly for the default
    parameters; otherwise ``difference`` says what differs and how to convert.
    """

    framework: str
    call: str
    same: bool
    difference: str = ""


@dataclass(frozen=True)
class LossInfo:
    """Everything the site and the tests know about a loss, typed once."""

    name: str
    title: str
    family: str
    formula: str  # LaTeX of the pointwise loss
    gradient: str  # LaTeX of its derivative in the prediction
    prediction: str  # a key of PREDICTION_KINDS
    target: str  # what y holds, in words
    properties: Properties
    minimizer: str  # what the population minimiser is
    when_to_use: str
    # LaTeX of the second derivative in the prediction (a (C, C) block per row for per-row losses),
    # with a note where it is 0 almost everywhere or undefined at a kink
    second_derivative: str = ""
    params: tuple[Param, ...] = ()
    equivalents: tuple[Equivalent, ...] = ()
    notes: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    has_gradient: bool = True
    per_row: bool = False  # True when one example is a row of the last axis (classes)
    aliases: tuple[str, ...] = field(default=())
    page: str = ""  # where the site documents it, relative to docs/losses/ ("huber.md#huber-loss")
    inputs: tuple[str, ...] = ()  # the array arguments in order, for losses with more than (y, prediction)

    def equivalent(self, framework: str) -> Equivalent | None:
        for eq in self.equivalents:
            if eq.framework == framework:
                return eq
        return None


@dataclass(frozen=True)
class Entry:
    """A built-in loss's catalogue entry, written in its module beside the class.

    The registry joins it with what the class itself declares (name, prediction kind,
    parameters, inputs) into the ``LossInfo`` that ``loss.info`` returns.

    An equivalent is ``same=True`` only when its ``call`` returns lossref's number for lossref's
    default parameters with ``reduction="mean"`` and no weights; otherwise ``difference`` says what
    differs and how to convert. Calls use lossref's argument names.
    """

    title: str
    family: str  # a key of FAMILIES
    page: str  # relative to docs/losses/, with the section's anchor on a shared page
    formula: str  # LaTeX of the per-example loss
    gradient: str  # LaTeX of its derivative in the prediction(s)
    target: str  # what the target holds, in words
    properties: Properties
    minimizer: str
    when_to_use: str
    second_derivative: str = ""
    equivalents: tuple[Equivalent, ...] = ()  # PyTorch, Keras 3, optax, scikit-learn, in that order
    notes: tuple[str, ...] = ()  # pitfalls
    references: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
