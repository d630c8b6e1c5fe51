"""MkDocs hooks of the lossref site.

* Every build imports a fresh ``lossref`` (``mkdocs serve`` runs the executed blocks in its own
  process, where an edited package would otherwise stay cached in ``sys.modules``).
* Math is typeset at build time with KaTeX from the npm package (``node_modules/katex``): the
  pages ship KaTeX's stylesheet and fonts from the site itself and no math JavaScript.
* mkdocs-jupyter's MathJax loader, which points at a CDN, is removed from every page; notebook
  Markdown goes through the same arithmatex + KaTeX pipeline as the other pages.
* Material's JavaScript bundle loads on the reader's first interaction, and the search index
  when a search starts (``javascripts/on-demand.js``): pages are static until then. Code blocks
  get their copy buttons here (Material's ``content.code.copy`` is taken over from its bundle), so
  the first click copies.
* No page has an inline script: the site is served with a strict Content-Security-Policy (see the
  README). Material's inline snippets are files through the theme override
  (``docs/overrides/partials/javascripts/``), mkdocs-jupyter's copy-button script becomes
  ``assets/javascripts/notebook-copy.js``, and the build fails on any inline script left.
* Below the first heading, each top-level ``h2`` or ``h3`` section of a page becomes a ``<section
  class="lossref-section">``, which the stylesheet lays out only when it nears the viewport
  (``content-visibility: auto``): a long page's formulas, code and plots cost nothing at load.
* Practice exercises (``practice_assets.py``): loss and guide pages end with theirs, each session
  of the course has a practice page with its exercises (generated, under ``practice/``, and added
  to the nav after the practice index), every ``<lossref-exercise>`` gets its first problem
  rendered at build time, and the built site gets the widget's bundle, Pyodide's core, the
  lossref wheel and a Pyodide lock file that lists it.
* Offline use (``offline_assets.py``): every page links the web app manifest and loads the module
  that registers the service worker on the course's pages; the worker, written last, lists every
  file of the build.
"""

from __future__ import annotations

import html
import json
import logging
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.lossref")

HOOKS_DIR = Path(__file__).resolve().parent
ROOT = HOOKS_DIR.parent.parent
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
KATEX_SITE_DIR = "assets/katex"

if str(HOOKS_DIR) not in sys.path:  # for practice_assets, and the pages' lossdocs helpers
    sys.path.insert(0, str(HOOKS_DIR))
import offline_assets  # noqa: E402
import practice_assets  # noqa: E402

def on_startup(command, dirty) -> None:
    offline_assets.on_startup(command)


