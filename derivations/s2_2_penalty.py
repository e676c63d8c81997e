"""Section 2.2 -- the reference-policy divergence penalty: (7), KL_0 and the gradients (8)-(10).

For any number K of outputs (K symbolic: the policies are families pi(o), o = 1..K, and
sums over outputs are SymPy sums), and written out for K = 2, 3, 4.  Ids: ``eqN`` is the
paper's equation (N) for every K (and, for (7), every G), ``eqN.kK`` its instance at K
outputs; other instances end in ``.kK`` too.  The general claims come after the written-out
ones ("any number of outputs K"): (8)-(10) and the reverse-KL relations at every coordinate
o <= K, KL_0 on policy, E_old[D] = KL_0, the non-negativity; (7) for every K and G rests on
the named axiom ``s2.2.group-average`` (linearity of expectation over an i.i.d. group),
whose instances ``s2.2.group-average.kK`` (G <= 6) are proved by the multinomial theorem.

* **(7)** (``eq7``).  D(theta | q), the expectation over groups o_1..o_G i.i.d.
  pi_old of (1/G) sum_i D_i, equals KL_0(pi_theta || pi_ref; pi_old), for
  G = 2..6.  The chain: for any per-output values d(o) (opaque symbols), the
  expectation of the group average is (sum_o pi_old(o) d(o)) (sum_o pi_old(o))^(G-1)
  as a polynomial (``s2.2.group-average.kK``, the multinomial theorem), hence
  E_{pi_old}[d] on the simplex; with d(o) the printed D_i that is KL_0
  (``s2.2.kl0-is-expected-penalty.kK``).  The expectation over groups is
  :class:`~grpo_sym.grpo.penalty.GroupAverage`, written out per group size.
* **"An unbiased estimator of KL(pi_theta || pi_ref) when pi_theta = pi_old".**
  Exactly, KL_0(pi || pi*; pi) = KL(pi || pi*) + sum_{o in supp pi} pi*(o) - 1 for
  every non-negative pi (``s2.2.kl0-on-policy.kK``; pi(o) = chi_o u_o with support
  indicators chi_o in {0, 1}, so all 2^K supports are checked).  The paper's own
  assumption (supp pi_theta within supp pi_ref) lets pi_theta vanish where pi_ref
  does not, and then KL_0 < KL: the printed statement is refuted
  (``s2.2.kl0-unbiased-on-policy``, K = 3, a witness with pi_theta(3) = 0).  It
  holds when the supports coincide, e.g. for interior policies
  (``s2.2.kl0-unbiased-on-policy.corrected``, K = 3); only then, by the identity.
  "But not in general": off policy KL_0 and KL differ (``s2.2.kl0-biased-off-policy``,
  a witness with K = 2).
* **(8), (9), (10)** (``eq8``, ``eq9``, ``eq10``): the gradients of KL_0 and KL with
  respect to pi_theta(o), the coordinates treated as independent (no simplex
  constraint), as the paper does; (10) is (8) evaluated at pi_old = pi_theta
  (differentiate first, then substitute).  They differ even at pi_old = pi_theta
  (``s2.2.gradients-differ-on-policy``, a witness).
* **Reverse KL** (``s2.2.reverse-kl-gradient.kK``): d KL(pi_ref || pi_theta) /
  d pi_theta(o) = -pi_ref(o)/pi_theta(o), and (10) minus it is exactly 1
  (``s2.2.eq10-minus-reverse-kl-gradient.k3``).  More precisely, (10) is the
  gradient of KL_rev + sum_o pi_theta(o) (``s2.2.eq10-is-gradient.k3``), a function
  equal to KL_rev + 1 on the simplex (``s2.2.reverse-kl-plus-mass.k3``).  That is
  why the constant is "non-essential": on the simplex the two objectives differ by
  a constant, so they have the same constrained stationary points.
* **Non-negativity.**  x - log x - 1 >= 0 for x > 0 is ``s1.1.gibbs.scalar`` (in
  ``s1_1_rlhf``, where Gibbs' inequality needs the same function), hence
  D_i >= 0 (``s2.2.penalty-nonnegative``), E_{pi_old}[D] >= 0 for any non-negative
  weights pi_old (``s2.2.expected-penalty-nonnegative.k3``) and KL_0 >= 0 for a
  distribution pi_old (``s2.2.kl0-nonnegative.k3``).

The written-out instances (K <= 4, G <= 6; the consequences stated in passing at K = 3)
show the gradients at the output o = 1; the general claims at every output o.  Policies are interior (entries
in (0, 1)) except where support is the point (the KL_0 = KL question).  KL is
written -E_pi[log(pi*/pi)] (:func:`~grpo_sym.grpo.penalty.kl`), the same number as
E_pi[log(pi/pi*)], so that it meets KL_0 term by term when the last probability of
a distribution is eliminated as one minus the others.  The engine's numeric
backup cannot evaluate :class:`GroupAverage` (a SymPy function it does not know),
so the claims that contain it carry their own 50-digit check, which writes the
group size out first and, for small K^G, compares with the literal sum over all
ordered groups (``_written_out_backup``).
"""
from __future__ import annotations

