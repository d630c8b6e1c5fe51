"""The losses in plain Python floats, for problems and checks where NumPy is not available.

Each function mirrors lossref's stable formula for one example; tests compare them with the NumPy
implementation to 1e-12.
"""

from __future__ import annotations

import math

__all__ = ["sigmoid", "softplus", "log_sigmoid", "logsumexp", "softmax", "bce_with_logits", "bce",
           "cross_entropy", "hinge", "squared_hinge", "logistic", "huber", "log_cosh", "quantile", "mean"]


def sigmoid(z: float) -> float:
    """1 / (1 + e^-z), with the exponential of a non-positive number only."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def softplus(x: float) -> float:
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def log_sigmoid(z: float) -> float:
    return -softplus(-z)


def _lse_parts(z: list[float]) -> tuple[float, float]:
    """(a, rest) with log sum_j e^{z_j} = a + log1p(rest): a = max z, rest the sum of e^{z_j - a} over
    every j but the maximum's. log1p keeps a tiny rest exact, so a confident loss is not rounded to 0."""
    k = max(range(len(z)), key=z.__getitem__)
    a = z[k]
    return a, math.fsum(math.exp(v - a) for j, v in enumerate(z) if j != k)


def logsumexp(z: list[float]) -> float:
    """log sum_j e^{z_j} = a + log1p(sum_{j != argmax} e^{z_j - a}), a = max z: nothing overflows."""
    a, rest = _lse_parts(z)
    return a + math.log1p(rest)


def softmax(z: list[float]) -> list[float]:
    a = max(z)
    e = [math.exp(v - a) for v in z]
    total = math.fsum(e)
    return [v / total for v in e]


def bce_with_logits(y: float, z: float, pos_weight: float = 1.0) -> float:
    """-[w y log sigma(z) + (1 - y) log(1 - sigma(z))] = w y softplus(-z) + (1 - y) softplus(z)."""
    return pos_weight * y * softplus(-z) + (1.0 - y) * softplus(z)


def bce(y: float, p: float) -> float:
    return -(y * math.log(p) + (1.0 - y) * math.log1p(-p))


def cross_entropy(label: int, z: list[float], label_smoothing: float = 0.0) -> float:
    """-sum_j t_j log softmax(z)_j with t the (smoothed) one-hot target."""
    a, rest = _lse_parts(z)
    log1p_rest = math.log1p(rest)
    c = len(z)
    target = [(1.0 - label_smoothing) * (j == label) + label_smoothing / c for j in range(c)]
    # -log softmax(z)_j = (a - z_j) + log1p(rest), both terms non-negative: no cancellation
    return math.fsum(t * ((a - v) + log1p_rest) for t, v in zip(target, z))


def hinge(y: float, s: float) -> float:
    return max(0.0, 1.0 - y * s)


def squared_hinge(y: float, s: float) -> float:
    return max(0.0, 1.0 - y * s) ** 2


def logistic(y: float, s: float) -> float:
    return softplus(-y * s)


def huber(r: float, delta: float = 1.0) -> float:
    a = abs(r)
    return 0.5 * r * r if a <= delta else delta * (a - 0.5 * delta)


def log_cosh(r: float) -> float:
    """log cosh r: |r| + log1p(e^{-2|r|}) - log 2 far out, log1p(2 sinh^2(r/2)) near 0 (no cancellation)."""
    a = abs(r)
    if a < 1.0:
        return math.log1p(2.0 * math.sinh(0.5 * a) ** 2)
    return a + math.log1p(math.exp(-2.0 * a)) - math.log(2.0)


def quantile(y: float, y_pred: float, tau: float) -> float:
    u = y - y_pred
    return max(tau * u, (tau - 1.0) * u)


def poisson_nll(y: float, y_pred: float, log_input: bool = True, eps: float = 1e-8) -> float:
    """Poisson NLL of one count without log y!: e^eta - y eta on the log-rate eta (log_input=True),
    or lam - y log(lam + eps) on the rate lam (eps keeps the log finite at a zero rate)."""
    if log_input:
        return math.exp(y_pred) - y * y_pred
    return y_pred - y * math.log(y_pred + eps)


