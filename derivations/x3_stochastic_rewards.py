"""Beyond the paper -- the binary statements with stochastic rewards.

Section 2.3.1 states its results for a binary question (answers a, b) with groups of two,
where rewards may be stochastic ((14) with gamma = P(a > b) - P(b > a), proved on a reward
model in ``b1_binary_pairs``), and for large groups, where its displays assume deterministic
rewards r(a) > r(b).  Here every large-group statement is checked again with stochastic
rewards: the reward of output o has mean r(o) (the expected reward r(o|q)) and variance v_o,
independently across a group; Delta = r(a) - r(b); p = pi_theta(a), q = pi_old(a),
f = pi_ref(a).

* **P_inf with reward noise** (``x3.large.variance``, ``x3.large.preference.*``,
  ``x3.large.reward-preference``).  The std of the reward of an output drawn from pi includes
  the noise: sigma(pi)^2 = pi(a)(1 - pi(a)) Delta^2 + pi(a) v_a + pi(b) v_b (two-point laws,
  any values and weights), and P_inf(a | q) = (1 - q) Delta/sigma(q), as
  ``grpo_sym.grpo.preference.large_group_preference`` and the numeric API
  (``group_preference(..., group_size=math.inf)``, checked at 50 digits) compute it.
* **The stationary condition** (``x3.large.objective.*``, ``x3.large.stationarity``,
  ``x3.large.eq13``).  J = R_inf - beta KL_0, differentiated, on policy, set to zero:
  beta (p - f) = p (1 - p) Delta/sigma(p), which is (13) for K = 2; the numeric solver
  (``stationary_policy(..., group_size=math.inf)``) satisfies it to 50 digits.
* **(15) is refuted** with expected rewards in place of r(a), r(b) (``x3.large.eq15``):
  Bernoulli(9/10) against Bernoulli(1/10), beta = 1, pi_ref(a) = 1/10 has the stationary policy
  1/2, not (15) = 0.5915.  The corrected statement is the fixed-point equation
  (``x3.large.eq15.corrected``); without noise it is (19) for every Delta > 0 (Delta cancels,
  ``x3.large.noiseless``), so (15) is recovered.  The equation has exactly one root, in
  (pi_ref(a), (15)]: h(p)/p increases (``x3.large.unique``, h(p) = beta (p - f) -
  p (1 - p) Delta/sigma(p)), h(f) < 0 (``x3.large.residual-at-reference``), h((15)) >= 0
  (``x3.large.residual-at-eq15``, since h is at least the residual of (19),
  ``x3.large.residual-above-noiseless``).  Noise pulls the policy towards pi_ref: every
  solution lies in [pi_ref(a), (15)] (``x3.large.above-reference``, ``x3.large.below-eq15``).
* **"Depends solely on pi_ref, beta and the comparison of the expected rewards"** is refuted
  (``x3.large.comparison-only``: the Bernoulli pair above against deterministic rewards with the
  same means); the condition depends on the rewards through the noise-to-signal ratios
  v_a/Delta^2, v_b/Delta^2 (``x3.large.comparison-only.corrected``: scale invariance survives,
  comparison-only does not).
* **The bound max{1/(1 + beta^2), pi_ref(a)}** is refuted (``x3.large.lower-bound``:
  Bernoulli(3/4) against Bernoulli(1/4), beta = 3/4, pi_ref(a) = 1/6 give 1/2 < 16/25).
  Corrected: pi_theta(a) >= max{p_-, pi_ref(a)} with p_- the smaller root of
  (1 - x)^2 Delta^2 = beta^2 sigma(x)^2 (``x3.large.lower-bound.corrected``,
  ``x3.large.lower-bound.noise-root``; the larger root is >= 1,
  ``x3.large.lower-bound.upper-root``), sharp as pi_ref(a) -> 0 (the numeric solver at
  pi_ref(a) = 1e-30 meets p_- to 25 digits); p_- = 1/(1 + beta^2) without noise
  (``x3.large.lower-bound.noiseless``) and less with it (``x3.large.lower-bound.below-noiseless``).
* **The jump at pi_ref(a) = 0** ("discontinuous for every beta > 0") disappears when
  beta sqrt(v_b) > Delta: then pi_theta(a) <= (1 + t) pi_ref(a)/t with
  beta sqrt(v_b) = (1 + t) Delta (``x3.large.continuous-at-zero``).
* **Ties** (``x3.tie.*``).  Equal expected rewards give pi_theta = pi_ref for large groups,
  whatever the noise (``x3.tie.large``), but the tie of groups of two is P(a > b) = P(b > a)
  (``b1.pairs.tie``), and the two notions differ: equal means with gamma = 4/5
  (``x3.tie.pairs-equal-means``), gamma = 0 with unequal means (``x3.tie.large-zero-margin``),
  and even opposite comparisons, gamma > 0 > Delta (``x3.tie.orders-disagree``: groups of two
  move towards a, large groups towards b).
* **"More biased towards the reward preference than groups of two"** is refuted for skewed
  rewards (``x3.large.more-biased``: a = 1 always against b = 4 w.p. 1/10, else 0, beta = 1/2,
  pi_ref(a) = 1/6: 1/2 for large groups, (14) = 0.5608 for groups of two); in general the
  large-group policy is the larger iff Delta/sigma >= gamma at (14)
  (``x3.large.more-biased.criterion``).  For Bernoulli (0/1 verifier) rewards it holds as
  printed, noise or not: gamma = Delta (``x3.bernoulli.margin``), sigma^2 = mu (1 - mu) <= 1/4
  (``x3.bernoulli.variance``), so the large-group policy exceeds (14)
  (``x3.large.more-biased.corrected``).  Likewise for the bounds: with skewed rewards p_- can be
  0 while 1 - beta/gamma = 3/8 (``x3.large.bounds-compared``), with Bernoulli rewards
  p_- > 1 - beta/gamma (``x3.large.bounds-compared.corrected``).

Properties of the stationary policy are claimed under the premise that p solves the fixed-point
equation (``given=`` the corrected (15)), which every stationary policy does
(``x3.large.eq15.corrected``); existence follows from the signs of h at pi_ref(a) and at (15)
and uniqueness from the monotone h(p)/p -- the engine has no rule for "the zero of", so that
last step is prose.

Engine workarounds.  A premise multiple with nested denominators is put over one fraction
(``sp.together``): ``expand``, the first rung of ``prove_zero``, took 1.7 s on the nested form
of ``x3.large.below-eq15``.  SymPy's ``subs`` does not find sqrt((15)(1 - (15))) inside
-sqrt(...) (the product of fractional powers is split), so ``x3.large.residual-at-eq15`` writes
the term as an unevaluated Mul(-1, ...).  A claim proved by ``MaxOfBounds`` under a premise has
no obligations for the numeric backup, so ``x3.large.lower-bound.corrected`` brings its own
50-digit check; the numeric callback of a ``Witness`` claim is never run, so the solver's
numbers for the skewed ties are checked on ``x3.tie.large``.
"""
from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import sympy as sp
from sympy import FiniteSet, Interval, Max, Rational, S, oo, sqrt

# the paper's modules in paper order (s2_3 looks up claims of s2_1, which b1 imports)
from grpo_sym.derivations.b1_binary_large import P as EQ15, below_cert, eq15, \
    on_policy_a as b1_on_policy_a, solves_eq19
from grpo_sym.derivations.b1_binary_pairs import DISC, eq14, root14, sign_margin
import grpo_sym.derivations.s2_3_stationarity  # noqa: E402,F401  (registers (13), K = 2)
from grpo_sym.grpo.penalty import kl0
from grpo_sym.grpo.preference import (large_group_preference, large_group_reward_preference,
                                      pairwise_preference, reward_std)
