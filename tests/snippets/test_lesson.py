"""Lesson pages: the worked examples and practice problems print the lesson's digits, and those
numbers agree with the formulas computed here in NumPy."""

import numpy as np
from numpy.testing import assert_allclose


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ------------------------------------------------------------------------------- worked examples
def test_worked_linear_mse(run_snippet, printed):
    text = run_snippet("lesson/worked_linear_mse.py")
    for shown in ("pointwise losses: 0.5, 0.5", "risk: 0.5", "dR/dw: -1.5"):
        assert shown in text
    out = printed("lesson/worked_linear_mse.py")
    x, y, w = np.array([1.0, 2.0]), np.array([2.0, 3.0]), 1.0
    r = w * x - y
    assert_allclose(out["predictions"], w * x)
    assert_allclose(out["pointwise losses"], 0.5 * r**2)
    assert_allclose(out["risk"], np.mean(0.5 * r**2))
    assert_allclose(out["dR/dy_pred"], r / len(r))
    assert_allclose(out["dR/dw"], np.mean(r * x))
    assert out["dR/dw"][0] < 0  # increasing w lowers the risk


def test_worked_bce_logit(run_snippet, printed):
    text = run_snippet("lesson/worked_bce_logit.py")
    for shown in ("p_hat: 0.2689", "loss: 1.313", "dL/dz: -0.7311"):
        assert shown in text
    out = printed("lesson/worked_bce_logit.py")
    y, z = 1.0, -1.0
    p = sigmoid(z)
    loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert_allclose(out["p_hat"], p, atol=5e-5)
    assert_allclose(out["loss"], loss, atol=5e-4)
    assert_allclose(out["loss from p_hat"], loss, atol=5e-4)
    assert_allclose(out["dL/dz"], p - y, atol=5e-5)
    assert_allclose(out["p_hat - y"], out["dL/dz"])
    assert out["dL/dz"][0] < 0  # increasing z moves p towards the label 1


def test_worked_hinge(run_snippet, printed):
    text = run_snippet("lesson/worked_hinge.py")
    assert "loss: 0.0, 0.8, 1.3" in text
    assert "subgradient: +0, -1, +1" in text
    out = printed("lesson/worked_hinge.py")
    y, s = np.array([1.0, 1.0, -1.0]), np.array([2.0, 0.2, 0.3])
    violation = 1 - y * s
    assert_allclose(out["margin y*s"], y * s)
    assert_allclose(out["1 - y*s"], violation)
    assert_allclose(out["loss"], np.maximum(0, violation))
    assert_allclose(out["subgradient"], np.where(violation > 0, -y, 0))


# ------------------------------------------------------------------------------- practice problems
def test_practice_mse_mae(run_snippet, printed):
    text = run_snippet("lesson/practice_mse_mae.py")
    assert "MAE subgradient: -1, -1, 0, 1" in text
    out = printed("lesson/practice_mse_mae.py")
    y, y_pred = np.ones(4), np.array([-1.0, 0.5, 1.0, 2.5])
    r = y_pred - y
    assert_allclose(out["residual"], r)
    assert_allclose(out["half MSE"], 0.5 * r**2)
    assert_allclose(out["half MSE derivative"], r)  # prediction minus truth
    assert_allclose(out["MAE"], np.abs(r))
    assert_allclose(out["MAE subgradient"], np.sign(r))
    assert r[2] == 0 and -1 <= out["MAE subgradient"][2] <= 1  # a valid subgradient at the kink


def test_practice_softmax_ce(run_snippet, printed):
    text = run_snippet("lesson/practice_softmax_ce.py")
    for shown in ("exp(z - max z): 1.0000, 0.1353, 0.0498", "sum: 1.1851", "p_hat: 0.8438, 0.1142, 0.0420",
                  "loss: 2.170"):
        assert shown in text
    out = printed("lesson/practice_softmax_ce.py")
    z = np.array([2.0, 0.0, -1.0])
    p = np.exp(z) / np.exp(z).sum()  # no shift: these logits are small
    one_hot = np.array([0.0, 1.0, 0.0])  # true class 2 counted from 1
    assert_allclose(out["exp(z - max z)"], np.exp(z - 2), atol=5e-5)
    assert_allclose(out["p_hat"], p, atol=5e-5)
    assert_allclose(out["loss"], -np.log(p[1]), atol=5e-4)
    assert_allclose(out["-log p_hat[c]"], out["loss"])
    assert_allclose(out["dL/dz"], p - one_hot, atol=5e-5)


def test_practice_hinge(run_snippet, printed):
    text = run_snippet("lesson/practice_hinge.py")
    assert "loss: 0.0, 0.6, 3.0" in text
    assert "points with a non-zero subgradient: 2, 3" in text
    out = printed("lesson/practice_hinge.py")
    y, s = np.array([1.0, -1.0, -1.0]), np.array([1.2, -0.4, 2.0])
    violation = 1 - y * s
    assert_allclose(out["1 - y*s"], violation)
    assert_allclose(out["loss"], np.maximum(0, violation))
    assert_allclose(out["subgradient"], np.where(violation > 0, -y, 0))
    assert_allclose(out["points with a non-zero subgradient"], np.flatnonzero(violation > 0) + 1)
