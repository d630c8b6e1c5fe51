"""User-defined losses (``lr.Loss`` subclasses), ``lr.check_grad`` on them, and ``lr.combine``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lossref as lr


class Cauchy(lr.Loss):
    r"""Cauchy loss log(1 + (r / c)^2) with r = y_pred - y: robust, bounded influence."""

    name = "cauchy"
    formula = r"\log\left(1 + \frac{(\hat y - y)^2}{c^2}\right)"

    def pointwise(self, y, y_pred, c=1.0):
        return np.log1p(((y_pred - y) / c) ** 2)

    def pointwise_grad(self, y, y_pred, c=1.0):
        r = y_pred - y
        return 2 * r / (c**2 + r**2)


class PseudoHuber(lr.Loss):
    """Pseudo-Huber: delta^2 (sqrt(1 + (r/delta)^2) - 1), a smooth Huber."""

    def pointwise(self, y, y_pred, delta=1.0):
        r = y_pred - y
        return delta**2 * (np.sqrt(1 + (r / delta) ** 2) - 1)

    def pointwise_grad(self, y, y_pred, delta=1.0):
        r = y_pred - y
        return r / np.sqrt(1 + (r / delta) ** 2)


class CauchyMissingFactor2(Cauchy):
    """A classic mistake: the derivative of log(1 + u^2) without the 2 of u^2."""

    name = "cauchy_wrong"

    def pointwise_grad(self, y, y_pred, c=1.0):
        r = y_pred - y
        return r / (c**2 + r**2)


class PseudoHuberSignBug(PseudoHuber):
    """Wrong only where the residual is negative (|r| instead of r)."""

    def pointwise_grad(self, y, y_pred, delta=1.0):
        r = y_pred - y
        return np.abs(r) / np.sqrt(1 + (r / delta) ** 2)


class RowSquaredNorm(lr.Loss):
    """0.5 * ||y_pred - y||^2 per row: one loss per example of several outputs."""

    per_row = True

    def pointwise(self, y, y_pred):
        return 0.5 * np.sum((y_pred - y) ** 2, axis=-1)

    def pointwise_grad(self, y, y_pred):
        return y_pred - y


class NeedsScale(lr.Loss):
    """A loss with a parameter that has no default."""

    def pointwise(self, y, y_pred, scale):
        return scale * (y_pred - y) ** 2

    def pointwise_grad(self, y, y_pred, scale):
        return 2 * scale * (y_pred - y)


class WrongShape(lr.Loss):
    def pointwise(self, y, y_pred):
        return np.sum(y_pred - y, keepdims=True)  # one number instead of one per example

    def pointwise_grad(self, y, y_pred):
        return np.ones_like(y_pred)


class WrongGradShape(lr.Loss):
    def pointwise(self, y, y_pred):
        return (y_pred - y) ** 2

    def pointwise_grad(self, y, y_pred):
        return np.ones(y_pred.shape + (2,))


class ValueOnly(lr.Loss):
    def pointwise(self, y, y_pred):
        return np.abs(y_pred - y) ** 3


cauchy = Cauchy()
pseudo_huber = PseudoHuber()


def cauchy_by_hand(y, p, c=1.0):
    return np.log(1 + ((np.asarray(p) - np.asarray(y)) / c) ** 2)


# ---------------------------------------------------------------------------------- what comes for free
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_reductions_and_sample_weights_come_for_free(reduction):
    y = np.array([0.0, 1.0, -2.0, 3.0])
    p = np.array([1.0, 1.0, 2.0, 2.5])
    w = np.array([1.0, 0.0, 2.0, 0.5])
    losses = cauchy_by_hand(y, p, c=2.0)
    expected = {"none": w * losses, "sum": np.sum(w * losses), "mean": np.sum(w * losses) / np.sum(w)}[reduction]
    np.testing.assert_allclose(cauchy(y, p, c=2.0, sample_weight=w, reduction=reduction), expected, rtol=1e-14)
    unweighted = {"none": losses, "sum": losses.sum(), "mean": losses.mean()}[reduction]
    np.testing.assert_allclose(cauchy(y, p, c=2.0, reduction=reduction), unweighted, rtol=1e-14)
    g = 2 * (p - y) / (4 + (p - y) ** 2)
    expected_grad = w * g / (np.sum(w) if reduction == "mean" else 1.0)
    got_grad = cauchy.grad(y, p, c=2.0, sample_weight=w, reduction=reduction)
    np.testing.assert_allclose(got_grad, expected_grad, rtol=1e-14)


def test_dtype_and_scalars_come_for_free():
    y = np.array([0.0, 1.0])
    p = np.array([0.5, -1.0], dtype=np.float32)
    assert isinstance(cauchy(y, p), np.float32)
    assert cauchy.grad(y, p).dtype == np.float32
    assert float(cauchy(0.0, 1.0)) == pytest.approx(np.log(2.0), rel=1e-15)
    assert np.shape(cauchy.grad(0.0, 1.0)) == ()


@pytest.mark.parametrize(
    "args, kwargs, exc, match",
    [
        ((np.zeros(3), np.zeros(2)), {}, ValueError, r"y and y_pred must have the same shape"),
        ((np.zeros(2), np.array([0.0, np.nan])), {}, ValueError, r"y_pred contains NaN at index 1"),
        ((np.zeros(2), np.array([1, 2])), {}, TypeError, r"y_pred has integer dtype"),
        ((np.zeros(2), np.zeros(2)), {"reduction": "avg"}, ValueError, r"reduction must be one of"),
        ((np.zeros(2), np.zeros(2)), {"sample_weight": [1.0, -1.0]}, ValueError,
         r"sample_weight must hold non-negative"),
        ((np.zeros(0), np.zeros(0)), {}, ValueError, r"y_pred is empty"),
        ((np.zeros(2), np.zeros(2)), {"d": 1.0}, TypeError,
         r"cauchy got unexpected parameter\(s\) 'd'; its parameters are: c"),
    ],
    ids=["shape", "nan", "integer", "reduction", "negative-weight", "empty", "unknown-param"],
)
def test_validation_comes_for_free(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        cauchy(*args, **kwargs)
    with pytest.raises(exc, match=match):
        cauchy.grad(*args, **kwargs)


def test_a_per_row_custom_loss():
    y = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    p = np.array([[1.0, 1.0], [1.0, 3.0], [0.0, 0.0]])
    loss = RowSquaredNorm()
    np.testing.assert_allclose(loss(y, p, reduction="none"), [1.0, 2.0, 2.0])
    assert float(loss(y, p, sample_weight=[1.0, 1.0, 2.0])) == pytest.approx((1 + 2 + 4) / 4)
    np.testing.assert_allclose(loss.grad(y, p, reduction="sum"), p - y)
    assert lr.check_grad(loss, y, p)
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(3,\)"):
        loss(y, p, sample_weight=[1.0, 2.0])


def test_required_parameter():
    loss = NeedsScale()
    with pytest.raises(TypeError, match=r"needs the parameter\(s\) scale"):
        loss([0.0], [1.0])
    assert float(loss([0.0], [1.0], scale=3.0)) == 3.0
    assert float(loss.bind(scale=2.0)([0.0], [1.0])) == 2.0
    assert "scale=<required>" in repr(loss)


def test_info_of_a_custom_loss():
    info = cauchy.info
    assert info.name == "cauchy" and info.family == "custom"
    assert info.formula == Cauchy.formula
    assert "Cauchy loss" in info.when_to_use
    assert info.prediction == "real" and not info.per_row
    assert RowSquaredNorm().info.per_row
    assert pseudo_huber.info.name == "pseudohuber"


# ---------------------------------------------------------------------------------- check_grad
@pytest.mark.parametrize("loss, param", [(cauchy, "c"), (pseudo_huber, "delta")], ids=["cauchy", "pseudo_huber"])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 10),
    value=st.floats(0.2, 5.0),
    reduction=st.sampled_from(["mean", "sum"]),
    weighted=st.booleans(),
)
def test_check_grad_passes_on_a_correct_custom_loss(loss, param, seed, n, value, reduction, weighted):
    rng = np.random.default_rng(seed)
    y = rng.normal(0, 3, size=n)
    p = rng.normal(0, 3, size=n)
    w = rng.uniform(0, 2, size=n) if weighted else None
    result = lr.check_grad(loss, y, p, reduction=reduction, sample_weight=w, **{param: value})
    assert result, str(result)
    assert result.ok
    np.testing.assert_allclose(result.numeric, result.analytic, rtol=1e-5, atol=1e-8)
    assert "gradient OK" in str(result)


def test_check_grad_catches_a_missing_factor_of_2():
    y = np.zeros(4)
    p = np.array([0.1, -5.0, 1.0, 3.0])  # |d/dp log(1 + p^2)| = 2|p|/(1 + p^2) is largest at p = 1 (index 2)
    result = lr.check_grad(CauchyMissingFactor2(), y, p)
    assert not result
    assert not result.ok
    assert result.worst_index == (2,)
    assert result.max_rel_error == pytest.approx(0.5, rel=1e-6)  # analytic = numeric / 2 everywhere
    assert result.max_rel_error > result.rtol
    np.testing.assert_allclose(result.numeric, 2 * p / (1 + p**2), rtol=1e-7)
    np.testing.assert_allclose(result.analytic, p / (1 + p**2), rtol=1e-15)
    text = str(result)
    assert "MISMATCH" in text
    assert "(2,)" in text


def test_check_grad_locates_an_error_in_one_branch():
    y = np.zeros((2, 3))
    p = np.array([[0.5, 2.0, -0.3], [1.5, -2.5, 0.2]])  # only the negative residuals are wrong
    result = lr.check_grad(PseudoHuberSignBug(), y, p, delta=1.0)
    assert not result
    assert result.worst_index == (1, 1)  # the largest of the wrong entries: r = -2.5
    assert result.max_rel_error == pytest.approx(2.0, rel=1e-6)  # |a - n| / max(|a|, |n|) with a = -n
    bad = ~np.isclose(result.analytic, result.numeric, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(bad, p < 0)
    assert "MISMATCH" in str(result) and "(1, 1)" in str(result)


def test_check_grad_tolerance_is_honoured():
    y = np.zeros(3)
    p = np.array([0.5, 1.0, 2.0])
    assert not lr.check_grad(CauchyMissingFactor2(), y, p, rtol=0.4)
    assert lr.check_grad(CauchyMissingFactor2(), y, p, rtol=0.6)  # a 50% error passes a 60% tolerance


# ---------------------------------------------------------------------------------- bind and parameters
def test_bind_sets_defaults():
    y = np.array([0.0, 1.0, 2.0])
    p = np.array([1.0, -1.0, 2.5])
    wide = cauchy.bind(c=3.0)
    assert wide.params == {"c": 3.0}
    assert cauchy.params == {"c": 1.0}  # the original is unchanged
    assert float(wide(y, p)) == pytest.approx(float(np.mean(cauchy_by_hand(y, p, c=3.0))), rel=1e-14)
    assert float(wide(y, p)) == float(cauchy(y, p, c=3.0))
    assert float(wide(y, p, c=1.0)) == float(cauchy(y, p))  # a call-time value wins over the bound one
    np.testing.assert_array_equal(wide.grad(y, p), cauchy.grad(y, p, c=3.0))
    assert isinstance(wide, Cauchy)
    assert "c=3.0" in repr(wide) and "cauchy" in repr(wide)
    assert lr.check_grad(wide, y, p)
    assert float(Cauchy(c=3.0)(y, p)) == float(wide(y, p))  # the constructor binds too
    assert lr.huber.bind(delta=2.0).params == {"delta": 2.0} and lr.huber.params == {"delta": 1.0}


def test_unknown_parameters_raise():
    with pytest.raises(TypeError, match=r"cauchy got unexpected parameter\(s\) 'scale'; its parameters are: c"):
        cauchy([0.0], [1.0], scale=2.0)
    with pytest.raises(TypeError, match=r"'scale'"):
        Cauchy(scale=2.0)
    with pytest.raises(TypeError, match=r"'scale'"):
        cauchy.bind(scale=2.0)
    with pytest.raises(TypeError, match=r"'scale'"):
        lr.check_grad(cauchy, [0.0], [1.0], scale=2.0)


def test_pointwise_returning_the_wrong_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"WrongShape\.pointwise returned shape \(1,\); expected \(3,\)"):
        WrongShape()([0.0, 0.0, 0.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"WrongGradShape\.pointwise_grad returned shape \(3, 2\); expected \(3,\)"):
        WrongGradShape().grad([0.0, 0.0, 0.0], [1.0, 2.0, 3.0])
    assert float(WrongGradShape()([0.0], [2.0])) == 4.0  # the value alone is fine


def test_a_loss_without_pointwise_grad_has_a_value_but_no_gradient():
    loss = ValueOnly()
    assert float(loss([0.0, 0.0], [1.0, -2.0])) == pytest.approx(4.5)
    with pytest.raises(NotImplementedError, match=r"ValueOnly must define pointwise_grad"):
        loss.grad([0.0], [1.0])


# ---------------------------------------------------------------------------------- combine
YS = {"cls": np.array([0, 2, 1]), "box": np.array([[0.0, 1.0], [2.0, 2.0], [1.0, -1.0]])}
PREDS = {
    "cls": np.array([[2.0, 0.0, -1.0], [0.5, 0.1, 3.0], [1.0, 1.0, 1.0]]),
    "box": np.array([[0.5, 1.0], [2.0, 4.0], [0.0, 0.0]]),
}
LOSSES = {"cls": lr.cross_entropy, "box": lr.huber}


def test_combine_weights_as_dict_or_list():
    as_dict = lr.combine(LOSSES, {"box": 5.0, "cls": 1.0})
    as_list = lr.combine(LOSSES, [1.0, 5.0])  # in the order of the losses dict
    assert as_dict.weights == as_list.weights == {"cls": 1.0, "box": 5.0}
    assert as_dict(YS, PREDS) == as_list(YS, PREDS)
    assert lr.combine(LOSSES).weights == {"cls": 1.0, "box": 1.0}  # default: all 1


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_combine_parts_total_and_grads(reduction):
    total_loss = lr.combine(LOSSES, {"cls": 0.5, "box": 2.0})
    parts = total_loss.parts(YS, PREDS, reduction=reduction)
    assert set(parts) == {"cls", "box"}
    cls = float(lr.cross_entropy(YS["cls"], PREDS["cls"], reduction=reduction))
    box = float(lr.huber(YS["box"], PREDS["box"], reduction=reduction))
    assert float(parts["cls"]) == cls and float(parts["box"]) == box  # unweighted parts
    assert total_loss(YS, PREDS, reduction=reduction) == pytest.approx(0.5 * cls + 2.0 * box, rel=1e-14)
    grads = total_loss.grad(YS, PREDS, reduction=reduction)
    np.testing.assert_allclose(grads["cls"], 0.5 * lr.cross_entropy.grad(YS["cls"], PREDS["cls"], reduction=reduction))
    np.testing.assert_allclose(grads["box"], 2.0 * lr.huber.grad(YS["box"], PREDS["box"], reduction=reduction))
    value, grads2 = total_loss.value_and_grad(YS, PREDS, reduction=reduction)
    assert value == total_loss(YS, PREDS, reduction=reduction)
    for task in grads:
        np.testing.assert_array_equal(grads2[task], grads[task])


def test_combine_gradient_checks_task_by_task():
    """Each task's gradient of the total is lambda_k times a gradient that check_grad accepts."""
    weights = {"cls": 0.5, "box": 2.0}
    total_loss = lr.combine(LOSSES, weights)
    grads = total_loss.grad(YS, PREDS, reduction="sum")
    for task, loss in LOSSES.items():
        result = lr.check_grad(loss, YS[task], PREDS[task])
        assert result
        np.testing.assert_allclose(grads[task], weights[task] * result.numeric, rtol=1e-5, atol=1e-8)