from grpo_sym.grpo.symbols import (beta, margin as gamma, pi_old_a as q, pi_ref_a as f,
                                   pi_theta_a as p, policy, reward_values)
from grpo_sym.proof import (REGISTRY, Certificate, Eq, Ge, Gt, Le, Lt, MaxOfBounds, Ne, Witness,
                            chain, claim, lemma_instance, variable)

POSITIVE = Interval.open(0, oo)
NONNEGATIVE = Interval(0, oo)
BEYOND = "Beyond the paper: stochastic rewards"

# ======================================================================================
# The reward model: expected rewards, reward noise, sigma(pi) including the noise
# ======================================================================================

m_a = variable("x3_mean_a", S.Reals, latex=r"r(a\mid q)")      # expected rewards E[r | o]
m_b = variable("x3_mean_b", S.Reals, latex=r"r(b\mid q)")
gap = variable("x3_gap", POSITIVE, latex=r"\Delta")             # r(a|q) - r(b|q) > 0
v_a = variable("x3_var_a", NONNEGATIVE, latex=r"v_a")           # Var[r | a], Var[r | b]
v_b = variable("x3_var_b", NONNEGATIVE, latex=r"v_b")


def _sigma2(x, ma=m_a, mb=m_b, va=v_a, vb=v_b):
    """sigma(pi)^2 of the reward of an output drawn from pi, pi(a) = x, noise included
    (``x3.large.variance``).

    >>> _sigma2(Rational(1, 2), 1, 0, 0, 0)          # deterministic 1 against 0
    1/4
    """
    return x * (1 - x) * (ma - mb)**2 + x * va + (1 - x) * vb


# two-point reward laws: r | a is y_a1 w.p. s_a, else y_a2 (likewise b)
y_a1, y_a2, y_b1, y_b2 = (variable(f"x3_y_{n}", S.Reals, latex=f"y_{{{n[0]}{n[1]}}}")
                          for n in ("a1", "a2", "b1", "b2"))
s_a, s_b = (variable(f"x3_s_{o}", Interval(0, 1), latex=f"s_{o}") for o in "ab")
ATOM_PROBS = (p * s_a, p * (1 - s_a), (1 - p) * s_b, (1 - p) * (1 - s_b))
ATOM_VALUES = (y_a1, y_a2, y_b1, y_b2)
LAW_MOMENTS = {m_a: s_a * y_a1 + (1 - s_a) * y_a2, m_b: s_b * y_b1 + (1 - s_b) * y_b2,
               v_a: s_a * (1 - s_a) * (y_a1 - y_a2)**2, v_b: s_b * (1 - s_b) * (y_b1 - y_b2)**2}

variance = claim(
    "x3.large.variance", f"{BEYOND}; Sec. 2.1 (sigma of R_infinity)",
    Eq(reward_std(ATOM_PROBS, ATOM_VALUES)**2, _sigma2(p).xreplace(LAW_MOMENTS)),
    prose="The reward of an output drawn from pi, noise included, has variance "
          "pi(a)(1 - pi(a))(r(a) - r(b))^2 + pi(a) v_a + pi(b) v_b, where r(o) and v_o are the "
          "mean and variance of the reward of o (two-point laws, any values and weights).")

SIGMA_Q = sqrt(_sigma2(q))          # sigma(pi_old), noise included
SIGMA_P = sqrt(_sigma2(p))          # sigma(pi_theta) = sigma(pi_old) on policy
# P_inf is (r - E r)/sigma: the claims hold where sigma(pi_old), sigma(pi_theta) > 0 (noise,
# or r(a) != r(b)); with neither, P_inf is 0/0
NOISE_Q = Gt(_sigma2(q), 0)
NOISE_P = Gt(_sigma2(p), 0)
MEANS, OLD = (m_a, m_b), (q, 1 - q)

# the numeric cross-checks: Bernoulli(9/10) against Bernoulli(1/5), Delta = 7/10
EXAMPLE = (Fraction(9, 10), Fraction(1, 5))


def _bernoulli(*success):
    """Reward laws {1: s, 0: 1 - s} for the numeric API, one per success probability."""
    return [{1: s, 0: 1 - s} for s in success]


def _mp(x) -> mpmath.mpf:
    """A Fraction (or int) as an mpf at the working precision."""
    x = Fraction(x)
    return mpmath.mpf(x.numerator) / x.denominator


def _example_sigma(x):
    """sigma(pi) of EXAMPLE at pi(a) = x (mpmath)."""
    sa, sb = (_mp(s) for s in EXAMPLE)
    return mpmath.sqrt(x * (1 - x) * (sa - sb)**2 + x * sa * (1 - sa) + (1 - x) * sb * (1 - sb))


def _preference_check(dps: int) -> tuple[bool, str]:
    """P_inf(a), P_inf(b) of the numeric API (``group_preference``, group_size=inf) against
    (1 - q) Delta/sigma(q) and -q Delta/sigma(q) for EXAMPLE."""
    from grpo_sym.numeric import group_preference

    worst = mpmath.mpf(0)
    with mpmath.workdps(dps + 10):
        d = _mp(EXAMPLE[0] - EXAMPLE[1])
        for qv in (Fraction(1, 1000), Fraction(3, 10), Fraction(1, 2), Fraction(999, 1000)):
            got = group_preference([qv, 1 - qv], _bernoulli(*EXAMPLE), group_size=math.inf,
                                   dps=dps + 5)
            sig = _example_sigma(_mp(qv))
            want = [(1 - _mp(qv)) * d / sig, -_mp(qv) * d / sig]
            worst = max(worst, *(abs(g - w) / abs(w) for g, w in zip(got, want)))
    return worst < mpmath.mpf(10) ** (5 - dps), (
        f"grpo_sym.numeric.group_preference(group_size=inf) is (1 - q) Delta/sigma(q), "
        f"-q Delta/sigma(q) for Bernoulli(9/10) vs Bernoulli(1/5) (relative error "
        f"{mpmath.nstr(worst, 3)})")


preference_a = claim(
    "x3.large.preference.a", f"{BEYOND}; Sec. 2.1, P_infinity",
    Eq(large_group_preference(0, MEANS, OLD, SIGMA_Q), (1 - q) * (m_a - m_b) / SIGMA_Q),
    numeric=_preference_check,
    conditions=[NOISE_Q],
    prose="For stochastic rewards P_inf(a | pi_old) = (r(a) - E_old[r])/sigma(pi_old) = "
          "(1 - pi_old(a))(r(a) - r(b))/sigma(pi_old), with sigma(pi_old) including the reward "
          "noise, as the numeric API computes it.")

preference_b = claim(
    "x3.large.preference.b", f"{BEYOND}; Sec. 2.1, P_infinity",
    Eq(large_group_preference(1, MEANS, OLD, SIGMA_Q), -q * (m_a - m_b) / SIGMA_Q),
    conditions=[NOISE_Q],
    prose="Likewise P_inf(b | pi_old) = -pi_old(a)(r(a) - r(b))/sigma(pi_old).")

R_INF = large_group_reward_preference((p, 1 - p), MEANS, OLD, SIGMA_Q)
reward_part = claim(
    "x3.large.reward-preference", f"{BEYOND}; Sec. 2.1, R_infinity",
    Eq(R_INF, (p - q) * (m_a - m_b) / SIGMA_Q),
    uses=[REGISTRY["s2.1.large.r-infinity.k2"], preference_a, preference_b],
    conditions=[NOISE_Q],
    prose="E_{o ~ pi_theta}[P_inf(o | pi_old)] = (pi_theta(a) - pi_old(a))(r(a) - r(b))/"
          "sigma(pi_old): (18) with |r(a) - r(b)| sqrt(q (1 - q)) replaced by the noisy "
          "sigma(pi_old).")

