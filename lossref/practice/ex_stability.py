"""Exercises of session 3 (continued): the cross-entropy gradient, label smoothing, focal loss, KL
divergence, and the stable log-sum-exp and softmax."""

from __future__ import annotations

import math

from . import _math as M
from ._core import AnswerFormat, CodeCase, CodeExercise, Mistake, NumericExercise, Solution, close
from ._core import fmt_number as f

__all__ = ["CrossEntropyGrad", "SmoothedTarget", "SmoothedCrossEntropy", "FocalValue", "KLSoftTarget",
           "LogSumExpValue", "LogSumExpCode", "SoftmaxCode", "SmoothedCrossEntropyCode"]

_LN10 = math.log(10)
_ORDINAL = ("first", "second", "third", "fourth", "fifth")


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("+", "")


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
            r"Compute $q = \operatorname{softmax}(z)$ first (subtract $\max_j z_j$ before exponentiating).",
            r"$\mathrm{KL}(y \,\|\, q) = \sum_j y_j \log y_j - \sum_j y_j \log q_j$: the cross-entropy "
            r"$H(y, q)$ minus the entropy $H(y)$.",
        ]

    def steps(self, p):
        q = M.softmax(p["z"])
        y = p["y"]
        ce = _soft_ce(y, p["z"])
        entropy = -math.fsum(v * math.log(v) for v in y)
        return [
            rf"$q = \operatorname{{softmax}}{_logits(p['z'])} \approx {_vec(q)}$.",
            rf"Cross-entropy: $H(y, q) = -\sum_j y_j \log q_j \approx {f(ce)}$; entropy: "
            rf"$H(y) = -\sum_j y_j \log y_j \approx {f(entropy)}$.",
            rf"$\mathrm{{KL}}(y \,\|\, q) = H(y, q) - H(y) \approx {f(self.correct(p))}$.",
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
def _float(x):
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _floats(x, length: int):
    try:
        values = [float(v) for v in x]
    except (TypeError, ValueError):
        return None
    return values if len(values) == length and all(math.isfinite(v) for v in values) else None


def _near(a: float, b: float) -> bool:
    return close(a, b, 1e-6, 1e-9)


def _z_cases(shift: float) -> list[list[float]]:
    """Ordinary logits for the hidden tests, moved by the problem's shift."""
    return [[round(v + shift, 2) for v in z] for z in ([1.0, 2.0, 0.5], [0.3, -1.2, 2.4, 0.0], [-3.0, 4.0])]


class LogSumExpCode(CodeExercise):
    """Write a log-sum-exp that never overflows or underflows."""

    id = "stability.logsumexp_code"
    skill = "stability.logsumexp"
    title = "A stable log-sum-exp"
    function = "logsumexp"
    signature = "def logsumexp(z):"
    starter = ("import math\n\n\ndef logsumexp(z):\n"
               "    \"\"\"log(sum_j exp(z_j)) for a non-empty list of floats z.\"\"\"\n"
               "    return math.log(sum(math.exp(v) for v in z))\n")
    reference = ("import math\n\n\ndef logsumexp(z):\n"
                 "    a = max(z)  # after the shift every exponent is <= 0, and the largest term is e^0 = 1\n"
                 "    return a + math.log(sum(math.exp(v - a) for v in z))\n")

    known_wrong = (
        (starter, "unstable"),
        ("import math\n\ndef logsumexp(z):\n"
         "    a = max(z)\n"
         "    return math.log(sum(math.exp(v - a) for v in z))\n", "forgot_max"),
        ("import math\n\ndef logsumexp(z):\n"
         "    a = min(z)\n"
         "    return a + math.log(sum(math.exp(v - a) for v in z))\n", "unstable"),
        ("import math\n\ndef logsumexp(z):\n"
         "    a = max(z)\n"
         "    return a + math.log10(sum(math.exp(v - a) for v in z))\n", "log10"),
        ("def logsumexp(z):\n    return max(z)\n", "max_only"),
    )

    def statement(self, p):
        return ("Write `logsumexp(z)`: $\\log \\sum_j e^{z_j}$ for a non-empty Python list of floats $z$. "
                "The starter code follows the formula and fails for large $|z_j|$: the hidden tests use logits up "
                "to $\\pm 1000$, where $e^{z_j}$ overflows to infinity or underflows to 0. Use the `math` module "
                "only.")

    def cases(self, p):
        cases = [CodeCase((z,), M.logsumexp(z), f"z = {z}") for z in _z_cases(p["shift"])]
        cases += [
            CodeCase(([5.0, 5.0, 5.0, 5.0],), 5.0 + math.log(4.0), "z = [5.0, 5.0, 5.0, 5.0] (all equal)"),
            CodeCase(([p["shift"]],), p["shift"], f"z = [{p['shift']}] (a single element)"),
            CodeCase(([1000.0, 999.0, 998.0],), M.logsumexp([1000.0, 999.0, 998.0]), "z = [1000, 999, 998]",
                     extreme=True),
            CodeCase(([-1000.0, -1000.0],), -1000.0 + math.log(2.0), "z = [-1000, -1000]", extreme=True),
            CodeCase(([1000.0, -1000.0],), 1000.0, "z = [1000, -1000]", extreme=True),
            CodeCase(([-800.0],), -800.0, "z = [-800] (a single element)", extreme=True),
        ]
        return cases

    def diagnose(self, case, got):
        value = _float(got)
        z = case.args[0]
        a = max(z)
        if value is not None:
            if _near(value, case.expected - a):
                return "forgot_max", (f"For {case.description} your function returned {value:.6g}, which is "
                                      f"log Σ e^(z_j - a) alone: add the maximum a = {a:g} back.")
            if _near(value, a):
                return "max_only", (f"For {case.description} your function returned the largest logit, {a:g}. "
                                    "The other terms still count: a + log Σ_j e^(z_j - a).")
            if _near(value, a + (case.expected - a) / _LN10):
                return "log10", (f"For {case.description} your function returned {value:.6g}: the log is in base "
                                 "10. Use math.log, the natural logarithm.")
        return super().diagnose(case, got)

    def hints(self, problem):
        return [
            r"$\log \sum_j e^{z_j} = a + \log \sum_j e^{z_j - a}$ for any number $a$.",
            r"Choose $a = \max_j z_j$: every exponent $z_j - a$ is then at most 0 (no overflow) and one term is "
            r"$e^0 = 1$ (the sum is at least 1, so its log is defined).",
        ]

    def steps(self, p):
        return [
            r"Shift by the maximum: $a = \max_j z_j$, $\log \sum_j e^{z_j} = a + \log \sum_j e^{z_j - a}$.",
            r"For $z = (1000, 999, 998)$: $1000 + \log(1 + e^{-1} + e^{-2}) \approx 1000.4076$.",
        ]


class SoftmaxCode(CodeExercise):
    """Write a softmax that works for any finite logits."""

    id = "stability.softmax_code"
    skill = "stability.softmax"
    title = "A stable softmax"
    function = "softmax"
    signature = "def softmax(z):"
    starter = ("import math\n\n\ndef softmax(z):\n"
               "    \"\"\"The softmax of a non-empty list of floats z, as a list.\"\"\"\n"
               "    e = [math.exp(v) for v in z]\n"
               "    total = sum(e)\n"
               "    return [v / total for v in e]\n")
    reference = ("import math\n\n\ndef softmax(z):\n"
                 "    a = max(z)  # softmax(z) = softmax(z - a): the exponents are <= 0 and the sum is >= 1\n"
                 "    e = [math.exp(v - a) for v in z]\n"
                 "    total = sum(e)\n"
                 "    return [v / total for v in e]\n")

    known_wrong = (
        (starter, "unstable"),
        ("import math\n\ndef softmax(z):\n"
         "    a = max(z)\n"
         "    return [math.exp(v - a) for v in z]\n", "not_normalised"),
        ("import math\n\ndef softmax(z):\n"
         "    a = min(z)\n"
         "    e = [math.exp(v - a) for v in z]\n"
         "    return [v / sum(e) for v in e]\n", "unstable"),
        ("import math\n\ndef softmax(z):\n"
         "    a = max(z)\n"
         "    e = [math.exp(a - v) for v in z]\n"
         "    return [v / sum(e) for v in e]\n", "sign_flipped"),
    )

    def statement(self, p):
        return ("Write `softmax(z)`: the list $\\left(e^{z_j} / \\sum_k e^{z_k}\\right)_j$ for a non-empty Python "
                "list of floats $z$. The starter code follows the formula and fails for large $|z_j|$: the hidden "
                "tests use logits up to $\\pm 1000$. Use the `math` module only.")

    def cases(self, p):
        cases = [CodeCase((z,), M.softmax(z), f"z = {z}") for z in _z_cases(p["shift"])]
        cases += [
            CodeCase(([2.0, 2.0, 2.0, 2.0],), [0.25] * 4, "z = [2.0, 2.0, 2.0, 2.0] (all equal)"),
            CodeCase(([p["shift"]],), [1.0], f"z = [{p['shift']}] (a single element)"),
            CodeCase(([1000.0, 999.0, 998.0],), M.softmax([1000.0, 999.0, 998.0]), "z = [1000, 999, 998]",
                     extreme=True),
            CodeCase(([-1000.0, -1000.0, -1001.0],), M.softmax([-1000.0, -1000.0, -1001.0]),
                     "z = [-1000, -1000, -1001]", extreme=True),
            CodeCase(([1000.0, -1000.0],), [1.0, 0.0], "z = [1000, -1000]", extreme=True),
        ]
        return cases

    def diagnose(self, case, got):
        z = case.args[0]
        values = _floats(got, len(z)) if isinstance(got, (list, tuple)) else None
        if values is not None:
            total = math.fsum(values)
            if total > 0 and not _near(total, 1.0) and all(_near(v / total, e) for v, e in zip(values, case.expected)):
                return "not_normalised", (f"For {case.description} your numbers sum to {total:.6g}, not 1: divide "
                                          "each e^(z_j - a) by their sum.")
            if all(_near(v, e) for v, e in zip(values, M.softmax([-v for v in z]))):
                return "sign_flipped", (f"For {case.description} your function returned softmax(-z): the "
                                        "exponent is z_j - a, not a - z_j.")
        return super().diagnose(case, got)

    def hints(self, problem):
        return [
            r"$\operatorname{softmax}(z) = \operatorname{softmax}(z - a)$ for any number $a$: the factor $e^{-a}$ "
            r"cancels between numerator and denominator.",
            r"Choose $a = \max_j z_j$: every exponent is at most 0 (no overflow) and the sum is at least 1 "
            r"(no division by 0).",
        ]

    def steps(self, p):
        return [
            r"Subtract the maximum: $a = \max_j z_j$, $e_j = e^{z_j - a}$.",
            r"Divide by the sum: $\operatorname{softmax}(z)_j = e_j / \sum_k e_k$. For $z = (1000, -1000)$ this "
            r"gives $(1, 0)$.",
        ]


class SmoothedCrossEntropyCode(CodeExercise):
    """Write a stable cross-entropy with label smoothing."""

    id = "stability.smoothed_ce_code"
    skill = "cross_entropy.smoothing"
    title = "A stable cross-entropy with label smoothing"
    function = "smoothed_cross_entropy"
    signature = "def smoothed_cross_entropy(label, z, eps):"
    starter = ("import math\n\n\ndef smoothed_cross_entropy(label, z, eps):\n"
               "    \"\"\"Cross-entropy of the logits z (a list of K floats) against the smoothed target\n"
               "    (1 - eps) * onehot(label) + eps / K; label is a class index counted from 0.\"\"\"\n"
               "    e = [math.exp(v) for v in z]\n"
               "    p = [v / sum(e) for v in e]\n"
               "    k = len(z)\n"
               "    return -sum(((1 - eps) * (j == label) + eps / k) * math.log(p[j]) for j in range(k))\n")
    reference = ("import math\n\n\ndef smoothed_cross_entropy(label, z, eps):\n"
                 "    a = max(z)\n"
                 "    lse = a + math.log(sum(math.exp(v - a) for v in z))  # log-sum-exp, stable\n"
                 "    k = len(z)\n"
                 "    # -log softmax(z)_j = lse - z_j: no exponential of a large number, no log of 0\n"
                 "    return sum(((1 - eps) * (j == label) + eps / k) * (lse - v) for j, v in enumerate(z))\n")

    _lse = ("import math\n\ndef smoothed_cross_entropy(label, z, eps):\n"
            "    a = max(z)\n"
            "    lse = a + math.log(sum(math.exp(v - a) for v in z))\n"
            "    k = len(z)\n")
    known_wrong = (
        (starter, "unstable"),
        (_lse + "    return (1 - eps) * (lse - z[label])\n", "forgot_smoothing"),
        (_lse + "    return lse - z[label]\n", "forgot_smoothing"),
        (_lse + "    t = [1 - eps if j == label else eps / (k - 1) for j in range(k)]\n"
                "    return sum(tj * (lse - v) for tj, v in zip(t, z))\n", "smoothing_k_minus_1"),
        (_lse + "    return sum((1.0 * (j == label) + eps / k) * (lse - v) for j, v in enumerate(z))\n",
         "unscaled_onehot"),
    )

    def make_params(self, rng):
        return {"shift": round(rng.uniform(-2.0, 2.0), 2), "eps": rng.choice([0.1, 0.2])}

    def statement(self, p):
        return ("Write `smoothed_cross_entropy(label, z, eps)`: the cross-entropy of the logits `z` (a list of $K$ "
                "floats) against the label-smoothed target "
                r"$\tilde y = (1 - \varepsilon)\,\mathrm{onehot}(c) + \varepsilon / K$, i.e. "
                r"$L = -\sum_j \tilde y_j \log \operatorname{softmax}(z)_j$. "
                "The class index `label` counts from 0. The starter code follows the formula and fails for large "
                "$|z_j|$: the hidden tests use logits up to $\\pm 1000$. Use the `math` module only.")

    def cases(self, p):
        eps = p["eps"]
        rows = [(0, z, eps) for z in _z_cases(p["shift"])]
        rows[1] = (2, rows[1][1], eps)
        rows += [(1, [0.5, 1.5, -0.5], 0.0), (0, [3.0, 3.0, 3.0], eps)]
        cases = [CodeCase((c, z, e), M.cross_entropy(c, z, e), f"label = {c}, z = {z}, eps = {e:g}") for c, z, e in rows]
        extreme = [(1, [1000.0, 999.0, 998.0], eps), (0, [1000.0, -1000.0], eps),
                   (1, [-1000.0, -1000.0, -1000.0], 0.1), (2, [-1000.0, 0.0, 1000.0], 0.0)]
        cases += [CodeCase((c, z, e), M.cross_entropy(c, z, e), f"label = {c}, z = {z}, eps = {e:g}", extreme=True)
                  for c, z, e in extreme]
        return cases

    def diagnose(self, case, got):
        value = _float(got)
        label, z, eps = case.args
        if value is not None:
            k = len(z)
            plain = M.cross_entropy(label, z)
            if _near(value, (1 - eps) * plain):
                return "forgot_smoothing", (f"For {case.description} your function returned {value:.6g} = "
                                            "(1 - eps)(-log p̂_c): the eps/K Σ_j (-log p̂_j) term is missing. "
                                            "Every class gets eps/K of the target.")
            if _near(value, plain):
                return "forgot_smoothing", (f"For {case.description} your function returned the plain "
                                            f"cross-entropy {value:.6g}: the target must be smoothed, "
                                            "(1 - eps) onehot + eps/K.")
            if _near(value, _soft_ce(_smoothed_k_minus_1(label, k, eps), z)):
                return "smoothing_k_minus_1", (f"For {case.description} your function put eps/(K - 1) on the "
                                               "other classes; here every class, the true one included, gets "
                                               "eps/K, and the true class 1 - eps + eps/K.")
            if _near(value, _soft_ce([y + eps / k for y in _onehot(label, k)], z)):
                return "unscaled_onehot", (f"For {case.description} your target sums to 1 + eps: scale the "
                                           "one-hot part by (1 - eps).")
        return super().diagnose(case, got)

    def hints(self, problem):
        return [
            r"Work with log-probabilities: $-\log \operatorname{softmax}(z)_j = \log \sum_k e^{z_k} - z_j$, and "
            r"compute the log-sum-exp with the max shift.",
            r"$L = \sum_j \tilde y_j\,(\mathrm{lse}(z) - z_j)$ with $\tilde y_j = (1 - \varepsilon)[j = c] + "
            r"\varepsilon / K$; never form $\log$ of a probability that may have rounded to 0.",
        ]

    def steps(self, p):
        return [
            r"$\mathrm{lse}(z) = a + \log \sum_k e^{z_k - a}$ with $a = \max_k z_k$.",
            r"$-\log \hat p_j = \mathrm{lse}(z) - z_j$ for every class $j$, finite even when $\hat p_j$ underflows.",
            r"$L = (1 - \varepsilon)(\mathrm{lse}(z) - z_c) + \frac{\varepsilon}{K} \sum_j (\mathrm{lse}(z) - z_j)$. "
            r"For $z = (1000, -1000)$, $c = 0$, $\varepsilon = 0.1$: $L = 0.05 \times 2000 = 100$, the price of an "
            r"overconfident output.",
        ]


EXERCISES = [CrossEntropyGrad(), SmoothedTarget(), SmoothedCrossEntropy(), FocalValue(), KLSoftTarget(),
             LogSumExpValue(), LogSumExpCode(), SoftmaxCode(), SmoothedCrossEntropyCode()]
