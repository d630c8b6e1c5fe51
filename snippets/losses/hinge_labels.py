import numpy as np
import lossref as lr

y01 = np.array([1, 0, 0, 1])  # labels stored as {0, 1}
s = np.array([0.8, -2.0, 0.5, 1.5])

try:
    lr.hinge(y01, s)
except ValueError as err:
    print("error:", err)

y = 2 * y01 - 1  # 0 -> -1, 1 -> +1
print("converted labels:", y)
print("losses:", lr.hinge(y, s, reduction="none"))
# The formula with y = 0 charges every negative 1, whatever its score, and gives it no gradient
print("formula with the 0/1 labels:", np.maximum(0, 1 - y01 * s))
