import numpy as np
import lossref as lr

b = 0.8  # the scale of the noise
y_hat = 0.7  # the prediction: the median (and the mode) of the noise model
u = np.linspace(-40, 40, 400_001)  # residuals y - y_hat on a grid that holds 0
y = y_hat + u
loss = lr.mae(y, np.full_like(y, y_hat), reduction="none")

# The density proportional to exp(-loss / b), normalised by integration
unnormalised = np.exp(-loss / b)
Z = np.trapezoid(unnormalised, y)
print("normalising constant, integrated:", Z)
print("normalising constant, 2 b:", 2 * b)

# It is the Laplace density, written out independently
laplace = np.exp(-np.abs(y - y_hat) / b) / (2 * b)
print("largest gap to the Laplace density:", np.max(np.abs(unnormalised / Z - laplace)))

# -log density = loss / b + log(2 b)
print("-log density - loss / b, min and max:", np.min(-np.log(laplace) - loss / b),
      np.max(-np.log(laplace) - loss / b))
print("log(2 b):", np.log(2 * b))
print("P(y <= y_hat):", np.trapezoid(laplace[u <= 0], y[u <= 0]))  # the median
