"""The result cache: a hit is the fresh verdict, any source change misses, and
``--no-cache`` checks afresh."""
from __future__ import annotations

import json

import pytest

import grpo_sym
from grpo_sym.cli import main
from grpo_sym.proof import ResultCache, verify_all
from grpo_sym.proof import cache as cache_mod
from grpo_sym.proof import verify as verify_mod

PATTERN = "s2.1.pairs.advantage-*"


def _no_checks(monkeypatch):
    def refuse(c, *a, **k):
        raise AssertionError(f"{c.id} was checked although its result is cached")
    monkeypatch.setattr(verify_mod, "verify_claim", refuse)


def test_a_hit_is_the_fresh_result_and_checks_nothing(tmp_path, monkeypatch):
    reg = grpo_sym.load_registry()
    claims = reg.select(PATTERN)
    fresh = verify_all(reg, claims, cache=ResultCache(tmp_path))
    assert fresh and all(r.ok for r in fresh.values())
    _no_checks(monkeypatch)
    again = verify_all(reg, claims, cache=ResultCache(tmp_path))
    assert again == fresh            # every field, 'verified' recomputed, 'seconds' kept


def test_a_changed_source_misses(tmp_path, monkeypatch):
    reg = grpo_sym.load_registry()
    claims = reg.select(PATTERN)
    verify_all(reg, claims, cache=ResultCache(tmp_path))
    src = tmp_path / "src" / "edited.py"
    src.parent.mkdir()
    src.write_text("x = 1\n")
    real = cache_mod._sources
    monkeypatch.setattr(cache_mod, "_sources", lambda: [*real(), src])
    cache_mod.source_key.cache_clear()
    try:
        before = cache_mod.source_key()
        src.write_text("x = 2\n")
        cache_mod.source_key.cache_clear()
        assert cache_mod.source_key() != before
        assert all(ResultCache(tmp_path).get(c.id) is None for c in claims)
    finally:
        cache_mod.source_key.cache_clear()


def test_a_foreign_or_corrupt_entry_is_ignored(tmp_path):
    cache = ResultCache(tmp_path)
    cache.put({"id": "a.claim", "symbolic": "proved"})        # not a result's layout
    assert verify_mod.from_fields(cache.get("a.claim")) is None
    path = cache._path("b.claim")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    assert cache.get("b.claim") is None
    path.write_text(json.dumps({"id": "another.claim"}))
    assert cache.get("b.claim") is None


def test_read_off_checks_afresh(tmp_path, monkeypatch):
    reg = grpo_sym.load_registry()
    claims = reg.select(PATTERN)
    verify_all(reg, claims, cache=ResultCache(tmp_path))
    _no_checks(monkeypatch)
    with pytest.raises(AssertionError, match="was checked"):
        verify_all(reg, claims, cache=ResultCache(tmp_path, read=False))


def test_cli_uses_the_cache_and_no_cache_does_not(tmp_path, monkeypatch):
    monkeypatch.setenv("GRPO_SYM_CACHE", str(tmp_path))
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["verify", "--only", PATTERN, "--json", str(a)]) == 0
    _no_checks(monkeypatch)
    assert main(["verify", "--only", PATTERN, "--json", str(b)]) == 0
    assert a.read_text() == b.read_text()
    with pytest.raises(AssertionError, match="was checked"):
        main(["verify", "--only", PATTERN, "--no-cache"])
