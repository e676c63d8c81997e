"""Exact expectations over GRPO groups: P_G(o | pi_old) for K outputs and finite reward laws.

The paper's group-relative preference (Sec. 2.1) is

    P_G(o | pi_old) = E[A_1 | o_1 = o],   o_2, ..., o_G i.i.d. from pi_old,

with A_1 = (r_1 - mean(r)) / (std(r) + eps) (the paper: population std, eps = 0, and
A_1 = 0 when all G rewards are equal).  The reward of output o has a finite law
``{value: probability}`` and the rewards of a group are independent given the outputs.

How it is enumerated.  A_1 depends on the group only through its rewards, and the
other G - 1 draws are i.i.d. pairs (output, reward); so their rewards are i.i.d. from
the *marginal reward law under pi_old*, q(v) = sum_o pi_old(o) P(r = v | o).  The
enumeration therefore runs over the multisets of G - 1 reward values from the
``k_eff`` distinct values with q(v) > 0 -- never over ordered sequences, and never over
outputs (a multiset of (output, value) pairs that share their values gives the same
advantage) -- with multinomial weights (G - 1)! / prod n_v! prod q(v)^n_v.  Then

    P_G(o | pi_old) = sum_v P(r = v | o) a(v),   a(v) = E[A_1 | r_1 = v],

and likewise the positive and negative parts E[max(A_1, 0) | o], E[min(A_1, 0) | o]
that a clipped surrogate needs.  There are ``enumeration_size(k_eff, G)`` multisets;
past ``MAX_MULTISETS`` (float) or ``MAX_MULTISETS_MP`` (mpmath) a ValueError says so.

Large groups (``group_size=math.inf``): by the law of large numbers mean -> mu and
std -> sigma, the mean and standard deviation of the reward of an output drawn from
pi_old *including the reward noise* (sigma^2 = sum_v q(v) (v - mu)^2), so A_1 ->
(r_1 - mu)/(sigma + eps) and P_inf(o | pi_old) = (E[r | o] - mu)/(sigma + eps), the
paper's Sec. 2.1 (Bessel's correction vanishes in the limit).  If sigma + eps = 0 (every
reward under pi_old equals one value c) the finite-G value sqrt(G - 1) (P(r > c | o) -
P(r < c | o)) is used in the limit: 0 if the two probabilities are equal, else +-inf.

>>> group_preference([0.25, 0.75], [1, 0])             # groups of two: pi_old(b) * 1
[0.75, -0.25]
>>> [round(x, 12) for x in group_preference([0.25, 0.75], [1, 0], group_size=math.inf)]
[1.732050807569, -0.57735026919]
>>> enumeration_size(2, 64)                            # G - 1 = 63 others, two values
64
"""
from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping, Sequence

import mpmath

from . import validate

try:                                    # numpy is needed for float arithmetic only
    import numpy as np
except ImportError:                     # pragma: no cover - numpy is installed in CI
    np = None

__all__ = ["MAX_MULTISETS", "MAX_MULTISETS_MP", "Law", "reward_laws", "enumeration_size",
           "GroupModel", "group_preference", "group_preference_parts"]

#: Most multisets a float (numpy) evaluation enumerates (at the limit one evaluation takes
#: about 0.2 s and 0.3 GB for seven reward values; a solve takes a few hundred of them).
MAX_MULTISETS = 2 * 10**6
#: Most multisets an mpmath evaluation enumerates (a Python loop: about 60 us per multiset
#: and reward value at 32 digits, so about 1 s per evaluation for three values at the limit).
MAX_MULTISETS_MP = 2 * 10**4

#: A reward law: ((value, probability), ...), values distinct, probabilities > 0, sum 1.
Law = tuple[tuple[object, object], ...]

_CHUNK = 1 << 16         # rows of the multiset table processed at once (bounds memory)


def _require_numpy():
    if np is None:                      # pragma: no cover
        raise ImportError("float arithmetic in grpo_sym.numeric.groups needs numpy "
                          "(pip install numpy), or pass dps=... for mpmath")


# -- inputs ------------------------------------------------------------------------------

def _finite_real(name: str, value):
    x = validate.real(name, value)
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return x


