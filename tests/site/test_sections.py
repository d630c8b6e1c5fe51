"""Sections laid out only near the viewport: the build's wrapping, and heights in Chromium."""

from __future__ import annotations

import re

import pytest

PHONE = {"width": 412, "height": 823}  # Lighthouse's mobile viewport
WRAPPER = re.compile(r'<section class="lossref-section[^"]*"(?: style="[^"]*")?>|</section>')


def _article(body: str) -> str:
    return f'<html><body><article class="md-content__inner md-typeset">{body}</article></body></html>'


def test_each_top_level_h2_and_h3_starts_a_section(site_hooks):
    body = ('<h1 id="t">Title</h1><p>intro</p>'
            '<h2 id="a">A</h2><p>one</p><div class="admonition"><h3>nested, not a section</h3></div>'
            '<h3 id="b">B</h3><pre><code>x = 1\ny = 2\n</code></pre>'
            '<h2 id="c">C</h2><script type="application/json">{"h2": "<h2>"}</script><p>end</p>')
    out = site_hooks._sections(_article(body))
    sections = re.findall(r'<section class="lossref-section"[^>]*>(.*?)</section>', out, re.S)
    assert [re.search(r'<h[23] id="(\w)"', s)[1] for s in sections] == ["a", "b", "c"]
    assert out.index("<p>intro</p>") < out.index("<section"), "the title and intro stay outside any section"
    assert WRAPPER.sub("", out) == _article(body), "wrapping changed the page's content"


def test_a_section_the_course_draws_keeps_its_layout(site_hooks):
    out = site_hooks._sections(_article('<h2 id="p">Practice</h2><lossref-session session="1"></lossref-session>'))
    assert '<section class="lossref-section lossref-section--drawn">' in out
    assert "contain-intrinsic-size" not in out, "a size guessed for content a script draws later"


def test_markup_the_scan_cannot_follow_is_left_as_it_is(site_hooks):
    page = _article('<h2 id="a">A</h2><div><p>never closed</p>')
    assert site_hooks._sections(page) == page


def test_the_estimate_grows_with_what_the_section_holds(site_hooks):
    short = site_hooks._section_height("<h2>A</h2><p>text</p>")
    code = site_hooks._section_height("<h2>A</h2><p>text</p><pre><code>" + "x\n" * 40 + "</code></pre>")
    text = site_hooks._section_height("<h2>A</h2><p>" + "word " * 400 + "</p>")
    assert short < code and short < text


@pytest.mark.parametrize("path", ["losses/bce/", "losses/metric-learning/", "guides/custom-losses/", "api/"])
def test_no_section_is_taller_than_its_estimate_on_a_phone(browser, base_url, path):
    """A skipped section is exactly as tall as its estimate: were its content taller, it would lie
    over the next section for anything that asks where an element is (contrast and tap-target
    checks do). ``benchmarks/bench_sections.py`` measures every page."""
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(base_url + path, wait_until="load")
        rows = page.evaluate("""() => [...document.querySelectorAll('.lossref-section:not(.lossref-section--drawn)')]
          .map((section) => {
            const estimate = Number(/auto (\\d+)px/.exec(section.style.containIntrinsicSize)[1]);
            section.style.contentVisibility = 'visible';
            return [section.querySelector('h2, h3').id, section.getBoundingClientRect().height, estimate];
          })""")
    finally:
        page.close()
    assert len(rows) >= 3
    too_tall = [(name, round(height), estimate) for name, height, estimate in rows if height > estimate]
    assert not too_tall, f"{path}: sections taller than their estimate (id, px, estimate): {too_tall}"


def test_sections_far_below_are_not_laid_out_at_load(browser, base_url):
    """What a section holds is skipped (not styled, laid out or painted) until it nears the window."""
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(base_url + "losses/bce/", wait_until="load")
        page.wait_for_timeout(300)
        rendered = page.evaluate("""() => [...document.querySelectorAll('.lossref-section')]
          .map((s) => s.firstElementChild.checkVisibility({contentVisibilityAuto: true}))""")
        page.locator("#references").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        references = page.evaluate("document.getElementById('references')"
                                   ".checkVisibility({contentVisibilityAuto: true})")
    finally:
        page.close()
    assert rendered[0] and not rendered[-1], f"rendered at load, section by section: {rendered}"
    assert references, "a section scrolled to is not drawn"
