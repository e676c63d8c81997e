# OpenRLHF 0.11 GRPO with the CLI's KL defaults (k1, 0.01, in the reward after group_norm)
python3 -m openrlhf.cli.train_ppo_ray \
   --ref.num_nodes 1 \
   --actor.adam.lr 5e-7 \
   --algo.advantage.estimator group_norm \
   --algo.kl.init_coef 0.01 \
   --algo.kl.estimator k1 \
   --rollout.n_samples_per_prompt 8 \
   --actor.eps_clip_low_high 0.2 0.28 \
   --seed 42
