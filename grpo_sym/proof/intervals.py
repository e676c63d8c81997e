"""Rigorous evaluation of SymPy expressions with Arb balls (python-flint).

An independent check of signs and equalities at exact points: a SymPy
expression tree is walked node by node and every node is evaluated with Arb
ball arithmetic (:mod:`flint`), never through floats and never through SymPy's
simplification or numerical evaluation.

==============================  ==============================================
function                        job
==============================  ==============================================
``arb_eval(expr, env, prec)``   an Arb ball (``arb``, or ``acb`` if complex)
                                containing the exact value
``sign(expr, env)``             -1 / +1 when the ball excludes 0, 0 when the
                                value is proved exactly zero, else ``None``
``is_zero(expr, env)``          ``True`` proved zero, ``False`` proved non-zero,
                                ``None`` undecided (complex values allowed)
``decide(relation, point)``     does ``Eq/Ne/Ge/Gt/Le/Lt`` hold at the exact
                                point?  ``True``/``False`` or ``None``
``nonnegative_on_box(e, box)``  ``e >= 0`` on a box, by bisection (``False``
                                means "not shown")
==============================  ==============================================

What is trusted, and why it is sound
------------------------------------
1. **Arb's enclosures.**  Each Arb operation returns a ball containing the
   exact result for every point of its input balls (Arb's documented
   contract).  Exact rationals enter as balls around ``fmpq`` values (a SymPy
   ``Float`` as the exact binary rational it stores), so by induction on the
   tree the final ball contains the exact value.  A comparison is answered
   only when it holds for the whole ball (``arb`` comparisons are "certainly"
   comparisons), so no tolerance decides anything.
2. **Exact zeros.**  A ball can show that a value is non-zero, never that it
   is zero.  A value is reported zero only when (a) the expression is
   literally ``0``, (b) Arb returns the exact ball ``{0}`` (as it does for
   exact rational arithmetic, or ``cos_pi(1/2)``), or (c) the value is an
   algebraic number built from rationals, ``I``, ``+``, ``*``, integer and
   rational powers, and ``sin``/``cos`` of rational multiples of ``pi``.  For
   (c) we compute an annihilating polynomial ``P`` with ``P(v) = 0`` by exact
   resultants over Q in FLINT (``fmpq_mpoly.resultant``; no factor is chosen
   numerically).  Write ``P = x**k * Q`` with ``Q(0) != 0``.  Every non-zero
   root ``r`` of ``Q`` obeys Cauchy's bound ``|r| >= B = |q0| / (|q0| +
   max|qi|)``, so if the ball of ``v`` lies inside ``|v| < B`` then ``v`` is
   not a root of ``Q`` and hence ``v = 0``; and if ``k = 0`` then ``v != 0``.
   (We deliberately do *not* rely on ``sympy.minimal_polynomial``: it picks
   the vanishing factor by a floating-point heuristic, ``_choose_factor``,
   which compares magnitudes at 10 significant digits first.)
3. **SymPy's constructors.**  The expression is taken as SymPy built it:
   automatic evaluation at construction time (``exp(log(3)) -> 3``,
   ``cos(pi/2) -> 0``) is part of what the expression *is*.  We never call
   ``simplify``, ``evalf``, ``subs`` on the tree; the point is looked up at
   the leaves.

Semantics follow SymPy's: principal branches for ``x**r``, ``log`` and
``sqrt`` (so ``sqrt(-4) = 2*I``).  When a branch decision (a divisor is not
zero, a log argument is positive, a ``Piecewise`` condition) cannot be decided
at the working precision, :class:`Indeterminate` is raised and the callers
retry at doubled precision, deterministically, up to ``max_prec`` bits.

>>> from sympy import Symbol, Rational, sqrt, cos, pi, log, exp, S
>>> x = Symbol("x")
>>> decide(sp.Gt(x, 0), {x: S(10)**-60}), decide(sp.Eq(x, 0), {x: S(10)**-60})
(True, False)
>>> decide(sp.Ge(x, 1), {x: 1 - S(10)**-60})
False
>>> decide(sp.Eq(cos(pi*x), 0), {x: Rational(1, 2)})
True
>>> is_zero(sqrt(2) + sqrt(3) - sqrt(5 + 2*sqrt(6)))
True
>>> sign(exp(x) - 3, {x: log(3)}) is None        # transcendental zero: undecided
True
>>> arb_eval(log(x), {x: 0})
Traceback (most recent call last):
...
grpo_sym.proof.intervals.Undefined: log(0)
"""
from __future__ import annotations

import math
from typing import Callable, Iterator, Mapping, Union

import flint
import sympy as sp
from sympy.core.function import Application
from sympy.core.relational import Relational
from flint import acb, arb, fmpq, fmpq_mpoly_ctx, fmpq_poly, fmpz, fmpz_poly

