import numpy as np
import lossref as lr

# A confident, correct prediction: p_y rounds to 1 in float64, so autograd of (1 - p)^0.5 is 0 * inf.
logits = np.array([[40.0, 0.0, 0.0]])
p = np.exp(logits[0] - logits[0].max()) / np.exp(logits[0] - logits[0].max()).sum()
with np.errstate(divide="ignore", invalid="ignore"):
    naive = 0.5 * (1 - p[0]) ** -0.5 * -p[0] * (1 - p[0])  # the chain rule through the power, d/dz_0
print("1 - p_y in float64:", 1 - p[0])
print("naive d(1 - p)^0.5 / dz_0:", naive)
print("lossref gradient:", lr.categorical_focal.grad([0], logits, gamma=0.5))
print("lossref loss:", lr.categorical_focal([0], logits, gamma=0.5))
