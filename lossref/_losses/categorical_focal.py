"""Softmax (categorical) focal loss: the ``categorical_focal`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._stable import shift_by_row_max
from ._sentences import KERAS_ROWS

__all__ = ["CategoricalFocal", "ENTRY"]


class CategoricalFocal(Loss):
    r"""Softmax focal loss on logits $z \in \mathbb R^C$ (Lin et al., 2017, multiclass form).

    With $p = \operatorname{softmax}(z)$ and $t$ the one-hot row of an integer label $y$ (or a
    probability row),

    $$
    L = \sum_c t_c\,\alpha_c\,(1 - p_c)^{\gamma}\,(-\log p_c)
      \;=\; -\alpha_y (1 - p_y)^{\gamma} \log p_y \text{ for a label } y .
    $$

    **Gradient.** Write $f_c = (1 - p_c)^\gamma(-\log p_c)$. With
    $\partial p_c / \partial z_k = p_c([c = k] - p_k)$,
    $\partial(-\log p_c)/\partial z_k = p_k - [c = k]$ and
    $\partial (1 - p_c)^\gamma / \partial z_k = \gamma (1 - p_c)^{\gamma - 1} p_c (p_k - [c = k])$,

    $$
    \frac{\partial f_c}{\partial z_k} = (p_k - [c = k])\, g_c, \qquad
    g_c = (1 - p_c)^{\gamma}\,(1 + \gamma\, r_c), \quad r_c = \frac{p_c\,(-\log p_c)}{1 - p_c},
    $$

    so with $a_c = t_c \alpha_c$ and $S = \sum_c a_c g_c$,

    $$
    \frac{\partial L}{\partial z_k} = p_k\, S - a_k\, g_k
      \;=\; \alpha_y\, g_y\, (p_k - [k = y]) \text{ for a label } y .
    $$

    $0 \le r_c \le 1$ (since $-\log p \le (1 - p)/p$), so $g_c$ is bounded by $1 + \gamma$ and
    tends to 0 as $p_c \to 1$. ``gamma=0`` gives $g_c = 1$: the loss and gradient of
    ``cross_entropy``. ``alpha`` (a scalar or one weight per class, None for 1) multiplies the
    terms; it does not enter the mean's denominator (Keras's default is 0.25).

    **Stability.** $\log p_c = s_c - \log(1 + R)$ with the log-sum-exp shift $s = z - \max_j z_j$
    and $R$ the sum of $e^{s_j}$ over the classes other than the top one. $1 - p_c$ is never
    formed as a difference: it is $O_c / (1 + R)$ with $O_c = \sum_{j \ne c} e^{s_j}$, which is
    $R$ for the top class and $1 + (R - e^{s_c}) \ge 1$ for any other, so $\log(1 - p_c)$ and
    $(1 - p_c)^\gamma = e^{\gamma\log(1 - p_c)}$ keep full relative precision when $p_c \to 1$,
    and $r_c = e^{s_c}(-\log p_c)/O_c$ needs no $(1 - p_c)^{\gamma - 1}$: the gradient is finite
    for $\gamma < 1$ where autograd of $(1 - p)^\gamma$ gives NaN.

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.categorical_focal([0], [[0.0, 0.0]])), 6)           # (1/2)^2 log 2
    0.173287
    >>> round(float(lr.categorical_focal([0], [[0.0, 0.0]], gamma=0.0)), 6)  # cross-entropy, log 2
    0.693147
    """

    name = "categorical_focal"
    pred_name = "logits"
    prediction = "logit"
    per_row = True
    parameters = (
        Param("gamma", 2.0,
              "Focusing exponent >= 0: each class's cross-entropy term is multiplied by (1 - p_c)^gamma; "
              "gamma = 0 is cross_entropy.",
              constraint=V.Real(low=0)),
        Param("alpha", None,
              "Non-negative weight of the true class's term: a scalar, or one weight per class (shape (C,)). "
              "None applies none (Keras's default is 0.25). It scales the loss, not the mean's denominator."),
    )

    def _check_params(self, params, logits):
        V.check_ndim(logits, "logits", 2, "(n, C), classes on the last axis")
        alpha = params["alpha"]
        if alpha is not None:
            n_classes = logits.shape[-1]
            alpha = V.broadcast_param(alpha, "alpha", (n_classes,), logits.dtype, "the classes of logits",
                                      "non-negative weights")
        return {**params, "alpha": alpha}

    def _prepare_target(self, y, logits, params):
        arr = np.asarray(y)
        if arr.shape == logits.shape[:-1]:
            labels = V.as_labels(arr, "y")
            V.check_class_range(labels, "y", logits.shape[-1])
            return labels
        if arr.shape == logits.shape:
            return V.as_target(arr, "y", logits.dtype)
        raise ValueError(
            f"y must hold integer labels of shape {logits.shape[:-1]} or probability rows of shape "
            f"{logits.shape} to match logits {logits.shape}; got shape {arr.shape}"
        )

    def _check_block(self, y, logits, start, params):
        if y.dtype.kind == "f":
            V.check_prob_rows(y, "y", start)

    def _forward(self, y, logits, grad_out, *, gamma, alpha, **_):
        dtype = logits.dtype
        shifted, top = shift_by_row_max(logits)  # log-sum-exp shift: every exponent <= 0
        exps = np.exp(shifted)  # exactly 1 at the top class
        # R, the sum over the other classes, summed on its own: 1 - p_top = R / (1 + R) needs R, which
        # (1 + R) - 1 would lose for a confident prediction.
        np.put_along_axis(exps, top, 0, axis=-1)
        rest = exps.sum(axis=-1)
        np.put_along_axis(exps, top, 1, axis=-1)
        log1p_rest, sum_exp = np.log1p(rest), 1 + rest
        if y.dtype.kind == "f":
            s, e, target = shifted, exps, y
            is_top = np.zeros(shifted.shape, dtype=bool)
            np.put_along_axis(is_top, top, True, axis=-1)
            rest_c, log1p_c = rest[..., None], log1p_rest[..., None]
        else:
            label = y[..., None]
            s = np.take_along_axis(shifted, label, axis=-1)[..., 0]
            e = np.take_along_axis(exps, label, axis=-1)[..., 0]
            is_top = y == top[..., 0]
            rest_c, log1p_c = rest, log1p_rest
        neg_log_p = log1p_c - s  # -log p_c >= 0
        # O_c = sum of e^{s_j} over j != c: R at the top class, 1 + (R - e_c) >= 1 elsewhere (no cancellation).
        other = np.where(is_top, rest_c, 1 + np.maximum(rest_c - e, 0))
        if gamma == 0:
            modulator = np.ones_like(s)
        else:
            with np.errstate(divide="ignore"):  # O_c = 0 (p_c = 1 in floating point): log(1 - p_c) = -inf
                log_one_minus_p = np.log(other) - log1p_c
            modulator = np.exp(gamma * log_one_minus_p)  # (1 - p_c)^gamma, exactly 0 where p_c = 1
        weight = modulator if alpha is None else modulator * (alpha if y.dtype.kind == "f" else alpha[y])
        if y.dtype.kind == "f":
            weight = weight * target
            loss = np.einsum("...j,...j->...", weight, neg_log_p)
        else:
            loss = weight * neg_log_p
        if grad_out is not None:
            if gamma == 0:
                g = weight
            else:
                # r_c = p_c (-log p_c) / (1 - p_c) = e_c (-log p_c) / O_c in [0, 1]; its limit 1 at O_c = 0.
                with np.errstate(divide="ignore", invalid="ignore"):
                    r = np.where(other > 0, e * neg_log_p / np.where(other > 0, other, 1), 1)
                g = weight * (1 + gamma * r)  # a_c g_c
            p = exps
            p *= (1 / sum_exp)[..., None]
            if y.dtype.kind == "f":
                total = g.sum(axis=-1)
                np.multiply(p, total[..., None], out=grad_out, casting="same_kind")
                grad_out -= g
            else:
                # p_k - [k = y]; at k = y it is -(1 - p_y) = -O_y / (1 + R), formed without cancellation.
                np.put_along_axis(p, label, (-other / sum_exp)[..., None], axis=-1)
                np.multiply(p, g[..., None], out=grad_out, casting="same_kind")
        return loss.astype(dtype, copy=False)


ENTRY = Entry(
    title="Softmax focal loss",
    family="probabilistic",
    page="focal.md#categorical-focal-loss",
    formula=r"L(y, z) = \sum_{c=1}^{C} t_c\,\alpha_c\,(1 - p_c)^{\gamma}\,(-\log p_c), \qquad "
             r"p = \operatorname{softmax}(z), \quad t = \text{one-hot}(y) \text{ or a probability row}",
    gradient=r"\frac{\partial L}{\partial z_k} = p_k \sum_c t_c \alpha_c g_c - t_k \alpha_k g_k, \qquad "
              r"g_c = (1 - p_c)^{\gamma}\left(1 + \gamma\,\frac{p_c\,(-\log p_c)}{1 - p_c}\right)",
    target="an integer class label in 0..C-1 per row (shape (n,)), or a probability row over the C classes "
            "(shape (n, C)); y is one-hot for a label",
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=False),
    minimizer="for gamma > 0, a softmax flatter than P(class | x) that keeps its ranking of the classes, so "
               "the argmax is still the Bayes decision; gamma = 0 gives softmax(z) = P(class | x)",
    when_to_use="Multiclass classification with many easy examples of a few classes (dense detection, "
                 "segmentation with a dominant background, long-tailed labels): gamma down-weights the "
                 "examples the model already gets right.",
    equivalents=(
        Eq("PyTorch",
           "(-(1 - (lp := torch.log_softmax(logits, -1).gather(-1, y[:, None])).exp()) ** 2 * lp).mean()", True,
           "Neither torch nor torchvision has a softmax focal loss (torchvision's sigmoid_focal_loss is the "
           "binary one, lossref's focal); this composes the gamma=2, alpha=None formula. (1 - p) ** gamma under "
           "autograd gives NaN gradients for gamma < 1 where p rounds to 1; lossref's gradient is finite."),
        Eq("Keras 3",
           "keras.losses.CategoricalFocalCrossentropy(alpha=1.0, gamma=2.0, from_logits=True)"
           "(keras.ops.one_hot(y, logits.shape[-1]), logits)", False,
           "Keras's default alpha is 0.25 (lossref's None is 1: pass alpha=1.0, or lossref's alpha=0.25); an "
           "alpha list is per class, as lossref's array. Keras takes one-hot or soft targets (the same formula as "
           "lossref's probability rows) and applies the softmax first, then clips the probabilities to "
           "[1e-7, 1 - 1e-7]: the -log p factor saturates at 16.12 for a class below 1e-7 and the modulator at "
           "1e-14 for a class above 1 - 1e-7, where lossref is exact; agrees for moderate logits. " + KERAS_ROWS),
        Eq("optax",
           "jnp.mean(-(1 - jnp.exp(lp := jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], -1))) ** 2 "
           "* lp)", True,
           "optax has only the sigmoid (binary) focal loss, optax.losses.sigmoid_focal_loss; this composes the "
           "softmax one for gamma=2, alpha=None."),
        Eq("scikit-learn",
           "np.mean(-(1 - np.exp(lp := scipy.special.log_softmax(logits, axis=-1)[np.arange(len(y)), y])) ** 2 "
           "* lp)", True,
           "scikit-learn has no focal loss; this is the gamma=2, alpha=None formula with NumPy and SciPy."),
    ),
    notes=(
        "Keras's CategoricalFocalCrossentropy defaults to alpha=0.25, which scales the whole loss (and its "
        "gradient) by 0.25 when alpha is a scalar; lossref's alpha=None applies no weight.",
        "Not convex and not a proper scoring rule for gamma > 0: the softmax is under-confident at the optimum, "
        "so recalibrate (e.g. temperature scaling) before reading probabilities.",
        "alpha multiplies each term but does not enter the weighted mean's denominator: per-class alpha changes "
        "the scale of the loss, unlike cross_entropy's class_weight.",
    ),
    references=(
        "Lin, T.-Y., Goyal, P., Girshick, R., He, K. & Dollár, P. (2017). Focal Loss for Dense Object Detection. "
        "ICCV. https://arxiv.org/abs/1708.02002",
        "https://keras.io/api/losses/probabilistic_losses/#categoricalfocalcrossentropy-class",
    ),
)
