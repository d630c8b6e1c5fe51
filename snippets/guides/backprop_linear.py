import numpy as np
import lossref as lr

x = np.array([1.0, 2.0])
y = np.array([2.0, 3.0])
w = 1.0
y_pred = w * x  # the model f(x; w) = w x

print("predictions:", y_pred)
print("pointwise losses:", lr.mse(y, y_pred, reduction="none", half=True))
print("risk:", lr.mse(y, y_pred, half=True))

signal = lr.mse.grad(y, y_pred, half=True)  # dR/dy_pred_i = (y_pred_i - y_i) / n
print("error signal dR/dy_pred:", signal)
print("dR/dw (chain rule):", np.sum(signal * x))  # d y_pred_i / dw = x_i



def risk_at(v):
    return lr.mse(y, v * x, half=True)


h = 1e-6  # central difference in w itself
print("dR/dw (finite difference):", round((risk_at(w + h) - risk_at(w - h)) / (2 * h), 8))
print("check_grad on dR/dy_pred passes:", bool(lr.check_grad(lr.mse, y, y_pred, reduction="mean", half=True)))
