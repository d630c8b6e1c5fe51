"""Course session 6 (margin losses): the worked example's numbers against formulas written out here."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

Y = np.array([1.0, -1.0, 1.0])
S = np.array([1.5, -0.6, -0.4])


def test_session_6_example(printed):
    out = printed("learn/session_6_example.py")
    m = Y * S
    assert_allclose(out["margins y*s"], [1.5, 0.6, -0.4])
    violation = np.maximum(0.0, 1 - m)
    assert_allclose(out["hinge losses"], violation)
    assert_allclose(out["hinge losses"], [0.0, 0.4, 1.4])
    assert_array_equal(out["hinge subgradients"], np.where(m < 1, -Y, 0.0))
    assert_array_equal(out["hinge subgradients"], [0.0, 1.0, -1.0])
    assert_allclose(out["squared hinge gradients"], -2 * Y * violation)
    assert_allclose(out["squared hinge gradients"], [0.0, 0.8, -2.8])
    assert_allclose(out["logistic losses"], np.log(1 + np.exp(-m)), rtol=1e-7)
    # One row, scores (1.2, 1.5, 0.6), true class first: gaps 1 + s_j - s_c for the rivals
    scores, true = np.array([1.2, 1.5, 0.6]), 0
    gaps = 1 + np.delete(scores, true) - scores[true]
    assert_allclose(gaps, [1.3, 0.4])
    assert_allclose(out["Crammer-Singer"], max(0.0, gaps.max()))
    assert_allclose(out["Weston-Watkins"], np.maximum(0.0, gaps).sum())
    assert_allclose(out["Weston-Watkins"], 1.7)
