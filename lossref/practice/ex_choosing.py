"""Exercises of session 9, the capstone: choosing a loss for a task, with the misconception behind each wrong pick,
and two derivations for decisions made from calibrated probabilities (a cost threshold, a prior correction).

Each choice problem is put together from parts (the task, its data, the metric or constraint, the costs), drawn
per seed; the right option follows from the parts, and each wrong option names a mistake.
"""

from __future__ import annotations

import math

from . import _math as M
from ._core import ChoiceExercise, Mistake, NumericExercise, fmt_number as f

__all__ = ["ChooseRegressionLoss", "ChooseClassificationLoss", "ChooseMarginLoss", "ChooseMultiTask",
           "CostThreshold", "PriorCorrection"]


def _pct(x: float) -> str:
    """A fraction as a percentage, 0.05 -> 5%, 0.005 -> 0.5%."""
    return f"{100 * x:g}%"


class _TaskChoice(ChoiceExercise):
    """A task drawn from ``TASKS`` with its parts -> one right option; each wrong option names its misconception.

    ``TASKS`` maps a task name to ``(draw, build)``: ``draw(rng)`` returns the task's parts (a dict of small
    choices), ``build(parts)`` returns ``text`` (the situation), ``right`` (option text, why), ``wrong``
    (option text, mistake id, feedback) rows, ``hint`` (a task-specific second hint) and, optionally,
    ``question``.
    """

    TASKS: dict[str, tuple] = {}
    question = "Which loss do you train it with?"
    first_hint = ""

    def make_params(self, rng):
        task = rng.choice(sorted(self.TASKS))
        return {"task": task, **self.TASKS[task][0](rng)}

    def _task(self, p) -> dict:
        return self.TASKS[p["task"]][1](p)

    def statement(self, p):
        task = self._task(p)
        return f"{task['text']} {task.get('question', self.question)}"

    def options(self, p):
        task = self._task(p)
        text, why = task["right"]
        return [(text, None, why)] + [tuple(row) for row in task["wrong"]]

    def hints(self, problem):
        return [self.first_hint, self._task(problem.params)["hint"]]

    def steps(self, p):
        task = self._task(p)
        text, why = task["right"]
        return [f"Right: {text}. {why}"] + [f"Not {wrong}. {feedback}" for wrong, _, feedback in task["wrong"]]


# ---------------------------------------------------------------------------------- regression
_OUTLIER_DOMAINS = (
    ("delivery times in minutes", "a few minutes", "several hours", "a scanner fault", "3 minutes"),
    ("room temperatures in °C from cheap sensors", "about half a degree", "hundreds of degrees",
     "a sensor glitch", "0.5 °C"),
    ("flat prices in thousands of euros", "about 20 thousand", "a factor of 1000", "a typo in the listing",
     "20 thousand euros"),
)


def _draw_outliers(rng):
    return {"domain": rng.randrange(len(_OUTLIER_DOMAINS)), "goal": rng.choice(["typical", "median"]),
            "bad": rng.choice([0.5, 1, 2])}


def _build_outliers(p):
    what, ordinary, huge, cause, delta = _OUTLIER_DOMAINS[p["domain"]]
    text = (f"A model predicts {what}. Most errors are {ordinary}, but about {p['bad']:g}% of the logged targets "
            f"are off by {huge} because of {cause}. ")
    mse = ("mse", "mse_with_outliers",
           "Squared error grows with the square of the residual: the few corrupted rows contribute most of the loss "
           "and of the gradient, and pull the fit towards them.")
    if p["goal"] == "typical":
        return {
            "text": text + "You want a smooth, mean-like fit for the ordinary rows that the bad rows cannot drag.",
            "right": (f"huber, with delta near the size of an ordinary error ({delta})",
                      "Huber is quadratic for small residuals and linear beyond delta, so each bad row's gradient "
                      "is capped at delta while the ordinary rows are fitted as by squared error."),
            "wrong": [
                mse,
                ("huber with delta a thousand times the ordinary error", "delta_too_large",
                 "With delta beyond the size of the bad residuals every row stays in the quadratic zone: that is "
                 "squared error again, with the same pull of the bad rows."),
                ("quantile with tau = 0.99", "quantile_not_mean",
                 "That estimates the 99th percentile, an upper bound exceeded one time in a hundred, not the "
                 "typical value."),
            ],
            "hint": "Which loss grows only linearly for large residuals but stays quadratic near 0, and where does "
                    "its switch from one to the other belong?",
        }
    return {
        "text": text + "The report must quote the conditional median, the value that half of the outcomes exceed.",
        "right": ("mae", "The absolute error is minimised by the median, and its gradient is ±1 whatever the size "
                         "of the residual, so the bad rows pull no harder than any other row."),
        "wrong": [
            mse,
            ("quantile with tau = 0.9", "quantile_not_median",
             "That estimates the 90th percentile, exceeded one time in ten, not the median."),
            ("gaussian_nll with var fixed at 1", "fixed_variance",
             "With a constant variance the Gaussian NLL is half the squared error plus a constant: it estimates the "
             "mean, which the bad rows drag."),
        ],
        "hint": "Which loss is minimised by the median?",
    }


