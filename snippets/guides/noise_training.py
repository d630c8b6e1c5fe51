import numpy as np
import lossref as lr

rng = np.random.default_rng(0)
K, n, eta = 3, 300, 0.4  # 40% of the training labels replaced by one of the other classes
centers = np.array([[0.0, 2.0], [-1.8, -1.0], [1.8, -1.0]])


def blobs(n):
    y = rng.integers(K, size=n)
    return centers[y] + rng.normal(size=(n, 2)), y


x, y = blobs(n)
x_test, y_test = blobs(5000)
flip = rng.random(n) < eta
y_noisy = np.where(flip, (y + rng.integers(1, K, size=n)) % K, y)  # symmetric: each other class alike

# A flexible model: a linear softmax layer on 300 random cosine features.
D = 300
W_feat, b_feat = rng.normal(scale=1.5, size=(2, D)), rng.uniform(0, 2 * np.pi, D)
features = lambda x: np.sqrt(2 / D) * np.cos(x @ W_feat + b_feat)  # noqa: E731
F, F_test = features(x), features(x_test)


def train(labels, loss, q=0.7, steps=400, step=30.0):
    W = np.zeros((D, K))
    for _ in range(steps):
        z = F @ W
        g = lr.cross_entropy.grad(labels, z, reduction="none")  # softmax(z) - onehot: CE's gradient
        if loss != "CE":
            # lossref has no GCE or MAE: their gradients are CE's times a weight per example
            p_y = np.exp(-lr.cross_entropy(labels, z, reduction="none"))
            g = g * (p_y ** q if loss == "GCE" else 2 * p_y)[:, None]
        W -= step * F.T @ g / n
    return np.mean(np.argmax(F_test @ W, axis=1) == y_test)


print("labels flipped:", flip.mean())
print("clean test accuracy, CE on clean labels:", train(y, "CE"))
for loss in ("CE", "GCE", "MAE"):
    print(f"clean test accuracy, {loss} on noisy labels:", train(y_noisy, loss))
