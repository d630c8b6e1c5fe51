"""Exercises of session 10 on overlap losses: soft Dice, Tversky and generalised Dice on small masks, the
GIoU, DIoU and CIoU losses of two boxes with integer corners, and two derivations (the Dice gradient,
the GIoU slope in a box's right edge)."""

from __future__ import annotations

import math

from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["DiceValue", "DiceGradient", "TverskyValue", "GeneralizedDiceValue", "GIoUValue", "DIoUValue",
           "CIoUValue", "GIoURightEdgeSlope"]


# ---------------------------------------------------------------------------------- helpers
def _d(x: float) -> str:
    """A drawn probability with one decimal, never "-0.0"."""
    return f"{x + 0.0:.1f}"


def _g(x: float) -> str:
    """A drawn parameter as written: 0.5, 2, never "-0"."""
    return f"{x + 0.0:g}"


def _plus(x: float) -> str:
    """A term added to a sum as written: "+ 0.25", "- 0.25"."""
    return f"- {f(-x)}" if f(x).startswith("-") else f"+ {f(x)}"


def _mask(values, shape: str, fmt=str) -> str:
    """Four pixel values as the learner reads them: a row (1x4) or a 2x2 matrix, row by row."""
    if shape == "2x2":
        rows = [values[:2], values[2:]]
        return r"\begin{pmatrix} " + r" \\ ".join(" & ".join(fmt(v) for v in row) for row in rows) + r" \end{pmatrix}"
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def _sum(values) -> float:
    """A sum of one-decimal numbers, rounded off its float noise: 0.1 + 0.2 is 0.3."""
    return round(math.fsum(values), 10)


def _draw_mask(rng, pixels: int = 4) -> tuple[list[int], list[float]]:
    """A 0/1 mask with foreground and background, and probabilities with one decimal: high (0.4-1.0) on
    the foreground, low (0-0.6) on the background, as a half-trained network gives."""
    while True:
        y = [rng.choice([0, 1]) for _ in range(pixels)]
        if 0 < sum(y) < pixels:
            break
    p = [rng.randint(4, 10) / 10 if t else rng.randint(0, 6) / 10 for t in y]
    return y, p


def _sums(y, p) -> tuple[float, float, float]:
    """(I, Y, P): the soft intersection sum y p, the mask's size sum y, the prediction's mass sum p."""
    return _sum(t * q for t, q in zip(y, p)), float(sum(y)), _sum(p)


def _dice(i: float, ys: float, ps: float, s: float) -> float:
    """1 - (2I + s) / (Y + P + s)."""
    return 1 - (2 * i + s) / (ys + ps + s)


def _mask_words(p) -> str:
    return "a $2 \\times 2$ image" if p["shape"] == "2x2" else "a $1 \\times 4$ image"


_OVERLAP_SUMS = (r"$I = \sum_j y_j p_j$, $Y = \sum_j y_j$ and $P = \sum_j p_j$ (sums over the four pixels, "
                 r"in any order)")


# ---------------------------------------------------------------------------------- Dice value
class _DiceProblem(NumericExercise):
    """A 1x4 or 2x2 mask, its predicted probabilities and a positive smooth term."""

    def make_params(self, rng):
        y, p = _draw_mask(rng)
        return {"shape": rng.choice(["1x4", "2x2"]), "y": y, "p": p, "s": rng.choice([1.0, 1.0, 0.5, 2.0])}

    def _given(self, p) -> str:
        return (f"A segmentation network predicts {_mask_words(p)}: the target mask is "
                f"$y = {_mask(p['y'], p['shape'])}$ and the predicted foreground probabilities are "
                f"$p = {_mask(p['p'], p['shape'], _d)}$.")

    def _sum_steps(self, p) -> list[str]:
        i, ys, ps = _sums(p["y"], p["p"])
        on = [_d(q) for t, q in zip(p["y"], p["p"]) if t]
        return [f"$I = \\sum_j y_j p_j$ adds the probabilities on the foreground: ${' + '.join(on)} = {f(i)}$; "
                f"$Y = {f(ys)}$ pixels are foreground; $P = \\sum_j p_j = {f(ps)}$."]


