"""Derivations of session 7: the gradient share of a task at a shared layer, the minimiser of class-weighted
binary cross-entropy, and recovering calibrated probabilities from a model trained with pos_weight."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["SharedLayerShare", "WeightedBCEMinimiser", "PosWeightInverse"]


def _norm(v) -> float:
    return math.sqrt(math.fsum(x * x for x in v))


def _vec(v) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


def _logit(p: float) -> float:
    return math.log(p) - math.log1p(-p)


# ---------------------------------------------------------------------------------- gradient share at h
# The regression head's loss on one example, b the head's output and t its target: (name in TeX, value,
# derivative d loss / d b).
_REG_LOSSES = {
    "l1": (r"\lvert b - t \rvert", lambda r: abs(r), lambda r: math.copysign(1.0, r)),
    "squared": (r"(b - t)^2", lambda r: r * r, lambda r: 2.0 * r),
}


class SharedLayerShare(NumericExercise):
    """Two linear heads on shared features h: each task's gradient at h is its head's Jacobian (transposed) times
    its gradient at the head's output, and the share is lambda2 ||g2|| / (lambda1 ||g1|| + lambda2 ||g2||)."""

    id = "custom.multitask_shared_layer"
    skill = "custom.multitask"
    title = "The gradient share of a task at the shared layer"
    depth = "derive"

    def make_params(self, rng):
        comp = [-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0, 3.0]
        return {"u": [rng.choice(comp) for _ in range(2)], "v": [rng.choice(comp) for _ in range(2)],
                "y": rng.choice([0, 1]), "p": round(rng.uniform(0.1, 0.9), 2),
                "loss": rng.choice(sorted(_REG_LOSSES)), "b": round(rng.uniform(-3.0, 3.0), 1) + 0.0,
                "t": round(rng.uniform(-3.0, 3.0), 1) + 0.0,
                "lam1": rng.choice([0.5, 1.0, 2.0]), "lam2": rng.choice([0.05, 0.1, 0.2, 0.5, 1.0, 2.0]),
                "ask": rng.choice(["share", "lambda"])}

    def acceptable(self, p):
        return abs(p["b"] - p["t"]) >= 0.3 and abs(p["p"] - p["y"]) >= 0.1 and super().acceptable(p)

    def _parts(self, p):
        """(dL1/dz, dL2/db, ||g1||, ||g2||) for the unweighted losses."""
        d1 = p["p"] - p["y"]  # d BCE / d logit = sigma(z) - y
        d2 = _REG_LOSSES[p["loss"]][2](p["b"] - p["t"])
        return d1, d2, abs(d1) * _norm(p["u"]), abs(d2) * _norm(p["v"])

    def statement(self, p):
        tex = _REG_LOSSES[p["loss"]][0]
        ask = (r"What fraction of the summed weighted gradient norms comes from task 2, "
               r"$s_2 = \lambda_2 \lVert g_2 \rVert / (\lambda_1 \lVert g_1 \rVert + \lambda_2 \lVert g_2 \rVert)$?"
               if p["ask"] == "share" else
               r"Keep $\lambda_1$. Which $\lambda_2$ makes the two weighted norms equal, "
               r"$\lambda_1 \lVert g_1 \rVert = \lambda_2 \lVert g_2 \rVert$?")
        weights = (f"$\\lambda_1 = {p['lam1']:g}$ and $\\lambda_2 = {p['lam2']:g}$" if p["ask"] == "share"
                   else f"$\\lambda_1 = {p['lam1']:g}$")
        return ("A network computes shared features $h \\in \\mathbb{R}^2$ and two linear heads on them: a logit "
                f"$z = u^\\top h$ with $u = {_vec(p['u'])}$, trained with binary cross-entropy on logits, and a "
                f"regression output $b = v^\\top h$ with $v = {_vec(p['v'])}$, trained with $L_2 = {tex}$. For one "
                f"example the label is $y = {p['y']}$ and $\\sigma(z) = {p['p']:g}$; the regression output is "
                f"$b = {p['b']:g}$ for the target $t = {p['t']:g}$. The total is "
                f"$\\lambda_1 L_1 + \\lambda_2 L_2$ with {weights}. Let $g_k = \\partial L_k / \\partial h$, the "
                f"gradient of the unweighted task loss at the shared features. {ask}")

    def correct(self, p):
        _, _, n1, n2 = self._parts(p)
        if p["ask"] == "share":
            return p["lam2"] * n2 / (p["lam1"] * n1 + p["lam2"] * n2)
        return p["lam1"] * n1 / n2

    def _answer_from(self, p, n1, n2):
        """The asked quantity, from two candidate norms."""
        if p["ask"] == "share":
            return p["lam2"] * n2 / (p["lam1"] * n1 + p["lam2"] * n2)
        return p["lam1"] * n1 / n2

    def mistakes(self, p):
        d1, d2, n1, n2 = self._parts(p)
        r = p["b"] - p["t"]
        l1 = M.bce(p["y"], p["p"])
        l2 = _REG_LOSSES[p["loss"]][1](r)
        found = [
            Mistake("head_outputs_not_shared", self._answer_from(p, abs(d1), abs(d2)),
                    "That compares the gradients at the heads' outputs, $\\partial L_1/\\partial z$ and "
                    "$\\partial L_2/\\partial b$. At the shared features each is multiplied by its head's Jacobian: "
                    "$g_1 = (\\sigma(z) - y)\\, u$ and $g_2 = (\\partial L_2/\\partial b)\\, v$, so the norms of $u$ "
                    "and $v$ enter."),
            Mistake("values_for_gradients", self._answer_from(p, l1, l2),
                    "That uses the loss values $L_1$ and $L_2$ where the gradient norms belong. What the shared "
                    "layers learn from is $\\lambda_k g_k$; the value of a loss does not fix the size of its "
                    "gradient (the absolute error's derivative is $\\pm 1$ whatever the error)."),
        ]
        if p["ask"] == "share":
            found.append(Mistake("other_task_share", 1 - self.correct(p),
                                 "That is task 1's share; the question asks for task 2's, "
                                 r"$\lambda_2 \lVert g_2 \rVert / (\lambda_1 \lVert g_1 \rVert + "
                                 r"\lambda_2 \lVert g_2 \rVert)$."))
            found.append(Mistake("forgot_lambda", n2 / (n1 + n2),
                                 "That leaves out the weights: the gradient of the total is "
                                 r"$\lambda_1 g_1 + \lambda_2 g_2$."))
        else:
            found.append(Mistake("ratio_inverted", p["lam1"] * n2 / n1,
                                 r"The ratio is upside down: $\lambda_2 = \lambda_1 \lVert g_1 \rVert / "
                                 r"\lVert g_2 \rVert$, so the task with the smaller gradient gets the larger weight."))
        if p["loss"] == "squared":
            found.append(Mistake("dropped_factor_2", self._answer_from(p, n1, n2 / 2),
                                 "The derivative of $(b - t)^2$ is $2(b - t)$: the factor 2 is missing."))
        return found

    def hints(self, problem):
        return [
            "First the gradients at the heads' outputs: $\\partial L_1/\\partial z = \\sigma(z) - y$ for "
            "cross-entropy on a logit, and $\\partial L_2/\\partial b$ from the regression loss "
            "($\\operatorname{sign}(b - t)$ for the absolute error, $2(b - t)$ for the squared error).",
            "Then the chain rule through each head: $z = u^\\top h$ gives $\\partial z/\\partial h = u$, so "
            "$g_1 = (\\sigma(z) - y)\\, u$ and $g_2 = (\\partial L_2/\\partial b)\\, v$, with the norms "
            "$\\lvert \\sigma(z) - y \\rvert \\lVert u \\rVert$ and "
            "$\\lvert \\partial L_2/\\partial b \\rvert \\lVert v \\rVert$.",
            "Weight each norm by its $\\lambda_k$ and compare them.",
        ]

    def steps(self, p):
        d1, d2, n1, n2 = self._parts(p)
        r = p["b"] - p["t"]
        deriv = (f"\\operatorname{{sign}}({f(r)}) = {f(d2)}" if p["loss"] == "l1" else f"2 \\cdot ({f(r)}) = {f(d2)}")
        last = (f"$s_2 = {f(p['lam2'] * n2)} / ({f(p['lam1'] * n1)} + {f(p['lam2'] * n2)}) = {f(self.correct(p))}$."
                if p["ask"] == "share" else
                f"$\\lambda_2 = \\lambda_1 \\lVert g_1 \\rVert / \\lVert g_2 \\rVert = {p['lam1']:g} \\cdot {f(n1)} / "
                f"{f(n2)} = {f(self.correct(p))}$.")
        return [
            f"At the outputs: $\\partial L_1/\\partial z = {p['p']:g} - {p['y']} = {f(d1)}$ and "
            f"$\\partial L_2/\\partial b = {deriv}$.",
            f"Through the heads: $\\lVert u \\rVert = {f(_norm(p['u']))}$ and $\\lVert v \\rVert = {f(_norm(p['v']))}$, "
            f"so $\\lVert g_1 \\rVert = {f(abs(d1))} \\cdot {f(_norm(p['u']))} = {f(n1)}$ and "
            f"$\\lVert g_2 \\rVert = {f(abs(d2))} \\cdot {f(_norm(p['v']))} = {f(n2)}$.",
            last,
        ]


