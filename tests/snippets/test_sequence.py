"""Snippets of the sequence losses' page (ctc.md), checked against alignments enumerated one by one."""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.testing import assert_allclose


def collapse(path, blank=0):
    out, prev = [], None
    for k in path:
        if k != prev and k != blank:
            out.append(k)
        prev = k
    return out


def target_probability(y, target, blank=0):
    """Sum over every alignment (all C^T of them) that collapses to ``target`` of its probability."""
    t_len, c = y.shape
    return sum(math.prod(y[t, k] for t, k in enumerate(path))
               for path in itertools.product(range(c), repeat=t_len) if collapse(path, blank) == list(target))


def prefix_probability(y, target, t, s, blank=0):
    """alpha_t(s) by enumeration: the prefixes of t + 1 steps at position s of the extended target (even s:
    the blank after the first s / 2 labels; odd s: the label (s + 1) / 2, still being emitted)."""
    done = (s + 1) // 2
    last = blank if s % 2 == 0 else target[done - 1]
    return sum(math.prod(y[u, k] for u, k in enumerate(path))
               for path in itertools.product(range(y.shape[1]), repeat=t + 1)
               if path[-1] == last and collapse(path, blank) == list(target[:done]))


def test_ctc_forward(printed):
    out = printed("losses/ctc_forward.py")
    y = np.array([[0.5, 0.4, 0.1], [0.4, 0.3, 0.3], [0.3, 0.2, 0.5], [0.6, 0.1, 0.3]])
    target = [1, 2]
    for t in range(4):
        expected = [prefix_probability(y, target, t, s) for s in range(5)]
        assert_allclose(out[f"alpha at step {t}"], expected, atol=5e-5)  # printed to 4 decimals
    # "b" at step 1: "ab" (0.4 * 0.3) is the only prefix, so the recursion's sum is 0.12
    assert_allclose(out["alpha_1(3) by hand"], 0.4 * 0.3, rtol=1e-12)
    p = target_probability(y, target)
    assert_allclose(out["p(ab) = alpha_3(4) + alpha_3(3)"], p, rtol=1e-12)
    assert_allclose(out["exp(-ctc)"], p, rtol=1e-12)


def test_ctc(printed):
    out = printed("losses/ctc.py")
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 6, 5))
    y = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    p = np.array([target_probability(y[0], [1, 2, 3]), target_probability(y[1], [4, 4]),
                  target_probability(y[2, :4], [2])])
    assert_allclose(out["loss per sequence"], -np.log(p), rtol=1e-7)  # printed to 8 significant digits
    assert_allclose(out["probability of each target"], p, atol=5e-9)  # printed to 8 decimals
    assert_allclose(out["lossref mean (over sequences)"], np.mean(-np.log(p)), rtol=1e-12)
    assert_allclose(out["PyTorch's 'mean' (each divided by its target length first)"],
                    np.mean(-np.log(p) / [3, 2, 1]), rtol=1e-12)
    assert_allclose(out["gradient shape"], [3, 6, 5])
    assert out["largest gradient on the padded frames"][0] == 0
    assert out["largest sum of a step's gradient over the classes"][0] < 1e-14


def test_ctc_impossible(run_snippet, printed):
    text = run_snippet("losses/ctc_impossible.py")
    assert "ValueError: targets sequence 0 cannot be aligned" in text and "needs at least 3 time steps" in text
    out = printed("losses/ctc_impossible.py")
    # three uniform steps over 3 symbols: "aa" has one alignment (a-a), "ab" has binom(5, 4) = 5
    assert_allclose(out["zero_infinity, per sequence"], [0.0, math.log(27 / 5)], rtol=1e-8)
    assert_allclose(out["three steps each, per sequence"], [math.log(27), math.log(27 / 5)], rtol=1e-8)
