"""Unit tests of the proof engine's parts.

``prove_zero`` (the identity ladder), ``is_nonnegative`` (the structural
checker: strictness, open/closed ends, linear atoms, Max/Min), ``OnSimplex``
elimination, the seeded sampler and its edge points, the high-precision
confirmation of counterexamples, ``fully_verified`` propagation through
``uses``, ``Registry`` look-ups, and ``claim()``'s input checks.
"""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp
from sympy import (Abs, FiniteSet, Float, Interval, Limit, Max, Min, Piecewise, Range, Rational,
                   S, Sum, cos, exp, log, oo, pi, sin, sqrt)

from grpo_sym.proof import (REGISTRY, Certificate, Context, Eq, Ge, Identity, LimitProof, Ne,
                            OnSimplex, Registry, Witness, chain, claim, domain_of, indexed,
                            is_nonnegative, is_positive, lemma_instance, numeric_backup,
                            prove_zero, sample_points, variable, verify_all, verify_claim)
from grpo_sym.proof.numeric import DPS, _edge_values
from grpo_sym.proof.proofs import Outcome
from grpo_sym.proof.verify import ClaimResult, fully_verified

x = variable("t_u_x", S.Reals)
y = variable("t_u_y", S.Reals)
xp = variable("t_u_xp", Interval.open(0, oo))
yp = variable("t_u_yp", Interval.open(0, oo))
xn = variable("t_u_xn", Interval(0, oo))
u_open = variable("t_u_uo", Interval.open(0, 1))
u_closed = variable("t_u_uc", Interval(0, 1))
u_lopen = variable("t_u_ulo", Interval.Lopen(0, 1))
q2 = variable("t_u_q2", Interval.open(0, 2))
q2c = variable("t_u_q2c", Interval.Lopen(0, 2))
a12 = variable("t_u_a12", Interval.open(1, 2))
n1 = variable("t_u_n1", Range(1, oo))
n0 = variable("t_u_n0", Range(0, oo))
g4 = variable("t_u_g4", FiniteSet(2, 3, 4))
g5 = variable("t_u_g5", FiniteSet(2, 3, 4, 5))
g23 = variable("t_u_g23", FiniteSet(2, 3))
G = variable("t_u_G", Range(2, oo))
p1, p2, p3 = (variable(f"t_u_p{i}", Interval(0, 1)) for i in (1, 2, 3))
r = indexed("t_u_r", S.Reals)
j, k = sp.symbols("t_u_j t_u_k", integer=True, positive=True)

CTX = Context()


def mk(cid, statement, registry=None, **kw):
    return claim(cid, "engine unit test", statement,
                 registry=registry if registry is not None else Registry(), **kw)


# -- prove_zero -------------------------------------------------------------------------

def test_prove_zero_names_the_rewrite_that_worked():
    # the cheapest rewrite is tried first
    assert prove_zero((x + 1) ** 2 - x**2 - 2 * x - 1, CTX) == "expand"
    assert prove_zero(sp.Integer(0), CTX) == "expand"
    how = prove_zero(sin(x) ** 2 + cos(x) ** 2 - 1, CTX)
    assert isinstance(how, str) and how and how != "expand"


@pytest.mark.parametrize("expr", [
    pytest.param(x + 1, id="linear"),
    pytest.param(sp.Integer(1), id="one"),
    pytest.param(Rational(1, 10**60), id="tiny-constant"),
    pytest.param(sqrt(x**2) - x, id="sqrt-square-over-reals"),
    pytest.param(log(x * y) - log(x) - log(y), id="log-product-over-reals"),
    pytest.param(Abs(x) - x, id="abs"),
    pytest.param(sin(x) ** 2 + cos(x) ** 2 - 1 + Rational(1, 10**30), id="almost-pythagoras"),
])
def test_prove_zero_never_proves_a_non_zero(expr):
    assert prove_zero(expr, CTX) is None


def test_prove_zero_uses_the_positivity_of_the_domain():
    assert prove_zero(sqrt(xp**2) - xp, CTX) is not None
    assert prove_zero(log(xp * yp) - log(xp) - log(yp), CTX) is not None
    assert prove_zero(log(x * y) - log(x) - log(y), CTX) is None


