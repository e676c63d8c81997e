"""Section 2.3.1 and Appendix B.1 -- binary questions, groups of two: (16), (17), (14).

A question with two answers a (the better one) and b; p = pi_theta(a), q = pi_old(a),
f = pi_ref(a), c = beta/gamma.  Every line of Appendix B.1 "Groups of size two" is a
claim, and so is every property Section 2.3.1 states for (14).

* **The reward model** (``b1.pairs.sign.*``): with stochastic rewards on three ordered
  levels, independent given the outputs, E[sign(r1 - r2) | o1 = o2] = 0,
  E[sign(r2 - r1) | o1 = b, o2 = a] = -E[sign(r1 - r2) | o1 = b, o2 = a] (sign is odd) and
  = E[sign(r1 - r2) | o1 = a, o2 = b] (swap the positions), hence the antisymmetry
  e_ba = -e_ab, and e_ab = P(a > b) - P(b > a) = gamma (``s2.1.pairs.preference.corrected``).
* **(16), line by line** (``b1.pairs.eq16.line*``): the conditional expectations are the
  opaque P_2(o | {o'}) of ``grpo_sym.grpo.preference`` (e_ab = P_2(a | {b}), ...), and each
  line is claimed under exactly the model fact it uses (a diagonal restricted to {0}, or a
  premise).  **The third line is misprinted**: it has pi_old(b) where pi_old(a) is meant
  (refuted: at p = 1/2, q = 1/4, e_ab = 1 it gives 0, the line before 1/4); the corrected
  line and the next ones lead to (16), which is proved on the reward model itself (``eq16``).
* **J, its derivative, (17), the quadratic, (14)**: J is built from (16) and KL_0
  (``grpo_sym.grpo.penalty.kl0``) and differs from the printed display by an explicit
  constant free of p.  The chain differentiate -> pi_old = pi_theta -> set to zero -> (17)
  -> multiply by p(1 - p)/gamma -> quadratic -> the non-negative root is (14), each step
  checked; conversely the root lies in [pi_ref, 1] and solves (17), and gamma = 0 gives
  p = f.
* **Properties** (``s2.3.1.pairs.*``): depends on beta/gamma only; strictly decreasing in
  beta, increasing in gamma and in pi_ref; limits 1 (beta -> 0) and pi_ref (beta -> oo);
  sqrt(pi_ref) at beta = gamma; continuous on (0, 1]; at pi_ref -> 0+ the limit is
  1 - beta/gamma > 0 = pi_theta(a) exactly when beta < gamma; the bound
  max{1 - beta/gamma, pi_ref}; gamma = 1 for deterministic rewards.
* **Stable forms** (``b1.pairs.stable.*``): the three formulas the float code evaluates
  (``grpo_sym.numeric.binary``, SymPy backend) equal (14) and 1 - (14) for every c > 0.
* **Is (14) a maximiser?**  The paper calls pi_theta* stationary when it *maximises*
  J(.; pi_old = pi_theta*).  (14) is the only on-policy critical point, but with pi_old
  frozen at p* = (14) it need not maximise J(.; p*):
  J''(p*; p*) = -beta Q(p*)/(p*^2 (1 - p*)^2) with Q(x) = 3x^2 - (1 + 4f)x + 2f, so p* is a
  strict local *minimum* wherever Q(p*) < 0 (possible only for f < (2 - sqrt 3)/4; at
  beta = gamma exactly for f < 1/16), and even where it is a local maximum another local
  maximum can be higher (beta = gamma, f = 0.0676; beta = 0.04, gamma = 1, f = 1e-12).  The
  printed sense is refuted; proved instead: p* is the *global* maximiser wherever
  f >= p*/(1 + p*) (every f >= 1/2, and every beta/gamma >= (1 - 2f)/(f (1 - f))), and p*
  is always the unique, attracting zero of the on-policy gradient.  Numerically (mpmath,
  50 digits, scanning p) p* is the global maximiser iff f >= f_crit(beta/gamma), with
  f_crit(c) ~ exp(-1/c) as c -> 0 (1.2e-11 at c = 0.04), f_crit(0.5) = 0.0487,
  f_crit(1) = 0.0734, largest 0.0741 near c = 0.9, f_crit(3) = 0.0171, f_crit(10) = 0.00127,
  f_crit(100) = 8.1e-6: so for pi_ref(a) >= 0.075 it is always the global maximiser.

Engine workarounds.  ``MinimumAt`` raises on a minimum point whose membership in the
domain SymPy cannot decide (q in (0, 1)), so the global-maximiser claim runs over the odds
ratio u = [p/(1-p)]/[q/(1-q)] (minimum at u = 1).  (14) < 1 holds (the certificate is
proved) but is stated as <= 1, and ``s2.3.1.pairs.beta-equals-margin`` brings its own 50-digit
check: both were written when the numeric backup took a true gap below 10^-50 for an exact
zero and did not evaluate ``Subs``.  Since issue 10 it decides every sign exactly (Arb) and
carries out ``Subs``, so neither workaround is needed any more; both are kept (the weaker
statement is implied by the strict one).
"""
from __future__ import annotations

import itertools

import mpmath
import sympy as sp
from sympy import FiniteSet, Interval, Max, Rational, S, log, oo, sqrt

from grpo_sym.derivations.s2_1_reward_preference import LAWS2, pair_advantage, prefer, prefer_back
from grpo_sym.derivations.s2_2_penalty import eq7
from grpo_sym.grpo.penalty import kl0
from grpo_sym.grpo.preference import (conditional_advantage, expected_preference,
                                      group_preference_symbol)
from grpo_sym.grpo.symbols import beta, margin as gamma, pi_old_a as q, pi_ref_a as f, \
    pi_theta_a as p
