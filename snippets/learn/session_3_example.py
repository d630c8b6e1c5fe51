import numpy as np
import lossref as lr

# (a) Five counts; the model predicts the same log-rate 0.5 for all of them
counts = np.array([0.0, 1.0, 3.0, 2.0, 4.0])
eta = np.full(5, 0.5)
print("Poisson NLL per example:", lr.poisson_nll(counts, eta, reduction="none"))  # e^eta - y eta
print("Poisson NLL, mean:", lr.poisson_nll(counts, eta))
print("gradient in the log-rates:", lr.poisson_nll.grad(counts, eta))  # (e^eta - y) / n
print("dR/d(eta) for one shared log-rate:", lr.poisson_nll.grad(counts, eta).sum())
print("same model as rates, log_input=False:", lr.poisson_nll(counts, np.exp(eta), log_input=False))
best = np.log(counts.mean())  # the log of the mean count
print("best log-rate, log(mean):", best)
print("Poisson NLL there:", lr.poisson_nll(counts, np.full(5, best)))
print("gradient sum there:", round(float(lr.poisson_nll.grad(counts, np.full(5, best)).sum()), 12) + 0.0)

# (b) Four targets with fixed predicted means; one shared variance
y = np.array([1.0, 2.0, 4.0, 3.0])
mu = np.array([1.5, 2.0, 3.0, 3.5])  # residuals mu - y: 0.5, 0, -1, 0.5
var_best = np.mean((mu - y) ** 2)  # the mean squared residual
print("best shared variance:", var_best)
print("Gaussian NLL there:", lr.gaussian_nll(y, mu, var=var_best))
print("Gaussian NLL at var=1 and half MSE:", lr.gaussian_nll(y, mu, var=1.0), lr.mse(y, mu, half=True))
# A variance per example, each its own squared residual: the exact fit collapses to the floor eps = 1e-6
var_each = np.array([0.25, 1e-8, 1.0, 0.25])
print("per-example variances, losses:", lr.gaussian_nll(y, mu, var=var_each, reduction="none"))
print("per-example variances, gradient in the means:", lr.gaussian_nll.grad(y, mu, var=var_each, reduction="none"))

# (c) The constant minimising the mean pinball loss at tau = 0.8 (it lies at one of the targets)
targets = np.array([3.0, 7.0, 1.0, 9.0, 4.0, 12.0, 6.0])


def pinball_risk(c):
    return lr.quantile(targets, np.full_like(targets, c), tau=0.8)


print("pinball risk at 7, 9, 12:", *(round(float(pinball_risk(c)), 6) for c in (7.0, 9.0, 12.0)))
print("pinball minimiser:", min(targets, key=pinball_risk))

# (d) The constant minimising the mean Huber loss (delta = 1) of a sample with one outlier
sample = np.array([2.0, 2.4, 2.6, 3.0, 12.0])


def huber_slope(c):
    return lr.huber.grad(sample, np.full_like(sample, c), delta=1.0).sum()


low, high = sample.min(), sample.max()  # the slope is increasing: bisect for its zero
for _ in range(60):
    mid = 0.5 * (low + high)
    low, high = (mid, high) if huber_slope(mid) < 0 else (low, mid)
print("Huber minimiser:", round(0.5 * (low + high), 10))
print("mean and median of the sample:", sample.mean(), np.median(sample))
