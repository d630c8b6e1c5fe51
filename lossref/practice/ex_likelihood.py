"""Exercises of session 3: what a regression loss estimates (its minimiser) and the likelihood
behind it."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise
from ._core import fmt_number as f
from .ex_regression import _tex_list

__all__ = ["ConstantMinimiser"]


# ---------------------------------------------------------------------------------- minimisers
class ConstantMinimiser(NumericExercise):
    """The best constant prediction under MSE (the mean) or MAE (the median), with an outlier in the data."""

    id = "regression.minimiser"
    skill = "regression.minimiser"
    title = "The best constant prediction"

    def make_params(self, rng):
        values = [round(rng.uniform(0.0, 6.0), 1) for _ in range(4)] + [round(rng.uniform(12.0, 25.0), 1)]
        rng.shuffle(values)
        return {"y": values, "loss": rng.choice(["mse", "mae"])}

    def acceptable(self, params):
        return len(set(params["y"])) == len(params["y"]) and super().acceptable(params)

    def statement(self, p):
        name = (r"the mean squared error $\frac1n\sum_i (c - y_i)^2$" if p["loss"] == "mse"
                else r"the mean absolute error $\frac1n\sum_i |c - y_i|$")
        return (f"Five examples share the same input, with targets $y = {_tex_list(p['y'])}$. A model can only "
                f"predict one value $c$ for all of them. Which $c$ minimises {name}?")

    def _median(self, p):
        return sorted(p["y"])[len(p["y"]) // 2]

    def correct(self, p):
        return M.mean(p["y"]) if p["loss"] == "mse" else self._median(p)

    def mistakes(self, p):
        y = p["y"]
        if p["loss"] == "mse":
            mean = M.mean(y)
            return [
                Mistake("median_not_mean", self._median(p),
                        "That is the median, the minimiser of the absolute error. Squared error is minimised by the "
                        "mean, which the outlier pulls toward itself."),
                Mistake("loss_not_minimiser", M.mean((v - mean) ** 2 for v in y),
                        "That is the smallest MSE (the variance of the targets), not the prediction c that "
                        "achieves it."),
            ]
        med = self._median(p)
        found = [
            Mistake("mean_not_median", M.mean(y),
                    "That is the mean, the minimiser of squared error. Absolute error is minimised by the median, "
                    "which the outlier barely moves."),
            Mistake("loss_not_minimiser", M.mean(abs(v - med) for v in y),
                    "That is the smallest MAE, not the prediction c that achieves it."),
        ]
        if y[len(y) // 2] != med:
            found.append(Mistake("unsorted_middle", y[len(y) // 2],
                                 "That is the middle value of the list as written. The median is the middle value "
                                 "once the targets are sorted."))
        return found

    def hints(self, problem):
        if problem.params["loss"] == "mse":
            return [r"Set the derivative of $\frac1n\sum_i (c - y_i)^2$ in $c$ to zero.",
                    r"$\frac2n\sum_i (c - y_i) = 0$ gives $c = \frac1n\sum_i y_i$, the mean."]
        return [r"The derivative of $\frac1n\sum_i |c - y_i|$ is $\frac1n\sum_i \operatorname{sign}(c - y_i)$: "
                r"the number of targets below $c$ minus the number above, over $n$.",
                "It changes sign where as many targets lie below c as above: at the median of the sorted targets."]

    def steps(self, p):
        if p["loss"] == "mse":
            return [r"$\frac{d}{dc}\frac1n\sum_i (c - y_i)^2 = \frac2n\sum_i (c - y_i) = 0$ gives the mean.",
                    rf"$c = {f(math.fsum(p['y']))} / {len(p['y'])} = {f(self.correct(p))}$."]
        return [rf"Sorted targets: ${_tex_list(sorted(p['y']))}$.",
                rf"The subgradient $\frac1n\sum_i \operatorname{{sign}}(c - y_i)$ contains 0 at the median: "
                rf"$c = {f(self.correct(p))}$."]


EXERCISES = [ConstantMinimiser()]
