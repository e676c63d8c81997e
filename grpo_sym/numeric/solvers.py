"""Solvers for the stationary policy of a binary question (every group size G).

g is the group-advantage sum of :mod:`.kernel`; on policy q = p = pi_theta(a),
f = pi_ref(a):

* ``penalty="grpo"`` (the paper's estimator, (11)):  ``beta (p - f) = g(p)``.
  G = 2 is (14) with c = beta; G = 3 is (14) with c = beta/sqrt(2); G -> inf
  is (15).  psi is concave with psi(0) = psi(1) = 0, Bernstein polynomials keep
  concavity, so ``F(p) = beta (p - f) - g(p)`` is convex with F(0) > 0 > F(1):
  the root is unique, lies above f, and Newton's method from any point above it
  decreases monotonically onto it.
* ``penalty="kl"`` (the direct KL of Sec. 3):
  ``beta (logit p - logit f) = k2(p) := g(p)/(p (1 - p))``.  For finite G, k2 is
  bounded (by ``K = G psi(1/G)``, its value at both ends) while the left side is
  not, so a root always exists; but k2 is not monotone and there may be three.
  The answer is the one on-policy GRPO reaches from pi_ref: the flow dp/dt has
  the sign of ``k2(p) - beta (logit p - logit f)``, positive at p = f, so it
  climbs to the *first root above f* -- the convention of ``direct_kl_large``
  for G = inf (its smaller zero x1), which for finite G also exists when the
  G = inf answer is 1 (then it lies where 1 - p is of order 1/G or below).

Bounds and starting point (all G, both std conventions, any eps >= 0): Bernstein
polynomials of a concave function increase with G to it, and
``psi(x) <= c sqrt(x (1 - x))`` (c = 1, or sqrt((G - 1)/G) for Bessel), so the
GRPO root lies between (14) with ``c = beta/(2 psi(1/2))`` and (15) with
``beta/c``; g(p)/p <= K and g(p)/(1 - p) <= K sharpen them near 0 and 1.  With
eps = 0, the Bessel std is the population std at ``beta sqrt(G/(G - 1))``.

Methods.

* One point, float (:func:`solve_point`): Newton from the upper bound on
  :func:`.kernel.sums_float` (geometric bisection where it would crawl).  The residual
  loses log2(cond) bits, ``cond = (beta (x + x_f) + g)/(x R'(x))``, x the smaller
  of p and 1 - p; above cond = 3 one Newton step in exact arithmetic (below)
  finishes the float answer.  Near beta = K with p << 1/G the float residual is
  blind (1 - p rounds to 1 and the root is p ~ sqrt(f)); the exact step then
  measures cond at its own root and adds bits until they cover it.
* Many points (:func:`grid_grpo`): the same Newton on every point at once, then a
  double-double residual step (G <= ``G_DIRECT``); for larger G the float root starts
  the exact step of each point (cond is at least about 2 there, so the float residual
  alone cannot promise 4 ulp).
* ``dps=d``: exact sums (:func:`.kernel.sums_mp`).  Newton starts at the float
  answer and stops once a step is below the square root of the target (the next
  would be below the target).
* KL: the same sums give k2 and its slope D in y = logit p.  k2 is symmetric and
  decreases for p < 1/2, and D is unimodal for p > 1/2 (checked numerically for
  population/Bessel std and eps up to 1/2, G from 4 to 1000, see the tests):
  so Psi(y) = beta (y - logit f) - k2 increases except between the two points
  where D = beta, and the first root lies in an increasing stretch, found by a
  golden-section search for max D and two bracketed roots of D = beta.  Where
  1 - p (or p) is below e^-40/G, k2 = K to float accuracy and
  ``y = logit f + K/beta`` exactly (in mpmath; r may be e^-2000).

Cost grows like sqrt(G p (1 - p)) terms: at G = 10^6 a float solve takes a few
to about 40 ms and dps = 50 about 0.1 s on one core (benchmarks/bench_finite_group.py).

Each probability is returned to full relative accuracy: the smaller of p and
1 - p is the unknown, the other is 1 minus it (no cancellation).

>>> solve_point(0.2, 0.04, 8, "population", 0.0, "grpo", None)     # between (14) and (15)
BinaryPolicy(a=0.987733682440109, b=0.01226631755989105)
>>> a, b, ok = grid_grpo(np.array([0.2]), np.array([0.04]), 8, "population", 0.0)
>>> a, b, ok
(array([0.98773368]), array([0.01226632]), array([ True]))
"""
from __future__ import annotations

