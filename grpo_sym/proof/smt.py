"""A second, independent prover: z3's nlsat decides real arithmetic claims.

:func:`confirm` translates a claim -- statement, domains, conditions,
simplices, premise -- into z3 terms, asserts everything *and the negation of
the statement*, and asks z3.  ``unsat`` means no point of the domain violates
the statement: the claim is **confirmed**.  Nothing here uses SymPy's
simplification; SymPy is only read as a tree.

==============================  ==============================================
function                        job
==============================  ==============================================
``confirm(stmt, domains=...)``  -> :class:`SmtResult` (``confirmed``,
                                ``counterexample``, ``unknown``, ``outside``)
``fragment_reason(expr)``       ``None`` if the expression is in the fragment,
                                else one line saying which construct is not
==============================  ==============================================

What is trusted
---------------
* **z3's nlsat** (Jovanovic and de Moura, 2012), a complete decision procedure
  for the existential theory of the reals (quantifier-free nonlinear real
  arithmetic over Q).  We call the ``qfnra-nlsat`` tactic directly, *not*
  z3's default ``QF_NRA`` strategy, because that portfolio switches strategies
  on wall-clock timeouts (``try_for(..., 5000)``) and would make results
  depend on machine load.  When an integer variable enters only linearly the
  ``smt`` tactic decides linear integer/real arithmetic instead.
* **The translation**, construct by construct (``t`` is the term of ``e``,
  ``ok`` its definedness):

  ==========================  ================================================
  SymPy                       z3
  ==========================  ================================================
  rational ``p/q``            the exact numeral ``p/q`` (Floats are refused)
  ``+``, ``*``, ``e**n``      ``+``, ``*``, ``n`` factors (``n`` integer >= 0)
  ``e**-n``, ``a/b``          fresh ``q`` with ``B != 0 -> q*B == 1``;
                              ``ok: B != 0``
  ``e**(p/q)`` (``sqrt``)     fresh ``s`` with ``E >= 0 -> s >= 0, s**q == E``
                              (the unique real root, SymPy's principal value);
                              value ``s**p``; ``ok: E >= 0`` (``> 0`` if p < 0)
  ``Abs``, ``sign``,          ``If`` terms (exact)
  ``Max``, ``Min``
  ``Piecewise``               nested ``If`` in order; ``ok`` needs the chosen
                              branch defined and some condition true
  concrete ``Sum``            written out term by term
  ``n**(1/q)``, integer n     product of the roots of its prime factors
                              (``factorint``'s answer is checked by
                              multiplying back)
  ==========================  ================================================

  Every auxiliary variable is pinned to the exact value of its SymPy subterm
  wherever that subterm is defined, so a point of the domain where the
  statement fails extends to a model: ``unsat`` is a proof.  The statement is
  confirmed *where its terms are defined and real* -- the definedness
  conditions are asserted (listed in ``SmtResult.side_conditions``); points
  where SymPy's value is complex (``sqrt`` of a negative) or undefined are not
  examined, and the engine proves definedness separately.
* **Domains**: ``Interval`` (open/closed/infinite ends), ``FiniteSet``
  (disjunction), ``Union`` of those, ``S.Reals``, and integer sets (``Range``,
  ``Integers``, ``Naturals``, ``Naturals0``).  An integer variable is a z3
  ``Int`` when the whole problem is linear; otherwise it is relaxed to a
  ``Real`` with the same bounds and integrality is restored lazily by
  branching cuts ``k <= F or k >= F + 1`` (valid for every integer), at most
  ``max_cuts`` of them.  An ``Interval`` end outside the fragment (``pi``) is
  relaxed to rational bounds enclosing it (from Arb).  ``unsat`` over a
  relaxation still confirms.

A symbol with a small finite domain (``G in {2, ..., 6}``) that stands where
the fragment needs a number (``x**G``, a ``Sum`` limit, ``binomial(G, 2)``) is
split into cases, one z3 call per value (at most 256 cases).  A confirmation
whose hypotheses are themselves unsat says so ("vacuously: ...").

Counterexamples are never taken on z3's word alone: a ``sat`` model is
re-checked at its exact rational point by :func:`grpo_sym.proof.intervals.decide`
(Arb ball arithmetic): the point must lie in every domain, satisfy every
condition and premise, and the statement must be *false* there.  Otherwise
the answer is ``unknown`` (e.g. an irrational model, or a relaxation's
non-integer point).

Outside the fragment (status ``outside``): ``exp``, ``log``, trigonometric and
all other functions, ``pi``/``E`` and other transcendental constants,
symbolic exponents (``x**y``, ``x**n`` with ``n`` a symbol), ``Sum`` over
symbolic ranges, ``Indexed``, ``Derivative``, ``Integral``, ``Limit``,
``Float`` literals, ``I`` and complex numbers, set-valued or other exotic
domains.

Budgets and determinism: a fresh ``z3.Context`` per call (so term ids and
variable orders do not depend on earlier calls), seeds fixed to 0, no
timeout, only z3's deterministic resource counter ``rlimit``; global z3
parameters are never touched.  The same call gives the same answer.

**``rlimit`` does not bound time.**  It counts work units, and nlsat's
algebraic-number arithmetic (resultants of big-integer polynomials inside
``isolate_roots``, seen in gdb) does not tick it: one such step can run for
minutes before the budget is looked at again.  Measured on this project's
claims: ``x1.bernstein.increasing-in-g`` at G = 5 ran 782 s under
``rlimit=10**6`` and 0.4 s under ``3*10**5`` (before the prime split below);
under ``3*10**5``, ``x2.eps.below`` at G = 7, 8 still runs past 30 s and
``x3.large.lower-bound.corrected`` (no radicals of numbers at all) 60 s.  Every claim confirmed here
needed under ``1.2*10**5`` but one (``s2.3.1.large.more-biased``, ``10**6``).
Hence the default ``rlimit`` is ``3*10**5``; radicals of integers are split
over primes (``sqrt(6) = sqrt(2)*sqrt(3)``, fewer algebraic constants for
nlsat); and a problem with more than ``max_constant_radicals`` (4) distinct
radicals of numbers is not sent to z3 (``unknown``).  These guards are
deterministic and reduce the risk of a long call; they cannot remove it.  A
caller that must bound time can run :func:`confirm` in a worker process and
treat a killed worker as "not run" -- never as a verdict.

>>> from sympy import Symbol, Interval, S, oo, sqrt
>>> from grpo_sym.proof.relations import Eq, Ge
>>> x = Symbol("x_smt_demo", real=True)
>>> confirm(Ge(x**2 - 2*x + 1, 0), domains={x: S.Reals}).status
'confirmed'
>>> r = confirm(Ge(x**2 - 2*x, 0), domains={x: S.Reals})
>>> r.status, r.model
('counterexample', {'x_smt_demo': '1'})
>>> confirm(Eq(sqrt(x**2), x), domains={x: Interval.open(0, oo)}).status
'confirmed'
>>> fragment_reason(x + S.Exp1)
'transcendental constant E'
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

import sympy as sp
import z3
from sympy.core.function import Application
from sympy.core.relational import Relational

from . import intervals
from .domains import OnSimplex, domain_of

__all__ = ["bound_conjuncts", "SmtResult", "confirm", "fragment_reason"]

DEFAULT_RLIMIT = 300_000   # see "Budgets" in the module docstring
MAX_POWER = 256        # e**n is written out as n factors up to this n
MAX_SUM_TERMS = 1000   # a concrete Sum is written out up to this many terms
MAX_FINITE_RANGE = 64  # a finite Range up to this size becomes a disjunction


@dataclass(frozen=True)
class SmtResult:
    """The verdict of :func:`confirm`.

    status : ``confirmed`` (the negation is unsat), ``counterexample`` (a
        model of the negation, re-checked exactly with Arb), ``unknown``
        (budget exhausted, an unverified model, z3 unknown), ``outside``
        (not in the fragment)
    reason : one line: what was shown, or why not
    model : ``{symbol name: exact value}`` (``"p/q"``) for a counterexample;
        for an unverified model, z3's exact values (``root-obj`` for
        algebraic numbers), for inspection only
    side_conditions : definedness conditions the statement was confirmed
        under (``x != 0``, ``x >= 0``), as text
    """

    status: str
    reason: str
    model: dict[str, str] | None = None
    side_conditions: tuple[str, ...] = field(default=())

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


class _Outside(Exception):
    """The construct named in the message is outside the fragment."""


# ---------------------------------------------------------------------------
# SymPy -> z3
# ---------------------------------------------------------------------------
def _q(r: sp.Rational | Fraction | int, ctx: z3.Context) -> z3.ArithRef:
    r = sp.Rational(r)
    return z3.RealVal(f"{r.p}/{r.q}", ctx)


def _and(items: Sequence[z3.BoolRef], ctx: z3.Context) -> z3.BoolRef:
    return z3.And(list(items)) if items else z3.BoolVal(True, ctx)


def _power(t: z3.ArithRef, n: int) -> z3.ArithRef:
    acc = t
    for _ in range(n - 1):
        acc = acc * t
    return acc


class _Encoder:
    """Translate SymPy terms into z3 terms with definedness conditions.

    ``term(e)`` returns ``(t, ok)``; definitions of auxiliary variables are
    collected in ``self.defs`` (each is satisfiable whatever the inputs, so
    asserting them never excludes a point), text forms of the definedness
    conditions in ``self.side``.
    """

    def __init__(self, ctx: z3.Context, int_symbols: frozenset = frozenset()):
        self.ctx = ctx
        self.int_symbols = int_symbols
        self.vars: dict[sp.Symbol, z3.ArithRef] = {}
        self.defs: list[z3.BoolRef] = []
        self.side: list[str] = []
        self.cache: dict[sp.Basic, tuple[z3.ArithRef, z3.BoolRef]] = {}
        self.naux = 0
        self.roots: dict[tuple[sp.Basic, int], z3.ArithRef] = {}
        self.true = z3.BoolVal(True, ctx)

    def var(self, s: sp.Symbol) -> z3.ArithRef:
        if s not in self.vars:
            name = f"v{len(self.vars)}_{s.name}"
            self.vars[s] = (z3.Int(name, self.ctx) if s in self.int_symbols
                            else z3.Real(name, self.ctx))
        return self.vars[s]

    def fresh(self, kind: str = "Real") -> z3.ArithRef:
        self.naux += 1
        name = f"aux{self.naux}"
        return z3.Int(name, self.ctx) if kind == "Int" else z3.Real(name, self.ctx)

    def note(self, about: sp.Basic, text: str) -> None:
        """Record a definedness condition on ``about`` (conditions on numbers are
        decided by z3's simplifier and not worth listing)."""
        if about.free_symbols and text not in self.side:
            self.side.append(text)

    # -- terms -------------------------------------------------------------
    def term(self, e: sp.Basic) -> tuple[z3.ArithRef, z3.BoolRef]:
        if e not in self.cache:
            self.cache[e] = self._term(e)
        return self.cache[e]

    def _term(self, e: sp.Basic) -> tuple[z3.ArithRef, z3.BoolRef]:
        if e.is_Rational:
            return _q(e, self.ctx), self.true
        if isinstance(e, sp.Float):
            raise _Outside(f"Float literal {e}")
        if e in (sp.S.NaN, sp.S.ComplexInfinity, sp.S.Infinity, sp.S.NegativeInfinity):
            raise _Outside(f"non-finite value {e}")
        if e is sp.S.ImaginaryUnit:
            raise _Outside("complex number I")
        if isinstance(e, sp.NumberSymbol):
            raise _Outside(f"transcendental constant {e}")
        if isinstance(e, sp.Number):
            raise _Outside(f"number {e}")
        if isinstance(e, sp.Symbol):
            return self.var(e), self.true
        if isinstance(e, (sp.Add, sp.Mul)):
            parts = [self.term(a) for a in e.args]
            ts = [t for t, _ in parts]
            t = z3.Sum(ts) if isinstance(e, sp.Add) else z3.Product(ts)
            return t, _and([ok for _, ok in parts], self.ctx)
        if isinstance(e, sp.Pow):
            return self._pow(e)
        if isinstance(e, sp.Piecewise):
            return self._piecewise(e)
        if isinstance(e, sp.Sum):
            return self._sum(e)
        if isinstance(e, (sp.Abs, sp.sign, sp.Max, sp.Min)):
            return self._lattice(e)
        if isinstance(e, sp.Indexed):
            raise _Outside(f"indexed symbol {e}")
        if isinstance(e, Application):
            raise _Outside(f"function {type(e).__name__}")
        raise _Outside(f"construct {type(e).__name__}")

    def _inverse(self, t: z3.ArithRef, ok: z3.BoolRef, what: sp.Basic) -> tuple:
        q = self.fresh()
        self.defs.append(z3.Implies(t != 0, q * t == 1))
        self.note(what, f"{sp.sstr(what)} != 0")
        return q, z3.And(ok, t != 0)

    def _pow(self, e: sp.Pow) -> tuple[z3.ArithRef, z3.BoolRef]:
        base, ex = e.args
        if not ex.is_Rational:
            raise _Outside(f"non-rational exponent {ex}")
        p, q = int(ex.p), int(ex.q)
        if abs(p) > MAX_POWER or q > MAX_POWER:
            raise _Outside(f"exponent {ex} too large")
        b, ok = self.term(base)
        if q > 1:                          # s = base**(1/q), the non-negative real root
            b, ok = self._root(base, q, b, ok)
            self.note(base, f"{sp.sstr(base)} {'>' if p < 0 else '>='} 0")
        if p == 0:
            return _q(1, self.ctx), ok
        t = _power(b, abs(p))
        if p > 0:
            return t, ok
        return self._inverse(t, ok, base)

    def _root(self, base: sp.Basic, q: int, b: z3.ArithRef, ok: z3.BoolRef) -> tuple:
        """One auxiliary per distinct (base, q): sqrt(5) and 5**(-1/2) share it.
        The root of a positive integer is the product of the roots of its prime
        powers (exact: (a*b)**(1/q) = a**(1/q) * b**(1/q) for a, b >= 0), so
        sqrt(6), sqrt(10), sqrt(15) cost nlsat three constants, not more."""
        if base.is_Integer and 1 < base < 10 ** 12:
            factors = sp.factorint(base)
            if len(factors) > 1 and sp.Mul(*(pr ** m for pr, m in factors.items())) == base:
                roots = [self._root(sp.Integer(pr), q, _q(pr, self.ctx), self.true)[0]
                         for pr, m in factors.items() for _ in range(m)]
                return z3.Product(roots), ok
        if (base, q) not in self.roots:
            s = self.fresh()
            self.defs.append(z3.Implies(b >= 0, z3.And(s >= 0, _power(s, q) == b)))
            self.roots[(base, q)] = s
        return self.roots[(base, q)], z3.And(ok, b >= 0)

    @property
    def constant_roots(self) -> list[sp.Basic]:
        """Radicals of numbers (each an algebraic constant for nlsat)."""
        return [base ** sp.Rational(1, q) for base, q in self.roots if not base.free_symbols]

    def _lattice(self, e: sp.Basic) -> tuple[z3.ArithRef, z3.BoolRef]:
        parts = [self.term(a) for a in e.args]
        ok = _and([o for _, o in parts], self.ctx)
        ts = [t for t, _ in parts]
        one = _q(1, self.ctx)
        if isinstance(e, sp.Abs):
            return z3.If(ts[0] >= 0, ts[0], -ts[0]), ok
        if isinstance(e, sp.sign):
            return z3.If(ts[0] > 0, one, z3.If(ts[0] < 0, -one, _q(0, self.ctx))), ok
        acc = ts[0]
        for t in ts[1:]:
            acc = z3.If(t > acc, t, acc) if isinstance(e, sp.Max) else z3.If(t < acc, t, acc)
        return acc, ok

    def _piecewise(self, e: sp.Piecewise) -> tuple[z3.ArithRef, z3.BoolRef]:
        branches = [(self.term(x), self.boolean(c)) for x, c in e.args]
        (t_last, ok_last), (c_last, okc_last) = branches[-1]
        if z3.is_true(z3.simplify(c_last)):
            val, ok = t_last, z3.And(okc_last, ok_last)
        else:                              # no condition true: SymPy's value is nan
            val = self.fresh()
            ok = z3.And(okc_last, c_last, ok_last)
            self.note(e, f"a condition of {sp.sstr(e)} holds")
        for (t, okt), (c, okc) in reversed(branches[:-1]):
            val = z3.If(c, t, val)
            ok = z3.And(okc, z3.If(c, okt, ok))
        return val, ok

    def _sum(self, e: sp.Sum) -> tuple[z3.ArithRef, z3.BoolRef]:
        return self.term(_write_out(e, e.function, list(e.limits)))

    # -- relations and conditions -----------------------------------------
    def boolean(self, c: sp.Basic) -> tuple[z3.BoolRef, z3.BoolRef]:
        if c is sp.true or c is sp.false:
            return z3.BoolVal(bool(c), self.ctx), self.true
        if isinstance(c, (sp.And, sp.Or)):
            parts = [self.boolean(a) for a in c.args]
            op = z3.And if isinstance(c, sp.And) else z3.Or
            return op([b for b, _ in parts]), _and([ok for _, ok in parts], self.ctx)
        if isinstance(c, sp.Not):
            b, ok = self.boolean(c.args[0])
            return z3.Not(b), ok
        if isinstance(c, Relational):
            (l, okl), (r, okr) = self.term(c.lhs), self.term(c.rhs)
            ops = {sp.Eq: lambda: l == r, sp.Ne: lambda: l != r, sp.Ge: lambda: l >= r,
                   sp.Gt: lambda: l > r, sp.Le: lambda: l <= r, sp.Lt: lambda: l < r}
            for kind, make in ops.items():
                if isinstance(c, kind):
                    return make(), z3.And(okl, okr)
        raise _Outside(f"condition {type(c).__name__}")


def _write_out(e: sp.Sum, f: sp.Basic, limits: list, budget: list[int] | None = None) -> sp.Basic:
    """The terms of a Sum over concrete integer ranges, added (outermost limit last)."""
    budget = [MAX_SUM_TERMS] if budget is None else budget
    if not limits:
        return f
    (i, lo, hi), rest = limits[-1], limits[:-1]
    if not (lo.is_Integer and hi.is_Integer):
        raise _Outside(f"Sum over a symbolic range {sp.sstr(e)}")
    if hi < lo - 1:
        raise _Outside(f"Sum with reversed limits {sp.sstr(e)}")
    budget[0] -= int(hi - lo + 1)
    if budget[0] < 0:
        raise _Outside(f"Sum of more than {MAX_SUM_TERMS} terms")
    terms = []
    for k in range(int(lo), int(hi) + 1):
        sub = {i: sp.Integer(k)}
        inner = [(j, a.xreplace(sub), b.xreplace(sub)) for j, a, b in rest]
        terms.append(_write_out(e, f.xreplace(sub), inner, budget))
    return sp.Add(*terms)


# ---------------------------------------------------------------------------
# domains
# ---------------------------------------------------------------------------
@dataclass
class _Domain:
    constraint: z3.BoolRef
    carriers: list          # z3 variables that must be integers
    relaxed: list[str]      # descriptions of relaxations (endpoints)


def _interval(enc: _Encoder, v: z3.ArithRef, d: sp.Interval, relaxed: list[str]) -> list:
    out = []
    for end, is_open, lower in ((d.start, d.left_open, True), (d.end, d.right_open, False)):
        if end.is_infinite:
            continue
        try:
            t, ok = enc.term(end)
            if not z3.is_true(z3.simplify(ok)):
                raise _Outside(f"domain end {end} not shown defined")
            strict = is_open
        except _Outside:
            t, strict = _q(_outer_bound(end, lower), enc.ctx), False
            relaxed.append(f"end {end} of {d} relaxed to a rational bound")
        if lower:
            out.append(v > t if strict else v >= t)
        else:
            out.append(v < t if strict else v <= t)
    return out


def _outer_bound(x: sp.Basic, lower: bool) -> Fraction:
    """A rational <= x (lower) or >= x, from an Arb enclosure."""
    try:
        ball = intervals.arb_eval(x, prec=128)
    except (ArithmeticError, ValueError) as exc:
        raise _Outside(f"domain end {x}") from exc
    if not isinstance(ball, intervals.arb) or not ball.is_finite():
        raise _Outside(f"domain end {x}")
    m, r = (_dyadic(b) for b in (ball.mid(), ball.rad()))
    return m - r if lower else m + r


def _dyadic(a) -> Fraction:
    man, exp = a.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2 ** exp) if exp >= 0 else Fraction(man, 2 ** -exp)


