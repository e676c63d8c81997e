"""The README's examples run, and what it generates (tables, figures) is current."""
from __future__ import annotations

import doctest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_python_examples_run():
    """Every ```python block of the README, run as a doctest (one namespace each)."""
    import re
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    parser = doctest.DocTestParser()
    for k, block in enumerate(blocks):
        if ">>>" in block:
            runner.run(parser.get_doctest(block, {}, f"README block {k}", "README.md", 0))
    result = runner.summarize(verbose=False)
    assert result.attempted >= 3 and result.failed == 0


def test_readme_presets_table_is_current():
    from grpo_sym.render.tables import presets_markdown
    assert presets_markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_figures_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("figure1", "trajectories"):
        assert f"docs/figures/{name}.png" in text and (ROOT / f"docs/figures/{name}.png").exists()


def _figures():
    import importlib.util
    spec = importlib.util.spec_from_file_location("figures", ROOT / "benchmarks" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_figures_are_the_benchmarks_record():
    """The README's current figures are benchmarks/figures.json, as the benchmarks wrote it."""
    figures = _figures()
    record = figures.load()
    assert {"verify_cold", "verify_warm", "html"} <= set(record)
    assert any(key.startswith("tests_") for key in record)
    assert figures.block(record) in (ROOT / "README.md").read_text(encoding="utf-8")
    failures, _ = doctest.testmod(figures)
    assert failures == 0


def test_readme_states_the_number_of_tests(request):
    """The test count the README's figures give is the number the suite collects (read
    from this session when it collected the whole suite, otherwise collected afresh)."""
    from conftest import SUITE_SIZE
    figures = _figures()
    stated = figures.load()["suite"]["tests"]
    collected = request.config.stash.get(SUITE_SIZE, None) or figures.collected()
    assert stated == collected, (f"the README states {stated} tests, the suite has "
                                 f"{collected}: run python benchmarks/figures.py --count")
