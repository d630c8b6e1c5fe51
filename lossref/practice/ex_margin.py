"""Exercises of session 4: margin losses (hinge, squared hinge, logistic, multiclass hinge)."""

from __future__ import annotations

import math

from . import _math as M
from ._core import CodeCase, CodeExercise, CodeTask, Mistake, NumericExercise, fmt_number as f, no_negative_zero

__all__ = ["HingeValue", "HingeMargins", "HingeGrad", "SquaredHingeGrad", "LogisticValue", "MulticlassHingeValue",
           "HingeSubgradientCode"]


# ---------------------------------------------------------------------------------- helpers
def _s(x: float) -> str:
    """A drawn score as the lesson writes it: one decimal, 2.0 rather than 2."""
    return no_negative_zero(f"{x:.1f}")


def _num(x: float) -> str:
    """A drawn number as written: 0.5, -1.2, 2."""
    return no_negative_zero(f"{x:g}")


def _pnum(x: float) -> str:
    """_num in parentheses when negative, for a product or a sum."""
    return f"({_num(x)})" if x < 0 else _num(x)


def _par(x: float) -> str:
    """A number inside a sum, in parentheses when negative: 1 + 0.5 - (-0.8)."""
    return f"({_s(x)})" if x < 0 else _s(x)


def _pairs(p) -> str:
    return ", ".join(f"({y}, {_s(s)})" for y, s in zip(p["y"], p["s"]))


def _hinge_grad(y: float, s: float) -> float:
    """d/ds max(0, 1 - y s), 0 at the kink y s = 1 (lossref's choice)."""
    return -float(y) if y * s < 1 else 0.0


def _draw_pairs(rng, n: int = 3) -> dict:
    return {"y": [rng.choice([-1, 1]) for _ in range(n)],
            "s": [round(rng.uniform(-2.5, 2.5), 1) + 0.0 for _ in range(n)]}  # + 0.0: no -0.0


def _off_the_kink(p, gap: float = 0.1) -> bool:
    return all(abs(1 - y * s) >= gap for y, s in zip(p["y"], p["s"]))


def _mc_hinge(scores, label, variant, margin=1.0, include_true=False, clip=True):
    """Multiclass hinge of one row: Crammer-Singer (strongest rival) or Weston-Watkins (every rival)."""
    gaps = [margin + s - scores[label] for j, s in enumerate(scores) if include_true or j != label]
    if variant == "crammer_singer":
        worst = max(gaps)
        return max(0.0, worst) if clip else worst
    return math.fsum(max(0.0, g) if clip else g for g in gaps)


_VARIANT = {"crammer_singer": "Crammer-Singer", "weston_watkins": "Weston-Watkins"}
_VARIANT_TEX = {
    "crammer_singer": r"L = \max\left(0,\ \Delta + \max_{j \ne c} s_j - s_c\right)",
    "weston_watkins": r"L = \sum_{j \ne c} \max(0,\ \Delta + s_j - s_c)",
}


# ---------------------------------------------------------------------------------- hinge value
class _ThreeScores(NumericExercise):
    """Three (label, score) pairs off the kink; seed 0 is the lesson's worked example 3."""

    kind = "vector"

    def fixed_params(self, seed):
        return {"y": [1, 1, -1], "s": [2.0, 0.2, 0.3]} if seed == 0 else None

    def make_params(self, rng):
        return _draw_pairs(rng)

    def acceptable(self, params):
        return _off_the_kink(params) and super().acceptable(params)


