"""Plain text and docstrings, turned into LaTeX and Markdown.

Claims carry plain-text prose and the derivations modules reStructuredText-like
docstrings (``**bold**``, ``code``, ``*`` bullets with indented continuation
lines), both with their mathematics written in ASCII (``pi_theta(a)``,
``beta/gamma``, ``E[sign(r1 - r2) | o1 = a, o2 = b]``).  These converters know
exactly that much; anything else is escaped, so no input can break the LaTeX
document.

=========================  =====================================================
function                   does
=========================  =====================================================
``prose_to_latex``         prose as LaTeX text, its ASCII formulas typeset in
                           ``$...$`` (the appendix; any LaTeX renderer)
``prose_to_markdown``      prose as Markdown, its formulas in ``$...$`` (the
                           notebooks; any MathJax/KaTeX page)
``prose_segments``         prose cut into text and LaTeX-math segments (for a
                           renderer that escapes text its own way, e.g. HTML)
``latex_escape``           plain text as LaTeX text, every special escaped
``docstring_to_latex``     a docstring's body as LaTeX (formulas typeset)
``docstring_to_markdown``  a docstring's body as Markdown (formulas typeset)
``docstring_title``        a docstring's first paragraph
``docstring_blocks``       a docstring's body as paragraphs and bullets
=========================  =====================================================

The formula finder is conservative: a word it does not know (an English word,
a claim id such as ``eq14`` or ``s2.3.centred``, a dotted or underscored code
name) ends a formula and stays text, and ``code spans`` of docstrings are never
touched.

>>> latex_escape("P_G(o | pi) >= 50% & {x}")
'P\\\\_G(o \\\\textbar{} pi) \\\\textgreater{}= 50\\\\% \\\\& \\\\{x\\\\}'
>>> print(docstring_to_markdown("Title.\\n\\n* **(16)** uses ``eq7`` at beta > 0."))
* **(16)** uses `eq7` at $\\beta > 0$.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["latex_escape", "docstring_blocks", "docstring_to_latex", "docstring_to_markdown",
           "docstring_title", "prose_segments", "prose_to_latex", "prose_to_markdown"]

_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}",
}
# ``code``, **bold**, *emphasis* (a star after a letter is a formula's: p*, pi*(o))
_INLINE = re.compile(r"``(.+?)``|\*\*(.+?)\*\*|(?<![\w)*])\*([A-Za-z][^*]*?)\*(?![\w*])")


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
            plain: Callable[[str], str], emph: Callable[[str], str]) -> str:
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(plain(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append(code(m.group(1)))
        else:
            out.append(bold(m.group(2)) if m.group(2) is not None else emph(m.group(3)))
        pos = m.end()
    out.append(plain(text[pos:]))
    return "".join(out)


def docstring_to_latex(doc: str, code: Callable[[str], str] | None = None) -> str:
    """The body of a docstring as LaTeX paragraphs and ``itemize`` lists, its
    ASCII formulas typeset (:func:`prose_to_latex`).
    ``code(text)`` renders ````text```` (default ``\\texttt``); a renderer may
    turn claim ids into cross-references there."""
    code = code or (lambda t: r"\texttt{" + latex_escape(t) + "}")

    def emph(t: str) -> str:
        return r"\emph{" + prose_to_latex(t) + "}"

    def bold(t: str) -> str:
        return r"\textbf{" + _inline(t, code, lambda s: s, prose_to_latex, emph) + "}"

    parts, in_list = [], False
    for kind, text in docstring_blocks(doc):
        body = _inline(text, code, bold, prose_to_latex, emph)
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
    """The body of a docstring as Markdown (````x```` becomes `` `x` ``), its
    ASCII formulas typeset (:func:`prose_to_markdown`)."""
    out = []
    for kind, text in docstring_blocks(doc):
        body = _inline(text, lambda t: f"`{t}`", lambda t: f"**{t}**", prose_to_markdown,
                       lambda t: f"*{prose_to_markdown(t)}*")
        out.append(("* " + body) if kind == "item" else "\n" + body + "\n")
    return "\n".join(out).strip()


# -- prose math ------------------------------------------------------------------
#
# The prose of claims and docstrings writes its mathematics in ASCII, the way
# the derivations modules' authors type it: pi_theta(a), beta/gamma, P_G(o | pi),
# E[sign(r1 - r2) | o1 = a, o2 = b], sqrt(D), p* ... .  prose_segments finds those
# spans and renders each as LaTeX math; everything else stays text.  It is
# conservative by construction: a word it does not know (an English word, a claim
# id such as eq14 or s2.3.centred, a dotted name, a code name with underscores)
# ends a formula and is left alone, and a span whose LaTeX would not be
# well-formed stays text.

_GREEK = {name: "\\" + name for name in (
    "alpha beta gamma delta zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
    "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split()}
_GREEK.update({"epsilon": r"\varepsilon", "eps": r"\varepsilon", "oo": r"\infty",
               "inf": r"\infty", "infinity": r"\infty"})
# names that are mathematics wherever they stand
_FUNCTIONS = {"sqrt": r"\sqrt", "log": r"\log", "exp": r"\exp", "max": r"\max", "min": r"\min",
              "KL": r"\mathrm{KL}", "Ber": r"\mathrm{Ber}", "logit": r"\operatorname{logit}",
              "asinh": r"\operatorname{asinh}", "floor": r"\operatorname{floor}",
              "supp": r"\operatorname{supp}", "argmax": r"\operatorname{argmax}"}
# English words too: mathematics only when applied, f(x), or beside an operator
_CONTEXT = {"sum": r"\sum", "sign": r"\mathrm{sign}", "mean": r"\operatorname{mean}",
            "std": r"\operatorname{std}", "lhs": r"\mathrm{lhs}", "rhs": r"\mathrm{rhs}",
            "rbar": r"\bar{r}", "var": r"\operatorname{var}"}
_ARTICLES = {"a", "A", "I"}      # single letters that are also English words
# subscripts written as words (a word subscript not listed here makes the name text)
_SUB_WORDS = {"old", "ref", "eff", "crit", "rev", "full", "alt", "RLHF", "NLHF", "max", "min"}
_OPS = [("<=", r"\le"), (">=", r"\ge"), ("!=", r"\neq"), ("->", r"\to"), ("+-", r"\pm"),
        (":=", ":="), ("<<", r"\ll"), (">>", r"\gg"), ("=", "="), ("<", "<"), (">", ">"),
        ("+", "+"), ("-", "-"), ("/", "/"), ("^", "^"), ("~", r"\sim")]

# how much an atom says "this is a formula" (a run needs a letter, a name or an operator)
_NUM, _ART, _CTX, _LET, _STR = range(5)

_LEXER = re.compile(r"""
    (?P<ws>\s+)
  | (?P<dotted>(?=[\w.*-]*[A-Za-z])(?:[\w*]+(?:-[\w*]+)*\.)+[\w*]+(?:-[\w*]+)*)  # ids, e.g.
  | (?P<hyphenated>[A-Za-z]+(?:-[A-Za-z]+)+)                            # on-policy
  | (?P<possessive>(?<=[A-Za-z)])'s\b)                                 # the group's
  | (?P<num>\d+(?:\.\d+)?(?:e[-+]?\d+)?(?!\.\d))
  | (?P<section>\d+(?:\.\d+)+)                                        # Sec. 2.3.1
  | (?P<name>[A-Za-z][A-Za-z0-9]*(?:_(?:\{[^{}$]*\}|[A-Za-z0-9]+))*)
  | (?P<dashes>--+|\.\.\.)
  | (?P<op><=|>=|!=|->|\+-|:=|<<|>>|\|\||\.\.|[=<>+\-/^~|*])
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<sep>[,;])
  | (?P<other>.)
