"""The practice exercises' side of the site build (called from ``lossref_site.py``).

* ``<lossref-exercise exercise="id">`` (or ``skill="..."``) elements in a page get their first
  problem (seed 0) rendered at build time: readable before Python has started in the browser,
  and without JavaScript. The texts are rendered by the same module the browser's worker uses
  (``docs/javascripts/practice/render.js``), run by ``practice_render.mjs`` in Node.
* The widget's JavaScript is bundled from ``docs/javascripts/practice/`` with esbuild (CodeMirror,
  markdown-it and KaTeX come from npm, pinned in package-lock.json) into ``assets/practice/``.
* Pyodide's core is copied from ``node_modules/pyodide`` into ``pyodide/``, next to a ``lossref``
  wheel built from this checkout (with bytecode compiled by Pyodide's Python) and a lock file
  that lists it (pyodide-build's ``lockfile add-wheels``), so the browser installs lossref with
  its sha256 checked, and a memory snapshot of Python just after start-up, which the worker
  resumes from (sha256 checked too).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

HOOKS_DIR = Path(__file__).resolve().parent
ROOT = HOOKS_DIR.parent.parent
SOURCES = ROOT / "docs" / "javascripts" / "practice"
PYODIDE_DIST = ROOT / "node_modules" / "pyodide"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
CACHE = ROOT / ".cache" / "practice"

ASSETS_DIR = "assets/practice"  # the widget's scripts and stylesheet, in the built site
PYODIDE_DIR = "pyodide"  # Pyodide's core, the lossref wheel and the lock file
PYODIDE_CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
SNAPSHOT = "python-snapshot.bin.gz"  # Python's memory right after start-up, gzipped
# Wheels record this date for every file, so that two builds give the same bytes (and sha256).
SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest date a zip file can hold

# Which exercises end which page: the skills (or skill families, ending in ".") they train.
PAGE_SKILLS = {
    "losses/mse.md": ["mse."],
    "losses/mae.md": ["mae."],
    "losses/huber.md": ["huber."],
    "losses/log-cosh.md": ["log_cosh."],
    "losses/quantile.md": ["quantile."],
    "losses/poisson-nll.md": ["poisson_nll.", "likelihood.mle"],
    "losses/gaussian-nll.md": ["gaussian_nll.", "likelihood.mle"],
    "losses/bce.md": ["bce.", "stability.bce"],
    "losses/cross-entropy.md": ["cross_entropy.", "stability.logsumexp", "stability.softmax"],
    "losses/focal.md": ["focal.", "nll.log_probs"],
    "losses/kl-divergence.md": ["kl.", "prereq.kl"],
    "losses/hinge.md": ["hinge.", "squared_hinge."],
    "losses/logistic.md": ["logistic."],
    "losses/multiclass-hinge.md": ["multiclass_hinge."],
    "losses/zero-one.md": ["risk.loss_vs_metric", "custom.surrogate"],
    "losses/nll.md": ["nll."],
    "losses/ctc.md": ["ctc."],
    "losses/ranking.md": ["ranking."],
    "losses/cosine-distance.md": ["metric.distance"],
    "losses/metric-learning.md": ["metric."],
    "losses/segmentation.md": ["segmentation."],
    "guides/loss-risk-metric.md": ["risk."],
    "guides/stability.md": ["stability."],
    "guides/surrogates.md": ["margin."],
    "guides/custom-losses.md": ["custom."],
    "guides/choosing.md": ["choose.", "regression.minimiser"],
    "guides/calibration.md": ["calibration."],
    "guides/scoring-rules.md": ["scoring."],
    "guides/thresholds.md": ["choose.threshold", "choose.prior_shift"],
    "guides/label-noise.md": ["noise."],
    "guides/non-decomposable.md": ["custom.surrogate"],
}


def pyodide_index_url(config) -> str:
    """Where the browser loads Pyodide's core from: ``""`` for this site's own copy (the default),
    or the official CDN when ``extra.practice.pyodide`` is ``cdn`` in mkdocs.yml."""
    choice = (config.get("extra") or {}).get("practice", {}).get("pyodide", "local")
    if choice == "local":
        return ""
    if choice == "cdn":
        version = json.loads((PYODIDE_DIST / "package.json").read_text())["version"]
        return f"https://cdn.jsdelivr.net/pyodide/v{version}/full/"
    raise PluginError(f"extra.practice.pyodide must be 'local' or 'cdn'; got {choice!r}")


# ----------------------------------------------------------------------------------- pages
def _practice():
    import lossref.practice as practice  # imported per build: on_pre_build dropped the old one

    return practice


def exercises_for(src_uri: str) -> list[str]:
    """The ids of the exercises that end a page, in course order."""
    prefixes = PAGE_SKILLS.get(src_uri, [])
    return [ex.id for ex in _practice().exercises()
            if any(ex.skill == p or (p.endswith(".") and ex.skill.startswith(p)) for p in prefixes)]


def practice_section(src_uri: str) -> str:
    """Markdown for a "Practice" section with the page's exercises, or ``""``."""
    ids = exercises_for(src_uri)
    if not ids:
        return ""
    elements = "\n".join(element(i) for i in ids)
    return ("\n\n## Practice\n\nFresh problems with feedback on your answer; they are checked in "
            "your browser, and nothing you type leaves it. All exercises are on the "
            "[practice pages](../practice/index.md).\n\n" + elements + "\n")


