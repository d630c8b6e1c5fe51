"""A learner's progress: points and levels per skill, session gates, and spaced review.

The rules (the design's "Curriculum, mastery gates, spaced review"):

* **Points per skill.** +1 for a correct answer without hints, +1 more when the previous answer on
  that skill was also correct; 0 for a correct answer after a hint; -1 for a wrong answer (never
  below 0). Revealing the solution resets the skill to 0.
* **Levels.** ``new`` until the first answer, then ``practicing``. ``proficient`` at 5 points or
  more, with at least 3 distinct variants answered correctly and the last answer correct.
  ``mastered`` after a correct answer (no hint) at least one day after becoming proficient. A wrong
  answer on a proficient or mastered skill drops it one level.
* **Derivations.** A session with exercises of depth "derive" is proficient only once one of them
  has been answered right (without a hint).
* **Gates.** Session 0 is open. A session opens when the previous session is proficient (every
  skill proficient or mastered, and a derivation right where it has them), or when its gate test is
  passed; an opened session stays open.
* **Spaced review.** Each skill has an FSRS card (the ``fsrs`` library, desired retention 0.9):
  a wrong answer rates Again, a correct answer after a hint Hard, a correct answer Good. Proficient
  and mastered skills whose card is due come back for review, and so does a skill that a failed
  review dropped back to practicing.

The clock is always passed in (``at``, an aware datetime), so the rules can be tested over weeks
in a second.

>>> from datetime import datetime, timedelta, timezone
>>> import lossref.practice as lp
>>> p = lp.Progress()
>>> t = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
>>> for i, v in enumerate(["a", "b", "c"]):
...     _ = p.record("prereq.logs", True, variant=v, at=t + timedelta(minutes=i))
>>> p.points("prereq.logs"), p.level("prereq.logs")
(5, 'proficient')
>>> p.record("prereq.logs", True, variant="d", at=t + timedelta(days=1, hours=1))
'mastered'
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ._sessions import pick, sessions

LEVELS = ("new", "practicing", "proficient", "mastered")
LEVEL_LABELS = {"new": "New", "practicing": "Practicing", "proficient": "Proficient", "mastered": "Mastered"}
PROFICIENT_POINTS = 5
PROFICIENT_VARIANTS = 3
MASTERY_DELAY = timedelta(days=1)
DESIRED_RETENTION = 0.9  # FSRS schedules a review when the chance of still knowing the skill falls to this
SCHEMA_VERSION = 1


def min_right_answers() -> int:
    """The fewest answers that make a skill proficient: all right, without hints, each on a new
    variant (k right answers in a row earn 1 + 2 (k - 1) points)."""
    k = PROFICIENT_VARIANTS
    while 1 + 2 * (k - 1) < PROFICIENT_POINTS:
        k += 1
    return k


def _fsrs():
    """The fsrs module, imported on first use: the exercises themselves (and the browser's first
    check) do not need it."""
    try:
        import fsrs
    except ImportError:
        raise ImportError("lossref.practice.Progress schedules reviews with the fsrs package: "
                          "pip install 'lossref[practice]'") from None
    return fsrs


@functools.cache
def _scheduler():
    # Fuzzing is off so that the same answers always give the same schedule. One scheduler
    # serves every review (it keeps no state between them).
    return _fsrs().Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=False)


@dataclass
class SkillState:
    """What is known about one skill of one learner."""

    points: int = 0
    level: str = "new"
    last_correct: bool | None = None
    variants: set[str] = field(default_factory=set)  # distinct variants answered correctly
    proficient_at: datetime | None = None
    ever_proficient: bool = False  # once proficient, the skill is reviewed even after it lapses
    answers: int = 0
    card: dict | None = None  # the FSRS card, as fsrs.Card.to_dict() gives it
    derived: bool = False  # a derivation on this skill answered right, without a hint


class Progress:
    """One learner's progress through the course."""

    def __init__(self, curriculum: list | None = None) -> None:
        """``curriculum``: the sessions (``lossref.practice.Session``) to score against; the course's
        own by default (an older curriculum reads an older record)."""
        self._skills: dict[str, SkillState] = {}
        self._opened: set[int] = {0}
        self._sessions = list(curriculum) if curriculum is not None else sessions()
        self._session_of = {skill: s.number for s in self._sessions for skill in s.skills}
        self._known = set(self._session_of)

    # ------------------------------------------------------------------ queries
    def points(self, skill: str) -> int:
        return self._state(skill).points

    def level(self, skill: str) -> str:
        """``new``, ``practicing``, ``proficient`` or ``mastered``."""
        return self._state(skill).level

    def answers(self, skill: str) -> int:
        """How many answers on ``skill`` were recorded."""
        return self._state(skill).answers

    def variants(self, skill: str) -> int:
        """How many distinct variants of ``skill`` were answered correctly (proficiency needs 3)."""
        return len(self._state(skill).variants)

    def next_review(self, skill: str) -> datetime | None:
        """When ``skill`` is next due for review; ``None`` until it is proficient."""
        state = self._state(skill)
        if not state.ever_proficient or state.card is None:
            return None
        return datetime.fromisoformat(state.card["due"])

    def is_open(self, session: int) -> bool:
        return self._session(session).number in self._opened

    def due(self, at: datetime) -> list[str]:
        """Skills due for review at ``at``, most overdue first: those that have been proficient,
        including one that a failed review dropped back to practicing (it comes back soon)."""
        at = _aware(at)
        due = [(datetime.fromisoformat(s.card["due"]), skill) for skill, s in self._skills.items()
               if s.ever_proficient and s.card is not None]
        return [skill for when, skill in sorted(due) if when <= at]

    def gate_status(self, session: int) -> tuple[int, int]:
        """(proficient skills, all skills) of the session before ``session``: what opens it, with
        ``derivation_done(session - 1)``."""
        previous = self._session(session - 1).skills if session > 0 else ()
        ready = sum(self.level(skill) in ("proficient", "mastered") for skill in previous)
        return ready, len(previous)

    def derivation_done(self, session: int) -> bool:
        """Whether a derivation of ``session`` was answered right (True for a session without any)."""
        s = self._session(session)
        return not s.derivations or any(self._state(skill).derived for skill in s.skills)

    def is_proficient(self, session: int) -> bool:
        """Every skill of ``session`` proficient or mastered, and a derivation right where it has them."""
        s = self._session(session)
        return (all(self.level(skill) in ("proficient", "mastered") for skill in s.skills)
                and self.derivation_done(session))

    # ------------------------------------------------------------------ answers
    def record(self, skill: str, correct: bool, *, variant: str, at: datetime, hinted: bool = False,
               revealed: bool = False, derivation: bool = False) -> str:
        """Record one answer on ``skill`` (``variant`` names the problem, for example
        ``"bce.grad:17"``; ``derivation`` says it was an exercise of depth "derive") and return the
        skill's level after it."""
        # Everything is checked before anything changes.
        self._check_skill(skill)
        at = _aware(at)
        if not all(isinstance(flag, bool) for flag in (correct, hinted, revealed, derivation)):
            raise ValueError("correct, hinted, revealed and derivation must be True or False")
        if not isinstance(variant, str) or not variant:
            raise ValueError(f"variant must be a non-empty string naming the problem; got {variant!r}")
        state = self._skills.setdefault(skill, SkillState())
        state.answers += 1
        if state.level == "new":
            state.level = "practicing"
        if revealed:
            state.points, state.variants, state.derived = 0, set(), False
            state.level, state.proficient_at = "practicing", None
        elif correct:
            if not hinted:
                state.points += 2 if state.last_correct else 1
                state.variants.add(variant)
                state.derived = state.derived or derivation
                if state.level == "proficient" and at - state.proficient_at >= MASTERY_DELAY:
                    state.level = "mastered"
        else:
            state.points = max(0, state.points - 1)
            if state.level == "mastered":  # a failed review drops one level
                state.level, state.proficient_at = "proficient", at
            elif state.level == "proficient":
                state.level, state.proficient_at = "practicing", None
        state.last_correct = correct and not revealed
        if (state.level == "practicing" and state.last_correct and state.points >= PROFICIENT_POINTS
                and len(state.variants) >= PROFICIENT_VARIANTS):
            state.level, state.proficient_at = "proficient", at
        state.ever_proficient = state.ever_proficient or state.level in ("proficient", "mastered")
        self._review(state, correct and not revealed, hinted, at)
        self._open_next_session(skill)
        return state.level

    def pass_gate(self, session: int) -> None:
        """The learner passed the gate test of ``session``: it opens (and stays open)."""
        self._opened.add(self._session(session).number)

    # ------------------------------------------------------------------ storage
    def to_json(self) -> str:
        skills = {skill: {"points": s.points, "level": s.level, "last_correct": s.last_correct,
                          "variants": sorted(s.variants), "answers": s.answers, "card": s.card,
                          "ever_proficient": s.ever_proficient, "derived": s.derived,
                          "proficient_at": s.proficient_at.isoformat() if s.proficient_at else None}
                  for skill, s in sorted(self._skills.items())}
        return json.dumps({"version": SCHEMA_VERSION, "opened": sorted(self._opened), "skills": skills},
                          sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Progress:
        """A progress saved by ``to_json``; text that is not one raises ValueError saying why."""
        try:
            data = json.loads(text)
        except (TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"saved progress is not JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
            found = data.get("version") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"saved progress must be an object with version {SCHEMA_VERSION}; got {found!r}")
        progress = cls()
        try:
            opened = {int(n) for n in data["opened"]}
            if not opened <= set(range(len(progress._sessions))):
                raise ValueError(f"unknown sessions {sorted(opened - set(range(len(progress._sessions))))}")
            progress._opened |= opened
            for skill, raw in data["skills"].items():
                if skill not in progress._known:
                    continue  # a skill the course no longer has
                state = SkillState(points=int(raw["points"]), level=str(raw["level"]),
                                   last_correct=raw["last_correct"], variants=set(raw["variants"]),
                                   answers=int(raw["answers"]), card=raw["card"],
                                   ever_proficient=bool(raw.get("ever_proficient", raw["level"] in ("proficient", "mastered"))),
                                   derived=bool(raw.get("derived", False)),
                                   proficient_at=_aware(datetime.fromisoformat(raw["proficient_at"]))
                                   if raw["proficient_at"] else None)
                if state.level not in LEVELS or state.points < 0:
                    raise ValueError(f"skill {skill!r} has level {state.level!r} and {state.points} points")
                progress._skills[skill] = state
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"saved progress is missing or mistyped: {exc!r}") from None
        return progress

    # ------------------------------------------------------------------ internals
    def _check_skill(self, skill: str) -> None:
        if skill not in self._known:
            raise ValueError(f"unknown skill {skill!r}; see lossref.practice.skills()")

    def _state(self, skill: str) -> SkillState:
        """The skill's state (a fresh one, not stored, for a skill never answered)."""
        self._check_skill(skill)
        return self._skills.get(skill) or SkillState()

    def _session(self, number: int):
        return pick(self._sessions, number)

    def _open_next_session(self, skill: str) -> None:
        """An answer on ``skill`` can only complete the gate of the session after the skill's own."""
        following = self._session_of[skill] + 1
        if following < len(self._sessions) and self.is_proficient(following - 1):
            self._opened.add(following)

    def _review(self, state: SkillState, correct: bool, hinted: bool, at: datetime) -> None:
        """The answer as an FSRS review: Again when wrong, Hard after a hint, Good otherwise."""
        Card, Rating = _fsrs().Card, _fsrs().Rating
        # card_id would otherwise be taken from the wall clock: the clock here is the caller's.
        card = Card.from_dict(state.card) if state.card else Card(card_id=1, due=at)
        rating = Rating.Again if not correct else Rating.Hard if hinted else Rating.Good
        card, _ = _scheduler().review_card(card, rating, review_datetime=at)
        state.card = card.to_dict()


def _aware(at: datetime) -> datetime:
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise ValueError(f"times must be timezone-aware datetimes (UTC); got {at!r}")
    return at
