import numpy as np
import lossref as lr

y = np.array([1.0, 1.0, 0.0, 1.0])
z = np.array([-1000.0, 40.0, 40.0, 1000.0])  # logits

# The textbook formula: probability first, then its logarithm.
with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
    p = 1 / (1 + np.exp(-z))  # exp(1000) = inf gives p = 0; at z = 40, p rounds to 1.0
    naive = -(y * np.log(p) + (1 - y) * np.log(1 - p))  # log(0) = -inf, and 0 * -inf = nan
print("naive loss:", naive)
print("lossref loss:", lr.bce_with_logits(y, z, reduction="none"))

# The gradient sigma(z) - y, formed as a difference of two numbers close to 1:
print("naive gradient:", p - y)
print("lossref gradient:", lr.bce_with_logits.grad(y, z, reduction="none"))
