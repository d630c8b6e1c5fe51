"""Metadata of the built-in losses: the single source of the site's tables and framework tabs."""

from __future__ import annotations

from ._info import Equivalent as Eq
from ._info import Properties as P

__all__ = ["CATALOG"]

CATALOG: dict[str, dict] = {
    "mse": dict(
        title="Mean squared error",
        family="regression",
        formula=r"L(y, \hat y) = (\hat y - y)^2 \quad\text{or}\quad \tfrac12(\hat y - y)^2 \text{ with half=True}",
        gradient=r"\frac{\partial L}{\partial \hat y} = 2(\hat y - y) \quad\text{or}\quad \hat y - y",
        target="real values",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                     robust_to_outliers=False, calibrated=False),
        minimizer=r"the conditional mean E[y | x]",
        when_to_use="Regression with roughly Gaussian noise, when large errors should cost much more than small ones.",
        param_docs={"half": "Multiply by 1/2 so that the gradient is the residual (the textbook convention)."},
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.mse_loss(y_pred, y)", True,
               "No 1/2: equals lossref with half=False. Argument order is (input, target)."),
            Eq("Keras 3", "keras.losses.MeanSquaredError()(y, y_pred)", True,
               "With sample_weight Keras divides by the number of examples, not by the sum of weights."),
            Eq("optax", "optax.losses.squared_error(y_pred, y).mean()", True,
               "Returns per-element values; optax.l2_loss is the 1/2 version (half=True)."),
            Eq("scikit-learn", "sklearn.metrics.mean_squared_error(y, y_pred)", True,
               "A metric (no gradient); with sample_weight it is the weighted mean, as in lossref."),
        ),
        references=("https://en.wikipedia.org/wiki/Mean_squared_error",),
    ),
}

_PLACEHOLDER_FAMILY = {
    "mae": "regression", "huber": "regression", "smooth_l1": "regression", "log_cosh": "regression",
    "quantile": "regression", "poisson_nll": "regression", "gaussian_nll": "regression",
    "bce": "probabilistic", "bce_with_logits": "probabilistic", "cross_entropy": "probabilistic",
    "focal": "probabilistic", "kl_divergence": "probabilistic",
    "hinge": "margin", "squared_hinge": "margin", "logistic": "margin", "multiclass_hinge": "margin",
    "zero_one": "margin",
}
_PARAMS = {
    "huber": ["delta"], "smooth_l1": ["beta"], "quantile": ["tau"], "poisson_nll": ["log_input", "full", "eps"],
    "gaussian_nll": ["var", "full", "eps"], "bce": ["class_weight"], "bce_with_logits": ["pos_weight", "class_weight"],
    "cross_entropy": ["class_weight", "label_smoothing", "ignore_index"], "focal": ["gamma", "alpha", "class_weight"],
    "kl_divergence": ["class_weight"], "hinge": ["class_weight"], "squared_hinge": ["class_weight"],
    "logistic": ["class_weight"], "multiclass_hinge": ["variant", "margin", "class_weight"], "zero_one": ["class_weight"],
}
for _name, _family in _PLACEHOLDER_FAMILY.items():
    CATALOG.setdefault(_name, dict(
        title=_name, family=_family, formula="", gradient="", target="",
        properties=P(False, False, False, False, False), minimizer="", when_to_use="",
        param_docs={p: "" for p in _PARAMS.get(_name, [])},
    ))
