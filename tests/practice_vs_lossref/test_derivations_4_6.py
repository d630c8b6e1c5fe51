"""The derivations of sessions 4-6 (lossref.practice, pure Python) against lossref's NumPy numbers:
its gradients and second derivatives, finite differences of its gradients, and numerical minimisation
of its losses."""

from __future__ import annotations

import functools
import math
import random

import lossref as lr
import numpy as np
import pytest
from numpy.testing import assert_allclose

import lossref.practice as lp
from lossref.practice import _math as M

SEEDS = range(200)


def _problems(exercise_id):
    ex = lp.get(exercise_id)
    return ex, [ex.generate(seed) for seed in SEEDS]


def _ternary(fn, lo=-6.0, hi=6.0, steps=100):
    """The minimiser of a convex (or unimodal) function of one variable on [lo, hi], by ternary search."""
    for _ in range(steps):
        a, b = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        if fn(a) <= fn(b):
            hi = b
        else:
            lo = a
    return (lo + hi) / 2


# ----------------------------------------------------------------------------------- session 4
def test_the_newton_step_uses_lossrefs_gradient_and_its_finite_difference():
    ex, problems = _problems("bce.newton_step")
    for problem in problems:
        p = problem.params
        x, y = np.array(p["x"]), np.array(p["y"], dtype=float)

        def grad(w):  # dR/dw for the summed loss, through z = w x
            return float(lr.bce_with_logits.grad(y, w * x, reduction="sum") @ x)

        h = 1e-5
        curvature = (grad(p["w0"] + h) - grad(p["w0"] - h)) / (2 * h)
        assert ex.correct(p) == pytest.approx(p["w0"] - grad(p["w0"]) / curvature, rel=1e-6, abs=1e-8)
        # lossref's second derivative in z, times (dz/dw)^2 = x^2
        exact = float(lr.bce_with_logits.hess(y, p["w0"] * x, reduction="sum") @ x**2)
        assert ex.correct(p) == pytest.approx(p["w0"] - grad(p["w0"]) / exact, rel=1e-12, abs=1e-12)


def test_the_linear_layer_gradient_is_lossrefs_outer_product_and_its_finite_difference():
    ex, problems = _problems("cross_entropy.linear_layer_grad")
    for problem in problems:
        p = problem.params
        W, x, label = np.array(p["W"]), np.array(p["x"]), np.array([p["label"]])
        outer = np.outer(lr.cross_entropy.grad(label, (W @ x)[None, :])[0], x)
        assert_allclose(ex.correct(p), outer[p["row"]], rtol=1e-12, atol=1e-15)
        h, numeric = 1e-6, []
        for k in range(2):
            up, down = W.copy(), W.copy()
            up[p["row"], k] += h
            down[p["row"], k] -= h
            numeric.append((lr.cross_entropy(label, (up @ x)[None, :]) - lr.cross_entropy(label, (down @ x)[None, :]))
                           / (2 * h))
        assert_allclose(ex.correct(p), numeric, rtol=1e-6, atol=1e-8)


def test_the_best_logit_minimises_lossrefs_binary_cross_entropy():
    ex, problems = _problems("bce.best_logit")
    for problem in problems:
        p = problem.params
        if "q" in p:  # the expected loss: labels 1 and 0 weighted q and 1 - q
            y, weight = np.array([1.0, 0.0]), np.array([p["q"], 1 - p["q"]])
        else:
            y, weight = np.array(p["labels"], dtype=float), np.ones(len(p["labels"]))

        def risk(z):
            return lr.bce_with_logits(y, np.full(y.shape, z), sample_weight=weight)

        assert ex.correct(p) == pytest.approx(_ternary(risk), abs=1e-6)
        assert lr.bce_with_logits.grad(y, np.full(y.shape, ex.correct(p)), sample_weight=weight).sum() == (
            pytest.approx(0.0, abs=1e-12))


def test_two_class_softmax_is_lossrefs_bce_on_the_logit_difference():
    ex, problems = _problems("cross_entropy.two_class_as_bce")
    for problem in problems:
        p = problem.params
        d, loss = ex.correct(p)
        ce = lr.cross_entropy(np.array([p["label"]]), np.array([p["z"]]))
        y = float(p["label"] == p["positive"])
        assert loss == pytest.approx(ce, rel=1e-12)
        assert loss == pytest.approx(lr.bce_with_logits(np.array([y]), np.array([d])), rel=1e-12)
        # sigma(d) is softmax's probability of the positive class
        probs = np.exp(p["z"]) / np.exp(p["z"]).sum()
        assert 1 / (1 + math.exp(-d)) == pytest.approx(probs[p["positive"]], rel=1e-12)


