"""Exercises of session 10 on log-probabilities, sequences and rankings: NLL's weighted mean with an
ignored label, the categorical focal loss and its gradient, CTC's shortest input and its forward
variables, the margin ranking loss and its gradient, and the softmax ranking gradient R p - r."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise, fmt_number as f, no_negative_zero

__all__ = ["NLLWeightedMean", "CategoricalFocalValue", "CategoricalFocalGrad", "CTCShortestInput",
           "CTCForwardVariable", "CTCTargetLoss", "MarginRankingValue", "MarginRankingGrad", "RankingSoftmaxGrad"]


# ---------------------------------------------------------------------------------- helpers
def _g(x: float) -> str:
    """A drawn number as written: 0.5, -1.2, 2, never "-0"."""
    return no_negative_zero(f"{x + 0.0:g}")


def _paren(x: float) -> str:
    """A number inside a sum or a product, in parentheses when negative."""
    return f"({f(x)})" if x < 0 else f(x)


def _vec(values, fmt=f) -> str:
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def _one_hot(label: int, n: int) -> list[float]:
    return [float(k == label) for k in range(n)]


# ---------------------------------------------------------------------------------- NLL
IGNORE = -100  # torch's default ignore_index, the usual padding label


class NLLWeightedMean(NumericExercise):
    """The mean NLL of a batch under class weights and an ignored label, by torch's rule:
    sum_i w_{y_i} (-l_{i, y_i}) / sum_i w_{y_i} over the examples kept."""

    id = "nll.weighted_mean"
    skill = "nll.log_probs"
    title = "NLL with class weights and an ignored label"

    def make_params(self, rng):
        rows = []
        for _ in range(4):
            top = rng.choice([0.5, 0.6, 0.7, 0.8])
            second = rng.choice([v / 10 for v in range(1, round(10 * (1 - top)))])
            probs = [top, second, round(1 - top - second, 1)]
            rng.shuffle(probs)
            rows.append([round(math.log(q), 3) for q in probs])
        labels = [rng.randrange(3) for _ in range(4)]
        labels[rng.randrange(4)] = IGNORE
        weights = [rng.choice([0.5, 1.0, 2.0, 3.0]) for _ in range(3)]
        return {"log_probs": rows, "y": labels, "class_weight": weights}

    def acceptable(self, params):
        kept = [y for y in params["y"] if y != IGNORE]
        # the weights must matter: the kept examples' classes do not all have the same weight
        return len({params["class_weight"][y] for y in kept}) > 1 and super().acceptable(params)

    def _terms(self, p):
        """(weight, loss) of each example kept."""
        return [(p["class_weight"][y], -row[y]) for row, y in zip(p["log_probs"], p["y"]) if y != IGNORE]

    def statement(self, p):
        rows = r" \\ ".join(" & ".join(f"{v:.3f}" for v in row) for row in p["log_probs"])
        return ("A classifier ends in `log_softmax` and gives four examples the log-probabilities below (one row "
                "per example, classes 0, 1, 2 across):\n\n"
                rf"$$\ell = \begin{{pmatrix}} {rows} \end{{pmatrix}}, \qquad y = ({', '.join(str(y) for y in p['y'])}).$$"
                "\n\nThe loss is `nll` with `class_weight` "
                f"$w = {_vec(p['class_weight'], _g)}$, `ignore_index` $= {IGNORE}$ (the label of a padded example) "
                "and `reduction=\"mean\"`, PyTorch's `NLLLoss(weight=w)`. Compute the loss.")

    def correct(self, p):
        terms = self._terms(p)
        return math.fsum(w * loss for w, loss in terms) / math.fsum(w for w, _ in terms)

    def mistakes(self, p):
        terms = self._terms(p)
        total = math.fsum(w * loss for w, loss in terms)
        return [
            Mistake("mean_over_examples", total / len(terms),
                    "That divides the weighted sum by the number of examples kept. With class weights torch's "
                    "mean (and lossref's) divides by the sum of the weights of the examples kept, "
                    r"$\sum_i w_{y_i}$: a weighted mean, which stays on the scale of one example's loss."),
            Mistake("ignored_counted", total / len(p["y"]),
                    "That divides by all four examples, the padded one included. An ignored example leaves the "
                    "numerator and the denominator: divide by the sum of the weights of the three examples kept."),
            Mistake("unweighted", M.mean(loss for _, loss in terms),
                    "That is the plain mean of the kept examples' losses: the class weights are missing. Each "
                    r"example counts $w_{y_i}$ times, in the sum and in the denominator."),
            Mistake("sum_not_mean", total,
                    r"That is the weighted sum, `reduction=\"sum\"`; the mean divides it by $\sum_i w_{y_i}$ over "
                    "the examples kept."),
            Mistake("sign_flipped", -self.correct(p),
                    r"The sign is flipped: the loss is $-\ell_{i, y_i}$, and log-probabilities are negative, so "
                    "the loss is positive."),
        ]

    def hints(self, problem):
        return [
            r"NLL reads one entry per row: $L_i = -\ell_{i, y_i}$, the log-probability of the true class. The "
            f"example labelled ${IGNORE}$ is padding and is left out entirely.",
            r"Each example kept counts with its class's weight: torch's mean is "
            r"$\sum_i w_{y_i} L_i \,/\, \sum_i w_{y_i}$, both sums over the examples kept.",
        ]

    def steps(self, p):
        terms = self._terms(p)
        kept = [(i + 1, y) for i, y in enumerate(p["y"]) if y != IGNORE]
        dropped = p["y"].index(IGNORE) + 1
        parts = " + ".join(f"{_g(w)} \\times {f(loss)}" for w, loss in terms)
        weights = " + ".join(_g(w) for w, _ in terms)
        total = math.fsum(w * loss for w, loss in terms)
        denominator = math.fsum(w for w, _ in terms)
        losses = ", ".join(rf"$L_{i} = -\ell_{{{i},{y}}} = {f(loss)}$ (weight {_g(w)})"
                           for (i, y), (w, loss) in zip(kept, terms))
        return [
            f"Example {dropped} has the label ${IGNORE}$: it is ignored.",
            f"The others: {losses}.",
            rf"Weighted sum ${parts} = {f(total)}$; sum of the weights ${weights} = {_g(denominator)}$.",
            rf"$L = {f(total)} / {_g(denominator)} = {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- categorical focal
def _draw_logits(rng) -> list[float]:
    return [round(rng.uniform(-2.0, 2.0), 1) + 0.0 for _ in range(3)]


def _focal_value(z, y, gamma, alpha=None):
    """-alpha_y (1 - p_y)^gamma log p_y with p = softmax(z)."""
    p = M.softmax(z)[y]
    return (1.0 if alpha is None else alpha[y]) * (1 - p) ** gamma * -math.log(p)


class CategoricalFocalValue(NumericExercise):
    """The categorical focal loss of one row of three logits: -alpha_y (1 - p_y)^gamma log p_y."""

    id = "categorical_focal.value"
    skill = "nll.log_probs"
    title = "Categorical focal loss of one row of logits"

    def make_params(self, rng):
        alpha = rng.choice([None, [0.25, 0.5, 1.0], [1.0, 0.5, 0.25], [0.5, 1.0, 2.0], [2.0, 1.0, 0.5]])
        return {"z": _draw_logits(rng), "y": rng.randrange(3), "gamma": rng.choice([1.0, 2.0, 2.0, 3.0]),
                "alpha": alpha}

    def acceptable(self, params):
        p = M.softmax(params["z"])[params["y"]]
        return 0.1 <= p <= 0.85 and super().acceptable(params)

    def statement(self, p):
        weights = ("no class weights" if p["alpha"] is None else
                   f"class weights $\\alpha = {_vec(p['alpha'], _g)}$")
        return (f"A 3-class classifier gives the logits $z = {_vec(p['z'], _g)}$ (classes 0, 1, 2) to an example "
                f"of class $y = {p['y']}$. Compute its categorical focal loss "
                r"$L = -\alpha_y\,(1 - p_y)^{\gamma} \log p_y$ with $p = \operatorname{softmax}(z)$, "
                f"$\\gamma = {_g(p['gamma'])}$ and {weights}" + (r" ($\alpha_y = 1$)" if p["alpha"] is None else "")
                + ". Natural logarithm.")

    def correct(self, p):
        return _focal_value(p["z"], p["y"], p["gamma"], p["alpha"])

    def mistakes(self, p):
        z, y, gamma, alpha = p["z"], p["y"], p["gamma"], p["alpha"]
        a = 1.0 if alpha is None else alpha[y]
        py = M.softmax(z)[y]
        sig = M.sigmoid(z[y])
        found = [
            Mistake("no_modulator", a * -math.log(py),
                    r"That is the (weighted) cross-entropy $-\alpha_y \log p_y$: the focal factor "
                    r"$(1 - p_y)^\gamma$ is missing. It is what down-weights the examples the model already gets "
                    "right."),
            Mistake("p_not_one_minus_p", a * py ** gamma * -math.log(py),
                    r"The modulating factor is $(1 - p_y)^\gamma$, the probability of being wrong, not "
                    r"$p_y^\gamma$: a confident right answer ($p_y \to 1$) must cost less, not more."),
            Mistake("sigmoid_not_softmax", a * (1 - sig) ** gamma * -math.log(sig),
                    r"That uses $\sigma(z_y)$, the sigmoid focal loss's probability. Here the classes are "
                    r"exclusive: $p_y$ is the softmax over the three logits, $e^{z_y} / \sum_j e^{z_j}$."),
        ]
        if a != 1:
            found.append(Mistake("forgot_alpha", (1 - py) ** gamma * -math.log(py),
                                 rf"The class weight is missing: multiply by $\alpha_y = \alpha_{y} = {_g(a)}$, "
                                 "the weight of the true class."))
        return found

    def hints(self, problem):
        return [
            r"First the softmax: $p_y = e^{z_y} / \sum_j e^{z_j}$ (subtracting the largest logit first keeps the "
            "exponentials small).",
            r"Then three factors: the class weight $\alpha_y$, the focal factor $(1 - p_y)^\gamma$ and the "
            r"cross-entropy $-\log p_y$.",
        ]

    def steps(self, p):
        z, y, gamma, alpha = p["z"], p["y"], p["gamma"], p["alpha"]
        probs = M.softmax(z)
        py = probs[y]
        a = 1.0 if alpha is None else alpha[y]
        return [
            rf"$p = \operatorname{{softmax}}(z) \approx {_vec(probs)}$, so $p_{y} \approx {f(py)}$.",
            rf"$(1 - p_y)^{{{_g(gamma)}}} \approx {f((1 - py) ** gamma)}$ and $-\log p_y \approx {f(-math.log(py))}$.",
            rf"$L = {_g(a)} \times {f((1 - py) ** gamma)} \times {f(-math.log(py))} \approx {f(self.correct(p))}$.",
        ]


def _focal_weight(py: float, gamma: float) -> float:
    """g_y = (1 - p_y)^gamma - gamma (1 - p_y)^(gamma - 1) p_y log p_y: dL/dz = g_y (p - e_y)."""
    return (1 - py) ** gamma - gamma * (1 - py) ** (gamma - 1) * py * math.log(py)


class CategoricalFocalGrad(NumericExercise):
    """dL/dz of the categorical focal loss -(1 - p_y)^gamma log p_y of one row of three logits:
    g_y (p - e_y) with g_y = (1 - p_y)^gamma - gamma (1 - p_y)^(gamma - 1) p_y log p_y."""

    id = "categorical_focal.grad"
    skill = "nll.log_probs"
    title = "The gradient of the categorical focal loss in the logits"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        return {"z": _draw_logits(rng), "y": rng.randrange(3), "gamma": rng.choice([1.0, 1.0, 2.0])}

    def acceptable(self, params):
        py = M.softmax(params["z"])[params["y"]]
        return 0.15 <= py <= 0.85 and super().acceptable(params)

    def statement(self, p):
        return (f"A 3-class classifier gives the logits $z = {_vec(p['z'], _g)}$ to an example of class "
                f"$y = {p['y']}$, and is trained with the categorical focal loss "
                r"$L = -(1 - p_y)^{\gamma} \log p_y$, $p = \operatorname{softmax}(z)$, "
                f"$\\gamma = {_g(p['gamma'])}$. Derive $\\partial L / \\partial z_k$ and give it for "
                r"$k = 0, 1, 2$. (Natural logarithm; $\partial p_y / \partial z_k = p_y([k = y] - p_k)$.)")

    def _parts(self, p):
        probs = M.softmax(p["z"])
        return probs, [q - e for q, e in zip(probs, _one_hot(p["y"], 3))]

    def correct(self, p):
        probs, residual = self._parts(p)
        g = _focal_weight(probs[p["y"]], p["gamma"])
        return [g * r for r in residual]

    def mistakes(self, p):
        probs, residual = self._parts(p)
        py, gamma = probs[p["y"]], p["gamma"]
        held = (1 - py) ** gamma
        wrong_sign = held + gamma * (1 - py) ** (gamma - 1) * py * math.log(py)
        return [
            Mistake("cross_entropy_gradient", residual,
                    r"That is $p - e_y$, the cross-entropy gradient: the focal factor $(1 - p_y)^\gamma$ and its "
                    "derivative are missing."),
            Mistake("factor_held_constant", [held * r for r in residual],
                    r"That treats $(1 - p_y)^\gamma$ as a constant: $(1 - p_y)^\gamma (p - e_y)$. The factor depends "
                    r"on $z$ through $p_y$, and the product rule adds $-\gamma(1 - p_y)^{\gamma - 1} p_y \log p_y$ "
                    "to the weight (a positive term, since $\\log p_y < 0$)."),
            Mistake("product_rule_sign", [wrong_sign * r for r in residual],
                    r"The product rule's second term has the wrong sign. "
                    r"$\partial (1 - p_y)^\gamma / \partial z_k = -\gamma (1 - p_y)^{\gamma - 1}\, p_y([k = y] - p_k)$; "
                    r"multiplied by $-\log p_y$ it gives $+\gamma(1 - p_y)^{\gamma - 1} p_y \log p_y\,([k = y] - p_k)$."),
            Mistake("sign_flipped", [-v for v in self.correct(p)],
                    r"The sign is flipped: the loss falls as $z_y$ rises, so $\partial L / \partial z_y < 0$ and the "
                    "other classes' derivatives are positive."),
        ]

    def hints(self, problem):
        return [
            r"Write $L = h(p_y)$ with $h(q) = -(1 - q)^\gamma \log q$; the chain rule gives "
            r"$\partial L/\partial z_k = h'(p_y)\, p_y([k = y] - p_k)$.",
            r"The product rule: $h'(q) = \gamma (1 - q)^{\gamma - 1} \log q - (1 - q)^\gamma / q$.",
            r"So $\partial L/\partial z_k = g_y\,(p_k - [k = y])$ with "
            r"$g_y = (1 - p_y)^\gamma - \gamma (1 - p_y)^{\gamma - 1} p_y \log p_y$; for $\gamma = 0$ it is "
            r"cross-entropy's $p - e_y$.",
        ]

    def steps(self, p):
        probs, residual = self._parts(p)
        py, gamma = probs[p["y"]], p["gamma"]
        g = _focal_weight(py, gamma)
        return [
            rf"$p = \operatorname{{softmax}}(z) \approx {_vec(probs)}$, $p_y \approx {f(py)}$.",
            r"Chain rule through $p_y$: $\partial L/\partial z_k = -h'(p_y)\, p_y\,(p_k - [k = y])$ with "
            r"$h'(q) = \gamma (1 - q)^{\gamma - 1} \log q - (1 - q)^\gamma / q$, which gives "
            r"$g_y = -p_y h'(p_y) = (1 - p_y)^\gamma - \gamma (1 - p_y)^{\gamma - 1} p_y \log p_y$.",
            rf"$g_y \approx {f((1 - py) ** gamma)} + {f(-gamma * (1 - py) ** (gamma - 1) * py * math.log(py))} "
            rf"= {f(g)}$, and $p - e_y \approx {_vec(residual)}$.",
            rf"$\partial L/\partial z = g_y (p - e_y) \approx {_vec(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- CTC
# Words with neighbouring repeated letters (and some without), spelled over the alphabet a-z.
_WORDS = ("hello", "coffee", "balloon", "letter", "bookkeeper", "access", "committee", "llama", "success",
          "happy", "little", "apple", "banana", "speech", "sheep", "tomorrow", "address", "mississippi",
          "keep", "moon", "aardvark", "door", "pepper", "yellow", "cat", "seen", "bubble", "glass")


def _repeats(labels) -> int:
    """The number of neighbouring equal labels: each pair needs a blank between them."""
    return sum(a == b for a, b in zip(labels, labels[1:]))


def _extended(target, blank: int = 0) -> list[int]:
    """l' = (b, l_1, b, l_2, ..., b, l_S, b)."""
    ext = [blank]
    for label in target:
        ext += [label, blank]
    return ext


