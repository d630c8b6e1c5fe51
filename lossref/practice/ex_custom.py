"""Exercises of session 7: custom losses (weights, label smoothing, multi-task sums, surrogates, gradient checks)."""

from __future__ import annotations

import math

from . import _math as M
from ._core import (LEARNER_ERRORS, ChoiceExercise, CodeCase, CodeExercise, CodeTask, Mistake, NumericExercise, Verdict,
                    fmt_number as f, raised)

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
# custom.surrogate draws a problem from parts: the task (what the model outputs), the metric reported,
# and how rare the positives are. The right option follows from them; each wrong one names a mistake.
_SURROGATE_TASKS = {
    # task: (who, unit, what a positive is) for one logit per unit; (who, classes) for K logits
    "spam": ("A spam filter", "email", "spam"),
    "fraud": ("A fraud detector", "card payment", "fraudulent"),
    "defects": ("A defect detector on a production line", "part", "defective"),
    "images": ("An image classifier", 10),
    "products": ("A product categoriser", 50),
}
_SURROGATE_METRICS = {
    "accuracy": "accuracy (the fraction of {unit}s classified correctly at the threshold 0.5)",
    "f1": "the F1 score of the {positive} class (precision and recall of the thresholded predictions)",
    "auc": "the ROC AUC (the probability that a random {positive} {unit} scores above a random one that is not)",
    "top1": "top-1 accuracy (the fraction of examples whose class gets the highest logit)",
    "top5": "top-5 accuracy (the fraction of examples whose class is among the five highest logits)",
}
_METRIC_AS_LOSS = {
    "accuracy": ("Minimise the error rate 1 - accuracy (lossref's zero_one) with gradient descent.",
                 "Accuracy is piecewise constant in the weights: its gradient is 0 almost everywhere (lossref's "
                 "zero_one has no grad), so gradient descent gets no signal."),
    "f1": ("Compute F1 on the thresholded predictions of each batch and maximise it by gradient ascent.",
           "F1 of thresholded predictions is piecewise constant: its gradient is 0 almost everywhere."),
    "auc": ("Maximise the fraction of correctly ordered (positive, negative) pairs by gradient ascent.",
            "A count of ordered pairs changes only when two scores swap: its gradient is 0 almost everywhere. "
            "A smooth loss on the scores trains the order."),
    "top1": ("Minimise the multiclass zero_one loss with its subgradients.",
             "The 0-1 loss is piecewise constant: its gradient is 0 wherever it exists, so there is nothing to follow."),
    "top5": ("Maximise the number of examples whose class is in the top five, by gradient ascent.",
             "That count changes only when a logit overtakes another: its gradient is 0 almost everywhere."),
}


def _surrogate_right(p: dict) -> tuple[str, str]:
    metric, rare = p["metric"], p["rare"]
    if metric in ("top1", "top5"):
        k = "top-1" if metric == "top1" else "top-5"
        return (f"Train with cross_entropy on the logits; measure {k} accuracy on the validation set.",
                "Cross-entropy on logits is the standard smooth surrogate: its gradient softmax(z) - y never "
                "vanishes on a misclassified example.")
    if metric == "accuracy":
        return ("Train with bce_with_logits on the logits, unweighted; measure accuracy at the threshold 0.5 "
                "on the validation set.",
                "Cross-entropy is a smooth surrogate whose gradient σ(z) - y is never zero on a wrong example. "
                "Accuracy counts every example once, as the unweighted loss does"
                + (", however rare the positives." if rare else "."))
    if metric == "f1":
        weight = " with pos_weight near the class ratio" if rare else ""
        return (f"Train with bce_with_logits{weight}, then pick the decision threshold that maximises F1 on "
                "validation data.",
                "F1 has no useful gradient; a cross-entropy trains the scores"
                + (", weighted so that the rare positives count" if rare else "")
                + ", and the threshold, which F1 depends on, is tuned on the metric itself.")
    return ("Train with bce_with_logits on the logits; compute the AUC of the scores on the validation set.",
            "AUC depends only on the order of the scores, which the cross-entropy trains: no threshold is "
            "involved.")


