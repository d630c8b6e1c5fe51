"""Gaussian negative log-likelihood: the ``gaussian_nll`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._base import Loss
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._stable import HALF_LOG_2PI

__all__ = ["GaussianNLL", "ENTRY"]


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
    parameters = (
        Param("var", None,
              "Predicted variance sigma^2 (>= 0), of y_pred's shape or broadcastable to it (a scalar is one "
              "shared variance). Required.", required=True),
        Param("full", False,
              "Add the constant 0.5 log(2 pi), giving the exact Gaussian negative log-likelihood; the "
              "gradient is unchanged.",
              constraint=V.Flag()),
        Param("eps", 1e-6,
              "Lower clamp on the variance, so that a zero variance does not divide by zero (PyTorch's "
              "1e-6).",
              constraint=V.Real(low=0, low_open=True)),
    )

    def _check_params(self, params, pred):
        var = V.broadcast_param(params["var"], "var", pred.shape, pred.dtype, "y_pred", "variances")
        return {**params, "var": var}

    def _aligned_params(self, y, pred, params):
        return {"var": params["var"]}

    def _forward(self, y, y_pred, grad_out, *, var, full, eps, **_):
        v = np.maximum(var, y_pred.dtype.type(eps))  # torch's clamp: a zero variance would divide by 0
        r = y_pred - y
        loss = 0.5 * (np.log(v) + r * r / v)
        if full:
            loss += y_pred.dtype.type(HALF_LOG_2PI)
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


ENTRY = Entry(
    title="Gaussian negative log-likelihood",
    family="regression",
    page='gaussian-nll.md',
    formula=r"L = \tfrac12\left(\log v + \frac{(y - \hat y)^2}{v}\right) "
             r"\left[+\, \tfrac12 \log 2\pi \text{ if full}\right], \qquad v = \max(\sigma^2, \epsilon)",
    gradient=r"\frac{\partial L}{\partial \hat y} = \frac{\hat y - y}{\max(\sigma^2, \epsilon)}",
    second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = \frac{1}{\max(\sigma^2, \epsilon)} " r"\quad (\text{in the mean } \hat y\text{; the variance is held fixed})",
    target="real values",
    properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=False, calibrated=False),
    minimizer="the conditional mean E[y | x] for y_pred, whatever the variance; a learned variance is minimised "
               "at the conditional variance Var(y | x)",
    when_to_use="Regression that also predicts its own uncertainty (heteroscedastic noise): pass the predicted "
                 "variance as var; examples with a large predicted variance count less.",
    equivalents=(
        Eq("PyTorch", "torch.nn.functional.gaussian_nll_loss(y_pred, y, var)", True,
           "Same clamp (eps=1e-6) and constant (full=False). Broadcasting differs: torch accepts var with one "
           "dimension fewer than y_pred and appends an axis (one variance per row); lossref broadcasts like NumPy, "
           "so pass var[:, None] for per-row variances."),
        Eq("Keras 3",
           "keras.ops.mean(0.5 * (keras.ops.log(keras.ops.maximum(var, 1e-6)) + "
           "keras.ops.square(y - y_pred) / keras.ops.maximum(var, 1e-6)))", True,
           "Keras 3 has no Gaussian NLL loss; this is the formula with keras.ops."),
        Eq("optax",
           "jnp.mean(0.5 * (jnp.log(jnp.maximum(var, 1e-6)) + (y - y_pred) ** 2 / jnp.maximum(var, 1e-6)))", True,
           "optax has no Gaussian NLL; this is the formula with jax.numpy."),
        Eq("scikit-learn",
           "np.mean(0.5 * (np.log(np.maximum(var, 1e-6)) + (y - y_pred) ** 2 / np.maximum(var, 1e-6)))", True,
           "scikit-learn has no Gaussian NLL metric; this is the formula with NumPy. "
           "-scipy.stats.norm.logpdf(y, y_pred, np.sqrt(var)).mean() is the full=True value without the clamp."),
    ),
    notes=(
        "lossref's gradient is with respect to the mean y_pred only. To train the variance too, its derivative is "
        "0.5 (1/v - (y - y_pred)^2 / v^2) (0 where the clamp is active).",
        "A learned variance can collapse on examples the mean already fits, sending the loss towards -infinity: "
        "floor or regularise it (eps only prevents division by zero).",
        "The mean's gradient is divided by the variance, so badly fit examples given a large variance get little "
        "signal (Seitzer et al., 2022, propose the beta-NLL remedy).",
    ),
    references=(
        "Nix, D. A. & Weigend, A. S. (1994). Estimating the mean and variance of the target probability "
        "distribution. IEEE ICNN.",
        "Seitzer, M. et al. (2022). On the Pitfalls of Heteroscedastic Uncertainty Estimation with Probabilistic "
        "Neural Networks. ICLR. https://arxiv.org/abs/2203.09168",
        "https://pytorch.org/docs/stable/generated/torch.nn.GaussianNLLLoss.html",
    ),
)