__all__ = ["Undefined", "Unsupported", "Indeterminate", "arb_eval", "sign", "is_zero",
           "decide", "nonnegative_on_box", "excludes_zero"]

Ball = Union[arb, acb]
Env = Mapping[sp.Basic, object]

MAX_SUM_TERMS = 100_000        # a concrete Sum is written out up to this many terms
MAX_FACTORIAL = 100_000        # exact factorials / binomials up to this argument
MAX_DEGREE = 64                # annihilating polynomials are abandoned beyond this degree
START_PREC = 64


class Undefined(ArithmeticError):
    """The expression has no value at the point (proved): ``1/0``, ``log(0)``,
    a ``Piecewise`` with no true condition, ``zoo``/``nan``/``oo`` literals."""


class Unsupported(ValueError):
    """A construct (or a branch of one, e.g. ``asin`` outside ``[-1, 1]``)
    that this module does not evaluate."""


class Indeterminate(ArithmeticError):
    """At this precision a ball does not decide a branch the evaluation
    depends on (a divisor's ball contains 0, ...); more precision may help."""


# ---------------------------------------------------------------------------
# exact numbers -> balls
# ---------------------------------------------------------------------------
def _fmpq(r: sp.Rational) -> fmpq:
    return fmpq(int(r.p), int(r.q))


def _float_fmpq(f: sp.Float) -> fmpq:
    """The exact binary value of a SymPy Float."""
    s, man, exp, _ = f._mpf_
    if man == 0:
        if f._mpf_ == (0, 0, 0, 0):
            return fmpq(0)
        raise Undefined(f"non-finite Float {f}")
    man = -int(man) if s else int(man)
    return fmpq(man << exp) if exp >= 0 else fmpq(man, 1 << -exp)


def _is_real(v: Ball) -> bool:
    return isinstance(v, arb)


def _real_part_if_real(v: Ball) -> arb | None:
    """``v`` as an ``arb`` if it is certainly real (imaginary part exactly 0)."""
    if isinstance(v, arb):
        return v
    return v.real if v.imag.is_zero() else None


def _exact_zero(v: Ball) -> bool:
    """Is the ball exactly ``{0}`` (so the enclosed value is 0)?"""
    return v.is_zero() if isinstance(v, arb) else (v.real.is_zero() and v.imag.is_zero())


def excludes_zero(v: Ball) -> bool:
    """Does the ball certainly exclude 0?"""
    if isinstance(v, arb):
        return v > 0 or v < 0
    return v.real > 0 or v.real < 0 or v.imag > 0 or v.imag < 0


def _exact_integer(v: Ball) -> int | None:
    """The integer ``v`` is, if the ball is an exact integer."""
    r = _real_part_if_real(v)
    if r is None or not (r.is_exact() and r.is_integer()):
        return None
    return int(r.unique_fmpz())


def _as_complex(v: Ball) -> acb:
    return v if isinstance(v, acb) else acb(v)


# ---------------------------------------------------------------------------
# the evaluator
# ---------------------------------------------------------------------------
_ENTIRE = {sp.exp: "exp", sp.sin: "sin", sp.cos: "cos", sp.sinh: "sinh", sp.cosh: "cosh"}
_REAL_TOTAL = {sp.atan: "atan", sp.asinh: "asinh", sp.tanh: "tanh"}


