"""ctc: -log p(target) summed over every alignment, checked against alignments enumerated one by one."""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.ctc


# ---------------------------------------------------------------------------- independent references
def collapse(path, blank):
    """The labelling an alignment produces: merge repeated symbols, then drop the blanks."""
    out, prev = [], None
    for k in path:
        if k != prev and k != blank:
            out.append(int(k))
        prev = k
    return out


def brute_force(target, logits, blank=0):
    """-log of the summed probability of the alignments (all C^T of them are tried) that give ``target``."""
    logits = np.asarray(logits, dtype=np.float64)
    log_y = logits - logits.max(axis=1, keepdims=True)
    log_y -= np.log(np.exp(log_y).sum(axis=1, keepdims=True))
    t_len, c = logits.shape
    terms = [sum(log_y[t, k] for t, k in enumerate(path))
             for path in itertools.product(range(c), repeat=t_len) if collapse(path, blank) == list(target)]
    return -float(np.logaddexp.reduce(terms)) if terms else math.inf


def mp_ctc(target, logits, blank=0):
    """Graves et al.'s forward recursion in probabilities, in 60-digit arithmetic (no log space needed)."""
    mpmath.mp.dps = 60
    rows = [[mpmath.exp(mpmath.mpf(float(v))) for v in row] for row in np.asarray(logits, dtype=np.float64)]
    y = [[v / mpmath.fsum(row) for v in row] for row in rows]
    ext = [blank]
    for label in target:
        ext += [int(label), blank]
    alpha = [mpmath.mpf(0)] * len(ext)
    alpha[0] = y[0][ext[0]]
    if len(ext) > 1:
        alpha[1] = y[0][ext[1]]
    for t in range(1, len(y)):
        new = []
        for s, k in enumerate(ext):
            total = alpha[s] + (alpha[s - 1] if s >= 1 else 0)
            if s >= 2 and k != blank and k != ext[s - 2]:
                total += alpha[s - 2]
            new.append(y[t][k] * total)
        alpha = new
    p = alpha[-1] + (alpha[-2] if len(ext) > 1 else 0)
    return -mpmath.log(p)


def batch(seed, n=4, t=5, c=3, s=3, blank=0, scale=1.0):
    """Random logits and targets with repeated labels, variable lengths and -1 padding."""
    rng = np.random.default_rng(seed)
    logits = scale * rng.normal(size=(n, t, c))
    symbols = [k for k in range(c) if k != blank]
    target_lengths = rng.integers(0, s + 1, size=n)
    targets = np.full((n, s), -1)
    input_lengths = np.empty(n, dtype=int)
    for i in range(n):
        targets[i, :target_lengths[i]] = rng.choice(symbols, size=target_lengths[i])
        row = targets[i, :target_lengths[i]]
        needed = len(row) + int(np.sum(row[1:] == row[:-1]))
        input_lengths[i] = rng.integers(needed, t + 1) if needed <= t else t
        if needed > t:  # too many repeats for this T: drop the last label until it fits
            while len(row) + int(np.sum(row[1:] == row[:-1])) > t:
                row = row[:-1]
            targets[i] = -1
            targets[i, :len(row)] = row
            target_lengths[i] = len(row)
    return targets, logits, input_lengths, target_lengths


def expected(targets, logits, input_lengths, target_lengths, blank=0):
    return np.array([brute_force(targets[i, :target_lengths[i]], logits[i, :input_lengths[i]], blank)
                     for i in range(len(targets))])


# ---------------------------------------------------------------------------- values
@pytest.mark.parametrize("seed, blank", [(0, 0), (1, 0), (2, 2), (3, 1), (4, 0)])
def test_value_is_the_sum_over_every_alignment(seed, blank):
    targets, logits, t_len, s_len = batch(seed, blank=blank)
    got = loss(targets, logits, input_lengths=t_len, target_lengths=s_len, blank=blank, reduction="none")
    np.testing.assert_allclose(got, expected(targets, logits, t_len, s_len, blank), rtol=1e-12)


def test_repeated_labels_need_a_blank_between_them():
    logits = np.random.default_rng(5).normal(size=(3, 4, 3))
    targets = np.array([[1, 1, 2], [1, 2, 1], [2, 2, 2]])
    got = loss(targets, logits, input_lengths=[4, 4, 4], target_lengths=[3, 3, 2], reduction="none")
    np.testing.assert_allclose(got, expected(targets, logits, [4, 4, 4], [3, 3, 2]), rtol=1e-12)


