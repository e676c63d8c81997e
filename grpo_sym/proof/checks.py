"""Symbolic checkers: is an expression identically zero, visibly non-negative?

These are the only places where SymPy's answers become verdicts, so they are
conservative: ``simplify(e) == 0`` proves, any other answer proves nothing.

* :func:`prove_zero` tries a ladder of rewrites (cheap first) and reports the
  one that reduced the expression to zero, or ``None``.
* :func:`is_nonnegative` decides "manifestly non-negative" structurally: sums
  and products of non-negative parts, even powers, square roots, exponentials,
  symbols whose domain is non-negative, and expressions linear in one symbol
  that are non-negative at both ends of its domain.  It never samples.

>>> from sympy import Interval, sqrt
>>> from grpo_sym.proof.domains import variable
>>> p = variable("p_checks_demo", Interval.open(0, 1))
>>> ctx = Context()
>>> prove_zero((p + 1)**2 - p**2 - 2*p - 1, ctx)
'expand'
>>> is_nonnegative((1 - p) * sqrt(p) + (p - 1/2)**2, ctx)
True
>>> is_nonnegative(p - 1/2, ctx)
False
"""
from __future__ import annotations

import contextlib
import itertools
import signal
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence

import sympy as sp

from .domains import OnSimplex, domain_of, is_finite_domain, split_conditions

__all__ = ["Context", "power_sums", "prove_zero", "is_nonnegative", "is_positive", "is_nonzero"]


@dataclass
class Context:
    """What may be assumed while checking: domains, conditions, simplices."""

    domains: Mapping[sp.Symbol, sp.Set] = field(default_factory=dict)
    relations: Sequence[sp.Basic] = ()
    simplices: Sequence[OnSimplex] = ()

    @classmethod
    def for_claim(cls, c) -> "Context":
        rels, simp = split_conditions(c.conditions)
        return cls(domains=dict(c.domains), relations=tuple(rels), simplices=tuple(simp))

    def domain(self, sym: sp.Symbol) -> sp.Set:
        return self.domains.get(sym, domain_of(sym))

    def eliminate(self, expr: sp.Basic) -> sp.Basic:
        """Substitute each simplex's last symbol by one minus the others."""
        for s in self.simplices:
            expr = expr.subs(s.elimination())
        return expr

    def finite_symbols(self, expr: sp.Basic) -> list[sp.Symbol]:
        return sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol)
                       and is_finite_domain(self.domain(s))), key=lambda s: s.name)

    def instances(self, expr: sp.Basic) -> Iterator[tuple[dict, sp.Basic]]:
        """Expand finite-domain symbols: one (substitution, expression) per case."""
        fin = self.finite_symbols(expr)
        if not fin:
            yield {}, expr
            return
        from .mpeval import write_out

        for values in itertools.product(*(sorted(self.domain(s)) for s in fin)):
            sub = dict(zip(fin, values))
            yield sub, _doit(write_out(expr.xreplace(sub)))


_CARRY_OUT = (sp.Derivative, sp.Subs, sp.Integral, sp.Product)


def _doit(expr: sp.Basic) -> sp.Basic:
    """Carry out derivatives, substitutions and integrals, and write out sums
    over concrete ranges; sums over a symbolic range stay (power sums handle them)."""
    from .mpeval import write_out

    if expr.has(*_CARRY_OUT):
        expr = expr.replace(lambda e: isinstance(e, _CARRY_OUT), lambda e: e.doit())
    return write_out(expr) if expr.has(sp.Sum) else expr


def _excluded(cond: sp.Basic, relations: Sequence[sp.Basic]) -> bool:
    """Is the Piecewise branch condition ``cond`` ruled out by ``relations``?"""
    if cond is sp.false:
        return True
    if isinstance(cond, sp.Eq):
        d = cond.lhs - cond.rhs
        for r in relations:
            if isinstance(r, sp.Ne):
                e = r.lhs - r.rhs
                if sp.expand(d - e) == 0 or sp.expand(d + e) == 0:
                    return True
    if isinstance(cond, sp.And):
        return any(_excluded(a, relations) for a in cond.args)
    return False


