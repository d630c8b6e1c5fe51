"""The JSON bridge the browser's worker calls: plain data in and out, errors as replies."""

from __future__ import annotations

import json

import pytest

import lossref.practice as lp
from lossref.practice import bridge


def test_catalogue_lists_every_exercise_with_a_content_hash():
    listing = bridge.handle({"op": "catalogue"})["exercises"]
    assert [row["id"] for row in listing] == [ex.id for ex in lp.exercises()]
    assert all(len(row["hash"]) == 12 for row in listing)
    assert len({row["hash"] for row in listing}) == len(listing), "two exercises share a content hash"


def test_a_problem_round_trips_through_json():
    reply = json.loads(bridge.handle_json(json.dumps({"op": "problem", "exercise": "hinge.value", "seed": 0})))
    problem = reply["problem"]
    assert problem["params"] == {"y": [1, 1, -1], "s": [2.0, 0.2, 0.3]}
    assert problem["answer"]["kind"] == "vector" and problem["answer"]["length"] == 3
    assert "comma" in problem["instructions"]


@pytest.mark.parametrize("ex", lp.exercises(), ids=lambda e: e.id)
def test_check_hints_and_solution_through_the_bridge(ex):
    request = {"exercise": ex.id, "seed": 3}
    solution = bridge.handle({**request, "op": "solution"})["solution"]
    verdict = bridge.handle({**request, "op": "check", "answer": solution["answer"]})["verdict"]
    assert verdict == {"correct": True, "lead": "Correct.", "detail": verdict["detail"], "mistake": None}
    assert not verdict["detail"].startswith(("Correct", "Right")), "the detail repeats the verdict"
    assert len(bridge.handle({**request, "op": "hints"})["hints"]) >= 2
    json.dumps(bridge.handle({**request, "op": "problem"}))  # everything is JSON


@pytest.mark.parametrize("request_, message", [
    ({"op": "fly"}, "unknown op 'fly'"),
    ({"op": "problem", "exercise": "bce.grad"}, "needs 'seed'"),
    ({"op": "problem", "exercise": "bce.grad", "seed": "1"}, "'seed' must be an integer"),
    ({"op": "problem", "exercise": "nope", "seed": 1}, "no exercise 'nope'"),
    ({"op": "check", "exercise": "bce.grad", "seed": 1}, "needs 'answer'"),
    ({"op": "problem", "exercise": "bce.grad", "seed": -2}, "seed must be a non-negative integer"),
    ([1, 2], "a request is a JSON object"),
])
def test_bad_requests_get_an_error_reply(request_, message):
    reply = bridge.handle(request_)
    assert set(reply) == {"error"} and message in reply["error"]


def test_invalid_json_gets_an_error_reply():
    assert "not valid JSON" in json.loads(bridge.handle_json("{op: problem"))["error"]


# ----------------------------------------------------------------------------------- every field, wrong
# A request of each op that the bridge answers; the table below spoils one field at a time.
AT = "2026-01-05T09:00:00Z"
GOOD = {
    "catalogue": {"op": "catalogue"},
    "problem": {"op": "problem", "exercise": "bce.grad", "seed": 1},
    "check": {"op": "check", "exercise": "bce.grad", "seed": 1, "answer": "0.5"},
    "hints": {"op": "hints", "exercise": "bce.grad", "seed": 1},
    "solution": {"op": "solution", "exercise": "bce.grad", "seed": 1},
    "load": {"op": "load", "record": {"version": 2, "events": []}},
    "course": {"op": "course", "record": {"version": 2, "events": []}, "at": AT, "dayEnd": AT, "session": 0,
               "reviewsDone": 0},
    "gate_test": {"op": "gate_test", "record": {"version": 2, "events": []}, "opens": 1},
    "gate_result": {"op": "gate_result", "results": [{"correct": True, "hinted": False, "revealed": False}]},
}

