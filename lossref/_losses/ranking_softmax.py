"""Softmax ranking loss: the ``ranking_softmax`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._stable import exp_and_log_sum_exp, masked_shift_by_row_max, shift_by_row_max
from ._sentences import KERAS_ROWS

__all__ = ["RankingSoftmax", "ENTRY"]


class RankingSoftmax(Loss):
    r"""Listwise softmax loss: $L = -\sum_i r_i \log \operatorname{softmax}(s)_i$ over each list.

    A row of ``scores`` $s$ is one list (a query's candidate items, on the last axis) and the
    row of ``relevance`` $r \ge 0$ grades its items; the relevance is used as given, not
    normalised to sum to 1 (as optax's ``ranking_softmax_loss``). The softmax runs over the
    valid items $V$ of the row (``mask``; all items when None). With
    $R = \sum_{i \in V} r_i$ and $\operatorname{lse} = \log \sum_{j \in V} e^{s_j}$,

    $$
    \log \operatorname{softmax}(s)_i = s_i - \operatorname{lse}
    \quad\Rightarrow\quad
    L = R\,\operatorname{lse} - \sum_{i \in V} r_i s_i .
    $$

    The derivative of the log-sum-exp is the softmax,
    $\partial \operatorname{lse} / \partial s_j = e^{s_j} / \sum_{k \in V} e^{s_k} = p_j$, so

    $$
    \frac{\partial L}{\partial s_j} = R\,p_j - r_j \quad (j \in V), \qquad
    \frac{\partial L}{\partial s_j} = 0 \quad (j \notin V),
    $$

    and, differentiating $p_j$ once more, the Hessian of a row is
    $R\,(\operatorname{diag}(p) - p p^\top)$ on the valid items (zero elsewhere). The gradient of a
    row sums to $R - R = 0$: adding a constant to every score of a list changes nothing. With
    one-hot relevance this is ``cross_entropy`` on the scores.

    * A masked item is removed from the list: its score leaves the softmax and its relevance is
      ignored (it may be any finite number, e.g. the -1 that marks padding in some datasets).
    * A list with no relevant item ($R = 0$) costs 0 and gets gradient 0; it counts in the mean.
    * A list whose items are all masked costs 0, gets gradient 0, and is left out of the mean
      (its weight is 0), as optax leaves it out; if every list is, the mean is 0.

    **Stability.** $\operatorname{lse}$ is computed after subtracting the row's largest valid
    score $m$, $L = R \log\sum_{j} e^{s_j - m} - \sum_i r_i (s_i - m)$: no exponential overflows,
    and a masked item enters as $e^{-\infty} = 0$.

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.ranking_softmax([[1, 0, 0]], [[2.0, 1.0, 3.0]])), 3)   # optax's docstring: 1.408
    1.408
    >>> lr.ranking_softmax.grad([[1, 0, 0]], [[2.0, 1.0, 3.0]]).round(3)       # softmax(s) - r
    array([[-0.755,  0.09 ,  0.665]])
    >>> mask = [[True, True, False], [True, True, True]]
    >>> round(float(lr.ranking_softmax([[1, 0, 0], [0, 0, 1]], [[2.0, 1.0, 0.0], [1.0, 0.5, 1.5]], mask=mask)), 3)
    0.497
    """

    name = "ranking_softmax"
    pred_name = "scores"
    target_name = "relevance"
    prediction = "score"
    per_row = True
    parameters = (
        Param("mask", None,
              "Boolean array of the scores' shape, True for a valid item; masked items leave the softmax and "
              "their relevance is ignored (optax's where). None: every item is valid."),
    )

    def _check_params(self, params, scores):
        V.check_ndim(scores, "scores", 2, "(n, L): one list per row, its items on the last axis")
        mask = params["mask"]
        if mask is None:
            return params
        return {**params, "mask": V.check_mask(mask, "mask", scores.shape, "scores")}

    def _prepare_target(self, relevance, scores, params):
        relevance = V.as_target(relevance, "relevance", scores.dtype)
        V.check_same_shape(relevance, scores, "relevance", "scores")
        return relevance

    def _aligned_params(self, relevance, scores, params):
        return {} if params["mask"] is None else {"mask": params["mask"]}

    def _check_block(self, relevance, scores, start, params):
        V.check_finite(relevance, "relevance", start)
        mask = params["mask"]
        valid = relevance if mask is None else np.where(mask, relevance, 0)
        V.check_nonnegative(valid, "relevance", "relevance grades", start,
                            when="" if mask is None else " at the valid items")

    def _example_weight(self, relevance, scores, params, sample_weight):
        mask = params["mask"]
        if mask is None:
            return sample_weight
        has_items = mask.any(axis=-1)
        if has_items.all():
            return sample_weight
        keep = has_items.astype(scores.dtype)  # a list with no valid item is left out of the mean
        return keep if sample_weight is None else keep * sample_weight

    def _shift(self, relevance, scores, mask, out=None):
        """The relevance of the valid items, the scores minus the row's largest valid score, its position."""
        if mask is None:
            shifted, top = shift_by_row_max(scores, out=out)  # log-sum-exp shift: every exponent <= 0
            return relevance, shifted, top
        gains = np.where(mask, relevance, 0)  # a masked item's relevance is ignored
        shifted, top = masked_shift_by_row_max(scores, mask, out=out)  # masked items: -inf
        return gains, shifted, top

    def _forward(self, relevance, scores, grad_out, *, mask, **_):
        gains, shifted, top = self._shift(relevance, scores, mask, out=grad_out)
        mass = gains.sum(axis=-1)
        # sum_i r_i (s_i - m), skipping r_i = 0: a masked item (-inf) or one so far below the top that
        # s_i - m overflowed to -inf would give 0 * -inf = NaN
        with np.errstate(invalid="ignore"):
            gain_dot_shifted = np.where(gains > 0, gains * shifted, 0).sum(axis=-1)
        log_sum_exp, sum_exp = exp_and_log_sum_exp(shifted, top)  # shifted now holds the exponentials
        # -sum_i r_i log p_i = R lse - sum_i r_i (s_i - m); a row with no valid item has R = 0, lse = 0
        loss = mass * log_sum_exp - gain_dot_shifted
        if grad_out is not None:
            softmax = shifted
            softmax *= (mass / sum_exp)[..., None]  # R p: 0 at masked items, and on rows with R = 0
            softmax -= gains
        return loss.astype(scores.dtype, copy=False)

    def _forward_hess(self, relevance, scores, *, mask, **_):
        gains, shifted, top = self._shift(relevance, scores, mask)
        _, sum_exp = exp_and_log_sum_exp(shifted, top)
        p = shifted / sum_exp[..., None]  # 0 at masked items
        hess = -p[..., :, None] * p[..., None, :]
        diagonal = np.einsum("...jj->...j", hess)  # a writable view of the diagonal
        diagonal += p
        return hess * gains.sum(axis=-1)[..., None, None]


