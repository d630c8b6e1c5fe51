// The course's pages: <lossref-dashboard> on /learn/, <lossref-session session="N"> (the
// practice of a session) and <lossref-gate opens="N"> (the test that opens session N).
//
// The page keeps the learner's answers (progress-store.js); Python in the worker
// (lossref.practice.course, through the bridge) turns them into levels, open sessions, due reviews
// and the next problem, so the rules exist once, in Python, and are tested there. The numbers and
// words of the rules that the page shows (levels, points and problems for proficiency, reviews per
// sitting, the gate test's share) come with the course data (`rules`, from
// lossref.practice.course.rules()): none is typed here.
import { practiceClient } from "./exercise.js";
import { ProgressStore, parseRecord } from "./progress-store.js";

const SUMMARY_KEY = "lossref-course:summary"; // the last summary, to draw the dashboard at once

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

let sharedStore = null;
/** The page's one progress store. */
export function progressStore() {
  sharedStore ??= new ProgressStore(globalThis.localStorage, courseData().storeVersion);
  return sharedStore;
}

let sharedData = null;
/** The course's fixed data, written into the page at build time: sessions, skills and their
 * titles, the rules (`rules`), the page's path to the site root, and the summary of a learner with
 * no answers. */
function courseData() {
  if (sharedData) return sharedData;
  const script = document.getElementById("lossref-course-data");
  if (!script) throw new Error("this page has no course data (script#lossref-course-data)");
  sharedData = JSON.parse(script.textContent);
  return sharedData;
}

function clock() {
  const now = new Date();
  const dayEnd = new Date(now);
  dayEnd.setHours(23, 59, 59, 999); // the end of the learner's own day
  return { at: now.toISOString(), dayEnd: dayEnd.toISOString() };
}

async function ask(request) {
  const reply = await practiceClient().request(request);
  if (reply.error) throw new Error(reply.error);
  return reply;
}

let checked = null;
/** Once per page: Python checks the saved log in depth (and upgrades an older version). A log it
 * cannot read is backed up and replaced, as the store does for one that is not even JSON. A check
 * that could not be made (Python did not start, the worker was stopped) is forgotten, so that the
 * next caller tries again instead of failing with it. */
async function checkSaved() {
  checked ??= (async () => {
    const store = progressStore();
    if (store.size === 0) return;
    const record = store.record;
    const reply = await practiceClient().request({ op: "load", record });
    if (reply.error) store.quarantine(JSON.stringify(record), `Your saved progress could not be read: ${reply.error}.`);
    else store.merge(reply.record);
  })().catch((err) => {
    checked = null;
    throw err;
  });
  return checked;
}

/** Levels, gates and reviews now; with `session`, also the next problem of that session. */
export async function courseState(extra = {}) {
  await checkSaved();
  const record = progressStore().record;
  const reply = await ask({ op: "course", record, ...clock(), ...extra });
  try {
    localStorage.setItem(SUMMARY_KEY, JSON.stringify({ events: record.events.length, last: record.events.at(-1)?.id ?? null, summary: reply.summary }));
  } catch {
    // only a cache
  }
  return reply;
}

/** The summary to draw before Python has answered: the empty learner's, or the last one computed
 * for exactly the log that is saved now. */
function quickSummary(data) {
  const { events } = progressStore().record;
  if (events.length === 0) return data.empty;
  try {
    const cached = JSON.parse(localStorage.getItem(SUMMARY_KEY));
    // A summary of this very log, made by this version of the course (same sessions, same record format).
    if (cached && cached.events === events.length && cached.last === events.at(-1).id && progressStore().version === data.storeVersion
        && cached.summary.sessions.length === data.sessions.length) return cached.summary;
  } catch {
    // no cache
  }
  return null;
}

function sessionUrl(data, number, hash = "") {
  return `${data.root}learn/session-${number}/${hash}`;
}

