import numpy as np
import lossref as lr

y = np.array([0.3, 0.4, 0.9, 1.4, 1.6, 1.8, 5.3])  # skewed: a long tail to the right
candidates = np.linspace(0.0, 6.0, 6001)  # constant predictions c, step 0.001


def best_constant(loss, **params):
    risk = [loss(y, np.full_like(y, c), **params) for c in candidates]
    return round(candidates[np.argmin(risk)], 3)


print("median of y:", np.median(y))
print("mean of y:", y.mean().round(3))
for delta in (0.1, 0.7, 1.0, 3.0, 5.0):
    print(f"huber best constant, delta={delta}:", best_constant(lr.huber, delta=delta))
print("log_cosh best constant:", best_constant(lr.log_cosh))
