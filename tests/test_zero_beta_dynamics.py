"""beta = 0: how fast p goes to 1 (derivations/x6_zero_beta_dynamics, grpo_sym.numeric.dynamics).

The claims themselves run in test_derivations; here: false variants the engine must not
prove, the numeric times against the closed forms (computed independently, with mpmath's
asin and log) and against the quadrature, the asymptotics near 1, the discrete step bounds of
the claims, and the step counts against the simulator (``grpo_sym.simulate``, as it is).
"""
from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from sympy import Rational, exp

import grpo_sym
from grpo_sym.derivations import x1_finite_groups as x1
from grpo_sym.derivations import x6_zero_beta_dynamics as x6
from grpo_sym.grpo.dynamics import clock, metric, velocity
from grpo_sym.grpo.symbols import group_size as G, pi_theta_a as p
from grpo_sym.numeric.dynamics import margin, near_one, steps_to_reach, time_to_reach
from grpo_sym.proof import Eq, Ge, Le, LimitProof, Registry, claim, verify_claim
from grpo_sym.simulate import simulate

grpo_sym.load_registry()
U = p * (1 - p)

# -- false variants: never proved ------------------------------------------------------------


def _wrong(statement, **kw):
    return verify_claim(claim("test.x6.wrong", "test", statement, prose="a wrong variant",
                              registry=Registry(), **kw))


