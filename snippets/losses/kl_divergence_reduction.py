import numpy as np
import lossref as lr

y = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
z = np.array([[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
n, C = z.shape
total = lr.kl_divergence(y, z, reduction="sum")
print("lossref mean:", lr.kl_divergence(y, z))
print("sum / n, torch 'batchmean':", total / n)
print("sum / (n C), torch 'mean':", total / (n * C))
