"""The trusted kernel: the only code that turns SymPy's answers into ``proved``.

Strategies (:mod:`~grpo_sym.proof.checks`: which rewrite to try, in which order)
and proof objects (:mod:`~grpo_sym.proof.proofs`: what a rule claims) only
*propose*; every "this is zero", "this is non-negative", "this is defined" that
a verdict rests on is decided here.  The kernel refuses floating-point numbers
outright (a ``Float`` is not an exact value anyone meant), and its budgets are
deterministic (sizes and case counts, never the clock).

What it trusts, and why each is sound
-------------------------------------
1. **Declared domains** (:mod:`~grpo_sym.proof.domains`).  A symbol declared in
   ``(0, 1)`` is given SymPy's ``positive`` assumption; a symbol with no
   ``real`` assumption is never treated as real.
2. **Value-preserving rewrites** (:data:`REWRITES`): SymPy's ``expand``,
   ``cancel(together(.))``, ``factor``, ``radsimp``, ``expand_log`` (without
   ``force``), ``simplify``, ``piecewise_fold`` and ``rewrite(Abs)``.  Each
   returns an expression equal to its input at every point where the input is
   defined, under the symbols' assumptions.  So "a rewrite gives the literal 0"
   proves "zero wherever defined"; that the statement is *defined* everywhere
   on its domain is a separate obligation (:func:`undefined_reason`), which is
   how ``(x**2 - 1)/(x - 1) = x + 1`` on the reals is refused.
3. **Rewrites of our own**: :func:`power_sums` (linearity of a finite sum
   over a full index range; ``sum_{j=1}^G c = G c``; independent indices
   factor), :func:`delta_sums` (SymPy's exact ``deltasummation``:
   ``sum_o delta(m, o) f(o) = f(m)`` where ``m`` is in range, else 0; a branch
   whose condition is an assumed relation is the one taken),
   :func:`symmetrised_sums` (a finite double sum over one range equals its
   mirror, the two indices exchanged), :func:`permuted_sums` (a finite sum over
   ``1..n`` reindexed by a bijection of ``1..n``: ``sum_j f(sigma(j)) = sum_j f(j)``
   when ``j`` enters ``f`` only through ``sigma(j)``, where ``sigma`` is a
   :class:`IndexPermutation` of exactly that range) and :func:`positive_parametrisation`
   (``x = lo + (hi - lo) u/(1+u)`` is a bijection of ``(lo, hi)`` onto ``u > 0``:
   a statement holds for every ``x`` iff it holds for every ``u``), and
   ``binomial sums`` (:func:`grpo_sym.proof.binomial.sum_normal_form`: index
   shift, split and merge of sums over a symbolic range, a sum split where its
   summand changes at an index threshold, a summand that
   vanishes term by term by ``combsimp`` on in-range binomials; each rule a
   theorem proved in ``tests/test_binomial_rules.py``).  Carrying out a
   derivative (:func:`carry_out`) keeps a binomial sum over a symbolic range a
   sum (:func:`held_sums`: differentiated term by term, never handed to SymPy's
   symbolic summation, whose run time on radical summands is unbounded).
4. **Structural sign rules** (:func:`is_nonnegative`): a sum of non-negative
   terms, a product whose factors have known signs, an even power *of a real*,
   ``exp`` *of a real*, a power of a positive base with a real exponent,
   ``sqrt`` of a non-negative, ``|real|``, ``log(y)`` with ``y >= 1``, a
   symbol by its domain, ``a + b x`` by its values at both ends of the domain,
   ``k sqrt(X) + R`` by ``k^2 X - R^2`` (with ``R`` real), ``C(n, m) >= 0``
   (``> 0`` for ``0 <= m <= n``), a sum by its summand at ``k = lo + a``,
   ``hi - k = b`` (:func:`grpo_sym.proof.binomial.summand_sign`), and an equal form
   proposed by ``factor``, the positive parametrisation or, for a sum of a delta or a
   permutation, the sum rewrites of 3.  Realness is always
   proved (:func:`is_real`) before a square or an exponential counts.
5. **Operators that declare ``polynomial_in_its_arguments``** (the paper's
   expectations over a finite set of groups: ``GroupAverage`` and the like) are
   defined and real where their arguments are: they are finite sums of
   products of them.  This trusts the declaration, as the rules above trust
   SymPy's own functions; nothing else about such an operator is assumed.
6. **Sets in existence statements** (:func:`set_undefined_reason`): ``{x in I | E}``
   (``ConditionSet``) over an interval with defined ends, such an interval and the empty
   set are defined:
   a point where ``E`` is undefined is simply not in the set.  That such a set is
   non-empty is never trusted: :class:`~grpo_sym.proof.proofs.IntermediateValue` shows it
   from a sign change of a function it proves continuous (the decisions are the ones of
   2.-4.: defined at every point of the closed interval, a sign at each end), and
   :class:`~grpo_sym.proof.proofs.RootThreshold` a set of parameters from two proved claims.
7. **Exact numbers**: SymPy's arithmetic on rationals; :mod:`intervals` (Arb
   enclosures; annihilating polynomials by exact resultants in FLINT for
   algebraic zeros, never SymPy's ``minimal_polynomial``) decides
   signs of constants and relations at exact points.

>>> from sympy import Interval, I, Rational, sqrt, Symbol
>>> from grpo_sym.proof.domains import variable
>>> p = variable("p_kernel_demo", Interval.open(0, 1))
>>> t = variable("t_kernel_demo", Interval(-1, 1))
>>> ctx = Context()
>>> is_nonnegative((1 - p) * sqrt(p) + (p - Rational(1, 2))**2, ctx)
True
>>> is_nonnegative((p + I*t)**2 + (p - I*t)**2, ctx)    # 2p^2 - 2t^2 in disguise
False
>>> undefined_reason((p**2 - 1)/(p - 1), ctx) is None       # p < 1: p - 1 never vanishes
True
>>> undefined_reason(1/t, ctx)
'1/t_kernel_demo: t_kernel_demo may vanish'
"""
from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence

import sympy as sp
from sympy.combinatorics import Permutation

from .domains import OnSimplex, domain_of, is_finite_domain, split_conditions

__all__ = [
    "Context", "BudgetExhausted", "REWRITES", "MAX_CASES", "MAX_NODES", "reduces_to_zero",
    "power_sums", "delta_sums", "symmetrised_sums", "IndexPermutation", "permuted_sums",
    "double_sum_limits", "positive_parametrisation", "carry_out", "is_real", "is_nonnegative",
    "is_positive", "is_nonzero", "undefined_reason", "set_undefined_reason", "size", "holds_at",
    "member", "at_point", "held_sums", "released_sums",
]

