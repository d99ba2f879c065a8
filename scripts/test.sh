#!/usr/bin/env bash
# Set up the dev environment and run lint plus the whole test suite:
# `bash scripts/test.sh [PYTEST ARGS...]` (e.g. `bash scripts/test.sh tests/unit -x`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/_setup.sh
. scripts/_setup.sh

ensure_venv "[dev]"
ensure_chromium required
# Lint failures fail the run, but the tests still run so one CI log shows both.
lint=0
say "ruff check ."
.venv/bin/ruff check . || lint=$?
say "lint-imports (layer contracts in pyproject.toml)"
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; lint=1; }
say "mypy (types at the seams: store, notifier and engine interfaces)"
.venv/bin/mypy tui_tracker || lint=1
say "pytest"
tests=0
.venv/bin/python -m pytest -q "$@" || tests=$?
if [ "$lint" != 0 ]; then
    say "ruff, lint-imports or mypy failed (see above)."
fi
if [ "$tests" != 0 ]; then
    exit "$tests"
fi
exit "$lint"