def _domain(enc: _Encoder, s: sp.Symbol, d: sp.Set) -> _Domain:
    v = enc.var(s)
    relaxed: list[str] = []
    if d == sp.S.Reals:
        return _Domain(enc.true, [], relaxed)
    if isinstance(d, sp.Interval):
        return _Domain(_and(_interval(enc, v, d, relaxed), enc.ctx), [], relaxed)
    if isinstance(d, sp.FiniteSet):
        return _Domain(_member(enc, v, d), [], relaxed)
    if isinstance(d, sp.Union):
        parts = []
        for a in d.args:
            if isinstance(a, sp.Interval):
                parts.append(_and(_interval(enc, v, a, relaxed), enc.ctx))
            elif isinstance(a, sp.FiniteSet):
                parts.append(_member(enc, v, a))
            else:
                raise _Outside(f"domain {d} of {s}")
        return _Domain(z3.Or(parts), [], relaxed)
    if d in (sp.S.Integers, sp.S.Naturals, sp.S.Naturals0):
        low = {sp.S.Integers: None, sp.S.Naturals: 1, sp.S.Naturals0: 0}[d]
        return _Domain(enc.true if low is None else v >= low, [v], relaxed)
    if isinstance(d, sp.Range):
        if d.size.is_finite and d.size <= MAX_FINITE_RANGE:
            return _Domain(_member(enc, v, sp.FiniteSet(*d)), [], relaxed)
        step = abs(d.step)
        if step == 1:
            cons = [v >= int(d.inf)] if d.inf.is_finite else []
            cons += [v <= int(d.sup)] if d.sup.is_finite else []
            return _Domain(_and(cons, enc.ctx), [v], relaxed)
        k = enc.fresh("Int" if s in enc.int_symbols else "Real")
        if d.inf.is_finite:
            cons = [v == int(d.inf) + int(step) * k, k >= 0]
            cons += [v <= int(d.sup)] if d.sup.is_finite else []
        elif d.sup.is_finite:
            cons = [v == int(d.sup) - int(step) * k, k >= 0]
        else:
            raise _Outside(f"domain {d} of {s}")
        return _Domain(z3.And(cons), [k], relaxed)
    raise _Outside(f"domain {d} of {s}")