MAX_CASES = 512       # finite domains exhausted case by case, at most this many cases
MAX_NODES = 6000      # larger expressions are not handed to simplify/factor/radsimp


class BudgetExhausted(Exception):
    """A deterministic budget ran out: the question is left undecided."""


def size(e: sp.Basic) -> int:
    """Number of nodes of ``e`` (the deterministic measure the budgets use)."""
    return sum(1 for _ in sp.preorder_traversal(e))


# -- what may be assumed ----------------------------------------------------------------

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

    @property
    def key(self) -> tuple:
        """What the context assumes, as a hashable value (memo keys: an ``id``
        may be reused by a later context that assumes something else)."""
        return (tuple(sorted(((str(k), v) for k, v in self.domains.items()), key=str)),
                tuple(self.relations), tuple(self.simplices))

    def assuming(self, *relations: sp.Basic) -> "Context":
        """The same context with further relations assumed."""
        return Context(self.domains, (*self.relations, *relations), self.simplices)

    def specialised(self, case: Mapping) -> "Context":
        """The context of one finite case: its relations at those values."""
        if not case:
            return self
        from .mpeval import write_out
        rels = tuple(carry_out(write_out(r.xreplace(case))) for r in self.relations)
        return Context(self.domains, tuple(r for r in rels if r is not sp.true), self.simplices)

    def inside_sum(self, idx: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> "Context":
        """The context inside ``Sum(f, (idx, lo, hi))``: ``f`` is only evaluated
        at ``lo <= idx <= hi``."""
        return Context(self.domains, (*self.relations, sp.Ge(idx, lo, evaluate=False),
                                      sp.Le(idx, hi, evaluate=False)), self.simplices)

    def eliminate(self, expr: sp.Basic) -> sp.Basic:
        """Substitute each simplex's last symbol by one minus the others."""
        for s in self.simplices:
            expr = expr.subs(s.elimination())
        return expr

    def finite_symbols(self, expr: sp.Basic) -> list[sp.Symbol]:
        return sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol)
                       and is_finite_domain(self.domain(s))), key=lambda s: s.name)

    def instances(self, expr: sp.Basic) -> Iterator[tuple[dict, sp.Basic]]:
        """Expand finite-domain symbols: one (substitution, expression) per case.

        Raises :class:`BudgetExhausted` past :data:`MAX_CASES` cases."""
        fin = self.finite_symbols(expr)
        if not fin:
            yield {}, expr
            return
        from .mpeval import write_out

        sizes = [len(self.domain(s)) for s in fin]
        total = 1
        for n in sizes:
            total *= n
        if total > MAX_CASES:
            raise BudgetExhausted(f"budget exhausted: {total} finite cases (cap {MAX_CASES})")
        for values in itertools.product(*(sorted(self.domain(s)) for s in fin)):
            sub = dict(zip(fin, values))
            yield sub, carry_out(write_out(expr.xreplace(sub)))


_CARRY_OUT = (sp.Derivative, sp.Subs, sp.Integral, sp.Product)


def carry_out(expr: sp.Basic) -> sp.Basic:
    """Carry out derivatives, substitutions and integrals, and write out sums
    over concrete ranges; sums over a symbolic range stay (power sums handle them)."""
    from .mpeval import write_out

    if expr.has(*_CARRY_OUT):
        expr = expr.replace(lambda e: isinstance(e, _CARRY_OUT), _done)
    return write_out(expr) if expr.has(sp.Sum) else expr


class _HeldSum(sp.Sum):
    """A sum SymPy's ``doit`` keeps as it is (its summand carried out), still differentiated
    term by term (``Sum._eval_derivative``)."""

    def doit(self, **hints):
        if hints.get("deep", True):
            return self.func(self.function.doit(**hints), *self.limits)
        return self


def _binomial_law_sum(e: sp.Basic) -> bool:
    return isinstance(e, sp.Sum) and not isinstance(e, _HeldSum) and e.function.has(
        sp.binomial) and any(not (lo.is_number and hi.is_number) for _, lo, hi in e.limits)


def held_sums(e: sp.Basic) -> sp.Basic:
    """``e`` with every sum of a binomial law over a symbolic range held (not evaluated by
    SymPy's ``doit``): its symbolic summation of a radical summand (``C(G, k) x^k (1-x)^(G-k)
    sqrt(k)/(sqrt(k) + eps)``) does not finish in minutes, and the binomial-sum rules
    (:mod:`grpo_sym.proof.binomial`) are what decides such sums.  Undone by
    :func:`released_sums`; value-preserving (a sum left as it is).

    >>> G, k = sp.Symbol("G", integer=True, positive=True), sp.Symbol("k", integer=True)
    >>> x = sp.Symbol("x", positive=True)
    >>> s = sp.Sum(sp.binomial(G, k) * x**k * (1 - x)**(G - k), (k, 0, G))
    >>> d = released_sums(sp.Derivative(held_sums(s), x).doit())
    >>> d == sp.Sum(s.function.diff(x), (k, 0, G))
    True
    """
    if not (isinstance(e, sp.Basic) and e.has(sp.Sum)):
        return e
    return e.replace(_binomial_law_sum, lambda s: _HeldSum(*s.args))


def released_sums(e: sp.Basic) -> sp.Basic:
    """Every held sum of :func:`held_sums` back as a plain ``Sum``."""
    if not (isinstance(e, sp.Basic) and e.has(_HeldSum)):
        return e
    return e.replace(lambda s: isinstance(s, _HeldSum), lambda s: sp.Sum(*s.args))


@functools.lru_cache(maxsize=4096)
def _done(e: sp.Basic) -> sp.Basic:
    """``e.doit()`` with binomial-law sums held (:func:`held_sums`), memoised.  Pure memoisation, value-preserving: ``doit`` is a
    function of the immutable expression alone (no context, clock or randomness),
    and an equal expression (SymPy equality: the same tree over the same symbols
    with the same assumptions) gets the result computed for it.  The derivatives
    of a statement's sides are carried out for its definedness check and again in
    ``lhs - rhs`` when the proof is checked."""
    return released_sums(held_sums(e).doit())


# -- rewrites the kernel trusts -------------------------------------------------------

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


