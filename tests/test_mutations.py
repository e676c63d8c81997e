"""Flip the answer of every registered claim and watch it fail.

For each claim expected to hold, a mutant states a wrong right-hand side
(shifted by 1/7, or a bound raised by 1/7) with the same proof.  No mutant may
be proved.  This guards against checks that cannot fail.

The mutants are checked once per session in worker processes (one per core;
each builds the registry itself), and each claim's verdict is its own test.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import pytest
import sympy as sp

import grpo_sym
from grpo_sym.proof import Registry, claim, verify_claim

REGISTRY = grpo_sym.load_registry()
SHIFT = sp.Rational(1, 7)
JOBS = min(2, os.cpu_count() or 1)


def mutate(stmt):
    if isinstance(stmt, sp.Eq):
        return sp.Eq(stmt.lhs, stmt.rhs + SHIFT, evaluate=False)
    if isinstance(stmt, (sp.GreaterThan, sp.StrictGreaterThan)):
        return stmt.func(stmt.lhs, stmt.rhs + SHIFT, evaluate=False)
    return stmt.func(stmt.lhs, stmt.rhs - SHIFT, evaluate=False)


def check_mutant(cid: str, registry=None) -> tuple[str, bool, str]:
    """(symbolic outcome, ok, detail) of the mutant of claim ``cid``."""
    c = (registry or grpo_sym.load_registry())[cid]
    mutant = claim(cid + ".mutant", c.paper, mutate(c.statement), proof=c.proof,
                   domains=c.domains, conditions=c.conditions, given=c.given,
                   registry=Registry(), prose="mutant")
    try:
        r = verify_claim(mutant)
    finally:
        if c.proof is not None:
            c.proof.bind(c)  # the shared proof object goes back to its claim
    return r.symbolic, r.ok, r.detail


CANDIDATES = [c.id for c in REGISTRY
              if c.expected.value == "holds" and c.quantifier.value == "forall"]


@pytest.fixture(scope="module")
def verdicts():
    if JOBS == 1:
        return {cid: check_mutant(cid, REGISTRY) for cid in CANDIDATES}
    with ProcessPoolExecutor(max_workers=JOBS) as pool:
        return dict(zip(CANDIDATES, pool.map(check_mutant, CANDIDATES)))


@pytest.mark.parametrize("cid", CANDIDATES)
def test_mutant_is_not_proved(cid, verdicts):
    symbolic, ok, detail = verdicts[cid]
    assert symbolic != "proved", f"{cid}: a wrong statement was proved ({detail})"
    assert not ok


def test_a_true_statement_is_proved_through_the_same_path():
    """The harness itself: without the shift, the claim is proved (so a mutant's
    failure is the shift's doing, not the harness's)."""
    global SHIFT
    saved, SHIFT = SHIFT, sp.Integer(0)
    try:
        symbolic, ok, _ = check_mutant("eq17", REGISTRY)
    finally:
        SHIFT = saved
    assert symbolic == "proved" and ok