class HingeValue(_ThreeScores):
    """Hinge losses of three scored examples (the lesson's worked example 3 at seed 0)."""

    id = "hinge.value"
    skill = "hinge.value"
    title = "Hinge loss of three examples"
    kind = "vector"

    def statement(self, p):
        return ("A linear classifier with labels $y \\in \\{-1, +1\\}$ gives three examples the scores below, "
                f"listed as $(y, s)$: ${_pairs(p)}$. Compute the hinge loss $L = \\max(0,\\ 1 - y s)$ of each "
                "example, in the order given.")

    def correct(self, p):
        return [M.hinge(y, s) for y, s in zip(p["y"], p["s"])]

    def mistakes(self, p):
        pairs = list(zip(p["y"], p["s"]))
        return [
            Mistake("forgot_max", [1 - y * s for y, s in pairs],
                    "Some of these are negative: that is $1 - ys$ without the max. An example beyond the margin "
                    "($ys > 1$) has loss 0, not a negative loss: take $\\max(0, 1 - ys)$."),
            Mistake("labels_01_in_hinge", [M.hinge(max(y, 0), s) for y, s in pairs],
                    "A label $-1$ was treated as 0, so its loss came out as $\\max(0, 1 - 0 \\cdot s) = 1$ whatever "
                    "the score. The hinge needs labels in $\\{-1, +1\\}$: a negative example has $y = -1$."),
            Mistake("sign_flipped", [max(0.0, 1 + y * s) for y, s in pairs],
                    "The sign of the margin is flipped: that is $\\max(0, 1 + ys)$. The loss shrinks as the margin "
                    "$ys$ grows, so it is $\\max(0, 1 - ys)$."),
            Mistake("margin_not_loss", [y * s for y, s in pairs],
                    "Those are the margins $ys$, not the losses. The loss is $\\max(0, 1 - ys)$: 0 once the margin "
                    "reaches 1, growing by 1 for each unit the margin falls short."),
        ]

    def hints(self, problem):
        return [
            "Compute the margin $m = y s$ of each example first: positive means correctly classified.",
            "Then $L = \\max(0, 1 - m)$: 0 when the margin is at least 1, and $1 - m$ otherwise, "
            "including for misclassified examples ($m < 0$).",
        ]

    def steps(self, p):
        rows = []
        for y, s in zip(p["y"], p["s"]):
            m = y * s
            rows.append(f"$(y, s) = ({y}, {_s(s)})$: $ys = {f(m)}$, $1 - ys = {f(1 - m)}$, "
                        f"$L = \\max(0, {f(1 - m)}) = {f(M.hinge(y, s))}$.")
        return rows + ["Only the examples with $ys < 1$ have a positive loss: those are inside the margin or "
                       "misclassified."]


