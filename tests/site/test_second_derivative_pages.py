"""Every loss page has a "Second derivative" section for each loss it documents, after that loss's
gradient, with the registry's formula typeset; every regression loss whose loss is a likelihood
only up to constants derives that likelihood."""

from __future__ import annotations

import html as html_lib
import re

import lossref as lr
import pytest

_HEADING = re.compile(r'<h([23])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def _headings(html: str) -> list[tuple[int, str, str, int]]:
    """(level, id, text, position) of every h2 and h3 of a page, in order."""
    out = []
    for m in _HEADING.finditer(html):
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", m[3])).replace("¶", "").strip()
        out.append((int(m[1]), m[2], text, m.start()))
    return out


def _section(html: str, anchor: str) -> tuple[list, int, int]:
    """The headings inside a loss's part of a page, and its start and end in the HTML."""
    heads = _headings(html)
    if not anchor:
        return [h for h in heads], 0, len(html)
    i = next(k for k, h in enumerate(heads) if h[1] == anchor)
    level = heads[i][0]
    j = next((k for k in range(i + 1, len(heads)) if heads[k][0] <= level), len(heads))
    end = heads[j][3] if j < len(heads) else len(html)
    return heads[i + 1:j], heads[i][3], end


def _page(built_site, lossdocs, name):
    page, _, anchor = lossdocs.PAGES[name].partition("#")
    return (built_site / "losses" / page.removesuffix(".md") / "index.html").read_text(), anchor


# The losses that document a second derivative (the structured losses give value and gradient only).
WITH_SECOND_DERIVATIVE = [loss.name for loss in lr.losses() if loss.info.second_derivative]


def test_the_helper_prints_the_registry_formula(lossdocs):
    for loss in map(lr.get, WITH_SECOND_DERIVATIVE):
        out = lossdocs.second_derivative(loss.name)
        assert out.startswith("$$\n") and loss.info.second_derivative in out


@pytest.mark.parametrize("name", WITH_SECOND_DERIVATIVE)
def test_every_loss_has_a_second_derivative_section_after_its_gradient(built_site, lossdocs, name):
    html, anchor = _page(built_site, lossdocs, name)
    heads, _, end = _section(html, anchor)
    titles = [h[2] for h in heads]
    assert "Second derivative" in titles, f"{name}: no Second derivative section in {titles}"
    k = titles.index("Second derivative")
    assert k > 0 and titles[k - 1] == "The gradient, step by step", (
        f"{name}: Second derivative must follow the gradient section; headings {titles}")
    start = heads[k][3]
    stop = heads[k + 1][3] if k + 1 < len(heads) else end
    body = html[start:stop]
    assert 'class="katex-display"' in body, f"{name}: the registry formula is not typeset"
    assert "Traceback" not in body


@pytest.mark.parametrize("name", ["mse", "mae", "huber", "quantile", "log_cosh"])
def test_regression_pages_derive_their_likelihood(built_site, lossdocs, name):
    html, anchor = _page(built_site, lossdocs, name)
    heads, _, _ = _section(html, anchor)
    titles = [h[2] for h in heads]
    assert "The likelihood behind it" in titles, f"{name}: no likelihood section in {titles}"
    k = titles.index("The likelihood behind it")
    body = html[heads[k][3]:heads[k + 1][3]]
    assert 'class="result"' in body, f"{name}: the likelihood section runs no snippet"


@pytest.mark.parametrize("page", ["poisson-nll", "gaussian-nll"])
def test_likelihood_pages_state_the_constant_that_full_adds(built_site, page):
    html = (built_site / "losses" / page / "index.html").read_text()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "full=True" in text and "log" in text
