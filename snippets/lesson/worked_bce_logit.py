import numpy as np
import lossref as lr

y = 1.0
z = -1.0
p = 1 / (1 + np.exp(-z))  # the sigmoid turns the logit into a probability

loss = lr.bce_with_logits(y, z)  # computed from the logit, without forming p
loss_from_p = lr.bce(y, p)  # the same loss from the probability
dL_dz = float(lr.bce_with_logits.grad(y, z))

print(f"p_hat: {p:.4f}")
print(f"loss: {loss:.3f}")
print(f"loss from p_hat: {loss_from_p:.3f}")
print(f"dL/dz: {dL_dz:.4f}")
print(f"p_hat - y: {p - y:.4f}")
