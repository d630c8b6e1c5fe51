"""The built site in Debian's Chromium (Playwright): what a visitor's browser actually does."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("path", ["", "losses/cross-entropy/", "guides/stability/", "notebooks/custom/", "api/"])
def test_pages_load_only_from_the_site_without_errors(page, base_url, path):
    page.goto(base_url + path, wait_until="networkidle")
    assert page.hosts() == {"127.0.0.1"}, f"requests to other hosts: {page.requests}"
    assert not page.errors, f"errors in the page: {page.errors}"


def test_material_javascript_waits_for_the_first_interaction(page, base_url):
    page.goto(base_url + "losses/cross-entropy/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not [url for url in page.requests if "bundle" in url or "search_index" in url]
    assert page.locator(".katex-display").first.is_visible(), "the page is not readable before JavaScript"
    page.mouse.wheel(0, 400)
    page.locator(".highlight").first.scroll_into_view_if_needed()
    page.locator("meta[name='theme-color']").wait_for(state="attached", timeout=10000)  # Material's palette
    assert [url for url in page.requests if "bundle" in url], "Material's bundle did not load on scroll"
    assert not [url for url in page.requests if "search_index" in url], "the index loaded before any search"


def test_search_index_waits_for_the_reader(page, base_url):
    page.goto(base_url + "losses/mse/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not [url for url in page.requests if "search_index" in url], "the index loaded before any search"
    page.keyboard.press("/")  # Material's search shortcut, which also loads Material's bundle
    search = page.get_by_role("textbox", name="Search")
    search.wait_for(state="visible")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    page.keyboard.type("hinge")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    assert [url for url in page.requests if "search_index" in url]
    assert "hinge" in page.locator(".md-search-result").inner_text().lower()


def test_math_is_rendered_with_the_sites_fonts(page, base_url):
    page.goto(base_url + "losses/mse/", wait_until="networkidle")
    fonts = [url for url in page.requests if url.endswith(".woff2")]
    assert fonts and all("/assets/katex/fonts/" in url for url in fonts)
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    formula = page.locator(".katex-display").first
    assert formula.is_visible() and formula.bounding_box()["height"] > 20


def test_framework_tabs_switch_and_stay_linked(page, base_url):
    from playwright.sync_api import expect

    page.goto(base_url + "losses/cross-entropy/", wait_until="networkidle")
    tabs = page.locator(".tabbed-set").filter(has_text="scikit-learn").first
    # The first click of a visit also loads Material's JavaScript; the tab follows once it is ready.
    tabs.locator(".tabbed-labels > label", has_text="Keras 3").click()
    expect(tabs.locator(".tabbed-block:visible").first).to_contain_text("keras.losses")
    # Linked tabs: the choice follows the reader to the next page.
    page.wait_for_function("localStorage.length > 0 && Object.values(localStorage).some(v => v.includes('Keras 3'))")
    page.goto(base_url + "losses/mse/", wait_until="networkidle")
    visible = page.locator(".tabbed-set").filter(has_text="scikit-learn").first.locator(".tabbed-block:visible").first
    expect(visible).to_contain_text("keras.losses.MeanSquaredError")


def test_plots_follow_the_colour_scheme(page, base_url):
    page.goto(base_url + "losses/hinge/", wait_until="networkidle")
    svg = page.locator("figure.lossref-figure svg").first
    light = svg.evaluate("e => getComputedStyle(e).color")
    # The toggle is visible before Material's JavaScript has loaded, and its first click works.
    page.locator("label[for='__palette_1']").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = svg.evaluate("e => getComputedStyle(e).color")
    assert light != dark, "the plot's text and axes keep one colour in both schemes"


# ----------------------------------------------------------------------------------- first paint
# Every frame's colour scheme and background, from the first: an init script runs before the page's
# own scripts, and a requestAnimationFrame callback runs just before its frame is painted.
RECORD_FRAMES = """
window.lossrefFrames = [];
const record = () => {
  if (document.body) {
    lossrefFrames.push([document.body.getAttribute("data-md-color-scheme"),
                        getComputedStyle(document.body).backgroundColor]);
  }
  if (lossrefFrames.length < 2000) requestAnimationFrame(record);
};
requestAnimationFrame(record);
"""


def _luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an ``rgb(r, g, b)`` colour: 0 for black, 1 for white."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(("system", "saved", "scheme"), [
    ("dark", None, "slate"),
    ("light", None, "default"),
    ("dark", 0, "default"),  # the reader chose the light palette: the saved choice wins
    ("light", 1, "slate"),
])
def test_the_colour_scheme_is_right_from_the_first_paint(browser, base_url, system, saved, scheme):
    context = browser.new_context(color_scheme=system, viewport={"width": 1280, "height": 900})
    if saved is not None:  # what Material saves when the reader clicks the toggle (scope: the site root)
        palettes = [{"media": "(prefers-color-scheme: light)", "scheme": "default"},
                    {"media": "(prefers-color-scheme: dark)", "scheme": "slate"}]
        colour = {**palettes[saved], "primary": "indigo", "accent": "deep-orange"}
        value = json.dumps({"index": saved, "color": colour})
        context.add_init_script(f"localStorage.setItem('/.__palette', {json.dumps(value)})")
    context.add_init_script(RECORD_FRAMES)
    page = context.new_page()
    try:
        page.goto(base_url + "losses/cross-entropy/", wait_until="load")
        page.wait_for_function("lossrefFrames.length > 5")
        first_scheme, first_background = page.evaluate("lossrefFrames[0]")
        assert first_scheme == scheme, f"first painted with {first_scheme}, not {scheme}"
        dark = _luminance(first_background) < 0.05
        assert dark == (scheme == "slate"), f"background {first_background} for the {scheme} scheme"
        # The toggle shown is the active palette's: it switches to the other one.
        index = 1 if scheme == "slate" else 0
        assert page.locator(f"label[for='__palette_{1 - index}']").is_visible()
        # Material's bundle, loaded by the first interaction, applies its own choice: the same.
        page.mouse.move(200, 300)
        page.locator("meta[name='theme-color']").wait_for(state="attached", timeout=10000)
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        frames = page.evaluate("lossrefFrames")
        assert {tuple(frame) for frame in frames} == {(first_scheme, first_background)}, \
            f"the page changed its colours: {sorted({tuple(frame) for frame in frames})}"
    finally:
        context.close()


def test_a_copy_button_copies_on_the_first_click(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"],
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base_url + "losses/mse/", wait_until="load")
        block = page.locator(".md-content .highlight").first
        code = block.locator("pre > code")
        shown = code.evaluate("el => el.textContent").rstrip()
        assert shown, "the first code block is empty"
        assert page.locator("meta[name='theme-color']").count() == 0, "Material's bundle ran before any interaction"
        block.get_by_role("button", name="Copy to clipboard").click()  # the visit's first interaction
        expect(page.locator("[data-md-component='dialog']")).to_contain_text("Copied to clipboard")
        assert page.evaluate("navigator.clipboard.readText()") == shown
        # Once Material's bundle has mounted the code blocks, each still has one copy button.
        page.locator("meta[name='theme-color']").wait_for(state="attached", timeout=10000)
        page.wait_for_timeout(300)
        counts = page.locator(".md-content .highlight pre").evaluate_all(
            "pres => pres.map(pre => pre.querySelectorAll('button[data-md-type=copy]').length)")
        assert counts and set(counts) == {1}, counts
    finally:
        context.close()


def _toc_state(page) -> tuple[list[str], list[str]]:
    """The table of contents' highlight: the active links and the passed ones, by href."""
    toc = "[data-md-component='toc'] a.md-nav__link"
    return (page.locator(toc + ".md-nav__link--active").evaluate_all("ls => ls.map(l => l.hash)"),
            page.locator(toc + ".md-nav__link--passed").evaluate_all("ls => ls.map(l => l.hash)"))


