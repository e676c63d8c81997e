"""Exact group enumeration (numeric/groups.py) and K-output stationary policies
(numeric/policy.py).

References are independent of the code under test: SymPy's exact sums over ordered
groups (``grpo_sym.grpo.preference``), the binary closed forms and solvers
(``stationary_binary``), the binomial sum ``binary_group_preference_mp``, and the
fixed-point equations evaluated at 50 digits.
"""
from __future__ import annotations

import itertools
import math
import time
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from grpo_sym.grpo.advantage import advantage
from grpo_sym.grpo.preference import binary_group_preference_mp, expected_group_preference
from grpo_sym.grpo.preference import group_preference as sym_group_preference
from grpo_sym.numeric import stationary_binary, stationary_binary_pair
from grpo_sym.numeric.groups import (MAX_MULTISETS, GroupModel, enumeration_size,
                                     group_preference, group_preference_parts, reward_laws)
from grpo_sym.numeric.policy import fixed_point_residual, stationary_policy

# a question with three outputs: a certain success, a coin flip, a certain failure
PI3 = [Fraction(1, 5), Fraction(3, 10), Fraction(1, 2)]
REWARDS3 = [1, {1: Fraction(1, 2), 0: Fraction(1, 2)}, 0]
# four outputs with overlapping stochastic rewards (ties between outputs included)
PI4 = [Fraction(1, 10), Fraction(1, 5), Fraction(3, 10), Fraction(2, 5)]
REWARDS4 = [0, {1: Fraction(3, 10), 0: Fraction(7, 10)}, 2, {3: Fraction(1, 2), -1: Fraction(1, 2)}]


def sympy_preference(pi, rewards, G, adv=advantage):
    """P_G(o | pi) by SymPy over all ordered groups (exact rationals and surds)."""
    laws = [[(sp.nsimplify(v), sp.nsimplify(p)) for v, p in law] for law in reward_laws(rewards)]
    pi = [sp.nsimplify(p) for p in pi]
    return [expected_group_preference(o, pi, G,
                                      lambda o_, others: sym_group_preference(o_, others, laws,
                                                                              adv))
            for o in range(len(pi))]


def close_mp(x, exact, digits) -> bool:
    """|x - exact| < 10^-digits, compared at 60 digits (exact: a SymPy number or mpf)."""
    with mpmath.workdps(60):
        e = mpmath.mpf(str(sp.N(exact, 60))) if isinstance(exact, sp.Basic) else exact
        return abs(x - e) < mpmath.mpf(10) ** -digits


def bessel_eps(eps):
    def adv(rs, i):
        G = len(rs)
        if all(r == rs[0] for r in rs):
            return sp.S.Zero
        mean = sp.Add(*rs) / G
        std = sp.sqrt(sp.Add(*[(r - mean) ** 2 for r in rs]) / (G - 1))
        return (rs[i] - mean) / (std + eps)
    return adv


# -- groups.py -------------------------------------------------------------------------------

@pytest.mark.parametrize("G", [2, 3, 4])
def test_enumeration_matches_sympy_over_ordered_groups(G):
    exact = sympy_preference(PI3, REWARDS3, G)
    got = group_preference(PI3, REWARDS3, group_size=G)
    got_mp = group_preference(PI3, REWARDS3, group_size=G, dps=40)
    for e, g, m in zip(exact, got, got_mp):
        e = sp.N(e, 50)
        assert abs(g - float(e)) <= 1e-15 * max(1, abs(float(e)))
        assert close_mp(m, e, 38)


def test_enumeration_matches_sympy_with_ties_four_outputs_and_trainer_conventions():
    G, eps = 3, Fraction(1, 10)
    exact = sympy_preference(PI4, REWARDS4, G, bessel_eps(sp.Rational(1, 10)))
    got = group_preference(PI4, REWARDS4, group_size=G, std="bessel", eps=eps, dps=40)
    for e, m in zip(exact, got):
        assert close_mp(m, e, 38)
    got = group_preference(PI4, REWARDS4, group_size=G, std="bessel", eps=0.1)
    for e, g in zip(exact, got):
        assert abs(g - float(sp.N(e, 30))) <= 1e-15