def reward_laws(rewards: Sequence, n_outputs: int | None = None) -> list[Law]:
    """Validated reward laws, one per output.

    Each entry of ``rewards`` is a number (a deterministic reward), a mapping
    ``{value: probability}`` or a sequence of ``(value, probability)`` pairs (the
    convention of ``grpo_sym.grpo.preference``).  Probabilities must lie in [0, 1] and sum
    to 1 within 1e-9; zero-probability values are dropped and equal values merged.
    The numbers are kept as given (a Fraction stays exact for mpmath).

    Options
    -------
    rewards : a sequence with one entry per output
    n_outputs : if given, the number of entries required (ValueError otherwise)

    >>> reward_laws([1, {1: 0.25, 0: 0.75}, [(2, 0.5), (2, 0.5)]])
    [((1, 1),), ((1, 0.25), (0, 0.75)), ((2, 1.0),)]
    >>> reward_laws([{1: 0.5, 0: 0.6}])
    Traceback (most recent call last):
    ...
    ValueError: rewards[0] probabilities must sum to 1, got 1.1
    """
    if isinstance(rewards, (str, bytes, Mapping)) or not hasattr(rewards, "__iter__"):
        raise ValueError(f"rewards must be a sequence with one entry per output, got "
                         f"{type(rewards).__name__}")
    rewards = list(rewards)                  # a numpy array is iterable, not a Sequence
    if n_outputs is not None and len(rewards) != n_outputs:
        raise ValueError(f"rewards must have one entry per output ({n_outputs}), got "
                         f"{len(rewards)}")
    if len(rewards) == 0:
        raise ValueError("rewards must not be empty")
    laws = []
    for i, entry in enumerate(rewards):
        name = f"rewards[{i}]"
        if isinstance(entry, Mapping):
            pairs = list(entry.items())
        elif isinstance(entry, Sequence) and not isinstance(entry, (str, bytes)):
            pairs = list(entry)
            if not all(isinstance(p, Sequence) and len(p) == 2 for p in pairs):
                raise ValueError(f"{name} must be a number, a {{value: probability}} mapping "
                                 f"or (value, probability) pairs, got {entry!r}")
        else:
            laws.append(((_finite_real(name, entry), 1),))
            continue
        if not pairs:
            raise ValueError(f"{name} must have at least one value")
        merged: dict = {}
        total = 0.0
        for v, p in pairs:
            v = _finite_real(f"{name} value", v)
            p = validate.probability(f"{name} probability", p)
            total += float(p)
            if p != 0:
                merged[v] = merged[v] + p if v in merged else p
        if abs(total - 1) > validate.SUM_TOL:
            raise ValueError(f"{name} probabilities must sum to 1, got {total!r}")
        laws.append(tuple(merged.items()))
    return laws


# -- counting and enumerating multisets ---------------------------------------------------

def enumeration_size(k_eff: int, group_size: int) -> int:
    """The number of multisets of the G - 1 other rewards: C(G + k_eff - 2, k_eff - 1).

    ``k_eff`` is the number of distinct reward values that an output drawn from pi_old
    can have (values with q(v) > 0); each multiset is one term of the exact expectation.

    Options
    -------
    k_eff : distinct reward values, an integer >= 1
    group_size : G, an integer >= 2 (the large-group limit needs no enumeration)

    >>> enumeration_size(2, 2), enumeration_size(3, 8), enumeration_size(4, 64)
    (2, 36, 45760)
    >>> enumeration_size(0, 4)
    Traceback (most recent call last):
    ...
    ValueError: k_eff must be an integer >= 1, got 0
    """
    if isinstance(k_eff, bool) or not isinstance(k_eff, numbers.Integral) or k_eff < 1:
        raise ValueError(f"k_eff must be an integer >= 1, got {k_eff!r}")
    G = validate.group_size_value(group_size)
    if G == math.inf:
        raise ValueError("group_size=math.inf is the large-group limit: it needs no "
                         "enumeration")
    return math.comb(G - 1 + k_eff - 1, k_eff - 1)


def _check_size(k_eff: int, G: int, limit: int, what: str) -> None:
    n = enumeration_size(k_eff, G)
    if n > limit:
        raise ValueError(
            f"group_size={G} with {k_eff} distinct reward values needs {n} multisets of the "
            f"other {G - 1} rewards, more than the {what} limit of {limit}; use "
            f"group_size=math.inf (the large-group limit), fewer reward values, or "
            f"{'dps=None (float)' if what == 'mpmath' else 'a smaller group'}")


