"""Shared test configuration: hypothesis profiles and generators of valid inputs for every loss.

Profiles (select with the environment variable ``HYPOTHESIS_PROFILE``):

* ``ci`` (default): derandomized, so every run of the suite draws the same examples;
* ``fast``: a handful of examples per test, for a quick local loop;
* ``thorough``: many examples, for hunting rare failures before a release.

A *case* is one loss with one meaningful combination of its parameters (``huber`` with a
random ``delta``, ``cross_entropy`` with probability rows and class weights, ...). Its
generator produces valid ``(y, pred, params)`` of random shapes, with every point kept away
from the loss's kinks (the hinge at ``y*s = 1``, the absolute error at ``r = 0``, Huber at
``|r| = delta``, ties between multiclass scores, ...) so that finite differences are valid
there. Tests ask for a ``case`` (every case) or a ``grad_case`` (cases whose loss has a
gradient) argument and are parametrized over them; ``@pytest.mark.cases(where=predicate)`` keeps
only the cases a test is about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import lossref as lr

# ---------------------------------------------------------------------------------- profiles
# 25 examples per test keeps the whole suite within about three minutes on two cores.
settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fast",
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# ---------------------------------------------------------------------------------- examples
@dataclass(frozen=True)
class Example:
    """One valid call: ``loss(y, pred, sample_weight=sample_weight, **params)``."""

    y: Any
    pred: np.ndarray
    params: dict
    sample_weight: np.ndarray | None = None

    @property
    def kwargs(self) -> dict:
        """Keyword arguments for the call: the parameters plus the sample weights, if any."""
        kw = dict(self.params)
        if self.sample_weight is not None:
            kw["sample_weight"] = self.sample_weight
        return kw

    def astype(self, dtype) -> "Example":
        """The same example in another float dtype (float targets and array parameters too)."""

        def cast(v):
            if isinstance(v, np.ndarray) and v.dtype.kind == "f":
                return v.astype(dtype)
            return v

        return Example(
            y=cast(self.y),
            pred=self.pred.astype(dtype),
            params={k: cast(v) for k, v in self.params.items()},
            sample_weight=cast(self.sample_weight),
        )


def five_point_derivative(f, x, rel_step=1e-4):
    """d f / d x entry by entry, by the stencil (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h, error
    O(h^4): shape x.shape for a scalar f, f(x).shape + x.shape for an array f (the Jacobian)."""
    x = np.array(x, dtype=np.float64)
    out = None
    for i in np.ndindex(x.shape):
        x0 = x[i]
        h = (x0 + rel_step * max(1.0, abs(x0))) - x0  # a step that is exact in binary
        values = []
        for k in (-2, -1, 1, 2):
            xk = x.copy()
            xk[i] = x0 + k * h
            values.append(f(xk))
        d = (values[0] - 8 * values[1] + 8 * values[2] - values[3]) / (12 * h)
        if out is None:
            out = np.empty(np.shape(d) + x.shape)
        out[(Ellipsis, *i)] = d
    return out


@pytest.fixture(scope="session")
def five_point():
    """``five_point(f, x)``: ``five_point_derivative``, the finite-difference check the tests share."""
    return five_point_derivative


def away_from(values: np.ndarray, kinks, clearance: float) -> np.ndarray:
    """Move every value closer than ``clearance`` to a kink to ``2 * clearance`` from it (same side)."""
    out = np.array(values, dtype=np.float64)
    for k in kinks:
        d = out - k
        near = np.abs(d) < clearance
        out = np.where(near, k + np.where(d >= 0, 2.0, -2.0) * clearance, out)
    return out


def prob_rows(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Probability rows on the last axis: dense, with zero entries, or one-hot."""
    c = shape[-1]
    p = rng.dirichlet(np.ones(c), size=shape[:-1])
    zeros = rng.random(shape) < 0.3
    zeros[..., int(rng.integers(c))] = False  # every row keeps some mass
    p = np.where(zeros, 0.0, p)
    p /= p.sum(axis=-1, keepdims=True)
    onehot = np.eye(c)[rng.integers(0, c, size=shape[:-1])]
    use_onehot = rng.random(shape[:-1] + (1,)) < 0.2
    return np.where(use_onehot, onehot, p)


def binary_targets(rng: np.random.Generator, shape) -> np.ndarray:
    """Hard 0/1 labels (usually) or soft targets in [0, 1]."""
    if rng.random() < 0.65:
        return rng.integers(0, 2, size=shape).astype(np.float64)
    y = rng.uniform(0, 1, size=shape)
    y[rng.random(shape) < 0.3] = 1.0
    return y


def pm1(rng: np.random.Generator, shape) -> np.ndarray:
    return rng.choice([-1.0, 1.0], size=shape)


def margin_scores(rng, y, kink: float = 1.0, clearance: float = 0.05) -> np.ndarray:
    """Scores whose margins ``y * s`` stay away from the hinge's kink."""
    m = away_from(rng.uniform(-3, 3, size=y.shape), [kink], clearance)
    return y * m


def grid_scores(rng, shape) -> np.ndarray:
    """Scores on a grid of step 0.3 with small jitter: distinct within a row and, for up to 4
    classes, no difference of two scores within 0.06 of -margin for a margin in {0, 0.5, 1, 2}."""
    c = shape[-1]
    ranks = np.argsort(rng.random(shape), axis=-1)  # a random permutation of 0..C-1 per row
    offset = rng.integers(-2, 2, size=shape[:-1] + (1,))
    jitter = rng.uniform(-0.02, 0.02, size=shape)
    return 0.3 * (ranks + offset - (c - 1) / 2) + jitter


def weights_for(rng, loss_shape) -> np.ndarray:
    """Non-negative sample weights (some exactly 0), per example or one per row."""
    shape = loss_shape if (len(loss_shape) == 1 or rng.random() < 0.5) else loss_shape[:1]
    w = rng.uniform(0.1, 2.0, size=shape)
    w[rng.random(shape) < 0.15] = 0.0
    if not w.any():
        w.flat[0] = 1.0
    return w


# ---------------------------------------------------------------------------------- cases
ELEMENT_SHAPES = st.one_of(
    st.tuples(st.integers(1, 8)),
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
    st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 2)),
)
ROW_SHAPES = st.one_of(
    st.tuples(st.integers(1, 4), st.integers(2, 4)),
    st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(2, 4)),
)