from typing import Callable

import mpmath
import sympy as sp
from sympy import FiniteSet, Interval, Range, S, oo

from .s1_1_rlhf import MAIN_K, eq_id, gibbs_scalar, y
from grpo_sym.grpo.penalty import (GroupAverage, expectation, group_average_sequences, kl,
                                   kl0, on_support, per_sample_penalty, reverse_kl)
from grpo_sym.grpo.symbols import (OUTPUT_INDEX, OUTPUT_VARIABLE, PI_OLD_K, PI_REF_K, PI_THETA_K,
                                   PROB, Family, group_size, output, output_count, policy,
                                   policy_family, weights_family)
from grpo_sym.proof import (REGISTRY, Axiom, Certificate, Claim, Eq, Ge, Le, Ne, OnSimplex,
                            Witness, chain, claim, indexed, lemma_instance, sample_points,
                            variable)
from grpo_sym.proof.mpeval import Undefined, mp_eval

OUTPUT_COUNTS = (2, 3, 4)
GROUP_SIZES = FiniteSet(*range(2, 7))
G = group_size
POSITIVE = Interval.open(0, oo)


def _written_out_backup(c: Claim, limit: int = 0) -> Callable[[int], tuple[bool, str]]:
    """A 50-digit check of ``c`` with the group size written out at each sample point.

    Both sides are evaluated at ``2*dps`` working digits after substituting the
    sampled G (which turns every GroupAverage into its polynomial).  For each G
    with K^G <= ``limit`` the polynomial is also compared, at one point, with the
    literal sum over all K^G ordered groups (:func:`group_average_sequences`), the
    definition itself.
    """
    def check(dps: int) -> tuple[bool, str]:
        tol = mpmath.mpf(10) ** (-dps)
        written: dict[tuple, tuple[sp.Expr, sp.Expr]] = {}
        agreed, literal = 0, 0
        for pt in sample_points(c):
            sizes = {s: v for s, v in pt.items() if isinstance(s, sp.Symbol) and s.is_integer}
            key = tuple(sorted((str(s), int(v)) for s, v in sizes.items()))
            first = key not in written
            if first:
                written[key] = (c.statement.lhs.xreplace(sizes), c.statement.rhs.xreplace(sizes))
            with mpmath.workdps(2 * dps):
                try:
                    lhs, rhs = (mp_eval(side, pt) for side in written[key])
                except Undefined:
                    continue
                if abs(lhs - rhs) > tol * max(1, abs(lhs), abs(rhs)):
                    return False, (f"{c.id}: lhs = {mpmath.nstr(lhs, 20)}, "
                                   f"rhs = {mpmath.nstr(rhs, 20)} at {pt}")
                for ga in (c.statement.atoms(GroupAverage) if first else ()):
                    g = int(ga.args[0].xreplace(sizes))
                    values, pi = ga.args[1], ga.args[2]
                    if len(pi) ** g > limit:
                        continue
                    counts = mp_eval(GroupAverage(g, values, pi), pt)
                    seqs = mp_eval(group_average_sequences(g, tuple(values), tuple(pi)), pt)
                    if abs(counts - seqs) > tol * max(1, abs(seqs)):
                        return False, (f"{c.id}: the group average differs from the sum "
                                       f"over ordered groups at G = {g}, {pt}")
                    literal += 1
            agreed += 1
        return agreed > 0, (f"agrees at {agreed} points with G written out; the group "
                            f"average matches the sum over all ordered groups for {literal} "
                            "group sizes")
    return check


def with_written_out_backup(c: Claim, limit: int = 0) -> Claim:
    c.numeric = _written_out_backup(c, limit)
    return c


# -- (7): the penalty is KL_0 ------------------------------------------------------------

