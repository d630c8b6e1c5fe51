"""Exercises of session 3 (continued): the cross-entropy gradient, label smoothing, focal loss, KL
divergence, and the stable log-sum-exp and softmax."""

from __future__ import annotations

import math

from . import _math as M
from ._core import AnswerFormat, CodeCase, CodeExercise, CodeTask, Mistake, NumericExercise, Solution
from ._core import fmt_number as f, no_negative_zero

__all__ = ["CrossEntropyGrad", "SmoothedTarget", "SmoothedCrossEntropy", "FocalValue", "KLSoftTarget",
           "LogSumExpValue", "LogSumExpCode", "SoftmaxCode", "SmoothedCrossEntropyCode"]

_LN10 = math.log(10)
_ORDINAL = ("first", "second", "third", "fourth", "fifth")


def _signed(x: float) -> str:
    return no_negative_zero(f"{x:+.2f}".replace("+", ""))


def _vec(values, digits: int = 4) -> str:
    return "(" + ", ".join(f(v, digits) for v in values) + ")"


def _logits(z) -> str:
    return "(" + ", ".join(_signed(v) for v in z) + ")"


def _plain(z) -> str:
    return "(" + ", ".join(f"{v:g}" for v in z) + ")"


def _onehot(label: int, k: int) -> list[float]:
    return [1.0 if j == label else 0.0 for j in range(k)]


def _smoothed(label: int, k: int, eps: float) -> list[float]:
    """The lesson's smoothed target (1 - eps) y + eps / K."""
    return [(1.0 - eps) * (j == label) + eps / k for j in range(k)]


def _smoothed_k_minus_1(label: int, k: int, eps: float) -> list[float]:
    """The other convention: 1 - eps on the true class, eps / (K - 1) on each of the others."""
    return [1.0 - eps if j == label else eps / (k - 1) for j in range(k)]


def _nll(z: list[float]) -> list[float]:
    """-log softmax(z)_j for every j, from log-sum-exp."""
    lse = M.logsumexp(z)
    return [lse - v for v in z]


def _soft_ce(target: list[float], z: list[float]) -> float:
    return math.fsum(t * n for t, n in zip(target, _nll(z)))


class _AbsoluteFormat(AnswerFormat):
    """A number compared to an absolute tolerance only (for answers near 1000 that must be exact to 1e-3)."""

    def describe(self) -> str:
        return f"Enter a number with at least three decimals; answers within {self.atol:g} count as correct."


# ---------------------------------------------------------------------------------- numeric
class CrossEntropyGrad(NumericExercise):
    """The gradient of softmax cross-entropy in the logits: softmax(z) - onehot (the lesson's logits at seed 0)."""

    id = "cross_entropy.grad"
    skill = "cross_entropy.grad"
    title = "The gradient of softmax cross-entropy"
    kind = "vector"

    def fixed_params(self, seed):
        return {"z": [2.0, 0.0, -1.0], "label": 1} if seed == 0 else None

    def make_params(self, rng):
        return {"z": [round(rng.uniform(-2.0, 3.0), 1) for _ in range(3)], "label": rng.randrange(3)}

    def statement(self, p):
        return (f"A three-class model outputs the logits $z = {_logits(p['z'])}$ and the true class is class "
                f"{p['label'] + 1} (counting from 1). For the cross-entropy "
                r"$L = -\log \operatorname{softmax}(z)_c$, compute the gradient "
                r"$\nabla_z L = (\partial L/\partial z_1,\ \partial L/\partial z_2,\ \partial L/\partial z_3)$.")

    def correct(self, p):
        probs = M.softmax(p["z"])
        return [q - y for q, y in zip(probs, _onehot(p["label"], 3))]

    def mistakes(self, p):
        probs = M.softmax(p["z"])
        onehot = _onehot(p["label"], 3)
        twice = M.softmax(probs)
        c = p["label"]
        return [
            Mistake("sign_flipped", [y - q for q, y in zip(probs, onehot)],
                    "The sign is flipped: the gradient is p̂ - y, prediction minus target, so the true class's "
                    "component is negative (raising its logit lowers the loss)."),
            Mistake("forgot_target", probs, "That is softmax(z) alone; subtract the one-hot target y, which takes 1 "
                                            "from the true class's component."),
            Mistake("softmax_of_probs", [q - y for q, y in zip(twice, onehot)],
                    "That is softmax(p̂) - y: softmax was applied to the probabilities. Apply it once, to the "
                    "logits: p̂ = softmax(z), then p̂ - y."),
            Mistake("grad_wrt_p", [-1.0 / probs[c] if j == c else 0.0 for j in range(3)],
                    "That is ∂L/∂p̂ = -y/p̂, the derivative in the probabilities. Through the softmax the gradient "
                    "in the logits simplifies to p̂ - y."),
        ]

    def hints(self, problem):
        return [
            r"Softmax and cross-entropy together have a simple gradient: "
            r"$\partial L/\partial z_j = \hat p_j - y_j$, with $y$ the one-hot target.",
            r"Compute $\hat p = \operatorname{softmax}(z)$ (subtract $\max_j z_j$ before exponentiating), then "
            r"subtract 1 from the true class's component only.",
        ]

    def steps(self, p):
        probs = M.softmax(p["z"])
        onehot = _onehot(p["label"], 3)
        return [
            rf"$\hat p = \operatorname{{softmax}}{_logits(p['z'])} \approx {_vec(probs)}$.",
            rf"The one-hot target of class {p['label'] + 1} is $y = {_vec(onehot)}$.",
            rf"$\nabla_z L = \hat p - y \approx {_vec(self.correct(p))}$; the components sum to 0.",
        ]


