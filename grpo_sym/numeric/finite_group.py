"""Stationary policies of a binary question for every group size G (numeric solver).

A binary question has a better answer a (reward 1) and b (reward 0), with
deterministic rewards.  A group holds G outputs drawn i.i.d. from pi_old with
q = pi_old(a); J ~ Binomial(G, q) counts its a's.  The advantage of each a in a
group with J = j a's is ``(1 - j/G) / (s_j + eps)``, where ``s_j`` is the std of
the G rewards -- population ``sqrt(j (G - j))/G`` (the paper) or Bessel
``sqrt(j (G - j)/(G (G - 1)))`` (torch's ``.std()``, used by TRL, verl and
OpenRLHF) -- and a group of equal rewards has advantage 0.  Then

    g(q) = q P_G(a | q) = E[(J/G) A_a(J)] = sum_j C(G, j) q^j (1 - q)^(G - j) psi(j/G),
    psi(x) = x (1 - x) / (s(x) + eps),

so with the population std and eps = 0, g = B_G[sqrt(x (1 - x))](q), the
Bernstein polynomial of phi(x) = sqrt(x (1 - x)).  The advantages of a group sum
to zero, so P_G(b | q) = -g(q)/(1 - q) (:func:`group_advantage_sum` gives g).

Stationary policies, on policy (q = p = pi_theta(a), f = pi_ref(a)):

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

How g is summed.  Only binomial terms near the mode matter: the terms
``t_j = C(G, j) q^j (1 - q)^(G - j) psi(j/G)`` are log-concave in j (a binomial
law times a log-concave psi), so once they decrease, every further ratio is at
most the last one, and the omitted tail beyond an index K is at most
``t_K rho/(1 - rho)`` with ``rho = t_K/t_(K-1)``.  The sum stops where this bound
is below 2^-60 (float) or 2^-(working precision) of the sum so far.

* Float (``dps=None``): numpy.  Each weight relative to the mode's,
  ``log(w_j/w_c)``, from Loader's saddle-point terms (the algorithm of R's
  ``dbinom``: ``stirlerr`` and the deviance ``bd0``, whose series is used out to
  |v| < 1/2 instead of 0.1 -- Loader's switch loses up to two digits just
  outside it); these logs are small where the terms matter, so exponentiating
  them costs a few ulp.  The mode's weight divided by the smaller of p and
  1 - p is computed once in mpmath, so nothing underflows and no log of size
  |log p| is exponentiated.  g is then accurate to about 2 ulp.  Newton from
  the upper bound (geometric bisection where it would crawl).  The residual
  loses log2(cond) bits, ``cond = (beta (x + x_f) + g)/(x R'(x))``, x the smaller
  of p and 1 - p; above cond = 3 one Newton step in exact arithmetic (below)
  finishes the float answer.  Near beta = K with p << 1/G the float residual is
  blind (1 - p rounds to 1 and the root is p ~ sqrt(f)); the exact step then
  measures cond at its own root and adds bits until they cover it.  Without
  numpy the exact sums do everything.
* ``dps=d``: the weights are fixed-point integers relative to the mode
  (``w_(j+1) = w_j (G - j) (p/r)/(j + 1)``, one rounding per step), psi_j by
  ``math.isqrt``; the mode's weight from ``loggamma`` with the extra digits its
  size needs.  Newton starts at the float answer and stops once a step is below
  the square root of the target (the next would be below the target).
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

>>> stationary_binary_finite(0.2, 0.04, 2).a          # = (14)
0.9682622246293481
>>> stationary_binary_finite(0.2, 0.04, 8)             # between (14) and (15)
BinaryPolicy(a=0.987733682440109, b=0.01226631755989105)
>>> print(mpmath.nstr(stationary_binary_finite(0.2, 0.04, 8, dps=30).b, 25))
0.01226631755989105411169361
"""
from __future__ import annotations

import math
from typing import Callable

import mpmath

from . import validate
from .binary import BinaryPolicy, _Mp, _large, _pairs

__all__ = ["group_advantage_sum", "stationary_binary_finite"]

_NUMPY = None                            # numpy, imported on first use; False if missing