import math
from typing import Callable

import mpmath
import numpy as np

from .binary import MP, BinaryPolicy, large, pair_advantage, pairs
from .direct_kl import direct_kl_large, direct_kl_pairs, direct_kl_pairs_other
from . import ddouble as dd
from .kernel import G_DIRECT, GridKernel, Kernel, sums_float, sums_mp

__all__ = ["solve_point", "binary_point", "grid_grpo", "Problem"]


_U = 2.0 ** -53                          # unit roundoff
_KL_SAT_FLOAT = 40.0                     # |logit p| > log G + this: k2 = K to < 2^-57
_POLISH_COND = 3.0                       # float roots above this condition get one exact step


# -- the GRPO penalty: beta (p - f) = g(p) --------------------------------------------

class Problem:
    """Validated inputs in the working number type, plus the bounds of the GRPO root."""

    def __init__(self, kern: Kernel, f, rf, beta):
        self.kern, self.f, self.rf, self.beta = kern, f, rf, beta

    def bounds_mp(self):
        """(p_lo, p_hi, r_lo, r_hi): (14) at beta/(2 psi(1/2)) and (15) at beta/c, sharpened
        by g/p <= K and g/(1 - p) <= K (mpmath, current precision)."""
        kern = self.kern
        f, rf, beta = mpmath.mpf(self.f), mpmath.mpf(self.rf), mpmath.mpf(self.beta)
        lo = pairs(f, beta / (2 * kern.psi_half()), MP)       # (14): p_lo and r_hi
        hi = large(f, beta / kern.c_std(), MP)                # (15): p_hi and r_lo
        p_lo, r_hi, p_hi, r_lo = lo.a, lo.b, hi.a, hi.b
        K = kern.k_end()
        if K != mpmath.inf:
            if beta > K:
                p_hi = min(p_hi, f * beta / (beta - K))
            r_lo = max(r_lo, rf * (beta / (beta + K)))
        return p_lo, p_hi, r_lo, r_hi


def _newton_grpo(prob: Problem, sums: Callable, x, lo, hi, side: str, tol, num):
    """Safeguarded Newton on R(x) = beta (x - x_f) -+ x g/x (increasing in x) in [lo, hi].

    Returns (x, R', g/x, converged), R' and g/x from the last evaluation.  Far from the
    root Newton can crawl (near beta = K the root is p ~ sqrt(f) and R is nearly
    quadratic: each step halves x); a step that would move x by more than a quarter of
    itself is replaced by a geometric bisection of the bracket when that spans more
    than a factor 4."""
    beta = prob.beta
    xf = prob.f if side == "a" else prob.rf
    sgn = -1 if side == "a" else 1
    dR = gx = None
    for _ in range(400):
        gx, m1, _ = sums(x, side)
        o = 1 - x
        R = beta * (x - xf) + sgn * x * gx
        dR = beta - m1 / o                # = beta - g'(p) on both sides
        if R == 0:
            return x, dR, gx, True
        if R > 0:
            hi = x
        else:
            lo = x
        step = R / dR if dR > 0 else None
        if step is not None and abs(step) <= tol * abs(x):
            return x - step, dR, gx, True  # (the step may be below one unit of x)
        x_new = x - step if step is not None else None
        if x_new is None or not (lo < x_new < hi) or (abs(step) > x / 4 and lo > 0
                                                       and hi > 4 * lo):
            # geometric mean without the underflow of lo * hi (lo may be ~1e-300)
            x_new = num.sqrt(lo) * num.sqrt(hi) if lo > 0 and hi > 4 * lo else (lo + hi) / 2
        x = x_new
        if hi - lo <= tol * abs(x):
            return x, dR, gx, True
    return x, dR, gx, False


