"""The finite-sum rules of ``grpo_sym.proof.binomial``: each proved once in general, each
with the false claim it must reject.

Theorems (what the kernel trusts, proved here rather than believed):

* the index shift is a bijection of the ranges; splitting a sum at a point inside its range
  and merging sums over one range are finite-sum bookkeeping (checked exactly, with a
  symbolic family, over every short range);
* Pascal and absorption hold term by term on factorials (SymPy, with the range
  parametrisation), and at every integer point, inside and outside the range, by SymPy's
  binomial convention;
* C(n, m) is a product of positive factors for 0 <= m <= n;
* the range parametrisation is a bijection onto the non-negative pairs with G(a, b) >= 2;
* a sum split where its summand changes, ``[i <= t]``, is finite-sum bookkeeping for every
  threshold with ``lo - 1 <= t <= hi`` (checked at every such point of short ranges), and is
  refused when the threshold may lie outside;
* the normal form preserves value (checked against the sums written out).
"""
from __future__ import annotations

import itertools

import pytest
import sympy as sp
from sympy import IndexedBase, Interval, Range, Sum, binomial, oo, sqrt

from grpo_sym.proof import Certificate, Eq, Ge, Gt, Registry, claim, variable, verify_claim
from grpo_sym.proof.binomial import (AtMost, absorption, bernstein_derivative, bernstein_sum,
                                     elevate_degree, merge_sums, pascal, range_parametrisation,
                                     second_difference, shift_index, split_first, split_last,
                                     split_at_threshold, sum_normal_form, summand_vanishes)
from grpo_sym.proof.kernel import Context, is_nonnegative, reduces_to_zero

n = variable("t_b_n", Range(2, oo))
x = variable("t_b_x", Interval.open(0, 1))
k = sp.Symbol("t_b_k", integer=True)
m = variable("t_b_m", Range(0, oo))
c = IndexedBase("t_b_c", real=True)
A, B = sp.symbols("t_b_a t_b_b", integer=True, nonnegative=True)


def coeff(idx):
    return c[idx]


def _outcome(statement, proof=None, numeric=True, **kw):
    reg = Registry()
    cl = claim(f"t.binomial.{len(reg)}", "test", statement, proof=proof, prose="", registry=reg,
               **kw)
    return verify_claim(cl, second_prover=False, numeric=numeric)


def _proved(statement, proof=None, **kw):
    """Proved by the kernel and confirmed by the numeric backup (a right statement)."""
    r = _outcome(statement, proof, **kw)
    return r.symbolic == "proved" and r.ok


def _kernel_proves(statement, proof=None, **kw):
    """Proved by the kernel alone: what a wrong statement must never be (no numeric
    backup, which could only hide a wrong proof behind its counterexample)."""
    return _outcome(statement, proof, numeric=False, **kw).symbolic == "proved"


def _written_out(e, size):
    return sp.expand(e.xreplace({n: size}).doit())


# -- the theorems -----------------------------------------------------------------------

SHORT = [(lo, hi) for lo in range(-2, 3) for hi in range(lo - 1, lo + 5)]


@pytest.mark.parametrize("lo,hi", SHORT)
def test_shift_split_merge_are_finite_sum_bookkeeping(lo, hi):
    s = Sum(c[k] * k, (k, lo, hi))
    total = s.doit()
    for d in range(-3, 4):
        assert sp.expand(shift_index(s, d).doit() - total) == 0
        # SymPy's own change of index agrees with the rule
        assert shift_index(s, d).doit() == s.change_index(k, k + d).doit()
    if hi >= lo:          # a range that is not empty
        assert sp.expand(split_first(s).doit() - total) == 0
        assert sp.expand(split_last(s).doit() - total) == 0
    t = Sum(c[k + 7], (k, lo, hi))
    assert sp.expand(merge_sums(s, t).doit() - total - t.doit()) == 0


T = sp.Symbol("t_b_t", integer=True)
d = IndexedBase("t_b_d", real=True)


@pytest.mark.parametrize("lo,hi", SHORT)
def test_threshold_split_is_finite_sum_bookkeeping(lo, hi):
    s = Sum(c[k] * AtMost(k, T) + d[k], (k, lo, hi))
    inside = Context(relations=(Ge(T, lo - 1), sp.Le(T, hi)))
    split = split_at_threshold(s, inside)
    assert split != s
    for t in range(lo - 1, hi + 1):
        assert sp.expand(split.xreplace({T: t}).doit() - s.xreplace({T: t}).doit()) == 0


