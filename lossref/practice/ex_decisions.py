"""Exercises of session 9: decisions from probabilities (the logit correction for a new prevalence, what a
class-weighted model's probability means, and the threshold to use on it)."""

from __future__ import annotations

import math

from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["PriorShiftLogit", "WeightedThreshold", "WeightedModelThreshold"]


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# ---------------------------------------------------------------------------------- prior shift in logits
class PriorShiftLogit(NumericExercise):
    """The logit correction for a new prevalence (label shift): z' = z + logit pi' - logit pi."""

    id = "choose.prior_shift_logit"
    skill = "choose.prior_shift"
    title = "The logit correction for a new prevalence"

    def make_params(self, rng):
        return {"pi": rng.choice([0.5, 0.4, 0.3, 0.2]), "pi_new": rng.choice([0.01, 0.02, 0.05, 0.1, 0.8]),
                "z": round(rng.uniform(-2.0, 4.0), 1) + 0.0}  # + 0.0: no -0.0

    def acceptable(self, p):
        return p["z"] != 0 and super().acceptable(p)

    def statement(self, p):
        return ("A binary classifier outputs logits, and its probabilities $\\sigma(z)$ are calibrated on its "
                f"training sample, in which a fraction $\\pi = {p['pi']:g}$ of the examples are positive. In "
                f"deployment the prevalence is $\\pi' = {p['pi_new']:g}$, and the class-conditional densities "
                f"$p(x \\mid y)$ are unchanged. For one input the model's logit is $z = {p['z']:g}$. Compute the "
                "corrected logit $z'$, whose sigmoid is the probability that the input is positive in deployment.")

    def _shift(self, p):
        return _logit(p["pi_new"]) - _logit(p["pi"])

    def correct(self, p):
        return p["z"] + self._shift(p)

    def mistakes(self, p):
        return [
            Mistake("shift_reversed", p["z"] - self._shift(p),
                    "The shift goes the other way: the deployment prior odds multiply the odds and the training prior "
                    "odds divide them, so add $\\operatorname{logit} \\pi' - \\operatorname{logit} \\pi$."),
            Mistake("ratio_not_odds", p["z"] + math.log(p["pi_new"] / p["pi"]),
                    "That adds $\\log(\\pi'/\\pi)$. Bayes' rule acts on the odds, so the shift is the log of the "
                    "ratio of the prior odds, $\\log\\frac{\\pi'}{1 - \\pi'} - \\log\\frac{\\pi}{1 - \\pi}$."),
            Mistake("probability_not_logit", _sigmoid(p["z"] + self._shift(p)),
                    "That is the corrected probability $\\sigma(z')$; the question asks for the logit $z'$ itself."),
            Mistake("no_correction", p["z"],
                    "That is the uncorrected logit: it carries the training prevalence in its prior odds."),
        ]

    def hints(self, problem):
        return [
            "The logit is the log of the posterior odds: the log prior odds plus the log likelihood ratio. Only the "
            "prior changes.",
            "Add $\\log\\frac{\\pi'}{1 - \\pi'} - \\log\\frac{\\pi}{1 - \\pi}$ to $z$.",
        ]

    def steps(self, p):
        return [
            f"$\\operatorname{{logit}} \\pi' = \\log({p['pi_new']:g}/{f(1 - p['pi_new'])}) = {f(_logit(p['pi_new']))}$ "
            f"and $\\operatorname{{logit}} \\pi = \\log({p['pi']:g}/{f(1 - p['pi'])}) = {f(_logit(p['pi']))}$.",
            f"$z' = {p['z']:g} + ({f(self._shift(p))}) \\approx {f(self.correct(p))}$, a probability of "
            f"$\\sigma(z') \\approx {f(_sigmoid(self.correct(p)))}$.",
        ]


