"""Section 2.3 and Appendix A -- the KKT stationarity condition (11) and its consequences.

Per question q, J(pi_theta) = sum_o pi_theta(o) P_o - beta KL_0(pi_theta || pi_ref; pi_old)
with P_o = P_G(o | pi_old) held fixed (opaque reals: any group size, any reward model).  The
claims without a size suffix hold for any number K of outputs (families over 1..K, every
output o <= K): the Lagrangian's gradient, stationarity, the interior and reference forms,
"KKT at every output => lambda = E_pi[P] => (11)" (``a.kkt.multiplier``, ``eq11``: the
interior KKT condition at every output, solved for P, for any normalised pi = w/sum w and
pi_ref = v/sum v), the advantage gap, E_pi[P_2] = 0 and (12), E_pi[P_inf] = 0 and (13), and
E_pi[P_G(. | pi)] = 0 for every G (``s2.3.centred``, resting on the named axioms
``s2.1.exchangeable-positions`` and ``s2.3.centred-advantages``).  The ``.kK`` claims are the
same written out for K = 2, 3, 4, at the output o = 1 (the outputs are interchangeable).

* **The derivation of (11)** (Appendix A), one claim per step.  The Lagrangian
  L = J - lambda (sum pi_theta - 1) + sum_o mu_o pi_theta(o) has d L / d pi_theta(o) =
  P_o - beta (8) - lambda + mu_o (``a.kkt.lagrangian-gradient.kK``), so KKT stationarity is
  that expression = 0 (``a.kkt.stationarity.kK``); where pi_theta(o) > 0 complementary
  slackness forces mu_o = 0 (``a.kkt.slackness``), which gives the display of App. A for
  interior policies (``a.kkt.interior.kK``, mu restricted to 0 by a domain).  Setting
  pi_old = pi_theta *after* differentiating (a SymPy ``Subs``; (10)) and multiplying by
  pi_theta(o)/beta gives pi_ref(o) = (1 - (P_o - lambda)/beta) pi_theta(o)
  (``a.kkt.reference-form.kK``); summing it over all outputs with pi_theta and pi_ref on the
  simplex gives lambda = E_pi[P] (``a.kkt.multiplier.kK``); with that multiplier the
  stationarity condition times -pi_theta(o)/beta is (11) (``eq11``).  Every premise is a
  literal KKT condition (``given=Eq(d L / d pi_theta(1) ..., 0)``); pi_old = pi_theta and
  lambda = E_pi[P] are specialisations made *before* the premise is set, so the premise
  carries them.
* **After (11).**  E_pi[P] + beta - P_o = beta pi_ref(o)/pi_theta(o) (``s2.3.advantage-gap``).
  Solving (11) for P_o (``s2.3.eq11-solved``, any K: the other outputs enter through their
  mass s and their contribution Q to E_pi[P]) gives the strict inequality P_o < E_pi[P] + beta
  (``s2.3.strict-inequality``, a certificate beta pi_ref(o)/pi_theta(o) > 0); it needs the
  support condition pi_ref(o) > 0 (``s2.3.strict-inequality.needs-support``: equality when
  pi_ref(o) = 0).  The printed gloss "within an additive constant of beta" is one-sided only
  (``s2.3.within-beta``, refuted: P_o - E_pi[P] = -8 beta is possible).  1 - x =
  pi_ref/pi_theta != 0, so pi_theta = g(x) pi_ref with g(x) = 1/(1 - x) (``s2.3.g-form``).
* **E_{o ~ pi}[P_G(o | pi)] = 0** for every pi, G and reward model -- the paper never says
  so, but (12) and (13) silently use it.  Grouping the ordered groups by their multiset M
  (exchangeability), E_pi[P_G] = sum_M Pr(M) (1/G) sum_{o in M} n_o P_G(o | M - o), and each
  inner sum is E[sum_i A_i | M] = 0 by (2) (``s2.3.centred.kK.gG`` for K, G in {2, 3}; the
  centring is a specialisation of the opaque P_G symbols).  Checked also with computed
  advantages (``s2.3.centred.deterministic.k2.g3``), for groups of two with stochastic
  rewards (``s2.3.centred.pairs.kK``) and for large groups with any K
  (``s2.3.centred.large``).  So (11) reads (1 - P_G(o | pi)/beta) pi(o) = pi_ref(o)
  (``s2.3.eq11-centred.kK``).
* **(12)** (K = 2, 3, stochastic rewards on three levels) and **(13)** (K = 2, 3, 4,
  sigma(pi) > 0 a symbol, so stochastic or deterministic rewards): (11) with P_2, resp. P_inf,
  using E_pi[P] = 0; (12) also uses P_2(o | pi) = P(o > o') - P(o' > o)
  (``s2.1.pairs.preference.corrected``).  (13) is (11) for the shift-only preference
  r(o) - E_pi[r] with beta_eff = beta sigma(pi) (``s2.3.effective-beta``).  The remark that
  follows, "the more concentrated the policy, the smaller sigma(pi)", is refuted as a
  comparison of two policies (``s2.3.concentration``); what holds is sigma(pi)^2 <= sum_{o' != o} pi(o') (r(o') -
  r(o))^2 (``s2.3.concentration.corrected``), which vanishes as pi(o) -> 1.
* **Boundary policies** (K outputs, any support S = {1..m}, Z the outputs where the policy
  vanishes; the instances at K = 3, Z = {3} are kept as examples).  On S the multiplier is
  lambda = E_pi[P] - beta pi_ref(Z) (``a.kkt.boundary.multiplier``), not E_pi[P].  What
  happens at the zero coordinates depends on the objective:

  - *As printed in Sec. 2.3*, J = E_{o ~ pi}[P_G(o | pi_old)] - beta KL_0, which extends (6)
    to outputs pi_old never samples (``s2.3.eq6-outside-support``: at pi_old = (1, 0) the
    sampled R_2 is 0, the printed term is -pi_theta(b)).  Then d L / d pi(o) = P_G(o | pi) -
    lambda + mu_o at a coordinate with pi_old(o) = 0
    (``a.kkt.boundary.lagrangian-gradient.zero``) and mu_o = lambda - P_G(o | pi)
    (``a.kkt.boundary.dual``), which can be >= 0: for a binary question with deterministic
    r(a) > r(b) the advantage of b alone among a's is -sqrt(G - 1)
    (``s2.3.boundary.vertex-preference``), so the vertex (1, 0) is a strict local maximum
    when beta pi_ref(b) < sqrt(G - 1) (``s2.3.boundary.binary-slope``, any G) and, for groups
    of two, the global one for beta <= 4 pi_ref(a) (``s2.3.boundary.binary-global-pairs``);
    yet (11) at a reads 1 = pi_ref(a): "for each maximum, either pi_theta(o) = 0 or (11)" is
    refuted (``s2.3.either-zero-or-eq11``); the condition that holds is (1 - (P_G(o | pi) -
    E_pi[P] + beta pi_ref(Z))/beta) pi(o) = pi_ref(o) on the support (``eq11.corrected``).
  - *For the GRPO objective (1) itself* (sampled groups and penalty), pi_theta(o) for an
    unsampled o appears nowhere (``a.kkt.boundary.sampled-gradient``), so mu_o = lambda
    (``a.kkt.boundary.sampled-dual``) and lambda = -beta pi_ref(Z) < 0 by E_pi[P] = 0
    (``a.kkt.boundary.no-kkt-point``): no stationary policy vanishes where pi_ref does not,
    and (11) holds on the whole support of pi_ref -- the paper's conclusion is right for
    GRPO, though App. A's argument (on the printed objective) does not show it.

Loose but harmless: Sec. 2.3 writes the penalty as beta E_{o ~ pi}[KL_0(...)], an
expectation of a quantity that does not depend on o; on the simplex it is KL_0 itself, and
App. A differentiates KL_0 (the extra factor sum_o pi(o) would add the constant beta KL_0 to
every coordinate of the gradient, absorbed by lambda).  The remark that (11) is not
logarithmic pooling is not encoded here.

Engine notes (worked around, not fixed here): a ``Subs``/``Derivative`` in a chain result is
reduced only if ``simplify`` happens to finish the job (no ``doit`` rung), so derivative
results are written out; sign-flipping ``rearrange`` and rational identities run the whole
rewrite ladder (positive parametrisation before ``cancel``), so chains flip signs with
``multiply_both_sides(-...)`` and parametrisations keep identities polynomial.  This module
was written around three soundness gaps of the engine before issue 10 (a specialisation after
``set_to_zero`` not reaching the premise, a substituted claim's ``given`` ignored, a chain from
a claim not inheriting its domain restrictions): every specialisation here precedes the
premise, conditional claims are never substituted, and domain restrictions are repeated.  The
kernel now refuses each of those moves itself (``tests/test_adversarial.py``).
"""
from __future__ import annotations

import itertools
from collections import Counter

import sympy as sp
from sympy import FiniteSet, Interval, Range, S, oo

import grpo_sym.derivations.s2_1_reward_preference as s2_1
import grpo_sym.derivations.s2_2_penalty as s2_2
from grpo_sym.derivations.s1_1_rlhf import eq_id
from grpo_sym.derivations.s1_advantage import pair_sign
from grpo_sym.grpo.advantage import advantage_raw
from grpo_sym.grpo.penalty import kl0
from grpo_sym.grpo.preference import (GroupAdvantageAverage, GroupPreference,
                                      conditional_advantage, expected_group_preference,
                                      expected_preference, group_preference,
                                      group_preference_symbol, large_group_preference,
                                      pair_group_preference, pairwise_preference,
                                      reward_preference, reward_std, weighted_sum)
from grpo_sym.grpo.symbols import (PREFERENCE_K, PROB, Family, beta, group_size, level_probabilities, output_count,
                                   pi_ref_a, policy, reward_family, reward_levels,
                                   reward_values)
from grpo_sym.proof import (REGISTRY, Axiom, Certificate, Eq, Ge, Gt, Le, Lt, MinimumAt, Ne, OnSimplex,
                            Witness, chain, claim, indexed, variable)