class DiceValue(_DiceProblem):
    """The soft Dice loss 1 - (2I + s) / (Y + P + s) of one small mask."""

    id = "dice.value"
    skill = "segmentation.overlap"
    title = "Soft Dice loss of a small mask"

    def statement(self, p):
        return (self._given(p) + " Compute the soft Dice loss $L = 1 - \\dfrac{2I + s}{Y + P + s}$ with "
                f"smoothing $s = {_g(p['s'])}$, where " + _OVERLAP_SUMS + ".")

    def correct(self, p):
        i, ys, ps = _sums(p["y"], p["p"])
        return _dice(i, ys, ps, p["s"])

    def mistakes(self, p):
        i, ys, ps = _sums(p["y"], p["p"])
        s = p["s"]
        return [
            Mistake("smooth_missing_in_numerator", 1 - 2 * i / (ys + ps + s),
                    "The smoothing is missing from the numerator: it is added to both, $(2I + s)/(Y + P + s)$, "
                    "so that an empty mask predicted empty scores $s/s = 1$ (a loss of 0)."),
            Mistake("smooth_missing_in_denominator", 1 - (2 * i + s) / (ys + ps),
                    "The smoothing is missing from the denominator: it is $Y + P + s$. With $s$ on top only, the "
                    "ratio can exceed 1 and the loss go negative."),
            Mistake("forgot_factor_2", 1 - (i + s) / (ys + ps + s),
                    "The factor 2 on the intersection is missing: $Y + P$ counts the overlap twice, so the "
                    "numerator is $2I + s$; without it a perfect prediction would still cost about 1/2."),
            Mistake("coefficient_not_loss", (2 * i + s) / (ys + ps + s),
                    "That is the smoothed Dice coefficient, the overlap score; the loss is one minus it."),
            Mistake("iou_not_dice", 1 - (i + s) / (ys + ps - i + s),
                    "That is the soft Jaccard (IoU) loss, $1 - (I + s)/(Y + P - I + s)$. Dice divides $2I + s$ by "
                    "$Y + P + s$, without taking the overlap off."),
        ]

    def hints(self, problem):
        return [
            "Three sums are all you need: " + _OVERLAP_SUMS + ". With a 0/1 mask, $I$ adds the probabilities "
            "of the foreground pixels only.",
            "Then $L = 1 - (2I + s)/(Y + P + s)$: the smoothing $s$ goes into the numerator and the denominator.",
        ]

    def steps(self, p):
        i, ys, ps = _sums(p["y"], p["p"])
        s = p["s"]
        return self._sum_steps(p) + [
            f"$2I + s = {f(2 * i + s)}$ and $Y + P + s = {f(ys + ps + s)}$, so the Dice coefficient is "
            f"${f(2 * i + s)} / {f(ys + ps + s)} = {f((2 * i + s) / (ys + ps + s))}$.",
            f"$L = 1 - {f((2 * i + s) / (ys + ps + s))} = {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- Dice gradient
def _dice_grad(y, p, s, factor=2.0, smooth=True, quotient=True, square=True) -> list[float]:
    """dL/dp_j = -2 y_j / S + (2I + s) / S^2; the keywords switch on the usual slips."""
    i, ys, ps = _sums(y, p)
    s = s if smooth else 0.0
    big_s = ys + ps + s
    num = 2 * i + s
    tail = num / (big_s * big_s if square else big_s) if quotient else 0.0
    return [-factor * t / big_s + tail for t in y]


class DiceGradient(_DiceProblem):
    """The Dice gradient by the quotient rule: dL/dp_j = -2 y_j / S + (2I + s) / S^2, two values only."""

    id = "dice.gradient"
    skill = "segmentation.overlap"
    title = "The gradient of the soft Dice loss"
    kind = "vector"
    depth = "derive"

    def statement(self, p):
        return (self._given(p) + " The soft Dice loss is $L = 1 - \\dfrac{2I + s}{S}$ with $S = Y + P + s$, "
                + _OVERLAP_SUMS + f", and $s = {_g(p['s'])}$. Derive $\\partial L / \\partial p_j$ and enter it "
                "for the four pixels, in the order the probabilities are listed (row by row).")

    def correct(self, p):
        return _dice_grad(p["y"], p["p"], p["s"])

    def mistakes(self, p):
        y, q, s = p["y"], p["p"], p["s"]
        return [
            Mistake("sign_flipped", [-g for g in self.correct(p)],
                    "The signs are flipped: that is the gradient of the Dice coefficient $N/S$, not of the loss "
                    "$1 - N/S$. Raising a foreground probability lowers the loss, so its slope is negative."),
            Mistake("forgot_factor_2", _dice_grad(y, q, s, factor=1.0),
                    "The foreground term is $-y_j/S$: the factor 2 is missing. The numerator $N = 2I + s$ has "
                    "$\\partial N/\\partial p_j = 2 y_j$."),
            Mistake("denominator_held_constant", _dice_grad(y, q, s, quotient=False),
                    "Only $-2y_j/S$: the denominator was held constant. $S = Y + P + s$ grows with every "
                    "$p_j$ ($\\partial S/\\partial p_j = 1$), which adds $+(2I + s)/S^2$ to every pixel, the "
                    "background included."),
            Mistake("forgot_smooth", _dice_grad(y, q, s, smooth=False),
                    "The smoothing is missing: $s$ stays in $N = 2I + s$ and in $S = Y + P + s$ when you "
                    "differentiate; it is a constant, not a term to drop."),
            Mistake("quotient_rule_square_missing", _dice_grad(y, q, s, square=False),
                    "The second term is $(2I + s)/S$: the quotient rule divides by $S^2$, "
                    "$\\partial(N/S) = (N' S - N S')/S^2$."),
        ]

    def hints(self, problem):
        return [
            "Write $L = 1 - N/S$ with $N = 2I + s$ and $S = Y + P + s$. Only $I$ and $P$ depend on $p_j$: "
            "$\\partial I/\\partial p_j = y_j$ and $\\partial P/\\partial p_j = 1$.",
            "The quotient rule: $\\partial L/\\partial p_j = -(2 y_j S - N)/S^2 = -2 y_j/S + N/S^2$.",
            "So the gradient takes two values: $N/S^2 - 2/S$ on the foreground and $N/S^2$ on the background.",
        ]

    def steps(self, p):
        i, ys, ps = _sums(p["y"], p["p"])
        s = p["s"]
        big_s, num = ys + ps + s, 2 * i + s
        return self._sum_steps(p) + [
            f"$N = 2I + s = {f(num)}$ and $S = Y + P + s = {f(big_s)}$.",
            r"$\partial N/\partial p_j = 2 y_j$ and $\partial S / \partial p_j = 1$, so by the quotient rule "
            r"$\partial L/\partial p_j = -\dfrac{2 y_j S - N}{S^2} = -\dfrac{2 y_j}{S} + \dfrac{N}{S^2}$.",
            f"Background ($y_j = 0$): $N/S^2 = {f(num)}/{f(big_s)}^2 = {f(num / big_s ** 2)}$. Foreground "
            f"($y_j = 1$): $-2/{f(big_s)} + {f(num / big_s ** 2)} = {f(num / big_s ** 2 - 2 / big_s)}$.",
            "In the order given: $(" + ", ".join(f(g) for g in self.correct(p)) + ")$. The foreground slopes are "
            "negative (raise them), the background ones positive (lower them), whatever their current values.",
        ]


# ---------------------------------------------------------------------------------- Tversky
_WEIGHTS = [(0.3, 0.7), (0.7, 0.3), (0.2, 0.8), (0.4, 0.6), (0.6, 0.4), (0.8, 0.2)]


def _tversky(y, p, alpha, beta, s) -> float:
    """1 - (TP + s) / (TP + alpha FP + beta FN + s)."""
    tp, fp, fn = _counts(y, p)
    return 1 - (tp + s) / (tp + alpha * fp + beta * fn + s)


def _counts(y, p) -> tuple[float, float, float]:
    """The soft counts (TP, FP, FN) = (sum y p, sum (1 - y) p, sum y (1 - p))."""
    return (_sum(t * q for t, q in zip(y, p)), _sum((1 - t) * q for t, q in zip(y, p)),
            _sum(t * (1 - q) for t, q in zip(y, p)))


class TverskyValue(NumericExercise):
    """The Tversky loss with alpha on the false positives and beta on the false negatives."""

    id = "tversky.value"
    skill = "segmentation.overlap"
    title = "Tversky loss of a small mask"

    def make_params(self, rng):
        y, p = _draw_mask(rng)
        alpha, beta = rng.choice(_WEIGHTS)
        return {"shape": rng.choice(["1x4", "2x2"]), "y": y, "p": p, "alpha": alpha, "beta": beta,
                "s": rng.choice([0.0, 1.0])}

    def acceptable(self, p):
        return _counts(p["y"], p["p"])[0] > 0 and super().acceptable(p)

    def statement(self, p):
        smooth = "no smoothing ($s = 0$)" if p["s"] == 0 else f"smoothing $s = {_g(p['s'])}$"
        return (f"A segmentation network predicts {_mask_words(p)}: the target mask is "
                f"$y = {_mask(p['y'], p['shape'])}$ and the predicted foreground probabilities are "
                f"$p = {_mask(p['p'], p['shape'], _d)}$. Compute the Tversky loss "
                r"$L = 1 - \dfrac{\mathrm{TP} + s}{\mathrm{TP} + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN} + s}$ "
                r"with the soft counts $\mathrm{TP} = \sum_j y_j p_j$, $\mathrm{FP} = \sum_j (1 - y_j) p_j$ and "
                r"$\mathrm{FN} = \sum_j y_j (1 - p_j)$, "
                f"$\\alpha = {_g(p['alpha'])}$, $\\beta = {_g(p['beta'])}$ and {smooth}.")

    def correct(self, p):
        return _tversky(p["y"], p["p"], p["alpha"], p["beta"], p["s"])

    def mistakes(self, p):
        y, q, a, b, s = p["y"], p["p"], p["alpha"], p["beta"], p["s"]
        tp, fp, fn = _counts(y, q)
        den = tp + a * fp + b * fn + s
        found = [
            Mistake("swapped_alpha_beta", _tversky(y, q, b, a, s),
                    f"$\\alpha$ and $\\beta$ are swapped: here $\\alpha = {_g(a)}$ weighs the false positives "
                    f"$\\sum_j (1 - y_j) p_j$ and $\\beta = {_g(b)}$ the false negatives $\\sum_j y_j (1 - p_j)$, "
                    "as in the paper, lossref and optax. Keras 3's Tversky names them the other way round (its "
                    "alpha weighs the false negatives): check which is which before porting a setting."),
            Mistake("index_not_loss", (tp + s) / den,
                    "That is the Tversky index, the overlap score; the loss is one minus it."),
            Mistake("counts_include_tp", 1 - (tp + s) / (tp + a * _sum(q) + b * sum(y) + s),
                    "FP and FN were taken as $P = \\sum_j p_j$ and $Y = \\sum_j y_j$, which include the true "
                    "positives. A false positive is predicted mass outside the mask, $\\sum_j (1 - y_j) p_j$; a "
                    "false negative is the mask's missed mass, $\\sum_j y_j (1 - p_j)$."),
            Mistake("dice_weights", _tversky(y, q, 0.5, 0.5, s),
                    f"That uses $\\alpha = \\beta = 1/2$, the Dice weights. The point of Tversky is the unequal "
                    f"weights: $\\alpha = {_g(a)}$ on the false positives, $\\beta = {_g(b)}$ on the false "
                    "negatives."),
        ]
        if s > 0:
            found.append(Mistake("smooth_missing_in_numerator", 1 - tp / den,
                                 "The smoothing is missing from the numerator: $s$ is added to both, "
                                 "$(\\mathrm{TP} + s)/(\\mathrm{TP} + \\alpha\\,\\mathrm{FP} + \\beta\\,\\mathrm{FN} "
                                 "+ s)$."))
        return found

    def hints(self, problem):
        return [
            "Compute the three soft counts first: TP adds the probabilities on the mask, FP the probabilities off "
            "the mask, FN the missing mass $1 - p_j$ on the mask.",
            "$\\alpha$ multiplies FP and $\\beta$ multiplies FN; then $L = 1 - (\\mathrm{TP} + s)/(\\mathrm{TP} + "
            "\\alpha\\,\\mathrm{FP} + \\beta\\,\\mathrm{FN} + s)$.",
        ]

    def steps(self, p):
        y, q, a, b, s = p["y"], p["p"], p["alpha"], p["beta"], p["s"]
        tp, fp, fn = _counts(y, q)
        den = tp + a * fp + b * fn + s
        return [
            f"On the mask: $\\mathrm{{TP}} = {f(tp)}$ and $\\mathrm{{FN}} = {f(sum(y))} - {f(tp)} = {f(fn)}$; off "
            f"the mask: $\\mathrm{{FP}} = {f(fp)}$.",
            f"Denominator: ${f(tp)} + {_g(a)} \\times {f(fp)} + {_g(b)} \\times {f(fn)} + {_g(s)} = {f(den)}$.",
            f"$L = 1 - {f(tp + s)}/{f(den)} = {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- generalised Dice
WEIGHT_EPS = 1e-7  # in w_c = 1 / (f_c^2 + 1e-7), optax's


def _weights(freq, power=2, renormalise=True) -> list[float]:
    """C (f_c^power + 1e-7)^-1 / sum_k (f_k^power + 1e-7)^-1, or the raw inverses."""
    raw = [1 / (v ** power + WEIGHT_EPS) for v in freq]
    if not renormalise:
        return raw
    total = math.fsum(raw)
    return [len(raw) * w / total for w in raw]


class GeneralizedDiceValue(NumericExercise):
    """Generalised Dice of one image with two classes: weights from the class sizes, renormalised to C."""

    id = "generalized_dice.value"
    skill = "segmentation.overlap"
    title = "Generalised Dice loss with class weights"

    def make_params(self, rng):
        n = rng.choice([4, 5, 6])
        while True:
            labels = [rng.choice([0, 0, 1]) for _ in range(n)]
            if 0 < sum(labels) < n and 2 * sum(labels) != n:
                break
        q = [rng.randint(5, 9) / 10 if c else rng.randint(1, 5) / 10 for c in labels]
        return {"labels": labels, "q": q}

    def _probs(self, p) -> list[list[float]]:
        """Per class, the probability of every pixel: class 0 is 1 - q, class 1 is q."""
        return [[round(1 - v, 10) for v in p["q"]], list(p["q"])]

    def _terms(self, p):
        """(f_c, I_c, P_c, d_c) for the two classes."""
        rows = []
        for c, probs in enumerate(self._probs(p)):
            y = [1.0 if label == c else 0.0 for label in p["labels"]]
            i, ys, ps = _sums(y, probs)
            rows.append((ys, i, ps, _dice(i, ys, ps, 0.0)))
        return rows

    def statement(self, p):
        n = len(p["labels"])
        return (f"A two-class segmentation of a $1 \\times {n}$ image (the whole batch) has the pixel labels "
                f"$({', '.join(str(c) for c in p['labels'])})$, and the network gives class 1 the probabilities "
                f"$q = ({', '.join(_d(v) for v in p['q'])})$ (class 0 gets $1 - q_j$). The generalised Dice loss "
                r"weighs each class's Dice loss $d_c = 1 - \dfrac{2 I_c}{Y_c + P_c}$ (no smoothing; $I_c$, $Y_c$, "
                r"$P_c$ are the sums of $y_{cj} p_{cj}$, $y_{cj}$ and $p_{cj}$ over the pixels) by "
                r"$w_c = C\,\dfrac{(f_c^2 + 10^{-7})^{-1}}{\sum_k (f_k^2 + 10^{-7})^{-1}}$, where $f_c$ is the "
                r"number of pixels of class $c$ in the batch and $C = 2$. Compute "
                r"$L = \frac{1}{C} \sum_c w_c\, d_c$.")

    def _loss(self, p, weights, scale=0.5):
        return scale * math.fsum(w * t[3] for w, t in zip(weights, self._terms(p)))

    def correct(self, p):
        freq = [t[0] for t in self._terms(p)]
        return self._loss(p, _weights(freq))

    def mistakes(self, p):
        terms = self._terms(p)
        freq = [t[0] for t in terms]
        mass = [t[2] for t in terms]
        return [
            Mistake("unweighted", self._loss(p, [1.0, 1.0]),
                    "That is the plain mean of the two classes' Dice losses: the class weights are missing. "
                    "The rare class's loss gets the larger weight."),
            Mistake("weights_not_renormalised", self._loss(p, _weights(freq, renormalise=False)),
                    "The weights $1/(f_c^2 + 10^{-7})$ were used as they are: they must be rescaled to sum to "
                    "$C = 2$, so that only their ratio matters and the loss keeps the scale of a Dice loss."),
            Mistake("inverse_not_squared", self._loss(p, _weights(freq, power=1)),
                    "The weights are proportional to $1/f_c$: they are the inverse of the squared class size, "
                    "$1/(f_c^2 + 10^{-7})$, so a class with half the pixels gets four times the weight."),
            Mistake("sum_not_mean", self._loss(p, _weights(freq), scale=1.0),
                    "That is $\\sum_c w_c d_c$ without the $1/C$: the loss is the mean over the classes of "
                    "$w_c d_c$ (the weights sum to $C$, so equal losses $d$ give $L = d$)."),
            Mistake("weights_from_predictions", self._loss(p, _weights(mass)),
                    "The weights were computed from the predicted masses $P_c$; they come from the targets, the "
                    "number of pixels $f_c$ of each class (so they are constants for the gradient)."),
        ]

    def hints(self, problem):
        return [
            "Count the pixels of each class, $f_0$ and $f_1$; the weights are $1/f_c^2$ (the $10^{-7}$ is "
            "negligible here), rescaled so that $w_0 + w_1 = 2$.",
            "For each class, $I_c$ adds that class's probabilities on its own pixels, $Y_c = f_c$ and $P_c$ adds "
            "its probabilities over all pixels; then $d_c = 1 - 2I_c/(Y_c + P_c)$.",
            "$L = \\frac12 (w_0 d_0 + w_1 d_1)$.",
        ]

    def steps(self, p):
        terms = self._terms(p)
        freq = [t[0] for t in terms]
        raw, w = _weights(freq, renormalise=False), _weights(freq)
        rows = [f"Class sizes $f_0 = {f(freq[0])}$, $f_1 = {f(freq[1])}$; $1/f_c^2$: ${f(raw[0])}$ and "
                f"${f(raw[1])}$, rescaled to sum to 2: $w_0 = {f(w[0])}$, $w_1 = {f(w[1])}$."]
        for c, (ys, i, ps, dc) in enumerate(terms):
            rows.append(f"Class {c}: $I_{c} = {f(i)}$, $Y_{c} = {f(ys)}$, $P_{c} = {f(ps)}$, "
                        f"$d_{c} = 1 - {f(2 * i)}/{f(ys + ps)} = {f(dc)}$.")
        rows.append(f"$L = \\frac12 ({f(w[0])} \\times {f(terms[0][3])} + {f(w[1])} \\times {f(terms[1][3])}) = "
                    f"{f(self.correct(p))}$.")
        return rows


# ---------------------------------------------------------------------------------- boxes
def _box(b) -> str:
    return "(" + ", ".join(str(v) for v in b) + ")"


def _draw_box(rng) -> list[int]:
    x1, y1 = rng.randint(0, 4), rng.randint(0, 4)
    return [x1, y1, x1 + rng.randint(1, 4), y1 + rng.randint(1, 4)]


def _geometry(t, b) -> dict:
    """Areas and lengths of a target box t and a predicted box b, (x1, y1, x2, y2) each."""
    iw = min(b[2], t[2]) - max(b[0], t[0])
    ih = min(b[3], t[3]) - max(b[1], t[1])
    inter = max(iw, 0) * max(ih, 0)
    area_t = (t[2] - t[0]) * (t[3] - t[1])
    area = (b[2] - b[0]) * (b[3] - b[1])
    union = area + area_t - inter
    cw = max(b[2], t[2]) - min(b[0], t[0])
    ch = max(b[3], t[3]) - min(b[1], t[1])
    dx = (b[0] + b[2] - t[0] - t[2]) / 2
    dy = (b[1] + b[3] - t[1] - t[3]) / 2
    return {"iw": iw, "ih": ih, "I": inter, "At": area_t, "A": area, "U": union, "cw": cw, "ch": ch,
            "C": cw * ch, "dx": dx, "dy": dy, "rho2": dx * dx + dy * dy, "c2": cw * cw + ch * ch}


def _boxes_statement(p, what: str) -> str:
    return (f"A detector predicts the box $b = {_box(p['b'])}$ for the target box $b^t = {_box(p['t'])}$, both "
            f"written $(x_1, y_1, x_2, y_2)$ with $x_1 < x_2$ and $y_1 < y_2$. {what} Take $\\varepsilon = 0$ "
            "(lossref's default $10^{-7}$ changes only the seventh digit).")


def _overlap_steps(g) -> list[str]:
    inter = (f"the intersection is ${g['iw']} \\times {g['ih']} = {g['I']}$" if g["I"] > 0 else
             "the boxes do not overlap, so $I = 0$")
    return [f"Areas: $A = {g['A']}$, $A^t = {g['At']}$; {inter}; the union is $U = {g['A']} + {g['At']} - {g['I']} "
            f"= {g['U']}$, so $\\mathrm{{IoU}} = {g['I']}/{g['U']} = {f(g['I'] / g['U'])}$."]


def _enclosing_step(g) -> str:
    return f"The smallest enclosing box is ${g['cw']} \\times {g['ch']}$, $C = {g['C']}$."


def _distance_step(g) -> str:
    return (f"The centres differ by $\\Delta x = {_g(g['dx'])}$, $\\Delta y = {_g(g['dy'])}$: "
            f"$\\rho^2 = {f(g['rho2'])}$; the enclosing box is ${g['cw']} \\times {g['ch']}$, so its squared "
            f"diagonal is $c^2 = {g['cw']}^2 + {g['ch']}^2 = {g['c2']}$.")


class _TwoBoxes(NumericExercise):
    """A target and a predicted box with integer corners; seed 0 is the loss's docstring example."""

    fixed_b: list[int] = [1, 1, 3, 3]

    def fixed_params(self, seed):
        return {"t": [0, 0, 2, 2], "b": list(self.fixed_b)} if seed == 0 else None

    def make_params(self, rng):
        return {"t": _draw_box(rng), "b": _draw_box(rng)}

    def acceptable(self, p):
        g = _geometry(p["t"], p["b"])
        # touching boxes (an edge in common, no area) are left out: a learner reads them either way
        return g["iw"] != 0 and g["ih"] != 0 and p["t"] != p["b"] and super().acceptable(p)


class GIoUValue(_TwoBoxes):
    """L = 1 - I/U + (C - U)/C with C the smallest enclosing box."""

    id = "giou_box.value"
    skill = "segmentation.boxes"
    title = "GIoU loss of two boxes"

    def statement(self, p):
        return _boxes_statement(p, "Compute the GIoU loss $L = 1 - \\dfrac{I}{U + \\varepsilon} + "
                                   "\\dfrac{C - U}{C + \\varepsilon}$, with $I$ the area of the intersection, $U$ "
                                   "of the union and $C$ of the smallest box enclosing both.")

    def correct(self, p):
        g = _geometry(p["t"], p["b"])
        return 1 - g["I"] / g["U"] + (g["C"] - g["U"]) / g["C"]

    def mistakes(self, p):
        g = _geometry(p["t"], p["b"])
        inter, union, c = g["I"], g["U"], g["C"]
        pen = (c - union) / c
        both = g["A"] + g["At"]
        return [
            Mistake("forgot_enclosing_term", 1 - inter / union,
                    "That is the IoU loss $1 - I/U$: the enclosing-box term $(C - U)/C$ is missing. It is what "
                    "gives disjoint boxes a loss above 1 that shrinks as they come closer."),
            Mistake("divided_by_union", 1 - inter / union + (c - union) / union,
                    "The extra term is divided by the union: it is $(C - U)/C$, the share of the enclosing box "
                    "that neither box covers, so it stays below 1."),
            Mistake("union_counts_overlap_twice", 1 - inter / both + (c - both) / c,
                    "The union was taken as $A + A^t$: the intersection is counted twice there; "
                    "$U = A + A^t - I$."),
            Mistake("penalty_subtracted", 1 - inter / union - pen,
                    "The enclosing term was subtracted. GIoU $= \\mathrm{IoU} - (C - U)/C$, and the loss is "
                    "$1 - \\mathrm{GIoU}$, so the term is added."),
            Mistake("giou_not_loss", inter / union - pen,
                    "That is GIoU itself, the score; the loss is $1 - \\mathrm{GIoU}$."),
        ]

    def hints(self, problem):
        return [
            "Intersection: width $\\min(x_2, x_2^t) - \\max(x_1, x_1^t)$ and height likewise, each clipped at 0. "
            "The union is $U = A + A^t - I$.",
            "The enclosing box runs from $\\min(x_1, x_1^t)$ to $\\max(x_2, x_2^t)$, and the same in $y$.",
            "$L = 1 - I/U + (C - U)/C$.",
        ]

    def steps(self, p):
        g = _geometry(p["t"], p["b"])
        return _overlap_steps(g) + [
            _enclosing_step(g) + f" The term $(C - U)/C = {g['C'] - g['U']}/{g['C']} = "
                                 f"{f((g['C'] - g['U']) / g['C'])}$.",
            f"$L = 1 - {f(g['I'] / g['U'])} + {f((g['C'] - g['U']) / g['C'])} = {f(self.correct(p))}$.",
        ]


class DIoUValue(_TwoBoxes):
    """L = 1 - I/U + rho^2 / c^2, the centres' squared distance over the enclosing box's squared diagonal."""

    id = "diou_box.value"
    skill = "segmentation.boxes"
    title = "DIoU loss of two boxes"

    def statement(self, p):
        return _boxes_statement(p, "Compute the DIoU loss $L = 1 - \\dfrac{I}{U + \\varepsilon} + "
                                   "\\dfrac{\\rho^2}{c^2 + \\varepsilon}$, with $I$ and $U$ the areas of the "
                                   "intersection and the union, $\\rho$ the distance between the boxes' centres and "
                                   "$c$ the diagonal of the smallest box enclosing both.")

    def correct(self, p):
        g = _geometry(p["t"], p["b"])
        return 1 - g["I"] / g["U"] + g["rho2"] / g["c2"]

    def mistakes(self, p):
        g = _geometry(p["t"], p["b"])
        iou_loss = 1 - g["I"] / g["U"]
        t = p["t"]
        found = [
            Mistake("forgot_distance_term", iou_loss,
                    "That is the IoU loss $1 - I/U$: the centre-distance term $\\rho^2/c^2$ is missing."),
            Mistake("distance_not_squared", iou_loss + math.sqrt(g["rho2"] / g["c2"]),
                    "That adds $\\rho/c$; DIoU adds the ratio of the squares, $\\rho^2/c^2$."),
            Mistake("enclosing_area_not_diagonal", iou_loss + g["rho2"] / g["C"],
                    "That divides $\\rho^2$ by the enclosing box's area; DIoU divides by its squared diagonal "
                    "$c^2 = w_C^2 + h_C^2$, a squared length like $\\rho^2$, so the term stays below 1."),
            Mistake("target_diagonal", iou_loss + g["rho2"] / ((t[2] - t[0]) ** 2 + (t[3] - t[1]) ** 2),
                    "That divides by the target box's squared diagonal; $c$ is the diagonal of the smallest box "
                    "enclosing both boxes."),
        ]
        if g["C"] != g["U"]:
            found.append(Mistake("giou_term", iou_loss + (g["C"] - g["U"]) / g["C"],
                                 "That is the GIoU loss, with the area term $(C - U)/C$. DIoU replaces it by the "
                                 "centre distance $\\rho^2/c^2$."))
        return found

    def hints(self, problem):
        return [
            "First the IoU: intersection and union areas, as for GIoU.",
            "The centre of a box is $((x_1 + x_2)/2, (y_1 + y_2)/2)$; $\\rho^2 = \\Delta x^2 + \\Delta y^2$.",
            "The enclosing box has width $\\max(x_2, x_2^t) - \\min(x_1, x_1^t)$ and height likewise; $c^2$ is "
            "the sum of their squares.",
        ]

    def steps(self, p):
        g = _geometry(p["t"], p["b"])
        return _overlap_steps(g) + [
            _distance_step(g),
            f"$L = 1 - {f(g['I'] / g['U'])} + {f(g['rho2'])}/{g['c2']} = {f(self.correct(p))}$.",
        ]


def _aspect(t, b, unit: float = 1.0, scale: float = 4 / math.pi ** 2) -> float:
    """v = 4/pi^2 (atan(w_t / h_t) - atan(w / h))^2; unit = 180/pi for angles in degrees."""
    delta = math.atan2(t[2] - t[0], t[3] - t[1]) - math.atan2(b[2] - b[0], b[3] - b[1])
    return scale * (unit * delta) ** 2


class CIoUValue(_TwoBoxes):
    """CIoU's aspect term v, its trade-off alpha = v / (1 - IoU + v) and the loss
    L = 1 - IoU + rho^2/c^2 + alpha v, entered as three numbers so that a slip is found where it happens."""

    id = "ciou_box.value"
    skill = "segmentation.boxes"
    title = "CIoU loss of two boxes"
    kind = "vector"

    def fixed_params(self, seed):
        return None  # the docstring's boxes have alpha v = 0.003: too small to tell a dropped term apart

    def make_params(self, rng):
        # overlapping boxes of different shapes: the aspect term only matters once the boxes overlap
        x1, y1 = rng.randint(0, 3), rng.randint(0, 3)
        bx, by = max(0, x1 + rng.randint(-1, 1)), max(0, y1 + rng.randint(-1, 1))
        return {"t": [x1, y1, x1 + rng.randint(1, 5), y1 + rng.randint(1, 5)],
                "b": [bx, by, bx + rng.randint(1, 5), by + rng.randint(1, 5)]}

    def acceptable(self, p):
        return _aspect(p["t"], p["b"]) > 1e-3 and super().acceptable(p)

    def statement(self, p):
        return _boxes_statement(
            p, "The CIoU loss is $L = 1 - \\mathrm{IoU} + \\dfrac{\\rho^2}{c^2} + \\alpha v$, where $\\rho$ is "
               "the distance between the centres, $c$ the diagonal of the smallest enclosing box, "
               "$v = \\frac{4}{\\pi^2}\\left(\\arctan\\frac{w^t}{h^t} - \\arctan\\frac{w}{h}\\right)^2$ (angles in "
               "radians; $w$, $h$ a box's width and height) and $\\alpha = \\dfrac{v}{1 - \\mathrm{IoU} + v}$. "
               "Enter $v$, $\\alpha$ and $L$.")

    def _parts(self, p, v, alpha_den=None, add=None):
        """(v, alpha, L) for an aspect term v; alpha_den replaces 1 - IoU + v, add replaces alpha v."""
        g = _geometry(p["t"], p["b"])
        iou = g["I"] / g["U"]
        alpha = v / (1 - iou + v if alpha_den is None else alpha_den)
        return [v, alpha, 1 - iou + g["rho2"] / g["c2"] + (alpha * v if add is None else add)]

    def correct(self, p):
        return self._parts(p, _aspect(p["t"], p["b"]))

    def mistakes(self, p):
        g = _geometry(p["t"], p["b"])
        iou = g["I"] / g["U"]
        v = _aspect(p["t"], p["b"])
        found = [
            Mistake("forgot_aspect_term", self._parts(p, v, add=0.0),
                    "$v$ and $\\alpha$ are right, but $L$ is the DIoU loss: the aspect term $\\alpha v$ is "
                    "missing from it."),
            Mistake("alpha_omitted", self._parts(p, v, add=v),
                    "$L$ adds $v$ itself; CIoU adds $\\alpha v$, the aspect term scaled by the trade-off "
                    "$\\alpha$, which lets the aspect ratio matter only once the boxes overlap well."),
            Mistake("forgot_4_over_pi2", self._parts(p, _aspect(p["t"], p["b"], scale=1.0)),
                    "The factor $4/\\pi^2$ in $v$ is missing: it scales the squared angle difference, at most "
                    "$(\\pi/2)^2$, to at most 1."),
            Mistake("angles_in_degrees", self._parts(p, _aspect(p["t"], p["b"], unit=180 / math.pi)),
                    "The arctangents were taken in degrees (a calculator in degree mode): $v$ needs radians, "
                    "where $4/\\pi^2$ scales it to $[0, 1]$."),
        ]
        if iou < 1:
            found.append(Mistake("alpha_denominator_without_v", self._parts(p, v, alpha_den=1 - iou),
                                 "$\\alpha$ was computed as $v/(1 - \\mathrm{IoU})$: its denominator is "
                                 "$1 - \\mathrm{IoU} + v$, which keeps $\\alpha$ below 1."))
        return found

    def hints(self, problem):
        return [
            "Start with the DIoU part: $1 - \\mathrm{IoU} + \\rho^2/c^2$, from the intersection, the union, the "
            "centres and the enclosing box.",
            "The aspect term compares the angles $\\theta = \\arctan(w/h)$ of the two boxes, in radians: "
            "$v = \\frac{4}{\\pi^2}(\\theta^t - \\theta)^2$.",
            "$\\alpha = v/(1 - \\mathrm{IoU} + v)$; then add $\\alpha v$ to the DIoU part.",
        ]

    def steps(self, p):
        t, b = p["t"], p["b"]
        g = _geometry(t, b)
        iou = g["I"] / g["U"]
        theta_t = math.atan2(t[2] - t[0], t[3] - t[1])
        theta = math.atan2(b[2] - b[0], b[3] - b[1])
        v, alpha, loss = self.correct(p)
        return _overlap_steps(g) + [
            _distance_step(g),
            f"Angles: $\\theta^t = \\arctan({t[2] - t[0]}/{t[3] - t[1]}) = {f(theta_t)}$ and "
            f"$\\theta = \\arctan({b[2] - b[0]}/{b[3] - b[1]}) = {f(theta)}$, so "
            f"$v = \\frac{{4}}{{\\pi^2}} ({f(theta_t - theta)})^2 = {f(v)}$.",
            f"$\\alpha = {f(v)}/(1 - {f(iou)} + {f(v)}) = {f(alpha)}$, so $\\alpha v = {f(alpha * v)}$.",
            f"$L = 1 - {f(iou)} + {f(g['rho2'] / g['c2'])} + {f(alpha * v)} = {f(loss)}$.",
        ]


# ---------------------------------------------------------------------------------- GIoU slope
def _giou_dx2(t, b, enclosing_moves=True, union_moves=True, inter_in_union=True) -> float:
    """dL/dx2 of the GIoU loss (eps = 0); the keywords switch on the usual slips.

    I' = h_I if x2 < x2^t (the predicted right edge is the intersection's), else 0; C' = h_C if
    x2 > x2^t (it is the enclosing box's), else 0; A' = h; U' = A' - I'. Then
    dL/dx2 = -(I' U - I U') / U^2 + (C' - U') / C - (C - U) C' / C^2.
    """
    g = _geometry(t, b)
    di = _inter_slope(t, b)
    dc = _enclosing_slope(t, b) if enclosing_moves else 0
    du = ((b[3] - b[1]) - (di if inter_in_union else 0)) if union_moves else 0
    inter, union, c = g["I"], g["U"], g["C"]
    return -(di * union - inter * du) / union ** 2 + (dc - du) / c - (c - union) * dc / c ** 2


def _iou_dx2(t, b) -> float:
    """The IoU loss's part of dL/dx2: -(I' U - I U') / U^2."""
    g = _geometry(t, b)
    return -(_inter_slope(t, b) * g["U"] - g["I"] * _union_slope(t, b)) / g["U"] ** 2


def _inter_slope(t, b) -> int:
    """dI/dx2: the intersection's height when the predicted right edge is the intersection's, else 0."""
    g = _geometry(t, b)
    return g["ih"] if b[2] < t[2] and g["I"] > 0 else 0


def _enclosing_slope(t, b) -> int:
    """dC/dx2: the enclosing box's height when the predicted right edge is the enclosing box's, else 0."""
    return _geometry(t, b)["ch"] if b[2] > t[2] else 0


def _union_slope(t, b) -> int:
    """dU/dx2 = A' - I' with A' = h."""
    return (b[3] - b[1]) - _inter_slope(t, b)


class GIoURightEdgeSlope(NumericExercise):
    """dL/dx2 of the GIoU loss where the predicted right edge binds either the intersection (x2 < x2^t)
    or the enclosing box (x2 > x2^t)."""

    id = "giou_box.right_edge_slope"
    skill = "segmentation.boxes"
    title = "The GIoU loss's slope in a box's right edge"
    depth = "derive"

    def make_params(self, rng):
        inside = rng.random() < 0.5
        while True:
            t, b = _draw_box(rng), _draw_box(rng)
            g = _geometry(t, b)
            if b[2] == t[2] or (b[2] < t[2]) != inside or g["iw"] == 0 or g["ih"] == 0:
                continue
            if inside and g["I"] == 0:
                continue  # the right edge must bind an intersection that exists
            return {"t": t, "b": b}

    def acceptable(self, p):
        g = _geometry(p["t"], p["b"])
        return g["C"] != g["U"] and super().acceptable(p)

    def statement(self, p):
        return _boxes_statement(p, "The GIoU loss is $L = 1 - \\dfrac{I}{U} + \\dfrac{C - U}{C}$ ($I$, $U$, $C$ "
                                   "the areas of the intersection, the union and the smallest enclosing box). "
                                   "Derive $\\partial L / \\partial x_2$, the slope in the predicted box's right "
                                   "edge, at this configuration.")

    def correct(self, p):
        return _giou_dx2(p["t"], p["b"])

    def mistakes(self, p):
        t, b = p["t"], p["b"]
        found = [
            Mistake("sign_flipped", -self.correct(p),
                    "The sign is flipped: check it on the loss itself. Widening the box to the right adds area to "
                    "the union" + (" and to the intersection" if _inter_slope(t, b) else "")
                    + "; work out which way each term moves."),
            Mistake("forgot_enclosing_term", _iou_dx2(t, b),
                    "That is the slope of the IoU loss alone: the term $(C - U)/C$ has a slope too, "
                    "$(C' - U')/C - (C - U)C'/C^2$, since the union grows with $x_2$."),
            Mistake("union_held_constant", _giou_dx2(t, b, union_moves=False),
                    "The union was held constant. $U = A + A^t - I$ moves with $x_2$: "
                    "$U' = A' - I'$ with $A' = h$, the predicted box's height."),
        ]
        if _inter_slope(t, b):
            found.append(Mistake("union_ignores_intersection", _giou_dx2(t, b, inter_in_union=False),
                                 "The union's slope was taken as $A' = h$ alone. Here the right edge also moves "
                                 "the intersection, and $U = A + A^t - I$, so $U' = h - I'$."))
        else:
            found.append(Mistake("enclosing_held_constant", _giou_dx2(t, b, enclosing_moves=False),
                                 "The enclosing box was held constant. Here the predicted right edge is the "
                                 "enclosing box's right edge ($x_2 > x_2^t$), so $C' = h_C$, its height."))
        return found

    def hints(self, problem):
        return [
            "Which edges does $x_2$ move? The intersection's right edge is $\\min(x_2, x_2^t)$ and the "
            "enclosing box's is $\\max(x_2, x_2^t)$: $x_2$ binds exactly one of them here.",
            "So $I' = h_I$ (the intersection's height) if $x_2 < x_2^t$ and 0 otherwise; $C' = h_C$ if "
            "$x_2 > x_2^t$ and 0 otherwise; $A' = h$ and $U' = A' - I'$.",
            "The quotient rule on both terms: $L' = -\\dfrac{I' U - I U'}{U^2} + \\dfrac{C' - U'}{C} - "
            "\\dfrac{(C - U)\\, C'}{C^2}$.",
        ]

    def steps(self, p):
        t, b = p["t"], p["b"]
        g = _geometry(t, b)
        di, du, dc = _inter_slope(t, b), _union_slope(t, b), _enclosing_slope(t, b)
        inter, union, c = g["I"], g["U"], g["C"]
        where = (f"$x_2 = {b[2]} < x_2^t = {t[2]}$: the predicted right edge is the intersection's right edge, "
                 f"so $I' = h_I = {di}$, and not the enclosing box's, so $C' = 0$." if b[2] < t[2] else
                 f"$x_2 = {b[2]} > x_2^t = {t[2]}$: the predicted right edge is the enclosing box's right edge, "
                 f"so $C' = h_C = {dc}$, and not the intersection's, so $I' = 0$.")
        iou_part = -(di * union - inter * du) / union ** 2
        enc_part = (dc - du) / c - (c - union) * dc / c ** 2
        return [
            f"$I = {inter}$, $U = {union}$, $C = {g['cw']} \\times {g['ch']} = {c}$.",
            where + f" The box's area grows at $A' = h = {b[3] - b[1]}$, so $U' = A' - I' = {du}$.",
            f"IoU part: $-\\dfrac{{I' U - I U'}}{{U^2}} = -\\dfrac{{{di} \\times {union} - {inter} \\times {du}}}"
            f"{{{union}^2}} = {f(iou_part)}$.",
            f"Enclosing part: $\\dfrac{{C' - U'}}{{C}} - \\dfrac{{(C - U) C'}}{{C^2}} = \\dfrac{{{dc} - {du}}}{{{c}}}"
            f" - \\dfrac{{{c - union} \\times {dc}}}{{{c}^2}} = {f(enc_part)}$.",
            f"$\\partial L/\\partial x_2 = {f(iou_part)} {_plus(enc_part)} = {f(self.correct(p))}$.",
        ]


EXERCISES = [DiceValue(), DiceGradient(), TverskyValue(), GeneralizedDiceValue(), GIoUValue(), DIoUValue(),
             CIoUValue(), GIoURightEdgeSlope()]
