"""Regenerate ``tests/data/reference.json``: reference values and gradients for every lossref loss.

Rerun with ``make reference`` (or, from the repository root,
``.venv-ref/bin/python tests/data/make_reference.py``). It needs the reference environment of
``requirements/reference.txt`` (Python 3.11, PyTorch 2.13 CPU, Keras 3.15, JAX 0.10 CPU with optax
0.2.8, scikit-learn, NumPy, SciPy, mpmath)
and deliberately does not import lossref: every expected number comes from elsewhere.

Where the numbers come from (each case's ``source`` says which):

* ``torch``: the PyTorch function called with the case's inputs in float64; the gradient is
  autograd's gradient of the reduced loss with respect to the prediction (for
  ``reduction="none"``, of the sum of the per-example losses).
* ``torch, converted``: PyTorch's per-example losses, combined by lossref's conventions with an
  explicit formula (for example the weighted mean ``sum(w * l) / sum(w)``, or the factor ``C``
  between ``MultiMarginLoss`` and Weston-Watkins); autograd differentiates the converted
  expression.
* ``sklearn``: a scikit-learn metric gives the value (metrics have no gradient; the gradient
  then comes from PyTorch).
* ``mpmath``: a 60-digit evaluation of the loss's defining formula, used where float64
  frameworks lose precision or overflow (extreme logits, PyTorch's NaN/inf), and for lossref
  conventions no framework implements.

* ``keras``: Keras 3 with the torch backend (imported with ``KERAS_BACKEND=torch``, floatx and
  dtype policy ``float64``). Keras numbers appear only in ``framework`` blocks: a case's
  ``expected`` never comes from Keras.

* ``optax``: optax 0.2.8 on JAX's CPU backend with 64-bit floats enabled
  (``jax_enable_x64``); the gradient is ``jax.grad`` of the sum of the call's output with respect
  to the prediction. As with Keras, optax numbers appear only in ``framework`` blocks (calls that
  name ``optax.``; the call may wrap optax in ``jnp`` operations, e.g. a weighted mean, since optax
  losses return per-element or per-row values and take no weights): ``expected`` never comes from
  optax. A block whose difference is not ``"same"`` is also checked against a numpy float64
  evaluation of optax's formula, read from its source (rtol 1e-12). Where optax's number differs
  from lossref's by a constant factor (``l2_loss``'s 1/2, smooth L1 written as ``huber_loss / beta``),
  the block's ``scale`` records it: lossref's value and gradient are ``scale`` times optax's.

Independently of the source, every case is also evaluated with mpmath from lossref's
documented formulas, and the script stops if the two disagree (beyond a documented tolerance).
So a framework number only becomes an expectation when a second computation agrees with it.

Where lossref deliberately differs from the framework (weighted means, class-weighted label
smoothing, Weston-Watkins without the 1/C, BCE clipping, KL's "mean", ...), the case carries a
``framework`` block with the framework's own call, its raw value (and gradient when
meaningful) and a ``difference`` sentence; ``expected`` is always lossref's convention. The
site shows both numbers; ``tests/test_reference.py`` asserts lossref's.

Keras blocks (calls starting with ``keras.``) hold Keras's number for the literal call, in float64.
Keras 3.15's type promotion (``keras.src.backend.common.dtypes.result_type``) maps float64 to
float32 on every backend but TensorFlow, so on the torch backend ``ops.maximum``,
``ops.minimum`` and ``ops.divide_no_nan`` return float32 even with floatx ``float64``: every
"mean" reduction (``sum_over_batch_size``, ``mean_with_sample_weight``) and the hinge losses
come back in float32 (keras-team/keras#23223, #23704). The script therefore evaluates each Keras
call with that one table entry set to keep float64 (``keras_float64``, restored afterwards:
the promotion TensorFlow gets), asserts the result is a float64 tensor, checks that stock Keras
gives the same number to float32 precision (rtol 1e-6), and checks it against a numpy float64
evaluation of Keras's documented formula (rtol 1e-12). A block whose ``difference`` is
``"same"`` must also agree with ``expected`` (value, and gradient when recorded).

The losses of structured outputs (sequences, ranking, metric learning, segmentation, boxes) are
checked the same way against mpmath, which evaluates each per-example loss from its defining
formula (``m_examples``); their gradients are central differences of the 60-digit reduced loss
with step 1e-25 (error about 1e-35), so they too are independent of every framework's autograd.
Box losses have no importable framework (torchvision does not import beside torch 2.13): their
numbers are mpmath's, from torchvision's published formula, and their ``source`` says so.

Case schema. A loss of (target, prediction) has ``y``, ``pred`` and ``grad``, whatever its
argument names (``nll(y, log_probs)``, ``ctc(targets, logits)``, ``dice(y, probs)``, ...);
array-valued parameters (``input_lengths``, ``mask``, ``class_weight``) are in ``params``. A loss
of more arrays (``margin_ranking(y, x1, x2)``, ``triplet_margin(anchor, positive, negative)``,
``cosine_embedding``, ``info_nce``) has instead ``arrays``, a dict from argument name to array
(passed by name; an optional array left out is absent), and ``grads``, a dict from the name of each
prediction to the gradient of the reduced loss with respect to it; its framework block, if any,
has ``grads`` too. ``sample_weight`` is per example (per sequence, pair, triplet, anchor, image or
box).

Output is deterministic: fixed seeds, sorted keys, floats written with ``repr(float)``,
non-finite framework numbers written as the strings ``"inf"``, ``"-inf"`` and ``"nan"``.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import math
import os
import platform
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "reference.json"
SCRIPT = "tests/data/make_reference.py"

# Tolerances of the cross-check between the source of a case and the mpmath evaluation.
CHECK_RTOL = 1e-11
CHECK_ATOL = 1e-14

CASES: list[dict] = []


def _import_tools() -> None:
    """Import the reference tools.

    Done here rather than at the top so that importing this file (pytest's doctest collection
    runs in the test environment, which has no torch) needs only the standard library.
    """
    global np, torch, F, mp, skm, sklearn, scipy, keras, keras_dtypes
    import mpmath as mp
    import numpy as np
    import scipy
    import sklearn
    import sklearn.metrics as skm
    import torch
    import torch.nn.functional as F

    torch.set_default_dtype(torch.float64)
    mp.mp.dps = 60

    os.environ["KERAS_BACKEND"] = "torch"  # before the first import of keras
    import keras
    from keras.src.backend.common import dtypes as keras_dtypes

    if keras.backend.backend() != "torch":
        raise RuntimeError(f"keras must run on the torch backend, not {keras.backend.backend()}")
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")
    keras.config.set_epsilon(1e-7)  # Keras's default, whatever ~/.keras/keras.json says

    global jax, jnp, optax
    os.environ.setdefault("JAX_PLATFORMS", "cpu")  # before the first import of jax
    import jax
    import jax.numpy as jnp
    import optax

    jax.config.update("jax_enable_x64", True)  # float64 arrays; without it JAX silently uses float32


# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------
def rand(seed, shape, scale=1.0, decimals=3):
    """Reproducible normal numbers, rounded so that the JSON stays readable."""
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(size=shape) * scale, decimals)


def uniform(seed, shape, low, high, decimals=3):
    rng = np.random.default_rng(seed)
    return np.round(rng.uniform(low, high, size=shape), decimals)


def integers(seed, shape, low, high):
    rng = np.random.default_rng(seed)
    return rng.integers(low, high, size=shape)


def prob_rows(seed, shape, zeros=0):
    """Probability rows (last axis), optionally with ``zeros`` exact zeros per row."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.05, 1.0, size=shape)
    if zeros:
        for idx in np.ndindex(shape[:-1]):
            p[idx][rng.choice(shape[-1], size=zeros, replace=False)] = 0.0
    p = np.round(p / p.sum(axis=-1, keepdims=True), 4)
    # make each row sum to 1 up to rounding by putting the remainder on the largest entry
    for idx in np.ndindex(shape[:-1]):
        row = p[idx]
        j = int(np.argmax(row))
        row[j] = round(1.0 - (row.sum() - row[j]), 4)
    return p


def T(a):
    return torch.as_tensor(np.asarray(a, dtype=np.float64))


def L(a):
    return torch.as_tensor(np.asarray(a, dtype=np.int64))


def autograd(fn, pred):
    """Value of ``fn(pred)`` and the gradient of its sum with respect to ``pred``."""
    p = torch.tensor(np.asarray(pred, dtype=np.float64), requires_grad=True)
    out = fn(p)
    (g,) = torch.autograd.grad(out.sum(), p)
    value = out.detach().numpy()
    return (float(value) if value.ndim == 0 else value), g.numpy()


def reduce(per_example, weight, reduction):
    """lossref's reduction of per-example losses with per-example weights (a torch expression)."""
    if weight is None:
        weight = torch.ones_like(per_example)
    if reduction == "none":
        return weight * per_example
    total = (weight * per_example).sum()
    if reduction == "sum":
        return total
    return total / weight.sum()


def expected_weight(probs, class_weight):
    """Each row's expected class weight sum_j p_j w_j, correctly rounded (math.fsum).

    Not ``probs @ class_weight``: the rounding of a BLAS dot product depends on the CPU's kernel,
    and the fixture must not.
    """
    return T([math.fsum(p * w for p, w in zip(row, class_weight)) for row in np.asarray(probs, dtype=np.float64)])


def jsonable(x):
    """Plain Python numbers and lists; non-finite floats become strings."""
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if x != x:
            return "nan"
        if x in (float("inf"), float("-inf")):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    return x


# ---------------------------------------------------------------------------------------------
# mpmath evaluation of lossref's documented formulas (the independent cross-check)
# ---------------------------------------------------------------------------------------------
def M(x):
    return mp.mpf(float(x))


def m_softplus(x):
    """log(1 + e^x) at high precision."""
    return x + mp.log1p(mp.exp(-x)) if x > 0 else mp.log1p(mp.exp(x))


def m_sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def m_sign(x):
    return mp.mpf(1) if x > 0 else (mp.mpf(-1) if x < 0 else mp.mpf(0))


def m_binary_class_weight(p_positive, class_weight):
    if class_weight is None:
        return mp.mpf(1)
    w0, w1 = M(class_weight[0]), M(class_weight[1])
    return w0 + (w1 - w0) * M(p_positive)


def m_elementwise(loss, y, p, prm, k):
    """(loss, d loss / d pred, class weight) of one element; ``k`` indexes aligned array parameters."""
    y_, p_ = M(y), M(p)
    if loss == "mse":
        r = p_ - y_
        return (r * r / 2, r, 1) if prm.get("half", False) else (r * r, 2 * r, 1)
    if loss == "mae":
        r = p_ - y_
        return abs(r), m_sign(r), 1
    if loss == "msle":
        d = mp.log1p(p_) - mp.log1p(y_)
        return d * d, 2 * d / (1 + p_), 1
    if loss == "huber":
        d = M(prm.get("delta", 1.0))
        r = p_ - y_
        if abs(r) <= d:
            return r * r / 2, r, 1
        return d * (abs(r) - d / 2), d * m_sign(r), 1
    if loss == "smooth_l1":
        b = M(prm.get("beta", 1.0))
        r = p_ - y_
        if b == 0:
            return abs(r), m_sign(r), 1
        if abs(r) < b:
            return r * r / (2 * b), r / b, 1
        return abs(r) - b / 2, m_sign(r), 1
    if loss == "log_cosh":
        r = p_ - y_
        return mp.log(mp.cosh(r)), mp.tanh(r), 1
    if loss == "quantile":
        tau = M(prm.get("tau", 0.5))
        u = y_ - p_
        value = max(tau * u, (tau - 1) * u)
        return value, (-tau if u > 0 else (1 - tau if u < 0 else mp.mpf(0))), 1
    if loss == "poisson_nll":
        eps = float(prm.get("eps", 1e-8))
        if prm.get("log_input", True):
            value, grad = mp.exp(p_) - y_ * p_, mp.exp(p_) - y_
        else:
            shifted = M(p) + M(eps)
            value, grad = p_ - y_ * mp.log(shifted), 1 - y_ / shifted
        if prm.get("full", False) and y_ > 1:
            value += y_ * mp.log(y_) - y_ + mp.log(2 * mp.pi * y_) / 2
        return value, grad, 1
    if loss == "gaussian_nll":
        var = np.broadcast_to(np.asarray(prm["var"], dtype=np.float64), prm["_shape"]).flat[k]
        v = max(M(var), M(prm.get("eps", 1e-6)))
        r = p_ - y_
        value = (mp.log(v) + r * r / v) / 2
        if prm.get("full", False):
            value += mp.log(2 * mp.pi) / 2
        return value, r / v, 1
    if loss == "bce":
        eps = float(np.finfo(np.float64).eps)
        pc = M(min(max(float(p), eps), 1 - eps))  # clipped in float64, as documented
        value = -(y_ * mp.log(pc) + (1 - y_) * mp.log(1 - pc))
        return value, (pc - y_) / (pc * (1 - pc)), m_binary_class_weight(y, prm.get("class_weight"))
    if loss == "bce_with_logits":
        pw = prm.get("pos_weight")
        w = mp.mpf(1) if pw is None else M(np.broadcast_to(np.asarray(pw, dtype=np.float64), prm["_shape"]).flat[k])
        value = (1 - y_) * m_softplus(p_) + w * y_ * m_softplus(-p_)
        grad = (1 - y_) * m_sigmoid(p_) - w * y_ * m_sigmoid(-p_)
        return value, grad, m_binary_class_weight(y, prm.get("class_weight"))
    if loss == "focal":
        gamma, alpha = M(prm.get("gamma", 2.0)), prm.get("alpha")
        s, s_neg = m_sigmoid(p_), m_sigmoid(-p_)  # p and 1 - p, each without a subtraction
        ce = y_ * m_softplus(-p_) + (1 - y_) * m_softplus(p_)
        q = y_ * s_neg + (1 - y_) * s
        a = mp.mpf(1) if alpha is None else M(alpha) * y_ + (1 - M(alpha)) * (1 - y_)
        dq = (1 - 2 * y_) * s * s_neg
        dce = (1 - y_) * s - y_ * s_neg
        qg = q**gamma if q > 0 else (mp.mpf(1) if gamma == 0 else mp.mpf(0))
        dqg = gamma * q ** (gamma - 1) * dq if (gamma != 0 and q > 0) else mp.mpf(0)
        return a * qg * ce, a * (dqg * ce + qg * dce), m_binary_class_weight(y, prm.get("class_weight"))
    if loss in ("hinge", "squared_hinge", "logistic"):
        m = y_ * p_
        cw = m_binary_class_weight((y + 1) / 2, prm.get("class_weight"))
        if loss == "hinge":
            v = 1 - m
            return max(v, 0), (-y_ if v > 0 else mp.mpf(0)), cw
        if loss == "squared_hinge":
            v = max(1 - m, 0)
            return v * v, -2 * y_ * v, cw
        return m_softplus(-m), -y_ * m_sigmoid(-m), cw
    if loss == "zero_one":
        return mp.mpf(1 if y_ * p_ <= 0 else 0), None, m_binary_class_weight((y + 1) / 2, prm.get("class_weight"))
    raise KeyError(loss)


def m_row(loss, y, z, prm):
    """(loss, gradient row, example weight) of one row for the per-row losses."""
    zs = [M(v) for v in z]
    C = len(zs)
    cw = prm.get("class_weight")
    if loss in ("cross_entropy", "kl_divergence"):
        top = max(zs)
        lse = top + mp.log(mp.fsum(mp.exp(v - top) for v in zs))
        logp = [v - lse for v in zs]
        soft = [mp.exp(v) for v in logp]
        if loss == "cross_entropy":
            eps = M(prm.get("label_smoothing", 0.0))
            if np.ndim(y) == 0:
                label = int(y)
                ignore = prm.get("ignore_index")
                if ignore is not None and label == ignore:
                    return mp.mpf(0), [mp.mpf(0)] * C, mp.mpf(0)
                target = [mp.mpf(1 if j == label else 0) for j in range(C)]
                weight = M(cw[label]) if cw is not None else mp.mpf(1)
            else:
                target = [M(v) for v in y]
                weight = mp.fsum(t * M(w) for t, w in zip(target, cw)) if cw is not None else mp.mpf(1)
            target = [(1 - eps) * t + eps / C for t in target]
            mass = mp.fsum(target)
            value = -mp.fsum(t * lp for t, lp in zip(target, logp))
            return value, [mass * s - t for s, t in zip(soft, target)], weight
        target = [M(v) for v in y]
        weight = mp.fsum(t * M(w) for t, w in zip(target, cw)) if cw is not None else mp.mpf(1)
        mass = mp.fsum(target)
        value = mp.fsum(t * (mp.log(t) - lp) for t, lp in zip(target, logp) if t > 0)
        return value, [mass * s - t for s, t in zip(soft, target)], weight
    label = int(y)
    weight = M(cw[label]) if cw is not None else mp.mpf(1)
    if loss == "multiclass_hinge":
        margin = M(prm.get("margin", 1.0))
        gaps = [margin + zs[j] - zs[label] if j != label else None for j in range(C)]
        grad = [mp.mpf(0)] * C
        if prm.get("variant", "crammer_singer") == "crammer_singer":
            rival = max((j for j in range(C) if j != label), key=lambda j: (gaps[j], -j))
            value = max(gaps[rival], 0)
            if value > 0:
                grad[rival], grad[label] = mp.mpf(1), mp.mpf(-1)
            return value, grad, weight
        active = [j for j in range(C) if j != label and gaps[j] > 0]
        for j in active:
            grad[j] = mp.mpf(1)
        grad[label] = -mp.mpf(len(active))
        return mp.fsum(gaps[j] for j in active), grad, weight
    if loss == "zero_one":
        best = max(range(C), key=lambda j: (zs[j], -j))
        return mp.mpf(1 if best != label else 0), None, weight
    raise KeyError(loss)


PER_ROW = {"cross_entropy", "kl_divergence", "multiclass_hinge"}


def mp_reference(loss, y, pred, params, reduction, sample_weight):
    """lossref's value and gradient by its documented formulas, in 60-digit arithmetic."""
    pred = np.asarray(pred, dtype=np.float64)
    y = np.asarray(y)
    per_row = loss in PER_ROW or (loss == "zero_one" and y.shape != pred.shape)
    loss_shape = pred.shape[:-1] if per_row else pred.shape
    prm = {**params, "_shape": pred.shape}
    values = np.empty(loss_shape, dtype=object)
    weights = np.empty(loss_shape, dtype=object)
    grads = np.empty(pred.shape, dtype=object)
    has_grad = loss != "zero_one"
    if per_row:
        for idx in np.ndindex(loss_shape):
            v, g, w = m_row(loss, y[idx], pred[idx], prm)
            values[idx], weights[idx] = v, w
            if has_grad:
                grads[idx] = np.array(g + [None], dtype=object)[:-1]
    else:
        for k, idx in enumerate(np.ndindex(loss_shape)):
            v, g, w = m_elementwise(loss, y[idx], pred[idx], prm, k)
            values[idx], weights[idx], grads[idx] = v, M(w) if not isinstance(w, mp.mpf) else w, g
    if sample_weight is not None:
        sw = np.asarray(sample_weight, dtype=np.float64)
        sw = sw.reshape(sw.shape + (1,) * (len(loss_shape) - sw.ndim))
        sw = np.broadcast_to(sw, loss_shape)
        for idx in np.ndindex(loss_shape):
            weights[idx] = weights[idx] * M(sw[idx])
    total_weight = mp.fsum(weights.flat)
    if reduction == "mean":
        scale = 1 / total_weight if total_weight > 0 else mp.mpf(0)
    else:
        scale = mp.mpf(1)
    weighted = np.empty(loss_shape, dtype=object)
    for idx in np.ndindex(loss_shape):
        weighted[idx] = weights[idx] * values[idx]
    if reduction == "none":
        value = np.vectorize(float, otypes=[float])(weighted)
    else:
        value = float(mp.fsum(weighted.flat) * scale)
    grad = None
    if has_grad:
        grad = np.empty(pred.shape, dtype=np.float64)
        for idx in np.ndindex(pred.shape):
            w = weights[idx[: len(loss_shape)]]
            grad[idx] = float(grads[idx] * w * scale)
    return value, grad


# ---------------------------------------------------------------------------------------------
# recording a case
# ---------------------------------------------------------------------------------------------
def close(a, b, rtol=CHECK_RTOL, atol=CHECK_ATOL):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(b)))) if b.size else 1.0
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= rtol * np.abs(b) + atol * scale))


