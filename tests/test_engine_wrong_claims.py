"""The engine never proves a wrong claim.

A battery of deliberately wrong claims (and wrong proofs): flipped signs, wrong
constants and exponents, a wrong group size, dropped assumptions, wrong chain
steps, wrong roots, wrong certificates, wrong minima, wrong limits, bad
witnesses, chains that end elsewhere.  Each must come out ``refuted`` or
``unproved`` -- never ``proved``, never ``ok`` as a claim expected to hold --
and where the claim is false at generic points the numeric backup must have
found a counterexample that carries its values at full precision.

Every wrong case is paired with its corrected twin, which the engine must
prove (``test_corrected_twin_is_ok``): so each assertion of the battery would
fail on an engine that answered the same whatever the claim.

Cases marked ``xfail(strict=True)`` are engine bugs (or weaknesses of the
sampler), written as the engine should behave; remove the mark once the engine
is fixed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pytest
import sympy as sp
from sympy import (Abs, FiniteSet, Float, Interval, Limit, Max, Range, Rational, S, Sum, cos,
                   exp, log, oo, sign, sin, sqrt)

from grpo_sym.proof import (Axiom, Certificate, Eq, Ge, Gt, Identity, IntermediateValue, Lt, MinimumAt,
                            OnSimplex, Registry, RootThreshold, Witness, chain, claim, exists_in,
                            indexed, lemma_instance, variable, verify_claim)
from grpo_sym.grpo.advantage import group_variance, two_level_group
from grpo_sym.proof.binomial import AtMost
from grpo_sym.proof.kernel import IndexPermutation
from grpo_sym.proof.proofs import Outcome

# -- symbols (names unique to this module) --------------------------------------------

x = variable("t_w_x", S.Reals)
y = variable("t_w_y", S.Reals)
xp = variable("t_w_xp", Interval.open(0, oo))
yp = variable("t_w_yp", Interval.open(0, oo))
xn = variable("t_w_xn", Interval(0, oo))            # x >= 0 (zero allowed)
xneg = variable("t_w_xneg", Interval.open(-oo, 0))
yneg = variable("t_w_yneg", Interval.open(-oo, 0))
x_ge_m1 = variable("t_w_xgem1", Interval(-1, oo))   # an interval that contains a pole of 1/x
x_ge_1 = variable("t_w_xge1", Interval(1, oo))
u_closed = variable("t_w_uc", Interval(0, 1))
u_lopen = variable("t_w_ulo", Interval.Lopen(0, 1))
q2 = variable("t_w_q2", Interval.open(0, 2))
w02 = variable("t_w_w02", Interval(0, 2))
w12 = variable("t_w_w12", Interval.Lopen(1, 2))
c_pos = variable("t_w_c", Interval.open(0, oo))
n = variable("t_w_n", Range(1, oo))
G = variable("t_w_G", Range(2, oo))
a11 = variable("t_w_a11", Interval.open(-1, 1))   # open, straddles 0
c_gt_m2 = variable("t_w_cgtm2", Interval.open(-2, oo))
z = variable("t_w_z", Interval.open(0, oo))
p1 = variable("t_w_p1", Interval(0, 1))
p2 = variable("t_w_p2", Interval(0, 1))
r = indexed("t_w_r", S.Reals)
j, k = sp.symbols("t_w_j t_w_k", integer=True, positive=True)

SMALL_GROUPS = FiniteSet(2, 3, 4, 5, 6)
# K outputs, K symbolic: families over 1..K, one coordinate m (issue 11's sums over outputs)
K_out = variable("t_w_K", Range(1, oo))
m_out = variable("t_w_m", Range(1, oo))
fam = indexed("t_w_fam", Interval.open(0, 1))
fam_old = indexed("t_w_famold", Interval.open(0, 1))
M2 = indexed("t_w_M", Interval(0, 1))
a_, b_ = sp.symbols("t_w_a t_w_b", integer=True, positive=True)


def _kl0_like(old):
    """sum_j old(j) (1/fam(j) + log fam(j)): a KL_0-shaped sum over K outputs."""
    return Sum(old[a_] * (1 / fam[a_] + log(fam[a_])), (a_, 1, K_out))


wpos = indexed("t_w_wpos", Interval.open(0, oo))
vreal = indexed("t_w_vreal", S.Reals)


def _instantiated(value, cid, conditions=()):
    """log(w(x)^2) = 2 log w(x) for positive w, used at w := value (must be positive)."""
    reg = Registry()
    lemma = mk("lemma.log-of-square", Eq(log(wpos[a_] ** 2), 2 * log(wpos[a_])), reg,
               conditions=list(conditions))
    start = log(value(a_) ** 2)
    return mk(cid, Eq(start, 2 * log(value(a_))), reg,
              proof=chain(start).substitute(lemma, "w := value",
                                            instance={wpos: sp.Lambda(a_, value(a_))}))


def _family_specialised_in_derivative():
    """d/dfam(m) of sum old (1/fam + log fam), then old := fam *inside* the derivative."""
    reg = Registry()
    grad = mk("lemma.family-gradient", Eq(sp.Derivative(_kl0_like(fam_old), fam[m_out]),
                                          fam_old[m_out] * (-1 / fam[m_out] ** 2
                                                            + 1 / fam[m_out])),
              reg, conditions=[sp.Le(m_out, K_out)])
    return mk("wrong.family-specialised", Eq(sp.Derivative(_kl0_like(fam), fam[m_out]),
                                             -1 / fam[m_out] + 1), reg,
              conditions=[sp.Le(m_out, K_out)],
              proof=chain(grad).substitute({fam_old: fam}, "old = fam"))


# the intermediate value theorem: a root of F in (0, 1) from a sign change of F
x_ivt = variable("t_w_ivt", Interval.open(0, 1))
c_ivt = variable("t_w_ivt_c", Interval.open(0, 1))
UNIT_OPEN = Interval.open(0, 1)
HALF = Rational(1, 2)


def _root(cid, condition, interval=UNIT_OPEN, **kw):
    """"some x in (0, 1) satisfies condition", proved by the intermediate value theorem."""
    proof = IntermediateValue(**kw.pop("proof_options", {}))
    return mk(cid, exists_in(x_ivt, interval, condition), proof=proof, **kw)


def _threshold(cid, top, gap=lambda x, c: x - c):
    """{c > 0 | some x in (0, 1) has x = c} = (0, top): a root for c < 1, none for c >= 1
    (where gap(x, c) < 0 on (0, 1))."""
    reg = Registry()
    root = mk("lemma.root-below-one", exists_in(x_ivt, UNIT_OPEN, Eq(x_ivt, c_pos)), reg,
              proof=IntermediateValue(), conditions=[Lt(c_pos, 1)])
    none = mk("lemma.none-from-one", Lt(gap(x_ivt, c_pos), 0), reg,
              proof=Certificate(-gap(x_ivt, c_pos)), conditions=[Ge(c_pos, 1)])
    return mk(cid, Eq(sp.ConditionSet(c_pos, root.statement, Interval.open(0, oo)),
                      Interval.open(0, top)), reg, proof=RootThreshold(root, none))


def _threshold_beyond_the_domain(cid, top):
    """{c in (0, 1) | some x in (0, 1) has x = c} = (0, top): (0, 1) itself, so false for
    top > 1, although both halves are proved (the second vacuously: no c of (0, 1) is >= top)."""
    reg = Registry()
    root = mk("lemma.root-below-top", exists_in(x_ivt, UNIT_OPEN, Eq(x_ivt, c_ivt)), reg,
              proof=IntermediateValue(), conditions=[Lt(c_ivt, top)])
    none = mk("lemma.none-above-top", Lt(x_ivt - c_ivt, 0), reg,
              proof=Certificate(c_ivt - x_ivt), conditions=[Ge(c_ivt, top)])
    return mk(cid, Eq(sp.ConditionSet(c_ivt, root.statement, UNIT_OPEN), Interval.open(0, top)),
              reg, proof=RootThreshold(root, none))


perm_rank = variable("t_w_perm_rank", Range(0, oo))
m_ge2 = variable("t_w_m_ge2", Range(2, oo))
n_ge4 = variable("t_w_n_ge4", Range(4, oo))


def _delta_sum(at):
    """sum_{a=1}^{n} delta(a, at) (1 + r_a^2): 1 + r_at^2 if 1 <= at <= n, else 0."""
    return Sum(sp.KroneckerDelta(a_, at) * (1 + r[a_] ** 2), (a_, 1, n))


def _symbol_instance(var, cid):
    """|m - 2| = m - 2 for m >= 2, used at m = var - 2: true for var >= 4, false at var = 1."""
    reg = Registry()
    lemma = mk("lemma.abs-above-two", Eq(Abs(m_ge2 - 2), m_ge2 - 2), reg)
    return mk(cid, Eq(Abs(var - 4), var - 4), reg,
              proof=chain(Abs(var - 4)).substitute(lemma, instance={m_ge2: var - 2}))


t_cut = variable("t_w_tcut", Range(0, oo))          # where a sum's summand changes
m_rest = variable("t_w_mrest", Range(0, oo))
c_top = variable("t_w_ctop", Range(1, oo))


def _two_level_variance(c, d):
    """The variance of c rewards x and d rewards y (a group of symbolic size c + d)."""
    return group_variance(two_level_group(c, d, x, y))


def _sig(x, size=None):
    """An arbitrary permutation of 1..size (default n), applied to x."""
    return IndexPermutation(perm_rank, n if size is None else size, x)


prob = variable("t_w_prob", Interval.open(0, 1))
kk = sp.Symbol("t_w_kk", integer=True)           # an index that starts at 0


def _radical_coefficient(idx):
    """sqrt(k)/(sqrt(k) + c): the shape of phi^2/(phi + eps) in x2's B_G^eps."""
    return sqrt(idx) / (sqrt(idx) + c_pos)


