import numpy as np
import lossref as lr

gamma = 0.5
y = np.array([1.0, 1.0])
z = np.array([2.0, 40.0])  # sigmoid(40) rounds to exactly 1.0 in float64
p = 1 / (1 + np.exp(-z))
q = 1 - p  # probability of the wrong answer: 0.0 at z = 40
ce = np.logaddexp(0, -z)  # -log p, computed stably
# The chain rule through q**gamma, as autograd applies it, needs q**(gamma - 1): inf at q = 0.
with np.errstate(divide="ignore", invalid="ignore"):
    naive = gamma * q ** (gamma - 1) * (-p * (1 - p)) * ce + q**gamma * (p - y)
print("naive gradient:", naive)
print("lossref gradient:", lr.focal.grad(y, z, reduction="none", gamma=gamma))
