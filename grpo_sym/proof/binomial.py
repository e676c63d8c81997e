"""Finite sums over a symbolic range: index shift, split and merge, binomial identities.

The paper's finite-group facts are sums over binomial laws of a symbolic size G:
``sum_{k=0}^{G-1} C(G-1, k) q^k (1-q)^(G-1-k) a_k``.  SymPy's ``simplify`` does not relate two
such sums whose ranges differ (``j = k + 1``), and the sign rules do not see that
``C(G, j) >= 0``.  This module holds the rules that do, each a small function, and the one
decision procedure the kernel (:mod:`~grpo_sym.proof.kernel`) calls.

Rules that *propose* (untrusted: what they return is checked by the kernel like any other
rewrite, so a wrong rule is caught, not believed):

==========================  ====================================================================
rule                        rewrites
==========================  ====================================================================
``shift_index(s, d)``       ``sum_{k=lo}^{hi} f(k)`` as ``sum_{k=lo+d}^{hi+d} f(k - d)``
``split_first(s)``          ``sum_{lo}^{hi} f`` as ``f(lo) + sum_{lo+1}^{hi} f``
``split_last(s)``           ``sum_{lo}^{hi} f`` as ``sum_{lo}^{hi-1} f + f(hi)``
``merge_sums(s, t)``        two sums over one range as one sum
``pascal(e)``               ``C(n, k)`` as ``C(n-1, k) + C(n-1, k-1)``
``absorption(e)``           ``k C(n, k)`` as ``n C(n-1, k-1)``
``bernstein_sum``           ``B_n[c](x) = sum_{j=0}^n C(n, j) x^j (1-x)^(n-j) c(j)``
``bernstein_derivative``    ``d/dx B_n[c] = n sum_{k=0}^{n-1} C(n-1, k) x^k (1-x)^(n-1-k) (c(k+1) - c(k))``
``second_difference``       ``d^2/dx^2 B_n[c] = n (n-1) sum_k C(n-2, k) x^k (1-x)^(n-2-k) D2 c(k)``
``elevate_degree``          ``B_n[c] = B_{n+1}[c']``, ``c'(j) = (j/(n+1)) c(j-1) + (1 - j/(n+1)) c(j)``
==========================  ====================================================================

What the kernel *trusts* here (each a theorem, proved in general in
``tests/test_binomial_rules.py``, and each refusing what it cannot see):

* :func:`range_parametrisation` -- ``(k, G) -> (a, b) = (k - lo, hi - k)`` is a bijection of
  ``{(k, G): lo <= k <= hi, G in its domain}`` onto the non-negative integer pairs with
  ``G(a, b)`` in that domain (the constraint kept as a relation); so a summand is zero (or
  non-negative) at every index of every range iff its parametrised form is, for all ``a, b``.
* :func:`summand_vanishes` -- the parametrised summand reduced by SymPy's ``combsimp`` (binomials
  as factorial ratios), only when every ``C(n, m)`` in it has ``m >= 0`` and ``n - m >= 0``
  visibly (where ``C(n, m) = n!/(m! (n-m)!)``), then the kernel's own ladder.
* :func:`sum_normal_form` -- the finite-sum bookkeeping: linearity, a shift of the index (a
  bijection of the ranges), degree elevation (``x + (1 - x) = 1``), splitting a sum at a point
  inside its range (only when the remaining range is visibly not reversed), merging sums over one
  range.  A summand that vanishes term by term drops out.
* :func:`split_at_threshold` -- a sum over ``lo..hi`` of ``f(i, [i <= t])`` (the bracket
  :class:`AtMost`) is ``sum_{lo}^{t} f(i, 1) + sum_{t+1}^{hi} f(i, 0)``, only when ``t`` is an
  integer with ``lo - 1 <= t <= hi`` visibly (both parts not reversed; either may be empty).  This is how the
  mean and the variance of a group whose first positions hold one reward and the others
  another come out for a symbolic size.
* the sign rule ``C(n, m) >= 0`` for an integer ``n >= 0`` and ``> 0`` when ``0 <= m <= n``
  (in :func:`grpo_sym.proof.kernel.is_nonnegative`), and :func:`summand_sign`, the sign of a
  summand under the range parametrisation.

>>> from sympy import IndexedBase, Sum, Symbol, binomial
>>> n = Symbol("n_binomial_demo", integer=True, positive=True)
>>> c, x = IndexedBase("c"), Symbol("x_binomial_demo", positive=True)
>>> k = Symbol("k", integer=True)
>>> from grpo_sym.proof.kernel import Context
>>> sum_normal_form(bernstein_sum(n, x, lambda j: c[j]).diff(x)
...                 - bernstein_derivative(n, x, lambda j: c[j]), Context())
0
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

__all__ = ["INDEX", "shift_index", "split_first", "split_last", "merge_sums", "pascal",
           "absorption", "bernstein_sum", "bernstein_derivative", "second_difference",
           "elevate_degree", "range_parametrisation", "summand_vanishes", "summand_sign",
           "AtMost", "split_at_threshold", "sum_normal_form"]

# reserved names, not Dummies (whose numbering depends on history: output must be deterministic)
INDEX = sp.Symbol("j__", integer=True)            # the canonical index of a normal form
_A = sp.Symbol("a__", integer=True, nonnegative=True)   # k - lo
_B = sp.Symbol("b__", integer=True, nonnegative=True)   # hi - k


# -- rules that propose ----------------------------------------------------------------

def _one_limit(s: sp.Sum) -> tuple[sp.Symbol, sp.Expr, sp.Expr]:
    if not isinstance(s, sp.Sum) or len(s.limits) != 1:
        raise ValueError(f"expected a sum over one index, got {s}")
    return s.limits[0]


def shift_index(s: sp.Sum, d) -> sp.Sum:
    """``sum_{k=lo}^{hi} f(k) = sum_{k=lo+d}^{hi+d} f(k - d)``.

    >>> from sympy import Sum, Symbol, IndexedBase
    >>> k, n, c = Symbol("k", integer=True), Symbol("n", integer=True), IndexedBase("c")
    >>> shift_index(Sum(c[k], (k, 0, n - 1)), 1)
    Sum(c[k - 1], (k, 1, n))
    """
    k, lo, hi = _one_limit(s)
    return sp.Sum(s.function.xreplace({k: k - d}), (k, lo + d, hi + d))


def split_first(s: sp.Sum) -> sp.Expr:
    """``sum_{lo}^{hi} f = f(lo) + sum_{lo+1}^{hi} f`` (for a range that is not empty).

    >>> from sympy import Sum, Symbol, IndexedBase
    >>> k, n, c = Symbol("k", integer=True), Symbol("n", integer=True), IndexedBase("c")
    >>> split_first(Sum(c[k], (k, 0, n)))
    c[0] + Sum(c[k], (k, 1, n))
    """
    k, lo, hi = _one_limit(s)
    return s.function.xreplace({k: lo}) + sp.Sum(s.function, (k, lo + 1, hi))


def split_last(s: sp.Sum) -> sp.Expr:
    """``sum_{lo}^{hi} f = sum_{lo}^{hi-1} f + f(hi)`` (for a range that is not empty).

    >>> from sympy import Sum, Symbol, IndexedBase
    >>> k, n, c = Symbol("k", integer=True), Symbol("n", integer=True), IndexedBase("c")
    >>> split_last(Sum(c[k], (k, 0, n)))
    c[n] + Sum(c[k], (k, 0, n - 1))
    """
    k, lo, hi = _one_limit(s)
    return sp.Sum(s.function, (k, lo, hi - 1)) + s.function.xreplace({k: hi})


def merge_sums(s: sp.Sum, t: sp.Sum) -> sp.Sum:
    """``sum_{lo}^{hi} f + sum_{lo}^{hi} g = sum_{lo}^{hi} (f + g)`` (one range, any indices).

    Raises ValueError naming ``t`` when the ranges differ.

    >>> from sympy import Sum, Symbol, IndexedBase
    >>> k, j, n = Symbol("k", integer=True), Symbol("j", integer=True), Symbol("n", integer=True)
    >>> c, d = IndexedBase("c"), IndexedBase("d")
    >>> merge_sums(Sum(c[k], (k, 0, n)), Sum(d[j], (j, 0, n)))
    Sum(c[k] + d[k], (k, 0, n))
    """
    k, lo, hi = _one_limit(s)
    j, lo2, hi2 = _one_limit(t)
    if (lo, hi) != (lo2, hi2):
        raise ValueError(f"t must range over {lo}..{hi}, got {lo2}..{hi2}")
    return sp.Sum(s.function + t.function.xreplace({j: k}), (k, lo, hi))


def pascal(e: sp.Expr) -> sp.Expr:
    """Every ``C(n, k)`` as ``C(n-1, k) + C(n-1, k-1)`` (Pascal's rule).

    >>> from sympy import binomial, Symbol
    >>> n, k = Symbol("n", integer=True), Symbol("k", integer=True)
    >>> pascal(binomial(n, k))
    binomial(n - 1, k) + binomial(n - 1, k - 1)
    """
    return e.replace(lambda x: isinstance(x, sp.binomial),
                     lambda x: sp.binomial(x.args[0] - 1, x.args[1])
                     + sp.binomial(x.args[0] - 1, x.args[1] - 1))


def absorption(e: sp.Expr) -> sp.Expr:
    """Every ``C(n, k)`` as ``(n/k) C(n-1, k-1)`` (from ``k C(n, k) = n C(n-1, k-1)``).

    >>> from sympy import binomial, Symbol
    >>> n, k = Symbol("n", integer=True), Symbol("k", integer=True)
    >>> absorption(k * binomial(n, k))
    n*binomial(n - 1, k - 1)
    """
    return e.replace(lambda x: isinstance(x, sp.binomial),
                     lambda x: x.args[0] / x.args[1] * sp.binomial(x.args[0] - 1, x.args[1] - 1))


def bernstein_sum(n, x: sp.Expr, coeff: Callable[[sp.Expr], sp.Expr],
                  index: sp.Symbol = INDEX) -> sp.Sum:
    """``B_n[c](x) = sum_{j=0}^{n} C(n, j) x^j (1 - x)^(n-j) c(j)``, unevaluated.

    ``coeff(j)`` is the coefficient at index ``j`` (``f(j/n)`` for a Bernstein polynomial of f).

    >>> from sympy import Rational
    >>> bernstein_sum(2, Rational(1, 2), lambda j: j).doit()
    1
    """
    return sp.Sum(sp.binomial(n, index) * x**index * (1 - x)**(n - index) * coeff(index),
                  (index, 0, n))


def bernstein_derivative(n, x: sp.Expr, coeff: Callable[[sp.Expr], sp.Expr],
                         index: sp.Symbol = INDEX) -> sp.Expr:
    """``d/dx B_n[c] = n sum_{k=0}^{n-1} C(n-1, k) x^k (1-x)^(n-1-k) (c(k+1) - c(k))``.

    >>> from sympy import Rational
    >>> bernstein_derivative(2, Rational(1, 3), lambda j: j**2).doit()
    10/3
    """
    return n * sp.Sum(sp.binomial(n - 1, index) * x**index * (1 - x)**(n - 1 - index)
                      * (coeff(index + 1) - coeff(index)), (index, 0, n - 1))


def second_difference(n, x: sp.Expr, coeff: Callable[[sp.Expr], sp.Expr],
                      index: sp.Symbol = INDEX) -> sp.Expr:
    """``d^2/dx^2 B_n[c] = n (n-1) sum_{k=0}^{n-2} C(n-2, k) x^k (1-x)^(n-2-k)
    (c(k+2) - 2 c(k+1) + c(k))``.

    >>> from sympy import Rational
    >>> second_difference(3, Rational(1, 3), lambda j: j**2).doit()
    12
    """
    return n * (n - 1) * sp.Sum(sp.binomial(n - 2, index) * x**index * (1 - x)**(n - 2 - index)
                                * (coeff(index + 2) - 2 * coeff(index + 1) + coeff(index)),
                                (index, 0, n - 2))


def elevate_degree(n, x: sp.Expr, coeff: Callable[[sp.Expr], sp.Expr],
                   index: sp.Symbol = INDEX) -> sp.Sum:
    """``B_n[c]`` written in degree ``n + 1``: coefficients
    ``(j/(n+1)) c(j-1) + (1 - j/(n+1)) c(j)``, ``j = 0..n+1`` (``c(-1)``, ``c(n+1)`` enter with
    weight 0).

    >>> from sympy import Rational
    >>> elevate_degree(2, Rational(1, 3), lambda j: j**2).doit()
    8/9
    """
    m = n + 1
    return sp.Sum(sp.binomial(m, index) * x**index * (1 - x)**(m - index)
                  * (index / m * coeff(index - 1) + (1 - index / m) * coeff(index)),
                  (index, 0, m))


# -- what the kernel trusts ---------------------------------------------------------------

def range_parametrisation(f: sp.Expr, idx: sp.Symbol, lo: sp.Expr, hi: sp.Expr, ctx):
    """``(f(a, b), context)`` with ``idx = lo + a`` and the size ``n`` (the one integer symbol of
    ``hi - lo``, entering with coefficient +-1) solved from ``hi - lo = a + b``; ``a, b`` are
    non-negative integers and the size's domain becomes a relation.  None when the range does
    not have that shape (a fixed length, two sizes, ``2 G``) or the size ranges over a finite set.

    >>> from sympy import Symbol, binomial
    >>> from grpo_sym.proof.kernel import Context
    >>> G, k = Symbol("G_demo", integer=True, positive=True), Symbol("k", integer=True)
    >>> g, c = range_parametrisation(binomial(G - 1, k), k, 0, G - 1, Context())
    >>> g, c.relations
    (binomial(a__ + b__, a__), (a__ + b__ + 1 > 0,))
    """
    from .kernel import Context
    from .domains import is_finite_domain

    lo, hi = sp.sympify(lo), sp.sympify(hi)
    span = sp.expand(hi - lo)
    sizes = [s for s in span.free_symbols if getattr(s, "is_integer", False)]
    if len(sizes) != 1 or sizes[0] == idx:
        return None
    (n,) = sizes
    slope = span.coeff(n)
    if slope not in (1, -1) or sp.expand(span - slope * n).has(n):
        return None
    dom = ctx.domain(n)
    if is_finite_domain(dom):
        return None
    n_val = sp.expand(n + (_A + _B - span) / slope)
    sub = {n: n_val}
    sub[idx] = sp.expand(lo.xreplace(sub) + _A)
    relations = [r.xreplace(sub) for r in ctx.relations]
    if dom.inf.is_finite:
        relations.append((sp.Gt if dom.inf not in dom else sp.Ge)(n_val, dom.inf, evaluate=False))
    if dom.sup.is_finite:
        relations.append((sp.Lt if dom.sup not in dom else sp.Le)(n_val, dom.sup, evaluate=False))
    relations = [r for r in relations if r is not sp.true]
    if any(r is sp.false for r in relations):
        return None
    return f.xreplace(sub), Context(ctx.domains, tuple(relations), ctx.simplices)


def _binomials_in_range(e: sp.Expr, ctx) -> bool:
    """Every ``C(n, m)`` in ``e`` has ``m >= 0`` and ``n - m >= 0`` visibly: there it is the
    factorial ratio ``n!/(m! (n-m)!)`` that ``combsimp`` works with."""
    from .kernel import is_nonnegative

    return all(x.args[1].is_integer and x.args[0].is_integer
               and is_nonnegative(x.args[1], ctx) and is_nonnegative(x.args[0] - x.args[1], ctx)
               for x in e.atoms(sp.binomial))


def summand_vanishes(f: sp.Expr, idx: sp.Symbol, lo: sp.Expr, hi: sp.Expr, ctx) -> bool:
    """Is ``f(idx) = 0`` at every ``idx`` of ``lo..hi`` (for every size in its domain)?

    By :func:`range_parametrisation`, then SymPy's ``combsimp`` (binomials of non-negative
    integers only) and the kernel's ladder (:func:`grpo_sym.proof.checks.prove_zero`).

    >>> from sympy import Symbol, binomial
    >>> from grpo_sym.proof.kernel import Context
    >>> G, k = Symbol("G", integer=True, positive=True), Symbol("k", integer=True)
    >>> summand_vanishes(k * binomial(G, k) - G * binomial(G - 1, k - 1), k, 1, G, Context())
    True
    >>> summand_vanishes(k * binomial(G, k) - G * binomial(G - 1, k), k, 1, G, Context())
    False
    """
    from .checks import prove_zero

    found = range_parametrisation(f, idx, lo, hi, ctx)
    if found is None:
        return sp.expand(f) == 0
    g, inner = found
    if not _binomials_in_range(g, inner):
        return False
    g = sp.combsimp(g) if g.has(sp.binomial) else g
    if g.has(sp.Sum, sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    return sp.expand(g) == 0 or prove_zero(g, inner) is not None


def summand_sign(s: sp.Sum, ctx, strict: bool) -> bool:
    """Is every term of the one-index sum ``s`` visibly >= 0 (> 0), by the range
    parametrisation?  (Strictly: also a non-empty range.)"""
    from .kernel import is_nonnegative

    if len(s.limits) != 1:
        return False
    idx, lo, hi = s.limits[0]
    found = range_parametrisation(s.function, idx, lo, hi, ctx)
    if found is None:
        return False
    g, inner = found
    if strict and not is_nonnegative(hi - lo, ctx):
        return False
    return is_nonnegative(g, inner, strict) or is_nonnegative(sp.factor(g), inner, strict)


class AtMost(sp.Function):
    """The Iverson bracket ``[i <= t]``: 1 for integers ``i <= t``, else 0 (``AtMost(i, t)``).

    It evaluates where the sign of ``t - i`` is known (concrete, or by assumptions), and
    otherwise stays: a group whose first ``c`` positions hold ``u`` and the others ``v`` has
    rewards ``v + (u - v) [i <= c]`` for a symbolic ``c``.  Defined and real (0 or 1) wherever
    its arguments are (``polynomial_in_its_arguments``, the kernel's flag for that).

    >>> from sympy import Symbol
    >>> c = Symbol("c", integer=True, positive=True)
    >>> AtMost(2, 3), AtMost(4, 3), AtMost(1, c), AtMost(c + 1, c)
    (1, 0, 1, 0)
    """

    nargs = 2
    is_integer = True
    is_nonnegative = True
    polynomial_in_its_arguments = True

    @classmethod
    def eval(cls, i, t):
        gap = t - i
        if gap.is_nonnegative:
            return sp.S.One
        if gap.is_negative:
            return sp.S.Zero
        return None

    def _latex(self, printer, exp=None) -> str:
        tex = r"[%s \le %s]" % (printer._print(self.args[0]), printer._print(self.args[1]))
        return tex if exp is None else r"%s^{%s}" % (tex, exp)


def split_at_threshold(e: sp.Basic, ctx) -> sp.Basic:
    """Every one-index sum ``sum_{i=lo}^{hi} f(i, [i <= t])`` written
    ``sum_{lo}^{t} f(i, 1) + sum_{t+1}^{hi} f(i, 0)``.

    Sound: for an integer ``t`` (free of ``i``) with ``lo - 1 <= t <= hi`` the range ``lo..hi``
    is the disjoint union of ``lo..t`` and ``t+1..hi`` (neither reversed, either may be empty),
    on which ``[i <= t]`` is 1 and 0.  The rule fires only when both inequalities are visibly
    true (:func:`~grpo_sym.proof.kernel.is_nonnegative`) and the summand holds one bracket of
    the index; otherwise the sum stays as it is.

    >>> from sympy import Sum, Symbol
    >>> from grpo_sym.proof.kernel import Context
    >>> i, t = Symbol("i", integer=True), Symbol("t", integer=True, nonnegative=True)
    >>> n = Symbol("n", integer=True, nonnegative=True)
    >>> split_at_threshold(Sum(1 + AtMost(i, t), (i, 1, t + n)), Context())
    Sum(1, (i, t + 1, n + t)) + Sum(2, (i, 1, t))
    >>> split_at_threshold(Sum(1 + AtMost(i, t), (i, 1, n)), Context())     # t > n possible
    Sum(AtMost(i, t) + 1, (i, 1, n))
    """
    from .kernel import is_nonnegative

    if not (isinstance(e, sp.Basic) and e.has(sp.Sum) and e.has(AtMost)):
        return e

    def split(s: sp.Sum) -> sp.Basic:
        if len(s.limits) != 1:
            return s
        idx, lo, hi = s.limits[0]
        brackets = {b for b in s.function.atoms(AtMost) if idx in b.free_symbols}
        if len(brackets) != 1:
            return s
        (bracket,) = brackets
        at, t = bracket.args
        if at != idx or idx in t.free_symbols or t.is_integer is not True:
            return s
        if not (is_nonnegative(t - lo + 1, ctx) and is_nonnegative(hi - t, ctx)):
            return s
        return (sp.Sum(s.function.xreplace({bracket: sp.S.One}), (idx, lo, t))
                + sp.Sum(s.function.xreplace({bracket: sp.S.Zero}), (idx, t + 1, hi)))

    return e.replace(lambda x: isinstance(x, sp.Sum) and x.function.has(AtMost), split)


# -- the normal form ----------------------------------------------------------------------

def _additive_terms(e: sp.Expr) -> list[sp.Expr]:
    """``e`` distributed over its numerators' sums (denominators and powers kept as they are:
    the exponent of the basis variable must stay visible)."""
    if isinstance(e, sp.Add):
        return [t for a in e.args for t in _additive_terms(a)]
    if isinstance(e, sp.Mul):
        out = [sp.S.One]
        for fac in e.args:
            parts = _additive_terms(fac) if isinstance(fac, (sp.Add, sp.Pow)) else [fac]
            out = [o * t for o in out for t in parts]
        return out
    if isinstance(e, sp.Pow) and isinstance(e.base, sp.Add) and e.exp.is_Integer and e.exp > 1:
        return _additive_terms(sp.expand(e))
    return [e]


class _Refused(Exception):
    """The expression is not of the shape the normal form handles: left as it is."""


def _singles(e: sp.Expr) -> tuple[list[tuple[sp.Expr, sp.Expr, sp.Expr]], sp.Expr]:
    """``e`` as (summand in ``INDEX``, lo, hi) one-index sums, one per additive term of the
    summand (linearity; a factor outside moves inside), plus the sum-free rest."""
    singles, rest = [], []
    for t in _additive_terms(e):
        sums = [x for x in sp.Mul.make_args(t) if isinstance(x, sp.Sum)]
        if not sums:
            if t.has(sp.Sum):
                raise _Refused(f"a sum inside a function: {t}")
            rest.append(t)
            continue
        if len(sums) != 1 or len(sums[0].limits) != 1:
            raise _Refused(f"a product of sums or a multiple sum: {t}")
        (s,) = sums
        k, lo, hi = s.limits[0]
        outside = sp.Mul(*[x for x in sp.Mul.make_args(t) if x is not s])
        if outside.has(sp.Sum) or s.function.has(sp.Sum) or INDEX in outside.free_symbols:
            raise _Refused(f"nested sums: {t}")
        body = outside * s.function.xreplace({k: INDEX})
        singles.extend((u, lo, hi) for u in _additive_terms(body))
    return singles, sp.Add(*rest)


def _exponent(u: sp.Expr, base: sp.Expr) -> sp.Expr:
    """The exponent of ``base`` in the product ``u`` (powers of one base combined): its numeric
    powers and the powers that move with the index."""
    total = sp.S.Zero
    for fac in sp.Mul.make_args(sp.powsimp(u)):
        b, e = fac.as_base_exp()
        if b == base and (e.is_Rational or INDEX in e.free_symbols):
            total += e
    return total


def _variable(singles) -> sp.Symbol | None:
    """The variable of the Bernstein basis: a symbol raised to a power that moves with the
    index in some summand (the first by name)."""
    found = set()
    for u, _, _ in singles:
        for fac in sp.Mul.make_args(sp.powsimp(u)):
            base, ex = fac.as_base_exp()
            if isinstance(base, sp.Symbol) and INDEX in ex.free_symbols:
                found.add(base)
    return min(found, key=str) if found else None


def _aligned(u, lo, hi, x):
    """Shift so that the exponent of ``x`` is the index plus a fraction in [0, 1)
    (``x^(j + c)``: by ``floor(c)``; ``x^(j + 1/2)`` and ``x^(j - 1/2)`` land on one index)."""
    if x is None:
        return u, lo, hi
    ex = sp.expand(_exponent(u, x))
    c = sp.expand(ex - INDEX)
    if c.has(INDEX):
        return u, lo, hi     # not of the form x^(j + c): left where it is
    if c.is_Rational:
        c = sp.floor(c)
    elif c.is_integer is not True:
        return u, lo, hi
    return u.xreplace({INDEX: INDEX - c}), sp.expand(lo + c), sp.expand(hi + c)


def _degree(u, x):
    """Total degree in ``x`` and ``1 - x`` (free of the index), or None."""
    d = sp.expand(_exponent(u, x) + _exponent(u, 1 - x))
    return None if d.has(INDEX) else d


def _elevated(singles, x):
    """Raise every summand to the largest degree (times ``x + (1 - x)``), then re-align."""
    degrees = [_degree(u, x) for u, _, _ in singles]
    if any(d is None for d in degrees) or len(set(degrees)) < 2:
        return singles
    top = degrees[0]
    for d in degrees[1:]:
        gap = sp.expand(d - top)
        if not gap.is_Integer:
            return singles
        if gap > 0:
            top = d
    out = []
    for (u, lo, hi), d in zip(singles, degrees):
        todo = [(u, lo, hi)]
        for _ in range(int(sp.expand(top - d))):
            todo = [w for v, l_, h_ in todo
                    for w in (_aligned(v * x, l_, h_, x), (v * (1 - x), l_, h_))]
        out.extend(todo)
    return out


def _peel(u, lo, hi, L, H):
    """Terms of ``sum_{lo}^{hi} u`` outside ``L..H`` (``lo <= L``, ``H <= hi``), one by one."""
    terms = [u.xreplace({INDEX: lo + t}) for t in range(int(sp.expand(L - lo)))]
    terms += [u.xreplace({INDEX: H + 1 + t}) for t in range(int(sp.expand(hi - H)))]
    if any(t.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for t in terms):
        raise _Refused("a peeled term is not a finite number")
    return terms


def sum_normal_form(e: sp.Expr, ctx) -> sp.Expr:
    """``e`` with its one-index sums over symbolic ranges aligned and merged (a rewrite of
    equal value; ``e`` unchanged when it does not have that shape).

    Every sum is split into one sum per additive term of its summand (linearity) and shifted so
    that the exponent of the basis variable ``x`` is the index (``x^(j+c)`` by ``c``); sums of
    lower total degree in ``x, 1 - x`` are raised (times ``x + (1 - x)``); the ranges, which
    must then differ by integers, are cut to their common part (the terms outside written out,
    only when that part is visibly not reversed) and the sums merged into one, which is dropped
    when its summand vanishes term by term (:func:`summand_vanishes`).

    >>> from sympy import Symbol, binomial, Sum
    >>> from grpo_sym.proof.kernel import Context
    >>> G = Symbol("G", integer=True, positive=True)
    >>> k, x = Symbol("k", integer=True), Symbol("x", positive=True)
    >>> s = Sum(binomial(G, k) * x**k * (1 - x)**(G - k), (k, 0, G))
    >>> sum_normal_form(s - 1, Context())       # degree elevation G times is not a rule: kept
    Sum(x**j__*(1 - x)**(G - j__)*binomial(G, j__), (j__, 0, G)) - 1
    >>> sum_normal_form(s - Sum(binomial(G, k) * x**k * (1 - x)**(G - k), (k, 0, G)), Context())
    0
    """
    from .checks import prove_zero
    from .kernel import is_nonnegative

    try:
        singles, rest = _singles(e)
        if not singles:
            return e
        x = _variable(singles)
        singles = [_aligned(u, lo, hi, x) for u, lo, hi in singles]
        if x is not None:
            singles = _elevated(singles, x)
        lo0, hi0 = singles[0][1], singles[0][2]
        for _, lo, hi in singles:
            if not (sp.expand(lo - lo0).is_Integer and sp.expand(hi - hi0).is_Integer):
                raise _Refused("ranges that do not differ by integers")
        L = max((lo for _, lo, _ in singles), key=lambda v: sp.expand(v - lo0))
        H = min((hi for _, _, hi in singles), key=lambda v: sp.expand(v - hi0))
        if not is_nonnegative(H - L + 1, ctx):
            raise _Refused("the common range may be reversed")
        loose = rest + sp.Add(*[t for u, lo, hi in singles for t in _peel(u, lo, hi, L, H)])
        merged = sp.Add(*[u for u, _, _ in singles])
        tail = sp.S.Zero if summand_vanishes(merged, INDEX, L, H, ctx) else \
            sp.Sum(merged, (INDEX, L, H))
        # the terms outside the sums: zero by the kernel's ladder, or kept as they are
        if sp.expand(loose) == 0 or (not loose.has(sp.Sum) and prove_zero(loose, ctx)):
            loose = sp.S.Zero
        return loose + tail
    except _Refused:
        return e
