"""Exercises of session 9: losses under label noise (the symmetry condition, generalized cross-entropy)."""

from __future__ import annotations

from ._core import Mistake, NumericExercise, fmt_number as f

__all__ = ["NoisyRisk", "GCEGradient"]


# ---------------------------------------------------------------------------------- noisy risk
class NoisyRisk(NumericExercise):
    """The risk of MAE under symmetric label noise: (1 - eta K / (K - 1)) R + eta C / (K - 1), C = 2 (K - 1)."""

    id = "noise.noisy_risk"
    skill = "noise.robust"
    title = "The risk of a symmetric loss under label noise"

    def make_params(self, rng):
        return {"k": rng.choice([2, 3, 4, 5, 10]), "eta": rng.choice([0.1, 0.2, 0.25, 0.3, 0.4]),
                "risk": round(rng.uniform(0.1, 0.8), 2)}

    def acceptable(self, p):
        return p["eta"] < (p["k"] - 1) / p["k"] and super().acceptable(p)

    def statement(self, p):
        k = p["k"]
        return (f"A {k}-class classifier is scored with MAE on its probability vector, "
                r"$L(p, y) = \lVert e_y - p \rVert_1 = 2(1 - p_y)$, which satisfies "
                f"$\\sum_{{k=1}}^{{{k}}} L(p, k) = C$ for a constant $C$. On clean labels its risk is "
                f"$R = {p['risk']:g}$. The labels are corrupted by symmetric noise: each label is replaced, with "
                f"probability $\\eta = {p['eta']:g}$, by "
                + ("the other class. " if k == 2 else f"one of the other {k - 1} classes chosen uniformly. ")
                + "Compute the model's expected risk on the noisy labels.")

    def _factor(self, p):
        return 1 - p["eta"] * p["k"] / (p["k"] - 1)

    def correct(self, p):
        return self._factor(p) * p["risk"] + 2 * p["eta"]  # eta C / (K - 1) with C = 2 (K - 1)

    def mistakes(self, p):
        k, eta, r = p["k"], p["eta"], p["risk"]
        return [
            Mistake("clean_risk", r,
                    "That is the clean risk. A flipped label is scored against another class, where the loss is "
                    "larger on average."),
            Mistake("factor_one_minus_eta", (1 - eta) * r + 2 * eta,
                    f"The factor is not $1 - \\eta$: the {k - 1} wrong labels contribute "
                    "$\\frac{\\eta}{K - 1}(C - L(p, y))$, which takes away another $\\frac{\\eta}{K - 1} L(p, y)$."),
            Mistake("forgot_constant", self._factor(p) * r,
                    "The constant term $\\eta C / (K - 1)$ is missing; for MAE $C = 2(K - 1)$, so it is $2\\eta$."),
            Mistake("wrong_constant", self._factor(p) * r + eta,
                    "The constant is $C = \\sum_k 2(1 - p_k) = 2K - 2 = 2(K - 1)$, so $\\eta C/(K - 1) = 2\\eta$, "
                    "not $\\eta$."),
        ]

    def hints(self, problem):
        return [
            "Write the expected loss of one example: $(1 - \\eta) L(p, y) + \\frac{\\eta}{K - 1} \\sum_{k \\ne y} "
            "L(p, k)$, and use the symmetry condition for the sum over $k \\ne y$.",
            "$\\sum_{k \\ne y} L(p, k) = C - L(p, y)$ with $C = \\sum_k 2(1 - p_k) = 2(K - 1)$. Collect the terms "
            "in $L(p, y)$, then average over the data.",
        ]

    def steps(self, p):
        k, eta = p["k"], p["eta"]
        return [
            f"$C = 2(K - 1) = {2 * (k - 1)}$. The expected loss is $(1 - \\eta) L + \\frac{{\\eta}}{{K - 1}}(C - L) "
            "= \\big(1 - \\frac{\\eta K}{K - 1}\\big) L + \\frac{\\eta C}{K - 1}$.",
            f"$1 - \\frac{{\\eta K}}{{K - 1}} = 1 - \\frac{{{eta:g} \\cdot {k}}}{{{k - 1}}} = {f(self._factor(p))}$ and "
            f"$\\frac{{\\eta C}}{{K - 1}} = 2\\eta = {f(2 * eta)}$.",
            f"$R_\\eta = {f(self._factor(p))} \\cdot {p['risk']:g} + {f(2 * eta)} \\approx {f(self.correct(p))}$: an "
            "increasing function of $R$, so both risks have the same minimiser.",
        ]