def test_prove_zero_expands_finite_domains_case_by_case():
    assert prove_zero(Sum(j, (j, 1, g5)) - g5 * (g5 + 1) / 2, CTX) is not None
    assert prove_zero(Sum(j, (j, 1, g5)) - g5 * (g5 - 1) / 2, CTX) is None
    # zero at G = 2 and G = 3 only: every case must reduce
    assert prove_zero((g23 - 2) * (g23 - 3), CTX) is not None
    assert prove_zero((g4 - 2) * (g4 - 3), CTX) is None


def test_prove_zero_power_sums_over_a_symbolic_group_size():
    double = Sum(Sum(r[j] - r[k], (k, 1, G)), (j, 1, G))
    assert prove_zero(double, CTX) == "power sums"
    assert prove_zero(double + Sum(r[j], (j, 1, G)), CTX) is None
    centred = Sum(r[j] - Sum(r[k], (k, 1, G)) / G, (j, 1, G))
    assert prove_zero(centred, CTX) is not None
    assert prove_zero(Sum(r[j] - Sum(r[k], (k, 1, G)) / (G - 1), (j, 1, G)), CTX) is None


def test_prove_zero_excludes_a_piecewise_branch_only_under_a_ne_condition():
    e = Piecewise((1, sp.Eq(x, 0)), (0, True))
    assert prove_zero(e, Context(relations=[Ne(x, 0)])) is not None
    assert prove_zero(e, CTX) is None
    assert prove_zero(e, Context(relations=[Ne(x, 1)])) is None


# -- is_nonnegative ------------------------------------------------------------------------

NONNEG = [
    # (label, expression, strict, expected)
    ("u in (0,1)", u_open, False, True),
    ("u in (0,1), strict", u_open, True, True),
    ("u in [0,1]", u_closed, False, True),
    ("u in [0,1], strict", u_closed, True, False),
    ("x real", x, False, False),
    ("n in {1,2,..}, strict", n1, True, True),
    ("n in {0,1,..}, strict", n0, True, False),
    ("n in {0,1,..}", n0, False, True),
    ("1 - u on (0,1)", 1 - u_open, False, True),
    ("1 - u on (0,1), strict (open end)", 1 - u_open, True, True),
    ("1 - u on [0,1], strict (closed end)", 1 - u_closed, True, False),
    ("1 - u on [0,1]", 1 - u_closed, False, True),
    ("1 - u on (0,1]", 1 - u_lopen, False, True),
    ("1 - u on (0,1], strict", 1 - u_lopen, True, False),
    ("1 - q on (0,2)", 1 - q2, False, False),
    ("2 - q on (0,2], strict", 2 - q2c, True, False),
    ("2 - q on (0,2]", 2 - q2c, False, True),
    ("u - 1/2 on (0,1)", u_open - Rational(1, 2), False, False),
    ("x - 1 on (0,oo)", xp - 1, False, False),
    ("5 - x on (0,oo) (falls to -oo)", 5 - xp, False, False),
    ("x + 1 on (0,oo), strict", xp + 1, True, True),
    ("g - 2 on {2,3,4}", g4 - 2, False, True),
    ("g - 2 on {2,3,4}, strict", g4 - 2, True, False),
    ("g - 3 on {2,3,4}", g4 - 3, False, False),
    ("x**2", x**2, False, True),
    ("x**2, strict", x**2, True, False),
    ("x**2 + 1, strict", x**2 + 1, True, True),
    ("(x - 1)**2, strict", (x - 1) ** 2, True, False),
    ("-x**2", -x**2, False, False),
    ("x**3 over the reals", x**3, False, False),
    ("sqrt(u)", sqrt(u_open), False, True),
    ("1/x on (0,oo), strict", 1 / xp, True, True),
    ("1/x over the reals", 1 / x, False, False),
    ("x**-2 over the reals: undefined at 0, so not visibly >= 0", x**-2, False, False),
    ("x**-2 with x > 0", xp**-2, True, True),
    ("exp(x), strict", exp(x), True, True),
    ("Abs(x)", Abs(x), False, True),
    ("Abs(x), strict", Abs(x), True, False),
    ("Abs(x**2 + 1), strict", Abs(x**2 + 1), True, True),
    ("Max(x, 0)", Max(x, 0), False, True),
    ("Max(x, 0), strict", Max(x, 0), True, False),
    ("Max(x, y)", Max(x, y), False, False),
    ("Max(x, 1 - u), strict", Max(x, 1 - u_open), True, True),
    ("Min(u, 1 - u) on (0,1), strict", Min(u_open, 1 - u_open), True, True),
    ("Min(x**2, x)", Min(x**2, x), False, False),
    ("log(1 + u)", log(1 + u_open), False, True),
    ("log(u) on (0,1)", log(u_open), False, False),
    ("u (1 - u) on (0,1), strict", u_open * (1 - u_open), True, True),
    ("(1 - u) sqrt(u) + (u - 1/2)**2", (1 - u_open) * sqrt(u_open) + (u_open - S.Half) ** 2,
     False, True),
    ("0", S.Zero, False, True),
    ("0, strict", S.Zero, True, False),
    ("sqrt(2) - 1", sqrt(2) - 1, True, True),
    ("1 - sqrt(2)", 1 - sqrt(2), False, False),
    ("pi - 355/113 (tiny, negative)", pi - Rational(355, 113), False, False),
    ("-1e-12 as a Float", Float(-1e-12), False, False),
    pytest.param("-1e-40 as a Float", Float(-1e-40), False, False, id="-1e-40 as a Float"),
]