_COUNT_DOMAINS = (("support tickets arrive in each hour", "tickets"), ("goals are scored in a football match", "goals"),
                  ("cars pass a junction each minute", "cars"))


def _draw_counts(rng):
    return {"domain": rng.randrange(len(_COUNT_DOMAINS)), "output": rng.choice(["log_rate", "rate"])}


def _build_counts(p):
    what, unit = _COUNT_DOMAINS[p["domain"]]
    log_rate = p["output"] == "log_rate"
    out = ("outputs one real number, read as the logarithm of the expected rate" if log_rate else
           "ends in a softplus and outputs the expected rate itself, a positive number")
    right = "poisson_nll with log_input=True" if log_rate else "poisson_nll with log_input=False"
    other = "poisson_nll with log_input=False" if log_rate else "poisson_nll with log_input=True"
    return {
        "text": f"A model predicts how many {what} (0, 1, 2, ...). Its last layer {out}.",
        "right": (right, "It is the likelihood of a count under a Poisson rate, takes the kind of output the model "
                         "produces, and its minimiser is the expected count."),
        "wrong": [
            (other, "log_input_mismatch",
             "log_input says what the prediction is: True for a log-rate, False for the rate itself. The wrong "
             "setting reads a rate as a log-rate or the reverse, so the model is fitted on the wrong scale."),
            (f"cross_entropy over the classes 0, 1, ..., 50 {unit}", "counts_as_classes",
             "Counts are ordered: cross-entropy treats them as unrelated classes, so predicting 7 for a true 8 costs "
             "as much as predicting 0, and counts above 50 cannot be predicted at all."),
            (f"bce_with_logits on whether there were any {unit} at all", "binary_for_counts",
             "That throws away how many occurred: the model learns P(y > 0), not the expected count."),
        ],
        "hint": "The target is a non-negative integer: which likelihood fits counts, and what does its log_input "
                "parameter say about the prediction?",
    }


_QUANTILE_DOMAINS = ("the load on a power grid for each hour of tomorrow", "the number of occupied hospital beds "
                     "for each day of next week", "the latency of a web service for each minute")


def _draw_quantile(rng):
    return {"domain": rng.randrange(len(_QUANTILE_DOMAINS)), "q": rng.choice([0.01, 0.05, 0.1, 0.2]),
            "side": rng.choice(["upper", "lower"])}


def _build_quantile(p):
    q = p["q"]
    tau = 1 - q if p["side"] == "upper" else q
    other = q if p["side"] == "upper" else 1 - q
    bound = (f"an upper bound that is exceeded only {_pct(q)} of the time" if p["side"] == "upper" else
             f"a lower bound that the outcome falls below only {_pct(q)} of the time")
    return {
        "text": f"An operator forecasts {_QUANTILE_DOMAINS[p['domain']]} and needs {bound}.",
        "right": (f"quantile with tau = {tau:g}",
                  f"The pinball loss at tau is minimised by the tau-quantile, the value that the outcome falls below "
                  f"a fraction tau of the time; here tau = {tau:g}."),
        "wrong": [
            (f"quantile with tau = {other:g}", "tau_swapped",
             f"tau = {other:g} gives the {other:g}-quantile, which the outcome falls below {_pct(other)} of the time: "
             "the other side of the distribution."),
            ("mse, then a fixed margin added to each forecast", "mean_not_quantile",
             "MSE estimates the mean. A fixed margin does not turn it into a quantile: how often the bound is "
             "crossed then depends on the spread of the noise, which changes from one forecast to the next."),
            ("mae", "median_not_quantile", "MAE estimates the median, which is crossed half the time."),
        ],
        "hint": "The pinball loss at level tau is minimised by the tau-quantile: the outcome falls below it a "
                "fraction tau of the time. Which fraction is asked for?",
    }


_UNCERTAINTY_DOMAINS = (("the price of a house", "much larger for expensive houses"),
                        ("the yield of a field", "much larger in dry years"),
                        ("the travel time of a taxi ride", "much larger at rush hour"))


def _draw_uncertainty(rng):
    return {"domain": rng.randrange(len(_UNCERTAINTY_DOMAINS)), "second": rng.choice(["var", "log_var"])}


def _build_uncertainty(p):
    what, noise = _UNCERTAINTY_DOMAINS[p["domain"]]
    second = ("a positive number (after a softplus)" if p["second"] == "var" else
              "a real number, read as the log of the variance")
    right = ("gaussian_nll, with the second output as var" if p["second"] == "var" else
             "gaussian_nll, with var = exp(second output)")
    return {
        "text": f"A model predicts {what} and must also say how uncertain that prediction is; the noise is {noise}. "
                f"The network has two outputs: the mean, and {second}.",
        "right": (right, "The Gaussian likelihood fits the mean and the variance together: a large residual costs "
                         "less where the model predicts a large variance, and the log-variance term stops it from "
                         "predicting a huge variance everywhere."),
        "wrong": [
            ("mse on the mean, ignoring the second output", "no_uncertainty",
             "That fits the mean but trains nothing that says how uncertain it is."),
            ("gaussian_nll with var fixed at 1", "fixed_variance",
             "With a constant variance the Gaussian NLL is half the squared error plus a constant: the same as MSE, "
             "with no uncertainty learned."),
            ("huber on the mean", "robust_not_uncertainty",
             "Huber makes the fit robust to large residuals, but it still predicts one number and no uncertainty."),
        ],
        "hint": "Which loss is the likelihood of the target under a predicted mean and a predicted variance, and "
                "what must its var argument be?",
    }


