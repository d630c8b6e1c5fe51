import numpy as np
import lossref as lr

y = np.array([0.0])
variances = [1.0, 1e-2, 1e-4, 1e-6, 1e-8]  # a learned variance shrinking

# An example the mean fits exactly: each smaller variance lowers the loss,
# down to the clamp at eps = 1e-6
exact = np.array([0.0])
losses = [lr.gaussian_nll(y, exact, var=v) for v in variances]
print("loss, r=0:", np.array(losses))

# A residual of 0.01: the mean's gradient is multiplied by 1 / var
close = np.array([0.01])
grads = [lr.gaussian_nll.grad(y, close, var=v)[0] for v in variances]
print("gradient, r=0.01:", np.array(grads))
