"""Benchmark lossref's ``value_and_grad`` against plain NumPy, PyTorch and optax (CPU).

Run with ``make bench``, i.e.::

    PYTHONPATH=/work/main .venv-ref/bin/python benchmarks/bench_losses.py [--quick] [--markdown]

What is measured
----------------
Fourteen rows, each in float32 and float64 (``--quick`` divides every size, or the batch, by 10
for a smoke run): ``cross_entropy`` on logits of shape (100000, 1000) with integer labels,
``bce_with_logits`` on 1e7 elements with 0/1 targets and ``mse`` on 1e7 elements; and the losses
of structured outputs: ``ctc`` on batch-first logits (N=64, T=200, C=50) with targets of S=30
labels (reduction "sum", as torch is run), ``triplet_margin`` on three (100000, 128) arrays,
``ntxent`` on (2048, 128) embeddings in SimCLR's layout (rows i and i + N/2 share a label,
temperature 0.1) and ``dice`` on (32, 256, 256) probabilities with 0/1 masks. Every row times
the loss *and* its gradient with respect to every prediction, on the same data, with:

* **lossref**: ``lossref.<loss>.value_and_grad(y, pred)``.
* **numpy**: the same maths written the obvious way in whole-array NumPy (see ``numpy_*``
  below): max-shifted log-softmax and softmax minus one-hot; ``logaddexp`` softplus and
  ``1 / (1 + exp(-x))`` sigmoid; residual, mean of squares and ``2 r / n``.
  The structured rows have no NumPy column (n/a).
* **torch1** / **torch**: PyTorch's fused functional (``F.cross_entropy``,
  ``F.binary_cross_entropy_with_logits``, ``F.mse_loss``, ``F.ctc_loss`` after
  ``log_softmax`` and the transpose to time-first, both timed since lossref takes logits,
  ``F.triplet_margin_loss``) forward plus ``.backward()`` on leaf tensors made once with
  ``torch.from_numpy``. torch has no NT-Xent and no Dice: ``torch_ntxent`` (the usual SimCLR
  code, cosine similarities over the temperature, the diagonal masked, ``cross_entropy`` at each
  row's partner: optax's NT-Xent when every label occurs twice) and ``torch_dice`` (the same
  formula as lossref, autograd) are written below. ``torch1`` with ``torch.set_num_threads(1)``,
  ``torch`` with PyTorch's default thread count. The torch columns read "n/a" when torch cannot
  be imported.
* **optax**: where optax has the loss, ``jax.jit(jax.value_and_grad(...))`` on JAX's CPU backend
  with one XLA thread (``XLA_FLAGS``, unless set), compiled before timing: ``optax.ctc_loss`` with
  zero paddings, ``optax.losses.triplet_margin_loss``, ``optax.ntxent``. optax's ``dice_loss``
  takes logits (its gradient is in the logits) and its probability path cannot be traced, so
  dice has no optax column.

Before timing, each row checks that lossref's value and gradients agree with the NumPy
baseline, with PyTorch and with optax (relative tolerance 1e-5 in float32, 1e-10 in float64,
with an absolute tolerance of the same relative size of the largest gradient entry, as in
``np.allclose``); the benchmark stops with an error if they do not. Two rows adapt the check:
optax's triplet loss adds eps under the root where lossref and torch add it to each component,
so that comparison runs both with eps = 0 (the same function); and float32 CTC gradients are
compared to 1e-3 (``CTC_GRAD_RTOL`` says why: any float32 log-space CTC is that far from the
float64 result).

Timing: one warm-up call, then the best (minimum) of at least 5 calls timed with
``time.perf_counter``; fast rows get more calls, within a time budget per cell. Each call
allocates its own gradient, as a training step would.

How to read the table
---------------------
* ``lossref``, ``numpy``, ``torch1``, ``torch``: best time in milliseconds.
* ``lossref`` runs large inputs on all usable cores (``LOSSREF_NUM_THREADS``, default: the
  CPUs of the process), ``lossref1`` on one thread, NumPy's BLAS included (``threadpoolctl``).
* ``optax``: best time of optax under ``jax.jit``, one XLA thread; ``optax/torch1`` its ratio.
* ``lossref1/torch1``, ``numpy/torch1``: time ratios against single-threaded PyTorch
  (below 1 is faster than PyTorch): one core against one core. ``torch`` shows what
  PyTorch's threads add, to compare with ``lossref``.
* ``floor``: the time needed just to move the bytes the row must touch (read the inputs,
  write the gradient; for cross-entropy the int64 labels too) at the copy bandwidth measured
  at the start of the run (``np.copyto`` between two large arrays, read + written bytes
  over the best time). ``lossref/floor`` is how far lossref is from that memory-bound limit.
  The floor is a lower bound, not a realistic goal for every row: ``np.copyto`` is a
  ``memcpy`` (streaming stores, pre-faulted destination), while a ufunc writing a freshly
  allocated gradient also pays for page faults and for reading the destination lines before
  writing them. On the 2-core development VM a lone ``np.subtract(p, y)`` (exactly MSE's bytes)
  already took about 2x the floor.
* ``lossref mem``, ``numpy mem``: peak memory allocated during one call (tracemalloc, which
  NumPy reports its array buffers to) minus the memory in use before it, as a multiple of
  the prediction array's size (all three arrays for the triplet loss). The returned gradient
  alone is 1.0x.
* Targets, checked on every row: ``lossref1/torch1 <= 1.0`` (``ctc``: 2.0); ``lossref/floor <= 2.0`` for
  MSE; ``lossref mem <= 3.0``. A cell that misses its target is marked ``*`` and the rows
  that miss are listed under the table.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from functools import partial
from typing import Callable

import numpy as np
from threadpoolctl import threadpool_limits

import lossref as lr

try:
    import torch
    import torch.nn.functional as F
except Exception:  # not installed, or an install that fails to load: run without the torch columns
    torch = None
    F = None

# XLA's CPU backend on one thread, like torch1 and lossref1 (unless XLA_FLAGS says otherwise). Set
# before jax is imported: XLA reads its flags once.
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
try:
    import jax
    import jax.numpy as jnp
    import optax

    jax.config.update("jax_enable_x64", True)  # the float64 rows in float64; float32 arrays stay float32
except Exception:  # not installed: run without the optax column
    jax = jnp = optax = None

#: PyTorch's own intra-op thread count, read before the benchmark changes it.
DEFAULT_TORCH_THREADS = torch.get_num_threads() if torch is not None else None

# ---------------------------------------------------------------------------- settings
CE_SHAPE = (100_000, 1000)
ELEMENTWISE_SIZE = 10_000_000
CTC_SHAPE = (64, 200, 50)  # (N, T, C): batch, time steps, classes with the blank
CTC_TARGET_LENGTH = 30
TRIPLET_SHAPE = (100_000, 128)
NTXENT_SHAPE = (2048, 128)
NTXENT_TEMPERATURE = 0.1
DICE_SHAPE = (32, 256, 256)
COPY_BYTES = 512 * 2**20  # per array in the bandwidth measurement; far above the caches
QUICK_FACTOR = 10

DTYPES = (np.float32, np.float64)
RTOL = {np.dtype(np.float32): 1e-5, np.dtype(np.float64): 1e-10}
# CTC's recursions run in log space, where log alpha_t and log beta_t reach T log C ~ -800 and the
# occupation is exp(log alpha + log beta - log p), a difference of such numbers: float32's spacing near
# 800 is 6e-5, so any float32 log-space CTC (lossref's and torch's alike) has gradient errors of a few
# 1e-4 against the float64 result, while its value agrees to 1e-7. Their float32 gradients are compared
# to 1e-3 of the largest entry; float64 keeps 1e-10.
CTC_GRAD_RTOL = {np.dtype(np.float32): 1e-3}

MIN_REPS = 5
MAX_REPS = 100
CELL_BUDGET_S = 2.0  # time for the timed calls of one cell, beyond the minimum of MIN_REPS

TARGET_VS_TORCH1 = 1.0
TARGET_CTC_VS_TORCH1 = 2.0
TARGET_MSE_VS_FLOOR = 2.0
TARGET_MEMORY = 3.0

CHECK_CHUNK = 1 << 22  # elements compared at a time in the correctness check


# ---------------------------------------------------------------------------- the NumPy baselines
def numpy_cross_entropy(labels, logits):
    """Mean softmax cross-entropy and its gradient, written the textbook way."""
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1, keepdims=True)
    log_softmax = shifted - np.log(sum_exp)
    value = -log_softmax[rows, labels].mean()
    grad = exp / sum_exp  # softmax ...
    grad[rows, labels] -= 1  # ... minus the one-hot target
    grad /= n
    return value, grad


def numpy_bce_with_logits(y, logits):
    """Mean binary cross-entropy on logits: softplus(z) - y z, gradient sigmoid(z) - y."""
    value = (np.logaddexp(0, logits) - y * logits).mean()
    grad = (1 / (1 + np.exp(-logits)) - y) / logits.size
    return value, grad


def numpy_mse(y, pred):
    """Mean squared error and its gradient 2 r / n."""
    r = pred - y
    return (r * r).mean(), 2 * r / r.size


# ---------------------------------------------------------------------------- the PyTorch baselines
def torch_fused(name: str) -> Callable:
    """The fused ``torch.nn.functional.<name>(pred, y)`` of an element-wise or per-row loss."""

    def build(y, pred):
        functional = getattr(F, name)
        target = torch.from_numpy(y)
        return lambda leaf: functional(leaf, target)

    return build


def torch_ctc(targets, logits):
    """``F.ctc_loss`` summed over the batch. torch wants time-first log-probabilities, and lossref
    takes batch-first logits: the log_softmax and the transpose are part of torch's timed work."""
    n, t, _ = logits.shape
    labels = torch.from_numpy(targets)
    input_lengths = torch.full((n,), t, dtype=torch.long)
    target_lengths = torch.full((n,), targets.shape[1], dtype=torch.long)
    return lambda leaf: F.ctc_loss(F.log_softmax(leaf, dim=-1).transpose(0, 1), labels, input_lengths,
                                   target_lengths, reduction="sum")


