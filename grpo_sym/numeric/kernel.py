"""The group-advantage sum g of a binary question for every group size G (the kernel).

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

How g is summed.  Only binomial terms near the mode matter: the terms
``t_j = C(G, j) q^j (1 - q)^(G - j) psi(j/G)`` are log-concave in j (a binomial
law times a log-concave psi), so once they decrease, every further ratio is at
most the last one, and the omitted tail beyond an index K is at most
``t_K rho/(1 - rho)`` with ``rho = t_K/t_(K-1)``.  The sum stops where this bound
is below 2^-60 (float) or 2^-(working precision) of the sum so far.

* Float, one point (:func:`sums_float`): numpy.  Each weight relative to the mode's,
  ``log(w_j/w_c)``, from Loader's saddle-point terms (the algorithm of R's
  ``dbinom``: ``stirlerr`` and the deviance ``bd0``, whose series is used out to
  |v| < 1/2 instead of 0.1 -- Loader's switch loses up to two digits just
  outside it); these logs are small where the terms matter, so exponentiating
  them costs a few ulp.  The mode's weight divided by the smaller of p and
  1 - p is computed once in mpmath, so nothing underflows and no log of size
  |log p| is exponentiated.  g is then accurate to about 2 ulp.
* Float, many points (:class:`GridKernel`): for G <= ``G_DIRECT`` every j, by
  Horner in t = x/(1 - x) (and in double-double for residuals that cancel); above
  it a window around the mode (weights to about 1e-12: Newton's start), points
  processed in chunks.
* Exact (:func:`sums_mp`): the weights are fixed-point integers relative to the mode
  (``w_(j+1) = w_j (G - j) (p/r)/(j + 1)``, one rounding per step), psi_j by
  ``math.isqrt``; the mode's weight from ``loggamma`` with the extra digits its
  size needs.

>>> kern = Kernel(8, "population", 0.0)
>>> g_over_x, _, _ = sums_float(kern, 0.2, "a")
>>> round(g_over_x * 0.2, 15)                  # g(0.2) at G = 8
0.337076644084492
>>> GridKernel(8, "population", 0.0).direct(np.array([0.2]))[0] * 0.2
array([0.33707664])
"""
from __future__ import annotations

import math
from typing import Callable

import mpmath

from . import validate

import numpy as np

from . import ddouble as dd

__all__ = ["Kernel", "sums_float", "sums_mp", "sums_inf", "TAIL_FLOAT"]

_LN_2PI = math.log(2 * math.pi)
TAIL_FLOAT = 2.0 ** -60                 # omitted tail, relative to the sum (float)


# -- the kernel psi and its constants --------------------------------------------------

class Kernel:
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
    if _STIRLERR_TABLE is None:
        with mpmath.workdps(40):
            vals = [0.0] + [float(mpmath.loggamma(n + 1) - (n + mpmath.mpf(1) / 2) * mpmath.log(n)
                                  + n - mpmath.log(2 * mpmath.pi) / 2) for n in range(1, 101)]
        _STIRLERR_TABLE = np.array(vals)
    return _STIRLERR_TABLE


def _stirlerr(n):
    """stirlerr at integer-valued n >= 1 (float array): the table, else 4 terms of
    the Stirling series (the next term is below 1e-21 for n > 100)."""
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
    M, logM = np.broadcast_to(M, x.shape), np.broadcast_to(logM, x.shape)
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
        out[far] = xf * (np.log(xf) - logM[far]) + M[far] - xf
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


def sums_float(kern: Kernel, x: float, side: str):
    """(g/x, m1, m2) in float, x = min(p, 1 - p) (side 'a': x = p, 'b': x = 1 - p), with
    m1 = g'(p) (1 - x) and m2 = (d k2/d logit p) (1 - x).

    t_j/x = (w_c/x) exp(lv_j) psi_j: the anchor weight w_c/x (c the mode, clamped to
    1..G-1) once in mpmath, and lv_j = log(w_j/w_c) from Loader's terms, whose sizes are
    those of log(w_j/w_c) itself -- small where the terms matter -- so exponentiating
    them costs a few ulp, not |log x| ulp."""
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
        if tail <= TAIL_FLOAT * S0:
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

def sums_mp(kern: Kernel, x, side: str, prec: int):
    """(g/x, m1, m2) as mpf, accurate to about 2^-prec relative (see :func:`sums_float`)."""
    if not kern.finite:
        return sums_inf(kern, x, side, prec)
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


