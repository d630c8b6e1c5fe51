import numpy as np
import lossref as lr

# A certain and wrong prediction: probability 0 for a positive example.
y = np.array([1.0])
p = np.array([0.0])
with np.errstate(divide="ignore"):
    print("naive -log p:", -np.log(p))
print("float64:", lr.bce(y, p))  # p is clipped to eps = 2.2e-16 first
print("-log(eps), float64:", -np.log(np.finfo(np.float64).eps))
print("float32:", lr.bce(y.astype(np.float32), p.astype(np.float32)))  # eps = 1.2e-7
print("gradient:", lr.bce.grad(y, p))  # taken at the clipped p: -1/eps
