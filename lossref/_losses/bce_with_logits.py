"""Binary cross-entropy with logits: the ``bce_with_logits`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._classification import BinaryTarget
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._stable import sigmoid_slope
from ._sentences import KERAS_ELEMENTWISE

__all__ = ["BCEWithLogits", "ENTRY"]


class BCEWithLogits(BinaryTarget):
    r"""Binary cross-entropy on logits $z$, with $\hat p = \sigma(z)$.

    $$
    L = -\left[w_+\, y \log \sigma(z) + (1 - y) \log(1 - \sigma(z))\right], \qquad
    \frac{\partial L}{\partial z} = (1 - y)\,\sigma(z) - w_+\, y\, \sigma(-z),
    $$

    which is $\sigma(z) - y$ when ``pos_weight`` $w_+$ is 1 (None).

    **Stability.** With $e = e^{-|z|}$ (never overflows), $-\log\sigma(-z) =
    \max(z, 0) + \operatorname{log1p}(e)$ and $\sigma(z) = 1/(1+e)$ or $e/(1+e)$:
    one exponential per element serves the value and the gradient. The gradient is formed as
    $(1-y)\sigma(z) - y\sigma(-z)$ rather than $\sigma(z) - y$, so for a confident
    correct prediction ($y = 1, z = 40$) it is $-4.2\times10^{-18}$, not
    $1 - 1 = 0$.

    ``pos_weight`` multiplies the positive term (PyTorch's ``pos_weight``): a scalar, or an
    array that broadcasts against the logits (one weight per output column).

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.bce_with_logits([1.0], [-1.0])), 4)        # the lesson's example
    1.3133
    >>> lr.bce_with_logits.grad([1.0], [-1.0]).round(4)
    array([-0.7311])
    >>> lr.bce_with_logits.hess([1.0, 0.0], [0.0, 0.0], reduction="none")   # sigma(z) (1 - sigma(z))
    array([0.25, 0.25])
    """

    name = "bce_with_logits"
    pred_name = "logits"
    prediction = "logit"
    parameters = (
        Param("pos_weight", None,
              "Multiplier w+ of the positive term (PyTorch's pos_weight): a scalar or an array that "
              "broadcasts against logits, e.g. one per label column; n_neg / n_pos is a common choice. None "
              "means 1."),
        Param("class_weight", None,
              "(w0, w1): per-example weight by class (a soft target y counts w0 (1 - y) + w1 y); unlike "
              "pos_weight it scales the whole example and enters the weighted mean's denominator."),
    )

    def _check_params(self, params, logits):
        if params["pos_weight"] is None:
            return params
        pos_weight = V.broadcast_param(params["pos_weight"], "pos_weight", logits.shape, logits.dtype, "logits",
                                       "non-negative weights")
        return {**params, "pos_weight": pos_weight}

    def _aligned_params(self, y, logits, params):
        return {} if params["pos_weight"] is None else {"pos_weight": params["pos_weight"]}

    def _forward(self, y, logits, grad_out, *, pos_weight, **_):
        z = logits
        e = np.abs(z)
        np.negative(e, out=e)
        np.exp(e, out=e)  # e = exp(-|z|) <= 1: the only exponential, shared by value and gradient
        log1p_e = np.log1p(e)
        if pos_weight is None:
            # L = softplus(z) - y z = log1p(e) + z (step(z) - y), with step(z) = 1 for z >= 0. For 0/1
            # labels the bracket is exactly -1, 0 or 1, so no large terms cancel when the loss is tiny.
            step_minus_y = np.subtract(1, y)
            np.subtract(step_minus_y, np.signbit(z), out=step_minus_y)  # signbit(-0.0) is set: see below
            loss = np.multiply(z, step_minus_y)
            loss += log1p_e
            if grad_out is not None:
                # sigma(z) - y = (step(z) - y) - sign(z) e/(1+e): the tail e/(1+e) is subtracted from a
                # small integer instead of forming 1 - sigma(z) as a difference of numbers near 1. At
                # z = -0.0 both step = 0 and the sign are those of a negative z, so the result is 0.5 - y.
                tail = np.add(e, 1, out=log1p_e)
                np.divide(e, tail, out=e)
                np.copysign(e, z, out=e)
                np.subtract(step_minus_y, e, out=grad_out)
            return loss
        inv = 1 / (1 + e)
        positive = z >= 0
        softplus_pos = np.maximum(z, 0) + log1p_e  # -log(1 - sigma(z))
        softplus_neg = np.maximum(-z, 0) + log1p_e  # -log sigma(z)
        loss = (1 - y) * softplus_pos + pos_weight * y * softplus_neg
        if grad_out is not None:
            sig_pos = np.where(positive, inv, e * inv)  # sigma(z)
            sig_neg = np.where(positive, e * inv, inv)  # sigma(-z) = 1 - sigma(z), without the subtraction
            np.subtract((1 - y) * sig_pos, pos_weight * y * sig_neg, out=grad_out)
        return loss


    def _forward_hess(self, y, logits, *, pos_weight, **_):
        r"""$\big((1 - y) + w_+ y\big)\,\sigma(z)\,\sigma(-z)$, which is $\sigma(z)(1 - \sigma(z))$ when $w_+ = 1$.

        Differentiating the gradient $(1 - y)\sigma(z) - w_+ y\,\sigma(-z)$ once more, with
        $\sigma'(z) = \sigma(z)\sigma(-z)$ and $\frac{d}{dz}\sigma(-z) = -\sigma(z)\sigma(-z)$.
        The product is formed from $e^{-|z|}$ (``sigmoid_slope``), finite for every finite logit.
        """
        slope = sigmoid_slope(logits)
        if pos_weight is None:
            return slope
        return ((1 - y) + pos_weight * y) * slope


ENTRY = Entry(
    title="Binary cross-entropy with logits",
    family="probabilistic",
    page='bce.md#bce-with-logits',
    formula=r"L(y, z) = -\left[w_+\, y \log \sigma(z) + (1 - y)\log(1 - \sigma(z))\right], \qquad "
             r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    gradient=r"\frac{\partial L}{\partial z} = (1 - y)\,\sigma(z) - w_+\, y\,\sigma(-z) "
              r"\quad (= \sigma(z) - y \text{ when } w_+ = 1)",
    second_derivative=r"\frac{\partial^2 L}{\partial z^2} = \left((1 - y) + w_+\, y\right)\sigma(z)\,\sigma(-z) " r"\quad (= \sigma(z)\,(1 - \sigma(z)) \text{ when } w_+ = 1)",
    target="the probability of the positive class: 0/1 labels or soft targets in [0, 1]",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=True),
    minimizer="the log-odds of P(y = 1 | x), so sigma(z) = P(y = 1 | x); with pos_weight w, "
               "sigma(z) = w p / (w p + 1 - p) where p = P(y = 1 | x)",
    when_to_use="Binary and multi-label classification when the model outputs logits: the default choice, exact "
                 "for any logit, with gradient sigma(z) - y.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.binary_cross_entropy_with_logits(logits, y)", True,
           "Same stable formula; pos_weight means the same. torch's weight= rescales elements but 'mean' divides "
           "by the element count, not by the sum of weights as lossref's class_weight and sample_weight do: use "
           "reduction='none', multiply by w and divide by w.sum()."),
        Eq("Keras 3", "keras.losses.BinaryCrossentropy(from_logits=True)(y, logits)", True,
           "Stable log-sigmoid form. No pos_weight (use class_weight in Model.fit or sample weights). "
           + KERAS_ELEMENTWISE),
        Eq("optax", "optax.losses.sigmoid_binary_cross_entropy(logits, y).mean()", True,
           "Stable; per-element values. No pos_weight argument: weight the -y * jax.nn.log_sigmoid(logits) term "
           "yourself."),
        Eq("scikit-learn", "sklearn.metrics.log_loss(y, scipy.special.expit(logits), labels=[0, 1])", False,
           "log_loss takes probabilities and clips them to [eps, 1 - eps], eps = 2.2e-16 the float64 machine "
           "epsilon, so no example costs more than -log(eps) = 36.04. Negative logits: the sigmoid does not round "
           "to 0 (expit(-50) = 1.9e-22), but below logits = log(eps) = -36.04 the clip raises it to eps, and a "
           "positive example costs 36.04 whatever the logit, where lossref is exact (logits=-50, y=1 gives 50). "
           "Positive logits: 1 - expit(z) keeps only the spacing 1.1e-16 of floats below 1, so a negative "
           "example costs 30.001 at z = 30 and 34.945 at z = 35 instead of 30 and 35, and 36.04 from z = 36.04 "
           "on (the sigmoid is within eps of 1, exactly 1 from z = 36.74). Hard 0/1 labels only. Exact value: "
           "np.mean(np.logaddexp(0, logits) - y * logits)."),
    ),
    notes=(
        "The gradient is formed as (1 - y) sigma(z) - y sigma(-z), not sigma(z) - y, so a confident correct "
        "prediction (y = 1, z = 40) gets -4.2e-18 rather than 1 - 1 = 0.",
        "pos_weight moves the minimiser: sigma(z) then estimates w p / (w p + 1 - p), not p; invert that before "
        "reading probabilities.",
        "With labels mapped by 2y - 1 it is exactly the logistic loss.",
    ),
    references=(
        "https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html",
        "https://en.wikipedia.org/wiki/Cross-entropy#Cross-entropy_loss_function_and_logistic_regression",
    ),
)
