import numpy as np
import lossref as lr

# Positive examples (y = 1) given probability p of being positive, from hard to easy.
p = np.array([0.1, 0.5, 0.9, 0.99])
y = np.ones_like(p)
z = np.log(p / (1 - p))  # the logits whose sigmoid is p
bce = lr.bce_with_logits(y, z, reduction="none")
focal = lr.focal(y, z, reduction="none", gamma=2.0)
print("bce:", bce)
print("focal, gamma=2:", focal)
print("focal / bce:", focal / bce)  # the factor (1 - p)^2
print("focal, gamma=0:", lr.focal(y, z, reduction="none", gamma=0.0))

# One hard example (p = 0.1) among 100 easy ones (p = 0.99): the easy ones' share of the total.
print("easy share, bce:", 100 * bce[3] / (bce[0] + 100 * bce[3]))
print("easy share, focal:", 100 * focal[3] / (focal[0] + 100 * focal[3]))
