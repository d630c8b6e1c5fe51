"""What the site build does for the exercises: pages, first problems, the widget, Pyodide and the
lossref wheel with its lock file."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import zipfile
from pathlib import Path

import pytest

import lossref.practice as lp
from lossref.practice import bridge
from lossref.practice._sessions import session_of

ROOT = Path(__file__).resolve().parents[2]


def _first_problems(page_html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(
        r'<script type="application/json" class="lossref-ex__problem">(.*?)</script>', page_html, re.S)]


# ----------------------------------------------------------------------------------- pages
def _practice_pages(built_site) -> dict[int, str]:
    return {s.number: (built_site / "practice" / f"session-{s.number}" / "index.html").read_text()
            for s in lp.sessions()}


def test_each_sessions_practice_page_has_its_exercises_and_together_they_have_all(built_site):
    pages = _practice_pages(built_site)
    shown = {n: re.findall(r'<lossref-exercise exercise="([^"]+)">', page) for n, page in pages.items()}
    for n, ids in shown.items():
        assert ids == [ex.id for ex in lp.exercises() if session_of(ex) == n], f"practice page of session {n}"
        for skill in {lp.get(i).skill for i in ids}:
            assert f"<code>{skill}</code>" in pages[n], f"the practice page of session {n} does not name {skill}"
    assert sorted(i for ids in shown.values() for i in ids) == sorted(ex.id for ex in lp.exercises())


def test_the_practice_index_links_every_sessions_page_and_the_nav_lists_them(built_site):
    index = (built_site / "practice" / "index.html").read_text()
    assert "<lossref-exercise" not in index and "assets/practice" not in index, "the index loads no exercise"
    article = index[index.index("<article"):index.index("</article>")]
    for s in lp.sessions():
        count = sum(session_of(ex) == s.number for ex in lp.exercises())
        row = re.search(rf'<tr>\s*<td><a href="session-{s.number}/">[^<]*</a></td>.*?<td[^>]*>(\d+)</td>\s*</tr>',
                        article, re.S)
        assert row and int(row[1]) == count, f"the index's row for session {s.number}"
        nav_link = f'href="session-{s.number}/"'
        assert index.count(nav_link) >= 2, f"session {s.number}'s practice page is not in the navigation"


@pytest.mark.parametrize("src", ["losses/bce.md", "losses/hinge.md", "losses/huber.md", "guides/stability.md"])
def test_loss_and_guide_pages_end_with_their_exercises(built_site, practice_assets, src):
    page = (built_site / src.removesuffix(".md") / "index.html").read_text()
    ids = practice_assets.exercises_for(src)
    assert ids, f"{src} has no exercises"
    assert re.findall(r'<lossref-exercise exercise="([^"]+)">', page) == ids
    assert page.index('id="practice"') < page.index("<lossref-exercise"), "no Practice heading above them"
    head = page[:page.index("</head>")]
    assert '<script type="module" async src="../../assets/practice/exercise.js"></script>' in head
    assert 'href="../../assets/practice/exercise.css"' in page


def test_every_page_map_entry_finds_exercises(practice_assets):
    for src in practice_assets.PAGE_SKILLS:
        assert (ROOT / "docs" / src).is_file(), f"PAGE_SKILLS names {src}, which does not exist"
        assert practice_assets.exercises_for(src), f"PAGE_SKILLS gives {src} no exercise"


def test_pages_without_exercises_load_no_widget(built_site):
    for name in ("index.html", "losses/index.html", "api/index.html"):
        page = (built_site / name).read_text()
        assert "<lossref-exercise" not in page and "assets/practice" not in page, name


def test_first_problems_are_the_engines_seed_zero(built_site):
    page = "".join(_practice_pages(built_site).values())
    problems = _first_problems(page)
    assert len(problems) == len(lp.exercises())
    for reply in problems:
        problem = reply["problem"]
        expected = bridge.handle({"op": "problem", "exercise": problem["exercise"], "seed": 0})
        assert problem["seed"] == 0
        assert problem["params"] == expected["problem"]["params"]
        assert problem["statement"] == expected["problem"]["statement"]
        assert reply["hash"] == expected["hash"]
        # The statement is in the page as HTML (once: not repeated in the JSON), typeset.
        statement = re.search(rf'<div class="lossref-ex__statement" data-exercise="{re.escape(problem["exercise"])}" '
                              r'data-seed="0">(.*?)</div>\s*<p class="lossref-ex__noscript">', page, re.S)
        assert statement, problem["exercise"]
        assert "statementHtml" not in problem
        assert 'class="katex"' in statement[1] or "$" not in problem["statement"]


def test_problem_json_cannot_close_its_script_element(practice_assets, monkeypatch):
    nasty = "</script><script>alert(1)</script>"
    reply = {"problem": {"exercise": "x", "seed": 0, "title": "T", "label": "Exercise", "statementHtml": "<p>s</p>", "statement": nasty}}
    monkeypatch.setattr(practice_assets, "first_problem", lambda attr, value, where: reply)
    out, found = practice_assets.prerender('<p><lossref-exercise exercise="x"></lossref-exercise></p>', "page.md")
    assert found
    assert out.count("</script>") == 1 and not out.startswith("<p>"), out
    assert _first_problems(out)[0]["problem"]["statement"] == nasty


# ----------------------------------------------------------------------------------- texts
def test_every_text_of_every_exercise_typesets(practice_assets):
    """Statements, choices, hints, solutions and feedback of 10 seeds per exercise, rendered by the
    browser's renderer with KaTeX in strict mode: no formula an exercise writes fails to typeset."""
    renderer = practice_assets.NodeRenderer("practice_render.mjs")
    failures = []
    try:
        for ex in lp.exercises():
            for seed in range(10):
                replies = [bridge.handle({"op": op, "exercise": ex.id, "seed": seed})
                           for op in ("problem", "hints", "solution")]
                problem = ex.generate(seed)
                wrong = {"number": "12345", "vector": "1, 2", "choice": "z", "code": "def f(:"}[ex.kind]
                replies.append({"verdict": ex.check(problem, wrong).to_dict()})
                replies += [{"verdict": ex.check(problem, m.value).to_dict()}
                            for m in getattr(ex, "mistakes", lambda p: [])(problem.params)]
                for reply in replies:
                    rendered = renderer.ask(reply)
                    failures += [f"{ex.id} seed {seed}: {e}" for e in rendered["errors"]]
    finally:
        renderer.close()
    assert not failures, "\n".join(failures[:20])


