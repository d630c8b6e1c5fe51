"""Probabilistic classification losses: negative log-likelihoods of a predicted distribution.

Binary losses (``bce``, ``bce_with_logits``, ``focal``) are applied element by element with
targets in [0, 1] (hard 0/1 labels or soft probabilities). Multiclass losses
(``cross_entropy``, ``kl_divergence``) take one row of logits per example, classes on the
last axis.

Class weights are example weights: an example of class ``c`` counts ``class_weight[c]``
times. A soft target counts with its expected class weight, ``sum_c y_c * class_weight[c]``,
so a one-hot row and the integer label give the same loss, and with any class weights the
best prediction for an example is still its target distribution.
"""

from __future__ import annotations

import numpy as np

from . import _validation as V
from ._base import Loss
from ._stable import exp_and_log_sum_exp, shift_by_row_max, sigmoid_slope, softmax_hessian, xlogx

__all__ = ["BCE", "BCEWithLogits", "CrossEntropy", "Focal", "KLDivergence", "binary_class_weight"]


def binary_class_weight(p_positive, class_weight, sample_weight, dtype):
    """Per-example weight ``w0 (1 - p) + w1 p`` for ``class_weight = (w0, w1)``, times ``sample_weight``."""
    if class_weight is None:
        return sample_weight
    w0, w1 = V.check_class_weight(class_weight, 2, dtype)
    weight = (w0 + (w1 - w0) * p_positive).astype(dtype, copy=False)
    return weight if sample_weight is None else weight * sample_weight


class _BinaryTarget(Loss):
    """Shared by the losses whose target is a probability of the positive class."""

    def _check_block(self, y, pred, start, params):
        V.check_in_interval(y, "y", 0.0, 1.0, "targets (0/1 labels or probabilities)", start)

    def _example_weight(self, y, pred, params, sample_weight):
        return binary_class_weight(y, params["class_weight"], sample_weight, pred.dtype)


class BCE(_BinaryTarget):
    r"""Binary cross-entropy on probabilities $\hat p \in [0, 1]$.

    $$
    L = -\left[y \log \hat p + (1 - y) \log(1 - \hat p)\right], \qquad
    \frac{\partial L}{\partial \hat p} = \frac{\hat p - y}{\hat p (1 - \hat p)}.
    $$

    **Clipping.** $\hat p$ is clipped to $[\epsilon, 1 - \epsilon]$ with
    $\epsilon$ the machine epsilon of its dtype (2.2e-16 in float64, 1.2e-7 in float32),
    as scikit-learn's ``log_loss`` does, so a confident wrong prediction costs at most
    36.04 (float64) or 15.94 (float32) instead of infinity; the gradient there is taken at the
    clipped value. PyTorch's ``BCELoss`` instead clamps each log at -100 and Keras clips at 1e-7.
    Prefer ``bce_with_logits`` when the model produces logits: it needs no clipping.

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.bce([1.0], [0.2689414213699951])), 4)
    1.3133
    """

    name = "bce"
    pred_name = "probs"
    prediction = "probability"
    defaults = {"class_weight": None}

    def _check_block(self, y, probs, start, params):
        super()._check_block(y, probs, start, params)
        V.check_in_interval(probs, "probs", 0.0, 1.0, "probabilities", start)

    def _forward(self, y, probs, grad_out, **_):
        eps = np.finfo(probs.dtype).eps
        p = np.clip(probs, eps, 1 - eps)  # log(0) would be -inf: clip as documented above
        loss = -(y * np.log(p) + (1 - y) * np.log1p(-p))  # log1p(-p) keeps precision for small p
        if grad_out is not None:
            np.divide(p - y, p * (1 - p), out=grad_out)
        return loss


    def _forward_hess(self, y, probs, **_):
        r"""$y/\hat p^2 + (1 - y)/(1 - \hat p)^2$, at the clipped $\hat p$ like the gradient.

        Always positive (the loss is strictly convex in $\hat p$ unless y is 0 or 1 and $\hat p$
        sits at the other end); at the clip bounds it is at most $1/\epsilon^2$ (2e31 in float64,
        7e13 in float32), finite in both dtypes.
        """
        eps = np.finfo(probs.dtype).eps
        p = np.clip(probs, eps, 1 - eps)
        q = 1 - p
        return y / (p * p) + (1 - y) / (q * q)

