import numpy as np
import lossref as lr

# A logistic model with one weight and no bias, z = w x, fitted by the summed binary cross-entropy
x = np.array([-1.0, 0.5, 2.0])
y = np.array([1.0, 0.0, 1.0])


def gradient(w):  # R'(w) = sum_i (sigma(w x_i) - y_i) x_i: lossref's gradient in z, times dz/dw = x
    return lr.bce_with_logits.grad(y, w * x, reduction="sum") @ x


def curvature(w):  # R''(w) = sum_i sigma(w x_i) (1 - sigma(w x_i)) x_i^2
    p = 1.0 / (1.0 + np.exp(-w * x))
    return np.sum(p * (1.0 - p) * x**2)


w = 0.0
print(f"R'(0): {gradient(w):.4f}")
print(f"R''(0): {curvature(w):.4f}")
for step in (1, 2, 3, 4):
    w = w - gradient(w) / curvature(w)  # one Newton step
    print(f"w after step {step}: {w:.6f}")

# Four examples with the same input, three labelled 1: one logit z for all of them
labels = np.array([1.0, 1.0, 1.0, 0.0])
best = np.log(3 / 1)  # sigma(z*) = 3/4, so z* = log(3/4 / (1/4))
print(f"z* = log 3: {best:.4f}")
risks = [lr.bce_with_logits(labels, np.full(4, z)) for z in (best - 0.1, best, best + 0.1)]
print("mean BCE at z* - 0.1, z*, z* + 0.1:", " ".join(f"{r:.6f}" for r in risks))

# Softmax cross-entropy through a linear layer z = W x: dL/dW = (p - y) x^T
W = np.array([[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8]])
v = np.array([1.5, -0.5])
label = np.array([2])  # the third class, counting from 0
g = lr.cross_entropy.grad(label, (W @ v)[None, :])[0]
with np.printoptions(precision=4, suppress=True):
    print("gradient in the logits:", g)
    print("gradient in W, row by row:", np.outer(g, v).ravel())
