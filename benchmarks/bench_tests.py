"""Time the README's test command (``bash scripts/test.sh``) from a fresh clone.

Usage: python benchmarks/bench_tests.py [--busy] [--record] [--keep]

The checkout's HEAD is cloned into a temporary directory (so only committed work counts, as
in CI) and ``bash scripts/test.sh`` runs there: a new venv, the install, the whole suite.
Printed: wall time, CPU time (user + sys of the command and everything it started), the
pytest summary line, and, as the reference measured in the same run, a fixed SymPy workload
(the figures are also given as multiples of it, comparable across machines and loads).

``--busy`` runs two ``yes > /dev/null`` loops beside it for the whole run (the machine busy,
as the project's rules ask once per issue), killed by their PIDs afterwards.  ``--record``
stores the figure, with the number of tests, in ``benchmarks/figures.json`` and the README
(``benchmarks/figures.py``).  Targets live here, not in the tests.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figures  # noqa: E402  (benchmarks/figures.py, beside this file)
from bench_verify import REFERENCE, timed  # noqa: E402

TARGET_SECONDS = 180.0      # the whole test command on the 2-core machine (issue 14)


def summary_line(output: str) -> str:
    """pytest's last line: '2416 passed, 3 xfailed in 612.3s (0:10:12)'."""
    lines = [ln.strip("= ") for ln in output.splitlines() if re.search(r"\d+ (passed|failed)", ln)]
    if not lines:
        raise SystemExit("no pytest summary in the output:\n" + output[-2000:])
    return lines[-1]


def test_count(line: str) -> int:
    """The number of tests run: passed, failed, xfailed, xpassed, skipped and errors."""
    return sum(int(n) for n, kind in re.findall(r"(\d+) (\w+)", line)
               if kind in ("passed", "failed", "xfailed", "xpassed", "skipped", "error", "errors"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--busy", action="store_true", help="two `yes > /dev/null` loops beside it")
    ap.add_argument("--record", action="store_true", help="store the figure and rewrite the README")
    ap.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = ap.parse_args()
    ref = timed([sys.executable, "-c", REFERENCE])
    tmp = tempfile.mkdtemp(prefix="grpo-sym-bench-tests-")
    clone = os.path.join(tmp, "clone")
    subprocess.run(["git", "clone", "-q", str(figures.ROOT), clone], check=True)
    loops = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(2 * args.busy)]
    try:
        wall, cpu, proc = timed(["bash", "scripts/test.sh"], cwd=clone)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    if args.keep:
        print(f"clone kept in {clone}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    line = summary_line(proc.stdout)
    state = "busy (two `yes` loops)" if args.busy else "idle"
    print(f"reference (fixed SymPy workload): {ref[0]:.1f} s wall, {ref[1]:.1f} s CPU")
    print(f"bash scripts/test.sh, fresh clone, {state}: {wall:.0f} s wall "
          f"({wall / ref[0]:.0f} x reference), {cpu:.0f} s CPU; exit {proc.returncode}; {line}")
    if proc.returncode != 0:
        sys.exit(proc.stdout[-3000:] + proc.stderr[-2000:])
    if args.record:
        minutes, seconds = divmod(round(wall), 60)
        figures.record(
            "tests_busy" if args.busy else "tests_idle",
            what=f"the README's test command, {'busy' if args.busy else 'idle'}",
            figure=f"{minutes} min {seconds:02d} s wall, {cpu:.0f} s CPU "
                   f"({test_count(line)} tests)",
            target=f"< {TARGET_SECONDS / 60:.0f} min", met=wall < TARGET_SECONDS,
            how=f"`python benchmarks/bench_tests.py{' --busy' if args.busy else ''}`: "
                f"`bash scripts/test.sh` in a fresh clone, 2 cores, {state}",
            tests=test_count(line))


if __name__ == "__main__":
    main()
