import numpy as np
import lossref as lr

# One positive, three negatives. Both options count the positive's loss three times;
# class_weight also counts it three times in the mean's denominator (6 instead of 4).
y = np.array([1.0, 0.0, 0.0, 0.0])
z = np.array([0.5, -1.0, 0.2, -2.0])
print("per example:", lr.bce_with_logits(y, z, reduction="none"))
print("pos_weight=3:", lr.bce_with_logits(y, z, pos_weight=3.0))
print("class_weight=(1, 3):", lr.bce_with_logits(y, z, class_weight=(1.0, 3.0)))

# A soft target 0.5 and the logit 0, whose sigmoid is 0.5: the prediction equals the target.
y_soft, z_soft = np.array([0.5]), np.array([0.0])
print("gradient, class_weight=(1, 3):", lr.bce_with_logits.grad(y_soft, z_soft, class_weight=(1.0, 3.0)))
print("gradient, pos_weight=3:", lr.bce_with_logits.grad(y_soft, z_soft, pos_weight=3.0))