def positive_parametrisation(e: sp.Basic, ctx: Context) -> sp.Basic:
    """Rewrite each symbol ``x`` in an open interval ``(lo, hi)`` as
    ``lo + (hi - lo) u/(1 + u)`` with ``u > 0`` (``lo + u`` for ``(lo, oo)``;
    ``lo + (hi - lo)/(1 + u)``, ``hi - (hi - lo)/(1 + u)`` with ``u >= 0`` for
    ``(lo, hi]`` and ``[lo, hi)``).

    A bijection of the domain, so a statement holds for every ``x`` iff it
    holds for every ``u``; afterwards ``x - lo`` and ``hi - x`` are products of
    positive symbols, which lets logarithms and radicals split soundly."""
    subs = {}
    for x in sorted(e.free_symbols, key=str):
        if not isinstance(x, sp.Symbol) or x.is_real is not True:
            continue
        dom = ctx.domain(x)
        if not (isinstance(dom, sp.Interval) and dom.start.is_finite):
            continue
        lo, hi = dom.start, dom.end
        if lo == 0 and dom.left_open and not hi.is_finite:
            continue  # already a positive symbol
        # a reserved name, not a Dummy: Dummies are numbered by a process-wide
        # counter, which would make canonical orderings depend on history
        u = sp.Symbol(f"{x.name}__u", positive=True)
        u0 = sp.Symbol(f"{x.name}__u0", nonnegative=True)
        if dom.left_open and hi.is_finite and dom.right_open:
            subs[x] = lo + (hi - lo) * u / (1 + u)           # (lo, hi) from u > 0
        elif dom.left_open and not hi.is_finite:
            subs[x] = lo + u                                 # (lo, oo) from u > 0
        elif dom.left_open and hi.is_finite:
            subs[x] = lo + (hi - lo) / (1 + u0)              # (lo, hi] from u >= 0
        elif hi.is_finite and dom.right_open:
            subs[x] = hi - (hi - lo) / (1 + u0)              # [lo, hi) from u >= 0
    return e.xreplace(subs) if subs else e


def _parametrised(ctx: Context) -> Callable[[sp.Basic], sp.Basic]:
    def rewrite(e):
        e = positive_parametrisation(e, ctx)
        e = sp.expand_log(sp.expand(e), force=False)
        return sp.simplify(sp.expand_log(sp.factor_terms(sp.together(e)), force=False))
    return rewrite


def delta_sums(e: sp.Basic) -> sp.Basic:
    """Carry out every sum whose summand holds a ``KroneckerDelta`` of its index:
    ``sum_{o=lo}^{hi} delta(m, o) f(o) = f(m)`` where ``lo <= m <= hi``, else 0
    (SymPy's ``deltasummation``, exact), the cases lifted to the top.

    This is how a derivative with respect to one coordinate ``x[m]`` of a sum over
    a symbolic number of outputs comes out (SymPy differentiates ``x[o]`` by
    ``x[m]`` into ``delta(m, o)``).

    >>> from sympy import IndexedBase, KroneckerDelta, Sum, symbols
    >>> x = IndexedBase("x"); o, m, K = symbols("o m K", integer=True, positive=True)
    >>> delta_sums(Sum(KroneckerDelta(m, o) * x[o]**2, (o, 1, K)))
    Piecewise((x[m]**2, K >= m), (0, True))
    """
    if not (isinstance(e, sp.Basic) and e.has(sp.KroneckerDelta) and e.has(sp.Sum)):
        return e
    def carry(x: sp.Sum) -> sp.Expr:
        terms = sp.Add.make_args(sp.expand(x.function))
        return sp.Add(*[sp.Sum(t, *x.limits).doit() for t in terms])

    done = e.replace(lambda x: isinstance(x, sp.Sum) and x.function.has(sp.KroneckerDelta)
                     and all(lim[2].is_finite for lim in x.limits), carry)
    return sp.piecewise_fold(done)


def double_sum_limits(e: sp.Sum):
    """((a, lo, hi), (b, lo, hi), summand) when ``e`` sums over two indices with the
    same range (as ``Sum(f, (a, ...), (b, ...))`` or ``Sum(Sum(f, (b, ...)), (a, ...))``),
    the range free of both indices; else None."""
    if len(e.limits) == 2:
        inner, outer, f = e.limits[0], e.limits[1], e.function
    elif len(e.limits) == 1:
        # sum_a c(a) sum_b f(a, b): a factor free of b may move inside
        factors = sp.Mul.make_args(e.function)
        sums = [x for x in factors if isinstance(x, sp.Sum) and len(x.limits) == 1]
        if len(sums) != 1:
            return None
        inner, outer = sums[0].limits[0], e.limits[0]
        rest = sp.Mul(*[x for x in factors if x is not sums[0]])
        if inner[0] in rest.free_symbols:
            return None
        f = rest * sums[0].function
    else:
        return None
    (a, lo_a, hi_a), (b, lo_b, hi_b) = outer, inner
    if a == b or (lo_a, hi_a) != (lo_b, hi_b):
        return None
    if {a, b} & (lo_a.free_symbols | hi_a.free_symbols):
        return None
    return (a, lo_a, hi_a), (b, lo_b, hi_b), f


def symmetrised_sums(e: sp.Basic) -> sp.Basic:
    """Write each double sum over one range as the mean of itself and its mirror:
    ``sum_a sum_b f(a, b) = (1/2) sum_a sum_b (f(a, b) + f(b, a))``.

    Sound for finite sums: the order of summation of a finite double sum may be
    exchanged, and a bound index renamed.  An antisymmetric summand then cancels.

    >>> from sympy import IndexedBase, Sum, symbols
    >>> t, M = IndexedBase("t"), IndexedBase("M")
    >>> a, b, K = symbols("a b K", integer=True, positive=True)
    >>> symmetrised_sums(Sum(t[a] * t[b] * (M[a, b] - M[b, a]), (a, 1, K), (b, 1, K)))
    0
    """
    if not (isinstance(e, sp.Basic) and e.has(sp.Sum)):
        return e

    def mirror(x: sp.Sum):
        found = double_sum_limits(x)
        if found is None:
            return x
        (a, lo, hi), (b, _, _), f = found
        summand = sp.expand((f + f.xreplace({a: b, b: a})) / 2)
        return sp.S.Zero if summand == 0 else sp.Sum(summand, (b, lo, hi), (a, lo, hi))

    return e.replace(lambda x: isinstance(x, sp.Sum) and x.limits[-1][2].is_finite
                     and double_sum_limits(x) is not None, mirror)


