"""Proof objects: how a claim is to be established.

Every proof turns into *obligations* (expressions that must be identically
zero) and *side conditions* (expressions that must be manifestly non-zero or
non-negative).  The engine discharges obligations with
:func:`~grpo_sym.proof.checks.prove_zero` and side conditions with the
structural checker; the numeric backup evaluates the same obligations at
50 significant digits.  A proof never decides "refuted" on its own except a
:class:`Witness`, whose counterexample is confirmed at high precision.

=====================  ===================================================
proof                  establishes
=====================  ===================================================
``Identity()``         an ``Eq`` by reducing ``lhs - rhs`` to 0
``Chain(start)``       an ``Eq`` (or a derived condition) step by step
``Certificate(c)``     ``lhs >= rhs``: ``lhs - rhs == c`` and ``c`` visibly >= 0
``MinimumAt(x, x0)``   ``f(x) >= 0`` on an interval: ``f(x0) >= 0`` and
                       ``f'(x)*(x - x0)`` visibly >= 0
``Witness(point)``     a counterexample (for a refuted ``forall`` claim) or an
                       example (for an ``exists`` claim)
``LimitProof()``       ``Eq(Limit(f, x, x0), L)``: ``limit`` and ``gruntz`` agree
``MonotoneComparison`` ``y <= r`` (``<``, ``=``) from ``g`` strictly increasing
                       and ``g(r) - g(y) >= 0`` (the order of two roots)
``IntermediateValue``  a root exists: ``{x in (a, b) | L = R} != EmptySet`` from
                       ``L - R`` continuous on ``[a, b]`` (checked: continuous
                       pieces, defined on the closed interval) and of strictly
                       opposite signs at ``a`` and ``b`` (kernel sign rules)
``RootThreshold``      ``{s | a root exists} = (.., T)`` from a proved existence
                       for ``s < T`` and a proved strict sign of ``L - R`` for
                       ``s >= T``
=====================  ===================================================
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Mapping

import mpmath
import sympy as sp

from .checks import prove_zero
from .domains import domain_of
from .kernel import (Context, at_point, carry_out, holds_at, is_nonnegative, is_nonzero, is_positive,
                     member, undefined_reason)

__all__ = [
    "Outcome", "ProofResult", "StepResult", "Identity", "Chain", "chain", "Certificate",
    "MinimumAt", "MaxOfBounds", "Witness", "LimitProof", "relation_gap",
    "lemma_instance", "Axiom", "instantiate", "instance_problem", "MonotoneComparison",
    "IntermediateValue", "continuity_problem", "RootThreshold",
]


class Outcome:
    PROVED = "proved"
    REFUTED = "refuted"
    UNPROVED = "unproved"
    ASSUMED = "assumed"       # a named axiom: not proved, listed as assumed


@dataclass
class StepResult:
    rule: str
    why: str
    result: sp.Basic
    ok: bool
    method: str = ""


@dataclass
class ProofResult:
    outcome: str
    detail: str = ""
    steps: list[StepResult] = field(default_factory=list)
    counterexample: dict | None = None


def relation_gap(rel: sp.Basic) -> tuple[sp.Expr, bool]:
    """``(d, strict)`` with the relation equivalent to ``d >= 0`` (``> 0``)."""
    if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
        return rel.lhs - rel.rhs, isinstance(rel, sp.StrictGreaterThan)
    if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
        return rel.rhs - rel.lhs, isinstance(rel, sp.StrictLessThan)
    raise TypeError(f"not an inequality: {rel}")


class Proof:
    """Base class: a proof lists obligations and the claims it relies on."""

    claim = None

    def bind(self, c) -> None:
        self.claim = c

    def uses(self) -> list:
        return []

    def obligations(self, c) -> list[sp.Expr]:
        """Expressions that must vanish identically (also checked numerically)."""
        return []

    def check(self, c, ctx: Context) -> ProofResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> list[tuple[str, str, sp.Basic | None]]:
        """(rule, justification, expression) rows for renderers."""
        return []


class Identity(Proof):
    """Prove ``Eq(lhs, rhs)`` by reducing ``lhs - rhs`` to zero."""

    def __init__(self, why: str = "") -> None:
        self.why = why

    def obligations(self, c):
        return [c.statement.lhs - c.statement.rhs]

    def check(self, c, ctx):
        if not isinstance(c.statement, sp.Eq):
            return ProofResult(Outcome.UNPROVED, "Identity proves only equations")
        how = prove_zero(c.statement.lhs - c.statement.rhs, ctx)
        if how is None:
            return ProofResult(Outcome.UNPROVED, "SymPy did not reduce lhs - rhs to 0")
        return ProofResult(Outcome.PROVED, f"lhs - rhs reduces to 0 by {how}")

    def describe(self):
        return [("identity", self.why or "lhs - rhs simplifies to 0", None)]


def _capture_problem(lemma, sub: Mapping) -> str | None:
    """Why ``sub`` would be captured inside ``lemma`` (None: it would not): substitution
    does not rename bound variables, so a value naming a sum index (or a Lambda variable)
    of the lemma would be bound by it (``h := k`` inside ``sum_k``)."""
    bound = lemma.statement.atoms(sp.Symbol) - lemma.statement.free_symbols
    for key, value in sub.items():
        captured = sp.sympify(value).free_symbols & bound
        if captured:
            return (f"the value of {key} names {sorted(captured, key=str)}, bound in "
                    f"{lemma.id}: it would be captured")
    return None


def _lemma_instance_gap(lemma, sub: Mapping, c, ctx: Context) -> str | None:
    """Why the instance ``sub`` of ``lemma`` does not hold inside ``c`` (None: it does).

    The lemma's conditions and simplices, instantiated, must hold in ``c``, and
    the symbols it keeps must range within the lemma's domains there."""
    if lemma.given is not None:
        return f"{lemma.id} holds only under a premise; a lemma must not have one"
    unusable = not_a_theorem(lemma) or _capture_problem(lemma, sub)
    if unusable:
        return unusable
    lemma_ctx = Context.for_claim(lemma)
    for sym in lemma.free_symbols:
        if sym not in sub and not ctx.domain(sym).is_subset(lemma_ctx.domain(sym)):
            return f"{lemma.id} needs {sym} in {lemma_ctx.domain(sym)}"
    for rel in lemma.relations:
        inst = rel.subs(sub)
        if c is None or not any(_same_relation(inst, mine, ctx) for mine in c.relations):
            return f"{lemma.id} needs {inst}, which this claim does not assume"
    for sx in lemma.simplices:
        total = sp.Add(*[v.subs(sub) for v in sx.symbols])
        if prove_zero(total - 1, ctx) is None:
            return f"{lemma.id} needs {total} = 1, which this claim does not give"
    return None


def _usable_instances(lemma, subs_list, c, ctx: Context, problems: list[str]):
    """The substitutions of ``subs_list`` at which ``lemma`` may be used inside ``c``
    (those that may not: why, appended to ``problems``)."""
    lemma_ctx = Context.for_claim(lemma)
    for sub in subs_list:
        gap = _lemma_instance_gap(lemma, sub, c, ctx)
        if gap:
            problems.append(gap)
            continue
        for sym, value in sub.items():
            if not _visibly_in(value, lemma_ctx.domain(sym), ctx):
                problems.append(f"{lemma.id}: {value} not visibly in the domain of {sym}")
        yield sub


def _lemma_atoms(lemmas: Mapping, ctx: Context, c=None) -> tuple[dict, list[str]]:
    """Instances of proved lemmas ``f(y) >= 0`` usable as non-negative atoms."""
    atoms: dict[sp.Expr, sp.Symbol] = {}
    problems: list[str] = []
    for lemma, subs_list in lemmas.items():
        d, strict = relation_gap(lemma.statement)
        for sub in _usable_instances(lemma, subs_list, c, ctx, problems):
            inst = d.subs(sub)
            # reserved names, not Dummies (whose numbering depends on history)
            name = f"lemma__{len(set(atoms.values()))}"   # one new symbol per instance
            dummy = sp.Symbol(name, positive=True) if strict else \
                sp.Symbol(name, nonnegative=True)
            atoms[inst] = dummy              # as the author writes it: lemma_instance(...)
            atoms[sp.expand(inst)] = dummy   # or expanded
    return atoms, problems


def lemma_instance(lemma, sub: Mapping) -> sp.Expr:
    """The non-negative quantity of a proved inequality ``lemma`` at ``sub``.

    Write certificates with it, so that :class:`Certificate` recognises the
    term as non-negative by ``lemma`` (listed in ``lemmas=``)."""
    d, _ = relation_gap(lemma.statement)
    return d.subs(sub)


class Axiom(Proof):
    """A statement taken as true, by name: the report lists it under "assumed", and
    every claim that rests on it says so.  Nothing is proved; the numeric backup and
    the claim's own check (``numeric=``) still look for a counterexample.

    Use it for standard facts the engine cannot derive (the law of large numbers,
    linearity of expectation over an i.i.d. group), never for a statement of the
    paper itself.
    """

    def __init__(self, name: str, why: str = "") -> None:
        self.name = name
        self.why = why

    def check(self, c, ctx):
        return ProofResult(Outcome.ASSUMED, f"a named axiom: {self.name}")

    def describe(self):
        return [("axiom", f"{self.name}: {self.why}" if self.why else self.name, None)]


class Certificate(Proof):
    """Prove an inequality by exhibiting ``lhs - rhs`` as a visibly >= 0 expression.

    Options
    -------
    certificate : an expression equal to ``lhs - rhs`` (for ``<=``: ``rhs - lhs``)
    why : one line for the appendix
    lemmas : ``{lemma_claim: [substitution, ...]}``; each instance of a proved
        inequality ``f(y) >= 0`` may appear in the certificate as a term known
        to be non-negative (the substituted values must visibly lie in the
        lemma's domain)
    """

    def __init__(self, certificate: sp.Expr, why: str = "", lemmas: Mapping | None = None,
                 premise_multiple=None):
        self.certificate = sp.sympify(certificate)
        self.why = why
        self.lemmas = dict(lemmas or {})
        # with a premise E: lhs - rhs = certificate + m (E.lhs - E.rhs), which vanishes there
        self.premise_multiple = None if premise_multiple is None else sp.sympify(premise_multiple)

    def _premise_term(self, c) -> sp.Expr:
        if self.premise_multiple is None:
            return sp.S.Zero
        if not isinstance(c.given, sp.Eq):
            raise ValueError("premise_multiple needs a claim whose premise is an equation")
        return self.premise_multiple * (c.given.lhs - c.given.rhs)

    def uses(self):
        return list(self.lemmas)

    def obligations(self, c):
        d, _ = relation_gap(c.statement)
        return [d - self.certificate - self._premise_term(c)]

    def check(self, c, ctx):
        if not _is_inequality(c.statement):
            return ProofResult(Outcome.UNPROVED, "a Certificate proves only an inequality")
        d, strict = relation_gap(c.statement)
        atoms, problems = _lemma_atoms(self.lemmas, ctx, c)
        if problems:
            return ProofResult(Outcome.UNPROVED, "; ".join(problems))
        # a lemma's quantity is defined (its statement was) and non-negative: an atom
        undefined = undefined_reason(carry_out(ctx.eliminate(self.certificate.xreplace(atoms))),
                                     ctx)
        if not undefined and self.premise_multiple is not None:
            undefined = undefined_reason(ctx.eliminate(self.premise_multiple), ctx)
        if undefined:
            return ProofResult(Outcome.UNPROVED, f"the certificate is not defined everywhere: "
                               f"{undefined}")
        try:
            how = prove_zero(d - self.certificate - self._premise_term(c), ctx)
        except ValueError as exc:
            return ProofResult(Outcome.UNPROVED, str(exc))
        if how is None:
            return ProofResult(Outcome.UNPROVED, "the certificate does not equal lhs - rhs")
        # lemma terms become non-negative atoms before anything else rewrites them
        forms = [self.certificate.xreplace(atoms), sp.expand(self.certificate).xreplace(atoms)] \
            if atoms else [self.certificate]
        ok = any(all(is_nonnegative(case, ctx, strict)
                     for _, case in ctx.instances(ctx.eliminate(form))) for form in forms)
        if not ok:
            kind = "positive" if strict else "non-negative"
            return ProofResult(Outcome.UNPROVED, f"the certificate is not visibly {kind}")
        return ProofResult(Outcome.PROVED, f"lhs - rhs = certificate ({how}), visibly "
                           f"{'> 0' if strict else '>= 0'}")

    def describe(self):
        return [("certificate", self.why or "difference written as a visibly non-negative expression",
                 self.certificate)]


