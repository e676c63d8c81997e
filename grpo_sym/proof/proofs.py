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
=====================  ===================================================
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import mpmath
import sympy as sp

from .checks import Context, is_nonnegative, is_nonzero, prove_zero

__all__ = [
    "Outcome", "ProofResult", "StepResult", "Identity", "Chain", "chain", "Certificate",
    "MinimumAt", "Witness", "LimitProof", "relation_gap", "evaluate_exact", "lemma_instance",
]


class Outcome:
    PROVED = "proved"
    REFUTED = "refuted"
    UNPROVED = "unproved"


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


def _lemma_atoms(lemmas: Mapping, ctx: Context) -> tuple[dict, list[str]]:
    """Instances of proved lemmas ``f(y) >= 0`` usable as non-negative atoms."""
    atoms: dict[sp.Expr, sp.Symbol] = {}
    problems: list[str] = []
    for lemma, subs_list in lemmas.items():
        d, strict = relation_gap(lemma.statement)
        lemma_ctx = Context.for_claim(lemma)
        for sub in subs_list:
            for sym, value in sub.items():
                dom = lemma_ctx.domain(sym)
                lo_ok = is_nonnegative(value - dom.inf, ctx, strict=dom.left_open) \
                    if dom.inf.is_finite else True
                hi_ok = is_nonnegative(dom.sup - value, ctx, strict=dom.right_open) \
                    if dom.sup.is_finite else True
                if not (lo_ok and hi_ok):
                    problems.append(f"{lemma.id}: {value} not visibly in the domain of {sym}")
            inst = d.subs(sub)
            dummy = sp.Dummy("lemma", nonnegative=True)
            atoms[inst] = dummy              # as the author writes it: lemma_instance(...)
            atoms[sp.expand(inst)] = dummy   # or expanded
    return atoms, problems


def lemma_instance(lemma, sub: Mapping) -> sp.Expr:
    """The non-negative quantity of a proved inequality ``lemma`` at ``sub``.

    Write certificates with it, so that :class:`Certificate` recognises the
    term as non-negative by ``lemma`` (listed in ``lemmas=``)."""
    d, _ = relation_gap(lemma.statement)
    return d.subs(sub)


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

    def __init__(self, certificate: sp.Expr, why: str = "", lemmas: Mapping | None = None):
        self.certificate = sp.sympify(certificate)
        self.why = why
        self.lemmas = dict(lemmas or {})

    def uses(self):
        return list(self.lemmas)

    def obligations(self, c):
        d, _ = relation_gap(c.statement)
        return [d - self.certificate]

    def check(self, c, ctx):
        d, strict = relation_gap(c.statement)
        how = prove_zero(d - self.certificate, ctx)
        if how is None:
            return ProofResult(Outcome.UNPROVED, "the certificate does not equal lhs - rhs")
        atoms, problems = _lemma_atoms(self.lemmas, ctx)
        if problems:
            return ProofResult(Outcome.UNPROVED, "; ".join(problems))
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
        d, _ = relation_gap(c.statement)
        return [sp.diff(d, self.var) * (self.var - self.point) - self.derivative_certificate]

    def check(self, c, ctx):
        d, strict = relation_gap(c.statement)
        if strict:
            return ProofResult(Outcome.UNPROVED, "MinimumAt proves only non-strict bounds")
        dom = ctx.domain(self.var)
        if not (isinstance(dom, sp.Interval) and self.point in dom):
            return ProofResult(Outcome.UNPROVED, f"{self.point} is not in the domain of {self.var}")
        at_point = sp.simplify(d.subs(self.var, self.point))
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


def evaluate_exact(expr: sp.Expr, point: Mapping, digits: int) -> mpmath.mpf | None:
    """``expr`` at an exact point, to ``digits`` significant digits (None if undefined)."""
    val = sp.sympify(expr)
    ints = {k: v for k, v in point.items() if getattr(k, "is_integer", False)}
    if ints:  # sizes first, so that sums can be written out before r[j] is set
        val = val.subs(ints)
    val = val.doit() if val.has(sp.Sum) else val
    val = val.subs(point)
    try:
        num = sp.N(val, digits, maxn=digits * 20)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if num.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not num.is_real:
        return None
    if not num.is_Number:
        return None
    return mpmath.mpf(sp.Float(num, digits)._mpf_) if num != 0 else mpmath.mpf(0)