def _binomial_law():
    """sum_{k=0}^{G} C(G, k) x^k (1-x)^(G-k) sqrt(k)/(sqrt(k) + c), G symbolic."""
    return Sum(sp.binomial(G, kk) * prob**kk * (1 - prob)**(G - kk) * _radical_coefficient(kk),
               (kk, 0, G))


def _size_factor(vanishing, cid):
    """From sqrt(v/G) x = y conclude x = sqrt(G/v) y, multiplying by sqrt(G/v)."""
    given = Eq(sqrt(vanishing / G) * xp, yp)
    return mk(cid, Eq(xp, sqrt(G / vanishing) * yp), given=given,
              proof=chain(given).multiply_both_sides(sqrt(G / vanishing), "claimed non-zero")
              .rearrange(Eq(xp, sqrt(G / vanishing) * yp)))


def mk(cid: str, statement, registry: Registry | None = None, **kw):
    """A claim in a registry of its own (never the global one)."""
    return claim(cid, "engine test", statement,
                 registry=registry if registry is not None else Registry(), **kw)


def group_mean(size):
    return Sum(r[k], (k, 1, G)) / size


def pairwise_double_sum():
    return Sum(Sum((r[j] - r[k]) ** 2, (k, 1, G)), (j, 1, G))


# -- counterexample checks --------------------------------------------------------------

def _significant_digits(text: str) -> int:
    mantissa = re.split(r"[eE]", text.strip().lstrip("+-"))[0].replace(".", "")
    return len(mantissa.lstrip("0"))


def _full_precision(value: str) -> bool:
    """An exact integer/rational, or a decimal with 50 significant digits."""
    if re.fullmatch(r"-?\d+(/\d+)?", value):
        return True
    return _significant_digits(value) >= 50


def _fails_exactly_at(statement, exact: dict[str, str]) -> bool:
    """Independent check: evaluate both sides with SymPy at the exact point."""
    vals = {name: sp.Rational(v) for name, v in exact.items()}
    syms = {str(s): s for s in statement.free_symbols if isinstance(s, sp.Symbol)}
    ints = {syms[nm]: v for nm, v in vals.items() if nm in syms and syms[nm].is_integer}
    sides = []
    for side in (statement.lhs, statement.rhs):
        e = sp.sympify(side)
        e = e.xreplace({f: sp.Rational(f) for f in e.atoms(sp.Float)})  # a Float's exact value
        # inner first: SymPy's Subs.doit would substitute into an unevaluated derivative
        e = e.subs(ints).replace(lambda x: isinstance(x, (sp.Derivative, sp.Subs, sp.Sum)),
                                 lambda x: x.doit())
        atoms = {str(a): a for a in e.atoms(sp.Indexed) | e.atoms(sp.Symbol)}
        # xreplace, not subs: the values are numbers put in place of atoms, and subs
        # compares every sub-expression with each of ~200 keys (30 s at K = 14)
        e = e.xreplace({atoms[nm]: v for nm, v in vals.items() if nm in atoms})
        sides.append(sp.N(e, 80))
    lv, rv = sides
    scale = max(abs(lv), abs(rv), 1)
    tol = sp.Float(10, 80) ** -45 * scale
    if isinstance(statement, sp.Eq):
        return abs(lv - rv) > tol
    if isinstance(statement, sp.GreaterThan):
        return lv - rv < -tol
    if isinstance(statement, sp.StrictGreaterThan):
        return lv - rv <= tol
    if isinstance(statement, sp.LessThan):
        return rv - lv < -tol
    if isinstance(statement, sp.StrictLessThan):
        return rv - lv <= tol
    raise TypeError(statement)


def assert_counterexample_with_values(r, c) -> None:
    assert r.symbolic == Outcome.REFUTED, (r.symbolic, r.detail)
    assert r.numeric == "counterexample", r.numeric_detail
    cex = r.counterexample
    assert cex is not None, "a refutation must show its counterexample"
    assert cex.get("lhs") and cex.get("rhs"), cex
    point = cex["point"]
    assert {str(s) for s in c.free_symbols} <= set(point), (c.free_symbols, point)
    for name, value in point.items():
        assert _full_precision(value), f"{name} = {value} is not given at full precision"
    exact = cex.get("exact_point", point)
    assert _fails_exactly_at(c.statement, exact), f"the statement holds at {exact}"


# -- the battery -------------------------------------------------------------------------

POINT = "point"        # false at generic points: numeric counterexample with values
NUMERIC = "numeric"    # false; the numeric estimate disagrees, but no exact point (limits)
NONE = None            # no numeric counterexample expected (true claim, wrong proof;
                       # or a conditional claim, whose statement is not sampled)


@dataclass
class Case:
    id: str
    wrong: Callable[[], object]
    right: Callable[[], object]
    cex: str | None
    bug: str | None = None          # the wrong case: an engine bug (xfail)
    right_bug: str | None = None    # the corrected twin: an engine bug (xfail)


def _inequality_lemma(reg):
    return mk("lemma.square-nonneg", Ge(x**2, 0), reg, proof=Certificate(x**2))


def _expansion_lemma(reg):
    return mk("lemma.square-expansion", Eq((x + 1) ** 2, x**2 + 2 * x + 1), reg)


def _lemma_use(var, cid):
    reg = Registry()
    lemma = mk("lemma.z-plus-inverse", Ge(z + 1 / z, 2), reg, proof=Certificate((z - 1) ** 2 / z))
    return mk(cid, Ge(var + 1 / var, 2), reg,
              proof=Certificate(lemma_instance(lemma, {z: var}), lemmas={lemma: [{z: var}]}))


def _subst_unrelated():
    reg = Registry()
    pyth_y = mk("lemma.pyth-y", Eq(sin(y) ** 2 + cos(y) ** 2, 1), reg)
    start = sin(x) ** 2 + cos(x) ** 2 + x**2 + 1
    return mk("wrong.substitute-unrelated", Eq(start, x**2 + 2), reg,
              proof=chain(start).substitute(pyth_y))


