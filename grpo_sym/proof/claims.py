"""Claims and the registry that holds them.

A :class:`Claim` is one statement of a paper: a stable id, where it stands in
the paper, a SymPy relation quantified over the declared domains of its
symbols, the proof that is to establish it, what we expect (``holds``, or
``refuted`` for a statement printed wrongly), and one sentence of prose.
The claims it uses are derived from the objects its proof references.

>>> from sympy import Interval, oo
>>> from grpo_sym.proof import Eq, variable, claim, Registry
>>> x = variable("x_claim_demo", Interval.open(0, oo))
>>> reg = Registry()
>>> c = claim("demo.square", "nowhere", Eq((x + 1)**2, x**2 + 2*x + 1),
...           prose="A square expands.", registry=reg)
>>> c.id, c.expected.value, [u.id for u in c.uses]
('demo.square', 'holds', [])
"""
from __future__ import annotations

import enum
import fnmatch
import re
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import sympy as sp

from .domains import OnSimplex, domain_of, split_conditions

__all__ = ["Expected", "Claim", "Registry", "claim", "REGISTRY", "Quantifier"]


class Expected(str, enum.Enum):
    HOLDS = "holds"
    REFUTED = "refuted"


class Quantifier(str, enum.Enum):
    FORALL = "forall"   # the relation holds at every point of the domain
    EXISTS = "exists"   # the relation holds at some point (a witness proves it)


@dataclass(eq=False)
class Claim:
    """One statement, with everything needed to check and render it.

    Options
    -------
    id : stable dotted id (``eq14``, ``s1.advantage.pairwise-form``)
    paper : where it stands in the paper ("Sec. 1, eq. (2)")
    statement : a SymPy relation (``Eq``, ``Ge``, ``Gt``, ``Le``, ``Lt``); an
        ``Eq`` whose left side is a ``Limit`` is a limit statement
    proof : a proof object (``Identity``, ``Chain``, ``Certificate``, ``Witness``,
        ``MinimumAt``, ``LimitProof``); default: ``Identity`` for equations
    expected : ``"holds"`` or ``"refuted"``
    prose : one sentence shown in the appendix, notebook and report
    domains : per-claim domain overrides ``{symbol: set}`` (e.g. a finite set
        of group sizes, proved by exhaustion)
    conditions : further hypotheses: SymPy relations or :class:`OnSimplex`
    given : a premise relation; the statement is claimed where it holds
    quantifier : ``forall`` (default) or ``exists``
    corrects : for a corrected statement, the printed claim it corrects
    numeric : extra numeric check ``f(dps) -> (ok: bool, detail: str)``
    instance_of : for a claim at given sizes (K = 3 outputs, G = 2..6), the id of
        the statement it instantiates; by default read from the id (``eq6.k3.g5``
        is an instance of ``eq6``); see :attr:`generality`
    """

    id: str
    paper: str
    statement: sp.Basic
    proof: object | None = None
    expected: Expected = Expected.HOLDS
    prose: str = ""
    domains: Mapping[sp.Symbol, sp.Set] = field(default_factory=dict)
    conditions: Sequence = ()
    given: sp.Basic | None = None
    quantifier: Quantifier = Quantifier.FORALL
    corrects: "Claim | None" = None
    extra_uses: Sequence["Claim"] = ()
    numeric: Callable[[int], tuple[bool, str]] | None = None
    corrected_by: "Claim | None" = None
    module: str = ""     # the module that declared it (renderers group claims by it)
    instance_of: str = ""

    # -- generality -----------------------------------------------------
    @property
    def finite_sizes(self) -> list[sp.Symbol]:
        """Integer symbols declared on an infinite range that this claim restricts
        to finitely many values (a group size G in {2, ..., 6})."""
        from .domains import is_finite_domain
        return [s for s, dom in self.domains.items()
                if getattr(s, "is_integer", False) and is_finite_domain(dom)
                and not is_finite_domain(domain_of(s))]

    @property
    def generality(self) -> str:
        """``"general"``: stated for every size its symbols allow; ``"instances"``:
        a statement at given sizes (``instance_of`` set, or a size symbol restricted
        to a finite set)."""
        return "instances" if self.instance_of or self.finite_sizes else "general"

    @property
    def statement_id(self) -> str:
        """The statement this claim proves or instantiates."""
        return self.instance_of or self.id

    # -- derived views --------------------------------------------------
    @property
    def lhs(self) -> sp.Expr:
        return self.statement.lhs

    @property
    def rhs(self) -> sp.Expr:
        return self.statement.rhs

    @property
    def is_limit(self) -> bool:
        return isinstance(self.statement, sp.Eq) and isinstance(self.statement.lhs, sp.Limit)

    @property
    def relations(self) -> list[sp.Basic]:
        return split_conditions(self.conditions)[0]

    @property
    def simplices(self) -> list[OnSimplex]:
        return split_conditions(self.conditions)[1]

    @property
    def free_symbols(self) -> list[sp.Symbol]:
        syms = set(self.statement.free_symbols)
        for rel in self.relations:
            syms |= rel.free_symbols
        for s in self.simplices:
            syms |= set(s.symbols)
        if self.given is not None:
            syms |= self.given.free_symbols
        if self.is_limit:
            syms.discard(self.statement.lhs.args[1])
        # indexed families (r[j]) are sampled per point, not as symbols
        labels = {b.label for b in self.statement.atoms(sp.IndexedBase)}
        return sorted((s for s in syms if isinstance(s, sp.Symbol) and s not in labels),
                      key=lambda s: s.name)

    def domain(self, sym: sp.Symbol) -> sp.Set:
        return self.domains.get(sym, domain_of(sym))

    @property
    def uses(self) -> list["Claim"]:
        found: list[Claim] = []
        proof_uses = self.proof.uses() if self.proof is not None else []
        for c in [*proof_uses, *self.extra_uses]:
            if c is not self and c not in found:
                found.append(c)
        return found

    def __repr__(self) -> str:
        return f"Claim({self.id!r})"


