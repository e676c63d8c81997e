"""Rigorous Arb evaluation (grpo_sym.proof.intervals): each rule, and the
wrong answer it must never give."""
from __future__ import annotations

import pytest
import sympy as sp
from flint import acb, arb, fmpq
from sympy import (Abs, Eq, Float, Ge, Gt, I, Le, Lt, Max, Min, Ne, Piecewise, Rational, S,
                   Sum, Symbol, acos, asin, atan, atanh, binomial, cbrt, cos, exp, factorial,
                   gamma, log, pi, sin, sqrt, tan)

from grpo_sym.proof.intervals import (Indeterminate, Undefined, Unsupported, arb_eval, decide,
                                      is_zero, nonnegative_on_box, sign)

x, y, h = Symbol("x"), Symbol("y"), Symbol("h")
k = Symbol("k", integer=True)
r = sp.IndexedBase("r")
TINY = S(10) ** -60


# -- decide: the examples of the brief ---------------------------------------
def test_decide_tiny_values():
    assert decide(Gt(x, 0, evaluate=False), {x: TINY}) is True
    assert decide(Eq(x, 0, evaluate=False), {x: TINY}) is False
    assert decide(Ne(x, 0, evaluate=False), {x: TINY}) is True
    assert decide(Ge(x, 1, evaluate=False), {x: 1 - TINY}) is False
    assert decide(Le(x, 1, evaluate=False), {x: 1 - TINY}) is True
    assert decide(Ge(x, 1, evaluate=False), {x: 1}) is True
    assert decide(Lt(x, 1, evaluate=False), {x: 1}) is False


def test_decide_cos_half_pi_is_never_false():
    assert decide(Eq(cos(pi * h), 0, evaluate=False), {h: Rational(1, 2)}) is True
    assert decide(Eq(sin(pi * h), 1, evaluate=False), {h: Rational(1, 2)}) is True
    assert decide(Eq(cos(pi * h), sqrt(3) / 2, evaluate=False), {h: Rational(1, 6)}) is True
    assert decide(Eq(cos(pi * h), sqrt(2) / 2, evaluate=False), {h: Rational(1, 6)}) is False


def test_decide_evaluates_sides_separately():
    # SymPy would cancel 1/x - 1/x to 0; at x = 0 the relation has no truth value
    assert decide(Eq(1 / x, 1 / x, evaluate=False), {x: 0}) is None
    assert decide(Gt(log(x), -1, evaluate=False), {x: 0}) is None


def test_decide_boolean_combinations():
    assert decide(sp.And(Gt(x, 0), Lt(x, 2)), {x: 1}) is True
    assert decide(sp.Or(Gt(x, 5), Lt(x, 2)), {x: 1}) is True
    assert decide(sp.Not(Gt(x, 0)), {x: 1}) is False
    # undecided part: exp(x) = 3 at x = log(3) is transcendental
    assert decide(sp.And(Gt(x, 0), Eq(exp(y), 3, evaluate=False)), {x: 1, y: log(3)}) is None
    assert decide(sp.Or(Gt(x, 0), Eq(exp(y), 3, evaluate=False)), {x: 1, y: log(3)}) is True


def test_inequalities_on_complex_values_are_undecided():
    assert decide(Gt(sqrt(x), 0, evaluate=False), {x: -4}) is None
    assert sign(I) is None
    assert is_zero(I) is False


# -- exact zeros --------------------------------------------------------------
def test_exact_zero_of_algebraic_numbers():
    assert is_zero(sqrt(2) * sqrt(3) - sqrt(6)) is True          # SymPy builds 0
    assert is_zero(x * y - sqrt(6), {x: sqrt(2), y: sqrt(3)}) is True   # ... so at a point
    assert decide(Eq(x * y, sqrt(6), evaluate=False), {x: sqrt(2), y: sqrt(3)}) is True
    assert decide(Ge(x * y, sqrt(6), evaluate=False), {x: sqrt(2), y: sqrt(3)}) is True
    assert decide(Gt(x * y, sqrt(6), evaluate=False), {x: sqrt(2), y: sqrt(3)}) is False
    assert is_zero(sqrt(2) + sqrt(3) - sqrt(5 + 2 * sqrt(6))) is True
    assert sign(sqrt(2) + sqrt(3) - sqrt(5 + 2 * sqrt(6))) == 0
    assert is_zero(x ** 3 - 2, {x: cbrt(2)}) is True
    assert is_zero((-8) ** Rational(1, 3) - 1 - sqrt(3) * I) is True     # principal root


def test_algebraic_near_misses_are_nonzero():
    near = sqrt(2) - Rational(1414213562373095048801688724209698, 10 ** 33)
    assert sign(near) == 1 and is_zero(near) is False
    assert sign(sqrt(2) + sqrt(3) - sqrt(5 + 2 * sqrt(6)) + S(10) ** -200) == 1
    assert sign((sqrt(2) - 1) ** 60 - S(10) ** -23) == 1
    # exactly: (sqrt(2) - 1)**2 = 3 - 2*sqrt(2)
    assert is_zero((sqrt(2) - 1) ** 2 - 3 + 2 * sqrt(2)) is True


def test_tiny_values_have_their_sign():
    assert sign(S(10) ** -100) == 1
    assert sign(-S(10) ** -100) == -1
    assert sign(x, {x: S(10) ** -500}, max_prec=4096) == 1