def _is_integer_domain(d: sp.Set) -> bool:
    """Is d encoded with an integer carrier (rather than exactly, as a finite set)?"""
    if d in (sp.S.Integers, sp.S.Naturals, sp.S.Naturals0):
        return True
    return isinstance(d, sp.Range) and not (d.size.is_finite and d.size <= MAX_FINITE_RANGE)


def _member(enc: _Encoder, v: z3.ArithRef, d: sp.FiniteSet) -> z3.BoolRef:
    opts = []
    for a in d.args:
        t, ok = enc.term(a)
        opts.append(z3.And(ok, v == t))
    return z3.Or(opts)


def _in_domain(x: sp.Rational, d: sp.Set) -> bool:
    """Is the exact rational x in d?  (Checked with Arb, never SymPy's sets.)"""
    if d == sp.S.Reals:
        return True
    if isinstance(d, sp.Interval):
        checks = []
        if not d.start.is_infinite:
            checks.append((sp.Gt if d.left_open else sp.Ge)(x, d.start, evaluate=False))
        if not d.end.is_infinite:
            checks.append((sp.Lt if d.right_open else sp.Le)(x, d.end, evaluate=False))
        return all(intervals.decide(c, {}) is True for c in checks)
    if isinstance(d, sp.FiniteSet):
        return any(intervals.decide(sp.Eq(x, a, evaluate=False), {}) is True for a in d.args)
    if isinstance(d, sp.Union):
        return any(_in_domain(x, a) for a in d.args)
    if not x.is_Integer:
        return False
    if d == sp.S.Integers:
        return True
    if d in (sp.S.Naturals, sp.S.Naturals0):
        return bool(x >= (1 if d == sp.S.Naturals else 0))
    if isinstance(d, sp.Range):            # exact integer arithmetic
        ref = d.inf if d.inf.is_finite else d.sup
        return bool(d.inf <= x) and bool(x <= d.sup) and (x - ref) % abs(d.step) == 0
    return False


