import numpy as np
import lossref as lr

y = np.array([1, -1, -1])
s = np.array([1.2, -0.4, 2.0])

losses = lr.hinge(y, s, reduction="none")
subgrad = lr.hinge.grad(y, s, reduction="none")  # per-example subgradients
active = np.flatnonzero(subgrad) + 1  # counted from 1, as in the problem

print("1 - y*s:", ", ".join(f"{v:.1f}" for v in 1 - y * s))
print("loss:", ", ".join(f"{v:.1f}" for v in losses))
print("subgradient:", ", ".join(f"{v:+.0f}" for v in subgrad))
print("points with a non-zero subgradient:", ", ".join(str(i) for i in active))
