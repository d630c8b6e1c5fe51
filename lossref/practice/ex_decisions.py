"""Exercises of session 9: decisions from probabilities (cost thresholds, prior shift, class weights)."""

from __future__ import annotations

import math

from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["CostThreshold", "PriorShift", "WeightedThreshold"]


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# ---------------------------------------------------------------------------------- cost threshold
class CostThreshold(NumericExercise):
    """The Bayes-optimal threshold on a calibrated probability: t = (c01 - c00) / ((c01 - c00) + (c10 - c11)).

    Two stories: plain false-alarm and miss costs, t = c_FP / (c_FP + c_FN); and a review that costs r
    whether or not the case is positive, with a miss costing m, t = r / m."""

    id = "decision.cost_threshold"
    skill = "decision.threshold"
    title = "The threshold that minimises the expected cost"

    STORIES = {
        "screening": ("A calibrated model gives the probability $q$ that a patient has a condition. Sending a healthy "
                      "patient for a follow-up test (a false alarm) costs {fp:g} units; missing a patient who has the "
                      "condition costs {fn:g} units; correct decisions cost nothing."),
        "defects": ("A calibrated model gives the probability $q$ that a part on a production line is defective. "
                    "Scrapping a good part costs {fp:g} euros; shipping a defective one costs {fn:g} euros in "
                    "returns; scrapping a defective part or shipping a good one costs nothing."),
        "fraud": ("A calibrated model gives the probability $q$ that a transaction is fraudulent. A manual review "
                  "costs {r:g} euros whether or not the transaction is fraudulent, and a reviewed fraud is always "
                  "caught; an unreviewed fraud costs {m:g} euros; an unreviewed honest transaction costs nothing."),
    }

    def make_params(self, rng):
        story = rng.choice(sorted(self.STORIES))
        if story == "fraud":
            return {"story": story, "r": rng.choice([2, 5, 8, 10, 15, 20]), "m": rng.choice([40, 60, 80, 100, 150, 200])}
        return {"story": story, "fp": rng.choice([1, 2, 3, 5, 10]), "fn": rng.choice([4, 8, 15, 20, 30, 50])}

    def acceptable(self, p):
        if p["story"] != "fraud" and p["fp"] >= p["fn"]:
            return False
        return super().acceptable(p)

    def statement(self, p):
        text = self.STORIES[p["story"]].format(**{k: v for k, v in p.items() if k != "story"})
        act = "review" if p["story"] == "fraud" else ("send for follow-up" if p["story"] == "screening" else "scrap")
        return (f"{text} The decision is to {act} exactly when $q > t$. Which threshold $t$ minimises the expected "
                "cost?")

    def _costs(self, p):
        """(cost of acting on a negative, of not acting on a positive, of acting on a positive)."""
        if p["story"] == "fraud":
            return p["r"], p["m"], p["r"]
        return p["fp"], p["fn"], 0

    def correct(self, p):
        c_fp, c_fn, c_tp = self._costs(p)
        return c_fp / (c_fp + c_fn - c_tp)

    def mistakes(self, p):
        c_fp, c_fn, c_tp = self._costs(p)
        found = [
            Mistake("swapped_costs", (c_fn - c_tp) / (c_fp + c_fn - c_tp),
                    "The costs are swapped: that is the threshold that would minimise the cost if a false alarm cost "
                    "what a miss costs. Acting is cheaper when its expected cost is the smaller one, and the "
                    "false-alarm cost goes in the numerator."),
            Mistake("default_half", 0.5,
                    "0.5 minimises the error rate, which counts both mistakes the same. With unequal costs the "
                    "threshold moves."),
            Mistake("cost_ratio", c_fp / c_fn if c_tp == 0 else c_fp / (c_fp + c_fn),
                    "That is the ratio of the costs, not the threshold: set the two expected costs equal, "
                    "$(1 - q)\\,c_{FP} = q\\,c_{FN}$, and solve for $q$." if c_tp == 0 else
                    "That treats the review of a fraud as free. A reviewed fraud still costs the review, so acting "
                    "costs $r$ whatever the label; not acting costs $q\\,m$."),
        ]
        return found

    def hints(self, problem):
        return [
            "Write the expected cost of each decision at probability $q$: one is a cost times $q$, the other a cost "
            "times $1 - q$ (or a constant).",
            "The threshold is the $q$ at which the two expected costs are equal.",
        ]

    def steps(self, p):
        c_fp, c_fn, c_tp = self._costs(p)
        t = self.correct(p)
        if p["story"] == "fraud":
            return [
                f"Reviewing costs {c_fp:g} whatever the label: its expected cost is {c_fp:g}.",
                f"Not reviewing costs {c_fn:g} when the transaction is a fraud: its expected cost is ${c_fn:g}\\,q$.",
                f"Review when ${c_fn:g}\\,q > {c_fp:g}$, that is $q > {c_fp:g}/{c_fn:g} \\approx {f(t)}$.",
            ]
        return [
            f"Acting costs {c_fp:g} when the label is 0: expected cost ${c_fp:g}\\,(1 - q)$. Not acting costs "
            f"{c_fn:g} when the label is 1: expected cost ${c_fn:g}\\,q$.",
            f"Act when ${c_fn:g}\\,q > {c_fp:g}\\,(1 - q)$, that is $q > c_{{FP}}/(c_{{FP}} + c_{{FN}}) = "
            f"{c_fp:g}/{c_fp + c_fn:g} \\approx {f(t)}$.",
        ]


