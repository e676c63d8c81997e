"""The numeric API for binary questions: accuracy in ulp, digits, validation.

The reference is the formula *as printed* ((14), (15), and 1 minus them),
evaluated with mpmath at 400 digits: enough to absorb the worst cancellation
(about log10(c/f) <= 312 digits), so it is independent of the stable rewriting
that the float code uses.  Trainer conventions for groups of two (Bessel std,
eps) are (14) at a rescaled c; other group sizes are routed to
``solvers`` (tested in test_numeric_finite_group.py).
"""
from __future__ import annotations

import math

import mpmath
import pytest

from grpo_sym.numeric import stationary_binary, stationary_binary_pair

REF_DPS = 400


def ref_pairs(f, c):
    with mpmath.workdps(REF_DPS):
        f, c = mpmath.mpf(f), mpmath.mpf(c)
        a = (1 - c + mpmath.sqrt((1 - c) ** 2 + 4 * c * f)) / 2
        return a, 1 - a


def ref_large(f, beta):
    with mpmath.workdps(REF_DPS):
        f, b = mpmath.mpf(f), mpmath.mpf(beta) ** 2
        a = (2 * b * f + 1 + mpmath.sqrt(1 + 4 * b * f * (1 - f))) / (2 * (1 + b))
        return a, 1 - a


def ulps(x: float, exact) -> float:
    if exact == 0:
        return 0.0 if x == 0 else math.inf
    with mpmath.workdps(REF_DPS):
        return float(abs(mpmath.mpf(x) - exact) / mpmath.mpf(math.ulp(float(exact))))


C_SWEEP = [10.0 ** k for k in range(-12, 13)] + [0.5, 0.999999, 1.0, 1.000001, 2.0, 3.7]
F_SWEEP = [1e-300, 1e-200, 1e-100, 1e-30, 1e-10, 1e-5, 0.01, 0.2, 0.5, 0.7, 0.99, 1 - 1e-10,
           1 - 2 ** -52]


def worst_ulps():
    """Worst error (ulp) of a and b over the sweep, for (14) and (15)."""
    worst = {"pairs": 0.0, "large": 0.0}
    for f in F_SWEEP:
        for c in C_SWEEP:
            got = stationary_binary_pair(f, c)                 # margin 1: beta/gamma = c
            ra, rb = ref_pairs(f, c)
            worst["pairs"] = max(worst["pairs"], ulps(got.a, ra), ulps(got.b, rb))
            got = stationary_binary_pair(f, c, group_size=math.inf)
            ra, rb = ref_large(f, c)
            worst["large"] = max(worst["large"], ulps(got.a, ra), ulps(got.b, rb))
    return worst


def test_float_is_within_a_few_ulp_everywhere():
    w = worst_ulps()
    assert w["pairs"] <= 4 and w["large"] <= 4, w


def test_printed_form_in_float_loses_digits_where_the_api_does_not():
    f, c = 1e-10, 1e6
    naive = (1 - c + math.sqrt((1 - c) ** 2 + 4 * c * f)) / 2
    exact, _ = ref_pairs(f, c)
    assert ulps(naive, exact) > 1e12          # the printed formula: garbage
    assert ulps(stationary_binary(f, c), exact) <= 4


def test_margin_enters_through_beta_over_gamma():
    assert stationary_binary(0.3, 0.2, margin=0.5) == stationary_binary(0.3, 0.4)


@pytest.mark.parametrize("dps", [20, 50, 120])
def test_dps_gives_that_many_digits(dps):
    for f, c in [(0.2, 0.04), (1e-200, 1e9), (1 - 1e-10, 1e-12), (0.5, 1.0)]:
        for G, ref in ((2, ref_pairs), (math.inf, ref_large)):
            got = stationary_binary_pair(f, c, group_size=G, dps=dps)
            ra, rb = ref(f, c)
            with mpmath.workdps(REF_DPS):
                assert abs(got.a - ra) <= abs(ra) * mpmath.mpf(10) ** (1 - dps)
                assert abs(got.b - rb) <= abs(rb) * mpmath.mpf(10) ** (1 - dps)
            assert isinstance(got.a, mpmath.mpf)


