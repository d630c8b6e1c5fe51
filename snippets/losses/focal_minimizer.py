import numpy as np
import lossref as lr

# An input whose label is 1 with probability eta = 0.9. Each candidate logit meets y = 1
# with weight eta and y = 0 with weight 1 - eta: the row sum is its expected loss.
eta = 0.9
z = np.linspace(-5, 5, 100001)  # candidate logits, step 1e-4
y = np.tile([1.0, 0.0], (z.size, 1))
logits = np.repeat(z[:, None], 2, axis=1)
w = np.tile([eta, 1 - eta], (z.size, 1))
for gamma in (0.0, 2.0):
    risk = lr.focal(y, logits, reduction="none", sample_weight=w, gamma=gamma).sum(axis=1)
    best = z[np.argmin(risk)]
    print(f"sigmoid of the best logit, gamma={gamma:g}: {1 / (1 + np.exp(-best)):.4f}")
