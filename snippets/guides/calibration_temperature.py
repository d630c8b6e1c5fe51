import numpy as np
import lossref as lr

rng = np.random.default_rng(2)


def draw(n):
    """n examples of the over-confident model: labels and the model's logits (2.5 times the true log-odds)."""
    true_logit = rng.normal(0.0, 1.5, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-true_logit))).astype(float)
    return y, 2.5 * true_logit


y_cal, z_cal = draw(2000)  # held-out data: T is fitted here, never on the training set
y_test, z_test = draw(20000)

# Newton's method on beta = 1 / T: L(beta) = mean bce_with_logits(y, beta z) is convex in beta.
# dL/dbeta = sum_i (dL/du_i) z_i at u = beta z, with dL/du from lossref's gradient of the mean;
# d2L/dbeta2 = mean_i sigma(u_i) (1 - sigma(u_i)) z_i^2. Far from the minimum a full step can
# overshoot, so the step is halved until the loss goes down (a damped Newton method).
def nll(beta):
    return lr.bce_with_logits(y_cal, beta * z_cal)


beta = 1.0
for step in range(6):
    u = beta * z_cal
    slope = np.sum(lr.bce_with_logits.grad(y_cal, u) * z_cal)
    s = 0.5 * (1 + np.tanh(0.5 * u))  # sigma(u), written without exp overflow
    curvature = np.mean(s * (1 - s) * z_cal**2)
    size = 1.0
    while nll(beta - size * slope / curvature) > nll(beta):
        size /= 2
    beta -= size * slope / curvature
    print(f"step {step + 1}: step size {size:g}, T =", (1 / beta).round(6), " NLL =", nll(beta).round(6))
T = 1 / beta
print("fitted T:", T.round(4))
print("dL/dbeta at the fit:", np.sum(lr.bce_with_logits.grad(y_cal, z_cal / T) * z_cal))
before, after = lr.bce_with_logits(y_test, z_test), lr.bce_with_logits(y_test, z_test / T)
print("test NLL before, after:", before.round(4), after.round(4))


def ece(y, p, n_bins=10):
    k = np.minimum((p * n_bins).astype(int), n_bins - 1)
    return np.sum(np.abs(np.bincount(k, y, n_bins) - np.bincount(k, p, n_bins))) / len(p)


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


print("test ECE before, after:", ece(y_test, sigmoid(z_test)).round(4), ece(y_test, sigmoid(z_test / T)).round(4))
print("test accuracy before, after:", np.mean((z_test > 0) == y_test), np.mean((z_test / T > 0) == y_test))