theta1, ref1 = policy("pi_theta", 1)[0], policy("pi_ref", 1)[0]

penalty_nonnegative = claim(
    "s2.2.penalty-nonnegative", "Sec. 2.2, D_i of (1)",
    Ge(per_sample_penalty(theta1, ref1), 0),
    proof=Certificate(lemma_instance(gibbs_scalar, {y: ref1 / theta1}),
                      "D_i = x - log x - 1 at x = pi_ref(o_i)/pi_theta(o_i) > 0",
                      lemmas={gibbs_scalar: [{y: ref1 / theta1}]}),
    prose="Each sample's penalty D_i = x - log x - 1 at x = pi_ref(o_i)/pi_theta(o_i) is "
          "non-negative, and zero only where pi_theta(o_i) = pi_ref(o_i).")

group_average_claims: dict[int, Claim] = {}
expected_penalty: dict[int, Claim] = {}
eq7: dict[int, Claim] = {}
expected_penalty_nonnegative: dict[int, Claim] = {}
kl0_nonnegative: dict[int, Claim] = {}
kl0_on_policy: dict[int, Claim] = {}
eq8: dict[int, Claim] = {}
eq9: dict[int, Claim] = {}
eq10: dict[int, Claim] = {}
reverse_gradient: dict[int, Claim] = {}
eq10_minus_reverse: dict[int, Claim] = {}
eq10_is_gradient: dict[int, Claim] = {}
reverse_plus_mass: dict[int, Claim] = {}