def torch_triplet(anchor, positive, negative):
    """``F.triplet_margin_loss`` (margin 1, p = 2, eps 1e-6 added to each component, as lossref)."""
    return lambda a, p, n: F.triplet_margin_loss(a, p, n)


def torch_ntxent(labels, embeddings, temperature):
    r"""The usual PyTorch NT-Xent of SimCLR (torch has none built in).

    Rows ``i`` and ``i + N/2`` are the two views of one example; the similarities are cosines over
    the temperature, the diagonal (self-similarity) is masked out, and each row's loss is the
    negative log-softmax at its partner: $-\log(e^{s_{ij}} / \sum_{k \ne i} e^{s_{ik}})$, averaged
    over the N rows. When every label occurs exactly twice (this benchmark's data) the denominator
    is the positive plus the negatives, which is optax's (and lossref's) NT-Xent.
    """
    n = len(labels)
    partner = torch.from_numpy((np.arange(n) + n // 2) % n)
    diagonal = torch.eye(n, dtype=torch.bool)

    def loss(leaf):
        u = F.normalize(leaf, dim=1)
        s = (u @ u.T / temperature).masked_fill(diagonal, -math.inf)
        return F.cross_entropy(s, partner)  # log_softmax of each row at its partner, averaged

    return loss


def torch_dice(y, probs):
    r"""Soft Dice with autograd (torch has none built in): per example
    $1 - (2\sum y p + 1) / (\sum y + \sum p + 1)$ over every axis but the first, averaged."""
    target = torch.from_numpy(y)
    axes = tuple(range(1, probs.ndim))

    def loss(leaf):
        intersection = (target * leaf).sum(axes)
        return (1 - (2 * intersection + 1) / (target.sum(axes) + leaf.sum(axes) + 1)).mean()

    return loss


# ---------------------------------------------------------------------------- the optax baselines
def optax_ctc(targets, logits):
    """``optax.ctc_loss`` summed over the batch, with zero paddings (every step and label valid)."""
    labels = jnp.asarray(targets)
    logit_paddings = jnp.zeros(logits.shape[:2], logits.dtype)
    label_paddings = jnp.zeros(targets.shape, logits.dtype)
    return lambda z: optax.ctc_loss(z, logit_paddings, labels, label_paddings).sum()


def optax_triplet(anchor, positive, negative, eps=1e-6):
    """``optax.losses.triplet_margin_loss`` averaged. optax adds eps under the root, to the sum of
    squares, where lossref and torch add it to each component of the difference: the agreement
    check runs both with eps = 0, where the two conventions are the same function."""
    return lambda a, p, n: optax.losses.triplet_margin_loss(a, p, n, eps=eps).mean()


def optax_ntxent(labels, embeddings, temperature):
    """``optax.ntxent`` (embeddings first)."""
    label_array = jnp.asarray(labels)
    return lambda e: optax.ntxent(e, label_array, temperature)


# ---------------------------------------------------------------------------- the rows
@dataclass
class Case:
    """One row of the table: a loss, a dtype and its data, and what it is compared with.

    ``args`` are lossref's arrays in its argument order and ``preds`` the indices of those it
    differentiates. ``torch_fn`` / ``optax_fn`` take the same arrays and return the loss as a
    function of the differentiated tensors (in that order).
    """

    loss: str
    args: tuple
    preds: tuple[int, ...]
    numpy_fn: Callable | None = None
    torch_fn: Callable | None = None
    optax_fn: Callable | None = None
    kwargs: dict = field(default_factory=dict)
    #: lossref keywords and ``optax_fn`` keywords for the agreement with optax (a shared convention)
    optax_check: dict = field(default_factory=dict)
    shape: str = ""
    #: a looser gradient tolerance per dtype where the maths limits the precision (see CTC_GRAD_RTOL)
    grad_rtol: dict = field(default_factory=dict)


    @property
    def predictions(self) -> list[np.ndarray]:
        return [self.args[i] for i in self.preds]

    @property
    def dtype(self) -> np.dtype:
        return self.predictions[0].dtype

    @property
    def pred_bytes(self) -> int:
        """Size of the differentiated inputs: the unit of the memory columns (the gradients are 1.0x)."""
        return sum(p.nbytes for p in self.predictions)

    @property
    def lossref_fn(self) -> lr.Loss:
        return getattr(lr, self.loss)

    @property
    def bytes_touched(self) -> int:
        """Inputs read plus gradients written: what no implementation can avoid moving."""
        return sum(a.nbytes for a in self.args) + self.pred_bytes


def _shape(*dims) -> str:
    return "x".join(map(str, dims))


def make_cases(quick: bool):
    """Yield the rows one at a time, so that only one row's data is in memory."""
    scale = QUICK_FACTOR if quick else 1
    n_rows, n_classes = CE_SHAPE[0] // scale, CE_SHAPE[1]
    size = ELEMENTWISE_SIZE // scale
    for dtype in DTYPES:
        rng = np.random.default_rng(0)
        logits = 2 * rng.standard_normal((n_rows, n_classes), dtype=dtype)
        labels = rng.integers(0, n_classes, n_rows)  # int64, as torch wants
        yield Case("cross_entropy", (labels, logits), (1,), numpy_cross_entropy, torch_fused("cross_entropy"),
                   shape=_shape(*logits.shape))
        del logits, labels
        z = 2 * rng.standard_normal(size, dtype=dtype)
        y01 = (rng.random(size) < 0.5).astype(dtype)
        yield Case("bce_with_logits", (y01, z), (1,), numpy_bce_with_logits,
                   torch_fused("binary_cross_entropy_with_logits"), shape=_shape(size))
        del z, y01
        y = rng.standard_normal(size, dtype=dtype)
        pred = rng.standard_normal(size, dtype=dtype)
        yield Case("mse", (y, pred), (1,), numpy_mse, torch_fused("mse_loss"), shape=_shape(size))
        del y, pred
        yield from structured_cases(rng, dtype, scale)


def structured_cases(rng, dtype, scale: int):
    """The losses of structured outputs: a sequence, triplets, a contrastive batch, masks."""
    n, t, c = CTC_SHAPE
    n = max(2, n // scale)
    targets = rng.integers(1, c, (n, CTC_TARGET_LENGTH))  # no blank (0) inside the targets
    logits = rng.standard_normal((n, t, c), dtype=dtype)
    yield Case("ctc", (targets, logits), (1,), None, torch_ctc, optax_ctc, kwargs={"reduction": "sum"},
               shape=f"{_shape(n, t, c)} S={CTC_TARGET_LENGTH}", grad_rtol=CTC_GRAD_RTOL)
    del targets, logits
    n, d = TRIPLET_SHAPE[0] // scale, TRIPLET_SHAPE[1]
    triplet = tuple(rng.standard_normal((n, d), dtype=dtype) for _ in range(3))
    yield Case("triplet_margin", triplet, (0, 1, 2), None, torch_triplet, optax_triplet,
               optax_check={"eps": 0.0}, shape=f"3x{_shape(n, d)}")
    del triplet
    n, d = NTXENT_SHAPE[0] // scale // 2 * 2, NTXENT_SHAPE[1]
    labels = np.tile(np.arange(n // 2), 2)  # SimCLR's two views: rows i and i + N/2 share a label
    embeddings = rng.standard_normal((n, d), dtype=dtype)
    yield Case("ntxent", (labels, embeddings), (1,), None, partial(torch_ntxent, temperature=NTXENT_TEMPERATURE),
               partial(optax_ntxent, temperature=NTXENT_TEMPERATURE), kwargs={"temperature": NTXENT_TEMPERATURE},
               shape=_shape(n, d))
    del labels, embeddings
    n, h, w = DICE_SHAPE
    n = max(2, n // scale)
    probs = rng.random((n, h, w), dtype=dtype)
    masks = (rng.random((n, h, w)) < 0.3).astype(dtype)
    # optax's dice_loss takes logits (a sigmoid inside, so its gradient is in the logits), and its
    # apply_softmax=False path checks with a Python `if` that the class axis sums to 1, which neither
    # jax.jit nor jax.grad can trace: no optax column for dice
    yield Case("dice", (masks, probs), (1,), None, torch_dice, None, shape=_shape(n, h, w))


# ---------------------------------------------------------------------------- measuring
def best_time(fn: Callable) -> float:
    """Best of at least MIN_REPS timed calls after one warm-up; fast functions get more calls."""
    start = time.perf_counter()
    fn()
    warm_up = time.perf_counter() - start
    reps = int(min(MAX_REPS, max(MIN_REPS, CELL_BUDGET_S / max(warm_up, 1e-9))))
    best = math.inf
    for _ in range(reps):
        start = time.perf_counter()
        fn()  # the result is dropped before the next call, so memory does not pile up
        best = min(best, time.perf_counter() - start)
    return best


def copy_bandwidth(n_bytes: int, reps: int = 7) -> float:
    """Bytes per second of np.copyto between two float64 arrays (read + write), best of ``reps``."""
    src = np.ones(n_bytes // 8)
    dst = np.zeros_like(src)  # zeros_like touches the pages, so no page faults are timed
    best = math.inf
    for _ in range(reps):
        start = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - start)
    return 2 * src.nbytes / best


def peak_extra_bytes(fn: Callable) -> int:
    """Peak traced memory during ``fn()`` minus the traced memory before the call."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - before


@contextlib.contextmanager
def lossref_threads(n: int):
    """Run lossref with ``n`` threads (its ``LOSSREF_NUM_THREADS`` setting) inside the block, and
    NumPy's BLAS (which the overlap and contrastive losses call) with as many."""
    previous = os.environ.get("LOSSREF_NUM_THREADS")
    os.environ["LOSSREF_NUM_THREADS"] = str(n)
    try:
        with threadpool_limits(limits=n, user_api="blas"):
            yield
    finally:
        if previous is None:
            del os.environ["LOSSREF_NUM_THREADS"]
        else:
            os.environ["LOSSREF_NUM_THREADS"] = previous


@contextlib.contextmanager
def torch_threads(n: int):
    """Run PyTorch with ``n`` intra-op threads, then restore the previous count."""
    previous = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def torch_runner(case: Case) -> Callable:
    """A function computing torch's loss and gradients on the case's data (tensors made once)."""
    leaves = [torch.from_numpy(p).requires_grad_(True) for p in case.predictions]
    loss_of = case.torch_fn(*case.args)

    def run():
        for leaf in leaves:
            leaf.grad = None  # a fresh gradient each call, as lossref and NumPy allocate theirs
        loss = loss_of(*leaves)
        loss.backward()
        return loss.detach(), tuple(leaf.grad for leaf in leaves)

    return run


def optax_runner(case: Case, **params) -> Callable:
    """A function computing optax's loss and gradients under ``jax.jit``, compiled before it is returned."""
    leaves = [jnp.asarray(p) for p in case.predictions]
    value_and_grad = jax.jit(jax.value_and_grad(case.optax_fn(*case.args, **params), argnums=tuple(range(len(leaves)))))

    def run():
        value, grads = value_and_grad(*leaves)
        return jax.block_until_ready((value, grads))

    run()  # tracing and compilation happen here, not in the timed calls
    return run


def as_numpy(result) -> tuple[float, tuple[np.ndarray, ...]]:
    """``(value, grads)`` of any implementation as a float and a tuple of NumPy arrays."""
    value, grads = result
    grads = grads if isinstance(grads, tuple) else (grads,)
    return float(value), tuple(np.asarray(g) for g in grads)


# ---------------------------------------------------------------------------- correctness
def _max_excess(got: np.ndarray, want: np.ndarray, rtol: float) -> tuple[float, float]:
    """Largest |got - want| / (atol + rtol |want|) with atol = rtol max|want|, and the largest |got - want|."""
    got, want = got.reshape(-1), want.reshape(-1)
    atol = rtol * max(float(want.max()), -float(want.min()))
    worst_ratio = worst_diff = 0.0
    for start in range(0, want.size, CHECK_CHUNK):
        g = got[start : start + CHECK_CHUNK].astype(np.float64)
        w = want[start : start + CHECK_CHUNK].astype(np.float64)
        diff = np.abs(g - w)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = diff / (atol + rtol * np.abs(w))
        worst_ratio = max(worst_ratio, float(np.nan_to_num(ratio, nan=np.inf).max()))
        worst_diff = max(worst_diff, float(diff.max()))
    return worst_ratio, worst_diff


def check_agreement(row: str, other: str, ours, theirs, grad_rtol: dict | None = None) -> None:
    """Stop the benchmark if lossref's (value, grads) and another implementation's disagree."""
    value, grads = as_numpy(ours)
    other_value, other_grads = as_numpy(theirs)
    rtol = RTOL[grads[0].dtype]
    g_rtol = (grad_rtol or {}).get(grads[0].dtype, rtol)
    problems = []
    for k, (grad, other_grad) in enumerate(zip(grads, other_grads)):
        which = "gradient" if len(grads) == 1 else f"gradient {k + 1}"
        if other_grad.shape != grad.shape or other_grad.dtype != grad.dtype:
            problems.append(f"{which} {other_grad.dtype}{other_grad.shape} vs lossref {grad.dtype}{grad.shape}")
            continue
        excess, diff = _max_excess(grad, other_grad, g_rtol)
        if excess > 1:
            problems.append(f"{which} differs by up to {diff:.3g} ({excess:.3g} times the tolerance)")
    if not abs(value - other_value) <= rtol * abs(other_value):
        problems.append(f"value {value!r} vs {other} {other_value!r}")
    if problems:
        details = "; ".join(problems)
        tolerance = f"rtol {rtol:g}" + ("" if g_rtol == rtol else f", gradient {g_rtol:g}")
        raise SystemExit(f"correctness check failed for {row}, lossref vs {other} ({tolerance}): {details}")


# ---------------------------------------------------------------------------- one row
@dataclass
class Result:
    loss: str
    dtype: str
    shape: str
    lossref_s: float  # default threads
    lossref1_s: float  # LOSSREF_NUM_THREADS=1
    numpy_s: float | None
    torch1_s: float | None
    torch_s: float | None
    optax_s: float | None
    floor_s: float
    lossref_mem: float
    numpy_mem: float | None

    @property
    def vs_torch1(self) -> float | None:
        return None if self.torch1_s is None else self.lossref1_s / self.torch1_s

    @property
    def numpy_vs_torch1(self) -> float | None:
        return None if self.torch1_s is None or self.numpy_s is None else self.numpy_s / self.torch1_s

    @property
    def optax_vs_torch1(self) -> float | None:
        return None if self.torch1_s is None or self.optax_s is None else self.optax_s / self.torch1_s

    @property
    def vs_floor(self):
        return self.lossref_s / self.floor_s

    @property
    def target_vs_torch1(self) -> float:
        return TARGET_CTC_VS_TORCH1 if self.loss == "ctc" else TARGET_VS_TORCH1

    def misses(self) -> dict[str, str]:
        """The targets this row misses: column name -> description."""
        missed = {}
        target = self.target_vs_torch1
        if self.vs_torch1 is not None and self.vs_torch1 > target:
            missed["lossref1/torch1"] = f"lossref1/torch1 = {self.vs_torch1:.2f} > {target}"
        if self.loss == "mse" and self.vs_floor > TARGET_MSE_VS_FLOOR:
            missed["lossref/floor"] = f"lossref/floor = {self.vs_floor:.2f} > {TARGET_MSE_VS_FLOOR}"
        if self.lossref_mem > TARGET_MEMORY:
            missed["lossref mem"] = f"peak extra memory = {self.lossref_mem:.2f}x > {TARGET_MEMORY}x"
        return missed


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(case: Case, bandwidth: float) -> Result:
    row = f"{case.loss} {case.dtype}"
    ours = lambda: case.lossref_fn.value_and_grad(*case.args, **case.kwargs)  # noqa: E731
    baseline = None if case.numpy_fn is None else (lambda: case.numpy_fn(*case.args))
    run_torch = torch_runner(case) if torch is not None and case.torch_fn is not None else None
    run_optax = optax_runner(case) if jax is not None and case.optax_fn is not None else None

    progress(f"{row} {case.shape}: checking")
    reference = ours()
    if baseline is not None:
        check_agreement(row, "numpy", reference, baseline())
    if run_torch is not None:
        check_agreement(row, "torch", reference, run_torch(), case.grad_rtol)
    if run_optax is not None:
        if case.optax_check:  # the same function in both conventions (triplet: eps = 0)
            check_agreement(row, "optax", case.lossref_fn.value_and_grad(*case.args, **case.kwargs, **case.optax_check),
                            optax_runner(case, **case.optax_check)(), case.grad_rtol)
        else:
            check_agreement(row, "optax", reference, run_optax(), case.grad_rtol)
    del reference

    progress(f"{row}: memory")
    lossref_mem = peak_extra_bytes(ours) / case.pred_bytes
    numpy_mem = None if baseline is None else peak_extra_bytes(baseline) / case.pred_bytes

    progress(f"{row}: timing")
    lossref_s = best_time(ours)
    with lossref_threads(1):
        lossref1_s = best_time(ours)
    numpy_s = None if baseline is None else best_time(baseline)
    torch1_s = torch_s = None
    if run_torch is not None:
        with torch_threads(1):
            torch1_s = best_time(run_torch)
        torch_s = best_time(run_torch)
    optax_s = None if run_optax is None else best_time(run_optax)

    return Result(
        loss=case.loss,
        dtype=str(case.dtype),
        shape=case.shape,
        lossref_s=lossref_s,
        lossref1_s=lossref1_s,
        numpy_s=numpy_s,
        torch1_s=torch1_s,
        torch_s=torch_s,
        optax_s=optax_s,
        floor_s=case.bytes_touched / bandwidth,
        lossref_mem=lossref_mem,
        numpy_mem=numpy_mem,
    )
# ---------------------------------------------------------------------------- output
COLUMNS = (
    "loss", "dtype", "shape", "lossref ms", "lossref1 ms", "numpy ms", "torch1 ms", "torch ms", "optax ms",
    "lossref1/torch1", "numpy/torch1", "optax/torch1", "floor ms", "lossref/floor", "lossref mem", "numpy mem",
)
LEFT_ALIGNED = {"loss", "dtype", "shape"}


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    ms = seconds * 1e3
    return f"{ms:.1f}" if ms >= 10 else f"{ms:.2f}"


def _ratio(x: float | None, suffix: str = "") -> str:
    return "n/a" if x is None else f"{x:.2f}{suffix}"


def table_cells(result: Result) -> list[str]:
    cells = {
        "loss": result.loss,
        "dtype": result.dtype,
        "shape": result.shape,
        "lossref ms": _ms(result.lossref_s),
        "lossref1 ms": _ms(result.lossref1_s),
        "numpy ms": _ms(result.numpy_s),
        "torch1 ms": _ms(result.torch1_s),
        "torch ms": _ms(result.torch_s),
        "optax ms": _ms(result.optax_s),
        "lossref1/torch1": _ratio(result.vs_torch1),
        "numpy/torch1": _ratio(result.numpy_vs_torch1),
        "optax/torch1": _ratio(result.optax_vs_torch1),
        "floor ms": _ms(result.floor_s),
        "lossref/floor": _ratio(result.vs_floor),
        "lossref mem": _ratio(result.lossref_mem, "x"),
        "numpy mem": _ratio(result.numpy_mem, "x"),
    }
    for column in result.misses():
        cells[column] += " *"
    return [cells[c] for c in COLUMNS]


def format_table(results: list[Result], markdown: bool) -> str:
    rows = [table_cells(r) for r in results]
    if markdown:
        lines = ["| " + " | ".join(COLUMNS) + " |"]
        lines.append("|" + "|".join(":---" if c in LEFT_ALIGNED else "---:" for c in COLUMNS) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(COLUMNS)]

    def line(cells):
        return "  ".join(
            cell.ljust(w) if c in LEFT_ALIGNED else cell.rjust(w) for cell, c, w in zip(cells, COLUMNS, widths)
        ).rstrip()

    return "\n".join([line(COLUMNS), line(["-" * w for w in widths])] + [line(row) for row in rows])


def format_targets(results: list[Result]) -> str:
    lines = [
        f"Targets: lossref1/torch1 <= {TARGET_VS_TORCH1} on every row (ctc: <= {TARGET_CTC_VS_TORCH1}); "
        f"MSE lossref/floor <= {TARGET_MSE_VS_FLOOR}; "
        f"peak extra memory <= {TARGET_MEMORY:g}x input. Cells marked * miss their target."
    ]
    if torch is None:
        lines.append("(torch is not importable here, so lossref/torch1 is not checked.)")
    missed = [(r, m) for r in results for m in r.misses().values()]
    if missed:
        lines += [f"  MISSED  {r.loss} {r.dtype}: {m}" for r, m in missed]
    else:
        lines.append("All targets met.")
    return "\n".join(lines)


def environment(bandwidth: float, quick: bool) -> str:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    lines = [
        f"python {platform.python_version()}, numpy {np.__version__}, lossref {lr.__version__}",
        f"CPUs: {os.cpu_count()} ({usable} usable by this process), {platform.processor() or platform.machine()}",
    ]
    if torch is not None:
        lines.append(
            f"torch {torch.__version__}: torch1 = 1 thread, torch = default {DEFAULT_TORCH_THREADS} intra-op threads "
            f"({torch.get_num_interop_threads()} inter-op)"
        )
    else:
        lines.append("torch: not importable, torch columns are n/a")
    if jax is not None:
        lines.append(f"jax {jax.__version__}, optax {optax.__version__} on {jax.devices()[0].platform}: "
                     f"XLA_FLAGS={os.environ.get('XLA_FLAGS', '')}")
    else:
        lines.append("jax/optax: not importable, the optax column is n/a")
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        if var in os.environ:
            lines.append(f"{var}={os.environ[var]}")
    if "OPENBLAS_CORETYPE" in os.environ:
        lines.append(f"OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} (NumPy's BLAS: dice, ntxent)")
    lines.append(f"copy bandwidth (np.copyto, read + write): {bandwidth / 1e9:.1f} GB/s")
    if hasattr(os, "getloadavg"):
        lines.append(
            f"load average (1 min) at the end: {os.getloadavg()[0]:.2f}; about 1.0 is this benchmark itself, "
            "more means other processes shared the cores and the timings are noisy (torch most of all)"
        )
    if quick:
        lines.append(f"--quick: sizes divided by {QUICK_FACTOR}; a smoke run, not a measurement")
    return "\n".join(lines)



def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes divided by {QUICK_FACTOR}, for a smoke run")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--rows", default="", metavar="LOSS[,LOSS...]",
                        help="measure only these losses' rows, e.g. --rows ctc,dice (default: every row)")
    args = parser.parse_args(argv)
    rows = {name for name in args.rows.split(",") if name}
    known = {"cross_entropy", "bce_with_logits", "mse", "ctc", "triplet_margin", "ntxent", "dice"}
    if rows - known:
        parser.error(f"--rows: unknown row(s) {', '.join(sorted(rows - known))}; the rows are {', '.join(sorted(known))}")

    started = time.perf_counter()
    progress("measuring copy bandwidth")
    bandwidth = copy_bandwidth(COPY_BYTES // (QUICK_FACTOR if args.quick else 1))
    results = [measure(case, bandwidth) for case in make_cases(args.quick) if not rows or case.loss in rows]
    progress(f"done in {time.perf_counter() - started:.0f} s\n")

    print(environment(bandwidth, args.quick))
    print()
    print(format_table(results, args.markdown))
    print()
    print(format_targets(results))


if __name__ == "__main__":
    main()
