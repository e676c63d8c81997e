"""The numeric API on grids: broadcasting, accuracy against the 60-digit solver, exact
inputs, no SymPy at import, the beta = 0 contract, and the package's layout."""
from __future__ import annotations

import ast
import math
import pathlib
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from grpo_sym.numeric import (BinaryPolicy, stationary_binary, stationary_binary_finite,
                              stationary_binary_pair, stationary_policy)

NUMERIC = pathlib.Path(__file__).resolve().parent.parent / "grpo_sym" / "numeric"


# -- broadcasting ------------------------------------------------------------------------------

def test_scalars_and_0d_arrays_give_floats():
    x = stationary_binary(0.2, 0.04, group_size=8)
    assert type(x) is float
    assert stationary_binary(np.float64(0.2), np.array(0.04), group_size=np.array(8)) == x
    res = stationary_binary_pair(np.array(0.2), 0.04)
    assert type(res.a) is float and type(res.b) is float


@pytest.mark.parametrize("G", [2, 8, math.inf])
def test_arrays_broadcast_as_numpy_does(G):
    f = np.array([1e-300, 0.2, 0.5, 0.999])
    beta = np.array([[1e-12], [0.04], [1e12]])
    res = stationary_binary_pair(f, beta, group_size=G)
    assert res.a.shape == res.b.shape == (3, 4) and res.a.dtype == np.float64
    for i, j in np.ndindex(3, 4):
        one = stationary_binary_pair(float(f[j]), float(beta[i, 0]), group_size=G)
        assert (res.a[i, j], res.b[i, j]) == one
    assert stationary_binary([0.2, 0.3], 0.04).tolist() == [stationary_binary(0.2, 0.04),
                                                            stationary_binary(0.3, 0.04)]


def test_group_size_eps_and_margin_arrays():
    G = np.array([[2], [3], [64]])
    got = stationary_binary(0.3, 0.1, group_size=G, eps=[0.0, 1e-4])
    assert got.shape == (3, 2)
    for i, j in np.ndindex(3, 2):
        assert got[i, j] == stationary_binary(0.3, 0.1, group_size=int(G[i, 0]),
                                              eps=[0.0, 1e-4][j])
    m = stationary_binary(0.3, 0.1, margin=[0.5, 1])
    assert m.tolist() == [stationary_binary(0.3, 0.1, margin=0.5), stationary_binary(0.3, 0.1)]


def test_arrays_at_dps_give_mpf_arrays():
    res = stationary_binary_pair([0.2, "0.3"], 0.04, dps=30)
    assert res.a.shape == (2,) and all(isinstance(x, mpmath.mpf) for x in res.a)
    assert res.a[1] == stationary_binary_pair("0.3", 0.04, dps=30).a


def test_bad_arrays_name_the_parameter_and_the_index():
    with pytest.raises(ValueError, match=r"beta must be a non-negative number, got nan "
                                         r"\(at index \(1, 0\)\)"):
        stationary_binary(0.3, [[0.1], [float("nan")]])
    with pytest.raises(ValueError, match=r"group_size must be an integer >= 2 or inf, got 2.5"):
        stationary_binary(0.3, 0.1, group_size=[2, 2.5])
    with pytest.raises(ValueError, match="must broadcast together"):
        stationary_binary([0.1, 0.2], [0.1, 0.2, 0.3])
    with pytest.raises(TypeError, match="pi_ref"):
        stationary_binary(np.array([True, False]), 0.1)


# -- accuracy on grids against the 60-digit solver ----------------------------------------------

F_EDGES = [1e-300, 1e-30, 1e-6, 0.2, 0.5, 0.97, 1 - 1e-9]
B_EDGES = [1e-12, 1e-3, 0.04, 0.9, 2.6, 40.0, 1e6, 1e12]


def ulps(got, exact) -> float:
    if exact == 0:
        return 0.0 if got == 0 else math.inf
    return float(abs(mpmath.mpf(float(got)) - exact) / mpmath.mpf(np.spacing(float(exact))))


@pytest.mark.parametrize("G, std, eps, fs, bs", [
    (2, "population", 0.0, F_EDGES, B_EDGES),
    (2, "bessel", 1e-4, F_EDGES, B_EDGES),
    (3, "population", 0.0, F_EDGES, B_EDGES),
    (8, "bessel", 1e-4, F_EDGES, B_EDGES),
    (64, "population", 0.0, F_EDGES, B_EDGES),
    (600, "bessel", 1e-6, [1e-300, 1e-4, 0.3, 0.999], [1e-12, 0.04, 30.0, 1e12]),
    (10**6, "population", 0.0, [1e-300, 0.2, 0.97], [1e-3, 0.04, 1e3]),
    (math.inf, "population", 0.0, F_EDGES, B_EDGES),
])
def test_grid_within_4_ulp_of_the_60_digit_solver(G, std, eps, fs, bs):
    F, B = np.meshgrid(np.array(fs), np.array(bs))
    res = stationary_binary_pair(F, B, group_size=G, std=std, eps=eps)
    worst = 0.0
    for idx in np.ndindex(F.shape):
        ex = stationary_binary_pair(float(F[idx]), float(B[idx]), group_size=G, std=std,
                                    eps=eps, dps=60)
        worst = max(worst, ulps(res.a[idx], ex.a), ulps(res.b[idx], ex.b))
    assert worst <= 4, worst