for K in OUTPUT_COUNTS:
    theta, ref, old = policy("pi_theta", K), policy("pi_ref", K), policy("pi_old", K)
    d = tuple(variable(f"dval_{o}", S.Reals, latex=f"d_{{{o}}}") for o in range(1, K + 1))
    D = tuple(per_sample_penalty(t, r) for t, r in zip(theta, ref))

    group_average_claims[K] = with_written_out_backup(claim(
        f"s2.2.group-average.k{K}", "Sec. 2.2, (7)",
        Eq(GroupAverage(G, d, old), expectation(old, d) * sp.Add(*old) ** (G - 1)),
        domains={G: GROUP_SIZES},
        instance_of="s2.2.group-average",
        prose=f"For any values d(o) of {K} outputs, the expectation over groups of G i.i.d. "
              "draws of the group average of d is (sum pi(o) d(o)) (sum pi(o))^(G-1) "
              "(the multinomial theorem), for G = 2..6."), limit=64)

    expected_penalty[K] = claim(
        f"s2.2.kl0-is-expected-penalty.k{K}", "Sec. 2.2, after (7)",
        Eq(expectation(old, D), kl0(theta, ref, old)),
        conditions=[OnSimplex(old)],
        instance_of="s2.2.kl0-is-expected-penalty",
        prose="The printed D_i, averaged over one output drawn from pi_old, is "
              "KL_0(pi_theta || pi_ref; pi_old).")

    eq7[K] = with_written_out_backup(claim(
        eq_id(7, K), "Sec. 2.2, (7)",
        Eq(GroupAverage(G, D, old), kl0(theta, ref, old)),
        proof=chain(GroupAverage(G, d, old))
        .substitute(group_average_claims[K], "the multinomial theorem")
        .rewrite(expectation(old, d), "pi_old sums to one")
        .substitute(dict(zip(d, D)), "d(o) is the penalty D_i of a sample o_i = o")
        .substitute(expected_penalty[K], "E_{pi_old}[D] is KL_0"),
        conditions=[OnSimplex(old)],
        domains={G: GROUP_SIZES},
        instance_of="eq7",
        prose=f"With {K} outputs and groups of G = 2..6, the expected penalty "
              "D(theta | q) of (7) equals KL_0(pi_theta || pi_ref; pi_old)."))

    if K == MAIN_K:  # three outputs only, for time (see the module docstring)
        unnormalised_kl0 = (expectation(old, [r / t for t, r in zip(theta, ref)])
                            - expectation(old, [sp.log(r / t) for t, r in zip(theta, ref)])
                            - expectation(old, [1] * K))
        expected_penalty_nonnegative[K] = claim(
            f"s2.2.expected-penalty-nonnegative.k{K}", "Sec. 2.2, after (7)",
            Ge(unnormalised_kl0, 0),
            proof=Certificate(sp.Add(*[o * lemma_instance(gibbs_scalar, {y: r / t})
                                       for o, t, r in zip(old, theta, ref)]),
                              "E_{pi_old}[D] = sum_o pi_old(o) (x_o - log x_o - 1), "
                              "x_o = pi_ref(o)/pi_theta(o): a non-negative combination",
                              lemmas={gibbs_scalar: [{y: r / t}
                                                     for t, r in zip(theta, ref)]}),
            instance_of="s2.2.expected-penalty-nonnegative",
            prose="E_{pi_old}[pi_ref/pi_theta] - E_{pi_old}[log(pi_ref/pi_theta)] - "
                  "E_{pi_old}[1] = E_{pi_old}[D] >= 0 for any non-negative weights pi_old, "
                  "since each D_i >= 0.")

        kl0_nonnegative[K] = claim(
            f"s2.2.kl0-nonnegative.k{K}", "Sec. 2.2, after (7)",
            Ge(kl0(theta, ref, old), 0),
            proof=chain(expected_penalty_nonnegative[K])
            .rewrite(Ge(kl0(theta, ref, old), 0), "E_{pi_old}[1] = 1: pi_old sums to one"),
            conditions=[OnSimplex(old)],
            instance_of="s2.2.kl0-nonnegative",
            prose="Hence KL_0(pi_theta || pi_ref; pi_old) >= 0, with equality only where "
                  "pi_theta = pi_ref on the support of pi_old.")

    # -- KL_0 = KL on policy: the supports --------------------------------------------
    chi = tuple(variable(f"supp_{o}", FiniteSet(0, 1), latex=f"\\chi_{{{o}}}")
                for o in range(1, K + 1))
    u = tuple(variable(f"usupp_{o}", POSITIVE, latex=f"u_{{{o}}}") for o in range(1, K + 1))
    pi = tuple(c * w for c, w in zip(chi, u))
    kl0_on_policy[K] = claim(
        f"s2.2.kl0-on-policy.k{K}", "Sec. 2.2, after (7)",
        Eq(kl0(pi, ref, pi),
           kl(pi, ref) + sp.Add(*[on_support(p, r) for p, r in zip(pi, ref)]) - 1),
        instance_of="s2.2.kl0-on-policy",
        prose=f"For every non-negative pi on {K} outputs, pi(o) = chi_o u_o with support "
              "indicators chi_o (all 2^K supports): KL_0(pi || pi*; pi) = KL(pi || pi*) + "
              "sum_{o in supp pi} pi*(o) - 1.")

    # -- the gradients ----------------------------------------------------------------
    on_policy = dict(zip(old, theta))
    eq8[K] = claim(
        eq_id(8, K), "Sec. 2.2, (8)",
        Eq(sp.Derivative(kl0(theta, ref, old), theta[0]),
           -old[0] * ref[0] / theta[0] ** 2 + old[0] / theta[0]),
        proof=chain(kl0(theta, ref, old))
        .differentiate(theta[0], "only the o = 1 terms depend on pi_theta(1)",
                       result=-old[0] * ref[0] / theta[0] ** 2 + old[0] / theta[0]),
        instance_of="eq8",
        prose=f"With {K} outputs, d KL_0(pi_theta || pi_ref; pi_old) / d pi_theta(o) = "
              "-pi_old(o) pi_ref(o)/pi_theta(o)^2 + pi_old(o)/pi_theta(o) (at o = 1; the "
              "outputs are interchangeable).")

    eq9[K] = claim(
        eq_id(9, K), "Sec. 2.2, (9)",
        Eq(sp.Derivative(kl(theta, ref), theta[0]), -sp.log(ref[0] / theta[0]) + 1),
        proof=chain(kl(theta, ref))
        .differentiate(theta[0], "only the o = 1 term depends on pi_theta(1)",
                       result=-sp.log(ref[0] / theta[0]) + 1),
        instance_of="eq9",
        prose=f"With {K} outputs, d KL(pi_theta || pi_ref) / d pi_theta(o) = "
              "-log(pi_ref(o)/pi_theta(o)) + 1 (at o = 1).")

    eq10[K] = claim(
        eq_id(10, K), "Sec. 2.2, (10)",
        Eq(sp.Derivative(kl0(theta, ref, old), theta[0]).subs(on_policy),
           -ref[0] / theta[0] + 1),
        proof=chain(eq8[K])
        .substitute(on_policy, "differentiate first, then set pi_old = pi_theta",
                    result=Eq(sp.Derivative(kl0(theta, ref, old), theta[0]).subs(on_policy),
                              -ref[0] / theta[0] + 1)),
        instance_of="eq10",
        prose=f"With {K} outputs, the gradient (8) evaluated at pi_old = pi_theta is "
              "-pi_ref(o)/pi_theta(o) + 1, linear in the ratio pi_ref/pi_theta (at o = 1).")

    reverse_gradient[K] = claim(
        f"s2.2.reverse-kl-gradient.k{K}", "Sec. 2.2, after (10)",
        Eq(sp.Derivative(reverse_kl(theta, ref), theta[0]), -ref[0] / theta[0]),
        proof=chain(reverse_kl(theta, ref))
        .differentiate(theta[0], "only the o = 1 term depends on pi_theta(1)",
                       result=-ref[0] / theta[0]),
        instance_of="s2.2.reverse-kl-gradient",
        prose=f"With {K} outputs, d KL_rev(pi_theta || pi_ref) / d pi_theta(o) = "
              "d KL(pi_ref || pi_theta) / d pi_theta(o) = -pi_ref(o)/pi_theta(o) (at o = 1).")

    if K == MAIN_K:  # three outputs only, for time (see the module docstring)
        eq10_minus_reverse[K] = claim(
            f"s2.2.eq10-minus-reverse-kl-gradient.k{K}", "Sec. 2.2, after (10)",
            Eq(eq10[K].lhs - reverse_gradient[K].lhs, 1),
            proof=chain(eq10[K].lhs - reverse_gradient[K].lhs)
            .substitute(eq10[K], "(10)")
            .substitute(reverse_gradient[K], "the reverse-KL gradient", result=1),
            instance_of="s2.2.eq10-minus-reverse-kl-gradient",
            prose="At pi_old = pi_theta the gradient of GRPO's penalty exceeds the gradient of "
                  "the reverse KL divergence by exactly 1 in every coordinate.")

        mass = sp.Add(*theta)
        eq10_is_gradient[K] = claim(
            f"s2.2.eq10-is-gradient.k{K}", "Sec. 2.2, after (10)",
            Eq(sp.Derivative(reverse_kl(theta, ref) + mass, theta[0]),
               -ref[0] / theta[0] + 1),
            proof=chain(reverse_kl(theta, ref) + mass)
            .differentiate(theta[0], "only the o = 1 terms depend on pi_theta(1)",
                           result=-ref[0] / theta[0] + 1),
            instance_of="s2.2.eq10-is-gradient",
            prose="(10) is exactly the gradient of KL(pi_ref || pi_theta) + sum_o pi_theta(o), "
                  "the coordinates of pi_theta treated as independent.")

        reverse_plus_mass[K] = claim(
            f"s2.2.reverse-kl-plus-mass.k{K}", "Sec. 2.2, after (10)",
            Eq(reverse_kl(theta, ref) + mass, reverse_kl(theta, ref) + 1),
            conditions=[OnSimplex(theta)],
            instance_of="s2.2.reverse-kl-plus-mass",
            prose="On the simplex KL(pi_ref || pi_theta) + sum_o pi_theta(o) is KL_rev + 1: the "
                  "two objectives differ by a constant, so the constant 1 in (10) does not move "
                  "stationary points.")

