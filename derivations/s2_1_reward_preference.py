"""Section 2.1 -- the reward preference model: P_G, equation (6), R_2 and R_infinity.

The paper lets rewards be stochastic and the set of outputs be any finite set.
The claims are checked at that generality for concrete sizes, per question q
(the outer expectation over q ~ mu is linear and left implicit).

* **Equivariance** (``s2.1.advantage.equivariance``).  Permuting a group permutes
  the advantages (2): A_l(r o sigma) = A_sigma(l)(r) for every position l, every
  permutation sigma and every G (the kernel reindexes a sum over 1..G by sigma).  So E[A_i | o_1..o_G] is
  P_G(o_i | the other outputs), one opaque real per output and multiset of
  others -- which covers every reward model whose rewards are independent given
  the outputs.
* **(6) for every K and G** (``eq6``): R_G is the expectation over an i.i.d. group of
  (1/G) sum_i f(o_i) A_i with f = pi_theta/pi_old (``GroupAdvantageAverage``); by the named
  axiom ``s2.1.exchangeable-positions`` (exchangeability of the positions, with E[A_1 | o_1 =
  o] = P_G(o | pi)) it is sum_o pi_old(o) f(o) P_G(o | pi_old) = E_theta[P_G(o | pi_old)].
  The axiom's own check writes both sides out at six concrete (K, G) and compares them
  exactly at rational points; the law of large numbers behind R_infinity is the named axiom
  ``s2.1.law-of-large-numbers``.
* **(6) written out** (``eq6.kK.gG``, instances of ``eq6``).  R_G, written out as the
  expectation over all K^G ordered groups of (1/G) sum_i ratio_i A_i, equals
  E_{o ~ pi_theta}[P_G(o | pi_old)].  The identity is polynomial and SymPy's
  automatic collection of like terms does the bookkeeping.  Sizes, limited by
  the time budget: K = 2 with G = 2..6, K = 3 with G = 2..5, K = 4 with
  G = 2..4 (the K = 4 identity contains K = 2, 3: set the extra outputs'
  probabilities to 0).  No normalisation of pi_old or pi_theta is needed, only
  pi_old(o) != 0.
* **The deterministic display of P_G** (G = 3): the stochastic definition at point
  masses.  It does *not* extend to stochastic rewards by plugging in expected
  rewards (an ``exists`` claim with a witness).
* **Groups of two**, stochastic rewards with finite support: three ordered reward
  levels y_1 < y_2 < y_3 with symbolic probabilities per output (any finite
  supports of finitely many outputs sit on the sorted union of the supports),
  using A_i = sign(r_i - r_j) proved in ``s1_advantage``.  The printed
  "P_2(o | {o'}) corresponds to P(o > o')" is wrong as an equality:
  P_2(o | {o'}) = P(o > o') - P(o' > o).  The display of R_2 holds for any K
  (``s2.1.pairs.r2``: the two positions exchanged in the double sum; written out for
  K = 2, 3, 4 with three reward levels as ``s2.1.pairs.r2.kK``).
  Its hypothesis P(o > o') + P(o' > o) = 1 fails at every tie -- for
  deterministic rewards always at o' = o, a pair that the expectation contains --
  so it never holds for GRPO with finite-support rewards.  In general
  R_2 = 2 E[P(o > o')] - 1 + E[P(tie)], and R_2 = 2 E[P~(o > o')] - 1 with a tie
  counted as half a win (the NLHF form, K = 3).
* **Large groups.**  E_theta[P_inf] = (E_theta[r] - E_old[r])/sigma_old for
  K = 2, 3, 4 (needs pi_theta normalised).  The limit G -> oo itself rests on the
  law of large numbers, a premise: SymPy checks that the normalisation is
  continuous at sigma > 0 and that sum_i A_i^2 = G (so E[A_1^2] <= 1 and the
  expectation passes to the limit).  For a binary question the exact
  P_G(a | pi_old) is a binomial sum for every G (``s2.1.large.binary-exact``: the advantage
  of a group with n_a further a's and n_b b's is sqrt(n_b/(n_a + 1)), its sums split at the
  last a, and the count of a's among the G - 1 i.i.d. others is binomial, the named axiom
  ``s2.1.binary.count-law``; written out for G = 2..6 as well) and P_inf(a) =
  sqrt((1 - q)/q); at 50 digits P_G - P_inf = -P_inf/(8 G q (1 - q)) (1 + o(1))
  for G = 10..10^4, so the convergence is not uniform: it needs G q (1 - q) >> 1.

Two engine problems are worked around here: a ``chain(...).substitute({x: v})``
specialisation step is checked as if it preserved the value (so the deterministic
display is an ``Identity``), and the sampler cannot evaluate domain ends such as
sqrt(2) (so P_G symbols are declared on a rational box around their range).
Witness points avoid exact cancellation (a tie is written r(o') = r(o) + d, d = 0).
"""
from __future__ import annotations

from typing import Callable

import mpmath
import sympy as sp
from sympy import FiniteSet, Interval, Range, S, Sum, oo

from grpo_sym.derivations.s1_advantage import pair_sign, r as group_rewards
from grpo_sym.grpo.advantage import (advantage, advantage_raw, group_mean, group_variance,
                                     two_level_group)
from grpo_sym.grpo.preference import (
    COUNT_A, COUNT_B, WRITTEN_OUT_DRAWS, DrawCountExpectation, binary_conditional_advantage,
    binary_group_preference, binary_group_preference_mp, binary_large_group_preference,
    binary_preference_definition,
    conditional_advantage, expected_group_preference, expected_preference, group_preference,
    GroupAdvantageAverage, GroupPreference, large_group_preference,
    large_group_reward_preference, pair_expectation, pairwise_preference,
    reward_preference, reward_std, tie_probability, weighted_sum)