class HingeMargins(NumericExercise):
    """The margins of a linear model's points, computed from its weights and bias, which of them violate
    the margin, and the mean hinge loss they make."""

    id = "hinge.margins"
    skill = "hinge.value"
    title = "Margins and mean hinge loss of a linear model"

    def make_params(self, rng):
        def nonzero(low, high):
            return rng.choice([v / 10 for v in range(int(low * 10), int(high * 10) + 1) if v != 0])
        return {"w": [nonzero(-1.5, 1.5), nonzero(-1.5, 1.5)], "b": nonzero(-0.5, 0.5),
                "x": [[rng.choice([-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]) for _ in range(2)] for _ in range(3)],
                "y": [rng.choice([-1, 1]) for _ in range(3)]}

    def _scores(self, p, bias=True):
        return [round(p["w"][0] * x1 + p["w"][1] * x2 + (p["b"] if bias else 0.0), 10) for x1, x2 in p["x"]]

    def _margins(self, p, bias=True):
        return [y * s for y, s in zip(p["y"], self._scores(p, bias))]

    def acceptable(self, params):
        margins = self._margins(params)
        # off the kink, and at least one point on each side of the margin
        return (all(abs(1 - m) >= 0.1 for m in margins) and any(m < 1 for m in margins)
                and any(m > 1 for m in margins) and super().acceptable(params))

    def statement(self, p):
        w, b = p["w"], p["b"]
        points = "; ".join(f"$x_{i + 1} = ({_num(x1)}, {_num(x2)})$ with $y_{i + 1} = {y:+d}$"
                           for i, ((x1, x2), y) in enumerate(zip(p["x"], p["y"])))
        return (f"A linear classifier scores a point $x$ with $s = w^\\top x + b$, where $w = ({_num(w[0])}, "
                f"{_num(w[1])})$ and $b = {_num(b)}$; labels are $y \\in \\{{-1, +1\\}}$. For the three points "
                f"{points}, find each margin $y_i s_i$ and which points violate the margin ($y_i s_i < 1$), then "
                r"compute the mean hinge loss $\frac13 \sum_i \max(0,\ 1 - y_i s_i)$, the number to enter.")

    def correct(self, p):
        return M.mean(max(0.0, 1 - m) for m in self._margins(p))

    def mistakes(self, p):
        margins = self._margins(p)
        losses = [max(0.0, 1 - m) for m in margins]
        violators = [v for v in losses if v > 0]
        return [
            Mistake("forgot_bias", M.mean(max(0.0, 1 - m) for m in self._margins(p, bias=False)),
                    "The bias is missing: the score is s = wᵀx + b, and b shifts every margin by y_i b."),
            Mistake("forgot_max", M.mean(1 - m for m in margins),
                    "That averages 1 - y_i s_i without the max: a point beyond the margin (y_i s_i > 1) has loss 0, "
                    "not a negative loss."),
            Mistake("sum_not_mean", math.fsum(losses), "That is the sum of the three losses; the mean divides by 3."),
            Mistake("violators_only_mean", math.fsum(losses) / len(violators),
                    "That divides by the number of points that violate the margin. The mean is over all three "
                    "points: the others count, with loss 0."),
            Mistake("labels_01_in_hinge", M.mean(M.hinge(max(y, 0), s) for y, s in zip(p["y"], self._scores(p))),
                    "A label -1 was treated as 0, so that point's loss came out as max(0, 1 - 0·s) = 1 whatever its "
                    "score. The margin of a negative point is -s."),
        ]

    def hints(self, problem):
        return [
            r"Score each point first, $s_i = w_1 x_{i1} + w_2 x_{i2} + b$, then its margin $y_i s_i$: positive "
            r"means correctly classified, at least 1 means beyond the margin.",
            r"Each loss is $\max(0, 1 - y_i s_i)$: 0 for a point beyond the margin. Average the three losses, the "
            r"zeros included.",
        ]

    def steps(self, p):
        scores, margins = self._scores(p), self._margins(p)
        w, b = p["w"], p["b"]
        rows = []
        for i, ((x1, x2), y, s, m) in enumerate(zip(p["x"], p["y"], scores, margins)):
            side = "violates the margin" if m < 1 else "is beyond the margin"
            rows.append(rf"Point {i + 1}: $s = {_num(w[0])} \cdot {_pnum(x1)} + {_pnum(w[1])} \cdot {_pnum(x2)} + "
                        rf"{_pnum(b)} = {f(s)}$, margin $y s = {f(m)}$: it {side}, loss "
                        rf"$\max(0, {f(1 - m)}) = {f(max(0.0, 1 - m))}$.")
        violators = [str(i + 1) for i, m in enumerate(margins) if m < 1]
        rows.append(rf"The points that violate the margin (and give a non-zero subgradient): "
                    rf"{', '.join(violators)}. Mean hinge loss: $\frac13$ of the sum $= {f(self.correct(p))}$.")
        return rows


