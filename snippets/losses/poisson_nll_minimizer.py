import numpy as np
import lossref as lr

y = np.array([0.0, 2.0, 1.0, 4.0, 0.0, 3.0, 1.0, 1.0])  # counts
candidates = np.linspace(-2.0, 2.0, 4001)  # constant log-rates, step 0.001

risk = [lr.poisson_nll(y, np.full_like(y, c)) for c in candidates]
best = candidates[np.argmin(risk)]

print("best constant log-rate:", round(best, 3))
print("log of the mean count:", np.log(y.mean()))
print("rate exp(best), 2 decimals:", round(np.exp(best), 2))
print("mean count:", y.mean())
