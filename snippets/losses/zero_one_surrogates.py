import numpy as np
import lossref as lr

# The three examples of the hinge page: the third is on the wrong side
y = np.array([1, 1, -1])
s = np.array([2.0, 0.2, 0.3])

print("0-1 losses:", lr.zero_one(y, s, reduction="none"))
print("hinge losses:", lr.hinge(y, s, reduction="none"))
print("squared hinge losses:", lr.squared_hinge(y, s, reduction="none"))
print("logistic losses / log 2:", lr.logistic(y, s, reduction="none") / np.log(2))
print("error rate:", lr.zero_one(y, s))
print("mean hinge:", round(lr.hinge(y, s), 12))