from grpo_sym.numeric.binary import eq14_a_large_c, eq14_a_small_c, eq14_b
from grpo_sym.numeric.symbolic import SymbolicBackend
from grpo_sym.proof import (REGISTRY, Certificate, Eq, Ge, Gt, Le, Lt, MaxOfBounds, MinimumAt,
                            OnSimplex, Witness, chain, claim, sample_points, variable)
from grpo_sym.proof.mpeval import Undefined, mp_eval

Limit_ = sp.Limit  # unevaluated: the engine computes it (limit and gruntz)
UNIT = Interval.open(0, 1)
POSITIVE = Interval.open(0, oo)
SIGN = Interval(-1, 1)
A, B = 0, 1        # output a (the better answer) and b, as numbered in the reward model


def _evaluated_backup(cid: str):
    """A 50-digit check of a claim whose statement holds a ``Subs`` (which the default
    backup does not evaluate): both sides ``doit()`` and evaluated at its sample points."""
    def check(dps: int):
        c = REGISTRY[cid]
        sides = [side.doit() for side in (c.statement.lhs, c.statement.rhs)]
        agreed = 0
        for pt in sample_points(c):
            with mpmath.workdps(2 * dps):
                try:
                    lhs, rhs = (mp_eval(side, pt) for side in sides)
                except (Undefined, ZeroDivisionError, ValueError):
                    continue
                if abs(lhs - rhs) > mpmath.mpf(10) ** (-dps) * max(1, abs(lhs), abs(rhs)):
                    return False, f"{cid}: {mpmath.nstr(lhs, 20)} != {mpmath.nstr(rhs, 20)} at {pt}"
            agreed += 1
        return agreed > 0, f"agrees at {agreed} points (the substitution carried out)"
    return check

# ======================================================================================
# The reward model: E[sign(r_i - r_j) | o_1, o_2] for stochastic rewards (three levels)
# ======================================================================================


def sign_expectation(o1: int, o2: int, position: int = 0, laws=LAWS2):
    """E[sign(r_pos - r_other) | o_1 = o1, o_2 = o2] written out over the reward levels.

    The rewards of a group are independent given the outputs (law ``LAWS2[o]`` of
    ``s2_1_reward_preference``: three ordered levels); the sum is held unevaluated so that
    a statement shows it (``expand`` evaluates it; ``b1.pairs.sign.definition`` checks it
    against ``conditional_advantage``, the package's E[A_i | o_1, o_2])."""
    terms = []
    for (v1, w1), (v2, w2) in itertools.product(laws[o1], laws[o2]):
        values = (v1, v2)
        terms.append(sp.Mul(w1, w2, sp.sign(values[position] - values[1 - position],
                                            evaluate=False), evaluate=False))
    return sp.Add(*terms, evaluate=False)


claim(
    "b1.pairs.sign.definition", "App. B.1, first display",
    Eq(sign_expectation(A, B), conditional_advantage(0, (A, B), LAWS2, pair_advantage)),
    uses=[REGISTRY["s2.1.pairs.advantage-sign"]],
    prose="E[sign(r1 - r2) | o1 = a, o2 = b], written out over three reward levels, is "
          "E[A_1 | a, b] for groups of two (A_1 = sign(r1 - r2)).")

same_output = {o: claim(
    f"b1.pairs.sign.same-output.{name}", "App. B.1, first display (the pairs (a, a), (b, b))",
    Eq(sign_expectation(o, o), 0),
    prose=f"E[sign(r1 - r2) | o1 = o2 = {name}] = 0: two rewards of the same output are "
          "i.i.d., so each pair of levels (l, m) cancels the pair (m, l) (three levels, any "
          "probabilities).") for o, name in ((A, "a"), (B, "b"))}

sign_odd = claim(
    "b1.pairs.sign.odd", "App. B.1, first display, second line",
    Eq(sign_expectation(B, A, position=1), -sign_expectation(B, A)),
    uses=[REGISTRY["s2.1.pairs.advantage-antisymmetric"]],
    prose="E[sign(r2 - r1) | o1 = b, o2 = a] = -E[sign(r1 - r2) | o1 = b, o2 = a]: sign is "
          "odd (A_2 = -A_1).")

sign_swap = claim(
    "b1.pairs.sign.swap-positions", "App. B.1, first display, third line",
    Eq(sign_expectation(B, A, position=1), sign_expectation(A, B)),
    prose="E[sign(r2 - r1) | o1 = b, o2 = a] = E[sign(r1 - r2) | o1 = a, o2 = b]: the rewards "
          "are independent given the outputs, so only which output holds which position "
          "matters.")

sign_antisymmetric = claim(
    "b1.pairs.sign.antisymmetric", "App. B.1, first display",
    Eq(sign_expectation(B, A), -sign_expectation(A, B)),
    uses=[sign_odd, sign_swap],
    prose="Hence e_ba = -e_ab: E[sign(r1 - r2) | o1 = b, o2 = a] = "
          "-E[sign(r1 - r2) | o1 = a, o2 = b].")

gamma_def = prefer - prefer_back           # P(a > b) - P(b > a), the definition of gamma_{a,b}
sign_margin = claim(
    "b1.pairs.sign.margin", "App. B.1, display after (16)'s derivation",
    Eq(sign_expectation(A, B), gamma_def),
    proof=chain(REGISTRY["s2.1.pairs.preference.corrected"]),
    prose="E[sign(r1 - r2) | o1 = a, o2 = b] = P(a > b) - P(b > a), which is gamma_{a,b} "
          "by definition (stochastic rewards, ties allowed; s2.1.pairs.preference.corrected).")

# ======================================================================================
# (16), line by line, with the conditional expectations as symbols
# ======================================================================================

