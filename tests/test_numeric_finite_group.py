"""Every finite group size: grpo_sym.numeric.finite_group, and the trainer presets.

The references here are independent of the solver: every one of the G + 1 binomial
terms with exact integer binomials, in mpmath with as many digits as the question
needs.  A float answer x is certified to within k ulp by the sign change of the
brute-force residual between x (1 - k u) and x (1 + k u) -- a bracket, two
evaluations instead of a root solve.
"""
from __future__ import annotations

import math

import mpmath
import pytest

from grpo_sym.grpo.preference import binary_group_preference_mp
from grpo_sym.numeric import (PRESETS, TrainerPreset, group_advantage_sum, preset,
                              preset_table, stationary_binary, stationary_binary_finite,
                              stationary_binary_pair)
from grpo_sym.numeric import direct_kl_threshold, kernel
from grpo_sym.numeric.direct_kl import direct_kl_large

U = 2.0 ** -53


# -- brute-force references --------------------------------------------------------------

def psi(G, j, std="population", eps=0):
    x = mpmath.mpf(j) / G
    s = (mpmath.sqrt(x * (1 - x)) if std == "population"
         else mpmath.sqrt(mpmath.mpf(j) * (G - j) / (G * (G - 1))))
    return x * (1 - x) / (s + eps)


def g_brute(G, p, r, std="population", eps=0):
    """g = sum_j C(G, j) p^j r^(G - j) psi_j over all j (p and r given separately)."""
    return mpmath.fsum(math.comb(G, j) * p ** j * r ** (G - j) * psi(G, j, std, eps)
                       for j in range(1, G))


def digits_for(*xs) -> int:
    """Near beta = K the residual cancels to about x^2: twice the exponent of x, plus 40."""
    return 40 + 2 * max(0, max(int(-mpmath.log10(x)) for x in xs if x > 0))


def grpo_residual(f, beta, G, p, r, std="population", eps=0):
    """beta (p - f) - g(p), with p and r = 1 - p given separately (mpmath)."""
    return beta * (p - f) - g_brute(G, p, r, std, eps)


def certify_grpo(got, f, beta, G, std="population", eps=0, k=4):
    """The exact root lies within k ulp of the smaller of got.a, got.b (a residual sign
    change), and the other one is within k ulp of 1 minus it."""
    small_is_a = got.a <= got.b
    x = got.a if small_is_a else got.b
    assert x > 0
    with mpmath.workdps(digits_for(x, f)):
        fm, bm, xm = mpmath.mpf(f), mpmath.mpf(beta), mpmath.mpf(x)
        lo, hi = xm - k * math.ulp(x), xm + k * math.ulp(x)

        def R(t):
            return (grpo_residual(fm, bm, G, t, 1 - t, std, eps) if small_is_a
                    else grpo_residual(fm, bm, G, 1 - t, t, std, eps))

        # R increases in p; in r = 1 - p it decreases
        rl, rh = R(lo), R(hi)
        assert (rl <= 0 <= rh) if small_is_a else (rl >= 0 >= rh), (got, f, beta, G)
        other = got.b if small_is_a else got.a
        assert abs(other - (1 - xm)) <= k * mpmath.mpf(math.ulp(other)) + abs(xm) * k * U


def kl_k2(G, y, std="population", eps=0):
    p, r = 1 / (1 + mpmath.exp(-y)), 1 / (1 + mpmath.exp(y))
    return g_brute(G, p, r, std, eps) / (p * r)


# -- g(q) ------------------------------------------------------------------------------

@pytest.mark.parametrize("G", [2, 3, 4, 7, 64])
def test_g_is_q_times_the_group_preference(G):
    """g(q) = q P_G(a | q), P_G from grpo_sym.grpo.preference (its own sum)."""
    for q in [1e-9, 0.1, 0.5, 0.77, 1 - 1e-6]:
        with mpmath.workdps(40):
            ref = q * binary_group_preference_mp(G, mpmath.mpf(q))
            assert abs(group_advantage_sum(q, G) - ref) <= 4 * U * ref
            assert abs(group_advantage_sum(q, G, dps=35) - ref) <= mpmath.mpf(10) ** -34 * ref