# ----------------------------------------------------------------------------------- session 5
def _hessian_by_differences(label, z, h=1e-5):
    """Rows of d(grad)/dz from central differences of lossref's cross-entropy gradient."""
    rows = []
    for j in range(len(z)):
        up, down = np.array(z, dtype=float), np.array(z, dtype=float)
        up[j] += h
        down[j] -= h
        rows.append((lr.cross_entropy.grad(np.array([label]), up[None, :])[0]
                     - lr.cross_entropy.grad(np.array([label]), down[None, :])[0]) / (2 * h))
    return np.array(rows).T  # column j is d(grad)/dz_j


def test_the_softmax_hessian_matches_finite_differences_of_lossrefs_gradient():
    ex, problems = _problems("cross_entropy.hessian_row")
    for problem in problems:
        p = problem.params
        numeric = _hessian_by_differences(p["label"], p["z"])
        assert_allclose(M.softmax_hessian(p["z"]), numeric, atol=1e-8)
        exact = lr.cross_entropy.hess(np.array([p["label"]]), np.array([p["z"]]))[0]
        assert_allclose(M.softmax_hessian(p["z"]), exact, rtol=1e-12, atol=1e-15)
        picked = np.diag(numeric) if p["row"] == "diag" else numeric[p["row"]]
        assert_allclose(ex.correct(p), picked, atol=1e-8)
    rng = random.Random(4)
    for _ in range(100):  # more classes and wider logits than the exercise draws
        z = [rng.uniform(-8, 8) for _ in range(rng.randint(2, 6))]
        assert_allclose(M.softmax_hessian(z), _hessian_by_differences(rng.randrange(len(z)), z), atol=1e-8)


def test_the_curvature_is_the_second_difference_of_lossrefs_loss_along_v():
    ex, problems = _problems("cross_entropy.curvature")
    for problem in problems:
        p = problem.params
        z, v, label, h = np.array(p["z"]), np.array(p["v"]), np.array([p["label"]]), 1e-4

        def loss(t):
            return lr.cross_entropy(label, (z + t * v)[None, :])

        second = (loss(h) - 2 * loss(0.0) + loss(-h)) / h**2
        assert ex.correct(p) == pytest.approx(second, abs=2e-6)
        assert ex.correct(p) == pytest.approx(v @ _hessian_by_differences(p["label"], p["z"]) @ v, abs=1e-7)
        exact = lr.cross_entropy.hess(label, z[None, :])[0]
        assert ex.correct(p) == pytest.approx(v @ exact @ v, rel=1e-12, abs=1e-15)


def test_the_focal_gradient_is_lossrefs():
    ex, problems = _problems("focal.grad")
    for problem in problems:
        p = problem.params
        expected = lr.focal.grad(np.array([float(p["y"])]), np.array([p["z"]]), gamma=p["gamma"])[0]
        assert ex.correct(p) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    for z in [-1000.0, -40.0, -3.3, -0.2, 0.0, 0.7, 5.0, 40.0, 1000.0]:
        for y in (0, 1):
            for gamma in (0.0, 0.5, 1.0, 2.0, 4.0):
                expected = lr.focal.grad(np.array([float(y)]), np.array([z]), gamma=gamma)[0]
                assert M.focal_grad(y, z, gamma) == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_the_focal_minimiser_minimises_lossrefs_expected_focal_loss():
    ex, problems = _problems("focal.minimiser")
    for problem in problems:
        p = problem.params
        q, gamma = p["q"], p["gamma"]
        y, weight = np.array([1.0, 0.0]), np.array([q, 1 - q])

        def risk(z):  # the expected focal loss at the logit z, from lossref
            return lr.focal(y, np.full(2, z), sample_weight=weight, gamma=gamma)

        best = 1 / (1 + math.exp(-_ternary(risk, -8.0, 8.0)))
        assert ex.correct(p) == pytest.approx(best, abs=1e-6)


def test_the_smoothed_gap_zeroes_lossrefs_smoothed_gradient():
    ex, problems = _problems("cross_entropy.smoothed_gap")
    for problem in problems:
        p = problem.params
        k, gap = p["k"], ex.correct(p)
        for label in (0, k - 1):
            z = np.zeros((1, k))
            z[0, label] = gap
            grad = lr.cross_entropy.grad(np.array([label]), z, label_smoothing=p["eps"])
            assert_allclose(grad, 0.0, atol=1e-12)


