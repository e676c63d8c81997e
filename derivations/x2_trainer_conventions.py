"""Beyond the paper -- trainer conventions: Bessel-corrected std, an epsilon, beta = 0.

The paper normalises by the population std, puts nothing beside it in the denominator and
takes beta > 0.  Trainers differ: the std is often Bessel-corrected (1/(G - 1), the default of
``torch.std``), an epsilon is added to it (A = (r - mean)/(std + eps), e.g. eps = 1e-4), and
beta = 0 is a common setting.  For a binary question (answers a, b, r(a) > r(b);
p = pi_theta(a), q = pi_old(a), f = pi_ref(a)) each convention moves the stationary policy p_G
of ``x1_finite_groups`` in a definite direction.

* **Bessel-corrected std** (``x2.bessel.*``).  For every group size G the Bessel std is
  sqrt(G/(G - 1)) times the population std, so the advantages are sqrt((G - 1)/G) times those
  of (2) (symbolic G); P_G(a), P_G(b) from the group definition scale by the same factor
  (every G: ``x2.bessel.advantage-*`` for a group with n_a further a's and n_b b's, then the
  count law); the stationary condition is beta (p - f) = sqrt((G - 1)/G) p (1 - p)
  (P_G(a | p) - P_G(b | p)) for every G, i.e. the population condition at
  beta sqrt(G/(G - 1)) (``x2.bessel.effective-beta``, every G), so p_G^Bessel < p*_G
  (``x2.bessel.stationary.below-population``).  The pull towards pi_ref is
  stronger by sqrt 2 at G = 2 and by 1.069 at G = 8 (beta = 1, pi_ref(a) = 0.01: p_2 = 0.032
  instead of 0.1).
* **An epsilon in the denominator** (``x2.eps.*``).  |A_eps| = |r - mean|/(std + eps) <
  |r - mean|/std = |A_0| for every output whose reward differs from the group mean, and
  A_eps -> A_0 as eps -> 0; an output at the mean has A_eps = A_0 = 0, so "for every
  non-constant group" holds only with <= (``x2.eps.equal-at-mean``).  The epsilon breaks scale
  invariance: P_G^eps depends on the rewards through eps/(r(a) - r(b))
  (``x2.eps.preference.*.definition``).  With r(a) - r(b) = 1, the derivation of
  ``x1_finite_groups`` gives beta (p - f) = B_G^eps[phi](p), each phi(j/G) of B_G[phi] replaced
  by phi(j/G)^2/(phi(j/G) + eps) (every G, P_G^eps from the group definition included:
  ``x2.eps.advantage-*``, then the count law).
  B_G^eps < B_G (``x2.eps.below``), so at p_eps the eps = 0 condition is negative and
  p_eps < p_0: the epsilon moves the stationary policy towards pi_ref
  (``x2.eps.towards-reference``, ``x2.eps.stationary.below-epsilon-free``); p_eps is unique
  (``x2.eps.unique``, ``x2.eps.stationary.exactly-one``), above pi_ref, and
  beta (p_eps - pi_ref(a)) <= 1/(4 eps) -> 0 as eps -> oo (``x2.eps.large-epsilon``).  At
  beta = 0.04, pi_ref(a) = 0.2 (mpmath): eps = 1e-4 lowers p_2 = 0.968262 by 6e-6 and
  p_8 = 0.987734 by 4e-6; eps = 0.1 by 0.006 and 0.004.
* **beta = 0** (``x2.beta-zero.*``).  The on-policy gradient is P_G(a | p) - P_G(b | p) =
  B_G[phi](p)/(p (1 - p)) > 0 on all of (0, 1) (every G): no interior stationary point;
  on-policy ascent drives pi_theta(a) to the vertex 1, the only fixed point.

Generality and engine limits: every claim holds for a symbolic G >= 2.  The four
``*.definition`` claims (P_G with the Bessel std or an epsilon, from the group definition)
follow ``x1.preference.*.definition``: the advantage of o_1 in a group with n_a further a's
and n_b further b's under the convention (:func:`grpo_sym.grpo.advantage.advantage` with
``std="bessel"`` or ``eps``, the package's one definition) is a lemma for every count, from
the two-level group's sum of squares and mean (``s2.1.binary.two-level-squares``,
``-mean``; Bessel: the convention 0/0 := 0 where the population variance vanishes), then
the count of a's among the G - 1 others is binomial (the named axiom
``s2.1.binary.count-law``).  Their G = 2..8 versions with every ordered group written out
are kept as ``*.definition.small-groups`` instances.  The factor sqrt(G/(G - 1)) is
visibly positive from G's declared domain (G - 1 >= 1: the kernel's sign rule for a linear
expression in an integer symbol, ``G - 2 > 0`` is not proved); positivity of B_G^eps, of
B_G - B_G^eps and of the chord and 1/(4 eps) gaps are Bernstein sums with termwise
non-negative summands in visibly non-negative form (the range parametrisation of
:mod:`grpo_sym.proof.binomial`), a strict one with its positive term j = 1 split off;
1/(4 eps) - B_G^eps uses the binomial theorem, the named axiom ``x1.bernstein.weights``.  A
derivative of a binomial sum over a symbolic range is carried out term by term without SymPy's
symbolic summation, which does not finish in minutes on these summands
(:func:`grpo_sym.proof.kernel.held_sums`).  ``phi_eps`` is written with an integer numerator
over a denominator free of rational coefficients: ``expand`` multiplies a rational coefficient
into a denominator, so the same term written two ways defeats it and only ``cancel`` (three
times slower) reduces the identities.
"""
from __future__ import annotations