def test_threshold_split_is_refused_where_the_threshold_may_lie_outside():
    s = Sum(c[k] * AtMost(k, T), (k, 1, n))
    for ctx in (Context(), Context(relations=(sp.Le(T, n),)), Context(relations=(Ge(T, 0),))):
        assert split_at_threshold(s, ctx) == s
    assert split_at_threshold(s, Context(relations=(sp.Le(T, n), Ge(T, 0)))) != s
    # a bracket of something else than the index, or two brackets: left alone
    both = Context(relations=(sp.Le(T, n), Ge(T, 0)))
    shifted = Sum(c[k] * AtMost(k + 1, T), (k, 1, n))
    assert split_at_threshold(shifted, both) == shifted
    two = Sum(c[k] * AtMost(k, T) * AtMost(k, m), (k, 1, n))
    assert split_at_threshold(two, both) == two


def test_threshold_split_in_the_kernel():
    """The kernel's "binomial sums" rewrite splits only where the threshold is in range."""
    tt = variable("t_b_tt", Range(0, oo))
    gap = Sum(1 + AtMost(k, tt), (k, 1, n)) - n - tt     # zero iff tt <= n
    assert not reduces_to_zero(gap, "binomial sums", Context())
    assert reduces_to_zero(gap, "binomial sums", Context(relations=(sp.Le(tt, n),)))
    off_by_one = Sum(c[k] * AtMost(k, tt), (k, 1, tt + m)) - Sum(c[k], (k, 1, tt + 1))
    assert not reduces_to_zero(off_by_one, "binomial sums", Context())
    assert reduces_to_zero(off_by_one + c[tt + 1], "binomial sums", Context())


def test_split_of_an_empty_range_is_refused_by_the_kernel():
    # split_last of sum_{k=0}^{n-3} at n = 2 would invent a term: the kernel must not use it
    s = Sum(c[k], (k, 0, n - 3))
    assert not _kernel_proves(Eq(s, split_last(s)))


def test_merge_of_different_ranges_raises():
    with pytest.raises(ValueError, match="t must range"):
        merge_sums(Sum(c[k], (k, 0, n)), Sum(c[k], (k, 1, n)))


def test_pascal_and_absorption_on_factorials_and_at_every_point():
    # term level, 1 <= k <= N - 1: k = 1 + a, N = a + b + 2
    N, kk = A + B + 2, A + 1
    assert sp.combsimp(pascal(binomial(N, kk)) - binomial(N, kk)) == 0
    assert sp.combsimp(absorption(kk * binomial(N, kk)) - kk * binomial(N, kk)) == 0
    # every integer point, in and out of range, by SymPy's convention (0 outside [0, N])
    for N_, k_ in itertools.product(range(1, 13), range(-3, 16)):
        assert binomial(N_, k_) == binomial(N_ - 1, k_) + binomial(N_ - 1, k_ - 1)
        assert k_ * binomial(N_, k_) == N_ * binomial(N_ - 1, k_ - 1)


def test_binomial_is_a_product_of_positive_factors():
    i = sp.Symbol("i", integer=True, positive=True)
    product = sp.Product((B + i) / i, (i, 1, A)).doit()       # C(a + b, a), 0 <= a <= a + b
    assert sp.combsimp(binomial(A + B, A) - product) == 0
    for N_, k_ in itertools.product(range(0, 16), range(-3, 19)):
        assert binomial(N_, k_) >= 0
        assert (binomial(N_, k_) > 0) == (0 <= k_ <= N_)


def test_range_parametrisation_is_a_bijection():
    lo, hi = 1, n - 1
    g, inner = range_parametrisation(k, k, lo, hi, Context())
    (rel,) = inner.relations
    image = set()
    a_sym, b_sym = sorted(rel.free_symbols, key=str)
    for a_, b_ in itertools.product(range(12), range(12)):
        size = sp.solve(sp.Eq(hi - lo, a_ + b_), n)[0]
        assert g.xreplace({a_sym: a_, b_sym: b_}) == lo + a_      # k = lo + a
        if bool(rel.xreplace({a_sym: a_, b_sym: b_})):
            image.add((size, lo + a_))
    expected = {(size, kk) for size in range(2, 12) for kk in range(lo, size)}
    assert expected <= image
    assert all(size >= 2 and lo <= kk <= size - 1 for size, kk in image)


