"""Triplet margin loss: the ``triplet_margin`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._info import Entry, Input, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._metric import pnorm_grad, pnorm_rows
from .._structured import StructuredLoss
from ._sentences import KERAS_FLOAT32

__all__ = ["TripletMargin", "ENTRY"]

#: Rows per block: about 2**20 entries per temporary, whatever the dimension.
_BLOCK_ENTRIES = 1 << 20


class TripletMargin(StructuredLoss):
    r"""Triplet margin loss: $L = \max\big(0,\ d(a, p) - d(a, n) + m\big)$.

    The anchor $a$ should be closer to the positive $p$ than to the negative $n$ by at least the
    margin $m$. The distance is PyTorch's ``pairwise_distance``,
    $d(u, v) = \lVert u - v + \epsilon \rVert_p = \big(\sum_k |u_k - v_k + \epsilon|^p\big)^{1/p}$,
    with $\epsilon$ added to every component. With ``swap=True`` the negative distance is
    $\min(d(a, n), d(p, n))$ (Balntas et al.'s distance swap: the harder of the two).

    Gradient. For $w = u - v + \epsilon$ and $p \ge 1$,

    $$
    \frac{\partial \lVert w \rVert_p}{\partial w_k}
      = \frac{1}{p}\Big(\sum_j |w_j|^p\Big)^{1/p - 1} p\,|w_k|^{p-1}\operatorname{sign}(w_k)
      = \operatorname{sign}(w_k) \left(\frac{|w_k|}{\lVert w \rVert_p}\right)^{p-1},
    $$

    ($w_k / \lVert w \rVert_2$ for $p = 2$, $\operatorname{sign}(w_k)$ for $p = 1$); lossref uses 0
    where $w = 0$ (and, for $p = 1$, at $w_k = 0$). Writing $\nabla_{ap}$, $\nabla_{an}$ for this
    gradient at $w = a - p + \epsilon$ and $a - n + \epsilon$, on a violated triplet ($L > 0$)

    $$
    \frac{\partial L}{\partial a} = \nabla_{ap} - \nabla_{an}, \qquad
    \frac{\partial L}{\partial p} = -\nabla_{ap}, \qquad \frac{\partial L}{\partial n} = \nabla_{an},
    $$

    and all three are 0 where $L = 0$ (at the kink $L = 0$ exactly, 0 is returned). When the swap
    picks $d(p, n)$, $\partial L / \partial a = \nabla_{ap}$,
    $\partial L / \partial p = -\nabla_{ap} - \nabla_{pn}$ and $\partial L / \partial n = \nabla_{pn}$.

    Inputs are (N, D), one triplet per row, or (D,) for a single triplet. The rows are processed
    in blocks, so that the temporaries stay small beside the inputs.

    Examples
    --------
    >>> import lossref as lr
    >>> a, p, n = [[0.0, 0.0]], [[3.0, 4.0]], [[6.0, 8.0]]
    >>> print(round(float(lr.triplet_margin(a, p, n, eps=0.0)), 6))     # 5 - 10 + 1 < 0
    0.0
    >>> print(round(float(lr.triplet_margin(a, n, p, eps=0.0)), 6))     # 10 - 5 + 1
    6.0
    >>> lr.triplet_margin.grad(a, n, p, eps=0.0)[0]                      # -(6, 8)/10 + (3, 4)/5
    array([[0., 0.]])
    """

    name = "triplet_margin"
    prediction = "embedding"
    inputs = (Input("anchor"), Input("positive"), Input("negative"))
    parameters = (
        Param("margin", 1.0, "How much closer the positive must be than the negative (>= 0; PyTorch's default 1).",
              constraint=V.Real(low=0)),
        Param("p", 2.0, "The order of the norm of the distance (a real p >= 1; 2 is Euclidean).",
              constraint=V.Real(low=1)),
        Param("eps", 1e-6, "Added to every component of the difference before the norm, as PyTorch's "
              "pairwise_distance does (>= 0).", constraint=V.Real(low=0)),
        Param("swap", False, "Use min(d(a, n), d(p, n)) as the negative distance (the distance swap).",
              constraint=V.Flag()),
    )

    def _check_inputs(self, arrays, params):
        a, p, n = arrays["anchor"], arrays["positive"], arrays["negative"]
        V.check_ndim_in(a, "anchor", (1, 2), "(N, D), one embedding per row, or (D,)")
        V.check_same_shape(a, p, "anchor", "positive")
        V.check_same_shape(a, n, "anchor", "negative")
        return a.shape[:-1]

    def _forward(self, arrays, params, grad_weight):
        a, p, n = arrays["anchor"], arrays["positive"], arrays["negative"]
        shape = a.shape[:-1]
        a2, p2, n2 = (x.reshape(-1, x.shape[-1]) for x in (a, p, n))
        gw = None if grad_weight is None else np.asarray(grad_weight).reshape(-1)
        losses = np.empty(a2.shape[0], dtype=a.dtype)
        grads = None if gw is None else {k: np.zeros_like(a2) for k in ("anchor", "positive", "negative")}
        step = max(1, _BLOCK_ENTRIES // a2.shape[1])
        for start in range(0, a2.shape[0], step):
            rows = slice(start, start + step)
            out = None if grads is None else {k: g[rows] for k, g in grads.items()}
            losses[rows] = self._block(a2[rows], p2[rows], n2[rows], params, None if gw is None else gw[rows], out)
        if grads is None:
            return losses.reshape(shape), None
        return losses.reshape(shape), {k: g.reshape(a.shape) for k, g in grads.items()}

    @staticmethod
    def _block(a, p, n, params, gw, out):
        """Losses of one block of rows; adds ``gw``-weighted gradients into the views ``out``."""
        order, eps, margin = params["p"], params["eps"], params["margin"]
        w_ap, w_an = a - p + eps, a - n + eps
        d_ap, d_an = pnorm_rows(w_ap, order), pnorm_rows(w_an, order)
        d_neg = d_an
        if params["swap"]:
            w_pn = p - n + eps
            d_pn = pnorm_rows(w_pn, order)
            swapped = d_pn < d_an  # a tie keeps d(a, n), as torch.min's gradient does
            d_neg = np.where(swapped, d_pn, d_an)
        violation = d_ap - d_neg + margin
        losses = np.maximum(violation, 0)
        if out is None:
            return losses
        coef = np.where(violation > 0, gw, 0).astype(a.dtype, copy=False)[:, None]
        g_ap = coef * pnorm_grad(w_ap, d_ap, order)
        out["anchor"] += g_ap
        out["positive"] -= g_ap
        if params["swap"]:
            g_an = np.where(swapped[:, None], 0, coef) * pnorm_grad(w_an, d_an, order)
            g_pn = np.where(swapped[:, None], coef, 0) * pnorm_grad(w_pn, d_pn, order)
            out["positive"] -= g_pn
            out["negative"] += g_pn
        else:
            g_an = coef * pnorm_grad(w_an, d_an, order)
        out["anchor"] -= g_an
        out["negative"] += g_an
        return losses


ENTRY = Entry(
    title="Triplet margin loss",
    family="metric",
    page="metric-learning.md#triplet-margin-loss",
    formula=r"L(a, p, n) = \max\big(0,\ \lVert a - p + \epsilon \rVert_p - \lVert a - n + \epsilon \rVert_p + m\big)",
    gradient=(r"\frac{\partial L}{\partial a} = \nabla_{ap} - \nabla_{an},\ \frac{\partial L}{\partial p} = -\nabla_{ap},\ "
              r"\frac{\partial L}{\partial n} = \nabla_{an} \text{ where } L > 0, \quad "
              r"\nabla_{uv,k} = \operatorname{sign}(w_k)\,(|w_k| / \lVert w \rVert_p)^{p-1},\ w = u - v + \epsilon"),
    target="none: the triplet's roles (anchor, positive of the same class, negative of another) are the supervision",
    properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=False),
    minimizer="embeddings in which every anchor is closer to its positive than to its negative by at least the margin",
    when_to_use="Learning an embedding (face recognition, retrieval, re-identification) from triplets mined "
                "from labelled data, when distances, not class scores, are what the model is used for.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, "
           "eps=1e-06, swap=False)", True,
           "Same distance (eps added to each component of the difference, pairwise_distance) and swap; PyTorch also "
           "broadcasts mismatched shapes, which lossref rejects."),
        Eq("Keras 3", "keras.ops.mean(keras.ops.maximum(keras.ops.norm(anchor - positive + 1e-6, axis=-1) - "
           "keras.ops.norm(anchor - negative + 1e-6, axis=-1) + 1.0, 0))", True,
           "Keras 3 has no triplet loss; this is the formula (p=2, no swap) with keras.ops. " + KERAS_FLOAT32),
        Eq("optax", "optax.losses.triplet_margin_loss(anchor, positive, negative, norm_degree=2, margin=1.0, "
           "eps=1e-6).mean()", False,
           "optax puts eps inside the root, on the sum of powers: (sum_k (a_k - p_k)^p + eps)^(1/p), where lossref and "
           "PyTorch compute (sum_k |a_k - p_k + eps|^p)^(1/p); the values differ by about eps (and optax takes no "
           "absolute value, so an odd norm_degree is not a norm). optax returns per-triplet values and has no swap."),
        Eq("scikit-learn", "np.mean(np.maximum(np.linalg.norm(anchor - positive + 1e-6, axis=-1) - "
           "np.linalg.norm(anchor - negative + 1e-6, axis=-1) + 1.0, 0))", True,
           "scikit-learn has no triplet loss; this is the formula (p=2, no swap) with NumPy."),
    ),
    notes=(
        "The loss is 0, with a zero gradient, for every triplet already satisfied by the margin: with random "
        "triplets most are easy and training stalls; mine hard or semi-hard negatives.",
        "Distances grow with the embedding's scale while the margin does not: normalise the embeddings (or bound "
        "their norm), or a larger scale satisfies any margin.",
        "eps is added to every component of the difference (PyTorch's convention), so d(u, u) is "
        "eps * D^(1/p), not 0.",
    ),
    references=(
        "Schroff, F., Kalenichenko, D. and Philbin, J. (2015). FaceNet: A unified embedding for face recognition "
        "and clustering. CVPR.",
        "Balntas, V., Riba, E., Ponsa, D. and Mikolajczyk, K. (2016). Learning local feature descriptors with "
        "triplets and shallow convolutional neural networks. BMVC.",
    ),
)
