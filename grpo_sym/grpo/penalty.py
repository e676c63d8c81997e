"""The divergences of Sections 1.1 and 2.2 for a question with finitely many outputs.

A distribution over K outputs is a tuple of K probability expressions
(``symbols.policy("pi_theta", K)``); every function here works for any K and
any expressions, so the same objects serve symbolic claims and numbers.

An expectation ``E_{x ~ pi'}[f(x)]`` is a sum over the *support* of ``pi'``:
the term of an output with ``pi'(o) = 0`` is dropped, not evaluated.  Each term
is written ``Piecewise((pi'(o) f(o), pi'(o) > 0), (0, True))``, which SymPy
reduces to ``pi'(o) f(o)`` as soon as ``pi'(o)`` is known to be positive (an
interior policy), and keeps otherwise.  This is what makes
``E_{x ~ pi}[pi*(x)/pi(x)] = sum_{o in supp pi} pi*(o)`` come out right: SymPy
cancels ``pi(o) * pi*(o)/pi(o)`` to ``pi*(o)`` inside the support branch only.

=============================  ===================================================
function                       object of the paper
=============================  ===================================================
``expectation(pi, f)``         E_{x ~ pi}[f(x)], a sum over the support of pi
``kl(pi, pi_star)``            KL(pi || pi*) = E_{x ~ pi}[log(pi(x)/pi*(x))]
``reverse_kl(pi_theta, ref)``  KL_rev(pi_theta || pi_ref) = KL(pi_ref || pi_theta)
``kl0(pi, pi_star, pi_p)``     KL_0(pi || pi*; pi') of Section 2.2
``per_sample_penalty(t, r)``   D_i = r/t - log(r/t) - 1 at pi_theta(o_i) = t,
                               pi_ref(o_i) = r
``log_gap(x)``                 x - log x - 1, so D_i = log_gap(pi_ref/pi_theta)
``group_average(G, d, pi)``    E over o_1..o_G i.i.d. pi of (1/G) sum_i d(o_i)
``GroupAverage``               the same as an unevaluated SymPy function of G
``gibbs_policy(ref, r, beta)``  pi_ref(o) e^{r(o)/beta} / Z_q, equation (4)
``partition_function``         Z_q = sum_o pi_ref(o) e^{r(o)/beta}
``rlhf_objective``             (3) for one question: E_pi[r] - beta KL(pi || pi_ref)
=============================  ===================================================

>>> import sympy as sp
>>> half = sp.Rational(1, 2)
>>> kl((half, half), (half, half))
0
>>> kl0((1, 0), (half, half), (1, 0))       # pi(2) = 0: output 2 is not sampled
-1/2 + log(2)
>>> kl((1, 0), (half, half))
log(2)
>>> per_sample_penalty(half, half)
0
"""
from __future__ import annotations

import itertools
import math
from typing import Iterator, Sequence

import sympy as sp

from .symbols import Family

__all__ = [
    "Distribution", "on_support", "expectation", "kl", "reverse_kl", "kl0", "log_gap",
    "per_sample_penalty", "compositions", "group_average", "group_average_sequences",
    "GroupAverage", "partition_function", "gibbs_policy", "rlhf_objective",
]

WRITTEN_OUT_GROUPS = 256     # count vectors at most, for a GroupAverage of K outputs written out
Distribution = "Sequence[sp.Expr] | Family"   # (pi(1), ..., pi(K)), or K symbolic


def on_support(p: sp.Expr, term: sp.Expr) -> sp.Expr:
    """``term`` where ``p > 0`` and 0 where ``p = 0`` (the summand of an expectation).

    >>> x = sp.Symbol("x", positive=True); y = sp.Symbol("y", nonnegative=True)
    >>> on_support(x, 3 * x)
    3*x
    >>> on_support(y, 3 * y)
    Piecewise((3*y, y > 0), (0, True))
    """
    p, term = sp.sympify(p), sp.sympify(term)
    return sp.Piecewise((term, p > 0), (0, True))