@pytest.mark.parametrize("expr", [
    bernstein_sum(n, x, coeff).diff(x) - bernstein_derivative(n, x, coeff),
    bernstein_sum(n, x, coeff).diff(x, 2) - second_difference(n, x, coeff),
    bernstein_sum(n, x, coeff) - elevate_degree(n, x, coeff),
    bernstein_sum(n, x, coeff).diff(x) - 2 * bernstein_derivative(n, x, coeff),   # not 0
])
def test_normal_form_preserves_value(expr):
    done = sum_normal_form(expr.doit() if expr.has(sp.Derivative) else expr, Context())
    for size in range(2, 7):
        before, after = _written_out(expr, size), _written_out(done, size)
        assert sp.cancel(sp.together(before - after)) == 0


# -- each rule proves its identity and rejects its false twin --------------------------------

def test_bernstein_derivative_formula():
    assert _proved(Eq(sp.Derivative(bernstein_sum(n, x, coeff), x),
                      bernstein_derivative(n, x, coeff)))
    # the factor n dropped
    assert not _kernel_proves(Eq(sp.Derivative(bernstein_sum(n, x, coeff), x),
                          bernstein_derivative(n, x, coeff) / n))


def test_second_difference_formula():
    assert _proved(Eq(sp.Derivative(bernstein_sum(n, x, coeff), (x, 2)),
                      second_difference(n, x, coeff)))
    # the sign of the middle term flipped
    flipped = n * (n - 1) * Sum(binomial(n - 2, k) * x**k * (1 - x)**(n - 2 - k)
                                * (c[k + 2] + 2 * c[k + 1] + c[k]), (k, 0, n - 2))
    assert not _kernel_proves(Eq(sp.Derivative(bernstein_sum(n, x, coeff), (x, 2)), flipped))


def test_degree_elevation():
    assert _proved(Eq(bernstein_sum(n, x, coeff), elevate_degree(n, x, coeff)))
    # the weights exchanged
    swapped = Sum(binomial(n + 1, k) * x**k * (1 - x)**(n + 1 - k)
                  * ((1 - k / (n + 1)) * c[k - 1] + k / (n + 1) * c[k]), (k, 0, n + 1))
    assert not _kernel_proves(Eq(bernstein_sum(n, x, coeff), swapped))


def test_index_shift():
    s = Sum(binomial(n - 1, k) * x**k * c[k], (k, 0, n - 1))
    assert _proved(Eq(s, shift_index(s, 1)))
    # off by one: the range moved, the summand not
    assert not _kernel_proves(Eq(s, Sum(binomial(n - 1, k) * x**k * c[k], (k, 1, n))))
    # off by one: the summand moved, the range not
    assert not _kernel_proves(Eq(s, Sum(binomial(n - 1, k - 1) * x**(k - 1) * c[k - 1], (k, 0, n - 1))))


def test_split_first_and_last():
    s = Sum(binomial(n, k) * x**k * c[k], (k, 0, n))
    assert _proved(Eq(s, split_first(s)))
    assert _proved(Eq(s, split_last(s)))
    # a wrong range: the first term counted twice
    assert not _kernel_proves(Eq(s, c[0] + Sum(binomial(n, k) * x**k * c[k], (k, 0, n))))


def test_pascal_rule():
    s = Sum(binomial(n, k) * c[k], (k, 1, n - 1))
    assert _proved(Eq(s, pascal(s)))
    flipped = Sum((binomial(n - 1, k) - binomial(n - 1, k - 1)) * c[k], (k, 1, n - 1))
    assert not _kernel_proves(Eq(s, flipped))


def test_absorption_rule():
    s = Sum(k * binomial(n, k) * c[k], (k, 1, n))
    assert _proved(Eq(s, absorption(s)))
    assert not _kernel_proves(Eq(s, Sum(n * binomial(n - 1, k) * c[k], (k, 1, n))))


