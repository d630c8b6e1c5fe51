"""Exercises of session 0: the prerequisites check (logs, the chain rule, sigmoid and softmax, entropy and KL)."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise, fmt_number as f, no_negative_zero

__all__ = ["LogOfProduct", "ChangeOfBase", "ChainRuleSquare", "ChainRuleSoftplus", "SigmoidValue", "SigmoidGrad",
           "Softmax3", "Entropy", "KLDivergence"]

LN2, LN10 = math.log(2.0), math.log(10.0)


def _signed(x: float) -> str:
    return no_negative_zero(f"{x:+.2f}".replace("+", ""))


def _num(x: float) -> str:
    """A drawn number as written in a statement: 0.35, -1.2, 2."""
    return no_negative_zero(f"{x:g}")


def _par(x: float) -> str:
    """A number as a factor: negative numbers in parentheses."""
    return f"({_num(x)})" if x < 0 else _num(x)


def _r(x: float, digits: int = 1) -> float:
    return round(x, digits) + 0.0  # + 0.0 turns -0.0 into 0.0


def _vec(values) -> str:
    return "(" + ", ".join(_num(v) for v in values) + ")"


def _distribution(rng, k: int = 3) -> list[float]:
    """k probabilities, multiples of 0.05, each at least 0.05, summing to 1."""
    cuts = sorted(rng.sample(range(1, 20), k - 1))
    edges = [0] + cuts + [20]
    return [round((b - a) / 20, 2) for a, b in zip(edges, edges[1:])]


def _entropy(p) -> float:
    return -math.fsum(v * math.log(v) for v in p if v > 0)


def _cross_entropy(p, q) -> float:
    return -math.fsum(a * math.log(b) for a, b in zip(p, q) if a > 0)


def _kl(p, q) -> float:
    return math.fsum(a * math.log(a / b) for a, b in zip(p, q) if a > 0)


# ---------------------------------------------------------------------------------- logs
class LogOfProduct(NumericExercise):
    """The natural log of a product of probabilities: the log-likelihood of independent examples."""

    id = "prereq.log_product"
    skill = "prereq.logs"
    title = "The log of a product"

    def make_params(self, rng):
        return {"p": [round(rng.uniform(0.1, 0.95), 2) for _ in range(3)]}

    def acceptable(self, params):
        return all(0.05 <= v <= 0.95 for v in params["p"]) and super().acceptable(params)

    def statement(self, p):
        a, b, c = (_num(v) for v in p["p"])
        return ("A classifier gives three independent examples the probabilities "
                f"$p_1 = {a}$, $p_2 = {b}$ and $p_3 = {c}$ for their true labels. The likelihood of the three labels "
                "is the product $p_1 p_2 p_3$. Compute the log-likelihood $\\ln(p_1 p_2 p_3)$, with the natural "
                "logarithm.")

    def correct(self, p):
        return math.fsum(math.log(v) for v in p["p"])

    def mistakes(self, p):
        value = self.correct(p)
        logs = [math.log(v) for v in p["p"]]
        return [
            Mistake("log10", value / LN10, "That uses log base 10; the question asks for the natural logarithm "
                                           "(ln). The two differ by the factor ln 10 ≈ 2.303."),
            Mistake("log2", value / LN2, "That uses log base 2 (bits); the question asks for the natural logarithm "
                                         "(nats). The two differ by the factor ln 2 ≈ 0.693."),
            Mistake("sign_flipped", -value, "The sign is flipped: each probability is below 1, so each log is "
                                            "negative and so is their sum. The positive number is the negative "
                                            "log-likelihood."),
            Mistake("product_of_logs", logs[0] * logs[1] * logs[2],
                    "That multiplies the logs. The log turns a product into a sum: "
                    "ln(p₁p₂p₃) = ln p₁ + ln p₂ + ln p₃."),
        ]

    def hints(self, problem):
        return [
            r"The logarithm turns products into sums: $\ln(ab) = \ln a + \ln b$.",
            r"Compute $\ln p_1$, $\ln p_2$ and $\ln p_3$ (each is negative) and add them.",
        ]

    def steps(self, p):
        parts = " + ".join(rf"\ln {_num(v)}" for v in p["p"])
        values = " + ".join(f"({f(math.log(v))})" for v in p["p"])
        return [
            r"$\ln(p_1 p_2 p_3) = \ln p_1 + \ln p_2 + \ln p_3$.",
            rf"$= {parts} \approx {values} \approx {f(self.correct(p))}$.",
        ]


class ChangeOfBase(NumericExercise):
    """Nats to bits and back: a change of the logarithm's base."""

    id = "prereq.change_of_base"
    skill = "prereq.logs"
    title = "Nats and bits"

    def make_params(self, rng):
        return {"value": round(rng.uniform(0.2, 3.0), 2), "to": rng.choice(["bits", "nats"])}

    def statement(self, p):
        if p["to"] == "bits":
            return (f"A cross-entropy computed with the natural logarithm is $L = {_num(p['value'])}$ nats. "
                    "Express it in bits, that is with the logarithm in base 2.")
        return (f"An entropy computed with the logarithm in base 2 is $H = {_num(p['value'])}$ bits. "
                "Express it in nats, that is with the natural logarithm.")

    def correct(self, p):
        return p["value"] / LN2 if p["to"] == "bits" else p["value"] * LN2

    def mistakes(self, p):
        v = p["value"]
        if p["to"] == "bits":
            return [
                Mistake("inverted_base", v * LN2, "That multiplies by ln 2; to go from nats to bits divide: "
                                                  "log₂ x = ln x / ln 2, so a positive value like this one is "
                                                  "larger in bits."),
                Mistake("log10", v / LN10, "That divides by ln 10, which gives base-10 units. A bit is the "
                                           "logarithm in base 2: divide by ln 2."),
                Mistake("forgot_conversion", v, "That is the value unchanged: nats and bits differ by the factor "
                                                "ln 2 ≈ 0.693. Divide by ln 2."),
            ]
        return [
            Mistake("inverted_base", v / LN2, "That divides by ln 2; to go from bits to nats multiply: "
                                              "ln x = ln 2 · log₂ x, so a positive value like this one is "
                                              "smaller in nats."),
            Mistake("log10", v * LN10, "That multiplies by ln 10, the factor for base-10 units. A bit is the "
                                       "logarithm in base 2: multiply by ln 2."),
            Mistake("forgot_conversion", v, "That is the value unchanged: bits and nats differ by the factor "
                                            "ln 2 ≈ 0.693. Multiply by ln 2."),
        ]

    def hints(self, problem):
        return [
            r"Change of base: $\log_2 x = \ln x / \ln 2$.",
            r"Every term of the sum changes by the same factor $\ln 2 \approx 0.6931$: "
            + ("divide by it to get bits." if problem.params["to"] == "bits" else "multiply by it to get nats."),
        ]

    def steps(self, p):
        v = _num(p["value"])
        if p["to"] == "bits":
            return [r"$\log_2 x = \ln x / \ln 2$, so every log, and the whole sum, is divided by $\ln 2$.",
                    rf"$L_{{\text{{bits}}}} = {v} / 0.6931 \approx {f(self.correct(p))}$."]
        return [r"$\ln x = \ln 2 \cdot \log_2 x$, so every log, and the whole sum, is multiplied by $\ln 2$.",
                rf"$H_{{\text{{nats}}}} = {v} \times 0.6931 \approx {f(self.correct(p))}$."]


