"""Exercises of session 2: regression losses (MSE, MAE, Huber, quantile, log-cosh)."""

from __future__ import annotations

import math

from . import _math as M
from ._core import CodeCase, CodeExercise, CodeTask, Mistake, NumericExercise, fmt_number as f, no_negative_zero

__all__ = ["MSEValue", "MSEGrad", "MSEAndMAEGrad", "HuberValue", "HuberGrad", "QuantileValue", "LogCoshGrad",
           "HuberGradCode"]


# ---------------------------------------------------------------------------------- helpers
def _signed(x: float) -> str:
    """A number for a statement: 1 or 2 decimals as drawn, a plain minus sign, no "-0"."""
    return no_negative_zero(f"{x:g}")


def _tex_list(values) -> str:
    return "(" + ", ".join(_signed(v) for v in values) + ")"


def _residuals(p: dict) -> list[float]:
    """r_i = y_pred_i - y_i, rounded to remove the float noise of the subtraction of 1-decimal numbers."""
    return [round(a - b, 10) for a, b in zip(p["y_pred"], p["y"])]


def _sign(x: float) -> float:
    """sign(x) with sign(0) = 0: the subgradient lossref returns at a tie."""
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def _clip(x: float, low: float, high: float) -> float:
    return max(low, min(high, x))


def _draw_pairs(rng, n: int, low: float = 0.2, high: float = 2.5, allow_zero: bool = False):
    """Targets y and predictions y_pred = y + r with residuals |r| in [low, high] (or 0 when allowed)."""
    y = [round(rng.uniform(-1.0, 5.0), 1) for _ in range(n)]
    r = [round(rng.uniform(low, high), 1) * rng.choice([1, -1]) for _ in range(n)]
    if allow_zero and rng.random() < 0.4:
        r[rng.randrange(n)] = 0.0
    return {"y": y, "y_pred": [round(a + b, 1) for a, b in zip(y, r)]}


def _pairs_table(p: dict) -> str:
    rows = " \\\\ ".join(f"{i + 1} & {_signed(a)} & {_signed(b)}" for i, (a, b) in enumerate(zip(p["y"], p["y_pred"])))
    return rf"$$\begin{{array}}{{c|c|c}} i & y_i & \hat y_i \\ \hline {rows} \end{{array}}$$"


def _residual_step(p: dict) -> str:
    parts = ", ".join(f"{_signed(b)} - ({_signed(a)}) = {f(r)}" if a < 0 else f"{_signed(b)} - {_signed(a)} = {f(r)}"
                      for a, b, r in zip(p["y"], p["y_pred"], _residuals(p)))
    return rf"Residuals $r_i = \hat y_i - y_i$: ${parts}$."


# ---------------------------------------------------------------------------------- MSE
class MSEValue(NumericExercise):
    """Mean squared error of a few predictions, in the plain-square convention of lossref.mse."""

    id = "mse.value"
    skill = "mse.value"
    title = "Mean squared error of a few predictions"

    def make_params(self, rng):
        return _draw_pairs(rng, rng.choice([3, 4]))

    def statement(self, p):
        return (f"A regression model makes {len(p['y'])} predictions:\n\n{_pairs_table(p)}\n\n"
                r"Compute the mean squared error $\mathrm{MSE} = \frac{1}{n}\sum_i (\hat y_i - y_i)^2$. "
                r"Use the plain square, without a factor $\tfrac12$ (the default of `lossref.mse` and of "
                "`torch.nn.MSELoss`).")

    def correct(self, p):
        return M.mean(r * r for r in _residuals(p))

    def mistakes(self, p):
        r = _residuals(p)
        n = len(r)
        value = self.correct(p)
        found = [
            Mistake("half_convention", value / 2,
                    "That is the mean of ½ r², the convention that makes the derivative r. This problem, like "
                    "lossref.mse by default, uses the plain square: do not halve."),
            Mistake("sum_not_mean", value * n,
                    f"That is the sum of the squared residuals. The mean divides it by n = {n}."),
            Mistake("forgot_square", M.mean(abs(v) for v in r),
                    "That is the mean absolute error: square each residual before averaging."),
            Mistake("rmse", math.sqrt(value),
                    "That is the root mean squared error. The MSE is the mean of the squares, with no square root."),
        ]
        if any(v < 0 for v in r):
            found.append(Mistake("mean_residual", M.mean(r),
                                 "That is the mean of the residuals themselves, where positive and negative errors "
                                 "cancel. Square each residual before averaging."))
        return found

    def hints(self, problem):
        return [
            r"Start with the residuals $r_i = \hat y_i - y_i$ (the sign does not matter once squared).",
            r"Square each residual, add the squares, and divide by the number of predictions $n$.",
        ]

    def steps(self, p):
        r = _residuals(p)
        squares = " + ".join(f(v * v) for v in r)
        return [
            _residual_step(p),
            rf"Squares: ${squares} = {f(math.fsum(v * v for v in r))}$.",
            rf"Divide by $n = {len(r)}$: $\mathrm{{MSE}} = {f(self.correct(p))}$.",
        ]