def test_binomial_positivity():
    assert is_nonnegative(binomial(n, m), Context())
    assert not is_nonnegative(binomial(n, m), Context(), strict=True)     # m > n allowed: 0
    inside = Sum(binomial(n, k) * x**k, (k, 0, n))
    assert _proved(Gt(inside, 0), Certificate(inside, "positive terms"))
    # k > n allowed: every term is 0
    past = Sum(binomial(n, k) * x**k, (k, n + 1, n + 3))
    assert not _kernel_proves(Gt(past, 0), Certificate(past, "claimed positive terms"))
    # a negative binomial upper argument: C(-1, 1) = -1
    assert not is_nonnegative(binomial(n - 3, 1), Context())


def test_termwise_sign_keeps_the_edges_of_the_range():
    # true for every n >= 2 but not term by term (the term k = 0 is -1): not proved termwise
    s = Sum(k - 1, (k, 0, n))
    assert not _kernel_proves(Ge(s, 0), Certificate(s, "claimed termwise"))
    assert _proved(Ge(Sum(k - 1, (k, 1, n)), 0), Certificate(Sum(k - 1, (k, 1, n)), "termwise"))
    # false at n = 2 (-2 - 1 + 0): refuted
    assert _outcome(Ge(Sum(k - 2, (k, 0, n)), 0)).symbolic == "refuted"


def test_summand_vanishes_needs_in_range_binomials():
    # C(n, k) - C(n, n - k) = 0 only for 0 <= k <= n; over 0..n + 1 SymPy's values differ
    assert summand_vanishes(binomial(n, k) - binomial(n, n - k), k, 0, n, Context())
    assert not summand_vanishes(binomial(n, k) - binomial(n, n - k), k, -1, n, Context())


def test_phi_identities_for_every_group_size():
    """The binary finite-group identity the rules were made for, with a planted error."""
    phi = lambda t: sqrt(t * (1 - t))  # noqa: E731
    pref = Sum(binomial(n - 1, k) * x**k * (1 - x)**(n - 1 - k) * sqrt((n - 1 - k) / (k + 1)),
               (k, 0, n - 1))
    bern = Sum(binomial(n, k) * x**k * (1 - x)**(n - k) * phi(k / n), (k, 0, n))
    assert _proved(Eq(x * pref, bern))
    wrong = Sum(binomial(n - 1, k) * x**k * (1 - x)**(n - 1 - k) * sqrt((n - k) / (k + 1)),
                (k, 0, n - 1))
    assert not _kernel_proves(Eq(x * wrong, bern))


# -- the order of two roots: MonotoneComparison --------------------------------------------

u = variable("t_b_u", Interval.open(0, 1))
yy = variable("t_b_y", Interval.open(0, 1))
rr = variable("t_b_r", Interval.open(0, 1))
wide = variable("t_b_wide", Interval.open(0, 2))
gap = variable("t_b_gap", Interval(0, oo))


def _increasing_lemma(reg, statement=None, **kw):
    statement = statement if statement is not None else Gt(sp.Derivative(u**3 + u, u), 0)
    return claim(f"t.increasing.{len(reg)}", "test", statement,
                 proof=Certificate(3 * u**2 + 1, "3u^2 + 1"), registry=reg, **kw)


def _compare(statement, lemma_kw=None, lemma_statement=None, certificate=gap, premise=None,
             **kw):
    from grpo_sym.proof import MonotoneComparison
    reg = Registry()
    lemma = _increasing_lemma(reg, lemma_statement, **(lemma_kw or {}))
    assert verify_claim(lemma, second_prover=False).symbolic == "proved" or lemma_kw
    given = Eq(rr**3 + rr, yy**3 + yy + gap)
    cl = claim("t.compare", "test", statement, given=given,
               proof=MonotoneComparison(lemma, certificate, premises={premise if premise is not None else given: 1}),
               registry=reg, **kw)
    return verify_claim(cl, second_prover=False, numeric=False).symbolic


def test_monotone_comparison_orders_roots():
    assert _compare(sp.Le(yy, rr)) == "proved"
    assert _compare(sp.Ge(rr, yy)) == "proved"


def test_monotone_comparison_rejects_the_reversed_order():
    assert _compare(sp.Le(rr, yy)) != "proved"
    assert _compare(sp.Lt(yy, rr)) != "proved"          # gap may be 0: not strict


