"""The built site: every loss documented, nothing loaded from other hosts, reproducible, and a
failing example fails the build."""

from __future__ import annotations

import filecmp
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import lossref as lr
import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


# ----------------------------------------------------------------------------------- helpers
class _Loads(HTMLParser):
    """Collects every URL an HTML page makes the browser fetch by itself (not links a reader follows)."""

    # (tag, attribute) pairs that trigger a request when the page loads.
    FETCHING = {
        ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
        ("iframe", "src"), ("embed", "src"), ("object", "data"), ("video", "src"), ("video", "poster"),
        ("audio", "src"), ("track", "src"), ("image", "href"), ("image", "xlink:href"), ("use", "href"),
        ("use", "xlink:href"), ("input", "src"), ("feimage", "href"),
    }
    # <link rel=...> values that fetch; rel="canonical", "alternate" etc. are references only.
    FETCHING_REL = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "shortcut icon", "manifest",
                    "apple-touch-icon", "preconnect", "dns-prefetch"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for (t, attr) in self.FETCHING:
            if t == tag and attrs.get(attr):
                value = attrs[attr]
                self.urls += [part.split()[0] for part in value.split(",")] if attr == "srcset" else [value]
        if tag == "link" and attrs.get("href"):
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & self.FETCHING_REL or (attrs.get("rel") or "").lower() in self.FETCHING_REL:
                self.urls.append(attrs["href"])
        if attrs.get("style"):
            self.urls += _css_urls(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += _css_urls(data)


def _css_urls(css: str) -> list[str]:
    urls = re.findall(r"""url\(\s*['"]?([^'")\s]+)""", css)
    urls += re.findall(r"""@import\s+['"]([^'"]+)""", css)
    return urls


def _third_party(url: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob", "about", "javascript", "mailto"):
        return False
    return bool(parts.netloc) and parts.hostname not in LOCAL_HOSTS


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ----------------------------------------------------------------------------------- content
def test_every_loss_has_its_page_and_section(built_site, lossdocs):
    for loss in lr.losses():
        page, _, anchor = lossdocs.PAGES[loss.name].partition("#")
        html_file = built_site / "losses" / page.removesuffix(".md") / "index.html"
        assert html_file.is_file(), f"{loss.name}: no page {html_file}"
        html = html_file.read_text()
        if anchor:
            assert f'id="{anchor}"' in html, f"{loss.name}: {page} has no section #{anchor}"


LOSS_PAGES = sorted({loss.info.page.partition("#")[0].removesuffix(".md") for loss in lr.losses()})


@pytest.mark.parametrize("page", LOSS_PAGES)
def test_loss_page_has_every_part(built_site, page):
    html = (built_site / "losses" / page / "index.html").read_text()
    assert 'class="katex' in html, "no typeset formula"
    assert '<svg' in html and 'class="lossref-figure"' in html, "no inline plot"
    assert 'role="img"' in html and "<title id=" in html, "the plot has no accessible name"
    for framework in lr.FRAMEWORKS:
        assert f">{framework}</label>" in html, f"no {framework} tab"
    assert 'class="admonition warning"' in html, "no pitfall admonition"
    assert "Traceback" not in html
    # Executed examples show their source and their printed result.
    assert 'class="result"' in html, "no executed example"
    for section in ("properties", "framework-equivalents", "see-also"):
        assert f'id="{section}' in html, f"no section #{section}"


def test_math_is_typeset_at_build_time(built_site):
    for page in _html_pages(built_site):
        html = page.read_text()
        prose = re.sub(r"<(code|pre|script)[^>]*>.*?</\1>", "", html, flags=re.S)
        raw = re.search(r".{0,60}(\\\(|\\\[|\$\$).{0,60}", prose)
        assert raw is None, f"{page.relative_to(built_site)}: TeX left as text (math in a heading?): {raw[0]!r}"
        assert "katex.min.js" not in html and "mathjax" not in html.lower(), f"{page}: math JavaScript on the page"


def test_notebooks_are_pages_with_downloads(built_site):
    for name in ("regression", "probabilistic", "margin", "custom"):
        folder = built_site / "notebooks" / name
        assert (folder / "index.html").is_file()
        assert (folder / f"{name}.ipynb").is_file(), f"{name}.ipynb is not downloadable"
        html = (folder / "index.html").read_text()
        assert "jupyter-wrapper" in html and "Traceback" not in html
        assert f'href="{name}.ipynb"' in html, "no download link"


def test_api_reference_documents_the_package(built_site):
    html = (built_site / "api" / "index.html").read_text()
    for loss in lr.losses():
        assert f">lossref.{loss.name}<" in html, f"lossref.{loss.name} is missing from the API reference"
    for obj in ("_base.Loss.value_and_grad", "_combine.combine", "_gradcheck.check_grad", "_info.LossInfo"):
        assert f'id="lossref.{obj}"' in html, f"{obj} is missing from the API reference"
    assert html.count("<span class=\"gp\">&gt;&gt;&gt; </span>") >= 20, "docstring examples are not rendered as code"


# ----------------------------------------------------------------------------------- hosting
def test_no_page_loads_anything_from_another_host(built_site):
    offending = []
    for page in _html_pages(built_site):
        parser = _Loads()
        parser.feed(page.read_text())
        offending += [(page.relative_to(built_site), url) for url in parser.urls if _third_party(url)]
    for css in built_site.rglob("*.css"):
        offending += [(css.relative_to(built_site), url) for url in _css_urls(css.read_text()) if _third_party(url)]
    assert not offending, f"third-party loads: {offending[:20]}"


def test_the_crawler_sees_third_party_loads():
    """The detector itself: each kind of load it must catch, and links it must leave alone."""
    page = textwrap.dedent("""
        <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
        <script src="//cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>
        <img srcset="/a.png 1x, https://img.example.org/b.png 2x">
        <div style="background: url('https://example.org/bg.png')"></div>
        <style>@import "https://example.org/x.css";</style>
        <a href="https://pytorch.org/docs">a link is fine</a>
        <link rel="canonical" href="https://example.org/page/">
        <img src="../assets/local.png">
    """)
    parser = _Loads()
    parser.feed(page)
    assert sorted(url for url in parser.urls if _third_party(url)) == sorted([
        "https://fonts.googleapis.com/css?family=Roboto", "//cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js",
        "https://img.example.org/b.png", "https://example.org/bg.png", "https://example.org/x.css",
    ])


def test_katex_assets_are_served_by_the_site(built_site):
    css = built_site / "assets" / "katex" / "katex.min.css"
    assert css.is_file()
    for font in set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css.read_text())):
        assert (css.parent / font).is_file(), f"{font} is referenced by katex.min.css but not served"