class BCEWithLogits(_BinaryTarget):
    r"""Binary cross-entropy on logits $z$, with $\hat p = \sigma(z)$.

    $$
    L = -\left[w_+\, y \log \sigma(z) + (1 - y) \log(1 - \sigma(z))\right], \qquad
    \frac{\partial L}{\partial z} = (1 - y)\,\sigma(z) - w_+\, y\, \sigma(-z),
    $$

    which is $\sigma(z) - y$ when ``pos_weight`` $w_+$ is 1 (None).

    **Stability.** With $e = e^{-|z|}$ (never overflows), $-\log\sigma(-z) =
    \max(z, 0) + \operatorname{log1p}(e)$ and $\sigma(z) = 1/(1+e)$ or $e/(1+e)$:
    one exponential per element serves the value and the gradient. The gradient is formed as
    $(1-y)\sigma(z) - y\sigma(-z)$ rather than $\sigma(z) - y$, so for a confident
    correct prediction ($y = 1, z = 40$) it is $-4.2\times10^{-18}$, not
    $1 - 1 = 0$.

    ``pos_weight`` multiplies the positive term (PyTorch's ``pos_weight``): a scalar, or an
    array that broadcasts against the logits (one weight per output column).

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.bce_with_logits([1.0], [-1.0])), 4)        # the lesson's example
    1.3133
    >>> lr.bce_with_logits.grad([1.0], [-1.0]).round(4)
    array([-0.7311])
    >>> lr.bce_with_logits.hess([1.0, 0.0], [0.0, 0.0], reduction="none")   # sigma(z) (1 - sigma(z))
    array([0.25, 0.25])
    """

    name = "bce_with_logits"
    pred_name = "logits"
    prediction = "logit"
    defaults = {"pos_weight": None, "class_weight": None}

    def _check_params(self, params, logits):
        pw = params["pos_weight"]
        if pw is None:
            return params
        arr = np.asarray(pw)
        if arr.dtype.kind not in "iuf" or arr.dtype.kind == "b":
            raise TypeError(f"pos_weight has dtype {arr.dtype}; expected non-negative numbers")
        try:
            arr = np.broadcast_to(arr.astype(logits.dtype, copy=False), logits.shape)
        except ValueError:
            raise ValueError(
                f"pos_weight must be a scalar or broadcast to logits {logits.shape}; got shape {np.shape(pw)}"
            ) from None
        V.check_finite(arr, "pos_weight")
        V.check_nonnegative(arr, "pos_weight", "non-negative weights")
        return {**params, "pos_weight": arr}

    def _aligned_params(self, y, logits, params):
        return {} if params["pos_weight"] is None else {"pos_weight": params["pos_weight"]}

    def _forward(self, y, logits, grad_out, *, pos_weight, **_):
        z = logits
        e = np.abs(z)
        np.negative(e, out=e)
        np.exp(e, out=e)  # e = exp(-|z|) <= 1: the only exponential, shared by value and gradient
        log1p_e = np.log1p(e)
        if pos_weight is None:
            # L = softplus(z) - y z = log1p(e) + z (step(z) - y), with step(z) = 1 for z >= 0. For 0/1
            # labels the bracket is exactly -1, 0 or 1, so no large terms cancel when the loss is tiny.
            step_minus_y = np.subtract(1, y)
            np.subtract(step_minus_y, np.signbit(z), out=step_minus_y)  # signbit(-0.0) is set: see below
            loss = np.multiply(z, step_minus_y)
            loss += log1p_e
            if grad_out is not None:
                # sigma(z) - y = (step(z) - y) - sign(z) e/(1+e): the tail e/(1+e) is subtracted from a
                # small integer instead of forming 1 - sigma(z) as a difference of numbers near 1. At
                # z = -0.0 both step = 0 and the sign are those of a negative z, so the result is 0.5 - y.
                tail = np.add(e, 1, out=log1p_e)
                np.divide(e, tail, out=e)
                np.copysign(e, z, out=e)
                np.subtract(step_minus_y, e, out=grad_out)
            return loss
        inv = 1 / (1 + e)
        positive = z >= 0
        softplus_pos = np.maximum(z, 0) + log1p_e  # -log(1 - sigma(z))
        softplus_neg = np.maximum(-z, 0) + log1p_e  # -log sigma(z)
        loss = (1 - y) * softplus_pos + pos_weight * y * softplus_neg
        if grad_out is not None:
            sig_pos = np.where(positive, inv, e * inv)  # sigma(z)
            sig_neg = np.where(positive, e * inv, inv)  # sigma(-z) = 1 - sigma(z), without the subtraction
            np.subtract((1 - y) * sig_pos, pos_weight * y * sig_neg, out=grad_out)
        return loss


    def _forward_hess(self, y, logits, *, pos_weight, **_):
        r"""$\big((1 - y) + w_+ y\big)\,\sigma(z)\,\sigma(-z)$, which is $\sigma(z)(1 - \sigma(z))$ when $w_+ = 1$.

        Differentiating the gradient $(1 - y)\sigma(z) - w_+ y\,\sigma(-z)$ once more, with
        $\sigma'(z) = \sigma(z)\sigma(-z)$ and $\frac{d}{dz}\sigma(-z) = -\sigma(z)\sigma(-z)$.
        The product is formed from $e^{-|z|}$ (``sigmoid_slope``), finite for every finite logit.
        """
        slope = sigmoid_slope(logits)
        if pos_weight is None:
            return slope
        return ((1 - y) + pos_weight * y) * slope