# -- any number of outputs K ------------------------------------------------------------------
# The statements of the paper, for K outputs with K symbolic: pi(o) is an element of an
# indexed family, sums over outputs are SymPy sums over 1..K, and a gradient is taken with
# respect to one coordinate pi_theta(o), 1 <= o <= K (SymPy differentiates pi_theta(j) by
# pi_theta(o) into a Kronecker delta, which the kernel sums out).

t_K, ref_K, old_K = policy_family("pi_theta"), policy_family("pi_ref"), policy_family("pi_old")
o_K, K_ = output, output_count
AT_OUTPUT = [Le(o_K, K_)]                       # o is one of the K outputs


def on_policy(e: sp.Expr) -> sp.Expr:
    """``e`` at pi_old = pi_theta, after every derivative in it is taken (a Subs:
    differentiate first, then set pi_old = pi_theta, as (10) does)."""
    return sp.Subs(e, old_K.base, t_K.base)


eq8_general = claim(
    "eq8", "Sec. 2.2, (8)",
    Eq(sp.Derivative(kl0(t_K, ref_K, old_K), t_K[o_K]),
       -old_K[o_K] * ref_K[o_K] / t_K[o_K] ** 2 + old_K[o_K] / t_K[o_K]),
    conditions=AT_OUTPUT,
    prose="For K outputs (any K) and every output o, d KL_0(pi_theta || pi_ref; pi_old) / "
          "d pi_theta(o) = -pi_old(o) pi_ref(o)/pi_theta(o)^2 + pi_old(o)/pi_theta(o), the "
          "coordinates of pi_theta treated as independent.")

