import numpy as np
import lossref as lr

y = np.array([1, 0, 1, 0, 0, 1, 0, 0])
s = np.array([2.0, 0.5, 0.1, 0.1, -1.0, 1.2, 1.5, -0.4])  # scores
pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
diff = (s[pos][:, None] - s[neg][None, :]).ravel()  # s_i - s_j for every positive i, negative j

auc = np.mean((diff > 0) + 0.5 * (diff == 0))  # a tie counts one half
print("pairs:", diff.size)
print("AUC:", round(auc, 4))

# Surrogates: a margin loss on each pair's difference, with target +1 ("i above j").
ones = np.ones_like(diff)
print("pairwise logistic loss:", round(lr.logistic(ones, diff), 4))
print("pairwise hinge loss:", round(lr.hinge(ones, diff), 4))
print("pairwise logistic / log 2 >= 1 - AUC:", round(lr.logistic(ones, diff) / np.log(2), 4), round(1 - auc, 4))

# The gradient in the scores: each pair pushes its positive up and its negative down.
g_pair = lr.logistic.grad(ones, diff).reshape(len(pos), len(neg))  # d(mean over pairs)/d(s_i - s_j)
grad_s = np.zeros_like(s)
np.add.at(grad_s, pos, g_pair.sum(axis=1))
np.add.at(grad_s, neg, -g_pair.sum(axis=0))
print("gradient of the pairwise logistic loss in the scores:", grad_s.round(4))
