"""Exercises of session 3: probabilistic classification and numerical stability."""

from __future__ import annotations

import math

from . import _math as M
from ._core import ChoiceExercise, CodeCase, CodeExercise, CodeTask, Mistake, NumericExercise, fmt_number as f, no_negative_zero

__all__ = ["BCEValue", "BCEGrad", "SoftmaxCE", "StableBCEWithLogits"]


def _signed(x: float) -> str:
    return no_negative_zero(f"{x:+.2f}".replace("+", ""))


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


# The tasks of stability.bce_code, drawn from parts: the reduction, the label convention and the
# positive-class weight (written into the function).
_BCE_REDUCTIONS = ("one", "mean", "sum")
_BCE_LABELS = ("01", "pm1")
_BCE_WEIGHTS = (1, 2, 4)
_SOFTPLUS = ("def softplus(x):\n"
             "    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exp never sees a positive number\n"
             "    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))\n")
_SIGMOID = "def sigmoid(z):\n    return 1 / (1 + math.exp(-z))\n"


def _weighted(w: int, term: str, on_negatives: bool = False) -> str:
    """``term`` times the positive-class weight (1 on the negatives), as Python source."""
    if w == 1:
        return term
    return f"(1 if y > 0 else {w}) * {term}" if on_negatives else f"({w} if y > 0 else 1) * {term}"


def _bce_source(p: dict, per: str, helper: str = _SOFTPLUS) -> str:
    """A program of the task: the per-example loss ``per`` (in y and z), reduced as the task says."""
    doc = {"one": "Binary cross-entropy of one example: label y, logit z.",
           "mean": "Mean binary cross-entropy of the lists of labels y and logits z.",
           "sum": "Summed binary cross-entropy of the lists of labels y and logits z."}[p["reduction"]]
    helper = helper + "\n\n" if helper else ""
    head = f"import math\n\n\n{helper}def bce_with_logits(y, z):\n    \"\"\"{doc}\"\"\"\n"
    if p["reduction"] == "one":
        return head + f"    return {per}\n"
    batch = "sum(loss(y_i, z_i) for y_i, z_i in zip(y, z))"
    total = batch + " / len(y)" if p["reduction"] == "mean" else batch
    return head + f"    def loss(y, z):\n        return {per}\n    return {total}\n"


def _bce_one(p: dict, y: float, z: float) -> float:
    if p["labels"] == "01":
        return M.bce_with_logits(y, z, p["w"])
    return (p["w"] if y > 0 else 1) * M.softplus(-y * z)


