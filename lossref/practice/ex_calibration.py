"""Exercises of session 8: calibration (expected calibration error, the Brier score's Murphy
decomposition, temperature scaling) and proper scoring rules (the minimiser of an expected score,
Bregman divergences)."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["ExpectedCalibrationError", "MurphyDecomposition", "TemperatureApply", "TemperatureNewton",
           "ExpectedScore", "ScoreMinimiser", "BregmanDivergence"]


# ---------------------------------------------------------------------------------- ECE
class ExpectedCalibrationError(NumericExercise):
    """ECE from a binned summary: sum_k (n_k / N) |acc_k - conf_k|."""

    id = "calibration.ece"
    skill = "calibration.ece"
    title = "Expected calibration error from bins"

    def make_params(self, rng):
        lows = sorted(rng.sample([0.5, 0.6, 0.7, 0.8, 0.9], rng.choice([3, 4])))
        bins = []
        for low in lows:
            conf = round(low + rng.uniform(0.02, 0.08), 2)
            gap = rng.choice([-0.12, -0.1, -0.08, -0.06, -0.05, -0.04, -0.03, 0.02, 0.03, 0.04, 0.05])
            acc = round(min(conf + gap, 1.0), 2)
            bins.append({"low": low, "n": rng.choice([100, 200, 300, 400, 500, 600]), "conf": conf, "acc": acc})
        return {"bins": bins}

    def _weights(self, p):
        total = sum(b["n"] for b in p["bins"])
        return [b["n"] / total for b in p["bins"]]

    def _gaps(self, p):
        return [round(b["acc"] - b["conf"], 10) for b in p["bins"]]

    def acceptable(self, params):
        gaps = self._gaps(params)
        # over- and under-confident bins both present, so that gaps of opposite signs can cancel
        return any(g > 0 for g in gaps) and any(g < 0 for g in gaps) and super().acceptable(params)

    def statement(self, p):
        rows = " \\\\ ".join(f"({b['low']:.1f}, {b['low'] + 0.1:.1f}] & {b['n']} & {b['conf']:.2f} & {b['acc']:.2f}"
                             for b in p["bins"])
        total = sum(b["n"] for b in p["bins"])
        return ("A classifier's top-label confidences on a test set of "
                f"{total} examples are put in bins of width 0.1. For each non-empty bin the table gives the number "
                "of predictions, their mean confidence and the fraction of them that were correct:\n\n"
                rf"$$\begin{{array}}{{c|c|c|c}} \text{{bin}} & n_k & \mathrm{{conf}}_k & \mathrm{{acc}}_k \\ \hline "
                rf"{rows} \end{{array}}$$" "\n\n"
                r"Compute the expected calibration error "
                r"$\mathrm{ECE} = \sum_k \frac{n_k}{N}\,\lvert \mathrm{acc}_k - \mathrm{conf}_k \rvert$.")

    def correct(self, p):
        return math.fsum(w * abs(g) for w, g in zip(self._weights(p), self._gaps(p)))

    def mistakes(self, p):
        gaps, weights = self._gaps(p), self._weights(p)
        signed = math.fsum(w * g for w, g in zip(weights, gaps))
        found = [
            Mistake("unweighted", M.mean(abs(g) for g in gaps),
                    "That averages the bins' gaps with equal weights. Each bin counts in proportion to the number "
                    "of predictions in it: weight the gaps by $n_k / N$."),
            Mistake("gaps_cancel", abs(signed),
                    "That is the gap between the overall accuracy and the mean confidence: the over-confident and "
                    "the under-confident bins cancel. Take the absolute value of each bin's gap before adding."),
            Mistake("max_gap", max(abs(g) for g in gaps),
                    "That is the largest gap of a bin (the maximum calibration error). The ECE is the weighted "
                    "mean of all the bins' gaps."),
        ]
        if signed < 0:
            found.append(Mistake("no_abs", signed,
                                 "The ECE cannot be negative: that adds signed gaps. Take the absolute value of "
                                 "each bin's gap, weighted by $n_k / N$."))
        return found

    def hints(self, problem):
        return [
            "For each bin, compute the gap $\\lvert \\mathrm{acc}_k - \\mathrm{conf}_k \\rvert$ and the weight "
            "$n_k / N$, with $N$ the number of all predictions.",
            "Add the weighted gaps. A bin whose accuracy is above its confidence counts as much as one below it.",
        ]

    def steps(self, p):
        total = sum(b["n"] for b in p["bins"])
        terms = " + ".join(f"\\tfrac{{{b['n']}}}{{{total}}} \\cdot {f(abs(g))}" for b, g in zip(p["bins"], self._gaps(p)))
        return [
            "Gaps $\\lvert \\mathrm{acc}_k - \\mathrm{conf}_k \\rvert$: $"
            + ", ".join(f(abs(g)) for g in self._gaps(p)) + "$.",
            f"$\\mathrm{{ECE}} = {terms} \\approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- Murphy decomposition
def murphy(forecasts, counts, events):
    """(REL, RES, UNC) of a forecast that takes the values ``forecasts``, each issued ``counts[k]``
    times with ``events[k]`` of them followed by the event; the Brier score is REL - RES + UNC."""
    n = math.fsum(counts)
    base = math.fsum(events) / n
    freq = [e / c for e, c in zip(events, counts)]
    rel = math.fsum(c * (fk - o) ** 2 for fk, o, c in zip(forecasts, freq, counts)) / n
    res = math.fsum(c * (o - base) ** 2 for o, c in zip(freq, counts)) / n
    return rel, res, base * (1 - base)


class MurphyDecomposition(NumericExercise):
    """Reliability, resolution and uncertainty of a forecast with three values."""

    id = "calibration.murphy"
    skill = "calibration.brier"
    title = "The Murphy decomposition of the Brier score"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        forecasts = sorted(rng.sample([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 3))
        counts = [rng.choice([20, 25, 40, 50, 60, 80, 100]) for _ in forecasts]
        events = [min(c, max(0, round(c * (fk + rng.uniform(-0.2, 0.2))))) for fk, c in zip(forecasts, counts)]
        return {"f": forecasts, "n": counts, "e": events}

    def acceptable(self, params):
        rel, res, _ = murphy(params["f"], params["n"], params["e"])
        return 0 < sum(params["e"]) < sum(params["n"]) and rel > 0.002 and res > 0.002 and super().acceptable(params)

    def statement(self, p):
        rows = " \\\\ ".join(f"{fk:.1f} & {c} & {e}" for fk, c, e in zip(p["f"], p["n"], p["e"]))
        return ("A forecaster only ever announces one of three probabilities of rain. Over "
                f"{sum(p['n'])} days:\n\n"
                rf"$$\begin{{array}}{{c|c|c}} \text{{forecast }} f_k & \text{{days }} n_k & \text{{rainy days}} \\ "
                rf"\hline {rows} \end{{array}}$$" "\n\n"
                r"The Brier score decomposes as $\mathrm{BS} = \mathrm{REL} - \mathrm{RES} + \mathrm{UNC}$ with "
                r"$\mathrm{REL} = \sum_k \frac{n_k}{N}(f_k - \bar o_k)^2$, "
                r"$\mathrm{RES} = \sum_k \frac{n_k}{N}(\bar o_k - \bar o)^2$ and "
                r"$\mathrm{UNC} = \bar o(1 - \bar o)$, where $\bar o_k$ is the frequency of rain on the days of "
                r"forecast $f_k$ and $\bar o$ the frequency of rain over all days. "
                "Enter REL, RES and UNC, in this order.")

    def correct(self, p):
        return list(murphy(p["f"], p["n"], p["e"]))

    def mistakes(self, p):
        rel, res, unc = murphy(p["f"], p["n"], p["e"])
        freq = [e / c for e, c in zip(p["e"], p["n"])]
        base = sum(p["e"]) / sum(p["n"])
        total = sum(p["n"])
        mean_forecast = math.fsum(c * fk for c, fk in zip(p["n"], p["f"])) / total
        return [
            Mistake("swapped", [res, rel, unc],
                    "REL and RES are swapped. Reliability compares each forecast with the frequency observed after "
                    "it, $(f_k - \\bar o_k)^2$; resolution compares those frequencies with the overall one, "
                    "$(\\bar o_k - \\bar o)^2$."),
            Mistake("unweighted", [M.mean((fk - o) ** 2 for fk, o in zip(p["f"], freq)),
                                   M.mean((o - base) ** 2 for o in freq), unc],
                    "That averages the three forecast values with equal weights. Each is weighted by the share of "
                    "days it was issued on, $n_k / N$."),
            Mistake("res_about_forecast", [rel, math.fsum(c * (o - mean_forecast) ** 2 for c, o in zip(p["n"], freq))
                                           / total, unc],
                    "The resolution measures how far the frequencies $\\bar o_k$ lie from the overall frequency of "
                    "rain $\\bar o$, not from the mean forecast."),
        ]

    def hints(self, problem):
        return [
            "First the frequencies: $\\bar o_k$ = rainy days / days for each forecast, and $\\bar o$ = all rainy "
            "days / $N$.",
            "REL and RES are weighted means over the three forecasts, with weights $n_k / N$; "
            "UNC depends on $\\bar o$ only. Check: $\\mathrm{REL} - \\mathrm{RES} + \\mathrm{UNC}$ is the Brier "
            "score of the daily forecasts.",
        ]

    def steps(self, p):
        rel, res, unc = murphy(p["f"], p["n"], p["e"])
        freq = [e / c for e, c in zip(p["e"], p["n"])]
        total = sum(p["n"])
        base = sum(p["e"]) / total
        brier = math.fsum(e * (1 - fk) ** 2 + (c - e) * fk ** 2 for fk, c, e in zip(p["f"], p["n"], p["e"])) / total
        return [
            "Frequencies $\\bar o_k$: $" + ", ".join(f(o) for o in freq) + f"$; overall $\\bar o = {sum(p['e'])}/{total}"
            f" = {f(base)}$.",
            f"$\\mathrm{{REL}} = {f(rel)}$, $\\mathrm{{RES}} = {f(res)}$, "
            f"$\\mathrm{{UNC}} = {f(base)}(1 - {f(base)}) = {f(unc)}$.",
            f"Check: $\\mathrm{{REL}} - \\mathrm{{RES}} + \\mathrm{{UNC}} = {f(rel - res + unc)}$, the mean of "
            f"$(f - y)^2$ over the {total} days, {f(brier)}. The decomposition is exact because the forecast takes "
            "finitely many values.",
        ]


# ---------------------------------------------------------------------------------- temperature scaling
class TemperatureApply(NumericExercise):
    """The probability after temperature scaling: sigma(z / T)."""

    id = "calibration.temperature_apply"
    skill = "calibration.temperature"
    title = "A probability after temperature scaling"

    def make_params(self, rng):
        return {"z": round(rng.uniform(1.0, 6.0), 1) * rng.choice([1, -1]), "t": rng.choice([1.5, 2.0, 2.5, 3.0, 4.0])}

    def statement(self, p):
        return (f"Temperature scaling fitted $T = {p['t']:g}$ on held-out data for an over-confident binary "
                f"classifier. For a new input the model's logit is $z = {p['z']:g}$. What probability of the "
                "positive class does the calibrated model give?")

    def correct(self, p):
        return M.sigmoid(p["z"] / p["t"])

    def mistakes(self, p):
        z, t = p["z"], p["t"]
        return [
            Mistake("uncalibrated", M.sigmoid(z), "That is the probability before scaling, $\\sigma(z)$. Divide the "
                                                  "logit by $T$ first."),
            Mistake("multiplied", M.sigmoid(z * t), "That multiplies the logit by $T$, which makes the model more "
                                                    "confident still. Temperature scaling divides: $\\sigma(z / T)$."),
            Mistake("scaled_probability", M.sigmoid(z) / t,
                    "That divides the probability by $T$. The temperature divides the logit, before the sigmoid."),
        ]

    def hints(self, problem):
        return ["Temperature scaling divides the logit by $T$ before the sigmoid.",
                "Compute $z / T$, then $\\sigma(u) = 1 / (1 + e^{-u})$."]

    def steps(self, p):
        u = p["z"] / p["t"]
        return [f"$z / T = {p['z']:g} / {p['t']:g} = {f(u)}$.",
                f"$\\sigma({f(u)}) = {f(self.correct(p))}$, against $\\sigma({p['z']:g}) = {f(M.sigmoid(p['z']))}$ "
                "before scaling: closer to 1/2."]


def newton_beta(z, y):
    """One Newton step from beta = 1 on L(beta) = mean_i BCE(y_i, beta z_i): (beta, L'(1), L''(1))."""
    grad = M.mean((M.sigmoid(zi) - yi) * zi for zi, yi in zip(z, y))
    hess = M.mean(M.sigmoid(zi) * (1 - M.sigmoid(zi)) * zi * zi for zi in z)
    return 1 - grad / hess, grad, hess


class TemperatureNewton(NumericExercise):
    """The temperature after one Newton step on beta = 1/T from T = 1."""

    id = "calibration.temperature_newton"
    skill = "calibration.temperature"
    title = "Fitting a temperature: one Newton step"
    depth = "derive"

    def make_params(self, rng):
        z = [round(rng.uniform(0.5, 4.0), 1) * rng.choice([1, -1]) for _ in range(3)]
        y = [1 if zi > 0 else 0 for zi in z]
        y[rng.randrange(3)] ^= 1  # one misclassified example: what makes a temperature above 1 pay
        return {"z": z, "y": y}

    def acceptable(self, params):
        z, y = params["z"], params["y"]
        beta, _, _ = newton_beta(z, y)

        def loss(b):
            return M.mean(M.bce_with_logits(yi, b * zi) for zi, yi in zip(z, y))

        # a step that shrinks the logits and lowers the loss (one that overshoots is no lesson)
        return 0.25 < beta < 0.95 and loss(beta) < loss(1.0) and super().acceptable(params)

    def statement(self, p):
        rows = " \\\\ ".join(f"{i + 1} & {zi:g} & {yi}" for i, (zi, yi) in enumerate(zip(p["z"], p["y"])))
        return ("A binary classifier gives these logits on three held-out examples:\n\n"
                rf"$$\begin{{array}}{{c|c|c}} i & z_i & y_i \\ \hline {rows} \end{{array}}$$" "\n\n"
                r"Temperature scaling divides the logits by $T$. Write $\beta = 1/T$: the mean binary "
                r"cross-entropy $L(\beta) = \frac1n \sum_i \ell(y_i, \beta z_i)$, with $\ell$ the cross-entropy on "
                r"the logit, is convex in $\beta$. Starting from $T = 1$, take one Newton step "
                r"$\beta \leftarrow \beta - L'(\beta) / L''(\beta)$. What is the temperature $T$ after the step?")

    def correct(self, p):
        return 1 / newton_beta(p["z"], p["y"])[0]

    def mistakes(self, p):
        beta, grad, hess = newton_beta(p["z"], p["y"])
        logit_grad = M.mean(M.sigmoid(zi) - yi for zi, yi in zip(p["z"], p["y"]))
        return [
            Mistake("beta_not_t", beta, "That is $\\beta$ after the step; the temperature is $T = 1 / \\beta$."),
            Mistake("sign_flipped", 1 / (1 + grad / hess),
                    "The step goes the wrong way: Newton's step subtracts $L'(\\beta) / L''(\\beta)$."),
            Mistake("gradient_step", 1 / (1 - grad),
                    "That is a gradient step of size 1, without the curvature: divide $L'(1)$ by $L''(1)$."),
            Mistake("forgot_z", 1 / (1 - logit_grad / hess),
                    "The chain rule brings a factor $z_i$: $\\partial \\ell(y_i, \\beta z_i) / \\partial \\beta = "
                    "(\\sigma(\\beta z_i) - y_i)\\, z_i$."),
        ]

    def hints(self, problem):
        return [
            r"By the chain rule $L'(\beta) = \frac1n \sum_i (\sigma(\beta z_i) - y_i)\, z_i$ and "
            r"$L''(\beta) = \frac1n \sum_i \sigma(\beta z_i)(1 - \sigma(\beta z_i))\, z_i^2$.",
            r"Evaluate both at $\beta = 1$ (so $\sigma(\beta z_i) = \sigma(z_i)$), step to "
            r"$\beta_1 = 1 - L'(1)/L''(1)$, then $T = 1/\beta_1$.",
        ]

    def steps(self, p):
        beta, grad, hess = newton_beta(p["z"], p["y"])
        probs = ", ".join(f(M.sigmoid(zi)) for zi in p["z"])
        return [
            f"$\\sigma(z_i) = {probs}$.",
            f"$L'(1) = \\frac1n\\sum_i (\\sigma(z_i) - y_i) z_i = {f(grad)}$ and "
            f"$L''(1) = \\frac1n\\sum_i \\sigma(z_i)(1 - \\sigma(z_i)) z_i^2 = {f(hess)}$.",
            f"$\\beta_1 = 1 - {f(grad)} / {f(hess)} = {f(beta)}$, so $T = 1 / {f(beta)} = {f(1 / beta)}$: "
            "above 1, the logits shrink. Further steps would converge to the minimiser.",
        ]


# ---------------------------------------------------------------------------------- scoring rules
def expected_score(rule: str, q: float, p: float, a: float = 1.0, b: float = 1.0) -> float:
    """E[S(Y, p)] for Y ~ Bernoulli(q) under a scoring rule, the weights a (Y = 1) and b (Y = 0) on the
    weighted rules."""
    if rule == "log":
        return -(q * math.log(p) + (1 - q) * math.log1p(-p))
    if rule == "brier":
        return q * (1 - p) ** 2 + (1 - q) * p ** 2
    if rule == "abs":
        return q * (1 - p) + (1 - q) * p
    if rule == "weighted_log":
        return -(a * q * math.log(p) + b * (1 - q) * math.log1p(-p))
    if rule == "weighted_brier":
        return a * q * (1 - p) ** 2 + b * (1 - q) * p ** 2
    raise ValueError(f"unknown rule {rule!r}")


_RULE_TEX = {
    "log": r"the log loss $S(y, p) = -[\,y \log p + (1 - y)\log(1 - p)\,]$",
    "brier": r"the Brier score $S(y, p) = (y - p)^2$",
    "abs": r"the absolute error $S(y, p) = \lvert y - p \rvert$",
    "weighted_log": r"the weighted log loss $S(y, p) = -[\,a\, y \log p + b\,(1 - y)\log(1 - p)\,]$",
    "weighted_brier": r"the weighted Brier score $S(y, p) = a\, y\,(1 - p)^2 + b\,(1 - y)\,p^2$",
}


class ExpectedScore(NumericExercise):
    """The expected log loss or Brier score of a reported probability when the outcome is Bernoulli(q)."""

    id = "scoring.expected"
    skill = "scoring.proper"
    title = "The expected score of a forecast"

    def make_params(self, rng):
        q = rng.choice([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9])
        p = rng.choice([v for v in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9) if abs(v - q) > 0.15])
        return {"q": q, "p": p, "rule": rng.choice(["log", "brier"])}

    def statement(self, p):
        return (f"An event happens with probability $q = {p['q']:g}$: $Y \\sim \\mathrm{{Bernoulli}}({p['q']:g})$. "
                f"A forecaster announces $p = {p['p']:g}$ and is scored with {_RULE_TEX[p['rule']]}. Compute the "
                r"expected score $\mathbb{E}[S(Y, p)]$" + (" (natural logarithm)" if p["rule"] == "log" else "")
                + r"; the solution compares it with the expected score of announcing $p = q$.")

    def correct(self, p):
        return expected_score(p["rule"], p["q"], p["p"])

    def mistakes(self, p):
        rule, q, pr = p["rule"], p["q"], p["p"]
        one = -math.log(pr) if rule == "log" else (1 - pr) ** 2
        found = [
            Mistake("honest_forecast", expected_score(rule, q, q),
                    "That is the expected score of announcing $p = q$, the truthful forecast. Keep $p$ in the score "
                    "and $q$ in the weights of the two outcomes."),
            Mistake("one_outcome", one,
                    "That is the score when the event happens. The expectation weighs both outcomes: "
                    "$q\\, S(1, p) + (1 - q)\\, S(0, p)$."),
            Mistake("swapped_p_q", expected_score(rule, pr, q),
                    "$p$ and $q$ are swapped: the outcome's probabilities $q$ and $1 - q$ weigh the two scores, "
                    "which depend on the announced $p$."),
        ]
        if rule == "log":
            found.append(Mistake("log10", self.correct(p) / math.log(10),
                                 "That uses log base 10; the log loss uses the natural logarithm."))
        return found

    def hints(self, problem):
        return [r"$\mathbb{E}[S(Y, p)] = q\, S(1, p) + (1 - q)\, S(0, p)$.",
                "Compute $S(1, p)$ and $S(0, p)$ with the announced $p$, then weigh them by $q$ and $1 - q$."]

    def steps(self, p):
        rule, q, pr = p["rule"], p["q"], p["p"]
        honest = expected_score(rule, q, q)
        if rule == "log":
            terms = f"-{q:g} \\log {pr:g} - {1 - q:g} \\log {1 - pr:g}"
        else:
            terms = f"{q:g} \\cdot (1 - {pr:g})^2 + {1 - q:g} \\cdot {pr:g}^2"
        return [f"$\\mathbb{{E}}[S] = {terms} = {f(self.correct(p))}$.",
                f"Announcing $p = q = {q:g}$ gives {f(honest)}, which is smaller: the rule is proper, so on average "
                "the truthful forecast scores best."]