# ----------------------------------------------------------------------------------- failing examples
class _FailedExamples(logging.Handler):
    """markdown-exec's warnings: each is an executed block that raised, or printed to stderr."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_MARKDOWN_EXEC_LOG = logging.getLogger("mkdocs.plugins.markdown_exec")
for _handler in [h for h in _MARKDOWN_EXEC_LOG.handlers if type(h).__name__ == "_FailedExamples"]:
    _MARKDOWN_EXEC_LOG.removeHandler(_handler)  # the one an earlier load of this module (mkdocs serve) added
_failed_examples = _FailedExamples()
_MARKDOWN_EXEC_LOG.addHandler(_failed_examples)


def on_page_content(output: str, page, config, files) -> str:
    """A strict build stops at the first page whose executed example failed (markdown-exec only
    warns, and a strict build would otherwise go on through every page before it gives up), and
    any build at the first page that names an exercise that does not exist."""
    if _failed_examples.messages:
        first = _failed_examples.messages[0]
        _failed_examples.messages.clear()
        if config["strict"]:
            raise PluginError(f"{page.file.src_uri}: an executed example failed, so the build stops here:\n{first}")
    practice_assets.check_elements(output, page.file.src_uri)
    return output


# ----------------------------------------------------------------------------------- fresh lossref
def on_pre_build(config) -> None:
    """Forget every imported ``lossref`` and ``lossdocs`` module, so edits show on the next build."""
    # The page helpers (tables, plots, framework tabs) that executed blocks import. MkDocs restores
    # sys.path after loading a hook, so this is done again at build time.
    if str(HOOKS_DIR) not in sys.path:
        sys.path.insert(0, str(HOOKS_DIR))
    for name in list(sys.modules):
        if name == "lossref" or name.startswith("lossref.") or name == "lossdocs":
            del sys.modules[name]


# ----------------------------------------------------------------------------------- KaTeX assets
def on_files(files: Files, config) -> Files:
    """Serve KaTeX's stylesheet and fonts from the site (``assets/katex/``); add the practice page
    of each session."""
    for session in practice_assets.practice_sessions():
        files.append(File.generated(config, practice_assets.practice_page(session),
                                    content=practice_assets.session_practice_page(session)))
    if not (KATEX_DIST / "katex.min.css").is_file():
        raise PluginError(f"KaTeX is not installed: {KATEX_DIST} is missing. Run `npm ci` in {ROOT}.")
    assets = [KATEX_DIST / "katex.min.css", *sorted((KATEX_DIST / "fonts").glob("*.woff2"))]
    for path in assets:
        uri = f"{KATEX_SITE_DIR}/{path.relative_to(KATEX_DIST).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


# ----------------------------------------------------------------------------------- math at build time
class _KaTeX:
    """``katex_render.mjs`` in a long-lived ``node`` process: one request per formula, cached."""

    def __init__(self) -> None:
        self._node = practice_assets.NodeRenderer("katex_render.mjs")
        self._cache: dict[tuple[str, bool], str] = {}

    def render(self, tex: str, display: bool) -> str:
        key = (tex, display)
        if key not in self._cache:
            reply = self._node.ask({"tex": tex, "display": display})
            if "error" in reply:
                raise PluginError(f"KaTeX cannot typeset {tex!r}: {reply['error']}")
            self._cache[key] = reply["html"]
        return self._cache[key]

    def close(self) -> None:
        self._node.close()


_katex = _KaTeX()

# pymdownx.arithmatex (generic mode) wraps inline math as \( \) in a span and display math as \[ \]
# in a div; the TeX inside is HTML-escaped.
_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_DISPLAY_MATH = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)
_JUPYTER_MATHJAX = re.compile(r"<script data-mkdocs-jupyter-mathjax=.*?</script>\n?", re.S)
_MATERIAL_BUNDLE = re.compile(r'<script src="(?P<base>[^"]*?)assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')


def _bundle_on_demand(output: str, page) -> str:
    """Swap Material's bundle for the loader that fetches it on the first interaction."""
    match = _MATERIAL_BUNDLE.search(output)
    if match is None:
        raise PluginError(f"{page.file.src_uri}: Material's bundle script was not found; has the theme changed?")
    loader = (f'<script src="{match["base"]}javascripts/on-demand.js" '
              f'data-bundle="{match[0].split(chr(34))[1]}"></script>')
    return output[:match.start()] + loader + output[match.end():]


# ----------------------------------------------------------------------------------- copy buttons
_CODE_BLOCK = "<pre><span></span><code>"  # Pygments' code blocks (pymdownx.highlight, mkdocstrings)
_CONFIG_JSON = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
COPY_FEATURE = "content.code.copy"


def _copy_buttons(output: str, page) -> str:
    """Material's copy button (the markup its bundle makes, titled in the page's language) on every
    code block; ``javascripts/on-demand.js`` copies on click, with or without the bundle."""
    config = _CONFIG_JSON.search(output)
    if config is None:
        raise PluginError(f"{page.file.src_uri}: Material's #__config was not found; has the theme changed?")
    title = html.escape(json.loads(config[1])["translations"]["clipboard.copy"])
    button = f'<nav class="md-code__nav"><button class="md-code__button" title="{title}" data-md-type="copy"></button></nav>'
    return output.replace(_CODE_BLOCK, _CODE_BLOCK.replace("<code>", button + "<code>"))


