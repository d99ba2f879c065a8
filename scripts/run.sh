#!/usr/bin/env bash
# Set up (first run only) and start tui-tracker: `bash scripts/run.sh [COMMAND] [ARGS...]`.
# With no arguments it opens the TUI; `bash scripts/run.sh demo` shows it on a demo site.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/_setup.sh
. scripts/_setup.sh

ensure_venv ""
ensure_chromium optional
exec .venv/bin/tui-tracker "$@"