# ---------------------------------------------------------------------------
# the solver
# ---------------------------------------------------------------------------
def _nonlinear(fs: Iterable[z3.ExprRef]) -> bool:
    seen: set[int] = set()
    stack = list(fs)
    while stack:
        e = stack.pop()
        if e.get_id() in seen:
            continue
        seen.add(e.get_id())
        if z3.is_app(e):
            if z3.is_mul(e) and sum(not (z3.is_rational_value(c) or z3.is_int_value(c))
                                    for c in e.children()) > 1:
                return True
            if z3.is_app_of(e, z3.Z3_OP_POWER) or z3.is_div(e) or z3.is_idiv(e):
                return True
            stack.extend(e.children())
    return False


def _solver(ctx: z3.Context, linear_int: bool, rlimit: int) -> z3.Solver:
    if linear_int:
        tactic = z3.With(z3.Tactic("smt", ctx=ctx), random_seed=0)
    else:
        tactic = z3.With(z3.Tactic("qfnra-nlsat", ctx=ctx), seed=0, randomize=False)
    s = tactic.solver()
    s.set("rlimit", rlimit)
    return s


def _value(v: z3.ExprRef) -> Fraction | None:
    if z3.is_int_value(v):
        return Fraction(v.as_long())
    if z3.is_rational_value(v):
        return Fraction(v.numerator_as_long(), v.denominator_as_long())
    return None


