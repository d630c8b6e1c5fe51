"""The practice engine: exercises that generate problems from a seed and check answers.

Pure Python (no NumPy): the same code runs in tests, at build time and in the browser (Pyodide,
where NumPy is not available offline).

An exercise is a generator plus a checker::

    problem = exercise.generate(seed)        # the same seed always gives the same problem
    verdict = exercise.check(problem, answer)
    verdict.correct, verdict.lead, verdict.detail, verdict.mistake

Numeric checkers compare within a stated tolerance and then against the exercise's catalogue of
usual wrong answers (the dropped 1/2, a log in the wrong base, a flipped sign, ...), so a wrong
answer is named, not just rejected.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["DEPTHS", "DEPTH_LABELS", "AnswerFormat", "Problem", "Verdict", "Solution", "Mistake", "Exercise",
           "NumericExercise", "ChoiceExercise", "CodeExercise", "CodeCase", "CodeTask"]

KINDS = ("number", "vector", "choice", "code")
# "apply": one step, a formula used once; "derive": a multi-step derivation (a minimiser, a Hessian,
# a gradient through a model), still checked by number or by code.
DEPTHS = ("apply", "derive")
DEPTH_LABELS = {"apply": "Exercise", "derive": "Derivation"}  # what a problem's heading calls it
# Numbers are accepted within 0.5% (relative) or 1e-4 (absolute): enough for an answer worked by
# hand to 3-4 significant digits, far below the gap between the right answer and the catalogued
# mistakes (factors of 2, log 10 / log 2, sign flips, ...), which generate() keeps apart.
RTOL, ATOL = 5e-3, 1e-4


@dataclass(frozen=True)
class AnswerFormat:
    """What the learner types: its kind, and how it is compared."""

    kind: str  # one of KINDS
    rtol: float = RTOL
    atol: float = ATOL
    length: int | None = None  # vector answers: how many numbers
    choices: tuple[tuple[str, str], ...] = ()  # choice answers: (key, text) pairs
    signature: str = ""  # code answers: the function to write, e.g. "def logsumexp(z):"
    starter: str = ""  # code answers: the code the editor starts with

    def describe(self) -> str:
        """How to answer, in one sentence for the learner."""
        if self.kind == "number":
            return f"Enter a number; answers within {self.rtol:.1%} (relative) or {self.atol:g} count as correct."
        if self.kind == "vector":
            return (f"Enter {self.length} numbers separated by commas; each within {self.rtol:.1%} (relative) "
                    f"or {self.atol:g}.")
        if self.kind == "choice":
            return "Choose one answer."
        return f"Write the function `{self.signature.strip()}`; hidden tests call it, extreme inputs included."


@dataclass(frozen=True)
class Problem:
    """One generated problem: the statement (Markdown with TeX), its parameters and the answer format."""

    exercise: str
    seed: int
    statement: str
    params: dict[str, Any]
    answer: AnswerFormat

    def to_dict(self) -> dict:
        return {"exercise": self.exercise, "seed": self.seed, "statement": self.statement,
                "params": self.params, "answer": {**self.answer.__dict__, "choices": list(self.answer.choices)},
                "instructions": self.answer.describe()}


@dataclass(frozen=True)
class Verdict:
    """The result of a check: right or not, what to tell the learner, the mistake recognised (if any).

    The learner reads ``lead``, the verdict in a short sentence ("Correct." or "Not correct.", from
    ``correct`` unless given), then ``detail`` (Markdown; may be empty): the mistake named, the case
    that failed, what to do. The page shows the two apart, so a detail never repeats the lead.
    """

    correct: bool
    detail: str = ""
    mistake: str | None = None
    lead: str = ""

    def __post_init__(self):
        if not self.lead:
            object.__setattr__(self, "lead", "Correct." if self.correct else "Not correct.")

    def to_dict(self) -> dict:
        return {"correct": self.correct, "lead": self.lead, "detail": self.detail, "mistake": self.mistake}


@dataclass(frozen=True)
class Solution:
    """Worked steps (Markdown with TeX) and the final answer, as the learner would enter it."""

    steps: tuple[str, ...]
    answer: Any

    def to_dict(self) -> dict:
        return {"steps": list(self.steps), "answer": self.answer}


@dataclass(frozen=True)
class Mistake:
    """A usual wrong answer: an id, the value it produces for a problem, and what to tell the learner."""

    id: str
    value: Any
    message: str


def _rng(exercise_id: str, seed: int, attempt: int = 0) -> random.Random:
    # A string seed is hashed with SHA-512 by random.Random: the same problem on every platform and
    # Python version, independent of PYTHONHASHSEED.
    return random.Random(f"{exercise_id}:{seed}:{attempt}")


class Exercise:
    """Base class of every exercise. Subclasses set the class attributes and implement the hooks."""

    id: str = ""
    skill: str = ""
    kind: str = ""
    title: str = ""
    depth: str = "apply"  # one of DEPTHS

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.id and cls.kind not in KINDS:
            raise TypeError(f"{cls.__name__}.kind must be one of {KINDS}; got {cls.kind!r}")
        if cls.depth not in DEPTHS:
            raise TypeError(f"{cls.__name__}.depth must be one of {DEPTHS}; got {cls.depth!r}")

    # ------------------------------------------------------------------ to implement
    def make_params(self, rng: random.Random) -> dict:
        """Draw the problem's parameters."""
        raise NotImplementedError

    def statement(self, params: dict) -> str:
        """The problem as Markdown with TeX math."""
        raise NotImplementedError

    def answer_format(self, params: dict) -> AnswerFormat:
        return AnswerFormat(self.kind)

    def hints(self, problem: Problem) -> list[str]:
        """Progressive hints, from a nudge to nearly the method."""
        raise NotImplementedError

    def solution(self, problem: Problem) -> Solution:
        raise NotImplementedError

    def check(self, problem: Problem, answer) -> Verdict:
        raise NotImplementedError

    # ------------------------------------------------------------------ provided
    def fixed_params(self, seed: int) -> dict | None:
        """Parameters for special seeds (the lesson's own numbers); None draws them."""
        return None

    def acceptable(self, params: dict) -> bool:
        """False makes generate() draw again (e.g. when a mistake would equal the answer)."""
        return True

    def generate(self, seed: int) -> Problem:
        """The problem for ``seed``: the same seed always gives the same problem."""
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
        params = self.fixed_params(seed)
        attempt = 0
        while params is None or not self.acceptable(params):
            if attempt >= 100:
                raise RuntimeError(f"{self.id}: no acceptable parameters after 100 draws for seed {seed}")
            params = self.make_params(_rng(self.id, seed, attempt))
            attempt += 1
        params = self.finish_params(dict(params), _rng(self.id, seed, -1))
        return Problem(self.id, seed, self.statement(params), params, self.answer_format(params))

    def finish_params(self, params: dict, rng: random.Random) -> dict:
        """Last touches drawn for every problem, fixed ones included (e.g. the order of choices)."""
        return params

    def variant(self, problem: Problem) -> str:
        """A short key of the task as the learner sees it: two problems with the same key are the same
        problem, whatever their seeds. The mastery model counts a skill as practised on different
        problems only when their keys differ. Here: a digest of the statement."""
        self._own(problem)
        return hashlib.sha256(problem.statement.encode("utf-8")).hexdigest()[:16]

    def _own(self, problem: Problem) -> None:
        if not isinstance(problem, Problem) or problem.exercise != self.id:
            raise ValueError(f"{self.id}.check needs a problem generated by {self.id}; got "
                             f"{getattr(problem, 'exercise', type(problem).__name__)!r}")

    def __repr__(self) -> str:
        return f"<exercise {self.id} ({self.kind}, skill {self.skill})>"