# ---------------------------------------------------------------------------------- weighted BCE minimiser
class WeightedBCEMinimiser(NumericExercise):
    """The prediction that minimises the expected class-weighted BCE at an input with P(y = 1 | x) = q:
    p* = alpha q / (alpha q + beta (1 - q)), i.e. the logit of q shifted by log(alpha / beta)."""

    id = "custom.weighted_bce_minimiser"
    skill = "custom.weighted_bce"
    title = "The minimiser of weighted binary cross-entropy"
    depth = "derive"

    def make_params(self, rng):
        form = rng.choice(["class_weight", "pos_weight"])
        alpha = rng.choice([2.0, 3.0, 4.0, 5.0, 9.0, 10.0, 20.0])
        beta = rng.choice([0.5, 1.0, 2.0]) if form == "class_weight" else 1.0
        return {"form": form, "alpha": alpha, "beta": beta, "q": rng.choice([0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4])}

    def acceptable(self, p):
        return p["alpha"] != p["beta"] and super().acceptable(p)

    def statement(self, p):
        weights = (f"with `class_weight=({p['beta']:g}, {p['alpha']:g})`: weight $\\beta = {p['beta']:g}$ on "
                   f"negatives and $\\alpha = {p['alpha']:g}$ on positives"
                   if p["form"] == "class_weight" else
                   f"with `pos_weight={p['alpha']:g}`: the positive term weighted by $\\alpha = {p['alpha']:g}$, "
                   "the negative term by $\\beta = 1$")
        return ("A classifier is trained with binary cross-entropy "
                f"{weights}, "
                r"$L = -[\alpha\, y \log \hat p + \beta (1 - y) \log(1 - \hat p)]$. "
                f"At some input the label is 1 with probability $q = P(y = 1 \\mid x) = {p['q']:g}$. Which "
                r"prediction $\hat p$ minimises the expected loss $\mathbb{E}_y[L]$ there? (A flexible model trained "
                "on plenty of data approaches it.)")

    def correct(self, p):
        a, b, q = p["alpha"], p["beta"], p["q"]
        return a * q / (a * q + b * (1 - q))

    def mistakes(self, p):
        a, b, q = p["alpha"], p["beta"], p["q"]
        found = [
            Mistake("unweighted_minimiser", q,
                    "That is the minimiser of the unweighted loss. With weights the expected loss is "
                    r"$-[\alpha q \log \hat p + \beta (1 - q) \log(1 - \hat p)]$, and its minimum moves."),
            Mistake("weights_swapped", b * q / (b * q + a * (1 - q)),
                    r"The weights are swapped: $\alpha$ multiplies the positive term, which has probability $q$, so "
                    r"$\hat p^* = \alpha q / (\alpha q + \beta (1 - q))$."),
            Mistake("dropped_one_minus_q", a * q / (a * q + b),
                    r"The negative term has probability $1 - q$: the denominator is $\alpha q + \beta(1 - q)$."),
        ]
        if a * q < b:
            found.append(Mistake("odds_as_probability", a * q / b,
                                 r"That is $\alpha q / \beta$, not a probability of the right form: setting the "
                                 r"derivative to zero gives $\alpha q (1 - \hat p) = \beta (1 - q) \hat p$, so "
                                 r"$\hat p = \alpha q / (\alpha q + \beta (1 - q))$."))
        return found

    def hints(self, problem):
        return [
            r"Write the expected loss: $\mathbb{E}_y[L] = -[\alpha q \log \hat p + \beta (1 - q) \log(1 - \hat p)]$.",
            r"Set its derivative to zero: $-\alpha q / \hat p + \beta (1 - q) / (1 - \hat p) = 0$.",
            r"Solve for $\hat p$: $\alpha q (1 - \hat p) = \beta (1 - q)\, \hat p$. In logits, the weighting shifts "
            r"$\operatorname{logit} q$ by $\log(\alpha / \beta)$.",
        ]

    def steps(self, p):
        a, b, q = p["alpha"], p["beta"], p["q"]
        return [
            f"$\\mathbb{{E}}_y[L] = -[{a:g} \\cdot {q:g} \\log \\hat p + {b:g} \\cdot {f(1 - q)} \\log(1 - \\hat p)]$.",
            r"Its derivative is zero where $\alpha q (1 - \hat p) = \beta (1 - q) \hat p$, so "
            r"$\hat p^* = \alpha q / (\alpha q + \beta (1 - q))$.",
            f"$\\hat p^* = {f(a * q)} / ({f(a * q)} + {f(b * (1 - q))}) = {f(self.correct(p))}$, not $q = {q:g}$: the "
            f"weights move the logit by $\\log(\\alpha/\\beta) = {f(math.log(a / b))}$. Undo that shift (or use a "
            "decision threshold instead) when calibrated probabilities are needed.",
        ]