def test_g_special_cases():
    assert group_advantage_sum(0.3, 2) == pytest.approx(0.3 * 0.7, rel=4 * U)       # p q
    assert group_advantage_sum(0.3, 3) == pytest.approx(math.sqrt(2) * 0.21, rel=4 * U)
    assert group_advantage_sum(0.3, math.inf) == math.sqrt(0.21)
    assert group_advantage_sum(0.0, 8) == 0.0 and group_advantage_sum(1.0, 8) == 0.0
    # symmetric (J <-> G - J), and far into both tails without underflow
    for G in (8, 1000):
        assert group_advantage_sum(0.2, G) == pytest.approx(group_advantage_sum(0.8, G),
                                                            rel=8 * U)
    tiny = group_advantage_sum(1e-300, 1000)              # ~ G psi(1/G) q = sqrt(999) q
    assert tiny == pytest.approx(math.sqrt(999) * 1e-300, rel=1e-12)


@pytest.mark.parametrize("std, eps", [("bessel", 0.0), ("population", 1e-4), ("bessel", 0.3)])
def test_g_conventions_against_the_brute_force_sum(std, eps):
    for G in (2, 5, 40):
        for q in (1e-7, 0.3, 0.5, 0.999):
            with mpmath.workdps(40):
                qm = mpmath.mpf(q)
                ref = g_brute(G, qm, 1 - qm, std, eps)
            assert abs(group_advantage_sum(q, G, std=std, eps=eps) - ref) <= 4 * U * ref


def test_bernstein_increases_with_G_at_the_voronovskaya_rate():
    """B_G phi increases to phi, and phi - B_G phi ~ 1/(8 G sqrt(q (1 - q)))."""
    q = 0.3
    vals = [group_advantage_sum(q, G) for G in (2, 3, 5, 10, 100, 1000)]
    assert vals == sorted(vals) and vals[-1] < math.sqrt(q * (1 - q))
    for G in (10**4, 10**5):
        gap = math.sqrt(q * (1 - q)) - group_advantage_sum(q, G, dps=30)
        assert float(gap * 8 * G * math.sqrt(q * (1 - q))) == pytest.approx(1, abs=2 / G ** 0.5)


# -- the GRPO penalty --------------------------------------------------------------------

F_GRID = [1e-300, 1e-12, 0.2, 0.5, 0.99, 1 - 1e-10]


@pytest.mark.parametrize("G", [2, 3, 5, 8, 64])
def test_float_answers_are_certified_within_4_ulp(G):
    K = math.sqrt(G - 1)                                   # beta = K: p ~ sqrt(f) near 0
    for f in F_GRID:
        for beta in (1e-6, 0.04, 1.0, K, 1e3):
            certify_grpo(stationary_binary_finite(f, beta, G), f, beta, G)


@pytest.mark.parametrize("std, eps", [("bessel", 1e-4), ("population", 0.25), ("bessel", 1e-9)])
def test_trainer_conventions_are_certified(std, eps):
    for G in (3, 8):
        for f in (1e-12, 0.2, 0.99):
            for beta in (1e-3, 0.04, 1.7, 100.0):
                certify_grpo(stationary_binary_finite(f, beta, G, std=std, eps=eps), f, beta,
                             G, std, eps)


def test_groups_of_two_are_14_and_groups_of_three_are_14_at_beta_over_sqrt2():
    with mpmath.workdps(60):
        for f in (1e-200, 1e-5, 0.3, 1 - 1e-9):
            for beta in (1e-4, 0.5, 1.0, 2.0, 1e4):
                for G, c in ((2, mpmath.mpf(beta)), (3, mpmath.mpf(beta) / mpmath.sqrt(2))):
                    got = stationary_binary_finite(f, beta, G)
                    d = mpmath.sqrt((1 - c) ** 2 + 4 * c * f)
                    a = (1 - c + d) / 2 if c <= 1 else 2 * c * f / (d + c - 1)
                    b = 2 * c * (1 - f) / (1 + c + d)
                    assert abs(got.a - a) <= 4 * U * a and abs(got.b - b) <= 4 * U * b, \
                        (G, f, beta, got)


