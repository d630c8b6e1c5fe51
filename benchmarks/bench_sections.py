"""Every section's height on a phone against the build's estimate: one table.

    python benchmarks/bench_sections.py --site site/ [--pages losses/,guides/]

The build wraps each h2/h3 section of a page in a ``<section class="lossref-section">`` that the
browser lays out only near the viewport; until then the section is as tall as the estimate in its
style attribute (``_section_height`` in ``docs/hooks/lossref_site.py``), an upper bound of its
height on a 412 px-wide phone. A section taller than its estimate spills over the next one while
skipped, and Lighthouse's contrast and tap-target checks then read one section's text on top of
another's. This lays every section out for real in Debian's Chromium at 412 px and prints, per
page, the worst ratio of real height to estimate (target: below 1) and how much the estimates add
to the page's height before it is read (the scroll bar's error).
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_lighthouse import pages  # noqa: E402
from bench_site import CHROMIUM  # noqa: E402
from static_server import serve  # noqa: E402

PHONE = {"width": 412, "height": 823}  # Lighthouse's mobile viewport
MEASURE = """() => [...document.querySelectorAll('.lossref-section:not(.lossref-section--drawn)')].map((section) => {
  const estimate = Number(/auto (\\d+)px/.exec(section.style.containIntrinsicSize)?.[1]);
  section.style.contentVisibility = 'visible';
  return [section.querySelector('h2, h3')?.id ?? '', section.getBoundingClientRect().height, estimate];
})"""


def measure(site: Path, only: str | None) -> dict[str, list[tuple[str, float, float]]]:
    from playwright.sync_api import sync_playwright

    server = serve(str(site), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport=PHONE)
        for path in pages(site, only):
            page.goto(base + path, wait_until="load")
            found[path] = [tuple(row) for row in page.evaluate(MEASURE)]
        browser.close()
    server.shutdown()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True, help="a build (make build writes site/)")
    parser.add_argument("--pages", help="only the pages whose path starts with one of these, comma-separated")
    args = parser.parse_args()
    found = measure(args.site, args.pages)
    print("\n## Sections on a 412 px phone: real height against the build's estimate\n")
    print("| page | sections | worst height / estimate | section | page height: estimated / real |")
    print("|---|---|---|---|---|")
    worst_all = 0.0
    for path, rows in found.items():
        if not rows:
            continue
        name, height, estimate = max(rows, key=lambda r: r[1] / r[2])
        worst = height / estimate
        worst_all = max(worst_all, worst)
        inflation = sum(r[2] for r in rows) / max(1.0, sum(r[1] for r in rows))
        mark = " *" if worst >= 1 else ""
        print(f"| /{path} | {len(rows)} | {worst:.2f}{mark} | #{name} | {inflation:.2f} |")
    print(f"\nWorst over the site: {worst_all:.2f} (target: below 1; a `*` marks a section taller than its estimate).")
    sys.exit(1 if worst_all >= 1 else 0)


if __name__ == "__main__":
    main()
