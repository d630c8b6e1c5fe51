"""Running the site's snippets: each ``snippets/**/*.py`` is a script a reader can run on its own.

A test runs it (``run_snippet``), reads what it printed (``printed``) and checks the numbers
against an independent computation, the pattern of FastAPI's ``docs_src/`` and
``tests/test_tutorial/``.
"""

from __future__ import annotations

import contextlib
import io
import re
import runpy
from pathlib import Path

import numpy as np
import pytest

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?inf|nan")


def run(path: str) -> str:
    """Run ``snippets/<path>`` as ``__main__`` and return what it printed."""
    file = SNIPPETS / path
    assert file.is_file(), f"no snippet {file}"
    out = io.StringIO()
    # NumPy's print options are global: a snippet that changes them must not change the next one's output.
    with contextlib.redirect_stdout(out), np.printoptions():
        runpy.run_path(str(file), run_name="__main__")
    return out.getvalue()


def parse(output: str) -> dict[str, np.ndarray]:
    """Every ``label: numbers`` line of a snippet's output, as ``{label: array of the numbers}``.

    NumPy's array printing (``[1. 2.5 3.]``) and plain floats both parse; a line without a colon
    or without numbers is skipped.
    """
    values = {}
    for line in output.splitlines():
        label, sep, rest = line.partition(":")
        if not sep:
            continue
        numbers = _NUMBER.findall(rest)
        if numbers:
            values[label.strip()] = np.array([float(n) for n in numbers])
    return values


@pytest.fixture
def run_snippet():
    return run


@pytest.fixture
def printed():
    """``printed(path)`` runs a snippet and returns ``parse`` of its output."""
    return lambda path: parse(run(path))
