import numpy as np
import lossref as lr
from scipy.optimize import minimize
from scipy.special import softmax

# The best logits for one input whose class probabilities are eta: minimise the expected loss,
# which is the loss of the probability row eta (the sum over classes weights each term by eta_c).
eta = np.array([0.6, 0.3, 0.1])
for gamma in (0.0, 2.0, 5.0):
    result = minimize(lambda z: lr.categorical_focal(eta[None], z[None], gamma=gamma), np.zeros(3),
                      jac=lambda z: lr.categorical_focal.grad(eta[None], z[None], gamma=gamma)[0],
                      method="BFGS", options={"gtol": 1e-12})
    print(f"gamma={gamma:g}, softmax at the optimum:", softmax(result.x))
