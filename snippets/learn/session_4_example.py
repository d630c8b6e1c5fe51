import numpy as np
import lossref as lr

y = np.array([1.0, 0.0, 0.0])
z = np.array([-1.0, 3.0, 800.0])  # the third example: confident, and wrong

with np.errstate(divide="ignore"):
    p = 1.0 / (1.0 + np.exp(-z))  # sigmoid(800) is exactly 1.0 in float64
    naive = -(y * np.log(p) + (1 - y) * np.log(1 - p))
print("naive losses:", naive)  # log(1 - 1) = -inf
with np.printoptions(precision=4):
    print("losses:", lr.bce_with_logits(y, z, reduction="none"))  # y softplus(-z) + (1 - y) softplus(z)
    print(f"mean loss: {lr.bce_with_logits(y, z):.4f}")
    print("gradient of the mean:", lr.bce_with_logits.grad(y, z))  # (sigmoid(z) - y) / n