class ChooseRegressionLoss(_TaskChoice):
    """Real-valued targets: outliers, counts, a quantile forecast, a prediction with its uncertainty."""

    id = "choose.regression"
    skill = "choose.regression"
    title = "Choose a loss: real-valued targets"
    first_hint = ("First ask which property of the target's distribution the model should predict: the mean, "
                  "the median, a quantile, an expected count, or a mean with its spread.")
    TASKS = {"outliers": (_draw_outliers, _build_outliers), "counts": (_draw_counts, _build_counts),
             "quantile": (_draw_quantile, _build_quantile), "uncertainty": (_draw_uncertainty, _build_uncertainty)}


# ---------------------------------------------------------------------------------- classification
_TAG_DOMAINS = (("Photos are tagged with any subset of 20 tags (beach, dog, night, ...)", 20, "a dog on a beach"),
                ("News articles get any subset of 12 topics (sport, politics, science, ...)", 12,
                 "an article on the science of sport"),
                ("Patient records list any subset of 8 symptoms", 8, "a patient with fever and cough"))


def _draw_multilabel(rng):
    return {"domain": rng.randrange(len(_TAG_DOMAINS))}


def _build_multilabel(p):
    text, k, both = _TAG_DOMAINS[p["domain"]]
    return {
        "text": f"{text}, so an example can have several labels or none. The network outputs {k} logits per example.",
        "right": (f"bce_with_logits on the {k} logits, one independent yes/no problem per label",
                  "Each label gets its own sigmoid probability, so several labels can be near 1 at once; pos_weight "
                  "can hold one weight per label."),
        "wrong": [
            (f"cross_entropy over the {k} logits", "exclusive_for_multilabel",
             f"Softmax makes the labels compete for one unit of probability: {both} cannot have both labels near 1. "
             "Cross-entropy is for exclusive classes."),
            ("bce on softmax(logits)", "softmax_for_multilabel",
             "Softmax couples the labels so that their probabilities sum to 1; the labels are independent. Apply a "
             "sigmoid per label, which bce_with_logits does itself."),
            ("mse between the logits and the 0/1 labels", "mse_on_logits",
             "MSE on logits asks for a logit of exactly 0 or 1 and penalises a confident, correct logit. Logits are "
             "not probabilities."),
        ],
        "hint": "The labels are not exclusive: which loss treats each column as its own binary problem?",
    }


_SCREENING = (("A screening model flags a rare condition", "patient", "missing a case", "a false alarm"),
              ("A payment system flags fraudulent transactions", "transaction", "letting a fraud through",
               "blocking an honest payment"),
              ("A factory camera flags faulty parts", "part", "shipping a faulty part", "discarding a good one"))


def _draw_imbalanced(rng):
    return {"domain": rng.randrange(len(_SCREENING)), "rate": rng.choice([200, 500, 1000]),
            "ratio": rng.choice([9, 19, 49, 99]), "need": rng.choice(["probabilities", "decisions"])}


def _build_imbalanced(p):
    what, unit, miss, alarm = _SCREENING[p["domain"]]
    r = p["ratio"]
    t = f"1/{r + 1}"
    text = (f"{what}; about 1 {unit} in {p['rate']} is positive. The model outputs one logit per {unit} and has "
            f"informative features. {miss[0].upper() + miss[1:]} costs {r} times as much as {alarm}. ")
    twice = (f"bce_with_logits with pos_weight={r}, then flag when σ(z) > {t}", "costs_counted_twice",
             f"Each of the two moves the decision by the cost ratio: pos_weight={r} multiplies the model's odds by "
             f"{r}, and the threshold {t} lowers the bar by the same factor again, so far too many are flagged.")
    half = ("bce_with_logits unweighted, then flag when σ(z) > 0.5", "threshold_ignores_costs",
            "Unweighted cross-entropy is fine: with informative features its minimiser is the calibrated "
            "P(y = 1 | x), not 'always negative'. The mistake is the threshold 0.5, which treats a miss and a false "
            f"alarm as equally costly; the costs call for flagging above c_FP/(c_FP + c_FN) = {t}.")
    if p["need"] == "probabilities":
        return {
            "text": text + f"Each {unit}'s estimated probability is also shown to the people who act on the flag, "
                           "so it must be calibrated.",
            "question": "How do you train and decide?",
            "right": (f"bce_with_logits unweighted; report σ(z) and flag when σ(z) > {t}",
                      "The unweighted loss's minimiser is the calibrated probability, and flagging when "
                      f"p c_FN > (1 - p) c_FP, i.e. p > c_FP/(c_FP + c_FN) = {t}, is the decision with the smallest "
                      "expected cost."),
            "wrong": [
                (f"bce_with_logits with pos_weight={r}; report σ(z) and flag when σ(z) > 0.5", "weights_move_probabilities",
                 f"These flags match the cost threshold, but σ(z) is no longer calibrated: pos_weight={r} moves it "
                 f"to {r}q/({r}q + 1 - q), so the reported risk is inflated unless the logit is shifted back by "
                 f"log {r}."),
                half, twice,
            ],
            "hint": "What does unweighted cross-entropy estimate when the features are informative, and at what "
                    "probability does flagging start to cost less than not flagging?",
        }
    return {
        "text": text + "Only the flag is used; nobody reads the probability.",
        "question": "How do you train and decide?",
        "right": (f"either bce_with_logits unweighted with the threshold {t}, or pos_weight={r} with the threshold "
                  "0.5: both give the same decisions",
                  f"Unweighted, σ(z) estimates P(y = 1 | x) and the cost threshold is c_FP/(c_FP + c_FN) = {t}. "
                  f"pos_weight={r} multiplies the odds by {r}, which moves that threshold to 0.5. (With a model "
                  "that cannot fit P(y = 1 | x) exactly the two can differ, and the threshold is then tuned on "
                  "validation data.)"),
        "wrong": [
            half, twice,
            ("hinge with the labels 0 and 1 as stored", "labels_01_in_hinge",
             "The hinge needs labels -1 and +1. A label 0 gives max(0, 1 - 0·s) = 1 whatever the score, with zero "
             "gradient: the negatives are never learned."),
        ],
        "hint": "Weights in the loss and a moved threshold are two ways to put the costs in the decision. How many "
                "times should the cost ratio enter?",
    }


