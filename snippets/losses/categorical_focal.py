import numpy as np
import lossref as lr

# Three classes; the true class (0) gets probability p, the others share the rest equally.
p = np.array([0.1, 0.5, 0.9, 0.99])
logits = np.stack([np.log(p), np.log((1 - p) / 2), np.log((1 - p) / 2)], axis=1)
y = np.zeros(4, dtype=int)
ce = lr.cross_entropy(y, logits, reduction="none")
focal = lr.categorical_focal(y, logits, reduction="none", gamma=2.0)
print("cross_entropy:", ce)
print("focal, gamma=2:", focal)
print("focal / cross_entropy:", focal / ce)  # (1 - p_y)^2
print("focal, gamma=0:", lr.categorical_focal(y, logits, reduction="none", gamma=0.0))

# Keras's default alpha = 0.25 scales everything by 0.25; a per-class alpha weights the true class's term.
print("alpha=0.25:", lr.categorical_focal(y, logits, reduction="none", alpha=0.25))
print("gradient, hard row:", lr.categorical_focal.grad(y[:1], logits[:1]))
print("gradient, easy row:", lr.categorical_focal.grad(y[:1], logits[3:]))
