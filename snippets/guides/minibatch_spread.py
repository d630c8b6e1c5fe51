import numpy as np
import lossref as lr

rng = np.random.default_rng(0)
n = 1024
x = rng.normal(size=n)
y = 3 * x + rng.normal(size=n)
w = 1.0

sizes = np.array([1, 4, 16, 64])
spread = []
for m in sizes:
    # 16 m epochs, each a fresh shuffle cut into n/m batches: 16384 batches of m distinct examples
    batches = np.concatenate([rng.permutation(n).reshape(-1, m) for _ in range(16 * m)])
    signal = lr.mse.grad(y[batches], w * x[batches], reduction="sum", half=True) / m
    spread.append(np.std(np.sum(signal * x[batches], axis=1)))  # one gradient in w per batch
spread = np.array(spread)
print("batch size m:", sizes)
print("std of the mini-batch gradient:", spread.round(4))
print("std * sqrt(m):", (spread * np.sqrt(sizes)).round(4))  # roughly constant