from grpo_sym.grpo.symbols import (OUTPUT_VARIABLE, PI_OLD_K, PI_THETA_K, PREFERENCE_K, PROB,
                                   Family,
                                   group_size as G, level_probabilities, output_count, pi_old_a,
                                   policy, policy_family, preference_matrix, reward_family,
                                   reward_levels, reward_values, sigma_old, weights_family)
from grpo_sym.proof import (REGISTRY, Axiom, Claim, Eq, Identity, Ne, OnSimplex, Witness, chain,
                            claim, indexed, variable)
from grpo_sym.proof.proofs import instantiate
from grpo_sym.proof.kernel import IndexPermutation

Limit_ = sp.Limit  # unevaluated: the engine computes it (limit and gruntz)
pair_antisymmetric = REGISTRY["s2.1.pairs.advantage-antisymmetric"]

# -- equivariance of the advantages (2) ---------------------------------------------

r = group_rewards                     # r_1..r_G, a group of symbolic size G
i = variable("i", Range(1, oo), latex="i")
perm_rank = variable("s_permutation", Range(0, oo), latex="s")   # which permutation of 1..G
l_pos = variable("l", Range(1, oo), latex="l")                   # a position in the group


def sigma(x: sp.Expr) -> sp.Expr:
    """sigma(x): an arbitrary permutation of the positions 1..G (the kernel's
    ``IndexPermutation``; every permutation of 1..G is sigma for some rank s)."""
    return IndexPermutation(perm_rank, G, x)


permuted = Family(None, G, lambda p: r[sigma(p)])   # the group with its rewards permuted

equivariance = claim(
    "s2.1.advantage.equivariance", "Sec. 1, (2); used in Sec. 2.1 for (6)",
    Eq(advantage_raw(permuted, l_pos), advantage_raw(r, sigma(l_pos))),
    conditions=[Ne(group_variance(r), 0), sp.Le(l_pos, G)],
    prose="Permuting a group permutes its advantages, A_l(r o sigma) = A_sigma(l)(r) for every "
          "position l, every permutation sigma of the positions and every group size G (the "
          "mean and the variance are sums over all positions, unchanged by reindexing); if all "
          "rewards are equal every A_l is 0 by convention.  Hence E[A_i | o_1..o_G] = "
          "P_G(o_i | the other outputs).")

# -- equation (6) ----------------------------------------------------------------------

EQ6_SIZES = {2: range(2, 7), 3: range(2, 6), 4: range(2, 5)}


def _eq6(K: int, g: int, cid: str):
    t, p = policy("pi_theta", K), policy("pi_old", K)
    return claim(
        cid, "Sec. 2.1, (6)",
        Eq(reward_preference(t, p, g), expected_preference(t, p, g)),
        uses=[equivariance],
        prose=f"With K = {K} outputs and groups of G = {g}, R_G (the expectation over all "
              f"ordered groups of (1/G) sum_i (pi_theta/pi_old)(o_i) A_i, where "
              f"E[A_i | group] = P_G(o_i | the others) by equivariance) equals "
              f"E_{{o ~ pi_theta}}[P_G(o | pi_old)], for any pi_theta, pi_old and reward model.")


for _K, _Gs in EQ6_SIZES.items():
    for _g in _Gs:
        _eq6(_K, _g, f"eq6.k{_K}.g{_g}")

# -- (6) for any K and any G: exchangeability of the positions, a named axiom -----------------

x_out = OUTPUT_VARIABLE
K_ = output_count
f_K = Family(indexed("f_value", S.Reals, latex="f"))      # any values f(o) per output
pi_pos = weights_family("pi_weight", r"\pi")              # any positive weights pi(o)


def per_output(family) -> sp.Lambda:
    """o -> family(o), the argument form of the group operators."""
    return sp.Lambda(x_out, family[x_out])


CHECKED_SIZES = ((2, 2), (2, 3), (3, 2), (3, 3), (2, 5), (4, 2))     # (K, G)


def at_concrete_sizes(statement: sp.Basic, relations: Callable[[int, int], dict] | None = None
                      ) -> Callable[[int], tuple[bool, str]]:
    """A numeric check of a statement over K outputs and groups of G: at each (K, G) of
    :data:`CHECKED_SIZES` the group operators are written out (their definitions, sums
    over groups), ``relations(K, G)`` (a substitution) is applied, and both sides are
    compared at three seeded rational points, exactly."""
    def check(dps: int) -> tuple[bool, str]:
        import random
        rng = random.Random(20261207)
        done = 0
        for k, g in CHECKED_SIZES:
            inst = statement.xreplace({K_: k, G: g})
            inst = inst.func(*(side.doit() for side in inst.args), evaluate=False)
            if relations is not None:
                inst = inst.func(*(side.xreplace(relations(k, g)) for side in inst.args),
                                 evaluate=False)
            atoms = sorted(inst.atoms(sp.Indexed) | {a for a in inst.free_symbols
                                                     if isinstance(a, sp.Symbol)}, key=str)
            for _ in range(3):
                point = {a: sp.Rational(rng.randrange(1, 1000), rng.randrange(1, 1000))
                         for a in atoms}
                lhs, rhs = (sp.expand(side.xreplace(point)) for side in inst.args)
                if lhs != rhs:
                    return False, f"K = {k}, G = {g}: {lhs} != {rhs} at a rational point"
                done += 1
        return True, (f"exact at {done} rational points, the operators written out for "
                      f"(K, G) in {CHECKED_SIZES}")
    return check