class IndexPermutation(sp.Function):
    """``IndexPermutation(s, n, x)``: an arbitrary permutation ``sigma_s`` of ``1..n`` applied
    to ``x``.  ``s`` (an integer symbol) names the permutation; at concrete ``s`` and
    ``n`` it is the permutation of lexicographic rank ``s mod n!`` (so every
    permutation of ``1..n`` is some ``s``, and the numeric backup can sample it).

    >>> IndexPermutation(1, 3, 3), IndexPermutation(5, 3, 1)      # (1 3 2) and (3 2 1)
    (2, 3)
    """

    nargs = 3
    is_integer = True

    @classmethod
    def eval(cls, s, n, x):
        if s.is_Integer and n.is_Integer and x.is_Integer and n > 0 and 1 <= x <= n:
            perm = Permutation.unrank_lex(int(n), int(s) % math.factorial(int(n)))
            return sp.Integer(perm.array_form[int(x) - 1] + 1)
        return None

    def _latex(self, printer, exp=None):
        return r"\sigma_{%s}(%s)" % (printer._print(self.args[0]), printer._print(self.args[2]))


def permuted_sums(e: sp.Basic) -> sp.Basic:
    """Reindex every sum ``sum_{j=1}^{n} f(sigma(j))`` as ``sum_{j=1}^{n} f(j)``.

    Sound: ``sigma = IndexPermutation(s, n, .)`` is a bijection of ``1..n``, a finite sum
    may be reindexed by a bijection of its range, and the rule fires only when the
    range is exactly ``1..n`` (the same ``n``) and ``j`` enters the summand only
    through ``sigma(j)`` (with one ``sigma``).

    >>> from sympy import IndexedBase, Sum, symbols
    >>> r = IndexedBase("r"); j, n, s = symbols("j n s", integer=True, positive=True)
    >>> permuted_sums(Sum(r[IndexPermutation(s, n, j)]**2, (j, 1, n)))
    Sum(r[j]**2, (j, 1, n))
    >>> permuted_sums(Sum(j * r[IndexPermutation(s, n, j)], (j, 1, n)))    # j also outside sigma
    Sum(j*r[IndexPermutation(s, n, j)], (j, 1, n))
    """
    if not (isinstance(e, sp.Basic) and e.has(IndexPermutation) and e.has(sp.Sum)):
        return e

    def reindex(x: sp.Sum) -> sp.Basic:
        if len(x.limits) != 1:
            return x
        j, lo, hi = x.limits[0]
        calls = {c for c in x.function.atoms(IndexPermutation) if c.args[2] == j}
        if len(calls) != 1 or lo != 1:
            return x
        call = calls.pop()
        if call.args[1] != hi or j in call.args[0].free_symbols | hi.free_symbols:
            return x
        marker = sp.Dummy("sigma_j", integer=True)
        body = x.function.xreplace({call: marker})
        if j in body.free_symbols:
            return x
        return sp.Sum(body.xreplace({marker: j}), x.limits[0])

    return e.replace(lambda x: isinstance(x, sp.Sum) and x.function.has(IndexPermutation), reindex)


def _sums(e):
    e = sp.expand(power_sums(sp.expand(power_sums(delta_sums(permuted_sums(e))))))
    if isinstance(e, sp.Piecewise):
        return sp.Piecewise(*[(_sums(v), c) for v, c in e.args])
    if e == 0:
        return e
    e = sp.expand(factor_radicands(e))
    if e != 0 and e.has(sp.Pow) and size(e) <= MAX_NODES:
        # terms over one radical denominator: -G/sqrt(G-1) + sqrt(G-1) + 1/sqrt(G-1)
        together = sp.together(e)
        if sp.expand(sp.numer(together)) == 0:
            return sp.S.Zero
    return e


# name -> (rewrite, expensive?); an expensive rewrite is refused past MAX_NODES
REWRITES: dict[str, tuple[Callable, bool]] = {
    "expand": (sp.expand, False),
    "power sums": (_sums, False),
    "symmetrised sums": (lambda e: _sums(symmetrised_sums(e)), False),
    "cancel": (lambda e: sp.cancel(sp.together(e)), True),
    "radicals": (lambda e: sp.expand(factor_radicands(sp.expand(e))), True),
    "expand_log": (lambda e: sp.simplify(sp.expand_log(sp.expand(e), force=False)), True),
    "simplify": (sp.simplify, True),
    "radsimp": (lambda e: sp.simplify(sp.radsimp(sp.together(factor_radicands(e)))), True),
    "sign": (lambda e: sp.simplify(e.rewrite(sp.Abs)), True),
    "piecewise": (lambda e: sp.simplify(sp.piecewise_fold(e.rewrite(sp.Piecewise))), True),
}
# rewrites that need the context: name -> its factory
_CONTEXT_REWRITES = {"positive parametrisation": lambda ctx: _parametrised(ctx),
                     "binomial sums": lambda ctx: _finite_sums(ctx)}


def _finite_sums(ctx: Context) -> Callable[[sp.Basic], sp.Basic]:
    """The "binomial sums" rewrite: sums split where their summand changes at an index
    threshold (:func:`grpo_sym.proof.binomial.split_at_threshold`), the parts carried out as
    power sums, then the normal form of sums over a symbolic range."""
    def rewrite(e):
        split = _binomial().split_at_threshold(e, ctx)
        if split != e:
            e = _sums(split)
        return _binomial().sum_normal_form(e, ctx)
    return rewrite


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


def _implied(cond: sp.Basic, relations: Sequence[sp.Basic]) -> bool:
    """Is the branch condition ``cond`` one of the assumed ``relations`` (or a
    conjunction of them)?  Only literal agreement, up to SymPy's canonical form
    of a relation: ``K >= m`` is implied by an assumed ``m <= K``."""
    if cond is sp.true:
        return True
    if isinstance(cond, sp.And):
        return all(_implied(a, relations) for a in cond.args)
    if isinstance(cond, sp.core.relational.Relational):
        return any(isinstance(r, sp.core.relational.Relational)
                   and (r == cond or r.canonical == cond.canonical) for r in relations)
    return False


def _zero(e: sp.Basic, relations: Sequence[sp.Basic]) -> bool:
    if e == 0:
        return True
    if isinstance(e, sp.Piecewise):
        # branches are tried in order: once a condition is implied by what is assumed,
        # the later branches are never taken
        for v, c in e.args:
            if _excluded(c, relations):
                continue
            if not _zero(v, relations):
                return False
            if _implied(c, relations):
                return True
        return True
    return False