e_aa, e_ab = group_preference_symbol(A, (A,)), group_preference_symbol(A, (B,))
e_ba, e_bb = group_preference_symbol(B, (A,)), group_preference_symbol(B, (B,))
s_ba = variable("b1p_s_ba", SIGN, latex=r"\mathbb{E}[\mathrm{sign}(r_2 - r_1) \mid b, a]")
theta2, old2 = (p, 1 - p), (q, 1 - q)

reward_part = expected_preference(theta2, old2, 2)   # E_{o ~ pi_theta}[P_2(o | pi_old)], (6)


def line1(ab, ba):
    return p * (1 - q) * ab + (1 - p) * q * ba


def line2(ab, s):
    return p * (1 - q) * ab - (1 - p) * q * s


def line3_printed(ab):
    return p * (1 - q) * ab - (1 - p) * (1 - q) * ab


def line3(ab):
    return p * (1 - q) * ab - (1 - p) * q * ab


def line4(ab):
    return (p * (1 - q) - (1 - p) * q) * ab


ZERO = FiniteSet(0)
eq16_line1 = claim(
    "b1.pairs.eq16.line1", "App. B.1, first display, first line",
    Eq(reward_part, line1(e_ab, e_ba)),
    domains={e_aa: ZERO, e_bb: ZERO}, uses=list(same_output.values()),
    prose="E_{o ~ pi_theta}[P_2(o | pi_old)] = sum over (o, o') of pi_theta(o) pi_old(o') "
          "E[sign(r1 - r2) | o, o'] = p (1 - q) e_ab + (1 - p) q e_ba, the pairs (a, a) and "
          "(b, b) contributing 0.")

eq16_line2 = claim(
    "b1.pairs.eq16.line2", "App. B.1, first display, second line",
    Eq(line1(e_ab, e_ba), line2(e_ab, s_ba)),
    given=Eq(s_ba, -e_ba),
    proof=chain(Eq(s_ba, -e_ba)).multiply_both_sides((1 - p) * q)
    .rearrange(Eq(line1(e_ab, e_ba), line2(e_ab, s_ba)), "add p (1 - q) e_ab to both sides"),
    uses=[sign_odd],
    prose="With E[sign(r2 - r1) | b, a] = -e_ba (b1.pairs.sign.odd) the second line equals "
          "the first.")

line3_witness = {p: Rational(1, 2), q: Rational(1, 4), e_ab: 1, s_ba: 1}
eq16_line3_printed = claim(
    "b1.pairs.eq16.line3", "App. B.1, first display, third line",
    Eq(line2(e_ab, s_ba), line3_printed(e_ab)),
    given=Eq(s_ba, e_ab),
    proof=Witness(line3_witness, "the premise E[sign(r2 - r1) | b, a] = e_ab holds there"),
    expected="refuted",
    prose="As printed, the third line has pi_theta(b) pi_old(b) where pi_theta(b) pi_old(a) "
          "is meant: at p = 1/2, q = 1/4, e_ab = 1 it gives 0 where the second line gives "
          "1/4.")

eq16_line3 = claim(
    "b1.pairs.eq16.line3.corrected", "App. B.1, first display, third line",
    Eq(line2(e_ab, s_ba), line3(e_ab)),
    given=Eq(s_ba, e_ab),
    proof=chain(Eq(s_ba, e_ab)).multiply_both_sides(-(1 - p) * q)
    .rearrange(Eq(line2(e_ab, s_ba), line3(e_ab)), "add p (1 - q) e_ab to both sides"),
    uses=[sign_swap], corrects=eq16_line3_printed,
    prose="With E[sign(r2 - r1) | b, a] = e_ab (b1.pairs.sign.swap-positions) the third line "
          "reads p (1 - q) e_ab - (1 - p) q e_ab, with pi_old(a) = q.")

eq16_line4 = claim(
    "b1.pairs.eq16.line4", "App. B.1, first display, last line",
    Eq(line3(e_ab), line4(e_ab)),
    prose="The corrected third line factors as (p (1 - q) - (1 - p) q) e_ab; the printed third "
          "line would give (2p - 1)(1 - q) e_ab instead, so the last line follows the intent.")

theta_b = variable("b1p_pi_theta_b", UNIT, latex=r"\pi_\theta(b\mid q)")
old_b = variable("b1p_pi_old_b", UNIT, latex=r"\pi_{\theta_{old}}(b\mid q)")
difference = claim(
    "b1.pairs.probability-difference", "App. B.1, display after the first",
    Eq(p * old_b - theta_b * q, p - q),
    proof=chain(p * old_b - theta_b * q)
    .rewrite(p * (1 - q) - (1 - p) * q, "pi(b) = 1 - pi(a) for both policies")
    .expand(result=p - q),
    conditions=[OnSimplex((p, theta_b)), OnSimplex((q, old_b))],
    prose="pi_theta(a) pi_old(b) - pi_theta(b) pi_old(a) = pi_theta(a)(1 - pi_old(a)) - "
          "(1 - pi_theta(a)) pi_old(a) = pi_theta(a) - pi_old(a).")

difference_binary = claim(
    "b1.pairs.probability-difference.binary", "App. B.1, display after the first",
    Eq(p * (1 - q) - (1 - p) * q, p - q),
    uses=[difference],
    prose="The same with pi(b) written 1 - pi(a), as the chain for (16) uses it.")

# -- (16) on the reward model ------------------------------------------------------------

def _evaluated(o1, o2, position=0):
    """E[sign(r_pos - r_other) | o_1, o_2] as the package computes it (conditional_advantage)."""
    return conditional_advantage(position, (o1, o2), LAWS2, pair_advantage)