def test_endpoints_are_fixed_points():
    for G in (2, math.inf):
        assert stationary_binary(0, 0.1, group_size=G) == 0.0
        assert stationary_binary(1, 0.1, group_size=G) == 1.0
        assert stationary_binary(0, 0.1, group_size=G, dps=30) == 0


@pytest.mark.parametrize("kwargs, name", [
    (dict(pi_ref=0.3, beta=-1), "beta"),
    (dict(pi_ref=0.3, beta=-1e-300, group_size=8), "beta"),
    (dict(pi_ref=0.3, beta=math.nan), "beta"),
    (dict(pi_ref=0.3, beta=math.inf), "beta"),
    (dict(pi_ref=-0.1, beta=0.1), "pi_ref"),
    (dict(pi_ref=1.5, beta=0.1), "pi_ref"),
    (dict(pi_ref=math.nan, beta=0.1), "pi_ref"),
    (dict(pi_ref=0.3, beta=0.1, margin=0), "margin"),
    (dict(pi_ref=0.3, beta=0.1, margin=1.2), "margin"),
    (dict(pi_ref=0.3, beta=0.1, margin=math.nan), "margin"),
    (dict(pi_ref=0.3, beta=0.1, group_size=1), "group_size"),
    (dict(pi_ref=0.3, beta=0.1, group_size=2.5), "group_size"),
    (dict(pi_ref=0.3, beta=0.1, group_size=-math.inf), "group_size"),
    (dict(pi_ref=0.3, beta=0.1, dps=0), "dps"),
    (dict(pi_ref=0.3, beta=0.1, std="sample"), "std"),
    (dict(pi_ref=0.3, beta=0.1, penalty="l2"), "penalty"),
    (dict(pi_ref=0.3, beta=0.1, margin=0.5, group_size=math.inf), "margin"),
    (dict(pi_ref=0.3, beta=0.1, margin=0.5, group_size=8), "margin"),
    (dict(pi_ref=0.3, beta=0.1, margin=0.5, eps=1e-4), "margin"),
    (dict(pi_ref=0.3, beta=0.1, eps=-1e-4), "eps"),
    (dict(pi_ref=0.3, beta=0.1, eps=math.nan, group_size=8), "eps"),
    (dict(pi_ref=0.3, beta=0.1, eps=math.inf), "eps"),
    (dict(pi_ref=0.3, beta=0.1, group_size=8, std="sample"), "std"),
    (dict(pi_ref=0.3, beta=0.1, group_size=8, penalty="l2"), "penalty"),
])
def test_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        stationary_binary(**kwargs)


def test_strings_are_not_numbers():
    with pytest.raises(TypeError, match="pi_ref"):
        stationary_binary(b"0.3", 0.1)


def test_finite_group_needs_deterministic_rewards_and_says_so():
    with pytest.raises(ValueError, match="margin=1"):
        stationary_binary(0.3, 0.1, margin=0.5, group_size=8)


@pytest.mark.parametrize("G", [2, 3, 8, math.inf])
@pytest.mark.parametrize("penalty", ["grpo", "kl"])
def test_beta_zero_goes_to_the_better_answer(G, penalty):
    """TRL's default beta = 0: no penalty, pi_theta(a) = 1 exactly -- but not where
    pi_ref(a) = 0 (outside pi_ref's support)."""
    assert stationary_binary_pair(0.3, 0.0, group_size=G, penalty=penalty) == (1.0, 0.0)
    assert stationary_binary_pair(0.3, 0, group_size=G, penalty=penalty, dps=20) == (1, 0)
    assert stationary_binary_pair(0.0, 0.0, group_size=G, penalty=penalty) == (0.0, 1.0)
    # and beta = 0 is the limit of small beta
    assert stationary_binary(0.3, 1e-12, group_size=G, penalty=penalty) > 1 - 1e-10


