"""Every exercise, in course order."""

from __future__ import annotations

import importlib
import pkgutil

from ._core import Exercise

# The exercise modules in course order (each belongs to one session: _sessions.MODULE_SESSION);
# each defines EXERCISES. A name here that is no module of the package stops the import; a module
# ex_*.py that is not listed here fails tests/practice/test_registry.py (so that a module being
# written does not break the package before it is ready to be listed).
MODULES = ("ex_prerequisites", "ex_risk", "ex_risk_derivations", "ex_regression", "ex_regression_derivations",
           "ex_likelihood", "ex_probabilistic", "ex_probabilistic_derivations", "ex_stability",
           "ex_stability_derivations", "ex_margin", "ex_margin_derivations", "ex_custom", "ex_custom_derivations",
           "ex_metric_surrogates", "ex_calibration", "ex_choosing", "ex_decisions", "ex_noise",
           "ex_sequences", "ex_embeddings")


def module_files() -> list[str]:
    """The exercise modules the package has (its files ``ex_*.py``), sorted by name."""
    package = importlib.import_module(__package__)
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("ex_"))


def _import(name: str):
    try:
        return importlib.import_module(f".{name}", __package__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{name}":
            raise  # the module exists and imports something missing: that error is the one to see
        raise ImportError(f"{__name__}.MODULES lists {name!r}, which is not a module of {__package__}; "
                          f"its exercise modules are: {', '.join(module_files())}") from None


def _load(modules: tuple[str, ...] = MODULES) -> dict[str, Exercise]:
    found: dict[str, Exercise] = {}
    for name in modules:
        for exercise in _import(name).EXERCISES:
            if exercise.id in found:
                raise RuntimeError(f"two exercises have the id {exercise.id!r}")
            found[exercise.id] = exercise
    return found


_EXERCISES = _load()


def exercises(skill: str | None = None) -> list[Exercise]:
    """Every exercise in course order; ``skill`` keeps those that train it."""
    return [ex for ex in _EXERCISES.values() if skill is None or ex.skill == skill]


def skills() -> list[str]:
    """Every skill that an exercise trains, in course order."""
    return list(dict.fromkeys(ex.skill for ex in _EXERCISES.values()))


def get(exercise_id: str) -> Exercise:
    """The exercise with this id."""
    try:
        return _EXERCISES[exercise_id]
    except KeyError:
        raise KeyError(f"no exercise {exercise_id!r}; see lossref.practice.exercises()") from None
