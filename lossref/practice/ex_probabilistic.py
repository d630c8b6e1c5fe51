"""Exercises of session 3: probabilistic classification and numerical stability."""

from __future__ import annotations

import math

from . import _math as M
from ._core import ChoiceExercise, CodeCase, CodeExercise, Mistake, NumericExercise, fmt_number as f

__all__ = ["BCEValue", "BCEGrad", "SoftmaxCE", "StableBCEWithLogits"]


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("+", "")


class _OneLogit(NumericExercise):
    """A label y in {0, 1} and a logit z; seed 0 is the lesson's worked example 2 (y = 1, z = -1)."""

    def fixed_params(self, seed):
        return {"y": 1, "z": -1.0} if seed == 0 else None

    def make_params(self, rng):
        return {"y": rng.choice([0, 1]), "z": round(rng.uniform(-3.0, 3.0), 1)}

    def acceptable(self, params):
        return abs(params["z"]) >= 0.3 and super().acceptable(params)


class BCEValue(_OneLogit):
    """Binary cross-entropy of one example from its logit (the lesson's worked example 2 at seed 0)."""

    id = "bce.value"
    skill = "bce.value"
    title = "Binary cross-entropy from a logit"

    def statement(self, p):
        return (f"A binary classifier outputs the logit $z = {_signed(p['z'])}$ for an example whose label is "
                f"$y = {p['y']}$. Compute the binary cross-entropy "
                r"$L = -[\,y \log \hat p + (1 - y) \log(1 - \hat p)\,]$ with $\hat p = \sigma(z)$, "
                "using the natural logarithm.")

    def correct(self, p):
        return M.bce_with_logits(p["y"], p["z"])

    def mistakes(self, p):
        loss = self.correct(p)
        prob = M.sigmoid(p["z"])
        wrong_term = -math.log(prob) if p["y"] == 0 else -math.log1p(-prob)
        return [
            Mistake("log10", loss / math.log(10), "That is the loss with log base 10; cross-entropy uses the natural "
                                                  "logarithm (divide by ln 10 to see the link)."),
            Mistake("log2", loss / math.log(2), "That is the loss in bits (log base 2); use the natural logarithm."),
            Mistake("sign_flipped", -loss, "The sign is flipped: the log of a probability is negative, and the "
                                           "leading minus makes the loss positive."),
            Mistake("wrong_term", wrong_term, f"That is the term for y = {1 - p['y']}. With y = {p['y']} only "
                                              + ("-log p̂" if p["y"] == 1 else "-log(1 - p̂)") + " remains."),
        ]

    def hints(self, problem):
        p = problem.params
        return [
            r"First turn the logit into a probability: $\hat p = \sigma(z) = 1 / (1 + e^{-z})$.",
            f"With $y = {p['y']}$ only one term of the sum survives: "
            + (r"$L = -\log \hat p$." if p["y"] == 1 else r"$L = -\log(1 - \hat p)$."),
        ]

    def steps(self, p):
        prob = M.sigmoid(p["z"])
        term = r"-\log \hat p" if p["y"] == 1 else r"-\log(1 - \hat p)"
        return [
            rf"$\hat p = \sigma({_signed(p['z'])}) = 1 / (1 + e^{{{-p['z']:g}}}) \approx {f(prob)}$.",
            rf"With $y = {p['y']}$: $L = {term} \approx {f(self.correct(p))}$.",
        ]


class BCEGrad(_OneLogit):
    """The gradient of BCE with respect to the logit: sigma(z) - y (lesson worked example 2)."""

    id = "bce.grad"
    skill = "bce.grad"
    title = "The gradient of binary cross-entropy in the logit"

    def statement(self, p):
        return (f"For the logit $z = {_signed(p['z'])}$ and the label $y = {p['y']}$, compute "
                r"$\partial L / \partial z$ for the binary cross-entropy $L$ of $\hat p = \sigma(z)$.")

    def correct(self, p):
        return M.sigmoid(p["z"]) - p["y"]

    def mistakes(self, p):
        prob = M.sigmoid(p["z"])
        y = p["y"]
        return [
            Mistake("sign_flipped", y - prob, "The sign is flipped: the gradient is p̂ - y, prediction minus truth."),
            Mistake("forgot_target", prob, "That is p̂ alone; the gradient is p̂ - y."),
            Mistake("grad_wrt_p", -(y / prob - (1 - y) / (1 - prob)),
                    "That is ∂L/∂p̂, the derivative in the probability. Multiply by ∂p̂/∂z = p̂(1 - p̂)."),
        ]

    def hints(self, problem):
        return [
            r"Chain rule: $\partial L/\partial z = (\partial L/\partial \hat p)(\partial \hat p/\partial z)$ with "
            r"$\partial \hat p/\partial z = \hat p(1 - \hat p)$.",
            r"The product simplifies to $\hat p - y$: compute $\hat p = \sigma(z)$ and subtract the label.",
        ]

    def steps(self, p):
        prob = M.sigmoid(p["z"])
        return [
            rf"$\hat p = \sigma({_signed(p['z'])}) \approx {f(prob)}$.",
            r"$\partial L/\partial \hat p = -\left(\frac{y}{\hat p} - \frac{1-y}{1-\hat p}\right)$ and "
            r"$\partial \hat p/\partial z = \hat p(1-\hat p)$; their product is $\hat p - y$.",
            rf"$\partial L/\partial z = {f(prob)} - {p['y']} \approx {f(self.correct(p))}$.",
        ]


