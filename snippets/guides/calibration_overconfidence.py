import numpy as np
import lossref as lr

rng = np.random.default_rng(3)
d, n_train, n_test = 100, 60, 5000  # more weights than training examples: the training set can be fitted
w_true = rng.normal(0.0, 1.5 / np.sqrt(d), d)  # true log-odds x . w_true, of spread about 1.5


def draw(n):
    x = rng.normal(0.0, 1.0, (n, d))
    y = (rng.random(n) < 1 / (1 + np.exp(-x @ w_true))).astype(float)
    return x, y


x, y = draw(n_train)
x_test, y_test = draw(n_test)


def train(target, steps, lr_step=0.5):
    """Gradient descent on the mean bce_with_logits of a linear model, from w = 0; the weights after each
    number of steps in ``steps``."""
    w, out = np.zeros(d), {}
    for t in range(1, max(steps) + 1):
        w -= lr_step * x.T @ lr.bce_with_logits.grad(target, x @ w)  # chain rule: dL/dw = X^T dL/dz
        if t in steps:
            out[t] = w.copy()
    return out


steps = (10, 100, 1000, 10000)
print("columns: training CE (hard labels), |w|, test NLL, test accuracy, test mean confidence")
for label, target in (("one-hot", y), ("smoothed 0.1", y * 0.9 + 0.05)):
    for t, w in train(target, steps).items():
        z = x_test @ w
        confidence = np.mean(1 / (1 + np.exp(-np.abs(z))))  # mean top-label probability
        row = [lr.bce_with_logits(y, x @ w), np.linalg.norm(w), lr.bce_with_logits(y_test, z),
               np.mean((z > 0) == y_test), confidence]
        print(f"{label}, step {t}:", "  ".join(f"{v:.4f}" for v in row))
