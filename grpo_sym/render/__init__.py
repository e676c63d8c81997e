"""Renderers: the registry as a LaTeX appendix, figures, notebooks and an HTML site.

=====================  =========================================================
module                 what it renders
=====================  =========================================================
``render.model``       a claim as the data every renderer shows (``claim_view``)
``render.latex``       the verified appendix (``write_appendix``, ``compile_pdf``)
``render.figures``     the paper's Figures 1-3 and more (``figure``, ``write_figures``)
``render.notebooks``   one walkthrough notebook per part (``write_notebooks``)
``render.html``        the blueprint, a static site readable offline (``write_site``)
``render.stories``     what each walkthrough tells: chapters and their chains of claims
``render.live``        what a notebook calls: ``check`` a claim live, ``check_modules``,
                       the sliders of ``stationary_explorer``
``render.text``        plain text and docstrings as LaTeX or Markdown, their ASCII
                       formulas typeset (``prose_to_latex``, ``prose_to_markdown``)
=====================  =========================================================

Nothing here writes a formula: statements and steps come from the registered
claims, curves from ``grpo_sym.numeric``.
"""