def _sign_at(rel: sp.Basic, point: Mapping, digits: int) -> tuple[bool | None, dict]:
    """Does ``rel`` hold at ``point``? Confirmed at ``digits`` and 2x digits."""
    with mpmath.workdps(2 * digits):
        lhs = evaluate_exact(rel.lhs, point, 2 * digits)
        rhs = evaluate_exact(rel.rhs, point, 2 * digits)
    if lhs is None or rhs is None:
        return None, {}
    with mpmath.workdps(2 * digits):
        diff = lhs - rhs
        scale = max(abs(lhs), abs(rhs))
        tol = mpmath.mpf(10) ** (-digits) * scale
        values = {"lhs": mpmath.nstr(lhs, digits), "rhs": mpmath.nstr(rhs, digits)}
        if isinstance(rel, sp.Eq):
            return (abs(diff) <= tol), values
        if isinstance(rel, sp.Ne):
            return (abs(diff) > tol), values
        d, strict = relation_gap(rel)
        gap = diff if d == rel.lhs - rel.rhs else -diff
        if abs(gap) <= tol:
            return (None if strict else True), values
        return (gap > 0), values


class Witness(Proof):
    """A point where the statement fails (``forall``) or holds (``exists``).

    ``point`` maps every free symbol to an exact value (rationals preferred).
    The point must lie in the claim's domains and satisfy its conditions.
    """

    def __init__(self, point: Mapping[sp.Symbol, object], why: str = "") -> None:
        self.point = {k: sp.nsimplify(v) if isinstance(v, float) else sp.sympify(v)
                      for k, v in point.items()}
        self.why = why

    def in_domain(self, c, ctx: Context, digits: int) -> str | None:
        for sym in c.free_symbols:
            if sym not in self.point:
                return f"the witness gives no value for {sym}"
            if self.point[sym] not in ctx.domain(sym):
                return f"{sym} = {self.point[sym]} is outside its domain"
        for rel in c.relations:
            held, _ = _sign_at(rel, self.point, digits)
            if held is not True:
                return f"the witness violates the condition {rel}"
        for s in c.simplices:
            if sp.simplify(sp.Add(*s.symbols).subs(self.point) - 1) != 0:
                return "the witness is not on the simplex"
        return None

    def check(self, c, ctx, digits: int = 50):
        problem = self.in_domain(c, ctx, digits)
        if problem:
            return ProofResult(Outcome.UNPROVED, problem)
        held, values = _sign_at(c.statement, self.point, digits)
        point = {str(k): str(v) for k, v in sorted(self.point.items(), key=lambda kv: kv[0].name)}
        cex = {"point": point, **values}
        if c.quantifier == "exists":
            if held:
                return ProofResult(Outcome.PROVED, "the witness satisfies the statement",
                                   counterexample=None)
            return ProofResult(Outcome.UNPROVED, "the witness does not satisfy the statement")
        if held is False:
            return ProofResult(Outcome.REFUTED, "counterexample confirmed at "
                               f"{digits} and {2 * digits} digits", counterexample=cex)
        return ProofResult(Outcome.UNPROVED, "the witness is not a counterexample")

    def describe(self):
        pt = ", ".join(f"{sp.latex(k)} = {sp.latex(v)}" for k, v in self.point.items())
        return [("witness", self.why or "a concrete point", None)] if not pt else \
            [("witness", (self.why + " " if self.why else "") + f"at ${pt}$", None)]


class LimitProof(Proof):
    """Prove ``Eq(Limit(f, x, x0, dir), L)``: ``limit`` and ``gruntz`` must agree.

    SymPy's ``limit`` is known to return wrong answers, so its value counts only
    when ``gruntz`` (and the numeric estimate of the backup) give the same.
    """

    def __init__(self, why: str = "") -> None:
        self.why = why

    def check(self, c, ctx):
        from sympy.series.gruntz import gruntz

        lim = c.statement.lhs
        f, x, x0, direction = lim.args
        f = ctx.eliminate(f)
        target = c.statement.rhs
        try:
            v1 = sp.limit(f, x, x0, str(direction))
        except (NotImplementedError, ValueError, TypeError) as exc:
            return ProofResult(Outcome.UNPROVED, f"limit failed: {exc}")
        try:
            v2 = gruntz(f, x, x0, str(direction))
        except (NotImplementedError, ValueError, TypeError) as exc:
            return ProofResult(Outcome.UNPROVED, f"gruntz failed: {exc}")
        if v1.has(sp.Limit) or v2.has(sp.Limit):
            return ProofResult(Outcome.UNPROVED, "limit left unevaluated")
        if prove_zero(v1 - v2, ctx) is None and v1 != v2:
            return ProofResult(Outcome.UNPROVED, f"limit gives {v1}, gruntz gives {v2}")
        if v1 == target or prove_zero(v1 - target, ctx) is not None:
            return ProofResult(Outcome.PROVED, f"limit = gruntz = {v1}")
        return ProofResult(Outcome.UNPROVED, f"the limit is {v1}, not {target}")

    def describe(self):
        return [("limit", self.why or "computed by limit and by gruntz, which agree", None)]


