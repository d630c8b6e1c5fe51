"""Kullback-Leibler divergence: the ``kl_divergence`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._stable import exp_and_log_sum_exp, shift_by_row_max, softmax_hessian, xlogx
from ._sentences import KERAS_ROWS

__all__ = ["KLDivergence", "ENTRY"]


class KLDivergence(Loss):
    r"""Kullback-Leibler divergence $\mathrm{KL}(y \,\|\, \operatorname{softmax}(z))$ per row.

    $$
    L = \sum_j y_j \left(\log y_j - \log\operatorname{softmax}(z)_j\right), \qquad
    \frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - y_j,
    $$

    with $0 \log 0 = 0$. It is cross-entropy minus the target's entropy, so it has the
    same gradient and is 0 exactly when the prediction equals the target.

    The prediction is logits; log-probabilities are logits too (``log_softmax`` leaves them
    unchanged), so PyTorch's ``kl_div(log_probs, y)`` input can be passed as is.
    ``reduction="mean"`` averages over rows, which is PyTorch's ``"batchmean"``; PyTorch's
    ``"mean"`` divides by the number of elements instead.

    Examples
    --------
    >>> import lossref as lr
    >>> float(lr.kl_divergence([[0.5, 0.5]], [[0.0, 0.0]]))
    0.0
    """

    name = "kl_divergence"
    pred_name = "logits"
    prediction = "logit"
    per_row = True
    parameters = (
        Param("class_weight", None,
              "Weight per class, shape (C,): a row counts sum_c y_c class_weight[c] times, and the mean "
              "divides by the sum of these weights."),
    )

    def _check_params(self, params, logits):
        V.check_ndim(logits, "logits", 2, "(n, C), classes on the last axis")
        return {**params, "class_weight": V.check_class_weight(params["class_weight"], logits.shape[-1], logits.dtype)}

    def _prepare_target(self, y, logits, params):
        y = V.as_target(y, "y", logits.dtype)
        if y.shape != logits.shape:
            raise V.wrong_shape("y", f"hold probability rows of the logits' shape {logits.shape}", y.shape)
        return y

    def _check_block(self, y, logits, start, params):
        V.check_prob_rows(y, "y", start)

    def _example_weight(self, y, logits, params, sample_weight):
        if params["class_weight"] is None:
            return sample_weight
        weight = y @ params["class_weight"]
        return weight if sample_weight is None else weight * sample_weight

    def _forward(self, y, logits, grad_out, **_):
        shifted, top = shift_by_row_max(logits, out=grad_out)
        target_dot_shifted = np.einsum("...j,...j->...", y, shifted)
        neg_entropy = xlogx(y).sum(axis=-1)  # sum y log y with 0 log 0 = 0
        log_sum_exp, sum_exp = exp_and_log_sum_exp(shifted, top)
        mass = y.sum(axis=-1)
        loss = neg_entropy + mass * log_sum_exp - target_dot_shifted
        if grad_out is not None:
            shifted *= (mass / sum_exp)[..., None]
            shifted -= y
        # Rounding can leave -1e-17 where the divergence is exactly 0; KL is never negative.
        return np.maximum(loss, 0).astype(logits.dtype, copy=False)

    def _forward_hess(self, y, logits, **_):
        r"""One block per row: $m\,(\operatorname{diag}(p) - p p^\top)$, $m = \sum_j y_j$: that of cross-entropy.

        KL is cross-entropy minus the target's entropy, which does not depend on the logits.
        """
        return softmax_hessian(logits, y.sum(axis=-1))


ENTRY = Entry(
    title="Kullback-Leibler divergence",
    family="probabilistic",
    page='kl-divergence.md',
    formula=r"L(y, z) = \sum_{j=1}^{C} y_j \left(\log y_j - \log \operatorname{softmax}(z)_j\right), \qquad "
             r"0 \log 0 = 0",
    gradient=r"\frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - y_j",
    second_derivative=r"\frac{\partial^2 L}{\partial z_j\,\partial z_k} = m\left(p_j\,[j = k] - p_j\,p_k\right), " r"\qquad p = \operatorname{softmax}(z), \quad m = \textstyle\sum_j y_j",
    target="a probability row over the C classes (shape (n, C)), e.g. a teacher model's distribution",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=True),
    minimizer="the conditional expected target row, softmax(z) = E[y | x] (the class probabilities for one-hot y)",
    when_to_use="Matching a target distribution, e.g. knowledge distillation; same gradient as cross-entropy, but "
                 "0 exactly when the prediction equals the target, so its value is interpretable.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.kl_div(torch.log_softmax(logits, dim=-1), y, reduction=\"batchmean\")",
           True,
           "kl_div takes log-probabilities as input (log-probabilities are valid lossref logits too). Use "
           "reduction='batchmean': 'mean' divides by the element count n*C, giving lossref's value / C. "
           "'batchmean' divides by the size of axis 0 only, so for (n, d, C) inputs it is d times lossref's mean "
           "over rows."),
        Eq("Keras 3", "keras.losses.KLDivergence()(y, keras.ops.softmax(logits))", False,
           "Takes probabilities and clips both y and the prediction to [1e-7, 1]: zero target entries contribute "
           "1e-7 log(1e-7 / p) instead of 0, and predicted probabilities below 1e-7 are raised. Exact value: "
           "keras.losses.CategoricalCrossentropy(from_logits=True)(y, logits) minus the mean entropy of the rows "
           "of "
           "y. " + KERAS_ROWS),
        Eq("optax", "optax.losses.kl_divergence(jax.nn.log_softmax(logits), y).mean()", True,
           "Takes log-predictions (log_softmax of the logits) and treats 0 log 0 as 0; per-row values."),
        Eq("scikit-learn",
           "np.mean(np.sum(scipy.special.xlogy(y, y) - y * scipy.special.log_softmax(logits, axis=-1), axis=-1))",
           True,
           "scikit-learn has no KL metric; this is the formula with SciPy. "
           "scipy.stats.entropy(y, scipy.special.softmax(logits, axis=-1), axis=-1).mean() is equal unless a "
           "softmax probability underflows to 0 (then inf)."),
    ),
    notes=(
        "Direction matters: lossref computes KL(y || softmax(z)), the forward divergence behind cross-entropy and "
        "distillation, not KL(softmax(z) || y).",
        "For distillation at temperature T pass logits / T with the teacher's softmax(teacher_logits / T) and "
        "multiply the loss by T^2 to keep the gradient scale (Hinton et al., 2015).",
    ),
    references=(
        "Kullback, S. & Leibler, R. A. (1951). On Information and Sufficiency. Annals of Mathematical Statistics "
        "22(1), 79-86.",
        "Hinton, G., Vinyals, O. & Dean, J. (2015). Distilling the Knowledge in a Neural Network. "
        "https://arxiv.org/abs/1503.02531",
        "https://pytorch.org/docs/stable/generated/torch.nn.KLDivLoss.html",
    ),
)