exchangeable = claim(
    "s2.1.exchangeable-positions", "Sec. 2.1, (6) ('it can be readily observed')",
    Eq(GroupAdvantageAverage(G, K_, per_output(f_K), per_output(pi_pos)),
       weighted_sum(pi_pos, lambda j: f_K[j] * GroupPreference(G, K_, j, per_output(pi_pos)))),
    proof=Axiom("exchangeability of the positions of an i.i.d. group",
                "the G positions of a group drawn i.i.d. from pi are exchangeable, so the "
                "average over positions of f(o_i) A_i has the expectation of f(o_1) A_1, and "
                "E[A_1 | o_1 = o] = P_G(o | pi) by equivariance "
                "(s2.1.advantage.equivariance) and the definition of P_G; at every concrete "
                "G and K both sides are the same polynomial (proved for K <= 4, G <= 6 as "
                "eq6.kK.gG)"),
    uses=[equivariance],
    numeric=None,
    prose="For any values f(o) of K outputs and any group size G: E over groups o_1..o_G "
          "i.i.d. pi of (1/G) sum_i f(o_i) A_i = sum_o pi(o) f(o) P_G(o | pi), assumed for "
          "symbolic K and G (a named axiom), checked at the instances eq6.kK.gG.")

t_fam, old_fam = policy_family("pi_theta"), policy_family("pi_old")
ratio = sp.Lambda(x_out, t_fam[x_out] / old_fam[x_out])
claim(
    "eq6", "Sec. 2.1, (6)",
    Eq(GroupAdvantageAverage(G, K_, ratio, per_output(old_fam)),
       weighted_sum(t_fam, lambda j: GroupPreference(G, K_, j, per_output(old_fam)))),
    proof=chain(GroupAdvantageAverage(G, K_, ratio, per_output(old_fam)))
    .substitute(exchangeable, "exchangeability, at f = pi_theta/pi_old and pi = pi_old",
                instance={f_K.base: ratio, pi_pos.base: per_output(old_fam)})
    .rewrite(weighted_sum(t_fam, lambda j: GroupPreference(G, K_, j, per_output(old_fam))),
             "pi_old(o) pi_theta(o)/pi_old(o) = pi_theta(o)"),
    prose="(6) for K outputs and groups of G, both symbolic: R_G(theta | q), the expectation "
          "over groups o_1..o_G i.i.d. pi_old of (1/G) sum_i (pi_theta/pi_old)(o_i) A_i, "
          "equals E_{o ~ pi_theta}[P_G(o | pi_old)] (resting on the named axiom "
          "s2.1.exchangeable-positions).")
for _c in (exchangeable, REGISTRY["eq6"]):
    _c.numeric = at_concrete_sizes(_c.statement)

# -- the deterministic display of P_G --------------------------------------------------

u = [variable(f"u_{n}", S.Reals, latex=f"u_{{{n}}}") for n in (1, 2, 3)]
v = [variable(f"v_{n}", S.Reals, latex=f"v_{{{n}}}") for n in (1, 2, 3)]
s = [variable(f"s_{n}", PROB, latex=f"s_{{{n}}}") for n in (1, 2, 3)]
two_point = [[(u[n], s[n]), (v[n], 1 - s[n])] for n in range(3)]   # law of output n
P3_stochastic = group_preference(0, (1, 2), two_point)

claim(
    "s2.1.preference.deterministic", "Sec. 2.1, display after the definition of P_G",
    Eq(P3_stochastic.subs({sn: 1 for sn in s}), advantage(tuple(u), 0)),
    proof=Identity("deterministic rewards: each law is a point mass at u_n, and the seven "
                   "other reward outcomes have probability 0"),
    # where the rewards are not all equal the display is defined; at a tie both sides
    # are 0 by the convention of (2)
    conditions=[Ne(group_variance(tuple(u)), 0)],
    prose="For deterministic rewards P_G(o | {o'}) is (r(o) - mean)/std of the group's rewards "
          "(G = 3, from the stochastic definition); at a group of equal rewards the display is "
          "0/0 and reads 0 by the convention of (2).")

claim(
    "s2.1.preference.stochastic-not-plug-in", "Sec. 2.1, display after the definition of P_G",
    Ne(group_preference(0, (1,), [two_point[0], [(u[1], 1)]]),
       advantage((s[0] * u[0] + (1 - s[0]) * v[0], u[1]), 0)),
    proof=Witness({s[0]: sp.Rational(9, 20), u[0]: 1, v[0]: 0, u[1]: sp.Rational(2, 5)},
                  "o has reward 1 with probability 9/20 (else 0), o' has 2/5"),
    quantifier="exists",
    prose="The deterministic display does not extend to stochastic rewards by plugging in the "
          "expected rewards r(o|q): with r ~ Bernoulli(9/20) against 2/5, r(o) = 0.45 > 0.4 and "
          "the display gives 1, but P_2 = 9/20 - 11/20 = -1/10 < 0.")

# -- groups of two ----------------------------------------------------------------------

LEVELS = reward_levels(3)
GAPS = (LEVELS[1] - LEVELS[0], LEVELS[2] - LEVELS[1])            # delta_1, delta_2


def _laws(K: int):
    return [[(y, w) for y, w in zip(LEVELS, level_probabilities(o + 1, 3))] for o in range(K)]


def _law_simplices(K: int):
    return [OnSimplex(level_probabilities(o + 1, 3)) for o in range(K)]


