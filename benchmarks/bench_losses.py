"""Benchmark lossref's ``value_and_grad`` against plain NumPy and PyTorch (CPU).

Run with ``make bench``, i.e.::

    PYTHONPATH=/work/main .venv-ref/bin/python benchmarks/bench_losses.py [--quick] [--markdown]

What is measured
----------------
Six rows: ``cross_entropy`` on logits of shape (100000, 1000) with integer labels,
``bce_with_logits`` on 1e7 elements with 0/1 targets and ``mse`` on 1e7 elements, each in
float32 and float64 (``--quick`` divides every size by 10 for a smoke run). Every row times
the mean loss *and* its gradient with respect to the prediction, on the same data, with:

* **lossref**: ``lossref.<loss>.value_and_grad(y, pred)``.
* **numpy**: the same maths written the obvious way in whole-array NumPy (see ``numpy_*``
  below): max-shifted log-softmax and softmax minus one-hot; ``logaddexp`` softplus and
  ``1 / (1 + exp(-x))`` sigmoid; residual, mean of squares and ``2 r / n``.
* **torch1** / **torch**: PyTorch's fused functional (``F.cross_entropy``,
  ``F.binary_cross_entropy_with_logits``, ``F.mse_loss``) forward plus ``.backward()`` on a
  leaf tensor made once with ``torch.from_numpy``; ``torch1`` with
  ``torch.set_num_threads(1)``, ``torch`` with PyTorch's default thread count. The torch
  columns read "n/a" when torch cannot be imported.

Before timing, each row checks that lossref's value and gradient agree with the NumPy
baseline and with PyTorch (relative tolerance 1e-5 in float32, 1e-10 in float64, with an
absolute tolerance of the same relative size of the largest gradient entry, as in
``np.allclose``); the benchmark stops with an error if they do not.

Timing: one warm-up call, then the best (minimum) of at least 5 calls timed with
``time.perf_counter``; fast rows get more calls, within a time budget per cell. Each call
allocates its own gradient, as a training step would.

How to read the table
---------------------
* ``lossref``, ``numpy``, ``torch1``, ``torch``: best time in milliseconds.
* ``lossref`` runs large inputs on all usable cores (``LOSSREF_NUM_THREADS``, default: the
  CPUs of the process), ``lossref1`` on one thread.
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
  the prediction array's size. The returned gradient alone is 1.0x.
* Targets, checked on every row: ``lossref1/torch1 <= 1.0``; ``lossref/floor <= 2.0`` for
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
from dataclasses import dataclass
from typing import Callable

import numpy as np

import lossref as lr

try:
    import torch
    import torch.nn.functional as F
except Exception:  # not installed, or an install that fails to load: run without the torch columns
    torch = None
    F = None

#: PyTorch's own intra-op thread count, read before the benchmark changes it.
DEFAULT_TORCH_THREADS = torch.get_num_threads() if torch is not None else None

# ---------------------------------------------------------------------------- settings
CE_SHAPE = (100_000, 1000)
ELEMENTWISE_SIZE = 10_000_000
COPY_BYTES = 512 * 2**20  # per array in the bandwidth measurement; far above the caches
QUICK_FACTOR = 10

DTYPES = (np.float32, np.float64)
RTOL = {np.dtype(np.float32): 1e-5, np.dtype(np.float64): 1e-10}

MIN_REPS = 5
MAX_REPS = 100
CELL_BUDGET_S = 2.0  # time for the timed calls of one cell, beyond the minimum of MIN_REPS

TARGET_VS_TORCH1 = 1.0
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


# ---------------------------------------------------------------------------- the rows
@dataclass
class Case:
    """One row of the table: a loss, a dtype and its data."""

    loss: str
    y: np.ndarray
    pred: np.ndarray
    numpy_fn: Callable
    torch_name: str  # name of the torch.nn.functional function

    @property
    def dtype(self) -> np.dtype:
        return self.pred.dtype

    @property
    def lossref_fn(self) -> lr.Loss:
        return getattr(lr, self.loss)

    @property
    def bytes_touched(self) -> int:
        """Inputs read plus gradient written: what no implementation can avoid moving."""
        return self.y.nbytes + self.pred.nbytes + self.pred.nbytes


def make_cases(quick: bool):
    """Yield the six rows one at a time, so that only one row's data is in memory."""
    scale = QUICK_FACTOR if quick else 1
    n_rows, n_classes = CE_SHAPE[0] // scale, CE_SHAPE[1]
    size = ELEMENTWISE_SIZE // scale
    for dtype in DTYPES:
        rng = np.random.default_rng(0)
        logits = 2 * rng.standard_normal((n_rows, n_classes), dtype=dtype)
        labels = rng.integers(0, n_classes, n_rows)  # int64, as torch wants
        yield Case("cross_entropy", labels, logits, numpy_cross_entropy, "cross_entropy")
        del logits, labels
        z = 2 * rng.standard_normal(size, dtype=dtype)
        y01 = (rng.random(size) < 0.5).astype(dtype)
        yield Case("bce_with_logits", y01, z, numpy_bce_with_logits, "binary_cross_entropy_with_logits")
        del z, y01
        y = rng.standard_normal(size, dtype=dtype)
        pred = rng.standard_normal(size, dtype=dtype)
        yield Case("mse", y, pred, numpy_mse, "mse_loss")
        del y, pred


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
    """Run lossref with ``n`` threads (its ``LOSSREF_NUM_THREADS`` setting) inside the block."""
    previous = os.environ.get("LOSSREF_NUM_THREADS")
    os.environ["LOSSREF_NUM_THREADS"] = str(n)
    try:
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
    """A function computing torch's loss and gradient on the case's data (tensors made once)."""
    functional = getattr(F, case.torch_name)
    leaf = torch.from_numpy(case.pred).requires_grad_(True)
    target = torch.from_numpy(case.y)

    def run():
        leaf.grad = None  # a fresh gradient each call, as lossref and NumPy allocate theirs
        loss = functional(leaf, target)
        loss.backward()
        return loss.detach(), leaf.grad

    return run


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