class SmoothedTarget(NumericExercise):
    """The label-smoothed target vector (1 - eps) y + eps / K."""

    id = "cross_entropy.smoothed_target"
    skill = "cross_entropy.smoothing"
    title = "The label-smoothed target"
    kind = "vector"

    def make_params(self, rng):
        k = rng.choice([3, 4, 5])
        return {"k": k, "eps": rng.choice([0.05, 0.1, 0.15, 0.2, 0.3]), "label": rng.randrange(k)}

    def statement(self, p):
        return (f"A {p['k']}-class classifier is trained with label smoothing $\\varepsilon = {p['eps']:g}$. "
                f"The true class is class {p['label'] + 1} (counting from 1). Write the smoothed target "
                r"$\tilde y = (1 - \varepsilon)\, y + \varepsilon / K$, with $y$ the one-hot target, "
                f"as {p['k']} numbers.")

    def correct(self, p):
        return _smoothed(p["label"], p["k"], p["eps"])

    def mistakes(self, p):
        k, eps, c = p["k"], p["eps"], p["label"]
        return [
            Mistake("forgot_smoothing", _onehot(c, k), "That is the one-hot target itself: label smoothing moves "
                                                       "ε of the mass from the true class to a uniform share."),
            Mistake("smoothing_k_minus_1", _smoothed_k_minus_1(c, k, eps),
                    "That is the other convention, 1 - ε on the true class and ε/(K - 1) on each other class. "
                    "Here ỹ = (1 - ε) y + ε/K: every class, the true one included, gets ε/K, so the true class "
                    "gets 1 - ε + ε/K."),
            Mistake("unscaled_onehot", [y + eps / k for y in _onehot(c, k)],
                    "The one-hot part was not scaled by (1 - ε): those numbers sum to 1 + ε, not 1. Use "
                    "(1 - ε) y + ε/K."),
        ]

    def hints(self, problem):
        p = problem.params
        return [
            rf"Every class gets $\varepsilon / K = {p['eps']:g} / {p['k']}$; the true class gets "
            r"$1 - \varepsilon$ on top of it.",
            r"Check: the components of $\tilde y$ sum to 1.",
        ]

    def steps(self, p):
        k, eps, c = p["k"], p["eps"], p["label"]
        share = eps / k
        return [
            rf"Uniform share: $\varepsilon / K = {eps:g} / {k} = {f(share)}$ for every class.",
            rf"True class {c + 1}: $(1 - {eps:g}) \cdot 1 + {f(share)} = {f(1 - eps + share)}$; "
            rf"the others: $0 + {f(share)} = {f(share)}$.",
            rf"$\tilde y = {_vec(self.correct(p))}$, which sums to 1.",
        ]


class SmoothedCrossEntropy(NumericExercise):
    """Cross-entropy against the label-smoothed target, for three classes."""

    id = "cross_entropy.smoothed_value"
    skill = "cross_entropy.smoothing"
    title = "Cross-entropy with label smoothing"

    def make_params(self, rng):
        return {"z": [round(rng.uniform(-2.0, 3.0), 1) for _ in range(3)], "label": rng.randrange(3),
                "eps": rng.choice([0.1, 0.2, 0.3])}

    def acceptable(self, params):
        return self.correct(params) >= 0.05 and super().acceptable(params)

    def statement(self, p):
        return (f"A three-class model outputs the logits $z = {_logits(p['z'])}$; the true class is class "
                f"{p['label'] + 1} (counting from 1). It is trained with label smoothing "
                f"$\\varepsilon = {p['eps']:g}$, i.e. against the target "
                r"$\tilde y = (1 - \varepsilon)\, y + \varepsilon / K$. Compute the loss "
                r"$L = -\sum_j \tilde y_j \log \operatorname{softmax}(z)_j$ (natural logarithm).")

    def correct(self, p):
        return M.cross_entropy(p["label"], p["z"], p["eps"])

    def mistakes(self, p):
        loss = self.correct(p)
        return [
            Mistake("forgot_smoothing", M.cross_entropy(p["label"], p["z"]),
                    "That is the plain cross-entropy, -log p̂_c, with the one-hot target. With smoothing every "
                    "class contributes: L = (1 - ε)(-log p̂_c) + (ε/K) Σ_j (-log p̂_j)."),
            Mistake("log10", loss / _LN10, "That uses log base 10; cross-entropy uses the natural logarithm."),
            Mistake("smoothing_k_minus_1", _soft_ce(_smoothed_k_minus_1(p["label"], 3, p["eps"]), p["z"]),
                    "That uses the other convention (1 - ε on the true class, ε/(K - 1) on the others). Here "
                    "ỹ = (1 - ε) y + ε/K: each of the K classes gets ε/K, the true one included."),
        ]

    def hints(self, problem):
        return [
            r"Compute $-\log \hat p_j = \log \sum_k e^{z_k} - z_j$ for all three classes.",
            r"$L = \sum_j \tilde y_j (-\log \hat p_j) = (1 - \varepsilon)(-\log \hat p_c) "
            r"+ \frac{\varepsilon}{K} \sum_j (-\log \hat p_j)$.",
        ]

    def steps(self, p):
        nll = _nll(p["z"])
        target = _smoothed(p["label"], 3, p["eps"])
        return [
            rf"$\log \sum_k e^{{z_k}} \approx {f(M.logsumexp(p['z']))}$, so "
            rf"$-\log \hat p \approx {_vec(nll)}$.",
            rf"$\tilde y = {_vec(target)}$ (class {p['label'] + 1} gets $1 - \varepsilon + \varepsilon/3$).",
            rf"$L = \sum_j \tilde y_j (-\log \hat p_j) \approx {f(self.correct(p))}$, compared with "
            rf"${f(nll[p['label']])}$ without smoothing.",
        ]


