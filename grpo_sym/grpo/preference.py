"""The reward preference model of Section 2.1 for a question with finitely many outputs.

Outputs are numbered ``0 .. K-1`` in code (``1 .. K`` in symbol names); a policy
is a tuple of K probability expressions (``symbols.policy``).  A group is a
tuple of outputs ``(o_1, ..., o_G)`` drawn i.i.d. from ``pi_old``.

==================================  =============================================
function                            object of the paper
==================================  =============================================
``group_preference_symbol``         P_G(o | {o'_1..o'_{G-1}}) as an opaque real
                                    (any stochastic reward model)
``conditional_advantage``           E[A_i | o_1..o_G] for finite-support rewards
``group_preference``                P_G(o | {o'}) = E[A_1 | o, o'_1, ...]
``expected_group_preference``       P_G(o | pi_old): others i.i.d. from pi_old
``reward_preference``               R_G(theta | q), the definition (expectation
                                    over groups of (1/G) sum ratio_i A_i)
``expected_preference``             E_{o ~ pi_theta}[P_G(o | pi_old)], right of (6)
``pairwise_preference``             P(o > o') = P[r > r' | o, o']
``tie_probability``                 P[r = r' | o, o']
``pair_expectation``                E_{o ~ pi_theta, o' ~ pi_old}[f(o, o')]
``reward_std``                      sigma(pi) for deterministic rewards r(o)
``large_group_preference``          P_inf(o) = (r(o) - E_old r)/sigma_old
``DrawCountExpectation``            E[h(#a, #b)] over n i.i.d. draws of a binary law
``binary_conditional_advantage``    E[A_1 | o_1, #a and #b among the others], binary
``binary_preference_definition``    P_G(o | pi_old) of a binary question, by definition
``binary_group_preference``         exact P_G(a | pi_old) for a binary question
``binary_group_preference_mp``      the same in mpmath, for large G
==================================  =============================================

A reward model with finite support is a *law* per output: a sequence of
``(value, probability)`` pairs.  Deterministic rewards are one pair ``(r, 1)``.

>>> import sympy as sp
>>> laws = [[(sp.Integer(1), sp.Rational(1, 2)), (sp.Integer(0), sp.Rational(1, 2))],
...         [(sp.Rational(2, 5), sp.Integer(1))]]
>>> group_preference(0, (1,), laws)          # E[sign(r - 2/5)], r ~ Bernoulli(1/2)
0
>>> pairwise_preference(0, 1, laws)          # P[r > 2/5]
1/2
>>> t, p = sp.symbols("t1 t2", positive=True), sp.symbols("p1 p2", positive=True)
>>> sp.expand(reward_preference(t, p, 2) - expected_preference(t, p, 2))
0
"""
from __future__ import annotations

import functools
import itertools
from typing import Callable, Sequence

import mpmath
import sympy as sp

from grpo_sym.grpo.advantage import advantage, two_level_group
from grpo_sym.grpo.penalty import GroupAverage
from grpo_sym.grpo.symbols import OUTPUT_INDEX, SECOND_INDEX, Family
from grpo_sym.proof import variable

__all__ = [
    "Law", "group_preference_symbol", "advantage_bound", "conditional_advantage",
    "group_preference", "expected_group_preference", "reward_preference",
    "expected_preference", "pairwise_preference", "tie_probability", "pair_expectation",
    "reward_std", "large_group_preference", "large_group_reward_preference", "binary_advantage",
    "binary_group_preference", "binary_group_preference_mp", "binary_large_group_preference",
    "weighted_sum", "pair_group_preference", "GroupPreference", "GroupAdvantageAverage",
    "LITERAL_GROUPS", "shift_only_group_preference", "DrawCountExpectation", "WRITTEN_OUT_DRAWS",
    "COUNT_A", "COUNT_B", "binary_conditional_advantage", "binary_preference_definition",
]

Law = Sequence[tuple[sp.Expr, sp.Expr]]          # ((value, probability), ...)
AdvantageFn = Callable[[Sequence[sp.Expr], int], sp.Expr]
ConditionalAdvantage = Callable[[int, tuple[int, ...]], sp.Expr]


# -- P_G(o | {o'}) for an arbitrary reward model -----------------------------------

def advantage_bound(G: int) -> sp.Expr:
    """sqrt(G - 1): no advantage of (2) exceeds it in absolute value.

    >>> advantage_bound(5)
    2
    """
    return sp.sqrt(G - 1)