def _floor(v: z3.ExprRef) -> int:
    r = _value(v)
    if r is None:                      # algebraic: a close dyadic approximation
        r = _value(v.approx(20))
    return r.numerator // r.denominator


def _simplex_symbols(s) -> tuple:
    return tuple(getattr(s, "symbols", s))


def _fragment_check(enc: _Encoder, exprs: Sequence[sp.Basic]) -> str | None:
    for e in exprs:
        try:
            if isinstance(e, (Relational, sp.And, sp.Or, sp.Not)):
                enc.boolean(e)
            else:
                enc.term(sp.sympify(e))
        except _Outside as exc:
            return str(exc)
    return None


def fragment_reason(expr: sp.Basic) -> str | None:
    """``None`` if ``expr`` (a term or a relation) is in the fragment, else
    one line naming the construct that is not.

    >>> from sympy import Symbol, sqrt, exp, Abs, Sum, Float
    >>> x, n, k = Symbol("x"), Symbol("n", integer=True), Symbol("k", integer=True)
    >>> fragment_reason(sqrt(x + 1) / (x - 2) + Abs(x)) is None
    True
    >>> fragment_reason(exp(x)), fragment_reason(x**n), fragment_reason(Float(0.5) * x)
    ('function exp', 'non-rational exponent n', 'Float literal 0.500000000000000')
    >>> fragment_reason(Sum(x**k, (k, 1, n)))
    'Sum over a symbolic range Sum(x**k, (k, 1, n))'
    """
    return _fragment_check(_Encoder(z3.Context()), [sp.sympify(expr)])


