"""The site served with the strict Content-Security-Policy the README asks hosts to send.

The server sends the policy with every response, with ``report-uri``, and keeps the reports the
browser posts: also those from workers (Material's search, the practice worker running Pyodide),
whose violations no listener in the page sees.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import expect

import lossref.practice as lp

BOOT = 60_000  # ms: the course's first problem waits for Python to start


def site_pages(site: Path) -> list[str]:
    """Every HTML page the build wrote, as a path under the site root."""
    pages = [path.relative_to(site).as_posix() for path in site.rglob("*.html")]
    return sorted(page.removesuffix("index.html") for page in pages)


def wait_for_reports(reports: list, count: int, timeout: float = 5.0) -> None:
    """Until ``count`` reports have arrived (the browser posts them on its own schedule)."""
    deadline = time.monotonic() + timeout
    while len(reports) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def described(reports: list) -> list[str]:
    return [f"{r.get('document-uri')}: {r.get('violated-directive')} blocked {r.get('blocked-uri')!r} "
            f"at {r.get('source-file')}:{r.get('line-number')} {r.get('script-sample', '')!r}" for r in reports]


def test_every_page_and_the_practice_work_under_the_policy(page, built_site, strict_site, keep_snapshot):
    base_url, reports = strict_site
    pages = site_pages(built_site)
    assert {"", "learn/session-0/", "practice/", "notebooks/regression/", "404.html"} <= set(pages)
    keep_snapshot(page, base_url)  # a returning learner: Python resumes from the kept snapshot
    reports.clear()

    # The policy is on and its reports arrive: an inline script, refused.
    page.goto(base_url, wait_until="load")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.inlineRan = true"; document.head.append(s); }""")
    wait_for_reports(reports, 1)
    assert page.evaluate("window.inlineRan") is None, "an inline script ran: the policy is not applied"
    assert [r.get("blocked-uri") for r in reports] == ["inline"], described(reports)
    reports.clear()
    page.errors.clear()

    for path in pages:
        page.goto(base_url + path, wait_until="load")

    # A course session: Python starts in the worker (from its snapshot), scores the empty log,
    # shows a problem, and checks the engine's own solution to it.
    page.goto(base_url + "learn/session-0/")
    ex = page.locator("lossref-session lossref-exercise")
    expect(ex).to_have_attribute("data-seed", re.compile(r"^\d+$"), timeout=BOOT)
    page.wait_for_function("el => !el.hasAttribute('aria-busy')", arg=ex.element_handle(), timeout=BOOT)
    engine = lp.get(ex.get_attribute("data-exercise"))
    problem = engine.generate(int(ex.get_attribute("data-seed")))
    solution = engine.solution(problem).answer
    if problem.answer.kind == "choice":
        ex.locator(f'input[value="{solution}"]').check()
    else:
        ex.get_by_label("Answer", exact=True).fill(solution)
    ex.get_by_role("button", name="Check").click()
    expect(ex.get_by_role("status")).to_contain_text("Correct.", timeout=BOOT)
    assert ex.evaluate("el => el.practice.bootPhases.snapshot") is True, "Python did not resume from its snapshot"

    time.sleep(0.3)  # for a report still on its way
    assert described(reports) == []

    # Violations inside a worker are reported too: the practice worker asks another origin for a file.
    worker = next(w for w in page.workers if w.url.endswith("/assets/practice/worker.js"))
    worker.evaluate("fetch('http://localhost:9/probe').catch(() => null)")
    wait_for_reports(reports, 1)
    assert [(r.get("document-uri"), r.get("violated-directive")) for r in reports] == [
        (worker.url, "connect-src")], described(reports)
    reports.clear()

    # A search: Material's bundle, its search worker and the index.
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    page.keyboard.type("hinge")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)

    # A notebook page's own copy buttons (mkdocs-jupyter's element, moved into a file).
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(base_url + "notebooks/regression/", wait_until="load")
    page.locator("clipboard-copy").first.click()
    expect(page.locator("clipboard-copy .notice").first).to_be_visible()

    time.sleep(0.5)
    assert described(reports) == []
    assert not [error for error in page.errors if "Content Security Policy" in error], page.errors
