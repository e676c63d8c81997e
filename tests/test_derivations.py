"""The verified-math regression suite: every claim of the paper, as expected.

A claim expected to hold must be proved symbolically AND agree numerically at
50 digits (a named axiom is assumed, and must survive its checks); a printed statement expected to be refuted must be refuted by a
confirmed counterexample, and must have a corrected claim that holds.
"""
from __future__ import annotations

import pytest

import grpo_sym
from grpo_sym.derivations import MODULES

REGISTRY = grpo_sym.load_registry()
IDS = [c.id for c in REGISTRY]


@pytest.mark.parametrize("cid", IDS)
def test_claim_outcome_is_expected(cid, results):
    r = results[cid]
    assert r.ok, f"{cid}: expected {r.expected}, got {r.symbolic}/{r.numeric}: {r.detail}; {r.numeric_detail}"
    assert r.verified, f"{cid} is ok but something it uses is not"
    if r.symbolic == "assumed":       # a named axiom: no counterexample, its own check passed
        assert r.expected == "holds" and r.numeric != "counterexample"
        assert type(REGISTRY[cid].proof).__name__ == "Axiom"
    elif r.expected == "holds":
        assert (r.symbolic, r.numeric) == ("proved", "agrees")
        assert r.counterexample is None
    else:
        assert r.symbolic == "refuted"
        assert r.counterexample and r.counterexample["point"], "a refutation shows its counterexample"


@pytest.mark.parametrize("cid", [c.id for c in REGISTRY if c.expected.value == "refuted"])
def test_refuted_claim_has_a_corrected_claim_that_holds(cid, results):
    printed = REGISTRY[cid]
    assert printed.corrected_by is not None, f"{cid} is refuted but no claim corrects it"
    assert results[printed.corrected_by.id].ok


def test_ids_follow_the_conventions():
    import re
    for c in REGISTRY:
        assert re.fullmatch(r"(eq\d+(\.[a-z0-9-]+)*|[a-z][a-z0-9.-]*[a-z0-9])", c.id), c.id
        assert c.paper and c.prose, f"{c.id} needs a paper location and one sentence of prose"
        if c.corrects is not None and c.corrects.id.startswith("eq") and "." not in c.corrects.id:
            assert c.id == c.corrects.id + ".corrected"


def test_every_numbered_equation_is_covered():
    """The paper's results (2), (4), (6)-(19) each have a claim: general, or at instances (the
    verify summary lists the latter)."""
    statements = REGISTRY.statements()
    for n in (2, 4, *range(6, 20)):     # (1), (3), (5) are definitions
        assert f"eq{n}" in statements, f"eq{n} is not encoded"


def test_size_instances_name_their_statement():
    """An id with .kK/.gG is an instance of its stem; a claim on finitely many sizes is
    marked as instances, and an instance never claims to be general."""
    import re
    for c in REGISTRY:
        if re.search(r"\.[kg]\d+(\.|$)", c.id) and re.fullmatch(r".+?(\.[kg]\d+)+", c.id):
            assert c.generality == "instances" and c.instance_of, c.id
        if c.finite_sizes:
            assert c.generality == "instances", c.id
    general = REGISTRY["eq8"]
    assert general.generality == "general" and not general.finite_sizes
    assert REGISTRY.statements()["eq8"][0] is general


@pytest.mark.parametrize("name", MODULES)
def test_derivations_module_doctests(name):
    """derivations/ is not collected by pytest (it is imported as grpo_sym.derivations),
    so its doctests run here."""
    import doctest

    from grpo_sym.derivations import module
    result = doctest.testmod(module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