class MinimumAt(Proof):
    """Prove ``f(x) >= 0`` (one variable ``x`` on an interval) from its minimum.

    ``f(x0) >= 0`` and ``f'(x)*(x - x0) >= 0`` (so ``f`` falls to ``x0`` and rises
    after it).  ``derivative_certificate`` is ``f'(x)*(x - x0)`` written visibly
    non-negative.
    """

    def __init__(self, var: sp.Symbol, point: sp.Expr, derivative_certificate: sp.Expr,
                 why: str = "") -> None:
        self.var, self.point = var, sp.sympify(point)
        self.derivative_certificate = sp.sympify(derivative_certificate)
        self.why = why

    def obligations(self, c):
        d = self._function(c, Context.for_claim(c))
        return [sp.diff(d, self.var) * (self.var - self.point) - self.derivative_certificate]

    def _function(self, c, ctx) -> sp.Expr:
        """f on the claim's domain: simplices eliminated, so that the derivative
        is taken along the constraint, not as a partial one."""
        d, _ = relation_gap(c.statement)
        return carry_out(ctx.eliminate(d))

    def check(self, c, ctx):
        if not _is_inequality(c.statement):
            return ProofResult(Outcome.UNPROVED, "MinimumAt proves only an inequality")
        _, strict = relation_gap(c.statement)
        if strict:
            return ProofResult(Outcome.UNPROVED, "MinimumAt proves only non-strict bounds")
        dom = ctx.domain(self.var)
        if not isinstance(dom, sp.Interval):
            return ProofResult(Outcome.UNPROVED, f"the domain of {self.var} is not an interval")
        raw, _ = relation_gap(c.statement)
        d = self._function(c, ctx)
        if self.var in raw.free_symbols and self.var not in d.free_symbols:
            return ProofResult(Outcome.UNPROVED, f"{self.var} is eliminated by the simplex; "
                               "minimise over another coordinate")
        # the mean-value argument runs along the whole interval: a condition on the
        # variable would cut it (and could hide a pole or a gap)
        if any(self.var in rel.free_symbols for rel in ctx.relations):
            return ProofResult(Outcome.UNPROVED, f"a condition of the claim restricts {self.var}: "
                               "the derivative test needs its whole interval")
        # the mean-value argument needs f continuous and differentiable on the whole
        # interval: no steps, no poles, nothing undefined
        if d.has(sp.Piecewise, sp.Heaviside, sp.sign, sp.Abs, sp.floor, sp.ceiling, sp.Max,
                 sp.Min, sp.DiracDelta):
            return ProofResult(Outcome.UNPROVED, "f has a step or a kink (Piecewise, sign, Abs, "
                               "Max, ...): the derivative test does not apply")
        for what, expr in (("f", d), ("f'", sp.diff(d, self.var))):
            undefined = undefined_reason(expr, ctx)
            if undefined:
                return ProofResult(Outcome.UNPROVED, f"{what} is not defined on the whole "
                                   f"interval: {undefined}")
        lo_ok = (not dom.start.is_finite) or is_nonnegative(self.point - dom.start, ctx,
                                                           strict=dom.left_open)
        hi_ok = (not dom.end.is_finite) or is_nonnegative(dom.end - self.point, ctx,
                                                         strict=dom.right_open)
        if lo_ok and hi_ok:   # visibly inside the domain (the point may be symbolic)
            at_point = sp.simplify(d.subs(self.var, self.point))
        elif self.point in (dom.start, dom.end) and self.point.is_finite:
            # an open end: f is continuous up to it, so f(x) >= lim f at the end
            side = "+" if self.point == dom.start else "-"
            at_point, problem = limit_value(d, self.var, self.point, side, ctx)
            if problem:
                return ProofResult(Outcome.UNPROVED, f"the limit at the end: {problem}")
            if at_point.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
                return ProofResult(Outcome.UNPROVED, f"f has no finite limit at {self.point}")
        else:
            return ProofResult(Outcome.UNPROVED, f"{self.point} is not in the domain of {self.var}")
        if not (at_point == 0 or is_nonnegative(at_point, ctx)):
            return ProofResult(Outcome.UNPROVED, "f(x0) is not visibly non-negative")
        how = prove_zero(self.obligations(c)[0], ctx)
        if how is None:
            return ProofResult(Outcome.UNPROVED, "f'(x)(x - x0) does not equal the certificate")
        if not is_nonnegative(self.derivative_certificate, ctx):
            return ProofResult(Outcome.UNPROVED, "f'(x)(x - x0) is not visibly non-negative")
        return ProofResult(Outcome.PROVED, f"minimum at {self.var} = {self.point}")

    def describe(self):
        return [("minimum", self.why or f"minimum at {self.var} = {self.point}",
                 self.derivative_certificate)]


class MaxOfBounds(Proof):
    """Prove ``x >= Max(a_1, ..., a_n)`` from proved claims ``x >= a_i``, one per argument."""

    def __init__(self, *bounds, why: str = "") -> None:
        self.bounds = bounds
        self.why = why

    def uses(self):
        return list(self.bounds)

    def check(self, c, ctx):
        stmt = c.statement
        if not (isinstance(stmt, (sp.GreaterThan, sp.StrictGreaterThan)) and
                isinstance(stmt.rhs, sp.Max)):
            return ProofResult(Outcome.UNPROVED, "MaxOfBounds proves x >= Max(...) only")
        needed = list(stmt.rhs.args)
        for b in self.bounds:
            gap = assumptions_gap(c, b, ctx)
            if gap:
                return ProofResult(Outcome.UNPROVED, gap)
            bs = b.statement
            if type(bs) is not type(stmt) or prove_zero(bs.lhs - stmt.lhs, ctx) is None:
                return ProofResult(Outcome.UNPROVED, f"{b.id} is not a bound of the same side")
            for a in list(needed):
                if prove_zero(bs.rhs - a, ctx) is not None:
                    needed.remove(a)
                    break
        if needed:
            return ProofResult(Outcome.UNPROVED, f"no bound given for {needed}")
        return ProofResult(Outcome.PROVED, "a bound for every argument of Max: "
                           + ", ".join(b.id for b in self.bounds))

    def describe(self):
        return [("bound by cases", self.why or "each argument of the maximum is a proved bound",
                 None)]


def _exact(value) -> sp.Basic:
    """A witness value as an exact number: a Python float is its exact binary value."""
    if isinstance(value, float):
        return sp.Rational(value)
    v = sp.sympify(value)
    return v.xreplace({f: sp.Rational(f) for f in v.atoms(sp.Float)})


class Witness(Proof):
    """A point where the statement fails (``forall``) or holds (``exists``).

    ``point`` maps every free symbol to an exact value (rationals preferred; a
    Python float counts as its exact binary value).  The point must lie in the
    claim's domains and satisfy its conditions and premise, and the statement
    must fail (hold) there -- all decided exactly, by Arb enclosures and exact
    algebra (:func:`grpo_sym.proof.kernel.holds_at`), never by a tolerance.
    """

    def __init__(self, point: Mapping[sp.Symbol, object], why: str = "") -> None:
        for k in point:
            if not isinstance(k, (sp.Symbol, sp.Indexed)):
                raise TypeError(f"a witness gives values to symbols, not to {k!r}")
        self.point = {k: _exact(v) for k, v in point.items()}
        self.why = why

    def in_domain(self, c, ctx: Context) -> str | None:
        """Why the point is not a usable witness for ``c`` (None: it is)."""
        for k, v in self.point.items():
            if not v.is_number:
                return f"the witness value for {k} is not a number: {v}"
        for sym in c.free_symbols:
            if sym not in self.point:
                return f"the witness gives no value for {sym}"
            inside = member(self.point[sym], ctx.domain(sym))
            if inside is not True:
                return f"{sym} = {self.point[sym]} is " + \
                    ("outside its domain" if inside is False else "not decidably in its domain")
        for rel in c.relations:
            if holds_at(rel, self.point) is not True:
                return f"the witness does not satisfy the condition {rel} (decided exactly)"
        for sx in c.simplices:
            if holds_at(sx.as_relation(), self.point) is not True:
                return "the witness is not on the simplex"
        if c.given is not None and holds_at(c.given, self.point) is not True:
            return f"the witness does not satisfy the premise {c.given}"
        return None

    def check(self, c, ctx):
        problem = self.in_domain(c, ctx)
        if problem:
            return ProofResult(Outcome.UNPROVED, problem)
        held = holds_at(c.statement, self.point)
        point = {str(k): str(v) for k, v in sorted(self.point.items(), key=lambda kv: str(kv[0]))}
        if c.quantifier == "exists":
            if held is True:
                return ProofResult(Outcome.PROVED, "the witness satisfies the statement "
                                   "(decided exactly)")
            return ProofResult(Outcome.UNPROVED, "the witness does not satisfy the statement" if
                               held is False else "the statement at the witness is undecided")
        if held is False:
            cex = {"point": point, **_sides_at(c.statement, self.point)}
            return ProofResult(Outcome.REFUTED, "counterexample decided exactly (Arb enclosures, "
                               "exact algebra)", counterexample=cex)
        return ProofResult(Outcome.UNPROVED, "the witness is not a counterexample" if held
                           else "the statement at the witness is undecided")

    def describe(self):
        pt = ", ".join(f"{sp.latex(k)} = {sp.latex(v)}" for k, v in self.point.items())
        return [("witness", self.why or "a concrete point", None)] if not pt else \
            [("witness", (self.why + " " if self.why else "") + f"at ${pt}$", None)]


