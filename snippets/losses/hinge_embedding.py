import numpy as np
import lossref as lr

# The input is a distance between two embeddings, computed by the model
y = np.array([1, 1, -1, -1])  # similar, similar, dissimilar, dissimilar
a = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [2.0, 0.0]])
b = np.array([[0.3, 0.4], [1.0, 1.0], [0.6, 0.0], [0.0, 0.0]])
distances = np.linalg.norm(a - b, axis=1)

print("distances:", distances)
print("losses:", lr.hinge_embedding(y, distances, reduction="none"))
print("gradients:", lr.hinge_embedding.grad(y, distances, reduction="none"))

# The SVM hinge on the same numbers is another loss: it treats them as scores
print("SVM hinge on the distances:", lr.hinge(y, distances, reduction="none"))
