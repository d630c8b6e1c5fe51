"""Exercises of session 1: loss, empirical risk and metric; the gradient of a risk; mini-batches."""

from __future__ import annotations

import math

from ._core import ChoiceExercise, Mistake, NumericExercise, fmt_number as f, no_negative_zero

__all__ = ["EmpiricalRisk", "RiskGradient", "WeightedRisk", "LossVersusMetric", "MiniBatchGradient"]


def _r(x: float, digits: int = 1) -> float:
    return round(x, digits) + 0.0  # + 0.0 turns -0.0 into 0.0


def _num(x: float) -> str:
    return no_negative_zero(f"{x:g}")


def _par(x: float) -> str:
    """A number as a factor: negative numbers in parentheses."""
    return f"({_num(x)})" if x < 0 else _num(x)


def _pairs(a, b) -> str:
    return ", ".join(f"$({_num(u)}, {_num(v)})$" for u, v in zip(a, b))


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _mean(values) -> float:
    values = list(values)
    return math.fsum(values) / len(values)


# ---------------------------------------------------------------------------------- risk
class EmpiricalRisk(NumericExercise):
    """The empirical risk as the mean of pointwise squared errors; the 1/2 convention is drawn and stated."""

    id = "risk.empirical"
    skill = "risk.empirical"
    title = "Empirical risk from pointwise losses"

    def make_params(self, rng):
        n = rng.choice([3, 4])
        y = [_r(rng.uniform(-2.0, 4.0)) for _ in range(n)]
        y_pred = [_r(v + rng.choice([-1, 1]) * rng.uniform(0.2, 2.0)) for v in y]
        return {"y": y, "y_pred": y_pred, "half": rng.choice([True, False])}

    def acceptable(self, params):
        return all(abs(a - b) >= 0.15 for a, b in zip(params["y"], params["y_pred"])) and super().acceptable(params)

    def statement(self, p):
        loss = r"L(y, \hat y) = \tfrac12 (\hat y - y)^2" if p["half"] else r"L(y, \hat y) = (\hat y - y)^2"
        note = ("with the factor $\\tfrac12$" if p["half"] else "without a factor $\\tfrac12$")
        return (f"A regression model makes {len(p['y'])} predictions. The pairs $(y_i, \\hat y_i)$, target first, "
                f"are {_pairs(p['y'], p['y_pred'])}. The pointwise loss is the squared error {note}, ${loss}$. "
                r"Compute the empirical risk $\hat R = \frac{1}{n} \sum_i L(y_i, \hat y_i)$.")

    def _residuals(self, p):
        return [b - a for a, b in zip(p["y"], p["y_pred"])]

    def _c(self, p):
        return 0.5 if p["half"] else 1.0

    def correct(self, p):
        return self._c(p) * _mean(r * r for r in self._residuals(p))

    def mistakes(self, p):
        risk, n, c = self.correct(p), len(p["y"]), self._c(p)
        res = self._residuals(p)
        found = [Mistake("sum_not_mean", n * risk, f"That is the sum of the {n} losses; the empirical risk is their "
                                                   f"mean: divide by n = {n}.")]
        if p["half"]:
            found.append(Mistake("dropped_half", 2 * risk, "The factor 1/2 is missing: this problem uses the "
                                                           "convention L = ½(ŷ - y)²."))
        else:
            found.append(Mistake("extra_half", risk / 2, "That has a factor 1/2 this problem does not use: here "
                                                         "L = (ŷ - y)², with no 1/2."))
        found += [
            Mistake("absolute_not_squared", c * _mean(abs(r) for r in res),
                    "That averages the absolute errors |ŷ - y| (MAE); square each residual."),
            Mistake("square_of_mean", c * _mean(res) ** 2,
                    "That squares the mean residual; square each residual first, then average the squares."),
        ]
        return found

    def hints(self, problem):
        half = problem.params["half"]
        return [
            "Compute each residual $r_i = \\hat y_i - y_i$ and its loss "
            + ("$\\tfrac12 r_i^2$." if half else "$r_i^2$."),
            "The empirical risk is the mean of the pointwise losses: add them and divide by $n$, the number of "
            "examples.",
        ]

    def steps(self, p):
        c = self._c(p)
        res = self._residuals(p)
        losses = ", ".join(f(c * r * r) for r in res)
        loss = r"\tfrac12 r_i^2" if p["half"] else "r_i^2"
        return [
            rf"Residuals $r_i = \hat y_i - y_i$: ${', '.join(f(r) for r in res)}$.",
            rf"Pointwise losses ${loss}$: ${losses}$.",
            rf"$\hat R = \frac{{1}}{{{len(res)}}}({' + '.join(f(c * r * r) for r in res)}) \approx "
            rf"{f(self.correct(p))}$.",
        ]


