"""Session 10's embedding exercises in pure Python (these tests also run under Pyodide): the derivations
are the slopes of the losses they differentiate, and a learner who follows the worked steps with the
digits they show is marked right. tests/practice_vs_lossref/test_structured_embeddings.py compares the
answers with lossref's NumPy numbers."""

from __future__ import annotations

import math

import pytest

import lossref.practice as lp
from lossref.practice import _math as M
from lossref.practice._core import fmt_number
from lossref.practice._sessions import session_of

SEEDS = range(200)
SKILLS = {"metric.distance", "metric.contrastive"}


def _problems(exercise_id):
    ex = lp.get(exercise_id)
    return ex, [ex.generate(seed) for seed in SEEDS]


def _shown(x, digits=4):
    """A number as the worked steps print it."""
    return float(fmt_number(x, digits))


def test_the_embedding_exercises_are_in_session_10_and_its_two_skills_each_with_a_derivation():
    mine = [ex for ex in lp.exercises() if ex.skill in SKILLS]
    assert {session_of(ex) for ex in mine} == {10}
    assert {ex.skill for ex in mine if ex.depth == "derive"} == SKILLS
    losses = {ex.id.split(".")[0] for ex in mine}
    assert losses == {"triplet_margin", "cosine_distance", "cosine_embedding", "hinge_embedding", "info_nce",
                      "ntxent", "circle"}
    session = lp.sessions()[10]
    assert SKILLS <= set(session.skills) and len(session.skills) <= 7


# ----------------------------------------------------------------------------------- derivations
def _triplet(a, p, n, m):
    return max(0.0, math.dist(a, p) - math.dist(a, n) + m)


def test_the_triplet_anchor_gradient_is_the_slope_of_the_loss():
    ex, problems = _problems("triplet_margin.anchor_grad")
    h = 1e-6
    for problem in problems:
        p = problem.params
        slopes = []
        for k in range(2):
            up, down = list(map(float, p["a"])), list(map(float, p["a"]))
            up[k] += h
            down[k] -= h
            slopes.append((_triplet(up, p["p"], p["n"], p["margin"])
                           - _triplet(down, p["p"], p["n"], p["margin"])) / (2 * h))
        assert ex.correct(p) == pytest.approx(slopes, rel=1e-6, abs=1e-6)


def test_the_info_nce_gradient_is_the_slope_of_the_loss_and_sums_to_zero():
    ex, problems = _problems("info_nce.grad")
    h = 1e-6
    for problem in problems:
        p = problem.params
        cosines = [p["c_pos"], *p["c_neg"]]

        def loss(c):
            return M.cross_entropy(0, [v / p["tau"] for v in c])

        slopes = []
        for j in range(3):
            up, down = list(cosines), list(cosines)
            up[j] += h
            down[j] -= h
            slopes.append((loss(up) - loss(down)) / (2 * h))
        assert ex.correct(p) == pytest.approx(slopes, rel=1e-6, abs=1e-6)
        assert math.fsum(ex.correct(p)) == pytest.approx(0.0, abs=1e-12)


# ----------------------------------------------------------------------------------- rounding
def _triplet_route(ex, p):
    d_ap = _shown(math.dist(p["a"], p["p"]), 6)
    return [max(0.0, _shown(d_ap - _shown(math.dist(p["a"], n), 6) + p["margin"])) for n in p["n"]]


def _anchor_route(ex, p):
    d_ap, d_an = math.dist(p["a"], p["p"]), math.dist(p["a"], p["n"])
    return [_shown((a - q) / d_ap, 5) - _shown((a - n) / d_an, 5) for a, q, n in zip(p["a"], p["p"], p["n"])]


def _cosine_route(ex, p):
    y, yh = p["y"], p["y_pred"]
    dot = y[0] * yh[0] + y[1] * yh[1]
    return 1 - _shown(dot / (_shown(math.hypot(*y), 6) * _shown(math.hypot(*yh), 6)), 6)


def _info_nce_route(ex, p):
    z = [v / p["tau"] for v in [p["c_pos"], *p["c_neg"]]]
    return math.log(1 + sum(_shown(math.exp(_shown(v) - _shown(z[0])), 5) for v in z[1:]))


def _info_grad_route(ex, p):
    z = [v / p["tau"] for v in [p["c_pos"], *p["c_neg"]]]
    probs = [_shown(q, 5) for q in M.softmax(z)]
    return [(q - (j == 0)) / p["tau"] for j, q in enumerate(probs)]


def _ntxent_route(ex, p):
    pos, neg = ([c / p["tau"] for c in p[k]] for k in ("c_pos", "c_neg"))
    return sum(_shown(math.log(1 + sum(_shown(math.exp(v - s), 5) for v in neg)), 5) for s in pos)


def _circle_route(ex, p):
    z_p, z_n = ex._logits(p)
    sp = _shown(math.fsum(math.exp(_shown(z, 5)) for z in z_p), 5)
    sn = _shown(math.fsum(math.exp(_shown(z, 5)) for z in z_n), 5)
    return math.log(1 + sp * sn)


@pytest.mark.parametrize("exercise_id, route", [
    ("triplet_margin.value", _triplet_route), ("triplet_margin.anchor_grad", _anchor_route),
    ("cosine_distance.value", _cosine_route), ("info_nce.value", _info_nce_route),
    ("info_nce.grad", _info_grad_route), ("ntxent.anchor", _ntxent_route), ("circle.value", _circle_route),
])
def test_following_the_worked_steps_with_their_digits_is_accepted(exercise_id, route):
    ex, problems = _problems(exercise_id)
    for problem in problems:
        verdict = ex.check(problem, route(ex, problem.params))
        assert verdict.correct, (problem.seed, verdict)
