import numpy as np
import lossref as lr

logits = np.array([[2.0, 0.0, -1.0]])  # one example, three classes
H = lr.cross_entropy.hess([0], logits)[0]  # its (3, 3) block
print("block:")
print(H.round(6))
p = np.exp(logits[0]) / np.exp(logits[0]).sum()
print("largest gap to diag(p) - p p^T:", np.abs(H - (np.diag(p) - np.outer(p, p))).max())
print("symmetric:", np.array_equal(H, H.T))
print("largest row sum:", np.abs(H.sum(axis=1)).max())  # adding a constant to every logit changes nothing
print("eigenvalues:", np.linalg.eigvalsh(H).round(6) + 0.0)  # one is 0, the others positive
# Label smoothing moves the gradient, not the curvature: the target mass stays 1
print("same block with label_smoothing=0.2:",
      np.allclose(lr.cross_entropy.hess([0], logits, label_smoothing=0.2)[0], H, rtol=1e-14, atol=0))
