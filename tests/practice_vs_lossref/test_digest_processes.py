"""The exercises' content hashes do not depend on the interpreter's string hashing.

Pyodide cannot start processes, so this runs on the CPython side only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lossref.practice import bridge

ROOT = Path(__file__).resolve().parents[2]


def test_the_hash_is_the_same_in_every_process():
    # Sets and dict orders must not leak into the hash: two interpreters with different string
    # hashing agree with this one.
    code = "import json; from lossref.practice import bridge; print(json.dumps([e['hash'] for e in bridge.catalogue()]))"
    here = [entry["hash"] for entry in bridge.catalogue()]
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        assert json.loads(out.stdout) == here
