"""What every renderer shows of a claim, computed once from the registry.

A :class:`ClaimView` holds a claim's statement, assumptions and derivation
steps as LaTeX strings (SymPy's printer with the declared symbol names), with
the outcome of the engine's check.  The LaTeX appendix and the notebooks both
format these views, so a formula is printed from the registry and nowhere else.

>>> from grpo_sym import load_registry
>>> view = claim_view(load_registry()["eq17"])
>>> view.paper, [(step.rule, step.ref) for step in view.steps][:2]
('App. B.1, (17)', [('set to zero', None), ('substitute', 'b1.pairs.objective.derivative.on-policy')])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import sympy as sp

from grpo_sym.proof.claims import Claim
from grpo_sym.proof.domains import latex_names
from grpo_sym.proof.verify import ClaimResult, default_proof

__all__ = ["StepView", "ClaimView", "claim_view", "math_latex", "math_lines", "value_latex",
           "module_of", "generality_text", "BLUEPRINT_DIR", "blueprint_page", "notebook_path",
           "statement_status"]


_LATEX: dict = {}


def math_latex(expr) -> str:
    """SymPy's LaTeX of ``expr`` with the paper's symbol names.

    Remembered per expression: a renderer prints a statement for its view and
    again to break it into lines, and SymPy's printer is most of a build's time."""
    key = (type(expr), expr)     # the type too: SymPy may call 1.0 and 1 equal
    try:
        return _LATEX[key]
    except KeyError:
        text = _LATEX[key] = sp.latex(expr, symbol_names=latex_names())
        return text
    except TypeError:       # an unhashable object (a mutable matrix)
        return sp.latex(expr, symbol_names=latex_names())


def _sum_lines(expr, width: int) -> list[str]:
    if not isinstance(expr, sp.Add):
        return [math_latex(expr)]
    lines, line = [], ""
    for k, term in enumerate(expr.as_ordered_terms()):
        piece = math_latex(term)
        if k and not piece.startswith("-"):
            piece = "+ " + piece
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += (" " if line else "") + piece
    return lines + [line]


def math_lines(expr, width: int = 240, max_lines: int = 12) -> tuple[list[str], int]:
    """``expr`` as LaTeX lines of about ``width`` characters, broken between
    the terms of a sum (a relation: its left side, then its right side).

    Returns the lines (at most ``max_lines``) and how many terms were left out
    to stay within them (0: nothing left out).

    >>> x = sp.Symbol("x")
    >>> math_lines(sp.Eq(sum(x**k for k in range(30)), 0, evaluate=False), width=60)[0][:2]
    ['x^{29} + x^{28} + x^{27} + x^{26} + x^{25} + x^{24} + x^{23}', '+ x^{22} + x^{21} + x^{20} + x^{19} + x^{18} + x^{17}']
    """
    if len(math_latex(expr)) <= width:
        return [math_latex(expr)], 0
    if isinstance(expr, sp.core.relational.Relational):
        left, right = _sum_lines(expr.lhs, width), _sum_lines(expr.rhs, width)
        symbol = math_latex(type(expr)(sp.Symbol("A"), sp.Symbol("B"), evaluate=False)).split()[1]
        right[0] = symbol + " " + right[0]
        lines = left + right
    else:
        lines = _sum_lines(expr, width)
    if len(lines) <= max_lines:
        return lines, 0
    kept, dropped = lines[:max_lines - 1] + lines[-1:], lines[max_lines - 1:-1]
    omitted = sum(line.count(" + ") + line.count(" - ") + 1 for line in dropped)
    return kept, omitted


def value_latex(text: str, digits: int = 20) -> str:
    """A counterexample value (a string: exact rational or decimal) as LaTeX,
    decimals cut to ``digits`` significant digits."""
    try:
        if any(ch in text for ch in ".eE"):
            return sp.latex(sp.Float(text, digits))
        return sp.latex(sp.Rational(text))
    except (TypeError, ValueError, SyntaxError):
        return r"\text{" + "".join(ch for ch in text if ch.isalnum() or ch in " .-+/") + "}"


# `grpo-sym html` writes the blueprint here by default; the notebooks (in notebooks/)
# link to ../BLUEPRINT_DIR/<blueprint_page(id)>.
BLUEPRINT_DIR = "blueprint"


def blueprint_page(claim_id: str) -> str:
    """The path of a claim's page inside the HTML blueprint, relative to the site's root.

    >>> blueprint_page("eq14")
    'claims/eq14.html'
    """
    return f"claims/{claim_id}.html"


def notebook_path(c: Claim) -> str:
    """The walkthrough notebook showing ``c``, relative to the repository's root
    (the part of ``grpo_sym.derivations.PARTS`` holding its module).

    >>> from grpo_sym import load_registry
    >>> notebook_path(load_registry()["eq14"])
    'notebooks/04_binary_questions.ipynb'
    """
    from grpo_sym import derivations

    module = module_of(c)
    part = next((p for p in derivations.PARTS if module in p.modules), derivations.PARTS[-1])
    return f"notebooks/{part.key}.ipynb"


def statement_status(general: Claim | None, instances: Sequence[Claim],
                     results: Mapping[str, ClaimResult]) -> str | None:
    """How far a statement of ``Registry.statements()`` is proved, given ``results``:
    ``"general"`` (its general claim verified), ``"assumed"`` (a named axiom),
    ``"instances_only"`` (no general claim), ``"not_verified"``; None when none of
    its claims has a result, or its general claim has none (a selection left it out).

    >>> from grpo_sym import load_registry
    >>> reg = load_registry()
    >>> statement_status(*reg.statements()["x1.g3.margin"], {"x1.g3.margin": None})
    'instances_only'
    """
    if not any(c.id in results for c in ([general] if general else []) + list(instances)):
        return None
    if general is None:
        return "instances_only"
    if general.id not in results:
        return None
    if results[general.id].symbolic == "assumed":
        return "assumed"        # a named axiom: not counted as proved
    return "general" if results[general.id].verified else "not_verified"


def module_of(c: Claim) -> str:
    """The derivations module (short name) that declared ``c``."""
    return c.module.rsplit(".", 1)[-1]


@dataclass
class StepView:
    rule: str
    why: str
    latex: str          # the expression or relation after the step ("" if none)
    expr: object = None           # the SymPy object itself (renderers may break it)
    ref: str | None = None        # the claim the step relies on (a substitution)
    checked: bool | None = None   # the engine's verdict on the step (None: not run)
    method: str = ""


@dataclass
class ClaimView:
    id: str
    paper: str
    prose: str
    statement: str
    expected: str
    assumptions: list[str]
    premise: str
    quantifier: str
    steps: list[StepView]
    uses: list[str]
    corrects: str | None
    corrected_by: str | None
    statement_expr: object = None
    premise_expr: object = None
    outcome: str | None = None       # proved / refuted / unproved (None: not run)
    numeric: str | None = None
    verified: bool | None = None
    counterexample: list[tuple[str, str]] = field(default_factory=list)
    counterexample_sides: tuple[str, str] | None = None
    generality: str = ""             # one line: for which sizes the claim is stated
    confirmed_by: list[str] = field(default_factory=list)   # procedures that agreed
    second_prover: str = ""          # what the second prover (z3) said


def _assumptions(c: Claim) -> list[str]:
    out = []
    for s in c.free_symbols:
        out.append(f"{math_latex(s)} \\in {math_latex(c.domain(s))}")
    for rel in c.relations:
        out.append(math_latex(rel))
    for simplex in c.simplices:
        out.append(simplex.latex())
    return out


def generality_text(c: Claim) -> str:
    """For which sizes ``c`` is stated, in one line of plain text.

    >>> from grpo_sym import load_registry
    >>> reg = load_registry()
    >>> generality_text(reg["eq8"])
    'general: every K'
    >>> generality_text(reg["eq8.k3"])
    'an instance of eq8 (at the sizes in its id)'
    >>> generality_text(reg["s2.1.large.binary-exact"])
    'general: every G'
    >>> generality_text(reg["s2.1.large.binary-exact.small-groups"])
    'an instance of s2.1.large.binary-exact (G in {2, 3, 4, 5, 6})'
    >>> generality_text(reg["x1.g3.margin"])        # a closed form at one size (beyond the paper)
    'instances only: G in {3}'
    """
    sizes = ", ".join(f"{s} in {c.domain(s)}" for s in c.finite_sizes)
    if c.generality == "general":
        every = [s.name for s in c.free_symbols if s.is_integer and s.name in SIZE_NAMES
                 and not c.domain(s).is_finite_set]
        return "general" + (": every " + ", every ".join(every) if every else "")
    if c.instance_of:
        return f"an instance of {c.instance_of} (" + (sizes or "at the sizes in its id") + ")"
    return "instances only: " + sizes


SIZE_NAMES = ("K", "G")     # the symbols that size a claim: outputs, group size


def claim_view(c: Claim, result: ClaimResult | None = None) -> ClaimView:
    """The view of ``c``; with ``result`` (from ``verify_claim``) its outcome,
    each step's verdict and the counterexample are filled in."""
    proof = default_proof(c)
    rows = proof.describe() if proof is not None else []
    used = {u.id for u in c.uses}
    steps = []
    for rule, why, expr in rows:
        head, _, rest = rule.partition(" ")
        # "substitute <claim id>": the id becomes a cross-reference
        ref = rest if rest in used else None
        steps.append(StepView(head if ref else rule, why or "",
                              math_latex(expr) if expr is not None else "", ref=ref, expr=expr))
    view = ClaimView(
        id=c.id, paper=c.paper, prose=c.prose, statement=math_latex(c.statement),
        expected=c.expected.value, assumptions=_assumptions(c),
        premise=math_latex(c.given) if c.given is not None else "",
        quantifier=c.quantifier.value, steps=steps, uses=[u.id for u in c.uses],
        corrects=c.corrects.id if c.corrects is not None else None,
        corrected_by=c.corrected_by.id if c.corrected_by is not None else None,
        statement_expr=c.statement, premise_expr=c.given, generality=generality_text(c))
    if result is not None:
        view.outcome, view.numeric, view.verified = result.symbolic, result.numeric, result.verified
        view.confirmed_by, view.second_prover = list(result.confirmed_by), result.second_prover
        if len(result.steps) == len(steps):
            for step, res in zip(steps, result.steps):
                step.checked, step.method = bool(res["ok"]), res.get("method", "")
        cex = result.counterexample or {}
        names = {s.name: s for s in c.free_symbols}
        for name, value in sorted(cex.get("point", {}).items()):
            sym = names.get(name)
            lhs = math_latex(sym) if sym is not None else r"\mathtt{" + name.replace("_", r"\_") + "}"
            view.counterexample.append((lhs, value_latex(str(value))))
        if "lhs" in cex and "rhs" in cex:
            view.counterexample_sides = (value_latex(str(cex["lhs"])), value_latex(str(cex["rhs"])))
    return view