MODEL = {e_aa: _evaluated(A, A), e_ab: _evaluated(A, B), e_ba: _evaluated(B, A),
         e_bb: _evaluated(B, B), s_ba: _evaluated(B, A, position=1)}
reward_part_model = reward_part.xreplace(MODEL)

eq16 = claim(
    "eq16", "App. B.1, (16)",
    Eq(reward_part_model, gamma_def * (p - q)),
    proof=chain(reward_part_model)
    .rewrite(line1(e_ab, e_ba).xreplace(MODEL), "the pairs (a, a), (b, b) give 0 "
             "(b1.pairs.sign.same-output.*)")
    .rewrite(line2(e_ab, s_ba).xreplace(MODEL), "sign is odd (b1.pairs.sign.odd)")
    .rewrite(line3(e_ab).xreplace(MODEL), "swap the positions (b1.pairs.sign.swap-positions); "
             "the factor is pi_old(a), not pi_old(b) as printed")
    .rewrite(line4(e_ab).xreplace(MODEL), "factor")
    .substitute(difference_binary, "pi_theta(a) pi_old(b) - pi_theta(b) pi_old(a) = p - q")
    .rewrite(gamma_def * (p - q), "E[sign(r1 - r2) | a, b] = gamma_{a,b} (b1.pairs.sign.margin)"),
    uses=[*same_output.values(), sign_odd, sign_swap, sign_margin, eq16_line1, eq16_line2,
          eq16_line3, eq16_line4],
    prose="E_{o ~ pi_theta}[P_2(o | pi_old)] = gamma_{a,b} (pi_theta(a) - pi_old(a)) with "
          "gamma_{a,b} = P(a > b) - P(b > a), for stochastic rewards (three levels, "
          "independent given the outputs), following the printed lines with the third "
          "corrected.")

# ======================================================================================
# The objective J, its derivative, (17), the quadratic, (14)
# ======================================================================================

# KL_0 of the two-answer distributions; b's probabilities are 1 - a's, positive
# placeholders while the logarithms of ratios are split (valid: every probability is > 0)
_pb, _fb, _qb = sp.symbols("b1p_pb b1p_fb b1p_qb", positive=True)
KL0 = sp.expand_log(kl0((p, _pb), (f, _fb), (q, _qb))).xreplace({_pb: 1 - p, _fb: 1 - f,
                                                                  _qb: 1 - q})
J = gamma * (p - q) - beta * KL0            # (16) - beta KL_0: the objective, binary case
J_printed = gamma * p - beta * (q * f / p + (1 - q) * (1 - f) / (1 - p) + q * log(p)
                                + (1 - q) * log(1 - p))
J_constant = -gamma * q + beta * (q * log(f) + (1 - q) * log(1 - f) + 1)

objective = claim(
    "b1.pairs.objective", "App. B.1, display of J after (16)",
    Eq(J - J_printed, J_constant),
    uses=[eq16, eq7[2]],
    prose="J = gamma (p - q) - beta KL_0(pi_theta || pi_ref; pi_old) is the printed display "
          "plus a constant free of p: -gamma q + beta (q log f + (1 - q) log(1 - f) + 1).")

dJ_printed = gamma - beta * (-q * f / p**2 + (1 - q) * (1 - f) / (1 - p)**2 + q / p
                             - (1 - q) / (1 - p))
derivative = claim(
    "b1.pairs.objective.derivative", "App. B.1, display of dJ/dpi_theta(a)",
    Eq(sp.Derivative(J, p), dJ_printed),
    proof=chain(J).differentiate(p, "term by term", result=dJ_printed),
    uses=[objective],
    prose="dJ/dp = gamma - beta (-q f/p^2 + (1 - q)(1 - f)/(1 - p)^2 + q/p - (1 - q)/(1 - p)), "
          "as printed.")

dJ_on_policy = gamma - beta * (p - f) / (p * (1 - p))
D_ON = sp.Derivative(J, p).subs(q, p)       # dJ/dp at pi_old = pi_theta
on_policy = claim(
    "b1.pairs.objective.derivative.on-policy", "App. B.1, display before (17)",
    Eq(D_ON, dJ_on_policy),
    proof=chain(derivative).substitute({q: p}, "differentiate first, then set pi_old = pi_theta")
    .rewrite(Eq(D_ON, dJ_on_policy), "combine the four fractions over p^2 (1 - p)^2"),
    prose="At pi_old = pi_theta the derivative is gamma - beta (p - f)/(p (1 - p)).")

eq17_relation = Eq(beta * (p - f) / (p * (1 - p)), gamma)
stationary = Eq(D_ON, 0)                    # the premise: the on-policy derivative vanishes
eq17 = claim(
    "eq17", "App. B.1, (17)",
    eq17_relation, given=stationary,
    proof=chain(D_ON).set_to_zero("a stationary policy: the on-policy derivative vanishes")
    .substitute(on_policy, "the on-policy derivative")
    .multiply_both_sides(-1)
    .rearrange(eq17_relation, "move gamma across"),
    prose="Setting the on-policy derivative to zero gives beta (p - f)/(p (1 - p)) = gamma.")

c = beta / gamma
quadratic_expr = p**2 - (1 - c) * p - c * f
quadratic = claim(
    "b1.pairs.quadratic", "App. B.1, after (17)",
    Eq(quadratic_expr, 0), given=stationary,
    proof=chain(eq17).multiply_both_sides(p * (1 - p) / gamma, "p (1 - p)/gamma != 0")
    .rearrange(Eq(quadratic_expr, 0), "collect powers of p"),
    prose="For gamma != 0, (17) gives p^2 - (1 - beta/gamma) p - (beta/gamma) pi_ref = 0.")