def test_monotone_comparison_needs_a_strictly_increasing_function_on_the_interval():
    weak = Ge(sp.Derivative(u**3 + u, u), 0)
    assert _compare(sp.Le(yy, rr), lemma_statement=weak) != "proved"
    # increasing only where u > 1/2: not on the whole interval
    assert _compare(sp.Le(yy, rr), lemma_kw={"conditions": [sp.Gt(u, sp.Rational(1, 2))]}) \
        != "proved"


def test_monotone_comparison_needs_its_premises_and_points():
    other = Eq(rr**3 + rr, yy**3 + yy + 2 * gap)
    assert _compare(sp.Le(yy, rr), premise=other) != "proved"
    from grpo_sym.proof import MonotoneComparison
    reg = Registry()
    lemma = _increasing_lemma(reg)
    given = Eq(rr**3 + rr, wide**3 + wide + gap)              # wide may lie beyond 1
    cl = claim("t.compare.wide", "test", sp.Le(wide, rr), given=given,
               proof=MonotoneComparison(lemma, gap, premises={given: 1}), registry=reg)
    assert verify_claim(cl, second_prover=False, numeric=False).symbolic != "proved"
    # an equation of roots needs g(r) - g(y) = 0, not >= 0
    assert _compare(Eq(yy, rr)) != "proved"


def test_stationary_policy_order_in_g_is_not_strict():
    """p*_G < p*_{G+1} is not what the Jensen gaps give (they may vanish): not proved.  (The
    reversed order is the toy case above: here its false obligation sends the ladder through
    every rewrite of two symbolic sums, minutes.)"""
    from grpo_sym.derivations import x1_finite_groups as x1
    from grpo_sym.proof import MonotoneComparison, lemma_instance
    reg = Registry()
    proof = MonotoneComparison(x1.unique, lemma_instance(x1.increasing_in_G, {}) / x1.p,
                               premises={x1.next_condition: 1 / x1.p_other,
                                         x1.bernstein_condition: -1 / x1.p},
                               lemmas={x1.increasing_in_G: [{}]}, instance={x1.G: x1.G + 1})
    wrong = claim("t.p-next-strict", "test", sp.Lt(x1.p, x1.p_other), given=x1.bernstein_condition,
                  conditions=[x1.next_condition], proof=proof, registry=reg)
    assert verify_claim(wrong, second_prover=False, numeric=False).symbolic != "proved"


def test_jump_at_zero_reference_needs_beta_above_the_slope():
    from grpo_sym.derivations import x1_finite_groups as x1
    from grpo_sym.proof import lemma_instance
    reg = Registry()
    half = x1.SLOPE_AT_ZERO / 2                   # beta >= sqrt(G - 1)/2 is not enough
    wrong = claim("t.no-interior-half", "test", Gt(x1.beta * x1.p - x1.B_p, 0),
                  proof=Certificate(x1.beta / half * lemma_instance(x1.below_tangent_at_zero, {})
                                    + (x1.beta - half) / half * x1.B_p, "claimed",
                                    lemmas={x1.below_tangent_at_zero: [{}]}),
                  conditions=[sp.Ge(x1.beta, half)], registry=reg)
    assert verify_claim(wrong, second_prover=False, numeric=False).symbolic != "proved"
    slope = x1.bernstein_derivative(x1.G, sp.S.Zero, lambda i: x1.phi(i / x1.G), x1.k)
    assert not _kernel_proves(Eq(slope, sqrt(x1.G)))     # the slope is sqrt(G - 1), not sqrt(G)


def test_sign_of_a_difference_of_values():
    from grpo_sym.proof import MonotoneComparison
    reg = Registry()
    lemma = _increasing_lemma(reg)
    given = Eq(rr**3 + rr, yy**3 + yy + gap)
    right = claim("t.sign.right", "test", Eq(sp.sign(gap), sp.sign(rr - yy)), given=given,
                  proof=MonotoneComparison(lemma, 0, premises={given: -1}), registry=reg)
    assert verify_claim(right, second_prover=False, numeric=False).symbolic == "proved"
    flipped = claim("t.sign.flipped", "test", Eq(sp.sign(gap), sp.sign(yy - rr)), given=given,
                    proof=MonotoneComparison(lemma, 0, premises={given: -1}), registry=reg)
    assert verify_claim(flipped, second_prover=False, numeric=False).symbolic != "proved"


