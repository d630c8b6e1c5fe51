"""Offline use and what a first visit downloads, in Debian's Chromium.

* The service worker: a learner who has opened the course once works offline (a session page never
  visited, Python and the exercise included); a new build replaces the cache without mixing
  versions and the open page says an update is ready.
* The memory snapshot of Python: never on a first visit's critical path; downloaded in the
  background for the next visit, which resumes from it; a damaged one is refused.
* A connection that asks to save data gets nothing optional: no service worker, no snapshot.
"""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

import lossref.practice as lp

BOOT = 60_000  # ms: Python's start
CACHING = 120_000  # ms: the whole site into Cache Storage, from localhost
SNAPSHOT = "python-snapshot.bin.gz"
SAVE_DATA = "Object.defineProperty(navigator.connection, 'saveData', { get: () => true });"


def kept_snapshot(page, base_url) -> bool:
    """Whether this browser's Cache Storage holds the snapshot (``page.evaluate`` awaits the promise)."""
    return page.evaluate("url => caches.match(url).then(r => r !== undefined)", f"{base_url}pyodide/{SNAPSHOT}")


def wait_until_offline_ready(page) -> None:
    page.wait_for_function("document.documentElement.dataset.offline === 'ready'", timeout=CACHING)


def answer_current_problem(host) -> None:
    """Answer the problem shown in ``host`` with the engine's own solution and check it."""
    ex = host.locator("lossref-exercise")
    expect(ex).to_have_attribute("data-seed", re.compile(r"^\d+$"), timeout=BOOT)
    ex.page.wait_for_function("el => !el.hasAttribute('aria-busy')", arg=ex.element_handle(), timeout=BOOT)
    engine = lp.get(ex.get_attribute("data-exercise"))
    problem = engine.generate(int(ex.get_attribute("data-seed")))
    solution = engine.solution(problem).answer
    if problem.answer.kind == "choice":
        ex.locator(f'input[value="{solution}"]').check()
    elif problem.answer.kind == "code":
        ex.locator("textarea, .cm-content").first.fill(solution)
    else:
        ex.get_by_label("Answer", exact=True).fill(solution)
    ex.get_by_role("button", name="Check").click()
    expect(ex.get_by_role("status")).to_have_attribute("data-tone", "correct", timeout=BOOT)


# ----------------------------------------------------------------------------------- the build
def test_the_worker_lists_every_page_and_python_with_content_hashes(built_site, offline_assets):
    entries = offline_assets.manifest_entries(built_site)
    urls = {e["url"] for e in entries}
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    assert pages <= urls, f"pages the worker would not keep: {sorted(pages - urls)[:5]}"
    for needed in ("pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json",
                   f"pyodide/{SNAPSHOT}", "assets/practice/worker.js", "manifest.webmanifest",
                   "search/search_index.json"):
        assert needed in urls, needed
    assert any(re.fullmatch(r"pyodide/lossref-.*\.whl", u) for u in urls)
    assert "sw.js" not in urls and not any(u.endswith(".ipynb") for u in urls)
    worker = (built_site / "sw.js").read_text()
    some = next(e for e in entries if e["url"] == "losses/bce/index.html")
    assert f'"url":"losses/bce/index.html","revision":"{some["revision"]}"' in worker


# ----------------------------------------------------------------------------------- offline
def test_a_learner_who_opened_the_course_works_offline(page, base_url):
    page.goto(base_url + "learn/")
    wait_until_offline_ready(page)
    expect(page.locator(".lossref-course__offline")).to_contain_text("keep working offline")
    page.context.set_offline(True)
    page.goto(base_url + "learn/session-0/")  # never visited
    expect(page.locator("h1")).to_contain_text("Session 0")
    answer_current_problem(page.locator("lossref-session"))
    page.goto(base_url + "losses/huber/")  # the reference too
    expect(page.locator("h1")).to_contain_text("Huber")