# ======================================================================================
# The objective J = R_infinity - beta KL_0, its derivative, the stationary condition
# ======================================================================================

_pb, _fb, _qb = sp.symbols("x3_pb x3_fb x3_qb", positive=True)   # placeholders for 1 - x
KL0 = kl0((p, _pb), (f, _fb), (q, _qb)).xreplace({_pb: 1 - p, _fb: 1 - f, _qb: 1 - q})


def _objective(ma, mb, sigma_of):
    """J(pi_theta(a) = p; pi_old(a) = q) = E_theta[P_inf(. | pi_old)] - beta KL_0 for expected
    rewards ``ma``, ``mb`` and sigma(pi_old) = ``sigma_of(q)``."""
    return large_group_reward_preference((p, 1 - p), (ma, mb), OLD, sigma_of(q)) - beta * KL0


J = _objective(m_a, m_b, lambda x: sqrt(_sigma2(x)))
KL_SLOPE = -q * f / p**2 + (1 - q) * (1 - f) / (1 - p)**2 + q / p - (1 - q) / (1 - p)
dJ = (m_a - m_b) / SIGMA_Q - beta * KL_SLOPE
derivative = claim(
    "x3.large.objective.derivative", f"{BEYOND}; App. B.1, the objective after (18)",
    Eq(sp.Derivative(J, p), dJ),
    proof=chain(J).differentiate(p, "term by term; the reward part is linear in pi_theta(a)",
                                 result=dJ),
    uses=[reward_part],
    conditions=[NOISE_Q],
    prose="dJ/dpi_theta(a) = (r(a) - r(b))/sigma(pi_old) - beta (-q f/p^2 + (1 - q)(1 - f)/"
          "(1 - p)^2 + q/p - (1 - q)/(1 - p)), the deterministic derivative with "
          "|r(a) - r(b)| sqrt(q (1 - q)) replaced by the noisy sigma(pi_old).")

dJ_on_policy = (m_a - m_b) / SIGMA_P - beta * (p - f) / (p * (1 - p))
D_ON = sp.Derivative(J, p).subs(q, p)
on_policy = claim(
    "x3.large.objective.derivative.on-policy", f"{BEYOND}; App. B.1, the display before (19)",
    Eq(D_ON, dJ_on_policy),
    proof=chain(derivative).substitute({q: p}, "differentiate first, then set pi_old = pi_theta")
    .rewrite(Eq(D_ON, dJ_on_policy), "combine the four fractions over p^2 (1 - p)^2"),
    conditions=[NOISE_Q, NOISE_P],
    prose="At pi_old = pi_theta the derivative is (r(a) - r(b))/sigma(pi_theta) - "
          "beta (p - pi_ref(a))/(p (1 - p)).")

SOLVER_GRID = ((Fraction(1, 10), Fraction(1, 25)), (Fraction(1, 2), Fraction(1)),
               (Fraction(1, 1000), Fraction(3)), (Fraction(9, 10), Fraction(1, 2)))


def _solver_check(dps: int) -> tuple[bool, str]:
    """The numeric API's large-group policy (``stationary_policy``, group_size=inf) for
    EXAMPLE solves beta (p - f) = p (1 - p) Delta/sigma(p)."""
    from grpo_sym.numeric import stationary_policy

    worst, rows = mpmath.mpf(0), []
    for fv, bv in SOLVER_GRID:
        pa, _ = stationary_policy([fv, 1 - fv], _bernoulli(*EXAMPLE), bv, group_size=math.inf,
                                  dps=dps + 5)
        with mpmath.workdps(dps + 10):
            rhs = pa * (1 - pa) * _mp(EXAMPLE[0] - EXAMPLE[1]) / _example_sigma(pa)
            worst = max(worst, abs(_mp(bv) * (pa - _mp(fv)) - rhs) / rhs)
        rows.append(f"pi_ref(a) = {fv}, beta = {bv}: {mpmath.nstr(pa, 12)}")
    return worst < mpmath.mpf(10) ** (5 - dps), (
        "stationary_policy(group_size=inf) solves it for Bernoulli(9/10) vs Bernoulli(1/5): "
        f"{'; '.join(rows)} (relative residual {mpmath.nstr(worst, 3)})")


relation = Eq(beta * (p - f), p * (1 - p) * (m_a - m_b) / SIGMA_P)
stationarity = claim(
    "x3.large.stationarity", f"{BEYOND}; App. B.1, the display before (19)",
    relation, given=Eq(D_ON, 0),
    proof=chain(D_ON).set_to_zero("a stationary policy: the on-policy derivative vanishes")
    .substitute(on_policy, "the on-policy derivative")
    .rewrite(Eq((p * (1 - p) * (m_a - m_b) / SIGMA_P - beta * (p - f)) / (p * (1 - p)), 0),
             "over the common denominator p (1 - p)")
    .multiply_both_sides(-p * (1 - p), "-p (1 - p) != 0")
    .rearrange(relation, "move beta (p - f) across"),
    numeric=_solver_check,
    conditions=[NOISE_Q, NOISE_P],
    prose="A stationary pi_theta(a) = p satisfies beta (p - pi_ref(a)) = p (1 - p)(r(a) - r(b))/"
          "sigma(p) with sigma(p)^2 = p (1 - p)(r(a) - r(b))^2 + p v_a + (1 - p) v_b, and the "
          "numeric API's large-group solver satisfies it for Bernoulli rewards.")

_t2, _rbar2 = policy("pi_theta", 2), reward_values(2)
_lhs13 = REGISTRY["eq13.k2"].statement.lhs
(SIGMA13,) = _lhs13.free_symbols - {beta, *_t2, *_rbar2}      # the symbol sigma(pi) of (13)
AT_BINARY = {_t2[0]: p, _t2[1]: 1 - p, _rbar2[0]: m_a, _rbar2[1]: m_b, SIGMA13: SIGMA_P}
claim(
    "x3.large.eq13", f"{BEYOND}; Sec. 2.3, (13) for a binary question",
    Eq(beta * (_lhs13.xreplace(AT_BINARY) - f),
       beta * (p - f) - p * (1 - p) * (m_a - m_b) / SIGMA_P),
    uses=[REGISTRY["eq13.k2"]],
    conditions=[NOISE_Q, NOISE_P],
    prose="(13) with two outputs, pi(a) = p and the noisy sigma(p) is the same condition: beta "
          "times its left side minus pi_ref(a) is beta (p - f) - p (1 - p)(r(a) - r(b))/sigma(p).")

# ======================================================================================
# (15) with stochastic rewards: refuted; the fixed-point equation instead
# ======================================================================================

BETTER_A = {m_a: m_b + gap}                      # r(a|q) > r(b|q): Delta > 0
D_ON_A = D_ON.subs(BETTER_A)
SIGMA_A = sqrt(_sigma2(p, gap, 0))               # sigma(p) with r(a) - r(b) = Delta
on_policy_a = claim(
    "x3.large.objective.derivative.on-policy.a-better", f"{BEYOND}; App. B.1, (19)",
    on_policy.statement.subs(BETTER_A),
    proof=chain(on_policy).substitute(BETTER_A, "r(a) = r(b) + Delta, Delta > 0"),
    conditions=[NOISE_Q, NOISE_P],
    prose="For r(a) > r(b) (expected rewards) the on-policy derivative is Delta/sigma(p) - "
          "beta (p - f)/(p (1 - p)).")