@dataclass(frozen=True)
class Case:
    """A loss with one combination of parameters and a generator of valid, kink-free inputs."""

    id: str
    loss: lr.Loss
    gen: Callable[[np.random.Generator, tuple], tuple]  # (rng, shape) -> (y, pred, params)
    per_row: bool = False
    domain: str = "real"  # where predictions live: "real", "prob" (0, 1) or "positive"

    @property
    def name(self) -> str:
        return self.loss.name

    @property
    def has_grad(self) -> bool:
        return self.name != "zero_one"

    def loss_shape(self, pred_shape):
        return tuple(pred_shape[:-1]) if self.per_row else tuple(pred_shape)

    def sample(self, seed: int = 0, shape=None, *, weighted: bool = False) -> Example:
        """A deterministic example (float64) for ``seed`` and ``shape``."""
        rng = np.random.default_rng(seed)
        if shape is None:
            shape = (3, 4) if self.per_row else (2, 3)
        y, pred, params = self.gen(rng, tuple(shape))
        sw = weights_for(rng, self.loss_shape(np.shape(pred))) if weighted else None
        return Example(y, np.asarray(pred, dtype=np.float64), params, sw)

    def examples(self, *, weighted: bool | None = False, dtype=np.float64):
        """A hypothesis strategy of examples; ``weighted=None`` draws with or without weights."""
        shapes = ROW_SHAPES if self.per_row else ELEMENT_SHAPES
        w = st.booleans() if weighted is None else st.just(weighted)
        return st.builds(
            lambda shape, seed, wt: self.sample(seed, shape, weighted=wt).astype(dtype),
            shapes,
            st.integers(0, 2**32 - 1),
            w,
        )

    def perturbed(self, rng, pred) -> np.ndarray:
        """Another valid prediction of the same shape (for lines between two predictions)."""
        if self.domain == "prob":
            return rng.uniform(0.01, 0.99, size=pred.shape)
        if self.domain == "positive":
            return rng.uniform(0.05, 8.0, size=pred.shape)
        return pred + rng.normal(0, 2.0, size=pred.shape)

    def __repr__(self) -> str:
        return self.id