class Focal(_BinaryTarget):
    r"""Sigmoid focal loss on logits (Lin et al., 2017): cross-entropy scaled down on easy examples.

    With $p = \sigma(z)$, $q = y(1-p) + (1-y)p$ the probability given to the wrong
    answer and $\mathrm{CE}$ the binary cross-entropy,

    $$
    L = \alpha_y\, q^{\gamma}\, \mathrm{CE}(y, z), \qquad
    \frac{\partial L}{\partial z} = \alpha_y\, q^{\gamma}\left[\gamma\,\frac{(1-2y)\,p(1-p)}{q}\,\mathrm{CE}
    + (p - y)\right],
    $$

    with $\alpha_y = \alpha y + (1-\alpha)(1-y)$ when ``alpha`` is given (1 otherwise).
    ``gamma=0`` gives ``bce_with_logits``.

    **Stability.** $q^\gamma$ is computed as $e^{\gamma \log q}$ with
    $\log q$ from log-sigmoids, and $p(1-p)/q$ as one exponential of a difference
    of logs. Nothing like $q^{\gamma - 1}$ is formed, so for $\gamma < 1$ the
    gradient stays finite where autograd of $(1 - p_t)^\gamma$ gives NaN (at
    $q = 0$, a confident correct prediction).

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.focal([1.0], [0.0], gamma=2.0)), 6)    # 0.5^2 * log 2
    0.173287
    """

    name = "focal"
    pred_name = "logits"
    prediction = "logit"
    defaults = {"gamma": 2.0, "alpha": None, "class_weight": None}

    def _check_params(self, params, logits):
        V.check_scalar(params["gamma"], "gamma", low=0)
        if params["alpha"] is not None:
            V.check_scalar(params["alpha"], "alpha", low=0, high=1)
        return params

    def _forward(self, y, logits, grad_out, *, gamma, alpha, **_):
        z = logits
        dtype = z.dtype
        e = np.exp(-np.abs(z))
        log1p_e = np.log1p(e)
        softplus_pos = np.maximum(z, 0) + log1p_e  # -log(1 - p)
        softplus_neg = np.maximum(-z, 0) + log1p_e  # -log p
        ce = y * softplus_neg + (1 - y) * softplus_pos
        # log q = log(y (1-p) + (1-y) p), a log-sum-exp of two log-terms; log 0 = -inf is harmless here.
        with np.errstate(divide="ignore"):
            log_q = np.logaddexp(np.log(y) - softplus_pos, np.log1p(-y) - softplus_neg)
        modulator = np.exp(gamma * log_q) if gamma != 0 else np.ones_like(z)
        weight = modulator if alpha is None else modulator * (alpha * y + (1 - alpha) * (1 - y))
        loss = (weight * ce).astype(dtype, copy=False)
        if grad_out is not None:
            inv = 1 / (1 + e)
            p = np.where(z >= 0, inv, e * inv)
            one_minus_p = np.where(z >= 0, e * inv, inv)
            p_minus_y = (1 - y) * p - y * one_minus_p  # no cancellation for 0/1 labels
            if gamma != 0:
                # (1-2y) p (1-p) / q = (1-2y) exp(log p + log(1-p) - log q); finite even when q underflows.
                with np.errstate(over="ignore", invalid="ignore"):
                    ratio = (1 - 2 * y) * np.exp(np.minimum(-softplus_neg - softplus_pos - log_q, 0))
                inner = gamma * ratio * ce + p_minus_y
            else:
                inner = p_minus_y
            np.multiply(weight, inner, out=grad_out, casting="same_kind")
        return loss


    def _forward_hess(self, y, logits, *, gamma, alpha, **_):
        r"""Second derivative of $\alpha_y q^\gamma\,\mathrm{CE}$ in the logit.

        With $s = p(1-p)$, $q' = (1-2y)s$, $q'' = (1-2y)s(1-2p)$, $\mathrm{CE}' = p - y$,
        $\mathrm{CE}'' = s$ and the bounded ratio $\rho = q'/q = (1-2y)\,s/q$
        ($|\rho| \le 1$ since $s \le q$), the product rule twice gives

        $$
        \frac{\partial^2 L}{\partial z^2} = \alpha_y\, q^{\gamma}\left[\gamma(\gamma - 1)\,\rho^2\,\mathrm{CE}
        + \gamma\,\rho\,(1 - 2p)\,\mathrm{CE} + 2\gamma\,\rho\,(p - y) + s\right].
        $$

        **Stability.** Written this way only $q^\gamma$ multiplies bounded factors: no
        $q^{\gamma-1}$ or $q^{\gamma-2}$ is formed, so for $\gamma < 1$ the result stays finite
        where $q \to 0$ (a confident correct prediction), where the true value tends to 0.
        $q^\gamma = e^{\gamma\log q}$, $\log q$ and $\rho$ come from log-sigmoids as in the
        gradient; $s$ from $e^{-|z|}$.
        """
        z = logits
        e = np.exp(-np.abs(z))
        log1p_e = np.log1p(e)
        softplus_pos = np.maximum(z, 0) + log1p_e  # -log(1 - p)
        softplus_neg = np.maximum(-z, 0) + log1p_e  # -log p
        s = e / ((1 + e) * (1 + e))  # p (1 - p)
        if gamma == 0:
            h = s
        else:
            ce = y * softplus_neg + (1 - y) * softplus_pos
            inv = 1 / (1 + e)
            p = np.where(z >= 0, inv, e * inv)
            one_minus_p = np.where(z >= 0, e * inv, inv)
            p_minus_y = (1 - y) * p - y * one_minus_p  # no cancellation for 0/1 labels
            one_minus_2p = np.where(z >= 0, (e - 1) * inv, (1 - e) * inv)  # (1 - p) - p from e, exact sign
            with np.errstate(divide="ignore"):
                log_q = np.logaddexp(np.log(y) - softplus_pos, np.log1p(-y) - softplus_neg)
            with np.errstate(over="ignore", invalid="ignore"):
                # rho = (1-2y) s / q = (1-2y) exp(log p + log(1-p) - log q) <= 1 in magnitude
                rho = (1 - 2 * y) * np.exp(np.minimum(-softplus_neg - softplus_pos - log_q, 0))
            bracket = gamma * (gamma - 1) * rho * rho * ce + gamma * rho * one_minus_2p * ce
            bracket += 2 * gamma * rho * p_minus_y
            bracket += s
            h = np.exp(gamma * log_q) * bracket
        if alpha is not None:
            h = h * (alpha * y + (1 - alpha) * (1 - y))
        return h.astype(z.dtype, copy=False)

