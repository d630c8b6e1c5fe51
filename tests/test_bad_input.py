"""Bad input raises ValueError or TypeError with a message that names the argument and says
what was expected; and it loses nothing: the arrays passed in are left as they were."""

from __future__ import annotations

import numpy as np
import pytest

import lossref as lr


def arr(*values, dtype=np.float64):
    return np.array(values, dtype=dtype)


X3 = arr(0.5, -1.0, 2.0)
LOGITS = np.array([[2.0, 0.0, -1.0], [0.5, 1.5, 0.0]])
PROBS3 = arr(0.2, 0.7, 0.9)
NAN = float("nan")
INF = float("inf")


def case(id, fn, args, kwargs, exc, match):
    return pytest.param(fn, args, kwargs, exc, match, id=id)


def _combine_ab(weights=None):
    return lr.combine({"a": lr.mse, "b": lr.mae}, weights)


def _combined_call(ys, preds, **kw):
    return _combine_ab()(ys, preds, **kw)


TWO_TASKS_Y = {"a": arr(1.0, 2.0), "b": arr(0.0, 1.0)}
TWO_TASKS_P = {"a": arr(1.5, 2.0), "b": arr(0.5, 1.0)}

BAD_INPUT = [
    # ---------------------------------------------------------------- shapes
    case("mse-shape-mismatch", lr.mse, (arr(1.0, 2.0, 3.0), arr(1.0, 2.0)), {}, ValueError,
         r"y and y_pred must have the same shape.*y \(3,\).*y_pred \(2,\)"),
    case("bce_with_logits-shape-mismatch", lr.bce_with_logits, (np.zeros((2, 2)), np.zeros((2, 3))), {}, ValueError,
         r"y and logits must have the same shape.*\(2, 2\).*\(2, 3\)"),
    case("cross_entropy-labels-shape-mismatch", lr.cross_entropy, (np.array([0, 1, 2]), LOGITS), {}, ValueError,
         r"y must hold integer labels of shape \(2,\).*logits \(2, 3\).*got shape \(3,\)"),
    case("multiclass_hinge-labels-shape-mismatch", lr.multiclass_hinge, (np.array([0, 1, 2]), LOGITS), {}, ValueError,
         r"y must hold integer labels of shape \(2,\).*got shape \(3,\)"),
    case("kl_divergence-shape-mismatch", lr.kl_divergence, (np.full((2, 2), 0.5), LOGITS), {}, ValueError,
         r"y must hold probability rows .*\(2, 3\); got shape \(2, 2\)"),
    case("cross_entropy-1d-logits", lr.cross_entropy, (np.array([1]), arr(2.0, 0.0, -1.0)), {}, ValueError,
         r"logits must have shape \(n, C\).*got shape \(3,\)"),
    case("cross_entropy-scalar-logits", lr.cross_entropy, (0, np.float64(1.0)), {}, ValueError,
         r"logits must have a class axis"),
    case("multiclass_hinge-one-class", lr.multiclass_hinge, (np.array([0, 0]), np.zeros((2, 1))), {}, ValueError,
         r"scores must have shape \(n, C\) with C >= 2"),
    # ---------------------------------------------------------------- label domains
    case("hinge-01-labels", lr.hinge, (arr(0.0, 1.0, 1.0), X3), {}, ValueError,
         r"y must hold labels in \{-1, \+1\} for hinge; got 0 at index 0.*\{0, 1\} labels.*y = 2 \* y - 1"),
    case("squared_hinge-01-labels", lr.squared_hinge, (np.array([1, 0, 1]), X3), {}, ValueError,
         r"y must hold labels in \{-1, \+1\} for squared_hinge; got 0 at index 1.*2 \* y - 1"),
    case("logistic-01-labels", lr.logistic, (arr(1.0, 1.0, 0.0), X3), {}, ValueError,
         r"y must hold labels in \{-1, \+1\} for logistic.*2 \* y - 1"),
    case("zero_one-01-labels", lr.zero_one, (arr(1.0, 0.0, 0.0), X3), {}, ValueError,
         r"y must hold labels in \{-1, \+1\}.*2 \* y - 1"),
    case("hinge-label-2", lr.hinge, (arr(1.0, -1.0, 2.0), X3), {}, ValueError,
         r"y must hold labels in \{-1, \+1\} for hinge; got 2 at index 2"),
    case("cross_entropy-class-out-of-range", lr.cross_entropy, (np.array([0, 3]), LOGITS), {}, ValueError,
         r"y holds class 3 at index 1; expected labels in \[0, 3\).*3 classes"),
    case("cross_entropy-1-indexed-labels", lr.cross_entropy, (np.array([3, 1]), LOGITS), {}, ValueError,
         r"y holds class 3 .*1-indexed: subtract 1"),
    case("cross_entropy-negative-label", lr.cross_entropy, (np.array([-1, 0]), LOGITS), {}, ValueError,
         r"y holds class -1 at index 0; expected labels in \[0, 3\)"),
    case("multiclass_hinge-class-out-of-range", lr.multiclass_hinge, (np.array([5, 0]), LOGITS), {}, ValueError,
         r"y holds class 5 .*\[0, 3\)"),
    case("cross_entropy-float-labels", lr.cross_entropy, (arr(0.0, 2.0), LOGITS), {}, TypeError,
         r"y has dtype float64; expected integer class labels.*np\.asarray\(y\)\.astype\(int\)"),
    case("cross_entropy-bool-labels", lr.cross_entropy, (np.array([True, False]), LOGITS), {}, TypeError,
         r"y has dtype bool; expected integer class labels"),
    # ---------------------------------------------------------------- probabilities and targets
    case("bce-probs-above-1", lr.bce, (arr(1.0, 0.0, 1.0), arr(0.2, 1.5, 0.9)), {}, ValueError,
         r"probs must hold probabilities in \[0, 1\]; got 1\.5 at index 1"),
    case("bce-probs-negative", lr.bce, (arr(1.0, 0.0, 1.0), arr(-0.1, 0.5, 0.9)), {}, ValueError,
         r"probs must hold probabilities in \[0, 1\]; got -0\.1 at index 0"),
    case("bce-targets-outside", lr.bce, (arr(1.0, 2.0, 1.0), PROBS3), {}, ValueError,
         r"y must hold targets .*in \[0, 1\]; got 2 at index 1"),
    case("bce_with_logits-targets-outside", lr.bce_with_logits, (arr(1.0, 0.0, -1.0), X3), {}, ValueError,
         r"y must hold targets .*\[0, 1\]; got -1 at index 2"),
    case("focal-targets-outside", lr.focal, (arr(1.5, 0.0, 1.0), X3), {}, ValueError,
         r"y must hold targets .*\[0, 1\]; got 1\.5"),
    case("cross_entropy-soft-targets-negative", lr.cross_entropy,
         (np.array([[1.5, -0.5, 0.0], [0.2, 0.3, 0.5]]), LOGITS), {}, ValueError,
         r"y must hold probabilities in \[0, 1\]; got 1\.5"),
    case("cross_entropy-soft-rows-not-summing-to-1", lr.cross_entropy,
         (np.array([[0.2, 0.3, 0.5], [0.3, 0.3, 0.3]]), LOGITS), {}, ValueError,
         r"y must hold probability rows that sum to 1 .*row at index 1 sums to 0\.9"),
    case("kl_divergence-rows-not-summing-to-1", lr.kl_divergence,
         (np.array([[0.5, 0.5, 0.5], [0.2, 0.3, 0.5]]), LOGITS), {}, ValueError,
         r"y must hold probability rows that sum to 1 .*row at index 0 sums to 1\.5"),
    case("ignore_index-with-probability-rows", lr.cross_entropy,
         (np.array([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]]), LOGITS), {"ignore_index": 1}, ValueError,
         r"y must hold integer labels when ignore_index is given, not probability rows; got shape \(2, 3\)"),
    # ---------------------------------------------------------------- NaN and infinity
    case("nan-in-y_pred", lr.mse, (arr(1.0, 2.0, 3.0), arr(1.0, NAN, 3.0)), {}, ValueError,
         r"y_pred contains NaN at index 1; expected finite numbers"),
    case("inf-in-logits", lr.bce_with_logits, (arr(1.0, 0.0, 1.0), arr(0.0, 1.0, -INF)), {}, ValueError,
         r"logits contains an infinity at index 2; expected finite numbers"),
    case("nan-in-y", lr.mse, (arr(NAN, 2.0, 3.0), X3), {}, ValueError,
         r"y contains NaN at index 0; expected finite numbers"),
    case("inf-in-y", lr.huber, (arr(1.0, INF, 3.0), X3), {}, ValueError,
         r"y contains an infinity at index 1"),
    case("nan-in-cross_entropy-logits", lr.cross_entropy,
         (np.array([0, 1]), np.array([[0.0, 1.0, 2.0], [NAN, 0.0, 0.0]])), {}, ValueError,
         r"logits contains NaN at index \(1, 0\)"),
    case("nan-in-bce-probs", lr.bce, (arr(1.0, 0.0, 1.0), arr(0.5, NAN, 0.5)), {}, ValueError,
         r"probs contains NaN at index 1"),
    case("nan-in-hinge-scores", lr.hinge, (arr(1.0, -1.0, 1.0), arr(0.5, NAN, 0.5)), {}, ValueError,
         r"scores contains NaN at index 1"),
    case("nan-in-zero_one-scores", lr.zero_one, (arr(1.0, -1.0, 1.0), arr(0.5, 0.5, NAN)), {}, ValueError,
         r"scores contains NaN at index 2"),
    case("nan-in-poisson-rates", lr.poisson_nll, (arr(1.0, 2.0, 3.0), arr(0.5, NAN, 0.5)), {"log_input": False},
         ValueError, r"y_pred contains NaN at index 1"),
    # ---------------------------------------------------------------- empty, None, wrong dtypes
    case("empty-y_pred", lr.mse, (np.zeros(0), np.zeros(0)), {}, ValueError,
         r"y_pred is empty \(shape \(0,\)\); expected at least one example"),
    case("empty-logits", lr.cross_entropy, (np.zeros(0, dtype=np.int64), np.zeros((0, 3))), {}, ValueError,
         r"logits is empty"),
    case("y_pred-None", lr.mse, (X3, None), {}, TypeError, r"y_pred is None; expected an array of floats"),
    case("y-None", lr.mse, (None, X3), {}, TypeError, r"y is None; expected an array"),
    case("ragged-y_pred", lr.mse, ([1.0, 2.0], [[1.0], [1.0, 2.0]]), {}, ValueError,
         r"y_pred could not be read as an array.*expected a rectangular array"),
    case("string-y_pred", lr.mae, (X3, np.array(["a", "b", "c"])), {}, TypeError,
         r"y_pred has dtype <U1; expected an array of float32 or float64"),
    case("integer-numpy-logits", lr.bce_with_logits, (arr(1.0, 0.0), np.array([1, 2])), {}, TypeError,
         r"logits has integer dtype int64; expected float32 or float64.*np\.asarray\(logits, dtype=np\.float64\)"),
    case("integer-numpy-y_pred", lr.mse, (arr(1.0, 0.0), np.array([1, 2], dtype=np.int32)), {}, TypeError,
         r"y_pred has integer dtype int32; expected float32 or float64"),
    case("integer-numpy-scores", lr.multiclass_hinge, (np.array([0, 1]), np.array([[1, 0], [0, 1]])), {}, TypeError,
         r"scores has integer dtype"),
    case("float16-y_pred", lr.mse, (arr(1.0, 0.0), np.array([1.0, 2.0], dtype=np.float16)), {}, TypeError,
         r"y_pred has dtype float16; expected float32 or float64"),
    case("float16-logits", lr.cross_entropy, (np.array([0, 1]), LOGITS.astype(np.float16)), {}, TypeError,
         r"logits has dtype float16; expected float32 or float64"),
    # ---------------------------------------------------------------- reduction and parameter names
    case("unknown-reduction", lr.mse, (X3, X3), {"reduction": "avg"}, ValueError,
         r"reduction must be one of 'mean', 'sum' or 'none'; got 'avg'"),
    case("unknown-reduction-in-grad", lr.cross_entropy.grad, (np.array([0, 1]), LOGITS), {"reduction": "batchmean"},
         ValueError, r"reduction must be one of .*got 'batchmean'"),
    case("unknown-parameter", lr.huber, (X3, X3), {"delt": 1.0}, TypeError,
         r"huber got unexpected parameter\(s\) 'delt'; its parameters are: delta"),
    case("parameter-of-another-loss", lr.mse, (X3, X3), {"delta": 1.0}, TypeError,
         r"mse got unexpected parameter\(s\) 'delta'; its parameters are: half"),
    case("bind-unknown-parameter", lr.focal.bind, (), {"beta": 2.0}, TypeError,
         r"focal got unexpected parameter\(s\) 'beta'; its parameters are: gamma, alpha"),
    # ---------------------------------------------------------------- parameter values
    case("huber-delta-zero", lr.huber, (X3, X3), {"delta": 0}, ValueError, r"delta must be in \(0, inf\); got 0"),
    case("huber-delta-negative", lr.huber, (X3, X3), {"delta": -1.0}, ValueError,
         r"delta must be in \(0, inf\); got -1\.0"),
    case("huber-delta-nan", lr.huber, (X3, X3), {"delta": NAN}, ValueError, r"delta must be finite; got nan"),
    case("smooth_l1-beta-negative", lr.smooth_l1, (X3, X3), {"beta": -0.5}, ValueError,
         r"beta must be in \[0, inf\); got -0\.5"),
    case("quantile-tau-zero", lr.quantile, (X3, X3), {"tau": 0.0}, ValueError, r"tau must be in \(0, 1\); got 0\.0"),
    case("quantile-tau-above-1", lr.quantile, (X3, X3), {"tau": 1.5}, ValueError, r"tau must be in \(0, 1\); got 1\.5"),
    case("label_smoothing-negative", lr.cross_entropy, (np.array([0, 1]), LOGITS), {"label_smoothing": -0.1},
         ValueError, r"label_smoothing must be in \[0, 1\]; got -0\.1"),
    case("label_smoothing-above-1", lr.cross_entropy, (np.array([0, 1]), LOGITS), {"label_smoothing": 1.5},
         ValueError, r"label_smoothing must be in \[0, 1\]; got 1\.5"),
    case("focal-gamma-negative", lr.focal, (PROBS3, X3), {"gamma": -1.0}, ValueError,
         r"gamma must be in \[0, inf\); got -1\.0"),
    case("focal-alpha-above-1", lr.focal, (PROBS3, X3), {"alpha": 1.5}, ValueError,
         r"alpha must be in \[0, 1\]; got 1\.5"),
    case("focal-alpha-negative", lr.focal, (PROBS3, X3), {"alpha": -0.25}, ValueError,
         r"alpha must be in \[0, 1\]; got -0\.25"),
    case("multiclass_hinge-unknown-variant", lr.multiclass_hinge, (np.array([0, 1]), LOGITS), {"variant": "ovr"},
         ValueError, r"variant must be one of 'crammer_singer', 'weston_watkins'; got 'ovr'"),
    case("multiclass_hinge-negative-margin", lr.multiclass_hinge, (np.array([0, 1]), LOGITS), {"margin": -1.0},
         ValueError, r"margin must be in \[0, inf\); got -1\.0"),
    case("mse-half-not-a-bool", lr.mse, (X3, X3), {"half": "yes"}, TypeError, r"half must be True or False; got 'yes'"),
    case("ignore_index-not-an-integer", lr.cross_entropy, (np.array([0, 1]), LOGITS), {"ignore_index": 1.5},
         TypeError, r"ignore_index must be an integer; got 1\.5"),
    # ---------------------------------------------------------------- weights
    case("sample_weight-negative", lr.mse, (X3, X3), {"sample_weight": arr(1.0, -1.0, 1.0)}, ValueError,
         r"sample_weight must hold non-negative weights \(>= 0\); got -1 at index 1"),
    case("sample_weight-nan", lr.mse, (X3, X3), {"sample_weight": arr(1.0, 1.0, NAN)}, ValueError,
         r"sample_weight contains NaN at index 2"),
    case("sample_weight-wrong-shape", lr.mse, (X3, X3), {"sample_weight": arr(1.0, 1.0)}, ValueError,
         r"sample_weight must have shape \(3,\) \(one weight per example\); got \(2,\)"),
    case("sample_weight-wrong-shape-rows", lr.cross_entropy, (np.array([0, 1]), LOGITS),
         {"sample_weight": arr(1.0, 1.0, 1.0)}, ValueError, r"sample_weight must have shape \(2,\).*got \(3,\)"),
    case("sample_weight-strings", lr.mse, (X3, X3), {"sample_weight": np.array(["a", "b", "c"])}, TypeError,
         r"sample_weight has dtype <U1; expected non-negative numbers"),
    case("class_weight-wrong-length", lr.cross_entropy, (np.array([0, 1]), LOGITS), {"class_weight": arr(1.0, 2.0)},
         ValueError, r"class_weight must have shape \(3,\), one weight per class; got \(2,\)"),
    case("class_weight-negative", lr.cross_entropy, (np.array([0, 1]), LOGITS), {"class_weight": arr(1.0, -2.0, 1.0)},
         ValueError, r"class_weight must hold non-negative weights \(>= 0\); got -2"),
    case("class_weight-nan", lr.multiclass_hinge, (np.array([0, 1]), LOGITS), {"class_weight": arr(1.0, NAN, 1.0)},
         ValueError, r"class_weight contains NaN"),
    case("binary-class_weight-wrong-length", lr.bce_with_logits, (PROBS3, X3), {"class_weight": arr(1.0, 2.0, 3.0)},
         ValueError, r"class_weight must have shape \(2,\)"),
    case("hinge-class_weight-wrong-length", lr.hinge, (arr(1.0, -1.0, 1.0), X3), {"class_weight": arr(1.0)},
         ValueError, r"class_weight must have shape \(2,\)"),
    case("pos_weight-wrong-shape", lr.bce_with_logits, (np.zeros((2, 3)), np.zeros((2, 3))),
         {"pos_weight": arr(1.0, 2.0)}, ValueError,
         r"pos_weight must be a scalar or broadcast to logits \(2, 3\); got shape \(2,\)"),
    case("pos_weight-negative", lr.bce_with_logits, (PROBS3, X3), {"pos_weight": -2.0}, ValueError,
         r"pos_weight must hold non-negative weights"),
    # ---------------------------------------------------------------- likelihood losses
    case("gaussian_nll-missing-var", lr.gaussian_nll, (X3, X3), {}, TypeError,
         r"gaussian_nll needs the parameter\(s\) var"),
    case("gaussian_nll-negative-var", lr.gaussian_nll, (X3, X3), {"var": arr(1.0, -1.0, 1.0)}, ValueError,
         r"var must hold variances \(>= 0\); got -1 at index 1"),
    case("gaussian_nll-var-shape-mismatch", lr.gaussian_nll, (X3, X3), {"var": arr(1.0, 2.0)}, ValueError,
         r"var must be a scalar or broadcast to y_pred \(3,\); got shape \(2,\)"),
    case("gaussian_nll-var-nan", lr.gaussian_nll, (X3, X3), {"var": NAN}, ValueError, r"var contains NaN"),
    case("poisson_nll-negative-counts", lr.poisson_nll, (arr(1.0, -1.0, 3.0), X3), {}, ValueError,
         r"y must hold counts \(>= 0\); got -1 at index 1"),
    case("poisson_nll-negative-rates", lr.poisson_nll, (arr(1.0, 1.0, 3.0), arr(1.0, -0.5, 2.0)), {"log_input": False},
         ValueError, r"y_pred must hold rates \(>= 0\) with log_input=False; got -0\.5 at index 1"),
    case("poisson_nll-log-rate-overflow", lr.poisson_nll, (arr(1.0), arr(1000.0)), {}, ValueError,
         r"y_pred must hold log-rates \(log_input=True\) whose rate exp\(y_pred\) fits in float64, at most 709.783; got 1000"),
    # ---------------------------------------------------------------- no gradient, gradient check, combine, registry
    case("zero_one-grad", lr.zero_one.grad, (arr(1.0, -1.0, 1.0), X3), {}, TypeError,
         r"zero_one has no useful gradient.*surrogate such as hinge, logistic or cross_entropy"),
    case("zero_one-value_and_grad", lr.zero_one.value_and_grad, (arr(1.0, -1.0, 1.0), X3), {}, TypeError,
         r"zero_one has no useful gradient.*surrogate"),
    case("check_grad-reduction-none", lr.check_grad, (lr.mse, X3, X3), {"reduction": "none"}, ValueError,
         r"check_grad needs a scalar loss: reduction must be 'mean' or 'sum'; got 'none'"),
    case("combine-missing-task", _combined_call, ({"a": arr(1.0)}, TWO_TASKS_P), {}, ValueError,
         r"ys must have exactly the tasks \['a', 'b'\]; missing \['b'\]"),
    case("combine-unknown-task", _combined_call, (TWO_TASKS_Y, {**TWO_TASKS_P, "c": arr(1.0)}), {}, ValueError,
         r"preds must have exactly the tasks \['a', 'b'\]; unknown \['c'\]"),
    case("combine-not-a-dict", _combined_call, ([arr(1.0)], TWO_TASKS_P), {}, TypeError,
         r"ys must be a dict keyed by task name"),
    case("combine-reduction-none", _combined_call, (TWO_TASKS_Y, TWO_TASKS_P), {"reduction": "none"}, ValueError,
         r"reduction must be 'mean' or 'sum' for a combined loss; got 'none'"),
    case("combine-negative-weight", _combine_ab, ({"a": 1.0, "b": -1.0},), {}, ValueError,
         r"weights\['b'\] must be a finite non-negative number; got -1"),
    case("combine-nan-weight", _combine_ab, ([NAN, 1.0],), {}, ValueError,
         r"weights\['a'\] must be a finite non-negative number; got nan"),
    case("combine-weights-wrong-keys", _combine_ab, ({"a": 1.0, "c": 2.0},), {}, ValueError,
         r"weights must have one entry per task \['a', 'b'\]; got keys \['a', 'c'\]"),
    case("combine-weights-wrong-length", _combine_ab, ([1.0, 2.0, 3.0],), {}, ValueError,
         r"weights must have 2 entries, one per task \['a', 'b'\]; got 3"),
    case("combine-not-a-loss", lr.combine, ({"a": lr.mse, "b": np.mean},), {}, TypeError,
         r"losses\['b'\] must be a lossref loss"),
    case("combine-empty", lr.combine, ({},), {}, TypeError, r"losses must be a non-empty dict"),
    case("get-unknown-loss", lr.get, ("msee",), {}, ValueError, r"unknown loss 'msee'; known losses: mse, mae"),
    case("losses-unknown-family", lr.losses, ("bogus",), {}, ValueError,
         r"family must be one of 'regression', 'probabilistic', 'margin'.*got 'bogus'"),
]


