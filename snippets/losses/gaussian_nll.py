import numpy as np
import lossref as lr

y = np.array([2.0, 3.0, 0.5, 1.0])
y_pred = np.array([1.0, 2.0, 1.5, 4.0])  # means; residuals -1, -1, 1, 3
var = np.array([1.0, 1.0, 0.5, 9.0])  # predicted variances

print("per example:", lr.gaussian_nll(y, y_pred, var=var, reduction="none"))
print("mean:", lr.gaussian_nll(y, y_pred, var=var))
grad = lr.gaussian_nll.grad(y, y_pred, var=var)
print("gradient:", grad)  # (y_pred - y) / var / n
full = lr.gaussian_nll(y, y_pred, var=var, full=True, reduction="none")
print("per example, full=True:", full)  # plus 0.5 log(2 pi) each
# One shared variance of 1: half the squared error
print("mean, var=1.0:", lr.gaussian_nll(y, y_pred, var=1.0))
print("MSE, half=True:", lr.mse(y, y_pred, half=True))