@functools.lru_cache(maxsize=32)
def _compositions(n: int, m: int):
    """All (n_1, ..., n_m) >= 0 with sum n (the multisets of n draws from m values), and
    their multinomial coefficients n!/prod n_k! in float (their logarithms, flagged by
    the third item, when n > _EXACT_BINOMIALS)."""
    if m == 1:
        table = [None] * n + [np.array([[n]], dtype=np.int32)]
    else:       # two parts, directly: (k, 0), (k - 1, 1), ..., (0, k)
        tops = range(n, n + 1) if m == 2 else range(n + 1)
        table = [None] * (n + 1)
        for k in tops:
            j = np.arange(k + 1, dtype=np.int32)
            table[k] = np.column_stack((k - j, j))
    for parts in range(3, m + 1):
        tops = range(n, n + 1) if parts == m else range(n + 1)
        new = [None] * (n + 1)
        for k in tops:
            new[k] = np.vstack([np.column_stack((np.full(len(table[k - f]), f, np.int32),
                                                 table[k - f]))
                                for f in range(k, -1, -1)])
        table = new
    N = table[n].astype(np.float64)      # float: the matrix products use BLAS
    # n!/prod n_k! = prod_k C(n_1 + ... + n_k, n_k): a product of m - 1 binomials, each
    # correctly rounded from Python's exact integers while n is small enough for a table
    Ni = table[n]
    S = np.cumsum(Ni, axis=1)
    if n <= _EXACT_BINOMIALS:
        B = _binomials(n)
        coef = np.prod(B[S[:, 1:], Ni[:, 1:]], axis=1) if m > 1 else np.ones(len(N))
        log = False
    else:           # the coefficients overflow float: keep their logarithms
        lg = np.array([math.lgamma(k + 1) for k in range(n + 1)])
        coef = lg[n] - lg[Ni].sum(axis=1)
        log = True
    N.setflags(write=False)
    coef.setflags(write=False)
    return N, coef, log


_EXACT_BINOMIALS = 400


@functools.lru_cache(maxsize=4)
def _binomials(n: int):
    """C(a, b) for 0 <= b <= a <= n, each the float nearest the exact integer."""
    B = np.zeros((n + 1, n + 1))
    for a in range(n + 1):
        B[a, :a + 1] = [float(math.comb(a, b)) for b in range(a + 1)]
    return B


def _compositions_py(n: int, m: int):
    """The same multisets as tuples, generated lazily (no numpy)."""
    if m == 1:
        yield (n,)
        return
    for f in range(n, -1, -1):
        for rest in _compositions_py(n - f, m - 1):
            yield (f,) + rest


# -- the model ----------------------------------------------------------------------------

