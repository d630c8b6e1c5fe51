// The practice worker: Python (Pyodide) with lossref.practice, off the page's main thread.
//
// Protocol. The page posts {type: "boot", indexURL, lockFileURL, snapshotURL, snapshotSHA256,
// saveData} once, then requests
// {id, request}, where request is what lossref.practice.bridge.handle takes ({op: "problem",
// exercise, seed}, {op: "check", ..., answer}, ...). Each reply is {id, reply} with the texts
// rendered to HTML (render.js: a verdict's lead and detail as leadHtml and detailHtml), or
// {id, error} when something outside the bridge failed; a bad request is a reply
// {id, reply: {error}}, naming the field. Boot progress is posted as {type: "ready", seconds,
// phases} or {type: "failed", error}.
//
// Time limits. The worker answers one request at a time, and the page gives each the limit of
// its kind (client.js, REQUEST_KINDS: learner code 5 s, scoring a progress log longer, the rest
// in between). A learner's code runs here, synchronously: an endless loop blocks this worker and
// nothing else. The page notices the missing reply at the limit and terminates the worker.
//
// The renderer (markdown-it and KaTeX, most of this worker's code) loads while Python starts,
// not before: the worker begins fetching Pyodide as soon as it runs.
const rendering = import("./render.js");

/* global ENGINE_MODULE */ // the Python module that answers requests, set by the site build
let bridge = null;
let renderReply = null;
const queue = [];

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

// The memory snapshot of a freshly started Python (6 MB gzipped) lets a later start skip most of
// Python's start-up. A first visit does not wait for it: Python starts without it, and once the
// first answers are out the snapshot is downloaded in the background and kept in Cache Storage
// for the next visit (not on a connection that asks to save data). The stored copy is checked
// against the sha256 the site was built with, so a new build's snapshot replaces an old one.
const SNAPSHOT_CACHE = "lossref-python-snapshot";
const SNAPSHOT_DELAY_MS = 3000; // after the first answers, so that it competes with nothing they need

/** The snapshot's bytes, unzipped, if `zipped` has the sha256 the site was built with. */
async function unzipSnapshot(zipped, sha256) {
  const digest = hex(await crypto.subtle.digest("SHA-256", zipped));
  if (digest !== sha256) throw new Error(`sha256 ${digest} is not the expected ${sha256}`);
  const unzipped = new Blob([zipped]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unzipped).arrayBuffer());
}

/** The snapshot kept by an earlier visit (in this worker's cache, or the site's offline cache),
 * never from the network; null when there is none of this build. */
async function keptSnapshot(url, sha256) {
  if (!url || !sha256 || !self.caches) return null;
  try {
    const response = await caches.match(url, { ignoreSearch: true });
    return response ? await unzipSnapshot(await response.arrayBuffer(), sha256) : null;
  } catch (err) {
    // another build's snapshot, or storage that cannot be read: start without it
    console.info(`lossref: the kept Python snapshot is not used (${err && err.message ? err.message : err})`);
    return null;
  }
}

/** Download this build's snapshot for the next visit and keep it (at most one copy). */
async function keepSnapshot(url, sha256) {
  if (!url || !sha256 || !self.caches) return;
  try {
    const response = await fetch(url, { priority: "low" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const zipped = await response.arrayBuffer();
    await unzipSnapshot(zipped, sha256); // never keep a copy that would fail next time
    const cache = await caches.open(SNAPSHOT_CACHE);
    await cache.put(url, new Response(zipped, { headers: { "Content-Type": "application/gzip" } }));
  } catch (err) {
    console.info(`lossref: the Python snapshot was not kept for the next visit (${err && err.message ? err.message : err})`);
  }
}

async function boot({ indexURL, lockFileURL, snapshotURL, snapshotSHA256, saveData }) {
  const started = performance.now();
  const phases = {};
  const mark = (name) => { phases[name] = Math.round(performance.now() - started); };
  try {
    const snapshot = keptSnapshot(snapshotURL, snapshotSHA256);
    // pyodide.mjs is served next to the wasm (from this site, or the official CDN if the site is
    // configured so); it is loaded at run time, not bundled.
    const { loadPyodide } = await import(/* webpackIgnore: true */ `${indexURL}pyodide.mjs`);
    mark("import");
    const options = {
      indexURL,
      lockFileURL, // lists the lossref wheel with its sha256: integrity checks stay on
      stdout: () => {}, // a learner's print() must not flood the console
    };
    let pyodide = null;
    const kept = await snapshot;
    if (kept) {
      try {
        // Resuming Python from the snapshot skips its start-up, most of the time to a first check.
        pyodide = await loadPyodide({ ...options, _loadSnapshot: kept });
      } catch (err) {
        console.info(`lossref: starting Python without its snapshot (${err && err.message ? err.message : err})`);
      }
    }
    phases.snapshot = pyodide !== null;
    pyodide ??= await loadPyodide(options);
    mark("python");
    await pyodide.loadPackage("lossref", { messageCallback: () => {} });
    mark("wheel");
    bridge = pyodide.pyimport(ENGINE_MODULE);
    mark("engine");
    ({ renderReply } = await rendering);
    postMessage({ type: "ready", seconds: (performance.now() - started) / 1000, phases });
    for (const message of queue.splice(0)) answer(message);
    if (!phases.snapshot && !saveData) setTimeout(() => keepSnapshot(snapshotURL, snapshotSHA256), SNAPSHOT_DELAY_MS);
  } catch (err) {
    postMessage({ type: "failed", error: String(err && err.message ? err.message : err) });
  }
}

function answer({ id, request }) {
  try {
    const reply = JSON.parse(bridge.handle_json(JSON.stringify(request)));
    postMessage({ id, reply: reply.error ? reply : renderReply(reply) });
  } catch (err) {
    postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
}

self.onmessage = ({ data }) => {
  if (data.type === "boot") boot(data);
  else if (bridge === null) queue.push(data);
  else answer(data);
};