def _subst_related():
    reg = Registry()
    pyth_x = mk("lemma.pyth-x", Eq(sin(x) ** 2 + cos(x) ** 2, 1), reg)
    start = sin(x) ** 2 + cos(x) ** 2 + x**2 + 1
    return mk("right.substitute", Eq(start, x**2 + 2), reg, proof=chain(start).substitute(pyth_x))


def _ineq_to_eq():
    reg = Registry()
    lemma = _inequality_lemma(reg)
    return mk("wrong.inequality-read-as-equation", Eq(x**2, 0), reg,
              proof=chain(lemma).rewrite(Eq(x**2, 0)), given=Ge(x**2, 0))


def _ineq_rearranged():
    reg = Registry()
    lemma = _inequality_lemma(reg)
    return mk("wrong.rearrange-flips-inequality", Eq(0, x**2), reg,
              proof=chain(lemma).rearrange(Ge(0, x**2)), given=Ge(x**2, 0))


def _eq_multiplied():
    reg = Registry()
    lemma = _expansion_lemma(reg)
    return mk("right.multiply-equation", Eq(2 * (x + 1) ** 2, 2 * x**2 + 4 * x + 2), reg,
              proof=chain(lemma).multiply_both_sides(2))


def _eq_rearranged(rhs, cid):
    reg = Registry()
    lemma = _expansion_lemma(reg)
    return mk(cid, Eq((x + 1) ** 2 - x**2, rhs), reg,
              proof=chain(lemma).rearrange(Eq((x + 1) ** 2 - x**2, rhs)))


def _quadratic(var, poly, root, cid):
    return mk(cid, Eq(var, root), proof=chain(poly).set_to_zero().take_root(var, root),
              given=Eq(poly, 0))