import functools
from typing import Sequence

import sympy as sp
from sympy import Interval, Rational, S, Sum, binomial, oo, sqrt

from grpo_sym.derivations import x1_finite_groups as x1
from grpo_sym.derivations.s1_advantage import adv, i, j as j_pos, mean, not_all_equal, r, \
    variance
from grpo_sym.derivations import s2_1_reward_preference as s2_1
from grpo_sym.derivations.s2_1_reward_preference import BIN_LAWS, BIN_LEVELS
from grpo_sym.grpo.advantage import advantage
from grpo_sym.grpo.preference import (binary_conditional_advantage,
                                      expected_group_preference, group_preference)
from grpo_sym.grpo.symbols import beta, group_size as G, pi_old_a as q, pi_ref_a as f, \
    pi_theta_a as p
from grpo_sym.numeric import validate
from grpo_sym.proof import (Certificate, Claim, Eq, Ge, Gt, IntermediateValue, Le, Lt,
                            MonotoneComparison, RootThreshold, Witness, chain, claim, exists_in,
                            lemma_instance, variable)
from grpo_sym.proof.proofs import instantiate

__all__ = ["PAPER", "advantage_eps", "phi_eps", "preference_a_eps", "preference_b_eps"]

PAPER = "Beyond the paper: trainer conventions (binary)"
FINITE, SIZES = x1.FINITE, x1.SIZES
POSITIVE = Interval.open(0, oo)
k, jj = x1.k, x1.j
phi, bernstein, basis = x1.phi, x1.bernstein, x1.bernstein_basis

eps = variable("x2_epsilon", POSITIVE, latex=r"\varepsilon")


def _positive(name: str, value):
    """``value`` if it is a SymPy expression that is not a number; else a finite number > 0
    (a SymPy number kept exact, a Python number validated).  ValueError names ``name``."""
    if isinstance(value, sp.Basic):
        if value.is_number and not (value.is_extended_real and value.is_finite
                                    and value.is_positive):
            raise ValueError(f"{name} must be a positive number, got {value}")
        return value
    return sp.sympify(validate.positive(name, value))


def advantage_eps(rs: Sequence[sp.Expr], position: int, epsilon) -> sp.Expr:
    """A_i = (r_i - mean)/(std + eps), the advantage with an epsilon (population std).

    No 0/0 convention is needed: a group of equal rewards gives 0/eps = 0.

    Options
    -------
    rs : the rewards of one group
    position : the index i of the output (0-based)
    epsilon : eps > 0, a SymPy expression or a positive number

    Raises ValueError for a non-positive, NaN or infinite ``epsilon``.

    >>> advantage_eps((1, 0), 0, Rational(1, 2))     # (1/2)/(1/2 + 1/2); without eps: 1
    1/2
    >>> advantage_eps((1, 1), 0, Rational(1, 2))
    0
    >>> advantage_eps((1, 0), 0, -1.0)
    Traceback (most recent call last):
    ...
    ValueError: epsilon must be a positive number, got -1.0
    """
    return advantage(rs, position, eps=_positive("epsilon", epsilon))


def phi_eps(x: sp.Expr, epsilon=eps) -> sp.Expr:
    """phi(x)^2/(phi(x) + eps): the term of B_G^eps, phi(x) = sqrt(x (1 - x)).

    Written, for x = n/d, as n (d - n)/(d sqrt(n (d - n)) + d^2 eps): an integer numerator
    over a denominator with no rational coefficient, so that SymPy's ``expand`` keeps every
    denominator in one form (it multiplies a rational coefficient into the denominator) and
    the identities of this module reduce without ``cancel``.

    Options
    -------
    x : a probability (j/G in the Bernstein sum)
    epsilon : eps > 0 (default: the symbol ``x2_epsilon``)

    >>> phi_eps(Rational(1, 2), Rational(1, 2))
    1/4
    >>> sp.simplify(phi_eps(Rational(1, 4)) - phi(Rational(1, 4))**2 / (phi(Rational(1, 4)) + eps))
    0
    """
    e = _positive("epsilon", epsilon)
    num, den = sp.fraction(sp.together(x))
    return num * (den - num) / (den * sqrt(num * (den - num)) + den**2 * e)


