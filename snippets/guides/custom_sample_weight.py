import numpy as np
import lossref as lr

y = np.array([1.0, 2.0, 3.0, 4.0])
y_pred = np.array([1.5, 2.0, 2.0, 6.0])
w = np.array([1.0, 1.0, 2.0, 0.0])  # the third example counts twice, the last not at all

print("per example, unweighted:", lr.mse(y, y_pred, reduction="none"))
print("weighted, none:", lr.mse(y, y_pred, reduction="none", sample_weight=w))  # w * l
print("weighted, sum:", lr.mse(y, y_pred, reduction="sum", sample_weight=w))  # sum(w l)
print("weighted, mean:", lr.mse(y, y_pred, sample_weight=w))  # sum(w l) / sum(w)

# A weight of 2 is the same as seeing the example twice; a weight of 0, as not seeing it.
print("duplicated instead:", lr.mse([1.0, 2.0, 3.0, 3.0], [1.5, 2.0, 2.0, 2.0]))
