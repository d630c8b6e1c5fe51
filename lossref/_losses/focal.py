"""Sigmoid focal loss: the ``focal`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._classification import BinaryTarget
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ELEMENTWISE

__all__ = ["Focal", "ENTRY"]


class Focal(BinaryTarget):
    r"""Sigmoid focal loss on logits (Lin et al., 2017): cross-entropy scaled down on easy examples.

    With $p = \sigma(z)$, $q = y(1-p) + (1-y)p$ the probability given to the wrong
    answer and $\mathrm{CE}$ the binary cross-entropy,

    $$
    L = \alpha_y\, q^{\gamma}\, \mathrm{CE}(y, z), \qquad
    \frac{\partial L}{\partial z} = \alpha_y\, q^{\gamma}\left[\gamma\,\frac{(1-2y)\,p(1-p)}{q}\,\mathrm{CE}
    + (p - y)\right],
    $$

    with $\alpha_y = \alpha y + (1-\alpha)(1-y)$ when ``alpha`` is given (1 otherwise).
    ``gamma=0`` gives ``bce_with_logits``.

    **Stability.** $q^\gamma$ is computed as $e^{\gamma \log q}$ with
    $\log q$ from log-sigmoids, and $p(1-p)/q$ as one exponential of a difference
    of logs. Nothing like $q^{\gamma - 1}$ is formed, so for $\gamma < 1$ the
    gradient stays finite where autograd of $(1 - p_t)^\gamma$ gives NaN (at
    $q = 0$, a confident correct prediction).

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.focal([1.0], [0.0], gamma=2.0)), 6)    # 0.5^2 * log 2
    0.173287
    """

    name = "focal"
    pred_name = "logits"
    prediction = "logit"
    parameters = (
        Param("gamma", 2.0,
              "Focusing exponent >= 0: the cross-entropy is multiplied by q^gamma, q the probability given "
              "to the wrong answer; gamma = 0 is bce_with_logits.",
              constraint=V.Real(low=0)),
        Param("alpha", None,
              "Optional weight in [0, 1] of positive terms (1 - alpha for negatives), the alpha_t of Lin et "
              "al.; None applies none (torchvision's default is 0.25).",
              constraint=V.Optional(V.Real(low=0, high=1))),
        Param("class_weight", None,
              "(w0, w1): per-example weight by class that enters the weighted mean's denominator (alpha "
              "only rescales the terms)."),
    )

    def _forward(self, y, logits, grad_out, *, gamma, alpha, **_):
        z = logits
        dtype = z.dtype
        e = np.exp(-np.abs(z))
        log1p_e = np.log1p(e)
        softplus_pos = np.maximum(z, 0) + log1p_e  # -log(1 - p)
        softplus_neg = np.maximum(-z, 0) + log1p_e  # -log p
        ce = y * softplus_neg + (1 - y) * softplus_pos
        # log q = log(y (1-p) + (1-y) p), a log-sum-exp of two log-terms; log 0 = -inf is harmless here.
        with np.errstate(divide="ignore"):
            log_q = np.logaddexp(np.log(y) - softplus_pos, np.log1p(-y) - softplus_neg)
        modulator = np.exp(gamma * log_q) if gamma != 0 else np.ones_like(z)
        weight = modulator if alpha is None else modulator * (alpha * y + (1 - alpha) * (1 - y))
        loss = (weight * ce).astype(dtype, copy=False)
        if grad_out is not None:
            inv = 1 / (1 + e)
            p = np.where(z >= 0, inv, e * inv)
            one_minus_p = np.where(z >= 0, e * inv, inv)
            p_minus_y = (1 - y) * p - y * one_minus_p  # no cancellation for 0/1 labels
            if gamma != 0:
                # (1-2y) p (1-p) / q = (1-2y) exp(log p + log(1-p) - log q); finite even when q underflows.
                with np.errstate(over="ignore", invalid="ignore"):
                    ratio = (1 - 2 * y) * np.exp(np.minimum(-softplus_neg - softplus_pos - log_q, 0))
                inner = gamma * ratio * ce + p_minus_y
            else:
                inner = p_minus_y
            np.multiply(weight, inner, out=grad_out, casting="same_kind")
        return loss


    def _forward_hess(self, y, logits, *, gamma, alpha, **_):
        r"""Second derivative of $\alpha_y q^\gamma\,\mathrm{CE}$ in the logit.

        With $s = p(1-p)$, $q' = (1-2y)s$, $q'' = (1-2y)s(1-2p)$, $\mathrm{CE}' = p - y$,
        $\mathrm{CE}'' = s$ and the bounded ratio $\rho = q'/q = (1-2y)\,s/q$
        ($|\rho| \le 1$ since $s \le q$), the product rule twice gives

        $$
        \frac{\partial^2 L}{\partial z^2} = \alpha_y\, q^{\gamma}\left[\gamma(\gamma - 1)\,\rho^2\,\mathrm{CE}
        + \gamma\,\rho\,(1 - 2p)\,\mathrm{CE} + 2\gamma\,\rho\,(p - y) + s\right].
        $$

        **Stability.** Written this way only $q^\gamma$ multiplies bounded factors: no
        $q^{\gamma-1}$ or $q^{\gamma-2}$ is formed, so for $\gamma < 1$ the result stays finite
        where $q \to 0$ (a confident correct prediction), where the true value tends to 0.
        $q^\gamma = e^{\gamma\log q}$, $\log q$ and $\rho$ come from log-sigmoids as in the
        gradient; $s$ from $e^{-|z|}$.
        """
        z = logits
        e = np.exp(-np.abs(z))
        log1p_e = np.log1p(e)
        softplus_pos = np.maximum(z, 0) + log1p_e  # -log(1 - p)
        softplus_neg = np.maximum(-z, 0) + log1p_e  # -log p
        s = e / ((1 + e) * (1 + e))  # p (1 - p)
        if gamma == 0:
            h = s
        else:
            ce = y * softplus_neg + (1 - y) * softplus_pos
            inv = 1 / (1 + e)
            p = np.where(z >= 0, inv, e * inv)
            one_minus_p = np.where(z >= 0, e * inv, inv)
            p_minus_y = (1 - y) * p - y * one_minus_p  # no cancellation for 0/1 labels
            one_minus_2p = np.where(z >= 0, (e - 1) * inv, (1 - e) * inv)  # (1 - p) - p from e, exact sign
            with np.errstate(divide="ignore"):
                log_q = np.logaddexp(np.log(y) - softplus_pos, np.log1p(-y) - softplus_neg)
            with np.errstate(over="ignore", invalid="ignore"):
                # rho = (1-2y) s / q = (1-2y) exp(log p + log(1-p) - log q) <= 1 in magnitude
                rho = (1 - 2 * y) * np.exp(np.minimum(-softplus_neg - softplus_pos - log_q, 0))
            bracket = gamma * (gamma - 1) * rho * rho * ce + gamma * rho * one_minus_2p * ce
            bracket += 2 * gamma * rho * p_minus_y
            bracket += s
            h = np.exp(gamma * log_q) * bracket
        if alpha is not None:
            h = h * (alpha * y + (1 - alpha) * (1 - y))
        return h.astype(z.dtype, copy=False)


ENTRY = Entry(
    title="Sigmoid focal loss",
    family="probabilistic",
    page='focal.md',
    formula=r"L(y, z) = \alpha_y\, q^{\gamma}\, \mathrm{CE}(y, z), \qquad q = y(1 - p) + (1 - y)\,p, \quad "
             r"p = \sigma(z), \quad \mathrm{CE} = -y\log p - (1 - y)\log(1 - p), \quad "
             r"\alpha_y = \alpha y + (1 - \alpha)(1 - y)",
    gradient=r"\frac{\partial L}{\partial z} = \alpha_y\, q^{\gamma}\left[\gamma\,\frac{(1 - 2y)\,p\,(1 - p)}{q}"
              r"\,\mathrm{CE}(y, z) + (p - y)\right]",
    second_derivative=r"\frac{\partial^2 L}{\partial z^2} = \alpha_y\, q^{\gamma}\left[\gamma(\gamma - 1)\,\rho^2\," r"\mathrm{CE} + \gamma\,\rho\,(1 - 2p)\,\mathrm{CE} + 2\gamma\,\rho\,(p - y) + p\,(1 - p)\right], " r"\qquad \rho = \frac{(1 - 2y)\,p\,(1 - p)}{q}",
    target="the probability of the positive class: 0/1 labels or soft targets in [0, 1]",
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=False),
    minimizer="for gamma > 0, a logit whose sigmoid lies between 1/2 and P(y = 1 | x) (under-confident, an "
               "invertible transform of the probability), so the decision sign(z) is still the Bayes decision; "
               "gamma = 0 gives sigma(z) = P(y = 1 | x)",
    when_to_use="Dense detection and other heavily imbalanced binary or multi-label problems where many easy "
                 "negatives swamp the loss: gamma down-weights well-classified examples.",
    equivalents=(
        Eq("PyTorch", "torchvision.ops.sigmoid_focal_loss(logits, y, alpha=-1, gamma=2.0, reduction=\"mean\")",
           True,
           "torchvision's defaults differ: alpha=0.25 (lossref's alpha=None; alpha=-1 switches it off, or set "
           "lossref's alpha=0.25) and reduction='none'. It forms (1 - p_t) ** gamma directly, so for gamma < 1 its "
           "autograd gradient is NaN at a saturated confident correct prediction, where lossref's is finite."),
        Eq("Keras 3", "keras.losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True)(y, logits)", False,
           "Keras applies the sigmoid first and then the probability BCE clipped at 1e-7, so for a wrong "
           "prediction with |logits| above about 16 the cross-entropy factor saturates at 16.12, where lossref is "
           "exact; agrees for moderate logits. alpha is applied only with apply_class_balancing=True (then alpha "
           "defaults to 0.25). "
           + KERAS_ELEMENTWISE),
        Eq("optax", "optax.losses.sigmoid_focal_loss(logits, y, alpha=None, gamma=2.0).mean()", True,
           "Same definition and defaults (alpha=None), computed in log space like lossref (optax >= 0.2.5); "
           "per-element values."),
        Eq("scikit-learn",
           "np.mean((y * (1 - scipy.special.expit(logits)) + (1 - y) * scipy.special.expit(logits)) ** 2 "
           "* (np.logaddexp(0, logits) - y * logits))", True,
           "scikit-learn has no focal loss; this is the gamma=2, alpha=None formula with NumPy and SciPy (the "
           "cross-entropy written as softplus(z) - y z)."),
    ),
    notes=(
        "Not convex in the logits for gamma > 0 and not a proper scoring rule: sigmoid(z) is under-confident at "
        "the optimum, so recalibrate (e.g. temperature scaling) before reading probabilities.",
        "Lin et al. pair gamma = 2 with alpha = 0.25, which down-weights the positives: gamma already suppresses "
        "the many easy negatives. Their detector also normalises the summed loss by the number of positive anchors "
        "(reduction='sum' then divide), not by the number of elements.",
        "For gamma < 1, autograd of (1 - p_t)^gamma gives NaN where 1 - p_t rounds to 0; lossref's analytic "
        "gradient never forms (1 - p_t)^(gamma - 1).",
    ),
    references=(
        "Lin, T.-Y., Goyal, P., Girshick, R., He, K. & Dollár, P. (2017). Focal Loss for Dense Object Detection. "
        "ICCV. https://arxiv.org/abs/1708.02002",
        "Charoenphakdee, N., Vongkulbhisal, J., Chairatanakul, N. & Sugiyama, M. (2021). On Focal Loss for "
        "Class-Posterior Probability Estimation: A Theoretical Perspective. CVPR.",
    ),
)
