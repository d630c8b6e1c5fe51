import numpy as np

import lossref as lr

# House prices in thousands: errors should count as ratios, whatever the price.
y = np.array([90.0, 120.0, 150.0, 400.0, 1500.0])

# The best constant prediction under MSLE is expm1 of the mean of log1p(y) ...
c = np.expm1(np.mean(np.log1p(y)))
print("MSLE's best constant, expm1(mean(log1p(y))):", round(float(c), 2))
# ... where the gradient of the mean loss along a constant prediction (the sum of its entries) is 0
print("slope of the mean MSLE there:", float(lr.msle.grad(y, np.full_like(y, c)).sum()))
print("MSE's best constant, the mean:", float(y.mean()))

# The same ratio costs the same: twice too high, or half as high, for 100 and for 1000
for target in (100.0, 1000.0):
    over = float(lr.msle([target], [2 * target + 1]))   # (1 + y_pred) / (1 + y) = 2
    under = float(lr.msle([target], [(target - 1) / 2]))  # (1 + y_pred) / (1 + y) = 1/2
    print(f"target {target:g}: ratio 2 costs {over:.4f}, ratio 1/2 costs {under:.4f}")
