import numpy as np

rng = np.random.default_rng(0)
n = 4096
y = (rng.random(n) < 0.1).astype(float)  # 10% positives
p = 1 / (1 + np.exp(-(rng.normal(size=n) + 3 * y - 2.5)))  # a model's probabilities


def soft_f1(y, p):
    # lossref has no soft F1 (soft Dice) loss yet: 2 sum(p y) / (sum p + sum y)
    return 2 * np.sum(p * y, axis=-1) / (np.sum(p, axis=-1) + np.sum(y, axis=-1))


print("soft F1 of the whole set:", round(soft_f1(y, p), 4))
for m in (8, 32, 128, 512):
    order = rng.permutation(n).reshape(-1, m)  # one epoch of batches of m
    batch_f1 = soft_f1(y[order], p[order])
    print(f"mean over batches of {m}:", round(batch_f1.mean(), 4))