def _at(values, o) -> sp.Expr:
    return values(o) if callable(values) else values[o]


def expectation(pi: Distribution, values) -> sp.Expr:
    """E_{x ~ pi}[f(x)]: the sum of pi(o) f(o) over the support of pi.

    ``values`` gives f: a sequence (``values[o] = f(o)``) or a function of the
    output.  For a :class:`~grpo_sym.grpo.symbols.Family` (K symbolic) the sum is
    a SymPy ``Sum`` over the outputs 1..K.

    >>> p = sp.symbols("p1 p2", positive=True)
    >>> expectation(p, (1, 5))
    p1 + 5*p2
    >>> from grpo_sym.grpo.symbols import policy_family
    >>> expectation(policy_family("pi_ref"), lambda o: 2)
    Sum(2*pi_ref[j], (j, 1, K))
    """
    if isinstance(pi, Family):
        return pi.total(lambda o: on_support(pi[o], pi[o] * _at(values, o)))
    if not callable(values) and len(pi) != len(values):
        raise ValueError(f"{len(pi)} probabilities but {len(values)} values")
    return sp.Add(*[on_support(p, p * _at(values, o)) for o, p in enumerate(pi)])


def kl(pi: Distribution, pi_star: Distribution) -> sp.Expr:
    """KL(pi || pi*) = E_{x ~ pi}[log(pi(x)/pi*(x))], written -E_{x ~ pi}[log(pi*(x)/pi(x))].

    Outputs with pi(o) = 0 add 0.  The second form is the same number; it is the
    form in which the paper's (9) and KL_0 speak (both use the ratio pi*/pi), so
    that KL_0(pi || pi*; pi) - KL(pi || pi*) = E_pi[pi*/pi] - 1 holds term by term,
    also where pi* is eliminated as one minus the others (a logarithm of a ratio
    of such a difference is not split by SymPy, rightly).

    >>> p = sp.symbols("p1 p2", positive=True); q = sp.symbols("q1 q2", positive=True)
    >>> kl(p, q)
    -p1*log(q1/p1) - p2*log(q2/p2)
    >>> sp.expand(kl(p, q) - (p[0] * sp.log(p[0] / q[0]) + p[1] * sp.log(p[1] / q[1])))
    0
    """
    return -expectation(pi, lambda o: sp.log(pi_star[o] / pi[o]))


def reverse_kl(pi_theta: Distribution, pi_ref: Distribution) -> sp.Expr:
    """KL_rev(pi_theta || pi_ref) = KL(pi_ref || pi_theta) = E_{pi_ref}[log(pi_ref/pi_theta)].

    >>> t = sp.symbols("t1 t2", positive=True); r = sp.symbols("r1 r2", positive=True)
    >>> reverse_kl(t, r) == kl(r, t)
    True
    """
    return kl(pi_ref, pi_theta)


def kl0(pi: Distribution, pi_star: Distribution, pi_prime: Distribution) -> sp.Expr:
    """KL_0(pi || pi*; pi') = E_{pi'}[pi*/pi] - E_{pi'}[log(pi*/pi)] - 1, as printed in Sec. 2.2.

    >>> t = sp.symbols("t1 t2", positive=True); r = sp.symbols("r1 r2", positive=True)
    >>> o = sp.symbols("o1 o2", positive=True)
    >>> kl0(t, r, o)
    o1*r1/t1 - o1*log(r1/t1) + o2*r2/t2 - o2*log(r2/t2) - 1
    """
    def ratio(o):
        return pi_star[o] / pi[o]

    return (expectation(pi_prime, ratio) - expectation(pi_prime, lambda o: sp.log(ratio(o)))
            - 1)


def log_gap(x: sp.Expr) -> sp.Expr:
    """x - log x - 1, which is >= 0 for x > 0 with its minimum 0 at x = 1.

    >>> log_gap(1)
    0
    """
    x = sp.sympify(x)
    return x - sp.log(x) - 1