@pytest.mark.parametrize("G", [2, 5, 64, 500])
def test_binary_question_matches_the_binomial_sum(G):
    for q in [1e-6, 0.3, 0.5, 0.999]:
        got = group_preference([q, 1 - q], [1, 0], group_size=G)
        with mpmath.workdps(40):
            ref = binary_group_preference_mp(G, mpmath.mpf(q))
            # b's advantage: the sum over groups is 0, so pi(a) P(a) + pi(b) P(b) = 0
            ref_b = -mpmath.mpf(q) * ref / (1 - mpmath.mpf(q))
        assert abs(got[0] - ref) <= 4e-16 * G * abs(ref)
        assert abs(got[1] - ref_b) <= 4e-16 * G * abs(ref_b)
    got = group_preference([Fraction(3, 10), Fraction(7, 10)], [1, 0], group_size=G, dps=30)
    with mpmath.workdps(40):
        ref = binary_group_preference_mp(G, mpmath.mpf(3) / 10)
    assert close_mp(got[0], ref, 28)


def test_a_binary_question_at_64_is_fast():
    t = time.perf_counter()
    group_preference([0.3, 0.7], [1, 0], group_size=64)
    group_preference([0.3, 0.7], [1, 0], group_size=64, dps=30)
    assert time.perf_counter() - t < 0.5


@pytest.mark.parametrize("G", [2, 3, 7, math.inf])
@pytest.mark.parametrize("std, eps", [("population", 0.0), ("bessel", 1e-4)])
def test_the_advantages_of_a_group_sum_to_zero(G, std, eps):
    """E_pi[P_G(. | pi)] = 0 for every pi: a check on the multinomial weights."""
    for pi in ([0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25]):
        P = group_preference(pi, REWARDS4, group_size=G, std=std, eps=eps)
        assert abs(sum(p * x for p, x in zip(pi, P))) < 1e-14
        assert max(abs(x) for x in P) > 0.1          # and it is not trivially zero


def test_parts_sum_to_the_preference_and_have_their_signs():
    for G in (2, 4, math.inf):
        pos, neg = group_preference_parts(PI4, REWARDS4, group_size=G)
        P = group_preference(PI4, REWARDS4, group_size=G)
        assert all(p >= 0 >= n for p, n in zip(pos, neg))
        assert all(abs(p + n - x) < 1e-15 for p, n, x in zip(pos, neg, P))
    # groups of two: E[A^+ | o] = P(r > r'), E[A^- | o] = -P(r < r')
    pos, neg = group_preference_parts([0.5, 0.5], [{1: 0.5, 0: 0.5}, 0])
    assert pos == [0.375, 0.0] and neg == [-0.125, -0.25]


def test_large_group_limit_is_mean_over_total_std_including_reward_noise():
    pi = [0.1, 0.2, 0.3, 0.4]
    laws = reward_laws(REWARDS4)
    means = [sum(float(v) * float(p) for v, p in law) for law in laws]
    mu = sum(p * m for p, m in zip(pi, means))
    second = sum(p * sum(float(v) ** 2 * float(w) for v, w in law) for p, law in zip(pi, laws))
    sigma = math.sqrt(second - mu * mu)          # E[Var(r|o)] + Var(E[r|o])
    got = group_preference(pi, REWARDS4, group_size=math.inf)
    assert all(abs(g - (m - mu) / sigma) < 1e-14 for g, m in zip(got, means))
    got = group_preference(pi, REWARDS4, group_size=math.inf, eps=0.5)
    assert all(abs(g - (m - mu) / (sigma + 0.5)) < 1e-14 for g, m in zip(got, means))


def test_finite_groups_approach_the_large_group_limit_like_one_over_G():
    pi = [0.3, 0.3, 0.4]
    limit = group_preference(pi, REWARDS3, group_size=math.inf)
    gaps = []
    for G in (4, 16, 64, 256):
        P = group_preference(pi, REWARDS3, group_size=G)
        gaps.append(max(abs(a - b) for a, b in zip(P, limit)))
    assert all(b < a for a, b in zip(gaps, gaps[1:]))
    assert gaps[-1] < 4e-3 and gaps[-1] * 256 < 2 * gaps[1] * 16     # O(1/G)