CASES = [
    # --- identities: sign, constant, exponent -------------------------------------------
    Case("identity-flipped-sign",
         lambda: mk("wrong.flipped-sign", Eq((x + 1) ** 2, x**2 - 2 * x + 1)),
         lambda: mk("right.flipped-sign", Eq((x + 1) ** 2, x**2 + 2 * x + 1)), POINT),
    Case("identity-wrong-constant",
         lambda: mk("wrong.constant", Eq((x + 1) ** 2, x**2 + 2 * x + 2)),
         lambda: mk("right.constant", Eq((x + 1) ** 2, x**2 + 2 * x + 1)), POINT),
    Case("identity-wrong-exponent",
         lambda: mk("wrong.exponent", Eq((xp**2) ** 3 * yp, xp**5 * yp)),
         lambda: mk("right.exponent", Eq((xp**2) ** 3 * yp, xp**6 * yp)), POINT),
    Case("trig-wrong-double-angle",
         lambda: mk("wrong.double-angle", Eq(sin(2 * x), 2 * sin(x))),
         lambda: mk("right.double-angle", Eq(sin(2 * x), 2 * sin(x) * cos(x))), POINT),
    Case("exp-of-sum-is-not-a-sum",
         lambda: mk("wrong.exp-sum", Eq(exp(x + y), exp(x) + exp(y))),
         lambda: mk("right.exp-sum", Eq(exp(x + y), exp(x) * exp(y))), POINT),
    Case("log-of-sum-is-not-a-sum",
         lambda: mk("wrong.log-sum", Eq(log(xp + yp), log(xp) + log(yp))),
         lambda: mk("right.log-sum", Eq(log(xp * yp), log(xp) + log(yp))), POINT),
    Case("max-with-wrong-sign-of-abs",
         lambda: mk("wrong.max-abs", Eq(Max(x, y), (x + y - Abs(x - y)) / 2)),
         lambda: mk("right.max-abs", Eq(Max(x, y), (x + y + Abs(x - y)) / 2)), POINT),
    Case("rationalised-radical-wrong-sign",
         lambda: mk("wrong.rationalise", Eq(1 / (sqrt(xp) + sqrt(yp)),
                                            (sqrt(xp) + sqrt(yp)) / (xp - yp)),
                    conditions=[sp.Ne(xp, yp)]),
         lambda: mk("right.rationalise", Eq(1 / (sqrt(xp) + sqrt(yp)),
                                            (sqrt(xp) - sqrt(yp)) / (xp - yp)),
                    conditions=[sp.Ne(xp, yp)]), POINT),
    Case("nested-radical-wrong-sign",
         lambda: mk("wrong.nested-radical", Eq(sqrt(3 + 2 * sqrt(2)), sqrt(2) - 1)),
         lambda: mk("right.nested-radical", Eq(sqrt(3 + 2 * sqrt(2)), sqrt(2) + 1)), POINT),
    # --- group sizes and sums ---------------------------------------------------------
    Case("centred-sum-with-G-minus-1-small-groups",
         lambda: mk("wrong.centred-G-1-small", Eq(Sum(r[j] - group_mean(G - 1), (j, 1, G)), 0),
                    domains={G: SMALL_GROUPS}),
         lambda: mk("right.centred-G-small", Eq(Sum(r[j] - group_mean(G), (j, 1, G)), 0),
                    domains={G: SMALL_GROUPS}), POINT),
    Case("centred-sum-with-G-minus-1-symbolic-G",
         lambda: mk("wrong.centred-G-1", Eq(Sum(r[j] - group_mean(G - 1), (j, 1, G)), 0)),
         lambda: mk("right.centred-G", Eq(Sum(r[j] - group_mean(G), (j, 1, G)), 0)), POINT),
    Case("gauss-sum-with-G-minus-1",
         lambda: mk("wrong.gauss", Eq(Sum(j, (j, 1, G)), (G - 1) * G / 2),
                    domains={G: SMALL_GROUPS}),
         lambda: mk("right.gauss", Eq(Sum(j, (j, 1, G)), (G + 1) * G / 2),
                    domains={G: SMALL_GROUPS}), POINT),
    Case("power-sum-wrong-denominator",
         lambda: mk("wrong.power-sum", Eq(Sum(k**2, (k, 1, n)), n * (n + 1) * (2 * n + 1) / 3)),
         lambda: mk("right.power-sum", Eq(Sum(k**2, (k, 1, n)), n * (n + 1) * (2 * n + 1) / 6)),
         POINT),
    Case("pairwise-double-sum-missing-factor",
         lambda: mk("wrong.pairwise", Eq(pairwise_double_sum(),
                                         2 * G * Sum(r[j] ** 2, (j, 1, G))
                                         - Sum(r[j], (j, 1, G)) ** 2)),
         lambda: mk("right.pairwise", Eq(pairwise_double_sum(),
                                         2 * G * Sum(r[j] ** 2, (j, 1, G))
                                         - 2 * Sum(r[j], (j, 1, G)) ** 2)), POINT),
    Case("simplex-sum-of-squares-is-not-one",
         lambda: mk("wrong.simplex", Eq(p1**2 + p2**2, 1), conditions=[OnSimplex([p1, p2])]),
         lambda: mk("right.simplex", Eq(p1 * p2 + p2**2, p2), conditions=[OnSimplex([p1, p2])]),
         POINT),
    # --- dropped assumptions (the domain drops them) -------------------------------------
    Case("dropped-positivity-sqrt-of-square",
         lambda: mk("wrong.sqrt-square", Eq(sqrt(x**2), x)),
         lambda: mk("right.sqrt-square", Eq(sqrt(xp**2), xp)), POINT),
    Case("dropped-positivity-sqrt-of-product",
         lambda: mk("wrong.sqrt-product", Eq(sqrt(x * y), sqrt(x) * sqrt(y))),
         lambda: mk("right.sqrt-product", Eq(sqrt(xp * yp), sqrt(xp) * sqrt(yp))), POINT),
    # Both logs are complex for negative arguments: the engine refutes through a proof
    # obligation and shows no counterexample point (see the report).
    Case("dropped-positivity-log-of-product",
         lambda: mk("wrong.log-product", Eq(log(xneg * yneg), log(xneg) + log(yneg))),
         lambda: mk("right.log-product", Eq(log(xp * yp), log(xp) + log(yp))), NUMERIC),
    # the positive-parametrisation rewrite must not split radicals/logs of a symbol that
    # takes both signs on its (open) interval
    Case("dropped-positivity-on-an-interval-straddling-0",
         lambda: mk("wrong.sqrt-square-straddle", Eq(sqrt(a11**2), a11)),
         lambda: mk("right.sqrt-square-straddle",
                    Eq(sqrt((1 - a11) ** 2 * (1 + a11)), (1 - a11) * sqrt(1 + a11))), POINT),
    Case("dropped-positivity-log-of-square",
         lambda: mk("wrong.log-square", Eq(log(c_gt_m2**2), 2 * log(c_gt_m2))),
         lambda: mk("right.log-square", Eq(log((c_gt_m2 + 2) ** 2), 2 * log(c_gt_m2 + 2))),
         NUMERIC),
    Case("dropped-positivity-abs",
         lambda: mk("wrong.abs", Eq(Abs(x), x)),
         lambda: mk("right.abs", Eq(Abs(x) ** 2, x**2)), POINT),
    Case("dropped-parity",
         lambda: mk("wrong.parity", Eq((-1) ** n, 1)),
         lambda: mk("right.parity", Eq((-1) ** n * (-1) ** n, 1)), POINT),
    # sign(0) = 0: false only at the closed end of [0, oo), which DESIGN.md says is sampled
    Case("closed-end-sign",
         lambda: mk("wrong.sign-closed", Eq(sign(xn), 1)),
         lambda: mk("right.sign-open", Eq(sign(xp), 1)), POINT),
    # --- limits -------------------------------------------------------------------------
    Case("limit-wrong-value",
         lambda: mk("wrong.limit-sinc", Eq(Limit(sin(x) / x, x, 0), 2)),
         lambda: mk("right.limit-sinc", Eq(Limit(sin(x) / x, x, 0), 1)), NUMERIC),
    Case("limit-wrong-constant-for-e",
         lambda: mk("wrong.limit-e", Eq(Limit((1 + 1 / n) ** n, n, oo), 3)),
         lambda: mk("right.limit-e", Eq(Limit((1 + 1 / n) ** n, n, oo), sp.E)), NUMERIC),
    Case("limit-wrong-side",
         lambda: mk("wrong.limit-side", Eq(Limit(Abs(x) / x, x, 0, "-"), 1)),
         lambda: mk("right.limit-side", Eq(Limit(Abs(x) / x, x, 0, "-"), -1)), NUMERIC),
    # --- certificates -------------------------------------------------------------------
    Case("false-inequality-true-looking-certificate",
         lambda: mk("wrong.cert-false", Ge(x**2, 2 * x), proof=Certificate((x - 1) ** 2)),
         lambda: mk("right.cert-false", Ge(x**2 + 1, 2 * x), proof=Certificate((x - 1) ** 2)),
         POINT),
    Case("certificate-equal-but-not-visibly-nonnegative",
         # x^2 - x + 1 > 0 (no real root), but it is irreducible over Q: nothing visible
         lambda: mk("wrong.cert-invisible", Ge(x**2 + 1, x),
                    proof=Certificate(x**2 - x + 1)),
         lambda: mk("right.cert-invisible", Ge(x**2 + 1, x),
                    proof=Certificate((x - Rational(1, 2)) ** 2 + Rational(3, 4))),
         NONE),
    Case("strict-inequality-that-holds-only-non-strictly",
         lambda: mk("wrong.strict", Gt(x**2 + 1, 2 * x), proof=Certificate((x - 1) ** 2)),
         lambda: mk("right.strict", Gt(x**2 + 2, 2 * x), proof=Certificate((x - 1) ** 2 + 1)),
         NONE),
    Case("strict-inequality-at-a-closed-end",
         lambda: mk("wrong.strict-closed", Gt(u_closed, 0), proof=Certificate(u_closed)),
         lambda: mk("right.strict-closed", Gt(u_lopen, 0), proof=Certificate(u_lopen)), NONE),
    Case("linear-certificate-beyond-the-domain",
         lambda: mk("wrong.linear", Ge(1, q2), proof=Certificate(1 - q2)),
         lambda: mk("right.linear", Ge(1, u_lopen), proof=Certificate(1 - u_lopen)), POINT),
    Case("max-certificate-of-a-false-bound",
         lambda: mk("wrong.max-cert", Ge(Max(x, y), x + y), proof=Certificate(Max(0, y - x) - y)),
         lambda: mk("right.max-cert", Ge(Max(x, y), x), proof=Certificate(Max(0, y - x))), POINT),
    Case("tiny-negative-float-certificate",
         lambda: mk("wrong.float-cert", Ge(xp, xp + Float(1e-40)), proof=Certificate(Float(-1e-40))),
         lambda: mk("right.float-cert", Ge(xp + Rational(1, 10**40), xp),
                    proof=Certificate(Rational(1, 10**40))), POINT),
    Case("lemma-applied-outside-its-domain",
         lambda: _lemma_use(x, "wrong.lemma-domain"),
         lambda: _lemma_use(xp, "right.lemma-domain"), POINT),
    Case("identity-proof-for-an-inequality",
         lambda: mk("wrong.identity-ineq", Ge(x, x + 1), proof=Identity()),
         lambda: mk("right.identity-ineq", Ge(x + 1, x), proof=Certificate(1)), POINT),
    # --- minima -------------------------------------------------------------------------
    Case("minimum-at-the-wrong-point",
         lambda: mk("wrong.min-point", Ge(xp - 1 - log(xp), 0),
                    proof=MinimumAt(xp, 2, (xp - 1) * (xp - 2) / xp)),
         lambda: mk("right.min-point", Ge(xp - 1 - log(xp), 0),
                    proof=MinimumAt(xp, 1, (xp - 1) ** 2 / xp)), NONE),
    Case("minimum-of-a-false-bound",
         lambda: mk("wrong.min-false", Ge((x - 1) ** 2 - 4, 0),
                    proof=MinimumAt(x, 3, 2 * (x - 1) * (x - 3))),
         lambda: mk("right.min-false", Ge((x - 1) ** 2, 0),
                    proof=MinimumAt(x, 1, 2 * (x - 1) ** 2)), POINT),
    # false on all of (2.9, 3.1), an interval the sampler on the reals almost never hits
    Case("bound-false-on-a-short-interval",
         lambda: mk("wrong.bound-near-three", Ge((x - 3) ** 2 - Rational(1, 100), 0),
                    proof=MinimumAt(x, 0, 2 * x * (x - 3))),
         lambda: mk("right.bound-near-three", Ge((x - 3) ** 2, 0),
                    proof=MinimumAt(x, 3, 2 * (x - 3) ** 2)), POINT,
         bug="known limit of sampling (not of proof): half the real samples are uniform on "
             "(-10, 10), half log-uniform over 25 decades, so an interval of width 0.2 is hit "
             "with p ~ 0.5% per point and a bound false only there can pass the numeric backup; "
             "the symbolic layer still never proves it"),
    Case("minimum-across-a-pole",
         lambda: mk("wrong.min-pole", Ge(2 - 1 / x_ge_m1, 0),
                    proof=MinimumAt(x_ge_m1, -1, (x_ge_m1 + 1) / x_ge_m1**2)),
         lambda: mk("right.min-pole", Ge(2 - 1 / x_ge_1, 0),
                    proof=MinimumAt(x_ge_1, 1, (x_ge_1 - 1) / x_ge_1**2)), POINT),
    # --- chains -------------------------------------------------------------------------
    Case("chain-wrong-derivative-step",
         lambda: mk("wrong.derivative", Eq(sp.Derivative(x**3, x), 2 * x**2),
                    proof=chain(x**3).differentiate(x, result=2 * x**2)),
         lambda: mk("right.derivative", Eq(sp.Derivative(x**3, x), 3 * x**2),
                    proof=chain(x**3).differentiate(x, result=3 * x**2)), NONE),
    Case("chain-divide-by-a-factor-that-can-be-zero",
         lambda: mk("wrong.divide-zero", Eq(x - 1, 0), given=Eq(x**2 - x, 0),
                    proof=chain(x**2 - x).set_to_zero().divide_both_sides(x)),
         lambda: mk("right.divide-zero", Eq(xp - 1, 0), given=Eq(xp**2 - xp, 0),
                    proof=chain(xp**2 - xp).set_to_zero().divide_both_sides(xp)), NONE),
    # true (multiplying a premise forward), but the rule demands a non-zero factor
    Case("chain-multiply-by-a-factor-that-can-be-zero",
         lambda: mk("wrong.multiply-by-zero", Eq((w02 - 1) * (w02 - 2), 0), given=Eq(w02 - 2, 0),
                    proof=chain(w02 - 2).set_to_zero().multiply_both_sides(w02 - 1)),
         lambda: mk("right.multiply-by-zero", Eq((w12 - 1) * (w12 - 2), 0), given=Eq(w12 - 2, 0),
                    proof=chain(w12 - 2).set_to_zero().multiply_both_sides(w12 - 1)), NONE),
    Case("chain-multiply-by-the-inverse-of-a-factor-that-can-vanish",
         lambda: mk("wrong.multiply-zero", Eq(w02 - 2, 0), given=Eq((w02 - 1) * (w02 - 2), 0),
                    proof=chain((w02 - 1) * (w02 - 2)).set_to_zero()
                    .multiply_both_sides(1 / (w02 - 1), result=Eq(w02 - 2, 0))),
         lambda: mk("right.multiply-zero", Eq(w12 - 2, 0), given=Eq((w12 - 1) * (w12 - 2), 0),
                    proof=chain((w12 - 1) * (w12 - 2)).set_to_zero()
                    .multiply_both_sides(1 / (w12 - 1), result=Eq(w12 - 2, 0))), NONE),
    Case("take-root-the-smaller-root",
         lambda: _quadratic(xn, xn**2 - xn - c_pos, (1 - sqrt(1 + 4 * c_pos)) / 2,
                            "wrong.root-smaller"),
         lambda: _quadratic(xn, xn**2 - xn - c_pos, (1 + sqrt(1 + 4 * c_pos)) / 2,
                            "right.root-smaller"), NONE),
    Case("take-root-when-both-roots-are-positive",
         lambda: _quadratic(xn, xn**2 - 3 * xn + 2, 2, "wrong.root-both-positive"),
         lambda: _quadratic(xn, xn**2 - xn - 2, 2, "right.root-both-positive"), NONE),
    Case("take-root-of-a-variable-that-may-be-negative",
         lambda: _quadratic(x, x**2 - 1, 1, "wrong.root-real-variable"),
         lambda: _quadratic(xn, xn**2 - 1, 1, "right.root-real-variable"), NONE),
    Case("take-root-with-a-zero-root",
         lambda: _quadratic(xn, xn**2 - xn, 1, "wrong.root-zero-root"),
         lambda: _quadratic(xp, xp**2 - xp, 1, "right.root-zero-root"), NONE),
    Case("chain-ends-in-a-different-statement",
         lambda: mk("wrong.chain-end", Eq(x * (x + 1), x**2 + 2 * x),
                    proof=chain(x * (x + 1)).expand()),
         lambda: mk("right.chain-end", Eq(x * (x + 1), x**2 + x),
                    proof=chain(x * (x + 1)).expand()), POINT),
    Case("chain-rearrange-with-a-sign-error",
         lambda: _eq_rearranged(2 * x - 1, "wrong.rearrange-sign"),
         lambda: _eq_rearranged(2 * x + 1, "right.rearrange-sign"), POINT),
    Case("chain-substitutes-an-unrelated-claim",
         _subst_unrelated, _subst_related, NONE),
    Case("chain-premise-is-not-the-stated-given",
         lambda: mk("wrong.given", Eq(2 * x - 2, 0), given=Ge(x, 0),
                    proof=chain(x - 1).set_to_zero().multiply_both_sides(2)),
         lambda: mk("right.given", Eq(2 * x - 2, 0), given=Eq(x - 1, 0),
                    proof=chain(x - 1).set_to_zero().multiply_both_sides(2)), NONE),
    Case("chain-reads-an-inequality-as-an-equation",
         _ineq_to_eq, _eq_multiplied, NONE),
    Case("chain-rearrange-flips-an-inequality",
         _ineq_rearranged, lambda: _eq_rearranged(2 * x + 1, "right.rearrange-eq"), NONE),
    # --- witnesses ----------------------------------------------------------------------
    Case("witness-that-is-not-a-counterexample",
         lambda: mk("wrong.witness", Eq((x + 1) ** 2, x**2 + 2 * x + 1), expected="refuted",
                    proof=Witness({x: 3})),
         lambda: mk("right.witness", Eq(x**2, x), expected="refuted", proof=Witness({x: 2})),
         NONE),
    Case("witness-outside-the-domain",
         lambda: mk("wrong.witness-domain", Ge(x_ge_1**2, x_ge_1), expected="refuted",
                    proof=Witness({x_ge_1: Rational(1, 2)})),
         lambda: mk("right.witness-domain", Ge(xp**2, xp), expected="refuted",
                    proof=Witness({xp: Rational(1, 2)})), NONE),
    Case("exists-with-a-non-witness",
         lambda: mk("wrong.exists", Eq(xp**2, 2), quantifier="exists", proof=Witness({xp: 1})),
         lambda: mk("right.exists", Eq(xp**2, 2), quantifier="exists",
                    proof=Witness({xp: sqrt(2)})), NONE),
    Case("exists-with-a-witness-outside-the-domain",
         lambda: mk("wrong.exists-domain", Eq(xp**2, 2), quantifier="exists",
                    proof=Witness({xp: -sqrt(2)})),
         lambda: mk("right.exists-domain", Eq(xp**2, 2), quantifier="exists",
                    proof=Witness({xp: sqrt(2)})), NONE),
    # --- sums over a symbolic number of outputs (delta sums, symmetrised double sums) ------
    Case("coordinate-gradient-without-the-range-condition",
         lambda: mk("wrong.delta-range", Eq(sp.Derivative(Sum(fam[a_] ** 2, (a_, 1, K_out)),
                                                          fam[m_out]), 2 * fam[m_out])),
         lambda: mk("right.delta-range", Eq(sp.Derivative(Sum(fam[a_] ** 2, (a_, 1, K_out)),
                                                          fam[m_out]), 2 * fam[m_out]),
                    conditions=[sp.Le(m_out, K_out)]), POINT),
    Case("coordinate-gradient-of-a-sum-that-skips-the-first-output",
         lambda: mk("wrong.delta-shifted", Eq(sp.Derivative(Sum(fam[a_] ** 2, (a_, 2, K_out)),
                                                            fam[m_out]), 2 * fam[m_out]),
                    conditions=[sp.Le(m_out, K_out)]),
         lambda: mk("right.delta-shifted", Eq(sp.Derivative(Sum(fam[a_] ** 2, (a_, 2, K_out)),
                                                            fam[m_out]), 2 * fam[m_out]),
                    conditions=[sp.Le(m_out, K_out), sp.Ge(m_out, 2)]), POINT),
    Case("double-sum-of-a-symmetric-summand-is-not-zero",
         lambda: mk("wrong.symmetric-double-sum",
                    Eq(Sum(fam[a_] * Sum(fam[b_] * (M2[a_, b_] + M2[b_, a_]), (b_, 1, K_out)),
                           (a_, 1, K_out)), 0)),
         lambda: mk("right.antisymmetric-double-sum",
                    Eq(Sum(fam[a_] * Sum(fam[b_] * (M2[a_, b_] - M2[b_, a_]), (b_, 1, K_out)),
                           (a_, 1, K_out)), 0)), POINT),
    Case("double-sum-over-two-different-ranges-is-not-mirrored",
         lambda: mk("wrong.mirror-ranges",
                    Eq(Sum(fam[a_] * Sum(fam[b_] * (M2[a_, b_] - M2[b_, a_]),
                                         (b_, 1, K_out - 1)), (a_, 1, K_out)), 0)),
         lambda: mk("right.mirror-ranges",
                    Eq(Sum(fam[a_] * Sum(fam[b_] * (M2[a_, b_] - M2[b_, a_]),
                                         (b_, 1, K_out)), (a_, 1, K_out)), 0)), POINT),
    Case("family-specialised-inside-a-derivative",
         _family_specialised_in_derivative,
         lambda: mk("right.family-subs", Eq(sp.Subs(sp.Derivative(_kl0_like(fam_old),
                                                                  fam[m_out]), fam_old, fam),
                                            -1 / fam[m_out] + 1),
                    conditions=[sp.Le(m_out, K_out)]), NONE),
    Case("sympy-subs-doit-value-of-an-on-policy-gradient",
         # SymPy's Subs.doit substitutes the family before differentiating: its value here
         # is the derivative of sum fam (1/fam + log fam), which is 0
         lambda: mk("wrong.subs-doit", Eq(sp.Subs(sp.Derivative(_kl0_like(fam_old), fam[m_out]),
                                                  fam_old, fam), 0),
                    conditions=[sp.Le(m_out, K_out)]),
         lambda: mk("right.subs-doit", Eq(sp.Subs(sp.Derivative(_kl0_like(fam_old),
                                                                fam[m_out]), fam_old, fam),
                                          1 - 1 / fam[m_out]),
                    conditions=[sp.Le(m_out, K_out)]), POINT),
    Case("sum-over-a-reversed-range-counted-non-negative",
         lambda: mk("wrong.karr", Ge(Sum(1, (a_, 1, n - 3)), 0),
                    proof=Certificate(Sum(1, (a_, 1, n - 3)))),
         lambda: mk("right.karr", Ge(Sum(1, (a_, 1, n)), 0),
                    proof=Certificate(Sum(1, (a_, 1, n)))), NONE),
    Case("claim-instantiated-outside-its-family-domain",
         lambda: _instantiated(lambda x: -1 - vreal[x] ** 2, "wrong.instance-domain"),
         # the wrong statement takes the log of a negative number: undefined, not sampled
         lambda: _instantiated(lambda x: 1 + vreal[x] ** 2, "right.instance-domain"), NONE),
    Case("claim-with-a-condition-instantiated",
         lambda: _instantiated(lambda x: 1 + vreal[x] ** 2, "wrong.instance-condition",
                               conditions=[sp.Le(a_, K_out)]),
         lambda: _instantiated(lambda x: 2 + vreal[x] ** 2, "right.instance-condition"), NONE),
    Case("piecewise-branch-taken-without-its-condition",
         lambda: mk("wrong.branch", Eq(sp.Piecewise((0, x > 0), (1, True)), 0)),
         lambda: mk("right.branch", Eq(sp.Piecewise((0, x > 0), (1, True)), 0),
                    conditions=[sp.Gt(x, 0)]), POINT),
    # a sum over 1..n reindexed by a permutation of 1..n (kernel.permuted_sums)
    Case("permuted-sum-over-a-partial-range",
         lambda: mk("wrong.perm-partial", Eq(Sum(r[_sig(a_)], (a_, 1, n - 1)),
                                              Sum(r[a_], (a_, 1, n - 1))),
                    conditions=[Ge(n, 3)]),
         lambda: mk("right.perm-partial", Eq(Sum(r[_sig(a_)], (a_, 1, n)), Sum(r[a_], (a_, 1, n)))),
         NONE),
    Case("permuted-sum-whose-index-also-enters-outside-sigma",
         lambda: mk("wrong.perm-outside", Eq(Sum(a_ * r[_sig(a_)], (a_, 1, n)),
                                             Sum(a_ * r[a_], (a_, 1, n)))),
         lambda: mk("right.perm-outside", Eq(Sum(r[_sig(a_)] ** 2, (a_, 1, n)),
                                             Sum(r[a_] ** 2, (a_, 1, n)))), POINT),
    Case("permutation-of-another-range",
         lambda: mk("wrong.perm-size", Eq(Sum(r[_sig(a_, n + 1)], (a_, 1, n)),
                                          Sum(r[a_], (a_, 1, n)))),
         lambda: mk("right.perm-size", Eq(Sum(r[_sig(a_, n + 1)], (a_, 1, n + 1)),
                                          Sum(r[a_], (a_, 1, n + 1)))), POINT),
    Case("permuted-term-outside-a-sum",
         lambda: mk("wrong.perm-term", Eq(r[_sig(n)] - Sum(r[_sig(a_)], (a_, 1, n)) / n,
                                          r[n] - Sum(r[a_], (a_, 1, n)) / n)),
         lambda: mk("right.perm-term", Eq(r[_sig(n)] - Sum(r[_sig(a_)], (a_, 1, n)) / n,
                                          r[_sig(n)] - Sum(r[a_], (a_, 1, n)) / n)), POINT),
    # the sign of a sum the delta rule carries out (kernel._nonneg on a Sum)
    Case("delta-sum-positive-with-its-point-out-of-range",
         lambda: mk("wrong.delta-sign", Gt(_delta_sum(n + 1), 0),
                    proof=Certificate(_delta_sum(n + 1))),
         lambda: mk("right.delta-sign", Gt(_delta_sum(1), 0), proof=Certificate(_delta_sum(1))),
         POINT),
    # terms over one radical denominator (kernel._sums, the together step)
    Case("radical-terms-over-one-denominator",
         lambda: mk("wrong.together", Eq(-G / sqrt(G - 1) + sqrt(G - 1) + 2 / sqrt(G - 1), 0)),
         lambda: mk("right.together", Eq(-G / sqrt(G - 1) + sqrt(G - 1) + 1 / sqrt(G - 1), 0)),
         POINT),
    # a quantified symbol of a lemma instantiated at a value (proofs.instance_problem)
    Case("lemma-symbol-instantiated-outside-its-domain",
         lambda: _symbol_instance(n, "wrong.symbol-instance"),
         lambda: _symbol_instance(n_ge4, "right.symbol-instance"), POINT),
    # a sum split where its summand changes, [i <= t] (binomial.split_at_threshold)
    Case("threshold-split-past-the-end-of-the-range",
         # t may exceed n: then the sum is 2 n, not n + t
         lambda: mk("wrong.split-past-end", Eq(Sum(1 + AtMost(a_, t_cut), (a_, 1, n)), n + t_cut)),
         lambda: mk("right.split-past-end", Eq(Sum(1 + AtMost(a_, t_cut), (a_, 1, n)), n + t_cut),
                    conditions=[sp.Le(t_cut, n)]), POINT),
    Case("threshold-split-off-by-one",
         lambda: mk("wrong.split-off-by-one", Eq(Sum(r[a_] * AtMost(a_, t_cut),
                                                     (a_, 1, t_cut + m_rest)),
                                                 Sum(r[a_], (a_, 1, t_cut + 1)))),
         lambda: mk("right.split-off-by-one", Eq(Sum(r[a_] * AtMost(a_, t_cut),
                                                     (a_, 1, t_cut + m_rest)),
                                                 Sum(r[a_], (a_, 1, t_cut)))), POINT),
    Case("two-level-variance-with-a-dropped-square",
         lambda: mk("wrong.two-level-variance", Eq(_two_level_variance(c_top, m_rest),
                                                   c_top * m_rest * (x - y) ** 2 / (c_top + m_rest))),
         lambda: mk("right.two-level-variance", Eq(_two_level_variance(c_top, m_rest),
                                                   c_top * m_rest * (x - y) ** 2
                                                   / (c_top + m_rest) ** 2)), POINT),
    Case("two-level-squares-divided-by-the-size-twice",
         lambda: mk("wrong.two-level-squares",
                    Eq(_two_level_variance(c_top, m_rest) * (c_top + m_rest),
                       c_top * m_rest * (x - y) ** 2 / (c_top + m_rest) ** 2)),
         lambda: mk("right.two-level-squares",
                    Eq(_two_level_variance(c_top, m_rest) * (c_top + m_rest),
                       c_top * m_rest * (x - y) ** 2 / (c_top + m_rest))), POINT),
    # the sign of a linear expression in an integer size from its declared domain G >= 2
    # (kernel._linear_atom_sign): G - 1 >= 1 > 0, but G - 2 vanishes at G = 2
    Case("size-sign-from-its-domain",
         lambda: mk("wrong.size-sign", Gt(G - 2, 0), proof=Certificate(G - 2)),
         lambda: mk("right.size-sign", Gt(G - 1, 0), proof=Certificate(G - 1)), POINT),
    # the Bessel factor sqrt(G/(G - 1)) of x2.bessel.effective-beta, and one undefined at G = 2
    Case("multiply-by-a-size-factor-undefined-at-the-smallest-size",
         lambda: _size_factor(G - 2, "wrong.size-factor"),
         lambda: _size_factor(G - 1, "right.size-factor"), NONE),
    # a derivative of a binomial sum over a symbolic range, carried out term by term, the sum
    # kept (kernel.held_sums)
    Case("derivative-of-a-binomial-sum-drops-a-product-rule-term",
         lambda: mk("wrong.binomial-derivative",
                    Eq(sp.Derivative(_binomial_law(), prob), Sum(
                        sp.binomial(G, kk) * kk * prob**(kk - 1) * (1 - prob)**(G - kk)
                        * _radical_coefficient(kk), (kk, 0, G)))),
         lambda: mk("right.binomial-derivative",
                    Eq(sp.Derivative(_binomial_law(), prob),
                       Sum(_binomial_law().function.diff(prob), (kk, 0, G)))), POINT),
    # --- the intermediate value theorem: each false root statement below has a sign change
    # --- of F or a proof of one, and no root
    Case("root-of-a-function-with-a-pole",        # 1/(x - 1/2): -2 at 0, 2 at 1, never 0
         lambda: _root("wrong.ivt-pole", Eq(1 / (x_ivt - HALF), 0)),
         lambda: _root("right.ivt-pole", Eq(x_ivt - HALF, 0)), NONE),
    Case("root-with-a-pole-at-a-parameter",       # 1/(x - c), c in (0, 1)
         lambda: _root("wrong.ivt-pole-c", Eq(1 / (x_ivt - c_ivt), 0)),
         lambda: _root("right.ivt-pole-c", Eq(x_ivt - c_ivt, 0)), NONE),
    Case("root-of-a-step",                         # sign(x - 1/2) jumps over 0
         lambda: _root("wrong.ivt-step", Eq(sign(x_ivt - HALF), 0)),
         lambda: _root("right.ivt-step", Eq(sin(x_ivt - HALF), 0)), NONE),
    Case("root-from-ends-of-the-same-sign",        # x^2 - 2 < 0 at both ends
         lambda: _root("wrong.ivt-same-sign", Eq(x_ivt**2 - 2, 0)),
         lambda: _root("right.ivt-same-sign", Eq(x_ivt**2 - HALF, 0)), NONE),
    Case("root-with-a-sign-proved-at-one-end-only",  # 1 - c at x = 1, c > 0 of either sign
         lambda: _root("wrong.ivt-one-end", Eq(x_ivt - c_pos, 0)),
         lambda: _root("right.ivt-one-end", Eq(x_ivt - c_pos, 0), conditions=[Lt(c_pos, 1)]),
         NONE),
    Case("root-with-an-end-outside-the-domain",    # sqrt(x^2) is x only for x > 0
         lambda: _root("wrong.ivt-outside", Eq(sqrt(x_ivt**2) + HALF, 0), Interval.open(-1, 1)),
         lambda: _root("right.ivt-outside", Eq(sqrt(x_ivt**2) - HALF, 0)), NONE),
    Case("root-with-a-non-strict-sign-at-an-end",  # x^2 = 0 only at the end 0
         lambda: _root("wrong.ivt-non-strict", Eq(x_ivt**2, 0)),
         lambda: _root("right.ivt-non-strict", Eq(x_ivt**2, Rational(1, 4))), NONE),
    Case("root-of-F-where-the-equation-is-undefined",  # (x^2 - 1/4)/(x - 1/2) = 1 only at 1/2
         lambda: _root("wrong.ivt-removable", Eq((x_ivt**2 - Rational(1, 4)) / (x_ivt - HALF), 1),
                       proof_options={"function": x_ivt - HALF}),
         lambda: _root("right.ivt-removable", Eq(x_ivt**2 + HALF * x_ivt, x_ivt),
                       proof_options={"function": x_ivt - HALF, "factor": x_ivt}), NONE),
    Case("root-through-a-factor-with-a-pole",      # 1 = (x - 1/2)/(x - 1/2) where defined
         lambda: _root("wrong.ivt-factor", Eq(S.One, 0), proof_options={
             "function": x_ivt - HALF, "factor": 1 / (x_ivt - HALF)}),
         lambda: _root("right.ivt-factor", Eq(x_ivt**2 - HALF * x_ivt, 0), proof_options={
             "function": x_ivt - HALF, "factor": x_ivt}), NONE),
    Case("root-with-a-wrong-end-value",            # F(1) written as -1: it is 1/2
         lambda: _root("wrong.ivt-end-value", Eq(x_ivt**2 + HALF, 1),
                       proof_options={"upper": -1}),
         lambda: _root("right.ivt-end-value", Eq(x_ivt**2 + HALF, 1),
                       proof_options={"upper": HALF}), NONE),
    Case("root-threshold-at-the-wrong-place",      # the set is (0, 1), not (0, 2)
         lambda: _threshold("wrong.threshold-place", 2),
         lambda: _threshold("right.threshold-place", 1), NONE),
    Case("root-threshold-from-another-function",   # x - 2c < 0 says nothing of x = c
         lambda: _threshold("wrong.threshold-function", 1, lambda x, c: x - 2 * c),
         lambda: _threshold("right.threshold-function", 1, lambda x, c: x - c), NONE),
    Case("root-threshold-beyond-the-parameter-domain",   # the set is (0, 1), not (0, 2)
         lambda: _threshold_beyond_the_domain("wrong.threshold-beyond-domain", 2),
         lambda: _threshold("right.threshold-inside-domain", 1), NONE),
    Case("exists-with-a-witness-violating-a-condition",
         lambda: mk("wrong.exists-condition", Eq(xp**2, 2), quantifier="exists",
                    conditions=[Ge(xp, 2)], proof=Witness({xp: sqrt(2)})),
         lambda: mk("right.exists-condition", Eq(xp**2, 2), quantifier="exists",
                    conditions=[Ge(xp, 1)], proof=Witness({xp: sqrt(2)})), NONE),
]


