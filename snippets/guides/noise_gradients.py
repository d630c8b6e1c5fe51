import numpy as np
import lossref as lr

# Three classes; the label says class 1, the model is sure it is class 0 (perhaps a wrong label).
z = np.array([[4.0, 0.0, -1.0]])
label = np.array([1])
p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
p_y = p[0, 1]
print("p_y:", round(p_y, 5))

ce_grad = lr.cross_entropy.grad(label, z, reduction="sum")  # softmax(z) - onehot
print("CE gradient in the logits:", ce_grad.round(4))
smooth = lr.cross_entropy.grad(label, z, reduction="sum", label_smoothing=0.1)
print("CE with label_smoothing=0.1:", smooth.round(4))

# lossref has no GCE or MAE: by the chain rule through p_y their gradients are CE's times a weight.
q = 0.7
gce_grad = p_y ** q * ce_grad  # L_q = (1 - p_y^q) / q
mae_grad = 2 * p_y * ce_grad  # MAE on one-hot targets = 2 (1 - p_y)
print("GCE (q = 0.7) gradient:", gce_grad.round(4))
print("MAE gradient:", mae_grad.round(4))
print("weights relative to CE (GCE, MAE):", round(p_y ** q, 4), round(2 * p_y, 4))

# The two ends of GCE: q -> 0 is CE, q = 1 is MAE / 2.
ce = lr.cross_entropy(label, z)
gce = lambda q: (1 - p_y ** q) / q  # noqa: E731
print("CE, GCE at q = 1e-6:", round(ce, 6), round(gce(1e-6), 6))
print("GCE at q = 1, MAE / 2:", round(gce(1.0), 6), round(np.abs(np.eye(3)[1] - p[0]).sum() / 2, 6))

# Reverse cross-entropy -sum_k p_k log y_k with log 0 clipped to A = -4 (SCE's second term):
# on a one-hot target it is -A (1 - p_y), a multiple of MAE.
A = -4.0
log_target = np.where(np.eye(3)[1] > 0, 0.0, A)
print("RCE by definition, -A (1 - p_y):", round(-(p[0] * log_target).sum(), 6), round(-A * (1 - p_y), 6))

# Bootstrapping: the target beta y + (1 - beta) p as a probability row for lossref's cross_entropy.
beta = 0.8
soft = beta * np.eye(3)[label] + (1 - beta) * p  # p held fixed (no gradient through the target)
hard = beta * np.eye(3)[label] + (1 - beta) * np.eye(3)[p.argmax(axis=1)]
print("soft bootstrap gradient:", lr.cross_entropy.grad(soft, z, reduction="sum").round(4))
print("beta times CE's gradient:", (beta * ce_grad).round(4))
print("hard bootstrap gradient:", lr.cross_entropy.grad(hard, z, reduction="sum").round(4))
