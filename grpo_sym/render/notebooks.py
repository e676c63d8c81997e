"""Walkthrough notebooks, one per part of the paper, generated with nbformat.

Each notebook (``grpo_sym.derivations.PARTS``) shows, for every claim of its
modules: the claim's id, place in the paper and prose, the statement, its
assumptions and each derivation step (all rendered from the registry), then a
code cell that runs the engine on the claim live (:func:`grpo_sym.render.live.check`,
which stops the notebook if the outcome is not the expected one).  Numeric
examples and figures follow the claims they illustrate; they call the numeric
API only.

Cells have fixed ids and the notebooks are written without outputs, so
regenerating gives byte-identical files.

>>> nbs = notebooks()
>>> [name for name in nbs][:2]
['01_advantage_and_preference', '02_penalty_and_gradients']
>>> nbs["04_binary_questions"].cells[1].cell_type
'code'
"""
from __future__ import annotations

import os
from grpo_sym.proof.claims import Registry

from .model import ClaimView, claim_view, math_lines, module_of
from .text import docstring_title, docstring_to_markdown

__all__ = ["notebooks", "write_notebooks", "notebook_text", "EXAMPLES"]

SETUP = """\
from grpo_sym.render.live import check, figure_png  # the engine, live; the package's figures
"""

# Worked numbers and figures: (after which module, markdown, code).  Code calls
# the numeric API; no formula is typed here.
EXAMPLES: dict[str, list[tuple[str, str, str]]] = {
    "01_advantage_and_preference": [
        ("s1_advantage", "### Numbers: advantages of one group",
         "from grpo_sym.grpo.advantage import advantage\n"
         "rewards = (1, 0, 0, 1, 1)\n"
         "[advantage(rewards, i) for i in range(len(rewards))]"),
    ],
    "04_binary_questions": [
        ("b1_binary_pairs", "### Numbers and Figure 1: groups of two, (14)\n\n"
         "`stationary_binary` evaluates (14) without cancellation (the stable forms are claims "
         "above).",
         "from grpo_sym.numeric import stationary_binary\n"
         "for beta in (0.01, 0.04, 0.1, 1.0):\n"
         "    print(f\"beta = {beta:<5}  pi_theta(a|q) = {stationary_binary(0.2, beta):.12f}\")\n"
         "figure_png(\"figure1\")"),
        ("b1_binary_large", "### Numbers and Figure 2: large groups, (15)",
         "import math\n"
         "from grpo_sym.numeric import stationary_binary\n"
         "for beta in (0.01, 0.04, 0.1, 1.0):\n"
         "    print(f\"beta = {beta:<5}  G = 2: {stationary_binary(0.2, beta):.10f}   \"\n"
         "          f\"G -> inf: {stationary_binary(0.2, beta, group_size=math.inf):.10f}\")\n"
         "figure_png(\"figure2\")"),
    ],
    "05_extensions": [
        ("s3_direct_kl", "### Numbers and Figure 3: the direct KL penalty, groups of two",
         "from grpo_sym.numeric import stationary_binary\n"
         "for beta in (0.1, 0.5, 1.0):\n"
         "    print(beta, stationary_binary(0.2, beta), stationary_binary(0.2, beta, penalty=\"kl\"))\n"
         "figure_png(\"figure3\")"),
        ("b2_direct_kl_large", "### Numbers: the threshold of the direct KL penalty, large groups\n\n"
         "Below the threshold on-policy GRPO drives the better answer to probability 1.",
         "from grpo_sym.numeric import direct_kl_threshold\n"
         "for pi_ref in (0.01, 0.1, 0.5):\n"
         "    print(f\"pi_ref(a|q) = {pi_ref}: beta* = {direct_kl_threshold(pi_ref):.6f}\")"),
    ],
    "06_beyond_the_paper": [
        ("x1_finite_groups", "### Numbers and a figure: every group size\n\n"
         "`stationary_binary(..., group_size=G)` solves the fixed point for any integer G >= 2 "
         "(G up to 10^6 in milliseconds).",
         "import math\n"
         "from grpo_sym.numeric import stationary_binary\n"
         "for G in (2, 3, 4, 8, 64, 1000, 10**6, math.inf):\n"
         "    print(f\"G = {G!s:>8}  pi_theta(a|q) = {stationary_binary(0.1, 0.5, group_size=G):.12f}\")\n"
         "figure_png(\"group_sizes\")"),
        ("x3_stochastic_rewards", "### Numbers: many outputs, stochastic rewards, and the update "
         "itself\n\n`stationary_policy` solves the fixed point for any number of outputs and "
         "reward laws; `simulate` runs the GRPO update (1) and lands on it.",
         "import math\n"
         "from grpo_sym.numeric import stationary_policy\n"
         "from grpo_sym.simulate import simulate\n"
         "rewards = [{1: 0.9, 0: 0.1}, {1: 0.1, 0: 0.9}]          # noisy 0/1 rewards\n"
         "for G in (2, 8, math.inf):\n"
         "    print(f\"G = {G!s:>4}: stationary {stationary_policy([0.1, 0.9], rewards, 1.0, group_size=G)}\")\n"
         "r = simulate([0.2, 0.3, 0.5], [1, {1: 0.5, 0: 0.5}, 0], 0.5, group_size=4,\n"
         "             learning_rate=2.0, iterations=400)\n"
         "print('simulated', r.final, 'predicted', r.predicted, 'distance', r.distance)\n"
         "figure_png(\"trajectories\")"),
        ("x2_trainer_conventions", "### Numbers: where the trainers' settings drive a binary "
         "question, and the divergence each penalises",
         "from IPython.display import Markdown\n"
         "from grpo_sym.render.tables import presets_markdown\n"
         "Markdown(presets_markdown())"),
    ],
}


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


