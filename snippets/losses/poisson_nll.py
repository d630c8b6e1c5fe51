import numpy as np
import lossref as lr

y = np.array([0.0, 1.0, 3.0, 10.0])  # counts
log_rate = np.array([-1.0, 0.0, 1.0, 2.0])  # the model's output
rate = np.exp(log_rate)  # 0.37, 1, 2.72, 7.39

print("per example:", lr.poisson_nll(y, log_rate, reduction="none"))
print("mean:", lr.poisson_nll(y, log_rate))
print("gradient:", lr.poisson_nll.grad(y, log_rate))  # (rate - y) / n
# The same model given as rates: equal up to eps = 1e-8 inside the log
as_rates = lr.poisson_nll(y, rate, log_input=False, reduction="none")
print("log_input=False:", as_rates)
