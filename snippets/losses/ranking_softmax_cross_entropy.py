import numpy as np
import lossref as lr

rng = np.random.default_rng(0)
scores = rng.normal(size=(3, 5))
labels = np.array([4, 0, 2])  # the one relevant item of each list
onehot = np.eye(5)[labels]

print("ranking_softmax, one-hot relevance:", lr.ranking_softmax(onehot, scores, reduction="none"))
print("cross_entropy, integer labels:", lr.cross_entropy(labels, scores, reduction="none"))

# Only differences within a list matter: shift each list by its own constant
shift = np.array([[100.0], [-3.0], [0.5]])
print("after shifting each list:", lr.ranking_softmax(onehot, scores + shift, reduction="none"))
print("largest |row sum| of the gradient:", np.abs(lr.ranking_softmax.grad(onehot, scores).sum(axis=-1)).max())
