"""Sessions 1-3's derivations and likelihood exercises: their answers are lossref's numbers, and the
plain-Python Poisson and Gaussian NLL agree with lossref. NumPy is needed: this file runs on CPython only."""

from __future__ import annotations

import math
import random

import lossref as lr
import numpy as np
import pytest

import lossref.practice as lp
from lossref.practice import _math as M

SEEDS = range(200)


def _agree(a, b, rel=1e-12):
    assert a == pytest.approx(b, rel=rel, abs=1e-12)


def _problems(exercise_id):
    ex = lp.get(exercise_id)
    return ex, [ex.generate(seed).params for seed in SEEDS]


# ---------------------------------------------------------------------------------- plain Python vs lossref
def test_poisson_nll_agrees_with_lossref():
    rng = random.Random(3)
    for _ in range(500):
        y = float(rng.randint(0, 30)) if rng.random() < 0.8 else rng.uniform(0.0, 20.0)
        eta = rng.uniform(-20.0, 8.0)
        lam = rng.choice([0.0, rng.uniform(0.0, 1e-6), rng.uniform(0.0, 50.0)])
        for log_input, pred in ((True, eta), (False, lam)):
            yy, pp = np.array([y]), np.array([pred])
            _agree(M.poisson_nll(y, pred, log_input), lr.poisson_nll(yy, pp, log_input=log_input))
            _agree(M.poisson_nll_grad(y, pred, log_input), lr.poisson_nll.grad(yy, pp, log_input=log_input)[0])


def test_gaussian_nll_agrees_with_lossref():
    rng = random.Random(4)
    for _ in range(500):
        y, mu = rng.uniform(-10.0, 10.0), rng.uniform(-10.0, 10.0)
        var = rng.choice([0.0, 1e-8, rng.uniform(0.0, 2e-6), rng.uniform(1e-3, 20.0)])
        full = rng.random() < 0.5
        yy, mm = np.array([y]), np.array([mu])
        _agree(M.gaussian_nll(y, mu, var, full), lr.gaussian_nll(yy, mm, var=var, full=full))
        _agree(M.gaussian_nll_grad_mean(y, mu, var), lr.gaussian_nll.grad(yy, mm, var=var)[0])
        # lossref's gradient is in the mean only: the one in the variance against a central difference
        # of lossref's values, where the floor is not within the step
        h = 1e-6 * max(var, 1e-3)
        low, high = max(var - h, 0.0), var + h
        if low > 1e-6 or high < 1e-6:
            diff = (lr.gaussian_nll(yy, mm, var=high) - lr.gaussian_nll(yy, mm, var=low)) / (high - low)
            assert M.gaussian_nll_grad_var(y, mu, var) == pytest.approx(diff, rel=1e-5, abs=1e-6 * abs(diff) + 1e-7)


# ---------------------------------------------------------------------------------- session 3: apply
def test_poisson_exercises_give_lossrefs_numbers():
    ex, problems = _problems("poisson_nll.value")
    for p in problems:
        _agree(ex.correct(p), lr.poisson_nll(np.array([float(p["y"])]), np.array([p["pred"]]),
                                             log_input=p["log_input"]))
    ex, problems = _problems("poisson_nll.grad")
    for p in problems:
        grad = lr.poisson_nll.grad(np.array(p["y"], dtype=float), np.array(p["pred"]), log_input=p["log_input"])
        assert ex.correct(p) == pytest.approx(list(grad), rel=1e-12, abs=1e-12)


def test_gaussian_exercises_give_lossrefs_numbers():
    ex, problems = _problems("gaussian_nll.value")
    assert any(p["var"] < 1e-6 for p in problems), "the floor is exercised"
    for p in problems:
        _agree(ex.correct(p), lr.gaussian_nll(np.array([p["y"]]), np.array([p["mu"]]), var=p["var"], full=p["full"]))
    ex, problems = _problems("gaussian_nll.grad")
    for p in problems:
        y, mu = np.array([p["y"]]), np.array([p["mu"]])
        d_mu, d_var = ex.correct(p)
        _agree(d_mu, lr.gaussian_nll.grad(y, mu, var=p["var"])[0])
        h = 1e-9 if p["var"] < 1e-6 else 1e-6
        diff = (lr.gaussian_nll(y, mu, var=p["var"] + h) - lr.gaussian_nll(y, mu, var=max(p["var"] - h, 0.0)))
        diff /= p["var"] + h - max(p["var"] - h, 0.0)
        assert d_var == pytest.approx(diff, rel=1e-5, abs=1e-6)


# ---------------------------------------------------------------------------------- session 3: derivations
def _is_minimum(risk, c, scale):
    """risk(c) is at most risk at points around c, near and far."""
    here = risk(c)
    for step in (1e-4, 1e-2, 0.3, 3.0):
        for other in (c - step * scale, c + step * scale):
            assert here <= risk(other) + 1e-12, (c, other)