def _numpy():
    """numpy (it makes the float path fast) or None: optional, and imported lazily so that
    importing grpo_sym.numeric stays as light as before."""
    global _NUMPY
    if _NUMPY is None:
        try:
            import numpy
            _NUMPY = numpy
        except ImportError:              # pragma: no cover - exercised by setting _NUMPY
            _NUMPY = False
    return _NUMPY or None

_LN_2PI = math.log(2 * math.pi)
_TAIL_FLOAT = 2.0 ** -60                 # omitted tail, relative to the sum (float)
_U = 2.0 ** -53                          # unit roundoff
_KL_SAT_FLOAT = 40.0                     # |logit p| > log G + this: k2 = K to < 2^-57
_POLISH_COND = 3.0                       # float roots above this condition get one exact step


# -- the kernel psi and its constants --------------------------------------------------

class _Kernel:
    """psi_j for a group size, std convention and eps (finite G or the G = inf limit)."""

    def __init__(self, G, std: str, eps):
        self.G = G
        self.finite = G != math.inf
        self.bessel = std == "bessel" and self.finite      # Bessel -> population as G -> inf
        self.eps = eps
        self._psi_cache: dict[int, dict[int, int]] = {}

    # constants in mpmath (at the caller's precision)
    def c_std(self):
        """psi(x) <= c sqrt(x (1 - x)): 1 (population) or sqrt((G - 1)/G) (Bessel)."""
        return mpmath.sqrt(mpmath.mpf(self.G - 1) / self.G) if self.bessel else mpmath.mpf(1)

    def psi_half(self):
        s = mpmath.mpf(1) / 2 / self.c_std()
        return mpmath.mpf(1) / 4 / (s + self.eps)

    def k_end(self):
        """K = lim_{p->0} g(p)/p = lim_{p->1} g(p)/(1 - p) = G psi(1/G) (1/eps at G = inf)."""
        if not self.finite:
            return mpmath.inf if self.eps == 0 else 1 / mpmath.mpf(self.eps)
        G = self.G
        root = mpmath.sqrt(G) if self.bessel else mpmath.sqrt(G - 1)
        return mpmath.mpf(G - 1) / (root + G * mpmath.mpf(self.eps))

    def psi1_float(self) -> float:
        G = self.G
        s1 = 1 / math.sqrt(G) if self.bessel else math.sqrt(G - 1) / G
        return (G - 1) / G / G / (s1 + float(self.eps))

    def _eps_fixed(self, P: int) -> int:
        cache = self._psi_cache.setdefault(-P, {})
        if 0 not in cache:
            with mpmath.workprec(P + 64):
                cache[0] = int(mpmath.floor(mpmath.ldexp(mpmath.mpf(self.eps), P)))
        return cache[0]


# -- float sums (numpy, Loader's binomial weights) -------------------------------------

_STIRLERR_TABLE = None


def _stirlerr_table():
    """stirlerr(n) = log(n!) - (n + 1/2) log n + n - log sqrt(2 pi), n = 0..100 (n = 0 unused)."""
    global _STIRLERR_TABLE
    np = _numpy()
    if _STIRLERR_TABLE is None:
        with mpmath.workdps(40):
            vals = [0.0] + [float(mpmath.loggamma(n + 1) - (n + mpmath.mpf(1) / 2) * mpmath.log(n)
                                  + n - mpmath.log(2 * mpmath.pi) / 2) for n in range(1, 101)]
        _STIRLERR_TABLE = np.array(vals)
    return _STIRLERR_TABLE


def _stirlerr(n):
    """stirlerr at integer-valued n >= 1 (float array): the table, else 4 terms of
    the Stirling series (the next term is below 1e-21 for n > 100)."""
    np = _numpy()
    out = np.empty_like(n)
    small = n <= 100
    out[small] = _stirlerr_table()[n[small].astype(np.int64)]
    nb = n[~small]
    nn = nb * nb
    out[~small] = (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * nn)) / nn) / nn) / nb
    return out


