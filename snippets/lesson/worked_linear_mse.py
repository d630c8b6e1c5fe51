import numpy as np
import lossref as lr

x = np.array([1.0, 2.0])
y = np.array([2.0, 3.0])
w = 1.0
y_pred = w * x

# half=True is the lesson's (1/2)(y_pred - y)^2; lossref's default has no 1/2
losses = lr.mse(y, y_pred, half=True, reduction="none")
risk = lr.mse(y, y_pred, half=True)  # the mean over the two examples
grad_pred = lr.mse.grad(y, y_pred, half=True)  # dR/dy_pred_i = (y_pred_i - y_i) / n
dR_dw = np.sum(grad_pred * x)  # chain rule: dy_pred_i/dw = x_i

print("predictions:", ", ".join(f"{v:g}" for v in y_pred))
print("pointwise losses:", ", ".join(f"{v:.1f}" for v in losses))
print(f"risk: {risk:.1f}")
print("dR/dy_pred:", ", ".join(f"{v:.1f}" for v in grad_pred))
print(f"dR/dw: {dR_dw:.1f}")