def test_hand_computed_uniform_cases():
    # uniform over {blank, a} for two steps: "aa", "-a", "a-" give "a", each with probability 1/4
    assert loss([[1]], np.zeros((1, 2, 2))) == pytest.approx(-math.log(3 / 4), rel=1e-14)
    # "aa" in three steps: only "a-a", probability 1/8
    assert loss([[1, 1]], np.zeros((1, 3, 2))) == pytest.approx(math.log(8), rel=1e-14)
    # the empty target: every step blank
    assert loss([[1]], np.zeros((1, 3, 2)), target_lengths=[0]) == pytest.approx(math.log(8), rel=1e-14)


@pytest.mark.parametrize("t, s", [(3, 1), (6, 2), (9, 3), (40, 7)])
def test_uniform_logits_count_the_alignments(t, s):
    # With uniform y = 1/C and no repeated labels, a target of length S has binom(T + S, 2S) alignments
    # (choose where each of the S labels starts and ends among T + S slots), so L = T log C - log binom.
    c = s + 1
    targets = np.arange(1, s + 1)[None, :]
    assert loss(targets, np.zeros((1, t, c))) == pytest.approx(t * math.log(c) - math.log(math.comb(t + s, 2 * s)),
                                                                rel=1e-13)


def test_matches_mpmath_on_a_longer_case():
    rng = np.random.default_rng(6)
    logits = 3 * rng.normal(size=(1, 14, 5))
    target = [3, 3, 1, 4, 4, 2]
    assert loss([target], logits, blank=0) == pytest.approx(float(mp_ctc(target, logits[0])), rel=1e-12)


def test_forward_variables_are_the_prefix_probabilities():
    # uniform over {blank, a}: after one step "-" or "a" (1/2 each); after two, "--" in the first blank,
    # "-a" or "aa" on the label, "a-" in the final blank
    alpha = np.exp(loss.forward_variables([[1]], np.zeros((1, 2, 2))))
    np.testing.assert_allclose(alpha[0], [[0.5, 0.5, 0.0], [0.25, 0.5, 0.25]], rtol=1e-15)
    targets, logits, t_len, s_len = batch(7, blank=1)
    log_alpha = loss.forward_variables(targets, logits, input_lengths=t_len, target_lengths=s_len, blank=1)
    assert log_alpha.shape == (4, 5, 7)
    for i in range(4):
        last = log_alpha[i, t_len[i] - 1]
        readout = np.logaddexp(last[2 * s_len[i]], last[2 * s_len[i] - 1] if s_len[i] else -np.inf)
        assert -readout == pytest.approx(brute_force(targets[i, :s_len[i]], logits[i, :t_len[i]], 1), rel=1e-12)
        assert np.all(np.isneginf(log_alpha[i, t_len[i]:]))


# ---------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_gradients_match_finite_differences(seed, reduction, weighted, assert_grads_match):
    targets, logits, t_len, s_len = batch(seed, n=3, t=5, c=4, blank=seed % 2)
    w = np.random.default_rng(seed).uniform(0.5, 2, size=3) if weighted else None
    params = {"input_lengths": t_len, "target_lengths": s_len, "blank": seed % 2}
    arrays = {"targets": targets, "logits": logits}
    # "none" returns per-sequence values; its gradient is that of their (weighted) sum
    grad = assert_grads_match(loss, arrays, params, reduction="sum" if reduction == "none" else reduction,
                              sample_weight=w, rtol=1e-6, atol=1e-9)[0]
    if reduction == "none":
        np.testing.assert_array_equal(loss.grad(**arrays, **params, sample_weight=w, reduction="none"), grad)
    for i in range(3):
        assert not np.any(grad[i, t_len[i]:])  # padded frames get nothing


def test_gradient_is_softmax_minus_occupation():
    targets, logits, t_len, s_len = batch(8)
    grad = loss.grad(targets, logits, input_lengths=t_len, target_lengths=s_len, reduction="sum")
    # each step's occupations sum to 1 (every alignment is somewhere), and so does the softmax
    np.testing.assert_allclose(grad.sum(axis=-1), 0, atol=1e-14)
    # one alignment only ("a-a" for "aa" in three steps): the occupation is that path's one-hot
    logits = np.random.default_rng(9).normal(size=(1, 3, 2))
    y = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(loss.grad([[1, 1]], logits, reduction="sum"), y - np.eye(2)[[1, 0, 1]][None],
                               rtol=1e-13)


