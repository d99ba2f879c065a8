#!/usr/bin/env bash
# Set up the dev environment and run lint plus the whole test suite:
# `bash scripts/test.sh [PYTEST ARGS...]` (e.g. `bash scripts/test.sh tests/unit -x`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/_setup.sh
. scripts/_setup.sh

ensure_venv "[dev]"
ensure_chromium required
say "ruff check ."
.venv/bin/ruff check .
say "pytest"
exec .venv/bin/python -m pytest -q "$@"
