"""Session 8's exercises (calibration, scoring rules): the pure-Python answers against NumPy and lossref
over many seeds."""

from __future__ import annotations

import lossref as lr
import numpy as np
import pytest
from numpy.testing import assert_allclose

import lossref.practice as lp

SEEDS = range(120)
GRID = np.linspace(1e-4, 1 - 1e-4, 20001)  # candidate reports p, step 5e-5


def answer(exercise_id, seed):
    ex = lp.get(exercise_id)
    problem = ex.generate(seed)
    return problem.params, ex.correct(problem.params)


@pytest.mark.parametrize("seed", SEEDS)
def test_ece_is_the_weighted_mean_gap(seed):
    p, ece = answer("calibration.ece", seed)
    n = np.array([b["n"] for b in p["bins"]], dtype=float)
    acc = np.array([b["acc"] for b in p["bins"]])
    conf = np.array([b["conf"] for b in p["bins"]])
    assert_allclose(ece, np.average(np.abs(acc - conf), weights=n), rtol=1e-12)
    for b in p["bins"]:  # each bin's mean confidence lies in its bin
        assert b["low"] < b["conf"] <= b["low"] + 0.1


@pytest.mark.parametrize("seed", SEEDS)
def test_murphy_components_add_up_to_lossrefs_brier_score(seed):
    p, (rel, res, unc) = answer("calibration.murphy", seed)
    forecast = np.repeat(p["f"], p["n"])
    outcome = np.concatenate([np.r_[np.ones(e), np.zeros(c - e)] for c, e in zip(p["n"], p["e"])])
    base = outcome.mean()
    freq = np.array([outcome[forecast == v].mean() for v in p["f"]])
    share = np.array(p["n"]) / len(outcome)
    assert_allclose(rel, np.sum(share * (np.array(p["f"]) - freq) ** 2), rtol=1e-10)
    assert_allclose(res, np.sum(share * (freq - base) ** 2), rtol=1e-10)
    assert_allclose(unc, base * (1 - base), rtol=1e-12)
    assert_allclose(rel - res + unc, lr.mse(outcome, forecast), rtol=1e-10)  # the Brier score, exactly


@pytest.mark.parametrize("seed", SEEDS)
def test_temperature_apply(seed):
    p, prob = answer("calibration.temperature_apply", seed)
    assert_allclose(prob, 1 / (1 + np.exp(-p["z"] / p["t"])), rtol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_temperature_newton_step_with_lossrefs_gradient(seed):
    p, t = answer("calibration.temperature_newton", seed)
    z, y = np.array(p["z"]), np.array(p["y"], dtype=float)

    def slope(beta):  # dL/dbeta = sum_i dL/du_i z_i at u = beta z, from lossref's gradient of the mean
        return np.sum(lr.bce_with_logits.grad(y, beta * z) * z)

    h = 1e-5
    curvature = (slope(1 + h) - slope(1 - h)) / (2 * h)  # a central difference, independent of the formula
    beta = 1 - slope(1.0) / curvature
    assert_allclose(t, 1 / beta, rtol=1e-6)
    assert t > 1  # the logits shrink
    # the step lowers the loss, as a Newton step on a convex function from close enough does
    assert lr.bce_with_logits(y, z / t) < lr.bce_with_logits(y, z)


def _expected(rule, q, grid, a=1.0, b=1.0):
    """q S(1, p) + (1 - q) S(0, p) on a grid of reports p, computed with lossref."""
    ones, zeros = np.ones_like(grid), np.zeros_like(grid)
    if rule in ("log", "weighted_log"):
        w = (b, a) if rule == "weighted_log" else None
        s1 = lr.bce(ones, grid, reduction="none", class_weight=w)
        s0 = lr.bce(zeros, grid, reduction="none", class_weight=w)
    elif rule in ("brier", "weighted_brier"):
        s1, s0 = lr.mse(ones, grid, reduction="none"), lr.mse(zeros, grid, reduction="none")
        if rule == "weighted_brier":
            s1, s0 = a * s1, b * s0
    else:
        s1, s0 = lr.mae(ones, grid, reduction="none"), lr.mae(zeros, grid, reduction="none")
    return q * s1 + (1 - q) * s0


@pytest.mark.parametrize("seed", SEEDS)
def test_expected_score(seed):
    p, value = answer("scoring.expected", seed)
    assert_allclose(value, _expected(p["rule"], p["q"], np.array([p["p"]]))[0], rtol=1e-12)
    assert value > _expected(p["rule"], p["q"], np.array([p["q"]]))[0]  # the truthful report scores better


@pytest.mark.parametrize("seed", SEEDS)
def test_score_minimiser_on_a_grid(seed):
    p, best = answer("scoring.minimiser", seed)
    grid = np.r_[0.0, GRID, 1.0] if p["rule"] == "abs" else GRID  # the log loss needs p in (0, 1)
    risk = _expected(p["rule"], p["q"], grid, p["a"], p["b"])
    assert abs(grid[np.argmin(risk)] - best) < 1e-4


@pytest.mark.parametrize("seed", SEEDS)
def test_bregman_divergence(seed):
    p, value = answer("scoring.bregman", seed)
    phi = {"square": lambda t: t * t, "xlogx": lambda t: t * np.log(t) - t,
           "negent": lambda t: t * np.log(t) + (1 - t) * np.log(1 - t), "exp": np.exp,
           "neglog": lambda t: -np.log(t)}[p["phi"]]
    y, q = p["y"], p["p"]
    h = 1e-6
    slope = (phi(q + h) - phi(q - h)) / (2 * h)
    assert_allclose(value, phi(y) - phi(q) - slope * (y - q), rtol=1e-6, atol=1e-9)
    assert value > 0
    ya, qa = np.array([y]), np.array([q])
    if p["phi"] == "square":
        assert_allclose(value, lr.mse(ya, qa), rtol=1e-12)
    elif p["phi"] == "xlogx":  # lossref's Poisson NLL on the rate, plus the constant y log y - y
        assert_allclose(value, lr.poisson_nll(ya, qa, log_input=False) + y * np.log(y) - y, rtol=1e-6)
    elif p["phi"] == "negent":  # the log loss on a soft target minus the target's entropy
        entropy = -(y * np.log(y) + (1 - y) * np.log(1 - y))
        assert_allclose(value, lr.bce(ya, qa) - entropy, rtol=1e-9)


SESSION_8 = [ex for ex in lp.exercises() if ex.skill.startswith(("calibration.", "scoring."))]


@pytest.mark.parametrize("ex", SESSION_8, ids=lambda e: e.id)
def test_distinct_problems_and_no_negative_zero(ex):
    import re

    assert len({ex.generate(seed).statement for seed in range(1, 31)}) >= 6
    negative_zero = re.compile(r"(?<![\d.])-0(?![.\d])")
    for seed in range(60):
        problem = ex.generate(seed)
        texts = [problem.statement, *ex.hints(problem), *ex.solution(problem).steps]
        assert not any(negative_zero.search(t) for t in texts), f"seed {seed} prints -0"


def test_session_8_trains_its_skills_with_derivations():
    from lossref.practice._sessions import SKILL_TITLES

    session = lp.sessions()[8]
    assert set(session.skills) == {"calibration.ece", "calibration.brier", "calibration.temperature",
                                   "scoring.proper", "scoring.bregman"}
    assert all(skill in SKILL_TITLES for skill in session.skills)
    assert sum(ex.depth == "derive" for ex in SESSION_8) >= 2
