"""The derivations of sessions 4-6, in pure Python (these tests also run under Pyodide): each session has
its derivations, the claims the hints make hold for every problem drawn, and a learner who follows the
worked steps with the digits they show is marked right. tests/practice_vs_lossref/test_derivations_4_6.py
compares the answers with lossref's NumPy numbers."""

from __future__ import annotations

import math

import pytest

import lossref.practice as lp
from lossref.practice import _math as M
from lossref.practice._core import fmt_number
from lossref.practice.ex_stability_derivations import _focal_slope

SEEDS = range(200)


def _problems(exercise_id):
    ex = lp.get(exercise_id)
    return ex, [ex.generate(seed) for seed in SEEDS]


def test_every_session_4_to_6_has_at_least_two_derivations():
    for number in (4, 5, 6):
        session = lp.sessions()[number]
        assert len(session.derivations) >= 2, session
        assert len(session.skills) <= 7, session


def test_the_focal_slope_has_one_root_between_one_half_and_q():
    ex, problems = _problems("focal.minimiser")
    for problem in problems:
        q, gamma = problem.params["q"], problem.params["gamma"]
        assert min(0.5, q) < ex.correct(problem.params) < max(0.5, q)
        assert (_focal_slope(0.5, q, gamma) < 0) != (_focal_slope(q, q, gamma) < 0)
    for q in (0.1, 0.15, 0.2, 0.25, 0.3, 0.7, 0.75, 0.8, 0.85, 0.9):  # every q and gamma drawn: E' has one root
        for gamma in (0.5, 1.0, 2.0, 3.0):
            signs = [_focal_slope(k / 1000, q, gamma) > 0 for k in range(1, 1000)]
            assert sum(a != b for a, b in zip(signs, signs[1:])) == 1, (q, gamma)


# ----------------------------------------------------------------------------------- rounding
def _shown(x, digits=4):
    """A number as the worked steps print it."""
    return float(fmt_number(x, digits))


def _newton_route(ex, p):
    _, grad, curv = ex._parts(p)
    return p["w0"] - _shown(grad) / _shown(curv)


def _linear_route(ex, p):
    _, probs = ex._probs(p)
    r = p["row"]
    return [_shown(probs[r] - (r == p["label"])) * x for x in p["x"]]


def _logit_route(ex, p):
    rate = ex._rate(p)
    return math.log(_shown(rate) / _shown(1 - rate))


def _hessian_route(ex, p):
    probs = [_shown(q) for q in M.softmax(p["z"])]
    rows = [[probs[i] * ((i == j) - probs[j]) for j in range(3)] for i in range(3)]
    return [rows[j][j] for j in range(3)] if p["row"] == "diag" else rows[p["row"]]


def _curvature_route(ex, p):
    _, first, second = ex._moments(p)
    return _shown(second, 6) - _shown(first, 6) ** 2


def _focal_route(ex, p):
    g, pt = p["gamma"], ex._pt(p)
    sign = 1 if p["y"] == 1 else -1
    return sign * (_shown(g * pt * (1 - pt) ** g * math.log(pt)) - _shown((1 - pt) ** (g + 1)))


def _gap_route(ex, p):
    top, other = ex._target(p)
    return math.log(_shown(top / other))


def _minimiser_route(ex, p):
    if p["loss"] not in ("logistic", "exponential"):
        return ex.correct(p)
    logit = _shown(math.log(p["eta"] / (1 - p["eta"])))
    return logit / (p["b"] if p["loss"] == "logistic" else 2 * p["b"])


def _kl_route(ex, p):
    return [_shown(q, 6) - t for q, t in zip(M.softmax(p["z"]), p["y"])]


@pytest.mark.parametrize("exercise_id, route", [
    ("kl.grad", _kl_route),
    ("bce.newton_step", _newton_route), ("cross_entropy.linear_layer_grad", _linear_route),
    ("bce.best_logit", _logit_route), ("cross_entropy.hessian_row", _hessian_route),
    ("cross_entropy.curvature", _curvature_route), ("focal.grad", _focal_route),
    ("cross_entropy.smoothed_gap", _gap_route), ("margin.population_minimiser", _minimiser_route),
])
def test_following_the_worked_steps_with_their_digits_is_accepted(exercise_id, route):
    ex, problems = _problems(exercise_id)
    for problem in problems:
        verdict = ex.check(problem, route(ex, problem.params))
        assert verdict.correct, (problem.seed, verdict)
