"""Metadata of the built-in losses: the single source of the site's tables and framework tabs.

Every entry has the same keys: ``title``, ``family``, ``formula``, ``gradient`` and
``second_derivative`` (KaTeX; the latter with a note where it is 0 almost everywhere or undefined at a kink),
``target``, ``properties``, ``minimizer``, ``when_to_use``, ``param_docs`` (one sentence per
parameter in the loss's ``defaults``), ``equivalents`` (PyTorch, Keras 3, optax, scikit-learn, in
that order), ``notes`` (pitfalls) and ``references``.

An equivalent is ``same=True`` only when its ``call`` returns lossref's number for lossref's
default parameters with ``reduction="mean"`` and no weights; otherwise ``difference`` says what
differs and how to convert. Calls use lossref's names: ``y`` for the target, ``y_pred`` /
``probs`` / ``logits`` / ``scores`` for the prediction.
"""

from __future__ import annotations

from ._info import Equivalent as Eq
from ._info import Properties as P

__all__ = ["CATALOG"]

_KERAS_FLOAT32 = (
    "Expect float32 rounding (about 1e-7 relative): Keras 3.15 on the JAX and PyTorch backends reduces in float32 even "
    "with keras.config.set_floatx(\"float64\")."
)
# Shared sentences of the Keras tabs (Keras 3 reduces each sample over the last axis first, then over the batch).
_KERAS_ELEMENTWISE = (
    "Keras first averages over the last axis (one value per sample), so give 1-D data the shape (n, 1) when passing "
    "per-example sample_weight. With sample_weight the default reduction \"sum_over_batch_size\" divides by the "
    "number of samples, not by the sum of weights; reduction=\"mean_with_sample_weight\" (Keras >= 3.7) gives "
    "lossref's weighted mean. " + _KERAS_FLOAT32
)
_KERAS_ROWS = (
    "With sample_weight the default reduction \"sum_over_batch_size\" divides by the number of rows, not by the sum "
    "of weights; reduction=\"mean_with_sample_weight\" (Keras >= 3.7) gives lossref's weighted mean. " + _KERAS_FLOAT32
)
_SKLEARN_WEIGHTED = "With sample_weight it is the weighted mean sum(w*l)/sum(w), as in lossref."

