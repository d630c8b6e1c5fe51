import numpy as np
import lossref as lr

y = np.array([[1.0, 0.0],  # a zero in the target
              [0.9, 0.1]])
z = np.array([[2.0, 0.0],
              [0.0, -800.0]])  # class 1's probability is e^-800: below the smallest float64

with np.errstate(divide="ignore", invalid="ignore"):
    shifted = np.exp(z - z.max(axis=1, keepdims=True))  # max shift: no overflow
    softmax = shifted / shifted.sum(axis=1, keepdims=True)  # but e^-800 underflows to 0
    naive = np.sum(y * (np.log(y) - np.log(softmax)), axis=1)  # 0 * log 0 = nan; log 0 = -inf
print("naive:", naive)
print("lossref:", lr.kl_divergence(y, z, reduction="none"))
