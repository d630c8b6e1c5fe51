import numpy as np
import lossref as lr

# The lesson's worked example 2: y = 1, logit z = -1.
y = np.array([1.0])
z = np.array([-1.0])
loss, grad = lr.bce_with_logits.value_and_grad(y, z)
p = 1 / (1 + np.exp(-z))
print(f"p: {p[0]:.4f}")
print(f"loss: {loss:.3f}")
print(f"dL/dz: {grad[0]:.4f}")
print(f"p - y: {(p - y)[0]:.4f}")