def test_critical_beta_gives_the_square_root():
    """beta = K = G psi(1/G) = sqrt(G - 1): near p = 0, g(p)/p = K - c p + O(p^2) with
    c = (G - 1)(a_0 - a_1), a_i = G psi_(i+1)/(i + 1), so p = sqrt(K f/c) -- G = 2: sqrt(f).
    The float residual cannot see it (1 - p = 1): the solver must add the digits.  (K is
    an integer for these G; a rounded beta = K(1 + 1e-16) would give p ~ f K/(beta - K).)"""
    assert stationary_binary_finite(1e-300, 1.0, 2).a == pytest.approx(1e-150, rel=4 * U)
    for G in (5, 10, 65):
        K = math.isqrt(G - 1)
        got = stationary_binary_finite(1e-300, K, G)
        certify_grpo(got, 1e-300, K, G)
        with mpmath.workdps(30):
            c = (G - 1) * (G * psi(G, 1) - G * psi(G, 2) / 2)
            assert abs(got.a / mpmath.sqrt(K * mpmath.mpf(1e-300) / c) - 1) < 1e-12
    # beta just above K: p = f beta/(beta - K) to first order
    beta = 2 + 2 ** -50
    got = stationary_binary_finite(1e-300, beta, 5)
    certify_grpo(got, 1e-300, beta, 5)
    assert got.a == pytest.approx(1e-300 * beta / 2 ** -50, rel=1e-6)


@pytest.mark.parametrize("dps", [30, 50])
def test_dps_residual_is_zero_to_the_digits(dps):
    for G, f, beta in [(5, 0.2, 0.04), (64, 1e-30, 3.0), (8, 0.999, 1e-5), (16, 1e-300, 5.0)]:
        got = stationary_binary_finite(f, beta, G, dps=dps)
        assert isinstance(got.a, mpmath.mpf) and isinstance(got.b, mpmath.mpf)
        # the smaller probability x carries dps digits; evaluate at (x, 1 - x) exactly
        x, on_a = (got.a, True) if got.a <= got.b else (got.b, False)
        with mpmath.workdps(dps + digits_for(x)):
            p, r = (x, 1 - x) if on_a else (1 - x, x)
            res = grpo_residual(mpmath.mpf(f), mpmath.mpf(beta), G, p, r)
            scale = beta * (x + (f if on_a else 1 - mpmath.mpf(f)))
            assert abs(res) <= scale * mpmath.mpf(10) ** (2 - dps), (G, f, beta, res)
            other = got.b if on_a else got.a
            assert abs(other - (1 - x)) <= other * mpmath.mpf(10) ** (1 - dps)


def test_dps_at_a_million_agrees_with_float():
    for f, beta in [(0.3, 1.0), (0.999, 1e-6)]:
        fl = stationary_binary_finite(f, beta, 10**6)
        mp = stationary_binary_finite(f, beta, 10**6, dps=40)
        assert abs(fl.a - mp.a) <= 4 * U * mp.a and abs(fl.b - mp.b) <= 4 * U * mp.b


def test_large_groups_approach_15_at_the_predicted_rate():
    """p_inf - p_G ~ 1/(8 G sqrt(p q) (beta - phi'(p))), phi = sqrt(x (1 - x)), at p = p_inf."""
    f, beta = 0.2, 1.5
    p = stationary_binary(f, beta, group_size=math.inf, dps=40)
    with mpmath.workdps(40):
        q = 1 - p
        dphi = (1 - 2 * p) / (2 * mpmath.sqrt(p * q))
        C = 1 / (8 * mpmath.sqrt(p * q) * (beta - dphi))
    scaled = []
    for G in (10**3, 10**4, 10**5):
        pG = stationary_binary_finite(f, beta, G, dps=40).a
        scaled.append(float((p - pG) * G / C))
    assert all(s > 0 for s in scaled)                                 # p_G < p_inf
    assert abs(scaled[-1] - 1) < 0.01 and abs(scaled[-1] - 1) < abs(scaled[0] - 1)