# ----------------------------------------------------------------------------------- build rules
def test_two_builds_give_identical_html(built_site, mkdocs_build, tmp_path):
    second = tmp_path / "second"
    result = mkdocs_build(ROOT, second)
    assert result.returncode == 0, result.stdout[-4000:]
    first_files = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    second_files = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert first_files == second_files
    differing = [str(rel) for rel in first_files
                 if rel.suffix in (".html", ".css", ".js", ".json", ".svg", ".ipynb")
                 and not filecmp.cmp(built_site / rel, second / rel, shallow=False)]
    assert not differing, f"files differ between two builds: {differing}"


def test_a_failing_example_fails_the_build(project_copy, mkdocs_build, tmp_path):
    """The build stops at the page whose example failed (the home page, built first), naming it."""
    snippet = project_copy / "snippets" / "home" / "quickstart.py"
    snippet.write_text(snippet.read_text() + "\nprint('ratio:', 1 / (len(y) - len(y)))  # deliberately broken\n")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0, "a snippet raising ZeroDivisionError did not fail the build"
    assert "ZeroDivisionError" in result.stdout
    assert "index.md: an executed example failed, so the build stops here" in result.stdout
    assert "Aborted with" in result.stdout


def test_a_failing_notebook_fails_the_build(project_copy, mkdocs_build, tmp_path):
    import json

    path = project_copy / "docs" / "notebooks" / "margin.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "broken", "metadata": {},
                        "outputs": [], "source": "raise RuntimeError('deliberately broken notebook')"})
    path.write_text(json.dumps(nb))
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0, "a notebook cell raising RuntimeError did not fail the build"
    assert "deliberately broken notebook" in result.stdout


