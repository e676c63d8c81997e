"""Flip the answer of every registered claim and watch it fail.

For each claim expected to hold, a mutant states a wrong right-hand side
(shifted by 1/7, or a bound raised by 1/7) with the same proof.  No mutant may
be proved.  This guards against checks that cannot fail.
"""
from __future__ import annotations

import sympy as sp
import pytest

import grpo_sym
from grpo_sym.proof import Registry, claim, verify_claim
from grpo_sym.proof.checks import Context

REGISTRY = grpo_sym.load_registry()
SHIFT = sp.Rational(1, 7)


def mutate(stmt):
    if isinstance(stmt, sp.Eq):
        return sp.Eq(stmt.lhs, stmt.rhs + SHIFT, evaluate=False)
    if isinstance(stmt, (sp.GreaterThan, sp.StrictGreaterThan)):
        return stmt.func(stmt.lhs, stmt.rhs + SHIFT, evaluate=False)
    return stmt.func(stmt.lhs, stmt.rhs - SHIFT, evaluate=False)


CANDIDATES = [c for c in REGISTRY if c.expected.value == "holds" and c.quantifier.value == "forall"]


@pytest.mark.parametrize("cid", [c.id for c in CANDIDATES])
def test_mutant_is_not_proved(cid):
    c = REGISTRY[cid]
    mutant = claim(cid + ".mutant", c.paper, mutate(c.statement), proof=c.proof,
                   domains=c.domains, conditions=c.conditions, given=c.given,
                   registry=Registry(), prose="mutant")
    try:
        r = verify_claim(mutant)
    finally:
        if c.proof is not None:
            c.proof.bind(c)  # the shared proof object goes back to its claim
    assert r.symbolic != "proved", f"{cid}: a wrong statement was proved ({r.detail})"
    assert not r.ok
