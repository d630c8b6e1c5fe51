"""Exercises of session 6, the capstone: choosing a loss for a task, with the misconception behind each wrong pick."""

from __future__ import annotations

from ._core import ChoiceExercise

__all__ = ["ChooseRegressionLoss", "ChooseClassificationLoss", "ChooseMarginLoss", "ChooseMultiTask"]


class _TaskChoice(ChoiceExercise):
    """A task drawn from ``TASKS`` -> the right lossref loss; each wrong option names its misconception.

    Each task has: ``text`` (the situation), ``right`` (option text, why), ``wrong`` (option text, mistake id,
    feedback) rows, and ``hint`` (a task-specific second hint).
    """

    TASKS: dict[str, dict] = {}
    question = "Which loss do you train it with?"
    first_hint = ""

    def make_params(self, rng):
        return {"task": rng.choice(sorted(self.TASKS))}

    def statement(self, p):
        task = self.TASKS[p["task"]]
        return f"{task['text']} {task.get('question', self.question)}"

    def options(self, p):
        task = self.TASKS[p["task"]]
        text, why = task["right"]
        return [(text, None, why)] + [tuple(row) for row in task["wrong"]]

    def hints(self, problem):
        return [self.first_hint, self.TASKS[problem.params["task"]]["hint"]]

    def steps(self, p):
        task = self.TASKS[p["task"]]
        text, why = task["right"]
        return [f"Right: {text}. {why}"] + [f"Not {wrong}. {feedback}" for wrong, _, feedback in task["wrong"]]


# ---------------------------------------------------------------------------------- regression
class ChooseRegressionLoss(_TaskChoice):
    """Real-valued targets: outliers, counts, a quantile forecast, a prediction with its uncertainty."""

    id = "choose.regression"
    skill = "choose.regression"
    title = "Choose a loss: real-valued targets"
    first_hint = ("First ask which property of the target's distribution the model should predict: the mean, "
                  "the median, a quantile, an expected count, or a mean with its spread.")
    TASKS = {
        "outliers": {
            "text": "A model predicts delivery times in minutes. Most errors are a few minutes, but about 1% of the "
                    "logged times are wrong by several hours because of a scanner fault. You want predictions close "
                    "to the typical delivery time that the bad rows cannot drag.",
            "right": ("huber, with delta of a few minutes (log_cosh is similar without a threshold)",
                      "Huber is quadratic for small residuals and linear beyond delta, so each bad row's gradient is "
                      "capped at delta instead of growing with its error."),
            "wrong": [
                ("mse", "mse_with_outliers",
                 "Squared error grows with the square of the residual: the few errors of several hours contribute "
                 "most of the loss and of the gradient, and pull the fit towards them."),
                ("quantile with tau = 0.99", "quantile_not_mean",
                 "That estimates the 99th percentile, an upper bound that is exceeded one time in a hundred, not the "
                 "typical delivery time."),
                ("poisson_nll", "counts_loss_on_reals",
                 "The Poisson likelihood is for counts, with the model predicting a log-rate. Delivery times are "
                 "continuous, and nothing in it limits the pull of the bad rows."),
            ],
            "hint": "Which loss grows only linearly for large residuals but stays smooth near 0?",
        },
        "counts": {
            "text": "A model predicts how many support tickets arrive in each hour (0, 1, 2, ...). Its last layer "
                    "outputs one real number, read as the logarithm of the expected rate.",
            "right": ("poisson_nll with log_input=True",
                      "It is the likelihood of a count under a Poisson rate e^η, takes the log-rate the model "
                      "outputs, and its minimiser is the expected count; its gradient is e^η - y."),
            "wrong": [
                ("mse between the output and the count", "mse_on_log_rate",
                 "That compares a log-rate with a count, two different scales: the output is no longer the log "
                 "of anything, and squared error treats 0 → 2 like 100 → 102."),
                ("cross_entropy over the classes 0, 1, ..., 50", "counts_as_classes",
                 "Counts are ordered: cross-entropy treats them as unrelated classes, so predicting 7 for a true 8 "
                 "costs as much as predicting 0, and counts above 50 cannot be predicted at all."),
                ("bce_with_logits on whether any ticket arrived", "binary_for_counts",
                 "That throws away how many tickets arrived: the model learns P(y > 0), not the expected count."),
            ],
            "hint": "The target is a non-negative integer and the output is a log-rate: which likelihood fits counts?",
        },
        "quantile": {
            "text": "A power-grid operator needs, for each hour of tomorrow, an upper bound on the load that is "
                    "exceeded only 5% of the time.",
            "right": ("quantile with tau = 0.95",
                      "The pinball loss at tau is minimised by the tau-quantile: under-prediction costs tau per unit "
                      "and over-prediction 1 - tau, so at tau = 0.95 the forecast sits above 95% of the outcomes."),
            "wrong": [
                ("quantile with tau = 0.05", "tau_swapped",
                 "tau = 0.05 gives the 5% quantile, a lower bound exceeded 95% of the time. The bound exceeded 5% "
                 "of the time is the 95% quantile."),
                ("mse, then add 5% to each forecast", "mean_not_quantile",
                 "MSE estimates the mean. Adding 5% does not turn it into a quantile: how often the bound is "
                 "exceeded then depends on the spread of the noise, which changes from hour to hour."),
                ("mae", "median_not_quantile",
                 "MAE estimates the median, which is exceeded half the time, not 5% of the time."),
            ],
            "hint": "The pinball loss at level tau is minimised by the tau-quantile. Which quantile is exceeded 5% "
                    "of the time?",
        },
        "uncertainty": {
            "text": "A model predicts the price of a house and must also say how uncertain that prediction is; the "
                    "noise is much larger for expensive houses. The network has two outputs per house.",
            "right": ("gaussian_nll, with the second output as the predicted variance var",
                      "The Gaussian likelihood fits the mean and the variance together: a large residual costs less "
                      "where the model predicts a large variance, and the log-variance term stops it from "
                      "predicting a huge variance everywhere."),
            "wrong": [
                ("mse on the price, ignoring the second output", "no_uncertainty",
                 "That fits the mean price but trains nothing that says how uncertain it is."),
                ("gaussian_nll with var fixed at 1", "fixed_variance",
                 "With a constant variance the Gaussian NLL is half the squared error plus a constant: the same as "
                 "MSE, with no uncertainty learned."),
                ("huber on the price", "robust_not_uncertainty",
                 "Huber makes the fit robust to large residuals, but it still predicts one number per house and no "
                 "uncertainty."),
            ],
            "hint": "Which loss is the likelihood of the target under a predicted mean and a predicted variance?",
        },
    }