claim(
    "b1.pairs.quadratic.at-zero-reference", "App. B.1, after (17) (pi_ref(a) = 0)",
    Eq(quadratic_expr.subs(f, 0), p * (p - (1 - c))),
    prose="At pi_ref(a) = 0 (outside the paper's open interval, where (14) is still printed) "
          "the quadratic is p (p - (1 - beta/gamma)): two roots, 0 and 1 - beta/gamma, both "
          "non-negative when beta <= gamma, so 'the non-negative root' does not pick one; (14) "
          "gives the larger, 1 - beta/gamma, and the support convention (pi_theta(a) = 0 where "
          "pi_ref(a) = 0) the other.")

claim(
    "b1.pairs.quadratic.converse", "App. B.1, after (17) ('equivalent')",
    eq17_relation, given=Eq(quadratic_expr, 0),
    proof=chain(Eq(quadratic_expr, 0)).multiply_both_sides(gamma / (p * (1 - p)), "non-zero")
    .rearrange(eq17_relation, "split the fraction"),
    prose="Conversely the quadratic gives (17) for p in (0, 1): the two are equivalent.")


def root_c(cc, ff):
    """(14) as a function of c = beta/gamma and f = pi_ref(a)."""
    return (1 - cc + sqrt((1 - cc)**2 + 4 * cc * ff)) / 2


root14 = root_c(c, f)
DISC = (1 - c)**2 + 4 * c * f
eq14 = claim(
    "eq14", "Sec. 2.3.1, (14); App. B.1",
    Eq(p, root14), given=stationary,
    proof=chain(quadratic).take_root(p, root14, "nonnegative",
                                     "the product of the roots is -c f <= 0: one root is "
                                     "negative, (14) is the other"),
    prose="A stationary pi_theta(a) in (0, 1) is (1 - beta/gamma + sqrt((1 - beta/gamma)^2 + "
          "4 (beta/gamma) pi_ref(a)))/2, the unique non-negative root of the quadratic.")

below_one = claim(
    "b1.pairs.root-at-most-one", "App. B.1, after the quadratic",
    Le(root14, 1),
    proof=Certificate(2 * c * (1 - f) / ((1 + c) + sqrt(DISC)),
                      "1 - p = 2c(1 - f)/((1 + c) + sqrt(D))"),
    prose="(14) <= 1: 1 - (14) = 2c (1 - f)/((1 + c) + sqrt(D)) (positive, in fact), so the "
          "root is a probability.")

claim(
    "b1.pairs.root-solves-eq17", "App. B.1, after the quadratic",
    Eq(beta * (root14 - f) / (root14 * (1 - root14)), gamma),
    uses=[below_one],
    prose="Conversely (14) satisfies (17) (it lies in [pi_ref(a), 1), so in (0, 1)): it is an "
          "on-policy stationary point, and by eq14 the only one.")

gamma_signed = variable("b1p_gamma_signed", SIGN, latex=r"\gamma_{a,b}")
D_TIE = sp.Derivative(J.subs(gamma, gamma_signed), p).subs(q, p)
tie_relation = Eq(-beta * (p - f) / (p * (1 - p)), 0)
claim(
    "b1.pairs.tie", "Sec. 2.3.1 and App. B.1, the tie gamma = 0",
    Eq(p, f), given=Eq(D_TIE, 0),
    proof=chain(D_TIE).set_to_zero("the on-policy derivative vanishes")
    .rewrite(tie_relation, "the on-policy derivative at gamma = 0")
    .multiply_both_sides(-p * (1 - p) / beta, "non-zero")
    .rearrange(Eq(p, f)),
    domains={gamma_signed: ZERO},
    prose="In a tie (gamma_{a,b} = 0) the on-policy derivative is -beta (p - f)/(p (1 - p)), "
          "zero only at pi_theta(a) = pi_ref(a): pi_theta = pi_ref.")

# ======================================================================================
# Properties of (14) (Sec. 2.3.1)
# ======================================================================================

ROOT_D = sqrt(DISC)
slope_c = (c - 1 + 2 * f - ROOT_D) / (2 * ROOT_D)          # d(14)/dc
d_beta = claim(
    "s2.3.1.pairs.derivative.beta", "Sec. 2.3.1, after (14)",
    Eq(sp.Derivative(root14, beta), slope_c / gamma),
    proof=chain(root14).differentiate(beta, result=slope_c / gamma),
    prose="d(14)/dbeta = (c - 1 + 2f - sqrt(D))/(2 gamma sqrt(D)).")

claim(
    "s2.3.1.pairs.decreasing-in-beta", "Sec. 2.3.1, after (14)",
    Lt(sp.Derivative(root14, beta), 0),
    proof=Certificate((ROOT_D - (c - 1 + 2 * f)) / (2 * gamma * ROOT_D),
                      "-d(14)/dbeta = (sqrt(D) - (c - 1 + 2f))/(2 gamma sqrt(D)), and "
                      "D - (c - 1 + 2f)^2 = 4 f (1 - f) > 0"),
    prose="d(14)/dbeta < 0: (14) strictly decreases in beta.")

d_gamma = claim(
    "s2.3.1.pairs.derivative.gamma", "Sec. 2.3.1, after (14)",
    Eq(sp.Derivative(root14, gamma), -beta * slope_c / gamma**2),
    proof=chain(root14).differentiate(gamma, result=-beta * slope_c / gamma**2),
    prose="d(14)/dgamma = -(beta/gamma^2) d(14)/dc.")

EULER = beta * sp.Derivative(root14, beta) + gamma * sp.Derivative(root14, gamma)
claim(
    "s2.3.1.pairs.ratio-only", "Sec. 2.3.1, after (14)",
    Eq(EULER, 0),
    proof=chain(EULER).substitute(d_beta, "d(14)/dbeta")
    .substitute(d_gamma, "d(14)/dgamma", result=0),
    prose="beta d(14)/dbeta + gamma d(14)/dgamma = 0 (Euler): (14) is homogeneous of degree 0 "
          "in (beta, gamma), so it depends on them only through beta/gamma.")

