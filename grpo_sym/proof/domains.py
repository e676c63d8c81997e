"""Symbols with declared domains, and conditions on them.

Every symbol a claim quantifies over is declared once with :func:`variable`,
which records its domain (a SymPy set) and its LaTeX form, and gives the SymPy
symbol the assumptions that follow from the domain (``positive``, ``integer``,
...), so that simplification may use them.

Examples
--------
>>> from sympy import Interval
>>> p = variable("p_demo", Interval.open(0, 1), latex=r"p")
>>> p.is_positive, domain_of(p)
(True, Interval.open(0, 1))
>>> is_finite_domain(domain_of(p))
False
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import sympy as sp
from sympy import FiniteSet, Interval, Range, S, Symbol

__all__ = [
    "variable",
    "domain_of",
    "latex_name_of",
    "latex_names",
    "OnSimplex",
    "is_finite_domain",
    "domain_latex",
    "indexed",
]

_DOMAINS: dict[Symbol, sp.Set] = {}
_LATEX: dict[Symbol, str] = {}
_BY_NAME: dict[str, Symbol] = {}


def _assumptions_for(domain: sp.Set) -> dict[str, bool]:
    """SymPy assumptions implied by ``domain`` (only those that are certain)."""
    facts: dict[str, bool] = {"real": True}
    if domain.is_subset(S.Integers):
        facts["integer"] = True
    inf = domain.inf
    if inf.is_extended_real and inf >= 0:
        if inf > 0 or (0 not in domain):
            facts["positive"] = True
        else:
            facts["nonnegative"] = True
    return facts


def variable(name: str, domain: sp.Set, *, latex: str | None = None) -> Symbol:
    """Declare a symbol with its domain; returns the SymPy symbol.

    Options
    -------
    name : the SymPy name (a Python identifier keeps generated code readable)
    domain : a SymPy set: ``Interval``, ``FiniteSet``, ``Range`` or ``S.Reals``
    latex : how the symbol prints in LaTeX (default: SymPy's own)

    Re-declaring a name with the same domain returns the same symbol;
    a different domain is an error, so each symbol has one domain.

    >>> from sympy import Interval, oo
    >>> b = variable("beta_demo", Interval.open(0, oo), latex=r"\\beta")
    >>> b.is_positive
    True
    """
    domain = sp.sympify(domain)
    if not isinstance(domain, sp.Set):
        raise TypeError(f"domain of {name!r} must be a SymPy set, got {domain!r}")
    sym = Symbol(name, **_assumptions_for(domain))
    if name in _BY_NAME and _DOMAINS[_BY_NAME[name]] != domain:
        raise ValueError(f"symbol {name!r} is already declared with domain "
                         f"{_DOMAINS[_BY_NAME[name]]}")
    _BY_NAME[name] = sym
    _DOMAINS[sym] = domain
    if latex is not None:
        _LATEX[sym] = latex
    return sym


def indexed(name: str, domain: sp.Set, *, latex: str | None = None) -> sp.IndexedBase:
    """Declare a family ``name[j]`` (rewards of a group of symbolic size G).

    Every element ``name[j]`` has ``domain``; sums over it are handled by the
    power-sum rewrite of :func:`grpo_sym.proof.checks.prove_zero`.

    >>> from sympy import S
    >>> r = indexed("r_demo", S.Reals)
    >>> domain_of(r[3])
    Reals
    """
    domain = sp.sympify(domain)
    base = sp.IndexedBase(name, **_assumptions_for(domain))
    _DOMAINS[base] = domain
    if latex is not None:
        _LATEX[base] = latex
    return base


def domain_of(sym) -> sp.Set:
    """The declared domain of ``sym`` (the reals for an undeclared real symbol)."""
    if isinstance(sym, sp.Indexed):
        sym = sym.base
    if sym in _DOMAINS:
        return _DOMAINS[sym]
    if sym.is_positive:
        return Interval.open(0, sp.oo)
    if sym.is_nonnegative:
        return Interval(0, sp.oo)
    return S.Reals


def latex_name_of(sym: Symbol) -> str:
    return _LATEX.get(sym, sp.latex(sym))


def latex_names() -> dict[Symbol, str]:
    """The symbol -> LaTeX map, for ``sympy.latex(expr, symbol_names=...)``."""
    return dict(_LATEX)


def is_finite_domain(domain: sp.Set) -> bool:
    return isinstance(domain, FiniteSet) or (isinstance(domain, Range) and domain.size.is_finite)


def domain_latex(domain: sp.Set) -> str:
    return sp.latex(domain, symbol_names=latex_names())


@dataclass(frozen=True)
class OnSimplex:
    """Condition: the symbols are the probabilities of one distribution.

    Each lies in [0, 1] (as its domain says) and they sum to one.  Symbolic
    checks eliminate the last symbol as ``1 - sum(others)``; numeric checks
    sample points on the simplex, including points near its faces.
    """

    symbols: tuple[Symbol, ...]

    def __init__(self, symbols: Iterable[Symbol]):
        object.__setattr__(self, "symbols", tuple(symbols))
        if len(self.symbols) < 2:
            raise ValueError("OnSimplex needs at least two symbols")

    def elimination(self) -> dict[Symbol, sp.Expr]:
        *rest, last = self.symbols
        return {last: 1 - sp.Add(*rest)}

    def as_relation(self) -> sp.Eq:
        return sp.Eq(sp.Add(*self.symbols), 1, evaluate=False)

    def latex(self) -> str:
        names = latex_names()
        return sp.latex(sp.Add(*self.symbols), symbol_names=names) + " = 1"


def split_conditions(conditions: Sequence) -> tuple[list[sp.Basic], list[OnSimplex]]:
    """Separate SymPy relations from simplex constraints."""
    rels, simplices = [], []
    for c in conditions:
        (simplices if isinstance(c, OnSimplex) else rels).append(c)
    return rels, simplices
