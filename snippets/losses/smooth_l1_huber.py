import numpy as np
import lossref as lr

rng = np.random.default_rng(0)
y = rng.normal(size=1000)
y_pred = y + rng.standard_t(df=2, size=1000)  # heavy-tailed residuals

for beta in (0.1, 1.0, 3.0):
    # smooth_l1(beta) against huber(delta=beta) / beta, in value and gradient
    value_s = lr.smooth_l1(y, y_pred, beta=beta)
    value_h = lr.huber(y, y_pred, delta=beta)
    grad_s = lr.smooth_l1.grad(y, y_pred, beta=beta)
    grad_h = lr.huber.grad(y, y_pred, delta=beta)
    print(f"beta={beta}, value gap:", abs(value_s - value_h / beta))
    grad_gap = np.abs(grad_s - grad_h / beta).max()
    print(f"beta={beta}, largest gradient gap:", grad_gap)

print("beta=0 minus MAE:", lr.smooth_l1(y, y_pred, beta=0) - lr.mae(y, y_pred))