function levelMeter(rules, skill, info, title) {
  const { levels, proficientPoints } = rules;
  const index = levels.indexOf(info.level);
  const top = levels.length - 1;
  const text = `${rules.levelLabels[info.level]}, ${info.points} ${info.points === 1 ? "point" : "points"}`;
  const bar = el("div", { className: "lossref-course__bar" }, el("div", { className: "lossref-course__fill" }));
  bar.setAttribute("role", "meter");
  bar.setAttribute("aria-valuemin", "0");
  bar.setAttribute("aria-valuemax", String(top));
  bar.setAttribute("aria-valuenow", String(index));
  bar.setAttribute("aria-valuetext", text);
  bar.setAttribute("aria-label", title);
  // The bar fills towards proficiency with the points (proficientPoints needed), then to mastery.
  const fill = info.level === "practicing"
    ? (levels.indexOf("proficient") / top) * Math.min(info.points, proficientPoints) / proficientPoints
    : index / top;
  bar.style.setProperty("--lossref-level", String(fill));
  const row = el("li", { className: "lossref-course__skill" },
    el("span", { className: "lossref-course__skill-name" }, el("span", { textContent: title }), " ", el("code", { textContent: skill })),
    bar,
    el("span", { className: "lossref-course__level", textContent: text }));
  row.dataset.skill = skill;
  row.dataset.level = info.level;
  return row;
}

function skillList(data, summary, skills) {
  return el("ul", { className: "lossref-course__skills" },
    ...skills.map((skill) => levelMeter(data.rules, skill, summary.skills[skill], data.skillTitles[skill])));
}

function stateBadge(state) {
  const badge = el("span", { className: "lossref-course__badge", textContent: courseData().rules.stateLabels[state] });
  badge.dataset.state = state;
  return badge;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A button that says what it does and does it: the way forward after something failed. */
function actionButton(text, onClick) {
  const button = el("button", { type: "button", className: "md-button", textContent: text });
  button.addEventListener("click", onClick, { once: true });
  return button;
}

// ------------------------------------------------------------------------------ shared: elements
/** A course element: set up once, after the page has been parsed (the script is async), with a
 * status line of its own. What it listens to on the page's progress store is added each time it
 * is connected and removed when it leaves the page (`listen`). */
class CourseElement extends HTMLElement {
  connectedCallback() {
    this.connection = new AbortController();
    const { signal } = this.connection;
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", () => this.connect(signal), { once: true, signal });
      return;
    }
    this.connect(signal);
  }

  disconnectedCallback() {
    this.connection?.abort();
    this.connection = null;
  }

  connect(signal) {
    const first = !this.ui;
    if (first) {
      this.data = courseData();
      this.setUp();
    }
    this.listen(progressStore(), signal, first);
  }

  /** Subclasses: listen(store, signal, first) listens to `store` until `signal` aborts; `first` is
   * false when the element comes back to the page (after a move) and must catch up with what
   * changed meanwhile. */
  listen() {}

  /** Say `text` (and any nodes after it, such as a link) in the element's status line. */
  say(tone, text, ...nodes) {
    this.ui.status.dataset.tone = tone;
    this.ui.status.replaceChildren(text, ...nodes.flatMap((node) => [" ", node]));
  }
}

// ------------------------------------------------------------------------------------ dashboard
export class LossrefDashboard extends CourseElement {
  setUp() {
    const store = progressStore();
    this.ui = {
      status: el("div", { className: "lossref-course__status" }),
      today: el("section", { className: "lossref-course__today" }),
      sessions: el("ol", { className: "lossref-course__sessions" }),
      skills: el("div", { className: "lossref-course__skill-groups" }),
      file: this.fileControls(),
      offline: el("p", { className: "lossref-course__offline" }),
    };
    this.ui.status.setAttribute("role", "status");
    this.replaceChildren(
      el("h2", { id: "today", textContent: "Today" }), this.ui.status, this.ui.today,
      el("h2", { id: "sessions", textContent: "Sessions" }), this.ui.sessions,
      el("h2", { id: "skills", textContent: "Skills" }), this.ui.skills,
      el("h2", { id: "your-progress", textContent: "Your progress" }), this.ui.file, this.ui.offline);
    if (store.problem) this.say("error", store.problem.message);
    const quick = quickSummary(this.data);
    if (quick) this.draw(quick);
    else this.say("pending", "Loading your progress…");
    // A learner with answers needs Python to score them (levels change with time: reviews fall due).
    if (store.size > 0) this.refresh();
  }

  listen(store, signal, first) {
    store.addEventListener("problem", ({ detail }) => this.say("error", detail.message), { signal });
    store.addEventListener("change", () => this.refresh(), { signal });
    // Whether this browser keeps the site for offline use (offline.js, on <html data-offline>).
    addEventListener("lossref-offline", ({ detail }) => this.drawOffline(detail.state), { signal });
    this.drawOffline(document.documentElement.dataset.offline);
    if (!first) this.refresh();
  }

