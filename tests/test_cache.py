"""The result cache: a claim is re-checked exactly when it, or something it uses,
changes; a hit is the fresh verdict; ``--no-cache`` checks afresh."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sympy import Interval, oo

import grpo_sym
from grpo_sym.cli import main
from grpo_sym.proof import Eq, Identity, Registry, ResultCache, chain, claim, variable, verify_all
from grpo_sym.proof import cache as cache_mod
from grpo_sym.proof import verify as verify_mod

PATTERN = "s2.1.pairs.advantage-*"
x = variable("x_cache_test", Interval.open(0, oo))


def small_registry(edit: str = "", flip: str = "") -> Registry:
    """A <- B <- C (B substitutes A, C substitutes B) and an unrelated D.  ``edit``
    names a claim whose proof gets another justification (its content changes, its
    truth does not); ``flip`` a claim whose statement gets a sign flipped."""
    reg = Registry()

    def why(cid):
        return "edited" if cid == edit else ""

    a = claim("A", "", Eq(x**2 - 1, (x - 1) * (x + 1)), proof=Identity(why("A")), registry=reg)
    b = claim("B", "", Eq((x**2 - 1) / (x + 1), x - 1),
              proof=chain((x**2 - 1) / (x + 1)).substitute(a, why("B")), registry=reg)
    c = claim("C", "", Eq((x**2 - 1) / (x + 1) + 1, -x if flip == "C" else x),
              proof=chain((x**2 - 1) / (x + 1) + 1).substitute(b, why("C")), registry=reg)
    claim("D", "", Eq((x + 2)**2, x**2 + (-4 if flip == "D" else 4) * x + 4),
          proof=Identity(why("D")), registry=reg)
    assert [u.id for u in c.uses] == ["B"] and [u.id for u in b.uses] == ["A"]
    return reg


def run(directory, read: bool = True, **edits) -> dict:
    """Verify the whole small registry (built afresh with ``edits``) with a cache."""
    reg = small_registry(**edits)
    return verify_all(reg, list(reg), cache=ResultCache(directory, read=read))


def checked(monkeypatch) -> list[str]:
    """The ids verify_claim is called on from now on."""
    calls: list[str] = []
    real = verify_mod.verify_claim

    def counting(c, *args, **kwargs):
        calls.append(c.id)
        return real(c, *args, **kwargs)
    monkeypatch.setattr(verify_mod, "verify_claim", counting)
    return calls


def _no_checks(monkeypatch):
    def refuse(c, *a, **k):
        raise AssertionError(f"{c.id} was checked although its result is cached")
    monkeypatch.setattr(verify_mod, "verify_claim", refuse)


def verdicts(results) -> dict:
    return {cid: (r.symbolic, r.ok, r.verified) for cid, r in results.items()}


@pytest.mark.parametrize("edit, rechecked", [("A", ["A", "B", "C"]), ("B", ["B", "C"]),
                                             ("C", ["C"]), ("D", ["D"])])
def test_an_edit_rechecks_the_claim_and_what_uses_it_and_nothing_else(
        tmp_path, monkeypatch, edit, rechecked):
    first = run(tmp_path)
    assert all(r.verified for r in first.values()), verdicts(first)
    calls = checked(monkeypatch)
    again = run(tmp_path)
    assert calls == []                       # an unchanged registry: nothing re-checked
    assert verdicts(again) == verdicts(first)
    edited = run(tmp_path, edit=edit)
    assert calls == rechecked
    fresh = run(tmp_path, read=False, edit=edit)
    assert verdicts(edited) == verdicts(fresh) == verdicts(first)


@pytest.mark.parametrize("flip", ["C", "D"])
def test_a_flipped_sign_misses_and_is_refuted(tmp_path, monkeypatch, flip):
    run(tmp_path)
    calls = checked(monkeypatch)
    results = run(tmp_path, flip=flip)
    assert calls == [flip]
    assert results[flip].symbolic == "refuted" and not results[flip].ok
    assert all(r.ok for cid, r in results.items() if cid != flip)


def test_keys_are_the_same_in_another_process():
    """No memory address or declaration order enters a key."""
    keys = cache_mod.ClaimKeys(50, verify_mod.default_proof)
    here = {c.id: keys.key(c) for c in small_registry()}
    assert None not in here.values() and len(set(here.values())) == 4
    # the child imports the same copy of the package (the checkout, or the installed one)
    script = ("import sys, json, sympy; sympy.Dummy(); sys.path[:0] = sys.argv[1:]; "
              "from test_cache import small_registry, cache_mod, verify_mod; "
              "k = cache_mod.ClaimKeys(50, verify_mod.default_proof); "
              "print(json.dumps({c.id: k.key(c) for c in small_registry()}))")
    out = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent),
                          str(Path(grpo_sym.__file__).parents[1])],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == here


def test_the_precision_and_the_engine_enter_the_key(monkeypatch):
    c = small_registry()["A"]
    base = cache_mod.ClaimKeys(50).key(c)
    assert cache_mod.ClaimKeys(60).key(c) != base
    monkeypatch.setattr(cache_mod, "engine_key", lambda: "another engine")
    assert cache_mod.ClaimKeys(50).key(c) != base


def test_a_claim_the_key_cannot_describe_is_checked_every_time(tmp_path, monkeypatch):
    """Code from outside any package of known version (here: this test module) has
    no trustworthy key: such a claim is never cached."""
    reg = Registry()
    claim("E", "", Eq(x + x, 2 * x), numeric=lambda dps: (True, "checked"), registry=reg)
    assert cache_mod.ClaimKeys(50).key(reg["E"]) is None
    verify_all(reg, list(reg), cache=ResultCache(tmp_path))
    calls = checked(monkeypatch)
    results = verify_all(reg, list(reg), cache=ResultCache(tmp_path))
    assert calls == ["E"] and results["E"].ok


def test_a_hit_is_the_fresh_result_and_checks_nothing(tmp_path, monkeypatch):
    reg = grpo_sym.load_registry()
    claims = reg.select(PATTERN)
    fresh = verify_all(reg, claims, cache=ResultCache(tmp_path))
    assert fresh and all(r.ok for r in fresh.values())
    _no_checks(monkeypatch)
    again = verify_all(reg, claims, cache=ResultCache(tmp_path))
    assert again == fresh            # every field, 'verified' recomputed, 'seconds' kept


def test_a_foreign_or_corrupt_entry_is_ignored(tmp_path):
    cache = ResultCache(tmp_path)
    a, b = small_registry()["A"], small_registry()["B"]
    cache.put(a, {"id": "A", "symbolic": "proved"})        # not a result's layout
    assert verify_mod.from_fields(cache.get(a)) is None
    path = cache._path(cache.keys.key(b))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    assert cache.get(b) is None
    path.write_text(json.dumps({"id": "another.claim"}))
    assert cache.get(b) is None


def test_read_off_checks_afresh(tmp_path, monkeypatch):
    run(tmp_path)
    _no_checks(monkeypatch)
    with pytest.raises(AssertionError, match="was checked"):
        run(tmp_path, read=False)


def test_the_tree_key_follows_every_source_file(tmp_path, monkeypatch):
    src = tmp_path / "src" / "edited.py"
    src.parent.mkdir()
    src.write_text("x = 1\n")
    real = cache_mod._package_roots
    monkeypatch.setattr(cache_mod, "_package_roots", lambda: [*real(), src.parent])
    before = cache_mod.tree_key("verify")
    assert cache_mod.tree_key("verify") == before and cache_mod.tree_key("other") != before
    src.write_text("x = 2\n")
    assert cache_mod.tree_key("verify") != before


def test_cli_uses_the_cache_and_no_cache_does_not(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRPO_SYM_CACHE", str(tmp_path))
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["verify", "--only", PATTERN, "--json", str(a)]) == 0
    first = capsys.readouterr().out
    _no_checks(monkeypatch)
    # an unchanged tree: the report is reprinted without even loading the registry
    with monkeypatch.context() as m:
        m.setattr(grpo_sym, "load_registry", lambda: pytest.fail("the registry was loaded"))
        assert main(["verify", "--only", PATTERN, "--json", str(b)]) == 0
    assert a.read_text() == b.read_text()
    second = capsys.readouterr().out
    assert second.split(" s wall")[1] == first.split(" s wall")[1]
    with pytest.raises(AssertionError, match="was checked"):
        main(["verify", "--only", PATTERN, "--no-cache"])