class ChooseSurrogate(ChoiceExercise):
    """The metric is not differentiable: pick the surrogate to train on."""

    id = "custom.surrogate"
    skill = "custom.surrogate"
    title = "A surrogate for a metric"

    def make_params(self, rng):
        task = rng.choice(sorted(_SURROGATE_TASKS))
        if len(_SURROGATE_TASKS[task]) == 2:
            return {"task": task, "metric": rng.choice(["top1", "top5"]), "rare": None}
        return {"task": task, "metric": rng.choice(["accuracy", "auc", "f1"]), "rare": rng.choice([None, 50, 300])}

    def statement(self, p):
        row = _SURROGATE_TASKS[p["task"]]
        if len(row) == 2:
            who, k = row
            return (f"{who} outputs {k} logits per example, one per class. The team reports "
                    f"{_SURROGATE_METRICS[p['metric']]}. The metric is not differentiable in the model's weights. "
                    "How do you train the model?")
        who, unit, positive = row
        share = (f"About 1 {unit} in {p['rare']} is {positive}" if p["rare"] else
                 f"About half of the {unit}s are {positive}")
        metric = _SURROGATE_METRICS[p["metric"]].format(unit=unit, positive=positive)
        return (f"{who} outputs one logit per {unit}. {share}. The team reports {metric}. The metric is not "
                "differentiable in the model's weights. How do you train the model?")

    def options(self, p):
        right, why = _surrogate_right(p)
        metric = p["metric"]
        as_loss, as_loss_why = _METRIC_AS_LOSS[metric]
        rows = [(right, None, why), (as_loss, "metric_as_loss", as_loss_why)]
        if metric in ("top1", "top5"):
            return rows + [
                ("Take the argmax class and apply MSE between it and the true class index.",
                 "argmax_not_differentiable",
                 "argmax is piecewise constant (zero gradient), and class indices are not ordered quantities."),
                ("Apply cross_entropy to softmax(logits).", "softmax_twice",
                 "cross_entropy applies softmax itself: feeding it probabilities applies softmax twice and flattens "
                 "the gradient."),
            ]
        if metric == "accuracy" and p["rare"]:
            rows.append(("Train with bce_with_logits and pos_weight near the class ratio; measure accuracy at 0.5.",
                         "weighted_for_accuracy",
                         "A pos_weight moves the decision towards the rare class: it trades accuracy for recall. "
                         "Accuracy counts every example once, so train unweighted."))
        elif metric == "f1":
            rows.append(("Train with bce_with_logits and report F1 at the threshold 0.5.", "fixed_threshold",
                         "F1 depends on the threshold, and 0.5 is rarely the best one for it (with rare positives, "
                         "far from it): tune the threshold on validation data."))
        elif metric == "auc":
            rows.append(("Threshold the sigmoid at 0.5 and compute the AUC of the 0/1 predictions.", "thresholded",
                         "The AUC of thresholded predictions has lost the order of the scores, which is all the AUC "
                         "measures; and the threshold has no gradient either."))
        rows += [
            ("Apply MSE between the raw logits and the 0/1 labels.", "mse_on_logits",
             "MSE on logits asks for a logit of exactly 0 or 1 and penalises a confident, correct logit of 8. "
             "Logits are not probabilities."),
            ("Use the hinge loss with the labels left as 0 and 1.", "labels_01_in_hinge",
             "The hinge needs labels -1 and +1. A label 0 gives max(0, 1 - 0·s) = 1 whatever the score, with zero "
             "gradient: the negatives would never be learned."),
        ]
        return rows[:5]

    def hints(self, problem):
        return [
            "Which of these has a gradient that is non-zero on a wrongly classified example?",
            "Counting metrics (accuracy, F1, AUC, top-k) are step functions of the weights. Train on a smooth loss "
            "that matches the model's output, weighted as the metric counts examples, and use the metric for "
            "evaluation and thresholds.",
        ]

    def steps(self, p):
        right, why = _surrogate_right(p)
        return [
            "The metric counts thresholded decisions or orderings: a small change of the weights changes none of "
            "them, so its gradient is 0 almost everywhere.",
            f"So train on a surrogate: {right} {why}",
        ]


# ---------------------------------------------------------------------------------- code: loss and gradient
def _ph_loss(y: float, p: float, delta: float) -> float:
    """Pseudo-Huber delta^2 (sqrt(1 + (r/delta)^2) - 1) as |r| (|r| / (sqrt(1 + (r/delta)^2) + 1)): no
    cancellation for a small r, no overflow of r^2 for a huge one."""
    r = abs(p - y)
    return r * (r / (math.hypot(1.0, r / delta) + 1.0))


def _ph_grad(y: float, p: float, delta: float) -> float:
    r = p - y
    return r / math.hypot(1.0, r / delta)