# ----------------------------------------------------------------------------------- no inline script
# mkdocs-jupyter writes its copy-button element (clipboard.umd.js) and the listener that shows
# "Copied!" inline on every notebook page; they become one file, the same for every notebook.
_JUPYTER_CLIPBOARD = re.compile(
    r"<script>(?P<element>\s*\(function \(global, factory\).*?ClipboardCopyElement.*?)</script>\s*"
    r"<script>(?P<listener>\s*document\.addEventListener\('clipboard-copy'.*?)</script>", re.S)
NOTEBOOK_COPY_JS = "assets/javascripts/notebook-copy.js"
_notebook_copy_js: dict[str, str] = {}  # the file's text, taken from the first notebook page
# A script the browser would run that is not a file: no src, and not a JSON data block.
_INLINE_SCRIPT = re.compile(r'<script(?![^>]*\ssrc=)(?![^>]*\stype="application/(?:[\w.+-]+\+)?json")[^>]*>', re.I)
_INLINE_HANDLER = re.compile(r'<[a-z][^<>]*?\s(on[a-z]+)\s*=|href="javascript:', re.I)


def _notebook_scripts_as_file(output: str, page) -> str:
    """A notebook page loads mkdocs-jupyter's two inline scripts from one file (written after the build)."""
    match = _JUPYTER_CLIPBOARD.search(output)
    if match is None:
        return output
    text = f"{match['element'].strip()}\n{match['listener'].strip()}\n"
    if _notebook_copy_js.setdefault("text", text) != text:
        raise PluginError(f"{page.file.src_uri}: mkdocs-jupyter's copy-button script differs from another notebook's")
    base = "../" * page.url.count("/")
    return output[:match.start()] + f'<script src="{base}{NOTEBOOK_COPY_JS}"></script>' + output[match.end():]


def _no_inline_script(output: str, where: str) -> None:
    """Fail the build on script a strict Content-Security-Policy would refuse to run."""
    found = _INLINE_SCRIPT.search(output) or _INLINE_HANDLER.search(output)
    if found:
        near = output[found.start():found.start() + 120]
        raise PluginError(f"{where}: inline script, which the site's Content-Security-Policy refuses to run: "
                          f"{near!r}. Move it into a file (theme override or build hook).")


def _tex(escaped: str) -> str:
    """The TeX source inside an arithmatex element. Notebook Markdown arrives escaped twice
    (``&amp;lt;``), so unescape until nothing changes; TeX itself never contains entities."""
    while (tex := html.unescape(escaped)) != escaped:
        escaped = tex
    return tex


# ----------------------------------------------------------------------------------- sections
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_RAW_TEXT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)  # their text holds no tags
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_SECTION_HEADINGS = frozenset({"h2", "h3"})


def _top_level_headings(body: str) -> list[int]:
    """Offsets in ``body`` of the ``<h2`` and ``<h3`` tags not nested in any other element."""
    blanked = _RAW_TEXT.sub(lambda m: " " * len(m[0]), body)  # same offsets, no tags inside
    depth, found = 0, []
    for tag in _TAG.finditer(blanked):
        closing, name, self_closing = tag[1], tag[2].lower(), tag[3]
        if closing:
            depth -= 1
        elif name in _SECTION_HEADINGS and depth == 0:
            found.append(tag.start())
            depth += 1
        elif name not in _VOID and not self_closing:
            depth += 1
    return found if depth == 0 else []  # markup this scan cannot follow: leave the page as it is


