"""The exercises of the guides on thresholds, label noise and non-decomposable metrics: their answers
(pure Python) against NumPy, at least 6 distinct problems over seeds 1-30, and no "-0" in a statement.
NumPy is needed: this file runs on CPython only."""

from __future__ import annotations

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose

import lossref.practice as lp

GUIDE_EXERCISES = [ex for ex in lp.exercises()
                   if type(ex).__module__.rsplit(".", 1)[-1] in ("ex_decisions", "ex_noise", "ex_metric_surrogates")]


def test_each_guide_has_its_exercises():
    modules = [type(ex).__module__.rsplit(".", 1)[-1] for ex in GUIDE_EXERCISES]
    for name in ("ex_decisions", "ex_noise", "ex_metric_surrogates"):
        mine = [ex for ex, m in zip(GUIDE_EXERCISES, modules) if m == name]
        assert len(mine) >= 2 and any(ex.depth == "derive" for ex in mine), name


def test_the_surrogate_exercises_add_no_skill_to_session_7():
    mine = [ex for ex in GUIDE_EXERCISES if type(ex).__module__.endswith("ex_metric_surrogates")]
    assert {ex.skill for ex in mine} == {"custom.surrogate"}


@pytest.mark.parametrize("ex", GUIDE_EXERCISES, ids=lambda e: e.id)
def test_distinct_problems_and_no_negative_zero(ex):
    statements = {ex.generate(seed).statement for seed in range(1, 31)}
    assert len(statements) >= 6
    for seed in range(200):
        problem = ex.generate(seed)
        texts = [problem.statement, *ex.hints(problem), *ex.solution(problem).steps]
        assert not any(re.search(r"(?<![\w.])-0(?![.\d])", t) for t in texts), (seed, texts)


def _answers(exercise_id, seeds=range(200)):
    ex = lp.get(exercise_id)
    for seed in seeds:
        p = ex.generate(seed).params
        yield p, ex.correct(p)


# ----------------------------------------------------------------------------------- decisions
def test_prior_shift_logit_against_bayes_rule():
    for p, answer in _answers("choose.prior_shift_logit"):
        pi, pi_new = np.float64(p["pi"]), p["pi_new"]
        q = 1 / (1 + np.exp(-p["z"]))
        ratio = (q / (1 - q)) / (pi / (1 - pi))  # the likelihood ratio, the same in both populations
        posterior = pi_new * ratio / (pi_new * ratio + (1 - pi_new))
        assert_allclose(answer, np.log(posterior / (1 - posterior)), rtol=1e-10, atol=1e-12)


def test_weighted_probability_inverts_the_weighted_minimiser():
    for p, q in _answers("choose.weighted_probability"):
        grid = np.linspace(1e-4, 1 - 1e-4, 200_001)
        loss = -p["alpha"] * q * np.log(grid) - p["beta"] * (1 - q) * np.log1p(-grid)
        assert_allclose(grid[np.argmin(loss)], p["p_w"], atol=1e-4)


def test_weighted_model_threshold_minimises_the_expected_cost():
    grid = np.linspace(1e-4, 1 - 1e-4, 100_000)
    for p, t_w in _answers("choose.weighted_model_threshold", range(60)):
        q = grid
        # the weighted minimiser at each q, found numerically from the expected weighted loss
        candidates = np.linspace(1e-5, 1 - 1e-5, 20_001)
        flag = q * p["c_fn"] > (1 - q) * p["c_fp"]
        q_star = q[np.argmax(flag)]  # the first q where flagging is cheaper
        loss = -p["alpha"] * q_star * np.log(candidates) - (1 - q_star) * np.log1p(-candidates)
        assert_allclose(candidates[np.argmin(loss)], t_w, atol=1e-4)


# ----------------------------------------------------------------------------------- label noise
def test_noisy_risk_against_an_explicit_noise_model():
    for p, answer in _answers("noise.noisy_risk"):
        k, eta = p["k"], p["eta"]
        # A prediction p with 2 (1 - p_y) = R on its labelled class, the rest spread over the others.
        probs = np.full(k, 0.0)
        probs[0] = 1 - p["risk"] / 2
        probs[1:] = (1 - probs[0]) / (k - 1)
        transition = np.full(k, eta / (k - 1))
        transition[0] = 1 - eta  # P(noisy label = j | clean label 0)
        mae = np.array([np.abs(np.eye(k)[j] - probs).sum() for j in range(k)])
        assert_allclose(answer, transition @ mae, rtol=1e-12)


def test_gce_gradient_against_finite_differences():
    for p, answer in _answers("noise.gce_grad"):
        z = np.log(np.array(p["probs"], dtype=np.float64))  # softmax(z) = probs
        y, q, h = p["label"], p["q"], 1e-6

        def gce(v):
            e = np.exp(v - v.max())
            return (1 - (e[y] / e.sum()) ** q) / q

        dz = np.eye(len(z))[y] * h
        assert_allclose(answer, (gce(z + dz) - gce(z - dz)) / (2 * h), rtol=1e-6, atol=1e-9)


# ----------------------------------------------------------------------------------- surrogates
def test_soft_overlap_against_numpy():
    for p, answer in _answers("custom.soft_overlap"):
        y, prob = np.array(p["y"], dtype=float), np.array(p["p"])
        inter, union = np.minimum(y, prob).sum(), np.maximum(y, prob).sum()  # fuzzy sets: min and max
        if p["metric"] == "dice":
            assert_allclose(answer, 2 * (y * prob).sum() / (y.sum() + prob.sum()), rtol=1e-12)
        else:  # for 0/1 labels, sum min(y, p) = sum y p and sum max(y, p) = sum p + sum y - sum y p
            assert_allclose(answer, inter / union, rtol=1e-12)


def test_soft_dice_gradient_against_finite_differences():
    for p, answer in _answers("custom.soft_dice_grad"):
        y, prob, k, h = np.array(p["y"], dtype=float), np.array(p["p"]), p["k"], 1e-6
        loss = lambda v: 1 - 2 * (v * y).sum() / (v.sum() + y.sum())  # noqa: E731
        e = np.eye(len(prob))[k] * h
        assert_allclose(answer, (loss(prob + e) - loss(prob - e)) / (2 * h), rtol=1e-6, atol=1e-9)


def test_pairwise_auc_against_ranks():
    for p, answer in _answers("custom.pairwise_auc"):
        s = np.array(p["pos"] + p["neg"])
        y = np.array([1] * len(p["pos"]) + [0] * len(p["neg"]))
        ranks = np.array([(s < v).sum() + ((s == v).sum() + 1) / 2 for v in s])  # mid-ranks for ties
        n1, n0 = len(p["pos"]), len(p["neg"])
        assert_allclose(answer, (ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0), rtol=1e-12)
