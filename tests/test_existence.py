"""The existence claims of x1/x2 (intermediate value theorem) fail when planted wrong.

Each case rebuilds a registered claim in a registry of its own with one thing changed (a
threshold, an interval, a direction) and the same proof; the unchanged rebuild is proved, so
each refusal is the change's doing.
"""
from __future__ import annotations

import pytest
import sympy as sp
from sympy import Interval, sqrt

import grpo_sym
from grpo_sym.proof import Registry, claim, exists_in, verify_claim

REGISTRY = grpo_sym.load_registry()
x1 = pytest.importorskip("grpo_sym.derivations.x1_finite_groups")
G, beta, f, p = x1.G, x1.beta, x1.f, x1.p


def rebuilt(cid: str, **changes):
    """Claim ``cid`` again, in a registry of its own, with ``changes`` to its fields."""
    c = REGISTRY[cid]
    fields = dict(statement=c.statement, proof=c.proof, domains=c.domains,
                  conditions=c.conditions, given=c.given)
    fields.update(changes)
    try:
        return verify_claim(claim(cid + ".rebuilt", c.paper, fields.pop("statement"),
                                  registry=Registry(), prose="rebuilt", **fields))
    finally:
        c.proof.bind(c)      # the shared proof object goes back to its claim


def test_unchanged_rebuilds_are_proved():
    for cid in ("x1.stationary.exists", "x1.stationary.interior-at-zero-reference",
                "x2.bessel.interior-at-zero-reference", "x1.stationary.above-level-point"):
        r = rebuilt(cid)
        assert r.symbolic == "proved", (cid, r.detail)


@pytest.mark.parametrize("cid, threshold", [
    ("x1.stationary.interior-at-zero-reference", sqrt(G)),               # sqrt(G - 1) is right
    ("x1.preference.a.level-exists", sqrt(G)),
    ("x2.bessel.interior-at-zero-reference", sqrt(G - 1)),   # the population threshold
])
def test_a_threshold_too_high_is_not_proved(cid, threshold):
    r = rebuilt(cid, conditions=[sp.Lt(beta, threshold)])
    assert r.symbolic != "proved", r.detail


def test_stationary_point_below_the_reference_is_not_proved():
    c = REGISTRY["x1.stationary.exists"]
    below = exists_in(p, Interval.open(0, f), c.statement.lhs.condition)
    r = rebuilt("x1.stationary.exists", statement=below)
    assert r.symbolic != "proved", r.detail