def preference_a_eps(size, x: sp.Expr, epsilon=eps) -> sp.Sum:
    """P_G^eps(a | pi_old) = sum_k C(G-1, k) x^k (1-x)^(G-1-k) (1 - m/G)/(phi(m/G) + eps),
    m = k + 1 the number of a's, for rewards with r(a) - r(b) = 1 (else eps/(r(a) - r(b))).

    Each advantage is written G (G - m)/(G sqrt(m (G - m)) + G^2 eps) (numerator and
    denominator times G^2), the form ``phi_eps`` uses.

    Options
    -------
    size : the group size G (integer >= 2 or integer symbol)
    x : pi_old(a)
    epsilon : eps > 0

    >>> preference_a_eps(2, q, 1).doit()
    1/3 - pi_old_a/3
    """
    n = x1.check_group_size(size)
    e = _positive("epsilon", epsilon)
    return Sum(binomial(n - 1, k) * x**k * (1 - x)**(n - 1 - k)
               * n * (n - k - 1) / (n * sqrt((k + 1) * (n - k - 1)) + n**2 * e), (k, 0, n - 1))


def preference_b_eps(size, x: sp.Expr, epsilon=eps) -> sp.Sum:
    """P_G^eps(b | pi_old) = -sum_k C(G-1, k) x^k (1-x)^(G-1-k) (k/G)/(phi(k/G) + eps),
    written -G k/(G sqrt(k (G - k)) + G^2 eps) per term as in ``preference_a_eps``.

    Options
    -------
    size : the group size G (integer >= 2 or integer symbol)
    x : pi_old(a)
    epsilon : eps > 0

    >>> preference_b_eps(2, q, 1).doit()
    -pi_old_a/3
    """
    n = x1.check_group_size(size)
    e = _positive("epsilon", epsilon)
    return Sum(-binomial(n - 1, k) * x**k * (1 - x)**(n - 1 - k)
               * n * k / (n * sqrt(k * (n - k)) + n**2 * e), (k, 0, n - 1))


def _from_definition(o: int, advantage_fn) -> sp.Piecewise:
    """P_G(o | pi_old) from the group advantages ``advantage_fn``, a Piecewise over G = 2..8."""
    @functools.lru_cache(maxsize=None)
    def pref(o_, others):
        return group_preference(o_, others, BIN_LAWS, advantage_fn)

    return sp.Piecewise(*[
        (expected_group_preference(o, (q, 1 - q), g, lambda o_, oth: pref(o_, tuple(sorted(oth)))),
         sp.Eq(G, g)) for g in SIZES])


# ======================================================================================
# Bessel-corrected std
# ======================================================================================

n_a, n_b = s2_1.n_a, s2_1.n_b
N_GROUP = n_a + n_b + 1                        # the group: o_1 and the n_a + n_b others


def _two_level_advantage(cid: str, o: int, closed: sp.Expr, text: str, std: str = "population",
                         eps_=0, registry=None) -> Claim:
    """E[A_1 | o_1 = o, n_a a's and n_b b's among the others] = ``closed`` for every n_a, n_b
    under the convention ``std``/``eps_``: the two-level group's sum of squares and mean, then
    (eps = 0 only) the convention 0/0 := 0 where its variance vanishes.  ``registry``: where
    the claim goes (default: the global one; the tests declare wrong twins elsewhere)."""
    mine, other = (n_a + 1, n_b) if o == 0 else (n_b + 1, n_a)
    levels = (s2_1.R_A, s2_1.R_B) if o == 0 else (s2_1.R_B, s2_1.R_A)
    inst = {s2_1.c_lv: mine, s2_1.d_lv: other, s2_1.u_lv: levels[0], s2_1.v_lv: levels[1]}
    var_c = instantiate(s2_1.two_level_squares.statement, inst).rhs / N_GROUP
    start = binary_conditional_advantage(o, n_a, n_b, s2_1.R_A, s2_1.R_B, std, eps_)
    proof = (chain(start)
             .substitute(s2_1.two_level_squares, "the sum of squares of the group, its outputs "
                         "sorted by kind", instance=inst)
             .substitute(s2_1.two_level_mean, "its mean", instance=inst))
    if eps_ == 0:
        proof = (proof.rewrite(sp.Piecewise((0, sp.Eq(var_c, 0)), (closed, True)),
                               "where the variance is not 0: (r(o) - mean)/std, the reward gap "
                               "cancels")
                 .substitute(s2_1.convention, "at variance 0 the value is 0 as well (0/0 := 0)",
                             instance={s2_1.w_var: var_c, s2_1.z_any: closed / sqrt(var_c)}))
    else:
        proof = proof.rewrite(closed, "(r(o) - mean)/(std + eps), times (G/gap)/(G/gap)")
    return claim(
        cid, PAPER, Eq(start, closed), proof=proof, uses=[s2_1.equivariance], registry=registry,
        prose=f"For a binary question with deterministic rewards r(a) > r(b), the advantage "
              f"{text}, for all n_a, n_b >= 0 (n_a further a's and n_b further b's besides "
              f"o_1, any order), so for every group size G = n_a + n_b + 1.")


