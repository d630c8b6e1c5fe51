from itertools import combinations

import numpy as np
import lossref as lr

x = np.array([1.0, 2.0, 3.0, 4.0])
y = np.array([2.0, 3.0, 5.0, 8.0])
sw = np.array([1.0, 1.0, 1.0, 5.0])  # sample weights
w, n, m = 1.0, 4, 2
batches = [list(b) for b in combinations(range(n), m)]  # all 6 batches, each equally likely


def grad_w(idx, **kw):
    return np.sum(lr.mse.grad(y[idx], w * x[idx], half=True, **kw) * x[idx])


print("full weighted gradient:", grad_w(np.arange(n), sample_weight=sw))
ratio = [grad_w(b, sample_weight=sw[b]) for b in batches]  # sum(w l) / sum(w) within the batch
print("expected batch weighted mean:", np.mean(ratio))
fixed = [grad_w(b, sample_weight=sw[b], reduction="sum") * n / (m * sw.sum()) for b in batches]
print("expected batch sum * n / (m * total weight):", np.mean(fixed))
print("expected batch gradient, reduction='sum':", np.mean([grad_w(b, reduction="sum") for b in batches]))
print("full gradient, reduction='mean':", grad_w(np.arange(n)))