OUTPUT_COUNTS = (2, 3, 4)
MAIN_K = 3          # eqN is stated for three outputs, eqN.k2 and eqN.k4 for two and four
NONNEGATIVE = Interval(0, oo)
POSITIVE = Interval.open(0, oo)


def dot(a, b) -> sp.Expr:
    return sp.Add(*[x * y for x, y in zip(a, b)])


lam = variable("kkt_lambda", S.Reals, latex=r"\lambda")
sigma = variable("kkt_sigma", POSITIVE, latex=r"\sigma(\pi_\theta)")


def pref_values(K: int) -> tuple[sp.Symbol, ...]:
    """P_o = P_G(o | pi_old), held fixed while pi_theta varies: any reals."""
    return tuple(variable(f"kkt_P_{o}", S.Reals, latex=f"\\mathcal{{P}}_G({o})")
                 for o in range(1, K + 1))


def multipliers(K: int) -> tuple[sp.Symbol, ...]:
    """mu_o >= 0, the multipliers of the constraints pi_theta(o) >= 0."""
    return tuple(variable(f"kkt_mu_{o}", NONNEGATIVE, latex=f"\\mu_{{{o}}}")
                 for o in range(1, K + 1))


def objective(t, ref, old, P) -> sp.Expr:
    """J(pi_theta) = sum_o pi_theta(o) P_o - beta KL_0(pi_theta || pi_ref; pi_old)."""
    return dot(t, P) - beta * kl0(t, ref, old)


def lagrangian(t, ref, old, P, mu) -> sp.Expr:
    return objective(t, ref, old, P) - lam * (sp.Add(*t) - 1) + dot(mu, t)


def eq11_lhs(t, P, o: int = 0) -> sp.Expr:
    """(1 - (P_o - E_{o' ~ pi}[P_o'])/beta) pi(o), the left side of (11)."""
    return (1 - (P[o] - dot(t, P)) / beta) * t[o]


# -- complementary slackness ---------------------------------------------------------------

slack_t, slack_mu = policy("pi_theta", 1)[0], multipliers(1)[0]
slackness = claim(
    "a.kkt.slackness", "App. A, complementary slackness",
    Eq(slack_mu, 0),
    proof=chain(slack_mu * slack_t)
    .set_to_zero("complementary slackness: mu_o pi_theta(o) = 0")
    .divide_both_sides(slack_t, "pi_theta(o) > 0"),
    given=Eq(slack_mu * slack_t, 0),
    prose="Where pi_theta(o) > 0, complementary slackness mu_o pi_theta(o) = 0 forces the "
          "multiplier of the constraint pi_theta(o) >= 0 to vanish, mu_o = 0; where "
          "pi_theta(o) = 0 it leaves mu_o >= 0 free.")

# -- the derivation of (11), for K = 2, 3, 4 outputs ------------------------------------------

derived: dict[str, dict[int, object]] = {}


def _register(name: str, K: int, c):
    derived.setdefault(name, {})[K] = c
    return c


for K in OUTPUT_COUNTS:
    t, ref, old = policy("pi_theta", K), policy("pi_ref", K), policy("pi_old", K)
    P, mu = pref_values(K), multipliers(K)
    E = dot(t, P)
    on_policy = dict(zip(old, t))
    interior = {m: FiniteSet(0) for m in mu}
    eq8, eq10 = REGISTRY[eq_id(8, K)], REGISTRY[eq_id(10, K)]
    L = lagrangian(t, ref, old, P, mu)
    D = sp.Derivative(L, t[0])                     # d Lagrangian / d pi_theta(1)
    D_on = D.subs(on_policy)                       # ... then pi_old = pi_theta
    D_stat = D_on.subs(lam, E)                     # ... and lambda = E_pi[P]
    grad = P[0] - beta * eq8.rhs - lam + mu[0]
    grad_on = P[0] - beta * eq10.rhs - lam + mu[0]

    lagrangian_gradient = _register("lagrangian-gradient", K, claim(
        f"a.kkt.lagrangian-gradient.k{K}", "App. A, stationarity",
        Eq(D, grad),
        proof=chain(L).differentiate(
            t[0], "P_o = P_G(o | pi_old) is held fixed, so sum_o pi_theta(o) P_o contributes "
            "P_1; the penalty contributes -beta times its gradient (8); the constraints "
            "-lambda + mu_1", result=grad),
        uses=[eq8],
        prose=f"With {K} outputs, the Lagrangian L = J - lambda (sum pi_theta - 1) + "
              "sum mu_o pi_theta(o) of J(pi_theta) = sum pi_theta(o) P_G(o | pi_old) - beta "
              "KL_0(pi_theta || pi_ref; pi_old) has d L / d pi_theta(o) = P_G(o | pi_old) - "
              "beta (8) - lambda + mu_o (at o = 1; the outputs are interchangeable)."))

    stationarity = _register("stationarity", K, claim(
        f"a.kkt.stationarity.k{K}", "App. A, stationarity",
        Eq(grad, 0),
        proof=chain(D).set_to_zero("KKT stationarity: d L / d pi_theta(1) = 0")
        .substitute(lagrangian_gradient, "the gradient of the Lagrangian"),
        given=Eq(D, 0),
        prose="The KKT stationarity condition d J / d pi_theta(o) - lambda + mu_o = 0 of App. A "
              "(mu_o is the paper's gamma_o), written out with (8), for interior and boundary "
              "policies alike."))

    display = _register("interior", K, claim(
        f"a.kkt.interior.k{K}", "App. A, display after the KKT conditions",
        Eq(P[0] - beta * eq8.rhs - lam, 0),
        proof=chain(stationarity).rewrite(
            Eq(P[0] - beta * eq8.rhs - lam, 0),
            "mu_1 = 0: pi_theta(1) > 0 and complementary slackness (a.kkt.slackness)"),
        given=Eq(D, 0), domains=interior, uses=[slackness],
        prose="For an interior policy (every mu_o = 0 by complementary slackness) the "
              "stationarity condition is the displayed P_G(o | pi_old) - beta (-pi_old pi_ref/"
              "pi_theta^2 + pi_old/pi_theta) - lambda = 0."))

    on_policy_gradient = _register("on-policy-gradient", K, claim(
        f"a.kkt.lagrangian-gradient.on-policy.k{K}", "App. A, 'under the condition "
        "pi_theta = pi_old'",
        Eq(D_on, grad_on),
        proof=chain(D).substitute(lagrangian_gradient, "the gradient of the Lagrangian")
        .substitute(on_policy, "pi_old = pi_theta, after differentiating: (10)", result=grad_on),
        uses=[eq10],
        prose="Differentiating first and then setting pi_old = pi_theta, d L / d pi_theta(o) = "
              "P_G(o | pi_theta) - beta (1 - pi_ref(o)/pi_theta(o)) - lambda + mu_o, by (10)."))

    reference_form = _register("reference-form", K, claim(
        f"a.kkt.reference-form.k{K}", "App. A, display 'under the condition pi_theta = "
        "pi_old'",
        Eq(ref[0], (1 - (P[0] - lam) / beta) * t[0]),
        proof=chain(D_on).set_to_zero("KKT stationarity at pi_old = pi_theta")
        .substitute(on_policy_gradient, "the on-policy gradient of the Lagrangian")
        .rewrite(Eq(P[0] - beta * eq10.rhs - lam, 0), "mu_1 = 0 (a.kkt.slackness)")
        .multiply_both_sides(t[0] / beta, "pi_theta(1) > 0 and beta > 0")
        .rearrange(Eq(ref[0], (1 - (P[0] - lam) / beta) * t[0])),
        given=Eq(D_on, 0), domains=interior, uses=[slackness],
        prose="At an interior stationary point with pi_old = pi_theta, multiplying the "
              "stationarity condition by pi_theta(o)/beta gives pi_ref(o) = (1 - (P_G(o | "
              "pi_theta) - lambda)/beta) pi_theta(o)."))

    gaps = [r - (1 - (p - lam) / beta) * x for r, p, x in zip(ref, P, t)]
    multiplier = _register("multiplier", K, claim(
        f"a.kkt.multiplier.k{K}", "App. A, 'by using the constraint sum pi_theta = 1'",
        Eq(lam, E),
        proof=chain(sp.Add(*gaps))
        .set_to_zero("a.kkt.reference-form at every output o, summed over o")
        .rewrite(Eq((E - lam) / beta, 0), "sum_o pi_ref(o) = sum_o pi_theta(o) = 1")
        .multiply_both_sides(-beta, "beta > 0", result=Eq(lam - E, 0))
        .rearrange(Eq(lam, E)),
        given=Eq(sp.Add(*gaps), 0),
        conditions=[OnSimplex(t), OnSimplex(ref)], uses=[reference_form],
        prose="Summing pi_ref(o) = (1 - (P_o - lambda)/beta) pi_theta(o) over all outputs, with "
              "pi_theta and pi_ref both on the simplex, forces lambda = E_{o ~ pi_theta}[P_o]."))

    stationary_gradient = _register("stationary-gradient", K, claim(
        f"a.kkt.lagrangian-gradient.stationary.k{K}", "App. A, before (11)",
        Eq(D_stat, grad_on.subs(lam, E)),
        proof=chain(D).substitute(lagrangian_gradient, "the gradient of the Lagrangian")
        .substitute(on_policy, "pi_old = pi_theta, after differentiating: (10)", result=grad_on)
        .substitute({lam: E}, "the multiplier lambda = E_pi[P] (a.kkt.multiplier)"),
        uses=[eq10, multiplier],
        prose="With pi_old = pi_theta and the multiplier lambda = E_{o' ~ pi_theta}[P_o'] "
              "that normalisation forces, d L / d pi_theta(o) = P_o - beta (1 - pi_ref(o)/"
              "pi_theta(o)) - E_pi[P] + mu_o."))

    eq11 = _register("eq11", K, claim(
        eq_id(11, K), "Sec. 2.3, (11); App. A",
        Eq(eq11_lhs(t, P), ref[0]),
        proof=chain(D_stat)
        .set_to_zero("KKT stationarity at pi_old = pi_theta, with lambda = E_pi[P]")
        .substitute(stationary_gradient, "the gradient of the Lagrangian")
        .rewrite(Eq(grad_on.subs({lam: E, mu[0]: 0}), 0), "mu_1 = 0 (a.kkt.slackness)")
        .multiply_both_sides(-t[0] / beta, "pi_theta(1) > 0 and beta > 0",
                             result=Eq(eq11_lhs(t, P) - ref[0], 0))
        .rearrange(Eq(eq11_lhs(t, P), ref[0])),
        given=Eq(D_stat, 0), domains=interior, uses=[slackness, reference_form],
        prose=f"(11) with {K} outputs: at an interior stationary policy (pi_old = pi_theta, "
              "every pi_theta(o) > 0, KKT multiplier lambda = E_pi[P]), (1 - (P_G(o | pi_theta) "
              "- E_{o' ~ pi_theta}[P_G(o' | pi_theta)])/beta) pi_theta(o) = pi_ref(o)."))

    # -- consequences of (11) ---------------------------------------------------------------
    _register("advantage-gap", K, claim(
        f"s2.3.advantage-gap.k{K}", "Sec. 2.3, after (11)",
        Eq(E + beta - P[0], beta * ref[0] / t[0]),
        proof=chain(eq11).multiply_both_sides(beta / t[0], "pi_theta(1) > 0")
        .rearrange(Eq(E + beta - P[0], beta * ref[0] / t[0])),
        given=Eq(D_stat, 0), domains=interior,
        prose="At an interior stationary policy, E_pi[P_G] + beta - P_G(o | pi_theta) = "
              "beta pi_ref(o)/pi_theta(o): positive exactly where pi_ref(o) > 0."))


