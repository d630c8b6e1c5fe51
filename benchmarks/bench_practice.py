"""Practice targets: how fast a learner gets feedback, and what a page costs to load.

    make bench-practice            (builds the site into a temporary directory)
    python benchmarks/bench_practice.py --site site/     (an existing build)

Debian's Chromium through Playwright, the site served gzipped by ``static_server.py`` on
127.0.0.1, caching as GitHub Pages does (10 minutes).

1. First feedback on a fresh profile: open /practice/session-0/, type an answer into the first exercise
   and press "Check" at once; time from the click to the verdict (Python starts meanwhile).
   Times are taken inside the page: the click event to the verdict shown.
   Target: at most 4 s. The baseline row, measured in the same run, is bare Pyodide
   (``loadPyodide()`` in a module worker, no lossref), so the ratio shows what lossref adds.
2. Check latency once Python is ready: 20 checks on a number exercise and 20 on a code exercise
   (the hidden tests run each time), click to verdict; the 95th percentile against 100 ms.
3. A returning visitor (persistent profile, second visit): navigation to "Python is ready".
   Target: at most 2.5 s.
4. Bytes transferred: for the first check (everything from navigation to the verdict), and for a
   loss page that is only read (loaded, then left idle for 5 s without scrolling).
5. The course: in a session, the time from "Check" to the answer being saved and the session
   scored again (levels, gates and the next problem, by Python from the whole saved log), for a
   new learner and for learners with 500 and 2000 saved answers. The baseline is the plain check
   latency of item 2 (bce.grad), measured in the same run.
6. Over a modelled link (``static_server.Link``: one shared pipe for every connection, a wait
   before each response; text and WebAssembly gzipped), at 20 Mbit/s with 40 ms per request and
   at 5 Mbit/s with 100 ms: a first visitor (fresh profile) opens /losses/bce/ and clicks "Check"
   on its first exercise as soon as the page has loaded; navigation to the verdict, and the
   bytes fetched until then. The floor, measured over the same link in the same run, is bare
   Pyodide: a page whose module worker runs ``loadPyodide()`` and nothing else, navigation to
   Python ready. Targets at 20 Mbit/s: verdict <= 1.6x the floor, <= 8 MB fetched. And a
   returning visitor over the fast link (the browser restarted on the same profile after that
   first visit): navigation to "Python is ready", target <= 1.0 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
from static_server import FAST_LINK, SLOW_LINK, Link, serve  # noqa: E402

import lossref.practice as lp  # noqa: E402

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
RUNS = 5
CHECKS = 20
TIMEOUT = 60_000

BASELINE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pyodide baseline</title></head>
<body><script type="module">
const started = performance.now();
const worker = new Worker("bench-baseline-worker.mjs", {type: "module"});
worker.onmessage = () => { window.bootMs = performance.now() - started; };
</script></body></html>
"""
BASELINE_WORKER = """const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", self.location.href).href);
await loadPyodide({ indexURL: new URL("pyodide/", self.location.href).href });
postMessage("ready");
"""