def test_the_minimisers_minimise_lossrefs_risks():
    ex, problems = _problems("quantile.minimiser")
    for p in problems:
        y = np.array(p["y"])
        _is_minimum(lambda c: lr.quantile(y, np.full_like(y, c), tau=p["tau"]), ex.correct(p), 1.0)
        # and it is the only one: the slope is not 0 on either side
        for c in (ex.correct(p) - 1e-3, ex.correct(p) + 1e-3):
            assert abs(lr.quantile.grad(y, np.full_like(y, c), tau=p["tau"]).sum()) > 1e-3
    ex, problems = _problems("huber.minimiser")
    for p in problems:
        y = np.array(p["y"])
        c = ex.correct(p)
        assert lr.huber.grad(y, np.full_like(y, c), delta=p["delta"]).sum() == pytest.approx(0.0, abs=1e-12)
        _is_minimum(lambda c: lr.huber(y, np.full_like(y, c), delta=p["delta"]), c, 1.0)


def test_the_likelihood_estimates_minimise_lossrefs_risks():
    ex, problems = _problems("poisson_nll.mle")
    for p in problems:
        y = np.array(p["y"], dtype=float)
        eta = math.log(y.mean())
        assert lr.poisson_nll.grad(y, np.full_like(y, eta)).sum() == pytest.approx(0.0, abs=1e-12)
        _is_minimum(lambda e: lr.poisson_nll(y, np.full_like(y, e)), eta, 1.0)
        expected = {"log_rate": eta, "rate": y.mean(), "loss": lr.poisson_nll(y, np.full_like(y, eta))}[p["ask"]]
        _agree(ex.correct(p), expected)
        if p["ask"] == "rate":  # with log_input=False the minimiser is the mean up to eps
            _is_minimum(lambda lam: lr.poisson_nll(y, np.full_like(y, max(lam, 0.0)), log_input=False),
                        ex.correct(p), 1e-2)
    ex, problems = _problems("gaussian_nll.variance_mle")
    for p in problems:
        y, mu = np.array(p["y"]), np.array(p["mu"])
        v, nll = ex.correct(p)
        _is_minimum(lambda var: lr.gaussian_nll(y, mu, var=max(var, 1e-3), full=p["full"]), v, 1e-2)
        _agree(nll, lr.gaussian_nll(y, mu, var=v, full=p["full"]))


# ---------------------------------------------------------------------------------- sessions 1 and 2
def test_the_linear_model_gradient_is_lossrefs_chain_rule():
    ex, problems = _problems("risk.gradient_linear")
    for p in problems:
        x, y = np.array(p["x"]), np.array(p["y"])
        g = lr.mse.grad(y, p["w"] * x + p["b"], half=p["half"])  # dR/dy_hat_i, the mean's gradient
        assert ex.correct(p) == pytest.approx([np.sum(g * x), np.sum(g)], rel=1e-12, abs=1e-12)


def test_the_two_layer_gradient_matches_finite_differences_of_lossrefs_risk():
    ex, problems = _problems("risk.backprop")
    assert any(p["activation"] == "relu" and min(p["w1"] * x + p["b1"] for x in p["x"]) < 0 for p in problems)
    for p in problems:
        x, y = np.array(p["x"]), np.array(p["y"])
        act = (lambda a: np.maximum(a, 0.0)) if p["activation"] == "relu" else np.tanh

        def risk(t, p=p, x=x, y=y, act=act):
            w1, b1 = (t, p["b1"]) if p["wrt"] == "w1" else (p["w1"], t)
            return lr.mse(y, p["w2"] * act(w1 * x + b1) + p["b2"], half=True)

        t, h = p[p["wrt"]], 1e-6
        assert ex.correct(p) == pytest.approx((risk(t + h) - risk(t - h)) / (2 * h), rel=1e-6, abs=1e-8)


def test_the_session_2_derivations_are_lossrefs_numbers():
    ex, problems = _problems("huber.descent_step")
    for p in problems:
        y = np.array(p["y"])
        g = lr.huber.grad(y, np.full_like(y, p["c"]), delta=p["delta"]).sum()
        _agree(ex.correct(p), p["c"] - p["lr"] * g)
    ex, problems = _problems("quantile.subgradient")
    for p in problems:
        y = np.array(p["y"])
        g = lr.quantile.grad(y, np.full_like(y, p["c"]), tau=p["tau"]).sum()
        assert ex.correct(p) == pytest.approx([g, p["c"] - p["lr"] * g], rel=1e-12, abs=1e-12)
    ex, problems = _problems("log_cosh.linear_grad")
    for p in problems:
        x, y = np.array(p["x"]), np.array(p["y"])
        _agree(ex.correct(p), np.sum(lr.log_cosh.grad(y, p["w"] * x) * x), rel=1e-9)


def test_the_laplace_scale_is_lossrefs_mae():
    ex, problems = _problems("laplace.scale_mle")
    for p in problems:
        y, mu = np.array(p["y"]), np.array(p["mu"])
        mae = lr.mae(y, mu)
        b, nll = ex.correct(p)
        _agree(b, mae)

        def risk(scale, mae=mae):
            return mae / scale + math.log(2 * scale)  # the mean Laplace NLL: the MAE up to scale and constant

        _is_minimum(risk, b, 1e-2)
        _agree(nll, risk(b))
