import numpy as np
import lossref as lr

# reduction="sum": each entry is one example's own dL/dy_pred, without the 1/n
y = np.zeros(4)
y_pred = np.array([-4.0, -0.5, 0.5, 4.0])  # residuals y_pred - y
print("mse, half=True:", lr.mse.grad(y, y_pred, reduction="sum", half=True))
print("mae:", lr.mae.grad(y, y_pred, reduction="sum"))
print("huber, delta=1:", lr.huber.grad(y, y_pred, reduction="sum"))

labels = np.ones(4)  # positive examples: 1 for bce_with_logits, +1 for hinge
s = np.array([-4.0, 0.5, 1.5, 4.0])  # logits or scores
print("bce_with_logits:", lr.bce_with_logits.grad(labels, s, reduction="sum").round(4))
print("hinge:", lr.hinge.grad(labels, s, reduction="sum"))
