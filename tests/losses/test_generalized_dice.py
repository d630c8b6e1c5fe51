"""generalized_dice: optax's multiclass_generalized_dice_loss on probabilities, classes on axis 1."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import lossref as lr

loss = lr.generalized_dice
mpmath.mp.dps = 60


def one_hot_masks(seed, n=3, c=3, hw=(3, 4)):
    rng = np.random.default_rng(seed)
    labels = rng.choice(c, size=(n,) + hw, p=[0.7, 0.2, 0.1][:c] if c == 3 else None)
    y = np.moveaxis(np.eye(c)[labels], -1, 1)  # (n, C, H, W)
    logits = rng.normal(size=(n, c) + hw)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return y, p


def optax_style(y_last, p_last, smooth):
    """optax's multiclass_generalized_dice_loss(apply_softmax=False) as its source reads, in mpmath:
    classes on the last axis, frequencies over every other axis, weights 1/(f^2 + 1e-7) rescaled to sum
    to C, dice_c = 1 - (I + s) / (I + (P - I)/2 + (Y - I)/2 + s) over the spatial axes, then the mean."""
    n, c = y_last.shape[0], y_last.shape[-1]
    yf = y_last.reshape(n, -1, c)
    pf = p_last.reshape(n, -1, c)
    mp = mpmath.mpf
    freq = [mpmath.fsum(mp(float(v)) for v in yf[:, :, k].ravel()) for k in range(c)]
    w = [1 / (f ** 2 + mp("1e-7")) for f in freq]
    total = mpmath.fsum(w)
    w = [x / total * c for x in w]
    s = mp(smooth)
    terms = []
    for i in range(n):
        for k in range(c):
            yy = [mp(float(v)) for v in yf[i, :, k]]
            pp = [mp(float(v)) for v in pf[i, :, k]]
            inter = mpmath.fsum(a * b for a, b in zip(yy, pp))
            den = inter + (mpmath.fsum(pp) - inter) / 2 + (mpmath.fsum(yy) - inter) / 2 + s
            terms.append(w[k] * (1 - (inter + s) / den))
    return mpmath.fsum(terms) / len(terms)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("optax_smooth", [1.0, 1e-3])
def test_mean_is_optax_with_half_the_smoothing(seed, optax_smooth):
    y, p = one_hot_masks(seed)
    expected = optax_style(np.moveaxis(y, 1, -1), np.moveaxis(p, 1, -1), optax_smooth)
    assert loss(y, p, smooth=2 * optax_smooth) == pytest.approx(float(expected), rel=1e-13)


def test_weights_by_hand():
    y = np.array([[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]])
    p = np.array([[[0.5, 1.0, 1.0], [0.5, 0.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]])
    # f = (4, 2): weights proportional to (1/16, 1/4), rescaled to sum to 2: (0.4, 1.6)
    # example 0: class 0 Dice 1 - 5/5.5, class 1 Dice 1 - 0/0.5; example 1 is perfect
    expected0 = (0.4 * (1 - 5 / 5.5) + 1.6 * 1.0) / 2
    np.testing.assert_allclose(loss(y, p, smooth=0.0, reduction="none"), [expected0, 0.0], rtol=1e-6)


def test_equal_class_totals_give_the_per_class_mean_dice():
    y = np.zeros((2, 2, 4))
    y[0, 0, :2] = y[0, 1, 2:] = y[1, 0, :2] = y[1, 1, 2:] = 1.0  # both classes hold 4 pixels: w = (1, 1)
    _, p = one_hot_masks(1, n=2, c=2, hw=(4,))
    np.testing.assert_allclose(loss(y, p, reduction="none"),
                               lr.dice(y, p, smooth=1e-7, class_axis=1, reduction="none"), rtol=1e-13)


def test_examples_are_coupled_through_the_targets_only():
    y, p = one_hot_masks(2)
    before = loss(y, p, reduction="none")
    y2 = y.copy()
    y2[2] = np.roll(y2[2], 1, axis=0)  # relabel example 2: the class totals change
    after = loss(y2, p, reduction="none")
    assert not np.allclose(before[0], after[0])
    p2 = p.copy()
    p2[2] = p2[2, ::-1]  # another prediction for example 2 leaves example 0 alone
    np.testing.assert_array_equal(loss(y, p2, reduction="none")[:2], before[:2])


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_match_finite_differences(seed, reduction, assert_grads_match):
    y, p = one_hot_masks(seed, n=2, hw=(2, 2))
    w = np.random.default_rng(seed).uniform(0, 2, size=2)
    for weights in (None, w):
        assert_grads_match(loss, {"y": y, "probs": p}, {"smooth": 0.1}, reduction=reduction,
                           sample_weight=weights, rtol=1e-7, atol=1e-9)


def test_absent_class_dominates_and_empty_class_raises_without_smoothing():
    y, p = one_hot_masks(3, c=3)
    y = np.concatenate([y, np.zeros_like(y[:, :1])], axis=1)  # class 3 absent from the batch
    p = np.concatenate([p * 0.9, np.full_like(p[:, :1], 0.1)], axis=1)
    each = loss(y, p, reduction="none")
    # its weight is about C = 4: the loss is nearly 4/4 * 1 (the absent class's Dice loss is 1)
    np.testing.assert_allclose(each, 1.0, atol=1e-3)
    with pytest.raises(ValueError, match=r"generalized_dice with smooth=0 is 0/0 at index \(0, 3\)"):
        loss(y, np.concatenate([p[:, :3], np.zeros_like(p[:, :1])], axis=1), smooth=0.0)


def test_float32_and_bad_input():
    y, p = one_hot_masks(4)
    value, grad = loss.value_and_grad(y.astype(np.float32), p.astype(np.float32))
    assert value.dtype == grad.dtype == np.float32
    np.testing.assert_allclose(value, loss(y, p), rtol=1e-6)
    with pytest.raises(ValueError, match=r"probs must have shape \(n, C, ...\) with classes on axis 1"):
        loss([1.0, 0.0], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"y and probs must have the same shape"):
        loss(y, p[:, :2])