claim(
    "s2.3.1.pairs.increasing-in-margin", "Sec. 2.3.1, after (14)",
    Gt(sp.Derivative(root14, gamma), 0),
    proof=Certificate(beta * (ROOT_D - (c - 1 + 2 * f)) / (2 * gamma**2 * ROOT_D),
                      "d(14)/dgamma = beta (sqrt(D) - (c - 1 + 2f))/(2 gamma^2 sqrt(D)) > 0 "
                      "as for beta"),
    prose="d(14)/dgamma > 0: (14) strictly increases in the confidence margin.")

claim(
    "s2.3.1.pairs.increasing-in-pi-ref", "Sec. 2.3.1, after (14)",
    Gt(sp.Derivative(root14, f), 0),
    proof=Certificate(c / ROOT_D, "d(14)/df = c/sqrt(D)"),
    prose="d(14)/dpi_ref = (beta/gamma)/sqrt(D) > 0: (14) strictly increases in pi_ref(a).")

claim(
    "s2.3.1.pairs.limit-small-beta", "Sec. 2.3.1, after (14)",
    Eq(Limit_(root14, beta, 0, "+"), 1),
    prose="(14) -> 1 as beta -> 0+.")

claim(
    "s2.3.1.pairs.limit-large-beta", "Sec. 2.3.1, after (14)",
    Eq(Limit_(root14, beta, oo), f),
    prose="(14) -> pi_ref(a) as beta -> oo.")

beta_equals_margin = claim(
    "s2.3.1.pairs.beta-equals-margin", "Sec. 2.3.1, after (14)",
    Eq(sp.Subs(root14, beta, gamma), sqrt(f)),
    numeric=_evaluated_backup("s2.3.1.pairs.beta-equals-margin"),
    prose="At beta = gamma, (14) = sqrt(pi_ref(a)).")

f0 = variable("b1p_f0", Interval.Lopen(0, 1), latex=r"\pi_{ref}^{0}")
f0_open = variable("b1p_f0_open", UNIT, latex=r"\pi_{ref}^{0}")
h = variable("b1p_h", POSITIVE, latex="h")
claim(
    "s2.3.1.pairs.continuous-from-left", "Sec. 2.3.1, after (14)",
    Eq(Limit_(root_c(c, f0 - h), h, 0, "+"), root_c(c, f0)),
    prose="(14) is continuous in pi_ref from the left at every pi_ref in (0, 1] ...")

claim(
    "s2.3.1.pairs.continuous-from-right", "Sec. 2.3.1, after (14)",
    Eq(Limit_(root_c(c, f0_open + h), h, 0, "+"), root_c(c, f0_open)),
    prose="... and from the right at every pi_ref in (0, 1).")

below_by = variable("b1p_c_below_one_by", UNIT, latex=r"1 - \beta/\gamma")
above_by = variable("b1p_c_above_one_by", Interval(0, oo), latex=r"\beta/\gamma - 1")
claim(
    "s2.3.1.pairs.discontinuous-at-zero", "Sec. 2.3.1, after (14)",
    Eq(Limit_(root_c(1 - below_by, f), f, 0, "+"), below_by),
    prose="For beta < gamma (c = 1 - e, e in (0, 1)), (14) -> e = 1 - beta/gamma > 0 as "
          "pi_ref(a) -> 0+, while pi_theta(a) = 0 at pi_ref(a) = 0 (support): a jump.")

claim(
    "s2.3.1.pairs.continuous-at-zero", "Sec. 2.3.1, after (14)",
    Eq(Limit_(root_c(1 + above_by, f), f, 0, "+"), 0),
    prose="For beta >= gamma (c = 1 + d, d >= 0), (14) -> 0 as pi_ref(a) -> 0+: continuous at "
          "0, so the discontinuity is exactly the case beta < gamma.")

bound_margin = claim(
    "s2.3.1.pairs.lower-bound.margin", "Sec. 2.3.1, display after (14)",
    Ge(root14, 1 - c),
    proof=Certificate((ROOT_D - (1 - c)) / 2, "D - (1 - c)^2 = 4 c f >= 0"),
    prose="(14) >= 1 - beta/gamma.")

bound_ref = claim(
    "s2.3.1.pairs.lower-bound.pi-ref", "Sec. 2.3.1, display after (14)",
    Ge(root14, f),
    proof=Certificate((ROOT_D - (c - 1 + 2 * f)) / 2, "D - (c - 1 + 2f)^2 = 4 f (1 - f) >= 0"),
    prose="(14) >= pi_ref(a).")

claim(
    "s2.3.1.pairs.lower-bound", "Sec. 2.3.1, display after (14)",
    Ge(root14, Max(1 - c, f)),
    proof=MaxOfBounds(bound_margin, bound_ref),
    prose="(14) >= max{1 - beta/gamma, pi_ref(a)}: close to 1 when beta << gamma, whatever "
          "pi_ref(a) is.")

r_b = variable("b1p_r_b", S.Reals, latex=r"r(b\mid q)")
r_gap = variable("b1p_r_gap", POSITIVE, latex=r"r(a\mid q) - r(b\mid q)")
DETERMINISTIC = [[(r_b + r_gap, 1)], [(r_b, 1)]]
claim(
    "s2.3.1.pairs.deterministic-margin", "Sec. 2.3.1, after the lower bound",
    Eq(sign_expectation(A, B, laws=DETERMINISTIC), 1),
    uses=[sign_margin],
    prose="Deterministic rewards with r(a) > r(b): E[sign(r1 - r2) | a, b] = sign(r(a) - r(b)) "
          "= 1, so gamma_{a,b} = P(a > b) - P(b > a) = 1 whatever the reward values.")

