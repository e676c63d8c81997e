"""A result cache for :func:`~grpo_sym.proof.verify.verify_all`: an unchanged claim is not re-checked.

A claim's result is stored under its *key*, a content hash of everything its
verdict can depend on:

* the claim itself: id, place in the paper, statement, domains, conditions,
  premise, quantifier, expected outcome, and its proof object with every step,
  witness, certificate and the code of every function inside it (SymPy objects
  by structure; symbols with their assumptions, declared domain and LaTeX form;
  functions by their compiled code, closures and defaults; code from
  ``grpo_sym`` outside the engine by the source of the modules it reaches and
  the data it reads from its globals; a registry it reads by what every claim
  of it declares: statement, domains, conditions, premise);
* the keys of the claims it uses (so an edit to a claim re-checks everything
  that rests on it, and nothing else);
* the engine (the source of ``grpo_sym/proof/*.py``), the versions of Python,
  SymPy, mpmath, python-flint and z3, and the numeric precision.

Nothing in a key depends on memory addresses or on the order in which claims
were declared, so a key is the same in every process.  An object the key cannot
describe faithfully makes its claim uncacheable: it is checked every time.  The
engine is deterministic, so a cached verdict is the verdict a fresh run gives:
caching never changes a verdict.  ``verified`` (the status over ancestors) is
never cached; it is recomputed after every run.

A whole report (``grpo-sym verify``'s output) can be stored too, under a key of
every source file of the package and the derivations (:func:`tree_key`): an
unchanged tree reprints it without loading the registry.

Each entry is one JSON file, written atomically (``os.replace``), so several
processes (verify workers, test workers, notebook kernels) may share a cache
directory.

=============================  ===============================================
name                           job
=============================  ===============================================
``ResultCache(directory)``     the cache in ``directory`` (``read``/``write``
                               switch each direction off)
``ResultCache.default()``      ``$GRPO_SYM_CACHE``, else ``$XDG_CACHE_HOME`` or
                               ``~/.cache``, then ``grpo_sym``
``ResultCache.get(c)/put``     a claim's stored result fields / store them
``ResultCache.get_report``     a stored report under a tree key (in
                               ``reports/``) / ``put_report``
``ClaimKeys(dps)``             the content keys of claims (memoised)
``engine_key()``               the hash of the engine and library versions
``tree_key(*extra)``           the hash of every source file and the versions
=============================  ===============================================

>>> import tempfile
>>> from sympy import Interval, oo
>>> from grpo_sym.proof import Eq, Registry, claim, variable
>>> x = variable("x_cache_demo", Interval.open(0, oo))
>>> c = claim("demo.cache", "", Eq(x + x, 2*x), registry=Registry())
>>> cache = ResultCache(tempfile.mkdtemp())
>>> cache.get(c) is None
True
>>> cache.put(c, {"id": "demo.cache", "symbolic": "proved", "verified": True})
>>> cache.get(c)
{'id': 'demo.cache', 'symbolic': 'proved', 'verified': False}
>>> c2 = claim("demo.cache", "", Eq(x + x, 3*x), registry=Registry())
>>> cache.get(c2) is None      # another statement, another key
True
"""
from __future__ import annotations

import enum
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import sys
import tempfile
import types
from pathlib import Path
from typing import Callable

import sympy as sp

__all__ = ["ResultCache", "ClaimKeys", "engine_key", "tree_key"]

CACHE_ENV = "GRPO_SYM_CACHE"
ENGINE = "grpo_sym.proof"
_ENGINE_DIR = Path(__file__).resolve().parent
# libraries whose version is part of every key: their code is named, not hashed
_LIBRARIES = (("sympy", "sympy"), ("mpmath", "mpmath"), ("python-flint", "flint"),
              ("z3-solver", "z3"))
_VERSIONED = {"sympy", "mpmath", "flint", "z3"}


