import numpy as np
import lossref as lr

X = np.array([[1.0, 0.5], [1.0, -1.5], [1.0, 2.0], [1.0, -0.5]])  # first column: the bias
y = np.array([1.0, 0.0, 1.0, 1.0])
theta = np.array([0.2, -0.4])
z = X @ theta  # logits

p = 1 / (1 + np.exp(-z))
print("p - y:", (p - y).round(4))
signal = lr.bce_with_logits.grad(y, z)  # (p - y) / n
print("error signal dR/dz:", signal.round(4))
grad_theta = X.T @ signal  # chain rule: dz_i / dtheta = x_i
print("gradient in theta:", grad_theta.round(6))

h = 1e-6
numeric = [(lr.bce_with_logits(y, X @ (theta + h * e)) - lr.bce_with_logits(y, X @ (theta - h * e))) / (2 * h)
           for e in np.eye(2)]
print("finite differences:", np.round(numeric, 6))
