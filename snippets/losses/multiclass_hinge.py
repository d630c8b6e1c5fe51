import numpy as np
import lossref as lr

# Four examples, three classes: one row of scores each, integer labels
scores = np.array([[3.0, 0.5, -1.0],
                   [2.0, 1.5, -1.0],
                   [0.5, 1.0, 0.8],
                   [0.2, 0.1, 0.0]])
y = np.array([0, 0, 1, 2])
C = scores.shape[1]

cs = lr.multiclass_hinge(y, scores, reduction="none")  # variant="crammer_singer", the default
ww = lr.multiclass_hinge(y, scores, reduction="none", variant="weston_watkins")
print("crammer_singer:", cs)
print("weston_watkins:", ww)
print("weston_watkins / C (PyTorch's multi_margin_loss):", ww / C)
print("means, crammer_singer and weston_watkins:", cs.mean(), ww.mean())

# Gradients of the third example (true class 1): one rival, or every violating rival
g_cs = lr.multiclass_hinge.grad(y, scores, reduction="none")
g_ww = lr.multiclass_hinge.grad(y, scores, reduction="none", variant="weston_watkins")
print("crammer_singer gradient, row 3:", g_cs[2])
print("weston_watkins gradient, row 3:", g_ww[2])
print("row sums of the weston_watkins gradient:", g_ww.sum(axis=1))
