#!/usr/bin/env bash
# The README's test command: install TeX Live where it is missing (the appendix
# must compile in the tests, not be skipped), Chromium, its driver and Graphviz
# likewise (the blueprint is built and opened in a headless browser), make a virtual environment,
# install the package with what the tests need (pytest, pytest-xdist, nbclient, ipykernel,
# ipywidgets, selenium), and run the whole suite: doctests, the LaTeX compile, every notebook
# executed, on two workers ($GRPO_SYM_TEST_WORKERS; tests/conftest.py shares one
# verification of the registry between them).
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# apt_install WHAT CHECK PACKAGE...: install the Debian packages when CHECK fails
apt_install() {
    local what="$1" check="$2"
    shift 2
    "$check" && return 0
    echo "scripts/test.sh: installing $what ($*) with apt-get" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    "$check" || { echo "scripts/test.sh: $what is still missing" >&2; exit 1; }
}
tex_ready() {
    command -v latexmk >/dev/null && command -v pdflatex >/dev/null &&
        command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null &&
        kpsewhich xcolor.sty >/dev/null && kpsewhich hyperref.sty >/dev/null
}
browser_ready() {
    command -v chromium >/dev/null && command -v chromedriver >/dev/null &&
        command -v dot >/dev/null
}
apt_install "TeX Live" tex_ready texlive-latex-base texlive-latex-recommended latexmk \
    poppler-utils
apt_install "Chromium, its driver and Graphviz" browser_ready chromium chromium-driver graphviz

VENV="${GRPO_SYM_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check '.[test]'
"$VENV/bin/python" -m pytest -n "${GRPO_SYM_TEST_WORKERS:-2}" --dist loadgroup "$@"
