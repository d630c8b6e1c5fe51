"""The list of exercise modules: a name that is no module stops the import, and every module is listed.

These read the repository's files, so they run on the CPython side only (the Pyodide run of
tests/practice sees the installed wheel, not the source tree)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lossref.practice import _registry
from lossref.practice._sessions import MODULE_SESSION

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "lossref" / "practice"


def test_every_exercise_module_of_the_package_is_listed():
    on_disk = sorted(p.stem for p in FOLDER.glob("ex_*.py"))
    unlisted = sorted(set(on_disk) - set(_registry.MODULES))
    assert not unlisted, (f"{', '.join(unlisted)} not in lossref/practice/_registry.py MODULES (the course order); "
                          "add each there and to MODULE_SESSION in _sessions.py")
    assert _registry.module_files() == on_disk


def test_every_listed_module_has_a_session_and_every_session_module_is_listed():
    assert sorted(MODULE_SESSION) == sorted(_registry.MODULES)
    assert len(set(_registry.MODULES)) == len(_registry.MODULES), "a module is listed twice"


def test_a_misspelt_module_fails_loudly_naming_it_and_the_modules_there_are():
    with pytest.raises(ImportError) as raised:
        _registry._load(("ex_prerequisites", "ex_nosie"))
    message = str(raised.value)
    assert "'ex_nosie'" in message and "MODULES" in message
    assert all(name in message for name in _registry.module_files())


def test_a_misspelt_module_is_an_error_as_soon_as_the_registry_runs():
    # The registry's own source with one entry misspelt, run as the module would be on import.
    source = (FOLDER / "_registry.py").read_text()
    # the misspelt name goes first, so the edit does not depend on which module the tuple ends with
    assert source.count("MODULES = (") == 1
    source = source.replace("MODULES = (", 'MODULES = ("ex_regresion", ')
    with pytest.raises(ImportError, match="MODULES lists 'ex_regresion', which is not a module of lossref.practice"):
        exec(compile(source, str(FOLDER / "_registry.py"), "exec"),
             {"__name__": "lossref.practice._registry", "__package__": "lossref.practice"})


def test_a_module_that_imports_something_missing_shows_that_error(monkeypatch):
    import importlib

    real = importlib.import_module

    def broken(name, package=None):
        if name == ".ex_noise":
            raise ModuleNotFoundError("No module named 'scipy'", name="scipy")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="scipy"):
        _registry._load(("ex_noise",))
