import numpy as np
import lossref as lr

y = np.array([1.0, 1.0, 1.0, 1.0])
y_pred = np.array([-1.0, 0.5, 1.0, 2.5])  # residuals -2, -0.5, 0, 1.5

# reduction="none": one value per example, and the derivative of each example's loss
print("residual:", ", ".join(f"{v:g}" for v in y_pred - y))
print("half MSE:", ", ".join(f"{v:g}" for v in lr.mse(y, y_pred, half=True, reduction="none")))
print("half MSE derivative:", ", ".join(f"{v:g}" for v in lr.mse.grad(y, y_pred, half=True, reduction="none")))
print("MAE:", ", ".join(f"{v:g}" for v in lr.mae(y, y_pred, reduction="none")))
# at a zero residual lossref returns 0, one element of the subdifferential [-1, 1]
print("MAE subgradient:", ", ".join(f"{v:g}" for v in lr.mae.grad(y, y_pred, reduction="none")))
