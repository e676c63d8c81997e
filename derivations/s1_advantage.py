"""Section 1 -- the advantage (2), its pairwise form, and its invariances.

The paper defines A_i = (r_i - mean)/std with the population std and the
convention 0/0 := 0, states an equivalent pairwise form, and says the
advantages are "invariant under shift and scale transformations".  Here every
one of these is checked for a group of symbolic size G (sums over the rewards
r_1..r_G, a Family of size G; the group statistics are those of
:mod:`grpo_sym.grpo.advantage`); the pairwise form also written out for
G = 2..6.  The invariance holds only for positive scale factors: a negative one
flips every advantage.
"""
from __future__ import annotations

import sympy as sp
from sympy import FiniteSet, Interval, Range, S, Sum, oo, sqrt

from grpo_sym.grpo.advantage import (advantage, advantage_pairwise, advantage_raw, group_mean,
                                     group_variance, pairwise_numerator, pairwise_variance)
from grpo_sym.grpo.symbols import OUTPUT_INDEX, SECOND_INDEX, Family, group_size as G
from grpo_sym.proof import Eq, Ne, Witness, chain, claim, indexed, variable

Limit_ = sp.Limit  # unevaluated: the engine computes it (limit and gruntz)

# a group of symbolic size G: rewards r[1..G] (a Family of size G), position i
r_base = indexed("r", S.Reals, latex="r")
r = Family(r_base, G)
i = variable("i", Range(1, oo), latex="i")
j, k = OUTPUT_INDEX, SECOND_INDEX
SMALL_GROUPS = FiniteSet(*range(2, 7))


def mean(x=r):
    return group_mean(x)


def variance(x=r):
    """(1/G) sum_j (x_j - mean)^2, the square of the population std."""
    return group_variance(x)


def adv(x=r, at=i):
    """A_i of (2) for a group of size G (rewards not all equal)."""
    return advantage_raw(x, at)


not_all_equal = Ne(variance(), 0)

# -- (2) itself -------------------------------------------------------------------------

claim(
    "eq2", "Sec. 1, (2)",
    Eq(Sum(adv(at=k), (k, 1, G)), 0),
    proof=chain(Sum(adv(at=k), (k, 1, G)))
    .rewrite(Sum(r[k] - mean(), (k, 1, G)) / sqrt(variance()),
             "the std does not depend on the position k")
    .rewrite(sp.S.Zero, "sum r_k - G mean = 0"),
    conditions=[not_all_equal],
    prose="The advantages (2) of a group are centred: they sum to zero for every group size G "
          "(their squares sum to G: s2.1.large.second-moment), where the rewards are not all "
          "equal; otherwise the convention 0/0 := 0 sets them all to 0.")

# -- the pairwise form ---------------------------------------------------------------

denominator = claim(
    "s1.advantage.denominator-identity", "Sec. 1, after (2)",
    Eq(variance(), pairwise_variance(r)),
    proof=chain(variance())
    .apply(lambda e: e.doit(), "sum term by term",
           "expand the square; sum each term over j (constants come out, a sum of a "
           "constant is G times it)",
           result=Sum(r[j] ** 2, (j, 1, G)) / G - Sum(r[k], (k, 1, G)) ** 2 / G**2)
    .rewrite(pairwise_variance(r),
             "the double sum of (r_j - r_k)^2 is 2G sum r_j^2 - 2 (sum r_j)^2"),
    domains={G: Range(2, oo)},
    prose="The population variance of a group equals half the mean squared difference "
          "over all ordered pairs, for every group size G.")

numerator = claim(
    "s1.advantage.pairwise-numerator", "Sec. 1, after (2)",
    Eq(r[i] - mean(), pairwise_numerator(r, i)),
    conditions=[sp.Le(i, G)],
    prose="The centred reward r_i - mean is the average of the differences r_i - r_j.")

pairwise_form = claim(
    "s1.advantage.pairwise-form", "Sec. 1, display after (2)",
    Eq(adv(), advantage_pairwise(r, i)),
    proof=chain(adv())
    .substitute(denominator, "the variance in the denominator is the pairwise variance")
    .substitute(numerator, "the numerator is the mean pairwise difference"),
    # the two denominators vanish together (s1.advantage.denominator-identity)
    conditions=[sp.Le(i, G), not_all_equal, Ne(pairwise_variance(r), 0)],
    prose="The advantage (2) equals the printed pairwise form, for every group size G.")