BESSEL = sqrt((G - 1) / G)                     # Bessel advantage / population advantage
bessel_variance = Sum((r[j_pos] - mean())**2, (j_pos, 1, G)) / (G - 1)

bessel_std = claim(
    "x2.bessel.std", PAPER,
    Eq(sqrt(bessel_variance), sqrt(G / (G - 1)) * sqrt(variance())),
    prose="For every group size G the Bessel-corrected std, sqrt(sum_j (r_j - mean)^2/(G - 1)), "
          "is sqrt(G/(G - 1)) times the population std of (2).")

bessel_advantage = claim(
    "x2.bessel.advantage", PAPER,
    Eq((r[i] - mean()) / sqrt(bessel_variance), BESSEL * adv()),
    conditions=[sp.Le(i, G), not_all_equal], uses=[bessel_std],
    prose="Hence the Bessel advantages are sqrt((G - 1)/G) times the advantages (2), for every "
          "G and every group of rewards not all equal (both are 0 otherwise).")


def _bessel(rs, position):
    return advantage(rs, position, std="bessel")


P_A, P_B = x1.P_A, x1.P_B
BESSEL_N = sqrt((N_GROUP - 1) / N_GROUP)       # BESSEL at G = n_a + n_b + 1
bessel_two_level = {
    "a": _two_level_advantage(
        "x2.bessel.advantage-a", 0, BESSEL_N * sqrt(n_b / (n_a + 1)),
        "with the Bessel std of a at position 1 (0/0 := 0) is sqrt((G - 1)/G) sqrt(n_b/(n_a + 1))",
        std="bessel"),
    "b": _two_level_advantage(
        "x2.bessel.advantage-b", 1, -BESSEL_N * sqrt(n_a / (n_b + 1)),
        "with the Bessel std of b at position 1 (0/0 := 0) is -sqrt((G - 1)/G) "
        "sqrt(n_a/(n_b + 1))", std="bessel")}
bessel_pref = {name: claim(
    f"x2.bessel.preference.{name}.definition", PAPER,
    Eq(s2_1.binary_from_definition(o, "bessel"), BESSEL * pref),
    proof=s2_1.binary_preference_chain(o, bessel_two_level[name], BESSEL * pref, "bessel"),
    uses=[bessel_advantage, defn],
    prose=f"With the Bessel std, P_G({name} | pi_old) from the group advantages is sqrt((G - 1)/G) "
          f"times the population one, for every G and any reward values r(a) > r(b) "
          f"(x2.bessel.advantage-{name}, then the binomial law s2.1.binary.count-law).")
    for name, o, pref, defn in (("a", 0, P_A, x1.def_a), ("b", 1, P_B, x1.def_b))}
for _name, _o, _pref in (("a", 0, P_A), ("b", 1, P_B)):
    claim(
        f"x2.bessel.preference.{_name}.definition.small-groups", PAPER,
        Eq(_from_definition(_o, _bessel), BESSEL * _pref),
        domains={G: FINITE}, instance_of=f"x2.bessel.preference.{_name}.definition",
        prose=f"The same for G = 2..8 with every ordered group of G - 1 others written out and "
              f"the Bessel advantages of each group computed from its rewards (P_G({_name} | "
              f"pi_old)).")

_bst = x1.stationarity_claims("x2.bessel", BESSEL * P_A, BESSEL * P_B, PAPER,
                              "Bessel-corrected std")
bessel_stationary = Eq(_bst["D_ON"], 0)
effective_beta = claim(
    "x2.bessel.effective-beta", PAPER,
    Eq(beta * sqrt(G / (G - 1)) * (p - f), x1.B_p), given=bessel_stationary,
    proof=chain(_bst["stationarity"])
    .multiply_both_sides(sqrt(G / (G - 1)), "sqrt(G/(G - 1)) > 0")
    .rearrange(Eq(beta * sqrt(G / (G - 1)) * (p - f), x1.GAP), "sqrt(G/(G-1)) sqrt((G-1)/G) = 1")
    .substitute(x1.gap_bernstein, "p (1 - p) gamma_G(p) = B_G[phi](p)"),
    uses=list(bessel_pref.values()),
    prose="With the Bessel std the stationary condition is beta sqrt(G/(G - 1)) (p - f) = "
          "B_G[phi](p): the population-std stationary policy at beta sqrt(G/(G - 1)) -- a "
          "stronger pull towards pi_ref (beta * 1.414 at G = 2, * 1.069 at G = 8; every G).")