  drawOffline(state) {
    this.ui.offline.textContent = {
      caching: "Saving the course, the reference and Python in this browser, for use offline…",
      ready: "The course, the reference and Python are saved in this browser: they keep working offline.",
      declined: "Your connection asks to save data, so the site is not saved in this browser for use offline.",
    }[state] ?? "";
    this.ui.offline.dataset.state = state ?? "";
  }

  async refresh() {
    if (progressStore().size === 0) { // nothing to score: no need for Python
      this.draw(this.data.empty);
      return;
    }
    try {
      const { summary } = await courseState();
      this.draw(summary);
      // The waiting notice, or the failure of an earlier scoring, is over (a store's problem stays).
      if (this.ui.status.dataset.tone === "pending" || this.scoringFailed) this.say("", "");
      this.scoringFailed = false;
    } catch (err) {
      this.scoringFailed = true;
      this.say("error", `Your progress could not be scored: ${err.message}.`, actionButton("Try again", () => this.refresh()));
    }
  }

  draw(summary) {
    const { data } = this;
    this.dataset.events = String(summary.events);
    // Today: the session to work on, with the reviews due.
    const open = summary.sessions.filter((s) => s.state !== "locked");
    const current = open.find((s) => s.state === "open") ?? open.at(-1);
    const due = summary.dueToday.length;
    const { maxReviews } = data.rules;
    const start = el("a", { className: "md-button md-button--primary lossref-course__start", href: sessionUrl(data, current.number),
      textContent: summary.events === 0 ? "Start with session 0" : `Start today's session: ${current.number} · ${data.sessions[current.number].short}` });
    const dueText = due === 0 ? "No reviews are due today." :
      `${plural(due, "review")} due today (${summary.dueToday.map((s) => data.skillTitles[s]).join(", ")}); the session starts with ${due > maxReviews ? `${maxReviews} of them` : due === 1 ? "it" : "them"}.`;
    const changed = summary.changed.length ? el("p", { className: "lossref-course__changed",
      textContent: `${plural(summary.changed.length, "exercise")} changed since you last answered ${summary.changed.length === 1 ? "it" : "them"} (${summary.changed.join(", ")}): your points stand, and new problems come from the current version.` }) : null;
    this.ui.today.replaceChildren(...[el("p", { className: "lossref-course__due", textContent: dueText }), start, changed].filter(Boolean));
    // Sessions with their states; a locked one says why and offers its gate test.
    this.ui.sessions.replaceChildren(...summary.sessions.map((s) => {
      const item = el("li", { className: "lossref-course__session" },
        el("a", { href: sessionUrl(data, s.number), textContent: `Session ${s.number}: ${s.title}` }), " ", stateBadge(s.state));
      item.dataset.session = String(s.number);
      item.dataset.state = s.state;
      if (s.state === "locked") {
        item.append(el("span", { className: "lossref-course__reason", textContent: ` ${s.reason}. ` }),
          el("a", { href: sessionUrl(data, s.number, "#practice"), textContent: `Take the gate test for session ${s.number}` }));
      }
      return item;
    }));
    // Skills of open sessions are shown; those of locked ones are a click away.
    this.ui.skills.replaceChildren(...summary.sessions.map((s) => el("details", { className: "lossref-course__skill-group", open: s.state !== "locked" },
      el("summary", { textContent: `Session ${s.number}: ${data.sessions[s.number].short} (${data.rules.stateLabels[s.state].toLowerCase()})` }),
      skillList(data, summary, s.skills))));
  }

  fileControls() {
    const exportButton = el("button", { type: "button", className: "md-button", textContent: "Export progress" });
    const importInput = el("input", { type: "file", accept: "application/json,.json", className: "lossref-course__file" });
    const importLabel = el("label", { className: "md-button lossref-course__import" }, "Import progress", importInput);
    const clearButton = el("button", { type: "button", className: "md-button", textContent: "Start over" });
    exportButton.addEventListener("click", () => this.exportFile());
    importInput.addEventListener("change", () => importInput.files[0] && this.importFile(importInput.files[0]).finally(() => { importInput.value = ""; }));
    clearButton.addEventListener("click", () => this.clear());
    return el("div", { className: "lossref-course__file-controls" },
      el("p", { textContent: "Your progress is kept in this browser only. Export it to a file to keep a copy or to move it to another browser; importing a file adds its answers to the ones here, and nothing is lost." }),
      el("div", { className: "lossref-course__buttons" }, exportButton, importLabel, clearButton));
  }

