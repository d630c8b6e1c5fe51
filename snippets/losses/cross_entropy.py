import numpy as np
import lossref as lr

# The lesson's practice problem 2: logits (2, 0, -1), true class 2 of 1..3, which is label 1 here.
z = np.array([[2.0, 0.0, -1.0]])
y = np.array([1])
e = np.exp(z - z.max())  # shift by the largest logit before exponentiating
with np.printoptions(precision=4, floatmode="fixed"):  # four decimals, as in the lesson
    print("softmax:", (e / e.sum())[0])
    print(f"loss: {lr.cross_entropy(y, z):.3f}")
    print(f"loss, probability row: {lr.cross_entropy(np.array([[0.0, 1.0, 0.0]]), z):.3f}")
    print("gradient:", lr.cross_entropy.grad(y, z)[0])  # softmax(z) - one_hot(1)
