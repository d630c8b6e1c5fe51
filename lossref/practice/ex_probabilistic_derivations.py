"""Derivations of session 4: a Newton step for logistic regression, the gradient of softmax
cross-entropy through a linear layer, and the logit that minimises binary cross-entropy."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["LogisticNewtonStep", "LinearLayerGrad", "BestConstantLogit", "TwoClassSoftmaxAsBCE"]


# ---------------------------------------------------------------------------------- helpers
def _d(x: float) -> str:
    """A drawn number with one decimal, never "-0.0"."""
    return f"{x + 0.0:.1f}" if round(x, 1) != 0 else "0.0"


def _paren(x: float) -> str:
    """A computed number inside a sum, in parentheses when negative."""
    return f"({f(x)})" if x < 0 else f(x)


def _tuple(values) -> str:
    return "(" + ", ".join(_d(v) for v in values) + ")"


def _vec(values) -> str:
    return "(" + ", ".join(f(v) for v in values) + ")"


def _pmatrix(rows) -> str:
    return r"\begin{pmatrix} " + r" \\ ".join(" & ".join(_d(v) for v in row) for row in rows) + r" \end{pmatrix}"


_ORDINAL = ("first", "second", "third")


# ---------------------------------------------------------------------------------- Newton step
class LogisticNewtonStep(NumericExercise):
    """One Newton (IRLS) step for a one-weight logistic model z = w x fitted by binary cross-entropy.

    R(w) = sum_i BCE(y_i, sigma(w x_i)), R'(w) = sum_i (p_i - y_i) x_i, R''(w) = sum_i p_i (1 - p_i) x_i^2,
    w_1 = w_0 - R'(w_0) / R''(w_0).
    """

    id = "bce.newton_step"
    skill = "bce.newton"
    title = "A Newton step for logistic regression"
    depth = "derive"

    def make_params(self, rng):
        n = rng.choice([2, 3])
        xs = [rng.choice([-1, 1]) * round(rng.uniform(0.5, 2.5), 1) for _ in range(n)]
        ys = [rng.choice([0, 1]) for _ in range(n)]
        return {"x": xs, "y": ys, "w0": rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0])}

    def _parts(self, p):
        probs = [M.sigmoid(p["w0"] * x) for x in p["x"]]
        grad = math.fsum((q - y) * x for q, x, y in zip(probs, p["x"], p["y"]))
        curv = math.fsum(q * (1 - q) * x * x for q, x in zip(probs, p["x"]))
        return probs, grad, curv

    def acceptable(self, params):
        _, grad, curv = self._parts(params)
        w1 = params["w0"] - grad / curv
        return abs(grad / curv) <= 4.0 and abs(grad) >= 0.05 and abs(w1) >= 0.2 and super().acceptable(params)

    def statement(self, p):
        pairs = ", ".join(f"({_d(x)}, {y})" for x, y in zip(p["x"], p["y"]))
        return ("A logistic model with one weight and no bias gives the input $x$ the probability "
                r"$\hat p = \sigma(w x)$ of the label 1. It is fitted by the binary cross-entropy summed over "
                f"{len(p['x'])} examples $(x_i, y_i)$: {pairs}. "
                r"Starting from $w_0 = " + _d(p["w0"]) + r"$, take one Newton step "
                r"$w_1 = w_0 - R'(w_0) / R''(w_0)$, where $R(w)$ is the summed loss. Give $w_1$.")

    def correct(self, p):
        _, grad, curv = self._parts(p)
        return p["w0"] - grad / curv

    def mistakes(self, p):
        probs, grad, curv = self._parts(p)
        w0 = p["w0"]
        no_x_grad = math.fsum(q - y for q, y in zip(probs, p["y"]))
        no_x_curv = math.fsum(q * (1 - q) for q in probs)
        found = [
            Mistake("gradient_step", w0 - grad,
                    "That is a gradient step with step size 1, w₀ - R'(w₀). Newton's method divides the gradient "
                    "by the second derivative R''(w₀) = Σ p̂ᵢ(1 - p̂ᵢ) xᵢ²."),
            Mistake("sign_flipped", w0 + grad / curv,
                    "The step goes the wrong way: Newton's method subtracts R'(w₀)/R''(w₀), so the weight moves "
                    "against the gradient."),
            Mistake("curvature_without_x", w0 - grad / no_x_curv,
                    "The second derivative lacks the factor xᵢ²: σ(w xᵢ) depends on w through w xᵢ, so each "
                    "derivative in w brings one factor xᵢ, and the second derivative brings two."),
            Mistake("gradient_without_x", w0 - no_x_grad / curv,
                    "The gradient lacks the factor xᵢ: ∂L/∂w = (∂L/∂z)(∂z/∂w) = (p̂ᵢ - yᵢ) xᵢ."),
        ]
        if w0 != 0:
            found.append(Mistake("step_only", -grad / curv,
                                 "That is the Newton step Δw = -R'(w₀)/R''(w₀) alone; the new weight is "
                                 "w₁ = w₀ + Δw."))
        return found

    def hints(self, problem):
        return [
            r"The logit of example $i$ is $z_i = w x_i$. By the chain rule its loss has "
            r"$\partial L_i/\partial w = (\hat p_i - y_i)\, x_i$, with $\hat p_i = \sigma(w x_i)$.",
            r"Differentiate once more: $\partial \hat p_i/\partial w = \hat p_i(1 - \hat p_i)\, x_i$, so "
            r"$R''(w) = \sum_i \hat p_i(1 - \hat p_i)\, x_i^2$, which is positive: $R$ is convex.",
            r"Evaluate $\hat p_i$ at $w_0$, sum $R'(w_0) = \sum_i (\hat p_i - y_i) x_i$ and $R''(w_0)$, then "
            r"$w_1 = w_0 - R'(w_0)/R''(w_0)$. (A mean instead of a sum divides both by $n$: the step is the same.)",
        ]

    def steps(self, p):
        probs, grad, curv = self._parts(p)
        shown = ", ".join(f(q) for q in probs)
        return [
            rf"At $w_0 = {_d(p['w0'])}$: $\hat p_i = \sigma(w_0 x_i) \approx ({shown})$.",
            r"$R'(w) = \sum_i (\hat p_i - y_i)\, x_i$ and $R''(w) = \sum_i \hat p_i (1 - \hat p_i)\, x_i^2$ "
            r"(the chain rule through $z_i = w x_i$, twice).",
            rf"$R'(w_0) \approx {f(grad)}$ and $R''(w_0) \approx {f(curv)}$.",
            rf"$w_1 = {_d(p['w0'])} - {_paren(grad)} / {f(curv)} \approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- linear layer
class LinearLayerGrad(NumericExercise):
    """The gradient of softmax cross-entropy through a linear layer z = W x: dL/dW = (p - y) x^T.

    Row r of dL/dW (the weights that produce z_r) is (p_r - y_r) x.
    """

    id = "cross_entropy.linear_layer_grad"
    skill = "cross_entropy.linear_grad"
    title = "The gradient of cross-entropy through a linear layer"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        w = [[round(rng.uniform(-1.5, 1.5), 1) + 0.0 for _ in range(2)] for _ in range(3)]
        x = [rng.choice([-1, 1]) * round(rng.uniform(0.5, 2.0), 1) for _ in range(2)]
        return {"W": w, "x": x, "label": rng.randrange(3), "row": rng.randrange(3)}

    def _probs(self, p):
        z = [math.fsum(wk * xk for wk, xk in zip(row, p["x"])) for row in p["W"]]
        return z, M.softmax(z)

    def _row(self, probs, label, r, x):
        return [(probs[r] - (r == label)) * xk for xk in x]

    def statement(self, p):
        return ("A linear layer maps an input $x \\in \\mathbb{R}^2$ to three logits $z = W x$ (no bias), with "
                f"$W = {_pmatrix(p['W'])}$ and $x = {_tuple(p['x'])}$. The loss is the softmax cross-entropy "
                r"$L = -\log \operatorname{softmax}(z)_c$ and the true class is class "
                f"{p['label'] + 1} (counting from 1). Compute the {_ORDINAL[p['row']]} row of "
                r"$\partial L/\partial W$, the gradient in the two weights $W_{r1}, W_{r2}$ that produce $z_r$ "
                f"for $r = {p['row'] + 1}$.")

    def correct(self, p):
        _, probs = self._probs(p)
        return self._row(probs, p["label"], p["row"], p["x"])

    def mistakes(self, p):
        _, probs = self._probs(p)
        r, c, x = p["row"], p["label"], p["x"]
        twice = M.softmax(probs)
        found = [
            Mistake("sign_flipped", [-v for v in self._row(probs, c, r, x)],
                    "The sign is flipped: the gradient in the logits is p̂ - y, prediction minus target, and the "
                    "chain rule multiplies it by x."),
            Mistake("forgot_target", [probs[r] * xk for xk in x],
                    "That is p̂ᵣ x: the one-hot target is missing. The gradient in the logit zᵣ is p̂ᵣ - yᵣ, "
                    "which takes 1 off the true class's entry."),
            Mistake("softmax_twice", self._row(twice, c, r, x),
                    "Softmax was applied twice: compute z = W x, then p̂ = softmax(z) once, then (p̂ᵣ - yᵣ) x."),
        ]
        if r != c:
            found.append(Mistake("true_class_row", self._row(probs, c, c, x),
                                 f"That is row {c + 1}, the true class's row. Row {r + 1} holds the weights that "
                                 f"produce $z_{r + 1}$, and its gradient is $(\\hat p_{r + 1} - y_{r + 1})\\, x$."))
        else:
            found.append(Mistake("target_not_subtracted_from_true_row", [(probs[r] + 1) * xk for xk in x],
                                 "For the true class the target is yᵣ = 1 and the gradient is (p̂ᵣ - 1) x: subtract "
                                 "the 1, do not add it."))
        return found

    def acceptable(self, params):
        _, probs = self._probs(params)
        r = params["row"]
        return abs(probs[r] - (r == params["label"])) >= 0.05 and super().acceptable(params)

    def hints(self, problem):
        return [
            r"Forward first: $z = W x$, then $\hat p = \operatorname{softmax}(z)$. The gradient in the logits is "
            r"$\partial L/\partial z = \hat p - y$ with $y$ the one-hot target.",
            r"$z_r = W_{r1} x_1 + W_{r2} x_2$, so $\partial z_r/\partial W_{rk} = x_k$, and $W_{rk}$ reaches the loss "
            r"through $z_r$ only.",
            r"Chain rule: $\partial L/\partial W_{rk} = (\hat p_r - y_r)\, x_k$. The whole matrix is "
            r"$\partial L/\partial W = (\hat p - y)\, x^\top$, an outer product.",
        ]

    def steps(self, p):
        z, probs = self._probs(p)
        r = p["row"]
        y_r = 1 if r == p["label"] else 0
        return [
            rf"$z = W x \approx {_vec(z)}$ and $\hat p = \operatorname{{softmax}}(z) \approx {_vec(probs)}$.",
            rf"$\partial L/\partial z_{r + 1} = \hat p_{r + 1} - y_{r + 1} \approx {f(probs[r])} - {y_r} "
            rf"= {f(probs[r] - y_r)}$.",
            rf"$\partial L/\partial W_{{{r + 1}k}} = (\hat p_{r + 1} - y_{r + 1})\, x_k$: "
            rf"${f(probs[r] - y_r)} \times {_tuple(p['x'])} \approx {_vec(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- minimiser
class BestConstantLogit(NumericExercise):
    """The logit that minimises binary cross-entropy over examples that share one input.

    With k labels 1 out of n (or a label that is 1 with probability q), the mean loss has
    dR/dz = sigma(z) - k/n, so sigma(z*) = k/n and z* = log(k / (n - k)), the log-odds.
    """

    id = "bce.best_logit"
    skill = "bce.minimiser"
    title = "The logit that minimises binary cross-entropy"
    depth = "derive"

    def make_params(self, rng):
        if rng.random() < 0.6:
            n = rng.choice([4, 5, 6, 8, 10])
            k = rng.randrange(1, n)
            labels = [1] * k + [0] * (n - k)
            rng.shuffle(labels)
            return {"labels": labels}
        return {"q": rng.choice([0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.4, 0.6, 0.65, 0.7, 0.8, 0.85, 0.9, 0.95])}

    def _rate(self, p):
        if "q" in p:
            return p["q"]
        return sum(p["labels"]) / len(p["labels"])

    def acceptable(self, params):
        return abs(self._rate(params) - 0.5) > 0.01 and super().acceptable(params)

    def statement(self, p):
        if "q" in p:
            return ("A binary classifier outputs a logit $z$ and the probability $\\sigma(z)$ of the label 1. At one "
                    f"input the label is 1 with probability $q = {p['q']:g}$ and 0 otherwise. Which logit $z$ "
                    r"minimises the expected binary cross-entropy "
                    r"$-[\,q \log \sigma(z) + (1 - q) \log(1 - \sigma(z))\,]$? Use the natural logarithm.")
        labels = ", ".join(str(v) for v in p["labels"])
        return (f"{len(p['labels'])} training examples have the same input, so a binary classifier gives them all "
                f"the same logit $z$. Their labels are ${labels}$. Which logit $z$ minimises their mean binary "
                r"cross-entropy, with $\hat p = \sigma(z)$? Use the natural logarithm.")

    def correct(self, p):
        rate = self._rate(p)
        return math.log(rate / (1 - rate))

    def mistakes(self, p):
        rate = self._rate(p)
        logit = self.correct(p)
        return [
            Mistake("probability_not_logit", rate,
                    "That is the best probability σ(z*), not the logit: invert the sigmoid, z* = log(p/(1 - p))."),
            Mistake("sign_flipped", -logit,
                    "The odds are upside down: σ(z) = p gives z = log(p/(1 - p)), the probability of the label 1 "
                    "over that of the label 0."),
            Mistake("log_of_probability", math.log(rate),
                    "That is log p, the log of the probability. The logit is the log of the odds, "
                    "log(p/(1 - p))."),
            Mistake("odds_without_log", rate / (1 - rate),
                    "That is the odds p/(1 - p); the logit is their natural logarithm."),
            Mistake("log10", logit / math.log(10), "That uses log base 10; the sigmoid's inverse uses the natural "
                                                   "logarithm."),
        ]

    def hints(self, problem):
        p = problem.params
        if "q" in p:
            risk = r"$R(z) = -[\,q \log \sigma(z) + (1 - q)\log(1 - \sigma(z))\,]$"
            first, rate = r"$R'(z) = \sigma(z) - q$", "q"
        else:
            risk = r"the mean loss $R(z) = -\frac{1}{n}[\,k \log \sigma(z) + (n - k)\log(1 - \sigma(z))\,]$ with $k$ ones"
            first, rate = r"$R'(z) = \sigma(z) - k/n$", "k/n"
        return [
            f"Write {risk}. Each term's derivative in $z$ is $\\sigma(z) - y$.",
            f"{first}, and $R$ is convex ($R''(z) = \\sigma(z)(1 - \\sigma(z)) > 0$): the minimiser is where "
            "$R'(z) = 0$.",
            rf"Solve $\sigma(z^\star) = {rate}$ for $z^\star$: with $p = {rate}$, $z^\star = \log\frac{{p}}{{1 - p}}$, "
            "the log-odds.",
        ]

    def steps(self, p):
        rate = self._rate(p)
        if "q" in p:
            first = rf"$R'(z) = q(\sigma(z) - 1) + (1 - q)\sigma(z) = \sigma(z) - q$, so $\sigma(z^\star) = {rate:g}$."
        else:
            n, k = len(p["labels"]), sum(p["labels"])
            first = (rf"$k = {k}$ ones out of $n = {n}$: $R'(z) = \sigma(z) - k/n$, so "
                     rf"$\sigma(z^\star) = {k}/{n} = {f(rate)}$.")
        return [
            first,
            r"$R''(z) = \sigma(z)(1 - \sigma(z)) > 0$: this stationary point is the minimum.",
            rf"$z^\star = \log\frac{{{f(rate)}}}{{{f(1 - rate)}}} \approx {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- two classes
class TwoClassSoftmaxAsBCE(NumericExercise):
    """Two-class softmax cross-entropy is binary cross-entropy on the logit difference.

    softmax(z)_P = 1 / (1 + e^{-(z_P - z_Q)}) = sigma(z_P - z_Q) for the positive class P and the other
    class Q, so the loss is BCE(y, sigma(d)) with d = z_P - z_Q and y = 1 when the true class is P.
    """

    id = "cross_entropy.two_class_as_bce"
    skill = "cross_entropy.value"
    title = "Two-class softmax cross-entropy as a binary cross-entropy"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        return {"z": [round(rng.uniform(-2.0, 2.5), 1) + 0.0 for _ in range(2)], "label": rng.randrange(2),
                "positive": rng.randrange(2)}

    def acceptable(self, params):
        return abs(params["z"][0] - params["z"][1]) >= 0.3 and super().acceptable(params)

    def _parts(self, p):
        pos = p["positive"]
        d = p["z"][pos] - p["z"][1 - pos]
        y = 1 if p["label"] == pos else 0
        return d, y

    def statement(self, p):
        return (f"A two-class classifier outputs the logits $z = {_tuple(p['z'])}$ for classes 1 and 2 and is trained "
                r"with the softmax cross-entropy $-\log \operatorname{softmax}(z)_c$; the true class is class "
                f"{p['label'] + 1}. The same model can be written with one logit $d$ and a sigmoid, where "
                f"$\\sigma(d)$ is the probability of class {p['positive'] + 1} (the positive class, label $y = 1$). "
                "Give $d$ and the binary cross-entropy $L = -[\\,y \\log \\sigma(d) + (1 - y) \\log(1 - \\sigma(d))\\,]$ "
                "of this example, as two numbers $d, L$.")

    def correct(self, p):
        d, y = self._parts(p)
        return [d, M.bce_with_logits(y, d)]

    def mistakes(self, p):
        d, y = self._parts(p)
        pos = p["positive"]
        return [
            Mistake("positive_class_swapped", [-d, M.bce_with_logits(y, -d)],
                    f"That logit gives the probability of the other class. The positive class is class {pos + 1}, "
                    f"so $d = z_{pos + 1} - z_{2 - pos}$: $\\sigma(d)$ must be softmax's entry for class {pos + 1}."),
            Mistake("label_flipped", [d, M.bce_with_logits(1 - y, d)],
                    f"The label is flipped: $y = 1$ means the true class is the positive class {pos + 1}, and here "
                    f"the true class is class {p['label'] + 1}, so $y = {y}$."),
            Mistake("logit_not_difference", [p["z"][pos], M.bce_with_logits(y, p["z"][pos])],
                    "The positive class's logit alone is not the sigmoid's logit: dividing softmax's numerator and "
                    "denominator by $e^{z_P}$ leaves $1/(1 + e^{-(z_P - z_Q)})$, so $d$ is the difference of the "
                    "logits."),
        ]

    def hints(self, problem):
        return [
            r"Write the positive class's softmax probability and divide its numerator and denominator by "
            r"$e^{z_P}$: $\frac{e^{z_P}}{e^{z_P} + e^{z_Q}} = \frac{1}{1 + e^{-(z_P - z_Q)}}$.",
            r"So $d = z_P - z_Q$, the positive class's logit minus the other's, and $y = 1$ exactly when the true "
            r"class is the positive one.",
            r"$L = \log(1 + e^{-d})$ if $y = 1$ and $\log(1 + e^{d})$ if $y = 0$; it equals the softmax "
            r"cross-entropy of the two logits.",
        ]

    def steps(self, p):
        d, y = self._parts(p)
        pos = p["positive"]
        return [
            rf"$\operatorname{{softmax}}(z)_{pos + 1} = \sigma(z_{pos + 1} - z_{2 - pos})$, so "
            rf"$d = {_d(p['z'][pos])} - {_paren(p['z'][1 - pos])} = {f(d)}$.",
            rf"The true class is class {p['label'] + 1}, so $y = {y}$.",
            rf"$L = \log(1 + e^{{{f(-d) if y == 1 else f(d)}}}) \approx {f(M.bce_with_logits(y, d))}$, the softmax "
            r"cross-entropy of $z$.",
        ]


EXERCISES = [LogisticNewtonStep(), LinearLayerGrad(), BestConstantLogit(), TwoClassSoftmaxAsBCE()]