class SoftmaxCE(NumericExercise):
    """Softmax cross-entropy for three classes (the lesson's practice problem 2 at seed 0)."""

    id = "cross_entropy.value"
    skill = "cross_entropy.value"
    title = "Softmax cross-entropy"

    def fixed_params(self, seed):
        return {"z": [2.0, 0.0, -1.0], "label": 1} if seed == 0 else None

    def make_params(self, rng):
        return {"z": [round(rng.uniform(-2.0, 3.0), 1) for _ in range(3)], "label": rng.randrange(3)}

    def statement(self, p):
        z = ", ".join(_signed(v) for v in p["z"])
        return (f"A three-class model outputs the logits $z = ({z})$. The true class is class {p['label'] + 1} "
                f"(counting from 1). Compute the cross-entropy $L = -\\log \\operatorname{{softmax}}(z)_c$.")

    def correct(self, p):
        return M.cross_entropy(p["label"], p["z"])

    def mistakes(self, p):
        loss = self.correct(p)
        probs = M.softmax(p["z"])
        twice = M.softmax(probs)
        found = [
            Mistake("log10", loss / math.log(10), "That uses log base 10; cross-entropy uses the natural logarithm."),
            Mistake("softmax_twice", -math.log(twice[p["label"]]),
                    "Softmax was applied twice: the logits became probabilities, and those went through softmax "
                    "again. Apply it once, to the logits."),
            Mistake("no_softmax", -p["z"][p["label"]], "That is minus the raw logit: normalise with softmax first, "
                                                       "L = log Σ e^{z_j} - z_c."),
        ]
        if p["label"] < 2:  # class k counted from 1 read as index k (counting from 0)
            found.append(Mistake("off_by_one_class", M.cross_entropy(p["label"] + 1, p["z"]),
                                 "That is the loss of the next class: here classes are counted from 1, so class "
                                 f"{p['label'] + 1} is the {('first', 'second', 'third')[p['label']]} logit."))
        return found

    def hints(self, problem):
        return [
            r"$\operatorname{softmax}(z)_j = e^{z_j} / \sum_k e^{z_k}$; subtract $\max_j z_j$ first to keep the "
            r"exponentials small.",
            r"$L = -\log \operatorname{softmax}(z)_c = \log \sum_k e^{z_k} - z_c$.",
        ]

    def steps(self, p):
        probs = M.softmax(p["z"])
        shown = ", ".join(f(v) for v in probs)
        return [
            rf"$\operatorname{{softmax}}(z) \approx ({shown})$.",
            rf"The true class is number {p['label'] + 1}: $L = -\log {f(probs[p['label']])} \approx "
            rf"{f(self.correct(p))}$.",
        ]


