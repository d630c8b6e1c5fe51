import numpy as np
import lossref as lr

y = np.array([0, 1, 2, 2])  # integer labels
logits = np.array([[2.0, 0.0, -1.0],
                   [0.5, 1.0, 0.0],
                   [0.0, 0.5, 1.0],
                   [1.0, 0.0, 0.5]])
class_weight = np.array([1.0, 1.0, 5.0])  # class 2 is the rare one

print("unweighted, none:", lr.cross_entropy(y, logits, reduction="none"))
print("weighted, none:", lr.cross_entropy(y, logits, reduction="none", class_weight=class_weight))
print("weighted, mean:", lr.cross_entropy(y, logits, class_weight=class_weight))  # sum / (1 + 1 + 5 + 5)
print("unweighted, mean:", lr.cross_entropy(y, logits))
