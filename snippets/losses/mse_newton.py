import numpy as np
import lossref as lr

y = np.array([1.0, 2.0, 2.5, 3.0, 11.5])
c = 0.0  # one constant prediction shared by every example
pred = np.full_like(y, c)

# The risk's derivatives in c are the sums over examples of the derivatives in each prediction
g = lr.mse.grad(y, pred).sum()
h = lr.mse.hess(y, pred).sum()
print("second derivative per example:", lr.mse.hess(y, pred, reduction="none"))
print("gradient and second derivative of the risk in c:", g, h)
print("one Newton step from 0:", c - g / h)
print("mean of y:", y.mean())