class Registry:
    """An ordered collection of claims, looked up by id or glob pattern."""

    def __init__(self) -> None:
        self._claims: dict[str, Claim] = {}

    def add(self, c: Claim) -> Claim:
        if c.id in self._claims:
            raise ValueError(f"claim id {c.id!r} is registered twice")
        self._claims[c.id] = c
        return c

    def __getitem__(self, cid: str) -> Claim:
        return self._claims[cid]

    def __contains__(self, cid: str) -> bool:
        return cid in self._claims

    def __iter__(self) -> Iterator[Claim]:
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def select(self, pattern: str | None) -> list[Claim]:
        """Claims whose id matches the glob ``pattern`` (or starts with it)."""
        if not pattern:
            return list(self)
        return [c for c in self if fnmatch.fnmatchcase(c.id, pattern)
                or c.id == pattern or c.id.startswith(pattern + ".")]

    def statements(self) -> dict[str, tuple["Claim | None", list["Claim"]]]:
        """Each statement id -> (its general claim or None, its instance claims),
        in registry order."""
        out: dict[str, tuple[Claim | None, list[Claim]]] = {}
        for c in self:
            general, instances = out.get(c.statement_id, (None, []))
            if c.generality == "general":
                general = c
            else:
                instances = [*instances, c]
            out[c.statement_id] = (general, instances)
        return out

    def closure(self, claims: Iterable[Claim]) -> list[Claim]:
        """The claims and all their ancestors, in registry order."""
        seen: set[str] = set()
        stack = list(claims)
        while stack:
            c = stack.pop()
            if c.id not in seen:
                seen.add(c.id)
                stack.extend(c.uses)
        return [c for c in self if c.id in seen]


REGISTRY = Registry()