def element(exercise_id: str) -> str:
    """The HTML that places one exercise on a page."""
    return f'<div class="lossref-ex-host"><lossref-exercise exercise="{exercise_id}"></lossref-exercise></div>'


# The practice pages: an index (practice/index.md, written by hand around the table of sessions)
# and one generated page per session with that session's exercises, by skill.
PRACTICE_INDEX = "practice/index.md"
PRACTICE_SESSIONS_MARKER = "<!-- lossref: practice sessions -->"


def practice_page(session: int) -> str:
    """The source path of the practice page of one session (generated: no file in docs/)."""
    return f"practice/session-{session}.md"


def practice_sessions() -> list[int]:
    return [s.number for s in _practice().sessions()]


def _exercises_by_session() -> dict[int, list]:
    from lossref.practice._sessions import session_of

    by_session: dict[int, list] = {s.number: [] for s in _practice().sessions()}
    for ex in _practice().exercises():  # course order within a session
        by_session[session_of(ex)].append(ex)
    return by_session


def practice_nav() -> list[dict[str, str]]:
    """The practice section's entries after its index: one per session, titled as in the course."""
    from lossref.practice._sessions import SHORT_TITLES

    return [{f"{s.number} · {SHORT_TITLES[s.number]}": practice_page(s.number)} for s in _practice().sessions()]


def practice_sessions_table() -> str:
    """Markdown for the practice index: each session's page, its skills and how many exercises."""
    from lossref.practice._sessions import SHORT_TITLES, SKILL_TITLES

    rows = ["| Session | Skills | Exercises |", "|---|---|---:|"]
    for number, exercises in _exercises_by_session().items():
        skills = list(dict.fromkeys(ex.skill for ex in exercises))
        link = f"[{number} · {SHORT_TITLES[number]}]({Path(practice_page(number)).name})"  # beside the index
        rows.append(f"| {link} | {'; '.join(SKILL_TITLES[s] for s in skills)} | {len(exercises)} |")
    return "\n".join(rows)


def session_practice_page(number: int) -> str:
    """Markdown for the practice page of session ``number``: its exercises, one section per skill."""
    from lossref.practice._sessions import SKILL_TITLES

    session = _practice().sessions()[number]
    parts = [f"# Practice · session {number}: {session.title}\n",
             f"The exercises of [session {number}](../learn/session-{number}.md) of the course, free to "
             "practise in any order: answers here are not recorded as course progress. How problems are "
             "made and checked, and the other sessions' exercises: [Practice](index.md).\n"]
    skill = None
    for ex in _exercises_by_session()[number]:
        if ex.skill != skill:
            skill = ex.skill
            parts.append(f"## {SKILL_TITLES[skill]}\n\nSkill `{skill}`.\n")
        parts.append(element(ex.id) + "\n")
    return "\n".join(parts)