# -- the derivation of (11) for any number of outputs K ---------------------------------------
# pi_theta(o) is one element of a family over 1..K (K symbolic); P_G(o | pi_old) a family of
# opaque reals.  "KKT at every output" is the stationarity condition at each o = 1..K solved
# for P_G(o | pi): P(o) = lambda + beta - beta pi_ref(o)/pi(o) (interior policies, mu = 0);
# (11) then follows for every policy pi(o) = w(o)/sum w and pi_ref(o) = v(o)/sum v.

t_K, ref_K, old_K, on_policy = s2_2.t_K, s2_2.ref_K, s2_2.old_K, s2_2.on_policy
o_K, AT_OUTPUT = s2_2.o_K, s2_2.AT_OUTPUT
P_K = Family(indexed("kkt_P", S.Reals, latex=r"\mathcal{P}_G"))     # P_G(o | pi_old), any reals
mu_K = Family(indexed("kkt_mu", NONNEGATIVE, latex=r"\mu"))         # multipliers of pi(o) >= 0


def eq11_lhs_K(t, P, o) -> sp.Expr:
    """(1 - (P(o) - E_{o' ~ pi}[P(o')])/beta) pi(o) for K outputs (Families)."""
    return (1 - (P[o] - weighted_sum(t, lambda j: P[j])) / beta) * t[o]


L_K = (weighted_sum(t_K, lambda j: P_K[j]) - beta * kl0(t_K, ref_K, old_K)
       - lam * (t_K.total(lambda j: t_K[j]) - 1) + weighted_sum(t_K, lambda j: mu_K[j]))
grad_K = P_K[o_K] - beta * s2_2.eq8_general.rhs - lam + mu_K[o_K]
grad_on_K = P_K[o_K] - beta * s2_2.eq10_general.rhs - lam + mu_K[o_K]

lagrangian_gradient_K = claim(
    "a.kkt.lagrangian-gradient", "App. A, stationarity",
    Eq(sp.Derivative(L_K, t_K[o_K]), grad_K),
    conditions=AT_OUTPUT, uses=[s2_2.eq8_general],
    prose="For K outputs (any K) and every output o, the Lagrangian L = J - lambda (sum pi_theta "
          "- 1) + sum mu_o pi_theta(o) of J = sum pi_theta(o) P_G(o | pi_old) - beta KL_0(pi_theta "
          "|| pi_ref; pi_old) has d L / d pi_theta(o) = P_G(o | pi_old) - beta (8) - lambda + "
          "mu_o.")

claim(
    "a.kkt.lagrangian-gradient.on-policy", "App. A, 'under the condition pi_theta = pi_old'",
    Eq(on_policy(sp.Derivative(L_K, t_K[o_K])), grad_on_K),
    conditions=AT_OUTPUT, uses=[s2_2.eq10_general],
    prose="For K outputs and every output o, differentiating first and then setting pi_old = "
          "pi_theta, d L / d pi_theta(o) = P_G(o | pi_theta) - beta (1 - pi_ref(o)/pi_theta(o)) "
          "- lambda + mu_o, by (10).")

claim(
    "a.kkt.stationarity", "App. A, stationarity",
    Eq(grad_K, 0),
    proof=chain(sp.Derivative(L_K, t_K[o_K]))
    .set_to_zero("KKT stationarity: d L / d pi_theta(o) = 0")
    .substitute(lagrangian_gradient_K, "the gradient of the Lagrangian"),
    given=Eq(sp.Derivative(L_K, t_K[o_K]), 0), conditions=AT_OUTPUT,
    prose="For K outputs and every output o: the KKT stationarity condition d J / d "
          "pi_theta(o) - lambda + mu_o = 0 of App. A, written out with (8), for interior and "
          "boundary policies alike.")

# interior policies: every mu_o = 0 (complementary slackness, a.kkt.slackness)
L0_K = (weighted_sum(t_K, lambda j: P_K[j]) - beta * kl0(t_K, ref_K, old_K)
        - lam * (t_K.total(lambda j: t_K[j]) - 1))
claim(
    "a.kkt.interior", "App. A, display after the KKT conditions",
    Eq(P_K[o_K] - beta * s2_2.eq8_general.rhs - lam, 0),
    proof=chain(sp.Derivative(L0_K, t_K[o_K]))
    .set_to_zero("KKT stationarity of an interior policy (mu = 0)")
    .rewrite(Eq(P_K[o_K] - beta * s2_2.eq8_general.rhs - lam, 0), "the gradient, by (8)"),
    given=Eq(sp.Derivative(L0_K, t_K[o_K]), 0), conditions=AT_OUTPUT,
    uses=[slackness, s2_2.eq8_general],
    prose="For K outputs and an interior policy (every mu_o = 0 by complementary slackness) "
          "the stationarity condition at every output o is the displayed P_G(o | pi_old) - "
          "beta (-pi_old pi_ref/pi_theta^2 + pi_old/pi_theta) - lambda = 0.")

claim(
    "a.kkt.reference-form", "App. A, display 'under the condition pi_theta = pi_old'",
    Eq(ref_K[o_K], (1 - (P_K[o_K] - lam) / beta) * t_K[o_K]),
    proof=chain(on_policy(sp.Derivative(L0_K, t_K[o_K])))
    .set_to_zero("KKT stationarity of an interior policy at pi_old = pi_theta")
    .rewrite(Eq(P_K[o_K] - beta * s2_2.eq10_general.rhs - lam, 0), "the gradient, by (10)")
    .multiply_both_sides(t_K[o_K] / beta, "pi_theta(o) > 0 and beta > 0")
    .rearrange(Eq(ref_K[o_K], (1 - (P_K[o_K] - lam) / beta) * t_K[o_K])),
    given=Eq(on_policy(sp.Derivative(L0_K, t_K[o_K])), 0), conditions=AT_OUTPUT,
    uses=[slackness, s2_2.eq10_general],
    prose="For K outputs: at an interior stationary point with pi_old = pi_theta, multiplying "
          "the stationarity condition at o by pi_theta(o)/beta gives pi_ref(o) = (1 - (P_G(o | "
          "pi_theta) - lambda)/beta) pi_theta(o).")

E_K = weighted_sum(t_K, lambda j: P_K[j])
claim(
    "a.kkt.lagrangian-gradient.stationary", "App. A, before (11)",
    Eq(sp.Subs(sp.Derivative(L_K, t_K[o_K]), (old_K.base, lam), (t_K.base, E_K)),
       grad_on_K.subs(lam, E_K)),
    conditions=AT_OUTPUT, uses=[s2_2.eq10_general, lagrangian_gradient_K],
    prose="For K outputs and every output o: with pi_old = pi_theta and the multiplier "
          "lambda = E_{o' ~ pi_theta}[P_o'] that normalisation forces, both set after "
          "differentiating, d L / d pi_theta(o) = P_o - beta (1 - pi_ref(o)/pi_theta(o)) - "
          "E_pi[P] + mu_o.")

t_w, ref_v = s2_2.t_w, s2_2.ref_v                       # w/sum w, v/sum v: any interior pair


def kkt_preference(i) -> sp.Expr:
    """P(i) where the interior KKT condition P(i) - beta (1 - pi_ref(i)/pi(i)) - lambda = 0
    holds at output i."""
    return lam + beta - beta * ref_v[i] / t_w[i]


kkt_P = Family(None, output_count, kkt_preference)
multiplier_K = claim(
    "a.kkt.multiplier", "App. A, 'by using the constraint sum pi_theta = 1'",
    Eq(weighted_sum(t_w, lambda j: kkt_P[j]), lam),
    prose="For K outputs: if the interior KKT condition holds at every output, P_G(o | pi) = "
          "lambda + beta - beta pi_ref(o)/pi(o) for o = 1..K, then lambda = E_{o ~ pi}[P_G(o | "
          "pi)] (pi and pi_ref normalised: pi(o) = w(o)/sum w, pi_ref(o) = v(o)/sum v).")

