import numpy as np
import lossref as lr

y = np.array([1, 0])  # true class of each row
z = np.array([[1000.0, 0.0, -1000.0],  # exp(1000) overflows
              [-1000.0, -1000.0, -1000.0]])  # every exp(-1000) underflows to 0
rows = np.arange(len(y))

with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
    softmax = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)  # inf / inf and 0 / 0: nan
    naive = -np.log(softmax[rows, y])
print("naive:", naive)

# Log-sum-exp: shift by the row maximum a, so every exponent is <= 0 and one of them is 0.
a = z.max(axis=1, keepdims=True)
log_softmax = z - (a + np.log(np.exp(z - a).sum(axis=1, keepdims=True)))
print("log-sum-exp by hand:", -log_softmax[rows, y])
print("lossref:", lr.cross_entropy(y, z, reduction="none"))