def claim_markdown(v: ClaimView) -> str:
    """The claim as Markdown with MathJax formulas."""
    out = [f"### `{v.id}` — {v.paper}", ""]
    if v.expected == "refuted":
        out += ["**As printed in the paper, and refuted** (the engine must find it false).", ""]
    if v.prose:
        out += [v.prose, ""]
    if v.generality:
        out += [f"*Generality:* {v.generality}.", ""]
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
            ref = f" by `{s.ref}`" if s.ref else ""
            why = f": {s.why}" if s.why else ""
            out.append(f"{k}. *{s.rule}*{ref}{why}")
            if s.latex:
                out += ["", "   " + _math_block(s.expr, s.latex).replace("\n", "\n   "), ""]
        out.append("")
    if v.corrected_by:
        out += [f"Corrected by `{v.corrected_by}`.", ""]
    if v.corrects:
        out += [f"Corrects `{v.corrects}`.", ""]
    if v.uses:
        out += ["Uses: " + ", ".join(f"`{u}`" for u in v.uses), ""]
    return "\n".join(out).rstrip() + "\n"


def notebooks(registry: Registry | None = None) -> dict:
    """Every walkthrough as an ``nbformat`` notebook, keyed by part."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from grpo_sym import derivations, load_registry

    registry = registry if registry is not None else load_registry()
    by_module: dict[str, list] = {}
    for c in registry:
        by_module.setdefault(module_of(c), []).append(c)
    placed = {m for part in derivations.PARTS for m in part.modules}
    stray = sorted(set(by_module) - placed)
    result = {}
    for part in derivations.PARTS:
        modules = list(part.modules) + (stray if part.key == "06_beyond_the_paper" else [])
        cells = []

        def add(kind, source):
            cell_id = f"{part.key[:2]}-{len(cells):04d}"
            make = new_markdown_cell if kind == "md" else new_code_cell
            cells.append(make(source.rstrip("\n"), id=cell_id))

        where = f" ({part.paper} of the paper)" if part.paper else ""
        add("md", f"# {part.title}{where}\n\n"
                  "Generated by `grpo-sym notebooks` from the claims registered in `grpo_sym`; "
                  "do not edit (regenerate instead). For each claim: its statement, assumptions "
                  "and derivation as the registry holds them, then a cell that runs the engine on "
                  "it live: each step is checked by its rule, then the statement at 50 "
                  "significant digits. A claim whose outcome is not the expected one stops the "
                  "notebook.")
        add("code", SETUP)
        examples = EXAMPLES.get(part.key, [])
        for m in modules:
            claims = by_module.get(m, [])
            if not claims:
                continue
            doc = derivations.module(m).__doc__
            add("md", f"## {docstring_title(doc)}\n\n{docstring_to_markdown(doc)}")
            for c in claims:
                add("md", claim_markdown(claim_view(c)))
                add("code", f'check("{c.id}")')
            for after, md, code in examples:
                if after == m:
                    add("md", md)
                    add("code", code)
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
