import numpy as np
import lossref as lr

# Binary: labels in {-1, +1}, one score each; the sign of the score is the decision
y = np.array([1, -1, 1, -1])
s = np.array([0.5, 0.2, -3.0, 0.0])  # the last score is exactly 0
print("binary errors:", lr.zero_one(y, s, reduction="none"))
print("error rate:", lr.zero_one(y, s))
print("number of errors:", lr.zero_one(y, s, reduction="sum"))

# Multiclass: integer labels, one row of scores each; the argmax is the decision
labels = np.array([0, 2, 1])
scores = np.array([[2.0, 1.0, 0.0],
                   [0.5, 0.3, 0.1],
                   [1.0, 1.0, -1.0]])  # a tie: the first maximum, class 0, is the decision
print("multiclass errors:", lr.zero_one(labels, scores, reduction="none"))
print("accuracy:", round(1 - lr.zero_one(labels, scores), 6))