# ---------------------------------------------------------------------------------- hinge gradient
class HingeGrad(_ThreeScores):
    """The hinge subgradient of each example: -y inside the margin, 0 beyond it (lesson worked example 3)."""

    id = "hinge.grad"
    skill = "hinge.grad"
    title = "Hinge subgradients"
    kind = "vector"

    def statement(self, p):
        return ("For the hinge loss $L(y, s) = \\max(0,\\ 1 - y s)$ with labels $y \\in \\{-1, +1\\}$, compute "
                f"$\\partial L / \\partial s$ for each of the examples $(y, s) = {_pairs(p)}$, in order.")

    def correct(self, p):
        return [_hinge_grad(y, s) for y, s in zip(p["y"], p["s"])]

    def mistakes(self, p):
        pairs = list(zip(p["y"], p["s"]))
        return [
            Mistake("sign_flipped", [float(y) if y * s < 1 else 0.0 for y, s in pairs],
                    "The signs are flipped: inside the margin $L = 1 - ys$, whose derivative in $s$ is $-y$, "
                    "not $y$."),
            Mistake("forgot_max", [-float(y) for y, s in pairs],
                    "That is $-y$ for every example, as if the loss were $1 - ys$ everywhere. Where the margin is "
                    "met ($ys > 1$) the loss is constant at 0, so its gradient is 0."),
            Mistake("labels_01_in_hinge", [_hinge_grad(max(y, 0), s) for y, s in pairs],
                    "The examples with label $-1$ got a gradient of 0, as if their label were 0 (then the loss is "
                    "the constant 1). Hinge labels are $-1$ and $+1$: for $y = -1$ inside the margin the gradient "
                    "is $-y = +1$."),
        ]

    def hints(self, problem):
        return [
            "Check each example's margin $ys$: is the loss flat there ($ys > 1$) or the line $1 - ys$ ($ys < 1$)?",
            "Where $ys < 1$, $\\partial L/\\partial s = \\partial(1 - ys)/\\partial s = -y$; where $ys > 1$ it is 0.",
        ]

    def steps(self, p):
        rows = []
        for y, s in zip(p["y"], p["s"]):
            m = y * s
            if m < 1:
                rows.append(f"$({y}, {_s(s)})$: $ys = {f(m)} < 1$, the margin is violated, "
                            f"$\\partial L/\\partial s = -y = {f(-y)}$.")
            else:
                rows.append(f"$({y}, {_s(s)})$: $ys = {f(m)} > 1$, the margin is met, $\\partial L/\\partial s = 0$.")
        return rows + ["Only the examples inside the margin (the support vectors) move the model."]


