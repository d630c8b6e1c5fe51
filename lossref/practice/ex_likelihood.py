"""Exercises of session 3: what a regression loss estimates (its minimiser) and the likelihood
behind it."""

from __future__ import annotations

import math

from . import _math as M
from ._core import Mistake, NumericExercise
from ._core import fmt_number as f
from .ex_regression import _clip, _signed, _tex_list

__all__ = ["ConstantMinimiser", "PinballMinimiser", "HuberMinimiser", "PoissonValue", "PoissonGrad", "GaussianValue",
           "GaussianGrad", "PoissonRateMLE", "GaussianVarianceMLE", "LaplaceScaleMLE"]


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


def _d(x: float, digits: int = 1) -> float:
    """x rounded for a statement, without a -0.0."""
    return round(x, digits) + 0.0


def _par(x: float) -> str:
    """A number as a factor: negative numbers in parentheses."""
    return f"({_signed(x)})" if x < 0 else _signed(x)


def _distinct(target, mistakes: list[Mistake]) -> list[Mistake]:
    """The mistakes whose values differ from the answer and from each other (a shortcut that happens to give
    the right number for some data is not a mistake there)."""
    kept: list[Mistake] = []
    for m in mistakes:
        if all(abs(m.value - v) > 0.02 + 0.02 * abs(v) for v in [target] + [k.value for k in kept]):
            kept.append(m)
    return kept