def pair_advantage(rs, idx):
    """A_i = sign(r_i - r_j) for groups of two (s2.1.pairs.advantage-sign, -antisymmetric)."""
    return sp.sign(rs[idx] - rs[1 - idx])


LAWS2 = _laws(2)
QUARTER = sp.Rational(1, 4)
P2 = group_preference(0, (1,), LAWS2, pair_advantage)
prefer = pairwise_preference(0, 1, LAWS2)
prefer_back = pairwise_preference(1, 0, LAWS2)

pairs_printed = claim(
    "s2.1.pairs.preference", "Sec. 2.1, groups of size two",
    Eq(P2, prefer),
    proof=Witness({LEVELS[0]: 0, GAPS[0]: 1, GAPS[1]: 1,
                   **dict(zip(level_probabilities(1, 3), (QUARTER, 0, 1 - QUARTER))),
                   **dict(zip(level_probabilities(2, 3), (0, 1, 0)))},
                  "o has the lowest reward with probability 1/4 and the highest with 3/4, o' "
                  "the middle one"),
    expected="refuted", uses=[pair_sign, pair_antisymmetric],
    conditions=_law_simplices(2),
    prose="As printed, P_2(o | {o'}) = P(o > o') fails: if o's reward is below o''s with "
          "probability 1/4 and above it with 3/4, P_2 = 1/2 while P(o > o') = 3/4 "
          "(deterministically, r(o) < r(o') gives -1 against 0).")

claim(
    "s2.1.pairs.preference.corrected", "Sec. 2.1, groups of size two",
    Eq(P2, prefer - prefer_back),
    uses=[pair_sign, pair_antisymmetric], corrects=pairs_printed,
    prose="P_2(o | {o'}) = E[sign(r - r')] = P(o > o') - P(o' > o) for stochastic rewards with "
          "finite support (three ordered levels with any probabilities; they need not even be "
          "normalised).")

for _K in (2, 3, 4):
    _t, _p, _laws_K = policy("pi_theta", _K), policy("pi_old", _K), _laws(_K)
    claim(
        f"s2.1.pairs.r2.k{_K}", "Sec. 2.1, display of R_2",
        Eq(reward_preference(_t, _p, 2, lambda n, grp, L=_laws_K:
                             conditional_advantage(n, grp, L, pair_advantage)),
           pair_expectation(_t, _p, lambda a, b, L=_laws_K:
                            pairwise_preference(a, b, L) - pairwise_preference(b, a, L))),
        uses=[pair_sign, pair_antisymmetric],
        prose=f"For K = {_K} outputs with stochastic rewards (three levels), R_2 as defined "
              f"equals E_{{o ~ pi_theta, o' ~ pi_old}}[P(o > o') - P(o' > o)] (per question; "
              f"no normalisation of the policies or of the reward laws is needed).")

def pair_gap_K(a, b) -> sp.Expr:
    """P(a > b) - P(b > a) for K outputs: E[A_1 | o_1 = a, o_2 = b] in a group of two
    (s2.1.pairs.preference.corrected)."""
    return PREFERENCE_K[a, b] - PREFERENCE_K[b, a]


def _pair_ratio(i):
    return PI_THETA_K[i] / PI_OLD_K[i]


claim(
    "s2.1.pairs.r2", "Sec. 2.1, display of R_2",
    Eq(pair_expectation(PI_OLD_K, PI_OLD_K, lambda a, b: (_pair_ratio(a) * pair_gap_K(a, b)
                                                         + _pair_ratio(b) * pair_gap_K(b, a)) / 2),
       pair_expectation(PI_THETA_K, PI_OLD_K, pair_gap_K)),
    uses=[pair_sign, pair_antisymmetric, REGISTRY["s2.1.pairs.preference.corrected"]],
    prose="For K outputs (any K) and any reward model: R_2, the expectation over o_1, o_2 "
          "i.i.d. pi_old of (1/2) sum_i (pi_theta/pi_old)(o_i) A_i with E[A_1 | o_1, o_2] = "
          "P(o_1 > o_2) - P(o_2 > o_1), equals E_{o ~ pi_theta, o' ~ pi_old}[P(o > o') - "
          "P(o' > o)] (the two positions are exchanged in the double sum).")

# the asymmetry hypothesis: deterministic rewards r(o) and r(o') = r(o) + d
r_o = variable("r_o", S.Reals, latex=r"r(o)")
d_gap = variable("d_o", S.Reals, latex=r"r(o') - r(o)")
DET = [[(r_o, 1)], [(r_o + d_gap, 1)]]
asym_printed = claim(
    "s2.1.pairs.asymmetry.deterministic", "Sec. 2.1, groups of size two (before the NLHF form)",
    Eq(pairwise_preference(0, 1, DET) + pairwise_preference(1, 0, DET), 1),
    proof=Witness({r_o: 1, d_gap: 0}, "a tie, r(o') = r(o), as always at o' = o"),
    expected="refuted",
    prose="With deterministic rewards P(o > o') + P(o' > o) = 1 fails at every tie, and always "
          "at o' = o (P(o > o) = 0), a pair that E_{o ~ pi_theta, o' ~ pi_old} never excludes.")

tie_split = [[pairwise_preference(a, b, LAWS2) + tie_probability(a, b, LAWS2) / 2
              for b in range(2)] for a in range(2)]
