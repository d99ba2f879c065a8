# Shared by scripts/run.sh and scripts/test.sh (sourced, not run): a project virtualenv
# with tui-tracker installed, and a Chromium for script-built pages.
# Functions only; the caller has already done `set -euo pipefail` and cd'd to the repo root.

say() { printf 'tui-tracker setup: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# The first Python >= 3.11 on PATH.
pick_python() {
    local candidate
    for candidate in python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# ensure_venv EXTRAS: create .venv if missing and `pip install -e .EXTRAS` when
# pyproject.toml changed since the last install, so later runs start fast. A stamp per
# extras; the plain app is satisfied by a [dev] install too (dev only adds tools).
ensure_venv() {
    local extras="$1" python want
    if [ ! -x .venv/bin/python ]; then
        python="$(pick_python)" || die "Python 3.11 or newer is needed (none found on PATH)."
        say "creating .venv with $("$python" --version 2>&1)"
        "$python" -m venv .venv ||
            die "could not create .venv; on Debian/Ubuntu install python3-venv first."
    fi
    want="$(cksum <pyproject.toml)"
    if [ -x .venv/bin/tui-tracker ]; then
        [ "$(cat ".venv/.installed${extras}" 2>/dev/null)" = "$want" ] && return 0
        [ -z "$extras" ] && [ "$(cat ".venv/.installed[dev]" 2>/dev/null)" = "$want" ] && return 0
    fi
    say "installing tui-tracker${extras} and its dependencies into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}" ||
        die "pip install failed (see above)."
    printf '%s' "$want" >".venv/.installed${extras}"
}

# The Chromium the app would use, or nothing. Mirrors tui_tracker/fetchers/chromium.py.
find_chromium() {
    local name path
    if [ -n "${TUI_TRACKER_CHROMIUM:-}" ]; then
        path="$(command -v "$TUI_TRACKER_CHROMIUM" 2>/dev/null || printf '%s' "$TUI_TRACKER_CHROMIUM")"
        [ -x "$path" ] && { printf '%s\n' "$path"; return 0; }
        return 1
    fi
    for path in "${PLAYWRIGHT_BROWSERS_PATH:-${XDG_CACHE_HOME:-$HOME/.cache}/ms-playwright}"/chromium*/chrome*/*; do
        case "$path" in
            */chrome-headless-shell | */headless_shell | */chrome)
                [ -x "$path" ] && { printf '%s\n' "$path"; return 0; } ;;
        esac
    done
    for name in chromium-headless-shell chromium chromium-browser google-chrome google-chrome-stable; do
        path="$(command -v "$name" 2>/dev/null || true)"
        [ -z "$path" ] && [ -x "/usr/bin/$name" ] && path="/usr/bin/$name"
        [ -n "$path" ] && { printf '%s\n' "$path"; return 0; }
    done
    return 1
}

how_to_get_chromium() {
    cat >&2 <<'MSG'
  No Chromium was found. Pages built by JavaScript need one (static pages work without).
  Get one of these, then run again:
    sudo apt-get install chromium-headless-shell      # Debian 12 and later
    .venv/bin/python -m playwright install chromium-headless-shell   # Playwright's own build
  or point TUI_TRACKER_CHROMIUM at a Chromium/Chrome executable.
MSG
}

# ensure_chromium required|optional: find a Chromium, installing chromium-headless-shell
# with apt-get when running as root; otherwise explain how to get one.
ensure_chromium() {
    local need="$1" found
    if found="$(find_chromium)"; then
        [ "$need" = required ] && say "using Chromium at $found"
        return 0
    fi
    if [ -n "${TUI_TRACKER_CHROMIUM:-}" ]; then
        say "TUI_TRACKER_CHROMIUM=$TUI_TRACKER_CHROMIUM is not an executable."
    elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing chromium-headless-shell with apt-get"
        if DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell </dev/null; then
            if found="$(find_chromium)"; then
                say "using Chromium at $found"
                return 0
            fi
        fi
        say "apt-get could not install chromium-headless-shell."
    fi
    how_to_get_chromium
    if [ "$need" = required ]; then
        die "the tests need a real Chromium; get one as shown above and run scripts/test.sh again."
    fi
    say "continuing without Chromium: browser (--browser) monitors will report an error."
}