class _Eval:
    """Evaluate a tree at fixed precision.  ``balls`` maps symbols/indexed to
    balls; ``exact`` (optional) maps them to exact SymPy numbers, for the
    algebraic zero test of ``Piecewise`` conditions."""

    def __init__(self, balls: Mapping[sp.Basic, Ball], exact: Mapping[sp.Basic, sp.Expr] | None):
        self.balls = balls
        self.exact = exact
        self.cache: dict[sp.Basic, Ball] = {}

    def bind(self, sym: sp.Symbol, k: int) -> "_Eval":
        balls = dict(self.balls)
        balls[sym] = arb(k)
        exact = None if self.exact is None else {**self.exact, sym: sp.Integer(k)}
        return _Eval(balls, exact)

    def __call__(self, e: sp.Basic) -> Ball:
        v = self.cache.get(e)
        if v is None:
            v = self._eval(e)
            self.cache[e] = v
        return v

    # -- leaves ---------------------------------------------------------
    def _eval(self, e: sp.Basic) -> Ball:
        if e.is_Rational:
            return arb(_fmpq(e))
        if isinstance(e, sp.Float):
            return arb(_float_fmpq(e))
        if e in (sp.S.NaN, sp.S.ComplexInfinity, sp.S.Infinity, sp.S.NegativeInfinity):
            raise Undefined(str(e))
        if e is sp.S.Pi:
            return arb.pi()
        if e is sp.S.Exp1:
            return arb.const_e()
        if e is sp.S.EulerGamma:
            return arb.const_euler()
        if e is sp.S.Catalan:
            return arb.const_catalan()
        if e is sp.S.GoldenRatio:
            return (1 + arb(5).sqrt()) / 2
        if e is sp.S.ImaginaryUnit:
            return acb(0, 1)
        if isinstance(e, (sp.Symbol, sp.Indexed)):
            return self._lookup(e)
        if isinstance(e, sp.Add):
            return self._fold(e.args, lambda a, b: a + b)
        if isinstance(e, sp.Mul):
            return self._fold(e.args, lambda a, b: a * b)
        if isinstance(e, sp.Pow):
            return self._pow(e)
        if isinstance(e, sp.Sum):
            return self._sum(e)
        if isinstance(e, sp.Piecewise):
            return self._piecewise(e)
        if isinstance(e, Application):
            return self._function(e)
        raise Unsupported(type(e).__name__)

    def _lookup(self, e: sp.Basic) -> Ball:
        if isinstance(e, sp.Indexed):
            key = e.base[tuple(sp.Integer(self._integer(i)) for i in e.indices)]
        else:
            key = e
        if key not in self.balls:
            raise Unsupported(f"free symbol {key} has no value")
        return self.balls[key]

    def _integer(self, e: sp.Basic) -> int:
        n = _exact_integer(self(e))
        if n is None:
            raise Unsupported(f"{e} is not an exact integer")
        return n

    def _fold(self, args, op) -> Ball:
        it = iter(args)
        acc = self(next(it))
        for a in it:
            acc = op(acc, self(a))
        return acc

    # -- powers ---------------------------------------------------------
    def _pow(self, e: sp.Pow) -> Ball:
        base, ex = e.args
        b = self(base)
        if ex.is_Integer:
            return _int_pow(b, int(ex))
        if ex.is_Rational:
            return _rational_pow(b, _fmpq(ex))
        z = self(ex)
        n = _exact_integer(z)
        if n is not None:
            return _int_pow(b, n)
        if _exact_zero(b):
            zr = _real_part_if_real(z)
            if zr is not None and zr > 0:
                return arb(0)
            if zr is not None and zr < 0:
                raise Undefined(f"0**{ex}")
            raise Indeterminate(f"0**{ex}")
        if _is_real(b) and b > 0:
            return (z * b.log()).exp()
        if excludes_zero(b):
            return (_as_complex(z) * _as_complex(b).log()).exp()
        raise Indeterminate(f"base of {e} not separated from 0")

    # -- functions ------------------------------------------------------
    def _function(self, e: Application) -> Ball:
        f = e.func
        if f in (sp.Max, sp.Min):
            vals = [self(a) for a in e.args]
            if not all(_is_real(v) for v in vals):
                raise Unsupported(f"{f.__name__} of a complex value")
            acc = vals[0]
            for v in vals[1:]:
                acc = acc.max(v) if f is sp.Max else acc.min(v)
            return acc
        if f is sp.binomial:
            n, k = (self._integer(a) for a in e.args)
            if n < 0 or k < 0 or n > MAX_FACTORIAL:
                raise Unsupported(f"binomial({n}, {k})")
            return arb(fmpz(math.comb(n, k)))
        if f is sp.factorial:
            n = self._integer(e.args[0])
            if n < 0:
                raise Undefined(f"factorial({n})")
            if n > MAX_FACTORIAL:
                raise Unsupported(f"factorial({n})")
            return arb(fmpz(math.factorial(n)))
        if len(e.args) != 1:
            raise Unsupported(f.__name__)
        (arg,) = e.args
        if f in (sp.sin, sp.cos, sp.tan):
            r = _pi_multiple(arg)
            if r is not None:
                return self._trig_pi(f, self(r))
        x = self(arg)
        if f in _ENTIRE:
            return getattr(x, _ENTIRE[f])()
        if f is sp.log:
            return _log(x)
        if f is sp.Abs:
            return abs(x)
        if f is sp.sign:
            return _sign_ball(x)
        if f is sp.gamma:
            return _gamma(x)
        if not _is_real(x):
            raise Unsupported(f"{f.__name__} of a complex value")
        if f in _REAL_TOTAL:
            return getattr(x, _REAL_TOTAL[f])()
        if f is sp.tan:
            if not excludes_zero(x.cos()):
                raise Indeterminate("tan near a pole")
            return x.tan()
        if f in (sp.asin, sp.acos):
            if x >= -1 and x <= 1:
                return x.asin() if f is sp.asin else x.acos()
            if x > 1 or x < -1:
                raise Unsupported(f"{f.__name__} outside [-1, 1]")
            raise Indeterminate(f"{f.__name__} near its branch point")
        if f is sp.acosh:
            if x >= 1:
                return x.acosh()
            if x < 1:
                raise Unsupported("acosh below 1")
            raise Indeterminate("acosh near 1")
        if f is sp.atanh:
            if x > -1 and x < 1:
                return x.atanh()
            if x == 1 or x == -1:
                raise Undefined("atanh(+-1)")
            if x > 1 or x < -1:
                raise Unsupported("atanh outside [-1, 1]")
            raise Indeterminate("atanh near +-1")
        raise Unsupported(f.__name__)

    def _trig_pi(self, f, r: Ball) -> Ball:
        """sin/cos/tan of pi*r, with Arb's exact values at rational r."""
        if f is sp.sin:
            return r.sin_pi()
        if f is sp.cos:
            return r.cos_pi()
        if not _is_real(r):
            raise Unsupported("tan of a complex value")
        c = r.cos_pi()
        if _exact_zero(c):
            raise Undefined("tan at a pole")
        if not excludes_zero(c):
            raise Indeterminate("tan near a pole")
        return r.tan_pi()

    # -- Piecewise and Sum ----------------------------------------------
    def _piecewise(self, e: sp.Piecewise) -> Ball:
        for expr, cond in e.args:
            if self.truth(cond):
                return self(expr)
        raise Undefined("Piecewise: no condition holds")

    def truth(self, cond: sp.Basic) -> bool:
        """Decide a condition at this precision, or raise Indeterminate."""
        if cond is sp.true:
            return True
        if cond is sp.false:
            return False
        if isinstance(cond, sp.And):
            return all(self.truth(c) for c in cond.args)
        if isinstance(cond, sp.Or):
            return any(self.truth(c) for c in cond.args)
        if isinstance(cond, sp.Not):
            return not self.truth(cond.args[0])
        if isinstance(cond, Relational):
            verdict = _relation_at(cond, self, _Annihilators(self.exact))
            if verdict is None:
                raise Indeterminate(f"condition {cond}")
            return verdict
        raise Unsupported(f"condition {type(cond).__name__}")

    def _sum(self, e: sp.Sum) -> Ball:
        (i, lo, hi), rest = e.limits[-1], e.limits[:-1]     # the outermost limit is last
        inner = sp.Sum(e.function, *rest) if rest else e.function
        if not (lo.is_finite and hi.is_finite):
            raise Unsupported("Sum over an infinite range")
        a, b = self._integer(lo), self._integer(hi)
        sgn = 1
        if b < a - 1:                     # Karr's convention, as SymPy
            a, b, sgn = b + 1, a - 1, -1
        if b - a + 1 > MAX_SUM_TERMS:
            raise Unsupported(f"Sum of {b - a + 1} terms")
        acc: Ball = arb(0)
        for k in range(a, b + 1):
            acc = acc + self.bind(i, k)(inner)
        return acc if sgn == 1 else -acc