class FocalValue(NumericExercise):
    """The sigmoid focal loss of one example: (1 - p_t)^gamma times the binary cross-entropy."""

    id = "focal.from_logit"
    skill = "focal.value"
    title = "Focal loss of one example"

    def make_params(self, rng):
        return {"gamma": rng.choice([0.5, 1, 2, 3]), "y": rng.choice([0, 1]), "z": round(rng.uniform(-3.0, 3.0), 1)}

    def acceptable(self, params):
        return abs(params["z"]) >= 0.3 and self.correct(params) >= 0.01 and super().acceptable(params)

    def statement(self, p):
        return (f"A binary classifier outputs the logit $z = {_signed(p['z'])}$ for an example with label "
                f"$y = {p['y']}$. Compute its focal loss with $\\gamma = {p['gamma']:g}$: "
                r"$L = -(1 - p_t)^{\gamma} \log p_t$, where $\hat p = \sigma(z)$ and $p_t = \hat p$ if $y = 1$, "
                r"$p_t = 1 - \hat p$ if $y = 0$ (natural logarithm).")

    def _pt(self, p):
        return M.sigmoid(p["z"]) if p["y"] == 1 else M.sigmoid(-p["z"])

    def correct(self, p):
        return M.focal(p["y"], p["z"], p["gamma"])

    def mistakes(self, p):
        ce = M.bce_with_logits(p["y"], p["z"])
        pt = self._pt(p)
        return [
            Mistake("gamma_ignored", ce, "That is the plain binary cross-entropy -log p_t: the focal factor "
                                         "(1 - p_t)^γ is missing. It shrinks the loss of easy examples."),
            Mistake("modulator_inverted", pt ** p["gamma"] * ce,
                    "That uses p_t^γ instead of (1 - p_t)^γ, which scales up the easy examples. The factor is the "
                    "probability of the wrong answer, 1 - p_t, to the power γ."),
            Mistake("log10", self.correct(p) / _LN10, "That uses log base 10; use the natural logarithm."),
        ]

    def hints(self, problem):
        p = problem.params
        return [
            r"First $\hat p = \sigma(z)$, then $p_t$, the probability the model gives to the true label "
            + (r"($y = 1$: $p_t = \hat p$)." if p["y"] == 1 else r"($y = 0$: $p_t = 1 - \hat p$)."),
            r"The loss is the cross-entropy $-\log p_t$ times the focal factor $(1 - p_t)^{\gamma}$, "
            r"which is small when the example is easy ($p_t$ near 1).",
        ]

    def steps(self, p):
        pt = self._pt(p)
        ce = M.bce_with_logits(p["y"], p["z"])
        g = p["gamma"]
        return [
            rf"$\hat p = \sigma({_signed(p['z'])}) \approx {f(M.sigmoid(p['z']))}$, so with $y = {p['y']}$, "
            rf"$p_t \approx {f(pt)}$.",
            rf"Cross-entropy: $-\log p_t \approx {f(ce)}$; focal factor: $(1 - p_t)^{{{g:g}}} \approx "
            rf"{f((1 - pt) ** g)}$.",
            rf"$L \approx {f((1 - pt) ** g)} \times {f(ce)} \approx {f(self.correct(p))}$.",
        ]


class KLSoftTarget(NumericExercise):
    """KL(y || softmax(z)) for a soft target row of three classes."""

    id = "kl.soft_target"
    skill = "kl.value"
    title = "KL divergence to a soft target"

    def make_params(self, rng):
        a = rng.randint(1, 8)
        b = rng.randint(1, 9 - a)
        y = [a / 10, b / 10, (10 - a - b) / 10]
        rng.shuffle(y)
        return {"y": y, "z": [round(rng.uniform(-2.0, 2.0), 1) for _ in range(3)]}

    def acceptable(self, params):
        return self.correct(params) >= 0.02 and super().acceptable(params)

    def statement(self, p):
        return (f"The target is the probability row $y = {_vec(p['y'])}$ and the model outputs the logits "
                f"$z = {_logits(p['z'])}$, so $q = \\operatorname{{softmax}}(z)$. Compute the KL divergence "
                r"$\mathrm{KL}(y \,\|\, q) = \sum_j y_j \log (y_j / q_j)$ (natural logarithm).")

    def correct(self, p):
        return M.kl_divergence(p["y"], p["z"])

    def mistakes(self, p):
        q = M.softmax(p["z"])
        y = p["y"]
        kl = self.correct(p)
        return [
            Mistake("reversed_kl", math.fsum(qj * math.log(qj / yj) for qj, yj in zip(q, y)),
                    "That is KL(q ‖ y), the divergence the other way round; KL is not symmetric. Weight the logs "
                    "by the target: Σ_j y_j log(y_j / q_j)."),
            Mistake("forgot_entropy", _soft_ce(y, p["z"]),
                    "That is the cross-entropy H(y, q) = -Σ_j y_j log q_j. KL subtracts the target's entropy: "
                    "KL(y ‖ q) = H(y, q) - H(y)."),
            Mistake("sign_flipped", -kl, "The sign is flipped: KL(y ‖ q) is never negative. The ratio inside the "
                                         "log is y_j / q_j, target over prediction."),
            Mistake("log10", kl / _LN10, "That uses log base 10; use the natural logarithm."),
        ]

    def hints(self, problem):
        return [
            r"You need $\log q_j$, not $q_j$: $\log q_j = z_j - \log \sum_k e^{z_k}$ (log-sum-exp).",
            r"Add the terms $y_j (\log y_j - \log q_j)$ one by one, with 5 decimals in the logs. KL is a small "
            r"number made of logs near 1: rounded to 4 significant digits, the logs (or $H(y, q)$ and $H(y)$ "
            r"subtracted at the end) can be off by more than the tolerance.",
        ]

    def route(self, p):
        """The worked route with the rounding the steps show (5 decimals): log-sum-exp, log q, log y and
        the terms y_j (log y_j - log q_j); their sum is accepted (tests follow it over many seeds)."""
        lse = round(M.logsumexp(p["z"]), 5)
        log_q = [round(v - lse, 5) for v in p["z"]]
        log_y = [round(math.log(v), 5) for v in p["y"]]
        terms = [round(y * (ly - lq), 5) for y, ly, lq in zip(p["y"], log_y, log_q)]
        return lse, log_q, log_y, terms

    def steps(self, p):
        lse, log_q, log_y, terms = self.route(p)

        def five(values):
            return "(" + ", ".join(no_negative_zero(f"{v:.5f}") for v in values) + ")"
        shown = " + ".join(f"({no_negative_zero(f'{t:.5f}')})" for t in terms)
        return [
            rf"$\log \sum_k e^{{z_k}} \approx {lse:.5f}$, so $\log q_j = z_j - {lse:.5f}$: "
            rf"$\log q \approx {five(log_q)}$ (that is $q \approx {_vec(M.softmax(p['z']))}$).",
            rf"$\log y \approx {five(log_y)}$.",
            rf"Term by term, $y_j (\log y_j - \log q_j)$: $\mathrm{{KL}}(y \,\|\, q) \approx {shown} "
            rf"\approx {f(math.fsum(terms))}$.",
        ]