class RiskGradient(NumericExercise):
    """dR/dw for the linear model y_hat = w x under L = 1/2 (y_hat - y)^2 (the lesson's worked example 1 at
    seed 0: data (1, 2), (2, 3), w = 1, dR/dw = -1.5)."""

    id = "risk.gradient"
    skill = "risk.gradient"
    title = "The gradient of the empirical risk"

    def fixed_params(self, seed):
        return {"x": [1.0, 2.0], "y": [2.0, 3.0], "w": 1.0} if seed == 0 else None

    def make_params(self, rng):
        x = [_r(rng.choice([-1, 1]) * rng.uniform(0.5, 3.0)) for _ in range(3)]
        return {"x": x, "y": [_r(rng.uniform(-3.0, 4.0)) for _ in range(3)], "w": _r(rng.uniform(-1.5, 2.0))}

    def acceptable(self, params):
        return abs(self.correct(params)) >= 0.1 and super().acceptable(params)

    def statement(self, p):
        return (f"A one-dimensional linear model $\\hat y = w x$ (no bias) is fitted to the {len(p['x'])} examples "
                f"$(x_i, y_i)$: {_pairs(p['x'], p['y'])}. The pointwise loss is "
                r"$L = \tfrac12 (\hat y - y)^2$ and the empirical risk is $\hat R(w) = \frac{1}{n} \sum_i L_i$. "
                f"Compute $d\\hat R / dw$ at $w = {_num(p['w'])}$.")

    def _residuals(self, p):
        return [p["w"] * x - y for x, y in zip(p["x"], p["y"])]

    def correct(self, p):
        return _mean(r * x for r, x in zip(self._residuals(p), p["x"]))

    def mistakes(self, p):
        g, n = self.correct(p), len(p["x"])
        res = self._residuals(p)
        if n == 2:  # the two halves coincide: 1/n = 1/2 and the 1/2 of the loss; dropping either doubles g
            found = [Mistake("sum_not_mean", n * g,
                             "That is twice the gradient: either the sum over the two examples instead of their "
                             "mean (divide by n = 2), or the derivative of (ŷ - y)² without the loss's 1/2 (the 1/2 "
                             "cancels the 2 of the power rule, leaving (ŷ - y)·x).")]
        else:
            found = [
                Mistake("sum_not_mean", n * g, f"That is the sum over the {n} examples; the risk is a mean, so its "
                                               f"gradient is the mean of the per-example gradients: divide by "
                                               f"n = {n}."),
                Mistake("dropped_half", 2 * g, "That is twice the gradient: with L = ½(ŷ - y)² the 1/2 cancels the 2 "
                                               "of the power rule, so dL/dw = (ŷ - y)·x."),
            ]
        found += [
            Mistake("sign_flipped", -g, "The sign is flipped: the error signal is prediction minus truth, "
                                        "ŷ - y = wx - y, not y - ŷ."),
            Mistake("forgot_chain_factor", _mean(res), "That is the mean residual, dR/dŷ averaged. The chain rule "
                                                       "multiplies each residual by dŷ/dw = xᵢ before averaging."),
            Mistake("value_not_grad", 0.5 * _mean(r * r for r in res), "That is the risk R̂(w) itself; the question "
                                                                       "asks for its derivative in w."),
        ]
        return found

    def hints(self, problem):
        return [
            r"Per example, $\frac{dL_i}{dw} = \frac{dL_i}{d\hat y_i}\frac{d\hat y_i}{dw} = (\hat y_i - y_i)\,x_i$: "
            r"the $\tfrac12$ cancels the 2 of the square.",
            r"The derivative of a mean is the mean of the derivatives: "
            r"$\frac{d\hat R}{dw} = \frac1n \sum_i (w x_i - y_i)\,x_i$.",
        ]

    def steps(self, p):
        res = self._residuals(p)
        n = len(res)
        preds = ", ".join(f(p["w"] * x) for x in p["x"])
        terms = " + ".join(f"{_par(_r(r, 4))} \\cdot {_par(x)}" for r, x in zip(res, p["x"]))
        return [
            rf"Predictions $\hat y_i = w x_i$ at $w = {_num(p['w'])}$: ${preds}$; residuals $\hat y_i - y_i$: "
            rf"${', '.join(f(r) for r in res)}$.",
            r"$\frac{d\hat R}{dw} = \frac1n \sum_i (\hat y_i - y_i)\, x_i$.",
            rf"$= \frac{{1}}{{{n}}}[{terms}] = \frac{{1}}{{{n}}}({f(n * self.correct(p))}) \approx "
            rf"{f(self.correct(p))}$.",
        ]