# p_0, the stationary policy with the population std, as a symbol with its defining equation
p_0, population_condition = x1.p_other, x1.other_condition
claim(
    "x2.bessel.stationary.below-population", PAPER,
    Lt(p, p_0), given=effective_beta.statement, conditions=[population_condition],
    proof=MonotoneComparison(x1.unique, lemma_instance(x1.positive, {}) / (G * p * (1 + BESSEL)),
                             "h(p)/p increases; at the Bessel p it is (1 - sqrt((G-1)/G)) "
                             "B_G(p)/p > 0 less than 0 = its value at p_0",
                             premises={population_condition: 1 / p_0,
                                       effective_beta.statement: -BESSEL / p},
                             lemmas={x1.positive: [{}]}),
    prose="With the Bessel std the stationary policy lies strictly below the population-std "
          "one, p_G^Bessel < p*_G, for every G: h(p)/p = (beta (p - f) - B_G[phi](p))/p "
          "strictly increases (x1.stationary.unique), vanishes at p*_G and is negative at "
          "p_G^Bessel, where beta (p - f) = sqrt((G - 1)/G) B_G[phi](p).")

# ======================================================================================
# An epsilon in the denominator
# ======================================================================================

centred_abs = variable("x2_abs_centred_reward", POSITIVE, latex=r"|r_i - \bar r|")
centred_any = variable("x2_centred_reward", S.Reals, latex=r"r_i - \bar r")
group_sd = variable("x2_group_std", POSITIVE, latex=r"\mathrm{std}")

claim(
    "x2.eps.shrinks", PAPER,
    Lt(centred_abs / (group_sd + eps), centred_abs / group_sd),
    proof=Certificate(centred_abs * eps / (group_sd * (group_sd + eps)),
                      "|r - mean| (1/std - 1/(std + eps)) = |r - mean| eps/(std (std + eps))"),
    prose="In a group whose rewards are not all equal (std > 0), an output whose reward differs "
          "from the mean has |A_eps| = |r - mean|/(std + eps) < |r - mean|/std = |A_0| for every "
          "eps > 0.")

A_eps_group = (r[i] - mean()) / (sqrt(variance()) + eps)
claim(
    "x2.eps.equal-at-mean", PAPER,
    Eq(A_eps_group, adv()),
    proof=Witness({G: 3, i: 2, r[1]: 0, r[2]: 1, r[3]: 2, eps: Rational(1, 10)},
                  "rewards 0, 1, 2: the middle output sits at the mean"),
    quantifier="exists", conditions=[sp.Le(i, G), not_all_equal],
    prose="The inequality is not strict for every output of a non-constant group: with rewards "
          "0, 1, 2 the middle output has A_eps = A_0 = 0.")

claim(
    "x2.eps.limit", PAPER,
    Eq(sp.Limit(centred_any / (group_sd + eps), eps, 0, "+"), centred_any / group_sd),
    prose="A_eps = (r - mean)/(std + eps) -> (r - mean)/std = A_0 as eps -> 0+, for every group "
          "whose rewards are not all equal.")

reward_gap = BIN_LEVELS[1] - BIN_LEVELS[0]      # r(a) - r(b) > 0


def _eps_advantage(rs, position):
    return advantage_eps(rs, position, eps)


P_A_eps, P_B_eps = preference_a_eps(G, q), preference_b_eps(G, q)
eps_gap_units = eps / reward_gap
eps_two_level = {
    "a": _two_level_advantage(
        "x2.eps.advantage-a", 0,
        N_GROUP * n_b / (N_GROUP * sqrt((n_a + 1) * n_b) + N_GROUP**2 * eps_gap_units),
        "(r - mean)/(std + eps) of a at position 1 is (1 - m/G)/(phi(m/G) + eps/(r(a) - r(b))), "
        "m = n_a + 1", eps_=eps),
    "b": _two_level_advantage(
        "x2.eps.advantage-b", 1,
        -N_GROUP * n_a / (N_GROUP * sqrt((n_b + 1) * n_a) + N_GROUP**2 * eps_gap_units),
        "(r - mean)/(std + eps) of b at position 1 is -(k/G)/(phi(k/G) + eps/(r(a) - r(b))), "
        "k = n_a", eps_=eps)}
eps_def = {name: claim(
    f"x2.eps.preference.{name}.definition", PAPER,
    Eq(s2_1.binary_from_definition(o, eps=eps), pref),
    proof=s2_1.binary_preference_chain(o, eps_two_level[name], pref, eps=eps),
    prose=text)
    for name, o, pref, text in (
        ("a", 0, preference_a_eps(G, q, eps_gap_units),
         "With A = (r - mean)/(std + eps), P_G^eps(a | pi_old) = sum_k C(G-1, k) q^k "
         "(1-q)^(G-1-k) (1 - m/G)/(phi(m/G) + eps/(r(a) - r(b))), m = k + 1, for every G: the "
         "epsilon is measured in units of the reward gap, so it breaks scale invariance."),
        ("b", 1, preference_b_eps(G, q, eps_gap_units),
         "Likewise P_G^eps(b | pi_old) = -sum_k C(G-1, k) q^k (1-q)^(G-1-k) (k/G)/(phi(k/G) + "
         "eps/(r(a) - r(b))) for every G."))}