def _unif(rng, lo, hi):
    return float(rng.uniform(lo, hi))


def _regression(residual: Callable, params: Callable = lambda rng: {}):
    def gen(rng, shape):
        p = params(rng)
        y = rng.normal(0, 2.0, size=shape)
        return y, y + residual(rng, shape, p), p

    return gen


def _normal_r(rng, shape, p):
    return rng.normal(0, 2.0, size=shape)


def _away_zero(rng, shape, p):
    return away_from(rng.normal(0, 2.0, size=shape), [0.0], 0.05)


def _threshold_r(key):
    def residual(rng, shape, p):
        t = p[key]
        return away_from(rng.uniform(-3 * t, 3 * t, size=shape), [-t, t], 0.05 * t)

    return residual


def _poisson(log_input: bool, full: bool):
    def gen(rng, shape):
        y = rng.poisson(rng.uniform(0.3, 6.0), size=shape).astype(np.float64)
        if rng.random() < 0.3:
            y = y + rng.uniform(0, 1, size=shape)  # non-integer counts are allowed (rates of events)
        pred = rng.uniform(-2.0, 2.5, size=shape) if log_input else rng.uniform(0.1, 8.0, size=shape)
        return y, pred, {"log_input": log_input, "full": full}

    return gen


def _gaussian(var_kind: str, full: bool | None = None):
    def gen(rng, shape):
        y = rng.normal(0, 2.0, size=shape)
        pred = y + rng.normal(0, 2.0, size=shape)
        if var_kind == "scalar":
            var = _unif(rng, 0.2, 3.0)
        elif var_kind == "element":
            var = rng.uniform(0.2, 3.0, size=shape)
        else:  # one variance per last-axis column, broadcast over the rows
            var = rng.uniform(0.2, 3.0, size=shape[-1:])
        f = bool(rng.random() < 0.5) if full is None else full
        return y, pred, {"var": var, "full": f}

    return gen


def _bce(class_weight: bool):
    def gen(rng, shape):
        params = {"class_weight": rng.uniform(0.2, 3.0, size=2)} if class_weight else {}
        return binary_targets(rng, shape), rng.uniform(0.02, 0.98, size=shape), params

    return gen


def _logits(rng, shape):
    return rng.normal(0, 3.0, size=shape)


def _bce_logits(pos_weight: str | None, class_weight: bool):
    def gen(rng, shape):
        params = {}
        if pos_weight == "scalar":
            params["pos_weight"] = _unif(rng, 0.2, 4.0)
        elif pos_weight == "column":
            params["pos_weight"] = rng.uniform(0.2, 4.0, size=shape[-1:])
        if class_weight:
            params["class_weight"] = rng.uniform(0.2, 3.0, size=2)
        return binary_targets(rng, shape), _logits(rng, shape), params

    return gen


def _focal(gamma: float | None, alpha: bool = False, class_weight: bool = False):
    def gen(rng, shape):
        params = {"gamma": _unif(rng, 0.0, 4.0) if gamma is None else gamma}
        if alpha:
            params["alpha"] = _unif(rng, 0.0, 1.0)
        if class_weight:
            params["class_weight"] = rng.uniform(0.2, 3.0, size=2)
        return binary_targets(rng, shape), _logits(rng, shape), params

    return gen