def test_monotone_in_G_beta_and_pi_ref():
    Gs = [2, 3, 4, 5, 8, 16, 64, 1000, 10**5]
    for f, beta in [(0.2, 0.04), (1e-6, 2.5), (0.9, 10.0)]:
        ps = [stationary_binary_finite(f, beta, G).a for G in Gs]
        assert ps == sorted(ps) and len(set(ps)) == len(ps), (f, beta, ps)
        assert ps[-1] < stationary_binary(f, beta, group_size=math.inf)
    for G in (4, 64):
        by_beta = [stationary_binary_finite(0.3, b, G).a for b in (1e-3, 0.04, 0.5, 2, 50)]
        assert by_beta == sorted(by_beta, reverse=True) and by_beta[-1] > 0.3
        by_f = [stationary_binary_finite(f, 1.0, G).a for f in (1e-9, 0.01, 0.3, 0.7, 0.99)]
        assert by_f == sorted(by_f)


@pytest.mark.parametrize("G", [2, 3, 8, 64])
def test_bessel_is_population_at_a_larger_beta(G):
    for f, beta in [(0.2, 0.04), (1e-8, 1.3), (0.95, 7.0)]:
        bes = stationary_binary_finite(f, beta, G, std="bessel")
        with mpmath.workdps(30):
            beta2 = float(beta * mpmath.sqrt(mpmath.mpf(G) / (G - 1)))
        pop = stationary_binary_finite(f, beta2, G)
        # beta2 is rounded once: allow its propagated error (relative 1 ulp times the
        # sensitivity of p to beta, at most 1) besides the two answers' own errors
        assert bes.a == pytest.approx(pop.a, rel=8 * U) and bes.b == pytest.approx(pop.b,
                                                                                   rel=8 * U)


def test_eps_pulls_towards_pi_ref():
    f, beta, G = 0.2, 0.5, 8
    ps = [stationary_binary_finite(f, beta, G, eps=e).a for e in (0, 1e-9, 1e-4, 0.1, 1, 100)]
    assert ps == sorted(ps, reverse=True) and len(set(ps)) == len(ps)
    assert f < ps[-1] < f + 1e-2                         # eps -> inf: g -> 0, p -> f
    assert ps[1] == pytest.approx(ps[0], rel=1e-8)        # eps -> 0: continuous


def test_edges():
    for G in (2, 8, 10**6):
        assert stationary_binary_finite(0, 0.3, G) == (0.0, 1.0)
        assert stationary_binary_finite(1, 0.3, G) == (1.0, 0.0)
        assert stationary_binary_finite(0.3, 0, G) == (1.0, 0.0)
        assert stationary_binary_finite(0.3, 0, G, dps=20) == (1, 0)
    # tiny and huge beta: b ~ beta (1 - f)/K, a ~ f + g(f)/beta
    got = stationary_binary_finite(0.5, 1e-300, 8)
    assert got.b == pytest.approx(1e-300 * 0.5 / math.sqrt(7), rel=1e-12) and got.a == 1.0
    got = stationary_binary_finite(0.25, 1e300, 8)
    assert got.a == 0.25 and got.b == 0.75
    # subnormal pi_ref and beta go through the exact path
    got = stationary_binary_finite(5e-324, 1e3, 8)
    assert got.a == pytest.approx(5e-324 / (1 - math.sqrt(7) / 1e3), abs=5e-324)


def test_mpf_inputs_beyond_float_range():
    with mpmath.workdps(30):
        f = mpmath.mpf("1e-400")
        got = stationary_binary_finite(f, 10, 8, dps=25)
        with mpmath.workdps(60):
            K = mpmath.sqrt(7)
            assert abs(got.a / (f * 10 / (10 - K)) - 1) < mpmath.mpf(10) ** -20


# -- the direct-KL penalty ---------------------------------------------------------------

def kl_k2_float(G, y):
    """k2 in float from every term in log space (for scanning only)."""
    lp, lr = -math.log1p(math.exp(-y)), -math.log1p(math.exp(y))
    return sum(math.exp(math.lgamma(G + 1) - math.lgamma(j + 1) - math.lgamma(G - j + 1)
                        + (j - 1) * lp + (G - j - 1) * lr) * math.sqrt(j * (G - j)) / G
               for j in range(1, G))


