import numpy as np
import lossref as lr

# Five examples with the same input; the model predicts the constant 2.0 for all of them
y = np.array([0.5, 1.0, 2.0, 2.5, 9.0])
y_pred = np.full(5, 2.0)  # residuals y_pred - y: 1.5, 1, 0, -0.5, -7

print("residuals:", y_pred - y)
print("MSE:", lr.mse(y, y_pred))  # plain square, mean over n = 5
print("MSE gradient:", lr.mse.grad(y, y_pred))  # 2 (y_pred - y) / n
# reduction="none": one derivative per example, dL_i/dy_pred_i
print("half squared error, derivatives:", lr.mse.grad(y, y_pred, half=True, reduction="none"))
print("absolute error, derivatives:", lr.mae.grad(y, y_pred, reduction="none"))
print("Huber (delta=2), losses:", lr.huber(y, y_pred, delta=2.0, reduction="none"))
print("Huber (delta=2), derivatives:", lr.huber.grad(y, y_pred, delta=2.0, reduction="none"))
print("pinball (tau=0.9), losses:", lr.quantile(y, y_pred, tau=0.9, reduction="none") + 0.0)  # no -0.
print("log-cosh, derivatives:", lr.log_cosh.grad(y, y_pred, reduction="none"))

# Predicting one constant c for all five, dR/dc is the sum of the gradient's entries
for c in (2.0, 3.0):
    pred = np.full(5, c)
    slopes = [round(float(loss.grad(y, pred).sum()), 12) + 0.0 for loss in (lr.mse, lr.mae)]
    print(f"dR/dc at c = {c:g}, MSE and MAE:", *slopes)
print("mean and median of y:", y.mean(), np.median(y))
