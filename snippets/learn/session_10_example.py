import numpy as np
import lossref as lr

np.set_printoptions(precision=4, suppress=True)


def show(label, value):
    """One line of output: a scalar rounded to 4 decimals, an array with the print options above."""
    value = np.asarray(value)
    print(f"{label}:", round(float(value), 4) if value.ndim == 0 else value)


# (a) A classifier that ends in log_softmax: nll reads the true class's entry.
log_probs = np.log(np.array([[0.5, 0.3, 0.2]]))
label = np.array([0])
show("nll", lr.nll(label, log_probs))
# Log-probabilities are logits too: their softmax gives the probabilities back.
show("categorical focal, gamma=2", lr.categorical_focal(label, log_probs, gamma=2.0))

# (b) CTC: the blank "-" (class 0), "a" (1) and "b" (2); three steps; the target "ab".
probs = np.array([[0.2, 0.7, 0.1],    # the network's probabilities at each step
                  [0.5, 0.2, 0.3],
                  [0.3, 0.1, 0.6]])
logits = np.log(probs)[None]          # a batch of one sequence: softmax(logits) gives probs back
targets = np.array([[1, 2]])
alpha = np.exp(lr.ctc.forward_variables(targets, logits)[0])  # positions of "-a-b-" across
for t in range(3):
    show(f"alpha at step {t}", alpha[t])
ctc = lr.ctc(targets, logits)
show("p(ab)", np.exp(-ctc))
show("ctc", ctc)
show("ctc over the target length (torch's 'mean')", ctc / targets.shape[1])

# (c) One list of three items: scores and graded relevance.
scores = np.array([[np.log(2.0), 0.0, 0.0]])
relevance = np.array([[2.0, 1.0, 0.0]])
show("softmax of the scores", np.exp(scores - np.log(np.exp(scores).sum())))
show("ranking softmax", lr.ranking_softmax(relevance, scores))
show("margin ranking, item 1 over item 2, margin 1",
     lr.margin_ranking(np.array([1.0]), scores[:, 0], scores[:, 1], margin=1.0))

# (d) A triplet in the plane, and a pair of vectors labelled dissimilar.
anchor, positive, negative = np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]), np.array([[0.0, 5.5]])
show("triplet margin, margin 1", lr.triplet_margin(anchor, positive, negative, margin=1.0))
x1, x2 = np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]])
show("cosine embedding, y = -1, margin 0", lr.cosine_embedding(np.array([-1]), x1, x2))

# (e) InfoNCE: one query, its positive key and two shared negatives, temperature 0.5.
query, key = np.array([[1.0, 0.0]]), np.array([[2.0, 0.0]])
negatives = np.array([[0.0, 1.0], [-1.0, 0.0]])
show("info_nce", lr.info_nce(query, key, negatives, temperature=0.5))

# (f) Dice on a batch of two 4-pixel masks: a large mask found, a small one missed.
y = np.array([[1.0, 1.0, 1.0, 1.0],
              [1.0, 0.0, 0.0, 0.0]])
p = np.array([[1.0, 1.0, 1.0, 1.0],
              [0.0, 0.0, 0.0, 0.0]])
show("dice per image, smooth 0", lr.dice(y, p, smooth=0.0, reduction="none"))
show("dice, mean over the images", lr.dice(y, p, smooth=0.0))
show("dice of the batch as one mask (Keras's default axis)", lr.dice(y.reshape(1, -1), p.reshape(1, -1), smooth=0.0))

# (g) Two disjoint boxes (x1, y1, x2, y2) of the same shape, side by side.
target, box = np.array([[0.0, 0.0, 2.0, 2.0]]), np.array([[3.0, 0.0, 5.0, 2.0]])
show("giou", lr.giou_box(target, box))
show("diou", lr.diou_box(target, box))
show("ciou", lr.ciou_box(target, box))
