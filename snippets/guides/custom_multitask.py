import numpy as np
import lossref as lr

species = np.array([0, 1, 2, 1])  # task 1: classify, three classes
logits = np.array([[2.0, 0.5, -1.0], [0.3, 0.8, 0.1], [-0.5, 0.2, 1.5], [1.2, 0.4, 0.0]])
mass = np.array([3750.0, 5200.0, 3450.0, 4900.0])  # task 2: regress a mass in grams
mass_pred = np.array([3900.0, 4950.0, 3600.0, 5000.0])


def shares(weights, unit):
    """Each task's share of the total loss and of the gradient norm at the head outputs, [species, mass]."""
    total = lr.combine({"species": lr.cross_entropy, "mass": lr.mse}, weights)
    ys, preds = {"species": species, "mass": mass / unit}, {"species": logits, "mass": mass_pred / unit}
    parts = total.parts(ys, preds)  # each task's own loss, before its weight
    value = np.array([weights[t] * parts[t] for t in ("species", "mass")])
    norm = np.array([np.linalg.norm(g) for g in total.grad(ys, preds).values()])  # weights included
    return value / value.sum(), norm / norm.sum()


for label, weights, unit in [("grams, weights 1 and 1", {"species": 1.0, "mass": 1.0}, 1.0),
                             ("grams, mass weight 1e-5", {"species": 1.0, "mass": 1e-5}, 1.0),
                             ("kilograms, weights 1 and 1", {"species": 1.0, "mass": 1.0}, 1000.0)]:
    value_share, grad_share = shares(weights, unit)
    print(f"{label}, value share:", value_share)
    print(f"{label}, gradient share at the head outputs:", grad_share)