claim(
    "s2.1.pairs.asymmetry.tie-split", "Sec. 2.1, groups of size two (before the NLHF form)",
    Eq(tie_split[0][1] + tie_split[1][0], 1),
    conditions=_law_simplices(2), corrects=asym_printed,
    prose="Counting a tie as half a win, P~(o > o') = P(r > r') + P(r = r')/2 satisfies the "
          "asymmetry for all reward laws (three levels, stochastic).")

for _K in (2, 3, 4):
    _t, _p, _M = policy("pi_theta", _K), policy("pi_old", _K), preference_matrix(_K)
    claim(
        f"s2.1.pairs.r2-asymmetric.k{_K}", "Sec. 2.1, display after R_2",
        Eq(pair_expectation(_t, _p, lambda a, b, M=_M: M[a][b] - M[b][a]),
           2 * pair_expectation(_t, _p, lambda a, b, M=_M: M[a][b]) - 1),
        conditions=[OnSimplex(_t), OnSimplex(_p)],
        prose=f"If P(o > o') + P(o' > o) = 1 for all o, o' (so P(o > o) = 1/2), then "
              f"E[P(o > o') - P(o' > o)] = 2 E[P(o > o')] - 1 (K = {_K}; needs pi_theta and "
              f"pi_old normalised).")

# for K outputs, K symbolic: pi_theta(o) = w(o)/sum w, pi_old(o) = u(o)/sum u (any interior
# distributions), and asymmetric preferences P(a > b) = 1/2 + D(a, b) - D(b, a) (every
# matrix with P(a > b) + P(b > a) = 1 is one: D = (P - 1/2)/2)
T_K = PI_THETA_K
O_K = PI_OLD_K
D_K = indexed("asym_D", S.Reals, latex="D")


def asymmetric_preference(a, b) -> sp.Expr:
    return sp.Rational(1, 2) + D_K[a, b] - D_K[b, a]


claim(
    "s2.1.pairs.r2-asymmetric", "Sec. 2.1, display after R_2",
    Eq(pair_expectation(T_K, O_K, lambda a, b: asymmetric_preference(a, b)
                  - asymmetric_preference(b, a)),
       2 * pair_expectation(T_K, O_K, asymmetric_preference) - 1),
    prose="For K outputs (any K): if P(o > o') + P(o' > o) = 1 for all o, o', then "
          "E[P(o > o') - P(o' > o)] = 2 E[P(o > o')] - 1, o ~ pi_theta and o' ~ pi_old "
          "normalised.")

T3, P3, LAWS3 = policy("pi_theta", 3), policy("pi_old", 3), _laws(3)
R2_K3 = reward_preference(T3, P3, 2, lambda n, grp: conditional_advantage(n, grp, LAWS3,
                                                                           pair_advantage))
E_prefer3 = pair_expectation(T3, P3, lambda a, b: pairwise_preference(a, b, LAWS3))
E_tie3 = pair_expectation(T3, P3, lambda a, b: tie_probability(a, b, LAWS3))
E_split3 = pair_expectation(T3, P3, lambda a, b: pairwise_preference(a, b, LAWS3)
                            + tie_probability(a, b, LAWS3) / 2)
r2_ties = claim(
    "s2.1.pairs.r2-ties", "Sec. 2.1, display after R_2",
    Eq(R2_K3, 2 * E_prefer3 - 1 + E_tie3),
    uses=[pair_sign, pair_antisymmetric],
    conditions=[OnSimplex(T3), OnSimplex(P3), *_law_simplices(3)],
    prose="In general R_2 = 2 E[P(o > o')] - 1 + E[P(r = r')] (K = 3, stochastic rewards on "
          "three levels); the tie term depends on pi_theta, so it is not a constant.")

claim(
    "s2.1.pairs.r2-nlhf", "Sec. 2.1, display after R_2 (NLHF form)",
    Eq(R2_K3, 2 * E_split3 - 1),
    proof=chain(r2_ties).rewrite(Eq(R2_K3, 2 * E_split3 - 1),
                                 "2 E[P(o > o')] + E[P(tie)] = 2 E[P(o > o') + P(tie)/2]"),
    conditions=[OnSimplex(T3), OnSimplex(P3), *_law_simplices(3)],
    prose="With ties counted as half a win, R_2 = 2 E[P~(o > o')] - 1 holds without any "
          "hypothesis: the NLHF form of (5) up to constants (K = 3, three reward levels).")

# -- large groups -------------------------------------------------------------------------

for _K in (2, 3, 4):
    _t, _p, _rbar = policy("pi_theta", _K), policy("pi_old", _K), reward_values(_K)
    _E_theta = sp.Add(*[a * b for a, b in zip(_t, _rbar)])     # E_{o ~ pi_theta}[r(o)]
    _E_old = sp.Add(*[a * b for a, b in zip(_p, _rbar)])       # E_{o ~ pi_old}[r(o)]
    claim(
        f"s2.1.large.r-infinity.k{_K}", "Sec. 2.1, display of R_infinity",
        Eq(large_group_reward_preference(_t, _rbar, _p, sigma_old),
           (_E_theta - _E_old) / sigma_old),
        conditions=[OnSimplex(_t)],
        prose=f"With P_inf(o) = (r(o) - E_old[r])/sigma_old, E_{{o ~ pi_theta}}[P_inf(o)] = "
              f"(E_theta[r] - E_old[r])/sigma_old (K = {_K}; needs pi_theta normalised).")

