import numpy as np
import lossref as lr

y = np.array([1.0, 2.0, 2.5, 3.0, 11.5])
c = 0.0  # one constant prediction, as a single leaf of a boosted tree would hold
pred = np.full_like(y, c)

g = lr.mae.grad(y, pred, reduction="none")  # sign(c - y): -1 for every example here
h = lr.mae.hess(y, pred, reduction="none")  # 0: the absolute error has no curvature
print("gradient:", g)
print("second derivative:", h)
print("sum of second derivatives:", h.sum())  # a Newton step -sum(g) / sum(h) divides by 0

# What boosting libraries do instead: a constant second derivative of 1 to grow the tree ...
print("step with a second derivative of 1:", -g.sum() / len(y))
# ... then each leaf's value is set to the median of its residuals y - c
print("leaf value after the median update:", np.median(y - c))

# The same holds for the quantile loss: its second derivative is 0 too, and the update is the tau-quantile
print("quantile second derivative:", lr.quantile.hess(y, pred, tau=0.9, reduction="none"))
