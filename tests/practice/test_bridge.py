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
    assert verdict == {"correct": True, "message": verdict["message"], "mistake": None}
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
