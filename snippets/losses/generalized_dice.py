import numpy as np
import lossref as lr
from lossref._losses.generalized_dice import class_weights

# Two 1x6 images, three classes on axis 1: class 0 is large, class 2 is rare.
labels = np.array([[0, 0, 0, 0, 1, 2], [0, 0, 0, 1, 1, 0]])
y = np.moveaxis(np.eye(3)[labels], -1, 1)  # one-hot, (n, C, W)
rng = np.random.default_rng(0)
logits = 2 * y + rng.normal(size=y.shape)
p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
print("class totals:", y.sum(axis=(0, 2)))
print("weights (sum to C):", class_weights(y))
print("per-class Dice losses, example 0:", lr.dice(y[:1].transpose(1, 0, 2), p[:1].transpose(1, 0, 2),
                                                   smooth=1e-7, reduction="none"))
print("generalized_dice per example:", lr.generalized_dice(y, p, reduction="none"))
print("generalized_dice mean:", lr.generalized_dice(y, p))
# optax's smooth is half of lossref's: optax's default smooth=1.0 is lossref's 2.0
print("with optax's default smoothing:", lr.generalized_dice(y, p, smooth=2.0))