sigma_K = sigma_old
rbar_K = reward_family()
claim(
    "s2.1.large.r-infinity", "Sec. 2.1, display of R_infinity",
    Eq(large_group_reward_preference(T_K, rbar_K, O_K, sigma_K),
       (weighted_sum(T_K, lambda j: rbar_K[j]) - weighted_sum(O_K, lambda j: rbar_K[j]))
       / sigma_K),
    prose="For K outputs (any K): with P_inf(o) = (r(o) - E_old[r])/sigma_old, E_{o ~ "
          "pi_theta}[P_inf(o)] = (E_theta[r] - E_old[r])/sigma_old (pi_theta normalised).")

sample_mean, sample_std = sp.Function("mean"), sp.Function("std")   # of r_1..r_G i.i.d.
mu = variable("mu_old", S.Reals, latex=r"\mu")      # E_{o ~ pi_old}[r(o | q)]
law_of_large_numbers = claim(
    "s2.1.law-of-large-numbers", "Sec. 2.1, the limit of large group size",
    Eq(Limit_(sample_mean(G), G, oo), mu),
    proof=Axiom("the law of large numbers",
                "the mean of G i.i.d. rewards (o_i ~ pi_old, r_i given o_i) tends to their "
                "expectation mu; applied to r^2 as well, std(r_1..r_G) tends to sigma(pi_old)"),
    prose="By the law of large numbers, mean(r_1, ..., r_G) -> E_{o ~ pi_old}[r(o | q)] = mu "
          "and std(r_1, ..., r_G) -> sigma(pi_old) as G -> oo (a named axiom: the large-group "
          "claims rest on it).")

rbar_o = variable("rbar_o", S.Reals, latex=r"r(o \mid q)")
eps = variable("epsilon_lln", sp.Interval.open(0, oo), latex=r"\varepsilon")
dm = variable("m_direction", S.Reals, latex="a")
ds = variable("s_direction", S.Reals, latex="b")
claim(
    "s2.1.large.continuity", "Sec. 2.1, the limit of large group size",
    Eq(Limit_((rbar_o - (mu + eps * dm)) / (sigma_old + eps * ds), eps, 0, "+"),
       (rbar_o - mu) / sigma_old),
    uses=[law_of_large_numbers],
    prose="Given mean -> mu and std -> sigma > 0 (s2.1.law-of-large-numbers), "
          "(r - mean)/std -> (r - mu)/sigma: the normalisation is continuous at sigma > 0, "
          "from every direction (a, b) of approach.")

_square_sum = Sum(advantage_raw(r, i) ** 2, (i, 1, G))
claim(
    "s2.1.large.second-moment", "Sec. 2.1, the limit of large group size",
    Eq(_square_sum, G),
    proof=chain(_square_sum)
    .rewrite(Sum((r[i] - group_mean(r)) ** 2, (i, 1, G)) / group_variance(r),
             "the variance does not depend on i")
    .rewrite(G, "the sum over i of the squared deviations is G times the variance"),
    conditions=[Ne(group_variance(r), 0)],
    prose="sum_i A_i^2 = G for every group size G when the rewards are not all equal, so "
          "E[A_1^2] <= 1 by exchangeability: the A_1 are uniformly integrable and "
          "E[A_1 | o_1 = o] passes to the limit G -> oo.")

q = pi_old_a
kk = sp.Symbol("k", integer=True, nonnegative=True)
BIN_LEVELS = reward_levels(2)                      # r(b) = y_1 < r(a) = y_1 + delta_1
BIN_LAWS = [[(BIN_LEVELS[1], 1)], [(BIN_LEVELS[0], 1)]]   # output 0 is a, output 1 is b
BIN_SIZES = range(2, 7)
binary_cases = sp.Piecewise(*[
    (expected_group_preference(0, (q, 1 - q), g, lambda o, oth: group_preference(o, oth, BIN_LAWS)),
     sp.Eq(G, g)) for g in BIN_SIZES])

claim(
    "s2.1.large.binary-limit", "Sec. 2.1, the limit of large group size (binary question)",
    Eq(large_group_preference(0, (BIN_LEVELS[1], BIN_LEVELS[0]), (q, 1 - q),
                              reward_std((q, 1 - q), (BIN_LEVELS[1], BIN_LEVELS[0]))),
       binary_large_group_preference(q)),
    prose="For a binary question with r(a) > r(b) and q = pi_old(a), P_inf(a) = "
          "(r(a) - E_old[r])/sigma_old = sqrt((1 - q)/q), whatever the two reward values.")

CONVERGENCE_Q = (sp.Rational(1, 2), sp.Rational(1, 5), sp.Rational(4, 5))
CONVERGENCE_G = (10, 100, 1000, 10000)


def _convergence(dps: int) -> tuple[bool, str]:
    """P_G(a) - P_inf(a) ~ c(q)/G with c(q) = -sqrt((1-q)/q)/(8 q (1-q)), at ``dps`` digits.

    The constant is the second-order delta method for E[f(K)], K ~ Bin(G-1, q),
    f(k) = sqrt((G-1-k)/(k+1)) = h(x) (1 - 1/(2 G x) + ...) with x = k/(G-1),
    h(x) = sqrt((1-x)/x): c = h''(q) q (1-q)/2 - h(q)/(2q).  Checked: G*err/c -> 1.
    """
    ok, rows = True, []
    p_inf_of = sp.lambdify(q, binary_large_group_preference(q), "mpmath")
    with mpmath.workdps(dps):
        for qv in CONVERGENCE_Q + (sp.Rational(1, 1000),):
            qm = mpmath.mpf(qv.p) / qv.q
            p_inf = p_inf_of(qm)
            c = -p_inf / (8 * qm * (1 - qm))
            scaled = [(binary_group_preference_mp(g, qm) - p_inf) * g / c for g in CONVERGENCE_G]
            rows.append(f"q={qv}: G*err/c(q) = " + ", ".join(mpmath.nstr(x, 4) for x in scaled))
            if qv in CONVERGENCE_Q:   # the 1/G law with the predicted constant, tightening with G
                gaps = [abs(x - 1) for x in scaled]
                ok = ok and gaps[-1] < mpmath.mpf("0.005") and gaps[-1] < gaps[-2] < gaps[-3]
    return ok, ("P_G(a) - P_inf(a) ~ -P_inf/(8 G q (1-q)); " + "; ".join(rows)
                + " (q = 1/1000: not yet in the 1/G regime, G q (1 - q) must be >> 1)")