""", re.X | re.S)


@dataclass
class _Item:
    kind: str                 # text, ws, atom, op, sep, group
    raw: str
    tex: str = ""
    level: int = _NUM         # atoms: how strongly they read as mathematics
    children: list = field(default_factory=list)    # groups: the items inside
    close: str = ""           # groups: the closing bracket
    inner: str | None = None  # bracketed atoms: the LaTeX inside the brackets


def _number_tex(raw: str) -> str:
    mantissa, _, exponent = raw.partition("e")
    if not exponent:
        return raw
    power = "10^{" + str(int(exponent)) + "}"
    return power if mantissa == "1" else mantissa + r" \times " + power


def _subscript_tex(sub: str) -> str | None:
    if sub.startswith("{"):
        return _math_only(sub[1:-1])
    if sub in _GREEK:
        return _GREEK[sub]
    if sub.isdigit() or sub in _SUB_WORDS or (sub.isalpha() and len(sub) <= 2) or \
            re.fullmatch(r"[A-Za-z]\d+", sub):
        return sub
    return None


def _split_name(raw: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in raw:
        if ch == "_" and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += (ch == "{") - (ch == "}")
        cur += ch
    return parts + [cur]


def _name(raw: str) -> tuple[str, int] | None:
    """The LaTeX and level of a name, or None when it is a word (text)."""
    base, *subs = _split_name(raw)
    if not subs:
        if re.fullmatch(r"sqrt\d+", raw):
            return r"\sqrt{" + raw[4:] + "}", _STR
        for table, level in ((_GREEK, _STR), (_FUNCTIONS, _STR), (_CONTEXT, _CTX)):
            if raw in table:
                return table[raw], level
        if raw in _ARTICLES:
            return raw, _ART
        if len(raw) == 1:
            return raw, _LET
        if re.fullmatch(r"[A-Za-z]\d+", raw):
            return raw[0] + "_{" + raw[1:] + "}", _STR
        return None
    if base in ("P", "R") and not subs[0].startswith("{"):
        tex = r"\mathcal{" + base + "}"              # the paper's preferences P_G, R_2
    elif base == "E":
        tex = r"\mathbb{E}"
    elif base == "sum":
        tex = r"\sum"
    elif base in _GREEK or base in _FUNCTIONS or len(base) == 1:
        tex = _GREEK.get(base) or _FUNCTIONS.get(base) or base
    else:
        return None
    rendered = [_subscript_tex(s) for s in subs]
    if any(r is None for r in rendered):
        return None
    return tex + "_{" + ",".join(rendered) + "}", _STR


def _spaced(text: str, start: int, end: int) -> bool:
    return text[start - 1:start] == " " and text[end:end + 1] == " "


def _lex(text: str, in_subscript: bool = False) -> list[_Item]:
    items: list[_Item] = []
    pos = 0
    while pos < len(text):
        m = _LEXER.match(text, pos)
        kind, raw = m.lastgroup, m.group()
        pos = m.end()
        before, after = text[:m.start()].rstrip()[-1:], text[pos:].lstrip()[:1]
        if kind == "ws":
            items.append(_Item("ws", raw))
        elif kind == "num":
            tex = _number_tex(raw)
            limit = re.match(r"[+-](?=[\s,.;:)\]]|$)", text[pos:])
            if limit and text[:m.start()].rstrip().endswith("->"):     # x -> 0+
                pos += 1
                items.append(_Item("atom", raw + limit.group(), tex + "^{" + limit.group() + "}",
                                   _STR))
            else:
                items.append(_Item("atom", raw, tex, _NUM))
        elif kind == "name":
            named = (r"\in", _STR) if in_subscript and raw == "in" else _name(raw)
            if named is None and raw[0] == "d" and len(raw) > 1 and "/" in (after, before):
                rest = _name(raw[1:])                          # dJ/dp, d(14)/dbeta
                named = ("d" + rest[0], _STR) if rest and rest[1] != _ART else None
            if named is None:
                items.append(_Item("text", raw))
                continue
            tex, level = named
            # primes and a star belong to the name: J''(p*), pi', p*
            marks = re.match(r"(?:'(?![A-Za-z]))*(?:\*(?![A-Za-z0-9*]))?", text[pos:]).group()
            if marks:
                pos += len(marks)
                raw += marks
                tex += marks.replace("*", r"^{\ast}")
                level = _STR
            items.append(_Item("atom", raw, tex, level))
        elif kind == "op":
            if raw == "*" and not _spaced(text, m.start(), pos):
                items.append(_Item("text", raw))                      # *emphasis*
                continue
            tex = {"*": r"\cdot", "||": r"\|", "..": r",\ldots,",
                   "|": r"\mid" if _spaced(text, m.start(), pos) else "|"}.get(raw)
            items.append(_Item("op", raw, tex or dict(_OPS)[raw]))
        elif kind == "other" and raw == "." and before and before in "(,;" and after and \
                after in ";,)|":
            items.append(_Item("atom", raw, r"\cdot", _LET))   # J(.; p): the argument's slot
        elif kind in ("open", "close", "sep"):
            items.append(_Item(kind, raw))
        else:                                   # dotted ids, hyphenated words, punctuation
            items.append(_Item("text", raw))
    return items


def _nest(items: list[_Item]) -> list[_Item]:
    """Nest bracketed spans; ( and [ close with either ) or ], as intervals do."""
    out: list[_Item] = []
    stack: list[tuple[_Item, list[_Item]]] = []
    for it in items:
        if it.kind == "open":
            stack.append((it, out))
            out = []
        elif it.kind == "close" and stack and (stack[-1][0].raw == "{") == (it.raw == "}"):
            opener, parent = stack.pop()
            parent.append(_Item("group", opener.raw, children=out, close=it.raw))
            out = parent
        elif it.kind == "close":
            out.append(_Item("text", it.raw))
        else:
            out.append(it)
    while stack:                                # an unmatched opener is text
        opener, parent = stack.pop()
        out = parent + [_Item("text", opener.raw)] + out
    return out


def _bracket(ch: str) -> str:
    return {"{": r"\{", "}": r"\}"}.get(ch, ch)


def _join(items: list[_Item]) -> str:
    tex = " ".join(it.raw if it.kind == "sep" else it.tex for it in items if it.kind != "ws")
    return tex.replace(" ,", ",").replace(" ;", ";").replace(" / ", "/")


def _raw(it: _Item) -> str:
    if it.kind == "group":
        return it.raw + "".join(_raw(c) for c in it.children) + it.close
    return it.raw


def _combine(items: list[_Item]) -> list[_Item]:
    """Decide each group (a formula, or text with formulas inside), then bind
    what binds tightly: f(x), E[x], x^2, sqrt(x), sqrt 2, and the product
    sign of (0, 1) x [0, 1)."""
    for it in items:
        if it.kind != "group":
            continue
        it.children = _combine(it.children)
        inner = [c for c in it.children if c.kind != "ws"]
        if inner and all(c.kind in ("atom", "op", "sep") for c in inner) and \
                any(c.kind == "atom" for c in inner):
            levels = [c.level for c in inner if c.kind == "atom"]
            if any(c.kind == "op" for c in inner):
                levels.append(_STR)
            it.raw, it.kind, it.level = _raw(it), "atom", max(levels)
            it.inner = _join(it.children)
            it.tex = _bracket(it.raw[0]) + it.inner + _bracket(it.close)
    out: list[_Item] = []
    k = 0
    while k < len(items):
        it, prev = items[k], (out[-1] if out else None)
        nxt = items[k + 1] if k + 1 < len(items) else None
        k += 1
        if it.kind == "atom" and it.inner is not None and prev is not None and \
                prev.kind == "atom" and prev.inner is None and prev.level != _NUM:
            if prev.raw == "sqrt":                         # sqrt(x)
                prev.tex = r"\sqrt{" + it.inner + "}"
            else:                                          # f(x), E[x], E_pi[x]
                if prev.raw == "E" and it.raw[0] == "[":
                    prev.tex = r"\mathbb{E}"
                prev.tex += it.tex
            prev.raw += it.raw
            prev.level = _STR
            continue
        if it.kind == "op" and it.raw == "^" and prev is not None and prev.kind == "atom" and \
                nxt is not None and nxt.kind == "atom":
            sup = nxt.inner if nxt.inner is not None and nxt.raw[0] in "({" else nxt.tex
            base = "{" + prev.tex + "}" if "^" in prev.tex else prev.tex
            prev.tex, prev.raw, prev.level = base + "^{" + sup + "}", prev.raw + "^" + nxt.raw, _STR
            k += 1
            continue
        if it.kind == "atom" and it.inner is None and prev is not None and prev.kind == "ws" and \
                len(out) >= 2 and out[-2].raw == "sqrt":                # sqrt 2
            out.pop()
            out[-1].tex, out[-1].raw = r"\sqrt{" + it.tex + "}", out[-1].raw + " " + it.raw
            continue
        if it.kind == "atom" and it.raw == "x" and prev is not None and prev.kind == "ws" and \
                len(out) >= 2 and out[-2].raw[-1:] in ")]" and nxt is not None and \
                nxt.kind == "ws" and k + 1 < len(items) and items[k + 1].raw[:1] in "([":
            out.append(_Item("op", "x", r"\times"))                    # (0, 1) x [0, 1)
            continue
        out.append(it)
    for it in out:
        if it.kind == "atom" and it.raw == "sqrt":                      # not applied: a word
            it.kind = "text"
    return out


def _joins(a: _Item, b: _Item) -> bool:
    """May atoms ``a`` and ``b``, side by side with a space, be one product?"""
    if _ART in (a.level, b.level) or b.level == _CTX or (a.level == b.level == _NUM):
        return False
    return a.level != _CTX or b.level >= _LET


def _formula(run: list[_Item]) -> list[tuple[str, str]]:
    """A run of atoms, operators and spaces as segments: the formula with the
    operators and spaces at its ends left as text."""
    lo, hi = 0, len(run)
    while lo < hi and (run[lo].kind == "ws" or run[lo].kind == "op" and not (
            run[lo].raw in "-+" and lo + 1 < hi and run[lo + 1].kind == "atom")):
        lo += 1
    while hi > lo and run[hi - 1].kind in ("ws", "op"):
        hi -= 1
    core = run[lo:hi]
    atoms = [it for it in core if it.kind == "atom"]
    has_op = any(it.kind == "op" for it in core)
    tex = _join(core)
    # a formula needs an operator, or a name; a bracket of letters alone, (a, b), is text
    lone_bracket = len(atoms) == 1 and atoms[0].inner is not None and atoms[0].level < _STR
    ok = bool(atoms) and (has_op or max(a.level for a in atoms) >= _LET) and not (
        lone_bracket and not has_op) and _well_formed(tex)
    segs = [("text", "".join(_raw(it) for it in run[:lo]))]
    segs.append(("math", tex) if ok else ("text", "".join(_raw(it) for it in core)))
    return segs + [("text", "".join(_raw(it) for it in run[hi:]))]


def _well_formed(tex: str) -> bool:
    depth = 0
    for k, ch in enumerate(tex):
        if ch in "{}" and tex[k - 1:k] != "\\":
            depth += 1 if ch == "{" else -1
            if depth < 0:
                return False
    return depth == 0 and not re.search(r"[$%#&]|[\^_](?![{\w\\'])|\\$", tex)


def _segments(items: list[_Item]) -> list[tuple[str, str]]:
    segs: list[tuple[str, str]] = []
    run: list[_Item] = []

    def flush():
        if run:
            segs.extend(_formula(run))
        run.clear()

    for it in items:
        if it.kind in ("atom", "op", "ws"):
            if it.kind == "atom":
                last = next((r for r in reversed(run) if r.kind != "ws"), None)
                if last is not None and last.kind == "atom" and not _joins(last, it):
                    tail = []
                    while run and run[-1].kind == "ws":
                        tail.insert(0, run.pop())
                    flush()
                    run.extend(tail)
            run.append(it)
        elif it.kind == "group":                       # text in brackets, formulas inside
            flush()
            segs.append(("text", it.raw))
            segs.extend(_segments(it.children))
            segs.append(("text", it.close))
        else:
            flush()
            segs.append(("text", _raw(it)))
    flush()
    return segs


def _math_only(text: str) -> str | None:
    """``text`` as one formula (a braced subscript), or None."""
    items = _combine(_nest(_lex(text, in_subscript=True)))
    if any(it.kind not in ("atom", "op", "ws", "sep") for it in items):
        return None
    tex = _join(items)
    return tex if _well_formed(tex) else None


_DOLLARS = re.compile(r"\$([^$]*)\$")


def prose_segments(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``("text", plain)`` and ``("math", latex)`` segments:
    each ASCII formula of the prose as LaTeX math (no dollars), the rest as it
    was.  A ``$...$`` span already in the text is kept as a formula.  Adjacent
    segments of one kind are merged; joining the text segments with the
    formulas' ASCII gives ``text`` back.

    >>> prose_segments("A stationary pi_theta(a) in (0, 1) is (14).")
    [('text', 'A stationary '), ('math', '\\\\pi_{\\\\theta}(a)'), ('text', ' in (0, 1) is (14).')]
    """
    segs: list[tuple[str, str]] = []
    pos = 0
    for m in _DOLLARS.finditer(text):
        segs += _segments(_combine(_nest(_lex(text[pos:m.start()]))))
        inner = m.group(1).strip()
        segs.append(("math", inner) if inner and _well_formed(inner) else ("text", m.group()))
        pos = m.end()
    segs += _segments(_combine(_nest(_lex(text[pos:]))))
    merged: list[tuple[str, str]] = []
    for kind, s in segs:
        if not s:
            continue
        if merged and merged[-1][0] == kind == "text":
            merged[-1] = (kind, merged[-1][1] + s)
        else:
            merged.append((kind, s))
    return merged


