import numpy as np
import lossref as lr

# One example with the soft target y: which logit minimises its loss?
z = np.linspace(-6, 6, 120001)  # candidate logits, step 1e-4
for y in (0.3, 0.8):
    target = np.full_like(z, y)
    for gamma in (0.0, 2.0):
        best = z[np.argmin(lr.focal(target, z, reduction="none", gamma=gamma))]
        print(f"y={y:g}, gamma={gamma:g}, sigmoid of the best logit: {1 / (1 + np.exp(-best)):.3f}")