def _multiset(others: Sequence[int]) -> tuple[int, ...]:
    return tuple(sorted(others))


def group_preference_symbol(o: int, others: Sequence[int]) -> sp.Symbol:
    """P_G(o | {o'_1, ..., o'_{G-1}}) as an opaque real, one per output and multiset.

    It stands for E[A_1 | o_1 = o, o_2 = o'_1, ...] under *any* reward model in
    which the rewards of a group are independent given the outputs; it depends
    on the others only through their multiset, so the order of ``others`` does
    not matter.  A_1 ranges over [-sqrt(G-1), sqrt(G-1)]; the declared domain is
    the rational box [-ceil(sqrt(G-1)), ceil(sqrt(G-1))] around it (the numeric
    sampler needs rational ends).

    >>> group_preference_symbol(0, (2, 1)) is group_preference_symbol(0, (1, 2))
    True
    >>> group_preference_symbol(0, (2, 1))
    P_1|2,3
    """
    return _group_preference_symbol(o, _multiset(others))


@functools.lru_cache(maxsize=None)
def _group_preference_symbol(o: int, ms: tuple[int, ...]) -> sp.Symbol:
    G = len(ms) + 1
    name = f"P_{o + 1}|" + ",".join(str(x + 1) for x in ms)
    tex = r"\mathcal{P}_{%d}(%d \mid \{%s\})" % (G, o + 1, ",".join(str(x + 1) for x in ms))
    b = sp.ceiling(advantage_bound(G))
    return variable(name, sp.Interval(-b, b), latex=tex)


def _equivariant(pref: Callable[[int, Sequence[int]], sp.Expr]) -> ConditionalAdvantage:
    """E[A_i | group] = P_G(o_i | the other outputs): the equivariance of (2)."""
    def cond(i: int, group: tuple[int, ...]) -> sp.Expr:
        return pref(group[i], group[:i] + group[i + 1:])
    return cond


# -- finite-support reward models ---------------------------------------------------

def conditional_advantage(i: int, group: Sequence[int], laws: Sequence[Law],
                          advantage_fn: AdvantageFn = advantage) -> sp.Expr:
    """E[A_i | o_1, ..., o_G] when the reward of output o has law ``laws[o]``,
    independently across the group: the sum over all reward outcomes of the
    product of their probabilities times ``advantage_fn(rewards, i)``.

    >>> a, b = sp.symbols("a b", real=True)
    >>> conditional_advantage(0, (0, 1), [[(a, 1)], [(b, 1)]]) == advantage((a, b), 0)
    True
    """
    total = []
    for outcome in itertools.product(*(laws[o] for o in group)):
        values = tuple(v for v, _ in outcome)
        weight = sp.Mul(*[w for _, w in outcome])
        total.append(weight * advantage_fn(values, i))
    return sp.Add(*total)


def group_preference(o: int, others: Sequence[int], laws: Sequence[Law],
                     advantage_fn: AdvantageFn = advantage) -> sp.Expr:
    """P_G(o | {o'}) = E[(r_1 - mean)/std | o_1 = o, o_2 = o'_1, ...]."""
    return conditional_advantage(0, (o, *others), laws, advantage_fn)


# -- expectations over groups --------------------------------------------------------

def _prob(policy: Sequence[sp.Expr], outputs: Sequence[int]) -> sp.Expr:
    return sp.Mul(*[policy[o] for o in outputs])


def expected_group_preference(o: int, pi_old: Sequence[sp.Expr], G: int,
                              pref: Callable[[int, Sequence[int]], sp.Expr]
                              = group_preference_symbol) -> sp.Expr:
    """P_G(o | pi_old) = E_{o'_1..o'_{G-1} iid pi_old}[P_G(o | {o'})].

    >>> p = sp.symbols("p1 p2", positive=True)
    >>> expected_group_preference(0, p, 2)
    P_1|1*p1 + P_1|2*p2
    """
    K = len(pi_old)
    return sp.Add(*[_prob(pi_old, others) * pref(o, others)
                    for others in itertools.product(range(K), repeat=G - 1)])


