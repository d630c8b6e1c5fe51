import numpy as np
import lossref as lr

y_hat = 0.7  # the prediction: the centre of the noise model
y = np.linspace(y_hat - 60, y_hat + 60, 400_001)
loss = lr.log_cosh(y, np.full_like(y, y_hat), reduction="none")

# exp(-log cosh u) = 1 / cosh u: the density is proportional to the hyperbolic secant
unnormalised = np.exp(-loss)
Z = np.trapezoid(unnormalised, y)
print("normalising constant, integrated:", Z)
print("normalising constant, pi:", np.pi)

# The hyperbolic secant distribution, written out independently (scale 2 / pi of its standard form)
sech_density = 1 / (np.pi * np.cosh(y - y_hat))
print("largest gap to sech(u) / pi:", np.max(np.abs(unnormalised / Z - sech_density)))

# -log density = log cosh(u) + log pi
print("-log density - loss, min and max:", np.min(-np.log(sech_density) - loss), np.max(-np.log(sech_density) - loss))
print("log pi:", np.log(np.pi))
# Its variance, pi^2 / 4: a unit-scale log-cosh fit assumes noise of standard deviation pi / 2
print("variance, integrated:", np.trapezoid((y - y_hat) ** 2 * sech_density, y))
print("pi^2 / 4:", np.pi**2 / 4)
