import numpy as np
import lossref as lr


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def fit_logistic(X, y, class_weight=None, steps=600, step=4.0):
    """Logistic regression by gradient descent on the (weighted) mean BCE."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        signal = lr.bce_with_logits.grad(y, X @ w, class_weight=class_weight)  # dR/dz
        w -= step * (X.T @ signal)  # chain rule: dz_i/dw = x_i
    return w


def expected_cost(q, p, t, c_fp=1.0, c_fn=9.0):
    """Mean cost of deciding "positive" when p > t, with the true P(y = 1 | x) = q."""
    return np.mean(np.where(p > t, (1 - q) * c_fp, q * c_fn))


rng = np.random.default_rng(0)
true_logits = {
    "well specified": lambda x: -3 + 2 * x,  # a linear logit: the model can represent it
    "misspecified": lambda x: -2.5 + 3 * np.tanh(2 * x),  # saturates: a straight logit cannot follow it
}
t_star = 1 / (1 + 9)  # c_FP / (c_FP + c_FN)
thresholds = np.linspace(0.01, 0.99, 99)
curves = {}
for case, logit in true_logits.items():
    x = rng.normal(size=4000)
    y = (rng.random(4000) < sigmoid(logit(x))).astype(float)
    X = np.column_stack([np.ones_like(x), x])
    w_plain = fit_logistic(X, y)
    w_weighted = fit_logistic(X, y, class_weight=(1.0, 9.0))
    x_test = rng.normal(size=50_000)
    q = sigmoid(logit(x_test))  # true probabilities: the cost is computed exactly, not sampled
    X_test = np.column_stack([np.ones_like(x_test), x_test])
    p_plain, p_weighted = sigmoid(X_test @ w_plain), sigmoid(X_test @ w_weighted)
    curves[case] = ([expected_cost(q, p_plain, t) for t in thresholds],
                    [expected_cost(q, p_weighted, t) for t in thresholds])
    print(f"{case}, positives in training:", y.mean())
    print(f"{case}, unweighted (intercept, slope):", w_plain.round(3))
    print(f"{case}, weighted (intercept, slope):", w_weighted.round(3))
    print(f"{case}, intercept shift vs log 9:", round(w_weighted[0] - w_plain[0], 3), round(np.log(9), 3))
    print(f"{case}, cost of unweighted at 0.5:", round(expected_cost(q, p_plain, 0.5), 4))
    print(f"{case}, cost of unweighted at t* = 0.1:", round(expected_cost(q, p_plain, t_star), 4))
    print(f"{case}, cost of weighted at 0.5:", round(expected_cost(q, p_weighted, 0.5), 4))
    print(f"{case}, cost of the Bayes rule q > 0.1:", round(expected_cost(q, q, t_star), 4))
    print(f"{case}, best cost over thresholds (unweighted, weighted):",
          round(min(curves[case][0]), 4), round(min(curves[case][1]), 4))