# What a section holds, and the height each thing takes at most on a 412 px-wide phone (px): an
# upper bound fitted on the site's own sections (``benchmarks/bench_sections.py`` measures every
# section in Chromium and prints the worst ratio of height to estimate; a browser test keeps it
# below 1). A skipped section is exactly as tall as its estimate, and content taller than that
# would spill over the next section for whoever asks where things are (Lighthouse's contrast and
# tap-target checks do): the estimate errs high.
_SECTION_CODE_LINE_PX = 23  # per line of a code block
_SECTION_PARTS = {
    "display_math": (re.compile(r'<div class="arithmatex">'), 74),
    "figure": (re.compile(r"<svg\b[^>]*viewBox"), 54),
    "table_row": (re.compile(r"<tr\b"), 124),
    "list_item": (re.compile(r"<li\b"), 15),
    "heading": (re.compile(r"<h[2-6]\b"), 44),
    "admonition": (re.compile(r'class="admonition\b|<details\b'), 5),
    "exercise": (re.compile(r"<lossref-exercise\b"), 375),
}
_SECTION_TEXT_PX = 0.6  # per character of running text
_SECTION_BASE_PX = 121
_SECTION_MARGIN = 1.2  # room for what the fit has not seen
_PRE = re.compile(r"<pre\b.*?</pre>", re.S)
_NOT_TEXT = re.compile(r"<pre\b.*?</pre>|<math\b.*?</math>|<(script|style)\b.*?</\1>|<[^>]+>", re.S)
# Elements whose content the page's JavaScript draws (the course): their height is unknown here.
_DRAWN = re.compile(r"<lossref-(?:session|gate|dashboard)\b")


def _section_height(section: str) -> int:
    """An upper bound of the section's height (px) on a phone, from what its HTML holds."""
    text = len(html.unescape(_NOT_TEXT.sub("", section)))
    code_lines = sum(block.count("\n") + 1 for block in _PRE.findall(section))
    px = _SECTION_BASE_PX + _SECTION_TEXT_PX * text + _SECTION_CODE_LINE_PX * code_lines
    px += sum(weight * len(pattern.findall(section)) for pattern, weight in _SECTION_PARTS.values())
    return round(_SECTION_MARGIN * px)


def _section(body: str) -> str:
    if _DRAWN.search(body):  # laid out as any other content: its size is the script's to say
        return f'<section class="lossref-section lossref-section--drawn">{body}</section>'
    return (f'<section class="lossref-section" '
            f'style="contain-intrinsic-size: auto {_section_height(body)}px">{body}</section>')


def _sections(output: str) -> str:
    """Wrap each top-level ``h2`` or ``h3`` and what follows it, up to the next, in a section that is
    laid out only near the viewport (``.lossref-section`` in ``lossref.css``)."""
    article = _ARTICLE.search(output)
    if article is None:
        return output
    body = article[1]
    starts = _top_level_headings(body)
    if not starts:
        return output
    cuts = [*starts, len(body)]
    wrapped = body[:starts[0]] + "".join(_section(body[a:b]) for a, b in zip(cuts, cuts[1:]))
    return output[:article.start(1)] + wrapped + output[article.end(1):]


# ----------------------------------------------------------------------------------- practice
def on_config(config):
    config["extra"]["lossref_pyodide_index_url"] = practice_assets.pyodide_index_url(config)
    # The copy buttons are made at build time (_copy_buttons), not by Material's bundle. (mkdocs
    # serve passes the same config to every rebuild: the feature is gone from the second on.)
    features = config["theme"]["features"]
    if COPY_FEATURE in features:
        features.remove(COPY_FEATURE)
        config["extra"]["lossref_copy_buttons"] = True
    config["extra"].setdefault("lossref_copy_buttons", False)
    _practice_nav(config["nav"])
    return config


def _practice_nav(nav: list) -> None:
    """The practice index in mkdocs.yml's nav becomes a section: the index, then each session's page.
    (Done once: the entry it leaves holds the index as a plain path.)"""
    for i, entry in enumerate(nav):
        if isinstance(entry, dict):
            (title, target), = entry.items()
            if target == practice_assets.PRACTICE_INDEX:
                nav[i] = {title: [target, *practice_assets.practice_nav()]}
            elif isinstance(target, list):
                _practice_nav(target)


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Loss and guide pages end with their exercises; the practice index has a table of the
    sessions' practice pages; the API page gets one section per built-in loss from the registry."""
    src = page.file.src_uri
    if src == "api.md":
        import lossdocs

        if lossdocs.API_MARKER not in markdown:
            raise PluginError(f"{src} lost its marker {lossdocs.API_MARKER}")
        markdown = markdown.replace(lossdocs.API_MARKER, lossdocs.api_sections())
    if src == practice_assets.PRACTICE_INDEX:
        if practice_assets.PRACTICE_SESSIONS_MARKER not in markdown:
            raise PluginError(f"{src} lost its marker {practice_assets.PRACTICE_SESSIONS_MARKER}")
        return markdown.replace(practice_assets.PRACTICE_SESSIONS_MARKER, practice_assets.practice_sessions_table())
    if practice_assets.is_course_page(src):
        return practice_assets.course_page(markdown, page)
    return markdown + practice_assets.practice_section(src)


