"""Session 5 page: the worked example's printed numbers against log-sum-exp and softmax written out here."""

import numpy as np
from numpy.testing import assert_allclose


def test_session_5_example(printed):
    out = printed("learn/session_5_example.py")
    z = np.array([1002.0, 1000.0, 999.0])
    c, eps, k = 1, 0.1, 3
    assert np.isposinf(out["naive log-sum-exp"]).all()
    # log-sum-exp of (2, 0, -1), moved by 1000: 1002 + log(1 + e^-2 + e^-3)
    lse = 1002.0 + np.log(1.0 + np.exp(-2.0) + np.exp(-3.0))
    assert_allclose(out["log-sum-exp"], lse, atol=5e-5)
    nll = lse - z  # -log softmax(z)_j
    assert_allclose(out["-log p"], nll, atol=5e-5)
    assert_allclose(out["loss"], nll[c], atol=5e-5)
    assert_allclose(out["loss"], 2.1698, atol=1e-12)  # the digits the page quotes
    probs = np.exp(-nll)
    onehot = np.eye(k)[c]
    assert_allclose(out["gradient"], probs - onehot, atol=5e-5)
    assert_allclose(out["gradient"], [0.8438, -0.8858, 0.0420], atol=1e-12)
    assert abs(out["gradient"].sum()) < 1e-3
    target = (1 - eps) * onehot + eps / k
    smoothed = np.sum(target * nll)
    assert_allclose(smoothed, (1 - eps) * nll[c] + eps / k * nll.sum())
    assert_allclose(out["loss, label_smoothing=0.1"], smoothed, atol=5e-5)
    assert_allclose(out["loss, label_smoothing=0.1"], 2.1365, atol=1e-12)
