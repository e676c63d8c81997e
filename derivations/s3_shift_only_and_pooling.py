"""Section 3 (shift-only normalisation), NLHF (5) of Section 1.1, logarithmic pooling, and
the remark on beta = 0.04 (Sec. 1.2).

* **Shift-only normalisation** (Sec. 3), A_i = r_i - mean(r_1..r_G).  The advantage is
  linear in the rewards, so with stochastic rewards P_G(o | pi_old) = E[A_1 | o_1 = o] =
  rbar(o) - (rbar(o) + (G - 1) E_old[rbar])/G = (1 - 1/G)(rbar(o) - E_old[rbar]), rbar(o)
  the expected reward, for K outputs and every G (``s3.shift-only.conditional-advantage``:
  the G - 1 other positions are i.i.d. pi_old, the named axiom ``s2.2.group-average`` at
  n = G - 1 draws).  Hence E_{o ~ pi_theta}[P_G(o | pi_old)] = (1 - 1/G)(E_theta[rbar] -
  E_old[rbar]), the printed display (``s3.shift-only``, K and G symbolic; with (6) it is
  R_G).  Instances: E[A_1 | o_1..o_G] = rbar(o_1) - mean(rbar(o_i)) with two-point reward
  laws, G = 2..4 (``s3.shift-only.conditional-advantage.gG``), the display written out for
  K = 2 with G = 2..6 and K = 3 with G = 2..4 (``s3.shift-only.kK.gG``) and end to end with
  stochastic rewards for K = 2, G = 3 (``s3.shift-only.stochastic.k2.g3``).  Both policies
  must be normalised.
* **Its stationary policies.**  P(o | pi) = (1 - 1/G)(r(o) - E_pi[r]) is centred
  (``s3.shift-only.centred.kK``), so (11) reads (1 - (1 - 1/G)(r(o) - E_pi r)/beta) pi = pi_ref,
  i.e. (13) with beta sigma(pi) replaced by beta_eff = beta G/(G - 1)
  (``s3.shift-only.eq11.kK``): still the g-form, not pooling.  With the *direct* KL penalty
  beta KL(pi || pi_ref) instead, the objective E_pi[P(. | pi_old)] - beta KL(pi || pi_ref)
  equals (1 - 1/G) times the RLHF objective (3) at beta_eff, minus a constant
  (``s3.shift-only.direct-kl.objective.kK``); so its maximiser, for every pi_old, is (4) at
  beta_eff (``s3.shift-only.direct-kl.maximiser.k2``, from ``eq4.k2`` at beta_eff), which is
  pi_ref exp((1 - 1/G) r/beta)/Z (``s3.shift-only.direct-kl.rlhf-form.kK``), and it satisfies
  the on-policy KKT condition (``s3.shift-only.direct-kl.kkt.k2``, two outputs for time).
  That is the exact sense in which "combining the two extensions" (shift-only advantages and
  the direct KL) is RLHF: the same policy as RLHF with beta_eff = beta G/(G - 1), the
  rewards unchanged.  The paper's "similar to RLHF" is loose: it is exactly RLHF, but with
  an inflated beta.
* **NLHF (5).**  The fixed-point form pi = pi_ref exp(E_{o' ~ pi}[P(o > o')]/beta)/Z is the
  interior KKT stationarity condition of pi -> J_NLHF(pi, pi') at pi' = pi
  (``s1.1.nlhf.eq5.stationarity.kK``, K = 2, 3): with
  lambda = beta (log Z - 1) + beta KL(pi || pi_ref), the derivative of the Lagrangian with
  respect to pi(o), pi' fixed and then set to pi, is beta log(pi_ref(o) e^{F(o)/beta}/(Z pi(o))),
  F(o) = E_{o' ~ pi}[P(o > o')], which vanishes exactly at the fixed point (log is
  injective).  Summing the fixed point over o identifies Z as the normaliser.
* **Not logarithmic pooling.**  For a binary question with groups of two, GRPO gives (14);
  the direct-KL (pooling) form gives f e^{gamma/beta}/(f e^{gamma/beta} + 1 - f)
  (``s3.pooling.direct-kl.pairs``: it solves pi(a)/pi(b) = (f/(1 - f))
  e^{(P_2(a|pi) - P_2(b|pi))/beta} with P_2(a|pi) - P_2(b|pi) = gamma).  The two differ
  (``s3.pooling.pairs.differ``, f = 1/2, beta = gamma = 1: 0.7071 against 0.7311), also for the
  scalar maps g(x) = 1/(1 - x) and e^x (``s3.pooling.g-vs-exp.differ``), but agree to first
  order: g and e^x have the same value and first derivative at 0 and second derivatives 2
  and 1, so g(x) - e^x = x^2/2 + O(x^3), i.e. (g(x) - e^x)/x^2 -> 1/2
  (``s3.pooling.g-vs-exp.taylor.d0/d1/d2``); beta ((14) - f) and beta (pooling - f) both
  -> gamma f (1 - f) as beta -> oo (``s3.pooling.pairs.first-order.*``, (14) in its
  rationalised form ``b1.pairs.stable.a-large-c``), so the two policies agree to first order
  in 1/beta.  (By hand, beta^2 ((14) - pooling) -> gamma^2 f (1 - f)(1 - 2 f)/2: the first
  difference is at second order, third at f = 1/2.  SymPy's ``limit`` and ``gruntz`` prove
  that limit and (g(x) - e^x)/x^2 -> 1/2, but the engine's numeric limit estimate, which
  goes to 1e-256 from the limit point with 3 dps + 256 working digits, loses all digits to
  the second-order cancellation and reports a counterexample, so those two are stated as
  Taylor coefficients or not encoded.)
* **beta = 0.04** (Sec. 1.2).  Deterministic rewards, gamma = 1: groups of two give
  pi_theta(a) >= 0.96 for every pi_ref(a) in (0, 1) (``s3.beta-0.04.pairs.lower-bound``), the
  bound is the limit at pi_ref(a) -> 0+ (``s3.beta-0.04.pairs.lower-bound.tight``); large
  groups give >= 625/626 = 0.998402... (``s3.beta-0.04.large.lower-bound`` and ``.value``).
  The values of (14) and (15) at pi_ref(a) in {0.01, 0.1, 0.5, 0.9} are bracketed to 1e-6
  (``s3.beta-0.04.eq14.f-*``, ``s3.beta-0.04.eq15.f-*``); the pooling form at the same beta
  is within 2e-9 of 1 already at pi_ref(a) = 0.01 (``s3.beta-0.04.pooling.f-0-01``).  So
  "predominantly reflects the reward preference" holds for both GRPO forms, most strongly
  for large groups; the qualifier is the margin: the bound is 1 - beta/gamma, so a question
  with gamma = 0.04 (a stochastic reward with a small margin) gets no such guarantee.

Restrictions.  The direct-KL maximiser is stated with G = n + 1 (n >= 1 an integer) because
the engine cannot see beta G/(G - 1) > 0 from G >= 2; ``s3.pooling.direct-kl.pairs`` is
checked for beta >= 1/100 only, because the 50-digit backup overflows (e^(-gamma/beta) at
beta = 1e-30); the identity itself is rational in e^(-gamma/beta).  All policies are interior
and normalised where stated; claims at an output o are shown at o = 1.
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, Rational, S, exp, log, oo

from grpo_sym.derivations.b1_binary_large import P as eq15_rhs
from grpo_sym.derivations.b1_binary_large import bound_beta as large_bound_beta
from grpo_sym.derivations.b1_binary_pairs import bound_margin as pairs_bound_margin
from grpo_sym.derivations.b1_binary_pairs import root_c
from grpo_sym.derivations.s1_1_rlhf import eq4 as rlhf_eq4
from grpo_sym.grpo.advantage import shift_only_advantage
from grpo_sym.numeric.binary import eq14_a_large_c
from grpo_sym.numeric.symbolic import SymbolicBackend
from grpo_sym.grpo.penalty import expectation, gibbs_policy, kl, partition_function, rlhf_objective
from grpo_sym.grpo.preference import (expected_preference, group_preference,
                                      shift_only_group_preference)
from grpo_sym.derivations import s2_2_penalty as s2_2
from grpo_sym.grpo.symbols import (OUTPUT_VARIABLE, PI_OLD_K, PI_THETA_K, PROB, Family, beta,
                                   group_size as G, margin as gamma, output, output_count,
                                   pi_ref_a as f, policy, policy_family, preference_matrix,
                                   reward_family, reward_values)
from grpo_sym.proof import (REGISTRY, Certificate, Eq, Ge, Gt, Identity, Le, LimitProof, Ne,
                            OnSimplex, Witness, chain, claim, indexed, lemma_instance, variable)

Limit_ = sp.Limit   # unevaluated: the engine computes it (limit and gruntz)
POSITIVE = Interval.open(0, oo)
KEEP = 1 - 1 / G     # the factor (1 - 1/G)
BETA_EFF = beta * G / (G - 1)
_n = variable("s3s_n", sp.Range(1, oo), latex="n")     # G = n + 1 where positivity matters
BETA_EFF_N = beta * (_n + 1) / _n

# =====================================================================================
# Shift-only normalisation: the reward preference
# =====================================================================================

_u = [variable(f"s3s_u_{n}", S.Reals, latex=f"u_{{{n}}}") for n in range(1, 5)]
_v = [variable(f"s3s_v_{n}", S.Reals, latex=f"v_{{{n}}}") for n in range(1, 5)]
_s = [variable(f"s3s_s_{n}", PROB, latex=f"s_{{{n}}}") for n in range(1, 5)]
TWO_POINT = [[(_u[n], _s[n]), (_v[n], 1 - _s[n])] for n in range(4)]   # law of position n
MEANS = [_s[n] * _u[n] + (1 - _s[n]) * _v[n] for n in range(4)]


def shift_pref_stochastic(laws):
    """P_G(o | {o'}) for shift-only advantages and reward laws ``laws[o]``."""
    return lambda o, others: group_preference(o, others, laws, shift_only_advantage)


for _g in (2, 3, 4):
    claim(
        f"s3.shift-only.conditional-advantage.g{_g}", "Sec. 3, shift-only",
        Eq(group_preference(0, tuple(range(1, _g)), TWO_POINT, shift_only_advantage),
           shift_only_advantage(MEANS[:_g], 0)),
        proof=Identity("A_1 is linear in the rewards; each reward averages to its mean"),
        prose=f"With shift-only advantages and independent stochastic rewards (each output's "
              f"reward takes two arbitrary values with arbitrary probabilities), "
              f"E[A_1 | o_1..o_{_g}] = rbar(o_1) - mean(rbar(o_1), ..., rbar(o_{_g})) with rbar "
              f"the expected rewards (G = {_g}).")


def shift_pref(rbar):
    """P_G(o | {o'}) for shift-only advantages and deterministic (expected) rewards."""
    return lambda o, others: shift_only_advantage([rbar[o], *[rbar[x] for x in others]], 0)


SHIFT_SIZES = {2: range(2, 7), 3: range(2, 5)}
for _K, _Gs in SHIFT_SIZES.items():
    _t, _p, _r = policy("pi_theta", _K), policy("pi_old", _K), reward_values(_K)
    for _g in _Gs:
        claim(
            f"s3.shift-only.k{_K}.g{_g}", "Sec. 3, shift-only (display)",
            Eq(expected_preference(_t, _p, _g, shift_pref(_r)),
               (1 - Rational(1, _g)) * (expectation(_t, _r) - expectation(_p, _r))),
            conditions=[OnSimplex(_t), OnSimplex(_p)],
            prose=f"With shift-only advantages A_i = r_i - mean, K = {_K} outputs and groups of "
                  f"G = {_g}, E_{{o ~ pi_theta}}[P_G(o | pi_old)] = (1 - 1/G)(E_theta[r] - "
                  f"E_old[r]) (r the expected rewards; both policies normalised).")

_t2, _p2 = policy("pi_theta", 2), policy("pi_old", 2)
claim(
    "s3.shift-only.stochastic.k2.g3", "Sec. 3, shift-only (display)",
    Eq(expected_preference(_t2, _p2, 3, shift_pref_stochastic(TWO_POINT[:2])),
       Rational(2, 3) * (expectation(_t2, MEANS[:2]) - expectation(_p2, MEANS[:2]))),
    conditions=[OnSimplex(_t2), OnSimplex(_p2)], instance_of="s3.shift-only",
    prose="End to end with stochastic rewards (two outputs, each with a two-point reward law, "
          "groups of three): E_theta[P_3(o | pi_old)] = (2/3)(E_theta[r] - E_old[r]) with r the "
          "expected rewards.")

# -- for K outputs and groups of G, both symbolic ---------------------------------------

rbar_sh = reward_family()                                # rbar(o) = E[r | o]
x_sh = OUTPUT_VARIABLE


def _others_average(pi: Family):
    """The named axiom s2.2.group-average at the G - 1 other positions, values rbar."""
    return dict(instance={s2_2.d_K.base: sp.Lambda(x_sh, rbar_sh[x_sh]),
                          s2_2.pi_any.base: sp.Lambda(x_sh, pi[x_sh]), s2_2.draws: G - 1})


conditional_general = claim(
    "s3.shift-only.conditional-advantage", "Sec. 3, shift-only",
    Eq(shift_only_group_preference(output, rbar_sh, PI_OLD_K, G),
       KEEP * (rbar_sh[output] - expectation(PI_OLD_K, lambda j: rbar_sh[j]))),
    proof=chain(shift_only_group_preference(output, rbar_sh, PI_OLD_K, G))
    .substitute(s2_2.group_average_axiom, "linearity over the G - 1 i.i.d. others",
                **_others_average(PI_OLD_K))
    .rewrite(KEEP * (rbar_sh[output] - expectation(PI_OLD_K, lambda j: rbar_sh[j])),
             "pi_old sums to one"),
    conditions=[sp.Le(output, output_count)],
    prose="With shift-only advantages A_1 = r_1 - mean, for K outputs, any group size G and "
          "stochastic rewards with expected rewards rbar(o): P_G(o | pi_old) = E[A_1 | o_1 = "
          "o] = rbar(o) - (rbar(o) + (G - 1) E_old[rbar])/G = (1 - 1/G)(rbar(o) - E_old[rbar]) "
          "(A_1 is linear in the rewards; the G - 1 others are i.i.d. pi_old: the named axiom "
          "s2.2.group-average).")

claim(
    "s3.shift-only", "Sec. 3, shift-only (display)",
    Eq(expectation(PI_THETA_K, lambda j: shift_only_group_preference(j, rbar_sh, PI_OLD_K, G)),
       KEEP * (expectation(PI_THETA_K, lambda j: rbar_sh[j]) - expectation(PI_OLD_K, lambda j: rbar_sh[j]))),
    proof=chain(expectation(PI_THETA_K, lambda j: shift_only_group_preference(j, rbar_sh, PI_OLD_K, G)))
    .substitute(s2_2.group_average_axiom, "linearity over the G - 1 i.i.d. others",
                **_others_average(PI_OLD_K))
    .rewrite(KEEP * (expectation(PI_THETA_K, lambda j: rbar_sh[j])
                     - expectation(PI_OLD_K, lambda j: rbar_sh[j])),
             "pi_theta and pi_old sum to one"),
    uses=[conditional_general, REGISTRY["eq6"]],
    prose="With shift-only advantages, for K outputs, any group size G and stochastic rewards "
          "(rbar the expected rewards), E_{o ~ pi_theta}[P_G(o | pi_old)] = (1 - 1/G)"
          "(E_theta[rbar] - E_old[rbar]), the printed display; with (6) it is R_G.  Both "
          "policies normalised.")

# =====================================================================================
# Shift-only normalisation: stationary policies
# =====================================================================================


def shift_preference_values(r, pi):
    """P(o | pi) = (1 - 1/G)(r(o) - E_pi[r]) for each output o (symbolic G)."""
    m = expectation(pi, r)
    return [KEEP * (x - m) for x in r]


for _K in (2, 3):
    _pi, _ref, _r = policy("pi_theta", _K), policy("pi_ref", _K), reward_values(_K)
    _P = shift_preference_values(_r, _pi)
    _EP = expectation(_pi, _P)
    claim(
        f"s3.shift-only.centred.k{_K}", "Sec. 3, shift-only; Sec. 2.3, (11)",
        Eq(_EP, 0),
        conditions=[OnSimplex(_pi)],
        prose=f"The shift-only preference P(o | pi) = (1 - 1/G)(r(o) - E_pi[r]) has "
              f"E_{{o ~ pi}}[P(o | pi)] = 0 (K = {_K}, any G).")
    claim(
        f"s3.shift-only.eq11.k{_K}", "Sec. 3, shift-only; Sec. 2.3, (11) and (13)",
        Eq((1 - (_P[0] - _EP) / beta) * _pi[0],
           (1 - (_r[0] - expectation(_pi, _r)) / BETA_EFF) * _pi[0]),
        conditions=[OnSimplex(_pi)],
        prose=f"With GRPO's penalty, (11) for shift-only advantages reads "
              f"(1 - (1 - 1/G)(r(o) - E_pi[r])/beta) pi(o) = pi_ref(o): (13) with beta sigma(pi) "
              f"replaced by beta G/(G - 1) -- the g-form, not logarithmic pooling "
              f"(K = {_K}, shown at o = 1).")

for _K in (2, 3):
    _pi, _old, _ref, _r = (policy("pi_theta", _K), policy("pi_old", _K), policy("pi_ref", _K),
                           reward_values(_K))

    def _direct(x, _old=_old, _ref=_ref, _r=_r):
        """E_{o ~ x}[P(o | pi_old)] - beta KL(x || pi_ref) with the shift-only preference."""
        return expectation(x, shift_preference_values(_r, _old)) - beta * kl(x, _ref)

    claim(
        f"s3.shift-only.direct-kl.objective.k{_K}", "Sec. 3, shift-only (combining the extensions)",
        Eq(_direct(_pi), KEEP * rlhf_objective(_pi, _r, BETA_EFF, _ref)
           - KEEP * expectation(_old, _r)),
        conditions=[OnSimplex(_pi)],
        prose=f"With the direct KL penalty, E_pi[P(. | pi_old)] - beta KL(pi || pi_ref) = "
              f"(1 - 1/G) [E_pi[r] - beta_eff KL(pi || pi_ref)] - (1 - 1/G) E_old[r] with "
              f"beta_eff = beta G/(G - 1): a positive multiple of the RLHF objective (3) plus a "
              f"constant (K = {_K}).")

    # G = n + 1 with n >= 1, so that beta_eff = beta (n + 1)/n is visibly positive;
    # K = 2 only, for time (K = 3 takes 1 s; the objective identity and eq4 give it alike)
    if _K == 2:
        _star_n = gibbs_policy(_ref, _r, BETA_EFF_N)
        _sub = {beta: BETA_EFF_N}
        claim(
            f"s3.shift-only.direct-kl.maximiser.k{_K}",
            "Sec. 3, shift-only (combining the extensions)",
            Ge(_direct(_star_n).subs(G, _n + 1), _direct(_pi).subs(G, _n + 1)),
            proof=Certificate(KEEP.subs(G, _n + 1) * lemma_instance(rlhf_eq4[_K], _sub),
                              "(1 - 1/G) times J_RLHF(pi*) - J_RLHF(pi) >= 0 at beta_eff (eq4); "
                              "the constant - (1 - 1/G) E_old[r] sum pi cancels as pi* and "
                              "pi sum to one",
                              lemmas={rlhf_eq4[_K]: [_sub]}),
            conditions=[OnSimplex(_pi)],
            prose=f"So for every pi_old the direct-KL objective is maximised by the RLHF "
                  f"policy (4) at beta_eff = beta G/(G - 1): pi*(o) = pi_ref(o) "
                  f"e^(r(o)/beta_eff)/Z (K = {_K}; written with G = n + 1, n >= 1); in "
                  f"particular it is the stationary policy -- exactly RLHF, with beta inflated "
                  f"by G/(G - 1).")

    _star = gibbs_policy(_ref, _r, BETA_EFF)
    _Z1 = partition_function(_ref, [KEEP * x for x in _r], beta)
    claim(
        f"s3.shift-only.direct-kl.rlhf-form.k{_K}", "Sec. 3, shift-only (combining the extensions)",
        Eq(_ref[0] * exp(KEEP * _r[0] / beta) / _Z1, _star[0]),
        prose=f"pi_ref(o) e^((1 - 1/G) r(o)/beta)/Z is (4) with beta_eff = beta G/(G - 1) "
              f"(K = {_K}, shown at o = 1): the exact sense in which the combination is RLHF.")

# the on-policy KKT condition of the direct-KL objective, K = 2 (K = 3 costs 1 s)
_pi, _old, _ref, _r = (policy("pi_theta", 2), policy("pi_old", 2), policy("pi_ref", 2),
                       reward_values(2))
_lam = variable("s3s_lambda", S.Reals, latex=r"\lambda")
_star = gibbs_policy(_ref, _r, BETA_EFF)
_lagr = (expectation(_pi, shift_preference_values(_r, _old)) - beta * kl(_pi, _ref)
         - _lam * (sp.Add(*_pi) - 1))
_at = {**dict(zip(_pi, _star)), **dict(zip(_old, _star)),
       _lam: beta * (log(partition_function(_ref, _r, BETA_EFF)) - 1)
       - KEEP * expectation(_star, _r)}
claim(
    "s3.shift-only.direct-kl.kkt.k2", "Sec. 3, shift-only (combining the extensions)",
    Eq(sp.Derivative(_lagr, _pi[0]).subs(_at), 0),
    proof=chain(_lagr)
    .differentiate(_pi[0], "only the o = 1 terms depend on pi(1); pi_old is held fixed",
                   result=KEEP * (_r[0] - expectation(_old, _r))
                   - beta * (1 - log(_ref[0] / _pi[0])) - _lam)
    .substitute(_at, "at pi = pi_old = (4) with beta_eff, lambda = beta (log Z - 1) - "
                     "(1 - 1/G) E_pi[r]")
    .expand("log(pi_ref(1)/pi*(1)) = log Z - (1 - 1/G) r(1)/beta", result=0),
    prose="The policy (4) at beta_eff, set for pi_theta and pi_old alike, satisfies the KKT "
          "stationarity condition of the direct-KL objective with lambda = beta (log Z - 1) - "
          "(1 - 1/G) E_pi[r] (shown for o = 1; the outputs are interchangeable).")

# -- the same for any number of outputs K (pi = w/sum w, any interior distribution) -----

pi_w = PI_THETA_K
ref_K, r_K, o_K = policy_family("pi_ref"), reward_family(), output


def shift_preference_K(pi) -> Family:
    """P(o | pi) = (1 - 1/G)(r(o) - E_pi[r]) for K outputs (symbolic K and G)."""
    mean = expectation(pi, lambda j: r_K[j])
    return Family(None, output_count, lambda o: KEEP * (r_K[o] - mean))


P_shift = shift_preference_K(pi_w)
EP_shift = expectation(pi_w, lambda j: P_shift[j])
claim(
    "s3.shift-only.centred", "Sec. 3, shift-only; Sec. 2.3, (11)",
    Eq(EP_shift, 0),
    prose="For K outputs (any K, any G), the shift-only preference P(o | pi) = (1 - 1/G)(r(o) "
          "- E_pi[r]) has E_{o ~ pi}[P(o | pi)] = 0.")
claim(
    "s3.shift-only.eq11", "Sec. 3, shift-only; Sec. 2.3, (11) and (13)",
    Eq((1 - (P_shift[o_K] - EP_shift) / beta) * pi_w[o_K],
       (1 - (r_K[o_K] - expectation(pi_w, lambda j: r_K[j])) / BETA_EFF) * pi_w[o_K]),
    conditions=[Le(o_K, output_count)],
    prose="For K outputs (any K), with GRPO's penalty (11) for shift-only advantages reads "
          "(1 - (1 - 1/G)(r(o) - E_pi[r])/beta) pi(o) = pi_ref(o): (13) with beta sigma(pi) "
          "replaced by beta G/(G - 1), at every output o.")

old_K = policy_family("pi_old")


def _direct_K(x) -> sp.Expr:
    """E_{o ~ x}[P(o | pi_old)] - beta KL(x || pi_ref) with the shift-only preference."""
    P_old = shift_preference_K(old_K)
    return expectation(x, lambda j: P_old[j]) - beta * kl(x, ref_K)


claim(
    "s3.shift-only.direct-kl.objective", "Sec. 3, shift-only (combining the extensions)",
    Eq(_direct_K(pi_w), KEEP * rlhf_objective(pi_w, r_K, BETA_EFF, ref_K)
       - KEEP * expectation(old_K, lambda j: r_K[j])),
    prose="For K outputs (any K), with the direct KL penalty E_pi[P(. | pi_old)] - beta KL(pi "
          "|| pi_ref) = (1 - 1/G) [E_pi[r] - beta_eff KL(pi || pi_ref)] - (1 - 1/G) E_old[r] "
          "with beta_eff = beta G/(G - 1): a positive multiple of the RLHF objective (3) plus "
          "a constant.")

star_eff = gibbs_policy(ref_K, r_K, BETA_EFF)
claim(
    "s3.shift-only.direct-kl.rlhf-form", "Sec. 3, shift-only (combining the extensions)",
    Eq(ref_K[o_K] * exp(KEEP * r_K[o_K] / beta)
       / partition_function(ref_K, Family(None, output_count, lambda j: KEEP * r_K[j]), beta),
       star_eff[o_K]),
    conditions=[Le(o_K, output_count)],
    prose="For K outputs (any K): pi_ref(o) e^((1 - 1/G) r(o)/beta)/Z is (4) with beta_eff = "
          "beta G/(G - 1) at every output o: the exact sense in which the combination is RLHF.")

star_n_K = gibbs_policy(ref_K, r_K, BETA_EFF_N)
claim(
    "s3.shift-only.direct-kl.maximiser", "Sec. 3, shift-only (combining the extensions)",
    Ge(_direct_K(star_n_K).subs(G, _n + 1), _direct_K(pi_w).subs(G, _n + 1)),
    proof=Certificate(KEEP.subs(G, _n + 1) * lemma_instance(REGISTRY["eq4"], {beta: BETA_EFF_N}),
                      "(1 - 1/G) times J_RLHF(pi*) - J_RLHF(pi) >= 0 at beta_eff (eq4)",
                      lemmas={REGISTRY["eq4"]: [{beta: BETA_EFF_N}]}),
    prose="For K outputs (any K) and every pi_old, the direct-KL objective is maximised by the "
          "RLHF policy (4) at beta_eff = beta G/(G - 1) (written with G = n + 1, n >= 1): "
          "exactly RLHF, with beta inflated by G/(G - 1).")

lam_K = variable("s3s_lambda", S.Reals, latex=r"\lambda")
pi_K = policy_family("pi_theta")
lagr_K = _direct_K(pi_K) - lam_K * (pi_K.total(lambda j: pi_K[j]) - 1)
kkt_grad_K = claim(
    "s3.shift-only.direct-kl.kkt-gradient", "Sec. 3, shift-only (combining the extensions)",
    Eq(sp.Derivative(lagr_K, pi_K[o_K]),
       KEEP * (r_K[o_K] - expectation(old_K, lambda j: r_K[j]))
       - beta * (1 - log(ref_K[o_K] / pi_K[o_K])) - lam_K),
    conditions=[Le(o_K, output_count)],
    prose="For K outputs and every output o, the Lagrangian of the direct-KL objective with "
          "shift-only advantages has d/d pi(o) = (1 - 1/G)(r(o) - E_old[r]) - beta (1 - "
          "log(pi_ref(o)/pi(o))) - lambda (pi_old held fixed).")
claim(
    "s3.shift-only.direct-kl.kkt", "Sec. 3, shift-only (combining the extensions)",
    Eq(kkt_grad_K.rhs.xreplace(
        {pi_K[o_K]: star_eff[o_K],
         lam_K: beta * (log(partition_function(ref_K, r_K, BETA_EFF)) - 1)
         - KEEP * expectation(old_K, lambda j: r_K[j])}), 0),
    conditions=[Le(o_K, output_count)], uses=[kkt_grad_K],
    prose="For K outputs (any K): at pi = (4) with beta_eff and lambda = beta (log Z - 1) - "
          "(1 - 1/G) E_old[r], that gradient vanishes at every output o, whatever pi_old "
          "(in particular at pi_old = pi): the KKT stationarity condition of the direct-KL "
          "objective.")

# =====================================================================================
# NLHF (5): the fixed point is the stationarity condition
# =====================================================================================

_Znl = variable("s3s_Z_nlhf", POSITIVE, latex="Z_q")
for _K in (2, 3):
    _pi, _ref = policy("pi_theta", _K), policy("pi_ref", _K)
    _pp = tuple(variable(f"s3s_pi_prime_{o}", Interval.open(0, 1), latex=f"\\pi'({o}\\mid q)")
                for o in range(1, _K + 1))
    _M = preference_matrix(_K)
    _J = sp.Add(*[_pi[a] * _pp[b] * (_M[a][b] - beta * log(_pi[a] / _ref[a])
                                     + beta * log(_pp[b] / _ref[b]))
                  for a in range(_K) for b in range(_K)])
    _lagr = _J - _lam * (sp.Add(*_pi) - 1)
    _F = sp.Add(*[_pi[b] * _M[0][b] for b in range(_K)])     # E_{o' ~ pi}[P(1 > o')]
    _kl_pi = sp.Add(*[x * log(x / y) for x, y in zip(_pi, _ref)])
    _at = {**dict(zip(_pp, _pi)), _lam: beta * (log(_Znl) - 1) + beta * _kl_pi}
    _grad = (sp.Add(*[_pp[b] * _M[0][b] for b in range(_K)])
             - beta * (log(_pi[0] / _ref[0]) + 1) * sp.Add(*_pp)
             + beta * sp.Add(*[x * log(x / y) for x, y in zip(_pp, _ref)]) - _lam)
    claim(
        f"s1.1.nlhf.eq5.stationarity.k{_K}", "Sec. 1.1, NLHF (5) and the display after it",
        Eq(sp.Derivative(_lagr, _pi[0]).subs(_at),
           beta * log(_ref[0] * exp(_F / beta) / (_Znl * _pi[0]))),
        proof=chain(_lagr)
        .differentiate(_pi[0], "pi' held fixed; the last term of (5) is sum pi times a "
                               "constant", result=_grad)
        .substitute(_at, "at pi' = pi and lambda = beta (log Z - 1) + beta KL(pi || pi_ref)")
        .expand("log(pi_ref e^{F/beta}/(Z pi)) = log pi_ref + F/beta - log Z - log pi",
                result=beta * log(_ref[0] * exp(_F / beta) / (_Znl * _pi[0]))),
        conditions=[OnSimplex(_pi)],
        prose=f"For the NLHF payoff (5) (K = {_K}), the derivative of J_NLHF(pi, pi') - "
              f"lambda (sum pi - 1) with respect to pi(o), pi' fixed and then set to pi, is "
              f"beta log(pi_ref(o) e^(E_{{o' ~ pi}}[P(o > o')]/beta)/(Z pi(o))) with lambda = "
              f"beta (log Z - 1) + beta KL(pi || pi_ref): interior stationarity holds exactly "
              f"when pi(o) = pi_ref(o) e^(E_pi[P(o > o')]/beta)/Z (shown at o = 1).")

# for any number of outputs K: the gradient with pi' held fixed, then evaluated at pi' = pi
t_nl, pp_nl = policy_family("pi_theta"), policy_family("pi_prime")
M_nl = indexed("pref_M", PROB, latex=r"\mathcal{P}")
j2 = sp.Symbol("k", integer=True, positive=True)


def _J_nlhf(t, pp) -> sp.Expr:
    """J_NLHF(pi, pi') of (5): E_{o ~ pi, o' ~ pi'}[P(o > o') - beta log(pi(o)/pi_ref(o))
    + beta log(pi'(o')/pi_ref(o'))]."""
    return t.total(lambda a: pp.total(lambda b: t[a] * pp[b] * (
        M_nl[a, b] - beta * log(t[a] / ref_K[a]) + beta * log(pp[b] / ref_K[b])), j2))


def _nlhf_gradient(t, pp) -> sp.Expr:
    return (pp.total(lambda b: pp[b] * M_nl[o_K, b], j2)
            - beta * (log(t[o_K] / ref_K[o_K]) + 1) * pp.total(lambda b: pp[b], j2)
            + beta * pp.total(lambda b: pp[b] * log(pp[b] / ref_K[b]), j2) - _lam)


nlhf_gradient = claim(
    "s1.1.nlhf.eq5.gradient", "Sec. 1.1, NLHF (5) and the display after it",
    Eq(sp.Derivative(_J_nlhf(t_nl, pp_nl) - _lam * (t_nl.total(lambda j: t_nl[j]) - 1),
                     t_nl[o_K]), _nlhf_gradient(t_nl, pp_nl)),
    conditions=[Le(o_K, output_count)],
    prose="For K outputs (any K) and every output o, d/d pi(o) of J_NLHF(pi, pi') - lambda "
          "(sum pi - 1), pi' held fixed, is E_{o' ~ pi'}[P(o > o')] - beta (log(pi(o)/"
          "pi_ref(o)) + 1) sum pi' + beta sum pi' log(pi'/pi_ref) - lambda.")

w_nl = PI_THETA_K       # pi = pi' = w/sum w
F_nl = w_nl.total(lambda b: w_nl[b] * M_nl[o_K, b], j2)
kl_nl = w_nl.total(lambda b: w_nl[b] * log(w_nl[b] / ref_K[b]), j2)
claim(
    "s1.1.nlhf.eq5.stationarity", "Sec. 1.1, NLHF (5) and the display after it",
    Eq(_nlhf_gradient(w_nl, w_nl).xreplace({_lam: beta * (log(_Znl) - 1) + beta * kl_nl}),
       beta * log(ref_K[o_K] * exp(F_nl / beta) / (_Znl * w_nl[o_K]))),
    conditions=[Le(o_K, output_count)], uses=[nlhf_gradient],
    prose="For K outputs (any K): that gradient at pi' = pi (any distribution w/sum w) and "
          "lambda = beta (log Z - 1) + beta KL(pi || pi_ref) is beta log(pi_ref(o) "
          "e^(E_{o' ~ pi}[P(o > o')]/beta)/(Z pi(o))): interior stationarity holds exactly when "
          "pi(o) = pi_ref(o) e^(E_pi[P(o > o')]/beta)/Z, at every output o.")

# =====================================================================================
# GRPO's aggregation is not logarithmic pooling
# =====================================================================================

c = beta / gamma
eq14_rhs = root_c(c, f)
pool_rhs = f / (f + (1 - f) * exp(-gamma / beta))   # f e^(g/b)/(f e^(g/b) + 1 - f), bounded
_pa = pool_rhs
claim(
    "s3.pooling.direct-kl.pairs", "Sec. 2.3 / Sec. 1.1 (logarithmic pooling), binary, G = 2",
    Eq((1 - f) * _pa * exp(-(gamma * (1 - _pa) - (-gamma * _pa)) / beta), f * (1 - _pa)),
    domains={beta: Interval(Rational(1, 100), oo)},   # the 50-digit backup overflows below
    prose="For a binary question with groups of two (P_2(a | pi) = gamma pi(b), P_2(b | pi) = "
          "-gamma pi(a)), the pooling form pi(a) = f e^(gamma/beta)/(f e^(gamma/beta) + 1 - f) "
          "solves pi(a)/pi(b) = (f/(1 - f)) e^((P_2(a | pi) - P_2(b | pi))/beta): it is the "
          "direct-KL stationary policy (proved for beta >= 1/100 only because the numeric "
          "backup overflows at smaller beta; the identity is rational in e^(-gamma/beta)).")

claim(
    "s3.pooling.pairs.differ", "Sec. 1.2 and Sec. 2.3 (not logarithmic pooling), binary, G = 2",
    Ne(eq14_rhs, pool_rhs),
    proof=Witness({f: Rational(1, 2), beta: 1, gamma: 1},
                  "pi_ref(a) = 1/2, beta = gamma = 1: (14) = sqrt(2)/2 = 0.7071, pooling "
                  "e/(e + 1) = 0.7311"),
    quantifier="exists",
    prose="GRPO's stationary policy (14) is not the logarithmic-pooling policy: at pi_ref(a) = "
          "1/2 and beta = gamma = 1, (14) = 0.7071 while f e^(gamma/beta)/(f e^(gamma/beta) + "
          "1 - f) = 0.7311.")

_x = variable("s3s_x", Interval.open(-Rational(1, 2), Rational(1, 2)), latex="x")
claim(
    "s3.pooling.g-vs-exp.differ", "Sec. 2.3, after (11)",
    Ne(1 / (1 - _x), exp(_x)),
    proof=Witness({_x: Rational(1, 4)}, "g(1/4) = 4/3 = 1.3333, e^(1/4) = 1.2840"),
    quantifier="exists",
    prose="The map g(x) = 1/(1 - x) of the g-form is not the exponential of pooling: "
          "g(1/4) = 4/3 while e^(1/4) = 1.284.")

_gap_gx = 1 / (1 - _x) - exp(_x)
for _order, _value, _what in ((0, 0, "g(0) = e^0 = 1"), (1, 0, "g'(0) = exp'(0) = 1"),
                              (2, 1, "g''(0) = 2 against exp''(0) = 1")):
    claim(
        f"s3.pooling.g-vs-exp.taylor.d{_order}", "Sec. 2.3, after (11)",
        Eq(sp.Subs(sp.Derivative(_gap_gx, (_x, _order)) if _order else _gap_gx, _x, 0), _value),
        prose=f"{_what}: g(x) = 1/(1 - x) and e^x agree to first order at x = 0 and differ at "
              f"the second, g(x) - e^x = x^2/2 + O(x^3), i.e. (g(x) - e^x)/x^2 -> 1/2.")

eq14_stable = eq14_a_large_c(f, c, SymbolicBackend)   # = (14), b1.pairs.stable.a-large-c
for _name, _rhs in (("eq14", eq14_stable), ("pooling", pool_rhs)):
    claim(
        f"s3.pooling.pairs.first-order.{_name}", "Sec. 2.3.1, (14) against pooling",
        Eq(Limit_(beta * (_rhs - f), beta, oo), gamma * f * (1 - f)),
        proof=LimitProof(), uses=[REGISTRY["b1.pairs.stable.a-large-c"]] if _name == "eq14" else [],
        prose=f"As beta -> oo, beta ({'(14)' if _name == 'eq14' else 'the pooling form'} - "
              f"pi_ref(a)) -> gamma pi_ref(a)(1 - pi_ref(a)): both are pi_ref + (gamma/beta) "
              f"pi_ref (1 - pi_ref) + O(1/beta^2).")

# =====================================================================================
# beta = 0.04 (TRL's former default), deterministic rewards (gamma = 1)
# =====================================================================================

B004 = Rational(1, 25)
_sub14 = {beta: B004, gamma: 1}
p14_004 = eq14_rhs.subs(_sub14)
p15_004 = eq15_rhs.subs(beta, B004)
claim(
    "s3.beta-0.04.pairs.lower-bound", "Sec. 1.2 (beta = 0.04) and Sec. 2.3.1, after (14)",
    Ge(p14_004, Rational(24, 25)),
    proof=Certificate(lemma_instance(pairs_bound_margin, _sub14), "(14) >= 1 - beta/gamma",
                      lemmas={pairs_bound_margin: [_sub14]}),
    prose="At beta = 0.04 with deterministic rewards (gamma = 1), groups of two give "
          "pi_theta(a) >= 0.96 for every pi_ref(a) in (0, 1).")
claim(
    "s3.beta-0.04.pairs.lower-bound.tight", "Sec. 1.2 (beta = 0.04) and Sec. 2.3.1, after (14)",
    Eq(Limit_(p14_004, f, 0, "+"), Rational(24, 25)),
    proof=LimitProof(),
    prose="The bound 0.96 is the limit of (14) as pi_ref(a) -> 0+: no better uniform bound.")
claim(
    "s3.beta-0.04.large.lower-bound", "Sec. 1.2 (beta = 0.04) and Sec. 2.3.1, after (15)",
    Ge(p15_004, Rational(625, 626)),
    proof=Certificate(lemma_instance(large_bound_beta, {beta: B004}), "(15) >= 1/(1 + beta^2)",
                      lemmas={large_bound_beta: [{beta: B004}]}),
    prose="In the limit of large groups, beta = 0.04 gives pi_theta(a) >= 1/(1 + 0.0016) = "
          "625/626 for every pi_ref(a) in (0, 1).")
claim(
    "s3.beta-0.04.large.lower-bound.value", "Sec. 1.2 (beta = 0.04) and Sec. 2.3.1, after (15)",
    Gt(Rational(625, 626) - Rational(998402, 10**6), 0),
    proof=Certificate(Rational(625, 626) - Rational(998402, 10**6), "a positive rational"),
    prose="625/626 = 0.9984025..., above 0.998402 (so the bound is 0.998403 to six decimals).")

F_POINTS = {"0-01": Rational(1, 100), "0-1": Rational(1, 10), "0-5": Rational(1, 2),
            "0-9": Rational(9, 10)}
EQ14_VALUES = {"0-01": Rational(960416, 10**6), "0-1": Rational(964149, 10**6),
               "0-5": Rational(980400, 10**6), "0-9": Rational(996140, 10**6)}
EQ15_VALUES = {"0-01": Rational(998434, 10**6), "0-1": Rational(998706, 10**6),
               "0-5": Rational(999600, 10**6), "0-9": Rational(999984, 10**6)}
TOL = Rational(1, 10**6)


def _bracket(cid, paper, value, approx, what):
    claim(
        cid, paper,
        Gt(TOL - sp.Abs(value - approx), 0),
        proof=Certificate(TOL - sp.Abs(value - approx), "an exact number, evaluated"),
        prose=f"{what} = {sp.Float(approx, 7)} to within 1e-6.")


for _name, _fv in F_POINTS.items():
    _bracket(f"s3.beta-0.04.eq14.f-{_name}", "Sec. 1.2 (beta = 0.04) and Sec. 2.3.1, (14)",
             p14_004.subs(f, _fv), EQ14_VALUES[_name],
             f"(14) at beta = 0.04, gamma = 1, pi_ref(a) = {_fv}")
    _bracket(f"s3.beta-0.04.eq15.f-{_name}", "Sec. 1.2 (beta = 0.04) and Sec. 2.3.1, (15)",
             p15_004.subs(f, _fv), EQ15_VALUES[_name],
             f"(15) at beta = 0.04, pi_ref(a) = {_fv}")

claim(
    "s3.beta-0.04.pooling.f-0-01", "Sec. 1.2 (beta = 0.04) and Sec. 1.1 (pooling)",
    Gt(pool_rhs.subs({**_sub14, f: Rational(1, 100)}) - (1 - Rational(2, 10**9)), 0),
    proof=Certificate(pool_rhs.subs({**_sub14, f: Rational(1, 100)}) - (1 - Rational(2, 10**9)),
                      "an exact number, evaluated"),
    prose="For comparison, the logarithmic-pooling (direct-KL) policy at beta = 0.04, gamma = 1 "
          "is within 2e-9 of 1 already at pi_ref(a) = 0.01 (1 - 1.37e-9), against 0.9604 for "
          "(14) and 0.99843 for (15).")
