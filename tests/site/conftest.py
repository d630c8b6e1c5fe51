"""Building the site for the tests: one strict build per session, shared by every site test."""

from __future__ import annotations

import functools
import http.server
import importlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright's own browser download is never used
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


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
    for name in ("mkdocs.yml", "pyproject.toml", "README.md"):  # the build makes a lossref wheel too
        shutil.copy2(ROOT / name, copy / name)
    (copy / "tests" / "data").mkdir(parents=True)
    shutil.copy2(ROOT / "tests" / "data" / "reference.json", copy / "tests" / "data" / "reference.json")
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    (copy / "lossref").symlink_to(ROOT / "lossref")  # mkdocs.yml watches it
    # The build's cache (browser wheels, Pyodide's lock file and memory snapshot, each named by the
    # hash of its inputs) is the checkout's: a broken copy does not make them all again.
    (ROOT / ".cache").mkdir(exist_ok=True)
    (copy / ".cache").symlink_to(ROOT / ".cache")
    return copy


@pytest.fixture(scope="session")
def mkdocs_build():
    """``mkdocs_build(project, site_dir)`` runs a strict build and returns the finished process."""
    return _mkdocs_build


def _hooks_module(name: str):
    """A module of ``docs/hooks/``, imported the way the build imports it."""
    sys.path.insert(0, str(ROOT / "docs" / "hooks"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "docs" / "hooks"))


@pytest.fixture(scope="session")
def lossdocs():
    """The page helpers the site's executed blocks import."""
    return _hooks_module("lossdocs")


@pytest.fixture(scope="session")
def site_hooks():
    """The build hook (docs/hooks/lossref_site.py)."""
    return _hooks_module("lossref_site")


@pytest.fixture(scope="session")
def practice_assets():
    """The build hook's practice module (docs/hooks/practice_assets.py)."""
    module = _hooks_module("practice_assets")
    yield module
    module.close()


@pytest.fixture(scope="session")
def offline_assets():
    """The build hook's service-worker module (docs/hooks/offline_assets.py)."""
    return _hooks_module("offline_assets")


# The policy the README asks hosts to send: scripts and workers only from the site's own files
# (no inline script, no eval; WebAssembly may be compiled), inline styles allowed.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; worker-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'self'")
CSP_REPORTS = "/csp-report"


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: JavaScript modules and WebAssembly with their MIME types, and (when asked)
    the CORS header that lets another origin's page load the site's scripts and Pyodide, or a
    Content-Security-Policy on every response whose violation reports it collects."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".woff2": "font/woff2"}
    cors = False
    csp = None  # the policy, sent with report-uri CSP_REPORTS
    reports = None  # the reports POSTed to CSP_REPORTS, as the browser sent them

    def end_headers(self):
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        if self.csp:
            self.send_header("Content-Security-Policy", f"{self.csp}; report-uri {CSP_REPORTS}")
        super().end_headers()

    def do_POST(self):
        """A violation report: the browser posts ``{"csp-report": {...}}`` (also from workers, whose
        violations no listener in the page sees)."""
        if self.reports is None or urlsplit(self.path).path != CSP_REPORTS:
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reports.append(json.loads(body).get("csp-report", {}))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(directory, cors=False, csp=None, reports=None)`` serves a directory on 127.0.0.1 and
    returns its base URL; with ``csp``, every response carries that policy and the violation
    reports are appended to the list ``reports``."""
    servers = []

    def start(directory: Path, cors: bool = False, csp: str | None = None, reports: list | None = None) -> str:
        handler = type("Handler", (_StaticHandler,), {"cors": cors, "csp": csp, "reports": reports})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright; a missing browser is a failure, not a skip."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base_url(built_site, serve):
    """The built site, served on 127.0.0.1."""
    return serve(built_site)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "first_visit: the page's profile has nothing kept from an earlier visit (no Python snapshot)")


SNAPSHOT_SEED = """async url => {
  const cache = await caches.open("lossref-tests-kept-snapshot");
  await cache.add(url);
}"""


def _keep_snapshot(page, base: str) -> None:
    """Put Python's memory snapshot in the profile's Cache Storage for the site at ``base``, as a
    browser holds it after a first visit (the worker looks for it in every cache)."""
    page.goto(base + "404.html")  # Cache Storage belongs to the site's origin
    page.evaluate(SNAPSHOT_SEED, base + "pyodide/python-snapshot.bin.gz")


@pytest.fixture(scope="session")
def keep_snapshot():
    """``keep_snapshot(page, base)``: the profile of ``page`` keeps Python's snapshot for ``base``."""
    return _keep_snapshot


@pytest.fixture(scope="session")
def csp() -> str:
    """The site's Content-Security-Policy (``CSP``)."""
    return CSP


@pytest.fixture(scope="module")
def strict_site(built_site, serve) -> tuple[str, list]:
    """The built site served with the policy ``CSP`` on every response: its base URL, and the list
    the browser's violation reports arrive in."""
    reports = []
    return serve(built_site, csp=CSP, reports=reports), reports


@pytest.fixture
def page(browser, request):
    """A page in a fresh profile; every request (from the page or its workers), uncaught error
    and console error is recorded on it.

    On the site at ``base_url``, the profile holds Python's memory snapshot in Cache Storage, as a
    browser does after its first visit (the worker looks for it in every cache), so that each
    test's Python starts in about a second rather than five. Tests of the first visit itself are
    marked ``first_visit`` and get a profile with nothing in it.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if "base_url" in request.fixturenames and request.node.get_closest_marker("first_visit") is None:
        _keep_snapshot(page, request.getfixturevalue("base_url"))
    page.requests = []
    page.errors = []
    page.hosts = lambda: hosts(page.requests)
    page.read_through = lambda: read_through(page)
    context.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    yield page
    context.close()


def hosts(urls) -> set[str]:
    """The host names of the http(s) URLs."""
    return {urlsplit(url).hostname for url in urls if urlsplit(url).scheme in ("http", "https")}


def read_through(page) -> None:
    """Scroll through the page as a reader does, then back to the top. Each section is laid out,
    its wide boxes made focusable and its exercises set up as it nears the screen: an audit that
    looks into every section at once (axe) sees the page as a reader who has been there does."""
    page.evaluate("""async () => {
      const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y);
        await frame();
      }
      scrollTo(0, 0);
      await frame();
    }""")
