import numpy as np
import lossref as lr


def bregman(phi, dphi, y, p):
    """D_phi(y, p) = phi(y) - phi(p) - phi'(p) (y - p): phi(y) above the tangent to phi at p."""
    return phi(y) - phi(p) - dphi(p) * (y - p)


def xlogx(t):
    return np.where(t > 0, t * np.log(np.where(t > 0, t, 1.0)), 0.0)  # t log t, with 0 log 0 = 0


square = (lambda t: t**2, lambda t: 2 * t)
negentropy = (lambda t: xlogx(t) + xlogx(1 - t), lambda t: np.log(t) - np.log1p(-t))
poisson = (lambda t: xlogx(t) - t, np.log)

y = np.array([0.0, 0.3, 1.0, 0.8])
p = np.array([0.2, 0.5, 0.6, 0.9])
print("D, phi = t^2:", bregman(*square, y, p))
print("lr.mse:", lr.mse(y, p, reduction="none"))
print("D, phi = negative entropy:", bregman(*negentropy, y, p))
print("lr.bce minus the entropy of y:", lr.bce(y, p, reduction="none") + xlogx(y) + xlogx(1 - y))

counts = np.array([0.0, 1.0, 2.0, 5.0])
rate = np.array([0.5, 1.5, 2.0, 3.0])
d = bregman(*poisson, counts, rate)  # y log(y / rate) - y + rate: half the Poisson deviance
print("D, phi = t log t - t:", d)
print("poisson_nll(log_input=False) - D:", lr.poisson_nll(counts, rate, log_input=False, reduction="none") - d)
print("y - y log y:", counts - xlogx(counts))
print("poisson_nll(full=True) - D:", lr.poisson_nll(counts, np.log(rate), full=True, reduction="none") - d)
print("Poisson deviance, 2 mean D:", 2 * d.mean())

# The mean minimises the expected divergence E D(Y, p) whatever phi; with the arguments swapped it does not.
rng = np.random.default_rng(0)
sample = rng.gamma(2.0, 1.5, 300)
grid = np.linspace(0.05, 8.0, 7951)  # candidate predictions, step 0.001
Y, P = np.broadcast_arrays(sample, grid[:, None])  # one row per candidate
for name, phi in (("t^2", square), ("t log t - t", poisson)):
    print(f"argmin of mean D(y, p), phi = {name}:", grid[np.argmin(bregman(*phi, Y, P).mean(axis=1))].round(3))
print("sample mean:", sample.mean().round(3))
print("argmin of mean D(p, y), phi = t log t - t:", grid[np.argmin(bregman(*poisson, P, Y).mean(axis=1))].round(3))
print("geometric mean:", np.exp(np.log(sample).mean()).round(3))
