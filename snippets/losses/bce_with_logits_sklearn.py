import numpy as np
import lossref as lr

# scikit-learn's log_loss(y, expit(logits)): the sigmoid first, then a clip of the probability
# to [eps, 1 - eps] with eps the float64 machine epsilon. lr.bce clips the same way.
eps = np.finfo(np.float64).eps
print("eps:", eps)
print("largest cost, -log(eps):", round(-np.log(eps), 4))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))  # the value scipy.special.expit gives for these logits


z_neg = np.array([-30.0, -36.0, -37.0, -50.0])  # a positive example (y = 1) with negative logits
print("sigmoid(z), z < 0:", sigmoid(z_neg))  # small, but not 0
print("clipped, y = 1:", lr.bce(np.ones(4), sigmoid(z_neg), reduction="none").round(4))
print("exact, y = 1:", lr.bce_with_logits(np.ones(4), z_neg, reduction="none").round(4))

z_pos = np.array([30.0, 35.0, 36.04, 37.0])  # a negative example (y = 0) with positive logits
print("1 - sigmoid(z), z > 0:", 1 - sigmoid(z_pos))  # multiples of 1.1e-16, then exactly 0
print("clipped, y = 0:", lr.bce(np.zeros(4), sigmoid(z_pos), reduction="none").round(4))
print("exact, y = 0:", lr.bce_with_logits(np.zeros(4), z_pos, reduction="none").round(4))