@pytest.mark.parametrize("label,expr,strict,expected",
                         [pytest.param(*c, id=c[0]) if type(c) is tuple else c
                          for c in NONNEG])
def test_is_nonnegative(label, expr, strict, expected):
    # (it may answer with SymPy's true/false rather than Python's bool)
    assert bool(is_nonnegative(expr, CTX, strict=strict)) is expected


def test_is_nonnegative_follows_per_claim_domains():
    wide = Context(domains={u_open: Interval(-1, 1)})
    assert is_nonnegative(u_open, CTX)
    assert not is_nonnegative(u_open, wide)
    assert not is_nonnegative(1 - u_open, Context(domains={u_open: Interval(0, 2)}))


def test_is_positive_is_the_strict_form():
    assert is_positive(1 - u_open, CTX) and not is_positive(1 - u_closed, CTX)


# -- OnSimplex -------------------------------------------------------------------------------

def test_on_simplex_eliminates_the_last_symbol():
    s = OnSimplex([p1, p2, p3])
    assert s.elimination() == {p3: 1 - p1 - p2}
    ctx = Context(simplices=[s])
    assert sp.expand(ctx.eliminate(p1 + p2 + p3)) == 1
    assert sp.expand(ctx.eliminate(p3**2) - (1 - p1 - p2) ** 2) == 0
    assert s.as_relation() == sp.Eq(p1 + p2 + p3, 1)
    with pytest.raises(ValueError):
        OnSimplex([p1])


def test_prove_zero_and_is_nonnegative_use_the_simplex():
    ctx = Context(simplices=[OnSimplex([p1, p2])])
    assert prove_zero(p1 + p2 - 1, ctx) is not None
    assert prove_zero(p1 + p2 - 1, CTX) is None
    assert prove_zero(p1 * p2 + p2**2 - p2, ctx) is not None
    # p2 is 1 - p1, a linear atom non-negative on [0, 1]
    assert is_nonnegative(p2, ctx) and is_nonnegative(p1 * p2, ctx)
    assert not is_nonnegative(p2 - p1, ctx)


def test_simplex_points_are_exact_distributions_with_near_face_points():
    c = mk("unit.simplex-points", Eq(p1 + p2 + p3, 1), conditions=[OnSimplex([p1, p2, p3])])
    pts = sample_points(c)
    assert len(pts) == 24
    for pt in pts:
        assert pt[p1] + pt[p2] + pt[p3] == 1
        assert all(0 < pt[p] < 1 for p in (p1, p2, p3))
    assert min(min(pt[p] for p in (p1, p2, p3)) for pt in pts) < Rational(1, 10**15)
    r_ = verify_claim(c)
    assert r_.symbolic == Outcome.PROVED and r_.ok


# -- sampling ----------------------------------------------------------------------------------