def test_a_new_build_replaces_the_cache_whole_and_the_page_says_so(built_site, serve, page, tmp_path, offline_assets):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    base = serve(site)
    page.goto(base + "learn/")
    wait_until_offline_ready(page)
    page.goto(base + "losses/mae/")
    old_title = page.title()
    # A new build: one page changed, and its worker.
    mae = site / "losses" / "mae" / "index.html"
    mae.write_text(mae.read_text().replace("<title>", "<title>Rebuilt · ", 1))
    offline_assets.write_service_worker(site)
    page.reload()  # the registration finds the new worker, which downloads the changed page
    note = page.locator(".lossref-update")
    expect(note).to_be_visible(timeout=CACHING)
    assert page.title() == old_title, "the page changed before the learner asked for the new version"
    page.goto(base + "losses/mse/")  # until then every page comes from the old build
    assert not page.title().startswith("Rebuilt")
    page.goto(base + "losses/mae/")
    assert page.title() == old_title
    with page.expect_navigation():
        page.locator(".lossref-update").get_by_role("button", name="Reload").click()
    assert page.title().startswith("Rebuilt · ")


# ----------------------------------------------------------------------------------- the snapshot
@pytest.mark.first_visit
def test_a_first_visit_starts_python_without_waiting_for_the_snapshot(page, base_url):
    page.goto(base_url + "practice/session-0/")
    ex = page.locator("lossref-exercise").first
    ex.scroll_into_view_if_needed()
    page.wait_for_function("el => el.dataset.engine === 'ready'", arg=ex.element_handle(), timeout=BOOT)
    assert ex.evaluate("el => el.practice.bootPhases.snapshot") is False
    assert not [u for u in page.requests if u.endswith(SNAPSHOT)], "the snapshot was fetched before Python was ready"
    # ... then it is downloaded in the background and kept for the next visit, which resumes from it
    for _ in range(60):
        if kept_snapshot(page, base_url):
            break
        page.wait_for_timeout(500)
    assert kept_snapshot(page, base_url), "the snapshot was not kept for the next visit"
    page.goto(base_url + "losses/bce/")
    ex = page.locator("lossref-exercise").first
    page.wait_for_function("el => el.dataset.engine === 'ready'", arg=ex.element_handle(), timeout=BOOT)
    assert ex.evaluate("el => el.practice.bootPhases.snapshot") is True


@pytest.mark.first_visit
def test_a_damaged_snapshot_is_not_kept_and_python_starts_anyway(page, base_url):
    page.route(f"**/{SNAPSHOT}", lambda route: route.fulfill(status=200, body=b"\x1f\x8b not a snapshot"))
    page.goto(base_url + "practice/session-0/")
    ex = page.locator("lossref-exercise").first
    ex.scroll_into_view_if_needed()
    page.wait_for_function("el => el.dataset.engine === 'ready'", arg=ex.element_handle(), timeout=BOOT)
    page.wait_for_timeout(5000)  # the background download (3 s after ready) has been refused by now
    assert [u for u in page.requests if u.endswith(SNAPSHOT)], "the snapshot was never asked for"
    assert not kept_snapshot(page, base_url)
    page.reload()
    ex = page.locator("lossref-exercise").first
    ex.scroll_into_view_if_needed()
    page.wait_for_function("el => el.dataset.engine === 'ready'", arg=ex.element_handle(), timeout=BOOT)
    assert ex.evaluate("el => el.practice.bootPhases.snapshot") is False


@pytest.mark.first_visit
@pytest.mark.parametrize("path", ["learn/", "practice/session-0/"])
def test_saving_data_fetches_nothing_optional(page, base_url, path):
    page.add_init_script(SAVE_DATA)
    page.goto(base_url + path)
    if path == "learn/":  # the course would keep the site offline, and says why it does not
        page.wait_for_function("document.documentElement.dataset.offline === 'declined'", timeout=10_000)
        expect(page.locator(".lossref-course__offline")).to_contain_text("asks to save data")
    else:  # Python starts when asked for, but no snapshot follows it
        ex = page.locator("lossref-exercise").first
        ex.scroll_into_view_if_needed()
        ex.get_by_role("button", name="Check").focus()
        page.wait_for_function("el => el.dataset.engine === 'ready'", arg=ex.element_handle(), timeout=BOOT)
    page.wait_for_timeout(5000)
    assert not [u for u in page.requests if u.endswith(SNAPSHOT) or u.endswith("/sw.js")]
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