def test_another_site_embeds_a_snippet_with_one_line(mkdocs_build, tmp_path):
    """What the README tells other MkDocs sites to do: one --8<-- line inside an executed block."""
    site = tmp_path / "other"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Another site
        strict: true
        plugins:
          - markdown-exec
        markdown_extensions:
          - pymdownx.superfences
          - pymdownx.snippets:
              base_path: ["{ROOT / 'snippets'}"]
              check_paths: true
        """))
    (site / "docs" / "index.md").write_text(textwrap.dedent("""\
        # Our regression notes

        ```python exec="on" source="above" result="text"
        --8<-- "losses/mse.py"
        ```
        """))
    result = mkdocs_build(site, site / "site")
    assert result.returncode == 0, result.stdout[-4000:]
    text = re.sub(r"<[^>]+>", "", (site / "site" / "index.html").read_text())
    assert "y_pred = np.array([1.0, 2.0, 1.5, 4.0])" in text, "the snippet's source is not shown"
    assert "mean: 3.0" in text, "the embedded snippet was not executed"


# ----------------------------------------------------------------------------------- serve hook
def test_serve_hook_reloads_lossref():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("lossref_site_hooks", ROOT / "docs" / "hooks" / "lossref_site.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    import lossref._losses.mse  # noqa: F401  (a submodule an executed block would have loaded)

    saved = {name: mod for name, mod in sys.modules.items() if name == "lossref" or name.startswith("lossref.")}
    try:
        hooks.on_pre_build(config=None)
        assert not [name for name in sys.modules if name == "lossref" or name.startswith("lossref.")]
    finally:
        sys.modules.update(saved)


# ----------------------------------------------------------------------------------- Content-Security-Policy
class _Scripts(HTMLParser):
    """What a policy without 'unsafe-inline' refuses: scripts with no src (but for JSON data),
    event handler attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.inline = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and not (attrs.get("type") or "").endswith("json"):
            self.inline.append(f"<script {attrs}>")
        self.inline += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]
        self.inline += [f"<{tag} {name}={value}>" for name, value in attrs.items()
                        if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:")]


def test_no_page_has_an_inline_script(built_site):
    found = []
    for page in _html_pages(built_site):
        parser = _Scripts()
        parser.feed(page.read_text())
        found += [(page.relative_to(built_site).as_posix(), what) for what in parser.inline]
    assert not found, found[:10]


@pytest.mark.parametrize("markup", [
    "<script>document.title = 'x'</script>",
    '<script type="text/javascript">x()</script>',
    '<button onclick="x()">Go</button>',
    '<a href="javascript:x()">Go</a>',
])
def test_the_build_refuses_an_inline_script(site_hooks, markup):
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="inline script"):
        site_hooks._no_inline_script(f"<html><body><p>Text</p>{markup}</body></html>", "page.md")


def test_the_build_lets_files_and_data_through(site_hooks):
    site_hooks._no_inline_script("""<script src="a.js"></script><script type="module" async src="b.js"></script>
        <script type="application/json" id="__config">{"a": 1}</script>
        <script type="application/vnd.jupyter.widget-state+json">{}</script>
        <p>Write onclick="..." in your HTML, never javascript: URLs.</p>""", "page.md")
