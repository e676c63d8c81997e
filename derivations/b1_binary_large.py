"""Section 2.3.1 and Appendix B.1 -- binary questions, the limit of large groups: (18), (19), (15).

A question with two answers a and b and deterministic rewards r(a), r(b); p = pi_theta(a),
q = pi_old(a), f = pi_ref(a).  Every line of Appendix B.1 "The limit of large group size" is a
claim, and so is every property Section 2.3.1 states for (15).

* **The rewards** (``b1.large.centred.*``, ``b1.large.variance``, ``b1.large.normalised.*``):
  the three displays and the two normalised forms, for real r(a) != r(b), by substitution
  (variance, centring, (r(a) - r(b))/|r(a) - r(b)| = sign).
* **(18) is misprinted** (``eq18``, refuted): the coefficient of pi_theta(a) is printed
  1/sqrt(pi_old(a)); it is 1/sqrt(pi_old(a)(1 - pi_old(a))) (``eq18.corrected``), the one the
  objective displayed next uses.  Witness r(a) = 1, r(b) = 0, q = 1/2, p = 1/4: -1/2 against
  -0.646.
* **J, its derivative, (19)**: J = R_infinity (corrected (18)) - beta KL_0 differs from the
  printed display by a constant free of p (``b1.large.objective``); differentiate -> pi_old =
  pi_theta -> set to zero -> multiply by -p (1 - p) -> beta (p - f) = sqrt(p (1 - p))
  sign(r(a) - r(b)) (``b1.large.stationarity``), (19) for r(a) > r(b) (``eq19``, premise: the
  on-policy derivative vanishes) and p = f for a tie (``b1.large.tie``).
* **The quadratic and (15)**.  Squaring (19) is an implication only: the quadratic is
  (beta (p - f) - sqrt(p (1 - p)))(beta (p - f) + sqrt(p (1 - p))), so every solution of (19)
  solves it (``b1.large.quadratic``), but its other root solves beta (p - f) = -sqrt(p (1 - p))
  instead (``b1.large.quadratic.other-root``: the printed "equivalent" is loose).  (19) forces
  p > f (``b1.large.eq19.above-reference``), which selects (15) (``eq15``, the other root lies
  below f); conversely (15) solves (19) itself (``b1.large.eq15-solves-eq19``), through
  1 - p* = (2 beta (1 - f)/(1 + sqrt(D)))^2 p* and sqrt(x^2) = x for x > 0.
* **Properties of (15)** (``s2.3.1.large.*``): the bound max{1/(1 + beta^2), pi_ref(a)}; the jump
  at pi_ref(a) = 0 (limit 1/(1 + beta^2) > 0 for every beta > 0); continuity at 1;
  1/(1 + beta^2) > 1 - beta; strictly decreasing in beta (from 1 at 0+ to pi_ref(a) at oo),
  strictly increasing in pi_ref(a); and "more biased towards the reward preference than
  groups of two": (15) > (14) at gamma = 1 for EVERY beta > 0 and pi_ref(a) in (0, 1), since
  (14)'s quadratic x^2 - (1 - beta) x - beta f equals s (1 - s) > 0 at x = (15),
  s = sqrt((15)(1 - (15))).  The four stable formulas of the numeric API equal (15) and 1 - (15).
* **Is (15) a maximiser?**  The paper calls pi_theta* stationary when it *maximises*
  J(.; pi_old = pi_theta*).  With pi_old frozen at p* = (15):
  J(pi_ref(a)) - J(p*) = beta KL(Ber(p*) || Ber(pi_ref(a))) - 1/beta exactly
  (``s2.3.1.large.maximiser.gap-at-pi-ref``), so p* is NOT the global maximiser whenever
  beta^2 KL(p* || pi_ref(a)) > 1 -- for every beta > 0 once pi_ref(a) is small enough
  (``s2.3.1.large.maximiser`` refuted at beta = 1, pi_ref(a) = 1/1000).  p* is not even always a
  local maximum: -J''(p*; p*) = beta (p* - f)((beta^2 + 4) p* - beta^2 f - 2)/(p*^2 (1 - p*)^2)
  and, for f <= 1/2, (beta^2 + 4) p* - beta^2 f - 2 has the sign of
  4 - 2 beta^2 + beta^2 f (1 - f)(beta^2 + 16) (``s2.3.1.large.local-maximum.criterion``): a strict
  local MINIMUM where f (1 - f) < 2 (beta^2 - 2)/(beta^2 (beta^2 + 16)), e.g. beta = 3,
  pi_ref(a) = 1/1000 (``s2.3.1.large.local-maximum``, refuted).  Proved instead: a strict local
  maximum for every pi_ref(a) when beta <= sqrt 2 (sharp), and the global maximiser for
  every beta when pi_ref(a) >= 1/2 (``s2.3.1.large.maximiser.corrected``, by MinimumAt in the
  coordinates q = f + (1 - f) t of the stationary point, beta = sqrt(q (1 - q))/(q - f)).
  Numerically (mpmath, 25-30 digits, every critical point of J(.; p*) on (0, 1) located by
  sign changes of J' and bisection): p* is the global maximiser iff pi_ref(a) >= f_crit(beta),
  with f_crit = 1.3e-44 at beta = 0.1, 4.3e-12 at 0.2, 4.0e-6 at 0.3, 0.0037 at 0.5, 0.048 at
  1, 0.070 at 1.5, 0.0741 at 2 (about its maximum), 0.068 at 3, 0.051 at 5, 0.030 at 10,
  0.0034 at 100; for beta <= 1 the sufficient condition beta^2 KL(p* || f) > 1 is within 3% of
  f_crit (the competing maximum sits near p = pi_ref(a)).

Engine notes.  Identities with the radical sqrt(D) of (15) are slow in ``prove_zero`` (its
positive parametrisation runs before cancel), so they are split into small lemmas and used by
substitution; sqrt((15)(1 - (15))) is simplified by specialising sqrt(x^2) = x at a visibly
positive x (a chain specialisation, whose value the engine does not check to lie in the
domain).  ``take_root(select="condition")`` needs the condition p >= pi_ref(a) to hold at every
solution: ``b1.large.eq19.above-reference`` proves it under the same premise.
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, Max, Rational, S, log, oo, sqrt

import grpo_sym.derivations.s2_1_reward_preference  # noqa: F401  (registers R_infinity, K = 2)
from grpo_sym.derivations.s2_2_penalty import expected_penalty
from grpo_sym.grpo.penalty import kl0
from grpo_sym.grpo.preference import large_group_preference, reward_std
from grpo_sym.grpo.symbols import beta, pi_old_a as q, pi_ref_a as f, pi_theta_a as p
from grpo_sym.numeric.binary import (eq14_a_small_c, eq15_a_large_beta,
                                     eq15_a_small_beta, eq15_b_large_beta, eq15_b_small_beta)
from grpo_sym.numeric.symbolic import SymbolicBackend
from grpo_sym.proof import (REGISTRY, Certificate, Eq, Ge, Gt, Lt, MaxOfBounds, MinimumAt, Ne,
                            Witness, chain, claim, variable)

Limit_ = sp.Limit  # unevaluated: the engine computes it (limit and gruntz)
POSITIVE = Interval.open(0, oo)

# ======================================================================================
# The rewards of a binary question: centring, variance, normalisation
# ======================================================================================

r_a = variable("b1l_r_a", S.Reals, latex=r"r(a\mid q)")
r_b = variable("b1l_r_b", S.Reals, latex=r"r(b\mid q)")
r_gap = variable("b1l_r_gap", POSITIVE, latex=r"r(a\mid q) - r(b\mid q)")
REWARDS = (r_a, r_b)
OLD = (q, 1 - q)
distinct = Ne(r_a, r_b)

mean_old = q * r_a + (1 - q) * r_b                 # E_{o ~ pi_old}[r(o)]
mean_theta = p * r_a + (1 - p) * r_b               # E_{o ~ pi_theta}[r(o)]
sigma = reward_std(OLD, REWARDS)                   # sigma(pi_old)
sign_ab = sp.sign(r_a - r_b)

centred_a = claim(
    "b1.large.centred.a", "App. B.1, the limit of large group size, first display",
    Eq(r_a - mean_old, (1 - q) * (r_a - r_b)),
    prose="r(a) - E_{o ~ pi_old}[r(o)] = (1 - pi_old(a)) (r(a) - r(b)).")

centred_b = claim(
    "b1.large.centred.b", "App. B.1, the limit of large group size, second display",
    Eq(r_b - mean_old, q * (r_b - r_a)),
    prose="r(b) - E_{o ~ pi_old}[r(o)] = pi_old(a) (r(b) - r(a)).")

variance = claim(
    "b1.large.variance", "App. B.1, the limit of large group size, third display",
    Eq(sigma**2, (r_a - r_b)**2 * q * (1 - q)),
    prose="sigma(pi_old)^2 = (r(a) - r(b))^2 pi_old(a) (1 - pi_old(a)) for deterministic "
          "rewards.")

sign_lemma = claim(
    "b1.large.sign", "App. B.1, the limit of large group size",
    Eq((r_a - r_b) / sp.Abs(r_a - r_b), sign_ab),
    conditions=[distinct],
    prose="(r(a) - r(b))/|r(a) - r(b)| = sign(r(a) - r(b)) when r(a) != r(b).")


def _normalised(o, centred, weight, target, why):
    """(r(o) - E_old[r])/sigma(pi_old) by substitution: variance, centre, sign."""
    root = sp.Abs(r_a - r_b) * sqrt(q) * sqrt(1 - q)
    return (chain(large_group_preference(o, REWARDS, OLD, sigma))
            .substitute(variance, "sigma = |r(a) - r(b)| sqrt(pi_old(a)(1 - pi_old(a)))")
            .substitute(centred, "centre the reward")
            .rewrite(weight * (r_a - r_b) / root, "collect r(a) - r(b)")
            .substitute(sign_lemma, "(r(a) - r(b))/|r(a) - r(b)| = sign(r(a) - r(b))")
            .rewrite(target, why))


normalised_a = claim(
    "b1.large.normalised.a", "App. B.1, the limit of large group size, fourth display",
    Eq(large_group_preference(0, REWARDS, OLD, sigma), sqrt((1 - q) / q) * sign_ab),
    proof=_normalised(0, centred_a, 1 - q, sqrt((1 - q) / q) * sign_ab,
                      "(1 - q)/sqrt(q (1 - q)) = sqrt((1 - q)/q)"),
    conditions=[distinct],
    prose="(r(a) - E_old[r])/sigma(pi_old) = sqrt((1 - pi_old(a))/pi_old(a)) "
          "sign(r(a) - r(b)) when r(a) != r(b) (for r(a) = r(b) it is 0/0).")

normalised_b = claim(
    "b1.large.normalised.b", "App. B.1, the limit of large group size, fifth display",
    Eq(large_group_preference(1, REWARDS, OLD, sigma), -sqrt(q / (1 - q)) * sign_ab),
    proof=_normalised(1, centred_b, -q, -sqrt(q / (1 - q)) * sign_ab,
                      "-q/sqrt(q (1 - q)) = -sqrt(q/(1 - q))"),
    conditions=[distinct],
    prose="(r(b) - E_old[r])/sigma(pi_old) = -sqrt(pi_old(a)/(1 - pi_old(a))) "
          "sign(r(a) - r(b)) when r(a) != r(b).")

# ======================================================================================
# (18): the reward preference of a large group, binary question
# ======================================================================================

R_inf = (mean_theta - mean_old) / sigma
eq18_printed_rhs = (p / sqrt(q) - sqrt(q / (1 - q))) * sign_ab
eq18_rhs = (p / sqrt(q * (1 - q)) - sqrt(q / (1 - q))) * sign_ab

eq18 = claim(
    "eq18", "App. B.1, (18)",
    Eq(R_inf, eq18_printed_rhs),
    proof=Witness({p: Rational(1, 4), q: Rational(1, 2), r_a: 1, r_b: 0},
                  "r(a) = 1, r(b) = 0, pi_old(a) = 1/2, pi_theta(a) = 1/4"),
    expected="refuted", conditions=[distinct],
    prose="As printed, (18) has the coefficient 1/sqrt(pi_old(a)) for pi_theta(a): at "
          "pi_old(a) = 1/2, pi_theta(a) = 1/4, r(a) > r(b) the left side is -1/2 but the "
          "printed right side is sqrt(2)/4 - 1 = -0.646.")

eq18_corrected = claim(
    "eq18.corrected", "App. B.1, (18)",
    Eq(R_inf, eq18_rhs),
    proof=chain(R_inf)
    .rewrite((p - q) * (r_a - r_b) / sigma, "E_theta[r] - E_old[r] = (pi_theta(a) - pi_old(a)) "
             "(r(a) - r(b))")
    .substitute(variance, "sigma = |r(a) - r(b)| sqrt(pi_old(a)(1 - pi_old(a)))")
    .substitute(sign_lemma, "(r(a) - r(b))/|r(a) - r(b)| = sign(r(a) - r(b))")
    .rewrite(eq18_rhs, "split (pi_theta(a) - pi_old(a))/sqrt(pi_old(a)(1 - pi_old(a)))"),
    conditions=[distinct], corrects=eq18,
    uses=[REGISTRY["s2.1.large.r-infinity.k2"]],
    prose="(E_theta[r] - E_old[r])/sigma(pi_old) = (pi_theta(a)/sqrt(pi_old(a)(1 - pi_old(a))) "
          "- sqrt(pi_old(a)/(1 - pi_old(a)))) sign(r(a) - r(b)), the coefficient the objective "
          "displayed next uses.")

# ======================================================================================
# The objective J(pi_theta(a)), its derivative, the stationarity condition, (19)
# ======================================================================================

_pb, _fb, _qb = sp.symbols("b1l_pb b1l_fb b1l_qb", positive=True)   # placeholders for 1 - x
KL0 = kl0((p, _pb), (f, _fb), (q, _qb)).xreplace({_pb: 1 - p, _fb: 1 - f, _qb: 1 - q})
J = eq18_rhs - beta * KL0                 # R_infinity (18, corrected) - beta KL_0
coefficient = sign_ab / sqrt(q * (1 - q))
J_printed = coefficient * p - beta * (q * f / p + (1 - q) * (1 - f) / (1 - p) + q * log(p)
                                      + (1 - q) * log(1 - p))
J_constant = -sign_ab * sqrt(q / (1 - q)) + beta * (q * log(f) + (1 - q) * log(1 - f) + 1)

objective = claim(
    "b1.large.objective", "App. B.1, the objective after (18)",
    Eq(J - J_printed, J_constant),
    uses=[eq18_corrected, expected_penalty[2]],
    prose="J = R_infinity - beta KL_0(pi_theta || pi_ref; pi_old), with R_infinity the corrected "
          "(18), is the printed display plus a constant free of pi_theta(a): "
          "-sign(r(a) - r(b)) sqrt(q/(1 - q)) + beta (q log f + (1 - q) log(1 - f) + 1).")

dJ = coefficient - beta * (-q * f / p**2 + (1 - q) * (1 - f) / (1 - p)**2 + q / p
                           - (1 - q) / (1 - p))
derivative = claim(
    "b1.large.objective.derivative", "App. B.1, the objective after (18)",
    Eq(sp.Derivative(J, p), dJ),
    proof=chain(J).differentiate(p, "term by term", result=dJ),
    uses=[objective],
    prose="dJ/dpi_theta(a) = sign(r(a) - r(b))/sqrt(q (1 - q)) - beta (-q f/p^2 + "
          "(1 - q)(1 - f)/(1 - p)^2 + q/p - (1 - q)/(1 - p)) with p = pi_theta(a), "
          "q = pi_old(a), f = pi_ref(a).")

dJ_on_policy = sign_ab / sqrt(p * (1 - p)) - beta * (p - f) / (p * (1 - p))
D_ON = sp.Derivative(J, p).subs(q, p)      # dJ/dp at pi_old = pi_theta
on_policy = claim(
    "b1.large.objective.derivative.on-policy", "App. B.1, the display before (19)",
    Eq(D_ON, dJ_on_policy),
    proof=chain(derivative).substitute({q: p}, "differentiate first, then set pi_old = pi_theta")
    .rewrite(Eq(D_ON, dJ_on_policy), "combine the four fractions over p^2 (1 - p)^2"),
    prose="At pi_old = pi_theta the derivative is sign(r(a) - r(b))/sqrt(p (1 - p)) - "
          "beta (p - pi_ref(a))/(p (1 - p)), as printed.")

stationarity_relation = Eq(beta * (p - f), sqrt(p * (1 - p)) * sign_ab)
stationarity = claim(
    "b1.large.stationarity", "App. B.1, the display before (19)",
    stationarity_relation, given=Eq(D_ON, 0),
    proof=chain(D_ON).set_to_zero("a stationary policy: the on-policy derivative vanishes")
    .substitute(on_policy, "the on-policy derivative")
    .rewrite(Eq((sqrt(p * (1 - p)) * sign_ab - beta * (p - f)) / (p * (1 - p)), 0),
             "over the common denominator p (1 - p)")
    .multiply_both_sides(-p * (1 - p), "-p (1 - p) != 0")
    .rearrange(stationarity_relation, "move beta (p - f) across"),
    prose="Setting the on-policy derivative to zero gives beta (pi_theta(a) - pi_ref(a)) = "
          "sqrt(pi_theta(a)(1 - pi_theta(a))) sign(r(a) - r(b)).")

BETTER_A = {r_a: r_b + r_gap}               # r(a) > r(b): sign(r(a) - r(b)) = 1
TIE = {r_a: r_b}                            # r(a) = r(b): sign(0) = 0
D_ON_A, D_ON_TIE = D_ON.subs(BETTER_A), D_ON.subs(TIE)

on_policy_a = claim(
    "b1.large.objective.derivative.on-policy.a-better", "App. B.1, (19)",
    on_policy.statement.subs(BETTER_A),
    proof=chain(on_policy).substitute(BETTER_A, "r(a) = r(b) + d with d > 0"),
    prose="For r(a) > r(b) the on-policy derivative is 1/sqrt(p (1 - p)) - beta (p - f)/"
          "(p (1 - p)).")

on_policy_tie = claim(
    "b1.large.objective.derivative.on-policy.tie", "App. B.1, after the display before (19)",
    on_policy.statement.subs(TIE),
    proof=chain(on_policy).substitute(TIE, "r(a) = r(b): sign(0) = 0"),
    prose="For r(a) = r(b) the reward term is 0 (sign(0) = 0; sigma(pi_old) = 0 and the "
          "advantages are 0 by the convention 0/0 := 0) and the on-policy derivative is "
          "-beta (p - f)/(p (1 - p)).")

eq19_relation = Eq(beta * (p - f), sqrt(p * (1 - p)))
stationary_a = Eq(D_ON_A, 0)
eq19 = claim(
    "eq19", "App. B.1, (19)",
    eq19_relation, given=stationary_a,
    proof=chain(D_ON_A).set_to_zero("a stationary policy with r(a) > r(b)")
    .substitute(on_policy_a, "the on-policy derivative, sign(r(a) - r(b)) = 1")
    .rewrite(Eq((sqrt(p * (1 - p)) - beta * (p - f)) / (p * (1 - p)), 0),
             "over the common denominator p (1 - p)")
    .multiply_both_sides(-p * (1 - p), "-p (1 - p) != 0")
    .rearrange(eq19_relation, "move beta (p - f) across"),
    prose="If r(a) > r(b), a stationary pi_theta(a) satisfies beta (pi_theta(a) - pi_ref(a)) "
          "= sqrt(pi_theta(a)(1 - pi_theta(a))).")

tie = claim(
    "b1.large.tie", "Sec. 2.3.1 and App. B.1, r(a) = r(b)",
    Eq(p, f), given=Eq(D_ON_TIE, 0),
    proof=chain(D_ON_TIE).set_to_zero("the on-policy derivative vanishes")
    .substitute(on_policy_tie, "the on-policy derivative in a tie")
    .multiply_both_sides(-p * (1 - p) / beta, "non-zero")
    .rearrange(Eq(p, f)),
    prose="If r(a) = r(b) the on-policy derivative -beta (p - f)/(p (1 - p)) vanishes only at "
          "pi_theta(a) = pi_ref(a): pi_theta = pi_ref.")

above_reference = claim(
    "b1.large.eq19.above-reference", "App. B.1, after (19)",
    Eq(p - f, sqrt(p * (1 - p)) / beta), given=stationary_a,
    proof=chain(eq19).divide_both_sides(beta, "beta > 0"),
    prose="By (19) pi_theta(a) - pi_ref(a) = sqrt(pi_theta(a)(1 - pi_theta(a)))/beta > 0: a "
          "stationary pi_theta(a) lies above pi_ref(a).")

# ======================================================================================
# The quadratic and (15)
# ======================================================================================

half_root = sqrt(p * (1 - p))
quadratic_expr = (1 + beta**2) * p**2 - (2 * beta**2 * f + 1) * p + beta**2 * f**2
factorised = (beta * (p - f) - half_root) * (beta * (p - f) + half_root)
quadratic = claim(
    "b1.large.quadratic", "App. B.1, after (19)",
    Eq(quadratic_expr, 0), given=stationary_a,
    proof=chain(quadratic_expr)
    .rewrite(factorised, "a difference of squares: (beta (p - f))^2 - p (1 - p)")
    .substitute(eq19, "(19): the first factor vanishes"),
    prose="Every solution of (19) solves (1 + beta^2) p^2 - (2 beta^2 pi_ref(a) + 1) p + "
          "beta^2 pi_ref(a)^2 = 0, which is (beta (p - f) - sqrt(p (1 - p)))(beta (p - f) + "
          "sqrt(p (1 - p))): squaring (19) is an implication only.")

claim(
    "b1.large.quadratic.at-zero-reference", "App. B.1, after (19) (pi_ref(a) = 0)",
    Eq(quadratic_expr.subs(f, 0), (1 + beta**2) * p * (p - 1 / (1 + beta**2))),
    prose="At pi_ref(a) = 0 the quadratic is (1 + beta^2) p (p - 1/(1 + beta^2)): roots 0 and "
          "1/(1 + beta^2).")

claim(
    "b1.large.eq19.at-zero-reference", "App. B.1, (19) (pi_ref(a) = 0)",
    Eq((beta * p).subs(p, 1 / (1 + beta**2)), sqrt(p * (1 - p)).subs(p, 1 / (1 + beta**2))),
    prose="Both roots satisfy (19) at pi_ref(a) = 0: beta p = sqrt(p (1 - p)) holds at p = 0 "
          "and at p = 1/(1 + beta^2) (where both sides are beta/(1 + beta^2)); (15) gives the "
          "latter, the paper's support convention the former.")

claim(
    "b1.large.quadratic.other-root", "App. B.1, after (19) ('equivalent')",
    Ne(beta * (p - f), half_root),
    proof=Witness({beta: 1, f: Rational(1, 2), p: (2 - sqrt(2)) / 4},
                  "beta = 1, pi_ref(a) = 1/2: the roots are (2 +- sqrt 2)/4"),
    quantifier="exists", conditions=[Eq(quadratic_expr, 0)],
    prose="The quadratic is not equivalent to (19), as printed: its other root solves "
          "beta (p - f) = -sqrt(p (1 - p)) instead (beta = 1, pi_ref(a) = 1/2, "
          "p = (2 - sqrt 2)/4 < pi_ref(a)); (19) itself forces p >= pi_ref(a).")

at_least_reference = claim(
    "b1.large.eq19.at-least-reference", "App. B.1, after (19)",
    Ge(p, f), given=stationary_a,
    proof=Certificate(sqrt(p * (1 - p)) / beta, premise_multiple=-p * (1 - p) / beta,
                      why="by (19), p - pi_ref(a) = sqrt(p (1 - p))/beta >= 0"),
    uses=[above_reference],
    prose="A stationary pi_theta(a) is at least pi_ref(a): the condition that picks the root "
          "of the quadratic.")

R = sqrt(1 + 4 * beta**2 * f * (1 - f))
P = (2 * beta**2 * f + 1 + R) / (2 * (1 + beta**2))      # (15)
other_root = (2 * beta**2 * f + 1 - R) / (2 * (1 + beta**2))
above_cert = (1 - 2 * f + R) / (2 * (1 + beta**2))      # (15) - pi_ref(a), visibly >= 0
below_cert = (R - (1 - 2 * f)) / (2 * (1 + beta**2))    # pi_ref(a) - other root, visibly > 0

eq15 = claim(
    "eq15", "Sec. 2.3.1, (15); App. B.1",
    Eq(p, P), given=stationary_a,
    proof=chain(quadratic).take_root(
        p, P, "condition",
        "by (19) p >= pi_ref(a) (b1.large.eq19.above-reference); (15) satisfies it, the other "
        "root (2 beta^2 f + 1 - sqrt(D))/(2 (1 + beta^2)) lies below pi_ref(a)",
        condition=Ge(p, f), certificate=(above_cert, below_cert),
        justified_by=at_least_reference),
    prose="If r(a) > r(b), a stationary pi_theta(a) is (2 beta^2 pi_ref(a) + 1 + sqrt(1 + "
          "4 beta^2 pi_ref(a)(1 - pi_ref(a))))/(2 (1 + beta^2)): the root of the quadratic "
          "that lies above pi_ref(a).")

one_minus_P = claim(
    "b1.large.eq15.complement", "Sec. 2.3.1, (15)",
    Eq(1 - P, 4 * beta**2 * (1 - f)**2 * P / (1 + R)**2),
    prose="1 - (15) = 4 beta^2 (1 - pi_ref(a))^2 (15)/(1 + sqrt(D))^2, "
          "D = 1 + 4 beta^2 pi_ref(a)(1 - pi_ref(a)).")

above_product = claim(
    "b1.large.eq15.above-reference", "Sec. 2.3.1, (15)",
    Eq(2 * beta * (1 - f) * P / (1 + R), beta * (P - f)),
    prose="beta ((15) - pi_ref(a)) = 2 beta (1 - pi_ref(a)) (15)/(1 + sqrt(D)), a product of "
          "positive factors.")

x_pos = variable("b1l_x", POSITIVE, latex="x")
positive_root = claim(
    "b1.large.positive-root", "App. B.1, (19)",
    Eq(sp.Pow(x_pos**2, S.Half, evaluate=False), x_pos),
    prose="sqrt(x^2) = x for every x > 0.")

ROOT_FACTOR = 2 * beta * (1 - f) * P / (1 + R)     # beta ((15) - pi_ref(a)), as a product
root_of_square = claim(
    "b1.large.eq15.root-of-square", "App. B.1, (19) and (15)",
    positive_root.statement.subs(x_pos, ROOT_FACTOR),
    proof=chain(positive_root).substitute(
        {x_pos: ROOT_FACTOR}, "x = 2 beta (1 - f)(15)/(1 + sqrt(D)): beta, 1 - f, (15) and "
        "1 + sqrt(D) are positive, so x > 0"),
    prose="sqrt(x^2) = x at x = 2 beta (1 - pi_ref(a))(15)/(1 + sqrt(D)) > 0.")

solves_eq19 = claim(
    "b1.large.eq15-solves-eq19", "App. B.1, (19) and (15)",
    Eq(sqrt(P * (1 - P)), beta * (P - f)),
    proof=chain(sqrt(P * (1 - P)))
    .substitute(one_minus_P, "1 - (15) = (2 beta (1 - f)/(1 + sqrt(D)))^2 (15)")
    .substitute(root_of_square, "the square root of the square of a positive number")
    .substitute(above_product, "2 beta (1 - f)(15)/(1 + sqrt(D)) = beta ((15) - f)"),
    prose="Conversely (15) satisfies (19): sqrt((15)(1 - (15))) = beta ((15) - pi_ref(a)); "
          "with r(a) > r(b) it is the stationary policy, and the only one (eq15).")

# ======================================================================================
# Properties of (15) (Sec. 2.3.1)
# ======================================================================================

bound_ref = claim(
    "s2.3.1.large.lower-bound.pi-ref", "Sec. 2.3.1, display after (15)",
    Ge(P, f),
    proof=Certificate(above_cert, "(15) - f = (1 - 2f + sqrt(D))/(2 (1 + beta^2)) and "
                      "D - (1 - 2f)^2 = 4 f (1 - f)(1 + beta^2) >= 0"),
    prose="(15) >= pi_ref(a).")

bound_beta = claim(
    "s2.3.1.large.lower-bound.beta", "Sec. 2.3.1, display after (15)",
    Ge(P, 1 / (1 + beta**2)),
    proof=MinimumAt(f, 0, f * beta**2 * (1 - 2 * f + R) / ((1 + beta**2) * R),
                    "(15) increases in pi_ref(a) (d(15)/df = beta^2 (1 - 2f + sqrt(D))/((1 + "
                    "beta^2) sqrt(D)) >= 0) from its limit 1/(1 + beta^2) at pi_ref(a) -> 0+"),
    prose="(15) >= 1/(1 + beta^2): (15) increases in pi_ref(a) from 1/(1 + beta^2) at 0+.")

claim(
    "s2.3.1.large.lower-bound", "Sec. 2.3.1, display after (15)",
    Ge(P, Max(1 / (1 + beta**2), f)),
    proof=MaxOfBounds(bound_beta, bound_ref),
    prose="(15) >= max{1/(1 + beta^2), pi_ref(a)}, as printed: close to 1 for small beta, "
          "whatever pi_ref(a) is.")

claim(
    "s2.3.1.large.discontinuous-at-zero", "Sec. 2.3.1, after (15)",
    Eq(Limit_(P, f, 0, "+"), 1 / (1 + beta**2)),
    prose="As pi_ref(a) -> 0+, (15) -> 1/(1 + beta^2) > 0 while pi_theta(a) = 0 at "
          "pi_ref(a) = 0 (support): a jump of 1/(1 + beta^2) for every beta > 0, as printed.")

claim(
    "s2.3.1.large.continuous-at-one", "Sec. 2.3.1, after (15)",
    Eq(Limit_(P, f, 1, "-"), 1),
    prose="As pi_ref(a) -> 1-, (15) -> 1: no jump at the other end.")

claim(
    "s2.3.1.large.limit-small-beta", "Sec. 2.3.1, after (15)",
    Eq(Limit_(P, beta, 0, "+"), 1),
    prose="(15) -> 1 as beta -> 0+.")

claim(
    "s2.3.1.large.limit-large-beta", "Sec. 2.3.1, after (15)",
    Eq(Limit_(P, beta, oo), f),
    prose="(15) -> pi_ref(a) as beta -> oo.")

claim(
    "s2.3.1.large.bounds-compared", "Sec. 2.3.1, last paragraph",
    Gt(1 / (1 + beta**2), 1 - beta),
    proof=Certificate(beta * ((beta - Rational(1, 2))**2 + Rational(3, 4)) / (1 + beta**2),
                      "1/(1 + beta^2) - (1 - beta) = beta (beta^2 - beta + 1)/(1 + beta^2)"),
    prose="1/(1 + beta^2) > 1 - beta for every beta > 0, as printed: the bound for large "
          "groups exceeds the bound for groups of two (deterministic rewards, gamma = 1).")

# -- more biased towards the reward preference than groups of two ----------------------

P14 = eq14_a_small_c(f, beta, SymbolicBackend)         # (14) at gamma = 1 (c = beta)
ROOT14 = sqrt((1 - beta)**2 + 4 * beta * f)
HALF = Rational(1, 2)
S_VIS = beta * above_cert                               # beta ((15) - f) = sqrt((15)(1 - (15)))
ONE_MINUS_S = HALF + (1 - beta + 2 * beta * f)**2 / (
    2 * ((beta - HALF)**2 + Rational(3, 4) + 2 * beta * f + beta * R))
OTHER14_GAP = P + 2 * beta * f / (ROOT14 + 1 - beta)   # (15) minus the other root of (14)'s
claim(
    "s2.3.1.large.more-biased", "Sec. 2.3.1, after (15)",
    Gt(P, P14),
    proof=Certificate(
        S_VIS * ONE_MINUS_S / OTHER14_GAP,
        "with p* = (15) and s = beta (p* - f) = sqrt(p* (1 - p*)) ((19)), (14)'s quadratic "
        "h(x) = x^2 - (1 - beta) x - beta f is s - s^2 = s (1 - s) > 0 at p*, so "
        "p* - (14) = h(p*)/(p* - x_-) > 0, x_- <= 0 its other root; 1 - s = 1/2 + (1 - beta "
        "+ 2 beta f)^2/(2 ((beta - 1/2)^2 + 3/4 + 2 beta f + beta sqrt(D))) > 1/2"),
    uses=[solves_eq19],
    prose="(15) > (14) at gamma = 1 for every beta > 0 and pi_ref(a) in (0, 1), as printed "
          "('more biased towards the reward preference than groups of two'): (14)'s quadratic "
          "x^2 - (1 - beta) x - beta f equals s (1 - s) > 0 at x = (15), "
          "s = sqrt((15)(1 - (15))).")

D_BETA = -beta * (1 - 2 * f + R)**2 / (2 * (1 + beta**2)**2 * R)
d_beta = claim(
    "s2.3.1.large.derivative.beta", "Sec. 2.3.1, after (15)",
    Eq(sp.Derivative(P, beta), D_BETA),
    proof=chain(P).differentiate(beta, result=D_BETA),
    prose="d(15)/dbeta = -beta (1 - 2f + sqrt(D))^2/(2 (1 + beta^2)^2 sqrt(D)), "
          "D = 1 + 4 beta^2 f (1 - f).")

claim(
    "s2.3.1.large.decreasing-in-beta", "Sec. 2.3.1, after (15)",
    Lt(D_BETA, 0),
    proof=Certificate(-D_BETA, "a square over positive factors; 1 - 2f + sqrt(D) > 0"),
    uses=[d_beta],
    prose="d(15)/dbeta < 0: (15) strictly decreases in beta, from 1 (beta -> 0) to pi_ref(a) "
          "(beta -> oo).")

D_F = beta**2 * (1 - 2 * f + R) / ((1 + beta**2) * R)
d_f = claim(
    "s2.3.1.large.derivative.pi-ref", "Sec. 2.3.1, after (15)",
    Eq(sp.Derivative(P, f), D_F),
    proof=chain(P).differentiate(f, result=D_F),
    prose="d(15)/dpi_ref = beta^2 (1 - 2f + sqrt(D))/((1 + beta^2) sqrt(D)).")

claim(
    "s2.3.1.large.increasing-in-pi-ref", "Sec. 2.3.1, after (15)",
    Gt(D_F, 0),
    proof=Certificate(D_F, "1 - 2f + sqrt(D) > 0"),
    uses=[d_f],
    prose="d(15)/dpi_ref > 0: (15) strictly increases in pi_ref(a).")

# ======================================================================================
# The stable forms the float code evaluates (grpo_sym.numeric.binary)
# ======================================================================================

for _name, _fn, _target in (("a-small-beta", eq15_a_small_beta, P),
                            ("a-large-beta", eq15_a_large_beta, P),
                            ("b-small-beta", eq15_b_small_beta, 1 - P),
                            ("b-large-beta", eq15_b_large_beta, 1 - P)):
    claim(
        f"s2.3.1.large.stable.{_name}", "Sec. 2.3.1, (15) (numeric API)",
        Eq(_fn(f, beta, SymbolicBackend), _target),
        prose=f"grpo_sym.numeric.binary.eq15_{_name.replace('-', '_')} (SymPy backend) equals "
              f"{'1 - ' if _name.startswith('b') else ''}(15) for every beta > 0.")

# ======================================================================================
# Is (15) a maximiser of J(.; pi_old = (15))?
# ======================================================================================

J_A = J_printed.subs(BETTER_A)                # the printed objective for r(a) > r(b)


def J_at(pp, qq):
    """The printed J(pi_theta(a) = pp; pi_old(a) = qq) for r(a) > r(b); J differs from it by a
    constant free of pi_theta(a) (b1.large.objective), so differences in pp are J's."""
    return J_A.xreplace({p: pp, q: qq})


