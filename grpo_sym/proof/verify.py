"""Run claims: symbolic proof, numeric backup, and the status over ancestors.

Outcome rules (DESIGN.md, "Outcomes are honest"):

* a counterexample confirmed at high precision makes the outcome ``refuted``;
* otherwise the outcome is ``proved`` only if the proof was checked;
* a named axiom (:class:`~grpo_sym.proof.proofs.Axiom`) is ``assumed``;
* anything else is ``unproved``.

A claim is *ok* when its outcome matches what is expected and, for a claim
expected to hold, the numeric backup agrees.  A claim is *verified* when it is
ok and every claim it uses is verified.
"""
from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from typing import Callable, Sequence

import sympy as sp

from .cache import ResultCache
from .claims import Claim, Expected, Registry
from .domains import latex_names
from .domains import is_finite_domain
from .kernel import BudgetExhausted, Context, carry_out, size, undefined_reason
from .numeric import DPS, NumericOutcome, numeric_backup
from .proofs import Axiom, Identity, LimitProof, Outcome, ProofResult, Witness

__all__ = ["ClaimResult", "verify_claim", "verify_all", "fully_verified", "cached_result",
           "from_fields", "assumed_axioms"]


@dataclass
class ClaimResult:
    id: str
    paper: str
    statement_latex: str
    expected: str
    symbolic: str
    numeric: str
    ok: bool
    seconds: float
    uses: list[str]
    counterexample: dict | None = None
    detail: str = ""
    numeric_detail: str = ""
    steps: list[dict] = field(default_factory=list)
    verified: bool = False
    confirmed_by: list[str] = field(default_factory=list)
    second_prover: str = ""

    def as_json(self) -> dict:
        return {
            "id": self.id, "paper": self.paper, "statement_latex": self.statement_latex,
            "expected": self.expected, "symbolic": self.symbolic, "numeric": self.numeric,
            "ok": self.ok, "verified": self.verified, "seconds": round(self.seconds, 3),
            "uses": self.uses, "counterexample": self.counterexample, "detail": self.detail,
            "numeric_detail": self.numeric_detail, "confirmed_by": self.confirmed_by,
            "second_prover": self.second_prover,
        }


def statement_latex(c: Claim) -> str:
    return sp.latex(c.statement, symbol_names=latex_names())


def default_proof(c: Claim):
    if c.proof is not None:
        return c.proof
    if c.is_limit:
        return LimitProof()
    if isinstance(c.statement, sp.Eq):
        return Identity()
    return None


def statement_problem(c: Claim, ctx: Context) -> str | None:
    """Why the statement cannot be proved as it stands (None: it can be tried).

    Floats are refused (a Float is not the exact number anyone meant), and a
    ``forall`` statement must be defined and real at every point of its domain:
    an identity holds where both sides are defined, so the points where they
    are not must be excluded by a condition."""
    parts = [c.statement, *c.relations] + ([c.given] if c.given is not None else [])
    if any(sp.sympify(p).has(sp.Float) for p in parts):
        return "the statement contains a floating-point number; state it exactly"
    if c.is_limit:
        why = undefined_reason(ctx.eliminate(c.statement.rhs), ctx)
        return f"the limit's value is not defined everywhere on its domain: {why}" if why else None
    if c.quantifier != "forall" or isinstance(c.proof, Witness):
        return None     # a witness is decided at its own point, where it must be defined
    for side in (c.statement.lhs, c.statement.rhs):
        for case, inst in ctx.instances(ctx.eliminate(sp.sympify(side))):
            why = undefined_reason(carry_out(ctx.eliminate(inst)), ctx.specialised(case))
            if why:
                at = f" (at {case})" if case else ""
                return f"the statement is not defined everywhere on its domain{at}: {why}"
    return None