def _cross_entropy(target: str, class_weight=False, smoothing=False, ignore: str | None = None):
    def gen(rng, shape):
        c = shape[-1]
        params = {}
        if class_weight:
            params["class_weight"] = rng.uniform(0.2, 3.0, size=c)
        if smoothing:
            params["label_smoothing"] = _unif(rng, 0.01, 0.9)
        if target == "probs":
            y = prob_rows(rng, shape)
        else:
            y = rng.integers(0, c, size=shape[:-1])
            if ignore == "-100":
                params["ignore_index"] = -100
                y = np.where(rng.random(y.shape) < 0.3, -100, y)
            elif ignore == "class":
                params["ignore_index"] = int(rng.integers(0, c))
        return y, _logits(rng, shape), params

    return gen


def _kl(class_weight: bool):
    def gen(rng, shape):
        params = {"class_weight": rng.uniform(0.2, 3.0, size=shape[-1])} if class_weight else {}
        return prob_rows(rng, shape), _logits(rng, shape), params

    return gen


def _binary_margin(class_weight: bool, kink: bool = True):
    def gen(rng, shape):
        y = pm1(rng, shape)
        s = margin_scores(rng, y) if kink else rng.normal(0, 3.0, size=shape)
        params = {"class_weight": rng.uniform(0.2, 3.0, size=2)} if class_weight else {}
        return y, s, params

    return gen


def _multiclass(variant: str, class_weight: bool):
    def gen(rng, shape):
        params = {"variant": variant, "margin": float(rng.choice([0.0, 0.5, 1.0, 2.0]))}
        if class_weight:
            params["class_weight"] = rng.uniform(0.2, 3.0, size=shape[-1])
        return rng.integers(0, shape[-1], size=shape[:-1]), grid_scores(rng, shape), params

    return gen


def _zero_one_binary(rng, shape):
    y = pm1(rng, shape)
    s = rng.normal(0, 2.0, size=shape)
    params = {"class_weight": rng.uniform(0.2, 3.0, size=2)} if rng.random() < 0.3 else {}
    return y, s, params


def _zero_one_multi(rng, shape):
    params = {"class_weight": rng.uniform(0.2, 3.0, size=shape[-1])} if rng.random() < 0.3 else {}
    return rng.integers(0, shape[-1], size=shape[:-1]), grid_scores(rng, shape), params


def _hinge_embedding(rng, shape):
    """Distances in [0, 3] away from the margin, the kink of the dissimilar pairs."""
    margin = _unif(rng, 0.5, 2.0)
    return pm1(rng, shape), away_from(rng.uniform(0, 3, size=shape), [margin], 0.05), {"margin": margin}


def _nll(class_weight: bool, ignore: str | None = None):
    def gen(rng, shape):
        c = shape[-1]
        z = _logits(rng, shape)
        log_probs = z - np.logaddexp.reduce(z, axis=-1, keepdims=True)  # log_softmax
        y = rng.integers(0, c, size=shape[:-1])
        params = {"class_weight": rng.uniform(0.2, 3.0, size=c)} if class_weight else {}
        if ignore == "-100":
            params["ignore_index"] = -100
            y = np.where(rng.random(y.shape) < 0.3, -100, y)
        elif ignore == "class":
            params["ignore_index"] = int(rng.integers(0, c))
        return y, log_probs, params

    return gen


def _categorical_focal(gamma: float, target: str = "labels", alpha: str | None = None):
    def gen(rng, shape):
        c = shape[-1]
        params = {"gamma": gamma}
        if alpha == "scalar":
            params["alpha"] = _unif(rng, 0.1, 1.0)
        elif alpha == "class":
            params["alpha"] = rng.uniform(0.1, 1.0, size=c)
        y = prob_rows(rng, shape) if target == "probs" else rng.integers(0, c, size=shape[:-1])
        return y, _logits(rng, shape), params

    return gen


def _cosine(eps: float | None):
    def gen(rng, shape):
        # vectors of norm about sqrt(D): far above the floor, whose kink is at |y_pred| = eps
        params = {} if eps is None else {"eps": eps}
        return rng.normal(size=shape), rng.normal(size=shape), params

    return gen


def _ranking(masked: bool):
    def gen(rng, shape):
        relevance = rng.integers(0, 4, size=shape) * (rng.random(shape) < 0.6)  # graded, some lists without any
        params = {"mask": rng.random(shape) < 0.75} if masked else {}
        return relevance.astype(np.float64), _logits(rng, shape), params

    return gen


