// <lossref-exercise exercise="bce.grad"></lossref-exercise>, or skill="bce.grad" for any exercise
// of a skill: a practice problem with an answer field, "Check", "Hint", "Show solution" and
// "New problem", and feedback in a role="status" region.
//
// The page itself never runs Python. Problems are made and answers checked by lossref.practice
// in a module worker (worker.js), which boots Pyodide on the first interaction with an exercise,
// or once the page is idle and an exercise is near the viewport; for a visitor who has used
// the exercises before, as the page loads. On this site each element comes with its first
// problem rendered at build time, so it can be read before Python has started.
//
// `?seed=N` in the page's address fixes every problem on the page; "New problem" then steps
// through N+1, N+2, ... so that a sequence of problems can be shared too.
//
// Each checked answer is announced with a bubbling "lossref-verdict" event: {exercise, skill,
// seed, hash, correct, mistake, hinted, solutionShown}; a shown solution with "lossref-reveal":
// {exercise, skill, seed, hash}. A `seed="N"` attribute fixes the element's problem, and a
// `course` attribute hides "New problem" (the course picks the problems). Changing `exercise`,
// `skill` or `seed` later loads the problem they now name.
import { PracticeClient, TimeoutError } from "./client.js";

// Set by the site build: "" serves Pyodide from this site, else the CDN's address; the sha256 of
// the Python snapshot next to the lock file.
/* global PYODIDE_INDEX_URL, PYODIDE_SNAPSHOT_SHA256 */
const HERE = import.meta.url;
const INDEX_URL = PYODIDE_INDEX_URL || new URL("../../pyodide/", HERE).href;

let sharedClient = null;
/** The page's one practice worker. */
export function practiceClient() {
  if (sharedClient === null) {
    sharedClient = new PracticeClient({
      workerURL: new URL("./worker.js", HERE),
      indexURL: INDEX_URL,
      lockFileURL: new URL("../../pyodide/pyodide-lock.json", HERE),
      snapshotURL: new URL("../../pyodide/python-snapshot.bin.gz", HERE),
      snapshotSHA256: PYODIDE_SNAPSHOT_SHA256,
    });
    sharedClient.addEventListener("state", ({ detail }) => detail.state === "ready" && rememberPython());
  }
  return sharedClient;
}

let stylesheetsChecked = false;
/** Stylesheets an embedding page may not have: the widget's own and KaTeX's (checked once). */
function ensureStylesheets() {
  if (stylesheetsChecked) return;
  stylesheetsChecked = true;
  for (const href of [new URL("./exercise.css", HERE).href, new URL("../katex/katex.min.css", HERE).href]) {
    const present = [...document.querySelectorAll("link[rel=stylesheet]")].some((link) => link.href === href);
    if (!present) {
      const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
      document.head.append(link);
    }
  }
}

/** The page's `?seed=N`, or null. */
function pageSeed() {
  const raw = new URLSearchParams(location.search).get("seed");
  return raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

function randomSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0] % 1e9;
}

let catalogue = null;
/** Every exercise's {id, skill, kind, title, hash}, asked of the worker once per page. */
async function exercisesOfSkill(skill) {
  catalogue ??= practiceClient().request({ op: "catalogue" }).then((reply) => reply.exercises, (err) => {
    catalogue = null; // ask again next time (a fresh worker may do better)
    throw err;
  });
  const ids = (await catalogue).filter((ex) => ex.skill === skill).map((ex) => ex.id);
  if (ids.length === 0) throw new Error(`no exercise trains the skill "${skill}"`);
  return ids;
}

let uid = 0;
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

// A visitor whose browser has run the exercises before has Python's files in its cache.
const RETURNING_KEY = "lossref-practice:python-started";
function isReturning() {
  try {
    return localStorage.getItem(RETURNING_KEY) !== null;
  } catch {
    return false; // storage disabled: treat as a first visit
  }
}
function rememberPython() {
  try {
    localStorage.setItem(RETURNING_KEY, new Date().toISOString());
  } catch {
    // storage disabled or full: the next visit waits for idle time, nothing worse
  }
}

