"""An exercise's content hash: the source of its class and of what the class uses, nothing more.

The page stores the hash with each answer (``lossref.practice.course``): a changed exercise makes
new problems from the same seeds, and the dashboard says which exercises changed since the learner
answered them. So the hash must change when, and only when, something that shapes the exercise's
problems, checks or texts changes. It covers

* the exercise's class (its whole source, decorators and docstring included),
* every top-level definition of ``lossref.practice`` the covered source names: base classes,
  functions, classes and module constants, whether of the same module, imported from another one
  (``from ._core import fmt_number as f``) or reached through an imported module (``M.sigmoid``
  after ``from . import _math as M``),

followed until nothing new is named. Editing one exercise leaves its module neighbours' hashes as
they were; editing a helper changes the hash of every exercise that uses it. The source is read as
text (no ``ast.unparse``, whose output differs between Python versions), so the hash is the same
at build time and in the browser's Python. What is outside ``lossref.practice`` (the standard
library, Python itself) is not covered.

>>> import lossref.practice as lp
>>> covered = covered_by(lp.get("noise.noisy_risk"))
>>> ("lossref.practice.ex_noise", "NoisyRisk") in covered, ("lossref.practice.ex_noise", "GCEGradient") in covered
(True, False)
>>> ("lossref.practice._core", "NumericExercise") in covered
True
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import importlib.util
import inspect
from collections.abc import Mapping
from dataclasses import dataclass

PACKAGE = __package__  # lossref.practice: the definitions a hash can cover
HASH_LENGTH = 12  # hex digits kept of the sha256


@dataclass(frozen=True)
class _Module:
    """One module's top level: the statements that bind each name, and where imported names come
    from (``(module, name)``, or ``(module, None)`` for a module imported whole)."""

    lines: tuple[str, ...]
    defined: dict[str, tuple[ast.stmt, ...]]
    imported: dict[str, tuple[str, str | None]]


def content_hash(exercise, sources: Mapping[str, str] | None = None) -> str:
    """The exercise's content hash: a sha256 of the source of every definition it covers
    (:func:`covered_by`), in a fixed order. ``sources`` replaces the installed source of the modules
    it names (module name to text): the hash the exercise would have if they read so."""
    sources = sources or {}
    cls = type(exercise)
    parts = [f"{cls.__module__}.{cls.__qualname__}"]
    for module, name in covered_by(exercise, sources):
        parts.append(f"# {module}:{name}\n{_segment(_module(module, _source(module, sources)), name)}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:HASH_LENGTH]


def covered_by(exercise, sources: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The ``(module, name)`` of every definition the exercise's hash covers, sorted."""
    sources = sources or {}
    cls = type(exercise)
    start = (cls.__module__, cls.__qualname__)
    if start[1] not in _module(start[0], _source(start[0], sources)).defined:
        raise RuntimeError(f"exercise {exercise.id!r}: its class {start[1]} must be defined at the top level "
                           f"of {start[0]}, where its content hash looks for it")
    seen = {start}
    todo = [start]
    while todo:
        module, name = todo.pop()
        for found in _references(module, _source(module, sources), name, tuple(sorted(sources.items()))):
            if found not in seen:
                seen.add(found)
                todo.append(found)
    return sorted(seen)


# ----------------------------------------------------------------------------------- reading
@functools.cache
def _installed_source(module: str) -> str:
    return inspect.getsource(importlib.import_module(module))


def _source(module: str, sources: Mapping[str, str]) -> str:
    return sources[module] if module in sources else _installed_source(module)


@functools.cache
def _module(name: str, source: str) -> _Module:
    """The top level of module ``name`` whose text is ``source``."""
    tree = ast.parse(source)
    defined: dict[str, list[ast.stmt]] = {}
    imported: dict[str, tuple[str, str | None]] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            imported.update(_imports(stmt, name))
            continue
        for bound in _bound_names(stmt):
            defined.setdefault(bound, []).append(stmt)
    return _Module(tuple(source.splitlines()), {k: tuple(v) for k, v in defined.items()}, imported)


def _bound_names(stmt: ast.stmt) -> list[str]:
    """The names a top-level statement binds: a def's or class's name, an assignment's targets
    (also inside ``if``/``try``/``for`` at the top level)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    names = []
    for node in ast.walk(stmt):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
    return names


def _imports(stmt: ast.Import | ast.ImportFrom, module: str) -> dict[str, tuple[str, str | None]]:
    """What an import statement of ``module`` brings from ``lossref.practice`` (nothing else is followed)."""
    found: dict[str, tuple[str, str | None]] = {}
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if _inside(alias.name) and alias.asname:  # import lossref.practice._math as M
                found[alias.asname] = (alias.name, None)
        return found
    package = module if _is_package(module) else module.rpartition(".")[0]
    origin = importlib.util.resolve_name("." * stmt.level + (stmt.module or ""), package) if stmt.level else stmt.module
    if not _inside(origin):
        return found
    for alias in stmt.names:
        submodule = f"{origin}.{alias.name}"
        # ``from . import _math``: a module; ``from ._core import fmt_number``: a name in one.
        found[alias.asname or alias.name] = (submodule, None) if _is_module(submodule) else (origin, alias.name)
    return found


def _inside(module: str | None) -> bool:
    return module is not None and (module == PACKAGE or module.startswith(PACKAGE + "."))


def _is_package(module: str) -> bool:
    return hasattr(importlib.import_module(module), "__path__")


def _is_module(module: str) -> bool:
    parent = module.rpartition(".")[0]
    return _is_package(parent) and importlib.util.find_spec(module) is not None


# ----------------------------------------------------------------------------------- following
@functools.cache
def _references(module: str, source: str, name: str, sources: tuple) -> tuple[tuple[str, str], ...]:
    """The definitions (``(module, name)``) that the statements binding ``name`` in ``module`` use."""
    overrides = dict(sources)
    here = _module(module, source)
    found = []
    for stmt in here.defined[name]:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                target = here.imported.get(node.value.id)
                if target and target[1] is None:  # M.sigmoid, with M a module of lossref.practice
                    found.append(_resolve(target[0], node.attr, overrides))
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
                found.append(_resolve(module, node.id, overrides))
    return tuple(sorted({f for f in found if f is not None and f != (module, name)}))


def _resolve(module: str, name: str, sources: Mapping[str, str]) -> tuple[str, str] | None:
    """Where ``name``, as module ``module`` sees it, is defined; ``None`` for a builtin, a local
    or anything from outside ``lossref.practice``."""
    for _ in range(20):  # an import chain (re-exports) is short; a cycle must not hang
        here = _module(module, _source(module, sources))
        if name in here.defined:
            return module, name
        origin = here.imported.get(name)
        if origin is None or origin[1] is None:
            return None
        module, name = origin
    raise RuntimeError(f"{module}.{name}: the imports that lead to it go round in a circle")


def _segment(module: _Module, name: str) -> str:
    """The source lines of the statements that bind ``name`` (a def's or class's decorators included)."""
    texts = []
    for stmt in module.defined[name]:
        first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
        texts.append("\n".join(module.lines[first - 1:stmt.end_lineno]))
    return "\n".join(texts)