stationary_a = Eq(D_ON_A, 0)
relation_a = Eq(beta * (p - f), p * (1 - p) * gap / SIGMA_A)
BERNOULLI_HALF = {gap: Rational(4, 5), m_b: Rational(1, 10), v_a: Rational(9, 100),
                  v_b: Rational(9, 100), beta: 1, f: Rational(1, 10), p: Rational(1, 2)}
eq15_printed = claim(
    "x3.large.eq15", f"{BEYOND}; Sec. 2.3.1, (15)",
    Eq(p, EQ15), given=stationary_a,
    proof=Witness(BERNOULLI_HALF, "Bernoulli(9/10) against Bernoulli(1/10) rewards, beta = 1, "
                  "pi_ref(a) = 1/10: sigma(1/2) = 1/2 and pi_theta(a) = 1/2 is stationary, "
                  "(15) = 0.5915"),
    expected="refuted",
    prose="(15) with r(a) > r(b) read as expected rewards fails for stochastic rewards: "
          "Bernoulli(9/10) against Bernoulli(1/10), beta = 1, pi_ref(a) = 1/10 has the "
          "stationary policy pi_theta(a) = 1/2, not (15) = 0.5915.")

eq15_corrected = claim(
    "x3.large.eq15.corrected", f"{BEYOND}; Sec. 2.3.1, (15); App. B.1, (19)",
    relation_a, given=stationary_a,
    proof=chain(D_ON_A).set_to_zero("a stationary policy with r(a) > r(b) (expected rewards)")
    .substitute(on_policy_a, "the on-policy derivative")
    .rewrite(Eq((p * (1 - p) * gap / SIGMA_A - beta * (p - f)) / (p * (1 - p)), 0),
             "over the common denominator p (1 - p)")
    .multiply_both_sides(-p * (1 - p), "-p (1 - p) != 0")
    .rearrange(relation_a, "move beta (p - f) across"),
    corrects=eq15_printed,
    conditions=[NOISE_Q, NOISE_P],
    prose="For stochastic rewards with r(a) - r(b) = Delta > 0 a stationary pi_theta(a) = p "
          "solves beta (p - pi_ref(a)) = p (1 - p) Delta/sqrt(p (1 - p) Delta^2 + p v_a + "
          "(1 - p) v_b), the fixed-point equation that replaces (19) and (15).")

NOISELESS = {v_a: FiniteSet(0), v_b: FiniteSet(0)}
claim(
    "x3.large.noiseless", f"{BEYOND}; Sec. 2.3.1, (15); App. B.1, (19)",
    Eq(on_policy_a.rhs, b1_on_policy_a.rhs),
    domains=NOISELESS, uses=[b1_on_policy_a, eq15],
    prose="Without reward noise (v_a = v_b = 0) the on-policy derivative is the deterministic "
          "1/sqrt(p (1 - p)) - beta (p - f)/(p (1 - p)) for every Delta > 0 (Delta cancels), so "
          "the stationary policy is (15) (eq15).")

# -- what the stationary policy depends on --------------------------------------------------

v_a_other = variable("x3_var_a_other", NONNEGATIVE, latex=r"v_a'")
v_b_other = variable("x3_var_b_other", NONNEGATIVE, latex=r"v_b'")
comparison_printed = claim(
    "x3.large.comparison-only", f"{BEYOND}; Sec. 2.3.1, after (15)",
    relation_a.xreplace({v_a: v_a_other, v_b: v_b_other}), given=stationary_a,
    proof=Witness({**BERNOULLI_HALF, v_a_other: 0, v_b_other: 0},
                  "Bernoulli(9/10) against Bernoulli(1/10) and the deterministic rewards 9/10 "
                  "against 1/10 have the same expected rewards; beta = 1, pi_ref(a) = 1/10"),
    expected="refuted",
    prose="'Depends solely on pi_ref, beta and the comparison of the expected rewards' fails: "
          "pi_theta(a) = 1/2 is stationary for Bernoulli(9/10) against Bernoulli(1/10) "
          "(beta = 1, pi_ref(a) = 1/10) but not for the deterministic rewards 9/10 against "
          "1/10, which have the same expected rewards (there it is (15) = 0.5915).")

NOISE_RATIO = {gap: 1, v_a: v_a / gap**2, v_b: v_b / gap**2}
claim(
    "x3.large.comparison-only.corrected", f"{BEYOND}; Sec. 2.3.1, after (15)",
    Eq(relation_a.rhs, relation_a.rhs.xreplace(NOISE_RATIO)),
    corrects=comparison_printed,
    prose="The stationary condition depends on the rewards only through the noise-to-signal "
          "ratios v_a/Delta^2 and v_b/Delta^2 (p (1 - p) Delta/sigma(p) is unchanged when Delta "
          "is set to 1 and v_o to v_o/Delta^2), so r -> c r + d with c > 0 leaves the policy "
          "unchanged while a change of the noise alone moves it.")

# -- exactly one stationary policy, between pi_ref(a) and (15) -----------------------------------

RESIDUAL = beta * (p - f) - p * (1 - p) * gap / SIGMA_A     # h(p): zero exactly when stationary
H_OVER_P = beta - beta * f / p - (1 - p) * gap / SIGMA_A
claim(
    "x3.large.unique", f"{BEYOND}; Sec. 2.3.1, (15)",
    Gt(sp.Derivative(H_OVER_P, p), 0),
    proof=Certificate(beta * f / p**2 + gap * ((1 - p) * gap**2 + (1 + p) * v_a + (1 - p) * v_b)
                      / (2 * SIGMA_A**3),
                      "d/dp [(1 - p)/sigma(p)] = -((1 - p) Delta^2 + (1 + p) v_a + (1 - p) v_b)/"
                      "(2 sigma(p)^3)"),
    prose="h(p)/p = beta (1 - pi_ref(a)/p) - (1 - p) Delta/sigma(p) strictly increases in p, "
          "where h(p) = beta (p - pi_ref(a)) - p (1 - p) Delta/sigma(p), so the fixed-point "
          "equation has at most one solution in (0, 1) at every noise level.")

claim(
    "x3.large.residual-at-reference", f"{BEYOND}; Sec. 2.3.1, (15)",
    Lt(RESIDUAL.subs(p, f), 0),
    proof=Certificate(f * (1 - f) * gap / SIGMA_A.subs(p, f),
                      "h(pi_ref(a)) = -f (1 - f) Delta/sigma(f)"),
    prose="h(pi_ref(a)) = -pi_ref(a)(1 - pi_ref(a)) Delta/sigma(pi_ref(a)) < 0.")

above_reference = claim(
    "x3.large.above-reference", f"{BEYOND}; Sec. 2.3.1, display after (15)",
    Ge(p, f), given=relation_a,
    proof=Certificate(p * (1 - p) * gap / (beta * SIGMA_A), premise_multiple=1 / beta,
                      why="p - pi_ref(a) = p (1 - p) Delta/(beta sigma(p)) at a stationary p"),
    uses=[eq15_corrected],
    prose="A stationary pi_theta(a) is at least pi_ref(a), at every noise level.")

ROOT_PQ = sqrt(p * (1 - p))
noise_gap = claim(
    "x3.large.residual-above-noiseless", f"{BEYOND}; Sec. 2.3.1, (15); App. B.1, (19)",
    Ge(RESIDUAL, beta * (p - f) - ROOT_PQ),
    proof=Certificate(ROOT_PQ * (p * v_a + (1 - p) * v_b)
                      / (SIGMA_A * (SIGMA_A + gap * ROOT_PQ)),
                      "sqrt(p (1 - p)) - p (1 - p) Delta/sigma = sqrt(p (1 - p))(sigma^2 - "
                      "p (1 - p) Delta^2)/(sigma (sigma + Delta sqrt(p (1 - p)))) and "
                      "sigma^2 - p (1 - p) Delta^2 = p v_a + (1 - p) v_b"),
    prose="h(p) >= beta (p - pi_ref(a)) - sqrt(p (1 - p)), the residual of (19): noise can only "
          "shrink the reward term, since sigma(p) >= Delta sqrt(p (1 - p)).")