# ---------------------------------------------------------------------------------- prior shift
class PriorShift(NumericExercise):
    """Correcting a calibrated probability for a new prevalence (label shift):
    logit p' = logit p + logit pi' - logit pi."""

    id = "decision.prior_shift"
    skill = "decision.prior_shift"
    title = "Correcting probabilities for a new prevalence"
    depth = "derive"

    def make_params(self, rng):
        return {"pi": rng.choice([0.5, 0.4, 0.3, 0.25, 0.2]), "pi_new": rng.choice([0.01, 0.02, 0.05, 0.1]),
                "p": round(rng.uniform(0.3, 0.95), 2)}

    def statement(self, p):
        return ("A classifier was trained on a sample in which a fraction "
                f"$\\pi = {p['pi']:g}$ of the examples are positive, and its probabilities are calibrated on that "
                f"sample. It is deployed where the prevalence is $\\pi' = {p['pi_new']:g}$, and the "
                "class-conditional densities $p(x \\mid y)$ are the same in both populations. For an input the "
                f"model gives $p = {p['p']:g}$. Derive from Bayes' rule the probability $p'$ that the input is "
                "positive in the deployment population, and compute it.")

    def correct(self, p):
        return _sigmoid(_logit(p["p"]) + _logit(p["pi_new"]) - _logit(p["pi"]))

    def mistakes(self, p):
        return [
            Mistake("no_correction", p["p"],
                    "That is the model's probability unchanged: it carries the training prevalence in its prior odds."),
            Mistake("direction_swapped", _sigmoid(_logit(p["p"]) + _logit(p["pi"]) - _logit(p["pi_new"])),
                    "The correction goes the wrong way: the new prior odds $\\pi'/(1 - \\pi')$ multiply the odds, and "
                    "the old ones $\\pi/(1 - \\pi)$ divide them."),
            Mistake("ratio_not_odds", _sigmoid(_logit(p["p"]) + math.log(p["pi_new"] / p["pi"])),
                    "That multiplies the odds by $\\pi'/\\pi$. Bayes' rule acts on the odds: the factor is the ratio "
                    "of the prior odds, $\\frac{\\pi'/(1 - \\pi')}{\\pi/(1 - \\pi)}$."),
            Mistake("not_renormalised", p["p"] * p["pi_new"] / p["pi"],
                    "That rescales $p$ by $\\pi'/\\pi$ but not $1 - p$ by $(1 - \\pi')/(1 - \\pi)$: after rescaling "
                    "both class scores, divide by their sum."),
        ]

    def hints(self, problem):
        return [
            "By Bayes' rule the posterior odds $p/(1 - p)$ are the prior odds times the likelihood ratio "
            "$p(x \\mid y = 1)/p(x \\mid y = 0)$. Which of these two factors changes at deployment?",
            "Divide the model's odds by the training prior odds to get the likelihood ratio, multiply by the "
            "deployment prior odds, then turn the odds $o$ back into a probability $o/(1 + o)$.",
        ]

    def steps(self, p):
        odds = p["p"] / (1 - p["p"])
        prior, prior_new = p["pi"] / (1 - p["pi"]), p["pi_new"] / (1 - p["pi_new"])
        ratio = odds / prior
        new_odds = ratio * prior_new
        return [
            "Bayes' rule: $\\frac{p}{1 - p} = \\frac{\\pi}{1 - \\pi} \\cdot \\frac{p(x \\mid y=1)}{p(x \\mid y=0)}$; "
            "the likelihood ratio is the same in both populations.",
            f"Model odds ${f(odds)}$, training prior odds ${f(prior)}$: likelihood ratio ${f(ratio)}$.",
            f"Deployment prior odds ${f(prior_new)}$: new odds ${f(ratio)} \\cdot {f(prior_new)} = {f(new_odds)}$.",
            f"$p' = {f(new_odds)}/(1 + {f(new_odds)}) \\approx {f(self.correct(p))}$. In logits: "
            "$\\operatorname{logit} p' = \\operatorname{logit} p + \\operatorname{logit} \\pi' - "
            "\\operatorname{logit} \\pi$.",
        ]


