import numpy as np
import lossref as lr

y = np.array([1.0, 2.0, 2.5, 3.0, 11.5])
means = np.linspace(0.0, 12.0, 12001)  # constant means, step 0.001
variances = np.linspace(0.01, 30.0, 3000)  # constant variances, step 0.01

for var in (0.5, 4.0):
    risk = [lr.gaussian_nll(y, np.full_like(y, m), var=var) for m in means]
    print(f"best mean, var={var}:", round(means[np.argmin(risk)], 3))

risk = [lr.gaussian_nll(y, np.full_like(y, y.mean()), var=v) for v in variances]
print("best variance at the mean:", round(variances[np.argmin(risk)], 2))
print("mean, variance of y:", np.array([y.mean(), y.var()]))