class CrossEntropy(Loss):
    r"""Softmax cross-entropy on logits $z \in \mathbb R^C$ (classes on the last axis).

    $$
    L = -\sum_j \tilde y_j \log \operatorname{softmax}(z)_j, \qquad
    \frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - \tilde y_j,
    $$

    where $y$ is an integer label (one-hot) or a probability row, and
    $\tilde y = (1 - \varepsilon) y + \varepsilon / C$ with ``label_smoothing``
    $\varepsilon$.

    * ``class_weight`` (shape ``(C,)``) weights each example by its class;
      ``reduction="mean"`` divides by the sum of the weights used, like PyTorch for integer
      labels. With label smoothing PyTorch also weights the smoothing terms class by class,
      and with probability targets it weights terms by class and divides by ``n``; lossref
      keeps one rule (see the module docstring), and the reference page shows both numbers.
    * ``ignore_index``: examples with this label contribute nothing and are left out of the
      mean. It may be any integer, including a real class id.

    **Stability.** $\log\operatorname{softmax}(z) = z - m - \log\sum_j e^{z_j - m}$ with
    $m = \max_j z_j$ (log-sum-exp): no exponential overflows and no log sees 0.

    Examples
    --------
    >>> import lossref as lr
    >>> round(float(lr.cross_entropy([1], [[2.0, 0.0, -1.0]])), 3)   # class 2 of the lesson, 0-indexed
    2.17
    """

    name = "cross_entropy"
    pred_name = "logits"
    prediction = "logit"
    per_row = True
    defaults = {"class_weight": None, "label_smoothing": 0.0, "ignore_index": None}

    def _check_params(self, params, logits):
        if logits.ndim < 2:
            raise ValueError(f"logits must have shape (n, C), classes on the last axis; got shape {logits.shape}")
        V.check_scalar(params["label_smoothing"], "label_smoothing", low=0, high=1)
        if params["ignore_index"] is not None:
            V.check_scalar(params["ignore_index"], "ignore_index", integer=True)
        class_weight = V.check_class_weight(params["class_weight"], logits.shape[-1], logits.dtype)
        return {**params, "class_weight": class_weight}

    def _prepare_target(self, y, logits, params):
        arr = np.asarray(y)
        n_classes = logits.shape[-1]
        if arr.shape == logits.shape[:-1]:
            labels = V.as_labels(arr, "y")
            V.check_class_range(labels, "y", n_classes, params["ignore_index"])
            return labels
        if arr.shape == logits.shape:
            if params["ignore_index"] is not None:
                raise ValueError("ignore_index needs integer labels y; got probability rows")
            return V.as_target(arr, "y", logits.dtype)
        raise ValueError(
            f"y must hold integer labels of shape {logits.shape[:-1]} or probability rows of shape "
            f"{logits.shape} to match logits {logits.shape}; got shape {arr.shape}"
        )

    def _check_block(self, y, logits, start, params):
        if y.dtype.kind == "f":
            V.check_prob_rows(y, "y", start)

    def _example_weight(self, y, logits, params, sample_weight):
        class_weight, ignore = params["class_weight"], params["ignore_index"]
        weight = None
        if y.dtype.kind == "f":
            if class_weight is not None:
                weight = y @ class_weight  # expected class weight of a soft target
        else:
            if class_weight is not None:
                weight = class_weight[np.where(y == ignore, 0, y) if ignore is not None else y]
            if ignore is not None:
                keep = (y != ignore).astype(logits.dtype)
                weight = keep if weight is None else weight * keep
        if weight is None:
            return sample_weight
        return weight if sample_weight is None else weight * sample_weight

    def _forward(self, y, logits, grad_out, *, label_smoothing, ignore_index, **_):
        n_classes = logits.shape[-1]
        eps = label_smoothing
        shifted, top = shift_by_row_max(logits, out=grad_out)  # log-sum-exp shift: every exponent <= 0
        if y.dtype.kind == "f":
            target = y if eps == 0 else (1 - eps) * y + eps / n_classes
            target_dot_shifted = np.einsum("...j,...j->...", target, shifted)
            target_mass = target.sum(axis=-1)
        else:
            labels = np.where(y == ignore_index, 0, y) if ignore_index is not None else y
            picked = np.take_along_axis(shifted, labels[..., None], axis=-1)[..., 0]
            target_dot_shifted = (1 - eps) * picked
            if eps:
                target_dot_shifted = target_dot_shifted + eps * shifted.mean(axis=-1)
            target_mass = None
        log_sum_exp, sum_exp = exp_and_log_sum_exp(shifted, top)  # shifted now holds the exponentials
        # -sum_j t_j log p_j = (sum_j t_j) logsumexp - sum_j t_j (z_j - m)
        loss = (log_sum_exp if target_mass is None else target_mass * log_sum_exp) - target_dot_shifted
        if grad_out is not None:
            softmax = shifted
            softmax *= (1 / sum_exp)[..., None]
            if y.dtype.kind == "f":
                if target_mass is not None:
                    softmax *= target_mass[..., None]
                softmax -= target
            else:
                rows = np.take_along_axis(softmax, labels[..., None], axis=-1)
                np.put_along_axis(softmax, labels[..., None], rows - (1 - eps), axis=-1)
                if eps:
                    softmax -= eps / n_classes
        return loss.astype(logits.dtype, copy=False)


    def _forward_hess(self, y, logits, *, label_smoothing, ignore_index, **_):
        r"""One block per row: $m\,(\operatorname{diag}(p) - p p^\top)$ with $p = \operatorname{softmax}(z)$.

        The loss is $m \log\sum_j e^{z_j} - \tilde y^\top z$ with the target mass
        $m = \sum_j \tilde y_j$; the linear term has no curvature, so label smoothing changes
        the Hessian only through $m = (1 - \varepsilon)\sum_j y_j + \varepsilon$ (1 for integer
        labels and for probability rows). Class weights and ignored examples are example weights:
        the driver scales each row's block by them, as it scales the gradient.
        """
        if y.dtype.kind == "f":
            mass = (1 - label_smoothing) * y.sum(axis=-1) + label_smoothing
        else:
            mass = 1.0
        return softmax_hessian(logits, mass)