def _sides_at(rel: sp.Basic, point: Mapping, digits: int = 50) -> dict:
    """The two sides at the point, to ``digits`` digits, for the report."""
    out = {}
    for name, side in (("lhs", rel.lhs), ("rhs", rel.rhs)):
        try:
            v = sp.N(at_point(side, point), digits)
            out[name] = mpmath.nstr(mpmath.mpf(v._mpf_), digits) if v.is_Float else str(v)
        except (TypeError, ValueError, ZeroDivisionError):
            out[name] = "undefined"
    return out


def _approach(x0, direction: str, h: sp.Symbol) -> sp.Expr:
    """The point at distance ``h -> 0+`` from ``x0`` on the given side."""
    if x0 is sp.oo:
        return 1 / h
    if x0 is -sp.oo:
        return -1 / h
    return x0 + h if direction == "+" else x0 - h


def _critical_parts(f: sp.Basic) -> list[tuple[str, sp.Expr]]:
    """Sub-expressions whose behaviour at the limit point decides the limit:
    denominators, radicands, log arguments and exponents."""
    parts = []
    for e in sp.preorder_traversal(f):
        if isinstance(e, sp.Pow) and e.exp.is_number and e.exp < 0:
            parts.append(("denominator", e.base))
        if isinstance(e, sp.Pow) and not e.exp.is_Integer:
            parts.append(("radicand", e.base))
        if isinstance(e, sp.log):
            parts.append(("radicand", e.args[0]))
        if isinstance(e, sp.exp):
            parts.append(("exponent", e.args[0]))
    return parts


def parameter_problem(f: sp.Expr, x: sp.Symbol, x0, direction: str, ctx: Context,
                      exceptional: list | None = None) -> str | None:
    """Why SymPy's limit of ``f`` (computed for generic parameters) may be wrong
    for some parameter values in the domain (None: it is right for all).

    SymPy computes ``lim f`` treating the other symbols as generic; the answer
    fails exactly where a leading coefficient at the limit point vanishes
    (``x**2/(x**2 + y**2)`` at ``y = 0``).  So every denominator must lead with
    a coefficient that is non-zero on the whole domain, every radicand and log
    argument with a positive one, and every diverging exponent with a non-zero
    one; steps (Piecewise, sign, Abs, ...) with parameters are refused.  With a
    list ``exceptional``, a coefficient of one parameter that vanishes at finitely
    many values is allowed and those values are appended (the caller computes
    the limit there separately)."""
    if sp.sympify(x0).free_symbols:
        return f"the limit point {x0} depends on parameters"
    params = {s for s in f.free_symbols if s != x}
    if not params:
        return None
    if f.has(sp.Piecewise, sp.Heaviside, sp.sign, sp.Abs, sp.floor, sp.ceiling, sp.Max, sp.Min):
        return "a step or kink with parameters: the limit may depend on them"
    h = sp.Symbol("h__distance", positive=True)
    for kind, part in _critical_parts(f):
        if not (part.free_symbols & params):
            continue
        if x not in part.free_symbols:
            # does not move with x: it must be fine for every parameter value
            if (kind == "radicand" and not is_positive(part, ctx)) or \
                    (kind == "denominator" and not is_nonzero(part, ctx)):
                return f"the {kind} {part} may degenerate for some parameter values"
            continue
        if x0.is_finite:
            # at a limit point where the part is defined and visibly away from 0
            # (positive for radicands) for every parameter value, nothing degenerates
            at = part.subs(x, x0)
            if kind == "radicand" and is_positive(at, ctx):
                continue
            if kind != "radicand" and is_nonzero(at, ctx):
                continue
        try:
            coeff, order = sp.expand(part.subs(x, _approach(x0, direction, h))).leadterm(h)
        except (ValueError, NotImplementedError, TypeError, sp.PoleError):
            return f"no leading term of the {kind} {part} at {x} -> {x0}"
        if coeff.has(h):
            return f"the leading term of the {kind} {part} is not a power of the distance"
        if kind == "radicand" and not is_positive(coeff, ctx):
            problem = f"the {kind} {part} leads with {coeff}, not visibly positive"
        elif kind == "denominator" and not is_nonzero(coeff, ctx):
            problem = f"the {kind} {part} leads with {coeff}, which may vanish"
        elif kind == "exponent" and order < 0 and not is_nonzero(coeff, ctx):
            problem = f"the {kind} {part} diverges with coefficient {coeff}, which may vanish"
        else:
            continue
        if exceptional is None:
            return problem
        values = _exceptional_values(coeff, ctx)
        if values is None:
            return problem
        exceptional.extend(values)
    return None


def _exceptional_values(coeff: sp.Expr, ctx: Context) -> list[dict] | None:
    """The parameter values where ``coeff`` vanishes, when it depends on one
    parameter polynomially and they are finitely many (None otherwise)."""
    params = sorted(coeff.free_symbols, key=str)
    if len(params) != 1:
        return None
    (y,) = params
    num = sp.numer(sp.together(coeff))
    try:
        poly = sp.Poly(num, y)
    except sp.PolynomialError:
        return None
    if poly.is_zero:
        return None
    roots = sp.real_roots(poly)
    return [{y: r} for r in roots if member(r, ctx.domain(y)) is not False]


def limit_value(f: sp.Expr, x: sp.Symbol, x0, direction: str, ctx: Context
                ) -> tuple[sp.Expr | None, str | None]:
    """``(lim f, None)`` when ``limit`` and ``gruntz`` agree and the answer holds
    for every parameter value of the domain (:func:`parameter_problem`);
    ``(None, why not)`` otherwise."""
    exceptional: list[dict] = []
    problem = parameter_problem(f, x, x0, direction, ctx, exceptional)
    if problem:
        return None, problem
    value, problem = _agreed_limit(f, x, x0, direction, ctx)
    if problem:
        return None, problem
    for case in exceptional:
        # where a leading coefficient vanishes the generic answer must be re-derived
        special, problem = _agreed_limit(f.subs(case), x, x0, direction, ctx)
        if problem:
            return None, f"at {case}: {problem}"
        if prove_zero(special - value.subs(case), ctx) is None:
            return None, f"at {case} the limit is {special}, not {value.subs(case)}"
    return value, None


def _agreed_limit(f, x, x0, direction, ctx) -> tuple[sp.Expr | None, str | None]:
    from sympy.series.gruntz import gruntz

    try:
        v1 = sp.limit(f, x, x0, direction)
        v2 = gruntz(f, x, x0, direction)
    except (NotImplementedError, ValueError, TypeError, sp.PoleError) as exc:
        return None, f"the limit could not be computed ({type(exc).__name__})"
    if v1.has(sp.Limit) or v2.has(sp.Limit):
        return None, "the limit is left unevaluated"
    if v1 != v2 and prove_zero(v1 - v2, ctx) is None:
        return None, f"limit gives {v1}, gruntz gives {v2}"
    return v1, None


class LimitProof(Proof):
    """Prove ``Eq(Limit(f, x, x0, dir), L)``: ``limit`` and ``gruntz`` must agree,
    and the answer must hold for every value of the other symbols
    (:func:`parameter_problem`; state a condition such as ``y > 0`` otherwise).

    SymPy's ``limit`` is known to return wrong answers, so its value counts only
    when ``gruntz`` (and the numeric estimate of the backup) give the same.
    """

    def __init__(self, why: str = "") -> None:
        self.why = why

    def check(self, c, ctx):
        if not c.is_limit:
            return ProofResult(Outcome.UNPROVED, "LimitProof proves only Eq(Limit(...), L)")
        f, x, x0, direction = c.statement.lhs.args
        value, problem = limit_value(ctx.eliminate(f), x, x0, str(direction), ctx)
        if problem:
            return ProofResult(Outcome.UNPROVED, problem)
        target = c.statement.rhs
        if value == target or prove_zero(value - target, ctx) is not None:
            return ProofResult(Outcome.PROVED, f"limit = gruntz = {value}")
        return ProofResult(Outcome.UNPROVED, f"the limit is {value}, not {target}")

    def describe(self):
        return [("limit", self.why or "computed by limit and by gruntz, which agree", None)]


# -- chains ---------------------------------------------------------------

@dataclass
class Step:
    """One rule application.  ``obligation(new, prev)`` lists what must vanish;
    by default the written result must equal what the rule computes from the
    previous expression (``compute(prev)``)."""

    rule: str
    why: str
    result: sp.Basic | None              # written result (None: computed)
    compute: Callable[[sp.Basic], sp.Basic]
    obligation: Callable[[sp.Basic, sp.Basic], list[sp.Expr]] | None = None
    side: Callable[[sp.Basic, Context], str | None] = lambda prev, ctx: None
    uses: tuple = ()
    specialise: Mapping | None = None
    premise: bool = False
    on_start: Callable[[sp.Basic], sp.Basic] | None = None  # what the rule does to e0's role


def _replace_core(e: sp.Basic, lhs: sp.Expr, rhs: sp.Expr) -> sp.Basic:
    """Substitute ``lhs = rhs`` where SymPy has split ``lhs = k * core``
    (``sqrt(S/G)`` becomes ``sqrt(S)/sqrt(G)``): replace ``core`` by ``rhs/k``."""
    if not isinstance(lhs, sp.Mul):
        return e
    cores = [f for f in lhs.args if not (f.is_number or f.is_Symbol or
                                          (f.is_Pow and f.base.is_Symbol))]
    if len(cores) != 1:
        return e
    core = cores[0]
    return e.subs(core, rhs * core / lhs)


def _abstract(e: sp.Basic, lhs: sp.Expr, t: sp.Symbol) -> sp.Basic:
    """``F`` with ``F(lhs) = e``: the occurrences of ``lhs`` in ``e`` replaced by ``t``
    (structurally if it occurs as it stands, else by SymPy's algebraic matching)."""
    F = e.xreplace({lhs: t})
    if F == e:
        F = _replace_core(e, lhs, t)
    if F == e:
        F = e.subs(lhs, t)
    return F


def _denominator_bases(e) -> list:
    """The bases of the factors of ``e``'s denominator (over one fraction)."""
    _, den = sp.fraction(sp.together(e))
    return [f.base if isinstance(f, sp.Pow) else f for f in sp.Mul.make_args(den)
            if not f.is_number]


def _new_denominators(F, prev, t, lhs, ctx: Context) -> str | None:
    """A denominator of ``F`` that is not one of ``prev`` must be non-zero: an
    algebraic substitution may divide (``s**2`` as ``(x**2 s**2)/x**2``)."""
    if _is_relation(F):
        return _new_denominators(F.lhs - F.rhs, prev.lhs - prev.rhs, t, lhs, ctx)
    old = {sp.expand(b) for b in _denominator_bases(prev)}
    for b in _denominator_bases(F):
        back = b.subs(t, lhs)
        if sp.expand(back) in old:
            continue
        if not is_nonzero(back, ctx):
            return f"the substitution divides by {back}, which may vanish"
    return None