# (op, field, bad value or MISSING, what the error must say): the field by name and what it must be.
MISSING = object()
WRONG_FIELDS = [
    ("catalogue", "op", 5, "'op' must be a string; got an integer"),
    ("catalogue", "op", ["catalogue"], "'op' must be a string; got a list"),
    ("catalogue", "op", MISSING, "needs 'op'"),
    *[(op, "exercise", bad, f"'exercise' must be a string; got {said}")
      for op in ("problem", "check", "hints", "solution") for bad, said in [(7, "an integer"), (["bce.grad"], "a list")]],
    *[(op, "seed", bad, f"'seed' must be an integer; got {said}")
      for op in ("problem", "check", "hints", "solution")
      for bad, said in [("1", "a string"), (1.5, "a number"), (True, "a boolean"), ({}, "an object")]],
    ("problem", "seed", MISSING, "needs 'seed'"),
    ("check", "answer", 0.5, "'answer' must be a string; got a number"),
    ("check", "answer", ["a"], "'answer' must be a string; got a list"),
    ("check", "answer", MISSING, "needs 'answer'"),
    *[(op, "record", bad, f"'record' must be an object (saved progress) or its JSON text; got {said}")
      for op in ("load", "course", "gate_test") for bad, said in [(5, "an integer"), ([], "a list"), (True, "a boolean")]],
    ("load", "record", MISSING, "needs 'record'"),
    ("load", "record", "{not json", "saved progress is not JSON"),
    ("load", "record", {"version": 2, "events": {}}, "saved progress needs a list of events"),
    ("course", "at", 5, "'at' must be a string; got an integer"),
    ("course", "at", "yesterday", "'at' must be an ISO 8601 time with its UTC offset"),
    ("course", "at", "2026-01-05T09:00:00", "'at' must be an ISO 8601 time with its UTC offset"),
    ("course", "at", MISSING, "needs 'at'"),
    ("course", "dayEnd", 1767600000, "'dayEnd' must be a string; got an integer"),
    ("course", "dayEnd", "tonight", "'dayEnd' must be an ISO 8601 time"),
    ("course", "session", "0", "'session' must be an integer; got a string"),
    ("course", "session", 0.5, "'session' must be an integer; got a number"),
    ("course", "session", 99, "sessions are numbered 0 to"),
    ("course", "reviewsDone", "1", "'reviewsDone' must be an integer; got a string"),
    ("course", "reviewsDone", False, "'reviewsDone' must be an integer; got a boolean"),
    ("course", "reviewsDone", -1, "'reviewsDone' must be 0 or more"),
    ("gate_test", "opens", "1", "'opens' must be an integer; got a string"),
    ("gate_test", "opens", MISSING, "needs 'opens'"),
    ("gate_test", "opens", 0, "session 0 is always open"),
    ("gate_test", "opens", 99, "sessions are numbered 0 to"),
    ("gate_result", "results", "all right", "'results' must be a list of {correct, hinted, revealed, depth}"),
    ("gate_result", "results", [{"correct": "yes", "hinted": False, "revealed": False}],
     "result 0 needs correct, hinted and revealed as true or false"),
    ("gate_result", "results", [], "needs one entry per problem"),
]


@pytest.mark.parametrize("op", GOOD)
def test_each_ops_good_request_is_answered(op):
    reply = json.loads(bridge.handle_json(json.dumps(GOOD[op])))
    assert "error" not in reply, reply


@pytest.mark.parametrize("op, field, bad, said", WRONG_FIELDS,
                         ids=[f"{op}-{field}-{'missing' if bad is MISSING else json.dumps(bad)}"
                              for op, field, bad, _ in WRONG_FIELDS])
def test_a_field_of_the_wrong_type_gets_an_error_reply_naming_it(op, field, bad, said):
    request = {key: value for key, value in GOOD[op].items() if key != field}
    if bad is not MISSING:
        request[field] = bad
    reply = json.loads(bridge.handle_json(json.dumps(request)))  # as the worker sends it
    assert set(reply) == {"error"}, reply
    assert said in reply["error"], reply["error"]


def test_a_non_string_request_text_gets_an_error_reply():
    assert "not valid JSON" in json.loads(bridge.handle_json(None))["error"]


# ----------------------------------------------------------------------------------- learner code that exits
def _code_problem():
    ex = lp.get("stability.bce_code")
    return ex, ex.generate(0)


@pytest.mark.parametrize("body, raised", [
    ("import sys\nsys.exit(0)\n", "SystemExit"),  # at import time
    ("raise SystemExit('bye')\n", "SystemExit"),
    ("{signature}\n    import sys\n    sys.exit(1)\n", "SystemExit"),  # when a hidden test calls it
    ("{signature}\n    raise KeyboardInterrupt\n", "KeyboardInterrupt"),
    ("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
])
def test_code_that_exits_is_a_wrong_answer_not_an_escape(body, raised):
    ex, problem = _code_problem()
    code = body.format(signature=problem.answer.signature.strip())
    reply = bridge.handle({"op": "check", "exercise": ex.id, "seed": 0, "answer": code})
    verdict = reply["verdict"]
    assert not verdict["correct"] and verdict["mistake"] == "error"
    assert raised in verdict["detail"]


def test_a_custom_loss_that_exits_is_a_wrong_answer():
    """The pseudo-Huber pair runs the learner's loss after their grad passes: exiting there too."""
    ex = lp.get("custom.pseudo_huber_code")
    seed = next(s for s in range(40) if ex.generate(s).params["form"] == "pair")
    problem = ex.generate(seed)
    reference = ex.solution(problem).answer
    code = reference.replace("def loss(y, p):", "def loss(y, p):\n    raise SystemExit\n\n\ndef _unused(y, p):")
    assert code != reference
    verdict = bridge.handle({"op": "check", "exercise": ex.id, "seed": seed, "answer": code})["verdict"]
    assert not verdict["correct"] and "SystemExit" in verdict["detail"]
