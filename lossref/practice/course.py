"""The course in the browser: a learner's saved answers, what to practise next, and gate tests.

The browser stores a learner's progress as a **log of events** under one localStorage key, and
:class:`~lossref.practice.Progress` is rebuilt from it by replaying the events in time order.
Keeping the log rather than the derived state is what lets the page

* merge two tabs that answered at the same time (the union of their events, by id: nothing is
  lost and nothing counted twice),
* export and import a file that is the complete history, and
* change the scoring rules later without losing anything a learner did.

A stored record is ``{"version": 2, "events": [...]}``. An event is one of

``{"id", "at", "type": "answer", "exercise", "skill", "seed", "hash", "correct", "hinted", "revealed"}``
    one checked answer (or a revealed solution, ``revealed: true``); ``hash`` is the exercise's
    content hash when it was answered (``bridge.content_hash``), so that a changed exercise is
    noticed and its new problems count as new variants;
``{"id", "at", "type": "gate", "session"}``
    the learner passed the gate test that opens ``session``.

``at`` is an ISO 8601 time with its offset (the page writes UTC, ``...Z``).

>>> events = [{"id": "a1", "at": "2026-01-05T09:00:00Z", "type": "answer", "exercise": "prereq.sigmoid",
...            "skill": "prereq.sigmoid", "seed": 1, "hash": "x", "correct": True, "hinted": False,
...            "revealed": False}]
>>> replay(events).points("prereq.sigmoid")
1
>>> next_item(events, 0, at=datetime(2026, 1, 5, 9, 1, tzinfo=timezone.utc))["skill"]
'prereq.logs'
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from functools import lru_cache

from ._core import DEPTHS
from ._mastery import DESIRED_RETENTION, LEVEL_LABELS, LEVELS, PROFICIENT_POINTS, PROFICIENT_VARIANTS, Progress
from ._mastery import min_right_answers
from ._registry import exercises, get
from ._sessions import MINUTES_PER_PROBLEM, pick, sessions

STORE_VERSION = 2
MAX_REVIEWS = 12  # due reviews at the start of a sitting, at most
GATE_PASS_SHARE = 0.8  # of the gate test's problems answered right at the first check, without hints
MAX_EVENTS = 100_000  # a guard against a runaway page, far above any learner's history
# A session's state on the dashboard (``summary``), with the word the page shows for it.
STATE_LABELS = {"locked": "Locked", "open": "Open", "proficient": "Proficient", "mastered": "Mastered"}

# ----------------------------------------------------------------------------------- migrations
# Version 1 grouped the same skills into seven sessions (0-6). Version 2 split its sessions 2 and 3,
# so the session numbers in gate events changed. The old grouping is kept here only to read old
# records: it says which sessions such a log had opened.
_V1_SESSIONS = (
    ("prereq.logs", "prereq.chain_rule", "prereq.sigmoid", "prereq.softmax", "prereq.entropy", "prereq.kl"),
    ("risk.empirical", "risk.gradient", "risk.weighted", "risk.loss_vs_metric", "risk.minibatch"),
    ("mse.value", "mse.grad", "mae.grad", "huber.value", "huber.grad", "quantile.value", "log_cosh.grad",
     "regression.minimiser"),
    ("bce.value", "bce.grad", "cross_entropy.value", "stability.bce", "cross_entropy.grad",
     "cross_entropy.smoothing", "focal.value", "kl.value", "stability.logsumexp", "stability.softmax"),
    ("hinge.value", "hinge.grad", "squared_hinge.grad", "logistic.value", "multiclass_hinge.value"),
    ("custom.weighted_bce", "custom.class_weights", "custom.multitask", "custom.label_smoothing",
     "custom.surrogate", "custom.grad_check"),
    ("choose.regression", "choose.classification", "choose.margin", "choose.multitask"),
)
# Where each version-1 session's material is in version 2.
_V1_TO_V2 = {0: (0,), 1: (1,), 2: (2, 3), 3: (4, 5), 4: (6,), 5: (7,), 6: (9,)}


def _v1_to_v2(record: dict) -> dict:
    """Version 1 to 2: the answers stay as they are; the gate events of version 1 are replaced by
    gate events that keep open, under the new numbers, every session the learner had opened (by a
    gate test or by proficiency, under version 1's grouping), so that no opened session closes."""
    from ._sessions import Session

    events = record.get("events")
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise ValueError("saved progress (version 1) needs a list of event objects")
    for index, event in enumerate(events):
        _check_event(event, index)
    curriculum = [Session(n, f"version 1 session {n}", skills) for n, skills in enumerate(_V1_SESSIONS)]
    progress = Progress(curriculum)
    known = {skill for skills in _V1_SESSIONS for skill in skills}
    opened_at: dict[int, str] = {}
    for event in merge(events):
        if event["type"] == "gate":
            if event["session"] in _V1_TO_V2:
                progress.pass_gate(event["session"])
        elif event["skill"] in known:
            progress.record(event["skill"], event["correct"], variant=f"{event['exercise']}:{event['seed']}:"
                            f"{event['hash']}", at=_time(event["at"], "event"), hinted=event["hinted"],
                            revealed=event["revealed"])
        for old in _V1_TO_V2:
            if old and progress.is_open(old):
                opened_at.setdefault(old, event["at"])
    answers = [e for e in events if e["type"] == "answer"]
    gates = [{"id": f"v1-open-{new}", "at": at, "type": "gate", "session": new}
             for old, at in sorted(opened_at.items()) for new in _V1_TO_V2[old]]
    return {"version": 2, "events": answers + gates}


# Upgrades of stored records, from the version a function reads to the next one. A record from an
# older version of the site goes through each in turn; one from a newer version is refused (the
# page keeps it as a backup rather than guess).
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}

