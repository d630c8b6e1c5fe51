import numpy as np
import lossref as lr

y = np.array([2.0, 3.0, 0.5, 1.0])
y_pred = np.array([1.0, 2.0, 1.5, 4.0])
w = np.array([1.0, 1.0, 1.0, 2.0])  # the last example counts twice

print("pointwise losses:", lr.mse(y, y_pred, reduction="none"))
print("empirical risk (mean):", lr.mse(y, y_pred))
print("sum:", lr.mse(y, y_pred, reduction="sum"))
print("weighted risk:", lr.mse(y, y_pred, sample_weight=w))  # sum(w * l) / sum(w)
print("weighted, reduction='none':", lr.mse(y, y_pred, reduction="none", sample_weight=w))  # w * l
