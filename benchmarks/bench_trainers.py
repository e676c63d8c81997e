"""Time the trainers' model: every preset, and the scan of the drift for every combination.

Usage: python benchmarks/bench_trainers.py [--pi-ref F] [--group-size G] [--dps D]

Prints, as Markdown tables, the wall time of ``stationary_trainer`` for each preset at
pi_ref(a) = F (the routed presets call the solvers of ``numeric.stationary``; the clamped
ones scan the drift out to logit p = logit f + 10^6), and for every estimator x
straight-through x placement x scaling x dynamic sampling at beta = 1 and group size G.

Targets (2 cores): under 1 s per point (float), so the README table (10 presets x 4
pi_ref) takes under 10 s; ``--dps 30`` under 5 s per point.
"""
from __future__ import annotations

import argparse
import itertools
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from grpo_sym.numeric.presets import PRESETS  # noqa: E402
from grpo_sym.numeric.trainers import (ESTIMATORS, PLACEMENTS, SCALINGS,  # noqa: E402
                                       TrainerSettings, stationary_trainer)


def timed(f, s, dps):
    t = time.perf_counter()
    res = stationary_trainer(f, s, dps=dps)
    return time.perf_counter() - t, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pi-ref", type=float, default=0.1)
    ap.add_argument("--group-size", type=int, default=8)
    ap.add_argument("--dps", type=int, default=None)
    args = ap.parse_args()
    print("| preset | seconds | pi_theta(a) | pi_theta(b) |\n|---|---|---|---|")
    for name, p in PRESETS.items():
        dt, res = timed(args.pi_ref, p.settings, args.dps)
        print(f"| {name} | {dt:.3f} | {float(res.a):.12g} | {float(res.b):.3e} |")
    print("\n| estimator | st | placement | scaling | ds | seconds | pi_theta(a) |\n"
          "|---|---|---|---|---|---|---|")
    worst = 0.0
    for est, st, pl, sc, ds in itertools.product(ESTIMATORS, (False, True), PLACEMENTS,
                                                 SCALINGS, (False, True)):
        s = TrainerSettings(beta=1.0, group_size=args.group_size, estimator=est,
                            straight_through=st, placement=pl, scaling=sc, std="bessel",
                            eps=1e-4, dynamic_sampling=ds)
        dt, res = timed(args.pi_ref, s, args.dps)
        worst = max(worst, dt)
        print(f"| {est} | {st} | {pl} | {sc} | {ds} | {dt:.3f} | {float(res.a):.12g} |")
    print(f"\nslowest combination: {worst:.3f} s")


if __name__ == "__main__":
    main()
