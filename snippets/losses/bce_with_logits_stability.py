import numpy as np
import lossref as lr

y = np.array([1.0, 0.0, 1.0])
z = np.array([-50.0, 40.0, -10.0])  # two confident mistakes, one moderate
p = 1 / (1 + np.exp(-z))  # sigmoid(40) rounds to exactly 1.0
print("sigmoid(z):", p)
print("bce on sigmoid(z):", lr.bce(y, p, reduction="none"))
print("bce_with_logits:", lr.bce_with_logits(y, z, reduction="none"))