def _real_only(sym) -> bool:
    return (getattr(sym, "is_real", None) and sym.is_positive is None and
            sym.is_nonnegative is None and sym.is_integer is None)


def _visibly_in(value, dom: sp.Set, ctx: Context) -> bool:
    """Is ``value`` visibly in ``dom`` (under the context's domains)?"""
    value = sp.sympify(value)
    if value.is_number:
        # exactly in the domain: an end left out of it does not count (a rewrite
        # valid inside, such as sign(u - 1) = -1 on (0, 1), may fail there)
        return member(value, dom) is True
    if isinstance(value, sp.Symbol) and ctx.domain(value).is_subset(dom):
        return True
    if isinstance(dom, sp.Range) and dom.step == 1 and dom.sup is sp.oo:
        # an integer expression at or above the range's start (G - 1 for G >= 3)
        return value.is_integer is True and is_nonnegative(value - dom.inf, ctx)
    if not isinstance(dom, sp.Interval):
        return dom == sp.S.Reals and value.is_real is not False
    def inside(gap, strict):
        return is_nonnegative(gap, ctx, strict) or is_nonnegative(sp.together(gap), ctx, strict)

    lo = (not dom.start.is_finite) or inside(value - dom.start, dom.left_open)
    hi = (not dom.end.is_finite) or inside(dom.end - value, dom.right_open)
    return lo and hi


_STEPS = (sp.Piecewise, sp.Heaviside, sp.sign, sp.floor, sp.ceiling, sp.DiracDelta)


def _at_finite_end(value, dom: sp.Set) -> bool:
    value = sp.sympify(value)
    return isinstance(dom, sp.Interval) and value.is_number and \
        any(end.is_finite and holds_at(sp.Eq(value, end, evaluate=False), {}) is True
            for end in (dom.start, dom.end))


def _violated_conditions(mapping: Mapping, ctx: Context) -> list:
    """The claim's conditions that the specialisation is not seen to keep."""
    bad = []
    for rel in ctx.relations:
        if not (rel.free_symbols & set(mapping)):
            continue
        inst = rel.xreplace(mapping)
        if inst is sp.true:
            continue
        if not inst.free_symbols:
            if holds_at(inst, {}) is not True:
                bad.append(rel)
            continue
        if _is_inequality(inst):
            gap, strict = relation_gap(inst)
            if is_nonnegative(gap, ctx, strict):
                continue
        bad.append(rel)
    return bad


def not_a_theorem(used) -> str | None:
    """Why ``used`` cannot serve as a lemma at all (None: it can).

    Only a ``forall`` claim expected to hold can: an ``exists`` claim says
    nothing about a given point, and a claim expected to be refuted is false.
    (That it was actually proved is checked over the ancestors, by
    :func:`grpo_sym.proof.verify.fully_verified`.)"""
    if getattr(used.quantifier, "value", used.quantifier) != "forall":
        return f"{used.id} is an 'exists' claim: it cannot be used as a lemma"
    if getattr(used.expected, "value", used.expected) != "holds":
        return f"{used.id} is expected to be refuted: it cannot be used as a lemma"
    return None


def assumptions_gap(c, used, ctx: Context) -> str | None:
    """Why ``used`` cannot be relied on inside ``c`` (None: it can).

    It must be a theorem (:func:`not_a_theorem`).  A claim proved on a narrower
    domain, under extra conditions, on a simplex or under a premise holds only
    there; ``c`` must assume at least as much."""
    unusable = not_a_theorem(used)
    if unusable:
        return unusable
    for sym, dom in used.domains.items():
        if not ctx.domain(sym).is_subset(dom):
            return f"{used.id} holds only for {sym} in {dom}; this claim allows {ctx.domain(sym)}"
    for rel in used.relations:
        if not any(_same_relation(rel, mine, ctx) for mine in c.relations):
            return f"{used.id} assumes {rel}, which this claim does not"
    for sx in used.simplices:
        if not any(set(sx.symbols) == set(mine.symbols) for mine in c.simplices):
            return f"{used.id} assumes {sx.latex()}, which this claim does not"
    if used.given is not None and not (c.given is not None and
                                       _same_relation(used.given, c.given, ctx)):
        return f"{used.id} holds only given {used.given}, which is not this claim's premise"
    return None


def _same_relation(r1, r2, ctx: Context) -> bool:
    if r1 == r2:
        return True
    (k1, g1), (k2, g2) = _kind(r1), _kind(r2)
    if k1 != k2:
        return False
    if sp.expand(g1 - g2) == 0 or (k1 in ("eq", "Ne") and sp.expand(g1 + g2) == 0):
        return True
    return False


class _StepFailure(sp.Dummy):
    """Stands for the result of a step whose rule could not be applied (a Dummy:
    each failure is its own object, with its own message)."""

    def __new__(cls, message: str):
        obj = super().__new__(cls, "step_failed")
        obj.message = message
        return obj

    def __str__(self) -> str:
        return self.message


def _is_relation(e) -> bool:
    return isinstance(e, sp.core.relational.Relational)


def _is_inequality(e) -> bool:
    return isinstance(e, (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan))


def _gap(rel: sp.Basic) -> sp.Expr:
    return rel.lhs - rel.rhs


def _sides(f: Callable[[sp.Expr], sp.Expr]) -> Callable[[sp.Basic], sp.Basic]:
    def apply(e):
        if _is_relation(e):
            return e.func(f(e.lhs), f(e.rhs), evaluate=False)
        return f(e)
    return apply


def _kind(rel: sp.Basic) -> tuple[str, sp.Expr]:
    """Normal form of a relation: ('eq', lhs - rhs) or ('ge'/'gt', gap >= / > 0)."""
    if isinstance(rel, sp.Eq):
        return "eq", rel.lhs - rel.rhs
    if isinstance(rel, sp.Ne):
        return "Ne", rel.lhs - rel.rhs
    if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)):
        gap, strict = relation_gap(rel)
        return ("gt" if strict else "ge"), gap
    if _is_relation(rel):
        return type(rel).__name__, sp.S.Zero
    return "expression", rel     # an expression: its value must be kept


_MISMATCH = sp.Symbol("relation_kind_changed")  # an obligation that can never vanish


def _same_value(new, prev) -> list[sp.Expr]:
    """Both sides keep their values (and a relation keeps its kind)."""
    if _is_relation(new) and _is_relation(prev):
        if type(new) is not type(prev):
            return [_MISMATCH]
        return [new.lhs - prev.lhs, new.rhs - prev.rhs]
    if _is_relation(new) or _is_relation(prev):
        return [_MISMATCH]  # an expression cannot become a relation by rewriting
    return [new - prev]


def instantiate(e: sp.Basic, instance: Mapping) -> sp.Basic:
    """``e`` with each family ``f`` of ``instance`` read as its Lambda:
    ``f[x]`` becomes ``instance[f](x)`` (also inside Lambdas and sums), and each
    quantified symbol ``s`` of ``instance`` replaced by its value (simultaneously)."""
    if not instance:
        return e
    symbols = {k: v for k, v in instance.items() if isinstance(k, sp.Symbol)}
    if symbols:
        families = {k: v for k, v in instance.items() if not isinstance(k, sp.Symbol)}
        return _instantiate_symbols(instantiate(e, families), symbols)
    if isinstance(e, sp.core.relational.Relational):     # rebuilt unevaluated
        return e.func(instantiate(e.lhs, instance), instantiate(e.rhs, instance),
                      evaluate=False)
    return e.replace(lambda x: isinstance(x, sp.Indexed) and x.base in instance,
                     lambda x: instance[x.base](*x.indices))


def _instantiate_symbols(e: sp.Basic, symbols: Mapping) -> sp.Basic:
    if isinstance(e, sp.core.relational.Relational):     # rebuilt unevaluated
        return e.func(_instantiate_symbols(e.lhs, symbols),
                      _instantiate_symbols(e.rhs, symbols), evaluate=False)
    return e.xreplace(symbols)


def instance_problem(lemma, instance: Mapping, ctx: Context) -> str | None:
    """Why ``lemma`` may not be instantiated by ``instance`` here (None: it may).

    Only a theorem may be instantiated, only at families it quantifies over, and
    only with values that are defined, real and in the family's declared domain
    at every index (checked with the index as a free integer)."""
    if not instance:
        return None
    unusable = not_a_theorem(lemma)
    if unusable:
        return unusable
    if lemma.given is not None or lemma.relations or lemma.simplices:
        return f"{lemma.id} has conditions; only an unconditional claim is instantiated"
    bases = {b.label if isinstance(b, sp.IndexedBase) else b
             for b in lemma.statement.atoms(sp.IndexedBase)}
    captured = _capture_problem(lemma, instance)
    if captured:
        return captured
    for sym, value in instance.items():
        if not isinstance(sym, sp.Symbol):
            continue
        # a quantified symbol of the lemma, at a value inside its declared domain
        if sym not in lemma.statement.free_symbols:
            return f"{sym} is not a quantified symbol of {lemma.id}"
        if undefined_reason(sp.sympify(value), ctx) or \
                not _visibly_in(value, lemma.domain(sym), ctx):
            return f"{sym} = {value} is not visibly in the domain {lemma.domain(sym)} of {lemma.id}"
    for fam, value in ((k, v) for k, v in instance.items() if not isinstance(k, sp.Symbol)):
        if not isinstance(fam, sp.IndexedBase) or fam.label not in bases:
            return f"{fam} is not a family of {lemma.id}"
        if not isinstance(value, sp.Lambda) or len(value.variables) != len(
                next(a for a in lemma.statement.atoms(sp.Indexed) if a.base == fam).indices):
            return f"the value of {fam} must be a Lambda of its indices"
        body = value.expr
        why = undefined_reason(carry_out(body), ctx)
        if why:
            return f"the instance of {fam} is not defined everywhere: {why}"
        if not _visibly_in(body, domain_of(fam), ctx):
            return f"the instance of {fam} is not visibly in {domain_of(fam)}"
    return None