class MSEGrad(NumericExercise):
    """The gradient of the mean squared error in each prediction: 2 (y_pred_i - y_i) / n."""

    id = "mse.grad"
    skill = "mse.grad"
    title = "The gradient of the mean squared error"
    kind = "vector"

    def make_params(self, rng):
        return _draw_pairs(rng, rng.choice([3, 4]))

    def statement(self, p):
        n = len(p["y"])
        return (f"A regression model makes {n} predictions:\n\n{_pairs_table(p)}\n\n"
                r"The risk is the mean squared error $R = \frac{1}{n}\sum_i (\hat y_i - y_i)^2$ (plain square, "
                r"no $\tfrac12$). Compute the gradient $\partial R / \partial \hat y_i$ for "
                f"$i = 1, \\dots, {n}$, in that order.")

    def correct(self, p):
        r = _residuals(p)
        return [2 * v / len(r) for v in r]

    def mistakes(self, p):
        r = _residuals(p)
        n = len(r)
        return [
            Mistake("half_convention", [v / n for v in r],
                    "Each entry is half the answer: the factor 2 from differentiating the square is missing (that is "
                    "the gradient of the ½ r² convention). Here the loss is the plain square: d(r²)/dr = 2r."),
            Mistake("sign_flipped", [-2 * v / n for v in r],
                    "The signs are flipped: the gradient is prediction minus truth, 2(ŷᵢ - yᵢ)/n. A prediction above "
                    "its target has a positive gradient."),
            Mistake("sum_not_mean", [2 * v for v in r],
                    f"That is the gradient of the sum of squares. The risk is the mean, so each entry carries the "
                    f"factor 1/n = 1/{n}."),
        ]

    def hints(self, problem):
        return [
            r"Only the $i$-th term of the sum depends on $\hat y_i$: $\partial R/\partial \hat y_i = \frac{1}{n}\,"
            r"\frac{d}{d\hat y_i}(\hat y_i - y_i)^2$.",
            r"$\frac{d}{d\hat y}(\hat y - y)^2 = 2(\hat y - y)$, so each entry is $2 r_i / n$ with "
            r"$r_i = \hat y_i - y_i$.",
        ]

    def steps(self, p):
        r = _residuals(p)
        n = len(r)
        shown = ", ".join(f(v) for v in self.correct(p))
        return [
            _residual_step(p),
            rf"$\partial R/\partial \hat y_i = \frac{{1}}{{n}} \cdot 2(\hat y_i - y_i) = 2 r_i / {n}$: only the "
            r"$i$-th term depends on $\hat y_i$.",
            rf"The gradient is $({shown})$.",
        ]