# -- a binary question: P_G(a | pi_old) for every G, from its definition ---------------------

BIN_PAPER = "Sec. 2.1, the limit of large group size (binary question)"
c_lv = variable("c_level", Range(1, oo), latex="c")       # positions holding the reward u
d_lv = variable("d_level", Range(0, oo), latex="d")       # positions holding the reward v
u_lv = variable("u_level", S.Reals, latex="u")
v_lv = variable("v_level", S.Reals, latex="v")
TWO_LEVEL = two_level_group(c_lv, d_lv, u_lv, v_lv)

two_level_mean = claim(
    "s2.1.binary.two-level-mean", BIN_PAPER,
    Eq(group_mean(TWO_LEVEL), (c_lv * u_lv + d_lv * v_lv) / (c_lv + d_lv)),
    prose="A group of c + d rewards, u at c positions and v at the other d (c >= 1, d >= 0 "
          "symbolic), has mean (c u + d v)/(c + d): the sum over the group splits at position "
          "c.")

two_level_variance = claim(
    "s2.1.binary.two-level-variance", BIN_PAPER,
    Eq(group_variance(TWO_LEVEL), c_lv * d_lv * (u_lv - v_lv) ** 2 / (c_lv + d_lv) ** 2),
    proof=chain(group_variance(TWO_LEVEL))
    .substitute(two_level_mean, "the mean of the two-level group")
    .rewrite(c_lv * d_lv * (u_lv - v_lv) ** 2 / (c_lv + d_lv) ** 2,
             "the sum of squared deviations splits at position c"),
    prose="The same group has population variance c d (u - v)^2/(c + d)^2, zero exactly when "
          "d = 0 or u = v.")

two_level_squares = claim(
    "s2.1.binary.two-level-squares", BIN_PAPER,
    Eq(group_variance(TWO_LEVEL) * (c_lv + d_lv), c_lv * d_lv * (u_lv - v_lv) ** 2 / (c_lv + d_lv)),
    proof=chain(group_variance(TWO_LEVEL) * (c_lv + d_lv))
    .substitute(two_level_mean, "the mean of the two-level group")
    .rewrite(c_lv * d_lv * (u_lv - v_lv) ** 2 / (c_lv + d_lv),
             "the sum of squared deviations splits at position c"),
    prose="Its sum of squared deviations from the mean is c d (u - v)^2/(c + d) -- the "
          "numerator of every variance convention (1/G, Bessel's 1/(G - 1)).")

w_var = variable("w_variance", Interval(0, oo), latex="w")
z_any = variable("z_ratio", S.Reals, latex="z")
convention = claim(
    "s2.1.binary.zero-convention", "Sec. 1, (2): the convention 0/0 := 0",
    Eq(sp.Piecewise((0, sp.Eq(w_var, 0)), (sp.sqrt(w_var) * z_any, True)), sp.sqrt(w_var) * z_any),
    prose="Where the variance w of a group vanishes, a value sqrt(w) z vanishes too: so an "
          "advantage that is sqrt(w) z wherever w > 0 is sqrt(w) z everywhere under the "
          "convention 0/0 := 0.")

n_a, n_b = COUNT_A, COUNT_B
R_A, R_B = BIN_LEVELS[1], BIN_LEVELS[0]          # r(a) = y_1 + delta_1 > r(b) = y_1
GAP_AB = R_A - R_B


def _binary_advantage_claim(o: int, name: str, closed: sp.Expr, text: str) -> Claim:
    """E[A_1 | o_1 = o, n_a a's and n_b b's among the others] = ``closed`` for every n_a, n_b."""
    mine, other = (n_a + 1, n_b) if o == 0 else (n_b + 1, n_a)
    levels = (R_A, R_B) if o == 0 else (R_B, R_A)
    inst = {c_lv: mine, d_lv: other, u_lv: levels[0], v_lv: levels[1]}
    var_c = instantiate(two_level_variance.statement, inst).rhs
    # closed = sqrt(var_c) z: the gap and the square roots of the counts cancel
    z = (n_a + n_b + 1) / (GAP_AB * mine) * (1 if o == 0 else -1)
    start = binary_conditional_advantage(o, n_a, n_b, R_A, R_B)
    return claim(
        f"s2.1.binary.advantage-{name}", BIN_PAPER,
        Eq(start, closed),
        proof=chain(start)
        .substitute(two_level_variance, "the variance of the group, its outputs sorted by kind",
                    instance=inst)
        .substitute(two_level_mean, "its mean", instance=inst)
        .rewrite(sp.Piecewise((0, sp.Eq(var_c, 0)), (closed, True)),
                 "where the variance is not 0: (r(o) - mean)/std, the reward gap cancels")
        .substitute(convention, "at variance 0 the value is 0 as well (0/0 := 0)",
                    instance={w_var: var_c, z_any: z}),
        uses=[equivariance],
        prose=f"For a binary question with deterministic rewards r(a) > r(b) (any two values), "
              f"the advantage (2) (0/0 := 0) of {name} at position 1 of a group with n_a further "
              f"a's and n_b further b's (any order, by equivariance) is {text}, for "
              f"all n_a, n_b >= 0, so for every group size G = n_a + n_b + 1.")