ENTRY = Entry(
    title="Softmax ranking loss",
    family="ranking",
    page="ranking.md#softmax-ranking-loss",
    formula=r"L(r, s) = -\sum_{i} r_i \log \frac{e^{s_i}}{\sum_{j} e^{s_j}}",
    gradient=r"\frac{\partial L}{\partial s_j} = \Big(\sum_i r_i\Big) \operatorname{softmax}(s)_j - r_j",
    second_derivative=(r"\frac{\partial^2 L}{\partial s_j\,\partial s_k} = R\left(p_j\,[j = k] - p_j\,p_k\right), "
                       r"\qquad p = \operatorname{softmax}(s), \quad R = \textstyle\sum_i r_i"),
    target="relevance grades >= 0, one per item, of the scores' shape (n, L): one list per row; used as given, "
           "not normalised",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=False),
    minimizer="scores whose softmax over the list is each item's expected share of the list's relevance, "
              "E[r_i] / E[sum_j r_j] (for one-hot relevance, the probability that item i is the relevant one); "
              "the scores are fixed only up to a constant per list",
    when_to_use="Learning to rank from graded relevance or clicks, one list of candidates per query: a listwise "
                "loss that is cross-entropy over the list, cheap and a good default (ListNet with a one-hot top).",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.cross_entropy(scores, relevance)", True,
           "PyTorch has no ranking loss; cross_entropy with a float target of the scores' shape computes "
           "-sum_i r_i log softmax(s)_i, and torch documents that target as probabilities but does not check that "
           "its rows sum to 1, so raw relevance works. Lists on "
           "axis 0 and items on axis 1 (for more axes, move the items to axis 1). No mask: fill masked scores with "
           "-inf and use torch.where(mask, relevance * torch.log_softmax(scores, -1), 0).sum(-1), whose mean over "
           "lists with a valid item is lossref's (0 * -inf is NaN in torch)."),
        Eq("Keras 3", "keras.losses.CategoricalCrossentropy(from_logits=True)(relevance, scores)", True,
           "Keras 3 has no ranking loss; categorical cross-entropy with "
           "from_logits=True does not normalise the target rows, so raw relevance gives this loss. No mask. "
           + KERAS_ROWS),
        Eq("optax", "optax.losses.ranking_softmax_loss(scores, relevance)", True,
           "The scores come first. where= is lossref's mask, with the same semantics (masked scores -inf, masked "
           "relevance 0, lists with no valid item left out of the mean). Its weights= (one per item) multiplies the "
           "relevance: pass relevance * weights to lossref; lossref's sample_weight weights whole lists. "
           "reduce_fn=jnp.sum is reduction=\"sum\", reduce_fn=None gives the per-list values."),
        Eq("scikit-learn", "np.mean(-(relevance * scipy.special.log_softmax(scores, axis=-1)).sum(axis=-1))", True,
           "scikit-learn has no ranking loss (ndcg_score and label_ranking_loss are metrics of a different "
           "kind); this is the formula with NumPy and SciPy."),
    ),
    notes=(
        "The relevance is used raw: a list with relevance (3, 2, 0) weighs five times as much as one with (1, 0, 0). "
        "To weigh every list alike, pass relevance / relevance.sum(-1, keepdims=True) (lists with a relevant item "
        "only).",
        "A list with no relevant item costs 0 and gives no gradient, yet counts in the mean, so many such lists "
        "shrink the loss and its gradient; sample_weight=relevance.sum(-1) > 0 averages over the others.",
        "Padding must be masked, not only given relevance 0: an unmasked padded item still takes probability in "
        "the softmax, and its score gets a gradient pushing it down.",
        "Only score differences within a list matter: adding a constant to a list's scores changes nothing, so "
        "scores of different lists are not comparable.",
    ),
    references=(
        "Cao, Z., Qin, T., Liu, T.-Y., Tsai, M.-F. and Li, H. (2007). Learning to rank: from pairwise approach to "
        "listwise approach (ListNet). ICML. https://doi.org/10.1145/1273496.1273513",
        "Bruch, S., Wang, X., Bendersky, M. and Najork, M. (2019). An analysis of the softmax cross entropy loss "
        "for learning-to-rank with binary relevance. ICTIR. https://doi.org/10.1145/3341981.3344221",
        "https://optax.readthedocs.io/en/latest/api/losses.html#optax.losses.ranking_softmax_loss",
    ),
)
