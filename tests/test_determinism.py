"""Verdicts do not depend on the clock: a run on a saturated machine writes the
same report as a run on an idle one (apart from the ``seconds`` fields).

The engine has no wall-clock limit anywhere (its budgets are sizes, case counts
and precisions), so this holds by construction; the test keeps it so.  Both
cores are saturated by busy loops during the run.  The idle run it is compared with
is the session's own verification (the ``results`` fixture, in worker processes or read
from the session's cache): the busy run is the only extra work.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

# witnesses decided exactly, limits, chains and certificates, a premise
PATTERN = "s2.3.1.pairs.*"


def _without_seconds(data: dict) -> dict:
    for c in data["claims"]:
        c.pop("seconds")
    data["summary"].pop("seconds", None)
    data["summary"].pop("wall_seconds", None)
    return data


def _report(tmp_path, name: str) -> dict:
    out = tmp_path / name
    subprocess.run([sys.executable, "-m", "grpo_sym.cli", "verify", "--only", PATTERN, "-j", "2",
                    "--no-cache", "--json", str(out)], check=False, capture_output=True, text=True)
    return _without_seconds(json.loads(out.read_text()))


def test_report_identical_idle_and_saturated(tmp_path, results, registry):
    from grpo_sym.cli import report_json
    busy = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(os.cpu_count() or 2)]
    try:
        loaded = _report(tmp_path, "busy.json")
    finally:
        for p in busy:
            p.kill()
            p.wait()
    ids = [c["id"] for c in loaded["claims"]]
    idle = _without_seconds(json.loads(report_json([results[cid] for cid in ids], registry)))
    assert idle["claims"], "the pattern selected no claim"
    assert idle == loaded
    assert all(c["ok"] for c in idle["claims"]), [c["id"] for c in idle["claims"] if not c["ok"]]