advantage_a = _binary_advantage_claim(0, "a", sp.sqrt(n_b / (n_a + 1)), "sqrt(n_b/(n_a + 1))")
advantage_b = _binary_advantage_claim(1, "b", -sp.sqrt(n_a / (n_b + 1)), "-sqrt(n_a/(n_b + 1))")

n_others = variable("n_others", Range(1, oo), latex="n")
h_count = indexed("h_count", S.Reals, latex="h")
COUNT_LAW_SIZES = range(1, WRITTEN_OUT_DRAWS + 1)


def binomial_law(n, h: Callable[[sp.Expr, sp.Expr], sp.Expr]) -> sp.Sum:
    """sum_{k=0}^{n} C(n, k) q^k (1 - q)^(n-k) h(k, n - k): the binomial law of the counts."""
    return Sum(sp.binomial(n, kk) * q**kk * (1 - q)**(n - kk) * h(kk, n - kk), (kk, 0, n))


COUNT_LAW = Eq(DrawCountExpectation(n_others, sp.Lambda((n_a, n_b), h_count[n_a, n_b]), q),
               binomial_law(n_others, lambda a_, b_: h_count[a_, b_]))


def written_out_draws(statement: sp.Basic) -> Callable[[int], tuple[bool, str]]:
    """The exact check of a statement over n i.i.d. draws: both sides written out for
    n = 1..8 (2^n ordered outcomes for a :class:`DrawCountExpectation`) and compared as
    polynomials in q and the values h(k, m)."""
    def check(dps: int) -> tuple[bool, str]:
        for size in COUNT_LAW_SIZES:
            inst = statement.xreplace({n_others: size})
            if sp.expand(inst.lhs.doit() - inst.rhs.doit()) != 0:
                return False, f"n = {size}: the two sides differ as polynomials"
        return True, (f"both sides equal as polynomials in q and the h values for n = "
                      f"{COUNT_LAW_SIZES.start}..{COUNT_LAW_SIZES.stop - 1} draws")
    return check


count_law = claim(
    "s2.1.binary.count-law", BIN_PAPER,
    COUNT_LAW,
    proof=Axiom("the binomial law of the counts of n i.i.d. draws",
                "among n i.i.d. draws of a binary law with P(a) = q, the outcomes with k a's "
                "are C(n, k) in number, each of probability q^k (1 - q)^(n - k); at every "
                "concrete n both sides are the same polynomial (checked exactly for n = 1..8)"),
    numeric=written_out_draws(COUNT_LAW),
    prose="For any values h(k, m) and any number n >= 1 of i.i.d. draws with P(a) = q, "
          "E[h(#a, #b)] = sum_k C(n, k) q^k (1 - q)^(n-k) h(k, n - k): assumed for symbolic n "
          "(a named axiom, the binomial theorem in disguise), checked as polynomials for "
          "n = 1..8.")


def binary_from_definition(o: int, std: str = "population", eps=0) -> sp.Expr:
    """P_G(o | pi_old) of the binary question (r(a) > r(b)) from its definition, symbolic G
    (``std``, ``eps``: the convention of :func:`~grpo_sym.grpo.advantage.advantage`)."""
    return binary_preference_definition(o, G, q, R_A, R_B, std, eps)


def binary_preference_chain(o: int, advantage_claim: Claim, result: sp.Expr,
                            std: str = "population", eps=0):
    """The derivation of P_G(o | pi_old) for every G: the conditional advantage in closed form
    (``advantage_claim``, under the expectation: it holds for every pair of counts), then the
    binomial law of the G - 1 others (``std``, ``eps`` as in :func:`binary_from_definition`)."""
    closed = sp.Lambda((n_a, n_b), advantage_claim.rhs)
    return (chain(binary_from_definition(o, std, eps))
            .substitute(advantage_claim, "the advantage of o given the counts of the others")
            .substitute(count_law, "the binomial law of the G - 1 i.i.d. others",
                        instance={h_count: closed, n_others: G - 1})
            .rewrite(result, "k further a's leave G - 1 - k b's"))


binary_exact = claim(
    "s2.1.large.binary-exact", BIN_PAPER,
    Eq(binary_from_definition(0), binary_group_preference(G, q, kk)),
    proof=binary_preference_chain(0, advantage_a, binary_group_preference(G, q, kk)),
    numeric=_convergence,
    prose="For a binary question with r(a) > r(b) and q = pi_old(a), P_G(a | pi_old) = "
          "sum_k C(G-1, k) q^k (1-q)^(G-1-k) sqrt((G-1-k)/(k+1)) for every G >= 2 (the count of "
          "a's among the G - 1 others is binomial: the named axiom s2.1.binary.count-law); at "
          "50 digits it tends to sqrt((1-q)/q) like -sqrt((1-q)/q)/(8 G q (1-q)) "
          "(G = 10..10^4), non-uniformly as q -> 0 or 1.")

claim(
    "s2.1.large.binary-exact.small-groups", BIN_PAPER,
    Eq(binary_cases, binary_group_preference(G, q, kk)),
    domains={G: FiniteSet(*BIN_SIZES)}, instance_of="s2.1.large.binary-exact",
    prose="The same for G = 2..6 with every ordered group of G - 1 others written out and the "
          "advantages (2) of each group computed from its rewards.")