def _draw_teacher(rng):
    return {"k": rng.choice([10, 100, 1000])}


def _build_teacher(p):
    k = p["k"]
    return {
        "text": f"A small student network is distilled from a large teacher: for each input the teacher gives a "
                f"probability distribution over {k} classes, and the student outputs {k} logits.",
        "right": ("kl_divergence with the teacher's probabilities as the target and the student's logits as the "
                  "prediction (or cross_entropy with probability rows)",
                  "Both fit the student's softmax to the whole teacher distribution, with the gradient "
                  "softmax(z) - y; KL is 0 at a perfect match."),
        "wrong": [
            ("cross_entropy with the teacher's most likely class as a hard label", "hard_labels",
             "That throws away the teacher's other probabilities, which say how similar the classes are: they are "
             "what distillation transfers."),
            ("cross_entropy with the teacher's probabilities and softmax(student logits)", "softmax_twice",
             "cross_entropy applies softmax to its prediction itself: passing softmax(logits) applies it twice and "
             "flattens the student's distribution."),
            ("mse between the student's logits and the teacher's probabilities", "mse_on_logits",
             "That compares logits with probabilities, two different scales: the student's logits would be pushed "
             "into [0, 1] instead of its probabilities matching the teacher's."),
        ],
        "hint": "The target is a whole distribution, not one class. Which loss compares two distributions and takes "
                "logits?",
    }


_EXCLUSIVE_DOMAINS = (("A digit recogniser assigns each image to exactly one of 10 classes", 10),
                      ("A bird classifier assigns each photo to exactly one of 200 species", 200),
                      ("A language identifier assigns each sentence to exactly one of 5 languages", 5))


def _draw_exclusive(rng):
    return {"domain": rng.randrange(len(_EXCLUSIVE_DOMAINS)), "labels": rng.choice(["index", "onehot"])}


def _build_exclusive(p):
    text, k = _EXCLUSIVE_DOMAINS[p["domain"]]
    labels = (f"the labels are class indices 0 to {k - 1}" if p["labels"] == "index" else
              f"the labels are stored as one-hot rows of length {k}")
    right = ("cross_entropy on the logits with the integer labels" if p["labels"] == "index" else
             "cross_entropy on the logits with the one-hot rows as probability rows")
    return {
        "text": f"{text}; the network outputs {k} logits per example and {labels}.",
        "right": (right, "Softmax over exclusive classes, computed stably from the logits, with the gradient "
                         "softmax(z) - y; a one-hot row gives the same loss as its class index."),
        "wrong": [
            ("cross_entropy on softmax(logits)", "softmax_twice",
             "cross_entropy applies softmax itself: feeding it probabilities applies softmax twice and flattens the "
             "gradient."),
            ("mse between the one-hot labels and softmax(logits)", "mse_on_probs",
             "Squared error on probabilities has a vanishing gradient when the softmax saturates on the wrong class, "
             "and it is not the likelihood of the labels."),
            (f"bce_with_logits on each of the {k} logits", "independent_for_exclusive",
             "That treats the classes as independent tags: nothing makes the probabilities sum to 1, and an example "
             "can end up with two classes or none."),
        ],
        "hint": "Exactly one class per example and raw logits: which loss applies the softmax itself?",
    }


class ChooseClassificationLoss(_TaskChoice):
    """Probabilistic classification: multi-label tags, a rare positive class with decision costs, a teacher's soft
    targets, exclusive classes."""

    id = "choose.classification"
    skill = "choose.classification"
    title = "Choose a loss: classification with probabilities"
    first_hint = ("Ask whether the classes are exclusive (one per example) or independent (any number), whether the "
                  "model outputs logits or probabilities (losses on logits apply the sigmoid or softmax "
                  "themselves), and what the decision costs.")
    TASKS = {"multilabel": (_draw_multilabel, _build_multilabel), "imbalanced": (_draw_imbalanced, _build_imbalanced),
             "teacher": (_draw_teacher, _build_teacher), "exclusive": (_draw_exclusive, _build_exclusive)}


