"""A result cache for :func:`~grpo_sym.proof.verify.verify_all`: unchanged code, no re-check.

A claim's result is stored under a key that hashes everything its verdict can
depend on: the source of the whole package and of the derivations (every
``.py`` file, by content), the versions of Python, SymPy, mpmath,
python-flint and z3, the numeric precision, and the claim's id.  Any edit to
any source file therefore re-checks every claim: coarse, but a cached verdict
is always the verdict a fresh run would give (the engine is deterministic),
so caching never changes a verdict.  ``verified`` (the status over ancestors)
is never cached; it is recomputed from the results after every run.

Each result is one JSON file, written atomically (``os.replace``), so several
processes (verify workers, notebook kernels) may share a cache directory.

===========================  =================================================
name                         job
===========================  =================================================
``ResultCache(directory)``   the cache in ``directory`` (``read``/``write``
                             switch each direction off)
``ResultCache.default()``    ``$GRPO_SYM_CACHE``, else ``$XDG_CACHE_HOME`` or
                             ``~/.cache``, then ``grpo_sym``
``source_key()``             the hash of the sources and library versions
===========================  =================================================

A result is stored as the dictionary of its fields; the caller (``verify_all``)
rebuilds the result and discards a dictionary of another layout.

>>> import tempfile
>>> cache = ResultCache(tempfile.mkdtemp())
>>> cache.get("demo") is None
True
>>> cache.put({"id": "demo", "symbolic": "proved", "verified": True})
>>> cache.get("demo")
{'id': 'demo', 'symbolic': 'proved', 'verified': False}
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path

__all__ = ["ResultCache", "source_key"]

CACHE_ENV = "GRPO_SYM_CACHE"


def _sources() -> list[Path]:
    import grpo_sym
    import grpo_sym.derivations

    roots = [Path(grpo_sym.__file__).parent, *map(Path, grpo_sym.derivations.__path__)]
    files = set()
    for root in roots:
        files.update(p.resolve() for p in root.rglob("*.py"))
    return sorted(files)


@functools.lru_cache(maxsize=1)
def source_key() -> str:
    """SHA-256 over every source file (relative name and content) and the versions
    of the libraries the engine calls."""
    import flint
    import mpmath
    import sympy
    import z3

    h = hashlib.sha256()
    for v in (platform.python_version(), sympy.__version__, mpmath.__version__,
              flint.__version__, z3.get_version_string()):
        h.update(v.encode() + b"\0")
    for p in _sources():
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


class ResultCache:
    """Claim results on disk, keyed by :func:`source_key`, the precision and the id."""

    def __init__(self, directory: str | os.PathLike, read: bool = True, write: bool = True,
                 dps: int | None = None):
        from .numeric import DPS

        self.directory = Path(directory)
        self.read, self.write = read, write
        self.dps = DPS if dps is None else dps

    @classmethod
    def default(cls, **kwargs) -> "ResultCache":
        base = os.environ.get(CACHE_ENV)
        if not base:
            xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
            base = os.path.join(xdg, "grpo_sym")
        return cls(base, **kwargs)

    def _path(self, claim_id: str) -> Path:
        key = hashlib.sha256(f"{source_key()}\0{self.dps}\0{claim_id}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, claim_id: str) -> dict | None:
        """The stored fields of ``claim_id``'s result, or None."""
        if not self.read:
            return None
        try:
            data = json.loads(self._path(claim_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("id") == claim_id else None

    def put(self, fields_: dict) -> None:
        """Store a result's fields (atomically; a cache that cannot be written is skipped)."""
        if not self.write:
            return
        path = self._path(fields_["id"])
        data = {**fields_, "verified": False}    # the status over ancestors is recomputed
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, sort_keys=True)
            os.replace(tmp, path)
        except OSError:
            pass