def reward_preference(pi_theta: Sequence[sp.Expr], pi_old: Sequence[sp.Expr], G: int,
                      cond_adv: ConditionalAdvantage | None = None) -> sp.Expr:
    """R_G(theta | q): the expectation over groups o_1..o_G iid pi_old of
    (1/G) sum_i (pi_theta(o_i)/pi_old(o_i)) E[A_i | o_1..o_G].

    ``cond_adv(i, group)`` gives E[A_i | group]; by default the equivariant
    opaque form P_G(o_i | the others) (``group_preference_symbol``).

    >>> t, p = sp.symbols("t1 t2", positive=True), sp.symbols("p1 p2", positive=True)
    >>> sp.expand(reward_preference(t, p, 2)).coeff(group_preference_symbol(0, (1,)))
    p2*t1
    """
    if cond_adv is None:
        cond_adv = _equivariant(group_preference_symbol)
    K = len(pi_old)
    # one term per (group, position); SymPy's Add collects equal monomials as it goes
    return sp.Add(*[_prob(pi_old, group) * pi_theta[group[i]] / pi_old[group[i]]
                    * cond_adv(i, group) / G
                    for group in itertools.product(range(K), repeat=G) for i in range(G)])


def expected_preference(pi_theta: Sequence[sp.Expr], pi_old: Sequence[sp.Expr], G: int,
                        pref: Callable[[int, Sequence[int]], sp.Expr]
                        = group_preference_symbol) -> sp.Expr:
    """E_{o ~ pi_theta}[P_G(o | pi_old)], the right side of (6)."""
    return sp.Add(*[pi_theta[o] * expected_group_preference(o, pi_old, G, pref)
                    for o in range(len(pi_theta))])


# -- expectations over i.i.d. groups of symbolic size -----------------------------------

LITERAL_GROUPS = 64      # K^G ordered groups at most, written out at concrete sizes
# (above it the operators stay unevaluated: the numeric backup skips such a point)


def _per_output(f: sp.Lambda, K: int) -> tuple[sp.Expr, ...]:
    return tuple(f(sp.Integer(o)) for o in range(1, K + 1))


class GroupPreference(sp.Function):
    """P_G(o | pi) = E_{o'_1..o'_{G-1} i.i.d. pi}[P_G(o | {o'})] for K outputs, outputs
    numbered 1..K: ``GroupPreference(G, K, o, pi)`` with ``pi`` a Lambda of the output.

    Stays unevaluated while a size is a symbol; at concrete sizes (K^(G-1) groups at
    most :data:`LITERAL_GROUPS`) it is :func:`expected_group_preference`, with the
    opaque P_G(o | multiset) of :func:`group_preference_symbol`.
    """

    polynomial_in_its_arguments = True    # defined where its arguments are (kernel)
    nargs = 4

    @classmethod
    def eval(cls, G, K, o, pi):
        if G.is_Integer and K.is_Integer and o.is_Integer and int(K) ** (int(G) - 1) \
                <= LITERAL_GROUPS:
            return expected_group_preference(int(o) - 1, _per_output(pi, int(K)), int(G))
        return None

    def _latex(self, printer, exp=None) -> str:
        G, _, o, pi = self.args
        return r"\mathcal{P}_{%s}(%s \mid %s)" % (printer._print(G), printer._print(o),
                                                   printer._print(pi.expr))


def shift_only_group_preference(o, rbar: Family, pi: Family, G: sp.Expr) -> sp.Expr:
    """P_G(o | pi) for shift-only advantages A_1 = r_1 - mean (Sec. 3), K outputs:
    E[A_1 | o_1 = o] = rbar(o) - (rbar(o) + (G - 1) E[avg of rbar over the G - 1 others])/G,
    the others o_2..o_G i.i.d. pi and rbar(o) = E[r | o] (rewards may be stochastic: A_1 is
    linear in the rewards).  The expectation over the others stays a
    :class:`~grpo_sym.grpo.penalty.GroupAverage` of G - 1 draws.
    """
    x = sp.Symbol("x", integer=True, positive=True)
    others = GroupAverage(G - 1, sp.Lambda(x, rbar[x]), sp.Lambda(x, pi[x]), pi.count)
    return rbar[o] - (rbar[o] + (G - 1) * others) / G