def _version(dist: str, module: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:     # a source checkout of the library
        return str(getattr(__import__(module), "__version__", "unknown"))


def _versions() -> bytes:
    parts = [platform.python_implementation(), sys.version]
    parts += [f"{dist}={_version(dist, mod)}" for dist, mod in _LIBRARIES]
    return "\0".join(parts).encode()


def _hash_files(h, files: list[Path], root: Path) -> None:
    for p in files:
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")


@functools.lru_cache(maxsize=1)
def engine_key() -> str:
    """SHA-256 of the engine's source (``grpo_sym/proof/*.py``) and the versions of
    Python and of the libraries the engine calls."""
    h = hashlib.sha256(b"grpo_sym engine\0" + _versions() + b"\0")
    _hash_files(h, sorted(_ENGINE_DIR.glob("*.py")), _ENGINE_DIR)
    return h.hexdigest()


def _package_roots() -> list[Path]:
    """grpo_sym/ and derivations/ (beside it in a checkout, inside it installed)."""
    package = _ENGINE_DIR.parent
    beside = package.parent / "derivations"
    return [package] + ([beside] if (beside / "__init__.py").is_file() else [])


def tree_key(*extra: str) -> str:
    """SHA-256 of every source file of the package and the derivations, the versions,
    and ``extra`` (what a command was asked); reads files only, imports nothing."""
    h = hashlib.sha256(b"grpo_sym tree\0" + _versions() + b"\0")
    for root in _package_roots():
        _hash_files(h, sorted(root.rglob("*.py")), root.parent)
    h.update("\0".join(extra).encode())
    return h.hexdigest()


class Uncacheable(Exception):
    """An object a key cannot describe faithfully (its claim is always checked)."""


def _digest(tag: str, *parts: bytes) -> bytes:
    h = hashlib.sha256(tag.encode())
    for p in parts:
        h.update(len(p).to_bytes(8, "little") + p)
    return h.digest()


def _leaf(tag: str, text: str) -> bytes:
    return _digest(tag, text.encode())


class ClaimKeys:
    """The content keys of claims (see the module docstring), memoised per instance.

    ``proof_of(c)`` is the proof that will check ``c`` (its default proof when it
    declares none, so a key does not change when verification fills it in).
    Build one instance per run: claims and proofs are mutable, and the memo
    assumes they do not change while it is used.
    """

    def __init__(self, dps: int, proof_of: Callable | None = None):
        self.dps = dps
        self.proof_of = proof_of or (lambda c: c.proof)
        self._claims: dict[int, tuple[object, str | None]] = {}
        self._basic: dict[sp.Basic, bytes] = {}
        self._modules: dict[str, bytes] = {}
        self._registries: dict[int, tuple[object, bytes]] = {}
        self._open: list[object] = []     # claims being keyed (a cycle is uncacheable)

    def key(self, c) -> str | None:
        """The key of claim ``c`` (None: uncacheable, check it every time)."""
        memo = self._claims.get(id(c))
        if memo is not None and memo[0] is c:
            return memo[1]
        if any(o is c for o in self._open):
            raise Uncacheable(f"{c.id} uses itself")
        self._open.append(c)
        try:
            fp = self._claim(c)
            key = hashlib.sha256(b"grpo_sym claim\0" + engine_key().encode() +
                                 f"\0{self.dps}\0".encode() + fp).hexdigest()
        except Uncacheable:
            if len(self._open) > 1:
                raise           # a claim resting on an uncacheable one is uncacheable
            key = None
        except RecursionError:
            key = None
        finally:
            self._open.pop()
        self._claims[id(c)] = (c, key)
        return key

    # -- the claim -----------------------------------------------------------------
    def _claim(self, c) -> bytes:
        stack: list[int] = [id(c)]
        # not c.module: no result depends on it, and for a claim declared by a function it
        # names whatever module is running at the top (another under pytest-xdist)
        parts = [_leaf("id", c.id), _leaf("paper", c.paper), _leaf("instance_of", c.instance_of),
                 _leaf("expected", str(getattr(c.expected, "value", c.expected))),
                 _leaf("quantifier", str(getattr(c.quantifier, "value", c.quantifier))),
                 _leaf("corrects", c.corrects.id if c.corrects is not None else "")]
        for obj in (c.statement, dict(c.domains), tuple(c.conditions), c.given,
                    self.proof_of(c), c.numeric):
            parts.append(self._fp(obj, stack, c))
        for used in c.extra_uses:
            parts.append(self._claim_ref(used, c))
        return _digest("claim", *parts)

    def _claim_ref(self, other, owner) -> bytes:
        if other is owner:
            return _leaf("self", "")
        key = self.key(other)
        if key is None:
            raise Uncacheable(f"uses {other.id}, which is uncacheable")
        return _leaf("uses", key)

    # -- any object ----------------------------------------------------------------
    def _fp(self, obj, stack: list[int], owner) -> bytes:
        from .claims import Claim

        if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes)):
            return _leaf(type(obj).__name__, repr(obj))
        if isinstance(obj, sp.Basic):
            return self._basic_fp(obj)
        if isinstance(obj, Claim):
            return self._claim_ref(obj, owner)
        if isinstance(obj, enum.Enum):
            return _digest("enum", self._class_fp(type(obj)), _leaf("v", repr(obj.value)))
        if isinstance(obj, types.ModuleType):
            return self._module_fp(obj.__name__)
        if isinstance(obj, type):
            return self._class_fp(obj)
        if id(obj) in stack:            # a back-reference, by its distance up the stack
            return _leaf("cycle", str(len(stack) - stack.index(id(obj))))
        stack.append(id(obj))
        try:
            return self._composite(obj, stack, owner)
        finally:
            stack.pop()

    def _composite(self, obj, stack, owner) -> bytes:
        from .claims import Registry
        from .proofs import Proof

        fp = functools.partial(self._fp, stack=stack, owner=owner)
        if isinstance(obj, Registry):
            return self._registry_fp(obj)
        if isinstance(obj, (list, tuple)):
            return _digest(type(obj).__name__, *map(fp, obj))
        if isinstance(obj, (set, frozenset)):
            return _digest("set", *sorted(map(fp, obj)))
        if isinstance(obj, dict) or type(obj).__name__ == "mappingproxy":
            return _digest("dict", *sorted(_digest("item", fp(k), fp(v)) for k, v in obj.items()))
        if isinstance(obj, types.FunctionType):
            return self._function_fp(obj, fp)
        if isinstance(obj, types.MethodType):
            return _digest("method", fp(obj.__func__), fp(obj.__self__))
        if isinstance(obj, functools.partial):
            return _digest("partial", fp(obj.func), fp(obj.args), fp(obj.keywords))
        if isinstance(obj, (types.BuiltinFunctionType, types.BuiltinMethodType)):
            self_ = getattr(obj, "__self__", None)
            bound = b"" if self_ is None or isinstance(self_, types.ModuleType) else fp(self_)
            return _digest("builtin", self._named(obj), bound)
        state = getattr(obj, "__dict__", None)
        slots = [s for k in type(obj).__mro__ for s in getattr(k, "__slots__", ())
                 if isinstance(s, str) and hasattr(obj, s)]
        if state is not None or slots:
            items = dict(state or {})
            items.update((s, getattr(obj, s)) for s in slots if s not in ("__dict__",
                                                                         "__weakref__"))
            if isinstance(obj, Proof):
                # the back-reference set by bind(): no check reads it, and verification
                # binds a default proof, which must not change the claim's key
                items.pop("claim", None)
            return _digest("object", self._class_fp(type(obj)), fp(items))
        text = repr(obj)
        if " at 0x" in text or "object at" in text:
            raise Uncacheable(f"{type(obj).__qualname__} has no stable description")
        return _digest("repr", self._class_fp(type(obj)), text.encode())

    def _registry_fp(self, reg) -> bytes:
        """A registry read by a function (``REGISTRY[cid]`` in a numeric check): what
        it declares of every claim (statement, domains, conditions, premise), not
        the proofs, so that no key depends on another key through it."""
        memo = self._registries.get(id(reg))
        if memo is not None and memo[0] is reg:
            return memo[1]
        out = _digest("registry", *(
            _digest("declared", _leaf("id", c.id), *(self._fp(part, [], None) for part in (
                c.statement, dict(c.domains), tuple(c.conditions), c.given)))
            for c in reg))
        self._registries[id(reg)] = (reg, out)
        return out

    def _function_fp(self, fn: types.FunctionType, fp) -> bytes:
        cells = tuple(c.cell_contents for c in fn.__closure__ or ()
                      if _cell_filled(c))
        parts = [self._named(fn), _code_fp(fn.__code__), fp(fn.__defaults__),
                 fp(fn.__kwdefaults__), fp(cells)]
        module = getattr(fn, "__module__", None) or ""
        if module.split(".")[0] == "grpo_sym" and not _in_engine(module):
            # the values it reads from its globals (a symbol imported from another
            # module): code is covered by the modules it reaches, data is not
            data = {name: fn.__globals__[name] for name in sorted(_global_names(fn.__code__))
                    if name in fn.__globals__ and not isinstance(
                        fn.__globals__[name], (types.ModuleType, type, types.FunctionType,
                                               types.BuiltinFunctionType))}
            parts.append(fp(data))
        return _digest("function", *parts)

    # -- SymPy objects: by structure (memoised: they are immutable) ---------------
    def _basic_fp(self, e: sp.Basic) -> bytes:
        try:
            hit = self._basic.get(e)
        except TypeError:               # an unhashable Basic (a mutable matrix)
            hit = None
        if hit is not None:
            return hit
        from .domains import _DOMAINS, _LATEX

        if isinstance(e, (sp.Symbol, sp.IndexedBase)):
            assumptions = sorted(getattr(e, "assumptions0", {}).items())
            extra = [_leaf("name", str(e.name)), _leaf("assume", repr(assumptions))]
            if isinstance(e, sp.Dummy):
                extra.append(_leaf("dummy", str(e.dummy_index)))
            if isinstance(e, sp.IndexedBase):
                extra += [self._basic_fp(a) for a in e.args]
            if e in _DOMAINS:
                extra.append(_digest("domain", self._basic_fp(_DOMAINS[e])))
            if e in _LATEX:
                extra.append(_leaf("latex", _LATEX[e]))
            out = _digest("symbol", self._class_fp(type(e)), *extra)
        elif isinstance(e, sp.core.function.AppliedUndef):
            out = _digest("undef", _leaf("f", sp.srepr(e.func)),
                          *[self._basic_fp(a) for a in e.args])
        elif not e.args:
            out = _digest("atom", self._class_fp(type(e)), sp.srepr(e).encode())
        else:
            out = _digest("basic", self._class_fp(type(e)), *[self._basic_fp(a) if isinstance(a, sp.Basic)
                                          else self._fp(a, [], None) for a in e.args])
        try:
            self._basic[e] = out
        except TypeError:
            pass
        return out

    # -- code ---------------------------------------------------------------------
    def _named(self, obj) -> bytes:
        """A function or class from its module: by name, and by the source of the
        package modules it reaches when it is package code outside the engine."""
        module = getattr(obj, "__module__", None) or ""
        name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", "")
        return _digest("named", _leaf("m", module), _leaf("q", name), self._module_fp(module))

    def _class_fp(self, cls: type) -> bytes:
        return self._named(cls)

    def _module_fp(self, module: str) -> bytes:
        if module in self._modules:
            return self._modules[module]
        top = module.split(".")[0]
        if _in_engine(module):
            out = _leaf("engine", module)           # engine_key() covers its source
        elif top == "grpo_sym":
            out = _digest("package", *(_leaf(m, _source_of(m)) for m in _reach(module)))
        elif top in _VERSIONED or top in sys.stdlib_module_names or top == "builtins":
            out = _leaf("library", module)          # the versions in every key cover it
        else:
            try:
                out = _leaf("other", f"{module}={importlib.metadata.version(top)}")
            except (importlib.metadata.PackageNotFoundError, ValueError):
                raise Uncacheable(f"code from {module!r}, of no known version") from None
        self._modules[module] = out
        return out


