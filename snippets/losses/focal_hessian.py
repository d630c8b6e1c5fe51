import numpy as np
import lossref as lr

gamma = 0.5
z = np.array([5.0, 20.0, 40.0], dtype=np.float32)  # confident, correct logits for y = 1
y = np.ones_like(z)

print("lossref, float32:", lr.focal.hess(y, z, gamma=gamma, reduction="none"))
# For y = 1 and large z both q = 1 - p and CE behave like e^{-z}, so L'' ~ (1 + gamma)^2 e^{-(1 + gamma) z}
print("(1 + gamma)^2 e^(-(1 + gamma) z):", (1 + gamma) ** 2 * np.exp(-(1 + gamma) * z.astype(np.float64)))

# The product rule written out for y = 1 (q = 1 - p, q' = -s, q'' = -s (1 - 2p), CE' = -q, CE'' = s),
# with q^(gamma - 2) and q^(gamma - 1) formed as they stand: q rounds to 0 in float32 for z = 20
with np.errstate(all="ignore"):
    p = 1 / (1 + np.exp(-z))
    q = 1 - p
    s = p * (1 - p)
    ce = -np.log(p)
    naive = (gamma * (gamma - 1) * q ** (gamma - 2) * s**2 * ce
             - gamma * q ** (gamma - 1) * s * (1 - 2 * p) * ce
             + 2 * gamma * q ** (gamma - 1) * s * q
             + q**gamma * s)
print("naive, float32:", naive)

# Not convex: for a confidently wrong prediction (y = 0, z = 5) the second derivative is negative
print("confidently wrong, y = 0, z = 5:", lr.focal.hess(np.zeros(1), np.array([5.0]), gamma=gamma, reduction="none"))
