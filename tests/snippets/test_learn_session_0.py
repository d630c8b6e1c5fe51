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


def test_session_0_bits(printed):
    out = printed("learn/session_0_bits.py")
    nats = -np.log(0.7)  # the negative log-likelihood of a label given probability 0.7
    bits = -np.log2(0.7)
    assert_allclose(out["negative log-likelihood, nats"], nats, atol=5e-5)
    assert_allclose(out["negative log-likelihood, bits"], bits, atol=5e-5)
    assert_allclose(out["log-likelihood, nats"], -nats, atol=5e-5)
    assert_allclose(out["log-likelihood, bits"], -bits, atol=5e-5)
    assert_allclose([out["log-likelihood, nats"][0], out["log-likelihood, bits"][0]], [-0.3567, -0.5146])  # the page
    # bits are larger for the positive value and smaller (more negative) for the negative one
    assert out["negative log-likelihood, bits"] > out["negative log-likelihood, nats"]
    assert out["log-likelihood, bits"] < out["log-likelihood, nats"]
