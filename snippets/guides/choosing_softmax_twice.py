import numpy as np
import lossref as lr

y = np.array([0])
logits = np.array([[20.0, 0.0, 0.0]])  # confident and correct, C = 3 classes
probs = np.exp(logits) / np.exp(logits).sum()  # the model's softmax layer

print("loss on logits:", lr.cross_entropy(y, logits))
print("loss on softmax output:", lr.cross_entropy(y, probs))  # softmax applied a second time
print("floor log(1 + (C - 1)/e):", np.log(1 + 2 / np.e))
print("gradient on softmax output:", lr.cross_entropy.grad(y, probs)[0])  # never reaches zero