H_AT_EQ15 = RESIDUAL.subs(p, EQ15)
claim(
    "x3.large.residual-at-eq15", f"{BEYOND}; Sec. 2.3.1, (15)",
    Ge(H_AT_EQ15, 0),
    proof=chain(noise_gap).substitute({p: EQ15}, "at p = (15), which lies in (0, 1)")
    .rewrite(Ge(H_AT_EQ15, sp.Add(beta * (EQ15 - f),
                                  sp.Mul(-1, solves_eq19.lhs, evaluate=False), evaluate=False)),
             "join the square roots of (15) and 1 - (15)")
    .substitute(solves_eq19, "(15) solves (19): sqrt((15)(1 - (15))) = beta ((15) - f)"),
    prose="h((15)) >= 0, so with h(pi_ref(a)) < 0 and h(p)/p increasing the fixed-point equation "
          "has exactly one solution, in (pi_ref(a), (15)].")

W_NOISE = lemma_instance(noise_gap, {})           # sqrt(p (1 - p)) - p (1 - p) Delta/sigma >= 0
T_A = p * (1 - p) * gap / (beta * SIGMA_A)        # p - pi_ref(a) at a stationary p
Y_A = T_A + below_cert                            # p - (the other root of (15)'s quadratic)
_lift = beta * T_A + ROOT_PQ                      # beta (p - f) + sqrt(p (1 - p)) there
# (15) - p - certificate = m h(p), and h(p) = 0 at a stationary p; one fraction, because
# ``expand``, the first rung of prove_zero, is slow on the nested denominators
_m_residual = sp.together(
    -(beta * Y_A * (beta * (p - f) + ROOT_PQ) + W_NOISE * (ROOT_PQ - beta * below_cert))
    / (beta * (1 + beta**2) * Y_A * (p - f + below_cert)))
claim(
    "x3.large.below-eq15", f"{BEYOND}; Sec. 2.3.1, (15)",
    Le(p, EQ15), given=relation_a,
    proof=Certificate(
        W_NOISE * _lift / ((1 + beta**2) * Y_A), lemmas={noise_gap: [{}]},
        premise_multiple=_m_residual,
        why="(15) - p = -Q(p)/((1 + beta^2)(p - x_-)) with Q the quadratic of (15) and x_- its "
            "other root; Q(p) = (beta (p - f) - sqrt(p (1 - p)))(beta (p - f) + sqrt(p (1 - p))) "
            "and beta (p - f) - sqrt(p (1 - p)) = h(p) - W, W = sqrt(p (1 - p)) - p (1 - p) "
            "Delta/sigma >= 0 (x3.large.residual-above-noiseless), h(p) = 0 at a stationary p"),
    uses=[eq15_corrected],
    # p >= pi_ref(a) at a stationary p (x3.large.above-reference) keeps the certificate's
    # denominator p - x_- visibly positive
    conditions=[Ge(p, f)],
    prose="Noise pulls the policy towards pi_ref: a stationary pi_theta(a) is at most (15), the "
          "policy for deterministic rewards with the same ordering.")

# ======================================================================================
# The lower bound max{1/(1 + beta^2), pi_ref}
# ======================================================================================
# At a stationary p, h(p)/p = 0 <= beta - (1 - p) Delta/sigma(p), i.e. Q(p) <= 0 for the convex
# quadratic Q(x) = (1 - x)^2 Delta^2 - beta^2 sigma(x)^2; Q(1) = -beta^2 v_a <= 0, so p lies
# above its smaller root p_- (sharp as pi_ref -> 0).

A_Q = (1 + beta**2) * gap**2                           # Q(x) = A x^2 - B x + C
K_Q = beta**2 * (v_a - v_b - gap**2)                   # B - 2A
DISC_Q = K_Q**2 + 4 * A_Q * beta**2 * v_a              # B^2 - 4 A C, visibly >= 0
P_MINUS = (K_Q + 2 * A_Q - sqrt(DISC_Q)) / (2 * A_Q)   # the smaller root of Q
P_PLUS = (K_Q + 2 * A_Q + sqrt(DISC_Q)) / (2 * A_Q)    # the larger root of Q
P_PLUS_GAP = sp.Add(1 - p, sp.Mul(1 / (2 * A_Q), sp.Add(sqrt(DISC_Q), K_Q), evaluate=False),
                    evaluate=False)                    # p_+ - p, visibly > 0

BERNOULLI_QUARTER = {gap: Rational(1, 2), m_b: Rational(1, 4), v_a: Rational(3, 16),
                     v_b: Rational(3, 16), beta: Rational(3, 4), f: Rational(1, 6),
                     p: Rational(1, 2)}
bound_printed = claim(
    "x3.large.lower-bound", f"{BEYOND}; Sec. 2.3.1, display after (15)",
    Ge(p, Max(1 / (1 + beta**2), f)), given=stationary_a,
    proof=Witness(BERNOULLI_QUARTER, "Bernoulli(3/4) against Bernoulli(1/4), beta = 3/4, "
                  "pi_ref(a) = 1/6: sigma(1/2) = 1/2, pi_theta(a) = 1/2 is stationary and "
                  "1/(1 + beta^2) = 16/25"),
    expected="refuted",
    prose="The bound pi_theta(a) >= max{1/(1 + beta^2), pi_ref(a)} fails for stochastic "
          "rewards: Bernoulli(3/4) against Bernoulli(1/4), beta = 3/4, pi_ref(a) = 1/6 has the "
          "stationary policy 1/2 < 16/25.")

upper_root = claim(
    "x3.large.lower-bound.upper-root", f"{BEYOND}; Sec. 2.3.1, display after (15)",
    Ge(P_PLUS, 1),
    proof=Certificate(sp.Mul(1 / (2 * A_Q), sp.Add(sqrt(DISC_Q), K_Q), evaluate=False),
                      "p_+ - 1 = (sqrt(D) + B - 2A)/(2A) and D - (B - 2A)^2 = 4 A beta^2 v_a"),
    prose="The larger root p_+ of (1 - x)^2 Delta^2 - beta^2 sigma(x)^2 is at least 1 (the "
          "quadratic is -beta^2 v_a <= 0 at x = 1), so on [0, 1) it is <= 0 exactly on [p_-, 1).")

noise_root = claim(
    "x3.large.lower-bound.noise-root", f"{BEYOND}; Sec. 2.3.1, display after (15)",
    Ge(p, P_MINUS), given=relation_a,
    proof=Certificate(
        SIGMA_A * beta * f * (beta * SIGMA_A + (1 - p) * gap) / (p * A_Q * P_PLUS_GAP),
        premise_multiple=sp.together(SIGMA_A * (beta * SIGMA_A + (1 - p) * gap)
                                     / (p * A_Q * P_PLUS_GAP)),
        why="p - p_- = -Q(p)/(A (p_+ - p)), -Q(p) = (beta sigma - (1 - p) Delta)(beta sigma + "
            "(1 - p) Delta) and beta sigma - (1 - p) Delta = (sigma/p)(beta pi_ref(a) + h(p)), "
            "h(p) = 0 at a stationary p; p_+ - p = 1 - p + (sqrt(D) + B - 2A)/(2A) and "
            "D - (B - 2A)^2 = 4 A beta^2 v_a >= 0"),
    uses=[eq15_corrected, upper_root],
    prose="A stationary pi_theta(a) is at least p_-, the smaller root of (1 - x)^2 Delta^2 = "
          "beta^2 sigma(x)^2: p_- = (B - sqrt(B^2 - 4AC))/(2A) with A = (1 + beta^2) Delta^2, "
          "B = (2 + beta^2) Delta^2 + beta^2 (v_a - v_b), C = Delta^2 - beta^2 v_b.")