# ---------------------------------------------------------------------------------- classification
class ChooseClassificationLoss(_TaskChoice):
    """Probabilistic classification: multi-label tags, a rare positive class, a teacher's soft targets,
    exclusive classes."""

    id = "choose.classification"
    skill = "choose.classification"
    title = "Choose a loss: classification with probabilities"
    first_hint = ("Ask two questions: are the classes exclusive (one per example) or independent (any number), and "
                  "does the model output logits or probabilities? Losses on logits apply the sigmoid or softmax "
                  "themselves.")
    TASKS = {
        "multilabel": {
            "text": "Photos are tagged with any subset of 20 tags (beach, dog, night, ...), so a photo can have "
                    "several tags or none. The network outputs 20 logits per photo.",
            "right": ("bce_with_logits on the 20 logits, one independent yes/no problem per tag",
                      "Each tag gets its own sigmoid probability, so several tags can be near 1 at once; "
                      "pos_weight can take one weight per tag."),
            "wrong": [
                ("cross_entropy over the 20 logits", "exclusive_for_multilabel",
                 "Softmax makes the tags compete for one unit of probability: a dog on a beach cannot have both "
                 "tags near 1. Cross-entropy is for exclusive classes."),
                ("bce on softmax(logits)", "softmax_for_multilabel",
                 "Softmax couples the tags so that their probabilities sum to 1 across the 20 tags; the tags are "
                 "independent. Apply a sigmoid per tag, which bce_with_logits does itself."),
                ("mse between the logits and the 0/1 tags", "mse_on_logits",
                 "MSE on logits asks for a logit of exactly 0 or 1 and penalises a confident, correct logit. Logits "
                 "are not probabilities."),
            ],
            "hint": "Tags are not exclusive: which loss treats each column as its own binary problem?",
        },
        "imbalanced": {
            "text": "A screening model flags a rare condition present in 1 patient out of 500; it outputs one logit "
                    "per patient. Missing a case is far worse than a false alarm.",
            "right": ("bce_with_logits with pos_weight (start near the 499:1 ratio and tune it), or focal",
                      "Weighting the positive term makes each rare case count as much as many negatives; focal loss "
                      "instead down-weights the many easy negatives."),
            "wrong": [
                ("bce_with_logits, unweighted", "forgot_weights",
                 "The 499 negatives dominate the loss: a model that always says 'healthy' reaches a low loss and "
                 "99.8% accuracy while missing every case."),
                ("hinge with the labels 0 and 1 as stored", "labels_01_in_hinge",
                 "The hinge needs labels -1 and +1. A label 0 gives max(0, 1 - 0·s) = 1 whatever the score, with zero "
                 "gradient: the negatives are never learned."),
                ("mse between the logit and the 0/1 label", "mse_on_logits",
                 "MSE on a logit asks for a logit of exactly 0 or 1 and does nothing about the imbalance."),
            ],
            "hint": "The loss should see the logit and give the rare positives more weight. Which lossref parameter "
                    "does that?",
        },
        "teacher": {
            "text": "A small student network is distilled from a large teacher: for each image the teacher gives a "
                    "probability distribution over 100 classes, and the student outputs 100 logits.",
            "right": ("kl_divergence with the teacher's probabilities as the target and the student's logits as the "
                      "prediction (or cross_entropy with probability rows)",
                      "Both fit the student's softmax to the whole teacher distribution, with the gradient "
                      "softmax(z) - y; KL is 0 at a perfect match."),
            "wrong": [
                ("cross_entropy with the teacher's most likely class as a hard label", "hard_labels",
                 "That throws away the teacher's other probabilities, which say how similar the classes are: they "
                 "are what distillation transfers."),
                ("cross_entropy with the teacher's probabilities and softmax(student logits)", "softmax_twice",
                 "cross_entropy applies softmax to its prediction itself: passing softmax(logits) applies it twice "
                 "and flattens the student's distribution."),
                ("mse between the student's logits and the teacher's probabilities", "mse_on_logits",
                 "That compares logits with probabilities, two different scales: the student's logits would be "
                 "pushed into [0, 1] instead of its probabilities matching the teacher's."),
            ],
            "hint": "The target is a whole distribution, not one class. Which loss compares two distributions and "
                    "takes logits?",
        },
        "exclusive": {
            "text": "A digit recogniser assigns each image to exactly one of 10 classes; the network outputs 10 "
                    "logits per image and the labels are class indices 0-9.",
            "right": ("cross_entropy on the logits with the integer labels",
                      "Softmax over exclusive classes, computed stably from the logits, with the gradient "
                      "softmax(z) - y."),
            "wrong": [
                ("cross_entropy on softmax(logits)", "softmax_twice",
                 "cross_entropy applies softmax itself: feeding it probabilities applies softmax twice and "
                 "flattens the gradient."),
                ("mse between the one-hot labels and softmax(logits)", "mse_on_probs",
                 "Squared error on probabilities has a vanishing gradient when the softmax saturates on the wrong "
                 "class, and it is not the likelihood of the labels."),
                ("bce_with_logits on each of the 10 logits", "independent_for_exclusive",
                 "That treats the classes as independent tags: nothing makes the probabilities sum to 1, and an "
                 "image can end up with two classes or none."),
            ],
            "hint": "Exactly one class per example and raw logits: which loss applies the softmax itself?",
        },
    }