class StableBCEWithLogits(CodeExercise):
    """Write a binary cross-entropy on logits that never overflows: one example or a batch (mean or
    sum), labels 0/1 or -1/+1, with or without a positive-class weight."""

    id = "stability.bce_code"
    skill = "stability.bce"
    title = "A stable binary cross-entropy on logits"
    task_keys = ("reduction", "labels", "w")

    def fixed_params(self, seed):
        # seed 0, the problem pages show first: the lesson's one example with a 0/1 label, unweighted
        return {"reduction": "one", "labels": "01", "w": 1, "shift": 0.4} if seed == 0 else None

    def make_params(self, rng):
        return {"reduction": rng.choice(_BCE_REDUCTIONS), "labels": rng.choice(_BCE_LABELS),
                "w": rng.choice(_BCE_WEIGHTS), "shift": round(rng.uniform(-2.0, 2.0), 2)}

    def _per(self, p, form: str) -> str:
        """The per-example loss as source: "stable" (the answer), "naive", "log1p" (both overflow),
        "swapped", "unweighted", "weight_on_negatives", "other_labels"."""
        w = 1 if form == "unweighted" else p["w"]
        neg = form == "weight_on_negatives"
        if p["labels"] == "01":
            pos, negative = {"stable": ("softplus(-z)", "softplus(z)"), "swapped": ("softplus(z)", "softplus(-z)"),
                             "naive": ("-math.log(sigmoid(z))", "-math.log(1 - sigmoid(z))"),
                             "log1p": ("math.log1p(math.exp(-z))", "math.log1p(math.exp(z))")}.get(
                form, ("softplus(-z)", "softplus(z)"))
            if form == "other_labels":
                return _weighted(w, "softplus(-y * z)")
            wp = "" if w == 1 or neg else f"{w} * "
            wn = f"{w} * " if neg and w != 1 else ""
            return f"{wp}y * {pos} + {wn}(1 - y) * {negative}"
        term = {"stable": "softplus(-y * z)", "swapped": "softplus(y * z)",
                "naive": "math.log(1 + math.exp(-y * z))", "log1p": "math.log1p(math.exp(-y * z))"}.get(
            form, "softplus(-y * z)")
        if form == "other_labels":
            return (f"{w} * y * softplus(-z) + (1 - y) * softplus(z)" if w != 1
                    else "y * softplus(-z) + (1 - y) * softplus(z)")
        return _weighted(w, term, on_negatives=neg)

    def task(self, p):
        starter = _bce_source(p, self._per(p, "naive"), _SIGMOID if p["labels"] == "01" else "")
        return CodeTask("bce_with_logits", "def bce_with_logits(y, z):", starter,
                        _bce_source(p, self._per(p, "stable")))

    def known_wrong(self, p):
        programs = [(self.task(p).starter, "unstable"), (_bce_source(p, self._per(p, "log1p")), "unstable"),
                    (_bce_source(p, self._per(p, "swapped")), "sign_flipped"),
                    (_bce_source(p, self._per(p, "other_labels")),
                     "labels_pm1_as_01" if p["labels"] == "pm1" else "labels_01_as_pm1")]
        if p["w"] != 1:
            programs += [(_bce_source(p, self._per(p, "unweighted")), "forgot_pos_weight"),
                         (_bce_source(p, self._per(p, "weight_on_negatives")), "pos_weight_on_negatives")]
        if p["reduction"] != "one":
            other = {**p, "reduction": "sum" if p["reduction"] == "mean" else "mean"}
            programs.append((_bce_source(other, self._per(p, "stable")),
                             "sum_not_mean" if p["reduction"] == "mean" else "mean_not_sum"))
        return programs

    mistake_messages = {
        "sign_flipped": "{where}: the two terms are swapped. -log σ(z) = softplus(-z) belongs to the positive "
                        "label, -log(1 - σ(z)) = softplus(z) to the negative one; expected {expected}.",
        "forgot_pos_weight": "{where}: the positive-class weight w = {w} is missing. It multiplies the loss of "
                             "each positive example; expected {expected}.",
        "pos_weight_on_negatives": "{where}: the weight w = {w} went on the negative examples. pos_weight "
                                   "multiplies the loss of the positive label only; expected {expected}.",
        "labels_pm1_as_01": "{where}: the label -1 was used as if it were 0 in y log σ(z) + (1 - y) log(1 - σ(z)). "
                            "With labels in {{-1, +1}} the loss is log(1 + e^(-yz)) = softplus(-yz); "
                            "expected {expected}.",
        "labels_01_as_pm1": "{where}: that is softplus(-yz), the form for labels -1 and +1; a label 0 gives log 2 "
                            "whatever the logit. Here labels are 0/1: y softplus(-z) + (1 - y) softplus(z); "
                            "expected {expected}.",
        "sum_not_mean": "{where}: that is the sum over the batch; the task asks for the mean, the sum divided by "
                        "the number of examples; expected {expected}.",
        "mean_not_sum": "{where}: that is the mean over the batch; the task asks for the sum, without dividing by "
                        "the number of examples; expected {expected}.",
    }

    def statement(self, p):
        w = p["w"]
        if p["labels"] == "01":
            labels = r"labels $y \in [0, 1]$ (1 for the positive class; soft labels such as 0.3 included)"
            wy = "" if w == 1 else r"w\,"
            loss = rf"$\ell = -[\,{wy}y \log \sigma(z) + (1 - y) \log(1 - \sigma(z))\,]$"
        else:
            labels = r"labels $y \in \{-1, +1\}$"
            loss = (r"$\ell = \log(1 + e^{-yz}) = -\log \sigma(yz)$" if w == 1 else
                    r"$\ell = w_y \log(1 + e^{-yz})$ with $w_{+1} = w$ and $w_{-1} = 1$")
        weight = "" if w == 1 else f" The positive-class weight is $w = {w}$ (write it into your function)."
        what = {"one": "the binary cross-entropy $\\ell$ of one example with label `y` and logit `z`",
                "mean": "the mean $\\frac1n \\sum_i \\ell_i$ of the binary cross-entropies of a batch: `y` and `z` "
                        "are lists of $n$ labels and logits",
                "sum": "the sum $\\sum_i \\ell_i$ (not the mean) of the binary cross-entropies of a batch: `y` and "
                       "`z` are lists of $n$ labels and logits"}[p["reduction"]]
        return (f"Write `bce_with_logits(y, z)`: {what}, with {labels}: {loss}.{weight} The starter code follows "
                "the formula and fails for large $|z|$: the hidden tests use logits up to $\\pm 1000$. Use the "
                "`math` module only.")

    def cases(self, p):
        s = p["shift"]
        pm1 = p["labels"] == "pm1"
        label = (lambda y: 1 if y >= 0.5 else -1) if pm1 else (lambda y: y)
        rows = [(0.0, s), (1.0, s), (1.0, 3.0), (0.0, -2.5), (1.0, -1.5 + s)]
        if not pm1:
            rows.append((0.3, 1.5 + s))
        far = [(1.0, 40.0), (0.0, -40.0), (1.0, 1000.0), (0.0, 1000.0), (1.0, -1000.0)] + \
            ([] if pm1 else [(0.5, -800.0)])
        rows = [(label(y), z) for y, z in rows]
        far = [(label(y), z) for y, z in far]
        if p["reduction"] == "one":
            return ([CodeCase((y, z), _bce_one(p, y, z), f"y = {y:g}, z = {z:g}") for y, z in rows]
                    + [CodeCase((y, z), _bce_one(p, y, z), f"y = {y:g}, z = {z:g}", extreme=True) for y, z in far])
        mean = p["reduction"] == "mean"

        def batch(part, extreme=False):
            y, z = [a for a, _ in part], [b for _, b in part]
            total = math.fsum(_bce_one(p, a, b) for a, b in part)
            return CodeCase((y, z), total / len(part) if mean else total, f"y = {y}, z = {z}", extreme)
        return [batch(rows[:3]), batch(rows[3:]), batch(rows[:1]), batch(far[:3], True), batch(far[2:], True)]

    def hints(self, problem):
        p = problem.params
        first = (r"$-\log \sigma(z) = \log(1 + e^{-z})$ and $-\log(1 - \sigma(z)) = \log(1 + e^{z})$: write the "
                 r"loss with the softplus $\log(1 + e^{x})$." if p["labels"] == "01" else
                 r"With labels $\pm 1$ both cases are one formula: $\log(1 + e^{-yz})$, the softplus of $-yz$.")
        hints = [first, r"$\log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})$: the exponential's argument is never "
                        r"positive, and `math.log1p` keeps the small term accurate."]
        if p["w"] != 1:
            hints.append(f"The weight $w = {p['w']}$ multiplies the loss of the positive examples only.")
        return hints

    def steps(self, p):
        steps = [r"$-\log \sigma(z) = \operatorname{softplus}(-z)$ and $-\log(1 - \sigma(z)) = "
                 r"\operatorname{softplus}(z)$, with $\operatorname{softplus}(x) = \log(1 + e^{x})$.",
                 r"Compute the softplus as $\max(x, 0) + \operatorname{log1p}(e^{-|x|})$, which never overflows."]
        if p["labels"] == "pm1":
            steps.append(r"For $y = \pm 1$ both cases read $\operatorname{softplus}(-yz)$.")
        if p["w"] != 1:
            steps.append(f"Multiply the loss of each positive example by $w = {p['w']}$.")
        if p["reduction"] != "one":
            steps.append("Add the losses of the batch" + (" and divide by their number." if p["reduction"] == "mean"
                                                          else "; the sum is not divided."))
        return steps