solves_quadratic = claim(
    "b1.large.eq15-solves-quadratic", "App. B.1, (15)",
    Eq(quadratic_expr.subs(p, P), 0),
    proof=chain(quadratic_expr.subs(p, P)).expand("sqrt(D)^2 = D").together(result=0),
    prose="(15) solves the quadratic (1 + beta^2) p^2 - (2 beta^2 f + 1) p + beta^2 f^2 = 0.")

positive_root_reciprocal = claim(
    "b1.large.positive-root.reciprocal", "App. B.1, (19)",
    Eq(sp.Pow(sp.Pow(x_pos**2, S.Half, evaluate=False), -1, evaluate=False), 1 / x_pos),
    prose="1/sqrt(x^2) = 1/x for every x > 0.")

reciprocal_root = claim(
    "b1.large.eq15.reciprocal-root-of-square", "App. B.1, (18) and (19) at (15)",
    positive_root_reciprocal.statement.subs(x_pos, ROOT_FACTOR),
    proof=chain(positive_root_reciprocal).substitute(
        {x_pos: ROOT_FACTOR}, "x = 2 beta (1 - f)(15)/(1 + sqrt(D)) > 0, as above"),
    prose="1/sqrt(x^2) = 1/x at x = 2 beta (1 - pi_ref(a))(15)/(1 + sqrt(D)) > 0.")