# ---------------------------------------------------------------------------------- margins
class ChooseMarginLoss(_TaskChoice):
    """Margin classifiers: an SVM with 0/1 labels, a multiclass margin, a smooth margin loss."""

    id = "choose.margin"
    skill = "choose.margin"
    title = "Choose a loss: margins"
    first_hint = ("Margin losses are functions of the margin: y·s for labels -1/+1, or s_c minus the rivals' scores "
                  "for several classes. Check the labels and what the margin should compare.")
    TASKS = {
        "svm": {
            "text": "You train a linear SVM-style classifier on a dataset whose labels are stored as 0 and 1. You "
                    "want a decision with a safety margin, not probabilities.",
            "right": ("hinge, after converting the labels with y = 2t - 1 to -1 and +1",
                      "The hinge max(0, 1 - y s) needs y in {-1, +1}: then examples with y s >= 1 cost nothing and "
                      "the support vectors carry the gradient. lossref refuses 0/1 labels for this reason."),
            "wrong": [
                ("hinge with the 0/1 labels as stored", "labels_01_in_hinge",
                 "A label 0 makes the margin y s = 0 whatever the score, so every negative costs 1 with zero "
                 "gradient: the negatives are never learned."),
                ("zero_one, the error rate itself", "metric_as_loss",
                 "The 0-1 loss is piecewise constant: its gradient is 0 almost everywhere, so there is nothing to "
                 "train on. The hinge is its convex surrogate."),
                ("mse between the score and the 0/1 label", "mse_on_scores",
                 "Squared error asks each score to equal its label, so a correct and confident score is penalised "
                 "and far-away points pull the boundary. There is no margin in it."),
            ],
            "hint": "The hinge is written for labels -1 and +1. What happens to max(0, 1 - y s) when y = 0?",
        },
        "multiclass": {
            "text": "A linear classifier scores 5 classes and should put the true class ahead of its strongest rival "
                    "by a margin of 1, as scikit-learn's hinge_loss measures.",
            "right": ("multiclass_hinge with variant='crammer_singer'",
                      "Crammer-Singer is max(0, 1 + max_{j≠c} s_j - s_c): only the strongest rival counts, which is "
                      "what scikit-learn's hinge_loss computes."),
            "wrong": [
                ("multiclass_hinge with variant='weston_watkins'", "other_variant",
                 "Weston-Watkins adds the hinge of every rival inside the margin, not only the strongest one "
                 "(PyTorch's MultiMarginLoss is it divided by the number of classes)."),
                ("the sum over all classes j, the true class included, of max(0, 1 + s_j - s_c)", "true_class_as_rival",
                 "The term j = c is max(0, 1 + s_c - s_c) = 1 for every example: the true class is counted as its own "
                 "rival. The rivals are the classes j ≠ c."),
                ("the binary hinge on the true class's score alone, with label +1", "ignored_rivals",
                 "That pushes s_c above 1 but never compares it with the other scores: all of them could grow "
                 "together and the ranking would not improve."),
            ],
            "hint": "'Ahead of its strongest rival' means the max over the other classes. Which variant takes it?",
        },
        "smooth": {
            "text": "You want a margin loss for labels -1/+1 that is exactly zero once an example is beyond the "
                    "margin, yet differentiable everywhere, and that penalises violations more than linearly.",
            "question": "Which lossref loss is it?",
            "right": ("squared_hinge",
                      "max(0, 1 - y s)^2 is 0 beyond the margin, has the gradient -2y max(0, 1 - y s), which is "
                      "continuous at y s = 1, and grows quadratically with the violation."),
            "wrong": [
                ("hinge", "kink",
                 "The hinge has a kink at y s = 1 where it is not differentiable, and it grows only linearly."),
                ("logistic", "never_zero",
                 "log(1 + e^{-y s}) is smooth but never exactly zero: every example keeps a small loss and gradient, "
                 "however far beyond the margin."),
                ("squared_hinge with the labels mapped to 0 and 1", "labels_01_in_hinge",
                 "The squared hinge, like the hinge, needs labels -1 and +1: with y = 0 a negative example costs 1 "
                 "whatever its score, with zero gradient."),
            ],
            "hint": "Squaring max(0, 1 - y s) removes the kink and keeps the flat zero beyond the margin.",
        },
    }


