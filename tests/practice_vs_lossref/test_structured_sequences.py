"""The exercises on NLL, categorical focal, CTC and the ranking losses (lossref.practice.ex_sequences, pure
Python) against lossref's NumPy numbers: every answer over seeds 0-59 is lossref's value or gradient (the
focal gradient also a finite difference of lossref's loss, the CTC forward variables the whole lattice of
``lr.ctc.forward_variables``). NumPy is needed: this file runs on CPython only."""

from __future__ import annotations

import math

import lossref as lr
import numpy as np
import pytest
from numpy.testing import assert_allclose

import lossref.practice as lp
from lossref.practice._sessions import session_of
from lossref.practice.ex_sequences import ctc_forward

SEEDS = range(60)


def _problems(exercise_id):
    ex = lp.get(exercise_id)
    return ex, [ex.generate(seed).params for seed in SEEDS]


def test_each_loss_has_an_exercise_and_each_skill_a_derivation():
    mine = [ex for ex in lp.exercises() if type(ex).__module__.endswith(".ex_sequences")]
    assert {session_of(ex) for ex in mine} == {10}
    losses = {ex.id.split(".")[0] for ex in mine}
    assert {"nll", "categorical_focal", "ctc", "margin_ranking", "ranking_softmax"} <= losses
    derived = {ex.skill for ex in mine if ex.depth == "derive"}
    assert derived == {ex.skill for ex in mine} == {"nll.log_probs", "ctc.alignment", "ranking.order"}


# ----------------------------------------------------------------------------------- log-probabilities
def test_the_weighted_mean_is_lossrefs_nll_with_torchs_denominator():
    ex, problems = _problems("nll.weighted_mean")
    for p in problems:
        value = lr.nll(p["y"], np.array(p["log_probs"]), class_weight=p["class_weight"], ignore_index=-100)
        assert ex.correct(p) == pytest.approx(float(value), rel=1e-12)


def test_the_focal_value_is_lossrefs_categorical_focal():
    ex, problems = _problems("categorical_focal.value")
    for p in problems:
        value = lr.categorical_focal([p["y"]], [p["z"]], gamma=p["gamma"], alpha=p["alpha"])
        assert ex.correct(p) == pytest.approx(float(value), rel=1e-12)


def test_the_focal_gradient_is_lossrefs_and_a_finite_difference_of_its_loss():
    ex, problems = _problems("categorical_focal.grad")
    for p in problems:
        z = np.array([p["z"]])
        assert_allclose(ex.correct(p), lr.categorical_focal.grad([p["y"]], z, gamma=p["gamma"])[0], rtol=1e-10,
                        atol=1e-14)
        h, numeric = 1e-6, []
        for k in range(3):
            step = np.zeros_like(z)
            step[0, k] = h
            up, down = (lr.categorical_focal([p["y"]], z + d, gamma=p["gamma"]) for d in (step, -step))
            numeric.append((up - down) / (2 * h))
        assert_allclose(ex.correct(p), numeric, rtol=1e-6, atol=1e-8)


# ----------------------------------------------------------------------------------- CTC
def test_the_shortest_input_is_the_first_length_lossrefs_ctc_accepts():
    ex, problems = _problems("ctc.shortest_input")
    for p in problems:
        target = [[ord(c) - ord("a") + 1 for c in p["word"]]]  # a-z are classes 1-26, the blank 0
        shortest = int(ex.correct(p))
        assert math.isfinite(lr.ctc(target, np.zeros((1, shortest, 27))))
        with pytest.raises(ValueError):
            lr.ctc(target, np.zeros((1, shortest - 1, 27)))


def test_the_forward_variables_are_lossrefs():
    ex, problems = _problems("ctc.forward_variable")
    for p in problems:
        lattice = np.exp(lr.ctc.forward_variables([p["target"]], np.log([p["probs"]])))[0]
        assert_allclose(ctc_forward(p["probs"], p["target"]), lattice, rtol=1e-12, atol=1e-15)
        t, s = p["cell"]
        assert ex.correct(p) == pytest.approx(lattice[t, s], rel=1e-12)


def test_the_loss_from_the_enumerated_alignments_is_lossrefs_ctc():
    ex, problems = _problems("ctc.target_loss")
    for p in problems:
        value = lr.ctc([p["target"]], np.log([p["probs"]]), reduction="none")[0]
        assert ex.correct(p) == pytest.approx(value, rel=1e-12)


# ----------------------------------------------------------------------------------- ranking
def _pairs(p):
    return np.array(p["y"], dtype=float), np.array(p["x1"]), np.array(p["x2"])


def test_the_margin_ranking_value_is_lossrefs():
    ex, problems = _problems("margin_ranking.value")
    for p in problems:
        assert ex.correct(p) == pytest.approx(float(lr.margin_ranking(*_pairs(p), margin=p["margin"])), rel=1e-12)


def test_the_margin_ranking_gradient_is_lossrefs():
    ex, problems = _problems("margin_ranking.grad")
    for p in problems:
        grad_x1, grad_x2 = lr.margin_ranking.grad(*_pairs(p), margin=p["margin"])
        assert_allclose(ex.correct(p), grad_x1, rtol=1e-12, atol=0)
        assert_allclose(ex.correct(p), -grad_x2, rtol=1e-12, atol=0)


def test_the_softmax_ranking_gradient_is_lossrefs():
    ex, problems = _problems("ranking_softmax.grad")
    for p in problems:
        grad = lr.ranking_softmax.grad([p["r"]], [p["s"]])[0]
        assert_allclose(ex.correct(p), grad, rtol=1e-10, atol=1e-14)
