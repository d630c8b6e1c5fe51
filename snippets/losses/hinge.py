import numpy as np
import lossref as lr

# Three examples: labels in {-1, +1} and the model's raw scores s
y = np.array([1, 1, -1])
s = np.array([2.0, 0.2, 0.3])

print("margins y*s:", y * s)
print("losses:", lr.hinge(y, s, reduction="none"))
print("gradients:", lr.hinge.grad(y, s, reduction="none"))  # dL_i/ds_i, one per example
print("mean loss:", round(lr.hinge(y, s), 12))  # 0.7 up to rounding
print("gradient of the mean:", lr.hinge.grad(y, s))  # the per-example gradients divided by n = 3