def test_transcendental_near_zero_is_never_a_wrong_sign():
    assert sign(exp(log(3)) - 3) == 0          # SymPy builds this as 0
    assert sign(exp(x) - 3, {x: log(3)}) is None
    assert is_zero(exp(x) - 3, {x: log(3)}) is None
    assert sign(pi - Rational(355, 113)) == -1


def test_env_values_may_be_number_expressions_and_indexed():
    assert sign(x - y, {x: sqrt(2), y: Rational(7, 5)}) == 1
    assert is_zero(x ** 2 - 2, {x: sqrt(2)}) is True
    v = arb_eval(Sum(r[k], (k, 1, 3)), {r[1]: 1, r[2]: 2, r[3]: Rational(1, 2)})
    assert v == arb(fmpq(7, 2))


# -- arb_eval -------------------------------------------------------------------
def test_undefined():
    for expr, env in [(log(x), {x: 0}), (1 / x, {x: 0}), (x ** Rational(-1, 2), {x: 0}),
                      (S(1) / 0, None), (log(0), None), (tan(pi * x), {x: Rational(1, 2)}),
                      (Piecewise((1, x > 0)), {x: -1}), (gamma(x), {x: 0})]:
        with pytest.raises(Undefined):
            arb_eval(expr, env)


def test_indeterminate_and_unsupported():
    with pytest.raises(Indeterminate):             # divisor's ball contains 0
        arb_eval(1 / (x * y - sqrt(6)), {x: sqrt(2), y: sqrt(3)})
    with pytest.raises(Unsupported):
        arb_eval(sp.zeta(x), {x: 3})
    with pytest.raises(Unsupported):
        arb_eval(x + y, {x: 1})                    # y has no value
    with pytest.raises(Unsupported):
        arb_eval(asin(x), {x: 2})
    assert decide(Gt(asin(x), 0, evaluate=False), {x: 2}) is None


def test_float_is_its_exact_binary_value():
    assert arb_eval(Float(0.1)) == arb(fmpq(3602879701896397, 2 ** 55))
    assert sign(x - Rational(1, 10), {x: Float(0.1)}) == 1


def test_functions_and_branches():
    assert arb_eval(sqrt(-4)) == acb(0, 2)
    assert sign(Abs(x) - 2, {x: -2}) == 0
    assert sign(Max(x, 1 / x) - 2, {x: Rational(1, 2)}) == 0
    assert sign(Min(x, y) - x, {x: 3, y: 1}) == -1
    assert sign(Piecewise((x, x > 0), (-x, True)), {x: -2}) == 1
    assert sign(Piecewise((1, Eq(x, sqrt(2))), (-1, True)), {x: sqrt(2)}) == 1
    assert sign(atan(x) - pi / 4, {x: 1}) is None      # transcendental equality: undecided
    assert sign(acos(x) - pi / 2, {x: 0}) is None
    assert sign(atanh(x), {x: Rational(1, 2)}) == 1
    assert arb_eval(binomial(x, 2) + factorial(x), {x: 5}) == arb(130)
    assert sign(Sum(1 / k ** 2, (k, 1, 100)) - pi ** 2 / 6) == -1
    assert sign(log(x), {x: -1}) is None             # log(-1) = I*pi is not real
    assert is_zero(log(x) - I * pi, {x: -1}) is None  # transcendental: undecided, never wrong


def test_precision_is_deterministic():
    a = arb_eval(exp(pi * sqrt(163)), prec=200)
    b = arb_eval(exp(pi * sqrt(163)), prec=200)
    assert a.mid() == b.mid() and a.rad() == b.rad()
    # Ramanujan's near-integer needs more than 64 bits
    assert sign(exp(pi * sqrt(163)) - 262537412640768744) == -1


# -- nonnegative_on_box ----------------------------------------------------------
def test_nonnegative_on_box():
    assert nonnegative_on_box(x ** 2 - x + Rational(1, 2), {x: (-1, 2)}) is True
    assert nonnegative_on_box(x ** 2 - x + Rational(1, 4) - S(10) ** -6, {x: (0, 1)}) is False
    # true, but tight at x = 1: the budget runs out first ("not shown")
    assert nonnegative_on_box(sqrt(x) - x, {x: (Rational(1, 10), 1)}, max_boxes=8) is False
    assert nonnegative_on_box(x * y + 1, {x: (-1, 1), y: (-Rational(1, 2), Rational(1, 2))})


def test_agrees_with_exact_rational_arithmetic():
    """Rational points of rational functions: Arb must decide, and agree with Fractions."""
    import random
    from fractions import Fraction

    rng = random.Random(7)
    for _ in range(200):
        cs = [Fraction(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(4)]
        v = Fraction(rng.randint(-30, 30), rng.randint(1, 12))
        num = sum(c * v ** i for i, c in enumerate(cs))
        den = v ** 2 + Fraction(1, 3)
        expr = sum(sp.Rational(c.numerator, c.denominator) * x ** i
                   for i, c in enumerate(cs)) / (x ** 2 + Rational(1, 3))
        point = {x: Rational(v.numerator, v.denominator)}
        exact = num / den
        assert decide(Gt(expr, 0, evaluate=False), point) is (exact > 0)
        assert decide(Eq(expr, 0, evaluate=False), point) is (exact == 0)
        assert sign(expr, point) == (exact > 0) - (exact < 0)