def _pi_multiple(arg: sp.Basic) -> sp.Basic | None:
    """``r`` if ``arg`` is literally ``pi*r`` (``r`` free of pi), else None."""
    if arg is sp.S.Pi:
        return sp.S.One
    if isinstance(arg, sp.Mul) and sp.S.Pi in arg.args:
        rest = list(arg.args)
        rest.remove(sp.S.Pi)
        r = sp.Mul(*rest, evaluate=False) if len(rest) > 1 else rest[0]
        if not r.has(sp.S.Pi):
            return r
    return None


def _int_pow(b: Ball, n: int) -> Ball:
    if n >= 0:
        return b ** n
    if _exact_zero(b):
        raise Undefined("division by zero")
    if not excludes_zero(b):
        raise Indeterminate("divisor not separated from 0")
    return (1 / b) ** (-n)


def _rational_pow(b: Ball, r: fmpq) -> Ball:
    """Principal ``b**r`` for a non-integer rational ``r``."""
    if _exact_zero(b):
        if r > 0:
            return arb(0)
        raise Undefined("0 to a negative power")
    if _is_real(b):
        if b > 0:
            if r.q == 2:
                return b.sqrt() ** int(r.p) if r.p > 0 else (1 / b.sqrt()) ** int(-r.p)
            return (b.log() * arb(r)).exp()
        if b < 0:                         # |b|**r * exp(i*pi*r), SymPy's principal value
            return acb((-b).log() * arb(r)).exp() * acb(r).exp_pi_i()
        raise Indeterminate("radicand not separated from 0")
    if excludes_zero(b):
        return (acb(r) * b.log()).exp()
    raise Indeterminate("radicand not separated from 0")


def _log(x: Ball) -> Ball:
    if _exact_zero(x):
        raise Undefined("log(0)")
    if _is_real(x):
        if x > 0:
            return x.log()
        if x < 0:
            return acb(x).log()           # log|x| + i*pi, SymPy's principal branch
        raise Indeterminate("log argument not separated from 0")
    if excludes_zero(x):
        return x.log()
    raise Indeterminate("log argument not separated from 0")


