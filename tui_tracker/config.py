"""Typed settings: defaults, then `config.toml`, then environment variables (env wins).

The SMTP password may come from the file or `TUI_TRACKER_SMTP_PASSWORD`; it lives only
in this object and is never written to the database, logs, or exports.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_tracker.core.errors import ConfigError


@dataclass(slots=True)
class Settings:
    # --- fetching ---
    deadline: float = 30.0
    """Whole-response deadline in seconds, trickling bodies included."""
    max_bytes: int = 10 * 1024 * 1024
    """Body-size cap (decoded bytes)."""
    max_redirects: int = 10
    user_agent: str = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0 Safari/537.36 tui-tracker/0.1"
    )
    block_private: bool = False
    """Refuse redirects to private/link-local addresses (off: a single-user tool)."""
    # --- concurrency ---
    concurrency: int = 16
    """Checks in flight at once, all hosts together."""
    per_host: int = 2
    """Checks in flight at once against one host."""
    host_gap: float = 0.0
    """Minimum seconds between two requests to one host."""
    browser_pages: int = 4
    """Browser pages (tabs) in use at once."""
    browser_recycle: int = 200
    """Relaunch the browser after this many browser checks so memory cannot creep."""
    browser_wait: float = 2.0
    """Seconds of quiet (no request pending, no DOM change) that end a browser check
    whose values have not appeared; a check that reads its values ends at once."""
    chromium: str | None = None
    """Browser executable (env TUI_TRACKER_CHROMIUM); found automatically when unset."""
    browser_url: str | None = None
    """A remote browser to connect to instead of launching one (env
    TUI_TRACKER_BROWSER_URL): `http://host:port` of a Chromium DevTools endpoint, or a
    `ws://` Playwright server (`playwright run-server`, a browserless pool)."""
    learn_endpoints: bool = True
    """Learn the JSON request a rendered page reads its values from, and check that
    directly on later checks, rendering only when it changes (engine/learned.py)."""
    endpoint_verify: float = 6 * 3600.0
    """Seconds (spread ±25 % across monitors) after which a monitor read through a
    learned endpoint is rendered again anyway, to prove the endpoint still tells."""
    # --- scheduling ---
    backoff_cap: float = 3600.0
    """Longest wait between retries of a failing monitor (unless its interval is longer)."""
    # --- notifications ---
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str | None = None
    smtp_tls: str = "starttls"
    """`starttls` (587), `ssl` (465) or `none` (a local relay)."""
    smtp_timeout: float = 15.0
    """Seconds per SMTP step (aiosmtplib's own default of 60 s would stall alerts)."""
    smtp_ca_file: str | None = None
    """Extra CA bundle to trust for a relay with a private certificate."""
    notify_to: list[str] = field(default_factory=list)
    notify_urls: list[str] = field(default_factory=list, repr=False)
    """Apprise URLs every monitor without `--notify` of its own alerts (secrets inside)."""
    bell: bool = False
    """Ring the terminal bell when an alert fires in the TUI."""
    toasts: str = "all"
    """TUI pop-ups: `all` (value changes and alerts), `alerts` (alerts only) or `off`."""
    max_alerts_per_hour: int = 20
    """Flood guard: alerts to one address in any hour before the rest wait for one
    digest (seat openings and a monitor's first alert are never held); 0 = no limit."""
    # --- reach ---
    site_proxies: dict[str, str] = field(default_factory=dict, repr=False)
    """Proxy URL by site host (`[site_proxies]` table); a monitor's --proxy wins."""

    def public(self) -> dict[str, Any]:
        """Settings safe to show: the password masked."""
        d = dataclasses.asdict(self)
        if d.get("smtp_password"):
            d["smtp_password"] = "********"
        d["notify_urls"] = ["********"] * len(self.notify_urls)
        d["site_proxies"] = {k: "********" for k in self.site_proxies}
        return d


_ENV: dict[str, str] = {
    "TUI_TRACKER_SMTP_HOST": "smtp_host",
    "TUI_TRACKER_SMTP_PORT": "smtp_port",
    "TUI_TRACKER_SMTP_USER": "smtp_user",
    "TUI_TRACKER_SMTP_PASSWORD": "smtp_password",
    "TUI_TRACKER_SMTP_FROM": "smtp_from",
    "TUI_TRACKER_SMTP_TLS": "smtp_tls",
    "TUI_TRACKER_NOTIFY_TO": "notify_to",
    "TUI_TRACKER_NOTIFY_URLS": "notify_urls",
    "TUI_TRACKER_CHROMIUM": "chromium",
    "TUI_TRACKER_BROWSER_URL": "browser_url",
    "TUI_TRACKER_MAX_ALERTS_PER_HOUR": "max_alerts_per_hour",
}


def _coerce(name: str, value: Any) -> Any:
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    if name not in fields:
        raise ConfigError(f"Unknown setting {name!r} in config.toml.")
    default = getattr(Settings(), name)
    try:
        if name == "site_proxies":
            if not isinstance(value, dict):
                raise TypeError("a table")
            return {str(k): str(v) for k, v in value.items()}
        if name == "notify_urls" and isinstance(value, str):
            return value.split()  # whitespace separated: commas may be inside a URL
        if name in ("notify_to", "notify_urls"):
            if isinstance(value, str):
                return [a.strip() for a in value.split(",") if a.strip()]
            return [str(a) for a in value]
        if name == "smtp_port":
            return int(value) if value not in (None, "") else None
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"Setting {name} has an invalid value {value!r}.") from exc
    return None if value in (None, "") else str(value)


