"""The numeric backup: every claim evaluated at 50 significant digits.

Points (exact rationals) are drawn per symbol from its domain: first a walk
through every edge value of every symbol (1e-30 from an open end, 1e-10,
the midpoint, 1e12 and 1e30 on half-lines, a closed end itself), then seeded
random values (uniform on bounded intervals; on unbounded ones uniform on a
width-10 stretch half the time, spread over 25 decades otherwise), filtered by
the claim's conditions; indexed families (r[1..G]) get values per point.  The
seed comes from the claim id, so two runs sample the same points.

Each point is decided by :func:`grpo_sym.proof.proofs._sign_at`: both sides
are evaluated by a tree evaluator (:mod:`grpo_sym.proof.mpeval`) at 2*dps
working digits while tracking the digits lost to cancellation; a difference
clearly below or above 10**-dps (relative) is decided there, otherwise the
working digits double until two levels agree, and exact SymPy arithmetic
decides what cancellation leaves open.  A counterexample is therefore
confirmed, and it carries its exact point.  The proof's obligations (what its
steps claim vanish) are evaluated too; a failing one means the proof is
wrong (``proof_failure``), not that the statement is.

>>> from sympy import Interval, oo, sqrt
>>> from grpo_sym.proof import Eq, variable, claim, Registry
>>> x = variable("x_numeric_demo", Interval.open(0, oo))
>>> c = claim("demo.sqrt", "", Eq(sqrt(x**2), x), registry=Registry())
>>> numeric_backup(c).outcome
'agrees'
"""
from __future__ import annotations

import functools
import hashlib
import random
from fractions import Fraction
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import mpmath
import sympy as sp

from .checks import Context
from .mpeval import Undefined, _number, mp_eval, write_out
from .domains import domain_of, is_finite_domain
from .proofs import _sign_at

__all__ = ["NumericResult", "numeric_backup", "sample_points", "DPS"]

DPS = 50
SAMPLES = 24


class NumericOutcome:
    AGREES = "agrees"
    COUNTEREXAMPLE = "counterexample"
    NONE = "none"


@dataclass
class NumericResult:
    outcome: str
    points: int = 0
    detail: str = ""
    counterexample: dict | None = None
    extra: list[str] = field(default_factory=list)
    proof_failure: str | None = None


def _seed(cid: str) -> int:
    return int.from_bytes(hashlib.sha256(cid.encode()).digest()[:8], "big")


def _edge_values(dom: sp.Set) -> list[sp.Expr]:
    tiny = sp.Rational(1, 10**30)
    if is_finite_domain(dom):
        return list(dom)[:12]
    if dom.is_subset(sp.S.Integers):
        lo = dom.inf  # small sizes: sums over a group are written out per point
        return [lo + k for k in (0, 1, 2, 6)]
    if not isinstance(dom, sp.Interval):
        return [sp.Integer(0), sp.Integer(1), sp.Integer(-1), tiny, -tiny, sp.Integer(10)**30]
    a, b = dom.start, dom.end
    vals: list[sp.Expr] = []
    if a.is_finite:
        vals += [a + tiny, a + sp.Rational(1, 10**10)] + ([] if dom.left_open else [a])
    if b.is_finite:
        vals += [b - tiny, b - sp.Rational(1, 10**10)] + ([] if dom.right_open else [b])
    if a.is_finite and b.is_finite:
        vals.append((a + b) / 2)
    if not b.is_finite:
        base = a if a.is_finite else 0
        vals += [base + 1, base + sp.Integer(10)**12, base + sp.Integer(10)**30]
    if not a.is_finite:
        base = b if b.is_finite else 0
        vals += [base - 1, base - sp.Integer(10)**12]
    return vals


@functools.lru_cache(maxsize=1024)
def _shape(dom: sp.Set) -> tuple:
    """('finite', sorted values, None) | ('integers', lowest, None) | ('interval', a, b)."""
    if is_finite_domain(dom):
        return "finite", tuple(sorted(dom)), None
    if dom.is_subset(sp.S.Integers):
        return "integers", dom.inf, None
    if isinstance(dom, sp.Interval):
        return "interval", dom.start, dom.end
    return "interval", -sp.oo, sp.oo