def _zero(e: sp.Basic, relations: Sequence[sp.Basic]) -> bool:
    if e == 0:
        return True
    if isinstance(e, sp.Piecewise):
        return all(_zero(v, relations) or _excluded(c, relations) for v, c in e.args)
    return False


_CANONICAL_INDEX = sp.Symbol("i__", integer=True)


def _one_sum(f: sp.Expr, idx: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    """Sum ``f`` over ``idx = lo..hi`` term by term: constants come out,
    ``sum c = (hi - lo + 1) c``, and what depends on ``idx`` through
    ``x[idx]`` factors only becomes a canonical sum ``Sum(..., (i__, lo, hi))``."""
    out = []
    for t in sp.Add.make_args(sp.expand(f)):
        const, dep = [], []
        for fac in sp.Mul.make_args(t):
            (dep if idx in fac.free_symbols else const).append(fac)
        if not dep:
            out.append(sp.Mul(*const) * (hi - lo + 1))
            continue
        body = sp.Mul(*dep)
        simple = all(isinstance(b, sp.Indexed) and b.indices == (idx,)
                     for fac in dep for b in [fac.base if isinstance(fac, sp.Pow) else fac])
        if simple:
            body = body.xreplace({idx: _CANONICAL_INDEX})
            out.append(sp.Mul(*const) * sp.Sum(body, (_CANONICAL_INDEX, lo, hi)))
        else:
            out.append(sp.Mul(*const) * sp.Sum(body, (idx, lo, hi)))
    return sp.Add(*out)


def power_sums(e: sp.Basic) -> sp.Basic:
    """Rewrite finite sums of polynomial summands as canonical power sums.

    Sound for sums over full index ranges: linearity, ``sum_j c = G c``, and
    independent indices factor (``sum_j sum_k x_j y_k = (sum x)(sum y)``).

    >>> from sympy import IndexedBase, Sum, symbols
    >>> r = IndexedBase("r"); j, k, G = symbols("j k G", integer=True)
    >>> power_sums(Sum(Sum(r[j] - r[k], (k, 1, G)), (j, 1, G)))
    0
    """
    if not isinstance(e, sp.Basic) or not e.has(sp.Sum):
        return e
    if isinstance(e, sp.Sum):
        summand = power_sums(e.function)
        for idx, lo, hi in e.limits:
            summand = _one_sum(summand, idx, lo, hi)
        return summand
    return e.func(*[power_sums(a) for a in e.args])


def factor_radicands(e: sp.Basic) -> sp.Basic:
    """Factor the base of every fractional power, so that equal radicals written
    differently (``sqrt(a/G - b/G**2)`` and ``sqrt(2*a*G - 2*b)/(sqrt(2)*G)``)
    reach the same normal form once positive factors are pulled out."""
    return e.replace(lambda x: isinstance(x, sp.Pow) and x.exp.is_Rational
                     and not x.exp.is_Integer,
                     lambda x: sp.Pow(sp.factor(x.base), x.exp))


class _OutOfTime(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    """Abandon a SymPy call after ``seconds`` (main thread only; else no limit)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def on_alarm(signum, frame):
        raise _OutOfTime

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


STRATEGY_SECONDS = 8.0


def _parametrised(ctx: Context):
    def rewrite(e):
        e = positive_parametrisation(e, ctx)
        e = sp.expand_log(sp.expand(e), force=False)
        return sp.simplify(sp.expand_log(sp.factor_terms(sp.together(e)), force=False))
    return rewrite


def _rewrites(relations) -> list[tuple[str, Callable[[sp.Basic], sp.Basic]]]:
    def together_cancel(e):
        return sp.cancel(sp.together(e))

    def logs(e):
        return sp.simplify(sp.expand_log(sp.expand(e), force=False))

    def radicals(e):
        return sp.simplify(sp.radsimp(sp.together(factor_radicands(e))))

    def piecewise(e):
        return sp.simplify(sp.piecewise_fold(e.rewrite(sp.Piecewise)))

    def signs(e):
        return sp.simplify(e.rewrite(sp.Abs))

    def sums(e):
        e = sp.expand(power_sums(sp.expand(power_sums(e))))
        return e if e == 0 else sp.expand(factor_radicands(e))

    def radicands(e):
        return sp.expand(factor_radicands(sp.expand(e)))

    # cheap rewrites first; each is abandoned after STRATEGY_SECONDS
    return [
        ("expand", sp.expand),
        ("power sums", sums),
        ("cancel", together_cancel),
        ("radicals", radicands),
        ("expand_log", logs),
        ("simplify", sp.simplify),
        ("positive parametrisation", None),
        ("radsimp", radicals),
        ("sign", signs),
        ("piecewise", piecewise),
    ]


def positive_parametrisation(e: sp.Basic, ctx: Context) -> sp.Basic:
    """Rewrite each symbol ``x`` in an open interval ``(lo, hi)`` as
    ``lo + (hi - lo) u/(1 + u)`` with ``u > 0`` (``lo + u`` for ``(lo, oo)``).

    A bijection of the domain, so an identity holds iff it holds after the
    change; afterwards ``x - lo`` and ``hi - x`` are products of positive
    symbols, which lets logarithms and radicals split soundly."""
    subs = {}
    for x in e.free_symbols:
        if not isinstance(x, sp.Symbol):
            continue
        dom = ctx.domain(x)
        if not (isinstance(dom, sp.Interval) and dom.left_open and dom.start.is_finite):
            continue
        lo, hi = dom.start, dom.end
        if lo == 0 and not hi.is_finite:
            continue  # already a positive symbol
        u = sp.Dummy(f"{x.name}_u", positive=True)
        if hi.is_finite and dom.right_open:
            subs[x] = lo + (hi - lo) * u / (1 + u)
        elif not hi.is_finite:
            subs[x] = lo + u
    return e.xreplace(subs) if subs else e


def prove_zero(expr: sp.Basic, ctx: Context) -> str | None:
    """Name of the rewrite that reduces ``expr`` to 0 under ``ctx``, else None.

    Finite-domain symbols are expanded case by case (every case must reduce).
    """
    expr = ctx.eliminate(sp.sympify(expr))
    methods: list[str] = []
    for _, case in ctx.instances(expr):
        case = _doit(ctx.eliminate(case))
        found = None
        ladder = _rewrites(ctx.relations)
        if case.has(sp.Sum):   # sums over a symbolic range: the power-sum rewrite first
            ladder.sort(key=lambda item: item[0] != "power sums")
        for name, rewrite in ladder:
            if name == "power sums" and not case.has(sp.Sum):
                continue
            if name in ("radicals", "radsimp") and not any(
                    not a.exp.is_Integer for a in case.atoms(sp.Pow)):
                continue
            if name == "expand_log" and not case.has(sp.log):
                continue
            if rewrite is None:  # needs the context: logs and radicals of bounded symbols
                if not case.has(sp.log, sp.Pow):
                    continue
                rewrite = _parametrised(ctx)
            try:
                with time_limit(STRATEGY_SECONDS):
                    reduced = rewrite(case)
                if _zero(reduced, ctx.relations):
                    found = name
                    break
            except (_OutOfTime, TypeError, ValueError, NotImplementedError, RecursionError,
                    sp.PolynomialError, AttributeError, ZeroDivisionError):
                continue
        if found is None:
            return None
        if found not in methods:
            methods.append(found)
    return "+".join(methods)


# -- non-negativity ------------------------------------------------------

def _linear_atom_sign(e: sp.Expr, ctx: Context, strict: bool) -> bool:
    """``a + b*x`` with ``x`` in an interval: check both ends of the interval."""
    syms = [s for s in e.free_symbols]
    if len(syms) != 1:
        return False
    (x,) = syms
    try:
        poly = sp.Poly(e, x)
    except sp.PolynomialError:
        return False
    if poly.degree() != 1 or not all(c.is_number for c in poly.all_coeffs()):
        return False
    dom = ctx.domain(x)
    if not isinstance(dom, sp.Interval):
        if is_finite_domain(dom):
            vals = [e.subs(x, v) for v in dom]
            return all((v > 0) if strict else (v >= 0) for v in vals)
        return False
    for end, is_open in ((dom.start, dom.left_open), (dom.end, dom.right_open)):
        if not end.is_finite:
            slope = poly.all_coeffs()[0]
            # the end at -oo/+oo must not drive the value down
            if (end is sp.oo and slope < 0) or (end is -sp.oo and slope > 0):
                return False
            continue
        v = e.subs(x, end)
        if strict and not is_open:
            if not v > 0:
                return False
        elif not v >= 0:
            return False
    return True


def is_nonnegative(e: sp.Basic, ctx: Context, strict: bool = False) -> bool:
    """Is ``e`` manifestly >= 0 (``strict``: > 0) at every point of the domains?"""
    global _DEPTH
    e = sp.sympify(e)
    key = (e, strict, id(ctx))
    if key in _SEEN:            # memoised within one top-level question; a question
        return _SEEN[key]       # met again while still open counts as "not visibly"
    if _DEPTH > MAX_DEPTH:      # rewrites that feed each other (sqrt rule, factoring)
        return False            # are cut off: "not visibly" is always a safe answer
    _SEEN[key] = False
    _DEPTH += 1
    try:
        found = bool(_nonneg(e, ctx, strict))
    finally:
        _DEPTH -= 1
        if _DEPTH == 0:
            _SEEN.clear()
    if _DEPTH > 0:
        _SEEN[key] = found
    return found


_FACTORING: set = set()   # expressions whose factored form is being examined
_DEPTH = 0
MAX_DEPTH = 16
_SEEN: dict = {}


def _nonneg(e: sp.Basic, ctx: Context, strict: bool) -> bool:
    found = _nonneg_direct(e, ctx, strict)
    if found or e in _FACTORING or e.is_number or not isinstance(e, (sp.Add, sp.Mul)):
        return found
    # a factored form may show what the expanded one hides: 4f - 4f^2 = 4 f (1 - f)
    try:
        with time_limit(2):
            alt = sp.factor(e)
    except (_OutOfTime, sp.PolynomialError, TypeError, ValueError):
        return False
    _FACTORING.add(e)
    try:
        if alt != e and _nonneg_direct(alt, ctx, strict):
            return True
        # the same question with bounded symbols written as positive ones
        # (a bijection of the domain): 1 - f becomes 1/(1 + u)
        par = positive_parametrisation(e, ctx)
        if par != e:
            with time_limit(2):
                par = sp.together(par)
            return _nonneg_direct(par, ctx, strict)
        return False
    except _OutOfTime:
        return False
    finally:
        _FACTORING.discard(e)


def _has_radical(e: sp.Basic) -> bool:
    return any(not p.exp.is_Integer for p in e.atoms(sp.Pow))


def _sqrt_dominates(e: sp.Add, ctx: Context, strict: bool) -> bool:
    """``k sqrt(X) + R >= 0`` when ``k > 0`` and ``k^2 X - R^2 >= 0`` (then
    ``k sqrt(X) >= |R| >= -R``); strictly when ``k^2 X - R^2 > 0``."""
    for term in e.args:
        k, root = term.as_independent(*[a for a in term.atoms(sp.Pow)
                                        if a.exp == sp.S.Half], as_Add=False)
        if not (isinstance(root, sp.Pow) and root.exp == sp.S.Half):
            continue
        rest = e - term
        # one radical only: then k^2 X - R^2 has none and the question cannot recur
        if _has_radical(rest) or _has_radical(root.base):
            continue
        if not is_nonnegative(root.base, ctx):
            continue
        if is_nonnegative(k, ctx, strict=True):
            # k sqrt(X) + R >= 0: k sqrt(X) >= |R| if k^2 X >= R^2
            gap = sp.expand(k**2 * root.base - rest**2)
            if is_nonnegative(gap, ctx, strict) or (is_nonnegative(rest, ctx) and
                                                    (not strict or is_nonnegative(rest, ctx, True))):
                return True
        elif is_nonnegative(-k, ctx, strict=True):
            # R - |k| sqrt(X) >= 0: R >= 0 and R^2 >= k^2 X
            gap = sp.expand(rest**2 - k**2 * root.base)
            if is_nonnegative(rest, ctx) and is_nonnegative(gap, ctx, strict):
                return True
    return False


def _nonpositive(f: sp.Basic, ctx: Context, strict: bool) -> bool:
    """Visibly <= 0 (< 0): a symbol by its domain, a sum by its negation."""
    if isinstance(f, sp.Symbol):
        hi = ctx.domain(f).sup
        return bool(hi < 0) or (bool(hi <= 0) and (not strict or hi not in ctx.domain(f)))
    if isinstance(f, sp.Add):
        return is_nonnegative(-f, ctx, strict)
    return False


def _nonneg_direct(e: sp.Basic, ctx: Context, strict: bool) -> bool:
    if e.is_number:
        try:  # a Float is an exact binary value: compare it as it is
            return bool(e > 0) if strict else bool(e >= 0)
        except TypeError:
            return False
    if isinstance(e, sp.Symbol):
        dom = ctx.domain(e)
        lo = dom.inf
        if strict:
            return bool(lo > 0) or (bool(lo >= 0) and lo not in dom)
        return bool(lo >= 0)
    if isinstance(e, sp.Add):
        if all(is_nonnegative(a, ctx) for a in e.args):
            return (not strict) or any(is_nonnegative(a, ctx, True) for a in e.args)
        return _linear_atom_sign(e, ctx, strict) or _sqrt_dominates(e, ctx, strict)
    if isinstance(e, sp.Mul):
        # each factor visibly >= 0 or visibly <= 0, with an even number of the latter
        coeff, rest = e.as_coeff_Mul()
        if coeff == 0:
            return not strict
        negative = coeff < 0
        for f in sp.Mul.make_args(rest):
            if is_nonnegative(f, ctx, strict):
                continue
            if _nonpositive(f, ctx, strict):
                negative = not negative
                continue
            return False
        return not negative
    if isinstance(e, sp.Pow):
        base, ex = e.args
        if ex.is_negative:
            # 1/base**k is defined only where base != 0
            if ex.is_integer and ex.is_even:
                return is_nonzero(base, ctx)
            return is_nonnegative(base, ctx, strict=True)
        if ex.is_integer and ex.is_even:
            return True if not strict else is_nonzero(base, ctx)
        return is_nonnegative(base, ctx, strict)
    if isinstance(e, sp.exp):
        return True
    if isinstance(e, sp.Abs):
        return (not strict) or is_nonzero(e.args[0], ctx)
    if isinstance(e, sp.Sum):
        # a sum of non-negative terms (whatever the index) is non-negative
        return (not strict) and is_nonnegative(e.function, ctx)
    if isinstance(e, sp.Max):
        return any(is_nonnegative(a, ctx, strict) for a in e.args)
    if isinstance(e, sp.Min):
        return all(is_nonnegative(a, ctx, strict) for a in e.args)
    if isinstance(e, sp.log):
        return is_nonnegative(e.args[0] - 1, ctx, strict)
    return False


def is_positive(e: sp.Basic, ctx: Context) -> bool:
    return is_nonnegative(e, ctx, strict=True)


def is_nonzero(e: sp.Basic, ctx: Context) -> bool:
    """Manifestly non-zero: manifestly positive or manifestly negative."""
    return is_positive(e, ctx) or is_positive(-e, ctx)