def test_sampling_is_seeded_by_the_claim_id():
    c = mk("unit.seeded", Eq(u_open + x, x + u_open))
    first, second = sample_points(c), sample_points(c)
    assert first == second and len(first) >= 24  # 24 random points after the walk over every edge
    same_id = mk("unit.seeded", Eq(u_open + x, x + u_open))
    assert sample_points(same_id) == first
    other = mk("unit.seeded-other", Eq(u_open + x, x + u_open))
    assert sample_points(other) != first


def test_sampled_points_are_exact_and_lie_in_the_domain():
    c = mk("unit.in-domain", Ge(xp + u_closed + n1 + x, 0), conditions=[Ge(xp, u_closed)])
    for pt in sample_points(c):
        assert all(sp.sympify(v).is_Rational for v in pt.values())
        assert 0 < pt[xp] and 0 <= pt[u_closed] <= 1 and pt[n1] >= 1 and pt[n1].is_Integer
        assert pt[xp] >= pt[u_closed]          # the condition filters the points


def test_edge_values_sit_1e_30_from_open_ends():
    tiny = Rational(1, 10**30)
    assert set(_edge_values(Interval.open(0, 1))) >= {tiny, 1 - tiny, Rational(1, 2)}
    assert 0 not in _edge_values(Interval.open(0, 1))
    assert set(_edge_values(Interval(0, 1))) >= {0, 1, tiny, 1 - tiny}
    assert set(_edge_values(Interval.open(0, oo))) >= {tiny, sp.Integer(10) ** 30}


def test_sampling_includes_edge_points():
    c = mk("unit.edges", Eq(u_open, u_open))
    vals = {pt[u_open] for pt in sample_points(c, count=100)}
    tiny = Rational(1, 10**30)
    assert tiny in vals and 1 - tiny in vals


def test_default_sample_always_includes_every_edge():
    for cid in ("unit.edges", "unit.edges.a", "unit.edges.b", "unit.edges.c"):
        c = mk(cid, Eq(u_open, u_open))
        vals = {pt[u_open] for pt in sample_points(c)}
        assert set(_edge_values(Interval.open(0, 1))) <= vals, cid


# -- counterexamples are confirmed at higher precision ---------------------------------------

def _digits(text: str) -> int:
    return len(text.split("e")[0].lstrip("-").replace(".", "").lstrip("0"))


def test_counterexample_carries_a_50_digit_point_and_is_exactly_false():
    c = mk("unit.tiny-gap", Eq(a12, a12 + Rational(1, 10**40)))
    res = numeric_backup(c)
    assert res.outcome == "counterexample"
    cex = res.counterexample
    (value,) = cex["point"].values()
    assert _digits(value) >= DPS
    exact = sp.Rational(cex["exact_point"]["t_u_a12"])
    assert sp.Float(value, DPS) == sp.Float(exact, DPS)
    assert 1 < exact < 2
    # exactly false there: the gap is 1e-40, far above the 50-digit tolerance
    assert (c.lhs - c.rhs).subs(a12, exact) == -Rational(1, 10**40)
    assert cex["lhs"] != cex["rhs"]
    r_ = verify_claim(c)
    assert r_.symbolic == Outcome.REFUTED and r_.counterexample == cex


def test_working_precision_failure_is_not_a_counterexample_unless_confirmed():
    """sqrt(a^2 + 10^140) - 10^70 cancels 70 digits: at 100 working digits the left side
    is 0, but the exact re-check at higher precision clears the identity."""
    lhs = sqrt(a12**2 + 10**140) - 10**70
    rhs = a12**2 / (sqrt(a12**2 + 10**140) + 10**70)
    c = mk("unit.cancellation", Eq(lhs, rhs))
    pts = sample_points(c)
    f = sp.lambdify([a12], [lhs, rhs], "mpmath")
    with mpmath.workdps(2 * DPS):
        naive = [f(mpmath.mpf(sp.Float(pt[a12], 2 * DPS)._mpf_)) for pt in pts]
    assert any(abs(lv - rv) > mpmath.mpf(10) ** -DPS * abs(rv) for lv, rv in naive)
    res = numeric_backup(c)
    assert res.outcome == "agrees", res.detail
    # ... and the same cancellation with a wrong factor is still refuted
    wrong = mk("unit.cancellation-wrong", Eq(lhs, 2 * rhs))
    assert numeric_backup(wrong).outcome == "counterexample"


