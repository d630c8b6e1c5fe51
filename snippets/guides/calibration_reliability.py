import numpy as np
import lossref as lr

rng = np.random.default_rng(0)
n = 20000
true_logit = rng.normal(0.0, 1.5, n)  # log-odds of y = 1 given x
y = (rng.random(n) < 1 / (1 + np.exp(-true_logit))).astype(float)
logit = 2.5 * true_logit  # an over-confident model: the right ranking, logits 2.5 times too large
p = 1 / (1 + np.exp(-logit))


def reliability(y, p, n_bins=10):
    """Per equal-width bin of p: the count, the mean prediction and the observed frequency of y = 1."""
    k = np.minimum((p * n_bins).astype(int), n_bins - 1)  # bins [0, 0.1), ..., [0.9, 1]
    count = np.bincount(k, minlength=n_bins)
    seen = np.maximum(count, 1)  # empty bins report 0 / 1
    return count, np.bincount(k, p, n_bins) / seen, np.bincount(k, y, n_bins) / seen


def ece(y, p, n_bins=10):
    """sum_k (n_k / N) |observed_k - predicted_k|."""
    count, predicted, observed = reliability(y, p, n_bins)
    return np.sum(count * np.abs(observed - predicted)) / len(p)


count, predicted, observed = reliability(y, p)
print("count per bin:", count)
print("mean prediction per bin:", predicted.round(3))
print("observed frequency per bin:", observed.round(3))
print("ECE, 10 bins:", ece(y, p).round(4))
for n_bins in (5, 20, 50):
    print(f"ECE, {n_bins} bins:", ece(y, p, n_bins).round(4))
print("ECE of the true probabilities:", ece(y, 1 / (1 + np.exp(-true_logit))).round(4))
print("log loss, model:", lr.bce_with_logits(y, logit).round(4))
print("log loss, true probabilities:", lr.bce_with_logits(y, true_logit).round(4))