# ---------------------------------------------------------------------------------- threshold on a weighted model
class WeightedModelThreshold(NumericExercise):
    """A model trained with class weights (beta on negatives, alpha on positives) estimates
    p_w = alpha q / (alpha q + beta (1 - q)); the cost threshold t on q is p_w > alpha t / (alpha t + beta (1 - t))."""

    id = "choose.weighted_model_threshold"
    skill = "choose.threshold"
    title = "The threshold for a class-weighted model"
    depth = "derive"

    def make_params(self, rng):
        return {"alpha": rng.choice([2, 3, 5, 10]), "c_fp": rng.choice([1, 2, 5]),
                "c_fn": rng.choice([10, 20, 40, 100])}

    def acceptable(self, p):
        return p["alpha"] * p["c_fp"] != p["c_fn"] and super().acceptable(p)

    def _t(self, p):
        return p["c_fp"] / (p["c_fp"] + p["c_fn"])

    def statement(self, p):
        return ("A rare-event classifier was trained with class-weighted cross-entropy "
                f"$-[\\alpha\\, y \\log p + (1 - y) \\log(1 - p)]$, with $\\alpha = {p['alpha']:g}$ on positives, on "
                "data drawn like the deployment population, and it fits the weighted minimiser well. In deployment a "
                f"false alarm costs $c_{{FP}} = {p['c_fp']:g}$, a missed case $c_{{FN}} = {p['c_fn']:g}$, correct "
                "decisions nothing. Derive the threshold $t_w$ on the model's output $p_w$ above which flagging has the "
                "smaller expected cost, and compute it.")

    def correct(self, p):
        a, t = p["alpha"], self._t(p)
        return a * t / (a * t + (1 - t))

    def mistakes(self, p):
        a, t = p["alpha"], self._t(p)
        return [
            Mistake("weights_ignored", t,
                    "That is the threshold for a calibrated probability $q$. The weighted model's output is not "
                    "calibrated: its odds are $\\alpha$ times those of $q$, so the threshold moves with them."),
            Mistake("default_half", 0.5,
                    "0.5 would be right only if the weights were the costs ($\\alpha = c_{FN}/c_{FP}$). These weights "
                    "are not, so the threshold must still move."),
            Mistake("shift_wrong_way", t / (t + a * (1 - t)),
                    "The odds were divided by $\\alpha$ instead of multiplied: the weights raise the model's "
                    "probabilities of the positive class, so its threshold rises too."),
        ]

    def hints(self, problem):
        return [
            "First find the threshold on the calibrated probability $q$: flag when $q\\, c_{FN} > (1 - q)\\, c_{FP}$.",
            "The weighted minimiser is $p_w = \\alpha q / (\\alpha q + (1 - q))$, an increasing function of $q$. Map "
            "the threshold on $q$ through it.",
        ]

    def steps(self, p):
        a, t = p["alpha"], self._t(p)
        return [
            f"On the calibrated $q$: flag when $q > t = c_{{FP}}/(c_{{FP}} + c_{{FN}}) = {p['c_fp']:g}/"
            f"{p['c_fp'] + p['c_fn']:g} = {f(t)}$.",
            "Setting the derivative of $-\\alpha q \\log p - (1 - q) \\log(1 - p)$ in $p$ to zero gives "
            "$p_w = \\frac{\\alpha q}{\\alpha q + 1 - q}$, increasing in $q$: $q > t$ exactly when "
            "$p_w > \\frac{\\alpha t}{\\alpha t + 1 - t}$.",
            f"$t_w = \\frac{{{a:g} \\cdot {f(t)}}}{{{a:g} \\cdot {f(t)} + {f(1 - t)}}} \\approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- class weights
class WeightedThreshold(NumericExercise):
    """A model trained with class weights (beta on negatives, alpha on positives) estimates
    p_w = alpha q / (alpha q + beta (1 - q)); the calibrated q is recovered by inverting that map."""

    id = "choose.weighted_probability"
    skill = "choose.prior_shift"
    title = "What a class-weighted model's probability means"
    depth = "derive"

    def make_params(self, rng):
        return {"alpha": rng.choice([2, 3, 4, 5, 8, 10]), "beta": 1, "p_w": round(rng.uniform(0.2, 0.9), 2)}

    def statement(self, p):
        return ("A binary classifier was trained with class-weighted cross-entropy "
                f"$-[\\alpha\\, y \\log p + \\beta\\,(1 - y) \\log(1 - p)]$, with $\\alpha = {p['alpha']:g}$ on "
                f"positives and $\\beta = {p['beta']:g}$ on negatives, on data drawn like the deployment population, "
                "and it fits the weighted minimiser well. For "
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


EXERCISES = [PriorShiftLogit(), WeightedThreshold(), WeightedModelThreshold()]
