import numpy as np
import lossref as lr

# One informative feature with four values k; q[k] = P(y = 1 | x = k), share[k] = how often the value occurs.
q = np.array([0.0005, 0.004, 0.03, 0.25])
share = np.array([0.70, 0.22, 0.07, 0.01])
prevalence = share @ q
c_fp, c_fn = 1.0, 49.0  # a missed case costs as much as 49 false alarms
print("prevalence:", prevalence)

z = np.linspace(-12.0, 8.0, 200001)  # candidate logits, step 1e-4


def best_logit(qk, **params):
    """The logit a flexible model reaches at a value with P(y = 1) = qk: the expected BCE there is the BCE
    against the soft target qk, minimised here by a grid search."""
    risk = lr.bce_with_logits(np.full_like(z, qk), z, reduction="none", **params)
    return z[np.argmin(risk)]


def sigmoid(t):
    return 1 / (1 + np.exp(-t))


p_plain = sigmoid(np.array([best_logit(qk) for qk in q]))
p_weighted = sigmoid(np.array([best_logit(qk, pos_weight=c_fn / c_fp) for qk in q]))
print("unweighted minimiser:", p_plain)
print("pos_weight=49 minimiser:", p_weighted)

# 'Always negative' is the best constant prediction, the prevalence; the informative model's loss is lower.
always = lr.bce(q, np.full_like(q, prevalence), reduction="none") @ share
model = lr.bce(q, p_plain, reduction="none") @ share
print("expected loss, constant prevalence:", always)
print("expected loss, unweighted model:", model)

# The same decisions: the calibrated probability against the cost threshold, the weighted one against 0.5.
threshold = c_fp / (c_fp + c_fn)
print("cost threshold:", threshold)
print("flag, unweighted with the cost threshold:", (p_plain > threshold).astype(int))
print("flag, pos_weight=49 with 0.5:", (p_weighted > 0.5).astype(int))

# Training on a rebalanced sample (every positive, 1 negative in 100) and correcting the prior afterwards.
keep = 0.01
q_train = q / (q + keep * (1 - q))  # P(y = 1 | x) in the rebalanced sample
pi_train = prevalence / (prevalence + keep * (1 - prevalence))
z_train = np.array([best_logit(qk) for qk in q_train])
shift = np.log(prevalence / (1 - prevalence)) - np.log(pi_train / (1 - pi_train))
print("trained on the rebalanced sample:", sigmoid(z_train))
print("after the prior correction:", sigmoid(z_train + shift))
