import numpy as np
import lossref as lr

r = np.array([1e-8, 700.0, 711.0, 1000.0])  # residuals y_pred - y, float64
with np.errstate(over="ignore"):
    print("naive log(cosh(r)):", np.log(np.cosh(r)))  # cosh overflows above 710
print("lossref:", lr.log_cosh(np.zeros_like(r), r, reduction="none"))

r32 = np.array([1e-4, 90.0], dtype=np.float32)
with np.errstate(over="ignore"):
    print("naive, float32:", np.log(np.cosh(r32)))  # overflows above 89
print("lossref, float32:", lr.log_cosh(np.zeros_like(r32), r32, reduction="none"))
