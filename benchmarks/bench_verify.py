"""Time ``grpo-sym verify``: the whole registry cold and warm, and its slowest claims.

Usage: python benchmarks/bench_verify.py [--jobs N] [--repeat R] [--top K]

Every run is a fresh process with a private cache directory, so imports count
as a user sees them.  Printed, each as wall time and CPU time (user + sys of
the process and its workers; the machine is shared, so wall time varies with
the load and CPU time much less):

* a reference workload (fixed SymPy arithmetic, independent of this package),
  best of R, measured in the same run: the other figures are also given as
  multiples of it, comparable across machines and loads;
* cold: ``verify -j N --no-cache``, best of R;
* warm, unchanged tree: the report the cold run stored is reprinted;
* warm, changed tree: every claim's result from the cache, the registry loaded
  (what follows an edit that changes no claim);
* whether the three reports agree (apart from ``seconds``), the outcome counts,
  and the K slowest claims.

``--record`` stores the cold and warm figures in ``benchmarks/figures.json`` and the
README (``benchmarks/figures.py``).  Targets live here, not in the tests.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figures  # noqa: E402  (benchmarks/figures.py, beside this file)

TARGET_SECONDS = 10.0       # cold, the whole registry, -j 2 on the 2-core machine (issue 14)
WARM_TARGET_SECONDS = 2.0

REFERENCE = ("import sympy as sp; x, y = sp.symbols('x y'); "
             "[sp.factor(sp.expand((x + y + k)**12 * (x - 2*y)**8)) for k in range(1, 4)]")


def timed(cmd: list[str], env: dict | None = None, cwd: str | None = None
          ) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the process and its children, the process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def verify(jobs: int, cache: str, cold: bool) -> tuple[float, float, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        wall, cpu, proc = timed([sys.executable, "-m", "grpo_sym.cli", "verify", "-j", str(jobs),
                                 "--json", out, *(["--no-cache"] if cold else [])],
                                env={"GRPO_SYM_CACHE": cache})
        if proc.returncode not in (0, 1):
            sys.exit(proc.stderr)
        return wall, cpu, json.loads(Path(out).read_text(encoding="utf-8"))


def verdicts(report: dict) -> list[dict]:
    return [{k: v for k, v in c.items() if k != "seconds"} for c in report["claims"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--record", action="store_true", help="store the figures, rewrite the README")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    ref = min(timed([sys.executable, "-c", REFERENCE])[:2] for _ in range(args.repeat))
    print(f"reference (fixed SymPy workload): {ref[0]:.1f} s wall, {ref[1]:.1f} s CPU "
          f"(best of {args.repeat})")

    def show(label: str, wall: float, cpu: float, target: float) -> None:
        print(f"{label}: {wall:.1f} s wall ({wall / ref[0]:.1f} x reference), {cpu:.1f} s CPU "
              f"({cpu / ref[1]:.1f} x); target < {target:.0f} s wall: "
              f"{'met' if wall < target else 'MISSED'}")

    with tempfile.TemporaryDirectory() as cache:
        runs = [verify(args.jobs, cache, cold=True) for _ in range(args.repeat)]
        warm = verify(args.jobs, cache, cold=False)
        shutil.rmtree(Path(cache) / "reports")      # the stored reports, not the results
        loaded = verify(args.jobs, cache, cold=False)
    wall, cpu, report = min(runs, key=lambda r: r[0])
    show(f"cold: grpo-sym verify -j {args.jobs} --no-cache, best of {args.repeat} (walls "
         f"{', '.join(f'{w:.1f}' for w, _, _ in runs)})", wall, cpu, TARGET_SECONDS)
    show("warm, unchanged tree (the stored report)", warm[0], warm[1], WARM_TARGET_SECONDS)
    show("warm, changed tree (results cached, registry loaded)", loaded[0], loaded[1],
         WARM_TARGET_SECONDS)
    same = verdicts(report) == verdicts(warm[2]) == verdicts(loaded[2])
    s = report["summary"]
    print(f"same verdicts cold and warm: {same}; {s['claims']} claims: {s['proved']} proved, "
          f"{s['refuted']} refuted, {s['unproved']} unproved; summed claim time "
          f"{s['seconds']:.1f} s")
    print(f"slowest {args.top} claims:")
    for c in sorted(report["claims"], key=lambda c: -c["seconds"])[:args.top]:
        print(f"  {c['seconds']:6.2f} s  {c['id']}")
    if args.record:
        how = (f"`python benchmarks/bench_verify.py --jobs {args.jobs} --repeat {args.repeat}`, "
               f"2 cores, load average {load:.1f} at the start; reference workload "
               f"{ref[0]:.1f} s")
        figures.record("verify_cold", what=f"`grpo-sym verify -j {args.jobs} --no-cache` "
                       f"({s['claims']} claims), cold",
                       figure=f"{wall:.1f} s wall, {cpu:.0f} s CPU", met=wall < TARGET_SECONDS,
                       target=f"< {TARGET_SECONDS:.0f} s", how=how + f", best of {args.repeat}")
        figures.record("verify_warm", what="`grpo-sym verify`, warm: unchanged tree (the stored "
                       "report) / changed tree (results cached, registry loaded)",
                       figure=f"{warm[0]:.2f} s / {loaded[0]:.1f} s wall",
                       met=warm[0] < WARM_TARGET_SECONDS, target=f"< {WARM_TARGET_SECONDS:.0f} s "
                       "(unchanged tree)", how=how)


if __name__ == "__main__":
    main()