class GroupAdvantageAverage(sp.Function):
    """E_{o_1..o_G i.i.d. pi}[(1/G) sum_i f(o_i) A_i] for K outputs:
    ``GroupAdvantageAverage(G, K, f, pi)``, ``f`` and ``pi`` Lambdas of the output.

    ``R_G`` of (6) is this with f = pi_theta/pi_old and pi = pi_old.  At concrete
    sizes (K^G at most :data:`LITERAL_GROUPS`) it is the sum over all ordered groups,
    with E[A_i | group] = P_G(o_i | the others) (opaque, as in
    :func:`reward_preference`); otherwise it stays unevaluated.
    """

    polynomial_in_its_arguments = True    # defined where its arguments are (kernel)
    nargs = 4

    @classmethod
    def eval(cls, G, K, f, pi):
        if G.is_Integer and K.is_Integer and int(K) ** int(G) <= LITERAL_GROUPS:
            g, k = int(G), int(K)
            fs, ps = _per_output(f, k), _per_output(pi, k)
            cond = _equivariant(group_preference_symbol)
            return sp.Add(*[_prob(ps, group) * fs[group[i]] * cond(i, group) / g
                            for group in itertools.product(range(k), repeat=g)
                            for i in range(g)])
        return None

    def _latex(self, printer, exp=None) -> str:
        G, _, f, pi = self.args
        g = printer._print(G)
        return (r"\mathbb{E}_{o_1, \dots, o_{%s} \sim %s}\Big[\tfrac{1}{%s}\textstyle"
                r"\sum_{i} %s\, A_i\Big]" % (g, printer._print(pi.expr), g,
                                            printer._print(f.expr)))


# -- pairwise preferences --------------------------------------------------------------

def pairwise_preference(o: int, o2: int, laws: Sequence[Law]) -> sp.Expr:
    """P(o > o') = P[r > r'] with r ~ laws[o], r' ~ laws[o2] independent.

    >>> pairwise_preference(0, 0, [[(sp.Integer(1), 1)]])     # a tie is not a win
    0
    """
    return sp.Add(*[pa * pb * sp.Heaviside(a - b, 0) for a, pa in laws[o] for b, pb in laws[o2]])


def tie_probability(o: int, o2: int, laws: Sequence[Law]) -> sp.Expr:
    """P[r = r'] with r ~ laws[o], r' ~ laws[o2] independent.

    >>> third = sp.Rational(1, 3)
    >>> tie_probability(0, 0, [[(sp.Integer(1), third), (sp.Integer(2), 1 - third)]])
    5/9
    """
    return sp.Add(*[pa * pb * sp.Piecewise((1, sp.Eq(a, b)), (0, True))
                    for a, pa in laws[o] for b, pb in laws[o2]])


def pair_expectation(pi_theta, pi_old, f: Callable[[int, int], sp.Expr]) -> sp.Expr:
    """E_{o ~ pi_theta, o' ~ pi_old}[f(o, o')] (tuples, or Families for K symbolic)."""
    if isinstance(pi_theta, Family):
        return weighted_sum(pi_theta, lambda a: weighted_sum(pi_old, lambda b: f(a, b),
                                                              SECOND_INDEX))
    K = len(pi_theta)
    return sp.Add(*[pi_theta[o] * pi_old[o2] * f(o, o2) for o in range(K) for o2 in range(K)])


# -- large groups ---------------------------------------------------------------------

def reward_std(pi: Sequence[sp.Expr], rbar: Sequence[sp.Expr]) -> sp.Expr:
    """sigma(pi) = sqrt(E_{o ~ pi}[(r(o) - E_{o ~ pi}[r])^2]) for deterministic rewards.

    >>> q = sp.Symbol("q", positive=True)
    >>> sp.factor(reward_std((q, 1 - q), (1, 0))**2)
    -q*(q - 1)
    """
    mean = sp.Add(*[p * r for p, r in zip(pi, rbar)])
    return sp.sqrt(sp.Add(*[p * (r - mean) ** 2 for p, r in zip(pi, rbar)]))


def weighted_sum(pi, f: Callable, index: sp.Symbol = OUTPUT_INDEX) -> sp.Expr:
    """sum_o pi(o) f(o) over the outputs: a tuple, or a Family (K symbolic; ``index``
    names the summation index, another one for a sum inside a sum).

    >>> weighted_sum((sp.Rational(1, 4), sp.Rational(3, 4)), lambda o: o)
    3/4
    """
    if isinstance(pi, Family):
        return pi.total(lambda j: pi[j] * f(j), index)
    return sp.Add(*[p * f(o) for o, p in enumerate(pi)])


