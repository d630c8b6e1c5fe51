import numpy as np
import lossref as lr

# The Hessian of softmax cross-entropy in the logits: diag(p) - p p^T, whatever the label
z = np.array([2.0, 0.0, -1.0])
label = np.array([1])
p = np.exp(z - z.max())
p /= p.sum()
hessian = np.diag(p) - np.outer(p, p)

h = 1e-5  # central differences of lossref's gradient, one logit at a time
numeric = np.empty((3, 3))
for j in range(3):
    step = np.zeros(3)
    step[j] = h
    up = lr.cross_entropy.grad(label, (z + step)[None, :])[0]
    down = lr.cross_entropy.grad(label, (z - step)[None, :])[0]
    numeric[:, j] = (up - down) / (2 * h)

v = np.array([1.0, -1.0, 0.0])
with np.printoptions(precision=4, suppress=True):
    print("p:", p)
    print("diag(p) - p p^T, first row:", hessian[0])
    print("finite differences, first row:", numeric[0])
    print("diagonal p(1 - p):", np.diag(hessian))
print(f"curvature along v = (1, -1, 0): {v @ hessian @ v:.4f}")

# The focal loss's gradient in the logit, by the product rule, for y = 1 and gamma = 2
zf, gamma = 0.5, 2.0
pt = 1.0 / (1.0 + np.exp(-zf))
by_hand = gamma * pt * (1 - pt) ** gamma * np.log(pt) - (1 - pt) ** (gamma + 1)
print(f"focal gradient, product rule: {by_hand:.4f}")
print(f"focal gradient, lossref: {lr.focal.grad(np.array([1.0]), np.array([zf]), gamma=gamma)[0]:.4f}")

# The focal loss is not a proper scoring rule: for a label that is 1 with probability q = 0.8,
# the expected loss is smallest at a probability nearer 1/2 than q
q = 0.8
zs = np.linspace(-5.0, 5.0, 100001)  # candidate logits, step 1e-4
risk = (q * lr.focal(np.ones_like(zs), zs, reduction="none", gamma=gamma)
        + (1 - q) * lr.focal(np.zeros_like(zs), zs, reduction="none", gamma=gamma))
print(f"focal minimiser for q = 0.8, gamma = 2: {1.0 / (1.0 + np.exp(-zs[np.argmin(risk)])):.3f}")

# Label smoothing eps = 0.1 with K = 3: the loss is smallest where softmax(z) = the smoothed target
eps, k = 0.1, 3
target = (1 - eps) * np.eye(k)[1] + eps / k  # the true class is the second
gap = np.log(target[1] / target[0])
logits = np.array([[0.0, gap, 0.0]])
grad = lr.cross_entropy.grad(label, logits, label_smoothing=eps)
with np.printoptions(precision=4):
    print("smoothed target:", target)
print(f"best gap z_c - z_j: {gap:.4f}")
print(f"largest |gradient| there: {np.abs(grad).max():.1e}")