def _in_engine(module: str) -> bool:
    return module == ENGINE or module.startswith(ENGINE + ".")


def _global_names(code: types.CodeType) -> set[str]:
    """The names ``code`` (and the code nested in it) looks up."""
    names = set(code.co_names)
    for k in code.co_consts:
        if isinstance(k, types.CodeType):
            names |= _global_names(k)
    return names


def _cell_filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def _code_fp(code: types.CodeType) -> bytes:
    """A code object by what it does: bytecode, constants (nested code too) and
    names; not its line numbers, so moving a function keeps its key."""
    consts = [(_code_fp(k) if isinstance(k, types.CodeType) else
               _leaf(type(k).__name__, repr(k))) for k in code.co_consts]
    return _digest("code", code.co_code, *consts, _leaf("names", " ".join(code.co_names)),
                   _leaf("args", f"{code.co_argcount} {code.co_kwonlyargcount} {code.co_flags}"),
                   _leaf("vars", " ".join(code.co_varnames + code.co_cellvars +
                                          code.co_freevars)))


def _source_of(module: str) -> str:
    path = getattr(sys.modules.get(module), "__file__", None)
    if path is None:
        raise Uncacheable(f"module {module} has no source file")
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.lru_cache(maxsize=None)
def _reach(module: str) -> tuple[str, ...]:
    """The package modules (outside the engine) that ``module``'s globals reach,
    itself included, sorted: the code a function of ``module`` may run."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen or _in_engine(name):
            continue
        seen.add(name)
        mod = sys.modules.get(name)
        for value in vars(mod).values() if mod is not None else ():
            other = value.__name__ if isinstance(value, types.ModuleType) else \
                getattr(value, "__module__", None) if callable(value) else None
            if isinstance(other, str) and other.split(".")[0] == "grpo_sym":
                todo.append(other)
    return tuple(sorted(seen))


class ResultCache:
    """Claim results on disk, keyed by :class:`ClaimKeys`, and whole reports."""

    def __init__(self, directory: str | os.PathLike, read: bool = True, write: bool = True,
                 dps: int | None = None):
        from .numeric import DPS

        self.directory = Path(directory)
        self.read, self.write = read, write
        self.dps = DPS if dps is None else dps
        self.keys = self.new_keys()

    def new_keys(self) -> ClaimKeys:
        """A fresh key memo (claims may have changed since the last one was made)."""
        from .verify import default_proof

        self.keys = ClaimKeys(self.dps, default_proof)
        return self.keys

    @classmethod
    def default(cls, **kwargs) -> "ResultCache":
        return cls(default_directory(), **kwargs)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def _report_path(self, key: str) -> Path:
        return self.directory / "reports" / f"{key}.json"

    def _load(self, path: Path | None) -> dict | None:
        if path is None or not self.read:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _store(self, path: Path | None, data: dict) -> None:
        if path is None or not self.write:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, sort_keys=True)
            os.replace(tmp, path)
        except OSError:
            pass        # a cache that cannot be written is skipped

    def _claim_path(self, c) -> Path | None:
        key = self.keys.key(c)
        return None if key is None else self._path(key)

    def get(self, c) -> dict | None:
        """The stored fields of claim ``c``'s result, or None."""
        data = self._load(self._claim_path(c)) if self.read else None
        return data if data is not None and data.get("id") == c.id else None

    def put(self, c, fields_: dict) -> None:
        """Store a result's fields (``verified`` is stored False: it is recomputed)."""
        if self.write:
            self._store(self._claim_path(c), {**fields_, "verified": False})

    def get_report(self, key: str) -> dict | None:
        """A report stored under ``key`` (a :func:`tree_key`), or None."""
        data = self._load(self._report_path(key))
        return data if data is not None and data.get("key") == key else None

    def put_report(self, key: str, report: dict) -> None:
        self._store(self._report_path(key), {**report, "key": key})


def default_directory() -> str:
    """``$GRPO_SYM_CACHE``, else ``$XDG_CACHE_HOME/grpo_sym`` (``~/.cache/grpo_sym``)."""
    base = os.environ.get(CACHE_ENV)
    if base:
        return base
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return os.path.join(xdg, "grpo_sym")
