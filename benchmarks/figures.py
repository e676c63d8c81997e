"""The README's current figures: one record, written by the benchmarks, read by the README.

``benchmarks/figures.json`` holds the latest measurement of each figure the README quotes
(verify cold and warm, the html build, the README's test command and its test count).  A
benchmark run with ``--record`` stores its figure here and rewrites the README's block
between the two markers below, so the README never carries a figure typed by hand;
``tests/test_readme.py`` checks that the block is this file's rendering and that the test
count it states is the number of tests the suite collects.

Usage: python benchmarks/figures.py [--count]
  rewrites the README's block from the record; with ``--count``, first records the number of
  tests the suite collects (``pytest --collect-only``), the one figure cheap enough to
  refresh whenever a test is added.

>>> row = {"what": "w", "figure": "1.0 s", "target": "< 2 s", "met": True,
...        "measured": "2026-12-07", "how": "h"}
>>> print(markdown({"x": row}))
| what | figure | target | measured | how |
| --- | --- | --- | --- | --- |
| w | 1.0 s | < 2 s (met) | 2026-12-07 | h |
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = Path(__file__).with_name("figures.json")
README = ROOT / "README.md"
BEGIN = "<!-- figures: written by benchmarks/figures.py from benchmarks/figures.json -->"
END = "<!-- /figures -->"
ORDER = ("verify_cold", "verify_warm", "html", "tests_idle", "tests_busy", "suite")
COLUMNS = ("what", "figure", "target", "measured", "how")


def load() -> dict:
    """The recorded figures, by key."""
    return json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.exists() else {}


def _rank(key: str) -> tuple:
    return (ORDER.index(key) if key in ORDER else len(ORDER), key)


def markdown(figures: dict | None = None) -> str:
    """The README's table of current figures (a fixed order, then the others by key)."""
    figures = load() if figures is None else figures
    lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join("---" for _ in COLUMNS) + " |"]
    for key in sorted(figures, key=_rank):
        row = figures[key]
        target = row["target"] if row["target"] == "-" else \
            row["target"] + (" (met)" if row["met"] else " (not met)")
        lines.append(f"| {row['what']} | {row['figure']} | {target} | {row['measured']} "
                     f"| {row['how']} |")
    return "\n".join(lines)


def block(figures: dict | None = None) -> str:
    """The README's block, markers included."""
    return f"{BEGIN}\n{markdown(figures)}\n{END}"


def write_readme(figures: dict | None = None) -> None:
    """Replace the README's block by the current record."""
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no figures block ({BEGIN!r} ... {END!r})")
    README.write_text(pattern.sub(lambda _: block(figures), text), encoding="utf-8")


def commit() -> str:
    """The checkout's commit (short), or 'unknown'."""
    proc = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    return proc.stdout.strip() or "unknown"


def record(key: str, *, what: str, figure: str, target: str, met: bool, how: str,
           **extra) -> None:
    """Store one figure (with today's date and the commit measured) and rewrite the README."""
    figures = load()
    figures[key] = {"what": what, "figure": figure, "target": target, "met": bool(met),
                    "measured": f"{_dt.date.today().isoformat()} ({commit()})", "how": how,
                    **extra}
    FIGURES.write_text(json.dumps(figures, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    write_readme(figures)
    print(f"recorded {key} in {FIGURES.relative_to(ROOT)} and README.md")


def collected() -> int:
    """The number of tests the whole suite collects (a separate pytest process)."""
    import sys
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p",
                           "no:xdist", "-p", "no:cacheprovider"], cwd=ROOT,
                          capture_output=True, text=True)
    found = re.search(r"(\d+) tests? collected", proc.stdout)
    if not found:
        raise SystemExit("pytest --collect-only failed:\n" + proc.stdout[-2000:]
                         + proc.stderr[-2000:])
    return int(found.group(1))


def record_count() -> None:
    """Record the number of tests the suite collects."""
    n = collected()
    record("suite", what="tests in the suite", figure=f"{n} tests", target="-", met=True,
           how="`python benchmarks/figures.py --count` (`pytest --collect-only`)", tests=n)


if __name__ == "__main__":
    import sys
    if "--count" in sys.argv[1:]:
        record_count()
    else:
        write_readme()
