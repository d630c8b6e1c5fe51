import numpy as np
import lossref as lr

# One query, four candidate documents: graded relevance (0 = not relevant) and the model's scores
relevance = np.array([[3.0, 0.0, 1.0, 0.0]])
scores = np.array([[1.0, 2.0, 0.5, -1.0]])

p = np.exp(scores) / np.exp(scores).sum()
print("softmax of the scores:", p.round(4))
print("loss:", lr.ranking_softmax(relevance, scores))
print("-sum r log p by hand:", -(relevance * np.log(p)).sum())
print("gradient:", lr.ranking_softmax.grad(relevance, scores).round(4))
print("R p - r by hand:", (relevance.sum() * p - relevance).round(4))  # R = 4, the list's total relevance
