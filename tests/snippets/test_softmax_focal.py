"""focal.md, categorical focal section: each snippet's printed numbers against the formulas, computed here."""

import numpy as np
from numpy.testing import assert_allclose


def test_categorical_focal(printed):
    out = printed("losses/categorical_focal.py")
    p = np.array([0.1, 0.5, 0.9, 0.99])
    ce = -np.log(p)
    assert_allclose(out["cross_entropy"], ce, rtol=1e-7, atol=5e-9)
    assert_allclose(out["focal, gamma=2"], (1 - p) ** 2 * ce, rtol=1e-7, atol=5e-9)
    assert_allclose(out["focal / cross_entropy"], (1 - p) ** 2, rtol=1e-7, atol=5e-9)
    assert_allclose(out["focal, gamma=0"], ce, rtol=1e-7, atol=5e-9)
    # Keras's documented example: alpha = 0.25, p_y = 0.9 gives 2.63401289e-04
    assert_allclose(out["alpha=0.25"], 0.25 * (1 - p) ** 2 * ce, rtol=1e-7, atol=5e-9)
    assert_allclose(out["alpha=0.25"][2], 2.63401289e-04, rtol=1e-8)
    # dL/dz_k = g_y (p_k - [k = y]), g_y = (1 - p_y)^2 (1 + 2 p_y (-log p_y) / (1 - p_y))
    for label, py in (("gradient, hard row", p[0]), ("gradient, easy row", p[3])):
        g = (1 - py) ** 2 * (1 + 2 * py * -np.log(py) / (1 - py))
        assert_allclose(out[label], g * np.array([py - 1, (1 - py) / 2, (1 - py) / 2]), rtol=1e-7, atol=5e-9)


def test_categorical_focal_gradient(printed):
    out = printed("losses/categorical_focal_gradient.py")
    assert out["1 - p_y in float64"][0] == 0.0
    assert np.isnan(out["naive d(1 - p)^0.5 / dz_0"]).all()
    # 1 - p_y = 2 e^-40 (to 1e-17 relative); dL/dz_0 = -(1 - p)^0.5 (1 + 0.5 r) (1 - p) with r -> 1
    q = 2 * np.exp(-40.0)
    d0 = -(q ** 0.5) * 1.5 * q
    assert_allclose(out["lossref gradient"], [d0, -d0 / 2, -d0 / 2], rtol=1e-7, atol=5e-9)
    assert_allclose(out["lossref loss"], q ** 0.5 * q, rtol=1e-7, atol=5e-9)  # (1 - p)^0.5 (-log p), -log p ~ 1 - p


def test_categorical_focal_minimizer(printed):
    out = printed("losses/categorical_focal_minimizer.py")
    eta = np.array([0.6, 0.3, 0.1])
    assert_allclose(out["gamma=0, softmax at the optimum"], eta, atol=5e-7)  # cross-entropy is proper
    previous = eta
    for gamma in ("2", "5"):
        p = out[f"gamma={gamma}, softmax at the optimum"]
        assert_allclose(p.sum(), 1, atol=1e-6)
        assert list(np.argsort(p)) == list(np.argsort(eta))  # same ranking of the classes
        assert p[0] < previous[0] and p[2] > previous[2]  # flatter as gamma grows
        previous = p
        # stationarity of sum_c eta_c (1 - p_c)^gamma (-log p_c) in the logits, by the formula derived here
        g = float(gamma)
        r = p * -np.log(p) / (1 - p)
        gc = eta * (1 - p) ** g * (1 + g * r)
        assert_allclose(p * gc.sum() - gc, 0, atol=1e-6)