class _FloatNum:
    sqrt = staticmethod(math.sqrt)


class _MpNum:
    sqrt = staticmethod(mpmath.sqrt)


def _grpo_float(prob: Problem):
    kern = prob.kern
    f, rf, beta = prob.f, prob.rf, prob.beta
    with mpmath.workdps(30):
        bounds = [float(b) for b in prob.bounds_mp()]
    p_lo, p_hi, r_lo, r_hi = bounds
    if not kern.finite:
        return None                        # solved in mpmath directly
    sums = lambda x, side: sums_float(kern, x, side)  # noqa: E731
    if p_hi <= 0.5:
        side = "a"
    elif p_lo >= 0.5:
        side = "b"
    else:
        gx, _, _ = sums(0.5, "a")
        side = "a" if beta * (0.5 - f) - 0.5 * gx > 0 else "b"
        if side == "a":
            p_hi = 0.5
        else:
            r_hi = 0.5
    if side == "a":
        x, lo, hi = p_hi, p_lo * (1 - 1e-12), p_hi * (1 + 1e-12)
    else:
        x, lo, hi = r_lo, r_lo * (1 - 1e-12), r_hi * (1 + 1e-12)
    if x == 0.0 or lo == 0.0:             # the answer underflows (beta or f tiny)
        return side, x, 1.0
    x, dR, gx, ok = _newton_grpo(prob, sums, x, lo, hi, side, 2 * _U, _FloatNum)
    if not ok:
        return side, x, math.inf
    xf = f if side == "a" else rf
    cond = (beta * (x + xf) + x * gx) / (dR * x) if dR and dR > 0 else math.inf
    return side, x, cond


def _grpo_mp(prob: Problem, dps: int, start=None, cond: float = 1.0):
    """Newton in exact sums at dps digits, from a float start (side, x) or from the bounds.

    The residual beta (x - x_f) -+ g loses log2(cond) bits to cancellation, cond =
    (beta x + g)/(x R'(x)).  The float estimate of cond is a lower bound at best (near
    beta = K and p << 1/G the float R' is 0); so after solving, cond is measured at
    the root with the working precision, and the solve is repeated with more bits until
    they cover it.  This happens only where G p << 1: sums of a few terms."""
    kern = prob.kern
    extra = 100 if not math.isfinite(cond) else max(0, int(math.log2(max(cond, 1)))) + 8
    for _ in range(12):
        prec = int((dps + 10) * 3.33) + extra + 8
        side, x, o, cond_mp = _grpo_mp_once(prob, kern, dps, prec, start)
        lost = math.log2(cond_mp) if math.isfinite(cond_mp) and cond_mp > 0 else math.inf
        if lost <= extra:                  # extra already holds 8 spare bits
            return side, x, o
        extra = max(2 * extra, int(lost) + 40) if math.isfinite(lost) else 2 * extra + 100
        start = None                       # the float start may be the cancelled root
    return side, x, o


def _grpo_mp_once(prob: Problem, kern: Kernel, dps: int, prec: int, start):
    with mpmath.workprec(prec + 32):
        f, rf, beta = mpmath.mpf(prob.f), mpmath.mpf(prob.rf), mpmath.mpf(prob.beta)
        mp_prob = Problem(kern, f, rf, beta)
        p_lo, p_hi, r_lo, r_hi = mp_prob.bounds_mp()
        sums = lambda x, side: sums_mp(kern, x, side, prec)  # noqa: E731
        half = mpmath.mpf(1) / 2
        if start is not None and start[1] > 0:
            side, x = start[0], mpmath.mpf(start[1])
        else:
            if p_hi <= half:
                side = "a"
            elif p_lo >= half:
                side = "b"
            else:
                gx, _, _ = sums(half, "a")
                side = "a" if beta * (half - f) - half * gx > 0 else "b"
            x = min(p_hi, half) if side == "a" else r_lo
        lo, hi = (p_lo, p_hi) if side == "a" else (r_lo, r_hi)
        widen = 1 + mpmath.mpf(10) ** -12  # the bounds are rounded
        lo, hi = lo / widen, min(hi, half) * widen
        # Newton converges quadratically: after a step of relative size d the error is
        # about 100 d^2 here, so stop once that is below 10^-(dps + 4)
        tol = mpmath.sqrt(mpmath.mpf(10) ** (-(dps + 6)))
        x, dR, gx, ok = _newton_grpo(mp_prob, sums, x, lo, hi, side, tol, _MpNum)
        if not ok:
            return side, x, 1 - x, math.inf
        xf = f if side == "a" else rf
        mag = beta * (x + xf) + x * gx    # R' and g/x of the last step: close enough
        cond = float(mag / (dR * x)) if dR > 0 else math.inf
        return side, x, 1 - x, cond


