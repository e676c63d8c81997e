"""The appendix, the figures and the notebooks, rendered from the registry.

The LaTeX compile and the notebook execution run here, never skipped: the
README's test command installs TeX Live and a Jupyter kernel first.
"""
from __future__ import annotations

import functools
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grpo_sym.cli import main
from grpo_sym.render import figures as figs
from grpo_sym.render.latex import LatexError, appendix_figures, appendix_tex, compile_pdf
from grpo_sym.render.text import latex_escape

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("latexmk", "pdflatex", "pdftotext", "pdfinfo")


def test_tex_tools_are_installed():
    """The compile tests must run in CI: a missing tool is a failure, not a skip."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    assert not missing, f"{missing} missing: run the README's test command (scripts/test.sh)"


# -- the appendix ---------------------------------------------------------------

@pytest.fixture(scope="session")
def built(tmp_path_factory, results):
    """`grpo-sym latex --pdf`, end to end but for the verification, which is the
    session's (verifying the registry twice would double the suite's time)."""
    import grpo_sym.proof

    out = tmp_path_factory.mktemp("appendix")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(grpo_sym.proof, "verify_all", lambda *a, **k: results)
        assert main(["latex", "-o", str(out), "--pdf", "-j", "2"]) == 0
    return out


def _entries(tex: str) -> dict[str, str]:
    parts = re.split(r"\\begin\{claimentry\}\{([^}]*)\}", tex)
    return {parts[k]: parts[k + 1].split(r"\end{claimentry}")[0] for k in range(1, len(parts), 2)}


def test_pdf_compiles_and_contains_every_claim_id(built, registry):
    pdf = built / "appendix.pdf"
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    missing = [c.id for c in registry if c.id not in text]
    assert not missing, f"claim ids missing from the PDF: {missing[:10]}"
    log = (built / "appendix.log").read_text(encoding="latin-1")
    assert not re.search(r"Reference `[^']*' on page \d+ undefined", log)
    assert "There were undefined references" not in log
    assert "Label(s) may have changed" not in log
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout, re.M).group(1))
    assert pages > len(registry) // 10


def test_tex_is_deterministic_across_runs(built, registry, results):
    """A second rendering of the LaTeX is byte-identical (the figures:
    test_figures_are_deterministic; the verification itself: tests/test_cli.py
    compares two JSON reports)."""
    tex = appendix_tex(registry, results, appendix_figures(registry))
    assert tex.encode("ascii") == (built / "appendix.tex").read_bytes()


def test_every_claim_once_with_statement_steps_and_references(built, registry):
    tex = (built / "appendix.tex").read_text(encoding="ascii")
    entries = _entries(tex)
    assert list(entries) == [c.id for c in registry], "each claim once, in registry order"
    labels = set(entries)
    for c in registry:
        body = entries[c.id]
        refs = set(re.findall(r"\\claimref\{([^}]*)\}", body))
        assert {u.id for u in c.uses} <= refs, c.id
        assert r"\fitmath{" in body
        if c.corrected_by is not None:
            assert c.corrected_by.id in refs
    assert set(re.findall(r"\\claimref\{([^}]*)\}", tex)) <= labels, "no dangling reference"


def test_outcome_marks_follow_the_results(built, registry, results):
    entries = _entries((built / "appendix.tex").read_text(encoding="ascii"))
    for c in registry:
        head = entries[c.id].split("\n", 1)[0]
        if type(c.proof).__name__ == "Axiom":
            assert "}{assumed}}" in head and "not proved" in head, c.id
        elif c.expected.value == "holds":
            assert "}{proved}}" in head and "verified" in head, c.id
        else:
            assert "}{refuted}}" in head and "as expected" in head, c.id
    # a claim whose check failed is marked as such: the marks are not fixed text
    broken = dict(results)
    cid = next(c.id for c in registry if c.expected.value == "holds")
    broken[cid] = type(results[cid])(**{**results[cid].__dict__, "symbolic": "unproved",
                                        "ok": False, "verified": False})
    head = _entries(appendix_tex(registry, broken))[cid].split("\n", 1)[0]
    assert "UNPROVED" in head and "}{proved}}" not in head


def test_errata_lists_every_refuted_claim_beside_its_correction(built, registry):
    tex = (built / "appendix.tex").read_text(encoding="ascii")
    errata = tex.split(r"\label{sec:errata}")[1]
    refuted = [c for c in registry if c.expected.value == "refuted"]
    assert refuted
    for c in refuted:
        assert r"\claimref{%s}" % c.id in errata
        assert c.corrected_by is not None and r"\claimref{%s}" % c.corrected_by.id in errata
    for c in registry:
        if c.expected.value == "holds" and c.corrected_by is None and c.corrects is None:
            assert r"\quad \claimref{%s}" % c.id not in errata


def test_refuted_claims_show_their_counterexample(built, registry):
    entries = _entries((built / "appendix.tex").read_text(encoding="ascii"))
    for c in registry:
        if c.expected.value == "refuted":
            assert r"\textit{Counterexample:}" in entries[c.id], c.id


def test_compile_reports_undefined_references_and_errors(tmp_path):
    ok = tmp_path / "ok.tex"
    ok.write_text("\\documentclass{article}\\begin{document}%s\\end{document}\n"
                  % latex_escape(r"specials: \ { } $ & # % _ ^ ~ < > |"))
    assert compile_pdf(str(ok))[0].endswith("ok.pdf")
    undefined = tmp_path / "undef.tex"
    undefined.write_text("\\documentclass{article}\\begin{document}\\ref{nowhere}"
                         "\\end{document}\n")
    with pytest.raises(LatexError, match="undefined"):
        compile_pdf(str(undefined))
    broken = tmp_path / "broken.tex"
    broken.write_text("\\documentclass{article}\\begin{document}$x^\\end{document}\n")
    with pytest.raises(LatexError, match="latexmk failed"):
        compile_pdf(str(broken))


def test_latex_escape_rejects_non_ascii():
    with pytest.raises(ValueError, match="non-ASCII"):
        latex_escape("beta \u2265 0")


# -- figures ------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(figs.FIGURES))
def test_figure_axes_and_legend(name):
    fig = figs.figure(name)
    ax = fig.axes[0]
    assert ax.get_ylabel() == (figs.PI_THETA if name != "zero_beta" else figs.ONE_MINUS_PI_THETA)
    assert ax.get_xlabel() == {"trajectories": "outer iteration (exact expectation over groups)",
                               "zero_beta": r"time $\eta t$ (on-policy flow, $\beta = 0$)"
                               }.get(name, figs.PI_REF)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) >= 3 and len(set(labels)) == len(labels)


def _line(name: str, label: str):
    ax = figs.figure(name).axes[0]
    (line,) = [ln for ln in ax.lines if ln.get_label() == label]
    return line.get_xdata(), line.get_ydata()


def test_figure_curves_are_the_papers_closed_forms():
    # independent oracles: (14) at beta = gamma is sqrt(pi_ref); (15) at beta = 1;
    # the direct-KL pair form at beta/gamma = 1/2 is logit p = logit f + 2
    x, y = _line("figure1", r"$\beta/\gamma_{a,b} = 1$")
    assert max(abs(yy - math.sqrt(xx)) for xx, yy in zip(x, y)) < 1e-14
    x, y = _line("figure2", r"$\beta = 1$")
    assert max(abs(yy - (2 * xx + 1 + math.sqrt(1 + 4 * xx * (1 - xx))) / 4)
               for xx, yy in zip(x, y)) < 1e-14
    x, y = _line("figure3", r"$\beta/\gamma_{a,b} = 0.5$")
    assert max(abs(yy - xx * math.e**2 / (xx * math.e**2 + 1 - xx)) for xx, yy in zip(x, y)) < 1e-14


def test_zero_beta_curves_are_the_closed_forms():
    # independent oracles: the natural rule at G -> oo, 2 (asin sqrt(1 - delta) - asin sqrt p0)
    # (= 2 (acos sqrt(delta) - pi/4), which keeps its digits as delta -> 0),
    # and the softmax rule, (1 - 2 delta)/sqrt(delta (1 - delta)) from p0 = 1/2
    t, d = _line("zero_beta", r"natural, std, $G \to \infty$")
    assert max(abs(tt - 2 * (math.acos(math.sqrt(dd)) - math.pi / 4))
               for tt, dd in zip(t, d)) < 1e-12
    t, d = _line("zero_beta", r"softmax, std, $G \to \infty$")
    assert max(abs(tt / ((1 - 2 * dd) / math.sqrt(dd * (1 - dd))) - 1)
               for tt, dd in zip(t, d)) < 1e-12


def test_trajectories_land_on_the_predicted_policies():
    ax = figs.figure("trajectories").axes[0]
    predicted = [ln.get_ydata()[0] for ln in ax.lines if ln.get_linestyle() == "--"]
    finals = [ln.get_ydata()[-1] for ln in ax.lines if ln.get_linestyle() == "-"]
    assert len(predicted) == 3 and len(finals) == 12
    for k, p in enumerate(predicted):
        assert all(abs(y - p) < 1e-6 for y in finals[4 * k:4 * k + 4])


def test_heavy_builds_are_grouped_on_one_worker(request):
    """Under the README's command (two xdist workers, --dist loadgroup) every test that
    uses the LaTeX build, the executed notebooks or the blueprint is in its group, so
    each is built once (pytest-xdist marks a grouped test's id with '@group')."""
    from conftest import GROUPS

    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run by xdist with --dist loadgroup (scripts/test.sh does)")
    users = [(item.nodeid, group) for item in request.session.items
             for fixture, group in GROUPS.items() if fixture in item.fixturenames]
    if not users:
        pytest.skip("none of the tests it checks was selected")
    wrong = [(nodeid, group) for nodeid, group in users if not nodeid.endswith("@" + group)]
    assert not wrong, wrong[:5]


def test_a_figure_saves_the_same_bytes_however_often_it_was_drawn():
    """The constrained layout moves a log-scaled axes by thousandths of a point on every
    draw; figures are settled once, so saving twice (or PNG before PDF) changes nothing."""
    import io

    def pdf(fig):
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Producer": None})
        return buf.getvalue()

    fig = figs.figure("zero_beta")
    assert pdf(fig) == pdf(fig)


def test_figures_are_deterministic(built, tmp_path):
    """`grpo-sym figures` (PNG saved first) writes every figure byte-identical to the
    appendix's build (PDF first), in another drawing of the same figures."""
    a = tmp_path / "a"
    assert main(["figures", "-o", str(a)]) == 0
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(f"{n}.{ext}" for n in figs.FIGURES for ext in ("png", "pdf"))
    for n in names:
        assert (a / n).read_bytes() == (built / "figures" / n).read_bytes(), n


# -- notebooks ---------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _committed():
    import nbformat

    from grpo_sym.render.notebooks import notebooks
    fresh = notebooks()
    return fresh, {key: ROOT / "notebooks" / f"{key}.ipynb" for key in fresh}, nbformat


def test_committed_notebooks_equal_freshly_generated():
    from grpo_sym.render.notebooks import notebook_text
    fresh, paths, nbformat = _committed()
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert on_disk == sorted(p.name for p in paths.values()), "stale or missing notebooks"
    for key, nb in fresh.items():
        assert paths[key].read_text(encoding="utf-8") == notebook_text(nb), \
            f"{paths[key].name} is stale: run 'grpo-sym notebooks'"
        nbformat.validate(nbformat.read(paths[key], as_version=4))


def _links(nb) -> list[str]:
    from grpo_sym.render.model import BLUEPRINT_DIR
    return re.findall(r"\]\(\.\./" + BLUEPRINT_DIR + r"/claims/([^)]+)\.html\)",
                      "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))


def _checked(nb) -> list[str]:
    return re.findall(r'^check\("([^"]+)"\)$', "\n".join(
        c.source for c in nb.cells if c.cell_type == "code"), re.M)


def test_notebooks_are_walkthroughs_that_link_every_claim(registry):
    """Tens of cells each; every claim of the registry linked from the closing
    table of exactly one notebook, whose last cell checks all its modules live;
    every link and every live check names a registered claim."""
    import grpo_sym.derivations as d
    from grpo_sym.render.model import blueprint_page, module_of
    from grpo_sym.render.notebooks import blueprint_link
    fresh, _, _ = _committed()
    ids = {c.id for c in registry}
    tabled = []
    for part in d.PARTS:
        nb = fresh[part.key]
        assert 15 <= len(nb.cells) <= 70, (part.key, len(nb.cells))
        table, last = nb.cells[-2].source, nb.cells[-1].source
        rows = re.findall(r"^\| \[`([^`]+)`\]", table, re.M)
        assert rows == [c.id for c in registry if module_of(c) in part.modules] or \
            part.key == "06_beyond_the_paper", part.key
        tabled += rows
        placed = {m for p in d.PARTS for m in p.modules}
        stray = sorted({module_of(c) for c in registry} - placed)
        modules = list(part.modules) + (stray if part.key == "06_beyond_the_paper" else [])
        assert last == "check_modules(" + ", ".join(f'"{m}"' for m in modules) + ")"
        assert set(_links(nb)) <= ids and set(_checked(nb)) <= ids
        assert len(_checked(nb)) >= 8, part.key
        assert len(set(nb.cells[k].id for k in range(len(nb.cells)))) == len(nb.cells)
    assert sorted(tabled) == sorted(ids), "each claim in exactly one closing table"
    assert blueprint_link("eq14") == "../blueprint/" + blueprint_page("eq14")


# the main chains, in the order a student meets them
MAIN_CHAINS = {
    "01_advantage_and_preference": ["eq2", "s1.advantage.pairwise-form", "eq4", "eq6"],
    "02_penalty_and_gradients": ["s2.2.kl0-is-expected-penalty", "eq7", "eq8", "eq9", "eq10"],
    "03_stationarity": ["a.kkt.lagrangian-gradient", "a.kkt.multiplier", "eq11", "eq12", "eq13"],
    "04_binary_questions": ["eq16", "eq17", "b1.pairs.quadratic", "eq14", "eq18", "eq18.corrected",
                            "eq19", "b1.large.quadratic", "eq15"],
    "05_extensions": ["s3.direct-kl.expected-penalty", "s3.direct-kl.stationary-form",
                      "b2.pairs.closed-form", "b2.large.threshold.equation",
                      "s3.shift-only.direct-kl.maximiser"],
    "06_beyond_the_paper": ["x1.stationarity", "x1.stationary.unique",
                            "x1.stationary.increasing-in-g", "x2.bessel.effective-beta",
                            "x3.large.eq15.corrected"],
}


@pytest.mark.parametrize("key", sorted(MAIN_CHAINS))
def test_notebook_follows_its_main_chain_in_order(key):
    """Each claim of the chain is shown (linked heading) and checked live, in order."""
    fresh, _, _ = _committed()
    nb = fresh[key]
    checked = _checked(nb)
    headings = [m for c in nb.cells if c.cell_type == "markdown"
                for m in re.findall(r"^### \[`([^`]+)`\]", c.source, re.M)]
    assert headings == checked, "every claim shown is checked right after"
    positions = [checked.index(i) for i in MAIN_CHAINS[key]]
    assert positions == sorted(positions), f"{key}: the chain is out of order"


def test_notebooks_typeset_prose_math():
    """The prose of the notebooks has its formulas typeset, not raw ASCII."""
    fresh, _, _ = _committed()
    md = "\n".join(c.source for nb in fresh.values() for c in nb.cells
                   if c.cell_type == "markdown")
    assert r"$\mathbb{E}[\mathrm{sign}(r_{1} - r_{2}) \mid o_{1} = a, o_{2} = b]" in md
    assert "$\\pi_{\\theta}(a)$" in md
    for raw in ("pi_theta(a)", "E[sign(r1 - r2)", "beta/gamma"):
        prose = [line for line in md.splitlines() if raw in line and "$" not in line
                 and not line.startswith("|")]
        assert not prose, (raw, prose[:3])


def test_interactive_figure_is_in_the_binary_notebook():
    fresh, _, _ = _committed()
    code = [c.source for c in fresh["04_binary_questions"].cells if c.cell_type == "code"]
    assert any(src.startswith("stationary_explorer(") for src in code)


def test_notebooks_command_writes_the_committed_files(tmp_path, monkeypatch):
    from grpo_sym.render import notebooks as nbs
    fresh, _, _ = _committed()
    monkeypatch.setattr(nbs, "notebooks", lambda registry=None: fresh)  # built once above
    assert main(["notebooks", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.ipynb" for k in fresh)
    for p in tmp_path.iterdir():
        assert p.read_bytes() == (ROOT / "notebooks" / p.name).read_bytes()


NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="session")
def executed(tmp_path_factory, results):
    """Every notebook executed, two kernels at a time (one per core); the kernels
    read the session's results from its cache (``results`` fills it first)."""
    from concurrent.futures import ThreadPoolExecutor

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    workdir = tmp_path_factory.mktemp("notebooks")

    def run(name):
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        try:
            NotebookClient(nb, timeout=900, kernel_name="python3",
                           resources={"metadata": {"path": str(workdir)}}).execute()
        except CellExecutionError as exc:
            return nb, str(exc)
        return nb, None

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(NOTEBOOKS, pool.map(run, NOTEBOOKS)))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes(name, executed):
    nb, error = executed[name]
    assert error is None, error
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
            text = "".join(o.get("text", "") for o in cell.outputs)
            if cell.source.startswith("check("):
                assert "(expected: " in text and "numeric backup" in text, cell.source
            if cell.source.startswith("check_modules("):
                lines = text.strip().splitlines()
                assert len(lines) == cell.source.count('"') // 2, text
                assert all(line.endswith("every outcome as expected") for line in lines), text
            if cell.source.startswith("stationary_explorer("):
                (out,) = cell.outputs          # the widget, and a picture for a static page
                assert {"image/png", "application/vnd.jupyter.widget-view+json"} <= set(out.data)


def test_live_check_modules_stops_on_a_wrong_outcome(monkeypatch, capsys, results):
    import dataclasses

    from grpo_sym.proof import verify as verify_module
    from grpo_sym.render import live
    real = verify_module.cached_result

    def wrong(c, cache):                  # the session's results, one of them broken
        r = real(c, cache)
        return dataclasses.replace(r, ok=False, symbolic="unproved") if c.id == "eq2" else r
    live.check_modules("s1_advantage")
    capsys.readouterr()
    monkeypatch.setattr(verify_module, "cached_result", wrong)
    with pytest.raises(live.ClaimCheckFailed, match="eq2 "):
        live.check_modules("s1_advantage")
    assert "NOT as expected: eq2 (unproved" in capsys.readouterr().out
    with pytest.raises(ValueError, match="modules"):
        live.check_modules("no_such_module")


def test_stationary_explorer_rejects_a_group_size_it_cannot_show():
    from grpo_sym.render import live
    with pytest.raises(ValueError, match="group_size"):
        live.stationary_explorer(group_size=5)


def test_live_check_stops_on_a_wrong_outcome(monkeypatch, capsys, tmp_path):
    from grpo_sym.proof import verify as verify_module
    from grpo_sym.render import live
    real = verify_module.verify_claim

    def wrong(c, *a, **k):
        r = real(c, *a, **k)
        r.ok, r.symbolic = False, "unproved"
        return r
    live.check("eq17")
    monkeypatch.setenv("GRPO_SYM_CACHE", str(tmp_path))     # an empty cache: checked anew
    monkeypatch.setattr(verify_module, "verify_claim", wrong)
    with pytest.raises(live.ClaimCheckFailed, match="eq17"):
        live.check("eq17")


def test_render_commands_reject_a_file_as_output_dir(tmp_path):
    f = tmp_path / "file"
    f.write_text("")
    for cmd in ("latex", "figures", "notebooks"):
        p = subprocess.run([sys.executable, "-m", "grpo_sym.cli", cmd, "-o", str(f)],
                           capture_output=True, text=True, cwd=ROOT)
        assert p.returncode == 2 and "not a directory" in p.stderr
        assert "Traceback" not in p.stderr


def test_second_prover_list_is_current(results):
    """docs/second_prover.md is what a fresh run says (run 'grpo-sym coverage' after a change)."""
    from grpo_sym.render.coverage import second_prover_markdown
    fresh = second_prover_markdown(results.values())
    assert (ROOT / "docs" / "second_prover.md").read_text(encoding="utf-8") == fresh, \
        "docs/second_prover.md is stale: run 'grpo-sym coverage'"
    listed = {line.split("`")[1] for line in fresh.splitlines() if line.startswith("| `")}
    assert listed == {r.id for r in results.values() if r.symbolic == "proved"
                      and not {"smt", "arb"} & set(r.confirmed_by)}