# ---------------------------------------------------------------------------------- pos_weight inverse
class PosWeightInverse(NumericExercise):
    """Undo pos_weight: a model at the weighted minimiser outputs p = w q / (w q + 1 - q); then
    q = p / (p + w (1 - p)), i.e. logit q = logit p - log w."""

    id = "custom.pos_weight_inverse"
    skill = "custom.weighted_bce"
    title = "Calibrated probabilities from a model trained with pos_weight"
    depth = "derive"

    def make_params(self, rng):
        return {"w": rng.choice([2.0, 3.0, 5.0, 10.0, 20.0, 50.0]), "given": rng.choice(["prob", "logit"]),
                "p": rng.choice([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]),
                "z": rng.choice([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0, 3.0])}

    def _p(self, p):
        return p["p"] if p["given"] == "prob" else M.sigmoid(p["z"])

    def statement(self, p):
        out = (f"For one input it outputs the probability $\\hat p = {p['p']:g}$" if p["given"] == "prob" else
               f"For one input it outputs the logit $z = {p['z']:g}$, so $\\hat p = \\sigma(z)$")
        return (f"A model was trained with `bce_with_logits(..., pos_weight={p['w']:g})`, and it fits the data well "
                "enough to sit at the minimiser of the expected weighted loss at every input. "
                f"{out}. Recover the calibrated probability $q = P(y = 1 \\mid x)$ for that input.")

    def correct(self, p):
        ph, w = self._p(p), p["w"]
        return ph / (ph + w * (1 - ph))

    def mistakes(self, p):
        ph, w = self._p(p), p["w"]
        found = [
            Mistake("no_correction", ph,
                    "That is the model's output itself. Trained with `pos_weight`, the model estimates "
                    r"$w q / (w q + 1 - q)$, not $q$: it over-states the positive class."),
            Mistake("applied_forward", w * ph / (w * ph + 1 - ph),
                    r"That applies the weighting a second time. Invert it: from $\hat p = w q / (w q + 1 - q)$, "
                    r"$q = \hat p / (\hat p + w (1 - \hat p))$."),
            Mistake("divided_probability", ph / w,
                    r"Dividing the probability by $w$ forgets the normalisation: it is the odds, "
                    r"$\hat p / (1 - \hat p)$, that are $w$ times too large."),
        ]
        if p["given"] == "logit":
            found.append(Mistake("logit_not_probability", p["z"] - math.log(w),
                                 r"That is the corrected logit $z - \log w$; the question asks for the "
                                 r"probability $\sigma(z - \log w)$."))
        return found

    def hints(self, problem):
        return [
            r"At the weighted minimiser, $\hat p = w q / (w q + 1 - q)$: in odds, $\hat p / (1 - \hat p) = w\, "
            r"q / (1 - q)$.",
            r"Divide the odds by $w$, or equivalently subtract $\log w$ from the logit: "
            r"$q = \sigma(\operatorname{logit} \hat p - \log w)$.",
        ]

    def steps(self, p):
        ph, w = self._p(p), p["w"]
        first = (f"$\\hat p = \\sigma({p['z']:g}) = {f(ph)}$; its logit is ${p['z']:g}$." if p["given"] == "logit"
                 else f"$\\operatorname{{logit}} \\hat p = \\log({f(ph)} / {f(1 - ph)}) = {f(_logit(ph))}$.")
        zq = _logit(ph) - math.log(w)
        return [
            first,
            r"The weighting multiplied the odds by $w$, so the calibrated logit is "
            f"$\\operatorname{{logit}} \\hat p - \\log w = {f(_logit(ph))} - {f(math.log(w))} = {f(zq)}$.",
            f"$q = \\sigma({f(zq)}) = {f(self.correct(p))}$, the same as $\\hat p / (\\hat p + w (1 - \\hat p))$.",
        ]


EXERCISES = [SharedLayerShare(), WeightedBCEMinimiser(), PosWeightInverse()]
