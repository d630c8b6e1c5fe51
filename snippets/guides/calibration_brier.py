import numpy as np
import lossref as lr

rng = np.random.default_rng(0)  # the over-confident model of the reliability diagram
n = 20000
true_logit = rng.normal(0.0, 1.5, n)
y = (rng.random(n) < 1 / (1 + np.exp(-true_logit))).astype(float)
p = 1 / (1 + np.exp(-2.5 * true_logit))

# The binned forecast: every prediction replaced by the mean prediction of its bin.
k = np.minimum((p * 10).astype(int), 9)
count = np.bincount(k, minlength=10)
f = (np.bincount(k, p, 10) / count)[k]
observed = (np.bincount(k, y, 10) / count)[k]  # each example's bin frequency of y = 1
base = y.mean()

reliability = np.mean((f - observed) ** 2)  # sum_k (n_k / N) (f_k - o_k)^2
resolution = np.mean((observed - base) ** 2)  # sum_k (n_k / N) (o_k - o)^2
uncertainty = base * (1 - base)
print("reliability:", reliability.round(5))
print("resolution:", resolution.round(5))
print("uncertainty:", uncertainty.round(5))
print("REL - RES + UNC:", (reliability - resolution + uncertainty).round(5))
print("Brier score of the binned forecast (lr.mse):", lr.mse(y, f).round(5))
print("Brier score of the raw forecast (lr.mse):", lr.mse(y, p).round(5))
