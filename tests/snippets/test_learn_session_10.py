"""Course session 10 (losses for structured outputs): the worked example's and the derivations'
numbers, recomputed here from the definitions (CTC by enumerating its alignments)."""

import itertools
import math

import numpy as np
from numpy.testing import assert_allclose

ROUNDED = 5e-5  # the snippet prints scalars to 4 decimals


def test_session_10_nll_and_categorical_focal(printed):
    out = printed("learn/session_10_example.py")
    assert_allclose(out["nll"], -math.log(0.5), atol=ROUNDED)
    assert_allclose(out["categorical focal, gamma=2"], (1 - 0.5) ** 2 * -math.log(0.5), atol=ROUNDED)


def collapse(path: tuple[int, ...], blank: int = 0) -> tuple[int, ...]:
    """CTC's map B: merge runs of a symbol, then drop the blanks."""
    return tuple(s for s, _ in itertools.groupby(path) if s != blank)


def test_session_10_ctc_by_enumerating_the_alignments(printed):
    out = printed("learn/session_10_example.py")
    probs = np.array([[0.2, 0.7, 0.1], [0.5, 0.2, 0.3], [0.3, 0.1, 0.6]])
    target = (1, 2)
    paths = [path for path in itertools.product(range(3), repeat=3) if collapse(path) == target]
    assert len(paths) == 5  # ab-, a-b, -ab, aab, abb
    p = sum(math.prod(probs[t, s] for t, s in enumerate(path)) for path in paths)
    assert_allclose(out["p(ab)"], p, atol=ROUNDED)
    assert_allclose(out["ctc"], -math.log(p), atol=ROUNDED)
    assert_allclose(out["ctc over the target length (torch's 'mean')"], -math.log(p) / len(target), atol=ROUNDED)

    # alpha_t(s): the probability of the alignment prefixes (steps 0 to t) that are at position s of
    # the extended target "-a-b-" at step t; the two final positions at the last step add up to p.
    extended = (0, 1, 0, 2, 0)
    for t in range(3):
        assert_allclose(out[f"alpha at step {t}"], prefix_alpha(probs, extended, t), atol=ROUNDED)
    assert_allclose(out["alpha at step 2"][3] + out["alpha at step 2"][4], p, atol=2 * ROUNDED)


def prefix_alpha(probs, extended, t):
    """alpha_t(s), summed over every walk through the extended target: it starts at position 0 or 1
    and moves by 0, 1 or 2 positions a step (2 only onto a label that differs from the one two back)."""
    alpha = np.zeros(len(extended))
    for walk in itertools.product(range(len(extended)), repeat=t + 1):
        allowed = walk[0] in (0, 1) and all(
            b - a in (0, 1) or (b - a == 2 and extended[b] != 0 and extended[b] != extended[b - 2])
            for a, b in itertools.pairwise(walk))
        if allowed:
            alpha[walk[-1]] += math.prod(probs[u, extended[s]] for u, s in enumerate(walk))
    return alpha


def test_session_10_ranking(printed):
    out = printed("learn/session_10_example.py")
    assert_allclose(out["softmax of the scores"], [0.5, 0.25, 0.25], atol=ROUNDED)
    # -(2 log 1/2 + 1 log 1/4) = 4 log 2; the pair leads by log 2, short of the margin 1.
    assert_allclose(out["ranking softmax"], 4 * math.log(2), atol=ROUNDED)
    assert_allclose(out["margin ranking, item 1 over item 2, margin 1"], 1 - math.log(2), atol=ROUNDED)


def test_session_10_distances_and_contrast(printed):
    out = printed("learn/session_10_example.py")
    assert_allclose(out["triplet margin, margin 1"], 5 - 5.5 + 1, atol=ROUNDED)  # a 3-4-5 triangle
    assert_allclose(out["cosine embedding, y = -1, margin 0"], math.cos(math.pi / 4), atol=ROUNDED)
    # Cosines 1, 0, -1 over the temperature 0.5: logits 2, 0, -2 with the positive first.
    assert_allclose(out["info_nce"], math.log(1 + math.exp(-2) + math.exp(-4)), atol=ROUNDED)


def test_session_10_dice_per_image_and_over_the_batch(printed):
    out = printed("learn/session_10_example.py")
    assert_allclose(out["dice per image, smooth 0"], [0.0, 1.0], atol=ROUNDED)
    assert_allclose(out["dice, mean over the images"], 0.5, atol=ROUNDED)
    # One mask of 8 pixels: I = 4, Y = 5, P = 4.
    assert_allclose(out["dice of the batch as one mask (Keras's default axis)"], 1 - 2 * 4 / (5 + 4), atol=ROUNDED)


def test_session_10_boxes(printed):
    out = printed("learn/session_10_example.py")
    # Disjoint 2x2 boxes: I = 0, U = 8, the enclosing box 5x2; centres 3 apart, diagonal^2 = 29.
    assert_allclose(out["giou"], 1 + (10 - 8) / 10, atol=ROUNDED)
    assert_allclose(out["diou"], 1 + 9 / 29, atol=ROUNDED)
    assert_allclose(out["ciou"], out["diou"])  # equal aspect ratios: v = 0


def test_session_10_derivations(printed):
    out = printed("learn/session_10_derivation.py")
    a, p, n = np.array([0.0, 0.0]), np.array([3.0, 4.0]), np.array([0.0, 5.5])
    u_p, u_n = (a - p) / 5.0, (a - n) / 5.5  # the unit vectors of the two differences
    assert_allclose(out["triplet gradient in the anchor"], u_p - u_n, atol=ROUNDED)
    assert_allclose(out["triplet gradient in the positive"], -u_p, atol=ROUNDED)
    assert_allclose(out["triplet gradient in the negative"], u_n, atol=ROUNDED)
    # L = 1 - N/S, N = 2I + s, S = Y + P + s; dL/dp_j = (N - 2 y_j S) / S^2.
    y, q, s = np.array([1.0, 0.0]), np.array([0.5, 0.5]), 1.0
    big_n, big_s = 2 * (y @ q) + s, y.sum() + q.sum() + s
    assert_allclose(out["dice"], 1 - big_n / big_s, atol=ROUNDED)
    assert_allclose(out["dice gradient"], (big_n - 2 * y * big_s) / big_s**2, atol=ROUNDED)
