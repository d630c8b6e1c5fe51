import numpy as np

rng = np.random.default_rng(1)


def ece(y, p, n_bins=10):
    """sum_k (n_k / N) |observed_k - predicted_k| over equal-width bins of p."""
    k = np.minimum((p * n_bins).astype(int), n_bins - 1)
    gap = np.bincount(k, y, n_bins) - np.bincount(k, p, n_bins)  # n_k (observed_k - predicted_k)
    return np.sum(np.abs(gap)) / len(p)


# A perfectly calibrated model: every y is drawn with exactly the predicted probability, so the
# population ECE is 0. Mean ECE over 500 test sets of each size:
for n in (100, 1000, 10000):
    for n_bins in (5, 10, 50):
        values = []
        for _ in range(500):
            p = rng.uniform(0.0, 1.0, n)
            y = (rng.random(n) < p).astype(float)
            values.append(ece(y, p, n_bins))
        print(f"n = {n}, {n_bins} bins:", np.mean(values).round(4))
