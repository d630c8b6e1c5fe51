import numpy as np
import lossref as lr

rng = np.random.default_rng(0)
y = rng.gamma(2.0, 1.5, 401)  # a skewed target: its mean, median and quantiles differ
c = np.linspace(0.005, 10.0, 2000)  # candidate constant predictions, step 0.005
Y, C = np.broadcast_arrays(y, c[:, None])  # one row per candidate


def best_constant(loss, **kw):
    """The constant that minimises the mean loss over the sample, on the grid."""
    risk = loss(Y, C, reduction="none", **kw).mean(axis=1)
    return c[np.argmin(risk)].round(3)


print("mse:", best_constant(lr.mse), " mean:", y.mean().round(3))
print("mae:", best_constant(lr.mae), " median:", np.median(y).round(3))
print("quantile, tau = 0.9:", best_constant(lr.quantile, tau=0.9), " 0.9-quantile:", np.quantile(y, 0.9).round(3))
print("poisson_nll on the rate:", best_constant(lr.poisson_nll, log_input=False), " mean:", y.mean().round(3))

# Cross-entropy elicits the whole distribution: one logit vector z shared by all examples gets the
# gradient sum_i (softmax(z) - onehot_i), which is 0 where softmax(z) is the class frequencies.
labels = rng.choice(3, size=1000, p=[0.5, 0.3, 0.2])
freq = np.bincount(labels, minlength=3) / labels.size
logits = np.tile(np.log(freq), (labels.size, 1))
print("class frequencies:", freq)
print("gradient in the shared logits:", lr.cross_entropy.grad(labels, logits).sum(axis=0))
