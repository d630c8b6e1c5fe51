"""Session 10's embedding exercises (lossref.practice, pure Python) against lossref's NumPy numbers: every
answer, for 200 seeds, is the value or gradient of lr.triplet_margin, lr.cosine_distance, lr.cosine_embedding,
lr.hinge_embedding, lr.info_nce, lr.ntxent or lr.circle on the problem's inputs. Problems stated by their
cosines are fed to lossref as unit vectors with exactly those cosines to the anchor."""

from __future__ import annotations

import math

import lossref as lr
import numpy as np
import pytest
from numpy.testing import assert_allclose

import lossref.practice as lp

SEEDS = range(200)


def _problems(exercise_id):
    ex = lp.get(exercise_id)
    return ex, [ex.generate(seed).params for seed in SEEDS]


def _with_cosines(cosines) -> np.ndarray:
    """Unit rows: row 0 is e_0 and row j + 1 is c_j e_0 + sqrt(1 - c_j^2) e_{j+1}, so that
    cos(row 0, row j + 1) = c_j exactly; the other rows' cosines between themselves play no role in
    row 0's loss."""
    e = np.zeros((len(cosines) + 1, len(cosines) + 1))
    e[0, 0] = 1.0
    for j, c in enumerate(cosines):
        e[j + 1, 0], e[j + 1, j + 1] = c, math.sqrt(1 - c * c)
    return e


def test_the_embedding_rows_have_the_cosines_asked_for():
    cosines = [0.9, -0.6, 0.0, -1.0]
    e = _with_cosines(cosines)
    assert_allclose(np.linalg.norm(e, axis=1), 1.0, rtol=1e-15)
    assert_allclose(e[1:] @ e[0], cosines, rtol=1e-15, atol=1e-16)


# ---------------------------------------------------------------------------------- metric.distance
def test_the_triplet_losses_are_lossrefs_with_eps_0_and_within_1e_5_of_its_default():
    ex, problems = _problems("triplet_margin.value")
    for p in problems:
        a = np.tile(np.array(p["a"], dtype=float), (3, 1))
        pos = np.tile(np.array(p["p"], dtype=float), (3, 1))
        neg = np.array(p["n"], dtype=float)
        exact = lr.triplet_margin(a, pos, neg, margin=p["margin"], eps=0.0, reduction="none")
        assert_allclose(ex.correct(p), exact, rtol=1e-12, atol=1e-12)
        # the statement's claim: torch's eps = 1e-6 moves the losses by about 1e-6
        torch_like = lr.triplet_margin(a, pos, neg, margin=p["margin"], reduction="none")
        assert_allclose(ex.correct(p), torch_like, atol=1e-5)


def test_the_triplet_anchor_gradient_is_lossrefs_and_the_named_positive_gradient_too():
    ex, problems = _problems("triplet_margin.anchor_grad")
    for p in problems:
        a, pos, neg = (np.array([p[k]], dtype=float) for k in ("a", "p", "n"))
        g_a, g_p, g_n = lr.triplet_margin.grad(a, pos, neg, margin=p["margin"], eps=0.0)
        assert_allclose(ex.correct(p), g_a[0], rtol=1e-12, atol=1e-12)
        wrong = {m.id: m.value for m in ex.mistakes(p)}
        assert_allclose(wrong["gradient_in_positive"], g_p[0], rtol=1e-12, atol=1e-12)
        assert_allclose(g_a[0] + g_p[0] + g_n[0], 0.0, atol=1e-12)  # a translation changes nothing


def test_the_cosine_distance_is_lossrefs():
    ex, problems = _problems("cosine_distance.value")
    for p in problems:
        expected = lr.cosine_distance(np.array([p["y"]], dtype=float), np.array([p["y_pred"]], dtype=float))
        assert ex.correct(p) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_the_cosine_embedding_losses_are_lossrefs():
    ex, problems = _problems("cosine_embedding.value")
    assert {p["margin"] for p in problems} >= {0.0, 0.5, -0.5}
    for p in problems:
        x1 = np.array([p["a1"], p["b1"]], dtype=float)
        x2 = np.array([p["a2"], p["b2"]], dtype=float)
        expected = lr.cosine_embedding(np.array([1, -1]), x1, x2, margin=p["margin"], reduction="none")
        # lossref (as PyTorch) adds 1e-12 to each squared norm: a relative change below 1e-12 here
        assert_allclose(ex.correct(p), expected, rtol=1e-11, atol=1e-12)