// On a first visit, Python boots once an exercise is within a screen or two and the browser is
// idle: a page read without reaching its exercises downloads no Python.
const idleBoot = new IntersectionObserver((entries) => {
  if (!entries.some((entry) => entry.isIntersecting)) return;
  idleBoot.disconnect();
  const boot = () => practiceClient().start();
  if ("requestIdleCallback" in window) requestIdleCallback(boot, { timeout: 4000 });
  else setTimeout(boot, 1000);
}, { rootMargin: "800px 0px" });

// An exercise the build rendered (a static page) is set up, its answer field and buttons made,
// once it comes within two screens of the viewport; until then it shows the statement as built.
// Form controls cost more than their own layout: Chromium's autofill looks at every new one, and
// to see whether a control is visible it lays out the section around it even when that section
// is off screen (content-visibility skipped), so setting up all the exercises of a long page at
// once lays the whole page out, in one long task.
const nearViewport = new IntersectionObserver((entries) => {
  for (const { target, isIntersecting } of entries) {
    if (!isIntersecting) continue;
    nearViewport.unobserve(target);
    if (target.isConnected && !target.ui) target.setUp();
  }
}, { rootMargin: "200% 0px" });

export class LossrefExercise extends HTMLElement {
  // A change of these after the element is set up loads the problem they name.
  static observedAttributes = ["exercise", "skill", "seed"];

  /** The page's practice worker client: its state, boot time and restarts. */
  get practice() {
    return practiceClient();
  }