def reduces_to_zero(expr: sp.Basic, rewrite: str, ctx: Context) -> bool:
    """Does the trusted ``rewrite`` (a key of :data:`REWRITES`, or
    ``"positive parametrisation"``) turn ``expr`` into 0?  (Zero wherever
    ``expr`` is defined.)  A Float anywhere is refused; past the size budget an
    expensive rewrite raises :class:`BudgetExhausted`."""
    if expr.has(sp.Float):
        return False
    if rewrite in _CONTEXT_REWRITES:
        fn, expensive = _CONTEXT_REWRITES[rewrite](ctx), True
    else:
        fn, expensive = REWRITES[rewrite]
    if expr.has(sp.Sum):
        # SymPy sums a reversed range by Karr's convention (sum_{1}^{n-3} 1 = n - 3 even
        # for n < 3), an empty sum is 0: every range must be visibly not reversed
        for sm in expr.atoms(sp.Sum):
            for _, lo, hi in sm.limits:
                if not is_nonnegative(hi - lo + 1, ctx):
                    return False
    if expensive and size(expr) > MAX_NODES:
        raise BudgetExhausted(f"budget exhausted: {rewrite} on {size(expr)} nodes "
                              f"(cap {MAX_NODES})")
    return _zero(fn(expr), ctx.relations)


# -- realness and definedness ---------------------------------------------------------

_REAL_OF_REAL = (sp.exp, sp.sin, sp.cos, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.asinh,
                 sp.Abs, sp.sign, sp.floor, sp.ceiling, sp.KroneckerDelta)


def _real_symbol(s) -> bool:
    return getattr(s, "is_real", None) is True


def undefined_reason(e: sp.Basic, ctx: Context) -> str | None:
    """``None`` if ``e`` is defined and real at every point of the domain,
    else why not (the first sub-expression that may be undefined or not real)."""
    e = sp.sympify(e)
    if e.has(sp.Float):
        return f"{e} contains a floating-point number; state it exactly"
    if e.is_number:
        if e.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return f"{e} is not a finite number"
        return None if e.is_real is True else f"{e} is not visibly real"
    if isinstance(e, (sp.Symbol, sp.Indexed)):
        base = e.base if isinstance(e, sp.Indexed) else e
        if _real_symbol(e) or _real_symbol(base):
            return None
        return f"{e} is not declared real"
    if isinstance(e, sp.Set):
        return set_undefined_reason(e, ctx)
    if isinstance(e, (sp.Add, sp.Mul, sp.Max, sp.Min)) or isinstance(e, _REAL_OF_REAL):
        for a in e.args:
            why = undefined_reason(a, ctx)
            if why:
                return why
        return None
    if isinstance(e, sp.Pow):
        base, ex = e.args
        why = undefined_reason(base, ctx)
        if why:
            return why
        if ex.is_Integer:
            if ex < 0 and not is_nonzero(base, ctx):
                return f"{e}: {base} may vanish"
            return None
        if ex.is_Rational:
            if ex > 0 and not is_nonnegative(base, ctx):
                return f"{e}: {base} may be negative"
            if ex < 0 and not is_positive(base, ctx):
                return f"{e}: {base} may not be positive"
            return None
        why = undefined_reason(ex, ctx)
        if why:
            return why
        if ex.is_integer and (ex.is_nonnegative or is_nonnegative(ex, ctx)):
            return None          # (-1)**n, 0**n with n a non-negative integer
        if ex.is_integer and is_nonzero(base, ctx):
            return None
        if not is_positive(base, ctx):
            return f"{e}: a variable power of {base}, which may not be positive"
        return None
    if isinstance(e, sp.log):
        (arg,) = e.args
        why = undefined_reason(arg, ctx)
        if why:
            return why
        return None if is_positive(arg, ctx) else f"{e}: {arg} may not be positive"
    if isinstance(e, (sp.asin, sp.acos)):
        (arg,) = e.args
        why = undefined_reason(arg, ctx)
        if why:
            return why
        return None if is_nonnegative(1 - arg**2, ctx) else f"{e}: |{arg}| may exceed 1"
    if isinstance(e, (sp.binomial, sp.factorial)):
        for a in e.args:
            if not (a.is_integer and is_nonnegative(a, ctx)):
                return f"{e}: not a binomial/factorial of non-negative integers"
        return None
    if isinstance(e, sp.Heaviside):
        return undefined_reason(e.args[0], ctx)
    if isinstance(e, sp.Piecewise):
        if e.args[-1].cond is not sp.true:
            return f"{e}: no branch for some points"
        # a branch is evaluated only where its condition holds and no earlier one did
        excluded = []
        for v, cond in e.args:
            local = ctx.assuming(*excluded, *([cond] if isinstance(
                cond, (sp.Ne, sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan,
                       sp.StrictLessThan)) else []))
            why = undefined_reason(v, local)
            if why:
                return why
            if isinstance(cond, sp.Eq):
                excluded.append(sp.Ne(cond.lhs, cond.rhs, evaluate=False))
        return None
    if isinstance(e, sp.Sum):
        inner = ctx
        for idx, lo, hi in e.limits:
            if not (lo.is_integer and hi.is_integer):
                return f"{e}: a sum over a range that is not integer"
            inner = inner.inside_sum(idx, lo, hi)
        return undefined_reason(e.function, inner)
    if isinstance(e, (sp.Derivative, sp.Subs)):
        # inner first (SymPy's Subs.doit substitutes a family into the unevaluated
        # derivative before differentiating)
        done = carry_out(e)
        if done != e:
            return undefined_reason(done, ctx)
    if getattr(e, "polynomial_in_its_arguments", False):
        # a finite sum of products of its arguments' values (an expectation over a
        # finite set of groups, written out at concrete sizes): defined where they are
        for a in e.args:
            if isinstance(a, sp.Lambda) and not all(v.is_integer for v in a.variables):
                return f"{e}: a per-output Lambda must take integer outputs"
            why = undefined_reason(a.expr if isinstance(a, sp.Lambda) else a, ctx)
            if why:
                return why
        return None
    if isinstance(e, sp.core.function.AppliedUndef) \
            or (isinstance(e, sp.Function) and not e.func.__module__.startswith("sympy")):
        done = e.doit()
        if done != e:
            return undefined_reason(done, ctx)
    return f"{e}: {type(e).__name__} is not known to be defined and real"


def set_undefined_reason(e: sp.Set, ctx: Context) -> str | None:
    """``None`` if the set ``e`` is well defined at every point of the domain.

    The empty set is, and an interval with defined real ends; so is ``{x in I | E}`` (a
    ``ConditionSet``) whose base ``I`` is such an interval: a point of ``I`` where ``E`` is undefined is simply
    not in the set (set-builder notation), so the set itself always exists.  What a
    statement about it claims (non-empty: a root exists) is for its proof to show."""
    if e is sp.S.EmptySet:
        return None
    if isinstance(e, sp.Interval):
        for end in (e.start, e.end):
            why = undefined_reason(end, ctx) if end.is_finite is not False else None
            if why:
                return why
        return None
    if isinstance(e, sp.ConditionSet) and isinstance(e.base_set, sp.Interval):
        return set_undefined_reason(e.base_set, ctx)
    return f"{e}: a set of this kind is not known to be defined"


