"""Derivations of session 5: the Hessian of softmax cross-entropy, the focal loss's gradient by the
chain rule, and the logits that minimise a label-smoothed cross-entropy."""

from __future__ import annotations

import functools
import math

from . import _math as M
from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["CrossEntropyHessianRow", "CrossEntropyCurvature", "FocalGrad", "FocalMinimiser", "SmoothedOptimalGap",
           "KLGradient"]

_ORDINAL = ("first", "second", "third")


def _d(x: float) -> str:
    """A drawn number with one decimal, never "-0.0"."""
    return f"{x + 0.0:.1f}" if round(x, 1) != 0 else "0.0"


def _tuple(values) -> str:
    return "(" + ", ".join(_d(v) for v in values) + ")"


def _vec(values) -> str:
    return "(" + ", ".join(f(v) for v in values) + ")"


def _draw_logits(rng) -> list[float]:
    return [round(rng.uniform(-2.0, 2.5), 1) + 0.0 for _ in range(3)]


# ---------------------------------------------------------------------------------- Hessian
class CrossEntropyHessianRow(NumericExercise):
    """A row, or the diagonal, of the Hessian of softmax cross-entropy in the logits: diag(p) - p p^T.

    The gradient is p - y; differentiating p_i = softmax(z)_i in z_j gives p_i (delta_ij - p_j), and the
    target y, a constant, drops out.
    """

    id = "cross_entropy.hessian_row"
    skill = "cross_entropy.hessian"
    title = "The Hessian of softmax cross-entropy"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        return {"z": _draw_logits(rng), "label": rng.randrange(3), "row": rng.choice([0, 1, 2, "diag"])}

    def statement(self, p):
        what = ("its diagonal $(H_{11}, H_{22}, H_{33})$" if p["row"] == "diag" else
                f"its {_ORDINAL[p['row']]} row $(H_{{{p['row'] + 1}1}}, H_{{{p['row'] + 1}2}}, "
                f"H_{{{p['row'] + 1}3}})$")
        return (f"A three-class model outputs the logits $z = {_tuple(p['z'])}$ and the true class is class "
                f"{p['label'] + 1} (counting from 1). The loss is the softmax cross-entropy "
                r"$L = -\log \operatorname{softmax}(z)_c$. Its Hessian in the logits is the matrix "
                r"$H_{ij} = \partial^2 L / \partial z_i \partial z_j$. Compute " + what + ".")

    def _pick(self, matrix, row):
        if row == "diag":
            return [matrix[j][j] for j in range(3)]
        return list(matrix[row])

    def correct(self, p):
        return self._pick(M.softmax_hessian(p["z"]), p["row"])

    def mistakes(self, p):
        probs = M.softmax(p["z"])
        row, c = p["row"], p["label"]
        diag_only = [[probs[i] * (1 - probs[i]) if i == j else 0.0 for j in range(3)] for i in range(3)]
        no_diag = [[-probs[i] * probs[j] for j in range(3)] for i in range(3)]
        plus_outer = [[probs[i] * (1 - probs[i]) if i == j else probs[i] * probs[j] for j in range(3)]
                      for i in range(3)]
        grad = [q - (j == c) for j, q in enumerate(probs)]
        found = [
            Mistake("sign_flipped", [-v for v in self.correct(p)],
                    "The sign is flipped: the Hessian of a convex loss has a positive diagonal, "
                    "$H_{ii} = \\hat p_i (1 - \\hat p_i)$."),
            Mistake("gradient_not_hessian", grad,
                    "That is the gradient $\\hat p - y$, the first derivative. Differentiate it once more: "
                    "$\\partial \\hat p_i/\\partial z_j = \\hat p_i(\\delta_{ij} - \\hat p_j)$."),
        ]
        if row == "diag":
            found.append(Mistake("forgot_outer_product", probs,
                                 "That is $\\hat p$, the diagonal of $\\operatorname{diag}(\\hat p)$ alone. The Hessian "
                                 "is $\\operatorname{diag}(\\hat p) - \\hat p \\hat p^\\top$, so each diagonal entry "
                                 "loses $\\hat p_i^2$."))
            found.append(Mistake("squared_probabilities", [q * q for q in probs],
                                 "That is $\\hat p_i^2$, the outer product's diagonal. The entry is "
                                 "$\\hat p_i - \\hat p_i^2 = \\hat p_i(1 - \\hat p_i)$."))
        else:
            found += [
                Mistake("diagonal_only", self._pick(diag_only, row),
                        "The off-diagonal entries are missing: $z_j$ changes every probability through the "
                        "softmax's denominator, so $H_{ij} = -\\hat p_i \\hat p_j$ for $j \\ne i$."),
                Mistake("forgot_diag", self._pick(no_diag, row),
                        "That is $-\\hat p \\hat p^\\top$ alone; the diagonal entry also gets $\\hat p_i$ from "
                        "$\\operatorname{diag}(\\hat p)$."),
                Mistake("offdiag_sign", self._pick(plus_outer, row),
                        "The off-diagonal entries have the wrong sign: raising $z_j$ lowers every other "
                        "probability, so $H_{ij} = -\\hat p_i \\hat p_j$."),
            ]
        return found

    def hints(self, problem):
        return [
            r"Start from the gradient $\partial L/\partial z_i = \hat p_i - y_i$. The target $y$ does not depend on "
            r"$z$, so $H_{ij} = \partial \hat p_i/\partial z_j$, and the label does not matter.",
            r"Differentiate $\hat p_i = e^{z_i}/\sum_k e^{z_k}$ by the quotient rule: "
            r"$\partial \hat p_i/\partial z_j = \hat p_i(\delta_{ij} - \hat p_j)$, with $\delta_{ij} = 1$ if $i = j$ "
            r"and 0 otherwise.",
            r"So $H = \operatorname{diag}(\hat p) - \hat p \hat p^\top$: $\hat p_i(1 - \hat p_i)$ on the diagonal and "
            r"$-\hat p_i \hat p_j$ off it. Each row sums to 0.",
        ]

    def steps(self, p):
        probs = M.softmax(p["z"])
        if p["row"] == "diag":
            last = rf"The diagonal $\hat p_i (1 - \hat p_i)$: ${_vec(self.correct(p))}$."
        else:
            i = p["row"] + 1
            last = (rf"Row {i}: $\hat p_{i}(1 - \hat p_{i})$ at position {i} and $-\hat p_{i} \hat p_j$ elsewhere: "
                    rf"${_vec(self.correct(p))}$, which sums to 0.")
        return [
            rf"$\hat p = \operatorname{{softmax}}{_tuple(p['z'])} \approx {_vec(probs)}$.",
            r"$H = \operatorname{diag}(\hat p) - \hat p \hat p^\top$, whatever the true class.",
            last,
        ]