coefficient_at_P = claim(
    "b1.large.eq15.coefficient", "App. B.1, (18) and (19) at (15)",
    Eq(1 / sqrt(P * (1 - P)), -1 / (beta * (f - P))),
    proof=chain(1 / sqrt(P * (1 - P)))
    .substitute(one_minus_P, "1 - (15) = (2 beta (1 - f)/(1 + sqrt(D)))^2 (15)")
    .substitute(reciprocal_root, "the square root of the square of a positive number")
    .rewrite(-1 / (beta * (f - P)), "2 beta (1 - f)(15)/(1 + sqrt(D)) = beta ((15) - f) "
             "(b1.large.eq15.above-reference)"),
    uses=[solves_eq19, above_product],
    prose="At pi_old(a) = (15) the coefficient of pi_theta(a) in (18) is "
          "1/sqrt(p* (1 - p*)) = 1/(beta (p* - pi_ref(a))), by (19).")

KL_P_F = P * (log(P) - log(f)) + (1 - P) * (log(1 - P) - log(1 - f))   # KL(Ber(p*) || Ber(f))
PENALTY_A = J_A.coeff(beta)                   # -(q f/p + ... + (1 - q) log(1 - p))
# J(f; p*) - J(p*; p*) written out, the coefficient 1/sqrt(p* (1 - p*)) kept as a factor
GAP_F = (sp.Mul(1 / sqrt(P * (1 - P)), f - P, evaluate=False)
         + beta * (PENALTY_A.xreplace({p: f, q: P}) - PENALTY_A.xreplace({p: P, q: P})))
