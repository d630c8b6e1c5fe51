"""Exercises in Debian's Chromium: what a learner does with them, checked against lossref.practice.

Every expected verdict, hint and solution here is computed by the Python engine itself, so the
tests show that the page, the worker and Pyodide give the learner what the engine says.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

import lossref.practice as lp
from lossref.practice._core import fmt_number
from lossref.practice._sessions import session_of

ROOT = Path(__file__).resolve().parents[2]
BOOT = 60_000  # ms: the first check waits for Python to start (a few seconds on a laptop)


FIRST_PRACTICE_PAGE = "practice/session-0/"


def practice_page(exercise_id):
    """The practice page that holds an exercise: its session's."""
    return f"practice/session-{session_of(lp.get(exercise_id))}/"


def exercise(page, exercise_id):
    return page.locator(f'lossref-exercise[exercise="{exercise_id}"]')


def answer_field(ex):
    return ex.get_by_label("Answer", exact=True)


def wait_idle(ex, timeout=BOOT):
    """Until the element's request (and Python's start, the first time) has finished."""
    ex.page.wait_for_function("el => !el.hasAttribute('aria-busy')", arg=ex.element_handle(), timeout=timeout)


def check(ex, answer, timeout=BOOT):
    answer_field(ex).fill(answer)
    ex.get_by_role("button", name="Check").click()
    wait_idle(ex, timeout)
    return ex.get_by_role("status")


def problem_of(ex):
    """The Python problem an element shows, from its exercise id and seed (once it is set up: a
    built exercise is, when it comes near the viewport)."""
    expect(ex).to_have_attribute("data-seed", re.compile(r"^\d+$"))
    return lp.get(ex.get_attribute("data-exercise")).generate(int(ex.get_attribute("data-seed")))


# ----------------------------------------------------------------------------------- checking
def test_a_wrong_answer_gets_its_diagnosis(page, base_url):
    page.goto(base_url + "losses/bce/")
    ex = exercise(page, "bce.grad")
    ex.scroll_into_view_if_needed()
    problem = problem_of(ex)
    assert problem.params == lp.get("bce.grad").generate(0).params, "the page's first problem is seed 0"
    flipped = next(m for m in lp.get("bce.grad").mistakes(problem.params) if m.id == "sign_flipped")
    status = check(ex, fmt_number(flipped.value))
    expect(status).to_have_attribute("data-mistake", "sign_flipped")
    expect(status).to_contain_text("Not correct.")
    expect(status).to_contain_text(flipped.message[:30])  # the engine's own words
    assert not page.errors, page.errors


def test_the_verdict_is_said_once(page, base_url):
    page.goto(base_url + "losses/bce/")
    ex = exercise(page, "bce.grad")
    ex.scroll_into_view_if_needed()
    problem = problem_of(ex)
    engine = lp.get("bce.grad")
    wrong = 5.0  # not a catalogued mistake, and the wrong sign: the engine's generic message
    verdict = engine.check(problem, str(wrong))
    assert (verdict.lead, verdict.detail) == ("Not correct.", "The sign is wrong too. Ask for a hint.")
    status = check(ex, str(wrong))
    expect(status).to_have_text("Not correct. The sign is wrong too. Ask for a hint.")
    expect(status.locator("strong")).to_have_text("Not correct.")  # the lead, in bold
    status = check(ex, engine.solution(problem).answer)
    expect(status).to_have_text("Correct.")


def test_a_hint_after_a_wrong_answer_keeps_the_verdict_and_its_diagnosis(page, base_url):
    page.goto(base_url + "losses/bce/")
    ex = exercise(page, "bce.grad")
    ex.scroll_into_view_if_needed()
    problem = problem_of(ex)
    engine = lp.get("bce.grad")
    flipped = next(m for m in engine.mistakes(problem.params) if m.id == "sign_flipped")
    hints = engine.hints(problem)
    status = check(ex, fmt_number(flipped.value))
    ex.get_by_role("button", name="Hint").click()
    expect(ex.locator(".lossref-ex__hints li")).to_have_count(1)
    # What the learner sees after Check (wrong) then Hint: the verdict, its diagnosis, and a line
    # saying where the hint is; the hint itself below.
    expect(status).to_have_text(f"Not correct. {flipped.message} Hint 1 of {len(hints)} is shown below.")
    expect(status).to_have_attribute("data-tone", "wrong")
    expect(status).to_have_attribute("data-mistake", "sign_flipped")
    ex.get_by_role("button", name="Hint").click()
    expect(status).to_have_text(f"Not correct. {flipped.message} Hint 2 of {len(hints)} is shown below.")
    # A check after the hints gives a new verdict, alone.
    status = check(ex, engine.solution(problem).answer)
    expect(status).to_have_text("Correct.")

