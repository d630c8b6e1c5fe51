"""Large inputs run their blocks on several threads; results must not depend on it."""

from __future__ import annotations

import numpy as np
import pytest

import lossref as lr
from lossref import _parallel

N = _parallel.MIN_PARALLEL_ELEMENTS + 12345  # big enough to be split across threads


@pytest.fixture
def threads(monkeypatch):
    def use(n):
        monkeypatch.setenv("LOSSREF_NUM_THREADS", str(n))

    return use


@pytest.mark.parametrize("name", ["mse", "bce_with_logits", "hinge"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_threads_give_identical_results(threads, name, reduction):
    rng = np.random.default_rng(7)
    pred = rng.normal(size=N).astype(np.float32)
    y = {"mse": rng.normal(size=N), "bce_with_logits": rng.integers(0, 2, N), "hinge": rng.choice([-1, 1], N)}[name]
    y = y.astype(np.float32)
    weight = rng.uniform(0.5, 2.0, N)
    loss = lr.get(name)
    threads(1)
    value_1, grad_1 = loss.value_and_grad(y, pred, reduction=reduction, sample_weight=weight)
    threads(2)
    value_2, grad_2 = loss.value_and_grad(y, pred, reduction=reduction, sample_weight=weight)
    np.testing.assert_array_equal(value_1, value_2)  # bit for bit: block sums are added in order
    np.testing.assert_array_equal(grad_1, grad_2)


def test_threads_split_the_work(threads, monkeypatch):
    seen = []
    original = _parallel._run_range

    def spy(work, bounds):
        import threading

        seen.append((threading.current_thread().name, bounds[0]))
        return original(work, bounds)

    monkeypatch.setattr(_parallel, "_run_range", spy)
    threads(2)
    lr.mse(np.zeros(N), np.ones(N))
    # Two ranges, each handed to the pool (which thread takes which is up to the scheduler).
    assert len(seen) == 2 and len({start for _, start in seen}) == 2
    assert all(name.startswith("lossref") for name, _ in seen)


def test_first_bad_block_is_reported(threads):
    probs = np.full(N, 0.5)
    probs[N - 10] = 2.0  # in the last thread's range
    probs[_parallel.MIN_PARALLEL_ELEMENTS // 4] = -1.0  # earlier, in the first thread's range
    threads(2)
    with pytest.raises(ValueError, match=rf"probs must hold probabilities in \[0, 1\]; got -1 at index {_parallel.MIN_PARALLEL_ELEMENTS // 4}"):
        lr.bce(np.zeros(N), probs)


def test_bad_thread_setting_is_reported(threads):
    threads(0)
    with pytest.raises(ValueError, match="LOSSREF_NUM_THREADS must be a positive integer; got '0'"):
        lr.mse(np.zeros(N), np.ones(N))
