import numpy as np
import lossref as lr

# One input x whose label is 1 with probability q. Its expected weighted loss is the loss of two
# examples with the same logit: y = 1 with weight q and y = 0 with weight 1 - q.
q = 0.2
alpha, beta = 9.0, 1.0  # class_weight=(beta, alpha): negatives weigh beta, positives alpha
y = np.array([1.0, 0.0])
mix = np.array([q, 1 - q])

z_star = np.log(q / (1 - q)) + np.log(alpha / beta)  # the logit of q, shifted by log(alpha / beta)
grad = lr.bce_with_logits.grad(y, np.full(2, z_star), class_weight=(beta, alpha), sample_weight=mix, reduction="sum")
print("size of the gradient at logit(q) + log(alpha/beta):", f"{abs(grad.sum()):.0e}")
p_w = 1 / (1 + np.exp(-z_star))
print("weighted minimiser p_w:", round(p_w, 6))
print("alpha q / (alpha q + beta (1 - q)):", round(alpha * q / (alpha * q + beta * (1 - q)), 6))

# p_w > 1/2 exactly when q > beta / (alpha + beta): weighting, then 0.5, is thresholding q there.
qs = np.linspace(0.005, 0.995, 100)  # a grid that misses 0.1 itself
p_ws = alpha * qs / (alpha * qs + beta * (1 - qs))
print("threshold on q equivalent to p_w > 0.5:", beta / (alpha + beta))
print("decisions agree on the grid:", bool(np.all((p_ws > 0.5) == (qs > beta / (alpha + beta)))))