# ----------------------------------------------------------------------------------- the course
DASHBOARD_MARKER = "<!-- lossref: dashboard -->"
COURSE_MINUTES = range(30, 46)  # a session takes 30 to 45 minutes


def is_course_page(src_uri: str) -> bool:
    return src_uri.startswith("learn/")


def course_data(page_url: str) -> str:
    """The course's fixed data for the page's script (``script#lossref-course-data``): sessions,
    skills and their titles, the rules' numbers and words (``course.rules()``: the script types
    none of them), the path to the site root, and the summary of a learner with no answers, so
    that the dashboard draws at once for a new visitor."""
    from datetime import datetime, timezone

    from lossref.practice import course
    from lossref.practice._sessions import SHORT_TITLES, SKILL_TITLES

    practice = _practice()
    data = {
        "root": "../" * page_url.count("/"),
        # gateNeeded: the right answers that pass the gate test on the session's skills (one problem each).
        "sessions": [{"number": s.number, "title": s.title, "short": SHORT_TITLES[s.number], "skills": list(s.skills),
                      "gateNeeded": course.gate_needed(len(s.skills))}
                     for s in practice.sessions()],
        "skillTitles": SKILL_TITLES,
        "rules": course.rules(),
        "empty": course.summary([], datetime(2000, 1, 1, tzinfo=timezone.utc)),
        "storeVersion": course.STORE_VERSION,
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f'<script type="application/json" id="lossref-course-data">{text}</script>'


_RULE = re.compile(r"\{\{\s*rule\.(?P<name>\w+)\s*\}\}")


def rule_texts() -> dict[str, str]:
    """What ``{{ rule.name }}`` in a course page's Markdown stands for: the course's numbers, from
    ``lossref.practice.course.rules()``, so that the text states the rules the code applies."""
    from lossref.practice import course

    rules = course.rules()
    return {"proficient_points": str(rules["proficientPoints"]),
            "proficient_variants": str(rules["proficientVariants"]),
            "min_right_answers": str(rules["minRightAnswers"]),
            "max_reviews": str(rules["maxReviews"]),
            "gate_pass_percent": f"{rules['gatePassShare']:.0%}",
            "retention_percent": f"{rules['desiredRetention']:.0%}",
            "minutes_per_problem": str(rules["minutesPerProblem"])}


def fill_rules(markdown: str, where: str) -> str:
    """``markdown`` with each ``{{ rule.name }}`` replaced by its value; an unknown name is an error."""
    texts = rule_texts()

    def value(match: re.Match) -> str:
        if match["name"] not in texts:
            raise PluginError(f"{where}: unknown {match[0]}; the rules a page can name are: {', '.join(texts)}")
        return texts[match["name"]]

    return _RULE.sub(value, markdown)


def course_page(markdown: str, page) -> str:
    """A course page's Markdown: the dashboard on /learn/, and on a session page a line with its
    duration and skills under the title, then its practice and the gate test that opens the next
    session. ``{{ rule.name }}`` stands for a number of the rules (``rule_texts``)."""
    src = page.file.src_uri
    markdown = fill_rules(markdown, src)
    if src == "learn/index.md":
        if DASHBOARD_MARKER not in markdown:
            raise PluginError(f"{src} lost its marker {DASHBOARD_MARKER}")
        return markdown.replace(DASHBOARD_MARKER, _course_element("lossref-dashboard", "", "The dashboard"))
    meta = page.meta
    sessions = _practice().sessions()
    number, minutes = meta.get("session"), meta.get("minutes")
    if not isinstance(number, int) or not 0 <= number < len(sessions):
        raise PluginError(f"{src}: front matter 'session' must be 0 to {len(sessions) - 1}; got {number!r}")
    if not isinstance(minutes, int) or minutes not in COURSE_MINUTES:
        raise PluginError(f"{src}: front matter 'minutes' must be 30 to 45; got {minutes!r}")
    session = sessions[number]
    from lossref.practice._sessions import MINUTES_PER_PROBLEM

    if minutes < MINUTES_PER_PROBLEM * session.min_problems:
        raise PluginError(f"{src}: proficiency takes at least {session.min_problems} problems, about "
                          f"{MINUTES_PER_PROBLEM * session.min_problems} minutes; 'minutes' says {minutes}")
    title, _, rest = markdown.partition("\n")
    if title != f"# Session {number}: {session.title}":
        raise PluginError(f"{src} must start with '# Session {number}: {session.title}'; got {title!r}")
    derivation = " (one of them a derivation)" if session.derivations else ""
    meta_line = (f"\n*About {minutes} minutes · {len(session.skills)} skills · proficiency takes at least "
                 f"{session.min_problems} problems{derivation} · [Your progress](index.md)*\n"
                 "{ .lossref-course__meta }\n")
    practice = ("\n\n## Practice\n\n"
                "Problems over this session's skills, one at a time: the weakest skill comes first, skills take "
                "turns, and every problem is new to you. Skills you have already made proficient come back "
                "for review first when they are due. Answers are checked in your browser; it is "
                "self-assessment, and your progress stays in this browser.\n\n"
                + _course_element("lossref-session", f' session="{number}"', "The practice") + "\n")
    gate = ""
    if number + 1 < len(sessions):
        gate = (f"\n## Gate test\n\n"
                f"Already know this session's material? The gate test opens session {number + 1} "
                f"without the practice.\n\n"
                + _course_element("lossref-gate", f' opens="{number + 1}"', "The gate test") + "\n")
    return title + "\n" + meta_line + rest + practice + gate


def _course_element(tag: str, attributes: str, what: str) -> str:
    # In a <div>, which Markdown leaves alone: inside a <p>, the browser would close the paragraph
    # (and the element with it) at the element's first block.
    return (f'<div class="lossref-course-host"><{tag}{attributes}><noscript>{what} needs JavaScript.</noscript>'
            f"</{tag}></div>")


class NodeRenderer:
    """A long-lived ``node`` process running one of the hooks' scripts: a JSON line in, a JSON
    line out."""

    def __init__(self, script: str) -> None:
        self.script = script
        self._proc: subprocess.Popen | None = None

    def ask(self, request) -> dict:
        proc = self._process()
        proc.stdin.write(json.dumps(request) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise PluginError(f"{self.script} stopped (exit code {proc.poll()})")
        return json.loads(line)

    def _process(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            node = shutil.which("node")
            if node is None:
                raise PluginError("Node.js is needed to build the site (node not found on PATH)")
            self._proc = subprocess.Popen(
                [node, str(HOOKS_DIR / self.script)], cwd=ROOT, text=True, encoding="utf-8",
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            )
        return self._proc

    def close(self) -> None:
        if self._proc is not None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)
            self._proc.stdout.close()
            self._proc = None


_renderer = NodeRenderer("practice_render.mjs")

# An element as Python-Markdown leaves it: possibly wrapped in a paragraph.
_ELEMENT = re.compile(
    r'(?:<p>)?<lossref-exercise (?P<attr>exercise|skill)="(?P<value>[^"]+)"\s*></lossref-exercise>(?:</p>)?')


def named_exercise(attr: str, value: str, where: str) -> str:
    """The id of the exercise an element names: ``exercise="id"``, or the first exercise of
    ``skill="name"``; a name that is not in the catalogue fails the build."""
    practice = _practice()
    if attr == "skill":
        candidates = practice.exercises(value)
        if not candidates:
            raise PluginError(f"{where}: no exercise trains the skill {value!r}; "
                              f"skills: {', '.join(practice.skills())}")
        return candidates[0].id
    try:
        return practice.get(value).id
    except KeyError as error:
        raise PluginError(f"{where}: <lossref-exercise {attr}={value!r}>: {error.args[0]}") from None


def check_elements(output: str, where: str) -> None:
    """Every ``<lossref-exercise>`` of a page names an exercise, or a skill some exercise trains.
    Checked as each page is converted, so a build with a wrong name stops at once; the problems
    themselves are rendered later (``prerender``)."""
    for match in _ELEMENT.finditer(output):
        named_exercise(match["attr"], match["value"], where)


def first_problem(attr: str, value: str, where: str) -> dict:
    """The rendered reply for an element's first problem (seed 0), as the worker would send it."""
    from lossref.practice import bridge

    exercise_id = named_exercise(attr, value, where)
    reply = bridge.handle({"op": "problem", "exercise": exercise_id, "seed": 0})
    if "error" in reply:
        raise PluginError(f"{where}: <lossref-exercise {attr}={value!r}>: {reply['error']}")
    rendered = _renderer.ask(reply)
    if rendered.get("errors"):
        raise PluginError(f"{where}: exercise {exercise_id!r} has text KaTeX cannot typeset: "
                          + "; ".join(rendered["errors"]))
    del rendered["errors"]
    return rendered


def prerender(output: str, where: str) -> tuple[str, bool]:
    """Fill every ``<lossref-exercise>`` in a page with its first problem; also returns whether
    the page has any."""
    found = False

    def fill(match: re.Match) -> str:
        nonlocal found
        found = True
        reply = first_problem(match["attr"], match["value"], where)
        statement_html = reply["problem"]["statementHtml"]
        # The statement is in the page once, as HTML; the element keeps it and reads the rest of
        # the problem from JSON inside <script> ("<" escaped, so no text can close it early).
        data = {**reply, "problem": {k: v for k, v in reply["problem"].items() if k != "statementHtml"}}
        data = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
        # The box the element's script fills in (it adds the answer field, buttons and feedback).
        return (f'<lossref-exercise {match["attr"]}="{html.escape(match["value"])}"><section class="lossref-ex">'
                f'<p class="lossref-ex__title">{reply["problem"]["label"]} · {html.escape(reply["problem"]["title"])}</p>'
                f'<div class="lossref-ex__statement" data-exercise="{reply["problem"]["exercise"]}" data-seed="0">'
                f'{statement_html}</div>'
                '<p class="lossref-ex__noscript">Checking an answer needs JavaScript.</p>'
                f'<script type="application/json" class="lossref-ex__problem">{data}</script>'
                "</section></lossref-exercise>")

    return _ELEMENT.sub(fill, output), found


def page_assets(base: str, script: str = "exercise.js") -> tuple[str, str]:
    """The stylesheet link and the module script (both for the head) of a page with exercises,
    or with the course (``course.js``, which brings the exercises); ``base`` is the page's
    relative path to the site root. The script is ``async``, so that a returning visitor's Python
    can start while the page is still loading."""
    return (f'<link rel="stylesheet" href="{base}{ASSETS_DIR}/exercise.css">',
            f'<script type="module" async src="{base}{ASSETS_DIR}/{script}"></script>')


# ----------------------------------------------------------------------------------- assets
def bundle(site_dir: Path, index_url: str, snapshot_sha256: str = "") -> None:
    """esbuild: the element (``exercise.js``, with CodeMirror in a chunk of its own, loaded only
    for code exercises) and the worker (``worker.js``, with markdown-it and KaTeX)."""
    if not ESBUILD.is_file():
        raise PluginError(f"esbuild is not installed: {ESBUILD} is missing. Run `npm ci` in {ROOT}.")
    out = site_dir / ASSETS_DIR
    shutil.rmtree(out, ignore_errors=True)
    command = [
        str(ESBUILD), str(SOURCES / "exercise.js"), str(SOURCES / "course.js"), str(SOURCES / "worker.js"),
        "--bundle", "--splitting", "--format=esm", "--minify", "--target=es2022",
        "--charset=utf8", "--legal-comments=none", "--log-level=warning",
        f"--outdir={out}", "--entry-names=[name]", "--chunk-names=chunks/[name]-[hash]",
        # The course's script imports the exercise element from its own file, so that a page has
        # one copy of it (one worker) and its URLs resolve next to it.
        "--external:./exercise.js",
        f"--define:PYODIDE_INDEX_URL={json.dumps(index_url)}",
        f"--define:PYODIDE_SNAPSHOT_SHA256={json.dumps(snapshot_sha256)}",
        f"--define:ENGINE_MODULE={json.dumps(WORKER_IMPORTS)}",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise PluginError(f"esbuild failed:\n{result.stderr}")
    shutil.copyfile(SOURCES / "exercise.css", out / "exercise.css")


def build_wheel(out_dir: Path) -> Path:
    """The lossref wheel of this checkout, built with flit_core, byte-identical between builds."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    code = "import sys, flit_core.buildapi as b; print(b.build_wheel(sys.argv[1]))"
    result = subprocess.run([sys.executable, "-c", code, str(out_dir)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise PluginError(f"building the lossref wheel failed:\n{result.stderr}")
    return out_dir / result.stdout.strip().splitlines()[-1]


WORKER_IMPORTS = "lossref.practice.bridge"  # what the browser's worker imports (ENGINE_MODULE in worker.js)


def with_bytecode(wheel: Path) -> Path:
    """``wheel`` with the bytecode of the modules the worker imports, compiled by Pyodide's Python
    (``pyodide_compile.mjs``), cached in ``.cache/practice/`` by the wheel, the Pyodide build and
    the script. Importing lossref.practice in the browser then compiles no source: 0.4 s less per
    start of Python."""
    digest = hashlib.sha256(wheel.read_bytes() + (PYODIDE_DIST / "pyodide.asm.wasm").read_bytes()
                            + (HOOKS_DIR / "pyodide_compile.mjs").read_bytes()).hexdigest()[:16]
    cached = CACHE / f"compiled-{digest}" / wheel.name
    if not cached.is_file():
        node = shutil.which("node")
        if node is None:
            raise PluginError("Node.js is needed to build the site (node not found on PATH)")
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        result = subprocess.run([node, str(HOOKS_DIR / "pyodide_compile.mjs"), str(PYODIDE_DIST), str(wheel), str(partial),
                                 WORKER_IMPORTS],
                                cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise PluginError(f"compiling the lossref wheel's bytecode for Pyodide failed:\n{result.stderr}")
        partial.replace(cached)
    return cached


BROWSER_REQUIREMENTS = ROOT / "requirements" / "browser.txt"


def browser_wheels() -> list[Path]:
    """The pure-Python wheels lossref.practice needs in the browser besides itself (fsrs for the
    course's reviews), pinned with their sha256 in requirements/browser.txt and fetched once into
    ``.cache/practice/wheels/``."""
    pins = [line.split()[0] for line in BROWSER_REQUIREMENTS.read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    folder = CACHE / "wheels"

    def find(pin: str) -> Path | None:
        name, version = pin.split("==")
        return next(folder.glob(f"{name}-{version}-py3-none-any.whl"), None)

    if not all(find(pin) for pin in pins):
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--require-hashes",
             "--only-binary=:all:", "--python-version", "3.14", "--platform", "any", "--implementation", "py",
             "--abi", "none", "--no-deps", "-d", str(folder), "-r", str(BROWSER_REQUIREMENTS)],
            capture_output=True, text=True)
        if result.returncode != 0:
            raise PluginError(f"fetching the browser's wheels ({', '.join(pins)}) failed:\n{result.stderr}")
    return [find(pin) for pin in pins]


def lock_file(wheel: Path, extra_wheels: list[Path] = ()) -> dict:
    """Pyodide's lock file with the lossref wheel and ``extra_wheels`` added (``pyodide lockfile
    add-wheels``), cached in ``.cache/practice/`` by the hashes of all inputs. Installing lossref
    installs the extra wheels too."""
    core_lock = PYODIDE_DIST / "pyodide-lock.json"
    inputs = [core_lock, wheel, *extra_wheels]
    key = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()[:16]
    cached = CACHE / f"pyodide-lock-{key}.json"
    if not cached.is_file():
        cli = Path(sys.executable).with_name("pyodide")
        if not cli.is_file():
            raise PluginError(f"pyodide-build is not installed ({cli} is missing): run `make venv`")
        with tempfile.TemporaryDirectory() as tmp:
            local = []
            for source in (wheel, *extra_wheels):
                local.append(Path(tmp) / source.name)
                shutil.copyfile(source, local[-1])
            result = subprocess.run(
                [str(cli), "lockfile", "add-wheels", "--input", str(core_lock),
                 "--output", str(Path(tmp) / "lock.json"), "--base-path", tmp, *map(str, local)],
                capture_output=True, text=True)
            if result.returncode != 0:
                raise PluginError(f"pyodide lockfile add-wheels failed:\n{result.stdout}{result.stderr}")
            lock = json.loads((Path(tmp) / "lock.json").read_text())
        # The wheel's metadata requires numpy for the losses; lossref.practice, the only part the
        # browser imports, needs none (and the site has no numpy for Pyodide to load). It needs
        # fsrs (the `practice` extra) for the course's reviews.
        lock["packages"]["lossref"]["depends"] = [_lock_name(p) for p in extra_wheels if p.name.startswith("fsrs-")]
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(lock, sort_keys=True))
    return json.loads(cached.read_text())


def _lock_name(wheel: Path) -> str:
    """A wheel's package name as the lock file spells it (lower case, dashes)."""
    return re.sub(r"[-_.]+", "-", wheel.name.split("-")[0]).lower()


def snapshot() -> Path:
    """A gzipped memory snapshot of Pyodide just after Python's start-up (``pyodide_snapshot.mjs``),
    cached in ``.cache/practice/`` by the Pyodide build and the script that makes it.

    Starting Python is most of the time before a first check (seconds of WebAssembly on a slow
    machine); resuming from the snapshot is a small fraction of it. The snapshot is not
    byte-identical between runs (Python's hash secret is drawn at start-up), so it is made once
    per cache and reused.
    """
    digest = hashlib.sha256((PYODIDE_DIST / "pyodide.asm.wasm").read_bytes()
                            + (PYODIDE_DIST / "pyodide.asm.mjs").read_bytes()
                            + (HOOKS_DIR / "pyodide_snapshot.mjs").read_bytes()).hexdigest()[:16]
    cached = CACHE / f"python-snapshot-{digest}.bin.gz"
    if not cached.is_file():
        node = shutil.which("node")
        if node is None:
            raise PluginError("Node.js is needed to build the site (node not found on PATH)")
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "snapshot.bin"
            result = subprocess.run([node, str(HOOKS_DIR / "pyodide_snapshot.mjs"), str(PYODIDE_DIST), str(raw)],
                                    cwd=ROOT, capture_output=True, text=True)
            if result.returncode != 0:
                raise PluginError(f"making Pyodide's memory snapshot failed:\n{result.stderr}")
            partial = cached.with_suffix(".partial")
            with raw.open("rb") as src, gzip.GzipFile(partial, "wb", compresslevel=6, mtime=0) as dst:
                shutil.copyfileobj(src, dst)
            partial.replace(cached)
    return cached


def install_pyodide(site_dir: Path, index_url: str) -> str:
    """Pyodide's core (unless it comes from the CDN), its memory snapshot, the lossref wheel and
    the lock file; returns the snapshot's sha256, which the worker checks."""
    if not (PYODIDE_DIST / "pyodide.asm.wasm").is_file():
        raise PluginError(f"Pyodide is not installed: {PYODIDE_DIST} is missing. Run `npm ci` in {ROOT}.")
    out = site_dir / PYODIDE_DIR
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if not index_url:
        for name in PYODIDE_CORE:
            shutil.copyfile(PYODIDE_DIST / name, out / name)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = with_bytecode(build_wheel(Path(tmp)))
        extra = browser_wheels()
        for source in (wheel, *extra):
            shutil.copyfile(source, out / source.name)
        lock = lock_file(wheel, extra)
    (out / "pyodide-lock.json").write_text(json.dumps(lock, sort_keys=True))
    shutil.copyfile(snapshot(), out / SNAPSHOT)
    return hashlib.sha256((out / SNAPSHOT).read_bytes()).hexdigest()


def close() -> None:
    _renderer.close()
