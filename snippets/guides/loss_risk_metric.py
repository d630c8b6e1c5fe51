import numpy as np
import lossref as lr

y = np.array([1, 1, -1, -1, 1])  # labels in {-1, +1}
scores_a = np.array([0.5, 2.0, -0.3, 0.4, -1.0])  # a first model's scores
scores_b = np.array([2.5, 3.0, -2.0, 0.1, -0.2])  # same signs, more confident where right

for name, s in [("A", scores_a), ("B", scores_b)]:
    print(f"{name} pointwise logistic loss:", lr.logistic(y, s, reduction="none").round(4))
    print(f"{name} risk (mean logistic loss):", round(float(lr.logistic(y, s)), 4))
    error_rate = lr.zero_one(y, s)  # the fraction with y * s <= 0
    print(f"{name} accuracy:", 1 - error_rate)