# ---------------------------------------------------------------------------------- class weights
class WeightedThreshold(NumericExercise):
    """A model trained with class weights (beta on negatives, alpha on positives) estimates
    p_w = alpha q / (alpha q + beta (1 - q)); the calibrated q is recovered by inverting that map."""

    id = "decision.weighted_probability"
    skill = "decision.threshold"
    title = "What a class-weighted model's probability means"
    depth = "derive"

    def make_params(self, rng):
        return {"alpha": rng.choice([2, 3, 4, 5, 8, 10]), "beta": 1, "p_w": round(rng.uniform(0.2, 0.9), 2)}

    def statement(self, p):
        return ("A binary classifier was trained with class-weighted cross-entropy "
                f"$-[\\alpha\\, y \\log p + \\beta\\,(1 - y) \\log(1 - p)]$, with $\\alpha = {p['alpha']:g}$ on "
                f"positives and $\\beta = {p['beta']:g}$ on negatives, and it fits the weighted minimiser well. For "
                f"an input it outputs $p_w = {p['p_w']:g}$. Derive the minimiser of the expected weighted loss at an "
                "input with $q = P(y = 1 \\mid x)$, invert it, and compute the calibrated probability $q$ for this "
                "input.")

    def correct(self, p):
        a, b, pw = p["alpha"], p["beta"], p["p_w"]
        return b * pw / (b * pw + a * (1 - pw))

    def mistakes(self, p):
        a, b, pw = p["alpha"], p["beta"], p["p_w"]
        return [
            Mistake("no_correction", pw,
                    "The weighted model's output is not calibrated: the weights shift its logit by "
                    "$\\log(\\alpha/\\beta)$."),
            Mistake("shift_wrong_way", a * pw / (a * pw + b * (1 - pw)),
                    "That applies the weights a second time. The model already estimates "
                    "$p_w = \\alpha q / (\\alpha q + \\beta (1 - q))$; to recover $q$, shift the logit back by "
                    "$-\\log(\\alpha/\\beta)$."),
            Mistake("divided_probability", pw / a,
                    "Dividing $p_w$ by $\\alpha$ does not give a probability of the right size: the weights act on the "
                    "odds, $\\frac{p_w}{1 - p_w} = \\frac{\\alpha}{\\beta} \\cdot \\frac{q}{1 - q}$."),
        ]

    def hints(self, problem):
        return [
            "At an input with $P(y = 1 \\mid x) = q$ the expected loss of a prediction $p$ is "
            "$-\\alpha q \\log p - \\beta (1 - q) \\log(1 - p)$. Set its derivative in $p$ to zero.",
            "The minimiser is $p_w = \\alpha q / (\\alpha q + \\beta (1 - q))$, so the odds are multiplied by "
            "$\\alpha/\\beta$. Divide the model's odds by $\\alpha/\\beta$ and convert back.",
        ]

    def steps(self, p):
        a, b, pw = p["alpha"], p["beta"], p["p_w"]
        odds = pw / (1 - pw)
        q_odds = odds * b / a
        return [
            "$\\frac{d}{dp}\\big[-\\alpha q \\log p - \\beta (1 - q) \\log(1 - p)\\big] = -\\frac{\\alpha q}{p} + "
            "\\frac{\\beta (1 - q)}{1 - p} = 0$ gives $p_w = \\frac{\\alpha q}{\\alpha q + \\beta (1 - q)}$: the "
            "odds are $\\frac{\\alpha}{\\beta}$ times $\\frac{q}{1 - q}$.",
            f"The model's odds: ${f(pw)}/{f(1 - pw)} = {f(odds)}$; divided by $\\alpha/\\beta = {a / b:g}$: "
            f"${f(q_odds)}$.",
            f"$q = {f(q_odds)}/(1 + {f(q_odds)}) \\approx {f(self.correct(p))}$. (Deciding $p_w > 0.5$ is deciding "
            f"$q > \\beta/(\\alpha + \\beta) = {f(b / (a + b))}$.)",
        ]


EXERCISES = [CostThreshold(), PriorShift(), WeightedThreshold()]