def _bd0(x, M, logM):
    """The deviance term x log(x/M) + M - x (Loader), without cancellation.

    For |v| < 1/2, v = (x - M)/(x + M), the series
    ``(x - M) v + 2 x sum_k v^(2k+1)/(2k+1)`` (log(x/M) = 2 atanh v); its terms after
    the first are at most |v|/3 of it when v < 0, so it loses nothing.  Loader's
    original switch at |v| < 0.1 leaves x log(x/M) + M - x to cancel by up to two
    digits just outside it.  Beyond |v| = 1/2 the direct form cancels by at most a
    factor 2.5; log M is passed separately so that M may underflow."""
    np = _numpy()
    d = x - M
    out = np.empty_like(x)
    v = d / (x + M)
    near = np.abs(v) < 0.5
    if near.any():
        xs, vs = x[near], v[near]
        s = d[near] * vs
        ej = 2 * xs * vs
        v2 = vs * vs
        for k in range(1, 80):           # |v| < 1/2: a factor 4 per term
            ej = ej * v2
            term = ej / (2 * k + 1)
            s = s + term
            if np.all(np.abs(term) <= 1e-18 * np.abs(s)):
                break
        out[near] = s
    far = ~near
    if far.any():
        xf = x[far]
        out[far] = xf * (np.log(xf) - logM) + M - xf
    return out


def _anchor_over_x(G: int, c: int, x: float, side: str) -> float:
    """C(G, c) p^c (1 - p)^(G - c) / x in mpmath, rounded once.  Its log has size up to
    G |log x|, so the digits that exponentiating it needs are added."""
    extra = int(math.log10(G * (abs(math.log(x)) + math.log(G) + 1))) + 1
    with mpmath.workdps(22 + extra):
        xm = mpmath.mpf(x)
        lx, lo = mpmath.log(xm), mpmath.log1p(-xm)
        lp, lr = (lx, lo) if side == "a" else (lo, lx)
        lw = (mpmath.loggamma(G + 1) - mpmath.loggamma(c + 1) - mpmath.loggamma(G - c + 1)
              + c * lp + (G - c) * lr - lx)
        return float(mpmath.exp(lw))


def _tail(t_end: float, t_prev: float) -> float:
    """Bound on the terms beyond t_end for log-concave terms (ratio at most t_end/t_prev)."""
    if t_end == 0:
        return 0.0
    if t_prev <= t_end:
        return math.inf
    rho = t_end / t_prev
    return t_end * rho / (1 - rho)


def _sums_float(kern: _Kernel, x: float, side: str):
    """(g/x, m1, m2) in float, x = min(p, 1 - p) (side 'a': x = p, 'b': x = 1 - p), with
    m1 = g'(p) (1 - x) and m2 = (d k2/d logit p) (1 - x).

    t_j/x = (w_c/x) exp(lv_j) psi_j: the anchor weight w_c/x (c the mode, clamped to
    1..G-1) once in mpmath, and lv_j = log(w_j/w_c) from Loader's terms, whose sizes are
    those of log(w_j/w_c) itself -- small where the terms matter -- so exponentiating
    them costs a few ulp, not |log x| ulp."""
    np = _numpy()
    G = kern.G
    o = 1.0 - x
    if side == "a":
        p, r, logp, logr = x, o, math.log(x), math.log1p(-x)
    else:
        p, r, logp, logr = o, x, math.log1p(-x), math.log(x)
    logG = math.log(G)
    Mp, Mr, logMp, logMr = G * p, G * r, logG + logp, logG + logr
    c = min(max(int(math.floor((G + 1) * p)), 1), G - 1)
    half = int(10 * math.sqrt(G * p * r) + 30)
    eps = float(kern.eps)

    def lam(j):                           # log w_j up to terms that do not depend on j
        k = G - j
        return -_stirlerr(j) - _stirlerr(k) - _bd0(j, Mp, logMp) - _bd0(k, Mr, logMr)

    cf = np.array([float(c)])
    lam_c = float(lam(cf)[0])
    cc = float(c) * (G - c)

    def terms(lo, hi):
        j = np.arange(lo, hi + 1, dtype=np.float64)
        u = j * (G - j)
        if eps == 0:                      # psi = c sqrt(u)/G: fewer roundings
            psi = np.sqrt(u) * (math.sqrt((G - 1) / G) / G if kern.bessel else 1 / G)
        else:
            s = np.sqrt(u / (G * (G - 1.0))) if kern.bessel else np.sqrt(u) / G
            psi = u / (G * G) / (s + eps)
        lv = (lam(j) - lam_c) - 0.5 * np.log(u / cc)
        return j, np.exp(lv) * psi

    while True:
        lo, hi = max(1, c - half), min(G - 1, c + half)
        j, t = terms(lo, hi)
        S0 = t.sum()
        tail = 0.0
        if hi < G - 1:                    # log-concave terms: tail <= t_K rho/(1 - rho)
            tail += _tail(t[-1], t[-2] if len(t) > 1 else 0.0)
        if lo > 1:
            tail += _tail(t[0], t[1] if len(t) > 1 else 0.0)
        if tail <= _TAIL_FLOAT * S0:
            break
        half *= 2
    scale = _anchor_over_x(G, c, x, side)
    if side == "a":
        c1, c2 = j - G * p, (j - 1) - (G - 2) * p
    else:                                 # (j - G p) etc. without cancellation near p = 1
        c1, c2 = (j - G) + G * r, (j - G + 1) + (G - 2) * r
    # elementwise sums, not BLAS dot (which starts threads: 20 ms at 10^4 terms here)
    return scale * float(S0), scale * float((t * c1).sum()), scale * float((t * c2).sum())


