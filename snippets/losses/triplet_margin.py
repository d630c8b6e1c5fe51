import numpy as np
import lossref as lr

# Three triplets in the plane: the anchor at the origin, a positive and a negative
anchor = np.zeros((3, 2))
positive = np.array([[0.6, 0.8], [3.0, 0.0], [1.0, 1.0]])
negative = np.array([[3.0, 4.0], [0.0, 1.0], [-1.0, 1.0]])

print("d(a, p):", np.linalg.norm(anchor - positive + 1e-6, axis=1).round(6))
print("d(a, n):", np.linalg.norm(anchor - negative + 1e-6, axis=1).round(6))
print("losses:", lr.triplet_margin(anchor, positive, negative, reduction="none").round(6))
g_anchor, g_positive, g_negative = lr.triplet_margin.grad(anchor, positive, negative, reduction="sum")
print("gradient in the positive:", (g_positive.round(6) + 0.0).tolist())
print("gradient in the negative:", (g_negative.round(6) + 0.0).tolist())
print("the three gradients sum to:", np.abs(g_anchor + g_positive + g_negative).max())

# optax puts eps under the root, (sum_k (a_k - p_k)^2 + eps)^(1/2), PyTorch and lossref add it to each component
def optax_distance(u, v, eps=1e-6):
    return np.sqrt(np.sum((u - v) ** 2, axis=1) + eps)

optax = np.maximum(optax_distance(anchor, positive) - optax_distance(anchor, negative) + 1.0, 0)
print("optax's convention:", optax.round(6))
print("optax minus lossref:", optax - lr.triplet_margin(anchor, positive, negative, reduction="none"))
print("same point, lossref's d(u, u):", np.linalg.norm(np.full(128, 1e-6)), " optax's:", np.sqrt(1e-6))