# ---------------------------------------------------------------------------------- chain rule
class ChainRuleSquare(NumericExercise):
    """The derivative of (a x + b)^2 at a point: outer derivative times inner derivative."""

    id = "prereq.chain_square"
    skill = "prereq.chain_rule"
    title = "The chain rule on a square"

    def make_params(self, rng):
        return {"a": _r(rng.uniform(-3.0, 3.0)), "b": _r(rng.uniform(-2.0, 2.0)), "x": _r(rng.uniform(-2.0, 2.0))}

    def acceptable(self, params):
        u = params["a"] * params["x"] + params["b"]
        return abs(params["a"]) >= 0.3 and abs(u) >= 0.2 and super().acceptable(params)

    def statement(self, p):
        a, b = p["a"], p["b"]
        inner = {1.0: "x", -1.0: "-x"}.get(a, f"{_num(a)}x") + (f" + {_num(b)}" if b > 0 else f" - {_num(-b)}"
                                                                 if b < 0 else "")
        return (f"Let $f(x) = ({inner})^2$. Compute the derivative $f'(x)$ at $x = {_num(p['x'])}$.")

    def _u(self, p):
        return p["a"] * p["x"] + p["b"]

    def correct(self, p):
        return 2 * p["a"] * self._u(p)

    def mistakes(self, p):
        u, a = self._u(p), p["a"]
        return [
            Mistake("forgot_chain_factor", 2 * u, f"That is 2u, the outer derivative alone. The chain rule "
                                                  f"multiplies it by the inner derivative du/dx = {_num(a)}."),
            Mistake("sign_flipped", -2 * a * u, "The sign is flipped: f'(x) = 2(ax + b)·a; check the signs of "
                                                "ax + b and of a."),
            Mistake("forgot_power_factor", a * u, "The factor 2 of the power rule is missing: "
                                                  "d/du u² = 2u, then multiply by du/dx = a."),
        ]

    def hints(self, problem):
        return [
            r"Write $f = u^2$ with $u = ax + b$: then $f'(x) = \frac{df}{du}\,\frac{du}{dx}$.",
            r"$\frac{df}{du} = 2u$ and $\frac{du}{dx} = a$, so $f'(x) = 2a(ax + b)$: evaluate $u$ at the point first.",
        ]

    def steps(self, p):
        u = self._u(p)
        return [
            rf"$u = ax + b = {_num(p['a'])} \cdot {_par(p['x'])} + {_par(p['b'])} = {f(u)}$.",
            rf"$f'(x) = 2u \cdot a = 2 \cdot {_par(u)} \cdot {_par(p['a'])} = {f(self.correct(p))}$.",
        ]