def _skip_allowed(ext, s: int, blank: int = 0) -> bool:
    """The move s - 2 -> s skips a blank: allowed into a label that differs from the one two back."""
    return s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]


def ctc_forward(probs, target, blank: int = 0, skip=True, combine=math.fsum):
    """The forward variables alpha_t(s), a list of T rows of 2S + 1 numbers (t from 0).

    alpha_0(0) = y_0(b), alpha_0(1) = y_0(l_1); then alpha_t(s) = y_t(l'_s) [alpha_{t-1}(s) +
    alpha_{t-1}(s-1) + [skip allowed] alpha_{t-1}(s-2)]. ``skip`` False never skips, "always" skips
    into every s >= 2; ``combine=max`` gives the Viterbi (best-path) variables instead of sums."""
    ext = _extended(target, blank)
    width = len(ext)
    alpha = [[0.0] * width for _ in probs]
    alpha[0][0] = probs[0][blank]
    if width > 1:
        alpha[0][1] = probs[0][ext[1]]
    for t in range(1, len(probs)):
        for s in range(width):
            terms = [alpha[t - 1][s]] + ([alpha[t - 1][s - 1]] if s >= 1 else [])
            if s >= 2 and (skip == "always" or (skip and _skip_allowed(ext, s, blank))):
                terms.append(alpha[t - 1][s - 2])
            alpha[t][s] = probs[t][ext[s]] * combine(terms)
    return alpha