WRONG = {
    # the softmax clock with a wrong constant: Psi moves at rate eta, not 2 eta
    "logits-clock-constant": lambda: Eq(sp.Derivative(x6.PSI, p)
                                        * velocity("logits", x6.M_LARGE, p), 2),
    # the natural clock with the constant of the probability rule
    "natural-clock-is-probability-clock": lambda: Eq(
        sp.Derivative(clock("probability", "large", p, m=sp), p)
        * velocity("natural", x6.M_LARGE, p), 1),
    # shift-only reaching 1 in finite time: its natural clock finite at 1
    "shift-only-finite-time": lambda: Eq(sp.Limit(sp.exp(-x6.SHIFT_TIME), p, 1, "-"),
                                         sp.exp(-(sp.pi - x6.NAT_LARGE.subs(p, x6.p0)))),
    # the softmax rule's clock bounded at 1 (it diverges)
    "logits-finite-time": lambda: Eq(sp.Limit(1 / x6.PSI, p, 1, "-"), Rational(1, 2)),
    # a wrong rate: time ~ 1/(eta delta) for the large-group std softmax rule
    "logits-rate-power": lambda: Eq(sp.Limit(x6.delta * x6.PSI.subs(p, 1 - x6.delta), x6.delta,
                                             0, "+"), 1),
    # the finite-G velocity above sqrt(G - 1) u, or below 2 (G - 1)/G u, swapped
    "finite-upper-with-lower-constant": lambda: Ge(x6.C_LOW * U - x1.B_p, 0),
    "finite-slope-wrong": lambda: Eq(sp.Derivative(x1.B_p, p).subs(p, 1), -G),
    # each simulator step raising Psi by 2 eta
    "step-twice": lambda: Ge((x6.W * exp(x6.H_STEP) - 1 / (x6.W * exp(x6.H_STEP)))
                             - (x6.W - 1 / x6.W), 2 * x6.eta),
    # each simulator step raising Psi by at most eta (it is at most eta e^(eta/2))
    "step-at-most-eta": lambda: Le((x6.W * exp(x6.H_STEP) - 1 / (x6.W * exp(x6.H_STEP)))
                                   - (x6.W - 1 / x6.W), x6.eta),
    # each probability step at least 3 eta
    "probability-step-three": lambda: Ge(velocity("probability", x6.M_LARGE, p), 3),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_false_variant_is_not_proved(name):
    kw = {}
    statement = WRONG[name]()
    if name.startswith("finite"):
        kw["domains"] = {G: x1.FINITE}
    if isinstance(statement.lhs, sp.Limit):
        kw["proof"] = LimitProof()
    r = _wrong(statement, **kw)
    assert r.symbolic != "proved" and not r.ok, (name, r.symbolic, r.detail)


def test_the_refuted_claims_are_the_briefs_false_beliefs():
    reg = grpo_sym.load_registry()
    for cid in ("x6.large.natural.clock.wrong-constant", "x6.shift-only.natural.finite-time",
                "x6.large.logits.finite-time"):
        c = reg[cid]
        assert c.expected.value == "refuted" and c.corrected_by is not None
        r = verify_claim(c)
        assert r.symbolic == "refuted" and r.ok


# -- the numeric times against closed forms computed independently ------------------------------

def _mp(x):
    return mpmath.mpf(x.numerator) / x.denominator if isinstance(x, Fraction) else mpmath.mpf(x)


P0S = (Fraction(1, 10), Fraction(1, 2), Fraction(4, 5))
DELTAS = (Fraction(1, 100), Fraction(1, 10**6), Fraction(1, 10**12))


@pytest.mark.parametrize("p0", P0S)
@pytest.mark.parametrize("d", DELTAS)
def test_large_group_std_times_match_the_closed_forms(p0, d):
    with mpmath.workdps(40):
        x0, x1_ = _mp(p0), 1 - _mp(d)
        arc = lambda x: mpmath.asin(mpmath.sqrt(x))           # noqa: E731
        psi = lambda x: (2 * x - 1) / mpmath.sqrt(x * (1 - x))  # noqa: E731
        f = lambda x: ((2 * x - 1) * mpmath.sqrt(x * (1 - x)) + arc(x)) / 4  # noqa: E731
        want = {"natural": 2 * (arc(x1_) - arc(x0)), "logits": psi(x1_) - psi(x0),
                "probability": f(x1_) - f(x0)}
    for flow, w in want.items():
        got = time_to_reach(p0, d, flow=flow, learning_rate=Fraction(1, 4), dps=30)
        with mpmath.workdps(40):
            assert abs(got - 4 * w) <= mpmath.mpf(10) ** -25 * abs(w), flow


@pytest.mark.parametrize("scaling,G,c", [("shift", 2, Fraction(1, 2)), ("shift", 8, Fraction(7, 8)),
                                         ("shift", math.inf, 1), ("batch", 4, Fraction(3, 8))])
def test_constant_margin_times_match_the_closed_forms(scaling, G, c):
    s = 2 if scaling == "batch" else 1
    assert margin(Fraction(1, 3), scaling=scaling, group_size=G, batch_std=s) == float(c)
    p0, d = Fraction(1, 5), Fraction(1, 10**8)
    with mpmath.workdps(40):
        x0, x1_, cm = _mp(p0), 1 - _mp(d), _mp(Fraction(c))
        lg = lambda x: mpmath.log(x / (1 - x))                 # noqa: E731
        want = {"probability": (x1_ - x0) / cm, "natural": (lg(x1_) - lg(x0)) / cm,
                "logits": (lg(x1_) + (2 * x1_ - 1) / (2 * x1_ * (1 - x1_))
                           - lg(x0) - (2 * x0 - 1) / (2 * x0 * (1 - x0))) / cm}
    for flow, w in want.items():
        got = time_to_reach(p0, d, flow=flow, scaling=scaling, group_size=G, batch_std=s,
                            dps=30)
        with mpmath.workdps(40):
            assert abs(got - w) <= mpmath.mpf(10) ** -25 * w, flow


@pytest.mark.parametrize("flow", ("probability", "natural", "logits"))
@pytest.mark.parametrize("setting", [dict(), dict(scaling="shift", group_size=5),
                                     dict(group_size=2), dict(group_size=3, std="bessel")])
def test_quadrature_agrees_with_the_closed_clock(flow, setting):
    for d in ("0.01", "1e-9"):
        closed = time_to_reach("0.3", d, flow=flow, dps=30, **setting)
        quad = time_to_reach("0.3", d, flow=flow, dps=30, method="quad", **setting)
        with mpmath.workdps(40):
            assert abs(closed - quad) <= mpmath.mpf(10) ** -20 * abs(closed), (flow, d)


def test_time_to_one():
    assert time_to_reach(0.5, 0, flow="natural") == pytest.approx(math.pi / 2, rel=1e-15)
    assert time_to_reach(0.5, 0, flow="probability") == pytest.approx(math.pi / 16, rel=1e-15)
    assert time_to_reach(0.25, 0, flow="probability", scaling="shift", group_size=4) == 1.0
    for kw in (dict(flow="logits"), dict(flow="natural", group_size=64),
               dict(flow="natural", scaling="shift"), dict(flow="natural", eps=1e-4)):
        assert time_to_reach(0.5, 0, **kw) == math.inf
    # the probability rule reaches 1 at every finite G: the quadrature up to 1 against the
    # limit of the times to 1 - delta
    t1 = time_to_reach("0.5", 0, flow="probability", group_size=8, dps=20)
    near = time_to_reach("0.5", "1e-15", flow="probability", group_size=8, dps=20)
    with mpmath.workdps(30):
        assert 0 < t1 - near < mpmath.mpf(10) ** -14


# -- near 1: logarithmic or a power, with the constants of near_one ----------------------------

@pytest.mark.parametrize("G,std,eps", [(8, "population", 0), (8, "bessel", 1e-4),
                                       (3, "population", 0), (math.inf, "population", 1)])
def test_finite_g_is_logarithmic_for_the_natural_rule(G, std, eps):
    kind = near_one(flow="natural", group_size=G, std=std, eps=eps)
    assert kind.kind == "log"
    if G != math.inf and std == "population":
        assert kind.constant == pytest.approx(1 / math.sqrt(G - 1), rel=1e-15)
    # T(delta) - constant log(1/delta) converges (the correction is O(delta) at finite G,
    # O(sqrt(delta)/eps^2) at G = inf)
    with mpmath.workdps(30):
        rest = [time_to_reach("0.5", f"1e-{k}", flow="natural", group_size=G, std=std,
                              eps=eps, dps=15) - kind.constant * k * mpmath.log(10)
                for k in (12, 24)]
        assert abs(rest[0] - rest[1]) < (1e-5 if G == math.inf else 1e-10)


@pytest.mark.parametrize("G,std,eps", [(5, "population", Fraction(1, 10)),
                                       (8, "bessel", Fraction(1, 10**4)), (8, "bessel", 0),
                                       (math.inf, "population", Fraction(1, 2))])
def test_slope_at_one_is_the_group_advantage_sums(G, std, eps):
    """near_one's c1 against g(1 - h)/h = g(h)/h (g the group-advantage sum), and, for the
    population std, against x6.finite.eps.slope-at-one evaluated."""
    from grpo_sym.numeric import group_advantage_sum
    with mpmath.workdps(80):      # h = 1e-50: the correction is O(h), O(sqrt(h)) at G = inf
        c1 = near_one(flow="natural", group_size=G, std=std, eps=eps, dps=30).constant ** -1
        h = mpmath.mpf(10) ** -50
        slope = group_advantage_sum(h, G, std=std, eps=eps, dps=80) / h
        assert abs(slope - c1) < mpmath.mpf(10) ** -20
    if G != math.inf and std == "population":
        claimed = x6.SLOPE_EPS.subs({x6.G: G, x6.x2.eps: sp.Rational(eps)})
        assert abs(float(claimed) - float(c1)) < 1e-14


@pytest.mark.parametrize("G", (2, 8, 64))
def test_finite_g_is_one_over_delta_for_the_softmax_rule(G):
    kind = near_one(flow="logits", group_size=G)
    assert (kind.kind, kind.exponent) == ("power", 1)
    assert kind.constant == pytest.approx(1 / (2 * math.sqrt(G - 1)), rel=1e-15)
    with mpmath.workdps(30):
        ratio = [time_to_reach("0.5", f"1e-{k}", group_size=G, dps=15) * mpmath.mpf(10) ** -k
                 for k in (6, 12)]
        assert abs(ratio[1] - kind.constant) < abs(ratio[0] - kind.constant) + 1e-12
        assert abs(ratio[1] - kind.constant) < 1e-6


def test_large_group_softmax_rule_is_one_over_sqrt_delta():
    kind = near_one(flow="logits", learning_rate=0.5)
    assert (kind.kind, kind.exponent, kind.constant) == ("power", 0.5, 2.0)
    t = time_to_reach("0.5", "1e-20", learning_rate=0.5, dps=30)
    with mpmath.workdps(40):
        assert abs(t * mpmath.mpf(10) ** -10 - 2) < 1e-9


@pytest.mark.parametrize("G", (4, 5, 8))
def test_finite_g_time_lies_between_the_constant_margin_times(G):
    """x6.finite.velocity.lower/upper: 2 (G - 1)/G <= gamma_G <= sqrt(G - 1), so the time
    lies between those of the constant margins (batch scaling with s chosen to give c)."""
    for flow in ("probability", "natural", "logits"):
        t = time_to_reach(0.2, 1e-6, flow=flow, group_size=G)
        fast = time_to_reach(0.2, 1e-6, flow=flow, scaling="batch", group_size=G,
                             batch_std=(G - 1) / G / math.sqrt(G - 1))
        slow = time_to_reach(0.2, 1e-6, flow=flow, scaling="batch", group_size=G,
                             batch_std=0.5)
        assert fast < t < slow, flow


# -- discrete steps: the bounds of the claims, and the simulator --------------------------------

@pytest.mark.parametrize("p0,d,lr", [(0.5, 1e-2, 0.5), (0.6, 1e-4, 0.1), (0.9, 1e-6, 1.0)])
def test_softmax_steps_within_the_proved_bound(p0, d, lr):
    """x6.large.logits.step and .step.at-most: from p0 >= 1/2, with T the flow's time at
    step size eta, T/e^(eta/2) <= steps <= ceil(T)."""
    n = steps_to_reach(p0, d, learning_rate=lr)
    t = time_to_reach(p0, d, learning_rate=lr)
    assert t / math.exp(lr / 2) <= n <= math.ceil(t)


def test_probability_steps_within_the_proved_bound():
    """x6.large.probability.step: each step moves p by >= 2 eta."""
    for p0, lr in ((0.1, 0.01), (0.5, 0.05), (0.01, 0.2)):
        n = steps_to_reach(p0, 1e-9, flow="probability", learning_rate=lr)
        assert n <= math.ceil((1 - p0) / (2 * lr))


def _simulated_steps(p0, delta, G, lr, std="population", eps=0.0, iterations=3000):
    r = simulate([0.5, 0.5], [1, 0], 0, group_size=G, std=std, eps=eps, learning_rate=lr,
                 iterations=iterations, init=[p0, 1 - p0], predict=False)
    hit = np.flatnonzero(r.trajectory[:, 1] <= delta)     # 1 - p, computed without cancelling
    return int(hit[0]) if hit.size else None


@pytest.mark.parametrize("G,std,eps,p0,d,lr", [
    (2, "population", 0.0, 0.5, 0.01, 0.5),
    (3, "population", 0.0, 0.2, 0.001, 0.3),
    (8, "population", 0.0, 0.7, 1e-4, 1.0),
    (8, "bessel", 1e-4, 0.3, 0.01, 0.5),
    (math.inf, "population", 0.0, 0.2, 0.001, 0.3),
])
def test_steps_match_the_simulator(G, std, eps, p0, d, lr):
    n = steps_to_reach(p0, d, group_size=G, std=std, eps=eps, learning_rate=lr)
    assert n == _simulated_steps(p0, d, G, lr, std, eps)


def test_small_steps_follow_the_flow():
    """With eta -> 0 the simulator's step count times eta tends to the flow's time."""
    for size in (4, math.inf):
        t = time_to_reach(0.3, 0.01, group_size=size)
        n = _simulated_steps(0.3, 0.01, size, 0.02, iterations=4000)
        assert abs(n * 0.02 - t) < 0.05 * t


# -- the symbolic objects the claims use are the ones the numbers use ---------------------------

def test_clock_derivative_is_the_inverse_velocity_numerically():
    x = sp.Symbol("x", positive=True)
    for flow in ("probability", "natural", "logits"):
        for kind, g in (("large", 1 / sp.sqrt(x * (1 - x))), ("constant", Rational(3, 4))):
            tau = clock(flow, kind, x, Rational(3, 4), m=sp)
            value = (sp.diff(tau, x) * velocity(flow, g, x)).subs(x, Rational(2, 7))
            assert sp.nsimplify(sp.N(value, 40)) == 1, (flow, kind)
    assert metric("logits", Rational(1, 2)) == Rational(1, 8)


# -- inputs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("call,message", [
    (lambda: time_to_reach(0.5, 0.1, flow="adam"), "flow must be one of"),
    (lambda: time_to_reach(0.5, 0.1, scaling="rank"), "scaling must be one of"),
    (lambda: time_to_reach(0.5, 0.1, std="sample"), "std must be one of"),
    (lambda: time_to_reach(0.5, 0.1, group_size=1), "group_size must be an integer >= 2"),
    (lambda: time_to_reach(0.5, 0.1, scaling="shift", eps=0.1), "eps applies to scaling='std'"),
    (lambda: time_to_reach(0.5, 0.1, batch_std=2), "batch_std applies to scaling='batch'"),
    (lambda: time_to_reach(0.5, 0.1, scaling="batch", batch_std=0), "batch_std must be a "
                                                                    "positive number"),
    (lambda: time_to_reach(0.5, 0.1, learning_rate=-1), "learning_rate must be a positive"),
    (lambda: time_to_reach(0.0, 0.1), "p0 must be in (0, 1)"),
    (lambda: time_to_reach(0.5, 0.7), "delta must be in [0, 1 - p0]"),
    (lambda: time_to_reach(0.5, 0.1, method="euler"), "method must be one of"),
    (lambda: time_to_reach(0.5, 0.1, dps=0), "dps must be a whole number"),
    (lambda: steps_to_reach(0.5, 0, max_steps=5), "delta must be in (0, 1 - p0]"),
    (lambda: steps_to_reach(0.5, 0.1, max_steps=0), "max_steps must be an integer >= 1"),
    (lambda: margin(1, group_size=4), "p must be in (0, 1)"),
    (lambda: near_one(eps=-1), "eps must be a non-negative number"),
])
def test_bad_input_gives_a_one_line_error(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert message in str(err.value) and "\n" not in str(err.value)


def test_exact_inputs_stay_exact():
    """A Fraction, a decimal string and the float nearest to it differ at 40 digits."""
    exact = time_to_reach(Fraction(1, 10), 0, flow="natural", dps=40)
    text = time_to_reach("0.1", 0, flow="natural", dps=40)
    near = time_to_reach(0.1, 0, flow="natural", dps=40)
    with mpmath.workdps(50):
        want = mpmath.pi - 2 * mpmath.asin(mpmath.sqrt(mpmath.mpf(1) / 10))
        assert abs(exact - want) < mpmath.mpf(10) ** -39 and exact == text
        assert abs(near - want) > mpmath.mpf(10) ** -20
