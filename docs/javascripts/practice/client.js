// The page's side of the practice worker: one worker per page, shared by every exercise on it.
//
// Requests go to the worker one at a time. Each one has TIME_LIMIT_MS to answer once Python is
// ready; a request that runs longer (a learner's endless loop) terminates the worker, fails with
// a TimeoutError, and a fresh worker boots for the requests that follow.

export const TIME_LIMIT_MS = 5000;
const BOOT_LIMIT_MS = 120000;

/** A module worker for `url`, also when the script was loaded from another origin (an embedding
 * site): a worker must come from the page's own origin, so a one-line module that imports the
 * real one stands in for it. */
function spawnModuleWorker(url) {
  if (new URL(url).origin === location.origin) return new Worker(url, { type: "module" });
  const trampoline = new Blob([`import ${JSON.stringify(String(url))};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(trampoline), { type: "module" });
}

export class TimeoutError extends Error {
  constructor(ms) {
    super(`stopped after ${ms / 1000} s`);
    this.name = "TimeoutError";
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
    this.state = "idle"; // idle -> booting -> ready; failed when Python cannot start
    this.bootSeconds = null;
    this.restarts = 0;
    this._worker = null;
    this._pending = []; // requests waiting for their turn: {request, resolve, reject}
    this._current = null; // the request the worker is running: {id, resolve, reject, timer}
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
    const timer = setTimeout(() => this._timeout(), TIME_LIMIT_MS);
    this._current = { id, timer, resolve: job.resolve, reject: job.reject };
    this._worker.postMessage({ id, request: job.request });
  }

  _timeout() {
    const job = this._current;
    this._current = null;
    this._worker.terminate();
    this._worker = null;
    this.restarts += 1;
    job.reject(new TimeoutError(TIME_LIMIT_MS));
    this._spawn(); // a fresh Python for whatever comes next
  }
}