class CTCShortestInput(NumericExercise):
    """The fewest time steps T that can produce a target under CTC: S + the number of neighbouring repeats."""

    id = "ctc.shortest_input"
    skill = "ctc.alignment"
    title = "The shortest input a CTC target needs"

    def make_params(self, rng):
        return {"word": rng.choice(_WORDS)}

    def statement(self, p):
        return (f"A handwriting recogniser is trained with CTC over the alphabet a-z plus a blank. One training "
                f"line is labelled with the word **{p['word']}**. What is the smallest number of time steps $T$ "
                "(frames of the network's output) for which some alignment collapses to this target, so that its "
                "loss is finite?")

    def correct(self, p):
        return float(len(p["word"]) + _repeats(p["word"]))

    def mistakes(self, p):
        word = p["word"]
        size, r = len(word), _repeats(word)
        found = [
            Mistake("extended_length", float(2 * size + 1),
                    r"That is $2S + 1$, the length of the extended target $l'$ with a blank before, between and "
                    "after the labels. An alignment need not visit every blank: it may start on the first label, "
                    "end on the last, and skip the blank between two different labels."),
            Mistake("blank_between_every_pair", float(2 * size - 1),
                    "That puts a blank between every pair of labels. Only equal neighbours need one (they would "
                    "merge otherwise); different neighbours can follow each other directly."),
        ]
        if r:
            found.append(Mistake("forgot_repeats", float(size),
                                 f"That is the number of labels $S = {size}$; the {r} pair"
                                 f"{'s' if r > 1 else ''} of equal neighbours need a blank between them, or the "
                                 "collapse would merge them into one label."))
        duplicates = size - len(set(word))
        if duplicates != r:
            found.append(Mistake("every_repeated_letter", float(size + duplicates),
                                 "That adds a step for every letter that occurs again anywhere in the word. Only "
                                 "neighbouring equal labels need a blank between them: a letter that comes back "
                                 "after another letter is separated already."))
        return found

    def hints(self, problem):
        return [
            "An alignment has one symbol per step; collapsing merges runs of the same symbol, then drops the blanks.",
            'Each label needs at least one step. Two equal labels next to each other ("ll") need a blank between '
            'them, or they would merge into one ("l-l" collapses to "ll", "ll" to "l").',
        ]

    def steps(self, p):
        word = p["word"]
        pairs = [a + b for a, b in zip(word, word[1:]) if a == b]
        repeats = (f"The equal neighbours are {', '.join(pairs)}: {len(pairs)} blank"
                   f"{'s' if len(pairs) != 1 else ''} must separate them." if pairs else
                   "No two neighbouring letters are equal: no blank is needed.")
        return [f"The target has $S = {len(word)}$ labels.", repeats,
                rf"$T_{{\min}} = S + r = {len(word)} + {len(pairs)} = {len(word) + len(pairs)}$."]


