import numpy as np
import lossref as lr

r = np.array([0.5, 1.0, 5.0, 20.0])  # residuals y_pred - y
y = np.zeros_like(r)

h = lr.log_cosh.hess(y, r, reduction="none")
print("second derivative:", h)
print("1 / cosh(r)^2:", 1 / np.cosh(r) ** 2)
print("1 - tanh(r)^2, as written:", 1 - np.tanh(r) ** 2)  # cancels to 0 once tanh(r) rounds to 1

# The Newton step -g / h = -tanh(r) cosh(r)^2 = -sinh(2r) / 2 grows like e^{2|r|}
g = lr.log_cosh.grad(y, r, reduction="none")
print("Newton step:", -g / h)