# bce.choose_logits draws a problem from parts: what the network outputs and what the targets are.
_OUTPUTS = {
    "binary": "a single logit per example for a yes/no label",
    "multiclass": "{k} logits per example, for {k} mutually exclusive classes (exactly one is right)",
    "multilabel": "{k} logits per example, one per tag, for {k} tags that can be present together (any number "
                  "of them applies)",
}
_TARGETS = {
    "hard": "The labels are hard: {hard}.",
    "rare": "The labels are hard ({hard}), and {scarce}; the loss should weigh the rare {rare} about as much "
            "as the rest.",
    "soft": "The targets are soft: {soft}, which the model should learn as they are.",
}
_TARGET_WORDS = {
    "binary": {"hard": "0 or 1", "rare": "examples with label 1", "scarce": "positives are rare (about 1 in 50)",
               "soft": "the fraction of five annotators who "
                                                                         "said yes, a number in [0, 1]"},
    "multiclass": {"hard": "one class index per example", "rare": "classes",
                   "scarce": "a few of the classes are rare (about 1 example in 500 each)",
                   "soft": "a probability row over the classes per example (a teacher model's output)"},
    "multilabel": {"hard": "a 0/1 vector per example", "rare": "present tags",
                   "scarce": "each tag is present on about 1 example in 50",
                   "soft": "a number in [0, 1] per tag (the fraction of annotators who chose it)"},
}


def _right_loss(p: dict) -> str:
    output, target = p["output"], p["target"]
    if output == "multiclass":
        return {"hard": "cross_entropy on the logits, with the class indices",
                "rare": "cross_entropy on the logits with class_weight, larger for the rare classes",
                "soft": "cross_entropy on the logits with the probability rows as targets"}[target]
    tag = "" if output == "binary" else " on each of the logits"
    return {"hard": f"bce_with_logits{tag} with the 0/1 labels",
            "rare": f"bce_with_logits{tag} with pos_weight near the ratio of negatives to positives",
            "soft": f"bce_with_logits{tag} with the soft targets in [0, 1] as labels"}[target]


