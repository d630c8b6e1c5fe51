import numpy as np
import lossref as lr

x = np.array([1.0, 2.0, 3.0])
y = np.array([2.0, 3.0, 5.0])
w = 1.0
y_pred = w * x  # the model f(x; w) = w x

print("pointwise losses:", lr.mse(y, y_pred, reduction="none", half=True))
print("(a) empirical risk:", lr.mse(y, y_pred, half=True))

signal = lr.mse.grad(y, y_pred, half=True)  # dR/dy_pred_i = (y_pred_i - y_i) / n
print("(b) dR/dw:", np.sum(signal * x))  # d y_pred_i / dw = x_i

weights = np.array([1.0, 1.0, 2.0])
print("(c) weighted risk:", lr.mse(y, y_pred, half=True, sample_weight=weights))  # sum(w l) / sum(w)

batch = np.array([0, 2])  # examples 1 and 3
signal_b = lr.mse.grad(y[batch], y_pred[batch], half=True)  # divided by m = 2
print("(d) mini-batch dR/dw:", np.sum(signal_b * x[batch]))