class MSEAndMAEGrad(NumericExercise):
    """The derivatives of ½-MSE and MAE at a few examples (the lesson's practice problem 1 at seed 0)."""

    id = "mae.grad"
    skill = "mae.grad"
    title = "Derivatives of squared and absolute error"
    kind = "vector"

    def fixed_params(self, seed):
        return {"y": [1.0, 2.0, 3.0], "y_pred": [1.5, 2.0, 1.0]} if seed == 0 else None

    def make_params(self, rng):
        return _draw_pairs(rng, 3, low=0.2, high=3.0, allow_zero=True)

    def acceptable(self, params):
        # |r| = 1 makes sign(r) = r there; keep at least one residual whose size is not 0 or 1, so that
        # "r instead of sign(r)" shows.
        return any(abs(v) not in (0.0, 1.0) for v in _residuals(params)) and super().acceptable(params)

    def statement(self, p):
        return (f"Three examples:\n\n{_pairs_table(p)}\n\n"
                r"For each example compute the derivative $\partial L/\partial \hat y$ of two pointwise losses: "
                r"the squared error with a half, $L = \tfrac12(\hat y - y)^2$, and the absolute error "
                r"$L = |\hat y - y|$. Where $\hat y = y$ use the subgradient $0$ for the absolute error "
                "(the value lossref returns).\n\n"
                r"Enter six numbers: the three squared-error derivatives for $i = 1, 2, 3$, then the three "
                "absolute-error derivatives.")

    def correct(self, p):
        r = _residuals(p)
        return r + [_sign(v) for v in r]

    def mistakes(self, p):
        r = _residuals(p)
        s = [_sign(v) for v in r]
        return [
            Mistake("sign_flipped", [-v for v in r] + [-v for v in s],
                    "The signs are flipped: with r = ŷ - y both derivatives follow the sign of prediction minus truth. "
                    "A prediction above its target has a positive derivative."),
            Mistake("used_residual", r + r,
                    "The absolute-error derivatives are the residuals: that is the squared-error derivative again. "
                    "|r| grows at a constant rate, so d|r|/dr = sign(r): +1, -1, or 0 at a tie."),
            Mistake("dropped_half", [2 * v for v in r] + s,
                    "The squared-error derivatives are twice too large: the ½ in ½(ŷ - y)² cancels the 2 from the "
                    "power rule, leaving ŷ - y."),
            Mistake("swapped", s + r,
                    "The two groups are swapped: enter the squared-error derivatives first, then the "
                    "absolute-error ones."),
        ]

    def generic_feedback(self, problem, value):
        target = self.correct(problem.params)
        fmt = problem.answer
        first = all(abs(a - t) <= fmt.atol + fmt.rtol * abs(t) for a, t in zip(value[:3], target[:3]))
        second = all(abs(a - t) <= fmt.atol + fmt.rtol * abs(t) for a, t in zip(value[3:], target[3:]))
        if first and not second:
            return ("The squared-error derivatives are right; check the absolute-error ones: the derivative of |r| "
                    "is the sign of r, and 0 at a tie.")
        if second and not first:
            return "The absolute-error derivatives are right; check the squared-error ones: ∂L/∂ŷ = ŷ - y."
        return super().generic_feedback(problem, value)

    def hints(self, problem):
        return [
            r"Write both losses in the residual $r = \hat y - y$; then $\partial L/\partial \hat y = dL/dr$.",
            r"$\frac{d}{dr}\tfrac12 r^2 = r$ and $\frac{d}{dr}|r| = \operatorname{sign}(r)$ for $r \ne 0$; at "
            r"$r = 0$ any value in $[-1, 1]$ is a subgradient, and you are asked for $0$.",
        ]

    def steps(self, p):
        r = _residuals(p)
        return [
            _residual_step(p),
            rf"Squared error with a half: $\partial L/\partial \hat y = r$, so $({', '.join(f(v) for v in r)})$.",
            r"Absolute error: $\partial L/\partial \hat y = \operatorname{sign}(r)$ (0 at a tie), so "
            rf"$({', '.join(f(_sign(v)) for v in r)})$.",
        ]


# ---------------------------------------------------------------------------------- Huber
def _draw_huber(rng) -> dict:
    delta = rng.choice([0.5, 1.0, 1.0, 1.5, 2.0, 2.5])
    if rng.random() < 0.5:  # inside the quadratic zone
        size = round(rng.uniform(0.2, 0.9) * delta, 2)
    else:
        size = round(rng.uniform(1.3, 4.0) * delta, 1)
    r = size * rng.choice([1, -1])
    y = round(rng.uniform(-2.0, 4.0), 1)
    return {"y": y, "y_pred": round(y + r, 2), "delta": delta}


def _huber_r(p: dict) -> float:
    return round(p["y_pred"] - p["y"], 10)


def _huber_pair(p: dict) -> str:
    return rf"$y = {_signed(p['y'])}$, $\hat y = {_signed(p['y_pred'])}$ and $\delta = {_signed(p['delta'])}$"


class _HuberProblem(NumericExercise):
    """One prediction and a threshold, with the residual clearly on one side of delta."""

    def make_params(self, rng):
        return _draw_huber(rng)

    def acceptable(self, params):
        r = _huber_r(params)
        return abs(r) >= 0.1 and abs(abs(r) - params["delta"]) >= 0.1 * params["delta"] and super().acceptable(params)


