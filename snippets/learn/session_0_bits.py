import numpy as np
import lossref as lr

# The model gives probability 0.7 to the label that happened
nll = lr.bce([1.0], [0.7])  # the negative log-likelihood, -ln 0.7, a positive number
log_likelihood = -nll  # ln 0.7, a negative number

print("negative log-likelihood, nats:", round(float(nll), 4))
print("negative log-likelihood, bits:", round(float(nll / np.log(2)), 4))  # larger than in nats
print("log-likelihood, nats:", round(float(log_likelihood), 4))
print("log-likelihood, bits:", round(float(log_likelihood / np.log(2)), 4))  # smaller: more negative
