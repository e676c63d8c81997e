"""The numeric backup: every claim evaluated at sample points, at 50 significant digits.

What it establishes
-------------------
* ``counterexample`` -- a *proof* that the statement is false.  It is reported
  only for an exact point (rationals, or exact numbers such as ``sqrt(2)``)
  at which :func:`grpo_sym.proof.intervals.decide` (Arb ball arithmetic, no
  tolerance) decides the statement ``False`` (:func:`decide_exactly`: the
  relation as built, or else with the point substituted by SymPy's exact
  arithmetic on numbers), and which is re-checked to lie
  in the claim's domain: every value exactly in its symbol's domain
  (:func:`in_domain`), every condition decided ``True`` by Arb, every simplex
  summing to exactly 1, and the premise holding exactly (solved for exactly,
  see below, or decided ``True`` by Arb).  A rounding residue is never a
  counterexample: a point that mpmath suspects but Arb does not decide is
  counted as undecided, not reported.
* ``agrees`` -- *evidence*, not proof: at the points that could be decided
  the statement held.  An inequality holds where its gap is clearly positive
  at 2*dps working digits (digits lost to cancellation accounted for), or Arb
  decides it.  An equation "agrees" at a point where the two sides are equal
  to the rounding level of the working precision and at least ``dps``
  digits were kept (a difference that shrinks as the working digits double
  is rounding; one that does not is real and goes to Arb).  No fixed
  tolerance decides an equation: ``x`` and ``x + 1e-60`` differ, and Arb
  confirms it.  A point where the claim is undefined, or that neither
  mpmath nor Arb can decide, is skipped and counted as undecided.
* ``none`` -- nothing could be checked (no point, an unsolvable premise with
  no proof obligations, an existential claim without a usable witness, a
  limit that could not be estimated, or an author's own numeric check that
  failed -- such a failure rests on a tolerance, so it is shown but is not a
  counterexample).

Sampling (seeded by the claim id: two runs sample the same points)
------------------------------------------------------------------
Every value is drawn *inside* the declared domain and re-checked with an
exact membership test; a value outside is redrawn.  Supported domains:
intervals and half-lines (edge values 1e-30 and 1e-10 from an open end, a
closed end itself, the midpoint, 1, 1e12, 1e30 on half-lines; otherwise
uniform values or values spread over 25 decades), unions of intervals,
punctured sets (``Interval - {a}``, ``Complement``: points near the
puncture, never at it), ``Range`` with a step, ``FiniteSet``, the integers
and naturals, ``ImageSet`` (its base set, mapped), intersections.  Integer
symbols take a spread ``lo + {0, 1, 2, 3, 5, 8, 13, ...}`` (and uniform
values); those that size a written-out sum, a family ``r[j]`` or a function
that writes itself out stay at most ``SUM_CAP`` (and ``G**depth <=
SUM_TERMS`` for sums over G nested ``depth`` deep), the others also take
large values (64, 1000).  The first points
walk through every edge value of every symbol.  Points are kept only where
every condition is decided ``True`` by Arb; simplex points are exact
distributions (some near a face); the elements of a family ``r[1..G]`` get
values per point.

Finite domains (``FiniteSet``, finite ``Range``) are enumerated as cases: all
of them when the product has at most ``FINITE_CAP`` cases, otherwise a seeded
sample of ``FINITE_CAP`` cases (the detail says "sampled N of M cases"); a
large set is never iterated.

Premises (``given``) and equality conditions are *solved*, not filtered: a
free symbol in which the premise (numerator over a common denominator) is a
polynomial of degree 1 or 2 is computed exactly from the other, sampled,
symbols (each real root of a quadratic); the point is kept when that value is
in the symbol's domain, the denominator is non-zero (Arb) and the conditions
hold.  When no symbol can be solved for, the detail says "premise not
sampled: ..." and only the proof's obligations are sampled.

Witnesses (``Witness`` proofs: "exists" claims and refuted "forall" claims)
are decided exactly: values must be numbers, in the domain (exactly), satisfy
the conditions and premise (decided ``True``) and the statement is decided
(:func:`decide_exactly`); an "exists" claim agrees only if it holds there.
A premise that only a transcendental identity satisfies (Arb cannot show a
transcendental number is 0) leaves the witness unusable.

Each point is decided by :func:`sign_at` (mpmath with lost-digit tracking,
precision doubling, then Arb); the proof's obligations (what its steps claim
vanish) are evaluated at the same points: a failing one, confirmed non-zero
by Arb, means the proof is wrong (``proof_failure``), not that the statement
is.  Limits are estimated along x -> x0 (evidence only; a disagreement is
``none``, never a counterexample).  All budgets (points, attempts, working
digits, Arb precision, sizes of exact substitutions) are fixed counts: no
verdict depends on the clock.

>>> from sympy import Interval, oo, sqrt
>>> from grpo_sym.proof import Eq, variable, claim, Registry
>>> x = variable("x_numeric_demo", Interval.open(0, oo))
>>> c = claim("demo.sqrt", "", Eq(sqrt(x**2), x), registry=Registry())
>>> numeric_backup(c).outcome
'agrees'
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import mpmath
import sympy as sp
from flint import arb, fmpq

from . import intervals
from .domains import domain_of, is_finite_domain
from .mpeval import Undefined, mp_eval, mp_number, write_out

__all__ = ["NumericResult", "NumericOutcome", "numeric_backup", "sample_points", "DPS",
           "SAMPLES", "FINITE_CAP", "SUM_CAP", "sign_at", "gap_values", "decide_exactly",
           "in_domain", "edge_values", "random_value"]

DPS = 50
SAMPLES = 24
FINITE_CAP = 64            # at most this many cases of the finite-domain symbols
SUM_CAP = 40               # largest value of an integer that sizes a written-out sum
SUM_TERMS = 400            # ... and of G**depth for sums over G nested depth deep
INTEGER_OFFSETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89)
LARGE_INTEGERS = (64, 1000)
MAX_WORKING_DIGITS = 800   # mpmath precision doubling stops here (then Arb decides)
ARB_PREC = 2048            # Arb precision doubling stops here (bits)
REDRAWS = 40               # values drawn for one symbol before the point is given up
GUARD = 5                  # digits of margin on the rounding level
TINY = sp.Rational(1, 10**30)
S_HALF = sp.S.Half


class NumericOutcome:
    AGREES = "agrees"
    COUNTEREXAMPLE = "counterexample"
    NONE = "none"


@dataclass
class NumericResult:
    outcome: str
    points: int = 0
    detail: str = ""
    counterexample: dict | None = None
    extra: list[str] = field(default_factory=list)
    proof_failure: str | None = None


def _seed(cid: str) -> int:
    return int.from_bytes(hashlib.sha256(cid.encode()).digest()[:8], "big")


def _by_name(items):
    return sorted(items, key=lambda kv: str(kv[0]))


# -- exact decisions (Arb) -----------------------------------------------------------------

EXACT_NODES = 4000         # substituting a point exactly: expressions up to this size


def decide_exactly(rel: sp.Basic, point: Mapping) -> bool | None:
    """``intervals.decide`` at an exact point; None when undecided or not evaluable.

    When the tree as given is undecided, the point is substituted and SymPy's
    exact arithmetic on numbers (rationals, radicals: what SymPy does when it
    builds an expression, no simplification) is decided again -- so
    ``(r2 - (r1 + r2 + r3)/3)`` at (0, 1, 2) is the exact 0, which balls
    cannot show.  Only for relations of at most EXACT_NODES distinct nodes."""
    verdict = _decide(rel, point)
    if verdict is None and point and _distinct_nodes(rel, EXACT_NODES) <= EXACT_NODES:
        try:
            values = {k: sp.sympify(v) for k, v in point.items()}
            exact = rel.func(sp.sympify(rel.lhs).xreplace(values),
                             sp.sympify(rel.rhs).xreplace(values), evaluate=False)
        except (ArithmeticError, ValueError, TypeError, RecursionError):
            return None
        if not exact.free_symbols:
            verdict = _decide(exact, {})
    return verdict


def _decide(rel: sp.Basic, point: Mapping) -> bool | None:
    try:
        return intervals.decide(rel, point, max_prec=ARB_PREC)
    except (ArithmeticError, ValueError, TypeError, KeyError, RecursionError):
        return None


def _distinct_nodes(e: sp.Basic, cap: int) -> int:
    """The number of distinct subexpressions of ``e`` (counting stops past ``cap``)."""
    seen, stack = set(), [e]
    while stack and len(seen) <= cap:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(n.args)
    return len(seen)


_BALL_PRECS = (64, 256, 1024)


def _real_ball(x: sp.Expr, prec: int, point: Mapping | None = None):
    """An Arb ball of the real number ``x`` (at ``point``); "retry" at a higher
    precision; None if it cannot be evaluated or is not (shown) real."""
    try:
        b = intervals.arb_eval(x, point, prec)
    except intervals.Indeterminate:
        return "retry"
    except (ArithmeticError, ValueError, TypeError, KeyError, RecursionError):
        return None
    if not isinstance(b, arb):
        if not b.imag.is_zero():
            return None
        b = b.real
    return b


def _ball_sign(x: sp.Expr, point: Mapping | None = None) -> int | None:
    """The sign of the real number ``x`` (at ``point``) from Arb balls alone (no exact
    algebra, so cheap): +1/-1 when a ball at 64, 256 or 1024 bits excludes 0, else None."""
    for prec in _BALL_PRECS:
        b = _real_ball(x, prec, point)
        if b is None:
            return None
        if b == "retry":
            continue
        if b > 0:
            return 1
        if b < 0:
            return -1
    return None


def _in_interval_by_balls(v: sp.Expr, dom: sp.Interval) -> bool | None:
    """Membership of an irrational ``v`` in an interval with rational (or
    infinite) ends, from one ball of ``v`` per precision; None if undecided."""
    ends = [e for e in (dom.start, dom.end) if e.is_finite]
    if not all(e.is_Rational for e in ends):
        return None
    for prec in _BALL_PRECS:
        b = _real_ball(v, prec)
        if b is None:
            return None
        if b == "retry":
            continue
        lo = hi = True
        if dom.start.is_finite:
            a = arb(fmpq(int(dom.start.p), int(dom.start.q)))
            lo = (b > a) if dom.left_open else (b >= a)
            if (b <= a) if dom.left_open else (b < a):
                return False
        if dom.end.is_finite:
            e = arb(fmpq(int(dom.end.p), int(dom.end.q)))
            hi = (b < e) if dom.right_open else (b <= e)
            if (b >= e) if dom.right_open else (b > e):
                return False
        if lo and hi:
            return True
    return None


def _zero_exact(x: sp.Expr) -> bool | None:
    """Is the number ``x`` exactly 0?  (Arb, then exact algebra; None: undecided.)"""
    x = sp.sympify(x)
    if x.is_Rational:
        return x == 0
    if _ball_sign(x) is not None:
        return False
    try:
        return intervals.is_zero(x, None, max_prec=ARB_PREC)
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        return None


def _sign_exact(x: sp.Expr) -> int | None:
    """The sign of the real number ``x``, decided exactly (None: undecided)."""
    x = sp.sympify(x)
    if x.is_Rational:
        return int(bool(x > 0)) - int(bool(x < 0))
    s = _ball_sign(x)
    if s is not None:
        return s
    try:
        return intervals.sign(x, None, max_prec=ARB_PREC)
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        return None


def _any3(verdicts) -> bool | None:
    verdicts = list(verdicts)
    if any(v is True for v in verdicts):
        return True
    return False if all(v is False for v in verdicts) else None


def _all3(verdicts) -> bool | None:
    verdicts = list(verdicts)
    if any(v is False for v in verdicts):
        return False
    return True if all(v is True for v in verdicts) else None


def _compare(v: sp.Expr, bound: sp.Expr, above: bool, strict: bool) -> bool | None:
    """Is v > bound (above) / v < bound, strictly or not?  Exact."""
    if bound.is_infinite:
        return (bound is sp.S.NegativeInfinity) if above else (bound is sp.S.Infinity)
    if v.is_Rational and bound.is_Rational:
        if above:
            return bool(v > bound) if strict else bool(v >= bound)
        return bool(v < bound) if strict else bool(v <= bound)
    s = _ball_sign(sp.Add(v, -bound, evaluate=False))
    if s is not None:
        return s > 0 if above else s < 0
    rel = (sp.Gt if strict else sp.Ge) if above else (sp.Lt if strict else sp.Le)
    return decide_exactly(rel(v, bound, evaluate=False), {})


def _is_real(v: sp.Expr) -> bool | None:
    if v.is_Rational:
        return True
    try:
        ball = intervals.arb_eval(v, None, prec=64)
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        return None
    return True if isinstance(ball, arb) else None


def _as_integer(v: sp.Expr) -> int | None | bool:
    """The integer v is (exactly), False if v is certainly not an integer, None if undecided."""
    if v.is_Integer:
        return int(v)
    if v.is_Rational:
        return False
    try:
        with mpmath.workdps(30):
            n = int(mpmath.nint(mpmath.re(mp_number(v))))
    except (ArithmeticError, ValueError, TypeError, Undefined):
        return None
    same = decide_exactly(sp.Eq(v, n, evaluate=False), {})
    return n if same else (False if same is False and _is_real(v) else None)


def in_domain(value, dom: sp.Set) -> bool | None:
    """Is the exact number ``value`` in ``dom``?  True/False when decided exactly
    (rational arithmetic, Arb for irrational values), None when undecided.

    >>> from sympy import Interval, Range, Rational, sqrt, S, FiniteSet
    >>> in_domain(Rational(1, 2), Interval(0, 1) - FiniteSet(Rational(1, 2)))
    False
    >>> in_domain(sqrt(2) / 2, Interval.open(0, 1)), in_domain(15, Range(0, 100, 5))
    (True, True)
    """
    v = sp.sympify(value)
    if not isinstance(v, sp.Expr) or v.free_symbols or not v.is_number:
        return None
    if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.Float):
        return None if v.has(sp.Float) else False
    return _member(v, dom)


def _member(v: sp.Expr, dom: sp.Set) -> bool | None:
    if isinstance(dom, sp.Interval) and not v.is_Rational:
        inside = _in_interval_by_balls(v, dom)
        if inside is not None:
            return inside
    if isinstance(dom, sp.Interval):            # also the reals
        lo = _compare(v, dom.start, True, bool(dom.left_open))
        hi = _compare(v, dom.end, False, bool(dom.right_open))
        verdict = _all3([lo, hi])
        if verdict is True and dom.start.is_infinite and dom.end.is_infinite:
            return _is_real(v)
        return verdict
    if dom is sp.S.EmptySet:
        return False
    if isinstance(dom, sp.Union):
        return _any3(_member(v, part) for part in dom.args)
    if isinstance(dom, sp.Complement):
        inside = _member(v, dom.args[0])
        if inside is not True:
            return inside
        out = _member(v, dom.args[1])
        return None if out is None else not out
    if isinstance(dom, sp.Intersection):
        return _all3(_member(v, part) for part in dom.args)
    if isinstance(dom, sp.FiniteSet):
        return _any3((v == e) if (v.is_Rational and e.is_Rational) else
                     decide_exactly(sp.Eq(v, e, evaluate=False), {}) for e in dom.args)
    integer_sets = (sp.S.Integers, sp.S.Naturals, sp.S.Naturals0)
    if dom in integer_sets or isinstance(dom, sp.Range):
        n = _as_integer(v)
        if n is None or n is False:
            return n
        if dom is sp.S.Integers:
            return True
        if dom is sp.S.Naturals:
            return n >= 1
        if dom is sp.S.Naturals0:
            return n >= 0
        if dom.size == 0:
            return False
        lo, hi, step = dom.inf, dom.sup, abs(dom.step)
        if (lo.is_finite and n < lo) or (hi.is_finite and n > hi):
            return False
        ref = lo if lo.is_finite else hi
        return (n - int(ref)) % int(step) == 0
    if isinstance(dom, sp.ImageSet) and len(dom.base_sets) == 1 and \
            len(dom.lamda.variables) == 1:
        (var,), body = dom.lamda.variables, dom.lamda.expr
        try:
            p = sp.Poly(body, var)
        except (sp.PolynomialError, sp.GeneratorsError):
            p = None
        if p is not None and p.degree() == 1 and all(co.is_Rational for co in p.all_coeffs()):
            a, b = p.all_coeffs()          # v = a*k + b  <=>  k = (v - b)/a
            pre = (v - b) / a if v.is_Rational else \
                sp.Mul(sp.Add(v, -b, evaluate=False), 1 / a, evaluate=False)
            return _member(pre, dom.base_sets[0])
    try:
        found = dom.contains(v)
    except (TypeError, ValueError, NotImplementedError, RecursionError):
        return None
    return True if found is sp.true else (False if found is sp.false else None)


# -- domains: what to sample -------------------------------------------------------------

def _rational(f: Fraction) -> sp.Rational:
    return sp.Rational(f.numerator, f.denominator)


def _fraction(r: sp.Rational) -> Fraction:
    return Fraction(int(r.p), int(r.q))


class _Sampler:
    """Edge values and seeded draws for one domain (draws may fall outside a
    composite domain: callers test membership and redraw)."""

    size: int | None = None          # number of elements of a finite domain

    def edges(self) -> list:
        return []

    def draw(self, rng: random.Random):
        raise NotImplementedError

    def value(self, i: int):
        raise NotImplementedError


class _IntervalSampler(_Sampler):
    def __init__(self, dom: sp.Interval) -> None:
        self.a, self.b = dom.start, dom.end
        self.left_open, self.right_open = bool(dom.left_open), bool(dom.right_open)

    def edges(self) -> list:
        a, b = self.a, self.b
        if a.is_infinite and b.is_infinite:
            return [sp.Integer(0), sp.Integer(1), sp.Integer(-1), TINY, -sp.Integer(10)**12,
                    sp.Integer(10)**30]
        vals: list = []
        if a.is_finite:
            vals += [a + TINY, a + sp.Rational(1, 10**10)] + ([] if self.left_open else [a])
        if b.is_finite:
            vals += [b - TINY, b - sp.Rational(1, 10**10)] + ([] if self.right_open else [b])
        if a.is_finite and b.is_finite:
            vals.append((a + b) / 2)
        if not b.is_finite:
            vals += [a + 1, a + sp.Integer(10)**12, a + sp.Integer(10)**30]
        if not a.is_finite:
            vals += [b - 1, b - sp.Integer(10)**12]
        return vals

    def draw(self, rng: random.Random):
        """Uniform on bounded intervals; on half-lines and the reals, uniform on a
        width-10 stretch half the time and spread over 25 decades otherwise."""
        a, b = self.a, self.b
        u = Fraction(rng.randrange(1, 10**15), 10**15)
        if a.is_finite and b.is_finite:
            if a.is_Rational and b.is_Rational:
                fa, fb = _fraction(a), _fraction(b)
                return _rational(fa + (fb - fa) * u)
            return a + (b - a) * _rational(u)
        if rng.random() < 0.5:
            mag = 10 * u
        else:
            mag = Fraction(10) ** rng.randrange(-12, 13) * (1 + 9 * u)
        if a.is_finite:
            return _rational(_fraction(a) + mag) if a.is_Rational else a + _rational(mag)
        if b.is_finite:
            return _rational(_fraction(b) - mag) if b.is_Rational else b - _rational(mag)
        return _rational(mag if rng.random() < 0.5 else -mag)


class _FiniteSampler(_Sampler):
    def __init__(self, dom: sp.FiniteSet) -> None:
        self.values = list(dom.args)        # SymPy's canonical order: deterministic
        self.size = len(self.values)

    def edges(self) -> list:
        return self.values[:12]

    def draw(self, rng):
        return rng.choice(self.values)

    def value(self, i):
        return self.values[i]


class _IntegerSampler(_Sampler):
    """Range (with a step), the integers, the naturals: a spread of small values
    ``lo + step*{0, 1, 2, 3, 5, 8, ...}`` (at most ``cap`` in size, beyond the
    first seven, when ``cap`` is set) and, without a cap, large ones (64, 1000)."""

    def __init__(self, dom: sp.Set, cap: int | None) -> None:
        self.dom = dom
        self.two_sided = dom is sp.S.Integers
        if dom is sp.S.Naturals:
            dom = sp.Range(1, sp.oo)
        elif dom is sp.S.Naturals0:
            dom = sp.Range(0, sp.oo)
        self.range = None if self.two_sided else dom
        if self.range is not None and self.range.size.is_finite:
            self.size = int(self.range.size)
        if self.two_sided:
            self.ref, self.dir = 0, 1
        elif self.size is None:
            if dom.inf.is_finite:
                self.ref, self.dir = int(dom.inf), int(abs(dom.step))
            else:
                self.ref, self.dir = int(dom.sup), -int(abs(dom.step))
        self.size_like = cap is not None
        if self.size is None:
            ok = [k for k in INTEGER_OFFSETS
                  if cap is None or k <= 6 or abs(self.ref + self.dir * k) <= cap]
            self.offsets = ok
            self.kmax = max(ok)

    def _at(self, k: int, sign: int = 1) -> sp.Integer:
        return sp.Integer(sign * (self.ref + self.dir * k))

    def edges(self) -> list:
        if self.size is not None:
            n = self.size
            idx = [k for k in INTEGER_OFFSETS if k < n] + [n - 2, n - 1]
            out = []
            for k in idx:
                if 0 <= k < n and self.range[k] not in out:
                    out.append(self.range[k])
            return out[:12]
        vals = [self._at(k) for k in self.offsets]
        if self.two_sided:
            vals += [self._at(k, -1) for k in self.offsets if k in (1, 2, 5, 13, 34)]
        if not self.size_like:
            for big in LARGE_INTEGERS:
                vals.append(sp.Integer(big) if in_domain(big, self.dom) else self._at(big))
                if self.two_sided:
                    vals.append(sp.Integer(-big))
        return vals

    def draw(self, rng):
        if self.size is not None:
            return self.range[rng.randrange(self.size)]
        r = rng.random()
        if r < 0.5:
            k = rng.randrange(7)
        elif r < 0.9 or self.size_like:
            # a few sizes, so that sums are written out for few distinct sizes
            k = rng.choice(self.offsets + ([] if self.size_like else list(LARGE_INTEGERS)))
        else:
            k = rng.randrange(self.kmax + 1)
        return self._at(k, -1 if self.two_sided and rng.random() < 0.5 else 1)

    def value(self, i):
        return self.range[i]


class _FilteredSampler(_Sampler):
    """A composite domain (union, punctured set, intersection, image): draws from
    its parts, edges filtered by exact membership."""

    def __init__(self, dom: sp.Set, parts: Sequence[_Sampler], extra_edges=(), mapping=None):
        self.dom, self.parts, self.extra, self.mapping = dom, list(parts), list(extra_edges), mapping

    def _map(self, v):
        return v if self.mapping is None or v is None else self.mapping(v)

    def edges(self) -> list:
        out = []
        for v in [self._map(e) for p in self.parts for e in p.edges()] + self.extra:
            if v not in out and in_domain(v, self.dom) is True:
                out.append(v)
        return out

    def draw(self, rng):
        part = self.parts[rng.randrange(len(self.parts))] if len(self.parts) > 1 else self.parts[0]
        return self._map(part.draw(rng))


@functools.lru_cache(maxsize=1024)
def _sampler(dom: sp.Set, cap: int | None = None) -> _Sampler:
    """How to sample ``dom``; ``cap`` bounds the integers of an integer set
    that sizes a written-out sum."""
    if isinstance(dom, sp.Interval):
        return _IntervalSampler(dom)
    if isinstance(dom, sp.FiniteSet):
        return _FiniteSampler(dom)
    if isinstance(dom, sp.Range) or dom in (sp.S.Integers, sp.S.Naturals, sp.S.Naturals0):
        return _IntegerSampler(dom, cap)
    if isinstance(dom, sp.Union):
        return _FilteredSampler(dom, [_sampler(p, cap) for p in dom.args])
    if isinstance(dom, sp.Complement):
        base, cut = dom.args
        near = []
        if isinstance(cut, sp.FiniteSet):       # values next to a puncture (never at it)
            for b in cut.args[:6]:
                near += [b - TINY, b + TINY, b - sp.Rational(1, 10**10), b + sp.Rational(1, 10**10)]
        return _FilteredSampler(dom, [_sampler(base, cap)], near)
    if isinstance(dom, sp.Intersection):
        rank = {sp.FiniteSet: 0, sp.Range: 1, sp.Interval: 2}
        part = min(dom.args, key=lambda p: (next((r for t, r in rank.items() if isinstance(p, t)),
                                                 3), str(p)))
        return _FilteredSampler(dom, [_sampler(part, cap)])
    if isinstance(dom, sp.ImageSet) and len(dom.base_sets) == 1 and \
            len(dom.lamda.variables) == 1:
        lam = dom.lamda
        return _FilteredSampler(dom, [_sampler(dom.base_sets[0], cap)],
                                mapping=lambda v: lam(v))
    return _FilteredSampler(dom, [_IntervalSampler(sp.S.Reals)])


@functools.lru_cache(maxsize=1024)
def _domain_edges(dom: sp.Set, cap: int | None = None) -> tuple:
    return tuple(v for v in _sampler(dom, cap).edges() if in_domain(v, dom) is True)


def edge_values(dom: sp.Set) -> list:
    """The edge values sampled first for a symbol with domain ``dom`` (all in ``dom``).

    >>> from sympy import Interval, Rational
    >>> Rational(1, 10**30) in edge_values(Interval.open(0, 1))
    True
    """
    return list(_domain_edges(dom))


_edge_values = edge_values   # old name, still used by tests/test_engine_units.py


def _draw(dom: sp.Set, rng: random.Random, cap: int | None = None):
    """A seeded value in ``dom`` (checked exactly), or None after REDRAWS tries."""
    smp = _sampler(dom, cap)
    for _ in range(REDRAWS):
        v = smp.draw(rng)
        if v is not None and in_domain(v, dom) is True:
            return v
    return None


def random_value(dom: sp.Set, rng: random.Random):
    """A seeded value in ``dom`` (None if none could be drawn)."""
    return _draw(dom, rng)


def _size_caps(exprs: Sequence[sp.Basic]) -> dict:
    """A cap for each integer symbol that sizes something written out: the
    limits of a sum (G**depth <= SUM_TERMS for sums over G nested depth deep),
    an index of a family, an argument of a factorial/binomial or of a function
    defined by the author (which writes itself out).  Others have no cap."""
    depth: dict = {}
    memo: dict = {}
    for e in exprs:
        for s, d in _nesting(sp.sympify(e), memo).items():
            depth[s] = max(depth.get(s, 0), d)
    return {s: min(SUM_CAP, int(round(SUM_TERMS ** (1 / d), 6)))
            for s, d in depth.items() if isinstance(s, sp.Symbol) and s.is_integer and d > 0}


def _nesting(e: sp.Basic, memo: dict) -> dict:
    if e in memo:
        return memo[e]
    out: dict = {}
    for a in e.args:
        for s, d in _nesting(a, memo).items():
            out[s] = max(out.get(s, 0), d)
    if isinstance(e, (sp.Sum, sp.Product)):
        for lim in e.limits:                 # each limit over a range of size G: G times
            for s in set().union(*(x.free_symbols for x in lim[1:])):
                out[s] = out.get(s, 0) + 1
    elif isinstance(e, sp.Indexed):
        for s in set().union(*(i.free_symbols for i in e.indices)):
            out[s] = max(out.get(s, 0), 1)
    elif isinstance(e, (sp.binomial, sp.factorial, sp.gamma, sp.core.function.AppliedUndef)) or (
            isinstance(e, sp.Function) and not type(e).__module__.startswith("sympy")):
        for s in e.free_symbols:
            out[s] = max(out.get(s, 0), 1)
    memo[e] = out
    return out


def _simplex_point(n: int, rng: random.Random, edgy: bool) -> list:
    weights = [sp.Rational(rng.randrange(1, 10**9), 10**9) for _ in range(n)]
    if edgy:
        weights[rng.randrange(n)] *= sp.Rational(1, 10**25)
    total = sum(weights)
    return [w / total for w in weights]


# -- instantiating expressions at a point --------------------------------------------------

_CARRY_OUT = (sp.Derivative, sp.Subs, sp.Product)


def _carry_out(e: sp.Basic, kinds=_CARRY_OUT) -> sp.Basic:
    """Carry out derivatives, substitutions (and products) innermost first,
    without evaluating anything else (a sum over a symbolic range stays: SymPy's
    symbolic summation can run for ever)."""
    if not e.has(*kinds):
        return e
    return e.replace(lambda x: isinstance(x, kinds), _carry_out_one)


# memoised (value-preserving: a function of the immutable expression alone): at one
# point's integer sizes the same derivative recurs in the statement, its premise and
# the proof's obligations
@functools.lru_cache(maxsize=4096)
def _carry_out_one(x: sp.Basic) -> sp.Basic:
    if isinstance(x, sp.Subs) and any(isinstance(v, sp.Indexed) for v in x.variables):
        # pi_old[3] = 0 must reach pi_old[j] of a sum over j = 1..K once K and the index
        # are numbers: write the (concrete) sums out first
        x = sp.Subs(write_out(x.expr), x.variables, x.point)
    return x.doit(deep=False)


@functools.lru_cache(maxsize=4096)
def _written(e: sp.Basic, ints: tuple) -> sp.Basic:
    """``e`` with the integer symbols ``ints`` ((symbol, value) pairs) substituted
    (a function of the author's evaluates then), derivatives, substitutions and
    products carried out, and sums written out (unevaluated: for evaluation)."""
    if ints:
        e = e.xreplace(dict(ints))
    return write_out(_carry_out(e), evaluate=False)


@functools.lru_cache(maxsize=4096)
def _indexed_atoms(e: sp.Basic) -> tuple:
    """The indexed elements (``r[3]``) of ``e``, each shared subexpression visited once."""
    seen, found, stack = set(), set(), [e]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        if isinstance(n, sp.Indexed):
            found.add(n)
        else:
            stack.extend(n.args)
    return tuple(sorted(found, key=str))


def _integers(pt: Mapping) -> tuple:
    return tuple(sorted(((s, sp.Integer(v)) for s, v in pt.items()
                         if isinstance(s, sp.Symbol) and s.is_integer and sp.sympify(v).is_Integer),
                        key=lambda kv: kv[0].name))


def _instantiate(exprs: Sequence[sp.Expr], pt: Mapping, rng: random.Random | None
                 ) -> tuple[list, dict]:
    """Substitute integer symbols, write out sums, carry out derivatives; with
    ``rng``, give each indexed element (``r[3]``) without a value one from its
    family's domain (without ``rng`` missing elements stay missing)."""
    ints = _integers(pt)
    out = []
    for e in exprs:
        e = sp.sympify(e)
        mine = tuple(kv for kv in ints if e.has(kv[0])) if ints else ()
        out.append(_written(e, mine))
    full = dict(pt)
    if rng is not None:
        for e in out:
            for atom in _indexed_atoms(e):
                if atom not in full:
                    dom = domain_of(atom)
                    edges = _domain_edges(dom)
                    v = rng.choice(edges) if edges and rng.random() < 0.25 else _draw(dom, rng)
                    if v is not None:
                        full[atom] = v
    return out, full


def _instantiate_rel(rel: sp.Basic, pt: Mapping, rng: random.Random | None):
    (lhs, rhs), full = _instantiate([rel.lhs, rel.rhs], pt, rng)
    return rel.func(lhs, rhs, evaluate=False), full


# -- deciding a relation at a point ----------------------------------------------------------

def gap_values(rel: sp.Basic, point: Mapping, digits: int, working: int):
    """(lhs, rhs, gap, digits lost) at ``point`` with ``working`` digits, or None.

    ``gap`` is lhs - rhs (for an inequality, oriented so that it must be >= 0);
    the lost digits are the most any one operation lost (cancellation in a sum,
    amplification by exp, a zero of sin/cos, log near 1).  None where a side is
    undefined, or an inequality compares non-real values."""
    rel, _ = _instantiate_rel(rel, point, None)
    return _gap(rel, point, digits, working)


def _gap(rel: sp.Basic, point: Mapping, digits: int, working: int):
    """:func:`gap_values` of a relation already instantiated at the point."""
    sides = (rel.lhs, rel.rhs)
    lost = [0]
    with mpmath.workdps(working):
        try:
            env = {k: _mp_value(sp.sympify(v), working) for k, v in point.items()}
            l, r = (mp_eval(x, env, lost) for x in sides)
        except (Undefined, ZeroDivisionError, ValueError, TypeError, KeyError, OverflowError,
                AttributeError):
            return None
        try:
            if not (mpmath.isfinite(l) and mpmath.isfinite(r)):
                return None
        except TypeError:
            return None
        g = (r - l) if isinstance(rel, (sp.LessThan, sp.StrictLessThan)) else (l - r)
        if any(isinstance(v, mpmath.mpc) and abs(mpmath.im(v)) > mpmath.mpf(10) ** (-digits)
               for v in (l, r, g)):
            if isinstance(rel, (sp.Eq, sp.Ne)):
                return l, r, g, lost[0]   # complex values still compare as equal or not
            return None                # an inequality between complex values means nothing
        return (*(mpmath.re(v) if isinstance(v, mpmath.mpc) else v for v in (l, r, g)), lost[0])


@functools.lru_cache(maxsize=8192)
def _mp_value(v: sp.Basic, working: int):
    """An exact point value as an mpmath number at ``working`` digits (a solved
    premise value is a large exact expression: evaluated once per precision)."""
    with mpmath.workdps(working):
        return mp_number(v)


def _reading(rel: sp.Basic, point: Mapping, digits: int, favourable=frozenset()
             ) -> tuple[int | None | str, dict]:
    """mpmath's reading of the gap: 0 (equal to the rounding level), +1/-1 (a
    real difference and its sign), None (cancellation never resolved up to
    MAX_WORKING_DIGITS) or "undefined".

    One evaluation at 2*digits suffices for a reading in ``favourable`` (one
    that makes the relation hold, so nothing rests on it but evidence) when the
    sides kept more than ``digits`` digits; any other reading must be confirmed
    at doubled working digits -- rounding shrinks as the digits double, a real
    difference does not -- because it is then sent to Arb."""
    working = 2 * digits
    prev = None
    values: dict = {}
    while True:
        gv = _gap(rel, point, digits, working)
        if gv is None:
            return "undefined", values
        l, r, g, lost = gv
        with mpmath.workdps(working):
            values = {"lhs": mpmath.nstr(l, digits), "rhs": mpmath.nstr(r, digits)}
            if lost < working - digits - GUARD:
                # the sides kept more than `digits` digits: a gap below their rounding
                # level reads as rounding, one above it as real
                scale = max(abs(l), abs(r))
                noise = abs(g) <= scale * mpmath.mpf(10) ** (lost + GUARD - working)
                single = 0 if noise else (1 if mpmath.re(g) > 0 else -1)
                if single in favourable:
                    return single, values
            if prev is not None:
                lo_g, hi_g = prev, g
                if hi_g == 0 or abs(hi_g) <= abs(lo_g) * mpmath.mpf(10) ** (-(digits // 2)):
                    return 0, values
                if abs(hi_g - lo_g) <= abs(hi_g) * mpmath.mpf(10) ** (-(digits // 2)) and \
                        lost < working - digits:
                    return (1 if mpmath.re(hi_g) > 0 else -1), values
        if working >= MAX_WORKING_DIGITS:
            return None, values
        prev = g
        working *= 2


def sign_at(rel: sp.Basic, point: Mapping, digits: int = DPS) -> tuple[bool | None, dict]:
    """Does ``rel`` hold at the exact ``point``?  (verdict, {"lhs", "rhs"}).

    ``False`` only when Arb (:func:`decide_exactly`) decides the relation false:
    it is a proof.  ``True`` when mpmath reads the gap as clearly of the right
    sign, or (an equation) equal to the rounding level with at least ``digits``
    digits kept -- evidence -- or when Arb decides it.  ``None`` when the point
    is undecided (undefined there, or neither mpmath nor Arb decides)."""
    rel, _ = _instantiate_rel(rel, point, None)
    return _sign_prepared(rel, point, digits)


def _sign_prepared(rel: sp.Basic, point: Mapping, digits: int) -> tuple[bool | None, dict]:
    """:func:`sign_at` of a relation already instantiated at the point."""
    if isinstance(rel, sp.Eq):
        favourable = {0}
    elif isinstance(rel, sp.Ne):
        favourable = {1, -1}
    elif isinstance(rel, (sp.StrictGreaterThan, sp.StrictLessThan)):
        favourable = {1}
    else:
        favourable = {0, 1}
    reading, values = _reading(rel, point, digits, favourable)
    if reading == "undefined":
        return None, values
    if reading is None:
        return decide_exactly(rel, point), values

    def confirmed_false():
        verdict = decide_exactly(rel, point)
        return verdict, values     # False (a proof), True (mpmath misread), or None

    if isinstance(rel, sp.Eq):
        return (True, values) if reading == 0 else confirmed_false()
    if isinstance(rel, sp.Ne):
        return (True, values) if reading != 0 else confirmed_false()
    strict = isinstance(rel, (sp.StrictGreaterThan, sp.StrictLessThan))
    if reading > 0 or (reading == 0 and not strict):
        return True, values
    return confirmed_false()


# -- premises: solved for one symbol -----------------------------------------------------------

@dataclass(frozen=True)
class _Solve:
    """``rel`` solved for ``sym``: its numerator is sum coeffs[i] * sym**(deg - i)."""
    rel: sp.Basic
    sym: sp.Symbol
    coeffs: tuple
    den: sp.Expr

    @property
    def degree(self) -> int:
        return len(self.coeffs) - 1


def _domain_rank(dom: sp.Set) -> int:
    if isinstance(dom, sp.Interval):
        return int(dom.start.is_finite) + int(dom.end.is_finite)
    return 3


def _solvers(c, rel: sp.Basic) -> list[_Solve]:
    """The ways to solve the equation ``rel`` for one free symbol (degree 1 or 2)."""
    try:
        d = _carry_out(sp.sympify(rel.lhs - rel.rhs), (sp.Derivative, sp.Subs))
        num, den = sp.fraction(sp.together(d))
    except (TypeError, ValueError, NotImplementedError, RecursionError, AttributeError):
        return []
    simplex = {s for sx in c.simplices for s in sx.symbols}
    out = []
    for s in c.free_symbols:
        dom = c.domain(s)
        if s in simplex or s.is_integer or is_finite_domain(dom) or not num.has(s):
            continue
        try:
            p = sp.Poly(num, s)
        except (sp.PolynomialError, sp.GeneratorsError, TypeError, ValueError, NotImplementedError):
            continue
        if p.degree() not in (1, 2):
            continue
        coeffs = tuple(sp.sympify(co) for co in p.all_coeffs())
        if any(co.has(s) for co in coeffs):
            continue
        out.append(_Solve(rel, s, coeffs, den))
    return sorted(out, key=lambda sv: (sv.degree, _domain_rank(c.domain(sv.sym)), sv.sym.name))


def _plans(c) -> tuple[list[tuple[_Solve, ...]], str | None]:
    """Ways to solve the premise (and equality conditions), at most three; and,
    if the premise cannot be solved, why."""
    eqs = ([c.given] if isinstance(c.given, sp.Eq) else []) + \
        [r for r in c.relations if isinstance(r, sp.Eq)]
    if not eqs:
        return [], None
    options = [_solvers(c, rel) for rel in eqs]
    plans: list[tuple[_Solve, ...]] = []
    for first in options[0][:3] or [None]:
        plan: list[_Solve] = []
        used: set = set()
        for i, rel in enumerate(eqs):
            earlier = set().union(*(e.free_symbols for e in eqs[:i])) if i else set()
            cands = [first] if i == 0 and first is not None else ([] if i == 0 else options[i])
            pick = next((sv for sv in cands if sv.sym not in used and sv.sym not in earlier), None)
            if pick is not None:
                plan.append(pick)
                used.add(pick.sym)
        if plan and tuple(plan) not in plans:
            plans.append(tuple(plan))
    why = None
    if isinstance(c.given, sp.Eq) and not any(p[0].rel is c.given for p in plans):
        why = ("no free symbol of the premise can be solved for exactly (it is not a "
               "polynomial of degree 1 or 2 in any real symbol with a continuous domain)")
    return plans, why


def _substitute(e: sp.Basic, values: Mapping, memo: dict) -> sp.Basic:
    """``e`` with the symbols (and indexed elements) in ``values`` replaced, sums,
    products and powers built unevaluated (an exact number for Arb and mpmath,
    without SymPy's automatic simplification), each shared subexpression once."""
    if isinstance(e, (sp.Symbol, sp.Indexed)) and e in values:
        return values[e]
    if not e.args:
        return e
    r = memo.get(e)
    if r is None:
        args = [_substitute(a, values, memo) for a in e.args]
        if all(a is b for a, b in zip(args, e.args)):
            r = e
        elif isinstance(e, (sp.Add, sp.Mul, sp.Pow)):
            r = e.func(*args) if all(a.is_Rational for a in args) else \
                e.func(*args, evaluate=False)
        else:
            r = e.func(*args)
        memo[e] = r
    return r


def _as_fraction(e: sp.Basic, memo: dict) -> Fraction | None:
    """The value of a tree of rational arithmetic, exactly; None for anything else."""
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    if e in memo:
        return memo[e]
    out = None
    if isinstance(e, (sp.Add, sp.Mul)):
        parts = [_as_fraction(a, memo) for a in e.args]
        if all(p is not None for p in parts):
            out = sum(parts, Fraction(0)) if isinstance(e, sp.Add) else \
                functools.reduce(lambda a, b: a * b, parts, Fraction(1))
    elif isinstance(e, sp.Pow) and e.exp.is_Integer:
        base = _as_fraction(e.base, memo)
        if base is not None and not (base == 0 and e.exp < 0):
            out = base ** int(e.exp)
    memo[e] = out
    return out


def _exact_number(e: sp.Basic) -> sp.Expr:
    f = _as_fraction(e, {})
    return _rational(f) if f is not None else e


def _exact_at(e: sp.Expr, full: Mapping) -> sp.Expr:
    """The exact value of ``e`` at the point: a Rational when it is one, else an
    unevaluated exact expression."""
    (inst,), _ = _instantiate([e], full, None)
    return _exact_number(_substitute(inst, full, {}))


def _roots(vals: list, rng: random.Random) -> list | None:
    """The real roots of vals[0] s**d + ... (d = 1, 2; leading coefficient not
    zero), exactly, in a seeded order; None when undecided."""
    U = dict(evaluate=False)
    if len(vals) == 2:
        a, b = vals
        if a.is_Rational and b.is_Rational:
            return [-b / a]
        return [sp.Mul(-1, b, sp.Pow(a, -1, **U), **U)]
    a, b, c = vals
    if all(v.is_Rational for v in vals):
        disc = b**2 - 4 * a * c
    else:
        disc = sp.Add(sp.Pow(b, 2, **U), sp.Mul(-4, a, c, **U), **U)
    s = _sign_exact(disc)
    if s is None or s < 0:
        return None if s is None else []
    root = sp.sqrt(disc) if disc.is_Rational else sp.Pow(disc, S_HALF, **U)
    two_a = sp.Pow(sp.Mul(2, a, **U), -1, **U)
    # no literal 0 term: SymPy's assumptions contradict themselves on an unevaluated 0 + t
    out = [sp.Mul(sp.Add(*[t for t in (-b, sign * root) if t != 0], **U), two_a, **U)
           for sign in ((-1, 1) if s else (1,))]
    out = [_exact_number(r) for r in out]
    if len(out) == 2 and rng.random() < 0.5:
        out.reverse()
    return out


def _apply_plan(c, plan: Sequence[_Solve], pt: dict, rng: random.Random) -> bool:
    """Overwrite the solved symbols of ``pt`` with exact solutions; False if none
    lies in the symbol's domain (or a coefficient or denominator is undecided)."""
    for sv in plan:
        pt.pop(sv.sym, None)
        try:
            vals = [_exact_at(co, pt) for co in sv.coeffs]
        except (TypeError, ValueError, ZeroDivisionError, RecursionError):
            return False
        if any(v.free_symbols or v.has(sp.nan, sp.zoo) for v in vals):
            return False
        while len(vals) > 1:          # a vanishing leading coefficient lowers the degree
            z = _zero_exact(vals[0])
            if z is None:
                return False
            if not z:
                break
            vals = vals[1:]
        roots = _roots(vals, rng) if len(vals) in (2, 3) else None
        if not roots:
            return False
        dom = c.domain(sv.sym)
        for root in roots:
            if in_domain(root, dom) is not True:
                continue
            den = sv.den
            if not den.is_number:
                try:
                    dv = _exact_at(den, {**pt, sv.sym: root})
                except (TypeError, ValueError, ZeroDivisionError, RecursionError):
                    continue
                if _zero_exact(dv) is not False:
                    continue
            pt[sv.sym] = root
            break
        else:
            return False
    return True


# -- sampling ----------------------------------------------------------------------------------

@dataclass
class _Sampling:
    points: list
    premise_ok: bool = True          # the points satisfy the premise (or there is none)
    premise_note: str = ""           # how the premise was sampled, or why not
    solved: frozenset = frozenset()  # relations solved exactly at every point
    cases_note: str = ""


def _holds(rel: sp.Basic, pt: Mapping) -> bool:
    """Is the condition ``rel`` decided True at ``pt`` (:func:`decide_exactly`)?

    An equation whose sides Arb balls show to differ is not: the balls prove it
    false, so ``decide_exactly`` (sound) could only say False or None -- and it
    may first spend long on exact algebra (annihilating polynomials at 64 bits)
    that more precise balls make unnecessary.  The verdict is the same."""
    inst, full = _instantiate_rel(rel, pt, None)
    if isinstance(inst, sp.Eq) and \
            _ball_sign(sp.Add(inst.lhs, -inst.rhs, evaluate=False), full) is not None:
        return False
    return decide_exactly(inst, full) is True


def _finite_cases(fin: Sequence[sp.Symbol], c, rng: random.Random) -> tuple[list[tuple], int]:
    """All cases of the finite-domain symbols (index tuples) if at most
    FINITE_CAP, else a seeded sample of FINITE_CAP distinct cases; and the count."""
    sizes = [_sampler(c.domain(s)).size for s in fin]
    total = 1
    for n in sizes:
        total *= n
    if total <= FINITE_CAP:
        return list(itertools.product(*(range(n) for n in sizes))), total
    seen: set = set()
    cases: list[tuple] = []
    for _ in range(FINITE_CAP * 8):
        t = tuple(rng.randrange(n) for n in sizes)
        if t not in seen:
            seen.add(t)
            cases.append(t)
        if len(cases) >= FINITE_CAP:
            break
    return cases, total


def _sample(c, count: int = SAMPLES, extra: Sequence[sp.Basic] = ()) -> _Sampling:
    """Sample points of ``c`` (see the module docstring); ``extra`` expressions
    (a proof's obligations) are evaluated there too: they bound sizes as well."""
    rng = random.Random(_seed(c.id))
    syms = c.free_symbols
    simplex_syms = {s for sx in c.simplices for s in sx.symbols}
    exprs = [c.statement.lhs, c.statement.rhs] + [side for rel in c.relations
                                                   for side in (rel.lhs, rel.rhs)]
    if c.given is not None:
        exprs += [c.given.lhs, c.given.rhs]
    has_indexed = any(sp.sympify(e).has(sp.Indexed) for e in exprs)
    caps = _size_caps([*exprs, *extra])
    free = [s for s in syms if s not in simplex_syms]
    fin = [s for s in free if is_finite_domain(c.domain(s))]
    cont = [s for s in free if s not in fin]
    plans, premise_why = _plans(c)
    edges = {s: _domain_edges(c.domain(s), caps.get(s)) for s in cont}
    n_edges = max((len(v) for v in edges.values()), default=0)
    cases, total = _finite_cases(fin, c, random.Random(_seed(c.id + "#cases"))) if fin \
        else ([()], 1)
    only_cases = bool(fin) and not cont and not c.simplices and not has_indexed
    target = len(cases) if only_cases else max(count + n_edges, len(cases) if fin else 0)
    if not free and not c.simplices:
        target = 1                             # nothing to vary: one point
    max_attempts = len(cases) if only_cases else target * 20
    filters_base = [r for r in c.relations]
    if c.given is not None and not isinstance(c.given, sp.Eq):
        filters_base.append(c.given)           # an inequality premise: decided per point
    # conditions on the drawn symbols alone are decided before a family r[1..G] is drawn
    # or a premise solved
    solvable = {sv.sym for p in plans for sv in p}
    cheap = [r for r in filters_base if not r.has(sp.Indexed, sp.Sum) and
             not (r.free_symbols & solvable)]
    stats = [[0, 0] for _ in plans]            # per plan: tries, successes
    points: list[dict] = []
    used_cases: set = set()
    attempts = 0
    while len(points) < target and attempts < max_attempts:
        attempts += 1
        k = attempts - 1
        pt: dict = {}
        ok = True
        for n, s in enumerate(cont):
            es = edges[s]
            if 1 <= k <= n_edges and es:
                # the first points walk through every edge value of every symbol
                v = es[(k - 1 + n) % len(es)]
            elif k > n_edges and es and rng.random() < 0.3:
                v = rng.choice(es)
            else:
                v = _draw(c.domain(s), rng, caps.get(s))
            if v is None:
                ok = False
            pt[s] = v
        case = k % len(cases)
        for s, i in zip(fin, cases[case]):
            pt[s] = _sampler(c.domain(s)).value(i)
        for sx in c.simplices:
            pt.update(zip(sx.symbols, _simplex_point(len(sx.symbols), rng, rng.random() < 0.3)))
        if not ok or not all(_holds(rel, pt) for rel in cheap):
            continue
        if has_indexed:
            _, pt = _instantiate(exprs, pt, rng)
        solved: tuple = ()
        if plans:
            live = [i for i, (tries, wins) in enumerate(stats) if tries < 8 or wins > 0] or [0]
            p = live[k % len(live)]
            stats[p][0] += 1
            if not _apply_plan(c, plans[p], pt, rng):
                continue
            stats[p][1] += 1
            solved = tuple(sv.rel for sv in plans[p])
        filters = [r for r in filters_base if r not in solved and r not in cheap]
        if _in_declared_domain(syms, c, pt) and all(_holds(rel, pt) for rel in filters):
            points.append(pt)
            used_cases.add(case)
    out = _Sampling(points)
    if c.given is not None and isinstance(c.given, sp.Eq):
        solved_for = sorted({p[0].sym.name for p in plans if p[0].rel is c.given})
        if solved_for:
            out.premise_note = "premise sampled: solved exactly for " + " or ".join(solved_for)
            out.solved = frozenset([c.given])
        else:
            out.premise_ok = False
            out.premise_note = "premise not sampled: " + (premise_why or "not solvable")
    if plans:
        out.solved = out.solved | frozenset(sv.rel for p in plans for sv in p
                                            if sv.rel is not c.given)
    if fin and total > 1:
        what = "the finite-domain symbols" if len(fin) > 1 else f"{fin[0]}"
        if total > FINITE_CAP:
            out.cases_note = f"sampled {len(used_cases)} of {total} cases of {what}"
        elif len(used_cases) == total:
            out.cases_note = f"all {total} cases of {what}"
        else:
            out.cases_note = f"{len(used_cases)} of {total} cases of {what}"
    return out


def _in_declared_domain(syms, c, pt: Mapping) -> bool:
    """Every value of the point exactly in its domain (simplex coordinates too)."""
    for s in syms:
        if s not in pt or in_domain(pt[s], c.domain(s)) is not True:
            return False
    return True


def sample_points(c, count: int = SAMPLES) -> list[dict]:
    """Seeded sample points (exact numbers) in the claim's domain.

    Each point gives every free symbol a value (exactly in its domain) and,
    where the claim speaks of an indexed family (``r[j]`` for j up to a
    sampled G), every element too; every condition holds there (decided by
    Arb).  A premise that can be solved for one symbol holds exactly at every
    point; one that cannot is ignored here (see the module docstring).
    """
    return _sample(c, count).points


def _symbols_of(exprs) -> set:
    """The symbols to sample for ``exprs`` (not the labels of indexed families)."""
    exprs = [sp.sympify(e) for e in exprs]
    labels = {b.label for e in exprs for b in e.atoms(sp.IndexedBase)}
    return {s for e in exprs for s in e.free_symbols
            if isinstance(s, sp.Symbol) and s not in labels}


def _points_for(c, exprs, count):
    """Sample points for symbols that appear only in a proof's obligations."""
    from .claims import Claim
    syms = _symbols_of(exprs)
    probe = Claim(id=c.id + "#obligations", paper="",
                  statement=sp.Eq(sp.Add(*syms), 0, evaluate=False),
                  domains=c.domains, conditions=c.conditions)
    return _sample(probe, count, extra=exprs).points


# -- confirming a point ------------------------------------------------------------------------

def _sums_to_one(vals: Sequence) -> bool:
    vals = [sp.sympify(v) for v in vals]
    if all(v.is_Rational for v in vals):
        return sp.Add(*vals) == 1
    return _zero_exact(sp.Add(*vals) - 1) is True


def _point_problem(c, full: Mapping, solved: frozenset = frozenset()) -> str | None:
    """Why ``full`` is not (shown to be) a point of the claim's domain; None if it is.

    Every value exactly in its domain, every condition decided True by Arb,
    every simplex summing to exactly 1, the premise decided True by Arb (or,
    for an equation solved exactly at this point -- ``solved`` -- not decided
    False)."""
    for s in c.free_symbols:
        if s not in full:
            return f"the point gives no value for {s}"
        inside = in_domain(full[s], c.domain(s))
        if inside is not True:
            return f"{s} = {full[s]} is " + ("outside its domain" if inside is False
                                            else "not decidably in its domain")
    for k, v in _by_name(full.items()):
        if isinstance(k, sp.Indexed) and in_domain(v, domain_of(k)) is not True:
            return f"{k} = {v} is not (decidably) in its domain"
    rels = list(c.relations) + ([c.given] if c.given is not None else [])
    for rel in rels:
        inst, _ = _instantiate_rel(rel, full, None)
        verdict = decide_exactly(inst, full)
        if verdict is True or (verdict is None and rel in solved):
            continue
        what = "premise" if rel is c.given else "condition"
        return f"the {what} {rel} is " + ("false there" if verdict is False
                                          else "not decided true there")
    for sx in c.simplices:
        if not _sums_to_one([full[s] for s in sx.symbols]):
            return "the point is not exactly on the simplex"
    return None


def _shown(full: Mapping, dps: int) -> tuple[dict, dict]:
    ordered = _by_name(full.items())
    point = {}
    for k, v in ordered:
        v = sp.sympify(v)
        point[str(k)] = str(v) if v.is_Integer else str(sp.N(v, dps))
    return point, {str(k): str(v) for k, v in ordered}


# -- checks ------------------------------------------------------------------------------------

def _check_relation(c, rel: sp.Basic, sampling: _Sampling, dps: int) -> NumericResult:
    """The statement at each sample point (:func:`sign_at`); a False point is
    reported only after :func:`_point_problem` re-checks it lies in the domain."""
    rng = random.Random(_seed(c.id + "#indexed"))
    agreed = undecided = outside = 0
    for pt in sampling.points:
        inst, full = _instantiate_rel(rel, pt, rng)
        held, values = _sign_prepared(inst, full, dps)
        if held is None:
            undecided += 1
            continue
        if held:
            agreed += 1
            continue
        problem = _point_problem(c, full, sampling.solved)
        if problem:
            outside += 1
            continue
        point, exact = _shown(full, dps)
        return NumericResult(
            NumericOutcome.COUNTEREXAMPLE, agreed,
            "counterexample found by sampling and decided exactly (Arb enclosures): the "
            "statement is false at an exact point of the domain",
            {"point": point, "exact_point": exact, **values, "decided_by": "arb"})
    notes = [n for n in (sampling.cases_note, sampling.premise_note) if n]
    if undecided:
        notes.append(f"{undecided} points undecided")
    if outside:
        notes.append(f"{outside} points failing the statement could not be shown to lie "
                     "in the domain (not counterexamples)")
    tail = (" (" + "; ".join(notes) + ")") if notes else ""
    if agreed == 0:
        return NumericResult(NumericOutcome.NONE, 0, "no sample point could be evaluated" + tail)
    return NumericResult(NumericOutcome.AGREES, agreed, f"agrees at {agreed} points" + tail)


def _check_obligations(c, obligations: list, points: list[dict], dps: int
                       ) -> tuple[int, str | None]:
    """Each obligation must vanish at the points; returns (evaluated, failure).

    A failure is an obligation that Arb decides is non-zero at an exact point
    (:func:`sign_at`); rounding never counts as one."""
    rng = random.Random(_seed(c.id + "#obligations"))
    done = 0
    for ob in obligations:
        ob = sp.sympify(ob)
        for pt in points:
            (inst,), full = _instantiate([ob], pt, rng)
            held, values = _sign_prepared(sp.Eq(inst, 0, evaluate=False), full, dps)
            if held is None:
                continue
            if held is False:
                shown = {str(k): str(x) for k, x in _by_name(full.items())}
                return done, (f"a proof obligation is {values.get('lhs', '?')}, not 0 "
                              f"(decided exactly), at {shown}")
            done += 1
    return done, None


def _is_witness(proof) -> bool:
    from .proofs import Witness
    return isinstance(proof, Witness)


def _witness_backup(c, proof, dps: int) -> NumericResult | None:
    """The statement at the witness, decided exactly.  None: a forall claim's
    witness does not refute it (sampling goes on)."""
    point: dict = {}
    for k, v in _by_name(proof.point.items()):
        v = sp.sympify(v)
        if not isinstance(v, sp.Expr) or v.free_symbols or not v.is_number:
            return NumericResult(NumericOutcome.NONE, 0,
                                 f"the witness value for {k} is not a number")
        point[k] = v
    problem = _point_problem(c, point)
    if problem:
        return NumericResult(NumericOutcome.NONE, 0, f"the witness is unusable: {problem}")
    inst, _ = _instantiate_rel(c.statement, point, None)
    missing = [a for a in _indexed_atoms(inst.lhs - inst.rhs) if a not in point]
    if missing:
        return NumericResult(NumericOutcome.NONE, 0,
                             f"the witness is unusable: it gives no value for {missing[0]}")
    held = decide_exactly(inst, point)
    if c.quantifier == "exists":
        if held is True:
            return NumericResult(NumericOutcome.AGREES, 1,
                                 "the witness satisfies the statement (decided exactly)")
        return NumericResult(NumericOutcome.NONE, 0,
                             "the witness does not satisfy the statement (decided exactly)"
                             if held is False else "the statement is undecided at the witness")
    if held is False:
        _, values = _sign_prepared(inst, point, dps)
        shown = {str(k): str(v) for k, v in _by_name(point.items())}
        return NumericResult(NumericOutcome.COUNTEREXAMPLE, 1,
                             "the witness fails the statement (decided exactly, Arb enclosures)",
                             {"point": shown, **values, "decided_by": "arb"})
    return None


def numeric_backup(c, dps: int = DPS, count: int = SAMPLES) -> NumericResult:
    """Check a claim numerically; see the module docstring.

    The statement is sampled (on the premise's solution set when it has a
    premise that can be solved for); the proof's obligations are evaluated
    too, and a failing one is reported as ``proof_failure`` -- evidence
    against the proof, not against the statement.
    """
    proof = c.proof
    if c.is_limit:
        res = _limit_estimate(c, dps)
        return _own_check(c, res, dps, res.extra)
    if proof is not None and _is_witness(proof):
        res = _witness_backup(c, proof, dps)
        if res is not None:
            return res
    elif c.quantifier == "exists":
        return NumericResult(NumericOutcome.NONE, 0, "an existential claim needs a witness")
    obligations: list = []
    if proof is not None:
        try:
            obligations = list(dict.fromkeys(sp.sympify(ob) for ob in proof.obligations(c)))
        except (ValueError, TypeError):
            obligations = []
    sampling = _sample(c, count, extra=obligations)
    points = sampling.points
    extra: list[str] = []
    if c.given is not None and not sampling.premise_ok:
        res = NumericResult(NumericOutcome.NONE, 0, sampling.premise_note +
                            "; checked through its proof's steps")
    else:
        res = _check_relation(c, c.statement, sampling, dps)
    if res.outcome != NumericOutcome.COUNTEREXAMPLE:
        if obligations:
            needed = _symbols_of(obligations)
            pts = points if points and needed <= set(points[0]) else \
                _points_for(c, obligations, count)
            done, failure = _check_obligations(c, obligations, pts, dps)
            if failure:
                res.proof_failure = failure
            elif done:
                extra.append(f"{len(obligations)} proof obligations vanish at {len(pts)} points")
                if res.outcome == NumericOutcome.NONE and c.given is not None:
                    res = NumericResult(NumericOutcome.AGREES, done,
                                        f"proof obligations vanish ({sampling.premise_note})")
    return _own_check(c, res, dps, extra)


def _own_check(c, res: NumericResult, dps: int, extra: list[str]) -> NumericResult:
    """The author's own numeric check (``numeric=``), if any.  It decides with
    its own tolerance, so a failure is shown (outcome none), never reported as
    a counterexample."""
    if c.numeric is not None and res.outcome != NumericOutcome.COUNTEREXAMPLE:
        ok, detail = c.numeric(dps)
        extra = [*extra, detail]
        if not ok:
            return NumericResult(NumericOutcome.NONE, res.points,
                                 f"the claim's own numeric check fails: {detail} (not a "
                                 "confirmed counterexample)", extra=extra,
                                 proof_failure=res.proof_failure)
        if res.outcome == NumericOutcome.NONE:
            res = NumericResult(NumericOutcome.AGREES, 1, detail,
                                proof_failure=res.proof_failure)
    res.extra = list(extra)
    return res


# -- limits --------------------------------------------------------------------------------------

def _eliminate(c, expr: sp.Basic) -> sp.Basic:
    for sx in c.simplices:
        expr = expr.subs(sx.elimination())
    return expr


def _limit_estimate(c, dps: int) -> NumericResult:
    """Evaluate f along x -> x0 (at points 10^-k away, or 10^k for infinity).

    A wrong limit value leaves an error that stops shrinking (however small,
    relative to a large target); a slow but correct limit (1/log x) leaves
    errors that keep shrinking.  So: agrees when the error reaches the working
    precision or shrinks steadily; ``none`` (a disagreement, shown -- a limit is
    not decided at finitely many points, so this is never a counterexample)
    when it stagnates above the precision; otherwise undecided."""
    lim = c.statement.lhs
    f, x, x0, direction = lim.args
    target = c.statement.rhs
    f = _eliminate(c, f)
    others = [s for s in c.free_symbols if s != x]
    rng = random.Random(_seed(c.id))
    verdicts = []
    for _ in range(4):
        pt = {s: _draw(c.domain(s), rng) for s in others}
        if any(v is None for v in pt.values()) or not all(
                decide_exactly(*_instantiate_rel(rel, pt, None)) is True for rel in c.relations):
            continue
        fx, tx = f.subs(pt), target.subs(pt)
        errs, where = [], []
        for k in (4, 8, 16, 32, 64, 128, 256):
            # at 10^-k from the limit point, differences of nearby values can cancel
            # several times k digits: give the evaluation room for that
            with mpmath.workdps(3 * dps + 4 * k):
                h = mpmath.mpf(10) ** (-k)
                if x0 is sp.oo:
                    xv = 1 / h
                elif x0 is -sp.oo:
                    xv = -1 / h
                else:
                    xv = mp_number(x0) + (h if str(direction) == "+" else -h)
                try:
                    val, tgt = mp_eval(fx, {x: xv}), mp_eval(tx, {x: xv})
                except (Undefined, ZeroDivisionError, ValueError, OverflowError, TypeError,
                        KeyError):
                    continue
                errs.append(abs(val - tgt) / max(1, abs(tgt)))
                where.append(mpmath.nstr(xv, 5))
        if len(errs) < 3:
            continue
        converged = errs[-1] <= mpmath.mpf(10) ** (5 - dps)
        shrinking = all(b < a for a, b in zip(errs[-4:], errs[-3:])) and errs[-1] < errs[0] / 10
        stagnant = errs[-1] >= errs[-3] / 2
        if converged or shrinking:
            verdicts.append(True)
        elif stagnant:
            shown = {str(s): str(v) for s, v in _by_name(pt.items())}
            return NumericResult(NumericOutcome.NONE, len(verdicts),
                                 "f does not appear to approach the stated limit at "
                                 f"{shown}, {x} = {where[-1]} (errors "
                                 f"{[mpmath.nstr(e, 3) for e in errs]}); a numeric estimate, "
                                 "not a counterexample")
    if not verdicts:
        return NumericResult(NumericOutcome.NONE, 0, "the limit could not be estimated")
    return NumericResult(NumericOutcome.AGREES, len(verdicts), "f approaches the limit along x -> x0")