# ---------------------------------------------------------------------------------- numbers
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text) -> float:
    """A number typed by a learner: 0.27, -1.5e-3, 3/4, with a Unicode minus or a comma decimal."""
    if isinstance(text, bool):
        raise ValueError("a number is needed, not True/False")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        s = str(text).strip().replace("\u2212", "-").replace(" ", "")
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")  # 0,27
        if "/" in s:
            num, _, den = s.partition("/")
            if not (_NUMBER.match(num) and _NUMBER.match(den)):
                raise ValueError(f"could not read {text!r} as a number")
            if float(den) == 0:
                raise ValueError(f"{text!r} divides by zero")
            value = float(num) / float(den)
        elif _NUMBER.match(s):
            value = float(s)
        else:
            raise ValueError(f"could not read {text!r} as a number")
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def parse_vector(text, length: int) -> list[float]:
    """Numbers separated by commas, spaces or semicolons, optionally in brackets."""
    if isinstance(text, (list, tuple)):
        items = list(text)
    else:
        s = str(text).strip().strip("[]()")
        items = [part for part in re.split(r"[,;\s]+", s) if part]
    values = [parse_number(item) for item in items]
    if len(values) != length:
        raise ValueError(f"expected {length} numbers, got {len(values)}")
    return values


def close(a: float, b: float, rtol: float = RTOL, atol: float = ATOL) -> bool:
    return abs(a - b) <= atol + rtol * abs(b)