class HuberValue(_HuberProblem):
    """The Huber loss of one residual, on either side of the threshold."""

    id = "huber.value"
    skill = "huber.value"
    title = "The Huber loss of one prediction"

    def statement(self, p):
        return (f"For {_huber_pair(p)}, compute the Huber loss $L_\\delta(\\hat y - y)$ in the convention of "
                r"`lossref.huber` and `torch.nn.HuberLoss`: the quadratic piece is $\tfrac12 r^2$, and it is not "
                r"divided by $\delta$.")

    def correct(self, p):
        return M.huber(_huber_r(p), p["delta"])

    def mistakes(self, p):
        r, d = _huber_r(p), p["delta"]
        a = abs(r)
        found = []
        if a > d:
            found += [
                Mistake("unclipped", 0.5 * r * r,
                        f"That is ½ r², the quadratic piece; it applies only for |r| ≤ δ. Here |r| = {f(a)} > δ = "
                        f"{f(d)}, so the loss is linear: δ(|r| - δ/2)."),
                Mistake("forgot_offset", d * a,
                        "That is δ|r|: the linear piece is δ(|r| - δ/2). The -δ²/2 makes it meet ½ r² at |r| = δ."),
            ]
        else:
            found += [
                Mistake("wrong_branch", d * (a - 0.5 * d),
                        f"That is the linear piece δ(|r| - δ/2), which applies only for |r| > δ. Here |r| = {f(a)} ≤ "
                        f"δ = {f(d)}: use ½ r²."),
                Mistake("dropped_half", r * r, "That is r²: the quadratic piece of the Huber loss is ½ r²."),
            ]
        if abs(d - 1.0) > 1e-9:
            found.append(Mistake("smooth_l1", M.huber(r, d) / d,
                                 "That is the smooth L1 loss, the Huber loss divided by δ. Huber's quadratic piece is "
                                 "½ r², not ½ r²/δ, and its linear piece δ(|r| - δ/2)."))
        return found

    def hints(self, problem):
        return [
            r"Compute $r = \hat y - y$ and compare $|r|$ with $\delta$.",
            r"$L_\delta(r) = \tfrac12 r^2$ if $|r| \le \delta$, and $\delta\,(|r| - \tfrac12\delta)$ otherwise: the "
            r"two pieces meet with the same value and slope at $|r| = \delta$.",
        ]

    def steps(self, p):
        r, d = _huber_r(p), p["delta"]
        first = rf"$r = \hat y - y = {f(r)}$, so $|r| = {f(abs(r))}"
        if abs(r) <= d:
            return [first + rf" \le \delta = {f(d)}$: the quadratic piece applies.",
                    rf"$L = \tfrac12 r^2 = \tfrac12 \cdot {f(r * r, 6)} = {f(self.correct(p))}$."]
        return [first + rf" > \delta = {f(d)}$: the linear piece applies.",
                rf"$L = \delta(|r| - \tfrac12\delta) = {f(d)} \cdot ({f(abs(r))} - {f(d / 2)}) = {f(self.correct(p))}$."]


class HuberGrad(_HuberProblem):
    """The derivative of the Huber loss: the residual clipped to [-delta, delta]."""

    id = "huber.grad"
    skill = "huber.grad"
    title = "The gradient of the Huber loss"

    def statement(self, p):
        return (f"For {_huber_pair(p)}, compute $\\partial L / \\partial \\hat y$ for the Huber loss "
                r"$L_\delta(\hat y - y)$ (the convention of `lossref.huber`: $\tfrac12 r^2$ for $|r| \le \delta$, "
                r"linear beyond).")

    def correct(self, p):
        d = p["delta"]
        return _clip(_huber_r(p), -d, d)

    def mistakes(self, p):
        r, d = _huber_r(p), p["delta"]
        found = [Mistake("sign_flipped", -self.correct(p),
                         "The sign is flipped: with r = ŷ - y the derivative has the sign of prediction minus truth.")]
        if abs(r) > d:
            found.append(Mistake("unclipped", r,
                                 f"That is r, the derivative of the quadratic piece. Beyond |r| = δ the loss is "
                                 f"linear with slope ±δ: clip r to [-δ, δ], here ±{f(d)}."))
            if abs(d - 1.0) > 1e-9:
                found.append(Mistake("smooth_l1", _sign(r),
                                     "That is the smooth L1 gradient, bounded by 1. The Huber gradient is bounded by "
                                     "δ: clip r to [-δ, δ]."))
        else:
            found.append(Mistake("wrong_branch", math.copysign(d, r),
                                 f"That is ±δ, the slope of the linear piece. Here |r| = {f(abs(r))} ≤ δ, where the "
                                 "loss is ½ r² and its derivative is r itself."))
            if abs(d - 1.0) > 1e-9:
                found.append(Mistake("smooth_l1", r / d,
                                     "That is r/δ, the smooth L1 gradient. The Huber loss is not divided by δ: inside "
                                     "the threshold its derivative is r."))
        return found

    def hints(self, problem):
        return [
            r"Compute $r = \hat y - y$; which piece of the loss is $r$ in, $|r| \le \delta$ or $|r| > \delta$?",
            r"$\frac{d}{dr}\tfrac12 r^2 = r$ and $\frac{d}{dr}\,\delta(|r| - \tfrac12\delta) = \delta"
            r"\operatorname{sign}(r)$: together, $\operatorname{clip}(r, -\delta, \delta)$.",
        ]

    def steps(self, p):
        r, d = _huber_r(p), p["delta"]
        where = r"\le" if abs(r) <= d else ">"
        return [
            rf"$r = \hat y - y = {f(r)}$ and $|r| = {f(abs(r))} {where} \delta = {f(d)}$.",
            rf"$\partial L/\partial \hat y = \operatorname{{clip}}(r, -\delta, \delta) = {f(self.correct(p))}$.",
        ]