# ---------------------------------------------------------------------------------- margins
_STORED = {"01": ("0 and 1", "y = 2t - 1"), "bool": ("False and True", "y = 2t - 1 (True as 1)"),
           "12": ("1 and 2", "y = 2t - 3")}


def _draw_svm(rng):
    return {"stored": rng.choice(sorted(_STORED)), "domain": rng.choice(["spam", "defects", "churn"])}


def _build_svm(p):
    shown, convert = _STORED[p["stored"]]
    data = {"spam": "e-mails as spam or not", "defects": "welds as defective or sound",
            "churn": "customers as leaving or staying"}[p["domain"]]
    return {
        "text": f"You train a linear SVM-style classifier that labels {data}; the labels are stored as {shown}. You "
                "want a decision with a safety margin, not probabilities.",
        "right": (f"hinge, after converting the labels with {convert} to -1 and +1",
                  "The hinge max(0, 1 - y s) needs y in {-1, +1}: then examples with y s >= 1 cost nothing and the "
                  "support vectors carry the gradient."),
        "wrong": [
            ("hinge with the labels as stored", *(
                ("labels_not_pm1", "Labels 1 and 2 are both positive: the hinge reads every example as the positive "
                                   "class, so the two classes are never told apart.") if p["stored"] == "12" else
                ("labels_01_in_hinge", ("A label 0" if p["stored"] == "01" else "False, read as 0,")
                 + " makes the margin y s equal to 0 whatever the score, so every negative costs 1 with zero "
                   "gradient and the negatives are never learned."))),
            ("zero_one, the error rate itself", "metric_as_loss",
             "The 0-1 loss is piecewise constant: its gradient is 0 almost everywhere, so there is nothing to train "
             "on. The hinge is its convex surrogate."),
            ("mse between the score and the stored label", "mse_on_scores",
             "Squared error asks each score to equal its label, so a correct and confident score is penalised and "
             "far-away points pull the boundary. There is no margin in it."),
        ],
        "hint": "The hinge is written for labels -1 and +1. Which affine map takes the stored labels there?",
    }


def _draw_multiclass(rng):
    return {"c": rng.choice([3, 4, 5, 8, 10]), "rule": rng.choice(["strongest", "every"])}


def _build_multiclass(p):
    c = p["c"]
    if p["rule"] == "strongest":
        want = ("should put the true class ahead of its strongest rival by a margin of 1, as scikit-learn's "
                "hinge_loss measures")
        right = ("multiclass_hinge with variant='crammer_singer'",
                 "Crammer-Singer is max(0, 1 + max_{j≠c} s_j - s_c): only the strongest rival counts.")
        other = ("multiclass_hinge with variant='weston_watkins'", "other_variant",
                 "Weston-Watkins adds the hinge of every rival inside the margin, not only the strongest one.")
    else:
        want = ("should pay for every rival class that comes within a margin of 1 of the true class, one hinge per "
                "rival, summed")
        right = ("multiclass_hinge with variant='weston_watkins'",
                 "Weston-Watkins is the sum over j ≠ c of max(0, 1 + s_j - s_c): one hinge per rival inside the "
                 "margin (PyTorch's MultiMarginLoss is it divided by the number of classes).")
        other = ("multiclass_hinge with variant='crammer_singer'", "other_variant",
                 "Crammer-Singer keeps only the strongest rival's hinge; the others inside the margin cost nothing.")
    return {
        "text": f"A linear classifier scores {c} classes and {want}.",
        "right": right,
        "wrong": [
            other,
            ("the sum over all classes j, the true class included, of max(0, 1 + s_j - s_c)", "true_class_as_rival",
             "The term j = c is max(0, 1 + s_c - s_c) = 1 for every example: the true class is counted as its own "
             "rival. The rivals are the classes j ≠ c."),
            ("the binary hinge on the true class's score alone, with label +1", "ignored_rivals",
             "That pushes s_c above 1 but never compares it with the other scores: all of them could grow together "
             "and the ranking would not improve."),
        ],
        "hint": "Does the margin compare the true class with its strongest rival only, or with each rival?",
    }


_SMOOTH_WANT = {
    "squared_hinge": "exactly zero once an example is beyond the margin, differentiable everywhere, and growing "
                     "more than linearly with a violation",
    "hinge": "exactly zero once an example is beyond the margin and growing only linearly with a violation, so that "
             "a badly mislabelled example pulls no harder than a constant; a kink is acceptable",
    "logistic": "smooth everywhere and growing only linearly with a violation; it may stay slightly positive beyond "
                "the margin",
}
_SMOOTH_WHY = {
    "squared_hinge": "max(0, 1 - y s)^2 is 0 beyond the margin, its gradient -2y max(0, 1 - y s) is continuous at "
                     "y s = 1, and it grows quadratically with the violation.",
    "hinge": "max(0, 1 - y s) is 0 beyond the margin and its slope is at most 1 in size, whatever the violation.",
    "logistic": "log(1 + e^{-y s}) is smooth, never exactly zero, and its slope tends to 1 in size for large "
                "violations.",
}


def _draw_smooth(rng):
    return {"want": rng.choice(sorted(_SMOOTH_WANT))}