claim(
    "s1.advantage.pairwise-form.small-groups", "Sec. 1, display after (2)",
    Eq(adv(), advantage_pairwise(r, i)),
    domains={G: SMALL_GROUPS, i: FiniteSet(1)}, instance_of="s1.advantage.pairwise-form",
    conditions=[not_all_equal],
    prose="For G = 2, ..., 6 the sums are written out and the two forms agree term by term.")

# -- shift and scale ------------------------------------------------------------------

c_any = variable("c", S.Reals, latex="c")
c_pos = variable("c_pos", Interval.open(0, oo), latex="c")
d = variable("d", S.Reals, latex="d")


def affine(c) -> Family:
    """The transformed rewards c r_j + d of the group."""
    return Family(None, G, lambda idx: c * r[idx] + d)


variance_scales = claim(
    "s1.advantage.variance-scales", "Sec. 1, after (2)",
    Eq(variance(affine(c_any)), c_any ** 2 * variance()),
    prose="For every group size G, the variance of the transformed rewards c r + d is c^2 "
          "times the variance of r: so for c != 0 the transformed rewards are not all equal "
          "exactly when r are not (the condition on both variances below is one condition).")


def _transformed_differ(c) -> sp.Basic:
    return Ne(variance(affine(c)), 0)       # = not_all_equal for c != 0 (variance-scales)


invariance_printed = claim(
    "s1.advantage.shift-scale-invariance", "Sec. 1, after (2)",
    Eq(adv(affine(c_any)), adv()),
    proof=Witness({G: 2, i: 1, c_any: -1, d: 0, r[1]: 1, r[2]: 0},
                  "with c = -1 the rewards swap order"),
    expected="refuted",
    conditions=[Ne(c_any, 0), sp.Le(i, G), not_all_equal, _transformed_differ(c_any)],
    prose="As printed ('invariant under shift and scale transformations') the invariance "
          "fails for a negative scale: r -> -r flips every advantage.")

claim(
    "s1.advantage.shift-scale-invariance.corrected", "Sec. 1, after (2)",
    Eq(adv(affine(c_pos)), adv()),
    conditions=[sp.Le(i, G), not_all_equal, _transformed_differ(c_pos)],
    corrects=invariance_printed, uses=[variance_scales],
    prose="The advantages are invariant under r -> c r + d for every shift d, every scale "
          "c > 0 and every group size G.")

claim(
    "s1.advantage.negative-scale-flips", "Sec. 1, after (2)",
    Eq(adv(affine(-c_pos)), -adv()),
    conditions=[sp.Le(i, G), not_all_equal, _transformed_differ(-c_pos)],
    uses=[variance_scales],
    prose="A negative scale c < 0 negates every advantage, for every group size G.")

# -- groups of two, and the 0/0 convention -----------------------------------------

r1, r2 = variable("r_1", S.Reals, latex="r_1"), variable("r_2", S.Reals, latex="r_2")

pair_sign = claim(
    "s2.1.pairs.advantage-sign", "Sec. 2.1, groups of size two",
    Eq(advantage((r1, r2), 0), sp.sign(r1 - r2)),
    prose="For groups of two, A_i = sign(r_i - r_j), including the tie r_i = r_j, "
          "where the convention 0/0 := 0 gives sign(0) = 0.")

claim(
    "s2.1.pairs.advantage-antisymmetric", "Sec. 2.1, groups of size two",
    Eq(advantage((r1, r2), 1), -advantage((r1, r2), 0)),
    prose="For groups of two, A_j = -A_i.")

eps = variable("epsilon_gap", Interval.open(0, oo), latex=r"\varepsilon")

claim(
    "s1.advantage.zero-convention.from-above", "Sec. 1, after (2)",
    Eq(Limit_(advantage_raw((r2 + eps, r2), 0), eps, 0, "+"), 1),
    prose="The convention 0/0 := 0 is a choice, not a limit: as r_1 comes down to r_2 "
          "the advantage of r_1 stays 1 ...")

claim(
    "s1.advantage.zero-convention.from-below", "Sec. 1, after (2)",
    Eq(Limit_(advantage_raw((r2 - eps, r2), 0), eps, 0, "+"), -1),
    prose="... and as r_1 comes up to r_2 it stays -1, so A_i has no limit at a tie.")
