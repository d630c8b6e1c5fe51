"""The overlap and box exercises (lossref.practice.ex_overlap, pure Python) against lossref's NumPy numbers:
each solution equals lossref's loss or gradient for the problem's inputs, the gradient derivation also a
finite difference of lossref's loss, and the named mistakes are what lossref computes for the slip they
name (Keras's swapped Tversky weights, the soft Jaccard loss, the IoU loss without its extra term)."""

from __future__ import annotations

import math

import lossref as lr
import numpy as np
import pytest
from lossref._losses.generalized_dice import class_weights

import lossref.practice as lp
from lossref.practice._core import fmt_number

SEEDS = range(60)


def _problems(exercise_id):
    ex = lp.get(exercise_id)
    return ex, [ex.generate(seed).params for seed in SEEDS]


def _mistake(ex, params, mistake_id):
    return next(m.value for m in ex.mistakes(params) if m.id == mistake_id)


def _mask(p):
    """The problem's mask and probabilities as one example of shape (1, 2, 2) or (1, 4)."""
    shape = (1, 2, 2) if p["shape"] == "2x2" else (1, 4)
    return np.array(p["y"], dtype=float).reshape(shape), np.array(p["p"]).reshape(shape)


def _boxes(p):
    return np.array([p["t"]], dtype=float), np.array([p["b"]], dtype=float)


# ----------------------------------------------------------------------------------- overlap
def test_the_dice_value_is_lossrefs_and_its_jaccard_slip_is_tversky_with_unit_weights():
    ex, problems = _problems("dice.value")
    for p in problems:
        y, q = _mask(p)
        assert ex.correct(p) == pytest.approx(float(lr.dice(y, q, smooth=p["s"])), rel=1e-12, abs=1e-14)
        # the soft Jaccard loss 1 - (I + s) / (Y + P - I + s) is Tversky with alpha = beta = 1
        jaccard = float(lr.tversky(y, q, alpha=1.0, beta=1.0, smooth=p["s"]))
        assert _mistake(ex, p, "iou_not_dice") == pytest.approx(jaccard, rel=1e-12, abs=1e-14)


def test_the_dice_gradient_is_lossrefs_and_a_finite_difference_of_its_loss():
    ex, problems = _problems("dice.gradient")
    h = 1e-6
    for p in problems:
        y, q = _mask(p)
        answer = np.array(ex.correct(p))
        np.testing.assert_allclose(answer, lr.dice.grad(y, q, smooth=p["s"]).ravel(), rtol=1e-12, atol=1e-14)
        for j in range(4):  # central differences; probabilities at 0 or 1 step inside [0, 1] only
            step = np.zeros(4)
            step[j] = h
            up = np.clip(q.ravel() + step, 0, 1).reshape(q.shape)
            down = np.clip(q.ravel() - step, 0, 1).reshape(q.shape)
            slope = (float(lr.dice(y, up, smooth=p["s"])) - float(lr.dice(y, down, smooth=p["s"])))
            slope /= float(up.ravel()[j] - down.ravel()[j])
            assert answer[j] == pytest.approx(slope, rel=1e-6, abs=1e-8)


def test_the_tversky_value_is_lossrefs_and_the_swap_is_keras_naming():
    ex, problems = _problems("tversky.value")
    for p in problems:
        y, q = _mask(p)
        a, b, s = p["alpha"], p["beta"], p["s"]
        assert ex.correct(p) == pytest.approx(float(lr.tversky(y, q, alpha=a, beta=b, smooth=s)), rel=1e-12,
                                              abs=1e-14)
        # Keras 3's alpha weighs the false negatives: its (alpha, beta) is lossref's (beta, alpha)
        swapped = float(lr.tversky(y, q, alpha=b, beta=a, smooth=s))
        assert _mistake(ex, p, "swapped_alpha_beta") == pytest.approx(swapped, rel=1e-12, abs=1e-14)


def test_the_generalized_dice_value_and_weights_are_lossrefs():
    ex = lp.get("generalized_dice.value")
    for seed in SEEDS:
        problem = ex.generate(seed)
        p = problem.params
        labels = np.array(p["labels"])
        y = np.stack([labels == 0, labels == 1]).astype(float)[None]  # (1, C=2, pixels)
        q = np.array(p["q"])
        probs = np.stack([1 - q, q])[None]
        assert ex.correct(p) == pytest.approx(float(lr.generalized_dice(y, probs, smooth=0.0)), rel=1e-12,
                                              abs=1e-14)
        # lossref's default smooth, 1e-7, stays far inside the exercise's tolerance
        assert ex.correct(p) == pytest.approx(float(lr.generalized_dice(y, probs)), rel=1e-5)
        weights = [float(w) for w in class_weights(y)]
        unweighted = float(np.mean(lr.dice(y[0][:, None], probs[0][:, None], smooth=0.0, reduction="none")))
        assert _mistake(ex, p, "unweighted") == pytest.approx(unweighted, rel=1e-12)
        # the worked steps show lossref's weights
        first = ex.solution(problem).steps[0]
        assert f"$w_0 = {fmt_number(weights[0])}$" in first and f"$w_1 = {fmt_number(weights[1])}$" in first