def _random_value(dom: sp.Set, rng: random.Random) -> sp.Expr:
    """A seeded value in ``dom``: uniform on bounded intervals; on half-lines and
    the reals, uniform on a width-10 stretch half the time and spread over 25
    decades otherwise.  Exact (a rational), computed with Python fractions."""
    kind, a, b = _shape(dom)
    if kind == "finite":
        return rng.choice(a)
    if kind == "integers":
        return a + rng.randrange(0, 7)
    u = Fraction(rng.randrange(1, 10**15), 10**15)
    if a.is_finite and b.is_finite and a.is_Rational and b.is_Rational:
        fa, fb = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
        return _rational(fa + (fb - fa) * u)
    if a.is_finite and b.is_finite:
        return a + (b - a) * sp.Rational(u.numerator, u.denominator)
    if rng.random() < 0.5:
        mag = 10 * u
    else:
        mag = Fraction(10) ** rng.randrange(-12, 13) * (1 + 9 * u)
    if a.is_finite:
        return a + _rational(mag) if not a.is_Rational else \
            _rational(Fraction(int(a.p), int(a.q)) + mag)
    if b.is_finite:
        return b - _rational(mag) if not b.is_Rational else \
            _rational(Fraction(int(b.p), int(b.q)) - mag)
    return _rational(mag if rng.random() < 0.5 else -mag)


def _rational(f: Fraction) -> sp.Rational:
    return sp.Rational(f.numerator, f.denominator)


def _simplex_point(n: int, rng: random.Random, edgy: bool) -> list[sp.Expr]:
    weights = [sp.Rational(rng.randrange(1, 10**9), 10**9) for _ in range(n)]
    if edgy:
        weights[rng.randrange(n)] *= sp.Rational(1, 10**25)
    total = sum(weights)
    return [w / total for w in weights]


def sample_points(c, count: int = SAMPLES) -> list[dict]:
    """Seeded sample points (exact rationals) in the claim's domain.

    Each point gives every free symbol a value and, where the claim speaks of
    an indexed family (``r[j]`` for j up to a sampled G), every element too;
    points that violate a condition are dropped.
    """
    ctx = Context.for_claim(c)
    rng = random.Random(_seed(c.id))
    syms = c.free_symbols
    simplex_syms = {s for sx in c.simplices for s in sx.symbols}
    free = [s for s in syms if s not in simplex_syms]
    edges = {s: _edge_values(ctx.domain(s)) for s in free}
    exprs = [c.statement.lhs, c.statement.rhs] + [side for rel in c.relations
                                                   for side in (rel.lhs, rel.rhs)]
    has_indexed = any(sp.sympify(e).has(sp.Indexed) for e in exprs)
    n_edges = max((len(v) for v in edges.values()), default=0)
    count = count + n_edges
    cache: dict = {}
    points: list[dict] = []
    attempts = 0
    while len(points) < count and attempts < count * 20:
        attempts += 1
        k = attempts - 1
        pt: dict = {}
        for n, s in enumerate(free):
            if 1 <= k <= n_edges:
                # the first points walk through every edge value of every symbol
                pt[s] = edges[s][(k - 1 + n) % len(edges[s])] if edges[s] else \
                    _random_value(ctx.domain(s), rng)
            elif k > n_edges and rng.random() < 0.3 and edges[s]:
                pt[s] = rng.choice(edges[s])
            else:
                pt[s] = _random_value(ctx.domain(s), rng)
        for sx in c.simplices:
            pt.update(zip(sx.symbols, _simplex_point(len(sx.symbols), rng, rng.random() < 0.3)))
        if has_indexed:
            _, pt = _instantiate(exprs, pt, rng)
        if all(_holds(rel, pt, rng, cache) for rel in c.relations):
            points.append(pt)
    return points


def _holds(rel: sp.Basic, pt: Mapping, rng: random.Random, cache: dict) -> bool:
    """Does the condition ``rel`` hold at ``pt``?  (mpmath at 30 digits)"""
    (d,), full = _instantiate([rel.lhs - rel.rhs], dict(pt), rng)
    if d.is_number and d.is_comparable:
        v = mpmath.mpf(sp.Float(d, 40)._mpf_) if d != 0 else mpmath.mpf(0)
    else:
        with mpmath.workdps(40):
            try:
                (v,) = _evaluate([d], full, cache)
            except (ZeroDivisionError, ValueError, TypeError, OverflowError, KeyError):
                return False
    try:
        if not mpmath.isfinite(v) or isinstance(v, mpmath.mpc):
            return False
    except TypeError:
        return False
    tiny = mpmath.mpf(10) ** -30
    if isinstance(rel, sp.Eq):
        return abs(v) <= tiny
    if isinstance(rel, sp.Ne):
        return abs(v) > tiny
    if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
        return v > 0 if isinstance(rel, sp.StrictGreaterThan) else v >= 0
    return v < 0 if isinstance(rel, sp.StrictLessThan) else v <= 0


