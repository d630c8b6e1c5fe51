import numpy as np
import lossref as lr

# The lesson's worked example 2, on the probability: y = 1, logit z = -1.
y = np.array([1.0])
z = np.array([-1.0])
p = 1 / (1 + np.exp(-z))  # sigmoid: the predicted probability of class 1

loss = lr.bce(y, p)
dL_dp = lr.bce.grad(y, p)  # (p - y) / (p (1 - p)), which is -1/p for y = 1
dp_dz = p * (1 - p)  # derivative of the sigmoid
print(f"p: {p[0]:.4f}")
print(f"loss: {loss:.3f}")
print(f"dL/dp: {dL_dp[0]:.4f}")
print(f"dp/dz: {dp_dz[0]:.4f}")
print(f"dL/dz = dL/dp * dp/dz: {(dL_dp * dp_dz)[0]:.4f}")