def _check_proof(c: Claim, proof, ctx: Context) -> ProofResult:
    if proof is None:
        return ProofResult(Outcome.UNPROVED, "no proof given")
    try:
        # an axiom is assumed whole, its statement's meaning included
        problem = None if isinstance(proof, Axiom) else statement_problem(c, ctx)
        if problem:
            return ProofResult(Outcome.UNPROVED, problem)
        return proof.check(c, ctx)
    except BudgetExhausted as exc:
        return ProofResult(Outcome.UNPROVED, str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure inside a check leaves it unproved
        return ProofResult(Outcome.UNPROVED, f"{type(exc).__name__}: {exc}")


def verify_claim(c: Claim, dps: int = DPS, second_prover: bool = True,
                 numeric: bool = True) -> ClaimResult:
    """Check one claim (not its ancestors).

    With ``second_prover``, a proved claim in the fragment of the SMT solver
    (polynomials and radicals over the reals) is confirmed by it too; a
    disagreement leaves the claim unproved.  Without ``numeric`` the numeric
    backup is not run: the symbolic verdict stands alone and the claim is never
    ``ok`` when expected to hold (what the mutation test needs: the kernel alone
    must reject a wrong statement)."""
    t0 = time.perf_counter()
    ctx = Context.for_claim(c)
    proof = default_proof(c)
    if proof is not c.proof:
        c.proof = proof
        if proof is not None:
            proof.bind(c)
    sym = _check_proof(c, proof, ctx)
    num = None
    num_outcome, num_detail, num_cex = NumericOutcome.NONE, "not run", None
    try:
        if numeric:
            num = numeric_backup(c, dps)
    except Exception as exc:  # noqa: BLE001
        num_detail = f"{type(exc).__name__}: {exc}"
    if num is not None:
        num_outcome, num_detail, num_cex = num.outcome, num.detail, num.counterexample
        if num.extra:
            num_detail += "; " + "; ".join(num.extra)
    outcome, cex, detail = sym.outcome, sym.counterexample, sym.detail
    if num is not None and num.proof_failure:
        # the proof does not survive evaluation: it proves nothing (the statement may still hold)
        if outcome == Outcome.PROVED:
            detail = "CONFLICT: the symbolic check passed but a proof obligation fails " \
                     "numerically: " + num.proof_failure
            outcome = Outcome.UNPROVED
        num_detail += "; proof obligation fails: " + num.proof_failure
    if num_outcome == NumericOutcome.COUNTEREXAMPLE and c.quantifier == "forall":
        if outcome == Outcome.PROVED:
            detail = "CONFLICT: symbolic proof checked but a counterexample was found: " + detail
        outcome = Outcome.REFUTED
        cex = cex or num_cex
    confirmed_by, second = [], ""
    if outcome == Outcome.PROVED:
        confirmed_by.append("sympy")
    if isinstance(proof, Witness) and outcome in (Outcome.PROVED, Outcome.REFUTED) and \
            sym.outcome == outcome:
        confirmed_by.append("arb")     # the witness was decided by Arb enclosures
    elif outcome == Outcome.REFUTED and (cex or {}).get("decided_by") == "arb":
        confirmed_by.append("arb")     # the counterexample was decided by Arb enclosures
    # a refutation rests on its exact counterexample; the solver confirms proofs only
    # (on a false statement nlsat's root isolation can run for a minute, unbounded by rlimit)
    if second_prover and outcome == Outcome.PROVED and not isinstance(proof, Witness):
        second = _second_opinion(c)
        if second.startswith("confirmed"):
            confirmed_by.append("smt")
        elif second.startswith("counterexample"):
            detail = "CONFLICT: the SMT solver found a counterexample: " + second
            outcome = Outcome.UNPROVED
            confirmed_by.remove("sympy")
    if isinstance(proof, Axiom):
        # assumed by name; a counterexample (sampled or the claim's own check) still counts
        ok = outcome == Outcome.ASSUMED and num_outcome != NumericOutcome.COUNTEREXAMPLE \
            and not num_detail.startswith("the claim's own numeric check fails")
    elif c.expected == Expected.HOLDS:
        ok = outcome == Outcome.PROVED and num_outcome == NumericOutcome.AGREES
    else:
        ok = outcome == Outcome.REFUTED
    steps = [{"rule": s.rule, "why": s.why, "ok": s.ok, "method": s.method} for s in sym.steps]
    return ClaimResult(
        id=c.id, paper=c.paper, statement_latex=statement_latex(c), expected=c.expected.value,
        symbolic=outcome, numeric=num_outcome, ok=ok, seconds=time.perf_counter() - t0,
        uses=[u.id for u in c.uses], counterexample=cex, detail=detail,
        numeric_detail=num_detail, steps=steps, confirmed_by=confirmed_by, second_prover=second)


SMT_NODES = 400    # statements larger than this are not sent to z3
SMT_CASES = 4      # nor claims over more finite cases (each case is its own z3 problem)


def _second_opinion(c: Claim) -> str:
    """What the SMT solver says of the statement: 'confirmed: ...',
    'counterexample: ...', or why it says nothing ('outside: ...', 'unknown: ...')."""
    if c.is_limit or c.quantifier != "forall":
        return "outside: limits and existential claims are not in the solver's fragment"
    # z3's rlimit does not bound nlsat's root isolation, so large problems are not sent
    # (a deterministic budget: the statement's size and the number of finite cases)
    cases = 1
    for s in c.free_symbols:
        if is_finite_domain(c.domain(s)):
            cases *= len(c.domain(s))
    if size(c.statement) > SMT_NODES or cases > SMT_CASES:
        return (f"unknown: beyond the second prover's budget ({size(c.statement)} nodes, "
                f"{cases} cases; caps {SMT_NODES}, {SMT_CASES})")
    try:
        from . import smt
        res = smt.confirm(c.statement, domains={s: c.domain(s) for s in c.free_symbols},
                          relations=c.relations, simplices=[sx.symbols for sx in c.simplices],
                          given=c.given)
    except Exception as exc:  # noqa: BLE001 - the second prover only ever adds confidence
        return f"unknown: {type(exc).__name__}: {exc}"
    if res.status == "counterexample":
        return f"counterexample: {res.model}"
    return f"{res.status}: {res.reason}"


def fully_verified(results: dict[str, ClaimResult], registry: Registry) -> None:
    """Set ``verified`` on each result: ok, and every used claim verified."""
    memo: dict[str, bool] = {}

    def ver(cid: str, trail: tuple = ()) -> bool:
        if cid in memo:
            return memo[cid]
        if cid in trail or cid not in results:
            return False
        r = results[cid]
        # an ancestor counts only as a theorem: proved (a claim refuted as expected is
        # "ok" but false, and an exists claim says nothing about other points)
        memo[cid] = r.ok and all(ver(u, trail + (cid,))
                                 and results[u].symbolic in (Outcome.PROVED, Outcome.ASSUMED)
                                 and (u not in registry or registry[u].quantifier == "forall")
                                 for u in r.uses)
        return memo[cid]

    for cid, r in results.items():
        r.verified = ver(cid)


def from_fields(data: dict | None) -> ClaimResult | None:
    """A result from its stored fields (None for None, or for another layout)."""
    if data is None or set(data) != {f.name for f in fields(ClaimResult)}:
        return None
    return ClaimResult(**data)


def cached_result(c: Claim, cache: ResultCache) -> ClaimResult:
    """The result of claim ``c`` alone: from ``cache`` if neither it nor anything it
    uses has changed, else checked now and stored (``verified`` is not set: it needs
    the ancestors)."""
    cache.new_keys()        # the claim may have changed since the cache last keyed it
    r = from_fields(cache.get(c))
    if r is None:
        r = verify_claim(c)
        cache.put(c, asdict(r))
    return r


_WORKER_REGISTRY: Registry | None = None
# the registry being verified, set while a pool runs: a worker started by fork is a
# copy of this process and finds it here, built already (loading it again costs each
# worker as much CPU as the parent spent); a spawned worker imports this module afresh,
# finds None and builds its own with the loader
_PARENT_REGISTRY: Registry | None = None


def _init_worker(loader: Callable[[], Registry]) -> None:
    global _WORKER_REGISTRY
    _WORKER_REGISTRY = _PARENT_REGISTRY if _PARENT_REGISTRY is not None else loader()


def _run_in_worker(cid: str) -> ClaimResult:
    assert _WORKER_REGISTRY is not None
    return verify_claim(_WORKER_REGISTRY[cid])


def verify_all(registry: Registry, claims: Sequence[Claim], jobs: int = 1,
               loader: Callable[[], Registry] | None = None,
               progress: Callable[[ClaimResult, int, int], None] | None = None,
               cache: ResultCache | None = None) -> dict[str, ClaimResult]:
    """Verify ``claims`` and their ancestors; results in registry order.

    With ``jobs > 1`` claims run in worker processes, each of which builds the
    registry with ``loader`` (claims are not pickled; their ids are).  With a
    ``cache`` (:class:`~grpo_sym.proof.cache.ResultCache`), the stored result of
    a claim is reused when neither it nor anything it uses has changed (its
    content key), and new results are stored.
    """
    todo = registry.closure(claims)
    results: dict[str, ClaimResult] = {}
    total = len(todo)
    if cache is not None:
        cache.new_keys()    # every key is taken before any check runs
    by_id = {c.id: c for c in todo}

    def done(r: ClaimResult, fresh: bool) -> None:
        results[r.id] = r
        if fresh and cache is not None:
            cache.put(by_id[r.id], asdict(r))
        if progress:
            progress(r, len(results), total)

    missing = []
    for c in todo:
        hit = from_fields(cache.get(c)) if cache is not None else None
        if hit is None:
            missing.append(c)
        else:
            done(hit, False)
    if jobs > 1 and loader is not None and len(missing) > 1:
        global _PARENT_REGISTRY
        _PARENT_REGISTRY = registry
        try:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                     initargs=(loader,)) as pool:
                for r in pool.map(_run_in_worker, [c.id for c in missing]):
                    done(r, True)
        finally:
            _PARENT_REGISTRY = None
    else:
        for c in missing:
            done(verify_claim(c), True)
    fully_verified(results, registry)
    return {c.id: results[c.id] for c in todo}


def assumed_axioms(c: Claim, registry: Registry) -> list[str]:
    """The named axioms that ``c`` rests on: itself or any of its ancestors."""
    return [a.id for a in registry.closure([c]) if isinstance(a.proof, Axiom)]