_ANSWER_FIELDS = {"id": str, "at": str, "type": str, "exercise": str, "skill": str, "seed": int,
                  "hash": str, "correct": bool, "hinted": bool, "revealed": bool}
_GATE_FIELDS = {"id": str, "at": str, "type": str, "session": int}


# ----------------------------------------------------------------------------------- the record
def load(record: str | dict) -> dict:
    """A stored record (its JSON text or the parsed object), upgraded to the current version and
    checked; anything else raises ValueError saying what was wrong."""
    if isinstance(record, str):
        try:
            record = json.loads(record)
        except json.JSONDecodeError as exc:
            raise ValueError(f"saved progress is not JSON: {exc}") from None
    if not isinstance(record, dict):
        raise ValueError(f"saved progress must be a JSON object; got {type(record).__name__}")
    version = record.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"saved progress needs a version number (1 to {STORE_VERSION}); got {version!r}")
    if version > STORE_VERSION:
        raise ValueError(f"saved progress has version {version}, newer than this site's {STORE_VERSION}")
    while version < STORE_VERSION:
        record = MIGRATIONS[version](record)
        version = record["version"]
    events = record.get("events")
    if not isinstance(events, list):
        raise ValueError(f"saved progress needs a list of events; got {type(events).__name__}")
    if len(events) > MAX_EVENTS:
        raise ValueError(f"saved progress has {len(events)} events; at most {MAX_EVENTS} are read")
    for index, event in enumerate(events):
        _check_event(event, index)
    return {"version": STORE_VERSION, "events": merge(events)}


def _check_event(event, index: int) -> None:
    if not isinstance(event, dict):
        raise ValueError(f"event {index} must be an object; got {type(event).__name__}")
    fields = {"answer": _ANSWER_FIELDS, "gate": _GATE_FIELDS}.get(event.get("type"))
    if fields is None:
        raise ValueError(f"event {index} has type {event.get('type')!r}; expected 'answer' or 'gate'")
    for name, kind in fields.items():
        value = event.get(name)
        wrong_int = kind is int and isinstance(value, bool)
        if not isinstance(value, kind) or wrong_int:
            raise ValueError(f"event {index} ({event.get('type')}) needs {name!r} as {kind.__name__}; got {value!r}")
    _time(event["at"], f"event {index}")