def same(answer, target, fmt: AnswerFormat) -> bool:
    if isinstance(target, (list, tuple)):
        return len(answer) == len(target) and all(close(a, t, fmt.rtol, fmt.atol) for a, t in zip(answer, target))
    return close(answer, target, fmt.rtol, fmt.atol)


_NEGATIVE_ZERO = re.compile(r"^-0(\.0*)?$")


def no_negative_zero(text: str) -> str:
    """A number already formatted, with the sign of a zero dropped: "-0", "-0.00" -> "0", "0.00"."""
    return text[1:] if _NEGATIVE_ZERO.match(text) else text


def fmt_number(x: float, digits: int = 4) -> str:
    """A number as a learner would write it: 4 significant digits, no exponent when avoidable, and
    never "-0" (a tiny negative number rounds to 0, without a sign)."""
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text and 1e-5 <= abs(x) < 1e6:
        text = f"{x:.{max(0, digits - 1 - int(math.floor(math.log10(abs(x)))))}f}"
    return no_negative_zero(text)


class NumericExercise(Exercise):
    """An exercise whose answer is a number (kind "number") or a list of numbers (kind "vector").

    Subclasses implement ``make_params``, ``statement``, ``correct(params)``, ``mistakes(params)``
    (the usual wrong answers), ``hints`` and ``steps(params)``.
    """

    kind = "number"

    def correct(self, params: dict):
        raise NotImplementedError

    def mistakes(self, params: dict) -> list[Mistake]:
        return []

    def steps(self, params: dict) -> list[str]:
        raise NotImplementedError

    def answer_format(self, params: dict) -> AnswerFormat:
        if self.kind == "vector":
            return AnswerFormat("vector", length=len(self.correct(params)))
        return AnswerFormat("number")

    def acceptable(self, params: dict) -> bool:
        """Every catalogued mistake must be told apart from the answer and from the other mistakes,
        at twice the tolerance, and every number must be finite."""
        fmt = self.answer_format(params)
        wide = AnswerFormat(fmt.kind, rtol=2 * fmt.rtol, atol=2 * fmt.atol, length=fmt.length)
        target = self.correct(params)
        values = [target] + [m.value for m in self.mistakes(params)]
        flat = [v for value in values for v in (value if isinstance(value, (list, tuple)) else [value])]
        if not all(math.isfinite(v) for v in flat):
            return False
        for i, a in enumerate(values):
            for b in values[i + 1:]:
                if same(a, b, wide):
                    return False
        return True

    def solution(self, problem: Problem) -> Solution:
        self._own(problem)
        target = self.correct(problem.params)
        shown = ", ".join(fmt_number(v) for v in target) if isinstance(target, (list, tuple)) else fmt_number(target)
        return Solution(tuple(self.steps(problem.params)), shown)

    def check(self, problem: Problem, answer) -> Verdict:
        self._own(problem)
        fmt = problem.answer
        try:
            value = parse_vector(answer, fmt.length) if fmt.kind == "vector" else parse_number(answer)
        except ValueError as exc:
            example = "0.25, -1.5, 3" if fmt.kind == "vector" else "-0.731"
            return Verdict(False, f"Your answer could not be read: {exc}. Write it like {example}.", "format")
        target = self.correct(problem.params)
        if same(value, target, fmt):
            return Verdict(True)
        for mistake in self.mistakes(problem.params):
            if same(value, mistake.value, fmt):
                return Verdict(False, mistake.message, mistake.id)
        return Verdict(False, self.generic_feedback(problem, value))

    def generic_feedback(self, problem: Problem, value) -> str:
        target = self.correct(problem.params)
        if not isinstance(target, (list, tuple)) and target != 0 and value != 0 and (value > 0) != (target > 0):
            return "The sign is wrong too. Ask for a hint."
        return "Check each step, or ask for a hint."