def _sign_ball(x: Ball) -> Ball:
    if not _is_real(x):
        raise Unsupported("sign of a complex value")
    if x > 0:
        return arb(1)
    if x < 0:
        return arb(-1)
    if x.is_zero():
        return arb(0)
    raise Indeterminate("sign of a ball containing 0")


def _gamma(x: Ball) -> Ball:
    n = _exact_integer(x)
    if n is not None:
        if n <= 0:
            raise Undefined(f"gamma({n})")
        if n - 1 > MAX_FACTORIAL:
            raise Unsupported(f"gamma({n})")
        return arb(fmpz(math.factorial(n - 1)))
    if _is_real(x) and x > 0:
        return x.gamma()
    raise Unsupported("gamma off the positive reals")


# ---------------------------------------------------------------------------
# exact zeros of algebraic numbers: annihilating polynomials over Q
# ---------------------------------------------------------------------------
_XY = fmpq_mpoly_ctx.get(("x", "y"), "lex")


class _NotAlgebraic(Exception):
    pass


def _poly_y(p: fmpq_poly):
    """p(y) in Q[x, y]."""
    _, y = _XY.gens()
    return sum((c * y ** i for i, c in enumerate(p.coeffs())), _XY.from_dict({}))


def _poly_at(p: fmpq_poly, t):
    """p(t) in Q[x, y], by Horner."""
    acc = _XY.from_dict({})
    for c in reversed(p.coeffs()):
        acc = acc * t + c
    return acc


def _to_x(m) -> fmpq_poly:
    """A polynomial of Q[x, y] free of y, as an fmpq_poly in x."""
    coeffs: dict[int, fmpq] = {}
    for (ex, ey), c in zip(m.monoms(), m.coeffs()):
        if ey != 0:
            raise _NotAlgebraic("resultant kept y")
        coeffs[ex] = fmpq(c)
    deg = max(coeffs, default=0)
    return fmpq_poly([coeffs.get(i, 0) for i in range(deg + 1)])


def _reduce(p: fmpq_poly) -> fmpq_poly:
    """The square-free part of p, monic; same roots (exact)."""
    if p.degree() < 1:                     # no roots: annihilates nothing
        raise _NotAlgebraic("constant polynomial")
    g = p.gcd(p.derivative())
    if g.degree() > 0:
        p = p // g
    if p.degree() > MAX_DEGREE:
        raise _NotAlgebraic("degree too large")
    return p / p.leading_coefficient()


def _check_degree(d: int) -> None:
    if d > MAX_DEGREE:
        raise _NotAlgebraic("degree too large")


def _add(a: fmpq_poly, b: fmpq_poly) -> fmpq_poly:
    _check_degree(a.degree() * b.degree())
    x, y = _XY.gens()
    return _reduce(_to_x(_poly_y(a).resultant(_poly_at(b, x - y), "y")))


def _mul(a: fmpq_poly, b: fmpq_poly) -> fmpq_poly:
    _check_degree(a.degree() * b.degree())
    x, y = _XY.gens()
    n = b.degree()
    hom = sum((c * x ** j * y ** (n - j) for j, c in enumerate(b.coeffs())), _XY.from_dict({}))
    return _reduce(_to_x(_poly_y(a).resultant(hom, "y")))


def _neg(a: fmpq_poly) -> fmpq_poly:
    return _reduce(fmpq_poly([c * (-1) ** i for i, c in enumerate(a.coeffs())]))


def _strip_x(a: fmpq_poly) -> tuple[int, fmpq_poly]:
    """a = x**k * q with q(0) != 0."""
    cs = a.coeffs()
    k = next(i for i, c in enumerate(cs) if c != 0)
    return k, fmpq_poly(cs[k:])


def _inv(a: fmpq_poly) -> fmpq_poly:
    """Annihilator of 1/v from one of v, valid because v != 0 (the caller
    only asks after Arb evaluated 1/v, i.e. showed v's ball excludes 0)."""
    _, q = _strip_x(a)
    if q.degree() < 1:
        raise _NotAlgebraic("inverse of zero")
    return _reduce(fmpq_poly(list(reversed(q.coeffs()))))


def _npow(a: fmpq_poly, n: int) -> fmpq_poly:
    if n < 0:
        return _inv(_npow(a, -n))
    if n == 0:
        return fmpq_poly([-1, 1])
    if n == 1:
        return a
    _check_degree(a.degree() * n)
    x, y = _XY.gens()
    return _reduce(_to_x(_poly_y(a).resultant(x - y ** n, "y")))


