"""Binary cross-entropy (on probabilities): the ``bce`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._classification import BinaryTarget
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ELEMENTWISE, SKLEARN_WEIGHTED

__all__ = ["BCE", "ENTRY"]


class BCE(BinaryTarget):
    r"""Binary cross-entropy on probabilities $\hat p \in [0, 1]$.

    $$
    L = -\left[y \log \hat p + (1 - y) \log(1 - \hat p)\right], \qquad
    \frac{\partial L}{\partial \hat p} = \frac{\hat p - y}{\hat p (1 - \hat p)}.
    $$

    **Clipping.** $\hat p$ is clipped to $[\epsilon, 1 - \epsilon]$ with
    $\epsilon$ the machine epsilon of its dtype (2.2e-16 in float64, 1.2e-7 in float32),
    as scikit-learn's ``log_loss`` does, so a confident wrong prediction costs at most
    36.04 (float64) or 15.94 (float32) instead of infinity; the gradient there is taken at the
    clipped value. PyTorch's ``BCELoss`` instead clamps each log at -100 and Keras clips at 1e-7.
    Prefer ``bce_with_logits`` when the model produces logits: it needs no clipping.

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.bce([1.0], [0.2689414213699951])), 4)
    1.3133
    """

    name = "bce"
    pred_name = "probs"
    prediction = "probability"
    parameters = (
        Param("class_weight", None,
              "(w0, w1): weights of negative and positive examples; a soft target y counts w0 (1 - y) + w1 "
              "y. None weights every example 1."),
    )

    def _check_block(self, y, probs, start, params):
        super()._check_block(y, probs, start, params)
        V.check_in_interval(probs, "probs", 0.0, 1.0, "probabilities", start)

    def _forward(self, y, probs, grad_out, **_):
        eps = np.finfo(probs.dtype).eps
        p = np.clip(probs, eps, 1 - eps)  # log(0) would be -inf: clip as documented above
        loss = -(y * np.log(p) + (1 - y) * np.log1p(-p))  # log1p(-p) keeps precision for small p
        if grad_out is not None:
            np.divide(p - y, p * (1 - p), out=grad_out)
        return loss


    def _forward_hess(self, y, probs, **_):
        r"""$y/\hat p^2 + (1 - y)/(1 - \hat p)^2$, at the clipped $\hat p$ like the gradient.

        Always positive (the loss is strictly convex in $\hat p$ unless y is 0 or 1 and $\hat p$
        sits at the other end); at the clip bounds it is at most $1/\epsilon^2$ (2e31 in float64,
        7e13 in float32), finite in both dtypes.
        """
        eps = np.finfo(probs.dtype).eps
        p = np.clip(probs, eps, 1 - eps)
        q = 1 - p
        return y / (p * p) + (1 - y) / (q * q)


ENTRY = Entry(
    title="Binary cross-entropy (on probabilities)",
    family="probabilistic",
    page='bce.md#bce-on-probabilities',
    formula=r"L(y, \hat p) = -\left[y \log \hat p + (1 - y)\log(1 - \hat p)\right], \qquad "
             r"\hat p \leftarrow \operatorname{clip}(\hat p,\ \epsilon,\ 1 - \epsilon)",
    gradient=r"\frac{\partial L}{\partial \hat p} = \frac{\hat p - y}{\hat p\,(1 - \hat p)} "
              r"\quad (\text{at the clipped } \hat p)",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat p^2} = \frac{y}{\hat p^2} + \frac{1 - y}{(1 - \hat p)^2} " r"\quad (\text{at the clipped } \hat p)",
    target="the probability of the positive class: 0/1 labels or soft targets in [0, 1]",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=True),
    minimizer="the conditional probability P(y = 1 | x) (E[y | x] for soft targets)",
    when_to_use="When the model outputs probabilities (after a sigmoid) and the logits are not available; "
                 "otherwise use bce_with_logits, which is exact and needs no clipping.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.binary_cross_entropy(probs, y)", False,
           "torch clamps each log at -100 instead of clipping the probabilities: a confident wrong prediction "
           "(probs=0, y=1) costs 100 in torch and -log(eps) in lossref (36.04 in float64, 15.94 in float32); the "
           "two agree for probs in [eps, 1 - eps]. torch's weight= multiplies each element but 'mean' still "
           "divides by the element count, whereas lossref's weighted mean divides by the sum of weights: use "
           "(torch.nn.functional.binary_cross_entropy(probs, y, reduction='none') * w).sum() / w.sum()."),
        Eq("Keras 3", "keras.losses.BinaryCrossentropy()(y, probs)", False,
           "Keras clips probs to [1e-7, 1 - 1e-7] (keras.config.epsilon()), so a confident wrong prediction costs "
           "16.12 and any probs outside that range give a different value than lossref's machine-epsilon clip; "
           "agrees inside it. " + KERAS_ELEMENTWISE),
        Eq("optax",
           "p = jnp.clip(probs, jnp.finfo(probs.dtype).eps, 1 - jnp.finfo(probs.dtype).eps); "
           "-jnp.mean(y * jnp.log(p) + (1 - y) * jnp.log1p(-p))", True,
           "optax has no loss on probabilities (sigmoid_binary_cross_entropy takes logits); this is lossref's "
           "clipped formula with jax.numpy."),
        Eq("scikit-learn", "sklearn.metrics.log_loss(y, probs, labels=[0, 1])", True,
           "Same clip to [eps, 1 - eps] with eps the machine epsilon of probs' dtype (scikit-learn >= 1.2; older "
           "versions used 1e-15). Hard 0/1 labels only: soft targets are rejected. labels=[0, 1] is needed when y "
           "holds a single class. " + SKLEARN_WEIGHTED),
    ),
    notes=(
        "Clipping caps a confident wrong prediction at -log(eps): 36.04 in float64, 15.94 in float32. The gradient "
        "is taken at the clipped probability, so it stays finite but is about 1/eps there.",
        "sigmoid then bce loses precision: sigmoid(z) rounds to exactly 1 for z above about 17 (float32) or 37 "
        "(float64), after which the loss saturates. Pass the logits to bce_with_logits instead.",
        "Every framework clips differently (torch: log >= -100, Keras: 1e-7, scikit-learn and lossref: machine "
        "epsilon), so reference values disagree only for probabilities within eps of 0 or 1.",
    ),
    references=(
        "https://en.wikipedia.org/wiki/Cross-entropy",
        "https://scikit-learn.org/stable/modules/generated/sklearn.metrics.log_loss.html",
    ),
)