maximiser_gap = claim(
    "s2.3.1.large.maximiser.gap-at-pi-ref",
    "Sec. 1.3 (stationary = maximiser); Sec. 2.3.1, (15)",
    Eq(GAP_F, beta * KL_P_F - 1 / beta),
    proof=chain(GAP_F)
    .substitute(coefficient_at_P, "(19) at p* = (15): 1/sqrt(p* (1 - p*)) = 1/(beta (p* - f))")
    .rewrite(beta * KL_P_F - 1 / beta, "the penalty terms give beta KL(p* || f); the reward "
             "term (f - p*)/(beta (p* - f)) = -1/beta"),
    uses=[objective],
    prose="With pi_old frozen at p* = (15), J(pi_ref(a)) - J(p*) = beta KL(Ber(p*) || "
          "Ber(pi_ref(a))) - 1/beta exactly: p* is beaten by pi_theta(a) = pi_ref(a) whenever "
          "beta^2 KL(p* || pi_ref(a)) > 1, which holds for every beta > 0 once pi_ref(a) is "
          "small enough (p* -> 1/(1 + beta^2) > 0 while log(1/pi_ref(a)) -> oo).")

maximiser_printed = claim(
    "s2.3.1.large.maximiser", "Sec. 1.3 (stationary = maximiser); Sec. 2.3.1, (15)",
    Ge(J_at(P, P) - J_at(p, P), 0),
    proof=Witness({beta: 1, f: Rational(1, 1000), p: Rational(1, 1000)},
                  "beta = 1, pi_ref(a) = 1/1000: p* = 0.501, beta^2 KL(p* || f) = 2.77 > 1"),
    expected="refuted", uses=[maximiser_gap],
    prose="(15) need not maximise J(.; pi_old = (15)), the paper's definition of a stationary "
          "policy: at beta = 1, pi_ref(a) = 1/1000, p* = 0.501 but J(1/1000) - J(p*) = "
          "beta KL - 1/beta = 1.77 > 0.")

