"""Regression losses: the prediction is a real value ``y_pred`` and the target a real ``y``.

Each loss is applied element by element; with ``reduction="mean"`` the mean runs over all
elements (as in PyTorch), and ``sample_weight`` may give one weight per row.
"""

from __future__ import annotations

import numpy as np

from . import _validation as V
from ._base import REQUIRED, Loss

__all__ = ["MSE", "MAE", "Huber", "SmoothL1", "LogCosh", "Quantile", "PoissonNLL", "GaussianNLL"]


class MSE(Loss):
    r"""Squared error, $L = (\hat y - y)^2$, or $\tfrac12(\hat y - y)^2$ with ``half=True``.

    Gradient: $\partial L/\partial \hat y = 2(\hat y - y)$, or $\hat y - y$ with
    ``half=True``: the residual itself, the reason textbooks carry the 1/2.

    The population minimiser is the conditional mean $E[y \mid x]$.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.mse([2.0, 3.0], [1.0, 2.0])
    np.float64(1.0)
    >>> lr.mse([2.0, 3.0], [1.0, 2.0], half=True)
    np.float64(0.5)
    >>> lr.mse.grad([2.0, 3.0], [1.0, 2.0], half=True)   # (y_pred - y) / n
    array([-0.5, -0.5])
    """

    name = "mse"
    defaults = {"half": False}
    nonfinite_propagates = True  # (y_pred - y)^2 is inf or NaN when either is: no separate check

    def _check_params(self, params, pred):
        if not isinstance(params["half"], (bool, np.bool_)):
            raise TypeError(f"half must be True or False; got {params['half']!r}")
        return params

    def _grad_factor(self, params):
        return 1.0 if params["half"] else 2.0

    def _forward(self, y, y_pred, grad_out, *, half, each=True, **_):
        r = np.subtract(y_pred, y, out=grad_out)  # the residual: the gradient up to the factor above
        if not each and r.dtype == np.float64:
            # Only the total is needed: a sum of squares without a temporary array (einsum's own
            # loop, not np.dot, which may start BLAS threads for every block). Its plain running
            # sum is accurate enough in float64 only; float32 takes the pairwise sum below.
            flat = r.ravel()
            total = np.einsum("i,i->", flat, flat)
            return total * 0.5 if half else total
        loss = r * r
        if half:
            loss *= 0.5
        return loss


    def _forward_hess(self, y, y_pred, *, half, **_):
        """d^2/dy_pred^2 of (y_pred - y)^2 is 2 (1 with ``half=True``), whatever the residual."""
        return np.full_like(y_pred, 1.0 if half else 2.0)

class MAE(Loss):
    r"""Absolute error, $L = |\hat y - y|$.

    Gradient: $\operatorname{sign}(\hat y - y)$; at $\hat y = y$ any value in
    [-1, 1] is a subgradient and lossref returns 0. The minimiser is the conditional median.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.mae([0.0, 0.0, 0.0], [1.0, -2.0, 0.0], reduction="none")
    array([1., 2., 0.])
    >>> lr.mae.grad([0.0, 0.0, 0.0], [1.0, -2.0, 0.0], reduction="sum")
    array([ 1., -1.,  0.])
    """

    name = "mae"
    defaults = {}

    def _forward(self, y, y_pred, grad_out, **_):
        r = y_pred - y
        if grad_out is not None:
            np.sign(r, out=grad_out)
        return np.abs(r)


    def _forward_hess(self, y, y_pred, **_):
        """|r| is linear on each side of 0: the second derivative is 0 there, undefined at r = 0 (0 returned)."""
        return np.zeros_like(y_pred)