def add(
    id,
    loss,
    y,
    pred,
    *,
    source,
    value=None,
    grad=None,
    params=None,
    reduction="mean",
    sample_weight=None,
    framework=None,
    note=None,
    grad_atol=None,
    check_rtol=CHECK_RTOL,
):
    """Record one case; ``value``/``grad`` None means "take mpmath's" (source mpmath)."""
    params = dict(params or {})
    mv, mg = mp_reference(loss, y, pred, params, reduction, sample_weight)
    if value is None:
        value = mv
    elif not close(value, mv, rtol=check_rtol):
        raise AssertionError(f"{id}: {source} value {value!r} disagrees with mpmath {mv!r}")
    if loss == "zero_one":
        grad = None
    elif grad is None:
        grad = mg
    elif not close(grad, mg, rtol=max(check_rtol, 1e-9)):
        raise AssertionError(f"{id}: {source} grad {grad!r} disagrees with mpmath {mg!r}")
    if not np.all(np.isfinite(value)) or (grad is not None and not np.all(np.isfinite(grad))):
        raise AssertionError(f"{id}: expected values must be finite")
    if any(c["id"] == id for c in CASES):
        raise AssertionError(f"duplicate case id {id}")
    if framework is not None and not framework.get("difference"):
        raise AssertionError(f"{id}: a framework block needs its difference")
    if framework is not None and "scale" in framework:  # lossref = scale * framework, value and gradient
        scale = framework["scale"]
        if not close(scale * np.asarray(framework["value"]), value):
            raise AssertionError(f"{id}: {scale!r} * framework value {framework['value']!r} is not {value!r}")
        if "grad" in framework and not close(scale * np.asarray(framework["grad"]), grad, rtol=1e-9):
            raise AssertionError(f"{id}: {scale!r} * framework grad {framework['grad']!r} is not {grad!r}")
    if framework is not None and framework["difference"] == "same":
        if not close(framework["value"], value):
            raise AssertionError(f"{id}: framework value {framework['value']!r} is not 'same' as {value!r}")
        if "grad" in framework and not close(framework["grad"], grad, rtol=1e-9):
            raise AssertionError(f"{id}: framework grad {framework['grad']!r} is not 'same' as {grad!r}")
    case = {
        "id": id,
        "loss": loss,
        "params": params,
        "reduction": reduction,
        "sample_weight": None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64),
        "y": np.asarray(y),
        "pred": np.asarray(pred, dtype=np.float64),
        "expected": value,
        "grad": grad,
        "source": source,
    }
    if framework is not None:
        case["framework"] = framework
    if note is not None:
        case["note"] = note
    if grad_atol is not None:
        case["grad_atol"] = grad_atol
    CASES.append(jsonable(case))


def torch_case(id, loss, y, pred, torch_fn, *, source="torch", **kw):
    """A case whose expected value and gradient are ``torch_fn``'s (differentiated by autograd)."""
    value, grad = autograd(torch_fn, pred)
    add(id, loss, y, pred, value=value, grad=grad, source=source, **kw)


def framework_block(call, fn, pred, difference, with_grad=True):
    value, grad = autograd(fn, pred)
    block = {"call": call, "value": value, "difference": difference}
    if with_grad:
        block["grad"] = grad
    return block


@contextlib.contextmanager
def keras_float64():
    """Let Keras's type promotion keep float64 (it maps float64 to float32 off TensorFlow)."""
    table = keras_dtypes.BIT64_TO_BIT32_DTYPE
    saved = table["float64"]
    table["float64"] = "float64"
    try:
        yield
    finally:
        table["float64"] = saved


def keras_block(call, fn, pred, difference, *, formula, with_grad=True, **extra):
    """A framework block holding Keras 3's number for ``call``; ``fn(pred)`` runs that call.

    The value comes from Keras run with float64 kept through its type promotion; it must be a
    float64 tensor, agree with stock Keras (float32 somewhere inside) to float32 precision, and
    agree with ``formula``, Keras's documented formula evaluated with numpy in float64. The
    gradient is autograd's, through Keras's torch ops.
    """
    if not call.startswith("keras."):
        raise AssertionError(f"a Keras call starts with 'keras.': {call}")

    def run():
        q = torch.tensor(np.asarray(pred, dtype=np.float64), requires_grad=True)
        out = fn(q)
        (g,) = torch.autograd.grad(out.sum(), q)
        return out, g

    with keras_float64():
        out, g = run()
    if out.dtype != torch.float64 or g.dtype != torch.float64:
        raise AssertionError(f"{call}: Keras returned {out.dtype} (gradient {g.dtype}), not float64")
    value = out.detach().numpy()
    value = float(value) if value.ndim == 0 else value
    stock, _ = run()
    if not close(stock.detach().numpy().astype(np.float64), value, rtol=1e-6, atol=1e-7):
        raise AssertionError(f"{call}: stock Keras {stock!r} is not {value!r} to float32 precision")
    if not close(value, formula, rtol=1e-12, atol=1e-15):
        raise AssertionError(f"{call}: Keras {value!r} disagrees with its formula {formula!r}")
    block = {"call": call, "value": value, "difference": difference, **extra}
    if with_grad:
        block["grad"] = g.numpy()
    return block


def optax_block(call, fn, pred, difference, *, formula=None, scale=None, with_grad=True, **extra):
    """A framework block holding optax's number for ``call``; ``fn(pred)`` runs that call.

    ``fn`` gets the prediction as a float64 JAX array and returns optax's output, reduced as the
    call says; the gradient is ``jax.grad`` of its sum. The output must be float64 (a float32
    result would mean x64 is off). A block whose ``difference`` is not ``"same"`` must give
    ``formula``, optax's formula (as its source computes it) in numpy float64, and agree with it,
    NaNs included. ``scale``: lossref's value and gradient are ``scale`` times optax's (checked in
    ``add``).
    """
    if "optax." not in call:
        raise AssertionError(f"an optax call names optax: {call}")
    q = jnp.asarray(np.asarray(pred, dtype=np.float64))
    out = fn(q)
    if out.dtype != jnp.float64:
        raise AssertionError(f"{call}: optax returned {out.dtype}, not float64")
    value = np.asarray(out, dtype=np.float64)
    value = float(value) if value.ndim == 0 else value
    if difference != "same" and formula is None:
        raise AssertionError(f"{call}: a block that differs from lossref needs optax's formula")
    if formula is not None:
        np.testing.assert_allclose(value, formula, rtol=1e-12, atol=1e-15, equal_nan=True, err_msg=call)
    block = {"call": call, "value": value, "difference": difference, **extra}
    if scale is not None:
        block["scale"] = float(scale)
    if with_grad:
        g = jax.grad(lambda a: jnp.sum(fn(a)))(q)
        if g.dtype != jnp.float64:
            raise AssertionError(f"{call}: optax's gradient is {g.dtype}, not float64")
        block["grad"] = np.asarray(g, dtype=np.float64)
    return block


# ---------------------------------------------------------------------------------------------
# the cases
# ---------------------------------------------------------------------------------------------
def regression_cases():
    # ---- mse
    y, p = rand(1, 8), rand(2, 8)
    torch_case("mse_mean", "mse", y, p, lambda q: F.mse_loss(q, T(y)))
    y, p = rand(3, (4, 3)), rand(4, (4, 3), 2.0)
    torch_case("mse_sum_2d", "mse", y, p, lambda q: F.mse_loss(q, T(y), reduction="sum"), reduction="sum")
    y, p, w = rand(5, 6), rand(6, 6), uniform(7, 6, 0.1, 3.0)
    torch_case(
        "mse_none_sample_weight", "mse", y, p,
        lambda q: reduce(F.mse_loss(q, T(y), reduction="none"), T(w), "none"),
        source="torch, converted", reduction="none", sample_weight=w,
        note="w * mse_loss(y_pred, y, reduction='none'); the gradient is that of the weighted sum.",
    )
    y, p = rand(8, 7), rand(9, 7)
    torch_case(
        "mse_half", "mse", y, p, lambda q: F.mse_loss(q, T(y)) / 2, source="torch, converted",
        params={"half": True},
        framework=framework_block(
            "torch.nn.functional.mse_loss(y_pred, y)", lambda q: F.mse_loss(q, T(y)), p,
            "half=True is the textbook 1/2 convention, whose gradient is the residual; PyTorch's mse_loss has no 1/2 "
            "(it equals lossref's default half=False). expected = torch value / 2.",
        ),
    )
    y, p, w = rand(10, 9), rand(11, 9), uniform(12, 9, 0.0, 2.0)
    _, grad = autograd(lambda q: reduce(F.mse_loss(q, T(y), reduction="none"), T(w), "mean"), p)
    add(
        "mse_sample_weight_sklearn", "mse", y, p, sample_weight=w, grad=grad,
        value=skm.mean_squared_error(y, p, sample_weight=w), source="sklearn (value), torch (grad)",
        note="sklearn.metrics.mean_squared_error(y, y_pred, sample_weight=w) is the weighted mean, as in lossref.",
    )
    y, p, w = rand(56, (4, 3)), rand(57, (4, 3)), np.array([1.0, 2.0, 0.5, 0.0])
    torch_case(
        "mse_row_sample_weight_2d_mean", "mse", y, p,
        lambda q: reduce(F.mse_loss(q, T(y), reduction="none"), T(w)[:, None].expand(4, 3), "mean"),
        source="torch, converted", sample_weight=w,
        note="one weight per row (shape (n,)) weights every element of the row: the mean is "
        "sum_ij w_i l_ij / sum_ij w_i, so sample_weight=ones(n) gives the unweighted mean.",
    )
    # ---- mae
    y = rand(13, 8)
    p = rand(14, 8)
    p[[2, 5]] = y[[2, 5]]  # exact ties: the subgradient is 0 in lossref and in torch (sign(0) = 0)
    torch_case("mae_mean_with_ties", "mae", y, p, lambda q: F.l1_loss(q, T(y)))
    y, p, w = rand(15, 8), rand(16, 8), uniform(17, 8, 0.2, 2.0)
    _, grad = autograd(lambda q: reduce(F.l1_loss(q, T(y), reduction="none"), T(w), "mean"), p)
    add(
        "mae_sample_weight_sklearn", "mae", y, p, sample_weight=w, grad=grad,
        value=skm.mean_absolute_error(y, p, sample_weight=w), source="sklearn (value), torch (grad)",
    )
    y, p = rand(18, (3, 4)), rand(19, (3, 4))
    torch_case("mae_sum_2d", "mae", y, p, lambda q: F.l1_loss(q, T(y), reduction="sum"), reduction="sum")
    # ---- msle: no torch loss, so torch operations give the gradient; scikit-learn gives the value
    y, p = uniform(300, 8, 0.0, 50.0), uniform(301, 8, 0.0, 50.0)
    y[2], p[5] = 0.0, 0.0
    _, grad = autograd(lambda q: ((torch.log1p(q) - torch.log1p(T(y))) ** 2).mean(), p)
    add(
        "msle_mean_sklearn", "msle", y, p, grad=grad, value=skm.mean_squared_log_error(y, p),
        source="sklearn (value), torch (grad)",
    )
    y, p, w = uniform(302, (3, 4), 0.0, 1e4), uniform(303, (3, 4), 0.0, 1e4), uniform(304, 3, 0.0, 2.0)
    torch_case(
        "msle_row_sample_weight_sum", "msle", y, p,
        lambda q: reduce((torch.log1p(q) - torch.log1p(T(y))) ** 2, T(w)[:, None].expand(3, 4), "sum"),
        source="torch, converted", reduction="sum", sample_weight=w,
    )
    # ---- huber / smooth_l1 (residuals on both sides of the threshold)
    y, p = rand(20, 10), rand(21, 10, 1.5)
    torch_case("huber_delta_0p5_mean", "huber", y, p, lambda q: F.huber_loss(q, T(y), delta=0.5),
               params={"delta": 0.5})
    y, p, w = rand(22, 8), rand(23, 8, 2.0), uniform(24, 8, 0.5, 2.0)
    torch_case(
        "huber_none_sample_weight", "huber", y, p,
        lambda q: reduce(F.huber_loss(q, T(y), reduction="none"), T(w), "none"),
        source="torch, converted", reduction="none", sample_weight=w,
    )
    y, p = rand(25, (3, 3)), rand(26, (3, 3), 3.0)
    torch_case("huber_delta_2_sum", "huber", y, p, lambda q: F.huber_loss(q, T(y), delta=2.0, reduction="sum"),
               params={"delta": 2.0}, reduction="sum")
    y, p = rand(27, 10), rand(28, 10, 2.5)
    torch_case("smooth_l1_beta_2_mean", "smooth_l1", y, p, lambda q: F.smooth_l1_loss(q, T(y), beta=2.0),
               params={"beta": 2.0})
    y, p = rand(29, 8), rand(30, 8)
    torch_case("smooth_l1_beta_0p25_sum", "smooth_l1", y, p,
               lambda q: F.smooth_l1_loss(q, T(y), beta=0.25, reduction="sum"),
               params={"beta": 0.25}, reduction="sum")
    y, p = rand(31, 6), rand(32, 6)
    torch_case("smooth_l1_beta_0_none", "smooth_l1", y, p,
               lambda q: F.smooth_l1_loss(q, T(y), beta=0.0, reduction="none"),
               params={"beta": 0.0}, reduction="none", note="beta=0 is the absolute error in both.")
    # ---- log_cosh: no torch loss; a stable torch formula |r| + log1p(exp(-2|r|)) - log 2
    y, p = rand(33, 9), rand(34, 9, 3.0)

    def log_cosh_torch(q):
        a = (q - T(y)).abs()
        return (a + torch.log1p(torch.exp(-2 * a)) - torch.log(torch.tensor(2.0))).mean()

    torch_case("log_cosh_mean", "log_cosh", y, p, log_cosh_torch, source="torch (stable formula)",
               note="PyTorch has no log-cosh loss; torch ops |r| + log1p(exp(-2|r|)) - log 2, autograd gradient.")
    y = np.array([0.0, 0.0, 1.0, -2.0, 0.5, 0.0, 3.0])
    p = np.array([1000.0, -1000.0, 1.0 + 1e-8, -2.0 - 1e-8, 0.5, 25.0, -40.0])
    add("log_cosh_extreme_sum", "log_cosh", y, p, reduction="sum", source="mpmath",
        note="log(cosh(r)) in float64 overflows for |r| > 710; the value at r = +-1000 is 1000 - log 2.")
    # ---- quantile
    y, p = rand(35, 10), rand(36, 10)
    _, grad = autograd(lambda q: torch.maximum(0.5 * (T(y) - q), -0.5 * (T(y) - q)).mean(), p)
    add(
        "quantile_tau_0p5_sklearn", "quantile", y, p, params={"tau": 0.5}, grad=grad,
        value=skm.mean_pinball_loss(y, p, alpha=0.5), source="sklearn (value), torch (grad)",
        note=f"tau=0.5 gives half the mean absolute error (MAE here: {float(skm.mean_absolute_error(y, p))!r}), "
        "in sklearn's mean_pinball_loss and in lossref alike.",
    )
    y, p, w = rand(37, 10), rand(38, 10), uniform(39, 10, 0.1, 2.0)
    _, grad = autograd(lambda q: reduce(torch.maximum(0.9 * (T(y) - q), -0.1 * (T(y) - q)), T(w), "mean"), p)
    add(
        "quantile_tau_0p9_sample_weight_sklearn", "quantile", y, p, params={"tau": 0.9}, sample_weight=w,
        grad=grad, value=skm.mean_pinball_loss(y, p, alpha=0.9, sample_weight=w),
        source="sklearn (value), torch (grad)",
    )
    y, p = rand(40, 7), rand(41, 7)
    torch_case("quantile_tau_0p1_none", "quantile", y, p,
               lambda q: torch.maximum(0.1 * (T(y) - q), (0.1 - 1) * (T(y) - q)),
               params={"tau": 0.1}, reduction="none", source="torch (formula)")
    # ---- poisson_nll (zero counts included)
    y = np.array([0.0, 1.0, 2.0, 0.0, 5.0, 3.0, 10.0, 1.0])
    p = rand(42, 8)
    torch_case("poisson_nll_log_input_mean", "poisson_nll", y, p, lambda q: F.poisson_nll_loss(q, T(y)),
               params={"log_input": True, "full": False})
    torch_case("poisson_nll_log_input_full_sum", "poisson_nll", y, p,
               lambda q: F.poisson_nll_loss(q, T(y), full=True, reduction="sum"),
               params={"log_input": True, "full": True}, reduction="sum")
    rates = uniform(43, 8, 0.05, 6.0)
    torch_case("poisson_nll_rate_mean", "poisson_nll", y, rates,
               lambda q: F.poisson_nll_loss(q, T(y), log_input=False),
               params={"log_input": False, "full": False})
    rates0 = rates.copy()
    rates0[[0, 5]] = 0.0  # a zero rate with y = 0 and with y = 3: eps = 1e-8 keeps the log finite
    torch_case("poisson_nll_rate_full_zero_rate_none", "poisson_nll", y, rates0,
               lambda q: F.poisson_nll_loss(q, T(y), log_input=False, full=True, reduction="none"),
               params={"log_input": False, "full": True}, reduction="none")
    w = uniform(44, 8, 0.0, 2.0)
    torch_case("poisson_nll_sample_weight_mean", "poisson_nll", y, p,
               lambda q: reduce(F.poisson_nll_loss(q, T(y), reduction="none"), T(w), "mean"),
               source="torch, converted", sample_weight=w)
    # ---- gaussian_nll
    y, p, var = rand(45, 8), rand(46, 8), uniform(47, 8, 0.1, 3.0)
    torch_case("gaussian_nll_var_per_element_mean", "gaussian_nll", y, p,
               lambda q: F.gaussian_nll_loss(q, T(y), T(var)), params={"var": var.tolist(), "full": False})
    y, p = rand(48, (3, 4)), rand(49, (3, 4))
    torch_case("gaussian_nll_scalar_var_full_sum", "gaussian_nll", y, p,
               lambda q: F.gaussian_nll_loss(q, T(y), 0.7, full=True, reduction="sum"),
               params={"var": 0.7, "full": True}, reduction="sum")
    y, p = rand(50, 6), rand(51, 6, 0.01)
    var = np.array([1e-9, 0.0, 1e-6, 2e-6, 1.0, 5e-7])
    torch_case("gaussian_nll_small_var_none", "gaussian_nll", y, p,
               lambda q: F.gaussian_nll_loss(q, T(y), T(var), full=True, reduction="none"),
               params={"var": var.tolist(), "full": True}, reduction="none",
               note="variances below eps = 1e-6 are clamped to eps (value and gradient), as in torch.")
    y, p, var, w = rand(52, 6), rand(53, 6), uniform(54, 6, 0.2, 2.0), uniform(55, 6, 0.5, 1.5)
    torch_case("gaussian_nll_sample_weight_mean", "gaussian_nll", y, p,
               lambda q: reduce(F.gaussian_nll_loss(q, T(y), T(var), reduction="none"), T(w), "mean"),
               source="torch, converted", params={"var": var.tolist()}, sample_weight=w)