SHARP_ROWS = ((Fraction(3, 4), Fraction(1, 4), Fraction(3, 4)),
              (Fraction(9, 10), Fraction(1, 10), Fraction(1)),
              (Fraction(9, 10), Fraction(1, 5), Fraction(1, 25)))


def _sharpness_check(dps: int) -> tuple[bool, str]:
    """At pi_ref(a) = 1e-30 the numeric API's large-group policy is p_- to 25 digits
    (Bernoulli rewards with C > 0): the corrected bound is sharp as pi_ref(a) -> 0."""
    from grpo_sym.numeric import stationary_policy

    rows, ok = [], True
    tiny = Fraction(1, 10**30)
    for sa, sb, bv in SHARP_ROWS:
        pa, _ = stationary_policy([tiny, 1 - tiny], _bernoulli(sa, sb), bv,
                                  group_size=math.inf, dps=dps)
        sub = {gap: Rational(sa - sb), v_a: Rational(sa * (1 - sa)),
               v_b: Rational(sb * (1 - sb)), beta: Rational(bv)}
        with mpmath.workdps(dps):
            bound = mpmath.mpf(sp.N(P_MINUS.xreplace(sub), dps + 5))
            ok = ok and abs(pa - bound) < mpmath.mpf(10) ** -25
        rows.append(f"Bernoulli({sa}) vs Bernoulli({sb}), beta = {bv}: p = "
                    f"{mpmath.nstr(pa, 15)}, p_- = {mpmath.nstr(bound, 15)}")
    return ok, "sharp as pi_ref(a) -> 0 (pi_ref(a) = 1e-30): " + "; ".join(rows)


claim(
    "x3.large.lower-bound.corrected", f"{BEYOND}; Sec. 2.3.1, display after (15)",
    Ge(p, Max(P_MINUS, f)), given=relation_a,
    proof=MaxOfBounds(noise_root, above_reference),
    corrects=bound_printed, numeric=_sharpness_check,
    prose="With reward noise pi_theta(a) >= max{p_-, pi_ref(a)}, sharp as pi_ref(a) -> 0, and "
          "p_- <= 0 once beta^2 v_b >= Delta^2 (p_- p_+ = C/A with p_+ >= 1).")

claim(
    "x3.large.lower-bound.noiseless", f"{BEYOND}; Sec. 2.3.1, display after (15)",
    Eq(P_MINUS, 1 / (1 + beta**2)),
    domains=NOISELESS,
    prose="Without reward noise p_- = 1/(1 + beta^2): the corrected bound is the printed one.")

X_NOISELESS = 1 / (1 + beta**2)
claim(
    "x3.large.lower-bound.below-noiseless", f"{BEYOND}; Sec. 2.3.1, display after (15)",
    Le(P_MINUS, X_NOISELESS),
    proof=Certificate(
        beta**2 * (X_NOISELESS * v_a + (1 - X_NOISELESS) * v_b)
        / (A_Q * sp.Add(1 - X_NOISELESS, lemma_instance(upper_root, {}), evaluate=False)),
        lemmas={upper_root: [{}]},
        why="x - p_- = -Q(x)/(A (p_+ - x)) at x = 1/(1 + beta^2), where Q(x) = -beta^2 (x v_a + "
            "(1 - x) v_b) (its noiseless part vanishes there) and p_+ - x = (1 - x) + (p_+ - 1)"),
    uses=[upper_root],
    prose="Noise lowers the bound: p_- <= 1/(1 + beta^2) at every noise level.")

# -- the jump at pi_ref(a) = 0 disappears when beta^2 v_b > Delta^2 ---------------------------

t_noise = variable("x3_t", POSITIVE, latex="t")
LOUD_B = {v_b: gap**2 * (1 + t_noise)**2 / beta**2}     # beta sqrt(v_b) = (1 + t) Delta
SIGMA_T = SIGMA_A.xreplace(LOUD_B)
_K_T = (1 + t_noise) * (1 - p) * gap
_NUM_T = p * (beta**2 * (1 - p) * gap**2 + beta**2 * v_a + (1 + t_noise)**2 * (1 - p) * gap**2)
claim(
    "x3.large.continuous-at-zero", f"{BEYOND}; Sec. 2.3.1, after (15) (the discontinuity)",
    Le(p, (1 + t_noise) * f / t_noise), given=relation_a.xreplace(LOUD_B),
    proof=Certificate(
        p * _NUM_T / (beta * t_noise * SIGMA_T * (beta * SIGMA_T + _K_T)),
        premise_multiple=-(1 + t_noise) / (beta * t_noise),
        why="beta t ((1 + t) f/t - p) = p (beta - (1 + t)(1 - p) Delta/sigma) - (1 + t) h(p), and "
            "beta - (1 + t)(1 - p) Delta/sigma = (beta^2 sigma^2 - (1 + t)^2 (1 - p)^2 Delta^2)/"
            "(sigma (beta sigma + (1 + t)(1 - p) Delta)) with a numerator p (beta^2 (1 - p) "
            "Delta^2 + beta^2 v_a + (1 + t)^2 (1 - p) Delta^2) >= 0 when beta^2 v_b = (1 + t)^2 "
            "Delta^2"),
    uses=[eq15_corrected],
    prose="If the worse answer's reward noise is loud, beta sqrt(v_b) = (1 + t) Delta > Delta, a "
          "stationary pi_theta(a) is at most (1 + t) pi_ref(a)/t and so tends to 0 with "
          "pi_ref(a): no jump at pi_ref(a) = 0, unlike (15) for every beta > 0.")

# ======================================================================================
# Ties: equal expected rewards (large groups) against P(a > b) = P(b > a) (groups of two)
# ======================================================================================

TIE = {m_a: m_b}
NOISY_B = {v_b: POSITIVE}                   # sigma > 0 in a tie needs some noise
D_ON_TIE = D_ON.subs(TIE)
on_policy_tie = claim(
    "x3.large.objective.derivative.on-policy.tie", f"{BEYOND}; Sec. 2.3.1, after (15) (a tie)",
    on_policy.statement.subs(TIE),
    proof=chain(on_policy).substitute(TIE, "r(a) = r(b) (expected rewards)"),
    domains=NOISY_B,
    conditions=[NOISE_Q, NOISE_P],
    prose="With equal expected rewards (and noise, so sigma > 0) the reward term "
          "(r(a) - r(b))/sigma(p) vanishes: the on-policy derivative is -beta (p - f)/(p (1 - p)).")

claim(
    "x3.tie.large", f"{BEYOND}; Sec. 2.3.1, after (15): r(a|q) = r(b|q)",
    Eq(p, f), given=Eq(D_ON_TIE, 0),
    proof=chain(D_ON_TIE).set_to_zero("the on-policy derivative vanishes")
    .substitute(on_policy_tie, "the on-policy derivative in a tie")
    .multiply_both_sides(-p * (1 - p) / beta, "non-zero")
    .rearrange(Eq(p, f)),
    domains=NOISY_B, numeric=lambda dps: _ties_check(dps),
    conditions=[NOISE_Q, NOISE_P],
    prose="'When r(a|q) = r(b|q), pi_theta = pi_ref' holds for stochastic rewards in the limit "
          "of large groups: equal expected rewards give P_inf = 0, whatever the noise.")

