"""Exercises of session 2: regression losses (MSE, MAE, Huber, quantile, log-cosh)."""

from __future__ import annotations

import math

from . import _math as M
from ._core import CodeCase, CodeExercise, Mistake, NumericExercise, fmt_number as f

__all__ = ["MSEValue", "MSEGrad", "MSEAndMAEGrad", "HuberValue", "HuberGrad", "QuantileValue", "LogCoshGrad",
           "HuberGradCode"]


# ---------------------------------------------------------------------------------- helpers
def _signed(x: float) -> str:
    """A number for a statement: 1 or 2 decimals as drawn, a plain minus sign."""
    return f"{x:g}"


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


class HuberGradCode(CodeExercise):
    """Write the Huber gradient as a clip, correct for huge residuals and tiny thresholds."""

    id = "huber.grad_code"
    skill = "huber.grad"
    title = "The Huber gradient in code"
    function = "huber_grad"
    signature = "def huber_grad(r, delta):"
    starter = ("def huber_grad(r, delta):\n"
               "    \"\"\"dL/dr of the Huber loss with threshold delta > 0, at the residual r = y_pred - y.\"\"\"\n"
               "    return r\n")
    reference = ("def huber_grad(r, delta):\n"
                 "    # r inside [-delta, delta] (the quadratic piece), +-delta beyond (the linear piece)\n"
                 "    return max(-delta, min(delta, r))\n")

    known_wrong = (
        (starter, "unclipped"),
        ("def huber_grad(r, delta):\n    return -max(-delta, min(delta, r))\n", "sign_flipped"),
        ("def huber_grad(r, delta):\n"
         "    return delta if r > 0 else (-delta if r < 0 else 0.0)\n", "wrong_branch"),
        ("def huber_grad(r, delta):\n    return max(-1.0, min(1.0, r / delta))\n", "smooth_l1"),
        ("import math\n\ndef huber_grad(r, delta):\n"
         "    return r / math.sqrt(1 + (r / delta) ** 2)\n", None),  # the pseudo-Huber gradient
    )

    def statement(self, p):
        return ("Write `huber_grad(r, delta)`: the derivative $dL_\\delta/dr$ of the Huber loss with threshold "
                r"$\delta > 0$ at the residual $r = \hat y - y$, where $L_\delta(r) = \tfrac12 r^2$ for "
                r"$|r| \le \delta$ and $\delta(|r| - \tfrac12\delta)$ beyond. "
                "The starter code returns the derivative of the quadratic piece everywhere. The hidden tests "
                r"include residuals of $\pm 10^6$ and thresholds as small as $10^{-6}$.")

    def cases(self, p):
        s = p["shift"]
        rows = [(s, 1.0), (0.3, 1.0), (-0.7, 1.5), (2.5, 1.0), (-3.0, 0.5), (1.0, 1.0), (0.0, 1.0), (s, 0.5),
                (-s, 2.0)]
        cases = [CodeCase((r, d), _clip(r, -d, d), f"r = {r:g}, delta = {d:g}") for r, d in rows]
        cases += [
            CodeCase((1e6, 1.0), 1.0, "r = 1e6, delta = 1 (a huge residual)", extreme=True),
            CodeCase((-1e6, 2.5), -2.5, "r = -1e6, delta = 2.5 (a huge negative residual)", extreme=True),
            CodeCase((0.5, 1e-6), 1e-6, "r = 0.5, delta = 1e-6 (a tiny threshold)", extreme=True),
            CodeCase((-0.25, 1e-6), -1e-6, "r = -0.25, delta = 1e-6 (a tiny threshold)", extreme=True),
            CodeCase((7.5, 1e6), 7.5, "r = 7.5, delta = 1e6 (a huge threshold)", extreme=True),
        ]
        return cases

    def diagnose(self, case, got):
        r, d = case.args
        try:
            g = float(got)
        except (TypeError, ValueError):
            return super().diagnose(case, got)
        if not math.isfinite(g):
            return super().diagnose(case, got)

        def near(a, b):
            return abs(a - b) <= self.atol + self.rtol * abs(b)

        where = f"For {case.description} your function returned {g:.6g}"
        if abs(r) > d and near(g, r):
            return "unclipped", (f"{where}, the residual itself: that is the derivative of ½ r², which applies only "
                                 f"for |r| ≤ delta. Beyond, the loss is linear: clip r to [-delta, delta], here "
                                 f"{case.expected:g}.")
        if case.expected != 0 and near(g, -case.expected):
            return "sign_flipped", (f"{where}: the sign is flipped. The derivative has the sign of r = y_pred - y; "
                                    f"expected {case.expected:g}.")
        if 0 < abs(r) < d and near(g, math.copysign(d, r)):
            return "wrong_branch", (f"{where}, that is ±delta, the slope of the linear piece. For |r| ≤ delta the "
                                    f"loss is ½ r² and its derivative is r itself, here {case.expected:g}.")
        if d != 1 and near(g, _clip(r / d, -1.0, 1.0)):
            return "smooth_l1", (f"{where}, the smooth L1 gradient clip(r/delta, -1, 1). The Huber loss is not divided "
                                 f"by delta: its gradient is clip(r, -delta, delta), here {case.expected:g}.")
        return super().diagnose(case, got)

    def hints(self, problem):
        return [
            r"Differentiate each piece: $\frac{d}{dr}\tfrac12 r^2 = r$, and "
            r"$\frac{d}{dr}\,\delta(|r| - \tfrac12\delta) = \delta \operatorname{sign}(r)$.",
            r"Both pieces together are $\operatorname{clip}(r, -\delta, \delta)$: `max(-delta, min(delta, r))` "
            r"in Python.",
        ]

    def steps(self, p):
        return [
            r"For $|r| \le \delta$ the loss is $\tfrac12 r^2$, whose derivative is $r$.",
            r"For $|r| > \delta$ it is $\delta(|r| - \tfrac12\delta)$, whose derivative is $\pm\delta$, with the sign "
            r"of $r$.",
            r"Both cases are $\operatorname{clip}(r, -\delta, \delta)$, which never squares $r$: nothing overflows "
            r"for huge residuals, and a tiny $\delta$ simply gives a tiny gradient.",
        ]


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