class StableBCEWithLogits(CodeExercise):
    """Write a binary cross-entropy on logits that never overflows."""

    id = "stability.bce_code"
    skill = "stability.bce"
    title = "A stable binary cross-entropy on logits"
    function = "bce_with_logits"
    signature = "def bce_with_logits(y, z):"
    starter = ("import math\n\n\ndef bce_with_logits(y, z):\n"
               "    \"\"\"Binary cross-entropy of one example: label y in [0, 1], logit z.\"\"\"\n"
               "    p = 1 / (1 + math.exp(-z))\n"
               "    return -(y * math.log(p) + (1 - y) * math.log(1 - p))\n")
    reference = ("import math\n\n\ndef bce_with_logits(y, z):\n"
                 "    # softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exp never sees a positive number\n"
                 "    def softplus(x):\n"
                 "        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))\n"
                 "    return y * softplus(-z) + (1 - y) * softplus(z)\n")

    known_wrong = (
        (starter, "unstable"),
        ("import math\n\ndef bce_with_logits(y, z):\n"
         "    return y * math.log1p(math.exp(-z)) + (1 - y) * math.log1p(math.exp(z))\n", "unstable"),
        ("import math\n\ndef bce_with_logits(y, z):\n"
         "    sp = lambda x: max(x, 0.0) + math.log1p(math.exp(-abs(x)))\n"
         "    return y * sp(z) + (1 - y) * sp(-z)\n", None),
    )

    def statement(self, p):
        return ("Write `bce_with_logits(y, z)`: the binary cross-entropy of one example with label $y \\in [0, 1]$ "
                "and logit $z$, "
                r"$L = -[\,y \log \sigma(z) + (1 - y) \log(1 - \sigma(z))\,]$. "
                "The starter code follows the formula and fails for large $|z|$: the hidden tests use logits up to "
                "$\\pm 1000$. Use the `math` module only.")

    def cases(self, p):
        s = p["shift"]
        rows = [(1.0, s), (0.0, s), (0.3, 1.5 + s), (1.0, 40.0), (0.0, -40.0)]
        cases = [CodeCase((y, z), M.bce_with_logits(y, z), f"y = {y:g}, z = {z:g}", extreme=abs(z) >= 40)
                 for y, z in rows]
        cases += [
            CodeCase((1.0, 1000.0), 0.0, "y = 1, z = 1000 (confident and right)", extreme=True),
            CodeCase((0.0, 1000.0), 1000.0, "y = 0, z = 1000 (confident and wrong)", extreme=True),
            CodeCase((1.0, -1000.0), 1000.0, "y = 1, z = -1000 (confident and wrong)", extreme=True),
            CodeCase((0.5, -800.0), M.bce_with_logits(0.5, -800.0), "y = 0.5, z = -800", extreme=True),
        ]
        return cases

    def hints(self, problem):
        return [
            r"$-\log \sigma(z) = \log(1 + e^{-z})$ and $-\log(1 - \sigma(z)) = \log(1 + e^{z})$: write the loss "
            r"with the softplus $\log(1 + e^{x})$.",
            r"$\log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})$: the exponential's argument is never positive, "
            r"and `math.log1p` keeps the small term accurate.",
        ]

    def steps(self, p):
        return [
            r"$L = y \log(1 + e^{-z}) + (1 - y)\log(1 + e^{z})$, the softplus of $-z$ and of $z$.",
            r"Compute the softplus as $\max(x, 0) + \operatorname{log1p}(e^{-|x|})$, which never overflows.",
        ]


class ChooseProbabilisticLoss(ChoiceExercise):
    """Which loss for a model that outputs logits, and why not its probability form."""

    id = "bce.choose_logits"
    skill = "stability.bce"
    title = "Logits or probabilities"

    def make_params(self, rng):
        return {"classes": rng.choice([2, 5, 10])}

    def statement(self, p):
        if p["classes"] == 2:
            what = "a single logit per example for a yes/no label"
        else:
            what = f"{p['classes']} logits per example for mutually exclusive classes"
        return f"A network outputs {what}. Which training loss do you give it?"

    def options(self, p):
        binary = p["classes"] == 2
        return [
            ("bce_with_logits on the logits" if binary else "cross_entropy on the logits", None,
             "It takes the logits, computes the log-probabilities stably, and its gradient is p̂ - y."),
            ("mse on the sigmoid or softmax of the logits", "mse_on_probs",
             "Squared error on probabilities: the gradient vanishes when the output saturates on the wrong side, "
             "and the model is no longer fitted by likelihood."),
            ("bce on sigmoid(logits)" if binary else "cross_entropy on softmax(logits)",
             "probs_not_logits" if binary else "softmax_twice",
             "Converting to probabilities first loses precision: for large logits p̂ rounds to 0 or 1 and the log "
             "is clipped." if binary else
             "cross_entropy applies softmax itself: feeding it probabilities applies softmax twice."),
            ("hinge on the logits", "hinge_for_probabilities",
             "Hinge trains a margin classifier, not probabilities, and needs labels in {-1, +1}."),
        ]

    def hints(self, problem):
        return ["Which loss takes the raw output of the last layer, without a sigmoid or softmax applied?",
                "The stable losses compute the log-probabilities from the logits with log-sum-exp or softplus."]

    def steps(self, p):
        return ["Losses on logits compute the log-probabilities stably (softplus / log-sum-exp) and give the "
                "gradient p̂ - y.",
                "Applying a sigmoid or softmax before the loss either loses precision or applies it twice."]


EXERCISES = [BCEValue(), BCEGrad(), SoftmaxCE(), StableBCEWithLogits(), ChooseProbabilisticLoss()]