def _build_smooth(p):
    want = p["want"]
    feedback = {
        "squared_hinge": {"hinge": ("kink", "The hinge has a kink at y s = 1 and grows only linearly."),
                          "logistic": ("never_zero", "log(1 + e^{-y s}) is smooth but never exactly zero beyond the "
                                                     "margin, and it grows only linearly.")},
        "hinge": {"squared_hinge": ("quadratic_growth", "The squared hinge grows quadratically: a badly mislabelled "
                                                        "example pulls in proportion to its violation."),
                  "logistic": ("never_zero", "log(1 + e^{-y s}) is never exactly zero beyond the margin.")},
        "logistic": {"hinge": ("kink", "The hinge has a kink at y s = 1, where it is not differentiable."),
                     "squared_hinge": ("quadratic_growth", "The squared hinge grows quadratically with the "
                                                           "violation, not linearly.")},
    }[want]
    wrong = [(name, mistake, text) for name, (mistake, text) in feedback.items()]
    wrong.append((f"{want} with the labels mapped to 0 and 1", "labels_01_in_margin",
                  "Margin losses need labels -1 and +1: with y = 0 the margin y s is 0 whatever the score, so a "
                  "negative example has the same loss for every score and teaches nothing."))
    return {
        "text": f"You want a margin loss for labels -1/+1 that is {_SMOOTH_WANT[want]}.",
        "question": "Which lossref loss is it?",
        "right": (want, _SMOOTH_WHY[want]),
        "wrong": wrong,
        "hint": "Compare the three shapes beyond the margin (zero or not), at y s = 1 (kink or not) and for large "
                "violations (linear or quadratic).",
    }


class ChooseMarginLoss(_TaskChoice):
    """Margin classifiers: an SVM with stored labels to convert, a multiclass margin, the shape of a margin loss."""

    id = "choose.margin"
    skill = "choose.margin"
    title = "Choose a loss: margins"
    first_hint = ("Margin losses are functions of the margin: y·s for labels -1/+1, or s_c minus the rivals' scores "
                  "for several classes. Check the labels and what the margin should compare.")
    TASKS = {"svm": (_draw_svm, _build_svm), "multiclass": (_draw_multiclass, _build_multiclass),
             "smooth": (_draw_smooth, _build_smooth)}


# ---------------------------------------------------------------------------------- multi-task
# (task A, loss A, typical value A, task B, loss B in words, typical value B, what makes B's gradient what it is)
_PAIRS = (
    ("classification", "cross_entropy", 0.7, "box regression", "the mean absolute error in pixels", 35.0,
     "the absolute error's gradient is ±1/n per coordinate whatever the size of the error", (0.3, 0.9)),
    ("segmentation", "cross_entropy", 1.2, "depth", "mse in millimetres", 4000.0,
     "the squared error's gradient grows with the residual, about the square root of the loss, not with the loss",
     (20.0, 80.0)),
    ("click prediction", "bce_with_logits", 0.05, "rating", "mse in stars", 1.1,
     "the squared error's gradient grows with the residual, about the square root of the loss, not with the loss",
     (0.5, 2.0)),
    ("species classification", "cross_entropy", 0.9, "age estimation", "the mean absolute error in years", 6.0,
     "the absolute error's gradient is ±1/n whatever the size of the error", (0.3, 0.9)),
)


def _draw_multitask(rng):
    pair = rng.randrange(len(_PAIRS))
    lo, hi = _PAIRS[pair][7]
    value_a = _PAIRS[pair][2]
    return {"pair": pair, "ga": float(f"{rng.uniform(0.2, 1.5) * (0.3 if value_a < 0.1 else 1.0):.2g}"),
            "gb": float(f"{rng.uniform(lo, hi):.2g}"), "scale": rng.choice([0.8, 1.0, 1.25])}


def _ratio(x: float) -> str:
    return f(x, 2)


def _build_multitask(p):
    a, loss_a, va, b, loss_b, vb, why, _ = _PAIRS[p["pair"]]
    va, vb = va * p["scale"], vb * p["scale"]
    by_grad, by_value = p["ga"] / p["gb"], va / vb
    ka, kb = a[0].upper(), b[0].upper()
    return {
        "text": f"A network with shared layers has a {a} head trained with {loss_a} (L_{ka}, about {f(va, 2)} per "
                f"batch) and a {b} head trained with {loss_b} (L_{kb}, about {f(vb, 2)} per batch). Both tasks matter. Over a few "
                f"batches the unweighted losses' gradients with respect to the shared features h have the norms "
                f"‖∂L_{ka}/∂h‖ ≈ {p['ga']:g} and ‖∂L_{kb}/∂h‖ ≈ {p['gb']:g}.",
        "question": f"Keeping the weight 1 on L_{ka}, which weight λ_{kb} on L_{kb} do you start from "
                    "(before tuning it on both tasks' validation metrics)?",
        "right": (f"λ_{kb} ≈ {_ratio(by_grad)}",
                  f"The shared layers receive ∂L_{ka}/∂h + λ_{kb} ∂L_{kb}/∂h. With λ_{kb} = {p['ga']:g} / {p['gb']:g} "
                  f"≈ {_ratio(by_grad)} the two weighted gradient norms are equal, so both tasks have a similar say "
                  "in what the shared layers learn."),
        "wrong": [
            (f"λ_{kb} ≈ {_ratio(by_value)}", "values_for_gradients",
             f"That matches the loss values, {f(va, 2)} / {f(vb, 2)}: only a first proxy, and here it misleads, "
             f"because {why}. With this λ the {b} task would send {f(by_value * p['gb'] / p['ga'], 2)} times the "
             f"{a} task's gradient norm into the shared layers, instead of about the same."),
            (f"λ_{kb} ≈ {_ratio(1 / by_grad)}", "ratio_inverted",
             f"That is {p['gb']:g} / {p['ga']:g}, the ratio upside down: it gives the larger weight to the task "
             "whose gradient is already larger, and the imbalance gets worse."),
            (f"λ_{kb} = 1, the unweighted sum", "unweighted_multitask",
             f"Unweighted, the {b} task sends {f(p['gb'] / p['ga'], 2)} times the {a} task's gradient norm into the "
             "shared layers."),
            ("no λ: train on the product of the two losses", "product_of_losses",
             "Each task's gradient is then scaled by the other task's loss, so the balance drifts by itself during "
             "training and a task that improves starves the other."),
        ],
        "hint": f"Compare λ ‖∂L/∂h‖ for the two tasks: which λ makes them equal? The values {f(va, 2)} and "
                f"{f(vb, 2)} do not enter.",
    }