# ---------------------------------------------------------------------------------- multi-task
class ChooseMultiTask(_TaskChoice):
    """Several tasks on different scales: weight them so that neither drowns the other."""

    id = "choose.multitask"
    skill = "choose.multitask"
    title = "Choose a loss: several tasks at once"
    question = "How do you combine the two losses?"
    first_hint = ("The gradient reaching the shared layers is the weighted sum of the tasks' gradients. Compare "
                  "the sizes of the two losses.")
    TASKS = {
        "detection": {
            "text": "A detector has a classification head trained with cross_entropy (about 0.7 per batch) and a box "
                    "head trained with an absolute error in pixels (about 35 per batch). Both tasks matter.",
            "right": ("lr.combine with weights that bring the two terms to a similar size (λ_box around 0.02), then "
                      "tuned on both tasks' validation metrics",
                      "The weights put a loss in pixels and a loss in nats on one scale, so neither task supplies "
                      "almost all of the gradient."),
            "wrong": [
                ("the unweighted sum L_cls + L_box", "unweighted_multitask",
                 "The box loss is about 50 times the classification loss: it supplies almost all of the gradient "
                 "and the classifier is barely trained."),
                ("the product L_cls · L_box", "product_of_losses",
                 "Each task's gradient is then scaled by the other task's loss, so the balance shifts by itself "
                 "during training and a task that improves starves the other."),
                ("λ_box = 1 and λ_cls = 0.02", "weights_swapped",
                 "That shrinks the already small classification term further: the weights go the wrong way and "
                 "make the imbalance worse."),
            ],
            "hint": "About 35 against about 0.7: what weight would make the box term comparable to the other?",
        },
        "depth": {
            "text": "A network predicts per-pixel depth, trained with mse in millimetres (about 4000 per batch), and a "
                    "segmentation map, trained with cross_entropy (about 1.2 per batch).",
            "right": ("lr.combine with weights that bring the two terms to a similar size (λ_depth around 3e-4, "
                      "so that 4000 becomes about 1.2), then tuned on both tasks",
                      "Rescaling removes the arbitrary unit of the depth loss; tuning then sets the trade-off."),
            "wrong": [
                ("the unweighted sum L_depth + L_seg", "unweighted_multitask",
                 "The depth loss is thousands of times the segmentation loss: it supplies almost all of the gradient "
                 "and segmentation is barely trained."),
                ("the product L_depth · L_seg", "product_of_losses",
                 "Each task's gradient is then scaled by the other task's loss, so the balance shifts by itself "
                 "during training and a task that improves starves the other."),
                ("λ_depth = 1 and λ_seg = 3e-4", "weights_swapped",
                 "That shrinks the already small segmentation term further: the weights go the wrong way."),
            ],
            "hint": "The depth loss depends on the unit of depth. Millimetres squared against nats: what brings them "
                    "to one scale?",
        },
        "recommender": {
            "text": "A recommender predicts star ratings, trained with mse (about 1.1 per batch), and whether the user "
                    "clicks, trained with bce_with_logits (about 0.05 per batch, because clicks are rare and easy "
                    "to predict as 'no').",
            "right": ("lr.combine with a larger weight on the click loss (λ_click around 20) and pos_weight for the "
                      "rare clicks, then tuned on both tasks",
                      "The weights make the click term comparable to the rating term, and pos_weight stops the "
                      "click loss from being small only because clicks are rare."),
            "wrong": [
                ("the unweighted sum L_rating + L_click", "unweighted_multitask",
                 "The rating loss is about 20 times the click loss: it supplies almost all of the gradient and the "
                 "click task is barely trained."),
                ("the product L_rating · L_click", "product_of_losses",
                 "Each task's gradient is then scaled by the other task's loss, so the balance shifts by itself "
                 "during training and a task that improves starves the other."),
                ("λ_rating = 20 and λ_click = 1", "weights_swapped",
                 "That gives the larger weight to the task that already dominates: the weights go the wrong way."),
            ],
            "hint": "About 1.1 against about 0.05: which term needs the larger weight?",
        },
    }


EXERCISES = [ChooseRegressionLoss(), ChooseClassificationLoss(), ChooseMarginLoss(), ChooseMultiTask()]