# ---------------------------------------------------------------------------------- choice
class ChoiceExercise(Exercise):
    """Multiple choice. ``options(params)`` gives (text, mistake id or None, feedback) rows; the row
    whose mistake id is None is the right answer. The rows are shown in an order drawn per problem,
    keyed "a", "b", "c", ...
    """

    kind = "choice"

    def options(self, params: dict) -> list[tuple[str, str | None, str]]:
        raise NotImplementedError

    def steps(self, params: dict) -> list[str]:
        raise NotImplementedError

    def finish_params(self, params: dict, rng: random.Random) -> dict:
        order = list(range(len(self.options(params))))
        rng.shuffle(order)
        params["order"] = order
        return params

    def shown(self, params: dict) -> list[tuple[str, str, str | None, str]]:
        """The options as shown: (key, text, mistake id or None, feedback)."""
        rows = self.options(params)
        return [(chr(ord("a") + i), *rows[j]) for i, j in enumerate(params["order"])]

    def answer_format(self, params: dict) -> AnswerFormat:
        return AnswerFormat("choice", choices=tuple((key, text) for key, text, _, _ in self.shown(params)))

    def _right(self, params):
        right = [row for row in self.shown(params) if row[2] is None]
        if len(right) != 1:
            raise RuntimeError(f"{self.id}: exactly one option must be right; got {len(right)}")
        return right[0]

    def solution(self, problem: Problem) -> Solution:
        self._own(problem)
        return Solution(tuple(self.steps(problem.params)), self._right(problem.params)[0])

    def check(self, problem: Problem, answer) -> Verdict:
        self._own(problem)
        rows = self.shown(problem.params)
        key = str(answer).strip().lower()
        for row_key, _, mistake, feedback in rows:
            if key == row_key:
                return Verdict(mistake is None, feedback, mistake)
        keys = ", ".join(row[0] for row in rows)
        return Verdict(False, f"Choose one of {keys}; got {answer!r}.", "format")


# ---------------------------------------------------------------------------------- code
@dataclass(frozen=True)
class CodeCase:
    """One hidden test: arguments, the expected value, what the case is, and whether it is extreme."""

    args: tuple
    expected: Any
    description: str
    extreme: bool = False


@dataclass(frozen=True)
class CodeTask:
    """The function a code problem asks for: its name, its signature, the code the editor starts
    with, and a working solution (shown as the solution)."""

    function: str
    signature: str
    starter: str
    reference: str


class CodeExercise(Exercise):
    """The learner writes a function; hidden tests, extreme inputs included, check it.

    A subclass either sets ``function``, ``signature``, ``starter`` and ``reference`` (one task for
    every seed) or implements ``task(params)``: the task drawn for the problem (a convention, a
    parameter, another function to write). ``task_keys`` names the parameters that change the
    function to write: two problems with the same values there are the same task. It implements
    ``cases(params)``, and ``known_wrong(params)``: wrong programs and the mistake the checker must
    name for each, which the tests run and which ``diagnose`` also runs to name a learner's mistake
    (a wrong result equal to a known wrong program's on the failing case is that mistake, explained
    by ``mistake_messages``).
    """

    kind = "code"
    function: str = ""
    signature: str = ""
    starter: str = ""
    reference: str = ""
    task_keys: tuple[str, ...] = ()
    #: mistake id -> message; ``{where}`` is "For <case> your function returned <value>", ``{expected}``
    #: the expected value, and the problem's parameters are available by name.
    mistake_messages: dict[str, str] = {}
    rtol: float = 1e-6
    atol: float = 1e-9

    def make_params(self, rng: random.Random) -> dict:
        return {"shift": round(rng.uniform(-2.0, 2.0), 2)}

    def task(self, params: dict) -> CodeTask:
        """The function this problem asks for."""
        return CodeTask(self.function, self.signature, self.starter, self.reference)

    def known_wrong(self, params: dict) -> list[tuple[str, str | None]]:
        """Wrong programs for this problem and the mistake id the checker must name for each (None:
        rejected, unnamed; "unstable": fails only at extreme inputs)."""
        return []

    def variant(self, problem: Problem) -> str:
        """The task as a key: the parameters in ``task_keys`` (the hidden tests' own draws aside)."""
        self._own(problem)
        if not self.task_keys:
            return super().variant(problem)
        return ",".join(f"{key}={problem.params[key]!r}" for key in self.task_keys)

    def mistake_message(self, params: dict, mistake: str) -> str | None:
        """The message that explains ``mistake`` (a template, see ``mistake_messages``)."""
        return self.mistake_messages.get(mistake)

    def answer_format(self, params: dict) -> AnswerFormat:
        task = self.task(params)
        return AnswerFormat("code", rtol=self.rtol, atol=self.atol, signature=task.signature, starter=task.starter)

    def cases(self, params: dict) -> list[CodeCase]:
        raise NotImplementedError

    def steps(self, params: dict) -> list[str]:
        raise NotImplementedError

    def diagnose(self, params: dict, case: CodeCase, got) -> tuple[str | None, str]:
        """Name the mistake a wrong result on ``case`` shows: (mistake id or None, message)."""
        where = f"For {case.description} your function returned {_show(got)}"
        if _nonfinite(got) and case.extreme:
            return "unstable", f"{where}: the formula overflows in floating point. Rewrite it in a stable form."
        function = self.task(params).function
        for source, mistake in self.known_wrong(params):
            template = self.mistake_message(params, mistake) if mistake not in (None, "unstable") else None
            if template is None:
                continue
            wrong = _run(source, function, case.args)
            if wrong is not _FAILED and _matches(got, wrong, self.rtol, self.atol):
                return mistake, template.format(**params, where=where, expected=_show(case.expected))
        return None, f"{where}; expected {_show(case.expected)}."

    def solution(self, problem: Problem) -> Solution:
        self._own(problem)
        return Solution(tuple(self.steps(problem.params)), self.task(problem.params).reference)

    def check(self, problem: Problem, answer) -> Verdict:
        self._own(problem)
        task = self.task(problem.params)
        namespace = {"__name__": "learner", "math": math}
        try:
            code = compile(str(answer), "<your code>", "exec")
        except SyntaxError as exc:
            return Verdict(False, f"Your code has a syntax error on line {exc.lineno}: {exc.msg}.", "syntax")
        try:
            exec(code, namespace)  # the learner's own code, in the learner's own browser tab
        except LEARNER_ERRORS as exc:  # any error in learner code is feedback
            return Verdict(False, f"Running your code raised {raised(exc)}.", "error")
        fn = namespace.get(task.function)
        if not callable(fn):
            return Verdict(False, f"Define a function named {task.function}: {task.signature.strip()}", "missing")
        cases = self.cases(problem.params)
        for case in cases:
            try:
                got = fn(*_copy(case.args))
            except LEARNER_ERRORS as exc:  # any error in learner code is feedback
                # An arithmetic error at an extreme input (math.log(0), math.exp(1000), 1/0) is a formula
                # that is not stable there; the exception's text differs between Python versions.
                if case.extreme and isinstance(exc, (OverflowError, ZeroDivisionError, ValueError)):
                    return Verdict(False, f"For {case.description} your function raised {type(exc).__name__}: {exc}. "
                                          "In floating point the formula overflows or takes the log of 0 there: "
                                          "rewrite it in a stable form.", "unstable")
                return Verdict(False, f"For {case.description} your function raised {raised(exc)}.", "error")
            if not _matches(got, case.expected, self.rtol, self.atol):
                mistake, message = self.diagnose(problem.params, case, got)
                return Verdict(False, message, mistake)
        return Verdict(True, f"Your function passes all {len(cases)} hidden tests.")


