"""The practice engine's tests, run again inside Pyodide: the browser's runtime gives the same verdicts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_practice_tests_pass_under_pyodide(node, pyodide_wheels):
    result = subprocess.run(
        [node, str(ROOT / "tests" / "pyodide" / "run_pytest.mjs"), str(pyodide_wheels), str(ROOT / "tests" / "practice"),
         # NumPy does not exist in Pyodide offline: the comparisons with lossref's numbers are in
         # tests/practice_vs_lossref/, on the CPython side.
         "tests", "-q", "-p", "no:cacheprovider", "--import-mode=importlib", "-o", "addopts=", "-W", "error"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "on emscripten" in output, "the tests did not run under Pyodide"
    assert " passed" in output and " failed" not in output
    # Every practice test ran there, the mastery model's included (it needs the fsrs wheel).
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "--import-mode=importlib", "tests/practice"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    ).stdout
    expected = int(re.search(r"(\d+) tests? collected", collected)[1])
    assert re.search(rf"\b{expected} passed", output), f"expected {expected} tests to pass under Pyodide:\n{output[-2000:]}"