def test_the_hinge_embedding_losses_are_lossrefs():
    ex, problems = _problems("hinge_embedding.value")
    for p in problems:
        expected = lr.hinge_embedding(np.array(p["y"]), np.array(p["x"]), margin=p["margin"], reduction="none")
        assert_allclose(ex.correct(p), expected, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------- metric.contrastive
def _info_nce_inputs(p):
    e = _with_cosines([p["c_pos"], *p["c_neg"]])
    return e[:1], e[1:2], e[2:]


def test_the_info_nce_value_is_lossrefs():
    ex, problems = _problems("info_nce.value")
    for p in problems:
        expected = lr.info_nce(*_info_nce_inputs(p), temperature=p["tau"])
        assert ex.correct(p) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_the_info_nce_gradient_in_the_cosines_is_read_off_lossrefs_query_gradient():
    # The query is e_0 (unit) and key j is c_j e_0 + s_j e_{j+1}: lossref's gradient in the query,
    # projected off the query by the normalisation, is sum_j (dL/dc_j) s_j e_{j+1}.
    ex, problems = _problems("info_nce.grad")
    for p in problems:
        q, k, neg = _info_nce_inputs(p)
        g_q = lr.info_nce.grad(q, k, neg, temperature=p["tau"])[0][0]
        keys = np.concatenate([k, neg])
        sines = keys[np.arange(3), np.arange(1, 4)]
        assert g_q[0] == pytest.approx(0.0, abs=1e-12)
        assert_allclose(ex.correct(p), g_q[1:] / sines, rtol=1e-10, atol=1e-12)


def test_the_info_nce_gradient_is_the_slope_of_lossrefs_value_in_each_cosine():
    ex, problems = _problems("info_nce.grad")
    for p in problems[:50]:
        cosines = [p["c_pos"], *p["c_neg"]]
        h = 1e-6
        slopes = []
        for j in range(3):
            up, down = list(cosines), list(cosines)
            up[j] += h
            down[j] -= h
            value = [lr.info_nce(*_info_nce_inputs({"c_pos": c[0], "c_neg": c[1:]}), temperature=p["tau"])
                     for c in (up, down)]
            slopes.append((value[0] - value[1]) / (2 * h))
        assert_allclose(ex.correct(p), slopes, rtol=1e-6, atol=1e-6)


def test_the_ntxent_anchor_loss_is_lossrefs_row():
    ex, problems = _problems("ntxent.anchor")
    for p in problems:
        e = _with_cosines([*p["c_pos"], *p["c_neg"]])
        labels = np.array([0, 0, 0, 1, 2])
        expected = lr.ntxent(labels, e, temperature=p["tau"], reduction="none")[0]
        assert ex.correct(p) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_the_ntxent_mean_divides_lossrefs_row_losses_as_lossref_does():
    ex, problems = _problems("ntxent.mean")
    rng = np.random.default_rng(10)
    for p in problems:
        labels = np.array(p["labels"])
        e = rng.normal(size=(len(labels), 3))
        rows = lr.ntxent(labels, e, temperature=0.5, reduction="none")
        alone = [p["labels"].count(c) == 1 for c in p["labels"]]
        # the problem's rows without a positive have loss 0, as lossref's do
        assert all(v == 0 for v, lone in zip(p["losses"], alone) if lone)
        assert all(r == 0 for r, lone in zip(rows, alone) if lone)
        assert ex.correct(dict(p, losses=list(rows))) == pytest.approx(lr.ntxent(labels, e, temperature=0.5),
                                                                        rel=1e-12)


def test_the_circle_loss_is_lossrefs_row():
    ex, problems = _problems("circle.value")
    assert any(s + p["margin"] < 0 for p in problems for s in p["s_neg"]), "a clipped alpha_n is drawn"
    for p in problems:
        e = _with_cosines([*p["s_pos"], *p["s_neg"]])
        labels = np.array([0] * (1 + len(p["s_pos"])) + [1, 2])
        expected = lr.circle(labels, e, gamma=p["gamma"], margin=p["margin"], reduction="none")[0]
        assert ex.correct(p) == pytest.approx(expected, rel=1e-12, abs=1e-12)