# What a learner's code may raise: any Exception, and also the two BaseExceptions a program can
# raise on its own, SystemExit (exit(), sys.exit()) and KeyboardInterrupt. Uncaught, those would
# not be feedback but the end of the check (and, in the browser, of the worker's request).
LEARNER_ERRORS = (Exception, SystemExit, KeyboardInterrupt)


def raised(exc: BaseException) -> str:
    """What a learner's code raised, for a message: the exception's type and its text."""
    if isinstance(exc, SystemExit):
        return ("SystemExit: your code calls exit() or sys.exit(), which would stop Python. The hidden tests "
                "call your function: let it return its value, and leave out the exit")
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_FAILED = object()
_COMPILED: dict[tuple[str, str], Any] = {}


def _run(source: str, function: str, args: tuple):
    """What a known wrong program returns for ``args`` (compiled once), or _FAILED if it raises."""
    key = (source, function)
    if key not in _COMPILED:
        namespace = {"__name__": "known_wrong", "math": math}
        exec(compile(source, "<known wrong program>", "exec"), namespace)  # the exercise's own programs
        _COMPILED[key] = namespace[function]
    try:
        return _COMPILED[key](*_copy(args))
    except Exception:  # noqa: BLE001  (a wrong program may fail where the learner's did not)
        return _FAILED


def _copy(args: tuple) -> tuple:
    """The arguments with their lists copied (nested ones too): a function that changes its input
    changes no hidden test."""
    return tuple(_deep(a) for a in args)


def _deep(x):
    return [_deep(v) for v in x] if isinstance(x, list) else x


def _nonfinite(x) -> bool:
    try:
        if isinstance(x, (list, tuple)):
            return any(not math.isfinite(float(v)) for v in x)
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _show(x) -> str:
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in x) + "]"
    if isinstance(x, float):
        return repr(x) if not math.isfinite(x) else f"{x:.6g}"
    return repr(x)


def _matches(got, expected, rtol, atol) -> bool:
    try:
        if isinstance(expected, (list, tuple)):
            got = list(got)
            return len(got) == len(expected) and all(_matches(g, e, rtol, atol) for g, e in zip(got, expected))
        g = float(got)
    except (TypeError, ValueError):
        return False
    return math.isfinite(g) and abs(g - expected) <= atol + rtol * abs(expected)

