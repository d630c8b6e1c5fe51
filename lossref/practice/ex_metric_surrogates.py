"""Exercises of session 7: differentiable surrogates for metrics that do not decompose over examples
(soft Dice and IoU, their gradients, the AUC as a mean over pairs)."""

from __future__ import annotations

import math

from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["SoftOverlap", "SoftDiceGradient", "PairwiseAUC"]


def _sums(y: list[int], p: list[float]) -> tuple[float, float]:
    """(I, S) = (sum p_i y_i, sum p_i + sum y_i)."""
    return math.fsum(a * b for a, b in zip(p, y)), math.fsum(p) + sum(y)


def _draw(rng, n: int) -> tuple[list[int], list[float]]:
    y = [rng.choice([0, 1]) for _ in range(n)]
    p = [round(rng.uniform(0.05, 0.95), 2) for _ in range(n)]
    return y, p


def _show(y, p) -> str:
    return (f"labels $y = ({', '.join(str(v) for v in y)})$ and predicted probabilities "
            f"$p = ({', '.join(f'{v:.2f}' for v in p)})$")


# ---------------------------------------------------------------------------------- soft Dice / IoU
class SoftOverlap(NumericExercise):
    """Soft Dice 2 I / S or soft IoU I / (S - I) of a small set, with I = sum p y and S = sum p + sum y."""

    id = "custom.soft_overlap"
    skill = "custom.surrogate"
    title = "Soft Dice and soft IoU"

    def make_params(self, rng):
        y, p = _draw(rng, rng.choice([4, 5]))
        return {"metric": rng.choice(["dice", "iou"]), "y": y, "p": p}

    def acceptable(self, params):
        return 1 <= sum(params["y"]) < len(params["y"]) and super().acceptable(params)

    def statement(self, p):
        name = ("the soft Dice coefficient (soft $F_1$), $\\dfrac{2 \\sum_i p_i y_i}{\\sum_i p_i + \\sum_i y_i}$"
                if p["metric"] == "dice" else
                "the soft IoU, $\\dfrac{\\sum_i p_i y_i}{\\sum_i p_i + \\sum_i y_i - \\sum_i p_i y_i}$")
        return (f"A segmentation model gives, for the {len(p['y'])} pixels of a small image, {_show(p['y'], p['p'])}. "
                f"Compute {name}, over the whole image.")

    def correct(self, p):
        inter, total = _sums(p["y"], p["p"])
        return 2 * inter / total if p["metric"] == "dice" else inter / (total - inter)

    def _hard(self, p):
        d = [1 if v > 0.5 else 0 for v in p["p"]]
        tp = sum(a * b for a, b in zip(d, p["y"]))
        total = sum(d) + sum(p["y"])
        return 2 * tp / total if p["metric"] == "dice" else tp / (total - tp)

    def mistakes(self, p):
        inter, total = _sums(p["y"], p["p"])
        per_example = [2 * a * b / (a + b) for a, b in zip(p["p"], p["y"])]
        found = [
            Mistake("hard_threshold", self._hard(p),
                    "That thresholds the probabilities at 0.5 and computes the hard metric. The soft version uses "
                    "the probabilities themselves, which is what makes it differentiable."),
            Mistake("mean_per_example", math.fsum(per_example) / len(per_example),
                    "That averages a score per pixel. The metric is one ratio of sums over the whole image: it does "
                    "not decompose over pixels."),
        ]
        if p["metric"] == "dice":
            found += [
                Mistake("iou_instead", inter / (total - inter),
                        "That is the soft IoU. The Dice coefficient is $2I / S$."),
                Mistake("forgot_two", inter / total,
                        "The factor 2 is missing: $\\sum_i p_i + \\sum_i y_i$ counts the overlap twice, so Dice is "
                        "$2I / S$ and equals 1 for a perfect prediction."),
            ]
        else:
            found.append(Mistake("dice_instead", 2 * inter / total,
                                 "That is the soft Dice coefficient. The IoU divides the overlap $I$ by the union "
                                 "$S - I$."))
        return found

    def hints(self, problem):
        return [
            "Compute three sums over the pixels: $I = \\sum_i p_i y_i$, $\\sum_i p_i$ and $\\sum_i y_i$.",
            ("Dice is $2I / (\\sum_i p_i + \\sum_i y_i)$." if problem.params["metric"] == "dice" else
             "IoU is $I / (\\sum_i p_i + \\sum_i y_i - I)$: overlap over union."),
        ]

    def steps(self, p):
        inter, total = _sums(p["y"], p["p"])
        last = (f"Soft Dice $= 2 \\cdot {f(inter)} / {f(total)} \\approx {f(self.correct(p))}$."
                if p["metric"] == "dice" else
                f"Soft IoU $= {f(inter)} / ({f(total)} - {f(inter)}) \\approx {f(self.correct(p))}$.")
        return [
            f"$I = \\sum_i p_i y_i = {f(inter)}$ (the probabilities of the pixels labelled 1).",
            f"$\\sum_i p_i = {f(math.fsum(p['p']))}$ and $\\sum_i y_i = {sum(p['y'])}$, so $S = {f(total)}$.",
            last,
        ]


