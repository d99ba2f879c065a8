"""Proxies for the browser, read the way httpx and curl read them (both fetchers agree).

httpx honours HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY itself (`trust_env`).
Chromium does not read them, so they are turned into Playwright's `proxy` option here,
with two differences taken care of:

- Chromium never sends loopback addresses through a proxy unless the bypass list
  holds `<-loopback>`, and Playwright adds that only when the list names no loopback
  host. We always add it: then 127.0.0.2 goes through the proxy unless NO_PROXY names
  it, exactly as with httpx.
- curl's `NO_PROXY=example.com` covers the subdomains too; Chromium's `example.com`
  rule does not, so each name also gets a `*.example.com` rule. `*` means no proxy.

Credentials in a proxy URL (`http://user:pass@proxy:3128`) become Playwright's
username/password (Chromium's --proxy-server takes none).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

_ORDER = ("https_proxy", "http_proxy", "all_proxy")
"""One browser proxy serves both schemes: HTTPS_PROXY wins, then HTTP_PROXY, ALL_PROXY."""


def _env(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or env.get(name.upper()) or "").strip()


def env_proxy(env: Mapping[str, str] | None = None) -> str | None:
    """The proxy URL the environment asks for, or None (also when NO_PROXY is `*`)."""
    env = os.environ if env is None else env
    if _env(env, "no_proxy") == "*":
        return None
    for name in _ORDER:
        value = _env(env, name)
        if value:
            return value if "://" in value else f"http://{value}"
    return None


def bypass_list(no_proxy: str) -> str:
    """NO_PROXY (curl's rules) as a Chromium bypass list, loopback proxied unless named."""
    rules = ["<-loopback>"]
    for raw in no_proxy.split(","):
        host = raw.strip()
        if not host:
            continue
        if "://" in host:
            host = urlsplit(host).netloc
        if host.startswith("."):
            rules.append("*" + host)
            continue
        rules.append(host)
        if host[0].isalpha() and "/" not in host and host != "localhost":
            rules.append("*." + host)
    return ",".join(rules)


def playwright_proxy(server: str | None = None,
                     env: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """Playwright's `proxy` option for `server` (None: the environment's), or None."""
    env = os.environ if env is None else env
    url = server or env_proxy(env)
    if not url:
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    option: dict[str, Any] = {"server": f"{parts.scheme}://{netloc}",
                              "bypass": bypass_list("" if server else _env(env, "no_proxy"))}
    if parts.username:
        option["username"] = unquote(parts.username)
        option["password"] = unquote(parts.password or "")
    return option
