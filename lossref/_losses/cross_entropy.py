"""Softmax cross-entropy: the ``cross_entropy`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._stable import exp_and_log_sum_exp, shift_by_row_max, softmax_hessian
from ._sentences import KERAS_ROWS

__all__ = ["CrossEntropy", "ENTRY"]


class CrossEntropy(Loss):
    r"""Softmax cross-entropy on logits $z \in \mathbb R^C$ (classes on the last axis).

    $$
    L = -\sum_j \tilde y_j \log \operatorname{softmax}(z)_j, \qquad
    \frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - \tilde y_j,
    $$

    where $y$ is an integer label (one-hot) or a probability row, and
    $\tilde y = (1 - \varepsilon) y + \varepsilon / C$ with ``label_smoothing``
    $\varepsilon$.

    * ``class_weight`` (shape ``(C,)``) weights each example by its class;
      ``reduction="mean"`` divides by the sum of the weights used, like PyTorch for integer
      labels. With label smoothing PyTorch also weights the smoothing terms class by class,
      and with probability targets it weights terms by class and divides by ``n``; lossref
      keeps one rule (see the module docstring), and the reference page shows both numbers.
    * ``ignore_index``: examples with this label contribute nothing and are left out of the
      mean. It may be any integer, including a real class id.

    **Stability.** $\log\operatorname{softmax}(z) = z - m - \log\sum_j e^{z_j - m}$ with
    $m = \max_j z_j$ (log-sum-exp): no exponential overflows and no log sees 0.

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.cross_entropy([1], [[2.0, 0.0, -1.0]])), 3)   # class 2 of the lesson, 0-indexed
    2.17
    """

    name = "cross_entropy"
    pred_name = "logits"
    prediction = "logit"
    per_row = True
    parameters = (
        Param("class_weight", None,
              "Weight per class, shape (C,): an example counts class_weight[y] times (a probability row "
              "counts sum_c y_c class_weight[c]), and the mean divides by the sum of these weights."),
        Param("label_smoothing", 0.0,
              "eps in [0, 1]: the target becomes (1 - eps) y + eps / C.",
              constraint=V.Real(low=0, high=1)),
        Param("ignore_index", None,
              "Integer label whose examples contribute nothing and are left out of the mean (e.g. padding); "
              "any integer, including a real class id. None ignores nothing.",
              constraint=V.Optional(V.Integer())),
    )

    def _check_params(self, params, logits):
        V.check_ndim(logits, "logits", 2, "(n, C), classes on the last axis")
        class_weight = V.check_class_weight(params["class_weight"], logits.shape[-1], logits.dtype)
        return {**params, "class_weight": class_weight}

    def _prepare_target(self, y, logits, params):
        arr = np.asarray(y)
        n_classes = logits.shape[-1]
        if arr.shape == logits.shape[:-1]:
            labels = V.as_labels(arr, "y")
            V.check_class_range(labels, "y", n_classes, params["ignore_index"])
            return labels
        if arr.shape == logits.shape:
            if params["ignore_index"] is not None:
                raise V.wrong_shape("y", "hold integer labels when ignore_index is given, not probability rows",
                                    arr.shape)
            return V.as_target(arr, "y", logits.dtype)
        raise V.wrong_shape("y", f"hold integer labels of shape {logits.shape[:-1]} or probability rows of shape "
                                 f"{logits.shape} to match logits {logits.shape}", arr.shape)

    def _check_block(self, y, logits, start, params):
        if y.dtype.kind == "f":
            V.check_prob_rows(y, "y", start)

    def _example_weight(self, y, logits, params, sample_weight):
        class_weight, ignore = params["class_weight"], params["ignore_index"]
        weight = None
        if y.dtype.kind == "f":
            if class_weight is not None:
                weight = y @ class_weight  # expected class weight of a soft target
        else:
            if class_weight is not None:
                weight = class_weight[np.where(y == ignore, 0, y) if ignore is not None else y]
            if ignore is not None:
                keep = (y != ignore).astype(logits.dtype)
                weight = keep if weight is None else weight * keep
        if weight is None:
            return sample_weight
        return weight if sample_weight is None else weight * sample_weight

    def _forward(self, y, logits, grad_out, *, label_smoothing, ignore_index, **_):
        n_classes = logits.shape[-1]
        eps = label_smoothing
        shifted, top = shift_by_row_max(logits, out=grad_out)  # log-sum-exp shift: every exponent <= 0
        if y.dtype.kind == "f":
            target = y if eps == 0 else (1 - eps) * y + eps / n_classes
            target_dot_shifted = np.einsum("...j,...j->...", target, shifted)
            target_mass = target.sum(axis=-1)
        else:
            labels = np.where(y == ignore_index, 0, y) if ignore_index is not None else y
            picked = np.take_along_axis(shifted, labels[..., None], axis=-1)[..., 0]
            target_dot_shifted = (1 - eps) * picked
            if eps:
                target_dot_shifted = target_dot_shifted + eps * shifted.mean(axis=-1)
            target_mass = None
        log_sum_exp, sum_exp = exp_and_log_sum_exp(shifted, top)  # shifted now holds the exponentials
        # -sum_j t_j log p_j = (sum_j t_j) logsumexp - sum_j t_j (z_j - m)
        loss = (log_sum_exp if target_mass is None else target_mass * log_sum_exp) - target_dot_shifted
        if grad_out is not None:
            softmax = shifted
            softmax *= (1 / sum_exp)[..., None]
            if y.dtype.kind == "f":
                if target_mass is not None:
                    softmax *= target_mass[..., None]
                softmax -= target
            else:
                rows = np.take_along_axis(softmax, labels[..., None], axis=-1)
                np.put_along_axis(softmax, labels[..., None], rows - (1 - eps), axis=-1)
                if eps:
                    softmax -= eps / n_classes
        return loss.astype(logits.dtype, copy=False)


    def _forward_hess(self, y, logits, *, label_smoothing, ignore_index, **_):
        r"""One block per row: $m\,(\operatorname{diag}(p) - p p^\top)$ with $p = \operatorname{softmax}(z)$.

        The loss is $m \log\sum_j e^{z_j} - \tilde y^\top z$ with the target mass
        $m = \sum_j \tilde y_j$; the linear term has no curvature, so label smoothing changes
        the Hessian only through $m = (1 - \varepsilon)\sum_j y_j + \varepsilon$ (1 for integer
        labels and for probability rows). Class weights and ignored examples are example weights:
        the driver scales each row's block by them, as it scales the gradient.
        """
        if y.dtype.kind == "f":
            mass = (1 - label_smoothing) * y.sum(axis=-1) + label_smoothing
        else:
            mass = 1.0
        return softmax_hessian(logits, mass)


ENTRY = Entry(
    title="Softmax cross-entropy",
    family="probabilistic",
    page='cross-entropy.md',
    formula=r"L(y, z) = -\sum_{j=1}^{C} \tilde y_j \log \operatorname{softmax}(z)_j, \qquad "
             r"\tilde y = (1 - \varepsilon)\, y + \varepsilon / C",
    gradient=r"\frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - \tilde y_j",
    second_derivative=r"\frac{\partial^2 L}{\partial z_j\,\partial z_k} = m\left(p_j\,[j = k] - p_j\,p_k\right), " r"\qquad p = \operatorname{softmax}(z), \quad m = \textstyle\sum_j \tilde y_j",
    target="an integer class label in 0..C-1 per row (shape (n,)), or a probability row over the C classes "
            "(shape (n, C)); y is one-hot for a label",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=True),
    minimizer="the conditional class distribution, softmax(z) = P(class | x); with label smoothing eps, "
               "(1 - eps) P(class | x) + eps / C",
    when_to_use="Multiclass classification with mutually exclusive classes and a softmax output: the standard "
                 "loss for classifiers and language models.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.cross_entropy(logits, y)", True,
           "Same for integer labels or probability rows with defaults. torch's class axis is 1: for logits of "
           "shape "
           "(n, d, C) pass logits.movedim(-1, 1). With weight= and label_smoothing torch weights each smoothing "
           "term by its own class, sum_c w_c log p_c, while lossref weights the whole smoothed loss by the true "
           "class, w_y CE(smoothed target). With probability targets and weight= torch weights the terms class by "
           "class and divides by n, while lossref weights the row by sum_c y_c w_c and divides by the sum of those "
           "weights. torch's ignore_index defaults to -100, lossref's to None."),
        Eq("Keras 3", "keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits)", True,
           "For integer labels (ignore_class plays ignore_index). For probability rows use "
           "keras.losses.CategoricalCrossentropy(from_logits=True)(y, logits); its label_smoothing matches "
           "lossref's, and the sparse loss has none (one-hot the labels with keras.ops.one_hot). Classes on the "
           "last axis, as in lossref. " + KERAS_ROWS),
        Eq("optax", "optax.losses.softmax_cross_entropy_with_integer_labels(logits, y).mean()", True,
           "For integer labels. Probability rows: optax.losses.softmax_cross_entropy(logits, y).mean(); label "
           "smoothing: softmax_cross_entropy(logits, optax.smooth_labels(jax.nn.one_hot(y, C), eps)), the same "
           "smoothing as lossref. No class weights or ignore index: replace ignored labels by a valid class "
           "first (jnp.where(y == ignore_index, 0, y): an out-of-range label such as -100 makes optax's value NaN), "
           "then multiply per-row values by the weights, 0 for ignored rows, and divide by their sum."),
        Eq("scikit-learn",
           "sklearn.metrics.log_loss(y, scipy.special.softmax(logits, axis=-1), "
           "labels=np.arange(logits.shape[-1]))",
           False,
           "log_loss takes probabilities and clips them to [eps, 1 - eps]: when the true class's softmax "
           "probability falls below machine epsilon the loss saturates at 36.04 (float64), where lossref, working "
           "in log space, is exact. Integer or one-hot labels only; no label smoothing. Agrees otherwise."),
    ),
    notes=(
        "PyTorch puts classes on axis 1 (N, C, d1, ...); lossref, Keras and optax on the last axis.",
        "Label smoothing and class weights both move the minimiser away from the true class probabilities: the "
        "trained model is then deliberately miscalibrated.",
        "Pass logits, not probabilities: softmax outputs given as logits are softmaxed again, silently flattening "
        "the loss and its gradient.",
    ),
    references=(
        "https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html",
        "Szegedy, C. et al. (2016). Rethinking the Inception Architecture for Computer Vision (label smoothing). "
        "CVPR. https://arxiv.org/abs/1512.00567",
    ),
)