# -- exact sums (integer fixed point) for dps, and for conditioning fixes ---------------

def _sums_mp(kern: _Kernel, x, side: str, prec: int):
    """(g/x, m1, m2) as mpf, accurate to about 2^-prec relative (see :func:`_sums_float`)."""
    if not kern.finite:
        return _sums_inf(kern, x, side, prec)
    G = kern.G
    psi_bits = max(0, int(-math.log2(kern.psi1_float())) + 1) if kern.psi1_float() > 0 else 64
    P = prec + 3 * G.bit_length() + psi_bits + 24
    tau = prec + 8
    with mpmath.workprec(P + 64):
        x = mpmath.mpf(x)
        o = 1 - x
        p, r = (x, o) if side == "a" else (o, x)
        man, ex = mpmath.frexp(p / r)
        M = int(mpmath.ldexp(man, P))
        E = ex - P                        # p/r = M 2^E (to P bits)
        j0 = min(max(int(mpmath.floor((G + 1) * p)), 1), G - 1)
    # the anchor weight C(G, j0) p^j0 r^(G - j0) / x: its log has magnitude up to
    # ~ G |log x|, so it needs that many more bits
    with mpmath.workprec(P + 64):
        lx = abs(mpmath.log(x))
    extra = int(math.log2(float(G) * (float(lx) + math.log(G) + 2))) + 16
    with mpmath.workprec(P + extra + 64):
        x_ = mpmath.mpf(x)
        lp = mpmath.log(x_) if side == "a" else mpmath.log1p(-x_)
        lr = mpmath.log1p(-x_) if side == "a" else mpmath.log(x_)
        lw0 = (mpmath.loggamma(G + 1) - mpmath.loggamma(j0 + 1) - mpmath.loggamma(G - j0 + 1)
               + j0 * lp + (G - j0) * lr - (lp if side == "a" else lr))
        w0 = mpmath.exp(lw0)

    # psi_j * 2^P (floor), cached per P across the Newton steps of a solve
    cache = kern._psi_cache.setdefault(P, {})
    P2, GG, EPS = 2 * P, G * G, kern._eps_fixed(P)
    den_b = G * (G - 1)
    plain = not kern.bessel and EPS == 0           # psi = sqrt(u)/G exactly
    isqrt = math.isqrt

    def psi(j: int) -> int:
        v = cache.get(j)
        if v is None:
            u = j * (G - j)
            sj = isqrt((u << P2) // den_b) if kern.bessel else isqrt(u << P2) // G
            v = cache[j] = sj if plain else (u << P2) // (GG * (sj + EPS))
        return v

    T0 = Tdev = 0
    # upwards from the anchor: w_(j+1) = w_j (G - j) (p/r) / (j + 1)
    j, W, prev = j0, 1 << P, None
    while True:
        t = W * psi(j)
        T0 += t
        Tdev += t * (j - j0)
        # log-concave terms: once they fall, the rest is below t^2/(prev - t)
        if prev is not None and t < prev and ((t * t) << tau) <= T0 * (prev - t):
            break
        if j == G - 1:
            break
        num = W * (G - j) * M
        W = (num << E if E >= 0 else num >> -E) // (j + 1)
        if W == 0:
            break
        j += 1
        prev = t
    # downwards: w_(j-1) = w_j j / ((G - j + 1) (p/r))
    j, W = j0, 1 << P
    prev = W * psi(j0)
    while j > 1:
        num = W * j
        W = (num << -E if E <= 0 else num >> E) // ((G - j + 1) * M)
        if W == 0:
            break
        j -= 1
        t = W * psi(j)
        T0 += t
        Tdev += t * (j - j0)
        if t < prev and ((t * t) << tau) <= T0 * (prev - t):
            break
        prev = t
    with mpmath.workprec(prec + 32):
        scale = mpmath.ldexp(w0, -2 * P)
        gx = scale * T0
        sdev = scale * Tdev
        if side == "a":
            a1, a2 = j0 - G * p, (j0 - 1) - (G - 2) * p
        else:
            a1, a2 = (j0 - G) + G * r, (j0 - G + 1) + (G - 2) * r
        return +gx, sdev + gx * a1, sdev + gx * a2


def _sums_inf(kern: _Kernel, x, side: str, prec: int):
    """The large-group limit with eps > 0: g = psi(p) = p r/(sqrt(p r) + eps)."""
    with mpmath.workprec(prec + 32):
        x = mpmath.mpf(x)
        o = 1 - x
        e = mpmath.mpf(kern.eps)
        s = mpmath.sqrt(x * o)
        gx = o / (s + e)
        d = (o - x) if side == "a" else (x - o)           # r - p
        g1 = d * (s / 2 + e) / (s + e) ** 2
        dk = -d * s / (2 * (s + e) ** 2)
        return gx, g1 * o, dk * o


# -- the GRPO penalty: beta (p - f) = g(p) --------------------------------------------

class _Problem:
    """Validated inputs in the working number type, plus the bounds of the GRPO root."""

    def __init__(self, kern: _Kernel, f, rf, beta):
        self.kern, self.f, self.rf, self.beta = kern, f, rf, beta

    def bounds_mp(self):
        """(p_lo, p_hi, r_lo, r_hi): (14) at beta/(2 psi(1/2)) and (15) at beta/c, sharpened
        by g/p <= K and g/(1 - p) <= K (mpmath, current precision)."""
        kern = self.kern
        f, rf, beta = mpmath.mpf(self.f), mpmath.mpf(self.rf), mpmath.mpf(self.beta)
        lo = _pairs(f, beta / (2 * kern.psi_half()), _Mp)       # (14): p_lo and r_hi
        hi = _large(f, beta / kern.c_std(), _Mp)                # (15): p_hi and r_lo
        p_lo, r_hi, p_hi, r_lo = lo.a, lo.b, hi.a, hi.b
        K = kern.k_end()
        if K != mpmath.inf:
            if beta > K:
                p_hi = min(p_hi, f * beta / (beta - K))
            r_lo = max(r_lo, rf * (beta / (beta + K)))
        return p_lo, p_hi, r_lo, r_hi


def _newton_grpo(prob: _Problem, sums: Callable, x, lo, hi, side: str, tol, num):
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


def _grpo_float(prob: _Problem):
    kern = prob.kern
    f, rf, beta = prob.f, prob.rf, prob.beta
    with mpmath.workdps(30):
        bounds = [float(b) for b in prob.bounds_mp()]
    p_lo, p_hi, r_lo, r_hi = bounds
    if not kern.finite or _numpy() is None:
        return None                        # solved in mpmath directly
    sums = lambda x, side: _sums_float(kern, x, side)  # noqa: E731
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


def _grpo_mp(prob: _Problem, dps: int, start=None, cond: float = 1.0):
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


def _grpo_mp_once(prob: _Problem, kern: _Kernel, dps: int, prec: int, start):
    with mpmath.workprec(prec + 32):
        f, rf, beta = mpmath.mpf(prob.f), mpmath.mpf(prob.rf), mpmath.mpf(prob.beta)
        mp_prob = _Problem(kern, f, rf, beta)
        p_lo, p_hi, r_lo, r_hi = mp_prob.bounds_mp()
        sums = lambda x, side: _sums_mp(kern, x, side, prec)  # noqa: E731
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

    def __init__(self, kern: _Kernel, yf, beta, sums: Callable, sat: float, exp, mp: bool):
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


def _kl_solve(kern: _Kernel, f, rf, beta, dps):
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
    if kern.finite and _numpy() is not None:
        kl = _KL(kern, yf_f, beta_f, lambda x, side: _sums_float(kern, x, side), sat_f,
                 math.exp, False)
        loc = kl.locate(1e-7)
        y0 = None if loc[0] == "sat" else kl.newton((loc[0] + loc[1]) / 2, *loc, 4 * _U)
    else:                                  # the same search on the exact sums (64 bits)
        with mpmath.workprec(96):
            kl = _KL(kern, mpmath.mpf(yf_f), mpmath.mpf(beta_f),
                     lambda x, side: _sums_mp(kern, x, side, 64), sat_f, mpmath.exp, True)
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
        klm = _KL(kern, yf, bm, lambda x, side: _sums_mp(kern, x, side, prec), sat,
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


# -- public API ----------------------------------------------------------------------

def group_advantage_sum(q, group_size, *, std: str = "population", eps=0.0,
                        dps: int | None = None) -> float | mpmath.mpf:
    """g(q) = q P_G(a | q) = E[(1/G) sum over the a's of a group of their advantages].

    ``g(q) = sum_j C(G, j) q^j (1 - q)^(G - j) psi(j/G)`` with
    ``psi(x) = x (1 - x)/(s(x) + eps)`` (module docstring); for the population std
    and eps = 0 it is the Bernstein polynomial of sqrt(x (1 - x)).  Then
    P_G(a | q) = g/q and P_G(b | q) = -g/(1 - q).

    Options
    -------
    q : pi_old(a), in [0, 1] (g(0) = g(1) = 0)
    group_size : an integer G >= 2, or ``math.inf`` for the limit ``psi(q)``
    std : ``"population"`` (the paper) or ``"bessel"`` (torch ``.std()``)
    eps : the constant added to the std, >= 0 (rewards are 1 and 0, so eps is in
        their units)
    dps : None for a float (a few ulp), or the number of significant digits

    >>> group_advantage_sum(0.3, 3), math.sqrt(2) * 0.3 * 0.7       # G = 3: sqrt(2) q (1 - q)
    (0.29698484809834996, 0.29698484809834996)
    >>> print(mpmath.nstr(group_advantage_sum(0.5, 10**6, dps=30), 25))  # ~ 1/2 - 1/(8 G (1/2))
    0.4999997499998124996562489
    """
    q = validate.probability("q", q)
    G = validate.group_size_value(group_size)
    validate.choice("std", std, ("population", "bessel"))
    eps = validate.nonnegative("eps", eps)
    dps = validate.digits(dps)
    kern = _Kernel(G, std, eps)
    if not kern.finite and eps == 0:
        with mpmath.workdps((dps or 15) + 10):
            res = mpmath.sqrt(mpmath.mpf(q) * (1 - mpmath.mpf(q)))
        return float(res) if dps is None else +res
    if q == 0 or q == 1:
        return 0.0 if dps is None else mpmath.mpf(0)
    if dps is None and kern.finite and _numpy() is not None:
        qf = float(q)
        side = "a" if qf <= 0.5 else "b"
        x = qf if side == "a" else 1.0 - qf
        return _sums_float(kern, x, side)[0] * x
    digits = dps or 17
    prec = int((digits + 6) * 3.33)
    with mpmath.workprec(prec + 32):
        qm = mpmath.mpf(q)
        side = "a" if qm <= mpmath.mpf(1) / 2 else "b"
        x = qm if side == "a" else 1 - qm
        res = _sums_mp(kern, x, side, prec)[0] * x
    if dps is None:
        return float(res)
    with mpmath.workdps(dps):
        return +res


def stationary_binary_finite(pi_ref, beta, group_size, *, std: str = "population", eps=0.0,
                             penalty: str = "grpo", dps: int | None = None) -> BinaryPolicy:
    """The stationary policy (pi_theta(a), pi_theta(b)) of a binary question for group size G.

    Solves ``beta (p - f) = g(p)`` (``penalty="grpo"``, the paper's (11)) or
    ``beta (logit p - logit f) = g(p)/(p (1 - p))`` (``penalty="kl"``; the first
    root above pi_ref, where on-policy GRPO started at pi_ref stops) for
    p = pi_theta(a), f = pi_ref(a); see the module docstring for g and the method.
    Both probabilities come to full relative accuracy (b is not computed as 1 - a
    where that would cancel).

    Options
    -------
    pi_ref : pi_ref(a) of the better answer, in [0, 1] (0 and 1 are fixed points:
        pi_theta's domain lies in pi_ref's support)
    beta : the KL coefficient, >= 0 (0: no penalty, the policy goes to a: (1, 0))
    group_size : an integer G >= 2; ``math.inf`` is accepted for the large-group
        limit with eps > 0 (``psi`` itself replaces its Bernstein polynomial)
    std : ``"population"`` (the paper) or ``"bessel"`` (torch ``.std()``: TRL, verl,
        OpenRLHF)
    eps : added to the std, >= 0 (TRL 1e-4, verl 1e-6, OpenRLHF 1e-9), in units of
        the rewards 1 and 0; it pulls pi_theta towards pi_ref
    penalty : ``"grpo"`` or ``"kl"``
    dps : None for floats accurate to a few ulp, or the number of significant digits

    Raises ValueError naming the parameter for bad input.

    >>> a3 = stationary_binary_finite(0.2, 0.04, 3).a            # G = 3 is (14) at beta/sqrt(2)
    >>> abs(a3 - stationary_binary_finite(0.2, 0.04 / math.sqrt(2), 2).a) < 1e-15
    True
    >>> stationary_binary_finite(0.2, 0.04, 8, std="bessel", eps=1e-4)     # TRL's conventions
    BinaryPolicy(a=0.9868703389988354, b=0.013129661001164675)
    >>> stationary_binary_finite(0.3, 2.0, 8, penalty="kl").a     # G = inf: 0.538855340108
    0.5202541518370546
    >>> stationary_binary_finite(0.3, 0.5, 64, penalty="kl").b    # G = inf: 0 (beta < beta*)
    2.977159045895317e-07
    >>> stationary_binary_finite(0.3, 0.0, 64), stationary_binary_finite(0.0, 0.5, 64)
    (BinaryPolicy(a=1.0, b=0.0), BinaryPolicy(a=0.0, b=1.0))
    >>> stationary_binary_finite(0.3, 0.1, 1)
    Traceback (most recent call last):
    ...
    ValueError: group_size must be an integer >= 2 or math.inf, got 1
    """
    f = validate.probability("pi_ref", pi_ref)
    beta = validate.nonnegative("beta", beta)
    G = validate.group_size_value(group_size)
    validate.choice("std", std, ("population", "bessel"))
    eps = validate.nonnegative("eps", eps)
    validate.choice("penalty", penalty, ("grpo", "kl"))
    dps = validate.digits(dps)
    return _solve(f, beta, G, std, eps, penalty, dps)


def _solve(f, beta, G, std, eps, penalty, dps) -> BinaryPolicy:
    """stationary_binary_finite after validation (binary.py calls it directly)."""
    def out(a, b):
        if dps is None:
            return BinaryPolicy(float(a), float(b))
        with mpmath.workdps(dps):
            return BinaryPolicy(+mpmath.mpf(a), +mpmath.mpf(b))

    if f == 0 or f == 1:                  # pi_theta's domain lies in pi_ref's support
        return out(f, 1 - f)
    if beta == 0:                         # no penalty: the flow goes all the way to a
        return out(1, 0)
    kern = _Kernel(G, std, eps)
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
            res = _grpo_float(_Problem(kern, ff, rff, bf))
            if res is not None:
                side, x, cond = res
                start = (side, x)
                if dps is None and cond <= _POLISH_COND and x > 0:
                    return out(*((x, 1 - x) if side == "a" else (1 - x, x)))
    # a float answer needs the exact residual to ~22 digits (one Newton step from the
    # float root squares its error): dps 12 + the 10 guard digits of _grpo_mp
    digits = dps if dps is not None else 12
    side, x, o = _grpo_mp(_Problem(kern, f, rf, beta), digits, start, cond)
    return out(*((x, o) if side == "a" else (o, x)))


def _normal_float(v) -> bool:
    """Whether v converts to a normal float without overflow (or is 0)."""
    try:
        fv = float(v)
    except OverflowError:
        return False
    return fv == 0 or (math.isfinite(fv) and abs(fv) >= 2.2250738585072014e-308)