def _param(case: Case, which: str):
    reason = case.bug if which == "wrong" else case.right_bug
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


def test_battery_is_large_and_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", [_param(c, "wrong") for c in CASES])
def test_wrong_claim_is_never_proved(case: Case):
    c = case.wrong()
    r = verify_claim(c)
    assert r.symbolic != Outcome.PROVED, r.detail
    assert r.symbolic in (Outcome.REFUTED, Outcome.UNPROVED)
    assert not (r.ok and r.expected == "holds"), r.detail
    assert not r.ok, (r.symbolic, r.detail)
    # the symbolic layer on its own must not have accepted it either
    assert "CONFLICT" not in r.detail, r.detail
    if case.cex == POINT:
        assert_counterexample_with_values(r, c)
    elif case.cex == NUMERIC:
        # a limit estimate is evidence, not a rigorous counterexample: it must not agree
        assert r.numeric != "agrees", r.numeric_detail


@pytest.mark.parametrize("case", [_param(c, "right") for c in CASES])
def test_corrected_twin_is_ok(case: Case):
    """Flip each wrong case into a right one: the engine must then succeed, so the
    assertions above are not satisfied by an engine that never proves anything."""
    c = case.right()
    r = verify_claim(c)
    assert r.ok, (r.symbolic, r.numeric, r.detail, r.numeric_detail)
    if r.expected == "holds":
        assert r.symbolic == Outcome.PROVED
        assert r.numeric == "agrees"
    else:
        assert r.symbolic == Outcome.REFUTED