class WeightedRisk(NumericExercise):
    """The weighted empirical risk sum(w l) / sum(w)."""

    id = "risk.weighted"
    skill = "risk.weighted"
    title = "Weighted empirical risk"

    def make_params(self, rng):
        return {"losses": [_r(rng.uniform(0.1, 3.0), 2) for _ in range(4)],
                "weights": [rng.choice([0.5, 1.0, 1.5, 2.0, 3.0]) for _ in range(4)]}

    def statement(self, p):
        losses = ", ".join(_num(v) for v in p["losses"])
        weights = ", ".join(_num(v) for v in p["weights"])
        return (f"Four examples have the pointwise losses $l = ({losses})$ and the sample weights "
                f"$w = ({weights})$. Compute the weighted empirical risk, the weighted mean of the losses "
                r"$\hat R_w = \sum_i w_i l_i \big/ \sum_i w_i$.")

    def correct(self, p):
        return math.fsum(w * v for w, v in zip(p["weights"], p["losses"])) / math.fsum(p["weights"])

    def mistakes(self, p):
        total = math.fsum(w * v for w, v in zip(p["weights"], p["losses"]))
        n = len(p["losses"])
        return [
            Mistake("divided_by_n", total / n, f"That divides the weighted sum by n = {n} (as Keras does with sample "
                                               f"weights). The weighted mean divides by the sum of the weights, "
                                               f"Σw = {_num(math.fsum(p['weights']))}."),
            Mistake("forgot_weights", _mean(p["losses"]), "That is the plain mean of the losses: multiply each loss "
                                                          "by its weight first."),
            Mistake("sum_not_mean", total, "That is the weighted sum Σ wᵢlᵢ; divide it by the sum of the weights."),
        ]

    def hints(self, problem):
        return [
            r"Multiply each loss by its weight and add the products: $\sum_i w_i l_i$.",
            r"Divide by the total weight $\sum_i w_i$, not by the number of examples.",
        ]

    def steps(self, p):
        products = " + ".join(f"{_num(w)} \\cdot {_num(v)}" for w, v in zip(p["weights"], p["losses"]))
        total = math.fsum(w * v for w, v in zip(p["weights"], p["losses"]))
        return [
            rf"$\sum_i w_i l_i = {products} = {f(total)}$.",
            rf"$\sum_i w_i = {' + '.join(_num(w) for w in p['weights'])} = {_num(math.fsum(p['weights']))}$.",
            rf"$\hat R_w = {f(total)} / {_num(math.fsum(p['weights']))} \approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- loss vs metric
_METRICS = {
    # name, meaning, whether a better model makes it larger, and the outputs it applies to
    "accuracy": ("accuracy", "the fraction of examples classified correctly", True, ("binary", "multiclass")),
    "error_rate": ("the 0-1 error rate", "the fraction of examples classified wrongly", False, ("binary", "multiclass")),
    "f1": ("the F1 score", "the harmonic mean of precision and recall of the thresholded predictions", True,
           ("binary",)),
    "recall": ("the recall", "the fraction of the positive examples that the thresholded predictions flag", True,
               ("binary",)),
    "precision": ("the precision", "the fraction of the flagged examples that are positive", True, ("binary",)),
    "top5": ("the top-5 accuracy", "the fraction of examples whose class is among the five highest logits", True,
             ("multiclass",)),
}
# The task: who is judged, what the model outputs ("binary": one logit; "multiclass": one logit per class).
_CONTEXTS = {
    "spam": ("A spam filter", "binary"),
    "fraud": ("A fraud detector on card payments", "binary"),
    "scan": ("A classifier that flags tumours on scans", "binary"),
    "images": ("A 10-class image classifier", "multiclass"),
    "species": ("A bird-song classifier over 200 species", "multiclass"),
}
_SURROGATE_NAME = {"binary": "the binary cross-entropy on the logit (bce_with_logits)",
                   "multiclass": "the softmax cross-entropy on the logits (cross_entropy)"}


class LossVersusMetric(ChoiceExercise):
    """Why a metric such as accuracy is evaluated but not trained on, and which loss stands in for it.
    Problems are drawn from parts: the task (and so the model's output), the metric, the question."""

    id = "risk.loss_vs_metric"
    skill = "risk.loss_vs_metric"
    title = "Loss or metric"

    def make_params(self, rng):
        context = rng.choice(sorted(_CONTEXTS))
        output = _CONTEXTS[context][1]
        metrics = sorted(m for m, row in _METRICS.items() if output in row[3])
        return {"variant": rng.choice(["why", "which"]), "context": context, "metric": rng.choice(metrics)}

    def statement(self, p):
        name, meaning, _, _ = _METRICS[p["metric"]]
        who, output = _CONTEXTS[p["context"]]
        outputs = "one logit per example" if output == "binary" else "one logit per class"
        if p["variant"] == "why":
            return (f"{who} outputs {outputs}, and it is judged by {name} ({meaning}). Why is it trained by "
                    f"gradient descent on {_SURROGATE_NAME[output]} rather than on {name} itself?")
        return (f"{who} outputs {outputs} and is judged by {name} ({meaning}). Which of these quantities can you "
                "NOT use directly as the training objective of gradient descent on the model's parameters?")

    def options(self, p):
        name, _, larger_is_better, _ = _METRICS[p["metric"]]
        output = _CONTEXTS[p["context"]][1]
        surrogate = _SURROGATE_NAME[output]
        optimise = "maximising" if larger_is_better else "minimising"
        if p["variant"] == "why":
            return [
                (f"{_cap(name)} changes only when a prediction crosses the decision threshold, so it is "
                 "piecewise constant in the parameters: its gradient is zero almost everywhere and gives no "
                 "direction; the cross-entropy is a smooth surrogate that does.", None,
                 "A loss must give a useful gradient; a metric need only measure what you care about. The "
                 "surrogate is trained, the metric is reported."),
                (f"{_cap(name)} is too slow to compute on a mini-batch.", "metric_too_expensive",
                 f"Computing {name} on a batch costs less than a cross-entropy. The obstacle is the gradient: the "
                 "metric is piecewise constant, so its gradient is zero almost everywhere."),
                (f"Minimising {surrogate} is the same as {optimise} {name}, so either can be used.",
                 "loss_equals_metric",
                 "They are different objectives: the cross-entropy also rewards confidence, and a lower "
                 "cross-entropy does not always mean a better metric. The surrogate only correlates with it."),
                ("The cross-entropy is what we really care about; the metric is only a report for people.",
                 "surrogate_is_the_goal",
                 "It is the other way round: the metric states the goal, and the loss is a surrogate chosen "
                 "because it can be optimised."),
            ]
        metric = _cap(name)
        kink = ("The hinge loss max(0, 1 - y s)" if output == "binary" else
                "The multiclass hinge max(0, 1 + max_{j≠c} s_j - s_c)")
        return [
            (metric, None, f"{metric} is piecewise constant in the parameters: its gradient is zero almost "
                           "everywhere, so it is evaluated, not trained on. A surrogate loss stands in for it."),
            (kink, "kink_means_untrainable",
             "The hinge loss has a kink where the margin is exactly met, but it has subgradients everywhere and is "
             "a standard training loss (SVMs). A few points of non-differentiability do not stop gradient descent."),
            ("The mean absolute error |ŷ - y| between the predicted and the true probability",
             "kink_means_untrainable",
             "The absolute error is not differentiable at 0 only; its subgradient ±1 is used for training. A kink "
             "is not the same as a zero gradient."),
            (_cap(surrogate), "loss_is_only_a_metric",
             "The cross-entropy (also reported as log loss) is smooth in the logits and is the usual training "
             "loss of a classifier; it can be reported as a metric too."),
        ]

    def hints(self, problem):
        return [
            "Gradient descent needs a gradient that points somewhere: what happens to the quantity when a "
            "parameter changes a little and no prediction crosses the threshold?",
            "A kink (a point without a derivative) is harmless, since subgradients exist; a function that is flat "
            "almost everywhere is not.",
        ]

    def steps(self, p):
        name = _METRICS[p["metric"]][0]
        return [
            f"A small change of the parameters moves the logits a little but rarely flips a thresholded "
            f"prediction, so {name} does not change: its gradient is zero almost everywhere, undefined at the jumps.",
            "Losses such as cross-entropy, hinge and absolute error change with every logit or prediction "
            "(hinge and absolute error through subgradients at their kinks), so they are trained on; the metric is "
            "evaluated.",
        ]


# ---------------------------------------------------------------------------------- mini-batches
class MiniBatchGradient(NumericExercise):
    """The mini-batch estimate of the gradient of the mean risk for a constant model."""

    id = "risk.minibatch"
    skill = "risk.minibatch"
    title = "A mini-batch gradient"

    def make_params(self, rng):
        n = rng.choice([6, 8])
        return {"y": [_r(rng.uniform(0.0, 6.0)) for _ in range(n)], "theta": _r(rng.uniform(0.5, 5.0)),
                "batch": sorted(rng.sample(range(1, n + 1), 3))}

    def acceptable(self, params):
        return abs(self.correct(params)) >= 0.1 and super().acceptable(params)

    def statement(self, p):
        ys = ", ".join(_num(v) for v in p["y"])
        batch = ", ".join(str(i) for i in p["batch"])
        n = len(p["y"])
        return (f"A constant model $\\hat y = \\theta$ is fitted to $n = {n}$ targets $y = ({ys})$ with the loss "
                r"$L_i = \tfrac12(\theta - y_i)^2$ and the risk $\hat R(\theta) = \frac1n \sum_i L_i$. A mini-batch "
                f"$B = \\{{{batch}\\}}$ of size $m = 3$ is drawn (examples counted from 1). Compute the mini-batch "
                r"gradient $\nabla \hat R_B = \frac1m \sum_{i \in B} \frac{dL_i}{d\theta}$ at "
                f"$\\theta = {_num(p['theta'])}$.")

    def _grads(self, p):
        return [p["theta"] - p["y"][i - 1] for i in p["batch"]]

    def correct(self, p):
        return _mean(self._grads(p))

    def mistakes(self, p):
        g, m, n = self.correct(p), len(p["batch"]), len(p["y"])
        return [
            Mistake("sum_not_mean", m * g, f"That is the sum over the batch; the mini-batch estimate is the mean: "
                                           f"divide by the batch size m = {m}."),
            Mistake("divided_by_full_n", m * g / n, f"That divides the batch sum by the dataset size n = {n}; the "
                                                    f"batch holds m = {m} examples, so divide by m. Dividing by n "
                                                    f"shrinks the estimate by m/n."),
            Mistake("full_batch", p["theta"] - _mean(p["y"]), "That is the full gradient over all n examples; the "
                                                              "question asks for the estimate from the mini-batch "
                                                              "only."),
            Mistake("sign_flipped", -g, "The sign is flipped: dLᵢ/dθ = θ - yᵢ, prediction minus target."),
        ]

    def hints(self, problem):
        return [
            r"For one example, $\frac{dL_i}{d\theta} = \theta - y_i$: the $\tfrac12$ cancels the 2.",
            "Use only the examples in $B$: average their gradients, dividing by the batch size $m$.",
        ]

    def steps(self, p):
        grads = self._grads(p)
        shown = ", ".join(f"{_num(p['theta'])} - {_par(p['y'][i - 1])} = {f(g)}" for i, g in zip(p["batch"], grads))
        return [
            rf"Per-example gradients in the batch, $\theta - y_i$: ${shown}$.",
            rf"$\nabla \hat R_B = \frac13({' + '.join(_par(_r(g, 4)) for g in grads)}) \approx {f(self.correct(p))}$.",
        ]


EXERCISES = [EmpiricalRisk(), RiskGradient(), WeightedRisk(), LossVersusMetric(), MiniBatchGradient()]