class Huber(Loss):
    r"""Huber loss with threshold $\delta$: quadratic for small residuals, linear beyond.

    $$
    L = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\ \delta\,(|r| - \tfrac12\delta) & |r| > \delta \end{cases},
    \qquad \frac{\partial L}{\partial \hat y} = \operatorname{clip}(r, -\delta, \delta),
    \qquad r = \hat y - y.
    $$

    The two pieces meet with equal value and slope at $|r| = \delta$, so the loss is
    differentiable everywhere and its gradient is bounded by $\delta$. Same as
    ``torch.nn.HuberLoss(delta=delta)``; ``smooth_l1`` is this divided by $\delta$.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.huber([0.0, 0.0], [0.5, 3.0], reduction="none")
    array([0.125, 2.5  ])
    >>> lr.huber.grad([0.0, 0.0], [0.5, 3.0], reduction="sum")
    array([0.5, 1. ])
    """

    name = "huber"
    defaults = {"delta": 1.0}

    def _check_params(self, params, pred):
        V.check_scalar(params["delta"], "delta", low=0, low_open=True)
        return params

    def _forward(self, y, y_pred, grad_out, *, delta, **_):
        r = y_pred - y
        a = np.abs(r)
        loss = np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))
        if grad_out is not None:
            np.clip(r, -delta, delta, out=grad_out)
        return loss.astype(y_pred.dtype, copy=False)


    def _forward_hess(self, y, y_pred, *, delta, **_):
        """1 on the quadratic piece (|r| <= delta, the boundary included, as in the loss), 0 on the linear ones.

        At |r| = delta the gradient clip(r) has a corner: the one-sided second derivatives are 1
        and 0, and lossref returns the quadratic piece's 1.
        """
        return (np.abs(y_pred - y) <= delta).astype(y_pred.dtype)

class SmoothL1(Loss):
    r"""Smooth L1 loss (PyTorch's ``SmoothL1Loss``) with threshold $\beta$.

    $$
    L = \begin{cases} \tfrac12 r^2/\beta & |r| < \beta \\ |r| - \tfrac12\beta & |r| \ge \beta \end{cases},
    \qquad \frac{\partial L}{\partial \hat y} = \operatorname{clip}(r/\beta, -1, 1).
    $$

    It equals ``huber(delta=beta) / beta`` for $\beta > 0$, and like Huber it is then
    differentiable everywhere with gradient bounded by 1. ``beta=0`` gives the absolute error,
    which has a kink at $r = 0$ (the gradient there is 0, ``np.sign(0)``).

    Examples
    --------
    >>> import lossref as lr
    >>> lr.smooth_l1([0.0, 0.0], [0.5, 3.0], reduction="none")
    array([0.125, 2.5  ])
    >>> lr.smooth_l1([0.0, 0.0], [0.5, 3.0], beta=2.0, reduction="none")
    array([0.0625, 2.    ])
    """

    name = "smooth_l1"
    defaults = {"beta": 1.0}

    def _check_params(self, params, pred):
        V.check_scalar(params["beta"], "beta", low=0)
        return params

    def _forward(self, y, y_pred, grad_out, *, beta, **_):
        r = y_pred - y
        a = np.abs(r)
        if beta == 0:  # the limit beta -> 0 is the absolute error; avoid 0/0
            if grad_out is not None:
                np.sign(r, out=grad_out)
            return a
        loss = np.where(a < beta, 0.5 * r * r / beta, a - 0.5 * beta)
        if grad_out is not None:
            np.clip(r / beta, -1, 1, out=grad_out)
        return loss.astype(y_pred.dtype, copy=False)


    def _forward_hess(self, y, y_pred, *, beta, **_):
        """1/beta on the quadratic piece (|r| < beta), 0 beyond; 0 everywhere when beta = 0 (the absolute error).

        At |r| = beta the one-sided values are 1/beta and 0; lossref returns 0, as the loss puts
        |r| = beta on the linear piece.
        """
        if beta == 0:
            return np.zeros_like(y_pred)
        inside = np.abs(y_pred - y) < beta
        return np.where(inside, y_pred.dtype.type(1 / beta), y_pred.dtype.type(0))

class LogCosh(Loss):
    r"""Log-cosh loss, $L = \log\cosh(\hat y - y)$, with gradient $\tanh(\hat y - y)$.

    Quadratic near zero ($r^2/2$) and linear far out ($|r| - \log 2$), smooth
    everywhere, gradient bounded by 1. Computed as
    $|r| + \operatorname{log1p}(e^{-2|r|}) - \log 2$ for $|r| \ge 1$ (``cosh(r)``
    itself overflows for $|r| > 89$ in float32 and 710 in float64) and as
    $\operatorname{log1p}(2\sinh^2(r/2))$ below, where the first form would cancel.

    Examples
    --------
    >>> import lossref as lr
    >>> float(lr.log_cosh([0.0], [1000.0]))   # finite where log(cosh(r)) overflows
    999.3068528194401
    """

    name = "log_cosh"
    defaults = {}

    def _forward(self, y, y_pred, grad_out, **_):
        r = y_pred - y
        a = np.abs(r)
        # Far out: log cosh r = |r| + log1p(e^{-2|r|}) - log 2, where cosh itself would overflow.
        far = a + np.log1p(np.exp(-2 * a)) - y_pred.dtype.type(np.log(2.0))
        # Near 0 that subtracts numbers close to log 2 from each other and loses the r^2/2; there
        # log cosh r = log1p(cosh r - 1) = log1p(2 sinh(r/2)^2) is exact (|r| clipped: no overflow).
        half_sinh = np.sinh(np.minimum(a, 1) / 2)
        near = np.log1p(2 * half_sinh * half_sinh)
        loss = np.where(a < 1, near, far)
        if grad_out is not None:
            np.tanh(r, out=grad_out)
        return loss


    def _forward_hess(self, y, y_pred, **_):
        r"""$1 - \tanh^2 r = 1/\cosh^2 r$, computed as $4t/(1+t)^2$ with $t = e^{-2|r|} \le 1$.

        ``cosh`` itself would overflow for large residuals and $1 - \tanh^2 r$ cancels to exactly 0
        once $\tanh r$ rounds to 1 (from |r| = 19 in float64); this form keeps the tail $4e^{-2|r|}$.
        """
        t = np.exp(-2 * np.abs(y_pred - y))
        return 4 * t / ((1 + t) * (1 + t))

