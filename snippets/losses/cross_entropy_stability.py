import numpy as np
import lossref as lr

z = np.array([[1000.0, 0.0, -1000.0]])
y = np.array([1])
with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
    naive = np.exp(z) / np.exp(z).sum()  # exp(1000) overflows: inf / inf is nan
    print("naive softmax:", naive[0])
    print("naive loss:", -np.log(naive[0, 1]))
print("lossref loss:", lr.cross_entropy(y, z))
print("lossref gradient:", lr.cross_entropy.grad(y, z)[0])