_SYMBOLS = ("-", "a", "b")  # class 0 is the blank


def _spell(labels) -> str:
    return "".join(_SYMBOLS[k] for k in labels)


# Rows of three probabilities (blank, a, b) with one decimal, each summing to 1.
_ROWS = tuple((b, a, round(1 - a - b, 1)) for b in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
              for a in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6) if round(1 - a - b, 1) >= 0.1)
# The cells (t, s) asked for: reachable, and not a start value (t >= 1).
_CELLS = ((1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (2, 4), (2, 1))


class CTCForwardVariable(NumericExercise):
    """One forward variable alpha_t(s) of CTC by hand: T = 3 steps over {blank, a, b}, a 2-label target."""

    id = "ctc.forward_variable"
    skill = "ctc.alignment"
    title = "A CTC forward variable by hand"
    depth = "derive"

    def make_params(self, rng):
        target = [rng.choice([1, 2]), rng.choice([1, 2])]
        return {"target": target, "probs": [list(rng.choice(_ROWS)) for _ in range(3)],
                "cell": list(rng.choice(_CELLS))}

    def _alpha(self, p, **kwargs):
        t, s = p["cell"]
        return ctc_forward(p["probs"], p["target"], **kwargs)[t][s]

    def acceptable(self, params):
        return self._alpha(params) > 0 and super().acceptable(params)

    def statement(self, p):
        rows = r" \\ ".join(f"{t} & " + " & ".join(_g(v) for v in row) for t, row in enumerate(p["probs"]))
        t, s = p["cell"]
        return ("A CTC model over the symbols blank (-, class 0), a (class 1) and b (class 2) gives, at three time "
                "steps $t = 0, 1, 2$, the probabilities\n\n"
                rf"$$\begin{{array}}{{c|ccc}} t & y_t(-) & y_t(a) & y_t(b) \\ \hline {rows} \end{{array}}$$"
                f"\n\nThe target is **{_spell(p['target'])}**, with the extended target "
                f"$l' = ({', '.join(_spell([k]) for k in _extended(p['target']))})$ at positions $s = 0, \\dots, 4$. "
                r"The forward variable $\alpha_t(s)$ is the total probability of the alignment prefixes of steps "
                r"$0, \dots, t$ that end in position $s$, from $\alpha_0(0) = y_0(-)$, $\alpha_0(1) = y_0(l_1)$. "
                f"Compute $\\alpha_{{{t}}}({s})$.")

    def correct(self, p):
        return self._alpha(p)

    def mistakes(self, p):
        t, s = p["cell"]
        ext = _extended(p["target"])
        found = [Mistake("no_emission", self._alpha(p) / p["probs"][t][ext[s]],
                         rf"The factor $y_{t}(l'_{s}) = y_{t}({_spell([ext[s]])}) = {_g(p['probs'][t][ext[s]])}$ "
                         "is missing: every prefix that is in position $s$ at step $t$ emits that symbol there.")]
        best = self._alpha(p, combine=max)
        if best != self._alpha(p):  # the best prefix is all there is when one term alone is non-zero
            found.append(Mistake("max_not_sum", best,
                                 "That is the probability of the single best prefix (the Viterbi recursion, a max). "
                                 r"The forward variable adds the prefixes: $\alpha_t(s)$ sums the terms from $s$, "
                                 "$s - 1$ and (where allowed) $s - 2$."))
        if _skip_allowed(ext, s):
            found.append(Mistake("skip_missing", self._alpha(p, skip=False),
                                 f"The skip from $s - 2$ is missing. Position {s} holds the label "
                                 f"{_spell([ext[s]])}, different from the label two positions back, so a prefix may "
                                 "jump over the blank between them: add $\\alpha_{t-1}(s - 2)$."))
        elif s >= 2:  # (positions 0 and 1 have nothing two back to skip from)
            why = ("it is a blank" if ext[s] == 0 else
                   "it repeats the label two positions back, and skipping the blank would merge the two")
            found.append(Mistake("skip_not_allowed", self._alpha(p, skip="always"),
                                 f"That adds $\\alpha_{{t-1}}(s - 2)$, but the skip into position {s} is not "
                                 f"allowed: {why}."))
        return found

    def hints(self, problem):
        return [
            r"Fill the table $\alpha_t(s)$ one step at a time: at $t = 0$ only positions 0 and 1 are non-zero.",
            r"$\alpha_t(s) = y_t(l'_s)\,[\alpha_{t-1}(s) + \alpha_{t-1}(s - 1) + \alpha_{t-1}(s - 2)]$, where the "
            r"last term counts only if $l'_s$ is a label different from $l'_{s-2}$ (no skip into a blank, and no "
            r"skip between two equal labels).",
        ]

    def steps(self, p):
        t_cell, s_cell = p["cell"]
        ext = _extended(p["target"])
        alpha = ctc_forward(p["probs"], p["target"])
        lines = [rf"$\alpha_0 = {_vec(alpha[0])}$ over $s = 0, \dots, 4$."]
        for t in range(1, t_cell + 1):
            cells = range(5) if t < t_cell else [s_cell]
            parts = []
            for s in cells:
                terms = [alpha[t - 1][s]] + ([alpha[t - 1][s - 1]] if s >= 1 else [])
                if _skip_allowed(ext, s):
                    terms.append(alpha[t - 1][s - 2])
                inside = " + ".join(f(v) for v in terms)
                parts.append(rf"$\alpha_{t}({s}) = {_g(p['probs'][t][ext[s]])} \times ({inside}) = {f(alpha[t][s])}$")
            if t == t_cell:
                lines.append(self._skip_note(ext, s_cell))
            lines.append(("; ".join(parts) + ".") if t < t_cell else parts[0] + ".")
        return lines

    @staticmethod
    def _skip_note(ext, s: int) -> str:
        symbol = _spell([ext[s]])
        if s < 2:
            return f"Position {s} ({symbol}) has no position two back: the terms are from $s$ and $s - 1$."
        if _skip_allowed(ext, s):
            return f"Position {s} ({symbol}) differs from the label two back: the skip from $s - 2$ counts."
        why = "a blank" if ext[s] == 0 else "a repeat of the label two back"
        return f"Position {s} ({symbol}) is {why}: no skip from $s - 2$."


def _collapse(path, blank: int = 0) -> list[int]:
    """B(pi): merge runs of the same symbol, then drop the blanks."""
    merged = [k for i, k in enumerate(path) if i == 0 or k != path[i - 1]]
    return [k for k in merged if k != blank]


def _alignments(target, steps: int, classes: int = 3) -> list[tuple[int, ...]]:
    """Every alignment of ``steps`` symbols that collapses to ``target``, in lexicographic order."""
    paths = [()]
    for _ in range(steps):
        paths = [path + (k,) for path in paths for k in range(classes)]
    return [path for path in paths if _collapse(path) == list(target)]


def _path_probability(probs, path) -> float:
    return math.prod(row[k] for row, k in zip(probs, path))


class CTCTargetLoss(NumericExercise):
    """The CTC loss of a 2-label target over T = 3 steps, from its enumerated alignments:
    -log of the sum of their probabilities."""

    id = "ctc.target_loss"
    skill = "ctc.alignment"
    title = "The CTC loss from the alignments of a short target"

    def make_params(self, rng):
        first = rng.choice([1, 2])
        return {"target": [first, 3 - first], "probs": [list(rng.choice(_ROWS)) for _ in range(3)]}

    def _paths(self, p):
        return [(path, _path_probability(p["probs"], path)) for path in _alignments(p["target"], 3)]

    def statement(self, p):
        rows = r" \\ ".join(f"{t} & " + " & ".join(_g(v) for v in row) for t, row in enumerate(p["probs"]))
        return ("A CTC model over the symbols blank (-), a and b gives, at three time steps $t = 0, 1, 2$, the "
                "probabilities\n\n"
                rf"$$\begin{{array}}{{c|ccc}} t & y_t(-) & y_t(a) & y_t(b) \\ \hline {rows} \end{{array}}$$"
                f"\n\nList the alignments of three symbols that collapse to the target **{_spell(p['target'])}** "
                "(merge repeated symbols, then drop the blanks), and compute the CTC loss "
                r"$L = -\log p(\mathbf{l} \mid x)$ of this one sequence (natural logarithm).")

    def correct(self, p):
        return -math.log(math.fsum(q for _, q in self._paths(p)))

    def mistakes(self, p):
        paths = self._paths(p)
        total = math.fsum(q for _, q in paths)
        with_blank = math.fsum(q for path, q in paths if 0 in path)
        return [
            Mistake("torch_mean", self.correct(p) / len(p["target"]),
                    "That divides the loss by the target length 2: PyTorch's `ctc_loss` with `reduction=\"mean\"` "
                    "does that before averaging over the batch. The loss of the sequence, -log p (lossref's, and "
                    "torch's with reduction=\"none\"), has no such division."),
            Mistake("probability_not_loss", total,
                    r"That is $p(\mathbf{l} \mid x)$, the total probability of the alignments; the loss is its "
                    r"negative log."),
            Mistake("repeats_missed", -math.log(with_blank),
                    "Some alignments are missing: those that repeat a label, such as "
                    f"{_spell([p['target'][0]] * 2 + [p['target'][1]])}, also collapse to the target (repeats "
                    "merge before the blanks are dropped). There are five alignments in all."),
            Mistake("best_path_only", -math.log(max(q for _, q in paths)),
                    "That is minus the log of the most probable alignment alone (best-path decoding). CTC sums "
                    "the probabilities of every alignment that collapses to the target."),
        ]

    def hints(self, problem):
        return [
            "Three symbols, two labels: one step is spare. It holds a blank (before, between or after the labels) "
            "or repeats one of the labels.",
            r"An alignment's probability is the product of its symbols' probabilities, one per step; "
            r"$p(\mathbf{l} \mid x)$ is the sum over the alignments, and $L = -\log p$.",
        ]

    def steps(self, p):
        paths = self._paths(p)
        times = r" \times "
        terms = "; ".join(f"{_spell(path)}: ${times.join(_g(row[k]) for row, k in zip(p['probs'], path))} = {f(q)}$"
                          for path, q in paths)
        total = math.fsum(q for _, q in paths)
        return [f"The alignments that collapse to {_spell(p['target'])}: {terms}.",
                rf"$p(\mathbf{{l}} \mid x) = {' + '.join(f(q) for _, q in paths)} = {f(total)}$.",
                rf"$L = -\log {f(total)} \approx {f(self.correct(p))}$."]


# ---------------------------------------------------------------------------------- margin ranking
def _draw_pairs(rng):
    return {"y": [rng.choice([-1, 1]) for _ in range(3)],
            "x1": [round(rng.uniform(-2.0, 2.0), 1) + 0.0 for _ in range(3)],
            "x2": [round(rng.uniform(-2.0, 2.0), 1) + 0.0 for _ in range(3)],
            "margin": rng.choice([0.0, 0.5, 0.5, 1.0])}


def _violations(p, margin=None):
    m = p["margin"] if margin is None else margin
    return [m - y * (a - b) for y, a, b in zip(p["y"], p["x1"], p["x2"])]


def _pairs_text(p) -> str:
    return ", ".join(f"$({y:+d}, {_g(a)}, {_g(b)})$" for y, a, b in zip(p["y"], p["x1"], p["x2"]))


class _Pairs(NumericExercise):
    """Three pairs (y, x1, x2) with a margin, none at the kink."""

    def make_params(self, rng):
        return _draw_pairs(rng)

    def acceptable(self, params):
        v = _violations(params)
        return (all(abs(x) >= 0.1 for x in v) and any(x > 0 for x in v) and any(x < 0 for x in v)
                and super().acceptable(params))


class MarginRankingValue(_Pairs):
    """The mean margin ranking loss of three pairs: (1/3) sum max(0, m - y (x1 - x2))."""

    id = "margin_ranking.value"
    skill = "ranking.order"
    title = "Margin ranking loss of three pairs"

    def statement(self, p):
        return ("A ranker scores pairs of documents; $y = +1$ says the first should rank above the second, "
                f"$y = -1$ the reverse. Three pairs $(y, x_1, x_2)$: {_pairs_text(p)}. With the margin "
                f"$m = {_g(p['margin'])}$, compute the mean margin ranking loss "
                r"$\frac13 \sum_i \max\big(0,\ m - y_i (x_{1,i} - x_{2,i})\big)$ (PyTorch's `margin_ranking_loss`).")

    def correct(self, p):
        return M.mean(max(0.0, v) for v in _violations(p))

    def mistakes(self, p):
        v = _violations(p)
        found = [
            Mistake("forgot_max", M.mean(v),
                    "That averages $m - y(x_1 - x_2)$ without the max: a pair ordered right by more than the margin "
                    "costs 0, not a negative amount."),
            Mistake("label_sign_flipped", M.mean(max(0.0, p["margin"] + y * (a - b))
                                                 for y, a, b in zip(p["y"], p["x1"], p["x2"])),
                    r"The label's sign is flipped: $y = +1$ wants $x_1 > x_2$, so the pair costs "
                    r"$\max(0, m - (x_1 - x_2))$, which falls as $x_1$ pulls ahead."),
            Mistake("sum_not_mean", math.fsum(max(0.0, x) for x in v),
                    "That is the sum over the pairs; the mean divides by 3."),
        ]
        if p["margin"] > 0:
            found.append(Mistake("margin_ignored", M.mean(max(0.0, x) for x in _violations(p, 0.0)),
                                 f"The margin $m = {_g(p['margin'])}$ is missing: a pair costs nothing only once the "
                                 "preferred score leads by at least $m$."))
        return found

    def hints(self, problem):
        return [
            r"For each pair compute $y (x_1 - x_2)$: positive when the pair is ordered as its label says.",
            r"The pair's loss is $\max(0,\ m - y(x_1 - x_2))$: 0 once the lead reaches the margin. Average the "
            "three, zeros included.",
        ]

    def steps(self, p):
        rows = [rf"Pair {i + 1}: $m - y(x_1 - x_2) = {_g(p['margin'])} - ({y:+d})({_g(a)} - {_paren(b)}) = {f(v)}$, "
                rf"loss ${f(max(0.0, v))}$."
                for i, (y, a, b, v) in enumerate(zip(p["y"], p["x1"], p["x2"], _violations(p)))]
        return rows + [rf"Mean: ${f(self.correct(p))}$."]


class MarginRankingGrad(_Pairs):
    """dL/dx1 of the mean margin ranking loss for each of three pairs: -y [v > 0] / 3."""

    id = "margin_ranking.grad"
    skill = "ranking.order"
    title = "Gradient of the margin ranking loss"
    kind = "vector"

    def statement(self, p):
        return ("A ranker is trained on pairs $(y, x_1, x_2)$ with the mean margin ranking loss "
                r"$L = \frac13 \sum_i \max\big(0,\ m - y_i (x_{1,i} - x_{2,i})\big)$, "
                f"$m = {_g(p['margin'])}$ ($y = +1$: the first item should rank higher). The pairs are "
                f"{_pairs_text(p)}. Give $\\partial L / \\partial x_{{1,i}}$ for $i = 1, 2, 3$.")

    def correct(self, p):
        return [-y / 3 + 0.0 if v > 0 else 0.0 for y, v in zip(p["y"], _violations(p))]

    def mistakes(self, p):
        right = self.correct(p)
        found = [
            Mistake("gradient_of_x2", [-g + 0.0 for g in right],
                    r"That is $\partial L/\partial x_2$, the opposite sign: raising $x_1$ helps a pair with "
                    r"$y = +1$, so $\partial L/\partial x_1 = -y/3$ for a pair that violates the margin."),
            Mistake("sum_not_mean", [3 * g for g in right],
                    "That is the gradient of the sum; the mean divides each pair's $-y$ by 3."),
            Mistake("every_pair", [-y / 3 for y in p["y"]],
                    r"Every pair was counted. A pair with $m - y(x_1 - x_2) < 0$ costs 0 in a neighbourhood of its "
                    "scores: its gradient is 0."),
        ]
        if p["margin"] > 0:
            found.append(Mistake("margin_ignored",
                                 [-y / 3 + 0.0 if x > 0 else 0.0 for y, x in zip(p["y"], _violations(p, 0.0))],
                                 f"The margin $m = {_g(p['margin'])}$ is missing from the test: a pair still gets a "
                                 "gradient while the preferred score leads by less than $m$."))
        return found

    def hints(self, problem):
        return [
            r"A pair contributes only while it violates the margin: $v = m - y(x_1 - x_2) > 0$.",
            r"Where it does, $\partial/\partial x_1 \max(0, v) = -y$; divide by 3 for the mean.",
        ]

    def steps(self, p):
        v = _violations(p)
        active = [str(i + 1) for i, x in enumerate(v) if x > 0]
        return [rf"$v_i = m - y_i(x_{{1,i}} - x_{{2,i}}) = {_vec(v)}$.",
                f"Pairs violating the margin ($v_i > 0$): {', '.join(active)}; the others give 0.",
                rf"$\partial L/\partial x_{{1,i}} = -y_i/3$ there: ${_vec(self.correct(p))}$."]


# ---------------------------------------------------------------------------------- softmax ranking
class RankingSoftmaxGrad(NumericExercise):
    """dL/ds of the softmax ranking loss L = -sum_i r_i log softmax(s)_i on a 3-item list: R p - r."""

    id = "ranking_softmax.grad"
    skill = "ranking.order"
    title = "The gradient of the softmax ranking loss"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        return {"s": [rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0]) for _ in range(3)],
                "r": [rng.choice([0, 0, 1, 2, 3]) for _ in range(3)]}

    def acceptable(self, params):
        return sum(params["r"]) >= 2 and super().acceptable(params)

    def statement(self, p):
        return (f"A query has three candidate items with the scores $s = {_vec(p['s'], _g)}$ and the graded "
                f"relevance $r = {_vec(p['r'], _g)}$. The listwise softmax ranking loss is "
                r"$L = -\sum_i r_i \log \operatorname{softmax}(s)_i$ (the relevance used as given, not "
                r"normalised). Derive $\partial L / \partial s_j$ and give it for the three items.")

    def correct(self, p):
        probs, total = M.softmax(p["s"]), sum(p["r"])
        return [total * q - r for q, r in zip(probs, p["r"])]

    def mistakes(self, p):
        probs, total = M.softmax(p["s"]), sum(p["r"])
        return [
            Mistake("forgot_total", [q - r for q, r in zip(probs, p["r"])],
                    rf"That is $p - r$. The log-sum-exp enters once per unit of relevance: "
                    rf"$L = R \log \sum_k e^{{s_k}} - \sum_i r_i s_i$ with $R = \sum_i r_i = {total}$, so its "
                    r"derivative brings $R\,p_j$."),
            Mistake("normalised_relevance", [q - r / total for q, r in zip(probs, p["r"])],
                    r"That is $p - r/R$, the gradient with the relevance normalised to sum to 1. This loss uses the "
                    r"relevance as given: $\partial L/\partial s_j = R\,p_j - r_j$, $R$ times larger."),
            Mistake("dropped_log_sum_exp", [-float(r) + 0.0 for r in p["r"]],
                    r"That is $-r$: the log-sum-exp was treated as a constant. Every score is inside it, and "
                    r"$\partial \log\sum_k e^{s_k} / \partial s_j = \operatorname{softmax}(s)_j$."),
            Mistake("sign_flipped", [r - total * q for q, r in zip(probs, p["r"])],
                    r"The sign is flipped: a relevant item with a small share of the softmax must be pushed up, so "
                    "its derivative is negative."),
        ]

    def hints(self, problem):
        return [
            r"Expand the log-softmax: $\log \operatorname{softmax}(s)_i = s_i - \log\sum_k e^{s_k}$.",
            r"So $L = R \log\sum_k e^{s_k} - \sum_i r_i s_i$ with $R = \sum_i r_i$, and "
            r"$\partial \log\sum_k e^{s_k}/\partial s_j = p_j$, the softmax.",
        ]

    def steps(self, p):
        probs, total = M.softmax(p["s"]), sum(p["r"])
        return [
            r"$L = R \log\sum_k e^{s_k} - \sum_i r_i s_i$, so $\partial L/\partial s_j = R\,p_j - r_j$.",
            rf"$R = {total}$ and $p = \operatorname{{softmax}}(s) \approx {_vec(probs)}$.",
            rf"$R p - r \approx {_vec(self.correct(p))}$ (the entries sum to 0).",
        ]


EXERCISES = [NLLWeightedMean(), CategoricalFocalValue(), CategoricalFocalGrad(), CTCShortestInput(),
             CTCForwardVariable(), CTCTargetLoss(), MarginRankingValue(), MarginRankingGrad(),
             RankingSoftmaxGrad()]
