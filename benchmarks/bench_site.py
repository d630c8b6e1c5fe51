"""Site targets: build time, page weight before interaction, Lighthouse scores.

    make bench-site

1. ``mkdocs build --strict`` (every example and notebook executed), three times; the median
   against the 60 s target. The baseline row is the same build with markdown-exec and the
   notebooks switched off, measured in the same run, so the ratio shows what executing the
   examples costs.
2. Bytes a first visit transfers before any interaction, gzipped as a static host serves them
   (Chromium via Playwright, a fresh profile, page load plus network idle), against 250 KB.
3. Lighthouse 12.2.3 (mobile preset, Debian's Chromium) on a loss page and a guide page:
   performance >= 95, accessibility 100, best practices >= 95.

Lighthouse comes from ``benchmarks/site/package.json`` (installed here on first use).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from static_server import serve  # noqa: E402

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
PAGES = {"loss page (cross-entropy)": "losses/cross-entropy/", "loss page (huber)": "losses/huber/",
         "guide page (numerical stability)": "guides/stability/", "home": ""}
LIGHTHOUSE_PAGES = {"loss page (cross-entropy)": "losses/cross-entropy/",
                    "guide page (numerical stability)": "guides/stability/"}
WEIGHT_TARGET_KB = 250
BUILD_TARGET_S = 60


def _build(site_dir: Path, config: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(site_dir)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _baseline_config(tmp: Path) -> Path:
    """mkdocs.yml with nothing executed: markdown-exec off (blocks stay code), notebooks not run."""
    text = (ROOT / "mkdocs.yml").read_text()
    text = text.replace("      execute: true", "      execute: false")
    text = text.replace("  - markdown-exec:\n      languages: [python, pycon]\n", "")
    config = ROOT / ".bench-baseline.yml"
    config.write_text(text)
    return config


def bench_build(tmp: Path) -> None:
    full = [_build(tmp / f"full{i}", ROOT / "mkdocs.yml") for i in range(3)]
    config = _baseline_config(tmp)
    try:
        base = [_build(tmp / f"base{i}", config) for i in range(3)]
    finally:
        config.unlink()
    print("\n## Build time (2 cores; median of 3)\n")
    print("| build | runs (s) | median (s) | ratio to baseline | target |")
    print("|---|---|---|---|---|")
    b = statistics.median(base)
    f = statistics.median(full)
    print(f"| nothing executed (baseline) | {', '.join(f'{t:.1f}' for t in base)} | {b:.1f} | 1.00 | |")
    print(f"| strict, everything executed | {', '.join(f'{t:.1f}' for t in full)} | {f:.1f} | {f / b:.2f} | "
          f"<= {BUILD_TARGET_S} s: {'met' if f <= BUILD_TARGET_S else 'MISSED'} |")


def _start_server(site: Path) -> tuple[str, object]:
    server = serve(str(site), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def bench_weight(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, server = _start_server(site)
    print("\n## Transfer before interaction (first visit, gzipped as served)\n")
    print("| page | requests | transferred (KB) | of which fonts (KB) | largest | target |")
    print("|---|---|---|---|---|---|")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        for label, path in PAGES.items():
            context = browser.new_context()  # fresh cache: a first visit
            page = context.new_page()
            sizes: dict[str, int] = {}

            def on_finished(request, sizes=sizes):
                sizes[request.url] = request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]

            page.on("requestfinished", on_finished)
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(500)
            context.close()
            total = sum(sizes.values())
            fonts = sum(v for k, v in sizes.items() if k.endswith((".woff2", ".woff", ".ttf")))
            largest = max(sizes, key=sizes.get)
            print(f"| {label} | {len(sizes)} | {total / 1024:.1f} | {fonts / 1024:.1f} | "
                  f"{largest.removeprefix(base)} ({sizes[largest] / 1024:.1f} KB) | <= {WEIGHT_TARGET_KB} KB: "
                  f"{'met' if total / 1024 <= WEIGHT_TARGET_KB else 'MISSED'} |")
        browser.close()
    server.shutdown()


def _lighthouse_bin() -> Path:
    folder = ROOT / "benchmarks" / "site"
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=folder, check=True)
    return binary


def bench_lighthouse(site: Path, tmp: Path) -> None:
    binary = _lighthouse_bin()
    base, server = _start_server(site)
    print("\n## Lighthouse 12.2.3 (mobile preset, Debian Chromium)\n")
    print("| page | performance | accessibility | best practices | target |")
    print("|---|---|---|---|---|")
    for label, path in LIGHTHOUSE_PAGES.items():
        out = tmp / "lh.json"
        subprocess.run(
            [str(binary), base + path, "--quiet", "--output=json", f"--output-path={out}",
             "--only-categories=performance,accessibility,best-practices",
             f"--chrome-flags={' '.join(CHROME_FLAGS)}"],
            env=dict(os.environ, CHROME_PATH=CHROMIUM), check=True)
        report = json.loads(out.read_text())
        scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
        met = scores["performance"] >= 95 and scores["accessibility"] == 100 and scores["best-practices"] >= 95
        print(f"| {label} | {scores['performance']} | {scores['accessibility']} | {scores['best-practices']} | "
              f"{'met' if met else 'MISSED'} |")
        failed = [a["title"] for a in report["audits"].values()
                  if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"]
        if failed:
            print(f"|  | failing audits: {'; '.join(failed[:8])} | | | |")
    server.shutdown()


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bench_build(tmp)
        site = tmp / "full0"
        bench_weight(site)
        if shutil.which("node"):
            bench_lighthouse(site, tmp)


if __name__ == "__main__":
    main()
