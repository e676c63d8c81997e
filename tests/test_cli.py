"""The grpo-sym command line: exit codes, messages, the JSON report."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from grpo_sym.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "grpo_sym.cli", *args],
                          capture_output=True, text=True)


@pytest.mark.parametrize("args, message", [
    (["verify", "--only", "no-such-claim*"], "matches no claim"),
    (["verify", "--frobnicate"], "unrecognized arguments"),
    (["verify", "-j", "0"], "error: -j must be an integer >= 1, got 0"),
    (["verify", "-j", "two"], "error: -j must be an integer >= 1, got two"),
    (["verify", "--json", "/no/such/dir/report.json"], "cannot write"),
    (["coverage", "-o", "/no/such/dir/list.md"], "no directory"),
    (["simulate", "--pi-ref", "0.5,0.5", "--beta", "0.1", "--learning-rate", "1e6"],
     "--learning-rate 1e6: the simulation diverged"),
    ([], "required"),
])
def test_usage_errors_exit_2_with_one_line(args, message):
    p = run(*args)
    assert p.returncode == 2
    assert message in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    assert "Traceback" not in p.stderr + p.stdout


def test_verify_json_report_is_deterministic(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["verify", "--only", "s2.1.pairs.*", "--no-cache", "--json", str(a)]) == 0
    assert main(["verify", "--only", "s2.1.pairs.*", "--no-cache", "--json", str(b), "-j",
                 "2"]) == 0
    out = capsys.readouterr().out
    assert "s2.1.pairs.advantage-sign" in out and "claims:" in out

    def strip(path):
        data = json.loads(path.read_text())
        for c in data["claims"]:
            c.pop("seconds")
        data["summary"].pop("seconds")
        return data

    da, db = strip(a), strip(b)
    assert da == db
    first = da["claims"][0]
    assert set(first) >= {"id", "paper", "statement_latex", "expected", "symbolic", "numeric",
                          "ok", "seconds" if False else "uses", "counterexample"}
    assert da["summary"]["claims"] == len(da["claims"])


def test_verify_includes_ancestors_and_reports_refutation(tmp_path, results):
    # ``results``: the session's verification first, so that this run reads its cache
    out = tmp_path / "r.json"
    assert main(["verify", "--only", "s1.advantage.shift-scale-invariance", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    printed = next(c for c in data["claims"] if c["id"] == "s1.advantage.shift-scale-invariance")
    assert printed["expected"] == "refuted" and printed["symbolic"] == "refuted" and printed["ok"]
    assert printed["counterexample"]["point"]


def test_verify_reports_generality_and_assumed_axioms(tmp_path, capsys, results):
    out = tmp_path / "g.json"
    assert main(["verify", "--only", "eq7*", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    data = json.loads(out.read_text())
    rows = {c["id"]: c for c in data["claims"]}
    assert rows["eq7"]["generality"] == "general" and rows["eq7"]["instance_of"] == ""
    assert rows["eq7"]["assumes"] == ["s2.2.group-average"]
    assert rows["eq7.k3"]["generality"] == "instances" and rows["eq7.k3"]["instance_of"] == "eq7"
    assert rows["s2.2.group-average"]["symbolic"] == "assumed"
    st = data["summary"]["statements"]
    assert "eq7" in st["general"] and "eq7" not in st["instances_only"]
    assert "s2.2.group-average" in st["assumed"] and "s2.2.group-average" not in st["general"]
    assert "assumed (named axioms, not proved): s2.2.group-average" in text
    assert "proved in the paper's generality" in text


def test_verify_exits_1_when_a_claim_is_not_as_expected(monkeypatch, capsys, tmp_path):
    from grpo_sym.proof import verify as verify_mod
    monkeypatch.setenv("GRPO_SYM_CACHE", str(tmp_path))   # the broken verdict stays here
    real = verify_mod.verify_claim

    def broken(c, dps=50):
        r = real(c, dps)
        r.ok = False
        return r

    monkeypatch.setattr(verify_mod, "verify_claim", broken)
    assert main(["verify", "--only", "s2.1.pairs.advantage-sign", "--no-cache"]) == 1


def test_list_shows_uses(capsys):
    assert main(["list", "--only", "s1.advantage.pairwise-form"]) == 0
    out = capsys.readouterr().out
    assert "s1.advantage.denominator-identity" in out


def test_solve_prints_both_answers(capsys):
    assert main(["solve", "--pi-ref", "0.2", "--beta", "0.04"]) == 0
    out = capsys.readouterr().out
    assert "pi_theta(a|q) = 0.9682622246293481" in out
    assert "pi_theta(b|q) = 0.03173777537065188" in out


def test_solve_json_and_digits(capsys):
    assert main(["solve", "--pi-ref", "1e-300", "--beta", "1e6", "--dps", "30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # exact decimal input: c f / (c - 1) + ... = 1e-300 * (1 + 1e-6 + 1e-12 + ...)
    assert data["pi_theta_a"].startswith("1.000001000001000001000001")
    assert data["group_size"] == "2" and data["dps"] == 30


@pytest.mark.parametrize("args, message", [
    (["--pi-ref", "1.5", "--beta", "0.1"], "--pi-ref must be a probability"),
    (["--pi-ref", "0.2", "--beta", "-1"], "--beta must be a non-negative number"),
    (["--pi-ref", "0.2"], "--beta is required"),
    (["--pi-ref", "0.2", "--preset", "nope"], "--preset"),
    (["--pi-ref", "0.2", "--beta", "1", "--eps", "-1"], "--eps"),
    (["--pi-ref", "0.2", "--beta", "1", "--std", "sample"], "invalid choice"),
    (["--pi-ref", "0.2", "--beta", "nan"], "--beta must be a non-negative number, got nan"),
    (["--pi-ref", "__import__('os').system('true')", "--beta", "1"], "--pi-ref must be a number"),
    (["--pi-ref", "2**-3", "--beta", "1"], "--pi-ref must be a number, got '2**-3'"),
    (["--pi-ref", "0.2", "--beta", "1", "--margin", "0"], "--margin must be in (0, 1]"),
    (["--pi-ref", "0.2", "--beta", "1", "--group-size", "1"], "--group-size must be an integer"),
    (["--pi-ref", "0.2", "--beta", "1", "--group-size", "8", "--margin", "0.5"], "--margin"),
    (["--pi-ref", "0.2", "--beta", "1", "--dps", "x"], "--dps must be a whole number"),
    (["--beta", "1"], "--pi-ref is required"),
])
def test_solve_bad_input_exit_2_one_line(args, message):
    p = run("solve", *args)
    assert p.returncode == 2, p.stdout
    assert message in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def test_errata_lists_each_refuted_statement_with_its_correction(capsys):
    import grpo_sym
    refuted = [c for c in grpo_sym.load_registry() if c.expected.value == "refuted"]
    assert main(["errata"]) == 0
    out = capsys.readouterr().out
    for c in refuted:
        assert c.id in out
    assert f"{len(refuted)} printed statements refuted" in out
    assert "c = -1, d = 0" in out          # the witness of the shift-and-scale invariance
    assert "Eq(" not in out and "**" not in out       # plain math, not SymPy's repr
    assert "as printed: 1 = pi_ref_a" in out          # (the vertex case of (11))


def test_solve_direct_kl_penalty(capsys):
    assert main(["solve", "--pi-ref", "0.3", "--beta", "0.5", "--group-size", "inf",
                 "--penalty", "kl"]) == 0
    assert "pi_theta(a|q) = 1.0" in capsys.readouterr().out   # below the threshold beta*(0.3)
    assert run("solve", "--pi-ref", "0.3", "--beta", "1", "--penalty", "l2").returncode == 2


def test_simulate_lands_on_the_prediction(capsys):
    assert main(["simulate", "--pi-ref", "0.2", "--beta", "0.5", "--group-size", "4",
                 "--iterations", "300", "--learning-rate", "2"]) == 0
    out = capsys.readouterr().out
    distance = float(out.split("distance")[1].split()[0])
    assert distance < 1e-9
    assert "predicted  (0.7753039222" in out


def test_simulate_json_and_stochastic_rewards(capsys):
    assert main(["simulate", "--pi-ref", "0.2,0.3,0.5", "--rewards",
                 '[1, {"1": 0.5, "0": 0.5}, 0]', "--beta", "0.5", "--iterations", "400",
                 "--learning-rate", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["trajectory"]) == data["iterations"] + 1
    assert data["distance"] < 1e-8 and abs(sum(data["final"]) - 1) < 1e-12


@pytest.mark.parametrize("args, message", [
    (["--pi-ref", "0.2", "--beta", "-1"], "--beta must be a non-negative number, got -1"),
    (["--pi-ref", "0.2,0.9", "--beta", "1"], "--pi-ref must sum to 1"),
    (["--pi-ref", "0.2", "--beta", "1", "--learning-rate", "0"], "--learning-rate"),
    (["--pi-ref", "0.2", "--beta", "1", "--rewards", "1,x"], "--rewards"),
    (["--pi-ref", "0.2", "--beta", "1", "--rewards", "1,0,0"], "rewards"),
    (["--pi-ref", "0.2", "--beta", "1", "--iterations", "0"],
     "--iterations must be an integer >= 1, got 0"),
    (["--pi-ref", "0.2", "--beta", "nan"], "--beta"),
])
def test_simulate_usage_errors(args, message):
    p = run("simulate", *args)
    assert p.returncode == 2, p.stderr
    assert message in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


# -- one contract for the API and the command line ------------------------------------------

@pytest.mark.parametrize("kwargs, argv", [
    (dict(pi_ref="1.5", beta="0.1"), ["--pi-ref", "1.5", "--beta", "0.1"]),
    (dict(pi_ref="0.2", beta="inf"), ["--pi-ref", "0.2", "--beta", "inf"]),
    (dict(pi_ref="0.2", beta="-1"), ["--pi-ref", "0.2", "--beta", "-1"]),
    (dict(pi_ref="0.2", beta="1", group_size="2.5"), ["--pi-ref", "0.2", "--beta", "1",
                                                      "--group-size", "2.5"]),
    (dict(pi_ref="0.2", beta="1", margin="0.5", group_size="inf"),
     ["--pi-ref", "0.2", "--beta", "1", "--margin", "0.5", "--group-size", "inf"]),
    (dict(pi_ref="0.2", beta="1", eps="-1e-4"), ["--pi-ref", "0.2", "--beta", "1",
                                                "--eps=-1e-4"]),
    (dict(pi_ref="x", beta="1"), ["--pi-ref", "x", "--beta", "1"]),
    (dict(pi_ref="0.2", beta="1", dps="0"), ["--pi-ref", "0.2", "--beta", "1", "--dps", "0"]),
])
def test_api_and_cli_give_the_same_error_in_the_users_words(kwargs, argv):
    """The CLI passes the text as typed; the API's message, with the option's name."""
    from grpo_sym.cli import _option_message
    from grpo_sym.numeric import stationary_binary
    with pytest.raises(ValueError) as err:
        stationary_binary(**kwargs)
    p = run("solve", *argv)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.strip() == "grpo-sym: error: " + _option_message(str(err.value))
    assert "math.inf" not in p.stderr and "None" not in p.stderr


def test_group_size_2_0_is_2_in_the_api_and_the_cli(capsys):
    from grpo_sym.numeric import stationary_binary
    assert main(["solve", "--pi-ref", "0.2", "--beta", "0.04", "--group-size", "2.0"]) == 0
    out = capsys.readouterr().out
    assert f"pi_theta(a|q) = {stationary_binary(0.2, 0.04, group_size=2.0)!r}" in out
    assert stationary_binary(0.2, 0.04, group_size=2.0) == stationary_binary(0.2, 0.04)


def test_beta_0_is_no_penalty_in_solve_and_simulate(capsys):
    assert main(["solve", "--pi-ref", "0.3", "--beta", "0", "--group-size", "8"]) == 0
    assert "pi_theta(a|q) = 1.0" in capsys.readouterr().out
    assert main(["simulate", "--pi-ref", "0.3", "--beta", "0", "--iterations", "20"]) == 0
    assert "predicted  (1.0000000000, 0.0000000000)" in capsys.readouterr().out


def test_version(capsys):
    import grpo_sym
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"grpo-sym {grpo_sym.__version__}"