def is_real(e: sp.Basic, ctx: Context) -> bool:
    """Defined and real at every point of the domain (see :func:`undefined_reason`)."""
    return undefined_reason(e, ctx) is None


# -- non-negativity -------------------------------------------------------------------

_SEEN: dict = {}
_FACTORING: set = set()   # expressions whose factored form is being examined
_DEPTH = [0]
MAX_DEPTH = 16


def is_nonnegative(e: sp.Basic, ctx: Context, strict: bool = False) -> bool:
    """Is ``e`` manifestly >= 0 (``strict``: > 0) at every point of the domains?

    "Manifestly": by the structural rules in the module docstring; it never
    samples, and "no" only means "not visibly"."""
    e = sp.sympify(e)
    if e.has(sp.Float):
        return False
    key = (e, strict, ctx.key)
    if key in _SEEN:            # memoised within one top-level question; a question
        return _SEEN[key]       # met again while still open counts as "not visibly"
    if _DEPTH[0] > MAX_DEPTH:   # rewrites that feed each other (sqrt rule, factoring)
        return False            # are cut off: "not visibly" is always a safe answer
    _SEEN[key] = False
    _DEPTH[0] += 1
    try:
        found = bool(_nonneg(e, ctx, strict))
    except (sp.PolynomialError, TypeError, ValueError, NotImplementedError, RecursionError,
            AttributeError, ZeroDivisionError):
        found = False
    finally:
        _DEPTH[0] -= 1
        if _DEPTH[0] == 0:
            _SEEN.clear()
    if _DEPTH[0] > 0:
        _SEEN[key] = found
    return found


def is_positive(e: sp.Basic, ctx: Context) -> bool:
    return is_nonnegative(e, ctx, strict=True)


def is_nonzero(e: sp.Basic, ctx: Context) -> bool:
    """Manifestly non-zero: manifestly positive or manifestly negative, or
    ``e != 0`` is one of the claim's conditions."""
    if isinstance(e, sp.Mul) and all(is_nonzero(f, ctx) for f in e.args):
        return True
    if _zero_outside_domain(e, ctx):
        return True
    # the sign rules first: the ratio test against each ``!=`` condition factors and
    # cancels, and a visibly positive n + 1 needs none of it
    return _ne_assumed(e, ctx, ratio=False) or is_positive(e, ctx) or is_positive(-e, ctx) \
        or _ne_assumed(e, ctx)


def _zero_outside_domain(e: sp.Basic, ctx: Context) -> bool:
    """``a + b x`` (``b != 0``) whose only zero ``-a/b`` is not in the domain of ``x``."""
    syms = [s for s in e.free_symbols if isinstance(s, sp.Symbol)]
    if len(syms) != 1 or not _real_symbol(syms[0]):
        return False
    try:
        poly = sp.Poly(e, syms[0])
    except sp.PolynomialError:
        return False
    if poly.degree() != 1 or not all(c.is_Rational for c in poly.all_coeffs()):
        return False
    b, a = poly.all_coeffs()
    return member(-a / b, ctx.domain(syms[0])) is False


_RATIO_OPEN = [False]


def _ne_assumed(e: sp.Basic, ctx: Context, ratio: bool = True) -> bool:
    """``e != 0`` is one of the claim's conditions, up to a defined non-zero factor
    (without ``ratio``: up to sign only, a cheap question asked before the sign rules)."""
    if _RATIO_OPEN[0]:      # the factor's own sign question may not ask for ratios again
        return False
    if not any(isinstance(rel, sp.Ne) for rel in ctx.relations):
        return False
    e = permuted_sums(e)    # value-preserving: a reindexed sum is the same number
    for rel in ctx.relations:
        if isinstance(rel, sp.Ne):
            d = permuted_sums(rel.lhs - rel.rhs)
            if d == e or d == -e:
                return True
            if not ratio:
                continue
            summed = {v for sm in d.atoms(sp.Sum) for v in sm.variables}
            if (e.free_symbols - d.free_symbols) & summed:
                # e is a summand (free in its index) and d a sum over that index: the
                # ratio keeps e in its denominator, non-zero only if e visibly is, which
                # the sign rules asked already; give up rather than factor and cancel
                # for seconds (a give-up is never a proof)
                continue
            try:
                q = sp.cancel(sp.expand(d) / sp.expand(e))
            except (sp.PolynomialError, ZeroDivisionError, TypeError, ValueError):
                continue
            # d = q e with q defined and non-zero: d != 0 gives e != 0
            if q.is_Rational and q != 0:
                return True
            _RATIO_OPEN[0] = True
            try:
                if is_real(q, ctx) and (is_positive(q, ctx) or is_positive(-q, ctx)):
                    return True
            finally:
                _RATIO_OPEN[0] = False
    return False


def _nonneg(e: sp.Basic, ctx: Context, strict: bool) -> bool:
    found = _nonneg_direct(e, ctx, strict)
    if found or e in _FACTORING or e.is_number:
        return found
    if isinstance(e, sp.Sum) and e.has(sp.KroneckerDelta, IndexPermutation):
        # a sum the trusted sum rewrites carry out (sum_j delta(j, 1) f(j) = f(1)):
        # decide the sign of the value it equals
        alt = _sums(e)
        _FACTORING.add(e)
        try:
            return alt != e and _nonneg(alt, ctx, strict)
        finally:
            _FACTORING.discard(e)
    if not isinstance(e, (sp.Add, sp.Mul)):
        return found
    if size(e) > MAX_NODES:
        return False
    # an equal form may show what this one hides: 4f - 4f^2 = 4 f (1 - f)
    alt = sp.factor(e)
    _FACTORING.add(e)
    try:
        if alt != e and _nonneg_direct(alt, ctx, strict):
            return True
        # the same question with bounded symbols written as positive ones
        # (a bijection of the domain): 1 - f becomes 1/(1 + u)
        par = positive_parametrisation(e, ctx)
        if par != e:
            return _nonneg_direct(sp.together(par), ctx, strict)
        return False
    finally:
        _FACTORING.discard(e)


