"""Time ``grpo-sym verify``: the whole registry, and its slowest claims.

Usage: python benchmarks/bench_verify.py [--jobs N] [--repeat R] [--top K]

Prints the wall time of a full verification, cold (``--no-cache``; best of R
runs, in a fresh process each time, so imports and SymPy's caches count as a
user sees them) and warm (the result cache the cold runs filled, in a private
directory), their ratio, the number of claims, and the K slowest claims.
Targets live here, not in the tests.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

TARGET_SECONDS = 30.0  # the whole registry, cold (issue 14 asks 10 s; not met)
WARM_TARGET_SECONDS = 2.0


def one_run(jobs: int, cache: str, cold: bool) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "grpo_sym.cli", "verify", "-j", str(jobs),
                               "--json", out, *(["--no-cache"] if cold else [])],
                              capture_output=True, text=True,
                              env={**os.environ, "GRPO_SYM_CACHE": cache})
        wall = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            sys.exit(proc.stderr)
        with open(out, encoding="utf-8") as fh:
            return wall, json.load(fh)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--top", type=int, default=8)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        runs = [one_run(args.jobs, cache, cold=True) for _ in range(args.repeat)]
        warm, warm_report = one_run(args.jobs, cache, cold=False)
    best, report = min(runs, key=lambda r: r[0])
    s = report["summary"]
    print(f"grpo-sym verify -j {args.jobs} --no-cache: best of {args.repeat}: {best:.1f} s wall "
          f"(runs: {', '.join(f'{w:.1f}' for w, _ in runs)}); target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if best < TARGET_SECONDS else 'MISSED'}")
    same = [{k: v for k, v in c.items() if k != "seconds"} for c in warm_report["claims"]] == \
        [{k: v for k, v in c.items() if k != "seconds"} for c in report["claims"]]
    print(f"warm (cached): {warm:.1f} s wall, {warm / best:.3f} of cold; target < "
          f"{WARM_TARGET_SECONDS:.0f} s: {'met' if warm < WARM_TARGET_SECONDS else 'MISSED'}; "
          f"same verdicts: {same}")
    print(f"{s['claims']} claims: {s['proved']} proved, {s['refuted']} refuted, "
          f"{s['unproved']} unproved; summed claim time {s['seconds']:.1f} s")
    print(f"slowest {args.top} claims:")
    for c in sorted(report["claims"], key=lambda c: -c["seconds"])[:args.top]:
        print(f"  {c['seconds']:6.2f} s  {c['id']}")


if __name__ == "__main__":
    main()
