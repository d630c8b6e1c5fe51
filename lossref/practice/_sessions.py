"""The course's sessions and the skills each one trains."""

from __future__ import annotations

from dataclasses import dataclass

from ._registry import exercises

# Each exercise module belongs to one session of the course; a session may have several modules
# (its apply exercises and its derivations, say).
MODULE_SESSION = {
    "ex_prerequisites": 0,
    "ex_risk": 1,
    "ex_risk_derivations": 1,
    "ex_regression": 2,
    "ex_regression_derivations": 2,
    "ex_likelihood": 3,
    "ex_probabilistic": 4,
    "ex_probabilistic_derivations": 4,
    "ex_stability": 5,
    "ex_stability_derivations": 5,
    "ex_margin": 6,
    "ex_margin_derivations": 6,
    "ex_custom": 7,
    "ex_custom_derivations": 7,
    "ex_metric_surrogates": 7,
    "ex_calibration": 8,
    "ex_choosing": 9,
    "ex_decisions": 9,
    "ex_noise": 9,
    "ex_sequences": 10,
    "ex_embeddings": 10,
}
TITLES = (
    "Prerequisites: logarithms, the chain rule, sigmoid and softmax, entropy and KL",
    "Loss, risk and metric",
    "Regression losses",
    "What a regression loss estimates: minimisers and likelihoods",
    "Binary and softmax cross-entropy",
    "Label smoothing, focal loss, KL divergence and stable log-sum-exp",
    "Margin losses",
    "Custom losses",
    "Calibration and proper scoring rules",
    "Choosing a loss",
    "Losses for structured outputs",
)

SHORT_TITLES = ("Prerequisites", "Loss, risk and metric", "Regression losses", "Minimisers and likelihoods",
                "Cross-entropy", "Smoothing, focal, KL", "Margin losses", "Custom losses", "Calibration",
                "Choosing a loss", "Structured outputs")
# What each skill is, in a few words, for the learner's dashboard.
SKILL_TITLES = {
    "prereq.logs": "Rules of logarithms",
    "prereq.chain_rule": "The chain rule",
    "prereq.sigmoid": "The sigmoid and its derivative",
    "prereq.softmax": "The softmax",
    "prereq.entropy": "Entropy",
    "prereq.kl": "KL divergence",
    "risk.empirical": "Empirical risk",
    "risk.gradient": "Gradient of the risk",
    "risk.weighted": "Weighted risk",
    "risk.loss_vs_metric": "Loss or metric",
    "risk.minibatch": "Mini-batch gradients",
    "risk.backprop": "Gradients through a model",
    "mse.value": "Mean squared error",
    "mse.grad": "Gradient of MSE",
    "mae.grad": "Gradient of MAE",
    "huber.value": "Huber loss",
    "huber.grad": "Gradient of Huber",
    "quantile.value": "Quantile (pinball) loss",
    "log_cosh.grad": "Gradient of log-cosh",
    "regression.minimiser": "Best constant prediction",
    "poisson_nll.value": "Poisson negative log-likelihood",
    "poisson_nll.grad": "Gradient of Poisson NLL",
    "gaussian_nll.value": "Gaussian negative log-likelihood",
    "gaussian_nll.grad": "Gradients of Gaussian NLL",
    "likelihood.mle": "Maximum-likelihood estimates",
    "bce.value": "Binary cross-entropy",
    "bce.grad": "Gradient of BCE in the logit",
    "cross_entropy.value": "Softmax cross-entropy",
    "stability.bce": "Stable BCE on logits",
    "bce.newton": "A Newton step for logistic regression",
    "cross_entropy.linear_grad": "Cross-entropy gradient through a linear layer",
    "bce.minimiser": "The logit that minimises BCE",
    "cross_entropy.grad": "Gradient of cross-entropy",
    "cross_entropy.smoothing": "Label smoothing in cross-entropy",
    "focal.value": "Focal loss",
    "kl.value": "KL to a soft target",
    "stability.logsumexp": "Stable log-sum-exp",
    "stability.softmax": "Stable softmax",
    "cross_entropy.hessian": "Hessian of cross-entropy",
    "hinge.value": "Hinge loss",
    "hinge.grad": "Hinge subgradient",
    "squared_hinge.grad": "Gradient of squared hinge",
    "logistic.value": "Logistic loss",
    "multiclass_hinge.value": "Multiclass hinge",
    "margin.minimiser": "Minimisers of margin losses",
    "margin.calibration": "Classification-calibrated margin losses",
    "custom.weighted_bce": "Weighted BCE",
    "custom.class_weights": "Class weights",
    "custom.multitask": "Multi-task losses",
    "custom.label_smoothing": "Label-smoothed targets",
    "custom.surrogate": "Surrogate losses",
    "custom.grad_check": "A custom loss with a checked gradient",
    "calibration.ece": "Expected calibration error",
    "calibration.brier": "The Brier score and its decomposition",
    "calibration.temperature": "Temperature scaling",
    "scoring.proper": "Proper scoring rules",
    "scoring.bregman": "Bregman divergences",
    "choose.regression": "Choosing a regression loss",
    "choose.classification": "Choosing a classification loss",
    "choose.margin": "Choosing a margin loss",
    "choose.multitask": "Choosing losses for several tasks",
    "choose.threshold": "A decision threshold from costs",
    "choose.prior_shift": "Probabilities under a new prevalence",
    "noise.robust": "Losses under label noise",
    "nll.log_probs": "Losses on log-probabilities: NLL and categorical focal",
    "ctc.alignment": "CTC: alignments and the forward variables",
    "ranking.order": "Pairwise and listwise ranking losses",
    "metric.distance": "Distances and angles: triplet, cosine and embedding losses",
    "metric.contrastive": "Contrastive losses: NT-Xent, InfoNCE, Circle",
    "segmentation.overlap": "Overlap losses: Dice, Tversky, generalised Dice",
    "segmentation.boxes": "Box losses: GIoU, DIoU, CIoU",
}


