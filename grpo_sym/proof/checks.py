"""Strategies: which trusted rewrite to try on an obligation, and in what order.

Nothing here decides a verdict.  :func:`prove_zero` proposes rewrites of the
kernel (:data:`grpo_sym.proof.kernel.REWRITES`), cheap ones first, and reports
the name of the one the kernel accepted; the sign questions are the kernel's
own (:func:`~grpo_sym.proof.kernel.is_nonnegative`).  Budgets are
deterministic: a finite domain with too many cases, or an expression too large
for an expensive rewrite, leaves the obligation unproved with the reason
"budget exhausted" (:class:`~grpo_sym.proof.kernel.BudgetExhausted`).

>>> from sympy import Interval, Rational, sqrt
>>> from grpo_sym.proof.domains import variable
>>> p = variable("p_checks_demo", Interval.open(0, 1))
>>> ctx = Context()
>>> prove_zero((p + 1)**2 - p**2 - 2*p - 1, ctx)
'expand'
>>> is_nonnegative((1 - p) * sqrt(p) + (p - Rational(1, 2))**2, ctx)
True
>>> is_nonnegative(p - Rational(1, 2), ctx)
False
"""
from __future__ import annotations

import sympy as sp

from .kernel import (REWRITES, BudgetExhausted, Context, carry_out, double_sum_limits,
                     is_nonnegative, is_nonzero, is_positive, power_sums, reduces_to_zero)

__all__ = ["Context", "power_sums", "prove_zero", "is_nonnegative", "is_positive", "is_nonzero",
           "BudgetExhausted"]

# cheap rewrites first; "positive parametrisation" needs the context (bounded symbols)
_LADDER = ("expand", "power sums", "binomial sums", "symmetrised sums", "cancel", "radicals", "expand_log", "simplify",
           "positive parametrisation", "radsimp", "sign", "piecewise")
assert set(_LADDER) - {"positive parametrisation", "binomial sums"} == set(REWRITES)


def _worth_trying(name: str, case: sp.Basic) -> bool:
    if name in ("power sums", "binomial sums"):
        return case.has(sp.Sum)
    if name == "symmetrised sums":
        return any(double_sum_limits(x) is not None for x in case.atoms(sp.Sum))
    if name in ("radicals", "radsimp"):
        return any(not a.exp.is_Integer for a in case.atoms(sp.Pow))
    if name == "expand_log":
        return case.has(sp.log)
    if name == "positive parametrisation":
        return case.has(sp.log, sp.Pow)
    return True


SCREEN_POINTS = 3    # seeded domain points at which a non-zero value ends the search
SCREEN_SIZE = 8      # integers (group sizes, numbers of outputs) drawn within +-8


def _screen_point(syms: list, ctx: Context, rng) -> dict | None:
    """A seeded exact point of the domain: every symbol in its declared domain,
    each simplex's coordinates positive and summing to one."""
    from .numeric import random_value

    point: dict = {}
    for sx in ctx.simplices:
        weights = [rng.randrange(1, 1000) for _ in sx.symbols]
        point.update({s: sp.Rational(w, sum(weights)) for s, w in zip(sx.symbols, weights)})
    for s in syms:
        if s not in point:
            dom = ctx.domain(s)
            if s.is_integer:    # a size: small, so that sums over it stay short
                dom = dom.intersect(sp.Range(-SCREEN_SIZE, SCREEN_SIZE + 1))
            v = random_value(dom, rng)
            if v is None:
                return None
            point[s] = v
    return point


def _family_values(exprs: list, ctx: Context, rng) -> dict | None:
    """Seeded values, each in its family's domain, for the family elements that writing a
    sum out at a concrete size produced in ``exprs`` (``c[0]``, ``c[1]``, ... from
    ``Sum(c[k], (k, 0, n))`` at n = 2): an arbitrary family, so an identity true for every
    family is zero there too.  The caller still checks the assumed relations at the point.
    None when an element has no value (its domain cannot be sampled) or belongs to a
    simplex."""
    from .numeric import random_value

    on_simplex = {s for sx in ctx.simplices for s in sx.symbols}
    loose = sorted({a for e in exprs for a in e.atoms(sp.Indexed)
                    if all(i.is_number for i in a.indices)}, key=str)
    if any(a in on_simplex or a.base in on_simplex for a in loose):
        return None
    values = {a: random_value(ctx.domain(a), rng) for a in loose}
    return None if any(v is None for v in values.values()) else values