eq9_general = claim(
    "eq9", "Sec. 2.2, (9)",
    Eq(sp.Derivative(kl(t_K, ref_K), t_K[o_K]), -sp.log(ref_K[o_K] / t_K[o_K]) + 1),
    conditions=AT_OUTPUT,
    prose="For K outputs and every output o, d KL(pi_theta || pi_ref) / d pi_theta(o) = "
          "-log(pi_ref(o)/pi_theta(o)) + 1.")

eq10_general = claim(
    "eq10", "Sec. 2.2, (10)",
    Eq(on_policy(sp.Derivative(kl0(t_K, ref_K, old_K), t_K[o_K])), -ref_K[o_K] / t_K[o_K] + 1),
    conditions=AT_OUTPUT,
    prose="For K outputs and every output o, the gradient (8) at pi_old = pi_theta (taken "
          "first, then evaluated) is -pi_ref(o)/pi_theta(o) + 1.")

reverse_gradient_general = claim(
    "s2.2.reverse-kl-gradient", "Sec. 2.2, after (10)",
    Eq(sp.Derivative(reverse_kl(t_K, ref_K), t_K[o_K]), -ref_K[o_K] / t_K[o_K]),
    conditions=AT_OUTPUT,
    prose="For K outputs and every output o, d KL_rev(pi_theta || pi_ref) / d pi_theta(o) = "
          "d KL(pi_ref || pi_theta) / d pi_theta(o) = -pi_ref(o)/pi_theta(o).")

claim(
    "s2.2.eq10-minus-reverse-kl-gradient", "Sec. 2.2, after (10)",
    Eq(eq10_general.lhs - reverse_gradient_general.lhs, 1),
    proof=chain(eq10_general.lhs - reverse_gradient_general.lhs)
    .substitute(eq10_general, "(10)")
    .substitute(reverse_gradient_general, "the reverse-KL gradient", result=1),
    conditions=AT_OUTPUT,
    prose="For K outputs, at pi_old = pi_theta the gradient of GRPO's penalty exceeds the "
          "gradient of the reverse KL divergence by exactly 1 in every coordinate.")

mass_K = t_K.total(lambda j: t_K[j])
claim(
    "s2.2.eq10-is-gradient", "Sec. 2.2, after (10)",
    Eq(sp.Derivative(reverse_kl(t_K, ref_K) + mass_K, t_K[o_K]), -ref_K[o_K] / t_K[o_K] + 1),
    conditions=AT_OUTPUT,
    prose="For K outputs, (10) is exactly the gradient of KL(pi_ref || pi_theta) + "
          "sum_o pi_theta(o), the coordinates of pi_theta treated as independent.")

t_w = PI_THETA_K     # any interior distribution
claim(
    "s2.2.reverse-kl-plus-mass", "Sec. 2.2, after (10)",
    Eq(reverse_kl(t_w, ref_K) + t_w.total(lambda j: t_w[j]), reverse_kl(t_w, ref_K) + 1),
    prose="For K outputs, on the simplex KL(pi_ref || pi_theta) + sum_o pi_theta(o) is "
          "KL_rev + 1 (pi_theta(o) = w(o)/sum_j w(j), any positive weights): the two "
          "objectives differ by a constant, so the constant 1 in (10) does not move "
          "stationary points.")

claim(
    "s2.2.kl0-on-policy", "Sec. 2.2, after (7)",
    Eq(kl0(t_K, ref_K, t_K), kl(t_K, ref_K) + ref_K.total(lambda j: ref_K[j]) - 1),
    prose="For K outputs and every interior pi: KL_0(pi || pi*; pi) = KL(pi || pi*) + "
          "sum_o pi*(o) - 1 (the instances s2.2.kl0-on-policy.kK also cover policies that "
          "vanish on some outputs, all 2^K supports).")

