"""cosine-distance.md: each snippet's printed numbers against the formulas, computed here."""

import numpy as np
from numpy.testing import assert_allclose


def test_cosine_distance(printed):
    out = printed("losses/cosine_distance.py")
    angle = np.array([0.0, np.pi / 3, np.pi / 2, np.pi])
    assert_allclose(out["cosine distance"], 1 - np.cos(angle), atol=1e-8)
    assert_allclose(out["times 10"], 1 - np.cos(angle), atol=1e-8)
    # -(u - cos v) / |y_pred| with u = (1, 0), v = (cos, sin), |y_pred| = 2
    c, s = np.cos(np.pi / 3), np.sin(np.pi / 3)
    assert_allclose(out["gradient at 60 degrees"], -(np.array([1, 0]) - c * np.array([c, s])) / 2, rtol=1e-7)
    assert_allclose(out["gradient . y_pred"], 0, atol=1e-15)
    assert_allclose(out["|gradient|"], np.sin(angle) / 2, atol=1e-8)
    assert_allclose(out["zero y_pred"], [1.0, -1e8, 0.0])