# ---------------------------------------------------------------------------------- GCE gradient
class GCEGradient(NumericExercise):
    """The derivative of generalized cross-entropy (1 - p_y^q) / q in the labelled class's logit:
    -p_y^q (1 - p_y), p_y^q times cross-entropy's p_y - 1."""

    id = "noise.gce_grad"
    skill = "noise.robust"
    title = "The gradient of generalized cross-entropy"
    depth = "derive"

    def make_params(self, rng):
        k = rng.choice([3, 4])
        raw = [rng.choice([1, 2, 3, 4, 6, 8, 10, 15]) for _ in range(k)]
        total = sum(raw)
        probs = [round(v / total, 2) for v in raw[:-1]]
        probs.append(round(1 - sum(probs), 2))
        return {"probs": probs, "label": rng.randrange(k), "q": rng.choice([0.3, 0.5, 0.7, 0.8])}

    def acceptable(self, p):
        return all(0.02 <= v <= 0.9 for v in p["probs"]) and super().acceptable(p)

    def statement(self, p):
        probs = ", ".join(f"{v:.2f}" for v in p["probs"])
        return ("Generalized cross-entropy, $L_q = (1 - p_y^{\\,q})/q$, is trained on a softmax classifier, "
                f"$p = \\operatorname{{softmax}}(z)$, with $q = {p['q']:g}$. For an example labelled class "
                f"{p['label']} (classes numbered from 0) the model gives $p = ({probs})$. Derive "
                f"$\\partial L_q / \\partial z_{p['label']}$, the derivative in the logit of the labelled class, and "
                "compute it.")

    def _py(self, p):
        return p["probs"][p["label"]]

    def correct(self, p):
        py = self._py(p)
        return -(py ** p["q"]) * (1 - py)

    def mistakes(self, p):
        py, q = self._py(p), p["q"]
        return [
            Mistake("cross_entropy", py - 1,
                    "That is cross-entropy's derivative, $p_y - 1$. GCE multiplies it by $p_y^{\\,q}$."),
            Mistake("no_softmax_factor", -(py ** (q - 1)),
                    "That is $\\partial L_q / \\partial p_y = -p_y^{\\,q - 1}$. The chain rule through the softmax "
                    "multiplies by $\\partial p_y / \\partial z_y = p_y (1 - p_y)$."),
            Mistake("sign_flipped", (py ** q) * (1 - py),
                    "The sign is flipped: raising the labelled class's logit raises $p_y$ and lowers $L_q$."),
            Mistake("mae_weight", -2 * py * (1 - py),
                    "That is MAE's derivative, $-2 p_y (1 - p_y)$; GCE's weight is $p_y^{\\,q}$, not $2 p_y$."),
        ]

    def hints(self, problem):
        return [
            "Use the chain rule: $\\frac{\\partial L_q}{\\partial z_y} = \\frac{\\partial L_q}{\\partial p_y} "
            "\\cdot \\frac{\\partial p_y}{\\partial z_y}$.",
            "$\\frac{\\partial L_q}{\\partial p_y} = -p_y^{\\,q - 1}$, and for the softmax "
            "$\\frac{\\partial p_y}{\\partial z_y} = p_y (1 - p_y)$.",
        ]

    def steps(self, p):
        py, q = self._py(p), p["q"]
        return [
            "$\\frac{\\partial L_q}{\\partial p_y} = -\\frac{q\\, p_y^{\\,q - 1}}{q} = -p_y^{\\,q - 1}$ and "
            "$\\frac{\\partial p_y}{\\partial z_y} = p_y (1 - p_y)$.",
            "So $\\frac{\\partial L_q}{\\partial z_y} = -p_y^{\\,q} (1 - p_y)$: cross-entropy's $p_y - 1$ times the "
            "weight $p_y^{\\,q}$.",
            f"With $p_y = {py:.2f}$: $-{py:.2f}^{{{q:g}}} \\cdot {f(1 - py)} = -{f(py ** q)} \\cdot {f(1 - py)} "
            f"\\approx {f(self.correct(p))}$.",
        ]


EXERCISES = [NoisyRisk(), GCEGradient()]