class ChooseMultiTask(_TaskChoice):
    """Several tasks on different scales: weight them by their gradients at the shared layer, not by their values."""

    id = "choose.multitask"
    skill = "choose.multitask"
    title = "Choose a loss: several tasks at once"
    first_hint = ("The gradient reaching the shared layers is the sum over the tasks of λ_k ∂L_k/∂h. What has to be comparable "
                  "is each task's weighted gradient there; a loss's value does not fix the size of its gradient.")
    TASKS = {"pair": (_draw_multitask, _build_multitask)}

    def acceptable(self, p):
        _, _, va, _, _, vb, _, _ = _PAIRS[p["pair"]]
        candidates = [p["ga"] / p["gb"], va / vb, p["gb"] / p["ga"], 1.0]
        return all(max(x, y) / min(x, y) > 1.5 for i, x in enumerate(candidates) for y in candidates[i + 1:])


# ---------------------------------------------------------------------------------- derivations: decisions
class CostThreshold(NumericExercise):
    """The Bayes decision on a calibrated probability p: flag when p (c_FN - c_TP) > (1 - p)(c_FP - c_TN), so the
    threshold is (c_FP - c_TN) / ((c_FP - c_TN) + (c_FN - c_TP))."""

    id = "choose.cost_threshold"
    skill = "choose.threshold"
    title = "The decision threshold from costs"
    depth = "derive"

    def make_params(self, rng):
        return {"c_fp": rng.choice([1.0, 2.0, 5.0, 10.0]), "c_fn": rng.choice([20.0, 50.0, 100.0, 200.0, 500.0]),
                "c_tp": rng.choice([0.0, 0.0, 1.0, 2.0, 5.0]), "domain": rng.randrange(len(_SCREENING))}

    def statement(self, p):
        what, unit, miss, alarm = _SCREENING[p["domain"]]
        tp = (f" Acting on a true positive still costs $c_{{TP}} = {p['c_tp']:g}$ (the follow-up work)" if p["c_tp"]
              else " A correctly flagged case costs nothing")
        return (f"{what}. Its probabilities are calibrated: of the cases to which it gives the probability $p$, a "
                "fraction $p$ are positive. "
                f"{miss[0].upper() + miss[1:]} costs $c_{{FN}} = {p['c_fn']:g}$ and {alarm} costs "
                f"$c_{{FP}} = {p['c_fp']:g}$.{tp}; a correct 'no' costs nothing. Above which probability $t$ "
                f"does flagging a {unit} have the smaller expected cost?")

    def correct(self, p):
        fp, fn = p["c_fp"], p["c_fn"] - p["c_tp"]
        return fp / (fp + fn)

    def mistakes(self, p):
        fp, fn, tp = p["c_fp"], p["c_fn"], p["c_tp"]
        found = [
            Mistake("costs_swapped", (fn - tp) / (fp + fn - tp),
                    r"The costs are swapped: flagging costs $(1 - p) c_{FP}$ in expectation and not flagging costs "
                    r"$p\, c_{FN}$, so the threshold is $c_{FP} / (c_{FP} + c_{FN})$, small when misses are dear."),
            Mistake("ratio_not_fraction", fp / (fn - tp),
                    r"That is the cost ratio. Setting $p\,(c_{FN} - c_{TP}) = (1 - p)\, c_{FP}$ and solving for $p$ "
                    r"gives $c_{FP} / (c_{FP} + c_{FN} - c_{TP})$."),
            Mistake("default_half", 0.5,
                    "0.5 is the threshold when both errors cost the same. Here they do not."),
        ]
        if tp:
            found.append(Mistake("ignored_tp_cost", fp / (fp + fn),
                                 r"A flagged positive still costs $c_{TP}$, so flagging saves $c_{FN} - c_{TP}$, not "
                                 r"$c_{FN}$, on a positive: $t = c_{FP} / (c_{FP} + c_{FN} - c_{TP})$."))
        return found

    def hints(self, problem):
        return [
            r"For a calibrated $p$, the expected cost of flagging is $p\, c_{TP} + (1 - p)\, c_{FP}$ and that of not "
            r"flagging is $p\, c_{FN}$.",
            r"Flag where the first is smaller: $(1 - p)\, c_{FP} < p\,(c_{FN} - c_{TP})$. Solve the equality for $p$.",
        ]

    def steps(self, p):
        fp, fn, tp = p["c_fp"], p["c_fn"], p["c_tp"]
        return [
            (f"Flagging costs ${tp:g}\\,p + {fp:g}\\,(1 - p)$" if tp else f"Flagging costs ${fp:g}\\,(1 - p)$")
            + f" in expectation; not flagging costs ${fn:g}\\,p$.",
            f"They are equal where ${fp:g}\\,(1 - p) = {f(fn - tp)}\\,p$, so "
            f"$t = {fp:g} / ({fp:g} + {f(fn - tp)}) = {f(self.correct(p))}$.",
            "Flag above $t$. The threshold moves the decision; the model itself can stay trained on the unweighted "
            "cross-entropy, whose minimiser is the calibrated probability.",
        ]