def test_counterexample_check_is_meaningful():
    """The exact re-evaluation used above rejects a point where the claim holds."""
    stmt = Eq((x + 1) ** 2, x**2 + 2 * x + 2)
    assert _fails_exactly_at(stmt, {"t_w_x": "3/7"})
    assert not _fails_exactly_at(Eq((x + 1) ** 2, x**2 + 2 * x + 1), {"t_w_x": "3/7"})
    assert _full_precision("0.12345678901234567890123456789012345678901234567890")
    assert not _full_precision("0.1234567890123456")


def test_domain_override_may_only_restrict():
    """A per-claim domain wider than the declared one is refused at declaration: SymPy
    has already simplified with the declared domain's assumptions (sqrt(x**2) = x for
    x > 0), so a wider domain would be checked against a wrongly simplified statement."""
    with pytest.raises(ValueError, match="not within its declared domain"):
        mk("wrong.override-wider", Eq(sqrt(xp**2), xp), domains={xp: Interval(-1, 1)})
    r = verify_claim(mk("right.override-narrower", Eq(sqrt(xp**2), xp),
                        domains={xp: Interval.open(0, 1)}))
    assert r.ok


def test_sum_index_outside_its_range_is_refused():
    """A sum whose index is declared positive but whose range starts at 0: SymPy has
    already simplified the summand with the assumption (sign(j) -> 1, AtMost(j, 0) -> 0),
    so sum_{j=0}^{n} sign(j) would read n + 1 (it is n) and be proved.  Refused at
    declaration; the same sums over an index that respects its range are proved."""
    with pytest.raises(ValueError, match="declared positive"):
        mk("wrong.sum-positive-index-from-zero", Eq(Sum(sign(j), (j, 0, n)), n + 1))
    with pytest.raises(ValueError, match="declared positive"):
        mk("wrong.at-most-positive-index-from-zero", Eq(Sum(AtMost(j, 0), (j, 0, n)), 0))
    for right in (mk("right.sum-positive-index-from-one", Eq(Sum(sign(j), (j, 1, n)), n)),
                  mk("right.at-most-integer-index-from-zero",
                     Eq(Sum(AtMost(kk, 0), (kk, 0, n)), 1))):
        assert verify_claim(right).ok


