import numpy as np
import lossref as lr

y = np.zeros(4)
y_pred = np.array([0.5, 1.0, 2.0, 4.0])  # residuals that double each time

print("squared error:", lr.mse(y, y_pred, reduction="none"))
print("absolute error:", lr.mae(y, y_pred, reduction="none"))
print("share of the squared-error risk:", (lr.mse(y, y_pred, reduction="none") / lr.mse(y, y_pred, reduction="sum")).round(4))
print("share of the absolute-error risk:", (lr.mae(y, y_pred, reduction="none") / lr.mae(y, y_pred, reduction="sum")).round(4))
