import numpy as np
import lossref as lr

y = np.array([2.0, 3.0, 0.5, 1.0])
y_pred = np.array([1.0, 2.0, 1.5, 4.0])  # residuals y_pred - y: -1, -1, 1, 3

print("per example:", lr.mae(y, y_pred, reduction="none"))
print("mean:", lr.mae(y, y_pred))
print("gradient:", lr.mae.grad(y, y_pred))  # sign(y_pred - y) / n
print("MSE gradient, for comparison:", lr.mse.grad(y, y_pred))

# An exact prediction: the subgradient lossref returns there is 0
y_pred[1] = 3.0
print("gradient, second example exact:", lr.mae.grad(y, y_pred))
