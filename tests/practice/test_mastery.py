"""The mastery model with a fake clock: simulated learners over weeks, one rule per test."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import lossref.practice as lp
from lossref.practice._mastery import min_right_answers
from lossref.practice._sessions import SKILL_TITLES, TITLES

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
SKILL = "prereq.logs"


class Learner:
    """A learner with a clock: each answer moves time on by a minute (or as told)."""

    def __init__(self):
        self.progress = lp.Progress()
        self.now = START
        self.n = 0

    def answer(self, correct=True, skill=SKILL, variant=None, hinted=False, revealed=False, derivation=False,
               after=timedelta(minutes=1)):
        self.now += after
        self.n += 1
        variant = variant if variant is not None else f"{skill}:{self.n}"
        return self.progress.record(skill, correct, variant=variant, at=self.now, hinted=hinted, revealed=revealed,
                                    derivation=derivation)

    def make_proficient(self, skill=SKILL):
        for _ in range(3):
            self.answer(skill=skill)
        assert self.progress.level(skill) == "proficient"


def test_sessions_cover_every_skill_once():
    found = [skill for s in lp.sessions() for skill in s.skills]
    assert sorted(found) == sorted(lp.skills()) and len(found) == len(set(found))
    assert [s.number for s in lp.sessions()] == list(range(len(TITLES)))
    assert all(s.skills for s in lp.sessions())


def test_sessions_are_sized_to_their_time():
    for s in lp.sessions():
        assert len(s.skills) <= 7, f"session {s.number} has {len(s.skills)} skills: {s.skills}"
        assert s.min_problems == 3 * len(s.skills)


def test_every_session_after_the_first_has_derivations():
    for s in lp.sessions()[1:]:
        assert len(s.derivations) >= 2, f"session {s.number} has {len(s.derivations)} derivations"
        assert all(lp.get(e).depth == "derive" and lp.get(e).skill in s.skills for e in s.derivations)
    assert not lp.sessions()[0].derivations


def test_every_skill_has_a_title_and_every_title_a_skill():
    untitled = [skill for skill in lp.skills() if skill not in SKILL_TITLES]
    assert not untitled, f"skills without a title in _sessions.SKILL_TITLES: {untitled}"
    stray = [skill for skill in SKILL_TITLES if skill not in lp.skills()]
    assert not stray, f"titles in _sessions.SKILL_TITLES for skills no exercise trains: {stray}"
    assert all(SKILL_TITLES[skill].strip() for skill in lp.skills())


def test_the_fewest_answers_to_proficiency_is_what_sessions_announce():
    me = Learner()
    for _ in range(min_right_answers() - 1):
        me.answer()
    assert me.progress.level(SKILL) == "practicing"
    me.answer()
    assert me.progress.level(SKILL) == "proficient"


def test_points_correct_streak_and_wrong():
    me = Learner()
    assert me.progress.level(SKILL) == "new" and me.progress.points(SKILL) == 0
    me.answer()
    assert me.progress.points(SKILL) == 1  # +1
    me.answer()
    assert me.progress.points(SKILL) == 3  # +1, +1 more after a correct answer
    me.answer(correct=False)
    assert me.progress.points(SKILL) == 2  # -1
    me.answer()
    assert me.progress.points(SKILL) == 3  # no streak bonus right after a wrong answer


def test_points_never_go_below_zero():
    me = Learner()
    for _ in range(3):
        me.answer(correct=False)
    assert me.progress.points(SKILL) == 0
    assert me.progress.level(SKILL) == "practicing"


def test_a_hint_scores_zero():
    me = Learner()
    me.answer()
    me.answer(hinted=True)
    assert me.progress.points(SKILL) == 1
    me.answer()  # the previous answer was correct (with a hint): the bonus applies
    assert me.progress.points(SKILL) == 3


def test_revealing_the_solution_resets_the_skill():
    me = Learner()
    me.make_proficient()
    me.answer(correct=False, revealed=True)
    assert me.progress.points(SKILL) == 0
    assert me.progress.level(SKILL) == "practicing"


def test_proficiency_needs_three_distinct_variants():
    me = Learner()
    for _ in range(4):
        me.answer(variant="same problem")
    assert me.progress.points(SKILL) >= 5
    assert me.progress.level(SKILL) == "practicing"
    me.answer(variant="second")
    assert me.progress.level(SKILL) == "practicing"
    me.answer(variant="third")
    assert me.progress.level(SKILL) == "proficient"


def test_proficiency_needs_five_points_and_the_last_answer_correct():
    me = Learner()
    me.answer()
    me.answer(hinted=True)
    me.answer(hinted=True)
    assert me.progress.level(SKILL) == "practicing"  # 3 variants answered, but 1 point
    me.answer()
    me.answer()
    assert me.progress.points(SKILL) >= 5 and me.progress.level(SKILL) == "proficient"


def test_a_same_day_review_does_not_master_a_next_day_review_does():
    me = Learner()
    me.make_proficient()
    assert me.answer(after=timedelta(hours=12)) == "proficient"
    assert me.answer(after=timedelta(hours=12, minutes=1)) == "mastered"


def test_a_hinted_review_does_not_master():
    me = Learner()
    me.make_proficient()
    assert me.answer(hinted=True, after=timedelta(days=2)) == "proficient"


def test_a_failed_review_drops_one_level():
    me = Learner()
    me.make_proficient()
    me.answer(after=timedelta(days=2))
    assert me.progress.level(SKILL) == "mastered"
    assert me.answer(correct=False, after=timedelta(days=3)) == "proficient"
    # proficient again from now: mastery needs another day
    assert me.answer(after=timedelta(hours=2)) == "proficient"
    assert me.answer(correct=False) == "practicing"


def test_session_zero_is_open_and_the_rest_locked():
    p = lp.Progress()
    assert p.is_open(0)
    assert not any(p.is_open(n) for n in range(1, 7))
    assert p.gate_status(1) == (0, len(lp.sessions()[0].skills))


def test_a_session_opens_when_the_previous_is_proficient_and_stays_open():
    me = Learner()
    skills = lp.sessions()[0].skills
    for skill in skills[:-1]:
        me.make_proficient(skill)
    assert not me.progress.is_open(1)
    assert me.progress.gate_status(1) == (len(skills) - 1, len(skills))
    me.make_proficient(skills[-1])
    assert me.progress.is_open(1)
    for _ in range(3):
        me.answer(correct=False, skill=skills[0])
    assert me.progress.level(skills[0]) == "practicing"
    assert me.progress.is_open(1), "an opened session closed again"
    assert not me.progress.is_open(2)


def test_passing_a_gate_test_opens_the_session():
    p = lp.Progress()
    p.pass_gate(3)
    assert p.is_open(3) and not p.is_open(2)


def test_due_reviews_appear_and_are_ordered():
    me = Learner()
    first, second = lp.sessions()[0].skills[:2]
    me.make_proficient(first)
    me.answer(skill=first, after=timedelta(days=1))
    me.make_proficient(second)
    assert me.progress.due(me.now) == []
    later = me.now + timedelta(days=60)
    # `first` passed a review a day later, so its next review is further away than `second`'s:
    # at `later`, `second` is the more overdue of the two and comes first.
    assert me.progress.due(later) == [second, first], "the most overdue skill comes first"
    practicing = lp.sessions()[0].skills[2]
    me.answer(skill=practicing)
    assert practicing not in me.progress.due(later), "only proficient skills are reviewed"


def test_four_months_of_correct_reviews_space_them_out():
    me = Learner()
    me.make_proficient()
    due_days = []
    for day in range(1, 121):
        today = START + timedelta(days=day)
        if SKILL in me.progress.due(today):
            due_days.append(day)
            me.now = today
            me.answer()
    assert len(due_days) >= 2, due_days
    gaps = [b - a for a, b in zip(due_days, due_days[1:])]
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0], f"reviews did not spread out: days {due_days}"
    assert me.progress.level(SKILL) == "mastered"


def test_a_failed_review_comes_back_sooner():
    me = Learner()
    me.make_proficient()
    me.answer(after=timedelta(days=2))
    me.answer(after=timedelta(days=10))  # a long, successful gap
    me.answer(correct=False, after=timedelta(days=30))
    assert SKILL in me.progress.due(me.now + timedelta(days=1)), "a forgotten skill must come back within a day"


def test_a_skill_a_failed_review_drops_to_practicing_still_comes_back():
    me = Learner()
    me.make_proficient()
    assert me.answer(correct=False, after=timedelta(days=20)) == "practicing"
    assert SKILL in me.progress.due(me.now + timedelta(days=1)), "a lapsed skill is queued for practice"
    assert me.progress.next_review(SKILL) is not None
    never = lp.sessions()[0].skills[3]
    me.answer(skill=never, correct=False)
    assert never not in me.progress.due(me.now + timedelta(days=30)), "a skill never proficient is practised, not reviewed"


def test_progress_round_trips_through_json():
    me = Learner()
    me.make_proficient()
    me.answer(correct=False, skill="prereq.kl")
    me.progress.pass_gate(4)
    restored = lp.Progress.from_json(me.progress.to_json())
    assert restored.to_json() == me.progress.to_json()
    assert restored.level(SKILL) == "proficient" and restored.is_open(4)
    assert restored.due(me.now + timedelta(days=90)) == me.progress.due(me.now + timedelta(days=90))


@pytest.mark.parametrize("text, message", [
    ("not json", "not JSON"),
    ("[]", "must be an object with version 1"),
    ('{"version": 99, "opened": [0], "skills": {}}', "got 99"),
    ('{"version": 1, "skills": {}}', "missing or mistyped"),
    ('{"version": 1, "opened": [0, 12], "skills": {}}', "unknown sessions [12]"),
    ('{"version": 1, "opened": [0], "skills": {"prereq.logs": {"points": -3, "level": "new", "last_correct": null,'
     ' "variants": [], "answers": 0, "card": null, "proficient_at": null}}}', "-3 points"),
])
def test_bad_saved_progress_raises_valueerror(text, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        lp.Progress.from_json(text)


@pytest.mark.parametrize("kwargs, message", [
    ({"skill": "nope"}, "unknown skill 'nope'"),
    ({"at": datetime(2026, 1, 1)}, "timezone-aware"),
    ({"variant": ""}, "variant must be a non-empty string"),
    ({"correct": 1}, "must be True or False"),
])
def test_bad_answers_are_refused_and_change_nothing(kwargs, message):
    p = lp.Progress()
    before = p.to_json()
    args = {"skill": SKILL, "correct": True, "variant": "v", "at": START, **kwargs}
    with pytest.raises(ValueError, match=message):
        p.record(args.pop("skill"), args.pop("correct"), **args)
    assert p.to_json() == before


# ----------------------------------------------------------------------------------- derivations
def _session_with_derivations():
    return next(s for s in lp.sessions() if s.derivations)


def test_a_session_with_derivations_opens_the_next_only_once_one_is_right():
    session = _session_with_derivations()
    me = Learner()
    for skill in session.skills:
        me.make_proficient(skill)
    assert not me.progress.is_proficient(session.number) and not me.progress.derivation_done(session.number)
    assert not me.progress.is_open(session.number + 1)
    derived = lp.get(session.derivations[0]).skill
    me.answer(skill=derived, hinted=True, derivation=True)  # right after a hint: not yet
    assert not me.progress.derivation_done(session.number)
    me.answer(skill=derived, correct=False, derivation=True)
    assert not me.progress.derivation_done(session.number)
    me.answer(skill=derived, derivation=True)
    assert me.progress.derivation_done(session.number) and me.progress.is_open(session.number + 1)


def test_a_revealed_solution_takes_a_derivation_back():
    session = _session_with_derivations()
    me = Learner()
    skill = lp.get(session.derivations[0]).skill
    me.answer(skill=skill, derivation=True)
    assert me.progress.derivation_done(session.number)
    me.answer(skill=skill, revealed=True, correct=False)
    assert not me.progress.derivation_done(session.number)
    assert lp.Progress.from_json(me.progress.to_json()).derivation_done(session.number) is False
    me.answer(skill=skill, derivation=True)
    assert lp.Progress.from_json(me.progress.to_json()).derivation_done(session.number) is True
