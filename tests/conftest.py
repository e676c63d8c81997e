"""Shared fixtures: the registry, and one verification run of all of it.

The whole session uses its own result cache (``$GRPO_SYM_CACHE`` in a temporary
directory): no test reads a cache left by an earlier run or by the user, and the
notebook kernels, which inherit the variable, reuse the session's fresh results.

Under pytest-xdist (``scripts/test.sh`` runs ``-n 2``) the controller makes that
directory before it starts its workers, which inherit it: the first worker that
needs the results verifies the registry (two processes) while holding a lock,
and the others wait and read the same results from the cache, so the registry
is verified once per session however many workers there are.  Fixtures that
build something once (the LaTeX compile, the executed notebooks, the
blueprint) are session-scoped and put their tests in one xdist group, so that one
worker builds each once: a module-scoped fixture is torn down whenever a worker's
next test is in another module, which under xdist happens between any two tests.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

import grpo_sym
from grpo_sym.proof import ResultCache, verify_all

JOBS = min(2, os.cpu_count() or 1)
SESSION_ENV = "GRPO_SYM_TEST_SESSION"     # set by the controller, inherited by workers
_OWNER = SESSION_ENV not in os.environ
if _OWNER:
    os.environ[SESSION_ENV] = tempfile.mkdtemp(prefix="grpo-sym-cache-")
SESSION_CACHE = os.environ[SESSION_ENV]
os.environ["GRPO_SYM_CACHE"] = SESSION_CACHE

# module fixture -> the xdist group of the tests that use it (built once, by one worker)
GROUPS = {"built": "latex", "executed": "notebooks", "site": "html"}


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): run these tests in one xdist worker")


# tryfirst: pytest-xdist reads the marker in its own hook of the same name (to suffix
# the node id with the group); run after it, the marker would be ignored
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        group = next((g for f, g in GROUPS.items() if f in getattr(item, "fixturenames", ())),
                     None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


# the number of tests collected, when the whole suite was (tests/test_readme.py checks the
# README's test count against it)
SUITE_SIZE = pytest.StashKey[int]()
_DESELECTED = pytest.StashKey[int]()


def pytest_deselected(items):
    if items:
        stash = items[0].config.stash
        stash[_DESELECTED] = stash.get(_DESELECTED, 0) + len(items)


def pytest_collection_finish(session):
    config = session.config
    if sorted(config.args) == sorted(config.getini("testpaths")):
        config.stash[SUITE_SIZE] = len(session.items) + config.stash.get(_DESELECTED, 0)


def pytest_unconfigure(config):
    if _OWNER and not hasattr(config, "workerinput"):
        shutil.rmtree(SESSION_CACHE, ignore_errors=True)


@contextmanager
def session_lock(name: str):
    """An exclusive lock shared by every process of the session (xdist workers)."""
    with open(Path(SESSION_CACHE) / f"{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def registry():
    return grpo_sym.load_registry()


@pytest.fixture(scope="session")
def results(registry):
    """Every claim verified once per session, afresh (2 worker processes); the
    results fill the session's cache, from which other xdist workers read them."""
    done = Path(SESSION_CACHE) / "results.done"
    with session_lock("results"):
        fresh = not done.exists()
        out = verify_all(registry, list(registry), jobs=JOBS if fresh else 1,
                         loader=grpo_sym.load_registry,
                         cache=ResultCache(SESSION_CACHE, read=not fresh))
        done.touch()
    return out
