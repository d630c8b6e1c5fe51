import numpy as np
import lossref as lr

y = np.array([[0.7, 0.3, 0.0]])  # a target row with a zero: 0 log 0 counts as 0
z = np.array([[1.0, 0.0, -1.0]])
kl = lr.kl_divergence(y, z)
ce = lr.cross_entropy(y, z)
nonzero = y[y > 0]
print("KL:", kl)
print("cross-entropy:", ce)
print("CE - KL:", ce - kl)
print("entropy of y:", -np.sum(nonzero * np.log(nonzero)))
print("gradient, KL:", lr.kl_divergence.grad(y, z)[0])
print("gradient, CE:", lr.cross_entropy.grad(y, z)[0])
