"""Connectionist temporal classification: the ``ctc`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._info import Entry, Input, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._structured import StructuredLoss

__all__ = ["CTC", "ENTRY"]

# Two columns of log 0 to the left of every alpha row and to the right of every beta row, so that
# the terms from s - 1, s - 2 (forward) and s + 1, s + 2 (backward) are plain slices: no edge cases.
_PAD = 2


class CTC(StructuredLoss):
    r"""CTC loss: $L = -\log p(\mathbf{l} \mid \mathbf{x})$, summed over every alignment of the target.

    The network gives, at each of $T$ time steps, a distribution $y_t = \mathrm{softmax}(z_t)$
    over $C$ symbols, one of which is the blank. An alignment $\pi$ is a symbol per step; it
    produces the target $\mathbf{l}$ (length $S$) when merging repeats and then dropping blanks
    gives $\mathbf{l}$. With $\mathcal{B}^{-1}(\mathbf{l})$ the set of those alignments,

    $$
    L = -\log \sum_{\pi \in \mathcal{B}^{-1}(\mathbf{l})} \prod_{t=1}^{T} y_t(\pi_t).
    $$

    The sum runs over the extended sequence $l'$ (length $2S + 1$: a blank before, between and
    after the labels). The forward variables $\alpha_t(s)$, the probability of the prefixes that end
    at step $t$ in position $s$, obey

    $$
    \alpha_t(s) = y_t(l'_s)\,\big[\alpha_{t-1}(s) + \alpha_{t-1}(s-1) + [l'_s \ne b,\ l'_s \ne l'_{s-2}]\,
    \alpha_{t-1}(s-2)\big],
    $$

    from $\alpha_1(0) = y_1(b)$, $\alpha_1(1) = y_1(l_1)$; then $p = \alpha_T(2S) + \alpha_T(2S-1)$.
    The backward variables $\beta_t(s)$ (the suffixes after step $t$) obey the mirror recursion, and
    $\alpha_t(s)\beta_t(s)$ is the probability of the alignments through $(t, s)$. The gradient in
    the logits is softmax minus the posterior occupation of each symbol:

    $$
    \frac{\partial L}{\partial z_{t,k}} = y_t(k) - \frac{1}{p}\sum_{s:\ l'_s = k} \alpha_t(s)\,\beta_t(s).
    $$

    Both recursions run in log space (a log-sum-exp of three terms per cell), vectorised over the
    batch and the extended positions, one step per time step. ``logits`` are (N, T, C), batch
    first and unnormalised; ``targets`` (N, S) are padded integer labels. Beyond ``input_lengths``
    the gradient is 0, and labels beyond ``target_lengths`` are never read. A target that no
    alignment produces (it needs $T_n \ge S_n + $ the number of repeated neighbours, a blank
    between each pair) raises ``ValueError`` naming the sequence; with ``zero_infinity=True`` its
    loss and gradient are 0 instead.

    Examples
    --------
    With uniform logits every alignment of two steps over {blank, a} has probability 1/4, and
    three of them ("aa", "-a", "a-") collapse to "a":

    >>> import numpy as np
    >>> import lossref as lr
    >>> float(np.exp(-lr.ctc([[1]], np.zeros((1, 2, 2)))))
    0.75
    >>> lr.ctc([[1, 1]], np.zeros((1, 3, 2)), reduction="none").round(6)   # only "a-a": 1/8
    array([2.079442])
    """

    name = "ctc"
    pred_name = "logits"
    prediction = "logit"
    inputs = (Input("targets", "labels"), Input("logits"))
    parameters = (
        Param("input_lengths", None,
              "Integer (N,): the number of valid time steps of each sequence; None means T for every sequence.",
              constraint=None),
        Param("target_lengths", None,
              "Integer (N,): the number of labels of each target; None means S (every column) for every target.",
              constraint=None),
        Param("blank", 0, "Index of the blank symbol among the C classes (PyTorch's and optax's default 0).",
              constraint=V.Integer(low=0)),
        Param("zero_infinity", False,
              "Give a target that no alignment can produce loss 0 and gradient 0 instead of raising.",
              constraint=V.Flag()),
    )

    # ------------------------------------------------------------------ validation
    def _check_inputs(self, arrays, params):
        targets, logits = arrays["targets"], arrays["logits"]
        V.check_ndim(logits, "logits", 3, "(N, T, C): batch, time, classes", at_least=False)
        V.check_ndim(targets, "targets", 2, "(N, S): one padded label sequence per row", at_least=False)
        n, t, c = logits.shape
        if targets.shape[0] != n:
            raise V.wrong_shape("targets", f"have one row per sequence of logits {logits.shape} (batch first: "
                                f"(N, T, C)), so {n} rows", targets.shape)
        V.check_scalar(params["blank"], "blank", low=0, high=c - 1, integer=True)
        _lengths(arrays, params)  # checks both lengths
        return (n,)

    # ------------------------------------------------------------------ the loss
    def _forward(self, arrays, params, grad_weight):
        targets, logits = arrays["targets"], arrays["logits"]
        blank, zero_infinity = params["blank"], params["zero_infinity"]
        t_len, s_len = _lengths(arrays, params)
        ext, skip = _extended(targets, s_len, blank)
        feasible = _feasible(targets, t_len, s_len, zero_infinity)

        logp = _log_softmax(logits)
        alpha = _forward_variables(logp, ext, skip)
        log_p = _log_likelihood(alpha, t_len, s_len)
        losses = np.where(feasible, -log_p, 0)
        if grad_weight is None:
            return losses, None
        weight = np.where(feasible, grad_weight, 0)
        # An infeasible sequence's log p is -inf: any finite value avoids -inf - (-inf) below, and its
        # weight is already 0.
        log_p = np.where(feasible, log_p, 0)
        return losses, {"logits": _backward_into(logp, alpha, ext, skip, t_len, s_len, log_p, weight, feasible)}

    # ------------------------------------------------------------------ the public helper
    def forward_variables(self, targets, logits, *, input_lengths=None, target_lengths=None, blank=0):
        r"""The log forward variables $\log\alpha_t(s)$ of each sequence, shape (N, T, 2S + 1).

        ``[n, t, s]`` is the log of the total probability of the first $t + 1$ steps of the
        alignments of sequence ``n`` that are in position ``s`` of the extended target $l'$ at step
        ``t`` (even ``s``: a blank; odd ``s``: label $(s - 1)/2$), with the inputs and conventions
        of ``ctc`` (batch-first unnormalised logits). Positions that cannot be reached, and steps
        beyond ``input_lengths``, are ``-inf``; the loss is
        $-\log(\alpha_{T-1}(2S) + \alpha_{T-1}(2S - 1))$ for the last step $T - 1$ and the
        target length $S$ of each sequence.

        >>> import numpy as np, lossref as lr
        >>> np.exp(lr.ctc.forward_variables([[1]], np.zeros((1, 2, 2))))[0]   # uniform: y = 1/2
        array([[0.5 , 0.5 , 0.  ],
               [0.25, 0.5 , 0.25]])
        """
        given, params = self._read_inputs((targets, logits), {"input_lengths": input_lengths,
                                                               "target_lengths": target_lengths, "blank": blank})
        params = self._resolve(params)
        V.check_params(params, self.parameters)
        arrays, _ = self._convert(given)
        self._check_inputs(arrays, params)
        t_len, s_len = _lengths(arrays, params)
        ext, skip = _extended(arrays["targets"], s_len, blank)
        alpha = _forward_variables(_log_softmax(arrays["logits"]), ext, skip)[1:, :, _PAD:]
        alpha = np.moveaxis(alpha, 0, 1).copy()
        alpha[np.arange(alpha.shape[1])[None, :] >= t_len[:, None]] = -np.inf
        return alpha


# ---------------------------------------------------------------------------- the pieces
def _lengths(arrays, params):
    """``(input_lengths, target_lengths)`` as validated integer arrays, defaulting to the full T and S."""
    targets, logits = arrays["targets"], arrays["logits"]
    n, t, c = logits.shape
    s = targets.shape[1]
    t_len = np.full(n, t, np.intp) if params["input_lengths"] is None else V.as_lengths(
        params["input_lengths"], "input_lengths", n, t, "time steps of logits")
    s_len = np.full(n, s, np.intp) if params["target_lengths"] is None else V.as_lengths(
        params["target_lengths"], "target_lengths", n, s, "columns of targets")
    valid = np.arange(s)[None, :] < s_len[:, None]
    # Only the labels inside each target's length are read: the padding may hold anything.
    V.check_class_range(np.where(valid, targets, 0), "targets", c)
    V.check_not_blank(targets, valid, "targets", params["blank"])
    return t_len, s_len


def _extended(targets, s_len, blank):
    r"""The extended targets $l'$ (N, 2S + 1) and the log-weight of the skip $s - 2 \to s$ (0 or -inf).

    The skip over a blank is allowed into a label that differs from the label two places back;
    into a blank, or between equal labels (which need a blank between them), it is not.
    """
    n, s = targets.shape
    valid = np.arange(s)[None, :] < s_len[:, None]
    labels = np.where(valid, targets, blank).astype(np.intp)  # padding reads the blank: never used
    ext = np.full((n, 2 * s + 1), blank, np.intp)
    ext[:, 1::2] = labels
    allowed = np.zeros(ext.shape, bool)
    allowed[:, 3::2] = labels[:, 1:] != labels[:, :-1]
    return ext, np.where(allowed, 0.0, -np.inf)


def _feasible(targets, t_len, s_len, zero_infinity):
    """True for the sequences some alignment can produce: ``T_n >= S_n + repeats_n``."""
    s = targets.shape[1]
    pairs = np.arange(1, s)[None, :] < s_len[:, None]  # neighbours (i - 1, i) inside the length
    repeats = np.sum(pairs & (targets[:, 1:] == targets[:, :-1]), axis=1)
    needed = s_len + repeats
    if not zero_infinity:
        V.check_alignable(t_len, needed, s_len)
    return t_len >= needed


def _log_softmax(logits):
    # Shift by the row maximum before exponentiating: exp never overflows, and the largest term is 1,
    # so the log of the sum is finite for any finite logits.
    shifted = np.subtract(logits, logits.max(axis=-1, keepdims=True), order="C")  # C order: rows are views
    shifted -= np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return shifted


class _LogSumExp3:
    """log(e^a + e^b + e^c) element-wise on (N, 2S + 1) rows, with scratch buffers reused every step."""

    def __init__(self, shape, dtype):
        self.m = np.empty(shape, dtype)
        self.tmp = np.empty(shape, dtype)
        # Where all three terms are log 0 the shift would be -inf and a - m = -inf - (-inf) = NaN; shifting
        # by the most negative finite number instead gives exp(-inf) = 0 and log 0 = -inf, as it should.
        self.floor = np.finfo(dtype).min

    def __call__(self, a, b, c, out):
        m, tmp = self.m, self.tmp
        # Shift by the largest of the three: every exponent is <= 0, so nothing overflows, and the
        # largest term is exp(0) = 1, so the sum is >= 1 and its log loses nothing to underflow.
        np.maximum(a, b, out=m)
        np.maximum(m, c, out=m)
        np.maximum(m, self.floor, out=m)
        np.subtract(a, m, out=tmp)
        np.exp(tmp, out=out)
        for term in (b, c):
            np.subtract(term, m, out=tmp)
            np.exp(tmp, out=tmp)
            out += tmp
        with np.errstate(divide="ignore"):  # log 0 = -inf for cells no alignment reaches
            np.log(out, out=out)
        out += m
        return out


class _Emissions:
    """``log y_t(l'_s)`` for every sequence and extended position at one step: a gather from log-softmax."""

    def __init__(self, logp, ext):
        n, t_max, c = logp.shape
        self.flat = logp.reshape(-1)  # logp is C-contiguous: a view
        self.base = np.arange(n)[:, None] * (t_max * c) + ext
        self.c = c
        self.index = np.empty_like(self.base)

    def __call__(self, t, out):
        np.add(self.base, t * self.c, out=self.index)
        return np.take(self.flat, self.index, out=out)


def _forward_variables(logp, ext, skip):
    r"""Log alpha, shape (T + 1, N, 2S + 1 + 2): row ``t + 1`` is $\log\alpha_t$, row 0 the start.

    The start row is log 1 at position 0 and log 0 elsewhere, so that the same recursion gives
    $\alpha_0(0) = y_0(b)$ and $\alpha_0(1) = y_0(l_1)$. The two leading columns of every row are
    log 0 (nothing comes from before position 0).
    """
    n, t_max, _ = logp.shape
    width = ext.shape[1]
    alpha = np.full((t_max + 1, n, width + _PAD), -np.inf, logp.dtype)
    alpha[0, :, _PAD] = 0
    skip = skip.astype(logp.dtype)
    term = np.empty((n, width), logp.dtype)
    emit = np.empty((n, width), logp.dtype)
    lse3, emissions = _LogSumExp3((n, width), logp.dtype), _Emissions(logp, ext)
    for t in range(t_max):
        prev, cur = alpha[t], alpha[t + 1, :, _PAD:]
        np.add(prev[:, :-2], skip, out=term)                # from s - 2, where allowed
        lse3(prev[:, _PAD:], prev[:, 1:-1], term, out=cur)  # stay at s, or come from s - 1
        cur += emissions(t, emit)
    return alpha


def _log_likelihood(alpha, t_len, s_len):
    """log p(l | x) per sequence: alpha at the last valid step, in the final blank or the last label."""
    rows = np.arange(alpha.shape[1])
    last = alpha[t_len, rows]  # row t_len is alpha at step t_len - 1 (row 0: before any step)
    # columns _PAD + 2S (final blank) and _PAD + 2S - 1 (last label; a log-0 pad column when S = 0)
    return np.logaddexp(last[rows, _PAD + 2 * s_len], last[rows, _PAD + 2 * s_len - 1])


def _backward_into(logp, alpha, ext, skip, t_len, s_len, log_p, weight, feasible):
    r"""The gradient of ``sum(weight * loss)`` in the logits, written over ``logp`` and returned.

    Walks back in time with $\log\beta_t$ (the suffixes after step $t$, excluding $y_t$): at the last
    valid step $\beta = 1$ in the final blank and the last label, and before it

    $$
    \beta_t(s) = \sum_{s' \in \{s, s+1, s+2\}} \beta_{t+1}(s')\, y_{t+1}(l'_{s'})
    $$

    (the skip $s \to s + 2$ only where it is allowed). The occupation of position $s$ at step $t$ is
    $\gamma_t(s) = \exp(\log\alpha_t(s) + \log\beta_t(s) - \log p)$, and the gradient row is
    ``weight * (softmax - occupation summed per symbol)``. Each time step of ``logp`` is read (its
    emissions and softmax) before it is overwritten by its gradient row: no second (N, T, C) array.
    """
    n, t_max, c = logp.shape
    width = ext.shape[1]
    dtype = logp.dtype
    rows = np.arange(n)
    # beta at the last valid step: log 1 in the final blank and in the last label (if any)
    final = np.full((n, width), -np.inf, dtype)
    final[rows, 2 * s_len] = 0
    has_label = s_len > 0
    final[rows[has_label], 2 * s_len[has_label] - 1] = 0
    final[~feasible] = -np.inf  # nothing flows back from a target that cannot be produced
    skip_next = np.full((n, width), -np.inf, dtype)
    skip_next[:, :-2] = skip[:, 2:]  # the skip s -> s + 2 is allowed when the one into s + 2 is

    # u = log(beta_{t+1} y_{t+1}) with two trailing log-0 columns (nothing after the last position)
    u = np.full((n, width + _PAD), -np.inf, dtype)
    beta = np.full((n, width), -np.inf, dtype)
    term = np.empty((n, width), dtype)
    occupation = np.empty((n, width), dtype)
    emit = np.empty((n, width), dtype)
    lse3, emissions = _LogSumExp3((n, width), dtype), _Emissions(logp, ext)
    flat = (rows[:, None] * c + ext).ravel()  # where each (sequence, position) lands in an (N, C) row block
    ends = set(int(v) - 1 for v in t_len)
    for t in range(t_max - 1, -1, -1):
        np.add(u[:, 2:], skip_next, out=term)
        lse3(u[:, :width], u[:, 1:-1], term, out=beta)
        if t in ends:  # sequences whose last valid step is t start here
            beta = np.where((t_len == t + 1)[:, None], final, beta)
        np.add(alpha[t + 1, :, _PAD:], beta, out=occupation)
        occupation -= log_p[:, None]
        np.exp(occupation, out=occupation)
        per_symbol = np.bincount(flat, weights=occupation.ravel(), minlength=n * c).reshape(n, c)

        np.add(beta, emissions(t, emit), out=u[:, :width])  # y_t, read before its row is overwritten
        row = logp[:, t, :]
        live = np.where(t < t_len, weight, 0)[:, None]
        # softmax minus occupation; beyond a sequence's length (or for weight 0) the row is 0
        np.exp(row, out=row)
        row -= per_symbol
        row *= live
    return logp


ENTRY = Entry(
    title="Connectionist temporal classification (CTC)",
    family="sequence",
    page="ctc.md",
    formula=(r"L(\mathbf{l}, z) = -\log \sum_{\pi \in \mathcal{B}^{-1}(\mathbf{l})} \prod_{t=1}^{T} y_t(\pi_t), "
             r"\quad y_t = \mathrm{softmax}(z_t)"),
    gradient=(r"\frac{\partial L}{\partial z_{t,k}} = y_t(k) - \frac{1}{p(\mathbf{l} \mid z)}"
              r"\sum_{s:\ l'_s = k} \alpha_t(s)\,\beta_t(s)"),
    target=("padded integer label sequences (N, S), none of them the blank within its length; the blank is "
            "one of the C classes"),
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=False, calibrated=True),
    minimizer=("the model that puts all of each step's probability on one alignment of the target: "
               "p(target | x) = 1 and the loss 0"),
    when_to_use=("Sequence labelling without frame-level alignment: speech or handwriting recognition, "
                 "where the input is longer than the label sequence and the timing of each label is unknown."),
    equivalents=(
        Eq("PyTorch",
           "torch.nn.functional.ctc_loss(torch.log_softmax(logits, -1).transpose(0, 1), targets, input_lengths, "
           "target_lengths, blank=0, reduction=\"sum\", zero_infinity=False) / len(targets)", False,
           "torch wants log-probabilities, time first: (T, N, C); apply log_softmax and transpose. Its "
           "reduction=\"mean\" also divides each sequence's loss by its target length before averaging, so "
           "use reduction=\"sum\" divided by N for lossref's mean (or reduction=\"none\" and average). An "
           "unalignable target gives inf in torch (NaN gradients follow) unless zero_infinity=True; lossref "
           "raises ValueError naming the sequence. Lengths are required tensors in torch."),
        Eq("Keras 3", "keras.losses.CTC()(targets, logits)", True,
           "Keras takes logits (N, T, C), batch first, like lossref, and its default reduction "
           "\"sum_over_batch_size\" is lossref's mean (computed in float32 unless keras.backend.floatx() is "
           "changed). The blank is always class 0 (mask_index=0), which is also the padding: each target's length "
           "is its count of non-zero labels (lossref: target_lengths=(targets != 0).sum(1), blank=0), and every "
           "input has the full T steps (no input lengths)."),
        Eq("optax",
           "optax.losses.ctc_loss(logits, logit_paddings, targets, label_paddings, blank_id=0).mean()", True,
           "With zero paddings (lossref's full lengths) the numbers agree. optax takes paddings instead of "
           "lengths: logit_paddings[n, t] = 1.0 for t >= input_lengths[n] and "
           "label_paddings[n, s] = 1.0 for s >= target_lengths[n] (right padding only). It replaces log 0 by "
           "log_epsilon=-1e5, so an unalignable target gives a large finite loss (of the order of 1e5) instead of "
           "inf or an error."),
        Eq("scikit-learn", "# scikit-learn has no CTC loss (no loss on label sequences): use lr.ctc", False,
           "scikit-learn has no sequence loss; the sum over alignments needs the forward recursion above, which "
           "no scikit-learn metric computes."),
    ),
    notes=(
        "Layouts differ: lossref, Keras and optax take batch-first (N, T, C) logits; PyTorch's ctc_loss takes "
        "time-first (T, N, C) log-probabilities. Passing logits to torch without log_softmax, or a batch-first "
        "tensor, gives a number without an error.",
        "PyTorch's reduction='mean' divides each sequence's loss by its target length, then averages: a "
        "per-label mean, not lossref's per-sequence mean. The two agree only when every target has length 1.",
        "A target needs at least S + r time steps, where r counts the neighbouring repeated labels (each pair "
        "needs a blank between them: 'aa' needs 3 steps). Shorter inputs have probability 0: PyTorch returns "
        "inf unless zero_infinity=True, optax a large finite loss (log 0 replaced by -1e5), lossref raises unless "
        "zero_infinity=True.",
        "Give the lengths when the batch is padded: with the defaults every sequence runs to T steps and every "
        "target column is read, so padded frames are scored as blanks or labels and padding labels as symbols "
        "(a padding value equal to the blank is then an error, not a silent mistake).",
        "The blank is a class of the softmax: C counts the labels plus one. Keras always uses class 0 as the "
        "blank and the padding value; TensorFlow 1's tf.compat.v1.nn.ctc_loss uses the last class.",
    ),
    references=(
        "Graves, A., Fernandez, S., Gomez, F. and Schmidhuber, J. (2006). Connectionist temporal classification: "
        "labelling unsegmented sequence data with recurrent neural networks. Proceedings of the 23rd "
        "International Conference on Machine Learning (ICML), 369-376.",
        "Graves, A. (2012). Supervised Sequence Labelling with Recurrent Neural Networks, chapter 7. Springer.",
    ),
)
