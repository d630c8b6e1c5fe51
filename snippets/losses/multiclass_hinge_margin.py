import numpy as np
import lossref as lr

scores = np.array([[3.0, 0.5, -1.0],
                   [2.0, 1.5, -1.0],
                   [0.5, 1.0, 0.8],
                   [0.2, 0.1, 0.0]])
y = np.array([0, 0, 1, 2])

for margin in (0.0, 1.0, 2.0):
    print(f"margin={margin}:", lr.multiclass_hinge(y, scores, reduction="none", margin=margin))
print("errors (zero_one):", lr.zero_one(y, scores, reduction="none"))

# Doubling the margin and the scores only doubles the loss
doubled = lr.multiclass_hinge(y, 2 * scores, reduction="none", margin=2.0)
print("margin=2.0 on 2 * scores, halved:", doubled / 2)
