"""Log-cosh loss: the ``log_cosh`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .._base import Loss
from .._info import Entry
from .._info import Equivalent as Eq
from .._info import Properties as P
from ._sentences import KERAS_ELEMENTWISE

__all__ = ["LogCosh", "ENTRY"]


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
    parameters = ()

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


ENTRY = Entry(
    title="Log-cosh loss",
    family="regression",
    page='log-cosh.md',
    formula=r"L(y, \hat y) = \log\cosh(\hat y - y)",
    gradient=r"\frac{\partial L}{\partial \hat y} = \tanh(\hat y - y)",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = 1 - \tanh^2(\hat y - y) = \frac{1}{\cosh^2(\hat y - y)}",
    target="real values",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                 robust_to_outliers=True, calibrated=False),
    minimizer="the m solving E[tanh(m - y) | x] = 0: the conditional mean (= median) for symmetric noise, less "
               "pulled by outliers than the mean",
    when_to_use="Like huber without a threshold to tune: about r^2/2 near zero and |r| - log 2 far out, and "
                 "smooth to every order, which suits methods that use second derivatives.",
    equivalents=(
        Eq("PyTorch", "(torch.logaddexp(y_pred - y, y - y_pred) - math.log(2)).mean()", True,
           "PyTorch has no log-cosh loss; this stable form equals log(cosh(r)). torch.log(torch.cosh(y_pred - y)) "
           "is the same in exact arithmetic but overflows to inf for |r| > 89 (float32) or 710 (float64)."),
        Eq("Keras 3", "keras.losses.LogCosh()(y, y_pred)", True,
           "Computed stably as r + softplus(-2r) - log 2. " + KERAS_ELEMENTWISE),
        Eq("optax", "optax.losses.log_cosh(y_pred, y).mean()", True,
           "Computed stably with logaddexp; per-element values."),
        Eq("scikit-learn", "np.mean(np.logaddexp(y_pred - y, y - y_pred) - np.log(2))", True,
           "scikit-learn has no log-cosh metric; this is the stable formula with NumPy."),
    ),
    notes=(
        "Never compute log(cosh(r)) directly: cosh overflows for |r| > 89 in float32 and 710 in float64. lossref "
        "uses |r| + log1p(exp(-2|r|)) - log 2.",
        "There is no scale parameter: the switch from quadratic to linear happens at |r| of about 1 in the units "
        "of "
        "y, so standardise the targets (or divide the residual by a scale) to move it.",
    ),
    references=(
        "Chen, P., Chen, G. & Zhang, S. (2019). Log Hyperbolic Cosine Loss Improves Variational Auto-Encoder. "
        "https://openreview.net/forum?id=rkglvsC9Ym",
    ),
)