# -- the direct-KL penalty: beta (logit p - logit f) = k2(p) ---------------------------

class _KL:
    """The first root above logit f of Psi(y) = beta (y - y_f) - k2(y), y = logit p."""

    def __init__(self, kern: Kernel, yf, beta, sums: Callable, sat: float, exp, mp: bool):
        self.kern, self.yf, self.beta, self.sums = kern, yf, beta, sums
        self.sat, self.exp = sat, exp
        with mpmath.workdps(30):
            self.K = kern.k_end() if mp else float(kern.k_end())

    def eval(self, y):
        """(Psi(y), Psi'(y), D(y) = d k2/dy)."""
        if abs(y) >= self.sat:
            return self.beta * (y - self.yf) - self.K, self.beta, 0 * y
        x = 1 / (1 + self.exp(abs(y)))
        side = "a" if y < 0 else "b"
        o = 1 - x
        gx, _, m2 = self.sums(x, side)
        D = m2 / o
        return self.beta * (y - self.yf) - gx / o, self.beta - D, D

    def _root(self, fn, a, b, fa, fb, tol, it=200):
        """A zero of fn in [a, b] (fa <= 0 <= fb) by the Illinois method."""
        side = 0
        for _ in range(it):
            if fb == fa:
                c = (a + b) / 2
            else:
                c = (a * fb - b * fa) / (fb - fa)
                if not (min(a, b) < c < max(a, b)):
                    c = (a + b) / 2
            fc = fn(c)
            if fc == 0 or abs(b - a) <= tol * max(1, abs(c)):
                return c
            if (fc < 0) == (fa < 0):
                a, fa = c, fc
                if side == -1:
                    fb /= 2
                side = -1
            else:
                b, fb = c, fc
                if side == 1:
                    fa /= 2
                side = 1
        return (a + b) / 2

    def _golden_max_D(self, a, b, tol):
        """argmax of D on [a, b] (D unimodal there), and the maximum."""
        invphi = (math.sqrt(5) - 1) / 2
        c, d = b - invphi * (b - a), a + invphi * (b - a)
        fc, fd = self.eval(c)[2], self.eval(d)[2]
        while b - a > tol:
            if fc < fd:
                a, c, fc = c, d, fd
                d = a + invphi * (b - a)
                fd = self.eval(d)[2]
            else:
                b, d, fd = d, c, fc
                c = b - invphi * (b - a)
                fc = self.eval(c)[2]
        return (c, fc) if fc >= fd else (d, fd)

    def saturated_root(self):
        return self.yf + self.K / self.beta

    def locate(self, tol):
        """A bracket [a, b] in which Psi increases with Psi(a) <= 0 <= Psi(b) and which holds
        the first root above y_f, or ('sat', None) when that root is in the saturated zone."""
        beta, yf, L = self.beta, self.yf, self.sat
        y_up = self.saturated_root()       # k2 <= K there: Psi(y_up) >= 0
        ys = yf
        if ys < 0:                         # k2 decreases in p < 1/2: Psi increases on y < 0
            if self.eval(0 * ys)[0] >= 0:
                return self._bracket(ys, 0 * ys)
            ys = 0 * yf
        if ys >= L:
            return "sat", None
        ym, Dm = self._golden_max_D(ys, L, tol)
        if Dm <= beta:                     # Psi increases on [ys, inf)
            return self._bracket(ys, y_up)
        if self.eval(ys)[2] < beta:
            y1 = self._root(lambda y: self.eval(y)[2] - beta, ys, ym,
                            self.eval(ys)[2] - beta, Dm - beta, tol)
            if self.eval(y1)[0] >= 0:
                return self._bracket(ys, y1)
        y2 = self._root(lambda y: beta - self.eval(y)[2], ym, L, beta - Dm, beta, tol)
        return self._bracket(y2, y_up)

    def _bracket(self, a, b):
        L = self.sat
        if a <= -L and self.eval(-L)[0] >= 0:
            return "sat", None
        if b >= L and self.eval(L)[0] < 0:
            return "sat", None
        return max(a, -L), min(b, L)

    def newton(self, y, a, b, tol):
        """Safeguarded Newton on Psi in [a, b]."""
        for _ in range(200):
            v, dv, _ = self.eval(y)
            if v > 0:
                b = y
            elif v < 0:
                a = y
            else:
                return y
            step = v / dv if dv > 0 else None
            if step is not None and abs(step) <= tol * max(1, abs(y)):
                return y - step
            y_new = y - step if step is not None else None
            if y_new is None or not (a < y_new < b):
                y_new = (a + b) / 2
            y = y_new
            if b - a <= tol * max(1, abs(y)):
                return y
        return y


