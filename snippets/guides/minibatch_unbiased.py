import numpy as np
import lossref as lr

rng = np.random.default_rng(0)
n, m = 1000, 10
x = rng.normal(size=n)
y = 3 * x + rng.normal(size=n)
w = 1.0  # the model y_pred = w x, at a fixed w


def grad_w(idx):
    """d/dw of the mean half squared error over the examples idx."""
    return np.sum(lr.mse.grad(y[idx], w * x[idx], half=True) * x[idx])


print("full gradient:", grad_w(np.arange(n)))
epoch = rng.permutation(n).reshape(-1, m)  # one epoch: each example in exactly one batch
print("first three batch gradients:", np.array([grad_w(b) for b in epoch[:3]]))
print("mean over one epoch:", np.mean([grad_w(b) for b in epoch]))
draws = [grad_w(rng.choice(n, size=m, replace=False)) for _ in range(20000)]
print("mean over 20000 uniform batches:", np.mean(draws))
