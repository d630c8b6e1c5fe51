"""A guard of the site's speed and accessibility as a phone meets it, on the pages most likely to
regress: Lighthouse's mobile preset (``benchmarks/bench_lighthouse.py``, which sweeps every page
with medians, has the targets), and every main-thread task at load on the heaviest pages.

Lighthouse's performance score swings on a small machine; this guard holds it to a margin below
the target (a regression such as a page laying out every section at load costs 15-30 points),
while accessibility, best practices and layout shift are held to the targets themselves.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_lighthouse  # noqa: E402
from bench_site import _lighthouse_bin  # noqa: E402
from static_server import serve as serve_like_a_host  # noqa: E402

PERFORMANCE_FLOOR = 88  # the target is 95: the guard leaves room for this machine's noise
LONG_TASK_MS = 200

# (page, colour scheme): the longest practice page, the course's dashboard (drawn by its script),
# a notebook, in both schemes between them.
GUARDED = [("practice/session-10/", "dark"), ("learn/", "light"), ("notebooks/regression/", "dark")]


@pytest.fixture(scope="module")
def hosted_site(built_site):
    """The build served gzipped, as static hosts serve it (what the benchmark measures)."""
    server = serve_like_a_host(str(built_site), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("path", "scheme"), GUARDED, ids=[f"{p}{s}" for p, s in GUARDED])
def test_lighthouse_mobile_on_the_pages_most_likely_to_regress(hosted_site, path, scheme):
    with tempfile.TemporaryDirectory() as tmp:
        result = bench_lighthouse.lighthouse(_lighthouse_bin(), hosted_site + path, scheme, Path(tmp) / "lh.json")
    failing = "; ".join(result["failing"]) or "no binary audit"
    assert result["accessibility"] == 100, f"accessibility {result['accessibility']}: {failing}"
    assert result["best-practices"] == 100, f"best practices {result['best-practices']}: {failing}"
    assert result["cls"] < bench_lighthouse.CLS, f"layout shift {result['cls']:.3f}"
    assert result["performance"] >= PERFORMANCE_FLOOR, \
        f"performance {result['performance']} (total blocking time {result['tbt']:.0f} ms)"


def _heaviest_pages(site: Path, count: int) -> list[str]:
    """The pages whose HTML is largest: most formulas, exercises and sections to lay out."""
    pages = sorted(site.rglob("index.html"), key=lambda p: p.stat().st_size, reverse=True)[:count]
    return [p.parent.relative_to(site).as_posix() + "/" for p in pages]


def test_no_main_thread_task_over_200_ms_at_load_on_the_heaviest_pages(page, built_site, hosted_site):
    page.set_viewport_size({"width": 412, "height": 823})
    page.add_init_script("""
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
        }).observe({ type: "longtask", buffered: true });
    """)
    long = {}
    for path in _heaviest_pages(built_site, 6):
        page.goto(hosted_site + path, wait_until="load")
        page.wait_for_timeout(1500)  # what runs after load: the exercises' set-up, the TOC, idle work
        tasks = page.evaluate("window.__longTasks")
        if any(ms > LONG_TASK_MS for ms in tasks):
            long[path] = tasks
    assert not long, f"main-thread tasks over {LONG_TASK_MS} ms at load (ms per long task): {long}"
