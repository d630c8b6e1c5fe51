import numpy as np
import lossref as lr

y = np.array([1.0, 2.0, 2.5, 3.0, 11.5])
step = 0.3
c_mae = c_mse = 0.0  # fit one constant prediction c by gradient descent
history = []
for _ in range(200):
    # dR/dc is the sum of dR/dy_pred_i: every prediction equals c
    c_mae -= step * lr.mae.grad(y, np.full_like(y, c_mae)).sum()
    c_mse -= step * lr.mse.grad(y, np.full_like(y, c_mse)).sum()
    history.append(c_mae)

print("MAE, last four iterates:", np.round(history[-4:], 6))
print("MSE, last iterate:", round(c_mse, 6))
print("median, mean:", np.array([np.median(y), y.mean()]))