# an id ending in .kK and/or .gG (K outputs, groups of G) names an instance of its stem
_SIZE_SUFFIX = re.compile(r"(?P<base>.+?)(\.[kg]\d+)+")


def _declaring_module() -> str:
    """The module whose top level is running: a claim declared by a helper function
    of another module belongs to the module that called the helper."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name != "<module>":
        frame = frame.f_back
    return frame.f_globals.get("__name__", "") if frame is not None else ""


def _index_outside_its_range(e) -> str | None:
    """Why a sum of ``e`` has an index whose sign assumption may fail on its range (None:
    none has).  SymPy simplifies the summand with the index's assumptions when the sum is
    built (``sign(j)`` is 1 for a positive ``j``), so ``sum_{j=0}^{n} sign(j)`` would
    already read ``n + 1``."""
    if not isinstance(e, sp.Basic):
        return None
    for s in e.atoms(sp.Sum):
        for idx, lo, hi in s.limits:
            low_ok = {"positive": lo.is_positive, "nonnegative": lo.is_nonnegative,
                      "negative": hi.is_negative, "nonpositive": hi.is_nonpositive}
            for name, ok in low_ok.items():
                if getattr(idx, f"is_{name}") and not ok:
                    return (f"the index {idx} of {s} is declared {name}, which its range "
                            f"{lo}..{hi} does not visibly respect")
    return None


def claim(cid: str, paper: str, statement: sp.Basic, *, proof: object | None = None,
          expected: str | Expected = Expected.HOLDS, prose: str = "",
          domains: Mapping[sp.Symbol, sp.Set] | None = None, conditions: Sequence = (),
          given: sp.Basic | None = None, quantifier: str | Quantifier = Quantifier.FORALL,
          corrects: Claim | None = None, uses: Sequence[Claim] = (),
          numeric: Callable[[int], tuple[bool, str]] | None = None,
          instance_of: str = "", registry: Registry | None = None) -> Claim:
    """Declare a claim and add it to ``registry`` (default: the global one).

    ``uses`` adds claims the proof does not reference itself (rarely needed:
    chains, substitutions and certificates record what they use).
    A claim with ``corrects=printed`` is the corrected form of ``printed``.
    """
    if not isinstance(statement, (sp.Equality, sp.core.relational.Relational)):
        raise TypeError(f"{cid}: statement must be a SymPy relation, got {statement!r} "
                        "(use grpo_sym.proof.Eq/Ge/..., which do not evaluate)")
    for sym, dom in (domains or {}).items():
        # an override may only restrict: SymPy already simplified with the declared
        # domain's assumptions (sqrt(x**2) = x for a positive x)
        if not sp.sympify(dom).is_subset(domain_of(sym)):
            raise ValueError(f"{cid}: domain {dom} of {sym} is not within its declared "
                             f"domain {domain_of(sym)}")
    for part in (statement, given, *conditions):
        why = _index_outside_its_range(part)
        if why:
            raise ValueError(f"{cid}: {why}")
    c = Claim(id=cid, paper=paper, statement=statement, proof=proof,
              expected=Expected(expected), prose=prose, domains=dict(domains or {}),
              conditions=tuple(conditions), given=given, quantifier=Quantifier(quantifier),
              corrects=corrects, extra_uses=tuple(uses), numeric=numeric,
              module=_declaring_module(), instance_of=instance_of)
    if instance_of == cid:
        raise ValueError(f"{cid}: a claim cannot be an instance of itself")
    if not instance_of:
        # the id convention: ``eq6.k3.g5`` is ``eq6`` at K = 3 outputs and G = 5
        m = _SIZE_SUFFIX.fullmatch(cid)
        c.instance_of = m.group("base") if m else ""
    if corrects is not None:
        corrects.corrected_by = c
    if c.proof is not None and hasattr(c.proof, "bind"):
        c.proof.bind(c)
    (registry if registry is not None else REGISTRY).add(c)
    return c
