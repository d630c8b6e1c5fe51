import numpy as np
import lossref as lr
from scipy.special import log_softmax

logits = np.array([[2.0, 0.0, -1.0], [0.5, 1.5, 0.0], [0.0, 0.0, 3.0], [1.0, -1.0, 0.0]])
y = np.array([0, 1, 2, -100])  # the last row is padding, labelled -100 as PyTorch does
log_probs = log_softmax(logits, axis=-1)
kept = y != -100

print("kept rows:", lr.nll(y[kept], log_probs[kept], reduction="none"))  # -log_probs[i, y_i]
print("nll, ignore_index=-100:", lr.nll(y, log_probs, ignore_index=-100))  # mean over the 3 kept rows
print("cross_entropy on the logits:", lr.cross_entropy(y[kept], logits[kept]))

# torch's weighted mean: sum_i w[y_i] l_i / sum_i w[y_i] over the kept rows
w = np.array([1.0, 2.0, 4.0])
print("weighted:", lr.nll(y, log_probs, class_weight=w, ignore_index=-100))
g = lr.nll.grad(y, log_probs, class_weight=w, ignore_index=-100)
print("gradient at the true classes:", g[np.arange(3), y[:3]])  # -w[y_i] / 7, and 0 elsewhere
print("gradient, padding row:", g[3] + 0.0)