class PriorCorrection(NumericExercise):
    """A calibrated model trained at prevalence pi, deployed at prevalence pi': shift its logit by
    log(pi'/(1 - pi')) - log(pi/(1 - pi)) (the class-conditional densities assumed unchanged)."""

    id = "choose.prior_correction"
    skill = "choose.prior_shift"
    title = "Correcting probabilities for a new prevalence"
    depth = "derive"

    def make_params(self, rng):
        return {"pi": rng.choice([0.5, 0.5, 0.25, 0.2]), "pi_new": rng.choice([0.01, 0.02, 0.05, 0.1]),
                "p": rng.choice([0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95])}

    def statement(self, p):
        how = ("rebalanced so that half of its cases are positive" if p["pi"] == 0.5 else
               f"drawn so that {_pct(p['pi'])} of its cases are positive")
        return (f"A classifier was trained with unweighted cross-entropy on a sample {how}, and it is calibrated on "
                f"that sample. In deployment only {_pct(p['pi_new'])} of the cases are positive; what distinguishes a "
                "positive from a negative (the distribution of the features within each class) is unchanged. For one "
                f"case the model outputs $\\hat p = {p['p']:g}$. What is the probability that this case is positive "
                "in deployment?")

    def _shift(self, p):
        return math.log(p["pi_new"] / (1 - p["pi_new"])) - math.log(p["pi"] / (1 - p["pi"]))

    def correct(self, p):
        z = math.log(p["p"] / (1 - p["p"]))
        return M.sigmoid(z + self._shift(p))

    def mistakes(self, p):
        z = math.log(p["p"] / (1 - p["p"]))
        return [
            Mistake("no_correction", p["p"],
                    "That is the model's output on the training prevalence. By Bayes' rule the posterior odds are the "
                    "likelihood ratio times the prior odds, and the prior odds have changed."),
            Mistake("shift_reversed", M.sigmoid(z - self._shift(p)),
                    r"The shift goes the other way: add $\log\frac{\pi'}{1 - \pi'} - \log\frac{\pi}{1 - \pi}$, which "
                    "is negative when positives are rarer in deployment."),
            Mistake("scaled_probability", p["p"] * p["pi_new"] / p["pi"],
                    r"Scaling the probability by $\pi'/\pi$ forgets to renormalise: it is the odds that scale, by "
                    r"$\frac{\pi'/(1 - \pi')}{\pi/(1 - \pi)}$, and the negatives' share changes too."),
        ]

    def hints(self, problem):
        return [
            r"Bayes' rule in odds: $\frac{P(y = 1 \mid x)}{P(y = 0 \mid x)} = \frac{p(x \mid 1)}{p(x \mid 0)} \cdot "
            r"\frac{\pi}{1 - \pi}$. Only the prior odds change between training and deployment.",
            r"So the logit moves by $\log\frac{\pi'}{1 - \pi'} - \log\frac{\pi}{1 - \pi}$: "
            r"$\hat p' = \sigma\big(\operatorname{logit} \hat p + \log\frac{\pi'}{1 - \pi'} - "
            r"\log\frac{\pi}{1 - \pi}\big)$.",
        ]

    def steps(self, p):
        z = math.log(p["p"] / (1 - p["p"]))
        shift = self._shift(p)
        return [
            f"$\\operatorname{{logit}} \\hat p = \\log({p['p']:g} / {f(1 - p['p'])}) = {f(z)}$.",
            f"The prior odds change by $\\log\\frac{{{p['pi_new']:g}}}{{{f(1 - p['pi_new'])}}} - "
            f"\\log\\frac{{{p['pi']:g}}}{{{f(1 - p['pi'])}}} = {f(shift)}$.",
            f"$\\hat p' = \\sigma({f(z)} + ({f(shift)})) = \\sigma({f(z + shift)}) = {f(self.correct(p))}$.",
        ]


EXERCISES = [ChooseRegressionLoss(), ChooseClassificationLoss(), ChooseMarginLoss(), ChooseMultiTask(),
             CostThreshold(), PriorCorrection()]