class GroupModel:
    """P_G(o | pi_old) and its sign parts for fixed reward laws, G, std and eps.

    Build it once and evaluate it at many pi_old (the solver and the simulator do):
    the reward values and per-output laws are converted once.  ``dps=None`` evaluates
    in float with numpy; an integer evaluates in mpmath at that many digits (the
    enumeration is then a Python loop: at most ``MAX_MULTISETS_MP`` multisets).

    Options
    -------
    rewards : one entry per output (see :func:`reward_laws`)
    group_size : G, an integer >= 2, or ``math.inf`` for the large-group limit
    std : ``"population"`` (the paper, 1/G) or ``"bessel"`` (1/(G - 1), as trainers do)
    eps : >= 0, added to the std in the denominator of the advantage
    dps : None (float) or the number of significant digits

    >>> m = GroupModel([1, 0], group_size=4)
    >>> [round(x, 12) for x in m.preference([0.5, 0.5])]     # binary_group_preference_mp
    [0.808012701892, -0.808012701892]
    """

    def __init__(self, rewards: Sequence, group_size: int | float = 2, *,
                 std: str = "population", eps: float = 0.0, dps: int | None = None):
        self.laws = reward_laws(rewards)
        self.K = len(self.laws)
        self.G = validate.group_size_value(group_size)
        self.std = validate.choice("std", std, ("population", "bessel"))
        self.eps = validate.nonnegative("eps", eps)
        self.dps = validate.digits(dps)
        if self.dps is None:
            _require_numpy()
            values = sorted({float(v) for law in self.laws for v, _ in law})
            index = {v: j for j, v in enumerate(values)}
            self.values = np.array(values)
            self.L = np.zeros((self.K, len(values)))
            for o, law in enumerate(self.laws):
                total = math.fsum(float(p) for _, p in law)
                for v, p in law:
                    self.L[o, index[float(v)]] += float(p) / total
            self._eps = float(self.eps)
        else:
            with mpmath.workdps(self.dps + 10):     # the guard digits of the evaluations
                conv = [[(validate.to_mpf(v), validate.to_mpf(p)) for v, p in law] for law in self.laws]
                values = sorted({v for law in conv for v, _ in law})
                index = {v: j for j, v in enumerate(values)}
                self.values = values
                self.L = [[mpmath.mpf(0)] * len(values) for _ in range(self.K)]
                for o, law in enumerate(conv):
                    total = mpmath.fsum(p for _, p in law)
                    for v, p in law:
                        self.L[o][index[v]] += p / total
                self._eps = validate.to_mpf(self.eps)

    def _pi(self, pi_old):
        pi = validate.distribution("pi_old", pi_old)
        if len(pi) != self.K:
            raise ValueError(f"pi_old must have one probability per output ({self.K}), got "
                             f"{len(pi)}")
        return pi

    # -- public evaluations ------------------------------------------------------------
    def preference(self, pi_old: Sequence) -> list:
        """[P_G(o | pi_old) for o in 0..K-1]."""
        pi = self._pi(pi_old)
        if self.dps is None:
            return [float(x) for x in self._pref_np(np.array([float(p) for p in pi]))]
        with mpmath.workdps(self.dps + 10):
            res = self._pref_mp([validate.to_mpf(p) for p in pi])
        with mpmath.workdps(self.dps):
            return [+x for x in res]

    def parts(self, pi_old: Sequence) -> tuple[list, list]:
        """([E[max(A_1, 0) | o_1 = o]], [E[min(A_1, 0) | o_1 = o]]): P_G is their sum."""
        pi = self._pi(pi_old)
        if self.dps is None:
            pos, neg = self._parts_np(np.array([float(p) for p in pi]))
            return [float(x) for x in pos], [float(x) for x in neg]
        with mpmath.workdps(self.dps + 10):
            pos, neg = self._parts_mp([validate.to_mpf(p) for p in pi])
        with mpmath.workdps(self.dps):
            return [+x for x in pos], [+x for x in neg]

    # -- float (numpy) -------------------------------------------------------------------
    def _pref_np(self, pi):
        """P_G(. | pi) as an array; pi a float array (not validated)."""
        return _mix_np(self.L, self._advantages_np(pi, parts=False))

    def _parts_np(self, pi):
        pos, neg = self._advantages_np(pi, parts=True)
        return _mix_np(self.L, pos), _mix_np(self.L, neg)

    def _advantages_np(self, pi, parts: bool):
        """a(v) = E[A_1 | r_1 = v] for every reward value v (or its two sign parts)."""
        q = pi @ self.L
        keep = q > 0
        x, qk, v = self.values[keep], q[keep], self.values
        if self.G == math.inf:
            # v - mu = sum_k q_k (v - x_k) and sigma^2 = sum_{j<k} q_j q_k (x_j - x_k)^2:
            # differences of reward values only, so no 1 - q cancellation when q is near 1
            dmu = (v[:, None] - x[None, :]) @ qk
            sigma = math.sqrt(qk @ ((x[:, None] - x[None, :]) ** 2 @ qk) / 2)
            return _limit_advantages(v, x, dmu, sigma + self._eps, parts, np.inf, np.where)
        G = self.G
        M = len(x)
        _check_size(M, G, MAX_MULTISETS, "float")
        N, coef, log_coef = _compositions(G - 1, M)
        log_q = np.log(qk)
        div = G if self.std == "population" else G - 1
        D = v[None, :] - x[:, None]          # v - x_k, exactly 0 for the level v itself
        D2 = D * D
        a = np.zeros(len(v))
        pos = np.zeros(len(v))
        neg = np.zeros(len(v))
        for lo in range(0, len(N), _CHUNK):
            Nc = N[lo:lo + _CHUNK]
            # the multinomial weight, each power accurate to an ulp (no exp(log(...)))
            if log_coef:
                wc = np.exp(coef[lo:lo + _CHUNK] + Nc @ log_q)
            else:
                wc = coef[lo:lo + _CHUNK] * np.prod(np.power(qk, Nc), axis=1)
            # with S = sum_k n_k (v - x_k) = G (v - mean) and Q = sum_k n_k (v - x_k)^2,
            # G sum_i (r_i - mean)^2 = G Q - S^2: exact for integer rewards, otherwise
            # G Q <= 2 (G - 1) (G Q - S^2), so at most log10(2 (G - 1)) digits are lost
            S = Nc @ D
            devG = np.maximum(G * (Nc @ D2) - S * S, 0.0)
            den = np.sqrt(devG / (G * div)) + self._eps
            with np.errstate(divide="ignore", invalid="ignore"):
                A = np.where(den > 0, (S / G) / den, 0.0)     # all rewards equal: A = 0
            if parts:
                pos += wc @ np.maximum(A, 0.0)
                neg += wc @ np.minimum(A, 0.0)
            else:
                a += wc @ A
        return (pos, neg) if parts else a

    # -- mpmath --------------------------------------------------------------------------
    def _pref_mp(self, pi):
        a = self._advantages_mp(pi, parts=False)
        return [_mix_mp(row, a) for row in self.L]

    def _parts_mp(self, pi):
        pos, neg = self._advantages_mp(pi, parts=True)
        return [_mix_mp(row, pos) for row in self.L], [_mix_mp(row, neg) for row in self.L]

    def _advantages_mp(self, pi, parts: bool):
        V = len(self.values)
        q = [mpmath.fsum(pi[o] * self.L[o][j] for o in range(self.K)) for j in range(V)]
        keep = [j for j in range(V) if q[j] > 0]
        x = [self.values[j] for j in keep]
        qk = [q[j] for j in keep]
        v = self.values
        zero = mpmath.mpf(0)
        if self.G == math.inf:
            dmu = [mpmath.fsum(qj * (vj - xj) for qj, xj in zip(qk, x)) for vj in v]
            sigma = mpmath.sqrt(mpmath.fsum(qk[j] * qk[k] * (x[j] - x[k]) ** 2
                                            for j in range(len(x)) for k in range(j)))
            return _limit_advantages(v, x, dmu, sigma + self._eps, parts, mpmath.inf, None)
        G = self.G
        M = len(x)
        _check_size(M, G, MAX_MULTISETS_MP, "mpmath")
        fact = [math.factorial(k) for k in range(G)]
        powers = [[mpmath.mpf(1)] for _ in range(M)]
        for k in range(M):
            for _ in range(G - 1):
                powers[k].append(powers[k][-1] * qk[k])
        div = G if self.std == "population" else G - 1
        D = [[vj - xk for xk in x] for vj in v]          # v - x_k, exactly 0 at v's level
        D2 = [[d * d for d in row] for row in D]
        scale = mpmath.mpf(1) / (G * div)
        acc = [[zero, zero, zero] for _ in range(V)]     # a, positive part, negative part
        for counts in _compositions_py(G - 1, M):
            coef = fact[G - 1]
            nz = [(k, c) for k, c in enumerate(counts) if c]
            for _, c in nz:
                coef //= fact[c]
            w = mpmath.mpf(coef)
            for k, c in nz:
                w *= powers[k][c]
            for j in range(V):
                Dj, D2j = D[j], D2[j]
                # S = G (v - mean), G sum_i (r_i - mean)^2 = G Q - S^2 (the working
                # precision has 10 or more guard digits for the cancellation)
                S = mpmath.fsum(c * Dj[k] for k, c in nz)
                devG = G * mpmath.fsum(c * D2j[k] for k, c in nz) - S * S
                den = mpmath.sqrt(max(devG, zero) * scale) + self._eps
                A = S / (G * den) if den > 0 else zero
                if A > 0:
                    acc[j][1] += w * A
                else:
                    acc[j][2] += w * A
                acc[j][0] += w * A
        if parts:
            return [t[1] for t in acc], [t[2] for t in acc]
        return [t[0] for t in acc]