def test_witness_refutation_is_decided_exactly():
    c = mk("unit.witness", Eq(x**2, x), expected="refuted", proof=Witness({x: Rational(3, 2)}))
    r_ = verify_claim(c)
    assert r_.symbolic == Outcome.REFUTED and r_.ok
    assert "decided exactly" in r_.detail
    assert r_.counterexample["point"] == {"t_u_x": "3/2"}
    assert r_.counterexample["lhs"] == "2.25" and r_.counterexample["rhs"] == "1.5"


xneg = variable("t_u_xneg", Interval.open(-oo, 0))
yneg = variable("t_u_yneg", Interval.open(-oo, 0))


def test_every_refutation_shows_its_counterexample():
    c = mk("unit.log-negatives", Eq(log(xneg * yneg), log(xneg) + log(yneg)))
    r_ = verify_claim(c)
    assert r_.symbolic == Outcome.REFUTED
    assert isinstance(r_.counterexample, dict) and r_.counterexample.get("point")


# -- verify_claim defaults -------------------------------------------------------------------

def test_default_proofs():
    eq = mk("unit.default-eq", Eq((x + 1) ** 2, x**2 + 2 * x + 1))
    assert verify_claim(eq).ok and isinstance(eq.proof, Identity)
    lim = mk("unit.default-limit", Eq(Limit(sin(xp) / xp, xp, 0, "+"), 1))
    assert verify_claim(lim).ok and isinstance(lim.proof, LimitProof)
    ineq = mk("unit.default-ineq", Ge(x**2, 0))
    r_ = verify_claim(ineq)
    assert r_.symbolic == Outcome.UNPROVED and not r_.ok and "no proof" in r_.detail
    assert r_.numeric == "agrees"


def test_set_to_zero_of_a_never_zero_expression_does_not_crash():
    c = mk("unit.never-zero", Eq(2 * xp + 2, 0), given=Eq(xp + 1, 0),
           proof=chain(xp + 1).set_to_zero().multiply_both_sides(2))
    r_ = verify_claim(c)
    assert "Error" not in r_.detail and "Error" not in r_.numeric_detail, r_.detail


# -- fully_verified ------------------------------------------------------------------------------

def _pythagoras_registry(failing: bool):
    """base (fails or not) <- middle substitutes base <- top chains from middle."""
    reg = Registry()
    base = mk("unit.fv.base", Eq(sin(x) ** 2 + cos(x) ** 2, 1), reg,
              proof=Witness({x: 0}) if failing else Identity())
    start = sin(x) ** 2 + cos(x) ** 2 + x**2 + 1
    middle = mk("unit.fv.middle", Eq(start, x**2 + 2), reg, proof=chain(start).substitute(base))
    top = mk("unit.fv.top", Eq(2 * start, 2 * x**2 + 4), reg,
             proof=chain(middle).multiply_both_sides(2))
    mk("unit.fv.unrelated", Eq((x + 1) ** 2, x**2 + 2 * x + 1), reg)
    return reg, top


@pytest.mark.parametrize("failing", [True, False], ids=["base-fails", "base-ok"])
def test_fully_verified_propagates_a_failing_ancestor(failing):
    reg, top = _pythagoras_registry(failing)
    results = verify_all(reg, [top, reg["unit.fv.unrelated"]])
    assert list(results) == ["unit.fv.base", "unit.fv.middle", "unit.fv.top",
                             "unit.fv.unrelated"]
    assert results["unit.fv.middle"].uses == ["unit.fv.base"]
    assert results["unit.fv.top"].uses == ["unit.fv.middle"]
    # the descendants are themselves fine: only their ancestry differs
    assert results["unit.fv.middle"].ok and results["unit.fv.top"].ok
    assert results["unit.fv.base"].ok is (not failing)
    for cid in ("unit.fv.base", "unit.fv.middle", "unit.fv.top"):
        assert results[cid].verified is (not failing), cid
    assert results["unit.fv.unrelated"].verified


def test_fully_verified_through_extra_uses_of_a_refuted_claim():
    reg = Registry()
    wrong = mk("unit.fv2.wrong", Eq(x**2, x), reg)
    ok = mk("unit.fv2.ok", Eq((x + 1) ** 2, x**2 + 2 * x + 1), reg, uses=[wrong])
    results = verify_all(reg, [ok])
    assert results["unit.fv2.wrong"].symbolic == Outcome.REFUTED
    assert results["unit.fv2.ok"].ok and not results["unit.fv2.ok"].verified


