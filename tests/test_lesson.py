"""The lesson's worked examples and practice problems, reproduced with lossref to the digits the
lesson prints (/work/shared/seed: "Measuring model error. MSE, cross-entropy, hinge loss")."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lossref as lr


# ---------------------------------------------------------------------------------- worked example 1
def test_worked_example_1_linear_model_mse():
    """y_hat = w x on (1, 2), (2, 3) with L = (1/2)(y_hat - y)^2: R(1) = 0.5 and dR/dw = -1.5."""
    x = np.array([1.0, 2.0])
    y = np.array([2.0, 3.0])
    w = 1.0
    y_hat = w * x
    np.testing.assert_array_equal(y_hat, [1.0, 2.0])
    np.testing.assert_array_equal(lr.mse(y, y_hat, half=True, reduction="none"), [0.5, 0.5])  # L1, L2
    risk = lr.mse(y, y_hat, half=True)
    assert risk == 0.5
    # chain rule: dR/dw = sum_i dR/dy_hat_i * dy_hat_i/dw = sum(grad * x)
    grad = lr.mse.grad(y, y_hat, half=True)
    np.testing.assert_array_equal(grad, [-0.5, -0.5])  # (1/n)(y_hat - y)
    assert float(np.sum(grad * x)) == -1.5
    # the gradient is negative: increasing w decreases the risk
    assert lr.mse(y, 1.1 * x, half=True) < risk


def test_worked_example_1_without_the_half_doubles_everything():
    x, y = np.array([1.0, 2.0]), np.array([2.0, 3.0])
    assert lr.mse(y, x) == 1.0
    assert float(np.sum(lr.mse.grad(y, x) * x)) == -3.0


# ---------------------------------------------------------------------------------- worked example 2
def test_worked_example_2_bce_from_a_logit():
    """y = 1, z = -1: p = 0.2689, L = 1.313, dL/dz = p - y = -0.7311."""
    z = -1.0
    p = 1 / (1 + math.exp(-z))
    assert round(p, 4) == 0.2689
    on_probs = lr.bce([1.0], [p])
    on_logits = lr.bce_with_logits([1.0], [z])
    assert round(float(on_probs), 3) == 1.313
    assert round(float(on_logits), 3) == 1.313
    assert float(on_probs) == pytest.approx(float(on_logits), rel=1e-12)
    dz = lr.bce_with_logits.grad([1.0], [z])
    assert round(float(dz[0]), 4) == -0.7311
    # the same number through the chain rule from the probability: dL/dp * dp/dz with dp/dz = p(1 - p)
    dp = lr.bce.grad([1.0], [p])
    assert round(float(dp[0] * p * (1 - p)), 4) == -0.7311
    # the sign: increasing z lowers the loss
    assert lr.bce_with_logits([1.0], [z + 0.1]) < on_logits


# ---------------------------------------------------------------------------------- worked example 3
def test_worked_example_3_hinge():
    """(1, 2.0), (1, 0.2), (-1, 0.3): losses 0, 0.8, 1.3; subgradients 0, -1, +1."""
    y = np.array([1, 1, -1])
    s = np.array([2.0, 0.2, 0.3])
    losses = lr.hinge(y, s, reduction="none")
    assert [round(float(v), 1) for v in losses] == [0.0, 0.8, 1.3]
    subgradients = lr.hinge.grad(y, s, reduction="sum")  # dL_i/ds_i of each example
    assert subgradients.tolist() == [0.0, -1.0, 1.0]
    # only the points inside the margin (the support vectors) move the model
    assert np.flatnonzero(subgradients).tolist() == [1, 2]


# ---------------------------------------------------------------------------------- practice 1
@pytest.mark.parametrize("y, y_hat", [(2.0, 3.5), (2.0, 0.5), (-1.0, -1.0)])
def test_practice_1_mse_and_mae_gradients(y, y_hat):
    """MSE (with 1/2): dL/dy_hat = y_hat - y. MAE: sign(y_hat - y), and 0 (in [-1, 1]) at r = 0."""
    r = y_hat - y
    assert lr.mse(y, y_hat, half=True) == 0.5 * r**2
    assert lr.mae(y, y_hat) == abs(r)
    assert float(lr.mse.grad(y, y_hat, half=True)) == r
    mae_grad = float(lr.mae.grad(y, y_hat))
    if r > 0:
        assert mae_grad == 1.0
    elif r < 0:
        assert mae_grad == -1.0
    else:
        assert mae_grad == 0.0 and -1.0 <= mae_grad <= 1.0  # the subgradient lossref picks at the kink


# ---------------------------------------------------------------------------------- practice 2
def test_practice_2_softmax_cross_entropy():
    """z = (2, 0, -1): softmax 0.8438, 0.1142, 0.0420; true class 2 (1-indexed) gives L = 2.170."""
    z = np.array([[2.0, 0.0, -1.0]])
    # the loss of label j is -log p_j, so p_j = exp(-loss of label j)
    p = [math.exp(-float(lr.cross_entropy([j], z))) for j in range(3)]
    assert [round(v, 4) for v in p] == [0.8438, 0.1142, 0.0420]
    assert sum(p) == pytest.approx(1.0, rel=1e-12)
    label = 2 - 1  # the lesson counts classes from 1, lossref from 0
    loss = lr.cross_entropy([label], z)
    assert round(float(loss), 3) == 2.170
    grad = lr.cross_entropy.grad([label], z)[0]  # softmax(z) - onehot(c)
    assert [round(float(g), 4) for g in grad] == [0.8438, round(0.1142 - 1, 4), 0.0420]
    # the 1-indexed label itself would be class 3 of 3: out of range, with a hint
    with pytest.raises(ValueError, match="1-indexed"):
        lr.cross_entropy([3], z)


# ---------------------------------------------------------------------------------- practice 3
def test_practice_3_hinge_and_margins():
    """(1, 1.2), (-1, -0.4), (-1, 2.0): losses 0, 0.6, 3.0; points 2 and 3 have non-zero subgradients."""
    y = np.array([1.0, -1.0, -1.0])
    s = np.array([1.2, -0.4, 2.0])
    losses = lr.hinge(y, s, reduction="none")
    assert [round(float(v), 1) for v in losses] == [0.0, 0.6, 3.0]
    g = lr.hinge.grad(y, s, reduction="sum")
    assert [int(i) + 1 for i in np.flatnonzero(g)] == [2, 3]  # the lesson's point numbers
    assert g.tolist() == [0.0, 1.0, 1.0]  # -y where 1 - y s > 0
    assert float(lr.hinge(y, s)) == pytest.approx((0 + 0.6 + 3.0) / 3, rel=1e-12)