def sums_inf(kern: Kernel, x, side: str, prec: int):
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




# -- sums over many points at once (numpy arrays) --------------------------------------

#: Largest G whose sums are taken over every j (floats, and double-double for the
#: residual); above it, over a window around the mode with Loader's weights.
G_DIRECT = 512


class GridKernel:
    """psi_j and the constants of one group size for an array of eps values.

    Points are given by ``x`` = the smaller of p and 1 - p and ``side_a`` (x = p).
    As g(p) = g(1 - p) (psi is symmetric), ``g/x = sum_k C(G, k) psi_k x^(k-1)
    (1 - x)^(G-k)`` on both sides."""

    def __init__(self, G: int, std: str, eps: np.ndarray):
        self.G, self.eps = int(G), eps
        self.bessel = std == "bessel"
        G = self.G
        self.c_std = np.sqrt((G - 1) / G) if self.bessel else 1.0
        # K = G psi(1/G), the slope of g at both ends; psi(1/2)
        self.K = (G - 1) / ((np.sqrt(G) if self.bessel else np.sqrt(G - 1)) + G * eps)
        self.psi_half = 0.25 / (0.5 / self.c_std + eps)

    def psi(self, u, eps):
        """psi for u = j (G - j) (float arrays; eps broadcast against u)."""
        G = self.G
        s = np.sqrt(u / (G * (G - 1.0))) if self.bessel else np.sqrt(u) / G
        return u / (G * G) / (s + eps)

    # -- every j (G <= G_DIRECT) ------------------------------------------------------
    def direct(self, x):
        """(g/x, g'(x)) in float for x <= 1/2 of shape (n,) (eps of shape (n,) or scalar):
        ``g/x = o^(G-1) P(t)``, ``g' = o^(G-2) (P1(t) - G x P(t))`` with o = 1 - x,
        t = x/o <= 1, ``P = sum_k C(G, k) psi_k t^(k-1)`` and ``P1`` its k-weighted
        twin, both by Horner (positive terms: about G ulp, enough for Newton)."""
        G = self.G
        k = np.arange(1, G, dtype=np.float64)
        binom = np.array([math.comb(G, int(j)) for j in k], dtype=np.float64)
        w = binom * self.psi(k * (G - k), np.asarray(self.eps)[..., None])   # C(G, k) psi_k
        w = np.broadcast_to(w, x.shape + (G - 1,))
        o = 1.0 - x
        t = x / o
        P = P1 = np.zeros_like(x)
        for i in range(G - 2, -1, -1):
            P = P * t + w[:, i]
            P1 = P1 * t + (i + 1) * w[:, i]
        with np.errstate(under="ignore"):
            og = o ** (G - 2)
        return og * o * P, og * (P1 - G * x * P)

    def direct_dd(self, x):
        """g/x as a double-double (hi, lo) for x <= 1/2 of shape (n,): the Horner form of
        :meth:`direct` with 1 - x, t = x/(1 - x), every C(G, k) psi_k and power to
        about 2^-100 (positive terms: the sum loses nothing)."""
        G = self.G
        k = np.arange(1, G, dtype=np.float64)
        u = k * (G - k)                                   # exact
        m = float(G * (G - 1)) if self.bessel else float(G * G)
        s = dd.div(dd.sqrt(dd.two_prod(u, m)), (m, 0.0))  # the std: sqrt(u m)/m
        eps = np.asarray(self.eps, dtype=np.float64)[..., None]
        psi = dd.div(dd.div((u, 0.0 * u), (float(G * G), 0.0)), dd.add(s, (eps, 0.0 * eps)))
        binom = [math.comb(G, int(j)) for j in k]
        hi = np.array([float(c) for c in binom])
        lo = np.array([float(c - int(h)) for c, h in zip(binom, hi)])
        w = dd.mul((hi, lo), psi)                         # C(G, k) psi_k, shape (G-1,)/(n, G-1)
        w = (np.broadcast_to(w[0], x.shape + (G - 1,)), np.broadcast_to(w[1], x.shape + (G - 1,)))
        o = dd.two_sum(np.ones_like(x), -x)               # 1 - x exactly
        t = dd.div((x, 0 * x), o)
        with np.errstate(under="ignore", invalid="ignore"):
            acc = (w[0][:, G - 2], w[1][:, G - 2])
            for i in range(G - 3, -1, -1):
                acc = dd.add(dd.mul(acc, t), (w[0][:, i], w[1][:, i]))
            power, base, e = (np.ones_like(x), 0 * x), o, G - 1   # o^(G-1) by squaring
            while e:
                if e & 1:
                    power = dd.mul(power, base)
                base = dd.mul(base, base)
                e >>= 1
            return dd.mul(power, acc)

    # -- a window around the mode (G > G_DIRECT) ----------------------------------------
    def window(self, x, side_a, chunk: int = 1 << 20):
        """(g/x, g'(p)) in float over the mode +- 10 sd + 30 (the tail beyond is below
        1e-20 of the sum); points are processed in chunks of about ``chunk`` terms,
        sorted by window width.  The weights relative to the mode are sums of the logs of
        consecutive ratios and the mode's weight is Loader's dbinom: about 1e-12, enough
        to start Newton in exact arithmetic (:func:`sums_mp`)."""
        G = self.G
        n = x.shape[0]
        S, dg = np.empty(n), np.empty(n)
        o = 1.0 - x
        p, r = np.where(side_a, x, o), np.where(side_a, o, x)
        half = np.ceil(10 * np.sqrt(G * p * r) + 30).astype(np.int64)
        order = np.argsort(half, kind="stable")
        eps = np.broadcast_to(self.eps, x.shape)
        start = 0
        while start < n:
            stop = start + 1
            while stop < n and (stop - start + 1) * (2 * half[order[stop]] + 1) <= chunk:
                stop += 1
            idx = order[start:stop]
            S[idx], dg[idx] = self._window_chunk(x[idx], side_a[idx], eps[idx],
                                                 int(half[idx].max()))
            start = stop
        return S, dg

    def _window_chunk(self, x, side_a, eps, half):
        G = self.G
        logG = math.log(G)
        o = 1.0 - x
        lx, lo = np.log(x), np.log1p(-x)
        p, r = np.where(side_a, x, o), np.where(side_a, o, x)
        logp, logr = np.where(side_a, lx, lo), np.where(side_a, lo, lx)
        Mp, Mr = (G * p)[:, None], (G * r)[:, None]
        lMp, lMr = (logG + logp)[:, None], (logG + logr)[:, None]
        c = np.clip(np.floor((G + 1) * p), 1, G - 1)[:, None]
        j = c + np.arange(-half, half + 1, dtype=np.float64)[None, :]
        inside = (j >= 1) & (j <= G - 1)
        j = np.clip(j, 1, G - 1)

        # log w_c but for stirlerr(G) and the sqrt factor (Loader): small at the mode
        lam_c = -_stirlerr(c) - _stirlerr(G - c) - _bd0(c, Mp, lMp) - _bd0(G - c, Mr, lMr)
        u = j * (G - j)
        cc = c * (G - c)
        # log(w_j/w_c): sums of log(w_(j+1)/w_j) outwards from the mode
        steps = np.log((G - j) / (j + 1)) + (logp - logr)[:, None]
        lv = np.zeros_like(j)
        lv[:, half + 1:] = np.cumsum(steps[:, half:-1], axis=1)
        lv[:, :half] = -np.cumsum(steps[:, half - 1::-1], axis=1)[:, ::-1]
        with np.errstate(under="ignore", over="ignore"):    # (outside the range: masked)
            t = np.exp(lv) * self.psi(u, eps[:, None])
        t[~inside] = 0.0
        # the anchor w_c / x: Loader's dbinom at the mode (its exponent is small), or,
        # where the mode is clamped to 1 (x < 1/(G + 1)), G (1 - x)^(G - 1) directly
        log_w = (lam_c[:, 0] + float(_stirlerr(np.array([float(G)]))[0]))
        anchor = np.exp(log_w) * np.sqrt(G / (2 * math.pi * cc[:, 0])) / x
        clamped = (G + 1) * x < 1
        anchor = np.where(clamped, G * np.exp((G - 1) * lo), anchor)
        c1 = np.where(side_a[:, None], j - Mp, (j - G) + Mr)      # j - G p, no cancellation
        S = anchor * t.sum(axis=1)
        m1 = anchor * (t * c1).sum(axis=1)
        return S, m1 / o

    def sums(self, x, side_a):
        """(g/x, g'(p)) in float at p = x (side a) or 1 - x (side b)."""
        if self.G <= G_DIRECT:
            S, h = self.direct(x)
            return S, np.where(side_a, h, -h)
        return self.window(x, side_a)
