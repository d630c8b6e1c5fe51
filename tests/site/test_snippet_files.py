"""Every code example on the site is a file in snippets/, shown by a page and checked by a test."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"

# An executed fence: ```python exec="on" ...``` up to its closing fence, at any indentation.
_EXEC_BLOCK = re.compile(r"^(?P<indent>[ \t]*)```(?:python|pycon)\b(?P<options>[^\n]*)\n(?P<body>.*?)^(?P=indent)```",
                         re.S | re.M)
_INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')


def _pages() -> dict[Path, str]:
    return {path: path.read_text() for path in DOCS.rglob("*.md")}


def _snippets() -> list[str]:
    return sorted(p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.rglob("*.py"))


def test_every_shown_example_is_a_snippet_include():
    offenders = []
    for path, text in _pages().items():
        for block in _EXEC_BLOCK.finditer(text):
            if 'exec="on"' not in block["options"] or "source=" not in block["options"]:
                continue  # generated content (tables, plots), not an example readers copy
            lines = [line.strip() for line in block["body"].splitlines() if line.strip()]
            if not lines or not all(_INCLUDE.fullmatch(line) for line in lines):
                offenders.append(f"{path.relative_to(ROOT)}: {block['body'][:60]!r}")
    assert not offenders, "examples typed into pages instead of included from snippets/:\n" + "\n".join(offenders)


def test_every_snippet_is_shown_on_a_page():
    included = {name for text in _pages().values() for name in _INCLUDE.findall(text)}
    unused = [name for name in _snippets() if name not in included]
    assert not unused, f"snippets no page includes: {unused}"


def test_every_snippet_has_a_test():
    # A page's examples are tested in tests/snippets/; a loss's may be tested beside the loss, in tests/losses/.
    files = [*(ROOT / "tests" / "snippets").glob("test_*.py"), *(ROOT / "tests" / "losses").glob("test_*.py")]
    tests = "\n".join(p.read_text() for p in files)
    untested = [name for name in _snippets() if f'"{name}"' not in tests]
    assert not untested, f"snippets without a test in tests/snippets/ or tests/losses/: {untested}"


def test_the_block_parser_finds_examples():
    page = 'Text\n\n```python exec="on" source="block" result="text"\n--8<-- "losses/mse.py"\n```\n\n' \
           '??? success "Solution"\n\n    ```python exec="on" source="block"\n    print(1)\n    ```\n'
    blocks = list(_EXEC_BLOCK.finditer(page))
    assert [b["body"].strip() for b in blocks] == ['--8<-- "losses/mse.py"', "print(1)"]
