"""Derivations of session 2: gradients of a regression risk through a model, and a descent step."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise
from ._core import fmt_number as f
from .ex_regression import _clip, _signed, _tex_list

__all__ = ["HuberDescentStep", "PinballSubgradient", "LogCoshLinearGradient"]


def _d(x: float) -> float:
    """x to one decimal, without a -0.0."""
    return round(x, 1) + 0.0


def _pos(x: float) -> str:
    """A number to subtract: negative numbers in parentheses."""
    return f"({_signed(x)})" if x < 0 else _signed(x)


# ---------------------------------------------------------------------------------- Huber
class HuberDescentStep(NumericExercise):
    """One gradient-descent step on the mean Huber loss of a constant prediction c.

    R(c) = (1/n) sum_i L_delta(c - y_i), dR/dc = (1/n) sum_i clip(c - y_i, -delta, delta), and the step
    is c - eta dR/dc: the clip caps the pull of each far target at delta."""

    id = "huber.descent_step"
    skill = "huber.grad"
    title = "A gradient step under the Huber loss"
    depth = "derive"

    def make_params(self, rng):
        n = rng.choice([4, 5])
        delta = rng.choice([0.5, 1.0, 1.5, 2.0])
        c = round(rng.uniform(0.0, 4.0), 1)
        y = [_d(c + rng.choice([-1, 1]) * rng.uniform(0.1, 0.9) * delta) for _ in range(n - 1)]
        y.append(_d(c + rng.choice([-1, 1]) * rng.uniform(2.0, 6.0) * delta))  # an outlier, clipped
        if rng.random() < 0.5:
            y[0] = _d(c + rng.choice([-1, 1]) * rng.uniform(1.3, 2.0) * delta)  # another clipped one
        rng.shuffle(y)
        return {"y": y, "c": c, "delta": delta, "lr": rng.choice([0.1, 0.2, 0.5, 1.0])}

    def _r(self, p):
        return [round(p["c"] - v, 10) for v in p["y"]]

    def acceptable(self, params):
        d = params["delta"]
        return (all(abs(abs(r) - d) >= 0.1 * d and abs(r) >= 0.05 for r in self._r(params))
                and abs(self._g(params)) >= 0.02 and super().acceptable(params))

    def statement(self, p):
        return (f"A model predicts one constant $c$ for the {len(p['y'])} targets $y = {_tex_list(p['y'])}$ and is "
                r"trained on the mean Huber loss $\hat R(c) = \frac1n \sum_i L_\delta(c - y_i)$, with "
                rf"$\delta = {_signed(p['delta'])}$ and $L_\delta(r) = \tfrac12 r^2$ for $|r| \le \delta$, "
                r"$\delta(|r| - \tfrac12\delta)$ beyond (the convention of `lossref.huber`). Starting from "
                f"$c = {_signed(p['c'])}$, take one gradient-descent step with learning rate "
                f"$\\eta = {_signed(p['lr'])}$. What is the new $c$?")

    def _g(self, p, clip=True, smooth=False):
        d = p["delta"]
        if smooth:
            return M.mean(_clip(r / d, -1.0, 1.0) for r in self._r(p))
        return M.mean(_clip(r, -d, d) if clip else r for r in self._r(p))

    def correct(self, p):
        return p["c"] - p["lr"] * self._g(p)

    def mistakes(self, p):
        c, lr, g = p["c"], p["lr"], self._g(p)
        n = len(p["y"])
        found = [
            Mistake("unclipped", c - lr * self._g(p, clip=False),
                    f"That step uses the raw residuals c - yᵢ, the gradient of ½ r² (a least-squares step). "
                    f"Beyond |r| = δ the Huber loss is linear: clip each residual to [-{_signed(p['delta'])}, "
                    f"{_signed(p['delta'])}] first, so the far targets pull with δ at most."),
            Mistake("uphill", c + lr * g, "That moves c along the gradient, uphill: descent subtracts η·dR/dc."),
            Mistake("sum_not_mean", c - lr * n * g,
                    f"That step uses the sum of the clipped residuals; the risk is a mean, so divide by n = {n}."),
            Mistake("gradient_not_step", g, "That is the gradient dR/dc; the question asks for the new c = c - η·dR/dc."),
        ]
        if abs(lr - 1.0) > 1e-9:
            found.append(Mistake("forgot_lr", c - g, f"That step leaves out the learning rate: multiply the gradient "
                                                     f"by η = {_signed(lr)} before subtracting it."))
        if abs(p["delta"] - 1.0) > 1e-9:
            found.append(Mistake("smooth_l1", c - lr * self._g(p, smooth=True),
                                 "That clips r/δ to [-1, 1], the smooth L1 gradient. The Huber gradient is the "
                                 "residual itself clipped to [-δ, δ]."))
        return found

    def hints(self, problem):
        return [
            r"The derivative of each term in $c$ is $L_\delta'(c - y_i) = \operatorname{clip}(c - y_i, -\delta, \delta)$: "
            r"find the residuals $c - y_i$ and see which exceed $\delta$ in size.",
            r"$\frac{d\hat R}{dc} = \frac1n \sum_i \operatorname{clip}(c - y_i, -\delta, \delta)$, and the step is "
            r"$c \leftarrow c - \eta\,\frac{d\hat R}{dc}$.",
        ]

    def steps(self, p):
        d = p["delta"]
        res = self._r(p)
        clipped = [_clip(r, -d, d) for r in res]
        far = [f(r) for r in res if abs(r) > d]
        return [
            rf"Residuals $c - y_i$: ${', '.join(f(r) for r in res)}$; beyond $\delta = {_signed(d)}$: "
            rf"${', '.join(far)}$.",
            rf"Clipped to $[-\delta, \delta]$: ${', '.join(f(v) for v in clipped)}$; their mean is "
            rf"$\frac{{d\hat R}}{{dc}} = {f(self._g(p))}$.",
            rf"$c \leftarrow {_signed(p['c'])} - {_signed(p['lr'])} \cdot {_pos(_round(self._g(p)))} = "
            rf"{f(self.correct(p))}$.",
        ]


def _round(x: float) -> float:
    return float(f(x))


# ---------------------------------------------------------------------------------- pinball
class PinballSubgradient(NumericExercise):
    """The derivative of the mean pinball loss in a constant prediction, and the step it gives.

    With u_i = y_i - c, the term max(tau u, (tau - 1) u) has slope 1 - tau in c for a target below c and
    -tau for one above, so dR/dc = (fraction of targets below c) - tau when no target equals c."""

    id = "quantile.subgradient"
    skill = "quantile.value"
    title = "Which way the pinball loss moves a constant"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        n = rng.choice([5, 6, 8, 10])
        return {"y": [round(rng.uniform(0.0, 10.0), 1) for _ in range(n)], "c": round(rng.uniform(2.0, 8.0), 1) + 0.05,
                "tau": rng.choice([0.1, 0.2, 0.25, 0.75, 0.8, 0.9]), "lr": rng.choice([0.5, 1.0, 2.0])}

    def _below(self, p):
        return sum(1 for v in p["y"] if v < p["c"])

    def _g(self, p, tau=None):
        tau = p["tau"] if tau is None else tau
        return self._below(p) / len(p["y"]) - tau

    def acceptable(self, params):
        return abs(self._g(params)) >= 0.04 and super().acceptable(params)

    def statement(self, p):
        return (f"A model predicts one constant $c = {p['c']:g}$ for the {len(p['y'])} targets "
                f"$y = {_tex_list(p['y'])}$ and is trained on the mean pinball loss at "
                f"$\\tau = {p['tau']:g}$, $\\hat R(c) = \\frac1n \\sum_i \\max\\big(\\tau u_i, (\\tau - 1) u_i\\big)$ "
                r"with $u_i = y_i - c$. Compute the derivative $d\hat R/dc$ at this $c$ (no target equals $c$), "
                f"then the new $c$ after one gradient-descent step with learning rate $\\eta = {p['lr']:g}$. "
                "Enter the two numbers in that order.")

    def correct(self, p):
        g = self._g(p)
        return [g, p["c"] - p["lr"] * g]

    def mistakes(self, p):
        g, c, lr, n = self._g(p), p["c"], p["lr"], len(p["y"])
        swapped = self._g(p, tau=1 - p["tau"])
        value = M.mean(M.quantile(v, c, p["tau"]) for v in p["y"])
        return [
            Mistake("sign_flipped", [-g, c + lr * g],
                    "The sign is flipped: raising c lowers the cost of the targets above it (slope -τ each) and "
                    "raises that of the targets below it (slope 1 - τ each), so dR/dc = (fraction below c) - τ."),
            Mistake("tau_swapped", [swapped, c - lr * swapped],
                    "That swaps the two slopes: an over-prediction (target below c) costs 1 - τ per unit, an "
                    "under-prediction τ per unit."),
            Mistake("count_not_fraction", [n * g, c - lr * n * g],
                    f"That is the derivative of the sum of the losses; the risk is their mean: divide by n = {n}."),
            Mistake("uphill", [g, c + lr * g], "The derivative is right, but the step goes uphill: descent is "
                                               "c - η·dR/dc."),
            Mistake("loss_not_grad", [value, c - lr * value],
                    "That is the mean pinball loss itself, not its derivative in c."),
        ]

    def generic_feedback(self, problem, value):
        g = self.correct(problem.params)[0]
        fmt = problem.answer
        if abs(value[0] - g) <= fmt.atol + fmt.rtol * abs(g):
            return "The derivative is right; check the step: c - η·dR/dc."
        return super().generic_feedback(problem, value)

    def hints(self, problem):
        return [
            r"For one target, $\frac{d}{dc}\max\big(\tau(y - c), (\tau - 1)(y - c)\big)$ is $-\tau$ if $y > c$ "
            r"(an under-prediction) and $1 - \tau$ if $y < c$ (an over-prediction).",
            r"Average over the targets: $\frac{d\hat R}{dc} = \frac{k(1 - \tau) - (n - k)\tau}{n} = \frac{k}{n} - \tau$, "
            r"with $k$ the number of targets below $c$. Then step: $c - \eta\,\frac{d\hat R}{dc}$.",
        ]

    def steps(self, p):
        k, n, tau = self._below(p), len(p["y"]), p["tau"]
        g = self._g(p)
        way = "down" if g > 0 else "up"
        return [
            rf"Targets below $c = {p['c']:g}$: $k = {k}$ of $n = {n}$; the other {n - k} are above.",
            rf"$\frac{{d\hat R}}{{dc}} = \frac{{{k}(1 - {tau:g}) - {n - k} \cdot {tau:g}}}{{{n}}} = "
            rf"\frac{{{k}}}{{{n}}} - {tau:g} = {f(g)}$.",
            rf"$c \leftarrow {p['c']:g} - {p['lr']:g} \cdot {_pos(_round(g))} = {f(p['c'] - p['lr'] * g)}$: the step "
            rf"moves $c$ {way}, toward the ${tau:g}$ quantile of the targets.",
        ]


# ---------------------------------------------------------------------------------- log-cosh
class LogCoshLinearGradient(NumericExercise):
    """dR/dw of the mean log-cosh loss through y_hat = w x: (1/n) sum_i tanh(w x_i - y_i) x_i."""

    id = "log_cosh.linear_grad"
    skill = "log_cosh.grad"
    title = "The log-cosh risk of a linear model"
    depth = "derive"

    def make_params(self, rng):
        return {"x": [_d(rng.choice([-1, 1]) * rng.uniform(0.5, 3.0)) for _ in range(3)],
                "y": [_d(rng.uniform(-3.0, 4.0)) for _ in range(3)], "w": _d(rng.uniform(-1.5, 2.0))}

    def _r(self, p):
        return [p["w"] * x - y for x, y in zip(p["x"], p["y"])]

    def acceptable(self, params):
        return (abs(self.correct(params)) >= 0.05 and any(abs(r) > 1.2 for r in self._r(params))
                and super().acceptable(params))

    def statement(self, p):
        pairs = ", ".join(f"$({_signed(x)}, {_signed(y)})$" for x, y in zip(p["x"], p["y"]))
        return (r"A linear model $\hat y = w x$ (no bias) is trained on the mean log-cosh loss "
                r"$\hat R(w) = \frac1n \sum_i \log\cosh(\hat y_i - y_i)$ over the three examples $(x_i, y_i)$: "
                f"{pairs}. Compute $d\\hat R/dw$ at $w = {_signed(p['w'])}$.")

    def correct(self, p):
        return M.mean(math.tanh(r) * x for r, x in zip(self._r(p), p["x"]))

    def mistakes(self, p):
        g, res = self.correct(p), self._r(p)
        return [
            Mistake("sign_flipped", -g, "The sign is flipped: the residual is ŷ - y = wx - y, prediction minus truth."),
            Mistake("sum_not_mean", 3 * g, "That is the derivative of the sum; the risk is the mean: divide by n = 3."),
            Mistake("forgot_chain_factor", M.mean(math.tanh(r) for r in res),
                    "That is the mean of tanh(rᵢ), the derivative in the predictions. The chain rule multiplies "
                    "each by ∂ŷᵢ/∂w = xᵢ before averaging."),
            Mistake("quadratic_approx", M.mean(r * x for r, x in zip(res, p["x"])),
                    "That uses rᵢ instead of tanh(rᵢ): the derivative of the approximation r²/2, valid only near 0. "
                    "A residual beyond 1 in size pulls with less than 1."),
            Mistake("used_sinh", M.mean(math.sinh(r) * x for r, x in zip(res, p["x"])),
                    "That uses sinh(rᵢ), the derivative of cosh alone; through the log it is sinh/cosh = tanh."),
            Mistake("value_not_grad", M.mean(M.log_cosh(r) for r in res),
                    "That is the risk itself; the question asks for its derivative in w."),
        ]

    def hints(self, problem):
        return [
            r"Per example, $\frac{d}{dw}\log\cosh(w x_i - y_i) = \tanh(w x_i - y_i)\cdot x_i$ by the chain rule.",
            r"Compute the residuals $r_i = w x_i - y_i$, then $\frac{d\hat R}{dw} = \frac13 \sum_i \tanh(r_i)\,x_i$.",
        ]

    def steps(self, p):
        res = self._r(p)
        terms = " + ".join(f"{_pos(_round(math.tanh(r)))} \\cdot {_pos(x)}" for r, x in zip(res, p["x"]))
        return [
            rf"Residuals $r_i = w x_i - y_i$: ${', '.join(f(r) for r in res)}$.",
            rf"$\tanh(r_i)$: ${', '.join(f(math.tanh(r)) for r in res)}$.",
            rf"$\frac{{d\hat R}}{{dw}} = \frac13[{terms}] \approx {f(self.correct(p))}$.",
        ]


EXERCISES = [HuberDescentStep(), PinballSubgradient(), LogCoshLinearGradient()]