def _snapshot(value):
    """A copy of every array reachable from ``value`` through dicts, lists and tuples; other objects as they are."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(v) for v in value)
    return value


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and np.array_equal(
            a, b, equal_nan=a.dtype.kind in "fc"
        )
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, z) for x, z in zip(a, b))
    if isinstance(a, float) and np.isnan(a):
        return isinstance(b, float) and np.isnan(b)
    return a is b or a == b


@pytest.mark.parametrize("fn, args, kwargs, exc, match", BAD_INPUT)
def test_bad_input_raises_a_message_naming_the_argument(fn, args, kwargs, exc, match):
    before = _snapshot((args, kwargs))
    with pytest.raises(exc, match=match) as info:
        fn(*args, **kwargs)
    assert info.type in (ValueError, TypeError)
    assert _same((args, kwargs), before), "bad input was modified by the failed call"


def test_there_are_at_least_35_distinct_bad_input_cases():
    ids = [p.id for p in BAD_INPUT]
    assert len(ids) == len(set(ids)) and len(ids) >= 35


@pytest.mark.parametrize("method", ["__call__", "grad", "value_and_grad"])
@pytest.mark.parametrize("loss", [lr.mse, lr.bce, lr.bce_with_logits, lr.cross_entropy, lr.hinge, lr.gaussian_nll],
                         ids=lambda l: l.name)
def test_every_entry_point_validates(loss, method):
    """grad and value_and_grad validate exactly like the value does."""
    y = np.array([0, 1]) if loss.per_row else np.array([1.0, -1.0, 1.0])
    pred = LOGITS.copy() if loss.per_row else np.array([0.5, NAN, 0.5])
    if loss.per_row:
        pred[1, 1] = NAN
    kwargs = {"var": 1.0} if loss is lr.gaussian_nll else {}
    if loss in (lr.bce, lr.bce_with_logits):
        y = np.array([1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=rf"{loss.pred_name} contains NaN at index"):
        getattr(loss, method)(y, pred, **kwargs)


def test_a_nan_far_into_a_large_input_is_located():
    """Large inputs are processed in blocks (maybe on several threads); the reported index is the
    position of the first bad element in the whole array."""
    n = 1 << 21
    y = np.zeros(n)
    pred = np.zeros(n)
    pred[n - 7] = NAN
    with pytest.raises(ValueError, match=rf"y_pred contains NaN at index {n - 7}\b"):
        lr.mse(y, pred)
    pred[n // 2 + 3] = INF
    with pytest.raises(ValueError, match=rf"y_pred contains an infinity at index {n // 2 + 3}\b"):
        lr.mse.grad(y, pred)
    labels = np.zeros(n // 3, dtype=np.int64)
    labels[-2] = 7
    with pytest.raises(ValueError, match=rf"y holds class 7 at index {n // 3 - 2}\b"):
        lr.cross_entropy(labels, np.zeros((n // 3, 3)))


def test_valid_calls_after_a_failure_still_work():
    """A failed call leaves no state behind in the loss object."""
    with pytest.raises(ValueError):
        lr.huber(X3, X3, delta=-1.0)
    assert lr.huber(np.array([0.0]), np.array([3.0])) == pytest.approx(2.5)
    assert lr.huber.params == {"delta": 1.0}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("value, accepted", [
    (0.0, True), (-0.0, True), (1.0, True), (0.5, True), (5e-45, True),  # the smallest float32 subnormal
    (-5e-45, False), (np.nextafter(np.float32(1), np.float32(2)), False), (2.0, False),
    (NAN, False), (INF, False), (-INF, False),
])
def test_probabilities_are_checked_exactly_at_the_ends_of_0_1(dtype, value, accepted):
    """[0, 1] is checked in one pass over the bit patterns (see ``check_in_interval``): the edge
    values must be judged as the interval says, -0.0 and subnormals included."""
    probs = np.array([0.25, value, 0.75], dtype=dtype)
    y = np.array([1.0, 0.0, 1.0])
    for loss, args in ((lr.bce, (y, probs)), (lr.dice, (y[None], probs[None]))):
        if accepted:
            assert np.isfinite(loss(*args))
        else:
            with pytest.raises(ValueError, match=r"probs (must hold probabilities in \[0, 1\]; got|contains)"):
                loss(*args)
