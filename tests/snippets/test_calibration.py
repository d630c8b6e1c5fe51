"""The calibration guide: snippet output against numbers recomputed here with NumPy, SciPy and scikit-learn."""

import numpy as np
from numpy.testing import assert_allclose


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def bce_logits(y, z):
    """Mean -[y log sigma(z) + (1 - y) log(1 - sigma(z))] = mean log(1 + e^z) - y z."""
    return np.mean(np.logaddexp(0.0, z) - y * z)


def binned(y, p, n_bins=10):
    """Counts, mean predictions and frequencies per bin, with np.histogram's bins ([a, b), the last [a, 1])."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    count, _ = np.histogram(p, edges)
    sum_p, _ = np.histogram(p, edges, weights=p)
    sum_y, _ = np.histogram(p, edges, weights=y)
    seen = np.maximum(count, 1)
    return count, sum_p / seen, sum_y / seen


def ece(y, p, n_bins=10):
    count, predicted, observed = binned(y, p, n_bins)
    return np.sum(count / len(p) * np.abs(observed - predicted))


def overconfident(seed=0, n=20000):
    rng = np.random.default_rng(seed)
    t = rng.normal(0.0, 1.5, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-t))).astype(float)
    return t, y


def test_reliability(printed):
    out = printed("guides/calibration_reliability.py")
    t, y = overconfident()
    p = sigmoid(2.5 * t)
    count, predicted, observed = binned(y, p)
    assert_allclose(out["count per bin"], count)
    assert_allclose(out["mean prediction per bin"], predicted, atol=5e-4)
    assert_allclose(out["observed frequency per bin"], observed, atol=5e-4)
    # over-confident: below the diagonal above 1/2, above it below 1/2
    assert np.all(observed[6:] < predicted[6:]) and np.all(observed[:4] > predicted[:4])
    assert_allclose([predicted[-1], observed[-1], predicted[0], observed[0]], [0.972, 0.837, 0.029, 0.168],
                    atol=5e-4)  # the numbers the page quotes
    for n_bins in (10, 5, 20, 50):
        assert_allclose(out[f"ECE, {n_bins} bins"], ece(y, p, n_bins), atol=5e-5)
    assert_allclose(out["ECE of the true probabilities"], ece(y, sigmoid(t)), atol=5e-5)
    assert out["ECE of the true probabilities"] < 0.02 < 0.1 < out["ECE, 10 bins"]
    assert_allclose(out["log loss, model"], bce_logits(y, 2.5 * t), atol=5e-5)
    assert_allclose(out["log loss, true probabilities"], bce_logits(y, t), atol=5e-5)


def test_ece_of_a_calibrated_model_is_biased_upwards(printed):
    out = printed("guides/calibration_ece_bias.py")
    for n in (100, 1000, 10000):
        values = [out[f"n = {n}, {b} bins"][-1] for b in (5, 10, 50)]
        assert values[0] < values[1] < values[2]  # more bins, fewer examples per bin, a larger ECE
        if n >= 1000:
            # E|n_k (obs_k - pred_k)| ~ sqrt(2/pi) sqrt(n_k v_k) for a sum of independent Bernoulli
            # deviations (normal approximation), v_k the mean of p (1 - p) over a uniform bin.
            for n_bins, got in zip((5, 10, 50), values):
                edges = np.linspace(0.0, 1.0, n_bins + 1)
                a, b = edges[:-1], edges[1:]
                v = ((b**2 - a**2) / 2 - (b**3 - a**3) / 3) / (b - a)
                expected = np.sqrt(2 / (np.pi * n * n_bins)) * np.sum(np.sqrt(v))
                assert_allclose(got, expected, rtol=0.06)
    for b in (5, 10, 50):  # shrinks like 1 / sqrt(n): a factor of about sqrt(10) per row
        ratio = out[f"n = 1000, {b} bins"][-1] / out[f"n = 10000, {b} bins"][-1]
        assert 2.8 < ratio < 3.6


def test_brier_decomposition(printed):
    out = printed("guides/calibration_brier.py")
    t, y = overconfident()
    p = sigmoid(2.5 * t)
    count, predicted, observed = binned(y, p)
    share, base = count / len(y), y.mean()
    rel = np.sum(share * (predicted - observed) ** 2)
    res = np.sum(share * (observed - base) ** 2)
    assert_allclose(out["reliability"], rel, atol=5e-6)
    assert_allclose(out["resolution"], res, atol=5e-6)
    assert_allclose(out["uncertainty"], base * (1 - base), atol=5e-6)
    k = np.clip(np.searchsorted(np.linspace(0, 1, 11), p, side="right") - 1, 0, 9)
    brier_binned = np.mean((predicted[k] - y) ** 2)
    assert_allclose(rel - res + base * (1 - base), brier_binned, rtol=1e-12)  # exact for the binned forecast
    assert_allclose(out["REL - RES + UNC"], brier_binned, atol=5e-6)
    assert_allclose(out["Brier score of the binned forecast (lr.mse)"], brier_binned, atol=5e-6)
    assert_allclose(out["Brier score of the raw forecast (lr.mse)"], np.mean((p - y) ** 2), atol=5e-6)
    assert_allclose(np.mean((p - y) ** 2) - brier_binned, -0.0020, atol=5e-5)  # the remainder the page quotes


def _held_out_and_test():
    rng = np.random.default_rng(2)

    def draw(n):
        t = rng.normal(0.0, 1.5, n)
        return (rng.random(n) < 1 / (1 + np.exp(-t))).astype(float), 2.5 * t

    return draw(2000), draw(20000)


def test_temperature_scaling(printed):
    from scipy.optimize import minimize_scalar

    out = printed("guides/calibration_temperature.py")
    (y_cal, z_cal), (y_test, z_test) = _held_out_and_test()
    fit = minimize_scalar(lambda T: bce_logits(y_cal, z_cal / T), bounds=(0.5, 10.0), method="bounded",
                          options={"xatol": 1e-9})
    T = fit.x
    assert_allclose(out["fitted T"], T, atol=5e-5)
    assert_allclose(out["step 6"][-2:], [T, fit.fun], atol=5e-6)
    # "converges in five steps": step 5 agrees with the fit at the six printed digits, step 4 does not
    assert abs(out["step 5"][-2] - T) < 1e-6 < abs(out["step 4"][-2] - T)
    assert out["step 1"][0] == 0.5 and np.all(out["step 2"][0] == 1)  # the first full step is halved
    assert abs(out["dL/dbeta at the fit"][0]) < 1e-10
    assert abs(T - 2.5) < 0.15  # the population temperature of the simulated model is 2.5
    assert_allclose(out["test NLL before, after"], [bce_logits(y_test, z_test), bce_logits(y_test, z_test / T)],
                    atol=5e-5)
    assert_allclose(out["test ECE before, after"], [ece(y_test, sigmoid(z_test)), ece(y_test, sigmoid(z_test / T))],
                    atol=5e-5)
    accuracy = np.mean((z_test > 0) == y_test)
    assert_allclose(out["test accuracy before, after"], [accuracy, accuracy])  # T > 0 keeps every decision


def test_platt_and_isotonic_against_scikit_learn(printed):
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression

    out = printed("guides/calibration_platt_isotonic.py")
    (y_cal, z_cal), (y_test, z_test) = _held_out_and_test()
    platt = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(z_cal[:, None], y_cal)
    a, b = platt.coef_[0, 0], platt.intercept_[0]
    assert_allclose(out["Platt a, b"], [a, b], atol=5e-5)
    assert_allclose(out["1 / a"], 1 / a, atol=5e-5)
    iso = IsotonicRegression(out_of_bounds="clip").fit(z_cal, y_cal)
    assert_allclose(out["isotonic steps"], len(np.unique(iso.predict(z_cal))))
    # scikit-learn interpolates linearly between the fitted points; the page's map is a step function
    order = np.argsort(z_cal)
    fitted = iso.predict(z_cal[order])
    steps = fitted[np.clip(np.searchsorted(z_cal[order], z_test, side="right") - 1, 0, len(z_cal) - 1)]
    eps = np.finfo(float).eps

    def scores(p):
        q = np.clip(p, eps, 1 - eps)  # lossref's bce clips to [eps, 1 - eps]
        return [ece(y_test, p), np.mean((p - y_test) ** 2), -np.mean(y_test * np.log(q) + (1 - y_test) * np.log(1 - q))]

    assert_allclose(out["none, test ECE, Brier, log loss"], scores(sigmoid(z_test)), atol=5e-5)
    assert_allclose(out["Platt, test ECE, Brier, log loss"], scores(sigmoid(a * z_test + b)), atol=5e-5)
    assert_allclose(out["isotonic, test ECE, Brier, log loss"], scores(steps), atol=5e-5)
    # the outer steps are exactly 0 and 1, and 27 test examples land there with the other label
    assert fitted[0] == 0 and fitted[-1] == 1
    assert np.sum((steps == 0) & (y_test == 1)) + np.sum((steps == 1) & (y_test == 0)) == 27


def test_cross_entropy_grows_the_weights_once_the_training_set_is_fitted(printed):
    out = printed("guides/calibration_overconfidence.py")
    rng = np.random.default_rng(3)
    d, n = 100, 60
    w_true = rng.normal(0.0, 1.5 / np.sqrt(d), d)

    def draw(m):
        x = rng.normal(0.0, 1.0, (m, d))
        return x, (rng.random(m) < 1 / (1 + np.exp(-x @ w_true))).astype(float)

    x, y = draw(n)
    x_test, y_test = draw(5000)
    for label, target in (("one-hot", y), ("smoothed 0.1", 0.9 * y + 0.05)):
        w = np.zeros(d)
        rows = []
        for t in range(1, 10001):
            w -= 0.5 * x.T @ (sigmoid(x @ w) - target) / n  # the gradient of the mean soft-target BCE
            if t in (10, 100, 1000, 10000):
                z = x_test @ w
                rows.append([bce_logits(y, x @ w), np.linalg.norm(w), bce_logits(y_test, z),
                             np.mean((z > 0) == y_test), np.mean(sigmoid(np.abs(z)))])
                assert_allclose(out[f"{label}, step {t}"], rows[-1], atol=6e-5)
        rows = np.array(rows)
        if label == "one-hot":
            assert np.all(np.diff(rows[:, 0]) < 0) and rows[-1, 0] < 1e-3  # the training CE goes to 0 ...
            assert np.all(np.diff(rows[:, 1]) > 0)  # ... by growing the weights,
            growth = np.diff(rows[1:, 1])  # about the same amount per tenfold steps (as log t)
            assert abs(growth[1] - growth[0]) < 0.1 * growth[0]
            assert np.all(np.diff(rows[:, 2]) > 0)  # the test NLL rises
            assert rows[-1, 4] - rows[-1, 3] > 0.3  # confidence far above accuracy
        else:
            assert abs(rows[-1, 1] - rows[-2, 1]) < 0.01 * rows[-1, 1]  # the weights stop growing
