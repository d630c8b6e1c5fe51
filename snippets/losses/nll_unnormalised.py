import numpy as np
import lossref as lr
from scipy.special import log_softmax

# Raw logits passed as log-probabilities: nll reads only the true class's entry.
logits = np.array([[4.0, 1.0, 0.0]])
for scale in (1.0, 10.0, 100.0):
    print(f"scale {scale:g}, nll:", lr.nll([0], scale * logits), "cross_entropy:", lr.cross_entropy([0], scale * logits))
print("after log_softmax:", lr.nll([0], log_softmax(100.0 * logits, axis=-1)))
