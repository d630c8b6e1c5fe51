"""Non-decomposable metrics guide: soft metrics and their gradients against finite differences,
the AUC against ranks, and the simulations' numbers recomputed here."""

import numpy as np
from numpy.testing import assert_allclose


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _fd(f, z, h=1e-6):
    return np.array([(f(z + h * e) - f(z - h * e)) / (2 * h) for e in np.eye(len(z))])


def test_soft_metrics_and_gradients(printed):
    out = printed("guides/nondecomposable_soft.py")
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])
    z = np.array([2.0, -1.0, 0.3, 0.8, -2.5, -0.4])
    dice = lambda v: 2 * np.sum(sigmoid(v) * y) / (np.sum(sigmoid(v)) + y.sum())  # noqa: E731
    iou = lambda v: np.sum(sigmoid(v) * y) / (np.sum(sigmoid(v)) + y.sum() - np.sum(sigmoid(v) * y))  # noqa: E731
    d = (sigmoid(z) > 0.5).astype(float)
    tp, fp, fn = (d * y).sum(), (d * (1 - y)).sum(), ((1 - d) * y).sum()
    assert_allclose(out["F1 at threshold 0.5"], 2 * tp / (2 * tp + fp + fn), atol=1e-4)
    assert_allclose(out["soft F1 = soft Dice"], dice(z), atol=1e-4)
    assert_allclose(out["soft IoU"], iou(z), atol=1e-4)
    assert_allclose(out["gradient of 1 - soft Dice in the logits"], _fd(lambda v: 1 - dice(v), z), atol=1e-4)
    assert_allclose(out["gradient of 1 - soft IoU in the logits"], _fd(lambda v: 1 - iou(v), z), atol=1e-4)
    bce = lambda v: np.sum(np.logaddexp(0, v) - y * v)  # noqa: E731  (n times the mean)
    assert_allclose(out["gradient of the mean BCE, times n"], _fd(bce, z), atol=1e-4)
    bce_grad, dice_grad = out["gradient of the mean BCE, times n"], out["gradient of 1 - soft Dice in the logits"]
    assert bce_grad[3] > 2 * bce_grad[1] and abs(dice_grad[3] - dice_grad[1]) < 0.1 * dice_grad[1]


