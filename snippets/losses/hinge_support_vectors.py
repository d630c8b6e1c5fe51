import numpy as np
import lossref as lr

# A linear model s = X @ w on five points
X = np.array([[2.0, 1.0], [1.0, -1.0], [-1.0, -2.0], [0.5, 0.5], [-1.5, 0.5]])
y = np.array([1, 1, -1, -1, -1])
w = np.array([1.0, 0.5])
s = X @ w

g = lr.hinge.grad(y, s, reduction="sum")  # dL/ds_i of the summed loss
print("margins y*s:", y * s)
print("dL/ds:", g)
print("gradient in w, all points:", X.T @ g)  # chain rule: ds_i/dw = x_i

# Keep only the points with y*s < 1: the gradient in w does not change
inside = y * s < 1
g_inside = lr.hinge.grad(y[inside], s[inside], reduction="sum")
print("gradient in w, violators only:", X[inside].T @ g_inside)
