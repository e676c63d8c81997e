"""Plain text and docstrings, turned into LaTeX and Markdown.

Claims carry plain-text prose and the derivations modules reStructuredText-like
docstrings (``**bold**``, ``code``, ``*`` bullets with indented continuation
lines).  These converters know exactly that much; anything else is escaped,
so no input can break the LaTeX document.

>>> latex_escape("P_G(o | pi) >= 50% & {x}")
'P\\\\_G(o \\\\textbar{} pi) \\\\textgreater{}= 50\\\\% \\\\& \\\\{x\\\\}'
>>> print(docstring_to_markdown("Title.\\n\\n* **(16)** uses ``eq7``."))
* **(16)** uses `eq7`.
"""
from __future__ import annotations

import re
from typing import Callable

__all__ = ["latex_escape", "docstring_blocks", "docstring_to_latex", "docstring_to_markdown",
           "docstring_title"]

_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}",
}
_INLINE = re.compile(r"``(.+?)``|\*\*(.+?)\*\*")


def latex_escape(text: str) -> str:
    """``text`` as LaTeX text: every special character escaped.

    Raises ``ValueError`` on a character outside ASCII, which pdflatex without
    extra fonts cannot be trusted to print (the prose of claims is ASCII)."""
    bad = sorted({ch for ch in text if ord(ch) > 127})
    if bad:
        raise ValueError(f"non-ASCII characters {bad} in {text[:60]!r}")
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def _split_title(doc: str) -> tuple[str, list[str]]:
    lines = (doc or "").strip().splitlines()
    end = next((k for k, line in enumerate(lines) if not line.strip()), len(lines))
    return " ".join(s.strip() for s in lines[:end]), lines[end:]


def docstring_title(doc: str) -> str:
    """The first paragraph of a docstring (its title), without the final full stop."""
    return _split_title(doc)[0].rstrip(".")


def docstring_blocks(doc: str) -> list[tuple[str, str]]:
    """The docstring after its title paragraph as ``(kind, text)`` blocks, kind
    ``"para"`` or ``"item"`` (a ``*`` or ``-`` bullet), lines joined."""
    lines = _split_title(doc)[1]
    blocks: list[tuple[str, str]] = []
    kind, buf = "", []

    def flush():
        if buf:
            blocks.append((kind, " ".join(s.strip() for s in buf)))
        buf.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
            kind = ""
            continue
        bullet = re.match(r"^[*-] ", stripped) and not line.startswith("    ")
        if bullet:
            flush()
            kind, buf[:] = "item", [stripped[2:]]
        else:
            if not buf:
                kind = "para"
            buf.append(stripped)
    flush()
    return blocks


def _inline(text: str, code: Callable[[str], str], bold: Callable[[str], str],
            plain: Callable[[str], str]) -> str:
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(plain(text[pos:m.start()]))
        out.append(code(m.group(1)) if m.group(1) is not None else bold(m.group(2)))
        pos = m.end()
    out.append(plain(text[pos:]))
    return "".join(out)


def docstring_to_latex(doc: str, code: Callable[[str], str] | None = None) -> str:
    """The body of a docstring as LaTeX paragraphs and ``itemize`` lists.
    ``code(text)`` renders ````text```` (default ``\\texttt``); a renderer may
    turn claim ids into cross-references there."""
    code = code or (lambda t: r"\texttt{" + latex_escape(t) + "}")

    def bold(t: str) -> str:
        return r"\textbf{" + _inline(t, code, lambda s: s, latex_escape) + "}"

    parts, in_list = [], False
    for kind, text in docstring_blocks(doc):
        body = _inline(text, code, bold, latex_escape)
        if kind == "item" and not in_list:
            parts.append(r"\begin{itemize}")
            in_list = True
        if kind != "item" and in_list:
            parts.append(r"\end{itemize}")
            in_list = False
        parts.append((r"\item " + body) if kind == "item" else body + "\n")
    if in_list:
        parts.append(r"\end{itemize}")
    return "\n".join(parts)


def docstring_to_markdown(doc: str) -> str:
    """The body of a docstring as Markdown (````x```` becomes `` `x` ``)."""
    out = []
    for kind, text in docstring_blocks(doc):
        body = _inline(text, lambda t: f"`{t}`", lambda t: f"**{t}**", lambda t: t)
        out.append(("* " + body) if kind == "item" else "\n" + body + "\n")
    return "\n".join(out).strip()
