import numpy as np
import lossref as lr

z = np.array([2.0, -1.0, 4.0, -3.0])  # held-out logits of a binary classifier
y = np.array([1.0, 1.0, 1.0, 0.0])  # the second example is a confident-ish mistake


def slope(beta):
    """L'(beta) for L(beta) = mean bce_with_logits(y, beta z): lossref's dL/du at u = beta z, times z."""
    return np.sum(lr.bce_with_logits.grad(y, beta * z) * z)


def curvature(beta):
    """L''(beta) = mean sigma(beta z) (1 - sigma(beta z)) z^2."""
    s = 1 / (1 + np.exp(-beta * z))
    return np.mean(s * (1 - s) * z**2)


print("sigma(z):", 1 / (1 + np.exp(-z)))
print("L'(1):", slope(1.0))
print("L''(1):", curvature(1.0))
beta = 1.0 - slope(1.0) / curvature(1.0)  # one Newton step from T = 1
print("beta after one step:", beta)
print("T after one step:", 1 / beta)
print("NLL at T = 1:", lr.bce_with_logits(y, z))
print("NLL after one step:", lr.bce_with_logits(y, beta * z))
for _ in range(10):  # more steps: Newton converges quickly from here
    beta -= slope(beta) / curvature(beta)
print("T at the minimum:", 1 / beta)
print("NLL at the minimum:", lr.bce_with_logits(y, beta * z))