def _kl_solve(kern: Kernel, f, rf, beta, dps):
    """(p, 1 - p) for the direct-KL penalty (first root above pi_ref)."""
    G = kern.G
    logG = math.log(G) if kern.finite else 0.0
    if not kern.finite:                    # k2 = 1/(sqrt(p r) + eps): saturates like sqrt
        with mpmath.workdps(30):
            sat_f = float(2 * (mpmath.log(kern.k_end()) + 45))
    else:
        sat_f = logG + _KL_SAT_FLOAT
    # float search for the bracket (y = logit p); beta clamped into float range, which
    # keeps every branch decision (D is between 0 and about sqrt(G))
    with mpmath.workdps(30):
        yf_f = float(mpmath.log(mpmath.mpf(f)) - mpmath.log(mpmath.mpf(rf)))
        beta_f = min(max(float(beta), 1e-300), 1e300)
    if kern.finite:
        kl = _KL(kern, yf_f, beta_f, lambda x, side: sums_float(kern, x, side), sat_f,
                 math.exp, False)
        loc = kl.locate(1e-7)
        y0 = None if loc[0] == "sat" else kl.newton((loc[0] + loc[1]) / 2, *loc, 4 * _U)
    else:                                  # the same search on the exact sums (64 bits)
        with mpmath.workprec(96):
            kl = _KL(kern, mpmath.mpf(yf_f), mpmath.mpf(beta_f),
                     lambda x, side: sums_mp(kern, x, side, 64), sat_f, mpmath.exp, True)
            loc = kl.locate(1e-7)
            y0 = None if loc[0] == "sat" else float(kl.newton((loc[0] + loc[1]) / 2, *loc,
                                                              4 * _U))
    # refine in mpmath: the answer to dps digits (or to a few ulp for a float result)
    digits = dps if dps is not None else 17
    prec = int((digits + 12) * 3.33)
    with mpmath.workprec(prec + 32):
        fm, rfm, bm = mpmath.mpf(f), mpmath.mpf(rf), mpmath.mpf(beta)
        yf = mpmath.log(fm) - mpmath.log(rfm)
        if kern.finite:
            sat = logG + (digits + 12) * math.log(10) + 2
        else:
            sat = float(2 * (mpmath.log(kern.k_end()) + (digits + 12) * math.log(10)))
        klm = _KL(kern, yf, bm, lambda x, side: sums_mp(kern, x, side, prec), sat,
                  mpmath.exp, True)
        if y0 is None or abs(y0) >= sat:
            y = klm.saturated_root()
            if abs(y) < sat:               # saturated in float, not at these digits
                y = klm.newton(y, y - 1, y + 1, mpmath.mpf(2) ** -prec)
        else:
            y = mpmath.mpf(y0)
            for _ in range(60):
                v, dv, _ = klm.eval(y)
                step = v / dv
                y -= step
                if abs(step) <= mpmath.mpf(2) ** -(prec - 8) * max(1, abs(y)):
                    break
        p = 1 / (1 + mpmath.exp(-y))
        r = 1 / (1 + mpmath.exp(y))
        return p, r


