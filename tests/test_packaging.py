"""A plain (non-editable) install brings the derivations along."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# one build, in one worker: two pip builds of the same source tree at once race on its
# build/ and egg-info directories
pytestmark = pytest.mark.xdist_group("wheel")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    # build from a copy: other tests write into the checkout while setuptools walks it
    src = tmp_path_factory.mktemp("source") / "grpo_sym"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", "blueprint", ".pytest_cache"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                           str(out), str(src)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = out.glob("grpo_sym-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def test_wheel_ships_every_derivations_module(wheel_names):
    names = wheel_names
    modules = {p.name for p in (ROOT / "derivations").glob("*.py")}
    assert modules, "no derivations modules found"
    for m in modules:
        assert f"grpo_sym/derivations/{m}" in names, f"{m} is not in the wheel"
    assert any(n.endswith("entry_points.txt") for n in names)


def test_every_derivations_module_is_loaded():
    """A module left out of derivations.MODULES would silently drop its claims."""
    import grpo_sym.derivations as d
    on_disk = {p.stem for p in (ROOT / "derivations").glob("*.py")} - {"__init__"}
    assert on_disk == set(d.MODULES)


def test_wheel_ships_every_subpackage_and_the_blueprint_assets(wheel_names):
    """A subpackage missing from pyproject's package list, or an asset of the
    blueprint (its CSS, script, the bundled KaTeX) missing from its package data,
    would vanish on install: `grpo-sym html` must work from a plain install."""
    names = wheel_names
    for init in (ROOT / "grpo_sym").rglob("__init__.py"):
        rel = init.relative_to(ROOT).as_posix()
        assert rel in names, f"{rel} is not in the wheel"
    assets = [p for p in (ROOT / "grpo_sym" / "render" / "assets").rglob("*") if p.is_file()]
    assert any(p.name == "katex.min.js" for p in assets)
    for path in assets:
        rel = path.relative_to(ROOT).as_posix()
        assert rel in names, f"{rel} is not in the wheel"


def test_every_module_has_one_section_and_one_notebook():
    import grpo_sym.derivations as d
    for groups in (d.SECTIONS, d.PARTS):
        placed = [m for part in groups for m in part.modules]
        assert sorted(placed) == sorted(d.MODULES), "each module in exactly one part"


def test_license_and_citation_agree_with_pyproject():
    import re
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")   # no tomllib on 3.10
    assert 'license = { text = "MIT" }' in project
    version = re.search(r'^version = "([^"]+)"', project, re.M).group(1)
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"\nversion: {version}\n" in cff
    assert "arXiv:2502.18548" in cff and "Vojnovic" in cff and "Yun" in cff