# ---------------------------------------------------------------------------- impossible targets
def test_impossible_target_raises_and_names_the_sequence():
    logits = np.zeros((3, 4, 3))
    targets = np.array([[1, 2, 0], [1, 1, 1], [2, 0, 0]])  # sequence 1: "aaa" needs 5 steps, has 4
    with pytest.raises(ValueError, match=r"targets sequence 1 cannot be aligned.*length 3 with 2 repeated "
                                         r"neighbour\(s\) needs at least 5 time steps, and its input has 4"):
        loss(targets, logits, target_lengths=[2, 3, 1])
    with pytest.raises(ValueError, match=r"targets sequence 0 cannot be aligned"):
        loss([[1, 2, 1]], np.zeros((1, 4, 3)), input_lengths=[2])


def test_zero_infinity_zeroes_only_the_impossible_sequence():
    rng = np.random.default_rng(10)
    logits = rng.normal(size=(3, 4, 3))
    targets = np.array([[1, 2, 0], [1, 1, 1], [2, 0, 0]])
    lengths = {"target_lengths": [2, 3, 1]}
    w = np.array([1.0, 2.0, 0.5])
    value, grad = loss.value_and_grad(targets, logits, **lengths, zero_infinity=True, sample_weight=w,
                                      reduction="none")
    assert value[1] == 0 and not np.any(grad[1])
    keep = [0, 2]
    ref_value, ref_grad = loss.value_and_grad(targets[keep], logits[keep], target_lengths=[2, 1],
                                              sample_weight=w[keep], reduction="none")
    np.testing.assert_allclose(value[keep], ref_value, rtol=1e-15)
    np.testing.assert_allclose(grad[keep], ref_grad, rtol=1e-15)
    # the mean still counts the zeroed sequence's weight (as torch's zero_infinity counts it)
    mean = loss(targets, logits, **lengths, zero_infinity=True, sample_weight=w)
    assert mean == pytest.approx(np.sum(ref_value) / np.sum(w), rel=1e-14)


# ---------------------------------------------------------------------------- extremes and dtypes
@pytest.mark.parametrize("scale", [1e4, 1e30])
def test_huge_logits_stay_finite_and_exact(scale):
    targets, logits, t_len, s_len = batch(11, scale=1.0)
    logits = np.round(logits, 1) * scale  # peaked: the best alignment wins by many orders of magnitude
    value, grad = loss.value_and_grad(targets, logits, input_lengths=t_len, target_lengths=s_len,
                                      reduction="none")
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value, expected(targets, logits, t_len, s_len), rtol=1e-12)
    assert np.all(np.abs(grad) <= 1 + 1e-12)


def test_tiny_logits_are_nearly_uniform():
    value = loss([[1, 2]], np.full((1, 4, 3), 1e-300))
    assert value == pytest.approx(4 * math.log(3) - math.log(math.comb(6, 4)), rel=1e-14)


def test_long_inputs_do_not_underflow():
    # p(target) is about exp(-2000): 0 in float64 probabilities, ordinary in log space
    rng = np.random.default_rng(12)
    logits = rng.normal(size=(1, 2000, 4))
    target = [1, 2, 2, 3, 1]
    value = loss([target], logits)
    assert value > 1000
    assert value == pytest.approx(float(mp_ctc(target, logits[0])), rel=1e-12)


def test_float32_in_float32_out():
    targets, logits, t_len, s_len = batch(13)
    kwargs = {"input_lengths": t_len, "target_lengths": s_len}
    value, grad = loss.value_and_grad(targets, logits.astype(np.float32), **kwargs)
    assert value.dtype == grad.dtype == np.float32
    ref_value, ref_grad = loss.value_and_grad(targets, logits, **kwargs)
    assert value == pytest.approx(ref_value, rel=1e-5)
    np.testing.assert_allclose(grad, ref_grad, atol=1e-6)
    big = loss(targets, (logits * 1e30).astype(np.float32), **kwargs, reduction="none")
    assert big.dtype == np.float32 and np.all(np.isfinite(big))


