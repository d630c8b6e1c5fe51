import numpy as np
import lossref as lr

rng = np.random.default_rng(0)
K = 4
z = rng.normal(scale=2.0, size=(3, K))  # three predictions
p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)

# sum over the K possible labels of L(f(x), k), for each prediction
ce_sums = sum(lr.cross_entropy(np.full(3, k), z, reduction="none") for k in range(K))
mae_sums = sum(np.abs(np.eye(K)[k] - p).sum(axis=1) for k in range(K))
gce_sums = sum((1 - p[:, k] ** 0.7) / 0.7 for k in range(K))
print("sum_k CE:", ce_sums.round(4))
print("sum_k MAE:", mae_sums.round(4))
print("sum_k GCE (q = 0.7):", gce_sums.round(4))

# Symmetric noise at rate eta: the noisy risk of a symmetric loss is an increasing affine
# function of the clean risk, (1 - eta K / (K - 1)) R + eta C / (K - 1), with C = 2 (K - 1) for MAE.
eta, y = 0.3, np.array([0, 2, 1])
mae = np.abs(np.eye(K)[y] - p).sum(axis=1)
noisy = (1 - eta) * mae + eta / (K - 1) * np.array(
    [sum(np.abs(np.eye(K)[k] - p[i]).sum() for k in range(K) if k != y[i]) for i in range(3)])
print("expected MAE under noise:", noisy.round(4))
print("(1 - eta K/(K-1)) MAE + eta C/(K-1):", ((1 - eta * K / (K - 1)) * mae + eta * 2).round(4))
