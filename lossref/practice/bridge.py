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


def _field(request: dict, name: str, kind: type):
    if name not in request:
        raise ValueError(f"the request needs {name!r}")
    value = request[name]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{name!r} must be an integer; got {value!r}")
    if kind is str and not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string; got {value!r}")
    return value


# ----------------------------------------------------------------------------------- the course
def _course_state(request: dict) -> dict:
    """The learner's stored record (checked, upgraded and merged), the dashboard's summary at
    ``at``, and, with ``session``, the next problem of a sitting of that session."""
    record = course.load(request.get("record", {"version": course.STORE_VERSION, "events": []}))
    at = course.utc(_field(request, "at", str))
    day_end = course.utc(request["dayEnd"]) if "dayEnd" in request else at
    hashes = {entry["id"]: entry["hash"] for entry in catalogue()}
    progress = course.replay(record["events"])  # once, for both answers
    summary = course.summary(record["events"], at, day_end=day_end, hashes=hashes, progress=progress)
    reply = {"record": record, "summary": summary}
    if request.get("session") is not None:
        reply["next"] = course.next_item(record["events"], _field(request, "session", int), at,
                                         reviews_done=request.get("reviewsDone", 0), progress=progress)
    return reply


def _gate_test(request: dict) -> dict:
    record = course.load(request.get("record", {"version": course.STORE_VERSION, "events": []}))
    return {"items": course.gate_test(record["events"], _field(request, "opens", int))}


def _gate_result(request: dict) -> dict:
    results = request.get("results")
    if not isinstance(results, list):
        raise ValueError(f"'results' must be a list of {{correct, hinted, revealed, depth}}; got {results!r}")
    return course.gate_passed(results)


def _load(request: dict) -> dict:
    """The stored record checked and upgraded; an error names what cannot be read."""
    return {"record": course.load(request.get("record"))}


_COURSE_OPS = {"load": _load, "course": _course_state, "gate_test": _gate_test, "gate_result": _gate_result}


def handle(request: dict) -> dict:
    """Answer one request. ``op`` is one of: catalogue, problem, check, hints, solution."""
    try:
        if not isinstance(request, dict):
            raise ValueError(f"a request is a JSON object; got {type(request).__name__}")
        op = request.get("op")
        if op == "catalogue":
            return {"exercises": catalogue()}
        if op == "problem":
            ex, problem = _problem(request)
            problem = {**problem.to_dict(), "title": ex.title, "skill": ex.skill, "kind": ex.kind,
                       "depth": ex.depth, "label": DEPTH_LABELS[ex.depth]}
            return {"problem": problem, "hash": content_hash(ex)}
        if op == "check":
            ex, problem = _problem(request)
            if "answer" not in request:
                raise ValueError("the request needs 'answer'")
            return {"verdict": ex.check(problem, request["answer"]).to_dict()}
        if op == "hints":
            ex, problem = _problem(request)
            return {"hints": ex.hints(problem)}
        if op == "solution":
            ex, problem = _problem(request)
            return {"solution": ex.solution(problem).to_dict()}
        if op in _COURSE_OPS:
            return _COURSE_OPS[op](request)
        raise ValueError(f"unknown op {op!r}; expected one of catalogue, problem, check, hints, solution, "
                         + ", ".join(_COURSE_OPS))
    except (ValueError, KeyError) as exc:
        return {"error": str(exc.args[0]) if exc.args else type(exc).__name__}


def handle_json(text: str) -> str:
    """``handle`` for a JSON string, replying with a JSON string."""
    try:
        request = json.loads(text)
    except json.JSONDecodeError as exc:
        return json.dumps({"error": f"the request is not valid JSON: {exc.msg}"})
    return json.dumps(handle(request))
