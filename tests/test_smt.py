"""The z3 prover (grpo_sym.proof.smt): each rule, with the false claim it
must reject; counterexamples are checked again here with Fractions."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from sympy import (Abs, Derivative, FiniteSet, Float, I, Interval, Limit, Max, Min, Piecewise,
                   Range, Rational, S, Sum, Symbol, cbrt, exp, oo, pi, sin, sqrt)

from grpo_sym.proof.domains import OnSimplex
from grpo_sym.proof.relations import Eq, Ge, Gt, Le, Lt, Ne
from grpo_sym.proof.smt import SmtResult, confirm, fragment_reason

x, y = Symbol("x_smt"), Symbol("y_smt")            # no assumptions: SymPy keeps sqrt(x**2)
n, m = Symbol("n_smt", integer=True), Symbol("m_smt", integer=True)
p, q = Symbol("p_smt"), Symbol("q_smt")
REALS, POS = S.Reals, Interval.open(0, oo)


def value(r: SmtResult, s: Symbol) -> Fraction:
    return Fraction(r.model[s.name])


# -- polynomials ------------------------------------------------------------------
def test_square_confirmed_and_its_false_variant_refuted():
    assert confirm(Ge(x**2 - 2*x + 1, 0), domains={x: REALS}).status == "confirmed"
    r = confirm(Ge(x**2 - 2*x, 0), domains={x: REALS})
    assert r.status == "counterexample"
    v = value(r, x)
    assert v * v - 2 * v < 0                      # really violates it


def test_strict_and_equality_statements():
    assert confirm(Gt(x**2 + 1, 0), domains={x: REALS}).confirmed
    r = confirm(Gt(x**2, 0), domains={x: REALS})
    assert r.status == "counterexample" and value(r, x) == 0
    assert confirm(Eq((x + 1)**2, x**2 + 2*x + 1), domains={x: REALS}).confirmed
    r = confirm(Eq((x + 1)**2, x**2 + 1), domains={x: REALS})
    assert r.status == "counterexample" and value(r, x) != 0
    assert confirm(Ne(x**2 + 1, 0), domains={x: REALS}).confirmed


# -- radicals -------------------------------------------------------------------------
def test_sqrt_dominates_on_unit_interval_only():
    assert confirm(Ge(sqrt(x), x), domains={x: Interval.open(0, 1)}).confirmed
    r = confirm(Ge(sqrt(x), x), domains={x: POS})
    assert r.status in ("counterexample", "unknown")
    if r.status == "counterexample":              # sqrt(v) < v  <=>  v > 1
        assert value(r, x) > 1


def test_sqrt_of_square_is_abs():
    r = confirm(Eq(sqrt(x**2), x), domains={x: REALS})
    assert r.status == "counterexample" and value(r, x) < 0
    assert confirm(Eq(sqrt(x**2), x), domains={x: POS}).confirmed
    assert confirm(Eq(sqrt(x**2), Abs(x)), domains={x: REALS}).confirmed


def test_radicals_and_definedness():
    r = confirm(Ge((x + y) / 2, sqrt(x * y)), domains={x: POS, y: POS})
    assert r.confirmed and "x_smt*y_smt >= 0" in r.side_conditions
    assert confirm(Eq(cbrt(x)**3, x), domains={x: POS}).confirmed
    assert confirm(Le(x**Rational(3, 2), x), domains={x: Interval(0, 1)}).confirmed
    assert confirm(Le(x**Rational(3, 2), x), domains={x: Interval(0, 2)}).status == "counterexample"
    # an irrational violation (x = +-sqrt 2) is not passed off as a counterexample
    r = confirm(Ne(x**2, 2), domains={x: REALS})
    assert r.status == "unknown" and "irrational" in r.reason


def test_division():
    r = confirm(Ge(x + 1/x, 2), domains={x: POS})
    assert r.confirmed and "x_smt != 0" in r.side_conditions
    r = confirm(Ge(x + 1/x, 2), domains={x: REALS})
    assert r.status == "counterexample"
    v = value(r, x)
    assert v != 0 and v + 1 / v < 2
    assert confirm(Eq((x**2 - 1) / (x - 1), x + 1), domains={x: REALS}).confirmed  # where defined


# -- Abs, Max, Min, Piecewise, Sum ---------------------------------------------------
def test_lattice_and_piecewise():
    assert confirm(Ge(Abs(x) + Abs(y), Abs(x + y)), domains={x: REALS, y: REALS}).confirmed
    r = confirm(Ge(Abs(x) - Abs(y), Abs(x - y)), domains={x: REALS, y: REALS})
    assert r.status == "counterexample"
    a, b = value(r, x), value(r, y)
    assert abs(a) - abs(b) < abs(a - b)
    assert confirm(Ge(Max(x, y), (x + y) / 2), domains={x: REALS, y: REALS}).confirmed
    assert confirm(Le(Min(x, y), Max(x, y)), domains={x: REALS, y: REALS}).confirmed
    assert confirm(Ge(Piecewise((x, x > 0), (-x, True)), 0), domains={x: REALS}).confirmed
    r = confirm(Ge(Piecewise((x, x > 1), (-x, True)), 0), domains={x: REALS})
    assert r.status == "counterexample" and 0 < value(r, x) <= 1
    k = Symbol("k_smt", integer=True)
    assert confirm(Eq(Sum(x**k, (k, 0, 3)), 1 + x + x**2 + x**3), domains={x: REALS}).confirmed


# -- integers -----------------------------------------------------------------------------
def test_integer_range_relaxation_never_fakes_a_counterexample():
    # false only at 1 < n < 2, i.e. at no integer
    r = confirm(Ge((n - 1) * (n - 2), 0), domains={n: Range(1, oo)})
    assert r.status == "confirmed" and "relaxation" in r.reason
    r = confirm(Ge((n - 1) * (n - 2), 0), domains={n: Range(1, oo)}, max_cuts=0)
    assert r.status == "unknown"
    # false at the integer 2: the counterexample is an integer
    r = confirm(Ge((n - 1) * (n - 3), 0), domains={n: Range(1, oo)})
    assert r.status == "counterexample" and value(r, n) == 2


def test_linear_integer_problems_use_ints():
    r = confirm(Ne(2*n, 1), domains={n: S.Integers})     # false over the reals at 1/2
    assert r.confirmed and "linear integer" in r.reason
    assert confirm(Ne(2*n - 2*m, 1), domains={n: S.Integers, m: S.Integers}).confirmed
    r = confirm(Ge(2*n, 3), domains={n: S.Naturals})
    assert r.status == "counterexample" and value(r, n) == 1


def test_range_with_step_and_finite_sets():
    assert confirm(Ge(n**2, 9), domains={n: Range(3, oo, 2)}).confirmed
    r = confirm(Ne(n**2, 25), domains={n: Range(3, oo, 2)})
    assert r.status == "counterexample" and value(r, n) == 5
    assert confirm(Eq(x**2, 4), domains={x: FiniteSet(-2, 2)}).confirmed
    r = confirm(Eq(x**3, 8), domains={x: FiniteSet(-2, 2)})
    assert r.status == "counterexample" and value(r, x) == -2
    assert confirm(Le(n, 5), domains={n: Range(0, 6)}).confirmed
    assert confirm(Ge(x, 0), domains={x: sp.Union(Interval(0, 1), FiniteSet(3))}).confirmed


# -- conditions -----------------------------------------------------------------------------
def test_simplex_is_honoured():
    dom = {p: Interval(0, 1), q: Interval(0, 1)}
    assert confirm(Le(p*q, Rational(1, 4)), domains=dom, simplices=[(p, q)]).confirmed
    assert confirm(Le(p*q, Rational(1, 4)), domains=dom,
                   simplices=[OnSimplex([p, q])]).confirmed
    r = confirm(Le(p*q, Rational(1, 4)), domains=dom)
    assert r.status == "counterexample" and value(r, p) * value(r, q) > Fraction(1, 4)


def test_simplex_among_relations():
    dom = {p: Interval(0, 1), q: Interval(0, 1)}
    assert confirm(Le(p*q, Rational(1, 4)), domains=dom, relations=[OnSimplex([p, q])]).confirmed


def test_case_split_on_small_finite_domains():
    G = Symbol("G_smt", integer=True)
    dom = {x: Interval(0, 1), G: FiniteSet(2, 3, 4)}
    r = confirm(Le(x**G, x), domains=dom)
    assert r.confirmed and r.reason.startswith("by cases G_smt in {2, 3, 4}")
    r = confirm(Ge((1 - x)**G, 1 - G*x), domains={x: Interval(0, 1), G: Range(1, 6)})
    assert r.confirmed                                       # Bernoulli's inequality
    r = confirm(Le(x**G, x**2), domains={x: Interval(0, 2), G: FiniteSet(2, 3)})
    assert r.status == "counterexample" and "G_smt = 3" in r.reason
    v = value(r, x)
    assert v**3 > v**2 and Fraction(r.model["G_smt"]) == 3
    k = Symbol("k_smt", integer=True)
    assert confirm(Eq(Sum(x**k, (k, 0, G)) * (1 - x), 1 - x**(G + 1)), domains=dom).confirmed
    # a symbol with an infinite domain in an exponent stays outside
    assert confirm(Le(x**n, x), domains={x: Interval(0, 1), n: Range(2, oo)}).status == "outside"


def test_premise_and_relations_are_honoured():
    assert confirm(Gt(x**2, 1), domains={x: REALS}, given=Gt(x, 1)).confirmed
    assert confirm(Gt(x**2, 1), domains={x: REALS}).status == "counterexample"
    assert confirm(Ge(x*y, 0), domains={x: REALS, y: REALS},
                   relations=[Ge(x, 0), Ge(y, 0)]).confirmed
    r = confirm(Ge(x*y, 0), domains={x: REALS, y: REALS}, relations=[Ge(x, 0)])
    assert r.status == "counterexample" and value(r, x) * value(r, y) < 0 <= value(r, x)


def test_vacuous_confirmations_say_so():
    r = confirm(Gt(x, 5), domains={x: Interval(0, 1)}, relations=[Gt(x, 2)])
    assert r.confirmed and r.reason.startswith("vacuously")
    r = confirm(Ge(sqrt(x), 1), domains={x: Interval.open(-2, -1)})     # never real there
    assert r.confirmed and r.reason.startswith("vacuously")
    assert not confirm(Ge(x, 0), domains={x: Interval(0, 1)}).reason.startswith("vacuously")


def test_relaxed_domain_end():
    dom = {x: Interval(0, pi)}
    r = confirm(Le(x, 4), domains=dom)
    assert r.confirmed and "relaxed" in r.reason
    r = confirm(Le(x, 3), domains=dom)                  # false on (3, pi]
    assert r.status in ("counterexample", "unknown")
    if r.status == "counterexample":
        assert Fraction(3) < value(r, x) <= Fraction(314159265, 10**8) + Fraction(1, 10**7)


# -- the fragment -----------------------------------------------------------------------
@pytest.mark.parametrize("expr, word", [
    (exp(x), "exp"), (sin(x), "sin"), (x + pi, "pi"), (x**y, "exponent"), (x**n, "exponent"),
    (Float(0.5) * x, "Float"), (I * x, "complex"), (Sum(x**n, (n, 1, m)), "symbolic range"),
    (sp.IndexedBase("r")[n], "indexed"), (Derivative(x**2, x), "Derivative"),
    (Limit(1/x, x, oo), "Limit"), (sp.Function("f")(x), "function"),
])
def test_outside(expr, word):
    reason = fragment_reason(expr)
    assert reason is not None and word in reason
    r = confirm(Ge(expr, 0), domains={x: REALS, y: REALS, n: S.Integers, m: S.Integers})
    assert r.status == "outside" and word in r.reason


def test_inside():
    for e in (sqrt(x + 1) / (x - 2), Abs(x) + Max(x, 1), Piecewise((x, x > 0), (1, True)),
              x**Rational(-2, 3)):
        assert fragment_reason(e) is None


# -- budget and determinism -----------------------------------------------------------------
HARD_GE = Ge(x**3*y - 7*x*y**2 + 5, 0)      # false somewhere in the region below
HARD_REL = [Gt(x*y, 1), Lt(x**2 + y**2, 3), Gt(x**4*y - y**3*x**2, 2)]


def test_tiny_rlimit_is_unknown_not_wrong():
    r = confirm(Ge(x**2 - 2*x + 1, 0), domains={x: REALS}, rlimit=1)
    assert r.status == "unknown" and "rlimit" in r.reason
    r = confirm(HARD_GE, domains={x: REALS, y: REALS}, relations=HARD_REL, rlimit=500)
    assert r.status == "unknown"


def test_radicals_of_numbers_are_guarded():
    many = Ge(x + sqrt(2) + sqrt(3) + sqrt(5) + sqrt(7) + sqrt(11), 0)
    r = confirm(many, domains={x: Interval(0, 1)})
    assert r.status == "unknown" and "radicals of numbers" in r.reason
    few = Ge(x + sqrt(2) + sqrt(3) + sqrt(5), 0)
    assert confirm(few, domains={x: Interval(0, 1)}).confirmed
    assert confirm(few, domains={x: Interval(0, 1)}, max_constant_radicals=2).status == "unknown"
    r = confirm(Gt(x * sqrt(2), sqrt(3)), domains={x: Interval(2, 3)})
    assert r.confirmed


def test_deterministic():
    kw = dict(domains={x: REALS, y: REALS}, relations=HARD_REL)
    runs = [confirm(HARD_GE, **kw) for _ in range(3)]
    assert runs[0].status == "counterexample"
    assert runs[0] == runs[1] == runs[2]
    a, b = value(runs[0], x), value(runs[0], y)
    assert a**3*b - 7*a*b**2 + 5 < 0 and a*b > 1 and a**2 + b**2 < 3 and a**4*b - b**3*a**2 > 2
    for rl in (2_000, 20_000):
        first, *rest = [confirm(HARD_GE, rlimit=rl, **kw) for _ in range(3)]
        assert all(r == first for r in rest)


def test_a_bound_by_max_is_split_and_each_part_must_hold():
    x = sp.Symbol("x_max_split", real=True)
    dom = {x: sp.Interval.open(0, 1)}
    assert confirm(Ge(x, Max(0, 2*x - 1)), domains=dom).status == "confirmed"
    assert confirm(Le(Max(0, 2*x - 1), x), domains=dom).status == "confirmed"
    # false in one part only: x >= 2x fails for every x in (0, 1)
    for false in (Ge(x, Max(0, 2*x)), Le(Max(2*x, 0), x), Gt(Min(1, x), x**2 + x / 2)):
        r = confirm(false, domains=dom)
        assert r.status == "counterexample", (false, r)
