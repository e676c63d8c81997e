"""grpo_sym.numeric.config and ``grpo-sym solve --config``: the example configs of each
trainer under examples/, and bad configs (one-line errors naming the key, exit 2)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grpo_sym.cli import main
from grpo_sym.numeric.config import ConfigError, from_config, read_config_text
from grpo_sym.numeric.trainers import TrainerSettings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# what each example reads as (the model's fields that differ from TrainerSettings())
EXPECTED = {
    "trl_grpo_default.yaml": ("trl", dict(beta=0.0, group_size=8, std="bessel", eps=1e-4)),
    "trl_grpo_beta004.json": ("trl", dict(beta=0.04, group_size=8, std="bessel", eps=1e-4)),
    "verl_grpo.yaml": ("verl", dict(beta=0.001, group_size=5, std="bessel", eps=1e-6,
                                    log_ratio_clamp=20, value_clamp=10)),
    "verl_dr_grpo.yaml": ("verl", dict(beta=0.0, group_size=5, std="bessel", eps=1e-6,
                                       scaling="none")),
    "dapo_verl.yaml": ("verl", dict(beta=0.0, group_size=16, std="bessel", eps=1e-6,
                                    dynamic_sampling=True)),
    "openrlhf_group_norm.sh": ("openrlhf", dict(beta=0.01, group_size=8, std="bessel",
                                                eps=1e-9, estimator="k1", value_clamp=10,
                                                placement="advantage")),
    "openrlhf_k3_loss_old_flags.txt": ("openrlhf", dict(beta=0.001, group_size=8, std="bessel",
                                                        eps=1e-9, value_clamp=10)),
}


def test_every_example_is_listed():
    assert sorted(p.name for p in EXAMPLES.glob("*.*")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_read_as_expected(name):
    trainer, fields = EXPECTED[name]
    r = from_config(EXAMPLES / name)
    assert r.trainer == trainer and r.settings == TrainerSettings(**fields)
    assert r.mapped and all(why for _, why in r.ignored)


def test_the_solved_examples():
    beta004 = from_config(EXAMPLES / "trl_grpo_beta004.json")
    assert round(beta004.stationary(0.1).a, 6) == 0.98517        # (11) at G = 8, Bessel, 1e-4
    # beta = 0 (TRL's default, Dr. GRPO in verl, DAPO): the better answer goes to 1
    for name in ("trl_grpo_default.yaml", "verl_dr_grpo.yaml", "dapo_verl.yaml"):
        assert from_config(EXAMPLES / name).stationary(0.1) == (1.0, 0.0)
    # verl's clamp at 10 switches the penalty off once pi(b) < pi_ref(b)/13.6: 1 as well
    assert from_config(EXAMPLES / "verl_grpo.yaml").stationary(0.5) == (1.0, 0.0)
    assert "reverse KL" in from_config(EXAMPLES / "verl_grpo.yaml").divergence
    assert "direct KL" in from_config(EXAMPLES / "openrlhf_group_norm.sh").divergence


BAD = {
    "trl_unknown_key.yaml": "use_magic_kl: unknown TRL GRPOConfig key",
    "trl_bad_scale.json": "scale_rewards: must be",
    "verl_rollout_n1.yaml": "actor_rollout_ref.rollout.n: GRPO needs groups of at least 2",
    "verl_abs_kl.yaml": "actor_rollout_ref.actor.kl_loss_type: 'abs' is not modelled",
    "verl_both_kl.yaml": "algorithm.use_kl_in_reward: a KL loss and a KL reward",
    "openrlhf_gae.txt": "--algo.advantage.estimator: the default 'gae' is not GRPO",
    "openrlhf_unknown_flag.txt": "--algo.kl.magic: unknown OpenRLHF flag",
    "not_yaml.yaml": "not YAML",
}


def test_every_bad_example_is_listed():
    assert sorted(p.name for p in (EXAMPLES / "bad").iterdir()) == sorted(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_configs_name_the_key(name):
    with pytest.raises(ConfigError) as err:
        from_config(EXAMPLES / "bad" / name)
    assert BAD[name] in str(err.value)


@pytest.mark.parametrize("cfg,key", [
    ({"beta": -0.1}, "beta: must be >= 0"),
    ({"num_generations": 1}, "num_generations: GRPO needs groups"),
    ({"entropy_coef": 0.01}, "entropy_coef: only 0 is modelled"),
    ({"sync_ref_model": True}, "sync_ref_model: a moving reference"),
    ({"loss_type": "vespo"}, "loss_type: 'vespo' is not modelled"),
    ({"algorithm": {"adv_estimator": "grpo", "kl_ctrl": {"type": "adaptive"}},
      "actor_rollout_ref": {"rollout": {"n": 4}}}, "algorithm.kl_ctrl.type"),
    ({"algorithm": {"adv_estimator": "rloo"}}, "algorithm.adv_estimator: only grpo"),
    ({"algorithm": {"adv_estimator": "grpo", "magic": 1}}, "algorithm.magic: unknown verl"),
])
def test_bad_mappings_name_the_key(cfg, key):
    with pytest.raises(ConfigError) as err:
        from_config(cfg)
    assert str(err.value).startswith(key)


def test_trl_mapping_of_every_model_key():
    r = from_config({"beta": 0.04, "num_generations": 16, "scale_rewards": "batch",
                     "use_bias_correction_kl": True, "loss_type": "dr_grpo"})
    assert r.settings == TrainerSettings(beta=0.04, group_size=16, std="bessel", eps=1e-4,
                                         scaling="batch", placement="loss_ratio")
    assert from_config({"scale_rewards": False}).settings.scaling == "none"
    assert "direct KL" in r.divergence


def test_verl_mappings():
    base = {"algorithm": {"adv_estimator": "grpo"}, "actor_rollout_ref": {"rollout": {"n": 8}}}
    r = from_config({**base, "algorithm": {"adv_estimator": "grpo", "use_kl_in_reward": True,
                                           "kl_penalty": "kl", "kl_ctrl": {"kl_coef": 0.05}}})
    assert (r.settings.placement, r.settings.estimator, r.settings.beta) == ("reward", "k1", 0.05)
    r = from_config({**base, "actor_rollout_ref": {"rollout": {"n": 8}, "actor": {
        "use_kl_loss": True, "kl_loss_type": "k3+"}}})
    assert r.settings.straight_through and "direct KL" in r.divergence


def test_openrlhf_flags_old_and_new_names_and_dr_grpo():
    new = read_config_text("--algo.kl.use_loss --algo.kl.estimator k2")
    old = read_config_text("--use_kl_loss --kl_estimator k2")
    assert new == old == {"algo.kl.use_loss": True, "algo.kl.estimator": "k2"}
    r = from_config(EXAMPLES / "openrlhf_group_norm.sh")
    assert r.settings.placement == "advantage"
    with pytest.raises(ConfigError, match="^--rollout.n_samples_per_prompt: above 101"):
        from_config({"algo.advantage.estimator": "group_norm",
                     "rollout.n_samples_per_prompt": 128}, trainer="openrlhf")
    dr = from_config({"algo.advantage.estimator": "dr_grpo", "rollout.n_samples_per_prompt": 4,
                      "algo.kl.use_loss": True}, trainer="openrlhf")
    assert dr.settings.scaling == "none" and dr.settings.placement == "loss"


def test_cli_solve_config_table_and_single(capsys):
    assert main(["solve", "--config", str(EXAMPLES / "trl_grpo_beta004.json")]) == 0
    out = capsys.readouterr().out
    assert "divergence penalised: KL(pi_ref || pi_theta) (reverse KL)" in out
    assert out.count("pi_ref(a) = ") == 4 and "ignored learning_rate" in out
    assert main(["solve", "--config", str(EXAMPLES / "verl_grpo.yaml"), "--pi-ref", "0.3",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["trainer"] == "verl" and data["rows"] == [
        {"pi_ref": "0.3", "pi_theta_a": "1.0", "pi_theta_b": "0.0"}]


@pytest.mark.parametrize("argv,message", [
    (["--config", "examples/bad/verl_abs_kl.yaml"], "actor_rollout_ref.actor.kl_loss_type"),
    (["--config", "examples/bad/trl_unknown_key.yaml"], "use_magic_kl"),
    (["--config", "examples/verl_grpo.yaml", "--beta", "1"], "--beta: not with --config"),
    (["--config", "examples/verl_grpo.yaml", "--pi-ref", "2"], "--pi-ref must be a probability"),
    (["--config", "missing.yaml"], "missing.yaml: cannot read"),
])
def test_cli_bad_config_exit_2_one_line(argv, message):
    p = subprocess.run([sys.executable, "-m", "grpo_sym.cli", "solve", *argv],
                       capture_output=True, text=True, cwd=EXAMPLES.parent)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and message in p.stderr and "Traceback" not in p.stderr


def test_cli_simulate_config_and_preset_land_on_the_prediction(capsys):
    assert main(["simulate", "--pi-ref", "0.3", "--preset", "trl-0.04", "--iterations", "400",
                 "--learning-rate", "2"]) == 0
    out = capsys.readouterr().out
    assert "(stationary_trainer)" in out
    assert float(out.split("distance")[1].split()[0]) < 1e-9
    assert main(["simulate", "--pi-ref", "0.3", "--config",
                 str(EXAMPLES / "trl_grpo_beta004.json"), "--iterations", "400",
                 "--learning-rate", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["distance"] < 1e-9


@pytest.mark.parametrize("argv,message", [
    (["--pi-ref", "0.3", "--config", "examples/verl_grpo.yaml", "--beta", "1"],
     "--beta: not with --config"),
    (["--pi-ref", "0.3", "--preset", "verl", "--penalty", "kl"], "--penalty: not with --preset"),
    (["--pi-ref", "0.2,0.3,0.5", "--preset", "verl"], "--pi-ref: --preset simulates a binary"),
    (["--pi-ref", "0.3", "--preset", "nope"], "--preset: name must be one of"),
    (["--pi-ref", "0.3", "--config", "examples/bad/verl_both_kl.yaml"],
     "algorithm.use_kl_in_reward"),
    (["--pi-ref", "0.3"], "--beta is required"),
])
def test_cli_simulate_config_errors(argv, message):
    p = subprocess.run([sys.executable, "-m", "grpo_sym.cli", "simulate", *argv],
                       capture_output=True, text=True, cwd=EXAMPLES.parent)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and message in p.stderr