def _with_exercises(output: str, page) -> str:
    output, found = practice_assets.prerender(output, page.file.src_uri)
    base = "../" * page.url.count("/")
    if practice_assets.is_course_page(page.file.src_uri):
        link, script = practice_assets.page_assets(base, "course.js")
        data = practice_assets.course_data(page.url)
        output = output.replace("</head>", f"{link}\n{script}\n</head>", 1).replace("</article>", f"{data}</article>", 1)
    elif found:
        link, script = practice_assets.page_assets(base)
        output = output.replace("</head>", f"{link}\n{script}\n</head>", 1)
    return output


def _with_interactive_plots(output: str, page) -> str:
    """A page with a slider plot (``<lossref-plot>``, from ``lossdocs.interactive_plot``) loads its
    script; without JavaScript the static plot stays and the slider, which could not move it, is
    hidden."""
    if "<lossref-plot" not in output:
        return output
    base = "../" * page.url.count("/")
    tags = (f'<script type="module" src="{base}javascripts/interactive-plot.js"></script>\n'
            '<noscript><style>.lossref-interactive__controls{display:none}</style></noscript>\n')
    return output.replace("</head>", tags + "</head>", 1)


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    index_url = config["extra"]["lossref_pyodide_index_url"]
    snapshot_sha256 = practice_assets.install_pyodide(site, index_url)
    practice_assets.bundle(site, index_url, snapshot_sha256)
    if "text" in _notebook_copy_js:
        target = site / NOTEBOOK_COPY_JS
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_notebook_copy_js["text"], encoding="utf-8")
    offline_assets.build(site)  # last: its worker lists every file of the build


# The faces nearly every formula uses. Fetched early, they are there when the text is first laid
# out, so the lines that hold math do not reflow (and shift what follows) when they arrive.
KATEX_EARLY_FONTS = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")


def _preload_math_fonts(output: str, page) -> str:
    if 'class="katex' not in output:
        return output
    base = "../" * page.url.count("/")
    tags = "".join(f'<link rel="preload" href="{base}{KATEX_SITE_DIR}/fonts/{name}" as="font" type="font/woff2" '
                   'crossorigin>\n' for name in KATEX_EARLY_FONTS)
    return output.replace("</head>", tags + "</head>", 1)


def on_post_page(output: str, page, config) -> str:
    output = _JUPYTER_MATHJAX.sub("", output)
    output = _bundle_on_demand(output, page)
    output = _notebook_scripts_as_file(output, page)
    if config["extra"]["lossref_copy_buttons"]:
        output = _copy_buttons(output, page)
    output = _DISPLAY_MATH.sub(
        lambda m: '<div class="arithmatex">' + _katex.render(_tex(m[1]), True) + "</div>", output)
    output = _INLINE_MATH.sub(
        lambda m: '<span class="arithmatex">' + _katex.render(_tex(m[1]), False) + "</span>", output)
    leftover = re.search(r'class="arithmatex">(?!<span class="katex)(.{0,80})', output, re.S)
    if leftover:  # anything arithmatex marked but not typeset would reach readers as raw TeX
        raise PluginError(f"{page.file.src_uri}: math left untypeset near {leftover[1]!r}")
    output = offline_assets.page_head(_with_interactive_plots(_with_exercises(output, page), page), page)
    output = _preload_math_fonts(_sections(output), page)
    _no_inline_script(output, page.file.src_uri)
    return output


def on_post_template(output: str, template_name: str, config) -> str:
    """The theme's own pages (404.html) are held to the same policy as the others."""
    if template_name.endswith(".html"):
        _no_inline_script(output, template_name)
    return output


def on_shutdown() -> None:
    _katex.close()
    practice_assets.close()