# The tasks of huber.grad_code: what to write, and of what. The threshold delta is drawn with the task
# and written into the function (1 is left out: there Huber and smooth L1 are the same function).
_HUBER_FORMS = {
    "grad_r": ("huber_grad", "r", "dL/dr of the Huber loss at the residual r = y_pred - y."),
    "grad_pred": ("huber_grad", "y, y_pred", "dL/dy_pred of the Huber loss of one prediction."),
    "grad_mean": ("huber_grad", "y, y_pred", "The gradient of the mean Huber loss of the lists y, y_pred in "
                                            "y_pred, as a list."),
    "value": ("huber", "r", "The Huber loss at the residual r = y_pred - y."),
}
_HUBER_ASK = {
    "grad_r": r"the derivative $dL_\delta/dr$ at the residual $r = \hat y - y$",
    "grad_pred": r"the derivative $\partial L_\delta(\hat y - y)/\partial \hat y$ for one target `y` and one "
                 r"prediction `y_pred`",
    "grad_mean": r"the gradient of the mean loss $\frac1n \sum_i L_\delta(\hat y_i - y_i)$ in the predictions, "
                 r"a list of $n$ numbers $\partial/\partial \hat y_i$, for two lists `y` and `y_pred` of length $n$",
    "value": r"the loss $L_\delta(r)$ itself at the residual $r = \hat y - y$",
}
_HUBER_DELTAS = (0.5, 1.5, 2.0, 3.0)
_HUBER_GRAD = "max(-delta, min(delta, r))"
_HUBER_VALUE = "0.5 * r * r if abs(r) <= delta else delta * (abs(r) - 0.5 * delta)"


def _huber_source(form: str, delta: float, expr: str, comment: str = "") -> str:
    """A program of the task ``form``: the Huber piece ``expr`` (in r and delta) inside the function."""
    function, args, doc = _HUBER_FORMS[form]
    note = f"    # {comment}\n" if comment else ""
    head = f"def {function}({args}):\n    \"\"\"{doc}\"\"\"\n    delta = {delta:g}\n"
    if form in ("grad_r", "value"):
        return head + note + f"    return {expr}\n"
    if form == "grad_pred":
        return head + "    r = y_pred - y\n" + note + f"    return {expr}\n"
    return (head + "    n = len(y)\n    grads = []\n    for y_i, y_pred_i in zip(y, y_pred):\n"
            "        r = y_pred_i - y_i\n" + note.replace("    #", "        #") + f"        grads.append(({expr}) / n)\n"
            "    return grads\n")


