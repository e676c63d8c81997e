"""Time the finite-group solver, and compare it with a seeded Monte Carlo estimate.

Usage: python benchmarks/bench_finite_group.py [--pi-ref F] [--beta B] [--std S] [--eps E]
       [--groups N] [--seed S] [--repeat R] [--sizes 8,64,...] [--accuracy]

For each group size G it prints, as a Markdown table:

* the float solve (``stationary_binary_finite``): best of R wall times, and its error
  in ulp against the 50-digit answer, for pi_theta(a) and pi_theta(b);
* the 50-digit solve: its wall time (fresh caches), and how many digits it shares
  with a 60-digit solve;
* a seeded Monte Carlo estimate: g(p) = E[(J/G) A_a(J)] is estimated from N sampled
  groups (numpy ``default_rng(seed)``; the number J of a's in a group of G i.i.d.
  outputs is drawn as Binomial(G, p), which is the same law as drawing the G outputs
  one by one), with the same seed at every p (common random numbers), and the fixed
  point beta (p - f) = g_hat(p) is bracketed by bisection.  Its wall time and its
  relative error against the 50-digit answer.

Targets (2 cores): float under 0.1 s and dps=50 under 2 s at G = 10^6.

``--accuracy`` instead runs the brute-force comparison (every binomial term, exact
integer binomials, 60+ digits, bracketing root) over a grid of pi_ref and beta for
G in 2, 3, 4, 5, 8, 16, 64, 1000 and prints the worst error in ulp (slow: minutes).
"""
from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import mpmath  # noqa: E402
import numpy as np  # noqa: E402

from grpo_sym.numeric import stationary_binary_finite  # noqa: E402
from grpo_sym.numeric.kernel import Kernel  # noqa: E402
from grpo_sym.numeric.solvers import Problem  # noqa: E402

TARGET_FLOAT, TARGET_DPS50 = 0.1, 2.0


def ulps(x: float, exact) -> float:
    with mpmath.workdps(80):
        if exact == 0:
            return 0.0 if x == 0 else math.inf
        return float(abs(mpmath.mpf(x) - exact) / mpmath.mpf(math.ulp(float(exact))))


def fresh_solve(*args, **kw):
    """A solve with cold caches (the psi cache lives in a per-solve kernel anyway)."""
    return stationary_binary_finite(*args, **kw)


def psi(G: int, j: np.ndarray, std: str, eps: float) -> np.ndarray:
    u = j * (G - j)
    s = np.sqrt(u / (G * (G - 1.0))) if std == "bessel" else np.sqrt(u) / G
    with np.errstate(invalid="ignore", divide="ignore"):
        out = u / (G * G) / (s + eps)
    return np.where(u == 0, 0.0, out)


def monte_carlo(f, beta, G, std, eps, n_groups, seed, lo, hi):
    """Root of beta (p - f) - g_hat(p), g_hat from n_groups sampled groups per p."""
    def g_hat(p):
        rng = np.random.default_rng(seed)               # common random numbers
        J = rng.binomial(G, p, size=n_groups).astype(np.float64)
        return float(psi(G, J, std, eps).mean())

    for _ in range(60):                                 # bisection: g_hat is not smooth
        mid = (lo + hi) / 2
        if beta * (mid - f) - g_hat(mid) > 0:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-15:
            break
    return (lo + hi) / 2