def test_fully_verified_through_a_certificate_lemma_that_fails():
    """A certificate may rest on a lemma; a wrong lemma leaves the claim ok (relative to
    it) but not verified."""
    z = variable("t_u_z", Interval.open(0, oo))
    for lemma_ok in (False, True):
        reg = Registry()
        bound = 2 if lemma_ok else 3                      # z + 1/z >= 3 is false (z = 1)
        lemma = mk("unit.fv3.lemma", Ge(z + 1 / z, bound), reg,
                   proof=Certificate((z - 1) ** 2 / z + 2 - bound))
        user = mk("unit.fv3.user", Ge(xp + 1 / xp + 5, 2 + bound), reg,
                  proof=Certificate(lemma_instance(lemma, {z: xp}) + 3,
                                    lemmas={lemma: [{z: xp}]}))
        results = verify_all(reg, [user])
        assert results["unit.fv3.user"].uses == ["unit.fv3.lemma"]
        assert results["unit.fv3.lemma"].ok is lemma_ok
        assert results["unit.fv3.user"].symbolic == Outcome.PROVED
        assert results["unit.fv3.user"].verified is lemma_ok


def _result(cid, ok, uses):
    return ClaimResult(id=cid, paper="", statement_latex="", expected="holds",
                       symbolic="proved" if ok else "unproved", numeric="agrees", ok=ok,
                       seconds=0.0, uses=list(uses))


def test_fully_verified_on_cycles_and_missing_ancestors():
    results = {
        "a": _result("a", True, []),
        "b": _result("b", True, ["a"]),
        "c": _result("c", True, ["b", "missing"]),     # an ancestor without a result
        "d": _result("d", True, ["e"]),                # d <-> e: a cycle
        "e": _result("e", True, ["d"]),
        "f": _result("f", False, ["a"]),
        "g": _result("g", True, ["f"]),
    }
    fully_verified(results, Registry())
    assert {cid: res.verified for cid, res in results.items()} == {
        "a": True, "b": True, "c": False, "d": False, "e": False, "f": False, "g": False}


# -- Registry and claim() ----------------------------------------------------------------------

def _ids(claims):
    return [c.id for c in claims]


def test_registry_select_patterns():
    reg = Registry()
    for cid in ("s1", "s1.a", "s1.a.b", "s10.x", "s2.b", "eq14", "eq14.bound"):
        mk(cid, Eq(x, x), reg)
    assert _ids(reg.select(None)) == _ids(reg) and len(reg) == 7
    assert _ids(reg.select("")) == _ids(reg)
    assert _ids(reg.select("s1")) == ["s1", "s1.a", "s1.a.b"]          # prefix at a dot
    assert _ids(reg.select("s1.*")) == ["s1.a", "s1.a.b"]
    assert _ids(reg.select("s1*")) == ["s1", "s1.a", "s1.a.b", "s10.x"]
    assert _ids(reg.select("*.b")) == ["s1.a.b", "s2.b"]
    assert _ids(reg.select("eq14")) == ["eq14", "eq14.bound"]
    assert _ids(reg.select("eq1")) == []
    assert _ids(reg.select("s?.b")) == ["s2.b"]
    assert reg.select("nothing") == []
    assert "eq14" in reg and reg["eq14"].id == "eq14" and "eq15" not in reg


def test_registry_closure_brings_ancestors_in_registry_order():
    reg, top = _pythagoras_registry(failing=False)
    assert _ids(reg.closure([top])) == ["unit.fv.base", "unit.fv.middle", "unit.fv.top"]
    assert _ids(reg.closure([reg["unit.fv.base"]])) == ["unit.fv.base"]


def test_duplicate_ids_are_rejected():
    reg = Registry()
    mk("unit.dup", Eq(x, x), reg)
    with pytest.raises(ValueError, match="unit.dup"):
        mk("unit.dup", Eq(y, y), reg)
    assert len(reg) == 1
    mk("unit.dup", Eq(y, y))                       # another registry is independent


