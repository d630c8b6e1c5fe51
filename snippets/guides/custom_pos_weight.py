import numpy as np
import lossref as lr

y = np.array([0.3])  # a soft target: P(y = 1) = 0.3
z = np.log(y / (1 - y))  # the logit with sigmoid(z) = 0.3, the unweighted minimiser

# The gradient at that logit: zero means the prediction is already the best one.
print("class_weight=(1, 4):", lr.bce_with_logits.grad(y, z, class_weight=(1.0, 4.0)))
print("pos_weight=4:", lr.bce_with_logits.grad(y, z, pos_weight=4.0))

# With pos_weight w the minimiser moves to sigmoid(z) = w p / (w p + 1 - p).
z_star = np.log(4.0 * y / (1 - y))
print("pos_weight=4, gradient at the moved minimiser:", lr.bce_with_logits.grad(y, z_star, pos_weight=4.0))
print("sigmoid of the moved minimiser:", 1 / (1 + np.exp(-z_star)))
