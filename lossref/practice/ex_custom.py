"""Exercises of session 7: custom losses (weights, label smoothing, multi-task sums, surrogates, gradient checks)."""

from __future__ import annotations

import math

from . import _math as M
from ._core import ChoiceExercise, CodeCase, CodeExercise, Mistake, NumericExercise, Verdict, fmt_number as f

__all__ = ["WeightedBCE", "ClassWeightedMean", "MultiTaskTotal", "LabelSmoothingTarget", "ChooseSurrogate",
           "PseudoHuberCode"]


def _weighted_bce(y: int, p: float, alpha: float, beta: float) -> float:
    """-[alpha y log p + beta (1 - y) log(1 - p)]."""
    return -(alpha * y * math.log(p) + beta * (1 - y) * math.log1p(-p))


# ---------------------------------------------------------------------------------- weighted BCE
class WeightedBCE(NumericExercise):
    """Weighted binary cross-entropy of one example, positives weighted by alpha and negatives by beta."""

    id = "custom.weighted_bce"
    skill = "custom.weighted_bce"
    title = "Weighted binary cross-entropy"

    def make_params(self, rng):
        return {"y": rng.choice([0, 1]), "p": round(rng.uniform(0.05, 0.95), 2),
                "alpha": rng.choice([1.5, 2.0, 3.0, 4.0, 5.0]), "beta": rng.choice([0.25, 0.5, 0.75])}

    def statement(self, p):
        return ("A missed positive should cost more in training than a false alarm, so the binary cross-entropy "
                "is weighted (one way to do it; it also moves the model's probabilities away from "
                r"$P(y = 1 \mid x)$): $L = -[\,\alpha\, y \log \hat p + \beta\,(1 - y) \log(1 - \hat p)\,]$ "
                f"with $\\alpha = {p['alpha']:g}$ on positives and $\\beta = {p['beta']:g}$ on negatives. "
                f"Compute $L$ for an example with label $y = {p['y']}$ and predicted probability "
                f"$\\hat p = {p['p']:g}$, using the natural logarithm.")

    def correct(self, p):
        return _weighted_bce(p["y"], p["p"], p["alpha"], p["beta"])

    def mistakes(self, p):
        loss = self.correct(p)
        weight, other = (p["alpha"], p["beta"]) if p["y"] == 1 else (p["beta"], p["alpha"])
        name = r"\alpha" if p["y"] == 1 else r"\beta"
        return [
            Mistake("forgot_weights", M.bce(p["y"], p["p"]),
                    f"That is the unweighted cross-entropy. With $y = {p['y']}$ the surviving term is multiplied "
                    f"by ${name} = {weight:g}$."),
            Mistake("weights_swapped", _weighted_bce(p["y"], p["p"], p["beta"], p["alpha"]),
                    f"The weights are swapped: the {'positive' if p['y'] == 1 else 'negative'} term takes "
                    f"${name} = {weight:g}$, not {other:g}. $\\alpha$ goes with $y \\log \\hat p$ and $\\beta$ with "
                    r"$(1 - y)\log(1 - \hat p)$."),
            Mistake("log10", loss / math.log(10), "That uses log base 10; cross-entropy uses the natural logarithm."),
            Mistake("sign_flipped", -loss, "The sign is flipped: the log of a probability is negative, and the "
                                           "leading minus makes the loss positive."),
        ]

    def hints(self, problem):
        p = problem.params
        return [
            f"With $y = {p['y']}$ only one of the two terms is non-zero.",
            ("$L = -\\alpha \\log \\hat p$ for a positive example." if p["y"] == 1 else
             "$L = -\\beta \\log(1 - \\hat p)$ for a negative example."),
        ]

    def steps(self, p):
        if p["y"] == 1:
            term = f"-\\alpha \\log \\hat p = -{p['alpha']:g} \\log {p['p']:g}"
            raw = -math.log(p["p"])
            w = p["alpha"]
        else:
            term = f"-\\beta \\log(1 - \\hat p) = -{p['beta']:g} \\log {1 - p['p']:.2f}"
            raw = -math.log1p(-p["p"])
            w = p["beta"]
        return [
            f"With $y = {p['y']}$ only one term survives: $L = {term}$.",
            f"The unweighted term is {f(raw)}; times {w:g} it gives $L \\approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- class-weighted mean
class ClassWeightedMean(NumericExercise):
    """The class-weighted mean of a batch's losses: sum(w l) / sum(w), lossref's reduction="mean"."""

    id = "custom.class_weighted_mean"
    skill = "custom.class_weights"
    title = "The class-weighted mean of a batch"

    def make_params(self, rng):
        classes = rng.choice([2, 3])
        weights = [1.0] + [rng.choice([0.5, 2.0, 3.0, 4.0, 5.0]) for _ in range(classes - 1)]
        n = rng.choice([4, 5])
        return {"weights": weights, "labels": [rng.randrange(classes) for _ in range(n)],
                "losses": [round(rng.uniform(0.05, 2.5), 2) for _ in range(n)]}

    def acceptable(self, params):
        return len(set(params["labels"])) >= 2 and super().acceptable(params)

    def statement(self, p):
        w = ", ".join(f"w_{c} = {v:g}" for c, v in enumerate(p["weights"]))
        rows = ", ".join(f"({c}, {v:.2f})" for c, v in zip(p["labels"], p["losses"]))
        return (f"A batch of {len(p['losses'])} examples has the (class, loss) pairs ${rows}$. The classes are "
                f"weighted ${w}$. Compute the class-weighted mean loss "
                r"$\sum_i w_{c_i} \ell_i \,/\, \sum_i w_{c_i}$, which is lossref's "
                '`reduction="mean"` with class weights.')

    def _parts(self, p):
        w = [p["weights"][c] for c in p["labels"]]
        return w, math.fsum(wi * li for wi, li in zip(w, p["losses"])), math.fsum(w)

    def correct(self, p):
        _, num, den = self._parts(p)
        return num / den

    def mistakes(self, p):
        w, num, den = self._parts(p)
        n = len(p["losses"])
        found = [
            Mistake("divided_by_n", num / n,
                    f"That divides the weighted sum by the number of examples, {n}, as Keras does with sample "
                    f"weights. The weighted mean divides by the sum of the weights, {den:g}."),
            Mistake("forgot_weights", M.mean(p["losses"]),
                    "That is the plain mean of the losses: each loss must first be multiplied by its class's weight."),
            Mistake("sum_not_mean", num, "That is the weighted sum; divide it by the sum of the weights."),
        ]
        if len(p["weights"]) == 2:
            swapped = [p["weights"][1 - c] for c in p["labels"]]
            found.append(Mistake("weights_swapped",
                                 math.fsum(a * b for a, b in zip(swapped, p["losses"])) / math.fsum(swapped),
                                 "The class weights are swapped: class 0 takes $w_0$ and class 1 takes $w_1$."))
        return found

    def hints(self, problem):
        return [
            "Give each example the weight of its class, then multiply each loss by its weight.",
            "Divide the sum of the weighted losses by the sum of the weights (not by the number of examples).",
        ]

    def steps(self, p):
        w, num, den = self._parts(p)
        terms = " + ".join(f"{wi:g} \\cdot {li:.2f}" for wi, li in zip(w, p["losses"]))
        return [
            "Per-example weights: $" + ", ".join(f"{wi:g}" for wi in w) + f"$; their sum is {f(den)}.",
            f"Weighted sum: ${terms} = {f(num)}$.",
            f"Weighted mean: ${f(num)} / {f(den)} \\approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- multi-task
def _share(lam_a: float, g_a: float, lam_b: float, g_b: float) -> float:
    """Task b's share of the summed weighted gradient norms, lam_b g_b / (lam_a g_a + lam_b g_b)."""
    return lam_b * g_b / (lam_a * g_a + lam_b * g_b)


class MultiTaskTotal(NumericExercise):
    """The multi-task total lambda1 L1 + lambda2 L2, and the box task's share of the gradient at the shared layer.

    The share is lambda2 g2 / (lambda1 g1 + lambda2 g2), g_k = ||dL_k/dh|| at the shared features h: what the
    shared layers learn from, which the values lambda_k L_k do not tell (an absolute error's gradient does not
    grow with its value).
    """

    id = "custom.multitask"
    skill = "custom.multitask"
    title = "A weighted multi-task loss and its gradient share"
    kind = "vector"

    def make_params(self, rng):
        return {"l1": round(rng.uniform(0.2, 2.5), 2), "l2": round(rng.uniform(5.0, 80.0), 1),
                "lam1": rng.choice([0.5, 1.0, 1.5, 2.0]), "lam2": rng.choice([0.02, 0.05, 0.1, 0.2, 0.5, 1.0]),
                "g1": round(rng.uniform(0.2, 1.5), 2), "g2": round(rng.uniform(0.2, 1.0), 2)}

    def statement(self, p):
        return ("A detector is trained on two tasks at once: classification, with cross-entropy "
                f"$L_1 = {p['l1']:g}$ on the current batch, and box regression, with the mean absolute error in "
                f"pixels $L_2 = {p['l2']:g}$. The total is $L = \\lambda_1 L_1 + \\lambda_2 L_2$ with "
                f"$\\lambda_1 = {p['lam1']:g}$ and $\\lambda_2 = {p['lam2']:g}$. On this batch the gradients of the "
                "unweighted losses with respect to the shared features $h$ have the norms "
                f"$g_1 = \\lVert \\partial L_1 / \\partial h \\rVert = {p['g1']:g}$ and "
                f"$g_2 = \\lVert \\partial L_2 / \\partial h \\rVert = {p['g2']:g}$. Give two numbers: the total $L$, "
                "and the box task's share of the gradient that reaches the shared layers, "
                r"$s_2 = \lambda_2 g_2 / (\lambda_1 g_1 + \lambda_2 g_2)$, as a fraction between 0 and 1.")

    def _total(self, p):
        return p["lam1"] * p["l1"] + p["lam2"] * p["l2"]

    def correct(self, p):
        return [self._total(p), _share(p["lam1"], p["g1"], p["lam2"], p["g2"])]

    def mistakes(self, p):
        total, share = self.correct(p)
        return [
            Mistake("values_for_gradients", [total, p["lam2"] * p["l2"] / total],
                    "Your total is right, but your share is the box term's share of the loss value, "
                    "$\\lambda_2 L_2 / L$. The shared layers learn from the gradients: use $\\lambda_k g_k$. "
                    "An absolute error's gradient is $\\pm 1/n$ per coordinate whatever the size of the error, so a "
                    "large box loss does not mean a large box gradient."),
            Mistake("share_forgot_lambda", [total, _share(1.0, p["g1"], 1.0, p["g2"])],
                    "Your total is right, but your share uses the raw norms $g_2 / (g_1 + g_2)$: the gradient of the "
                    "total is $\\lambda_1 \\nabla L_1 + \\lambda_2 \\nabla L_2$, so each norm takes its weight."),
            Mistake("other_task_share", [total, 1 - share],
                    "Your total is right, but your share is the classification task's, "
                    "$\\lambda_1 g_1 / (\\lambda_1 g_1 + \\lambda_2 g_2)$; the question asks for the box task's."),
            Mistake("forgot_lambda", [p["l1"] + p["lam2"] * p["l2"], share],
                    f"$\\lambda_1 = {p['lam1']:g}$ is missing from your total: each task's loss is multiplied by "
                    "its own weight."),
            Mistake("forgot_lambda", [p["lam1"] * p["l1"] + p["l2"], share],
                    f"$\\lambda_2 = {p['lam2']:g}$ is missing from your total: each task's loss is multiplied by "
                    "its own weight."),
            Mistake("weights_swapped", [p["lam2"] * p["l1"] + p["lam1"] * p["l2"],
                                        _share(p["lam2"], p["g1"], p["lam1"], p["g2"])],
                    "The weights are swapped: $\\lambda_1$ goes with task 1 (its loss and its gradient) and "
                    "$\\lambda_2$ with task 2."),
            Mistake("forgot_weights", [p["l1"] + p["l2"], _share(1.0, p["g1"], 1.0, p["g2"])],
                    "That is the unweighted problem, $L_1 + L_2$ and $g_2/(g_1 + g_2)$: multiply each task's loss "
                    "and each task's gradient by its $\\lambda_k$."),
        ]

    def hints(self, problem):
        return [
            "The total: multiply each task's loss by its own weight, then add. The share: the gradient of the total "
            "at $h$ is $\\lambda_1 \\partial L_1/\\partial h + \\lambda_2 \\partial L_2/\\partial h$, so compare "
            "$\\lambda_1 g_1$ with $\\lambda_2 g_2$.",
            "The loss values do not enter the share: $s_2 = \\lambda_2 g_2 / (\\lambda_1 g_1 + \\lambda_2 g_2)$.",
        ]

    def steps(self, p):
        a, b = p["lam1"] * p["l1"], p["lam2"] * p["l2"]
        total, share = self.correct(p)
        ga, gb = p["lam1"] * p["g1"], p["lam2"] * p["g2"]
        matched = p["lam1"] * p["l1"] / p["l2"]
        return [
            f"$\\lambda_1 L_1 = {p['lam1']:g} \\cdot {p['l1']:g} = {f(a)}$ and "
            f"$\\lambda_2 L_2 = {p['lam2']:g} \\cdot {p['l2']:g} = {f(b)}$, so $L = {f(total)}$; the box term makes "
            f"{f(b / total, 3)} of the value.",
            f"At the shared layer: $\\lambda_1 g_1 = {f(ga)}$ and $\\lambda_2 g_2 = {f(gb)}$, so "
            f"$s_2 = {f(gb)} / ({f(ga)} + {f(gb)}) = {f(share)}$.",
            "The two shares need not agree: the mean absolute error's gradient is "
            "$\\pm 1/n$ per coordinate whatever the size of the error: $g_2$ does not grow with $L_2$. Weights that "
            f"match the values, $\\lambda_2 = \\lambda_1 L_1 / L_2 = {f(matched)}$, would leave the box task "
            f"{f(_share(p['lam1'], p['g1'], matched, p['g2']))} of the gradient.",
        ]


# ---------------------------------------------------------------------------------- label smoothing
class LabelSmoothingTarget(NumericExercise):
    """The true class's component of a label-smoothed target, 1 - eps + eps/K."""

    id = "custom.label_smoothing"
    skill = "custom.label_smoothing"
    title = "The label-smoothed target"

    def make_params(self, rng):
        return {"k": rng.choice([2, 3, 4, 5, 10]), "eps": rng.choice([0.1, 0.15, 0.2, 0.25, 0.3])}

    def statement(self, p):
        return (f"A {p['k']}-class classifier is trained with cross-entropy and label smoothing "
                f"$\\varepsilon = {p['eps']:g}$ (lossref's `label_smoothing`): the one-hot target $y$ becomes "
                r"$\tilde y_j = (1 - \varepsilon)\, y_j + \varepsilon / K$. "
                "What is the target component $\\tilde y_c$ of the true class?")

    def correct(self, p):
        return 1 - p["eps"] + p["eps"] / p["k"]

    def mistakes(self, p):
        return [
            Mistake("forgot_smoothing", 1.0, "That is the one-hot target, before smoothing. Label smoothing moves "
                                             "mass $\\varepsilon$ off the true class and spreads it over all $K$ "
                                             "classes."),
            Mistake("forgot_eps_over_k", 1 - p["eps"],
                    "That leaves out the $\\varepsilon / K$ that every class receives, the true class included: "
                    "$\\tilde y_c = 1 - \\varepsilon + \\varepsilon / K$."),
            Mistake("other_class", p["eps"] / p["k"],
                    "That is the component of a wrong class ($y_j = 0$). For the true class $y_c = 1$, so "
                    "$\\tilde y_c = (1 - \\varepsilon) + \\varepsilon / K$."),
        ]

    def hints(self, problem):
        return [
            "For the true class, $y_c = 1$.",
            "Substitute into $\\tilde y_c = (1 - \\varepsilon) \\cdot 1 + \\varepsilon / K$.",
        ]

    def steps(self, p):
        eps, k = p["eps"], p["k"]
        return [
            f"$\\tilde y_c = (1 - {eps:g}) \\cdot 1 + {eps:g} / {k} = {f(1 - eps)} + {f(eps / k)} = {f(self.correct(p))}$.",
            ("The other class gets" if k == 2 else f"Each of the other {k - 1} classes gets")
            + f" ${f(eps / k)}$, and the components still sum to 1.",
        ]


# ---------------------------------------------------------------------------------- surrogates
_SURROGATE = {
    "accuracy": {
        "task": "A spam filter outputs one logit per email. The team reports accuracy on held-out mail",
        "right": "Train with bce_with_logits on the logits; measure accuracy on the validation set.",
        "right_why": "Cross-entropy is a smooth surrogate whose gradient σ(z) - y is never zero on a wrong example; "
                     "the metric is still what you report.",
        "wrong": [
            ("Minimise the error rate 1 - accuracy (lossref's zero_one) with gradient descent.", "metric_as_loss",
             "Accuracy is piecewise constant in the weights: its gradient is 0 almost everywhere (lossref's "
             "zero_one has no grad), so gradient descent gets no signal."),
            ("Threshold the sigmoid at 0.5 and apply MSE between the 0/1 predictions and the labels.", "thresholded",
             "Thresholding is a step function: its derivative is 0, so the loss after it gives no gradient either."),
            ("Apply MSE between the raw logits and the 0/1 labels.", "mse_on_logits",
             "MSE on logits asks for a logit of exactly 0 or 1 and penalises a confident, correct logit of 8. "
             "Logits are not probabilities."),
        ],
    },
    "f1": {
        "task": "A fraud detector sees one fraud in 300 transactions and outputs one logit per transaction. "
                "The business metric is F1 on the fraud class",
        "right": "Train with bce_with_logits and pos_weight near the class ratio, then pick the decision threshold "
                 "that maximises F1 on validation data.",
        "right_why": "F1 has no useful gradient; a weighted cross-entropy trains the scores, and the threshold, "
                     "which F1 depends on, is tuned on the metric itself.",
        "wrong": [
            ("Compute F1 on the thresholded predictions of each batch and maximise it by gradient ascent.",
             "metric_as_loss",
             "F1 of thresholded predictions is piecewise constant: its gradient is 0 almost everywhere."),
            ("Use the hinge loss with the labels left as 0 and 1.", "labels_01_in_hinge",
             "The hinge needs labels -1 and +1. A label 0 gives max(0, 1 - 0·s) = 1 whatever the score, with zero "
             "gradient: the negatives would never be learned."),
            ("Apply MSE between sigmoid(logits) and the labels, unweighted.", "mse_on_probs",
             "Squared error on probabilities has a vanishing gradient when the sigmoid saturates on the wrong side, "
             "and unweighted it lets the 299 negatives drown the one fraud."),
        ],
    },
    "top1": {
        "task": "A 10-class image classifier outputs 10 logits. The metric is top-1 accuracy",
        "right": "Train with cross_entropy on the logits; measure top-1 accuracy on the validation set.",
        "right_why": "Cross-entropy on logits is the standard smooth surrogate: its gradient softmax(z) - y never "
                     "vanishes on a misclassified example.",
        "wrong": [
            ("Take the argmax class and apply MSE between it and the true class index.", "argmax_not_differentiable",
             "argmax is piecewise constant (zero gradient), and class indices are not ordered quantities."),
            ("Apply cross_entropy to softmax(logits).", "softmax_twice",
             "cross_entropy applies softmax itself: feeding it probabilities applies softmax twice and flattens "
             "the gradient."),
            ("Minimise the multiclass zero_one loss with its subgradients.", "metric_as_loss",
             "The 0-1 loss is piecewise constant: its gradient is 0 wherever it exists, so there is nothing to follow."),
        ],
    },
}


class ChooseSurrogate(ChoiceExercise):
    """The metric is not differentiable: pick the surrogate to train on."""

    id = "custom.surrogate"
    skill = "custom.surrogate"
    title = "A surrogate for a metric"

    def make_params(self, rng):
        return {"metric": rng.choice(sorted(_SURROGATE))}

    def statement(self, p):
        return (_SURROGATE[p["metric"]]["task"] + ". The metric is not differentiable in the model's weights. "
                "How do you train the model?")

    def options(self, p):
        case = _SURROGATE[p["metric"]]
        return [(case["right"], None, case["right_why"])] + list(case["wrong"])

    def hints(self, problem):
        return [
            "Which of these has a gradient that is non-zero on a wrongly classified example?",
            "Counting metrics (accuracy, F1) are step functions of the weights. Train on a smooth loss that matches "
            "the model's output, and use the metric for evaluation and thresholds.",
        ]

    def steps(self, p):
        case = _SURROGATE[p["metric"]]
        return [
            "Accuracy and F1 count thresholded decisions: a small change of the weights changes no decision, so "
            "their gradient is 0 almost everywhere.",
            f"So train on a surrogate: {case['right']} {case['right_why']}",
        ]


# ---------------------------------------------------------------------------------- code: loss and gradient
def _ph_loss(y: float, p: float, delta: float) -> float:
    """Pseudo-Huber delta^2 (sqrt(1 + (r/delta)^2) - 1) as r^2 / (sqrt(1 + (r/delta)^2) + 1): no cancellation."""
    r = p - y
    return r * r / (math.hypot(1.0, r / delta) + 1.0)


def _ph_grad(y: float, p: float, delta: float) -> float:
    r = p - y
    return r / math.hypot(1.0, r / delta)


class PseudoHuberCode(CodeExercise):
    """Write a custom loss and its gradient; the gradient is also checked against the loss by finite differences."""

    id = "custom.pseudo_huber_code"
    skill = "custom.grad_check"
    title = "A custom loss and its gradient: pseudo-Huber"
    function = "grad"
    signature = "def grad(y, p, delta):"  # and def loss(y, p, delta):, which check() also tests
    starter = ("import math\n\n\n"
               "def loss(y, p, delta):\n"
               "    \"\"\"Pseudo-Huber loss of the prediction p for the target y.\"\"\"\n"
               "    r = p - y\n"
               "    return 0.0  # your loss here\n\n\n"
               "def grad(y, p, delta):\n"
               "    \"\"\"dL/dp.\"\"\"\n"
               "    r = p - y\n"
               "    return 0.0  # your gradient here\n")
    reference = ("import math\n\n\n"
                 "def loss(y, p, delta):\n"
                 "    r = p - y\n"
                 "    # delta^2 (sqrt(1 + (r/delta)^2) - 1), written as r^2 / (sqrt(1 + (r/delta)^2) + 1)\n"
                 "    # so that a small residual does not cancel to 0\n"
                 "    return r * r / (math.hypot(1.0, r / delta) + 1.0)\n\n\n"
                 "def grad(y, p, delta):\n"
                 "    r = p - y\n"
                 "    # delta^2 * (1/2)(1 + (r/delta)^2)^(-1/2) * 2r/delta^2 = r / sqrt(1 + (r/delta)^2)\n"
                 "    return r / math.hypot(1.0, r / delta)\n")

    _loss_ok = ("import math\n\ndef loss(y, p, delta):\n    r = p - y\n"
                "    return delta ** 2 * (math.sqrt(1 + (r / delta) ** 2) - 1)\n\n")
    _grad_ok = "def grad(y, p, delta):\n    r = p - y\n    return r / math.sqrt(1 + (r / delta) ** 2)\n"
    known_wrong = (
        (_loss_ok + "def grad(y, p, delta):\n    r = p - y\n"
                    "    return delta ** 2 * r / math.sqrt(1 + (r / delta) ** 2)\n", "forgot_chain_factor"),
        (_loss_ok + "def grad(y, p, delta):\n    return (y - p) / math.sqrt(1 + ((p - y) / delta) ** 2)\n",
         "sign_flipped"),
        (_loss_ok + "def grad(y, p, delta):\n    r = p - y\n    return 2 * r / math.sqrt(1 + (r / delta) ** 2)\n",
         "dropped_half"),
        ("import math\n\ndef loss(y, p, delta):\n    r = p - y\n    return math.sqrt(1 + (r / delta) ** 2) - 1\n\n"
         + _grad_ok, "grad_mismatch"),
        ("import math\n\ndef loss(y, p, delta):\n    r = p - y\n    return delta ** 2 * math.sqrt(1 + (r / delta) ** 2)\n\n"
         + _grad_ok, "loss_offset"),
        (_loss_ok + "def grad(y, p, delta):\n    return max(-delta, min(delta, p - y))\n", None),
        (starter, None),
    )

    def make_params(self, rng):
        return {"delta": rng.choice([0.5, 1.5, 2.0, 2.5, 3.0]), "shift": round(rng.uniform(-2.0, 2.0), 2)}

    def statement(self, p):
        return ("The pseudo-Huber loss is a smooth Huber: with the residual $r = p - y$, "
                r"$L = \delta^2\left(\sqrt{1 + (r/\delta)^2} - 1\right)$, quadratic for small $r$ and close to "
                r"$\delta |r|$ for large $r$. Write **both** `loss(y, p, delta)` and `grad(y, p, delta)`, the "
                r"derivative $\partial L / \partial p$. "
                f"The hidden tests call `grad` with $\\delta = {p['delta']:g}$ and other values, with residuals up to "
                "$10^{12}$; then they check, as `lr.check_grad` does, that your `grad` agrees with central finite "
                "differences of your own `loss`, and they check the loss values. Use the `math` module only.")

    def _fd_points(self, p):
        d = p["delta"]
        return [(0.0, round(0.7 * d, 2)), (1.0, round(1.0 + 2 * d, 2)), (0.5, -1.0), (2.0, 2.0 + p["shift"])]

    def cases(self, p):
        d, shift = p["delta"], p["shift"]
        rows = [(0.0, 1.0, 2.0), (1.0, 3.0, d), (2.0, -1.0, d), (0.0, 0.4, 0.5), (1.5, shift, d), (3.0, 3.0, d)]
        cases = [CodeCase((y, q, dd), _ph_grad(y, q, dd), f"y = {y:g}, p = {q:g}, delta = {dd:g}") for y, q, dd in rows]
        extreme = [(0.0, 1e6, d), (1e6, -1e6, 0.5), (0.0, -1e12, d), (0.0, 1e-8, d)]
        cases += [CodeCase((y, q, dd), _ph_grad(y, q, dd), f"y = {y:g}, p = {q:g}, delta = {dd:g}", extreme=True)
                  for y, q, dd in extreme]
        return cases

    def diagnose(self, case, got):
        mistake, message = super().diagnose(case, got)
        if mistake is not None:
            return mistake, message
        try:
            value = float(got)
        except (TypeError, ValueError):
            return mistake, message
        delta = case.args[2]
        exp = case.expected
        candidates = [
            ("sign_flipped", -exp, "the opposite sign. $r = p - y$, and $L$ grows as $p$ moves away from $y$: the "
                                   "gradient has the sign of $r$."),
            ("forgot_chain_factor", delta * delta * exp,
             "$\\delta^2$ times the right value: the inner derivative $\\partial (r/\\delta)^2 / \\partial p = "
             "2r/\\delta^2$ brings a $1/\\delta^2$ that cancels the $\\delta^2$ in front."),
            ("dropped_half", 2 * exp, "twice the right value: the derivative of $\\sqrt{u}$ is $u'/(2\\sqrt{u})$, "
                                      "and that 1/2 cancels the 2 of $\\partial r^2/\\partial r$."),
        ]
        for name, wrong, text in candidates:
            if abs(wrong - exp) > 1e-9 + 1e-6 * abs(exp) and abs(value - wrong) <= 1e-9 + 1e-6 * abs(wrong):
                return name, f"For {case.description} your grad returned {value:.6g}, {text}"
        return mistake, message

    def check(self, problem, answer):
        verdict = super().check(problem, answer)
        if not verdict.correct:
            return verdict
        namespace = {"__name__": "learner", "math": math}
        exec(compile(str(answer), "<your code>", "exec"), namespace)  # ran cleanly in super().check
        loss, grad = namespace.get("loss"), namespace[self.function]
        if not callable(loss):
            return Verdict(False, "Your grad passes the tests; now define the loss too: def loss(y, p, delta):",
                           "missing")
        d = problem.params["delta"]
        points = self._fd_points(problem.params)
        h = 1e-4
        for y, q in points:
            where = f"y = {y:g}, p = {q:g}, delta = {d:g}"
            try:
                g = float(grad(y, q, d))
                fd = (float(loss(y, q + h, d)) - float(loss(y, q - h, d))) / (2 * h)
            except Exception as exc:  # noqa: BLE001  (any error in learner code is feedback)
                return Verdict(False, f"For {where} your loss raised {type(exc).__name__}: {exc}.", "error")
            if not (math.isfinite(fd) and abs(fd - g) <= 1e-5 + 1e-4 * abs(g)):
                return Verdict(False, f"For {where} your grad returns {g:.6g}, but the central difference of your "
                                      f"loss, (loss(p + h) - loss(p - h)) / 2h with h = {h:g}, is {fd:.6g}. Your "
                                      "grad passes the hidden tests, so your loss is not the function it is the "
                                      "derivative of: check the loss formula, its factor $\\delta^2$ included.",
                               "grad_mismatch")
        for y, q in points + [(1.0, 1.0)]:
            where = f"y = {y:g}, p = {q:g}, delta = {d:g}"
            try:
                value = float(loss(y, q, d))
            except Exception as exc:  # noqa: BLE001
                return Verdict(False, f"For {where} your loss raised {type(exc).__name__}: {exc}.", "error")
            expected = _ph_loss(y, q, d)
            if not (math.isfinite(value) and abs(value - expected) <= 1e-9 + 1e-6 * abs(expected)):
                try:
                    at_zero = float(loss(1.0, 1.0, d))
                except Exception:  # noqa: BLE001
                    at_zero = 0.0
                if abs(at_zero) > 1e-9 and abs((value - at_zero) - expected) <= 1e-6 + 1e-6 * abs(expected):
                    return Verdict(False, f"For {where} your loss returned {value:.6g}; expected {expected:.6g}. It "
                                          f"is off by a constant: at $r = 0$ it gives {at_zero:.6g}, not 0. The "
                                          "$-1$ inside the bracket makes the loss 0 at a perfect prediction.",
                                   "loss_offset")
                return Verdict(False, f"For {where} your loss returned {value:.6g}; expected {expected:.6g}.", None)
        n = len(self.cases(problem.params))
        return Verdict(True, f"Correct: your grad passes all {n} hidden tests, agrees with central differences of "
                             f"your loss at {len(points)} points, and your loss values are right.")

    def hints(self, problem):
        return [
            r"Write $L = \delta^2 (\sqrt{u} - 1)$ with $u = 1 + (r/\delta)^2$, and use the chain rule: "
            r"$\partial L/\partial p = \delta^2 \cdot \frac{1}{2\sqrt u} \cdot \frac{\partial u}{\partial p}$.",
            r"$\partial u/\partial p = 2r/\delta^2$, so the $\delta^2$ and the 2 cancel: "
            r"$\partial L/\partial p = r / \sqrt{1 + (r/\delta)^2}$. Check it against "
            r"$(L(p + h) - L(p - h)) / 2h$ for a small $h$.",
        ]

    def steps(self, p):
        return [
            r"With $u = 1 + (r/\delta)^2$: $\partial L/\partial p = \delta^2 \cdot \frac{1}{2\sqrt u} \cdot "
            r"\frac{2r}{\delta^2} = \frac{r}{\sqrt{1 + (r/\delta)^2}}$, which tends to $\pm\delta$ for large $|r|$.",
            r"`math.hypot(1, r / delta)` computes $\sqrt{1 + (r/\delta)^2}$ without squaring a huge number.",
            r"For the loss, $\delta^2(\sqrt u - 1) = r^2 / (\sqrt u + 1)$ avoids the cancellation of $\sqrt u - 1$ "
            r"when $r$ is small.",
            "A central difference $(L(p + h) - L(p - h))/2h$ at a few points (what `lr.check_grad` does) catches "
            "a gradient that does not belong to its loss.",
        ]


EXERCISES = [WeightedBCE(), ClassWeightedMean(), MultiTaskTotal(), LabelSmoothingTarget(), ChooseSurrogate(),
             PseudoHuberCode()]