def check_agreement(row: str, other: str, ours, theirs) -> None:
    """Stop the benchmark if lossref's (value, grad) and another implementation's disagree."""
    value, grad = ours
    other_value, other_grad = theirs
    rtol = RTOL[grad.dtype]
    problems = []
    if other_grad.shape != grad.shape or other_grad.dtype != grad.dtype:
        problems.append(f"gradient {other_grad.dtype}{other_grad.shape} vs lossref {grad.dtype}{grad.shape}")
    else:
        excess, diff = _max_excess(grad, other_grad, rtol)
        if excess > 1:
            problems.append(f"gradient differs by up to {diff:.3g} ({excess:.3g} times the tolerance)")
    if not abs(float(value) - float(other_value)) <= rtol * abs(float(other_value)):
        problems.append(f"value {float(value)!r} vs {other} {float(other_value)!r}")
    if problems:
        details = "; ".join(problems)
        raise SystemExit(f"correctness check failed for {row}, lossref vs {other} (rtol {rtol:g}): {details}")


# ---------------------------------------------------------------------------- one row
@dataclass
class Result:
    loss: str
    dtype: str
    shape: tuple
    lossref_s: float  # default threads
    lossref1_s: float  # LOSSREF_NUM_THREADS=1
    numpy_s: float
    torch1_s: float | None
    torch_s: float | None
    floor_s: float
    lossref_mem: float
    numpy_mem: float

    @property
    def vs_torch1(self) -> float | None:
        return None if self.torch1_s is None else self.lossref1_s / self.torch1_s

    @property
    def numpy_vs_torch1(self) -> float | None:
        return None if self.torch1_s is None else self.numpy_s / self.torch1_s

    @property
    def vs_floor(self):
        return self.lossref_s / self.floor_s

    def misses(self) -> dict[str, str]:
        """The targets this row misses: column name -> description."""
        missed = {}
        if self.vs_torch1 is not None and self.vs_torch1 > TARGET_VS_TORCH1:
            missed["lossref1/torch1"] = f"lossref1/torch1 = {self.vs_torch1:.2f} > {TARGET_VS_TORCH1}"
        if self.loss == "mse" and self.vs_floor > TARGET_MSE_VS_FLOOR:
            missed["lossref/floor"] = f"lossref/floor = {self.vs_floor:.2f} > {TARGET_MSE_VS_FLOOR}"
        if self.lossref_mem > TARGET_MEMORY:
            missed["lossref mem"] = f"peak extra memory = {self.lossref_mem:.2f}x > {TARGET_MEMORY}x"
        return missed


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(case: Case, bandwidth: float) -> Result:
    row = f"{case.loss} {case.dtype}"
    ours = lambda: case.lossref_fn.value_and_grad(case.y, case.pred)  # noqa: E731
    baseline = lambda: case.numpy_fn(case.y, case.pred)  # noqa: E731
    run_torch = torch_runner(case) if torch is not None else None

    progress(f"{row} {case.pred.shape}: checking")
    reference = ours()
    check_agreement(row, "numpy", reference, baseline())
    if run_torch is not None:
        loss, grad = run_torch()
        check_agreement(row, "torch", reference, (loss.item(), grad.numpy()))
        del loss, grad
    del reference

    progress(f"{row}: memory")
    lossref_mem = peak_extra_bytes(ours) / case.pred.nbytes
    numpy_mem = peak_extra_bytes(baseline) / case.pred.nbytes

    progress(f"{row}: timing")
    lossref_s = best_time(ours)
    with lossref_threads(1):
        lossref1_s = best_time(ours)
    numpy_s = best_time(baseline)
    torch1_s = torch_s = None
    if run_torch is not None:
        with torch_threads(1):
            torch1_s = best_time(run_torch)
        torch_s = best_time(run_torch)

    return Result(
        loss=case.loss,
        dtype=str(case.dtype),
        shape=case.pred.shape,
        lossref_s=lossref_s,
        lossref1_s=lossref1_s,
        numpy_s=numpy_s,
        torch1_s=torch1_s,
        torch_s=torch_s,
        floor_s=case.bytes_touched / bandwidth,
        lossref_mem=lossref_mem,
        numpy_mem=numpy_mem,
    )


