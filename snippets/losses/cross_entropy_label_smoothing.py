import numpy as np
import lossref as lr

z = np.array([[2.0, 0.0, -1.0]])
y = np.array([1])
eps, C = 0.1, 3
target = (1 - eps) * np.eye(C)[y] + eps / C  # (1 - eps) on the label, plus eps / C on every class
print("smoothed target:", target[0])
print("label_smoothing=0.1:", lr.cross_entropy(y, z, label_smoothing=eps))
print("smoothed row as target:", lr.cross_entropy(target, z))
print("gradient:", lr.cross_entropy.grad(y, z, label_smoothing=eps)[0])  # softmax(z) - target