claim(
    "eq11", "Sec. 2.3, (11); App. A",
    Eq(eq11_lhs_K(t_w, kkt_P, o_K), ref_v[o_K]),
    proof=chain(eq11_lhs_K(t_w, kkt_P, o_K))
    .substitute(multiplier_K, "the multiplier is E_pi[P] (a.kkt.multiplier)")
    .rewrite(ref_v[o_K], "(1 - (beta - beta pi_ref(o)/pi(o))/beta) pi(o) = pi_ref(o)"),
    conditions=AT_OUTPUT,
    prose="(11) for K outputs (any K): if the KKT condition holds at every output of an "
          "interior policy pi (pi_old = pi, P_G(o | pi) = lambda + beta - beta pi_ref(o)/pi(o) "
          "for every o), then (1 - (P_G(o | pi) - E_{o' ~ pi}[P_G(o' | pi)])/beta) pi(o) = "
          "pi_ref(o) at every output o.")

E_kkt = weighted_sum(t_w, lambda j: kkt_P[j])
claim(
    "s2.3.advantage-gap", "Sec. 2.3, after (11)",
    Eq(E_kkt + beta - kkt_P[o_K], beta * ref_v[o_K] / t_w[o_K]),
    proof=chain(E_kkt + beta - kkt_P[o_K])
    .substitute(multiplier_K, "E_pi[P] is the multiplier (a.kkt.multiplier)")
    .rewrite(beta * ref_v[o_K] / t_w[o_K], "lambda + beta - P(o) = beta pi_ref(o)/pi(o)"),
    conditions=AT_OUTPUT,
    prose="For K outputs: at an interior stationary policy (the KKT condition at every "
          "output), E_pi[P_G] + beta - P_G(o | pi) = beta pi_ref(o)/pi(o) at every output o: "
          "positive exactly where pi_ref(o) > 0.")

Q_K = Family(indexed("kkt_Q", S.Reals, latex="Q"))
centred_P = Family(None, output_count,
                   lambda i: Q_K[i] - weighted_sum(t_w, lambda j: Q_K[j]))
claim(
    "s2.3.eq11-centred", "Sec. 2.3, (11)",
    Eq(eq11_lhs_K(t_w, centred_P, o_K), (1 - centred_P[o_K] / beta) * t_w[o_K]),
    conditions=AT_OUTPUT,
    prose="For K outputs: where E_pi[P_G(. | pi)] = 0 (s2.3.centred.*), (11) is (1 - P_G(o | "
          "pi)/beta) pi(o) = pi_ref(o); every centred P is Q - E_pi[Q] for some Q, and pi is "
          "any normalised policy w/sum w.")

M_K = PREFERENCE_K                                       # M[a, b] = P(a > b), any values


def prefer_K(a, b) -> sp.Expr:
    return M_K[a, b]


P2_K = Family(None, output_count, lambda i: pair_group_preference(i, t_K, prefer_K))
pairs_centred_K = claim(
    "s2.3.centred.pairs", "Sec. 2.3, (12)",
    Eq(weighted_sum(t_K, lambda j: P2_K[j]), 0),
    prose="Groups of two, K outputs (any K), any pairwise preferences P(o > o'): "
          "E_{o ~ pi}[P_2(o | pi)] = E_{o, o' ~ pi}[P(o > o') - P(o' > o)] = 0, the expectation "
          "of an antisymmetric function over an exchangeable pair (for any weights pi).")

win_K = weighted_sum(t_K, lambda b: prefer_K(o_K, b))          # P_{o' ~ pi}[r > r' | o]
loss_K = weighted_sum(t_K, lambda b: prefer_K(b, o_K))         # P_{o' ~ pi}[r < r' | o]
lhs12_K = (1 - (win_K - loss_K) / beta) * t_K[o_K]
claim(
    "eq12", "Sec. 2.3, (12)",
    Eq(lhs12_K, ref_K[o_K]),
    proof=chain(eq11_lhs_K(t_K, P2_K, o_K) - ref_K[o_K])
    .set_to_zero("(11) for groups of two: P_G(o | pi) = P_2(o | pi)")
    .substitute(pairs_centred_K, "E_pi[P_2(. | pi)] = 0")
    .rewrite(Eq(lhs12_K - ref_K[o_K], 0),
             "P_2(o | pi) = P_{o' ~ pi}[r > r' | o] - P_{o' ~ pi}[r < r' | o] "
             "(s2.1.pairs.preference.corrected)")
    .rearrange(Eq(lhs12_K, ref_K[o_K])),
    given=Eq(eq11_lhs_K(t_K, P2_K, o_K), ref_K[o_K]),
    conditions=AT_OUTPUT, uses=[REGISTRY["s2.1.pairs.preference.corrected"]],
    prose="(12) for K outputs (any K) and any reward model: for groups of two, (11) is "
          "(1 - (P_{o' ~ pi}[r > r' | o] - P_{o' ~ pi}[r < r' | o])/beta) pi(o) = pi_ref(o); "
          "the expectation term of (11) is 0.")

# -- the solutions of (11) at one output, for any number of outputs -------------------------

# Output o has probability 1 - s; the other outputs carry the mass s and contribute Q to
# E_pi[P] = (1 - s) P_o + Q.  (11) at o fixes P_o given everything else.
s_other = variable("kkt_s", Interval.open(0, 1), latex=r"\bar{s}")
Q_other = variable("kkt_Q", S.Reals, latex=r"\bar{Q}")
p_o = 1 - s_other
ref_o = policy("pi_ref", 1)[0]
ref_o_closed = policy("pi_ref", 1, PROB)[0]


def _solved(r):
    """P_o solving (11) at o: (beta (1 - pi_ref(o)/pi(o)) + Q)/s."""
    return (beta * (1 - r / p_o) + Q_other) / s_other


def _E(P):
    return p_o * P + Q_other


P_solved = _solved(ref_o)
x_solved = (P_solved - _E(P_solved)) / beta
solved = claim(
    "s2.3.eq11-solved", "Sec. 2.3, after (11)",
    Eq((1 - (P_solved - _E(P_solved)) / beta) * p_o, ref_o),
    uses=[derived["eq11"][K] for K in OUTPUT_COUNTS],
    prose="For any number of outputs: if output o has pi_theta(o) = 1 - s and the others carry "
          "the mass s and contribute Q to E_pi[P], (11) at o holds for exactly one value of "
          "P_G(o | pi_theta), namely (beta (1 - pi_ref(o)/pi_theta(o)) + Q)/s.")

within_printed = claim(
    "s2.3.within-beta", "Sec. 2.3, after (11)",
    Lt(sp.Abs(P_solved - _E(P_solved)), beta),
    proof=Witness({ref_o: sp.Rational(9, 10), s_other: sp.Rational(9, 10), Q_other: 0, beta: 1},
                  "pi_theta(o) = 1/10 < pi_ref(o) = 9/10: P_G(o | pi) - E_pi[P_G] = "
                  "beta (1 - 9) = -8 beta"),
    expected="refuted",
    uses=[solved],
    prose="As printed -- the expected preference of any output in the support is 'within an "
          "additive constant of beta' of the average -- the two-sided reading fails: (11) gives "
          "P_G(o | pi) - E_pi[P_G] = beta (1 - pi_ref(o)/pi_theta(o)), which is -8 beta when "
          "pi_theta(o) = 1/10 and pi_ref(o) = 9/10; only the upper bound holds.")

strict = claim(
    "s2.3.strict-inequality", "Sec. 2.3, after (11)",
    Lt(P_solved, _E(P_solved) + beta),
    corrects=within_printed,
    proof=Certificate(beta * ref_o / p_o,
                      "E_pi[P] + beta - P_o = beta pi_ref(o)/pi_theta(o) on the solutions of "
                      "(11), positive by the support condition pi_ref(o) > 0"),
    uses=[solved],
    prose="Wherever (11) holds with pi_theta(o) > 0 and pi_ref(o) > 0, P_G(o | pi_theta) < "
          "E_{o' ~ pi_theta}[P_G(o' | pi_theta)] + beta (any number of outputs).")

claim(
    "s2.3.strict-inequality.needs-support", "Sec. 2.3, after (11)",
    Eq(_solved(ref_o_closed), _E(_solved(ref_o_closed)) + beta),
    proof=Witness({ref_o_closed: 0, s_other: sp.Rational(1, 2), Q_other: 0, beta: 1},
                  "pi_ref(o) = 0 < pi_theta(o) = 1/2"),
    quantifier="exists",
    prose="Without the support condition the inequality is not strict: if pi_ref(o) = 0 < "
          "pi_theta(o), (11) forces P_G(o | pi_theta) = E_pi[P_G] + beta exactly.")

claim(
    "s2.3.g-form", "Sec. 2.3, after (11)",
    Eq(p_o, ref_o / (1 - x_solved)),
    uses=[solved, strict],
    prose="On the solutions of (11), 1 - x = pi_ref(o)/pi_theta(o) > 0 for x = (P_G(o | "
          "pi_theta) - E_pi[P_G])/beta, so (11) can be divided by 1 - x: pi_theta(o) = "
          "g(x) pi_ref(o) with g(x) = 1/(1 - x).")

# -- E_{o ~ pi}[P_G(o | pi)] = 0 ---------------------------------------------------------------

eq2 = REGISTRY["eq2"]
equivariance = REGISTRY["s2.1.advantage.equivariance"]


def _multisets(K: int, G: int):
    return list(itertools.combinations_with_replacement(range(K), G))


def _remove(M, o):
    rest = list(M)
    rest.remove(o)
    return tuple(rest)


def _exchangeable_form(t, G: int) -> sp.Expr:
    """sum over multisets M of the group's probability times (1/G) sum_{o in M} n_o P_G(o | M - o):
    E_{o ~ pi}[P_G(o | pi)] with the ordered groups collected by their multiset."""
    K = len(t)
    terms = []
    for M in _multisets(K, G):
        n = Counter(M)
        weight = sp.factorial(G) / sp.Mul(*[sp.factorial(c) for c in n.values()])
        prob = sp.Mul(*[t[o] ** c for o, c in n.items()])
        inner = sp.Add(*[c * group_preference_symbol(o, _remove(M, o)) for o, c in n.items()])
        terms.append(weight * prob * inner / G)
    return sp.Add(*terms)


