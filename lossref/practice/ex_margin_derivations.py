"""Derivations of session 6: the score that minimises a margin loss's conditional risk, the
classification-calibration test phi'(0) < 0 for convex margin losses, and the hinge subgradient of a
linear model over a batch."""

from __future__ import annotations

import math

from ._core import ChoiceExercise, Mistake, NumericExercise, fmt_number as f

__all__ = ["MarginMinimiser", "CalibrationSlope", "CalibrationTest", "HingeBatchSubgradient"]


def _d(x: float) -> str:
    """A drawn number with one decimal, never "-0.0"."""
    return f"{x + 0.0:.1f}" if round(x, 1) != 0 else "0.0"


def _g(x: float) -> str:
    """A drawn parameter as written: 0.5, 2, never "-0"."""
    return f"{x + 0.0:g}" if x != 0 else "0"


def _times(a: float) -> str:
    """The coefficient of m as written before it: "" for 1, "0.5 " for 0.5."""
    return "" if a == 1 else f"{_g(a)} "


def _vec(values) -> str:
    return "(" + ", ".join(f(v) for v in values) + ")"


def _logit(eta: float) -> float:
    return math.log(eta / (1 - eta))


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0


# ---------------------------------------------------------------------------------- minimisers
# Each margin loss phi(m), m = y s: its TeX and the minimiser of C(s) = eta phi(s) + (1 - eta) phi(-s).
_LOSSES = {
    "logistic": (lambda b: rf"\varphi(m) = \log(1 + e^{{-{_times(b)}m}})",
                 lambda eta, b: _logit(eta) / b),
    "exponential": (lambda b: rf"\varphi(m) = e^{{-{_times(b)}m}}",
                    lambda eta, b: _logit(eta) / (2 * b)),
    "hinge": (lambda b: r"\varphi(m) = \max(0,\ 1 - m)", lambda eta, b: _sign(2 * eta - 1)),
    "squared_hinge": (lambda b: r"\varphi(m) = \max(0,\ 1 - m)^2", lambda eta, b: 2 * eta - 1),
    "squared": (lambda b: r"\varphi(m) = (1 - m)^2", lambda eta, b: 2 * eta - 1),
}
_NAMES = {"logistic": "logistic loss", "exponential": "exponential loss", "hinge": "hinge",
          "squared_hinge": "squared hinge", "squared": "squared loss"}