# ---------------------------------------------------------------------------- output
COLUMNS = (
    "loss", "dtype", "shape", "lossref ms", "lossref1 ms", "numpy ms", "torch1 ms", "torch ms",
    "lossref1/torch1", "numpy/torch1", "floor ms", "lossref/floor", "lossref mem", "numpy mem",
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
        "shape": "x".join(map(str, result.shape)),
        "lossref ms": _ms(result.lossref_s),
        "lossref1 ms": _ms(result.lossref1_s),
        "numpy ms": _ms(result.numpy_s),
        "torch1 ms": _ms(result.torch1_s),
        "torch ms": _ms(result.torch_s),
        "lossref1/torch1": _ratio(result.vs_torch1),
        "numpy/torch1": _ratio(result.numpy_vs_torch1),
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
        f"Targets: lossref1/torch1 <= {TARGET_VS_TORCH1} on every row; MSE lossref/floor <= {TARGET_MSE_VS_FLOOR}; "
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
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        if var in os.environ:
            lines.append(f"{var}={os.environ[var]}")
    if "OPENBLAS_CORETYPE" in os.environ:
        lines.append(
            f"OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} (no effect here: these losses are "
            "elementwise kernels and reductions, no BLAS)"
        )
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
    args = parser.parse_args(argv)

    started = time.perf_counter()
    progress("measuring copy bandwidth")
    bandwidth = copy_bandwidth(COPY_BYTES // (QUICK_FACTOR if args.quick else 1))
    results = [measure(case, bandwidth) for case in make_cases(args.quick)]
    progress(f"done in {time.perf_counter() - started:.0f} s\n")

    print(environment(bandwidth, args.quick))
    print()
    print(format_table(results, args.markdown))
    print()
    print(format_targets(results))


if __name__ == "__main__":
    main()
