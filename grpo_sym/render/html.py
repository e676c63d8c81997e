"""The blueprint: the registry as a static HTML site that works offline.

Open ``index.html`` from disk: the math is typeset in the browser by KaTeX,
shipped with the package (``render/assets/katex``, MIT, version
:data:`KATEX_VERSION`) and copied into the site; the search box reads a small
script (``search-index.js``), so no page needs a network or a server.  The
dependency graphs are drawn at build time by Graphviz (``dot -Tsvg``, Debian's
``graphviz``) and inlined as SVG, their nodes linking to the claim pages.

The site (paths relative to its root):

=============================  ===============================================
path                           what
=============================  ===============================================
``index.html``                 progress per section of the paper, the search box
``sections/<key>.html``        one section: its modules' notes, their claims
``claims/<id>.html``           one claim (:func:`~grpo_sym.render.model.blueprint_page`):
                               statement, assumptions, derivation and verdicts,
                               outcome, links, its ancestors' graph
``graph.html``                 the dependency graph of the whole registry
``errata.html``                each printed statement refuted, beside its correction
=============================  ===============================================

Everything shown of a claim comes from :func:`~grpo_sym.render.model.claim_view`,
as for the LaTeX appendix and the notebooks: no formula is typed here.  The
output is deterministic (two builds are byte-identical).

========================  ====================================================
function                  does
========================  ====================================================
``write_site``            verify (or take ``results``), write the site; its paths
``site_files``            the site as ``{path: bytes}``, from given results
``dependency_dot``        the Graphviz source of a set of claims, by status
``status_of``             a claim view's status: proved, erratum, assumed, ...
========================  ====================================================

>>> from grpo_sym import load_registry
>>> reg = load_registry()
>>> dot = dependency_dot([claim_view(c) for c in reg.closure([reg["eq17"]])], link=blueprint_page)
>>> dot.startswith("digraph") and '"eq17"' in dot
True
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from importlib import resources
from typing import Callable, Mapping, Sequence

from grpo_sym.proof.claims import Registry
from grpo_sym.proof.verify import ClaimResult

from .model import (ClaimView, blueprint_page, claim_view, math_lines, module_of, notebook_path,
                    statement_status)
from .text import docstring_title, docstring_to_markdown

__all__ = ["write_site", "site_files", "dependency_dot", "status_of", "KATEX_VERSION",
           "GraphvizError"]

KATEX_VERSION = "0.19.1"    # render/assets/katex: katex.min.js/.css, auto-render, woff2 fonts

# status -> (badge text, fill colour of the graph node, what it means)
STATUS = {
    "proved": ("proved", "#c7e9c0", "proved by the kernel"),
    "erratum": ("refuted", "#fdd0a2", "refuted as expected: the statement as printed is wrong"),
    "assumed": ("assumed", "#c6dbef", "a named axiom, assumed and not proved"),
    "unproved": ("unproved", "#e0e0e0", "the engine could not decide it"),
    "failed": ("not as expected", "#fcbba1", "the outcome is not the expected one"),
    "unchecked": ("not checked", "#ffffff", "no result for it"),
}

HALF_WIDTH = 70     # LaTeX characters per line in the errata's two columns

PROCEDURES = {"sympy": "the kernel (SymPy rewrites)", "smt": "the SMT solver z3",
              "arb": "Arb interval arithmetic", "numeric": "the 50-digit numeric backup"}


class GraphvizError(RuntimeError):
    """``dot`` is missing or failed."""


def status_of(v: ClaimView) -> str:
    """A key of :data:`STATUS`: the outcome against the expected one.

    >>> from grpo_sym import load_registry
    >>> status_of(claim_view(load_registry()["eq14"]))
    'unchecked'
    """
    if v.outcome is None:
        return "unchecked"
    return {("proved", "holds"): "proved", ("refuted", "refuted"): "erratum",
            ("assumed", "holds"): "assumed",
            ("unproved", "holds"): "unproved"}.get((v.outcome, v.expected), "failed")


# -- small pieces -------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _tex(latex: str) -> str:
    """Inline math, typeset by KaTeX in the browser (blueprint.js)."""
    return f'<span class="tex">{_e(latex)}</span>'


def _display(expr, fallback: str, width: int = 220) -> str:
    """A displayed formula, broken between terms as in the appendix, in lines
    of about ``width`` characters of LaTeX (220 fill the page's column)."""
    if expr is None:
        lines, omitted = [fallback], 0
    else:
        lines, omitted = math_lines(expr, width=width, max_lines=24)
    out = [f'<div class="tex display">{_e(line)}</div>' for line in lines]
    if omitted:
        out.insert(-1, f'<p class="omitted">&hellip; {omitted} more terms, left out here '
                       '(the statement is checked in full) &hellip;</p>')
    return '<div class="formula">' + "".join(out) + "</div>"


def _badge(v: ClaimView) -> str:
    key = status_of(v)
    return f'<span class="badge {key}" title="{_e(STATUS[key][2])}">{_e(STATUS[key][0])}</span>'


def _claim_link(cid: str, root: str, views: Mapping[str, ClaimView] | None = None) -> str:
    badge = (" " + _badge(views[cid])) if views is not None and cid in views else ""
    # a long id may break after its dots, never inside a word
    shown = _e(cid).replace(".", ".<wbr>")
    return f'<a class="claim" href="{root}{blueprint_page(cid)}"><code>{shown}</code></a>{badge}'


_MD_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])")


