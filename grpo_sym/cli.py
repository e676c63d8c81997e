"""The ``grpo-sym`` command.

=============================================  =====================================
command                                        does
=============================================  =====================================
``grpo-sym verify [--only P] [--json F] [-j N]``  check every claim (or those matching
                                               the glob P) and their ancestors
``grpo-sym list [--only P]``                   list claim ids, paper locations, uses
``grpo-sym solve --pi-ref P --beta B ...``     where GRPO drives a binary question
``grpo-sym solve --pi-ref P --preset trl``     ... with a trainer's defaults
``grpo-sym solve --config FILE [--pi-ref P]``  ... with a trainer's own config file
``grpo-sym errata [--only P]``                 printed statements refuted, with corrections
``grpo-sym simulate --pi-ref P --beta B ...``  run the GRPO update, compare with the prediction
``grpo-sym simulate --pi-ref P --config FILE``  ... as a trainer computes it (or --preset NAME)
``grpo-sym latex [-o DIR] [--pdf] [-j N]``     the verified appendix (LaTeX, PDF with --pdf)
``grpo-sym figures [-o DIR]``                  the paper's figures and more, PNG and PDF
``grpo-sym notebooks [-o DIR]``                one walkthrough notebook per part of the paper
``grpo-sym html [-o DIR] [-j N]``              the blueprint: a static site, readable offline
=============================================  =====================================

Exit status: 0 when every claim's outcome is its expected outcome, 1 when one
is not, 2 for a usage error (one line on stderr, no traceback).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import textwrap
import time
from typing import Sequence

__all__ = ["main"]


class UsageError(Exception):
    """A bad command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage + exit 2
        if message.startswith("argument ") and ": -" in message:   # our parsers name it
            message = message[message.index(": -") + 2:]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    from grpo_sym import __version__

    parser = _Parser(prog="grpo-sym", description="The GRPO paper as verified mathematics.")
    parser.add_argument("--version", action="version", version=f"grpo-sym {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    v = sub.add_parser("verify", help="check the claims and report their outcomes")
    v.add_argument("--only", metavar="PATTERN", help="glob on claim ids (e.g. 'eq1*', 's2.2.*')")
    v.add_argument("--json", metavar="FILE", help="write the report as JSON to FILE")
    v.add_argument("--no-cache", action="store_true",
                   help="check every claim afresh (the cache is still refreshed); the cache "
                        "is $GRPO_SYM_CACHE or ~/.cache/grpo_sym, keyed by a content hash of "
                        "each claim and of what it uses")
    v.add_argument("-j", "--jobs", type=_count("-j"), default=1, metavar="N",
                   help="worker processes (default 1)")
    lst = sub.add_parser("list", help="list the claims")
    lst.add_argument("--only", metavar="PATTERN")
    e = sub.add_parser("errata", help="statements printed wrongly, with their corrections")
    e.add_argument("--only", metavar="PATTERN")
    sim = sub.add_parser("simulate", help="run the GRPO update (1) and compare with the "
                                          "predicted stationary policy")
    sim.add_argument("--pi-ref", required=True, type=_policy, metavar="P[,P...]",
                     help="reference policy: one probability (a binary question, better answer "
                          "first) or a comma-separated distribution")
    sim.add_argument("--rewards", type=_rewards, default=None, metavar="R",
                     help="one reward per output: '1,0' or JSON such as "
                          "'[{\"1\": 0.8, \"0\": 0.2}, 0]' (default 1,0 for a binary question)")
    sim.add_argument("--beta", default=None, metavar="B",
                     help="KL coefficient, >= 0 (0: no penalty); required without --config "
                          "and --preset")
    _trainer_options(sim)
    sim.add_argument("--group-size", default=None, metavar="N|inf",
                     help="an integer >= 2 or inf (default 2)")
    sim.add_argument("--std", choices=("population", "bessel"), default=None,
                     help="population (default) or bessel")
    sim.add_argument("--eps", default=None, metavar="E",
                     help="added to the std, >= 0 (default 0)")
    sim.add_argument("--penalty", choices=("grpo", "kl"), default="grpo",
                     help="per-sample penalty: grpo (the paper's D_i, default) or kl "
                          "(log pi/pi_ref)")
    sim.add_argument("--importance-weight", action="store_true",
                     help="multiply the penalty by the ratio rho_i (Sec. 3: direct KL)")
    sim.add_argument("--clip", default=None, metavar="E",
                     help="PPO clip range (default: no clipping)")
    sim.add_argument("--learning-rate", default="0.5",
                     metavar="LR", help="step size on the logits (default 0.5)")
    sim.add_argument("--inner-steps", type=_count("--inner-steps"), default=1, metavar="MU",
                     help="gradient steps per pi_old (default 1)")
    sim.add_argument("--iterations", type=_count("--iterations"), default=2000, metavar="N",
                     help="outer iterations (default 2000)")
    sim.add_argument("--groups", type=_count("--groups"), default=None, metavar="N",
                     help="sample N groups per iteration (default: exact expectation)")
    sim.add_argument("--seed", type=_count("--seed", minimum=0), default=0, metavar="S")
    sim.add_argument("--every", type=_count("--every"), default=None, metavar="K",
                     help="print every K-th iteration (default: about 10 rows)")
    sim.add_argument("--json", action="store_true", help="print JSON (the whole trajectory)")
    tex = sub.add_parser("latex", help="write the verified appendix as LaTeX (and PDF)")
    tex.add_argument("-o", "--output", default="appendix", metavar="DIR",
                     help="output directory (default: appendix)")
    tex.add_argument("--pdf", action="store_true",
                     help="compile with latexmk/pdflatex (needs TeX Live)")
    tex.add_argument("-j", "--jobs", type=_count("-j"), default=1, metavar="N",
                     help="worker processes for the verification (default 1)")
    cov = sub.add_parser("coverage", help="list the proved claims the second prover (z3) "
                                          "did not confirm, and why")
    cov.add_argument("-o", "--output", default="docs/second_prover.md", metavar="FILE",
                     help="output file (default: docs/second_prover.md)")
    cov.add_argument("-j", "--jobs", type=_count("-j"), default=1, metavar="N",
                     help="worker processes for the verification (default 1)")
    fig = sub.add_parser("figures", help="draw the figures (PNG and PDF)")
    fig.add_argument("-o", "--output", default="figures", metavar="DIR",
                     help="output directory (default: figures)")
    nb = sub.add_parser("notebooks", help="write the walkthrough notebooks")
    nb.add_argument("-o", "--output", default="notebooks", metavar="DIR",
                    help="output directory (default: notebooks)")
    h = sub.add_parser("html", help="write the blueprint: a static HTML site of every claim "
                                    "(needs Graphviz's dot)")
    h.add_argument("-o", "--output", default=None, metavar="DIR",
                   help="output directory (default: blueprint)")
    h.add_argument("-j", "--jobs", type=_count("-j"), default=1, metavar="N",
                   help="worker processes for the verification (default 1)")
    s = sub.add_parser("solve", help="stationary policy of a binary question")
    s.add_argument("--pi-ref", default=None, metavar="P",
                   help="reference probability of the better answer, in [0, 1] (required "
                        "without --config; with it, default: a table over 0.01, 0.1, 0.5, 0.9)")
    _trainer_options(s)
    s.add_argument("--beta", default=None, metavar="B",
                   help="KL coefficient, >= 0 (0: no penalty); required without --preset")
    s.add_argument("--margin", default=None, metavar="M",
                   help="gamma = P(a>b) - P(b>a), in (0, 1] (groups of two and G = inf; "
                        "default 1, deterministic rewards)")
    s.add_argument("--group-size", default=None, metavar="N|inf",
                   help="an integer >= 2 or inf (default 2)")
    s.add_argument("--std", choices=("population", "bessel"), default=None,
                   help="normalise by the population std (the paper, default) or the "
                        "Bessel-corrected one (TRL, verl, OpenRLHF)")
    s.add_argument("--eps", default=None, metavar="E",
                   help="added to the std before dividing, >= 0 (default 0)")
    s.add_argument("--penalty", choices=("grpo", "kl"), default="grpo",
                   help="grpo: the paper's estimator (default); kl: the direct-KL penalty")
    s.add_argument("--dps", default=None, metavar="D",
                   help="significant digits (default: float)")
    s.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _trainer_options(parser) -> None:
    """--config and --preset (solve, simulate): the model of a trainer's settings."""
    parser.add_argument("--config", metavar="FILE",
                        help="a trainer's config: TRL GRPOConfig (.json/.yaml), verl YAML, or "
                             "OpenRLHF flags (any other text file); see grpo_sym.numeric.config")
    parser.add_argument("--preset", metavar="NAME",
                        help="a trainer's settings (trl, trl-0.04, verl, openrlhf, dapo, "
                             "deepseekmath, ...: grpo_sym.numeric.presets); for solve, --beta, "
                             "--group-size, --std, --eps override them")


def _policy(text: str) -> list[float]:
    try:
        values = [float(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--pi-ref takes probabilities separated by commas, not {text!r}") from None
    return values if len(values) > 1 else [values[0], 1 - values[0]]


def _rewards(text: str):
    if text.strip().startswith("["):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise argparse.ArgumentTypeError(f"--rewards: not valid JSON ({exc.msg})") from None
        return [{float(k): v for k, v in r.items()} if isinstance(r, dict) else r for r in raw]
    try:
        return [float(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--rewards takes numbers separated by commas or a JSON list, not {text!r}") from None


def _count(option: str, minimum: int = 1):
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = None
        if n is None or n < minimum:    # the wording of the API's errors
            raise argparse.ArgumentTypeError(
                f"{option} must be an integer >= {minimum}, got {text.strip()}")
        return n
    return parse


def _selected(registry, pattern: str | None):
    claims = registry.select(pattern)
    if not claims:
        raise UsageError(f"--only {pattern!r} matches no claim (try 'grpo-sym list')")
    return claims


def _outcome_text(r) -> str:
    text = r.symbolic if r.symbolic != "refuted" else "refuted (expected)" \
        if r.expected == "refuted" else "REFUTED"
    if r.symbolic == "unproved":
        text = "UNPROVED"
    if not r.ok and r.symbolic == "proved":
        text = f"proved, numeric {r.numeric}"
    return text


def _table(results) -> str:
    rows = [("id", "paper", "outcome", "numeric", "confirmed by", "s")]
    for r in results:
        mark = "" if r.ok else "  <-- expected " + r.expected
        rows.append((r.id, r.paper, _outcome_text(r) + mark, r.numeric,
                     ",".join(r.confirmed_by) or "-", f"{r.seconds:.2f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths)) + "  " + row[5])
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def paper_statements(registry, results) -> dict[str, list[str]]:
    """The statements of the paper (Sections 1-3, Appendices A-B; not the package's
    additions) among ``results``, split into those proved in the paper's generality
    (a general claim, verified), the named axioms (assumed, not proved) and those
    proved only at instances."""
    from grpo_sym import derivations
    from grpo_sym.render.model import statement_status

    beyond = {f"grpo_sym.derivations.{m}" for part in derivations.SECTIONS
              if part.key == "beyond" for m in part.modules}
    by_id = {r.id: r for r in results}
    out: dict[str, list[str]] = {"general": [], "instances_only": [], "assumed": [],
                                 "not_verified": []}
    for sid, (general, instances) in registry.statements().items():
        if all(c.module in beyond for c in [general, *instances] if c is not None and c.id in by_id):
            continue
        status = statement_status(general, instances, by_id)
        if status is not None:
            out[status].append(sid)
    return out


def summarise(results, registry=None) -> dict:
    statements = paper_statements(registry, results) if registry is not None else {}
    return {
        "statements": statements,
        "claims": len(results),
        "proved": sum(r.symbolic == "proved" for r in results),
        "refuted": sum(r.symbolic == "refuted" for r in results),
        "unproved": sum(r.symbolic == "unproved" for r in results),
        "assumed": [r.id for r in results if r.symbolic == "assumed"],
        "as_expected": sum(r.ok for r in results),
        "verified": sum(r.verified for r in results),
        "failed": [r.id for r in results if not r.ok],
        "confirmed_by_smt": sum("smt" in r.confirmed_by for r in results),
        "confirmed_by_arb": sum("arb" in r.confirmed_by for r in results),
        "seconds": round(sum(r.seconds for r in results), 3),
    }


def report_json(results, registry=None) -> str:
    from grpo_sym.proof import assumed_axioms

    claims = []
    for r in results:
        row = r.as_json()
        if registry is not None and r.id in registry:
            c = registry[r.id]
            row["generality"], row["instance_of"] = c.generality, c.instance_of
            row["assumes"] = [a for a in assumed_axioms(c, registry) if a != c.id]
        claims.append(row)
    return json.dumps({"claims": claims, "summary": summarise(results, registry)},
                      indent=2, ensure_ascii=False) + "\n"


_WALL = "\0wall\0"    # where a report's wall time goes when it is printed


def cmd_verify(args) -> int:
    from grpo_sym.proof.cache import ResultCache, tree_key

    if args.json:
        parent = os.path.dirname(os.path.abspath(args.json))
        if not os.path.isdir(parent):
            raise UsageError(f"cannot write {args.json}: no directory {parent}")
    t0 = time.perf_counter()
    cache = ResultCache.default(read=not args.no_cache)
    # an unchanged source tree has an unchanged report: reprinted without loading the
    # registry (the per-claim results are keyed by content, see grpo_sym.proof.cache)
    key = tree_key("verify", args.only or "")
    report = cache.get_report(key)
    if report is None:
        report = _verify_report(args, cache)
        cache.put_report(key, report)
    print(report["text"].replace(_WALL, f"{time.perf_counter() - t0:.1f}"))
    if args.json:
        try:
            with open(args.json, "w", encoding="utf-8") as fh:
                fh.write(report["json"])
        except OSError as exc:
            raise UsageError(f"cannot write {args.json}: {exc.strerror}") from None
    return report["status"]


def _verify_report(args, cache) -> dict:
    """Verify the selected claims: the report's text (the wall time left as
    ``_WALL``), its JSON and the exit status."""
    from grpo_sym import load_registry
    from grpo_sym.proof import assumed_axioms, verify_all

    registry = load_registry()
    claims = _selected(registry, args.only)
    tty = sys.stderr.isatty()

    def progress(r, done, total):
        if tty:
            sys.stderr.write(f"\r\x1b[K[{done}/{total}] {r.id} {r.symbolic} ({r.seconds:.2f}s)")
            sys.stderr.flush()

    results = list(verify_all(registry, claims, jobs=args.jobs, loader=load_registry,
                              progress=progress, cache=cache).values())
    if tty:
        sys.stderr.write("\r\x1b[K")
    s = summarise(results, registry)
    out = [_table(results), "",
           f"{s['claims']} claims: {s['proved']} proved, {s['refuted']} refuted, "
           f"{s['unproved']} unproved, {len(s['assumed'])} assumed; {s['as_expected']} as "
           f"expected, {s['verified']} fully verified (with all they use); {_WALL} s wall",
           f"second prover: {s['confirmed_by_smt']} confirmed by the SMT solver (z3), "
           f"{s['confirmed_by_arb']} witnesses and counterexamples decided by Arb interval "
           "arithmetic"]
    if s["assumed"]:
        resting = sum(bool(assumed_axioms(registry[r.id], registry)) for r in results
                      if r.symbolic != "assumed")
        out.append(f"assumed (named axioms, not proved): {', '.join(s['assumed'])}; "
                   f"{resting} claims rest on them")
    st = s["statements"]
    out.append(f"generality: of {sum(map(len, st.values()))} statements of the paper (Sec. 1-3, "
               f"App. A-B), {len(st['general'])} proved in the paper's generality (any number of "
               f"outputs K, any group size G), {len(st['assumed'])} assumed (named axioms), "
               f"{len(st['instances_only'])} only at instances"
               + (f", {len(st['not_verified'])} not verified" if st["not_verified"] else "")
               + (":" if st["instances_only"] else ""))
    if st["instances_only"]:
        out.append(textwrap.fill(", ".join(st["instances_only"]), width=100,
                                 initial_indent="  ", subsequent_indent="  ",
                                 break_on_hyphens=False))
    out += [f"  {r.id}: {r.detail} [numeric: {r.numeric_detail}]" for r in results if not r.ok]
    return {"text": "\n".join(out), "json": report_json(results, registry),
            "status": 0 if not s["failed"] else 1}


def cmd_list(args) -> int:
    from grpo_sym import load_registry

    registry = load_registry()
    for c in _selected(registry, args.only):
        uses = ", ".join(u.id for u in c.uses)
        print(f"{c.id:55s} {c.paper:35s} {c.expected.value:8s} {uses}")
    return 0


_RELATION_SIGNS = {"==": "=", "!=": "≠", ">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _short(statement, limit: int = 160) -> str:
    """A relation as one line of plain math (``lhs = rhs``, powers as ^), or a pointer to
    its LaTeX when it is long."""
    import sympy as sp

    sides = [sp.sstr(side).replace("**", "^") for side in (statement.lhs, statement.rhs)]
    text = f" {_RELATION_SIGNS.get(statement.rel_op, statement.rel_op)} ".join(sides)
    return text if len(text) <= limit else "(long; its LaTeX is in 'grpo-sym verify --json')"


def cmd_errata(args) -> int:
    """Every claim expected to be refuted: where, what, the witness, the correction."""
    from grpo_sym import load_registry
    from grpo_sym.proof import Witness

    registry = load_registry()
    printed = [c for c in _selected(registry, args.only) if c.expected.value == "refuted"]
    for c in printed:
        print(f"{c.id}  [{c.paper}]")
        print(f"  as printed: {_short(c.statement)}")
        print(f"  {c.prose}")
        if isinstance(c.proof, Witness):
            point = ", ".join(f"{k} = {v}" for k, v in
                              sorted(c.proof.point.items(), key=lambda kv: str(kv[0])))
            print(f"  counterexample: {point}")
        fix = c.corrected_by
        print(f"  corrected: {fix.id}: {_short(fix.statement)}" if fix else "  corrected: (none)")
        if fix is not None and fix.prose:
            print(f"    {fix.prose}")
        print()
    print(f"{len(printed)} printed statements refuted (run 'grpo-sym verify' to confirm each)")
    return 0


def _output_dir(path: str) -> str:
    """``path`` if it is, or can be made, a directory; a usage error otherwise."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"-o {path}: exists and is not a directory")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"-o {path}: cannot create it ({exc.strerror})") from None
    return path


def cmd_simulate(args) -> int:
    from grpo_sym.simulate import simulate

    if args.config is not None or args.preset is not None:
        r = _simulate_trainer(args)
    else:
        if args.beta is None:
            raise UsageError("--beta is required (or --config FILE, or --preset NAME)")
        rewards = args.rewards if args.rewards is not None else \
            [1.0] + [0.0] * (len(args.pi_ref) - 1)
        try:
            r = simulate(args.pi_ref, rewards, args.beta,
                         group_size=args.group_size if args.group_size is not None else "2",
                         std=args.std or "population",
                         eps=args.eps if args.eps is not None else "0", penalty=args.penalty,
                         importance_weight=args.importance_weight, clip=args.clip,
                         learning_rate=args.learning_rate,
                         inner_steps=args.inner_steps, iterations=args.iterations,
                         groups=args.groups, seed=args.seed)
        except (ValueError, TypeError) as exc:
            raise UsageError(_option_message(str(exc))) from None
        except FloatingPointError:
            raise UsageError(f"--learning-rate {args.learning_rate}: the simulation diverged "
                             "(a non-finite policy); lower it") from None

    def fmt(policy) -> str:
        return "(" + ", ".join(f"{float(x):.10f}" for x in policy) + ")"

    if args.json:
        import decimal
        print(json.dumps({"settings": {k: (str(v) if isinstance(v, (float, decimal.Decimal)) else v)
                                       for k, v in vars(args).items() if k != "command"},
                          "trajectory": [[float(x) for x in row] for row in r.trajectory],
                          "final": [float(x) for x in r.final],
                          "predicted": None if r.predicted is None else [float(x) for x in r.predicted],
                          "distance": r.distance, "iterations": r.iterations}))
        return 0
    every = args.every or max(1, r.iterations // 10)
    print(f"{'iteration':>9}  pi_theta")
    for k in range(0, r.iterations + 1):
        if k % every == 0 or k == r.iterations:
            print(f"{k:>9}  {fmt(r.trajectory[k])}")
    print(f"final      {fmt(r.final)}")
    if r.predicted is None:
        print("predicted  (none: this penalty has no stationary-policy equation here)")
    else:
        which = "stationary_trainer" if (args.config or args.preset) else "stationary_policy"
        print(f"predicted  {fmt(r.predicted)}   ({which})")
        print(f"distance   {r.distance:.3e}   (max over outputs)")
        if args.groups:
            print(f"tail mean  {fmt(r.tail_mean)}   distance {r.tail_distance:.3e}")
    return 0


def _verify_everything(jobs: int):
    """The registry and every claim's result (through the result cache), and the
    seconds it took."""
    from grpo_sym import load_registry
    from grpo_sym.proof import ResultCache, verify_all

    t0 = time.perf_counter()
    registry = load_registry()
    results = verify_all(registry, list(registry), jobs=jobs, loader=load_registry,
                         cache=ResultCache.default())
    return registry, results, time.perf_counter() - t0


def _failed_status(results, where: str) -> int:
    """Exit status 1, and the claims named on stderr, when one is not as expected."""
    failed = [r.id for r in results.values() if not r.ok]
    if failed:
        print(f"{len(failed)} claims not as expected (marked in the {where}): "
              + ", ".join(failed[:10]), file=sys.stderr)
    return 0 if not failed else 1


def cmd_latex(args) -> int:
    from grpo_sym.render.latex import LatexError, write_appendix

    out = _output_dir(args.output)
    registry, results, seconds = _verify_everything(args.jobs)
    t1 = time.perf_counter()
    try:
        build = write_appendix(out, registry=registry, results=results, pdf=args.pdf)
    except LatexError as exc:
        print(f"grpo-sym: latex: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {build.tex} ({build.claims} claims; verified in {seconds:.1f} s, "
          f"rendered in {time.perf_counter() - t1:.1f} s)")
    if build.pdf:
        print(f"wrote {build.pdf} ({build.pages} pages)")
    return _failed_status(results, "appendix")


def cmd_coverage(args) -> int:
    from grpo_sym import load_registry
    from grpo_sym.proof import ResultCache, verify_all
    from grpo_sym.render.coverage import second_prover_markdown

    parent = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(parent):
        raise UsageError(f"-o {args.output}: no directory {parent}")
    registry = load_registry()
    results = verify_all(registry, list(registry), jobs=args.jobs, loader=load_registry,
                         cache=ResultCache.default())
    try:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(second_prover_markdown(results.values()))
    except OSError as exc:
        raise UsageError(f"-o {args.output}: cannot write it ({exc.strerror})") from None
    print(f"wrote {args.output}")
    return 0


def cmd_figures(args) -> int:
    from grpo_sym.render.figures import write_figures

    for path in write_figures(_output_dir(args.output)):
        print(f"wrote {path}")
    return 0


def cmd_notebooks(args) -> int:
    from grpo_sym.render.notebooks import write_notebooks

    for path in write_notebooks(_output_dir(args.output)):
        print(f"wrote {path}")
    return 0


def cmd_html(args) -> int:
    import shutil

    from grpo_sym.render.html import GraphvizError, write_site
    from grpo_sym.render.model import BLUEPRINT_DIR

    if shutil.which("dot") is None:
        raise UsageError("html needs Graphviz's dot: install it (Debian: apt-get install graphviz)")
    out = _output_dir(args.output or BLUEPRINT_DIR)
    if not os.access(out, os.W_OK):
        raise UsageError(f"-o {out}: not writable")
    registry, results, seconds = _verify_everything(args.jobs)
    t1 = time.perf_counter()
    try:
        paths = write_site(out, registry=registry, results=results)
    except GraphvizError as exc:
        print(f"grpo-sym: html: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        raise UsageError(f"-o {out}: cannot write it ({exc.strerror})") from None
    print(f"wrote {len(paths)} files into {out} ({len(registry)} claims; verified in "
          f"{seconds:.1f} s, rendered in {time.perf_counter() - t1:.1f} s); open "
          f"{os.path.join(out, 'index.html')}")
    return _failed_status(results, "site")


def _solve_settings(args) -> dict:
    """beta, margin, group size, std and eps from the options (no preset)."""
    settings = {"beta": None, "margin": 1.0, "group_size": 2, "std": "population", "eps": 0.0}
    for key in settings:
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    if settings["beta"] is None:
        raise UsageError("--beta is required (or --preset NAME, or --config FILE)")
    return settings


_API_NAMES = ("learning_rate", "inner_steps", "importance_weight", "group_size", "pi_ref",
              "rewards", "margin", "beta", "dps", "std", "eps", "penalty", "clip", "iterations",
              "groups", "seed")


def _trainer_usage_error(exc: Exception) -> "UsageError":
    """A config, preset or option problem of ``solve``/``simulate`` as one line."""
    from grpo_sym.numeric.config import ConfigError

    if isinstance(exc, ConfigError):
        return UsageError(str(exc))
    msg = str(exc)
    return UsageError(f"--preset: {msg}" if msg.startswith("name ") else _option_message(msg))


def _option_message(msg: str) -> str:
    """A ValueError of the numeric API, naming the command-line option."""
    for name in _API_NAMES:
        msg = msg.replace(f"{name}=", f"--{name.replace('_', '-')} ")
        if msg.startswith(name):
            msg = "--" + name.replace("_", "-") + msg[len(name):]
    return msg


def cmd_solve(args) -> int:
    import mpmath

    from grpo_sym.numeric import stationary_binary_pair, validate

    if args.config is not None or args.preset is not None:
        return _solve_trainer(args)
    if args.pi_ref is None:
        raise UsageError("--pi-ref is required (or --config FILE)")
    st = _solve_settings(args)
    # the text as typed: the API reads it as decimals (exact at --dps), never evaluates it
    try:
        dps = validate.digits(args.dps)
        G = validate.group_size_value(st["group_size"])
        res = stationary_binary_pair(args.pi_ref, st["beta"], margin=st["margin"], group_size=G,
                                     std=st["std"], eps=st["eps"], penalty=args.penalty,
                                     dps=dps)
    except (ValueError, TypeError) as exc:
        raise UsageError(_option_message(str(exc))) from None

    def show(x) -> str:
        return mpmath.nstr(x, dps) if dps else repr(float(x))

    G = "inf" if G == math.inf else str(G)
    if args.json:
        print(json.dumps({"pi_ref": str(args.pi_ref), "beta": str(st["beta"]),
                          "margin": str(st["margin"]), "group_size": G, "std": st["std"],
                          "eps": str(st["eps"]), "penalty": args.penalty,
                          "dps": dps, "pi_theta_a": show(res.a), "pi_theta_b": show(res.b)}))
    else:
        print(f"pi_theta(a|q) = {show(res.a)}   (better answer)")
        print(f"pi_theta(b|q) = {show(res.b)}")
    return 0


def _describe(st) -> str:
    """One line: the TrainerSettings a preset or a config stands for."""
    G = "inf" if st.group_size == math.inf else str(st.group_size)
    estimator = st.estimator + (" (straight-through k2 gradient)" if st.straight_through else "")
    clamps = ", ".join(f"{n} {v:g}" for n, v in (("log-ratio clamp", st.log_ratio_clamp),
                                                 ("value clamp", st.value_clamp)) if v is not None)
    scaling = {"group": f"group std ({st.std}, eps {float(st.eps):g})",
               "batch": f"batch std {float(st.batch_std):g} (eps {float(st.eps):g})",
               "none": "none (mean only)"}[st.scaling]
    return (f"beta = {float(st.beta):g}, G = {G}, estimator {estimator}"
            f"{' [' + clamps + ']' if clamps else ''}, placement {st.placement}, scaling "
            f"{scaling}, dynamic sampling {'on' if st.dynamic_sampling else 'off'}")


def _solve_trainer(args) -> int:
    """``solve --config FILE`` or ``--preset NAME``: the settings (and for a config the keys
    read and ignored), the divergence penalised, the stationary policy."""
    import dataclasses

    import mpmath

    from grpo_sym.numeric import validate
    from grpo_sym.numeric.config import ConfigError, from_config
    from grpo_sym.numeric.presets import preset
    from grpo_sym.numeric.trainers import divergence_penalised, stationary_trainer

    source = "--config" if args.config is not None else "--preset"
    fixed = ("preset", "beta", "margin", "group_size", "std", "eps") if args.config else \
        ("config", "margin")
    clash = [o for o in fixed if getattr(args, o) is not None] + \
        (["penalty"] if args.penalty != "grpo" else [])
    if clash:
        raise UsageError(f"--{clash[0].replace('_', '-')}: not with {source} (it sets the "
                         f"penalty)")
    try:
        dps = validate.digits(args.dps)
        if args.config is not None:
            reading = from_config(args.config)
            st, title = reading.settings, f"{args.config}: {reading.trainer}"
        else:
            reading, st = None, preset(args.preset).settings
            title = f"preset {args.preset}"
            options = {k: getattr(args, k) for k in ("beta", "group_size", "std", "eps")
                       if getattr(args, k) is not None}
            st = dataclasses.replace(st, **options)
        pi_refs = [args.pi_ref] if args.pi_ref is not None else ["0.01", "0.1", "0.5", "0.9"]
        rows = [(f, stationary_trainer(f, st, dps=dps)) for f in pi_refs]
    except (ConfigError, ValueError, TypeError) as exc:
        raise _trainer_usage_error(exc) from None

    def show(x) -> str:
        return mpmath.nstr(x, dps) if dps else repr(float(x))

    divergence = divergence_penalised(st)
    if args.json:
        print(json.dumps({"config": args.config, "preset": args.preset,
                          "trainer": reading.trainer if reading else None,
                          "settings": {k: str(v) for k, v in vars(st).items()},
                          "mapped": [list(m) for m in reading.mapped] if reading else [],
                          "ignored": [list(i) for i in reading.ignored] if reading else [],
                          "divergence": divergence, "dps": dps,
                          "rows": [{"pi_ref": str(f), "pi_theta_a": show(r.a),
                                    "pi_theta_b": show(r.b)} for f, r in rows]}))
        return 0
    print(title)
    for key, what in reading.mapped if reading else ():
        print(f"  read    {key}: {what}")
    for key, why in reading.ignored if reading else ():
        print(f"  ignored {key}: {why}")
    print(f"model: {_describe(st)}")
    print(f"divergence penalised: {divergence}")
    for f, r in rows:
        print(f"pi_ref(a) = {f}: pi_theta(a|q) = {show(r.a)}, pi_theta(b|q) = {show(r.b)}")
    return 0


def _simulate_trainer(args):
    """``simulate --config FILE`` / ``--preset NAME``: simulate_trainer on a binary question."""
    from grpo_sym.numeric.config import ConfigError, from_config
    from grpo_sym.numeric.presets import preset
    from grpo_sym.simulate import simulate_trainer

    source = "--config" if args.config is not None else "--preset"
    given = [o for o in ("config" if source == "--preset" else "preset", "beta", "group_size",
                         "std", "eps", "rewards", "clip") if getattr(args, o) is not None]
    given += [o for o, on in (("penalty", args.penalty != "grpo"),
                              ("importance_weight", args.importance_weight),
                              ("inner_steps", args.inner_steps != 1)) if on]
    if given:
        raise UsageError(f"--{given[0].replace('_', '-')}: not with {source} (it sets the "
                         f"update)")
    if len(args.pi_ref) != 2:
        raise UsageError(f"--pi-ref: {source} simulates a binary question: give pi_ref(a), "
                         f"one probability")
    try:
        settings = (from_config(args.config).settings if args.config is not None
                    else preset(args.preset).settings)
        return simulate_trainer(args.pi_ref[0], settings, learning_rate=args.learning_rate,
                                iterations=args.iterations, groups=args.groups,
                                seed=args.seed)
    except (ConfigError, ValueError, TypeError) as exc:
        raise _trainer_usage_error(exc) from None
    except FloatingPointError:
        raise UsageError(f"--learning-rate {args.learning_rate}: the simulation diverged; "
                         "lower it") from None


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        commands = {"verify": cmd_verify, "list": cmd_list, "solve": cmd_solve,
                    "errata": cmd_errata, "latex": cmd_latex, "simulate": cmd_simulate, "figures": cmd_figures,
                    "notebooks": cmd_notebooks, "coverage": cmd_coverage, "html": cmd_html}
        return commands[args.command](args)
    except UsageError as exc:
        print(f"grpo-sym: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("grpo-sym: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head: not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