def solve_point(f, beta, G, std, eps, penalty, dps) -> BinaryPolicy:
    """One finite-G (or G = inf with eps > 0) solve, validated inputs, in the exact
    number types given (floats for dps=None)."""
    def out(a, b):
        if dps is None:
            return BinaryPolicy(float(a), float(b))
        with mpmath.workdps(dps):
            return BinaryPolicy(+mpmath.mpf(a), +mpmath.mpf(b))

    if f == 0 or f == 1:                  # pi_theta's domain lies in pi_ref's support
        return out(f, 1 - f)
    if beta == 0:                         # no penalty: the flow goes all the way to a
        return out(1, 0)
    kern = Kernel(G, std, eps)
    if not kern.finite and eps == 0:
        raise ValueError("group_size=math.inf with eps=0 is (15) or direct_kl_large: use "
                         "stationary_binary (this solver needs eps > 0 for the limit)")
    # f and 1 - f, each exact: in float when the result is a float, else in mpmath
    if dps is None:
        f = float(f)
        rf = 1.0 - f if f < 0.5 else float(mpmath.fsub(1, f, exact=True))
    else:
        f = mpmath.mpf(f)
        rf = mpmath.fsub(1, f, exact=True)
    if penalty == "kl":
        p, r = _kl_solve(kern, f, rf, beta, dps)
        return out(p, r)

    # GRPO penalty
    float_ok = dps is None or all(_normal_float(v) for v in (f, rf, beta))
    start, cond = None, 1.0
    if float_ok:
        ff, rff, bf = float(f), float(rf), float(beta)
        if _normal_float(bf):
            res = _grpo_float(Problem(kern, ff, rff, bf))
            if res is not None:
                side, x, cond = res
                start = (side, x)
                if dps is None and cond <= _POLISH_COND and x > 0:
                    return out(*((x, 1 - x) if side == "a" else (1 - x, x)))
    # a float answer needs the exact residual to ~22 digits (one Newton step from the
    # float root squares its error): dps 12 + the 10 guard digits of _grpo_mp
    digits = dps if dps is not None else 12
    side, x, o = _grpo_mp(Problem(kern, f, rf, beta), digits, start, cond)
    return out(*((x, o) if side == "a" else (o, x)))


def _normal_float(v) -> bool:
    """Whether v converts to a normal float without overflow (or is 0)."""
    try:
        fv = float(v)
    except OverflowError:
        return False
    return fv == 0 or (math.isfinite(fv) and abs(fv) >= 2.2250738585072014e-308)


# -- one point, any configuration (the exact path, and the fallback of the grids) --------

