"""Pyodide in Node: the wheels it installs, built and fetched once per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "pyodide-wheels"


@pytest.fixture(scope="session")
def pyodide_wheels(tmp_path_factory) -> Path:
    """A folder with pytest's pure-Python wheels (pinned in requirements/pyodide.txt) and a fresh lossref wheel."""
    pins = [line.strip() for line in (ROOT / "requirements" / "pyodide.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    if not all(any(CACHE.glob(f"{pin.split('==')[0]}-{pin.split('==')[1]}-*.whl")) for pin in pins):
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--only-binary=:all:", "--python-version", "3.14", "--platform", "any",
                        "--implementation", "py", "--abi", "none", "--no-deps", "-d", str(CACHE), *pins], check=True)
    folder = tmp_path_factory.mktemp("wheels")
    for pin in pins:
        name, version = pin.split("==")
        shutil.copy2(next(CACHE.glob(f"{name}-{version}-*.whl")), folder)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--no-build-isolation", "-w", str(folder), str(ROOT)], check=True)
    return folder


@pytest.fixture(scope="session")
def node() -> str:
    path = shutil.which("node")
    assert path, "Node.js is needed to run the tests under Pyodide"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file(), "run `npm ci`: node_modules/pyodide is missing"
    return path