def _root(a: fmpq_poly, q: int) -> fmpq_poly:
    """Annihilator of any s with s**q = v, from one of v: a(x**q)."""
    _check_degree(a.degree() * q)
    cs = a.coeffs()
    out = [fmpq(0)] * (q * (len(cs) - 1) + 1)
    for i, c in enumerate(cs):
        out[q * i] = c
    return _reduce(fmpq_poly(out))


def _cos_pi(r: fmpq) -> fmpq_poly:
    """cos(pi*p/q) is a root of T_q(x) - (-1)**p."""
    _check_degree(int(r.q))
    t = fmpq_poly(list(fmpz_poly.chebyshev_t(int(r.q)).coeffs()))
    return _reduce(t - (-1) ** int(r.p))


class _Annihilators:
    """Annihilating polynomials of algebraic subexpressions, cached."""

    def __init__(self, exact: Mapping[sp.Basic, sp.Expr] | None):
        self.exact = exact
        self.cache: dict[sp.Basic, fmpq_poly | None] = {}

    def of(self, e: sp.Basic) -> fmpq_poly | None:
        if self.exact is None:
            return None
        if e not in self.cache:
            try:
                self.cache[e] = self._of(e)
            except _NotAlgebraic:
                self.cache[e] = None
        return self.cache[e]

    def _need(self, e: sp.Basic) -> fmpq_poly:
        p = self.of(e)
        if p is None:
            raise _NotAlgebraic(str(e))
        return p

    def _rational(self, e: sp.Basic) -> fmpq:
        p = self._need(e)
        if p.degree() != 1:
            raise _NotAlgebraic("not a rational")
        return -p.coeffs()[0] / p.coeffs()[1]

    def _of(self, e: sp.Basic) -> fmpq_poly:
        if e.is_Rational:
            return fmpq_poly([-_fmpq(e), 1])
        if isinstance(e, sp.Float):
            return fmpq_poly([-_float_fmpq(e), 1])
        if e is sp.S.ImaginaryUnit:
            return fmpq_poly([1, 0, 1])
        if e is sp.S.GoldenRatio:
            return fmpq_poly([-1, -1, 1])
        if isinstance(e, (sp.Symbol, sp.Indexed)):
            key = e
            if isinstance(e, sp.Indexed):
                idx = [self._rational(i) for i in e.indices]
                if any(i.q != 1 for i in idx):
                    raise _NotAlgebraic("non-integer index")
                key = e.base[tuple(sp.Integer(int(i.p)) for i in idx)]
            if key not in self.exact:
                raise _NotAlgebraic(f"no value for {key}")
            return _Annihilators({}).of_required(self.exact[key])
        if isinstance(e, sp.Add):
            acc = self._need(e.args[0])
            for a in e.args[1:]:
                acc = _add(acc, self._need(a))
            return acc
        if isinstance(e, sp.Mul):
            acc = self._need(e.args[0])
            for a in e.args[1:]:
                acc = _mul(acc, self._need(a))
            return acc
        if isinstance(e, sp.Pow) and e.exp.is_Rational:
            r = _fmpq(e.exp)
            base = _npow(self._need(e.base), int(r.p))
            return base if r.q == 1 else _root(base, int(r.q))
        if isinstance(e, (sp.cos, sp.sin)):
            r = _pi_multiple(e.args[0])
            if r is None:
                raise _NotAlgebraic(str(e))
            q = self._rational(r)
            return _cos_pi(q if isinstance(e, sp.cos) else fmpq(1, 2) - q)
        raise _NotAlgebraic(type(e).__name__)

    def of_required(self, e: sp.Basic) -> fmpq_poly:
        p = self.of(sp.sympify(e))
        if p is None:
            raise _NotAlgebraic(str(e))
        return p


def _zero_bound(p: fmpq_poly) -> tuple[int, fmpq]:
    """(k, B): p = x**k q, and every non-zero root r of q has |r| >= B."""
    k, q = _strip_x(p)
    cs = q.coeffs()
    q0 = abs(cs[0])
    top = max((abs(c) for c in cs[1:]), default=fmpq(0))
    return k, q0 / (q0 + top)


ALGEBRAIC_NODES = 160   # larger sides are not given annihilating polynomials (undecided)


def _nodes(e: sp.Basic) -> int:
    return sum(1 for _ in sp.preorder_traversal(e))


def _zero_at(lhs: sp.Basic, rhs: sp.Basic, d: Ball, alg: _Annihilators) -> bool | None:
    """Is ``lhs - rhs`` (whose ball is ``d``) zero?  True/False when proved."""
    if excludes_zero(d):
        return False
    if _exact_zero(d):
        return True
    if _nodes(lhs) + _nodes(rhs) > ALGEBRAIC_NODES:
        return None     # a deterministic budget: exact algebra on large expressions is slow
    a, b = alg.of(lhs), alg.of(rhs)
    if a is None or b is None:
        return None
    try:
        p = _add(a, _neg(b))
    except _NotAlgebraic:
        return None
    k, bound = _zero_bound(p)
    if k == 0:
        return False
    return True if d.abs_upper() < arb(bound) else None