def binary_point(f, beta, gamma, G, std, eps, penalty, dps) -> BinaryPolicy:
    """(pi_theta(a), pi_theta(b)) for validated scalars in their exact types: floats for
    ``dps=None``, else mpf with ``dps`` digits (numbers are read by ``validate.to_mpf``
    at the working precision, so exact inputs stay exact)."""
    from .validate import to_mpf

    def done(a, b) -> BinaryPolicy:
        if dps is None:
            return BinaryPolicy(float(a), float(b))
        with mpmath.workdps(dps):
            return BinaryPolicy(+mpmath.mpf(a), +mpmath.mpf(b))

    work = (dps or 17) + 40
    with mpmath.workdps(work):
        fm, bm, gm, em = (to_mpf(v) for v in (f, beta, gamma, eps))
        rfm = 1 - fm
    if fm == 0 or fm == 1:
        # pi_theta's domain lies in pi_ref's support (Sec. 1.3)
        return done(fm, rfm)
    if bm == 0:
        # no penalty (TRL's default): nothing holds pi_theta back from the better answer
        return done(1, 0)
    if G != 2 and (G != math.inf or em != 0):
        if dps is None:
            return solve_point(float(f), float(beta), G, std, float(eps), penalty, None)
        with mpmath.workdps(work):
            return solve_point(fm, bm, G, std, em, penalty, dps)
    if penalty == "kl":
        return done(*_direct_kl(fm, bm, gm, G, dps, std, em))
    with mpmath.workdps(work):
        # c = beta/(gamma A_2) in (14) needs c - 1 to full relative accuracy where c is
        # within 10^-17 of 1 (f tiny): 40 guard digits, round once
        if G == 2:
            c = bm / (gm * pair_advantage(std, em, MP))
            res = pairs(fm, c, MP)
        else:
            res = large(fm, bm, MP)
        return done(res.a, res.b)


def _direct_kl(f, beta, gamma, G, dps, std="population", eps=0):
    """The direct-KL penalty (Sec. 3): closed form for groups of two; for large
    groups, where on-policy GRPO started at pi_ref ends up."""
    if G == 2:
        # e^{-gamma/beta} amplifies the rounding of gamma/beta by |gamma/beta|: its digits
        # are needed beyond the point
        digits = (dps or 15) + 15 + max(0, int(mpmath.log10(gamma / max(beta, 1e-300))))
        with mpmath.workdps(digits):
            c = beta / (gamma * pair_advantage(std, eps, MP))
            return direct_kl_pairs(f, c, mpmath.exp), direct_kl_pairs_other(f, c, mpmath.exp)
    return direct_kl_large(f, beta, dps)


# -- many points at once: vectorised Newton, a double-double step, exact fallback ---------

_DD_COND = 2.0 ** 40        # beyond this the double-double residual is not enough


