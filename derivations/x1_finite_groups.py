"""Beyond the paper -- every finite group size, binary questions.

The paper solves the binary question only for groups of two ((14)) and in the limit of large
groups ((15)).  Here every group size G is treated: a question with answers a (the better one)
and b, deterministic rewards r(a) > r(b); p = pi_theta(a), q = pi_old(a), f = pi_ref(a).
Claims hold for a symbolic group size G (sums over a symbolic range:
:mod:`grpo_sym.proof.binomial`); the preferences from the group definition are also written out
for G = 2..8 (every ordered group, ``x1.preference.*.definition.small-groups``).

* **P_G for a binary question** (``x1.preference.*``).  From the group advantages (2) with
  the 0/0 convention, P_G(a | q) = sum_k C(G-1, k) q^k (1-q)^(G-1-k) sqrt((G-1-k)/(k+1)) and
  P_G(b | q) = -sum_k C(G-1, k) q^k (1-q)^(G-1-k) sqrt(k/(G-k)) (from the definition, for
  every G: the advantage of a group sorted by kind, ``s2.1.binary.advantage-a``/``-b``, and the
  binomial law of the count of a's among the G - 1 others, the named axiom
  ``s2.1.binary.count-law``; for a this is ``s2.1.large.binary-exact``).  For every G both are Bernstein
  polynomials of phi(x) = sqrt(x (1 - x)): q P_G(a | q) = B_G[phi](q) and
  (1 - q) P_G(b | q) = -B_G[phi](q), where
  B_G[phi](x) = sum_{j=0}^{G} C(G, j) x^j (1 - x)^(G-j) phi(j/G) (index shift j = k + 1 and
  absorption C(G-1, k)(k+1)/G = C(G, k+1), :mod:`grpo_sym.proof.binomial`).  Hence
  E_{o ~ q}[P_G(o | q)] = 0 and P_G(b | q) = -q P_G(a | q)/(1 - q), and the *effective margin*
  gamma_G(q) = P_G(a | q) - P_G(b | q) is B_G[phi](q)/(q (1 - q)): gamma_2 = 1,
  gamma_3 = sqrt 2, gamma_inf = 1/sqrt(q (1 - q)).
* **The stationary condition** (``x1.objective.*``, ``x1.stationarity*``).  J_G(p; q) =
  p P_G(a | q) + (1 - p) P_G(b | q) - beta KL_0, differentiated, on policy, set to zero: for
  every G, beta (p - f) = p (1 - p)(P_G(a | p) - P_G(b | p)) -- (17) with gamma replaced by
  gamma_G(p) -- that is, beta (p - f) = B_G[phi](p).
* **Closed forms** (``x1.bernstein.u-polynomial.g*``, ``x1.g2.*``, ``x1.g3.*``).
  B_G[phi] is a polynomial of degree floor(G/2) in u = p (1 - p): u, sqrt2 u,
  sqrt3 u + (3 - 2 sqrt3) u^2, 2u + (2 sqrt6 - 6) u^2, ...  G = 2 gives (14) with gamma = 1;
  G = 3 gives (14) with beta/sqrt 2 in place of beta/gamma.  For G = 4, 5 the condition is an
  irreducible quartic in p whose roots (SymPy ``roots``) have about 2000 operations each: not
  stated; the inverse is explicit, pi_ref(a) = p - B_G[phi](p)/beta.
* **Existence and uniqueness** (every G).  B_G[phi]' and B_G[phi]'' are Bernstein sums of the
  first and second differences of phi (``x1.bernstein.derivative``,
  ``x1.bernstein.second-derivative``); B_G[phi] is concave (``x1.bernstein.concave``: each
  second difference of phi, rationalised, is visibly positive), B_G - p B_G' >= 0
  (``x1.bernstein.chord``), so h(p)/p with h(p) = beta (p - f) - B_G[phi](p) strictly
  increases on (0, 1) (``x1.stationary.unique``); h(f) = -B_G(f) < 0
  (``x1.bernstein.positive``) and h(1) = beta (1 - f) > 0 (``x1.bernstein.at-one``), so a
  root exists in (f, 1) by the intermediate value theorem (``x1.stationary.exists``,
  ``IntermediateValue``): exactly one stationary p*_G, in (f, 1) (``x1.stationary.exactly-one``:
  two roots coincide; ``x1.stationary.above-reference``).  A root is a symbol with its
  defining equation as a premise, and ``MonotoneComparison`` orders two roots through a
  strictly increasing g.
* **Monotone** (every G).  B_{G+1}[phi] >= B_G[phi] (``x1.bernstein.increasing-in-g``, degree
  elevation and a Bernstein sum of Jensen gaps), so h_{G+1}(p*_G) <= 0 and
  p*_G <= p*_{G+1} (``x1.stationary.increasing-in-g``, ``x1.stationary.monotone-in-g``).
  B_G[phi] <= phi (``x1.bernstein.below-phi``, tangent lines averaged with the binomial
  weights, which sum to at most 1 by the named axiom ``x1.bernstein.weights``, the binomial
  theorem) gives (19) <= 0 at p*_G (``x1.stationary.below-large-group``), so p*_G <= (15)
  (``x1.stationary.below-eq15``).  p*_G decreases in beta and increases in pi_ref(a)
  (``x1.stationary.decreasing-in-beta``, ``x1.stationary.increasing-in-pi-ref``, every G).
* **pi_ref(a) = 0** (item 6 of issue 11).  B_G[phi]'(0) = sqrt(G - 1)
  (``x1.bernstein.slope-at-zero``) and B_G[phi](p) <= sqrt(G - 1) p
  (``x1.bernstein.below-slope-at-zero``), so for beta >= sqrt(G - 1) there is no interior
  stationary point at pi_ref(a) = 0 (``x1.stationary.no-interior-at-zero-reference``); for
  beta < sqrt(G - 1) there is one, as P_G(a | p) - beta goes from sqrt(G - 1) - beta > 0
  (``x1.preference.a.at-zero``) to -beta (``x1.preference.a.at-one``)
  (``x1.stationary.interior-at-zero-reference``): p*_G jumps away from 0 at pi_ref(a) = 0 iff
  beta < sqrt(G - 1), one claim (``x1.stationary.jump-threshold``, ``RootThreshold``);
  (G - 1)/sqrt(G) with the Bessel std (``x2.bessel.jump-threshold``).
* **A lower bound** (every G).  P_G(a | .) = B_G[phi](p)/p strictly decreases
  (``x1.preference.a.decreasing``), and at p*_G it equals beta - beta f/p* < beta, so
  p*_G > max{pi_ref(a), p0_G(beta)} with P_G(a | p0) = beta (``x1.stationary.lower-bound``;
  p0 exists for beta < sqrt(G - 1), ``x1.preference.a.level-exists``); p0_2 = 1 - beta
  (``x1.level-point.pairs``) and P_inf(a | p0) = beta at p0 = 1/(1 + beta^2)
  (``x1.level-point.large-group``).
* **Large G** (``x1.limit.*``).  B_G[phi](q) - phi(q) = q (P_G(a | q) - P_inf(a | q)), so the
  50-digit rate of ``s2.1.large.binary-exact`` reads G (B_G[phi] - phi) -> -1/(8 phi) =
  q (1 - q) phi''(q)/2 (Voronovskaya's constant, proved).  The limit itself, for symbolic G,
  is beyond the engine; the identity is checked at 50 digits for G = 10, 100, 1000.
* **Maximiser in the paper's sense** (Sec. 1.3).  The second derivative of J_G(.; q) at
  q = p is -beta Q(p)/(p^2 (1 - p)^2) for every G (``x1.objective.second-derivative``, the
  reward part is linear in p), so the local criterion of ``s2.3.1.pairs.second-derivative``
  (strict local maximum iff Q(p_G) > 0) holds verbatim for every G.  With pi_old frozen,
  J_G(.; q) is the pair objective with margin gamma_G(q) (``x1.objective.rescaled``, every
  G), i.e. gamma_G(q) times the pair objective at margin 1 and beta/gamma_G(q); and p_G
  solves (17) with c = beta/gamma_G(p_G).  So every statement about (14) as a maximiser
  transfers with c = beta/gamma_G(p_G), in particular the global-maximiser region
  pi_ref(a) >= p_G/(1 + p_G) of ``s2.3.1.pairs.maximiser.corrected``.  For G = 3 this is
  explicit (gamma_3 = sqrt 2, ``x1.g3.*``): p_3 at beta = sqrt 2 is sqrt(pi_ref(a)), a strict
  local minimum of J_3(.; p_3) for pi_ref(a) < 1/16 and a local maximum above, not the
  maximiser at pi_ref(a) = 1/100, and the global maximiser where pi_ref(a) >= p_3/(1 + p_3).
* **Numbers** (mpmath, not claims): at beta = 0.04, pi_ref(a) = 0.2, p_G = 0.96826 (G = 2),
  0.97750, 0.98152, 0.98393, 0.98557, 0.98679, 0.98773 (G = 8) against (15) = 0.99898: at
  G = 8, 1 - p_G is 0.0123, twelve times the 0.0010 of (15) -- the large-group limit is far
  off where G p (1 - p) << 1, as the rate -1/(8 G phi) predicts.

Engine limits met here.  The binomial theorem (sum_j C(G, j) p^j (1-p)^(G-j) = 1) is a named
axiom, not derived (it needs induction over G), and so is the binomial law of the count of a's
among i.i.d. draws (``s2.1.binary.count-law``).  P_G from the group definition (2) holds for
every G and is also written out for G = 2..8; the Bernstein forms and all that follows hold for
every G.  The global-maximiser region for every G at
once (a certificate over G = 2..8) took 2 s, so it is stated for G = 3 and transferred in the
prose through ``x1.objective.rescaled``.
"""
from __future__ import annotations