CATALOG: dict[str, dict] = {
    # ------------------------------------------------------------------------------------------ regression
    "mse": dict(
        title="Mean squared error",
        family="regression",
        formula=r"L(y, \hat y) = (\hat y - y)^2 \quad\text{or}\quad \tfrac12(\hat y - y)^2 \text{ with half=True}",
        gradient=(r"\frac{\partial L}{\partial \hat y} = 2(\hat y - y) \quad\text{or}\quad "
                  r"\hat y - y \text{ with half=True}"),
        second_derivative=(r"\frac{\partial^2 L}{\partial \hat y^2} = 2 \quad\text{or}\quad 1 \text{ with half=True}" r"\quad (\text{the same for every residual})"),
        target="real values",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                     robust_to_outliers=False, calibrated=False),
        minimizer="the conditional mean, E[y | x]",
        when_to_use="Regression with roughly Gaussian noise, when large errors should cost much more than small ones.",
        param_docs={"half": "Multiply by 1/2 so that the gradient is the residual y_pred - y (the textbook "
                            "convention)."},
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.mse_loss(y_pred, y)", True,
               "No 1/2: equals lossref with half=False; for half=True divide by 2. Argument order is (input, target)."),
            Eq("Keras 3", "keras.losses.MeanSquaredError()(y, y_pred)", True,
               "No 1/2. " + _KERAS_ELEMENTWISE),
            Eq("optax", "optax.losses.squared_error(y_pred, y).mean()", True,
               "squared_error returns per-element values (take the mean); optax.losses.l2_loss is 0.5 * squared_error, "
               "lossref's half=True."),
            Eq("scikit-learn", "sklearn.metrics.mean_squared_error(y, y_pred)", True,
               "A metric (no gradient), no 1/2. " + _SKLEARN_WEIGHTED),
        ),
        notes=(
            "Two conventions exist: (y_pred - y)^2 (PyTorch, Keras, scikit-learn, optax squared_error, lossref's "
            "default) "
            "and 1/2 (y_pred - y)^2 (Bishop, optax l2_loss, half=True). They differ by a factor 2 in value and "
            "gradient, "
            "which a fixed learning rate absorbs.",
            "The loss is in squared units of y and one large residual can dominate the mean; with outliers prefer "
            "huber, "
            "log_cosh or mae.",
        ),
        references=(
            "https://en.wikipedia.org/wiki/Mean_squared_error",
            "Bishop, C. M. (2006). Pattern Recognition and Machine Learning, Section 1.5.5. Springer.",
        ),
    ),
    "mae": dict(
        title="Mean absolute error",
        family="regression",
        formula=r"L(y, \hat y) = |\hat y - y|",
        gradient=(r"\frac{\partial L}{\partial \hat y} = \operatorname{sign}(\hat y - y) "
                  r"\quad (0 \text{ at } \hat y = y)"),
        second_derivative=(r"\frac{\partial^2 L}{\partial \hat y^2} = 0 \text{ for } \hat y \ne y; \ " r"\text{undefined at } \hat y = y \ (\text{lossref returns } 0)"),
        target="real values",
        properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                     robust_to_outliers=True, calibrated=False),
        minimizer="the conditional median, median(y | x)",
        when_to_use=("Regression with heavy-tailed noise or outliers, or when the median rather than the mean is "
                     "wanted."),
        param_docs={},
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.l1_loss(y_pred, y)", True, "Argument order is (input, target)."),
            Eq("Keras 3", "keras.losses.MeanAbsoluteError()(y, y_pred)", True, _KERAS_ELEMENTWISE),
            Eq("optax", "jnp.abs(y_pred - y).mean()", True,
               "optax has no absolute-error loss; this is the formula with jax.numpy."),
            Eq("scikit-learn", "sklearn.metrics.mean_absolute_error(y, y_pred)", True,
               "A metric (no gradient). " + _SKLEARN_WEIGHTED),
        ),
        notes=(
            "At a zero residual lossref returns the subgradient 0; any value in [-1, 1] is valid there.",
            "The gradient has magnitude 1 for every nonzero residual, so a fixed step size makes gradient descent "
            "oscillate around the optimum: decay the step, or use huber or smooth_l1.",
        ),
        references=("https://en.wikipedia.org/wiki/Mean_absolute_error",),
    ),
    "huber": dict(
        title="Huber loss",
        family="regression",
        formula=(r"L = \begin{cases} \tfrac12 (\hat y - y)^2 & |\hat y - y| \le \delta \\ "
                 r"\delta\left(|\hat y - y| - \tfrac12\delta\right) & |\hat y - y| > \delta \end{cases}"),
        gradient=r"\frac{\partial L}{\partial \hat y} = \operatorname{clip}(\hat y - y,\ -\delta,\ \delta)",
        second_derivative=(r"\frac{\partial^2 L}{\partial \hat y^2} = \begin{cases} 1 & |\hat y - y| \le \delta \\ " r"0 & |\hat y - y| > \delta \end{cases} \quad (\text{one-sided values 1 and 0 at } " r"|\hat y - y| = \delta\text{; lossref returns } 1)"),
        target="real values",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                     robust_to_outliers=True, calibrated=False),
        minimizer=("the conditional Huber location: the m solving E[clip(m - y, -delta, delta) | x] = 0; "
                   "for symmetric noise it is the conditional mean (= median)"),
        when_to_use=("Regression with occasional outliers: squared error for residuals up to delta, absolute error "
                     "beyond, so no single residual dominates the gradient. Set delta near the noise scale of the "
                     "inliers."),
        param_docs={"delta": "Residual size where the loss turns from quadratic to linear; the gradient is clipped to "
                             "[-delta, delta]. Must be > 0."},
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.huber_loss(y_pred, y, delta=1.0)", True,
               "Same definition (torch.nn.HuberLoss). smooth_l1_loss(beta=delta) is this divided by delta."),
            Eq("Keras 3", "keras.losses.Huber(delta=1.0)(y, y_pred)", True,
               "Same piecewise formula (delta * |r| - delta^2 / 2 beyond delta). " + _KERAS_ELEMENTWISE),
            Eq("optax", "optax.losses.huber_loss(y_pred, y, delta=1.0).mean()", True,
               "Per-element values; take the mean."),
            Eq("scikit-learn",
               "np.mean(np.where(np.abs(y_pred - y) <= 1.0, 0.5 * (y_pred - y) ** 2, "
               "1.0 * (np.abs(y_pred - y) - 0.5 * 1.0)))", True,
               "scikit-learn has no Huber metric; this is the formula with NumPy for delta=1. "
               "SGDRegressor(loss=\"huber\", "
               "epsilon=delta) trains with this loss, and HuberRegressor(epsilon=...) fits a scale-normalised variant "
               "(epsilon multiplies an estimated scale), but neither returns the loss value."),
        ),
        notes=(
            "Conventions differ by constant factors: some texts multiply by 2 or by 1/delta (smooth_l1 = huber / "
            "delta). "
            "Compare values only within one convention.",
            "delta is in the units of y: rescaling the targets without rescaling delta changes which residuals count "
            "as "
            "outliers.",
        ),
        references=(
            "Huber, P. J. (1964). Robust Estimation of a Location Parameter. Annals of Mathematical Statistics 35(1), "
            "73-101.",
            "https://en.wikipedia.org/wiki/Huber_loss",
        ),
    ),
    "smooth_l1": dict(
        title="Smooth L1 loss",
        family="regression",
        formula=(r"L = \begin{cases} \dfrac{(\hat y - y)^2}{2\beta} & |\hat y - y| < \beta \\ "
                 r"|\hat y - y| - \tfrac12\beta & |\hat y - y| \ge \beta \end{cases}"),
        gradient=(r"\frac{\partial L}{\partial \hat y} = "
                  r"\operatorname{clip}\left(\frac{\hat y - y}{\beta},\ -1,\ 1\right)"
                  r" \quad (\operatorname{sign}(\hat y - y) \text{ when } \beta = 0)"),
        second_derivative=(r"\frac{\partial^2 L}{\partial \hat y^2} = \begin{cases} 1/\beta & |\hat y - y| < \beta \\ " r"0 & |\hat y - y| \ge \beta \end{cases} \quad (0 \text{ everywhere when } \beta = 0\text{; " r"one-sided values } 1/\beta \text{ and } 0 \text{ at } |\hat y - y| = \beta)"),
        target="real values",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                     robust_to_outliers=True, calibrated=False),
        minimizer=("that of huber with delta = beta (smooth_l1 is huber / beta): the conditional mean (= median) for "
                   "symmetric noise; the conditional median when beta = 0"),
        when_to_use=("Box regression and other tasks where a gradient bounded by 1 is wanted whatever the threshold "
                     "(Fast R-CNN); it is huber rescaled by 1/beta."),
        param_docs={"beta": "Residual size where the loss turns from quadratic to linear; beta = 0 gives the absolute "
                            "error, with its kink at 0. Must be >= 0."},
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.smooth_l1_loss(y_pred, y, beta=1.0)", True,
               "Same definition (torch.nn.SmoothL1Loss), including beta=0 as L1. huber_loss(delta=beta) is beta times "
               "this; the two coincide at beta=1."),
            Eq("Keras 3", "keras.losses.Huber(delta=1.0)(y, y_pred)", True,
               "Keras has no smooth L1; at beta=1 it equals Huber(delta=1). For other beta > 0 use "
               "keras.losses.Huber(delta=beta)(y, y_pred) / beta. " + _KERAS_ELEMENTWISE),
            Eq("optax", "optax.losses.huber_loss(y_pred, y, delta=1.0).mean() / 1.0", True,
               "optax has no smooth L1; divide huber_loss(delta=beta) by beta (beta > 0)."),
            Eq("scikit-learn",
               "np.mean(np.where(np.abs(y_pred - y) < 1.0, 0.5 * (y_pred - y) ** 2 / 1.0, "
               "np.abs(y_pred - y) - 0.5 * 1.0))", True,
               "scikit-learn has no smooth L1; this is the formula with NumPy for beta=1."),
        ),
        notes=(
            "huber(delta) and smooth_l1(beta) agree only at delta = beta = 1. smooth_l1's gradient is bounded by 1 for "
            "every beta, huber's by delta.",
            "A small beta approaches the absolute error: the quadratic zone near zero, where gradients shrink, "
            "narrows.",
            "Differentiable everywhere only for beta > 0 (the default is 1): beta = 0 is the absolute error, with a "
            "kink at a zero residual, where grad returns 0.",
        ),
        references=(
            "Girshick, R. (2015). Fast R-CNN. ICCV. https://arxiv.org/abs/1504.08083",
            "https://pytorch.org/docs/stable/generated/torch.nn.SmoothL1Loss.html",
        ),
    ),
    "log_cosh": dict(
        title="Log-cosh loss",
        family="regression",
        formula=r"L(y, \hat y) = \log\cosh(\hat y - y)",
        gradient=r"\frac{\partial L}{\partial \hat y} = \tanh(\hat y - y)",
        second_derivative=r"\frac{\partial^2 L}{\partial \hat y^2} = 1 - \tanh^2(\hat y - y) = \frac{1}{\cosh^2(\hat y - y)}",
        target="real values",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                     robust_to_outliers=True, calibrated=False),
        minimizer=("the m solving E[tanh(m - y) | x] = 0: the conditional mean (= median) for symmetric noise, less "
                   "pulled by outliers than the mean"),
        when_to_use=("Like huber without a threshold to tune: about r^2/2 near zero and |r| - log 2 far out, and "
                     "smooth to every order, which suits methods that use second derivatives."),
        param_docs={},
        equivalents=(
            Eq("PyTorch", "(torch.logaddexp(y_pred - y, y - y_pred) - math.log(2)).mean()", True,
               "PyTorch has no log-cosh loss; this stable form equals log(cosh(r)). torch.log(torch.cosh(y_pred - y)) "
               "is the same in exact arithmetic but overflows to inf for |r| > 89 (float32) or 710 (float64)."),
            Eq("Keras 3", "keras.losses.LogCosh()(y, y_pred)", True,
               "Computed stably as r + softplus(-2r) - log 2. " + _KERAS_ELEMENTWISE),
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
    ),
    "quantile": dict(
        title="Quantile (pinball) loss",
        family="regression",
        formula=r"L(y, \hat y) = \max\left(\tau\,(y - \hat y),\ (\tau - 1)(y - \hat y)\right)",
        gradient=(r"\frac{\partial L}{\partial \hat y} = \begin{cases} -\tau & y > \hat y \\ 1 - \tau & y < \hat y \\ "
                  r"0 & y = \hat y \end{cases}"),
        second_derivative=(r"\frac{\partial^2 L}{\partial \hat y^2} = 0 \text{ for } \hat y \ne y; \ " r"\text{undefined at } \hat y = y \ (\text{lossref returns } 0)"),
        target="real values",
        properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                     robust_to_outliers=True, calibrated=False),
        minimizer="the conditional tau-quantile of y given x; tau = 0.5 gives the conditional median",
        when_to_use=("Predicting a quantile instead of the mean: prediction intervals from models at tau = 0.05 and "
                     "0.95, or asymmetric costs of under- and over-prediction."),
        param_docs={"tau": "Quantile level in (0, 1): under-prediction costs tau per unit, over-prediction 1 - tau."},
        equivalents=(
            Eq("PyTorch", "torch.maximum(0.5 * (y - y_pred), (0.5 - 1) * (y - y_pred)).mean()", True,
               "PyTorch has no pinball loss; this is the formula for tau=0.5 (replace 0.5 by tau)."),
            Eq("Keras 3", "keras.ops.mean(keras.ops.maximum(0.5 * (y - y_pred), (0.5 - 1) * (y - y_pred)))", True,
               "Keras 3 has no pinball loss; this is the formula with keras.ops for tau=0.5."),
            Eq("optax", "jnp.maximum(0.5 * (y - y_pred), (0.5 - 1) * (y - y_pred)).mean()", True,
               "optax has no pinball loss; this is the formula with jax.numpy for tau=0.5."),
            Eq("scikit-learn", "sklearn.metrics.mean_pinball_loss(y, y_pred, alpha=0.5)", True,
               "alpha is tau (default 0.5 in both). At 0.5 it is half the absolute error, mean_absolute_error / 2, as "
               "is "
               "lossref's quantile. " + _SKLEARN_WEIGHTED),
        ),
        notes=(
            "At tau = 0.5 the loss is half the absolute error, not equal to it: quantile(y, p) == mae(y, p) / 2.",
            "The residual is y - y_pred: tau > 0.5 punishes under-prediction more and pushes predictions up.",
            "Quantile models fitted separately can cross (the 0.9 prediction below the 0.5 one); sort the predictions "
            "or fit the quantiles jointly when monotonicity matters.",
        ),
        references=(
            "Koenker, R. & Bassett, G. (1978). Regression Quantiles. Econometrica 46(1), 33-50.",
            "https://scikit-learn.org/stable/modules/model_evaluation.html#pinball-loss",
        ),
    ),
    "poisson_nll": dict(
        title="Poisson negative log-likelihood",
        family="regression",
        formula=(r"L = e^{\hat y} - y\,\hat y \ \ (\text{log\_input=True}), \qquad "
                 r"L = \hat y - y \log(\hat y + \epsilon) \ \ (\text{log\_input=False}), \qquad "
                 r"\left[+\, y \log y - y + \tfrac12 \log(2\pi y) \text{ for } y > 1 \text{ if full}\right]"),
        gradient=(r"\frac{\partial L}{\partial \hat y} = e^{\hat y} - y \ \ (\text{log\_input=True}), \qquad "
                  r"1 - \frac{y}{\hat y + \epsilon} \ \ (\text{log\_input=False})"),
        second_derivative=(r"\frac{\partial^2 L}{\partial \hat y^2} = e^{\hat y} \ \ (\text{log\_input=True}), \qquad " r"\frac{y}{(\hat y + \epsilon)^2} \ \ (\text{log\_input=False})"),
        target="non-negative counts (y >= 0; need not be integers)",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                     robust_to_outliers=False, calibrated=False),
        minimizer=("the conditional mean count E[y | x]: exp(y_pred) = E[y | x] with log_input=True, "
                   "y_pred = E[y | x] (up to eps) with log_input=False"),
        when_to_use=("Counts (events, arrivals, clicks) modelled as Poisson with a predicted rate; predict the "
                     "log-rate (log_input=True) so the rate stays positive without clipping."),
        param_docs={
            "log_input": "True: y_pred is the log-rate and the rate is exp(y_pred). False: y_pred is the rate itself "
                         "(>= 0).",
            "full": "Add Stirling's approximation of log(y!), y log y - y + 0.5 log(2 pi y) for y > 1 (as PyTorch "
                    "does); it does not depend on y_pred, so the gradient is unchanged.",
            "eps": "Added to the rate inside the log when log_input=False, so a zero rate gives a finite loss.",
        },
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.poisson_nll_loss(y_pred, y)", True,
               "Same defaults (log_input=True, full=False, eps=1e-8) and the same Stirling term with full=True."),
            Eq("Keras 3", "keras.losses.Poisson()(y, keras.ops.exp(y_pred))", False,
               "keras.losses.Poisson takes the rate, not its log, and computes rate - y log(rate + 1e-7): it is "
               "lossref's "
               "log_input=False with eps=1e-7, and differs from the log_input=True value by y (log(rate) - "
               "log(rate + 1e-7)), visible only for rates near 1e-7 or below. Exact value: "
               "keras.ops.mean(keras.ops.exp(y_pred) - y * y_pred). " + _KERAS_ELEMENTWISE),
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
    ),
    "gaussian_nll": dict(
        title="Gaussian negative log-likelihood",
        family="regression",
        formula=(r"L = \tfrac12\left(\log v + \frac{(y - \hat y)^2}{v}\right) "
                 r"\left[+\, \tfrac12 \log 2\pi \text{ if full}\right], \qquad v = \max(\sigma^2, \epsilon)"),
        gradient=r"\frac{\partial L}{\partial \hat y} = \frac{\hat y - y}{\max(\sigma^2, \epsilon)}",
        second_derivative=(r"\frac{\partial^2 L}{\partial \hat y^2} = \frac{1}{\max(\sigma^2, \epsilon)} " r"\quad (\text{in the mean } \hat y\text{; the variance is held fixed})"),
        target="real values",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                     robust_to_outliers=False, calibrated=False),
        minimizer=("the conditional mean E[y | x] for y_pred, whatever the variance; a learned variance is minimised "
                   "at the conditional variance Var(y | x)"),
        when_to_use=("Regression that also predicts its own uncertainty (heteroscedastic noise): pass the predicted "
                     "variance as var; examples with a large predicted variance count less."),
        param_docs={
            "var": "Predicted variance sigma^2 (>= 0), of y_pred's shape or broadcastable to it (a scalar is one "
                   "shared variance). Required.",
            "full": "Add the constant 0.5 log(2 pi), giving the exact Gaussian negative log-likelihood; the gradient "
                    "is unchanged.",
            "eps": "Lower clamp on the variance, so that a zero variance does not divide by zero (PyTorch's 1e-6).",
        },
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
    ),
    # ------------------------------------------------------------------------------------------ probabilistic
    "bce": dict(
        title="Binary cross-entropy (on probabilities)",
        family="probabilistic",
        formula=(r"L(y, \hat p) = -\left[y \log \hat p + (1 - y)\log(1 - \hat p)\right], \qquad "
                 r"\hat p \leftarrow \operatorname{clip}(\hat p,\ \epsilon,\ 1 - \epsilon)"),
        gradient=(r"\frac{\partial L}{\partial \hat p} = \frac{\hat p - y}{\hat p\,(1 - \hat p)} "
                  r"\quad (\text{at the clipped } \hat p)"),
        second_derivative=(r"\frac{\partial^2 L}{\partial \hat p^2} = \frac{y}{\hat p^2} + \frac{1 - y}{(1 - \hat p)^2} " r"\quad (\text{at the clipped } \hat p)"),
        target="the probability of the positive class: 0/1 labels or soft targets in [0, 1]",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                     robust_to_outliers=False, calibrated=True),
        minimizer="the conditional probability P(y = 1 | x) (E[y | x] for soft targets)",
        when_to_use=("When the model outputs probabilities (after a sigmoid) and the logits are not available; "
                     "otherwise use bce_with_logits, which is exact and needs no clipping."),
        param_docs={"class_weight": "(w0, w1): weights of negative and positive examples; a soft target y counts "
                                    "w0 (1 - y) + w1 y. None weights every example 1."},
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.binary_cross_entropy(probs, y)", False,
               "torch clamps each log at -100 instead of clipping the probabilities: a confident wrong prediction "
               "(probs=0, y=1) costs 100 in torch and -log(eps) in lossref (36.04 in float64, 15.94 in float32); the "
               "two agree for probs in [eps, 1 - eps]. torch's weight= multiplies each element but 'mean' still "
               "divides by the element count, whereas lossref's weighted mean divides by the sum of weights: use "
               "(torch.nn.functional.binary_cross_entropy(probs, y, reduction='none') * w).sum() / w.sum()."),
            Eq("Keras 3", "keras.losses.BinaryCrossentropy()(y, probs)", False,
               "Keras clips probs to [1e-7, 1 - 1e-7] (keras.config.epsilon()), so a confident wrong prediction costs "
               "16.12 and any probs outside that range give a different value than lossref's machine-epsilon clip; "
               "agrees inside it. " + _KERAS_ELEMENTWISE),
            Eq("optax",
               "p = jnp.clip(probs, jnp.finfo(probs.dtype).eps, 1 - jnp.finfo(probs.dtype).eps); "
               "-jnp.mean(y * jnp.log(p) + (1 - y) * jnp.log1p(-p))", True,
               "optax has no loss on probabilities (sigmoid_binary_cross_entropy takes logits); this is lossref's "
               "clipped formula with jax.numpy."),
            Eq("scikit-learn", "sklearn.metrics.log_loss(y, probs, labels=[0, 1])", True,
               "Same clip to [eps, 1 - eps] with eps the machine epsilon of probs' dtype (scikit-learn >= 1.2; older "
               "versions used 1e-15). Hard 0/1 labels only: soft targets are rejected. labels=[0, 1] is needed when y "
               "holds a single class. " + _SKLEARN_WEIGHTED),
        ),
        notes=(
            "Clipping caps a confident wrong prediction at -log(eps): 36.04 in float64, 15.94 in float32. The gradient "
            "is taken at the clipped probability, so it stays finite but is about 1/eps there.",
            "sigmoid then bce loses precision: sigmoid(z) rounds to exactly 1 for z above about 17 (float32) or 37 "
            "(float64), after which the loss saturates. Pass the logits to bce_with_logits instead.",
            "Every framework clips differently (torch: log >= -100, Keras: 1e-7, scikit-learn and lossref: machine "
            "epsilon), so reference values disagree only for probabilities within eps of 0 or 1.",
        ),
        references=(
            "https://en.wikipedia.org/wiki/Cross-entropy",
            "https://scikit-learn.org/stable/modules/generated/sklearn.metrics.log_loss.html",
        ),
    ),
    "bce_with_logits": dict(
        title="Binary cross-entropy with logits",
        family="probabilistic",
        formula=(r"L(y, z) = -\left[w_+\, y \log \sigma(z) + (1 - y)\log(1 - \sigma(z))\right], \qquad "
                 r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
        gradient=(r"\frac{\partial L}{\partial z} = (1 - y)\,\sigma(z) - w_+\, y\,\sigma(-z) "
                  r"\quad (= \sigma(z) - y \text{ when } w_+ = 1)"),
        second_derivative=(r"\frac{\partial^2 L}{\partial z^2} = \left((1 - y) + w_+\, y\right)\sigma(z)\,\sigma(-z) " r"\quad (= \sigma(z)\,(1 - \sigma(z)) \text{ when } w_+ = 1)"),
        target="the probability of the positive class: 0/1 labels or soft targets in [0, 1]",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                     robust_to_outliers=False, calibrated=True),
        minimizer=("the log-odds of P(y = 1 | x), so sigma(z) = P(y = 1 | x); with pos_weight w, "
                   "sigma(z) = w p / (w p + 1 - p) where p = P(y = 1 | x)"),
        when_to_use=("Binary and multi-label classification when the model outputs logits: the default choice, exact "
                     "for any logit, with gradient sigma(z) - y."),
        param_docs={
            "pos_weight": "Multiplier w+ of the positive term (PyTorch's pos_weight): a scalar or an array that "
                          "broadcasts against logits, e.g. one per label column; n_neg / n_pos is a common choice. "
                          "None "
                          "means 1.",
            "class_weight": "(w0, w1): per-example weight by class (a soft target y counts w0 (1 - y) + w1 y); unlike "
                            "pos_weight it scales the whole example and enters the weighted mean's denominator.",
        },
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.binary_cross_entropy_with_logits(logits, y)", True,
               "Same stable formula; pos_weight means the same. torch's weight= rescales elements but 'mean' divides "
               "by the element count, not by the sum of weights as lossref's class_weight and sample_weight do: use "
               "reduction='none', multiply by w and divide by w.sum()."),
            Eq("Keras 3", "keras.losses.BinaryCrossentropy(from_logits=True)(y, logits)", True,
               "Stable log-sigmoid form. No pos_weight (use class_weight in Model.fit or sample weights). "
               + _KERAS_ELEMENTWISE),
            Eq("optax", "optax.losses.sigmoid_binary_cross_entropy(logits, y).mean()", True,
               "Stable; per-element values. No pos_weight argument: weight the -y * jax.nn.log_sigmoid(logits) term "
               "yourself."),
            Eq("scikit-learn", "sklearn.metrics.log_loss(y, scipy.special.expit(logits), labels=[0, 1])", False,
               "log_loss takes probabilities and clips them to [eps, 1 - eps], eps = 2.2e-16 the float64 machine "
               "epsilon, so no example costs more than -log(eps) = 36.04. Negative logits: the sigmoid does not round "
               "to 0 (expit(-50) = 1.9e-22), but below logits = log(eps) = -36.04 the clip raises it to eps, and a "
               "positive example costs 36.04 whatever the logit, where lossref is exact (logits=-50, y=1 gives 50). "
               "Positive logits: 1 - expit(z) keeps only the spacing 1.1e-16 of floats below 1, so a negative "
               "example costs 30.001 at z = 30 and 34.945 at z = 35 instead of 30 and 35, and 36.04 from z = 36.04 "
               "on (the sigmoid is within eps of 1, exactly 1 from z = 36.74). Hard 0/1 labels only. Exact value: "
               "np.mean(np.logaddexp(0, logits) - y * logits)."),
        ),
        notes=(
            "The gradient is formed as (1 - y) sigma(z) - y sigma(-z), not sigma(z) - y, so a confident correct "
            "prediction (y = 1, z = 40) gets -4.2e-18 rather than 1 - 1 = 0.",
            "pos_weight moves the minimiser: sigma(z) then estimates w p / (w p + 1 - p), not p; invert that before "
            "reading probabilities.",
            "With labels mapped by 2y - 1 it is exactly the logistic loss.",
        ),
        references=(
            "https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html",
            "https://en.wikipedia.org/wiki/Cross-entropy#Cross-entropy_loss_function_and_logistic_regression",
        ),
    ),
    "cross_entropy": dict(
        title="Softmax cross-entropy",
        family="probabilistic",
        formula=(r"L(y, z) = -\sum_{j=1}^{C} \tilde y_j \log \operatorname{softmax}(z)_j, \qquad "
                 r"\tilde y = (1 - \varepsilon)\, y + \varepsilon / C"),
        gradient=r"\frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - \tilde y_j",
        second_derivative=(r"\frac{\partial^2 L}{\partial z_j\,\partial z_k} = m\left(p_j\,[j = k] - p_j\,p_k\right), " r"\qquad p = \operatorname{softmax}(z), \quad m = \textstyle\sum_j \tilde y_j"),
        target=("an integer class label in 0..C-1 per row (shape (n,)), or a probability row over the C classes "
                "(shape (n, C)); y is one-hot for a label"),
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                     robust_to_outliers=False, calibrated=True),
        minimizer=("the conditional class distribution, softmax(z) = P(class | x); with label smoothing eps, "
                   "(1 - eps) P(class | x) + eps / C"),
        when_to_use=("Multiclass classification with mutually exclusive classes and a softmax output: the standard "
                     "loss for classifiers and language models."),
        param_docs={
            "class_weight": "Weight per class, shape (C,): an example counts class_weight[y] times (a probability row "
                            "counts sum_c y_c class_weight[c]), and the mean divides by the sum of these weights.",
            "label_smoothing": "eps in [0, 1]: the target becomes (1 - eps) y + eps / C.",
            "ignore_index": "Integer label whose examples contribute nothing and are left out of the mean (e.g. "
                            "padding); any integer, including a real class id. None ignores nothing.",
        },
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.cross_entropy(logits, y)", True,
               "Same for integer labels or probability rows with defaults. torch's class axis is 1: for logits of "
               "shape "
               "(n, d, C) pass logits.movedim(-1, 1). With weight= and label_smoothing torch weights each smoothing "
               "term by its own class, sum_c w_c log p_c, while lossref weights the whole smoothed loss by the true "
               "class, w_y CE(smoothed target). With probability targets and weight= torch weights the terms class by "
               "class and divides by n, while lossref weights the row by sum_c y_c w_c and divides by the sum of those "
               "weights. torch's ignore_index defaults to -100, lossref's to None."),
            Eq("Keras 3", "keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits)", True,
               "For integer labels (ignore_class plays ignore_index). For probability rows use "
               "keras.losses.CategoricalCrossentropy(from_logits=True)(y, logits); its label_smoothing matches "
               "lossref's, and the sparse loss has none (one-hot the labels with keras.ops.one_hot). Classes on the "
               "last axis, as in lossref. " + _KERAS_ROWS),
            Eq("optax", "optax.losses.softmax_cross_entropy_with_integer_labels(logits, y).mean()", True,
               "For integer labels. Probability rows: optax.losses.softmax_cross_entropy(logits, y).mean(); label "
               "smoothing: softmax_cross_entropy(logits, optax.smooth_labels(jax.nn.one_hot(y, C), eps)), the same "
               "smoothing as lossref. No class weights or ignore index: multiply per-row values by weights (0 for "
               "ignored rows) and divide by their sum."),
            Eq("scikit-learn",
               "sklearn.metrics.log_loss(y, scipy.special.softmax(logits, axis=-1), "
               "labels=np.arange(logits.shape[-1]))",
               False,
               "log_loss takes probabilities and clips them to [eps, 1 - eps]: when the true class's softmax "
               "probability falls below machine epsilon the loss saturates at 36.04 (float64), where lossref, working "
               "in log space, is exact. Integer or one-hot labels only; no label smoothing. Agrees otherwise."),
        ),
        notes=(
            "PyTorch puts classes on axis 1 (N, C, d1, ...); lossref, Keras and optax on the last axis.",
            "Label smoothing and class weights both move the minimiser away from the true class probabilities: the "
            "trained model is then deliberately miscalibrated.",
            "Pass logits, not probabilities: softmax outputs given as logits are softmaxed again, silently flattening "
            "the loss and its gradient.",
        ),
        references=(
            "https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html",
            "Szegedy, C. et al. (2016). Rethinking the Inception Architecture for Computer Vision (label smoothing). "
            "CVPR. https://arxiv.org/abs/1512.00567",
        ),
    ),
    "focal": dict(
        title="Sigmoid focal loss",
        family="probabilistic",
        formula=(r"L(y, z) = \alpha_y\, q^{\gamma}\, \mathrm{CE}(y, z), \qquad q = y(1 - p) + (1 - y)\,p, \quad "
                 r"p = \sigma(z), \quad \mathrm{CE} = -y\log p - (1 - y)\log(1 - p), \quad "
                 r"\alpha_y = \alpha y + (1 - \alpha)(1 - y)"),
        gradient=(r"\frac{\partial L}{\partial z} = \alpha_y\, q^{\gamma}\left[\gamma\,\frac{(1 - 2y)\,p\,(1 - p)}{q}"
                  r"\,\mathrm{CE}(y, z) + (p - y)\right]"),
        second_derivative=(r"\frac{\partial^2 L}{\partial z^2} = \alpha_y\, q^{\gamma}\left[\gamma(\gamma - 1)\,\rho^2\," r"\mathrm{CE} + \gamma\,\rho\,(1 - 2p)\,\mathrm{CE} + 2\gamma\,\rho\,(p - y) + p\,(1 - p)\right], " r"\qquad \rho = \frac{(1 - 2y)\,p\,(1 - p)}{q}"),
        target="the probability of the positive class: 0/1 labels or soft targets in [0, 1]",
        properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=True,
                     robust_to_outliers=False, calibrated=False),
        minimizer=("for gamma > 0, a logit whose sigmoid lies between 1/2 and P(y = 1 | x) (under-confident, an "
                   "invertible transform of the probability), so the decision sign(z) is still the Bayes decision; "
                   "gamma = 0 gives sigma(z) = P(y = 1 | x)"),
        when_to_use=("Dense detection and other heavily imbalanced binary or multi-label problems where many easy "
                     "negatives swamp the loss: gamma down-weights well-classified examples."),
        param_docs={
            "gamma": "Focusing exponent >= 0: the cross-entropy is multiplied by q^gamma, q the probability given to "
                     "the wrong answer; gamma = 0 is bce_with_logits.",
            "alpha": "Optional weight in [0, 1] of positive terms (1 - alpha for negatives), the alpha_t of Lin et "
                     "al.; None applies none (torchvision's default is 0.25).",
            "class_weight": "(w0, w1): per-example weight by class that enters the weighted mean's denominator (alpha "
                            "only rescales the terms).",
        },
        equivalents=(
            Eq("PyTorch", "torchvision.ops.sigmoid_focal_loss(logits, y, alpha=-1, gamma=2.0, reduction=\"mean\")",
               True,
               "torchvision's defaults differ: alpha=0.25 (lossref's alpha=None; alpha=-1 switches it off, or set "
               "lossref's alpha=0.25) and reduction='none'. It forms (1 - p_t) ** gamma directly, so for gamma < 1 its "
               "autograd gradient is NaN at a saturated confident correct prediction, where lossref's is finite."),
            Eq("Keras 3", "keras.losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True)(y, logits)", False,
               "Keras applies the sigmoid first and then the probability BCE clipped at 1e-7, so for a wrong "
               "prediction with |logits| above about 16 the cross-entropy factor saturates at 16.12, where lossref is "
               "exact; agrees for moderate logits. alpha is applied only with apply_class_balancing=True (then alpha "
               "defaults to 0.25). "
               + _KERAS_ELEMENTWISE),
            Eq("optax", "optax.losses.sigmoid_focal_loss(logits, y, alpha=None, gamma=2.0).mean()", True,
               "Same definition and defaults (alpha=None), computed in log space like lossref (optax >= 0.2.5); "
               "per-element values."),
            Eq("scikit-learn",
               "np.mean((y * (1 - scipy.special.expit(logits)) + (1 - y) * scipy.special.expit(logits)) ** 2 "
               "* (np.logaddexp(0, logits) - y * logits))", True,
               "scikit-learn has no focal loss; this is the gamma=2, alpha=None formula with NumPy and SciPy (the "
               "cross-entropy written as softplus(z) - y z)."),
        ),
        notes=(
            "Not convex in the logits for gamma > 0 and not a proper scoring rule: sigmoid(z) is under-confident at "
            "the optimum, so recalibrate (e.g. temperature scaling) before reading probabilities.",
            "Lin et al. pair gamma = 2 with alpha = 0.25, which down-weights the positives: gamma already suppresses "
            "the many easy negatives. Their detector also normalises the summed loss by the number of positive anchors "
            "(reduction='sum' then divide), not by the number of elements.",
            "For gamma < 1, autograd of (1 - p_t)^gamma gives NaN where 1 - p_t rounds to 0; lossref's analytic "
            "gradient never forms (1 - p_t)^(gamma - 1).",
        ),
        references=(
            "Lin, T.-Y., Goyal, P., Girshick, R., He, K. & Dollár, P. (2017). Focal Loss for Dense Object Detection. "
            "ICCV. https://arxiv.org/abs/1708.02002",
            "Charoenphakdee, N., Vongkulbhisal, J., Chairatanakul, N. & Sugiyama, M. (2021). On Focal Loss for "
            "Class-Posterior Probability Estimation: A Theoretical Perspective. CVPR.",
        ),
    ),
    "kl_divergence": dict(
        title="Kullback-Leibler divergence",
        family="probabilistic",
        formula=(r"L(y, z) = \sum_{j=1}^{C} y_j \left(\log y_j - \log \operatorname{softmax}(z)_j\right), \qquad "
                 r"0 \log 0 = 0"),
        gradient=r"\frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - y_j",
        second_derivative=(r"\frac{\partial^2 L}{\partial z_j\,\partial z_k} = m\left(p_j\,[j = k] - p_j\,p_k\right), " r"\qquad p = \operatorname{softmax}(z), \quad m = \textstyle\sum_j y_j"),
        target="a probability row over the C classes (shape (n, C)), e.g. a teacher model's distribution",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                     robust_to_outliers=False, calibrated=True),
        minimizer="the conditional expected target row, softmax(z) = E[y | x] (the class probabilities for one-hot y)",
        when_to_use=("Matching a target distribution, e.g. knowledge distillation; same gradient as cross-entropy, but "
                     "0 exactly when the prediction equals the target, so its value is interpretable."),
        param_docs={"class_weight": "Weight per class, shape (C,): a row counts sum_c y_c class_weight[c] times, and "
                                    "the mean divides by the sum of these weights."},
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.kl_div(torch.log_softmax(logits, dim=-1), y, reduction=\"batchmean\")",
               True,
               "kl_div takes log-probabilities as input (log-probabilities are valid lossref logits too). Use "
               "reduction='batchmean': 'mean' divides by the element count n*C, giving lossref's value / C. "
               "'batchmean' divides by the size of axis 0 only, so for (n, d, C) inputs it is d times lossref's mean "
               "over rows."),
            Eq("Keras 3", "keras.losses.KLDivergence()(y, keras.ops.softmax(logits))", False,
               "Takes probabilities and clips both y and the prediction to [1e-7, 1]: zero target entries contribute "
               "1e-7 log(1e-7 / p) instead of 0, and predicted probabilities below 1e-7 are raised. Exact value: "
               "keras.losses.CategoricalCrossentropy(from_logits=True)(y, logits) minus the mean entropy of the rows "
               "of "
               "y. " + _KERAS_ROWS),
            Eq("optax", "optax.losses.kl_divergence(jax.nn.log_softmax(logits), y).mean()", True,
               "Takes log-predictions (log_softmax of the logits) and treats 0 log 0 as 0; per-row values."),
            Eq("scikit-learn",
               "np.mean(np.sum(scipy.special.xlogy(y, y) - y * scipy.special.log_softmax(logits, axis=-1), axis=-1))",
               True,
               "scikit-learn has no KL metric; this is the formula with SciPy. "
               "scipy.stats.entropy(y, scipy.special.softmax(logits, axis=-1), axis=-1).mean() is equal unless a "
               "softmax probability underflows to 0 (then inf)."),
        ),
        notes=(
            "Direction matters: lossref computes KL(y || softmax(z)), the forward divergence behind cross-entropy and "
            "distillation, not KL(softmax(z) || y).",
            "For distillation at temperature T pass logits / T with the teacher's softmax(teacher_logits / T) and "
            "multiply the loss by T^2 to keep the gradient scale (Hinton et al., 2015).",
        ),
        references=(
            "Kullback, S. & Leibler, R. A. (1951). On Information and Sufficiency. Annals of Mathematical Statistics "
            "22(1), 79-86.",
            "Hinton, G., Vinyals, O. & Dean, J. (2015). Distilling the Knowledge in a Neural Network. "
            "https://arxiv.org/abs/1503.02531",
            "https://pytorch.org/docs/stable/generated/torch.nn.KLDivLoss.html",
        ),
    ),
    # ------------------------------------------------------------------------------------------ margin
    "hinge": dict(
        title="Hinge loss",
        family="margin",
        formula=r"L(y, s) = \max(0,\ 1 - y\,s)",
        gradient=r"\frac{\partial L}{\partial s} = \begin{cases} -y & y\,s < 1 \\ 0 & y\,s \ge 1 \end{cases}",
        second_derivative=(r"\frac{\partial^2 L}{\partial s^2} = 0 \text{ for } y\,s \ne 1; \ " r"\text{undefined at } y\,s = 1 \ (\text{lossref returns } 0)"),
        target="labels in {-1, +1} (convert 0/1 labels with 2y - 1)",
        properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                     robust_to_outliers=False, calibrated=False),
        minimizer="the Bayes decision sign(2 P(y = +1 | x) - 1), i.e. scores of -1 or +1; not a probability",
        when_to_use=("Linear and kernel SVMs: a maximum-margin classifier whose solution depends only on the examples "
                     "inside the margin (the support vectors). Use when decisions, not probabilities, are needed."),
        param_docs={"class_weight": "(w_neg, w_pos): weights of examples labelled -1 and +1, entering the weighted "
                                    "mean's denominator (like SVC's class_weight)."},
        equivalents=(
            Eq("PyTorch", "torch.clamp(1 - y * scores, min=0).mean()", True,
               "PyTorch has no binary hinge loss (HingeEmbeddingLoss is a different loss, on distances); this is the "
               "formula."),
            Eq("Keras 3", "keras.losses.Hinge()(y, scores)", True,
               "Same formula. Keras silently converts labels to -1/+1 when all of them are 0 or 1, where lossref "
               "raises. " + _KERAS_ELEMENTWISE),
            Eq("optax", "optax.losses.hinge_loss(scores, y).mean()", True, "Targets in {-1, +1}; per-element values."),
            Eq("scikit-learn", "sklearn.metrics.hinge_loss(y, scores)", True,
               "Any two labels are mapped to -1/+1 (the larger one to +1). " + _SKLEARN_WEIGHTED),
        ),
        notes=(
            "At y s = 1 lossref returns the subgradient 0 (any value between 0 and -y is valid).",
            "Hinge scores are not probabilities; use logistic or bce_with_logits, or calibrate the scores (Platt "
            "scaling), when probabilities are needed.",
            "Once every example has margin >= 1 the loss and its gradient are 0, and scaling the weights up is free: "
            "pair the hinge with an L2 penalty.",
        ),
        references=(
            "Cortes, C. & Vapnik, V. (1995). Support-Vector Networks. Machine Learning 20, 273-297.",
            "https://en.wikipedia.org/wiki/Hinge_loss",
        ),
    ),
    "squared_hinge": dict(
        title="Squared hinge loss",
        family="margin",
        formula=r"L(y, s) = \max(0,\ 1 - y\,s)^2",
        gradient=r"\frac{\partial L}{\partial s} = -2y\,\max(0,\ 1 - y\,s)",
        second_derivative=(r"\frac{\partial^2 L}{\partial s^2} = \begin{cases} 2 & y\,s < 1 \\ 0 & y\,s \ge 1 \end{cases}" r" \quad (\text{one-sided values 2 and 0 at } y\,s = 1\text{; lossref returns } 0)"),
        target="labels in {-1, +1} (convert 0/1 labels with 2y - 1)",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=False,
                     robust_to_outliers=False, calibrated=True),
        minimizer="s = 2 P(y = +1 | x) - 1, in [-1, 1], so (s + 1) / 2 recovers P(y = +1 | x)",
        when_to_use=("Linear SVMs trained with smooth optimisers (the L2-SVM, LinearSVC's default): differentiable, "
                     "with a stronger push on margin violations than the hinge."),
        param_docs={"class_weight": "(w_neg, w_pos): weights of examples labelled -1 and +1, entering the weighted "
                                    "mean's denominator."},
        equivalents=(
            Eq("PyTorch", "torch.clamp(1 - y * scores, min=0).pow(2).mean()", True,
               "PyTorch has no squared hinge loss; this is the formula."),
            Eq("Keras 3", "keras.losses.SquaredHinge()(y, scores)", True,
               "Same formula; labels that are all 0 or 1 are silently converted to -1/+1. " + _KERAS_ELEMENTWISE),
            Eq("optax", "jnp.square(optax.losses.hinge_loss(scores, y)).mean()", True,
               "optax has no squared hinge; square hinge_loss."),
            Eq("scikit-learn", "np.mean(np.maximum(0, 1 - y * scores) ** 2)", True,
               "scikit-learn has no squared hinge metric (LinearSVC(loss='squared_hinge') trains with it); this is the "
               "formula with NumPy."),
        ),
        notes=(
            "For s in [-1, 1] the loss is 4 times the Brier score of (s + 1) / 2, hence the probability estimate; "
            "scores beyond +-1 are never optimal in the population but occur on finite samples, so clip before "
            "reading probabilities.",
            "A badly misclassified example's loss and gradient grow with its violation, as with squared error: one "
            "mislabelled point can dominate.",
        ),
        references=(
            "Bartlett, P. L., Jordan, M. I. & McAuliffe, J. D. (2006). Convexity, Classification, and Risk Bounds. "
            "Journal of the American Statistical Association 101(473), 138-156.",
            "https://scikit-learn.org/stable/modules/generated/sklearn.svm.LinearSVC.html",
        ),
    ),
    "logistic": dict(
        title="Logistic loss (soft margin)",
        family="margin",
        formula=r"L(y, s) = \log\left(1 + e^{-y\,s}\right)",
        gradient=r"\frac{\partial L}{\partial s} = -y\,\sigma(-y\,s)",
        second_derivative=(r"\frac{\partial^2 L}{\partial s^2} = \sigma(y\,s)\,\sigma(-y\,s) = \sigma(s)\,(1 - \sigma(s)) " r"\quad (y \in \{-1, +1\})"),
        target="labels in {-1, +1} (convert 0/1 labels with 2y - 1)",
        properties=P(convex=True, differentiable_everywhere=True, bounded_gradient=True,
                     robust_to_outliers=False, calibrated=True),
        minimizer="the log-odds log(P(y = +1 | x) / P(y = -1 | x)), so sigma(s) = P(y = +1 | x)",
        when_to_use=("Logistic regression written on the margin with -1/+1 labels, as in boosting and SVM texts; "
                     "identical to bce_with_logits with 0/1 labels."),
        param_docs={"class_weight": "(w_neg, w_pos): weights of examples labelled -1 and +1, entering the weighted "
                                    "mean's denominator."},
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.soft_margin_loss(scores, y)", False,
               "Same function, but torch computes log(1 + exp(-y * scores)) directly, which overflows to inf for "
               "y * scores below about -89 (float32) or -710 (float64); lossref uses the stable softplus and returns "
               "-y * scores there. Stable equivalent: "
               "torch.logaddexp(torch.zeros_like(scores), -y * scores).mean()."),
            Eq("Keras 3", "keras.losses.BinaryCrossentropy(from_logits=True)((y + 1) / 2, scores)", True,
               "Keras has no margin form; with labels mapped to 0/1 the stable logit BCE is the same function. "
               + _KERAS_ELEMENTWISE),
            Eq("optax", "optax.losses.sigmoid_binary_cross_entropy(scores, (y + 1) / 2).mean()", True,
               "Same function with labels mapped to 0/1; stable."),
            Eq("scikit-learn", "sklearn.metrics.log_loss((y + 1) / 2, scipy.special.expit(scores), labels=[0, 1])",
               False,
               "log_loss takes probabilities clipped at machine epsilon, so for y * scores below about -36 (float64) "
               "it "
               "saturates at 36.04 where lossref returns -y * scores. Exact value: np.mean(np.logaddexp(0, -y * "
               "scores))."),
        ),
        notes=(
            "Natural logarithm; texts that use log2 (so that the loss is 1 at s = 0) divide by log 2.",
            "With 0/1 labels every negative example has y s = 0 and costs log 2 whatever its score; lossref raises "
            "instead.",
        ),
        references=(
            "Hastie, T., Tibshirani, R. & Friedman, J. (2009). The Elements of Statistical Learning, 2nd ed., "
            "Section 10.6. Springer.",
            "https://pytorch.org/docs/stable/generated/torch.nn.SoftMarginLoss.html",
        ),
    ),
    "multiclass_hinge": dict(
        title="Multiclass hinge loss",
        family="margin",
        formula=(r"L = \max\left(0,\ \Delta + \max_{j \ne c} s_j - s_c\right) \ \text{(Crammer-Singer)}, \qquad "
                 r"L = \sum_{j \ne c} \max(0,\ \Delta + s_j - s_c) \ \text{(Weston-Watkins)}"),
        gradient=(r"\frac{\partial L}{\partial s_j} = \mathbb{1}[j \in A] - \mathbb{1}[j = c]\,|A|, \qquad "
                  r"A = \{\, j \ne c : \Delta + s_j - s_c > 0 \,\} \ \text{(Crammer-Singer: only the first "
                  r"maximiser)}"),
        second_derivative=(r"\frac{\partial^2 L}{\partial s_j\,\partial s_k} = 0 \text{ away from the kinks " r"(where a margin term is exactly 0 or two rivals tie); undefined at them " r"(lossref returns } 0)"),
        target="an integer class label c in 0..C-1 per row of scores",
        properties=P(convex=True, differentiable_everywhere=False, bounded_gradient=True,
                     robust_to_outliers=False, calibrated=False),
        minimizer=("scores whose argmax is the Bayes class argmax_c P(c | x) when that class has probability above "
                   "1/2; otherwise neither variant is guaranteed to recover it (not Fisher-consistent in general). "
                   "Not a probability"),
        when_to_use=("Multiclass SVMs and other margin-based classifiers on raw scores, when a decision rather than "
                     "probabilities is needed."),
        param_docs={
            "variant": "\"crammer_singer\" (default) penalises the strongest rival only; \"weston_watkins\" sums the "
                       "violations of all rivals.",
            "margin": "Required score gap Delta between the true class and each rival (>= 0).",
            "class_weight": "Weight per class, shape (C,): an example counts class_weight[y] times, and the mean "
                            "divides by the sum of these weights.",
        },
        equivalents=(
            Eq("PyTorch", "torch.nn.functional.multi_margin_loss(scores, y)", False,
               "torch implements Weston-Watkins divided by the number of classes C: lossref's "
               "variant='weston_watkins' equals C * multi_margin_loss(scores, y, margin=margin). Crammer-Singer, "
               "lossref's default, has no torch function: torch.clamp(1 + scores.scatter(1, y[:, None], "
               "float('-inf')).amax(1) - scores.gather(1, y[:, None])[:, 0], min=0).mean(). torch's weight= multiplies "
               "by weight[y] but 'mean' divides by n, not by the sum of weights."),
            Eq("Keras 3",
               "keras.losses.CategoricalHinge()(keras.ops.one_hot(y, scores.shape[-1]), "
               "scores - keras.ops.min(scores, axis=-1, keepdims=True))", True,
               "CategoricalHinge is Crammer-Singer with margin 1, but it takes the rival maximum over "
               "(1 - one_hot) * scores, which counts the true class as a rival scoring 0: when every rival score is "
               "negative it uses 0 instead. Crammer-Singer is unchanged by shifting a row, so shifting each row to be "
               "non-negative, as here, gives lossref's value; the unshifted call can differ. No Weston-Watkins. "
               + _KERAS_ROWS),
            Eq("optax", "optax.losses.multiclass_hinge_loss(scores, y).mean()", True,
               "Crammer-Singer with margin 1, computed as max_j(s_j + 1 - [j = c]) - s_c; no Weston-Watkins."),
            Eq("scikit-learn", "sklearn.metrics.hinge_loss(y, scores, labels=np.arange(scores.shape[-1]))", True,
               "Crammer-Singer with margin 1; labels is needed when some classes are absent from y. No Weston-Watkins. "
               + _SKLEARN_WEIGHTED),
        ),
        notes=(
            "The variants give different numbers: Weston-Watkins is at least Crammer-Singer (equal when at most one "
            "rival violates the margin), and PyTorch's MultiMarginLoss further divides Weston-Watkins by C.",
            "With two classes Crammer-Singer is the binary hinge on s_1 - s_0 with margin Delta.",
            "The subgradient picks the first maximising rival for Crammer-Singer and 0 at exact margin ties.",
        ),
        references=(
            "Crammer, K. & Singer, Y. (2001). On the Algorithmic Implementation of Multiclass Kernel-based Vector "
            "Machines. Journal of Machine Learning Research 2, 265-292.",
            "Weston, J. & Watkins, C. (1999). Support Vector Machines for Multi-Class Pattern Recognition. ESANN.",
            "Tewari, A. & Bartlett, P. L. (2007). On the Consistency of Multiclass Classification Methods. Journal of "
            "Machine Learning Research 8, 1007-1025.",
        ),
    ),
    "zero_one": dict(
        title="Zero-one loss",
        family="margin",
        formula=(r"L = \mathbb{1}[\,y\,s \le 0\,] \ \ (y \in \{-1, +1\}), \qquad "
                 r"L = \mathbb{1}[\,\arg\max_j s_j \ne c\,] \ \ (\text{class label } c)"),
        gradient=r"\text{none: 0 wherever it exists, undefined at the decision boundary}",
        second_derivative=r"\text{none: 0 wherever it exists, undefined at the decision boundary}",
        target=("labels in {-1, +1} with one score per example, or integer class labels with a row of scores per "
                "example"),
        properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=False,
                     robust_to_outliers=True, calibrated=False),
        minimizer="the Bayes classifier: sign(2 P(y = +1 | x) - 1), or argmax_c P(c | x)",
        when_to_use=("As the metric (error rate, 1 - accuracy) that surrogate losses are trained to reduce; it cannot "
                     "be trained with gradients."),
        param_docs={"class_weight": "Weight per class ((w_neg, w_pos) for -1/+1 labels, shape (C,) for class labels): "
                                    "gives a class-weighted error rate; weights 1 / class frequency give 1 - balanced "
                                    "accuracy."},
        equivalents=(
            Eq("PyTorch", "(y * scores <= 0).float().mean()", True,
               "PyTorch has no zero-one loss; multiclass: (scores.argmax(dim=1) != y).float().mean()."),
            Eq("Keras 3", "keras.ops.mean(keras.ops.cast(y * scores <= 0, \"float32\"))", True,
               "Formula with keras.ops; multiclass: 1 - keras.metrics.SparseCategoricalAccuracy on the scores. "
               "keras.metrics.BinaryAccuracy works on probabilities with 0/1 labels."),
            Eq("optax", "jnp.mean(y * scores <= 0)", True,
               "optax has no zero-one loss; multiclass: jnp.mean(scores.argmax(-1) != y)."),
            Eq("scikit-learn", "sklearn.metrics.zero_one_loss(y, np.sign(scores))", True,
               "np.sign maps a score of 0 to 0, which matches no label and counts as an error, as in lossref; "
               "np.where(scores > 0, 1, -1) would count it correct when y = -1. Multiclass: "
               "zero_one_loss(y, scores.argmax(axis=-1)) (ties go to the first maximum in both). "
               + _SKLEARN_WEIGHTED),
        ),
        notes=(
            "A score of exactly 0 counts as an error for either label.",
            "grad raises TypeError: the loss is piecewise constant, so its gradient is 0 wherever it exists, and "
            "minimising it directly is NP-hard in general; train a convex surrogate (hinge, logistic, cross_entropy).",
            "Classification-calibrated surrogates (hinge, logistic, squared hinge, exponential) drive the 0-1 risk to "
            "the Bayes risk as their own risk is minimised (Bartlett et al., 2006). That calibration is of the "
            "decision, the sign of the minimiser; the tables' \"Calibrated probabilities\" is about the minimiser "
            "giving the true probability, which the hinge does not.",
        ),
        references=(
            "Bartlett, P. L., Jordan, M. I. & McAuliffe, J. D. (2006). Convexity, Classification, and Risk Bounds. "
            "Journal of the American Statistical Association 101(473), 138-156.",
            "https://scikit-learn.org/stable/modules/generated/sklearn.metrics.zero_one_loss.html",
        ),
    ),
}
