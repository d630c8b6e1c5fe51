import numpy as np
import lossref as lr


def sample(n, prevalence, rng):
    """Label shift: P(y) changes, P(x | y) does not (x | y=0 ~ N(0, 1), x | y=1 ~ N(1.5, 1))."""
    y = (rng.random(n) < prevalence).astype(float)
    return rng.normal(loc=1.5 * y), y


def logit(p):
    return np.log(p / (1 - p))


rng = np.random.default_rng(1)
x, y = sample(4000, 0.5, rng)  # trained on a balanced sample
X = np.column_stack([np.ones_like(x), x])
w = np.zeros(2)
for _ in range(600):
    w -= 4.0 * (X.T @ lr.bce_with_logits.grad(y, X @ w))

pi, pi_new = y.mean(), 0.05  # deployed where 5% are positive
x_new, y_new = sample(50_000, pi_new, rng)
z = w[0] + w[1] * x_new
z_corrected = z + logit(pi_new) - logit(pi)  # logit p' = logit p + logit(pi') - logit(pi)
print("training prevalence:", pi)
print("deployment prevalence:", y_new.mean())
print("mean predicted probability, uncorrected:", round(np.mean(1 / (1 + np.exp(-z))), 4))
print("mean predicted probability, corrected:", round(np.mean(1 / (1 + np.exp(-z_corrected))), 4))
print("deployment BCE, uncorrected:", round(lr.bce_with_logits(y_new, z), 4))
print("deployment BCE, corrected:", round(lr.bce_with_logits(y_new, z_corrected), 4))
