import numpy as np
import lossref as lr

y = np.array([0, 2, 1])  # target first: class labels ...
logits = np.array([[2.0, 0.0, -1.0],  # ... prediction second: one row of logits per example
                   [0.5, 0.1, 3.0],
                   [1.0, 1.0, 1.0]])

print("mean loss:", lr.cross_entropy(y, logits))
print("per example:", lr.cross_entropy(y, logits, reduction="none"))
print("gradient row 0:", lr.cross_entropy.grad(y, logits)[0])  # (softmax(z) - onehot(y)) / n
print("PyTorch:", lr.cross_entropy.info.equivalent("PyTorch").call)