# ---------------------------------------------------------------------------------- squared hinge
class SquaredHingeGrad(NumericExercise):
    """The gradient of the squared hinge, -2 y max(0, 1 - y s), for one example inside the margin."""

    id = "squared_hinge.grad"
    skill = "squared_hinge.grad"
    title = "The gradient of the squared hinge"

    def make_params(self, rng):
        return {"y": rng.choice([-1, 1]), "s": round(rng.uniform(-2.0, 2.0), 1) + 0.0}

    def acceptable(self, params):
        return 1 - params["y"] * params["s"] >= 0.2 and super().acceptable(params)

    def statement(self, p):
        return ("The squared hinge loss is $L(y, s) = \\max(0,\\ 1 - y s)^2$ for a label $y \\in \\{-1, +1\\}$ and a "
                f"score $s$. For $y = {p['y']}$ and $s = {_s(p['s'])}$, compute $\\partial L / \\partial s$.")

    def _violation(self, p):
        return max(0.0, 1 - p["y"] * p["s"])

    def correct(self, p):
        return -2 * p["y"] * self._violation(p)

    def mistakes(self, p):
        y, v = p["y"], self._violation(p)
        return [
            Mistake("dropped_two", -y * v, "The factor 2 from differentiating the square is missing: "
                                           "$\\partial L/\\partial s = 2\\max(0, 1 - ys) \\cdot (-y)$."),
            Mistake("sign_flipped", 2 * y * v, "The sign is flipped: the inner derivative "
                                               "$\\partial(1 - ys)/\\partial s$ is $-y$, not $y$."),
            Mistake("loss_not_grad", v * v, "That is the loss $\\max(0, 1 - ys)^2$ itself; differentiate it in $s$ "
                                            "with the chain rule."),
            Mistake("hinge_not_squared", -float(y), "That is the plain hinge's gradient $-y$. Squaring the hinge "
                                                    "scales the gradient by $2\\max(0, 1 - ys)$."),
        ]

    def hints(self, problem):
        return [
            "Write $v = \\max(0, 1 - ys)$, so $L = v^2$. Is the margin violated here ($v > 0$)?",
            "Chain rule: $\\partial L/\\partial s = 2v \\cdot \\partial v/\\partial s$, with "
            "$\\partial v/\\partial s = -y$ where $v > 0$.",
        ]

    def steps(self, p):
        y, s, v = p["y"], p["s"], self._violation(p)
        return [
            f"$ys = {f(y * s)}$, so $v = \\max(0, 1 - ys) = {f(v)} > 0$: the margin is violated.",
            "$\\partial L/\\partial s = 2v \\cdot (-y) = -2y\\max(0, 1 - ys)$.",
            f"$\\partial L/\\partial s = -2 \\cdot ({y}) \\cdot {f(v)} = {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- logistic
class LogisticValue(NumericExercise):
    """The logistic loss log(1 + e^{-ys}) of one example with a -1/+1 label."""

    id = "logistic.value"
    skill = "logistic.value"
    title = "Logistic loss on the margin"

    def make_params(self, rng):
        return {"y": rng.choice([-1, 1]), "s": round(rng.uniform(-3.0, 3.0), 1) + 0.0}

    def acceptable(self, params):
        return abs(params["s"]) >= 0.2 and super().acceptable(params)

    def statement(self, p):
        return ("The logistic loss on the margin is $L(y, s) = \\log(1 + e^{-y s})$ for a label $y \\in \\{-1, +1\\}$ "
                f"and a score $s$. Compute it for $y = {p['y']}$ and $s = {_s(p['s'])}$, with the natural logarithm.")

    def correct(self, p):
        return M.logistic(p["y"], p["s"])

    def mistakes(self, p):
        loss = self.correct(p)
        found = [
            Mistake("log10", loss / math.log(10), "That uses log base 10; the logistic loss uses the natural "
                                                  "logarithm."),
            Mistake("log2", loss / math.log(2), "That is the loss in bits (log base 2); use the natural logarithm."),
            Mistake("sign_flipped", M.logistic(-p["y"], p["s"]),
                    "The sign of the margin is flipped: that is $\\log(1 + e^{ys})$. A large positive margin "
                    "should give a loss near 0, so the exponent is $-ys$."),
        ]
        if p["y"] == -1:
            found.append(Mistake("labels_01", math.log(2),
                                 "That is $\\log 2$, the loss when the label is taken as 0 (then $ys = 0$ whatever "
                                 "the score). On the margin the negative label is $y = -1$."))
        return found

    def hints(self, problem):
        return [
            "Compute the margin $m = ys$ first, then $e^{-m}$.",
            "$L = \\log(1 + e^{-m})$: about 0.69 at $m = 0$, near 0 for large positive $m$, near $-m$ for large "
            "negative $m$.",
        ]

    def steps(self, p):
        m = p["y"] * p["s"]
        return [
            f"$m = ys = ({p['y']})({_s(p['s'])}) = {f(m)}$.",
            f"$e^{{-m}} = e^{{{f(-m)}}} \\approx {f(math.exp(-m))}$.",
            f"$L = \\log(1 + {f(math.exp(-m))}) \\approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- multiclass hinge
class MulticlassHingeValue(NumericExercise):
    """Multiclass hinge of one row of scores, Crammer-Singer or Weston-Watkins as the problem states."""

    id = "multiclass_hinge.value"
    skill = "multiclass_hinge.value"
    title = "Multiclass hinge: Crammer-Singer and Weston-Watkins"

    def make_params(self, rng):
        c = rng.choice([3, 4])
        return {"scores": [round(rng.uniform(-1.0, 3.0), 1) + 0.0 for _ in range(c)], "label": rng.randrange(c),
                "variant": rng.choice(["crammer_singer", "weston_watkins"])}

    def acceptable(self, params):
        gaps = [1 + s - params["scores"][params["label"]] for j, s in enumerate(params["scores"])
                if j != params["label"]]
        return all(abs(g) >= 0.1 for g in gaps) and super().acceptable(params)

    def statement(self, p):
        scores = ", ".join(_s(v) for v in p["scores"])
        return (f"A {len(p['scores'])}-class linear classifier gives the scores $s = ({scores})$ to an example whose "
                f"true class is class {p['label'] + 1} (counting from 1). Compute the **{_VARIANT[p['variant']]}** "
                f"multiclass hinge loss with margin $\\Delta = 1$: ${_VARIANT_TEX[p['variant']]}$.")

    def correct(self, p):
        return _mc_hinge(p["scores"], p["label"], p["variant"])

    def mistakes(self, p):
        scores, label, variant = p["scores"], p["label"], p["variant"]
        target = self.correct(p)
        other = "weston_watkins" if variant == "crammer_singer" else "crammer_singer"
        found = [Mistake("other_variant", _mc_hinge(scores, label, other),
                         f"That is the {_VARIANT[other]} loss. {_VARIANT[variant]} "
                         + ("keeps only the strongest rival: the max over $j \\ne c$, not the sum."
                            if variant == "crammer_singer" else
                            "adds the hinge of every rival: the sum over $j \\ne c$, not the max."))]
        candidates = [
            ("true_class_as_rival", _mc_hinge(scores, label, variant, include_true=True),
             "The true class was counted as its own rival: $j = c$ contributes $\\Delta + s_c - s_c = \\Delta$. "
             "The rivals are the classes $j \\ne c$ only."),
            ("forgot_margin", _mc_hinge(scores, label, variant, margin=0.0),
             "The margin $\\Delta = 1$ is missing: a rival must trail the true class by at least 1, so each gap "
             "is $\\Delta + s_j - s_c$, not $s_j - s_c$."),
            ("forgot_max", _mc_hinge(scores, label, variant, clip=False),
             "A rival's term was used without $\\max(0, \\cdot)$: a rival already beaten by more than the margin "
             "contributes 0, not a negative amount."),
        ]
        if variant == "weston_watkins":
            candidates.append(("divided_by_classes", target / len(scores),
                               "That divides by the number of classes, as PyTorch's MultiMarginLoss does. The "
                               "Weston-Watkins loss asked for here is the plain sum over rivals."))
        found += [Mistake(i, v, m) for i, v, m in candidates if abs(v - target) > 1e-9]
        return found

    def hints(self, problem):
        p = problem.params
        what = ("the largest of them, clipped at 0" if p["variant"] == "crammer_singer"
                else "the sum of each one clipped at 0")
        return [
            f"For each rival class $j \\ne c$ compute the gap $\\Delta + s_j - s_c$ with $s_c = {_s(p['scores'][p['label']])}$.",
            f"{_VARIANT[p['variant']]} takes {what}.",
        ]

    def steps(self, p):
        scores, label = p["scores"], p["label"]
        sc = scores[label]
        gaps = [(j, 1 + s - sc) for j, s in enumerate(scores) if j != label]
        shown = ", ".join(f"$j = {j + 1}$: $1 + {_par(scores[j])} - {_par(sc)} = {f(g)}$" for j, g in gaps)
        if p["variant"] == "crammer_singer":
            last = f"Crammer-Singer keeps the largest gap: $L = \\max(0, {f(max(g for _, g in gaps))}) = {f(self.correct(p))}$."
        else:
            terms = " + ".join(f(max(0.0, g)) for _, g in gaps)
            last = f"Weston-Watkins sums the clipped gaps: $L = {terms} = {f(self.correct(p))}$."
        return [f"The true class is class {label + 1}, with $s_c = {_s(sc)}$.", "Gaps of the rivals: " + shown + ".",
                last]


# ---------------------------------------------------------------------------------- code
# The tasks of hinge.grad_code, drawn from parts: the label convention, the margin m (written into
# the function) and the subgradient chosen at the kink t s = m.
_HINGE_LABELS = ("pm1", "01")
_HINGE_MARGINS = (1, 0.5, 2)
_HINGE_KINKS = ("zero", "inside")


def _hinge_source(p: dict, *, sign: int = -1, flat: bool = True, convert: str = "task", kink: str = "task",
                  margin: bool = True) -> str:
    """A program of the task; the keywords make the usual mistakes: the sign, no flat part, the label
    converted wrongly ("none", "to01", "from01"), the other kink, the margin left at 1."""
    m = p["margin"]
    if convert == "task":
        convert = "from01" if p["labels"] == "01" else "none"
    kink = p["kink"] if kink == "task" else kink
    lines = [f"margin = {m:g}"] if m != 1 else []
    lines.append({"none": "t = y  # already -1 or +1", "from01": "t = 2 * y - 1  # the label as -1/+1",
                  "to01": "t = (y + 1) / 2  # the label as 0/1"}[convert])
    bound = "margin" if m != 1 and margin else "1"
    test = f"t * s < {bound}" if kink == "zero" else f"t * s <= {bound}"
    slope = "-float(t)" if sign < 0 else "float(t)"
    if flat:
        lines += [f"# Inside the margin the loss is {m:g} - t s, whose derivative is -t; beyond it the loss is flat.",
                  f"return {slope} if {test} else 0.0"]
    else:
        lines.append(f"return {slope}")
    return _hinge_head(p) + "".join(f"    {line}\n" for line in lines)


def _hinge_head(p: dict) -> str:
    m = f"{p['margin']:g}"
    doc = (f"d/ds max(0, {m} - t s) for a label y in {{0, 1}} (t = 2y - 1) and a score s." if p["labels"] == "01"
           else f"d/ds max(0, {m} - y s) for a label y in {{-1, +1}} and a score s.")
    return f"def hinge_subgradient(y, s):\n    \"\"\"{doc}\"\"\"\n"


def _hinge_task_grad(p: dict, y: float, s: float) -> float:
    t = 2 * y - 1 if p["labels"] == "01" else y
    ts = t * s
    if ts < p["margin"] or (ts == p["margin"] and p["kink"] == "inside"):
        return -float(t)
    return 0.0


class HingeSubgradientCode(CodeExercise):
    """Write the hinge subgradient in the score, for the problem's labels, margin and kink convention."""

    id = "hinge.grad_code"
    skill = "hinge.grad"
    title = "Code the hinge subgradient"
    task_keys = ("labels", "margin", "kink")

    def fixed_params(self, seed):
        # seed 0, the problem pages show first: lossref's own convention
        return {"labels": "pm1", "margin": 1, "kink": "zero", "shift": 0.4} if seed == 0 else None

    def make_params(self, rng):
        return {"labels": rng.choice(_HINGE_LABELS), "margin": rng.choice(_HINGE_MARGINS),
                "kink": rng.choice(_HINGE_KINKS), "shift": round(rng.uniform(-2.0, 2.0), 2)}

    def task(self, p):
        starter = _hinge_head(p) + "    return 0.0  # your subgradient here\n"
        return CodeTask("hinge_subgradient", "def hinge_subgradient(y, s):", starter, _hinge_source(p))

    def known_wrong(self, p):
        programs = [(_hinge_source(p, sign=1), "sign_flipped")]
        if p["labels"] == "pm1":
            programs += [(_hinge_source(p, convert="to01"), "labels_01_in_hinge"),
                         (_hinge_source(p, convert="from01"), "labels_01_in_hinge")]
        else:
            programs.append((_hinge_source(p, convert="none"), "labels_01_in_hinge"))
        programs.append((_hinge_source(p, kink="inside" if p["kink"] == "zero" else "zero"), "wrong_kink"))
        if p["margin"] != 1:
            programs.append((_hinge_source(p, margin=False), "forgot_margin"))
        programs.append((_hinge_source(p, flat=False), "forgot_max"))  # last: it matches -t wherever -t is right
        programs.append(("def hinge_subgradient(y, s):\n    return -y * max(0.0, 1 - y * s)\n", None))
        return programs

    def mistake_message(self, p, mistake):
        if mistake == "labels_01_in_hinge":
            if p["labels"] == "01":
                return ("{where}: the label 0 was used as it is. The hinge needs the label as -1 or +1: convert it "
                        "with t = 2y - 1; expected {expected}.")
            return ("{where}: the label was converted, but here y is already -1 or +1; use it as it is; "
                    "expected {expected}.")
        if mistake == "wrong_kink":
            choice = ("0, as lossref does: use the strict test t s < m" if p["kink"] == "zero" else
                      "-t, the derivative from inside the margin: use the test t s ≤ m")
            return ("{where}. At the kink t s = m any value between 0 and -t is a valid subgradient, but this "
                    f"task asks for {choice}; expected {{expected}}.")
        return {
            "sign_flipped": "{where}, the opposite sign. Inside the margin the loss is m - t s, and its derivative "
                            "in s is -t; expected {expected}.",
            "forgot_max": "{where}, but the margin is met there, so the loss is flat at 0 and so is its gradient. "
                          "Return -t only inside the margin; expected {expected}.",
            "forgot_margin": "{where}: the margin is m = {margin:g}, not 1. The loss is max(0, m - t s): the flat "
                             "part starts at t s = {margin:g}; expected {expected}.",
        }.get(mistake)

    def statement(self, p):
        m = p["margin"]
        if p["labels"] == "01":
            labels = r"a label $y \in \{0, 1\}$, where $t = 2y - 1$ is the label as $-1$ or $+1$"
        else:
            labels = r"a label $y \in \{-1, +1\}$ (so $t = y$)"
        margin = "" if m == 1 else f" with the margin $m = {m:g}$ (write it into your function)"
        mtex = "1" if m == 1 else "m"
        kink = ("return 0 there, as lossref does" if p["kink"] == "zero" else
                "return $-t$ there, the derivative from inside the margin")
        return (f"Write `hinge_subgradient(y, s)`: the derivative in the score $s$ of the hinge loss "
                f"$L = \\max(0,\\ {mtex} - t s)${margin}, for {labels}. At the kink $t s = {mtex}$ any value "
                f"between $0$ and $-t$ is a valid subgradient; {kink}. The hidden tests use both labels, scores on "
                "both sides of the margin, the kink itself and scores as large as $\\pm 10^6$.")

    def cases(self, p):
        m, shift = p["margin"], p["shift"]
        pos, neg = (1, 0) if p["labels"] == "01" else (1, -1)
        rows = [(pos, 2.0 * m + 0.5), (pos, 0.2 * m), (neg, -0.3 * m), (neg, -3.0 * m), (pos, -0.5 * m),
                (pos, 0.75), (pos, 1.5), (neg, -0.75), (neg, -1.5), (pos, shift), (neg, shift)]
        # 0.75 and 1.5 lie between the margins 0.5, 1 and 2: a function written for another margin fails there
        cases = [CodeCase((y, s), _hinge_task_grad(p, y, s), f"y = {y}, s = {s:g}") for y, s in rows]
        cases += [CodeCase((y, s), _hinge_task_grad(p, y, s), f"y = {y}, s = {s:g} (the kink t s = {m:g})")
                  for y, s in [(pos, float(m)), (neg, -float(m))]]
        cases += [CodeCase((y, s), _hinge_task_grad(p, y, s), f"y = {y}, s = {s:g}", extreme=True)
                  for y, s in [(pos, 1e6), (pos, -1e6), (neg, 1e6), (neg, -1e6)]]
        return cases

    def hints(self, problem):
        p = problem.params
        m = "1" if p["margin"] == 1 else "m"
        test = "strict $t s < " + m + "$" if p["kink"] == "zero" else "$t s \\le " + m + "$"
        return [
            f"The loss has two pieces: the line ${m} - t s$ where $t s < {m}$, and the constant 0 where "
            f"$t s \\ge {m}$." + (" First turn the label into $t = 2y - 1$." if p["labels"] == "01" else ""),
            f"Differentiate each piece in $s$: $-t$ on the line, 0 on the flat part. Use the test {test} so the "
            "kink gets the value the task asks for.",
        ]

    def steps(self, p):
        m = "1" if p["margin"] == 1 else f"m = {p['margin']:g}"
        kink = "0" if p["kink"] == "zero" else "$-t$"
        steps = [f"Inside the margin ($t s < {m}$): $L = {m.split(' = ')[-1]} - t s$, so "
                 r"$\partial L/\partial s = -t$.",
                 "Beyond the margin: $L = 0$, so $\\partial L/\\partial s = 0$.",
                 f"At the kink the task asks for {kink}, a valid subgradient. Large scores need no special care: "
                 "$t s$ does not overflow."]
        if p["labels"] == "01":
            steps.insert(0, "The label arrives as 0 or 1: $t = 2y - 1$ turns it into $-1$ or $+1$.")
        return steps


EXERCISES = [HingeValue(), HingeMargins(), HingeGrad(), SquaredHingeGrad(), LogisticValue(), MulticlassHingeValue(),
             HingeSubgradientCode()]
