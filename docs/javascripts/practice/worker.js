// The practice worker: Python (Pyodide) with lossref.practice, off the page's main thread.
//
// Protocol. The page posts {type: "boot", indexURL, lockFileURL} once, then requests
// {id, request}, where request is what lossref.practice.bridge.handle takes ({op: "problem",
// exercise, seed}, {op: "check", ..., answer}, ...). Each reply is {id, reply} with the texts
// rendered to HTML (render.js), or {id, error} when something outside the bridge failed. Boot
// progress is posted as {type: "ready", seconds} or {type: "failed", error}.
//
// A learner's code runs here, synchronously: an endless loop blocks this worker and nothing
// else. The page notices the missing reply and terminates the worker (client.js).
// The renderer (markdown-it and KaTeX, most of this worker's code) loads while Python starts,
// not before: the worker begins fetching Pyodide as soon as it runs.
const rendering = import("./render.js");

let bridge = null;
let renderReply = null;
const queue = [];

async function boot({ indexURL, lockFileURL }) {
  const started = performance.now();
  const phases = {};
  const mark = (name) => { phases[name] = Math.round(performance.now() - started); };
  try {
    // pyodide.mjs is served next to the wasm (from this site, or the official CDN if the site is
    // configured so); it is loaded at run time, not bundled.
    const { loadPyodide } = await import(/* webpackIgnore: true */ `${indexURL}pyodide.mjs`);
    mark("import");
    const pyodide = await loadPyodide({
      indexURL,
      lockFileURL, // lists the lossref wheel with its sha256: integrity checks stay on
      stdout: () => {}, // a learner's print() must not flood the console
    });
    mark("python");
    await pyodide.loadPackage("lossref", { messageCallback: () => {} });
    mark("wheel");
    bridge = pyodide.pyimport("lossref.practice.bridge");
    mark("engine");
    ({ renderReply } = await rendering);
    postMessage({ type: "ready", seconds: (performance.now() - started) / 1000, phases });
    for (const message of queue.splice(0)) answer(message);
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
