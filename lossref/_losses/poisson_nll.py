"""Poisson negative log-likelihood: the ``poisson_nll`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._stable import HALF_LOG_2PI
from ._sentences import KERAS_ELEMENTWISE

__all__ = ["PoissonNLL", "ENTRY"]


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
    parameters = (
        Param("log_input", True,
              "True: y_pred is the log-rate and the rate is exp(y_pred). False: y_pred is the rate itself "
              "(>= 0).",
              constraint=V.Flag()),
        Param("full", False,
              "Add Stirling's approximation of log(y!), y log y - y + 0.5 log(2 pi y) for y > 1 (as PyTorch "
              "does); it does not depend on y_pred, so the gradient is unchanged.",
              constraint=V.Flag()),
        Param("eps", 1e-8,
              "Added to the rate inside the log when log_input=False, so a zero rate gives a finite loss.",
              constraint=V.Real(low=0, low_open=True)),
    )

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
            stirling = safe * np.log(safe) - safe + HALF_LOG_2PI + 0.5 * np.log(safe)
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


ENTRY = Entry(
    title="Poisson negative log-likelihood",
    family="regression",
    page='poisson-nll.md',
    formula=r"L = e^{\hat y} - y\,\hat y \ \ (\text{log\_input=True}), \qquad "
             r"L = \hat y - y \log(\hat y + \epsilon) \ \ (\text{log\_input=False}), \qquad "
             r"\left[+\, y \log y - y + \tfrac12 \log(2\pi y) \text{ for } y > 1 \text{ if full}\right]",
    gradient=r"\frac{\partial L}{\partial \hat y} = e^{\hat y} - y \ \ (\text{log\_input=True}), \qquad "
              r"1 - \frac{y}{\hat y + \epsilon} \ \ (\text{log\_input=False})",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = e^{\hat y} \ \ (\text{log\_input=True}), \qquad " r"\frac{y}{(\hat y + \epsilon)^2} \ \ (\text{log\_input=False})",
    target="non-negative counts (y >= 0; need not be integers)",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=False),
    minimizer="the conditional mean count E[y | x]: exp(y_pred) = E[y | x] with log_input=True, "
               "y_pred = E[y | x] (up to eps) with log_input=False",
    when_to_use="Counts (events, arrivals, clicks) modelled as Poisson with a predicted rate; predict the "
                 "log-rate (log_input=True) so the rate stays positive without clipping.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.poisson_nll_loss(y_pred, y)", True,
           "Same defaults (log_input=True, full=False, eps=1e-8) and the same Stirling term with full=True."),
        Eq("Keras 3", "keras.losses.Poisson()(y, keras.ops.exp(y_pred))", False,
           "keras.losses.Poisson takes the rate, not its log, and computes rate - y log(rate + 1e-7): it is "
           "lossref's "
           "log_input=False with eps=1e-7, and differs from the log_input=True value by y (log(rate) - "
           "log(rate + 1e-7)), visible only for rates near 1e-7 or below. Exact value: "
           "keras.ops.mean(keras.ops.exp(y_pred) - y * y_pred). " + KERAS_ELEMENTWISE),
        Eq("optax", "jnp.mean(jnp.exp(y_pred) - y * y_pred)", True,
           "optax has no Poisson loss; this is the log_input=True formula with jax.numpy."),
        Eq("scikit-learn", "sklearn.metrics.mean_poisson_deviance(y, np.exp(y_pred))", False,
           "The deviance 2 (y log(y / mu) - y + mu) is twice lossref's loss plus a term in y alone: "
           "mean_poisson_deviance(y, np.exp(y_pred)) / 2 - np.mean(scipy.special.xlogy(y, y) - y) is lossref's "
           "value. Same minimiser; the deviance is 0 for a perfect fit, lossref's loss is not."),
    ),
    notes=(
        "The loss omits log(y!) and can be negative, so its value is not comparable across datasets; full=True "
        "adds Stirling's approximation (exact for y in {0, 1}, where log(y!) = 0).",
        "With log_input=False a zero rate for a positive count costs -y log(eps), huge but finite; predicting "
        "log-rates avoids this.",
        "A log-rate whose exponential overflows the dtype (above 88.7 in float32, 709.8 in float64) raises a "
        "ValueError instead of returning inf.",
    ),
    references=(
        "McCullagh, P. & Nelder, J. A. (1989). Generalized Linear Models, 2nd ed. Chapman & Hall.",
        "https://pytorch.org/docs/stable/generated/torch.nn.PoissonNLLLoss.html",
    ),
)