# The tasks of custom.pseudo_huber_code: a loss and its gradient (checked against each other by finite
# differences), the loss alone, or the finite-difference check itself. delta is written into the function.
_PH_FORMS = ("pair", "value", "check")
_PH_DELTAS = (0.5, 1.5, 2.0, 3.0)
_PH_LOSS_OK = "delta ** 2 * (math.sqrt(1 + (r / delta) ** 2) - 1)"
_PH_GRAD_OK = "r / math.sqrt(1 + (r / delta) ** 2)"
_PH_STABLE_LOSS = ("    # delta^2 (sqrt(1 + (r/delta)^2) - 1), written as |r| (|r| / (sqrt(1 + (r/delta)^2) + 1)):\n"
                   "    # no cancellation when r is small, and hypot squares nothing, so a huge r does not overflow\n"
                   "    a = abs(r)\n"
                   "    return a * (a / (math.hypot(1.0, r / delta) + 1.0))\n")
_PH_STEP = "h = 1e-5 * max(1.0, abs(x))"


def _ph_pair(delta: float, loss: str = _PH_LOSS_OK, grad: str = _PH_GRAD_OK) -> str:
    """A loss and a gradient of the pair task, each a return expression in r and delta."""
    return (f"import math\n\ndelta = {delta:g}\n\n\ndef loss(y, p):\n    r = p - y\n    return {loss}\n\n\n"
            f"def grad(y, p):\n    r = p - y\n    return {grad}\n")


def _ph_value(delta: float, body: str) -> str:
    return (f"import math\n\n\ndef pseudo_huber(r):\n    \"\"\"The pseudo-Huber loss at the residual r.\"\"\"\n"
            f"    delta = {delta:g}\n{body}")


def _ph_check(step: str = _PH_STEP, formula: str = "(f(x + h) - f(x - h)) / (2 * h)") -> str:
    return (f"def central_difference(f, x):\n    \"\"\"The central difference of f at x.\"\"\"\n"
            f"    {step}  # a step relative to x: a fixed 1e-5 is lost in rounding when |x| is large\n"
            f"    return {formula}\n")


