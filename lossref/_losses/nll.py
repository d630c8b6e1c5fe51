"""Negative log-likelihood of given log-probabilities: the ``nll`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ROWS

__all__ = ["NLL", "ENTRY"]


class NLL(Loss):
    r"""Negative log-likelihood: minus the log-probability given to the true class.

    With log-probabilities $\ell \in \mathbb R^C$ per row (classes on the last axis) and an
    integer label $y$,

    $$
    L = -\ell_y, \qquad \frac{\partial L}{\partial \ell_j} = -[j = y].
    $$

    The loss is linear in $\ell$: its gradient is $-1$ at the true class and 0 elsewhere
    ($-w_y / \sum_i w_{y_i}$ per row under the weighted mean), and its second derivative is 0.

    * ``class_weight`` (shape ``(C,)``): an example of class $y$ counts $w_y$ times, and
      ``reduction="mean"`` divides by $\sum_i w_{y_i}$ over the examples kept, as
      PyTorch's ``NLLLoss``.
    * ``ignore_index``: examples with this label contribute nothing and are left out of the
      mean's denominator. torch's default is -100; lossref's None ignores nothing.

    ``log_probs`` are taken as given, like torch (which does not check them either): any finite
    reals are accepted, normalised or not. Only the true class's entry is read, so the loss of
    unnormalised scores (raw logits) is not a cross-entropy and is unbounded below; pass
    ``log_softmax`` outputs, or use ``cross_entropy`` on the logits.

    Examples
    --------
    >>> import numpy as np
    >>> import lossref as lr
    >>> log_probs = np.log([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]])
    >>> round(float(lr.nll([0, 1], log_probs)), 6)                              # (log 2 + log 1.25) / 2
    0.458145
    >>> round(float(lr.nll([0, 1], log_probs, class_weight=[1.0, 3.0, 1.0])), 6)  # (log 2 + 3 log 1.25) / 4
    0.340644
    """

    name = "nll"
    pred_name = "log_probs"
    prediction = "log_probability"
    per_row = True
    parameters = (
        Param("class_weight", None,
              "Weight per class, shape (C,): an example counts class_weight[y] times, and the mean divides by "
              "the sum of these weights over the examples kept (torch's weight=)."),
        Param("ignore_index", None,
              "Integer label whose examples contribute nothing and are left out of the mean (e.g. padding); "
              "any integer, including a real class id. None ignores nothing (torch's default is -100).",
              constraint=V.Optional(V.Integer())),
    )

    def _check_params(self, params, log_probs):
        V.check_ndim(log_probs, "log_probs", 2, "(n, C), classes on the last axis")
        class_weight = V.check_class_weight(params["class_weight"], log_probs.shape[-1], log_probs.dtype)
        return {**params, "class_weight": class_weight}

    def _prepare_target(self, y, log_probs, params):
        arr = np.asarray(y)
        if arr.shape != log_probs.shape[:-1]:
            raise ValueError(
                f"y must hold integer labels of shape {log_probs.shape[:-1]} to match log_probs "
                f"{log_probs.shape}; got shape {arr.shape}"
            )
        labels = V.as_labels(arr, "y")
        V.check_class_range(labels, "y", log_probs.shape[-1], params["ignore_index"])
        return labels

    def _example_weight(self, y, log_probs, params, sample_weight):
        class_weight, ignore = params["class_weight"], params["ignore_index"]
        weight = None
        if class_weight is not None:
            weight = class_weight[np.where(y == ignore, 0, y) if ignore is not None else y]
        if ignore is not None:
            keep = (y != ignore).astype(log_probs.dtype)
            weight = keep if weight is None else weight * keep
        if weight is None:
            return sample_weight
        return weight if sample_weight is None else weight * sample_weight

    def _forward(self, y, log_probs, grad_out, *, ignore_index, **_):
        # An ignored label may lie outside [0, C): read class 0 instead; its weight is 0.
        labels = np.where(y == ignore_index, 0, y)[..., None] if ignore_index is not None else y[..., None]
        loss = -np.take_along_axis(log_probs, labels, axis=-1)[..., 0]
        if grad_out is not None:
            grad_out[...] = 0
            np.put_along_axis(grad_out, labels, -1, axis=-1)
        return loss

    def _forward_hess(self, y, log_probs, **_):
        """The loss is linear in the log-probabilities: every (C, C) block is 0."""
        return np.zeros(log_probs.shape + log_probs.shape[-1:], dtype=log_probs.dtype)


ENTRY = Entry(
    title="Negative log-likelihood",
    family="probabilistic",
    page="nll.md",
    formula=r"L(y, \ell) = -\ell_y",
    gradient=r"\frac{\partial L}{\partial \ell_j} = -[j = y]",
    second_derivative=r"\frac{\partial^2 L}{\partial \ell_j\,\partial \ell_k} = 0",
    target="an integer class label in 0..C-1 per row (shape (n,)); log_probs has shape (n, C)",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=True),
    minimizer="over normalised log-probabilities (log_softmax outputs), exp(log_probs) = P(class | x); over "
               "unconstrained reals there is none: the loss decreases without bound as log_probs[y] grows",
    when_to_use="The last step of a classifier whose network already ends in log_softmax (or any model that "
                 "outputs log-probabilities, such as a language model's token distribution): cross_entropy on "
                 "logits is nll after log_softmax.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.nll_loss(log_probs, y)", True,
           "Same for labels in [0, C): torch's ignore_index defaults to -100, which drops labels equal to -100, "
           "where lossref's None ignores nothing and raises on labels outside [0, C). Neither checks that "
           "log_probs are normalised. With weight= and ignore_index the weighted "
           "mean divides by the sum of the weights of the examples kept, as lossref. If every example is ignored "
           "torch's mean is NaN and lossref's is 0. torch's class axis is 1: for log_probs of shape (n, d, C) pass "
           "log_probs.movedim(-1, 1)."),
        Eq("Keras 3",
           "keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, log_probs)", False,
           "Keras has no NLL on log-probabilities; with from_logits=True it applies log_softmax first, which "
           "leaves normalised log-probabilities unchanged (so the numbers agree, up to float32 rounding) but "
           "renormalises any other input. ignore_class plays ignore_index; no class weights (pass them as "
           "sample_weight=class_weight[y]). " + KERAS_ROWS),
        Eq("optax",
           "-jnp.mean(jnp.take_along_axis(log_probs, y[:, None], axis=-1))", True,
           "optax has no NLL; this indexing is it. "
           "optax.losses.softmax_cross_entropy_with_integer_labels(log_probs, y) also agrees for normalised "
           "log_probs (it renormalises). No class weights or ignore index: multiply per-row values by weights "
           "(0 for ignored rows) and divide by their sum."),
        Eq("scikit-learn",
           "sklearn.metrics.log_loss(y, np.exp(log_probs), labels=np.arange(log_probs.shape[-1]))", False,
           "log_loss takes probabilities (rows that sum to 1) and clips them to [eps, 1 - eps] with eps the "
           "dtype's machine epsilon: it agrees for normalised log_probs above log(eps) (about -36 in float64) and "
           "saturates at 36.04 below. "
           "sample_weight gives the weighted mean sum(w*l)/sum(w), as lossref."),
    ),
    notes=(
        "log_probs must be log-probabilities (log_softmax outputs). Given raw logits, nll reads only the true "
        "class's entry: the loss is then unbounded below and training pushes that logit up without bound; use "
        "cross_entropy for logits.",
        "torch's ignore_index defaults to -100: a label -100 is silently dropped from torch's loss and its mean. "
        "lossref ignores nothing unless asked, and raises on labels outside [0, C).",
        "PyTorch puts classes on axis 1 (N, C, d1, ...); lossref on the last axis.",
    ),
    references=(
        "https://pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html",
        "Bishop, C. M. (2006). Pattern Recognition and Machine Learning, section 4.3.4 (multiclass logistic "
        "regression). Springer.",
    ),
)
