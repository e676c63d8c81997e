"""Walkthrough notebooks, one per part of the paper, generated with nbformat.

Each notebook (``grpo_sym.derivations.PARTS``) tells its part of the paper as a
story (:mod:`grpo_sym.render.stories`): chapter by chapter, the main chains of
claims, each shown as the registry holds it (prose with its formulas typeset,
statement, assumptions, derivation steps) and followed by a code cell that runs
the engine on it live (:func:`grpo_sym.render.live.check`, which stops the
notebook if the outcome is not the expected one); figures, numbers and an
interactive figure between the chapters.  Every claim mentioned links to its
page in the HTML blueprint, which carries the full listing; the notebook ends
with a table of all its modules' claims (expected outcome, link) and one cell
that checks them all live.

=====================  ==========================================================
function               does
=====================  ==========================================================
``notebooks``          every walkthrough as an ``nbformat`` notebook
``write_notebooks``    write them to ``DIR/<part>.ipynb``
``notebook_text``      a notebook's file contents
``claim_markdown``     one claim as Markdown (typeset, linked)
``blueprint_link``     a claim's page in the blueprint, relative to ``notebooks/``
=====================  ==========================================================

Cells have fixed ids and the notebooks are written without outputs, so
regenerating gives byte-identical files.

>>> nbs = notebooks()
>>> [name for name in nbs][:2]
['01_advantage_and_preference', '02_penalty_and_gradients']
>>> nbs["04_binary_questions"].cells[1].cell_type
'code'
>>> blueprint_link("eq14")
'../blueprint/claims/eq14.html'
"""
from __future__ import annotations

import os
import re

from grpo_sym.proof.claims import Claim, Registry

from .model import BLUEPRINT_DIR, ClaimView, blueprint_page, claim_view, math_lines, module_of
from .stories import INTROS, STORIES
from .text import prose_segments, prose_to_markdown

__all__ = ["notebooks", "write_notebooks", "notebook_text", "claim_markdown", "blueprint_link"]

SETUP = """\
# the engine, live; the package's figures; the interactive figure
from grpo_sym.render.live import check, check_modules, figure_png, stationary_explorer
"""


def blueprint_link(claim_id: str) -> str:
    """The page of ``claim_id`` in the blueprint, relative to the notebooks' folder."""
    return "../" + BLUEPRINT_DIR + "/" + blueprint_page(claim_id)


def _ref(claim_id: str) -> str:
    return f"[`{claim_id}`]({blueprint_link(claim_id)})"


def _linker(ids) -> re.Pattern:
    """Claim ids standing in prose (not inside a longer id or a code name)."""
    alternatives = "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
    return re.compile(r"(?<![\w.`-])(?:" + alternatives + r")(?![\w`-]|\.\w)")


def _prose(text: str, linker: re.Pattern | None) -> str:
    """Prose as Markdown, formulas typeset and the claim ids it mentions linked."""
    if linker is None:
        return prose_to_markdown(text)
    return "".join(linker.sub(lambda m: _ref(m.group()), s) if kind == "text" else f"${s}$"
                   for kind, s in prose_segments(text))


def _math_block(expr, fallback: str) -> str:
    if expr is None:
        return f"$$\n{fallback}\n$$"
    lines, omitted = math_lines(expr)
    if omitted:
        lines = lines[:-1] + [rf"\quad\ldots\ \text{{{omitted} more terms}}\ \ldots"] + lines[-1:]
    if len(lines) == 1:
        return f"$$\n{lines[0]}\n$$"
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join("&" + line for line in lines) + \
        "\n\\end{aligned}\n$$"


def claim_markdown(v: ClaimView, linker: re.Pattern | None = None) -> str:
    """The claim as Markdown: its id (linked to the blueprint) and place in the
    paper, the prose with its formulas typeset, the statement, assumptions and
    derivation as MathJax, and links to what it uses (with ``linker``, also to
    the claims its prose mentions)."""
    out = [f"### {_ref(v.id)} — {prose_to_markdown(v.paper)}", ""]
    if v.expected == "refuted":
        out += ["**As printed in the paper, and refuted** (the engine must find it false).", ""]
    if v.prose:
        out += [_prose(v.prose, linker), ""]
    if v.generality:
        out += [f"*Generality:* {prose_to_markdown(v.generality)}.", ""]
    if v.quantifier == "exists":
        out += ["*There is a point of the domain where*", ""]
    out += [_math_block(v.statement_expr, v.statement), ""]
    if v.assumptions:
        out += ["**Assumptions:** " + "; ".join(f"${a}$" for a in v.assumptions), ""]
    if v.premise:
        out += ["**Premise:**", "", _math_block(v.premise_expr, v.premise), ""]
    if v.steps:
        out += ["**Derivation:**", ""]
        for k, s in enumerate(v.steps, 1):
            ref = f" by {_ref(s.ref)}" if s.ref else ""
            why = f": {_prose(s.why, linker)}" if s.why else ""
            rule = s.rule.replace("*", r"\*")          # rules may quote code: x*(y - 1)
            out.append(f"{k}. *{rule}*{ref}{why}")
            if s.latex:
                out += ["", "   " + _math_block(s.expr, s.latex).replace("\n", "\n   "), ""]
        out.append("")
    if v.corrected_by:
        out += [f"Corrected by {_ref(v.corrected_by)}.", ""]
    if v.corrects:
        out += [f"Corrects {_ref(v.corrects)}.", ""]
    if v.uses:
        out += ["Uses: " + ", ".join(_ref(u) for u in v.uses), ""]
    return "\n".join(out).rstrip() + "\n"


