import numpy as np
import lossref as lr

# A two-head linear model on shared features h (one row per example): logits = h @ W_cls, boxes = h @ W_box.
h = np.array([[1.0, -0.5, 0.3], [0.2, 0.8, -1.0], [-0.7, 0.4, 0.9], [0.5, 1.2, -0.2]])
W_cls = np.array([[0.6, -0.4], [-0.3, 0.5], [0.2, -0.6]])  # 3 features -> 2 class logits
W_box = np.array([[0.5, -0.2, 0.4, 0.1], [0.3, 0.6, -0.3, 0.2], [-0.4, 0.1, 0.2, 0.5]])  # -> 4 box coordinates
labels = np.array([0, 1, 1, 0])
boxes = h @ W_box
targets = {"cls": labels, "box": boxes + np.array([[30.0, -42, 25, -38], [-33, 41, -29, 36],
                                                     [40, -31, 37, -28], [-35, 30, -44, 39]])}  # errors in pixels
preds = {"cls": h @ W_cls, "box": boxes}
heads = {"cls": W_cls, "box": W_box}
tasks = {"cls": lr.cross_entropy, "box": lr.mae}


def norms(weights, ys=targets):
    """Each task's weighted gradient norm at the head outputs and at the shared features h."""
    grads = lr.combine(tasks, weights).grad(ys, preds)  # lambda_k dL_k/d(head output k)
    # Chain rule through a linear head out = h @ W: dL/dh = dL/d(out) @ W.T (the head's Jacobian, transposed)
    at_h = {t: g @ heads[t].T for t, g in grads.items()}
    return ({t: np.linalg.norm(g) for t, g in grads.items()}, {t: np.linalg.norm(g) for t, g in at_h.items()})


def box_share(norm):
    return norm["box"] / (norm["cls"] + norm["box"])


parts = lr.combine(tasks).parts(targets, preds)
print("values, cls and box:", parts["cls"], parts["box"])
out, at_h = norms({"cls": 1.0, "box": 1.0})
print("unweighted gradient norms at the head outputs, cls and box:", out["cls"], out["box"])
print("unweighted gradient norms at the shared features, cls and box:", at_h["cls"], at_h["box"])

lam_values = parts["cls"] / parts["box"]  # the weight that makes the two values equal
lam_grads = at_h["cls"] / at_h["box"]  # the weight that makes the two gradient norms at h equal
for label, lam in [("1", 1.0), ("matching the values", lam_values), ("matching the gradients at h", lam_grads)]:
    out_w, at_h_w = norms({"cls": 1.0, "box": lam})
    print(f"lambda_box {label}:", lam)
    print(f"box share, lambda_box {label}, at the head outputs:", box_share(out_w))
    print(f"box share, lambda_box {label}, at the shared features:", box_share(at_h_w))

# An absolute error's gradient is sign(error)/n: doubling every box error doubles the value, not the gradient.
doubled = {"cls": labels, "box": boxes + 2 * (targets["box"] - boxes)}
print("box value, errors doubled:", lr.mae(doubled["box"], boxes))
print("box gradient norm at h, errors doubled:", norms({"cls": 1.0, "box": 1.0}, doubled)[1]["box"])
