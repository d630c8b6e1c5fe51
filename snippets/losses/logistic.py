import numpy as np
import lossref as lr

# The three examples of the hinge page
y = np.array([1, 1, -1])
s = np.array([2.0, 0.2, 0.3])

print("margins y*s:", y * s)
print("losses:", lr.logistic(y, s, reduction="none"))
print("gradients:", lr.logistic.grad(y, s, reduction="none"))  # -y * sigma(-y*s)
print("hinge losses:", lr.hinge(y, s, reduction="none"))
print("hinge gradients:", lr.hinge.grad(y, s, reduction="none"))
