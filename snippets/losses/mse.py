import numpy as np
import lossref as lr

y = np.array([2.0, 3.0, 0.5, 1.0])
y_pred = np.array([1.0, 2.0, 1.5, 4.0])  # residuals y_pred - y: -1, -1, 1, 3

print("per example:", lr.mse(y, y_pred, reduction="none"))
print("mean:", lr.mse(y, y_pred))
print("mean, half=True:", lr.mse(y, y_pred, half=True))
print("gradient:", lr.mse.grad(y, y_pred))  # 2 (y_pred - y) / n
print("gradient, half=True:", lr.mse.grad(y, y_pred, half=True))  # (y_pred - y) / n