class LogSumExpValue(NumericExercise):
    """log sum exp(z) for logits near +-1000, where exp overflows or underflows: factor out the max."""

    id = "stability.logsumexp_value"
    skill = "stability.logsumexp"
    title = "Log-sum-exp of large logits"
    atol = 5e-3

    def fixed_params(self, seed):
        return {"z": [1000.0, 999.0, 998.0]} if seed == 0 else None

    def make_params(self, rng):
        a = float(rng.choice([-1200, -1000, -800, 800, 1000, 1200]))
        z = [a, round(a - rng.uniform(0.2, 3.0), 1), round(a - rng.uniform(0.2, 3.0), 1)]
        rng.shuffle(z)
        return {"z": z}

    def answer_format(self, params):
        return _AbsoluteFormat("number", rtol=0.0, atol=self.atol)

    def statement(self, p):
        if max(p["z"]) > 0:
            trap = r"every $e^{z_j}$ overflows to infinity"
        else:
            trap = r"every $e^{z_j}$ underflows to 0, and $\log 0$ is undefined"
        return (f"Compute $\\log \\sum_j e^{{z_j}}$ for the logits $z = {_plain(p['z'])}$, to three decimals. "
                f"In double precision {trap}: work it out with the log-sum-exp trick.")

    def correct(self, p):
        return M.logsumexp(p["z"])

    def mistakes(self, p):
        lse = self.correct(p)
        a = max(p["z"])
        return [
            Mistake("forgot_max", lse - a, f"That is log Σ_j e^(z_j - a) alone. The trick subtracts a = {a:g} "
                                           "inside the exponentials; add it back: a + log Σ_j e^(z_j - a)."),
            Mistake("max_only", a, "That is the largest logit alone. The other terms still add "
                                   "log Σ_j e^(z_j - a), which is between 0 and log K."),
            Mistake("log10", lse / _LN10, "That is the log in base 10; log-sum-exp uses the natural logarithm."),
        ]

    def solution(self, problem):
        self._own(problem)
        return Solution(tuple(self.steps(problem.params)), f"{self.correct(problem.params):.4f}")

    def hints(self, problem):
        return [
            r"Factor out the largest logit $a = \max_j z_j$: "
            r"$\log \sum_j e^{z_j} = a + \log \sum_j e^{z_j - a}$.",
            r"Now every exponent $z_j - a$ is at most 0, so $e^{z_j - a}$ is between 0 and 1; the largest is "
            r"$e^0 = 1$.",
        ]

    def steps(self, p):
        a = max(p["z"])
        shifted = [v - a for v in p["z"]]
        terms = [math.exp(v) for v in shifted]
        total = math.fsum(terms)
        return [
            rf"$a = \max_j z_j = {a:g}$; the shifted logits are $z - a = {_plain(round(v, 6) for v in shifted)}$.",
            rf"$\sum_j e^{{z_j - a}} \approx {' + '.join(f(t) for t in terms)} = {f(total)}$ and "
            rf"$\log {f(total)} \approx {math.log(total):.4f}$.",
            rf"$\log \sum_j e^{{z_j}} = {a:g} + {math.log(total):.4f} = {self.correct(p):.4f}$.",
        ]


# ---------------------------------------------------------------------------------- code
def _z_cases(shift: float) -> list[list[float]]:
    """Ordinary logits for the hidden tests, moved by the problem's shift."""
    return [[round(v + shift, 2) for v in z] for z in ([1.0, 2.0, 0.5], [0.3, -1.2, 2.4, 0.0], [-3.0, 4.0])]


# The tasks of stability.logsumexp_code: which sum (plain, mean, weighted) at which temperature T,
# T log sum_j c_j e^{z_j / T} with c_j = 1, 1/n or w_j. T is written into the function.
_LSE_FORMS = {
    "sum": ("logsumexp", "z", r"T \log \sum_j e^{z_j / T}"),
    "mean": ("logmeanexp", "z", r"T \log \Big(\frac1n \sum_j e^{z_j / T}\Big)"),
    "weighted": ("logsumexp", "z, w", r"T \log \sum_j w_j\, e^{z_j / T}"),
}
_TEMPERATURES = (1, 0.5, 2, 4)


def _lse_source(p: dict, *, shift: str = "max", outside: bool = True, add_back: bool = True, log: str = "math.log",
                mean: bool = True, weights: bool = True) -> str:
    """A program of the task; the keywords make the usual mistakes: no shift or the min, the factor T
    outside the log left out, the shift not added back, log base 10, no 1/n, no weights."""
    form, t = p["form"], p["t"]
    function, args, _ = _LSE_FORMS[form]
    body = f"    t = {t:g}  # the temperature\n" if t != 1 else ""
    scaled = "v" if shift == "none" else "v - a"
    exponent = scaled if t == 1 else (f"{scaled} / t" if shift == "none" else f"({scaled}) / t")
    term = f"math.exp({exponent})"
    terms = (f"c * {term} for v, c in zip(z, w)" if form == "weighted" and weights else f"{term} for v in z")
    inside = f"sum({terms})" + (" / len(z)" if form == "mean" and mean else "")
    if shift == "max":
        body += "    a = max(z)  # after the shift every exponent is <= 0, and the largest term is e^0 = 1\n"
    elif shift == "min":
        body += "    a = min(z)\n"
    factor = "t * " if t != 1 and outside else ""
    total = f"{factor}{log}({inside})"
    if shift != "none" and add_back:
        total = f"a + {total}"
    doc = _LSE_DOC[form] if t != 1 else _LSE_DOC[form].replace("T log", "log").replace(" / T", "")
    return f"import math\n\n\ndef {function}({args}):\n    \"\"\"{doc}\"\"\"\n{body}    return {total}\n"


_LSE_DOC = {"sum": "T log(sum_j exp(z_j / T)) for a non-empty list of floats z.",
            "mean": "T log(mean_j exp(z_j / T)) for a non-empty list of floats z.",
            "weighted": "T log(sum_j w_j exp(z_j / T)) for a list of floats z and positive weights w."}


def _lse_expected(p: dict, z: list[float], w: list[float] | None = None) -> float:
    t = p["t"]
    logc = ([math.log(c) for c in w] if w is not None else
            [-math.log(len(z))] * len(z) if p["form"] == "mean" else [0.0] * len(z))
    return t * M.logsumexp([v / t + lc for v, lc in zip(z, logc)])


def _lse_big(p: dict) -> float:
    """Logits large enough that e^{z / T} overflows in double precision."""
    return 1000.0 * max(1, p["t"])


