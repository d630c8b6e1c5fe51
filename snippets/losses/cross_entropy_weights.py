import numpy as np
import lossref as lr

z = np.array([[2.0, 0.0, -1.0], [0.5, 0.1, 3.0], [1.0, 1.0, 1.0], [0.0, 2.0, 0.0]])
y = np.array([0, 2, 1, -100])  # the last row is padding, marked -100
print("per example, first three:", lr.cross_entropy(y[:3], z[:3], reduction="none"))
print("ignore_index=-100:", lr.cross_entropy(y, z, ignore_index=-100))  # mean of the first three
print("largest |gradient| in the padding row:", np.abs(lr.cross_entropy.grad(y, z, ignore_index=-100)[3]).max())
# Class 2 counts four times, in the sum and in the divisor: (l0 + 4 l1 + l2) / 6
print("class_weight=(1, 1, 4):", lr.cross_entropy(y[:3], z[:3], class_weight=[1.0, 1.0, 4.0]))
