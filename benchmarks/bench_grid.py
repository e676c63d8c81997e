"""Time a practitioner's sweep: the stationary policy over a grid of (pi_ref, beta).

Usage: python benchmarks/bench_grid.py [--points N] [--sizes 2,8,64,1000000] [--std S]
       [--eps E] [--scalar K] [--repeat R]

For each group size G, one run measures, per grid point:

* **vectorised**: ``stationary_binary_pair(F, B, group_size=G, ...)`` on the whole grid
  (F, B numpy arrays; pi_ref log-spaced in [1e-6, 0.999], beta in [1e-3, 1e2]);
* **scalar loop**: a Python loop of the one-point solver ``solvers.binary_point``
  (the algorithm every float call ran before the grids: Newton in float with an exact
  polish, mpmath closed forms at G = 2 with Bessel std or eps) over K grid points;
* **numpy bisection**: a plain reference -- 60 bisection steps of
  beta (p - f) = g(p) on [f, 1] for the whole grid at once, g summed over every j
  (np.power, float binomials) or, for G > 256, over a window of +-10 sd + 30 around the
  mode with log-binomial weights from a table of log k! (normalised by their sum);

and prints the ratios scalar/vectorised and bisection/vectorised from the same run,
plus the largest relative difference between the vectorised answer and the bisection (a sanity
check; accuracy against the 60-digit solver is in tests/test_numeric_grid.py).
Defaults: TRL's conventions (Bessel std, eps = 1e-4), 10 000 points (400 at G = 1e6,
where a window holds up to 10^4 terms).
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402

from grpo_sym.numeric import stationary_binary_pair  # noqa: E402
from grpo_sym.numeric.solvers import binary_point  # noqa: E402


def grid(n: int):
    side = int(round(math.sqrt(n)))
    F, B = np.meshgrid(np.geomspace(1e-6, 0.999, side), np.geomspace(1e-3, 1e2, side))
    return F.ravel(), B.ravel()


def _psi(u, G, std, eps):
    s = np.sqrt(u / (G * (G - 1.0))) if std == "bessel" else np.sqrt(u) / G
    return u / (G * G) / (s + eps)


def bisection(F, B, G: int, std: str, eps: float, steps: int = 60, chunk: int = 1 << 21):
    """The plain reference: bisection on [f, 1] with a straightforward g."""
    lo, hi = F.copy(), np.ones_like(F)
    if G <= 256:
        j = np.arange(G + 1, dtype=np.float64)
        C = np.array([float(math.comb(G, int(k))) for k in j])
        w = C * _psi(j * (G - j), G, std, eps)

        def g(p):
            return (w * p[:, None] ** j * (1 - p[:, None]) ** (G - j)).sum(axis=1)
    else:
        logfact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, G + 1)))])

        def g(p):
            out = np.empty_like(p)
            sd = np.sqrt(G * p * (1 - p))
            half = int(10 * sd.max() + 30)
            rows = max(1, chunk // (2 * half + 1))
            for s in range(0, p.size, rows):
                q = p[s:s + rows, None]
                c = np.floor(G * q)
                jj = np.clip(c + np.arange(-half, half + 1), 0, G)
                ji = jj.astype(np.int64)
                lw = (logfact[G] - logfact[ji] - logfact[G - ji] + jj * np.log(q)
                      + (G - jj) * np.log1p(-q))
                wt = np.exp(lw - lw.max(axis=1, keepdims=True))
                wt[(c + np.arange(-half, half + 1) < 0) | (c + np.arange(-half, half + 1) > G)] = 0
                out[s:s + rows] = (wt * _psi(jj * (G - jj), G, std, eps)).sum(axis=1) \
                    / wt.sum(axis=1)
            return out
    for _ in range(steps):
        mid = (lo + hi) / 2
        up = B * (mid - F) - g(mid) < 0
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return (lo + hi) / 2


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=10_000)
    ap.add_argument("--sizes", default="2,8,64,1000000")
    ap.add_argument("--std", default="bessel")
    ap.add_argument("--eps", type=float, default=1e-4)
    ap.add_argument("--scalar", type=int, default=100, help="points of the scalar loop")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    stationary_binary_pair(0.3, 0.5, group_size=8)               # warm: imports, tables
    print(f"std={args.std}, eps={args.eps}; times per grid point\n")
    print("| G | points | vectorised | scalar loop | numpy bisection | scalar / vectorised "
          "| bisection / vectorised | max relative difference from bisection |")
    print("|---|---|---|---|---|---|---|---|")
    for G in (int(s) for s in args.sizes.split(",")):
        n = args.points if G <= 10_000 else min(args.points, 400)
        F, B = grid(n)
        n = F.size
        t_vec, res = best(lambda: stationary_binary_pair(F, B, group_size=G, std=args.std,
                                                         eps=args.eps), args.repeat)
        k = min(n, args.scalar if G <= 10_000 else max(1, args.scalar // 5))
        pick = np.linspace(0, n - 1, k).astype(int)
        t0 = time.perf_counter()
        for i in pick:
            binary_point(float(F[i]), float(B[i]), 1.0, G, args.std, args.eps, "grpo", None)
        t_scalar = (time.perf_counter() - t0) / k
        t_bis, ref = best(lambda: bisection(F, B, G, args.std, args.eps), 1)
        rel = np.abs(res.a - ref) / res.a
        print(f"| {G:,} | {n:,} | {t_vec / n * 1e6:.1f} us | {t_scalar * 1e6:,.0f} us | "
              f"{t_bis / n * 1e6:.1f} us | {t_scalar / (t_vec / n):,.0f}x | "
              f"{t_bis / t_vec:.1f}x | {rel.max():.1e} |", flush=True)


if __name__ == "__main__":
    main()