# ---------------------------------------------------------------------------------- soft Dice gradient
class SoftDiceGradient(NumericExercise):
    """d(1 - soft Dice)/dp_k = -(2 y_k / S - 2 I / S^2) by the quotient rule."""

    id = "custom.soft_dice_grad"
    skill = "custom.surrogate"
    title = "The gradient of the soft Dice loss"
    depth = "derive"

    def make_params(self, rng):
        y, p = _draw(rng, 4)
        return {"y": y, "p": p, "k": rng.randrange(4)}

    def acceptable(self, params):
        return 1 <= sum(params["y"]) < 4 and super().acceptable(params)

    def statement(self, p):
        return (f"The soft Dice loss $L = 1 - \\dfrac{{2 \\sum_i p_i y_i}}{{\\sum_i p_i + \\sum_i y_i}}$ is computed on a "
                f"batch of four pixels with {_show(p['y'], p['p'])} (pixels numbered from 1). Derive "
                f"$\\partial L / \\partial p_{p['k'] + 1}$ and compute it.")

    def correct(self, p):
        inter, total = _sums(p["y"], p["p"])
        return -(2 * p["y"][p["k"]] / total - 2 * inter / total**2)

    def mistakes(self, p):
        inter, total = _sums(p["y"], p["p"])
        yk, pk = p["y"][p["k"]], p["p"][p["k"]]
        found = [
            Mistake("sign_flipped", -self.correct(p),
                    "That is the derivative of the Dice coefficient; the loss is $1 -$ Dice, so the sign flips."),
            Mistake("denominator_not_squared", -(2 * yk / total - 2 * inter / total),
                    "The quotient rule gives $-2I/S^2$ for the denominator's term: $S$ appears squared."),
            Mistake("single_pixel", -(2 * yk / (pk + yk) - 2 * pk * yk / (pk + yk) ** 2),
                    "That differentiates the pixel's own Dice $2 p_k y_k / (p_k + y_k)$. The loss is one ratio over the "
                    "whole batch: its sums $I$ and $S$ run over every pixel."),
        ]
        if yk == 1:
            found.append(Mistake("numerator_only", -2 / total,
                                 "That differentiates the numerator only. $p_k$ is also in the denominator $S$, "
                                 "which adds $+2I/S^2$."))
        return found

    def hints(self, problem):
        return [
            "Write Dice as $2I/S$ with $I = \\sum_i p_i y_i$ and $S = \\sum_i p_i + \\sum_i y_i$. What are "
            "$\\partial I / \\partial p_k$ and $\\partial S / \\partial p_k$?",
            "$\\partial I / \\partial p_k = y_k$ and $\\partial S / \\partial p_k = 1$. The quotient rule gives "
            "$\\partial (2I/S) / \\partial p_k = 2 y_k / S - 2 I / S^2$; the loss has the opposite sign.",
        ]

    def steps(self, p):
        inter, total = _sums(p["y"], p["p"])
        yk, k = p["y"][p["k"]], p["k"] + 1
        return [
            f"$I = {f(inter)}$ and $S = {f(total)}$.",
            f"By the quotient rule, $\\partial\\, \\mathrm{{Dice}} / \\partial p_{k} = 2 y_{k} / S - 2 I / S^2$, with "
            f"$y_{k} = {yk}$.",
            f"$\\partial L / \\partial p_{k} = -(2 \\cdot {yk} / {f(total)} - 2 \\cdot {f(inter)} / {f(total)}^2) "
            f"\\approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- AUC over pairs
class PairwiseAUC(NumericExercise):
    """The AUC as the mean over positive-negative pairs of [s_i > s_j] + 1/2 [s_i = s_j]."""

    id = "custom.pairwise_auc"
    skill = "custom.surrogate"
    title = "The AUC as a mean over pairs"

    def make_params(self, rng):
        values = [round(0.1 * v, 1) for v in range(-20, 21)]
        n_pos, n_neg = rng.choice([(2, 3), (3, 3), (2, 4), (3, 4)])
        pos = [rng.choice(values) for _ in range(n_pos)]
        neg = [rng.choice(values) for _ in range(n_neg - 1)] + [rng.choice(pos)]  # at least one tie
        return {"pos": pos, "neg": neg}

    def _counts(self, p):
        above = sum(1 for a in p["pos"] for b in p["neg"] if a > b)
        ties = sum(1 for a in p["pos"] for b in p["neg"] if a == b)
        return above, ties, len(p["pos"]) * len(p["neg"])

    def acceptable(self, params):
        above, ties, pairs = self._counts(params)
        return 0 < above + ties < pairs and super().acceptable(params)

    def statement(self, p):
        pos = ", ".join(f"{v:g}" for v in p["pos"])
        neg = ", ".join(f"{v:g}" for v in p["neg"])
        return (f"A classifier scores the positive examples ${pos}$ and the negative examples ${neg}$. Compute the "
                "AUC as the mean over all positive-negative pairs of $[\\, s_i > s_j \\,] + \\tfrac12 [\\, s_i = s_j "
                "\\,]$, the quantity that pairwise surrogates such as $\\log(1 + e^{-(s_i - s_j)})$ replace by a "
                "smooth loss.")

    def correct(self, p):
        above, ties, pairs = self._counts(p)
        return (above + 0.5 * ties) / pairs

    def mistakes(self, p):
        above, ties, pairs = self._counts(p)
        return [
            Mistake("ties_as_zero", above / pairs, "A tie counts one half, not zero."),
            Mistake("ties_as_one", (above + ties) / pairs, "A tie counts one half, not a whole correct pair."),
            Mistake("reversed", 1 - self.correct(p),
                    "That counts the pairs where the negative scores above the positive: $1 - \\mathrm{AUC}$."),
        ]

    def hints(self, problem):
        p = problem.params
        return [
            f"There are ${len(p['pos'])} \\times {len(p['neg'])}$ pairs of one positive and one negative.",
            "Count the pairs in which the positive scores higher, add one half for each tie, and divide by the "
            "number of pairs.",
        ]

    def steps(self, p):
        above, ties, pairs = self._counts(p)
        return [
            f"{pairs} pairs: the positive is above the negative in {above}, tied in {ties}.",
            f"$\\mathrm{{AUC}} = ({above} + \\tfrac12 \\cdot {ties}) / {pairs} \\approx {f(self.correct(p))}$.",
        ]


EXERCISES = [SoftOverlap(), SoftDiceGradient(), PairwiseAUC()]