class MarginMinimiser(NumericExercise):
    """The population minimiser of a margin loss at an input where P(y = +1 | x) = eta.

    logistic log(1 + e^{-b m}): log(eta/(1 - eta)) / b; exponential e^{-b m}: log(eta/(1 - eta)) / (2b);
    hinge: sign(2 eta - 1); squared hinge and squared loss: 2 eta - 1.
    """

    id = "margin.population_minimiser"
    skill = "margin.minimiser"
    title = "The score that minimises a margin loss's risk"
    depth = "derive"

    def make_params(self, rng):
        loss = rng.choice(sorted(_LOSSES))
        scale = rng.choice([1.0, 1.0, 2.0, 0.5]) if loss in ("logistic", "exponential") else 1.0
        eta = rng.choice([0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9])
        return {"loss": loss, "b": scale, "eta": eta}

    def statement(self, p):
        return (f"A margin classifier is trained with the {_NAMES[p['loss']]} $L(y, s) = \\varphi(ys)$, "
                f"${_LOSSES[p['loss']][0](p['b'])}$, on labels $y \\in \\{{-1, +1\\}}$. At an input $x$ the label is "
                f"$+1$ with probability $\\eta = {p['eta']:g}$. Which score $s$ minimises the expected loss "
                r"$C_\eta(s) = \eta\, \varphi(s) + (1 - \eta)\, \varphi(-s)$?"
                + (" (Natural logarithm.)" if p["loss"] in ("logistic", "exponential") else ""))

    def correct(self, p):
        return _LOSSES[p["loss"]][1](p["eta"], p["b"])

    def mistakes(self, p):
        eta, b, loss = p["eta"], p["b"], p["loss"]
        found = [Mistake("sign_flipped", -self.correct(p),
                         "The sign is flipped: with $\\eta > 1/2$ the label $+1$ is the likelier, and the best score "
                         "is positive; with $\\eta < 1/2$ it is negative.")]
        if loss in ("logistic", "exponential"):
            found.append(Mistake("probability_not_score", eta,
                                 "That is $\\eta$ itself, a probability; the minimiser is a score, found by setting "
                                 "$C_\\eta'(s) = 0$."))
            if loss == "logistic":
                found.append(Mistake("half_log_odds", _logit(eta) / (2 * b),
                                     "That is half the log-odds, the exponential loss's minimiser. For the logistic "
                                     "loss $C_\\eta'(s) = 0$ gives $\\sigma(b s) = \\eta$, so $s = \\frac{1}{b}"
                                     "\\log\\frac{\\eta}{1 - \\eta}$."))
            else:
                found.append(Mistake("log_odds", _logit(eta) / b,
                                     "That is the logistic loss's minimiser. For $e^{-bm}$, $C_\\eta'(s) = 0$ gives "
                                     "$\\eta e^{-bs} = (1 - \\eta) e^{bs}$, so $e^{2bs} = \\eta/(1 - \\eta)$: the factor "
                                     "is $\\frac{1}{2b}$."))
            if b != 1:
                found.append(Mistake("forgot_scale", self.correct(p) * b,
                                     f"The scale $b = {_g(b)}$ of the margin is missing: $\\varphi$ depends on $s$ "
                                     "through $b s$, so the best $b s$ is the unscaled answer, and $s$ is that "
                                     "divided by $b$."))
        elif loss == "hinge":
            found.append(Mistake("squared_hinge_answer", 2 * eta - 1,
                                 "That is $2\\eta - 1$, the squared hinge's minimiser. The hinge's conditional risk "
                                 "is piecewise linear in $s$, and its minimum sits at a kink: $s = 1$ or $s = -1$."))
            found.append(Mistake("log_odds", _logit(eta),
                                 "That is the log-odds, the logistic loss's minimiser. The hinge's conditional risk "
                                 "is piecewise linear, with its minimum at $s = \\pm 1$."))
        else:
            found.append(Mistake("hinge_answer", _sign(2 * eta - 1),
                                 "That is the hinge's minimiser, $\\pm 1$. Here $\\varphi$ is quadratic on the "
                                 "relevant range, and $C_\\eta'(s) = 0$ gives $s = 2\\eta - 1$, strictly between "
                                 "$-1$ and 1."))
            found.append(Mistake("log_odds", _logit(eta),
                                 "That is the log-odds, the logistic loss's minimiser; solve $C_\\eta'(s) = 0$ for "
                                 "this $\\varphi$."))
            found.append(Mistake("probability_not_score", eta,
                                 "That is $\\eta$ itself; the minimiser of the quadratic conditional risk is "
                                 "$2\\eta - 1$."))
        return found

    def hints(self, problem):
        loss = problem.params["loss"]
        first = (r"$C_\eta(s) = \eta\, \varphi(s) + (1 - \eta)\, \varphi(-s)$: the label $+1$ gives the margin $s$, "
                 r"the label $-1$ the margin $-s$.")
        if loss == "hinge":
            return [first,
                    r"On $-1 \le s \le 1$ both hinges are active: $C_\eta(s) = \eta(1 - s) + (1 - \eta)(1 + s)$, a "
                    r"line of slope $1 - 2\eta$. Outside that interval $C_\eta$ only grows.",
                    r"A line is smallest at an end of its interval: $s = 1$ if $\eta > 1/2$, $s = -1$ if $\eta < 1/2$."]
        if loss in ("squared_hinge", "squared"):
            return [first,
                    r"For $-1 \le s \le 1$: $C_\eta(s) = \eta(1 - s)^2 + (1 - \eta)(1 + s)^2$ (the same for both "
                    r"losses there), and $C_\eta'(s) = -2\eta(1 - s) + 2(1 - \eta)(1 + s)$.",
                    r"$C_\eta'(s) = 0$ gives $s = 2\eta - 1$, which lies in $[-1, 1]$: that is the minimum "
                    r"($C_\eta$ is convex)."]
        if loss == "logistic":
            return [first,
                    r"$\frac{d}{ds}\log(1 + e^{-bs}) = -b\,\sigma(-bs)$, so "
                    r"$C_\eta'(s) = -b\,\eta\, \sigma(-bs) + b(1 - \eta)\, \sigma(bs)$.",
                    r"$C_\eta'(s) = 0$ gives $\sigma(bs) = \eta$: $bs$ is the log-odds $\log\frac{\eta}{1 - \eta}$."]
        return [first,
                r"$C_\eta'(s) = -b\,\eta\, e^{-bs} + b(1 - \eta)\, e^{bs}$.",
                r"$C_\eta'(s) = 0$ gives $e^{2bs} = \frac{\eta}{1 - \eta}$, so $s = \frac{1}{2b}\log\frac{\eta}{1 - \eta}$."]

    def steps(self, p):
        eta, b, loss = p["eta"], p["b"], p["loss"]
        answer = f(self.correct(p))
        if loss == "hinge":
            return [rf"On $[-1, 1]$, $C_\eta(s) = 1 + (1 - 2\eta)s$ with slope $1 - 2\eta = {f(1 - 2 * eta)}$.",
                    rf"The slope is {'negative' if eta > 0.5 else 'positive'}, so the minimum is at $s = {answer}$."]
        if loss in ("squared_hinge", "squared"):
            return [r"$C_\eta'(s) = -2\eta(1 - s) + 2(1 - \eta)(1 + s) = 2(s - (2\eta - 1))$ on $[-1, 1]$.",
                    rf"$s^\star = 2\eta - 1 = 2 \times {eta:g} - 1 = {answer}$."]
        logit = _logit(eta)
        factor = _g(b) if loss == "logistic" else f"(2 \\times {_g(b)})"
        return [r"Set $C_\eta'(s) = 0$: " + (r"$\sigma(bs) = \eta$." if loss == "logistic" else
                                              r"$e^{2bs} = \eta/(1 - \eta)$."),
                rf"$\log\frac{{\eta}}{{1 - \eta}} = \log\frac{{{eta:g}}}{{{f(1 - eta)}}} \approx {f(logit)}$.",
                rf"With $b = {_g(b)}$: $s^\star = {f(logit)} / {factor} \approx {answer}$."]


