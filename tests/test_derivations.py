"""The verified-math regression suite: every claim of the paper, as expected.

A claim expected to hold must be proved symbolically AND agree numerically at
50 digits; a printed statement expected to be refuted must be refuted by a
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
    if r.expected == "holds":
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


def test_sections_1_to_2_2_are_covered():
    """The equations of Sections 1-2.2 each have their claim."""
    for eq in ("eq4", "eq6", "eq7", "eq8", "eq9", "eq10"):
        assert eq in REGISTRY, f"{eq} is not encoded"


@pytest.mark.parametrize("name", MODULES)
def test_derivations_module_doctests(name):
    """derivations/ is not collected by pytest (it is imported as grpo_sym.derivations),
    so its doctests run here."""
    import doctest

    from grpo_sym.derivations import module
    result = doctest.testmod(module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
