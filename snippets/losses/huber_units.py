import numpy as np
import lossref as lr

rng = np.random.default_rng(1)
y = rng.normal(10.0, 2.0, size=1000)  # targets in metres
y_pred = y + rng.normal(0.0, 0.3, size=1000)  # residuals of about 0.3 m

for unit, scale in (("metres", 1.0), ("millimetres", 1000.0)):
    y_s, p_s = scale * y, scale * y_pred  # the same data in another unit
    huber = lr.huber(y_s, p_s)  # delta=1, the default
    print(f"share of |r| > delta=1, {unit}:", np.mean(np.abs(p_s - y_s) > 1.0))
    print(f"huber / half MSE, {unit}:", huber / lr.mse(y_s, p_s, half=True))
    print(f"huber / MAE, {unit}:", huber / lr.mae(y_s, p_s))