class CrossEntropyCurvature(NumericExercise):
    """The curvature of softmax cross-entropy along a direction v: v^T H v = sum_j p_j v_j^2 - (sum_j p_j v_j)^2,
    the variance of v under the softmax probabilities."""

    id = "cross_entropy.curvature"
    skill = "cross_entropy.hessian"
    title = "The curvature of cross-entropy along a direction"
    depth = "derive"

    def make_params(self, rng):
        v = [float(rng.choice([-2, -1, 1, 2])) for _ in range(3)]
        return {"z": _draw_logits(rng), "label": rng.randrange(3), "v": v}

    def acceptable(self, params):
        return len(set(params["v"])) > 1 and self.correct(params) >= 0.02 and super().acceptable(params)

    def statement(self, p):
        v = "(" + ", ".join(f"{int(x)}" for x in p["v"]) + ")"
        return (f"A three-class model outputs the logits $z = {_tuple(p['z'])}$ and the true class is class "
                f"{p['label'] + 1} (counting from 1); the loss is the softmax cross-entropy "
                r"$L(z) = -\log \operatorname{softmax}(z)_c$. Move the logits along the direction "
                f"$v = {v}$: compute the curvature "
                r"$\frac{d^2}{dt^2} L(z + t v)\big|_{t = 0} = v^\top H v$, with $H$ the Hessian of $L$ in the logits.")

    def _moments(self, p):
        probs = M.softmax(p["z"])
        first = math.fsum(q * x for q, x in zip(probs, p["v"]))
        second = math.fsum(q * x * x for q, x in zip(probs, p["v"]))
        return probs, first, second

    def correct(self, p):
        _, first, second = self._moments(p)
        return second - first * first

    def mistakes(self, p):
        probs, first, second = self._moments(p)
        c = p["label"]
        return [
            Mistake("forgot_outer_product", second,
                    "That is $v^\\top \\operatorname{diag}(\\hat p)\\, v = \\sum_j \\hat p_j v_j^2$ alone. The Hessian "
                    "also has $-\\hat p \\hat p^\\top$, which subtracts $(\\hat p^\\top v)^2$."),
            Mistake("diagonal_only", math.fsum(q * (1 - q) * x * x for q, x in zip(probs, p["v"])),
                    "That uses only the diagonal $\\hat p_j (1 - \\hat p_j)$ of $H$; the off-diagonal entries "
                    "$-\\hat p_i \\hat p_j$ contribute $-2\\hat p_i \\hat p_j v_i v_j$ to $v^\\top H v$."),
            Mistake("first_derivative", math.fsum((q - (j == c)) * x for j, (q, x) in enumerate(zip(probs, p["v"]))),
                    "That is the slope $(\\hat p - y)^\\top v$, the first derivative along $v$. The curvature is "
                    "the second derivative, $v^\\top H v$."),
            Mistake("sign_flipped", first * first - second,
                    "The sign is flipped: cross-entropy is convex in the logits, so its curvature is never "
                    "negative."),
        ]

    def hints(self, problem):
        return [
            r"The Hessian of softmax cross-entropy in the logits is $H = \operatorname{diag}(\hat p) - \hat p "
            r"\hat p^\top$ with $\hat p = \operatorname{softmax}(z)$, whatever the true class.",
            r"Then $v^\top H v = \sum_j \hat p_j v_j^2 - (\sum_j \hat p_j v_j)^2$: the variance of the entries of "
            r"$v$ under the probabilities $\hat p$, never negative.",
            r"Compute $\hat p$, then the mean $m = \sum_j \hat p_j v_j$ and the mean square "
            r"$\sum_j \hat p_j v_j^2$, and subtract $m^2$.",
        ]

    def steps(self, p):
        probs, first, second = self._moments(p)
        return [
            rf"$\hat p = \operatorname{{softmax}}{_tuple(p['z'])} \approx {_vec(probs)}$.",
            r"$v^\top H v = v^\top \operatorname{diag}(\hat p)\, v - (\hat p^\top v)^2 = "
            r"\sum_j \hat p_j v_j^2 - (\sum_j \hat p_j v_j)^2$.",
            rf"$\sum_j \hat p_j v_j \approx {f(first, 6)}$ and $\sum_j \hat p_j v_j^2 \approx {f(second, 6)}$.",
            rf"$v^\top H v \approx {f(second, 6)} - ({f(first, 6)})^2 \approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- focal gradient
class FocalGrad(NumericExercise):
    """The gradient of the sigmoid focal loss in the logit, by the chain and product rules.

    dL/dz = s [gamma p_t (1 - p_t)^gamma log p_t - (1 - p_t)^(gamma + 1)], s = +1 for y = 1 and -1 for y = 0.
    """

    id = "focal.grad"
    skill = "focal.value"
    title = "The gradient of the focal loss"
    depth = "derive"

    def make_params(self, rng):
        return {"y": rng.choice([0, 1]), "z": round(rng.uniform(-3.0, 3.0), 1) + 0.0,
                "gamma": rng.choice([0.5, 1.0, 2.0, 3.0])}

    def acceptable(self, params):
        return abs(params["z"]) >= 0.2 and abs(self.correct(params)) >= 0.01 and super().acceptable(params)

    def statement(self, p):
        return ("The sigmoid focal loss of one example is $L = -(1 - p_t)^{\\gamma} \\log p_t$, where "
                r"$p_t = \sigma(z)$ if $y = 1$ and $p_t = 1 - \sigma(z)$ if $y = 0$. "
                f"For the logit $z = {_d(p['z'])}$, the label $y = {p['y']}$ and $\\gamma = {p['gamma']:g}$, compute "
                r"$\partial L / \partial z$ (natural logarithm).")

    def _pt(self, p):
        return M.sigmoid(p["z"]) if p["y"] == 1 else 1 - M.sigmoid(p["z"])

    def correct(self, p):
        return M.focal_grad(p["y"], p["z"], p["gamma"])

    def mistakes(self, p):
        g, pt = p["gamma"], self._pt(p)
        sign = 1.0 if p["y"] == 1 else -1.0
        bce = M.sigmoid(p["z"]) - p["y"]
        dl_dpt = g * (1 - pt) ** (g - 1) * math.log(pt) - (1 - pt) ** g / pt
        return [
            Mistake("factor_held_constant", (1 - pt) ** g * bce,
                    "That treats the factor $(1 - p_t)^{\\gamma}$ as a constant: $(1 - p_t)^{\\gamma}(\\sigma(z) - y)$. "
                    "The factor depends on $z$ too, and the product rule adds "
                    "$\\gamma\\, p_t (1 - p_t)^{\\gamma} \\log p_t$ (times the sign of $dp_t/dz$)."),
            Mistake("bce_gradient", bce,
                    "That is the binary cross-entropy's gradient $\\sigma(z) - y$, the focal loss at $\\gamma = 0$."),
            Mistake("derivative_in_pt", dl_dpt,
                    "That is $\\partial L/\\partial p_t$. Multiply by $\\partial p_t/\\partial z = "
                    "\\pm p_t(1 - p_t)$, with $+$ for $y = 1$ and $-$ for $y = 0$."),
            Mistake("sign_flipped", -self.correct(p),
                    "The sign is flipped: for $y = 1$, $p_t = \\sigma(z)$ grows with $z$ and the loss falls, so the "
                    "gradient is negative; for $y = 0$ it is positive."),
            Mistake("log_term_sign", sign * (-g * pt * (1 - pt) ** g * math.log(pt) - (1 - pt) ** (g + 1)),
                    "The product rule's first term has the wrong sign: $\\frac{d}{dp}(1 - p)^{\\gamma} = "
                    "-\\gamma (1 - p)^{\\gamma - 1}$, and with the minus in front of the loss the term is "
                    "$+\\gamma (1 - p_t)^{\\gamma - 1} \\log p_t$ (a negative number, since $\\log p_t < 0$)."),
        ]

    def hints(self, problem):
        return [
            r"Work in $p_t$ first, then chain: $\frac{\partial L}{\partial z} = \frac{\partial L}{\partial p_t} "
            r"\frac{\partial p_t}{\partial z}$, with $\frac{\partial p_t}{\partial z} = p_t(1 - p_t)$ for $y = 1$ and "
            r"$-p_t(1 - p_t)$ for $y = 0$.",
            r"Product rule on $L = -(1 - p_t)^{\gamma} \log p_t$: "
            r"$\frac{\partial L}{\partial p_t} = \gamma (1 - p_t)^{\gamma - 1} \log p_t - \frac{(1 - p_t)^{\gamma}}{p_t}$.",
            r"Multiplied out: $\frac{\partial L}{\partial z} = \pm\left[\gamma\, p_t (1 - p_t)^{\gamma} \log p_t "
            r"- (1 - p_t)^{\gamma + 1}\right]$. At $\gamma = 0$ this is $\sigma(z) - y$.",
        ]

    def steps(self, p):
        g, pt = p["gamma"], self._pt(p)
        sign = "+" if p["y"] == 1 else "-"
        first = g * pt * (1 - pt) ** g * math.log(pt)
        second = (1 - pt) ** (g + 1)
        return [
            rf"$\sigma({_d(p['z'])}) \approx {f(M.sigmoid(p['z']))}$, so $p_t \approx {f(pt)}$ and "
            rf"$\partial p_t/\partial z = {sign}p_t(1 - p_t)$.",
            r"$\frac{\partial L}{\partial z} = \pm\left[\gamma\, p_t (1 - p_t)^{\gamma} \log p_t - "
            r"(1 - p_t)^{\gamma + 1}\right]$ (product rule, then chain rule).",
            rf"$\gamma\, p_t (1 - p_t)^{{\gamma}} \log p_t \approx {f(first)}$ and "
            rf"$(1 - p_t)^{{\gamma + 1}} \approx {f(second)}$.",
            (rf"$\partial L/\partial z = {f(first)} - {f(second)} \approx {f(self.correct(p))}$." if p["y"] == 1 else
             rf"$\partial L/\partial z = -({f(first)} - {f(second)}) \approx {f(self.correct(p))}$."),
        ]


# ---------------------------------------------------------------------------------- focal minimiser
def _focal_slope(p: float, q: float, gamma: float) -> float:
    """E'(p) for the expected focal loss E(p) = q [-(1 - p)^gamma log p] + (1 - q) [-p^gamma log(1 - p)]."""
    pos = gamma * (1 - p) ** (gamma - 1) * math.log(p) - (1 - p) ** gamma / p
    neg = -gamma * p ** (gamma - 1) * math.log1p(-p) + p**gamma / (1 - p)
    return q * pos + (1 - q) * neg


@functools.lru_cache(maxsize=256)
def _focal_best(q: float, gamma: float) -> float:
    """The root of E'(p) in (0, 1), by bisection (E' is negative below it and positive above)."""
    return _root(lambda x: _focal_slope(x, q, gamma), 1e-9, 1 - 1e-9)


def _root(fn, lo: float, hi: float) -> float:
    """The root of an increasing function between lo and hi, by bisection to machine precision."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if fn(mid) < 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


class FocalMinimiser(NumericExercise):
    """The probability that minimises the expected sigmoid focal loss for a label that is 1 with
    probability q: the root of E'(p) = 0, which lies between 1/2 and q for gamma > 0 (the focal loss
    is not a proper scoring rule: its minimiser is pulled towards 1/2)."""

    id = "focal.minimiser"
    skill = "focal.value"
    title = "The probability that minimises the focal loss"
    depth = "derive"

    def make_params(self, rng):
        return {"q": rng.choice([0.1, 0.15, 0.2, 0.25, 0.3, 0.7, 0.75, 0.8, 0.85, 0.9]),
                "gamma": rng.choice([0.5, 1.0, 2.0, 3.0])}

    def statement(self, p):
        return ("A binary classifier is trained with the sigmoid focal loss $-(1 - p_t)^{\\gamma} \\log p_t$, "
                f"$\\gamma = {p['gamma']:g}$. At one input the label is 1 with probability $q = {p['q']:g}$. Which "
                r"predicted probability $\hat p$ minimises the expected loss "
                r"$E(\hat p) = q\,\big[-(1 - \hat p)^{\gamma} \log \hat p\big] + (1 - q)\,\big[-\hat p^{\gamma} "
                r"\log(1 - \hat p)\big]$? The condition $E'(\hat p) = 0$ has no closed form: solve it numerically "
                "(a few bisection or Newton steps) and give $\\hat p^\\star$ to three decimals.")

    def correct(self, p):
        return _focal_best(p["q"], p["gamma"])

    def mistakes(self, p):
        q = p["q"]
        best = self.correct(p)
        return [
            Mistake("cross_entropy_minimiser", q,
                    "That is $q$, the minimiser of the cross-entropy ($\\gamma = 0$). The focal factors weigh the two "
                    "labels unevenly, and the minimiser of the focal loss lies between $1/2$ and $q$."),
            Mistake("logit_not_probability", math.log(best / (1 - best)),
                    "That is the logit $\\log(\\hat p/(1 - \\hat p))$ of the minimiser; the question asks for the "
                    "probability $\\hat p^\\star$."),
            Mistake("complement", 1 - best,
                    "That is $1 - \\hat p^\\star$, the probability of the label 0. With $q$ on the label 1 the "
                    "minimiser lies on the same side of $1/2$ as $q$."),
            Mistake("first_bisection_step", (0.5 + q) / 2,
                    "That is the midpoint of $1/2$ and $q$, the first bisection step. Keep halving, keeping the "
                    "half where $E'$ changes sign, until the interval is shorter than the accuracy asked for."),
        ]

    def hints(self, problem):
        return [
            r"Differentiate each term by the product rule: $\frac{d}{d\hat p}\big[-(1 - \hat p)^{\gamma} \log \hat p\big] "
            r"= \gamma (1 - \hat p)^{\gamma - 1} \log \hat p - \frac{(1 - \hat p)^{\gamma}}{\hat p}$, and the label-0 term "
            r"is the same with $\hat p$ and $1 - \hat p$ exchanged (and a minus from the chain rule).",
            r"$E'$ has one root in $(0, 1)$, and it lies between $1/2$ and $q$: $E'(1/2)$ and $E'(q)$ have opposite "
            r"signs. Halve that interval, keeping the half where $E'$ changes sign.",
            r"Ten halvings shrink an interval of width $0.4$ below $0.0004$. Newton's method "
            r"$\hat p \leftarrow \hat p - E'(\hat p)/E''(\hat p)$, with $E''$ from a difference of $E'$, takes fewer steps.",
        ]

    def steps(self, p):
        q, g = p["q"], p["gamma"]
        best = self.correct(p)
        return [
            r"$E'(\hat p) = q\big[\gamma (1 - \hat p)^{\gamma - 1} \log \hat p - (1 - \hat p)^{\gamma}/\hat p\big] + "
            r"(1 - q)\big[-\gamma \hat p^{\gamma - 1} \log(1 - \hat p) + \hat p^{\gamma}/(1 - \hat p)\big]$.",
            rf"$E'(1/2) \approx {f(_focal_slope(0.5, q, g))}$ and $E'({q:g}) \approx {f(_focal_slope(q, q, g))}$: "
            "the root lies between them.",
            rf"Bisection (or Newton's method) gives $\hat p^\star \approx {f(best)}$, where "
            rf"$E'(\hat p^\star) \approx 0$: closer to $1/2$ than $q = {q:g}$, since the focal loss is not a proper "
            "scoring rule.",
        ]


# ---------------------------------------------------------------------------------- smoothing
class SmoothedOptimalGap(NumericExercise):
    """The logit gap that minimises label-smoothed cross-entropy: softmax(z) = the smoothed target, so
    z_c - z_j = log((1 - eps + eps/K) / (eps/K)) for every other class j."""

    id = "cross_entropy.smoothed_gap"
    skill = "cross_entropy.smoothing"
    title = "The logits that minimise label-smoothed cross-entropy"
    depth = "derive"

    def make_params(self, rng):
        return {"k": rng.choice([3, 4, 5, 10, 100]), "eps": rng.choice([0.05, 0.1, 0.15, 0.2, 0.3])}

    def statement(self, p):
        return (f"A {p['k']}-class classifier is trained with label smoothing $\\varepsilon = {p['eps']:g}$: its "
                r"loss is the cross-entropy $-\sum_j \tilde y_j \log \operatorname{softmax}(z)_j$ against "
                r"$\tilde y = (1 - \varepsilon)\, y + \varepsilon / K$. For one example, the loss has a minimum over "
                r"the logits. At that minimum, what is the gap $z_c - z_j$ between the true class's logit and any "
                "other class's logit (natural logarithm)?")

    def _target(self, p):
        k, eps = p["k"], p["eps"]
        return 1 - eps + eps / k, eps / k

    def correct(self, p):
        top, other = self._target(p)
        return math.log(top / other)

    def mistakes(self, p):
        k, eps = p["k"], p["eps"]
        top, other = self._target(p)
        return [
            Mistake("k_minus_1_convention", math.log((1 - eps) / (eps / (k - 1))),
                    "That is the gap for the other convention, $1 - \\varepsilon$ on the true class and "
                    "$\\varepsilon/(K - 1)$ on the others. Here every class gets $\\varepsilon/K$, the true one "
                    "included."),
            Mistake("forgot_true_share", math.log((1 - eps) / other),
                    "The true class's target is $1 - \\varepsilon + \\varepsilon/K$: it gets its share "
                    "$\\varepsilon/K$ too."),
            Mistake("ratio_without_log", top / other,
                    "That is the ratio of the probabilities $\\hat p_c / \\hat p_j = e^{z_c - z_j}$; the gap of the "
                    "logits is its logarithm."),
            Mistake("log10", math.log10(top / other), "That uses log base 10; the softmax's exponential is $e^z$, so "
                                                      "use the natural logarithm."),
        ]

    def hints(self, problem):
        return [
            r"The gradient of the smoothed loss in the logits is $\operatorname{softmax}(z) - \tilde y$. "
            r"The loss is convex in $z$, so it is smallest where the gradient is 0.",
            r"So at the minimum $\hat p = \tilde y$: $\hat p_c = 1 - \varepsilon + \varepsilon/K$ and "
            r"$\hat p_j = \varepsilon/K$ for $j \ne c$. Only gaps are fixed: adding a constant to every logit "
            r"changes nothing.",
            r"$\hat p_c/\hat p_j = e^{z_c - z_j}$, so $z_c - z_j = \log \frac{1 - \varepsilon + \varepsilon/K}"
            r"{\varepsilon/K}$.",
        ]

    def steps(self, p):
        k, eps = p["k"], p["eps"]
        top, other = self._target(p)
        return [
            r"The gradient $\operatorname{softmax}(z) - \tilde y$ vanishes when $\operatorname{softmax}(z) = \tilde y$.",
            rf"$\tilde y_c = 1 - {eps:g} + {eps:g}/{k} = {f(top, 6)}$ and $\tilde y_j = {eps:g}/{k} = {f(other, 6)}$.",
            rf"$e^{{z_c - z_j}} = \tilde y_c / \tilde y_j \approx {f(top / other)}$, so "
            rf"$z_c - z_j = \log {f(top / other)} \approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- KL gradient
class KLGradient(NumericExercise):
    """The gradient of KL(y || softmax(z)) in the logits for a soft target y: softmax(z) - y.

    KL(y || q) = H(y, q) - H(y); H(y) does not depend on z, and -sum_j y_j log q_j has the gradient
    q - y because sum_j y_j = 1.
    """

    id = "kl.grad"
    skill = "kl.value"
    title = "The gradient of the KL divergence to a soft target"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        a = rng.choice([0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6])
        b = rng.choice([0.1, 0.15, 0.2, 0.25, 0.3, 0.4])
        target = [a, b, round(1 - a - b, 2)]
        rng.shuffle(target)
        return {"z": _draw_logits(rng), "y": target}

    def acceptable(self, params):
        y = params["y"]
        return (min(y) >= 0.1 and len(set(y)) == 3 and min(abs(v) for v in self.correct(params)) >= 0.02
                and super().acceptable(params))

    def statement(self, p):
        y = "(" + ", ".join(f"{v:g}" for v in p["y"]) + ")"
        return (f"A three-class model outputs the logits $z = {_tuple(p['z'])}$ and is trained towards the soft "
                f"target $y = {y}$ with the loss "
                r"$L = \mathrm{KL}(y \,\|\, q) = \sum_j y_j \log(y_j / q_j)$, where $q = \operatorname{softmax}(z)$. "
                r"Compute the gradient $\nabla_z L$ (three numbers).")

    def correct(self, p):
        return [q - t for q, t in zip(M.softmax(p["z"]), p["y"])]

    def mistakes(self, p):
        q, y = M.softmax(p["z"]), p["y"]
        top = max(range(3), key=y.__getitem__)
        reverse = math.fsum(qj * math.log(qj / yj) for qj, yj in zip(q, y))
        return [
            Mistake("sign_flipped", [t - v for v, t in zip(q, y)],
                    "The sign is flipped: the gradient is $q - y$, prediction minus target."),
            Mistake("forgot_target", q, "That is $q = \\operatorname{softmax}(z)$ alone; subtract the target $y$."),
            Mistake("one_hot_target", [v - (j == top) for j, v in enumerate(q)],
                    "That uses a one-hot target on the likeliest class. The target is the soft row $y$: the gradient "
                    "is $q - y$ with every entry of $y$."),
            Mistake("gradient_in_q", [-t / v for v, t in zip(q, y)],
                    "That is $\\partial L/\\partial q_j = -y_j/q_j$, the derivative in the probabilities. Through the "
                    "softmax the gradient in the logits is $q - y$."),
            Mistake("reverse_kl", [v * (math.log(v / t) - reverse) for v, t in zip(q, y)],
                    "That is the gradient of the other divergence, $\\mathrm{KL}(q \\,\\|\\, y)$. The loss weighs the "
                    "logs by the target $y$."),
        ]

    def hints(self, problem):
        return [
            r"Split the divergence: $\mathrm{KL}(y \,\|\, q) = -\sum_j y_j \log q_j - H(y)$. The entropy $H(y)$ of "
            r"the target does not depend on $z$.",
            r"$-\log q_j = \log \sum_k e^{z_k} - z_j$, so $\frac{\partial}{\partial z_i}\big(-\sum_j y_j \log q_j\big) "
            r"= q_i \sum_j y_j - y_i$.",
            r"The target sums to 1, so $\nabla_z L = q - y$: compute the softmax and subtract the target.",
        ]

    def steps(self, p):
        q = M.softmax(p["z"])
        return [
            r"$\mathrm{KL}(y \,\|\, q) = H(y, q) - H(y)$ and $H(y)$ is a constant, so "
            r"$\nabla_z L = \nabla_z H(y, q) = q \sum_j y_j - y = q - y$.",
            rf"$q = \operatorname{{softmax}}{_tuple(p['z'])} \approx "
            "(" + ", ".join(f(v, 6) for v in q) + ")$.",
            rf"$\nabla_z L = q - y \approx {_vec(self.correct(p))}$; the entries sum to 0.",
        ]


EXERCISES = [CrossEntropyHessianRow(), CrossEntropyCurvature(), FocalGrad(), FocalMinimiser(), SmoothedOptimalGap(), KLGradient()]