class HuberGradCode(CodeExercise):
    """Code the Huber loss or its gradient, for one residual, one prediction or a batch, with the
    problem's threshold: correct for huge and tiny residuals."""

    id = "huber.grad_code"
    skill = "huber.grad"
    title = "The Huber loss and its gradient in code"
    task_keys = ("form", "delta")

    def fixed_params(self, seed):
        # seed 0, the problem pages show first: the derivative at one residual
        return {"form": "grad_r", "delta": 1.5, "shift": 0.4} if seed == 0 else None

    def make_params(self, rng):
        return {"form": rng.choice(sorted(_HUBER_FORMS)), "delta": rng.choice(_HUBER_DELTAS),
                "shift": round(rng.uniform(-2.0, 2.0), 2)}

    def _value(self, p):
        return p["form"] == "value"

    def task(self, p):
        form, d = p["form"], p["delta"]
        function, args, _ = _HUBER_FORMS[form]
        if self._value(p):
            starter = _huber_source(form, d, "0.5 * r * r", "the quadratic piece everywhere: fix it")
            reference = _huber_source(form, d, _HUBER_VALUE, "1/2 r^2 inside [-delta, delta], the line "
                                                             "delta (|r| - delta/2) beyond")
        else:
            starter = _huber_source(form, d, "r", "the derivative of the quadratic piece everywhere: fix it")
            reference = _huber_source(form, d, _HUBER_GRAD, "r inside [-delta, delta], +-delta beyond; "
                                                            "nothing is squared, so nothing overflows")
        return CodeTask(function, f"def {function}({args}):", starter, reference)

    def known_wrong(self, p):
        form, d = p["form"], p["delta"]
        if self._value(p):
            rows = [("0.5 * r * r", "unclipped"),
                    ("r * r if abs(r) <= delta else delta * (abs(r) - 0.5 * delta)", "dropped_half"),
                    ("0.5 * r * r if abs(r) <= delta else delta * abs(r)", "forgot_offset"),
                    (f"({_HUBER_VALUE}) / delta", "smooth_l1"),
                    ("delta ** 2 * (math.sqrt(1 + (r / delta) ** 2) - 1)", None)]  # pseudo-Huber
        else:
            rows = [("r", "unclipped"), (f"-{_HUBER_GRAD}", "sign_flipped"),
                    ("delta if r > 0 else (-delta if r < 0 else 0.0)", "wrong_branch"),
                    ("max(-1.0, min(1.0, r / delta))", "smooth_l1"),
                    ("r / math.sqrt(1 + (r / delta) ** 2)", None)]  # the pseudo-Huber gradient
        programs = [(_huber_source(form, d, expr), mistake) for expr, mistake in rows]
        if form == "grad_mean":
            programs.append((_huber_source(form, d, _HUBER_GRAD).replace(") / n)", "))"), "forgot_mean"))
        return programs

    def mistake_message(self, p, mistake):
        if self._value(p):
            return {
                "unclipped": "{where}: that is ½ r² everywhere. Beyond |r| = δ = {delta:g} the loss is linear, "
                             "δ(|r| - δ/2); expected {expected}.",
                "dropped_half": "{where}: the quadratic piece is ½ r², not r²; expected {expected}.",
                "forgot_offset": "{where}, δ|r| on the linear piece. It is δ(|r| - δ/2): the -δ²/2 makes it meet ½ r² "
                                 "at |r| = δ; expected {expected}.",
                "smooth_l1": "{where}, the smooth L1 loss, which is the Huber loss divided by δ. Huber's quadratic "
                             "piece is ½ r², not ½ r²/δ; expected {expected}.",
            }.get(mistake)
        return {
            "unclipped": "{where}, the residual itself: that is the derivative of ½ r², which applies only for "
                         "|r| ≤ δ = {delta:g}. Beyond, the loss is linear: clip r to [-δ, δ]; expected {expected}.",
            "sign_flipped": "{where}: the sign is flipped. The derivative has the sign of r = y_pred - y; "
                            "expected {expected}.",
            "wrong_branch": "{where}: that is ±δ, the slope of the linear piece. For |r| ≤ δ the loss is ½ r² and "
                            "its derivative is r itself; expected {expected}.",
            "smooth_l1": "{where}, the smooth L1 gradient clip(r/δ, -1, 1). The Huber loss is not divided by δ: its "
                         "gradient is clip(r, -δ, δ); expected {expected}.",
            "forgot_mean": "{where}: those are the gradients of the sum. The mean divides by n, so each component "
                           "is clip(r_i, -δ, δ)/n; expected {expected}.",
        }.get(mistake)

    def statement(self, p):
        function, args, _ = _HUBER_FORMS[p["form"]]
        d = p["delta"]
        return (f"Write `{function}({args})`: {_HUBER_ASK[p['form']]}, for the Huber loss with the threshold "
                f"$\\delta = {d:g}$ (write it into your function), where "
                r"$L_\delta(r) = \tfrac12 r^2$ for $|r| \le \delta$ and $\delta(|r| - \tfrac12\delta)$ beyond. "
                "The starter code uses the quadratic piece everywhere. The hidden tests include residuals of "
                r"$\pm 10^6$ and $10^{200}$ and a residual of $10^{-300}$.")

    def _pointwise(self, p):
        d = p["delta"]
        return (lambda r: M.huber(r, d)) if self._value(p) else (lambda r: _clip(r, -d, d))

    def cases(self, p):
        d, s, g = p["delta"], p["shift"], self._pointwise(p)
        residuals = [round(k * d, 4) for k in (1.7, 0.3, -0.8, -2.5, 1.0)] + [0.0, s]
        extreme = [1e6, -1e6, 1e200, 1e-300]
        form = p["form"]
        if form in ("grad_r", "value"):
            return ([CodeCase((r,), g(r), f"r = {r:g}") for r in residuals]
                    + [CodeCase((r,), g(r), f"r = {r:g}", extreme=True) for r in extreme])
        targets = [1.0, -2.0, 0.5, 3.0, -1.5, 2.5, 0.0]
        pairs = [(y, round(y + r, 4)) for y, r in zip(targets, residuals)]
        far = [(0.0, 1e6), (3.0, -1e6), (-1.0, 1e200), (0.0, 1e-300)]
        if form == "grad_pred":
            return ([CodeCase((y, q), g(q - y), f"y = {y:g}, y_pred = {q:g}") for y, q in pairs]
                    + [CodeCase((y, q), g(q - y), f"y = {y:g}, y_pred = {q:g}", extreme=True) for y, q in far])

        def batch(rows, extreme=False):
            y, q = [a for a, _ in rows], [b for _, b in rows]
            return CodeCase((y, q), [g(b - a) / len(rows) for a, b in rows], f"y = {y}, y_pred = {q}", extreme)
        return [batch(pairs[:3]), batch(pairs[3:]), batch(pairs[4:5]), batch(far, extreme=True)]

    def hints(self, problem):
        if self._value(problem.params):
            return [
                r"Compare $|r|$ with $\delta$: inside, $\tfrac12 r^2$; beyond, $\delta(|r| - \tfrac12\delta)$.",
                r"Take the branch on $|r| \le \delta$ before squaring anything: the linear piece never squares "
                r"$r$, so $r = 10^{200}$ gives a finite loss.",
            ]
        first = [r"Differentiate each piece: $\frac{d}{dr}\tfrac12 r^2 = r$, and "
                 r"$\frac{d}{dr}\,\delta(|r| - \tfrac12\delta) = \delta \operatorname{sign}(r)$.",
                 r"Both pieces together are $\operatorname{clip}(r, -\delta, \delta)$: `max(-delta, min(delta, r))` "
                 r"in Python."]
        if problem.params["form"] == "grad_mean":
            first.append(r"The mean divides by $n$: component $i$ is $\operatorname{clip}(\hat y_i - y_i, -\delta, "
                         r"\delta) / n$.")
        return first

    def steps(self, p):
        d = p["delta"]
        if self._value(p):
            return [
                rf"With $\delta = {d:g}$: for $|r| \le {d:g}$ the loss is $\tfrac12 r^2$; beyond, "
                rf"${d:g}\,(|r| - {d / 2:g})$.",
                r"Testing $|r| \le \delta$ first means $r^2$ is only formed for small residuals: "
                r"$r = 10^{200}$ gives $\delta(10^{200} - \delta/2)$, finite.",
            ]
        steps = [
            r"For $|r| \le \delta$ the loss is $\tfrac12 r^2$, whose derivative is $r$; beyond, it is "
            r"$\delta(|r| - \tfrac12\delta)$, whose derivative is $\pm\delta$ with the sign of $r$.",
            rf"Both cases are $\operatorname{{clip}}(r, -{d:g}, {d:g})$, which never squares $r$: nothing overflows "
            r"for huge residuals.",
        ]
        if p["form"] == "grad_pred":
            steps.append(r"With $r = \hat y - y$, $\partial r / \partial \hat y = 1$: the derivative in $\hat y$ "
                         r"is the derivative in $r$.")
        if p["form"] == "grad_mean":
            steps.append(r"The mean loss is $\frac1n \sum_i L_\delta(r_i)$: its derivative in $\hat y_i$ is "
                         r"$\operatorname{clip}(r_i, -\delta, \delta) / n$.")
        return steps