ref_v = PI_REF_K
unbiased_general = claim(
    "s2.2.kl0-unbiased-on-policy.corrected", "Sec. 2.2, after (7)",
    Eq(kl0(t_K, ref_v, t_K), kl(t_K, ref_v)),
    prose="For K outputs: KL_0(pi_theta || pi_ref; pi_theta) = KL(pi_theta || pi_ref) for "
          "every interior pi_theta and normalised pi_ref(o) = v(o)/sum_j v(j) (pi_theta itself "
          "need not be normalised).")
expected_penalty_nonnegative_general = claim(
    "s2.2.expected-penalty-nonnegative", "Sec. 2.2, after (7)",
    Ge(expectation(old_K, lambda j: ref_K[j] / t_K[j])
       - expectation(old_K, lambda j: sp.log(ref_K[j] / t_K[j]))
       - expectation(old_K, lambda j: 1), 0),
    proof=Certificate(old_K.total(lambda j: old_K[j] * lemma_instance(
        gibbs_scalar, {y: ref_K[j] / t_K[j]})),
        "E_{pi_old}[D] = sum_o pi_old(o) (x_o - log x_o - 1), x_o = pi_ref(o)/pi_theta(o): "
        "a sum of non-negative terms",
        lemmas={gibbs_scalar: [{y: ref_K[OUTPUT_INDEX] / t_K[OUTPUT_INDEX]}]}),
    prose="For K outputs: E_{pi_old}[pi_ref/pi_theta] - E_{pi_old}[log(pi_ref/pi_theta)] - "
          "E_{pi_old}[1] = E_{pi_old}[D] >= 0 for any non-negative weights pi_old, since each "
          "D_i >= 0.")

old_u = PI_OLD_K
claim(
    "s2.2.kl0-is-expected-penalty", "Sec. 2.2, after (7)",
    Eq(expectation(old_u, lambda j: per_sample_penalty(t_K[j], ref_K[j])),
       kl0(t_K, ref_K, old_u)),
    prose="For K outputs (any K): the printed D_i, averaged over one output drawn from pi_old "
          "(normalised, u/sum u), is KL_0(pi_theta || pi_ref; pi_old).")
claim(
    "s2.2.kl0-nonnegative", "Sec. 2.2, after (7)",
    Ge(kl0(t_K, ref_K, old_u), 0),
    proof=Certificate(old_u.total(lambda j: old_u[j] * lemma_instance(
        gibbs_scalar, {y: ref_K[j] / t_K[j]})),
        "KL_0 = sum_o pi_old(o) (x_o - log x_o - 1) with pi_old normalised",
        lemmas={gibbs_scalar: [{y: ref_K[OUTPUT_INDEX] / t_K[OUTPUT_INDEX]}]}),
    prose="For K outputs, KL_0(pi_theta || pi_ref; pi_old) >= 0 for every distribution "
          "pi_old(o) = u(o)/sum_j u(j), with equality only where pi_theta = pi_ref.")

# -- (7) for any K and any G: the expectation over an i.i.d. group, a named axiom ---------------

x_out = OUTPUT_VARIABLE
d_K = Family(indexed("dval", S.Reals, latex="d"))        # any values d(o) per output
pi_any = weights_family("pi_weight", r"\pi")             # any positive weights pi(o)
draws = variable("n_draws", Range(1, oo), latex="n")      # i.i.d. draws: a group, or its others
group_average_axiom = claim(
    "s2.2.group-average", "Sec. 2.2, (7)",
    Eq(GroupAverage(draws, sp.Lambda(x_out, d_K[x_out]), sp.Lambda(x_out, pi_any[x_out]), K_),
       expectation(pi_any, lambda j: d_K[j]) * pi_any.total(lambda j: pi_any[j]) ** (draws - 1)),
    proof=Axiom("linearity of expectation over an i.i.d. group",
                "each of the n positions of a group drawn i.i.d. from pi is distributed as pi; "
                "at every concrete G and K this is the multinomial theorem (proved for K <= 4, "
                "G <= 6 as s2.2.group-average.kK)"),
    prose="For any values d(o) of K outputs and any number n >= 1 of draws, the expectation "
          "over n i.i.d. draws of their average of d is (sum pi(o) d(o)) (sum pi(o))^(n-1): "
          "assumed for symbolic K and n (a named axiom), proved at the instances "
          "s2.2.group-average.kK.")

