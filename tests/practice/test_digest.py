"""An exercise's content hash covers the exercise (its class and what it uses), not its whole module.

The page stores the hash with every answer; a changed hash says "this exercise changed" on the
dashboard and makes its problems new variants. Sources are edited here as text handed to the hash
(``sources=``), the way a contributor edits a file, without touching the installed modules.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import lossref.practice as lp
from lossref.practice import bridge
from lossref.practice._digest import content_hash

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "lossref.practice"


def by_class(name: str):
    return next(ex for ex in lp.exercises() if type(ex).__name__ == name)


def source_of(module: str) -> str:
    return inspect.getsource(importlib.import_module(f"{PACKAGE}.{module}"))


def edited(module: str, old: str, new: str) -> dict[str, str]:
    """The sources with one replacement in ``module`` (which must find ``old`` exactly once)."""
    text = source_of(module)
    assert text.count(old) == 1, f"{old!r} is not once in {module}"
    return {f"{PACKAGE}.{module}": text.replace(old, new)}


def touched(module: str, name: str) -> dict[str, str]:
    """The sources with the top-level definition ``name`` of ``module`` edited in its last line."""
    text = source_of(module)
    stmt = next(s for s in ast.parse(text).body
                if name in {getattr(s, "name", None), *(t.id for t in getattr(s, "targets", ()) if isinstance(t, ast.Name))})
    lines = text.splitlines()
    lines[stmt.end_lineno - 1] += "  # edited"
    return {f"{PACKAGE}.{module}": "\n".join(lines) + "\n"}


def modules_with_neighbours():
    by_module: dict[str, list] = {}
    for ex in lp.exercises():
        by_module.setdefault(type(ex).__module__.rsplit(".", 1)[-1], []).append(ex)
    return [(module, exs) for module, exs in by_module.items() if len(exs) > 1]


def test_editing_an_exercise_changes_its_hash_and_not_its_neighbours():
    noisy, gce = by_class("NoisyRisk"), by_class("GCEGradient")
    sources = edited("ex_noise", '"k": rng.choice([2, 3, 4, 5, 10])', '"k": rng.choice([2, 3, 4, 5])')
    assert content_hash(noisy, sources) != content_hash(noisy)
    assert content_hash(gce, sources) == content_hash(gce)


@pytest.mark.parametrize("module, exs", modules_with_neighbours(), ids=[m for m, _ in modules_with_neighbours()])
def test_in_every_module_an_edit_of_one_exercise_leaves_the_others_alone(module, exs):
    for ex in exs:
        sources = touched(module, type(ex).__name__)
        assert content_hash(ex, sources) != content_hash(ex), ex.id
        for other in exs:
            if other is not ex and not isinstance(other, type(ex)):
                assert content_hash(other, sources) == content_hash(other), f"editing {ex.id} changed {other.id}"


def test_adding_an_exercise_to_a_module_leaves_the_others_alone():
    text = source_of("ex_noise")
    new = ("\n\nclass Newcomer(NumericExercise):\n    id = 'noise.newcomer'\n\n\n")
    first = text.index("\nclass ")
    sources = {f"{PACKAGE}.ex_noise": text[:first] + new + text[first:] + new.replace("Newcomer", "Latecomer")}
    for ex in (by_class("NoisyRisk"), by_class("GCEGradient")):
        assert content_hash(ex, sources) == content_hash(ex)


def test_editing_a_helper_of_another_module_changes_the_hash_of_its_users_only():
    huber_min, poisson_grad = by_class("HuberMinimiser"), by_class("PoissonGrad")  # both in ex_likelihood
    sources = touched("ex_regression", "_clip")  # imported by ex_likelihood; only HuberMinimiser clips
    assert content_hash(huber_min, sources) != content_hash(huber_min)
    assert content_hash(poisson_grad, sources) == content_hash(poisson_grad)


def test_editing_a_function_reached_through_a_module_alias_changes_the_hash():
    poisson_grad, noisy = by_class("PoissonGrad"), by_class("NoisyRisk")
    sources = touched("_math", "poisson_nll_grad")  # called as M.poisson_nll_grad
    assert content_hash(poisson_grad, sources) != content_hash(poisson_grad)
    assert content_hash(noisy, sources) == content_hash(noisy)


def test_editing_a_module_constant_changes_the_hash_of_the_exercise_that_reads_it():
    stable_bce, bce_grad = by_class("StableBCEWithLogits"), by_class("BCEGrad")
    sources = edited("ex_probabilistic", '_BCE_LABELS = ("01", "pm1")', '_BCE_LABELS = ("pm1", "01")')
    assert content_hash(stable_bce, sources) != content_hash(stable_bce)
    assert content_hash(bce_grad, sources) == content_hash(bce_grad)


def test_editing_a_base_class_changes_the_hash_of_every_exercise_built_on_it_only():
    from lossref.practice._core import NumericExercise

    sources = touched("_core", "NumericExercise")
    changed = {ex.id for ex in lp.exercises() if content_hash(ex, sources) != content_hash(ex)}
    assert {ex.id for ex in lp.exercises() if isinstance(ex, NumericExercise)} <= changed
    assert lp.get("choose.regression").id not in changed  # a choice exercise: NumericExercise is not its


def test_the_hash_the_page_is_given_is_the_exercises():
    ex = lp.get("bce.grad")
    assert bridge.handle({"op": "problem", "exercise": ex.id, "seed": 0})["hash"] == content_hash(ex)
    assert {e["id"]: e["hash"] for e in bridge.catalogue()}[ex.id] == content_hash(ex)


def test_an_exercise_class_not_at_the_top_level_of_its_module_is_refused():
    def nested():
        class Hidden(type(lp.get("bce.grad"))):
            pass

        return Hidden()

    with pytest.raises(RuntimeError, match="must be defined at the top level"):
        content_hash(nested())
