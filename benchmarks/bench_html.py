"""Time ``grpo-sym html`` (the blueprint) against ``grpo-sym latex`` in the same run.

Usage: python benchmarks/bench_html.py [--repeat R] [--jobs N] [--cache DIR]

Both commands run in a fresh process (imports and loading the registry count,
as a user sees them) from a warm result cache: by default a private one, filled
first by ``grpo-sym verify -j N`` (that run is reported, not counted); with
``--cache DIR`` an existing one.  Prints the best of R runs of each, the html
build's own split (verification from the cache, rendering), and the ratio of
html to the LaTeX appendix (without ``--pdf``), measured in the same run so the
machine's load cancels out.  ``--record`` stores the figure in
``benchmarks/figures.json`` and the README (``benchmarks/figures.py``).  Targets live here,
not in the tests.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figures  # noqa: E402  (benchmarks/figures.py, beside this file)

TARGET_SECONDS = 60.0   # the whole site from a warm cache, on the 2-core machine
TARGET_RATIO = 3.0      # at most this many times the LaTeX appendix (no PDF)


def timed(args: list[str], cache: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "grpo_sym.cli", *args], capture_output=True,
                          text=True, env={**os.environ, "GRPO_SYM_CACHE": cache})
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"grpo-sym {' '.join(args)} failed: {proc.stderr.strip()[-500:]}")
    return wall, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", default=None, metavar="DIR",
                    help="an existing result cache (default: a private one, filled first)")
    ap.add_argument("--record", action="store_true", help="store the figure, rewrite the README")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or os.path.join(tmp, "cache")
        fill, _ = timed(["verify", "-j", str(args.jobs)], cache)
        print(f"filling the cache: grpo-sym verify -j {args.jobs}: {fill:.1f} s (not counted)")
        html_runs, latex_runs, splits = [], [], []
        for k in range(args.repeat):     # interleaved: both see the same load
            wall, out = timed(["html", "-o", os.path.join(tmp, f"site{k}")], cache)
            html_runs.append(wall)
            m = re.search(r"verified in ([\d.]+) s, rendered in ([\d.]+) s", out)
            splits.append((float(m.group(1)), float(m.group(2))) if m else (float("nan"),) * 2)
            latex_runs.append(timed(["latex", "-o", os.path.join(tmp, f"tex{k}")], cache)[0])
        files = sum(len(names) for _, _, names in os.walk(os.path.join(tmp, "site0")))
    best_html, best_latex = min(html_runs), min(latex_runs)
    verify_s, render_s = splits[html_runs.index(best_html)]
    ratio = best_html / best_latex
    print(f"grpo-sym html: best of {args.repeat}: {best_html:.1f} s wall (runs: "
          f"{', '.join(f'{w:.1f}' for w in html_runs)}; {files} files); of the best, "
          f"{verify_s:.1f} s loading and verifying from the cache, {render_s:.1f} s rendering")
    print(f"grpo-sym latex (reference, no PDF): best of {args.repeat}: {best_latex:.1f} s wall "
          f"(runs: {', '.join(f'{w:.1f}' for w in latex_runs)})")
    print(f"html / latex: {ratio:.2f}; targets: html < {TARGET_SECONDS:.0f} s: "
          f"{'met' if best_html < TARGET_SECONDS else 'MISSED'}, ratio < {TARGET_RATIO:.1f}: "
          f"{'met' if ratio < TARGET_RATIO else 'MISSED'}")
    if args.record:
        figures.record("html", what="`grpo-sym html` (the blueprint, from a warm cache)",
                       figure=f"{best_html:.1f} s wall ({verify_s:.1f} s loading and reading "
                              f"the cache, {render_s:.1f} s rendering; {ratio:.2f} x "
                              f"`grpo-sym latex` without PDF)",
                       target=f"< {TARGET_SECONDS:.0f} s", met=best_html < TARGET_SECONDS,
                       how=f"`python benchmarks/bench_html.py --repeat {args.repeat}`, 2 cores, "
                           f"load average {load:.1f} at the start")


if __name__ == "__main__":
    main()
