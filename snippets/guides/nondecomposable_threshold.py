import numpy as np
import lossref as lr


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def f1(y, decide):
    tp = np.sum(decide & (y == 1))
    return 2 * tp / (np.sum(decide) + np.sum(y == 1))


def sample(n, rng):
    x = rng.normal(size=(n, 2))
    q = sigmoid(-4 + 2 * x[:, 0] + x[:, 1])  # about 7% positives
    return np.column_stack([np.ones(n), x]), (rng.random(n) < q).astype(float), q


rng = np.random.default_rng(0)
(X, y, _), (X_val, y_val, _), (X_test, y_test, q_test) = (sample(n, rng) for n in (4000, 4000, 50_000))

w_bce = np.zeros(3)
for _ in range(800):
    w_bce -= 4.0 * (X.T @ lr.bce_with_logits.grad(y, X @ w_bce))

w_soft = np.zeros(3)
for _ in range(800):
    p = sigmoid(X @ w_soft)
    inter, total = np.sum(p * y), np.sum(p) + np.sum(y)
    grad_p = -(2 * y / total - 2 * inter / total**2)  # gradient of 1 - soft F1 (full batch)
    w_soft -= 40.0 * (X.T @ (grad_p * p * (1 - p)))  # chain rule through the sigmoid

thresholds = np.linspace(0.02, 0.98, 97)
p_val = sigmoid(X_val @ w_bce)
t_best = thresholds[np.argmax([f1(y_val, p_val > t) for t in thresholds])]
print("positives in training:", y.mean())
print("threshold tuned on validation:", t_best)
print("test F1, BCE at 0.5:", round(f1(y_test, sigmoid(X_test @ w_bce) > 0.5), 4))
print("test F1, BCE at the tuned threshold:", round(f1(y_test, sigmoid(X_test @ w_bce) > t_best), 4))
print("test F1, soft F1 at 0.5:", round(f1(y_test, sigmoid(X_test @ w_soft) > 0.5), 4))

# With calibrated probabilities the F1-optimal threshold is half the best F1 (Lipton et al., 2014).
f1_true = [f1(y_test, q_test > t) for t in thresholds]
print("true probabilities, best F1 and its threshold:", round(max(f1_true), 4), thresholds[np.argmax(f1_true)])