# ---------------------------------------------------------------------------------- calibration
# Convex margin losses phi drawn from families: (TeX of phi, phi'(0) or None where phi has a kink at 0,
# how phi'(0) follows).
def _family(kind: str, a: float):
    if kind == "shifted_hinge":  # max(0, a - m), a > 0: linear at 0
        return rf"\max(0,\ {_g(a)} - m)", -1.0, rf"Near $m = 0$ we have ${_g(a)} - m > 0$, so $\varphi(m) = {_g(a)} - m$ and $\varphi'(0) = -1$."
    if kind == "perceptron":  # max(0, -m): the kink sits at 0
        return r"\max(0,\ -m)", None, (r"$\varphi$ has a kink at $m = 0$: slope $-1$ on the left, 0 on the right, so "
                                       r"$\varphi'(0)$ does not exist.")
    if kind == "late_hinge":  # max(0, m - a), a > 0: flat at 0, rises for m > a
        return rf"\max(0,\ m - {_g(a)})", 0.0, rf"Near $m = 0$ we have $m - {_g(a)} < 0$, so $\varphi = 0$ there and $\varphi'(0) = 0$."
    if kind == "rising_hinge":  # max(0, a + m): slope +1 at 0
        return rf"\max(0,\ {_g(a)} + m)", 1.0, rf"Near $m = 0$, $\varphi(m) = {_g(a)} + m$, so $\varphi'(0) = +1$."
    if kind == "exponential":
        return (rf"e^{{-{_times(a)}m}}", -a,
                rf"$\varphi'(m) = -{_times(a)}e^{{-{_times(a)}m}}$, so $\varphi'(0) = {f(-a)}$.")
    if kind == "rising_exponential":
        return (rf"e^{{{_times(a)}m}}", a,
                rf"$\varphi'(m) = {_times(a)}e^{{{_times(a)}m}}$, so $\varphi'(0) = {f(a)}$.")
    if kind == "logistic":
        return (rf"\log(1 + e^{{-{_times(a)}m}})", -a / 2,
                rf"$\varphi'(m) = -{_times(a)}\sigma(-{_times(a)}m)$ and $\sigma(0) = 1/2$, so "
                rf"$\varphi'(0) = {f(-a / 2)}$.")
    if kind == "squared":
        return rf"({_g(a)} - m)^2", -2 * a, rf"$\varphi'(m) = -2({_g(a)} - m)$, so $\varphi'(0) = {f(-2 * a)}$."
    if kind == "squared_zero":
        return r"m^2", 0.0, r"$\varphi'(m) = 2m$, so $\varphi'(0) = 0$."
    if kind == "squared_hinge":
        return (rf"\max(0,\ {_g(a)} - m)^2", -2 * a,
                rf"Near $m = 0$, $\varphi(m) = ({_g(a)} - m)^2$, so $\varphi'(0) = -2 \times {_g(a)} = {f(-2 * a)}$.")
    if kind == "squared_hinge_zero":
        return (r"\max(0,\ -m)^2", 0.0,
                r"$\varphi(m) = m^2$ for $m < 0$ and 0 for $m \ge 0$: both sides have slope 0 at $m = 0$, so "
                r"$\varphi$ is differentiable there with $\varphi'(0) = 0$.")
    raise ValueError(f"unknown family {kind!r}")