def binary_cases():
    # ---- bce on probabilities
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.3, 0.8])
    p = uniform(60, 8, 0.02, 0.98)
    torch_case("bce_mean", "bce", y, p, lambda q: F.binary_cross_entropy(q, T(y)))

    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    p = np.array([0.0, 1.0, 1.0, 0.0, 0.7, 0.2])
    sk = skm.log_loss(y, y_proba=p, labels=[0, 1])
    mv, _ = mp_reference("bce", y, p, {}, "mean", None)
    if not close(sk, mv, rtol=1e-13):
        raise AssertionError(f"bce clipping: sklearn log_loss {sk!r} != mpmath {mv!r}")
    add(
        "bce_probs_0_and_1_mean", "bce", y, p, source="mpmath (value equals sklearn.metrics.log_loss)",
        framework=framework_block(
            "torch.nn.functional.binary_cross_entropy(probs, y)", lambda q: F.binary_cross_entropy(q, T(y)), p,
            "PyTorch clamps each log at -100, so a confidently wrong probability (y=1, p=0) costs 100 and the "
            "gradient uses max(p(1-p), 1e-12). lossref clips p to [eps, 1-eps] with eps the float64 machine "
            "epsilon 2.220446049250313e-16 (as sklearn.metrics.log_loss does): the cost is -log(eps) = 36.04, "
            "and the gradient is (p-y)/(p(1-p)) at the clipped p.",
        ),
        note=f"sklearn.metrics.log_loss(y, p) = {float(sk)!r}",
    )
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    p, w = uniform(61, 7, 0.05, 0.95), uniform(62, 7, 0.2, 3.0)
    torch_case(
        "bce_sample_weight_mean", "bce", y, p,
        lambda q: F.binary_cross_entropy(q, T(y), weight=T(w), reduction="sum") / T(w).sum(),
        source="torch, converted", sample_weight=w,
        framework=framework_block(
            "torch.nn.functional.binary_cross_entropy(probs, y, weight=w)",
            lambda q: F.binary_cross_entropy(q, T(y), weight=T(w)), p,
            "PyTorch's weight= rescales each element but 'mean' still divides by the number of elements, "
            "sum(w*l)/n; lossref's mean is the weighted mean sum(w*l)/sum(w). expected = torch "
            "(weight=w, reduction='sum') / sum(w).",
        ),
    )
    cw = [0.4, 2.5]
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 1.0])
    p = uniform(63, 6, 0.05, 0.95)
    wy = T(cw[0] * (1 - y) + cw[1] * y)
    torch_case("bce_class_weight_sum", "bce", y, p,
               lambda q: F.binary_cross_entropy(q, T(y), weight=wy, reduction="sum"),
               source="torch, converted", params={"class_weight": cw}, reduction="sum",
               note="class_weight=(w0, w1) is the per-element weight w0 (1-y) + w1 y (torch weight=).")
    # ---- bce_with_logits
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.25, 1.0, 0.0, 0.6])
    z = rand(64, 8, 2.0)
    torch_case("bce_with_logits_mean", "bce_with_logits", y, z,
               lambda q: F.binary_cross_entropy_with_logits(q, T(y)))
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.3, 0.3, 1.0, 0.0, 0.5, 1.0])
    z = np.array([1000.0, -1000.0, -1000.0, 1000.0, 1e-8, -1e-8, 1000.0, -1000.0, 0.0, 0.0, 1e-8, 36.0])
    value, grad = autograd(lambda q: F.binary_cross_entropy_with_logits(q, T(y), reduction="none"), z)
    add("bce_with_logits_extreme_none", "bce_with_logits", y, z, reduction="none",
        source="mpmath (torch agrees)", framework=None,
        note="logits +-1000, +-1e-8 and 0 with hard and soft targets: the loss is finite everywhere.")
    if not close(value, CASES[-1]["expected"]) or not close(grad, CASES[-1]["grad"]):
        raise AssertionError("bce_with_logits_extreme_none: torch disagrees")
    y = np.array([1.0, 1.0, 1.0, 1.0, 0.0, 0.0])
    z = np.array([20.0, 30.0, 40.0, 50.0, -40.0, -745.0])
    add(
        "bce_with_logits_grad_cancellation_sum", "bce_with_logits", y, z, reduction="sum", source="mpmath",
        grad_atol=0.0,
        framework=framework_block(
            "torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction='sum')",
            lambda q: F.binary_cross_entropy_with_logits(q, T(y), reduction="sum"), z,
            "PyTorch's gradient sigmoid(z) - y cancels for a confident correct prediction: at z = 40, y = 1 it "
            "is exactly 0 instead of -4.25e-18, and at z = 20 and 30 only a few digits are right. lossref forms "
            "(1-y) sigma(z) - y sigma(-z), accurate to full relative precision; this case is checked with no "
            "absolute tolerance on the gradient. PyTorch's value, log(1 + exp(-z)) rather than log1p, is right "
            "to 1e-16 absolute but only about 1e-9 relative here.",
        ),
    )
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0]])
    z = rand(65, (3, 3), 1.5)
    torch_case("bce_with_logits_pos_weight_scalar_mean", "bce_with_logits", y, z,
               lambda q: F.binary_cross_entropy_with_logits(q, T(y), pos_weight=T(3.0)),
               params={"pos_weight": 3.0})
    y = (uniform(66, (5, 3), 0, 1) > 0.5).astype(np.float64)
    z = rand(67, (5, 3), 1.5)
    pw = [1.0, 2.5, 0.5]
    torch_case("bce_with_logits_pos_weight_per_column_sum", "bce_with_logits", y, z,
               lambda q: F.binary_cross_entropy_with_logits(q, T(y), pos_weight=T(pw), reduction="sum"),
               params={"pos_weight": pw}, reduction="sum")
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    z, w = rand(68, 7, 2.0), uniform(69, 7, 0.1, 4.0)
    torch_case(
        "bce_with_logits_sample_weight_mean", "bce_with_logits", y, z,
        lambda q: F.binary_cross_entropy_with_logits(q, T(y), weight=T(w), reduction="sum") / T(w).sum(),
        source="torch, converted", sample_weight=w,
        framework=framework_block(
            "torch.nn.functional.binary_cross_entropy_with_logits(logits, y, weight=w)",
            lambda q: F.binary_cross_entropy_with_logits(q, T(y), weight=T(w)), z,
            "PyTorch's 'mean' with weight= is sum(w*l)/n; lossref's is sum(w*l)/sum(w). expected = torch "
            "(weight=w, reduction='sum') / sum(w).",
        ),
    )
    y = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    z, w = rand(70, (4, 2)), np.array([1.0, 0.5, 2.0, 0.0])
    torch_case(
        "bce_with_logits_row_weight_pos_weight_mean", "bce_with_logits", y, z,
        lambda q: reduce(F.binary_cross_entropy_with_logits(q, T(y), pos_weight=T([2.0, 0.5]), reduction="none"),
                         T(w)[:, None].expand(4, 2), "mean"),
        source="torch, converted", params={"pos_weight": [2.0, 0.5]}, sample_weight=w,
        note="one sample weight per row (shape (n,)) applies to every column; one row has weight 0.",
    )
    # ---- focal (torchvision.ops.sigmoid_focal_loss written in torch ops)
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    z = rand(71, 8, 2.0)
    torch_case(
        "focal_gamma_2_mean", "focal", y, z, lambda q: sigmoid_focal_loss(q, T(y), alpha=-1, gamma=2.0).mean(),
        source="torch (torchvision formula, alpha=-1)", params={"gamma": 2.0, "alpha": None},
        framework=framework_block(
            "torchvision.ops.sigmoid_focal_loss(logits, y, reduction='mean')  # defaults alpha=0.25, gamma=2",
            lambda q: sigmoid_focal_loss(q, T(y), alpha=0.25, gamma=2.0).mean(), z,
            "torchvision's default alpha=0.25 weights positives by 0.25 and negatives by 0.75; lossref's default "
            "alpha=None applies no alpha weighting (torchvision's alpha=-1). Pass alpha=0.25 to match torchvision.",
        ),
    )
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    z = rand(72, (4, 3), 2.0)
    torch_case("focal_alpha_0p25_sum", "focal", y, z,
               lambda q: sigmoid_focal_loss(q, T(y), alpha=0.25, gamma=2.0).sum(),
               source="torch (torchvision formula)", params={"gamma": 2.0, "alpha": 0.25}, reduction="sum")
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.3, 1.0])
    z = rand(73, 6, 2.0)
    torch_case("focal_gamma_0_equals_bce_with_logits_mean", "focal", y, z,
               lambda q: F.binary_cross_entropy_with_logits(q, T(y)),
               params={"gamma": 0.0}, note="gamma=0 is binary cross-entropy on logits.")
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    z, cw = rand(74, 5, 2.0), [0.3, 1.7]
    wy = T(cw[0] * (1 - y) + cw[1] * y)
    torch_case("focal_class_weight_mean", "focal", y, z,
               lambda q: reduce(sigmoid_focal_loss(q, T(y), alpha=-1, gamma=1.5), wy, "mean"),
               source="torch (torchvision formula), converted", params={"gamma": 1.5, "class_weight": cw})
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.3, 0.3, 1.0, 0.0])
    z = np.array([1000.0, -1000.0, -1000.0, 1000.0, 1e-8, -1e-8, 1000.0, -1000.0, 25.0, -25.0])
    value, grad = autograd(lambda q: sigmoid_focal_loss(q, T(y), alpha=0.25, gamma=2.0).mean(), z)
    add("focal_extreme_logits_mean", "focal", y, z, params={"gamma": 2.0, "alpha": 0.25},
        source="mpmath (torch agrees)")
    if not close(value, CASES[-1]["expected"]) or not close(grad, CASES[-1]["grad"]):
        raise AssertionError("focal_extreme_logits_mean: torch disagrees")
    y = np.array([1.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    z = np.array([40.0, 1000.0, -1000.0, 2.0, -0.5, 10.0])
    add(
        "focal_gamma_0p5_confident_none", "focal", y, z, params={"gamma": 0.5}, reduction="none",
        source="mpmath", grad_atol=0.0,
        framework=framework_block(
            "torchvision.ops.sigmoid_focal_loss(logits, y, alpha=-1, gamma=0.5, reduction='none')",
            lambda q: sigmoid_focal_loss(q, T(y), alpha=-1, gamma=0.5), z,
            "With gamma < 1, autograd of (1 - p_t)**gamma is gamma (1 - p_t)**(gamma-1) = inf at a confident "
            "correct prediction, where 1 - p_t rounds to 0 (z = 40, y = 1 already), and inf * 0 gives a NaN "
            "gradient. lossref computes q**gamma as exp(gamma log q) and never forms q**(gamma-1): its gradient is "
            "finite (the true value, e.g. -1.3e-26 at z = 40).",
        ),
    )
    # ---- margin losses on {-1, +1} labels
    y = np.array([1, -1, 1, 1, -1, -1, 1, -1, 1])
    s = rand(75, 9, 1.5)
    _, grad = autograd(lambda q: torch.clamp(1 - T(y) * q, min=0).mean(), s)
    add("hinge_mean_sklearn", "hinge", y, s, value=skm.hinge_loss(y, s), grad=grad,
        source="sklearn (value), torch (grad)")
    cw = [2.0, 0.5]
    wy = np.where(y > 0, cw[1], cw[0])
    _, grad = autograd(lambda q: reduce(torch.clamp(1 - T(y) * q, min=0), T(wy), "mean"), s)
    add("hinge_class_weight_sklearn", "hinge", y, s, params={"class_weight": cw}, grad=grad,
        value=skm.hinge_loss(y, s, sample_weight=wy), source="sklearn (value), torch (grad)",
        note="class_weight=(weight of -1, weight of +1); sklearn gets them as sample_weight.")
    y = np.array([1, -1, -1, 1, 1, -1])
    s = rand(76, 6)
    torch_case("hinge_none", "hinge", y, s, lambda q: torch.clamp(1 - T(y) * q, min=0),
               reduction="none", source="torch (formula)")
    y = np.array([1, -1, 1, -1, 1, -1, -1])
    s = rand(77, 7, 1.5)
    torch_case("squared_hinge_sum", "squared_hinge", y, s,
               lambda q: (torch.clamp(1 - T(y) * q, min=0) ** 2).sum(), reduction="sum", source="torch (formula)")
    w = uniform(78, 7, 0.0, 2.0)
    torch_case("squared_hinge_sample_weight_mean", "squared_hinge", y, s,
               lambda q: reduce(torch.clamp(1 - T(y) * q, min=0) ** 2, T(w), "mean"),
               sample_weight=w, source="torch (formula), converted")
    y = np.array([1, -1, 1, -1, 1, 1, -1, -1])
    s = rand(79, 8, 2.0)
    torch_case("logistic_mean", "logistic", y, s, lambda q: F.soft_margin_loss(q, T(y)))
    y = np.array([1, -1, 1, -1, 1, -1, 1])
    s = np.array([-1000.0, 1000.0, 1000.0, -1000.0, 1e-8, -1e-8, -50.0])
    add(
        "logistic_extreme_mean", "logistic", y, s, source="mpmath", grad_atol=0.0,
        framework=framework_block(
            "torch.nn.functional.soft_margin_loss(scores, y)", lambda q: F.soft_margin_loss(q, T(y)), s,
            "PyTorch computes log(1 + exp(-y s)) directly: exp(1000) overflows, the loss is inf and the gradient "
            "inf/inf = NaN at margin -1000. lossref uses softplus, max(-m, 0) + log1p(exp(-|m|)): the loss there is "
            "1000 and the gradient -y.",
        ),
    )
    y = np.array([1, -1, -1, 1, -1])
    s, cw = rand(80, 5), [0.25, 4.0]
    wy = np.where(y > 0, cw[1], cw[0])
    torch_case("logistic_class_weight_sum", "logistic", y, s,
               lambda q: reduce(F.soft_margin_loss(q, T(y), reduction="none"), T(wy), "sum"),
               params={"class_weight": cw}, reduction="sum", source="torch, converted")


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0):
    """torchvision.ops.sigmoid_focal_loss (reduction='none'), transcribed in torch ops."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss


def crammer_singer(q, lab, margin=1.0):
    """Per-row Crammer-Singer hinge in torch ops: max(0, margin + max_{j != y} s_j - s_y)."""
    true = q.gather(1, L(lab)[:, None])
    gaps = (margin + q - true).masked_fill(F.one_hot(L(lab), q.shape[1]).bool(), float("-inf"))
    return gaps.max(dim=1).values.clamp(min=0)


def multiclass_cases():
    n, C = 6, 4
    labels = integers(90, n, 0, C)
    z = rand(91, (n, C), 2.0)
    # ---- cross_entropy
    torch_case("cross_entropy_mean", "cross_entropy", labels, z, lambda q: F.cross_entropy(q, L(labels)))
    torch_case("cross_entropy_sum", "cross_entropy", labels, z,
               lambda q: F.cross_entropy(q, L(labels), reduction="sum"), reduction="sum")
    w = uniform(92, n, 0.1, 3.0)
    torch_case("cross_entropy_none_sample_weight", "cross_entropy", labels, z,
               lambda q: reduce(F.cross_entropy(q, L(labels), reduction="none"), T(w), "none"),
               reduction="none", sample_weight=w, source="torch, converted")
    cw = [0.5, 2.0, 1.0, 3.0]
    torch_case("cross_entropy_class_weight_mean", "cross_entropy", labels, z,
               lambda q: F.cross_entropy(q, L(labels), weight=T(cw)), params={"class_weight": cw},
               note="integer labels: torch's weighted 'mean' divides by the sum of the weights used, as lossref.")
    torch_case("cross_entropy_class_and_sample_weight_mean", "cross_entropy", labels, z,
               lambda q: reduce(F.cross_entropy(q, L(labels), reduction="none"), T(cw)[L(labels)] * T(w), "mean"),
               params={"class_weight": cw}, sample_weight=w, source="torch, converted")
    torch_case("cross_entropy_label_smoothing_mean", "cross_entropy", labels, z,
               lambda q: F.cross_entropy(q, L(labels), label_smoothing=0.1), params={"label_smoothing": 0.1})
    torch_case(
        "cross_entropy_label_smoothing_class_weight_mean", "cross_entropy", labels, z,
        lambda q: reduce(F.cross_entropy(q, L(labels), label_smoothing=0.2, reduction="none"), T(cw)[L(labels)],
                         "mean"),
        params={"class_weight": cw, "label_smoothing": 0.2}, source="torch, converted",
        framework=framework_block(
            "torch.nn.functional.cross_entropy(logits, y, weight=cw, label_smoothing=0.2)",
            lambda q: F.cross_entropy(q, L(labels), weight=T(cw), label_smoothing=0.2), z,
            "PyTorch weights the smoothing terms class by class, (1-eps) w_y (-log p_y) + eps/C sum_j w_j (-log p_j), "
            "divided by sum_i w_{y_i}. lossref weights each example by its class, sum_i w_{y_i} CE(smoothed target_i) "
            "/ sum_i w_{y_i}. expected = that weighted mean of torch's unweighted per-example smoothed losses.",
        ),
    )
    labels_ign = labels.copy()
    labels_ign[[1, 4]] = -100
    torch_case("cross_entropy_ignore_index_minus100_mean", "cross_entropy", labels_ign, z,
               lambda q: F.cross_entropy(q, L(labels_ign), ignore_index=-100), params={"ignore_index": -100})
    labels0 = np.array([0, 1, 0, 3, 2, 0])
    torch_case("cross_entropy_ignore_index_0_class_weight_mean", "cross_entropy", labels0, z,
               lambda q: F.cross_entropy(q, L(labels0), weight=T(cw), ignore_index=0),
               params={"class_weight": cw, "ignore_index": 0},
               note="ignore_index may be a real class id: its examples leave the loss and the mean.")
    torch_case("cross_entropy_ignore_index_label_smoothing_sum", "cross_entropy", labels_ign, z,
               lambda q: F.cross_entropy(q, L(labels_ign), ignore_index=-100, label_smoothing=0.2, reduction="sum"),
               params={"ignore_index": -100, "label_smoothing": 0.2}, reduction="sum")
    all_ignored = np.full(3, -100)
    z3 = rand(93, (3, C))
    add(
        "cross_entropy_all_ignored_mean", "cross_entropy", all_ignored, z3, params={"ignore_index": -100},
        value=0.0, grad=np.zeros((3, C)), source="lossref convention (checked by mpmath)",
        framework=framework_block(
            "torch.nn.functional.cross_entropy(logits, y, ignore_index=-100)  # every label ignored",
            lambda q: F.cross_entropy(q, L(all_ignored), ignore_index=-100), z3,
            "Every example is ignored, so the weights sum to 0: PyTorch's mean is 0/0 = NaN (value and gradient); "
            "lossref defines the mean of nothing as 0, with a zero gradient.",
        ),
    )
    y_soft = prob_rows(94, (n, C), zeros=1)
    torch_case("cross_entropy_soft_targets_mean", "cross_entropy", y_soft, z,
               lambda q: F.cross_entropy(q, T(y_soft)))
    torch_case("cross_entropy_soft_targets_label_smoothing_none", "cross_entropy", y_soft, z,
               lambda q: F.cross_entropy(q, T(y_soft), label_smoothing=0.1, reduction="none"),
               params={"label_smoothing": 0.1}, reduction="none")
    torch_case(
        "cross_entropy_soft_targets_class_weight_mean", "cross_entropy", y_soft, z,
        lambda q: reduce(F.cross_entropy(q, T(y_soft), reduction="none"), expected_weight(y_soft, cw), "mean"),
        params={"class_weight": cw}, source="torch, converted",
        framework=framework_block(
            "torch.nn.functional.cross_entropy(logits, y_prob, weight=cw)",
            lambda q: F.cross_entropy(q, T(y_soft), weight=T(cw)), z,
            "With probability targets PyTorch weights each term by its class, -sum_j w_j y_j log p_j, and 'mean' "
            "divides by n. lossref weights each example by its expected class weight sum_j y_j w_j (a one-hot row "
            "gives the integer-label result) and divides by the sum of those weights. expected = that weighted mean "
            "of torch's unweighted per-example losses.",
        ),
    )
    labels_x = np.array([1, 0, 2, 2, 0, 1])
    zx = np.array([
        [1000.0, -1000.0, 0.0],
        [1000.0, -1000.0, 0.0],
        [-1000.0, -1000.0, 1000.0],
        [1e-8, -1e-8, 0.0],
        [-1000.0, 1000.0, 1000.0],
        [0.0, 1e-8, 1000.0],
    ])
    value, grad = autograd(lambda q: F.cross_entropy(q, L(labels_x), reduction="none"), zx)
    add("cross_entropy_extreme_logits_none", "cross_entropy", labels_x, zx, reduction="none",
        source="mpmath (torch agrees)")
    if not close(value, CASES[-1]["expected"]) or not close(grad, CASES[-1]["grad"]):
        raise AssertionError("cross_entropy_extreme_logits_none: torch disagrees")
    labels3 = integers(95, (2, 3), 0, C)
    z3d = rand(96, (2, 3, C), 1.5)
    torch_case(
        "cross_entropy_3d_classes_last_mean", "cross_entropy", labels3, z3d,
        lambda q: F.cross_entropy(q.permute(0, 2, 1), L(labels3)), source="torch, converted",
        note="lossref takes classes on the last axis (n, T, C); torch takes them on axis 1: "
        "cross_entropy(logits.permute(0, 2, 1), y). The mean runs over the n*T rows in both.",
    )
    w3 = np.array([2.0, 0.5])
    torch_case(
        "cross_entropy_3d_row_sample_weight_mean", "cross_entropy", labels3, z3d,
        lambda q: reduce(F.cross_entropy(q.permute(0, 2, 1), L(labels3), reduction="none"),
                         T(w3)[:, None].expand(2, 3), "mean"),
        source="torch, converted", sample_weight=w3,
        note="logits (n, T, C) with one sample weight per leading row (shape (n,)): each of the T examples of "
        "row i has weight w_i, and the mean divides by sum_it w_i.",
    )
    # ---- kl_divergence: (probability rows, logits); torch takes log-probabilities first
    y_kl = prob_rows(97, (5, C), zeros=1)
    zk = rand(98, (5, C), 2.0)

    def kl_div_mean(q):
        with warnings.catch_warnings():  # torch warns that 'mean' is not the KL: that is the point
            warnings.simplefilter("ignore", UserWarning)
            return F.kl_div(F.log_softmax(q, dim=-1), T(y_kl), reduction="mean")

    torch_case(
        "kl_divergence_batchmean", "kl_divergence", y_kl, zk,
        lambda q: F.kl_div(F.log_softmax(q, dim=-1), T(y_kl), reduction="batchmean"),
        framework=framework_block(
            "torch.nn.functional.kl_div(log_softmax(logits, -1), y, reduction='mean')",
            kl_div_mean, zk,
            "PyTorch's 'mean' divides the sum by the number of elements n*C, which is not the mean KL; lossref's "
            "'mean' is the mean over rows, PyTorch's reduction='batchmean' (the expected value here).",
        ),
    )
    y_kl2 = prob_rows(99, (4, 5), zeros=2)
    zk2 = rand(100, (4, 5), 2.0)
    torch_case("kl_divergence_zero_targets_sum", "kl_divergence", y_kl2, zk2,
               lambda q: F.kl_div(F.log_softmax(q, dim=-1), T(y_kl2), reduction="sum"), reduction="sum",
               note="zero target probabilities contribute 0 (0 log 0 = 0).")
    torch_case("kl_divergence_none", "kl_divergence", y_kl2, zk2,
               lambda q: F.kl_div(F.log_softmax(q, dim=-1), T(y_kl2), reduction="none").sum(-1),
               reduction="none", source="torch, converted",
               note="torch's 'none' is per element; lossref's is per row: torch's summed over the last axis.")
    y_x = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.2, 0.3, 0.5], [0.0, 0.0, 1.0]])
    zx = np.array([[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 1e-8], [1e-8, -1e-8, 0.0], [-1000.0, 1000.0, 1000.0]])
    value, grad = autograd(lambda q: F.kl_div(F.log_softmax(q, dim=-1), T(y_x), reduction="batchmean"), zx)
    add("kl_divergence_extreme_logits_mean", "kl_divergence", y_x, zx, source="mpmath (torch agrees)")
    if not close(value, CASES[-1]["expected"]) or not close(grad, CASES[-1]["grad"]):
        raise AssertionError("kl_divergence_extreme_logits_mean: torch disagrees")
    w = uniform(101, 5, 0.2, 2.0)
    torch_case("kl_divergence_sample_weight_mean", "kl_divergence", y_kl, zk,
               lambda q: reduce(F.kl_div(F.log_softmax(q, dim=-1), T(y_kl), reduction="none").sum(-1), T(w), "mean"),
               sample_weight=w, source="torch, converted")
    cwk = [1.0, 0.5, 2.0, 1.5]
    torch_case("kl_divergence_class_weight_mean", "kl_divergence", y_kl, zk,
               lambda q: reduce(F.kl_div(F.log_softmax(q, dim=-1), T(y_kl), reduction="none").sum(-1),
                                expected_weight(y_kl, cwk), "mean"),
               params={"class_weight": cwk}, source="torch, converted",
               note="a probability row counts with its expected class weight sum_j y_j w_j.")
    # ---- multiclass hinge
    n, C = 7, 4
    labels = integers(102, n, 0, C)
    s = rand(103, (n, C), 1.0)

    _, grad = autograd(lambda q: crammer_singer(q, labels).mean(), s)
    add("multiclass_hinge_crammer_singer_sklearn", "multiclass_hinge", labels, s,
        params={"variant": "crammer_singer"}, value=skm.hinge_loss(labels, s, labels=list(range(C))), grad=grad,
        source="sklearn (value), torch (grad)",
        note="sklearn.metrics.hinge_loss on multiclass scores is the Crammer-Singer mean.")
    w, cwm = uniform(104, n, 0.5, 2.0), [1.0, 2.0, 0.5, 1.5]
    torch_case("multiclass_hinge_crammer_singer_margin_2_weighted_mean", "multiclass_hinge", labels, s,
               lambda q: reduce(crammer_singer(q, labels, 2.0), T(cwm)[L(labels)] * T(w), "mean"),
               params={"variant": "crammer_singer", "margin": 2.0, "class_weight": cwm}, sample_weight=w,
               source="torch (formula), converted")
    torch_case(
        "multiclass_hinge_weston_watkins_mean", "multiclass_hinge", labels, s,
        lambda q: C * F.multi_margin_loss(q, L(labels)), params={"variant": "weston_watkins"},
        source="torch, converted",
        framework=framework_block(
            "torch.nn.functional.multi_margin_loss(scores, y)", lambda q: F.multi_margin_loss(q, L(labels)), s,
            f"PyTorch's MultiMarginLoss is Weston-Watkins divided by the number of classes C = {C}; lossref's "
            "weston_watkins is the plain sum over rivals. expected = C * torch.",
        ),
    )
    torch_case(
        "multiclass_hinge_weston_watkins_margin_0p5_class_weight_mean", "multiclass_hinge", labels, s,
        lambda q: C * F.multi_margin_loss(q, L(labels), margin=0.5, weight=T(cwm), reduction="sum")
        / T(cwm)[L(labels)].sum(),
        params={"variant": "weston_watkins", "margin": 0.5, "class_weight": cwm}, source="torch, converted",
        framework=framework_block(
            "torch.nn.functional.multi_margin_loss(scores, y, margin=0.5, weight=cw)",
            lambda q: F.multi_margin_loss(q, L(labels), margin=0.5, weight=T(cwm)), s,
            "PyTorch divides each example by C and its weighted 'mean' divides by n; lossref's weighted mean "
            "divides by sum_i w_{y_i} and has no 1/C. expected = C * torch(reduction='sum') / sum_i w_{y_i}.",
        ),
    )
    torch_case("multiclass_hinge_weston_watkins_none", "multiclass_hinge", labels, s,
               lambda q: C * F.multi_margin_loss(q, L(labels), reduction="none"),
               params={"variant": "weston_watkins"}, reduction="none", source="torch, converted",
               note="C * multi_margin_loss(scores, y, reduction='none').")
    torch_case("multiclass_hinge_crammer_singer_sum", "multiclass_hinge", labels, s,
               lambda q: crammer_singer(q, labels).sum(), reduction="sum", source="torch (formula)")
    # ---- zero_one (a metric: value only)
    y = np.array([1, -1, 1, 1, -1, -1, 1, -1, 1, 1])
    s = rand(105, 10)
    add("zero_one_binary_sklearn", "zero_one", y, s, value=skm.zero_one_loss(y, np.where(s > 0, 1, -1)),
        source="sklearn", note="sklearn.metrics.zero_one_loss(y, where(scores > 0, 1, -1)).")
    labels = integers(106, 9, 0, 3)
    s = rand(107, (9, 3))
    w = uniform(108, 9, 0.1, 2.0)
    add("zero_one_multiclass_sample_weight_sklearn", "zero_one", labels, s, sample_weight=w,
        value=skm.zero_one_loss(labels, s.argmax(axis=1), sample_weight=w), source="sklearn",
        note="sklearn.metrics.zero_one_loss(y, scores.argmax(1), sample_weight=w): the weighted error rate.")
    add("zero_one_multiclass_sum_sklearn", "zero_one", labels, s, reduction="sum",
        value=float(skm.zero_one_loss(labels, s.argmax(axis=1), normalize=False)), source="sklearn",
        note="normalize=False: the number of errors.")
    y = np.array([1, -1, 1, -1, 1, -1])
    s = rand(109, 6)
    add("zero_one_binary_none", "zero_one", y, s, reduction="none",
        value=(np.asarray(y) * s <= 0).astype(np.float64), source="numpy (definition)")


# ---------------------------------------------------------------------------------------------
# Keras 3 conventions: expected is lossref's (torch, sklearn or mpmath), the block Keras's number
# ---------------------------------------------------------------------------------------------
def np_log_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    top = z.max(axis=-1, keepdims=True)
    return z - top - np.log(np.exp(z - top).sum(axis=-1, keepdims=True))


def np_huber(r, delta):
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r * r, delta * a - 0.5 * delta * delta)


def keras_cases():
    K = keras.losses
    eps = keras.config.epsilon()
    # ---- (1) MSE with sample weights: Keras's default divides by N, lossref's mean by sum(w)
    y, p, w = rand(120, 8), rand(121, 8), uniform(122, 8, 0.1, 3.0)
    w[5] = 0.0
    n = len(y)
    wsq = w * (p - y) ** 2
    weighted_mse = lambda q: reduce(F.mse_loss(q, T(y), reduction="none"), T(w), "mean")  # noqa: E731
    torch_case(
        "mse_sample_weight_keras_mean", "mse", y, p, weighted_mse, source="torch, converted", sample_weight=w,
        framework=keras_block(
            "keras.losses.MeanSquaredError()(y[:, None], y_pred[:, None], sample_weight=w)",
            lambda q: K.MeanSquaredError()(y[:, None], q[:, None], sample_weight=w), p,
            f"Keras's default reduction 'sum_over_batch_size' divides the weighted sum by the number of samples, "
            f"sum(w*l)/N with N = {n} (the sample of weight 0 still counts in N); lossref's mean is the weighted "
            "mean sum(w*l)/sum(w). Keras's reduction='mean_with_sample_weight' gives lossref's number (case "
            "mse_sample_weight_keras_mean_with_sample_weight). Keras first averages each sample over the last "
            "axis, hence the shape (n, 1): a 1-D y of length n would be a single sample.",
            formula=float(wsq.sum() / n),
        ),
    )
    torch_case(
        "mse_sample_weight_keras_mean_with_sample_weight", "mse", y, p, weighted_mse, source="torch, converted",
        sample_weight=w,
        framework=keras_block(
            "keras.losses.MeanSquaredError(reduction='mean_with_sample_weight')(y[:, None], y_pred[:, None], "
            "sample_weight=w)",
            lambda q: K.MeanSquaredError(reduction="mean_with_sample_weight")(y[:, None], q[:, None], sample_weight=w),
            p, "same", formula=float(wsq.sum() / w.sum()),
        ),
        note="Keras's reduction='mean_with_sample_weight' divides the weighted sum by sum(w): lossref's weighted mean.",
    )
    # ---- (2) BCE on probabilities: Keras clips at 1e-7, lossref at the float64 machine epsilon
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    p = np.array([0.0, 1.0, 1.0, 0.0, 0.7, 0.2, 3e-8, 1 - 3e-8])
    pc = np.clip(p, eps, 1 - eps)
    add(
        "bce_probs_clipping_keras_mean", "bce", y, p, value=skm.log_loss(y, y_proba=p, labels=[0, 1]),
        source="sklearn (value), mpmath (grad)",
        framework=keras_block(
            "keras.losses.BinaryCrossentropy()(y[:, None], probs[:, None])",
            lambda q: K.BinaryCrossentropy()(y[:, None], q[:, None]), p,
            "Keras clips probs to [1e-7, 1 - 1e-7] (keras.config.epsilon() = 1e-7) before the logs, so a "
            "confidently wrong prediction (p = 0 with y = 1, p = 1 with y = 0) costs -log(1e-7) = 16.12, and so do "
            "p = 3e-8 with y = 1 and p = 1 - 3e-8 with y = 0 (17.32 in lossref). lossref clips at the float64 "
            "machine epsilon 2.22e-16, as sklearn.metrics.log_loss does, where the cost is 36.04. Inside "
            "[1e-7, 1 - 1e-7] the two agree. Keras's gradient is 0 wherever its clip is active; lossref's is "
            "(p - y)/(p(1 - p)) at its clipped p.",
            formula=float(np.mean(-(y * np.log(pc) + (1 - y) * np.log(1 - pc)))),
        ),
    )
    # ---- (3) BCE on logits at extreme logits: the same number
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.3, 0.3, 1.0, 0.0, 0.5, 1.0])
    z = np.array([1000.0, -1000.0, -1000.0, 1000.0, 1e-8, -1e-8, 1000.0, -1000.0, 0.0, 0.0, 1e-8, 36.0])
    add(
        "bce_with_logits_extreme_keras_mean", "bce_with_logits", y, z, source="mpmath",
        framework=keras_block(
            "keras.losses.BinaryCrossentropy(from_logits=True)(y[:, None], logits[:, None])",
            lambda q: K.BinaryCrossentropy(from_logits=True)(y[:, None], q[:, None]), z, "same",
            formula=float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))),
        ),
        note="On the torch backend Keras calls torch.nn.functional.binary_cross_entropy_with_logits: finite at "
        "logits +-1000, and the same value and gradient as lossref.",
    )
    # ---- (4) categorical cross-entropy with label smoothing: the same number
    C = 4
    labels, z = integers(123, 6, 0, C), rand(124, (6, C), 2.0)
    smooth = (1 - 0.1) * np.eye(C)[labels] + 0.1 / C
    torch_case(
        "cross_entropy_label_smoothing_keras_mean", "cross_entropy", labels, z,
        lambda q: F.cross_entropy(q, L(labels), label_smoothing=0.1), params={"label_smoothing": 0.1},
        framework=keras_block(
            "keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)(keras.ops.one_hot(y, 4), "
            "logits)",
            lambda q: K.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)(keras.ops.one_hot(labels, C), q),
            z, "same", formula=float(np.mean(-(smooth * np_log_softmax(z)).sum(axis=-1))),
        ),
        note="Keras smooths the one-hot rows to (1 - 0.1) y + 0.1 / C, as lossref does.",
    )
    # ---- (5) class weights as Keras sample weights: equal only when the mean divides by sum(w)
    labels, z = integers(125, 8, 0, C), rand(126, (8, C), 2.0)
    cw = np.array([0.5, 2.0, 1.0, 3.0])
    wy = cw[labels]
    wce = wy * -np_log_softmax(z)[np.arange(8), labels]
    class_weighted_ce = lambda q: F.cross_entropy(q, L(labels), weight=T(cw))  # noqa: E731
    torch_case(
        "cross_entropy_class_weight_keras_sample_weight_mean", "cross_entropy", labels, z, class_weighted_ce,
        params={"class_weight": cw.tolist()},
        framework=keras_block(
            "keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits, sample_weight=cw[y])",
            lambda q: K.SparseCategoricalCrossentropy(from_logits=True)(labels, q, sample_weight=wy), z,
            "Keras losses take no class weights; Model.fit(class_weight=...) turns them into sample weights "
            "cw[y]. With them the default reduction 'sum_over_batch_size' divides sum_i cw[y_i] l_i by the number "
            "of samples N = 8; lossref's class-weighted mean (like torch's cross_entropy(weight=cw)) divides by "
            "sum_i cw[y_i]. reduction='mean_with_sample_weight' gives lossref's number (case "
            "cross_entropy_class_weight_keras_mean_with_sample_weight).",
            formula=float(wce.sum() / 8),
        ),
    )
    torch_case(
        "cross_entropy_class_weight_keras_mean_with_sample_weight", "cross_entropy", labels, z, class_weighted_ce,
        params={"class_weight": cw.tolist()},
        framework=keras_block(
            "keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction='mean_with_sample_weight')"
            "(y, logits, sample_weight=cw[y])",
            lambda q: K.SparseCategoricalCrossentropy(from_logits=True, reduction="mean_with_sample_weight")(
                labels, q, sample_weight=wy),
            z, "same", formula=float(wce.sum() / wy.sum()),
        ),
    )
    # ---- (6) KL divergence: Keras clips y and the prediction to [1e-7, 1]
    y_k, z_k = prob_rows(127, (5, C), zeros=1), rand(128, (5, C), 2.0)
    j = int(np.flatnonzero(y_k[2] > 0)[0])
    z_k[2, j] = -25.0  # softmax probability about 1e-11 for a class of nonzero target probability
    probs = np.exp(np_log_softmax(z_k))
    yc, pc = np.clip(y_k, eps, 1), np.clip(probs, eps, 1)
    torch_case(
        "kl_divergence_clipping_keras_mean", "kl_divergence", y_k, z_k,
        lambda q: F.kl_div(F.log_softmax(q, dim=-1), T(y_k), reduction="batchmean"),
        framework=keras_block(
            "keras.losses.KLDivergence()(y, keras.ops.softmax(logits))",
            lambda q: K.KLDivergence()(y_k, keras.ops.softmax(q)), z_k,
            "Keras takes probabilities and clips both y and the prediction to [1e-7, 1]: each zero target entry "
            "contributes 1e-7 log(1e-7 / p) instead of 0 (lossref: 0 log 0 = 0), and a predicted probability below "
            f"1e-7 (row 2, class {j}: logit -25, probability {float(probs[2, j]):.3g}) is raised to 1e-7, which "
            "lowers that row's divergence. Keras's mean divides the per-row sums by the number of rows, as lossref's "
            "mean does (torch's reduction='batchmean'). lossref takes logits; Keras gets their softmax.",
            formula=float(np.mean(np.sum(yc * np.log(yc / pc), axis=-1))),
        ),
    )
    # ---- (7) Huber: Keras averages each sample over the last axis first
    y, p = rand(129, (5, 3)), rand(130, (5, 3), 1.5)
    h = np_huber(p - y, 0.5)
    torch_case(
        "huber_delta_0p5_keras_2d_mean", "huber", y, p, lambda q: F.huber_loss(q, T(y), delta=0.5),
        params={"delta": 0.5},
        framework=keras_block(
            "keras.losses.Huber(delta=0.5)(y, y_pred)", lambda q: K.Huber(delta=0.5)(y, q), p, "same",
            formula=float(h.mean()),
        ),
        note="Keras averages each row over the last axis, then the rows: with equal rows the mean of all elements.",
    )
    torch_case(
        "huber_delta_0p5_keras_2d_sum", "huber", y, p, lambda q: F.huber_loss(q, T(y), delta=0.5, reduction="sum"),
        params={"delta": 0.5}, reduction="sum",
        framework=keras_block(
            "keras.losses.Huber(delta=0.5, reduction='sum')(y, y_pred)",
            lambda q: K.Huber(delta=0.5, reduction="sum")(y, q), p,
            "Keras averages each sample over the last axis first (one value per row), so its reduction='sum' is the "
            "sum of the 5 row means: lossref's sum over the 15 elements divided by d = 3. Same piecewise formula "
            "(delta |r| - delta^2 / 2 beyond delta); the means agree (case huber_delta_0p5_keras_2d_mean).",
            formula=float(h.mean(axis=-1).sum()),
        ),
    )
    # ---- (8) Hinge: {-1, +1} labels, and {0, 1} labels that Keras converts silently
    y = np.array([1, -1, 1, 1, -1, -1, 1, -1, 1])
    s = rand(131, 9, 1.5)
    torch_case(
        "hinge_pm1_labels_keras_mean", "hinge", y, s, lambda q: torch.clamp(1 - T(y) * q, min=0).mean(),
        source="torch (formula)",
        framework=keras_block(
            "keras.losses.Hinge()(y[:, None], scores[:, None])", lambda q: K.Hinge()(y[:, None], q[:, None]), s,
            "same", formula=float(np.maximum(1 - y * s, 0).mean()),
        ),
    )
    y01 = np.array([1, 0, 0, 1, 1, 0, 1, 0])
    y = 2 * y01 - 1
    s = rand(132, 8, 1.5)
    torch_case(
        "hinge_01_labels_keras_mean", "hinge", y, s, lambda q: torch.clamp(1 - T(y) * q, min=0).mean(),
        source="torch (formula)",
        framework=keras_block(
            "keras.losses.Hinge()(y01[:, None], scores[:, None])",
            lambda q: K.Hinge()(y01[:, None], q[:, None]), s,
            "Keras gets the {0, 1} labels y01 (this block's y) and silently converts labels that are all 0 or 1 "
            "to 2 y01 - 1. lossref raises a ValueError on {0, 1} labels (hinge needs -1/+1) and says how to "
            "convert them; with y = 2 y01 - 1 (the case's y) its number is Keras's.",
            formula=float(np.maximum(1 - y * s, 0).mean()), y=y01,
        ),
    )
    # ---- MSLE: Keras clips both arguments at epsilon (1e-7) before log(x + 1), which moves values near 0
    # by at most 1e-7: away from 0 it is lossref's number
    y, p = uniform(305, (4, 2), 0.5, 30.0), uniform(306, (4, 2), 0.5, 30.0)
    keras_msle = float(np.mean((np.log(np.maximum(p, eps) + 1) - np.log(np.maximum(y, eps) + 1)) ** 2))
    torch_case(
        "msle_keras_mean", "msle", y, p, lambda q: ((torch.log1p(q) - torch.log1p(T(y))) ** 2).mean(),
        source="torch, converted",
        framework=keras_block(
            "keras.losses.MeanSquaredLogarithmicError()(y, y_pred)",
            lambda q: K.MeanSquaredLogarithmicError()(y, q), p,
            "same", formula=keras_msle,
        ),
        note="Keras averages each row over the last axis, then over the rows: with rows of equal length that is "
        "lossref's mean over all elements. Its clip at 1e-7 only moves values below 1e-7.",
    )
    # ---- (9) LogCosh, Poisson on the rate, CategoricalHinge
    y, p = rand(133, 8), rand(134, 8)
    p[[1, 4]] += [40.0, -60.0]
    a = np.abs(p - y)
    torch_case(
        "log_cosh_keras_mean", "log_cosh", y, p,
        lambda q: ((q - T(y)).abs() + torch.log1p(torch.exp(-2 * (q - T(y)).abs())) - math.log(2.0)).mean(),
        source="torch (stable formula)",
        framework=keras_block(
            "keras.losses.LogCosh()(y[:, None], y_pred[:, None])", lambda q: K.LogCosh()(y[:, None], q[:, None]), p,
            "same", formula=float(np.mean(a + np.log1p(np.exp(-2 * a)) - np.log(2.0))),
        ),
        note="Keras computes r + softplus(-2r) - log 2: finite at residuals +40 and -60.",
    )
    y = np.array([0.0, 1.0, 2.0, 0.0, 5.0, 3.0, 10.0, 1.0])
    rate = uniform(135, 8, 0.05, 6.0)
    rate[[0, 5]] = 0.0  # zero rates with y = 0 and y = 3
    torch_case(
        "poisson_nll_rate_zero_rate_keras_mean", "poisson_nll", y, rate,
        lambda q: F.poisson_nll_loss(q, T(y), log_input=False), params={"log_input": False},
        framework=keras_block(
            "keras.losses.Poisson()(y[:, None], rate[:, None])", lambda q: K.Poisson()(y[:, None], q[:, None]), rate,
            "Keras takes the rate and computes rate - y log(rate + 1e-7) (keras.config.epsilon()); lossref's "
            "log_input=False, like torch's poisson_nll_loss, adds eps = 1e-8. At the zero rate with y = 3 the "
            "costs are -3 log(1e-7) = 48.35 and -3 log(1e-8) = 55.26; every other term differs by "
            "y log((rate + 1e-7) / (rate + 1e-8)), about 9e-8 y / rate. lossref's default log_input=True takes "
            "the log-rate instead.",
            formula=float(np.mean(rate - y * np.log(rate + eps))),
        ),
    )
    labels = np.array([1, 0, 2, 3, 2, 0])
    s = rand(136, (6, C))
    s[3] = [-2.0, -1.5, -3.0, 0.2]  # every rival score negative
    s[4] = [-3.0, -2.5, -1.0, -4.0]  # every score negative
    one_hot = np.eye(C)[labels]
    rival = np.where(one_hot > 0, -np.inf, s).max(axis=-1)
    true = s[np.arange(6), labels]
    keras_neg = ((1 - one_hot) * s).max(axis=-1) + 0.0  # + 0.0: no -0.0 in the note
    torch_case(
        "multiclass_hinge_keras_categorical_hinge_mean", "multiclass_hinge", labels, s,
        lambda q: crammer_singer(q, labels).mean(), params={"variant": "crammer_singer"}, source="torch (formula)",
        framework=keras_block(
            "keras.losses.CategoricalHinge()(keras.ops.one_hot(y, 4), scores)",
            lambda q: K.CategoricalHinge()(keras.ops.one_hot(labels, C), q), s,
            "Keras's categorical hinge takes the rival maximum over (1 - one_hot(y)) * scores, in which the true "
            "class counts as a rival scoring 0: when every rival score is negative (rows 3 and 4) Keras uses 0 "
            "instead of the best rival, max(0, 1 - s_y) instead of max(0, 1 + max_rival - s_y), and the loss is "
            "larger. Otherwise it is Crammer-Singer with margin 1, lossref's default; shifting each row to be "
            "non-negative gives lossref's number (case multiclass_hinge_keras_categorical_hinge_shifted_mean).",
            formula=float(np.maximum(keras_neg - true + 1, 0).mean()),
        ),
        note=f"Crammer-Singer rival maxima {rival.tolist()!r}; Keras's {keras_neg.tolist()!r}.",
    )
    shifted = s - s.min(axis=-1, keepdims=True)
    torch_case(
        "multiclass_hinge_keras_categorical_hinge_shifted_mean", "multiclass_hinge", labels, s,
        lambda q: crammer_singer(q, labels).mean(), params={"variant": "crammer_singer"}, source="torch (formula)",
        framework=keras_block(
            "keras.losses.CategoricalHinge()(keras.ops.one_hot(y, 4), scores - keras.ops.min(scores, axis=-1, "
            "keepdims=True))",
            lambda q: K.CategoricalHinge()(keras.ops.one_hot(labels, C), q - keras.ops.min(q, axis=-1, keepdims=True)),
            s, "same",
            formula=float(np.maximum(((1 - one_hot) * shifted).max(-1) - shifted[np.arange(6), labels] + 1, 0).mean()),
        ),
        note="Crammer-Singer is unchanged by shifting a row; after the shift no score is negative, so Keras's "
        "zero for the true class cannot win the rival maximum.",
    )


# ---------------------------------------------------------------------------------------------
# optax 0.2.8: expected is lossref's (mpmath), the block optax's number
# ---------------------------------------------------------------------------------------------
def same_gradient_despite_nan(id):
    """Check what a NaN-valued block's difference claims: optax's value is NaN, its gradient lossref's."""
    case = CASES[-1]
    block = case["framework"]
    if case["id"] != id or block["value"] != "nan" or not close(block["grad"], case["grad"], rtol=1e-9):
        raise AssertionError(f"{id}: expected a NaN value with lossref's gradient, got {block!r}")


def optax_cases():
    O = optax.losses
    # ---- mse: squared_error is lossref's default, l2_loss the half=True convention
    y, p = rand(140, 8), rand(141, 8)
    add("mse_optax_squared_error_mean", "mse", y, p, source="mpmath",
        framework=optax_block("optax.losses.squared_error(y_pred, y).mean()",
                              lambda q: O.squared_error(q, y).mean(), p, "same"),
        note="optax losses return per-element values and take no reduction: .mean() is lossref's 'mean'.")
    add("mse_half_optax_l2_loss_mean", "mse", y, p, params={"half": True}, source="mpmath",
        framework=optax_block("optax.losses.l2_loss(y_pred, y).mean()", lambda q: O.l2_loss(q, y).mean(), p, "same"))
    add("mse_optax_l2_loss_mean", "mse", y, p, source="mpmath",
        framework=optax_block(
            "optax.losses.l2_loss(y_pred, y).mean()", lambda q: O.l2_loss(q, y).mean(), p,
            "optax's l2_loss is 0.5 * squared_error (Bishop's 1/2): lossref's default half=False is twice it, in "
            "value and gradient (scale 2). half=True gives l2_loss's number (case mse_half_optax_l2_loss_mean); "
            "squared_error gives the default's (case mse_optax_squared_error_mean).",
            formula=float(np.mean(0.5 * (p - y) ** 2)), scale=2.0,
        ))
    y, p, w = rand(142, 8), rand(143, 8), uniform(144, 8, 0.1, 3.0)
    w[2] = 0.0
    add("mse_sample_weight_optax_mean", "mse", y, p, sample_weight=w, source="mpmath",
        framework=optax_block("jnp.sum(w * optax.losses.squared_error(y_pred, y)) / jnp.sum(w)",
                              lambda q: jnp.sum(w * O.squared_error(q, y)) / jnp.sum(w), p, "same"),
        note="optax takes no sample weights; weighting the per-element values and dividing by sum(w) is "
        "lossref's weighted mean.")
    # ---- huber: optax's delta is lossref's (and torch's) delta
    y, p = rand(145, (5, 3)), rand(146, (5, 3), 1.5)
    add("huber_delta_0p5_optax_2d_mean", "huber", y, p, params={"delta": 0.5}, source="mpmath",
        framework=optax_block("optax.losses.huber_loss(y_pred, y, delta=0.5).mean()",
                              lambda q: O.huber_loss(q, y, delta=0.5).mean(), p, "same"),
        note="optax: 0.5 min(|r|, delta)^2 + delta (|r| - min(|r|, delta)), lossref's piecewise formula.")
    y, p = rand(147, 9), rand(148, 9, 3.0)
    add("huber_delta_2_optax_sum", "huber", y, p, params={"delta": 2.0}, reduction="sum", source="mpmath",
        framework=optax_block("optax.losses.huber_loss(y_pred, y, delta=2.0).sum()",
                              lambda q: O.huber_loss(q, y, delta=2.0).sum(), p, "same"))
    # ---- smooth_l1: optax has none; huber_loss(delta=beta) is beta times it
    y, p = rand(149, 10), rand(150, 10, 2.5)
    add("smooth_l1_beta_2_optax_huber_mean", "smooth_l1", y, p, params={"beta": 2.0}, source="mpmath",
        framework=optax_block(
            "optax.losses.huber_loss(y_pred, y, delta=2.0).mean()", lambda q: O.huber_loss(q, y, delta=2.0).mean(),
            p, "optax has no smooth L1 loss. huber_loss with delta = beta is beta times smooth L1 with that beta "
            "(r^2 / 2 against r^2 / (2 beta) inside, beta |r| - beta^2 / 2 against |r| - beta / 2 outside): "
            "lossref's smooth_l1(beta=2) is huber_loss(delta=2) / 2, value and gradient (scale 1/beta = 0.5).",
            formula=float(np_huber(p - y, 2.0).mean()), scale=0.5,
        ))
    # ---- log_cosh: optax's logaddexp(r, -r) - log 2 is finite where cosh overflows
    y, p = rand(151, 8), rand(152, 8, 2.0)
    p[[1, 4]] += [800.0, -1000.0]
    add("log_cosh_optax_mean", "log_cosh", y, p, source="mpmath",
        framework=optax_block("optax.losses.log_cosh(y_pred, y).mean()", lambda q: O.log_cosh(q, y).mean(), p,
                              "same"),
        note="residuals about +800 and -1000, where cosh overflows float64: optax's logaddexp(r, -r) - log 2 stays "
        "finite, as lossref's |r| + log1p(exp(-2|r|)) - log 2 does.")
    # ---- sigmoid BCE on logits
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.25, 1.0, 0.0, 0.6])
    z = rand(153, 8, 2.0)
    add("bce_with_logits_optax_mean", "bce_with_logits", y, z, source="mpmath",
        framework=optax_block("optax.losses.sigmoid_binary_cross_entropy(logits, y).mean()",
                              lambda q: O.sigmoid_binary_cross_entropy(q, y).mean(), z, "same"),
        note="soft targets included: optax computes -y log_sigmoid(z) - (1 - y) log_sigmoid(-z).")
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.3, 1.0, 1.0, 1.0, 1.0, 0.0])
    z = np.array([1000.0, -1000.0, -1000.0, 1000.0, 1e-8, -1e-8, 1000.0, 20.0, 30.0, 40.0, 50.0, -745.0])
    add("bce_with_logits_extreme_optax_sum", "bce_with_logits", y, z, reduction="sum", source="mpmath",
        grad_atol=0.0,
        framework=optax_block("optax.losses.sigmoid_binary_cross_entropy(logits, y).sum()",
                              lambda q: O.sigmoid_binary_cross_entropy(q, y).sum(), z, "same"),
        note="logits +-1000 and confident correct logits 20 to 50: optax's log_sigmoid is finite, and its "
        "gradient keeps full relative precision where PyTorch's sigmoid(z) - y cancels (case "
        "bce_with_logits_grad_cancellation_sum); lossref's is checked here with no absolute tolerance.")
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    z = rand(154, (4, 3), 1.5)
    add("bce_with_logits_pos_weight_optax_mean", "bce_with_logits", y, z, params={"pos_weight": 3.0},
        source="mpmath",
        framework=optax_block(
            "jnp.mean(optax.losses.sigmoid_binary_cross_entropy(logits, y) - (3.0 - 1) * y * "
            "jax.nn.log_sigmoid(logits))",
            lambda q: jnp.mean(O.sigmoid_binary_cross_entropy(q, y) - (3.0 - 1) * y * jax.nn.log_sigmoid(q)), z,
            "same"),
        note="optax has no pos_weight: adding (pos_weight - 1) times the positive term -y log_sigmoid(z) gives "
        "lossref's (1 - y) softplus(z) + pos_weight y softplus(-z).")
    # ---- focal: same definition and defaults (alpha=None, gamma=2), computed in log space
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.3, 0.8])
    z = rand(155, 8, 2.0)
    add("focal_optax_defaults_mean", "focal", y, z, source="mpmath",
        framework=optax_block("optax.losses.sigmoid_focal_loss(logits, y).mean()  # alpha=None, gamma=2",
                              lambda q: O.sigmoid_focal_loss(q, y).mean(), z, "same"),
        note="optax's defaults alpha=None (no alpha weighting) and gamma=2 are lossref's.")
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    z = rand(156, (4, 3), 2.0)
    add("focal_alpha_0p25_gamma_1p5_optax_sum", "focal", y, z, params={"gamma": 1.5, "alpha": 0.25},
        reduction="sum", source="mpmath",
        framework=optax_block("optax.losses.sigmoid_focal_loss(logits, y, alpha=0.25, gamma=1.5).sum()",
                              lambda q: O.sigmoid_focal_loss(q, y, alpha=0.25, gamma=1.5).sum(), z, "same"),
        note="alpha weighs the positives by alpha and the negatives by 1 - alpha in both.")
    y = np.array([1.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    z = np.array([40.0, 1000.0, -1000.0, 2.0, -0.5, 10.0])
    add("focal_gamma_0p5_confident_optax_sum", "focal", y, z, params={"gamma": 0.5}, reduction="sum",
        source="mpmath", grad_atol=0.0,
        framework=optax_block("optax.losses.sigmoid_focal_loss(logits, y, gamma=0.5).sum()",
                              lambda q: O.sigmoid_focal_loss(q, y, gamma=0.5).sum(), z, "same"),
        note="optax (>= 0.2.5) forms (1 - p_t)^gamma as exp(gamma log(1 - p_t)), so at gamma < 1 its gradient is "
        "finite at confident correct predictions, where torchvision's is NaN (case focal_gamma_0p5_confident_none).")
    # ---- hinge: {-1, +1} targets; optax does not check them
    y = np.array([1, -1, 1, 1, -1, -1, 1, -1, 1])
    s = rand(157, 9, 1.5)
    add("hinge_optax_mean", "hinge", y, s, source="mpmath",
        framework=optax_block("optax.losses.hinge_loss(scores, y).mean()",
                              lambda q: O.hinge_loss(q, y).mean(), s, "same"))
    y01 = np.array([1, 0, 0, 1, 1, 0, 1, 0])
    y = 2 * y01 - 1
    s = rand(158, 8, 1.5)
    add("hinge_01_labels_optax_mean", "hinge", y, s, source="mpmath",
        framework=optax_block(
            "optax.losses.hinge_loss(scores, y01).mean()", lambda q: O.hinge_loss(q, y01).mean(), s,
            "optax gets the {0, 1} labels y01 (this block's y) and uses them as they are: a 0 label gives "
            "max(0, 1 - 0 * s) = 1 whatever the score, with a zero gradient, and no error. lossref raises a "
            "ValueError on {0, 1} labels (hinge needs -1/+1) and says how to convert them; with y = 2 y01 - 1 "
            "(the case's y) optax's number is lossref's.",
            formula=float(np.mean(np.maximum(0, 1 - s * y01))), y=y01,
        ))
    y = np.array([1, -1, 1, -1, 1, -1, -1])
    s = rand(159, 7, 1.5)
    add("squared_hinge_optax_sum", "squared_hinge", y, s, reduction="sum", source="mpmath",
        framework=optax_block("jnp.square(optax.losses.hinge_loss(scores, y)).sum()",
                              lambda q: jnp.square(O.hinge_loss(q, y)).sum(), s, "same"),
        note="optax has no squared hinge: the square of hinge_loss.")
    # ---- logistic: sigmoid BCE with labels (y + 1) / 2
    y = np.array([1, -1, 1, -1, 1, -1, 1, -1])
    s = rand(160, 8, 2.0)
    s[[2, 3]] = [-1000.0, 1000.0]  # margins -1000: lossref's value is 1000, not inf
    add("logistic_optax_mean", "logistic", y, s, source="mpmath",
        framework=optax_block("optax.losses.sigmoid_binary_cross_entropy(scores, (y + 1) / 2).mean()",
                              lambda q: O.sigmoid_binary_cross_entropy(q, (y + 1) / 2).mean(), s, "same"),
        note="log(1 + exp(-y s)) is sigmoid BCE with the target (y + 1) / 2; finite at margin -1000.")
    # ---- cross_entropy
    n, C = 6, 4
    labels, z = integers(161, n, 0, C), rand(162, (n, C), 2.0)
    add("cross_entropy_optax_integer_labels_mean", "cross_entropy", labels, z, source="mpmath",
        framework=optax_block("optax.losses.softmax_cross_entropy_with_integer_labels(logits, y).mean()",
                              lambda q: O.softmax_cross_entropy_with_integer_labels(q, labels).mean(), z, "same"))
    y_soft = prob_rows(163, (n, C), zeros=1)
    add("cross_entropy_soft_targets_optax_mean", "cross_entropy", y_soft, z, source="mpmath",
        framework=optax_block("optax.losses.softmax_cross_entropy(logits, y).mean()",
                              lambda q: O.softmax_cross_entropy(q, y_soft).mean(), z, "same"),
        note="probability rows with a zero entry each.")
    add("cross_entropy_soft_targets_optax_safe_sum", "cross_entropy", y_soft, z, reduction="sum", source="mpmath",
        framework=optax_block("optax.losses.safe_softmax_cross_entropy(logits, y).sum()",
                              lambda q: O.safe_softmax_cross_entropy(q, y_soft).sum(), z, "same"),
        note="safe_softmax_cross_entropy differs from softmax_cross_entropy only at -inf logits with a zero "
        "target (0 instead of NaN); lossref rejects non-finite logits.")
    add("cross_entropy_label_smoothing_optax_mean", "cross_entropy", labels, z, params={"label_smoothing": 0.1},
        source="mpmath",
        framework=optax_block(
            "optax.losses.softmax_cross_entropy(logits, optax.smooth_labels(jax.nn.one_hot(y, 4), 0.1)).mean()",
            lambda q: O.softmax_cross_entropy(q, optax.smooth_labels(jax.nn.one_hot(labels, C), 0.1)).mean(), z,
            "same"),
        note="smooth_labels gives (1 - 0.1) y + 0.1 / C, lossref's (and PyTorch's) smoothing.")
    cw = np.array([0.5, 2.0, 1.0, 3.0])
    add("cross_entropy_class_weight_optax_mean", "cross_entropy", labels, z, params={"class_weight": cw.tolist()},
        source="mpmath",
        framework=optax_block(
            "jnp.sum(cw[y] * optax.losses.softmax_cross_entropy_with_integer_labels(logits, y)) / jnp.sum(cw[y])",
            lambda q: jnp.sum(cw[labels] * O.softmax_cross_entropy_with_integer_labels(q, labels))
            / jnp.sum(cw[labels]), z, "same"),
        note="optax takes no class weights: weight each row by its class's weight and divide by their sum.")
    labels_ign = labels.copy()
    labels_ign[[1, 4]] = -100
    keep = (labels_ign != -100).astype(np.float64)
    safe = np.where(labels_ign == -100, 0, labels_ign)
    add("cross_entropy_ignore_index_optax_mean", "cross_entropy", labels_ign, z, params={"ignore_index": -100},
        source="mpmath",
        framework=optax_block(
            "jnp.sum(w * optax.losses.softmax_cross_entropy_with_integer_labels(logits, jnp.where(y == -100, 0, y)))"
            " / jnp.sum(w)  # w = (y != -100)",
            lambda q: jnp.sum(keep * O.softmax_cross_entropy_with_integer_labels(q, safe)) / jnp.sum(keep), z,
            "same"),
        note="optax has no ignore_index: give the ignored rows a valid class, then weight them 0.")
    ce_rows = -np_log_softmax(z)[np.arange(n), safe]
    add("cross_entropy_ignore_index_optax_nan_mean", "cross_entropy", labels_ign, z, params={"ignore_index": -100},
        source="mpmath",
        framework=optax_block(
            "jnp.sum(w * optax.losses.softmax_cross_entropy_with_integer_labels(logits, y)) / jnp.sum(w)"
            "  # w = (y != -100)",
            lambda q: jnp.sum(keep * O.softmax_cross_entropy_with_integer_labels(q, labels_ign)) / jnp.sum(keep), z,
            "Weighting the ignored rows by 0 is not enough when their label (-100) is not a class: "
            "softmax_cross_entropy_with_integer_labels picks the label's logit with jnp.take_along_axis, whose "
            "default mode='fill' returns NaN for an out-of-range index, and 0 * NaN = NaN, so the mean is NaN. "
            "The gradient is lossref's (the ignored rows get 0), so training runs while the reported loss is NaN. "
            "Replace the ignored labels by a valid class first (case cross_entropy_ignore_index_optax_mean).",
            formula=float(np.sum(np.where(keep > 0, keep * ce_rows, np.nan)) / keep.sum()),
        ))
    same_gradient_despite_nan("cross_entropy_ignore_index_optax_nan_mean")
    # ---- kl_divergence: optax takes (log-predictions, targets), the opposite order of lossref's (y, logits)
    y_kl, zk = prob_rows(164, (5, C), zeros=1), rand(165, (5, C), 2.0)
    add("kl_divergence_optax_mean", "kl_divergence", y_kl, zk, source="mpmath",
        framework=optax_block("optax.losses.kl_divergence(jax.nn.log_softmax(logits), y).mean()",
                              lambda q: O.kl_divergence(jax.nn.log_softmax(q), y_kl).mean(), zk, "same"),
        note="optax returns one value per row (the sum over the last axis) and takes 0 log 0 = 0, as lossref.")
    add("kl_divergence_optax_generalized_sum", "kl_divergence", y_kl, zk, reduction="sum", source="mpmath",
        framework=optax_block("optax.losses.generalized_kl_divergence(jax.nn.log_softmax(logits), y).sum()",
                              lambda q: O.generalized_kl_divergence(jax.nn.log_softmax(q), y_kl).sum(), zk, "same"),
        note="generalized_kl_divergence (formerly convex_kl_divergence) adds sum(exp(log_predictions) - y), which "
        "is 0 (to rounding) when both rows are probability distributions, as here.")
    y_pos = prob_rows(166, (5, C))
    add("kl_divergence_optax_log_targets_mean", "kl_divergence", y_pos, zk, source="mpmath",
        framework=optax_block(
            "optax.losses.kl_divergence_with_log_targets(jax.nn.log_softmax(logits), jnp.log(y)).mean()",
            lambda q: O.kl_divergence_with_log_targets(jax.nn.log_softmax(q), jnp.log(y_pos)).mean(), zk, "same"),
        note="every target probability is positive here: with log targets the result is lossref's.")
    with np.errstate(divide="ignore", invalid="ignore"):
        log_y = np.log(y_kl)
        kl_log_formula = float(np.mean(np.sum(y_kl * (log_y - np_log_softmax(zk)), axis=-1)))
    add("kl_divergence_zero_targets_optax_log_targets_mean", "kl_divergence", y_kl, zk, source="mpmath",
        framework=optax_block(
            "optax.losses.kl_divergence_with_log_targets(jax.nn.log_softmax(logits), jnp.log(y)).mean()",
            lambda q: O.kl_divergence_with_log_targets(jax.nn.log_softmax(q), jnp.log(y_kl)).mean(), zk,
            "kl_divergence_with_log_targets computes exp(log y) (log y - log p) with no special case: a zero target "
            "probability (one per row here) gives 0 * (-inf) = NaN, and the mean is NaN; the gradient, -y, is "
            "lossref's. lossref (and "
            "optax.losses.kl_divergence, case kl_divergence_optax_mean) take 0 log 0 = 0. Use the log-target form "
            "only for strictly positive targets (case kl_divergence_optax_log_targets_mean).",
            formula=kl_log_formula,
        ))
    same_gradient_despite_nan("kl_divergence_zero_targets_optax_log_targets_mean")
    # ---- multiclass hinge: Crammer-Singer (margin 1); the multiclass perceptron is margin 0
    labels = np.array([1, 0, 2, 3, 2, 0, 1])
    s = rand(167, (7, C))
    s[3] = [-2.0, -1.5, -3.0, 0.2]  # every rival score negative
    s[4] = [-3.0, -2.5, -1.0, -4.0]  # every score negative
    add("multiclass_hinge_optax_mean", "multiclass_hinge", labels, s, params={"variant": "crammer_singer"},
        source="mpmath",
        framework=optax_block("optax.losses.multiclass_hinge_loss(scores, y).mean()",
                              lambda q: O.multiclass_hinge_loss(q, labels).mean(), s, "same"),
        note="optax computes max_j(s_j + 1 - [j = y]) - s_y: Crammer-Singer with margin 1. The true class enters "
        "the maximum with s_y itself, so rows whose rival scores are all negative (rows 3 and 4) are right, "
        "unlike Keras's CategoricalHinge (case multiclass_hinge_keras_categorical_hinge_mean).")
    add("multiclass_hinge_margin_0_optax_perceptron_sum", "multiclass_hinge", labels, s,
        params={"variant": "crammer_singer", "margin": 0.0}, reduction="sum", source="mpmath",
        framework=optax_block("optax.losses.multiclass_perceptron_loss(scores, y).sum()",
                              lambda q: O.multiclass_perceptron_loss(q, labels).sum(), s, "same"),
        note="the multiclass perceptron loss max_j s_j - s_y is Crammer-Singer with margin 0.")


# ---------------------------------------------------------------------------------------------
# the losses of structured outputs (issue 12): sequences, ranking, metric learning, segmentation,
# boxes. mpmath evaluates each per-example loss from its defining formula; the gradients are
# central differences of the reduced 60-digit loss with step 1e-25 (error about 1e-35, far below
# float64), so they are independent of every framework's autograd.
# ---------------------------------------------------------------------------------------------
FD_STEP = "1e-25"


def to_mp(a):
    a = np.asarray(a, dtype=np.float64)
    out = np.empty(a.shape, dtype=object)
    for idx in np.ndindex(a.shape):
        out[idx] = mp.mpf(float(a[idx]))
    return out


def m_dot(u, v):
    return mp.fsum(a * b for a, b in zip(u, v))


def m_norm(u):
    return mp.sqrt(m_dot(u, u))


def m_cos(u, v):
    return m_dot(u, v) / (m_norm(u) * m_norm(v))


def m_lse(xs):
    xs = list(xs)
    if not xs:
        return mp.ninf
    top = max(xs)
    return top + mp.log(mp.fsum(mp.exp(x - top) for x in xs))


def m_softplus_inf(x):
    return mp.mpf(0) if x == mp.ninf else m_softplus(x)


def m_ctc_sequence(logits, target, blank):
    """p(target | logits) by the forward recursion over the blank-extended target (plain probabilities:
    mpmath's exponent range has no underflow). 0 when no alignment produces the target."""
    probs = []
    for row in logits:
        lse = m_lse(row)
        probs.append([mp.exp(v - lse) for v in row])
    ext = [blank]
    for label in target:
        ext += [int(label), blank]
    T, U = len(probs), len(ext)
    alpha = [mp.mpf(0)] * U
    alpha[0] = probs[0][ext[0]]
    if U > 1:
        alpha[1] = probs[0][ext[1]]
    for t in range(1, T):
        new = [mp.mpf(0)] * U
        for s in range(U):
            a = alpha[s] + (alpha[s - 1] if s >= 1 else 0)
            if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                a += alpha[s - 2]
            new[s] = a * probs[t][ext[s]]
        alpha = new
    return alpha[-1] + (alpha[-2] if U > 1 else 0)


def m_box_terms(b, g, eps):
    """IoU, the enclosing box and the centre distance of boxes b and g, as torchvision computes them."""
    x1, y1, x2, y2 = b
    x1g, y1g, x2g, y2g = g
    xk1, yk1, xk2, yk2 = max(x1, x1g), max(y1, y1g), min(x2, x2g), min(y2, y2g)
    inter = (xk2 - xk1) * (yk2 - yk1) if (yk2 > yk1 and xk2 > xk1) else mp.mpf(0)
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter
    iou = inter / (union + eps)
    xc1, yc1, xc2, yc2 = min(x1, x1g), min(y1, y1g), max(x2, x2g), max(y2, y2g)
    centre = ((x1 + x2) / 2 - (x1g + x2g) / 2) ** 2 + ((y1 + y2) / 2 - (y1g + y2g) / 2) ** 2
    return iou, union, (xc2 - xc1) * (yc2 - yc1), (xc2 - xc1) ** 2 + (yc2 - yc1) ** 2, centre


def m_overlap_sums(y, p, class_axis):
    """(TP, sum y, sum p) per example (class_axis None) or per example and class (class_axis 1)."""
    out = []
    for i in range(y.shape[0]):
        if class_axis is None:
            groups = [(y[i].ravel(), p[i].ravel())]
        else:
            groups = [(y[i, c].ravel(), p[i, c].ravel()) for c in range(y.shape[1])]
        out.append([(mp.fsum(a * b for a, b in zip(yy, pp)), mp.fsum(yy), mp.fsum(pp)) for yy, pp in groups])
    return out


def m_examples(loss, A, prm):
    """Per-example (value, weight) of the new losses, in 60 digits; ``A`` maps each input to its array
    (predictions as mpf object arrays). lossref's mean is sum(w * value) / sum(w)."""
    one = mp.mpf(1)
    if loss == "nll":
        y, lp = A["y"], A["log_probs"]
        cw, ignore = prm.get("class_weight"), prm.get("ignore_index")
        out = []
        for i in range(len(y)):
            if ignore is not None and int(y[i]) == ignore:
                out.append((mp.mpf(0), mp.mpf(0)))
            else:
                out.append((-lp[i, int(y[i])], M(cw[int(y[i])]) if cw is not None else one))
        return out
    if loss == "categorical_focal":
        y, z = A["y"], A["logits"]
        gamma, alpha = M(prm.get("gamma", 2.0)), prm.get("alpha")
        out = []
        for i in range(len(y)):
            label, lse = int(y[i]), m_lse(z[i])
            p = [mp.exp(v - lse) for v in z[i]]
            rest = mp.fsum(p[j] for j in range(len(p)) if j != label)  # 1 - p_y without cancellation
            a = one if alpha is None else (M(alpha) if np.ndim(alpha) == 0 else M(alpha[label]))
            out.append((-a * rest**gamma * (z[i][label] - lse), one))
        return out
    if loss == "cosine_distance":
        y, p, eps = A["y"], A["y_pred"], M(prm.get("eps", 1e-8))
        return [(1 - m_dot(y[i], p[i]) / (max(m_norm(y[i]), eps) * max(m_norm(p[i]), eps)), one)
                for i in range(len(y))]
    if loss == "ctc":
        targets, z = A["targets"], A["logits"]
        N, T = z.shape[:2]
        il = prm.get("input_lengths") or [T] * N
        tl = prm.get("target_lengths") or [targets.shape[1]] * N
        out = []
        for i in range(N):
            prob = m_ctc_sequence(z[i, : il[i]], targets[i, : tl[i]], prm.get("blank", 0))
            if prob == 0:
                if not prm.get("zero_infinity", False):
                    raise AssertionError(f"ctc: sequence {i} has no alignment")
                out.append((mp.mpf(0), one))
            else:
                out.append((-mp.log(prob), one))
        return out
    if loss == "margin_ranking":
        y, x1, x2, m = A["y"], A["x1"], A["x2"], M(prm.get("margin", 0.0))
        return [(max(m - int(y[i]) * (x1[i] - x2[i]), 0), one) for i in range(len(y))]
    if loss == "triplet_margin":
        a, pos, neg = A["anchor"], A["positive"], A["negative"]
        m, p, eps = M(prm.get("margin", 1.0)), M(prm.get("p", 2.0)), M(prm.get("eps", 1e-6))

        def d(u, v):  # torch's pairwise_distance: ||u - v + eps||_p
            return mp.fsum(abs(s - t + eps) ** p for s, t in zip(u, v)) ** (1 / p)

        out = []
        for i in range(len(a)):
            dn = d(a[i], neg[i])
            if prm.get("swap", False):
                dn = min(dn, d(pos[i], neg[i]))
            out.append((max(d(a[i], pos[i]) - dn + m, 0), one))
        return out
    if loss == "cosine_embedding":
        y, x1, x2, m = A["y"], A["x1"], A["x2"], M(prm.get("margin", 0.0))
        return [((1 - m_cos(x1[i], x2[i])) if int(y[i]) == 1 else max(m_cos(x1[i], x2[i]) - m, 0), one)
                for i in range(len(y))]
    if loss == "hinge_embedding":
        y, x, m = A["y"], A["distances"], M(prm.get("margin", 1.0))
        return [(x[i] if int(y[i]) == 1 else max(m - x[i], 0), one) for i in range(len(y))]
    if loss in ("ntxent", "circle"):
        labels, e = A["labels"], A["embeddings"]
        n = len(labels)
        if loss == "ntxent":
            floor = M(np.finfo(np.float64).eps)  # optax: sqrt(max(|e|^2, eps))
            unit = [[v / mp.sqrt(max(m_dot(r, r), floor)) for v in r] for r in e]
        else:
            unit = [[v / m_norm(r) for v in r] for r in e]
        out = []
        for i in range(n):
            P = [j for j in range(n) if j != i and labels[j] == labels[i]]
            Nn = [k for k in range(n) if labels[k] != labels[i]]
            if loss == "ntxent":
                tau = M(prm.get("temperature", 0.07))
                s = [m_dot(unit[i], unit[j]) / tau for j in range(n)]
                lse = m_lse(s[k] for k in Nn)
                total = mp.fsum(m_lse([s[j], lse]) - s[j] for j in P)  # -log(e^s / (e^s + sum e^neg))
                out.append((total / len(P), mp.mpf(len(P))) if P else (mp.mpf(0), mp.mpf(0)))
            else:
                gamma, margin = M(prm.get("gamma", 80.0)), M(prm.get("margin", 0.4))
                dist = [max(1 - m_dot(unit[i], unit[j]), 0) for j in range(n)]
                pos = [-gamma * max(margin + dist[j], 0) * (margin - dist[j]) for j in P]
                negs = [gamma * max(1 + margin - dist[k], 0) * (1 - margin - dist[k]) for k in Nn]
                out.append((m_softplus_inf(m_lse(pos) + m_lse(negs)), one))
        return out
    if loss == "info_nce":
        q, kp, kn = A["query"], A["positive_key"], A.get("negative_keys")
        tau = M(prm.get("temperature", 0.1))
        out = []
        for i in range(len(q)):
            others = list(kn) if kn is not None else [kp[j] for j in range(len(kp)) if j != i]
            logits = [m_cos(q[i], kp[i]) / tau] + [m_cos(q[i], k) / tau for k in others]
            out.append((m_lse(logits) - logits[0], one))
        return out
    if loss in ("dice", "tversky", "generalized_dice"):
        y, p = A["y"], A["probs"]
        s = M(prm.get("smooth", 1e-7 if loss == "generalized_dice" else 1.0))
        class_axis = 1 if loss == "generalized_dice" else prm.get("class_axis")
        sums = m_overlap_sums(y, p, class_axis)
        if loss == "generalized_dice":
            C = y.shape[1]
            freq = [mp.fsum(M(v) for v in y[:, c].ravel()) for c in range(C)]
            w = [1 / (f * f + M(1e-7)) for f in freq]
            w = [v / mp.fsum(w) * C for v in w]
        out = []
        for groups in sums:
            terms = []
            for c, (tp, sy, sp) in enumerate(groups):
                if loss == "tversky":
                    a, b = M(prm.get("alpha", 0.5)), M(prm.get("beta", 0.5))
                    fp, fn = sp - tp, sy - tp
                    terms.append(1 - (tp + s) / (tp + a * fp + b * fn + s))
                else:
                    d = 1 - (2 * tp + s) / (sy + sp + s)
                    terms.append(w[c] * d if loss == "generalized_dice" else d)
            out.append((mp.fsum(terms) / len(terms), one))
        return out
    if loss == "ranking_softmax":
        r, sc = A["relevance"], A["scores"]
        mask = prm.get("mask")
        out = []
        for i in range(len(r)):
            valid = [j for j in range(len(r[i])) if mask is None or mask[i][j]]
            lse = m_lse(sc[i][j] for j in valid)
            out.append((-mp.fsum(M(r[i][j]) * (sc[i][j] - lse) for j in valid), one))
        return out
    if loss in ("giou_box", "diou_box", "ciou_box"):
        g, b, eps = A["y"], A["boxes"], M(prm.get("eps", 1e-7))
        out = []
        for i in range(len(g)):
            gi = [M(v) for v in g[i]]
            iou, union, area_c, diag, centre = m_box_terms(b[i], gi, eps)
            if loss == "giou_box":
                out.append((1 - iou + (area_c - union) / (area_c + eps), one))
                continue
            value = 1 - iou + centre / (diag + eps)
            if loss == "ciou_box":
                w, h, wg, hg = b[i][2] - b[i][0], b[i][3] - b[i][1], gi[2] - gi[0], gi[3] - gi[1]
                v = 4 / mp.pi**2 * (mp.atan(wg / hg) - mp.atan(w / h)) ** 2
                value += v / (1 - iou + v + eps) * v  # alpha v, alpha differentiated too
            out.append((value, one))
        return out
    raise KeyError(loss)


def m_reduced(loss, A, prm, reduction, sample_weight):
    """(reduced value as mpf or list of mpf, objective whose gradient is recorded)."""
    pairs = m_examples(loss, A, prm)
    sw = np.ones(len(pairs)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    weights = [w * M(s) for (_, w), s in zip(pairs, sw)]
    weighted = [w * v for (v, _), w in zip(pairs, weights)]
    if reduction == "none":
        return weighted, mp.fsum(weighted)
    total = mp.fsum(weighted)
    if reduction == "mean":
        tw = mp.fsum(weights)
        total = total / tw if tw > 0 else mp.mpf(0)
    return total, total


def mp_structured(loss, arrays, preds, params, reduction, sample_weight):
    """lossref's value and the gradients with respect to each prediction (central differences in 60 digits)."""
    A = {k: (to_mp(v) if k in preds else (None if v is None else np.asarray(v))) for k, v in arrays.items()}
    value, _ = m_reduced(loss, A, params, reduction, sample_weight)
    value = [float(v) for v in value] if reduction == "none" else float(value)
    h = mp.mpf(FD_STEP)
    grads = {}
    for name in preds:
        g = np.empty(A[name].shape, dtype=np.float64)
        for idx in np.ndindex(A[name].shape):
            keep = A[name][idx]
            A[name][idx] = keep + h
            up = m_reduced(loss, A, params, reduction, sample_weight)[1]
            A[name][idx] = keep - h
            down = m_reduced(loss, A, params, reduction, sample_weight)[1]
            A[name][idx] = keep
            g[idx] = float((up - down) / (2 * h))
        grads[name] = g
    return value, grads


def add_new(id, loss, arrays, preds, *, source, value=None, grads=None, params=None, reduction="mean",
            sample_weight=None, framework=None, note=None):
    """Record a case of a new loss. ``arrays`` are its inputs in argument order (a dict), ``preds`` the
    names of the predictions differentiated; ``value``/``grads`` None means "take mpmath's".

    A loss of (target, prediction) is stored as ``y``/``pred``/``grad``, like the other losses; a loss of
    more arrays as ``arrays``/``grads`` (dicts keyed by argument name). A framework block's gradient
    follows the case's schema (``grad`` or ``grads``)."""
    params = dict(params or {})
    arrays = dict(arrays)
    mv, mg = mp_structured(loss, arrays, preds, params, reduction, sample_weight)
    if value is None:
        value = mv
    elif not close(value, mv):
        raise AssertionError(f"{id}: {source} value {value!r} disagrees with mpmath {mv!r}")
    if grads is None:
        grads = mg
    for name in preds:
        if not close(grads[name], mg[name], rtol=1e-9):
            raise AssertionError(f"{id}: {source} grad of {name} {grads[name]!r} disagrees with mpmath {mg[name]!r}")
    if not np.all(np.isfinite(value)) or not all(np.all(np.isfinite(g)) for g in grads.values()):
        raise AssertionError(f"{id}: expected values must be finite")
    if any(c["id"] == id for c in CASES):
        raise AssertionError(f"duplicate case id {id}")
    names = list(arrays)
    pair = len(names) == 2 and tuple(preds) == (names[1],)
    if framework is not None:
        if not framework.get("difference"):
            raise AssertionError(f"{id}: a framework block needs its difference")
        fgrads = framework.get("grads") if not pair else (
            {names[1]: framework["grad"]} if "grad" in framework else None)
        if framework["difference"] == "same":
            if not close(framework["value"], value):
                raise AssertionError(f"{id}: framework value {framework['value']!r} is not 'same' as {value!r}")
            for name in (fgrads or {}):
                if not close(fgrads[name], grads[name], rtol=1e-9):
                    raise AssertionError(f"{id}: framework grad of {name} is not 'same'")
    case = {
        "id": id,
        "loss": loss,
        "params": params,
        "reduction": reduction,
        "sample_weight": None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64),
        "expected": value,
        "source": source,
    }
    if pair:
        case.update(y=np.asarray(arrays[names[0]]), pred=np.asarray(arrays[names[1]], dtype=np.float64),
                    grad=grads[names[1]])
    else:
        case.update(arrays={k: np.asarray(v) for k, v in arrays.items() if v is not None},
                    grads={k: grads[k] for k in preds})
    if framework is not None:
        case["framework"] = framework
    if note is not None:
        case["note"] = note
    CASES.append(jsonable(case))


def autograd_multi(fn, preds):
    """Value of ``fn(**preds)`` and the gradients of its sum with respect to each prediction."""
    ts = {k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for k, v in preds.items()}
    out = fn(**ts)
    gs = torch.autograd.grad(out.sum(), list(ts.values()))
    value = out.detach().numpy()
    return (float(value) if value.ndim == 0 else value), {k: g.numpy() for k, g in zip(ts, gs)}


def torch_new(id, loss, arrays, preds, torch_fn, *, source="torch", **kw):
    """A new-loss case whose expected value and gradients are ``torch_fn``'s (keywords: the predictions)."""
    value, grads = autograd_multi(torch_fn, {k: arrays[k] for k in preds})
    add_new(id, loss, arrays, preds, value=value, grads=grads, source=source, **kw)


def optax_block_multi(call, fn, preds, difference, *, formula=None):
    """``optax_block`` for several predictions: ``fn(**preds)``; the gradients go in ``grads``."""
    if "optax." not in call:
        raise AssertionError(f"an optax call names optax: {call}")
    names = list(preds)
    qs = [jnp.asarray(np.asarray(preds[k], dtype=np.float64)) for k in names]
    out = fn(**dict(zip(names, qs)))
    if out.dtype != jnp.float64:
        raise AssertionError(f"{call}: optax returned {out.dtype}, not float64")
    value = np.asarray(out, dtype=np.float64)
    value = float(value) if value.ndim == 0 else value
    if difference != "same" and formula is None:
        raise AssertionError(f"{call}: a block that differs from lossref needs optax's formula")
    if formula is not None:
        np.testing.assert_allclose(value, formula, rtol=1e-12, atol=1e-15, equal_nan=True, err_msg=call)
    gs = jax.grad(lambda *xs: jnp.sum(fn(**dict(zip(names, xs)))), argnums=tuple(range(len(names))))(*qs)
    return {"call": call, "value": value, "difference": difference,
            "grads": {k: np.asarray(g, dtype=np.float64) for k, g in zip(names, gs)}}


def mp_value(loss, arrays, params, reduction="mean", sample_weight=None):
    """mpmath's value alone (no gradient), e.g. as the formula of a "same" framework block."""
    A = {k: (to_mp(v) if np.asarray(v).dtype.kind == "f" else np.asarray(v)) for k, v in arrays.items()
         if v is not None}
    value, _ = m_reduced(loss, A, params, reduction, sample_weight)
    return [float(v) for v in value] if reduction == "none" else float(value)


def unit_rows(x):
    x = np.asarray(x, dtype=np.float64)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def softmax_np(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def classification_structured_cases():
    O = optax.losses
    K = keras.losses
    eps = keras.config.epsilon()
    # ---- nll on log-probabilities (torch NLLLoss)
    n, C = 6, 4
    labels, lp = integers(200, n, 0, C), np_log_softmax(rand(201, (n, C), 2.0))
    torch_new("nll_mean", "nll", {"y": labels, "log_probs": lp}, ("log_probs",),
              lambda log_probs: F.nll_loss(log_probs, L(labels)))
    cw = [0.5, 2.0, 1.0, 3.0]
    labels_ign = labels.copy()
    labels_ign[[1, 4]] = -100
    torch_new("nll_class_weight_ignore_index_mean", "nll", {"y": labels_ign, "log_probs": lp}, ("log_probs",),
              lambda log_probs: F.nll_loss(log_probs, L(labels_ign), weight=T(cw), ignore_index=-100),
              params={"class_weight": cw, "ignore_index": -100},
              note="torch's weighted 'mean' divides by the sum of the class weights of the examples not ignored, "
              "as lossref's does. lossref's default ignore_index is None (torch's is -100).")
    w = uniform(202, n, 0.1, 3.0)
    torch_new("nll_ignore_index_2_sample_weight_sum", "nll", {"y": labels, "log_probs": lp}, ("log_probs",),
              lambda log_probs: reduce(F.nll_loss(log_probs, L(labels), ignore_index=2, reduction="none"), T(w), "sum"),
              params={"ignore_index": 2}, reduction="sum", sample_weight=w, source="torch, converted")
    torch_new("nll_class_weight_none", "nll", {"y": labels, "log_probs": lp}, ("log_probs",),
              lambda log_probs: F.nll_loss(log_probs, L(labels), weight=T(cw), reduction="none"),
              params={"class_weight": cw}, reduction="none",
              note="reduction 'none' gives class_weight[y] * (-log_probs[y]), as torch's.")
    # ---- categorical focal (no torch function: torch ops; Keras's CategoricalFocalCrossentropy)
    labels, z = integers(203, n, 0, C), rand(204, (n, C), 2.0)
    one_hot = np.eye(C)[labels]

    def focal_torch(alpha, gamma):
        def fn(logits):
            logp = F.log_softmax(logits, dim=-1).gather(1, L(labels)[:, None])[:, 0]
            a = T(alpha)[L(labels)] if np.ndim(alpha) else alpha
            return -a * (1 - logp.exp()) ** gamma * logp
        return fn

    def keras_focal_formula(z_, alpha, gamma):
        pc = np.clip(softmax_np(z_), eps, 1 - eps)
        return float(np.mean(np.sum(-one_hot * alpha * (1 - pc) ** gamma * np.log(pc), axis=-1)))

    torch_new(
        "categorical_focal_gamma_2_mean", "categorical_focal", {"y": labels, "logits": z}, ("logits",),
        lambda logits: focal_torch(1.0, 2.0)(logits).mean(), source="torch (formula)",
        framework=keras_block(
            "keras.losses.CategoricalFocalCrossentropy(from_logits=True)(keras.ops.one_hot(y, 4), logits)",
            lambda q: K.CategoricalFocalCrossentropy(from_logits=True)(keras.ops.one_hot(labels, C), q), z,
            "Keras's default alpha=0.25 multiplies every term by 0.25; lossref's default alpha=None weighs nothing "
            "(alpha = 1). With alpha=0.25 the numbers agree (case categorical_focal_alpha_0p25_keras_mean).",
            formula=keras_focal_formula(z, 0.25, 2.0)),
        note="-(1 - p_y)^2 log p_y, p = softmax(logits), written in torch ops (PyTorch has no softmax focal loss).")
    torch_new(
        "categorical_focal_alpha_0p25_keras_mean", "categorical_focal", {"y": labels, "logits": z}, ("logits",),
        lambda logits: focal_torch(0.25, 2.0)(logits).mean(), source="torch (formula)",
        params={"alpha": 0.25, "gamma": 2.0},
        framework=keras_block(
            "keras.losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0, from_logits=True)"
            "(keras.ops.one_hot(y, 4), logits)",
            lambda q: K.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0, from_logits=True)(
                keras.ops.one_hot(labels, C), q), z, "same", formula=keras_focal_formula(z, 0.25, 2.0)))
    alpha = [0.25, 0.5, 1.0, 2.0]
    w = uniform(205, n, 0.2, 2.0)
    torch_new("categorical_focal_alpha_per_class_gamma_1p5_sample_weight_sum", "categorical_focal",
              {"y": labels, "logits": z}, ("logits",),
              lambda logits: reduce(focal_torch(alpha, 1.5)(logits), T(w), "sum"),
              source="torch (formula), converted", params={"alpha": alpha, "gamma": 1.5}, reduction="sum",
              sample_weight=w, note="a per-class alpha multiplies the true class's term.")
    zc = rand(206, (n, C), 2.0)
    zc[np.arange(n), labels] -= 30.0  # p_y about 1e-13: below Keras's clip at 1e-7
    zc[0, labels[0]] += 60.0  # and one confident correct row, p_y = 1 - 1e-13
    add_new(
        "categorical_focal_confident_keras_clip_none", "categorical_focal", {"y": labels, "logits": zc}, ("logits",),
        params={"alpha": 0.25, "gamma": 2.0}, reduction="none", source="mpmath",
        framework=keras_block(
            "keras.losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0, from_logits=True, reduction=None)"
            "(keras.ops.one_hot(y, 4), logits)",
            lambda q: K.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0, from_logits=True, reduction=None)(
                keras.ops.one_hot(labels, C), q),
            zc, "Keras clips the softmax to [1e-7, 1 - 1e-7] before the log: a confidently wrong row (p_y about "
            "1e-13) costs at most 0.25 * -log(1e-7) = 4.03 instead of its true -0.25 log p_y (about 7.5 here), and "
            "gets a zero gradient; the confident correct row costs 0.25 * (1e-7)^2 * 1e-7 instead of about 1e-39. "
            "lossref forms log p_y and 1 - p_y without clipping.",
            formula=np.sum(-one_hot * 0.25 * (1 - np.clip(softmax_np(zc), eps, 1 - eps)) ** 2
                           * np.log(np.clip(softmax_np(zc), eps, 1 - eps)), axis=-1)))
    # ---- cosine distance
    y, p = rand(207, (5, 3)), rand(208, (5, 3))
    cos = np.sum(unit_rows(y) * unit_rows(p), axis=-1)
    torch_new(
        "cosine_distance_mean", "cosine_distance", {"y": y, "y_pred": p}, ("y_pred",),
        lambda y_pred: (1 - F.cosine_similarity(y_pred, T(y), dim=-1, eps=1e-8)).mean(),
        source="torch (1 - cosine_similarity)",
        framework=keras_block(
            "keras.losses.CosineSimilarity()(y, y_pred)", lambda q: K.CosineSimilarity()(y, q), p,
            "Keras's CosineSimilarity is the negative cosine, -cos (a similarity to minimise), not 1 - cos: "
            "lossref's number is 1 + Keras's, and the gradients are equal.",
            formula=float(np.mean(-cos))))
    add_new("cosine_distance_optax_mean", "cosine_distance", {"y": y, "y_pred": p}, ("y_pred",), source="mpmath",
            framework=optax_block("optax.losses.cosine_distance(y_pred, y).mean()",
                                  lambda q: O.cosine_distance(q, y).mean(), p, "same"),
            note="optax takes (predictions, targets), the reverse of lossref's order (the cosine is symmetric).")
    ys, ps = rand(209, (4, 3)), rand(210, (4, 3))
    ps[1] = [3e-9, -4e-9, 0.0]  # norm 5e-9, below eps = 1e-8
    ys[2] = [1e-10, 0.0, 2e-10]
    w = uniform(211, 4, 0.5, 2.0)
    small = lambda y_pred: reduce(1 - F.cosine_similarity(y_pred, T(ys), dim=-1, eps=1e-8), T(w), "sum")  # noqa: E731
    torch_value, torch_grad = autograd(small, ps)
    add_new(
        "cosine_distance_small_norms_sample_weight_sum", "cosine_distance", {"y": ys, "y_pred": ps}, ("y_pred",),
        value=torch_value, source="torch (1 - cosine_similarity, value), mpmath (grad)", reduction="sum",
        sample_weight=w,
        framework=optax_block(
            "jnp.sum(w * optax.losses.cosine_distance(y_pred, y, epsilon=1e-16))",
            lambda q: jnp.sum(w * O.cosine_distance(q, ys, epsilon=1e-16)), ps, "same"),
        note="rows 1 (prediction) and 2 (target) have norms below eps = 1e-8: lossref, like torch 2.13's "
        "cosine_similarity, divides each vector by max(|x|, eps), so those rows' cosines shrink towards 0. "
        "optax clips the squared norm: its epsilon=1e-16 is lossref's eps=1e-8 (its default 0 divides by the "
        "true norm).")
    below = ps[1]
    exact = w[1] * -ys[1] / (1e-8 * np.linalg.norm(ys[1]))  # row 1 is linear in y_pred below the floor
    if not close(CASES[-1]["grad"][1], exact, rtol=1e-9):
        raise AssertionError("cosine_distance below the floor: the gradient is not -w y / (eps |y|)")
    add_new(
        "cosine_distance_small_norms_torch_grad_sum", "cosine_distance", {"y": ys, "y_pred": ps}, ("y_pred",),
        value=torch_value, source="torch (1 - cosine_similarity, value), mpmath (grad)", reduction="sum",
        sample_weight=w,
        framework={
            "call": "torch.sum(w * (1 - torch.nn.functional.cosine_similarity(y_pred, y, dim=-1, eps=1e-8)))",
            "value": torch_value, "grad": torch_grad,
            "difference": "Same value; for a prediction whose norm is below eps (row 1, norm "
            f"{float(np.linalg.norm(below)):.2g}) the loss is linear in it, 1 - y.y_pred / (eps |y|), with gradient "
            "-y / (eps |y|) (lossref's), but torch 2.13's backward of cosine_similarity returns another vector "
            "there (its first two components differ by a few per cent). Every other row's gradient agrees.",
        })
    ps_default = ps.copy()
    add_new(
        "cosine_distance_small_norms_optax_default_mean", "cosine_distance", {"y": ys, "y_pred": ps_default},
        ("y_pred",), source="mpmath",
        framework=optax_block(
            "optax.losses.cosine_distance(y_pred, y).mean()", lambda q: O.cosine_distance(q, ys).mean(), ps_default,
            "optax's default epsilon=0 divides by the true norms, so a tiny vector is normalised to unit length "
            "(rows 1 and 2 get their full cosine); lossref floors each norm at eps = 1e-8 and shrinks those "
            "cosines to about 0. Pass epsilon=eps**2 to optax for lossref's number.",
            formula=float(np.mean(1 - np.sum(unit_rows(ys) * unit_rows(ps_default), axis=-1)))))


def ctc_torch(targets, il, tl, blank=0, zero_infinity=False, reduction="none"):
    def fn(logits):
        log_probs = F.log_softmax(logits, dim=-1).transpose(0, 1)  # torch wants (T, N, C)
        return F.ctc_loss(log_probs, L(targets), L(il), L(tl), blank=blank, reduction=reduction,
                          zero_infinity=zero_infinity)
    return fn


def sequence_cases():
    O = optax.losses
    K = keras.losses
    # ---- ctc: batch-first logits (N, T, C), padded targets (N, S)
    N, Tn, C = 3, 7, 4
    z = rand(220, (N, Tn, C), 1.5)
    targets = np.array([[1, 2, 2], [3, 1, 0], [2, 0, 0]])
    il, tl = [7, 6, 4], [3, 2, 1]
    arrays = {"targets": targets, "logits": z}
    prm = {"input_lengths": il, "target_lengths": tl}
    per_seq = ctc_torch(targets, il, tl)
    torch_new(
        "ctc_mean", "ctc", arrays, ("logits",), lambda logits: reduce(per_seq(logits), None, "mean"),
        source="torch, converted", params=prm,
        framework=framework_block(
            "torch.nn.functional.ctc_loss(logits.log_softmax(-1).transpose(0, 1), targets, input_lengths, "
            "target_lengths)",
            ctc_torch(targets, il, tl, reduction="mean"), z,
            "torch's 'mean' divides each sequence's loss by its target length before averaging over the batch "
            "(here lengths 3, 2, 1); lossref's mean is the plain (weighted) mean over sequences, torch's "
            "reduction='none' averaged. torch also takes time-first log-probabilities (T, N, C); lossref takes "
            "batch-first logits (N, T, C) and applies the log-softmax itself."),
        note="mean of torch's ctc_loss(..., reduction='none'); target 0 has a repeated label (2, 2), which needs a "
        "blank between.")
    w = uniform(221, N, 0.2, 2.0)
    torch_new("ctc_sample_weight_none", "ctc", arrays, ("logits",),
              lambda logits: reduce(per_seq(logits), T(w), "none"), source="torch, converted", params=prm,
              reduction="none", sample_weight=w)
    targets_b = np.array([[0, 1, 0], [2, 2, 1], [1, 1, 1]])  # blank = 3: every label below it
    torch_new("ctc_blank_last_full_lengths_sum", "ctc", {"targets": targets_b, "logits": z}, ("logits",),
              ctc_torch(targets_b, [Tn] * N, [3] * N, blank=3, reduction="sum"), params={"blank": 3},
              reduction="sum", note="default lengths: every time step and every label column.")
    targets_inf = np.array([[1, 2, 2], [3, 3, 3], [2, 0, 0]])
    il_inf, tl_inf = [7, 4, 4], [3, 3, 1]  # sequence 1: labels 3, 3, 3 need 5 steps, it has 4
    torch_new("ctc_zero_infinity_mean", "ctc", {"targets": targets_inf, "logits": z}, ("logits",),
              lambda logits: ctc_torch(targets_inf, il_inf, tl_inf, zero_infinity=True)(logits).mean(),
              source="torch, converted",
              params={"input_lengths": il_inf, "target_lengths": tl_inf, "zero_infinity": True},
              note="sequence 1 (target 3, 3, 3 in 4 steps: 5 are needed with the blanks between repeats) has no "
              "alignment: zero_infinity gives it loss 0 and gradient 0, and it still counts in the mean.")
    # Keras CTC and optax ctc_loss: blank 0, full input lengths, padding 0 after the labels
    targets_k = np.array([[1, 2, 2], [3, 1, 0], [2, 0, 0]])
    tl_k = [3, 2, 1]
    zk = rand(222, (N, 6, C), 1.5)
    arrays_k = {"targets": targets_k, "logits": zk}
    add_new(
        "ctc_keras_mean", "ctc", arrays_k, ("logits",), params={"target_lengths": tl_k}, source="mpmath",
        framework=keras_block(
            "keras.losses.CTC()(targets, logits)", lambda q: K.CTC()(targets_k, q), zk, "same",
            formula=mp_value("ctc", arrays_k, {"target_lengths": tl_k})),
        note="Keras reads the label 0 as padding (and the blank) and uses every time step: lossref's default "
        "blank=0 with the target lengths given.")
    logit_pad = np.zeros((N, 6))
    logit_pad[1, 4:] = 1.0  # sequence 1 has 4 valid steps
    label_pad = (targets_k == 0).astype(np.float64)
    add_new(
        "ctc_optax_paddings_mean", "ctc", arrays_k, ("logits",),
        params={"input_lengths": [6, 4, 6], "target_lengths": tl_k}, source="mpmath",
        framework=optax_block(
            "optax.losses.ctc_loss(logits, logit_paddings, targets, label_paddings).mean()",
            lambda q: O.ctc_loss(q, logit_pad, targets_k, label_pad).mean(), zk, "same"),
        note="optax marks padding with 1.0 in logit_paddings (N, T) and label_paddings (N, S) instead of "
        "lengths; its log_epsilon=-1e5 stands for log 0 and changes nothing in float64 here.")


def ranking_cases():
    O = optax.losses
    # ---- margin_ranking (several arrays: the arrays/grads schema)
    n = 8
    y = np.array([1, -1, 1, 1, -1, -1, 1, -1])
    x1, x2 = rand(230, n), rand(231, n)
    torch_new("margin_ranking_margin_0p5_mean", "margin_ranking", {"y": y, "x1": x1, "x2": x2}, ("x1", "x2"),
              lambda x1, x2: F.margin_ranking_loss(x1, x2, T(y), margin=0.5), params={"margin": 0.5})
    torch_new("margin_ranking_sum", "margin_ranking", {"y": y, "x1": x1, "x2": x2}, ("x1", "x2"),
              lambda x1, x2: F.margin_ranking_loss(x1, x2, T(y), reduction="sum"), reduction="sum")
    w = uniform(232, n, 0.0, 2.0)
    torch_new("margin_ranking_margin_1_sample_weight_none", "margin_ranking", {"y": y, "x1": x1, "x2": x2},
              ("x1", "x2"),
              lambda x1, x2: reduce(F.margin_ranking_loss(x1, x2, T(y), margin=1.0, reduction="none"), T(w), "none"),
              source="torch, converted", params={"margin": 1.0}, reduction="none", sample_weight=w)
    # ---- ranking_softmax (optax ranking_softmax_loss)
    rel = np.array([[1.0, 0.0, 0.0, 2.0], [0.0, 0.0, 1.0, 0.0], [0.5, 1.0, 0.0, 0.0]])
    s = rand(233, (3, 4), 1.5)
    add_new("ranking_softmax_optax_mean", "ranking_softmax", {"relevance": rel, "scores": s}, ("scores",),
            source="mpmath",
            framework=optax_block("optax.losses.ranking_softmax_loss(scores, relevance)",
                                  lambda q: O.ranking_softmax_loss(q, rel), s, "same"),
            note="raw relevance, not normalised to sum to 1 (row 0 has total relevance 3).")
    mask = np.array([[True, True, False, True], [True, True, True, True], [True, True, True, False]])
    add_new("ranking_softmax_mask_optax_mean", "ranking_softmax", {"relevance": rel, "scores": s}, ("scores",),
            params={"mask": mask}, source="mpmath",
            framework=optax_block("optax.losses.ranking_softmax_loss(scores, relevance, where=mask)",
                                  lambda q: O.ranking_softmax_loss(q, rel, where=mask), s, "same"),
            note="masked items leave the softmax and the sum (optax's where=).")
    w = uniform(234, 3, 0.2, 2.0)
    add_new("ranking_softmax_sample_weight_sum", "ranking_softmax", {"relevance": rel, "scores": s}, ("scores",),
            reduction="sum", sample_weight=w, source="mpmath",
            framework=optax_block("jnp.sum(w * optax.losses.ranking_softmax_loss(scores, relevance, reduce_fn=None))",
                                  lambda q: jnp.sum(w * O.ranking_softmax_loss(q, rel, reduce_fn=None)), s, "same"))
    add_new("ranking_softmax_none", "ranking_softmax", {"relevance": rel, "scores": s}, ("scores",),
            reduction="none", source="mpmath")


def metric_cases():
    O = optax.losses
    K = keras.losses
    # ---- triplet_margin (torch triplet_margin_loss)
    N, D = 5, 3
    a, pos, neg = rand(240, (N, D)), rand(241, (N, D)), rand(242, (N, D))
    trip = {"anchor": a, "positive": pos, "negative": neg}
    names = ("anchor", "positive", "negative")
    torch_new("triplet_margin_mean", "triplet_margin", trip, names,
              lambda anchor, positive, negative: F.triplet_margin_loss(anchor, positive, negative))
    torch_new("triplet_margin_p1_swap_sum", "triplet_margin", trip, names,
              lambda anchor, positive, negative: F.triplet_margin_loss(anchor, positive, negative, p=1.0, swap=True,
                                                                       reduction="sum"),
              params={"p": 1.0, "swap": True}, reduction="sum",
              note="swap=True uses min(d(a, n), d(p, n)) as the negative distance.")
    w = uniform(243, N, 0.2, 2.0)
    torch_new("triplet_margin_p3_margin_2_sample_weight_none", "triplet_margin", trip, names,
              lambda anchor, positive, negative: reduce(
                  F.triplet_margin_loss(anchor, positive, negative, margin=2.0, p=3.0, reduction="none"), T(w), "none"),
              source="torch, converted", params={"p": 3.0, "margin": 2.0}, reduction="none", sample_weight=w)
    torch_new("triplet_margin_swap_mean", "triplet_margin", trip, names,
              lambda anchor, positive, negative: F.triplet_margin_loss(anchor, positive, negative, swap=True),
              params={"swap": True})
    optax_formula = np.maximum(np.sqrt(np.sum((a - pos) ** 2, -1) + 0.01)
                               - np.sqrt(np.sum((a - neg) ** 2, -1) + 0.01) + 1.0, 0).mean()
    add_new("triplet_margin_eps_0p01_optax_mean", "triplet_margin", trip, names, params={"eps": 0.01},
            source="mpmath",
            framework=optax_block_multi(
                "optax.losses.triplet_margin_loss(anchor, positive, negative, eps=0.01).mean()",
                lambda anchor, positive, negative: O.triplet_margin_loss(anchor, positive, negative,
                                                                         eps=0.01).mean(), trip,
                "optax puts eps inside the root, d = (sum_j (a_j - p_j)^2 + eps)^(1/2), where lossref (and torch's "
                "pairwise_distance) adds eps to each difference, d = ||a - p + eps||_2. With the default eps=1e-6 "
                "the numbers differ by about 1e-7; eps=0.01 here makes it visible. optax also raises the "
                "differences to the power p without an absolute value, so its odd p are not norms.",
                formula=float(optax_formula)))
    # ---- cosine_embedding (torch cosine_embedding_loss)
    y = np.array([1, -1, 1, -1, -1, 1])
    x1, x2 = rand(244, (6, 4)), rand(245, (6, 4))
    x2[1] = x1[1] + 0.3 * rand(246, 4)  # a similar pair labelled dissimilar: cos > margin
    emb = {"y": y, "x1": x1, "x2": x2}
    torch_new("cosine_embedding_mean", "cosine_embedding", emb, ("x1", "x2"),
              lambda x1, x2: F.cosine_embedding_loss(x1, x2, T(y)))
    torch_new("cosine_embedding_margin_0p2_sum", "cosine_embedding", emb, ("x1", "x2"),
              lambda x1, x2: F.cosine_embedding_loss(x1, x2, T(y), margin=0.2, reduction="sum"),
              params={"margin": 0.2}, reduction="sum")
    def optax_cosine_embedding(x1, x2, margin=0.0):
        c = O.cosine_similarity(x1, x2)
        return jnp.mean(jnp.where(y == 1, 1 - c, jnp.maximum(c - margin, 0)))

    add_new("cosine_embedding_margin_0p2_optax_mean", "cosine_embedding", emb, ("x1", "x2"),
            params={"margin": 0.2}, source="mpmath",
            framework=optax_block_multi(
                "c = optax.losses.cosine_similarity(x1, x2); jnp.mean(jnp.where(y == 1, 1 - c, "
                "jnp.maximum(c - 0.2, 0)))",
                lambda x1, x2: optax_cosine_embedding(x1, x2, 0.2), {"x1": x1, "x2": x2}, "same"),
            note="optax has no cosine embedding loss: its cosine_similarity in torch's formula.")
    w = uniform(247, 6, 0.2, 2.0)
    torch_new("cosine_embedding_sample_weight_mean", "cosine_embedding", emb, ("x1", "x2"),
              lambda x1, x2: reduce(F.cosine_embedding_loss(x1, x2, T(y), margin=-0.3, reduction="none"), T(w),
                                    "mean"),
              source="torch, converted", params={"margin": -0.3}, sample_weight=w)
    # ---- hinge_embedding (torch hinge_embedding_loss: the input is a distance)
    y = np.array([1, -1, 1, -1, -1, 1, -1])
    dist = uniform(248, 7, 0.05, 2.5)
    torch_new("hinge_embedding_mean", "hinge_embedding", {"y": y, "distances": dist}, ("distances",),
              lambda distances: F.hinge_embedding_loss(distances, T(y)),
              note="y = 1 costs the distance itself, y = -1 costs max(0, margin - distance).")
    torch_new("hinge_embedding_margin_2_sum", "hinge_embedding", {"y": y, "distances": dist}, ("distances",),
              lambda distances: F.hinge_embedding_loss(distances, T(y), margin=2.0, reduction="sum"),
              params={"margin": 2.0}, reduction="sum")
    w = uniform(249, 7, 0.2, 2.0)
    torch_new("hinge_embedding_sample_weight_none", "hinge_embedding", {"y": y, "distances": dist}, ("distances",),
              lambda distances: reduce(F.hinge_embedding_loss(distances, T(y), reduction="none"), T(w), "none"),
              source="torch, converted", reduction="none", sample_weight=w)
    # ---- ntxent (optax ntxent: embeddings first)
    labels = np.array([0, 0, 1, 1, 1, 2])  # label 2 has no positive
    e = rand(250, (6, 3))
    add_new("ntxent_optax_mean", "ntxent", {"labels": labels, "embeddings": e}, ("embeddings",), source="mpmath",
            framework=optax_block("optax.losses.ntxent(embeddings, labels)", lambda q: O.ntxent(q, labels), e,
                                  "same"),
            note="optax takes (embeddings, labels), the reverse of lossref's order. The mean is over the 8 ordered "
            "positive pairs; row 5 (label 2) has no positive and adds nothing.")
    add_new("ntxent_temperature_0p5_optax_mean", "ntxent", {"labels": labels, "embeddings": e}, ("embeddings",),
            params={"temperature": 0.5}, source="mpmath",
            framework=optax_block("optax.ntxent(embeddings, labels, temperature=0.5)",
                                  lambda q: optax.ntxent(q, labels, temperature=0.5), e, "same"),
            note="optax.ntxent is optax.losses.ntxent, exported at the top level too.")
    w = uniform(251, 6, 0.2, 2.0)
    add_new("ntxent_sample_weight_mean", "ntxent", {"labels": labels, "embeddings": e}, ("embeddings",),
            params={"temperature": 0.5}, sample_weight=w, source="mpmath",
            note="each ordered positive pair weighs its anchor's weight: sum_i w_i L_i / sum_i w_i |P(i)|.")
    add_new("ntxent_none", "ntxent", {"labels": labels, "embeddings": e}, ("embeddings",),
            params={"temperature": 0.5}, reduction="none", source="mpmath",
            note="anchor i's loss is the sum over its positives; row 5 has none and gets 0.")
    add_new("ntxent_sum", "ntxent", {"labels": labels, "embeddings": e}, ("embeddings",), reduction="sum",
            source="mpmath")
    # ---- info_nce (no framework ships it: mpmath; optax's softmax cross-entropy on the cosine logits agrees)
    q, kp, kn = rand(252, (4, 3)), rand(253, (4, 3)), rand(254, (5, 3))
    nce = {"query": q, "positive_key": kp, "negative_keys": kn}
    names = ("query", "positive_key", "negative_keys")

    def nce_logits(query, positive_key, negative_keys, tau):
        qn = query / jnp.linalg.norm(query, axis=-1, keepdims=True)
        pn = positive_key / jnp.linalg.norm(positive_key, axis=-1, keepdims=True)
        nn = negative_keys / jnp.linalg.norm(negative_keys, axis=-1, keepdims=True)
        return jnp.concatenate([jnp.sum(qn * pn, -1, keepdims=True), qn @ nn.T], axis=-1) / tau

    add_new("info_nce_negatives_mean", "info_nce", nce, names, source="mpmath",
            framework=optax_block_multi(
                "optax.losses.softmax_cross_entropy_with_integer_labels(jnp.concatenate([cos(q, k+), cos(q, k-)], "
                "-1) / 0.1, 0).mean()",
                lambda query, positive_key, negative_keys: O.softmax_cross_entropy_with_integer_labels(
                    nce_logits(query, positive_key, negative_keys, 0.1), jnp.zeros(4, dtype=int)).mean(), nce, "same"),
            note="no framework ships InfoNCE: the value is the formula's in 60 digits; the optax block writes it as "
            "a softmax cross-entropy whose class 0 is the positive key.")
    w = uniform(255, 4, 0.2, 2.0)
    add_new("info_nce_temperature_0p5_sample_weight_none", "info_nce", nce, names, params={"temperature": 0.5},
            reduction="none", sample_weight=w, source="mpmath")
    add_new("info_nce_in_batch_negatives_sum", "info_nce", {"query": q, "positive_key": kp},
            ("query", "positive_key"), reduction="sum", source="mpmath",
            framework=optax_block_multi(
                "optax.losses.softmax_cross_entropy_with_integer_labels(cos(q, k.T) / 0.1, jnp.arange(4)).sum()",
                lambda query, positive_key: O.softmax_cross_entropy_with_integer_labels(
                    (query / jnp.linalg.norm(query, axis=-1, keepdims=True))
                    @ (positive_key / jnp.linalg.norm(positive_key, axis=-1, keepdims=True)).T / 0.1,
                    jnp.arange(4)).sum(), {"query": q, "positive_key": kp}, "same"),
            note="negative_keys=None: each query's negatives are the other rows' positive keys, a cross-entropy "
            "over the (N, N) cosine matrix with the diagonal as the class.")
    # ---- circle (Keras circle on unit vectors; lossref normalises)
    labels = np.array([0, 0, 1, 1, 2, 0])  # label 2: no positive, loss 0
    e = rand(256, (6, 3))
    un = unit_rows(e)
    d = np.maximum(1 - un @ un.T, 0)

    def keras_circle_np(gamma=80.0, margin=0.4):
        same = labels[:, None] == labels[None, :]
        pos_m, neg_m = same & ~np.eye(6, dtype=bool), ~same
        pw = np.maximum(margin + d, 0) * pos_m
        nw = np.maximum(1 + margin - d, 0) * neg_m
        pl = np.where(pos_m, -gamma * pw * (margin - d), -np.inf)
        nl = np.where(neg_m, gamma * nw * (1 - margin - d), -np.inf)
        with np.errstate(divide="ignore"):
            lse = lambda x: np.log(np.sum(np.exp(x - x.max(1, keepdims=True)), 1)) + x.max(1)  # noqa: E731
            lp = np.array([lse(pl[i:i + 1])[0] if pos_m[i].any() else -np.inf for i in range(6)])
            ln = np.array([lse(nl[i:i + 1])[0] if neg_m[i].any() else -np.inf for i in range(6)])
        tot = lp + ln
        return np.where(np.isfinite(tot), np.logaddexp(0, np.where(np.isfinite(tot), tot, 0)), 0.0)

    def unit_t(x):
        return x / torch.linalg.norm(x, dim=-1, keepdim=True)

    per = keras_circle_np()
    add_new("circle_keras_none", "circle", {"labels": labels, "embeddings": e}, ("embeddings",), reduction="none",
            source="mpmath",
            framework=keras_block("keras.losses.circle(labels, embeddings / norm(embeddings))",
                                  lambda q: K.circle(labels, unit_t(q)), e, "same", formula=per),
            note="Keras expects unit vectors; lossref normalises the embeddings itself (the gradient goes through "
            "the normalisation). Row 4 (label 2) has no positive and costs 0.")
    add_new("circle_keras_class_mean", "circle", {"labels": labels, "embeddings": e}, ("embeddings",),
            source="mpmath",
            framework=keras_block(
                "keras.losses.Circle()(labels, embeddings / norm(embeddings))",
                lambda q: K.Circle()(labels, unit_t(q)), e,
                "Keras's Circle class masks the rows whose loss is 0 (here row 4, which has no positive) and "
                "averages over the other 5; lossref's mean is over all 6 rows.",
                formula=float(per[per > 0].mean())))
    w = uniform(257, 6, 0.2, 2.0)
    add_new("circle_gamma_16_margin_0p25_sample_weight_sum", "circle", {"labels": labels, "embeddings": e},
            ("embeddings",), params={"gamma": 16.0, "margin": 0.25}, reduction="sum", sample_weight=w,
            source="mpmath",
            framework=keras_block(
                "keras.ops.sum(w * keras.losses.circle(labels, embeddings / norm(embeddings), gamma=16, "
                "margin=0.25))",
                lambda q: keras.ops.sum(T(w) * K.circle(labels, unit_t(q), gamma=16, margin=0.25)), e, "same",
                formula=float(np.sum(w * keras_circle_np(16.0, 0.25)))))


def segmentation_cases():
    O = optax.losses
    K = keras.losses
    eps = keras.config.epsilon()
    # ---- dice: binary masks (n, H, W), and class maps (n, C, H, W)
    y = (uniform(260, (3, 4, 4), 0, 1) > 0.5).astype(np.float64)
    p = uniform(261, (3, 4, 4), 0.02, 0.98)
    add_new("dice_keras_batch_mean", "dice", {"y": y, "probs": p}, ("probs",), source="mpmath",
            framework=keras_block(
                "keras.losses.Dice()(y, probs)", lambda q: K.Dice()(y, q), p,
                "Keras's Dice with its default axis=None sums over the whole batch: one Dice for all 3 images "
                "together (a batch-level Dice, not a mean of per-image losses), and it has no smoothing term "
                "(it adds keras.config.epsilon() = 1e-7 to the denominator only). lossref's default scores each "
                "example (sums over every axis but the first) with smooth=1 in numerator and denominator, then "
                "averages.",
                formula=float(1 - 2 * np.sum(y * p) / (np.sum(y) + np.sum(p) + eps))))
    w = uniform(262, 3, 0.2, 2.0)
    add_new("dice_sample_weight_sum", "dice", {"y": y, "probs": p}, ("probs",), reduction="sum", sample_weight=w,
            source="mpmath")
    C = 3
    lab = integers(263, (2, 4, 4), 0, C)
    yc = np.moveaxis(np.eye(C)[lab], -1, 1)  # (2, C, 4, 4) one-hot
    pc = np.round(np.moveaxis(softmax_np(rand(264, (2, 4, 4, C), 1.5)), -1, 1), 12)
    pc = pc / pc.sum(axis=1, keepdims=True)  # exact class sums of 1 for optax's apply_softmax=False check
    last = lambda x: jnp.moveaxis(x, 1, -1)  # noqa: E731  optax wants classes last
    add_new("dice_class_axis_1_optax_mean", "dice", {"y": yc, "probs": pc}, ("probs",), params={"class_axis": 1},
            source="mpmath",
            framework=optax_block(
                "optax.losses.dice_loss(jnp.moveaxis(probs, 1, -1), jnp.moveaxis(y, 1, -1), smooth=0.5, "
                "apply_softmax=False).mean()",
                lambda q: O.dice_loss(last(q), last(yc), smooth=0.5, apply_softmax=False).mean(), pc, "same"),
            note="optax's dice_loss is 1 - (I + s) / (I + 0.5 FP + 0.5 FN + s) = 1 - (2I + 2s) / (sum y + sum p + 2s): "
            "its smooth=0.5 is lossref's smooth=1. optax wants the classes on the last axis, probabilities summing "
            "to 1 over them with apply_softmax=False (its default applies a softmax to logits); one value per "
            "example and class, averaged over the classes by reduction='mean', then over the examples.")
    add_new("dice_class_axis_1_smooth_0p1_none", "dice", {"y": yc, "probs": pc}, ("probs",),
            params={"class_axis": 1, "smooth": 0.1}, reduction="none", source="mpmath")
    # ---- tversky (alpha weighs the false positives; Keras's alpha the false negatives)
    add_new("tversky_alpha_0p7_keras_names_swapped_none", "tversky", {"y": y, "probs": p}, ("probs",),
            params={"alpha": 0.7, "beta": 0.3, "smooth": 0.0}, reduction="none", source="mpmath",
            framework=keras_block(
                "keras.losses.tversky(y, probs, alpha=0.7, beta=0.3, axis=(1, 2))",
                lambda q: K.tversky(y, q, alpha=0.7, beta=0.3, axis=(1, 2)), p,
                "Keras's alpha weighs the false negatives and its beta the false positives, the other way round "
                "from lossref (and from Salehi et al. and optax), so the same alpha=0.7, beta=0.3 give a different "
                "number; Keras's tversky(alpha=0.3, beta=0.7) is lossref's tversky(alpha=0.7, beta=0.3, smooth=0) "
                "up to Keras's 1e-7 in the denominator. Keras's Tversky class with its default axis=None also "
                "pools the whole batch.",
                formula=1 - np.sum(y * p, (1, 2)) / (np.sum(y * p, (1, 2)) + 0.7 * np.sum((1 - p) * y, (1, 2))
                                                    + 0.3 * np.sum(p * (1 - y), (1, 2)) + eps)))
    add_new("tversky_defaults_mean", "tversky", {"y": y, "probs": p}, ("probs",), source="mpmath",
            note="alpha = beta = 0.5 with smooth s is Dice with smooth 2s.")
    add_new("tversky_class_axis_1_optax_mean", "tversky", {"y": yc, "probs": pc}, ("probs",),
            params={"alpha": 0.3, "beta": 0.7, "class_axis": 1}, source="mpmath",
            framework=optax_block(
                "optax.losses.dice_loss(jnp.moveaxis(probs, 1, -1), jnp.moveaxis(y, 1, -1), alpha=0.3, beta=0.7, "
                "apply_softmax=False).mean()",
                lambda q: O.dice_loss(last(q), last(yc), alpha=0.3, beta=0.7, apply_softmax=False).mean(), pc,
                "same"),
            note="optax's dice_loss with alpha, beta is the Tversky loss with lossref's names and smooth (1.0).")
    w = uniform(265, 2, 0.2, 2.0)
    add_new("tversky_class_axis_1_sample_weight_sum", "tversky", {"y": yc, "probs": pc}, ("probs",),
            params={"alpha": 0.8, "beta": 0.2, "smooth": 0.5, "class_axis": 1}, reduction="sum", sample_weight=w,
            source="mpmath")
    # ---- generalized dice (optax multiclass_generalized_dice_loss, classes on axis 1 here)
    add_new("generalized_dice_optax_mean", "generalized_dice", {"y": yc, "probs": pc}, ("probs",), source="mpmath",
            framework=optax_block(
                "optax.losses.multiclass_generalized_dice_loss(jnp.moveaxis(probs, 1, -1), jnp.moveaxis(y, 1, -1), "
                "smooth=5e-8, apply_softmax=False)",
                lambda q: O.multiclass_generalized_dice_loss(last(q), last(yc), smooth=5e-8, apply_softmax=False),
                pc, "same"),
            note="optax's smooth s is lossref's 2s (its per-class Dice is (I + s) / ((sum y + sum p) / 2 + s)).")
    pd = np.moveaxis(softmax_np(np.moveaxis(pc, 1, -1)), -1, 1)
    freq = yc.sum(axis=(0, 2, 3))
    wc = 1 / (freq**2 + 1e-7)
    wc = wc / wc.sum() * C
    inter, sy, sp = (yc * pd).sum((2, 3)), yc.sum((2, 3)), pd.sum((2, 3))
    formula = float(np.mean(wc * (1 - (inter + 1.0) / (0.5 * (sy + sp) + 1.0))))
    add_new("generalized_dice_optax_defaults_mean", "generalized_dice", {"y": yc, "probs": pc}, ("probs",),
            source="mpmath",
            framework=optax_block(
                "optax.losses.multiclass_generalized_dice_loss(jnp.moveaxis(probs, 1, -1), jnp.moveaxis(y, 1, -1))",
                lambda q: O.multiclass_generalized_dice_loss(last(q), last(yc)), pc,
                "optax's defaults expect logits (apply_softmax=True: a softmax over the last axis, which flattens "
                "probabilities passed as they are) and smooth=1.0, lossref's smooth=2, where lossref's default "
                "is 1e-7; pass apply_softmax=False and smooth=lossref's / 2 (case generalized_dice_optax_mean).",
                formula=formula))
    w = uniform(266, 2, 0.2, 2.0)
    add_new("generalized_dice_smooth_1_sample_weight_none", "generalized_dice", {"y": yc, "probs": pc}, ("probs",),
            params={"smooth": 1.0}, reduction="none", sample_weight=w, source="mpmath",
            note="the class weights come from the batch's targets; sample_weight does not enter them.")
    add_new("generalized_dice_sum", "generalized_dice", {"y": yc, "probs": pc}, ("probs",), reduction="sum",
            source="mpmath")


def ciou_torchvision(boxes1, boxes2, eps=1e-7):
    """torchvision.ops.complete_box_iou_loss (reduction='none'), transcribed in torch ops (torchvision does not
    import beside torch 2.13); alpha is computed under no_grad, as there."""
    x1, y1, x2, y2 = boxes1.unbind(dim=-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(dim=-1)
    xk1, yk1, xk2, yk2 = torch.max(x1, x1g), torch.max(y1, y1g), torch.min(x2, x2g), torch.min(y2, y2g)
    inter = torch.where((yk2 > yk1) & (xk2 > xk1), (xk2 - xk1) * (yk2 - yk1), torch.zeros_like(x1))
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter
    iou = inter / (union + eps)
    xc1, yc1, xc2, yc2 = torch.min(x1, x1g), torch.min(y1, y1g), torch.max(x2, x2g), torch.max(y2, y2g)
    diag = (xc2 - xc1) ** 2 + (yc2 - yc1) ** 2 + eps
    centre = ((x2 + x1) / 2 - (x1g + x2g) / 2) ** 2 + ((y2 + y1) / 2 - (y1g + y2g) / 2) ** 2
    v = (4 / (torch.pi**2)) * torch.pow(torch.atan((x2g - x1g) / (y2g - y1g)) - torch.atan((x2 - x1) / (y2 - y1)), 2)
    with torch.no_grad():
        alpha = v / (1 - iou + v + eps)
    return 1 - iou + centre / diag + alpha * v


def box_cases():
    # (x1, y1, x2, y2): overlapping pairs, and box 2 disjoint from its target
    g = np.array([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 4.0], [0.0, 0.0, 1.0, 1.0], [2.0, 1.0, 5.0, 3.0],
                  [0.5, 0.5, 1.5, 2.5]])
    b = np.array([[0.5, 0.3, 2.4, 1.9], [1.2, 0.6, 2.7, 3.1], [2.0, 2.0, 3.0, 3.5], [2.5, 1.5, 4.0, 2.5],
                  [0.7, 0.4, 1.8, 2.6]])  # box 4 has its target's aspect ratio: CIoU's v = 0
    # "torchvision ..." first: the site's PyTorch tab shows these numbers, with this source as their call
    src = "torchvision's formula in 60-digit mpmath (torchvision does not import beside torch 2.13)"
    w = uniform(270, 5, 0.2, 2.0)
    for loss, short in (("giou_box", "generalized"), ("diou_box", "distance"), ("ciou_box", "complete")):
        kw = {}
        if loss == "ciou_box":
            value, grad = autograd(lambda q: ciou_torchvision(q, T(g)).mean(), b)
            kw["framework"] = {
                "call": "torchvision.ops.complete_box_iou_loss(boxes, y, reduction='mean')", "value": value,
                "grad": grad,
                "difference": "torchvision computes CIoU's alpha = v / (1 - IoU + v + eps) under torch.no_grad(), so "
                "its gradient treats alpha as a constant; lossref's gradient is the exact derivative of the same "
                "value (alpha differentiated too). The values agree; the gradients differ wherever the aspect "
                "ratios differ. torchvision's numbers here come from its source transcribed in torch ops "
                "(torchvision does not import beside torch 2.13).",
            }
        add_new(f"{loss}_mean", loss, {"y": g, "boxes": b}, ("boxes",), source=src,
                note=f"torchvision.ops.{short}_box_iou_loss(boxes, y, reduction='mean') in 60 digits; box 2 does "
                "not overlap its target.", **kw)
        add_new(f"{loss}_sample_weight_sum", loss, {"y": g, "boxes": b}, ("boxes",), source=src, reduction="sum",
                sample_weight=w)
    add_new("giou_box_eps_0_none", "giou_box", {"y": g, "boxes": b}, ("boxes",), params={"eps": 0.0},
            reduction="none", source=src)
    add_new("diou_box_none", "diou_box", {"y": g, "boxes": b}, ("boxes",), reduction="none", source=src)
    add_new("ciou_box_none", "ciou_box", {"y": g, "boxes": b}, ("boxes",), reduction="none", source=src)

# ---------------------------------------------------------------------------------------------
def main() -> None:
    _import_tools()
    regression_cases()
    binary_cases()
    multiclass_cases()
    keras_cases()
    optax_cases()
    classification_structured_cases()
    sequence_cases()
    ranking_cases()
    metric_cases()
    segmentation_cases()
    box_cases()
    header = {
        "generator": SCRIPT,
        "regenerate": "make reference",
        "dtype": "float64",
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "mpmath": mp.__version__,
            "keras": keras.__version__,
            "jax": jax.__version__,
            "jaxlib": importlib.metadata.version("jaxlib"),
            "optax": optax.__version__,
        },
        "n_cases": len(CASES),
        "cross_check": f"every case agrees with a 60-digit mpmath evaluation of lossref's formulas "
        f"(rtol {CHECK_RTOL:g}, atol {CHECK_ATOL:g} relative to the largest magnitude)",
        "fields": {
            "y, pred": "target and prediction, in lossref's argument order (target first)",
            "params": "lossref keyword parameters",
            "expected": "lossref's value (a list for reduction 'none')",
            "grad": "d(reduced loss)/d(pred); for reduction 'none' the gradient of the sum; null: no gradient",
            "arrays, grads": "instead of y, pred and grad for a loss of more than (target, prediction): its arrays by "
            "argument name, and the gradient with respect to each prediction, by name",
            "grad_atol": "optional absolute tolerance on the gradient that replaces the default (tighter)",
            "framework": "the framework's own number where lossref's convention differs, with the difference "
            "('same' when a framework block shows an equal number); 'y' in a block: the framework's target when it "
            "differs from the case's",
            "scale": "optional, in a framework block: lossref's value and gradient are scale times the framework's "
            "(a constant-factor convention)",
        },
        "keras": f"Keras numbers: backend {keras.backend.backend()}, floatx and dtype policy "
        f"{keras.config.floatx()}, epsilon {keras.config.epsilon()!r}. Keras 3.15 on torch still demotes float64 "
        "to float32 in ops.maximum/minimum/divide_no_nan (every mean reduction, the hinge losses); the generator "
        "keeps float64 through that type promotion, and checks that stock Keras agrees to float32 precision "
        "(rtol 1e-6) and that the float64 number matches Keras's formula in numpy (rtol 1e-12)",
        "optax": f"optax numbers: JAX on {jax.default_backend()} with jax_enable_x64 (float64 arrays), gradients "
        "by jax.grad of the sum of the call's output; a block that differs from lossref is checked against a numpy "
        "evaluation of optax's formula (rtol 1e-12)",
    }
    lines = ["{", '"cases": [']
    lines.append(",\n".join(json.dumps(case, sort_keys=True, allow_nan=False) for case in CASES))
    lines.append("],")
    lines.append('"header": ' + json.dumps(header, sort_keys=True, indent=1, allow_nan=False))
    lines.append("}")
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(CASES)} cases to {OUTPUT.relative_to(HERE.parent.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main()