# ======================================================================================
# The stable forms the float code evaluates (grpo_sym.numeric.binary)
# ======================================================================================

c_any = variable("b1p_c", POSITIVE, latex="c")
for name, fn, target in (("a-large-c", eq14_a_large_c, root_c(c_any, f)),
                         ("a-small-c", eq14_a_small_c, root_c(c_any, f)),
                         ("b", eq14_b, 1 - root_c(c_any, f))):
    claim(
        f"b1.pairs.stable.{name}", "Sec. 2.3.1, (14) (numeric API)",
        Eq(fn(f, c_any, SymbolicBackend), target),
        prose=f"grpo_sym.numeric.binary.eq14_{name.replace('-', '_')} (SymPy backend) equals "
              f"{'1 - ' if name == 'b' else ''}(14) for every c = beta/gamma > 0.")

# ======================================================================================
# Is (14) a maximiser of J(.; pi_old = (14))?
# ======================================================================================


def J_at(pp, qq, ff=f, bb=beta):
    """J(pi_theta(a) = pp; pi_old(a) = qq) with pi_ref(a) = ff and beta = bb."""
    return J.xreplace({p: pp, q: qq, f: ff, beta: bb})


def Q_poly(x):
    """Q(x) = 3x^2 - (1 + 4f) x + 2f: J''(p; p) = -beta Q(p)/(p^2 (1 - p)^2)."""
    return 3 * x**2 - (1 + 4 * f) * x + 2 * f


second_on_policy = -beta * Q_poly(p) / (p**2 * (1 - p)**2)
D2_ON = sp.Derivative(J, (p, 2)).subs(q, p)
second = claim(
    "s2.3.1.pairs.second-derivative", "Sec. 2.3.1 / Sec. 1.3 (definition of stationary)",
    Eq(D2_ON, second_on_policy),
    proof=chain(J).differentiate(p).differentiate(p)
    .substitute({q: p}, "then set pi_old = pi_theta")
    .factor("over p^2 (1 - p)^2", result=second_on_policy),
    prose="d^2J/dp^2 at pi_old = pi_theta is -beta Q(p)/(p^2 (1 - p)^2) with "
          "Q(p) = 3p^2 - (1 + 4f) p + 2f: a stationary p* is a strict local maximum of "
          "J(.; p*) iff Q(p*) > 0 and a strict local minimum iff Q(p*) < 0.")

maximiser_witness = {beta: 1, gamma: 1, f: Rational(1, 100), p: Rational(1, 100)}
maximiser_printed = claim(
    "s2.3.1.pairs.maximiser", "Sec. 1.3 (stationary = maximiser) and Sec. 2.3.1, (14)",
    Ge(J_at(root14, root14) - J_at(p, root14), 0),
    proof=Witness(maximiser_witness, "beta = gamma = 1, pi_ref(a) = 1/100: p* = 1/10"),
    expected="refuted",
    prose="(14) need not maximise J(.; pi_old = (14)): at beta = gamma, pi_ref(a) = 1/100, "
          "p* = 1/10 and J(1/100) > J(1/10) (p* is even a local minimum there).")

s_lo = variable("b1p_s_below_quarter", Interval.open(0, Rational(1, 4)), latex=r"\sqrt{\pi_{ref}}")
s_hi = variable("b1p_s_above_quarter", Interval.open(Rational(1, 4), 1),
                latex=r"\sqrt{\pi_{ref}}")


def second_at_beta_equals_gamma(s):
    """J''(p*; p*) at beta = gamma and pi_ref = s^2, where p* = s."""
    return second_on_policy.xreplace({f: s**2, p: s, beta: gamma})


claim(
    "s2.3.1.pairs.local-minimum", "Sec. 2.3.1, (14) at beta = gamma",
    Gt(second_at_beta_equals_gamma(s_lo), 0),
    proof=Certificate(second_at_beta_equals_gamma(s_lo),
                      "Q(s) = -s (1 - s)(1 - 4s) (visible once factored), so J'' = "
                      "gamma (1 - 4s)/(s (1 - s))"),
    uses=[second, beta_equals_margin],
    prose="At beta = gamma and pi_ref(a) = s^2 < 1/16, p* = s is a strict local MINIMUM of "
          "J(.; p*): J''(p*; p*) = gamma (1 - 4s)/(s (1 - s)) > 0.")

claim(
    "s2.3.1.pairs.local-maximum", "Sec. 2.3.1, (14) at beta = gamma",
    Lt(second_at_beta_equals_gamma(s_hi), 0),
    proof=Certificate(-second_at_beta_equals_gamma(s_hi),
                      "Q(s) = -s (1 - s)(1 - 4s) (visible once factored)"),
    uses=[second, beta_equals_margin],
    prose="At beta = gamma and pi_ref(a) = s^2 > 1/16, p* = s is a strict local maximum of "
          "J(.; p*).")

# -- the global maximiser where pi_ref(a) >= p*/(1 + p*) --------------------------------------
#
# Parametrise the stationary point by q = p* itself: for q in (0, 1) and v in [0, 1) put
# pi_ref(a) = q (1 + q v)/(1 + q) (so f ranges over [q/(1 + q), q)) and beta/gamma =
# (1 - q^2)/(q (1 - v)) = q (1 - q)/(q - f); then q solves the quadratic, so q = (14)
# (b1.pairs.maximiser-region.stationary).  pi_theta(a) runs over (0, 1) as the odds ratio
# u = [p/(1 - p)]/[q/(1 - q)] runs over (0, oo), with u = 1 at p = q.

