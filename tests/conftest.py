"""Shared fixtures: the registry, and one verification run of all of it."""
from __future__ import annotations

import os

import pytest

import grpo_sym
from grpo_sym.proof import verify_all

JOBS = min(2, os.cpu_count() or 1)


@pytest.fixture(scope="session")
def registry():
    return grpo_sym.load_registry()


@pytest.fixture(scope="session")
def results(registry):
    """Every claim verified once per session (2 worker processes)."""
    return verify_all(registry, list(registry), jobs=JOBS, loader=grpo_sym.load_registry)
