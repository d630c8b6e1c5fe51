import numpy as np
import lossref as lr

try:
    lr.zero_one.grad([1, -1], [0.5, 0.2])
except TypeError as exc:
    print("zero_one.grad raises TypeError:", exc)

y = np.ones(3)
scores = np.array([0.999, 1.0, 1.001])  # margins just below, at, and just above the kink
print("hinge subgradient:", lr.hinge.grad(y, scores, reduction="none"))
residuals = scores - 1.0  # -0.001, 0, 0.001
print("mae subgradient:", lr.mae.grad(np.zeros(3), residuals, reduction="none"))

check = lr.check_grad(lr.hinge, [1.0], [1.0])  # finite differences straddle the kink
print("at the kink, finite difference:", check.numeric)
print("at the kink, lossref:", check.analytic)
