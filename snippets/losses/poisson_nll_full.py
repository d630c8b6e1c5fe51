import math

import numpy as np
import lossref as lr

y = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
log_rate = np.log(y + 0.5)  # any log-rates: the added term depends on y only

# full=True adds Stirling's approximation of log(y!); exact adds log(y!) itself
full = lr.poisson_nll(y, log_rate, full=True, reduction="none")
log_factorial = np.array([math.lgamma(k + 1) for k in y])
exact = lr.poisson_nll(y, log_rate, reduction="none") + log_factorial

print("full=True:", full)
print("exact -log P(y):", exact)
print("exact minus full:", exact - full)  # about 1 / (12 y) for y > 1
