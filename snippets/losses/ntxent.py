import numpy as np
import lossref as lr

# SimCLR-style batch: rows i and i + 4 are two views of image i
rng = np.random.default_rng(0)
views = rng.normal(size=(4, 8))
embeddings = np.concatenate([views + 0.8 * rng.normal(size=(4, 8)), views + 0.8 * rng.normal(size=(4, 8))])
labels = np.array([0, 1, 2, 3, 0, 1, 2, 3])

print("NT-Xent, temperature 0.07:", round(float(lr.ntxent(labels, embeddings)), 6))
print("per anchor:", lr.ntxent(labels, embeddings, reduction="none").round(4))
for t in (0.05, 0.5, 5.0):
    print(f"temperature {t}:", round(float(lr.ntxent(labels, embeddings, temperature=t)), 6))

# With random labels each row would have ~0 positives; with classes, every same-class row is a positive
classes = np.array([0, 0, 0, 1, 1, 1, 1, 2])
print("ordered positive pairs:", int(np.sum(classes[:, None] == classes[None, :]) - len(classes)))
each = lr.ntxent(classes, embeddings, reduction="none")
print("mean over pairs:", round(float(lr.ntxent(classes, embeddings)), 6), " sum / 18:", round(float(each.sum() / 18), 6))
w = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0])
print("only class 0's anchors:", round(float(lr.ntxent(classes, embeddings, sample_weight=w)), 6),
      " sum / 6:", round(float(each[:3].sum() / 6), 6))
