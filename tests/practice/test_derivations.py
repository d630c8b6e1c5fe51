"""Sessions 1-3's derivations and likelihood exercises follow the course's rules: every session has at least two
derivations and at most 7 skills, every skill has a title, every exercise gives at least 6 distinct problems over
seeds 1-30, and nothing prints a -0."""

from __future__ import annotations

import re

import pytest

import lossref.practice as lp
from lossref.practice._sessions import SKILL_TITLES, session_of

MODULES = ["ex_risk_derivations", "ex_regression_derivations", "ex_likelihood"]


def _exercises_of_sessions_1_to_3():
    return [ex for ex in lp.exercises() if type(ex).__module__.rsplit(".", 1)[-1] in MODULES]


@pytest.mark.parametrize("number", [1, 2, 3])
def test_sessions_1_to_3_have_two_derivations_and_at_most_7_skills(number):
    exercises = [ex for ex in lp.exercises() if session_of(ex) == number]
    assert sum(ex.depth == "derive" for ex in exercises) >= 2
    assert len(lp.sessions()[number].skills) <= 7


def test_every_skill_has_a_title():
    assert [s for ex in _exercises_of_sessions_1_to_3() for s in [ex.skill] if s not in SKILL_TITLES] == []


@pytest.mark.parametrize("ex", _exercises_of_sessions_1_to_3(), ids=lambda e: e.id)
def test_six_distinct_problems_and_no_negative_zero(ex):
    statements = [ex.generate(seed).statement for seed in range(1, 31)]
    assert len(set(statements)) >= 6
    texts = statements + [step for seed in range(1, 31) for step in ex.solution(ex.generate(seed)).steps]
    assert not [t for t in texts if re.search(r"-0(?![.\d])", t)], "a -0 is printed"
