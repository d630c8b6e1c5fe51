import numpy as np
import lossref as lr

m = np.array([-1000.0, -100.0, 50.0])  # margins y*s
y = np.ones(3)  # label +1, so the score is the margin

with np.errstate(over="ignore"):
    direct = np.log(1 + np.exp(-m))  # exp(1000) overflows to inf
print("direct formula:", direct)
print("lossref:", lr.logistic(y, m, reduction="none"))
print("lossref gradient:", lr.logistic.grad(y, m, reduction="none"))

# float32 overflows sooner: exp(100) is beyond its largest value, about 3.4e38
m32 = np.array([-100.0], dtype=np.float32)
with np.errstate(over="ignore"):
    print("direct formula, float32:", np.log(1 + np.exp(-m32)))
print("lossref, float32:", lr.logistic(np.ones(1, np.float32), m32, reduction="none"))
