"""Segmentation and box loss page: each snippet's printed numbers against the formulas, computed here."""

import math

import numpy as np
from numpy.testing import assert_allclose


def test_dice(printed, run_snippet):
    out = printed("losses/dice.py")
    # I = 0.9 + 0.6 + 0.5, Y + P = 3 + 2.2
    assert_allclose(out["I, Y + P"], [2.0, 5.2])
    assert_allclose(out["dice, smooth=0"], 1 - 4 / 5.2)
    assert_allclose(out["dice, smooth=1"], 1 - 5 / 6.2)
    y = np.array([1.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    assert_allclose(out["gradient, smooth=0"], -2 * y / 5.2 + 4 / 5.2 ** 2, rtol=1e-7)
    assert_allclose(out["empty mask, smooth=1"], 0.0)
    assert "smooth=0: dice with smooth=0 is 0/0 at index 0" in run_snippet("losses/dice.py")


def test_tversky(printed):
    out = printed("losses/tversky.py")
    # false positive: TP = 2, FP = 1, FN = 0; false negative: TP = 1, FP = 0, FN = 1
    for alpha, beta in [(0.5, 0.5), (0.3, 0.7), (0.7, 0.3)]:
        assert_allclose(out[f"false positive, false negative at alpha={alpha}, beta={beta}"],
                        [1 - 2 / (2 + alpha), 1 - 1 / (1 + beta)])
    assert_allclose(out["tversky(smooth=1), dice(smooth=2)"], [1 - 3 / 3.5, 1 - 3 / 3.5])


def test_generalized_dice(printed):
    out = printed("losses/generalized_dice.py")
    assert_allclose(out["class totals"], [8, 3, 1])
    w = 1 / (np.array([64.0, 9.0, 1.0]) + 1e-7)
    assert_allclose(out["weights (sum to C)"], 3 * w / w.sum(), rtol=1e-7)
    each = out["generalized_dice per example"]
    assert_allclose(each[0], np.mean(out["weights (sum to C)"] * out["per-class Dice losses, example 0"]), rtol=1e-6)
    assert_allclose(out["generalized_dice mean"], each.mean(), rtol=1e-7)


def test_boxes(printed):
    out = printed("losses/boxes.py")
    # overlapping: I = 1, U = 7, C = 9, centres (1, 1) apart, diagonal^2 18; inside: I = 1, U = C = 4,
    # centres (0.3, 0.3) apart in a 2x2 enclosing box; disjoint: I = 0, U = 6, C = 8, rho^2 = 2.5^2
    eps = 1e-7
    assert_allclose(out["giou_box"], [1 - 1 / (7 + eps) + 2 / (9 + eps), 1 - 1 / (4 + eps), 1 + 2 / (8 + eps)],
                    rtol=1e-7)
    diou = [1 - 1 / (7 + eps) + 2 / (18 + eps), 1 - 1 / (4 + eps) + 0.18 / (8 + eps), 1 + 6.25 / (20 + eps)]
    assert_allclose(out["diou_box"], diou, rtol=1e-7)
    v = 4 / math.pi ** 2 * (math.atan(1.0) - math.atan(0.5)) ** 2  # only the disjoint box is 1 wide, 2 high
    assert_allclose(out["ciou_box"], diou[:2] + [diou[2] + v / (1 + v + eps) * v], rtol=1e-7)
    assert out["slope along the shift, giou"] == 0.0 and out["slope along the shift, diou"] < 0
    assert np.all(out["identical boxes"] < 1e-7)
    assert_allclose(out["scaled by 1000"], out["ciou_box"], rtol=1e-6)


def test_ciou_gradient(printed):
    out = printed("losses/ciou_gradient.py")
    assert_allclose(out["lossref gradient"], out["central differences of the value"], rtol=1e-6)
    assert 0 < out["alpha"] < 1
    assert np.max(np.abs(out["torchvision-style gradient"] - out["lossref gradient"])) > 1e-4
