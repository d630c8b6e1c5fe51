// Runs pytest inside Pyodide (CPython compiled to WebAssembly) under Node, offline:
// node run_pytest.mjs WHEEL_DIR TESTS_DIR [pytest args...]
// Every wheel in WHEEL_DIR is installed (pytest and its dependencies, and the lossref wheel);
// TESTS_DIR is mounted at /work/tests. The exit code is pytest's.
import { loadPyodide } from "pyodide";
import fs from "node:fs";
import path from "node:path";

const [wheelDir, testsDir, ...args] = process.argv.slice(2);
const pyodide = await loadPyodide();
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const name of fs.readdirSync(wheelDir).filter((n) => n.endsWith(".whl")).sort()) {
  const bytes = fs.readFileSync(path.join(wheelDir, name));  // a Node Buffer: pass a plain Uint8Array
  pyodide.unpackArchive(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), "wheel",
                        { extractDir: sitePackages });
}
pyodide.FS.mkdirTree("/work/tests");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(testsDir) }, "/work/tests");
pyodide.globals.set("pytest_args", pyodide.toPy(args));
const code = await pyodide.runPythonAsync(`
import os, sys, pytest
os.chdir("/work")
print(f"Python {sys.version.split()[0]} on {sys.platform}")
int(pytest.main(list(pytest_args)))
`);
process.exit(code);
