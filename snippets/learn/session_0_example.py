import numpy as np
import lossref as lr

p = np.array([[0.7, 0.2, 0.1]])  # the true distribution, one row
z = np.array([[2.0, 0.0, -1.0]])  # the model's logits

q = lr.cross_entropy.grad(p, z, reduction="sum") + p  # the gradient is softmax(z) - p
cross_entropy = lr.cross_entropy(p, z)  # H(p, q) = -sum p_j ln q_j
kl = lr.kl_divergence(p, z)  # KL(p || q) = sum p_j ln(p_j / q_j)

print("softmax q:", np.round(q[0], 4))
print("cross-entropy H(p, q), nats:", round(float(cross_entropy), 4))
print("KL(p || q), nats:", round(float(kl), 4))
print("entropy H(p) = H(p, q) - KL, nats:", round(float(cross_entropy - kl), 4))
print("KL(p || q), bits:", round(float(kl / np.log(2)), 4))