def test_the_kl_gradient_is_lossrefs():
    ex, problems = _problems("kl.grad")
    for problem in problems:
        p = problem.params
        expected = lr.kl_divergence.grad(np.array([p["y"]]), np.array([p["z"]]))[0]
        assert_allclose(ex.correct(p), expected, rtol=1e-12, atol=1e-15)


# ----------------------------------------------------------------------------------- session 6
def _phi(kind, b):
    """The margin losses of the minimiser exercise, from lossref where it has them."""
    pos = np.ones(1)
    if kind == "logistic":
        return lambda m: float(lr.logistic(pos, np.array([b * m])))
    if kind == "hinge":
        return lambda m: float(lr.hinge(pos, np.array([m])))
    if kind == "squared_hinge":
        return lambda m: float(lr.squared_hinge(pos, np.array([m])))
    if kind == "exponential":
        return lambda m: math.exp(-b * m)
    return lambda m: (1 - m) ** 2


def test_margin_minimisers_minimise_the_conditional_risk():
    ex, problems = _problems("margin.population_minimiser")
    for problem in problems:
        p = problem.params
        phi, eta = _phi(p["loss"], p["b"]), p["eta"]
        best = _ternary(lambda s: eta * phi(s) + (1 - eta) * phi(-s))
        assert ex.correct(p) == pytest.approx(best, abs=1e-6)


# phi for each family of the calibration exercises, written out independently of the exercise module
_FAMILIES = {
    "shifted_hinge": lambda a: lambda m: np.maximum(0, a - m),
    "perceptron": lambda a: lambda m: np.maximum(0, -m),
    "late_hinge": lambda a: lambda m: np.maximum(0, m - a),
    "rising_hinge": lambda a: lambda m: np.maximum(0, a + m),
    "exponential": lambda a: lambda m: np.exp(-a * m),
    "rising_exponential": lambda a: lambda m: np.exp(a * m),
    "logistic": lambda a: lambda m: np.logaddexp(0, -a * m),
    "squared": lambda a: lambda m: (a - m) ** 2,
    "squared_zero": lambda a: lambda m: m**2,
    "squared_hinge": lambda a: lambda m: np.maximum(0, a - m) ** 2,
    "squared_hinge_zero": lambda a: lambda m: np.maximum(0, -m) ** 2,
}


@functools.cache
def _calibrated_numerically(kind, a) -> bool:
    """For eta = 0.2, 0.4, 0.6, 0.8, every minimiser of eta phi(s) + (1 - eta) phi(-s) on a fine grid
    has the sign of 2 eta - 1."""
    phi = _FAMILIES[kind](a)
    s = np.linspace(-4, 4, 80001)
    for eta in (0.2, 0.4, 0.6, 0.8):
        risk = eta * phi(s) + (1 - eta) * phi(-s)
        best = s[risk <= risk.min() + 1e-12]
        if not np.all(np.sign(best) == np.sign(2 * eta - 1)):
            return False
    return True


def test_the_calibration_answers_agree_with_the_conditional_risk_and_a_finite_difference():
    slope_ex, test_ex = lp.get("margin.calibration_slope"), lp.get("margin.calibration_test")
    for seed in SEEDS:
        for ex in (slope_ex, test_ex):
            p = ex.generate(seed).params
            phi, h = _FAMILIES[p["kind"]](p["a"]), 1e-6
            left, right = (phi(0.0) - phi(-h)) / h, (phi(h) - phi(0.0)) / h
            differentiable = abs(left - right) < 1e-4
            if ex is slope_ex:
                assert differentiable and slope_ex.correct(p) == pytest.approx((left + right) / 2, abs=1e-5)
                continue
            answer = test_ex.solution(test_ex.generate(seed)).answer
            text = dict(test_ex.generate(seed).answer.choices)[answer]
            calibrated = text.startswith("Calibrated")
            assert calibrated == _calibrated_numerically(p["kind"], p["a"]), (p, text)
            assert ("not differentiable" in text) == (not differentiable), (p, text)


def test_the_batch_hinge_subgradient_is_lossrefs_chained_through_the_linear_model():
    ex, problems = _problems("hinge.batch_subgradient")
    at_the_kink = 0
    for problem in problems:
        p = problem.params
        X, y, w = np.array(p["x"]), np.array(p["y"], dtype=float), np.array(p["w"])
        at_the_kink += bool(np.any(y * (X @ w) == 1))
        assert_allclose(ex.correct(p), X.T @ lr.hinge.grad(y, X @ w), rtol=1e-12, atol=1e-15)
    assert at_the_kink >= 10, "some problems put an example exactly at the kink"