def _time(text: str, where: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not an ISO 8601 time") from None
    if at.utcoffset() is None:
        raise ValueError(f"{where}: {text!r} has no UTC offset (write it as ...Z)")
    return at


def merge(*logs: Iterable[dict]) -> list[dict]:
    """The union of event logs, each event once (by id), in time order."""
    by_id: dict[str, dict] = {}
    for log in logs:
        for event in log:
            by_id.setdefault(event["id"], event)
    return sorted(by_id.values(), key=lambda e: (_time(e["at"], "event"), e["id"]))


# ----------------------------------------------------------------------------------- replaying
def replay(events: Iterable[dict]) -> Progress:
    """The learner's :class:`Progress`, from their events in time order. Answers to exercises the
    course no longer has are skipped."""
    progress = Progress()
    known = {ex.id for ex in exercises()}
    for event in merge(events):
        at = _time(event["at"], "event")
        if event["type"] == "gate":
            progress.pass_gate(event["session"])
        elif event["exercise"] in known and get(event["exercise"]).skill == event["skill"]:
            # The task as the learner saw it (two seeds that ask for the same function are one variant);
            # a changed exercise makes different problems from the same seed: a new variant. Only a
            # correct answer without help counts its variant, so only those generate their problem.
            counted = event["correct"] and not event["hinted"] and not event["revealed"]
            key = _variant(event["exercise"], event["seed"]) if counted else f"seed {event['seed']}"
            variant = f"{event['exercise']}:{key}:{event['hash']}"
            progress.record(event["skill"], event["correct"], variant=variant, at=at,
                            hinted=event["hinted"], revealed=event["revealed"],
                            derivation=get(event["exercise"]).depth == "derive")
    return progress


@lru_cache(maxsize=None)
def _variant(exercise: str, seed: int) -> str:
    """The key of the problem ``seed`` of ``exercise`` (``Exercise.variant``), generated once per process:
    replaying a long log generates each of its problems once."""
    ex = get(exercise)
    # A numeric problem draws its numbers from the seed, and two seeds seldom draw the same ones, so
    # the seed names it (and replaying a long log generates nothing); a code task or a choice
    # scenario often comes back under another seed, so those are generated and keyed. (A negative
    # seed, from a hand-edited log, has no problem: it is a variant of its own.)
    if seed < 0 or ex.kind in ("number", "vector"):
        return f"seed {seed}"
    return ex.variant(ex.generate(seed))


def summary(events: list[dict], at: datetime, *, day_end: datetime | None = None,
            hashes: dict[str, str] | None = None, progress: Progress | None = None) -> dict:
    """What the dashboard shows: each session's state and gate, each skill's level, points and
    next review, the skills due now and by ``day_end`` (the end of the learner's day), and the
    exercises whose content changed since the learner answered them (``hashes``: the current
    content hash of each exercise). ``progress``, if given, is ``replay(events)`` already done."""
    progress = progress or replay(events)
    day_end = day_end or at
    out_sessions = []
    for session in sessions():
        levels = [progress.level(skill) for skill in session.skills]
        ready, total = progress.gate_status(session.number)
        derived = progress.derivation_done(session.number)
        if not progress.is_open(session.number):
            state = "locked"
        elif progress.is_proficient(session.number):
            state = "mastered" if all(level == "mastered" for level in levels) else "proficient"
        else:
            state = "open"
        out_sessions.append({
            "number": session.number, "title": session.title, "state": state,
            "skills": list(session.skills), "gate": {"ready": ready, "total": total},
            "derivation": {"needed": bool(session.derivations), "done": derived},
            "minProblems": session.min_problems,
            "reason": _locked_reason(progress, session.number) if state == "locked" else None,
        })
    skills = {}
    for session in sessions():
        for skill in session.skills:
            review = progress.next_review(skill)
            skills[skill] = {"level": progress.level(skill), "points": progress.points(skill),
                             "variants": progress.variants(skill), "answers": progress.answers(skill),
                             "session": session.number,
                             "review": review.isoformat() if review else None}
    last_hash = {e["exercise"]: e["hash"] for e in merge(events) if e["type"] == "answer"}
    changed = sorted(ex for ex, h in last_hash.items() if hashes and ex in hashes and hashes[ex] != h)
    return {"sessions": out_sessions, "skills": skills, "dueNow": progress.due(at),
            "dueToday": progress.due(day_end), "changed": changed, "events": len(events)}


def _locked_reason(progress: Progress, number: int) -> str:
    """Why session ``number`` is locked, in the dashboard's words."""
    ready, total = progress.gate_status(number)
    if ready < total:
        return f"{ready} of {total} skills of session {number - 1} proficient"
    return f"every skill of session {number - 1} proficient; one of its derivations still to answer right"


# ----------------------------------------------------------------------------------- what next
def _fresh_seed(events: list[dict], exercise: str, extra: Iterable[int] = ()) -> int:
    """A seed the learner has never answered on ``exercise``, and whose task they have not met on
    another seed either when one comes soon (a code exercise has a few dozen tasks). Seed 0 is the
    problem pages show first (and the lesson's own numbers), so practice starts at 1."""
    used = [e["seed"] for e in events if e["type"] == "answer" and e["exercise"] == exercise]
    first = max([0, *used, *extra]) + 1
    met = {_variant(exercise, seed) for seed in used}
    return next((seed for seed in range(first, first + _LOOK_AHEAD) if _variant(exercise, seed) not in met), first)


_LOOK_AHEAD = 30  # seeds tried for a task the learner has not met


def _exercise_for(events: list[dict], skill: str) -> str:
    """The exercise of ``skill`` the learner has answered least (course order breaks ties), so that
    a skill with several exercises rotates through them."""
    return _least_answered(events, [ex.id for ex in exercises(skill)])


def _least_answered(events: list[dict], exercise_ids: Iterable[str]) -> str:
    """Of ``exercise_ids``, the one the learner has answered least (the first breaks ties)."""
    counts = dict.fromkeys(exercise_ids, 0)
    for e in events:
        if e["type"] == "answer" and e["exercise"] in counts:
            counts[e["exercise"]] += 1
    return min(counts, key=lambda ex_id: counts[ex_id])


def next_item(events: list[dict], session: int, at: datetime, *, reviews_done: int = 0,
              progress: Progress | None = None) -> dict:
    """The next problem of a sitting of ``session``: ``{exercise, skill, seed, review}``.

    A sitting starts with the learner's due reviews, most overdue first, at most ``MAX_REVIEWS``
    of them (``reviews_done`` counts those already answered in this sitting). Then practice targets
    the weakest skill of the session (lowest level, then fewest points, then fewest answers) that
    is not yet proficient, and never the skill just answered when another one is left, so that
    skills interleave. Every problem is a fresh variant: a seed the learner has not answered.
    """
    progress = progress or replay(events)
    skills = _session(session).skills
    due = progress.due(at)
    if due and reviews_done < MAX_REVIEWS:
        skill = due[0]
        review = True
    else:
        review = False
        practising = [s for s in skills if progress.level(s) not in ("proficient", "mastered")]
        if not practising and not progress.derivation_done(session):
            # Every skill is proficient and a derivation is what the session still needs.
            exercise = _least_answered(events, _session(session).derivations)
            return _item(events, exercise, review)
        practising = practising or list(skills)
        last = next((e["skill"] for e in reversed(merge(events)) if e["type"] == "answer"), None)
        if len(practising) > 1 and last in practising:
            practising.remove(last)
        order = {s: i for i, s in enumerate(skills)}
        skill = min(practising, key=lambda s: (LEVELS.index(progress.level(s)), progress.points(s),
                                               progress.answers(s), order[s]))
    return _item(events, _exercise_for(events, skill), review)


def _item(events: list[dict], exercise: str, review: bool) -> dict:
    ex = get(exercise)
    return {"exercise": exercise, "skill": ex.skill, "seed": _fresh_seed(events, exercise), "review": review,
            "depth": ex.depth}


def gate_test(events: list[dict], opens: int) -> list[dict]:
    """The gate test that opens session ``opens``: one fresh problem for each skill of the session
    before it, in course order."""
    if opens < 1:
        raise ValueError(f"session 0 is always open and has no gate test; got {opens!r}")
    tested = _session(opens - 1)
    # A session with derivations is tested on one: it takes the place of an apply problem of its skill.
    derivation = _least_answered(events, tested.derivations) if tested.derivations else None
    items = []
    for skill in tested.skills:
        chosen = derivation if derivation and get(derivation).skill == skill else _exercise_for(events, skill)
        items.append(_item(events, chosen, False))
    return items


def gate_passed(results: list[dict]) -> dict:
    """Whether a gate test is passed: at least ``GATE_PASS_SHARE`` of its problems answered
    correctly at the first check, without a hint, no solution revealed, and its derivation (if it
    has one) among the right answers.

    ``results`` has one ``{correct, hinted, revealed}`` per problem of the test (the first check),
    with ``depth`` (the item's, ``"apply"`` when left out).
    """
    if not results:
        raise ValueError("a gate test result needs one entry per problem; got none")
    for index, r in enumerate(results):
        if not isinstance(r, dict) or not all(isinstance(r.get(k), bool) for k in ("correct", "hinted", "revealed")):
            raise ValueError(f"result {index} needs correct, hinted and revealed as true or false; got {r!r}")
        if r.get("depth", "apply") not in DEPTHS:
            raise ValueError(f"result {index} has depth {r.get('depth')!r}; expected one of {DEPTHS}")
    needed = gate_needed(len(results))
    good = [r["correct"] and not r["hinted"] and not r["revealed"] for r in results]
    right = sum(good)
    revealed = any(r["revealed"] for r in results)
    derivations = [ok for ok, r in zip(good, results) if r.get("depth") == "derive"]
    derived = not derivations or any(derivations)
    return {"passed": right >= needed and not revealed and derived, "right": right, "needed": needed,
            "total": len(results), "derivation": {"needed": bool(derivations), "done": derived}}


def gate_needed(total: int) -> int:
    """How many of a gate test's ``total`` problems must be right: ``ceil(GATE_PASS_SHARE * total)``."""
    return math.ceil(GATE_PASS_SHARE * total)


def rules() -> dict:
    """The rules as the page needs them (the build writes them into the course data), so that its
    script and its text read the numbers from here instead of typing them again: the levels in
    order and the words for levels and session states, what proficiency takes, the reviews of a
    sitting, the gate test's pass share, the retention reviews aim for and the minutes planned a
    problem."""
    return {"levels": list(LEVELS), "levelLabels": dict(LEVEL_LABELS), "stateLabels": dict(STATE_LABELS),
            "proficientPoints": PROFICIENT_POINTS, "proficientVariants": PROFICIENT_VARIANTS,
            "minRightAnswers": min_right_answers(), "maxReviews": MAX_REVIEWS, "gatePassShare": GATE_PASS_SHARE,
            "desiredRetention": DESIRED_RETENTION, "minutesPerProblem": MINUTES_PER_PROBLEM}


def _session(number: int):
    return pick(sessions(), number)


def utc(text: str) -> datetime:
    """An ISO 8601 time from the page, as an aware datetime."""
    return _time(text, "time").astimezone(timezone.utc)


__all__ = ["STORE_VERSION", "MAX_REVIEWS", "GATE_PASS_SHARE", "STATE_LABELS", "MIGRATIONS", "load", "merge",
           "replay", "summary", "next_item", "gate_test", "gate_passed", "gate_needed", "rules", "utc"]
