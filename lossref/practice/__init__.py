"""Exercises on loss functions: generated from a seed, checked with a diagnosis of the mistake.

Pure Python: ``import lossref.practice`` does not import NumPy, so the same exercises run in
the tests, at build time and in the browser (Pyodide).

>>> import lossref.practice as lp
>>> ex = lp.get("bce.grad")
>>> problem = ex.generate(0)                  # the lesson's example: y = 1, z = -1
>>> ex.check(problem, "-0.7311").correct
True
>>> ex.check(problem, "0.7311").mistake       # prediction minus truth, not the reverse
'sign_flipped'
"""

from __future__ import annotations

from ._core import AnswerFormat, CodeCase, Exercise, Mistake, Problem, Solution, Verdict
from ._mastery import Progress
from ._registry import exercises, get, skills
from ._sessions import Session, sessions

__all__ = ["exercises", "get", "skills", "sessions", "Session", "Progress", "Exercise", "Problem", "Verdict",
           "Solution", "AnswerFormat", "Mistake", "CodeCase"]
