"""The package API of DESIGN.md: the registry, lazy import, accepted inputs, output shapes and
dtypes, the zero-total-weight rule, no mutation of inputs, repr."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import lossref as lr

# The DESIGN table, family by family, in reference order.
DESIGN_TABLE = {
    "regression": ["mse", "mae", "huber", "smooth_l1", "log_cosh", "quantile", "poisson_nll", "gaussian_nll", "msle"],
    "probabilistic": ["bce", "bce_with_logits", "cross_entropy", "focal", "kl_divergence", "nll", "categorical_focal"],
    "margin": ["hinge", "squared_hinge", "logistic", "multiclass_hinge", "zero_one"],
    "sequence": ["ctc"],
    "ranking": ["margin_ranking", "ranking_softmax"],
    "metric": ["cosine_distance", "triplet_margin", "cosine_embedding", "hinge_embedding", "ntxent", "info_nce", "circle"],
    "segmentation": ["dice", "tversky", "generalized_dice", "giou_box", "diou_box", "ciou_box"],
}
ALL_NAMES = [name for names in DESIGN_TABLE.values() for name in names]
# The losses with more arrays than (y, prediction), and their arrays in argument order (issue 12's signatures).
ARRAYS = {
    "ctc": ("targets", "logits"),
    "margin_ranking": ("y", "x1", "x2"),
    "triplet_margin": ("anchor", "positive", "negative"), "cosine_embedding": ("y", "x1", "x2"),
    "ntxent": ("labels", "embeddings"), "info_nce": ("query", "positive_key", "negative_keys"),
    "circle": ("labels", "embeddings"),
    "dice": ("y", "probs"), "tversky": ("y", "probs"), "generalized_dice": ("y", "probs"),
    "giou_box": ("y", "boxes"), "diou_box": ("y", "boxes"), "ciou_box": ("y", "boxes"),
}
PAIR_NAMES = [name for name in ALL_NAMES if name not in ARRAYS]
ROW_LOSSES = {"cross_entropy", "kl_divergence", "multiclass_hinge", "nll", "categorical_focal", "cosine_distance",
              "ranking_softmax"}
PREDICTION = {
    "mse": ("y_pred", "real"), "mae": ("y_pred", "real"), "huber": ("y_pred", "real"),
    "smooth_l1": ("y_pred", "real"), "log_cosh": ("y_pred", "real"), "quantile": ("y_pred", "real"),
    "poisson_nll": ("y_pred", "real"), "gaussian_nll": ("y_pred", "real"),
    "bce": ("probs", "probability"), "bce_with_logits": ("logits", "logit"), "cross_entropy": ("logits", "logit"),
    "focal": ("logits", "logit"), "kl_divergence": ("logits", "logit"),
    "hinge": ("scores", "score"), "squared_hinge": ("scores", "score"), "logistic": ("scores", "score"),
    "multiclass_hinge": ("scores", "score"), "zero_one": ("scores", "score"),
    "msle": ("y_pred", "real"), "hinge_embedding": ("distances", "real"), "nll": ("log_probs", "log_probability"),
    "categorical_focal": ("logits", "logit"), "cosine_distance": ("y_pred", "embedding"),
    "ranking_softmax": ("scores", "score"),
}


# ---------------------------------------------------------------------------------- registry
def test_losses_lists_the_losses_of_the_design_table():
    names = [loss.name for loss in lr.losses()]
    assert len(names) == len(ALL_NAMES) == len(set(names))
    assert names == ALL_NAMES
    for loss in lr.losses():
        assert isinstance(loss, lr.Loss)
        assert getattr(lr, loss.name) is loss
        assert lr.get(loss.name) is loss
        assert loss.info.name == loss.name


@pytest.mark.parametrize("family", sorted(DESIGN_TABLE))
def test_losses_by_family(family):
    assert [loss.name for loss in lr.losses(family)] == DESIGN_TABLE[family]
    assert all(loss.info.family == family for loss in lr.losses(family))


def test_get_unknown_loss():
    with pytest.raises(ValueError, match=r"unknown loss 'cross_entropy_loss'; known losses: .*cross_entropy"):
        lr.get("cross_entropy_loss")


def test_public_names():
    for name in ALL_NAMES + ["losses", "get", "Loss", "combine", "check_grad", "GradCheck", "LossInfo", "Combined"]:
        assert name in lr.__all__ and name in dir(lr)
        assert getattr(lr, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'msee'"):
        lr.msee  # noqa: B018


@pytest.mark.parametrize("name", sorted(ARRAYS))
def test_structured_losses_take_their_arrays_in_order(name):
    loss = lr.get(name)
    assert isinstance(loss, lr.StructuredLoss)
    assert loss.info.inputs == ARRAYS[name] == tuple(i.name for i in loss.inputs)
    assert [p.name for p in loss.info.params] == list(loss.params)


@pytest.mark.parametrize("name", PAIR_NAMES)
def test_metadata_matches_behaviour(name):
    loss = lr.get(name)
    info = loss.info
    assert info.has_gradient == (name != "zero_one")
    assert info.per_row == (name in ROW_LOSSES)
    assert (loss.pred_name, info.prediction) == PREDICTION[name]
    assert [p.name for p in info.params] == list(loss.params)


# ---------------------------------------------------------------------------------- lazy import
def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_importing_lossref_does_not_import_numpy():
    result = _run(
        "import sys, lossref; assert 'numpy' not in sys.modules, 'numpy was imported'; print(lossref.__version__)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    # numpy arrives with the first loss used
    result = _run("import sys, lossref; lossref.mse; assert 'numpy' in sys.modules")
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------- accepted inputs
def test_scalar_inputs():
    value = lr.mse(2.0, 1.0)
    assert value == 1.0 and isinstance(value, np.float64)
    g = lr.mse.grad(2.0, 1.0)
    assert np.shape(g) == () and float(g) == -2.0
    assert np.shape(lr.mse(2.0, 1.0, reduction="none")) == ()
    assert float(lr.hinge(1, 0.25)) == 0.75
    assert float(lr.bce_with_logits(1.0, 0.0)) == pytest.approx(np.log(2), rel=1e-15)
    assert float(lr.mae.grad(0.0, -3.0, sample_weight=[2.0])) == -1.0


def test_python_lists():
    assert lr.mse([1.0, 2.0], [1.0, 4.0]) == 2.0
    assert lr.mse([1, 2], [1, 4]) == 2.0  # Python ints are numbers, not a dtype choice
    logits = [[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]]
    expected = (np.log(np.exp([2.0, 0.0, -1.0]).sum()) - 2.0 + np.log(3.0)) / 2
    assert float(lr.cross_entropy([0, 1], logits)) == pytest.approx(expected, rel=1e-14)
    g = lr.cross_entropy.grad([0, 1], logits)
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (2, 3)
    assert lr.hinge.grad([1, -1], [0.5, 0.5], reduction="sum").tolist() == [-1.0, 1.0]
    assert float(lr.kl_divergence([[0.5, 0.5]], [[0.0, 0.0]])) == 0.0
    assert float(lr.gaussian_nll([0.0, 0.0], [0.0, 0.0], var=[1.0, 1.0])) == 0.0
    assert lr.mse([1.0, 2.0], [1.0, 4.0], sample_weight=[3, 1]) == 1.0


def test_target_first_prediction_second():
    """bce(y, probs) is -log(probs) at y = 1; swapping the arguments is a different number."""
    assert float(lr.bce([1.0], [0.25])) == pytest.approx(-np.log(0.25), rel=1e-14)
    assert float(lr.quantile([1.0], [0.0], tau=0.9)) == pytest.approx(0.9, rel=1e-14)  # under-prediction costs tau
    assert float(lr.quantile([0.0], [1.0], tau=0.9)) == pytest.approx(0.1, rel=1e-14)


def test_prediction_argument_is_named_for_what_it_is():
    """DESIGN: 'The prediction argument is named for what it is: y_pred, probs, logits, scores.'

    So ``lr.cross_entropy(y, logits=z)`` is the same call as ``lr.cross_entropy(y, z)``."""
    failures = {}
    for name in PAIR_NAMES:
        loss = lr.get(name)
        pred = [[0.5, -0.5], [0.25, 1.0]] if name in ROW_LOSSES else [0.25, 0.75]
        if name == "kl_divergence":
            y = [[0.5, 0.5], [1.0, 0.0]]
        elif name in ("cosine_distance", "ranking_softmax"):
            y = [[1.0, 0.0], [0.0, 2.0]]
        elif name in ROW_LOSSES:
            y = [0, 1]
        else:
            pm1 = PREDICTION[name][1] == "score" or name == "hinge_embedding"  # labels in {-1, +1}
            y = [1.0, -1.0] if pm1 else [1.0, 0.0]
        kwargs = {"var": 1.0} if name == "gaussian_nll" else {}
        keyword = PREDICTION[name][0]
        try:
            by_name = loss(y, **{keyword: pred}, **kwargs)
            grad_by_name = loss.grad(y, **{keyword: pred}, **kwargs) if name != "zero_one" else None
        except TypeError as exc:
            failures[name] = f"{name}(y, {keyword}=...): {exc}"
            continue
        assert by_name == loss(y, pred, **kwargs)
        if grad_by_name is not None:
            np.testing.assert_array_equal(grad_by_name, loss.grad(y, pred, **kwargs))
    assert not failures, "\n".join(failures.values())


# ---------------------------------------------------------------------------------- output shapes
@pytest.mark.parametrize("shape", [(5,), (2, 3), (2, 3, 2)], ids=str)
def test_reduction_none_and_gradient_shapes(case, shape):
    if case.per_row and len(shape) < 2:
        shape = (5, 3)
    if case.per_row and shape[-1] > 4:
        shape = shape[:-1] + (4,)
    ex = case.sample(7, shape)
    expected = shape[:-1] if case.per_row else shape
    assert case.loss(ex.y, ex.pred, reduction="none", **ex.params).shape == expected
    for reduction in ("mean", "sum"):
        assert np.ndim(case.loss(ex.y, ex.pred, reduction=reduction, **ex.params)) == 0
    if case.has_grad:
        for reduction in ("mean", "sum", "none"):
            assert case.loss.grad(ex.y, ex.pred, reduction=reduction, **ex.params).shape == ex.pred.shape


# ---------------------------------------------------------------------------------- zero total weight
def test_weights_summing_to_zero_give_a_zero_mean_and_gradient(case):
    """lossref/_base.py: if the weights sum to zero the mean is 0 and so is its gradient (no NaN, no warning)."""
    ex = case.sample(5)
    w = np.zeros(case.loss_shape(ex.pred.shape))
    for reduction in ("mean", "sum"):
        assert case.loss(ex.y, ex.pred, reduction=reduction, sample_weight=w, **ex.params) == 0
    assert np.all(case.loss(ex.y, ex.pred, reduction="none", sample_weight=w, **ex.params) == 0)
    if case.has_grad:
        for reduction in ("mean", "sum", "none"):
            g = case.loss.grad(ex.y, ex.pred, reduction=reduction, sample_weight=w, **ex.params)
            assert np.all(g == 0)


def test_zero_class_weights_and_all_ignored_labels_also_give_zero():
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 1.5, 0.0]])
    labels = np.array([1, 1])
    cw = np.array([1.0, 0.0, 1.0])
    assert lr.cross_entropy(labels, logits, class_weight=cw) == 0
    assert np.all(lr.cross_entropy.grad(labels, logits, class_weight=cw) == 0)
    assert lr.cross_entropy(labels, logits, ignore_index=1) == 0
    assert np.all(lr.cross_entropy.grad(labels, logits, ignore_index=1) == 0)


# ---------------------------------------------------------------------------------- dtype
def test_float32_in_float32_out(case):
    """Every shared case (tests/conftest.py); the losses tested on their own (tests/losses/) check it there."""
    ex = case.sample(2).astype(np.float32)
    value = case.loss(ex.y, ex.pred, **ex.params)
    assert isinstance(value, np.float32)
    assert case.loss(ex.y, ex.pred, reduction="none", **ex.params).dtype == np.float32
    if case.has_grad:
        assert case.loss.grad(ex.y, ex.pred, **ex.params).dtype == np.float32


def test_float32_gaussian_nll_with_a_float64_variance():
    pred = np.array([0.5, 0.5], dtype=np.float32)
    value, g = lr.gaussian_nll.value_and_grad([0.0, 1.0], pred, var=np.array([1.0, 2.0]))
    assert isinstance(value, np.float32) and g.dtype == np.float32


# ---------------------------------------------------------------------------------- inputs are never mutated
def _copies(ex):
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in ex.params.items()}


def test_inputs_are_never_mutated(case):
    ex = case.sample(9, weighted=True)
    y0, pred0, w0 = np.array(ex.y, copy=True), ex.pred.copy(), ex.sample_weight.copy()
    params0 = _copies(ex)
    calls = [case.loss]
    if case.has_grad:
        calls += [case.loss.grad, case.loss.value_and_grad]
    outputs = []
    for fn in calls:
        for reduction in ("mean", "sum", "none"):
            outputs.append(fn(ex.y, ex.pred, reduction=reduction, **ex.kwargs))
    np.testing.assert_array_equal(ex.y, y0)
    np.testing.assert_array_equal(ex.pred, pred0)
    np.testing.assert_array_equal(ex.sample_weight, w0)
    for k, v in params0.items():
        np.testing.assert_array_equal(ex.params[k], v)
    # and no returned array is a view of an input
    flat = [o for out in outputs for o in (out if isinstance(out, tuple) else (out,)) if isinstance(o, np.ndarray)]
    for out in flat:
        for inp in (ex.pred, ex.y, ex.sample_weight):
            assert not np.shares_memory(out, inp)
    if case.has_grad:  # editing a returned gradient does not change the next result
        g = case.loss.grad(ex.y, ex.pred, **ex.kwargs)
        g_again = g.copy()
        g[...] = 123.0
        np.testing.assert_array_equal(case.loss.grad(ex.y, ex.pred, **ex.kwargs), g_again)


def test_check_grad_does_not_mutate_its_inputs():
    y = np.array([0.0, 1.0, -2.0])
    pred = np.array([0.5, 0.5, 0.5])
    before = pred.copy()
    assert lr.check_grad(lr.log_cosh, y, pred)
    np.testing.assert_array_equal(pred, before)


# ---------------------------------------------------------------------------------- repr
@pytest.mark.parametrize("name", ALL_NAMES)
def test_repr_names_the_loss_and_its_parameters(name):
    loss = lr.get(name)
    text = repr(loss)
    assert name in text
    for k, v in loss.params.items():
        if k == "var":
            assert "var=<required>" in text
        elif not isinstance(v, np.ndarray):
            assert f"{k}={v!r}" in text


def test_repr_of_bound_and_combined_losses():
    assert "delta=2.5" in repr(lr.huber.bind(delta=2.5))
    assert "delta=1.0" in repr(lr.huber)
    text = repr(lr.combine({"cls": lr.cross_entropy, "box": lr.huber}, {"cls": 1.0, "box": 5.0}))
    assert "cross_entropy" in text and "huber" in text and "5" in text
