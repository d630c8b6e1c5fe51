"""Run a loss's blocks on several threads.

NumPy releases the GIL inside its array loops, so blocks of rows run truly in parallel. A single
core cannot use all of the memory bandwidth; two cores streaming their own halves of the
input come much closer, which matters for cheap losses such as MSE whose cost is reading the
inputs and writing the gradient.

The result does not depend on the number of threads: each block's sum is kept in its slot and
the slots are added in block order, and if several blocks reject their input, the error of
the first one is raised, as a sequential run would.

``LOSSREF_NUM_THREADS`` sets the number of threads (default: the CPUs this process may use, at
most 8); ``1`` turns threading off. Inputs smaller than ``MIN_PARALLEL_ELEMENTS`` always run on
the calling thread.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["map_blocks", "num_threads", "MIN_PARALLEL_ELEMENTS"]

#: Below this many elements, starting threads costs more than it saves.
MIN_PARALLEL_ELEMENTS = 1 << 20

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def num_threads() -> int:
    """Threads used for large inputs: ``LOSSREF_NUM_THREADS``, else the usable CPUs (at most 8)."""
    setting = os.environ.get("LOSSREF_NUM_THREADS", "").strip()
    if setting:
        try:
            value = int(setting)
        except ValueError:
            raise ValueError(f"LOSSREF_NUM_THREADS must be a positive integer; got {setting!r}") from None
        if value < 1:
            raise ValueError(f"LOSSREF_NUM_THREADS must be a positive integer; got {setting!r}")
        return value
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    return max(1, min(usable, 8))


def _executor(threads: int) -> ThreadPoolExecutor | None:
    """The shared pool, rebuilt only when the thread setting changes."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._max_workers != threads:
            old, _pool = _pool, None
            if old is not None:
                old.shutdown(wait=False)
            try:
                _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lossref")
            except RuntimeError:  # no threads on this platform (e.g. WebAssembly)
                return None
        return _pool


def _run_range(work, bounds):
    """Run consecutive blocks; stop at the first error and report it with its block number."""
    sums = []
    for index, (start, stop) in bounds:
        try:
            sums.append(work(start, stop))
        except Exception as exc:  # re-raised by map_blocks in block order
            return sums, (index, exc)
    return sums, None


def map_blocks(work, n_rows: int, step: int, n_elements: int) -> list[float]:
    """``[work(start, stop) for each block of step rows]``, in block order, maybe on several threads."""
    bounds = list(enumerate((start, min(n_rows, start + step)) for start in range(0, n_rows, step)))
    pool = None
    # Small inputs, and calls made from inside a lossref thread, stay on the calling thread.
    if n_elements >= MIN_PARALLEL_ELEMENTS and len(bounds) > 1 and not threading.current_thread().name.startswith("lossref"):
        threads = num_threads()
        if threads > 1:
            pool = _executor(threads)
    if pool is None:
        return [work(start, stop) for _, (start, stop) in bounds]
    # Contiguous ranges of blocks, one per thread: each thread streams its own part of memory.
    per = -(-len(bounds) // pool._max_workers)
    futures = [pool.submit(_run_range, work, bounds[i : i + per]) for i in range(0, len(bounds), per)]
    results = [f.result() for f in futures]
    errors = [err for _, err in results if err is not None]
    if errors:
        raise min(errors, key=lambda e: e[0])[1]
    return [s for sums, _ in results for s in sums]
