import numpy as np
import lossref as lr

y = np.array([2.0, 3.0, 0.5, 1.0])
y_pred = np.array([1.5, 3.2, 1.5, 4.0])  # residuals y_pred - y: -0.5, 0.2, 1, 3

print("per example, beta=1:", lr.smooth_l1(y, y_pred, reduction="none"))
print("per example, beta=2:", lr.smooth_l1(y, y_pred, beta=2, reduction="none"))
# With reduction="sum" the gradient holds each example's derivative:
# residual / beta, clipped to [-1, 1]
print("derivative, beta=1:", lr.smooth_l1.grad(y, y_pred, reduction="sum"))
grad_2 = lr.smooth_l1.grad(y, y_pred, beta=2, reduction="sum")
print("derivative, beta=2:", grad_2)
# beta=0: the absolute error
print("per example, beta=0:", lr.smooth_l1(y, y_pred, beta=0, reduction="none"))
