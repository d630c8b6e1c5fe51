"""The course's sessions, 0 to 6, and the skills each one trains."""

from __future__ import annotations

from dataclasses import dataclass

from ._registry import exercises

# Each exercise module belongs to one session (the design's curriculum).
MODULE_SESSION = {
    "ex_prerequisites": 0,
    "ex_risk": 1,
    "ex_regression": 2,
    "ex_probabilistic": 3,
    "ex_stability": 3,
    "ex_margin": 4,
    "ex_custom": 5,
    "ex_choosing": 6,
}
TITLES = (
    "Prerequisites: logarithms, the chain rule, sigmoid and softmax, entropy and KL",
    "Loss, risk and metric",
    "Regression losses",
    "Probabilistic classification and numerical stability",
    "Margin losses",
    "Custom losses",
    "Choosing a loss",
)


@dataclass(frozen=True)
class Session:
    """A session of the course: its number, title and the skills it trains, in course order."""

    number: int
    title: str
    skills: tuple[str, ...]


def session_of(exercise) -> int:
    """The session an exercise belongs to, from the module that defines it."""
    module = type(exercise).__module__.rsplit(".", 1)[-1]
    try:
        return MODULE_SESSION[module]
    except KeyError:
        raise RuntimeError(f"exercise {exercise.id!r} is defined in {module!r}, which no session lists") from None


def sessions() -> list[Session]:
    """Sessions 0 to 6. A skill belongs to the first session whose exercises train it."""
    skills: list[list[str]] = [[] for _ in TITLES]
    seen: set[str] = set()
    for ex in exercises():
        if ex.skill not in seen:
            seen.add(ex.skill)
            skills[session_of(ex)].append(ex.skill)
    return [Session(number, title, tuple(skills[number])) for number, title in enumerate(TITLES)]
