"""Flip the answer of every registered claim and watch it fail.

For each claim expected to hold, a mutant states a wrong right-hand side
(shifted by 1/7, or a bound raised by 1/7) with the same proof.  No mutant may
be proved.  This guards against checks that cannot fail.

Each claim's mutant is its own test.  The mutants are checked in groups of
``GROUP_SIZE`` consecutive claims, one forked child of the test process (which
has the registry loaded already) per group, each mutant answered on its own and
bounded by ``HANG_SECONDS`` (a hang fails its test instead of stalling the
suite, and the rest of its group goes on in a fresh child): a fork and a cold
SymPy cache per mutant cost as much as most checks.  The first test of a group
checks the whole group; ``scripts/test.sh`` runs ``-n 2 --dist loadgroup``, and
an ``xdist_group`` per group keeps a group on one worker.
"""
from __future__ import annotations

from functools import partial

import pytest
import sympy as sp

import grpo_sym
from grpo_sym.proof import Registry, claim, verify_claim
from isolation import run_isolated, run_isolated_each

REGISTRY = grpo_sym.load_registry()
SHIFT = sp.Rational(1, 7)
HANG_SECONDS = 600   # far beyond any mutant (the slowest takes ~35 s on an idle 2-core machine)
GROUP_SIZE = 12      # mutants per forked child


def mutate(stmt):
    if isinstance(stmt, sp.Ne) and isinstance(stmt.lhs, sp.ConditionSet):
        # "some x in I has L = R" becomes "some x in I has L = R + 1/7"
        cs = stmt.lhs
        shifted = sp.Eq(cs.condition.lhs, cs.condition.rhs + SHIFT, evaluate=False)
        return sp.Ne(sp.ConditionSet(cs.sym, shifted, cs.base_set), stmt.rhs, evaluate=False)
    if isinstance(stmt, sp.Eq) and isinstance(stmt.rhs, sp.Interval):
        # "the parameters with a root are (a, T)" becomes "... are (a, T + 1/7)"
        i = stmt.rhs
        return sp.Eq(stmt.lhs, sp.Interval(i.start, i.end + SHIFT, i.left_open, i.right_open),
                     evaluate=False)
    if isinstance(stmt, sp.Eq):
        return sp.Eq(stmt.lhs, stmt.rhs + SHIFT, evaluate=False)
    if isinstance(stmt, (sp.GreaterThan, sp.StrictGreaterThan)):
        return stmt.func(stmt.lhs, stmt.rhs + SHIFT, evaluate=False)
    return stmt.func(stmt.lhs, stmt.rhs - SHIFT, evaluate=False)


def check_mutant(cid: str, registry=None, numeric: bool = False) -> tuple[str, bool, str]:
    """(symbolic outcome, ok, detail) of the mutant of claim ``cid``.  Without ``numeric``
    the numeric backup is not run: the kernel alone must reject the mutant (a backup that
    caught a mutant the kernel proved would hide a soundness bug), at about 60 % of the cost."""
    c = (registry or grpo_sym.load_registry())[cid]
    mutant = claim(cid + ".mutant", c.paper, mutate(c.statement), proof=c.proof,
                   domains=c.domains, conditions=c.conditions, given=c.given,
                   registry=Registry(), prose="mutant")
    try:
        r = verify_claim(mutant, numeric=numeric)
    finally:
        if c.proof is not None:
            c.proof.bind(c)  # the shared proof object goes back to its claim
    return r.symbolic, r.ok, r.detail


# a named axiom is assumed, not proved: its mutant is another axiom (see
# test_axiom_checks_fail_on_their_mutants for what does check one)
AXIOMS = [c for c in REGISTRY if type(c.proof).__name__ == "Axiom"]
CANDIDATES = [c.id for c in REGISTRY
              if c.expected.value == "holds" and c.quantifier.value == "forall"
              and c not in AXIOMS]


@pytest.mark.parametrize("cid", [c.id for c in AXIOMS if c.numeric is not None])
def test_axiom_checks_fail_on_their_mutants(cid):
    """An axiom's own check (exact, at concrete sizes) rejects the mutated statement."""
    from grpo_sym.derivations.s2_1_reward_preference import at_concrete_sizes, written_out_draws
    from grpo_sym.derivations.s2_3_stationarity import centring_relations
    c = REGISTRY[cid]
    relations = centring_relations if cid == "s2.3.centred-advantages" else None
    def checked(stmt):
        if cid == "s2.1.binary.count-law":      # over n draws, not K outputs and groups of G
            return written_out_draws(stmt)
        return at_concrete_sizes(stmt, relations)
    assert checked(c.statement)(50)[0]
    ok, detail = checked(mutate(c.statement))(50)
    assert not ok, detail


