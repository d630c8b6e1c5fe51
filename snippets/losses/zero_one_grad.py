import numpy as np
import lossref as lr

y = np.array([1, -1, 1])
s = np.array([0.5, 0.2, -3.0])

try:
    lr.zero_one.grad(y, s)
except TypeError as err:
    print("error:", err)

# Nudging the scores changes no decision, so the error rate does not move
h = 1e-3
print("slope along +h:", (lr.zero_one(y, s + h) - lr.zero_one(y, s)) / h)
print("slope along -h:", (lr.zero_one(y, s - h) - lr.zero_one(y, s)) / h)
# A surrogate does give a direction: the hinge gradient of each example
print("hinge gradients:", lr.hinge.grad(y, s, reduction="none"))
