import numpy as np
import lossref as lr

y = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
angle = np.array([0.0, np.pi / 3, np.pi / 2, np.pi])
y_pred = 2.0 * np.stack([np.cos(angle), np.sin(angle)], axis=1)  # norm 2, at 0, 60, 90 and 180 degrees
print("cosine distance:", lr.cosine_distance(y, y_pred, reduction="none"))  # 1 - cos(angle)
print("times 10:", lr.cosine_distance(y, 10.0 * y_pred, reduction="none"))  # the norm does not matter

g = lr.cosine_distance.grad(y, y_pred, reduction="none")
print("gradient at 60 degrees:", g[1])
print("gradient . y_pred:", np.sum(g * y_pred, axis=1))  # orthogonal to the prediction
print("|gradient|:", np.linalg.norm(g, axis=1))  # sin(angle) / |y_pred|

# A zero prediction: its norm is floored at eps, so the loss is 1 and the gradient -u / eps.
print("zero y_pred:", lr.cosine_distance(y[:1], np.zeros((1, 2))), lr.cosine_distance.grad(y[:1], np.zeros((1, 2))))
