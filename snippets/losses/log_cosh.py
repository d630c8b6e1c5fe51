import numpy as np
import lossref as lr

y = np.array([2.0, 3.0, 0.5, 1.0])
y_pred = np.array([1.9, 4.0, 3.5, 11.0])
r = y_pred - y  # residuals: -0.1, 1, 3, 10

print("per example:", lr.log_cosh(y, y_pred, reduction="none"))
print("r^2 / 2:", r**2 / 2)  # close for small |r|
print("|r| - log 2:", np.abs(r) - np.log(2))  # close for large |r|
print("mean:", lr.log_cosh(y, y_pred))
# reduction="sum": each example's derivative, tanh(r)
print("derivative:", lr.log_cosh.grad(y, y_pred, reduction="sum"))