class Chain(Proof):
    """A derivation: a start and a list of steps, each checked by its rule.

    An *expression chain* starts from an expression ``e0`` and proves
    ``Eq(e0, en)`` (with any specialisations applied to ``e0``).  A *relation
    chain* starts from an equation (a claim's statement, or ``e = 0`` set by
    :meth:`set_to_zero`) and proves the last equation wherever the first holds.
    The claim's statement must match the chain's conclusion.
    """

    def __init__(self, start) -> None:
        from .claims import Claim

        self.start_claim = start if isinstance(start, Claim) else None
        self.start = start.statement if isinstance(start, Claim) else sp.sympify(start)
        self.steps: list[Step] = []

    # -- the rules ------------------------------------------------------
    def _add(self, step: Step) -> "Chain":
        self.steps.append(step)
        return self

    def rewrite(self, result, why: str = "") -> "Chain":
        """Rewrite into an equal form (each side of an equation separately)."""
        return self._add(Step("rewrite", why, sp.sympify(result), lambda e: e))

    def _computed(self, rule, fn, why, result) -> "Chain":
        return self._add(Step(rule, why, None if result is None else sp.sympify(result),
                              _sides(fn)))

    def expand(self, why: str = "", result=None) -> "Chain":
        return self._computed("expand", sp.expand, why, result)

    def simplify(self, why: str = "", result=None) -> "Chain":
        return self._computed("simplify", sp.simplify, why, result)

    def factor(self, why: str = "", result=None) -> "Chain":
        return self._computed("factor", sp.factor, why, result)

    def together(self, why: str = "", result=None) -> "Chain":
        return self._computed("combine fractions", lambda e: sp.cancel(sp.together(e)), why, result)

    def expand_sums(self, why: str = "", result=None) -> "Chain":
        """Carry out finite sums (``Sum(...).doit()``) over concrete ranges."""
        return self._computed("carry out the sum", lambda e: e.doit(), why, result)

    def substitute(self, what, why: str = "", result=None, instance: Mapping | None = None
                   ) -> "Chain":
        """Use a proved equation (a claim: lhs -> rhs) or specialise symbols.

        With a claim, occurrences of its left side are replaced by its right
        side; the claim is recorded in ``uses``.  ``instance`` first instantiates
        the claim's own universally quantified families: ``{f: Lambda(j, e(j))}``
        reads ``f[x]`` as ``e(x)`` throughout (each value must be defined, real and
        in the family's domain here).  With a mapping ``{symbol: value}`` the
        derivation is specialised to that case (for example ``pi_old = pi_theta``),
        which the conclusion inherits.
        """
        from .claims import Claim

        if isinstance(what, Claim):
            eq = instantiate(what.statement, instance or {})

            def replace(e):
                if not isinstance(eq, sp.Eq) or what.is_limit:
                    raise ValueError(f"{what.id} is not an equation: it cannot be substituted")
                new = e.xreplace({eq.lhs: eq.rhs})      # the left side as it stands
                if new == e:
                    new = _replace_core(e, eq.lhs, eq.rhs)
                if new == e:
                    new = e.subs(eq.lhs, eq.rhs)        # SymPy's algebraic matching
                if new == e:
                    raise ValueError(f"the left side of {what.id} does not occur")
                return new

            def obligation(new, prev):
                # prev = F(lhs) and new = F(rhs) for one F: then lhs = rhs gives new = prev
                t = sp.Symbol("substituted__")
                F = _abstract(prev, eq.lhs, t)
                return _same_value(F.subs(t, eq.lhs), prev) + _same_value(new, F.subs(t, eq.rhs))

            def side(prev, ctx):
                problem = instance_problem(what, instance or {}, ctx)
                if problem:
                    return problem
                t = sp.Symbol("substituted__")
                if prev.xreplace({eq.lhs: t}) != prev:
                    return None     # replaced where it stands: the same denominators
                F = _abstract(prev, eq.lhs, t)
                # F must not divide by what may vanish where prev did not
                return _new_denominators(F, prev, t, eq.lhs, ctx)

            return self._add(Step(f"substitute {what.id}", why, None if result is None else
                                  sp.sympify(result), replace, obligation, side, uses=(what,)))
        mapping = dict(what)
        text = ", ".join(f"{k} = {v}" for k, v in mapping.items())

        def specialise(e):
            if any(isinstance(k, (sp.IndexedBase, sp.Indexed)) or sp.sympify(v).has(sp.Indexed)
                   for k, v in mapping.items()) and \
                    sp.sympify(e).has(sp.Derivative, sp.Subs, sp.Integral):
                # SymPy substitutes a family, or a value built from one, *inside* an
                # unevaluated derivative (it makes a Subs only when it sees the variable):
                # d/dx[m] f(x, y) at y = x, or at y = sum_j x[j], would be differentiated
                # after the substitution
                raise ValueError("a family cannot be specialised inside an unevaluated "
                                 "derivative; carry the derivative out first")
            return e.subs(mapping)

        def obligation(new, prev):
            return _same_value(new, specialise(prev))

        return self._add(Step(f"specialise {text}", why, None if result is None else
                              sp.sympify(result), specialise, obligation,
                              specialise=mapping))

    def differentiate(self, var: sp.Symbol, why: str = "", result=None) -> "Chain":
        """From an expression ``e`` to ``de/dvar`` (an expression chain then proves
        ``d e0/dvar = en``).  Relations are refused: differentiating both sides of
        an equation that holds only at some points proves nothing."""
        def compute(e):
            if _is_relation(e):
                raise ValueError("differentiate applies to an expression, not a relation")
            return sp.diff(e, var)

        return self._add(Step(f"differentiate with respect to {var}", why,
                              None if result is None else sp.sympify(result), compute,
                              lambda new, prev: [_MISMATCH] if _is_relation(prev) else
                              _same_value(new, sp.diff(prev, var)),
                              on_start=lambda e: sp.Derivative(e, var)))

    def set_to_zero(self, why: str = "") -> "Chain":
        """From an expression ``e`` to the condition ``e = 0`` (the premise)."""
        def compute(e):
            if _is_relation(e):
                raise ValueError("set_to_zero applies to an expression, not a relation")
            return sp.Eq(e, 0, evaluate=False)

        return self._add(Step("set to zero", why, None, compute, lambda new, prev: [],
                              premise=True))

    def _both(self, rule, factor, op, why, result) -> "Chain":
        factor = sp.sympify(factor)

        def compute(e):
            if not isinstance(e, sp.Eq):
                raise ValueError(f"{rule} both sides applies to an equation, not {type(e).__name__}")
            return sp.Eq(op(e.lhs, factor), op(e.rhs, factor), evaluate=False)

        def obligation(new, prev):
            if not (isinstance(new, sp.Eq) and isinstance(prev, sp.Eq)):
                return [_MISMATCH]
            return [_gap(new) - op(_gap(prev), factor) + (op(0, factor) if rule == "add" else 0)]

        def side(prev, ctx):
            if rule == "add" or is_nonzero(factor, ctx):
                return None
            return f"cannot see that {factor} is non-zero"

        return self._add(Step(f"{rule} both sides {factor}", why,
                              None if result is None else sp.sympify(result),
                              compute, obligation, side))

    def multiply_both_sides(self, factor, why: str = "", result=None) -> "Chain":
        """Multiply an equation by ``factor``; side condition: ``factor != 0``."""
        return self._both("multiply", factor, lambda a, f: a * f, why, result)

    def divide_both_sides(self, factor, why: str = "", result=None) -> "Chain":
        """Divide an equation by ``factor``; side condition: ``factor != 0``."""
        return self._both("divide", factor, lambda a, f: a / f, why, result)

    def add_both_sides(self, term, why: str = "", result=None) -> "Chain":
        return self._both("add", term, lambda a, t: a + t, why, result)

    def rearrange(self, result, why: str = "") -> "Chain":
        """Move terms across: ``lhs - rhs`` is unchanged (or changes sign)."""
        def obligation(new, prev):
            (k_new, g_new), (k_prev, g_prev) = _kind(new), _kind(prev)
            if k_new != k_prev:
                return [_MISMATCH]
            plus = g_new - g_prev
            if k_new != "eq":
                return [plus]
            minus = g_new + g_prev    # an equation may change sides
            for cheap in (sp.expand, lambda e: sp.cancel(sp.together(e))):
                if cheap(plus) == 0:
                    return [plus]
                if cheap(minus) == 0:
                    return [minus]
            return [plus]
        return self._add(Step("rearrange", why, sp.sympify(result), lambda e: e, obligation))

    def take_root(self, var: sp.Symbol, root, select: str = "nonnegative", why: str = "",
                  condition: sp.Basic | None = None, certificate=None,
                  justified_by=None) -> "Chain":
        """From ``a var**2 + b var + c = 0`` to ``var = root``.

        ``select="nonnegative"``: ``a > 0`` and ``c/a <= 0`` are checked, so the
        roots have opposite signs (or one is 0) and ``root`` must be the larger,
        the unique non-negative root.  ``select="condition"``: the chosen root
        satisfies ``condition`` (proved by ``certificate``, a visibly >= 0 form
        of the condition's gap at the root) and the other root violates it
        (its gap, written as ``-certificate_other``) -- pass both as a tuple --
        and the condition must hold at every solution: ``justified_by`` is a
        proved claim stating it under the chain's premise.
        """
        root = sp.sympify(root)

        def coeffs(prev):
            if not isinstance(prev, sp.Eq):
                raise ValueError(f"take_root needs an equation, not {type(prev).__name__}")
            poly = sp.Poly(sp.expand(_gap(prev)), var)
            if poly.degree() != 2:
                raise ValueError(f"not a quadratic in {var}")
            return poly.all_coeffs()

        def obligation(new, prev):
            a, b, c = coeffs(prev)
            return [a * root**2 + b * root + c]

        def side(prev, ctx):
            a, b, c = coeffs(prev)
            if select == "nonnegative":
                dom = ctx.domain(var)
                if not (dom.inf >= 0):
                    return f"{var} is not known to be non-negative, so a negative root also counts"
                if not is_nonnegative(a, ctx, strict=True):
                    return "leading coefficient not visibly positive"
                # opposite signs; a zero root only if 0 lies outside the domain
                excludes_zero = 0 not in dom
                if not is_nonnegative(sp.factor(-c / a), ctx, strict=not excludes_zero):
                    return ("product of the roots not visibly < 0" if not excludes_zero
                            else "product of the roots not visibly <= 0")
                larger = (-b + sp.sqrt(b**2 - 4 * a * c)) / (2 * a)
                if prove_zero(root - larger, ctx) is None:
                    return "the chosen root is not the larger root"
                return None
            if select == "condition":
                if justified_by is None or not _same_relation(justified_by.statement,
                                                              condition, ctx):
                    return ("the condition must be a proved claim under the premise "
                            "(justified_by=...), or the other root may be the solution")
                cert_root, cert_other = certificate
                other = -b / a - root
                d_root, _ = relation_gap(condition)
                if prove_zero(d_root.subs(var, root) - cert_root, ctx) is None or \
                        not is_nonnegative(cert_root, ctx):
                    return "the chosen root does not visibly satisfy the condition"
                if prove_zero(d_root.subs(var, other) + cert_other, ctx) is None or \
                        not is_nonnegative(cert_other, ctx, strict=True):
                    return "the other root does not visibly violate the condition"
                return None
            return f"unknown root selection {select!r}"

        return self._add(Step(f"take the {select} root", why, sp.Eq(var, root, evaluate=False),
                              lambda e: sp.Eq(var, root, evaluate=False), obligation, side,
                              uses=(justified_by,) if justified_by is not None else ()))

    def apply(self, fn: Callable[[sp.Basic], sp.Basic], rule: str, why: str = "",
              result=None) -> "Chain":
        """A custom value-preserving rule: ``result`` must equal ``fn(previous)``
        and the previous expression (``fn`` is code, so its value is checked too)."""
        def obligation(new, prev):
            return _same_value(new, fn(prev)) + _same_value(new, prev)
        return self._add(Step(rule, why, None if result is None else sp.sympify(result),
                              fn, obligation))

    # -- what the chain establishes -------------------------------------
    def uses(self):
        found = [self.start_claim] if self.start_claim is not None else []
        for s in self.steps:
            found.extend(u for u in s.uses if u not in found)
        return found

    def run(self) -> list[tuple[Step, sp.Basic, sp.Basic]]:
        """(step, previous, result) for each step, computing omitted results."""
        out, prev = [], self.start
        for step in self.steps:
            if step.result is not None:
                new = step.result
            else:
                try:
                    new = step.compute(prev)
                except (ValueError, TypeError) as exc:
                    new = _StepFailure(str(exc))
            out.append((step, prev, new))
            prev = new
        return out

    def conclusion(self) -> tuple[sp.Basic, sp.Basic]:
        """(first, last): the start (specialised) and the final expression."""
        first = self.start
        for step in self.steps:
            if first is None:
                break
            if step.specialise:
                first = first.subs(step.specialise)
            if step.on_start is not None:   # e.g. e1 = d e0/dx: the chain proves d e0/dx = en
                first = step.on_start(first)
            if step.premise:
                first = None
        rows = self.run()
        last = rows[-1][2] if rows else self.start
        return first, last

    @staticmethod
    def _step_obligations(step: Step, new, prev) -> list[sp.Expr]:
        if step.obligation is not None:
            return step.obligation(new, prev)
        return _same_value(new, step.compute(prev))

    def obligations(self, c):
        obs = []
        for step, prev, new in self.run():
            if isinstance(new, _StepFailure) or isinstance(prev, _StepFailure):
                continue
            try:
                obs.extend(self._step_obligations(step, new, prev))
            except (ValueError, TypeError):
                continue
        return obs

    def check(self, c, ctx):
        results: list[StepResult] = []
        ok_all = True
        if self.start_claim is not None:
            gap = assumptions_gap(c, self.start_claim, ctx)
            if gap:
                return ProofResult(Outcome.UNPROVED, f"the chain starts from {gap}")
        # a chain from a premise (a plain relation, or a claim holding under one) is
        # conditional: specialising it would restrict the premise too
        conditional = (self.start_claim.given is not None) if self.start_claim is not None \
            else _is_relation(self.start)
        # a step function anywhere before (even rewritten away on the open domain) may
        # jump at an end of the interval: then no specialisation at an end
        stepped = sp.sympify(self.start).has(*_STEPS) if not _is_relation(self.start) else True
        for step, prev, new in self.run():
            methods, ok = [], True
            stepped = stepped or (isinstance(prev, sp.Basic) and prev.has(*_STEPS))
            if step.specialise and _is_relation(prev) and conditional:
                # "given E(a, b), specialise b = 1" would claim more than E gives
                results.append(StepResult(step.rule, step.why, new, False,
                                          "a specialisation after the premise is set restricts "
                                          "the premise too; specialise before setting it"))
                ok_all = False
                continue
            conditional = conditional or step.premise
            if step.specialise:
                # a symbol with no assumption beyond "real" may take any real value:
                # SymPy simplified nothing with a property only its domain gives
                # an end of an interval outside the domain counts when the expression is
                # continuous up to it: no steps, and defined at the end itself
                continuous = not stepped and not _is_relation(prev) and \
                    undefined_reason(carry_out(prev.subs(step.specialise)), ctx) is None
                outside = [f"{k} = {v}" for k, v in step.specialise.items()
                           if not (_real_only(k) and sp.sympify(v).is_real is not False)
                           and not _visibly_in(v, ctx.domain(k), ctx)
                           and not (continuous and _at_finite_end(v, ctx.domain(k)))]
                if outside:
                    methods.append("not visibly in the domain: " + ", ".join(outside))
                    ok = False
                violated = _violated_conditions(step.specialise, ctx)
                if violated:
                    methods.append("the specialisation may violate the condition "
                                   + ", ".join(map(str, violated)))
                    ok = False
            for u in step.uses:
                gap = assumptions_gap(c, u, ctx)
                if gap:
                    methods.append(gap)
                    ok = False
            if isinstance(new, _StepFailure) or isinstance(prev, _StepFailure):
                results.append(StepResult(step.rule, step.why, sp.S.Zero, False,
                                          str(new if isinstance(new, _StepFailure) else prev)))
                ok_all = False
                continue
            try:
                for ob in self._step_obligations(step, new, prev):
                    how = prove_zero(ob, ctx)
                    ok = ok and how is not None
                    methods.append(how or "not reduced to 0")
                problem = step.side(prev, ctx)
            except (ValueError, TypeError) as exc:
                ok, problem = False, str(exc)
            if problem:
                ok = False
                methods.append(problem)
            results.append(StepResult(step.rule, step.why, new, ok, "; ".join(dict.fromkeys(methods))))
            ok_all = ok_all and ok
        if not ok_all:
            bad = next(r for r in results if not r.ok)
            return ProofResult(Outcome.UNPROVED, f"step '{bad.rule}' not checked: {bad.method}",
                               results)
        problem = self._matches(c, ctx)
        if problem:
            return ProofResult(Outcome.UNPROVED, problem, results)
        return ProofResult(Outcome.PROVED, f"{len(results)} steps checked", results)

    def _matches(self, c, ctx) -> str | None:
        first, last = self.conclusion()
        stmt = c.statement
        if first is not None and not _is_relation(first):
            if not isinstance(stmt, sp.Eq):
                return "an expression chain proves only an equation"
            if prove_zero(stmt.lhs - first, ctx) is None or prove_zero(stmt.rhs - last, ctx) is None:
                return "the chain's two ends are not the statement's two sides"
            return None
        # relation chain: the last relation must be the statement (an equation
        # up to sign; an inequality exactly, in its normal form)
        if not _is_relation(last):
            return "a relation chain must end in the statement's relation"
        (k_stmt, g_stmt), (k_last, g_last) = _kind(stmt), _kind(last)
        if k_stmt != k_last:
            return f"the chain ends in a {k_last} relation, the statement is {k_stmt}"
        if prove_zero(g_stmt - g_last, ctx) is None and \
                (k_stmt != "eq" or prove_zero(g_stmt + g_last, ctx) is None):
            return "the chain ends in a different relation from the statement"
        premise = self.premise()
        if premise is not None:
            if c.given is None:
                return "the claim must state the chain's premise as 'given'"
            (k_p, g_p), (k_g, g_g) = _kind(premise), _kind(c.given)
            same = k_p == k_g and (prove_zero(g_p - g_g, ctx) is not None or
                                   (k_p == "eq" and prove_zero(g_p + g_g, ctx) is not None))
            if not same:
                return "the chain's premise is not the claim's 'given'"
        return None

    def premise(self) -> sp.Basic | None:
        """The condition the conclusion depends on (None: unconditional)."""
        for step, prev, new in self.run():
            if step.premise:
                return new
        if self.start_claim is not None:
            return self.start_claim.given
        return self.start if _is_relation(self.start) else None

    def describe(self):
        return [(step.rule, step.why, new) for step, prev, new in self.run()]


