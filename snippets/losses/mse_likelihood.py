import numpy as np
import lossref as lr

sigma = 1.5  # the noise scale, fixed
y_hat = 0.7  # the prediction: the mean of the noise model
y = np.linspace(y_hat - 20, y_hat + 20, 400_001)  # targets on a fine grid
loss = lr.mse(y, np.full_like(y, y_hat), reduction="none")

# The density proportional to exp(-loss / (2 sigma^2)), normalised by integration
unnormalised = np.exp(-loss / (2 * sigma**2))
Z = np.trapezoid(unnormalised, y)
print("normalising constant, integrated:", Z)
print("normalising constant, sqrt(2 pi sigma^2):", np.sqrt(2 * np.pi * sigma**2))

# It is the normal density N(y_hat, sigma^2), written out independently
normal = np.exp(-((y - y_hat) ** 2) / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma**2)
print("largest gap to the normal density:", np.max(np.abs(unnormalised / Z - normal)))

# -log density = loss / (2 sigma^2) + log Z: the loss, rescaled, plus a constant
nll = -np.log(normal)
print("-log density - loss / (2 sigma^2), min and max:", np.min(nll - loss / (2 * sigma**2)),
      np.max(nll - loss / (2 * sigma**2)))
print("log Z:", np.log(Z))
# With sigma = 1 the negative log-likelihood is gaussian_nll(var=1, full=True): half the MSE plus a constant
gauss = lr.gaussian_nll(y, np.full_like(y, y_hat), var=sigma**2, full=True, reduction="none")
print("largest gap to gaussian_nll(var=sigma^2, full=True):", np.max(np.abs(gauss - nll)))