def _expected(c: Claim) -> str:
    from grpo_sym.proof.proofs import Axiom

    if c.expected.value == "refuted":
        return "refuted as printed"
    return "assumed (a named axiom)" if isinstance(c.proof, Axiom) else "proved"


def _listing(modules: list[str], claims: list[Claim]) -> str:
    """The closing cell: every claim of the part, its place and expected
    outcome, linked to the blueprint."""
    rows = [f"## Every claim of this part\n\nThe {len(claims)} claims of "
            + ", ".join(f"`{m}`" for m in modules)
            + ", each linked to its page in the blueprint (statement, derivation, what it "
              "uses and what uses it). The cell below runs the engine on all of them.\n",
            "| claim | in the paper | expected outcome |", "|---|---|---|"]
    rows += [f"| {_ref(c.id)} | {prose_to_markdown(c.paper.replace('|', '/'))} | {_expected(c)} |"
             for c in claims]
    return "\n".join(rows)


def notebooks(registry: Registry | None = None) -> dict:
    """Every walkthrough as an ``nbformat`` notebook, keyed by part."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from grpo_sym import derivations, load_registry

    registry = registry if registry is not None else load_registry()
    linker = _linker(c.id for c in registry)
    by_module: dict[str, list] = {}
    for c in registry:
        by_module.setdefault(module_of(c), []).append(c)
    placed = {m for part in derivations.PARTS for m in part.modules}
    stray = sorted(set(by_module) - placed)
    result = {}
    for part in derivations.PARTS:
        modules = list(part.modules) + (stray if part.key == "06_beyond_the_paper" else [])
        claims = [c for m in modules for c in by_module.get(m, [])]
        cells = []

        def add(kind, source):
            cell_id = f"{part.key[:2]}-{len(cells):04d}"
            make = new_markdown_cell if kind == "md" else new_code_cell
            cells.append(make(source.rstrip("\n"), id=cell_id))

        where = f" ({part.paper} of the paper)" if part.paper else ""
        add("md", f"# {part.title}{where}\n\n{prose_to_markdown(INTROS[part.key])}\n\n"
                  "Generated by `grpo-sym notebooks` from the claims registered in `grpo_sym` "
                  "(do not edit: regenerate). Each step shows a claim as the registry holds "
                  "it, then a cell runs the engine on it live: each derivation step checked by "
                  "its rule, then the statement at 50 significant digits; a claim whose "
                  "outcome is not the expected one stops the notebook. Claim ids link to the "
                  f"blueprint (`{BLUEPRINT_DIR}/`, built by `grpo-sym html`), which lists all "
                  f"{len(claims)} claims of this part; so does the table at the end.")
        add("code", SETUP)
        for number, chapter in enumerate(STORIES[part.key], 1):
            chain = " → ".join(_ref(i) for i in chapter.claims)
            add("md", f"## {number}. {chapter.title}\n\n{_prose(chapter.story, linker)}"
                      f"\n\nThe chain: {chain}.")
            for claim_id in chapter.claims:
                add("md", claim_markdown(claim_view(registry[claim_id]), linker))
                add("code", f'check("{claim_id}")')
            if chapter.code:
                if chapter.after:
                    add("md", prose_to_markdown(chapter.after))
                add("code", chapter.code)
        add("md", _listing(modules, claims))
        add("code", "check_modules(" + ", ".join(f'"{m}"' for m in modules) + ")")
        nb = new_notebook(cells=cells, metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"}})
        nbformat.validate(nb)
        result[part.key] = nb
    return result


def notebook_text(nb) -> str:
    """The file contents for ``nb`` (nbformat's JSON, ending in a newline)."""
    import nbformat

    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def write_notebooks(outdir: str = "notebooks", registry: Registry | None = None) -> list[str]:
    """Write every walkthrough to ``outdir/<part>.ipynb``; returns the paths."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for key, nb in notebooks(registry).items():
        path = os.path.join(outdir, f"{key}.ipynb")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(notebook_text(nb))
        paths.append(path)
    return paths