def _build(site: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Recorder:
    """Bytes of every finished request of a context (page and worker alike)."""

    def __init__(self, context):
        self.sizes: dict[str, int] = {}
        context.on("requestfinished", self._finished)

    def _finished(self, request):
        sizes = request.sizes()
        self.sizes[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

    @property
    def total_kb(self) -> float:
        return sum(self.sizes.values()) / 1024


def _first_exercise(page):
    """The page's first exercise, scrolled to as a learner would, once it has its buttons (an
    exercise the build rendered gets them when it nears the screen)."""
    ex = page.locator("lossref-exercise").first
    ex.scroll_into_view_if_needed()
    ex.locator("button[type=submit]").wait_for()
    return ex, lp.get(ex.get_attribute("exercise"))


# Timed inside the page, as a learner sees it: from the click on "Check" (the event) to the
# verdict in the feedback region (the element's lossref-verdict event, sent after it is shown).
TIMER = """ex => {
  window.checkTimes = [];
  ex.querySelector('button[type=submit]').addEventListener('click', () => { window.clickedAt = performance.now(); }, true);
  ex.addEventListener('lossref-verdict', () => {
    window.verdictAt = performance.now();  // since the navigation started
    window.checkTimes.push(window.verdictAt - window.clickedAt);
  });
}"""


def _timed_check(page, ex) -> float:
    n = page.evaluate("window.checkTimes.length")
    ex.get_by_role("button", name="Check").click()
    page.wait_for_function(f"window.checkTimes.length > {n}", timeout=TIMEOUT)
    return page.evaluate("window.checkTimes.at(-1)")


def first_feedback(browser, base: str):
    """Fresh profile: click "Check" as soon as the page is there; ms from the click to the verdict."""
    context = browser.new_context()
    recorder = Recorder(context)
    page = context.new_page()
    page.goto(base + "practice/session-0/")
    ex, exercise = _first_exercise(page)
    field = ex.get_by_label("Answer", exact=True)
    page.evaluate(TIMER, ex.element_handle())
    field.fill(exercise.solution(exercise.generate(0)).answer)
    ms = _timed_check(page, ex)
    assert ex.get_by_role("status").get_attribute("data-tone") == "correct"
    result = ms, page.evaluate("window.verdictAt"), recorder.total_kb
    context.close()
    return result


def baseline_boot(browser, base: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "bench-baseline.html")
    page.wait_for_function("window.bootMs !== undefined", timeout=TIMEOUT)
    ms = page.evaluate("window.bootMs")
    context.close()
    return ms


def check_latencies(browser, base: str, path: str, exercise_id: str, answers: list[str]) -> list[float]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + path)
    ex = page.locator(f'lossref-exercise[exercise="{exercise_id}"]')
    ex.scroll_into_view_if_needed()
    ex.locator("button[type=submit]").wait_for()
    page.wait_for_function("el => el.dataset.engine === 'ready'", arg=ex.element_handle(), timeout=TIMEOUT)
    code = lp.get(exercise_id).kind == "code"
    if code:
        page.wait_for_function("el => el.querySelector('.cm-content') !== null", arg=ex.element_handle(), timeout=TIMEOUT)
    page.evaluate(TIMER, ex.element_handle())
    times = []
    for i in range(CHECKS):
        answer = answers[i % len(answers)]
        if code:
            ex.locator(".cm-content").click()
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.insert_text(answer)
        else:
            ex.get_by_label("Answer", exact=True).fill(answer)
        times.append(_timed_check(page, ex))
    context.close()
    return times


COURSE_SIZES = (0, 500, 2000)
COURSE_ANSWERS = 10
SCORED_TIMER = """session => {
  window.scoredTimes = [];
  session.addEventListener('click', (event) => {
    if (event.target.closest('button[type=submit]')) window.clickedAt = performance.now();
  }, true);
  new MutationObserver(() => window.scoredTimes.push(performance.now() - window.clickedAt))
    .observe(session, { attributes: true, attributeFilter: ['data-events'] });
}"""


def course_log(size: int) -> dict:
    """A saved log of ``size`` answers over four months, across every skill, four in five right."""
    from datetime import datetime, timedelta, timezone

    start = datetime.now(timezone.utc) - timedelta(days=120)
    skills = lp.skills()
    events = []
    for n in range(size):
        exercise = lp.exercises(skills[n % len(skills)])[0]
        at = start + timedelta(minutes=n * (120 * 24 * 60 // max(size, 1)))
        events.append({"id": f"bench-{n:05d}", "at": at.isoformat().replace("+00:00", "Z"), "type": "answer",
                       "exercise": exercise.id, "skill": exercise.skill, "seed": 1000 + n, "hash": "bench",
                       "correct": n % 5 != 0, "hinted": False, "revealed": False})
    return {"version": 1, "events": events}


def _enter(page, ex, kind: str, answer: str) -> None:
    """Type an answer the way a learner would, whatever the kind of exercise (the course's reviews
    can be any)."""
    if kind == "choice":
        ex.locator(f'input[value="{answer}"]').check()
    elif kind == "code":
        page.wait_for_function("el => el.querySelector('.cm-content') !== null", arg=ex.element_handle(), timeout=TIMEOUT)
        ex.locator(".cm-content").click()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.insert_text(answer)
    else:
        ex.get_by_label("Answer", exact=True).fill(answer)


def course_answer_latencies(browser, base: str, size: int) -> list[float]:
    """ms from "Check" in session 0 to the answer saved and the session scored again."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "learn/")
    page.evaluate("v => localStorage.setItem('lossref-course', v)", json.dumps(course_log(size)))
    page.goto(base + "learn/session-0/")
    session = page.locator("lossref-session")
    page.evaluate(SCORED_TIMER, session.element_handle())
    times = []
    for i in range(COURSE_ANSWERS):
        ex = session.locator("lossref-exercise")
        page.wait_for_function("el => el && el.dataset.seed && !el.hasAttribute('aria-busy')",
                               arg=ex.element_handle(timeout=TIMEOUT), timeout=TIMEOUT)
        engine = lp.get(ex.get_attribute("data-exercise"))
        problem = engine.generate(int(ex.get_attribute("data-seed")))
        _enter(page, ex, problem.answer.kind, engine.solution(problem).answer)
        n = page.evaluate("window.scoredTimes.length")
        ex.get_by_role("button", name="Check").click()
        page.wait_for_function(f"window.scoredTimes.length > {n}", timeout=TIMEOUT)
        times.append(page.evaluate("window.scoredTimes.at(-1)"))
        page.get_by_role("button", name="Next problem").click()
    context.close()
    return times


def returning_visit(playwright, base: str, profile: Path) -> float:
    """ms from navigation start to "Python is ready" on a second visit with the same profile."""
    for visit in range(2):
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROME_FLAGS)
        page = context.new_page()
        page.goto(base + "practice/session-0/")
        page.wait_for_function("document.querySelector('lossref-exercise').dataset.engine === 'ready'", timeout=TIMEOUT)
        ready = page.evaluate("performance.now()")  # the time origin is the navigation's start
        started = page.evaluate("performance.getEntriesByName('lossref-practice:worker-start')[0].startTime")
        python = page.evaluate("document.querySelector('lossref-exercise').practice.bootPhases.python")
        context.close()
    return ready, started, python


def read_only_bytes(browser, base: str, path: str):
    context = browser.new_context()
    recorder = Recorder(context)
    page = context.new_page()
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(5000)
    python = [url for url in recorder.sizes if "/pyodide/" in url]
    result = recorder.total_kb, len(recorder.sizes), bool(python)
    context.close()
    return result


LINK_RUNS = 3
LINK_PAGE = "losses/bce/"


def link_floor(browser, base: str) -> float:
    """ms from navigation to bare Pyodide ready (``loadPyodide()`` in a module worker), fresh profile."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "bench-baseline.html")
    page.wait_for_function("window.bootMs !== undefined", timeout=TIMEOUT)
    ms = page.evaluate("performance.now()")
    context.close()
    return ms


def link_first_visit(playwright, base: str, profile: Path):
    """A first visit to LINK_PAGE on a fresh persistent profile: Check clicked once the page has loaded.
    Returns (ms from navigation to the verdict, MB fetched until then); the profile is kept for the
    returning visit."""
    context = playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=CHROME_FLAGS)
    recorder = Recorder(context)
    page = context.new_page()
    page.goto(base + LINK_PAGE)  # returns at the load event
    ex, exercise = _first_exercise(page)
    page.evaluate(TIMER, ex.element_handle())
    _enter(page, ex, exercise.generate(0).answer.kind, exercise.solution(exercise.generate(0)).answer)
    _timed_check(page, ex)
    at = page.evaluate("window.verdictAt")
    mb = recorder.total_kb / 1024
    # Let the page finish what it does after the verdict (a background download for the next visit)
    # before the browser is closed, as a reader who stays a while would.
    page.wait_for_timeout(15_000)
    context.close()
    return at, mb


def link_returning_visit(playwright, base: str, profile: Path) -> float:
    """ms from navigation to "Python is ready" with the browser restarted on the first visit's profile."""
    context = playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=CHROME_FLAGS)
    page = context.new_page()
    page.goto(base + LINK_PAGE)
    page.wait_for_function("document.querySelector('lossref-exercise').dataset.engine === 'ready'", timeout=TIMEOUT)
    ready = page.evaluate("performance.now()")
    context.close()
    return ready


def over_links(playwright, site: Path, tmp: Path) -> dict:
    """Item 6 for each link: floors, first verdicts, MB and (fast link only) returning visits."""
    results = {}
    for mbit, latency in (FAST_LINK, SLOW_LINK):
        link = Link(mbit, latency)
        server = serve(str(site), 0, link)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        floors, firsts, mbs, returning = [], [], [], []
        for run in range(LINK_RUNS):  # interleaved, so that both see the same machine load
            floors.append(link_floor(browser, base))
            profile = tmp / f"link-{mbit:g}-{run}"
            at, mb = link_first_visit(playwright, base, profile)
            firsts.append(at)
            mbs.append(mb)
            if (mbit, latency) == FAST_LINK:
                returning.append(link_returning_visit(playwright, base, profile))
        browser.close()
        server.shutdown()
        results[str(link)] = (floors, firsts, mbs, returning)
    return results


def print_links(links: dict) -> None:
    print(f"\n## Over a modelled link: first visit to /{LINK_PAGE}, Check clicked once the page has loaded "
          f"({LINK_RUNS} runs)\n")
    print("| link | floor: bare Pyodide ready (s) | verdict (s) | verdict / floor | MB fetched | "
          "returning visitor ready (s) | targets (20 Mbit/s) |")
    print("|---|---|---|---|---|---|---|")
    for label, (floors, firsts, mbs, returning) in links.items():
        floor, first, mb = statistics.median(floors), statistics.median(firsts), statistics.median(mbs)
        ratio = first / floor
        ret = f"{statistics.median(returning) / 1000:.2f} (worst {max(returning) / 1000:.2f})" if returning else "n/a"
        targets = ""
        if returning:  # the fast link
            targets = (f"verdict <= 1.6x floor: {_met(ratio <= 1.6)}; <= 8 MB: {_met(max(mbs) <= 8)}; "
                       f"returning <= 1.0 s: {_met(max(returning) <= 1000)}")
        print(f"| {label} | {floor / 1000:.2f} | {first / 1000:.2f} | {ratio:.2f} | {mb:.2f} | {ret} | {targets} |")


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an existing build (default: build one)")
    parser.add_argument("--links-only", action="store_true", help="only item 6, the modelled links")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site = tmp / "site"
        if args.site:
            shutil.copytree(args.site, site)
        else:
            _build(site)
        (site / "bench-baseline.html").write_text(BASELINE_HTML)
        (site / "bench-baseline-worker.mjs").write_text(BASELINE_WORKER)
        if args.links_only:
            with sync_playwright() as p:
                print_links(over_links(p, site, tmp))
            return
        server = serve(str(site), 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
            firsts, since_navigation, bytes_first, baselines = [], [], [], []
            for _ in range(RUNS):  # interleaved, so that both see the same machine load
                baselines.append(baseline_boot(browser, base))
                ms, at, kb = first_feedback(browser, base)
                firsts.append(ms)
                since_navigation.append(at)
                bytes_first.append(kb)
            number = lp.get("bce.grad")
            p0 = number.generate(0)
            number_answers = [number.solution(p0).answer, "0.5", "-0.7311", "abc"]
            code = lp.get("stability.bce_code")
            c0 = code.generate(0)
            code_answers = [code.solution(c0).answer, c0.answer.starter]
            number_times = check_latencies(browser, base, "losses/bce/", "bce.grad", number_answers)
            code_times = check_latencies(browser, base, "losses/bce/", "stability.bce_code", code_answers)
            course = {size: course_answer_latencies(browser, base, size) for size in COURSE_SIZES}
            reads = {path: read_only_bytes(browser, base, path)
                     for path in ("losses/bce/", "losses/cross-entropy/", "guides/stability/")}
            browser.close()
            returning = [returning_visit(p, base, tmp / f"profile{i}") for i in range(3)]
            server.shutdown()
            links = over_links(p, site, tmp)

    b = statistics.median(baselines)
    f = statistics.median(firsts)
    print(f"\n## First feedback, fresh profile ({RUNS} runs; Check clicked as soon as the page is there)\n")
    print("| measurement | runs (s) | median (s) | ratio to baseline | target |")
    print("|---|---|---|---|---|")
    print(f"| bare Pyodide boot in a worker (baseline) | {', '.join(f'{t / 1000:.2f}' for t in baselines)} | "
          f"{b / 1000:.2f} | 1.00 | |")
    print(f"| click on Check to verdict | {', '.join(f'{t / 1000:.2f}' for t in firsts)} | {f / 1000:.2f} | "
          f"{f / b:.2f} | <= 4 s: {'met' if max(firsts) <= 4000 else 'MISSED'} (worst run {max(firsts) / 1000:.2f} s) |")
    n = statistics.median(since_navigation)
    print(f"| navigation to that verdict | {', '.join(f'{t / 1000:.2f}' for t in since_navigation)} | {n / 1000:.2f} | "
          f"{n / b:.2f} | |")

    print(f"\n## Check latency once Python is ready ({CHECKS} checks each)\n")
    print("| exercise | median (ms) | p95 (ms) | max (ms) | target |")
    print("|---|---|---|---|---|")
    for label, times in (("bce.grad (number)", number_times), ("stability.bce_code (code, hidden tests)", code_times)):
        p95 = _percentile(times, 95)
        print(f"| {label} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.1f} | "
              f"p95 <= 100 ms: {'met' if p95 <= 100 else 'MISSED'} |")

    print("\n## Returning visitor (persistent profile, second visit; 3 profiles)\n")
    print("| measurement | runs (s) | median (s) | ratio to first-visit baseline boot | target |")
    print("|---|---|---|---|---|")
    for label, values, target in (("navigation to Python ready", [r[0] for r in returning], 2500),
                                  ("of which: navigation to worker start", [r[1] for r in returning], None),
                                  ("of which: Pyodide's own start in the worker", [r[2] for r in returning], None)):
        m = statistics.median(values)
        verdict = "" if target is None else f"<= {target / 1000} s: {'met' if max(values) <= target else 'MISSED'}"
        print(f"| {label} | {', '.join(f'{t / 1000:.2f}' for t in values)} | {m / 1000:.2f} | {m / b:.2f} | {verdict} |")

    print(f"\n## The course: Check to answer saved and session scored again ({COURSE_ANSWERS} answers each)\n")
    print("| saved answers before | median (ms) | p95 (ms) | max (ms) | ratio to a plain check (median) |")
    print("|---|---|---|---|---|")
    plain = statistics.median(number_times)
    for size, times in course.items():
        print(f"| {size} | {statistics.median(times):.1f} | {_percentile(times, 95):.1f} | {max(times):.1f} | "
              f"{statistics.median(times) / plain:.1f} |")

    print("\n## Bytes transferred (gzipped as served)\n")
    print("| visit | requests | KB | Python downloaded |")
    print("|---|---|---|---|")
    print(f"| /practice/session-0/, navigation to first verdict (median of {RUNS}) | | {statistics.median(bytes_first):.0f} | yes |")
    for path, (kb, n, python) in reads.items():
        print(f"| /{path} only read (no scroll, 5 s idle) | {n} | {kb:.1f} | {'YES' if python else 'no'} |")
    print_links(links)

if __name__ == "__main__":
    main()
