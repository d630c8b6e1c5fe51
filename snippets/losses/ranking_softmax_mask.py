import numpy as np
import lossref as lr

# Three lists padded to four items: three real items, two, and none at all
relevance = np.array([[1.0, 0.0, 2.0, 0.0],
                      [0.0, 1.0, 0.0, 0.0],
                      [0.0, 0.0, 0.0, 0.0]])
scores = np.array([[0.5, 1.5, 1.0, 0.0],
                   [2.0, 1.0, 0.0, 0.0],
                   [0.0, 0.0, 0.0, 0.0]])
mask = np.array([[True, True, True, False],
                 [True, True, False, False],
                 [False, False, False, False]])

print("per list, masked:", lr.ranking_softmax(relevance, scores, mask=mask, reduction="none"))
print("per list, padding left in:", lr.ranking_softmax(relevance, scores, reduction="none"))
print("mean, masked (over the two lists with items):", lr.ranking_softmax(relevance, scores, mask=mask))
masked = lr.ranking_softmax.grad(relevance, scores, mask=mask, reduction="sum")
unmasked = lr.ranking_softmax.grad(relevance, scores, reduction="sum")
print("gradient of list 1, masked:", masked[0].round(4))
print("gradient of list 1, padding left in:", unmasked[0].round(4))
print("gradient of list 3, masked:", masked[2])