# ---------------------------------------------------------------------------------- minimisers (derived)
class PinballMinimiser(NumericExercise):
    """The constant minimising the mean pinball loss at level tau: the order statistic y_(k), k = ceil(n tau),
    unique when n tau is not an integer (the data are drawn so)."""

    id = "quantile.minimiser"
    skill = "regression.minimiser"
    title = "The best constant under the pinball loss"
    depth = "derive"

    def make_params(self, rng):
        n = rng.choice([5, 6, 7, 8, 9])
        return {"y": [_d(rng.uniform(0.0, 20.0)) for _ in range(n)],
                "tau": rng.choice([0.1, 0.2, 0.25, 0.3, 0.7, 0.75, 0.8, 0.9])}

    def _k(self, p, tau=None):
        tau = p["tau"] if tau is None else tau
        return math.ceil(len(p["y"]) * tau - 1e-9)

    def acceptable(self, params):
        n, tau = len(params["y"]), params["tau"]
        sorted_y = sorted(params["y"])
        return (len(set(params["y"])) == n and abs(n * tau - round(n * tau)) > 1e-6
                and min(b - a for a, b in zip(sorted_y, sorted_y[1:])) >= 0.3 and super().acceptable(params))

    def statement(self, p):
        return (f"A model predicts one constant $c$ for the {len(p['y'])} targets $y = {_tex_list(p['y'])}$. "
                f"Which $c$ minimises the mean pinball loss at $\\tau = {p['tau']:g}$, "
                r"$\hat R(c) = \frac1n \sum_i \max\big(\tau (y_i - c), (\tau - 1)(y_i - c)\big)$? "
                "(For these data the minimiser is a single point.)")

    def correct(self, p):
        return sorted(p["y"])[self._k(p) - 1]

    def _interpolated(self, p):
        """The sample quantile with linear interpolation between order statistics (NumPy's default)."""
        s = sorted(p["y"])
        pos = (len(s) - 1) * p["tau"]
        low = math.floor(pos)
        return s[low] + (pos - low) * (s[min(low + 1, len(s) - 1)] - s[low])

    def mistakes(self, p):
        s, y, n, k = sorted(p["y"]), p["y"], len(p["y"]), self._k(p)
        found = [
            Mistake("tau_flipped", s[self._k(p, 1 - p["tau"]) - 1],
                    f"That is the {f(1 - p['tau'])} quantile: the two slopes are swapped. A target above c costs τ "
                    "per unit, one below 1 - τ, so the minimiser has a fraction τ of the targets below it."),
            Mistake("unsorted", y[k - 1], f"That is entry {k} of the list as written; the quantile is entry {k} of "
                                          "the sorted targets."),
            Mistake("off_by_one", s[k - 2] if k >= 2 else s[k],
                    f"That is the neighbouring order statistic. Below the answer lie {k - 1} of the {n} targets, a "
                    f"fraction {f((k - 1) / n)} < τ; at it the fraction reaches {f(k / n)} ≥ τ: k = ⌈nτ⌉ = {k}."),
            Mistake("interpolated", self._interpolated(p),
                    "That interpolates between order statistics, as np.quantile does by default. The pinball loss "
                    "of a sample is minimised at an order statistic itself, here a single one."),
            Mistake("mean", M.mean(y), "That is the mean, the minimiser of squared error."),
        ]
        if n % 2:
            found.append(Mistake("median", s[n // 2], "That is the median, the minimiser at τ = 0.5 only."))
        return _distinct(self.correct(p), found)

    def hints(self, problem):
        return [
            r"Differentiate in $c$: a target above $c$ contributes $-\tau$, one below contributes $1 - \tau$, so "
            r"$\hat R'(c) = \frac{k}{n} - \tau$ with $k$ the number of targets below $c$.",
            r"$\hat R$ decreases while $k/n < \tau$ and increases once $k/n > \tau$. Sort the targets: the minimiser "
            r"is the $\lceil n\tau \rceil$-th smallest.",
        ]

    def steps(self, p):
        n, tau, k = len(p["y"]), p["tau"], self._k(p)
        return [
            rf"Sorted targets: ${_tex_list(sorted(p['y']))}$.",
            rf"The slope $\hat R'(c) = k/n - \tau$ changes sign where $k/n$ passes $\tau = {tau:g}$: "
            rf"$n\tau = {f(n * tau)}$, so $k = \lceil n\tau \rceil = {k}$.",
            rf"Just below the {k}-th smallest target the slope is ${k - 1}/{n} - {tau:g} < 0$, just above it "
            rf"${k}/{n} - {tau:g} > 0$: $c = {f(self.correct(p))}$.",
        ]


class HuberMinimiser(NumericExercise):
    """The constant minimising the mean Huber loss of a sample with one outlier.

    The minimiser solves sum_i clip(c - y_i, -delta, delta) = 0. With the inliers within delta of c and the
    outlier beyond, that is sum_inliers (c - y_i) -+ delta = 0: c = (sum of the inliers +- delta) / (n - 1)."""

    id = "huber.minimiser"
    skill = "regression.minimiser"
    title = "The best constant under the Huber loss"
    depth = "derive"

    def make_params(self, rng):
        delta = rng.choice([1.0, 1.5, 2.0, 3.0])
        centre = rng.uniform(2.0, 8.0)
        y = [_d(centre + rng.uniform(-0.4, 0.4) * delta) for _ in range(4)]
        y.append(_d(centre + rng.choice([-1, 1]) * rng.uniform(4.0, 10.0) * delta))
        rng.shuffle(y)
        return {"y": y, "delta": delta}

    def _split(self, p):
        """(inliers, outlier): the target farthest from the median is the outlier."""
        med = sorted(p["y"])[2]
        out = max(p["y"], key=lambda v: abs(v - med))
        rest = list(p["y"])
        rest.remove(out)
        return rest, out

    def _solve(self, p, pull=1.0, divide=None):
        rest, out = self._split(p)
        s = 1.0 if out > M.mean(rest) else -1.0  # the outlier's clipped residual c - y_o is -s delta
        return (math.fsum(rest) + pull * s * p["delta"]) / (divide or len(rest))

    def correct(self, p):
        return self._solve(p)

    def acceptable(self, params):
        c, d = self.correct(params), params["delta"]
        rest, out = self._split(params)
        residual_sum = math.fsum(_clip(c - v, -d, d) for v in params["y"])
        return (all(abs(c - v) <= 0.95 * d for v in rest) and abs(c - out) > 1.5 * d and abs(residual_sum) < 1e-9
                and len(set(params["y"])) == 5 and super().acceptable(params))

    def statement(self, p):
        return (f"A model predicts one constant $c$ for the five targets $y = {_tex_list(p['y'])}$. Which $c$ "
                r"minimises the mean Huber loss $\hat R(c) = \frac1n \sum_i L_\delta(c - y_i)$ with "
                rf"$\delta = {_signed(p['delta'])}$, where $L_\delta(r) = \tfrac12 r^2$ for $|r| \le \delta$ and "
                r"$\delta(|r| - \tfrac12\delta)$ beyond?")

    def mistakes(self, p):
        rest, _ = self._split(p)
        found = [
            Mistake("mean", M.mean(p["y"]), "That is the mean, the minimiser of squared error: it lets the outlier "
                                            "pull with its full residual. Under Huber its pull is capped at δ."),
            Mistake("median", sorted(p["y"])[2], "That is the median, the minimiser of absolute error. Under Huber "
                                                 "the inliers pull with their residuals, not just their signs."),
            Mistake("outlier_dropped", M.mean(rest),
                    "That is the mean of the other four: the outlier is clipped, not removed. It still pulls with "
                    "±δ in the equation Σ clip(c - yᵢ, -δ, δ) = 0."),
            Mistake("divided_by_n", self._solve(p, divide=5),
                    "That divides by 5. The clipped outlier contributes the constant ±δ, not a term in c, so only "
                    "the 4 inliers carry c: 4c - Σ inliers ∓ δ = 0."),
            Mistake("pull_sign", self._solve(p, pull=-1.0),
                    "The outlier's pull has the wrong sign: it draws c toward itself. Its clipped residual c - y "
                    "is -δ for an outlier above c and +δ for one below."),
        ]
        return _distinct(self.correct(p), found)

    def hints(self, problem):
        return [
            r"Set the derivative to 0: $\sum_i \operatorname{clip}(c - y_i, -\delta, \delta) = 0$. Guess which "
            r"residuals are clipped: near the minimiser, only the outlier's is.",
            r"Then the equation is $\sum_{\text{inliers}} (c - y_i) \mp \delta = 0$: solve it for $c$, and check that "
            r"every inlier is within $\delta$ of $c$ and the outlier beyond.",
        ]

    def steps(self, p):
        rest, out = self._split(p)
        d, c = p["delta"], self.correct(p)
        sign = "-" if out > M.mean(rest) else "+"
        return [
            rf"The outlier is ${_signed(out)}$. Assume it is clipped and the other four are not: its term is "
            rf"$\operatorname{{clip}}(c - {_par(out)}, -\delta, \delta) = {sign}{_signed(d)}$.",
            rf"$4c - ({' + '.join(_signed(v) for v in rest)}) {sign} {_signed(d)} = 0$ gives "
            rf"$c = ({f(math.fsum(rest))} {'+' if sign == '-' else '-'} {_signed(d)}) / 4 = {f(c)}$.",
            rf"Check: the inliers' residuals $c - y_i$ are ${', '.join(f(c - v) for v in rest)}$, within "
            rf"$\pm{_signed(d)}$, and the outlier's is ${f(c - out)}$, beyond: the assumption holds.",
        ]


# ---------------------------------------------------------------------------------- Poisson NLL
_POISSON_NLL = r"-\log P(y \mid \lambda) = \lambda - y \log\lambda + \log y!"


def _poisson_pred(rng, log_input: bool) -> float:
    if log_input:
        return _d(rng.choice([-1, 1]) * rng.uniform(0.2, 1.0) if rng.random() < 0.3 else rng.uniform(0.2, 2.5))
    return _d(rng.uniform(0.3, 8.0))


class PoissonValue(NumericExercise):
    """lossref's Poisson NLL of one count, on a log-rate (log_input=True) or a rate (log_input=False)."""

    id = "poisson_nll.value"
    skill = "poisson_nll.value"
    title = "The Poisson negative log-likelihood"

    def make_params(self, rng):
        log_input = rng.random() < 0.6
        return {"y": rng.randint(1, 9), "pred": _poisson_pred(rng, log_input), "log_input": log_input}

    def statement(self, p):
        if p["log_input"]:
            given = (f"outputs the log-rate $\\eta = {_signed(p['pred'])}$ (so the predicted rate is "
                     r"$\lambda = e^{\eta}$; `log_input=True`, lossref's default)")
        else:
            given = f"outputs the rate $\\lambda = {_signed(p['pred'])}$ itself (`log_input=False`)"
        return (f"A count model observes $y = {p['y']}$ events and {given}. The Poisson negative log-likelihood is "
                f"${_POISSON_NLL}$; `lr.poisson_nll` leaves out $\\log y!$ (`full=False`, the default). Compute "
                "the loss `lr.poisson_nll` gives for this example."
                + ("" if p["log_input"] else r" (lossref adds $\epsilon = 10^{-8}$ inside the log, too small to "
                                             "matter here.)"))

    def correct(self, p):
        return M.poisson_nll(p["y"], p["pred"], p["log_input"])

    def mistakes(self, p):
        y, z = p["y"], p["pred"]
        value = self.correct(p)
        found = [
            Mistake("sign_flipped", -value, "The sign is flipped: the loss is the negative log-likelihood, "
                                            "λ - y log λ, not y log λ - λ."),
        ]
        if y >= 2:
            found.append(Mistake("with_log_factorial", value + math.lgamma(y + 1),
                                 f"That includes log y! = log {y}! = {f(math.lgamma(y + 1))}, which lossref leaves out "
                                 "by default: it does not depend on the prediction."))
        if p["log_input"]:
            found.append(Mistake("dropped_rate_term", -y * z, "The term λ = e^η is missing: the loss is e^η - yη."))
            if z > 0:
                found.append(Mistake("rate_not_log_rate", z - y * math.log(z),
                                     "That reads η as the rate λ. With log_input=True the prediction is the log-rate: "
                                     "λ = e^η, log λ = η, so L = e^η - yη."))
        else:
            found.append(Mistake("log_rate_not_rate", math.exp(z) - y * z,
                                 "That reads λ as a log-rate (the formula e^η - yη of log_input=True). Here the "
                                 "prediction is the rate: L = λ - y log λ."))
            found.append(Mistake("log10", z - y * math.log10(z), "That uses log base 10; the likelihood's log is "
                                                                  "natural."))
            found.append(Mistake("dropped_rate_term", -y * math.log(z),
                                 "The term λ is missing: the loss is λ - y log λ."))
        return found

    def hints(self, problem):
        p = problem.params
        if p["log_input"]:
            return [r"With the log-rate $\eta$, $\lambda = e^{\eta}$ and $\log\lambda = \eta$: substitute into "
                    r"$\lambda - y\log\lambda$.",
                    r"So $L = e^{\eta} - y\,\eta$, without $\log y!$."]
        return [r"The prediction is the rate: substitute $\lambda$ into $\lambda - y\log\lambda$ (natural log).",
                r"Leave out $\log y!$: $L = \lambda - y\log\lambda$."]

    def steps(self, p):
        y, z = p["y"], p["pred"]
        if p["log_input"]:
            return [rf"$\lambda = e^{{{_signed(z)}}} = {f(math.exp(z))}$ and $\log\lambda = {_signed(z)}$.",
                    rf"$L = e^{{\eta}} - y\eta = {f(math.exp(z))} - {y} \cdot {_par(z)} = {f(self.correct(p))}$."]
        return [rf"$\log\lambda = \log {_signed(z)} = {f(math.log(z))}$.",
                rf"$L = \lambda - y\log\lambda = {_signed(z)} - {y} \cdot {_par(_d(math.log(z), 4))} = "
                rf"{f(self.correct(p))}$."]


class PoissonGrad(NumericExercise):
    """The gradient of the mean Poisson NLL in each prediction: (e^eta_i - y_i)/n, or (1 - y_i/lam_i)/n."""

    id = "poisson_nll.grad"
    skill = "poisson_nll.grad"
    title = "The gradient of the Poisson NLL"
    kind = "vector"

    def make_params(self, rng):
        log_input = rng.random() < 0.6
        return {"y": [rng.randint(0, 8) for _ in range(3)], "pred": [_poisson_pred(rng, log_input) for _ in range(3)],
                "log_input": log_input}

    def acceptable(self, params):
        return all(abs(g) >= 0.01 for g in self.correct(params)) and super().acceptable(params)

    def statement(self, p):
        if p["log_input"]:
            given = (f"log-rates $\\eta = {_tex_list(p['pred'])}$ (`log_input=True`, lossref's default: the rate is "
                     r"$\lambda = e^{\eta}$, and the loss is $L = e^{\eta} - y\,\eta$)")
            wrt = r"\eta_i"
        else:
            given = (f"rates $\\lambda = {_tex_list(p['pred'])}$ (`log_input=False`: the loss is "
                     r"$L = \lambda - y \log(\lambda + \epsilon)$, with $\epsilon = 10^{-8}$)")
            wrt = r"\lambda_i"
        return (f"Three examples have the counts $y = {_tex_list(p['y'])}$, and a model predicts the {given}. "
                r"The risk is the mean $\hat R = \frac13 \sum_i L_i$, as `lr.poisson_nll` computes it. "
                f"Compute $\\partial \\hat R / \\partial {wrt}$ for $i = 1, 2, 3$, in that order.")

    def _each(self, p, log_input=None):
        log_input = p["log_input"] if log_input is None else log_input
        return [M.poisson_nll_grad(y, z, log_input) for y, z in zip(p["y"], p["pred"])]

    def correct(self, p):
        return [g / 3 for g in self._each(p)]

    def mistakes(self, p):
        g = self.correct(p)
        found = [
            Mistake("sign_flipped", [-v for v in g], "The signs are flipped: the gradient is predicted rate minus "
                                                     "observed count (per unit of rate, 1 - y/λ), not the reverse."),
            Mistake("sum_not_mean", [3 * v for v in g], "That is the gradient of the sum; the risk is the mean of "
                                                        "three losses, so each entry carries a factor 1/3."),
        ]
        if p["log_input"]:
            found += [
                Mistake("rate_gradient", [(1 - y / math.exp(z)) / 3 for y, z in zip(p["y"], p["pred"])],
                        "That is the derivative in the rate λ, 1 - y/λ. The prediction is the log-rate η: "
                        "d/dη (e^η - yη) = e^η - y (the chain rule multiplies 1 - y/λ by dλ/dη = λ)."),
                Mistake("forgot_exp", [(z - y) / 3 for y, z in zip(p["y"], p["pred"])],
                        "That subtracts the count from the log-rate. The gradient is the rate minus the count: "
                        "e^η - y."),
            ]
        else:
            found += [
                Mistake("log_rate_gradient", [(z - y) / 3 for y, z in zip(p["y"], p["pred"])],
                        "That is λ - y, the gradient in the log-rate. The prediction here is the rate: "
                        "d/dλ (λ - y log λ) = 1 - y/λ."),
                Mistake("forgot_one", [-y / z / 3 for y, z in zip(p["y"], p["pred"])],
                        "The derivative of the term λ is missing: d/dλ (λ - y log λ) = 1 - y/λ."),
            ]
        return found

    def hints(self, problem):
        if problem.params["log_input"]:
            return [r"Differentiate $L = e^{\eta} - y\eta$ in $\eta$: $e^{\eta} - y$, the rate minus the count.",
                    r"Each prediction appears in one term of the mean: divide each derivative by $n = 3$."]
        return [r"Differentiate $L = \lambda - y\log(\lambda + \epsilon)$ in $\lambda$: $1 - y/(\lambda + \epsilon)$.",
                r"Each prediction appears in one term of the mean: divide each derivative by $n = 3$."]

    def steps(self, p):
        each = self._each(p)
        formula = r"e^{\eta_i} - y_i" if p["log_input"] else r"1 - y_i/\lambda_i"
        return [rf"Per example, ${formula}$: ${', '.join(f(v) for v in each)}$.",
                rf"Divided by $n = 3$: $({', '.join(f(v) for v in self.correct(p))})$."]


# ---------------------------------------------------------------------------------- Gaussian NLL
_EPS = 1e-6
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _gaussian_params(rng) -> dict:
    floored = rng.random() < 0.2
    y = _d(rng.uniform(-2.0, 4.0))
    if floored:  # a variance below the floor eps = 1e-6 and a tiny residual
        r = rng.choice([-1, 1]) * rng.choice([0.002, 0.003, 0.004, 0.005])
        return {"y": y, "mu": _d(y + r, 3), "var": rng.choice([0.0, 1e-8]), "full": rng.random() < 0.3}
    r = rng.choice([-1, 1]) * rng.uniform(0.3, 3.0)
    return {"y": y, "mu": _d(y + r), "var": rng.choice([0.25, 0.5, 2.0, 4.0, 0.1, 1.5]), "full": rng.random() < 0.4}


def _var_tex(v: float) -> str:
    return "0" if v == 0 else ("10^{-8}" if v == 1e-8 else _signed(v))


class GaussianValue(NumericExercise):
    """lossref's Gaussian NLL of one example: 0.5 (log v + (y - mu)^2 / v), v = max(var, eps), [+0.5 log 2 pi]."""

    id = "gaussian_nll.value"
    skill = "gaussian_nll.value"
    title = "The Gaussian negative log-likelihood"

    def make_params(self, rng):
        return _gaussian_params(rng)

    def _r(self, p):
        return round(p["mu"] - p["y"], 10)

    def statement(self, p):
        full = ("with `full=True`, which keeps the constant $\\tfrac12\\log 2\\pi$" if p["full"]
                else "with `full=False` (the default), which leaves out the constant $\\tfrac12\\log 2\\pi$")
        return (f"A model predicts the mean $\\mu = {_signed(p['mu'])}$ and the variance "
                f"$\\sigma^2 = {_var_tex(p['var'])}$ for a target $y = {_signed(p['y'])}$. Compute "
                f"`lr.gaussian_nll` {full}: "
                r"$L = \tfrac12\left(\log v + \frac{(y - \mu)^2}{v}\right)$ with the floored variance "
                r"$v = \max(\sigma^2, \epsilon)$, $\epsilon = 10^{-6}$.")

    def _loss(self, r, v, full):
        return 0.5 * (math.log(v) + r * r / v) + (_HALF_LOG_2PI if full else 0.0)

    def correct(self, p):
        return M.gaussian_nll(p["y"], p["mu"], p["var"], p["full"])

    def mistakes(self, p):
        r, full = self._r(p), p["full"]
        v = max(p["var"], _EPS)
        c = _HALF_LOG_2PI if full else 0.0
        value = self.correct(p)
        found = [
            Mistake("dropped_half", 2 * (value - c) + c,
                    "That is twice the loss: the negative log-density carries ½ on both terms, ½ log v + r²/(2v)."),
            Mistake("constant_mismatch", value - c if full else value + _HALF_LOG_2PI,
                    "That leaves out ½ log 2π, which full=True keeps." if full
                    else "That includes ½ log 2π ≈ 0.919, which full=False leaves out."),
        ]
        if p["var"] < _EPS:
            if p["var"] > 0:
                found.append(Mistake("no_floor", self._loss(r, p["var"], full),
                                     "That uses the variance 10⁻⁸ as given; lossref floors it at ε = 10⁻⁶ first, "
                                     "v = max(σ², ε), which is what keeps a collapsing variance finite."))
        else:
            found += [
                Mistake("var_as_std", self._loss(r, v * v, full),
                        f"That squares {_signed(p['var'])}, as if it were the standard deviation. It is the variance "
                        "σ², used as it is."),
                Mistake("dropped_log_var", 0.5 * r * r / v + c,
                        "The term ½ log v is missing: it is the price of a large variance, without which a model "
                        "would predict an infinite one."),
            ]
        return found

    def hints(self, problem):
        return [
            r"Floor the variance: $v = \max(\sigma^2, 10^{-6})$; compute the residual $y - \mu$.",
            r"$L = \tfrac12 \log v + \frac{(y - \mu)^2}{2v}$, natural log"
            + (r", plus $\tfrac12 \log 2\pi \approx 0.9189$." if problem.params["full"] else "."),
        ]

    def steps(self, p):
        r, v = self._r(p), max(p["var"], _EPS)
        floor = (rf"$v = \max({_var_tex(p['var'])}, 10^{{-6}}) = 10^{{-6}}$: the floor holds."
                 if p["var"] < _EPS else rf"$v = {_signed(v)}$, above the floor.")
        last = r" + \tfrac12\log 2\pi" if p["full"] else ""
        return [floor,
                rf"$(y - \mu)^2 = {f(r * r)}$, $\log v = {f(math.log(v))}$.",
                rf"$L = \tfrac12({f(math.log(v))} + {f(r * r / v)}){last} = {f(self.correct(p))}$."]


class GaussianGrad(NumericExercise):
    """The two gradients of one example's Gaussian NLL: (mu - y)/v in the mean and (1 - r^2/v)/(2v) in the
    variance, which is 0 where the floor eps holds."""

    id = "gaussian_nll.grad"
    skill = "gaussian_nll.grad"
    title = "The gradients of the Gaussian NLL"
    kind = "vector"

    def make_params(self, rng):
        return _gaussian_params(rng)

    def acceptable(self, params):
        r, v = params["mu"] - params["y"], params["var"]
        return (v < _EPS or abs(r * r - v) > 0.1 * v) and super().acceptable(params)

    def statement(self, p):
        return (f"A model predicts the mean $\\mu = {_signed(p['mu'])}$ and the variance "
                f"$\\sigma^2 = {_var_tex(p['var'])}$ for a target $y = {_signed(p['y'])}$, with lossref's Gaussian "
                r"NLL $L = \tfrac12\left(\log v + \frac{(y - \mu)^2}{v}\right)$, $v = \max(\sigma^2, \epsilon)$, "
                r"$\epsilon = 10^{-6}$. Compute $\partial L/\partial \mu$ and $\partial L/\partial \sigma^2$, "
                "in that order.")

    def correct(self, p):
        return [M.gaussian_nll_grad_mean(p["y"], p["mu"], p["var"]), M.gaussian_nll_grad_var(p["y"], p["mu"], p["var"])]

    def mistakes(self, p):
        dm, dv = self.correct(p)
        r = p["mu"] - p["y"]
        found = [
            Mistake("sign_flipped", [-dm, dv], "∂L/∂μ has the wrong sign: it is (μ - y)/v, prediction minus target, "
                                               "over the variance."),
            Mistake("swapped", [dv, dm], "The two entries are swapped: ∂L/∂μ first, then ∂L/∂σ²."),
        ]
        if p["var"] < _EPS:
            v = _EPS
            found.append(Mistake("through_floor", [dm, (1 - r * r / v) / (2 * v)],
                                 "The variance is below the floor, so v = max(σ², ε) = ε does not change with σ²: "
                                 "∂L/∂σ² = 0 there. The formula (1 - r²/v)/(2v) holds only above the floor."))
        else:
            v = p["var"]
            found += [
                Mistake("forgot_log_term", [dm, -r * r / (2 * v * v)],
                        "∂L/∂σ² is missing the derivative of ½ log v, which is 1/(2v): "
                        "∂L/∂v = 1/(2v) - r²/(2v²)."),
                Mistake("std_derivative", [dm, 2 * math.sqrt(v) * dv],
                        "That is the derivative in the standard deviation σ, (1 - r²/v)/σ. The question asks for the "
                        "derivative in the variance σ²: (1 - r²/v)/(2v)."),
                Mistake("mean_without_var", [r, dv], "∂L/∂μ is not divided by the variance: it is (μ - y)/v, the "
                                                     "residual weighted by the precision 1/v."),
            ]
        return found

    def generic_feedback(self, problem, value):
        target = self.correct(problem.params)
        fmt = problem.answer
        ok = [abs(a - t) <= fmt.atol + fmt.rtol * abs(t) for a, t in zip(value, target)]
        if ok[0] and not ok[1]:
            return "∂L/∂μ is right; check ∂L/∂σ²: differentiate both ½ log v and r²/(2v) in v."
        if ok[1] and not ok[0]:
            return "∂L/∂σ² is right; check ∂L/∂μ = (μ - y)/v."
        return super().generic_feedback(problem, value)

    def hints(self, problem):
        return [
            r"Floor the variance first, $v = \max(\sigma^2, 10^{-6})$, and write $r = \mu - y$. In $\mu$ only "
            r"$r^2/(2v)$ changes: $\partial L/\partial \mu = r/v$.",
            r"In $v$: $\frac{d}{dv}\tfrac12\log v = \frac{1}{2v}$ and $\frac{d}{dv}\frac{r^2}{2v} = -\frac{r^2}{2v^2}$. "
            r"Below the floor $v$ does not depend on $\sigma^2$, and $\partial L/\partial\sigma^2 = 0$.",
        ]

    def steps(self, p):
        dm, dv = self.correct(p)
        r = _d(p["mu"] - p["y"], 6)
        if p["var"] < _EPS:
            return [rf"$v = \max({_var_tex(p['var'])}, 10^{{-6}}) = 10^{{-6}}$: the floor holds; $r = \mu - y = {f(r)}$.",
                    rf"$\partial L/\partial\mu = r / v = {f(dm)}$, a million times the residual.",
                    r"$\partial L/\partial\sigma^2 = 0$: $v$ stays at the floor when $\sigma^2$ moves a little."]
        v = p["var"]
        return [rf"$r = \mu - y = {f(r)}$, $v = {_signed(v)}$.",
                rf"$\partial L/\partial\mu = r/v = {f(dm)}$.",
                rf"$\partial L/\partial\sigma^2 = \frac{{1}}{{2v}}\left(1 - \frac{{r^2}}{{v}}\right) = "
                rf"\frac{{1}}{{{f(2 * v)}}}(1 - {f(r * r / v)}) = {f(dv)}$."]


# ---------------------------------------------------------------------------------- likelihood: estimates
class PoissonRateMLE(NumericExercise):
    """The constant that minimises the mean Poisson NLL of a sample of counts: the log of the mean count as
    a log-rate, the mean count as a rate, and the smallest mean loss m - m log m that it reaches."""

    id = "poisson_nll.mle"
    skill = "likelihood.mle"
    title = "The maximum-likelihood Poisson rate"
    depth = "derive"

    def make_params(self, rng):
        n = rng.choice([5, 6, 8])
        y = [rng.randint(0, 9) for _ in range(n)]
        return {"y": y, "ask": rng.choice(["log_rate", "log_rate", "rate", "loss"])}

    def _m(self, p):
        return M.mean(p["y"])

    def acceptable(self, params):
        m = self._m(params)
        return m > 0 and abs(m - 1) > 0.1 and abs(m - math.e) > 0.1 and super().acceptable(params)

    def statement(self, p):
        head = (f"A model predicts one constant for the {len(p['y'])} counts $y = {_tex_list(p['y'])}$ and is "
                r"trained on the mean Poisson negative log-likelihood, as `lr.poisson_nll` computes it without "
                r"$\log y!$. ")
        if p["ask"] == "rate":
            return head + (r"The prediction is the rate $\lambda$ (`log_input=False`), and "
                           r"$\hat R(\lambda) = \frac1n \sum_i (\lambda - y_i \log\lambda)$. Which $\lambda$ "
                           r"minimises $\hat R$?")
        what = (r"What is the smallest value of $\hat R$ over $\eta$?" if p["ask"] == "loss"
                else r"Which $\eta$ minimises $\hat R$?")
        return head + (r"The prediction is the log-rate $\eta$ (`log_input=True`), and "
                       rf"$\hat R(\eta) = \frac1n \sum_i (e^{{\eta}} - y_i \eta)$. {what}")

    def correct(self, p):
        m = self._m(p)
        if p["ask"] == "rate":
            return m
        if p["ask"] == "log_rate":
            return math.log(m)
        return m - m * math.log(m)

    def mistakes(self, p):
        m, y = self._m(p), p["y"]
        med = sorted(y)[len(y) // 2] if len(y) % 2 else 0.5 * (sorted(y)[len(y) // 2 - 1] + sorted(y)[len(y) // 2])
        if p["ask"] == "loss":
            found = [
                Mistake("minimiser_not_loss", math.log(m), "That is the minimising log-rate η* = log(mean); the "
                                                           "question asks for the smallest risk R̂(η*)."),
                Mistake("with_log_factorial", m - m * math.log(m) + M.mean(math.lgamma(v + 1) for v in y),
                        "That includes the mean of log yᵢ!, which lr.poisson_nll leaves out by default."),
                Mistake("dropped_rate_term", -m * math.log(m),
                        "The term e^η* = mean count is missing: R̂(η*) = m - m log m, with m the mean count."),
            ]
        elif p["ask"] == "rate":
            found = [
                Mistake("log_not_rate", math.log(m), "That is log(mean), the minimising log-rate. Here the prediction "
                                                     "is the rate itself, and the minimiser is the mean count."),
                Mistake("median", med, "That is the median count. Setting dR/dλ = 1 - mean(y)/λ to 0 gives the "
                                       "mean."),
            ]
        else:
            found = [
                Mistake("rate_not_log_rate", m, "That is the mean count, the best rate λ. The prediction is the "
                                                "log-rate: η* = log(mean)."),
                Mistake("log10", math.log10(m), "That uses log base 10; e^η is the natural exponential, so "
                                                "η* = ln(mean)."),
            ]
            if med > 0:
                found.append(Mistake("log_of_median", math.log(med),
                                     "That is the log of the median count. Setting dR/dη = e^η - mean(y) to 0 gives "
                                     "the log of the mean."))
            if all(v > 0 for v in y):
                found.append(Mistake("mean_of_logs", M.mean(math.log(v) for v in y),
                                     "That is the mean of log yᵢ, the log of the geometric mean. The minimiser is the "
                                     "log of the arithmetic mean: e^η* = mean(y)."))
        return _distinct(self.correct(p), found)

    def hints(self, problem):
        if problem.params["ask"] == "rate":
            return [r"Differentiate: $\hat R'(\lambda) = 1 - \frac{\bar y}{\lambda}$, with $\bar y$ the mean count.",
                    r"It is 0 at $\lambda = \bar y$, negative below and positive above: the mean count."]
        return [r"Differentiate: $\hat R'(\eta) = e^{\eta} - \bar y$, with $\bar y$ the mean count.",
                r"It is 0 at $e^{\eta} = \bar y$, so $\eta^\star = \log \bar y$"
                + (r"; then $\hat R(\eta^\star) = \bar y - \bar y \log\bar y$." if problem.params["ask"] == "loss"
                   else ".")]

    def steps(self, p):
        m = self._m(p)
        mean = rf"$\bar y = {math.fsum(p['y']):g}/{len(p['y'])} = {f(m)}$."
        if p["ask"] == "rate":
            return [r"$\hat R'(\lambda) = 1 - \bar y/\lambda = 0$ gives $\lambda^\star = \bar y$.", mean]
        out = [r"$\hat R'(\eta) = e^{\eta} - \bar y = 0$ gives $\eta^\star = \log\bar y$; $\hat R'' = e^{\eta} > 0$, "
               "so it is the minimum.", mean, rf"$\eta^\star = \log {f(m)} = {f(math.log(m))}$."]
        if p["ask"] == "loss":
            out.append(rf"$\hat R(\eta^\star) = \bar y - \bar y\,\eta^\star = {f(m)} - {f(m)} \cdot {_par(_d(math.log(m), 4))}"
                       rf" = {f(self.correct(p))}$.")
        return out


class GaussianVarianceMLE(NumericExercise):
    """The shared variance that minimises the mean Gaussian NLL for given residuals, v* = mean r^2, and the
    mean NLL there, 0.5 (log v* + 1) [+ 0.5 log 2 pi]."""

    id = "gaussian_nll.variance_mle"
    skill = "likelihood.mle"
    title = "The maximum-likelihood variance"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        n = rng.choice([4, 5])
        y = [_d(rng.uniform(-2.0, 6.0)) for _ in range(n)]
        mu = [_d(v + rng.choice([-1, 1]) * rng.uniform(0.2, 2.0)) for v in y]
        return {"y": y, "mu": mu, "full": rng.random() < 0.4}

    def _res(self, p):
        return [round(m - v, 10) for m, v in zip(p["mu"], p["y"])]

    def _nll(self, v, full, ratio=1.0):
        return 0.5 * (math.log(v) + ratio) + (_HALF_LOG_2PI if full else 0.0)

    def acceptable(self, params):
        res = self._res(params)
        return abs(M.mean(res)) > 0.2 and abs(M.mean(r * r for r in res) - 1) > 0.1 and super().acceptable(params)

    def statement(self, p):
        full = ("`full=True`, which keeps the constant $\\tfrac12\\log 2\\pi$" if p["full"]
                else "`full=False`, which leaves out the constant $\\tfrac12\\log 2\\pi$")
        rows = " \\\\ ".join(f"{i + 1} & {_signed(a)} & {_signed(b)}" for i, (a, b) in enumerate(zip(p["y"], p["mu"])))
        return (f"A regression model predicts the means $\\mu_i$ of {len(p['y'])} targets:\n\n"
                rf"$$\begin{{array}}{{c|c|c}} i & y_i & \mu_i \\ \hline {rows} \end{{array}}$$"
                "\n\nThe means are fixed; one variance $v$ is shared by all examples and chosen to minimise the mean "
                r"Gaussian NLL $\hat R(v) = \frac1n \sum_i \tfrac12\left(\log v + \frac{(y_i - \mu_i)^2}{v}\right)$, "
                f"as `lr.gaussian_nll` computes it with {full}. Compute the minimising $v$ and the value "
                r"$\hat R(v)$ there, in that order.")

    def correct(self, p):
        v = M.mean(r * r for r in self._res(p))
        return [v, self._nll(v, p["full"])]

    def mistakes(self, p):
        res, n = self._res(p), len(p["y"])
        v, nll = self.correct(p)
        mean_r = M.mean(res)
        recentred = M.mean((r - mean_r) ** 2 for r in res)
        unbiased = v * n / (n - 1)
        c = _HALF_LOG_2PI if p["full"] else 0.0
        return [
            Mistake("std_not_var", [math.sqrt(v), nll],
                    "That is the root mean squared residual, a standard deviation; v is the variance, the mean of "
                    "the squared residuals itself."),
            Mistake("recentred", [recentred, self._nll(recentred, p["full"])],
                    "That subtracts the mean residual first, as a sample variance does. The means μᵢ are fixed, so "
                    "the variance is measured around them: v* = (1/n) Σ (yᵢ - μᵢ)²."),
            Mistake("unbiased", [unbiased, self._nll(unbiased, p["full"])],
                    f"That divides by n - 1 = {n - 1}. Setting dR/dv = 0 gives the mean of the squared residuals, "
                    f"divided by n = {n}."),
            Mistake("dropped_one", [v, 0.5 * math.log(v) + c],
                    "The NLL at v* is missing the second term: Σ rᵢ²/(n v*) = 1 there, so R̂ = ½(log v* + 1)."),
            Mistake("constant_mismatch", [v, nll - c if p["full"] else nll + _HALF_LOG_2PI],
                    "The NLL leaves out ½ log 2π, which full=True keeps." if p["full"]
                    else "The NLL includes ½ log 2π ≈ 0.919, which full=False leaves out."),
        ]

    def generic_feedback(self, problem, value):
        target = self.correct(problem.params)
        fmt = problem.answer
        if abs(value[0] - target[0]) <= fmt.atol + fmt.rtol * abs(target[0]):
            return "The variance is right; check the NLL there: ½(log v* + 1), natural log" + (
                ", plus ½ log 2π." if problem.params["full"] else ".")
        return super().generic_feedback(problem, value)

    def hints(self, problem):
        return [
            r"With $s = \frac1n \sum_i (y_i - \mu_i)^2$, $\hat R(v) = \tfrac12\left(\log v + \frac{s}{v}\right)$"
            + (r" $+ \tfrac12\log 2\pi$" if problem.params["full"] else "") + r": set $\hat R'(v) = 0$.",
            r"$\hat R'(v) = \frac{1}{2v} - \frac{s}{2v^2} = 0$ gives $v^\star = s$, and then "
            r"$\hat R(v^\star) = \tfrac12(\log s + 1)$" + (r" $+ \tfrac12\log 2\pi$." if problem.params["full"] else "."),
        ]

    def steps(self, p):
        res = self._res(p)
        v, nll = self.correct(p)
        last = r" + \tfrac12\log 2\pi" if p["full"] else ""
        return [
            rf"Residuals $\mu_i - y_i$: ${', '.join(f(r) for r in res)}$; squares: "
            rf"${', '.join(f(r * r) for r in res)}$.",
            rf"$\hat R'(v) = \frac{{1}}{{2v}} - \frac{{s}}{{2v^2}} = 0$ at $v^\star = s = "
            rf"{f(math.fsum(r * r for r in res))}/{len(res)} = {f(v)}$.",
            rf"$\hat R(v^\star) = \tfrac12(\log {f(v)} + 1){last} = {f(nll)}$.",
        ]


class LaplaceScaleMLE(NumericExercise):
    """The Laplace scale that maximises the likelihood of given residuals: b* = mean |r| (the MAE), and the mean
    NLL there, 1 + log(2 b*). The Laplace NLL |r|/b + log(2b) is the absolute error up to scale and constant."""

    id = "laplace.scale_mle"
    skill = "likelihood.mle"
    title = "The maximum-likelihood Laplace scale"
    kind = "vector"
    depth = "derive"

    def make_params(self, rng):
        n = rng.choice([4, 5])
        y = [_d(rng.uniform(-2.0, 6.0)) for _ in range(n)]
        return {"y": y, "mu": [_d(v + rng.choice([-1, 1]) * rng.uniform(0.2, 2.5)) for v in y]}

    def _res(self, p):
        return [round(m - v, 10) for m, v in zip(p["mu"], p["y"])]

    def acceptable(self, params):
        b = self.correct(params)[0]
        return abs(b - 1) > 0.1 and abs(b - 0.5) > 0.05 and super().acceptable(params)

    def statement(self, p):
        rows = " \\\\ ".join(f"{i + 1} & {_signed(a)} & {_signed(b)}" for i, (a, b) in enumerate(zip(p["y"], p["mu"])))
        return (f"A regression model predicts the centres $\\mu_i$ of {len(p['y'])} targets:\n\n"
                rf"$$\begin{{array}}{{c|c|c}} i & y_i & \mu_i \\ \hline {rows} \end{{array}}$$"
                "\n\nIt models each target as Laplace-distributed around its centre with one shared scale $b$, "
                r"density $\frac{1}{2b} e^{-|y - \mu|/b}$, so the mean negative log-likelihood is "
                r"$\hat R(b) = \frac1n \sum_i \left(\frac{|y_i - \mu_i|}{b} + \log 2b\right)$. The centres are fixed. "
                r"Compute the scale $b$ that minimises $\hat R$, and $\hat R$ there, in that order.")

    def correct(self, p):
        b = M.mean(abs(r) for r in self._res(p))
        return [b, 1.0 + math.log(2.0 * b)]

    def mistakes(self, p):
        res, n = self._res(p), len(p["y"])
        b, nll = self.correct(p)
        ms = M.mean(r * r for r in res)
        rms = math.sqrt(ms)
        return [
            Mistake("mean_squared", [ms, 1.0 + math.log(2.0 * ms)],
                    "That is the mean squared residual, the Gaussian variance's estimate. For the Laplace scale, "
                    "dR/db = -m/b² + 1/b = 0 with m the mean absolute residual gives b* = m."),
            Mistake("rms", [rms, 1.0 + math.log(2.0 * rms)],
                    "That is the root mean squared residual. The Laplace scale's estimate is the mean absolute "
                    "residual (the MAE), not a standard deviation."),
            Mistake("unbiased", [b * n / (n - 1), 1.0 + math.log(2.0 * b * n / (n - 1))],
                    f"That divides by n - 1 = {n - 1}; setting the derivative to 0 gives the mean over n = {n}."),
            Mistake("dropped_one", [b, math.log(2.0 * b)],
                    "The NLL at b* is missing its first term: the mean of |rᵢ|/b* is 1 there, so R̂ = 1 + log 2b*."),
            Mistake("dropped_two", [b, 1.0 + math.log(b)],
                    "The NLL at b* has log b* instead of log 2b*: the density's normaliser is 1/(2b)."),
        ]

    def generic_feedback(self, problem, value):
        b = self.correct(problem.params)[0]
        fmt = problem.answer
        if abs(value[0] - b) <= fmt.atol + fmt.rtol * abs(b):
            return "The scale is right; check the NLL there: 1 + log 2b*, natural log."
        return super().generic_feedback(problem, value)

    def hints(self, problem):
        return [
            r"With $m = \frac1n\sum_i |y_i - \mu_i|$, $\hat R(b) = \frac{m}{b} + \log 2 + \log b$: differentiate in $b$.",
            r"$\hat R'(b) = -\frac{m}{b^2} + \frac1b = 0$ gives $b^\star = m$, the mean absolute residual, and "
            r"$\hat R(b^\star) = 1 + \log 2m$.",
        ]

    def steps(self, p):
        res = self._res(p)
        b, nll = self.correct(p)
        return [
            rf"Absolute residuals $|y_i - \mu_i|$: ${', '.join(f(abs(r)) for r in res)}$; their mean "
            rf"$m = {f(math.fsum(abs(r) for r in res))}/{len(res)} = {f(b)}$.",
            r"$\hat R'(b) = -\frac{m}{b^2} + \frac1b = 0$ at $b^\star = m$; $\hat R$ falls before and rises after.",
            rf"$\hat R(b^\star) = 1 + \log(2 \cdot {f(b)}) = {f(nll)}$.",
        ]


EXERCISES = [ConstantMinimiser(), PinballMinimiser(), HuberMinimiser(), PoissonValue(), PoissonGrad(),
             PoissonRateMLE(), GaussianValue(), GaussianGrad(), GaussianVarianceMLE(), LaplaceScaleMLE()]
