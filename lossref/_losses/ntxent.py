"""NT-Xent (normalised temperature-scaled cross-entropy): the ``ntxent`` loss and its catalogue entry."""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as V
from .._info import Entry, Input, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._metric import softplus, unit_rows, unit_rows_backward
from .._structured import StructuredLoss

__all__ = ["NTXent", "ENTRY"]

#: Similarities per block of anchor rows, at least (128 KB of float32): the extra memory beside u and the
#: gradient.
_BLOCK_ENTRIES = 1 << 15


class NTXent(StructuredLoss):
    r"""NT-Xent, the contrastive loss of SimCLR, as optax's ``ntxent`` computes it.

    Every embedding is an anchor; $P(i)$ are the other rows with its label (never $i$ itself),
    $N(i)$ the rows with another label. With cosine similarities over the temperature $\tau$,

    $$
    s_{ij} = \frac{e_i \cdot e_j}{\tau\, \bar n_i \bar n_j}, \qquad \bar n_i = \sqrt{\max(\lVert e_i \rVert^2, \varepsilon)},
    $$

    ($\varepsilon$ is the machine epsilon of the dtype, optax's ``jnp.finfo(dtype).eps``), each
    ordered positive pair $(i, j)$, $j \in P(i)$, is a softmax over that one positive and the
    anchor's negatives (the other positives are left out of its denominator):

    $$
    \ell_{ij} = -\log \frac{e^{s_{ij}}}{e^{s_{ij}} + \sum_{k \in N(i)} e^{s_{ik}}}
             = \operatorname{softplus}\big(\mathrm{LSE}_i - s_{ij}\big), \quad
    \mathrm{LSE}_i = \log \sum_{k \in N(i)} e^{s_{ik}}.
    $$

    Anchor $i$'s loss is $L_i = \sum_{j \in P(i)} \ell_{ij}$ (``reduction="none"``), and "mean"
    is the mean over the ordered positive pairs, each pair weighted by its anchor's weight:
    $\sum_i w_i L_i / \sum_i w_i |P(i)|$. Unit weights give optax's number. An anchor with no
    positive contributes nothing; a batch with no positive pair at all has mean 0 (optax: 0/0,
    NaN). An anchor without negatives has $\mathrm{LSE}_i = -\infty$ and $\ell_{ij} = 0$, as in optax.

    Gradient. With $q_{ij} = \sigma(\mathrm{LSE}_i - s_{ij})$ and the weights $g_i$ of the
    reduction, $G = \partial \sum_i g_i L_i / \partial s$ is
    $G_{ij} = -g_i q_{ij}$ for $j \in P(i)$ and
    $G_{ik} = g_i \big(\sum_{j \in P(i)} q_{ij}\big)\, e^{s_{ik} - \mathrm{LSE}_i}$ for $k \in N(i)$.
    Since $s = U U^\top / \tau$ for the unit rows $U$, $\partial / \partial U = (G + G^\top) U / \tau$,
    and each row goes back through the normalisation, $(I - u_i u_i^\top) / \lVert e_i \rVert$
    (or $I / \sqrt{\varepsilon}$ below the floor). Every anchor's loss depends on every row: the
    weights $g$ enter before the similarities are differentiated.

    Examples
    --------
    >>> import lossref as lr
    >>> e = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]   # same-label pairs aligned, others orthogonal
    >>> print(round(float(lr.ntxent([0, 0, 1, 1], e, temperature=1.0)), 6))   # log(1 + 2 e^(0 - 1)) per pair
    0.551445
    """

    name = "ntxent"
    prediction = "embedding"
    inputs = (Input("labels", "labels"), Input("embeddings"))
    parameters = (
        Param("temperature", 0.07, "Divides the cosine similarities (> 0; optax's default 0.07): lower is sharper.",
              constraint=V.Real(low=0, low_open=True)),
    )

    def _check_inputs(self, arrays, params):
        labels, e = arrays["labels"], arrays["embeddings"]
        V.check_ndim(e, "embeddings", 2, "(N, D), one embedding per row", at_least=False)
        V.check_ndim(labels, "labels", 1, "(N,), one label per row of embeddings", at_least=False)
        V.check_leading(labels, "labels", e.shape[0], "embeddings")
        return labels.shape

    def _mean_terms(self, arrays, params):
        # the same-label rows but itself, counted per label: no (N, N) comparison
        _, inverse, counts = np.unique(arrays["labels"], return_inverse=True, return_counts=True)
        return counts[inverse.reshape(-1)] - 1

    def _forward(self, arrays, params, grad_weight):
        e, labels = arrays["embeddings"], arrays["labels"]
        tau = params["temperature"]
        # optax clips the squared norm at eps: max(||e||, sqrt(eps)) is the same floor on the norm
        floor = float(np.sqrt(np.finfo(e.dtype).eps))
        u, norms = unit_rows(e, floor)
        g = None if grad_weight is None else np.asarray(grad_weight, dtype=e.dtype)
        # The (N, N) similarities are never held whole: each block of anchor rows is computed, used and
        # dropped, so the extra memory is u, the gradient and one block, not N^2 numbers.
        pairs = _positive_pairs(labels)
        lse, losses, mass = _anchor_pass(u, pairs, tau, g)
        if g is None:
            return losses.astype(e.dtype, copy=False), None
        grad_u = _gradient_pass(u, pairs, tau, g, lse, mass)
        return losses.astype(e.dtype, copy=False), {"embeddings": unit_rows_backward(u, norms, floor, grad_u,
                                                                                     overwrite=True)}