@pytest.mark.parametrize("statement", [
    pytest.param(sp.Eq(x, x), id="evaluated-to-True"),
    pytest.param(sp.Eq(1, 2), id="evaluated-to-False"),
    pytest.param(sp.Ge(xp, 0), id="inequality-evaluated-to-True"),
    pytest.param(x + 1, id="an-expression"),
])
def test_claim_rejects_a_statement_that_is_not_a_relation(statement):
    reg = Registry()
    with pytest.raises(TypeError, match="relation"):
        claim("unit.bad", "", statement, registry=reg)
    assert len(reg) == 0


def test_claims_go_to_the_given_registry_not_the_global_one():
    before = len(REGISTRY)
    reg = Registry()
    c = mk("unit.local", Eq(x, x), reg)
    assert len(REGISTRY) == before and "unit.local" not in REGISTRY
    assert reg["unit.local"] is c


def test_variable_declares_one_domain_per_name():
    assert variable("t_u_x", S.Reals) == x
    with pytest.raises(ValueError):
        variable("t_u_uo", Interval.open(0, 2))    # same SymPy assumptions, other domain
    assert domain_of(u_open) == Interval.open(0, 1)
    assert domain_of(xp) == Interval.open(0, oo)
    assert xp.is_positive and xn.is_nonnegative and not xn.is_positive
    assert n1.is_integer and n1.is_positive and x.is_real and x.is_positive is None


def test_redeclaring_a_name_with_a_domain_of_other_assumptions_is_an_error():
    with pytest.raises(ValueError):
        variable("t_u_x", Interval(0, 1))


# -- the non-zero screen of prove_zero: it gives up only where the value is non-zero ------

def test_screen_respects_the_assumed_relations():
    """|x| - x vanishes where x > 0 is assumed, not on all reals: the screen must skip
    the sampled points that break the relation (and stop the ladder otherwise)."""
    from grpo_sym.proof.checks import visibly_nonzero
    x = sp.Symbol("x_screen_units", real=True)
    assumed = Context(relations=(sp.Gt(x, 0),))
    assert not visibly_nonzero(sp.Abs(x) - x, assumed)
    assert visibly_nonzero(sp.Abs(x) - x, Context())           # x < 0 is sampled
    assert visibly_nonzero(sp.Abs(x) - x + sp.Rational(1, 10**40), assumed)
    assert prove_zero(sp.Abs(x) - x + sp.Rational(1, 10**40), assumed) is None


def test_screen_stays_on_the_simplex():
    """p + q = 1 is used by elimination; the screen's points lie on the simplex."""
    from grpo_sym.proof.checks import visibly_nonzero
    from grpo_sym.proof import OnSimplex
    p, q = sp.Symbol("p_screen_units", nonnegative=True), sp.Symbol("q_screen_units",
                                                                      nonnegative=True)
    ctx = Context(simplices=(OnSimplex((p, q)),))
    assert not visibly_nonzero(sp.log(p + q), ctx)
    assert prove_zero(sp.log(p + q), ctx) is not None


def test_screen_gives_a_family_values_in_its_domain():
    """Written out at a concrete size, the elements w[1], w[2], ... of a family get values
    in the family's domain (positive here), so an identity true for every positive family is
    not screened out, and one that is false is (without climbing the ladder)."""
    from grpo_sym.proof.checks import visibly_nonzero
    K = sp.Symbol("K_screen_units", integer=True, positive=True)
    j = sp.Symbol("j_screen_units", integer=True)
    w = sp.IndexedBase(sp.Symbol("w_screen_units", positive=True))
    true = sp.Sum(sp.log(w[j] ** 2), (j, 1, K)) - 2 * sp.Sum(sp.log(w[j]), (j, 1, K))
    assert not visibly_nonzero(true, Context())           # at negative w it would not vanish
    assert prove_zero(true, Context()) is not None
    assert visibly_nonzero(true + sp.Sum(sp.log(w[j]), (j, 1, K)), Context())
    # r[j] tied by a relation: the points that break it are skipped
    r = sp.IndexedBase(sp.Symbol("r_screen_units", real=True))
    tied = Context(relations=(sp.Gt(sp.Sum(r[j] ** 2, (j, 1, K)), 0),))
    assert visibly_nonzero(sp.Sum(r[j], (j, 1, K)) ** 2 + 1, tied)
