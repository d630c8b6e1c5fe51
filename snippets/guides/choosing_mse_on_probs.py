import numpy as np
import lossref as lr

y = np.ones(4)  # four positive examples
z = np.array([-8.0, -4.0, 0.0, 2.0])  # logits, from confidently wrong to nearly right
p = 1 / (1 + np.exp(-z))
print("p:", p)

# MSE on the probability, carried back to the logit by the chain rule: dL/dz = dL/dp * p (1 - p).
print("MSE on p, dL/dz:", lr.mse.grad(y, p, reduction="none") * p * (1 - p))
print("BCE with logits, dL/dz:", lr.bce_with_logits.grad(y, z, reduction="none"))
