"""JSON in, JSON out: what the browser's worker calls.

The page never imports Python objects: it sends a request (a dict that JSON can carry) and gets
a dict back. Every function here takes and returns plain data, and a bad request gets an
``{"error": ...}`` reply that says what was wrong instead of an exception crossing into
JavaScript.

>>> from lossref.practice import bridge
>>> reply = bridge.handle({"op": "problem", "exercise": "bce.grad", "seed": 0})
>>> reply["problem"]["params"]
{'y': 1, 'z': -1.0}
>>> bridge.handle({"op": "check", "exercise": "bce.grad", "seed": 0, "answer": "0.7311"})["verdict"]["mistake"]
'sign_flipped'
"""

from __future__ import annotations

import functools
import json

from . import course
from ._core import DEPTH_LABELS
from ._digest import content_hash
from ._registry import exercises, get

__all__ = ["handle", "handle_json", "catalogue", "content_hash"]


@functools.cache
def _catalogue() -> tuple[dict, ...]:
    return tuple({"id": ex.id, "skill": ex.skill, "kind": ex.kind, "depth": ex.depth, "title": ex.title,
                  "hash": content_hash(ex)}
            for ex in exercises())


def catalogue() -> list[dict]:
    """Every exercise's id, skill, kind, depth, title and content hash, in course order."""
    return [dict(entry) for entry in _catalogue()]


def _problem(request):
    ex = get(_field(request, "exercise", str))
    seed = _field(request, "seed", int)
    return ex, ex.generate(seed)


_KIND_NAMES = {int: "an integer", str: "a string", list: "a list", dict: "an object"}


def _field(request: dict, name: str, kind: type, default=...):
    """``request[name]``, checked to be of ``kind`` (JSON's types: a bool is no integer); ``default``
    when it is left out or null, if a default is given."""
    value = request.get(name)
    if value is None:
        if default is not ...:
            return default
        raise ValueError(f"the request needs {name!r}")
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise ValueError(f"{name!r} must be {_KIND_NAMES[kind]}; got {_show(value)}")
    return value


def _show(value) -> str:
    """A value of a bad request, for its error message: its JSON type, and the value if it is short."""
    text = repr(value)
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)
    return f"{kind}, {text}" if len(text) <= 40 else kind


def _time_field(request: dict, name: str, default=...):
    """An ISO 8601 time with its offset, as an aware UTC datetime."""
    text = _field(request, name, str, default)
    if text is default:
        return default
    try:
        return course.utc(text)
    except ValueError:
        raise ValueError(f"{name!r} must be an ISO 8601 time with its UTC offset (2026-01-05T09:00:00Z); "
                         f"got {text!r}") from None


def _record(request: dict) -> dict:
    """The request's saved progress, checked and upgraded (``course.load``, whose errors name what
    cannot be read); an empty log when it is left out."""
    record = request.get("record")
    if record is None:
        return course.load({"version": course.STORE_VERSION, "events": []})
    if not isinstance(record, (dict, str)):
        raise ValueError(f"'record' must be an object (saved progress) or its JSON text; got {_show(record)}")
    return course.load(record)


# ----------------------------------------------------------------------------------- the course
def _course_state(request: dict) -> dict:
    """The learner's stored record (checked, upgraded and merged), the dashboard's summary at
    ``at``, and, with ``session``, the next problem of a sitting of that session."""
    record = _record(request)
    at = _time_field(request, "at")
    day_end = _time_field(request, "dayEnd", at)
    session = _field(request, "session", int, None)
    reviews_done = _field(request, "reviewsDone", int, 0)
    if reviews_done < 0:
        raise ValueError(f"'reviewsDone' must be 0 or more (the reviews answered in this sitting); got {reviews_done}")
    hashes = {entry["id"]: entry["hash"] for entry in catalogue()}
    progress = course.replay(record["events"])  # once, for both answers
    summary = course.summary(record["events"], at, day_end=day_end, hashes=hashes, progress=progress)
    reply = {"record": record, "summary": summary}
    if session is not None:
        reply["next"] = course.next_item(record["events"], session, at, reviews_done=reviews_done, progress=progress)
    return reply


def _gate_test(request: dict) -> dict:
    record = _record(request)
    return {"items": course.gate_test(record["events"], _field(request, "opens", int))}


def _gate_result(request: dict) -> dict:
    results = request.get("results")
    if not isinstance(results, list):
        raise ValueError(f"'results' must be a list of {{correct, hinted, revealed, depth}}; got {_show(results)}")
    return course.gate_passed(results)


def _load(request: dict) -> dict:
    """The stored record checked and upgraded; an error names what cannot be read."""
    if request.get("record") is None:
        raise ValueError("the request needs 'record'")
    return {"record": _record(request)}


_COURSE_OPS = {"load": _load, "course": _course_state, "gate_test": _gate_test, "gate_result": _gate_result}


_EXERCISE_OPS = ("catalogue", "problem", "check", "hints", "solution")


def handle(request: dict) -> dict:
    """Answer one request. ``op`` is one of: catalogue, problem, check, hints, solution (the
    exercises) and load, course, gate_test, gate_result (the course). A bad request, a field of
    the wrong type included, gets ``{"error": ...}`` naming the field and what it must be."""
    try:
        if not isinstance(request, dict):
            raise ValueError(f"a request is a JSON object; got {type(request).__name__}")
        op = _field(request, "op", str)
        if op == "catalogue":
            return {"exercises": catalogue()}
        if op == "problem":
            ex, problem = _problem(request)
            problem = {**problem.to_dict(), "title": ex.title, "skill": ex.skill, "kind": ex.kind,
                       "depth": ex.depth, "label": DEPTH_LABELS[ex.depth]}
            return {"problem": problem, "hash": content_hash(ex)}
        if op == "check":
            ex, problem = _problem(request)
            answer = _field(request, "answer", str)  # what the learner typed (or the key chosen)
            return {"verdict": ex.check(problem, answer).to_dict()}
        if op == "hints":
            ex, problem = _problem(request)
            return {"hints": ex.hints(problem)}
        if op == "solution":
            ex, problem = _problem(request)
            return {"solution": ex.solution(problem).to_dict()}
        if op in _COURSE_OPS:
            return _COURSE_OPS[op](request)
        raise ValueError(f"unknown op {op!r}; expected one of {', '.join((*_EXERCISE_OPS, *_COURSE_OPS))}")
    except (ValueError, KeyError) as exc:
        return {"error": str(exc.args[0]) if exc.args else type(exc).__name__}
    except (SystemExit, KeyboardInterrupt) as exc:
        # Only a learner's code raises these here (the checkers turn the usual ways into a verdict);
        # let through, they would stop Python in the browser.
        return {"error": f"the code stopped Python with {type(exc).__name__}; nothing was checked"}


def handle_json(text: str) -> str:
    """``handle`` for a JSON string, replying with a JSON string."""
    try:
        request = json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return json.dumps({"error": f"the request is not valid JSON: {detail}"})
    return json.dumps(handle(request))
