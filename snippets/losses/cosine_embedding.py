import numpy as np
import lossref as lr

# Two pairs said to be similar (y = +1) and two dissimilar (y = -1)
y = np.array([1, 1, -1, -1])
x1 = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
x2 = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 1.0], [-1.0, 0.5]])

print("losses, margin 0:", lr.cosine_embedding(y, x1, x2, reduction="none").round(6))
print("losses, margin 0.5:", lr.cosine_embedding(y, x1, x2, margin=0.5, reduction="none").round(6))
g1, g2 = lr.cosine_embedding.grad(y, x1, x2, reduction="sum")
print("gradient in x2:", (g2.round(6) + 0.0).tolist())
print("x2 . gradient (no radial part):", np.sum(x2 * g2, axis=1).round(12) + 0.0)

# PyTorch's EPSILON = 1e-12 sits in each squared norm: a zero vector has cosine 0, not 0/0
print("similar pair with a zero vector:", lr.cosine_embedding([1], [[0.0, 0.0]], [[1.0, 0.0]], reduction="none"))