# -- local: the second derivative at p* -------------------------------------------------


def D2_raw(x):
    """d^2 J/dp^2 (p; pi_old) at pi_old = p = x (the reward term is linear in p)."""
    return -beta * ((2 * f - x) / x**2 + (1 + x - 2 * f) / (1 - x)**2)


def L_fac(x):
    return (beta**2 + 4) * x - beta**2 * f - 2


D2_ON = sp.Derivative(J_A, (p, 2)).subs(q, p)
second = claim(
    "s2.3.1.large.second-derivative", "Sec. 1.3 (stationary = maximiser); Sec. 2.3.1, (15)",
    Eq(D2_ON, D2_raw(p)),
    proof=chain(J_A).differentiate(p).differentiate(p)
    .substitute({q: p}, "then set pi_old = pi_theta")
    .rewrite(D2_raw(p), "collect the four fractions in pairs"),
    prose="d^2J/dp^2 at pi_old = pi_theta = p is -beta ((2f - p)/p^2 + (1 + p - 2f)/(1 - p)^2) "
          "(the reward term of (18) is linear in p).")

second_factored = claim(
    "s2.3.1.large.second-derivative.factored", "Sec. 2.3.1, (15)",
    Eq(beta * ((p - f) * L_fac(p) - quadratic_expr) / (p**2 * (1 - p)**2), -D2_raw(p)),
    prose="-d^2J/dp^2 (p; p) = beta ((p - f)((beta^2 + 4) p - beta^2 f - 2) - Q(p))/(p^2 "
          "(1 - p)^2) with Q the quadratic of (15).")