def _scroll_positions(page) -> list[str]:
    """Scripts that scroll to the top, to three headings (each just under the top of the window,
    and a little above it) and to the bottom of the page."""
    headings = page.locator("[data-md-component='toc'] a.md-nav__link").evaluate_all("ls => ls.map(l => l.hash)")
    picks = [headings[1], headings[len(headings) // 2], headings[-2]]
    return (["scrollTo(0, 0)"]
            + [f"document.getElementById({h[1:]!r}).scrollIntoView(); scrollBy(0, {dy})" for h in picks for dy in (-30, 60)]
            + ["scrollTo(0, document.body.scrollHeight)"])


def test_the_table_of_contents_follows_the_reader_before_materials_bundle(browser, base_url):
    """The highlight before the bundle (on-demand.js) is Material's own, position for position."""
    def states(block_bundle: bool) -> list:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        if block_bundle:  # the bundle never comes: what the reader sees until it does
            page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
        try:
            page.goto(base_url + "losses/cross-entropy/", wait_until="load")
            if not block_bundle:
                page.mouse.move(200, 300)
                page.locator("meta[name='theme-color']").wait_for(state="attached", timeout=10000)
            result = []
            for script in _scroll_positions(page):
                page.evaluate(script)
                page.wait_for_timeout(200)  # both follow the scroll within a few frames
                result.append((script, _toc_state(page)))
            return result
        finally:
            context.close()

    before, material = states(block_bundle=True), states(block_bundle=False)
    assert any(active for _, (active, _) in material), "Material highlighted nothing: the positions test nothing"
    assert before == material
