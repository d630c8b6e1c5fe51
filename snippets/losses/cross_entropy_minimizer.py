import numpy as np
import lossref as lr

# Four examples share one input: two of class 0, one of class 1, one of class 2.
y = np.array([0, 0, 1, 2])
freq = np.bincount(y) / len(y)
z = np.tile(np.log(freq), (len(y), 1))  # the same logits for each example, softmax(z) = freq
print("class frequencies:", freq)
print("gradient summed over examples:", lr.cross_entropy.grad(y, z).sum(axis=0))
print("loss at log frequencies:", lr.cross_entropy(y, z))
print("loss at equal logits:", lr.cross_entropy(y, np.zeros_like(z)))
