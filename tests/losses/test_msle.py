"""msle: (log(1 + y_pred) - log(1 + y))^2, scikit-learn's mean_squared_log_error as a loss."""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.msle
SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"


def data(seed, shape=(3, 4)):
    rng = np.random.default_rng(seed)
    y = rng.exponential(20.0, size=shape)
    y.flat[0] = 0.0  # zero targets are allowed
    return y, rng.exponential(20.0, size=shape) + 0.01


def mp_msle(y, p):
    mpmath.mp.dps = 60
    d = mpmath.log1p(mpmath.mpf(float(p))) - mpmath.log1p(mpmath.mpf(float(y)))
    return d * d, 2 * d / (1 + mpmath.mpf(float(p))), 2 * (1 - d) / (1 + mpmath.mpf(float(p))) ** 2


@pytest.mark.parametrize("seed", range(4))
def test_value_gradient_and_second_derivative_match_mpmath(seed):
    y, p = data(seed)
    ref = [[mp_msle(a, b) for a, b in zip(yr, pr)] for yr, pr in zip(y, p)]
    for k, got in enumerate((loss(y, p, reduction="none"), loss.grad(y, p, reduction="sum"),
                             loss.hess(y, p, reduction="sum"))):
        want = np.array([[float(r[k]) for r in row] for row in ref])
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_gradient_and_hessian_match_finite_differences(reduction, five_point):
    y, p = data(7, (5,))
    w = np.array([1.0, 0.0, 2.0, 0.5, 1.5])
    total = "sum" if reduction == "none" else reduction
    f = lambda q: float(loss(y, q, reduction=total, sample_weight=w))  # noqa: E731
    np.testing.assert_allclose(loss.grad(y, p, reduction=reduction, sample_weight=w), five_point(f, p), rtol=1e-7, atol=1e-10)
    g = lambda q: loss.grad(y, q, reduction=total, sample_weight=w)  # noqa: E731
    np.testing.assert_allclose(loss.hess(y, p, reduction=reduction, sample_weight=w),
                               np.diag(five_point(g, p)), rtol=1e-6, atol=1e-12)


def test_it_is_mse_of_log1p():
    y, p = data(3)
    assert loss(y, p) == pytest.approx(float(lr.mse(np.log1p(y), np.log1p(p))), rel=1e-14)


def test_the_same_ratio_costs_the_same_and_over_prediction_is_cheaper_in_units():
    for target in (1.0, 100.0, 1e6):
        twice, half = loss([target], [2 * target + 1]), loss([target], [(target - 1) / 2])
        assert twice == pytest.approx(np.log(2) ** 2, rel=1e-13) and half == pytest.approx(np.log(2) ** 2, rel=1e-13)
    # the catalogue's note: for a target of 100, 150 costs 0.16 and 50 costs 0.47
    assert round(float(loss([100.0], [150.0])), 2) == 0.16 and round(float(loss([100.0], [50.0])), 2) == 0.47


def test_the_best_constant_is_expm1_of_the_mean_log1p_and_at_most_the_mean():
    y, _ = data(5, (40,))
    c = np.expm1(np.mean(np.log1p(y)))
    grid = c * np.array([0.99, 1.0, 1.01])
    values = [float(loss(y, np.full_like(y, g))) for g in grid]
    assert values[1] < values[0] and values[1] < values[2]
    assert abs(float(loss.grad(y, np.full_like(y, c)).sum())) < 1e-12
    assert c < y.mean()  # Jensen: strictly below, the target is not constant


def test_not_convex_beyond_e_times_one_plus_y():
    y = np.array([4.0, 4.0])
    edge = np.e * 5.0 - 1.0
    h = loss.hess(y, np.array([edge * 0.9, edge * 1.1]), reduction="none")
    assert h[0] > 0 > h[1]


def test_float32_tiny_and_huge_values():
    y = np.array([0.0, 1e-30, 3e38], dtype=np.float32)
    p = np.array([1e-30, 0.0, 1e38], dtype=np.float32)
    value, grad = loss.value_and_grad(y, p, reduction="none")
    assert value.dtype == grad.dtype == np.float32
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    assert value[0] == pytest.approx(1e-60, abs=1e-44)  # log1p keeps tiny values: no cancellation to 0 or noise


@pytest.mark.parametrize("y, p, message", [
    ([1.0, -0.5], [1.0, 1.0], r"y must hold non-negative values \(>= 0\); got -0.5 at index 1"),
    ([1.0, 2.0], [-1e-3, 1.0], r"y_pred must hold non-negative values \(>= 0\); got -0.001 at index 0"),
    ([1.0, 2.0], [np.nan, 1.0], r"y_pred contains NaN at index 0"),
])
def test_bad_input_is_named(y, p, message):
    with pytest.raises(ValueError, match=message):
        loss(y, p)


def test_the_page_example():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(SNIPPETS / "losses/msle.py"), run_name="__main__")
    lines = dict(line.split(":", 1) for line in out.getvalue().splitlines() if ":" in line)
    y = np.array([90.0, 120.0, 150.0, 400.0, 1500.0])
    assert float(lines["MSLE's best constant, expm1(mean(log1p(y)))"]) == pytest.approx(
        np.exp(np.mean(np.log(1 + y))) - 1, abs=0.005)
    assert abs(float(lines["slope of the mean MSLE there"])) < 1e-12
    assert float(lines["MSE's best constant, the mean"]) == y.mean()
    costs = [line for line in out.getvalue().splitlines() if line.startswith("target")]
    assert len(costs) == 2 and all(f"{np.log(2) ** 2:.4f}" in line for line in costs)