def load_settings(path: Path | None, env: dict[str, str] | None = None) -> Settings:
    """Defaults <- config file <- environment."""
    env = dict(os.environ if env is None else env)
    settings = Settings()
    if path is not None and path.exists():
        import tomllib  # only with a config file: ~2 ms of a `check` started without one

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"The config file {path} is not valid TOML: {exc}.") from exc
        # Accept both flat keys and [smtp]/[fetch]-style tables flattened with a prefix.
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, dict) and key != "site_proxies":
                for sub, v in value.items():
                    flat[sub if key in {"fetch", "engine", "browser"} else f"{key}_{sub}"] = v
            else:
                flat[key] = value
        for key, value in flat.items():
            setattr(settings, key, _coerce(key, value))
    for var, name in _ENV.items():
        if var in env and env[var] != "":
            setattr(settings, name, _coerce(name, env[var]))
    if settings.toasts not in {"all", "alerts", "off"}:
        raise ConfigError(f"The setting toasts must be all, alerts or off, not "
                          f"{settings.toasts!r}.")
    if settings.max_alerts_per_hour < 0:
        raise ConfigError("The setting max_alerts_per_hour must be 0 (no limit) or more.")
    if settings.smtp_tls not in {"starttls", "ssl", "none"}:
        raise ConfigError(
            f"TUI_TRACKER_SMTP_TLS must be starttls, ssl or none, not {settings.smtp_tls!r}."
        )
    return settings


def write_private(path: Path, text: str) -> None:
    """Create or replace a secrets-bearing file with mode 0600 from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


CONFIG_TEMPLATE = """\
# tui-tracker settings. Environment variables (TUI_TRACKER_*) override these.
# This file may hold your SMTP password, so it was created readable by you only (0600).

# notify_to = ["you@example.com"]     # default recipients for monitors without --email
# notify_urls = ["ntfy://ntfy.sh/my-secret-topic"]   # Apprise URLs (phone push, chat)
# max_alerts_per_hour = 20            # per address; more wait for one digest (0: no limit)
# bell = false                        # ring the terminal bell on an alert (TUI)
# toasts = "all"                      # TUI pop-ups: all, alerts or off

[smtp]
# host = "smtp.gmail.com"
# port = 587
# tls = "starttls"                    # starttls (587), ssl (465) or none (a local relay)
# user = "you@gmail.com"
# password = "app password"
# from = "you@gmail.com"

[fetch]
# deadline = 30                       # seconds for a whole response
# max_bytes = 10485760                # body-size cap
# concurrency = 16                    # checks at once
# per_host = 2                        # checks at once per host
# host_gap = 0                        # seconds between requests to one host
# browser_pages = 4                   # browser tabs at once
# browser_url = "http://127.0.0.1:9222"   # a remote browser instead of a local Chromium
# learn_endpoints = true              # check script-built pages through their JSON

[site_proxies]
# "beartracks.example.edu" = "http://proxy.example.edu:3128"
"""


def ensure_config_file(path: Path) -> bool:
    """Create a commented config.toml with mode 0600 when there is none; True if created."""
    if path.exists():
        return False
    try:
        write_private(path, CONFIG_TEMPLATE)
    except OSError:
        return False  # a read-only home must not stop the app; settings still load
    return True


def config_warning(path: Path) -> str | None:
    """A sentence when config.toml holds a password yet others may read it."""
    try:
        mode = path.stat().st_mode
        holds_password = bool({"password", "notify_urls"} & {
            line.split("=")[0].strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if "=" in line and not line.lstrip().startswith("#")
        })
    except (OSError, UnicodeDecodeError):
        return None
    if holds_password and mode & 0o077:
        return (f"{path} holds a password but others may read it; "
                f"run: chmod 600 {path}")
    return None