def _linear_atom_sign(e: sp.Expr, ctx: Context, strict: bool) -> bool:
    """``a + b*x`` with ``x`` real in an interval: check both ends of the interval."""
    syms = list(e.free_symbols)
    if len(syms) != 1 or not _real_symbol(syms[0]):
        return False
    (x,) = syms
    try:
        poly = sp.Poly(e, x)
    except sp.PolynomialError:
        return False
    if poly.degree() != 1 or not all(c.is_number and c.is_real for c in poly.all_coeffs()):
        return False
    dom = ctx.domain(x)
    if is_finite_domain(dom):
        vals = [e.subs(x, v) for v in dom]
        return all((v > 0) if strict else (v >= 0) for v in vals)
    if isinstance(dom, sp.Interval):
        ends = ((dom.start, dom.left_open), (dom.end, dom.right_open))
    elif dom.is_subset(sp.S.Integers) or isinstance(dom, sp.Union):
        # a linear function on any set lies between its values at inf and sup
        ends = ((dom.inf, dom.inf not in dom), (dom.sup, dom.sup not in dom))
    else:
        return False
    for end, is_open in ends:
        if not end.is_finite:
            slope = poly.all_coeffs()[0]
            # the end at -oo/+oo must not drive the value down
            if not _nonneg_direct(slope if end is sp.oo else -slope, ctx, False):
                return False
            continue
        v = e.subs(x, end)
        if not _nonneg_direct(v, ctx, strict and not is_open):
            return False
    return True


def _through_condition(e: sp.Add, ctx: Context, strict: bool) -> bool:
    """``e = c g + rest`` with ``g >= 0`` a condition linear in a symbol ``s``,
    ``c >= 0`` and ``rest >= 0`` free of ``s``."""
    for rel in ctx.relations:
        if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
            g = rel.lhs - rel.rhs
        elif isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
            g = rel.rhs - rel.lhs
        else:
            continue
        for s in sorted(g.free_symbols & e.free_symbols, key=str):
            gs, es = sp.expand(g).coeff(s), sp.expand(e).coeff(s)
            if gs == 0 or es == 0 or gs.has(s) or es.has(s):
                continue
            c = sp.cancel(es / gs)
            rest = sp.expand(e - c * g)
            if rest.has(s) or not is_nonnegative(c, ctx):
                continue
            if is_nonnegative(rest, ctx, strict) or is_nonnegative(sp.factor(rest), ctx, strict):
                return True
    return False


def _has_radical(e: sp.Basic) -> bool:
    return any(not p.exp.is_Integer for p in e.atoms(sp.Pow))


def _sqrt_dominates(e: sp.Add, ctx: Context, strict: bool) -> bool:
    """``k sqrt(X) + R >= 0`` when ``k > 0``, ``R`` real and ``k^2 X - R^2 >= 0``
    (then ``k sqrt(X) >= |R| >= -R``); strictly when ``k^2 X - R^2 > 0``."""
    for term in e.args:
        k, root = term.as_independent(*[a for a in term.atoms(sp.Pow)
                                        if a.exp == sp.S.Half], as_Add=False)
        if not (isinstance(root, sp.Pow) and root.exp == sp.S.Half):
            continue
        rest = e - term
        # one radical only: then k^2 X - R^2 has none and the question cannot recur
        if _has_radical(rest) or _has_radical(root.base):
            continue
        if not (is_nonnegative(root.base, ctx) and is_real(rest, ctx)):
            continue
        if is_nonnegative(k, ctx, strict=True):
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
    """Visibly <= 0 (< 0): a real symbol by its domain, a sum by its negation."""
    if isinstance(f, sp.Symbol):
        if not _real_symbol(f):
            return False
        hi = ctx.domain(f).sup
        return bool(hi < 0) or (bool(hi <= 0) and (not strict or hi not in ctx.domain(f)))
    if isinstance(f, sp.Add):
        return is_nonnegative(-f, ctx, strict)
    return False


def _assumed(e: sp.Basic, ctx: Context, strict: bool) -> bool:
    """``e >= 0`` (``> 0``) is one of the claim's conditions, up to expansion."""
    for rel in ctx.relations:
        if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
            gap, st = rel.lhs - rel.rhs, isinstance(rel, sp.StrictGreaterThan)
        elif isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
            gap, st = rel.rhs - rel.lhs, isinstance(rel, sp.StrictLessThan)
        else:
            continue
        extra = sp.expand(e - gap)     # e = gap + extra, extra a constant
        if extra.is_Rational and (extra > 0 or (extra == 0 and (st or not strict))):
            return True
    for sx in ctx.simplices:
        # 1 - (the others) is the eliminated symbol, which keeps its domain
        *rest, last = sx.symbols
        if sp.expand(e - (1 - sp.Add(*rest))) == 0:
            return is_nonnegative(last, ctx, strict)
    return False


def _nonneg_direct(e: sp.Basic, ctx: Context, strict: bool) -> bool:
    if not e.is_number and _assumed(e, ctx, strict):
        return True
    # >= 0 and != 0 by a condition: before the sign rules on a large expression (where
    # they recur into every term), after them on a small one (n + 1 is positive at once,
    # while the ratio test factors and cancels against each condition)
    by_condition = strict and not e.is_number and any(isinstance(r, sp.Ne)
                                                      for r in ctx.relations)
    if by_condition and size(e) > SMALL_NODES and _ne_assumed(e, ctx) \
            and is_nonnegative(e, ctx):
        return True
    if _nonneg_structural(e, ctx, strict):
        return True
    return by_condition and size(e) <= SMALL_NODES and _ne_assumed(e, ctx) \
        and is_nonnegative(e, ctx)


SMALL_NODES = 12