def test_pairwise_auc(printed):
    out = printed("guides/nondecomposable_auc.py")
    y = np.array([1, 0, 1, 0, 0, 1, 0, 0])
    s = np.array([2.0, 0.5, 0.1, 0.1, -1.0, 1.2, 1.5, -0.4])
    # AUC by the rank-sum (Mann-Whitney) formula, ties given their mean rank.
    order = np.argsort(s, kind="stable")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    for v in np.unique(s):
        ranks[s == v] = ranks[s == v].mean()
    n_pos, n_neg = (y == 1).sum(), (y == 0).sum()
    auc = (ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    assert_allclose(out["pairs"], n_pos * n_neg)
    assert_allclose(out["AUC"], auc, atol=1e-4)
    d = (s[y == 1][:, None] - s[y == 0][None, :]).ravel()
    assert_allclose(out["pairwise logistic loss"], np.mean(np.log1p(np.exp(-d))), atol=1e-4)
    assert_allclose(out["pairwise hinge loss"], np.mean(np.maximum(0, 1 - d)), atol=1e-4)
    bound, gap = out["pairwise logistic / log 2 >= 1 - AUC"]
    assert bound >= gap

    def loss(v):
        dd = (v[y == 1][:, None] - v[y == 0][None, :]).ravel()
        return np.mean(np.log1p(np.exp(-dd)))

    grad = out["gradient of the pairwise logistic loss in the scores"]
    assert_allclose(grad, _fd(loss, s), atol=1e-4)
    assert np.argmax(grad) == 6  # the negative at 1.5 is pushed down hardest


def test_minibatch_bias(printed):
    out = printed("guides/nondecomposable_minibatch.py")
    rng = np.random.default_rng(0)
    n = 4096
    y = (rng.random(n) < 0.1).astype(float)
    p = sigmoid(rng.normal(size=n) + 3 * y - 2.5)
    full = 2 * np.sum(p * y) / (p.sum() + y.sum())
    assert_allclose(out["soft F1 of the whole set"], full, atol=1e-4)
    means = []
    for m in (8, 32, 128, 512):
        idx = rng.permutation(n).reshape(-1, m)
        yb, pb = y[idx], p[idx]
        batch = 2 * (pb * yb).sum(axis=1) / (pb.sum(axis=1) + yb.sum(axis=1))
        assert_allclose(out[f"mean over batches of {m}"], batch.mean(), atol=1e-4)
        means.append(batch.mean())
    assert all(a < b for a, b in zip(means, means[1:])) and means[-1] < full  # biased low, less so for larger batches


def _newton_logistic(X, y):
    w = np.zeros(X.shape[1])
    for _ in range(50):
        p = sigmoid(X @ w)
        w -= np.linalg.solve((X * (p * (1 - p))[:, None]).T @ X, X.T @ (p - y))
    return w


def _f1(y, decide):
    return 2 * np.sum(decide & (y == 1)) / (np.sum(decide) + np.sum(y == 1))


def test_threshold_route(printed):
    out = printed("guides/nondecomposable_threshold.py")
    rng = np.random.default_rng(0)
    data = []
    for n in (4000, 4000, 50_000):  # the snippet's draws, in its order
        x = rng.normal(size=(n, 2))
        q = sigmoid(-4 + 2 * x[:, 0] + x[:, 1])
        data.append((np.column_stack([np.ones(n), x]), (rng.random(n) < q).astype(float), q))
    (X, y, _), (X_val, y_val, _), (X_test, y_test, q_test) = data
    w = _newton_logistic(X, y)
    grid = np.linspace(0.02, 0.98, 97)
    t_val = grid[np.argmax([_f1(y_val, sigmoid(X_val @ w) > t) for t in grid])]
    assert_allclose(out["positives in training"], y.mean())
    assert_allclose(out["threshold tuned on validation"], t_val, atol=1e-9)
    assert_allclose(out["test F1, BCE at 0.5"], _f1(y_test, sigmoid(X_test @ w) > 0.5), atol=2e-3)
    assert_allclose(out["test F1, BCE at the tuned threshold"], _f1(y_test, sigmoid(X_test @ w) > t_val), atol=2e-3)
    f1_true = [_f1(y_test, q_test > t) for t in grid]
    assert_allclose(out["true probabilities, best F1 and its threshold"], [max(f1_true), grid[np.argmax(f1_true)]],
                    atol=1e-4)
    best_f1, best_t = out["true probabilities, best F1 and its threshold"]
    assert abs(best_t - best_f1 / 2) <= 0.011  # Lipton et al.: the optimal threshold is F1* / 2 (grid of 0.01)
    tuned = out["test F1, BCE at the tuned threshold"][0]
    assert tuned > out["test F1, BCE at 0.5"][0] + 0.1
    assert abs(tuned - best_f1) < 0.005 and abs(out["test F1, soft F1 at 0.5"][0] - tuned) < 0.003
    assert_allclose(out["threshold tuned on validation"], 0.28, atol=1e-9)


def test_soft_f1_plot_claims():
    """The page's plot (computed in the page): the soft F1 lies below the hard F1 around the hard
    F1's peak, and peaks at another shift."""
    rng = np.random.default_rng(3)
    y = (rng.random(400) < 0.2).astype(float)
    z = rng.normal(size=400) + 2.5 * y - 1.5
    b = np.linspace(-4, 4, 321)
    p = sigmoid(z[None, :] + b[:, None])
    soft = 2 * (p * y).sum(axis=1) / (p.sum(axis=1) + y.sum())
    hard = 2 * ((p > 0.5) * y).sum(axis=1) / ((p > 0.5).sum(axis=1) + y.sum())
    near = np.abs(b - b[np.argmax(hard)]) <= 1
    assert (soft[near] < hard[near]).all()
    assert b[np.argmax(soft)] != b[np.argmax(hard)]
    assert 0.15 < y.mean() < 0.25