v_region = variable("b1p_region", Interval.Ropen(0, 1), latex="v")
u_odds = variable("b1p_odds_ratio", POSITIVE, latex="u")
f_region = q * (1 + q * v_region) / (1 + q)
beta_region = gamma * (1 - q**2) / (q * (1 - v_region))
p_odds = q * u_odds / (q * u_odds + 1 - q)

claim(
    "b1.pairs.maximiser-region.stationary", "Sec. 2.3.1, (14)",
    Eq(quadratic_expr.xreplace({p: q, f: f_region, beta: beta_region}), 0),
    uses=[eq14],
    prose="With pi_ref(a) = q (1 + q v)/(1 + q) and beta/gamma = (1 - q^2)/(q (1 - v)), q "
          "solves the quadratic, so q is (14) there: (q, v) in (0, 1) x [0, 1) parametrise "
          "exactly the (beta/gamma, pi_ref) with pi_ref >= p*/(1 + p*).")

_one_minus_q2v = sp.Add(1 - v_region, v_region * (1 - q) * (1 + q), evaluate=False)  # 1 - q^2 v
_bernstein = ((1 + q * v_region) * (1 - q)**3                 # -C(p(u)) (q u + 1 - q)^3, over
              + q * v_region * u_odds * (1 - q)**2 * (1 + q)    # q^2 (1 - q)/(1 + q): the Bernstein
              + q * u_odds**2 * ((1 - q) * _one_minus_q2v     # coefficients of -C, term by term
                                 + q**2 * (1 - v_region))
              + q**2 * u_odds**3 * _one_minus_q2v)
maximiser_gap = (J_at(q, q, f_region, beta_region)
                 - J_at(p_odds, q, f_region, beta_region))
maximiser_region = claim(
    "s2.3.1.pairs.maximiser.corrected", "Sec. 1.3 (stationary = maximiser) and Sec. 2.3.1, (14)",
    Ge(maximiser_gap, 0),
    proof=MinimumAt(u_odds, 1, gamma * (1 - q) * (u_odds - 1)**2 * _bernstein
                    / (u_odds**2 * (1 - v_region) * sp.Add(q * u_odds, 1 - q, evaluate=False)**2),
                    "J'(p) has the sign of (q - p) C(p) with -C(p) a cubic whose Bernstein "
                    "coefficients on [0, 1] are f q (1 - q), (1 - q)(f (1 + q) - q)/3, "
                    "q (1 - 2f + f q)/3, q (1 - q)(1 - f): all >= 0 when f >= q/(1 + q)"),
    corrects=maximiser_printed,
    prose="Where pi_ref(a) >= p*/(1 + p*) -- every pi_ref(a) >= 1/2, and every beta/gamma >= "
          "(1 - 2 pi_ref)/(pi_ref (1 - pi_ref)) -- p* = (14) is the global maximiser of "
          "J(.; pi_old = p*) over (0, 1): J increases up to p* and decreases after it.")

claim(
    "s2.3.1.pairs.local-maximum-not-global", "Sec. 2.3.1, (14) at beta = gamma",
    Gt(J_at(p, s_hi, s_hi**2, gamma) - J_at(s_hi, s_hi, s_hi**2, gamma), 0),
    proof=Witness({s_hi: Rational(13, 50), p: Rational(3, 25), gamma: 1},
                  "beta = gamma = 1, pi_ref(a) = (13/50)^2: p* = 13/50, J(3/25) - J(p*) = 0.0023"),
    quantifier="exists", uses=[REGISTRY["s2.3.1.pairs.local-maximum"], beta_equals_margin],
    prose="A strict local maximum need not be global: at beta = gamma and pi_ref(a) = "
          "(13/50)^2 (> 1/16), p* = 13/50 is a local maximum of J(.; p*) but J(3/25) is "
          "larger.")

claim(
    "s2.3.1.pairs.not-maximiser.trl-default", "Sec. 1.2 (beta = 0.04) and Sec. 2.3.1, (14)",
    Gt(J_at(p, root14) - J_at(root14, root14), 0),
    proof=Witness({beta: Rational(1, 25), gamma: 1, f: Rational(1, 10**12),
                   p: Rational(1, 10**12)},
                  "beta = 0.04, gamma = 1 (deterministic rewards), pi_ref(a) = 1e-12: "
                  "p* = 0.96, J(1e-12) - J(p*) = 0.094"),
    quantifier="exists", domains={beta: FiniteSet(Rational(1, 25)), gamma: FiniteSet(1)},
    prose="Even at TRL's default beta = 0.04 with deterministic rewards, p* = (14) = 0.96 is "
          "not the maximiser of J(.; p*) when pi_ref(a) = 1e-12: J near pi_ref(a) is higher "
          "(for every beta/gamma there is such a pi_ref; numerically below about "
          "exp(-gamma/beta) when beta/gamma is small).")

claim(
    "s2.3.1.pairs.on-policy-gradient-decreasing", "Sec. 2.3.1, (14); App. B.1, (17)",
    Lt(sp.Derivative(dJ_on_policy, p), 0),
    proof=Certificate(beta * ((p - f)**2 + f * (1 - f)) / (p**2 * (1 - p)**2),
                      "d/dp (p - f)/(p (1 - p)) = ((p - f)^2 + f (1 - f))/(p^2 (1 - p)^2)"),
    uses=[on_policy],
    prose="The on-policy gradient gamma - beta (p - f)/(p (1 - p)) strictly decreases in p: "
          "(14) is its only zero in (0, 1), positive below and negative above, so (14) is the "
          "attracting fixed point of small-step on-policy ascent, whether or not it maximises "
          "J(.; p*).")