k_cap = variable("t_w_kcap", Range(0, oo))      # a symbol that is also a lemma's sum index
n_cap = variable("t_w_ncap", Range(0, oo))
h_cap = indexed("t_w_hcap", S.Reals)


def _captured_instance(value, cid):
    """h(n) = sum_{k=0}^{n} h(n) [k = n] (true), used at h := Lambda(a, value): when value
    names the bound index k, the sum captures it and "k = n" would follow for a free k."""
    reg = Registry()
    lemma = mk("lemma.delta-sum", Eq(h_cap[n_cap], Sum(h_cap[n_cap] * sp.KroneckerDelta(
        k_cap, n_cap), (k_cap, 0, n_cap))), reg, proof=Axiom("the delta picks k = n"))
    after = Sum(value * sp.KroneckerDelta(k_cap, n_cap), (k_cap, 0, n_cap))
    return mk(cid, Eq(value, after), reg, proof=chain(value).substitute(
        lemma, "the delta", instance={h_cap: sp.Lambda(a_, value)}))


def test_an_instance_is_not_captured_by_a_bound_index():
    """An instance whose value names a variable bound in the lemma (a sum index) is
    refused: substituted into the sum it would be captured (s2.1.binary.count-law used with
    h := Lambda((a, b), k) proved E[k] = sum_k C(n, k) q^k (1-q)^(n-k) k, i.e. k = n q)."""
    wrong = verify_claim(_captured_instance(k_cap, "wrong.captured-instance"))
    assert wrong.symbolic != Outcome.PROVED, wrong.detail
    right = verify_claim(_captured_instance(xp, "right.free-instance"))
    assert right.symbolic == Outcome.PROVED, right.detail