  exportFile() {
    const blob = new Blob([progressStore().exportText()], { type: "application/json" });
    const link = el("a", { href: URL.createObjectURL(blob), download: `lossref-progress-${new Date().toISOString().slice(0, 10)}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    this.say("", `Exported ${plural(progressStore().size, "event")} (answers and passed gate tests).`);
  }

  async importFile(file) {
    let record;
    try {
      record = parseRecord(await file.text(), progressStore().newest);
      const reply = await ask({ op: "load", record }); // every event checked before anything changes
      record = reply.record;
    } catch (err) {
      this.say("error", `“${file.name}” was not imported: ${err.message}. Your progress is unchanged.`);
      return;
    }
    const added = progressStore().merge(record);
    this.say("", `Imported “${file.name}”: ${plural(added, "new event")} (${record.events.length - added} already here).`);
  }

  clear() {
    // The browser's own confirmation: plain, and accessible with the keyboard and screen readers.
    if (!window.confirm("Start the course over? Your answers are kept as a backup in this browser; export them first to keep a file.")) return;
    progressStore().clear();
    this.draw(this.data.empty);
    this.say("", "Your progress starts afresh. The previous progress was kept as a backup in this browser.");
  }
}

// ------------------------------------------------------------------------------ shared: one item
/** One course problem in a host element; calls `onAnswer(item, event)` with the store event made
 * of its first check (later checks are practice and not recorded) or of a shown solution. */
function courseExercise(item, onAnswer) {
  const exercise = el("lossref-exercise");
  exercise.setAttribute("exercise", item.exercise);
  exercise.setAttribute("seed", String(item.seed));
  exercise.setAttribute("course", "");
  let recorded = false;
  exercise.addEventListener("lossref-verdict", ({ detail }) => {
    if (recorded) return;
    recorded = true;
    onAnswer(item, { type: "answer", exercise: detail.exercise, skill: detail.skill, seed: detail.seed, hash: detail.hash,
      correct: detail.correct, hinted: detail.hinted || detail.solutionShown, revealed: false });
  });
  exercise.addEventListener("lossref-reveal", ({ detail }) => {
    if (recorded) return; // looking at the solution after answering costs nothing
    recorded = true;
    onAnswer(item, { type: "answer", exercise: detail.exercise, skill: detail.skill, seed: detail.seed, hash: detail.hash,
      correct: false, hinted: false, revealed: true });
  });
  return exercise;
}

// ------------------------------------------------------------------------------ session practice
export class LossrefSession extends CourseElement {
  // A change of `session` after set-up starts a sitting of the session it names.
  static observedAttributes = ["session"];

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this.ui || oldValue === newValue) return;
    this.number = Number(newValue);
    this.reviewsDone = 0;
    this.item = null;
    this.upcoming = null;
    this.pending = null;
    this.ui.body.replaceChildren();
    this.begin();
  }

  setUp() {
    this.number = Number(this.getAttribute("session"));
    this.reviewsDone = 0;
    this.ui = {
      state: el("p", { className: "lossref-course__state" }),
      status: el("div", { className: "lossref-course__status" }),
      skills: el("div", { className: "lossref-course__session-skills" }),
      body: el("div", { className: "lossref-course__practice" }),
    };
    this.ui.status.setAttribute("role", "status");
    this.replaceChildren(this.ui.state, this.ui.skills, this.ui.body, this.ui.status);
    const store = progressStore();
    if (store.problem) this.say("error", store.problem.message);
    const quick = quickSummary(this.data);
    if (quick) this.drawState(quick);
    practiceClient().start();
    this.begin();
  }

  listen(store, signal, first) {
    store.addEventListener("problem", ({ detail }) => this.say("error", detail.message), { signal });
    // Another tab's answers change levels here too (and may have while this element was away).
    store.addEventListener("change", (event) => event.detail?.external && this.item && this.rescoreQuietly(), { signal });
    if (!first && this.item) this.rescoreQuietly();
  }

  drawState(summary) {
    const s = summary.sessions[this.number];
    this.dataset.state = s.state;
    this.dataset.events = String(summary.events);
    const nextSession = summary.sessions[this.number + 1];
    const { proficientPoints, proficientVariants, maxReviews } = this.data.rules;
    const text = {
      locked: `Locked: ${s.reason}. The lesson above is open to read; the practice opens when those skills are proficient, or when you pass the gate test below.`,
      open: `Open. Answer until every skill below is proficient: at least ${proficientPoints} points, from at least ${proficientVariants} different problems, with the last answer right${s.derivation?.needed ? `; and answer one derivation right (${s.derivation.done ? "done" : "not yet"})` : ""}.`,
      proficient: `This session is proficient${nextSession ? `: session ${this.number + 1} is open` : ""}. Problems keep coming for practice, and skills come back for review in the days ahead.`,
      mastered: "Every skill of this session is mastered. Problems keep coming for practice.",
    }[s.state];
    this.ui.state.replaceChildren(stateBadge(s.state), " ", text);
    this.ui.skills.replaceChildren(skillList(this.data, summary, s.skills));
    if (summary.dueNow.length) {
      this.ui.skills.append(el("p", { className: "lossref-course__due",
        textContent: `${plural(summary.dueNow.length, "review")} due now; they come first${summary.dueNow.length > maxReviews ? ` (${maxReviews} at most per sitting)` : ""}.` }));
    }
    return s.state;
  }

  async begin() {
    // Only the latest sitting goes on: `session` may change while one is starting.
    const sitting = (this.sittings = (this.sittings ?? 0) + 1);
    this.say("pending", "Python is starting: your first problem is on its way…");
    let reply;
    try {
      reply = await courseState({ session: this.number, reviewsDone: this.reviewsDone });
    } catch (err) {
      if (sitting === this.sittings) {
        this.say("error", `The course could not start: ${err.message}.`, actionButton("Try again", () => this.begin()));
      }
      return;
    }
    if (sitting !== this.sittings) return;
    if (this.ui.status.dataset.tone === "pending") this.say("", "");
    const state = this.drawState(reply.summary);
    if (state === "locked") {
      this.showGate();
      return;
    }
    this.show(reply.next);
  }

  showGate() {
    const gate = el("lossref-gate");
    gate.setAttribute("opens", String(this.number));
    gate.addEventListener("lossref-gate-passed", () => this.begin());
    this.item = null;
    this.ui.body.replaceChildren(gate);
  }

  show(item) {
    this.item = item;
    this.pending = null;
    const label = item.review ? el("p", { className: "lossref-course__review", textContent: `Review: ${this.data.skillTitles[item.skill]}` }) : null;
    const exercise = courseExercise(item, (it, event) => this.record(it, event));
    this.nextButton = el("button", { type: "button", className: "md-button md-button--primary lossref-course__next", textContent: "Next problem", hidden: true });
    this.nextButton.addEventListener("click", () => this.next());
    // The new problem takes the focus from "Next problem" (which it replaces), so that keyboard
    // and screen-reader users land on it; Tab then reaches its answer field.
    this.host = el("div", { className: "lossref-ex-host", tabIndex: -1 }, exercise);
    this.ui.body.replaceChildren(...[label, this.host, this.nextButton].filter(Boolean));
  }

  async record(item, event) {
    const before = this.dataset.state;
    progressStore().add(event);
    if (item.review) this.reviewsDone += 1;
    this.nextButton.hidden = false;
    this.upcoming = null; // chosen before this answer: no longer the next problem
    this.pending = this.rescore().catch((err) => {
      this.say("error", `Your answer was saved, but could not be scored yet: ${err.message}. “Next problem” tries again.`);
      return null;
    });
    const reply = await this.pending;
    if (!reply) return;
    const info = reply.summary.skills[item.skill];
    const counted = event.revealed ? "The solution was shown: this skill's points start again from 0."
      : event.hinted ? "Right after a hint: no points this time." : event.correct ? "Counted." : "Counted as wrong.";
    this.say("", `${counted} ${this.data.skillTitles[item.skill]}: ${this.data.rules.levelLabels[info.level].toLowerCase()}, ${plural(info.points, "point")}, ${plural(info.variants, "problem")} right. Later checks of this problem are practice and not counted.`);
    if (before !== "proficient" && reply.summary.sessions[this.number].state === "proficient" && reply.summary.sessions[this.number + 1]) {
      this.say("correct", `Every skill of this session is proficient: session ${this.number + 1} is open.`,
        el("a", { href: sessionUrl(this.data, this.number + 1), textContent: `Go to session ${this.number + 1}` }));
    }
  }

  /** Score the log again (after an answer here or in another tab); keeps the next problem. */
  async rescore() {
    const reply = await courseState({ session: this.number, reviewsDone: this.reviewsDone });
    this.drawState(reply.summary);
    this.upcoming = reply.next;
    return reply;
  }

  /** Rescore for another tab's answers: a failure leaves this tab's levels as they were drawn. */
  rescoreQuietly() {
    this.rescore().catch((err) => console.warn("lossref: answers from another tab could not be scored", err));
  }

  /** "Next problem": the problem the last scoring chose; if that scoring failed, it is tried again,
   * and if it fails again the learner is told so, and how to go on. */
  async next() {
    if (this.advancing) return; // a second click while the first is at work
    this.advancing = true;
    try {
      if (this.pending) await this.pending;
      let failure = null;
      if (!this.upcoming) {
        this.say("pending", "Scoring your answers again…");
        this.pending = this.rescore().catch((err) => { failure = err; return null; });
        await this.pending;
      }
      if (!this.upcoming) {
        this.say("error", `The next problem could not be chosen: ${failure?.message ?? "the scoring gave none"}. `
          + "Your answers are saved: press “Next problem” to try again, or reload the page.");
        return;
      }
      this.say("", "");
      this.show(this.upcoming);
      this.upcoming = null;
      this.host.focus();
    } finally {
      this.advancing = false;
    }
  }
}

// ------------------------------------------------------------------------------ gate test
export class LossrefGate extends CourseElement {
  setUp() {
    this.opens = Number(this.getAttribute("opens"));
    const previous = this.data.sessions[this.opens - 1];
    const total = previous.skills.length;
    const needed = previous.gateNeeded;
    this.startButton = el("button", { type: "button", className: "md-button md-button--primary lossref-course__start-gate", textContent: `Start the gate test for session ${this.opens}` });
    this.startButton.addEventListener("click", () => this.start());
    this.ui = {
      intro: el("p", { textContent: `One new problem for each of the ${total} skills of session ${this.opens - 1}. You pass with at least ${needed} of ${total} right at the first check, without hints and without showing a solution; passing opens session ${this.opens} for good.` }),
      items: el("ol", { className: "lossref-course__gate-items" }),
      status: el("div", { className: "lossref-course__status" }),
    };
    this.ui.status.setAttribute("role", "status");
    this.replaceChildren(this.ui.intro, this.startButton, this.ui.items, this.ui.status);
  }

  async start() {
    this.startButton.hidden = true;
    this.say("pending", "Preparing the test…");
    practiceClient().start();
    let items;
    try {
      await checkSaved();
      items = (await ask({ op: "gate_test", record: progressStore().record, opens: this.opens })).items;
    } catch (err) {
      this.startButton.hidden = false;
      this.say("error", `The gate test could not start: ${err.message}`);
      return;
    }
    this.items = items;
    this.results = new Array(items.length).fill(null);
    this.ui.items.replaceChildren(...items.map((item, index) => el("li", { className: "lossref-ex-host" },
      courseExercise(item, (it, event) => this.answered(index, event)))));
    this.say("", `Answer all ${items.length} problems; the result shows after the last one.`);
  }

  async answered(index, event) {
    progressStore().add(event);
    this.results[index] = { correct: event.correct, hinted: event.hinted, revealed: event.revealed, depth: this.items[index].depth };
    const left = this.results.filter((r) => r === null).length;
    if (left > 0) {
      this.say("", `${plural(this.results.length - left, "problem")} of ${this.results.length} answered.`);
      return;
    }
    await this.score();
  }

  /** Score the finished test (again, when the learner asks after a failure). */
  async score() {
    let result;
    try {
      result = await ask({ op: "gate_result", results: this.results });
    } catch (err) {
      this.say("error", `The test could not be scored: ${err.message}. Your answers are kept.`,
        actionButton("Score the test again", () => this.score()));
      return;
    }
    this.dataset.result = result.passed ? "passed" : "failed";
    if (result.passed) {
      progressStore().add({ type: "gate", session: this.opens });
      this.say("correct", `Passed: ${result.right} of ${result.total} right. Session ${this.opens} is open.`,
        el("a", { href: sessionUrl(this.data, this.opens), textContent: `Go to session ${this.opens}` }));
      this.dispatchEvent(new CustomEvent("lossref-gate-passed", { bubbles: true, detail: { session: this.opens } }));
    } else {
      const retry = el("button", { type: "button", className: "md-button", textContent: "Try again with new problems" });
      retry.addEventListener("click", () => this.start());
      const derivation = result.derivation?.needed && !result.derivation.done ? " The derivation must be among them." : "";
      this.say("wrong", `Not passed: ${result.right} of ${result.total} right at the first check; ${result.needed} needed.${derivation} Your answers still count as practice.`, retry);
    }
  }
}

for (const [name, element] of [["lossref-dashboard", LossrefDashboard], ["lossref-session", LossrefSession], ["lossref-gate", LossrefGate]]) {
  if (!customElements.get(name)) customElements.define(name, element);
}