import functools
from typing import Callable

import mpmath
import sympy as sp
from sympy import FiniteSet, Interval, Rational, S, Sum, binomial, oo, sqrt

import grpo_sym.derivations.b1_binary_large  # noqa: F401  (registers eq19)
from grpo_sym.derivations import b1_binary_pairs as pairs
from grpo_sym.derivations import s2_1_reward_preference as s2_1
from grpo_sym.derivations.s2_1_reward_preference import BIN_LAWS
from grpo_sym.grpo.preference import (binary_group_preference, binary_group_preference_mp,
                                      binary_large_group_preference, expected_group_preference,
                                      group_preference)
from grpo_sym.grpo.symbols import beta, group_size as G, pi_old_a as q, pi_ref_a as f, \
    pi_theta_a as p
from grpo_sym.numeric import validate
from grpo_sym.proof.binomial import bernstein_derivative, second_difference, split_last
from grpo_sym.proof import (REGISTRY, Axiom, Certificate, Claim, Eq, Ge, Gt, IntermediateValue,
                            Le, Lt, MaxOfBounds, MonotoneComparison, Registry, RootThreshold,
                            Witness, chain, claim, exists_in, lemma_instance, variable)

__all__ = ["PAPER", "SIZES", "check_group_size", "phi", "bernstein", "bernstein_basis",
           "preference_a", "preference_b", "u_polynomial", "objective", "stationarity_claims",
           "exactly_one"]

PAPER = "Beyond the paper: finite groups (binary)"
SIZES = tuple(range(2, 9))                 # group sizes proved by exhaustion
FINITE = FiniteSet(*SIZES)
BELOW_MAX = FiniteSet(*SIZES[:-1])         # G = 2..7, where G + 1 is still in SIZES
POSITIVE = Interval.open(0, oo)
k = sp.Symbol("k", integer=True, nonnegative=True)   # further a's among the G - 1 others
j = sp.Symbol("j", integer=True, nonnegative=True)   # a's in the whole group
SQRT2 = sqrt(2)


def check_group_size(value) -> sp.Expr:
    """The group size G as a SymPy integer: an int >= 2 or an integer SymPy symbol/expression.

    Options
    -------
    value : an integer >= 2 (int, integral float, SymPy Integer) or an integer SymPy symbol

    Raises ValueError naming ``group_size`` for anything else (1, 2.5, NaN, inf, a symbol that
    is not declared an integer).

    >>> check_group_size(8), check_group_size(G)
    (8, G)
    >>> check_group_size(2.5)
    Traceback (most recent call last):
    ...
    ValueError: group_size must be a finite integer >= 2, got 2.5
    """
    if isinstance(value, sp.Basic):
        if not value.is_Number:
            if value.is_integer is not True:
                raise ValueError(f"group_size must be an integer, got {value!r}")
            return value
        if not value.is_Integer:
            raise ValueError(f"group_size must be an integer >= 2, got {value!r}")
        value = int(value)
    try:
        size = validate.group_size_value(value)
    except ValueError:
        size = None
    if not isinstance(size, int):   # math.inf is the numeric API's large-group limit, not a G
        raise ValueError(f"group_size must be a finite integer >= 2, got {value!r}")
    return sp.Integer(size)


def phi(x: sp.Expr) -> sp.Expr:
    """phi(x) = sqrt(x (1 - x)): the std of a 0/1 reward with mean x, and P_inf(a) q.

    Options
    -------
    x : a SymPy expression (a probability)

    >>> phi(Rational(1, 2))
    1/2
    """
    return sqrt(x * (1 - x))


def bernstein(size, x: sp.Expr, fn: Callable[[sp.Expr], sp.Expr] = phi,
              index: sp.Symbol = j) -> sp.Sum:
    """B_G[fn](x) = sum_{j=0}^{G} C(G, j) x^j (1 - x)^(G-j) fn(j/G), unevaluated.

    Options
    -------
    size : the group size G, an integer >= 2 or an integer SymPy symbol
    x : the point (a probability)
    fn : the function sampled at j/G (default ``phi``)
    index : the summation index (default ``j``)

    Raises ValueError for a group size that is not an integer >= 2.

    >>> bernstein(3, Rational(1, 2)).doit()          # sqrt(2) u at u = 1/4
    sqrt(2)/4
    >>> bernstein(1, Rational(1, 2))
    Traceback (most recent call last):
    ...
    ValueError: group_size must be a finite integer >= 2, got 1
    """
    n = check_group_size(size)
    return Sum(binomial(n, index) * x**index * (1 - x)**(n - index) * fn(index / n),
               (index, 0, n))


def bernstein_basis(n, idx, x: sp.Expr = p) -> sp.Expr:
    """The Bernstein basis polynomial C(n, idx) x^idx (1 - x)^(n - idx).

    Options
    -------
    n : the degree (an integer or an integer symbol such as G)
    idx : the index (an integer or a summation index)
    x : the variable (default ``pi_theta_a``)

    >>> bernstein_basis(3, 1, Rational(1, 2))
    3/8
    """
    return binomial(n, idx) * x**idx * (1 - x)**(n - idx)


def preference_a(size, x: sp.Expr) -> sp.Sum:
    """P_G(a | pi_old) with pi_old(a) = x, r(a) > r(b): the sum over the number k of further a's.

    ``grpo_sym.grpo.preference.binary_group_preference`` with the index ``k``.

    Options
    -------
    size : the group size G (integer >= 2 or integer symbol)
    x : pi_old(a)

    >>> sp.expand(preference_a(2, q).doit())
    1 - pi_old_a
    """
    return binary_group_preference(check_group_size(size), x, k)


def preference_b(size, x: sp.Expr) -> sp.Sum:
    """P_G(b | pi_old) = -sum_k C(G-1, k) x^k (1-x)^(G-1-k) sqrt(k/(G-k)), pi_old(a) = x.

    The worse answer b with k a's among the G - 1 others has advantage -sqrt(k/(G-k))
    (0 when k = 0: the whole group is b, the 0/0 convention).

    Options
    -------
    size : the group size G (integer >= 2 or integer symbol)
    x : pi_old(a)

    >>> sp.expand(preference_b(2, q).doit())
    -pi_old_a
    """
    n = check_group_size(size)
    return Sum(-binomial(n - 1, k) * x**k * (1 - x)**(n - 1 - k) * sqrt(k / (n - k)),
               (k, 0, n - 1))


def _power_sum_in_u(n: int, u: sp.Expr) -> sp.Expr:
    """x^n + (1 - x)^n as a polynomial in u = x (1 - x) (Newton: s_n = s_{n-1} - u s_{n-2})."""
    s_prev, s_cur = sp.Integer(2), sp.Integer(1)
    if n == 0:
        return s_prev
    for _ in range(n - 1):
        s_prev, s_cur = s_cur, sp.expand(s_cur - u * s_prev)
    return s_cur


