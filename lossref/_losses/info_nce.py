"""InfoNCE: the ``info_nce`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._info import Entry, Input, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._metric import masked_logsumexp, unit_rows, unit_rows_backward
from .._structured import StructuredLoss
from ._sentences import KERAS_ROWS

__all__ = ["InfoNCE", "ENTRY"]

#: The floor on the norm of F.normalize, which the info-nce-pytorch package uses.
NORM_FLOOR = 1e-12


class InfoNCE(StructuredLoss):
    r"""InfoNCE: the cross-entropy of picking each query's positive key among its negatives.

    Every vector is first normalised, $\hat x = x / \max(\lVert x \rVert, 10^{-12})$ (PyTorch's
    ``F.normalize``). With negatives $n_1, \dots, n_M$ shared by all queries, query $i$'s logits
    are $z_i = (\hat q_i \cdot \hat k_i,\ \hat q_i \cdot \hat n_1, \dots, \hat q_i \cdot \hat n_M) / \tau$
    with the positive first, and

    $$
    L_i = -\log \frac{e^{z_{i0}}}{\sum_j e^{z_{ij}}} = \mathrm{LSE}(z_i) - z_{i0}.
    $$

    Without ``negative_keys`` the other rows' positive keys are the negatives (in-batch
    negatives): $z_{ij} = \hat q_i \cdot \hat k_j / \tau$ over all $N$ keys, the diagonal
    $j = i$ being the positive, as in the ``info-nce-pytorch`` package.

    Gradient. With $p_i = \operatorname{softmax}(z_i)$ and the reduction's weights $g_i$, the
    logits' gradient is $G_i = g_i (p_i - e_{\text{pos}}) / \tau$; then
    $\partial / \partial \hat q_i = \sum_j G_{ij} \hat k_j$ (over the row's keys),
    $\partial / \partial \hat k = G^\top \hat q$ restricted to each key's column, and each vector
    goes back through its normalisation, $(I - \hat x \hat x^\top) / \lVert x \rVert$ (or
    $I / 10^{-12}$ below the floor). The keys are shared between queries, so their gradients
    sum over every query that sees them.

    Examples
    --------
    >>> import lossref as lr
    >>> q, k = [[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [0.0, 3.0]]       # aligned with their own key only
    >>> print(round(float(lr.info_nce(q, k, temperature=1.0)), 6))      # log(1 + e^(0 - 1))
    0.313262
    """

    name = "info_nce"
    prediction = "embedding"
    inputs = (Input("query"), Input("positive_key"), Input("negative_keys", optional=True))
    parameters = (
        Param("temperature", 0.1, "Divides the cosine similarities (> 0; info-nce-pytorch's default 0.1).",
              constraint=V.Real(low=0, low_open=True)),
    )

    def _check_inputs(self, arrays, params):
        q, k, neg = arrays["query"], arrays["positive_key"], arrays["negative_keys"]
        V.check_ndim(q, "query", 2, "(N, D), one query per row", at_least=False)
        V.check_same_shape(q, k, "query", "positive_key")
        if neg is not None:
            V.check_ndim(neg, "negative_keys", 2, "(M, D), negatives shared by every query", at_least=False)
            V.check_same_width(neg, "negative_keys", q.shape[1], "query")
        return q.shape[:1]

    def _forward(self, arrays, params, grad_weight):
        tau = params["temperature"]
        q, qn = unit_rows(arrays["query"], NORM_FLOOR)
        k, kn = unit_rows(arrays["positive_key"], NORM_FLOOR)
        shared = arrays["negative_keys"] is not None
        if shared:
            n, nn = unit_rows(arrays["negative_keys"], NORM_FLOOR)
            logits = np.concatenate([np.einsum("ij,ij->i", q, k)[:, None], q @ n.T], axis=1) / tau
            positive = np.zeros(logits.shape, dtype=bool)
            positive[:, 0] = True
        else:
            logits = (q @ k.T) / tau
            positive = np.eye(len(q), dtype=bool)
        # max-shifted log-sum-exp: with tau = 0.1 the logits reach +-10, with smaller tau far more
        lse = masked_logsumexp(logits, np.ones_like(positive))
        losses = lse - logits[positive]
        if grad_weight is None:
            return losses, None
        g = np.asarray(grad_weight, dtype=q.dtype)[:, None]
        grad_z = g * (np.exp(logits - lse[:, None]) - positive) / tau
        if shared:
            grad_q = grad_z[:, :1] * k + grad_z[:, 1:] @ n
            grad_k = grad_z[:, :1] * q
        else:
            grad_q = grad_z @ k
            grad_k = grad_z.T @ q
        grads = {"query": unit_rows_backward(q, qn, NORM_FLOOR, grad_q),
                 "positive_key": unit_rows_backward(k, kn, NORM_FLOOR, grad_k)}
        if shared:
            grads["negative_keys"] = unit_rows_backward(n, nn, NORM_FLOOR, grad_z[:, 1:].T @ q)
        return losses, grads


ENTRY = Entry(
    title="InfoNCE loss",
    family="metric",
    page="metric-learning.md#infonce-loss",
    formula=(r"L_i = -\log \frac{e^{\hat q_i \cdot \hat k_i / \tau}}{e^{\hat q_i \cdot \hat k_i / \tau} + "
             r"\sum_{m} e^{\hat q_i \cdot \hat n_m / \tau}}, \quad \hat x = x / \max(\lVert x \rVert, 10^{-12})"),
    gradient=(r"\frac{\partial L_i}{\partial z_i} = \frac{\operatorname{softmax}(z_i) - e_{\text{pos}}}{\tau}, "
              r"\ \nabla_{\hat q_i} = \sum_j \frac{\partial L}{\partial z_{ij}} \hat k_j, \ "
              r"\nabla_x = \frac{(I - \hat x \hat x^\top) \nabla_{\hat x}}{\lVert x \rVert}"),
    target="none: the pairing of each query with the key in the same row is the supervision",
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=False),
    minimizer="each query aligned with its own key and away from the negatives (the loss tends to 0 as the "
              "margin in cosine grows over many temperatures)",
    when_to_use="Contrastive representation learning from paired views (CPC, MoCo, CLIP-style query/key pairs), "
                "with negatives from a memory bank (negative_keys) or from the rest of the batch.",
    equivalents=(
        Eq("PyTorch", "info_nce.InfoNCE(temperature=0.1)(query, positive_key, negative_keys)", True,
           "Not in torch itself: the info-nce-pytorch package (negative_mode='unpaired'), whose normalisation "
           "(F.normalize, floor 1e-12), logit layout (positive first) and in-batch negatives without "
           "negative_keys lossref follows."),
        Eq("Keras 3",
           "u = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True); logits = np.concatenate([np.sum(u(query)"
           " * u(positive_key), axis=1, keepdims=True), u(query) @ u(negative_keys).T], axis=1) / 0.1; keras.los"
           "ses.SparseCategoricalCrossentropy(from_logits=True)(np.zeros(len(query)), logits)",
           True,
           "Keras 3 has no InfoNCE; this is the formula (shared negatives) as Keras's cross-entropy on logits. "
           "Without negatives use logits = u(query) @ u(positive_key).T / 0.1 and labels np.arange(len(query)). "
           + KERAS_ROWS),
        Eq("optax",
           "u = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True); logits = np.concatenate([np.sum(u(query)"
           " * u(positive_key), axis=1, keepdims=True), u(query) @ u(negative_keys).T], axis=1) / 0.1; optax.los"
           "ses.softmax_cross_entropy_with_integer_labels(logits, np.zeros(len(query), int)).mean()",
           True,
           "optax has no InfoNCE; this is the formula with its cross-entropy. optax's ntxent is another loss: "
           "every row of the batch is an anchor and the other queries are negatives too."),
        Eq("scikit-learn",
           "u = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True); logits = np.concatenate([np.sum(u(query)"
           " * u(positive_key), axis=1, keepdims=True), u(query) @ u(negative_keys).T], axis=1) / 0.1; sklearn.m"
           "etrics.log_loss(np.zeros(len(query)), scipy.special.softmax(logits, axis=1), labels=range(logits.sha"
           "pe[1]))",
           False,
           "scikit-learn has no InfoNCE; log_loss on the softmax gives it, except that log_loss clips the "
           "probabilities to [eps, 1 - eps], so a row whose positive has probability below about 1e-16 differs."),
    ),
    notes=(
        "The loss is a cross-entropy over 1 + M candidates: its value at random embeddings is about "
        "log(1 + M), and it cannot say much once log(1 + M) is small; more negatives tighten the "
        "mutual-information bound it estimates.",
        "In-batch negatives couple the batch: a row's key is a negative for every other query, so its "
        "gradient sums over all of them, and duplicates in a batch become false negatives.",
        "This is the one-directional loss (queries to keys); CLIP averages it with the keys-to-queries "
        "direction, and NT-Xent makes every row an anchor.",
    ),
    references=(
        "van den Oord, A., Li, Y. and Vinyals, O. (2018). Representation learning with contrastive predictive "
        "coding. arXiv:1807.03748.",
        "The info-nce-pytorch package (RElbers/info-nce-pytorch), function info_nce.",
    ),
)