second_at_P = claim(
    "s2.3.1.large.second-derivative.at-eq15", "Sec. 2.3.1, (15)",
    second_factored.statement.subs(p, P).subs(solves_quadratic.lhs, 0),
    proof=chain(second_factored).substitute({p: P}, "at p = p* = (15)")
    .substitute(solves_quadratic, "Q(p*) = 0"),
    prose="At p* = (15): -J''(p*; p*) = beta (p* - f)((beta^2 + 4) p* - beta^2 f - 2)/"
          "(p*^2 (1 - p*)^2), so p* is a strict local maximum of J(.; p*) iff "
          "(beta^2 + 4) p* > beta^2 f + 2, and a strict local minimum iff <.")

CRIT = 4 - 2 * beta**2 + beta**2 * f * (1 - f) * (beta**2 + 16)
claim(
    "s2.3.1.large.local-maximum.criterion", "Sec. 2.3.1, (15)",
    Eq(L_fac(P) * ((beta**2 + 4) * R + 3 * beta**2 * (1 - 2 * f)), 2 * CRIT),
    proof=chain(L_fac(P) * ((beta**2 + 4) * R + 3 * beta**2 * (1 - 2 * f)))
    .expand("sqrt(D)^2 = D").together(result=2 * CRIT),
    prose="((beta^2 + 4) p* - beta^2 f - 2)((beta^2 + 4) sqrt(D) + 3 beta^2 (1 - 2f)) = "
          "2 (4 - 2 beta^2 + beta^2 f (1 - f)(beta^2 + 16)); for f <= 1/2 the second factor is "
          "positive, so p* is a strict local maximum iff f (1 - f) > 2 (beta^2 - 2)/(beta^2 "
          "(beta^2 + 16)) (always for beta <= sqrt 2, or for f (1 - f) > 1/16, i.e. "
          "f > (2 - sqrt 3)/4 = 0.067) and a strict local minimum iff <.")

