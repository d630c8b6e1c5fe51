import numpy as np
import lossref as lr

r = np.array([1.0, 100.0, 1000.0])  # residuals y_pred - y
zero = np.zeros(3)

with np.errstate(over="ignore"):
    print("naive, float64:", np.log(np.cosh(r)))  # cosh(1000) overflows
    print("naive, float32:", np.log(np.cosh(r.astype(np.float32))))  # cosh(100) already does
print("lossref, float32:", lr.log_cosh(zero.astype(np.float32), r.astype(np.float32), reduction="none"))

# The far-out form cancels near 0: at r = 1e-8 the exact value is r^2 / 2 = 5e-17.
small = 1e-8
print("far-out form at 1e-8:", small + np.log1p(np.exp(-2 * small)) - np.log(2))
print("lossref at 1e-8:", lr.log_cosh([0.0], [small]))