def test_bessel_without_eps_rescales_population_by_sqrt_of_g_minus_one_over_g():
    for G in (2, 5):
        P = group_preference(PI4, REWARDS4, group_size=G)
        B = group_preference(PI4, REWARDS4, group_size=G, std="bessel")
        assert all(abs(b - p * math.sqrt((G - 1) / G)) < 1e-15 for p, b in zip(P, B))


def test_all_equal_rewards_give_zero_advantage_even_when_the_mean_rounds():
    # 0.1 + 0.1 + 0.1 != 0.3 in float: ties are detected exactly, not by a tiny std
    assert group_preference([0.5, 0.5], [0.1, 0.1], group_size=3) == [0.0, 0.0]
    assert group_preference([0.5, 0.5], [0.1, 0.1], group_size=math.inf) == [0.0, 0.0]
    # ties within a group of distinct values are not zero
    assert group_preference([0.5, 0.5], [0.1, 0.2], group_size=3)[1] > 0


def test_large_groups_with_zero_spread_take_the_finite_group_limit():
    """pi_old on one reward value c: P_G(o) = sqrt(G - 1)(P(r > c) - P(r < c))."""
    P = group_preference([1, 0, 0, 0], [1, 0, {2: 0.5, 0: 0.5}, {2: 0.75, 0: 0.25}],
                         group_size=math.inf)
    assert P == [0.0, -math.inf, 0.0, math.inf]
    P = group_preference([1, 0, 0, 0], [1, 0, {2: 0.5, 0: 0.5}, {2: 0.75, 0: 0.25}],
                         group_size=math.inf, dps=20)
    assert P == [0, -mpmath.inf, 0, mpmath.inf]


def test_enumeration_size_and_the_limit():
    assert enumeration_size(2, 64) == 64
    assert enumeration_size(3, 8) == math.comb(9, 2)
    assert enumeration_size(1, 1000) == 1
    with pytest.raises(ValueError, match=r"needs 2001000 multisets .* limit of 2000000"):
        group_preference([0.2, 0.3, 0.5], [0, 1, 2], group_size=2000)
    assert enumeration_size(3, 1999) <= MAX_MULTISETS < enumeration_size(3, 2000)
    with pytest.raises(ValueError, match="mpmath limit"):
        group_preference([0.2, 0.3, 0.5], [0, 1, 2], group_size=400, dps=20)
    with pytest.raises(ValueError, match="needs no enumeration"):
        enumeration_size(2, math.inf)


@pytest.mark.parametrize("call, name", [
    (lambda: group_preference([0.5, 0.6], [1, 0]), "pi_old"),
    (lambda: group_preference([0.5, math.nan], [1, 0]), "pi_old"),
    (lambda: group_preference([0.5, 0.5], [1]), "rewards"),
    (lambda: group_preference([0.5, 0.5], [1, math.inf]), "rewards"),
    (lambda: group_preference([0.5, 0.5], [1, {1: 0.5, 0: 0.6}]), "rewards"),
    (lambda: group_preference([0.5, 0.5], [1, {1: 1.5, 0: -0.5}]), "rewards"),
    (lambda: group_preference([0.5, 0.5], [1, 0], group_size=1), "group_size"),
    (lambda: group_preference([0.5, 0.5], [1, 0], group_size=2.5), "group_size"),
    (lambda: group_preference([0.5, 0.5], [1, 0], eps=-1e-4), "eps"),
    (lambda: group_preference([0.5, 0.5], [1, 0], std="sample"), "std"),
    (lambda: group_preference([0.5, 0.5], [1, 0], dps=0), "dps"),
    (lambda: enumeration_size(0, 3), "k_eff"),
])
def test_groups_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_model_reuses_its_laws_across_policies():
    m = GroupModel(REWARDS3, 4)
    for pi in ([0.2, 0.3, 0.5], [0.6, 0.2, 0.2]):
        assert m.preference(pi) == group_preference(pi, REWARDS3, group_size=4)


# -- policy.py: against the binary closed forms -------------------------------------------

GRID_F = [1e-6, 0.01, 0.2, 0.5, 0.9, 0.999]
GRID_BETA = [1e-3, 0.04, 0.5, 1.0, 3.0, 100.0]


def rel(x, y):
    return abs(x - y) / abs(y) if y else abs(x)


