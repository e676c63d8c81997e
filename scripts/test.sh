#!/usr/bin/env bash
# The README's test command: install TeX Live where it is missing (the appendix
# must compile in the tests, not be skipped), make a virtual environment,
# install the package with what the tests need (pytest, pytest-xdist, nbclient,
# ipykernel), and run the whole suite: doctests, the LaTeX compile, every notebook
# executed, on two workers ($GRPO_SYM_TEST_WORKERS; tests/conftest.py shares one
# verification of the registry between them).
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

tex_ready() {
    command -v latexmk >/dev/null && command -v pdflatex >/dev/null &&
        command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null &&
        kpsewhich xcolor.sty >/dev/null && kpsewhich hyperref.sty >/dev/null
}
if ! tex_ready; then
    echo "scripts/test.sh: installing TeX Live (texlive-latex-base, texlive-latex-recommended," \
         "latexmk, poppler-utils) with apt-get" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends texlive-latex-base \
        texlive-latex-recommended latexmk poppler-utils >/dev/null
    tex_ready || { echo "scripts/test.sh: TeX Live is still missing" >&2; exit 1; }
fi

VENV="${GRPO_SYM_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check '.[test]'
"$VENV/bin/python" -m pytest -n "${GRPO_SYM_TEST_WORKERS:-2}" --dist loadgroup "$@"