def chain(start) -> Chain:
    """Start a derivation from a claim, an equation or an expression."""
    return Chain(start)


class MonotoneComparison(Proof):
    """Compare two points through a strictly increasing function: ``y <= r`` (``<``, ``=``).

    The statement is ``Le(y, r)``, ``Lt(y, r)`` or ``Eq(y, r)`` (``Ge``/``Gt`` read the other
    way), or ``Eq(sign(E), sign(r - y))`` with ``E = g(r) - g(y)`` (certificate 0): the sign of a
    difference of values is the sign of the difference of the points.  ``increasing`` is a proved claim ``d g(x)/dx > 0`` with ``x`` ranging over an
    interval, unconditional (``instance`` may substitute its size symbols, e.g. ``G -> G + 1``,
    visibly within their domains); ``y`` and ``r`` must visibly lie in that interval.  Then
    ``g`` is strictly increasing there (mean value theorem), so ``g(r) - g(y) >= 0`` gives
    ``y <= r``, ``> 0`` gives ``y < r`` and ``= 0`` gives ``y = r``.  ``g(r) - g(y)`` is shown
    as ``certificate`` (visibly >= 0, > 0, or 0) plus multiples of the claim's equations:
    ``premises = {equation: multiple}`` (its ``given`` and its ``Eq`` conditions), each
    ``equation.lhs - equation.rhs`` vanishing where the claim is stated.  ``lemmas`` as for
    :class:`Certificate`.

    This is how "the zero of" is stated: the roots are symbols with their defining equations
    as premises, and a comparison of roots is an inequality between two symbols.
    """

    def __init__(self, increasing, certificate=0, why: str = "", premises: Mapping | None = None,
                 lemmas: Mapping | None = None, instance: Mapping | None = None) -> None:
        self.increasing = increasing
        self.certificate = sp.sympify(certificate)
        self.why = why
        self.premises = {rel: sp.sympify(m) for rel, m in (premises or {}).items()}
        self.lemmas = dict(lemmas or {})
        self.instance = dict(instance or {})

    def uses(self):
        return [self.increasing, *self.lemmas]

    def _function(self):
        """(g, x) from the lemma ``d g(x)/dx > 0``, at the instance; None when not of that form."""
        stmt = self.increasing.statement
        if not (isinstance(stmt, sp.StrictGreaterThan) and stmt.rhs == 0
                and isinstance(stmt.lhs, sp.Derivative) and len(stmt.lhs.variables) == 1):
            return None
        g, (x,) = stmt.lhs.expr, stmt.lhs.variables
        return g.xreplace(self.instance), x

    def _sides(self, c):
        stmt = c.statement
        if isinstance(stmt, sp.Eq) and isinstance(stmt.lhs, sp.sign) \
                and isinstance(stmt.rhs, sp.sign):
            # sign(E) = sign(r - y): E = g(r) - g(y) has the sign of r - y
            terms = sp.Add.make_args(stmt.rhs.args[0])
            ups = [t for t in terms if isinstance(t, sp.Symbol)]
            downs = [-t for t in terms if isinstance(-t, sp.Symbol)]
            if len(terms) != 2 or len(ups) != 1 or len(downs) != 1:
                return None
            return downs[0], ups[0]
        if isinstance(stmt, (sp.LessThan, sp.StrictLessThan, sp.Eq)):
            return stmt.lhs, stmt.rhs
        if isinstance(stmt, (sp.GreaterThan, sp.StrictGreaterThan)):
            return stmt.rhs, stmt.lhs
        return None

    def _premise_term(self, c) -> sp.Expr:
        return sp.Add(*[m * (rel.lhs - rel.rhs) for rel, m in self.premises.items()])

    def obligations(self, c):
        found, sides = self._function(), self._sides(c)
        if found is None or sides is None:
            return []
        (g, x), (y, r) = found, sides
        diff = g.xreplace({x: r}) - g.xreplace({x: y})
        if self._is_sign(c):          # E - (g(r) - g(y)) must vanish
            diff = c.statement.lhs.args[0] - diff
        return [diff - self.certificate - self._premise_term(c)]

    @staticmethod
    def _is_sign(c) -> bool:
        return isinstance(c.statement, sp.Eq) and isinstance(c.statement.lhs, sp.sign)

    def check(self, c, ctx):
        found, sides = self._function(), self._sides(c)
        if found is None:
            return ProofResult(Outcome.UNPROVED, f"{self.increasing.id} is not d g(x)/dx > 0")
        if sides is None:
            return ProofResult(Outcome.UNPROVED, "MonotoneComparison proves y <= r, y < r or "
                               "y = r")
        (_, x), (y, r) = found, sides
        lemma = self.increasing
        unusable = not_a_theorem(lemma)
        if unusable:
            return ProofResult(Outcome.UNPROVED, unusable)
        if lemma.given is not None or lemma.relations or lemma.simplices:
            return ProofResult(Outcome.UNPROVED, f"{lemma.id} has conditions: g need not "
                               "increase on the whole interval")
        lemma_ctx = Context.for_claim(lemma)
        dom = lemma_ctx.domain(x)
        if not isinstance(dom, sp.Interval):
            return ProofResult(Outcome.UNPROVED, f"the domain of {x} is not an interval")
        for sym, value in self.instance.items():
            if not _visibly_in(value, lemma_ctx.domain(sym), ctx) and not (
                    lemma_ctx.domain(sym).is_subset(sp.S.Integers) and value.is_integer
                    and is_nonnegative(value - lemma_ctx.domain(sym).inf, ctx)
                    and lemma_ctx.domain(sym).sup is sp.oo):
                return ProofResult(Outcome.UNPROVED, f"{sym} = {value} is not visibly in the "
                                   f"domain of {lemma.id}")
        for sym in lemma.free_symbols:
            if sym != x and sym not in self.instance and \
                    not ctx.domain(sym).is_subset(lemma_ctx.domain(sym)):
                return ProofResult(Outcome.UNPROVED, f"{lemma.id} needs {sym} in "
                                   f"{lemma_ctx.domain(sym)}")
        for point in (y, r):
            if not _visibly_in(point, dom, ctx):
                return ProofResult(Outcome.UNPROVED, f"{point} is not visibly in {dom}, where "
                                   "g increases")
        for rel in self.premises:
            mine = [c.given] if c.given is not None else []
            mine += [e for e in c.relations if isinstance(e, sp.Eq)]
            if not isinstance(rel, sp.Eq) or not any(_same_relation(rel, e, ctx) for e in mine):
                return ProofResult(Outcome.UNPROVED, f"{rel} is not an equation the claim assumes")
        # an equation of points, or sign(E) = sign(r - y): g(r) - g(y) is E itself, exactly
        kind = "eq" if isinstance(c.statement, sp.Eq) else _kind(c.statement)[0]
        atoms, problems = _lemma_atoms(self.lemmas, ctx, c)
        if problems:
            return ProofResult(Outcome.UNPROVED, "; ".join(problems))
        for e in (self.certificate.xreplace(atoms), *[m for m in self.premises.values()]):
            why = undefined_reason(carry_out(ctx.eliminate(e)), ctx)
            if why:
                return ProofResult(Outcome.UNPROVED, f"not defined everywhere: {why}")
        how = prove_zero(self.obligations(c)[0], ctx)
        if how is None:
            return ProofResult(Outcome.UNPROVED, "g(r) - g(y) does not equal the certificate")
        if kind == "eq":
            if self.certificate != 0:
                return ProofResult(Outcome.UNPROVED, "an equation needs g(r) - g(y) = 0 "
                                   "(a sign statement: g(r) - g(y) = E)")
        elif not is_nonnegative(self.certificate.xreplace(atoms), ctx, strict=kind == "gt"):
            return ProofResult(Outcome.UNPROVED, "the certificate of g(r) - g(y) is not visibly "
                               + ("positive" if kind == "gt" else "non-negative"))
        return ProofResult(Outcome.PROVED, f"g increases ({lemma.id}); g(r) - g(y) = "
                           f"certificate ({how})")

    def describe(self):
        return [("monotone comparison", self.why or "g is strictly increasing, so the order of "
                 "g(y), g(r) is the order of y, r", self.certificate)]