def poisson_nll_grad(y: float, y_pred: float, log_input: bool = True, eps: float = 1e-8) -> float:
    """dL/d(y_pred): e^eta - y in the log-rate, 1 - y / (lam + eps) in the rate."""
    if log_input:
        return math.exp(y_pred) - y
    return 1.0 - y / (y_pred + eps)


_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def gaussian_nll(y: float, mu: float, var: float, full: bool = False, eps: float = 1e-6) -> float:
    """0.5 (log v + (y - mu)^2 / v) with v = max(var, eps) [+ 0.5 log 2 pi if full]."""
    v = max(var, eps)  # the clamp of lossref and torch: a zero variance would divide by 0
    loss = 0.5 * (math.log(v) + (y - mu) ** 2 / v)
    return loss + _HALF_LOG_2PI if full else loss


def gaussian_nll_grad_mean(y: float, mu: float, var: float, eps: float = 1e-6) -> float:
    """dL/dmu = (mu - y) / max(var, eps)."""
    return (mu - y) / max(var, eps)


def gaussian_nll_grad_var(y: float, mu: float, var: float, eps: float = 1e-6) -> float:
    """dL/dvar = (1 - r^2 / v) / (2 v) with r = mu - y, v = var above the clamp; 0 where the clamp holds."""
    if var < eps:
        return 0.0
    return (1.0 - (mu - y) ** 2 / var) / (2.0 * var)


def mean(values) -> float:
    values = list(values)
    return math.fsum(values) / len(values)


def focal(y: float, z: float, gamma: float = 2.0) -> float:
    """Sigmoid focal loss of one example on its logit: q^gamma * bce_with_logits(y, z).

    q = y (1 - sigma(z)) + (1 - y) sigma(z) is the probability given to the wrong answer (1 - p_t for a
    0/1 label). q^gamma is e^{gamma log q} with log q from log-sigmoids, so nothing overflows; gamma = 0
    gives bce_with_logits."""
    ce = bce_with_logits(y, z)
    if gamma == 0:
        return ce
    logs = []
    if y > 0:
        logs.append(math.log(y) - softplus(z))  # log(y (1 - p)), log(1 - p) = -softplus(z)
    if y < 1:
        logs.append(math.log1p(-y) - softplus(-z))  # log((1 - y) p), log p = -softplus(-z)
    return math.exp(gamma * logsumexp(logs)) * ce


def kl_divergence(target: list[float], z: list[float]) -> float:
    """KL(target || softmax(z)) = sum_j t_j (log t_j - log softmax(z)_j), with 0 log 0 = 0; never negative."""
    a, rest = _lse_parts(z)
    log1p_rest = math.log1p(rest)
    # -log softmax(z)_j = (a - z_j) + log1p(rest) >= 0, computed without cancellation
    terms = [t * (math.log(t) + (a - v) + log1p_rest) for t, v in zip(target, z) if t > 0]
    return max(math.fsum(terms), 0.0)


def softmax_hessian(z: list[float]) -> list[list[float]]:
    """The Hessian of softmax cross-entropy in the logits, diag(p) - p p^T with p = softmax(z).

    The gradient p - y is linear in p and y is a constant, so the label drops out: every target,
    one-hot or soft, gives the same Hessian (for a target that sums to 1)."""
    p = softmax(z)
    return [[p[i] * ((i == j) - p[j]) for j in range(len(p))] for i in range(len(p))]


def focal_grad(y: int, z: float, gamma: float = 2.0) -> float:
    """d/dz of the sigmoid focal loss -(1 - p_t)^gamma log p_t for a label y in {0, 1}.

    With p_t = sigma(z) for y = 1 and 1 - sigma(z) for y = 0, dp_t/dz = s p_t (1 - p_t) with
    s = +1 or -1, and the product rule gives s [gamma p_t (1 - p_t)^gamma log p_t - (1 - p_t)^(gamma + 1)].
    log p_t and log(1 - p_t) come from log-sigmoids, so a large |z| does not take the log of 0."""
    sign = 1.0 if y == 1 else -1.0
    log_pt = log_sigmoid(sign * z)  # p_t = sigma(s z)
    log_qt = log_sigmoid(-sign * z)  # 1 - p_t = sigma(-s z)
    pt = math.exp(log_pt)
    return sign * (gamma * pt * math.exp(gamma * log_qt) * log_pt - math.exp((gamma + 1.0) * log_qt))
