import numpy as np
import lossref as lr

# The same three examples as in the hinge section
y = np.array([1, 1, -1])
s = np.array([2.0, 0.2, 0.3])

print("1 - y*s:", 1 - y * s)
print("losses:", lr.squared_hinge(y, s, reduction="none"))
g = lr.squared_hinge.grad(y, s, reduction="none")  # -2y * max(0, 1 - y*s)
print("gradients:", g + 0.0)  # + 0.0 prints -0.0 as 0.0
print("hinge gradients:", lr.hinge.grad(y, s, reduction="none"))