# -- chains ---------------------------------------------------------------

@dataclass
class Step:
    rule: str
    why: str
    result: sp.Basic | None              # written result (None: computed)
    compute: Callable[[sp.Basic], sp.Basic]
    obligation: Callable[[sp.Basic, sp.Basic], list[sp.Expr]]
    side: Callable[[sp.Basic, Context], str | None] = lambda prev, ctx: None
    uses: tuple = ()
    specialise: Mapping | None = None
    premise: bool = False


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


class _StepFailure(sp.Symbol):
    """Stands for the result of a step whose rule could not be applied."""

    def __new__(cls, message: str):
        obj = super().__new__(cls, "step_failed")
        obj.message = message
        return obj

    def __str__(self) -> str:
        return self.message


def _is_relation(e) -> bool:
    return isinstance(e, sp.core.relational.Relational)


def _gap(rel: sp.Basic) -> sp.Expr:
    return rel.lhs - rel.rhs


def _sides(f: Callable[[sp.Expr], sp.Expr]) -> Callable[[sp.Basic], sp.Basic]:
    def apply(e):
        if _is_relation(e):
            return e.func(f(e.lhs), f(e.rhs), evaluate=False)
        return f(e)
    return apply


def _same_value(new, prev) -> list[sp.Expr]:
    if _is_relation(new) and _is_relation(prev):
        return [new.lhs - prev.lhs, new.rhs - prev.rhs]
    if _is_relation(new) or _is_relation(prev):
        return [sp.S.One]  # an expression cannot become an equation by rewriting
    return [new - prev]


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
        return self._add(Step("rewrite", why, sp.sympify(result), lambda e: e, _same_value))

    def _computed(self, rule, fn, why, result) -> "Chain":
        return self._add(Step(rule, why, None if result is None else sp.sympify(result),
                              _sides(fn), _same_value))

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

    def substitute(self, what, why: str = "", result=None) -> "Chain":
        """Use a proved equation (a claim: lhs -> rhs) or specialise symbols.

        With a claim, occurrences of its left side are replaced by its right
        side; the claim is recorded in ``uses``.  With a mapping
        ``{symbol: value}`` the derivation is specialised to that case (for
        example ``pi_old = pi_theta``), which the conclusion inherits.
        """
        from .claims import Claim

        if isinstance(what, Claim):
            eq = what.statement

            def replace(e):
                new = e.subs(eq.lhs, eq.rhs)
                if new == e:
                    new = _replace_core(e, eq.lhs, eq.rhs)
                if new == e:
                    raise ValueError(f"the left side of {what.id} does not occur")
                return new

            return self._add(Step(f"substitute {what.id}", why, None if result is None else
                                  sp.sympify(result), replace, _same_value, uses=(what,)))
        mapping = dict(what)
        text = ", ".join(f"{k} = {v}" for k, v in mapping.items())
        return self._add(Step(f"specialise {text}", why, None if result is None else
                              sp.sympify(result), lambda e: e.subs(mapping), _same_value,
                              specialise=mapping))

    def differentiate(self, var: sp.Symbol, why: str = "", result=None) -> "Chain":
        return self._add(Step(f"differentiate with respect to {var}", why,
                              None if result is None else sp.sympify(result),
                              lambda e: sp.diff(e, var), _same_value))

    def set_to_zero(self, why: str = "") -> "Chain":
        """From an expression ``e`` to the condition ``e = 0`` (the premise)."""
        return self._add(Step("set to zero", why, None, lambda e: sp.Eq(e, 0),
                              lambda new, prev: [], premise=True))

    def _both(self, rule, factor, op, why, result) -> "Chain":
        factor = sp.sympify(factor)

        def compute(e):
            return sp.Eq(op(e.lhs, factor), op(e.rhs, factor), evaluate=False)

        def obligation(new, prev):
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
            plus = _gap(new) - _gap(prev)
            return [plus] if prove_zero(plus, Context()) is not None else [_gap(new) + _gap(prev)]
        return self._add(Step("rearrange", why, sp.sympify(result), lambda e: e, obligation))

    def take_root(self, var: sp.Symbol, root, select: str = "nonnegative", why: str = "",
                  condition: sp.Basic | None = None, certificate=None) -> "Chain":
        """From ``a var**2 + b var + c = 0`` to ``var = root``.

        ``select="nonnegative"``: ``a > 0`` and ``c/a <= 0`` are checked, so the
        roots have opposite signs (or one is 0) and ``root`` must be the larger,
        the unique non-negative root.  ``select="condition"``: the chosen root
        satisfies ``condition`` (proved by ``certificate``, a visibly >= 0 form
        of the condition's gap at the root) and the other root violates it
        (its gap, written as ``-certificate_other``) -- pass both as a tuple.
        """
        root = sp.sympify(root)

        def coeffs(prev):
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
                if not is_nonnegative(a, ctx, strict=True):
                    return "leading coefficient not visibly positive"
                if not is_nonnegative(sp.factor(-c / a), ctx):
                    return "product of the roots not visibly <= 0"
                larger = (-b + sp.sqrt(b**2 - 4 * a * c)) / (2 * a)
                if prove_zero(root - larger, ctx) is None:
                    return "the chosen root is not the larger root"
                return None
            if select == "condition":
                cert_root, cert_other = certificate
                other = -b / a - root
                d_root = condition.lhs - condition.rhs
                if prove_zero(d_root.subs(var, root) - cert_root, ctx) is None or \
                        not is_nonnegative(cert_root, ctx):
                    return "the chosen root does not visibly satisfy the condition"
                if prove_zero(d_root.subs(var, other) + cert_other, ctx) is None or \
                        not is_nonnegative(cert_other, ctx, strict=True):
                    return "the other root does not visibly violate the condition"
                return None
            return f"unknown root selection {select!r}"

        return self._add(Step(f"take the {select} root", why, sp.Eq(var, root),
                              lambda e: sp.Eq(var, root), obligation, side))

    def apply(self, fn: Callable[[sp.Basic], sp.Basic], rule: str, why: str = "",
              result=None) -> "Chain":
        """A custom value-preserving rule: ``result`` must equal ``fn(previous)``."""
        return self._add(Step(rule, why, None if result is None else sp.sympify(result),
                              fn, _same_value))

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
            if step.specialise:
                first = first.subs(step.specialise)
            if step.premise:
                first = None
        rows = self.run()
        last = rows[-1][2] if rows else self.start
        return first, last

    def obligations(self, c):
        obs = []
        for step, prev, new in self.run():
            if isinstance(new, _StepFailure) or isinstance(prev, _StepFailure):
                continue
            obs.extend(step.obligation(new, prev))
        return obs

    def check(self, c, ctx):
        results: list[StepResult] = []
        ok_all = True
        for step, prev, new in self.run():
            methods, ok = [], True
            if isinstance(new, _StepFailure) or isinstance(prev, _StepFailure):
                results.append(StepResult(step.rule, step.why, sp.S.Zero, False,
                                          str(new if isinstance(new, _StepFailure) else prev)))
                ok_all = False
                continue
            try:
                for ob in step.obligation(new, prev):
                    how = prove_zero(ob, ctx)
                    ok = ok and how is not None
                    methods.append(how or "not reduced to 0")
                problem = step.side(prev, ctx)
            except (ValueError, TypeError) as exc:
                ok, problem = False, str(exc)
            if problem:
                ok = False
                methods.append(problem)
            results.append(StepResult(step.rule, step.why, new, ok, "; ".join(methods)))
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
        # relation chain: the last equation must be the statement (up to sign)
        if not (_is_relation(last) and isinstance(stmt, sp.Eq)):
            return "a relation chain must end in the statement's equation"
        if prove_zero(_gap(stmt) - _gap(last), ctx) is None and \
                prove_zero(_gap(stmt) + _gap(last), ctx) is None:
            return "the chain ends in a different equation from the statement"
        if first is None or self.start_claim is None:
            if c.given is None and self.premise() is not None:
                return "the claim must state the chain's premise as 'given'"
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