def test_learner_text_is_escaped(practice_assets):
    renderer = practice_assets.NodeRenderer("practice_render.mjs")
    try:
        reply = renderer.ask({"verdict": {"correct": False, "mistake": None, "lead": "Not <b>correct</b>.",
                                          "detail": "could not read '<img src=x onerror=alert(1)>'"}})
    finally:
        renderer.close()
    assert "<img" not in reply["verdict"]["detailHtml"]
    assert html.escape("<img") in reply["verdict"]["detailHtml"]
    assert reply["verdict"]["leadHtml"] == "Not &lt;b&gt;correct&lt;/b&gt;."


# ----------------------------------------------------------------------------------- Pyodide
def test_pyodide_core_comes_from_the_npm_package(built_site):
    dist = ROOT / "node_modules" / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (built_site / "pyodide" / name).read_bytes() == (dist / name).read_bytes(), name
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/pyodide"]["version"] == json.loads((dist / "package.json").read_text())["version"]


def test_the_lock_file_lists_the_lossref_wheel_with_its_hash(built_site):
    lock = json.loads((built_site / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["lossref"]
    wheel = built_site / "pyodide" / entry["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    # No numpy (the site has none for Pyodide); fsrs for the course's reviews.
    assert entry["depends"] == ["fsrs"]
    assert lock["packages"]["fsrs"]["depends"] == ["typing-extensions"]
    pinned = re.findall(r"^(\S+)==(\S+) --hash=sha256:(\w+)$", (ROOT / "requirements" / "browser.txt").read_text(), re.M)
    assert {name for name, _, _ in pinned} == {"fsrs", "typing_extensions"}
    for name, version, sha256 in pinned:
        extra = lock["packages"][name.replace("_", "-")]
        assert extra["version"] == version and extra["sha256"] == sha256
        assert hashlib.sha256((built_site / "pyodide" / extra["file_name"]).read_bytes()).hexdigest() == sha256
    core = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"] == core["info"]
    # typing-extensions is in Pyodide's own lock too, but its wheel is not in the npm package: the
    # site serves the pinned one, and the entry points to it.
    assert set(lock["packages"]) == set(core["packages"]) | {"lossref", "fsrs"}
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "lossref/practice/bridge.py" in names and "lossref/practice/_core.py" in names


def test_the_wheel_has_pyodides_bytecode_for_every_module_the_worker_imports(built_site):
    """Compiled by Pyodide's Python, as unchecked-hash .pyc files (used whatever the files' dates)
    of exactly the sources beside them, which stay (exercise hashes are computed from them)."""
    import _imp
    import base64
    import csv
    import subprocess
    import sys

    lock = json.loads((built_site / "pyodide" / "pyodide-lock.json").read_text())
    major, minor = lock["info"]["python"].split(".")[:2]
    tag = f"cpython-{major}{minor}"
    code = ("import sys, lossref.practice.bridge; "
            "print('\\n'.join(sorted(m.__file__ for n, m in sys.modules.items() if n.startswith('lossref'))))")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    modules = {Path(f).relative_to(ROOT).as_posix() for f in imported}
    with zipfile.ZipFile(built_site / "pyodide" / lock["packages"]["lossref"]["file_name"]) as zf:
        names = set(zf.namelist())
        for module in modules:
            folder, name = module.rsplit("/", 1)
            compiled = f"{folder}/__pycache__/{name[:-3]}.{tag}.pyc"
            assert compiled in names, f"{module} has no bytecode for Pyodide's Python ({compiled})"
            pyc, source = zf.read(compiled), zf.read(module)
            assert int.from_bytes(pyc[4:8], "little") == 0b01, f"{compiled} is not an unchecked-hash .pyc"
            assert pyc[8:16] == _imp.source_hash(int.from_bytes(pyc[:4], "little"), source), \
                f"{compiled} was not compiled from the {module} beside it"
        assert not {n for n in names if n.endswith(".pyc")} - {
            f"{m.rsplit('/', 1)[0]}/__pycache__/{m.rsplit('/', 1)[1][:-3]}.{tag}.pyc" for m in modules}, \
            "bytecode of modules the browser never imports (the NumPy losses) only makes the wheel bigger"
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        rows = {row[0]: row[1] for row in csv.reader(zf.read(record).decode().splitlines())}
        assert set(rows) == names
        for name in names - {record}:
            digest = base64.urlsafe_b64encode(hashlib.sha256(zf.read(name)).digest()).rstrip(b"=").decode()
            assert rows[name] == f"sha256={digest}", f"RECORD's hash of {name}"


def test_the_python_snapshot_is_served_with_its_hash(built_site):
    snapshot = built_site / "pyodide" / "python-snapshot.bin.gz"
    digest = hashlib.sha256(snapshot.read_bytes()).hexdigest()
    assert digest in (built_site / "assets" / "practice" / "exercise.js").read_text(), \
        "the widget does not carry the snapshot's sha256 for the worker to check"
    with gzip.open(snapshot) as f:
        size = len(f.read())
    assert size > 10_000_000, f"a snapshot of Python's memory of {size} bytes is suspiciously small"


def test_the_worker_and_widget_are_bundled(built_site):
    out = built_site / "assets" / "practice"
    widget = (out / "exercise.js").read_text()
    worker = (out / "worker.js").read_text()
    assert "lossref-exercise" in widget and "customElements" in widget
    assert len(worker) < 5000, "the worker should start fetching Python before loading its renderer"
    renderer = list((out / "chunks").glob("render-*.js"))
    assert len(renderer) == 1 and renderer[0].name in worker, "the worker does not load its renderer chunk"
    assert "renderToString" in renderer[0].read_text(), "KaTeX is not in the renderer"
    assert "renderToString" not in widget, "KaTeX is in the widget's entry, loaded by every page"
    assert "cdn.jsdelivr" not in widget + worker, "the default build points at a CDN"
    editor = list((out / "chunks").glob("editor-*.js"))
    assert len(editor) == 1 and "cm-editor" in editor[0].read_text(), "CodeMirror is not in its own chunk"
    assert "cm-editor" not in widget, "CodeMirror is in the widget's entry, loaded by every page"


def test_the_cdn_switch(practice_assets, tmp_path):
    version = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())["version"]
    url = practice_assets.pyodide_index_url({"extra": {"practice": {"pyodide": "cdn"}}})
    assert url == f"https://cdn.jsdelivr.net/pyodide/v{version}/full/"
    assert practice_assets.pyodide_index_url({"extra": {}}) == ""
    with pytest.raises(Exception, match="must be 'local' or 'cdn'; got 'jsdelivr'"):
        practice_assets.pyodide_index_url({"extra": {"practice": {"pyodide": "jsdelivr"}}})
    practice_assets.bundle(tmp_path, url)
    assert url in (tmp_path / practice_assets.ASSETS_DIR / "exercise.js").read_text()
    practice_assets.install_pyodide(tmp_path, url)
    served = sorted(p.name for p in (tmp_path / "pyodide").iterdir())
    assert served == ["fsrs-6.3.2-py3-none-any.whl", "lossref-0.1.0-py3-none-any.whl", "pyodide-lock.json",
                      "python-snapshot.bin.gz", "typing_extensions-4.16.0-py3-none-any.whl"], \
        "the CDN build still copies the core"


def test_an_unknown_exercise_fails_the_build(project_copy, mkdocs_build, tmp_path):
    """At the page that names it (the home page, converted first), before any other page."""
    page = project_copy / "docs" / "index.md"
    page.write_text(page.read_text() + '\n<lossref-exercise exercise="mse.nope"></lossref-exercise>\n')
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "index.md: <lossref-exercise exercise='mse.nope'>: no exercise 'mse.nope'" in result.stdout
