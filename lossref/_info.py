"""Registry metadata: what the site's tables and framework tabs are generated from."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

__all__ = ["LossInfo", "Param", "Properties", "Equivalent", "PREDICTION_KINDS", "FAMILIES", "FRAMEWORKS"]

#: What the prediction argument holds.
PREDICTION_KINDS = {
    "real": "a real value (y_pred)",
    "probability": "a probability in [0, 1] (probs)",
    "logit": "a logit, an unnormalised log-probability (logits)",
    "score": "a real-valued score whose sign is the decision (scores)",
}

FAMILIES = {
    "regression": "Regression",
    "probabilistic": "Probabilistic classification",
    "margin": "Margin",
    "custom": "Custom",
}

FRAMEWORKS = ("PyTorch", "Keras 3", "optax", "scikit-learn")


@dataclass(frozen=True)
class Param:
    """A keyword parameter of a loss; ``required`` ones have no default (``default`` is None)."""

    name: str
    default: object
    doc: str
    required: bool = False


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

    def equivalent(self, framework: str) -> Equivalent | None:
        for eq in self.equivalents:
            if eq.framework == framework:
                return eq
        return None