def _relation_at(rel: Relational, ev: _Eval, alg: _Annihilators) -> bool | None:
    """Decide a relation with one evaluator (fixed precision)."""
    d = ev(rel.lhs) - ev(rel.rhs)
    if isinstance(rel, (sp.Eq, sp.Ne)):
        z = _zero_at(rel.lhs, rel.rhs, d, alg)
        return None if z is None else (z if isinstance(rel, sp.Eq) else not z)
    s = _sign_at(rel.lhs, rel.rhs, d, alg)
    if s is None:
        return None
    if isinstance(rel, sp.Gt):
        return s > 0
    if isinstance(rel, sp.Ge):
        return s >= 0
    if isinstance(rel, sp.Lt):
        return s < 0
    if isinstance(rel, sp.Le):
        return s <= 0
    raise Unsupported(type(rel).__name__)


def _sign_at(lhs: sp.Basic, rhs: sp.Basic, d: Ball, alg: _Annihilators) -> int | None:
    r = _real_part_if_real(d)
    if r is None:
        return 0 if _zero_at(lhs, rhs, d, alg) else None
    if r > 0:
        return 1
    if r < 0:
        return -1
    return 0 if _zero_at(lhs, rhs, r, alg) else None


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------
def _exact_env(env: Env | None) -> dict[sp.Basic, sp.Expr]:
    out = {}
    for k, v in (env or {}).items():
        v = sp.sympify(v)
        if v.free_symbols:
            raise ValueError(f"value of {k} is not a number: {v}")
        out[k] = v
    return out


def _balls(exact: Mapping[sp.Basic, sp.Expr]) -> dict[sp.Basic, Ball]:
    ev = _Eval({}, {})
    return {k: ev(v) for k, v in exact.items()}


def _precisions(max_prec: int) -> Iterator[int]:
    p = START_PREC
    while p < max_prec:
        yield p
        p *= 2
    yield max_prec


def arb_eval(expr: sp.Basic, env: Env | None = None, prec: int = 128) -> Ball:
    """An Arb ball containing the exact value of ``expr`` at the point ``env``.

    ``env`` maps symbols (or ``Indexed`` like ``r[2]``) to exact SymPy numbers
    (rationals, or number expressions such as ``sqrt(2)``).  The result is an
    ``arb`` when every step stayed real, else an ``acb``.

    Raises :class:`Undefined` (no value), :class:`Unsupported` (construct not
    handled), :class:`Indeterminate` (a branch needs more precision).

    >>> from sympy import Symbol, sqrt, Rational, Float
    >>> x = Symbol("x")
    >>> v = arb_eval(sqrt(x) + Rational(1, 3), {x: 2}, prec=64)
    >>> v.rad() < 2**-60, v > fmpq(17475, 10**4), v < fmpq(17476, 10**4)
    (True, True, True)
    >>> arb_eval(Float(0.1)) == arb(fmpq(3602879701896397, 36028797018963968))
    True
    >>> arb_eval(sqrt(-4)) == acb(0, 2)          # SymPy's principal value 2*I, exactly
    True
    >>> arb_eval(1 / x, {x: 0})
    Traceback (most recent call last):
    ...
    grpo_sym.proof.intervals.Undefined: division by zero
    """
    exact = _exact_env(env)
    with flint.ctx.workprec(prec):
        return _Eval(_balls(exact), exact)(sp.sympify(expr))


def _loop(max_prec: int, exact: dict, step: Callable[[_Eval, _Annihilators], object | None]):
    """Run ``step`` at doubling precision until it returns non-None."""
    alg = _Annihilators(exact)
    for prec in _precisions(max_prec):
        with flint.ctx.workprec(prec):
            try:
                out = step(_Eval(_balls(exact), exact), alg)
            except Indeterminate:
                continue
        if out is not None:
            return out
    return None


def sign(expr: sp.Basic, env: Env | None = None, max_prec: int = 2048) -> int | None:
    """The sign of a real value: -1, 0 or +1 when proved, else ``None``.

    +-1 when an Arb ball excludes 0 (precision doubling from 64 bits to
    ``max_prec``); 0 only for a proved exact zero (see the module docstring);
    ``None`` for undecided or not-provably-real values.  Raises
    :class:`Undefined` / :class:`Unsupported` as :func:`arb_eval`.

    >>> from sympy import sqrt, S
    >>> sign(S(10)**-100), sign(sqrt(2)*sqrt(3) - sqrt(6)), sign(S(99)/70 - sqrt(2))
    (1, 0, 1)
    """
    expr = sp.sympify(expr)
    if expr == 0:
        return 0
    return _loop(max_prec, _exact_env(env),
                 lambda ev, alg: _sign_at(expr, sp.S.Zero, ev(expr), alg))