def per_sample_penalty(pi_theta_o: sp.Expr, pi_ref_o: sp.Expr) -> sp.Expr:
    """D_i(theta) of (1) for a sampled output o_i with pi_theta(o_i) and pi_ref(o_i).

    >>> t, r = sp.symbols("t r", positive=True)
    >>> per_sample_penalty(t, r)
    r/t - log(r/t) - 1
    """
    return log_gap(sp.sympify(pi_ref_o) / pi_theta_o)


# -- expectations over i.i.d. groups --------------------------------------------------

def compositions(G: int, K: int) -> Iterator[tuple[int, ...]]:
    """Count vectors (n_1, ..., n_K) of non-negative integers with sum G.

    >>> list(compositions(2, 2))
    [(2, 0), (1, 1), (0, 2)]
    """
    if K == 1:
        yield (G,)
        return
    for n in range(G, -1, -1):
        for rest in compositions(G - n, K - 1):
            yield (n, *rest)


def group_average(G: int, values: Sequence[sp.Expr], pi: Distribution) -> sp.Expr:
    """E_{o_1..o_G i.i.d. pi}[(1/G) sum_i values[o_i]], written out for a concrete G.

    The average depends on a group only through the counts n_o of each output,
    and the counts are multinomial: the expectation is the sum over count vectors
    of G!/(n_1! ... n_K!) prod_o pi(o)^{n_o} (1/G) sum_o n_o values[o].  That is the
    same polynomial as the sum over all K^G ordered groups
    (:func:`group_average_sequences`), with K^G terms collected into C(G+K-1, K-1).

    >>> p, d = sp.symbols("p1 p2"), sp.symbols("d1 d2")
    >>> sp.expand(group_average(3, d, p) - group_average_sequences(3, d, p))
    0
    """
    if len(pi) != len(values):
        raise ValueError(f"{len(pi)} probabilities but {len(values)} values")
    terms = []
    for ns in compositions(G, len(pi)):
        coef = math.factorial(G)
        for n in ns:
            coef //= math.factorial(n)
        weight = sp.Mul(*[p ** n for p, n in zip(pi, ns)])
        average = sp.Add(*[sp.Rational(n, G) * v for n, v in zip(ns, values) if n])
        terms.append(coef * weight * average)
    return sp.Add(*terms)


def group_average_sequences(G: int, values: Sequence[sp.Expr], pi: Distribution) -> sp.Expr:
    """The definition itself: the sum over all K^G ordered groups (o_1, ..., o_G) of
    prod_i pi(o_i) times (1/G) sum_i values[o_i].  Exponential in G: for tests.

    >>> group_average_sequences(2, (1, 0), (sp.Rational(1, 4), sp.Rational(3, 4)))
    1/4
    """
    K = len(pi)
    total = []
    for seq in itertools.product(range(K), repeat=G):
        weight = sp.Mul(*[pi[o] for o in seq])
        total.append(weight * sp.Add(*[values[o] for o in seq]) / G)
    return sp.Add(*total)


