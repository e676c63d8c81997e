"""True claims that are hard for SymPy are never refuted.

Nested radicals, logarithms that need positivity, trigonometric and exponential
identities, Piecewise/sign/Max/Min, power sums over a symbolic bound, limits
that need care, certificates (AM-GM), a minimum (x - 1 - log x >= 0).  The
engine may leave some ``unproved`` (honest), but it must never refute a true
claim: ``symbolic != "refuted"`` and the numeric backup finds no counterexample.
Where the engine does prove a claim, the claim is ``ok``.

Each claim is also perturbed (``rhs + 1``, or ``rhs - 1`` for ``<=``): the perturbed claim must be refuted
with a numeric counterexample, so "never refuted" above is not vacuous.

Cases marked ``xfail(strict=True)`` are engine bugs (a true claim refuted),
written as the engine should behave.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pytest
import sympy as sp
from sympy import (Abs, Interval, Limit, Max, Min, Piecewise, Range, Rational, S, Sum, atan,
                   cos, cosh, exp, log, oo, sign, sin, sinh, sqrt, tan)

from grpo_sym.proof import (Certificate, Eq, Ge, Gt, Le, MinimumAt, OnSimplex, Registry,
                            Witness, chain, claim, indexed, lemma_instance, variable,
                            verify_claim)
from grpo_sym.proof.proofs import Outcome

x = variable("t_h_x", S.Reals)
y = variable("t_h_y", S.Reals)
xp = variable("t_h_xp", Interval.open(0, oo))
yp = variable("t_h_yp", Interval.open(0, oo))
z = variable("t_h_z", Interval.open(0, oo))
x1 = variable("t_h_x1", Interval(1, oo))
u = variable("t_h_u", Interval.open(0, 1))
x33 = variable("t_h_x33", Interval.open(-3, 3))
n = variable("t_h_n", Range(1, oo))
G = variable("t_h_G", Range(2, oo))
p1, p2, p3 = (variable(f"t_h_p{i}", Interval(0, 1)) for i in (1, 2, 3))
r = indexed("t_h_r", S.Reals)
j, k = sp.symbols("t_h_j t_h_k", integer=True, positive=True)
k0 = sp.Symbol("t_h_k0", integer=True, nonnegative=True)


@dataclass
class Hard:
    id: str
    statement: Callable[[], sp.Basic]
    proved: bool                          # the engine proves it today (then it must be ok)
    kw: Callable[[Registry], dict] = field(default=lambda reg: {})
    perturb: bool = True                  # the numeric backup can evaluate the statement


def _lemma_log(reg):
    lemma = claim("lemma.log-le", "engine test", Le(log(z), z - 1),
                  proof=MinimumAt(z, 1, (z - 1) ** 2 / z), registry=reg)
    return {"proof": Certificate(lemma_instance(lemma, {z: xp**2}), lemmas={lemma: [{z: xp**2}]})}


HARD = [
    # --- radicals ---------------------------------------------------------------------
    Hard("nested-radical-1-plus-sqrt2", lambda: Eq(sqrt(3 + 2 * sqrt(2)), 1 + sqrt(2)), True),
    Hard("nested-radical-sqrt2-plus-sqrt3", lambda: Eq(sqrt(5 + 2 * sqrt(6)), sqrt(2) + sqrt(3)),
         True),
    Hard("rationalised-denominator",
         lambda: Eq(1 / (sqrt(xp) + sqrt(yp)), (sqrt(xp) - sqrt(yp)) / (xp - yp)), True,
         lambda reg: {"conditions": [sp.Ne(xp, yp)]}),
    Hard("nested-radical-symbolic",
         lambda: Eq(sqrt(x1 + 2 * sqrt(x1 - 1)), 1 + sqrt(x1 - 1)), False),
    # --- logarithms -------------------------------------------------------------------
    Hard("log-needs-positivity", lambda: Eq(log(xp**2 * yp) - 2 * log(xp), log(yp)), True),
    Hard("log-of-quotient", lambda: Eq(log(xp / yp), log(xp) - log(yp)), True),
    Hard("logit-needs-1-minus-u-positive", lambda: Eq(log(u / (1 - u)), log(u) - log(1 - u)),
         True),
    # --- trigonometric, exponential ---------------------------------------------------
    Hard("trig-fourth-powers", lambda: Eq(sin(x) ** 4 - cos(x) ** 4, sin(x) ** 2 - cos(x) ** 2),
         True),
    Hard("trig-triple-angle", lambda: Eq(sin(3 * x), 3 * sin(x) - 4 * sin(x) ** 3), True),
    Hard("tan-half-angle", lambda: Eq(tan(x33 / 2), sin(x33) / (1 + cos(x33))), False),
    Hard("atan-reflection", lambda: Eq(atan(xp) + atan(1 / xp), sp.pi / 2), False),
    Hard("exp-difference-of-squares", lambda: Eq(exp(2 * x) - 1, (exp(x) - 1) * (exp(x) + 1)),
         True),
    Hard("logistic-two-forms", lambda: Eq(1 / (1 + exp(-x)), exp(x) / (1 + exp(x))), True),
    # --- Piecewise, sign, Max, Min ----------------------------------------------------
    Hard("max-via-abs", lambda: Eq(Max(x, y), (x + y + Abs(x - y)) / 2), True),
    Hard("min-via-abs", lambda: Eq(Min(x, y), (x + y - Abs(x - y)) / 2), True),
    Hard("sign-times-abs", lambda: Eq(sign(x) * Abs(x), x), True),
    Hard("piecewise-abs", lambda: Eq(Piecewise((x, x >= 0), (-x, True)), Abs(x)), True),
    # --- sums ---------------------------------------------------------------------------
    Hard("power-sum-squares-symbolic-n",
         lambda: Eq(Sum(k**2, (k, 1, n)), n * (n + 1) * (2 * n + 1) / 6), True),
    Hard("power-sum-cubes-symbolic-n", lambda: Eq(Sum(k**3, (k, 1, n)), (n * (n + 1) / 2) ** 2),
         True),
    Hard("pairwise-double-sum-symbolic-G",
         lambda: Eq(Sum(Sum((r[j] - r[k]) ** 2, (k, 1, G)), (j, 1, G)),
                    2 * G * Sum(r[j] ** 2, (j, 1, G)) - 2 * Sum(r[j], (j, 1, G)) ** 2), True),
    Hard("geometric-sum-symbolic-n", lambda: Eq(Sum(u**k0, (k0, 0, n)), (1 - u ** (n + 1)) / (1 - u)),
         False),
    Hard("simplex-identity", lambda: Eq(p1 * p2 + p2**2, p2), True,
         lambda reg: {"conditions": [OnSimplex([p1, p2])]}),
    # --- limits -----------------------------------------------------------------------
    Hard("limit-e", lambda: Eq(Limit((1 + 1 / n) ** n, n, oo), sp.E), True),
    Hard("limit-x-log-x-at-0-plus", lambda: Eq(Limit(xp * log(xp), xp, 0, "+"), 0), True),
    Hard("limit-with-a-parameter", lambda: Eq(Limit((1 + yp / xp) ** xp, xp, oo), exp(yp)), True),
    Hard("limit-sinc-from-the-right", lambda: Eq(Limit(sin(xp) / xp, xp, 0, "+"), 1), True),
    # --- inequalities -----------------------------------------------------------------
    Hard("am-gm-square-roots", lambda: Ge((xp + yp) / 2, sqrt(xp * yp)), True,
         lambda reg: {"proof": Certificate((sqrt(xp) - sqrt(yp)) ** 2 / 2)}),
    Hard("am-gm-squares", lambda: Ge(x**2 + y**2, 2 * x * y), True,
         lambda reg: {"proof": Certificate((x - y) ** 2)}),
    Hard("x-plus-inverse-at-least-2", lambda: Ge(xp + 1 / xp, 2), True,
         lambda reg: {"proof": Certificate((xp - 1) ** 2 / xp)}),
    Hard("strict-linear-atom-1-minus-u", lambda: Gt(1 - u, 0), True,
         lambda reg: {"proof": Certificate(1 - u)}),
    Hard("max-bound", lambda: Ge(Max(x, y), x), True,
         lambda reg: {"proof": Certificate(Max(0, y - x))}),
    Hard("minimum-x-minus-1-minus-log-x", lambda: Ge(xp - 1 - log(xp), 0), True,
         lambda reg: {"proof": MinimumAt(xp, 1, (xp - 1) ** 2 / xp)}),
    Hard("minimum-exp-above-tangent", lambda: Ge(exp(x) - 1 - x, 0), False,
         lambda reg: {"proof": MinimumAt(x, 0, (exp(x) - 1) * x)}),
    Hard("certificate-with-a-lemma", lambda: Ge(xp**2 - 1 - 2 * log(xp), 0), True, _lemma_log),
    Hard("certificate-by-the-eliminated-simplex-symbol", lambda: Le(p1 + p2, 1), False,
         lambda reg: {"proof": Certificate(p3), "conditions": [OnSimplex([p1, p2, p3])]}),
    Hard("derivative-identity", lambda: Eq(sp.Derivative(x**3 * exp(x), x),
                                           (x**3 + 3 * x**2) * exp(x)), False, perturb=False),
]


def _build(case: Hard, suffix: str = "", perturbed: bool = False):
    reg = Registry()
    stmt = case.statement()
    kw = case.kw(reg)
    if perturbed:
        shift = -1 if isinstance(stmt, (sp.LessThan, sp.StrictLessThan)) else 1
        stmt = stmt.func(stmt.lhs, stmt.rhs + shift, evaluate=False)
        kw = {k: v for k, v in kw.items() if k != "proof"}
    return claim("hard." + case.id + suffix, "engine test", stmt, registry=reg, **kw)


def test_enough_hard_claims():
    assert len(HARD) >= 12
    assert sum(c.proved for c in HARD) >= 12
    assert len({c.id for c in HARD}) == len(HARD)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in HARD])
def test_true_claim_is_never_refuted(case: Hard):
    r = verify_claim(_build(case))
    assert r.symbolic != Outcome.REFUTED, (r.detail, r.numeric_detail, r.counterexample)
    assert r.numeric != "counterexample", r.numeric_detail
    assert "CONFLICT" not in r.detail
    if case.proved:
        assert r.symbolic == Outcome.PROVED, r.detail
        assert r.ok, (r.numeric, r.numeric_detail)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in HARD if c.perturb])
def test_perturbed_claim_is_refuted(case: Hard):
    """rhs +- 1 makes each claim false: the backup must say so (with values)."""
    r = verify_claim(_build(case, ".perturbed", perturbed=True))
    if isinstance(_build(case).statement.lhs, Limit):
        # a limit has no exact point to refute it at: the estimate must disagree and the
        # claim must not be proved
        assert r.symbolic != Outcome.PROVED and not r.ok, (r.detail, r.numeric_detail)
        assert r.numeric != "agrees", r.numeric_detail
        return
    assert r.symbolic == Outcome.REFUTED, (r.detail, r.numeric_detail)
    assert r.numeric == "counterexample"
    assert isinstance(r.counterexample, dict)


# -- engine bugs: true claims that the engine refutes -------------------------------------

def _mk(cid, stmt, **kw):
    return claim(cid, "engine test", stmt, registry=Registry(), **kw)


TRUE_BUT_REFUTED = [
    pytest.param(lambda: _mk("bug.cosh-sinh", Eq(cosh(x) ** 2 - sinh(x) ** 2, 1)),
                 id="cosh2-minus-sinh2-at-huge-x"),
    pytest.param(lambda: _mk("bug.pythagoras-zero", Eq(sin(x) ** 2 + cos(x) ** 2 - 1, 0)),
                 id="identity-stated-as-expr-equals-zero"),
    pytest.param(lambda: _mk("bug.log-zero", Eq(log(xp * yp) - log(xp) - log(yp), 0)),
                 id="log-identity-stated-as-expr-equals-zero"),
    pytest.param(lambda: _mk("bug.slow-limit", Eq(Limit(1 / log(xp), xp, oo), 0)),
                 id="slowly-converging-limit"),
    pytest.param(lambda: _mk("bug.wrong-certificate", Ge(x**2 + 1, 2 * x),
                             proof=Certificate((x - 1) ** 2 + 1)),
                 id="true-inequality-with-a-wrong-certificate"),
    pytest.param(lambda: _mk("bug.wrong-minimum-certificate", Ge(xp - 1 - log(xp), 0),
                             proof=MinimumAt(xp, 2, (xp - 1) ** 2 / xp)),
                 id="true-bound-with-a-wrong-minimum-certificate"),
    pytest.param(lambda: _mk("bug.derivative-chain", Eq(sp.Derivative(x**3, x), 3 * x**2),
                             proof=chain(x**3).differentiate(x)),
                 id="derivative-by-a-differentiate-step"),
    pytest.param(lambda: _mk("bug.witness-domain", Ge(x1**2, x1), expected="refuted",
                             proof=Witness({x1: Rational(1, 2)})),
                 id="true-claim-with-a-witness-outside-the-domain"),
]


@pytest.mark.parametrize("build", TRUE_BUT_REFUTED)
def test_true_claim_with_hard_numerics_or_a_wrong_proof_is_not_refuted(build):
    r = verify_claim(build())
    assert r.symbolic != Outcome.REFUTED, (r.detail, r.numeric_detail, r.counterexample)
    assert r.numeric != "counterexample", r.numeric_detail


def test_identity_stated_as_equal_sides_is_proved():
    """The same identity with non-zero sides passes, which isolates the zero-scale bug."""
    r = verify_claim(_mk("hard.pythagoras", Eq(sin(x) ** 2 + cos(x) ** 2, 1)))
    assert r.symbolic == Outcome.PROVED and r.ok