eps_def_a, eps_def_b = eps_def["a"], eps_def["b"]
for _name, _o, _pref in (("a", 0, preference_a_eps(G, q, eps_gap_units)),
                         ("b", 1, preference_b_eps(G, q, eps_gap_units))):
    claim(
        f"x2.eps.preference.{_name}.definition.small-groups", PAPER,
        Eq(_from_definition(_o, _eps_advantage), _pref),
        domains={G: FINITE}, instance_of=f"x2.eps.preference.{_name}.definition",
        prose=f"The same for G = 2..8 with every ordered group of G - 1 others written out "
              f"(P_G^eps({_name} | pi_old)).")

_est = x1.stationarity_claims("x2.eps", P_A_eps, P_B_eps, PAPER,
                              "eps in the denominator, rewards with r(a) - r(b) = 1")
eps_stationary = Eq(_est["D_ON"], 0)
B_eps = bernstein(G, p, phi_eps)

eps_gap = claim(
    "x2.eps.preference.gap-bernstein", PAPER,
    Eq(_est["gap"], B_eps),
    uses=[eps_def_a, eps_def_b],
    prose="p (1 - p)(P_G^eps(a | p) - P_G^eps(b | p)) = B_G^eps[phi](p) = sum_j C(G, j) p^j "
          "(1-p)^(G-j) phi(j/G)^2/(phi(j/G) + eps): each phi(j/G) of B_G[phi] becomes "
          "phi^2/(phi + eps) (every G).")

eps_stationarity = claim(
    "x2.eps.stationarity.bernstein", PAPER,
    Eq(beta * (p - f), B_eps), given=eps_stationary,
    proof=chain(_est["stationarity"]).substitute(eps_gap, "p (1 - p) gamma_G^eps(p) = "
                                                          "B_G^eps[phi](p)"),
    prose="With an epsilon, a stationary pi_theta(a) satisfies beta (p - f) = B_G^eps[phi](p) "
          "(every G).")
eps_condition = eps_stationarity.statement     # the premise of the claims below


def _from_second_term(coeff) -> sp.Expr:
    """B_G[coeff](p) for a coefficient with coeff(0) = 0: its term j = 1, positive, plus the
    sum over j = 2..G, each term >= 0 (C(G, j) > 0 for 0 <= j <= G): visibly positive."""
    return basis(G, 1) * coeff(1 / G) + Sum(basis(G, jj) * coeff(jj / G), (jj, 2, G))


def _eps_gap(x: sp.Expr) -> sp.Expr:
    """phi(x) - phi_eps(x) = phi(x) eps/(phi(x) + eps), written visibly >= 0."""
    return phi(x) * eps / (phi(x) + eps)


eps_below = claim(
    "x2.eps.below", PAPER,
    Gt(x1.B_p - B_eps, 0),
    proof=Certificate(_from_second_term(_eps_gap),
                      "phi - phi^2/(phi + eps) = phi eps/(phi + eps) term by term, 0 at j = 0 "
                      "and positive at j = 1"),
    prose="B_G^eps[phi](p) < B_G[phi](p) on (0, 1) for every eps > 0 and every G.")

eps_towards = claim(
    "x2.eps.towards-reference", PAPER,
    Lt(beta * (p - f), x1.B_p), given=eps_condition,
    proof=Certificate(lemma_instance(eps_below, {}),
                      "B_G(p) - beta (p - f) = (B_G - B_G^eps)(p) - (beta (p - f) - B_G^eps(p))",
                      lemmas={eps_below: [{}]}, premise_multiple=-1),
    uses=[eps_stationarity, x1.unique, x1.stationarity_bernstein],
    prose="At the stationary p_eps, h(p_eps) = beta (p_eps - f) - B_G[phi](p_eps) < 0; as h(p)/p "
          "increases and vanishes at p_0 (x1.stationary.unique), p_eps < p_0: the epsilon moves "
          "the stationary policy towards pi_ref (every G).")

eps_positive = claim(
    "x2.eps.positive", PAPER,
    Gt(B_eps, 0),
    proof=Certificate(_from_second_term(phi_eps), "the term j = 0 is 0, the term j = 1 "
                      "positive, the others >= 0"),
    prose="B_G^eps[phi](p) > 0 on (0, 1) for every G.")

claim(
    "x2.eps.above-reference", PAPER,
    Gt(p, f), given=eps_condition,
    proof=Certificate(lemma_instance(eps_positive, {}) / beta,
                      "p - f = B_G^eps[phi](p)/beta > 0 at a stationary p",
                      lemmas={eps_positive: [{}]}, premise_multiple=1 / beta),
    uses=[eps_stationarity],
    prose="A stationary p_eps still lies above pi_ref(a) (every G).")