def u_polynomial(size: int, u: sp.Expr) -> sp.Expr:
    """B_G[phi] as a polynomial in u = x (1 - x), coefficients collected (degree floor(G/2)).

    Pairs the terms j and G - j (phi(j/G) = phi(1 - j/G)): x^j (1-x)^(G-j) + x^(G-j) (1-x)^j
    = u^j (x^(G-2j) + (1-x)^(G-2j)), a polynomial in u by Newton's identity.

    Options
    -------
    size : a concrete group size G >= 2
    u : the expression to use for x (1 - x)

    >>> U = sp.Symbol("U")
    >>> u_polynomial(4, U)
    U**2*(3 - 2*sqrt(3)) + sqrt(3)*U
    >>> u_polynomial(0, U)
    Traceback (most recent call last):
    ...
    ValueError: group_size must be a finite integer >= 2, got 0
    """
    n = int(check_group_size(size))
    t = sp.Dummy("u")
    total = sp.S.Zero
    for jj in range(1, n // 2 + 1):
        pair = _power_sum_in_u(n - 2 * jj, t) if 2 * jj < n else sp.Integer(1)
        total += binomial(n, jj) * phi(Rational(jj, n)) * t**jj * pair
    poly = sp.Poly(sp.expand(total), t)
    return sp.Add(*[sp.expand(c) * u**e for (e,), c in poly.terms()])


# the binomial penalty KL_0 of Appendix B.1 (b1_binary_pairs): pi_ref(a) = f, pi_old(a) = q
KL0 = pairs.KL0
D_KL0 = -q * f / p**2 + (1 - q) * (1 - f) / (1 - p)**2 + q / p - (1 - q) / (1 - p)   # dKL_0/dp


def objective(pref_a: sp.Expr, pref_b: sp.Expr) -> sp.Expr:
    """J(p; q) = p P(a | q) + (1 - p) P(b | q) - beta KL_0(pi_theta || pi_ref; pi_old).

    ``pref_a``, ``pref_b`` are the expected preferences of a and b as functions of q = pi_old(a);
    p = pi_theta(a), f = pi_ref(a), KL_0 as in Appendix B.1.

    Options
    -------
    pref_a : P(a | pi_old), an expression in ``pi_old_a``
    pref_b : P(b | pi_old), an expression in ``pi_old_a``

    >>> J2 = objective(1 - q, -q)          # groups of two: gamma (p - q) - beta KL_0, gamma = 1
    >>> sp.expand(J2 - pairs.J.subs(pairs.gamma, 1))
    0
    """
    return p * pref_a + (1 - p) * pref_b - beta * KL0


def stationarity_claims(prefix: str, pref_a: sp.Expr, pref_b: sp.Expr, paper: str = PAPER,
                        label: str = "", domains: dict | None = None,
                        registry: Registry | None = None) -> dict:
    """Declare the derivative of J, its on-policy form and the stationary condition.

    For preferences P(a | q), P(b | q): ``{prefix}.objective.derivative`` (dJ/dp),
    ``{prefix}.objective.derivative.on-policy`` (at q = p) and ``{prefix}.stationarity``:
    beta (p - f) = p (1 - p)(P(a | p) - P(b | p)) wherever the on-policy derivative vanishes.
    Returns ``{"J", "D_ON", "derivative", "on_policy", "stationarity", "gap"}`` (``gap`` is
    p (1 - p)(P(a | p) - P(b | p))).

    Options
    -------
    prefix : the claim-id prefix (``x1``, ``x2.bessel``, ...)
    pref_a, pref_b : expressions in ``pi_old_a`` (sums over a symbolic G are fine)
    paper : the paper-location field
    label : words naming the variant in the prose ("", "Bessel-corrected", ...)
    domains : domain overrides for the three claims (e.g. ``{G: FINITE}``: a failing check
        then writes the sums out instead of asking SymPy to sum them symbolically)
    registry : where to register (default: the global registry)

    >>> reg = Registry()
    >>> out = stationarity_claims("demo", 1 - q, -q, registry=reg)
    >>> [c.id for c in reg]
    ['demo.objective.derivative', 'demo.objective.derivative.on-policy', 'demo.stationarity']
    >>> out["stationarity"].statement               # (17) with gamma = 1
    Eq(beta*(-pi_ref_a + pi_theta_a), pi_theta_a*(1 - pi_theta_a))
    """
    words = f" ({label})" if label else ""
    sizes = (domains or {}).get(G)
    scope = "every group size G" if sizes is None else \
        f"G = {min(sizes)}..{max(sizes)}" if sizes == FiniteSet(*range(min(sizes), max(sizes) + 1)) \
        else f"G in {sorted(sizes)}"
    J = objective(pref_a, pref_b)
    dJ = pref_a - pref_b - beta * D_KL0
    derivative = claim(
        f"{prefix}.objective.derivative", paper,
        Eq(sp.Derivative(J, p), dJ),
        proof=chain(J).differentiate(p, "P(a | q), P(b | q) do not depend on p; KL_0 term by "
                                     "term", result=dJ),
        prose=f"dJ/dp = P_G(a | q) - P_G(b | q) - beta dKL_0/dp{words}, with J = p P_G(a | q) + "
              f"(1 - p) P_G(b | q) - beta KL_0, for {scope}.",
        domains=domains, registry=registry)
    pa_p, pb_p = pref_a.subs(q, p), pref_b.subs(q, p)
    D_ON = sp.Derivative(J, p).subs(q, p)
    dJ_on = pa_p - pb_p - beta * (p - f) / (p * (1 - p))
    on_policy = claim(
        f"{prefix}.objective.derivative.on-policy", paper,
        Eq(D_ON, dJ_on),
        proof=chain(derivative).substitute({q: p}, "differentiate first, then set "
                                                   "pi_old = pi_theta")
        .rewrite(Eq(D_ON, dJ_on), "the penalty part is beta (p - f)/(p (1 - p)) as in App. B.1"),
        prose=f"At pi_old = pi_theta the derivative is P_G(a | p) - P_G(b | p) - beta (p - f)/"
              f"(p (1 - p)){words}.",
        domains=domains, registry=registry)
    gap = p * (1 - p) * (pa_p - pb_p)
    relation = Eq(beta * (p - f), gap)
    stationarity = claim(
        f"{prefix}.stationarity", paper,
        relation, given=Eq(D_ON, 0),
        proof=chain(D_ON).set_to_zero("a stationary policy: the on-policy derivative vanishes")
        .substitute(on_policy, "the on-policy derivative")
        .multiply_both_sides(p * (1 - p), "p (1 - p) != 0")
        .rearrange(relation, "move beta (p - f) across"),
        prose=f"A stationary pi_theta(a) satisfies beta (p - f) = p (1 - p)(P_G(a | p) - "
              f"P_G(b | p)){words}: (17) with the margin gamma replaced by P_G(a | p) - "
              "P_G(b | p).",
        domains=domains, registry=registry)
    return {"J": J, "D_ON": D_ON, "derivative": derivative, "on_policy": on_policy,
            "stationarity": stationarity, "gap": gap}


# ======================================================================================
# P_G(a | q) and P_G(b | q) from the group advantages, and their Bernstein form
# ======================================================================================

@functools.lru_cache(maxsize=None)
def _pref_from_groups(o: int, others: tuple[int, ...]) -> sp.Expr:
    """E[A_1 | o_1 = o, the others]: the advantage (2) of the group, rewards r(b) = y_1 <
    r(a) = y_1 + delta_1 (depends on the others only through their multiset)."""
    return group_preference(o, others, BIN_LAWS)


def _written_out(o: int, x: sp.Expr) -> sp.Piecewise:
    """P_G(o | pi_old) with every ordered group written out, as a Piecewise over G = 2..8."""
    return sp.Piecewise(*[
        (expected_group_preference(o, (x, 1 - x), g,
                                   lambda o_, oth: _pref_from_groups(o_, tuple(sorted(oth)))),
         sp.Eq(G, g)) for g in SIZES])


P_A, P_B = preference_a(G, q), preference_b(G, q)
B_q, B_p = bernstein(G, q), bernstein(G, p)

def_a = claim(
    "x1.preference.a.definition", PAPER,
    Eq(s2_1.binary_from_definition(0), P_A),
    proof=chain(s2_1.binary_from_definition(0))
    .substitute(s2_1.binary_exact, "P_G(a | pi_old) for every G (Sec. 2.1)"),
    prose="For a binary question with r(a) > r(b) (any two reward values), P_G(a | pi_old) "
          "from the group advantages (2) (0/0 := 0) is sum_k C(G-1, k) q^k (1-q)^(G-1-k) "
          "sqrt((G-1-k)/(k+1)), q = pi_old(a), for every G (s2.1.large.binary-exact).")

def_b = claim(
    "x1.preference.b.definition", PAPER,
    Eq(s2_1.binary_from_definition(1), P_B),
    proof=s2_1.binary_preference_chain(1, s2_1.advantage_b, P_B),
    prose="Likewise P_G(b | pi_old) = -sum_k C(G-1, k) q^k (1-q)^(G-1-k) sqrt(k/(G-k)) for "
          "every G: b with k a's among the G - 1 others has advantage -sqrt(k/(G-k)) "
          "(s2.1.binary.advantage-b), and k is binomial (s2.1.binary.count-law).")

for _o, _name, _pref in ((0, "a", P_A), (1, "b", P_B)):
    claim(
        f"x1.preference.{_name}.definition.small-groups", PAPER,
        Eq(_written_out(_o, q), _pref),
        domains={G: FINITE}, instance_of=f"x1.preference.{_name}.definition",
        prose=f"The same for G = 2..8 with every ordered group of G - 1 others written out and "
              f"the advantages (2) of each group computed from its rewards (P_G({_name} | "
              f"pi_old)).")

bern_a = claim(
    "x1.preference.a.bernstein", PAPER,
    Eq(q * P_A, B_q),
    prose="q P_G(a | q) = B_G[phi](q) = sum_{j=0}^{G} C(G, j) q^j (1-q)^(G-j) phi(j/G), "
          "phi(x) = sqrt(x (1 - x)), for every G: the term j = 0 is phi(0) = 0, shift "
          "j = k + 1 and use C(G-1, k)(k+1)/G = C(G, k+1) (absorption).")

bern_b = claim(
    "x1.preference.b.bernstein", PAPER,
    Eq((1 - q) * P_B, -B_q),
    prose="(1 - q) P_G(b | q) = -B_G[phi](q) for every G: C(G-1, k)(G-k)/G = C(G, k) and the "
          "term j = G is phi(1) = 0.")

centred = claim(
    "x1.preference.centred", PAPER,
    Eq(q * P_A + (1 - q) * P_B, 0),
    proof=chain(q * P_A + (1 - q) * P_B).substitute(bern_a, "q P_G(a | q) = B_G[phi](q)")
    .substitute(bern_b, "(1 - q) P_G(b | q) = -B_G[phi](q)", result=0),
    prose="E_{o ~ pi_old}[P_G(o | pi_old)] = q P_G(a | q) + (1 - q) P_G(b | q) = 0 for a binary "
          "question and every G, as s2.3.centred.* show for G = 2, 3 and any rewards.")

b_from_a = claim(
    "x1.preference.b-from-a", PAPER,
    Eq(P_B, -q * P_A / (1 - q)),
    proof=chain(centred).divide_both_sides(1 - q, "1 - q > 0")
    .rearrange(Eq(P_B, -q * P_A / (1 - q)), "solve for P_G(b | q)"),
    prose="Hence P_G(b | q) = -q P_G(a | q)/(1 - q) (every G).")

margin_G = P_A - P_B                          # gamma_G(q), the effective margin
effective_margin = claim(
    "x1.preference.effective-margin", PAPER,
    Eq(margin_G, B_q / (q * (1 - q))),
    uses=[bern_a, bern_b],
    prose="The effective margin gamma_G(q) = P_G(a | q) - P_G(b | q) is B_G[phi](q)/(q (1 - q)) "
          "for every G: 1 for G = 2, sqrt 2 for G = 3, and 1/sqrt(q (1 - q)) in the limit.")

# ======================================================================================
# The stationary condition for every G, and in Bernstein form
# ======================================================================================

_st = stationarity_claims("x1", P_A, P_B)
J_G, D_ON, GAP = _st["J"], _st["D_ON"], _st["gap"]
stationarity = _st["stationarity"]
stationary = Eq(D_ON, 0)                      # the premise: the on-policy derivative vanishes

gap_bernstein = claim(
    "x1.preference.gap-bernstein", PAPER,
    Eq(GAP, B_p),
    uses=[bern_a, bern_b],
    prose="p (1 - p)(P_G(a | p) - P_G(b | p)) = (1 - p) B_G[phi](p) + p B_G[phi](p) = "
          "B_G[phi](p) (every G).")

stationarity_bernstein = claim(
    "x1.stationarity.bernstein", PAPER,
    Eq(beta * (p - f), B_p), given=stationary,
    proof=chain(stationarity).substitute(gap_bernstein, "p (1 - p) gamma_G(p) = B_G[phi](p)"),
    prose="A stationary pi_theta(a) = p satisfies beta (p - pi_ref(a)) = B_G[phi](p) "
          "for every G: groups of two give beta (p - f) = p (1 - p), large groups "
          "beta (p - f) = sqrt(p (1 - p)) ((19)).")
bernstein_condition = stationarity_bernstein.statement   # the premise of the claims below

# ======================================================================================
# Closed forms: B_G[phi] as a polynomial in u = p (1 - p); G = 2 and G = 3 are (14)
# ======================================================================================



def _plain(e: sp.Expr) -> str:
    """``e`` as plain text for prose: u^2 (3 - 2 sqrt(3)) + sqrt(3) u."""
    return sp.sstr(e).replace("**", "^").replace("*", " ")


U = p * (1 - p)
u_polynomials = {g: claim(
    f"x1.bernstein.u-polynomial.g{g}", PAPER,
    Eq(bernstein(g, p), u_polynomial(g, U)),
    prose=f"For G = {g}, B_G[phi](p) = {_plain(u_polynomial(g, sp.Symbol('u')))} with "
          "u = p (1 - p): symmetric under p -> 1 - p, of degree floor(G/2) in u.")
    for g in SIZES}

G2, G3 = {G: FiniteSet(2)}, {G: FiniteSet(3)}
eq14_at_margin_one = pairs.root14.subs(pairs.gamma, 1)     # (14) with gamma = 1: c = beta
g2 = claim(
    "x1.g2.eq14", PAPER,
    Eq(p, eq14_at_margin_one), given=stationary,
    proof=chain(stationarity_bernstein)
    .rewrite(Eq(beta * (p - f), p * (1 - p)), "B_2[phi](p) = p (1 - p)")
    .rearrange(Eq(p**2 - (1 - beta) * p - beta * f, 0), "collect powers of p")
    .take_root(p, eq14_at_margin_one, "nonnegative", "the product of the roots is -beta f < 0"),
    domains=G2, uses=[u_polynomials[2], pairs.eq14],
    prose="For G = 2 the stationary condition is beta (p - f) = p (1 - p) and its root in "
          "(0, 1) is (14) with gamma_{a,b} = 1, as it must be for deterministic rewards.")

C3 = beta / SQRT2
g3_root = pairs.root_c(C3, f)
g3 = claim(
    "x1.g3.eq14-form", PAPER,
    Eq(p, g3_root), given=stationary,
    proof=chain(stationarity_bernstein)
    .rewrite(Eq(beta * (p - f), SQRT2 * p * (1 - p)), "B_3[phi](p) = sqrt2 p (1 - p)")
    .multiply_both_sides(1 / SQRT2, "divide by sqrt 2")
    .rearrange(Eq(p**2 - (1 - C3) * p - C3 * f, 0), "collect powers of p")
    .take_root(p, g3_root, "nonnegative", "the product of the roots is -(beta/sqrt2) f < 0"),
    domains=G3, uses=[u_polynomials[3]],
    prose="For G = 3 the stationary condition is (beta/sqrt 2)(p - f) = p (1 - p): p_3 is (14) "
          "with beta/sqrt 2 in place of beta/gamma_{a,b}, (1 - c + sqrt((1 - c)^2 + 4 c "
          "pi_ref(a)))/2, c = beta/sqrt 2.")

# ======================================================================================
# Existence and uniqueness of the stationary policy (every G)
# ======================================================================================

i_ = sp.Symbol("i", integer=True, nonnegative=True)    # an index of a Bernstein coefficient

POSITIVE_FORM = bernstein_basis(G, 1) * phi(1 / G) + Sum(bernstein_basis(G, j) * phi(j / G),
                                                          (j, 2, G))
positive = claim(
    "x1.bernstein.positive", PAPER,
    Gt(B_p, 0),
    proof=Certificate(POSITIVE_FORM, "the term j = 0 is phi(0) = 0, the term j = 1 is positive, "
                      "the others are >= 0 (C(G, j) > 0 for 0 <= j <= G)"),
    prose="B_G[phi](p) > 0 on (0, 1) for every G, so h(p) = beta (p - f) - B_G[phi](p) is "
          "negative at p = pi_ref(a).")

at_one = claim(
    "x1.bernstein.at-one", PAPER,
    Eq(bernstein(G, S.One), 0),
    proof=chain(bernstein(G, S.One)).apply(split_last, "split off the term j = G, phi(1) = 0")
    .rewrite(0, "every other term has the factor 0^(G-j), G - j >= 1"),
    prose="B_G[phi](1) = phi(1) = 0 for every G, so h(1) = beta (1 - pi_ref(a)) > 0.")


def second_difference_phi(idx: sp.Expr, size=G) -> sp.Expr:
    """2 phi((i+1)/G) - phi(i/G) - phi((i+2)/G), rationalised into a visibly positive form.

    (4 phi1^2 - (phi0 + phi2)^2)(4 phi1^2 - phi0^2 - phi2^2 + 2 phi0 phi2) = 4/G^2 and
    4 phi1^2 - phi0^2 - phi2^2 = 2 (i (G-2-i) + G)/G^2, so the second difference is
    2/((2 phi1 + phi0 + phi2)(i (G-2-i) + G + G^2 phi0 phi2)) for 0 <= i <= G - 2.

    Options
    -------
    idx : the index i
    size : the group size G

    >>> second_difference_phi(0, 2)
    1
    """
    idx, size = sp.sympify(idx), sp.sympify(size)
    phi0, phi1, phi2 = (phi((idx + t) / size) for t in range(3))
    return 2 / ((2 * phi1 + phi0 + phi2) * (idx * (size - 2 - idx) + size + size**2 * phi0 * phi2))


bernstein_first = claim(
    "x1.bernstein.derivative", PAPER,
    Eq(sp.Derivative(B_p, p), bernstein_derivative(G, p, lambda idx: phi(idx / G), j)),
    prose="B_G[phi]'(p) = G sum_{j=0}^{G-1} C(G-1, j) p^j (1-p)^(G-1-j) (phi((j+1)/G) - "
          "phi(j/G)) for every G (the Bernstein derivative formula).")

bernstein_second = claim(
    "x1.bernstein.second-derivative", PAPER,
    Eq(sp.Derivative(B_p, (p, 2)), second_difference(G, p, lambda idx: phi(idx / G), j)),
    prose="B_G[phi]''(p) = G (G-1) sum_{j=0}^{G-2} C(G-2, j) p^j (1-p)^(G-2-j) (phi((j+2)/G) - "
          "2 phi((j+1)/G) + phi(j/G)) for every G (the second-difference formula).")

concave = claim(
    "x1.bernstein.concave", PAPER,
    Ge(-sp.Derivative(B_p, (p, 2)), 0),
    proof=Certificate(G * (G - 1) * Sum(bernstein_basis(G - 2, j) * second_difference_phi(j),
                                        (j, 0, G - 2)),
                      "-B_G'' = G (G-1) sum_j C(G-2, j) p^j (1-p)^(G-2-j) (2 phi((j+1)/G) - "
                      "phi(j/G) - phi((j+2)/G)) (the second-difference formula), each second "
                      "difference of the concave phi rationalised into a positive form"),
    prose="B_G[phi] is concave on (0, 1) for every G: -B_G'' is a Bernstein sum of the "
          "(positive) negated second differences of phi.")


def chord_gap_phi(idx: sp.Expr, size=G) -> sp.Expr:
    """i phi((i-1)/G) - (i-1) phi(i/G) = i (i-1)/(G (i phi((i-1)/G) + (i-1) phi(i/G))), >= 0.

    Options
    -------
    idx : the index i (1 <= i <= G)
    size : the group size G

    >>> chord_gap_phi(2, 2)
    1
    """
    idx, size = sp.sympify(idx), sp.sympify(size)
    lower, upper = phi((idx - 1) / size), phi(idx / size)
    return idx * (idx - 1) / (size * (idx * lower + (idx - 1) * upper))


CHORD = Sum(bernstein_basis(G, i_) * chord_gap_phi(i_), (i_, 2, G))
chord = claim(
    "x1.bernstein.chord", PAPER,
    Ge(B_p - p * sp.Derivative(B_p, p), 0),
    proof=Certificate(CHORD, "B - p B' = sum_i C(G, i) p^i (1-p)^(G-i) (i phi((i-1)/G) - "
                      "(i-1) phi(i/G)), each coefficient i (i-1)/(G (i phi((i-1)/G) + (i-1) "
                      "phi(i/G))) >= 0"),
    prose="B_G[phi](p) - p B_G[phi]'(p) >= 0 for every G: the chord slope B_G[phi](p)/p does "
          "not increase.")

H_OVER_P = (beta * (p - f) - B_p) / p
unique = claim(
    "x1.stationary.unique", PAPER,
    Gt(sp.Derivative(H_OVER_P, p), 0),
    proof=Certificate(beta * f / p**2 + lemma_instance(chord, {}) / p**2,
                      "d/dp (h(p)/p) = (beta f + B - p B')/p^2", lemmas={chord: [{}]}),
    uses=[positive, at_one],
    prose="h(p)/p, h(p) = beta (p - pi_ref(a)) - B_G[phi](p), strictly increases on (0, 1); "
          "with h(pi_ref(a)) < 0 < h(1) the stationary condition has exactly one solution p_G "
          "in (0, 1), and it lies in (pi_ref(a), 1) (every G).")

above_reference = claim(
    "x1.stationary.above-reference", PAPER,
    Gt(p, f), given=bernstein_condition,
    proof=Certificate(lemma_instance(positive, {}) / beta,
                      "p - f = B_G[phi](p)/beta > 0 at a stationary p",
                      lemmas={positive: [{}]}, premise_multiple=1 / beta),
    uses=[stationarity_bernstein, positive],
    prose="A stationary pi_theta(a) lies above pi_ref(a): p - f = B_G[phi](p)/beta > 0 "
          "(every G).")

# ======================================================================================
# Monotone in G, below the large-group limit, monotone in beta and pi_ref (every G)
# ======================================================================================

B_next = bernstein(G + 1, p)


def jensen_gap_phi(idx: sp.Expr, size=G) -> sp.Expr:
    """phi(i/(G+1)) - (i/(G+1)) phi((i-1)/G) - (1 - i/(G+1)) phi(i/G), rationalised, >= 0.

    With l = i/(G+1), u = (i-1)/G, v = i/G (l u + (1 - l) v = i/(G+1)): the gap is
    D/((phi(i/(G+1)) + l phi(u) + (1-l) phi(v)) (R + 2 l (1-l) phi(u) phi(v))), where
    R = i (G+1-i)(2 (i-1)(G-i) + G)/(G^2 (G+1)^2) and D = i^2 (G+1-i)^2/(G^2 (G+1)^4)
    (R^2 - 4 l^2 (1-l)^2 u (1-u) v (1-v) = D), for 1 <= i <= G.

    Options
    -------
    idx : the index i
    size : the group size G

    >>> sp.nsimplify(jensen_gap_phi(1, 2) - (phi(Rational(1, 3)) - phi(Rational(1, 2)) * 2 / 3))
    0
    """
    idx, size = sp.sympify(idx), sp.sympify(size)
    lam, low, high = idx / (size + 1), phi((idx - 1) / size), phi(idx / size)
    rest = idx * (size + 1 - idx) * (2 * (idx - 1) * (size - idx) + size) / (size**2
                                                                            * (size + 1)**2)
    top = idx**2 * (size + 1 - idx)**2 / (size**2 * (size + 1)**4)
    return top / ((phi(lam) + lam * low + (1 - lam) * high)
                  * (rest + 2 * lam * (1 - lam) * low * high))


increasing_in_G = claim(
    "x1.bernstein.increasing-in-g", PAPER,
    Ge(B_next - B_p, 0),
    proof=Certificate(Sum(bernstein_basis(G + 1, i_) * jensen_gap_phi(i_), (i_, 1, G)),
                      "raise B_G to degree G + 1: its coefficients are (i/(G+1)) phi((i-1)/G) + "
                      "(1 - i/(G+1)) phi(i/G), a convex combination of values at points whose "
                      "mean is i/(G+1); each Jensen gap of the concave phi rationalised into a "
                      "positive form"),
    prose="B_{G+1}[phi] >= B_G[phi] on (0, 1) for every G (degree elevation): in the Bernstein "
          "basis of degree G + 1 the difference has the Jensen gaps of phi as coefficients.")

_y = j / G
TANGENT_GAP = (sqrt(p) * sqrt(1 - _y) - sqrt(_y) * sqrt(1 - p))**2 / (2 * sqrt(p) * sqrt(1 - p))
WEIGHTS = Sum(bernstein_basis(G, j), (j, 0, G))        # the binomial probabilities, summed
binomial_theorem = claim(
    "x1.bernstein.weights", PAPER,
    Le(WEIGHTS, 1),
    proof=Axiom("binomial theorem", "sum_j C(G, j) p^j (1-p)^(G-j) = (p + (1 - p))^G = 1"),
    prose="The binomial probabilities sum to at most 1 (to 1, by the binomial theorem: a named "
          "axiom; no rule of the engine proves it for a symbolic G).")

below_phi = claim(
    "x1.bernstein.below-phi", PAPER,
    Ge(phi(p) - B_p, 0),
    proof=Certificate(Sum(bernstein_basis(G, j) * TANGENT_GAP, (j, 0, G))
                      + phi(p) * lemma_instance(binomial_theorem, {}),
                      "phi(y) <= phi(p) + phi'(p)(y - p) (tangent line; the gap is "
                      "(sqrt(p (1-y)) - sqrt(y (1-p)))^2/(2 phi(p))), averaged over y = j/G with "
                      "the binomial weights, whose mean is p times their sum (absorption); "
                      "the weights sum to at most 1",
                      lemmas={binomial_theorem: [{}]}),
    prose="B_G[phi](p) <= phi(p) = sqrt(p (1 - p)) on (0, 1) for every G (Jensen): the "
          "finite-group condition lies below (19).")

h_at = beta * (p - f) - B_p                   # h_G(p) = -p (1 - p) D_ON
claim(
    "x1.stationary.increasing-in-g", PAPER,
    Le(beta * (p - f), B_next), given=bernstein_condition,
    proof=Certificate(lemma_instance(increasing_in_G, {}),
                      "B_{G+1}(p) - beta (p - f) = (B_{G+1} - B_G)(p) - (beta (p - f) - B_G(p))",
                      lemmas={increasing_in_G: [{}]}, premise_multiple=-1),
    uses=[stationarity_bernstein, unique],
    prose="At the stationary p_G of groups of G, h_{G+1}(p_G) = beta (p_G - f) - "
          "B_{G+1}[phi](p_G) <= 0 for every G; as h_{G+1}(p)/p increases, p_{G+1} >= p_G "
          "(x1.stationary.monotone-in-g).")

# the roots as symbols with their defining equations as premises ("the zero of" h)
p_other = variable("x1_other_root", Interval.open(0, 1), latex=r"p'")
other_condition = Eq(beta * (p_other - f), bernstein(G, p_other))
next_condition = Eq(beta * (p_other - f), bernstein(G + 1, p_other))


def exactly_one(cid: str, increasing, condition: sp.Eq, other: sp.Eq, paper: str = PAPER,
                **kw) -> Claim:
    """Declare ``cid``: p' = p for two roots p, p' (symbols ``pi_theta_a``, ``x1_other_root``)
    of beta (x - f) = B(x), given as ``condition`` at p and ``other`` at p', where
    ``increasing`` proves d/dx ((beta (x - f) - B(x))/x) > 0: h/p vanishes once.

    Options
    -------
    cid : the claim id
    increasing : the claim that h(x)/x strictly increases
    condition, other : the root equations at p and at p'
    paper : the paper-location field
    kw : further ``claim`` options (``uses``, ``prose``, ``registry``)

    >>> exactly_one("demo.one", unique, bernstein_condition, other_condition,
    ...             registry=Registry(), prose="").statement
    Eq(x1_other_root, pi_theta_a)
    """
    return claim(
        cid, paper, Eq(p_other, p), given=condition, conditions=[other],
        proof=MonotoneComparison(increasing, 0, "h(p)/p strictly increases, so it vanishes once",
                                 premises={condition: 1 / p, other: -1 / p_other}), **kw)


exists = claim(
    "x1.stationary.exists", PAPER,
    exists_in(p, Interval.open(f, 1), bernstein_condition),
    proof=IntermediateValue(lower=-lemma_instance(positive, {p: f}),
                            why="h(p) = beta (p - f) - B_G[phi](p) is continuous on [f, 1] (a "
                                "finite sum of polynomials), h(f) = -B_G[phi](f) < 0 and "
                                "h(1) = beta (1 - f) > 0",
                            lemmas={positive: [{p: f}]}, equations={at_one: [{}]}),
    prose="For every G, pi_ref(a) in (0, 1) and beta > 0 there is a stationary pi_theta(a) in "
          "(pi_ref(a), 1): h(p) = beta (p - pi_ref(a)) - B_G[phi](p) is continuous, "
          "h(pi_ref(a)) = -B_G[phi](pi_ref(a)) < 0 (x1.bernstein.positive) and h(1) = "
          "beta (1 - pi_ref(a)) > 0 (x1.bernstein.at-one): the intermediate value theorem.")

exactly_one(
    "x1.stationary.exactly-one", unique, bernstein_condition, other_condition,
    uses=[above_reference, exists],
    prose="For every G there is at most one stationary pi_theta(a): two solutions p, p' of "
          "beta (x - f) = B_G[phi](x) have h(p)/p = h(p')/p' = 0 with h/p strictly increasing, "
          "so p' = p; with x1.stationary.exists (one in (pi_ref(a), 1), by the intermediate "
          "value theorem) there is exactly one, and it lies in (pi_ref(a), 1) "
          "(x1.stationary.above-reference).")

claim(
    "x1.stationary.monotone-in-g", PAPER,
    Le(p, p_other), given=bernstein_condition, conditions=[next_condition],
    proof=MonotoneComparison(unique, lemma_instance(increasing_in_G, {}) / p,
                             "h_{G+1}(p)/p increases and h_{G+1}(p_G) <= 0 = h_{G+1}(p_{G+1})",
                             premises={next_condition: 1 / p_other, bernstein_condition: -1 / p},
                             lemmas={increasing_in_G: [{}]}, instance={G: G + 1}),
    prose="p*_{G+1} >= p*_G for every G: at p = p*_G, h_{G+1}(p)/p = -(B_{G+1} - B_G)(p)/p <= 0 "
          "= h_{G+1}(p')/p' at p' = p*_{G+1}, and h_{G+1}(x)/x strictly increases.")

claim(
    "x1.stationary.below-large-group", PAPER,
    Le(beta * (p - f), phi(p)), given=bernstein_condition,
    proof=Certificate(lemma_instance(below_phi, {}),
                      "sqrt(p (1 - p)) - beta (p - f) = (phi - B_G)(p) - (beta (p - f) - B_G(p))",
                      lemmas={below_phi: [{}]}, premise_multiple=-1),
    uses=[stationarity_bernstein, REGISTRY["eq19"]],
    prose="At p_G, beta (p_G - f) <= sqrt(p_G (1 - p_G)) for every G; since (beta (p - f) - "
          "sqrt(p (1 - p)))/p increases and vanishes at (15), p_G <= (15) "
          "(x1.stationary.below-eq15).")

G_LARGE = (beta * (p - f) - phi(p)) / p       # (19) over p, strictly increasing
large_unique = claim(
    "x1.large.unique", PAPER,
    Gt(sp.Derivative(G_LARGE, p), 0),
    proof=Certificate(beta * f / p**2 + 1 / (2 * p**2 * sqrt((1 - p) / p)),
                      "d/dp (beta (p - f) - sqrt(p (1 - p)))/p = beta f/p^2 + "
                      "1/(2 p^2 sqrt((1 - p)/p))"),
    prose="(beta (p - f) - sqrt(p (1 - p)))/p strictly increases on (0, 1): (19) has one root, "
          "(15).")

large_condition = Eq(beta * (p_other - f), phi(p_other))     # p' is the root (15) of (19)
claim(
    "x1.stationary.below-eq15", PAPER,
    Le(p, p_other), given=bernstein_condition, conditions=[large_condition],
    proof=MonotoneComparison(large_unique, lemma_instance(below_phi, {}) / p,
                             "(19)/p increases, is <= 0 at p*_G and 0 at (15)",
                             premises={large_condition: 1 / p_other, bernstein_condition: -1 / p},
                             lemmas={below_phi: [{}]}),
    uses=[REGISTRY["eq19"]],
    prose="p*_G <= (15) for every G: at p*_G, (beta (p - f) - sqrt(p (1 - p)))/p = -(phi - B_G)"
          "(p)/p <= 0 = its value at the root p' of (19), and it strictly increases.")

beta_gap = variable("x1_beta_increment", POSITIVE, latex=r"\Delta\beta")
claim(
    "x1.stationary.decreasing-in-beta", PAPER,
    Gt((beta + beta_gap) * (p - f) - B_p, 0), given=bernstein_condition,
    proof=Certificate(beta_gap * lemma_instance(positive, {}) / beta,
                      "(beta + d)(p - f) - B_G(p) = d B_G(p)/beta + ((beta + d)/beta) "
                      "(beta (p - f) - B_G(p))", lemmas={positive: [{}]},
                      premise_multiple=(beta + beta_gap) / beta),
    uses=[stationarity_bernstein, unique],
    prose="If p is stationary at beta, then h(p) > 0 at beta + d for every d > 0; as h(p)/p "
          "increases, the stationary policy at beta + d lies below p: p_G strictly decreases in "
          "beta, for every G.")

ref_gap = variable("x1_pi_ref_increment", POSITIVE, latex=r"\Delta\pi_{ref}")
claim(
    "x1.stationary.increasing-in-pi-ref", PAPER,
    Lt(beta * (p - (f + ref_gap)) - B_p, 0), given=bernstein_condition,
    proof=Certificate(beta * ref_gap, "B_G(p) - beta (p - f - e) = beta e - (beta (p - f) - "
                      "B_G(p))", premise_multiple=-1),
    conditions=[Lt(f + ref_gap, 1)], uses=[stationarity_bernstein, unique],
    prose="If p is stationary at pi_ref(a) = f, then h(p) < 0 at pi_ref(a) = f + e < 1; as "
          "h(p)/p increases, the stationary policy there lies above p: p_G strictly increases "
          "in pi_ref(a), for every G.")

# ======================================================================================
# pi_ref(a) = 0: the slope of B_G[phi] at 0, and where the stationary policy jumps
# ======================================================================================

SLOPE_AT_ZERO = sqrt(G - 1)
slope_at_zero = claim(
    "x1.bernstein.slope-at-zero", PAPER,
    Eq(bernstein_derivative(G, S.Zero, lambda idx: phi(idx / G), k), SLOPE_AT_ZERO),
    proof=chain(bernstein_derivative(G, S.Zero, lambda idx: phi(idx / G), k))
    .rewrite(G * (phi(1 / G) + Sum(binomial(G - 1, k) * S.Zero**k
                                   * (phi((k + 1) / G) - phi(k / G)), (k, 1, G - 1))),
             "split off the term k = 0 (phi(0) = 0)")
    .rewrite(SLOPE_AT_ZERO, "0^k = 0 for k >= 1; G phi(1/G) = sqrt(G - 1)"),
    prose="B_G[phi]'(0) = G (phi(1/G) - phi(0)) = sqrt(G - 1) for every G (the Bernstein "
          "derivative formula at x = 0).")


def slope_gap_phi(idx: sp.Expr, size=G) -> sp.Expr:
    """(i/G) sqrt(G - 1) - phi(i/G) = sqrt(i) (i - 1)/(sqrt(i (G - 1)) + sqrt(G - i)), >= 0 for
    1 <= i <= G: B_G[phi] lies below its tangent sqrt(G - 1) x at 0.

    Options
    -------
    idx : the index i
    size : the group size G

    >>> slope_gap_phi(2, 2)
    1
    """
    idx, size = sp.sympify(idx), sp.sympify(size)
    return sqrt(idx) * (idx - 1) / (sqrt(idx * (size - 1)) + sqrt(size - idx))


# the last term, j = G, is sqrt(G - 1) p^G > 0: kept apart so that the sum need not be strict
BELOW_SLOPE = (Sum(bernstein_basis(G, i_) * slope_gap_phi(i_), (i_, 1, G - 1))
               + SLOPE_AT_ZERO * p**G)
below_tangent_at_zero = claim(
    "x1.bernstein.below-slope-at-zero", PAPER,
    Gt(SLOPE_AT_ZERO * p - B_p, 0),
    proof=Certificate(BELOW_SLOPE + SLOPE_AT_ZERO * p * lemma_instance(binomial_theorem, {}),
                      "sqrt(G - 1) p is sqrt(G - 1) times the mean of j/G under the binomial "
                      "weights (absorption), plus sqrt(G - 1) p (1 - their sum); each "
                      "(j/G) sqrt(G - 1) - phi(j/G) >= 0, 0 at j = 0, 1, sqrt(G - 1) at j = G",
                      lemmas={binomial_theorem: [{}]}),
    prose="B_G[phi](p) < sqrt(G - 1) p = B_G[phi]'(0) p on (0, 1) for every G: the concave "
          "B_G[phi] lies below its tangent at 0.")

beta_at_or_above = [sp.Ge(beta, SLOPE_AT_ZERO)]
no_interior = claim(
    "x1.stationary.no-interior-at-zero-reference", PAPER,
    Gt(beta * p - B_p, 0),
    proof=Certificate(beta / SLOPE_AT_ZERO * lemma_instance(below_tangent_at_zero, {})
                      + (beta - SLOPE_AT_ZERO) / SLOPE_AT_ZERO * B_p,
                      "beta p - B_G(p) = (beta/sqrt(G - 1))(sqrt(G - 1) p - B_G(p)) + "
                      "((beta - sqrt(G - 1))/sqrt(G - 1)) B_G(p)",
                      lemmas={below_tangent_at_zero: [{}]}),
    conditions=beta_at_or_above, uses=[slope_at_zero],
    prose="At pi_ref(a) = 0 and beta >= sqrt(G - 1) = B_G[phi]'(0), h(p) = beta p - B_G[phi](p) > 0 "
          "on (0, 1): no interior stationary point, on-policy GRPO keeps p at 0.  For "
          "beta < sqrt(G - 1) there is one (x1.stationary.interior-at-zero-reference): the "
          "stationary p*_G jumps away from 0 at pi_ref(a) = 0 iff beta < sqrt(G - 1) (for every "
          "G; (G - 1)/sqrt(G) with the Bessel std, x2.bessel.no-interior-at-zero-reference).")

P_AT_ZERO = preference_a(G, S.Zero)
preference_at_zero = claim(
    "x1.preference.a.at-zero", PAPER,
    Eq(P_AT_ZERO, SLOPE_AT_ZERO),
    proof=chain(P_AT_ZERO)
    .rewrite(SLOPE_AT_ZERO + Sum(binomial(G - 1, k) * S.Zero**k * sqrt((G - 1 - k) / (k + 1)),
                                 (k, 1, G - 1)),
             "split off the term k = 0 (0^0 = 1: all G - 1 others are b)")
    .rewrite(SLOPE_AT_ZERO, "0^k = 0 for k >= 1"),
    prose="P_G(a | 0) = sqrt(G - 1) for every G: when a is never sampled by pi_old, the one a of "
          "a group meets G - 1 b's, advantage sqrt((G - 1)/1) (the term k = 0, 0^0 = 1); this "
          "is B_G[phi]'(0) (x1.bernstein.slope-at-zero).")

P_AT_ONE = preference_a(G, S.One)
preference_at_one = claim(
    "x1.preference.a.at-one", PAPER,
    Eq(P_AT_ONE, 0),
    proof=chain(P_AT_ONE).apply(split_last, "split off the term k = G - 1, sqrt(0/G) = 0")
    .rewrite(0, "every other term has the factor 0^(G-1-k), G - 1 - k >= 1"),
    prose="P_G(a | 1) = 0 for every G: a group of a's only has advantages 0 (0/0 := 0).")

P_A_p = P_A.subs(q, p)                             # P_G(a | p)
beta_below = [sp.Lt(beta, SLOPE_AT_ZERO)]
JUMP_WHY = ("P_G(a | p) - beta is continuous on [0, 1] (a finite sum of polynomials), "
            "sqrt(G - 1) - beta > 0 at 0 and -beta < 0 at 1")
jump = claim(
    "x1.stationary.interior-at-zero-reference", PAPER,
    exists_in(p, Interval.open(0, 1), Eq(beta * p, B_p)),
    proof=IntermediateValue(why=JUMP_WHY, function=P_A_p - beta, factor=-p,
                            equations={preference_at_zero: [{}], preference_at_one: [{}]}),
    conditions=beta_below, uses=[bern_a],
    prose="At pi_ref(a) = 0 and 0 < beta < sqrt(G - 1) there is an interior stationary point "
          "p in (0, 1) for every G: beta p = B_G[phi](p) = p P_G(a | p) iff P_G(a | p) = beta, "
          "and P_G(a | .) - beta is continuous, sqrt(G - 1) - beta > 0 at 0 "
          "(x1.preference.a.at-zero) and -beta < 0 at 1 (x1.preference.a.at-one).  With "
          "x1.stationary.no-interior-at-zero-reference: p*_G jumps away from 0 at pi_ref(a) = 0 "
          "iff beta < sqrt(G - 1) = B_G[phi]'(0).")

claim(
    "x1.stationary.jump-threshold", PAPER,
    Eq(sp.ConditionSet(beta, jump.statement, POSITIVE), Interval.open(0, SLOPE_AT_ZERO)),
    proof=RootThreshold(jump, no_interior),
    prose="At pi_ref(a) = 0 the betas with an interior stationary point are exactly "
          "0 < beta < sqrt(G - 1) = B_G[phi]'(0), for every G: the stationary p*_G jumps away "
          "from 0 iff beta < sqrt(G - 1) (x1.stationary.interior-at-zero-reference below the "
          "threshold, x1.stationary.no-interior-at-zero-reference at and above it).")

# ======================================================================================
# The lower bound p*_G > max{pi_ref(a), p0_G(beta)}, P_G(a | p0) = beta
# ======================================================================================

chord_strict = claim(
    "x1.bernstein.chord-strict", PAPER,
    Gt(B_p - p * sp.Derivative(B_p, p), 0),
    proof=Certificate(CHORD, "the coefficients i (i-1)/(G (i phi((i-1)/G) + (i-1) phi(i/G))) of "
                      "B - p B' are > 0 for i = 2..G, a non-empty range"),
    uses=[chord],
    prose="B_G[phi](p) - p B_G[phi]'(p) > 0 on (0, 1) for every G: the chord slope "
          "B_G[phi](p)/p = P_G(a | p) strictly decreases.")

P_OVER = -B_p / p                                  # -P_G(a | p) (x1.preference.a.bernstein)
preference_decreasing = claim(
    "x1.preference.a.decreasing", PAPER,
    Gt(sp.Derivative(P_OVER, p), 0),
    proof=Certificate(lemma_instance(chord_strict, {}) / p**2,
                      "d/dp (-B_G(p)/p) = (B_G - p B_G')/p^2", lemmas={chord_strict: [{}]}),
    uses=[bern_a],
    prose="P_G(a | p) = B_G[phi](p)/p strictly decreases in p on (0, 1), for every G: more a's "
          "among the others mean a smaller advantage of a.")

# p' = p0_G(beta): P_G(a | p0) = beta, written B_G[phi](p0)/p0 = beta (x1.preference.a.bernstein)
level_condition = Eq(bernstein(G, p_other) / p_other, beta)
level_exists = claim(
    "x1.preference.a.level-exists", PAPER,
    exists_in(p, Interval.open(0, 1), Eq(B_p / p, beta)),
    proof=IntermediateValue(why=JUMP_WHY, function=P_A_p - beta,
                            equations={preference_at_zero: [{}], preference_at_one: [{}]}),
    conditions=beta_below, uses=[bern_a],
    prose="For 0 < beta < sqrt(G - 1) there is p0_G(beta) in (0, 1) with P_G(a | p0) = beta "
          "(every G; unique, as P_G(a | .) strictly decreases: x1.preference.a.decreasing).")

above_level = claim(
    "x1.stationary.above-level-point", PAPER,
    Gt(p, p_other), given=bernstein_condition, conditions=[level_condition],
    proof=MonotoneComparison(preference_decreasing, beta * f / p,
                             "-P_G(a | x) increases; at p*_G it is -beta + beta f/p*, at p0 it "
                             "is -beta", premises={bernstein_condition: 1 / p,
                                                   level_condition: 1}),
    uses=[level_exists],
    prose="At the stationary p*_G, P_G(a | p*) = beta (p* - f)/p* = beta - beta f/p* < beta = "
          "P_G(a | p0), and P_G(a | .) strictly decreases: p*_G > p0_G(beta) (every G, "
          "0 < beta < sqrt(G - 1)).")

LOWER_BOUND_CASES = ((2, "0.5", "0.2"), (3, "1.2", "0.01"), (8, "0.04", "0.2"), (8, "2.5", "0.3"),
                     (50, "5", "0.001"))     # (G, beta, pi_ref(a)), 0 < beta < sqrt(G - 1)


def _lower_bound_numbers(dps: int) -> tuple[bool, str]:
    """p*_G > max{pi_ref(a), p0_G(beta)} at a few (G, beta, pi_ref(a)): both roots by bisection
    in mpmath (evidence for x1.stationary.lower-bound, whose premises the sampler cannot solve)."""
    worst = None
    with mpmath.workdps(dps):
        for g, b, ref in LOWER_BOUND_CASES:
            b, ref = mpmath.mpf(b), mpmath.mpf(ref)
            tiny = mpmath.mpf(10) ** (-dps // 2)
            star = mpmath.findroot(lambda x: b * (x - ref) - _bernstein_mp(g, x),
                                   (ref, 1 - tiny), solver="anderson")
            level = mpmath.findroot(lambda x: _bernstein_mp(g, x) / x - b, (tiny, 1 - tiny),
                                    solver="anderson")
            gap = star - max(ref, level)
            worst = gap if worst is None else min(worst, gap)
    return worst > 0, (f"p*_G - max(pi_ref(a), p0_G) >= {mpmath.nstr(worst, 3)} at (G, beta, "
                       f"pi_ref(a)) in {LOWER_BOUND_CASES}")


lower_bound = claim(
    "x1.stationary.lower-bound", PAPER,
    Gt(p, sp.Max(f, p_other)), given=bernstein_condition, conditions=[level_condition],
    proof=MaxOfBounds(above_reference, above_level), numeric=_lower_bound_numbers,
    prose="The stationary policy is bounded below: p*_G > max{pi_ref(a), p0_G(beta)} with "
          "P_G(a | p0) = beta, for every G and 0 < beta < sqrt(G - 1) (x1.stationary.above-"
          "reference, x1.stationary.above-level-point); p0_2 = 1 - beta "
          "(x1.level-point.pairs), and the limit of large groups has p0 = 1/(1 + beta^2) "
          "(x1.level-point.large-group).")

large_decreasing = claim(
    "x1.large.preference-decreasing", PAPER,
    Gt(sp.Derivative(-binary_large_group_preference(p), p), 0),
    proof=Certificate(1 / (2 * p**2 * sqrt((1 - p) / p)),
                      "d/dp -sqrt((1 - p)/p) = 1/(2 p^2 sqrt((1 - p)/p))"),
    prose="P_inf(a | p) = sqrt((1 - p)/p) strictly decreases on (0, 1).")

level_large = Eq(binary_large_group_preference(p_other), beta)
claim(
    "x1.level-point.pairs", PAPER,
    Eq(p_other, 1 - beta), conditions=[Eq(preference_a(2, p_other), beta), sp.Lt(beta, 1)],
    proof=MonotoneComparison(preference_decreasing, 0, "-P_2(a | x) = x - 1 increases; "
                             "-P_2(a | 1 - beta) = -beta = -P_2(a | p0)",
                             premises={Eq(preference_a(2, p_other), beta): 1},
                             instance={G: 2}),
    prose="For groups of two P_2(a | x) = 1 - x, so p0_2(beta) = 1 - beta (0 < beta < 1 = "
          "sqrt(G - 1)): p*_2 > max{pi_ref(a), 1 - beta}.")

claim(
    "x1.level-point.large-group", PAPER,
    Eq(p_other, 1 / (1 + beta**2)), conditions=[level_large],
    proof=MonotoneComparison(large_decreasing, 0, "-P_inf(a | x) increases; at 1/(1 + beta^2) "
                             "it is -beta = -P_inf(a | p0)", premises={level_large: 1}),
    uses=[REGISTRY["s2.1.large.binary-limit"]],
    prose="In the limit of large groups P_G(a | x) -> P_inf(a | x) = sqrt((1 - x)/x) "
          "(s2.1.large.binary-limit), and P_inf(a | p0) = beta at p0 = 1/(1 + beta^2) only: "
          "the level point of the limit, so the bound p* > max{pi_ref(a), p0} reads "
          "p* > max{pi_ref(a), 1/(1 + beta^2)} there (every beta > 0, as sqrt(G - 1) -> oo).")

# ======================================================================================
# Large groups: B_G[phi] -> phi, and the rate of s2.1.large.binary-exact
# ======================================================================================

LARGE_SIZES = (10, 100, 1000)
LARGE_POINTS = (Rational(1, 2), Rational(1, 5), Rational(4, 5), Rational(1, 1000))


def _bernstein_mp(size: int, x) -> mpmath.mpf:
    """B_G[phi](x) in mpmath at the working precision, weights by their ratio recurrence."""
    x = mpmath.mpf(x)
    w = (1 - x) ** size                      # C(G, 0) x^0 (1-x)^G
    total = mpmath.mpf(0)
    for jj in range(size + 1):
        if jj:
            w = w * x / (1 - x) * (size - jj + 1) / jj
        total += w * mpmath.sqrt(mpmath.mpf(jj) / size * (1 - mpmath.mpf(jj) / size))
    return total


def _large_group_identity(dps: int) -> tuple[bool, str]:
    """q P_G(a | q) = B_G[phi](q) at 50 digits for G = 10, 100, 1000 (beyond the exhaustion)."""
    worst = mpmath.mpf(0)
    with mpmath.workdps(2 * dps):
        for g in LARGE_SIZES:
            for x in LARGE_POINTS:
                xm = mpmath.mpf(x.p) / x.q
                lhs = xm * binary_group_preference_mp(g, xm)
                rhs = _bernstein_mp(g, xm)
                worst = max(worst, abs(lhs - rhs) / abs(rhs))
    ok = worst < mpmath.mpf(10) ** (-dps)
    return ok, (f"q P_G(a | q) = B_G[phi](q) for G in {LARGE_SIZES}, q in "
                f"{[str(x) for x in LARGE_POINTS]}: largest relative gap {mpmath.nstr(worst, 3)}")


claim(
    "x1.limit.bernstein-vs-preference", PAPER,
    Eq(B_q - phi(q), q * (P_A - binary_large_group_preference(q))),
    numeric=_large_group_identity,
    uses=[bern_a, REGISTRY["s2.1.large.binary-limit"], REGISTRY["s2.1.large.binary-exact"]],
    prose="B_G[phi](q) - phi(q) = q (P_G(a | q) - P_inf(a | q)) for every G (at 50 digits also "
          "for G = 10, 100, 1000), so the rate measured in s2.1.large.binary-exact, P_G - P_inf ~ "
          "-P_inf/(8 G q (1 - q)), is G (B_G[phi](q) - phi(q)) -> -1/(8 sqrt(q (1 - q))).")

claim(
    "x1.limit.voronovskaya-constant", PAPER,
    Eq(q * (1 - q) * sp.Derivative(phi(q), (q, 2)) / 2, -1 / (8 * phi(q))),
    prose="q (1 - q) phi''(q)/2 = -1/(8 sqrt(q (1 - q))): the limit G (B_G[phi] - phi) -> "
          "-1/(8 phi) is Voronovskaya's q (1 - q) phi''/2 for Bernstein polynomials (the limit "
          "over a symbolic G is beyond the engine).")

# ======================================================================================
# The maximiser in the paper's sense (Sec. 1.3): J_G(.; pi_old = p*)
# ======================================================================================

D2_ON = sp.Derivative(J_G, (p, 2)).subs(q, p)
second = claim(
    "x1.objective.second-derivative", PAPER,
    Eq(D2_ON, pairs.second_on_policy),
    proof=chain(J_G).differentiate(p).differentiate(p)
    .substitute({q: p}, "then set pi_old = pi_theta")
    .factor("the reward part is linear in p", result=pairs.second_on_policy),
    uses=[REGISTRY["s2.3.1.pairs.second-derivative"]],
    prose="For every group size G, d^2 J_G/dp^2 at pi_old = pi_theta = p is "
          "-beta Q(p)/(p^2 (1 - p)^2), Q(p) = 3p^2 - (1 + 4f) p + 2f, as for groups of two: a "
          "stationary p_G is a strict local maximum of J_G(.; p_G) iff Q(p_G) > 0, a strict "
          "local minimum iff Q(p_G) < 0.")


def J_G_at(pp, qq, ff=f, bb=beta):
    """J_G(pi_theta(a) = pp; pi_old(a) = qq) with pi_ref(a) = ff, beta = bb (any G)."""
    return J_G.xreplace({p: pp, q: qq, f: ff, beta: bb})


s_lo, s_hi = pairs.s_lo, pairs.s_hi


def _second_at_sqrt2(s):
    """J_3''(p*; p*) at beta = sqrt 2, pi_ref(a) = s^2, where p* = s (x1.g3.eq14-form)."""
    return pairs.second_on_policy.xreplace({f: s**2, p: s, beta: SQRT2})


claim(
    "x1.g3.local-minimum", PAPER,
    Gt(_second_at_sqrt2(s_lo), 0),
    proof=Certificate(_second_at_sqrt2(s_lo), "Q(s) = -s (1 - s)(1 - 4s)"),
    uses=[second, g3],
    prose="For G = 3 at beta = sqrt 2 (beta/sqrt 2 = 1) and pi_ref(a) = s^2 < 1/16, p_3 = s is a "
          "strict local MINIMUM of J_3(.; p_3), as (14) is at beta = gamma.")

claim(
    "x1.g3.local-maximum", PAPER,
    Lt(_second_at_sqrt2(s_hi), 0),
    proof=Certificate(-_second_at_sqrt2(s_hi), "Q(s) = -s (1 - s)(1 - 4s)"),
    uses=[second, g3],
    prose="For G = 3 at beta = sqrt 2 and pi_ref(a) = s^2 > 1/16, p_3 = s is a strict local "
          "maximum of J_3(.; p_3).")

J3_gap = J_G_at(p, g3_root).subs(G, 3) - J_G_at(g3_root, g3_root).subs(G, 3)
claim(
    "x1.g3.not-maximiser", PAPER,
    Gt(J3_gap, 0),
    proof=Witness({beta: SQRT2, f: Rational(1, 100), p: Rational(1, 100)},
                  "beta = sqrt 2, pi_ref(a) = 1/100: p_3 = 1/10"),
    quantifier="exists", uses=[g3],
    prose="For G = 3, p_3 need not maximise J_3(.; pi_old = p_3), the paper's sense of "
          "stationary: at beta = sqrt 2, pi_ref(a) = 1/100, p_3 = 1/10 but J_3(1/100) > "
          "J_3(1/10) (J_3 = sqrt 2 times the objective of groups of two at beta/sqrt 2).")

J2_at = pairs.J_at                         # the objective of groups of two, margin gamma


def _pair_objective_gap(pp, margin):
    """J_2(pp; q) - J_2(q; q) for groups of two with margin ``margin``."""
    return (J2_at(pp, q) - J2_at(q, q)).subs(pairs.gamma, margin)


rescaled = claim(
    "x1.objective.rescaled", PAPER,
    Eq(J_G_at(p, q) - J_G_at(q, q), _pair_objective_gap(p, margin_G)),
    prose="For every group size G, J_G(p; q) - J_G(q; q) is the same difference for groups of "
          "two with the margin gamma replaced by gamma_G(q) = P_G(a | q) - P_G(b | q): with "
          "pi_old frozen, J_G is gamma_G(q) times the pair objective at margin 1 and beta/"
          "gamma_G(q), up to a constant, and has its maximisers.")

g3_margin = claim(
    "x1.g3.margin", PAPER,
    Eq(margin_G, SQRT2),
    domains=G3, uses=[effective_margin, u_polynomials[3]],
    prose="For G = 3 the effective margin is constant, P_3(a | q) - P_3(b | q) = sqrt 2: J_3 is "
          "sqrt 2 times the objective of groups of two at beta/sqrt 2, and every statement about "
          "(14) transfers with beta/gamma replaced by beta/sqrt 2.")

# the global-maximiser region of s2.3.1.pairs.maximiser.corrected, at G = 3: p_3 = q,
# pi_ref(a) = q (1 + q v)/(1 + q), beta/sqrt 2 = (1 - q^2)/(q (1 - v)), pi_theta(a) at odds ratio u
_q, _v = pairs.q, pairs.v_region
odds = variable("x1_odds_ratio", POSITIVE, latex="u")
p_odds = _q * odds / (_q * odds + 1 - _q)
beta_region_3 = SQRT2 * (1 - _q**2) / (_q * (1 - _v))


def _J3_at(pp, qq, ff, bb):
    """J_3(pp; qq) with pi_ref(a) = ff, beta = bb, the sums written out."""
    return J_G_at(pp, qq, ff, bb).subs(G, 3).doit()


claim(
    "x1.g3.maximiser.corrected", PAPER,
    Ge(_J3_at(_q, _q, pairs.f_region, beta_region_3)
       - _J3_at(p_odds, _q, pairs.f_region, beta_region_3), 0),
    proof=Certificate(SQRT2 * lemma_instance(pairs.maximiser_region,
                                             {pairs.gamma: 1, pairs.u_odds: odds}),
                      "J_3(.; q) = sqrt 2 times the pair objective at gamma = 1, beta/sqrt 2",
                      lemmas={pairs.maximiser_region: [{pairs.gamma: 1, pairs.u_odds: odds}]}),
    uses=[g3_margin, rescaled],
    prose="For G = 3, wherever pi_ref(a) >= p_3/(1 + p_3) the stationary p_3 is the global "
          "maximiser of J_3(.; pi_old = p_3): stated, as in s2.3.1.pairs.maximiser.corrected, "
          "at p_3 = q, pi_ref(a) = q (1 + q v)/(1 + q), beta = sqrt 2 (1 - q^2)/(q (1 - v)), "
          "pi_theta(a) at odds ratio u against q.  (Every G transfers the same way, with "
          "beta/gamma_G(p_G), by x1.objective.rescaled.)")