class ScoreMinimiser(NumericExercise):
    """The report that minimises the expected score under a Bernoulli(q) outcome, for proper and improper rules."""

    id = "scoring.minimiser"
    skill = "scoring.proper"
    title = "The best report under a scoring rule"
    depth = "derive"

    def make_params(self, rng):
        q = rng.choice([0.1, 0.2, 0.3, 0.35, 0.4, 0.6, 0.65, 0.7, 0.8, 0.9])
        a, b = rng.sample([1, 2, 3, 4, 5], 2)
        return {"q": q, "rule": rng.choice(["log", "brier", "abs", "weighted_log", "weighted_brier"]), "a": a, "b": b}

    def statement(self, p):
        weights = f" with $a = {p['a']}$ and $b = {p['b']}$" if p["rule"].startswith("weighted") else ""
        return (f"The outcome is $Y \\sim \\mathrm{{Bernoulli}}({p['q']:g})$. A forecaster announces a probability "
                f"$p \\in [0, 1]$ and is scored with {_RULE_TEX[p['rule']]}{weights}, lower being better. Which $p$ "
                r"minimises the expected score $\mathbb{E}[S(Y, p)]$?")

    def _weighted(self, p, a, b):
        return a * p["q"] / (a * p["q"] + b * (1 - p["q"]))

    def correct(self, p):
        if p["rule"] == "abs":
            return 1.0 if p["q"] > 0.5 else 0.0
        if p["rule"].startswith("weighted"):
            return self._weighted(p, p["a"], p["b"])
        return p["q"]

    def mistakes(self, p):
        q, rule = p["q"], p["rule"]
        decision = 1.0 if q > 0.5 else 0.0
        if rule == "abs":
            return [
                Mistake("assumed_proper", q,
                        "The absolute error is not proper: its expected value $q(1 - p) + (1 - q)p = q + (1 - 2q)p$ "
                        "is linear in $p$, so it is smallest at an end of $[0, 1]$, not at $q$."),
                Mistake("wrong_end", 1 - decision,
                        f"The expected score $q + (1 - 2q)p$ has slope $1 - 2q = {f(1 - 2 * q)}$ in $p$: it falls "
                        "toward the other end."),
            ]
        found = [
            Mistake("decision_not_probability", decision,
                    "That is the best decision, not the best probability. The expected score is smooth in $p$; set "
                    "its derivative to zero."),
            Mistake("flipped", 1 - self.correct(p),
                    "That is the probability of the other outcome: the derivative's zero gives the probability of "
                    "$Y = 1$."),
        ]
        if rule.startswith("weighted"):
            found.append(Mistake("assumed_proper", q,
                                 "The weights make the rule improper: the zero of the derivative, "
                                 "$a q / (a q + b (1 - q))$, is not $q$ when $a \\ne b$."))
            found.append(Mistake("weights_swapped", self._weighted(p, p["b"], p["a"]),
                                 "The weights are swapped: $a$ multiplies the score of $Y = 1$, whose probability "
                                 "is $q$."))
        return found

    def hints(self, problem):
        rule = problem.params["rule"]
        first = r"Write $\mathbb{E}[S(Y, p)] = q\, S(1, p) + (1 - q)\, S(0, p)$ as a function of $p$."
        if rule == "abs":
            return [first, r"Here it is $q(1 - p) + (1 - q)p = q + (1 - 2q)\,p$: a straight line in $p$. "
                           r"Which end of $[0, 1]$ is lower?"]
        return [first, "Differentiate in $p$ and set the derivative to zero"
                       + ("; the weights $a$ and $b$ stay in the equation." if rule.startswith("weighted") else ".")]

    def steps(self, p):
        q, rule = p["q"], p["rule"]
        if rule == "abs":
            return [r"$\mathbb{E}[S] = q(1 - p) + (1 - q)p = q + (1 - 2q)\,p$, linear in $p$ with slope "
                    f"$1 - 2q = {f(1 - 2 * q)}$.",
                    f"The minimum is at $p = {f(self.correct(p))}$: the absolute error rewards announcing a "
                    "certainty, so it is not a proper scoring rule."]
        if rule in ("log", "weighted_log"):
            a, b = (p["a"], p["b"]) if rule == "weighted_log" else (1, 1)
            deriv = (r"-\frac{a q}{p} + \frac{b (1 - q)}{1 - p}" if rule == "weighted_log"
                     else r"-\frac{q}{p} + \frac{1 - q}{1 - p}")
        else:
            a, b = (p["a"], p["b"]) if rule == "weighted_brier" else (1, 1)
            deriv = (r"-2 a q (1 - p) + 2 b (1 - q) p" if rule == "weighted_brier" else r"-2q(1 - p) + 2(1 - q)p")
        answer = self.correct(p)
        last = (f"$p^\\star = \\frac{{a q}}{{a q + b(1 - q)}} = \\frac{{{a} \\cdot {q:g}}}{{{a} \\cdot {q:g} + {b} "
                f"\\cdot {f(1 - q)}}} = {f(answer)}$, not $q$: the weighted rule is not proper."
                if rule.startswith("weighted") else
                f"$p^\\star = q = {q:g}$: the rule is strictly proper, the truthful forecast is its only minimiser.")
        return [f"$\\frac{{d}}{{dp}}\\mathbb{{E}}[S] = {deriv} = 0$.", last]