class LogSumExpCode(CodeExercise):
    """Write a log-sum-exp (plain, log-mean-exp or weighted, at a temperature) that never overflows
    or underflows."""

    id = "stability.logsumexp_code"
    skill = "stability.logsumexp"
    title = "A stable log-sum-exp"
    task_keys = ("form", "t")

    def fixed_params(self, seed):
        # seed 0, the problem pages show first: the plain log-sum-exp
        return {"form": "sum", "t": 1, "shift": 0.4} if seed == 0 else None

    def make_params(self, rng):
        return {"form": rng.choice(sorted(_LSE_FORMS)), "t": rng.choice(_TEMPERATURES),
                "shift": round(rng.uniform(-2.0, 2.0), 2)}

    def task(self, p):
        function, args, _ = _LSE_FORMS[p["form"]]
        return CodeTask(function, f"def {function}({args}):", _lse_source(p, shift="none"), _lse_source(p))

    def known_wrong(self, p):
        function, args, _ = _LSE_FORMS[p["form"]]
        programs = [(_lse_source(p, shift="none"), "unstable"), (_lse_source(p, shift="min"), "unstable"),
                    (_lse_source(p, add_back=False), "forgot_max"), (_lse_source(p, log="math.log10"), "log10"),
                    (f"def {function}({args}):\n    return max(z)\n", "max_only")]
        if p["t"] != 1:
            programs.append((_lse_source(p, outside=False), "forgot_temperature"))
        if p["form"] == "mean":
            programs.append((_lse_source(p, mean=False), "forgot_mean"))
        if p["form"] == "weighted":
            programs.append((_lse_source(p, weights=False), "ignored_weights"))
        return programs

    mistake_messages = {
        "forgot_max": "{where}: that is the log of the shifted sum alone; add the maximum a = max z back; "
                      "expected {expected}.",
        "log10": "{where}: the log is in base 10. Use math.log, the natural logarithm; expected {expected}.",
        "max_only": "{where}, the largest logit alone. The other terms still count: a + T log Σ_j c_j "
                    "e^((z_j - a)/T); expected {expected}.",
        "forgot_temperature": "{where}: the temperature T = {t:g} divides the logits inside the exponentials and "
                              "multiplies the log outside; the factor T in front is missing; expected {expected}.",
        "forgot_mean": "{where}: that is the log of the sum. The mean divides the sum by n inside the log; "
                       "expected {expected}.",
        "ignored_weights": "{where}: the weights are missing; each term is w_j e^(z_j/T); expected {expected}.",
    }

    def statement(self, p):
        function, args, tex = _LSE_FORMS[p["form"]]
        t = p["t"]
        if t == 1:
            tex = tex.replace("T ", "").replace(" / T", "")
            temperature = ""
        else:
            temperature = f" with the temperature $T = {t:g}$ (write it into your function)"
        inputs = ("a non-empty Python list of floats $z$" if p["form"] != "weighted" else
                  "a non-empty Python list of floats $z$ and a list `w` of as many positive weights")
        return (f"Write `{function}({args})`: ${tex}${temperature}, for {inputs}. The starter code follows the "
                "formula and fails for large $|z_j|$: the hidden tests use logits up to "
                f"$\\pm {_lse_big(p):g}$, where the exponentials overflow to infinity or underflow to 0. Use the "
                "`math` module only.")

    def cases(self, p):
        s = p["shift"]
        lists = _z_cases(s) + [[5.0, 5.0, 5.0, 5.0], [s]]
        big = _lse_big(p)  # e^{z_j / T} overflows for every T
        far = [[big, big - 1.0, big - 2.0], [-big, -big], [big, -big], [-0.8 * big]]
        if p["form"] != "weighted":
            return ([CodeCase((z,), _lse_expected(p, z), f"z = {z}") for z in lists]
                    + [CodeCase((z,), _lse_expected(p, z), f"z = {z}", extreme=True) for z in far])
        weights = [0.5, 2.0, 1.0, 3.0]

        def case(z, extreme=False):
            w = [weights[j % 4] for j in range(len(z))]
            return CodeCase((z, w), _lse_expected(p, z, w), f"z = {z}, w = {w}", extreme)
        return [case(z) for z in lists] + [case(z, True) for z in far]

    def hints(self, problem):
        p = problem.params
        return [
            r"$T \log \sum_j c_j e^{z_j / T} = a + T \log \sum_j c_j e^{(z_j - a)/T}$ for any number $a$"
            + (r" (here $T = 1$)." if p["t"] == 1 else "."),
            r"Choose $a = \max_j z_j$: every exponent is then at most 0 (no overflow) and the largest term is "
            r"$c_j e^0 = c_j$ (the sum is not 0, so its log is defined).",
        ]

    def steps(self, p):
        extra = {"sum": "", "mean": r" With $c_j = 1/n$ the sum is divided by $n$ inside the log.",
                 "weighted": r" Each term keeps its weight: $w_j e^{(z_j - a)/T}$."}[p["form"]]
        t = p["t"]
        value = _lse_expected(p, [1000.0, 999.0, 998.0], [0.5, 2.0, 1.0] if p["form"] == "weighted" else None)
        return [
            r"Shift by the maximum: $a = \max_j z_j$; then "
            r"$T \log \sum_j c_j e^{z_j/T} = a + T \log \sum_j c_j e^{(z_j - a)/T}$." + extra,
            rf"With $T = {t:g}$, for $z = (1000, 999, 998)$"
            + (r" and $w = (0.5, 2, 1)$" if p["form"] == "weighted" else "")
            + rf": $\approx {value:.4f}$, with no exponential of a large number.",
        ]


# The tasks of stability.softmax_code: softmax, log-softmax or a softmax over the entries a mask keeps,
# of the logits divided by a temperature T (written into the function).
_SOFTMAX_FORMS = {
    "softmax": ("softmax", "z", r"\operatorname{softmax}(z / T)_j = e^{z_j / T} / \sum_k e^{z_k / T}",
                "The softmax of z / T for a non-empty list of floats z, as a list."),
    "log_softmax": ("log_softmax", "z", r"\log \operatorname{softmax}(z / T)_j = z_j / T - \log \sum_k e^{z_k / T}",
                    "The log of the softmax of z / T for a non-empty list of floats z, as a list."),
    "masked": ("masked_softmax", "z, mask", r"e^{z_j / T} / \sum_{k:\, m_k} e^{z_k / T}"
               r" \text{ where } m_j \text{ is true, and } 0 \text{ where it is false}",
               "The softmax of z / T over the entries where mask is True (0 elsewhere), as a list."),
}