def test_the_solutions_answer_is_accepted(page, base_url):
    page.goto(base_url + practice_page("cross_entropy.grad"))
    ex = exercise(page, "cross_entropy.grad")
    ex.scroll_into_view_if_needed()
    ex.get_by_role("button", name="Show solution").click()
    wait_idle(ex)
    solution = lp.get("cross_entropy.grad").solution(problem_of(ex))
    expect(ex.locator(".lossref-ex__solution")).to_be_visible()
    expect(ex.locator(".lossref-ex__final")).to_contain_text(solution.answer)
    status = check(ex, solution.answer)
    expect(status).to_have_attribute("data-tone", "correct")
    expect(status).to_contain_text("Correct.")


def test_choices_are_radio_buttons_and_checked(page, base_url):
    page.goto(base_url + practice_page("bce.choose_logits"))
    ex = exercise(page, "bce.choose_logits")
    ex.scroll_into_view_if_needed()
    problem = problem_of(ex)
    right = lp.get("bce.choose_logits").solution(problem).answer
    group = ex.get_by_role("group", name="Answer")
    assert group.get_by_role("radio").count() == len(problem.answer.choices)
    wrong = next(key for key, _ in problem.answer.choices if key != right)
    group.locator(f'input[value="{wrong}"]').check()
    ex.get_by_role("button", name="Check").click()
    wait_idle(ex)
    expect(ex.get_by_role("status")).to_have_attribute("data-tone", "wrong")
    group.locator(f'input[value="{right}"]').check()
    ex.get_by_role("button", name="Check").click()
    wait_idle(ex)
    expect(ex.get_by_role("status")).to_have_attribute("data-tone", "correct")


def test_hints_appear_one_at_a_time(page, base_url):
    page.goto(base_url + practice_page("huber.grad"))
    ex = exercise(page, "huber.grad")
    ex.scroll_into_view_if_needed()
    hints = lp.get("huber.grad").hints(problem_of(ex))
    ex.get_by_role("button", name="Hint").click()
    wait_idle(ex)
    expect(ex.locator(".lossref-ex__hints li")).to_have_count(1)
    expect(ex.get_by_role("status")).to_contain_text(f"Hint 1 of {len(hints)}")
    words = hints[0].split("$")[0].strip()  # the hint's opening words, before any math
    if words:
        expect(ex.locator(".lossref-ex__hints li").first).to_contain_text(words)
    ex.get_by_role("button", name="Hint").click()
    expect(ex.locator(".lossref-ex__hints li")).to_have_count(2)


def test_new_problem_changes_the_parameters(page, base_url):
    page.goto(base_url + practice_page("mse.value"))
    ex = exercise(page, "mse.value")
    ex.scroll_into_view_if_needed()
    before = problem_of(ex)
    statement = ex.locator(".lossref-ex__statement").inner_text()
    ex.get_by_role("button", name="New problem").click()
    wait_idle(ex)
    expect(ex.get_by_role("status")).to_contain_text("new problem")
    after = problem_of(ex)
    assert after.params != before.params
    assert ex.locator(".lossref-ex__statement").inner_text() != statement
    # ...and the new problem is the one checked: its own answer is right.
    status = check(ex, lp.get("mse.value").solution(after).answer)
    expect(status).to_have_attribute("data-tone", "correct")


def test_changing_an_exercises_attributes_loads_the_problem_they_name(page, base_url):
    page.goto(base_url + practice_page("mse.value"))
    exercise(page, "mse.value").evaluate("el => { el.id = 'probe'; }")
    ex = page.locator("#probe")
    ex.scroll_into_view_if_needed()
    expect(ex).to_have_attribute("data-seed", "0")
    ex.evaluate("el => el.setAttribute('seed', '5')")
    expect(ex).to_have_attribute("data-seed", "5", timeout=BOOT)
    assert problem_of(ex).params == lp.get("mse.value").generate(5).params
    # Two attributes changed at once name one problem: that one is shown, and checked.
    ex.evaluate("el => { el.setAttribute('exercise', 'huber.grad'); el.setAttribute('seed', '3'); }")
    expect(ex).to_have_attribute("data-exercise", "huber.grad", timeout=BOOT)
    expect(ex).to_have_attribute("data-seed", "3")
    wait_idle(ex)
    status = check(ex, lp.get("huber.grad").solution(lp.get("huber.grad").generate(3)).answer)
    expect(status).to_have_attribute("data-tone", "correct")
    # A skill instead of an exercise, and no seed: the skill's first exercise at seed 0.
    ex.evaluate("el => { el.removeAttribute('exercise'); el.removeAttribute('seed'); el.setAttribute('skill', 'bce.grad'); }")
    expect(ex).to_have_attribute("data-exercise", lp.exercises("bce.grad")[0].id, timeout=BOOT)
    expect(ex).to_have_attribute("data-seed", "0")
    assert not page.errors, page.errors