class ChainRuleSoftplus(NumericExercise):
    """The derivative of log(1 + e^{w x}) in w: the sigmoid times the chain factor x."""

    id = "prereq.chain_softplus"
    skill = "prereq.chain_rule"
    title = "The chain rule on a log-exp"

    def make_params(self, rng):
        return {"w": _r(rng.uniform(-1.5, 1.5)), "x": _r(rng.uniform(-2.5, 2.5))}

    def acceptable(self, params):
        w, x = params["w"], params["x"]
        return abs(w) >= 0.2 and abs(x) >= 0.3 and abs(w * x) <= 3 and super().acceptable(params)

    def statement(self, p):
        return (f"Let $g(w) = \\ln(1 + e^{{w x}})$ with the input fixed at $x = {_num(p['x'])}$. Compute the "
                f"derivative $g'(w) = dg/dw$ at $w = {_num(p['w'])}$.")

    def correct(self, p):
        return p["x"] * M.sigmoid(p["w"] * p["x"])

    def mistakes(self, p):
        w, x = p["w"], p["x"]
        s = M.sigmoid(w * x)
        return [
            Mistake("forgot_chain_factor", s, f"That is σ(wx) alone, the derivative in u = wx. The chain rule "
                                              f"multiplies it by du/dw = x = {_num(x)}."),
            Mistake("sign_flipped", -x * s, "The sign is flipped: d/du ln(1 + eᵘ) = eᵘ/(1 + eᵘ) = σ(u) is "
                                            "positive, and du/dw = x."),
            Mistake("forgot_outer_derivative", x * math.exp(w * x),
                    "That is x·e^{wx}: the derivative of ln(v) is 1/v, so divide by 1 + e^{wx}; "
                    "g'(w) = x·e^{wx}/(1 + e^{wx}) = x·σ(wx)."),
            Mistake("wrong_variable", w * s, "That is the derivative in x (it has the factor w). The variable is "
                                             "w, so the chain factor is du/dw = x."),
        ]

    def hints(self, problem):
        return [
            r"Three nested functions: $u = wx$, $v = 1 + e^u$, $g = \ln v$. Multiply their derivatives.",
            r"$\frac{dg}{dv} = \frac{1}{v}$, $\frac{dv}{du} = e^u$, $\frac{du}{dw} = x$, and "
            r"$\frac{e^u}{1 + e^u} = \sigma(u)$.",
        ]

    def steps(self, p):
        u = p["w"] * p["x"]
        return [
            rf"$u = wx = {_num(p['w'])} \cdot {_par(p['x'])} = {f(u)}$.",
            r"$g'(w) = \frac{1}{1 + e^u} \cdot e^u \cdot x = \sigma(u)\,x$.",
            rf"$\sigma({f(u)}) \approx {f(M.sigmoid(u))}$, so $g'(w) \approx {f(M.sigmoid(u))} \cdot {_par(p['x'])} "
            rf"\approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- sigmoid
class _OneLogit(NumericExercise):
    """A logit z away from 0; seed 0 is the lesson's z = -1."""

    def fixed_params(self, seed):
        return {"z": -1.0} if seed == 0 else None

    def make_params(self, rng):
        return {"z": _r(rng.uniform(-3.0, 3.0))}

    def acceptable(self, params):
        return abs(params["z"]) >= 0.3 and super().acceptable(params)


class SigmoidValue(_OneLogit):
    """The sigmoid of a logit: a probability."""

    id = "prereq.sigmoid"
    skill = "prereq.sigmoid"
    title = "The sigmoid of a logit"

    def statement(self, p):
        return (f"Compute the sigmoid $\\sigma(z) = \\dfrac{{1}}{{1 + e^{{-z}}}}$ of the logit $z = {_signed(p['z'])}$.")

    def correct(self, p):
        return M.sigmoid(p["z"])

    def mistakes(self, p):
        z = p["z"]
        return [
            Mistake("wrong_exp_sign", M.sigmoid(-z), "That is σ(-z) = 1/(1 + e^{z}), the probability of the other "
                                                     "class: the exponent is -z. Mind the sign of z itself."),
            Mistake("forgot_one", math.exp(z), "That is 1/e^{-z} = e^{z}: the 1 in the denominator 1 + e^{-z} is "
                                               "missing. A sigmoid is always between 0 and 1."),
        ]

    def hints(self, problem):
        z = problem.params["z"]
        return [
            rf"First compute $e^{{-z}}$ with $-z = {_signed(-z)}$.",
            r"Then $\sigma(z) = 1/(1 + e^{-z})$; the result is between 0 and 1, above 0.5 exactly when $z > 0$.",
        ]

    def steps(self, p):
        z = p["z"]
        return [
            rf"$e^{{-z}} = e^{{{_signed(-z)}}} \approx {f(math.exp(-z))}$.",
            rf"$\sigma(z) = 1/(1 + {f(math.exp(-z))}) \approx {f(self.correct(p))}$.",
        ]


class SigmoidGrad(_OneLogit):
    """The derivative of the sigmoid: sigma(z)(1 - sigma(z))."""

    id = "prereq.sigmoid_grad"
    skill = "prereq.sigmoid"
    title = "The derivative of the sigmoid"

    def statement(self, p):
        return (f"Compute the derivative $\\sigma'(z)$ of the sigmoid $\\sigma(z) = 1/(1 + e^{{-z}})$ at "
                f"$z = {_signed(p['z'])}$.")

    def correct(self, p):
        s = M.sigmoid(p["z"])
        return s * (1 - s)

    def mistakes(self, p):
        s = M.sigmoid(p["z"])
        return [
            Mistake("forgot_one_minus", s, "That is σ(z) itself: the derivative is σ(z)(1 - σ(z)). Do not leave "
                                           "out the factor (1 - σ(z))."),
            Mistake("forgot_sigma_factor", 1 - s, "That is 1 - σ(z) = e^{-z}/(1 + e^{-z}): the quotient rule gives "
                                                  "e^{-z}/(1 + e^{-z})², with the denominator squared, "
                                                  "which is σ(z)(1 - σ(z))."),
            Mistake("sign_flipped", -s * (1 - s), "The sign is flipped: the sigmoid is increasing, so its derivative "
                                                  "is positive. The two minus signs (of the power -1 and of the "
                                                  "inner derivative -e^{-z}) cancel."),
            Mistake("forgot_chain_factor", -s * s, "That is -(1 + e^{-z})^{-2} = -σ(z)²: the chain rule also "
                                                   "multiplies by the inner derivative d(1 + e^{-z})/dz = -e^{-z}."),
        ]

    def hints(self, problem):
        return [
            r"Write $\sigma = v^{-1}$ with $v = 1 + e^{-z}$ and use the chain rule.",
            r"The result simplifies to $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$: compute $\sigma(z)$ first.",
        ]

    def steps(self, p):
        s = M.sigmoid(p["z"])
        return [
            r"$\sigma'(z) = -(1 + e^{-z})^{-2} \cdot (-e^{-z}) = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}}"
            r" = \sigma(z)(1 - \sigma(z))$.",
            rf"$\sigma({_signed(p['z'])}) \approx {f(s)}$, so $\sigma'(z) \approx {f(s)} \cdot {f(1 - s)} \approx "
            rf"{f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- softmax
class Softmax3(NumericExercise):
    """The softmax of three logits (the lesson's practice problem 2 at seed 0)."""

    id = "prereq.softmax"
    skill = "prereq.softmax"
    kind = "vector"
    title = "The softmax of three logits"

    def fixed_params(self, seed):
        return {"z": [2.0, 0.0, -1.0]} if seed == 0 else None

    def make_params(self, rng):
        return {"z": [_r(rng.uniform(-2.0, 3.0)) for _ in range(3)]}

    def acceptable(self, params):
        z = params["z"]
        return max(z) - min(z) >= 0.5 and super().acceptable(params)

    def statement(self, p):
        z = ", ".join(_signed(v) for v in p["z"])
        return (f"Compute the softmax of the logits $z = ({z})$: the three probabilities "
                r"$\operatorname{softmax}(z)_j = e^{z_j} / \sum_k e^{z_k}$, in order.")

    def correct(self, p):
        return M.softmax(p["z"])

    def mistakes(self, p):
        z = p["z"]
        found = [
            Mistake("negated_logits", M.softmax([-v for v in z]), "That is the softmax of -z: the largest logit "
                                                                  "must get the largest probability. Use e^{+z_j}."),
            Mistake("forgot_normalise", [math.exp(v) for v in z], "Those are the exponentials e^{z_j}; divide each "
                                                                  "by their sum so that the probabilities add up "
                                                                  "to 1."),
        ]
        total = math.fsum(z)
        if abs(total) >= 0.5:
            found.append(Mistake("no_exp", [v / total for v in z], "That is z_j / Σ_k z_k, the logits normalised "
                                                                   "without exponentials: take e^{z_j} first, which "
                                                                   "also makes every probability positive."))
        return found

    def hints(self, problem):
        return [
            r"Subtract the largest logit first (it does not change the result): compute $e^{z_j - \max_k z_k}$.",
            "Add the three exponentials and divide each of them by the sum; the results add up to 1.",
        ]

    def steps(self, p):
        z = p["z"]
        a = max(z)
        e = [math.exp(v - a) for v in z]
        shown = ", ".join(f(v) for v in e)
        return [
            rf"With $a = \max_j z_j = {_signed(a)}$: $e^{{z_j - a}} \approx ({shown})$, sum $\approx "
            rf"{f(math.fsum(e))}$.",
            rf"$\operatorname{{softmax}}(z) \approx ({', '.join(f(v) for v in self.correct(p))})$.",
        ]


# ---------------------------------------------------------------------------------- entropy and KL
class Entropy(NumericExercise):
    """The entropy of a three-point distribution, in nats."""

    id = "prereq.entropy"
    skill = "prereq.entropy"
    title = "Entropy in nats"

    def make_params(self, rng):
        return {"p": _distribution(rng)}

    def statement(self, p):
        return (f"A random variable takes three values with the probabilities $p = {_vec(p['p'])}$. Compute its "
                r"entropy $H(p) = -\sum_j p_j \ln p_j$ in nats (natural logarithm).")

    def correct(self, p):
        return _entropy(p["p"])

    def mistakes(self, p):
        h = self.correct(p)
        return [
            Mistake("log2", h / LN2, "That is the entropy in bits (log base 2); in nats use the natural logarithm. "
                                     "Bits are nats divided by ln 2."),
            Mistake("log10", h / LN10, "That uses log base 10; in nats use the natural logarithm."),
            Mistake("sign_flipped", -h, "The sign is flipped: each ln p_j is negative, and the minus in front of "
                                        "the sum makes the entropy non-negative."),
        ]

    def hints(self, problem):
        return [
            r"Compute each term $p_j \ln p_j$; each is negative because $p_j < 1$.",
            "Add the three terms and change the sign.",
        ]

    def steps(self, p):
        terms = " + ".join(f"({f(v * math.log(v))})" for v in p["p"])
        products = ", ".join(rf"{_num(v)} \ln {_num(v)} \approx {f(v * math.log(v))}" for v in p["p"])
        return [
            rf"The terms $p_j \ln p_j$: ${products}$.",
            rf"$H(p) = -[{terms}] \approx {f(self.correct(p))}$ nats.",
        ]


class KLDivergence(NumericExercise):
    """KL(p || q) between two three-point distributions, in nats."""

    id = "prereq.kl"
    skill = "prereq.kl"
    title = "KL divergence"

    def make_params(self, rng):
        return {"p": _distribution(rng), "q": _distribution(rng)}

    def acceptable(self, params):
        return _kl(params["p"], params["q"]) >= 0.05 and super().acceptable(params)

    def statement(self, p):
        return (f"Let $p = {_vec(p['p'])}$ be the true distribution and $q = {_vec(p['q'])}$ a model's "
                r"distribution over three outcomes. Compute the KL divergence "
                r"$\mathrm{KL}(p \,\|\, q) = \sum_j p_j \ln \dfrac{p_j}{q_j}$ in nats.")

    def correct(self, p):
        return _kl(p["p"], p["q"])

    def mistakes(self, p):
        kl = self.correct(p)
        return [
            Mistake("reversed_kl", _kl(p["q"], p["p"]), "That is KL(q‖p), the reverse divergence: KL is not "
                                                        "symmetric. Weight by the true distribution p: "
                                                        "Σ p_j ln(p_j / q_j)."),
            Mistake("log2", kl / LN2, "That is the divergence in bits (log base 2); use the natural logarithm."),
            Mistake("cross_entropy_not_kl", _cross_entropy(p["p"], p["q"]),
                    "That is the cross-entropy H(p, q) = -Σ p_j ln q_j. KL subtracts the entropy of p: "
                    "KL(p‖q) = H(p, q) - H(p)."),
            Mistake("sign_flipped", -kl, "The sign is flipped: KL(p‖q) = Σ p_j ln(p_j / q_j) is never negative. "
                                         "Check that the ratio is p_j / q_j."),
        ]

    def hints(self, problem):
        return [
            r"Each term is $p_j \ln(p_j / q_j)$: the ratio has the true distribution on top, and the weights are "
            r"$p_j$.",
            r"Add the three terms one by one, each to 4 significant digits. (KL is also $H(p, q) - H(p)$, but "
            r"that subtracts two numbers near 1: rounded to 4 significant digits each, their difference can be "
            r"off by more than the tolerance.)",
        ]

    def steps(self, p):
        terms = " + ".join(f"{_num(a)} \\ln({_num(a)}/{_num(b)})" for a, b in zip(p["p"], p["q"]))
        values = " + ".join(f"({f(a * math.log(a / b))})" for a, b in zip(p["p"], p["q"]))
        return [
            rf"$\mathrm{{KL}}(p\|q) = {terms}$.",
            rf"$\approx {values} \approx {f(self.correct(p))}$ nats.",
        ]


EXERCISES = [LogOfProduct(), ChangeOfBase(), ChainRuleSquare(), ChainRuleSoftplus(), SigmoidValue(), SigmoidGrad(),
             Softmax3(), Entropy(), KLDivergence()]