def grid_grpo(f, beta, G: int, std: str, eps):
    """(a, b, ok) for the GRPO penalty at finite G, float arrays of one shape (f in (0, 1),
    beta > 0, eps >= 0); ``ok`` is False where the caller must fall back to
    :func:`solve_point` (the root underflows, or is too ill-conditioned for the method).

    Method: the bounds of :class:`Problem` (closed forms, in float) pick the side (x = p
    or 1 - p, the smaller) and a bracket; safeguarded Newton in float on every point at
    once; then, for G <= ``G_DIRECT``, one Newton step on the residual evaluated in
    double-double (every power, C(G, k), psi_k and 1 - f exact to about 2^-100), which
    leaves about half an ulp; for larger G the float root (from windowed sums) starts an
    exact Newton step per point (:func:`_grpo_mp`, as in :func:`solve_point`)."""
    n = f.size
    kern = GridKernel(G, std, eps)
    rf = 1.0 - f
    rf_lo = (1.0 - rf) - f                 # 1 - f = rf + rf_lo exactly
    # bounds: (14) at beta/(2 psi(1/2)) below, (15) at beta/c above, sharpened with K
    with np.errstate(all="ignore"):
        lo14 = pairs(f, beta / (2 * kern.psi_half))
        hi15 = large(f, beta / kern.c_std)
        p_lo, r_hi, p_hi, r_lo = lo14.a, lo14.b, hi15.a, hi15.b
        K = kern.K + 0 * f
        p_hi = np.where(beta > K, np.minimum(p_hi, f * beta / (beta - K)), p_hi)
        r_lo = np.maximum(r_lo, rf * (beta / (beta + K)))
    side_a = p_hi <= 0.5
    mid = ~side_a & (p_lo < 0.5)
    if mid.any():
        half = np.full(int(mid.sum()), 0.5)
        S, _ = kern.sums(half, np.ones(half.shape, bool)) if np.ndim(eps) == 0 else \
            GridKernel(G, std, eps[mid]).sums(half, np.ones(half.shape, bool))
        side_a[mid] = beta[mid] * (0.5 - f[mid]) - 0.5 * S > 0
        p_hi = np.where(mid & side_a, 0.5, p_hi)
        r_hi = np.where(mid & ~side_a, 0.5, r_hi)
    x = np.where(side_a, p_hi, r_lo)
    lo = np.where(side_a, p_lo, r_lo) * (1 - 1e-12)
    hi = np.minimum(np.where(side_a, p_hi, r_hi), 0.5) * (1 + 1e-12)
    xf = np.where(side_a, f, rf)
    xf_lo = np.where(side_a, 0.0, rf_lo)
    sgn = np.where(side_a, -1.0, 1.0)
    ok = (x > 0) & (lo > 0) & np.isfinite(x)
    x = np.where(ok, x, 0.25)
    done = ~ok
    dR = np.ones(n)
    for _ in range(200):
        act = np.flatnonzero(~done)
        if act.size == 0:
            break
        xa = x[act]
        kern_a = kern if np.ndim(eps) == 0 else GridKernel(G, std, eps[act])
        S, dg = kern_a.sums(xa, side_a[act])
        b = beta[act]
        R = b * (xa - xf[act]) + sgn[act] * xa * S
        d = b - dg
        dR[act] = d
        hi[act] = np.where(R > 0, xa, hi[act])
        lo[act] = np.where(R < 0, xa, lo[act])
        with np.errstate(all="ignore"):
            step = np.where(d > 0, R / d, np.nan)
        conv = (np.abs(step) <= 2 * _U * xa) | (R == 0)
        x_new = xa - np.where(R == 0, 0.0, step)
        la, ha = lo[act], hi[act]
        wide = (la > 0) & (ha > 4 * la)
        bad = ~((la < x_new) & (x_new < ha)) | (np.abs(step) > xa / 4) & wide
        bisect = np.where(wide, np.sqrt(la) * np.sqrt(ha), (la + ha) / 2)
        x_new = np.where(conv, x_new, np.where(bad, bisect, x_new))
        conv |= ha - la <= 2 * _U * x_new
        x[act] = x_new
        done[act] = conv
    ok &= done
    # the residual to ~2^-100 and one Newton step (G <= G_DIRECT); condition numbers
    S, dg = kern.sums(x, side_a)
    dR = beta - dg
    with np.errstate(all="ignore"):
        cond = (beta * (x + xf) + x * S) / (x * dR)
    if G <= G_DIRECT:
        for _ in range(3):
            S_dd = kern.direct_dd(x)
            diff = dd.add(dd.two_sum(x, -xf), (-xf_lo, 0 * x))
            R = dd.add(dd.mul(diff, (beta, 0 * x)),
                       dd.mul((sgn * x, 0 * x), S_dd))
            with np.errstate(all="ignore"):
                step = (R[0] + R[1]) / dR
            x = x - np.where(ok, step, 0.0)
            if not (np.abs(step[ok]) > 1e-9 * x[ok]).any():
                break
        ok &= np.isfinite(cond) & (cond > 0) & (cond <= _DD_COND) & \
            (np.abs(step) <= 1e-9 * x)
    a = np.where(side_a, x, 1 - x)
    b = np.where(side_a, 1 - x, x)
    if G > G_DIRECT:
        # the float residual loses log2(cond) bits and cond is at least about 2 here, so
        # with g/x good to 2 ulp it cannot promise 4 ulp: exact Newton from the float
        # root, point by point (as solve_point does where cond > _POLISH_COND)
        ok &= np.isfinite(cond) & (cond > 0)
        for i in np.flatnonzero(ok):
            fi = float(f[i])
            rfi = 1.0 - fi if fi < 0.5 else float(mpmath.fsub(1, fi, exact=True))
            e = float(eps if np.ndim(eps) == 0 else eps[i])
            side, xi, oi = _grpo_mp(Problem(Kernel(G, std, e), fi, rfi, float(beta[i])), 12,
                                    ("a" if side_a[i] else "b", float(x[i])), float(cond[i]))
            a[i], b[i] = (xi, oi) if side == "a" else (oi, xi)
    return a, b, ok