z_cap = variable("t_w_zcap", Range(0, oo))


def test_a_lemma_atom_is_not_captured_by_a_bound_index():
    """The same capture through a certificate's lemma atom: z (n + 1) - sum_{k=0}^{n} z >= 0
    (it is 0) at z := k would read k (n + 1) - n (n + 1)/2 >= 0, false at k = 0, n = 1."""
    reg = Registry()
    lemma = mk("lemma.sum-of-a-constant",
               Ge(z_cap * (n_cap + 1) - Sum(z_cap, (k_cap, 0, n_cap)), 0), reg,
               proof=Certificate(S.Zero))

    def use(value, cid, statement):
        return verify_claim(mk(cid, statement, reg, proof=Certificate(
            lemma_instance(lemma, {z_cap: value}), lemmas={lemma: [{z_cap: value}]})))

    wrong = use(k_cap, "wrong.captured-lemma-atom",
                Ge(k_cap * (n_cap + 1) - n_cap * (n_cap + 1) / 2, 0))
    assert wrong.symbolic != Outcome.PROVED and "CONFLICT" not in wrong.detail, wrong.detail
    right = use(n_cap, "right.free-lemma-atom",
                Ge(n_cap * (n_cap + 1) - Sum(n_cap, (k_cap, 0, n_cap)), 0))
    assert right.symbolic == Outcome.PROVED, right.detail


def test_a_condition_ne_makes_positive_only_what_is_visibly_non_negative():
    """``e != 0`` (a condition) and ``e >= 0`` (visible) give ``e > 0``; the condition alone
    does not: x - 1/2 != 0 on (0, 1) leaves x - 1/2 of either sign.  (The kernel asks for the
    sign rules before this ratio test; both must still be met.)"""
    from grpo_sym.proof.kernel import Context, is_nonzero, is_positive
    x = variable("t_w_ne_x", Interval.open(0, 1))
    half = Rational(1, 2)
    ctx = Context().assuming(sp.Ne(x, half, evaluate=False))
    assert is_nonzero(x - half, ctx)              # by the condition
    assert not is_positive(x - half, ctx)         # of either sign
    assert not is_positive(half - x, ctx)
    squared = Context().assuming(sp.Ne((x - half)**2, 0, evaluate=False))
    assert is_positive((x - half)**2, squared)    # >= 0 visibly, != 0 by the condition
    assert not is_positive((x - half)**2, Context())
    # a large expression (the rule is asked before the sign rules there): still both
    y = variable("t_w_ne_y", Interval.open(0, 1))
    big = x * y**2 + x * y + x + y - Rational(1, 3)     # -1/3 near 0, 11/3 near (1, 1)
    assert not is_positive(big, Context().assuming(sp.Ne(big, 0, evaluate=False)))


def test_a_summand_is_not_non_zero_because_its_sum_is():
    """sum_j c_j != 0 says nothing of one c_j: the ratio test gives up on a summand (free
    in the sum's index) at once; it still reads a condition through a factor in a symbol
    the condition lacks: x != 0 gives x s^2 + x != 0."""
    from grpo_sym.proof.kernel import Context, is_nonzero
    j, N = sp.Symbol("t_w_nz_j", integer=True), variable("t_w_nz_N", Range(1, oo))
    c = indexed("t_w_nz_c", S.Reals)
    inside = Context().assuming(sp.Ne(Sum(c[j], (j, 1, N)), 0, evaluate=False)) \
        .inside_sum(j, 1, N)
    assert not is_nonzero(c[j], inside)
    assert not is_nonzero(c[j]**2, inside)
    s = variable("t_w_nz_s", S.Reals)
    assert is_nonzero(x * s**2 + x, Context().assuming(sp.Ne(x, 0, evaluate=False)))
