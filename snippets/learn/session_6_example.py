import numpy as np
import lossref as lr

# Three examples of a binary classifier: labels in {-1, +1} and raw scores s
y = np.array([1, -1, 1])
s = np.array([1.5, -0.6, -0.4])

print("margins y*s:", y * s)
print("hinge losses:", lr.hinge(y, s, reduction="none"))
# reduction="none": one derivative per example, dL_i/ds_i
print("hinge subgradients:", lr.hinge.grad(y, s, reduction="none") + 0.0)  # + 0.0 prints -0. as 0.
print("squared hinge gradients:", lr.squared_hinge.grad(y, s, reduction="none") + 0.0)
print("logistic losses:", lr.logistic(y, s, reduction="none"))

# One row of a three-class classifier; the true class is the first (label 0 in lossref)
scores = np.array([[1.2, 1.5, 0.6]])
label = np.array([0])
print("Crammer-Singer:", lr.multiclass_hinge(label, scores, reduction="none"))
print("Weston-Watkins:", lr.multiclass_hinge(label, scores, reduction="none", variant="weston_watkins"))
