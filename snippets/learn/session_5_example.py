import numpy as np
import lossref as lr

z = np.array([[1002.0, 1000.0, 999.0]])  # one example, three classes
label = np.array([1])  # class 2 counted from 1 is label 1 counted from 0

with np.errstate(over="ignore"):
    print("naive log-sum-exp:", np.log(np.exp(z).sum()))  # e^1002 overflows to inf
a = z.max()
lse = a + np.log(np.exp(z - a).sum())  # shift by the maximum: every exponent is <= 0
print(f"log-sum-exp: {lse:.4f}")
with np.printoptions(precision=4):  # four decimals, as on the page
    print("-log p:", (lse - z)[0])
print(f"loss: {lr.cross_entropy(label, z):.4f}")
with np.printoptions(precision=4):
    print("gradient:", lr.cross_entropy.grad(label, z)[0])  # softmax(z) - onehot
print(f"loss, label_smoothing=0.1: {lr.cross_entropy(label, z, label_smoothing=0.1):.4f}")
