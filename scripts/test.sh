#!/usr/bin/env bash
# The README's test command: make a virtual environment, install the package
# with what the tests need, and run the whole suite (doctests included).
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${GRPO_SYM_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check '.[test]'
"$VENV/bin/python" -m pytest "$@"
