"""Multi-task weighting and class imbalance in the exercise bank: enough distinct problems, the gradient share
graded (not the value share), the prior correction as Bayes' rule, and choice exercises whose right option follows
from the parts of each problem. Pure Python (these also run under Pyodide); the comparisons with lossref's NumPy
losses are in tests/test_practice_weights.py."""

from __future__ import annotations

import math
import re

import pytest

import lossref.practice as lp
from lossref.practice._sessions import SKILL_TITLES, sessions

SEEDS = range(1, 31)
OURS = ["custom.weighted_bce", "custom.multitask", "custom.multitask_shared_layer", "custom.weighted_bce_minimiser",
        "custom.pos_weight_inverse", "choose.regression", "choose.classification", "choose.margin",
        "choose.multitask", "choose.cost_threshold", "choose.prior_correction"]
DERIVE = ["custom.multitask_shared_layer", "custom.weighted_bce_minimiser", "custom.pos_weight_inverse",
          "choose.cost_threshold", "choose.prior_correction"]


def close(a, b, rtol=1e-12, atol=0.0):
    values = zip(a, b) if isinstance(a, (list, tuple)) else [(a, b)]
    return all(math.isclose(x, y, rel_tol=rtol, abs_tol=atol) for x, y in values)


@pytest.mark.parametrize("exercise_id", OURS)
def test_six_distinct_problems_and_no_negative_zero(exercise_id):
    ex = lp.get(exercise_id)
    statements = {ex.generate(seed).statement for seed in SEEDS}
    assert len(statements) >= 6, f"{exercise_id}: {len(statements)} distinct problems over seeds 1-30"
    for text in statements:
        assert not re.search(r"(?<![\w.])[-\u2212]0(?![.\d])", text), text


def test_derivations_are_declared_and_skills_titled():
    for exercise_id in DERIVE:
        assert lp.get(exercise_id).depth == "derive"
    for session in sessions():
        assert len(session.skills) <= 7, (session.number, session.skills)
        assert all(skill in SKILL_TITLES for skill in session.skills)
    by_number = {s.number: s.skills for s in sessions()}
    assert {"custom.weighted_bce", "custom.multitask"} <= set(by_number[7])
    assert {"choose.threshold", "choose.prior_shift"} <= set(by_number[9])


# ---------------------------------------------------------------------------------- multi-task
def test_multitask_total_grades_the_gradient_share_not_the_value_share():
    ex = lp.get("custom.multitask")
    for seed in range(200):
        problem = ex.generate(seed)
        p = problem.params
        total = p["lam1"] * p["l1"] + p["lam2"] * p["l2"]
        share = p["lam2"] * p["g2"] / (p["lam1"] * p["g1"] + p["lam2"] * p["g2"])
        assert close(ex.correct(p), [total, share])
        verdict = ex.check(problem, [total, p["lam2"] * p["l2"] / total])
        assert not verdict.correct and verdict.mistake == "values_for_gradients"


def test_multitask_choice_weights_follow_from_the_gradient_norms():
    ex = lp.get("choose.multitask")
    for seed in range(100):
        problem = ex.generate(seed)
        p = problem.params
        right = ex.solution(problem).answer
        text = dict(problem.answer.choices)[right]
        lam = float(re.search(r"≈ ([0-9.e-]+)", text).group(1))
        # the weighted gradient norms at h are equal, to the two digits shown
        assert close(lam * p["gb"], p["ga"], rtol=0.05)
        for _, option, mistake, _ in ex.shown(p):
            if mistake == "values_for_gradients":
                assert "≈" in option


# ---------------------------------------------------------------------------------- decisions
def test_prior_correction_is_bayes_rule_with_the_new_prior():
    ex = lp.get("choose.prior_correction")
    for seed in range(60):
        p = ex.generate(seed).params
        # likelihood ratio p(x|1)/p(x|0) from the training posterior and prior, then the deployed prior
        ratio = (p["p"] / (1 - p["p"])) / (p["pi"] / (1 - p["pi"]))
        joint_pos, joint_neg = ratio * p["pi_new"], 1 - p["pi_new"]
        assert close(ex.correct(p), joint_pos / (joint_pos + joint_neg))


# ---------------------------------------------------------------------------------- right options from parts
def _right_text(ex, seed):
    problem = ex.generate(seed)
    return problem.params, dict(problem.answer.choices)[ex.solution(problem).answer]


def test_right_options_follow_from_the_parts():
    seen = set()
    for seed in range(120):
        p, text = _right_text(lp.get("choose.regression"), seed)
        if p["task"] == "quantile":
            tau = 1 - p["q"] if p["side"] == "upper" else p["q"]
            assert text == f"quantile with tau = {tau:g}"
        elif p["task"] == "counts":
            assert text.endswith("log_input=True" if p["output"] == "log_rate" else "log_input=False")
        seen.add(p["task"])
        p, text = _right_text(lp.get("choose.classification"), seed)
        if p["task"] == "imbalanced":
            assert f"1/{p['ratio'] + 1}" in text
            assert ("pos_weight" in text) == (p["need"] == "decisions")
        p, text = _right_text(lp.get("choose.margin"), seed)
        if p["task"] == "multiclass":
            assert text.endswith("'crammer_singer'" if p["rule"] == "strongest" else "'weston_watkins'")
        elif p["task"] == "smooth":
            assert text == p["want"]
    assert seen == {"outliers", "counts", "quantile", "uncertainty"}


def test_unweighted_bce_with_a_cost_threshold_is_graded_right():
    ex = lp.get("choose.classification")
    graded = 0
    for seed in range(200):
        problem = ex.generate(seed)
        if problem.params["task"] != "imbalanced":
            continue
        for key, text, mistake, _ in ex.shown(problem.params):
            if text.startswith("bce_with_logits unweighted; report") or text.startswith("either bce_with_logits "
                                                                                          "unweighted"):
                assert mistake is None and ex.check(problem, key).correct
                graded += 1
    assert graded > 10