def _centring(K: int, G: int) -> dict:
    """For each multiset M: sum_{o in M} n_o P_G(o | M - o) = 0, solved for its largest output."""
    sub = {}
    for M in _multisets(K, G):
        n = Counter(M)
        top = max(n)
        others = sp.Add(*[c * group_preference_symbol(o, _remove(M, o)) for o, c in n.items()
                          if o != top])
        sub[group_preference_symbol(top, _remove(M, top))] = -others / n[top]
    return sub


# for any K and G: E_pi[P_G(. | pi)] = E[(1/G) sum_i A_i] (exchangeability) = 0 (by (2))
ONE = sp.Lambda(s2_1.x_out, 1)
centred_advantages = claim(
    "s2.3.centred-advantages", "Sec. 2.3, (11): E_{o' ~ pi}[P_G(o' | pi)]",
    Eq(GroupAdvantageAverage(s2_1.G, output_count, ONE, s2_1.per_output(s2_1.pi_pos)), 0),
    proof=Axiom("the expectation of a quantity that is zero for every group is zero",
                "the advantages of every group sum to zero by (2) (eq2, any G; 0 by the "
                "convention when the rewards are all equal), so their average over the "
                "group has expectation 0; at concrete sizes this is the centring "
                "sum_{o in M} n_o P_G(o | M - o) = 0 of every multiset M"),
    uses=[eq2],
    prose="For any K outputs, groups of G and positive weights pi: E over groups o_1..o_G "
          "i.i.d. pi of (1/G) sum_i A_i = 0, assumed for symbolic K and G (a named axiom that "
          "rests on eq2), checked at concrete sizes with the centring of each multiset.")
claim(
    "s2.3.centred", "Sec. 2.3, (11): E_{o' ~ pi}[P_G(o' | pi)]",
    Eq(weighted_sum(s2_1.pi_pos, lambda j: GroupPreference(s2_1.G, output_count, j,
                                                           s2_1.per_output(s2_1.pi_pos))), 0),
    proof=chain(centred_advantages)
    .substitute(s2_1.exchangeable, "exchangeability, at f = 1",
                instance={s2_1.f_K.base: ONE, s2_1.pi_pos.base: s2_1.per_output(s2_1.pi_pos)}),
    prose="For any K outputs, any group size G and every policy pi: E_{o ~ pi}[P_G(o | pi)] = "
          "0 (resting on the named axioms s2.1.exchangeable-positions and "
          "s2.3.centred-advantages); the paper uses it silently in (12) and (13).")


def centring_relations(K: int, G: int) -> dict:
    """sum_{o in M} n_o P_G(o | M - o) = 0 for every multiset M of G of K outputs, solved
    for one symbol each: the content of (2) at concrete sizes."""
    return _centring(K, G)


for _c in (centred_advantages, REGISTRY["s2.3.centred"]):
    _c.numeric = s2_1.at_concrete_sizes(_c.statement, centring_relations)

CENTRED_SIZES = ((2, 2), (2, 3), (3, 2), (3, 3))
centred: dict[tuple[int, int], object] = {}
for K, G in CENTRED_SIZES:
    t = policy("pi_theta", K)
    mean_pref = expected_preference(t, t, G)
    centring = _centring(K, G)
    centred[K, G] = claim(
        f"s2.3.centred.k{K}.g{G}", "Sec. 2.3, (11): E_{o' ~ pi}[P_G(o' | pi)]",
        Eq(mean_pref.subs(centring), 0),
        proof=chain(mean_pref)
        .rewrite(_exchangeable_form(t, G),
                 "exchangeability: the ordered groups o_1..o_G i.i.d. pi with multiset M all "
                 "have probability prod pi(o)^n_o, and n_o/G of them put output o first")
        .substitute(centring, "each group's advantages sum to zero by (2), so "
                    "sum_{o in M} n_o P_G(o | M - o) = E[sum_i A_i | M] = 0", result=0),
        uses=[eq2, equivariance],
        prose=f"With {K} outputs and groups of {G}: E_{{o ~ pi}}[P_G(o | pi)] = 0 for every "
              "policy pi (normalised or not) and every reward model, because the advantages "
              "(2) of a group sum to zero and the group is exchangeable.")

LEVELS = reward_levels(3)                      # y_1 < y_2 < y_3: every comparison is decided


def _laws(K: int):
    """Stochastic rewards: output o has reward y_l with probability w_{o,l} (three levels)."""
    return [[(y, w) for y, w in zip(LEVELS, level_probabilities(o + 1, 3))] for o in range(K)]


def pair_advantage(rs, i):
    """A_i = sign(r_i - r_j) for groups of two (s2.1.pairs.advantage-sign)."""
    return sp.sign(rs[i] - rs[1 - i])


def pair_preferences(t, laws):
    """P_2(o | pi) = E_{o' ~ pi}[E[A_1 | o_1 = o, o_2 = o']] for each output o."""
    return [expected_group_preference(
        o, t, 2, lambda o_, oth: group_preference(o_, oth, laws, pair_advantage))
        for o in range(len(t))]


DETERMINISTIC2 = [[(LEVELS[1], 1)], [(LEVELS[0], 1)]]   # r(1) = y_2 > r(2) = y_1
t2 = policy("pi_theta", 2)
claim(
    "s2.3.centred.deterministic.k2.g3", "Sec. 2.3, (11): E_{o' ~ pi}[P_G(o' | pi)]",
    Eq(expected_preference(t2, t2, 3, lambda o, oth: group_preference(o, oth, DETERMINISTIC2)),
       0),
    uses=[centred[2, 3]],
    instance_of="s2.3.centred",
    prose="The same with the advantages (2) computed from rewards: two outputs with "
          "deterministic rewards r(1) > r(2) and groups of three, E_{o ~ pi}[P_3(o | pi)] = 0 "
          "(each group's radicals cancel).")

pairs_centred: dict[int, object] = {}
for K in (2, 3):
    t, laws = policy("pi_theta", K), _laws(K)
    P2 = pair_preferences(t, laws)
    pairs_centred[K] = claim(
        f"s2.3.centred.pairs.k{K}", "Sec. 2.3, (12)",
        Eq(dot(t, P2), 0),
        uses=[centred[2, 2], pair_sign],
        prose=f"Groups of two, {K} outputs with stochastic rewards (three levels, any "
              "probabilities): E_{o ~ pi}[P_2(o | pi)] = E_{o, o' ~ pi}[P(o > o') - P(o' > o)] "
              "= 0, the expectation of an antisymmetric function over an exchangeable pair.")

# E_pi[P_inf(o | pi)] = 0 for large groups, any number of outputs K: pi(o) = w_o / sum_k w_k
rbar_K = reward_family()
P_inf_K = Family(None, output_count, lambda i: large_group_preference(i, rbar_K, t_w, sigma))
large_centred_any = claim(
    "s2.3.centred.large", "Sec. 2.3, (13)",
    Eq(weighted_sum(t_w, lambda j: P_inf_K[j]), 0),
    prose="Large groups, any number K of outputs: E_{o ~ pi}[P_inf(o | pi)] = "
          "E_pi[(r(o) - E_pi[r])/sigma(pi)] = 0 for every policy pi(o) = w_o/sum_k w_k and "
          "every sigma(pi) > 0.")

# -- (11) with E_pi[P] = 0 ----------------------------------------------------------------------

for K in OUTPUT_COUNTS:
    t, P = policy("pi_theta", K), pref_values(K)
    centre = {P[-1]: -dot(t[:-1], P[:-1]) / t[-1]}      # sum_o pi(o) P_o = 0, solved for P_K
    claim(
        f"s2.3.eq11-centred.k{K}", "Sec. 2.3, (11)",
        Eq(eq11_lhs(t, P).subs(centre), ((1 - P[0] / beta) * t[0]).subs(centre)),
        uses=[derived["eq11"][K], centred[2, 2], centred[3, 3], large_centred_any],
        prose=f"Since E_pi[P_G(. | pi)] = 0 (s2.3.centred.*), (11) is (1 - P_G(o | pi_theta)/"
              f"beta) pi_theta(o) = pi_ref(o): the printed expectation term vanishes ({K} "
              "outputs; P_G(K | pi) eliminated by the centring).")

# -- (12): groups of two ------------------------------------------------------------------------

pairs_corrected = REGISTRY["s2.1.pairs.preference.corrected"]
for K in (2, 3):
    t, ref, laws = policy("pi_theta", K), policy("pi_ref", K), _laws(K)
    P2 = pair_preferences(t, laws)
    win = sp.Add(*[t[b] * pairwise_preference(0, b, laws) for b in range(K)])    # P[r > r' | o]
    loss = sp.Add(*[t[b] * pairwise_preference(b, 0, laws) for b in range(K)])   # P[r < r' | o]
    lhs12 = (1 - (win - loss) / beta) * t[0]
    claim(
        eq_id(12, K), "Sec. 2.3, (12)",
        Eq(lhs12, ref[0]),
        proof=chain(eq11_lhs(t, P2) - ref[0])
        .set_to_zero("(11) for groups of two: P_G(o | pi) = P_2(o | pi)")
        .rewrite(Eq(lhs12 - ref[0], 0),
                 "E_pi[P_2(. | pi)] = 0 (s2.3.centred.pairs) and P_2(o | pi) = "
                 "E_{o' ~ pi}[P(o > o') - P(o' > o)] (s2.1.pairs.preference.corrected)")
        .rearrange(Eq(lhs12, ref[0])),
        given=Eq(eq11_lhs(t, P2), ref[0]),
        uses=[derived["eq11"][K], pairs_centred[K], pairs_corrected, pair_sign],
        prose=f"(12) with {K} outputs and stochastic rewards (three levels): for groups of two "
              "(11) is (1 - (P_{o' ~ pi}[r > r' | o] - P_{o' ~ pi}[r < r' | o])/beta) pi(o) = "
              "pi_ref(o); the expectation term of (11) is 0.")

# -- (13): large groups -------------------------------------------------------------------------

