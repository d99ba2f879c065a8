#!/usr/bin/env bash
# Install the peers check_bench.py compares against (urlwatch) into bench/.peers-venv,
# apart from the project's own virtualenv: they are benchmarks' yardsticks, not deps.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
python3 -m venv .peers-venv
.peers-venv/bin/python -m pip install --quiet --disable-pip-version-check urlwatch
.peers-venv/bin/urlwatch --version
