"""Shared fixtures: the registry, and one verification run of all of it.

The whole session uses its own result cache (``$GRPO_SYM_CACHE`` in a temporary
directory): no test reads a cache left by an earlier run or by the user, and the
notebook kernels, which inherit the variable, reuse the session's fresh results.
"""
from __future__ import annotations

import os
import tempfile

import pytest

import grpo_sym
from grpo_sym.proof import ResultCache, verify_all

JOBS = min(2, os.cpu_count() or 1)
SESSION_CACHE = tempfile.mkdtemp(prefix="grpo-sym-cache-")
os.environ["GRPO_SYM_CACHE"] = SESSION_CACHE


@pytest.fixture(scope="session")
def registry():
    return grpo_sym.load_registry()


@pytest.fixture(scope="session")
def results(registry):
    """Every claim verified once per session, afresh (2 worker processes); the
    results fill the session's cache."""
    return verify_all(registry, list(registry), jobs=JOBS, loader=grpo_sym.load_registry,
                      cache=ResultCache(SESSION_CACHE, read=False))