def _is_nan(x) -> bool:
    return (isinstance(x, float) and math.isnan(x)) or \
        (isinstance(x, mpmath.mpf) and mpmath.isnan(x))


def _limit_advantages(v, x, dmu, den, parts, inf, where):
    """A(v) = (v - mu)/den for G = inf (``dmu`` holds v - mu); with den = 0 (one value c
    under pi_old) the limit of the finite-G value sqrt(G - 1) sign(v - c): 0 at c, +-inf
    elsewhere."""
    if where is not None:                                 # numpy
        if den > 0:
            A = dmu / den
        else:
            A = np.where(v > x[0], np.inf, np.where(v < x[0], -np.inf, 0.0))
        if parts:
            return np.maximum(A, 0.0), np.minimum(A, 0.0)
        return A
    zero = mpmath.mpf(0)
    if den > 0:
        A = [d / den for d in dmu]
    else:
        A = [inf if vj > x[0] else -inf if vj < x[0] else zero for vj in v]
    if parts:
        return [max(a, zero) for a in A], [min(a, zero) for a in A]
    return A


def _mix_np(L, a):
    """sum_v L[o, v] a(v) per output; with a(v) = +-inf (G = inf, sigma + eps = 0) the
    finite-G limit sqrt(G - 1) (P(r > c) - P(r < c)): the sign of the heavier side."""
    if np.all(np.isfinite(a)):
        return L @ a
    up = L[:, a == np.inf].sum(axis=1)
    down = L[:, a == -np.inf].sum(axis=1)
    finite = np.isfinite(a)
    return np.where(up > down, np.inf, np.where(down > up, -np.inf, L[:, finite] @ a[finite]))


