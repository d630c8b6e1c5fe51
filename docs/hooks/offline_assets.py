"""Offline use of the site (called from ``lossref_site.py``): the service worker and its list of files.

* ``docs/javascripts/offline/offline.js`` (the page's side, with workbox-window) is bundled into
  ``assets/offline/offline.js`` and loaded by every page; it registers the worker on the course's
  pages and says on every page it controls when a newer build is ready.
* ``docs/javascripts/offline/sw.js`` (with workbox-precaching) is bundled into ``sw.js`` at the site
  root, its scope the whole site, with the precache manifest written in: every file of the build
  (``manifest_entries``) with the first 16 hex digits of its sha256 as its revision. A build that
  changes any file is a new worker, which downloads exactly the files whose revision changed.
* ``mkdocs serve`` gets neither: a worker serving cached pages would hide the edits it reloads.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

HOOKS_DIR = Path(__file__).resolve().parent
ROOT = HOOKS_DIR.parent.parent
SOURCES = ROOT / "docs" / "javascripts" / "offline"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"

SERVICE_WORKER = "sw.js"
PAGE_SCRIPT = "assets/offline/offline.js"
PLACEHOLDER = "self.__WB_MANIFEST"

# What the worker does not keep: itself, downloads rather than pages (the notebooks' .ipynb, the
# sitemap), and lunr's files for languages other than English, which the search never loads.
EXCLUDED_SUFFIXES = (".ipynb", ".gz.partial")
EXCLUDED_NAMES = {SERVICE_WORKER, "sitemap.xml", "sitemap.xml.gz"}
EXCLUDED_DIRS = ("assets/javascripts/lunr/",)

_serving = False


def on_startup(command: str) -> None:
    """Remember whether this is ``mkdocs serve`` (no worker then)."""
    global _serving
    _serving = command == "serve"


def enabled() -> bool:
    return not _serving


def page_head(output: str, page) -> str:
    """Every page: the web app manifest (the site can be installed) and, when the worker is built,
    the small module that registers it and reports updates."""
    base = "../" * page.url.count("/")
    tags = f'<link rel="manifest" href="{base}manifest.webmanifest">\n'
    if enabled():
        tags += f'<script type="module" async src="{base}{PAGE_SCRIPT}"></script>\n'
    return output.replace("</head>", tags + "</head>", 1)


def manifest_entries(site_dir: Path) -> list[dict]:
    """``[{url, revision}]`` for every file the worker keeps, URLs relative to the site root, sorted."""
    entries = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        url = path.relative_to(site_dir).as_posix()
        if (path.name in EXCLUDED_NAMES or url.endswith(EXCLUDED_SUFFIXES)
                or any(url.startswith(d) for d in EXCLUDED_DIRS)):
            continue
        entries.append({"url": url, "revision": hashlib.sha256(path.read_bytes()).hexdigest()[:16]})
    return entries


def _esbuild(entry: Path, outfile: Path) -> str:
    if not ESBUILD.is_file():
        raise PluginError(f"esbuild is not installed: {ESBUILD} is missing. Run `npm ci` in {ROOT}.")
    command = [str(ESBUILD), str(entry), "--bundle", "--format=esm", "--minify", "--target=es2022",
               "--charset=utf8", "--legal-comments=none", "--log-level=warning",
               # Workbox's development logging is dropped from the production bundle.
               '--define:process.env.NODE_ENV="production"', f"--outfile={outfile}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise PluginError(f"esbuild failed on {entry.name}:\n{result.stderr}")
    return outfile.read_text(encoding="utf-8")


def build(site_dir: Path) -> None:
    """The page script, then the worker with the manifest of every file (the page script included)."""
    if not enabled():
        (site_dir / SERVICE_WORKER).unlink(missing_ok=True)
        return
    (site_dir / PAGE_SCRIPT).parent.mkdir(parents=True, exist_ok=True)
    _esbuild(SOURCES / "offline.js", site_dir / PAGE_SCRIPT)
    write_service_worker(site_dir)


def write_service_worker(site_dir: Path) -> list[dict]:
    """``sw.js`` for the files now in ``site_dir``; returns its manifest."""
    worker = site_dir / SERVICE_WORKER
    code = _esbuild(SOURCES / "sw.js", worker)
    if code.count(PLACEHOLDER) != 1:
        raise PluginError(f"the bundled service worker must name {PLACEHOLDER} once; "
                          f"found it {code.count(PLACEHOLDER)} times")
    entries = manifest_entries(site_dir)
    worker.write_text(code.replace(PLACEHOLDER, json.dumps(entries, separators=(",", ":"))), encoding="utf-8")
    return entries
