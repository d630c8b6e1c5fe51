import numpy as np
import lossref as lr

y = np.array([1.0])
s = np.array([1.0])  # exactly on the margin: y*s = 1
h = 1e-6

# One-sided difference quotients: the slopes of the two linear pieces
print("slope from the left:", round((lr.hinge(y, s) - lr.hinge(y, s - h)) / h, 6))
print("slope from the right:", round((lr.hinge(y, s + h) - lr.hinge(y, s)) / h, 6))
print("lossref's subgradient:", lr.hinge.grad(y, s))
