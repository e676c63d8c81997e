"""The numeric backup is honest: counterexamples are proofs, samples stay in the domain.

For each rule, a false claim the backup must reject and a true claim it must
accept: rounding residues (``cos(pi h)`` at half-integers) are not
counterexamples while a 1e-60 near miss is one; points are drawn inside unions,
punctured intervals, stepped ranges, image sets, the integers and naturals;
premises are sampled on their solution sets; witnesses are decided exactly;
finite domains beyond the cap are sampled, never iterated; seeds do not depend
on hash randomisation.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import time

import pytest
import sympy as sp
from sympy import (Abs, Complement, FiniteSet, ImageSet, Interval, Lambda, Limit, Range,
                   Rational, S, Sum, Union, cos, exp, pi, sin, sqrt)

from grpo_sym.proof import (Eq, Ge, Gt, Le, Lt, Ne, OnSimplex, Registry, Witness, claim,
                            indexed, numeric_backup, sample_points, variable)
from grpo_sym.proof.domains import is_finite_domain
from grpo_sym.proof.mpeval import mp_eval, write_out
from grpo_sym.proof.numeric import (FINITE_CAP, SUM_CAP, decide_exactly, edge_values,
                                    in_domain, random_value, sign_at)

x = variable("t_nb_x", S.Reals)
y = variable("t_nb_y", S.Reals)
z = variable("t_nb_z", S.Reals)
h = variable("t_nb_h", S.Reals)
u = variable("t_nb_u", Interval.open(0, 1))
pos = variable("t_nb_pos", Interval.open(0, sp.oo))
n = variable("t_nb_n", Range(1, sp.oo))
m = variable("t_nb_m", S.Integers)
kk = variable("t_nb_kk", S.Integers)
G = variable("t_nb_G", Range(2, sp.oo))
q1, q2, q3 = (variable(f"t_nb_q{i}", Interval.open(0, 1)) for i in (1, 2, 3))
r = indexed("t_nb_r", S.Reals)
j = sp.Symbol("t_nb_j", integer=True, positive=True)
_k = sp.Symbol("t_nb_k", integer=True)

HALF_INTEGERS = ImageSet(Lambda(_k, _k + S.Half), S.Integers)
UNION = Union(Interval(0, 1), Interval(2, 3))
PUNCTURED = Interval(0, 1) - FiniteSet(S.Half)
PUNCTURED_C = Complement(Interval(-1, 1), FiniteSet(0), evaluate=False)
STEPPED = Range(0, 100, 5)

DOMAINS = {
    "union": UNION,
    "punctured": PUNCTURED,
    "complement": PUNCTURED_C,
    "reals-minus-0": S.Reals - FiniteSet(0),
    "stepped-range": STEPPED,
    "finite-set": FiniteSet(-3, Rational(1, 7), 5),
    "integers": S.Integers,
    "naturals": S.Naturals,
    "naturals0": S.Naturals0,
    "half-line": Interval.open(-sp.oo, 3),
    "closed-half-line": Interval(-2, sp.oo),
    "half-integers": HALF_INTEGERS,
    "range-down": Range(-sp.oo, 0, 3),
}


def mk(cid, statement, **kw):
    return claim(cid, "numeric backup test", statement, registry=Registry(), **kw)


def exactly_in(value, dom) -> bool:
    """SymPy's own membership test (independent of the backup's)."""
    if dom == HALF_INTEGERS:          # (SymPy's test runs solveset: slow)
        return bool((value - S.Half).is_Integer)
    return bool(dom.contains(value) == sp.true)


# -- counterexamples are proofs ----------------------------------------------------------------

@pytest.mark.parametrize("dom", [HALF_INTEGERS, FiniteSet(*(Rational(2 * i + 1, 2) for i in
                                                            range(-5, 6)))],
                         ids=["imageset", "finiteset"])
def test_rounding_residue_at_half_integers_is_not_a_counterexample(dom):
    # mpmath leaves cos(pi*(k + 1/2)) ~ 1e-100, not 0; Arb decides it exactly
    c = mk("t_nb.cos-half." + type(dom).__name__, Eq(cos(pi * h), 0), domains={h: dom})
    res = numeric_backup(c)
    assert res.outcome == "agrees", res.detail
    assert res.counterexample is None
    # ... and a false statement on the same set is refuted (sin(pi h) = +-1 there)
    wrong = mk("t_nb.sin-half." + type(dom).__name__, Eq(sin(pi * h), 1), domains={h: dom})
    bad = numeric_backup(wrong)
    assert bad.outcome == "counterexample"
    value = Rational(bad.counterexample["exact_point"]["t_nb_h"])
    assert exactly_in(value, dom) and sin(pi * value) == -1


def test_rounding_residue_over_integer_ranges_and_large_integers():
    # k runs over the integers (large values 64, 1000 included) and a stepped range
    c = mk("t_nb.cos-int", Eq(cos(pi * (h + S.Half)), 0), domains={h: S.Integers})
    res = numeric_backup(c)
    assert res.outcome == "agrees", res.detail
    assert any(abs(pt[h]) >= 64 for pt in sample_points(c))
    c2 = mk("t_nb.sin-stepped", Eq(sin(pi * h / 5), 0), domains={h: STEPPED})
    assert numeric_backup(c2).outcome == "agrees"
    wrong = mk("t_nb.sin-stepped-wrong", Eq(sin(pi * h / 10), 0), domains={h: STEPPED})
    bad = numeric_backup(wrong)
    assert bad.outcome == "counterexample"
    assert int(bad.counterexample["exact_point"]["t_nb_h"]) % 10 == 5


def test_a_1e60_near_miss_is_a_counterexample():
    c = mk("t_nb.near-miss", Eq(x, x + Rational(1, 10**60)))
    res = numeric_backup(c)
    assert res.outcome == "counterexample", res.detail
    assert res.counterexample["decided_by"] == "arb"
    point = {x: Rational(res.counterexample["exact_point"]["t_nb_x"])}
    assert decide_exactly(c.statement, point) is False
    ineq = mk("t_nb.near-miss-ge", Ge(x, x + Rational(1, 10**60)))
    assert numeric_backup(ineq).outcome == "counterexample"
    strict = mk("t_nb.near-miss-gt", Gt(x + Rational(1, 10**60), x))
    assert numeric_backup(strict).outcome == "agrees"


def test_sign_at_false_only_when_arb_decides():
    # a cancellation of 70 digits: the mpmath reading is noise; never False
    lhs = sqrt(x**2 + 10**140) - 10**70
    rhs = x**2 / (sqrt(x**2 + 10**140) + 10**70)
    for v in (Rational(3, 7), Rational(10**20, 3), Rational(1, 10**30)):
        held, _ = sign_at(Eq(lhs, rhs), {x: v})
        assert held is not False
        held, _ = sign_at(Eq(lhs, 2 * rhs), {x: v})
        assert held is not True
    assert sign_at(Eq(cos(pi * h), 0), {h: Rational(2001, 2)})[0] is True
    assert sign_at(Eq(x, x + Rational(1, 10**60)), {x: Rational(1, 3)})[0] is False
    assert sign_at(Ne(x, x + Rational(1, 10**60)), {x: Rational(1, 3)})[0] is True


# -- points stay in the declared domain ------------------------------------------------------

@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_200_draws_lie_in_the_domain(name):
    dom = DOMAINS[name]
    rng = random.Random(name)
    for _ in range(200):
        v = random_value(dom, rng)
        assert v is not None and exactly_in(v, dom), (name, v)
    for v in edge_values(dom):
        assert exactly_in(v, dom), (name, v)
        assert in_domain(v, dom) is True
    if dom.is_subset(S.Reals):        # (an unevaluated Complement cannot be declared)
        c = mk(f"t_nb.draws.{name}", Eq(h, h), domains={h: dom})
        pts = sample_points(c, count=200)
        assert len(pts) >= 200 or (is_finite_domain(dom) and len(pts) == len(dom))
        for pt in pts:
            assert exactly_in(pt[h], dom), (name, pt[h])


def test_punctured_points_are_never_edges_but_are_approached():
    assert S.Half not in edge_values(PUNCTURED)
    vals = {pt[h] for pt in sample_points(mk("t_nb.punct", Eq(h, h), domains={h: PUNCTURED}))}
    assert S.Half not in vals
    assert any(0 < abs(v - S.Half) <= Rational(1, 10**10) for v in vals)
    assert 0 not in edge_values(PUNCTURED_C)


def test_true_claims_on_unions_punctured_sets_and_ranges_agree():
    on_union = mk("t_nb.union-true", Ge((h - 1) * (h - 2), 0), domains={h: UNION})
    assert numeric_backup(on_union).outcome == "agrees"
    # undefined at the puncture only
    punct = mk("t_nb.punct-true", Eq((2 * h - 1) / (2 * h - 1), 1), domains={h: PUNCTURED})
    assert numeric_backup(punct).outcome == "agrees"
    nat = mk("t_nb.naturals-true", Ge(h, 1), domains={h: S.Naturals})
    assert numeric_backup(nat).outcome == "agrees"
    half_line = mk("t_nb.half-line-true", Lt(h, 3), domains={h: Interval.open(-sp.oo, 3)})
    assert numeric_backup(half_line).outcome == "agrees"


def test_false_claims_on_unions_and_naturals_are_refuted():
    wrong_union = mk("t_nb.union-false", Ge(h, 2), domains={h: UNION})
    res = numeric_backup(wrong_union)
    assert res.outcome == "counterexample"
    assert exactly_in(Rational(res.counterexample["exact_point"]["t_nb_h"]), Interval(0, 1))
    wrong_nat = mk("t_nb.naturals-false", Ge(h, 2), domains={h: S.Naturals})
    assert numeric_backup(wrong_nat).outcome == "counterexample"


def test_integer_symbols_take_a_broad_spread():
    # only lo..lo+6 used to be sampled: n < 50 looked true
    c = mk("t_nb.spread", Lt(n, 50))
    res = numeric_backup(c)
    assert res.outcome == "counterexample"
    vals = {int(pt[n]) for pt in sample_points(mk("t_nb.spread-true", Ge(n, 1)))}
    assert {1, 2, 3, 4, 6, 9, 14}.issubset(vals) and max(vals) >= 64


def test_sizes_of_written_out_sums_are_capped():
    c = mk("t_nb.sum-cap", Eq(Sum(r[j], (j, 1, G)), Sum(r[j], (j, 1, G))))
    sizes = {int(pt[G]) for pt in sample_points(c)}
    assert max(sizes) <= SUM_CAP and max(sizes) > 8
    nested = mk("t_nb.sum-cap-nested",
                Eq(Sum(Sum((r[j] - r[_k]) ** 2, (_k, 1, G)), (j, 1, G)),
                   Sum(Sum((r[j] - r[_k]) ** 2, (j, 1, G)), (_k, 1, G))))
    assert max(int(pt[G]) for pt in sample_points(nested)) ** 2 <= 400
    assert numeric_backup(nested).outcome == "agrees"


def test_conditions_and_simplices_hold_exactly_at_every_point():
    c = mk("t_nb.conditions", Ge(x - y, 0), conditions=[Gt(x, y), OnSimplex([q1, q2, q3]),
                                                       Lt(q1, q2)])
    pts = sample_points(c)
    assert pts
    for pt in pts:
        assert pt[x] > pt[y] and pt[q1] < pt[q2]
        assert pt[q1] + pt[q2] + pt[q3] == 1
        assert all(0 < pt[q] < 1 for q in (q1, q2, q3))
    assert numeric_backup(c).outcome == "agrees"


# -- premises: sampled on their solution set ---------------------------------------------------

def test_premise_true_on_its_solution_set_agrees():
    c = mk("t_nb.premise-true", Ge(y, 0), given=Eq(y, x**2))
    res = numeric_backup(c)
    assert res.outcome == "agrees" and "premise sampled" in res.detail, res.detail
    pts = sample_points(c)
    assert len(pts) >= 20
    for pt in pts:
        assert sp.simplify(pt[y] - pt[x] ** 2) == 0


def test_premise_false_somewhere_on_its_solution_set_is_refuted():
    c = mk("t_nb.premise-false", Gt(y, 0), given=Eq(x * y, 1))
    res = numeric_backup(c)
    assert res.outcome == "counterexample", res.detail
    pt = {sp.Symbol(k, real=True): sp.sympify(v)
          for k, v in res.counterexample["exact_point"].items()}
    xv, yv = pt[sp.Symbol("t_nb_x", real=True)], pt[sp.Symbol("t_nb_y", real=True)]
    assert xv * yv == 1 and yv <= 0


def test_quadratic_premise_takes_both_roots_and_stays_in_the_domain():
    circle = Eq(x**2 + u**2, 1)                 # u in (0, 1): x = +-sqrt(1 - u^2)
    c = mk("t_nb.premise-circle", Le(Abs(x), 1), given=circle)
    assert numeric_backup(c).outcome == "agrees"
    pts = sample_points(c)
    assert pts
    for pt in pts:
        assert sp.simplify(pt[x] ** 2 + pt[u] ** 2 - 1) == 0 and 0 < pt[u] < 1
    wrong = mk("t_nb.premise-circle-wrong", Ge(x, 0), given=circle)
    assert numeric_backup(wrong).outcome == "counterexample"
    # the solved value must lie in its domain: u = x^2 in (0, 1) forces |x| < 1
    inside = mk("t_nb.premise-domain", Lt(Abs(x), 1), given=Eq(u, x**2))
    assert numeric_backup(inside).outcome == "agrees"


def test_unsolvable_premise_is_not_sampled_and_says_so():
    c = mk("t_nb.premise-unsolvable", Ge(x, 0), given=Eq(exp(x) + x, 2))
    res = numeric_backup(c)
    assert res.outcome == "none"
    assert "premise not sampled" in res.detail


# -- witnesses are decided exactly -------------------------------------------------------------

def test_exists_witness_off_by_1e60_does_not_agree():
    exact = mk("t_nb.exists-exact", Eq(3 * x, 1), quantifier="exists",
               proof=Witness({x: Rational(1, 3)}))
    assert numeric_backup(exact).outcome == "agrees"
    off = mk("t_nb.exists-off", Eq(3 * x, 1), quantifier="exists",
             proof=Witness({x: Rational(1, 3) + Rational(1, 10**60)}))
    res = numeric_backup(off)
    assert res.outcome == "none" and "does not satisfy" in res.detail
    algebraic = mk("t_nb.exists-sqrt", Eq(u**2, S.Half), quantifier="exists",
                   proof=Witness({u: sqrt(2) / 2}))
    assert numeric_backup(algebraic).outcome == "agrees"


def test_symbolic_witness_value_gives_a_clean_none():
    c = mk("t_nb.witness-symbolic", Eq(x, 1), quantifier="exists", proof=Witness({x: y + 1}))
    res = numeric_backup(c)
    assert res.outcome == "none"
    assert "the witness value for t_nb_x is not a number" in res.detail


def test_forall_witness_refutes_only_inside_the_domain_and_premise():
    c = mk("t_nb.witness-forall", Eq(x**2, x), expected="refuted",
           proof=Witness({x: Rational(3, 2)}))
    res = numeric_backup(c)
    assert res.outcome == "counterexample" and res.counterexample["point"] == {"t_nb_x": "3/2"}
    outside = mk("t_nb.witness-outside", Lt(u, S.Half), expected="refuted",
                 proof=Witness({u: 2}))
    res = numeric_backup(outside)
    assert res.outcome == "none" and "outside its domain" in res.detail
    premise = mk("t_nb.witness-premise", Gt(y, 0), given=Eq(x * y, 1), expected="refuted",
                 proof=Witness({x: 2, y: 1}))
    res = numeric_backup(premise)
    assert res.outcome == "none" and "premise" in res.detail
    good = mk("t_nb.witness-premise-ok", Gt(y, 0), given=Eq(x * y, 1), expected="refuted",
              proof=Witness({x: -2, y: -S.Half}))
    assert numeric_backup(good).outcome == "counterexample"


# -- finite domains beyond the cap are sampled -------------------------------------------------

def test_large_finite_domains_are_sampled_not_iterated():
    huge = Range(0, 10**9)
    c = mk("t_nb.finite-huge", Ge(h, 0), domains={h: huge})
    t0 = time.perf_counter()
    res = numeric_backup(c)
    assert time.perf_counter() - t0 < 10
    assert res.outcome == "agrees"
    assert f"of {10**9} cases" in res.detail and "sampled" in res.detail
    assert res.points <= FINITE_CAP
    wrong = mk("t_nb.finite-huge-wrong", Lt(h, 5 * 10**8), domains={h: huge})
    assert numeric_backup(wrong).outcome == "counterexample"
    # a product of two finite domains: 10 x 10 = 100 > FINITE_CAP cases
    a, b = variable("t_nb_fa", Range(0, 10)), variable("t_nb_fb", Range(0, 10))
    prod = mk("t_nb.finite-product", Ge(a + b, 0))
    res = numeric_backup(prod)
    assert "sampled" in res.detail and "of 100 cases" in res.detail
    small = mk("t_nb.finite-small", Ge(h, 2), domains={h: FiniteSet(*range(2, 9))})
    res = numeric_backup(small)
    assert res.outcome == "agrees" and "all 7 cases" in res.detail and res.points == 7


# -- proof obligations, limits, the author's own check -------------------------------------

class _Obligations:
    """A stand-in proof: only its obligations matter to the backup."""

    def __init__(self, *obs):
        self.obs = obs

    def obligations(self, c):
        return list(self.obs)


def test_proof_obligation_failure_is_decided_exactly():
    rounding = sqrt(x**2 + 10**140) - 10**70 - x**2 / (sqrt(x**2 + 10**140) + 10**70)
    ok = mk("t_nb.obligation-rounding", Eq(x, x), proof=_Obligations(rounding))
    assert numeric_backup(ok).proof_failure is None
    off = mk("t_nb.obligation-off", Eq(x, x), proof=_Obligations(x - x + Rational(1, 10**60)))
    assert "decided exactly" in (numeric_backup(off).proof_failure or "")


def test_a_wrong_limit_or_a_failing_own_check_is_not_a_counterexample():
    lim = mk("t_nb.limit-wrong", Eq(Limit(pos / (pos + 1), pos, sp.oo), 2))
    res = numeric_backup(lim)
    assert res.outcome == "none" and res.counterexample is None
    right = mk("t_nb.limit-right", Eq(Limit(pos / (pos + 1), pos, sp.oo), 1))
    assert numeric_backup(right).outcome == "agrees"
    own = mk("t_nb.own-check", Eq(x, x), numeric=lambda dps: (False, "my check failed"))
    res = numeric_backup(own)
    assert res.outcome == "none" and "my check failed" in res.detail


# -- evaluation helpers ---------------------------------------------------------------------

def test_write_out_of_nested_sums_matches_sympy():
    size = 6
    e = Sum((r[j] - Sum(r[_k], (_k, 1, size)) / size) ** 2, (j, 1, size))
    env = {r[i]: Rational(i * i, 7) for i in range(1, size + 1)}
    expected = e.doit().xreplace(env)
    assert mp_eval(write_out(e), env) == pytest.approx(float(expected), rel=1e-12)
    # unevaluated (for evaluation only): the same value, exact zeros stay exact
    fast = write_out(e, evaluate=False)
    assert mp_eval(fast, env) == pytest.approx(float(expected), rel=1e-12)
    assert write_out(Sum(sqrt(1 - j / size), (j, size, size)), evaluate=False) == 0


def test_in_domain_is_exact():
    assert in_domain(S.Half, PUNCTURED) is False
    assert in_domain(Rational(1, 2) + Rational(1, 10**40), PUNCTURED) is True
    assert in_domain(sqrt(2) / 2, Interval.open(0, 1)) is True
    assert in_domain(sqrt(2), Interval.open(0, sqrt(2))) is False
    assert in_domain(15, STEPPED) is True and in_domain(16, STEPPED) is False
    assert in_domain(Rational(7, 2), HALF_INTEGERS) is True
    assert in_domain(3, HALF_INTEGERS) is False
    assert in_domain(y, S.Reals) is None


# -- determinism ------------------------------------------------------------------------------

_SCRIPT = textwrap.dedent("""
    import sympy as sp
    from sympy import Interval, FiniteSet, Range, S, Union
    from grpo_sym.proof import Eq, Ge, Registry, claim, sample_points, variable
    x = variable("d_x", S.Reals)
    u = variable("d_u", Union(Interval(0, 1), Interval(2, 3)) - FiniteSet(S.Half))
    g = variable("d_g", FiniteSet(*[sp.Rational(i, 7) for i in range(100)]))
    n = variable("d_n", Range(1, sp.oo))
    y = variable("d_y", S.Reals)
    c = claim("det", "", Ge(y + u + g + n, 0), given=Eq(y, x**2 + u), registry=Registry())
    print(sorted(sorted((str(k), str(v)) for k, v in pt.items()) for pt in sample_points(c)))