def test_an_exercise_that_leaves_the_page_stops_listening_and_one_moved_keeps_working(page, base_url):
    page.goto(base_url + practice_page("mse.value"))
    ex = exercise(page, "mse.value")
    ex.scroll_into_view_if_needed()
    # A state the worker's client announces reaches the elements on the page, and only those.
    announce = """(el, state) => {
        el.practice.dispatchEvent(new CustomEvent("state", {detail: {state, error: "a probe"}}));
        return el.dataset.engine ?? null;
    }"""
    restore = "el => el.practice.dispatchEvent(new CustomEvent('state', {detail: {state: el.practice.state}}))"
    handle = ex.element_handle()
    handle.evaluate("el => el.remove()")
    assert handle.evaluate(announce, "failed") != "failed", "a removed element still listens to the worker"
    handle.evaluate(restore)
    handle.evaluate("el => document.querySelector('lossref-exercise').before(el)")  # back, elsewhere
    assert handle.evaluate(announce, "failed") == "failed", "a moved element no longer listens to the worker"
    handle.evaluate(restore)
    moved = page.locator("lossref-exercise").first
    assert moved.get_attribute("exercise") == "mse.value"
    status = check(moved, lp.get("mse.value").solution(problem_of(moved)).answer)
    expect(status).to_have_attribute("data-tone", "correct")


def test_a_timeout_that_is_not_the_learners_code_is_not_blamed_on_it(page, base_url):
    page.goto(base_url + practice_page("mse.value"))
    ex = exercise(page, "mse.value")
    ex.scroll_into_view_if_needed()
    page.wait_for_function("el => el.dataset.engine === 'ready'", arg=ex.element_handle(), timeout=BOOT)
    limits = ex.evaluate("el => ({...el.practice.limits})")
    assert limits["code"] == 5000, "a learner's code is stopped after 5 s"
    assert limits["scoring"] > limits["content"] > limits["code"]
    ex.evaluate("el => { el.practice.limits.content = 1; }")  # the next problem cannot be made in 1 ms
    ex.get_by_role("button", name="New problem").click()
    status = ex.get_by_role("status")
    expect(status).to_contain_text("Python took more than 0.001 s and was stopped.", timeout=BOOT)
    expect(status).not_to_contain_text("code")
    ex.evaluate("(el, ms) => { el.practice.limits.content = ms; }", limits["content"])
    ex.get_by_role("button", name="New problem").click()  # a fresh Python makes it
    expect(status).to_contain_text("A new problem is shown.", timeout=BOOT)


def test_seed_in_the_address_fixes_the_problems(page, base_url):
    page.goto(base_url + practice_page("kl.soft_target") + "?seed=7")
    ex = exercise(page, "kl.soft_target")
    ex.scroll_into_view_if_needed()
    expect(ex).to_have_attribute("data-seed", "7", timeout=BOOT)
    problem = lp.get("kl.soft_target").generate(7)
    assert problem_of(ex).params == problem.params
    ex.get_by_role("button", name="New problem").click()
    expect(ex).to_have_attribute("data-seed", "8", timeout=BOOT)


# ----------------------------------------------------------------------------------- code
def test_an_endless_loop_is_stopped_and_python_comes_back(page, base_url):
    page.goto(base_url + "guides/stability/")
    ex = exercise(page, "stability.bce_code")
    ex.scroll_into_view_if_needed()
    editor = ex.get_by_role("textbox", name="Answer")
    expect(editor).to_have_attribute("contenteditable", "true", timeout=20_000)  # CodeMirror has loaded

    def write(code):
        editor.click()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.press("Delete")
        page.keyboard.insert_text(code)

    write("def bce_with_logits(y, z):\n    while True:\n        pass\n")
    ex.get_by_role("button", name="Check").click()
    status = ex.get_by_role("status")
    # Python's start (first check) plus the 5 s limit; the loop must be stopped within 10 s of it.
    expect(status).to_contain_text("was stopped", timeout=BOOT)
    assert page.evaluate("1 + 1") == 2  # the page itself never stopped responding
    solution = lp.get("stability.bce_code").solution(problem_of(ex)).answer
    write(solution)
    ex.get_by_role("button", name="Check").click()
    expect(status).to_have_attribute("data-tone", "correct", timeout=BOOT)
    # The starter code overflows at the hidden tests' extreme logits, and the message names the case.
    write(lp.get("stability.bce_code").generate(0).answer.starter)
    ex.get_by_role("button", name="Check").click()
    expect(status).to_have_attribute("data-tone", "wrong", timeout=BOOT)
    expect(status).to_contain_text("z = ")