  connectedCallback() {
    // What this element listens to on shared objects (the client, the document) is added here and
    // removed when it leaves the page: the course makes a new element per problem, and an element
    // moved in the page is disconnected and connected again.
    this.connection = new AbortController();
    const { signal } = this.connection;
    // The script is async: it may run while the page is still being parsed, when an element's
    // first problem (its children) has not arrived yet.
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", () => this.connect(signal), { once: true, signal });
      return;
    }
    this.connect(signal);
  }

  disconnectedCallback() {
    this.connection?.abort();
    this.connection = null;
    idleBoot.unobserve(this);
    nearViewport.unobserve(this);
  }

  attributeChangedCallback(name, oldValue, newValue) {
    // Before set-up the attributes are read by connect(); after it, a change names a new problem.
    // Attributes changed together (exercise and seed) load one problem, once they are all set.
    if (!this.ui || oldValue === newValue || this.reloadQueued) return;
    this.reloadQueued = true;
    queueMicrotask(() => {
      this.reloadQueued = false;
      this.readAttributes();
      if (this.isConnected) this.loadProblem(this.seed);
      else this.stale = true; // loaded when it is connected again
    });
  }

  connect(signal) {
    const client = practiceClient();
    if (!this.ui) {
      if (this.builtBox()) nearViewport.observe(this);
      else this.setUp();
    } else if (this.stale) {
      this.stale = false;
      this.loadProblem(this.seed);
    } else if (this.waitsForIdle && client.state === "idle") {
      idleBoot.observe(this);
    }
    client.addEventListener("state", (event) => this.onWorkerState(event.detail), { signal });
    this.showWorkerState();
  }

  showWorkerState() {
    const client = practiceClient();
    if (client.state !== "idle") this.onWorkerState({ state: client.state, seconds: client.bootSeconds, error: client.error });
  }

  setUp() {
    ensureStylesheets();
    const data = this.querySelector("script.lossref-ex__problem");
    const initial = data ? JSON.parse(data.textContent) : null;
    // The box rendered at build time stays, its title and statement as they are (no second parse
    // of the math, and a reader's place on the page is kept: what scrolling anchors to stays).
    const built = this.builtBox();
    if (built) built.querySelectorAll(":scope > .lossref-ex__noscript, :scope > script").forEach((node) => node.remove());
    else this.replaceChildren();
    this.build(built);
    this.readAttributes();
    // In the course, the course chooses the next problem: no "New problem" button.
    this.ui.next.hidden = this.hasAttribute("course");
    this.addEventListener("focusin", () => practiceClient().start(), { once: true });
    this.addEventListener("pointerdown", () => practiceClient().start(), { once: true });
    this.showWorkerState();
    if (initial && built && this.names(initial.problem)) {
      this.show(initial);
      this.waitsForIdle = !navigator.connection?.saveData;
      if (this.waitsForIdle) idleBoot.observe(this);
    } else {
      this.loadProblem(this.seed); // needs Python now: an embedding page, or ?seed=N
    }
  }

  /** The exercise's box as the build rendered it (title, statement, first problem), or null. */
  builtBox() {
    return this.querySelector(":scope > section.lossref-ex");
  }

  /** Whether the attributes name this problem (the one rendered at build time, say). */
  names(problem) {
    return problem.seed === this.seed && (this.exerciseIds ? this.exerciseIds.includes(problem.exercise) : problem.skill === this.skill);
  }

  /** The problem the attributes name: `exercise` (or any exercise of `skill`) and `seed`. */
  readAttributes() {
    this.skill = this.getAttribute("skill");
    this.exerciseIds = this.getAttribute("exercise") ? [this.getAttribute("exercise")] : null;
    // A `seed` attribute fixes this element's problem (the course picks problems that way);
    // otherwise the page's ?seed=N, if any.
    const ownSeed = this.getAttribute("seed");
    this.fixedSeed = ownSeed !== null && /^\d{1,9}$/.test(ownSeed) ? Number(ownSeed) : pageSeed();
    this.seed = this.fixedSeed ?? 0;
  }

  /** The answer field, buttons and feedback, in the box the build rendered (if any). */
  build(built) {
    const id = `lossref-ex-${++uid}`;
    this.ids = { title: `${id}-title`, answer: `${id}-answer`, instructions: `${id}-instructions` };
    const button = (text, onClick) => {
      const b = el("button", { type: "button", className: "lossref-ex__button", textContent: text });
      b.addEventListener("click", onClick);
      return b;
    };
    this.ui = {
      title: built?.querySelector(".lossref-ex__title") ?? el("p", { className: "lossref-ex__title" }),
      statement: built?.querySelector(".lossref-ex__statement") ?? el("div", { className: "lossref-ex__statement" }),
      answer: el("div", { className: "lossref-ex__answer" }),
      instructions: el("p", { className: "lossref-ex__instructions", id: this.ids.instructions }),
      check: el("button", { type: "submit", className: "lossref-ex__button lossref-ex__button--primary", textContent: "Check" }),
      hint: button("Hint", () => this.nextHint()),
      solution: button("Show solution", () => this.showSolution()),
      next: button("New problem", () => this.newProblem()),
      feedback: el("div", { className: "lossref-ex__feedback" }),
      hints: el("ol", { className: "lossref-ex__hints", hidden: true }),
      worked: el("div", { className: "lossref-ex__solution", hidden: true }),
      engine: el("p", { className: "lossref-ex__engine" }),
    };
    this.ui.feedback.setAttribute("role", "status");
    const form = el("form", { className: "lossref-ex__form", noValidate: true },
      this.ui.answer, this.ui.instructions,
      el("div", { className: "lossref-ex__buttons" }, this.ui.check, this.ui.hint, this.ui.solution, this.ui.next));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.check(); });
    this.ui.title.id = this.ids.title;
    const box = built ?? el("section", { className: "lossref-ex" }, this.ui.title, this.ui.statement);
    box.append(form, this.ui.feedback, this.ui.hints, this.ui.worked, this.ui.engine);
    box.setAttribute("aria-labelledby", this.ids.title);
    if (!built) this.append(box);
  }

  // ------------------------------------------------------------------------------ problems
  async loadProblem(seed) {
    // Only the latest load shows its problem: an attribute may change while one is on its way.
    const load = (this.loads = (this.loads ?? 0) + 1);
    const latest = () => load === this.loads;
    this.setFeedback("pending", "Loading a problem…");
    this.setBusy(true);
    try {
      const ids = this.exerciseIds ?? await exercisesOfSkill(this.skill);
      const exercise = ids[seed % ids.length];
      const reply = await this.ask({ op: "problem", exercise, seed });
      if (!latest()) return false;
      this.show(reply);
      this.setFeedback("", "");
      return true;
    } catch (err) {
      if (latest()) this.report(err);
      return false;
    } finally {
      if (latest()) this.setBusy(false);
    }
  }

  show({ problem, hash }) {
    this.problem = problem;
    this.hash = hash;
    this.seed = problem.seed;
    this.hintsShown = 0;
    this.hintList = null;
    this.solutionShown = false;
    this.dataset.exercise = problem.exercise;
    this.dataset.seed = String(problem.seed);
    this.ui.title.textContent = `${problem.label ?? "Exercise"} · ${problem.title ?? problem.exercise}`;
    if (this.ui.statement.dataset.seed !== String(problem.seed) || this.ui.statement.dataset.exercise !== problem.exercise) {
      this.ui.statement.innerHTML = problem.statementHtml;
    }
    this.ui.statement.dataset.seed = String(problem.seed);
    this.ui.statement.dataset.exercise = problem.exercise;
    this.ui.instructions.innerHTML = problem.instructionsHtml;
    this.ui.hints.replaceChildren();
    this.ui.hints.hidden = true;
    this.ui.worked.replaceChildren();
    this.ui.worked.hidden = true;
    this.buildAnswer(problem);
  }

  buildAnswer(problem) {
    const { kind } = problem.answer;
    const describedBy = this.ids.instructions;
    this.editor = null;
    if (kind === "choice") {
      const group = el("fieldset", { className: "lossref-ex__choices" }, el("legend", { textContent: "Answer" }));
      group.setAttribute("aria-describedby", describedBy);
      for (const [key, html] of problem.choicesHtml) {
        const radio = el("input", { type: "radio", name: `${this.ids.answer}-choice`, value: key });
        const text = el("span");
        text.innerHTML = html;
        group.append(el("label", { className: "lossref-ex__choice" }, radio, el("span", { className: "lossref-ex__key", textContent: `(${key})` }), " ", text));
      }
      this.ui.answer.replaceChildren(group);
      this.readAnswer = () => group.querySelector("input:checked")?.value ?? "";
      return;
    }
    const label = el("label", { htmlFor: this.ids.answer, className: "lossref-ex__label", textContent: "Answer" });
    if (kind === "code") {
      // A plain text area until CodeMirror has loaded (when the exercise comes near the viewport).
      const area = el("textarea", { id: this.ids.answer, className: "lossref-ex__code", spellcheck: false, rows: Math.min(16, problem.answer.starter.split("\n").length + 1), value: problem.answer.starter });
      area.setAttribute("aria-describedby", describedBy);
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); this.check(); }
      });
      this.ui.answer.replaceChildren(label, area);
      this.readAnswer = () => (this.editor ? this.editor.value : area.value);
      this.upgradeEditor(area, label);
      return;
    }
    const input = el("input", { type: "text", id: this.ids.answer, className: "lossref-ex__input", autocomplete: "off", spellcheck: false });
    input.setAttribute("aria-describedby", describedBy);
    this.ui.answer.replaceChildren(label, input);
    this.readAnswer = () => input.value;
  }

  upgradeEditor(area, label) {
    const upgrade = new IntersectionObserver(async (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      upgrade.disconnect();
      try {
        const { createEditor } = await import("./editor.js");
        if (!area.isConnected) return; // a new problem replaced it meanwhile
        const host = el("div", { className: "lossref-ex__editor" });
        const hadFocus = document.activeElement === area;
        area.replaceWith(host);
        label.removeAttribute("for");
        label.id = `${this.ids.answer}-label`;
        this.editor = createEditor(host, area.value, {
          label: "Answer",
          describedBy: this.ids.instructions,
          onSubmit: () => this.check(),
        });
        if (hadFocus) this.editor.focus();
      } catch (err) {
        console.warn("lossref: the code editor could not load; a plain text area stays.", err);
      }
    }, { rootMargin: "400px 0px" });
    upgrade.observe(area);
  }

  // ------------------------------------------------------------------------------ actions
  async check() {
    if (!this.problem || this.busy) return;
    const answer = this.readAnswer();
    if (answer.trim() === "") {
      this.setFeedback("wrong", this.problem.answer.kind === "choice" ? "Choose an answer first." : "Type an answer first.");
      return;
    }
    this.setFeedback("pending", practiceClient().state === "ready" ? "Checking…" : "Starting Python (a few seconds, the first time only)…");
    this.setBusy(true);
    try {
      const { verdict } = await this.ask({ op: "check", exercise: this.problem.exercise, seed: this.seed, answer });
      // The engine says the verdict in its lead ("Not correct.") and the rest in its detail.
      this.setFeedback(verdict.correct ? "correct" : "wrong", { html: verdict.leadHtml }, verdict.detailHtml || null);
      if (verdict.mistake) this.ui.feedback.dataset.mistake = verdict.mistake;
      this.dispatchEvent(new CustomEvent("lossref-verdict", {
        bubbles: true,
        detail: {
          exercise: this.problem.exercise, skill: this.problem.skill, seed: this.seed, hash: this.hash,
          correct: verdict.correct, mistake: verdict.mistake, hinted: this.hintsShown > 0, solutionShown: this.solutionShown,
        },
      }));
    } catch (err) {
      this.report(err);
    } finally {
      this.setBusy(false);
    }
  }

  async nextHint() {
    if (!this.problem || this.busy) return;
    try {
      if (this.hintList === null) {
        this.setBusy(true);
        this.hintList = (await this.ask({ op: "hints", exercise: this.problem.exercise, seed: this.seed })).hintsHtml;
      }
      // A hint adds to the feedback: the verdict of the last check (and its diagnosis) stays.
      if (this.hintsShown === this.hintList.length) {
        this.addNote("There are no more hints: “Show solution” works the problem through.");
        return;
      }
      const item = el("li");
      item.innerHTML = this.hintList[this.hintsShown];
      this.ui.hints.append(item);
      this.ui.hints.hidden = false;
      this.hintsShown += 1;
      this.addNote(`Hint ${this.hintsShown} of ${this.hintList.length} is shown below.`);
    } catch (err) {
      this.report(err);
    } finally {
      this.setBusy(false);
    }
  }

  async showSolution() {
    if (!this.problem || this.busy) return;
    this.setBusy(true);
    try {
      const { solution } = await this.ask({ op: "solution", exercise: this.problem.exercise, seed: this.seed });
      const steps = el("ol");
      for (const html of solution.stepsHtml) {
        const item = el("li");
        item.innerHTML = html;
        steps.append(item);
      }
      const answer = el("div", { className: "lossref-ex__final" });
      const kind = this.problem.answer.kind;
      const chosen = kind === "choice" ? this.problem.choicesHtml.find(([key]) => key === solution.answer) : null;
      answer.innerHTML = `<strong>Answer:</strong> ${chosen ? `(${chosen[0]}) ${chosen[1]}` : solution.answerHtml}`;
      this.ui.worked.replaceChildren(el("p", { className: "lossref-ex__solution-title", textContent: "Solution" }), steps, answer);
      this.ui.worked.hidden = false;
      this.solutionShown = true;
      this.addNote("The solution is shown below the exercise.");
      this.dispatchEvent(new CustomEvent("lossref-reveal", {
        bubbles: true,
        detail: { exercise: this.problem.exercise, skill: this.problem.skill, seed: this.seed, hash: this.hash },
      }));
    } catch (err) {
      this.report(err);
    } finally {
      this.setBusy(false);
    }
  }

  async newProblem() {
    if (this.busy) return;
    const seed = this.fixedSeed === null ? randomSeed() : this.seed + 1;
    if (await this.loadProblem(seed)) this.setFeedback("", "A new problem is shown.");
  }

  // ------------------------------------------------------------------------------ plumbing
  async ask(request) {
    const reply = await practiceClient().request(request);
    if (reply.error) throw new Error(reply.error);
    return reply;
  }

  report(err) {
    // Only a check of code runs the learner's code: only then is the time theirs.
    if (err instanceof TimeoutError && err.kind === "code" && this.problem?.answer.kind === "code") {
      this.setFeedback("wrong", `Your code ran for more than ${err.limitMs / 1000} s and was stopped.`, null,
        "Is there a loop that never ends? A fresh Python is starting; fix the code and check again.");
    } else if (err instanceof TimeoutError) {
      this.setFeedback("error", `Python took more than ${err.limitMs / 1000} s and was stopped.`, null,
        "A fresh Python is starting; try again in a moment.");
    } else {
      this.setFeedback("error", "Something went wrong.", null, err.message);
    }
  }

  /** Replace the feedback: a bold lead (text, or `{html}` rendered by the worker), then HTML
   * and/or text after it. */
  setFeedback(tone, lead, html = null, text = null) {
    const box = this.ui.feedback;
    box.dataset.tone = tone;
    delete box.dataset.mistake;
    box.replaceChildren();
    if (lead?.html) box.append(Object.assign(el("strong"), { innerHTML: lead.html }));
    else if (lead) box.append(el("strong", { textContent: lead }));
    if (html) {
      const body = el("div");
      body.innerHTML = html;
      box.append(" ", body);
    }
    if (text) box.append(" ", el("span", { textContent: text }));
  }

  /** Add a line to the feedback (a hint or the solution shown), after the verdict of the last
   * check, which stays; it replaces the line added before it, and feedback of another kind
   * (a notice, an error). */
  addNote(text) {
    const box = this.ui.feedback;
    if (box.dataset.tone !== "correct" && box.dataset.tone !== "wrong") this.setFeedback("hint", "");
    box.querySelector(":scope > .lossref-ex__note")?.remove();
    box.append(el("p", { className: "lossref-ex__note", textContent: text }));
  }

  // While a request runs the buttons say so but stay focusable: disabling the focused button
  // would drop keyboard focus to the top of the page.
  setBusy(busy) {
    this.busy = busy;
    this.toggleAttribute("aria-busy", busy);
    for (const button of [this.ui.check, this.ui.hint, this.ui.solution, this.ui.next]) {
      button.setAttribute("aria-disabled", String(busy));
    }
  }

  onWorkerState({ state, seconds, error }) {
    const messages = {
      booting: "Python is starting in the background.",
      ready: `Python is ready${seconds ? ` (started in ${seconds.toFixed(1)} s)` : ""}. Answers are checked in this browser; nothing is sent anywhere.`,
      // The client starts a fresh worker for the next request: checking again is trying again.
      failed: `Python could not start: ${error}. Checking again tries again, and so does reloading the page.`,
    };
    if (this.ui) this.ui.engine.textContent = messages[state] ?? "";
    this.dataset.engine = state;
  }
}

if (!customElements.get("lossref-exercise")) {
  customElements.define("lossref-exercise", LossrefExercise);
  // A returning visitor has used the exercises before and has Python's files in the browser's
  // cache: Python starts with the page (in the worker, off the main thread), so that it is
  // ready by the time they reach an exercise.
  if (isReturning() && !navigator.connection?.saveData) practiceClient().start();
}