""")


def test_points_do_not_depend_on_hash_randomisation():
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        outs.append(done.stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 100


# -- fast paths give the values of the slow ones ------------------------------------------------

class _GeometricSum(sp.Function):
    """x + x**2 + ... + x**n, written out at an integer n; its derivative rule is
    wrong on purpose: the backup must differentiate the written-out form."""

    @classmethod
    def eval(cls, size, var):
        if size.is_Integer:
            return sp.Add(*[var ** i for i in range(1, int(size) + 1)])

    def fdiff(self, argindex=1):
        return S.Zero


def test_derivatives_of_sums_and_of_functions_of_the_author_keep_their_values():
    # d/dx of a sum over a size
    exact = mk("t_nb.diff-sum", Eq(sp.Derivative(Sum(j * x ** j, (j, 1, G)), x),
                                   Sum(j ** 2 * x ** (j - 1), (j, 1, G))))
    assert numeric_backup(exact).outcome == "agrees"
    wrong = mk("t_nb.diff-sum-wrong", Eq(sp.Derivative(Sum(j * x ** j, (j, 1, G)), x),
                                         Sum(j ** 2 * x ** j, (j, 1, G))))
    assert numeric_backup(wrong).outcome == "counterexample"
    # a function of the author's is differentiated only once written out (its own rule,
    # here wrong, is never used: taking d/dx before the size is substituted would refute a
    # true claim)
    author = mk("t_nb.diff-author", Eq(sp.Derivative(_GeometricSum(G, x), x),
                                       Sum(j * x ** (j - 1), (j, 1, G))))
    res = numeric_backup(author)
    assert res.outcome == "agrees", res.detail
    # d/d r[3] of a sum over the family r: taken after the sum is written out
    fam = mk("t_nb.diff-family", Eq(sp.Derivative(Sum(r[j] ** 2, (j, 1, G)), r[3]),
                                    sp.Piecewise((2 * r[3], G >= 3), (0, True))))
    assert numeric_backup(fam).outcome == "agrees"


def test_an_equation_condition_is_kept_where_it_holds_exactly():
    # balls cannot show sqrt(2)*sqrt(3)*x = sqrt(6)*x; exact algebra decides it true:
    # every case is kept (a condition wrongly judged false would drop them all)
    three = variable("t_nb_three", FiniteSet(1, 2, 3))
    c = mk("t_nb.cond-exact", Eq(three * (three - 1) * (three - 2) * (three - 3), 0),
           conditions=[Eq(sqrt(2) * sqrt(3) * three, sqrt(6) * three)])
    res = numeric_backup(c)
    assert res.outcome == "agrees" and res.points == 3, res.detail
    # where it is false (balls show it), the case is dropped: x**2 = x keeps 0 and 1 only
    four = variable("t_nb_four", FiniteSet(0, 1, 2, 3))
    c = mk("t_nb.cond-false", Eq(four ** 3, four), conditions=[Eq(four ** 2, four)])
    res = numeric_backup(c)
    assert res.outcome == "agrees" and res.points == 2, res.detail