MINUTES_PER_PROBLEM = 2  # what a session's length is planned on


@dataclass(frozen=True)
class Session:
    """A session of the course: its number, title, the skills it trains (in course order) and its
    derivations (the ids of its exercises of depth "derive": proficiency in the session needs one
    of them answered right)."""

    number: int
    title: str
    skills: tuple[str, ...]
    derivations: tuple[str, ...] = ()

    @property
    def min_problems(self) -> int:
        """The fewest problems that make every skill of the session proficient."""
        from ._mastery import min_right_answers  # _mastery imports this module

        return min_right_answers() * len(self.skills)


def session_of(exercise) -> int:
    """The session an exercise belongs to, from the module that defines it."""
    module = type(exercise).__module__.rsplit(".", 1)[-1]
    try:
        return MODULE_SESSION[module]
    except KeyError:
        raise RuntimeError(f"exercise {exercise.id!r} is defined in {module!r}, which no session lists") from None


def sessions() -> list[Session]:
    """Every session, in order. A skill belongs to the first session whose exercises train it."""
    skills: list[list[str]] = [[] for _ in TITLES]
    derivations: list[list[str]] = [[] for _ in TITLES]
    seen: set[str] = set()
    for ex in exercises():
        if ex.skill not in seen:
            seen.add(ex.skill)
            skills[session_of(ex)].append(ex.skill)
    skill_session = {skill: number for number, names in enumerate(skills) for skill in names}
    for ex in exercises():
        if ex.depth == "derive":
            derivations[skill_session[ex.skill]].append(ex.id)
    return [Session(number, title, tuple(skills[number]), tuple(derivations[number]))
            for number, title in enumerate(TITLES)]


def pick(all_sessions: list[Session], number: int) -> Session:
    """Session ``number`` of ``all_sessions``; anything else raises ValueError naming the range."""
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < len(all_sessions):
        raise ValueError(f"sessions are numbered 0 to {len(all_sessions) - 1}; got {number!r}")
    return all_sessions[number]
