import numpy as np
import lossref as lr

# Three pairs of scores: y = +1 says x1 should rank above x2, y = -1 says x2 should
y = np.array([1, 1, -1])
x1 = np.array([2.0, 0.4, 1.2])
x2 = np.array([1.0, 0.6, 1.5])

print("signed differences y*(x1 - x2):", y * (x1 - x2))
print("losses, margin 0.5:", lr.margin_ranking(y, x1, x2, margin=0.5, reduction="none"))
g1, g2 = lr.margin_ranking.grad(y, x1, x2, margin=0.5, reduction="none")
print("gradient in x1:", g1)  # -y where the pair is inside the margin, 0 elsewhere
print("gradient in x2:", g2)  # always minus the gradient in x1

# All scores equal: free with PyTorch's default margin 0, not with a positive margin
zeros = np.zeros(3)
print("equal scores, margin 0:", lr.margin_ranking(y, zeros, zeros))
print("equal scores, margin 0.5:", lr.margin_ranking(y, zeros, zeros, margin=0.5))
