import numpy as np
import lossref as lr

np.set_printoptions(precision=4, suppress=True)

# The triplet of the worked example: d(a, p) = 5, d(a, n) = 5.5, margin 1, so the hinge is active.
anchor, positive, negative = np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]), np.array([[0.0, 5.5]])
grad_anchor, grad_positive, grad_negative = lr.triplet_margin.grad(anchor, positive, negative, margin=1.0)
print("triplet gradient in the anchor:", grad_anchor[0])
print("triplet gradient in the positive:", grad_positive[0])
print("triplet gradient in the negative:", grad_negative[0])

# Soft Dice of one two-pixel mask, smooth 1: the first pixel is in the mask, the second is not.
y = np.array([[1.0, 0.0]])
p = np.array([[0.5, 0.5]])
print("dice:", round(float(lr.dice(y, p)), 4))
print("dice gradient:", lr.dice.grad(y, p)[0])