# -- existence of a root: the intermediate value theorem ------------------------------------

# the functions continuous wherever they are defined and real (undefined_reason decides that):
# no steps (sign, floor, Heaviside, Piecewise, KroneckerDelta), no operator the kernel cannot see
# into (an unevaluated derivative, a function of our own)
_CONTINUOUS = (sp.Add, sp.Mul, sp.Pow, sp.Sum, sp.exp, sp.log, sp.sin, sp.cos, sp.atan, sp.sinh,
               sp.cosh, sp.tanh, sp.asinh, sp.Abs, sp.Max, sp.Min)
IVT_SAMPLES = 6        # sample points at which the numeric backup decides the two end signs


def continuity_problem(f: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr,
                       ctx: Context) -> str | None:
    """Why ``f`` may fail to be continuous in ``x`` on the closed interval ``[lo, hi]``
    (None: it is continuous there).

    ``x = lo + (hi - lo) t`` with ``t`` in ``[0, 1]`` (an affine bijection, ``hi > lo``); then
    ``f`` must be built from continuous pieces only (sums, products, powers, finite sums
    over a range free of ``t``, exp, log, sin, cos, |.|, max, min, ...) and defined and
    real at every point (:func:`~grpo_sym.proof.kernel.undefined_reason`: every
    denominator non-zero, every radicand >= 0, every log argument > 0, a variable power
    of a positive base).  A composition of continuous functions is continuous.

    >>> from sympy import Interval, Rational, sqrt
    >>> from grpo_sym.proof.domains import variable
    >>> x = variable("x_continuity_demo", Interval.open(0, 1))
    >>> continuity_problem(sqrt(x * (1 - x)), x, 0, 1, Context()) is None
    True
    >>> continuity_problem(1 / (x - Rational(1, 2)), x, 0, 1, Context())
    '1/(x_continuity_demo__t - 1/2): x_continuity_demo__t - 1/2 may vanish'
    """
    if not is_positive(hi - lo, ctx):
        return f"the interval [{lo}, {hi}] is not visibly non-degenerate ({hi} > {lo})"
    t = sp.Symbol(f"{x.name}__t", nonnegative=True)   # a reserved name, not a Dummy
    inner = Context({**ctx.domains, t: sp.Interval(0, 1)}, ctx.relations, ctx.simplices)
    ft = carry_out(ctx.eliminate(sp.sympify(f))).xreplace({x: lo + (hi - lo) * t})
    for node in sp.preorder_traversal(ft):
        if node.is_Symbol or t not in node.free_symbols:
            continue
        if not isinstance(node, _CONTINUOUS):
            return f"{node}: {type(node).__name__} is not known to be continuous"
        if isinstance(node, sp.Sum) and any(t in (a.free_symbols | b.free_symbols)
                                            for _, a, b in node.limits):
            return f"{node}: the range of the sum moves with {x}"
    return undefined_reason(ft, inner)


def _equation_rewrites(equations: Mapping, c, ctx: Context) -> tuple[list, list[str]]:
    """``(lhs, rhs)`` instances of proved equations, and why an instance is not usable."""
    pairs, problems = [], []
    for eq, subs_list in equations.items():
        if not isinstance(eq.statement, sp.Eq):
            problems.append(f"{eq.id} is not an equation")
            continue
        for sub in _usable_instances(eq, subs_list, c, ctx, problems):
            pairs.append((eq.statement.lhs.subs(sub), eq.statement.rhs.subs(sub)))
    return pairs, problems


def _rewritten(e: sp.Expr, pairs: list) -> sp.Expr:
    for lhs, rhs in pairs:
        done = e.xreplace({lhs: rhs})
        e = done if done != e else e.subs(lhs, rhs)
    return e


def _nonzero_at_a_sample(c, e: sp.Expr, inner: Mapping) -> bool:
    """``e`` (with ``inner`` substituted) is decided non-zero, exactly, at one of two sample
    points of ``c``: then it is certainly not identically zero."""
    from .numeric import sample_points
    e = e.xreplace(inner)
    return any(holds_at(sp.Ne(e, 0, evaluate=False), point) is True
               for point in sample_points(c, 2))