@dataclass(frozen=True)
class _Problem:
    """A universally quantified claim: statement, hypotheses, domains."""

    statement: sp.Basic
    domains: Mapping[sp.Symbol, sp.Set]
    symbols: tuple[sp.Symbol, ...]
    relations: tuple[sp.Basic, ...]
    simplices: tuple[tuple[sp.Symbol, ...], ...]
    given: sp.Basic | None

    def domain(self, s: sp.Symbol) -> sp.Set:
        return self.domains.get(s, domain_of(s))

    @property
    def hypotheses(self) -> list[sp.Basic]:
        return [*self.relations, *([self.given] if self.given is not None else [])]

    def case(self, values: Mapping[sp.Symbol, sp.Basic]) -> "_Problem":
        """The problem with some symbols fixed (SymPy's constructors evaluate)."""
        sub = dict(values)
        rels = [r.xreplace(sub) for r in self.relations]
        rels += [sp.Eq(sp.Add(*sx).xreplace(sub), 1) for sx in self.simplices
                 if any(v in sub for v in sx)]
        return _Problem(self.statement.xreplace(sub), self.domains,
                        tuple(v for v in self.symbols if v not in sub), tuple(rels),
                        tuple(sx for sx in self.simplices if not any(v in sub for v in sx)),
                        None if self.given is None else self.given.xreplace(sub))


def _problem(statement, domains, relations, simplices, given) -> _Problem:
    rels, sxs = [], [tuple(_simplex_symbols(sx)) for sx in simplices]
    for r in relations:                   # an OnSimplex among the conditions is a simplex
        (sxs.append(tuple(r.symbols)) if isinstance(r, OnSimplex) else rels.append(r))
    syms: set[sp.Symbol] = set()
    for e in [statement, *rels, *([given] if given is not None else [])]:
        syms |= e.free_symbols
    for sx in sxs:
        syms |= set(sx)
    ordered = tuple(sorted(syms, key=lambda v: (v.name, str(v.assumptions0))))
    return _Problem(statement, domains, ordered, tuple(rels), tuple(sxs), given)


def _encode(pb: _Problem, int_symbols: Iterable[sp.Symbol], ctx: z3.Context):
    """z3 facts: the hypotheses (domains, conditions, premise, definedness of
    the statement, auxiliary definitions) and the negated statement; their
    conjunction is sat iff the claim fails somewhere (up to the relaxations
    listed).  Also the encoder and the integer carriers."""
    enc = _Encoder(ctx, frozenset(int_symbols))
    facts: list[z3.BoolRef] = []
    carriers: list = []
    relaxed: list[str] = []
    for v in pb.symbols:
        dom = _domain(enc, v, pb.domain(v))
        facts.append(dom.constraint)
        carriers += dom.carriers
        relaxed += dom.relaxed
    for rel in pb.hypotheses:
        b, ok = enc.boolean(rel)
        facts += [b, ok]
    for sx in pb.simplices:
        facts.append(z3.Sum([enc.var(v) for v in sx]) == 1)
    b, ok = enc.boolean(pb.statement)
    return enc, facts + [ok] + enc.defs, z3.Not(b), carriers, relaxed


def bound_conjuncts(statement: Relational) -> list[Relational]:
    """``x >= Max(a, b)`` as ``[x >= a, x >= b]`` (likewise ``>``, ``Min`` on the
    left, and ``<=``/``<`` mirrored): the statement holds iff every part does.

    >>> from sympy import Symbol, Max
    >>> from grpo_sym.proof.relations import Ge
    >>> x, a, b = Symbol("x"), Symbol("a"), Symbol("b")
    >>> bound_conjuncts(Ge(x, Max(a, b)))
    [x >= a, x >= b]
    >>> bound_conjuncts(Ge(Max(a, b), x))        # an Or, not an And: left whole
    [Max(a, b) >= x]
    """
    if isinstance(statement, (sp.GreaterThan, sp.StrictGreaterThan)):
        big, small = statement.lhs, statement.rhs
    elif isinstance(statement, (sp.LessThan, sp.StrictLessThan)):
        big, small = statement.rhs, statement.lhs
    else:
        return [statement]
    bigs = big.args if isinstance(big, sp.Min) else (big,)
    smalls = small.args if isinstance(small, sp.Max) else (small,)
    if len(bigs) * len(smalls) == 1:
        return [statement]
    return [statement.func(*((b, s) if statement.lhs is big else (s, b)), evaluate=False)
            for b in bigs for s in smalls]