def is_zero(expr: sp.Basic, env: Env | None = None, max_prec: int = 2048) -> bool | None:
    """``True`` if the (possibly complex) value is proved 0, ``False`` if
    proved non-zero, ``None`` if undecided.

    >>> from sympy import sqrt, I
    >>> is_zero((1 + I)**2 - 2*I), is_zero(sqrt(2) - 1), is_zero(sqrt(-1) - I)
    (True, False, True)
    """
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    return _loop(max_prec, _exact_env(env),
                 lambda ev, alg: _zero_at(expr, sp.S.Zero, ev(expr), alg))


def decide(relation: sp.Basic, point: Env | None = None, max_prec: int = 2048) -> bool | None:
    """Does ``relation`` hold at the exact ``point``?  ``None`` if undecided.

    ``relation``: ``Eq, Ne, Ge, Gt, Le, Lt`` (also ``And``/``Or``/``Not`` of
    them, with three-valued logic).  The two sides are evaluated separately,
    so ``Eq(1/x, 1/x)`` at ``x = 0`` is ``None`` (undefined), not ``True``.
    Undefined values, unsupported constructs and non-real values of an
    inequality all give ``None``.

    >>> from sympy import Symbol, Rational, Eq, Lt, Ne, And
    >>> x = Symbol("x")
    >>> decide(Eq(x**2, 2), {x: Rational(99, 70)}), decide(Lt(x, 1), {x: 1})
    (False, False)
    >>> decide(Eq(1/x, 1/x, evaluate=False), {x: 0}) is None
    True
    >>> decide(And(Ne(x, 0), Lt(x, 2)), {x: 1})
    True
    """
    if relation is sp.true or relation is sp.false:
        return bool(relation)
    if isinstance(relation, (sp.And, sp.Or)):
        parts = [decide(r, point, max_prec) for r in relation.args]
        stop = isinstance(relation, sp.Or)
        if stop in parts:
            return stop
        return None if None in parts else not stop
    if isinstance(relation, sp.Not):
        inner = decide(relation.args[0], point, max_prec)
        return None if inner is None else not inner
    if not isinstance(relation, Relational):
        raise TypeError(f"not a relation: {relation!r}")
    try:
        return _loop(max_prec, _exact_env(point),
                     lambda ev, alg: _relation_at(relation, ev, alg))
    except (Undefined, Unsupported):
        return None


def nonnegative_on_box(expr: sp.Basic, box: Mapping[sp.Symbol, tuple], max_boxes: int = 1024,
                       prec: int = 64) -> bool:
    """``True`` if ``expr >= 0`` at every point of the box, shown by bisection.

    ``box`` maps each free symbol to exact rational bounds ``(lo, hi)``.  At
    most ``max_boxes`` sub-boxes are evaluated (a deterministic budget); a box
    whose ball is not certainly ``>= 0`` is halved along its widest side.
    ``False`` means "not shown" (a negative value, an undefined or complex
    value, or the budget ran out).

    >>> from sympy import Symbol
    >>> x, y = Symbol("x"), Symbol("y")
    >>> nonnegative_on_box(x**2 - x + y + 1, {x: (0, 2), y: (-0.5, 1)})
    True
    >>> nonnegative_on_box(x**2 - x + y, {x: (0, 2), y: (0, 1)})
    False
    """
    expr = sp.sympify(expr)
    start = {s: (_exact_fmpq(lo), _exact_fmpq(hi)) for s, (lo, hi) in box.items()}
    if any(lo > hi for lo, hi in start.values()):
        raise ValueError("empty box")
    stack = [start]
    used = 0
    with flint.ctx.workprec(prec):
        while stack:
            b = stack.pop()
            used += 1
            if used > max_boxes:
                return False
            balls = {s: arb(lo).union(arb(hi)) for s, (lo, hi) in b.items()}
            try:
                v = _Eval(balls, None)(expr)
            except (Indeterminate, Undefined):
                v = None
            except Unsupported:
                return False
            if v is not None:
                if not _is_real(v):
                    return False
                if v >= 0:
                    continue
                if v < 0:
                    return False
            s, (lo, hi) = max(b.items(), key=lambda kv: kv[1][1] - kv[1][0])
            if lo == hi:
                return False
            mid = (lo + hi) / 2
            stack.append({**b, s: (mid, hi)})
            stack.append({**b, s: (lo, mid)})
    return True


def _exact_fmpq(v) -> fmpq:
    v = sp.sympify(v)
    if v.is_Rational:
        return _fmpq(v)
    if isinstance(v, sp.Float):
        return _float_fmpq(v)
    raise ValueError(f"box bound {v} is not an exact rational")