def _to_mpf(v) -> mpmath.mpf:
    """An exact SymPy/Python number (``3/7``, ``sqrt(2)/2``) as an mpf at the
    current working precision."""
    if isinstance(v, (mpmath.mpf, mpmath.mpc)):
        return v
    return _number(sp.sympify(v))


_WRITTEN_OUT: dict = {}


@functools.lru_cache(maxsize=4096)
def _needs_doit(e: sp.Basic) -> bool:
    return e.has(sp.Derivative, sp.Subs) or bool(e.atoms(sp.core.function.AppliedUndef)) or any(
        not f.func.__module__.startswith("sympy") for f in e.atoms(sp.Function))


@functools.lru_cache(maxsize=4096)
def _carried_out(e: sp.Basic) -> sp.Basic:
    return e.doit()


@functools.lru_cache(maxsize=4096)
def _indexed_atoms(e: sp.Basic) -> tuple:
    return tuple(sorted(e.atoms(sp.Indexed), key=str))


def _instantiate(exprs: Sequence[sp.Expr], pt: dict, rng: random.Random) -> tuple[list, dict]:
    """Substitute integer symbols, carry out sums, and give each indexed
    element (``r[3]``) a value from its family's domain."""
    ints = {s: v for s, v in pt.items() if isinstance(s, sp.Symbol) and s.is_integer}
    key = tuple(sorted((str(k), int(v)) for k, v in ints.items()))
    out = []
    for e in exprs:
        e = sp.sympify(e)
        if ints and (e.has(sp.Sum, sp.Indexed) or e.free_symbols & ints.keys()):
            memo = (e, key)
            if memo not in _WRITTEN_OUT:
                _WRITTEN_OUT[memo] = write_out(e.xreplace(ints))
            out.append(_WRITTEN_OUT[memo])
        else:
            out.append(write_out(e))
        if _needs_doit(out[-1]):
            out[-1] = _carried_out(out[-1])   # derivatives, functions defined by the author
    full = dict(pt)
    for e in out:
        for atom in _indexed_atoms(e):
            if atom not in full:
                dom = domain_of(atom)
                full[atom] = rng.choice(_edge_values(dom)) if rng.random() < 0.25 \
                    else _random_value(dom, rng)
    return out, full


def _evaluate(exprs: Sequence[sp.Expr], pt: dict, cache: dict | None = None) -> list:
    """mpmath values of ``exprs`` at ``pt`` at the current working precision.

    Raises ZeroDivisionError where an expression is undefined at the point."""
    env = {k: _to_mpf(v) for k, v in pt.items()}
    out = []
    for e in exprs:
        try:
            out.append(mp_eval(e, env))
        except Undefined as exc:
            raise ZeroDivisionError(str(exc)) from None
    return out


def _check_relation(c, rel: sp.Basic, points: list[dict], dps: int) -> NumericResult:
    """The statement at each point, decided by :func:`_sign_at` (two precisions)."""
    rng = random.Random(_seed(c.id + "#indexed"))
    agreed = 0
    for pt in points:
        (lhs, rhs), full = _instantiate([rel.lhs, rel.rhs], pt, rng)
        inst = rel.func(lhs, rhs, evaluate=False)
        held, values = _sign_at(inst, full, dps)
        if held is None:
            continue
        if held:
            agreed += 1
            continue
        ordered = sorted(full.items(), key=lambda kv: str(kv[0]))
        point = {str(k): str(v) if sp.sympify(v).is_Integer else str(sp.Float(v, dps))
                 for k, v in ordered}
        exact = {str(k): str(v) for k, v in ordered}
        return NumericResult(NumericOutcome.COUNTEREXAMPLE, agreed,
                             "counterexample found by sampling, confirmed with the digits "
                             "lost to cancellation and amplification accounted for",
                             {"point": point, "exact_point": exact, **values})
    if agreed == 0:
        return NumericResult(NumericOutcome.NONE, 0, "no sample point could be evaluated")
    return NumericResult(NumericOutcome.AGREES, agreed, f"agrees at {agreed} points")


