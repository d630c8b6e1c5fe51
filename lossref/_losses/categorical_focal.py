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
        shifted, exps, top, rest = _softmax_parts(logits)
        sum_exp = 1 + rest
        if y.dtype.kind == "f":
            s, e, is_top, rest_c = shifted, exps, _top_mask(shifted, top), rest[..., None]
        else:
            label = y[..., None]
            s = np.take_along_axis(shifted, label, axis=-1)[..., 0]
            e = np.take_along_axis(exps, label, axis=-1)[..., 0]
            is_top, rest_c = y == top[..., 0], rest
        neg_log_p, other, modulator = _class_parts(s, e, is_top, rest_c, gamma)
        weight = modulator if alpha is None else modulator * (alpha if y.dtype.kind == "f" else alpha[y])
        if y.dtype.kind == "f":
            weight = weight * y
            loss = np.einsum("...j,...j->...", weight, neg_log_p)
        else:
            loss = weight * neg_log_p
        if grad_out is not None:
            g = weight if gamma == 0 else weight * (1 + gamma * _ratio(e, neg_log_p, other))  # a_c g_c
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

    def _forward_hess(self, y, logits, *, gamma, alpha, **_):
        r"""One $C \times C$ block per row: $S\,(\operatorname{diag}(p) - p p^\top) - D^\top \operatorname{diag}(\kappa)\, D$.

        Differentiating $\nabla L = \sum_c a_c g_c (p - e_c)$ once more, with
        $\partial p / \partial z = \operatorname{diag}(p) - p p^\top$ and
        $\nabla g_c = g_c'(p_c)\, p_c\, (e_c - p)$,

        $$
        H = \Big(\sum_c a_c g_c\Big)(\operatorname{diag}(p) - p p^\top)
          - \sum_c a_c\, p_c\, g_c'(p_c)\, (p - e_c)(p - e_c)^\top .
        $$

        With $q_c = 1 - p_c$, $d_c = (p - e_c)/q_c$ (row $c$ of $D$) and $r_c$ as in the
        gradient, $p_c g_c'(p_c) = \gamma q_c^{\gamma - 1}(r_c - 2p_c - \gamma p_c r_c)$, so the
        second sum is $\sum_c \kappa_c d_c d_c^\top$ with
        $\kappa_c = a_c\,\gamma\, q_c^{\gamma + 1}(r_c - 2 p_c - \gamma p_c r_c)$.

        **Stability.** Only $q_c^{\gamma + 1}$ appears, never $q_c^{\gamma - 1}$, and the entries
        of $d_c$ are $e^{s_k}/O_c$ for $k \ne c$ and $-1$ at $c$, all in $[-1, 1]$: the block is
        finite for every finite logit and every $\gamma \ge 0$, including $\gamma < 1$ where the
        curvature of $(1 - p)^\gamma$ alone is unbounded.
        """
        shifted, exps, top, rest = _softmax_parts(logits)
        sum_exp = (1 + rest)[..., None]
        target = y if y.dtype.kind == "f" else np.eye(logits.shape[-1], dtype=logits.dtype)[y]
        neg_log_p, other, modulator = _class_parts(shifted, exps, _top_mask(shifted, top), rest[..., None], gamma)
        a = target if alpha is None else target * alpha
        p = exps / sum_exp
        if gamma == 0:
            total = a.sum(axis=-1)
            kappa = None
        else:
            r = _ratio(exps, neg_log_p, other)
            total = np.einsum("...j,...j->...", a * modulator, 1 + gamma * r)
            q = other / sum_exp
            kappa = a * gamma * modulator * q * (r - 2 * p - gamma * p * r)
        hess = -p[..., :, None] * p[..., None, :]
        np.einsum("...jj->...j", hess)[...] += p  # diag(p) - p p^T
        hess *= total[..., None, None]
        if kappa is not None:
            with np.errstate(invalid="ignore", divide="ignore"):
                d = exps[..., None, :] / other[..., :, None]  # d[c, k] = e_k / O_c, then -1 on the diagonal
            d = np.where(np.isfinite(d), d, 0)  # a class with O_c = 0 (p_c = 1) has kappa_c = 0
            np.einsum("...jj->...j", d)[...] = -1
            rank_terms = np.einsum("...ck,...c,...cl->...kl", d, kappa, d)
            hess -= 0.5 * (rank_terms + np.swapaxes(rank_terms, -1, -2))  # exactly symmetric, as the true block
        return hess.astype(logits.dtype, copy=False)