def _softmax_source(p: dict, *, shift: str = "max", temperature: str = "divide", normalise: bool = True,
                    flip: bool = False, log_of_probs: bool = False, use_mask: bool = True) -> str:
    """A program of the task; the keywords make the usual mistakes: no shift, the shift by the min or
    by the max over every entry (masked), the temperature ignored or multiplied, no normalisation,
    the exponent's sign flipped, the log taken of probabilities, the mask ignored."""
    form, t = p["form"], p["t"]
    function, args, _, doc = _SOFTMAX_FORMS[form]
    doc = doc if t != 1 else doc.replace("z / T", "z")
    lines = [f"t = {t:g}  # the temperature"] if t != 1 else []
    if shift == "max" and form == "masked":
        lines.append("a = max(v for v, keep in zip(z, mask) if keep)  # the largest kept logit: its term is 1")
    elif shift in ("max", "max_all"):
        lines.append("a = max(z)  # after the shift every exponent is <= 0 and the sum is >= 1")
    elif shift == "min":
        lines.append("a = min(z)")
    arg = "v" if shift == "none" else ("a - v" if flip else "v - a")
    if t != 1 and temperature != "ignore":
        arg = f"({arg}) / t" if shift != "none" else f"{arg} / t"
        arg = arg if temperature == "divide" else arg.replace("/ t", "* t")
    keep = " if keep else 0.0 for v, keep in zip(z, mask)" if form == "masked" and use_mask else " for v in z"
    if form == "log_softmax" and not log_of_probs:
        lines.append(f"s = [{arg}{keep}]")
        if normalise:
            lines += ["log_total = math.log(sum(math.exp(v) for v in s))  # >= 0: the largest term is e^0 = 1",
                      "return [v - log_total for v in s]"]
        else:
            lines.append("return s")
    else:
        lines.append(f"e = [math.exp({arg}){keep}]")
        if normalise:
            lines.append("total = sum(e)")
            lines.append("return [math.log(v / total) for v in e]" if log_of_probs else "return [v / total for v in e]")
        else:
            lines.append("return e")
    body = "".join(f"    {line}\n" for line in lines)
    return f"import math\n\n\ndef {function}({args}):\n    \"\"\"{doc}\"\"\"\n{body}"


def _softmax_expected(p: dict, z: list[float], mask: list[bool] | None = None) -> list[float]:
    t = p["t"]
    if p["form"] == "log_softmax":
        lse = M.logsumexp([v / t for v in z])
        return [v / t - lse for v in z]
    if mask is None:
        return M.softmax([v / t for v in z])
    kept = M.softmax([v / t for v, keep in zip(z, mask) if keep])
    it = iter(kept)
    return [next(it) if keep else 0.0 for keep in mask]


class SoftmaxCode(CodeExercise):
    """Write a softmax (or a log-softmax, or a masked softmax) at a temperature, that works for any
    finite logits."""

    id = "stability.softmax_code"
    skill = "stability.softmax"
    title = "A stable softmax"
    task_keys = ("form", "t")

    def fixed_params(self, seed):
        # seed 0, the problem pages show first: the plain softmax
        return {"form": "softmax", "t": 1, "shift": 0.4} if seed == 0 else None

    def make_params(self, rng):
        return {"form": rng.choice(sorted(_SOFTMAX_FORMS)), "t": rng.choice(_TEMPERATURES),
                "shift": round(rng.uniform(-2.0, 2.0), 2)}

    def task(self, p):
        function, args, _, _ = _SOFTMAX_FORMS[p["form"]]
        starter = _softmax_source(p, shift="none", log_of_probs=p["form"] == "log_softmax")
        return CodeTask(function, f"def {function}({args}):", starter, _softmax_source(p))

    def known_wrong(self, p):
        programs = [(self.task(p).starter, "unstable"), (_softmax_source(p, shift="min"), "unstable"),
                    (_softmax_source(p, normalise=False), "not_normalised"),
                    (_softmax_source(p, flip=True), "sign_flipped")]
        if p["t"] != 1:
            programs += [(_softmax_source(p, temperature="ignore"), "forgot_temperature"),
                         (_softmax_source(p, temperature="multiply"), "temperature_multiplied")]
        if p["form"] == "log_softmax":
            programs.append((_softmax_source(p, log_of_probs=True), "unstable"))
        if p["form"] == "masked":
            programs += [(_softmax_source(p, shift="max_all"), "unstable"),
                         (_softmax_source(p, use_mask=False), "mask_ignored")]
        return programs

    mistake_messages = {
        "not_normalised": "{where}: the normalisation is missing. Probabilities sum to 1: divide each exponential "
                          "by their sum (for log-probabilities, subtract the log of that sum); expected {expected}.",
        "sign_flipped": "{where}, the result for -z: the exponent is (z_j - a)/T, not (a - z_j)/T; "
                        "expected {expected}.",
        "forgot_temperature": "{where}: the temperature T = {t:g} is missing; divide the logits by T before the "
                              "exponential; expected {expected}.",
        "temperature_multiplied": "{where}: the logits were multiplied by T = {t:g}. A temperature divides them, "
                                  "softmax(z / T): above 1 it flattens the distribution; expected {expected}.",
        "mask_ignored": "{where}: the masked-out entries got probability too. They get exactly 0, and the kept "
                        "entries share the whole mass; expected {expected}.",
    }

    def statement(self, p):
        function, args, tex, _ = _SOFTMAX_FORMS[p["form"]]
        t = p["t"]
        if t == 1:
            tex = tex.replace(" / T", "")
            temperature = ""
        else:
            temperature = f" with the temperature $T = {t:g}$ (write it into your function)"
        inputs = ("a non-empty Python list of floats $z$" if p["form"] != "masked" else
                  "a Python list of floats $z$ and a list `mask` of as many booleans $m_j$, at least one of them "
                  "true")
        return (f"Write `{function}({args})`: the list $\\left({tex}\\right)_j${temperature}, for {inputs}. The "
                "starter code follows the formula and fails for large $|z_j|$: the hidden tests use logits up to "
                f"$\\pm {_lse_big(p):g}$. Use the `math` module only.")

    def cases(self, p):
        s, big = p["shift"], _lse_big(p)
        lists = _z_cases(s) + [[2.0, 2.0, 2.0, 2.0], [s]]
        far = [[big, big - 1.0, big - 2.0], [-big, -big, -big - 1.0], [big, -big], [-big, big, -big + 1.0]]
        if p["form"] != "masked":
            return ([CodeCase((z,), _softmax_expected(p, z), f"z = {z}") for z in lists]
                    + [CodeCase((z,), _softmax_expected(p, z), f"z = {z}", extreme=True) for z in far])

        def case(z, mask, extreme=False):
            return CodeCase((z, mask), _softmax_expected(p, z, mask), f"z = {z}, mask = {mask}", extreme)
        masks = [[True, False, True], [False, True, True, True], [True, True], [True, True, False, True], [True]]
        far_masks = [[True, True, False], [True, False, True], [True, True], [True, False, True]]
        return ([case(z, m) for z, m in zip(lists, masks)]
                + [case(z, m, True) for z, m in zip(far, far_masks)])

    def hints(self, problem):
        p = problem.params
        hints = [
            r"$\operatorname{softmax}(x) = \operatorname{softmax}(x - a)$ for any number $a$: the factor $e^{-a}$ "
            r"cancels between numerator and denominator" + ("" if p["t"] == 1 else r"; here $x = z / T$") + ".",
            r"Choose $a = \max_j z_j$: every exponent is at most 0 (no overflow) and the sum is at least 1 "
            r"(no division by 0).",
        ]
        if p["form"] == "log_softmax":
            hints.append(r"Never take the log of a probability that may have rounded to 0: "
                         r"$\log \operatorname{softmax}(x)_j = (x_j - a) - \log \sum_k e^{x_k - a}$.")
        if p["form"] == "masked":
            hints.append(r"Take the maximum over the kept entries only: a huge masked-out logit must not shift the "
                         r"others into underflow.")
        return hints

    def steps(self, p):
        t = "" if p["t"] == 1 else f", with $T = {p['t']:g}$"
        steps = [rf"Subtract the maximum: $a = \max_j z_j$, $e_j = e^{{(z_j - a)/T}}${t}.",
                 r"Divide by the sum: $\operatorname{softmax}(z / T)_j = e_j / \sum_k e_k$. For very different "
                 r"logits the largest gets 1 and the others 0, with no overflow."]
        if p["form"] == "log_softmax":
            steps[1] = (r"Subtract the log of the sum: $\log \operatorname{softmax}(z/T)_j = (z_j - a)/T - "
                        r"\log \sum_k e^{(z_k - a)/T}$; the log's argument is at least 1, so it is finite.")
        if p["form"] == "masked":
            steps[0] = (r"Take $a$, the largest logit among the kept entries, and $e_j = e^{(z_j - a)/T}$ for "
                        rf"them, $e_j = 0$ for the others{t}.")
        return steps