def _markdown_html(md: str, code: Callable[[str], str]) -> str:
    r"""The Markdown that ``docstring_to_markdown`` writes (paragraphs, ``*``
    bullets, ``**bold**``, ``*emphasis*``, `` `code` ``; math between ``$`` is
    left for KaTeX) as HTML.

    >>> _markdown_html("A *not* **b** `eq14`.\n* item", lambda t: "<code>" + t + "</code>")
    '<div class="prose"><p>A <em>not</em> <strong>b</strong> <code>eq14</code>.</p><ul><li>item</li></ul></div>'
    """
    def inline(text: str) -> str:
        out, pos = [], 0
        for m in _MD_INLINE.finditer(text):
            out.append(_e(text[pos:m.start()]))
            if m.group(1) is not None:
                out.append(code(m.group(1)))
            elif m.group(2) is not None:
                out.append("<strong>" + inline(m.group(2)) + "</strong>")
            else:
                out.append("<em>" + _e(m.group(3)) + "</em>")
            pos = m.end()
        return "".join(out) + _e(text[pos:])

    parts, items = [], []
    for block in md.split("\n"):
        block = block.strip()
        if block.startswith("* "):
            items.append("<li>" + inline(block[2:]) + "</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if block:
            parts.append("<p>" + inline(block) + "</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return '<div class="prose">' + "".join(parts) + "</div>"


def _code_link(ids: set[str], root: str) -> Callable[[str], str]:
    return lambda t: _claim_link(t, root) if t in ids else f"<code>{_e(t)}</code>"


# -- the dependency graphs ----------------------------------------------------

def _dot_text(text: str) -> str:
    """``text`` inside a double-quoted Graphviz string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dependency_dot(views: Sequence[ClaimView], link: Callable[[str], str],
                   focus: str | None = None, clusters: Mapping[str, str] | None = None) -> str:
    """The graph of ``views`` (an edge from each used claim to its user), nodes
    filled by status, errata drawn with a double border, ``focus`` in bold;
    ``link(id)`` is each node's URL; ``clusters`` maps ids to a group label."""
    ids = {v.id for v in views}
    out = ["digraph blueprint {",
           '  graph [rankdir=LR, ranksep=0.35, nodesep=0.12, bgcolor="transparent", '
           'fontname="Helvetica", fontsize=11];',
           '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, '
           'height=0.25, margin="0.06,0.02", color="#555555"];',
           '  edge [color="#888888", arrowsize=0.5];']

    def node(v: ClaimView) -> str:
        key = status_of(v)
        tip = _dot_text(f"{v.id}: {v.paper} ({STATUS[key][0]})")
        attrs = [f'fillcolor="{STATUS[key][1]}"', f'URL="{link(v.id)}"', 'target="_top"',
                 f'tooltip="{tip}"']
        if key == "erratum":
            attrs.append("peripheries=2")
        if v.id == focus:
            attrs.append("penwidth=2.2")
        return f'  "{v.id}" [{", ".join(attrs)}];'

    groups: dict[str, list[ClaimView]] = {}
    for v in views:
        groups.setdefault((clusters or {}).get(v.id, ""), []).append(v)
    for k, (label, members) in enumerate(groups.items()):
        if label:
            out += [f"  subgraph cluster_{k} {{",
                    f'    label="{_dot_text(label)}"; style="rounded"; color="#bbbbbb"; '
                    'fontcolor="#444444";']
        out += [node(v) for v in members]
        if label:
            out.append("  }")
    for v in views:
        out += [f'  "{u}" -> "{v.id}";' for u in v.uses if u in ids]
    out.append("}")
    return "\n".join(out) + "\n"


_SVG_HEAD = re.compile(r"^.*?(?=<svg)", re.S)


def _run_dot(sources: Sequence[str]) -> list[str]:
    """SVG for each Graphviz source: one ``dot`` process for all of them (the
    prolog, doctype and comments dropped, so the SVG can be inlined)."""
    if not sources:
        return []
    if shutil.which("dot") is None:
        raise GraphvizError("dot not found: install Graphviz (Debian: apt-get install graphviz)")
    proc = subprocess.run(["dot", "-Tsvg"], input="".join(sources), capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise GraphvizError(f"dot failed (exit {proc.returncode}): {proc.stderr.strip()[:300]}")
    svgs = [s for s in proc.stdout.split("<?xml") if s.strip()]
    if len(svgs) != len(sources):
        raise GraphvizError(f"dot returned {len(svgs)} drawings for {len(sources)} graphs")
    return [re.sub(r"<!--.*?-->\n?", "", _SVG_HEAD.sub("", s), flags=re.S).strip() for s in svgs]


# -- pages --------------------------------------------------------------------

def _graph_box(svg: str, kind: str) -> str:
    """A graph in a scrolling box, with zoom buttons (blueprint.js)."""
    buttons = "".join(f'<button type="button" data-zoom="{z}" title="{t}">{label}</button>'
                      for z, label, t in (("out", "&minus;", "zoom out"), ("in", "+", "zoom in"),
                                          ("fit", "Fit to width", "the whole graph in view"),
                                          ("one", "100%", "natural size")))
    return (f'<div class="graph-box"><p class="tools">{buttons}</p>'
            f'<div class="graph {kind}">{svg}</div></div>')


def _page(title: str, body: str, root: str, version: str, wide: bool = False) -> str:
    head = "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} &middot; GRPO blueprint</title>",
        f'<link rel="stylesheet" href="{root}assets/katex/katex.min.css">',
        f'<link rel="stylesheet" href="{root}assets/blueprint.css">',
        f'<script defer src="{root}assets/katex/katex.min.js"></script>',
        f'<script defer src="{root}assets/katex/contrib/auto-render.min.js"></script>',
        f'<script defer src="{root}search-index.js"></script>',
        f'<script defer src="{root}assets/blueprint.js"></script>',
        "</head>"])
    header = (f'<header><a class="brand" href="{root}index.html">GRPO blueprint</a>'
              f'<nav><a href="{root}index.html">Sections</a><a href="{root}graph.html">Graph</a>'
              f'<a href="{root}errata.html">Errata</a></nav>'
              '<div class="search"><input type="search" id="search" autocomplete="off" '
              'placeholder="Search ids, prose, places in the paper" aria-label="Search">'
              '<ol id="search-results" hidden></ol></div></header>')
    footer = (f"<footer>Generated by <code>grpo_sym</code> {_e(version)} from its registry of "
              "claims; no formula typed by hand. Math typeset by KaTeX "
              f"{KATEX_VERSION} (MIT licence), graphs drawn by Graphviz.</footer>")
    body_class = ' class="wide"' if wide else ""
    return (head + f'\n<body data-root="{root}"{body_class}>\n' + header + "\n<main>\n" + body
            + "\n</main>\n" + footer + "\n</body>\n</html>\n")


def _progress(views: Sequence[ClaimView]) -> str:
    """A bar of the claims' statuses, and their counts."""
    counts = {key: sum(status_of(v) == key for v in views) for key in STATUS}
    total = max(1, len(views))
    bar = "".join(f'<span class="seg {key}" style="width:{100 * n / total:.3f}%" '
                  f'title="{n} {STATUS[key][0]}"></span>' for key, n in counts.items() if n)
    text = ", ".join(f'<span class="count {key}">{n} {STATUS[key][0]}</span>'
                     for key, n in counts.items() if n)
    return f'<div class="progress">{bar}</div><p class="counts">{len(views)} claims: {text}</p>'


_STATEMENT_WORDS = {"general": "proved in general (any K, any G)",
                    "assumed": "assumed (named axioms)",
                    "instances_only": "proved only at instances",
                    "not_verified": "not verified"}


def _claims_table(views: Sequence[ClaimView], root: str) -> str:
    rows = ["<table class=\"claims\"><thead><tr><th>claim</th><th>paper</th><th>outcome</th>"
            "<th>generality</th></tr></thead><tbody>"]
    for v in views:
        rows.append(f"<tr><td>{_claim_link(v.id, root)}</td><td>{_e(v.paper)}</td>"
                    f"<td>{_badge(v)}</td><td>{_e(v.generality)}</td></tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


class _Site:
    """What the pages share: the views, the sections, who uses whom."""

    def __init__(self, registry: Registry, results: Mapping[str, ClaimResult]):
        from grpo_sym import __version__, derivations
        from grpo_sym.proof import assumed_axioms

        self.registry, self.results, self.version = registry, results, __version__
        self.views = {c.id: claim_view(c, results.get(c.id)) for c in registry}
        self.ids = set(self.views)
        self.used_by: dict[str, list[str]] = {cid: [] for cid in self.views}
        for v in self.views.values():
            for u in v.uses:
                if u in self.used_by:
                    self.used_by[u].append(v.id)
        self.axioms = {c.id: [a for a in assumed_axioms(c, registry) if a != c.id] for c in registry}
        by_module: dict[str, list[str]] = {}
        for c in registry:
            by_module.setdefault(module_of(c), []).append(c.id)
        placed = {m for part in derivations.SECTIONS for m in part.modules}
        stray = [m for m in by_module if m not in placed]
        self.sections = []      # (part, [(module, [ids])])
        self.section_of: dict[str, tuple] = {}
        for part in derivations.SECTIONS:
            modules = list(part.modules) + (stray if part.key == "beyond" else [])
            mods = [(m, by_module[m]) for m in modules if by_module.get(m)]
            if mods:
                self.sections.append((part, mods))
                for m, ids in mods:
                    for cid in ids:
                        self.section_of[cid] = (part, m)
        self.module_doc = {m: derivations.module(m).__doc__ or "" for m in by_module}

    def statements(self, ids: set[str], root: str) -> str:
        """How far the statements whose first claim is among ``ids`` are proved; those
        proved only at instances listed, each linked to its first instance."""
        kinds = self.statement_kinds(ids)
        total = sum(map(len, kinds.values()))
        if not total:
            return ""
        parts = [f"{len(sids)} {_STATEMENT_WORDS[k]}" for k, sids in kinds.items() if sids]
        out = f'<p class="statements">{total} statements: ' + ", ".join(parts) + ".</p>"
        if kinds["instances_only"]:
            first = {sid: instances[0].id
                     for sid, (_, instances) in self.registry.statements().items() if instances}
            out += ('<details class="instances"><summary>Statements proved only at instances'
                    "</summary><p>" + ", ".join(
                        f'<a href="{root}{blueprint_page(first[sid])}"><code>{_e(sid)}</code></a>'
                        for sid in kinds["instances_only"]) + "</p></details>")
        return out

    def statement_kinds(self, ids: set[str]) -> dict[str, list[str]]:
        """The statements whose first claim is among ``ids``, by how far they are proved."""
        kinds: dict[str, list[str]] = {k: [] for k in _STATEMENT_WORDS}
        for sid, (general, instances) in self.registry.statements().items():
            first = general or instances[0]
            if first.id in ids:
                status = statement_status(general, instances, self.results)
                if status is not None:
                    kinds[status].append(sid)
        return kinds

    # -- the pages ------------------------------------------------------------

    def index(self) -> str:
        views = list(self.views.values())
        # the paper's headline results, from the registry
        headline = [self.views[cid] for cid in ("eq14", "eq15") if cid in self.views]
        out = ["<h1>What is the Alignment Objective of GRPO? <small>a verified blueprint</small>"
               "</h1>",
               '<p class="lead">Every statement of the paper by M. Vojnovic and S.-Y. Yun, as a '
               "claim of <code>grpo_sym</code>, checked by its trusted kernel: a derivation whose "
               "every step is checked by its rule, a certificate for a bound, or an exact "
               "counterexample. Statements printed wrongly are kept as printed, refuted, beside "
               'their correction (<a href="errata.html">errata</a>); <a href="graph.html">the '
               "graph</a> shows what rests on what.</p>",
               *(f'<div class="headline"><p>{_e(v.paper)}: {_claim_link(v.id, "", self.views)}'
                 f"</p>{_display(v.statement_expr, v.statement, width=400)}</div>" for v in headline),
               "<h2>Progress</h2>",
               _progress(views), self.statements(self.ids, ""),
               '<div class="legend">' + "".join(
                   f'<span class="badge {k}">{_e(t)}</span> {_e(d)}' + "<br>"
                   for k, (t, _, d) in STATUS.items() if k != "unchecked") + "</div>",
               "<h2>Sections</h2>"]
        for part, mods in self.sections:
            ids = [cid for _, members in mods for cid in members]
            out.append(f'<section class="part"><h3><a href="sections/{part.key}.html">'
                       f"{_e(part.title)}</a> <small>{_e(part.paper or 'beyond the paper')}"
                       "</small></h3>")
            out.append(_progress([self.views[cid] for cid in ids]))
            out.append(self.statements(set(ids), ""))
            out.append('<ul class="modules">' + "".join(
                f'<li><a href="sections/{part.key}.html#{m}">'
                f"{_e(docstring_title(self.module_doc[m]))}</a> ({len(members)})</li>"
                for m, members in mods) + "</ul></section>")
        return _page("Sections", "\n".join(out), "", self.version)

    def section(self, part, mods) -> str:
        root = "../"
        ids = [cid for _, members in mods for cid in members]
        out = [f"<h1>{_e(part.title)} <small>{_e(part.paper or 'beyond the paper')}</small></h1>",
               _progress([self.views[cid] for cid in ids]),
               self.statements(set(ids), root)]
        for m, members in mods:
            doc = self.module_doc[m]
            out += [f'<h2 id="{m}">{_e(docstring_title(doc))}</h2>',
                    _markdown_html(docstring_to_markdown(doc), _code_link(self.ids, root)),
                    _claims_table([self.views[cid] for cid in members], root)]
        return _page(part.title, "\n".join(out), root, self.version)

    def claim(self, v: ClaimView, svg: str | None) -> str:
        root = "../"
        part, m = self.section_of[v.id]
        c = self.registry[v.id]
        out = [f'<p class="crumbs"><a href="{root}index.html">Sections</a> &rsaquo; '
               f'<a href="{root}sections/{part.key}.html">{_e(part.title)}</a> &rsaquo; '
               f'<a href="{root}sections/{part.key}.html#{m}">{_e(docstring_title(self.module_doc[m]))}'
               "</a></p>",
               f"<h1><code>{_e(v.id)}</code> {_badge(v)}</h1>",
               f'<p class="where">{_e(v.paper)} &middot; <a href="{root}../{notebook_path(c)}">'
               f"its notebook</a> ({_e(notebook_path(c))})</p>"]
        if v.prose:
            out.append(self.prose(v.prose, root))
        facts = [("Outcome", self._outcome(v)), ("Generality", _e(v.generality))]
        if v.confirmed_by:
            facts.append(("Confirmed by", ", ".join(_e(PROCEDURES.get(p, p))
                                                    for p in v.confirmed_by)))
        if v.second_prover and "smt" not in v.confirmed_by:
            facts.append(("Second prover (z3)", _e(v.second_prover)))
        if self.axioms[v.id]:
            facts.append(("Rests on axioms", ", ".join(_claim_link(a, root)
                                                       for a in self.axioms[v.id])))
        if v.corrected_by:
            facts.append(("Corrected by", _claim_link(v.corrected_by, root, self.views)))
        if v.corrects:
            facts.append(("Corrects", _claim_link(v.corrects, root, self.views)))
        out.append('<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{d}</dd>" for k, d in facts)
                   + "</dl>")
        out.append("<h2>Statement</h2>")
        if v.quantifier == "exists":
            out.append("<p>There is a point of the domain where</p>")
        out.append(_display(v.statement_expr, v.statement))
        if v.assumptions:
            out.append("<h2>Assumptions</h2><ul class=\"assumptions\">"
                       + "".join(f"<li>{_tex(a)}</li>" for a in v.assumptions) + "</ul>")
        if v.premise:
            out += ["<h2>Premise</h2>", _display(v.premise_expr, v.premise)]
        if v.steps:
            out.append("<h2>Derivation</h2><ol class=\"steps\">")
            for s in v.steps:
                verdict = "" if s.checked is None else (
                    f'<span class="verdict ok">checked{(" by " + _e(s.method)) if s.method else ""}'
                    "</span>" if s.checked else '<span class="verdict no">not checked</span>')
                ref = (" by " + _claim_link(s.ref, root, self.views)) if s.ref else ""
                why = (": " + _e(s.why)) if s.why else ""
                body = _display(s.expr, s.latex) if s.latex else ""
                out.append(f'<li><p><span class="rule">{_e(s.rule)}</span>{ref}{why} {verdict}'
                           f"</p>{body}</li>")
            out.append("</ol>")
        if v.counterexample:
            out.append("<h2>Counterexample</h2><p>At "
                       + ", ".join(_tex(f"{k} = {val}") for k, val in v.counterexample) + ".")
            if v.counterexample_sides:
                lhs, rhs = v.counterexample_sides
                out.append(f" There the left side is {_tex(lhs)} and the right side {_tex(rhs)}.")
            out.append("</p>")
        out.append("<h2>Uses</h2>" + self._links(v.uses, "uses no other claim"))
        out.append("<h2>Used by</h2>" + self._links(self.used_by[v.id], "no claim uses it"))
        if svg:
            out += ["<h2>Ancestors</h2>",
                    "<p class=\"note\">Everything this claim rests on; click a node to open "
                    "its page.</p>", _graph_box(svg, "ancestors")]
        return _page(v.id, "\n".join(out), root, self.version)

    def prose(self, text: str, root: str) -> str:
        """A claim's prose through the docstrings' converter, so that prose math it
        typesets (as ``$...$``, for KaTeX) is typeset here too; the dummy first
        paragraph stands for the title a docstring has and prose does not."""
        return _markdown_html(docstring_to_markdown("Prose.\n\n" + text), _code_link(self.ids, root))

    def _outcome(self, v: ClaimView) -> str:
        key = status_of(v)
        text = _e(STATUS[key][2])
        if v.outcome is not None and key == "failed":
            text += f" (outcome {_e(v.outcome)}, expected {_e(v.expected)})"
        if v.numeric and v.outcome == "proved":
            text += "; numeric backup: " + ("agrees at 50 digits" if v.numeric == "agrees"
                                             else _e(v.numeric))
        if v.verified:
            text += "; <em>verified</em> with everything it uses"
        elif v.verified is False and v.outcome in ("proved", "assumed"):
            text += '; <span class="warn">not fully verified</span> (an ancestor is not)'
        return text

    def _links(self, ids: Sequence[str], none: str) -> str:
        if not ids:
            return f'<p class="note">It {none}.</p>'
        return ('<ul class="links">' + "".join(
            f"<li>{_claim_link(u, '../', self.views)} <span class=\"paper\">"
            f"{_e(self.views[u].paper)}</span></li>" for u in ids) + "</ul>")

    def graph(self, svg: str) -> str:
        legend = "".join(f'<span class="badge {k}">{_e(t)}</span> ' for k, (t, _, _) in
                         STATUS.items() if k != "unchecked")
        body = ["<h1>The dependency graph</h1>",
                f"<p>Every claim of the registry ({len(self.views)}), grouped by section of the "
                "paper; an arrow runs from a claim to each claim that uses it. Colours: "
                f"{legend}; errata (statements printed wrongly) have a double border. Click a "
                "node to open its claim.</p>",
                _graph_box(svg, "whole")]
        return _page("Dependency graph", "\n".join(body), "", self.version, wide=True)

    def errata(self) -> str:
        root = ""
        printed = [v for v in self.views.values() if v.expected == "refuted"]
        out = ["<h1>Errata</h1>",
               f"<p>{len(printed)} statements of the paper do not hold as printed. Each is "
               "refuted by the counterexample shown (decided exactly), and beside it stands the "
               "corrected statement, proved.</p>"]
        for v in printed:
            fix = self.views.get(v.corrected_by) if v.corrected_by else None
            point = (", ".join(_tex(f"{k} = {val}") for k, val in v.counterexample)
                     or "see the claim")
            right = ("<p>" + _claim_link(fix.id, root, self.views) + "</p>"
                     + _display(fix.statement_expr, fix.statement, width=HALF_WIDTH)
                     + self.prose(fix.prose, root)) if fix else \
                "<p>(no corrected statement registered)</p>"
            out.append(f'<section class="erratum"><h3>{_e(v.paper)} &middot; '
                       f"{_claim_link(v.id, root, self.views)}</h3>"
                       '<div class="sides"><div class="printed"><h4>As printed</h4>'
                       f"{_display(v.statement_expr, v.statement, width=HALF_WIDTH)}"
                       f"{self.prose(v.prose, root)}"
                       f'<p class="cex">Refuted at {point}.</p></div>'
                       f'<div class="corrected"><h4>Corrected</h4>{right}</div></div></section>')
        return _page("Errata", "\n".join(out), root, self.version)

    def search_index(self) -> str:
        rows = [[v.id, v.paper, v.prose, blueprint_page(v.id), STATUS[status_of(v)][0]]
                for v in self.views.values()]
        return ("// the search box's index: id, place in the paper, prose, page, status\n"
                "window.GRPO_SEARCH = " + json.dumps(rows, ensure_ascii=True, indent=0) + ";\n")


def _asset_files() -> dict[str, bytes]:
    """The files under render/assets, by path relative to it, sorted."""
    base = resources.files("grpo_sym.render") / "assets"
    out: dict[str, bytes] = {}

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda n: n.name):
            if child.is_dir():
                walk(child, prefix + child.name + "/")
            elif not child.name.startswith("."):
                out[prefix + child.name] = child.read_bytes()

    walk(base, "")
    return out


def site_files(registry: Registry, results: Mapping[str, ClaimResult]) -> dict[str, bytes]:
    """Every file of the site, by path relative to its root (claims without a
    result are shown as not checked).  Needs Graphviz's ``dot``."""
    site = _Site(registry, results)
    clusters = {cid: part.title for part, mods in site.sections for _, ids in mods for cid in ids}
    views = list(site.views.values())
    sources = [dependency_dot(views, link=blueprint_page, clusters=clusters)]
    with_graph = []
    for c in registry:
        ancestors = registry.closure([c])
        if len(ancestors) > 1:
            with_graph.append(c.id)
            # links from a claim page: its neighbours sit beside it in claims/
            sources.append(dependency_dot([site.views[a.id] for a in ancestors], focus=c.id,
                                          link=lambda cid: os.path.basename(blueprint_page(cid))))
    svgs = _run_dot(sources)
    graph_of = dict(zip(with_graph, svgs[1:]))
    pages = {"index.html": site.index(), "graph.html": site.graph(svgs[0]),
             "errata.html": site.errata(), "search-index.js": site.search_index()}
    for part, mods in site.sections:
        pages[f"sections/{part.key}.html"] = site.section(part, mods)
    for v in views:
        pages[blueprint_page(v.id)] = site.claim(v, graph_of.get(v.id))
    files = {path: text.encode("utf-8") for path, text in pages.items()}
    files.update({"assets/" + path: data for path, data in _asset_files().items()})
    return dict(sorted(files.items()))


def write_site(outdir: str, registry: Registry | None = None,
               results: Mapping[str, ClaimResult] | None = None, jobs: int = 1) -> list[str]:
    """Verify the registry (unless ``results`` are given; the result cache makes
    this fast when warm) and write the site into ``outdir``; returns the paths
    written, sorted.  Files of an earlier build that the site no longer has are
    left alone.

    >>> write_site(__file__)
    Traceback (most recent call last):
    ValueError: outdir '...html.py' exists and is not a directory
    """
    from grpo_sym import load_registry
    from grpo_sym.proof import ResultCache, verify_all

    if os.path.exists(outdir) and not os.path.isdir(outdir):
        raise ValueError(f"outdir {outdir!r} exists and is not a directory")
    if registry is None:
        registry = load_registry()
    if results is None:
        results = verify_all(registry, list(registry), jobs=jobs, loader=load_registry,
                             cache=ResultCache.default())
    written = []
    for path, data in site_files(registry, results).items():
        full = os.path.join(outdir, *path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(data)
        written.append(full)
    return written
