"""nll.md: each snippet's printed numbers against the formulas, computed here."""

import numpy as np
from numpy.testing import assert_allclose
from scipy.special import log_softmax


def test_nll(printed):
    out = printed("losses/nll.py")
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 1.5, 0.0], [0.0, 0.0, 3.0]])
    each = -log_softmax(logits, axis=-1)[[0, 1, 2], [0, 1, 2]]
    assert_allclose(out["kept rows"], each, rtol=1e-7, atol=5e-9)
    assert_allclose(out["nll, ignore_index=-100"], each.mean(), rtol=1e-12)
    assert_allclose(out["cross_entropy on the logits"], each.mean(), rtol=1e-12)
    w = np.array([1.0, 2.0, 4.0])
    assert_allclose(out["weighted"], np.sum(w * each) / w.sum(), rtol=1e-12)
    assert_allclose(out["gradient at the true classes"], -w / w.sum(), rtol=1e-7)
    assert not np.any(out["gradient, padding row"])


def test_nll_unnormalised(printed):
    out = printed("losses/nll_unnormalised.py")
    for scale in (1, 10, 100):
        nll, ce = out[f"scale {scale}, nll"]
        assert nll == -4.0 * scale  # minus the true class's raw entry: unbounded below
        assert_allclose(ce, np.log1p(np.exp(-3.0 * scale) + np.exp(-4.0 * scale)), rtol=1e-7, atol=5e-9)
    assert out["after log_softmax"][0] == 0.0  # log_softmax(400, 100, 0)[0] rounds to 0