def kl_first_root_bruteforce(f, beta, G, step=0.01):
    """Scan H(y) = k2(y) - beta (y - logit f) upwards from logit f (H > 0 there) to its
    first sign change (float, every term), then bisect in mpmath."""
    yf_fl = math.log(f) - math.log1p(-f)
    y, lim = yf_fl, math.log(G) + 40
    while y < lim:
        if kl_k2_float(G, y + step) - beta * (y + step - yf_fl) <= 0:
            with mpmath.workdps(30):
                yf = mpmath.log(f) - mpmath.log1p(-mpmath.mpf(f))
                a, b = mpmath.mpf(y), mpmath.mpf(y + step)
                for _ in range(75):
                    c = (a + b) / 2
                    a, b = (c, b) if kl_k2(G, c) - beta * (c - yf) > 0 else (a, c)
                return a
        y += step
    with mpmath.workdps(30):                                 # k2 = K from here on
        return mpmath.log(f) - mpmath.log1p(-mpmath.mpf(f)) + G * psi(G, 1) / beta


@pytest.mark.parametrize("G", [3, 5, 8, 16])
def test_kl_is_the_first_root_above_pi_ref(G):
    for f in (1e-4, 0.3, 0.9):
        for beta in (0.05, 0.4, 2.0):
            got = stationary_binary_finite(f, beta, G, penalty="kl")
            y = kl_first_root_bruteforce(f, beta, G)
            with mpmath.workdps(30):
                ra, rb = 1 / (1 + mpmath.exp(-y)), 1 / (1 + mpmath.exp(y))
            assert abs(got.a - ra) <= 1e-12 * ra and abs(got.b - rb) <= 1e-12 * rb, \
                (G, f, beta, got, ra, rb)


def test_kl_has_three_roots_here_and_takes_the_first():
    """G = 64, beta = 1.15, f = 0.3: H = k2 - beta (logit p - logit f) has three zeros;
    on-policy GRPO stops at the first, not at the one near 1."""
    G, f, beta = 64, 0.3, 1.15
    with mpmath.workdps(30):
        yf = mpmath.log(f) - mpmath.log1p(-mpmath.mpf(f))
        ys = [mpmath.mpf(k) / 4 for k in range(-4, 4 * 20)]
        H = [kl_k2(G, y) - beta * (y - yf) for y in ys]
    changes = [i for i in range(len(H) - 1) if (H[i] > 0) != (H[i + 1] > 0)]
    assert len(changes) == 3
    got = stationary_binary_finite(f, beta, G, penalty="kl")
    y = mpmath.log(got.a) - mpmath.log(got.b)
    assert ys[changes[0]] < y < ys[changes[0] + 1]


@pytest.mark.parametrize("dps", [None, 40])
def test_kl_residual(dps):
    for G, f, beta in [(8, 0.2, 0.3), (64, 0.3, 1.15), (1000, 0.01, 3.0), (5, 0.9, 0.02)]:
        got = stationary_binary_finite(f, beta, G, penalty="kl", dps=dps)
        with mpmath.workdps(60):
            p, r = mpmath.mpf(got.a), mpmath.mpf(got.b)
            y = mpmath.log(p) - mpmath.log(r)
            yf = mpmath.log(f) - mpmath.log1p(-mpmath.mpf(f))
            k2 = g_brute(G, p, r) / (p * r) if G <= 64 else \
                group_advantage_sum(p, G, dps=50) / (p * r)
            res = beta * (y - yf) - k2
            tol = mpmath.mpf(10) ** -35 if dps else 1e-12
            assert abs(res) <= tol * (k2 + beta * abs(y)), (G, f, beta, res)


def test_kl_small_groups_are_closed_forms():
    for f, beta in [(0.2, 0.3), (1e-10, 2.0), (0.99, 0.05)]:
        with mpmath.workdps(40):
            yf = mpmath.log(f) - mpmath.log1p(-mpmath.mpf(f))
            for G, A in ((2, 1), (3, mpmath.sqrt(2))):
                y = yf + A / mpmath.mpf(beta)
                got = stationary_binary_finite(f, beta, G, penalty="kl")
                ra, rb = 1 / (1 + mpmath.exp(-y)), 1 / (1 + mpmath.exp(y))
                assert abs(got.a - ra) <= 4 * U * ra and abs(got.b - rb) <= 4 * U * rb