def _blocks(u: np.ndarray):
    """Slices of anchor rows whose similarities (B, N) hold ``max(_BLOCK_ENTRIES, u.size / 4)`` numbers:
    the two block-sized arrays of the gradient pass are then at most half the size of the embeddings."""
    n = len(u)
    step = max(1, min(n, max(_BLOCK_ENTRIES, u.size // 4) // n))
    return [slice(start, min(start + step, n)) for start in range(0, n, step)]


def _positive_pairs(labels: np.ndarray):
    """``(anchor, other, start)``: every ordered pair of distinct rows with one label, sorted by anchor;
    the pairs of anchor ``i`` are ``start[i]:start[i + 1]``. Built from the label groups, with no
    (N, N) comparison: a SimCLR batch has 2 pairs per label, not N^2 entries to scan."""
    n = len(labels)
    order = np.argsort(labels, kind="stable")
    _, group_of_sorted, counts = np.unique(labels[order], return_inverse=True, return_counts=True)
    group_start = np.concatenate(([0], np.cumsum(counts)[:-1]))
    group = np.empty(n, dtype=np.intp)
    group[order] = group_of_sorted.reshape(-1)
    size = counts[group]  # each anchor's group, itself included
    first = np.concatenate(([0], np.cumsum(size)[:-1]))
    anchor = np.repeat(np.arange(n), size)
    # the k-th member of anchor i's group is order[group_start + k]
    other = order[np.repeat(group_start[group], size) + np.arange(len(anchor)) - np.repeat(first, size)]
    keep = other != anchor
    start = np.concatenate(([0], np.cumsum(size - 1)))
    return anchor[keep], other[keep], start


def _block(u, pairs, rows, tau):
    """``(s, anchor, other)`` for a block of anchors: their similarity rows ``s`` (B, N) and their
    positive pairs as (local anchor, global row)."""
    # the transpose of u @ (u[rows] / tau).T, s being symmetric: BLAS then packs the small block, not
    # all of u, for each product (twice as fast for blocks of a few rows), and 1/tau scales B x D
    # numbers rather than B x N
    s = (u @ (u[rows] / tau).T).T
    anchor, other, start = pairs
    pair_rows = slice(start[rows.start], start[rows.stop])
    return s, anchor[pair_rows] - rows.start, other[pair_rows]


def _diagonal(rows):
    """Indices of the anchors' self-similarities in their block of similarity rows."""
    local = np.arange(rows.stop - rows.start)
    return local, local + rows.start


# A block s is the transpose of a C-ordered (N, B) array: its rows are that array's columns, and NumPy's
# reductions over them walk N rows of only B numbers. The two below read the array as it lies.
def _row_max(s: np.ndarray) -> np.ndarray:
    """Max of each row of a block ``s`` (B, N): over axis 0 of ``s.T``, folded so that each step spans
    up to 16 of its rows (4x faster than ``s.max(axis=1)`` for blocks of 32 rows)."""
    t = s.T
    n, b = t.shape
    fold = math.gcd(n, 16)
    return t.reshape(n // fold, fold * b).max(axis=0).reshape(fold, b).max(axis=0)


def _row_sum(s: np.ndarray) -> np.ndarray:
    """Sum of each row of a block ``s`` (B, N) as a BLAS product ``1^T s^T`` (5x faster than ``s.sum(axis=1)``)."""
    return np.ones(s.shape[1], dtype=s.dtype) @ s.T


def _anchor_pass(u, pairs, tau, g):
    r"""Per anchor: $\mathrm{LSE}_i$ over its negatives, its loss $L_i$, and (with weights $g$) the mass
    $M_i = g_i \sum_{j \in P(i)} q_{ij}$ that its negatives' softmax carries in the gradient."""
    n = len(u)
    lse, losses = np.empty(n, u.dtype), np.empty(n)
    mass = None if g is None else np.empty(n, u.dtype)
    for rows in _blocks(u):
        s, anchor, other = _block(u, pairs, rows, tau)
        s_pos = s[anchor, other]
        # the negatives' log-sum-exp per anchor, shifted by the row's largest negative logit (the logits
        # reach 1/tau ~ 14 and far more for small tau); -inf for an anchor without negatives
        s[anchor, other] = -np.inf
        s[_diagonal(rows)] = -np.inf
        top = _row_max(s)[:, None]
        top = np.where(np.isfinite(top), top, 0)
        s -= top
        np.exp(s, out=s)
        with np.errstate(divide="ignore"):
            block_lse = top[:, 0] + np.log(_row_sum(s))
        lse[rows] = block_lse
        # softplus(LSE - s) = -log(e^s / (e^s + sum_neg e^s')), stable for any sign (logaddexp)
        z = block_lse[anchor] - s_pos
        losses[rows] = np.bincount(anchor, weights=softplus(z), minlength=len(s))
        if g is not None:
            q = g[rows][anchor] * np.exp(-softplus(-z))  # g_i sigmoid(z) without overflow
            mass[rows] = np.bincount(anchor, weights=q, minlength=len(s))
        del s  # before the next block's is made
    return lse, losses, mass


def _gradient_pass(u, pairs, tau, g, lse, mass):
    r"""$\partial / \partial U = (G + G^\top) U / \tau$, one block of rows of $G + G^\top$ at a time.

    On a negative pair $G_{ik} = M_i e^{s_{ik} - \mathrm{LSE}_i} = e^{s_{ik} + r_i}$ with
    $r_i = \log M_i - \mathrm{LSE}_i$; since $s$ and the masks are symmetric, row $b$ of $G^\top$ is
    $e^{s_{bk} + r_k}$ there: both need only the per-anchor $r$ of the first pass. Each exponent is
    at most $\log M$ ($s_{ik} \le \mathrm{LSE}_i$ on a negative), so nothing overflows there (on the
    positive pairs and the diagonal, which are overwritten, it may). On a positive pair the two
    terms are $-g_b q_{bk} - g_k q_{kb}$.
    """
    with np.errstate(divide="ignore", invalid="ignore"):  # log 0 and -inf - -inf, where np.where drops them
        r = np.where((mass > 0) & np.isfinite(lse), np.log(mass) - lse, -np.inf).astype(u.dtype, copy=False)
    grad_u = np.empty_like(u)
    for rows in _blocks(u):
        s, anchor, other = _block(u, pairs, rows, tau)
        s_pos = s[anchor, other]
        h = s + r[None, :]  # G^T's row: e^{s_bk + r_k}
        np.exp(h, out=h)
        s += r[rows, None]  # G's row: e^{s_bk + r_b}
        np.exp(s, out=s)
        h += s
        h[_diagonal(rows)] = 0
        global_anchor = anchor + rows.start
        q_row = g[global_anchor] * np.exp(-softplus(-(lse[global_anchor] - s_pos)))
        q_col = g[other] * np.exp(-softplus(-(lse[other] - s_pos)))
        h[anchor, other] = -(q_row + q_col)
        np.matmul(h, u, out=grad_u[rows])
        del s, h  # before the next block's are made: one block's arrays alive at a time
    grad_u /= tau
    return grad_u


ENTRY = Entry(
    title="NT-Xent loss",
    family="metric",
    page="metric-learning.md#nt-xent-loss",
    formula=(r"L_i = \sum_{j \in P(i)} -\log \frac{e^{s_{ij}}}{e^{s_{ij}} + \sum_{k \in N(i)} e^{s_{ik}}}, \quad "
             r"s_{ij} = \frac{\cos(e_i, e_j)}{\tau}, \quad \text{mean} = \frac{\sum_i w_i L_i}{\sum_i w_i |P(i)|}"),
    gradient=(r"\frac{\partial L}{\partial s_{ij}} = -q_{ij}\ (j \in P(i)),\ \ "
              r"\Big(\sum_{j \in P(i)} q_{ij}\Big) \operatorname{softmax}_{N(i)}(s_i)_k\ (k \in N(i)), \quad "
              r"q_{ij} = \sigma\big(\mathrm{LSE}_{N(i)}(s_i) - s_{ij}\big); \ \nabla_U = (G + G^\top) U / \tau"),
    target="integer labels: rows with the same label are positives of each other (two views of one image in SimCLR)",
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=False),
    minimizer="same-label rows pointing the same way and other rows pointing away (the loss tends to 0 as the "
              "negatives' cosines fall below the positives' by many temperatures)",
    when_to_use="Self-supervised contrastive learning (SimCLR: two augmentations of each image are the positive "
                "pair, the rest of the batch the negatives), and supervised contrastive learning with class labels.",
    equivalents=(
        Eq("PyTorch", "pytorch_metric_learning.losses.NTXentLoss(temperature=0.07)(embeddings, labels)", False,
           "PyTorch itself has no NT-Xent. The pytorch-metric-learning package's NTXentLoss (which optax cites) "
           "uses the same per-pair softmax over one positive and the negatives; its normalisation epsilon and "
           "reducer are its own, and lossref's tests do not compare with it."),
        Eq("Keras 3",
           "u = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True); s = u @ u.T / 0.07; same = label"
           "s[:, None] == labels[None, :]; pos = same & ~np.eye(len(labels), dtype=bool); lse = scipy.special.lo"
           "gsumexp(np.where(same, -np.inf, s), axis=1, keepdims=True); np.sum(np.where(pos, np.logaddexp(0, lse"
           " - s), 0)) / pos.sum()",
           False,
           "Keras 3 has no NT-Xent; this is optax's formula with NumPy and SciPy (keras.ops has the same "
           "functions), without optax's floor sqrt(eps) on the norms (it matters only for rows shorter than "
           "that)."),
        Eq("optax", "optax.ntxent(embeddings, labels, temperature=0.07)", True,
           "optax takes the embeddings first. The same masks (self-pairs excluded from both positives and "
           "negatives; each positive's softmax over itself and the negatives), the same epsilon (the dtype's "
           "machine epsilon clipping the squared norm) and the same mean over ordered positive pairs. A batch "
           "without positive pairs gives NaN in optax, 0 in lossref. optax has no sample weights."),
        Eq("scikit-learn",
           "u = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True); s = u @ u.T / 0.07; same = label"
           "s[:, None] == labels[None, :]; pos = same & ~np.eye(len(labels), dtype=bool); lse = scipy.special.lo"
           "gsumexp(np.where(same, -np.inf, s), axis=1, keepdims=True); np.sum(np.where(pos, np.logaddexp(0, lse"
           " - s), 0)) / pos.sum()",
           False,
           "scikit-learn has no NT-Xent; this is optax's formula with NumPy and SciPy"
           ", without optax's floor sqrt(eps) on the norms (it matters only for rows shorter than "
           "that)."),
    ),
    notes=(
        "The temperature sets the scale: 0.07 turns cosines in [-1, 1] into logits in [-14.3, 14.3], and the "
        "gradient concentrates on the hardest negatives; a high temperature weighs all negatives alike.",
        "Labels decide the positives: in SimCLR each image's two views share a label no other row has. Rows "
        "with a unique label are anchors of nothing and count only as negatives.",
        "The loss couples the whole batch: sample_weight weighs the anchors (each pair by its anchor's weight); "
        "a row of weight 0 still serves as a positive and a negative for the others.",
    ),
    references=(
        "Chen, T., Kornblith, S., Norouzi, M. and Hinton, G. (2020). A simple framework for contrastive learning "
        "of visual representations. ICML. arXiv:2002.05709.",
        "optax source, optax/losses/_self_supervised.py, function ntxent.",
    ),
)