for K in OUTPUT_COUNTS:
    t, ref, rbar = policy("pi_theta", K), policy("pi_ref", K), reward_values(K)
    P_inf = [large_group_preference(o, rbar, t, sigma) for o in range(K)]
    lhs13 = (1 - (rbar[0] - dot(t, rbar)) / (beta * sigma)) * t[0]
    claim(
        eq_id(13, K), "Sec. 2.3, (13)",
        Eq(lhs13, ref[0]),
        proof=chain(eq11_lhs(t, P_inf) - ref[0])
        .set_to_zero("(11) for large groups: P_G(o | pi) = P_inf(o | pi)")
        .rewrite(Eq(lhs13 - ref[0], 0),
                 "E_pi[P_inf(. | pi)] = 0 (s2.3.centred.large): pi sums to one")
        .rearrange(Eq(lhs13, ref[0])),
        given=Eq(eq11_lhs(t, P_inf), ref[0]),
        conditions=[OnSimplex(t)],
        uses=[derived["eq11"][K], large_centred_any],
        prose=f"(13) with {K} outputs: in the limit of large groups, P_inf(o | pi) = (r(o) - "
              "E_pi[r])/sigma(pi) (r the expected reward, sigma(pi) > 0 its standard deviation "
              "under o ~ pi, stochastic or deterministic) and (11) is (1 - (r(o) - "
              "E_pi[r])/(beta sigma(pi))) pi(o) = pi_ref(o).")

lhs13_K = (1 - (rbar_K[o_K] - weighted_sum(t_w, lambda j: rbar_K[j])) / (beta * sigma)) \
    * t_w[o_K]
claim(
    "eq13", "Sec. 2.3, (13)",
    Eq(lhs13_K, ref_K[o_K]),
    proof=chain(eq11_lhs_K(t_w, P_inf_K, o_K) - ref_K[o_K])
    .set_to_zero("(11) for large groups: P_G(o | pi) = P_inf(o | pi)")
    .substitute(large_centred_any, "E_pi[P_inf(. | pi)] = 0")
    .rewrite(Eq(lhs13_K - ref_K[o_K], 0), "P_inf(o | pi) = (r(o) - E_pi[r])/sigma(pi)")
    .rearrange(Eq(lhs13_K, ref_K[o_K])),
    given=Eq(eq11_lhs_K(t_w, P_inf_K, o_K), ref_K[o_K]),
    conditions=AT_OUTPUT,
    prose="(13) for K outputs (any K): in the limit of large groups, P_inf(o | pi) = (r(o) - "
          "E_pi[r])/sigma(pi) (r the expected reward, sigma(pi) > 0 its standard deviation "
          "under o ~ pi) and (11) is (1 - (r(o) - E_pi[r])/(beta sigma(pi))) pi(o) = pi_ref(o), "
          "for every policy pi(o) = w(o)/sum w.")

t, rbar = policy("pi_theta", MAIN_K), reward_values(MAIN_K)
shift_only = [r - dot(t, rbar) for r in rbar]
claim(
    "s2.3.effective-beta", "Sec. 2.3, after (13)",
    Eq((1 - (rbar[0] - dot(t, rbar)) / (beta * sigma)) * t[0],
       eq11_lhs(t, shift_only).subs(beta, beta * sigma)),
    conditions=[OnSimplex(t)],
    uses=[REGISTRY[eq_id(13, MAIN_K)]],
    prose="(13) is (11) for the shift-only preference P(o | pi) = r(o) - E_pi[r] with the "
          "regularisation beta sigma(pi) in place of beta: scale normalisation acts as the "
          "effective regularisation constant beta_eff = beta sigma(pi).")

# -- "the more concentrated the policy, the smaller sigma(pi)" -----------------------------------

t, rbar = policy("pi_theta", MAIN_K), reward_values(MAIN_K)
alt = tuple(variable(f"kkt_alt_{o}", Interval.open(0, 1), latex=f"\\pi'({o} \\mid q)")
            for o in range(1, MAIN_K + 1))
concentration_printed = claim(
    "s2.3.concentration", "Sec. 2.3, after (13)",
    Le(reward_std(alt, rbar) ** 2, reward_std(t, rbar) ** 2),
    proof=Witness({**dict(zip(rbar, (0, 1, 2))), **dict(zip(t, [sp.Rational(1, 3)] * 3)),
                   **dict(zip(alt, (sp.Rational(55, 100), sp.Rational(1, 100),
                                    sp.Rational(44, 100))))},
                  "rewards 0, 1, 2: pi' = (0.55, 0.01, 0.44) puts more mass on one output than "
                  "the uniform pi, yet sigma(pi')^2 = 0.9779 > sigma(pi)^2 = 2/3"),
    expected="refuted",
    conditions=[OnSimplex(t), OnSimplex(alt), Gt(sp.Max(*alt), sp.Max(*t))],
    prose="As printed -- 'for a policy more concentrated on a single output, the smaller "
          "sigma(pi)' -- the comparison fails: with rewards 0, 1, 2, pi' = (0.55, 0.01, 0.44) "
          "is more concentrated than the uniform policy but has the larger standard deviation.")

second_moment = dot(t[1:], [(r - rbar[0]) ** 2 for r in rbar[1:]])
claim(
    "s2.3.concentration.corrected", "Sec. 2.3, after (13)",
    Le(reward_std(t, rbar) ** 2, second_moment),
    proof=Certificate((dot(t, rbar) - rbar[0]) ** 2,
                      "E_pi[(r - r(o))^2] = sigma(pi)^2 + (E_pi[r] - r(o))^2"),
    conditions=[OnSimplex(t)], corrects=concentration_printed,
    prose="What holds: sigma(pi)^2 <= E_pi[(r - r(o))^2] = sum_{o' != o} pi(o') (r(o') - "
          "r(o))^2 <= (1 - pi(o)) (max r - min r)^2 for every output o, so sigma(pi) -> 0 as "
          "pi concentrates on one output (and the effective regularisation beta sigma(pi) "
          "with it).")

# -- boundary policies -------------------------------------------------------------------------

# The policy vanishes on the last output, Z = {K}, and pi_old = pi_theta there too.
boundary_multiplier: dict[int, object] = {}
for K in OUTPUT_COUNTS:
    t, ref, P = policy("pi_theta", K), policy("pi_ref", K), pref_values(K)
    support = t[:-1] if K > 2 else (S.One,)         # pi_theta(1..K-1), summing to one
    E_S = dot(support, P[:-1])                      # E_pi[P], the sum over the support
    gaps = [r - (1 - (p - lam) / beta) * x for r, p, x in zip(ref[:-1], P[:-1], support)]
    boundary_multiplier[K] = claim(
        f"a.kkt.boundary.multiplier.k{K}", "App. A, 'by using the constraint' (boundary)",
        Eq(lam, E_S - beta * ref[-1]),
        proof=chain(sp.Add(*gaps))
        .set_to_zero("a.kkt.reference-form at every output of the support, summed")
        .rewrite(Eq((E_S - lam) / beta - ref[-1], 0),
                 "pi_theta sums to one over its support; pi_ref to 1 - pi_ref(K) there")
        .multiply_both_sides(-beta, "beta > 0", result=Eq(lam - E_S + beta * ref[-1], 0))
        .rearrange(Eq(lam, E_S - beta * ref[-1])),
        given=Eq(sp.Add(*gaps), 0),
        conditions=([OnSimplex(support)] if K > 2 else []) + [OnSimplex(ref)],
        uses=[derived["reference-form"][K]],
        prose=f"At a stationary policy that vanishes on output {K} (K = {K}), summing the "
              "stationarity conditions over the support only gives lambda = E_pi[P] - beta "
              "pi_ref(outside the support), not E_pi[P].")

K = MAIN_K
t, ref, old, P, mu = (policy("pi_theta", K), policy("pi_ref", K), policy("pi_old", K),
                      pref_values(K), multipliers(K))
old_b = old[:-1] + (S.Zero,)                        # pi_old(3) = 0: output 3 is never sampled
L_b = lagrangian(t, ref, old_b, P, mu)
at_b = {**dict(zip(old[:-1], t[:-1])), t[-1]: S.Zero}    # then pi_old = pi_theta = (p1, p2, 0)
E_S = dot(t[:-1], P[:-1])
lam_b = E_S - beta * ref[-1]
grad_b = P[0] - beta * REGISTRY[eq_id(8, K)].rhs - lam + mu[0]
grad_b_on = P[0] - beta * REGISTRY[eq_id(10, K)].rhs - lam + mu[0]
D_b = sp.Derivative(L_b, t[0]).subs(at_b).subs(lam, lam_b)
D_b_zero = sp.Derivative(L_b, t[-1]).subs(at_b)
boundary_interior = {mu[0]: FiniteSet(0), mu[1]: FiniteSet(0)}

boundary_gradient = claim(
    "a.kkt.boundary.lagrangian-gradient.k3", "App. A (boundary policies)",
    Eq(D_b, grad_b_on.subs(lam, lam_b)),
    proof=chain(L_b).differentiate(t[0], "as in a.kkt.lagrangian-gradient: (8)", result=grad_b)
    .substitute(at_b, "pi_old = pi_theta = (p_1, p_2, 0) after differentiating: (10)",
                result=grad_b_on)
    .substitute({lam: lam_b}, "the multiplier of a.kkt.boundary.multiplier"),
    instance_of="a.kkt.lagrangian-gradient.on-policy",
    uses=[REGISTRY[eq_id(8, K)], REGISTRY[eq_id(10, K)], boundary_multiplier[K]],
    prose="At a policy (p_1, p_2, 0) with pi_old = pi_theta and lambda = E_pi[P] - beta "
          "pi_ref(3), d L / d pi_theta(1) = P_1 - beta (1 - pi_ref(1)/p_1) - lambda + mu_1.")

boundary_zero_gradient = claim(
    "a.kkt.boundary.lagrangian-gradient.zero.k3", "App. A (boundary policies)",
    Eq(D_b_zero, P[-1] - lam + mu[-1]),
    proof=chain(L_b).differentiate(t[-1], "pi_old(3) = 0: no sampled penalty term involves "
                                   "pi_theta(3)", result=P[-1] - lam + mu[-1])
    .substitute(at_b, "pi_old = pi_theta = (p_1, p_2, 0)", result=P[-1] - lam + mu[-1]),
    prose="Where pi_old(3) = 0 the penalty does not involve pi_theta(3) (output 3 is never "
          "sampled), so d L / d pi_theta(3) = P_G(3 | pi_old) - lambda + mu_3.")