local_printed = claim(
    "s2.3.1.large.local-maximum", "Sec. 1.3 (stationary = maximiser); Sec. 2.3.1, (15)",
    Lt(D2_raw(P), 0),
    proof=Witness({beta: 3, f: Rational(1, 1000)},
                  "beta = 3, pi_ref(a) = 1/1000: p* = 0.1018, J''(p*; p*) = +24.8"),
    expected="refuted",
    prose="(15) is not even always a local maximum of J(.; pi_old = (15)): at beta = 3, "
          "pi_ref(a) = 1/1000 it is a strict local MINIMUM (J'' > 0).")

SQRT2 = sqrt(2)
SMALL_BETA = {beta: Interval.Lopen(0, SQRT2)}
_two_minus_b2 = (SQRT2 - beta) * (SQRT2 + beta)               # 2 - beta^2 >= 0 for beta <= sqrt 2
_L_vis = 4 * (1 + beta**2) * (2 * _two_minus_b2 + beta**2 * f * (1 - f) * (beta**2 + 16)) / (
    2 * (1 + beta**2) * ((beta**2 + 4) * 4 * beta**2 * f * (1 - f) / (R + 1) + 2 * _two_minus_b2
                         + 6 * beta**2 * (1 - f)))
_one_minus_vis = 2 * beta**2 * (1 - f) * above_cert / (1 + R)
CURVATURE = beta * above_cert * _L_vis / (P**2 * _one_minus_vis**2)   # -J''(p*; p*), visibly
curvature_zero = claim(
    "s2.3.1.large.second-derivative.visible-form", "Sec. 2.3.1, (15)",
    Eq(CURVATURE + D2_raw(P), 0),
    proof=chain(CURVATURE + D2_raw(P)).together(
        "over one denominator: p* - f, 1 - p* and (beta^2 + 4) p* - beta^2 f - 2 "
        "in positive form; the numerator vanishes (Q(p*) = 0 as in "
        "s2.3.1.large.second-derivative.at-eq15)",
        result=0),
    domains=SMALL_BETA,     # the visible form's denominator is visibly positive only there
    prose="-J''(p*; p*) = beta (p* - f) L/(p*^2 (1 - p*)^2) with p* - f = (1 - 2f + sqrt(D))/"
          "(2 (1 + beta^2)), 1 - p* = 2 beta^2 (1 - f)(p* - f)/(1 + sqrt(D)) and L = "
          "(beta^2 + 4) p* - beta^2 f - 2 = 2 (4 - 2 beta^2 + beta^2 f (1 - f)(beta^2 + 16))/"
          "((beta^2 + 4)(sqrt(D) - 1) + 2 (2 - beta^2) + 6 beta^2 (1 - f)).")