_CALIBRATED = ("shifted_hinge", "exponential", "logistic", "squared", "squared_hinge")
_NOT_CALIBRATED = ("perceptron", "late_hinge", "rising_hinge", "rising_exponential", "squared_zero",
                   "squared_hinge_zero")
_SMOOTH = ("exponential", "logistic", "squared", "squared_hinge", "shifted_hinge", "rising_exponential")


class CalibrationSlope(NumericExercise):
    """phi'(0) of a convex margin loss, the number the classification-calibration test reads."""

    id = "margin.calibration_slope"
    skill = "margin.calibration"
    title = "The slope at 0 of a margin loss"
    depth = "derive"

    def make_params(self, rng):
        kind = rng.choice(_SMOOTH)
        a = rng.choice([0.5, 1.0, 1.5, 2.0, 3.0])
        return {"kind": kind, "a": a}

    def statement(self, p):
        tex, _, _ = _family(p["kind"], p["a"])
        return (f"A margin loss $L(y, s) = \\varphi(ys)$ has $\\varphi(m) = {tex}$, a convex function. For a convex "
                r"$\varphi$, the loss is classification-calibrated exactly when $\varphi$ is differentiable at 0 with "
                r"$\varphi'(0) < 0$. Compute $\varphi'(0)$.")

    def correct(self, p):
        return _family(p["kind"], p["a"])[1]

    def mistakes(self, p):
        kind, a = p["kind"], p["a"]
        value = self.correct(p)
        found = [Mistake("sign_flipped", -value,
                         "The sign is flipped: differentiate the inner function of $m$ too (the derivative of "
                         "$-a m$ is $-a$, that of $a - m$ is $-1$).")]
        if kind == "logistic":
            found.append(Mistake("forgot_half", -a, "The factor $\\sigma(0) = 1/2$ is missing: "
                                                    "$\\frac{d}{dm}\\log(1 + e^{-am}) = -a\\, e^{-am}/(1 + e^{-am})$, "
                                                    "which is $-a/2$ at $m = 0$."))
        if kind in ("logistic", "exponential") and a != 1:
            found.append(Mistake("forgot_chain_factor", value / a,
                                 f"The factor ${_g(a)}$ from the chain rule is missing: $\\varphi$ depends on $m$ "
                                 f"through ${_g(a)} m$."))
        if kind in ("squared", "squared_hinge"):
            found.append(Mistake("dropped_two", value / 2, "The 2 of the power rule is missing: "
                                                           "$\\frac{d}{dm}(a - m)^2 = -2(a - m)$."))
            found.append(Mistake("value_not_slope", a * a, "That is $\\varphi(0) = a^2$, the value; the test reads "
                                                           "the slope $\\varphi'(0)$."))
        if kind == "exponential":
            found.append(Mistake("value_not_slope", 1.0, "That is $\\varphi(0) = e^0 = 1$, the value; the test reads "
                                                         "the slope $\\varphi'(0)$."))
        if kind == "shifted_hinge":
            found.append(Mistake("value_not_slope", a, f"That is $\\varphi(0) = {_g(a)}$, the value; the test "
                                                       "reads the slope $\\varphi'(0)$."))
        return found

    def hints(self, problem):
        return [
            r"Differentiate $\varphi$ in $m$ (the chain rule for an inner $a m$), then set $m = 0$.",
            r"For a max, find which piece is active near $m = 0$ and differentiate that piece.",
        ]

    def steps(self, p):
        _, value, why = _family(p["kind"], p["a"])
        verdict = "negative: the loss is calibrated" if value < 0 else "not negative: the loss is not calibrated"
        return [why, f"$\\varphi'(0) = {f(value)}$ is {verdict}."]


