import math

import numpy as np
import lossref as lr

delta = 1.345  # a common choice of threshold, for noise of unit scale
y_hat = 0.7
y = np.linspace(y_hat - 60, y_hat + 60, 400_001)
loss = lr.huber(y, np.full_like(y, y_hat), delta=delta, reduction="none")

# The density proportional to exp(-huber loss), normalised by integration
unnormalised = np.exp(-loss)
Z = np.trapezoid(unnormalised, y)
# In closed form: a normal core on [-delta, delta] and two exponential tails
Z_closed = math.sqrt(2 * math.pi) * math.erf(delta / math.sqrt(2)) + 2 * math.exp(-delta**2 / 2) / delta
print("normalising constant, integrated:", Z)
print("normalising constant, closed form:", Z_closed)

# -log density = loss + log Z
density = unnormalised / Z
print("-log density - loss, min and max:", np.min(-np.log(density) - loss), np.max(-np.log(density) - loss))
print("log Z:", math.log(Z_closed))

# Huber's least favourable density (1 - eps) / sqrt(2 pi) exp(-L): its normalisation ties eps to delta
eps = 1 - math.sqrt(2 * math.pi) / Z_closed
print("contamination eps for this delta:", eps)

# Efficiency of the Huber fit when the noise is in fact standard normal, (E psi')^2 / E psi^2, with
# psi = dL/dr (grad) and psi' = d^2L/dr^2 (hess) per example, on a finer grid: psi' jumps at |r| = delta
r = np.linspace(-12, 12, 2_400_001)
normal = np.exp(-(r**2) / 2) / math.sqrt(2 * math.pi)
psi = lr.huber.grad(np.zeros_like(r), r, delta=delta, reduction="none")
dpsi = lr.huber.hess(np.zeros_like(r), r, delta=delta, reduction="none")
print("efficiency at the normal:", np.trapezoid(dpsi * normal, r) ** 2 / np.trapezoid(psi**2 * normal, r))
