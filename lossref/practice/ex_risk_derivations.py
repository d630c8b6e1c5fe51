"""Derivations of session 1: the gradient of a risk through a model, by the chain rule."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise
from ._core import fmt_number as f
from .ex_risk import _num, _pairs, _par, _r

__all__ = ["LinearModelGradient", "TwoLayerGradient"]


# ---------------------------------------------------------------------------------- linear model
class LinearModelGradient(NumericExercise):
    """(dR/dw, dR/db) of the squared-error risk of y_hat = w x + b over a small batch.

    With r_i = w x_i + b - y_i and the pointwise loss c/2 r^2 (c = 1 with the 1/2, 2 without),
    dR/dw = (c/n) sum_i r_i x_i and dR/db = (c/n) sum_i r_i."""

    id = "risk.gradient_linear"
    skill = "risk.gradient"
    title = "The gradient of the risk of a linear model"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        n = rng.choice([3, 4])
        x = [_r(rng.choice([-1, 1]) * rng.uniform(0.5, 3.0)) for _ in range(n)]
        return {"x": x, "y": [_r(rng.uniform(-3.0, 4.0)) for _ in range(n)], "w": _r(rng.uniform(-1.5, 2.0)),
                "b": _r(rng.choice([-1, 1]) * rng.uniform(0.3, 2.0)), "half": rng.choice([True, False])}

    def acceptable(self, params):
        return all(abs(g) >= 0.1 for g in self.correct(params)) and super().acceptable(params)

    def statement(self, p):
        loss = r"L = \tfrac12 (\hat y - y)^2" if p["half"] else r"L = (\hat y - y)^2"
        note = "with the factor $\\tfrac12$" if p["half"] else "without a factor $\\tfrac12$"
        return (f"A linear model $\\hat y = w x + b$ is fitted to the {len(p['x'])} examples $(x_i, y_i)$: "
                f"{_pairs(p['x'], p['y'])}. The pointwise loss is the squared error {note}, ${loss}$, and the "
                r"empirical risk is $\hat R(w, b) = \frac{1}{n} \sum_i L_i$. "
                f"Compute the gradient $\\left(\\partial \\hat R / \\partial w,\\ \\partial \\hat R / \\partial b\\right)$ "
                f"at $w = {_num(p['w'])}$, $b = {_num(p['b'])}$: enter the two numbers in that order.")

    def _c(self, p):
        return 1.0 if p["half"] else 2.0

    def _residuals(self, p, b=None):
        b = p["b"] if b is None else b
        return [p["w"] * x + b - y for x, y in zip(p["x"], p["y"])]

    def _grad(self, p, res):
        c = self._c(p)
        return [c * M.mean(r * x for r, x in zip(res, p["x"])), c * M.mean(res)]

    def correct(self, p):
        return self._grad(p, self._residuals(p))

    def mistakes(self, p):
        dw, db = self.correct(p)
        n = len(p["x"])
        found = [
            Mistake("sum_not_mean", [n * dw, n * db],
                    f"That is the gradient of the sum of the losses; the risk is their mean, so both entries carry "
                    f"the factor 1/n = 1/{n}."),
            Mistake("sign_flipped", [-dw, -db],
                    "The signs are flipped: the error signal is prediction minus truth, r = wx + b - y. The gradient "
                    "points uphill; the descent step goes against it."),
            Mistake("forgot_chain_factor", [db, db],
                    "The w entry is the mean error signal without its factor: by the chain rule "
                    "∂ŷᵢ/∂w = xᵢ, so each residual is multiplied by its xᵢ before averaging (for b, ∂ŷᵢ/∂b = 1)."),
            Mistake("swapped", [db, dw], "The two entries are swapped: enter ∂R/∂w first, then ∂R/∂b."),
            Mistake("forgot_bias", self._grad(p, self._residuals(p, b=0.0)),
                    f"Those residuals leave out the bias: the predictions are ŷᵢ = w xᵢ + b, with "
                    f"b = {_num(p['b'])}, before subtracting yᵢ."),
        ]
        if p["half"]:
            found.append(Mistake("dropped_half", [2 * dw, 2 * db],
                                 "Both entries are twice too large: with L = ½(ŷ - y)² the ½ cancels the 2 of the "
                                 "power rule, so ∂L/∂ŷ = ŷ - y."))
        else:
            found.append(Mistake("missing_two", [dw / 2, db / 2],
                                 "Both entries are half the answer: this loss has no ½, so ∂L/∂ŷ = 2(ŷ - y)."))
        return found

    def generic_feedback(self, problem, value):
        target = self.correct(problem.params)
        fmt = problem.answer
        ok = [abs(a - t) <= fmt.atol + fmt.rtol * abs(t) for a, t in zip(value, target)]
        if ok[1] and not ok[0]:
            return ("∂R/∂b is right; check ∂R/∂w: the same error signals, each multiplied by its xᵢ before "
                    "averaging.")
        if ok[0] and not ok[1]:
            return "∂R/∂w is right; check ∂R/∂b: the mean of the error signals, since ∂ŷᵢ/∂b = 1."
        return super().generic_feedback(problem, value)

    def hints(self, problem):
        c = "(\\hat y_i - y_i)" if problem.params["half"] else "2(\\hat y_i - y_i)"
        return [
            rf"Compute the predictions $\hat y_i = w x_i + b$ and the error signals $\partial L_i/\partial \hat y_i = {c}$.",
            r"Chain rule: $\partial \hat y_i/\partial w = x_i$ and $\partial \hat y_i/\partial b = 1$, so "
            rf"$\frac{{\partial \hat R}}{{\partial w}} = \frac1n \sum_i {c}\, x_i$ and "
            rf"$\frac{{\partial \hat R}}{{\partial b}} = \frac1n \sum_i {c}$.",
        ]

    def steps(self, p):
        res = self._residuals(p)
        n, c = len(res), self._c(p)
        sig = [c * r for r in res]
        preds = ", ".join(f(p["w"] * x + p["b"]) for x in p["x"])
        signal = r"\hat y_i - y_i" if p["half"] else r"2(\hat y_i - y_i)"
        terms = " + ".join(f"{_par(_r(s, 4))} \\cdot {_par(x)}" for s, x in zip(sig, p["x"]))
        dw, db = self.correct(p)
        return [
            rf"Predictions $\hat y_i = {_num(p['w'])} x_i + {_par(p['b'])}$: ${preds}$; residuals "
            rf"$\hat y_i - y_i$: ${', '.join(f(r) for r in res)}$.",
            rf"Error signals $\partial L_i/\partial \hat y_i = {signal}$: ${', '.join(f(s) for s in sig)}$.",
            rf"$\frac{{\partial \hat R}}{{\partial w}} = \frac{{1}}{{{n}}}[{terms}] \approx {f(dw)}$ "
            r"(each signal times $\partial \hat y_i/\partial w = x_i$).",
            rf"$\frac{{\partial \hat R}}{{\partial b}} = \frac{{1}}{{{n}}}({' + '.join(_par(_r(s, 4)) for s in sig)}) "
            rf"\approx {f(db)}$ (each signal times $\partial \hat y_i/\partial b = 1$).",
        ]


# ---------------------------------------------------------------------------------- two layers
_ACTIVATIONS = {
    # name: (TeX of h, the function, its derivative)
    "relu": (r"\max(0,\ w_1 x + b_1)", lambda a: max(a, 0.0), lambda a: 1.0 if a > 0 else 0.0),
    "tanh": (r"\tanh(w_1 x + b_1)", math.tanh, lambda a: 1.0 - math.tanh(a) ** 2),
}


class TwoLayerGradient(NumericExercise):
    """dR/dw1 or dR/db1 of a scalar network with one hidden unit over two examples, by backpropagation.

    a = w1 x + b1, h = act(a), y_hat = w2 h + b2, L = 1/2 (y_hat - y)^2, R the mean over two examples:
    dL/dw1 = (y_hat - y) * w2 * act'(a) * x, and dL/db1 the same without x. A ReLU whose input is negative
    passes no gradient: act'(a) = 0 there."""

    id = "risk.backprop"
    skill = "risk.backprop"
    title = "The gradient through a two-layer model"
    depth = "derive"

    def make_params(self, rng):
        act = rng.choice(["relu", "tanh"])
        p = {"activation": act, "wrt": rng.choice(["w1", "w1", "b1"]),
             "w1": _r(rng.choice([-1, 1]) * rng.uniform(0.3, 1.5)), "b1": _r(rng.uniform(-1.0, 1.0)),
             "w2": _r(rng.choice([-1, 1]) * rng.uniform(0.5, 2.0)), "b2": _r(rng.uniform(-1.0, 1.0))}
        p["x"] = [_r(rng.choice([-1, 1]) * rng.uniform(0.3, 2.5)) for _ in range(2)]
        if act == "relu" and rng.random() < 0.7:
            # one example's hidden unit inactive (negative pre-activation), the other active
            signs = [1, -1]
            rng.shuffle(signs)
            for i, s in enumerate(signs):
                if s * (p["w1"] * p["x"][i] + p["b1"]) < 0:
                    p["x"][i] = _r(-p["x"][i] - 2 * p["b1"] / p["w1"])
        p["y"] = [_r(rng.uniform(-2.0, 3.0)) for _ in range(2)]
        return p

    def _pre(self, p):
        return [p["w1"] * x + p["b1"] for x in p["x"]]

    def acceptable(self, params):
        pre = self._pre(params)
        return (all(abs(a) >= 0.1 for a in pre) and all(abs(x) <= 4 for x in params["x"])
                and all(abs(x) >= 0.2 for x in params["x"]) and abs(self.correct(params)) >= 0.05
                and super().acceptable(params))

    def statement(self, p):
        h = _ACTIVATIONS[p["activation"]][0]
        wrt = "w_1" if p["wrt"] == "w1" else "b_1"
        return (f"A scalar network has one hidden unit: $h = {h}$ and $\\hat y = w_2 h + b_2$, with "
                f"$w_1 = {_num(p['w1'])}$, $b_1 = {_num(p['b1'])}$, $w_2 = {_num(p['w2'])}$, "
                f"$b_2 = {_num(p['b2'])}$. It is trained on the two examples $(x_i, y_i)$: "
                f"{_pairs(p['x'], p['y'])}, with $L = \\tfrac12(\\hat y - y)^2$ and the risk "
                r"$\hat R = \frac12 (L_1 + L_2)$. "
                f"Compute $\\partial \\hat R / \\partial {wrt}$ by the chain rule.")

    def _parts(self, p):
        """Per example: pre-activation a, hidden h, prediction, error signal, activation slope."""
        _, act, slope = _ACTIVATIONS[p["activation"]]
        rows = []
        for x, y, a in zip(p["x"], p["y"], self._pre(p)):
            h = act(a)
            y_hat = p["w2"] * h + p["b2"]
            rows.append({"x": x, "a": a, "h": h, "y_hat": y_hat, "r": y_hat - y, "s": slope(a)})
        return rows

    def _mean_grad(self, p, slope_key="s", w2=True, times_x=None):
        times_x = (p["wrt"] == "w1") if times_x is None else times_x
        terms = []
        for row in self._parts(p):
            s = row[slope_key] if isinstance(slope_key, str) else slope_key(row)
            terms.append(row["r"] * (p["w2"] if w2 else 1.0) * s * (row["x"] if times_x else 1.0))
        return M.mean(terms)

    def correct(self, p):
        return self._mean_grad(p)

    def mistakes(self, p):
        g = self.correct(p)
        rows = self._parts(p)
        found = [
            Mistake("sum_not_mean", 2 * g, "That is the gradient of L₁ + L₂; the risk is their mean, so divide the "
                                           "sum of the two examples' gradients by 2."),
            Mistake("sign_flipped", -g, "The sign is flipped: the error signal is ŷ - y, prediction minus truth."),
            Mistake("forgot_w2", self._mean_grad(p, w2=False),
                    "The factor w₂ is missing: the hidden unit reaches the output through ŷ = w₂h + b₂, so "
                    "∂ŷ/∂h = w₂ sits in the chain between the error signal and the activation."),
            Mistake("grad_of_w2", M.mean(row["r"] * row["h"] for row in rows),
                    "That is ∂R/∂w₂ (error signal times h), the gradient of the output weight. The first layer's "
                    "gradient goes further back: times w₂, times the activation's slope"
                    + (", times x." if p["wrt"] == "w1" else ".")),
            Mistake("value_not_slope", self._mean_grad(p, slope_key="h"),
                    "That multiplies by the activation's value h instead of its derivative: "
                    + ("the ReLU's slope is 1 where its input is positive and 0 where it is negative."
                       if p["activation"] == "relu" else "d tanh(a)/da = 1 - tanh²(a) = 1 - h².")),
        ]
        if p["activation"] == "relu":
            inactive = [i + 1 for i, row in enumerate(rows) if row["a"] < 0]
            if inactive:
                i = inactive[0]
                found.append(Mistake("relu_inactive", self._mean_grad(p, slope_key=lambda row: 1.0),
                                     f"Example {i}'s hidden unit is inactive: its pre-activation w₁x + b₁ = "
                                     f"{f(rows[i - 1]['a'])} is negative, so h = 0 and the ReLU's slope there is 0. "
                                     f"That example passes no gradient to w₁ or b₁; only the other one counts."))
        else:
            found.append(Mistake("forgot_activation", self._mean_grad(p, slope_key=lambda row: 1.0),
                                 "The activation's derivative is missing: between h and the pre-activation a the "
                                 "chain rule multiplies by d tanh(a)/da = 1 - tanh²(a)."))
        if p["wrt"] == "w1":
            found.append(Mistake("forgot_x", self._mean_grad(p, times_x=False),
                                 "That is ∂R/∂b₁: for w₁ each example's term is also multiplied by "
                                 "∂a/∂w₁ = x."))
        else:
            found.append(Mistake("times_x", self._mean_grad(p, times_x=True),
                                 "That is ∂R/∂w₁: for b₁ the last factor is ∂a/∂b₁ = 1, not x."))
        return found

    def hints(self, problem):
        p = problem.params
        slope = (r"1 \text{ if } a > 0 \text{ else } 0" if p["activation"] == "relu"
                 else r"1 - \tanh^2(a)")
        last = "x" if p["wrt"] == "w1" else "1"
        wrt = "w_1" if p["wrt"] == "w1" else "b_1"
        return [
            r"Forward pass for each example: $a = w_1 x + b_1$, $h$, $\hat y = w_2 h + b_2$; then the error signal "
            r"$\partial L/\partial \hat y = \hat y - y$.",
            rf"Backward: $\frac{{\partial L}}{{\partial {wrt}}} = (\hat y - y) \cdot w_2 \cdot h'(a) \cdot {last}$, "
            rf"with $h'(a) = {slope}$.",
            r"Average the two examples' gradients: $\hat R$ is a mean."
            + (" An example whose pre-activation is negative contributes 0." if p["activation"] == "relu" else ""),
        ]

    def steps(self, p):
        rows = self._parts(p)
        wrt = "w_1" if p["wrt"] == "w1" else "b_1"
        out = []
        for i, row in enumerate(rows, 1):
            last = f" \\cdot {_par(row['x'])}" if p["wrt"] == "w1" else ""
            term = row["r"] * p["w2"] * row["s"] * (row["x"] if p["wrt"] == "w1" else 1.0)
            out.append(rf"Example {i}: $a = {f(row['a'])}$, $h = {f(row['h'])}$, $\hat y = {f(row['y_hat'])}$, "
                       rf"$\hat y - y = {f(row['r'])}$, $h'(a) = {f(row['s'])}$; "
                       rf"$\partial L_{i}/\partial {wrt} = {f(row['r'])} \cdot {_par(p['w2'])} \cdot {f(row['s'])}"
                       rf"{last} = {f(term)}$.")
        out.append(rf"$\partial \hat R/\partial {wrt} = \frac12(\text{{sum of the two}}) \approx {f(self.correct(p))}$.")
        return out


EXERCISES = [LinearModelGradient(), TwoLayerGradient()]
