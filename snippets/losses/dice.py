import numpy as np
import lossref as lr

# One 2x3 image: a foreground of three pixels, predicted with some doubt and one false alarm.
y = np.array([[[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]]])
p = np.array([[[0.9, 0.6, 0.2], [0.5, 0.0, 0.0]]])
inter, total = np.sum(y * p), np.sum(y) + np.sum(p)
print("I, Y + P:", inter, total)
print("dice, smooth=0:", lr.dice(y, p, smooth=0.0))  # 1 - 2 I / (Y + P)
print("dice, smooth=1:", lr.dice(y, p))  # 1 - (2 I + 1) / (Y + P + 1)

# The gradient: -2 y / S + (2 I + s) / S^2, two values only (one for y = 1, one for y = 0)
print("gradient, smooth=0:", lr.dice.grad(y, p, smooth=0.0).ravel())

# An empty mask predicted empty: 0 with smoothing; 0/0 without
print("empty mask, smooth=1:", lr.dice(np.zeros((1, 4)), np.zeros((1, 4))))
try:
    lr.dice(np.zeros((1, 4)), np.zeros((1, 4)), smooth=0.0)
except ValueError as err:
    print("smooth=0:", err)