def confirm(statement: sp.Basic, *, domains: Mapping[sp.Symbol, sp.Set],
            relations: Sequence[sp.Basic] = (), simplices: Sequence = (),
            given: sp.Basic | None = None,
            rlimit: int = DEFAULT_RLIMIT, max_cuts: int = 16,
            max_constant_radicals: int = 4) -> SmtResult:
    """Confirm ``statement`` at every point of its domain (see the module docstring).

    Options
    -------
    statement : ``Eq``, ``Ne``, ``Ge``, ``Gt``, ``Le`` or ``Lt`` (unevaluated),
        claimed for all points of the domain satisfying the hypotheses
    domains : ``{symbol: set}``; a symbol not listed has its declared domain
        (:func:`grpo_sym.proof.domains.domain_of`)
    relations : further hypotheses (relations, ``And``/``Or``/``Not`` of them;
        an ``OnSimplex`` here counts as a simplex)
    simplices : groups of symbols (or ``OnSimplex``) whose sum is 1
    given : a premise relation
    rlimit : z3's deterministic resource budget, per solver call
    max_cuts : integrality cuts for relaxed integer variables
    max_constant_radicals : at most this many distinct radicals of numbers
        (``sqrt(5)``, ``6**(1/3)``) per z3 call; beyond, ``unknown`` without
        calling z3 (see "Budgets" in the module docstring)

    A symbol with a small finite domain that stands where the fragment needs
    a number (an exponent ``x**G``, a ``Sum`` limit, ``binomial(G, 2)``) is
    split into cases, one call per value.

    >>> from sympy import Symbol, Interval, Range, FiniteSet, oo, sqrt
    >>> from grpo_sym.proof.relations import Ge, Gt, Le
    >>> x, n = Symbol("x_cf", real=True), Symbol("n_cf", integer=True)
    >>> confirm(Ge(sqrt(x), x), domains={x: Interval.open(0, 1)}).status
    'confirmed'
    >>> confirm(Ge((n - 1)*(n - 2), 0), domains={n: Range(1, oo)}).reason
    'negation unsat (nlsat) over the real relaxation of n_cf, with 1 integrality cut'
    >>> confirm(Gt(x, 0), domains={x: Interval(0, 1)}, rlimit=1).status
    'unknown'
    >>> confirm(Le(x**n, x), domains={x: Interval(0, 1), n: FiniteSet(2, 3, 4)}).reason
    'by cases n_cf in {2, 3, 4}: negation unsat (nlsat)'
    """
    if not isinstance(statement, Relational):
        return SmtResult("outside", f"statement is not a relation: {type(statement).__name__}")
    parts = bound_conjuncts(statement)
    if len(parts) > 1:
        # x >= Max(a, b) iff x >= a and x >= b: one smaller problem each (nlsat's root
        # isolation on the If-encoded Max ran for half a minute where each part takes 0.1 s)
        found = [confirm(part, domains=domains, relations=relations, simplices=simplices,
                         given=given, rlimit=rlimit, max_cuts=max_cuts,
                         max_constant_radicals=max_constant_radicals) for part in parts]
        for r in found:
            if r.status != "confirmed":
                return r
        return SmtResult("confirmed", "each bound of the Max/Min: "
                         + "; ".join(r.reason for r in found), None,
                         tuple(dict.fromkeys(x for r in found for x in r.side_conditions)))
    pb = _problem(statement, domains, tuple(relations), simplices, given)
    for e in [pb.statement, *pb.hypotheses]:
        if e.atoms(sp.Indexed):
            return SmtResult("outside", f"indexed symbol {sorted(e.atoms(sp.Indexed), key=str)[0]}")
    budget = _Budget(rlimit, max_cuts, max_constant_radicals)
    try:
        return _confirm(pb, budget)
    except _Outside as exc:
        outside = SmtResult("outside", str(exc))
    split = _case_symbols(pb)
    return _by_cases(pb, split, budget) if split else outside


@dataclass(frozen=True)
class _Budget:
    rlimit: int
    max_cuts: int
    max_constant_radicals: int


def _confirm(pb: _Problem, budget: _Budget) -> SmtResult:
    rlimit, max_cuts = budget.rlimit, budget.max_cuts
    enc, facts, negation, carriers, relaxed = _encode(pb, (), z3.Context())
    consts = enc.constant_roots
    if len(consts) > budget.max_constant_radicals:
        return SmtResult("unknown", f"{len(consts)} radicals of numbers "
                         f"({', '.join(sp.sstr(c) for c in consts)}) exceed "
                         f"max_constant_radicals={budget.max_constant_radicals}; z3 not called",
                         None, tuple(enc.side))
    int_syms = [v for v in pb.symbols if _is_integer_domain(pb.domain(v))]
    if not carriers:
        mode = "nlsat"
    elif not _nonlinear([*facts, negation]):
        mode = "linear"
        enc, facts, negation, carriers, relaxed = _encode(pb, int_syms, z3.Context())
    else:
        mode = "relaxed"
    side = tuple(enc.side)
    s = _solver(enc.ctx, mode == "linear", rlimit)
    s.add(facts + [negation])
    cuts = 0
    while True:
        verdict = s.check()
        if verdict == z3.unsat:
            engine = "smt, linear integer arithmetic" if mode == "linear" else "nlsat"
            what = f"negation unsat ({engine})"
            if mode == "relaxed":
                what += f" over the real relaxation of {', '.join(v.name for v in int_syms)}"
                if cuts:
                    what += f", with {cuts} integrality cut{'s' if cuts > 1 else ''}"
            if relaxed:
                what += "; " + "; ".join(relaxed)
            if _vacuous(enc.ctx, facts, mode, rlimit):
                what = "vacuously: no point satisfies the hypotheses where the statement " \
                       "is defined; " + what
            return SmtResult("confirmed", what, None, side)
        if verdict == z3.unknown:
            why = s.reason_unknown()
            if "resource" in why or "canceled" in why:
                why = "budget exhausted (rlimit)"
            return SmtResult("unknown", f"z3: {why}", None, side)
        model = s.model()
        if mode == "relaxed":
            fractional = [c for c in carriers
                          if not _is_integer_value(model.eval(c, model_completion=True))]
            if fractional:
                if cuts >= max_cuts:
                    return SmtResult("unknown", f"relaxation: integrality not reached after "
                                     f"{max_cuts} cuts", None, side)
                f = _floor(model.eval(fractional[0], model_completion=True))
                s.add(z3.Or(fractional[0] <= f, fractional[0] >= f + 1))
                cuts += 1
                continue
        values = {v: model.eval(enc.vars[v], model_completion=True) for v in pb.symbols}
        shown = {v.name: (str(_value(z)) if _value(z) is not None else z.sexpr())
                 for v, z in values.items()}
        if any(_value(z) is None for z in values.values()):
            return SmtResult("unknown", "z3 found a model at an irrational point; not re-checked",
                             shown, side)
        point = {v: sp.Rational(_value(z).numerator, _value(z).denominator)
                 for v, z in values.items()}
        return _verdict_at(pb, point, side)


