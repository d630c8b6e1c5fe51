"""The home page's quick start."""

import numpy as np
from numpy.testing import assert_allclose


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_quickstart_numbers(printed, run_snippet):
    out = printed("home/quickstart.py")
    y = np.array([0, 2, 1])
    z = np.array([[2.0, 0.0, -1.0], [0.5, 0.1, 3.0], [1.0, 1.0, 1.0]])
    p = _softmax(z)
    per_example = -np.log(p[np.arange(3), y])
    assert_allclose(out["per example"], per_example, atol=1e-8)
    assert_allclose(out["mean loss"], per_example.mean(), rtol=1e-12)
    assert_allclose(out["gradient row 0"], (p[0] - [1, 0, 0]) / 3, atol=1e-8)  # printed to 8 decimals
    assert "torch.nn.functional.cross_entropy(logits, y)" in run_snippet("home/quickstart.py")