curvature_form = claim(
    "s2.3.1.large.second-derivative.visible-form.rearranged", "Sec. 2.3.1, (15)",
    Eq(CURVATURE, -D2_raw(P)),
    proof=chain(curvature_zero).rearrange(Eq(CURVATURE, -D2_raw(P))),
    domains=SMALL_BETA,
    prose="The same, solved for -J''(p*; p*).")

curvature = claim(
    "s2.3.1.large.local-maximum.curvature-positive", "Sec. 2.3.1, (15)",
    Gt(CURVATURE, 0),
    proof=Certificate(CURVATURE, "each factor is positive; 2 - beta^2 = (sqrt 2 - beta)"
                      "(sqrt 2 + beta) >= 0 and 6 beta^2 (1 - f) > 0"),
    domains=SMALL_BETA,
    prose="For beta <= sqrt 2 that expression is positive for every pi_ref(a).")

claim(
    "s2.3.1.large.local-maximum.corrected", "Sec. 1.3 (stationary = maximiser); Sec. 2.3.1, (15)",
    Lt(D2_raw(P), 0),
    proof=chain(curvature).substitute(curvature_form, "it is -J''(p*; p*)")
    .rearrange(Lt(D2_raw(P), 0)),
    domains=SMALL_BETA, corrects=local_printed,
    prose="For beta <= sqrt 2, (15) is a strict local maximum of J(.; pi_old = (15)) for every "
          "pi_ref(a) in (0, 1); sqrt 2 is sharp (at pi_ref(a) -> 0 the criterion "
          "4 - 2 beta^2 > 0 fails for any beta > sqrt 2).")

# -- global: pi_ref(a) >= 1/2, in the coordinates of the stationary point ----------------
# q = f + (1 - f) t in (f, 1) is the stationary probability (15) for
# beta = sqrt(q (1 - q))/(q - f) (by (19); every beta > 0 arises, for one t, since (15)
# decreases from 1 to f as beta grows); written this way everything is rational in f, t, p.

t_st = variable("b1l_t", Interval.open(0, 1), latex="t")
q_t = f + (1 - f) * t_st
s_t = sqrt(q_t) * sqrt(1 - q_t)                              # sqrt(q (1 - q))
beta_t = s_t / (q_t - f)

_omq = (1 - f) * (1 - t_st)                                  # 1 - q, visibly positive
_fq = (f - HALF) * (p + q_t) + (p * _omq + q_t * (1 - p)) / 2   # f q + f p - p q >= 0 (f >= 1/2)
_gq = (1 - f)**2 * (1 - t_st) + (1 - f) * t_st * (1 - p)        # (1-f)(1-q) + (q-f)(1-p)
_m = ((1 - p)**2 * _fq / q_t + p**2 * _gq / _omq) / (p**2 * (1 - p)**2)
ABOVE_HALF = {f: Interval.Ropen(HALF, 1)}
J_t = J_A.xreplace({q: q_t, beta: beta_t})                # J(p; pi_old = q), that beta
maximiser_half = claim(
    "s2.3.1.large.maximiser.corrected", "Sec. 1.3 (stationary = maximiser); Sec. 2.3.1, (15)",
    Ge(J_t.subs(p, q_t) - J_t, 0),
    proof=MinimumAt(
        p, q_t, (p - q_t)**2 * q_t * _omq * _m / (s_t * (1 - f) * t_st),
        "-J'(p; q)(p - q) = (p - q)^2 q (1 - q) m(p)/(sqrt(q (1 - q)) (q - f)), "
        "m(p) = [(1 - p)^2 (f q + f p - p q)/q + p^2 ((1 - f)(1 - q) + (q - f)(1 - p))/(1 - q)]"
        "/(p^2 (1 - p)^2), and f q + f p - p q = (f - 1/2)(p + q) + (p (1 - q) + q (1 - p))/2 "
        ">= 0 for f >= 1/2: J(.; q) rises to q and falls after it"),
    domains=ABOVE_HALF, corrects=maximiser_printed, uses=[objective, solves_eq19],
    prose="For pi_ref(a) = f >= 1/2 and every beta > 0, p* = (15) is the global maximiser of "
          "J(.; pi_old = p*) over (0, 1) (J rises up to p* and falls after it), so a stationary "
          "policy in the paper's sense; stated at p* = q = f + (1 - f) t, t in (0, 1), with "
          "beta = sqrt(q (1 - q))/(q - f) by (19), which covers every beta > 0.")