class Quantile(Loss):
    r"""Quantile (pinball) loss at level $\tau \in (0, 1)$.

    With the residual $u = y - \hat y$,

    $$
    L = \max(\tau u, (\tau - 1) u), \qquad
    \frac{\partial L}{\partial \hat y} = \begin{cases} -\tau & y > \hat y \\ 1 - \tau & y < \hat y \end{cases}
    $$

    (0 at a tie, a valid subgradient). The minimiser is the conditional $\tau$-quantile.
    At $\tau = 0.5$ it is half the absolute error, as in scikit-learn's
    ``mean_pinball_loss(alpha=0.5)``.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.quantile([1.0, 1.0], [0.0, 3.0], tau=0.9, reduction="none")
    array([0.9, 0.2])
    """

    name = "quantile"
    defaults = {"tau": 0.5}

    def _check_params(self, params, pred):
        V.check_scalar(params["tau"], "tau", low=0, high=1, low_open=True, high_open=True)
        return params

    def _forward(self, y, y_pred, grad_out, *, tau, **_):
        u = y - y_pred
        loss = np.maximum(tau * u, (tau - 1) * u)
        if grad_out is not None:
            grad_out[...] = np.where(u > 0, -tau, np.where(u < 0, 1 - tau, 0))
        return loss.astype(y_pred.dtype, copy=False)


    def _forward_hess(self, y, y_pred, **_):
        """Linear on each side of y = y_pred: 0 there, undefined at the tie (0 returned)."""
        return np.zeros_like(y_pred)

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


class PoissonNLL(Loss):
    r"""Poisson negative log-likelihood for counts $y \ge 0$.

    With ``log_input=True`` (default) the prediction is the log-rate $\eta$:

    $$
    L = e^{\eta} - y\,\eta, \qquad \partial L/\partial\eta = e^{\eta} - y.
    $$

    With ``log_input=False`` it is the rate $\lambda \ge 0$:
    $L = \lambda - y \log(\lambda + \epsilon)$, gradient $1 - y/(\lambda+\epsilon)$.

    The constant $\log y!$ is dropped unless ``full=True``, which adds Stirling's
    approximation $y\log y - y + \tfrac12\log(2\pi y)$ for $y > 1$ (0 otherwise),
    exactly as ``torch.nn.PoissonNLLLoss``. The minimiser is $\lambda = E[y \mid x]$.

    A log-rate above $\log(\text{max float})$ (88.7 in float32, 709.8 in float64)
    means a rate that does not exist in that dtype; lossref raises instead of returning inf.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.poisson_nll([2.0], [0.0], reduction="none")       # e^0 - 2*0
    array([1.])
    """

    name = "poisson_nll"
    pred_name = "y_pred"
    defaults = {"log_input": True, "full": False, "eps": 1e-8}

    def _check_params(self, params, pred):
        for flag in ("log_input", "full"):
            if not isinstance(params[flag], (bool, np.bool_)):
                raise TypeError(f"{flag} must be True or False; got {params[flag]!r}")
        V.check_scalar(params["eps"], "eps", low=0, low_open=True)
        return params

    def _check_block(self, y, y_pred, start, params):
        V.check_nonnegative(y, "y", "counts", start)
        if params["log_input"]:
            limit = float(np.log(np.finfo(y_pred.dtype).max))
            V.check_at_most(
                y_pred, "y_pred", limit, f"log-rates (log_input=True) whose rate exp(y_pred) fits in {y_pred.dtype}", start
            )
        else:
            V.check_nonnegative(y_pred, "y_pred", "rates", start, when=" with log_input=False")

    def _forward(self, y, y_pred, grad_out, *, log_input, full, eps, **_):
        if log_input:
            rate = np.exp(y_pred)
            loss = rate - y * y_pred
            if grad_out is not None:
                np.subtract(rate, y, out=grad_out)
        else:
            shifted = y_pred + y_pred.dtype.type(eps)  # eps keeps log away from 0 at a zero rate
            loss = y_pred - y * np.log(shifted)
            if grad_out is not None:
                np.subtract(1, y / shifted, out=grad_out)
        if full:
            big = y > 1
            safe = np.where(big, y, 1)
            stirling = safe * np.log(safe) - safe + _HALF_LOG_2PI + 0.5 * np.log(safe)
            loss = loss + np.where(big, stirling, 0).astype(y_pred.dtype)
        return loss


    def _forward_hess(self, y, y_pred, *, log_input, eps, **_):
        r"""$e^{\eta}$ in the log-rate; $y/(\lambda + \epsilon)^2$ in the rate. ``full``'s term depends on y only.

        The log-rate was checked against log(max float), so $e^\eta$ is finite.
        """
        if log_input:
            return np.exp(y_pred)
        shifted = y_pred + y_pred.dtype.type(eps)
        return y / (shifted * shifted)