claim(
    "a.kkt.boundary.dual.k3", "App. A, non-negativity (boundary policies)",
    Eq(mu[-1], lam - P[-1]),
    proof=chain(D_b_zero).set_to_zero("KKT stationarity at the zero coordinate")
    .substitute(boundary_zero_gradient, "its gradient")
    .rearrange(Eq(mu[-1], lam - P[-1])),
    given=Eq(D_b_zero, 0),
    uses=[boundary_multiplier[K]],
    prose="At a zero coordinate the multiplier is mu_o = lambda - P_G(o | pi); dual feasibility "
          "mu_o >= 0 with lambda = E_pi[P] - beta pi_ref(Z) = -beta pi_ref(Z) (E_pi[P] = 0) "
          "requires P_G(o | pi) <= -beta pi_ref(Z): possible, for outputs the group ranks low.")

lhs_corrected = (1 - (P[0] - E_S + beta * ref[-1]) / beta) * t[0]

# A binary question with deterministic rewards r(a) > r(b): the vertex pi = (1, 0).
b_mass = variable("kkt_pi_b", Interval.Ropen(0, 1), latex=r"\pi_\theta(b \mid q)")
ref_ab = (pi_ref_a, 1 - pi_ref_a)
LEVELS2 = reward_levels(2)
BINARY = [[(LEVELS2[1], 1)], [(LEVELS2[0], 1)]]         # output 0 is a (better), 1 is b
VERTEX = (S.One, S.Zero)
# b alone among G - 1 a's: rewards r(b) at position 1 and r(a) elsewhere (G symbolic)
lone_b = Family(None, group_size, lambda i: LEVELS2[0] + (LEVELS2[1] - LEVELS2[0])
                * (1 - sp.KroneckerDelta(i, 1)))
vertex_preference = claim(
    "s2.3.boundary.vertex-preference", "Sec. 2.3, 'for each maximum'",
    Eq(advantage_raw(lone_b, 1), -sp.sqrt(group_size - 1)),
    conditions=[Lt(LEVELS2[0], LEVELS2[1])],
    prose="A group of G with one b and G - 1 a's, r(a) > r(b): the advantage (2) of b is "
          "-sqrt(G - 1) for every G.  At pi_old = (1, 0) every other output is a, so "
          "P_G(b | (1, 0)) = -sqrt(G - 1); and P_G(a | (1, 0)) = 0 (a group of a's only).")

P_vertex_G = (S.Zero, -sp.sqrt(group_size - 1))
f_vertex = objective((1 - b_mass, b_mass), ref_ab, VERTEX, P_vertex_G)
slope_G = beta * (1 - pi_ref_a) - sp.sqrt(group_size - 1)
binary_slope_general = claim(
    "s2.3.boundary.binary-slope", "Sec. 2.3, 'for each maximum'",
    Eq(sp.Derivative(f_vertex, b_mass).subs(b_mass, 0), slope_G),
    proof=chain(f_vertex).differentiate(b_mass, "P_G(a | (1, 0)) = 0 and P_G(b | (1, 0)) = "
                                        "-sqrt(G - 1) (s2.3.boundary.vertex-preference)")
    .substitute({b_mass: 0}, "at the vertex pi_theta(b) = 0", result=slope_G),
    uses=[vertex_preference],
    prose="Binary question, deterministic r(a) > r(b), groups of G (any G), pi_old = (1, 0): "
          "along the simplex J(pi_theta) has slope beta pi_ref(b) - sqrt(G - 1) at pi_theta = "
          "(1, 0), negative when beta pi_ref(b) < sqrt(G - 1): then (1, 0) is a strict local "
          "maximum of J with pi_old = pi_theta, a stationary policy (mu_b = -slope >= 0 is its "
          "KKT multiplier).")

P_vertex2 = [expected_group_preference(o, VERTEX, 2,
                                       lambda o_, oth: group_preference(o_, oth, BINARY))
             for o in range(2)]
printed_either = claim(
    "s2.3.either-zero-or-eq11", "Sec. 2.3, before (11); App. A",
    Eq(eq11_lhs(VERTEX, P_vertex2), ref_ab[0]),
    proof=Witness({beta: sp.Rational(1, 2), pi_ref_a: sp.Rational(1, 2)},
                  "beta = 1/2, pi_ref = (1/2, 1/2): the vertex (1, 0) is a strict local "
                  "maximum (slope -3/4)"),
    expected="refuted",
    conditions=[Lt(beta * (1 - pi_ref_a), 1)],
    uses=[binary_slope_general],
    prose="As printed -- 'for each maximum, either pi_theta(o) = 0 or (11)' -- the claim fails "
          "at boundary maxima: for a binary question with groups of two, r(a) > r(b) and "
          "beta pi_ref(b) < 1, the stationary policy (1, 0) has pi_theta(a) = 1 > 0, but (11) "
          "at a reads 1 = pi_ref(a).")

# The same for K outputs and any support: pi_theta lives on S = {1..m} (pi_theta(o) = w(o)/sum_S w
# there) and vanishes on Z, the other outputs; pi_ref puts mass z = pi_ref(Z) on Z and
# pi_ref(o) = (1 - z) v(o)/sum_S v on S (every pi_ref is one).  No sum needs splitting.
m_S = variable("kkt_support_size", Range(1, oo), latex="m")
z_Z = variable("kkt_ref_outside", Interval.Ropen(0, 1), latex=r"\pi_{\mathrm{ref}}(Z)")
o_S = variable("kkt_o_support", Range(1, oo), latex="o")
t_S = Family(indexed("kkt_w_S", POSITIVE, latex="w"), m_S).normalised()
ref_S = Family(None, m_S, lambda i: (1 - z_Z) * Family(indexed("kkt_v_S", POSITIVE,
                                                                latex="v"), m_S).normalised()[i])
P_S = Family(indexed("kkt_P", S.Reals, latex=r"\mathcal{P}_G"), m_S)
E_S_K = weighted_sum(t_S, lambda j: P_S[j])               # E_pi[P], a sum over the support
gaps_S = t_S.total(lambda j: ref_S[j] - (1 - (P_S[j] - lam) / beta) * t_S[j])
lam_S = E_S_K - beta * z_Z
boundary_multiplier_general = claim(
    "a.kkt.boundary.multiplier", "App. A, 'by using the constraint' (boundary)",
    Eq(lam, lam_S),
    proof=chain(gaps_S)
    .set_to_zero("a.kkt.reference-form at every output of the support, summed")
    .rewrite(Eq((E_S_K - lam) / beta - z_Z, 0),
             "pi_theta sums to one over its support; pi_ref to 1 - pi_ref(Z) there")
    .multiply_both_sides(-beta, "beta > 0", result=Eq(lam - E_S_K + beta * z_Z, 0))
    .rearrange(Eq(lam, lam_S)),
    given=Eq(gaps_S, 0),
    uses=[derived["reference-form"][MAIN_K], REGISTRY["a.kkt.reference-form"]],
    prose="For K outputs and any support S = {1..m} of a stationary policy (Z the outputs "
          "where it vanishes): summing the stationarity conditions over the support only gives "
          "lambda = E_pi[P] - beta pi_ref(Z), not E_pi[P].")

zero_gradient_general = claim(
    "a.kkt.boundary.lagrangian-gradient.zero", "App. A (boundary policies)",
    Eq(sp.Subs(sp.Derivative(L_K, t_K[o_K]), old_K[o_K], 0), P_K[o_K] - lam + mu_K[o_K]),
    conditions=AT_OUTPUT, uses=[lagrangian_gradient_K],
    prose="For K outputs, at an output o with pi_old(o) = 0 the penalty does not involve "
          "pi_theta(o) (o is never sampled), so d L / d pi_theta(o) = P_G(o | pi_old) - lambda "
          "+ mu_o.")

claim(
    "a.kkt.boundary.dual", "App. A, non-negativity (boundary policies)",
    Eq(mu_K[o_K], lam - P_K[o_K]),
    proof=chain(sp.Subs(sp.Derivative(L_K, t_K[o_K]), old_K[o_K], 0))
    .set_to_zero("KKT stationarity at the zero coordinate")
    .substitute(zero_gradient_general, "its gradient")
    .rearrange(Eq(mu_K[o_K], lam - P_K[o_K])),
    given=Eq(sp.Subs(sp.Derivative(L_K, t_K[o_K]), old_K[o_K], 0), 0),
    conditions=AT_OUTPUT, uses=[boundary_multiplier_general],
    prose="For K outputs, at a zero coordinate o the multiplier is mu_o = lambda - P_G(o | pi); "
          "dual feasibility mu_o >= 0 with lambda = E_pi[P] - beta pi_ref(Z) requires P_G(o | "
          "pi) <= E_pi[P] - beta pi_ref(Z).")

lhs_corrected_S = (1 - (P_S[o_S] - E_S_K + beta * z_Z) / beta) * t_S[o_S]
reference_at_S = ref_S[o_S] - (1 - (P_S[o_S] - lam_S) / beta) * t_S[o_S]
claim(
    "eq11.corrected", "Sec. 2.3, (11); App. A (boundary policies)",
    Eq(lhs_corrected_S, ref_S[o_S]),
    proof=chain(reference_at_S)
    .set_to_zero("a.kkt.reference-form at o in the support (mu_o = 0, pi_old = pi_theta), "
                 "lambda the multiplier of a.kkt.boundary.multiplier")
    .rearrange(Eq(lhs_corrected_S, ref_S[o_S])),
    given=Eq(reference_at_S, 0),
    conditions=[Le(o_S, m_S)], corrects=printed_either,
    uses=[REGISTRY["a.kkt.reference-form"], boundary_multiplier_general, slackness],
    prose="At any stationary policy, K outputs and any support S, for each output o either "
          "pi_theta(o) = 0 or (1 - (P_G(o | pi) - E_pi[P_G] + beta pi_ref(Z))/beta) pi_theta(o) "
          "= pi_ref(o), Z = {o': pi_theta(o') = 0}; it is (11) only when pi_ref(Z) = 0.")

