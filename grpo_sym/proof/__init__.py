"""A small, general verification engine for the claims of a mathematics paper.

It knows nothing of GRPO: declare symbols with domains, state claims as SymPy
relations, give each a proof, and run them.  Every claim ends ``proved``,
``refuted`` (a counterexample confirmed at high precision) or ``unproved``
(SymPy could not decide -- never reported as success), and every claim is
also checked numerically at 50 significant digits.

==========================  ==================================================
verb                        meaning
==========================  ==================================================
``variable(name, domain)``  declare a symbol with its domain (once)
``indexed(name, domain)``   declare a family x[j] (a group of symbolic size)
``OnSimplex(symbols)``      condition: the symbols form a distribution
``claim(id, paper, stmt)``  declare a claim and register it
``Eq``, ``Ge``, ``Gt`` ...   unevaluated relations for statements
``exists_in(x, I, cond)``   "some x in I satisfies cond" (an existence statement)
``chain(start)``            a derivation; its steps are checked rule by rule
``Identity()``              prove an equation by reducing lhs - rhs to 0
``Certificate(expr)``       prove an inequality: lhs - rhs = expr, visibly >= 0
``MinimumAt(x, x0, cert)``  prove f(x) >= 0 from its minimum at x0
``lemma_instance(l, sub)``  a proved bound's quantity, for use in a certificate
``MaxOfBounds(b1, b2)``     prove x >= Max(a1, a2) from proved x >= a1, x >= a2
``Witness(point)``          refute a printed statement (or prove an "exists")
``LimitProof()``            a limit, by ``limit`` and ``gruntz`` (cross-checked)
``Axiom(name)``             take a standard fact as true, by name: "assumed"
``MonotoneComparison(l)``   order two roots: y <= r from g increasing (l: g' > 0)
``IntermediateValue()``     a root exists in (a, b): F continuous, F(a) F(b) < 0
``RootThreshold(e, n)``     {s | a root exists} = (.., T): e for s < T, n for s >= T
``verify_claim(c)``         check one claim -> ``ClaimResult``
``verify_all(reg, claims)`` check claims and their ancestors; ``verified`` is
                            set when a claim and all it uses are ok
``ResultCache(dir)``        results of unchanged claims, reused by ``verify_all``
``numeric_backup(c)``       the 50-digit check on its own
``Registry``                ordered claims; ``select(pattern)``, ``closure``
==========================  ==================================================

>>> from sympy import Interval, oo
>>> x = variable("x_engine_demo", Interval.open(0, oo))
>>> reg = Registry()
>>> c = claim("demo.expand", "", Eq((x + 1)**2, x**2 + 2*x + 1), registry=reg)
>>> r = verify_claim(c)
>>> (r.symbolic, r.numeric, r.ok)
('proved', 'agrees', True)
"""
from .checks import Context, is_nonnegative, is_nonzero, is_positive, prove_zero
from .claims import REGISTRY, Claim, Expected, Quantifier, Registry, claim
from .domains import OnSimplex, domain_of, indexed, latex_names, variable
from .numeric import DPS, NumericResult, numeric_backup, sample_points
from .relations import Eq, Ge, Gt, Le, Lt, Ne, exists_in
from .proofs import (Axiom, Certificate, Chain, Identity, IntermediateValue, LimitProof,
                     MaxOfBounds, MinimumAt, MonotoneComparison, Outcome, ProofResult,
                     RootThreshold, Witness, chain, lemma_instance)
from .cache import ResultCache
from .verify import ClaimResult, assumed_axioms, fully_verified, verify_all, verify_claim

__all__ = [
    "Eq", "Ge", "Gt", "Le", "Lt", "Ne", "exists_in",
    "variable", "indexed", "OnSimplex", "domain_of", "latex_names", "claim", "Claim", "Expected",
    "Quantifier", "Registry", "REGISTRY", "chain", "Chain", "Identity", "Certificate",
    "MinimumAt", "MaxOfBounds", "MonotoneComparison", "IntermediateValue", "RootThreshold",
    "lemma_instance",
    "Witness", "LimitProof",
    "Axiom", "Outcome",
    "ProofResult", "verify_claim", "assumed_axioms",
    "verify_all", "fully_verified", "ClaimResult", "numeric_backup", "NumericResult",
    "sample_points", "DPS", "Context", "prove_zero", "is_nonnegative", "is_positive",
    "is_nonzero", "ResultCache",
]