# ---------------------------------------------------------------------------------- quantile
class QuantileValue(NumericExercise):
    """The pinball loss of one prediction at level tau."""

    id = "quantile.value"
    skill = "quantile.value"
    title = "The quantile (pinball) loss"

    def make_params(self, rng):
        y = round(rng.uniform(0.0, 10.0), 1)
        u = round(rng.uniform(0.3, 4.0), 1) * rng.choice([1, -1])
        return {"y": y, "y_pred": round(y - u, 1), "tau": rng.choice([0.1, 0.2, 0.25, 0.75, 0.8, 0.9])}

    def statement(self, p):
        return (f"A model trained for the $\\tau = {p['tau']:g}$ quantile predicts $\\hat y = {_signed(p['y_pred'])}$ "
                f"for a target $y = {_signed(p['y'])}$. Compute the quantile (pinball) loss of this prediction: an "
                r"under-prediction ($\hat y < y$) costs $\tau$ per unit of error, an over-prediction "
                r"($\hat y > y$) costs $1 - \tau$ per unit.")

    def _u(self, p):
        return round(p["y"] - p["y_pred"], 10)

    def correct(self, p):
        return M.quantile(p["y"], p["y_pred"], p["tau"])

    def mistakes(self, p):
        u, tau = self._u(p), p["tau"]
        return [
            Mistake("tau_swapped", M.quantile(p["y"], p["y_pred"], 1 - tau),
                    f"That weights the error by the wrong side's factor ({f(1 - tau)} instead of {f(tau)} or the "
                    "reverse); the same happens when the residual is taken as ŷ - y in a formula written for "
                    "u = y - ŷ. Under-predictions cost τ, over-predictions 1 - τ."),
            Mistake("forgot_max", min(tau * u, (tau - 1) * u),
                    "That is the smaller of τu and (τ - 1)u, which is negative: with u = y - ŷ the loss is "
                    "max(τu, (τ - 1)u), never negative."),
            Mistake("absolute", abs(u),
                    "That is the absolute error |y - ŷ|: the pinball loss weights it by τ or by 1 - τ, depending on "
                    "the side of the error."),
        ]

    def hints(self, problem):
        return [
            r"Compute $u = y - \hat y$: is the prediction too low ($u > 0$) or too high ($u < 0$)?",
            r"$L_\tau = \max(\tau u, (\tau - 1) u)$: $\tau u$ when $u > 0$, $(1 - \tau)|u|$ when $u < 0$.",
        ]

    def steps(self, p):
        u, tau = self._u(p), p["tau"]
        if u > 0:
            return [rf"$u = y - \hat y = {f(u)} > 0$: the prediction is too low.",
                    rf"$L = \tau u = {f(tau)} \cdot {f(u)} = {f(self.correct(p))}$."]
        return [rf"$u = y - \hat y = {f(u)} < 0$: the prediction is too high.",
                rf"$L = (\tau - 1) u = {f(tau - 1)} \cdot ({f(u)}) = {f(self.correct(p))}$."]