# a skewed family: a always has reward 1; b has 0 w.p. 1 - w and 1 + l w.p. w
w_skew = variable("x3_w", Interval.open(0, 1), latex="w")
l_skew = variable("x3_l", POSITIVE, latex=r"\ell")
SKEW_LAWS = [[(S.One, S.One)], [(S.Zero, 1 - w_skew), (1 + l_skew, w_skew)]]


def _moments(law):
    """(mean, variance) of a finite reward law ((value, probability), ...).

    >>> _moments([(S.Zero, Rational(9, 10)), (Rational(10), Rational(1, 10))])
    (1, 9)
    """
    mean = sp.Add(*[pr * v for v, pr in law])
    return mean, sp.Add(*[pr * (v - mean)**2 for v, pr in law])


GAMMA_SKEW = pairwise_preference(0, 1, SKEW_LAWS) - pairwise_preference(1, 0, SKEW_LAWS)
(_ma, _va), (_mb, _vb) = (_moments(law) for law in SKEW_LAWS)
SKEW = {m_a: _ma, m_b: _mb, v_a: _va, v_b: sp.factor(_vb)}
P14_SKEW = root14.subs(gamma, GAMMA_SKEW)           # (14) with gamma = P(a > b) - P(b > a)


def _skew_check(w, l, fv, bv, want):
    """(ok, text): stationary_policy for the skewed law at G = 2 and G = inf; ``want`` says
    where each lies relative to pi_ref(a): '+' above, '-' below, '=' equal (to 30 digits)."""
    from grpo_sym.numeric import stationary_policy

    laws = [1, {0: 1 - w, 1 + l: w}]
    out, ok = [], True
    for G, sign in zip((2, math.inf), want):
        pa, _ = stationary_policy([fv, 1 - fv], laws, bv, group_size=G, dps=40)
        d = pa - _mp(fv)
        ok = ok and {"+": d > 1e-10, "-": d < -1e-10, "=": abs(d) < 1e-30}[sign]
        out.append(f"G = {'inf' if G == math.inf else G}: {mpmath.nstr(pa, 12)}")
    return ok, (f"stationary_policy, a = 1, b = 0 w.p. {1 - w} and {1 + l} w.p. {w}, "
                f"pi_ref(a) = {fv}, beta = {bv}: " + ", ".join(out))


def _ties_check(dps: int) -> tuple[bool, str]:
    """The numeric API on the two skewed ties: equal means keep pi_ref at G = inf (not at
    G = 2); P(a > b) = P(b > a) keeps it at G = 2 (not at G = inf)."""
    rows = [_skew_check(Fraction(1, 10), 9, Fraction(1, 2), Fraction(1, 2), "+="),
            _skew_check(Fraction(1, 2), 2, Fraction(1, 2), Fraction(1, 2), "=-")]
    return all(ok for ok, _ in rows), "; ".join(text for _, text in rows)


claim(
    "x3.tie.pairs-equal-means", f"{BEYOND}; Sec. 2.3.1, the tie for groups of two",
    Ne(P14_SKEW, f),
    proof=Witness({w_skew: Rational(1, 10), l_skew: 9, beta: Rational(1, 2), f: Rational(1, 2)},
                  "a = 1 always, b = 0 w.p. 9/10 and 10 w.p. 1/10: equal means, gamma = 4/5"),
    quantifier="exists", conditions=[Eq(_mb, _ma)],
    uses=[eq14, sign_margin, REGISTRY["b1.pairs.tie"]],
    prose="Equal expected rewards are not a tie for groups of two: a = 1 always against b = 10 "
          "w.p. 1/10 (else 0) have equal means but gamma = 4/5, so (14) moves pi_theta(a) above "
          "pi_ref(a) (0.777 at beta = pi_ref(a) = 1/2) while large groups keep pi_ref, the tie of "
          "groups of two being P(a > b) = P(b > a) (b1.pairs.tie).")

claim(
    "x3.tie.large-zero-margin", f"{BEYOND}; Sec. 2.3.1, the tie for large groups",
    Ne(dJ_on_policy.xreplace(SKEW).subs(p, f), 0),
    proof=Witness({w_skew: Rational(1, 2), l_skew: 2, f: Rational(1, 2)},
                  "a = 1 always, b = 0 or 3 with probability 1/2: gamma = 0, r(b) = 3/2"),
    quantifier="exists", conditions=[Eq(GAMMA_SKEW, 0)],
    uses=[on_policy, REGISTRY["b1.pairs.tie"]],
    prose="Conversely P(a > b) = P(b > a) is not a tie for large groups: a = 1 always against "
          "b = 0 or 3 (probability 1/2 each) has gamma = 0, so groups of two keep pi_ref, but "
          "the large-group on-policy derivative at pi_ref(a) is (r(a) - r(b))/sigma != 0.")

claim(
    "x3.tie.orders-disagree", f"{BEYOND}; Sec. 2.3.1, (14) and (15)",
    Lt(GAMMA_SKEW * (_ma - _mb), 0),
    proof=Witness({w_skew: Rational(1, 10), l_skew: 10},
                  "a = 1 always, b = 0 w.p. 9/10 and 11 w.p. 1/10: gamma = 4/5, "
                  "r(a) - r(b) = -1/10"),
    quantifier="exists",
    prose="The two comparisons can disagree: a = 1 always beats b (0 w.p. 9/10, 11 w.p. 1/10) "
          "with gamma = 4/5 but has the lower expected reward, so groups of two move "
          "pi_theta(a) above pi_ref(a) and large groups move it below.")

# ======================================================================================
# "More biased towards the reward preference than groups of two"
# ======================================================================================

D_ON_SKEW = D_ON.xreplace(SKEW)
more_biased_printed = claim(
    "x3.large.more-biased", f"{BEYOND}; Sec. 2.3.1, after (15)",
    Ge(p, P14_SKEW), given=Eq(D_ON_SKEW, 0),
    proof=Witness({w_skew: Rational(1, 10), l_skew: 3, beta: Rational(1, 2), f: Rational(1, 6),
                   p: Rational(1, 2)},
                  "a = 1 always, b = 0 w.p. 9/10 and 4 w.p. 1/10: gamma = 4/5, Delta = 3/5, "
                  "sigma(1/2) = 9/10; beta = 1/2, pi_ref(a) = 1/6: the large-group policy is "
                  "1/2, (14) = 0.5608"),
    expected="refuted", uses=[eq14, sign_margin],
    prose="'More biased towards the reward preference than groups of two' fails for skewed "
          "rewards: a = 1 always against b = 4 w.p. 1/10 (else 0), beta = 1/2, pi_ref(a) = 1/6 "
          "give pi_theta(a) = 1/2 for large groups but (14) = 0.5608 for groups of two.")

P14_ROOT = root14
claim(
    "x3.large.more-biased.criterion", f"{BEYOND}; Sec. 2.3.1, after (15)",
    Eq(RESIDUAL.subs(p, P14_ROOT),
       P14_ROOT * (1 - P14_ROOT) * (gamma - gap / SIGMA_A.subs(p, P14_ROOT))),
    uses=[REGISTRY["b1.pairs.root-solves-eq17"], eq14],
    prose="At the pair policy p_2 = (14) the large-group residual is h(p_2) = p_2 (1 - p_2)"
          "(gamma - Delta/sigma(p_2)), so (h(p)/p increasing) the large-group policy is at least "
          "(14) exactly when the signal-to-noise margin Delta/sigma(p_2) is at least gamma.")