def eps_chord_gap(idx: sp.Expr, size=G) -> sp.Expr:
    """i phi_eps((i-1)/G) - (i-1) phi_eps(i/G), written visibly >= 0 for 1 <= i <= G.

    With u = phi((i-1)/G), v = phi(i/G): over (u + eps)(v + eps) the numerator is
    u v (i u - (i-1) v) + eps (i u^2 - (i-1) v^2); i u - (i-1) v is the chord gap of phi
    (``x1_finite_groups.chord_gap_phi``) and i u^2 - (i-1) v^2 = i (i-1)/G^2.

    Options
    -------
    idx : the index i
    size : the group size G

    >>> eps_chord_gap(2, 2)
    1/(2*(x2_epsilon + 1/2))
    """
    idx, size = sp.sympify(idx), sp.sympify(size)
    lower, upper = phi((idx - 1) / size), phi(idx / size)
    return (lower * upper * x1.chord_gap_phi(idx, size) + eps * idx * (idx - 1) / size**2) \
        / ((lower + eps) * (upper + eps))


EPS_CHORD = Sum(basis(G, x1.i_) * eps_chord_gap(x1.i_), (x1.i_, 2, G))
eps_chord = claim(
    "x2.eps.chord", PAPER,
    Ge(B_eps - p * sp.Derivative(B_eps, p), 0),
    proof=Certificate(EPS_CHORD, "B^eps - p B^eps' = sum_i C(G, i) p^i (1-p)^(G-i) "
                      "(i phi_eps((i-1)/G) - (i-1) phi_eps(i/G)), each over (u + eps)(v + eps) "
                      "with the numerator u v (i u - (i-1) v) + eps i (i-1)/G^2 >= 0 (u, v the "
                      "values of phi; the chord condition of phi)"),
    prose="B_G^eps[phi](p) - p B_G^eps[phi]'(p) >= 0 for every eps > 0 and every G.")

eps_unique = claim(
    "x2.eps.unique", PAPER,
    Gt(sp.Derivative((beta * (p - f) - B_eps) / p, p), 0),
    proof=Certificate(beta * f / p**2 + lemma_instance(eps_chord, {}) / p**2,
                      "d/dp (h_eps(p)/p) = (beta f + B^eps - p B^eps')/p^2",
                      lemmas={eps_chord: [{}]}),
    prose="h_eps(p)/p, h_eps(p) = beta (p - f) - B_G^eps[phi](p), strictly increases on (0, 1): "
          "the stationary p_eps is unique (every G).")

eps_other_condition = Eq(beta * (p_0 - f), bernstein(G, p_0, phi_eps))
x1.exactly_one(
    "x2.eps.stationary.exactly-one", eps_unique, eps_condition, eps_other_condition, PAPER,
    uses=[eps_positive],
    prose="For every G and eps > 0 there is at most one stationary p_eps: two solutions p, p' of "
          "beta (x - f) = B_G^eps[phi](x) have h_eps(p)/p = h_eps(p')/p' = 0 with h_eps/p "
          "strictly increasing, so p' = p.")

claim(
    "x2.eps.stationary.below-epsilon-free", PAPER,
    Lt(p, p_0), given=eps_condition, conditions=[population_condition],
    proof=MonotoneComparison(x1.unique, lemma_instance(eps_below, {}) / p,
                             "h(p)/p increases; at p_eps it is -(B_G - B_G^eps)(p)/p < 0 = its "
                             "value at p_0",
                             premises={population_condition: 1 / p_0, eps_condition: -1 / p},
                             lemmas={eps_below: [{}]}),
    uses=[eps_towards],
    prose="The epsilon moves the stationary policy towards pi_ref: p_eps < p*_G (the stationary "
          "policy without it) for every G and eps > 0, as h(p)/p strictly increases, vanishes at "
          "p*_G and is negative at p_eps.")


def _quarter_gap(x: sp.Expr) -> sp.Expr:
    """1/(4 eps) - phi_eps(x) = (phi(x) + eps (1 - 2x)^2)/(4 eps (phi(x) + eps)), as
    1 - 4 phi(x)^2 = (1 - 2x)^2: visibly >= 0."""
    return (phi(x) + eps * (1 - 2 * x)**2) / (4 * eps * (phi(x) + eps))


QUARTER_GAP = Sum(basis(G, jj) * _quarter_gap(jj / G), (jj, 0, G)) \
    + lemma_instance(x1.binomial_theorem, {}) / (4 * eps)
claim(
    "x2.eps.large-epsilon", PAPER,
    Le(beta * (p - f), 1 / (4 * eps)), given=eps_condition,
    proof=Certificate(QUARTER_GAP,
                      "1/(4 eps) - B_G^eps[phi](p) = sum_j C(G, j) p^j (1-p)^(G-j) (1/(4 eps) - "
                      "phi^2/(phi + eps)) + (1 - the weights' sum)/(4 eps); each 1/(4 eps) - "
                      "phi^2/(phi + eps) = (phi + eps (1 - 2 j/G)^2)/(4 eps (phi + eps)) >= 0",
                      lemmas={x1.binomial_theorem: [{}]}, premise_multiple=-1),
    uses=[eps_stationarity],
    prose="At the stationary p_eps, 0 < beta (p_eps - pi_ref(a)) <= 1/(4 eps): as eps -> oo the "
          "stationary policy tends to pi_ref (every G).")