def test_reductions_and_weights():
    targets, logits, t_len, s_len = batch(14)
    kwargs = {"input_lengths": t_len, "target_lengths": s_len}
    each = loss(targets, logits, **kwargs, reduction="none")
    w = np.array([1.0, 0.0, 3.0, 2.0])
    assert loss(targets, logits, **kwargs) == pytest.approx(each.mean(), rel=1e-14)
    assert loss(targets, logits, **kwargs, sample_weight=w) == pytest.approx(np.sum(w * each) / 6, rel=1e-14)
    assert loss(targets, logits, **kwargs, reduction="sum", sample_weight=w) == pytest.approx(np.sum(w * each))
    # the order of the sequences in the batch changes nothing
    perm = [2, 0, 3, 1]
    np.testing.assert_allclose(loss(targets[perm], logits[perm], input_lengths=t_len[perm],
                                    target_lengths=s_len[perm], reduction="none"), each[perm], rtol=1e-15)


def test_padding_beyond_the_lengths_is_never_read():
    targets, logits, t_len, s_len = batch(15)
    kwargs = {"input_lengths": t_len, "target_lengths": s_len}
    other_targets = np.where(np.arange(3)[None] < s_len[:, None], targets, 2)
    other_logits = np.where(np.arange(5)[None, :, None] < t_len[:, None, None], logits, 50.0)
    np.testing.assert_array_equal(loss(other_targets, other_logits, **kwargs, reduction="none"),
                                  loss(targets, logits, **kwargs, reduction="none"))


# ---------------------------------------------------------------------------- bad input
Z = np.zeros((2, 6, 4))
T2 = np.array([[1, 2], [3, 3]])


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((T2.astype(float), Z), {}, TypeError, r"targets has dtype float64; expected integer class labels"),
    ((T2, Z[0]), {}, ValueError, r"logits must have shape \(N, T, C\): batch, time, classes; got shape \(6, 4\)"),
    ((T2[0], Z), {}, ValueError, r"targets must have shape \(N, S\)"),
    ((T2[:1], Z), {}, ValueError, r"targets must have one row per sequence of logits \(2, 6, 4\) \(batch first: \(N, T, C\)\), so 2 rows; "
                                       r"got shape \(1, 2\)"),
    ((np.array([[1, 4], [1, 2]]), Z), {}, ValueError, r"targets holds class 4 at index \(0, 1\); expected labels "
                                                      r"in \[0, 4\)"),
    ((np.array([[1, 2], [0, 2]]), Z), {}, ValueError, r"targets holds the blank label 0 at index \(1, 0\)"),
    ((T2, Z), {"blank": 3}, ValueError, r"targets holds the blank label 3 at index \(1, 0\)"),
    ((T2, Z), {"blank": 4}, ValueError, r"blank must be in \[0, 3\]; got 4"),
    ((T2, Z), {"blank": -1}, ValueError, r"blank must be in \[0, inf\); got -1"),
    ((T2, Z), {"input_lengths": [6, 7]}, ValueError, r"input_lengths must hold lengths in \[0, 6\] \(the time "
                                                     r"steps of logits\); got 7 for sequence 1"),
    ((T2, Z), {"input_lengths": [6.0, 6.0]}, TypeError, r"input_lengths has dtype float64; expected integer"),
    ((T2, Z), {"input_lengths": [6]}, ValueError, r"input_lengths must have shape \(2,\), one length per sequence"),
    ((T2, Z), {"target_lengths": [2, 3]}, ValueError, r"target_lengths must hold lengths in \[0, 2\] \(the "
                                                      r"columns of targets\); got 3 for sequence 1"),
    ((T2, Z), {"target_lengths": [-1, 2]}, ValueError, r"target_lengths must hold lengths in \[0, 2\].*got -1 "
                                                       r"for sequence 0"),
    ((T2, Z), {"input_lengths": [6, 2]}, ValueError, r"targets sequence 1 cannot be aligned"),
    ((T2, Z), {"zero_infinity": 1}, TypeError, r"zero_infinity must be True or False; got 1"),
    ((T2, np.full((2, 6, 4), np.nan)), {}, ValueError, r"logits contains NaN at index \(0, 0, 0\)"),
    ((T2, Z.astype(int)), {}, TypeError, r"logits has integer dtype int64; expected float32 or float64"),
])
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        loss(*args, **kwargs)


def test_arguments_by_name_and_padding_value_free():
    targets = np.array([[1, 2, -1], [3, -1, -1]])  # -1 padding is fine beyond the lengths
    logits = np.random.default_rng(16).normal(size=(2, 6, 4))
    value = loss(targets=targets, logits=logits, target_lengths=[2, 1])
    assert value == loss(targets, logits, target_lengths=np.array([2, 1], dtype=np.int32))
    with pytest.raises(ValueError, match=r"targets holds class -1 at index \(0, 2\)"):
        loss(targets, logits)  # without lengths the padding is read as labels
