// Writes a memory snapshot of Pyodide taken right after Python has started, for the browser's
// worker to resume from instead of starting Python again (about ten times faster).
//
//   node pyodide_snapshot.mjs PYODIDE_DIST OUTPUT
//
// The snapshot belongs to exactly this Pyodide build; the worker checks its sha256 and starts
// Python the ordinary way if anything about it is wrong.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, output] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: dist + path.sep, _makeSnapshot: true });
// Emscripten records the program that started Python in $_; the page has no business knowing
// the path of this script on the build machine.
pyodide.runPython("import os; os.environ.pop('_', None)");
fs.writeFileSync(output, pyodide.makeMemorySnapshot());