def _check_obligations(c, obligations: list[sp.Expr], points: list[dict], dps: int
                       ) -> tuple[int, str | None]:
    """Each obligation must vanish at the points; returns (evaluated, failure).

    A value above 10**-dps at 2*dps working digits is re-evaluated at 4*dps:
    roundoff from cancelling large terms shrinks with the extra digits, a
    genuinely non-zero obligation does not."""
    rng = random.Random(_seed(c.id + "#obligations"))
    cache: dict = {}
    done = 0
    tol = mpmath.mpf(10) ** (-dps)
    for ob in obligations:
        ob = sp.sympify(ob)
        for pt in points:
            (inst,), full = _instantiate([ob], pt, rng)
            with mpmath.workdps(2 * dps):
                try:
                    (v,) = _evaluate([inst], full, cache)
                    if not mpmath.isfinite(v):
                        continue
                except (ZeroDivisionError, ValueError, TypeError, OverflowError, KeyError):
                    continue
                if isinstance(v, mpmath.mpc):
                    v = abs(v)
            if abs(v) > tol:
                # roundoff shrinks when the working precision doubles; a real
                # non-zero value does not
                with mpmath.workdps(4 * dps):
                    try:
                        (v2,) = _evaluate([inst], full, cache)
                    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                        continue
                    v2 = abs(v2)
                    if v2 > tol and v2 > abs(v) * mpmath.mpf(10) ** (-dps // 2):
                        shown = {str(k): str(x) for k, x in
                                 sorted(full.items(), key=lambda kv: str(kv[0]))}
                        return done, (f"a proof obligation is {mpmath.nstr(v2, 8)}, not 0, "
                                      f"at {shown}")
            done += 1
    return done, None


def numeric_backup(c, dps: int = DPS, count: int = SAMPLES) -> NumericResult:
    """Check a claim numerically; see the module docstring.

    The statement is sampled (unless it holds only under a premise, ``given``);
    the proof's obligations are evaluated too, and a failing one is reported as
    ``proof_failure`` -- evidence against the proof, not against the statement.
    """
    from .checks import Context
    from .proofs import Witness

    from . import proofs as _proofs

    _proofs.EXACT_FALLBACKS[0] = 0     # each claim gets its own budget of exact checks
    proof = c.proof
    if c.is_limit:
        res = _limit_estimate(c, dps)
        if c.numeric is not None and res.outcome != NumericOutcome.COUNTEREXAMPLE:
            ok, detail = c.numeric(dps)
            res.extra.append(detail)
            if not ok:
                return NumericResult(NumericOutcome.COUNTEREXAMPLE, res.points, detail)
        return res
    if isinstance(proof, Witness):
        problem = proof.in_domain(c, Context.for_claim(c), dps)
        if problem:
            return NumericResult(NumericOutcome.NONE, 0, f"the witness is unusable: {problem}")
        held, values = _sign_at(c.statement, proof.point, dps)
        point = {str(k): str(v) for k, v in sorted(proof.point.items(), key=lambda kv: str(kv[0]))}
        if c.quantifier == "exists":
            return NumericResult(NumericOutcome.AGREES if held else NumericOutcome.NONE, 1,
                                 "checked at the witness")
        if held is False:
            return NumericResult(NumericOutcome.COUNTEREXAMPLE, 1, "the witness fails the statement "
                                 "(confirmed with lost digits accounted for)",
                                 {"point": point, **values})
    elif c.quantifier == "exists":
        return NumericResult(NumericOutcome.NONE, 0, "an existential claim needs a witness")
    points = sample_points(c, count)
    extra: list[str] = []
    if c.given is None:
        res = _check_relation(c, c.statement, points, dps)
    else:
        res = NumericResult(NumericOutcome.NONE, 0, "holds under a premise: checked through "
                            "its proof's steps")
    if proof is not None and res.outcome != NumericOutcome.COUNTEREXAMPLE:
        try:
            obligations = proof.obligations(c)
        except (ValueError, TypeError):
            obligations = []
        if obligations:
            needed = {s for ob in obligations for s in sp.sympify(ob).free_symbols
                      if isinstance(s, sp.Symbol)}
            pts = points if points and needed <= set(points[0]) else \
                _points_for(c, obligations, count)
            done, failure = _check_obligations(c, obligations, pts, dps)
            if failure:
                res.proof_failure = failure
            elif done:
                extra.append(f"{len(obligations)} proof obligations vanish at {len(pts)} points")
                if res.outcome == NumericOutcome.NONE and c.given is not None:
                    res = NumericResult(NumericOutcome.AGREES, done, "proof obligations vanish")
    if c.numeric is not None and res.outcome != NumericOutcome.COUNTEREXAMPLE:
        ok, detail = c.numeric(dps)
        extra.append(detail)
        if not ok:
            return NumericResult(NumericOutcome.COUNTEREXAMPLE, res.points, detail)
        if res.outcome == NumericOutcome.NONE:
            res = NumericResult(NumericOutcome.AGREES, 1, detail)
    res.extra = extra
    return res


def _points_for(c, exprs, count):
    """Sample points for symbols that appear only in a proof's obligations."""
    from .claims import Claim
    syms = {s for e in exprs for s in sp.sympify(e).free_symbols if isinstance(s, sp.Symbol)}
    probe = Claim(id=c.id + "#obligations", paper="",
                  statement=sp.Eq(sp.Add(*syms), 0, evaluate=False),
                  domains=c.domains, conditions=c.conditions)
    return sample_points(probe, count)


def _limit_estimate(c, dps: int) -> NumericResult:
    """Evaluate f along x -> x0 (at points 10^-k away, or 10^k for infinity).

    A wrong limit value leaves an error that stops shrinking (however small,
    relative to a large target); a slow but correct limit (1/log x) leaves
    errors that keep shrinking.  So: agrees when the error reaches the working
    precision or shrinks steadily; a counterexample when it stagnates above
    the precision; otherwise undecided."""
    lim = c.statement.lhs
    f, x, x0, direction = lim.args
    target = c.statement.rhs
    ctx = Context.for_claim(c)
    f = ctx.eliminate(f)
    others = [s for s in c.free_symbols if s != x]
    rng = random.Random(_seed(c.id))
    cache: dict = {}
    verdicts = []
    for _ in range(4):
        pt = {s: _random_value(ctx.domain(s), rng) for s in others}
        if not all(_holds(rel, pt, rng, cache) for rel in c.relations):
            continue
        fx, tx = f.subs(pt), target.subs(pt)
        errs, where = [], []
        for k in (4, 8, 16, 32, 64, 128, 256):
            # at 10^-k from the limit point, differences of nearby values can cancel
            # several times k digits: give the evaluation room for that
            with mpmath.workdps(3 * dps + 4 * k):
                h = mpmath.mpf(10) ** (-k)
                if x0 is sp.oo:
                    xv = 1 / h
                elif x0 is -sp.oo:
                    xv = -1 / h
                else:
                    xv = _to_mpf(x0) + (h if str(direction) == "+" else -h)
                try:
                    val, tgt = _evaluate([fx, tx], {x: xv})
                except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                    continue
                errs.append(abs(val - tgt) / max(1, abs(tgt)))
                where.append(mpmath.nstr(xv, 5))
        if len(errs) < 3:
            continue
        converged = errs[-1] <= mpmath.mpf(10) ** (5 - dps)
        shrinking = all(b < a for a, b in zip(errs[-4:], errs[-3:])) and errs[-1] < errs[0] / 10
        stagnant = errs[-1] >= errs[-3] / 2
        if converged or shrinking:
            verdicts.append(True)
        elif stagnant:
            shown = {str(s): str(v) for s, v in sorted(pt.items(), key=lambda kv: kv[0].name)}
            return NumericResult(NumericOutcome.COUNTEREXAMPLE, len(verdicts),
                                 "f does not approach the stated limit",
                                 {"point": {**shown, str(x): where[-1]},
                                  "errors": [mpmath.nstr(e, 3) for e in errs]})
    if not verdicts:
        return NumericResult(NumericOutcome.NONE, 0, "the limit could not be estimated")
    return NumericResult(NumericOutcome.AGREES, len(verdicts), "f approaches the limit along x -> x0")
