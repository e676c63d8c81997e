"""Verdicts do not depend on the clock: a run on a saturated machine writes the
same report as a run on an idle one (apart from the ``seconds`` fields).

The engine has no wall-clock limit anywhere (its budgets are sizes, case counts
and precisions), so this holds by construction; the test keeps it so.  Both
cores are saturated by busy loops during the second run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

# witnesses decided exactly, limits, chains and certificates, a premise
PATTERN = "s2.3.1.pairs.*"


def _report(tmp_path, name: str) -> dict:
    out = tmp_path / name
    subprocess.run([sys.executable, "-m", "grpo_sym.cli", "verify", "--only", PATTERN, "-j", "2",
                    "--no-cache", "--json", str(out)], check=False, capture_output=True, text=True)
    data = json.loads(out.read_text())
    for c in data["claims"]:
        c.pop("seconds")
    data["summary"].pop("seconds", None)
    data["summary"].pop("wall_seconds", None)
    return data


def test_report_identical_idle_and_saturated(tmp_path):
    idle = _report(tmp_path, "idle.json")
    busy = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(os.cpu_count() or 2)]
    try:
        loaded = _report(tmp_path, "busy.json")
    finally:
        for p in busy:
            p.kill()
            p.wait()
    assert idle["claims"], "the pattern selected no claim"
    assert idle == loaded
    assert all(c["ok"] for c in idle["claims"]), [c["id"] for c in idle["claims"] if not c["ok"]]