def test_kl_large_groups_approach_the_large_group_answer():
    f = 0.3
    b_star = direct_kl_threshold(f)
    beta = 2 * b_star                                     # an interior x1 exists at G = inf
    p_inf = direct_kl_large(f, beta)[0]
    gaps = [abs(stationary_binary_finite(f, beta, G, penalty="kl").a - p_inf)
            for G in (8, 64, 1000, 10**5)]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-5
    # below beta*, G = inf goes to 1; finite G stops at a root whose 1 - p shrinks with G
    beta = b_star / 2
    assert direct_kl_large(f, beta) == (1.0, 0.0)
    bs = [stationary_binary_finite(f, beta, G, penalty="kl").b for G in (8, 64, 1000)]
    assert bs == sorted(bs, reverse=True) and 0 < bs[-1] < 1e-20


@pytest.mark.parametrize("G, std, eps", [(4, "population", 0), (16, "bessel", 0),
                                         (64, "population", 1e-4), (1000, "population", 0),
                                         (64, "population", 0.5)])
def test_kl_structure_the_solver_relies_on(G, std, eps):
    """k2 = g/(p q) is symmetric and decreasing for p < 1/2; its slope D in y = logit p is
    unimodal for y > 0 (rises, then falls to 0) -- checked on a grid."""
    kern = kernel.Kernel(G, std, eps)
    ys = [k / 8 for k in range(1, 8 * 40)]
    D = []
    for y in ys:
        x = 1 / (1 + math.exp(y))
        gx, _, m2 = kernel.sums_float(kern, x, "b")
        D.append(m2 / (1 - x))
    peak = D.index(max(D))
    assert all(d > 0 for d in D[:peak + 1])
    assert D[:peak + 1] == sorted(D[:peak + 1]) and D[peak:] == sorted(D[peak:], reverse=True)
    k2 = [kernel.sums_float(kern, x, "a")[0] / (1 - x) for x in (1e-9, 0.01, 0.2, 0.45)]
    assert k2 == sorted(k2, reverse=True)
    assert kernel.sums_float(kern, 0.2, "a")[0] / 0.8 == pytest.approx(
        kernel.sums_float(kern, 0.2, "b")[0] / 0.8, rel=1e-14)


# -- validation --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, name", [
    (dict(pi_ref=-0.1, beta=0.1, group_size=8), "pi_ref"),
    (dict(pi_ref=math.nan, beta=0.1, group_size=8), "pi_ref"),
    (dict(pi_ref=0.3, beta=-0.1, group_size=8), "beta"),
    (dict(pi_ref=0.3, beta=math.inf, group_size=8), "beta"),
    (dict(pi_ref=0.3, beta=math.nan, group_size=8), "beta"),
    (dict(pi_ref=0.3, beta=0.1, group_size=1), "group_size"),
    (dict(pi_ref=0.3, beta=0.1, group_size=8.5), "group_size"),
    (dict(pi_ref=0.3, beta=0.1, group_size=8, std="sample"), "std"),
    (dict(pi_ref=0.3, beta=0.1, group_size=8, eps=-1e-9), "eps"),
    (dict(pi_ref=0.3, beta=0.1, group_size=8, eps=math.inf), "eps"),
    (dict(pi_ref=0.3, beta=0.1, group_size=8, penalty="l2"), "penalty"),
    (dict(pi_ref=0.3, beta=0.1, group_size=8, dps=0), "dps"),
])
def test_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        stationary_binary_finite(**kwargs)