class PseudoHuberCode(CodeExercise):
    """A custom loss and its gradient (checked against each other by finite differences), the loss in a
    stable form, or the finite-difference check itself."""

    id = "custom.pseudo_huber_code"
    skill = "custom.grad_check"
    title = "Pseudo-Huber and the gradient check in code"
    task_keys = ("form", "delta")

    def fixed_params(self, seed):
        # seed 0, the problem pages show first: the loss and its gradient, checked against each other
        return {"form": "pair", "delta": 1.5, "shift": 0.4} if seed == 0 else None

    def make_params(self, rng):
        form = rng.choice(_PH_FORMS)
        return {"form": form, "delta": None if form == "check" else rng.choice(_PH_DELTAS),
                "shift": round(rng.uniform(-2.0, 2.0), 2)}

    def task(self, p):
        form, d = p["form"], p["delta"]
        if form == "pair":
            starter = (f"import math\n\ndelta = {d:g}\n\n\ndef loss(y, p):\n"
                       "    \"\"\"Pseudo-Huber loss of the prediction p for the target y.\"\"\"\n"
                       "    r = p - y\n    return 0.0  # your loss here\n\n\n"
                       "def grad(y, p):\n    \"\"\"dL/dp.\"\"\"\n    r = p - y\n    return 0.0  # your gradient here\n")
            reference = (f"import math\n\ndelta = {d:g}\n\n\ndef loss(y, p):\n    r = p - y\n" + _PH_STABLE_LOSS
                         + "\n\ndef grad(y, p):\n    r = p - y\n"
                         "    # delta^2 * (1/2)(1 + (r/delta)^2)^(-1/2) * 2r/delta^2 = r / sqrt(1 + (r/delta)^2)\n"
                         "    return r / math.hypot(1.0, r / delta)\n")
            return CodeTask("grad", "def grad(y, p):", starter, reference)
        if form == "value":
            return CodeTask("pseudo_huber", "def pseudo_huber(r):",
                            _ph_value(d, f"    return {_PH_LOSS_OK}\n"), _ph_value(d, _PH_STABLE_LOSS))
        starter = ("def central_difference(f, x):\n    \"\"\"The central difference of f at x.\"\"\"\n"
                   "    return 0.0  # your estimate of f'(x) here\n")
        return CodeTask("central_difference", "def central_difference(f, x):", starter, _ph_check())

    def known_wrong(self, p):
        form, d = p["form"], p["delta"]
        if form == "pair":
            return [(_ph_pair(d, grad="delta ** 2 * r / math.sqrt(1 + (r / delta) ** 2)"), "forgot_chain_factor"),
                    (_ph_pair(d, grad="-r / math.sqrt(1 + (r / delta) ** 2)"), "sign_flipped"),
                    (_ph_pair(d, grad="2 * r / math.sqrt(1 + (r / delta) ** 2)"), "dropped_half"),
                    (_ph_pair(d, loss="math.sqrt(1 + (r / delta) ** 2) - 1"), "grad_mismatch"),
                    (_ph_pair(d, loss="delta ** 2 * math.sqrt(1 + (r / delta) ** 2)"), "loss_offset"),
                    (_ph_pair(d, grad="max(-delta, min(delta, r))"), None),
                    (self.task(p).starter, None)]
        if form == "value":
            return [(self.task(p).starter, "unstable"),
                    (_ph_value(d, "    return math.sqrt(1 + (r / delta) ** 2) - 1\n"), "forgot_delta_squared"),
                    (_ph_value(d, "    return delta ** 2 * math.sqrt(1 + (r / delta) ** 2)\n"), "loss_offset"),
                    (_ph_value(d, "    return 0.5 * r * r if abs(r) <= delta else delta * (abs(r) - delta / 2)\n"),
                     None)]  # the Huber loss
        return [(_ph_check(formula="(f(x + h) - f(x)) / h"), "forward_difference"),
                (_ph_check(formula="(f(x + h) - f(x - h)) / h"), "forgot_half"),
                (_ph_check(formula="(f(x - h) - f(x + h)) / (2 * h)"), "sign_flipped"),
                (_ph_check(step="h = 1e-5"), "absolute_step"),
                (_ph_check(step="h = 0.1"), None)]

    mistake_messages = {
        "forgot_chain_factor": "{where}, δ² times the right value: the inner derivative ∂(r/δ)²/∂p = 2r/δ² brings "
                               "a 1/δ² that cancels the δ² in front; expected {expected}.",
        "sign_flipped": "{where}, the opposite sign; expected {expected}.",
        "dropped_half": "{where}, twice the right value: the derivative of √u is u'/(2√u), and that 1/2 cancels the "
                        "2 of ∂r²/∂r; expected {expected}.",
        "forgot_delta_squared": "{where}: the factor δ² = {delta:g}² in front is missing. It makes the loss ½ r² "
                                "for small r and close to δ|r| for large r; expected {expected}.",
        "loss_offset": "{where}: the loss is off by the constant δ²; the -1 inside the bracket makes it 0 at r = 0; "
                       "expected {expected}.",
        "forward_difference": "{where}: that is the forward difference (f(x + h) - f(x))/h, whose error shrinks "
                              "like h. The central difference (f(x + h) - f(x - h))/2h is exact up to h²; "
                              "expected {expected}.",
        "forgot_half": "{where}, twice the derivative: f(x + h) and f(x - h) are 2h apart, so divide by 2h; "
                       "expected {expected}.",
        "absolute_step": "{where}: with h = 1e-5 at a large |x|, x + h and x - h differ from x by less than "
                         "the rounding of f's values there. Take the step relative to x, h = 1e-5 max(1, |x|); "
                         "expected {expected}.",
    }

    def mistake_message(self, p, mistake):
        if mistake == "sign_flipped" and p["form"] == "check":
            return ("{where}, the opposite sign: the difference is f(x + h) - f(x - h), the later point first; "
                    "expected {expected}.")
        if mistake == "sign_flipped":
            return ("{where}, the opposite sign. r = p - y, and L grows as p moves away from y: the gradient has "
                    "the sign of r; expected {expected}.")
        return super().mistake_message(p, mistake)

    _LOSS_TEX = r"$L = \delta^2\left(\sqrt{1 + (r/\delta)^2} - 1\right)$"

    def statement(self, p):
        form, d = p["form"], p["delta"]
        if form == "pair":
            return ("The pseudo-Huber loss is a smooth Huber: with the residual $r = p - y$, "
                    f"{self._LOSS_TEX}, quadratic for small $r$ and close to $\\delta |r|$ for large $r$. With "
                    f"$\\delta = {d:g}$ (the module-level `delta` of the starter code), write **both** "
                    "`loss(y, p)` and `grad(y, p)`, the derivative $\\partial L / \\partial p$. The hidden tests "
                    "call `grad` with residuals up to $10^{12}$; then they check, as `lr.check_grad` does, that "
                    "your `grad` agrees with central finite differences of your own `loss`, and they check the "
                    "loss values. Use the `math` module only.")
        if form == "value":
            return ("Write `pseudo_huber(r)`: the pseudo-Huber loss at the residual $r$, "
                    f"{self._LOSS_TEX}, with $\\delta = {d:g}$ (write it into your function). The starter code "
                    "follows the formula; the hidden tests include residuals up to $10^{200}$, where $(r/\\delta)^2$ "
                    "overflows. Use the `math` module only.")
        return ("A gradient check compares a gradient with finite differences of its loss. Write "
                "`central_difference(f, x)`: the estimate $\\frac{f(x + h) - f(x - h)}{2h}$ of $f'(x)$ for a "
                "function `f` of one float, with the step $h = 10^{-5} \\max(1, |x|)$. The hidden tests call it "
                "with several functions (a pseudo-Huber loss among them) at ordinary points and at points as large "
                "as $x = 10^8$; they compare with the exact derivative to a relative $10^{-6}$.")

    def cases(self, p):
        form, d, shift = p["form"], p["delta"], p["shift"]
        if form == "pair":
            rows = [(0.0, 1.0), (1.0, 3.0), (2.0, -1.0), (0.0, round(0.4 * d, 2)), (1.5, shift), (3.0, 3.0)]
            extreme = [(0.0, 1e6), (1e6, -1e6), (0.0, -1e12), (0.0, 1e-8)]
            return ([CodeCase((y, q), _ph_grad(y, q, d), f"y = {y:g}, p = {q:g}") for y, q in rows]
                    + [CodeCase((y, q), _ph_grad(y, q, d), f"y = {y:g}, p = {q:g}", extreme=True)
                       for y, q in extreme])
        if form == "value":
            rs = [1.0, -2.5, round(0.3 * d, 2), round(4 * d, 2), shift, 0.0]
            return ([CodeCase((r,), _ph_loss(0.0, r, d), f"r = {r:g}") for r in rs]
                    + [CodeCase((r,), _ph_loss(0.0, r, d), f"r = {r:g}", extreme=True) for r in (1e6, -1e12, 1e200)])
        x0 = round(2.0 + shift, 2)
        functions = [
            ("f(x) = x³", lambda x: x ** 3, lambda x: 3 * x * x, x0),
            ("f(x) = e^x", math.exp, math.exp, 0.3),
            ("f(x) = sin x", math.sin, math.cos, 1.0),
            ("the pseudo-Huber loss f(p) with y = 0, δ = 1.5", lambda q: _ph_loss(0.0, q, 1.5),
             lambda q: _ph_grad(0.0, q, 1.5), 0.7),
            ("f(x) = x³", lambda x: x ** 3, lambda x: 3 * x * x, -3.0),
        ]
        cases = [CodeCase((fn, x), dfn(x), f"{name} at x = {x:g}") for name, fn, dfn, x in functions]
        cases += [CodeCase((lambda x: x * x, 1.2345e8), 2.469e8, "f(x) = x² at x = 1.2345e8", extreme=True),
                  CodeCase((math.log, 1e8), 1e-8, "f(x) = log x at x = 1e8", extreme=True)]
        return cases

    def check(self, problem, answer):
        verdict = super().check(problem, answer)
        if not verdict.correct or problem.params["form"] != "pair":
            return verdict
        namespace = {"__name__": "learner", "math": math}
        exec(compile(str(answer), "<your code>", "exec"), namespace)  # ran cleanly in super().check
        loss, grad = namespace.get("loss"), namespace["grad"]
        if not callable(loss):
            return Verdict(False, "Your grad passes the tests; now define the loss too: def loss(y, p):", "missing")
        d = problem.params["delta"]
        points = [(0.0, round(0.7 * d, 2)), (1.0, round(1.0 + 2 * d, 2)), (0.5, -1.0), (2.0, 2.0 + problem.params["shift"])]
        h = 1e-4
        for y, q in points:
            where = f"y = {y:g}, p = {q:g}"
            try:
                g = float(grad(y, q))
                fd = (float(loss(y, q + h)) - float(loss(y, q - h))) / (2 * h)
            except LEARNER_ERRORS as exc:  # any error in learner code is feedback
                return Verdict(False, f"For {where} your loss raised {raised(exc)}.", "error")
            if not (math.isfinite(fd) and abs(fd - g) <= 1e-5 + 1e-4 * abs(g)):
                return Verdict(False, f"For {where} your grad returns {g:.6g}, but the central difference of your "
                                      f"loss, (loss(p + h) - loss(p - h)) / 2h with h = {h:g}, is {fd:.6g}. Your "
                                      "grad passes the hidden tests, so your loss is not the function it is the "
                                      "derivative of: check the loss formula, its factor $\\delta^2$ included.",
                               "grad_mismatch")
        for y, q in points + [(1.0, 1.0)]:
            where = f"y = {y:g}, p = {q:g}"
            try:
                value = float(loss(y, q))
                at_zero = float(loss(1.0, 1.0))
            except LEARNER_ERRORS as exc:
                return Verdict(False, f"For {where} your loss raised {raised(exc)}.", "error")
            expected = _ph_loss(y, q, d)
            if not (math.isfinite(value) and abs(value - expected) <= 1e-9 + 1e-6 * abs(expected)):
                if abs(at_zero) > 1e-9 and abs((value - at_zero) - expected) <= 1e-6 + 1e-6 * abs(expected):
                    return Verdict(False, f"For {where} your loss returned {value:.6g}; expected {expected:.6g}. It "
                                          f"is off by a constant: at $r = 0$ it gives {at_zero:.6g}, not 0. The "
                                          "$-1$ inside the bracket makes the loss 0 at a perfect prediction.",
                                   "loss_offset")
                return Verdict(False, f"For {where} your loss returned {value:.6g}; expected {expected:.6g}.", None)
        n = len(self.cases(problem.params))
        return Verdict(True, f"Your grad passes all {n} hidden tests, agrees with central differences of "
                             f"your loss at {len(points)} points, and your loss values are right.")

    def hints(self, problem):
        form = problem.params["form"]
        if form == "check":
            return [
                r"Taylor: $f(x \pm h) = f(x) \pm h f'(x) + \tfrac12 h^2 f''(x) \pm \dots$; the difference "
                r"$f(x + h) - f(x - h)$ keeps $2h f'(x)$ and cancels the $h^2$ term.",
                r"Divide by $2h$, and scale the step with $x$: at $x = 10^8$ a step of $10^{-5}$ is below the "
                r"rounding of $x$ itself.",
            ]
        if form == "value":
            return [
                r"$(r/\delta)^2$ overflows for $r = 10^{200}$: `math.hypot(1, r / delta)` computes "
                r"$\sqrt{1 + (r/\delta)^2}$ without squaring.",
                r"Multiply and divide by $\sqrt{u} + 1$: $\delta^2(\sqrt u - 1) = r^2 / (\sqrt u + 1)$, and write "
                r"$r^2 / (\dots)$ as $|r| \cdot (|r| / (\dots))$ so that $r^2$ itself is never formed.",
            ]
        return [
            r"Write $L = \delta^2 (\sqrt{u} - 1)$ with $u = 1 + (r/\delta)^2$, and use the chain rule: "
            r"$\partial L/\partial p = \delta^2 \cdot \frac{1}{2\sqrt u} \cdot \frac{\partial u}{\partial p}$.",
            r"$\partial u/\partial p = 2r/\delta^2$, so the $\delta^2$ and the 2 cancel: "
            r"$\partial L/\partial p = r / \sqrt{1 + (r/\delta)^2}$. Check it against "
            r"$(L(p + h) - L(p - h)) / 2h$ for a small $h$.",
        ]

    def steps(self, p):
        if p["form"] == "check":
            return [
                r"$\frac{f(x + h) - f(x - h)}{2h} = f'(x) + \tfrac16 h^2 f'''(x) + \dots$: the error shrinks like "
                r"$h^2$, against $h$ for the forward difference.",
                r"With $h = 10^{-5}\max(1, |x|)$ the step stays above the rounding of $x$ and of $f(x)$: for "
                r"$f(x) = \log x$ at $x = 10^8$, $h = 1000$ and the estimate is $10^{-8}$ to 10 digits, where "
                r"$h = 10^{-5}$ is off by about 1%.",
            ]
        if p["form"] == "value":
            return [
                r"$\delta^2(\sqrt{u} - 1) = \delta^2 \frac{u - 1}{\sqrt u + 1} = \frac{r^2}{\sqrt{1 + (r/\delta)^2} + 1}$: "
                r"no cancellation when $r$ is small.",
                r"`math.hypot(1, r / delta)` is $\sqrt{1 + (r/\delta)^2}$ without overflow, and "
                r"$|r| \cdot (|r| / (\dots))$ never forms $r^2$: $r = 10^{200}$ gives about $\delta \cdot 10^{200}$.",
            ]
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
