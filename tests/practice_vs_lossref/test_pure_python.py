"""lossref.practice runs without NumPy, and its plain-Python losses agree with lossref's."""

from __future__ import annotations

import random
import subprocess
import sys

import lossref as lr
import numpy as np
import pytest

from lossref.practice import _math as M


def test_importing_the_practice_engine_does_not_import_numpy():
    code = ("import sys, lossref.practice as lp\n"
            "[ex.check(ex.generate(1), ex.solution(ex.generate(1)).answer) for ex in lp.exercises()]\n"
            "assert 'numpy' not in sys.modules, sorted(m for m in sys.modules if 'numpy' in m)[:5]\n")
    subprocess.run([sys.executable, "-c", code], check=True)


RNG = random.Random(0)
VALUES = [RNG.uniform(-30, 30) for _ in range(200)] + [-1000.0, -40.0, -1e-9, 0.0, 1e-9, 40.0, 1000.0]


def _agree(a, b):
    assert a == pytest.approx(b, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("z", VALUES)
def test_binary_losses_agree_with_lossref(z):
    for y in (0.0, 1.0, 0.3):
        _agree(M.bce_with_logits(y, z), lr.bce_with_logits(np.array([y]), np.array([z])))
    for y in (-1.0, 1.0):
        _agree(M.logistic(y, z), lr.logistic(np.array([y]), np.array([z])))
        _agree(M.hinge(y, z), lr.hinge(np.array([y]), np.array([z])))
        _agree(M.squared_hinge(y, z), lr.squared_hinge(np.array([y]), np.array([z])))
    _agree(M.sigmoid(z), 1 / (1 + np.exp(-np.float64(z))) if z > -700 else 0.0)


@pytest.mark.parametrize("r", VALUES)
def test_regression_losses_agree_with_lossref(r):
    y, p = np.array([0.0]), np.array([r])
    _agree(M.huber(r, 1.5), lr.huber(y, p, delta=1.5))
    _agree(M.log_cosh(r), lr.log_cosh(y, p))
    _agree(M.quantile(0.0, r, 0.8), lr.quantile(y, p, tau=0.8))


def test_cross_entropy_agrees_with_lossref():
    rng = random.Random(1)
    for _ in range(300):
        z = [rng.uniform(-50, 50) for _ in range(rng.randint(2, 6))]
        label = rng.randrange(len(z))
        eps = rng.choice([0.0, 0.1])
        _agree(M.cross_entropy(label, z, eps),
               lr.cross_entropy(np.array([label]), np.array([z]), label_smoothing=eps))
        assert M.softmax(z) == pytest.approx(list(np.exp(z - np.max(z)) / np.exp(z - np.max(z)).sum()), rel=1e-12)


def test_the_lessons_numbers_at_seed_0():
    import lossref.practice as lp

    assert lp.get("bce.grad").solution(lp.get("bce.grad").generate(0)).answer == "-0.7311"
    assert lp.get("bce.value").solution(lp.get("bce.value").generate(0)).answer == "1.313"
    assert lp.get("cross_entropy.value").solution(lp.get("cross_entropy.value").generate(0)).answer == "2.17"


def test_the_practice_tests_run_without_numpy():
    # tests/practice/ runs again under Pyodide, which has no NumPy: comparisons with lossref's
    # numbers belong here, in tests/practice_vs_lossref/.
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "practice"
    offenders = [path.name for path in sorted(folder.glob("*.py"))
                 if any(line.strip().startswith(("import numpy", "from numpy", "import lossref as", "from lossref import"))
                        for line in path.read_text().splitlines())]
    assert not offenders, f"tests/practice/ must not import NumPy or lossref's losses: {offenders}"