# The tasks of stability.smoothed_ce_code: the loss of one example, the mean over a batch, or the
# gradient in the logits, with the smoothing eps written into the function.
_SCE_FORMS = {
    "value": ("smoothed_cross_entropy", "label, z",
              "Cross-entropy of the logits z (a list of K floats) against the smoothed target; label counts from 0."),
    "mean": ("smoothed_cross_entropy", "labels, logits",
             "Mean smoothed cross-entropy of a batch: labels[i] is the class of the logits row logits[i]."),
    "grad": ("smoothed_cross_entropy_grad", "label, z",
             "The gradient of the smoothed cross-entropy in the logits z, as a list; label counts from 0."),
}
_SCE_EPS = (0.05, 0.1, 0.2, 0.3)
_SCE_TARGETS = {
    "lesson": "(1 - eps) * (j == label) + eps / k",
    "k_minus_1": "1 - eps if j == label else eps / (k - 1)",
    "unscaled": "1.0 * (j == label) + eps / k",
    "onehot": "1.0 * (j == label)",
    "scaled_onehot": "(1 - eps) * (j == label)",
}


def _sce_source(p: dict, *, target: str = "lesson", stable: bool = True, flip: bool = False,
                mean: bool = True) -> str:
    """A program of the task; the keywords make the usual mistakes: another target, the formula as
    written (it overflows), the gradient's sign flipped, the batch summed."""
    form = p["form"]
    function, args, doc = _SCE_FORMS[form]
    lines = [f"eps = {p['eps']:g}  # the label smoothing", "k = len(z)",
             f"target = [{_SCE_TARGETS[target]} for j in range(k)]"]
    if form == "grad":
        if stable:
            lines += ["a = max(z)  # softmax(z) = softmax(z - a): every exponent is <= 0",
                      "e = [math.exp(v - a) for v in z]"]
        else:
            lines.append("e = [math.exp(v) for v in z]")
        lines += ["total = sum(e)",
                  "return [t - v / total for v, t in zip(e, target)]" if flip else
                  "return [v / total - t for v, t in zip(e, target)]"]
    elif stable:
        lines += ["a = max(z)", "lse = a + math.log(sum(math.exp(v - a) for v in z))  # log-sum-exp, stable",
                  "# -log softmax(z)_j = lse - z_j: no exponential of a large number, no log of 0",
                  "return sum(t * (lse - v) for t, v in zip(target, z))"]
    else:
        lines += ["e = [math.exp(v) for v in z]", "p = [v / sum(e) for v in e]",
                  "return -sum(t * math.log(q) for t, q in zip(target, p))"]
    if form == "mean":
        inner = "".join(f"        {line}\n" for line in lines)
        total = "sum(loss(c, z) for c, z in zip(labels, logits))" + (" / len(labels)" if mean else "")
        body = f"    def loss(label, z):\n{inner}    return {total}\n"
    else:
        body = "".join(f"    {line}\n" for line in lines)
    return f"import math\n\n\ndef {function}({args}):\n    \"\"\"{doc}\"\"\"\n{body}"


def _sce_expected(p: dict, label: int, z: list[float]):
    if p["form"] == "grad":
        return [q - t for q, t in zip(M.softmax(z), _smoothed(label, len(z), p["eps"]))]
    return M.cross_entropy(label, z, p["eps"])


