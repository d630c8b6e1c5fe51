"""Circle loss: the ``circle`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._info import Entry, Input, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._metric import masked_logsumexp, softplus, unit_rows, unit_rows_backward
from .._structured import StructuredLoss

__all__ = ["Circle", "ENTRY"]

class Circle(StructuredLoss):
    r"""Circle loss (Sun et al. 2020) over a batch, as Keras 3's ``keras.losses.circle`` computes it.

    lossref first normalises the embeddings, $u_i = e_i / \lVert e_i \rVert$ (Keras expects unit
    vectors and uses them as given); a zero row stays zero (the norm is floored at the dtype's
    smallest normal number, so any other row, however short, becomes a unit vector). With $s_{ij} = u_i \cdot u_j$, the cosine
    distance $d_{ij} = \max(1 - s_{ij}, 0)$, margin $m$ and scale $\gamma$, Keras's terms are, for
    a positive $j \in P(i)$ (same label, $j \ne i$) and a negative $k \in N(i)$ (another label),

    $$
    z^p_{ij} = -\gamma\, \alpha^p_{ij}\,(m - d_{ij}), \quad \alpha^p_{ij} = \max(m + d_{ij}, 0); \qquad
    z^n_{ik} = \gamma\, \alpha^n_{ik}\,(1 - m - d_{ik}), \quad \alpha^n_{ik} = \max(1 + m - d_{ik}, 0),
    $$

    (for $d = 1 - s$ these are the paper's $-\gamma\,\alpha_p (s_p - \Delta_p)$ with
    $\alpha_p = [1 + m - s_p]_+$, $\Delta_p = 1 - m$, and $\gamma\,\alpha_n (s_n - \Delta_n)$ with
    $\alpha_n = [s_n + m]_+$, $\Delta_n = m$), and row $i$'s loss is

    $$
    L_i = \operatorname{softplus}\Big(\log \sum_{j \in P(i)} e^{z^p_{ij}} + \log \sum_{k \in N(i)} e^{z^n_{ik}}\Big),
    $$

    0 for a row without positives or without negatives (a log-sum-exp over nothing is $-\infty$).

    Gradient: the exact derivative of this function, weights $\alpha$ included (Keras does not
    stop their gradient either). With $\sigma_i = \sigma(A_i + B_i)$ for the two log-sum-exps
    $A_i, B_i$, and the reduction's weights $g_i$,

    $$
    \frac{\partial}{\partial z^p_{ij}} = g_i \sigma_i\, e^{z^p_{ij} - A_i}, \quad
    \frac{\partial z^p}{\partial d} = \gamma\,(\alpha^p - [m + d > 0]\,(m - d)), \quad
    \frac{\partial z^n}{\partial d} = -\gamma\,(\alpha^n + [1 + m - d > 0]\,(1 - m - d)),
    $$

    (and $e^{z^n_{ik} - B_i}$ for the negatives), $\partial d / \partial s = -[s < 1]$; then, with
    $G = \partial / \partial s$, $\partial / \partial U = (G + G^\top) U$ and each row goes back
    through its normalisation $(I - u u^\top) / \lVert e \rVert$.

    Examples
    --------
    >>> import lossref as lr
    >>> e = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]   # positives at d = 0, negatives at d = 1
    >>> print(round(float(lr.circle([0, 0, 1, 1], e, gamma=1.0, margin=0.25)), 6))
    1.017038
    """

    name = "circle"
    prediction = "embedding"
    inputs = (Input("labels", "labels"), Input("embeddings"))
    parameters = (
        Param("gamma", 80.0, "The scale of the similarities (> 0; Keras's default 80).",
              constraint=V.Real(low=0, low_open=True)),
        Param("margin", 0.4, "The relaxation m: positives aim at a similarity above 1 - m, negatives below m "
              "(in [0, 1]; Keras's default 0.4).", constraint=V.Real(low=0, high=1)),
    )

    def _check_inputs(self, arrays, params):
        labels, e = arrays["labels"], arrays["embeddings"]
        V.check_ndim(e, "embeddings", 2, "(N, D), one embedding per row", at_least=False)
        V.check_ndim(labels, "labels", 1, "(N,), one label per row of embeddings", at_least=False)
        V.check_leading(labels, "labels", e.shape[0], "embeddings")
        return labels.shape

    def _forward(self, arrays, params, grad_weight):
        gamma, m = params["gamma"], params["margin"]
        labels = arrays["labels"]
        floor = float(np.finfo(arrays["embeddings"].dtype).tiny)
        u, norms = unit_rows(arrays["embeddings"], floor)
        s = u @ u.T
        dist = np.maximum(1 - s, 0)
        same = labels[:, None] == labels[None, :]
        positive = same.copy()
        np.fill_diagonal(positive, False)
        negative = ~same
        alpha_p, alpha_n = np.maximum(m + dist, 0), np.maximum(1 + m - dist, 0)
        z_p = -gamma * alpha_p * (m - dist)
        z_n = gamma * alpha_n * (1 - m - dist)
        # max-shifted log-sum-exps: with gamma = 80 the terms reach about +-300, far past exp's range
        lse_p, lse_n = masked_logsumexp(z_p, positive), masked_logsumexp(z_n, negative)
        total = lse_p + lse_n  # -inf when a row has no positives or no negatives
        losses = softplus(total)
        if grad_weight is None:
            return losses, None
        sig = np.exp(-softplus(-total))  # sigmoid without overflow; 0 at -inf
        coef = np.asarray(grad_weight, dtype=u.dtype) * sig
        safe = lambda v: np.where(np.isfinite(v), v, 0)[:, None]  # noqa: E731
        # each softmax masked before its exponential, so exp never sees +inf
        soft_p = np.exp(np.where(positive, z_p - safe(lse_p), -np.inf))
        soft_n = np.exp(np.where(negative, z_n - safe(lse_n), -np.inf))
        dzp = gamma * (alpha_p - (m + dist > 0) * (m - dist))
        dzn = -gamma * (alpha_n + (1 + m - dist > 0) * (1 - m - dist))
        grad_s = -coef[:, None] * (soft_p * dzp + soft_n * dzn) * (s < 1)
        grad_u = (grad_s + grad_s.T) @ u
        return losses, {"embeddings": unit_rows_backward(u, norms, floor, grad_u)}


ENTRY = Entry(
    title="Circle loss",
    family="metric",
    page="metric-learning.md#circle-loss",
    formula=(r"L_i = \operatorname{softplus}\Big(\log \sum_{j \in P(i)} e^{-\gamma \alpha^p_{ij} (m - d_{ij})} + "
             r"\log \sum_{k \in N(i)} e^{\gamma \alpha^n_{ik} (1 - m - d_{ik})}\Big), \ "
             r"\alpha^p = [m + d]_+,\ \alpha^n = [1 + m - d]_+,\ d = [1 - \cos]_+"),
    gradient=(r"\frac{\partial L_i}{\partial z_{ij}} = \sigma(A_i + B_i) \operatorname{softmax}(z_i)_j "
              r"\text{ within } P(i) \text{ and } N(i); \ \frac{\partial z^p}{\partial d} = \gamma(\alpha^p - (m - d)), "
              r"\ \frac{\partial z^n}{\partial d} = -\gamma(\alpha^n + (1 - m - d))"),
    target="integer labels: rows with the same label are positives of each other",
    properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=False),
    minimizer="same-label similarities above 1 - m and other-label similarities below m for every row",
    when_to_use="Deep metric learning with class labels (face recognition, person re-identification, image "
                "retrieval), when pairs far from their optimum should get larger steps than those nearly done.",
    equivalents=(
        Eq("PyTorch", "pytorch_metric_learning.losses.CircleLoss(m=0.4, gamma=80)(embeddings, labels)", False,
           "PyTorch itself has no Circle loss. The pytorch-metric-learning package's CircleLoss has the same "
           "defaults; its reduction over rows is its own, and lossref's tests do not compare with it."),
        Eq("Keras 3", "keras.losses.Circle(gamma=80.0, margin=0.4)(labels, embeddings / np.linalg.norm(embeddings, "
           "axis=1, keepdims=True))", False,
           "Keras expects unit vectors (lossref normalises them itself). The Circle class averages only over the "
           "rows whose loss is above 0 (it masks the others out of the mean), lossref's mean divides by every "
           "row. keras.losses.circle(labels, unit_embeddings) gives lossref's per-row values. Keras "
           "differentiates through alpha as lossref does; the widely copied PyTorch code of the paper detaches "
           "alpha (sp.detach()), so its gradient differs."),
        Eq("optax",
           "u = embeddings / jnp.linalg.norm(embeddings, axis=1, keepdims=True); d = jnp.maximum(1 - u @ u.T, 0)"
           "; same = labels[:, None] == labels[None, :]; pos = same & ~jnp.eye(len(labels), dtype=bool); zp = jn"
           "p.where(pos, -80.0 * jnp.maximum(0.4 + d, 0) * (0.4 - d), -jnp.inf); zn = jnp.where(~same, 80.0 * jn"
           "p.maximum(1.4 - d, 0) * (0.6 - d), -jnp.inf); jnp.mean(jnp.logaddexp(0, jax.nn.logsumexp(zp, axis=1)"
           " + jax.nn.logsumexp(zn, axis=1)))",
           True,
           "optax has no Circle loss; this is Keras's formula with jax.numpy on normalised rows."),
        Eq("scikit-learn",
           "u = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True); d = np.maximum(1 - u @ u.T, 0); "
           "same = labels[:, None] == labels[None, :]; pos = same & ~np.eye(len(labels), dtype=bool); zp = np.wh"
           "ere(pos, -80.0 * np.maximum(0.4 + d, 0) * (0.4 - d), -np.inf); zn = np.where(~same, 80.0 * np.maximu"
           "m(1.4 - d, 0) * (0.6 - d), -np.inf); np.mean(np.logaddexp(0, scipy.special.logsumexp(zp, axis=1) + s"
           "cipy.special.logsumexp(zn, axis=1)))",
           True,
           "scikit-learn has no Circle loss; this is Keras's formula with NumPy and SciPy on normalised rows."),
    ),
    notes=(
        "gamma = 80 turns similarities into logits of about +-100: a loss computed without a shifted "
        "log-sum-exp overflows float32; lossref shifts.",
        "Rows without positives or without negatives contribute 0 and no gradient: batches need at least two "
        "examples per class.",
        "Keras's Circle drops zero-loss rows from its mean, so a batch of nearly solved rows gets a larger "
        "value there than here.",
    ),
    references=(
        "Sun, Y., Cheng, C., Zhang, Y., Zhang, C., Zheng, L., Wang, Z. and Wei, Y. (2020). Circle loss: A unified "
        "perspective of pair similarity optimization. CVPR. arXiv:2002.10857.",
        "Keras source, keras/src/losses/losses.py, function circle.",
    ),
)