def test_combine_sample_weights_per_task():
    total_loss = lr.combine(LOSSES)
    w = {"cls": np.array([1.0, 0.0, 1.0]), "box": None}
    parts = total_loss.parts(YS, PREDS, sample_weight=w)
    assert float(parts["cls"]) == float(lr.cross_entropy(YS["cls"], PREDS["cls"], sample_weight=w["cls"]))
    assert float(parts["box"]) == float(lr.huber(YS["box"], PREDS["box"]))


def test_combine_with_custom_and_bound_losses():
    total_loss = lr.combine({"robust": cauchy.bind(c=2.0), "plain": lr.mse.bind(half=True)}, [1.0, 3.0])
    ys = {"robust": np.array([0.0, 4.0]), "plain": np.array([1.0, 2.0])}
    preds = {"robust": np.array([1.0, 0.0]), "plain": np.array([0.0, 0.0])}
    expected = np.mean(cauchy_by_hand(ys["robust"], preds["robust"], c=2.0)) + 3.0 * np.mean(
        0.5 * (preds["plain"] - ys["plain"]) ** 2
    )
    assert total_loss(ys, preds) == pytest.approx(expected, rel=1e-14)
    assert "cauchy" in repr(total_loss) and "3" in repr(total_loss)


def test_a_bad_weight_makes_one_task_dominate():
    """lambda_box = 1000: the total and its gradient are all box; the classifier is ignored."""
    balanced = lr.combine(LOSSES, {"cls": 1.0, "box": 1.0})
    skewed = lr.combine(LOSSES, {"cls": 1.0, "box": 1000.0})
    parts = skewed.parts(YS, PREDS)
    total = skewed(YS, PREDS)
    assert 1000 * float(parts["box"]) / total > 0.99
    g_bal = balanced.grad(YS, PREDS)
    g_skew = skewed.grad(YS, PREDS)
    norm = {t: float(np.linalg.norm(g)) for t, g in g_skew.items()}
    share_box = norm["box"] ** 2 / (norm["box"] ** 2 + norm["cls"] ** 2)
    assert share_box > 0.9999
    assert norm["box"] / norm["cls"] > 100
    # with balanced weights neither task is negligible
    ratio = float(np.linalg.norm(g_bal["box"])) / float(np.linalg.norm(g_bal["cls"]))
    assert 0.1 < ratio < 10
    np.testing.assert_array_equal(g_skew["cls"], g_bal["cls"])  # the classifier's own signal is unchanged ...
    assert norm["box"] == pytest.approx(1000 * float(np.linalg.norm(g_bal["box"])), rel=1e-12)  # ... but drowned
