#!/usr/bin/env bash
# The README's main command: install grpo_sym (plain, non-editable) into a
# virtual environment and verify every claim of the paper.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${GRPO_SYM_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check .
"$VENV/bin/grpo-sym" verify -j 2 "$@"