# ---------------------------------------------------------------------------------- log-cosh
class LogCoshGrad(NumericExercise):
    """The derivative of log cosh(y_pred - y): tanh of the residual."""

    id = "log_cosh.grad"
    skill = "log_cosh.grad"
    title = "The gradient of the log-cosh loss"

    def make_params(self, rng):
        y = round(rng.uniform(-2.0, 4.0), 1)
        r = round(rng.uniform(0.3, 2.5), 1) * rng.choice([1, -1])
        return {"y": y, "y_pred": round(y + r, 1)}

    def statement(self, p):
        return (f"For the target $y = {_signed(p['y'])}$ and the prediction $\\hat y = {_signed(p['y_pred'])}$, "
                r"compute $\partial L/\partial \hat y$ for the log-cosh loss $L = \log\cosh(\hat y - y)$.")

    def _r(self, p):
        return round(p["y_pred"] - p["y"], 10)

    def correct(self, p):
        return math.tanh(self._r(p))

    def mistakes(self, p):
        r = self._r(p)
        return [
            Mistake("sign_flipped", -math.tanh(r),
                    "The sign is flipped: with r = ŷ - y the derivative is tanh(r), with the sign of prediction minus "
                    "truth."),
            Mistake("used_sinh", math.sinh(r),
                    "That is sinh(r), the derivative of cosh r alone. The chain rule through the log divides by "
                    "cosh r: sinh(r)/cosh(r) = tanh(r)."),
            Mistake("quadratic_approx", r,
                    "That is r, the derivative of the approximation r²/2, which holds only near r = 0. The exact "
                    "derivative is tanh(r), bounded by 1."),
        ]

    def hints(self, problem):
        return [
            r"Chain rule with $r = \hat y - y$: $\frac{d}{dr}\log\cosh r = \frac{1}{\cosh r}\cdot\frac{d}{dr}\cosh r$.",
            r"$\frac{d}{dr}\cosh r = \sinh r$, so the derivative is $\sinh r / \cosh r = \tanh r$.",
        ]

    def steps(self, p):
        r = self._r(p)
        return [
            rf"$r = \hat y - y = {f(r)}$, and $\partial r/\partial \hat y = 1$.",
            r"$\frac{d}{dr}\log\cosh r = \frac{\sinh r}{\cosh r} = \tanh r$.",
            rf"$\tanh({f(r)}) = {f(self.correct(p))}$.",
        ]


EXERCISES = [MSEValue(), MSEGrad(), MSEAndMAEGrad(), HuberValue(), HuberGrad(), HuberGradCode(), QuantileValue(),
             LogCoshGrad()]