_CHECKED: dict[str, tuple[str, object]] = {}   # claim id -> its mutant's (status, value)


def checked_mutant(cid: str) -> tuple[str, object]:
    """(status, value) of ``run_isolated`` for the mutant of ``cid``, its group checked
    in one child on first use (the group's members not yet checked in this process)."""
    if cid not in _CHECKED:
        start = CANDIDATES.index(cid) // GROUP_SIZE * GROUP_SIZE
        todo = [m for m in CANDIDATES[start:start + GROUP_SIZE] if m not in _CHECKED]
        answers = run_isolated_each([partial(check_mutant, m, REGISTRY) for m in todo],
                                    HANG_SECONDS)
        _CHECKED.update(zip(todo, answers))
    return _CHECKED[cid]


@pytest.mark.parametrize("cid", [
    pytest.param(cid, marks=pytest.mark.xdist_group(f"mutants-{i // GROUP_SIZE}"))
    for i, cid in enumerate(CANDIDATES)])
def test_mutant_is_not_proved(cid):
    status, value = checked_mutant(cid)
    assert status == "ok", f"{cid}: the mutant's check ended in {status}: {value}"
    symbolic, ok, detail = value
    assert symbolic != "proved", f"{cid}: a wrong statement was proved ({detail})"
    assert not ok


def test_a_true_statement_is_proved_through_the_same_path():
    """The harness itself: without the shift, the claim is proved (so a mutant's
    failure is the shift's doing, not the harness's)."""
    global SHIFT
    saved, SHIFT = SHIFT, sp.Integer(0)
    try:
        unshifted = check_mutant("eq17", REGISTRY)
        backed = check_mutant("eq17", REGISTRY, numeric=True)
    finally:
        SHIFT = saved
    assert unshifted[0] == "proved" and not unshifted[1]   # proved; ok needs the backup
    assert backed[0] == "proved" and backed[1]


# -- exists claims and witnesses ------------------------------------------------------------
#
# A witness decides one point, so its mutants are made at that point, exactly: an exists
# claim shifted by the gap its own witness leaves (computed with exact SymPy arithmetic at
# the exact witness) is false there by an exact equality -- or by 10**-60 -- and must not
# be proved; a refuted claim shifted so that it holds at its witness must no longer be
# refuted by that witness.

from grpo_sym.proof import Witness  # noqa: E402

TINY = sp.Rational(1, 10**60)


def value_at(expr, point) -> sp.Expr:
    """``expr`` at the exact ``point``: derivatives first, then symbols (which fix sum
    ranges and indices), sums written out, then indexed values; no floating point."""
    e = sp.sympify(expr)
    e = e.replace(lambda t: isinstance(t, (sp.Derivative, sp.Subs)), lambda t: t.doit())
    symbols = {k: v for k, v in point.items() if isinstance(k, sp.Symbol)}
    indexed = {k: v for k, v in point.items() if isinstance(k, sp.Indexed)}
    e = e.xreplace(symbols)
    if e.has(sp.Sum, sp.Product):
        e = e.doit()
    e = e.xreplace(indexed).xreplace(symbols)
    assert not e.free_symbols, f"{expr} at {point} leaves {e.free_symbols}"
    return e


def gap_at(stmt, point) -> sp.Expr:
    """lhs - rhs at the witness (for <= and <: rhs - lhs), exactly."""
    if isinstance(stmt, (sp.LessThan, sp.StrictLessThan)):
        return value_at(stmt.rhs, point) - value_at(stmt.lhs, point)
    return value_at(stmt.lhs, point) - value_at(stmt.rhs, point)


def shifted(stmt, shift) -> sp.Basic:
    """The statement with its gap (lhs - rhs, or rhs - lhs for <=/<) lowered by ``shift``."""
    if isinstance(stmt, (sp.LessThan, sp.StrictLessThan)):
        return stmt.func(stmt.lhs, stmt.rhs - shift, evaluate=False)
    return stmt.func(stmt.lhs, stmt.rhs + shift, evaluate=False)


def exists_mutant(stmt, point) -> sp.Basic:
    """False at the witness: the gap becomes exactly 0 (strict, !=) or -10**-60 (=, >=)."""
    if isinstance(stmt, sp.Eq):
        return sp.Eq(stmt.lhs, stmt.rhs + TINY, evaluate=False)
    if isinstance(stmt, sp.Ne):
        return sp.Ne(stmt.lhs, stmt.rhs + value_at(stmt.lhs - stmt.rhs, point), evaluate=False)
    gap = gap_at(stmt, point)
    strict = isinstance(stmt, (sp.StrictGreaterThan, sp.StrictLessThan))
    return shifted(stmt, gap if strict else gap + TINY)