@pytest.mark.parametrize("G", [3, 5, 8, 64])
def test_every_group_size_lies_between_pairs_and_large_groups(G):
    """p_G increases with G from (14) (G = 2) to (15) (G = inf)."""
    for f, beta in [(0.2, 0.04), (0.01, 1.0), (0.9, 3.0), (1e-8, 0.5)]:
        p2 = stationary_binary(f, beta)
        pG = stationary_binary(f, beta, group_size=G)
        pinf = stationary_binary(f, beta, group_size=math.inf)
        assert p2 < pG < pinf, (G, f, beta, p2, pG, pinf)


@pytest.mark.parametrize("std, eps, scale", [
    ("bessel", 0.0, "sqrt2"),       # A_2 = (1/2)/(1/sqrt 2) = 1/sqrt 2: c = beta sqrt 2
    ("population", 1e-4, "1+2eps"),  # A_2 = (1/2)/(1/2 + eps): c = beta (1 + 2 eps)
    ("bessel", 0.25, "sqrt2+2eps"),
])
def test_groups_of_two_with_trainer_conventions_rescale_c(std, eps, scale):
    with mpmath.workdps(REF_DPS):
        factor = {"sqrt2": mpmath.sqrt(2), "1+2eps": 1 + 2 * mpmath.mpf(eps),
                  "sqrt2+2eps": mpmath.sqrt(2) + 2 * mpmath.mpf(eps)}[scale]
    worst = 0.0
    for f in [1e-200, 1e-10, 0.2, 0.7, 1 - 1e-10]:
        for beta in [1e-9, 0.04, 1 / math.sqrt(2), 1.0, 3.7, 1e9]:
            got = stationary_binary_pair(f, beta, std=std, eps=eps)
            with mpmath.workdps(REF_DPS):
                ra, rb = ref_pairs(f, mpmath.mpf(beta) * factor)
            worst = max(worst, ulps(got.a, ra), ulps(got.b, rb))
    assert worst <= 4, worst


def test_groups_of_two_kl_with_bessel_is_the_closed_form_at_c_sqrt2():
    # logit p = logit f + A_2/beta, A_2 = 1/sqrt(2)
    f, beta = 0.2, 0.3
    got = stationary_binary_pair(f, beta, std="bessel", penalty="kl")
    with mpmath.workdps(50):
        y = mpmath.log(f) - mpmath.log1p(-f) + 1 / (mpmath.sqrt(2) * beta)
        assert ulps(got.a, 1 / (1 + mpmath.exp(-y))) <= 2
        assert ulps(got.b, 1 / (1 + mpmath.exp(y))) <= 2


def test_finite_groups_route_to_the_solver():
    from grpo_sym.numeric import stationary_binary_finite
    for G, kw in [(3, {}), (8, dict(std="bessel", eps=1e-4)), (16, dict(penalty="kl"))]:
        assert stationary_binary_pair(0.2, 0.04, group_size=G, **kw) == \
            stationary_binary_finite(0.2, 0.04, G, **kw)


def test_eps_in_the_large_group_limit():
    """G = inf with eps > 0: beta (p - f) = p q/(sqrt(p q) + eps), rewards 1 and 0; it tends
    to (15) as eps -> 0 and is below it (eps pulls towards pi_ref)."""
    f, beta = 0.2, 0.5
    p15 = stationary_binary(f, beta, group_size=math.inf)
    prev = f
    for eps in [1.0, 1e-2, 1e-4, 1e-8]:
        got = stationary_binary_pair(f, beta, group_size=math.inf, eps=eps, dps=40)
        with mpmath.workdps(60):
            p, q = got.a, got.b
            res = beta * (p - f) - p * q / (mpmath.sqrt(p * q) + eps)
            assert abs(res) < mpmath.mpf(10) ** -38
        assert prev < got.a < p15
        prev = got.a
    assert abs(prev - p15) < 1e-7