class ChooseProbabilisticLoss(ChoiceExercise):
    """Which loss for a network that outputs logits, given what the targets are, and why not its
    probability form. Problems are drawn from parts: the output, the number of classes, the targets."""

    id = "bce.choose_logits"
    skill = "stability.bce"
    title = "Logits or probabilities"

    def make_params(self, rng):
        output = rng.choice(sorted(_OUTPUTS))
        return {"output": output, "k": 2 if output == "binary" else rng.choice([5, 10, 20]),
                "target": rng.choice(sorted(_TARGETS))}

    def statement(self, p):
        output, target = p["output"], p["target"]
        words = _TARGET_WORDS[output]
        what = _OUTPUTS[output].format(k=p["k"])
        data = _TARGETS[target].format(**words)
        return f"A network outputs {what}. {data} Which training loss do you give it?"

    def options(self, p):
        output, target = p["output"], p["target"]
        exclusive = output == "multiclass"
        rows = [
            (_right_loss(p), None,
             ("It takes the logits, computes the log-probabilities stably, and its gradient is p̂ - y"
              + (" for each class; softmax makes the classes share one unit of probability." if exclusive else
                 "; each sigmoid is its own yes/no question.") if output != "binary" else
              "It takes the logit, computes the log-probabilities stably, and its gradient is σ(z) - y.")),
            ("mse on the " + ("softmax" if exclusive else "sigmoid") + " of the logits", "mse_on_probs",
             "Squared error on probabilities: the gradient vanishes when the output saturates on the wrong side, "
             "and the model is no longer fitted by likelihood."),
            (("cross_entropy on softmax(logits)", "softmax_twice",
              "cross_entropy applies softmax itself: feeding it probabilities applies softmax twice.") if exclusive
             else ("bce on sigmoid(logits)", "probs_not_logits",
                   "Converting to probabilities first loses precision: for large logits p̂ rounds to 0 or 1 and "
                   "the log is clipped.")),
        ]
        if output == "binary":
            rows.append(("hinge on the logit", "hinge_for_probabilities",
                         "Hinge trains a margin classifier, not probabilities, and needs labels in {-1, +1}."))
        elif exclusive:
            rows.append(("bce_with_logits on each of the logits", "sigmoid_for_exclusive",
                         "Independent sigmoids treat the classes as separate yes/no questions: nothing makes the "
                         "probabilities sum to 1, though exactly one class is right. Softmax cross-entropy does."))
        else:
            rows.append(("cross_entropy on the logits", "softmax_for_multilabel",
                         "Softmax makes the tags compete for one unit of probability, so two tags that are both "
                         "present cannot both get a probability near 1. Each tag needs its own sigmoid."))
        if target == "rare":
            plain = {**p, "target": "hard"}
            rows.append((_right_loss(plain), "ignored_imbalance",
                         "Unweighted, the rare positives count as little as they are frequent, which the task rules "
                         "out: weigh them up (pos_weight, or class_weight for exclusive classes)."))
        if target == "soft":
            rows.append((("cross_entropy on the logits with the argmax of each row as the class" if exclusive else
                          "bce_with_logits with the targets rounded to 0 or 1"), "hard_labels",
                         "Rounding the soft targets throws away what they say (how sure the annotators or the "
                         "teacher were); the cross-entropy takes soft targets as they are."))
        return rows

    def hints(self, problem):
        p = problem.params
        which = {"binary": "One yes/no question per example: which loss takes its logit as it is?",
                 "multiclass": "Exactly one class per example: which loss applies the softmax itself?",
                 "multilabel": "Several tags can be right at once: do the tags share one unit of probability, or "
                               "is each its own yes/no question?"}[p["output"]]
        return [which, "The stable losses compute the log-probabilities from the logits with log-sum-exp or "
                       "softplus; then fit the targets as the statement describes them (weights for rare "
                       "positives, soft targets as they are)."]

    def steps(self, p):
        return ["Losses on logits compute the log-probabilities stably (softplus / log-sum-exp) and give the "
                "gradient p̂ - y; applying a sigmoid or softmax before the loss either loses precision or applies "
                "it twice.",
                {"binary": "One logit, one yes/no label: the sigmoid cross-entropy, bce_with_logits.",
                 "multiclass": "Mutually exclusive classes: the softmax cross-entropy, cross_entropy.",
                 "multilabel": "Tags that can be present together: one sigmoid cross-entropy per tag, "
                               "bce_with_logits."}[p["output"]],
                f"So: {_right_loss(p)}."]


EXERCISES = [BCEValue(), BCEGrad(), SoftmaxCE(), StableBCEWithLogits(), ChooseProbabilisticLoss()]
