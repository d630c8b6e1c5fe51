// The page's side of the practice worker: one worker per page, shared by every exercise on it.
//
// Requests go to the worker one at a time (the protocol is described in worker.js). Each one has
// the time limit of its kind (REQUEST_KINDS) to answer once Python is ready; a request that runs
// longer (a learner's endless loop) terminates the worker, fails with a TimeoutError of that
// kind, and a fresh worker boots for the requests that follow.

// The kinds of request, by the bridge's op, and how long each may run. Python in a worker cannot
// be interrupted: a request that overruns costs a fresh worker (seconds), so a limit is a bound on
// what the request can legitimately take, not a target.
export const REQUEST_KINDS = {
  // Checking an answer runs the learner's code: an endless loop is stopped after 5 s.
  code: { ops: ["check"], limitMs: 5_000 },
  // Scoring replays the whole progress log, an FSRS review per answer. The longest log Python
  // reads (lossref.practice.course.MAX_EVENTS, 100,000 answers) took 24 s for "course" (4 s for
  // "load" or "gate_test") in this worker on a busy 2-core machine; the limit is five times that,
  // for a slower one (tests/site/test_course_browser.py times it and keeps that margin).
  scoring: { ops: ["load", "course", "gate_test"], limitMs: 120_000 },
  // The engine's own work: a catalogue, a problem, hints, a solution, a gate test's result.
  content: { ops: ["catalogue", "problem", "hints", "solution", "gate_result"], limitMs: 20_000 },
};
const BOOT_LIMIT_MS = 120000;

/** The kind of a request (a key of REQUEST_KINDS), from its op; an op not listed is content. */
export function requestKind(request) {
  const op = request && request.op;
  return Object.keys(REQUEST_KINDS).find((kind) => REQUEST_KINDS[kind].ops.includes(op)) ?? "content";
}

/** A module worker for `url`, also when the script was loaded from another origin (an embedding
 * site): a worker must come from the page's own origin, so a one-line module that imports the
 * real one stands in for it. */
function spawnModuleWorker(url) {
  if (new URL(url).origin === location.origin) return new Worker(url, { type: "module" });
  const trampoline = new Blob([`import ${JSON.stringify(String(url))};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(trampoline), { type: "module" });
}

// What was stopped, in the words of each kind of request.
const STOPPED = {
  code: (s) => `your code ran for more than ${s} s and was stopped`,
  scoring: (s) => `scoring your progress took more than ${s} s and was stopped`,
  content: (s) => `Python took more than ${s} s to answer and was stopped`,
};

/** A request stopped at its time limit: `kind` (a key of REQUEST_KINDS) and `limitMs` say which. */
export class TimeoutError extends Error {
  constructor(kind, ms) {
    super(STOPPED[kind](ms / 1000));
    this.name = "TimeoutError";
    this.kind = kind;
    this.limitMs = ms;
  }
}

export class PracticeClient extends EventTarget {
  constructor({ workerURL, indexURL, lockFileURL, snapshotURL = "", snapshotSHA256 = "" }) {
    super();
    this.config = {
      workerURL: String(workerURL),
      indexURL: String(indexURL),
      lockFileURL: String(lockFileURL),
      snapshotURL: String(snapshotURL),
      snapshotSHA256,
    };
    // Each kind's time limit, for this client: a copy of REQUEST_KINDS' limits, so that a page
    // (or a test) can change them without changing them for every client.
    this.limits = Object.fromEntries(Object.entries(REQUEST_KINDS).map(([kind, { limitMs }]) => [kind, limitMs]));
    this.state = "idle"; // idle -> booting -> ready; failed when Python cannot start
    this.bootSeconds = null;
    this.error = null;
    this.restarts = 0;
    this._worker = null;
    this._pending = []; // requests waiting for their turn: {request, resolve, reject}
    this._current = null; // the request the worker is running: {id, kind, resolve, reject, timer}
    this._nextId = 1;
  }

  /** Boot the worker if it is not running (idempotent). */
  start() {
    if (this._worker === null) this._spawn();
  }

  /** Send one bridge request; resolves with the worker's reply. */
  request(request) {
    this.start();
    return new Promise((resolve, reject) => {
      this._pending.push({ request, resolve, reject });
      this._pump();
    });
  }

  _setState(state, detail = {}) {
    this.state = state;
    this.error = detail.error ?? null; // why Python could not start, when it failed
    this.dispatchEvent(new CustomEvent("state", { detail: { state, ...detail } }));
  }

  _spawn() {
    performance.mark("lossref-practice:worker-start"); // for measurements (make bench-practice)
    const worker = spawnModuleWorker(this.config.workerURL);
    this._worker = worker;
    this._setState("booting");
    const bootTimer = setTimeout(() => this._fail(worker, `Python did not start within ${BOOT_LIMIT_MS / 1000} s`), BOOT_LIMIT_MS);
    worker.onmessage = ({ data }) => {
      if (worker !== this._worker) return;
      if (data.type === "ready") {
        clearTimeout(bootTimer);
        this.bootSeconds = data.seconds;
        this.bootPhases = data.phases; // ms since boot began: import, python, wheel, engine; snapshot used?
        this._setState("ready", { seconds: data.seconds });
        this._pump();
      } else if (data.type === "failed") {
        clearTimeout(bootTimer);
        this._fail(worker, data.error);
      } else if (this._current && data.id === this._current.id) {
        const { resolve, reject, timer } = this._current;
        clearTimeout(timer);
        this._current = null;
        if (data.error) reject(new Error(data.error));
        else resolve(data.reply);
        this._pump();
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(bootTimer);
      this._fail(worker, event.message || "the practice worker could not be loaded");
    };
    const { indexURL, lockFileURL, snapshotURL, snapshotSHA256 } = this.config;
    // The page's Save-Data preference: the worker then fetches nothing it can do without.
    const saveData = Boolean(navigator.connection?.saveData);
    worker.postMessage({ type: "boot", indexURL, lockFileURL, snapshotURL, snapshotSHA256, saveData });
  }

  _fail(worker, message) {
    if (worker !== this._worker) return;
    worker.terminate();
    this._setState("failed", { error: message });
    const error = new Error(`Python could not start: ${message}`);
    for (const job of [this._current, ...this._pending.splice(0)]) if (job) job.reject(error);
    this._current = null;
    this._worker = null; // the next request tries again
  }

  _pump() {
    if (this.state !== "ready" || this._current !== null || this._pending.length === 0) return;
    const job = this._pending.shift();
    const id = this._nextId++;
    const kind = requestKind(job.request);
    const limitMs = this.limits[kind];
    const timer = setTimeout(() => this._timeout(), limitMs);
    this._current = { id, kind, limitMs, timer, resolve: job.resolve, reject: job.reject };
    this._worker.postMessage({ id, request: job.request });
  }

  _timeout() {
    const job = this._current;
    this._current = null;
    this._worker.terminate();
    this._worker = null;
    this.restarts += 1;
    job.reject(new TimeoutError(job.kind, job.limitMs));
    this._spawn(); // a fresh Python for whatever comes next
  }
}