def _nonneg_structural(e: sp.Basic, ctx: Context, strict: bool) -> bool:
    """The sign rules by the form of ``e`` (number, symbol, sum, product, power, ...)."""
    if e.is_number:
        if e.is_real is not True or e.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return False
        if e.is_Rational:
            return bool(e > 0) if strict else bool(e >= 0)
        from .intervals import sign
        s = sign(e)
        return s is not None and (s > 0 or (s == 0 and not strict))
    if isinstance(e, (sp.Symbol, sp.Indexed)):
        if not (_real_symbol(e) or (isinstance(e, sp.Indexed) and _real_symbol(e.base))):
            return False
        dom = ctx.domain(e) if isinstance(e, sp.Symbol) else domain_of(e)
        lo = dom.inf
        if strict:
            return bool(lo > 0) or (bool(lo >= 0) and lo not in dom)
        return bool(lo >= 0)
    if isinstance(e, sp.Add):
        if all(is_nonnegative(a, ctx) for a in e.args):
            return (not strict) or any(is_nonnegative(a, ctx, True) for a in e.args)
        return _linear_atom_sign(e, ctx, strict) or _sqrt_dominates(e, ctx, strict) or \
            _through_condition(e, ctx, strict)
    if isinstance(e, sp.Mul):
        # each factor visibly >= 0 or visibly <= 0, with an even number of the latter
        coeff, rest = e.as_coeff_Mul()
        if coeff == 0:
            return not strict
        if not coeff.is_Rational:
            return False
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
        if ex.is_Integer and ex.is_even:
            # an even power of a REAL: (x + I t)**2 is not
            if not is_real(base, ctx):
                return False
            if ex < 0 or strict:
                return is_nonzero(base, ctx)
            return True
        if ex.is_Integer and ex < 0:
            return is_nonnegative(base, ctx, strict=True)
        if ex.is_Integer:
            return is_nonnegative(base, ctx, strict)
        if ex.is_Rational:
            # base**(p/q) with base >= 0 is the non-negative real root
            return is_nonnegative(base, ctx, strict=strict or ex < 0)
        # a variable exponent: base > 0 and the exponent real
        return is_positive(base, ctx) and is_real(ex, ctx)
    if isinstance(e, sp.exp):
        return is_real(e.args[0], ctx)
    if isinstance(e, sp.Abs):
        return is_real(e.args[0], ctx) and ((not strict) or is_nonzero(e.args[0], ctx))
    if isinstance(e, sp.Sum):
        # a sum of non-negative terms is non-negative
        inner = ctx
        for idx, lo, hi in e.limits:
            inner = inner.inside_sum(idx, lo, hi)
        # over ranges that are not reversed (SymPy sums a reversed range by Karr's
        # convention: sum_{j=1}^{n-3} 1 = n - 3 < 0 at n = 1)
        if not all(is_nonnegative(hi - lo + 1, ctx) for _, lo, hi in e.limits):
            return False
        if not strict:
            return is_nonnegative(e.function, inner) or _binomial().summand_sign(e, ctx, False)
        # strictly: positive terms over a non-empty range
        return all(is_nonnegative(hi - lo, ctx) for _, lo, hi in e.limits) and \
            is_positive(e.function, inner) or _binomial().summand_sign(e, ctx, True)
    if isinstance(e, sp.binomial):
        # C(n, m) = n!/(m! (n-m)!) > 0 for integers 0 <= m <= n; SymPy's C(n, m) is 0 for an
        # integer m outside [0, n] when n >= 0 is an integer
        n, m = e.args
        return n.is_integer and m.is_integer and is_nonnegative(n, ctx) and (
            not strict or (is_nonnegative(m, ctx) and is_nonnegative(n - m, ctx)))
    if isinstance(e, sp.Max):
        return all(is_real(a, ctx) for a in e.args) and \
            any(is_nonnegative(a, ctx, strict) for a in e.args)
    if isinstance(e, sp.Min):
        return all(is_nonnegative(a, ctx, strict) for a in e.args)
    if isinstance(e, sp.log):
        return is_positive(e.args[0], ctx) and is_nonnegative(e.args[0] - 1, ctx, strict)
    return False


def _binomial():
    """The finite-sum rules (imported on use: :mod:`.binomial` asks the kernel for signs)."""
    from . import binomial
    return binomial


# -- exact numbers --------------------------------------------------------------------

def holds_at(rel: sp.Basic, point: Mapping) -> bool | None:
    """Does the relation hold at the exact ``point``?  Decided with Arb
    enclosures and exact algebra (:func:`grpo_sym.proof.intervals.decide`);
    None when that cannot decide (never a guess)."""
    from .intervals import Undefined, Unsupported, decide

    if any(sp.sympify(v).has(sp.Float) for v in point.values()) or rel.has(sp.Float):
        return None
    try:
        rel = rel.func(at_point(rel.lhs, point), at_point(rel.rhs, point), evaluate=False)
        found = decide(rel, {})
    except (Undefined, Unsupported, ZeroDivisionError, ValueError, TypeError):
        return None
    if found is None:
        # Arb cannot tell a zero from a tiny number: a trusted rewrite may show the
        # difference is exactly 0 (log 9 - 10/3 + 10/3 - log 9)
        d = rel.lhs - rel.rhs
        if d.is_number and any(_exact_zero(d, name) for name in ("expand", "expand_log",
                                                                  "simplify")):
            return isinstance(rel, (sp.Eq, sp.GreaterThan, sp.LessThan))
    return found


def at_point(e: sp.Basic, point: Mapping) -> sp.Basic:
    """``e`` at the exact point: integer symbols first (so that sums over a
    group of that size are written out and ``r[i]`` names an element), then
    derivatives carried out, then every other value."""
    from .mpeval import write_out

    ints = {k: v for k, v in point.items() if isinstance(k, sp.Symbol) and k.is_integer}
    e = carry_out(write_out(sp.sympify(e).xreplace(ints)))
    return carry_out(e.xreplace({k: v for k, v in point.items() if k not in ints}))


def _exact_zero(d: sp.Expr, name: str) -> bool:
    try:
        return reduces_to_zero(d, name, Context())
    except (BudgetExhausted, TypeError, ValueError, NotImplementedError, ZeroDivisionError):
        return False


def member(value: sp.Expr, dom: sp.Set) -> bool | None:
    """Is the exact number ``value`` in ``dom``?  None when undecided."""
    value = sp.sympify(value)
    if not value.is_number or value.has(sp.Float):
        return None
    if isinstance(dom, sp.Interval):
        checks = []
        if dom.start.is_finite:
            checks.append((sp.Gt if dom.left_open else sp.Ge)(value, dom.start, evaluate=False))
        if dom.end.is_finite:
            checks.append((sp.Lt if dom.right_open else sp.Le)(value, dom.end, evaluate=False))
        verdicts = [holds_at(r, {}) for r in checks]
        if any(v is False for v in verdicts):
            return False
        return True if all(v is True for v in verdicts) and value.is_real is True else None
    if isinstance(dom, sp.FiniteSet):
        verdicts = [holds_at(sp.Eq(value, e, evaluate=False), {}) for e in dom]
        if any(v is True for v in verdicts):
            return True
        return False if all(v is False for v in verdicts) else None
    if isinstance(dom, sp.Union):
        verdicts = [member(value, part) for part in dom.args]
        if any(v is True for v in verdicts):
            return True
        return False if all(v is False for v in verdicts) else None
    if isinstance(dom, sp.Complement):
        inside, excluded = member(value, dom.args[0]), member(value, dom.args[1])
        if inside is None or excluded is None:
            return None
        return inside and not excluded
    if dom.is_subset(sp.S.Integers) and not value.is_Integer:
        return False if value.is_Rational else None
    found = dom.contains(value)
    return True if found is sp.true else (False if found is sp.false else None)