# -- exact inputs ----------------------------------------------------------------------------

@pytest.mark.parametrize("x", [Fraction(81, 100), Decimal("0.81"), "0.81", "mpf"])
def test_exact_inputs_stay_exact_at_dps(x):
    with mpmath.workdps(80):
        x = mpmath.mpf(81) / 100 if x == "mpf" else x
        got = stationary_binary(x, x, margin=x, dps=60)
    with mpmath.workdps(60):
        assert got == mpmath.mpf("0.9")
        assert mpmath.nstr(got, 60, strip_zeros=False) == "0." + "9" + "0" * 59


def test_floats_are_the_binary_numbers_they_are_and_ints_exact():
    with mpmath.workdps(60):
        # beta/gamma = 1: sqrt(pi_ref) of the float nearest 0.81, not 0.9
        assert stationary_binary(0.81, 0.81, margin=0.81, dps=60) == mpmath.sqrt(
            mpmath.mpf(0.81))
        assert stationary_binary(0.25, 1, dps=60) == mpmath.mpf("0.5")
    # without dps every input is converted to float once
    assert stationary_binary(Fraction(1, 5), Decimal("0.04")) == stationary_binary(0.2, 0.04)
    assert stationary_binary("0.2", "0.04", group_size="8") == stationary_binary(0.2, 0.04,
                                                                                group_size=8)


# -- no SymPy at import ----------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "import grpo_sym.numeric",
    "from grpo_sym.numeric import stationary_binary; stationary_binary(0.2, 0.04, group_size=8)",
    "from grpo_sym.cli import main; main(['solve', '--pi-ref', '0.2', '--beta', '0.04'])",
])
def test_no_sympy_is_loaded(code):
    check = f"{code}\nimport sys\nassert 'sympy' not in sys.modules, 'sympy loaded'\n"
    p = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_the_claims_still_load_the_symbolic_backend():
    p = subprocess.run([sys.executable, "-c", "import sys, grpo_sym.numeric.symbolic; "
                        "assert 'sympy' in sys.modules"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


# -- beta = 0: no penalty, everywhere --------------------------------------------------------

@pytest.mark.parametrize("kwargs", [dict(), dict(group_size=8, std="bessel", eps=1e-4),
                                    dict(group_size=math.inf), dict(penalty="kl"),
                                    dict(group_size=math.inf, eps=1e-4), dict(margin=0.5),
                                    dict(dps=30)])
def test_beta_0_gives_the_better_answer(kwargs):
    res = stationary_binary_pair(0.3, 0, **kwargs)
    assert (res.a, res.b) == (1, 0)
    assert stationary_policy([0.3, 0.7], [1, 0], 0, **{k: v for k, v in kwargs.items()
                                                       if k != "margin"}) == [1, 0]
    assert stationary_binary_pair([0.0, 0.3], 0, **kwargs).a.tolist() == [0, 1]


def test_beta_0_with_k_outputs():
    assert stationary_policy([0.2, 0.3, 0.5], [1, 1, 0], 0, group_size=4) == [0.4, 0.6, 0.0]
    # groups of two, stochastic rewards: the output that beats every other (gamma = 1/4 > 0)
    assert stationary_policy([0.5, 0.5], [{1: 0.75, 0: 0.25}, 0.5], 0) == [1.0, 0.0]
    assert stationary_binary(0.5, 0, margin=0.25) == 1.0
    with pytest.raises(ValueError, match="beta = 0 .no penalty.: no output always"):
        stationary_policy([0.5, 0.5], [{1: 0.75, 0: 0.25}, 0.5], 0, group_size=8)
    with pytest.raises(ValueError, match="beta must be a non-negative number, got -1"):
        stationary_policy([0.5, 0.5], [1, 0], -1)


def test_stationary_binary_finite_is_the_pair_at_margin_1():
    assert stationary_binary_finite(0.3, 0.1, 8) == stationary_binary_pair(0.3, 0.1,
                                                                           group_size=8)
    assert isinstance(stationary_binary_finite([0.3], 0.1, 8), BinaryPolicy)


# -- layout: no import cycle, no private name imported across modules -------------------------

def _imports():
    graph, private = {}, []
    for path in NUMERIC.glob("*.py"):
        tree = ast.parse(path.read_text())
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                mods = [node.module] if node.module else [a.name for a in node.names]
                deps.update(mods)
                private += [(path.stem, a.name) for a in node.names
                            if a.name.startswith("_") and node.module]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "grpo_sym.numeric."):
                deps.add(node.module.split(".")[2])
                private += [(path.stem, a.name) for a in node.names if a.name.startswith("_")]
        graph[path.stem] = deps - {path.stem}
    return graph, private


def test_numeric_has_no_import_cycle_and_imports_no_private_names():
    graph, private = _imports()
    assert private == []
    state: dict[str, int] = {}

    def visit(m, stack):
        assert state.get(m) != 1, f"import cycle: {' -> '.join(stack + [m])}"
        if state.get(m) == 2:
            return
        state[m] = 1
        for d in graph.get(m, ()):
            visit(d, stack + [m])
        state[m] = 2

    for m in graph:
        visit(m, [])
    assert "sympy" not in "".join((NUMERIC / f"{m}.py").read_text() for m in graph
                                  if m != "symbolic")