# For the GRPO objective (1) itself an output o that pi_old never samples (pi_old(o) = 0)
# enters neither the sampled reward term (chi_o = 0 marks it) nor the penalty.
chi_K = Family(indexed("kkt_sampled", FiniteSet(0, 1), latex=r"\chi"))   # 1: o is sampled
L_sampled_K = (weighted_sum(t_K, lambda j: chi_K[j] * P_K[j]) - beta * kl0(t_K, ref_K, old_K)
               - lam * (t_K.total(lambda j: t_K[j]) - 1) + weighted_sum(t_K, lambda j: mu_K[j]))
unsampled = ((old_K[o_K], chi_K[o_K]), (0, 0))
D_unsampled = sp.Subs(sp.Derivative(L_sampled_K, t_K[o_K]), *unsampled)
sampled_gradient_general = claim(
    "a.kkt.boundary.sampled-gradient", "App. A (boundary policies, objective (1))",
    Eq(D_unsampled, -lam + mu_K[o_K]),
    conditions=AT_OUTPUT, uses=[s2_2.eq8_general],
    prose="For the GRPO objective (1) itself, K outputs: at an output o with pi_old(o) = 0 "
          "neither the sampled reward term nor the penalty involves pi_theta(o), so d L / d "
          "pi_theta(o) = -lambda + mu_o.")

sampled_dual_general = claim(
    "a.kkt.boundary.sampled-dual", "App. A, non-negativity (boundary policies, objective (1))",
    Eq(mu_K[o_K], lam),
    proof=chain(D_unsampled).set_to_zero("KKT stationarity at the zero coordinate")
    .substitute(sampled_gradient_general, "its gradient")
    .rearrange(Eq(mu_K[o_K], lam)),
    given=Eq(D_unsampled, 0), conditions=AT_OUTPUT,
    prose="So at a zero coordinate o of pi_old, mu_o = lambda: dual feasibility needs lambda >= "
          "0 (K outputs).")

Q_S = Family(indexed("kkt_Q", S.Reals, latex="Q"), m_S)
centred_S = Family(None, m_S, lambda i: Q_S[i] - weighted_sum(t_S, lambda j: Q_S[j]))
claim(
    "a.kkt.boundary.no-kkt-point", "Sec. 2.3, 'for each maximum' (objective (1))",
    Lt(weighted_sum(t_S, lambda j: centred_S[j]) - beta * z_Z, 0),
    proof=Certificate(beta * z_Z, "E_pi[P] = 0 on the support, so lambda = -beta pi_ref(Z)"),
    domains={z_Z: Interval.open(0, 1)},
    uses=[boundary_multiplier_general, sampled_dual_general, REGISTRY["s2.3.eq11-centred"]],
    prose="For K outputs and any support S with pi_ref(Z) > 0 outside it: with E_pi[P_G(. | "
          "pi)] = 0 (P centred, P = Q - E_pi[Q]) the multiplier is lambda = -beta pi_ref(Z) < 0, "
          "so mu_o = lambda at an unsampled o violates dual feasibility: for the GRPO objective "
          "(1) no stationary policy vanishes where pi_ref does not, and (11) holds on the whole "
          "support of pi_ref.")

eq11_corrected = claim(
    "eq11.corrected.k3", "Sec. 2.3, (11); App. A (boundary policies)",
    Eq(lhs_corrected, ref[0]),
    proof=chain(D_b).set_to_zero("KKT stationarity at (p_1, p_2, 0) = pi_old, with the "
                                 "multiplier of a.kkt.boundary.multiplier")
    .substitute(boundary_gradient, "the gradient of the Lagrangian")
    .rewrite(Eq(grad_b_on.subs({lam: lam_b, mu[0]: 0}), 0), "mu_1 = 0 (a.kkt.slackness)")
    .multiply_both_sides(-t[0] / beta, "pi_theta(1) > 0 and beta > 0",
                         result=Eq(lhs_corrected - ref[0], 0))
    .rearrange(Eq(lhs_corrected, ref[0])),
    given=Eq(D_b, 0), domains=boundary_interior,
    uses=[slackness, boundary_multiplier[K]],
    prose="At any stationary policy, for each output o either pi_theta(o) = 0 or (1 - (P_G(o | "
          "pi) - E_pi[P_G] + beta pi_ref(Z))/beta) pi_theta(o) = pi_ref(o), Z = {o': pi_theta(o')"
          " = 0} (shown for K = 3, Z = {3}); it is (11) only when pi_ref(Z) = 0.")

# the vertex is a global maximum for beta <= 4 pi_ref(a): beta = 4 pi_ref(a) c with 0 < c <= 1
c_ratio = variable("kkt_c", Interval.Lopen(0, 1), latex="c")
a_mass = variable("kkt_pi_a", Interval.Lopen(0, 1), latex=r"\pi_\theta(a \mid q)")
f2 = objective((a_mass, 1 - a_mass), ref_ab, VERTEX, P_vertex2).subs(beta, 4 * pi_ref_a * c_ratio)
claim(
    "s2.3.boundary.binary-global-pairs", "Sec. 2.3, 'for each maximum'",
    Ge(f2.subs(a_mass, 1) - f2, 0),
    proof=MinimumAt(a_mass, 1, (1 - a_mass) * ((a_mass - 2 * pi_ref_a * c_ratio) ** 2
                                               + 4 * pi_ref_a ** 2 * c_ratio * (1 - c_ratio))
                    / a_mass ** 2,
                    "J'(p) p^2 = p^2 + beta (pi_ref(a) - p) = (p - beta/2)^2 + beta (pi_ref(a) "
                    "- beta/4), p = pi_theta(a)"),
    prose="With groups of two and pi_old = (1, 0), J(pi_theta) <= J((1, 0)) for every "
          "pi_theta when beta <= 4 pi_ref(a) (beta = 4 pi_ref(a) c, 0 < c <= 1): the vertex "
          "is the global maximum, a stationary policy in the paper's sense, beside the "
          "interior solution (14).")

# -- the GRPO objective itself at a boundary pi_old: unsampled outputs are invisible ------------

# (6) extends R_G to outputs pi_old never samples; the sampled R_G does not see them.
R2_sampled_vertex = reward_preference(
    (a_mass,), (S.One,), 2, lambda i, grp: conditional_advantage(i, grp, BINARY[:1]))
claim(
    "s2.3.eq6-outside-support", "Sec. 2.3, the objective; Sec. 2.1, (6)",
    Ne(R2_sampled_vertex, expected_preference((a_mass, 1 - a_mass), VERTEX, 2,
                                              lambda o, oth: group_preference(o, oth, BINARY))),
    proof=Witness({a_mass: sp.Rational(1, 2), LEVELS2[0]: 0, LEVELS2[1] - LEVELS2[0]: 1},
                  "pi_old = (1, 0), pi_theta = (1/2, 1/2)"),
    quantifier="exists",
    prose="At pi_old = (1, 0) every sampled group is (a, a), so the sampled reward preference "
          "R_2 of Sec. 2.1 is 0 for every pi_theta, while the objective as printed in Sec. 2.3, "
          "E_{o ~ pi_theta}[P_2(o | pi_old)] = -pi_theta(b), also counts the never-sampled "
          "output b: (6) needs supp pi_theta within supp pi_old.")

L_sampled = (dot(t[:-1], P[:-1]) - beta * kl0(t, ref, old_b) - lam * (sp.Add(*t) - 1)
             + dot(mu, t))                  # neither term of (1) involves pi_theta(3)
D_sampled_zero = sp.Derivative(L_sampled, t[-1]).subs(at_b)
sampled_zero_gradient = claim(
    "a.kkt.boundary.sampled-gradient.k3", "App. A (boundary policies, objective (1))",
    Eq(D_sampled_zero, -lam + mu[-1]),
    proof=chain(L_sampled).differentiate(t[-1], "output 3 is never sampled from pi_old: "
                                         "neither R_G nor the penalty involves pi_theta(3)",
                                         result=-lam + mu[-1])
    .substitute(at_b, "pi_old = pi_theta = (p_1, p_2, 0)", result=-lam + mu[-1]),
    prose="For the GRPO objective (1) itself, with pi_old(3) = 0 the sampled reward preference "
          "and penalty do not involve pi_theta(3), so d L / d pi_theta(3) = -lambda + mu_3.")

sampled_dual = claim(
    "a.kkt.boundary.sampled-dual.k3", "App. A, non-negativity (boundary policies, objective (1))",
    Eq(mu[-1], lam),
    proof=chain(D_sampled_zero).set_to_zero("KKT stationarity at the zero coordinate")
    .substitute(sampled_zero_gradient, "its gradient")
    .rearrange(Eq(mu[-1], lam)),
    given=Eq(D_sampled_zero, 0),
    prose="So at a zero coordinate mu_3 = lambda: dual feasibility needs lambda >= 0.")

t_S_centre = {P[1]: -t[0] * P[0] / t[1]}           # E_pi[P_G(. | pi)] = 0 on the support
claim(
    "a.kkt.boundary.no-kkt-point.k3", "Sec. 2.3, 'for each maximum' (objective (1))",
    Lt(lam_b.subs(t_S_centre), 0),
    proof=Certificate(beta * ref[-1], "lambda = E_pi[P] - beta pi_ref(3) = -beta pi_ref(3)"),
    uses=[boundary_multiplier[K], sampled_dual, centred[3, 2], centred[3, 3]],
    prose="With E_pi[P_G(. | pi)] = 0 the multiplier is lambda = -beta pi_ref(3) < 0, so mu_3 = "
          "lambda violates dual feasibility: for the GRPO objective (1) no stationary policy "
          "vanishes where pi_ref does not, and (11) holds on the whole support of pi_ref.")
