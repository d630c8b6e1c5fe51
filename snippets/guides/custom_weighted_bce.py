import numpy as np
import lossref as lr

y = np.array([1.0, 0.0, 0.0, 0.0])  # one positive, three negatives
z = np.array([-1.0, 0.5, -2.0, 1.0])  # logits
alpha, beta = 4.0, 1.0  # weights of the positive and of the negative term

p = 1 / (1 + np.exp(-z))
terms = -(alpha * y * np.log(p) + beta * (1 - y) * np.log(1 - p))  # the formula, per example
print("formula, summed:", terms.sum())
print("class_weight, sum:", lr.bce_with_logits(y, z, class_weight=(beta, alpha), reduction="sum"))
print("pos_weight, sum:", lr.bce_with_logits(y, z, pos_weight=alpha, reduction="sum"))  # beta is 1

# The means differ: class_weight divides by the total weight (4 + 3 * 1), pos_weight by n = 4.
print("class_weight, mean:", lr.bce_with_logits(y, z, class_weight=(beta, alpha)))
print("pos_weight, mean:", lr.bce_with_logits(y, z, pos_weight=alpha))
