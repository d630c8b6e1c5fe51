import numpy as np
import lossref as lr

y = np.array([3.0])  # three events observed

# log_input=False: a rate of exactly 0, softened only by eps = 1e-8
rate = np.array([0.0])
print("loss, rate 0:", lr.poisson_nll(y, rate, log_input=False))
grad = lr.poisson_nll.grad(y, rate, log_input=False)
print("gradient, rate 0:", grad)  # 1 - y / eps

# log_input=True: the log-rate -20 is a rate of 2e-9; the gradient stays near -y
log_rate = np.array([-20.0])
print("loss, log-rate -20:", lr.poisson_nll(y, log_rate))
print("gradient, log-rate -20:", lr.poisson_nll.grad(y, log_rate))  # e^-20 - y