@pytest.mark.parametrize("G", [2, math.inf])
@pytest.mark.parametrize("penalty", ["grpo", "kl"])
def test_binary_deterministic_matches_stationary_binary(G, penalty):
    worst = 0.0
    for f in GRID_F:
        for beta in GRID_BETA:
            a, b = stationary_policy([f, 1 - f], [1, 0], beta, group_size=G, penalty=penalty)
            ref = stationary_binary_pair(f, beta, group_size=G, penalty=penalty)
            worst = max(worst, rel(a, ref.a), rel(b, ref.b))
    assert worst < 1e-15, worst


@pytest.mark.parametrize("penalty", ["grpo", "kl"])
def test_groups_of_two_stochastic_rewards_give_the_margin(penalty):
    # P(a > b) = 0.7, P(b > a) = 0.3: margin gamma = 0.4
    rewards = [{2: 0.7, 0: 0.3}, 1]
    for f, beta in [(0.2, 0.04), (0.5, 0.4), (0.9, 2.0), (1e-4, 0.1)]:
        a, b = stationary_policy([f, 1 - f], rewards, beta, penalty=penalty)
        ref = stationary_binary_pair(f, beta, margin=0.4, penalty=penalty)
        assert rel(a, ref.a) < 1e-14 and rel(b, ref.b) < 1e-14
    # swapping which output is better mirrors the answer
    b, a = stationary_policy([0.8, 0.2], rewards[::-1], 0.04, penalty=penalty)
    assert rel(a, stationary_binary(0.2, 0.04, margin=0.4, penalty=penalty)) < 1e-14


@pytest.mark.parametrize("G, kw", [(3, {}), (8, dict(std="bessel", eps=1e-4)),
                                   (64, {}), (16, dict(penalty="kl")),
                                   (math.inf, dict(eps=0.1))])
def test_finite_groups_and_trainer_conventions_match_the_binary_solver(G, kw):
    """stationary_binary's finite-G solver is a separate implementation (closed-form
    binomial sums); the two agree to a few ulp."""
    for f, beta in [(0.2, 0.04), (0.01, 1.0), (0.9, 3.0)]:
        a, b = stationary_policy([f, 1 - f], [1, 0], beta, group_size=G, **kw)
        ref = stationary_binary_pair(f, beta, group_size=G, **kw)
        assert rel(a, ref.a) < 1e-13 and rel(b, ref.b) < 1e-12, (f, beta, a, ref)


def test_direct_kl_large_groups_picks_the_branch_on_policy_grpo_reaches():
    from grpo_sym.numeric import direct_kl_threshold
    for f in (0.1, 0.5, 0.9):
        star = direct_kl_threshold(f)
        for factor in (0.5, 0.999, 1.001, 2.0):
            beta = star * factor
            a, b = stationary_policy([f, 1 - f], [1, 0], beta, group_size=math.inf,
                                     penalty="kl")
            ref = stationary_binary_pair(f, beta, group_size=math.inf, penalty="kl")
            assert abs(a - ref.a) < 1e-14 and abs(b - ref.b) < 1e-14
            assert (a == 1.0) == (factor < 1)       # the vertex below the threshold


def test_dps_agrees_with_stationary_binary_to_the_last_digits():
    for G in (2, math.inf):
        got = stationary_policy([0.25, 0.75], [1, 0], 0.04, group_size=G, dps=50)
        ref = stationary_binary_pair(0.25, 0.04, group_size=G, dps=50)
        with mpmath.workdps(50):
            assert abs(got[0] - ref.a) <= mpmath.mpf(10) ** -49 * ref.a
            assert abs(got[1] - ref.b) <= mpmath.mpf(10) ** -49 * ref.b
        assert all(isinstance(x, mpmath.mpf) for x in got)


# -- policy.py: K outputs ------------------------------------------------------------------