# ---------------------------------------------------------------------------------- Bregman divergences
def _phi(name: str, t: float) -> float:
    if name == "square":
        return t * t
    if name == "xlogx":
        return t * math.log(t) - t
    if name == "negent":
        return t * math.log(t) + (1 - t) * math.log1p(-t)
    if name == "exp":
        return math.exp(t)
    if name == "neglog":
        return -math.log(t)
    raise ValueError(f"unknown phi {name!r}")


def _dphi(name: str, t: float) -> float:
    return {"square": lambda: 2 * t, "xlogx": lambda: math.log(t), "negent": lambda: math.log(t) - math.log1p(-t),
            "exp": lambda: math.exp(t), "neglog": lambda: -1 / t}[name]()


def bregman(name: str, y: float, p: float) -> float:
    """D_phi(y, p) = phi(y) - phi(p) - phi'(p) (y - p)."""
    return _phi(name, y) - _phi(name, p) - _dphi(name, p) * (y - p)


_PHI_TEX = {
    "square": r"\varphi(t) = t^2",
    "xlogx": r"\varphi(t) = t \log t - t \ (t > 0)",
    "negent": r"\varphi(t) = t \log t + (1 - t)\log(1 - t) \ (0 < t < 1)",
    "exp": r"\varphi(t) = e^t",
    "neglog": r"\varphi(t) = -\log t \ (t > 0)",
}