class CalibrationTest(ChoiceExercise):
    """Is a convex margin loss classification-calibrated? Bartlett, Jordan and McAuliffe (2006): for convex
    phi, exactly when phi is differentiable at 0 with phi'(0) < 0."""

    id = "margin.calibration_test"
    skill = "margin.calibration"
    title = "Is a convex margin loss classification-calibrated?"
    depth = "derive"

    def make_params(self, rng):
        kind = rng.choice(_CALIBRATED if rng.random() < 0.5 else _NOT_CALIBRATED)
        return {"kind": kind, "a": rng.choice([0.5, 1.0, 2.0, 3.0])}

    def statement(self, p):
        tex, _, _ = _family(p["kind"], p["a"])
        return (f"A binary classifier is trained with the margin loss $L(y, s) = \\varphi(ys)$, "
                f"$\\varphi(m) = {tex}$, on labels $y \\in \\{{-1, +1\\}}$. This $\\varphi$ is convex. Is the loss "
                "classification-calibrated (does minimising its conditional risk give the Bayes classifier's sign "
                "for every $\\eta = P(y = +1 \\mid x) \\ne 1/2$)?")

    def options(self, p):
        _, slope, why = _family(p["kind"], p["a"])
        calibrated = slope is not None and slope < 0
        kink = slope is None
        right = why  # the page says "Correct." before it
        if calibrated:
            not_for_that = (f"The loss is calibrated, but not for that reason: {why} A negative slope at 0 is what "
                            "makes it calibrated.")
        else:
            not_for_that = f"The loss is not calibrated, but not for that reason: {why}"
        return [
            ("Calibrated: $\\varphi$ is differentiable at 0 and $\\varphi'(0) < 0$.",
             None if calibrated else ("missed_kink" if kink else "slope_sign"),
             right if calibrated else
             (f"{why} Without a derivative at 0 the test fails: this loss is not calibrated." if kink else
              f"{why} The slope at 0 must be negative, so the loss is not calibrated.")),
            ("Not calibrated: $\\varphi$ is differentiable at 0 but $\\varphi'(0) \\ge 0$.",
             None if (not calibrated and not kink) else ("missed_kink" if kink else "slope_sign"),
             right if (not calibrated and not kink) else
             (not_for_that + " There is no derivative at 0." if kink else
              f"{why} The slope is negative, so the loss is calibrated.")),
            ("Not calibrated: $\\varphi$ is not differentiable at 0.",
             None if kink else "kink_misplaced",
             right if kink else
             (f"{why} $\\varphi$ is differentiable at 0: read the sign of $\\varphi'(0)$. The loss is calibrated."
              if calibrated else not_for_that + " $\\varphi$ is differentiable at 0, and the slope is not negative.")),
            ("Calibrated: every convex margin loss is.",
             "convexity_is_enough",
             (not_for_that + " Convexity is the theorem's condition, not its conclusion." if calibrated else
              "Convexity is the theorem's condition, not its conclusion: for a convex $\\varphi$ the loss is "
              f"calibrated only if $\\varphi'(0)$ exists and is negative. {why}")),
        ]

    def hints(self, problem):
        return [
            r"The theorem (Bartlett, Jordan and McAuliffe, 2006) applies to convex $\varphi$: the loss is "
            r"classification-calibrated if and only if $\varphi$ is differentiable at 0 and $\varphi'(0) < 0$.",
            r"First check for a kink at $m = 0$ (a max whose pieces meet there). Where there is none, compute "
            r"$\varphi'(0)$ and read its sign.",
        ]

    def steps(self, p):
        _, slope, why = _family(p["kind"], p["a"])
        if slope is None:
            verdict = "No derivative at 0: not calibrated."
        elif slope < 0:
            verdict = f"$\\varphi'(0) = {f(slope)} < 0$: calibrated."
        else:
            verdict = f"$\\varphi'(0) = {f(slope)} \\ge 0$: not calibrated."
        return [why, verdict]