def _case(id, loss, gen, **kw):
    return Case(id=id, loss=loss, gen=gen, **kw)


CASES: list[Case] = [
    _case("mse", lr.mse, _regression(_normal_r, lambda rng: {"half": False})),
    _case("mse-half", lr.mse, _regression(_normal_r, lambda rng: {"half": True})),
    _case("mae", lr.mae, _regression(_away_zero)),
    _case("huber-delta", lr.huber,
          _regression(_threshold_r("delta"), lambda rng: {"delta": _unif(rng, 0.2, 4.0)})),
    _case("smooth_l1-beta", lr.smooth_l1,
          _regression(_threshold_r("beta"), lambda rng: {"beta": _unif(rng, 0.2, 4.0)})),
    _case("smooth_l1-beta0", lr.smooth_l1, _regression(_away_zero, lambda rng: {"beta": 0.0})),
    _case("log_cosh", lr.log_cosh, _regression(_normal_r)),
    _case("quantile-tau", lr.quantile, _regression(_away_zero, lambda rng: {"tau": _unif(rng, 0.05, 0.95)})),
    _case("poisson_nll-log", lr.poisson_nll, _poisson(True, False)),
    _case("poisson_nll-log-full", lr.poisson_nll, _poisson(True, True)),
    _case("poisson_nll-rate", lr.poisson_nll, _poisson(False, False), domain="positive"),
    _case("poisson_nll-rate-full", lr.poisson_nll, _poisson(False, True), domain="positive"),
    _case("gaussian_nll-var_scalar", lr.gaussian_nll, _gaussian("scalar", False)),
    _case("gaussian_nll-var_element", lr.gaussian_nll, _gaussian("element", False)),
    _case("gaussian_nll-var_column", lr.gaussian_nll, _gaussian("column")),
    _case("gaussian_nll-full", lr.gaussian_nll, _gaussian("element", True)),
    _case("bce", lr.bce, _bce(False), domain="prob"),
    _case("bce-class_weight", lr.bce, _bce(True), domain="prob"),
    _case("bce_with_logits", lr.bce_with_logits, _bce_logits(None, False)),
    _case("bce_with_logits-pos_weight_scalar", lr.bce_with_logits, _bce_logits("scalar", False)),
    _case("bce_with_logits-pos_weight_column", lr.bce_with_logits, _bce_logits("column", False)),
    _case("bce_with_logits-class_weight", lr.bce_with_logits, _bce_logits(None, True)),
    _case("bce_with_logits-pos_weight-class_weight", lr.bce_with_logits, _bce_logits("column", True)),
    _case("cross_entropy-labels", lr.cross_entropy, _cross_entropy("labels"), per_row=True),
    _case("cross_entropy-probs", lr.cross_entropy, _cross_entropy("probs"), per_row=True),
    _case("cross_entropy-labels-class_weight", lr.cross_entropy, _cross_entropy("labels", class_weight=True),
          per_row=True),
    _case("cross_entropy-probs-class_weight", lr.cross_entropy, _cross_entropy("probs", class_weight=True),
          per_row=True),
    _case("cross_entropy-labels-smoothing", lr.cross_entropy, _cross_entropy("labels", smoothing=True), per_row=True),
    _case("cross_entropy-probs-smoothing", lr.cross_entropy, _cross_entropy("probs", smoothing=True), per_row=True),
    _case("cross_entropy-ignore_-100", lr.cross_entropy, _cross_entropy("labels", ignore="-100"), per_row=True),
    _case("cross_entropy-ignore_class", lr.cross_entropy, _cross_entropy("labels", ignore="class"), per_row=True),
    _case(
        "cross_entropy-ignore_class-class_weight-smoothing",
        lr.cross_entropy,
        _cross_entropy("labels", class_weight=True, smoothing=True, ignore="class"),
        per_row=True,
    ),
    _case("focal-gamma2", lr.focal, _focal(2.0)),
    _case("focal-gamma0.5", lr.focal, _focal(0.5)),
    _case("focal-gamma0", lr.focal, _focal(0.0)),
    _case("focal-gamma1-alpha", lr.focal, _focal(1.0, alpha=True)),
    _case("focal-gamma-alpha-class_weight", lr.focal, _focal(None, alpha=True, class_weight=True)),
    _case("kl_divergence", lr.kl_divergence, _kl(False), per_row=True),
    _case("kl_divergence-class_weight", lr.kl_divergence, _kl(True), per_row=True),
    _case("hinge", lr.hinge, _binary_margin(False)),
    _case("hinge-class_weight", lr.hinge, _binary_margin(True)),
    _case("squared_hinge", lr.squared_hinge, _binary_margin(False)),
    _case("squared_hinge-class_weight", lr.squared_hinge, _binary_margin(True)),
    _case("logistic", lr.logistic, _binary_margin(False, kink=False)),
    _case("logistic-class_weight", lr.logistic, _binary_margin(True, kink=False)),
    _case("multiclass_hinge-crammer_singer", lr.multiclass_hinge, _multiclass("crammer_singer", False), per_row=True),
    _case("multiclass_hinge-weston_watkins", lr.multiclass_hinge, _multiclass("weston_watkins", False), per_row=True),
    _case("multiclass_hinge-crammer_singer-class_weight", lr.multiclass_hinge, _multiclass("crammer_singer", True),
          per_row=True),
    _case("multiclass_hinge-weston_watkins-class_weight", lr.multiclass_hinge, _multiclass("weston_watkins", True),
          per_row=True),
    _case("hinge_embedding", lr.hinge_embedding, _hinge_embedding),
    _case("zero_one-binary", lr.zero_one, _zero_one_binary),
    _case("zero_one-multiclass", lr.zero_one, _zero_one_multi, per_row=True),
    _case("nll", lr.nll, _nll(False), per_row=True),
    _case("nll-ignore_-100", lr.nll, _nll(False, ignore="-100"), per_row=True),
    _case("nll-ignore_class-class_weight", lr.nll, _nll(True, ignore="class"), per_row=True),
    _case("categorical_focal-gamma2", lr.categorical_focal, _categorical_focal(2.0), per_row=True),
    _case("categorical_focal-gamma0.5-alpha_class", lr.categorical_focal, _categorical_focal(0.5, alpha="class"),
          per_row=True),
    _case("categorical_focal-probs-gamma3-alpha", lr.categorical_focal, _categorical_focal(3.0, "probs", "scalar"),
          per_row=True),
    _case("cosine_distance", lr.cosine_distance, _cosine(None), per_row=True),
    _case("cosine_distance-eps", lr.cosine_distance, _cosine(0.1), per_row=True),
    _case("ranking_softmax", lr.ranking_softmax, _ranking(False), per_row=True),
    _case("ranking_softmax-mask", lr.ranking_softmax, _ranking(True), per_row=True),
]
CASES_BY_ID = {c.id: c for c in CASES}
assert len(CASES_BY_ID) == len(CASES), "case ids must be unique"


# ---------------------------------------------------------------------------------- plumbing
def pytest_configure(config):
    config.addinivalue_line(
        "markers", "cases(where): keep only the loss cases for which where(case) is true"
    )


def _selected(metafunc, cases):
    marker = metafunc.definition.get_closest_marker("cases")
    if marker is not None:
        cases = [c for c in cases if marker.kwargs["where"](c)]
    return cases


def pytest_generate_tests(metafunc):
    for name, pool in (("case", CASES), ("grad_case", [c for c in CASES if c.has_grad])):
        if name in metafunc.fixturenames:
            cases = _selected(metafunc, pool)
            metafunc.parametrize(name, cases, ids=[c.id for c in cases])


@pytest.fixture(scope="session")
def cases_by_id():
    """Every case by its id, for tests that need a particular one."""
    return CASES_BY_ID


@pytest.fixture
def rng():
    return np.random.default_rng(20240521)

