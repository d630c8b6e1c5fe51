// Adds compiled bytecode to a pure-Python wheel for the browser: each module's .pyc, made by
// Pyodide's own Python (the browser's version), next to its source. Importing lossref.practice
// then skips compiling a megabyte of source in WebAssembly, most of the time from "Python is up"
// to "the exercises are ready".
//
//   node pyodide_compile.mjs PYODIDE_DIST WHEEL_IN WHEEL_OUT MODULE
//
// Only the modules that importing MODULE imports get bytecode (lossref.practice.bridge, which the
// worker imports: not the NumPy losses, which the browser never loads), so the wheel grows by
// what the browser uses.
// The .pyc files are "unchecked hash" ones (PEP 552): Python uses them without comparing file
// dates, which unpacking a wheel does not keep. The sources stay, for tracebacks and for
// inspect.getsource. The output is byte-identical for the same input.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, input, output, entry] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: dist + path.sep });
pyodide.FS.writeFile("/tmp/in.whl", fs.readFileSync(input));
pyodide.runPython(`
import base64, csv, hashlib, importlib.util, io, posixpath, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()

zipfile.ZipFile("/tmp/in.whl").extractall("/tmp/unpacked")
sys.path.insert(0, "/tmp/unpacked")
importlib.import_module(${JSON.stringify(entry)})
used = {posixpath.relpath(module.__file__, "/tmp/unpacked") for module in list(sys.modules.values())
        if (getattr(module, "__file__", None) or "").startswith("/tmp/unpacked/")}

with zipfile.ZipFile("/tmp/in.whl") as src, zipfile.ZipFile("/tmp/out.whl", "w") as out:
    record = next(name for name in src.namelist() if name.endswith(".dist-info/RECORD"))
    rows = []

    def add(name, data):
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        out.writestr(info, data)
        rows.append((name, digest(data), str(len(data))))

    for entry in src.infolist():
        if entry.filename == record:
            continue
        data = src.read(entry)
        add(entry.filename, data)
        if entry.filename in used:
            code = compile(data, entry.filename, "exec", dont_inherit=True)
            folder, name = posixpath.split(entry.filename)
            pyc = f"{folder}/__pycache__/{name[:-3]}.{sys.implementation.cache_tag}.pyc"
            add(pyc, bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)))
    text = io.StringIO()
    csv.writer(text, lineterminator="\\n").writerows([*rows, (record, "", "")])
    add(record, text.getvalue().encode())
`);
fs.writeFileSync(output, pyodide.FS.readFile("/tmp/out.whl"));