def test_count_law_check_rejects_wrong_laws():
    """The exact check of the named axiom s2.1.binary.count-law (both sides written out for
    n = 1..8 draws) accepts the binomial law and rejects near misses."""
    from grpo_sym.derivations.s2_1_reward_preference import (COUNT_LAW, h_count, kk, n_others,
                                                             q, written_out_draws)
    assert written_out_draws(COUNT_LAW)(50)[0]
    no_binomial = Sum(q**kk * (1 - q)**(n_others - kk) * h_count[kk, n_others - kk],
                      (kk, 0, n_others))
    swapped = Sum(binomial(n_others, kk) * q**(n_others - kk) * (1 - q)**kk
                  * h_count[kk, n_others - kk], (kk, 0, n_others))
    for wrong in (no_binomial, swapped):
        ok, detail = written_out_draws(Eq(COUNT_LAW.lhs, wrong))(50)
        assert not ok and detail.startswith("n = ")


@pytest.mark.parametrize("o", [0, 1])
def test_binary_preference_definition_is_the_written_out_one(o):
    """P_G(o | pi_old) of a binary question as stated for symbolic G (the counts of the others,
    a group sorted by kind) is, at each concrete G, the expectation over every ordered group
    of the advantages computed from its rewards: exactly, G = 2..6; a flipped reward order
    is not."""
    import grpo_sym
    grpo_sym.load_registry()
    from grpo_sym.derivations.s2_1_reward_preference import (BIN_LAWS, G, binary_from_definition,
                                                             q)
    from grpo_sym.grpo.preference import expected_group_preference, group_preference
    from grpo_sym.proof.mpeval import write_out
    flipped = BIN_LAWS[::-1]
    for g in range(2, 7):
        new = write_out(binary_from_definition(o).xreplace({G: g}))
        old = expected_group_preference(o, (q, 1 - q), g,
                                        lambda o_, oth: group_preference(o_, oth, BIN_LAWS))
        wrong = expected_group_preference(o, (q, 1 - q), g,
                                          lambda o_, oth: group_preference(o_, oth, flipped))
        assert sp.expand(new - old) == 0
        assert sp.expand(new - wrong) != 0


# -- derivatives of binomial sums over a symbolic range (kernel.held_sums) ------------------

def test_carried_out_derivative_keeps_a_binomial_sum_and_its_value():
    """d/dx sum_k C(n, k) x^k (1-x)^(n-k) c_k is carried out term by term, the sum kept (not
    handed to SymPy's summation); its value is the derivative of the sum written out."""
    from grpo_sym.proof.kernel import carry_out
    # the coefficient 1: SymPy would sum the binomial law itself, to a Piecewise
    for s in (bernstein_sum(n, x, coeff, k), bernstein_sum(n, x, lambda _: 1, k)):
        done = carry_out(sp.Derivative(s, x))
        assert done == Sum(s.function.diff(x), (k, 0, n))
        for size in (2, 3, 4):
            assert sp.cancel(_written_out(done, size) - _written_out(s, size).diff(x)) == 0
    # a sum over a concrete range is still written out
    assert not carry_out(sp.Derivative(s.xreplace({n: 3}), x)).has(Sum)


# -- x2: an epsilon in the denominator, for every G: each proof with the wrong twin it rejects

def _x2():
    from grpo_sym.derivations import x2_trainer_conventions as x2
    return x2


def test_eps_bernstein_positive_needs_its_positive_term_split_off():
    """B_G^eps > 0: from j = 0 the term j = 0 vanishes, so the sum is not termwise positive."""
    x2 = _x2()
    assert _proved(Gt(x2.B_eps, 0), Certificate(x2._from_second_term(x2.phi_eps), "j = 1 split"))
    assert not _kernel_proves(Gt(x2.B_eps, 0), Certificate(x2.B_eps, "claimed termwise positive"))
    # B_G^eps > B_G is false: the gap phi eps/(phi + eps) is not negative
    assert not _kernel_proves(Gt(x2.B_eps - x2.x1.B_p, 0),
                       Certificate(-x2._from_second_term(x2._eps_gap), "claimed"))