class GaussianNLL(Loss):
    r"""Gaussian negative log-likelihood of ``y`` under $\mathcal N(\hat y, \sigma^2)$.

    $$
    L = \tfrac12\left(\log \max(\sigma^2, \epsilon) + \frac{(y - \hat y)^2}{\max(\sigma^2, \epsilon)}\right)
    \;[+\, \tfrac12 \log 2\pi \text{ if full}], \qquad
    \frac{\partial L}{\partial \hat y} = \frac{\hat y - y}{\max(\sigma^2, \epsilon)}.
    $$

    ``var`` is the predicted variance, of the prediction's shape or broadcastable to it
    (a shared variance), and must be non-negative. The clamp at ``eps`` matches
    ``torch.nn.GaussianNLLLoss``. The gradient is taken with respect to the mean ``y_pred``.

    Examples
    --------
    >>> import lossref as lr
    >>> lr.gaussian_nll([1.0], [0.0], var=1.0, reduction="none")
    array([0.5])
    """

    name = "gaussian_nll"
    defaults = {"var": REQUIRED, "full": False, "eps": 1e-6}

    def _check_params(self, params, pred):
        if not isinstance(params["full"], (bool, np.bool_)):
            raise TypeError(f"full must be True or False; got {params['full']!r}")
        V.check_scalar(params["eps"], "eps", low=0, low_open=True)
        var = np.asarray(params["var"])
        if var.dtype.kind not in "iuf" or var.dtype.kind == "b":
            raise TypeError(f"var has dtype {var.dtype}; expected non-negative numbers")
        var = var.astype(pred.dtype, copy=False)
        try:
            var = np.broadcast_to(var, pred.shape)  # a read-only view: no copy
        except ValueError:
            raise ValueError(
                f"var must have the shape of y_pred {pred.shape} or broadcast to it; got {var.shape}"
            ) from None
        V.check_finite(var, "var")
        V.check_nonnegative(var, "var", "variances")
        return {**params, "var": var}

    def _aligned_params(self, y, pred, params):
        return {"var": params["var"]}

    def _forward(self, y, y_pred, grad_out, *, var, full, eps, **_):
        v = np.maximum(var, y_pred.dtype.type(eps))  # torch's clamp: a zero variance would divide by 0
        r = y_pred - y
        loss = 0.5 * (np.log(v) + r * r / v)
        if full:
            loss += y_pred.dtype.type(_HALF_LOG_2PI)
        if grad_out is not None:
            np.divide(r, v, out=grad_out)
        return loss

    def _forward_hess(self, y, y_pred, *, var, eps, **_):
        r"""$1/\max(\sigma^2, \epsilon)$ in the mean ``y_pred``, whatever the residual.

        ``hess`` differentiates in the mean only. In the variance $v$ (where $v > \epsilon$) the
        second derivative would be $-1/(2v^2) + r^2/v^3$ and the mixed one $-r/v^2$; the 2 x 2
        Hessian in (mean, variance) has determinant $-1/(2v^3) < 0$, so the loss is never jointly
        convex in the two.
        """
        return 1 / np.maximum(var, y_pred.dtype.type(eps))
