import numpy as np
import lossref as lr

tau = 0.9  # the quantile level
b = 1.0  # the scale of the noise
y_hat = 0.7  # the prediction: the tau-quantile of the noise model
u = np.linspace(-500, 100, 600_001)  # residuals y - y_hat; the left tail decays like exp(-(1 - tau) |u| / b)
y = y_hat + u
loss = lr.quantile(y, np.full_like(y, y_hat), tau=tau, reduction="none")

# The density proportional to exp(-loss / b), normalised by integration
unnormalised = np.exp(-loss / b)
Z = np.trapezoid(unnormalised, y)
print("normalising constant, integrated:", Z)
print("normalising constant, b / (tau (1 - tau)):", b / (tau * (1 - tau)))

# It is the asymmetric Laplace density, written out independently
asym = tau * (1 - tau) / b * np.where(u >= 0, np.exp(-tau * u / b), np.exp((1 - tau) * u / b))
print("largest gap to the asymmetric Laplace density:", np.max(np.abs(unnormalised / Z - asym)))

# -log density = loss / b - log(tau (1 - tau) / b)
print("-log density - loss / b, min and max:", np.min(-np.log(asym) - loss / b), np.max(-np.log(asym) - loss / b))
print("log(b / (tau (1 - tau))):", np.log(b / (tau * (1 - tau))))
# Its tau-quantile is the prediction: a mass tau lies below y_hat
print("P(y <= y_hat):", np.trapezoid(asym[u <= 0], y[u <= 0]))