K_CASES = [
    (PI3, REWARDS3, Fraction(3, 10), 2, "grpo"),
    (PI3, REWARDS3, Fraction(3, 10), 2, "kl"),
    (PI3, REWARDS3, Fraction(3, 10), 4, "grpo"),
    (PI3, REWARDS3, Fraction(3, 10), 4, "kl"),
    (PI3, REWARDS3, Fraction(3, 10), math.inf, "grpo"),
    (PI3, REWARDS3, 3, math.inf, "kl"),                 # beta large: an interior solution
    (PI4, REWARDS4, Fraction(1, 5), 2, "grpo"),
    (PI4, REWARDS4, Fraction(1, 5), 2, "kl"),
    (PI4, REWARDS4, Fraction(1, 5), 3, "grpo"),
    (PI4, REWARDS4, Fraction(1, 5), math.inf, "grpo"),
    (PI4, REWARDS4, 4, math.inf, "kl"),
]


@pytest.mark.parametrize("pi_ref, rewards, beta, G, penalty", K_CASES)
def test_k_outputs_solve_the_fixed_point_equations_to_40_digits(pi_ref, rewards, beta, G,
                                                                 penalty):
    pi = stationary_policy(pi_ref, rewards, beta, group_size=G, penalty=penalty, dps=50)
    with mpmath.workdps(50):
        assert abs(mpmath.fsum(pi) - 1) < mpmath.mpf(10) ** -48
    res = fixed_point_residual(pi, pi_ref, rewards, beta, group_size=G, penalty=penalty,
                               dps=50)
    assert res < mpmath.mpf(10) ** -40
    # and the equations are not satisfied by a nearby policy (the check can fail)
    with mpmath.workdps(50):
        near = [pi[0] + mpmath.mpf(10) ** -30, pi[1] - mpmath.mpf(10) ** -30] + pi[2:]
        assert fixed_point_residual(near, pi_ref, rewards, beta, group_size=G,
                                    penalty=penalty, dps=50) > mpmath.mpf(10) ** -32
    # the float answer is the mpmath one, rounded
    flt = stationary_policy(pi_ref, rewards, beta, group_size=G, penalty=penalty)
    assert all(abs(x - float(y)) <= 1e-15 * max(float(y), 1e-300) + 1e-300
               for x, y in zip(flt, pi))


def test_grpo_paper_equation_11_holds_with_the_multiplier_written_out():
    """(11) as printed: (1 - (P(o) - E_pi[P])/beta) pi(o) = pi_ref(o), at 50 digits."""
    pi = stationary_policy(PI4, REWARDS4, Fraction(1, 5), group_size=3, dps=50)
    with mpmath.workdps(60):
        P = group_preference(pi, REWARDS4, group_size=3, dps=60)
        lam = mpmath.fsum(p * x for p, x in zip(pi, P))
        beta = mpmath.mpf(1) / 5
        for o in range(4):
            ref = mpmath.mpf(PI4[o].numerator) / PI4[o].denominator
            assert abs((1 - (P[o] - lam) / beta) * pi[o] - ref) < mpmath.mpf(10) ** -45


@pytest.mark.parametrize("G, penalty", [(2, "grpo"), (4, "kl"), (math.inf, "grpo")])
def test_permuting_the_outputs_permutes_the_policy(G, penalty):
    pi_ref = [0.1, 0.2, 0.3, 0.4]
    base = stationary_policy(pi_ref, REWARDS4, 0.3, group_size=G, penalty=penalty)
    for perm in itertools.islice(itertools.permutations(range(4)), 1, None, 5):
        got = stationary_policy([pi_ref[i] for i in perm], [REWARDS4[i] for i in perm], 0.3,
                                group_size=G, penalty=penalty)
        assert all(abs(got[k] - base[i]) < 1e-14 for k, i in enumerate(perm))


def test_outputs_outside_the_reference_support_stay_at_zero():
    pi = stationary_policy([0.5, 0.0, 0.5], [0, 1, 0.5], 0.2, group_size=4)
    assert pi[1] == 0.0 and abs(sum(pi) - 1) < 1e-15 and pi[2] > pi[0]
    pi = stationary_policy([0.0, 1.0], [1, 0], 0.2)
    assert pi == [0.0, 1.0]
    pi = stationary_policy([0.0, 1.0], [1, 0], 0.2, dps=20)
    assert pi == [0, 1]


def test_equal_rewards_leave_pi_ref_alone():
    for G in (2, 5, math.inf):
        for penalty in ("grpo", "kl"):
            pi = stationary_policy([0.2, 0.3, 0.5], [1, 1, 1], 0.1, group_size=G,
                                   penalty=penalty)
            assert max(abs(a - b) for a, b in zip(pi, [0.2, 0.3, 0.5])) < 1e-15