def large_group_preference(o, rbar, pi_old, sigma: sp.Expr) -> sp.Expr:
    """P_inf(o | pi_old) = (r(o) - E_{o' ~ pi_old}[r(o')])/sigma(pi_old).

    ``rbar`` are the expected rewards r(o|q); ``sigma`` the std of the reward of
    an output drawn from pi_old (for stochastic rewards it includes their noise).
    Tuples, or Families for K symbolic.
    """
    return (rbar[o] - weighted_sum(pi_old, lambda j: rbar[j])) / sigma


def large_group_reward_preference(pi_theta, rbar, pi_old, sigma: sp.Expr) -> sp.Expr:
    """E_{o ~ pi_theta}[P_inf(o | pi_old)]."""
    return weighted_sum(pi_theta, lambda o: large_group_preference(o, rbar, pi_old, sigma))


def pair_group_preference(o, pi, prefer: Callable) -> sp.Expr:
    """P_2(o | pi) = E_{o' ~ pi}[P(o > o') - P(o' > o)] for groups of two, with
    ``prefer(a, b)`` = P(a > b) (``s2.1.pairs.preference.corrected``: this is the
    expected advantage of o in a group of two, for any reward model)."""
    return weighted_sum(pi, lambda b: prefer(o, b) - prefer(b, o))


# -- a binary question: outputs a (better) and b --------------------------------------

def binary_advantage(G, k) -> sp.Expr:
    """A_1 of an output a in a group of G with k further a's (r(a) > r(b)):
    sqrt((G - 1 - k)/(k + 1)); 0 when the whole group is a (the 0/0 convention).
    ``G`` and ``k`` may be symbols.

    >>> [binary_advantage(4, k) for k in range(4)]
    [sqrt(3), 1, sqrt(3)/3, 0]
    """
    return sp.sqrt(sp.sympify(G - 1 - k) / (k + 1))


WRITTEN_OUT_DRAWS = 8    # n i.i.d. draws written out (2^n ordered outcomes) at most
COUNT_A = variable("n_a", sp.Range(0, sp.oo), latex=r"n_a")   # a's among the other outputs
COUNT_B = variable("n_b", sp.Range(0, sp.oo), latex=r"n_b")   # b's among the other outputs


class DrawCountExpectation(sp.Function):
    """E[h(#a, #b)] over n i.i.d. draws, each a with probability q and b with 1 - q:
    ``DrawCountExpectation(n, h, q)`` with ``h`` a Lambda of the two counts.

    Stays unevaluated while n is a symbol; at a concrete n (at most
    :data:`WRITTEN_OUT_DRAWS`) it is the sum over all 2^n ordered outcomes of their
    probability times h of their counts -- the definition, not the binomial law (that is the
    named axiom ``s2.1.binary.count-law``).

    >>> q = sp.Symbol("q", positive=True)
    >>> h = sp.Lambda((COUNT_A, COUNT_B), COUNT_A**2)
    >>> sp.expand(DrawCountExpectation(2, h, q))
    2*q**2 + 2*q
    """

    polynomial_in_its_arguments = True    # defined where its arguments are (kernel)
    nargs = 3

    @classmethod
    def eval(cls, n, h, q):
        if not isinstance(h, sp.Lambda) or len(h.variables) != 2:
            raise TypeError("DrawCountExpectation(n, h, q) takes a Lambda h of the two counts")
        if n.is_Integer and 0 <= n <= WRITTEN_OUT_DRAWS:
            values = {k: h(sp.Integer(k), sp.Integer(int(n) - k)) for k in range(int(n) + 1)}
            return sp.Add(*[sp.Mul(*[q if x else 1 - q for x in draws]) * values[sum(draws)]
                            for draws in itertools.product((1, 0), repeat=int(n))])
        return None

    def _latex(self, printer, exp=None) -> str:
        n, h, q = self.args
        tex = (r"\mathbb{E}_{o'_1, \dots, o'_{%s} \sim (%s, 1 - %s)}\big[%s\big]"
               % (printer._print(n), printer._print(q), printer._print(q),
                  printer._print(h.expr)))
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)


