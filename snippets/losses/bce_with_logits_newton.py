import numpy as np
import lossref as lr


def logistic_objective(logits, y):
    """Per-example gradient and second derivative in the logit: what a custom boosting objective returns."""
    grad = lr.bce_with_logits.grad(y, logits, reduction="none")  # sigma(z) - y
    hess = lr.bce_with_logits.hess(y, logits, reduction="none")  # sigma(z) (1 - sigma(z))
    return grad, hess


y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
start = np.zeros_like(y)  # every example starts at logit 0
g, h = logistic_objective(start, y)
print("gradient:", g)
print("second derivative:", h)
# One leaf holding all six examples: the regularised Newton step -sum(g) / (sum(h) + lambda), lambda = 1
print("leaf value, lambda = 1:", -g.sum() / (h.sum() + 1.0))

# Newton's method on one shared logit c: each step is c - sum(g) / sum(h)
c = 0.0
for step in range(1, 6):
    g, h = logistic_objective(np.full_like(y, c), y)
    c -= g.sum() / h.sum()
    print(f"Newton step {step}: {c:.15f}")
print("log-odds of the mean label:", np.log(y.mean() / (1 - y.mean())))

# Far out the curvature is a tail e^{-|z|}: kept by lossref, lost when sigma(z) rounds to 1
z = np.array([40.0])
print("second derivative at z = 40:", lr.bce_with_logits.hess(np.ones(1), z, reduction="none"))
sig = 1 / (1 + np.exp(-z))
print("sigma (1 - sigma) written out at z = 40:", sig * (1 - sig))
