"""penalty="kl": the direct-KL stationary policies and the large-group threshold."""
from __future__ import annotations

import math

import mpmath
import pytest

from grpo_sym.numeric import direct_kl_threshold, stationary_binary, stationary_binary_pair
from grpo_sym.numeric.direct_kl import h_at_minimum, threshold_function

REF_DPS = 300


def ref_pairs(f, c):
    """The paper's printed form e^{g/(2b)} f / Z_q, Z_q = e^{g/(2b)} f + e^{-g/(2b)} (1 - f)."""
    with mpmath.workdps(REF_DPS):
        f, c = mpmath.mpf(f), mpmath.mpf(c)
        e = mpmath.exp(1 / (2 * c))
        z = e * f + (1 - f) / e
        return e * f / z, (1 - f) / e / z


def ulps(x, exact):
    with mpmath.workdps(REF_DPS):
        if exact == 0:
            return 0.0 if x == 0 else math.inf
        if abs(exact) < mpmath.mpf(2) ** -1074:   # below the smallest subnormal
            return 0.0 if x == 0 else math.inf
        return float(abs(mpmath.mpf(x) - exact) / mpmath.mpf(math.ulp(float(exact))))


def test_groups_of_two_within_a_few_ulp():
    worst = 0.0
    for f in [1e-300, 1e-30, 1e-5, 0.2, 0.5, 0.9, 1 - 1e-10]:
        for c in [10.0 ** k for k in range(-3, 13)] + [0.5, 1.0, 3.7]:
            got = stationary_binary_pair(f, c, penalty="kl")
            ra, rb = ref_pairs(f, c)
            worst = max(worst, ulps(got.a, ra), ulps(got.b, rb))
    assert worst <= 4, worst


def test_groups_of_two_digits():
    got = stationary_binary_pair(0.2, 0.04, penalty="kl", dps=60)
    ra, rb = ref_pairs(0.2, 0.04)
    with mpmath.workdps(REF_DPS):
        assert abs(got.a - ra) <= ra * mpmath.mpf(10) ** -59
        assert abs(got.b - rb) <= rb * mpmath.mpf(10) ** -59


@pytest.mark.parametrize("f", [1e-6, 0.01, 0.3, 0.5, 0.9])
def test_threshold_solves_its_equation_and_splits_the_dynamics(f):
    b_star = direct_kl_threshold(f)
    with mpmath.workdps(40):
        logit = mpmath.log(f) - mpmath.log1p(-f)
        assert abs(threshold_function(b_star) - logit) < 1e-10 * max(1, abs(logit))
    # below beta*: no interior stationary point, GRPO drives pi_theta(a) to 1
    assert stationary_binary(f, 0.9 * b_star, penalty="kl", group_size=math.inf) == 1.0
    assert h_at_minimum(f, 0.9 * b_star) > 0
    # above: it stops at the smaller zero x1 of h, above pi_ref and below x*
    beta = 1.1 * b_star
    x1 = stationary_binary(f, beta, penalty="kl", group_size=math.inf, dps=40)
    x_star = (1 + beta / math.sqrt(1 + beta**2)) / 2
    assert f < x1 < x_star
    with mpmath.workdps(40):
        h = 1 / (beta * mpmath.sqrt(x1 * (1 - x1))) - mpmath.log(x1 / (1 - x1)) + \
            mpmath.log(mpmath.mpf(f) / (1 - mpmath.mpf(f)))
        assert abs(h) < mpmath.mpf(10) ** -30


def test_threshold_increases_with_pi_ref():
    values = [direct_kl_threshold(f) for f in (1e-9, 0.01, 0.3, 0.5, 0.9, 0.999)]
    assert values == sorted(values) and values[0] > 0


@pytest.mark.parametrize("kwargs, name", [
    (dict(pi_ref=0.3, beta=-0.1, penalty="kl"), "beta"),
    (dict(pi_ref=1.3, beta=0.1, penalty="kl"), "pi_ref"),
    (dict(pi_ref=0.3, beta=0.1, margin=2, penalty="kl"), "margin"),
    (dict(pi_ref=0.3, beta=0.1, group_size=1, penalty="kl"), "group_size"),
])
def test_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        stationary_binary(**kwargs)


def test_threshold_validates():
    with pytest.raises(ValueError, match="pi_ref"):
        direct_kl_threshold(float("nan"))
    with pytest.raises(ValueError, match="dps"):
        direct_kl_threshold(0.3, dps=0)


def test_large_groups_float_within_a_few_ulp():
    worst = 0.0
    for f in (1e-12, 1e-3, 0.05, 0.3, 0.7):
        b_star = direct_kl_threshold(f)
        for beta in (1.01 * b_star, 2 * b_star, 10 * b_star, 1e3 * b_star):
            got = stationary_binary_pair(f, beta, penalty="kl", group_size=math.inf)
            ref = stationary_binary_pair(f, beta, penalty="kl", group_size=math.inf, dps=60)
            worst = max(worst, ulps(got.a, ref.a), ulps(got.b, ref.b))
    assert worst <= 2, worst


@pytest.mark.parametrize("f", [1e-6, 0.1, 0.5, 0.97])
def test_numeric_threshold_solves_the_registered_claims_equation(f):
    """direct_kl_threshold and the claim b2.large.threshold.equation state one equation."""
    import sympy as sp

    import grpo_sym
    from grpo_sym.grpo.symbols import beta, pi_ref_a

    claim = grpo_sym.load_registry()["b2.large.threshold.equation"]
    gap = claim.statement.lhs - claim.statement.rhs
    b_star = direct_kl_threshold(f, dps=40)
    value = sp.N(gap.subs({pi_ref_a: sp.Float(f, 40), beta: sp.Float(mpmath.nstr(b_star, 40), 40)}), 30)
    assert abs(value) < 1e-30
