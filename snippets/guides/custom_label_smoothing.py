import numpy as np
import lossref as lr

y = np.array([1])  # one example of class 1, C = 3 classes
logits = np.array([[2.0, 0.5, -1.0]])
softmax = np.exp(logits) / np.exp(logits).sum()
print("softmax:", softmax[0])

for eps in (0.0, 0.1):
    grad = lr.cross_entropy.grad(y, logits, label_smoothing=eps)  # softmax - target, for one row
    print(f"gradient, eps={eps}:", grad[0])
    print(f"target, eps={eps}:", (softmax - grad)[0])

# With eps = 0.1 the target is (1/30, 28/30, 1/30), reached at finite logits (0, log 28, 0):
print("gradient there, eps=0.1:", lr.cross_entropy.grad(y, [[0.0, np.log(28.0), 0.0]], label_smoothing=0.1)[0])