class BregmanDivergence(NumericExercise):
    """The Bregman divergence generated by a given convex function, at one pair (y, p)."""

    id = "scoring.bregman"
    skill = "scoring.bregman"
    title = "The Bregman divergence of a convex function"
    depth = "derive"

    def make_params(self, rng):
        name = rng.choice(sorted(_PHI_TEX))
        if name == "negent":
            y, p = rng.sample([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9], 2)
        elif name in ("xlogx", "neglog"):
            y, p = rng.sample([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0], 2)
        else:
            y, p = rng.sample([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0], 2)
        return {"phi": name, "y": y, "p": p}

    def statement(self, p):
        return (r"The Bregman divergence generated by a strictly convex, differentiable $\varphi$ is "
                r"$D_\varphi(y, p) = \varphi(y) - \varphi(p) - \varphi'(p)\,(y - p)$: how far $\varphi(y)$ lies "
                r"above the tangent to $\varphi$ at $p$. For "
                f"${_PHI_TEX[p['phi']]}$, compute $D_\\varphi(y, p)$ at $y = {p['y']:g}$ and $p = {p['p']:g}$ "
                "(natural logarithm).")

    def correct(self, p):
        return bregman(p["phi"], p["y"], p["p"])

    def mistakes(self, p):
        name, y, pr = p["phi"], p["y"], p["p"]
        found = [
            Mistake("tangent_at_y", _phi(name, y) - _phi(name, pr) - _dphi(name, y) * (y - pr),
                    "The tangent is taken at the prediction: use $\\varphi'(p)$, not $\\varphi'(y)$."),
            Mistake("no_linear_term", _phi(name, y) - _phi(name, pr),
                    "That is $\\varphi(y) - \\varphi(p)$ only: subtract the tangent's rise $\\varphi'(p)(y - p)$ too. "
                    "A divergence is never negative."),
            Mistake("sign_linear", _phi(name, y) - _phi(name, pr) + _dphi(name, pr) * (y - pr),
                    "The linear term is subtracted: $D_\\varphi(y, p) = \\varphi(y) - \\varphi(p) - "
                    "\\varphi'(p)(y - p)$."),
        ]
        if name != "square":
            found.append(Mistake("swapped_args", bregman(name, pr, y),
                                 "That is $D_\\varphi(p, y)$. A Bregman divergence is not symmetric (except for "
                                 "$t^2$): the tangent is taken at the second argument, the prediction $p$."))
        return found

    def hints(self, problem):
        name = problem.params["phi"]
        deriv = {"square": "2t", "xlogx": r"\log t", "negent": r"\log\frac{t}{1 - t}", "exp": "e^t",
                 "neglog": r"-1/t"}[name]
        return [r"First differentiate: here $\varphi'(t) = " + deriv + "$.",
                r"Evaluate $\varphi(y)$, $\varphi(p)$ and $\varphi'(p)$, then "
                r"$D = \varphi(y) - \varphi(p) - \varphi'(p)(y - p)$; the result is never negative."]

    def steps(self, p):
        name, y, pr = p["phi"], p["y"], p["p"]
        closed = {"square": r"(y - p)^2", "xlogx": r"y \log\frac{y}{p} - y + p",
                  "negent": r"y \log\frac{y}{p} + (1 - y)\log\frac{1 - y}{1 - p}",
                  "exp": r"e^y - e^p - e^p (y - p)", "neglog": r"\frac{y}{p} - \log\frac{y}{p} - 1"}[name]
        known = {"square": "the squared error", "xlogx": "half the Poisson deviance",
                 "negent": "the KL divergence between Bernoulli(y) and Bernoulli(p), the log loss minus the "
                           "entropy of y",
                 "exp": "the divergence of the exponential function", "neglog": "the Itakura-Saito divergence"}[name]
        return [
            f"$\\varphi({y:g}) = {f(_phi(name, y))}$, $\\varphi({pr:g}) = {f(_phi(name, pr))}$, "
            f"$\\varphi'({pr:g}) = {f(_dphi(name, pr))}$.",
            f"$D = {f(_phi(name, y))} - ({f(_phi(name, pr))}) - ({f(_dphi(name, pr))})({f(y - pr)}) "
            f"= {f(self.correct(p))}$.",
            f"In closed form $D_\\varphi(y, p) = {closed}$: {known}.",
        ]


EXERCISES = [ExpectedCalibrationError(), MurphyDecomposition(), TemperatureApply(), TemperatureNewton(),
             ExpectedScore(), ScoreMinimiser(), BregmanDivergence()]