def test_finite_groups_approach_the_large_group_policy():
    pi_ref, beta = [0.2, 0.3, 0.5], 0.3
    limit = stationary_policy(pi_ref, REWARDS3, beta, group_size=math.inf)
    gaps = [max(abs(a - b) for a, b in zip(stationary_policy(pi_ref, REWARDS3, beta,
                                                             group_size=G), limit))
            for G in (2, 4, 8, 16, 32, 64, 128)]
    assert all(b < a for a, b in zip(gaps, gaps[1:])), gaps
    assert gaps[-1] < 4e-3, gaps


def test_direct_kl_large_groups_can_end_on_the_best_face():
    """Below the threshold the flow runs to the deterministic best output(s); two tied
    best outputs keep pi_ref's ratio."""
    pi = stationary_policy([0.2, 0.3, 0.5], [1, 1, 0], 0.3, group_size=math.inf,
                           penalty="kl")
    assert pi == [0.4, 0.6, 0.0]
    pi = stationary_policy([0.2, 0.3, 0.5], [1, 1, 0], 0.3, group_size=math.inf,
                           penalty="kl", dps=30)
    with mpmath.workdps(30):
        assert pi[0] == mpmath.mpf(0.2) / (mpmath.mpf(0.2) + mpmath.mpf(0.3)) and pi[2] == 0
    # with a noisy best output sigma stays positive and the solution is interior
    pi = stationary_policy([0.2, 0.3, 0.5], [{1: 0.9, 0: 0.1}, 0.5, 0], 0.3,
                           group_size=math.inf, penalty="kl")
    assert min(pi) > 0


def test_direct_kl_large_groups_returns_the_interior_point_when_the_vertex_also_solves():
    pi_ref, rewards, beta = [0.44, 0.39, 0.17], [0.53, 0.65, 0.56], 1.327
    kw = dict(group_size=math.inf, penalty="kl")
    pi = stationary_policy(pi_ref, rewards, beta, **kw)
    assert min(pi) > 0.05 and fixed_point_residual(pi, pi_ref, rewards, beta, **kw) < 1e-15
    assert fixed_point_residual([0, 1, 0], pi_ref, rewards, beta, **kw) == 0   # also a solution


def test_finite_group_past_the_enumeration_limit_is_a_clear_error():
    with pytest.raises(ValueError, match="multisets"):
        stationary_policy([0.2, 0.3, 0.5], [0, 1, 2], 0.1, group_size=3000)


@pytest.mark.parametrize("kwargs, name", [
    (dict(pi_ref=[0.5, 0.6]), "pi_ref"),
    (dict(pi_ref=[1.0]), "pi_ref"),
    (dict(pi_ref=[1.2, -0.2]), "pi_ref"),
    (dict(pi_ref=[math.nan, 1.0]), "pi_ref"),
    (dict(rewards=[1, 0, 0]), "rewards"),
    (dict(rewards=[1, {1: 0.5}]), "rewards"),
    (dict(rewards=[1, math.nan]), "rewards"),
    (dict(beta=-0.1), "beta"),
    (dict(beta=math.inf), "beta"),
    (dict(group_size=1), "group_size"),
    (dict(group_size=2.5), "group_size"),
    (dict(std="sample"), "std"),
    (dict(eps=-1e-4), "eps"),
    (dict(eps=math.inf), "eps"),
    (dict(penalty="l2"), "penalty"),
    (dict(dps=0), "dps"),
])
def test_policy_bad_input_names_the_parameter(kwargs, name):
    args = dict(pi_ref=[0.5, 0.5], rewards=[1, 0], beta=0.1)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        stationary_policy(args.pop("pi_ref"), args.pop("rewards"), args.pop("beta"), **args)


def test_residual_validates_its_candidate():
    with pytest.raises(ValueError, match="pi"):
        fixed_point_residual([0.5, 0.4], [0.5, 0.5], [1, 0], 0.1)
    with pytest.raises(ValueError, match="one probability per output"):
        fixed_point_residual([0.5, 0.25, 0.25], [0.5, 0.5], [1, 0], 0.1)
