import numpy as np
import lossref as lr

rng = np.random.default_rng(2)
labels = np.array([0, 0, 0, 1, 1, 2])  # class 2 has one example: no positives, loss 0
centres = rng.normal(size=(3, 6))
embeddings = centres[labels] + 0.4 * rng.normal(size=(6, 6))

each = lr.circle(labels, embeddings, reduction="none")
print("per row:", each.round(4))
print("lossref mean (every row):", round(float(lr.circle(labels, embeddings)), 6))
# keras.losses.Circle() masks rows whose loss is 0 out of its mean
print("Keras's Circle mean (rows above 0):", round(float(each[each > 0].mean()), 6))
# lossref normalises the rows; Keras expects unit vectors: the scale of a row does not matter here
print("rows rescaled:", round(float(lr.circle(labels, embeddings * rng.uniform(0.1, 10, size=(6, 1)))), 6))
