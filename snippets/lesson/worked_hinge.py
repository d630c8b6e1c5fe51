import numpy as np
import lossref as lr

y = np.array([1, 1, -1])  # labels in {-1, +1}
s = np.array([2.0, 0.2, 0.3])  # scores

losses = lr.hinge(y, s, reduction="none")
# with reduction="none" the gradient is that of the sum: one subgradient per example
subgrad = lr.hinge.grad(y, s, reduction="none")

print("margin y*s:", ", ".join(f"{v:.1f}" for v in y * s))
print("1 - y*s:", ", ".join(f"{v:.1f}" for v in 1 - y * s))
print("loss:", ", ".join(f"{v:.1f}" for v in losses))
print("subgradient:", ", ".join(f"{v:+.0f}" for v in subgrad))