def test_eps_chord_needs_the_epsilon_term_non_negative():
    x2 = _x2()
    i_, G, eps = x2.x1.i_, x2.G, x2.eps
    lower, upper = x2.phi((i_ - 1) / G), x2.phi(i_ / G)
    flipped = (lower * upper * x2.x1.chord_gap_phi(i_) - eps * i_ * (i_ - 1) / G**2) \
        / ((lower + eps) * (upper + eps))
    statement = Ge(x2.B_eps - x2.p * sp.Derivative(x2.B_eps, x2.p), 0)
    assert not _kernel_proves(statement, Certificate(Sum(x2.basis(G, i_) * flipped, (i_, 2, G)), "claimed"))
    assert _proved(statement, Certificate(x2.EPS_CHORD, "the chord gaps"))


def test_large_epsilon_bound_is_one_over_four_eps_not_eight():
    """B_G^eps <= 1/(4 eps) for every G; 1/(8 eps) fails for eps > 1/2 (at p = 1/2, G = 2:
    B^eps = 1/(2 (1 + 2 eps)))."""
    x2 = _x2()
    G, eps, jj = x2.G, x2.eps, x2.jj
    weights = x2.lemma_instance(x2.x1.binomial_theorem, {})
    lemmas = {x2.x1.binomial_theorem: [{}]}
    quarter = Sum(x2.basis(G, jj) * x2._quarter_gap(jj / G), (jj, 0, G)) + weights / (4 * eps)
    assert _proved(sp.Le(x2.B_eps, 1 / (4 * eps)), Certificate(quarter, "termwise", lemmas=lemmas))
    eighth = Sum(x2.basis(G, jj) * x2._quarter_gap(jj / G) / 2, (jj, 0, G)) + weights / (8 * eps)
    assert not _kernel_proves(sp.Le(x2.B_eps, 1 / (8 * eps)),
                       Certificate(eighth, "claimed termwise", lemmas=lemmas))


def test_beta_zero_gradient_is_positive_not_negative():
    x2 = _x2()
    x1, p = x2.x1, x2.p
    lemma = {x1.positive: [{}]}
    gradient = x1.D_ON.subs(x1.beta, 0)
    cert = x2.lemma_instance(x1.positive, {}) / (p * (1 - p))
    assert _proved(Gt(gradient, 0), Certificate(cert, "B_G/(p (1 - p))", lemmas=lemma))
    assert not _kernel_proves(Gt(-gradient, 0), Certificate(-cert, "claimed", lemmas=lemma))


def test_epsilon_stationary_policy_lies_below_not_above():
    """p_eps < p*_G; the reversed order, with the identity of g(r) - g(y) still exact (its
    certificate negated), is not proved: -(B_G - B_G^eps)(p)/p is not positive.  (With the
    certificate unchanged, the false obligation sends the ladder through every rewrite of the
    symbolic sums: eight minutes.)"""
    from grpo_sym.proof import MonotoneComparison, lemma_instance
    x2 = _x2()
    x1, p, p0 = x2.x1, x2.p, x2.p_0
    below = lemma_instance(x2.eps_below, {}) / p
    # the right order is the registry's x2.eps.stationary.below-epsilon-free
    from grpo_sym.proof import REGISTRY
    assert REGISTRY["x2.eps.stationary.below-epsilon-free"].statement == sp.Lt(p, p0)
    reg = Registry()
    proof = MonotoneComparison(x1.unique, -below, premises={x2.population_condition: -1 / p0,
                                                            x2.eps_condition: 1 / p},
                               lemmas={x2.eps_below: [{}]})
    wrong = claim("t.eps-order", "test", sp.Lt(p0, p), given=x2.eps_condition,
                  conditions=[x2.population_condition], proof=proof, registry=reg)
    result = verify_claim(wrong, second_prover=False, numeric=False)
    assert result.symbolic != "proved" and "not visibly positive" in result.detail


def test_bessel_stationary_policy_lies_below_not_above():
    """p_G^Bessel < p*_G (x2.bessel.stationary.below-population); the reversed order, its
    identity kept exact, is not proved."""
    from grpo_sym.proof import MonotoneComparison, lemma_instance
    x2 = _x2()
    x1, p, p0, G = x2.x1, x2.p, x2.p_0, x2.G
    bessel = x2.effective_beta.statement
    gap = lemma_instance(x1.positive, {}) / (G * p * (1 + x2.BESSEL))
    reg = Registry()
    proof = MonotoneComparison(x1.unique, -gap, premises={x2.population_condition: -1 / p0,
                                                          bessel: x2.BESSEL / p},
                               lemmas={x1.positive: [{}]})
    wrong = claim("t.bessel-order", "test", sp.Lt(p0, p), given=bessel,
                  conditions=[x2.population_condition], proof=proof, registry=reg)
    result = verify_claim(wrong, second_prover=False, numeric=False)
    assert result.symbolic != "proved" and "not visibly positive" in result.detail