def _softmax_parts(logits):
    """The shifted logits s = z - max z, e^s (exactly 1 at the top class), the top's index and R.

    R, the sum of e^s over the classes other than the top one, is summed on its own:
    1 - p_top = R / (1 + R) needs R itself, which (1 + R) - 1 would lose for a confident prediction.
    """
    shifted, top = shift_by_row_max(logits)  # log-sum-exp shift: every exponent <= 0
    exps = np.exp(shifted)
    np.put_along_axis(exps, top, 0, axis=-1)
    rest = exps.sum(axis=-1)
    np.put_along_axis(exps, top, 1, axis=-1)
    return shifted, exps, top, rest


def _top_mask(shifted, top):
    mask = np.zeros(shifted.shape, dtype=bool)
    np.put_along_axis(mask, top, True, axis=-1)
    return mask


def _class_parts(s, e, is_top, rest, gamma):
    """-log p_c, O_c = sum of e^{s_j} over j != c, and (1 - p_c)^gamma, for the classes given."""
    log1p_rest = np.log1p(rest)
    neg_log_p = log1p_rest - s  # -log p_c = log(1 + R) - s_c >= 0
    # O_c is R at the top class and 1 + (R - e_c) >= 1 elsewhere: 1 - p_c = O_c / (1 + R) without cancellation.
    other = np.where(is_top, rest, 1 + np.maximum(rest - e, 0))
    if gamma == 0:
        return neg_log_p, other, np.ones_like(neg_log_p)
    with np.errstate(divide="ignore"):  # O_c = 0 (p_c = 1 in floating point): log(1 - p_c) = -inf
        log_one_minus_p = np.log(other) - log1p_rest
    return neg_log_p, other, np.exp(gamma * log_one_minus_p)  # (1 - p_c)^gamma, exactly 0 where p_c = 1


def _ratio(e, neg_log_p, other):
    """r_c = p_c (-log p_c) / (1 - p_c) = e_c (-log p_c) / O_c, in [0, 1]; its limit 1 where O_c = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(other > 0, e * neg_log_p / np.where(other > 0, other, 1), 1)


ENTRY = Entry(
    title="Softmax focal loss",
    family="probabilistic",
    page="focal.md#categorical-focal-loss",
    formula=r"L(y, z) = \sum_{c=1}^{C} t_c\,\alpha_c\,(1 - p_c)^{\gamma}\,(-\log p_c), \qquad "
             r"p = \operatorname{softmax}(z), \quad t = \text{one-hot}(y) \text{ or a probability row}",
    gradient=r"\frac{\partial L}{\partial z_k} = p_k \sum_c t_c \alpha_c g_c - t_k \alpha_k g_k, \qquad "
              r"g_c = (1 - p_c)^{\gamma}\left(1 + \gamma\,\frac{p_c\,(-\log p_c)}{1 - p_c}\right)",
    second_derivative=r"\frac{\partial^2 L}{\partial z_j\,\partial z_k} = S\left(p_j\,[j = k] - p_j\,p_k\right) "
                      r"- \sum_c \kappa_c\,\frac{(p_j - [j = c])(p_k - [k = c])}{(1 - p_c)^2}, \qquad "
                      r"S = \sum_c t_c \alpha_c g_c, \quad \kappa_c = t_c \alpha_c\,\gamma\,(1 - p_c)^{\gamma + 1}"
                      r"\left(r_c - 2p_c - \gamma\,p_c\,r_c\right), \quad r_c = \frac{p_c\,(-\log p_c)}{1 - p_c}",
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