# ----------------------------------------------------------------------------------- boxes
@pytest.mark.parametrize("exercise_id, loss", [("giou_box.value", lr.giou_box), ("diou_box.value", lr.diou_box)])
def test_the_box_values_are_lossrefs_with_and_without_eps(exercise_id, loss):
    ex, problems = _problems(exercise_id)
    for p in problems:
        t, b = _boxes(p)
        assert ex.correct(p) == pytest.approx(float(loss(t, b, eps=0.0)), rel=1e-12, abs=1e-14)
        assert ex.correct(p) == pytest.approx(float(loss(t, b)), rel=1e-6)  # lossref's default eps = 1e-7
        # the slip of both exercises is the IoU loss 1 - I/U: lossref's GIoU less its enclosing term
        iou_loss = float(lr.giou_box(t, b, eps=0.0)) - _enclosing_term(p)
        mistake = "forgot_enclosing_term" if exercise_id == "giou_box.value" else "forgot_distance_term"
        assert _mistake(ex, p, mistake) == pytest.approx(iou_loss, rel=1e-12, abs=1e-14)


def _enclosing_term(p):
    """(C - U) / C computed from the boxes' corners here, independently of the exercise's geometry."""
    t, b = p["t"], p["b"]
    iw = max(0, min(t[2], b[2]) - max(t[0], b[0]))
    ih = max(0, min(t[3], b[3]) - max(t[1], b[1]))
    union = (t[2] - t[0]) * (t[3] - t[1]) + (b[2] - b[0]) * (b[3] - b[1]) - iw * ih
    c = (max(t[2], b[2]) - min(t[0], b[0])) * (max(t[3], b[3]) - min(t[1], b[1]))
    return (c - union) / c


def test_the_ciou_parts_are_lossrefs():
    ex, problems = _problems("ciou_box.value")
    for p in problems:
        t, b = _boxes(p)
        v, alpha, loss = ex.correct(p)
        assert loss == pytest.approx(float(lr.ciou_box(t, b, eps=0.0)), rel=1e-12, abs=1e-14)
        assert loss == pytest.approx(float(lr.ciou_box(t, b)), rel=1e-6)
        iou = 1 - (float(lr.giou_box(t, b, eps=0.0)) - _enclosing_term(p))
        # the aspect term is what CIoU adds to DIoU, alpha v, with alpha = v / (1 - IoU + v)
        assert alpha * v == pytest.approx(float(lr.ciou_box(t, b, eps=0.0) - lr.diou_box(t, b, eps=0.0)), abs=1e-12)
        assert alpha == pytest.approx(v / (1 - iou + v), rel=1e-12)
        assert 0 < v <= 1 and 0 < alpha < 1


def test_the_giou_right_edge_slope_is_lossrefs_gradient_and_a_finite_difference():
    ex, problems = _problems("giou_box.right_edge_slope")
    h = 1e-6
    for p in problems:
        t, b = _boxes(p)
        answer = ex.correct(p)
        assert answer == pytest.approx(float(lr.giou_box.grad(t, b, eps=0.0)[0, 2]), rel=1e-12, abs=1e-14)
        up, down = b.copy(), b.copy()
        up[0, 2] += h
        down[0, 2] -= h
        slope = (float(lr.giou_box(t, up, eps=0.0)) - float(lr.giou_box(t, down, eps=0.0))) / (2 * h)
        assert answer == pytest.approx(slope, rel=1e-6, abs=1e-9)
        assert p["b"][2] != p["t"][2], "the right edges never tie: the loss has no derivative there"


def test_every_problem_is_small_integers_or_one_decimal():
    for exercise_id in ("giou_box.value", "diou_box.value", "ciou_box.value", "giou_box.right_edge_slope"):
        for p in _problems(exercise_id)[1]:
            assert all(isinstance(v, int) and 0 <= v <= 10 for v in p["t"] + p["b"])
    for exercise_id in ("dice.value", "dice.gradient", "tversky.value"):
        for p in _problems(exercise_id)[1]:
            assert all(math.isclose(v * 10, round(v * 10)) for v in p["p"])
