import numpy as np
import lossref as lr

y = np.array([1.0, 0.0, 0.0, 0.0])  # one positive, three negatives
probs = np.array([0.4, 0.2, 0.1, 0.3])  # predicted probabilities of the positive class
alpha, beta = 3.0, 0.5  # weight of the positive term, weight of the negative term

# class_weight=(weight of class 0, weight of class 1): each loss times its class's weight
weighted = lr.bce(y, probs, class_weight=(beta, alpha), reduction="none")
print("weighted losses:", weighted)
print("sum of the weights:", np.where(y == 1, alpha, beta).sum())

# reduction="mean" divides the weighted sum by the sum of the weights
print("class-weighted mean:", lr.bce(y, probs, class_weight=(beta, alpha)))
weighted_sum = lr.bce(y, probs, class_weight=(beta, alpha), reduction="sum")
print("weighted sum / n:", weighted_sum / y.size)  # the slip: divided by n
print("unweighted mean:", lr.bce(y, probs))

unweighted = lr.bce(y, probs, reduction="none")
print("positive's share, unweighted:", unweighted[0] / unweighted.sum())
print("positive's share, weighted:", weighted[0] / weighted.sum())

# Its share of the gradient with respect to the probabilities (reduction="none": the gradient of the sum).
grad = np.abs(lr.bce.grad(y, probs, class_weight=(beta, alpha), reduction="none"))
print("positive's share of the gradient, weighted:", grad[0] / grad.sum())