def binary_conditional_advantage(o: int, further_a, further_b, r_a, r_b,
                                 std: str = "population", eps=0) -> sp.Expr:
    """E[A_1 | o_1 = o, the others] for a binary question with deterministic rewards
    r(a) = ``r_a``, r(b) = ``r_b`` (output 0 is a, 1 is b): the advantage (2), 0/0 := 0, at
    position 1 of a group holding ``further_a`` a's and ``further_b`` b's besides o_1, the
    outputs of o_1's kind first (by equivariance the order of the others does not matter).
    ``std`` and ``eps`` choose the convention of :func:`~grpo_sym.grpo.advantage.advantage`.

    >>> r = sp.Symbol("r", real=True)
    >>> binary_conditional_advantage(0, 0, 3, r + 1, r).doit()
    sqrt(3)
    >>> binary_conditional_advantage(1, 2, 0, r + 1, r).doit()
    -sqrt(2)
    >>> binary_conditional_advantage(0, 0, 1, r + 1, r, std="bessel").doit()
    sqrt(2)/2
    """
    if o == 0:
        return advantage(two_level_group(further_a + 1, further_b, r_a, r_b), 1, std, eps)
    return advantage(two_level_group(further_b + 1, further_a, r_b, r_a), 1, std, eps)


def binary_preference_definition(o: int, G, q: sp.Expr, r_a, r_b,
                                 std: str = "population", eps=0) -> sp.Expr:
    """P_G(o | pi_old) for a binary question from its definition: the expectation over the
    G - 1 other outputs, i.i.d. with pi_old(a) = q, of :func:`binary_conditional_advantage`
    (a :class:`DrawCountExpectation`; ``G`` may be a symbol; ``std``, ``eps`` as there).

    >>> q, r = sp.Symbol("q", positive=True), sp.Symbol("r", real=True)
    >>> sp.expand(binary_preference_definition(0, 2, q, r + 1, r).doit())
    1 - q
    """
    return DrawCountExpectation(G - 1, sp.Lambda(
        (COUNT_A, COUNT_B),
        binary_conditional_advantage(o, COUNT_A, COUNT_B, r_a, r_b, std, eps)), q)


def binary_group_preference(G: int | sp.Symbol, q: sp.Expr, k: sp.Symbol) -> sp.Sum:
    """P_G(a | pi_old) = sum_k C(G-1, k) q^k (1-q)^(G-1-k) sqrt((G-1-k)/(k+1)),
    q = pi_old(a), as an unevaluated sum over ``k`` (``G`` may be a symbol).

    >>> q, k = sp.Symbol("q", positive=True), sp.Symbol("k", integer=True)
    >>> sp.expand(binary_group_preference(2, q, k).doit())
    1 - q
    """
    term = sp.binomial(G - 1, k) * q**k * (1 - q)**(G - 1 - k) * binary_advantage(G, k)
    return sp.Sum(term, (k, 0, G - 1))


def binary_large_group_preference(q: sp.Expr) -> sp.Expr:
    """P_inf(a | pi_old) = sqrt((1 - q)/q) for r(a) > r(b), q = pi_old(a)."""
    return sp.sqrt((1 - q) / q)


def binary_group_preference_mp(G: int, q, tail: float = 1e-80) -> mpmath.mpf:
    """P_G(a | pi_old) in mpmath at the working precision (any G >= 2, 0 < q < 1).

    The binomial weights are built by their ratio recurrence; terms whose
    weight is below ``tail`` times the largest are skipped (at most G of them,
    each times at most sqrt(G - 1), so the error is below G^1.5 * tail).

    >>> with mpmath.workdps(30):
    ...     print(mpmath.nstr(binary_group_preference_mp(4, mpmath.mpf(1) / 2), 20))
    0.80801270189221932338
    """
    q = mpmath.mpf(q)
    n = G - 1
    ratio = q / (1 - q)
    # start at the mode so that the recurrence runs in both directions without underflow
    mode = int(mpmath.floor((n + 1) * q))
    mode = min(max(mode, 0), n)
    log_w = (mpmath.loggamma(n + 1) - mpmath.loggamma(mode + 1) - mpmath.loggamma(n - mode + 1)
             + mode * mpmath.log(q) + (n - mode) * mpmath.log(1 - q))
    w_mode = mpmath.exp(log_w)
    total = mpmath.mpf(0)
    cutoff = w_mode * mpmath.mpf(tail)
    w = w_mode
    for k in range(mode, n + 1):                      # upwards
        if w < cutoff:
            break
        if k < n:
            total += w * mpmath.sqrt(mpmath.mpf(n - k) / (k + 1))
        w = w * ratio * (n - k) / (k + 1)
    w = w_mode
    for k in range(mode - 1, -1, -1):                 # downwards
        w = w / ratio * (k + 1) / (n - k)
        if w < cutoff:
            break
        total += w * mpmath.sqrt(mpmath.mpf(n - k) / (k + 1))
    return total
