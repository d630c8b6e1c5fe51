"""The built site in Debian's Chromium (Playwright): what a visitor's browser actually does."""

from __future__ import annotations


import pytest


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
    page.locator("[data-clipboard-target]").first.wait_for(state="attached", timeout=10000)  # copy buttons
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