# ---------------------------------------------------------------------------------- batch subgradient
class HingeBatchSubgradient(NumericExercise):
    """The subgradient of the mean hinge of a linear model s = w . x over a batch, in w:
    (1/n) sum_{i: y_i s_i < 1} -y_i x_i (0 at the kink, lossref's choice)."""

    id = "hinge.batch_subgradient"
    skill = "hinge.grad"
    title = "The hinge subgradient of a linear model over a batch"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        n = 3
        w = [rng.choice([-1.0, -0.5, 0.5, 1.0, 1.5]) for _ in range(2)]
        x = [[rng.choice([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0]) for _ in range(2)] for _ in range(n)]
        return {"w": w, "x": x, "y": [rng.choice([-1, 1]) for _ in range(n)]}

    def _margins(self, p):
        # products of halves are multiples of 1/4: exact in binary, so a margin of 1 is exactly 1
        return [y * (p["w"][0] * x[0] + p["w"][1] * x[1]) for x, y in zip(p["x"], p["y"])]

    def _grad(self, p, active):
        n = len(p["y"])
        return [math.fsum(-y * x[k] for x, y, on in zip(p["x"], p["y"], active) if on) / n + 0.0 for k in range(2)]

    def acceptable(self, params):
        m = self._margins(params)
        return any(v < 1 for v in m) and any(v >= 1 for v in m) and super().acceptable(params)

    def statement(self, p):
        rows = ", ".join(f"(({_g(x[0])}, {_g(x[1])}), {y})" for x, y in zip(p["x"], p["y"]))
        return ("A linear classifier scores an input $x \\in \\mathbb{R}^2$ with $s = w^\\top x$ (no bias), "
                f"$w = ({_g(p['w'][0])}, {_g(p['w'][1])})$. The batch holds three examples $(x_i, y_i)$: {rows}. "
                r"The loss is the mean hinge $R(w) = \frac{1}{3}\sum_i \max(0,\ 1 - y_i w^\top x_i)$. Compute the "
                r"subgradient $\partial R/\partial w$ as two numbers, taking 0 for an example exactly at the kink "
                r"$y_i s_i = 1$ (as lossref does).")

    def correct(self, p):
        return self._grad(p, [v < 1 for v in self._margins(p)])

    def mistakes(self, p):
        m = self._margins(p)
        right = self.correct(p)
        found = [
            Mistake("sum_not_mean", [3 * v for v in right],
                    "That is the gradient of the sum; the loss is the mean, so divide by the batch size 3."),
            Mistake("sign_flipped", [-v for v in right],
                    "The sign is flipped: inside the margin $\\partial/\\partial w \\max(0, 1 - y w^\\top x) = -y x$."),
            Mistake("every_example", self._grad(p, [True] * len(m)),
                    "Every example was counted. An example with $y_i s_i > 1$ is beyond the margin: its loss is 0 "
                    "and so is its gradient."),
            Mistake("active_where_beyond", self._grad(p, [v >= 1 for v in m]),
                    "The test is inverted: the examples with $y_i s_i < 1$ (inside the margin or misclassified) "
                    "contribute $-y_i x_i$, the others nothing."),
        ]
        if any(v == 1 for v in m):
            found.append(Mistake("kink_counted", self._grad(p, [v <= 1 for v in m]),
                                 "An example sits exactly at the kink $y_i s_i = 1$ and was counted. $-y_i x_i$ is a "
                                 "valid subgradient there, but the problem (like lossref) takes 0: use the strict "
                                 "test $y_i s_i < 1$."))
        return found

    def hints(self, problem):
        return [
            r"Compute each score $s_i = w^\top x_i$ and margin $y_i s_i$ first.",
            r"$\max(0, 1 - y w^\top x)$ has the gradient $-y x$ in $w$ where $y w^\top x < 1$ (chain rule: "
            r"$\partial s/\partial w = x$) and 0 where $y w^\top x > 1$.",
            r"Add $-y_i x_i$ over the examples with $y_i s_i < 1$ and divide by 3, the batch size.",
        ]

    def steps(self, p):
        m = self._margins(p)
        active = [i + 1 for i, v in enumerate(m) if v < 1]
        kinks = [i + 1 for i, v in enumerate(m) if v == 1]
        shown = ", ".join(f(v) for v in m)
        at_kink = ([f"Example {kinks[0]} sits at the kink $y_i s_i = 1$ and contributes 0."] if len(kinks) == 1 else
                   [f"Examples {', '.join(str(i) for i in kinks)} sit at the kink and contribute 0."] if kinks else [])
        return [
            f"Margins $y_i w^\\top x_i = ({shown})$.",
            "Examples inside the margin or misclassified ($y_i s_i < 1$): " + ", ".join(str(i) for i in active) + ".",
            *at_kink,
            rf"$\partial R/\partial w = \frac{{1}}{{3}}\sum_{{y_i s_i < 1}} (-y_i x_i) = {_vec(self.correct(p))}$.",
        ]


EXERCISES = [MarginMinimiser(), CalibrationSlope(), CalibrationTest(), HingeBatchSubgradient()]
