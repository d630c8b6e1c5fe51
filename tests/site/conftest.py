"""Building the site for the tests: one strict build per session, shared by every site test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _mkdocs_build(project: Path, site_dir: Path, config: str = "mkdocs.yml") -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of ``project`` into ``site_dir``; the log is in the result's stdout."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config, "--site-dir", str(site_dir)],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site, built once with every example executed."""
    site = tmp_path_factory.mktemp("site")
    result = _mkdocs_build(ROOT, site)
    assert result.returncode == 0, f"the site does not build:\n{result.stdout[-6000:]}"
    return site


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of everything the site build reads, to break on purpose."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("docs", "snippets"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    (copy / "tests" / "data").mkdir(parents=True)
    shutil.copy2(ROOT / "tests" / "data" / "reference.json", copy / "tests" / "data" / "reference.json")
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    (copy / "lossref").symlink_to(ROOT / "lossref")  # mkdocs.yml watches it
    return copy


@pytest.fixture(scope="session")
def mkdocs_build():
    """``mkdocs_build(project, site_dir)`` runs a strict build and returns the finished process."""
    return _mkdocs_build


@pytest.fixture(scope="session")
def lossdocs():
    """The page helpers the site's executed blocks import."""
    sys.path.insert(0, str(ROOT / "docs" / "hooks"))
    try:
        import lossdocs
    finally:
        sys.path.remove(str(ROOT / "docs" / "hooks"))
    return lossdocs
