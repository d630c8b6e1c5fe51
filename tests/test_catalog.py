"""The registry metadata is complete and well formed for every built-in loss."""

from __future__ import annotations

import re

import pytest

import lossref as lr
from lossref._info import FAMILIES, FRAMEWORKS, PREDICTION_KINDS

LOSSES = lr.losses()
IDS = [loss.name for loss in LOSSES]
REQUIRED_TEXT = ("title", "formula", "target", "minimizer", "when_to_use")


def braces_balanced(tex: str) -> bool:
    """True when the unescaped { and } of a LaTeX string pair up in order (\\{ and \\} are literal braces)."""
    depth = 0
    for ch in re.sub(r"\\[{}]", "", tex):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_every_loss_is_catalogued():
    from lossref._losses import NAMES

    assert [loss.name for loss in LOSSES] == list(NAMES)
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_text_fields_present(loss):
    info = loss.info
    for field in REQUIRED_TEXT:
        value = getattr(info, field)
        assert isinstance(value, str) and value.strip(), f"{loss.name}: {field} is empty"
    if info.has_gradient:
        assert info.gradient.strip(), f"{loss.name}: gradient is empty"


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_family_and_prediction_valid(loss):
    assert loss.info.family in FAMILIES and loss.info.family != "custom"
    assert loss.info.prediction in PREDICTION_KINDS


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_frameworks_in_order(loss):
    assert tuple(eq.framework for eq in loss.info.equivalents) == FRAMEWORKS


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_equivalents_well_formed(loss):
    for eq in loss.info.equivalents:
        assert isinstance(eq.same, bool)
        assert eq.call.strip(), f"{loss.name}/{eq.framework}: empty call"
        if not eq.same:
            assert eq.difference.strip(), f"{loss.name}/{eq.framework}: same=False needs a difference"


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_every_parameter_documented(loss):
    documented = {p.name: p.doc for p in loss.info.params}
    assert set(documented) == set(loss.defaults)
    for name, doc in documented.items():
        assert doc.strip(), f"{loss.name}: parameter {name} has an empty doc"


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_latex_balanced(loss):
    info = loss.info
    for field in ("formula", "gradient"):
        tex = getattr(info, field)
        assert braces_balanced(tex), f"{loss.name}: unbalanced braces in {field}: {tex}"
        n_left = len(re.findall(r"\\left(?![A-Za-z])", tex))  # not \leftarrow
        n_right = len(re.findall(r"\\right(?![A-Za-z])", tex))
        assert n_left == n_right, f"{loss.name}: \\left/\\right mismatch in {field}"
        assert tex.count(r"\begin{") == tex.count(r"\end{"), f"{loss.name}: \\begin/\\end mismatch in {field}"


@pytest.mark.parametrize("loss", LOSSES, ids=IDS)
def test_properties_are_booleans(loss):
    for label, value in loss.info.properties.items():
        assert isinstance(value, bool), f"{loss.name}: {label} is not a bool"


def test_only_zero_one_lacks_a_gradient():
    assert [loss.name for loss in LOSSES if not loss.info.has_gradient] == ["zero_one"]


def test_brace_checker():
    assert braces_balanced(r"\frac{a}{b} \{ x \}")
    assert not braces_balanced(r"\frac{a}{b")
    assert not braces_balanced(r"}{")


def test_required_parameters_are_marked_required():
    var = next(p for p in lr.gaussian_nll.info.params if p.name == "var")
    assert var.required and var.default is None
    assert not any(p.required for p in lr.huber.info.params)
    bound = lr.gaussian_nll.bind(var=2.0)
    assert not next(p for p in bound.info.params if p.name == "var").required