def _vacuous(ctx: z3.Context, facts: list[z3.BoolRef], mode: str, rlimit: int) -> bool:
    """Are the hypotheses alone unsat (so a confirmation says nothing)?"""
    s = _solver(ctx, mode == "linear", rlimit)
    s.add(facts)
    return s.check() == z3.unsat


def _is_integer_value(z: z3.ExprRef) -> bool:
    v = _value(z)
    return v is not None and v.denominator == 1


def _verdict_at(pb: _Problem, point: Mapping[sp.Symbol, sp.Rational],
                side: tuple[str, ...] = ()) -> SmtResult:
    """A counterexample only if Arb confirms, exactly, that ``point`` is one."""
    shown = {v.name: str(point[v]) for v in sorted(point, key=lambda v: v.name)}
    problems = [f"{v} not in its domain" for v in pb.symbols
                if not _in_domain(point[v], pb.domain(v))]
    problems += [f"hypothesis {r} not shown" for r in pb.hypotheses
                 if intervals.decide(r, point) is not True]
    problems += ["a simplex does not sum to 1" for sx in pb.simplices
                 if sum(point[v] for v in sx) != 1]
    if intervals.decide(pb.statement, point) is not False:
        problems.append("statement not shown false")
    if problems:
        return SmtResult("unknown", "z3 model not confirmed by Arb: " + "; ".join(problems),
                         shown, side)
    return SmtResult("counterexample", "negation sat; the point is re-checked exactly with Arb",
                     shown, side)


# ---------------------------------------------------------------------------
# case splits on small finite domains
# ---------------------------------------------------------------------------
MAX_CASES = 256
_LATTICE = (sp.Abs, sp.sign, sp.Max, sp.Min, sp.Piecewise)


def _finite_values(d: sp.Set) -> list[sp.Rational] | None:
    if isinstance(d, sp.Range) and d.size.is_finite and d.size <= MAX_FINITE_RANGE:
        return [sp.Integer(v) for v in d]
    if isinstance(d, sp.FiniteSet) and all(a.is_Rational for a in d.args):
        return sorted(d.args)
    return None


def _structural(e: sp.Basic) -> set[sp.Symbol]:
    """Symbols standing where the fragment needs a number."""
    out: set[sp.Symbol] = set()
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Pow):
            out |= node.exp.free_symbols
        elif isinstance(node, sp.Sum):
            for _, lo, hi in node.limits:
                out |= lo.free_symbols | hi.free_symbols
        elif isinstance(node, Application) and not isinstance(node, _LATTICE):
            out |= node.free_symbols
    return out


def _case_symbols(pb: _Problem) -> list[sp.Symbol]:
    wanted: set[sp.Symbol] = set()
    for e in [pb.statement, *pb.hypotheses]:
        wanted |= _structural(e)
    split = [v for v in pb.symbols if v in wanted and _finite_values(pb.domain(v)) is not None]
    n = 1
    for v in split:
        n *= len(_finite_values(pb.domain(v)))
    return split if 0 < n <= MAX_CASES else []


def _by_cases(pb: _Problem, split: list[sp.Symbol], budget: _Budget) -> SmtResult:
    names = ", ".join(f"{v.name} in {{{', '.join(map(str, _finite_values(pb.domain(v))))}}}"
                      for v in split)
    results = []
    for values in itertools.product(*(_finite_values(pb.domain(v)) for v in split)):
        case = dict(zip(split, values))
        sub = pb.case(case)
        try:
            r = _confirm(sub, budget)
        except _Outside as exc:
            return SmtResult("outside", f"{exc} (in the case {_show(case)})")
        if r.status == "counterexample":   # re-check on the original claim, exactly
            point = {**case, **{v: sp.Rational(r.model[v.name]) for v in sub.symbols}}
            full = _verdict_at(pb, point, r.side_conditions)
            return SmtResult(full.status, f"{full.reason} (case {_show(case)})", full.model,
                             full.side_conditions)
        results.append((case, r))
    bad = [(c, r) for c, r in results if r.status != "confirmed"]
    if bad:
        c, r = bad[0]
        return SmtResult(r.status, f"{r.reason} (case {_show(c)})", r.model, r.side_conditions)
    side = tuple(dict.fromkeys(t for _, r in results for t in r.side_conditions))
    reasons = list(dict.fromkeys(r.reason for _, r in results))
    return SmtResult("confirmed", f"by cases {names}: {'; '.join(reasons)}", None, side)


def _show(case: Mapping[sp.Symbol, sp.Basic]) -> str:
    return ", ".join(f"{v.name} = {val}" for v, val in case.items())