class GroupAverage(sp.Function):
    """E_{o_1..o_G i.i.d. pi}[(1/G) sum_i d(o_i)] for a group size G that may be a symbol.

    ``GroupAverage(G, (d_1..d_K), (pi_1..pi_K))`` stays unevaluated while G is a
    symbol and becomes :func:`group_average` once G is a positive integer, so a
    claim over a finite set of group sizes is checked size by size.  For K
    outputs with K symbolic, ``GroupAverage(G, d, pi, K)`` takes Lambdas of the
    output 1..K and is written out once G and K are integers.

    >>> G = sp.Symbol("G", integer=True, positive=True)
    >>> p, d = sp.symbols("p1 p2"), sp.symbols("d1 d2")
    >>> e = GroupAverage(G, d, p)
    >>> e.subs(G, 1)
    d1*p1 + d2*p2
    >>> sp.latex(e).startswith(r"\\mathbb{E}_{o_1, \\dots, o_{G} \\sim")
    True
    """

    polynomial_in_its_arguments = True    # defined where its arguments are (kernel)
    nargs = (3, 4)

    @classmethod
    def eval(cls, G, values, pi, K=None):
        if K is not None:
            # K outputs, K possibly symbolic: values and pi are Lambdas of the output 1..K
            if not isinstance(values, sp.Lambda) or not isinstance(pi, sp.Lambda):
                raise TypeError("GroupAverage(G, values, pi, K) takes Lambdas of the output")
            if G.is_Integer and K.is_Integer and G >= 1 and \
                    math.comb(int(G) + int(K) - 1, int(K) - 1) <= WRITTEN_OUT_GROUPS:
                k = int(K)
                return group_average(int(G), tuple(values(sp.Integer(o)) for o in range(1, k + 1)),
                                     tuple(pi(sp.Integer(o)) for o in range(1, k + 1)))
            return None
        if not isinstance(values, sp.Tuple) or not isinstance(pi, sp.Tuple):
            raise TypeError("GroupAverage(G, values, pi) takes tuples of values and probabilities")
        if len(values) != len(pi):
            raise ValueError(f"{len(pi)} probabilities but {len(values)} values")
        if G.is_Integer:
            if G < 1:
                raise ValueError(f"a group has at least one output, not {G}")
            return group_average(int(G), tuple(values), tuple(pi))
        return None

    def _latex(self, printer) -> str:
        G, values, pi = self.args[:3]
        g = printer._print(G)
        if isinstance(values, sp.Lambda):
            values, pi = values.expr, pi.expr
        return (rf"\mathbb{{E}}_{{o_1, \dots, o_{{{g}}} \sim {printer._print(pi)}}}"
                rf"\Big[\tfrac{{1}}{{{g}}} \textstyle\sum_{{i=1}}^{{{g}}} "
                rf"{printer._print(values)}(o_i)\Big]")


# -- RLHF (Section 1.1) ------------------------------------------------------------------

def partition_function(pi_ref: Distribution, rewards: Sequence[sp.Expr], beta: sp.Expr) -> sp.Expr:
    """Z_q = sum_o pi_ref(o) exp(r(o)/beta), the normalisation of (4).

    >>> partition_function((sp.Rational(1, 2), sp.Rational(1, 2)), (0, 0), 1)
    1
    """
    if isinstance(pi_ref, Family):
        return pi_ref.total(lambda o: pi_ref[o] * sp.exp(rewards[o] / beta))
    return sp.Add(*[p * sp.exp(r / beta) for p, r in zip(pi_ref, rewards)])


def gibbs_policy(pi_ref: Distribution, rewards: Sequence[sp.Expr], beta: sp.Expr
                 ) -> Distribution:
    """The policy (4): pi(o) = pi_ref(o) exp(r(o)/beta) / Z_q.

    >>> gibbs_policy((sp.Rational(1, 2), sp.Rational(1, 2)), (0, 0), 1)
    (1/2, 1/2)
    """
    Z = partition_function(pi_ref, rewards, beta)
    if isinstance(pi_ref, Family):
        return Family(None, pi_ref.count, lambda o: pi_ref[o] * sp.exp(rewards[o] / beta) / Z)
    return tuple(p * sp.exp(r / beta) / Z for p, r in zip(pi_ref, rewards))


def rlhf_objective(pi: Distribution, rewards: Sequence[sp.Expr], beta: sp.Expr,
                   pi_ref: Distribution) -> sp.Expr:
    """(3) for one question: E_{o ~ pi}[r(o)] - beta KL(pi || pi_ref).

    >>> half = sp.Rational(1, 2)
    >>> rlhf_objective((half, half), (1, 0), 1, (half, half))
    1/2
    """
    return expectation(pi, rewards) - beta * kl(pi, pi_ref)