# ======================================================================================
# beta = 0
# ======================================================================================

claim(
    "x2.beta-zero.no-interior-stationary", PAPER,
    Gt(x1.D_ON.subs(beta, 0), 0),
    proof=Certificate(lemma_instance(x1.positive, {}) / (p * (1 - p)),
                      "the on-policy gradient at beta = 0 is P_G(a | p) - P_G(b | p) = "
                      "B_G[phi](p)/(p (1 - p)) (x1.preference.gap-bernstein), and B_G[phi] > 0",
                      lemmas={x1.positive: [{}]}),
    uses=[x1.gap_bernstein],
    prose="With beta = 0 the on-policy gradient of J_G is B_G[phi](p)/(p (1 - p)) > 0 for every "
          "p in (0, 1) and every G: there is no interior stationary point, and on-policy ascent "
          "drives pi_theta(a) to the vertex 1, the only fixed point.")

# ======================================================================================
# Bessel std at pi_ref(a) = 0: the stationary policy jumps iff beta < (G - 1)/sqrt(G)
# ======================================================================================
# the Bessel condition at pi_ref(a) = 0 is the population one at beta sqrt(G/(G - 1)), whose
# threshold sqrt(G - 1) (x1.bernstein.slope-at-zero) is beta < sqrt((G - 1)/G) sqrt(G - 1)
BESSEL_THRESHOLD = (G - 1) / sqrt(G)
BESSEL_AT_ZERO = Eq(beta * p, BESSEL * x1.B_p)       # beta (p - 0) = sqrt((G-1)/G) B_G[phi](p)
bessel_no_interior = claim(
    "x2.bessel.no-interior-at-zero-reference", PAPER,
    Gt(beta * p - BESSEL * x1.B_p, 0),
    proof=Certificate(BESSEL * lemma_instance(x1.below_tangent_at_zero, {})
                      + (beta - BESSEL_THRESHOLD) * p,
                      "beta p - sqrt((G-1)/G) B_G(p) = sqrt((G-1)/G) (sqrt(G - 1) p - B_G(p)) + "
                      "(beta - (G - 1)/sqrt(G)) p",
                      lemmas={x1.below_tangent_at_zero: [{}]}),
    conditions=[sp.Ge(beta, BESSEL_THRESHOLD)], uses=[_bst["stationarity"], x1.gap_bernstein],
    prose="With the Bessel std, at pi_ref(a) = 0 and beta >= (G - 1)/sqrt(G), beta p - "
          "sqrt((G - 1)/G) B_G[phi](p) > 0 on (0, 1) for every G: no interior stationary point "
          "(the population threshold sqrt(G - 1) at the effective beta sqrt(G/(G - 1))).")

bessel_jump = claim(
    "x2.bessel.interior-at-zero-reference", PAPER,
    exists_in(p, Interval.open(0, 1), BESSEL_AT_ZERO),
    proof=IntermediateValue(lower=BESSEL_THRESHOLD - beta, function=BESSEL * x1.P_A_p - beta,
                            factor=-p, equations={x1.preference_at_zero: [{}],
                                                  x1.preference_at_one: [{}]},
                            why="sqrt((G-1)/G) P_G(a | p) - beta is continuous on [0, 1], "
                                "(G - 1)/sqrt(G) - beta > 0 at 0 and -beta < 0 at 1"),
    conditions=[sp.Lt(beta, BESSEL_THRESHOLD)],
    uses=[_bst["stationarity"], x1.gap_bernstein, x1.bern_a],
    prose="With the Bessel std, at pi_ref(a) = 0 and 0 < beta < (G - 1)/sqrt(G) there is an "
          "interior stationary point for every G: beta p = sqrt((G - 1)/G) p P_G(a | p) iff "
          "sqrt((G - 1)/G) P_G(a | p) = beta, which is (G - 1)/sqrt(G) - beta > 0 at p = 0 and "
          "-beta < 0 at p = 1.  With x2.bessel.no-interior-at-zero-reference: p*_G jumps away "
          "from 0 at pi_ref(a) = 0 iff beta < (G - 1)/sqrt(G) (1/sqrt 2 at G = 2, against 1 "
          "with the population std).")

claim(
    "x2.bessel.jump-threshold", PAPER,
    Eq(sp.ConditionSet(beta, bessel_jump.statement, Interval.open(0, oo)),
       Interval.open(0, BESSEL_THRESHOLD)),
    proof=RootThreshold(bessel_jump, bessel_no_interior),
    prose="With the Bessel std, at pi_ref(a) = 0 the betas with an interior stationary point "
          "are exactly 0 < beta < (G - 1)/sqrt(G), for every G: p*_G jumps away from 0 iff "
          "beta < (G - 1)/sqrt(G) (x1.stationary.jump-threshold at beta sqrt(G/(G - 1))).")
