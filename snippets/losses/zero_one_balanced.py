import numpy as np
import lossref as lr

# 8 negatives, 2 positives, and a classifier that always answers -1
y = np.array([-1] * 8 + [1] * 2)
s = np.full(10, -1.0)

print("error rate:", lr.zero_one(y, s))
print("error on negatives:", lr.zero_one(y[y == -1], s[y == -1]))
print("error on positives:", lr.zero_one(y[y == 1], s[y == 1]))

# class_weight = (w_neg, w_pos) = 1 / class count: the mean of the two per-class errors
print("balanced error:", lr.zero_one(y, s, class_weight=(1 / 8, 1 / 2)))
# A missed positive costing 5 times a false alarm
print("cost-weighted error, (1, 5):", lr.zero_one(y, s, class_weight=(1.0, 5.0)))