class IntermediateValue(Proof):
    """Prove that an equation has a root in an interval: the statement is
    ``Ne(ConditionSet(x, Eq(L, R), Interval(a, b)), EmptySet)``, "some x in (a, b) has
    L = R" (the interval open or closed).

    Bolzano's theorem: ``F`` continuous on ``[a, b]`` with ``F(a)``, ``F(b)`` of strictly
    opposite signs vanishes at some ``x`` in ``(a, b)``.  ``F`` is ``L - R`` or, with
    ``function`` and ``factor``, any ``F`` with ``L - R = factor * F`` where ``factor`` is
    visibly non-zero on the open interval (so the two have the same roots there; this is how
    ``beta p = B(p)`` becomes ``P(p) - beta`` with ``B(p) = p P(p)``).  Checked, not trusted:

    * ``a``, ``b`` lie in the closure of the declared domain of ``x`` and ``b > a``;
    * ``F`` is continuous on the CLOSED interval (:func:`continuity_problem`);
    * ``F(a)`` and ``F(b)`` are each visibly ``> 0`` or ``< 0`` (the kernel's sign rules),
      with opposite signs.  ``lower``/``upper`` (optional) are expressions equal to ``F(a)``,
      ``F(b)`` written so that the sign shows; ``lemmas`` (proved inequalities, as for
      :class:`Certificate`) may appear in them as atoms; ``equations`` (proved unconditional
      equations, ``{claim: [substitution, ...]}``) are substituted into ``F(a)``, ``F(b)``
      first (``B_G[phi](1) = 0``).

    The numeric backup cannot sample an existence; the claim's own numeric check (set here
    unless the author gives one) decides the two end signs exactly (Arb) at sample points.
    """

    def __init__(self, lower=None, upper=None, why: str = "", lemmas: Mapping | None = None,
                 equations: Mapping | None = None, function=None, factor=1) -> None:
        self.lower = None if lower is None else sp.sympify(lower)
        self.upper = None if upper is None else sp.sympify(upper)
        self.why = why
        self.lemmas = dict(lemmas or {})
        self.equations = dict(equations or {})
        self.function = None if function is None else sp.sympify(function)
        self.factor = sp.sympify(factor)

    def bind(self, c) -> None:
        super().bind(c)
        if c.numeric is None:     # the claim as an argument: a rebound proof keeps it right
            c.numeric = functools.partial(self.end_signs_at_samples, c)

    def uses(self):
        return [*self.lemmas, *self.equations]

    @staticmethod
    def parts(c):
        """``(x, L - R, a, b)`` from the statement; None when it is not a root statement."""
        stmt = c.statement
        if not (isinstance(stmt, sp.Ne) and stmt.rhs is sp.S.EmptySet
                and isinstance(stmt.lhs, sp.ConditionSet)):
            return None
        cs = stmt.lhs
        if not (isinstance(cs.condition, sp.Eq) and isinstance(cs.base_set, sp.Interval)):
            return None
        return cs.sym, cs.condition.lhs - cs.condition.rhs, cs.base_set.start, cs.base_set.end

    def _function(self, gap):
        return gap if self.function is None else self.function

    def _ends(self, c):
        x, gap, lo, hi = self.parts(c)
        f = carry_out(self._function(gap))
        return f.xreplace({x: lo}), f.xreplace({x: hi})

    def obligations(self, c):
        if self.parts(c) is None:
            return []
        x, gap, lo, hi = self.parts(c)
        obs = [] if self.function is None else [gap - self.factor * self.function]
        for end, value in zip(self._ends(c), (self.lower, self.upper)):
            if value is not None:
                obs.append(end - value)
        return obs

    def check(self, c, ctx):
        found = self.parts(c)
        if found is None:
            return ProofResult(Outcome.UNPROVED, "IntermediateValue proves only "
                               "Ne(ConditionSet(x, Eq(L, R), Interval(a, b)), EmptySet)")
        x, gap, lo, hi = found
        if c.given is not None or any(x in r.free_symbols for r in c.relations):
            return ProofResult(Outcome.UNPROVED, f"a premise or condition speaks of {x}: the "
                               "root must range over the whole interval")
        if x in lo.free_symbols | hi.free_symbols:
            return ProofResult(Outcome.UNPROVED, f"an end of the interval depends on {x}")
        dom = ctx.domain(x)
        if not isinstance(dom, sp.Interval):
            return ProofResult(Outcome.UNPROVED, f"the domain of {x} is not an interval")
        closure = sp.Interval(dom.start, dom.end)
        for end in (lo, hi):
            if not _visibly_in(end, closure, ctx):
                return ProofResult(Outcome.UNPROVED, f"the end {end} is not visibly in {closure}, "
                                   f"the closure of the domain of {x}")
        f = self._function(gap)
        # L - R and the factor are defined at every inner point (a root of F where L - R is
        # undefined, as in (x - c)^2/(x - c), is no root of the equation), the factor non-zero
        t = sp.Symbol(f"{x.name}__t", positive=True)
        inside = Context({**ctx.domains, t: sp.Interval.open(0, 1)}, ctx.relations,
                         ctx.simplices)
        at_t = {x: lo + (hi - lo) * t}
        for what, e in (("L - R", gap), ("the factor", self.factor)):
            why = undefined_reason(carry_out(ctx.eliminate(e)).xreplace(at_t), inside)
            if why:
                return ProofResult(Outcome.UNPROVED, f"{what} is not defined inside the "
                                   f"interval: {why}")
        if self.function is not None:
            if not is_nonzero(self.factor.xreplace(at_t), inside):
                return ProofResult(Outcome.UNPROVED, f"the factor {self.factor} may vanish "
                                   "inside the interval")
            # a difference that Arb shows non-zero at an exact sample point is no identity:
            # refused at once (prove_zero may search long before giving up on it)
            if _nonzero_at_a_sample(c, gap - self.factor * f, {x: (lo + hi) / 2}) or \
                    prove_zero(gap - self.factor * f, ctx) is None:
                return ProofResult(Outcome.UNPROVED, "L - R is not factor * F")
        problem = continuity_problem(f, x, lo, hi, ctx)
        if problem:
            return ProofResult(Outcome.UNPROVED, f"F is not visibly continuous on [{lo}, {hi}]: "
                               f"{problem}")
        atoms, problems = _lemma_atoms(self.lemmas, ctx, c)
        pairs, more = _equation_rewrites(self.equations, c, ctx)
        if problems or more:
            return ProofResult(Outcome.UNPROVED, "; ".join(problems + more))
        signs = []
        for name, end, value in zip(("F(a)", "F(b)"), self._ends(c), (self.lower, self.upper)):
            end = _rewritten(end, pairs)
            if value is None:
                value = end
            elif prove_zero(end - value, ctx) is None:
                return ProofResult(Outcome.UNPROVED, f"{name} does not equal {value}")
            shown = value.xreplace(atoms)
            if undefined_reason(shown, ctx):
                return ProofResult(Outcome.UNPROVED, f"{name} is not defined everywhere: "
                                   f"{undefined_reason(shown, ctx)}")
            sign = 1 if is_positive(shown, ctx) else -1 if is_positive(-shown, ctx) else 0
            if not sign:
                return ProofResult(Outcome.UNPROVED, f"{name} = {value} is not visibly > 0 or "
                                   "< 0")
            signs.append(sign)
        if signs[0] == signs[1]:
            return ProofResult(Outcome.UNPROVED, "F(a) and F(b) have the same sign")
        rel = {1: "> 0", -1: "< 0"}
        return ProofResult(Outcome.PROVED, f"F continuous on [{lo}, {hi}]; F(a) {rel[signs[0]]}, "
                           f"F(b) {rel[signs[1]]}")

    def end_signs_at_samples(self, c, dps: int) -> tuple[bool, str]:
        """Evidence for claim ``c``: at sample points of its domain, ``F(a)`` and ``F(b)`` have
        opposite signs, each decided exactly (Arb enclosures; ``dps`` is not needed)."""
        from .numeric import sample_points
        if self.parts(c) is None:
            return False, "not a root statement"
        lo_val, hi_val = self._ends(c)
        decided = 0
        for point in sample_points(c, IVT_SAMPLES):
            found = [holds_at(sp.Gt(v, 0, evaluate=False), point) for v in (lo_val, hi_val)]
            neg = [holds_at(sp.Lt(v, 0, evaluate=False), point) for v in (lo_val, hi_val)]
            if found[0] is True and neg[1] is True or neg[0] is True and found[1] is True:
                decided += 1
            elif (found[0] is True and found[1] is True) or (neg[0] is True and neg[1] is True):
                return False, f"F(a), F(b) have the same sign at {point} (decided exactly)"
        return decided > 0, (f"F(a), F(b) of opposite signs at {decided} sample points (decided "
                             "exactly)")

    def describe(self):
        return [("intermediate value", self.why or "F is continuous on [a, b] and F(a), F(b) "
                 "have opposite signs, so F vanishes in (a, b)", None)]


class RootThreshold(Proof):
    """Prove ``{s in S | some x in I has L = R} = S ∩ (-oo, T)`` (``S`` the domain of the
    parameter ``s``, the right side an interval of it below ``T``): "a root exists iff s < T".

    ``exists`` is a proved claim "some x in I has L = R" under exactly the condition ``s < T``
    (e.g. by :class:`IntermediateValue`); ``none`` a proved claim ``D > 0`` (or ``< 0``) with
    ``D = L - R`` or ``R - L`` for every ``x`` of a domain containing ``I``, under exactly the
    condition ``s >= T``: then no ``x`` of ``I`` has ``L = R``.  Neither may have a premise, and
    the other symbols must range within their domains.
    """

    def __init__(self, exists, none, why: str = "") -> None:
        self.exists, self.none, self.why = exists, none, why

    def bind(self, c) -> None:
        super().bind(c)
        if c.numeric is None:
            c.numeric = self.halves_agree

    def uses(self):
        return [self.exists, self.none]

    def halves_agree(self, dps: int) -> tuple[bool, str]:
        """Evidence: the numeric backups of the two halves agree."""
        from .numeric import numeric_backup
        found = [numeric_backup(h, dps).outcome for h in (self.exists, self.none)]
        return all(o == "agrees" for o in found), f"the two halves' numeric checks: {found}"

    def check(self, c, ctx):
        stmt = c.statement
        if not (isinstance(stmt, sp.Eq) and isinstance(stmt.lhs, sp.ConditionSet)
                and isinstance(stmt.rhs, sp.Interval)):
            return ProofResult(Outcome.UNPROVED, "RootThreshold proves only "
                               "Eq(ConditionSet(s, <a root exists>, S), Interval)")
        s, inner, base = stmt.lhs.sym, stmt.lhs.condition, stmt.lhs.base_set
        if base != ctx.domain(s):
            return ProofResult(Outcome.UNPROVED, f"the parameter set is not the domain of {s}")
        top = stmt.rhs.end
        # beyond the domain's end, "s >= T" is vacuous and (.., T) is not a part of S
        if not _visibly_in(top, sp.Interval(base.start, base.end), ctx):
            return ProofResult(Outcome.UNPROVED, f"the threshold {top} is not visibly in "
                               f"the closure of {base}, the domain of {s}")
        below = sp.Interval(base.start, top, base.left_open, True)
        if stmt.rhs != below:
            return ProofResult(Outcome.UNPROVED, f"the right side must be {below}")
        if inner != self.exists.statement:
            return ProofResult(Outcome.UNPROVED, f"{self.exists.id} is not the existence inside")
        found = IntermediateValue.parts(self.exists)
        if found is None:
            return ProofResult(Outcome.UNPROVED, f"{self.exists.id} is not a root statement")
        x, gap, lo, hi = found
        interval = inner.lhs.base_set
        for half, rel in ((self.exists, sp.Lt(s, top)), (self.none, sp.Ge(s, top))):
            unusable = not_a_theorem(half)
            if unusable:
                return ProofResult(Outcome.UNPROVED, unusable)
            if half.given is not None or half.simplices or len(half.relations) != 1 or \
                    not _same_relation(half.relations[0], rel, ctx):
                return ProofResult(Outcome.UNPROVED, f"{half.id} must hold under exactly {rel}")
            half_ctx = Context.for_claim(half)
            for sym in half.free_symbols:
                if sym not in (x, s) and not ctx.domain(sym).is_subset(half_ctx.domain(sym)):
                    return ProofResult(Outcome.UNPROVED, f"{half.id} needs {sym} in "
                                       f"{half_ctx.domain(sym)}")
            if half_ctx.domain(s) != base:
                return ProofResult(Outcome.UNPROVED, f"{half.id} takes {s} in another set")
        none = self.none.statement
        if not isinstance(none, (sp.StrictGreaterThan, sp.StrictLessThan)):
            return ProofResult(Outcome.UNPROVED, f"{self.none.id} must be a strict sign")
        d, _ = relation_gap(none)
        if not interval.is_subset(Context.for_claim(self.none).domain(x)):
            return ProofResult(Outcome.UNPROVED, f"{self.none.id} does not cover {interval}")
        if prove_zero(d - gap, ctx) is None and prove_zero(d + gap, ctx) is None:
            return ProofResult(Outcome.UNPROVED, f"{self.none.id} is not the sign of L - R")
        return ProofResult(Outcome.PROVED, f"a root for {s} < {top} ({self.exists.id}), none "
                           f"for {s} >= {top} ({self.none.id})")

    def describe(self):
        return [("threshold", self.why or "a root exists below the threshold, and above it "
                 "L - R keeps one strict sign", None)]