# Bernoulli (0/1 verifier) rewards: s_b = u (1 - gamma), s_a = s_b + gamma, gamma in (0, 1]
u_bern = variable("x3_u", Interval(0, 1), latex="u")
BERNOULLI_LAWS = [[(S.One, s_a), (S.Zero, 1 - s_a)], [(S.One, s_b), (S.Zero, 1 - s_b)]]
MU_AB = p * s_a + (1 - p) * s_b
bern_margin = claim(
    "x3.bernoulli.margin", f"{BEYOND}; Sec. 2.3.1, gamma for 0/1 rewards",
    Eq(pairwise_preference(0, 1, BERNOULLI_LAWS) - pairwise_preference(1, 0, BERNOULLI_LAWS),
       s_a - s_b),
    prose="For Bernoulli rewards (a correct w.p. s_a, b w.p. s_b) gamma_{a,b} = s_a (1 - s_b) - "
          "s_b (1 - s_a) = s_a - s_b = r(a) - r(b): the two comparisons agree.")

bern_variance = claim(
    "x3.bernoulli.variance", f"{BEYOND}; Sec. 2.1, sigma for 0/1 rewards",
    Eq(_sigma2(p, s_a, s_b, s_a * (1 - s_a), s_b * (1 - s_b)), MU_AB * (1 - MU_AB)),
    uses=[variance],
    prose="For Bernoulli rewards the reward of an output drawn from pi is Bernoulli(mu) with "
          "mu = pi(a) s_a + pi(b) s_b, so sigma(pi)^2 = mu (1 - mu) <= 1/4.")

S_B = u_bern * (1 - gamma)
S_A = S_B + gamma
MU_Q, ONE_MINUS_MU_Q = S_B + q * gamma, (1 - u_bern) * (1 - gamma) + (1 - q) * gamma


def _sigma_bernoulli(x):
    """sigma(pi) = sqrt(mu (1 - mu)) at pi(a) = x, with mu and 1 - mu written visibly >= 0."""
    return sqrt(MU_Q.subs(q, x) * ONE_MINUS_MU_Q.subs(q, x))


SIGMA_BERN = _sigma_bernoulli(p)
MU_P = MU_Q.subs(q, p)
D_ON_BERN = sp.Derivative(_objective(S_A, S_B, _sigma_bernoulli), p).subs(q, p)
P14_GAP = sp.Add(p, sp.Mul(S.Half, sp.Add(sqrt(DISC), beta / gamma - 1), evaluate=False),
                 evaluate=False)               # p minus the negative root of (14)'s quadratic
ONE_MINUS_SIGMA = ((MU_P - S.Half)**2 + Rational(3, 4)) / (1 + SIGMA_BERN)   # 1 - sigma > 0
BIAS_ROWS = ((Fraction(9, 10), Fraction(1, 10), Fraction(1, 10), Fraction(1)),
             (Fraction(3, 5), Fraction(1, 2), Fraction(1, 100), Fraction(1, 25)),
             (Fraction(1, 2), Fraction(2, 5), Fraction(1, 2), Fraction(3)))


def _more_biased_check(dps: int) -> tuple[bool, str]:
    """The numeric API: G = inf gives the larger pi_theta(a) for Bernoulli rewards."""
    from grpo_sym.numeric import stationary_policy

    rows, ok = [], True
    for sa, sb, fv, bv in BIAS_ROWS:
        p2, _ = stationary_policy([fv, 1 - fv], _bernoulli(sa, sb), bv, group_size=2, dps=30)
        pinf, _ = stationary_policy([fv, 1 - fv], _bernoulli(sa, sb), bv, group_size=math.inf,
                                    dps=30)
        ok = ok and pinf > p2
        rows.append(f"s = ({sa}, {sb}), pi_ref(a) = {fv}, beta = {bv}: G = 2 "
                    f"{mpmath.nstr(p2, 8)} < G = inf {mpmath.nstr(pinf, 8)}")
    return ok, "; ".join(rows)


claim(
    "x3.large.more-biased.corrected", f"{BEYOND}; Sec. 2.3.1, after (15)",
    Gt(p, root14), given=Eq(D_ON_BERN, 0),
    proof=Certificate(
        p * (1 - p) * ONE_MINUS_SIGMA / (SIGMA_BERN * P14_GAP),
        premise_multiple=-p * (1 - p) / (gamma * P14_GAP),
        why="p - (14) = q(p)/(p - x_-) with q(x) = x^2 - (1 - c) x - c f, c = beta/gamma, and "
            "x_- <= 0 its other root; at a stationary p, beta (p - f) = p (1 - p) gamma/sigma "
            "(Delta = gamma), so q(p) = p (1 - p)(1/sigma - 1) and 1 - sigma = (1 - mu + mu^2)/"
            "(1 + sigma) > 0"),
    corrects=more_biased_printed, uses=[bern_margin, bern_variance, eq14],
    numeric=_more_biased_check,
    prose="For Bernoulli (0/1 verifier) rewards, noisy or not, large groups are more biased than "
          "groups of two, as printed: the large-group pi_theta(a) exceeds (14) with "
          "gamma = s_a - s_b, since the effective margin Delta/sigma >= 2 Delta > gamma.")

# -- the two lower bounds compared: p_- (large groups) against 1 - beta/gamma (groups of two) --

SKEW_GAP = {gap: _ma - _mb, v_a: _va, v_b: SKEW[v_b]}
bounds_printed = claim(
    "x3.large.bounds-compared", f"{BEYOND}; Sec. 2.3.1, last paragraph",
    Gt(P_MINUS.xreplace(SKEW_GAP), 1 - beta / GAMMA_SKEW),
    proof=Witness({w_skew: Rational(1, 10), l_skew: 3, beta: Rational(1, 2)},
                  "a = 1 always, b = 4 w.p. 1/10 (else 0): Delta = 3/5, v_b = 36/25, "
                  "gamma = 4/5; beta = 1/2: p_- = 0 against 1 - beta/gamma = 3/8"),
    expected="refuted", conditions=[Gt(_ma - _mb, 0), Gt(GAMMA_SKEW, 0)],
    uses=[REGISTRY["s2.3.1.pairs.lower-bound.margin"]],
    prose="'The lower bound for large groups is larger than the one for groups of two' fails "
          "with stochastic rewards: for a = 1 always against b = 4 w.p. 1/10 (else 0) and "
          "beta = 1/2 the large-group bound p_- is 0 and the pair bound 1 - beta/gamma is 3/8.")

BERN_GAP = {gap: gamma, v_a: S_A * (1 - u_bern) * (1 - gamma),
            v_b: S_B * sp.Add(1 - u_bern, u_bern * gamma, evaluate=False)}   # s (1 - s) >= 0
X0 = 1 - beta / gamma                                            # the pair bound
MU_X0 = S_B + gamma - beta                                       # mu at pi(a) = 1 - beta/gamma
_A_B = A_Q.xreplace(BERN_GAP)
claim(
    "x3.large.bounds-compared.corrected", f"{BEYOND}; Sec. 2.3.1, last paragraph",
    Gt(P_MINUS.xreplace(BERN_GAP), X0),
    proof=Certificate(
        beta**2 * ((MU_X0 - S.Half)**2 + Rational(3, 4))
        / (_A_B * sp.Add(beta / gamma, lemma_instance(upper_root, BERN_GAP), evaluate=False)),
        lemmas={upper_root: [BERN_GAP]},
        why="p_- - x0 = Q(x0)/(A (p_+ - x0)) at x0 = 1 - beta/gamma, where (1 - x0) gamma = beta "
            "gives Q(x0) = beta^2 (1 - mu (1 - mu)) > 0, and p_+ - x0 = beta/gamma + (p_+ - 1)"),
    corrects=bounds_printed, uses=[bern_margin, bern_variance, noise_root],
    prose="For Bernoulli rewards, noisy or not, the large-group bound p_- exceeds the pair bound "
          "1 - beta/gamma (gamma = s_a - s_b), as printed for deterministic rewards.")