class SmoothedCrossEntropyCode(CodeExercise):
    """Write a stable cross-entropy with label smoothing: one example, a batch's mean, or its gradient."""

    id = "stability.smoothed_ce_code"
    skill = "cross_entropy.smoothing"
    title = "A stable cross-entropy with label smoothing"
    task_keys = ("form", "eps")

    def fixed_params(self, seed):
        # seed 0, the problem pages show first: the loss of one example
        return {"form": "value", "eps": 0.1, "shift": 0.4} if seed == 0 else None

    def make_params(self, rng):
        return {"form": rng.choice(sorted(_SCE_FORMS)), "eps": rng.choice(_SCE_EPS),
                "shift": round(rng.uniform(-2.0, 2.0), 2)}

    def task(self, p):
        function, args, _ = _SCE_FORMS[p["form"]]
        return CodeTask(function, f"def {function}({args}):", _sce_source(p, stable=False), _sce_source(p))

    def known_wrong(self, p):
        programs = [(_sce_source(p, stable=False), "unstable"),
                    (_sce_source(p, target="scaled_onehot"), "forgot_smoothing"),
                    (_sce_source(p, target="onehot"), "forgot_smoothing"),
                    (_sce_source(p, target="k_minus_1"), "smoothing_k_minus_1"),
                    (_sce_source(p, target="unscaled"), "unscaled_onehot")]
        if p["form"] == "grad":
            programs.append((_sce_source(p, flip=True), "sign_flipped"))
        if p["form"] == "mean":
            programs.append((_sce_source(p, mean=False), "sum_not_mean"))
        return programs

    mistake_messages = {
        "forgot_smoothing": "{where}: the target is not smoothed. With ε = {eps:g} every class gets ε/K of the "
                            "target and the true class 1 - ε + ε/K; expected {expected}.",
        "smoothing_k_minus_1": "{where}: that puts ε/(K - 1) on the other classes. Here every class, the true one "
                               "included, gets ε/K, and the true class 1 - ε + ε/K; expected {expected}.",
        "unscaled_onehot": "{where}: the target sums to 1 + ε; scale the one-hot part by (1 - ε); "
                           "expected {expected}.",
        "sign_flipped": "{where}: the sign is flipped. The gradient is softmax(z) - ỹ, prediction minus target; "
                        "expected {expected}.",
        "sum_not_mean": "{where}: that is the sum over the batch; the task asks for the mean, divided by the number "
                        "of rows; expected {expected}.",
    }

    def statement(self, p):
        function, args, _ = _SCE_FORMS[p["form"]]
        loss = r"$L = -\sum_j \tilde y_j \log \operatorname{softmax}(z)_j$"
        what = {"value": f"the cross-entropy {loss} of the logits `z` (a list of $K$ floats)",
                "mean": f"the mean over a batch of the cross-entropy {loss}: `logits` is a list of rows of $K$ "
                        "floats and `labels` the list of their classes",
                "grad": f"the gradient $\\partial L / \\partial z_j$, a list of $K$ numbers, of the cross-entropy "
                        f"{loss} of the logits `z`"}[p["form"]]
        return (f"Write `{function}({args})`: {what}, against the label-smoothed target "
                r"$\tilde y = (1 - \varepsilon)\,\mathrm{onehot}(c) + \varepsilon / K$ with "
                f"$\\varepsilon = {p['eps']:g}$ (write it into your function). Class indices count from 0. The "
                "starter code follows the formula and fails for large $|z_j|$: the hidden tests use logits up to "
                "$\\pm 1000$. Use the `math` module only.")

    def cases(self, p):
        rows = [(0, z) for z in _z_cases(p["shift"])]
        rows[1] = (2, rows[1][1])
        rows += [(1, [0.5, 1.5, -0.5]), (0, [3.0, 3.0, 3.0])]
        far = [(1, [1000.0, 999.0, 998.0]), (0, [1000.0, -1000.0]), (1, [-1000.0, -1000.0, -1000.0]),
               (2, [-1000.0, 0.0, 1000.0])]
        if p["form"] != "mean":
            return ([CodeCase((c, z), _sce_expected(p, c, z), f"label = {c}, z = {z}") for c, z in rows]
                    + [CodeCase((c, z), _sce_expected(p, c, z), f"label = {c}, z = {z}", extreme=True)
                       for c, z in far])

        def batch(part, extreme=False):
            labels, logits = [c for c, _ in part], [z for _, z in part]
            value = math.fsum(_sce_expected(p, c, z) for c, z in part) / len(part)
            return CodeCase((labels, logits), value, f"labels = {labels}, logits = {logits}", extreme)
        return [batch(rows[:2]), batch(rows[2:]), batch(rows[3:4]), batch(far[:2], True), batch(far[2:], True)]

    def hints(self, problem):
        if problem.params["form"] == "grad":
            return [
                r"The gradient of the cross-entropy against any target row that sums to 1 is "
                r"$\operatorname{softmax}(z) - \tilde y$.",
                r"Compute the softmax with the max shift, $e^{z_j - a} / \sum_k e^{z_k - a}$ with "
                r"$a = \max_k z_k$, and build $\tilde y_j = (1 - \varepsilon)[j = c] + \varepsilon / K$.",
            ]
        return [
            r"Work with log-probabilities: $-\log \operatorname{softmax}(z)_j = \log \sum_k e^{z_k} - z_j$, and "
            r"compute the log-sum-exp with the max shift.",
            r"$L = \sum_j \tilde y_j\,(\mathrm{lse}(z) - z_j)$ with $\tilde y_j = (1 - \varepsilon)[j = c] + "
            r"\varepsilon / K$; never form $\log$ of a probability that may have rounded to 0.",
        ]

    def steps(self, p):
        eps = p["eps"]
        if p["form"] == "grad":
            return [
                r"$\partial L/\partial z_j = \operatorname{softmax}(z)_j - \tilde y_j$, since $\sum_j \tilde y_j = 1$.",
                r"Compute the softmax as $e^{z_j - a} / \sum_k e^{z_k - a}$ with $a = \max_k z_k$: no overflow.",
                rf"For $z = (1000, -1000)$, $c = 0$, $\varepsilon = {eps:g}$: $\tilde y = ({f(1 - eps / 2)}, "
                rf"{f(eps / 2)})$ and the gradient is $({f(eps / 2)}, {f(-eps / 2)})$.",
            ]
        steps = [
            r"$\mathrm{lse}(z) = a + \log \sum_k e^{z_k - a}$ with $a = \max_k z_k$.",
            r"$-\log \hat p_j = \mathrm{lse}(z) - z_j$ for every class $j$, finite even when $\hat p_j$ underflows.",
            r"$L = (1 - \varepsilon)(\mathrm{lse}(z) - z_c) + \frac{\varepsilon}{K} \sum_j (\mathrm{lse}(z) - z_j)$. "
            rf"For $z = (1000, -1000)$, $c = 0$, $\varepsilon = {eps:g}$: $L = {f(eps / 2)} \times 2000 = "
            rf"{f(eps * 1000)}$, the price of an overconfident output.",
        ]
        if p["form"] == "mean":
            steps.append("Average the losses of the rows: their sum divided by the number of rows.")
        return steps


EXERCISES = [CrossEntropyGrad(), SmoothedTarget(), SmoothedCrossEntropy(), FocalValue(), KLSoftTarget(),
             LogSumExpValue(), LogSumExpCode(), SoftmaxCode(), SmoothedCrossEntropyCode()]