def visibly_nonzero(expr: sp.Basic, ctx: Context) -> bool:
    """Is ``expr`` shown non-zero (by Arb enclosures) at an exact point of the
    domain where every assumed relation holds?  Then no rewrite can reduce it to
    0, and the ladder is not climbed (for a false identity, an expensive rewrite
    may run for minutes).  This only ever gives up: it never proves anything,
    and any doubt (a point outside the relations, an undefined value, an
    expression Arb cannot evaluate) leaves the ladder to run.

    >>> from sympy import Symbol
    >>> x = Symbol("x_screen_demo", positive=True)
    >>> visibly_nonzero((x + 1)**2 - x**2 - 2*x, Context())
    True
    >>> visibly_nonzero((x + 1)**2 - x**2 - 2*x - 1, Context())
    False
    """
    import random

    from . import intervals
    from .kernel import at_point

    atoms = expr.free_symbols | set().union(*(r.free_symbols for r in ctx.relations))
    indexed = sorted(expr.atoms(sp.Indexed) | set().union(*(r.atoms(sp.Indexed)
                                                            for r in ctx.relations)), key=str)
    # a family's name is not a value: r[j] gets values, its label r does not
    labels = {i.base.label for i in indexed}
    syms = sorted((a for a in atoms if isinstance(a, sp.Symbol) and a not in labels), key=str)
    if any(not isinstance(i.base.label, sp.Symbol) for i in indexed) or \
            any(s.is_real is not True for s in syms):
        return False
    rng = random.Random(20261202)
    for _ in range(SCREEN_POINTS):
        try:
            point = _screen_point([*syms, *indexed], ctx, rng)
            if point is None:
                continue
            value = at_point(ctx.eliminate(expr), point)
            sides = [(r.func, at_point(r.lhs, point), at_point(r.rhs, point))
                     for r in ctx.relations]
            family = _family_values([value, *(e for _, a, b in sides for e in (a, b))], ctx, rng)
            if family is None:
                continue
            if family:
                value = carry_out(value.xreplace(family))
                sides = [(f, carry_out(a.xreplace(family)), carry_out(b.xreplace(family)))
                         for f, a, b in sides]
            # Arb alone on the relations (a random point never sits on a boundary);
            # an undecided relation skips the point
            if not all(intervals.decide(f(a, b, evaluate=False), {}, max_prec=256) is True
                       for f, a, b in sides):
                continue
            if value.free_symbols:
                return False
            if intervals.excludes_zero(intervals.arb_eval(value, {}, prec=128)):
                return True
        except Exception:  # noqa: BLE001 - the screen only ever gives up
            continue
    return False


def prove_zero(expr: sp.Basic, ctx: Context) -> str | None:
    """Name of the rewrite that reduces ``expr`` to 0 under ``ctx``, else None.

    Finite-domain symbols are expanded case by case (every case must reduce).
    Raises :class:`BudgetExhausted` when a deterministic budget runs out
    before any rewrite succeeded."""
    expr = ctx.eliminate(sp.sympify(expr))
    methods: list[str] = []
    for sub, case in ctx.instances(expr):
        case = carry_out(ctx.eliminate(case))
        ladder = list(_LADDER)
        if case.has(sp.Sum):   # sums over a symbolic range: the power-sum rewrite first
            ladder.sort(key=lambda name: name != "power sums")
        found, exhausted = None, None
        if visibly_nonzero(case, ctx.specialised(sub)):
            return None
        for name in ladder:
            if not _worth_trying(name, case):
                continue
            try:
                if reduces_to_zero(case, name, ctx):
                    found = name
                    break
            except BudgetExhausted as exc:
                exhausted = exc
            except (TypeError, ValueError, NotImplementedError, RecursionError,
                    sp.PolynomialError, AttributeError, ZeroDivisionError, StopIteration):
                continue
        if found is None:
            if exhausted is not None:
                raise exhausted
            return None
        if found not in methods:
            methods.append(found)
    return "+".join(methods)
