import numpy as np
import lossref as lr

minutes = np.array([27.0, 28, 29, 30, 30, 31, 32, 33, 35, 300])  # 300: a scanner fault
candidates = np.linspace(20.0, 320.0, 30001)  # constant predictions c, step 0.01
targets = np.tile(minutes, (candidates.size, 1))  # one row of targets per candidate
preds = np.repeat(candidates[:, None], minutes.size, axis=1)  # the candidate, repeated

losses = {
    "mse": (lr.mse, {"half": True}),
    "huber, delta=5": (lr.huber, {"delta": 5.0}),
    "quantile, tau=0.99": (lr.quantile, {"tau": 0.99}),
}
for label, (loss, params) in losses.items():
    risk = loss(targets, preds, reduction="none", **params).mean(axis=1)
    print(f"best constant, {label}:", round(candidates[np.argmin(risk)], 2))

# Each row's gradient at a prediction of 31: the bad row against the nine others.
at_31 = np.full_like(minutes, 31.0)
grads = {
    "mse": lr.mse.grad(minutes, at_31, half=True, reduction="none"),
    "huber, delta=5": lr.huber.grad(minutes, at_31, delta=5.0, reduction="none"),
}
for label, grad in grads.items():
    print(f"gradient at 31, {label}, bad row:", grad[-1])
    print(f"gradient at 31, {label}, nine others summed:", grad[:-1].sum())