class KLDivergence(Loss):
    r"""Kullback-Leibler divergence $\mathrm{KL}(y \,\|\, \operatorname{softmax}(z))$ per row.

    $$
    L = \sum_j y_j \left(\log y_j - \log\operatorname{softmax}(z)_j\right), \qquad
    \frac{\partial L}{\partial z_j} = \operatorname{softmax}(z)_j - y_j,
    $$

    with $0 \log 0 = 0$. It is cross-entropy minus the target's entropy, so it has the
    same gradient and is 0 exactly when the prediction equals the target.

    The prediction is logits; log-probabilities are logits too (``log_softmax`` leaves them
    unchanged), so PyTorch's ``kl_div(log_probs, y)`` input can be passed as is.
    ``reduction="mean"`` averages over rows, which is PyTorch's ``"batchmean"``; PyTorch's
    ``"mean"`` divides by the number of elements instead.

    Examples
    --------
    >>> import lossref as lr
    >>> float(lr.kl_divergence([[0.5, 0.5]], [[0.0, 0.0]]))
    0.0
    """

    name = "kl_divergence"
    pred_name = "logits"
    prediction = "logit"
    per_row = True
    defaults = {"class_weight": None}

    def _check_params(self, params, logits):
        if logits.ndim < 2:
            raise ValueError(f"logits must have shape (n, C), classes on the last axis; got shape {logits.shape}")
        return {**params, "class_weight": V.check_class_weight(params["class_weight"], logits.shape[-1], logits.dtype)}

    def _prepare_target(self, y, logits, params):
        y = V.as_target(y, "y", logits.dtype)
        if y.shape != logits.shape:
            raise ValueError(f"y must hold probability rows of the logits' shape {logits.shape}; got shape {y.shape}")
        return y

    def _check_block(self, y, logits, start, params):
        V.check_prob_rows(y, "y", start)

    def _example_weight(self, y, logits, params, sample_weight):
        if params["class_weight"] is None:
            return sample_weight
        weight = y @ params["class_weight"]
        return weight if sample_weight is None else weight * sample_weight

    def _forward(self, y, logits, grad_out, **_):
        shifted, top = shift_by_row_max(logits, out=grad_out)
        target_dot_shifted = np.einsum("...j,...j->...", y, shifted)
        neg_entropy = xlogx(y).sum(axis=-1)  # sum y log y with 0 log 0 = 0
        log_sum_exp, sum_exp = exp_and_log_sum_exp(shifted, top)
        mass = y.sum(axis=-1)
        loss = neg_entropy + mass * log_sum_exp - target_dot_shifted
        if grad_out is not None:
            shifted *= (mass / sum_exp)[..., None]
            shifted -= y
        # Rounding can leave -1e-17 where the divergence is exactly 0; KL is never negative.
        return np.maximum(loss, 0).astype(logits.dtype, copy=False)

    def _forward_hess(self, y, logits, **_):
        r"""One block per row: $m\,(\operatorname{diag}(p) - p p^\top)$, $m = \sum_j y_j$: that of cross-entropy.

        KL is cross-entropy minus the target's entropy, which does not depend on the logits.
        """
        return softmax_hessian(logits, y.sum(axis=-1))