D_lambda = sp.Lambda(x_out, per_sample_penalty(t_K[x_out], ref_K[x_out]))
claim(
    "eq7", "Sec. 2.2, (7)",
    Eq(GroupAverage(G, D_lambda, sp.Lambda(x_out, old_u[x_out]), K_), kl0(t_K, ref_K, old_u)),
    proof=chain(GroupAverage(G, D_lambda, sp.Lambda(x_out, old_u[x_out]), K_))
    .substitute(group_average_axiom, "linearity over the i.i.d. group",
                instance={d_K.base: D_lambda, pi_any.base: sp.Lambda(x_out, old_u[x_out]),
                          draws: G})
    .rewrite(expectation(old_u, lambda j: per_sample_penalty(t_K[j], ref_K[j])),
             "pi_old sums to one")
    .substitute(REGISTRY["s2.2.kl0-is-expected-penalty"], "E_{pi_old}[D] is KL_0"),
    prose="(7) for K outputs and groups of G, both symbolic: the expected penalty D(theta | q) "
          "equals KL_0(pi_theta || pi_ref; pi_old) for pi_old = u/sum u (resting on the named "
          "axiom s2.2.group-average).")

# -- on policy, but with outputs outside the support ---------------------------------------

theta3, ref3 = policy("pi_theta", 3, PROB), policy("pi_ref", 3)
unbiased_printed = claim(
    "s2.2.kl0-unbiased-on-policy", "Sec. 2.2, after (7)",
    Eq(kl0(theta3, ref3, theta3), kl(theta3, ref3)),
    proof=Witness({theta3[0]: sp.Rational(1, 2), theta3[1]: sp.Rational(1, 2), theta3[2]: 0,
                   ref3[0]: sp.Rational(1, 4), ref3[1]: sp.Rational(1, 4),
                   ref3[2]: sp.Rational(1, 2)},
                  "pi_theta puts no mass on output 3, which pi_ref supports: "
                  "KL_0 = log 2 - 1/2 but KL = log 2"),
    expected="refuted",
    conditions=[OnSimplex(theta3), OnSimplex(ref3)],
    prose="As printed -- 'an unbiased estimator of KL(pi_theta || pi_ref) when pi_theta = "
          "pi_old' -- the claim fails for policies that vanish where pi_ref does not, which "
          "the paper's support assumption allows: then KL_0 = KL + sum_{supp pi_theta} "
          "pi_ref - 1 < KL.")

# the correction, for any K, is declared above with the other general claims
unbiased_printed.corrected_by, unbiased_general.corrects = unbiased_general, unbiased_printed

theta3_int = policy("pi_theta", 3)
claim(
    "s2.2.kl0-unbiased-on-policy.corrected.k3", "Sec. 2.2, after (7)",
    Eq(kl0(theta3_int, ref3, theta3_int), kl(theta3_int, ref3)),
    conditions=[OnSimplex(ref3)],
    instance_of="s2.2.kl0-unbiased-on-policy.corrected",
    prose="KL_0(pi_theta || pi_ref; pi_theta) = KL(pi_theta || pi_ref) when pi_theta has the "
          "support of pi_ref, e.g. for interior policies (and only then, by "
          "s2.2.kl0-on-policy); this needs pi_ref normalised, not pi_theta.")

theta2, ref2, old2 = policy("pi_theta", 2), policy("pi_ref", 2), policy("pi_old", 2)
half, quarter = sp.Rational(1, 2), sp.Rational(1, 4)
claim(
    "s2.2.kl0-biased-off-policy", "Sec. 2.2, after (7)",
    Ne(kl0(theta2, ref2, old2), kl(theta2, ref2)),
    proof=Witness({theta2[0]: half, theta2[1]: half, ref2[0]: quarter, ref2[1]: 3 * quarter,
                   old2[0]: 3 * quarter, old2[1]: quarter},
                  "pi_old != pi_theta"),
    quantifier="exists",
    conditions=[OnSimplex(theta2), OnSimplex(ref2), OnSimplex(old2)],
    prose="'... but not in general': off policy KL_0(pi_theta || pi_ref; pi_old) can differ "
          "from KL(pi_theta || pi_ref).")

claim(
    "s2.2.gradients-differ-on-policy", "Sec. 2.2, before (10)",
    Ne(eq10[2].lhs, eq9[2].lhs),
    proof=Witness({theta2[0]: half, theta2[1]: half, ref2[0]: quarter, ref2[1]: 3 * quarter},
                  "(10) gives 1/2, (9) gives 1 + log 2"),
    quantifier="exists",
    conditions=[OnSimplex(theta2), OnSimplex(ref2)],
    prose="The gradients (8) and (9) differ even at pi_old = pi_theta.")
