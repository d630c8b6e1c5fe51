import numpy as np
import lossref as lr

y = 0.3  # a soft target: 30% of the annotators said yes
probs = np.linspace(0.001, 0.999, 999)  # candidate predictions, step 0.001
loss = lr.bce(np.full_like(probs, y), probs, reduction="none")

print("best prediction:", probs[np.argmin(loss)].round(3))
print("smallest loss:", loss.min().round(6))
print("entropy of the target, H(0.3):", round(-(y * np.log(y) + (1 - y) * np.log(1 - y)), 6))
print("loss at a hard label, y = 1 and p = 0.999:", round(lr.bce([1.0], [0.999]), 6))