def test_endless_loop_timing(page, base_url):
    """Once Python is ready, a loop is stopped 5 s after the check, well within 10 s."""
    page.goto(base_url + "guides/stability/")
    ex = exercise(page, "stability.logsumexp_code")
    ex.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('lossref-exercise').dataset.engine === 'ready'", timeout=BOOT)
    editor = ex.get_by_role("textbox", name="Answer")
    expect(editor).to_have_attribute("contenteditable", "true", timeout=20_000)
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text("def logsumexp(z):\n    while True:\n        pass\n")
    started = page.evaluate("performance.now()")
    ex.get_by_role("button", name="Check").click()
    expect(ex.get_by_role("status")).to_contain_text("Your code ran for more than 5 s and was stopped.", timeout=10_000)
    elapsed = page.evaluate("performance.now()") - started
    assert 5000 <= elapsed < 10_000, elapsed


# ----------------------------------------------------------------------------------- keyboard
def _tab_to(page, predicate_js, limit=400):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_the_whole_flow_works_with_the_keyboard(page, base_url):
    page.goto(base_url + FIRST_PRACTICE_PAGE)
    first = page.locator("lossref-exercise").first
    exercise_id = first.get_attribute("exercise")
    problem = lp.get(exercise_id).generate(0)
    _tab_to(page, "document.activeElement.closest('lossref-exercise') !== null")
    assert page.evaluate("document.activeElement.id") == answer_field(first).get_attribute("id")
    page.keyboard.type("12345")
    page.keyboard.press("Enter")  # the answer field submits
    wait_idle(first)
    expect(first.get_by_role("status")).to_have_attribute("data-tone", "wrong")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hint"
    page.keyboard.press("Enter")
    expect(first.locator(".lossref-ex__hints li")).to_have_count(1)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Show solution"
    page.keyboard.press("Space")
    expect(first.locator(".lossref-ex__solution")).to_be_visible()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == answer_field(first).get_attribute("id")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(lp.get(exercise_id).solution(problem).answer)
    page.keyboard.press("Enter")
    wait_idle(first)
    expect(first.get_by_role("status")).to_have_attribute("data-tone", "correct")
    for _ in range(4):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "New problem"
    page.keyboard.press("Enter")
    wait_idle(first)
    expect(first).not_to_have_attribute("data-seed", "0")


def test_tab_leaves_the_code_editor(page, base_url):
    page.goto(base_url + "guides/stability/")
    ex = exercise(page, "stability.bce_code")
    ex.scroll_into_view_if_needed()
    editor = ex.get_by_role("textbox", name="Answer")
    expect(editor).to_have_attribute("contenteditable", "true", timeout=20_000)
    before = editor.inner_text()
    editor.click()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check"
    assert editor.inner_text() == before, "Tab typed into the editor instead of leaving it"


# ----------------------------------------------------------------------------------- loading
def test_only_the_site_is_contacted(page, base_url):
    page.goto(base_url + practice_page("prereq.softmax"))
    ex = exercise(page, "prereq.softmax")
    ex.scroll_into_view_if_needed()
    check(ex, "0.1, 0.2, 0.7")
    assert any("/pyodide/pyodide.asm.wasm" in url for url in page.requests), "Python was not loaded"
    assert any(url.endswith(".whl") for url in page.requests), "the lossref wheel was not loaded"
    assert page.hosts() == {"127.0.0.1"}, sorted(u for u in page.requests if "127.0.0.1" not in u)
    assert not page.errors, page.errors


def test_a_page_that_is_only_read_does_not_load_python(page, base_url):
    page.goto(base_url + "losses/huber/", wait_until="networkidle")
    page.wait_for_timeout(3000)  # idle, but the exercises are far below the fold
    assert not [url for url in page.requests if "/pyodide/" in url or "worker" in url]
    assert not [url for url in page.requests if "editor" in url]
    assert page.locator("lossref-exercise .lossref-ex__statement .katex").first.count() == 1, \
        "the first problem is not readable before Python starts"


