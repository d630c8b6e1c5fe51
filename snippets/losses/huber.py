import numpy as np
import lossref as lr

y = np.array([2.0, 3.0, 0.5, 1.0])
y_pred = np.array([1.5, 3.2, 1.5, 4.0])  # residuals y_pred - y: -0.5, 0.2, 1, 3

print("per example, delta=1:", lr.huber(y, y_pred, reduction="none"))
print("mean, delta=1:", lr.huber(y, y_pred))
print("per example, delta=2:", lr.huber(y, y_pred, delta=2, reduction="none"))
# With reduction="sum" the gradient holds each example's derivative:
# the residual, clipped to [-delta, delta]
print("derivative, delta=1:", lr.huber.grad(y, y_pred, reduction="sum"))
print("derivative, delta=2:", lr.huber.grad(y, y_pred, delta=2, reduction="sum"))
print("gradient of the mean, delta=1:", lr.huber.grad(y, y_pred))
