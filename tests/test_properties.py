"""Mathematical properties every user relies on, checked on random valid inputs.

The expected numbers come from plain-NumPy transcriptions of each loss's definition (written
here, independently of lossref) or from identities between losses.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import lossref as lr

REDUCTIONS = ("mean", "sum", "none")
SEEDS = st.integers(0, 2**32 - 1)

# Convexity in the prediction argument each loss takes, from the mathematics: every loss here is
# convex except the sigmoid focal loss with gamma > 0 (concave near z = -4 for y = 1; see
# test_focal_is_not_convex) and the 0-1 loss (a step function).
KNOWN_CONVEX = {
    "mse": True, "mae": True, "huber": True, "smooth_l1": True, "log_cosh": True, "quantile": True,
    "poisson_nll": True, "gaussian_nll": True,
    "bce": True, "bce_with_logits": True, "cross_entropy": True, "focal": False, "kl_divergence": True,
    "hinge": True, "squared_hinge": True, "logistic": True, "multiclass_hinge": True, "zero_one": False,
}


def catalog_filled(loss) -> bool:
    """The catalog entry has been written (placeholders have an empty formula)."""
    return bool(loss.info.formula)


def is_convex(loss) -> bool:
    if catalog_filled(loss):
        return bool(loss.info.properties.convex)
    return KNOWN_CONVEX[loss.name]


def case_is_convex(case) -> bool:
    return is_convex(case.loss) or (case.name == "focal" and case.id == "focal-gamma0")


# ----------------------------------------------------------------------------- the definitions
def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _log_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


def _binary_weight(p_positive, cw):
    return np.ones_like(p_positive) if cw is None else cw[0] * (1 - p_positive) + cw[1] * p_positive


def definition(name, y, pred, params):
    """Per-example losses and per-example class/ignore weights, straight from the formulas."""
    y = np.asarray(y)
    yf = y.astype(np.float64)
    x = np.asarray(pred, dtype=np.float64)
    p = dict(params)
    cw = p.get("class_weight")
    cw = None if cw is None else np.asarray(cw, dtype=np.float64)
    rows = name in ("cross_entropy", "kl_divergence", "multiclass_hinge", "nll", "categorical_focal",
                    "cosine_distance", "ranking_softmax") or (name == "zero_one" and y.shape != x.shape)
    ones = np.ones(x.shape[:-1] if rows else x.shape)
    r = x - yf if x.shape == yf.shape else None
    if name == "mse":
        return (0.5 if p.get("half") else 1.0) * r**2, ones
    if name == "mae":
        return np.abs(r), ones
    if name == "huber":
        d = p.get("delta", 1.0)
        return np.where(np.abs(r) <= d, 0.5 * r**2, d * (np.abs(r) - 0.5 * d)), ones
    if name == "smooth_l1":
        b = p.get("beta", 1.0)
        if b == 0:
            return np.abs(r), ones
        return np.where(np.abs(r) < b, 0.5 * r**2 / b, np.abs(r) - 0.5 * b), ones
    if name == "log_cosh":
        return np.log(np.cosh(r)), ones
    if name == "quantile":
        tau, u = p.get("tau", 0.5), yf - x
        return np.where(u >= 0, tau * u, (tau - 1) * u), ones
    if name == "poisson_nll":
        eps = p.get("eps", 1e-8)
        loss = np.exp(x) - yf * x if p.get("log_input", True) else x - yf * np.log(x + eps)
        if p.get("full", False):
            safe = np.where(yf > 1, yf, 1.0)
            loss = loss + np.where(yf > 1, safe * np.log(safe) - safe + 0.5 * np.log(2 * np.pi * safe), 0.0)
        return loss, ones
    if name == "gaussian_nll":
        v = np.maximum(np.asarray(p["var"], dtype=np.float64), p.get("eps", 1e-6))
        loss = 0.5 * (np.log(v) + r**2 / v) + (0.5 * np.log(2 * np.pi) if p.get("full") else 0.0)
        return np.broadcast_to(loss, x.shape), ones
    if name == "bce":
        eps = np.finfo(np.float64).eps
        q = np.clip(x, eps, 1 - eps)
        return -(yf * np.log(q) + (1 - yf) * np.log(1 - q)), _binary_weight(yf, cw)
    if name == "bce_with_logits":
        pw = p.get("pos_weight")
        pw = 1.0 if pw is None else np.asarray(pw, dtype=np.float64)
        loss = -(pw * yf * np.log(_sigmoid(x)) + (1 - yf) * np.log(_sigmoid(-x)))
        return loss, _binary_weight(yf, cw)
    if name == "focal":
        gamma, alpha = p.get("gamma", 2.0), p.get("alpha")
        s = _sigmoid(x)
        ce = -(yf * np.log(s) + (1 - yf) * np.log(_sigmoid(-x)))
        q = yf * (1 - s) + (1 - yf) * s
        a = 1.0 if alpha is None else alpha * yf + (1 - alpha) * (1 - yf)
        return a * q**gamma * ce, _binary_weight(yf, cw)
    if name == "cross_entropy":
        c = x.shape[-1]
        eps, ignore = p.get("label_smoothing", 0.0), p.get("ignore_index")
        logp = _log_softmax(x)
        if y.shape == x.shape:
            target, weight = yf, (ones if cw is None else yf @ cw)
        else:
            keep = np.ones(y.shape, bool) if ignore is None else y != ignore
            labels = np.where(keep, y, 0)
            target = np.eye(c)[labels]
            weight = (ones if cw is None else cw[labels]) * keep
        target = (1 - eps) * target + eps / c
        return -np.sum(target * logp, axis=-1), weight
    if name == "kl_divergence":
        logp = _log_softmax(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(yf > 0, yf * (np.log(np.where(yf > 0, yf, 1.0)) - logp), 0.0)
        return terms.sum(axis=-1), (ones if cw is None else yf @ cw)
    if name == "hinge":
        return np.maximum(0.0, 1 - yf * x), _binary_weight((yf + 1) / 2, cw)
    if name == "squared_hinge":
        return np.maximum(0.0, 1 - yf * x) ** 2, _binary_weight((yf + 1) / 2, cw)
    if name == "logistic":
        return np.log1p(np.exp(-yf * x)), _binary_weight((yf + 1) / 2, cw)
    if name == "multiclass_hinge":
        margin, variant = p.get("margin", 1.0), p.get("variant", "crammer_singer")
        flat_x, flat_y = x.reshape(-1, x.shape[-1]), y.reshape(-1)
        out = []
        for row, c in zip(flat_x, flat_y):
            gaps = [margin + row[j] - row[c] for j in range(len(row)) if j != c]
            out.append(max(0.0, max(gaps)) if variant == "crammer_singer" else sum(max(0.0, g) for g in gaps))
        return np.array(out).reshape(y.shape), (ones if cw is None else cw[y])
    if name == "hinge_embedding":  # PyTorch's HingeEmbeddingLoss: the distance, or the hinge of margin - distance
        return np.where(yf == 1, x, np.maximum(0.0, p.get("margin", 1.0) - x)), ones
    if name == "zero_one":
        if y.shape == x.shape:
            return (yf * x <= 0).astype(np.float64), _binary_weight((yf + 1) / 2, cw)
        return (np.argmax(x, axis=-1) != y).astype(np.float64), (ones if cw is None else cw[y])
    if name == "nll":
        ignore = p.get("ignore_index")
        keep = np.ones(y.shape, bool) if ignore is None else y != ignore
        labels = np.where(keep, y, 0)
        loss = -np.take_along_axis(x, labels[..., None], axis=-1)[..., 0]
        return loss, (ones if cw is None else cw[labels]) * keep
    if name == "categorical_focal":
        gamma, alpha = p.get("gamma", 2.0), p.get("alpha")
        logp = _log_softmax(x)
        target = yf if y.shape == x.shape else np.eye(x.shape[-1])[y]
        a = 1.0 if alpha is None else np.asarray(alpha, dtype=np.float64)
        return np.sum(target * a * (1 - np.exp(logp)) ** gamma * -logp, axis=-1), ones
    if name == "cosine_distance":
        eps = p.get("eps", 1e-8)
        norms = np.maximum(np.linalg.norm(yf, axis=-1), eps) * np.maximum(np.linalg.norm(x, axis=-1), eps)
        return 1 - np.sum(yf * x, axis=-1) / norms, ones
    if name == "ranking_softmax":  # -sum_i r_i log softmax(s)_i over the valid items; lists without any: weight 0
        valid = np.ones(x.shape, bool) if p.get("mask") is None else np.asarray(p["mask"])
        filled = np.where(valid, x, -np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):
            logp = filled - np.log(np.sum(np.exp(filled - filled.max(axis=-1, keepdims=True)), axis=-1, keepdims=True)) \
                - filled.max(axis=-1, keepdims=True)
            terms = np.where(valid & (yf > 0), yf * logp, 0.0)
        return -terms.sum(axis=-1), valid.any(axis=-1).astype(np.float64)
    raise AssertionError(name)


def full_weight(sample_weight, loss_shape):
    """Sample weights broadcast to one per example (they may be given one per row)."""
    if sample_weight is None:
        return np.ones(loss_shape)
    w = np.asarray(sample_weight, dtype=np.float64)
    return np.broadcast_to(w.reshape(w.shape + (1,) * (len(loss_shape) - w.ndim)), loss_shape)


def reduce(losses, weight, reduction):
    if reduction == "none":
        return weight * losses
    if reduction == "sum":
        return np.sum(weight * losses)
    total = weight.sum()
    return np.sum(weight * losses) / total if total > 0 else 0.0


def expected_value(case, ex, reduction):
    losses, cweight = definition(case.name, ex.y, ex.pred, ex.params)
    w = cweight * full_weight(ex.sample_weight, losses.shape)
    return reduce(losses, w, reduction), w


# ----------------------------------------------------------------------------- definitions
@given(data=st.data())
def test_value_matches_definition(case, data):
    ex = data.draw(case.examples(weighted=None), label="example")
    for reduction in REDUCTIONS:
        expected, _ = expected_value(case, ex, reduction)
        got = case.loss(ex.y, ex.pred, reduction=reduction, **ex.kwargs)
        assert np.shape(got) == np.shape(expected)
        scale = 1e-12 * (1 + np.abs(expected).max())
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=scale, err_msg=f"{case.id} reduction={reduction}")


# ----------------------------------------------------------------------------- sign and minimum
def may_be_negative(case) -> bool:
    """NLLs of densities and the Poisson NLL without its log(y!) term are not bounded below by 0."""
    return case.name == "gaussian_nll" or (case.name == "poisson_nll" and not case.sample().params["full"])


@pytest.mark.cases(where=lambda c: not may_be_negative(c))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(data=st.data())
def test_non_negative(case, dtype, data):
    ex = data.draw(case.examples(weighted=None, dtype=dtype), label="example")
    per_example = case.loss(ex.y, ex.pred, reduction="none", **ex.kwargs)
    assert np.all(per_example >= 0), per_example
    assert case.loss(ex.y, ex.pred, **ex.kwargs) >= 0
    assert case.loss(ex.y, ex.pred, reduction="sum", **ex.kwargs) >= 0


def test_gaussian_and_poisson_nll_can_be_negative():
    """A density above 1 has a negative log: 0.5 * log(0.1) for a perfect mean with variance 0.1."""
    assert lr.gaussian_nll([1.0], [1.0], var=0.1) == pytest.approx(0.5 * np.log(0.1), rel=1e-12)
    # e^eta - y eta at its minimum eta = log y is y - y log y < 0 for y > e.
    assert lr.poisson_nll([5.0], [np.log(5.0)]) == pytest.approx(5 - 5 * np.log(5.0), rel=1e-12)
    # With full=True the Stirling term restores 0.5 log(2 pi y) > 0 at the minimum.
    assert lr.poisson_nll([5.0], [np.log(5.0)], full=True) == pytest.approx(0.5 * np.log(2 * np.pi * 5), rel=1e-9)


REAL_VALUES = st.lists(st.floats(-1e3, 1e3, allow_subnormal=False), min_size=1, max_size=8)


@pytest.mark.parametrize(
    "loss, params",
    [
        (lr.mse, {}), (lr.mse, {"half": True}), (lr.mae, {}), (lr.huber, {"delta": 0.3}), (lr.huber, {}),
        (lr.smooth_l1, {}), (lr.smooth_l1, {"beta": 0.0}), (lr.smooth_l1, {"beta": 3.0}), (lr.log_cosh, {}),
        (lr.quantile, {}), (lr.quantile, {"tau": 0.1}), (lr.quantile, {"tau": 0.93}),
    ],
    ids=lambda v: getattr(v, "name", None) or ",".join(f"{k}={x}" for k, x in v.items()) or "default",
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(values=REAL_VALUES)
def test_regression_losses_are_zero_at_a_perfect_prediction(loss, params, dtype, values):
    y = np.array(values, dtype=dtype)
    value, grad = loss.value_and_grad(y, y.copy(), reduction="none", **params)
    assert np.all(value == 0), value
    assert np.all(grad == 0), grad
    assert loss(y, y.copy(), **params) == 0


@given(seed=SEEDS, n=st.integers(1, 5), c=st.integers(2, 6), shift=st.floats(-50, 50))
def test_kl_is_zero_when_the_logits_are_the_log_target(seed, n, c, shift):
    rng = np.random.default_rng(seed)
    y = rng.dirichlet(np.ones(c), size=n)
    logits = np.log(y) + shift  # softmax is shift-invariant
    value, grad = lr.kl_divergence.value_and_grad(y, logits, reduction="none")
    assert np.all(value >= 0)
    np.testing.assert_allclose(value, 0, atol=1e-12 * (1 + abs(shift)))
    np.testing.assert_allclose(grad, 0, atol=1e-12)


@pytest.mark.parametrize("loss", [lr.hinge, lr.squared_hinge], ids=lambda l: l.name)
@given(seed=SEEDS, n=st.integers(1, 10))
def test_hinge_losses_are_zero_once_the_margin_is_met(loss, seed, n):
    rng = np.random.default_rng(seed)
    y = rng.choice([-1.0, 1.0], size=n)
    margins = rng.uniform(1.0, 20.0, size=n)
    margins[rng.random(n) < 0.3] = 1.0  # exactly on the margin counts as met
    value, grad = loss.value_and_grad(y, y * margins, reduction="none")
    assert np.all(value == 0) and np.all(grad == 0)


@pytest.mark.parametrize("variant", ["crammer_singer", "weston_watkins"])
@given(seed=SEEDS, n=st.integers(1, 5), c=st.integers(2, 5), margin=st.sampled_from([0.0, 0.5, 1.0, 2.0]))
def test_multiclass_hinge_is_zero_when_the_true_class_wins_by_the_margin(variant, seed, n, c, margin):
    rng = np.random.default_rng(seed)
    scores = rng.normal(0, 3, size=(n, c))
    labels = rng.integers(0, c, size=n)
    rows = np.arange(n)
    scores[rows, labels] = scores.max(axis=1) + margin + rng.uniform(0, 2, size=n)
    value, grad = lr.multiclass_hinge.value_and_grad(labels, scores, variant=variant, margin=margin, reduction="none")
    assert np.all(value == 0) and np.all(grad == 0)
    assert lr.zero_one(labels, scores) == 0 or margin == 0


@given(seed=SEEDS, n=st.integers(1, 10))
def test_zero_one_is_zero_on_correct_signs(seed, n):
    rng = np.random.default_rng(seed)
    y = rng.choice([-1.0, 1.0], size=n)
    s = y * rng.uniform(1e-6, 10, size=n)
    assert lr.zero_one(y, s) == 0
    assert lr.zero_one(y, -s) == 1


LARGE_MARGINS = [1.0, 5.0, 10.0, 20.0, 30.0]


@pytest.mark.parametrize(
    "name, at",
    [
        ("bce_with_logits", lambda t: lr.bce_with_logits([1.0, 0.0], [t, -t], reduction="sum")),
        ("logistic", lambda t: lr.logistic([1.0, -1.0], [t, -t], reduction="sum")),
        ("focal", lambda t: lr.focal([1.0, 0.0], [t, -t], reduction="sum")),
        ("cross_entropy", lambda t: lr.cross_entropy([0, 2], [[t, 0.0, 0.0], [0.0, 0.0, t]], reduction="sum")),
        ("bce", lambda t: lr.bce([1.0, 0.0], [_sigmoid(t), _sigmoid(-t)], reduction="sum")),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_probabilistic_losses_only_approach_zero(name, at):
    """Positive at every finite margin, decreasing towards 0 as the prediction becomes confident."""
    values = [float(at(t)) for t in LARGE_MARGINS]
    assert all(v > 0 for v in values), values
    assert all(a > b for a, b in zip(values, values[1:])), values
    assert values[-1] < 1e-11
    if name == "cross_entropy":  # -log softmax = log(1 + 2 e^{-t}) per row, to rounding relative to 1
        expected = [2 * np.log1p(2 * np.exp(-t)) for t in LARGE_MARGINS]
        np.testing.assert_allclose(values, expected, rtol=1e-12, atol=4 * np.finfo(np.float64).eps)


def test_bce_at_a_perfect_probability_is_the_clipping_floor():
    eps = np.finfo(np.float64).eps
    value = float(lr.bce([1.0, 0.0], [1.0, 0.0]))
    assert 0 <= value <= 2 * eps


@given(seed=SEEDS, n=st.integers(1, 8), full=st.booleans())
def test_likelihood_losses_are_stationary_at_the_truth(seed, n, full):
    """The population minimisers: mean = y for gaussian_nll, rate = y for poisson_nll."""
    rng = np.random.default_rng(seed)
    y = rng.uniform(0.1, 20, size=n)
    g = lr.gaussian_nll.grad(y, y.copy(), var=rng.uniform(0.1, 3, size=n), full=full)
    assert np.all(g == 0)
    g = lr.poisson_nll.grad(y, np.log(y), full=full)
    np.testing.assert_allclose(g, 0, atol=1e-14 * y.max())
    g = lr.poisson_nll.grad(y, y - 1e-8, log_input=False, full=full)  # the eps shift: rate + eps = y
    np.testing.assert_allclose(g, 0, atol=1e-12)


# ----------------------------------------------------------------------------- convexity
@pytest.mark.parametrize("name", sorted(KNOWN_CONVEX))
def test_catalog_convexity_agrees_with_the_mathematics(name):
    loss = lr.get(name)
    assert catalog_filled(loss), f"the catalog entry of {name} is a placeholder"
    assert bool(loss.info.properties.convex) == KNOWN_CONVEX[name], (
        f"catalog says convex={loss.info.properties.convex} for {name}; the mathematics says {KNOWN_CONVEX[name]}"
    )


@pytest.mark.cases(where=case_is_convex)
@pytest.mark.parametrize("reduction", ["none", "mean"])
@given(data=st.data(), t=st.floats(0, 1), seed=SEEDS)
def test_convex_along_random_lines(case, reduction, data, t, seed):
    ex = data.draw(case.examples(weighted=reduction == "mean"), label="example")
    a = ex.pred
    b = case.perturbed(np.random.default_rng(seed), a)
    f = lambda p: np.asarray(case.loss(ex.y, p, reduction=reduction, **ex.kwargs), dtype=np.float64)  # noqa: E731
    fa, fb, fm = f(a), f(b), f(t * a + (1 - t) * b)
    tol = 1e-9 * (1 + np.abs(fa) + np.abs(fb))
    assert np.all(fm <= t * fa + (1 - t) * fb + tol), (fm, t * fa + (1 - t) * fb)


@pytest.mark.parametrize("gamma, centre", [(0.5, -5.75), (2.0, -4.5)])
def test_focal_is_not_convex(gamma, centre):
    """A chord below the graph for y = 1: f(c) > (f(c - 2) + f(c + 2)) / 2."""
    f = lambda z: float(lr.focal([1.0], [z], gamma=gamma))  # noqa: E731
    by_hand = lambda z: _sigmoid(-z) ** gamma * np.log1p(np.exp(-z))  # noqa: E731
    points = (centre - 2, centre, centre + 2)
    for z in points:
        assert f(z) == pytest.approx(by_hand(z), rel=1e-12)
    assert by_hand(centre) > (by_hand(centre - 2) + by_hand(centre + 2)) / 2 + 1e-3
    assert f(centre) > (f(centre - 2) + f(centre + 2)) / 2
    assert not KNOWN_CONVEX["focal"]


# ----------------------------------------------------------------------------- API identities
@given(data=st.data())
def test_value_and_grad_is_exactly_value_and_grad(grad_case, data):
    ex = data.draw(grad_case.examples(weighted=None), label="example")
    loss = grad_case.loss
    for reduction in REDUCTIONS:
        value, grad = loss.value_and_grad(ex.y, ex.pred, reduction=reduction, **ex.kwargs)
        value_alone = loss(ex.y, ex.pred, reduction=reduction, **ex.kwargs)
        grad_alone = loss.grad(ex.y, ex.pred, reduction=reduction, **ex.kwargs)
        np.testing.assert_array_equal(value, value_alone)
        assert type(value) is type(value_alone)
        np.testing.assert_array_equal(grad, grad_alone)


@given(data=st.data())
def test_reductions_agree(case, data):
    ex = data.draw(case.examples(weighted=None), label="example")
    loss, kw = case.loss, ex.kwargs
    none = loss(ex.y, ex.pred, reduction="none", **kw)
    total = loss(ex.y, ex.pred, reduction="sum", **kw)
    mean = loss(ex.y, ex.pred, reduction="mean", **kw)
    assert none.shape == case.loss_shape(ex.pred.shape)
    scale = 1e-12 * (1 + np.abs(none).sum())
    assert float(total) == pytest.approx(float(none.sum()), rel=1e-12, abs=scale)
    _, w = expected_value(case, ex, "none")
    total_weight = w.sum()
    if total_weight > 0:
        assert float(mean) == pytest.approx(float(total) / total_weight, rel=1e-12, abs=scale)
    else:
        assert float(mean) == 0
    plain = not any(k in ex.params for k in ("class_weight", "ignore_index", "mask")) and ex.sample_weight is None
    if plain:  # no weights of any kind: the mean is over the number of examples
        assert float(total) == pytest.approx(float(mean) * none.size, rel=1e-12, abs=scale)


@given(data=st.data())
def test_weighted_mean_is_sum_of_weighted_losses_over_sum_of_weights(case, data):
    """Weighted mean == sum(w * l) / sum(w) with l from reduction='none' without weights."""
    ex = data.draw(case.examples(weighted=True), label="example")
    loss, params = case.loss, ex.params
    l_plain = loss(ex.y, ex.pred, reduction="none", **params)
    w = full_weight(ex.sample_weight, l_plain.shape)
    l_weighted = loss(ex.y, ex.pred, reduction="none", **ex.kwargs)
    np.testing.assert_allclose(l_weighted, w * l_plain, rtol=1e-14, atol=0)
    # Class weights, ignored labels and fully masked lists (ranking_softmax's mask) also enter the
    # denominator; their own tests check that mean.
    if not any(k in params for k in ("class_weight", "ignore_index", "mask")):
        mean = loss(ex.y, ex.pred, sample_weight=ex.sample_weight, **params)
        assert float(mean) == pytest.approx(float(np.sum(w * l_plain) / np.sum(w)), rel=1e-12, abs=1e-14)


@given(data=st.data())
def test_weights_of_all_ones_change_nothing(case, data):
    ex = data.draw(case.examples(), label="example")
    loss = case.loss
    shape = case.loss_shape(ex.pred.shape)
    for ones in (np.ones(shape), np.ones(shape[:1])):  # one weight per example, or one per row
        for reduction in REDUCTIONS:
            plain = loss(ex.y, ex.pred, reduction=reduction, **ex.params)
            weighted = loss(ex.y, ex.pred, reduction=reduction, sample_weight=ones, **ex.params)
            np.testing.assert_allclose(weighted, plain, rtol=1e-14, atol=0)
            if case.has_grad:
                np.testing.assert_allclose(
                    loss.grad(ex.y, ex.pred, reduction=reduction, sample_weight=ones, **ex.params),
                    loss.grad(ex.y, ex.pred, reduction=reduction, **ex.params),
                    rtol=1e-14, atol=0,
                )


@given(data=st.data(), c=st.floats(1e-3, 1e3))
def test_scaling_all_weights_leaves_the_mean_unchanged(case, data, c):
    ex = data.draw(case.examples(weighted=True), label="example")
    loss, params, w = case.loss, ex.params, ex.sample_weight
    mean = loss(ex.y, ex.pred, sample_weight=w, **params)
    assert float(loss(ex.y, ex.pred, sample_weight=c * w, **params)) == pytest.approx(float(mean), rel=1e-12, abs=1e-15)
    total = loss(ex.y, ex.pred, reduction="sum", sample_weight=w, **params)
    assert float(loss(ex.y, ex.pred, reduction="sum", sample_weight=c * w, **params)) == pytest.approx(
        c * float(total), rel=1e-12, abs=1e-15
    )
    if case.has_grad:
        g = loss.grad(ex.y, ex.pred, sample_weight=w, **params)
        np.testing.assert_allclose(loss.grad(ex.y, ex.pred, sample_weight=c * w, **params), g, rtol=1e-10, atol=1e-15)


def slice_aligned(params, keep_rows, pred_shape):
    """Parameters with one entry per element of the prediction, restricted to some rows."""
    out = dict(params)
    for k in ("var", "pos_weight", "mask"):
        v = out.get(k)
        if isinstance(v, np.ndarray) and v.shape == tuple(pred_shape):
            out[k] = v[keep_rows]
    return out


@given(data=st.data(), seed=SEEDS)
def test_zero_weight_is_the_same_as_leaving_the_example_out(case, data, seed):
    ex = data.draw(case.examples(), label="example")
    n = ex.pred.shape[0]
    assume(n >= 2)
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 2.0, size=n)
    dropped = rng.random(n) < 0.4
    dropped[rng.integers(n)] = False
    w[dropped] = 0.0
    keep = ~dropped
    loss = case.loss
    y_keep = np.asarray(ex.y)[keep]
    params_keep = slice_aligned(ex.params, keep, ex.pred.shape)
    got = loss(ex.y, ex.pred, sample_weight=w, **ex.params)
    expected = loss(y_keep, ex.pred[keep], sample_weight=w[keep], **params_keep)
    assert float(got) == pytest.approx(float(expected), rel=1e-12, abs=1e-14)
    if case.has_grad:
        g = loss.grad(ex.y, ex.pred, sample_weight=w, **ex.params)
        assert np.all(g[dropped] == 0)
        np.testing.assert_allclose(g[keep], loss.grad(y_keep, ex.pred[keep], sample_weight=w[keep], **params_keep),
                                   rtol=1e-12, atol=1e-15)


# ----------------------------------------------------------------------------- class weights
def class_weight_as_sample_weight(name, y, class_weight):
    """The per-example weight a class weight stands for: w[label], or its expectation for soft targets."""
    y = np.asarray(y)
    cw = np.asarray(class_weight, dtype=np.float64)
    if name in ("bce", "bce_with_logits", "focal"):
        return cw[0] * (1 - y) + cw[1] * y
    if name in ("hinge", "squared_hinge", "logistic") or (name == "zero_one" and y.dtype.kind == "f"):
        return np.where(y > 0, cw[1], cw[0])
    if y.dtype.kind == "f":  # probability rows
        return y @ cw
    return cw[np.clip(y, 0, len(cw) - 1)]


@pytest.mark.cases(where=lambda c: "class_weight" in c.id or c.name == "zero_one")
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data())
def test_class_weights_are_sample_weights(case, reduction, data):
    ex = data.draw(case.examples(weighted=None), label="example")
    loss = case.loss
    params = dict(ex.params)
    n_classes = ex.pred.shape[-1] if case.per_row else 2
    cw = params.pop("class_weight", np.linspace(0.5, 2.0, n_classes))
    ex = type(ex)(ex.y, ex.pred, {**params, "class_weight": cw}, ex.sample_weight)
    shape = case.loss_shape(ex.pred.shape)
    sw = class_weight_as_sample_weight(case.name, ex.y, cw) * full_weight(ex.sample_weight, shape)
    with_cw = loss(ex.y, ex.pred, reduction=reduction, **ex.kwargs)
    with_sw = loss(ex.y, ex.pred, reduction=reduction, sample_weight=sw, **params)
    np.testing.assert_allclose(with_cw, with_sw, rtol=1e-12, atol=1e-15)
    if case.has_grad:
        np.testing.assert_allclose(
            loss.grad(ex.y, ex.pred, reduction=reduction, **ex.kwargs),
            loss.grad(ex.y, ex.pred, reduction=reduction, sample_weight=sw, **params),
            rtol=1e-12, atol=1e-15,
        )


@pytest.mark.cases(where=lambda c: c.name == "cross_entropy" and "labels" in c.id)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data())
def test_one_hot_rows_are_integer_labels(case, reduction, data):
    ex = data.draw(case.examples(weighted=None), label="example")
    onehot = np.eye(ex.pred.shape[-1])[ex.y]
    for params in (ex.params, {**ex.params, "class_weight": np.linspace(0.5, 2.0, ex.pred.shape[-1])}):
        kw = {**params, "sample_weight": ex.sample_weight}
        np.testing.assert_allclose(
            lr.cross_entropy(onehot, ex.pred, reduction=reduction, **kw),
            lr.cross_entropy(ex.y, ex.pred, reduction=reduction, **kw), rtol=1e-12, atol=1e-15,
        )
        np.testing.assert_allclose(
            lr.cross_entropy.grad(onehot, ex.pred, reduction=reduction, **kw),
            lr.cross_entropy.grad(ex.y, ex.pred, reduction=reduction, **kw), rtol=1e-12, atol=1e-15,
        )
    # KL to a one-hot target is its cross-entropy (the target's entropy is 0).
    np.testing.assert_allclose(
        lr.kl_divergence(onehot, ex.pred, reduction=reduction, sample_weight=ex.sample_weight),
        lr.cross_entropy(ex.y, ex.pred, reduction=reduction, sample_weight=ex.sample_weight), rtol=1e-12, atol=1e-14,
    )


@pytest.mark.cases(where=lambda c: "ignore" in c.id)
@given(data=st.data())
def test_ignored_examples_contribute_nothing(case, data):
    ex = data.draw(case.examples(weighted=None), label="example")
    c = ex.pred.shape[-1]
    labels = ex.y.reshape(-1)
    logits = ex.pred.reshape(-1, c)
    w = full_weight(ex.sample_weight, ex.y.shape).reshape(-1)
    params = dict(ex.params)
    ignore = params.pop("ignore_index")
    keep = labels != ignore
    for reduction in ("mean", "sum"):
        value, grad = lr.cross_entropy.value_and_grad(
            labels, logits, reduction=reduction, sample_weight=w, ignore_index=ignore, **params
        )
        assert np.all(grad[~keep] == 0)
        if not keep.any():
            assert value == 0 and np.all(grad == 0)
            continue
        sub_value, sub_grad = lr.cross_entropy.value_and_grad(
            labels[keep], logits[keep], reduction=reduction, sample_weight=w[keep], **params
        )
        assert float(value) == pytest.approx(float(sub_value), rel=1e-12, abs=1e-15)
        np.testing.assert_allclose(grad[keep], sub_grad, rtol=1e-12, atol=1e-15)
    none = lr.cross_entropy(labels, logits, reduction="none", ignore_index=ignore, **params)
    assert np.all(none[~keep] == 0)


def test_ignore_index_may_be_a_real_class():
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 1.5, 0.0], [1.0, 1.0, 3.0]])
    labels = np.array([1, 0, 1])
    value = lr.cross_entropy(labels, logits, ignore_index=1)
    assert float(value) == pytest.approx(-_log_softmax(logits[1])[0], rel=1e-12)  # only the middle example counts


# ----------------------------------------------------------------------------- relations between losses
@pytest.mark.cases(where=lambda c: c.id == "smooth_l1-beta")
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data())
def test_smooth_l1_is_huber_over_beta(case, reduction, data):
    ex = data.draw(case.examples(weighted=None), label="example")
    beta = ex.params["beta"]
    sw = ex.sample_weight
    s_val, s_grad = lr.smooth_l1.value_and_grad(ex.y, ex.pred, beta=beta, reduction=reduction, sample_weight=sw)
    h_val, h_grad = lr.huber.value_and_grad(ex.y, ex.pred, delta=beta, reduction=reduction, sample_weight=sw)
    np.testing.assert_allclose(s_val, np.asarray(h_val) / beta, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(s_grad, h_grad / beta, rtol=1e-12, atol=1e-15)


@pytest.mark.cases(where=lambda c: c.name == "logistic")
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data())
def test_logistic_with_pm1_labels_is_bce_with_logits_with_01_labels(case, reduction, data):
    ex = data.draw(case.examples(weighted=None), label="example")
    y01 = (ex.y + 1) / 2
    kw = ex.kwargs
    np.testing.assert_allclose(
        lr.logistic(ex.y, ex.pred, reduction=reduction, **kw),
        lr.bce_with_logits(y01, ex.pred, reduction=reduction, **kw), rtol=1e-12, atol=1e-15,
    )
    np.testing.assert_allclose(
        lr.logistic.grad(ex.y, ex.pred, reduction=reduction, **kw),
        lr.bce_with_logits.grad(y01, ex.pred, reduction=reduction, **kw), rtol=1e-12, atol=1e-15,
    )


@pytest.mark.cases(where=lambda c: c.id == "focal-gamma0")
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(data=st.data(), alpha=st.floats(0, 1))
def test_focal_with_gamma_zero_is_bce_with_logits(case, reduction, data, alpha):
    ex = data.draw(case.examples(weighted=None), label="example")
    sw = ex.sample_weight
    f_val, f_grad = lr.focal.value_and_grad(ex.y, ex.pred, gamma=0.0, reduction=reduction, sample_weight=sw)
    b_val, b_grad = lr.bce_with_logits.value_and_grad(ex.y, ex.pred, reduction=reduction, sample_weight=sw)
    np.testing.assert_allclose(f_val, b_val, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(f_grad, b_grad, rtol=1e-12, atol=1e-15)
    if reduction != "mean":  # alpha rescales each example's loss but, unlike class_weight, not the mean's denominator
        f_val, f_grad = lr.focal.value_and_grad(
            ex.y, ex.pred, gamma=0.0, alpha=alpha, reduction=reduction, sample_weight=sw
        )
        b_val, b_grad = lr.bce_with_logits.value_and_grad(
            ex.y, ex.pred, class_weight=[1 - alpha, alpha], reduction=reduction, sample_weight=sw
        )
        np.testing.assert_allclose(f_val, b_val, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(f_grad, b_grad, rtol=1e-12, atol=1e-15)


@pytest.mark.cases(where=lambda c: c.name == "focal" and "alpha" not in c.id)
@given(data=st.data())
def test_focal_never_exceeds_cross_entropy(case, data):
    ex = data.draw(case.examples(), label="example")
    focal = lr.focal(ex.y, ex.pred, reduction="none", **ex.params)
    bce = lr.bce_with_logits(ex.y, ex.pred, reduction="none")
    assert np.all(focal <= bce * (1 + 1e-12))


def entropy(y):
    y = np.asarray(y, dtype=np.float64)
    safe = np.where(y > 0, y, 1.0)
    return -np.sum(np.where(y > 0, y * np.log(safe), 0.0), axis=-1)


@pytest.mark.cases(where=lambda c: c.name == "kl_divergence")
@given(data=st.data())
def test_kl_is_cross_entropy_minus_entropy(case, data):
    ex = data.draw(case.examples(weighted=None), label="example")
    kl_val, kl_grad = lr.kl_divergence.value_and_grad(ex.y, ex.pred, reduction="none", **ex.kwargs)
    ce_val, ce_grad = lr.cross_entropy.value_and_grad(ex.y, ex.pred, reduction="none", **ex.kwargs)
    _, w = expected_value(case, ex, "none")
    np.testing.assert_allclose(kl_val, ce_val - w * entropy(ex.y), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(kl_grad, ce_grad, rtol=1e-12, atol=1e-15)


@given(data=st.data())
def test_combined_total_is_the_weighted_sum_of_its_parts(cases_by_id, data):
    ids = sorted(k for k, c in cases_by_id.items() if c.has_grad)
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True), label="tasks")
    tasks = {f"t{i}": cases_by_id[cid] for i, cid in enumerate(chosen)}
    exs = {t: data.draw(c.examples(), label=t) for t, c in tasks.items()}
    weights = {t: data.draw(st.floats(0, 10), label=f"weight {t}") for t in tasks}
    reduction = data.draw(st.sampled_from(["mean", "sum"]), label="reduction")
    combined = lr.combine({t: c.loss.bind(**exs[t].params) for t, c in tasks.items()}, weights)
    ys = {t: e.y for t, e in exs.items()}
    preds = {t: e.pred for t, e in exs.items()}
    total, grads = combined.value_and_grad(ys, preds, reduction=reduction)
    parts = combined.parts(ys, preds, reduction=reduction)
    expected = {t: float(tasks[t].loss(exs[t].y, exs[t].pred, reduction=reduction, **exs[t].params)) for t in tasks}
    assert {t: float(v) for t, v in parts.items()} == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert total == pytest.approx(sum(weights[t] * expected[t] for t in tasks), rel=1e-12, abs=1e-12)
    assert combined(ys, preds, reduction=reduction) == total
    for t, c in tasks.items():
        g = c.loss.grad(exs[t].y, exs[t].pred, reduction=reduction, **exs[t].params)
        np.testing.assert_allclose(grads[t], weights[t] * g, rtol=1e-12, atol=1e-15)
