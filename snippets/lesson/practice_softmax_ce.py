import numpy as np
import lossref as lr

z = np.array([2.0, 0.0, -1.0])
c = 1  # the lesson's class 2, counted from 1; lossref counts classes from 0

shifted = np.exp(z - z.max())  # subtract max(z) = 2: every exponent is <= 0
p = shifted / shifted.sum()

loss = lr.cross_entropy([c], [z])  # one example: a batch of one row of logits
grad = lr.cross_entropy.grad([c], [z])[0]  # softmax(z) - one_hot(c)

print("exp(z - max z):", ", ".join(f"{v:.4f}" for v in shifted))
print(f"sum: {shifted.sum():.4f}")
print("p_hat:", ", ".join(f"{v:.4f}" for v in p))
print(f"loss: {loss:.3f}")
print(f"-log p_hat[c]: {-np.log(p[c]):.3f}")
print("dL/dz:", ", ".join(f"{v:.4f}" for v in grad))
