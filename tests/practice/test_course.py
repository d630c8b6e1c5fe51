"""The course in the browser: the stored log of answers, what to practise next, gate tests, and the
bridge operations the page calls. A fake clock throughout; simulated learners answer with the
exercises' own solutions."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from itertools import count

import pytest

import lossref.practice as lp
from lossref.practice import bridge, course

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
_ids = count()


def answer(item_or_exercise, correct=True, *, at=T0, seed=None, hinted=False, revealed=False, hash_="h"):
    """One answer event, as the page stores it."""
    if isinstance(item_or_exercise, dict):
        exercise, seed = item_or_exercise["exercise"], item_or_exercise["seed"]
    else:
        exercise = item_or_exercise
    return {"id": f"e{next(_ids):05d}", "at": at.isoformat().replace("+00:00", "Z"), "type": "answer",
            "exercise": exercise, "skill": lp.get(exercise).skill, "seed": seed if seed is not None else 1,
            "hash": hash_, "correct": correct, "hinted": hinted, "revealed": revealed}


def solves(item) -> bool:
    """The exercise's own solution is accepted for the item's problem (the item is a real problem)."""
    ex = lp.get(item["exercise"])
    problem = ex.generate(item["seed"])
    return ex.check(problem, ex.solution(problem).answer).correct


def learn(events, session, at, answers, *, correct=True):
    """A learner who takes ``answers`` problems of ``session`` in the order the course gives them."""
    items = []
    for i in range(answers):
        item = course.next_item(events, session, at + timedelta(seconds=30 * i))
        assert solves(item)
        items.append(item)
        events.append(answer(item, correct, at=at + timedelta(seconds=30 * i)))
    return items


# ----------------------------------------------------------------------------------- the record
def test_a_record_round_trips_through_json_and_merges_duplicates():
    events = [answer("prereq.sigmoid", at=T0 + timedelta(minutes=2)), answer("prereq.kl", at=T0)]
    record = course.load(json.dumps({"version": 1, "events": events + events[:1]}))
    assert record["version"] == course.STORE_VERSION
    assert [e["id"] for e in record["events"]] == [events[1]["id"], events[0]["id"]]  # time order, once each


@pytest.mark.parametrize("text, message", [
    ("{", "not JSON"),
    ("[]", "must be a JSON object"),
    ('{"events": []}', "needs a version number"),
    ('{"version": 3, "events": []}', "newer than this site"),
    ('{"version": 2}', "needs a list of events"),
    ('{"version": 1}', r"\(version 1\) needs a list of event objects"),
    ('{"version": 1, "events": [{"id": "a", "at": "2026-01-01T00:00:00Z", "type": "note"}]}', "expected 'answer' or 'gate'"),
    ('{"version": 1, "events": [{"id": "a", "at": "2026-01-01T00:00:00Z", "type": "gate", "session": "1"}]}',
     "needs 'session' as int"),
    ('{"version": 1, "events": [{"id": "a", "at": "yesterday", "type": "gate", "session": 1}]}', "not an ISO 8601 time"),
    ('{"version": 1, "events": [{"id": "a", "at": "2026-01-01T00:00:00", "type": "gate", "session": 1}]}', "no UTC offset"),
])
def test_a_record_that_cannot_be_read_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        course.load(text)


def test_an_answer_event_needs_every_field_with_its_type():
    event = answer("prereq.kl")
    event["correct"] = "yes"
    with pytest.raises(ValueError, match=r"event 0 \(answer\) needs 'correct' as bool; got 'yes'"):
        course.load({"version": 1, "events": [event]})


def test_older_records_are_upgraded_through_each_migration(monkeypatch):
    # The present format is version 1; a future version 3 reads version 1 and 2 records through
    # the chain of migrations, one step at a time.
    steps = []

    def one_to_two(record):
        steps.append(1)
        return {"version": 2, "log": record["events"]}

    def two_to_three(record):
        steps.append(2)
        return {"version": 3, "events": record["log"]}

    monkeypatch.setattr(course, "STORE_VERSION", 3)
    monkeypatch.setattr(course, "MIGRATIONS", {1: one_to_two, 2: two_to_three})
    event = answer("prereq.kl")
    record = course.load({"version": 1, "events": [event]})
    assert steps == [1, 2]
    assert record == {"version": 3, "events": [event]}


def test_merging_two_tabs_loses_nothing_and_counts_nothing_twice():
    shared = [answer("prereq.kl", at=T0)]
    tab_a = shared + [answer("prereq.sigmoid", at=T0 + timedelta(seconds=5))]
    tab_b = shared + [answer("prereq.entropy", at=T0 + timedelta(seconds=3))]
    merged = course.merge(tab_a, tab_b)
    assert [e["id"] for e in merged] == [shared[0]["id"], tab_b[1]["id"], tab_a[1]["id"]]
    assert course.merge(merged, tab_a, tab_b) == merged


# ----------------------------------------------------------------------------------- replaying
def test_replay_gives_the_progress_of_the_same_answers_recorded_directly():
    events, direct = [], lp.Progress()
    for i, (exercise, correct) in enumerate([("prereq.sigmoid", True), ("prereq.sigmoid_grad", True),
                                             ("prereq.sigmoid", False), ("prereq.kl", True)]):
        at = T0 + timedelta(minutes=i)
        events.append(answer(exercise, correct, at=at, seed=i))
        key = course._variant(exercise, i)  # the key replay gives the problem
        direct.record(lp.get(exercise).skill, correct, variant=f"{exercise}:{key}:h", at=at)
    replayed = course.replay(list(reversed(events)))  # stored order does not matter: time does
    assert json.loads(replayed.to_json()) == json.loads(direct.to_json())


def test_a_changed_exercise_is_noticed_and_its_problems_are_new_variants():
    # The same seed answered before and after the exercise changed: two different problems.
    events = [answer("prereq.kl", seed=1, hash_="old", at=T0 + timedelta(minutes=i)) for i in range(2)]
    events += [answer("prereq.kl", seed=1, hash_="new", at=T0 + timedelta(minutes=5))]
    progress = course.replay(events)
    assert progress.variants("prereq.kl") == 2
    summary = course.summary(events, T0 + timedelta(hours=1), hashes={"prereq.kl": "new"})
    assert summary["changed"] == []
    summary = course.summary(events, T0 + timedelta(hours=1), hashes={"prereq.kl": "newer"})
    assert summary["changed"] == ["prereq.kl"]


def test_answers_to_exercises_the_course_no_longer_has_are_skipped():
    retired = {**answer("prereq.kl"), "exercise": "prereq.retired"}
    assert course.replay([retired]).answers("prereq.kl") == 0
    assert course.summary([retired], T0)["events"] == 1  # kept in the log all the same


# ----------------------------------------------------------------------------------- the summary
def test_a_new_learner_sees_session_0_open_and_the_others_locked_with_the_reason():
    summary = course.summary([], T0)
    states = [s["state"] for s in summary["sessions"]]
    assert states == ["open"] + ["locked"] * (len(lp.sessions()) - 1)
    sizes = [len(s.skills) for s in lp.sessions()]
    for s in summary["sessions"][1:]:
        assert s["reason"] == f"0 of {sizes[s['number'] - 1]} skills of session {s['number'] - 1} proficient"
        assert s["gate"] == {"ready": 0, "total": sizes[s["number"] - 1]}
    assert all(v["level"] == "new" for v in summary["skills"].values())
    assert summary["dueNow"] == summary["dueToday"] == []


def test_the_gate_reason_counts_proficient_skills():
    events = []
    learn(events, 0, T0, 15)  # skills take turns: three skills answered right three times, three twice
    summary = course.summary(events, T0 + timedelta(hours=1))
    levels = [summary["skills"][s]["level"] for s in lp.sessions()[0].skills]
    assert levels == ["proficient"] * 3 + ["practicing"] * 3
    assert summary["sessions"][1]["reason"] == "3 of 6 skills of session 0 proficient"


def test_a_session_is_proficient_then_mastered_with_its_skills():
    events = []
    learn(events, 0, T0, 18)
    summary = course.summary(events, T0 + timedelta(hours=1))
    assert summary["sessions"][0]["state"] == "proficient"
    assert summary["sessions"][1]["state"] == "open"
    later = T0 + timedelta(days=30)
    for skill in lp.sessions()[0].skills:  # a correct review of each, a month later
        exercise = lp.exercises(skill)[0].id
        events.append(answer(exercise, at=later, seed=course.next_item(events, 0, later)["seed"] + 50))
    assert course.summary(events, later)["sessions"][0]["state"] == "mastered"


def test_reviews_due_today_include_those_due_later_in_the_day():
    events = []
    learn(events, 0, T0, 18)
    due = {s: datetime.fromisoformat(v["review"]) for s, v in course.summary(events, T0)["skills"].items() if v["review"]}
    assert set(due) == set(lp.sessions()[0].skills)
    first = min(due.values())
    summary = course.summary(events, first - timedelta(hours=1), day_end=first + timedelta(minutes=1))
    assert summary["dueNow"] == [] and summary["dueToday"]


# ----------------------------------------------------------------------------------- what next
def test_practice_targets_the_weakest_skill_of_the_session():
    skills = lp.sessions()[2].skills
    # Every skill but one has a right answer; the one without is the weakest.
    events = [answer(lp.exercises(s)[0].id, at=T0 + timedelta(minutes=i)) for i, s in enumerate(skills) if s != skills[4]]
    assert course.next_item(events, 2, T0 + timedelta(hours=1))["skill"] == skills[4]


SMOOTHING = next(s.number for s in lp.sessions() if "cross_entropy.smoothing" in s.skills)


def test_practice_interleaves_skills():
    events = []
    items = learn(events, SMOOTHING, T0, 30)
    assert all(a["skill"] != b["skill"] for a, b in zip(items, items[1:]))
    skills = lp.sessions()[SMOOTHING].skills
    assert {item["skill"] for item in items[:len(skills)]} == set(skills)  # every skill in the first round


def test_practice_never_repeats_a_variant_and_rotates_a_skills_exercises():
    events = []
    items = learn(events, SMOOTHING, T0, 60, correct=False)  # a struggling learner sees many problems
    variants = [(i["exercise"], i["seed"]) for i in items]
    assert len(set(variants)) == len(variants)
    smoothing = {i["exercise"] for i in items if i["skill"] == "cross_entropy.smoothing"}
    assert smoothing == {ex.id for ex in lp.exercises("cross_entropy.smoothing")}
    assert all(i["seed"] >= 1 for i in items)  # seed 0 is the problem the pages show


def test_a_sitting_starts_with_due_reviews_most_overdue_first_at_most_twelve():
    events = []
    for session in range(3):  # 18 skills made proficient
        learn(events, session, T0 + timedelta(hours=session), 3 * len(lp.sessions()[session].skills))
    seen = {(e["exercise"], e["seed"]) for e in events}
    later = T0 + timedelta(days=60)
    due = course.replay(events).due(later)
    assert len(due) > course.MAX_REVIEWS
    items = []
    for done in range(course.MAX_REVIEWS + 1):
        item = course.next_item(events, 3, later, reviews_done=done)
        items.append(item)
        if item["review"]:
            assert item["skill"] == course.replay(events).due(later)[0]  # the most overdue left
            events.append(answer(item, at=later))
    assert [i["review"] for i in items] == [True] * course.MAX_REVIEWS + [False]
    assert items[-1]["skill"] in lp.sessions()[3].skills
    reviewed = [i for i in items if i["review"]]
    assert not {(i["exercise"], i["seed"]) for i in reviewed} & seen  # fresh variants
    assert len({(i["exercise"], i["seed"]) for i in reviewed}) == len(reviewed)


def test_next_item_refuses_an_unknown_session():
    last = len(lp.sessions()) - 1
    with pytest.raises(ValueError, match=f"sessions are numbered 0 to {last}; got {last + 1}"):
        course.next_item([], last + 1, T0)


# ----------------------------------------------------------------------------------- gate tests
def test_a_gate_test_has_one_fresh_problem_per_skill_of_the_session_before():
    events = [answer("risk.empirical", seed=4)]
    items = course.gate_test(events, 2)
    assert [i["skill"] for i in items] == list(lp.sessions()[1].skills)
    assert next(i for i in items if i["exercise"] == "risk.empirical")["seed"] == 5
    assert all(solves(i) for i in items)
    with pytest.raises(ValueError, match="session 0 is always open"):
        course.gate_test([], 0)


@pytest.mark.parametrize("right, hinted, revealed, passed", [
    (5, 0, 0, True), (4, 0, 0, True), (3, 0, 0, False),
    (5, 2, 0, False),  # right after a hint does not count
    (5, 0, 1, False),  # a shown solution fails the test
])
def test_a_gate_test_passes_at_eighty_percent_right_at_the_first_check(right, hinted, revealed, passed):
    results = [{"correct": i < right, "hinted": i < hinted, "revealed": i < revealed} for i in range(5)]
    result = course.gate_passed(results)
    assert result["passed"] is passed and result["needed"] == 4 and result["total"] == 5


def test_a_passed_gate_opens_its_session_and_it_stays_open():
    events = [{"id": "g", "at": "2026-03-02T09:00:00Z", "type": "gate", "session": 4}]
    events.append(answer("prereq.kl", correct=False, at=T0 + timedelta(days=1)))
    summary = course.summary(events, T0 + timedelta(days=2))
    states = [s["state"] for s in summary["sessions"]]
    assert states[:6] == ["open", "locked", "locked", "locked", "open", "locked"]
    assert set(states[6:]) == {"locked"}


def test_gate_results_are_checked():
    with pytest.raises(ValueError, match="one entry per problem"):
        course.gate_passed([])
    with pytest.raises(ValueError, match="result 0 needs correct, hinted and revealed"):
        course.gate_passed([{"correct": 1}])


# ----------------------------------------------------------------------------------- the bridge
def test_the_bridge_scores_a_record_and_gives_the_next_problem():
    record = {"version": course.STORE_VERSION, "events": [answer("prereq.sigmoid")]}
    reply = bridge.handle({"op": "course", "record": record, "at": "2026-03-02T10:00:00Z",
                           "dayEnd": "2026-03-02T23:59:59Z", "session": 0})
    assert reply["record"] == record
    assert reply["summary"]["skills"]["prereq.sigmoid"]["points"] == 1
    assert reply["next"]["skill"] == "prereq.logs" and reply["next"]["seed"] == 1
    json.dumps(reply)  # plain data for the page


def test_the_bridge_reports_what_is_wrong_with_a_course_request():
    assert bridge.handle({"op": "course", "record": {"version": 2, "events": []}}) == {"error": "the request needs 'at'"}
    assert "not JSON" in bridge.handle({"op": "load", "record": "{"})["error"]
    assert "got a string, 'x'" in bridge.handle({"op": "gate_result", "results": "x"})["error"]
    assert bridge.handle({"op": "gate_test", "opens": 3})["items"][0]["skill"] == lp.sessions()[2].skills[0]
    assert bridge.handle({"op": "gate_result", "results": [{"correct": True, "hinted": False, "revealed": False}]})["passed"]


# ----------------------------------------------------------------------------------- version 1 records
def _v1_gate(session, at=T0):
    return {"id": f"g{session}", "at": at.isoformat().replace("+00:00", "Z"), "type": "gate", "session": session}


def _v1_proficient(skills, start):
    """Three right answers on new seeds for each skill: proficient under the rules of both versions."""
    return [answer(lp.exercises(skill)[0].id, at=start + timedelta(minutes=3 * i + k), seed=k + 1)
            for i, skill in enumerate(skills) for k in range(3)]


def test_a_version_1_record_keeps_every_session_it_had_opened_under_the_new_numbers():
    # Version 1's sessions: 0 prerequisites, 1 risk, 2 regression, 3 probabilistic, 4 margin, 5 custom,
    # 6 choosing. This learner passed the gate of version-1 session 4 (margin) and made version-1
    # session 2 (regression, with the best constant) proficient, which opened version-1 session 3.
    regression = [s for s in lp.skills() if s.split(".")[0] in ("mse", "mae", "huber", "quantile", "log_cosh")]
    events = [_v1_gate(4)] + _v1_proficient(regression + ["regression.minimiser"], T0 + timedelta(hours=1))
    record = course.load({"version": 1, "events": events})
    assert record["version"] == course.STORE_VERSION == 2
    answers = [e for e in record["events"] if e["type"] == "answer"]
    assert sorted(e["id"] for e in answers) == sorted(e["id"] for e in events if e["type"] == "answer")
    opened = sorted(e["session"] for e in record["events"] if e["type"] == "gate")
    margin = next(s.number for s in lp.sessions() if "hinge.value" in s.skills)
    smoothing = next(s.number for s in lp.sessions() if "cross_entropy.smoothing" in s.skills)
    cross_entropy = next(s.number for s in lp.sessions() if "bce.value" in s.skills)
    assert opened == sorted([margin, cross_entropy, smoothing])
    summary = course.summary(record["events"], T0 + timedelta(days=1))
    for number in opened:
        assert summary["sessions"][number]["state"] != "locked"
    # Loading again changes nothing, and two tabs that upgraded the same record merge into one.
    assert course.load(record) == record
    assert course.merge(record["events"], course.load({"version": 1, "events": events})["events"]) == record["events"]


def test_the_last_session_opens_from_the_one_before_it_and_old_records_need_no_migration():
    # Sessions are appended at the end of the course: a stored log has no session count in it, so a
    # record saved before the last session existed opens it as soon as its replay makes the session
    # before proficient, and STORE_VERSION stays.
    *_, before, last = lp.sessions()
    events = [{"id": "g", "at": "2026-03-02T08:00:00Z", "type": "gate", "session": before.number}]
    assert course.summary(events, T0)["sessions"][last.number]["reason"] == (
        f"0 of {len(before.skills)} skills of session {before.number} proficient")
    at = T0
    for _ in range(4 * len(before.skills) + len(before.derivations)):  # all right: 3 a skill and a derivation
        if course.replay(events).is_proficient(before.number):
            break
        at += timedelta(minutes=1)
        learn(events, before.number, at, 1)
    record = course.load({"version": course.STORE_VERSION, "events": events})
    assert record["events"] == course.merge(events)
    summary = course.summary(record["events"], at + timedelta(minutes=1))
    assert summary["sessions"][before.number]["state"] == "proficient"
    assert summary["sessions"][last.number]["state"] == "open"
    # The gate test opens it too, from the skills of the session before.
    assert [i["skill"] for i in course.gate_test([], last.number)] == list(before.skills)
    gate = {"id": "g-last", "at": "2026-03-02T08:00:00Z", "type": "gate", "session": last.number}
    assert course.summary([gate], T0)["sessions"][last.number]["state"] == "open"


def test_a_version_1_record_with_a_bad_event_is_refused():
    with pytest.raises(ValueError, match="event 0 has type 'note'"):
        course.load({"version": 1, "events": [{"id": "a", "at": "2026-01-01T00:00:00Z", "type": "note"}]})


# ----------------------------------------------------------------------------------- derivations
def _with_derivations():
    """A session with derivations whose every skill also has apply exercises."""
    return next(s for s in lp.sessions() if s.derivations
                and all(any(ex.depth == "apply" for ex in lp.exercises(skill)) for skill in s.skills))


def test_a_session_with_derivations_asks_for_one_once_its_skills_are_proficient():
    session = _with_derivations()
    events = [{"id": "g", "at": "2026-03-02T08:00:00Z", "type": "gate", "session": session.number}]
    for i, skill in enumerate(session.skills):  # every skill proficient on apply exercises alone
        exercise = next(ex.id for ex in lp.exercises(skill) if ex.depth == "apply")
        events += [answer(exercise, seed=k + 1, at=T0 + timedelta(minutes=3 * i + k)) for k in range(3)]
    at = T0 + timedelta(hours=2)
    summary = course.summary(events, at)
    assert summary["sessions"][session.number]["state"] == "open"
    assert summary["sessions"][session.number]["derivation"] == {"needed": True, "done": False}
    assert summary["sessions"][session.number + 1]["reason"] == (
        f"every skill of session {session.number} proficient; one of its derivations still to answer right")
    item = course.next_item(events, session.number, at)
    assert item["depth"] == "derive" and item["exercise"] in session.derivations and solves(item)
    events.append(answer(item, at=at))
    summary = course.summary(events, at + timedelta(minutes=1))
    assert summary["sessions"][session.number]["state"] == "proficient"
    assert summary["sessions"][session.number + 1]["state"] == "open"


def test_a_gate_test_includes_a_derivation_and_needs_it_right():
    session = _with_derivations()
    items = course.gate_test([], session.number + 1)
    assert [i["skill"] for i in items] == list(session.skills)
    depths = [i["depth"] for i in items]
    assert depths.count("derive") == 1 and all(solves(i) for i in items)
    all_right = [{"correct": True, "hinted": False, "revealed": False, "depth": d} for d in depths]
    assert course.gate_passed(all_right)["passed"]
    derivation_wrong = [{**r, "correct": r["depth"] != "derive"} for r in all_right]
    result = course.gate_passed(derivation_wrong)
    assert result["right"] >= result["needed"] and not result["passed"]
    assert result["derivation"] == {"needed": True, "done": False}


# ----------------------------------------------------------------------------------- variants
def _seeds_by_task(exercise: str, seeds=range(1, 200)) -> dict[str, list[int]]:
    ex = lp.get(exercise)
    by_task: dict[str, list[int]] = {}
    for seed in seeds:
        by_task.setdefault(ex.variant(ex.generate(seed)), []).append(seed)
    return by_task


@pytest.mark.parametrize("exercise", ["stability.softmax_code", "custom.pseudo_huber_code"])
def test_a_code_skill_needs_three_different_tasks_not_three_seeds(exercise):
    skill = lp.get(exercise).skill
    assert [ex.id for ex in lp.exercises(skill)] == [exercise], "a skill practised by code alone"
    by_task = _seeds_by_task(exercise)
    same = next(seeds for seeds in by_task.values() if len(seeds) >= 3)[:3]
    events = [answer(exercise, seed=seed, at=T0 + timedelta(minutes=i)) for i, seed in enumerate(same)]
    progress = course.replay(events)
    assert progress.points(skill) >= 5 and progress.variants(skill) == 1
    assert progress.level(skill) != "proficient", "the same function written three times is one problem"
    different = [seeds[0] for seeds in list(by_task.values())[:3]]
    events = [answer(exercise, seed=seed, at=T0 + timedelta(minutes=i)) for i, seed in enumerate(different)]
    progress = course.replay(events)
    assert progress.variants(skill) == 3 and progress.level(skill) == "proficient"


def test_practice_gives_a_code_task_the_learner_has_not_met():
    events = []
    exercise = "stability.softmax_code"
    ex = lp.get(exercise)
    tasks = []
    session = next(s.number for s in lp.sessions() if ex.skill in s.skills)
    for i in range(6):
        item = course.next_item(events, session, T0 + timedelta(minutes=i))
        while item["exercise"] != exercise:  # answer the other skills until softmax comes up
            events.append(answer(item, at=T0 + timedelta(minutes=i, seconds=len(events))))
            assert len(events) < 500, "the softmax exercise never came up"
            item = course.next_item(events, session, T0 + timedelta(minutes=i, seconds=len(events)))
        tasks.append(ex.variant(ex.generate(item["seed"])))
        events.append(answer(item, correct=False, at=T0 + timedelta(minutes=i, seconds=len(events))))
    assert len(set(tasks)) == len(tasks)


def test_replaying_a_log_with_a_seed_no_problem_has_does_not_fail():
    progress = course.replay([answer("stability.softmax_code", seed=-3)])
    assert progress.answers("stability.softmax") == 1


# ----------------------------------------------------------------------------------- the rules the page shows
@pytest.mark.parametrize("total", range(1, 11))
def test_gate_needed_is_the_number_of_right_answers_gate_passed_asks_for(total):
    needed = course.gate_needed(total)
    right = lambda k: [{"correct": i < k, "hinted": False, "revealed": False} for i in range(total)]  # noqa: E731
    assert course.gate_passed(right(needed))["passed"]
    assert needed == 0 or not course.gate_passed(right(needed - 1))["passed"]
    assert needed / total >= course.GATE_PASS_SHARE > (needed - 1) / total


def test_the_rules_for_the_page_are_the_ones_the_scoring_applies():
    from lossref.practice import _mastery

    rules = json.loads(json.dumps(course.rules()))  # they travel as JSON
    assert rules["levels"] == list(_mastery.LEVELS) and list(rules["levelLabels"]) == rules["levels"]
    assert (rules["proficientPoints"], rules["proficientVariants"]) == (_mastery.PROFICIENT_POINTS,
                                                                       _mastery.PROFICIENT_VARIANTS)
    assert rules["minRightAnswers"] == _mastery.min_right_answers()
    assert (rules["maxReviews"], rules["gatePassShare"]) == (course.MAX_REVIEWS, course.GATE_PASS_SHARE)
    assert rules["desiredRetention"] == _mastery._scheduler().desired_retention
    # Every state a session can be in has its word; so does every level a skill can reach.
    events = []
    learn(events, 0, T0, 18)
    states = {s["state"] for s in course.summary(events, T0 + timedelta(hours=1))["sessions"]}
    assert states <= set(rules["stateLabels"]) and {"locked", "proficient"} <= states
    assert set(rules["stateLabels"]) == {"locked", "open", "proficient", "mastered"}