# -- x2: the advantage of a two-level group under each trainer convention, for every count;
# each lemma's derivation with a wrong closed form is rejected

def _two_level_twin(o, closed, numeric=True, **convention):
    """The two-level advantage of output ``o`` is ``closed``: proved and confirmed by the
    numeric backup; without ``numeric``, proved by the kernel alone (what a wrong one
    must never be)."""
    x2 = _x2()
    reg = Registry()
    cl = x2._two_level_advantage(f"t.two-level.{o}", o, closed, "test", registry=reg,
                                 **convention)
    r = verify_claim(cl, second_prover=False, numeric=numeric)
    return r.symbolic == "proved" and (r.ok or not numeric)


def test_bessel_two_level_advantage_factor_is_not_inverted():
    """The Bessel advantage of a with n_a further a's and n_b b's is sqrt((G-1)/G)
    sqrt(n_b/(n_a + 1)) (x2.bessel.advantage-a); the factor inverted, sqrt(G/(G-1)), is not."""
    x2 = _x2()
    na, nb, N = x2.n_a, x2.n_b, x2.N_GROUP
    assert _two_level_twin(0, sqrt((N - 1) / N) * sqrt(nb / (na + 1)), std="bessel")
    assert not _two_level_twin(0, sqrt(N / (N - 1)) * sqrt(nb / (na + 1)), numeric=False,
                               std="bessel")
    # the population advantage is not the Bessel one
    assert not _two_level_twin(1, -sqrt(na / (nb + 1)), numeric=False, std="bessel")
    assert _two_level_twin(1, -sqrt((N - 1) / N) * sqrt(na / (nb + 1)), std="bessel")


def test_eps_two_level_advantage_adds_eps_to_the_std_not_the_variance():
    """(r - mean)/(std + eps) of a is n_b/(sqrt((n_a + 1) n_b) + G eps/gap) (times G/G,
    x2.eps.advantage-a); eps added to the variance, (r - mean)/sqrt(var + eps), is not."""
    x2 = _x2()
    na, nb, N, e, gap = x2.n_a, x2.n_b, x2.N_GROUP, x2.eps, x2.reward_gap
    right = N * nb / (N * sqrt((na + 1) * nb) + N**2 * e / gap)
    in_variance = nb * gap / sqrt((na + 1) * nb * gap**2 + N**2 * e)
    assert _two_level_twin(0, right, eps_=e)
    assert not _two_level_twin(0, in_variance, numeric=False, eps_=e)
    # eps not measured in units of the reward gap
    assert not _two_level_twin(1, -N * na / (N * sqrt((nb + 1) * na) + N**2 * e), numeric=False,
                               eps_=e)
    assert _two_level_twin(1, -N * na / (N * sqrt((nb + 1) * na) + N**2 * e / gap), eps_=e)


@pytest.mark.parametrize("convention", ["bessel", "eps"])
def test_convention_preference_chain_rejects_a_wrong_sum(convention):
    """P_G(a | pi_old) under a trainer convention for every G: the count-law chain ending in
    the Bessel factor inverted, or in eps not measured in units of the reward gap, is not
    proved (the registry's x2.*.preference.a.definition ends in the right sum)."""
    from grpo_sym.derivations import s2_1_reward_preference as s2_1
    from grpo_sym.proof import REGISTRY
    x2 = _x2()
    if convention == "bessel":
        kw, lemma = {"std": "bessel"}, REGISTRY["x2.bessel.advantage-a"]
        wrong = x2.P_A / x2.BESSEL
    else:
        kw, lemma = {"eps": x2.eps}, REGISTRY["x2.eps.advantage-a"]
        wrong = x2.preference_a_eps(x2.G, x2.q, x2.eps)
    right = REGISTRY[f"x2.{convention}.preference.a.definition"].statement
    assert _proved(right, s2_1.binary_preference_chain(0, lemma, right.rhs, **kw))
    assert not _kernel_proves(Eq(right.lhs, wrong),
                              s2_1.binary_preference_chain(0, lemma, wrong, **kw))