def bench(args) -> None:
    f, beta, std, eps = args.pi_ref, args.beta, args.std, args.eps
    print(f"pi_ref = {f}, beta = {beta}, std = {std}, eps = {eps}; Monte Carlo: "
          f"{args.groups} groups per evaluation, seed {args.seed}; float time best of "
          f"{args.repeat}\n")
    print("| G | float time | float err a, b (ulp) | dps=50 time | dps=50 vs dps=60 "
          "(digits) | MC time | MC rel. err a, b |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    fresh_solve(0.3, 0.5, 8)                             # numpy import, stirlerr table
    worst_float = worst_dps = 0.0
    for G in args.sizes:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            got = fresh_solve(f, beta, G, std=std, eps=eps)
            times.append(time.perf_counter() - t0)
        t_float = min(times)
        t0 = time.perf_counter()
        ex = fresh_solve(f, beta, G, std=std, eps=eps, dps=50)
        t_dps = time.perf_counter() - t0
        ex60 = fresh_solve(f, beta, G, std=std, eps=eps, dps=60)
        with mpmath.workdps(70):
            agree = min(-mpmath.log10(abs(ex.a - ex60.a) / ex60.a) if ex.a != ex60.a else 70,
                        -mpmath.log10(abs(ex.b - ex60.b) / ex60.b) if ex.b != ex60.b else 70)
        ea, eb = ulps(got.a, ex.a), ulps(got.b, ex.b)
        # Monte Carlo, bracketed by the (14)/(15) bounds
        with mpmath.workdps(30):
            p_lo, p_hi, _, _ = Problem(
                Kernel(G, std, eps), f, 1 - f, beta).bounds_mp()
        t0 = time.perf_counter()
        p_mc = monte_carlo(f, beta, G, std, eps, args.groups, args.seed, float(p_lo),
                           float(p_hi))
        t_mc = time.perf_counter() - t0
        with mpmath.workdps(30):
            ra = float(abs(p_mc - ex.a) / ex.a)
            rb = float(abs((1 - p_mc) - ex.b) / ex.b)
        worst_float, worst_dps = max(worst_float, t_float), max(worst_dps, t_dps)
        print(f"| {G:,} | {t_float * 1e3:.1f} ms | {ea:.1f}, {eb:.1f} | {t_dps:.2f} s | "
              f"{float(agree):.0f} | {t_mc:.2f} s | {ra:.1e}, {rb:.1e} |", flush=True)
    print(f"\nworst float {worst_float * 1e3:.1f} ms (target {TARGET_FLOAT * 1e3:.0f} ms), "
          f"worst dps=50 {worst_dps:.2f} s (target {TARGET_DPS50:.0f} s)")


# -- the brute-force accuracy sweep ---------------------------------------------------------

def _psi_mp(G, j, std, eps):
    x = mpmath.mpf(j) / G
    s = (mpmath.sqrt(x * (1 - x)) if std == "population"
         else mpmath.sqrt(mpmath.mpf(j) * (G - j) / (G * (G - 1))))
    return x * (1 - x) / (s + eps)


def reference(f, beta, G, std="population", eps=0.0, dps=60):
    """Every binomial term, exact integer binomials; bisection in log x then Anderson,
    checked by a sign change within 1e-40 (relative) of the answer."""
    extra = int(-math.log10(min(f, 1 - f))) + 1         # near beta = K: p ~ sqrt(f)
    with mpmath.workdps(dps + 30 + extra):
        f, beta, eps = mpmath.mpf(f), mpmath.mpf(beta), mpmath.mpf(eps)
        rf = 1 - f
        psis = [None] + [_psi_mp(G, j, std, eps) for j in range(1, G)]

        def R(x, side):
            p, r = (x, 1 - x) if side == "a" else (1 - x, x)
            g = mpmath.fsum(math.comb(G, j) * p ** j * r ** (G - j) * psis[j]
                            for j in range(1, G))
            return beta * (x - f) - g if side == "a" else beta * (x - rf) + g

        half = mpmath.mpf(1) / 2
        side = "a" if R(half, "a") > 0 else "b"
        a = mpmath.log(f if side == "a" else mpmath.mpf(10) ** -400)
        b = mpmath.log(half)

        def fn(t):
            return R(mpmath.exp(t), side)

        for _ in range(12):
            c = (a + b) / 2
            a, b = (a, c) if fn(c) > 0 else (c, b)
        try:
            t = mpmath.findroot(fn, (a, b), solver="anderson")
            d = mpmath.mpf(10) ** -40
            ok = a <= t <= b and fn(t - d) <= 0 <= fn(t + d)
        except (ValueError, ZeroDivisionError):
            ok = False
        if not ok:
            while b - a > mpmath.mpf(10) ** -45:
                c = (a + b) / 2
                a, b = (a, c) if fn(c) > 0 else (c, b)
            t = (a + b) / 2
        x = mpmath.exp(t)
        return (x, 1 - x) if side == "a" else (1 - x, x)


def accuracy(args) -> None:
    F = [1e-300, 1e-100, 1e-12, 1e-4, 0.01, 0.2, 0.5, 0.7, 0.99, 1 - 1e-10, 1 - 2 ** -52]
    B = [1e-6, 1e-3, 0.04, 0.5, 1.0, 2.0, math.sqrt(7), 10.0, 1e3, 1e6]
    print(f"std = {args.std}, eps = {args.eps}: {len(F)} pi_ref x {len(B)} beta per G\n")
    print("| G | worst ulp | at (pi_ref, beta) | slowest float solve |")
    print("|---:|---:|---|---:|")
    for G in args.accuracy_sizes:
        worst, where, slowest = 0.0, None, 0.0
        for f, beta in itertools.product(F, B):
            t0 = time.perf_counter()
            got = stationary_binary_finite(f, beta, G, std=args.std, eps=args.eps)
            slowest = max(slowest, time.perf_counter() - t0)
            ra, rb = reference(f, beta, G, args.std, args.eps)
            e = max(ulps(got.a, ra), ulps(got.b, rb))
            if e > worst:
                worst, where = e, (f, beta)
        print(f"| {G:,} | {worst:.2f} | {where} | {slowest * 1e3:.0f} ms |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pi-ref", type=float, default=0.2)
    ap.add_argument("--beta", type=float, default=0.04)
    ap.add_argument("--std", choices=("population", "bessel"), default="population")
    ap.add_argument("--eps", type=float, default=0.0)
    ap.add_argument("--groups", type=int, default=10**5)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sizes", type=lambda s: [int(float(x)) for x in s.split(",")],
                    default=[8, 64, 1000, 10**4, 10**5, 10**6])
    ap.add_argument("--accuracy", action="store_true")
    ap.add_argument("--accuracy-sizes", type=lambda s: [int(x) for x in s.split(",")],
                    default=[2, 3, 4, 5, 8, 16, 64, 1000])
    args = ap.parse_args()
    accuracy(args) if args.accuracy else bench(args)


if __name__ == "__main__":
    main()
