"""Lighthouse on every page of the site, in both colour schemes: one table.

    make bench-lighthouse                                   (builds the site first)
    python benchmarks/bench_lighthouse.py --site site/ [--runs 3] [--pages losses/]

Lighthouse 12.2.3 with its default mobile preset (a mid-range phone: 4x CPU slowdown, a slow 4G
link simulated), Debian's Chromium, the site served gzipped by ``static_server.py``. Every page
the build wrote (every ``index.html``) is measured ``--runs`` times in the light scheme and as
many in the dark one (``prefers-color-scheme: dark``, set with Blink's preferredColorScheme);
the table shows, per page, the median of each scheme's runs and the worse of the two schemes.
Scores swing on a 2-core machine: judge by the medians, and by the margin.

Targets (issue 13): performance >= 95, accessibility 100, best practices 100, total blocking
time < 200 ms, cumulative layout shift < 0.05. A cell that misses is marked ``*``; the failing
audits of the pages that miss are listed under the table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_site import CHROME_FLAGS, CHROMIUM, _build, _lighthouse_bin  # noqa: E402
from static_server import serve  # noqa: E402

SCHEMES = {"light": "1", "dark": "0"}  # Blink's preferredColorScheme: 0 dark, 1 light
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
TBT_MS = 200
CLS = 0.05


def pages(site: Path, only: str | None) -> list[str]:
    """Every page of the build, as paths below the site root ("" for the home page)."""
    found = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    paths = ["" if p == "." else p + "/" for p in found]
    prefixes = None if only is None else [prefix.strip().strip("/") for prefix in only.split(",")]
    return [p for p in paths if prefixes is None or any(p.startswith(prefix) for prefix in prefixes)]


def lighthouse(binary: Path, url: str, scheme: str, out: Path) -> dict:
    flags = [*CHROME_FLAGS, f"--blink-settings=preferredColorScheme={SCHEMES[scheme]}"]
    subprocess.run(
        [str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
         "--only-categories=performance,accessibility,best-practices", f"--chrome-flags={' '.join(flags)}"],
        env=dict(os.environ, CHROME_PATH=CHROMIUM), check=True)
    report = json.loads(out.read_text())
    audits = report["audits"]
    failing = sorted(a["title"] for a in audits.values()
                     if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary")
    return {
        **{k: round(v["score"] * 100) for k, v in report["categories"].items()},
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "failing": failing,
    }


def summarise(runs: list[dict]) -> dict:
    """The median of each number over the runs; the audits that failed in at least half of them."""
    keys = [*TARGETS, "tbt", "cls"]
    out = {k: statistics.median(r[k] for r in runs) for k in keys}
    counts: dict[str, int] = {}
    for r in runs:
        for title in r["failing"]:
            counts[title] = counts.get(title, 0) + 1
    out["failing"] = sorted(t for t, n in counts.items() if 2 * n >= len(runs))
    return out


def worse(a: dict, b: dict) -> dict:
    return {**{k: min(a[k], b[k]) for k in TARGETS}, "tbt": max(a["tbt"], b["tbt"]), "cls": max(a["cls"], b["cls"]),
            "failing": sorted(set(a["failing"]) | set(b["failing"]))}


def misses(s: dict) -> list[str]:
    bad = [k for k, target in TARGETS.items() if s[k] < target]
    if s["tbt"] >= TBT_MS:
        bad.append("tbt")
    if s["cls"] >= CLS:
        bad.append("cls")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an existing build (default: build one)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page and scheme (default 3)")
    parser.add_argument("--pages", help="only the pages whose path starts with one of these, comma-separated (e.g. losses/,learn/)")
    parser.add_argument("--keep", type=Path, help="write every run's Lighthouse report (JSON) into this folder")
    args = parser.parse_args()
    binary = _lighthouse_bin()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        site = tmp / "site"
        if args.site:
            shutil.copytree(args.site, site)
        else:
            _build(site, ROOT / "mkdocs.yml")
        server = serve(str(site), 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        results = {}
        for path in pages(site, args.pages):
            per_scheme = {}
            for scheme in SCHEMES:
                runs = []
                for run in range(args.runs):
                    runs.append(lighthouse(binary, base + path, scheme, tmp / "lh.json"))
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        name = (path.strip("/").replace("/", "_") or "home") + f".{scheme}.{run}.json"
                        shutil.copy(tmp / "lh.json", args.keep / name)
                per_scheme[scheme] = summarise(runs)
            results[path] = per_scheme
            print(f"measured /{path}", file=sys.stderr)
        server.shutdown()

    print(f"\n## Lighthouse 12.2.3, mobile preset, every page (median of {args.runs} runs per scheme)\n")
    print("| page | performance | accessibility | best practices | TBT (ms) | CLS | light / dark performance |")
    print("|---|---|---|---|---|---|---|")
    missing = {}
    for path, per_scheme in results.items():
        s = worse(per_scheme["light"], per_scheme["dark"])
        bad = misses(s)
        cells = {key: f"{s[key]:.3f}" if key == "cls" else f"{s[key]:.0f}" for key in (*TARGETS, "tbt", "cls")}
        cells = [text + (" *" if key in bad else "") for key, text in cells.items()]
        schemes = f"{per_scheme['light']['performance']:.0f} / {per_scheme['dark']['performance']:.0f}"
        print(f"| /{path} | {' | '.join(cells)} | {schemes} |")
        if bad:
            missing[path] = s["failing"]
    met = len(results) - len(missing)
    print(f"\n{met} of {len(results)} pages meet every target (performance >= {TARGETS['performance']}, "
          f"accessibility {TARGETS['accessibility']}, best practices {TARGETS['best-practices']}, "
          f"TBT < {TBT_MS} ms, CLS < {CLS}).")
    for path, failing in missing.items():
        print(f"- /{path}: {'; '.join(failing) or 'no binary audit fails (the score misses on metrics)'}")


if __name__ == "__main__":
    main()
