"""The README's examples run, and its generated table is current."""
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
