import numpy as np
import lossref as lr

y = np.array([2.0, 3.0, 0.5, 1.0])
y_pred = np.array([1.0, 2.0, 1.5, 4.0])  # too low by 1, 1; too high by 1, 3

print("per example, tau=0.9:", lr.quantile(y, y_pred, tau=0.9, reduction="none"))
print("mean, tau=0.9:", lr.quantile(y, y_pred, tau=0.9))
# With reduction="sum" the gradient holds each example's derivative:
# -tau where the prediction is too low, 1 - tau where it is too high
grad = lr.quantile.grad(y, y_pred, tau=0.9, reduction="sum")
print("derivative, tau=0.9:", grad)
print("mean, tau=0.5:", lr.quantile(y, y_pred, tau=0.5))
print("MAE / 2:", lr.mae(y, y_pred) / 2)
