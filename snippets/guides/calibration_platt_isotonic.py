import numpy as np
import lossref as lr

rng = np.random.default_rng(2)  # the held-out and test sets of the temperature example


def draw(n):
    true_logit = rng.normal(0.0, 1.5, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-true_logit))).astype(float)
    return y, 2.5 * true_logit


y_cal, z_cal = draw(2000)
y_test, z_test = draw(20000)

# Platt scaling: p = sigma(a z + b), a logistic regression on the logit, fitted by Newton's method
# with lossref's gradient dL/du at u = a z + b (the gradient of the mean).
a, b = 1.0, 0.0
X = np.stack([z_cal, np.ones_like(z_cal)], axis=1)
for _ in range(30):
    u = a * z_cal + b
    g = lr.bce_with_logits.grad(y_cal, u)
    s = 0.5 * (1 + np.tanh(0.5 * u))
    hessian = X.T @ (X * (s * (1 - s))[:, None]) / len(u)
    step = np.linalg.solve(hessian, X.T @ g)
    size, loss = 1.0, lr.bce_with_logits(y_cal, u)
    while lr.bce_with_logits(y_cal, (a - size * step[0]) * z_cal + (b - size * step[1])) > loss:
        size /= 2  # damped: halve a step that would raise the loss
    a, b = a - size * step[0], b - size * step[1]
print("Platt a, b:", np.round([a, b], 4))
print("1 / a:", (1 / a).round(4))  # with b = 0, Platt scaling is temperature scaling with T = 1 / a


def pool_adjacent_violators(y):
    """The non-decreasing sequence closest to y in squared error: merge neighbouring blocks
    while a block's mean exceeds the next one's."""
    means, sizes = [], []
    for value in y:
        means.append(value)
        sizes.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            size = sizes[-2] + sizes[-1]
            means[-2:] = [(means[-2] * sizes[-2] + means[-1] * sizes[-1]) / size]
            sizes[-2:] = [size]
    return np.repeat(means, sizes)


order = np.argsort(z_cal)
fitted = pool_adjacent_violators(y_cal[order])  # the calibrated probability at each sorted logit
print("isotonic steps:", len(np.unique(fitted)))


def isotonic(z):
    """Step function: the fitted value of the largest held-out logit at or below z."""
    i = np.searchsorted(z_cal[order], z, side="right") - 1
    return fitted[np.clip(i, 0, len(fitted) - 1)]


def ece(y, p, n_bins=10):
    k = np.minimum((p * n_bins).astype(int), n_bins - 1)
    return np.sum(np.abs(np.bincount(k, y, n_bins) - np.bincount(k, p, n_bins))) / len(p)


methods = {
    "none": 0.5 * (1 + np.tanh(0.5 * z_test)),
    "Platt": 0.5 * (1 + np.tanh(0.5 * (a * z_test + b))),
    "isotonic": isotonic(z_test),
}
for name, p in methods.items():
    print(f"{name}, test ECE, Brier, log loss:",
          np.round([ece(y_test, p), lr.mse(y_test, p), lr.bce(y_test, p)], 4))