def _mix_mp(row, a):
    up = mpmath.fsum(l for l, x in zip(row, a) if x == mpmath.inf)
    down = mpmath.fsum(l for l, x in zip(row, a) if x == -mpmath.inf)
    if up > down:
        return mpmath.inf
    if down > up:
        return -mpmath.inf
    return mpmath.fsum(l * x for l, x in zip(row, a) if mpmath.isfinite(x))


def _model(rewards, group_size, std, eps, dps, n_outputs) -> GroupModel:
    reward_laws(rewards, n_outputs)          # the length check names ``rewards``
    return GroupModel(rewards, group_size, std=std, eps=eps, dps=dps)


def group_preference(pi_old: Sequence, rewards: Sequence, *, group_size: int | float = 2,
                     std: str = "population", eps: float = 0.0,
                     dps: int | None = None) -> list:
    """P_G(o | pi_old) = E[A_1 | o_1 = o] for every output o, exactly.

    Options
    -------
    pi_old : the probabilities of the K outputs (each in [0, 1], summing to 1 within 1e-9)
    rewards : one entry per output: a number, ``{value: probability}`` or
        ``(value, probability)`` pairs
    group_size : G, an integer >= 2, or ``math.inf`` (P_inf = (E[r|o] - mu)/(sigma + eps))
    std : ``"population"`` (the paper) or ``"bessel"``
    eps : >= 0 added to the std (trainers use e.g. 1e-4)
    dps : None for floats, or the number of significant digits of mpmath results

    Groups of two give P(o > o') - P(o' > o) averaged over o' ~ pi_old:

    >>> group_preference([0.5, 0.5], [{1: 0.5, 0: 0.5}, 0])      # gamma = 1/2 for o = 0
    [0.25, -0.25]
    >>> print(mpmath.nstr(group_preference([0.5, 0.5], [1, 0], group_size=4, dps=30)[0], 30))
    0.808012701892219323381861585376
    >>> group_preference([0.5, 0.6], [1, 0])
    Traceback (most recent call last):
    ...
    ValueError: pi_old must sum to 1 (within 1e-09), got 1.1
    """
    pi = validate.distribution("pi_old", pi_old)
    return _model(rewards, group_size, std, eps, dps, len(pi)).preference(pi)


def group_preference_parts(pi_old: Sequence, rewards: Sequence, *,
                           group_size: int | float = 2, std: str = "population",
                           eps: float = 0.0, dps: int | None = None) -> tuple[list, list]:
    """(E[max(A_1, 0) | o_1 = o], E[min(A_1, 0) | o_1 = o]) for every output o.

    A clipped surrogate treats positive and negative advantages differently
    (min(rho A, clip(rho) A)), so it needs the two parts; their sum is P_G(o | pi_old).
    Options as for :func:`group_preference`.

    >>> group_preference_parts([0.5, 0.5], [{1: 0.5, 0: 0.5}, 0])
    ([0.375, 0.0], [-0.125, -0.25])
    """
    pi = validate.distribution("pi_old", pi_old)
    return _model(rewards, group_size, std, eps, dps, len(pi)).parts(pi)