def test_a_returning_visitor_gets_python_as_the_page_loads(page, base_url):
    page.goto(base_url + FIRST_PRACTICE_PAGE)
    page.wait_for_function("document.querySelector('lossref-exercise').dataset.engine === 'ready'", timeout=BOOT)
    # The exercises of the Huber page are far below the fold: a first visit would load no Python
    # there (test above), a visitor who has used the exercises gets it started at once.
    page.goto(base_url + "losses/huber/")
    page.wait_for_function("performance.getEntriesByName('lossref-practice:worker-start').length === 1", timeout=5000)
    ex = page.locator("lossref-exercise").first
    page.wait_for_function("el => el.dataset.engine === 'ready'", arg=ex.element_handle(), timeout=BOOT)
    assert page.evaluate("window.scrollY") == 0


def test_python_boots_when_idle_without_long_tasks(page, base_url):
    page.add_init_script("""
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
        }).observe({ type: "longtask", buffered: true });
    """)
    page.goto(base_url + FIRST_PRACTICE_PAGE)
    page.wait_for_function("document.querySelector('lossref-exercise').dataset.engine === 'booting'", timeout=10_000)
    booting = page.evaluate("performance.now()")
    page.wait_for_function("document.querySelector('lossref-exercise').dataset.engine === 'ready'", timeout=BOOT)
    ready = page.evaluate("performance.now()")
    tasks = page.evaluate("window.__longTasks")
    during = [duration for start, duration in tasks if start + duration >= booting and start <= ready]
    assert not [d for d in during if d > 200], f"main-thread tasks over 200 ms while Python booted: {during}"
    assert ready - booting > 200, "Python was ready suspiciously fast"


@pytest.mark.parametrize("path", ["practice/session-10/", "losses/cross-entropy/", "guides/stability/"])
def test_no_serious_accessibility_violations(page, base_url, path):
    page.goto(base_url + path)
    ex = page.locator("lossref-exercise").first
    ex.scroll_into_view_if_needed()
    page.read_through()
    if ex.get_by_label("Answer", exact=True).count():
        check(ex, "1")  # feedback shown, so that it is audited too
    page.add_script_tag(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, json.dumps(serious, indent=1)


# ----------------------------------------------------------------------------------- embedding
def test_another_site_embeds_an_exercise(browser, built_site, serve, csp, tmp_path):
    """What the README tells other sites to do: one script from this site, then the element; the
    embedding page has the Content-Security-Policy the README says it needs (and this site its own)."""
    reports = []  # violation reports of both sites
    lossref_url = serve(built_site, cors=True, csp=csp, reports=reports)
    lossref = lossref_url.rstrip("/")
    # The worker is a blob: stub whose static import of the real worker is fetched as a worker
    # script (worker-src), Pyodide's modules are imported (script-src) and its files fetched.
    embedder_policy = (f"default-src 'self'; script-src 'self' {lossref} 'wasm-unsafe-eval'; "
                       f"worker-src blob: {lossref}; connect-src {lossref}; "
                       f"style-src 'self' {lossref} 'unsafe-inline'; font-src {lossref}")
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text(textwrap.dedent(f"""\
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Our course</title>
        <script type="module" src="{lossref_url}assets/practice/exercise.js"></script></head>
        <body><main><h1>Binary cross-entropy</h1>
        <lossref-exercise skill="bce.grad"></lossref-exercise>
        </main></body></html>
        """))
    other_url = serve(other, csp=embedder_policy, reports=reports)
    assert urlsplit(other_url).port != urlsplit(lossref_url).port  # another origin
    context = browser.new_context()
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(other_url)
    ex = page.locator("lossref-exercise")
    expect(ex).to_have_attribute("data-seed", "0", timeout=BOOT)
    problem = problem_of(ex)
    assert ex.get_attribute("data-exercise") in [e.id for e in lp.exercises("bce.grad")]
    expect(ex.locator(".lossref-ex__statement .katex").first).to_be_visible()
    status = check(ex, lp.get(ex.get_attribute("data-exercise")).solution(problem).answer)
    expect(status).to_have_attribute("data-tone", "correct")
    assert page.evaluate("getComputedStyle(document.querySelector('.lossref-ex')).borderLeftStyle") == "solid", \
        "the widget's stylesheet did not come with the script"
    # Every request goes to 127.0.0.1, but for the worker's same-origin stub (a blob: URL).
    assert {urlsplit(url).hostname for url in requests if not url.startswith("blob:")} == {"127.0.0.1"}
    assert not errors, errors
    context.close()
    assert reports == [], reports
