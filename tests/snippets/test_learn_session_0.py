"""Course session 0 (prerequisites): the worked example's numbers against formulas written out here."""

import numpy as np
from numpy.testing import assert_allclose

P = np.array([0.7, 0.2, 0.1])  # the true distribution
Z = np.array([2.0, 0.0, -1.0])  # the model's logits


def test_session_0_example(printed):
    out = printed("learn/session_0_example.py")
    e = np.exp(Z - Z.max())
    q = e / e.sum()
    entropy = -np.sum(P * np.log(P))
    cross_entropy = -np.sum(P * np.log(q))
    kl = np.sum(P * np.log(P / q))
    # The snippet rounds to four decimals, as the page's hand computation does.
    assert_allclose(out["softmax q"], q, atol=5e-5)
    assert_allclose(out["softmax q"], [0.8438, 0.1142, 0.0420], atol=5e-5)
    assert_allclose(out["cross-entropy H(p, q), nats"], cross_entropy, atol=5e-5)
    assert_allclose(out["cross-entropy H(p, q), nats"], 0.8698, atol=5e-5)
    assert_allclose(out["KL(p || q), nats"], kl, atol=5e-5)
    assert_allclose(out["KL(p || q), nats"], 0.0680, atol=5e-5)
    assert_allclose(out["entropy H(p) = H(p, q) - KL, nats"], entropy, atol=5e-5)
    assert_allclose(out["entropy H(p) = H(p, q) - KL, nats"], 0.8018, atol=5e-5)
    assert_allclose(out["KL(p || q), bits"], kl / np.log(2), atol=5e-5)
    assert_allclose(out["KL(p || q), bits"], 0.0981, atol=5e-5)
    assert_allclose(kl, cross_entropy - entropy, rtol=1e-12)  # KL = H(p, q) - H(p), as the page says
