"""The session 7 and 9 exercises on multi-task weights and weighted cross-entropy, recomputed independently with
lossref's own losses and gradients (NumPy side: the practice engine's tests under tests/practice stay pure Python)."""

from __future__ import annotations

import math

import numpy as np
from numpy.testing import assert_allclose

import lossref as lr
import lossref.practice as lp


def logit(p):
    return math.log(p) - math.log1p(-p)


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_shared_layer_share_matches_lossrefs_gradients_through_the_heads():
    ex = lp.get("custom.multitask_shared_layer")
    for seed in range(200):
        p = ex.generate(seed).params
        u, v = np.array(p["u"]), np.array(p["v"])
        # dL/dz from lossref at the logit whose sigmoid is p, dL/db from lossref's MAE or MSE, then the chain rule
        # through the linear heads z = u.h and b = v.h: dL/dh = (dL/dz) u and (dL/db) v.
        g_out1 = lr.bce_with_logits.grad(np.array([float(p["y"])]), np.array([logit(p["p"])]))[0]
        reg = lr.mae if p["loss"] == "l1" else lr.mse
        g_out2 = reg.grad(np.array([p["t"]]), np.array([p["b"]]))[0]
        n1, n2 = np.linalg.norm(g_out1 * u), np.linalg.norm(g_out2 * v)
        expected = (p["lam2"] * n2 / (p["lam1"] * n1 + p["lam2"] * n2) if p["ask"] == "share"
                    else p["lam1"] * n1 / n2)
        assert_allclose(ex.correct(p), expected, rtol=1e-9)
        if p["ask"] == "lambda":  # the answer equalises the weighted norms at h
            assert_allclose(p["lam1"] * n1, ex.correct(p) * n2, rtol=1e-9)


def _grid_minimiser(q, **params):
    """The probability that minimises lossref's expected BCE at P(y = 1) = q (the BCE against the soft target q)."""
    z = np.linspace(-12.0, 12.0, 240001)
    risk = lr.bce_with_logits(np.full_like(z, q), z, reduction="none", **params)
    return 1 / (1 + np.exp(-z[np.argmin(risk)]))


def test_weighted_bce_minimiser_is_found_by_a_grid_search():
    ex = lp.get("custom.weighted_bce_minimiser")
    for seed in range(60):
        p = ex.generate(seed).params
        # E[-alpha y log p - beta (1 - y) log(1 - p)] = beta * BCE(q, p; pos_weight = alpha / beta)
        found = _grid_minimiser(p["q"], pos_weight=p["alpha"] / p["beta"])
        assert_allclose(ex.correct(p), found, rtol=2e-4)


def test_unweighted_bce_is_calibrated_and_a_cost_threshold_reproduces_the_weighted_decisions():
    w = 19.0  # a miss costs 19 false alarms
    for q in (0.001, 0.01, 0.04, 0.06, 0.2, 0.7):
        assert_allclose(lr.bce_with_logits.grad(np.array([q]), np.array([logit(q)])), 0.0, atol=1e-15)
        assert_allclose(_grid_minimiser(q), q, rtol=2e-4)  # the minimiser is the calibrated q
        weighted = _grid_minimiser(q, pos_weight=w)
        assert (q > 1 / (1 + w)) == (weighted > 0.5)  # the cost threshold on q, or 0.5 on the weighted output


def test_pos_weight_inverse_undoes_the_weighted_minimiser():
    ex = lp.get("custom.pos_weight_inverse")
    for seed in range(200):
        p = ex.generate(seed).params
        q = ex.correct(p)
        out = p["p"] if p["given"] == "prob" else sigmoid(p["z"])
        # the model's output is the pos_weight minimiser at q: lossref's gradient vanishes there
        grad = lr.bce_with_logits.grad(np.array([q]), np.array([logit(out)]), pos_weight=p["w"])
        assert_allclose(grad, 0.0, atol=1e-12)


def test_cost_threshold_is_where_the_expected_costs_cross():
    ex = lp.get("choose.cost_threshold")
    grid = np.linspace(0.0, 1.0, 1000001)
    for seed in range(60):
        p = ex.generate(seed).params
        flag = p["c_tp"] * grid + p["c_fp"] * (1 - grid)  # expected cost of flagging at probability grid
        keep = p["c_fn"] * grid  # expected cost of not flagging
        assert_allclose(ex.correct(p), grid[np.argmax(flag < keep)], atol=2e-6)
