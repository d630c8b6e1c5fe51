"""Exercises of session 10 on embeddings: distances and angles (triplet margin, cosine distance, cosine
embedding, hinge embedding) and contrastive losses (InfoNCE, NT-Xent, Circle), with two derivations:
the triplet loss's gradient in the anchor and InfoNCE's gradient in the cosines."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise, fmt_number as f, no_negative_zero

__all__ = ["TripletValue", "TripletAnchorGrad", "CosineDistanceValue", "CosineEmbeddingValue", "HingeEmbeddingValue",
           "InfoNCEValue", "InfoNCEGrad", "NTXentAnchor", "NTXentMean", "CircleValue"]


# ---------------------------------------------------------------------------------- helpers
def _g(x: float) -> str:
    """A drawn number as written: 0.5, -1.2, 2; never "-0"."""
    return no_negative_zero(f"{x + 0.0:g}")


def _vec(v) -> str:
    """A drawn vector as written: (1, -2)."""
    return "(" + ", ".join(_g(x) for x in v) + ")"


def _shown_vec(v, digits: int = 4) -> str:
    return "(" + ", ".join(f(x, digits) for x in v) + ")"


def _par(x: float) -> str:
    """A drawn number inside a sum or product, in parentheses when negative."""
    return f"({_g(x)})" if x < 0 else _g(x)


def _sub(u, v) -> list[float]:
    return [a - b for a, b in zip(u, v)]


def _dot(u, v) -> float:
    return math.fsum(a * b for a, b in zip(u, v))


def _norm(v) -> float:
    return math.sqrt(_dot(v, v))


def _l1(v) -> float:
    return math.fsum(abs(a) for a in v)


def _cos(u, v) -> float:
    return _dot(u, v) / (_norm(u) * _norm(v))


def _point(rng, low: int = -3, high: int = 3) -> list[int]:
    return [rng.randint(low, high), rng.randint(low, high)]


def _nonzero_point(rng, low: int = -3, high: int = 3) -> list[int]:
    while True:
        v = _point(rng, low, high)
        if v != [0, 0]:
            return v


def _tenth(rng, low: float, high: float) -> float:
    """A number with one decimal in [low, high], never -0.0."""
    return rng.randint(round(low * 10), round(high * 10)) / 10 + 0.0


def _softplus_lse(z: list[float]) -> float:
    """log(1 + sum_k e^{z_k}) = softplus(LSE(z)), without overflow."""
    return M.softplus(M.logsumexp(z))


# ================================================================================== metric.distance
# ---------------------------------------------------------------------------------- triplet value
class TripletValue(NumericExercise):
    """Triplet margin losses of one anchor and positive with three candidate negatives (Euclidean, eps = 0)."""

    id = "triplet_margin.value"
    skill = "metric.distance"
    title = "Triplet margin loss: which triplets are active"
    kind = "vector"

    def fixed_params(self, seed):
        # the docstring's anchor and positive (d(a, p) = 5), with negatives at distances 10, 2 and sqrt(10)
        return {"a": [0, 0], "p": [3, 4], "n": [[6, 8], [0, 2], [-3, -1]], "margin": 1.0} if seed == 0 else None

    def make_params(self, rng):
        return {"a": _point(rng, -2, 2), "p": _point(rng), "n": [_point(rng) for _ in range(3)],
                "margin": rng.choice([0.5, 1.0, 1.5, 2.0])}

    def _dists(self, p, dist=_norm):
        d_ap = dist(_sub(p["a"], p["p"]))
        return d_ap, [dist(_sub(p["a"], n)) for n in p["n"]]

    def _violations(self, p, dist=_norm, margin=True):
        d_ap, d_an = self._dists(p, dist)
        m = p["margin"] if margin else 0.0
        return [d_ap - d + m for d in d_an]

    def acceptable(self, params):
        d_ap, d_an = self._dists(params)
        if d_ap == 0 or min(d_an) == 0:
            return False
        v = self._violations(params)
        # off the kink by enough that distances rounded to 4 decimals give the same loss to 0.5%,
        # and at least one active and one satisfied triplet
        return (all(abs(x) >= 0.25 for x in v) and any(x > 0 for x in v) and any(x < 0 for x in v)
                and super().acceptable(params))

    def statement(self, p):
        negs = ", ".join(f"$n_{k + 1} = {_vec(n)}$" for k, n in enumerate(p["n"]))
        return (f"An embedding places an anchor at $a = {_vec(p['a'])}$, a positive (same class) at "
                f"$p = {_vec(p['p'])}$, and three candidate negatives at {negs}. For each triplet $(a, p, n_k)$ "
                r"compute the triplet margin loss $L_k = \max\big(0,\ d(a, p) - d(a, n_k) + m\big)$ with the "
                f"Euclidean distance $d$ and margin $m = {_g(p['margin'])}$, and note which triplets are active "
                "($L_k > 0$). Enter $L_1, L_2, L_3$. (PyTorch and lossref add $\\epsilon = 10^{-6}$ to every "
                "component of the difference before the norm; it moves these losses by about $10^{-6}$: ignore it.)")

    def correct(self, p):
        return [max(0.0, v) for v in self._violations(p)]

    def mistakes(self, p):
        d_ap, d_an = self._dists(p)
        m = p["margin"]
        sq = [max(0.0, d_ap ** 2 - d ** 2 + m) for d in d_an]
        return [
            Mistake("forgot_max", self._violations(p),
                    "Some of these are negative: that is $d(a, p) - d(a, n) + m$ without the max. A triplet whose "
                    "negative is already farther than the positive by the margin is satisfied: its loss is 0."),
            Mistake("positive_negative_swapped", [max(0.0, d - d_ap + m) for d in d_an],
                    "The two distances are swapped: that is $\\max(0, d(a, n) - d(a, p) + m)$, which penalises a "
                    "negative for being far. The loss grows with the anchor-positive distance: "
                    "$d(a, p) - d(a, n) + m$."),
            Mistake("squared_distances", sq,
                    "Those use squared distances, $\\lVert a - p\\rVert^2 - \\lVert a - n\\rVert^2 + m$ (FaceNet's "
                    "form). PyTorch's and lossref's triplet loss uses the distances themselves, the square roots."),
            Mistake("forgot_margin", [max(0.0, v) for v in self._violations(p, margin=False)],
                    f"The margin is missing: a triplet is satisfied only when the negative is farther than the "
                    f"positive by at least $m = {_g(m)}$, so add $m$ before the max."),
            Mistake("manhattan", [max(0.0, v) for v in self._violations(p, dist=_l1)],
                    "Those use the L1 (Manhattan) distance $|x_1| + |x_2|$. The default $p = 2$ is the Euclidean "
                    "distance $\\sqrt{x_1^2 + x_2^2}$."),
        ]

    def hints(self, problem):
        return [
            r"Compute $d(a, p) = \lVert a - p\rVert$ once, then $d(a, n_k)$ for each negative: "
            r"$\lVert (x_1, x_2)\rVert = \sqrt{x_1^2 + x_2^2}$.",
            r"A triplet is active when $d(a, n_k) < d(a, p) + m$: the negative is not far enough beyond the "
            r"positive. Its loss is the shortfall $d(a, p) - d(a, n_k) + m$; otherwise 0.",
        ]

    def steps(self, p):
        d_ap, d_an = self._dists(p)
        m = p["margin"]
        rows = [f"$a - p = {_vec(_sub(p['a'], p['p']))}$, so $d(a, p) = {f(d_ap, 6)}$."]
        for k, (n, d) in enumerate(zip(p["n"], d_an)):
            v = d_ap - d + m
            state = "active" if v > 0 else "satisfied"
            rows.append(f"$n_{k + 1}$: $a - n_{k + 1} = {_vec(_sub(p['a'], n))}$, $d(a, n_{k + 1}) = {f(d, 6)}$, "
                        f"$d(a, p) - d(a, n_{k + 1}) + m = {f(v)}$: {state}, $L_{k + 1} = {f(max(0.0, v))}$.")
        active = [str(k + 1) for k, d in enumerate(d_an) if d_ap - d + m > 0]
        rows.append(f"Active triplets: {', '.join('$n_' + k + '$' for k in active)}. Only they have a gradient: "
                    "the others are already satisfied and teach the model nothing.")
        return rows


# ---------------------------------------------------------------------------------- triplet gradient
class TripletAnchorGrad(NumericExercise):
    """The triplet loss's gradient in the anchor, (a - p)/d(a, p) - (a - n)/d(a, n), on a violated triplet."""

    id = "triplet_margin.anchor_grad"
    skill = "metric.distance"
    title = "The triplet loss's gradient in the anchor"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        return {"a": _point(rng, -2, 2), "p": _point(rng), "n": _point(rng),
                "margin": rng.choice([0.5, 1.0, 1.5, 2.0])}

    def _parts(self, p):
        ap, an = _sub(p["a"], p["p"]), _sub(p["a"], p["n"])
        return ap, an, _norm(ap), _norm(an)

    def acceptable(self, params):
        ap, an, d_ap, d_an = self._parts(params)
        if d_ap == 0 or d_an == 0 or d_ap - d_an + params["margin"] < 0.2:
            return False
        # a gradient that is not nearly zero in every component
        return max(abs(x) for x in self.correct(params)) >= 0.1 and super().acceptable(params)

    def statement(self, p):
        return (f"The triplet $a = {_vec(p['a'])}$ (anchor), $p = {_vec(p['p'])}$ (positive), "
                f"$n = {_vec(p['n'])}$ (negative) has the loss "
                r"$L = \max\big(0,\ \lVert a - p\rVert - \lVert a - n\rVert + m\big)$ with the Euclidean norm and "
                f"$m = {_g(p['margin'])}$ (ignore PyTorch's $\\epsilon$). Check that the triplet is violated, "
                r"derive $\partial L / \partial a$ and evaluate it here: enter its two components.")

    def correct(self, p):
        ap, an, d_ap, d_an = self._parts(p)
        return [x / d_ap - y / d_an for x, y in zip(ap, an)]

    def mistakes(self, p):
        ap, an, d_ap, d_an = self._parts(p)
        g = self.correct(p)
        return [
            Mistake("sign_flipped", [-x for x in g],
                    "The sign is flipped. $\\partial \\lVert a - p\\rVert / \\partial a = (a - p)/\\lVert a - p\\rVert$ "
                    "points away from $p$; the loss adds $\\lVert a - p\\rVert$ and subtracts $\\lVert a - n\\rVert$, "
                    "so the gradient is $(a - p)/d(a, p) - (a - n)/d(a, n)$ (a step against it moves $a$ towards $p$ "
                    "and away from $n$)."),
            Mistake("not_normalised", [x - y for x, y in zip(ap, an)],
                    "That is $(a - p) - (a - n)$: the derivative of a norm is the unit vector "
                    "$(a - p)/\\lVert a - p\\rVert$, so each difference is divided by its distance."),
            Mistake("squared_distances", [2 * (x - y) for x, y in zip(ap, an)],
                    "That is the gradient of the squared distances, $2(a - p) - 2(a - n)$. The loss uses the "
                    "distances themselves: $\\partial \\lVert w\\rVert / \\partial w = w / \\lVert w\\rVert$."),
            Mistake("positive_term_only", [x / d_ap for x in ap],
                    "Only the positive's term is there. The anchor appears in both distances, so the negative "
                    "contributes $-(a - n)/\\lVert a - n\\rVert$ too."),
            Mistake("gradient_in_positive", [-x / d_ap for x in ap],
                    "That is $\\partial L/\\partial p = -(a - p)/\\lVert a - p\\rVert$, the gradient in the positive. "
                    "The anchor enters both distances: $\\partial L/\\partial a = (a - p)/d(a, p) - (a - n)/d(a, n)$."),
        ]

    def hints(self, problem):
        return [
            r"The triplet is violated when $\lVert a - p\rVert - \lVert a - n\rVert + m > 0$; there "
            r"$L = \lVert a - p\rVert - \lVert a - n\rVert + m$, a smooth function of $a$.",
            r"For $w \ne 0$, $\partial \lVert w\rVert / \partial w = w / \lVert w\rVert$, and "
            r"$\partial (a - p)/\partial a = I$: each distance contributes its unit vector.",
            r"$\partial L/\partial a = \frac{a - p}{\lVert a - p\rVert} - \frac{a - n}{\lVert a - n\rVert}$.",
        ]

    def steps(self, p):
        ap, an, d_ap, d_an = self._parts(p)
        v = d_ap - d_an + p["margin"]
        return [
            f"$a - p = {_vec(ap)}$, $d(a, p) = {f(d_ap, 6)}$; $a - n = {_vec(an)}$, $d(a, n) = {f(d_an, 6)}$.",
            f"$d(a, p) - d(a, n) + m = {f(v)} > 0$: the triplet is violated, and "
            r"$L = \lVert a - p\rVert - \lVert a - n\rVert + m$ near $a$.",
            r"$\partial \lVert w\rVert / \partial w = w / \lVert w\rVert$ with $w = a - p$ and $w = a - n$ (both "
            r"$\partial w/\partial a = I$): $\partial L/\partial a = \frac{a - p}{d(a, p)} - \frac{a - n}{d(a, n)}$.",
            f"$\\frac{{a - p}}{{d(a, p)}} = {_shown_vec([x / d_ap for x in ap], 5)}$, "
            f"$\\frac{{a - n}}{{d(a, n)}} = {_shown_vec([x / d_an for x in an], 5)}$, so "
            f"$\\partial L/\\partial a = {_shown_vec(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- cosine distance
class CosineDistanceValue(NumericExercise):
    """1 - cos(y, y_hat) of two 2-D vectors."""

    id = "cosine_distance.value"
    skill = "metric.distance"
    title = "Cosine distance of two vectors"

    def fixed_params(self, seed):
        return {"y": [3, 4], "y_pred": [4, 3]} if seed == 0 else None  # the docstring's 1 - 24/25

    def make_params(self, rng):
        return {"y": _nonzero_point(rng), "y_pred": _nonzero_point(rng)}

    def _cos(self, p):
        return _cos(p["y"], p["y_pred"])

    def acceptable(self, params):
        return abs(abs(self._cos(params)) - 1) > 1e-9 and super().acceptable(params)

    def statement(self, p):
        return (f"A model predicts the vector $\\hat y = {_vec(p['y_pred'])}$ for the target direction "
                f"$y = {_vec(p['y'])}$. Compute the cosine distance "
                r"$L = 1 - \frac{y^\top \hat y}{\lVert y\rVert\, \lVert \hat y\rVert}$ (lossref's and PyTorch's "
                r"floor $\varepsilon = 10^{-8}$ on each norm plays no role here).")

    def correct(self, p):
        return 1 - self._cos(p)

    def mistakes(self, p):
        c = self._cos(p)
        return [
            Mistake("cosine_not_distance", c,
                    "That is the cosine similarity itself. The distance is $1 - \\cos$: 0 for vectors pointing the "
                    "same way, 2 for opposite ones."),
            Mistake("keras_sign", -c,
                    "That is minus the cosine, what Keras's CosineSimilarity loss returns (in $[-1, 1]$). The cosine "
                    "distance adds 1: $1 - \\cos$, in $[0, 2]$."),
            Mistake("not_normalised", 1 - _dot(p["y"], p["y_pred"]),
                    "That is $1 - y^\\top \\hat y$ without the norms: the cosine divides the dot product by "
                    "$\\lVert y\\rVert\\, \\lVert \\hat y\\rVert$, so that only the angle counts."),
            Mistake("angle", math.acos(max(-1.0, min(1.0, c))),
                    "That is the angle in radians, $\\arccos(\\cos)$. The cosine distance is $1 - \\cos$ of that "
                    "angle."),
        ]

    def hints(self, problem):
        return [
            r"$y^\top \hat y = y_1 \hat y_1 + y_2 \hat y_2$ and $\lVert y\rVert = \sqrt{y_1^2 + y_2^2}$.",
            r"Divide the dot product by the product of the two norms to get $\cos$, then take $1 - \cos$.",
        ]

    def steps(self, p):
        y, yh = p["y"], p["y_pred"]
        dot, ny, nh = _dot(y, yh), _norm(y), _norm(yh)
        return [
            f"$y^\\top \\hat y = {_par(y[0])} \\cdot {_par(yh[0])} + {_par(y[1])} \\cdot {_par(yh[1])} = {_g(dot)}$.",
            f"$\\lVert y\\rVert = \\sqrt{{{_g(_dot(y, y))}}} = {f(ny, 6)}$, "
            f"$\\lVert \\hat y\\rVert = \\sqrt{{{_g(_dot(yh, yh))}}} = {f(nh, 6)}$.",
            f"$\\cos = {_g(dot)} / ({f(ny, 6)} \\times {f(nh, 6)}) = {f(dot / (ny * nh), 6)}$, so "
            f"$L = 1 - \\cos = {f(self.correct(p))}$. Scaling either vector changes nothing.",
        ]


# ---------------------------------------------------------------------------------- cosine embedding
class CosineEmbeddingValue(NumericExercise):
    """The cosine embedding loss of a similar pair (1 - cos) and a dissimilar one (max(0, cos - m))."""

    id = "cosine_embedding.value"
    skill = "metric.distance"
    title = "Cosine embedding loss of a similar and a dissimilar pair"
    kind = "vector"

    def make_params(self, rng):
        return {"a1": _nonzero_point(rng), "a2": _nonzero_point(rng), "b1": _nonzero_point(rng),
                "b2": _nonzero_point(rng), "margin": rng.choice([0.0, 0.2, 0.5, -0.2, -0.5])}

    def _cosines(self, p):
        return _cos(p["a1"], p["a2"]), _cos(p["b1"], p["b2"])

    def acceptable(self, params):
        c_a, c_b = self._cosines(params)
        return abs(c_b - params["margin"]) >= 0.05 and super().acceptable(params)

    def statement(self, p):
        return (f"Two pairs of embeddings: pair A, $x_1 = {_vec(p['a1'])}$ and $x_2 = {_vec(p['a2'])}$, is "
                f"labelled similar ($y = 1$); pair B, $x_1 = {_vec(p['b1'])}$ and $x_2 = {_vec(p['b2'])}$, is "
                f"labelled dissimilar ($y = -1$). With margin $m = {_g(p['margin'])}$ the cosine embedding loss is "
                r"$L = 1 - \cos(x_1, x_2)$ for $y = 1$ and $L = \max\big(0,\ \cos(x_1, x_2) - m\big)$ for "
                r"$y = -1$. Enter $L_A, L_B$ (PyTorch's $10^{-12}$ added to each squared norm plays no role here).")

    def correct(self, p):
        c_a, c_b = self._cosines(p)
        return [1 - c_a, max(0.0, c_b - p["margin"])]

    def mistakes(self, p):
        c_a, c_b = self._cosines(p)
        m = p["margin"]
        found = [
            Mistake("labels_swapped", [max(0.0, c_a - m), 1 - c_b],
                    "The two formulas are swapped: the similar pair ($y = 1$) costs $1 - \\cos$, the dissimilar "
                    "one ($y = -1$) the hinge $\\max(0, \\cos - m)$."),
            Mistake("hinge_wrong_side", [1 - c_a, max(0.0, m - c_b)],
                    "For pair B that is $\\max(0, m - \\cos)$, which penalises a dissimilar pair for being too far "
                    "apart. It should cost only while its cosine is above the margin: $\\max(0, \\cos - m)$."),
            Mistake("dissimilar_as_distance", [1 - c_a, 1 - c_b],
                    "Pair B got $1 - \\cos$, the loss of a similar pair. A dissimilar pair costs "
                    "$\\max(0, \\cos - m)$: 0 once its cosine is at most the margin."),
        ]
        if m != 0:
            found.append(Mistake("forgot_margin", [1 - c_a, max(0.0, c_b)],
                                 f"The margin is missing for pair B: its loss is $\\max(0, \\cos - m)$ with "
                                 f"$m = {_g(m)}$, not $\\max(0, \\cos)$."))
            found.append(Mistake("margin_sign", [1 - c_a, max(0.0, c_b + m)],
                                 "The margin was added instead of subtracted: the loss of pair B is "
                                 "$\\max(0, \\cos - m)$."))
        if c_b < m:
            found.append(Mistake("forgot_max", [1 - c_a, c_b - m],
                                 "Pair B's loss is negative: that is $\\cos - m$ without the max. Its cosine is "
                                 "already below the margin, so it costs 0."))
        return found

    def hints(self, problem):
        return [
            r"Compute each pair's cosine, $\cos(x_1, x_2) = \frac{x_1^\top x_2}{\lVert x_1\rVert\,\lVert x_2\rVert}$.",
            r"The labels choose the formula: $1 - \cos$ pulls a similar pair together; $\max(0, \cos - m)$ pushes a "
            r"dissimilar pair apart only while its cosine exceeds the margin.",
        ]

    def steps(self, p):
        c_a, c_b = self._cosines(p)
        m = p["margin"]
        la, lb = self.correct(p)
        state = "above the margin: it costs" if c_b > m else "at most the margin: it costs nothing,"
        return [
            f"Pair A: $x_1^\\top x_2 = {_g(_dot(p['a1'], p['a2']))}$, norms ${f(_norm(p['a1']), 6)}$ and "
            f"${f(_norm(p['a2']), 6)}$, $\\cos = {f(c_a, 6)}$; similar, so $L_A = 1 - \\cos = {f(la)}$.",
            f"Pair B: $x_1^\\top x_2 = {_g(_dot(p['b1'], p['b2']))}$, norms ${f(_norm(p['b1']), 6)}$ and "
            f"${f(_norm(p['b2']), 6)}$, $\\cos = {f(c_b, 6)}$; dissimilar, and its cosine is {state} "
            f"$L_B = \\max(0, {f(c_b, 6)} - {_par(m)}) = {f(lb)}$.",
        ]


# ---------------------------------------------------------------------------------- hinge embedding
class HingeEmbeddingValue(NumericExercise):
    """The hinge embedding loss of three pairs from their distances: x for y = 1, max(0, m - x) for y = -1."""

    id = "hinge_embedding.value"
    skill = "metric.distance"
    title = "Hinge embedding loss: the two branches"
    kind = "vector"

    def fixed_params(self, seed):
        return {"y": [1, -1, -1], "x": [0.5, 0.25, 2.0], "margin": 1.0} if seed == 0 else None  # the docstring's

    def make_params(self, rng):
        return {"y": [rng.choice([-1, 1]) for _ in range(3)], "x": [_tenth(rng, 0.1, 3.0) for _ in range(3)],
                "margin": rng.choice([1.0, 1.5, 2.0])}

    def acceptable(self, params):
        y, x, m = params["y"], params["x"], params["margin"]
        return (1 in y and -1 in y and all(abs(m - d) >= 0.1 for t, d in zip(y, x) if t == -1)
                and super().acceptable(params))

    def _rows(self, p):
        return list(zip(p["y"], p["x"]))

    def statement(self, p):
        pairs = ", ".join(f"$(y, x) = ({t}, {_g(d)})$" for t, d in self._rows(p))
        return ("A siamese network gives three pairs the distances $x$ between their embeddings, with labels "
                f"$y = 1$ (similar) or $y = -1$ (dissimilar): {pairs}. Compute the hinge embedding loss of each "
                r"pair, $L = x$ for $y = 1$ and $L = \max(0,\ m - x)$ for $y = -1$, with margin "
                f"$m = {_g(p['margin'])}$, in the order given.")

    def correct(self, p):
        m = p["margin"]
        return [d if t == 1 else max(0.0, m - d) for t, d in self._rows(p)]

    def mistakes(self, p):
        m, rows = p["margin"], self._rows(p)
        found = [
            Mistake("input_as_score", [max(0.0, m - t * d) for t, d in rows],
                    "That treats the input as a classifier score, the SVM hinge $\\max(0, m - y x)$. Here $x$ is a "
                    "distance: a similar pair costs its whole distance $x$ (no margin), and a dissimilar pair "
                    "$\\max(0, m - x)$."),
            Mistake("labels_swapped", [max(0.0, m - d) if t == 1 else d for t, d in rows],
                    "The branches are swapped: a similar pair ($y = 1$) is pulled together by its distance, "
                    "$L = x$; a dissimilar pair ($y = -1$) is pushed out to the margin, $\\max(0, m - x)$."),
            Mistake("squared", [d * d if t == 1 else max(0.0, m - d) ** 2 for t, d in rows],
                    "Those are squared, the contrastive loss of Hadsell et al. ($x^2$ and $\\max(0, m - x)^2$). "
                    "The hinge embedding loss uses the distance itself."),
        ]
        if any(t == -1 and d > m for t, d in rows):
            found.append(Mistake("forgot_max", [d if t == 1 else m - d for t, d in rows],
                                 "A dissimilar pair beyond the margin got a negative loss: that is $m - x$ without "
                                 "the max. Once $x \\ge m$ the pair is far enough apart and costs 0."))
        return found

    def hints(self, problem):
        return [
            "The label picks the branch. The input is a distance, never negative, not a score.",
            r"$y = 1$: the loss is the distance $x$ itself. $y = -1$: $\max(0, m - x)$, 0 once the pair is at "
            "least the margin apart.",
        ]

    def steps(self, p):
        m = p["margin"]
        rows = []
        for t, d in self._rows(p):
            if t == 1:
                rows.append(f"$(1, {_g(d)})$: similar, $L = x = {_g(d)}$.")
            else:
                rows.append(f"$(-1, {_g(d)})$: dissimilar, $L = \\max(0, {_g(m)} - {_g(d)}) = {f(max(0.0, m - d))}$"
                            + (" (beyond the margin)." if d > m else "."))
        return rows + ["Unlike the SVM hinge, the two labels are not mirror images: a linear pull for similar "
                       "pairs, a hinged push for dissimilar ones."]


# ================================================================================== metric.contrastive
class _QueryCosines(NumericExercise):
    """One query's cosines with its positive key and two negative keys, and a temperature."""

    def make_params(self, rng):
        return {"c_pos": _tenth(rng, 0.2, 0.9), "c_neg": [_tenth(rng, -0.6, 0.8) for _ in range(2)],
                "tau": rng.choice([0.1, 0.2, 0.5, 1.0])}

    def _z(self, p, tau=None):
        t = p["tau"] if tau is None else tau
        return [p["c_pos"] / t] + [c / t for c in p["c_neg"]]

    def _given(self, p) -> str:
        c1, c2 = p["c_neg"]
        return (f"A query's cosine similarity to its positive key is $c_+ = {_g(p['c_pos'])}$, and to two negative "
                f"keys $c_1 = {_g(c1)}$ and $c_2 = {_g(c2)}$ (all vectors normalised). With temperature "
                f"$\\tau = {_g(p['tau'])}$ the logits are $z = (c_+, c_1, c_2) / \\tau$ and the InfoNCE loss is "
                r"$L = -\log \frac{e^{z_+}}{e^{z_+} + e^{z_1} + e^{z_2}}$.")


class InfoNCEValue(_QueryCosines):
    """InfoNCE of one query with one positive and two negatives, from the cosines."""

    id = "info_nce.value"
    skill = "metric.contrastive"
    title = "InfoNCE of one query"

    def correct(self, p):
        z = self._z(p)
        return M.cross_entropy(0, z)

    def mistakes(self, p):
        z, tau = self._z(p), p["tau"]
        found = [
            Mistake("dropped_positive", M.logsumexp(z[1:]) - z[0],
                    "The positive is missing from the denominator: that is $-\\log(e^{z_+} / (e^{z_1} + e^{z_2}))$. "
                    "The softmax runs over all the candidates, the positive included, so the loss is never "
                    "negative."),
            Mistake("probability_not_loss", math.exp(-M.cross_entropy(0, z)),
                    "That is the probability $e^{z_+} / \\sum_j e^{z_j}$ the softmax gives the positive; the loss is "
                    "minus its logarithm."),
        ]
        if tau != 1:
            found.append(Mistake("forgot_temperature", M.cross_entropy(0, self._z(p, 1.0)),
                                 f"The $1/\\tau$ is missing: those logits are the bare cosines. Divide each cosine "
                                 f"by $\\tau = {_g(tau)}$ first."))
            found.append(Mistake("times_temperature", M.cross_entropy(0, self._z(p, 1 / tau)),
                                 f"The cosines were multiplied by $\\tau$; the logits are the cosines divided by "
                                 f"$\\tau = {_g(tau)}$."))
        return found

    def statement(self, p):
        return self._given(p) + " Compute $L$ (natural logarithm)."

    def hints(self, problem):
        return [
            r"Divide each cosine by $\tau$ to get the logits, then $L = \log(e^{z_+} + e^{z_1} + e^{z_2}) - z_+$.",
            r"Equivalently $L = \log\big(1 + e^{z_1 - z_+} + e^{z_2 - z_+}\big)$: only the gaps to the positive's "
            "logit matter, and the numbers stay small.",
        ]

    def steps(self, p):
        z = self._z(p)
        gaps = [v - z[0] for v in z[1:]]
        terms = [math.exp(g) for g in gaps]
        return [
            f"$z = ({', '.join(f(v) for v in z)})$.",
            f"$z_1 - z_+ = {f(gaps[0])}$ and $z_2 - z_+ = {f(gaps[1])}$: $e^{{z_1 - z_+}} = {f(terms[0], 5)}$, "
            f"$e^{{z_2 - z_+}} = {f(terms[1], 5)}$.",
            f"$L = \\log(1 + {f(terms[0], 5)} + {f(terms[1], 5)}) = {f(self.correct(p))}$.",
        ]


class InfoNCEGrad(_QueryCosines):
    """InfoNCE's gradient in the three cosines: (softmax - one-hot) / tau."""

    id = "info_nce.grad"
    skill = "metric.contrastive"
    title = "InfoNCE's gradient in the cosines"
    kind = "vector"
    depth = "derive"

    def _probs(self, p):
        return M.softmax(self._z(p))

    def acceptable(self, params):
        # a positive the softmax is not already sure of: a gradient that is not 0 to the tolerance
        return 0.02 <= self._probs(params)[0] <= 0.98 and super().acceptable(params)

    def statement(self, p):
        return (self._given(p) + r" Derive the gradient of $L$ in the cosines and enter "
                r"$\partial L/\partial c_+,\ \partial L/\partial c_1,\ \partial L/\partial c_2$.")

    def correct(self, p):
        tau = p["tau"]
        return [(q - (j == 0)) / tau for j, q in enumerate(self._probs(p))]

    def mistakes(self, p):
        tau, probs = p["tau"], self._probs(p)
        g = self.correct(p)
        neg = M.softmax(self._z(p)[1:])
        found = [
            Mistake("sign_flipped", [-v for v in g],
                    "The sign is flipped: raising the positive's cosine lowers the loss, so "
                    "$\\partial L/\\partial c_+ = (p_+ - 1)/\\tau$ is negative, and the negatives' are positive."),
            Mistake("forgot_one_hot", [q / tau for q in probs],
                    "That is $p/\\tau$ without the one-hot: $L = \\mathrm{LSE}(z) - z_+$, and the $-z_+$ term gives "
                    "$-1$ in the positive's slot, so $\\partial L/\\partial c_+ = (p_+ - 1)/\\tau$."),
            Mistake("dropped_positive", [-1 / tau] + [q / tau for q in neg],
                    "That is the gradient of a loss whose denominator leaves the positive out. The positive's logit "
                    "is in the softmax too, so $\\partial L/\\partial z_+ = p_+ - 1$, with $p$ the softmax over all "
                    "three logits."),
        ]
        if tau != 1:
            found.append(Mistake("forgot_temperature", [q - (j == 0) for j, q in enumerate(probs)],
                                 f"That is the gradient in the logits, softmax minus one-hot. The chain rule through "
                                 f"$z = c/\\tau$ multiplies it by $1/\\tau = {_g(1 / tau)}$."))
        return found

    def hints(self, problem):
        return [
            r"$L = \log\sum_j e^{z_j} - z_+$. The derivative of the log-sum-exp in $z_j$ is the softmax $p_j$.",
            r"So $\partial L/\partial z = p - e_+$ (softmax minus the one-hot of the positive), and "
            r"$\partial z_j/\partial c_j = 1/\tau$.",
            r"$\partial L/\partial c_+ = (p_+ - 1)/\tau$ and $\partial L/\partial c_k = p_k/\tau$ for the negatives; "
            "the three sum to 0.",
        ]

    def steps(self, p):
        z, probs, tau = self._z(p), self._probs(p), p["tau"]
        return [
            f"$z = ({', '.join(f(v) for v in z)})$, so $p = \\mathrm{{softmax}}(z) = ({', '.join(f(q, 5) for q in probs)})$.",
            r"$L = \log \sum_j e^{z_j} - z_+$ gives $\partial L/\partial z = p - e_+ = "
            f"({f(probs[0] - 1, 5)}, {f(probs[1], 5)}, {f(probs[2], 5)})$.",
            f"$z = c/\\tau$, so each component is divided by $\\tau = {_g(tau)}$: "
            f"$\\partial L/\\partial c = ({', '.join(f(v) for v in self.correct(p))})$. The components sum to 0: "
            "raising every cosine together changes nothing.",
        ]


# ---------------------------------------------------------------------------------- NT-Xent
class NTXentAnchor(NumericExercise):
    """NT-Xent loss of one anchor with two positives and two negatives: a softmax per positive pair, over that
    positive and the negatives only, summed over the anchor's pairs."""

    id = "ntxent.anchor"
    skill = "metric.contrastive"
    title = "NT-Xent loss of one anchor"

    def make_params(self, rng):
        return {"c_pos": [_tenth(rng, 0.2, 0.9) for _ in range(2)], "c_neg": [_tenth(rng, -0.6, 0.7) for _ in range(2)],
                "tau": rng.choice([0.2, 0.5, 1.0])}

    def _s(self, p, tau=None):
        t = p["tau"] if tau is None else tau
        return [c / t for c in p["c_pos"]], [c / t for c in p["c_neg"]]

    def _pair_losses(self, p, tau=None):
        pos, neg = self._s(p, tau)
        return [_softplus_lse([v - s for v in neg]) for s in pos]

    def statement(self, p):
        (a, b), (c, d) = p["c_pos"], p["c_neg"]
        return (f"In a batch, anchor $i$ has two positives (rows with its label) at cosine similarities "
                f"${_g(a)}$ and ${_g(b)}$, and two negatives (rows with other labels) at ${_g(c)}$ and ${_g(d)}$. "
                f"With temperature $\\tau = {_g(p['tau'])}$ and $s = \\cos/\\tau$, NT-Xent (as optax computes it) "
                r"gives each positive pair $(i, j)$ the loss "
                r"$\ell_{ij} = -\log \frac{e^{s_{ij}}}{e^{s_{ij}} + \sum_{k \in N(i)} e^{s_{ik}}}$, over that one "
                r"positive and the negatives, and the anchor's loss is $L_i = \sum_{j \in P(i)} \ell_{ij}$ "
                "(lossref's reduction=\"none\"). Compute $L_i$.")

    def correct(self, p):
        return math.fsum(self._pair_losses(p))

    def mistakes(self, p):
        pos, neg = self._s(p)
        tau = p["tau"]
        found = [
            Mistake("other_positive_in_denominator",
                    math.fsum(M.logsumexp(pos + neg) - s for s in pos),
                    "Both positives are in each denominator (the supervised-contrastive form). optax's and "
                    "lossref's NT-Xent compare each positive with the negatives only: the other positive is left "
                    "out of its softmax."),
            Mistake("self_in_denominator",
                    math.fsum(M.logsumexp([s] + neg + [1 / tau]) - s for s in pos),
                    f"The anchor's similarity with itself, $e^{{1/\\tau}} = e^{{{_g(1 / tau)}}}$, is in the "
                    "denominator. The row itself is neither a positive nor a negative: mask the diagonal."),
            Mistake("dropped_positive", math.fsum(M.logsumexp(neg) - s for s in pos),
                    "The positive is missing from its own denominator: each $\\ell_{ij}$ is a softmax over the "
                    "positive and the negatives, $e^{s_{ij}}$ included, so it is never negative."),
            Mistake("mean_over_pairs", self.correct(p) / 2,
                    "That is the mean over the anchor's two pairs. The anchor's loss $L_i$ is their sum; the "
                    "batch mean divides by the number of ordered positive pairs later."),
        ]
        if tau != 1:
            found.append(Mistake("forgot_temperature", math.fsum(self._pair_losses(p, 1.0)),
                                 f"The $1/\\tau$ is missing: divide each cosine by $\\tau = {_g(tau)}$ before the "
                                 "softmax."))
        return found

    def hints(self, problem):
        return [
            r"Divide every cosine by $\tau$. Each positive $j$ gets its own softmax, over $\{j\} \cup N(i)$.",
            r"$\ell_{ij} = \log\big(1 + \sum_{k \in N(i)} e^{s_{ik} - s_{ij}}\big)$; add the two pairs' losses.",
        ]

    def steps(self, p):
        pos, neg = self._s(p)
        rows = [f"$s$ for the positives: ${f(pos[0])}$, ${f(pos[1])}$; for the negatives: ${f(neg[0])}$, "
                f"${f(neg[1])}$."]
        for j, (s, loss) in enumerate(zip(pos, self._pair_losses(p))):
            terms = " + ".join(f(math.exp(v - s), 5) for v in neg)
            rows.append(f"Positive {j + 1}: $\\ell = \\log(1 + {terms}) = {f(loss, 5)}$.")
        rows.append(f"$L_i = {f(self.correct(p))}$: each positive competes with the negatives, not with the other "
                    "positive.")
        return rows


_LETTERS = "ABCD"


class NTXentMean(NumericExercise):
    """NT-Xent's batch mean: the anchors' losses summed, divided by the number of ordered positive pairs."""

    id = "ntxent.mean"
    skill = "metric.contrastive"
    title = "NT-Xent's mean over ordered positive pairs"

    def make_params(self, rng):
        n = rng.choice([5, 6, 7])
        labels = [rng.randrange(rng.choice([2, 3, 4])) for _ in range(n)]
        counts = [labels.count(c) for c in labels]
        losses = [round(rng.uniform(0.3, 2.5) * (k - 1), 2) if k > 1 else 0.0 for k in counts]
        return {"labels": labels, "losses": losses}

    def _counts(self, p):
        return [p["labels"].count(c) - 1 for c in p["labels"]]  # |P(i)|: the same label, not i itself

    def acceptable(self, params):
        return sum(self._counts(params)) > 0 and super().acceptable(params)

    def statement(self, p):
        labels = ", ".join(_LETTERS[c] for c in p["labels"])
        losses = ", ".join(f"{v:.2f}" for v in p["losses"])
        return (f"A batch of {len(p['labels'])} embeddings has the labels $({labels})$. NT-Xent gives each row $i$ "
                r"the loss $L_i = \sum_{j \in P(i)} \ell_{ij}$ over its positives $P(i)$ (the other rows with its "
                f"label), here $L = ({losses})$. How many ordered positive pairs $(i, j)$ does the batch have, and "
                r"what is lossref's (and optax's) mean, $\sum_i L_i / \sum_i |P(i)|$? Enter the mean.")

    def correct(self, p):
        return math.fsum(p["losses"]) / sum(self._counts(p))

    def mistakes(self, p):
        total, counts = math.fsum(p["losses"]), self._counts(p)
        pairs = sum(counts)
        found = [
            Mistake("mean_over_rows", total / len(counts),
                    "That divides by the number of rows. NT-Xent's mean is over the ordered positive pairs: "
                    "$\\sum_i |P(i)|$, each row counting as many times as it has positives."),
            Mistake("unordered_pairs", total / (pairs / 2),
                    "That counts each pair once. $(i, j)$ and $(j, i)$ are two pairs, each a softmax of its own "
                    "anchor: a class of $k$ rows has $k(k - 1)$ ordered pairs."),
            Mistake("self_pairs_counted", total / sum(c + 1 for c in counts),
                    "That counts each row as its own positive ($k^2$ pairs for a class of $k$). A row is never its "
                    "own positive: a class of $k$ rows has $k(k - 1)$ ordered pairs."),
            Mistake("sum_not_mean", total, "That is the sum of the losses; the mean divides it by the number of "
                                           "ordered positive pairs."),
        ]
        if 0 in counts:
            found.append(Mistake("mean_over_anchors_with_positives", total / sum(c > 0 for c in counts),
                                 "That divides by the number of rows that have a positive. The mean is over pairs: "
                                 "a row with $k - 1$ positives counts $k - 1$ times."))
        return found

    def hints(self, problem):
        return [
            r"Count each row's positives: the rows with the same label, itself excluded. A class of $k$ rows gives "
            r"each of them $k - 1$ positives.",
            r"The number of ordered pairs is $\sum_c k_c(k_c - 1)$ over the classes. A row alone in its class has no "
            "positive: its loss is 0 and it adds nothing to the count.",
        ]

    def steps(self, p):
        labels = p["labels"]
        sizes = {c: labels.count(c) for c in sorted(set(labels))}
        parts = " + ".join(f"{k} \\cdot {k - 1}" for k in sizes.values())
        pairs = sum(self._counts(p))
        shown = ", ".join(f"{_LETTERS[c]}: {k}" for c, k in sizes.items())
        total = math.fsum(p["losses"])
        return [
            f"Class sizes: {shown}. Ordered positive pairs: ${parts} = {pairs}$.",
            f"$\\sum_i L_i = {f(total, 6)}$, so the mean is ${f(total, 6)} / {pairs} = {f(self.correct(p))}$.",
        ]


# ---------------------------------------------------------------------------------- Circle
class CircleValue(NumericExercise):
    """Circle loss of one anchor from its similarities, Keras's form: log(1 + sum_p e^{z_p} sum_n e^{z_n})."""

    id = "circle.value"
    skill = "metric.contrastive"
    title = "Circle loss of one anchor"

    def make_params(self, rng):
        return {"s_pos": [_tenth(rng, 0.3, 0.9) for _ in range(rng.choice([1, 2]))],
                "s_neg": [_tenth(rng, -0.7, 0.6) for _ in range(2)],
                "gamma": rng.choice([1.0, 2.0, 4.0]), "margin": rng.choice([0.25, 0.4])}

    def _logits(self, p, *, gamma=None, weighted=True, swapped=False, clip=True, pos_sign=-1.0):
        g = p["gamma"] if gamma is None else gamma
        m = p["margin"]
        d_p, d_n = (m, 1 - m) if swapped else (1 - m, m)
        clamp = (lambda v: max(v, 0.0)) if clip else (lambda v: v)
        z_p = [pos_sign * g * (clamp(1 + m - s) if weighted else 1.0) * (s - d_p) for s in p["s_pos"]]
        z_n = [g * (clamp(s + m) if weighted else 1.0) * (s - d_n) for s in p["s_neg"]]
        return z_p, z_n

    def _loss(self, p, **kw):
        z_p, z_n = self._logits(p, **kw)
        return M.softplus(M.logsumexp(z_p) + M.logsumexp(z_n))

    def statement(self, p):
        pos = ", ".join(_g(s) for s in p["s_pos"])
        neg = ", ".join(_g(s) for s in p["s_neg"])
        which = "a positive at cosine similarity" if len(p["s_pos"]) == 1 else "two positives at cosine similarities"
        return (f"An anchor has {which} ${pos}$ and two negatives at ${neg}$. Circle loss "
                f"(Sun et al.; Keras 3's keras.losses.circle) with scale $\\gamma = {_g(p['gamma'])}$ (Keras's "
                f"default is 80) and margin $m = {_g(p['margin'])}$ weighs each similarity by its distance from "
                r"its optimum: $z^p = -\gamma\, \alpha_p (s_p - \Delta_p)$ with $\alpha_p = [1 + m - s_p]_+$, "
                r"$\Delta_p = 1 - m$, and $z^n = \gamma\, \alpha_n (s_n - \Delta_n)$ with $\alpha_n = [s_n + m]_+$, "
                r"$\Delta_n = m$. The anchor's loss is "
                r"$L = \log\big(1 + \sum_{p} e^{z^p} \sum_{n} e^{z^n}\big)$. Compute it.")

    def correct(self, p):
        return self._loss(p)

    def mistakes(self, p):
        z_p, z_n = self._logits(p)
        found = [
            Mistake("unweighted", self._loss(p, weighted=False),
                    "The weights $\\alpha$ are missing: that is $z^p = -\\gamma(s_p - \\Delta_p)$, "
                    "$z^n = \\gamma(s_n - \\Delta_n)$. Circle loss multiplies each by "
                    "$\\alpha_p = [1 + m - s_p]_+$ or $\\alpha_n = [s_n + m]_+$, so that a similarity far from its "
                    "optimum weighs more."),
            Mistake("optima_swapped", self._loss(p, swapped=True),
                    "The optima are swapped: a positive aims above $\\Delta_p = 1 - m$, a negative below "
                    "$\\Delta_n = m$."),
            Mistake("dropped_one", M.logsumexp(z_p) + M.logsumexp(z_n),
                    "The 1 inside the logarithm is missing: $L = \\log(1 + \\sum e^{z^p} \\sum e^{z^n})$, a softplus, "
                    "never negative."),
            Mistake("positive_sign", self._loss(p, pos_sign=1.0),
                    "The positive's logit has the wrong sign: $z^p = -\\gamma\\, \\alpha_p (s_p - \\Delta_p)$, so "
                    "that a positive more similar than its optimum lowers the loss."),
        ]
        if p["gamma"] != 1:
            found.append(Mistake("forgot_gamma", self._loss(p, gamma=1.0),
                                 f"The scale is missing: every logit is multiplied by $\\gamma = {_g(p['gamma'])}$."))
        if any(s + p["margin"] < 0 for s in p["s_neg"]):
            found.append(Mistake("alpha_not_clipped", self._loss(p, clip=False),
                                 "A negative's weight came out negative: $\\alpha_n = [s_n + m]_+$ is clipped at 0, "
                                 "so a negative with $s_n < -m$ has $z^n = 0$."))
        return found

    def hints(self, problem):
        return [
            r"For each similarity compute its weight and its gap: $\alpha_p = [1 + m - s_p]_+$ and "
            r"$s_p - (1 - m)$ for a positive, $\alpha_n = [s_n + m]_+$ and $s_n - m$ for a negative.",
            r"$z^p = -\gamma \alpha_p (s_p - \Delta_p)$, $z^n = \gamma \alpha_n (s_n - \Delta_n)$; then "
            r"$L = \log(1 + S_p S_n)$ with $S_p = \sum e^{z^p}$ and $S_n = \sum e^{z^n}$.",
        ]

    def steps(self, p):
        z_p, z_n = self._logits(p)
        m, g = p["margin"], p["gamma"]
        rows = []
        for s, z in zip(p["s_pos"], z_p):
            rows.append(f"Positive $s_p = {_g(s)}$: $\\alpha_p = {f(max(1 + m - s, 0.0))}$, "
                        f"$s_p - \\Delta_p = {f(s - (1 - m))}$, $z^p = {f(z, 5)}$.")
        for s, z in zip(p["s_neg"], z_n):
            rows.append(f"Negative $s_n = {_g(s)}$: $\\alpha_n = {f(max(s + m, 0.0))}$, "
                        f"$s_n - \\Delta_n = {f(s - m)}$, $z^n = {f(z, 5)}$ (with $\\gamma = {_g(g)}$).")
        sp, sn = math.fsum(math.exp(z) for z in z_p), math.fsum(math.exp(z) for z in z_n)
        rows.append(f"$S_p = {f(sp, 5)}$, $S_n = {f(sn, 5)}$, $L = \\log(1 + {f(sp, 5)} \\times {f(sn, 5)}) = "
                    f"{f(self.correct(p))}$.")
        return rows


EXERCISES = [TripletValue(), TripletAnchorGrad(), CosineDistanceValue(), CosineEmbeddingValue(), HingeEmbeddingValue(),
             InfoNCEValue(), InfoNCEGrad(), NTXentAnchor(), NTXentMean(), CircleValue()]
