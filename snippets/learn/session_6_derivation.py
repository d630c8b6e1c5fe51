import numpy as np
import lossref as lr

# phi(m) = L(+1, m): the test for convex margin losses reads phi'(0)
h = 1e-6
pos = np.ones(1)
for name in ["hinge", "logistic", "squared_hinge"]:
    loss = lr.get(name)
    slope = (loss(pos, np.array([h])) - loss(pos, np.array([-h]))) / (2 * h)
    print(f"{name} phi'(0): {slope:.4f}")


def perceptron(m):  # max(0, -m): a kink at m = 0
    return np.maximum(0.0, -m)


print(f"max(0, -m), slope left and right of 0: {(perceptron(0.0) - perceptron(-h)) / h:.4f} "
      f"{(perceptron(h) - perceptron(0.0)) / h:.4f}")

# The mean hinge of a linear model s = w^T x over three examples: the subgradient in w
X = np.array([[1.0, 2.0], [-1.0, 0.5], [2.0, -1.0]])
y = np.array([1.0, -1.0, 1.0])
w = np.array([0.5, -0.5])
s = X @ w
print("margins y*s:", y * s)
print("subgradient in the scores:", lr.hinge.grad(y, s).round(4))  # -y_i / n inside the margin, else 0
print("subgradient in w:", (X.T @ lr.hinge.grad(y, s)).round(4))  # chain rule: ds_i/dw = x_i