def prose_to_latex(text: str) -> str:
    r"""Prose with ASCII mathematics as LaTeX text: formulas in ``$...$``, the
    rest escaped (:func:`latex_escape`).

    >>> print(prose_to_latex("E[sign(r1 - r2) | o1 = a, o2 = b] = gamma_{a,b} (eq16)."))
    $\mathbb{E}[\mathrm{sign}(r_{1} - r_{2}) \mid o_{1} = a, o_{2} = b] = \gamma_{a, b}$ (eq16).
    >>> print(prose_to_latex("(14) >= max{1 - beta/gamma, pi_ref(a)}: see s2.3.centred."))
    $(14) \ge \max\{1 - \beta/\gamma, \pi_{ref}(a)\}$: see s2.3.centred.
    """
    return "".join(latex_escape(s) if kind == "text" else "$" + s + "$"
                   for kind, s in prose_segments(text))


def prose_to_markdown(text: str) -> str:
    r"""Prose with ASCII mathematics as Markdown: formulas in ``$...$``
    (MathJax/KaTeX), the rest as it was.

    >>> print(prose_to_markdown("At beta = gamma, (14) = sqrt(pi_ref(a)) as beta -> 0+."))
    At $\beta = \gamma$, $(14) = \sqrt{\pi_{ref}(a)}$ as $\beta \to 0^{+}$.
    """
    return "".join(s if kind == "text" else "$" + s + "$" for kind, s in prose_segments(text))