def test_bad_input_to_g_names_the_parameter():
    for kwargs, name in [(dict(q=1.5, group_size=8), "q"),
                         (dict(q=0.3, group_size=0), "group_size"),
                         (dict(q=0.3, group_size=8, eps=-1), "eps"),
                         (dict(q=0.3, group_size=8, std="x"), "std")]:
        with pytest.raises(ValueError, match=name):
            group_advantage_sum(**kwargs)
    with pytest.raises(TypeError, match="pi_ref"):
        stationary_binary_finite(b"0.3", 0.1, 8)
    with pytest.raises(ValueError, match="pi_ref must be a number, got 'x'"):
        stationary_binary_finite("x", 0.1, 8)
    # G = inf with eps = 0 is (15)
    assert stationary_binary_finite(0.3, 0.1, math.inf).a == stationary_binary(
        0.3, 0.1, group_size=math.inf)


# -- presets -----------------------------------------------------------------------------

def test_presets_are_the_documented_settings():
    got = {n: (p.beta, p.group_size, p.std, p.eps) for n, p in PRESETS.items()}
    assert got == {"trl": (0.0, 8, "bessel", 1e-4), "trl-0.04": (0.04, 8, "bessel", 1e-4),
                   "trl-0.04-bias-correction": (0.04, 8, "bessel", 1e-4),
                   "trl-0.04-batch": (0.04, 8, "bessel", 1e-4),
                   "trl-0.04-dr-grpo": (0.04, 8, "bessel", 1e-4),
                   "verl": (0.001, 5, "bessel", 1e-6), "verl-dr-grpo": (0.0, 5, "bessel", 1e-6),
                   "openrlhf": (0.01, 8, "bessel", 1e-9), "dapo": (0.0, 16, "bessel", 1e-6),
                   "deepseekmath": (0.04, 64, "population", 0.0)}
    s = {n: p.settings for n, p in PRESETS.items()}
    assert (s["verl"].estimator, s["verl"].value_clamp, s["verl"].log_ratio_clamp) == ("k3", 10, 20)
    assert (s["openrlhf"].estimator, s["openrlhf"].placement) == ("k1", "advantage")
    assert s["trl-0.04-bias-correction"].placement == "loss_ratio"
    assert (s["trl-0.04-batch"].scaling, s["trl-0.04-dr-grpo"].scaling) == ("batch", "none")
    assert s["dapo"].dynamic_sampling and s["verl-dr-grpo"].scaling == "none"
    for name, p in PRESETS.items():
        assert isinstance(p, TrainerPreset) and p.name == name and len(p.source) > 40
        assert "commit" in p.source or "arXiv" in p.source
        assert preset(name) is p
    with pytest.raises(AttributeError):
        PRESETS["trl"].name = "x"                          # frozen
    with pytest.raises(TypeError):
        PRESETS["mine"] = PRESETS["trl"]                   # read-only mapping


def test_unknown_preset_lists_the_names():
    with pytest.raises(ValueError) as err:
        preset("sglang")
    assert all(repr(n) in str(err.value) for n in PRESETS) and "name" in str(err.value)


def test_preset_table_rows_solve_each_preset():
    from grpo_sym.numeric.trainers import stationary_trainer
    rows = preset_table((0.01, 0.5))
    assert [(r.preset, r.pi_ref) for r in rows] == [(n, f) for n in PRESETS for f in (0.01, 0.5)]
    for r in rows:
        p = PRESETS[r.preset]
        assert r.pi_theta_a == stationary_trainer(r.pi_ref, p.settings).a
        assert r.pi_ref < r.pi_theta_a <= 1
    for name in ("trl", "verl-dr-grpo", "dapo"):                               # beta = 0
        assert [r.pi_theta_a for r in rows if r.preset == name] == [1.0, 1.0]
    # the paper's penalty: the presets with k3 in the loss are (11) at their G, std, eps
    for name in ("trl-0.04", "deepseekmath"):
        p = PRESETS[name]
        assert [r.pi_theta_a for r in rows if r.preset == name] == [
            stationary_binary_finite(f, p.beta, p.group_size, std=p.std, eps=p.eps).a
            for f in (0.01, 0.5)]
    ds = PRESETS["deepseekmath"].stationary(0.5)
    certify_grpo(ds, 0.5, 0.04, 64)
    assert PRESETS["deepseekmath"].stationary(0.5) == stationary_binary_pair(
        0.5, 0.04, group_size=64)