def refuted_mutant(stmt, point) -> sp.Basic:
    """True at the witness: the (negative) gap becomes exactly 0, or 10**-60 if strict."""
    if isinstance(stmt, sp.Ne):
        return sp.Ne(stmt.lhs, stmt.rhs + TINY, evaluate=False)
    if isinstance(stmt, sp.Eq):
        return sp.Eq(stmt.lhs, stmt.rhs + value_at(stmt.lhs - stmt.rhs, point), evaluate=False)
    gap = gap_at(stmt, point)
    strict = isinstance(stmt, (sp.StrictGreaterThan, sp.StrictLessThan))
    return shifted(stmt, gap - TINY if strict else gap)


def _witness_claims(quantifier: str, expected: str) -> list[str]:
    return [c.id for c in REGISTRY if isinstance(c.proof, Witness) and
            c.quantifier.value == quantifier and c.expected.value == expected and
            isinstance(c.statement, (sp.Eq, sp.Ne, sp.GreaterThan, sp.StrictGreaterThan,
                                     sp.LessThan, sp.StrictLessThan))]


EXISTS_CLAIMS = _witness_claims("exists", "holds")
REFUTED_CLAIMS = _witness_claims("forall", "refuted")


def _verify_mutant(c, statement, suffix: str):
    mutant = claim(c.id + suffix, c.paper, statement, proof=c.proof, domains=c.domains,
                   conditions=c.conditions, given=c.given, quantifier=c.quantifier.value,
                   expected=c.expected.value, registry=Registry(), prose="mutant")
    try:
        status, value = run_isolated(lambda: verify_claim(mutant), HANG_SECONDS)
    finally:
        c.proof.bind(c)        # the shared witness goes back to its claim
    if status != "ok":
        pytest.fail(f"{c.id}{suffix}: {status}: {value}")
    return value


def test_there_are_witness_claims_to_mutate():
    assert len(EXISTS_CLAIMS) >= 5, EXISTS_CLAIMS
    assert REFUTED_CLAIMS, "no refuted claim with a witness"


@pytest.mark.parametrize("cid", EXISTS_CLAIMS)
def test_exists_mutant_false_at_its_witness_is_not_proved(cid):
    c = REGISTRY[cid]
    stmt = exists_mutant(c.statement, c.proof.point)
    # the mutant is false at the witness by exact arithmetic, independently of the engine
    if isinstance(stmt, sp.Ne):
        assert sp.simplify(value_at(stmt.lhs - stmt.rhs, c.proof.point)) == 0, cid
    elif not isinstance(stmt, sp.Eq):
        after = gap_at(stmt, c.proof.point)
        strict = isinstance(stmt, (sp.StrictGreaterThan, sp.StrictLessThan))
        assert sp.simplify(after - (0 if strict else -TINY)) == 0, (cid, after)
    r = _verify_mutant(c, stmt, ".exists-mutant")
    assert r.symbolic != "proved", f"{cid}: proved although false at its witness ({r.detail})"
    assert not r.ok


@pytest.mark.parametrize("cid", REFUTED_CLAIMS)
def test_refuted_mutant_true_at_its_witness_is_not_refuted_by_it(cid):
    c = REGISTRY[cid]
    point = c.proof.point
    stmt = refuted_mutant(c.statement, point)
    r = _verify_mutant(c, stmt, ".refuted-mutant")
    if r.symbolic == "refuted":
        shown = {str(k): str(v) for k, v in point.items()}
        cex = (r.counterexample or {}).get("exact_point") or (r.counterexample or {}).get("point")
        assert cex != shown, (f"{cid}: refuted at its witness, where the mutant holds "
                              f"({r.detail})")


def test_the_witness_mutants_are_meaningful():
    """Without the shift, claims come out as expected through the same path (so a mutant's
    failure is the shift's doing, not the harness's)."""
    proved = [cid for cid in EXISTS_CLAIMS
              if _verify_mutant(REGISTRY[cid], REGISTRY[cid].statement, ".unshifted").symbolic
              == "proved"]
    assert proved, "no exists claim is proved through the mutant harness"
    refuted = [cid for cid in REFUTED_CLAIMS[:4]
               if _verify_mutant(REGISTRY[cid], REGISTRY[cid].statement, ".unshifted").symbolic
               == "refuted"]
    assert refuted, "no refuted claim is refuted through the mutant harness"


@pytest.mark.parametrize("cid", [c.id for c in AXIOMS if c.numeric is None
                                 and not c.statement.has(sp.Limit)])
def test_sampled_axioms_are_refuted_when_mutated(cid):
    """An axiom without its own check is sampled like any claim: its mutant is refuted."""
    symbolic, ok, detail = check_mutant(cid, numeric=True)
    assert symbolic == "refuted" and not ok, detail
