"""Wall detection and cookie-file parsing on strings (no network)."""

from __future__ import annotations

import json

import pytest

from tui_tracker.core.cookies import parse_cookie_file, parse_header_arg, valid_host
from tui_tracker.core.errors import InputError
from tui_tracker.extractors.walls import wall_for_page, wall_for_status
from tui_tracker.fetchers.proxies import bypass_list, playwright_proxy

LOGIN = ("<html><head><title>Sign in</title></head><body><form>"
         "<input name=u><input type='password' name=p></form></body></html>")
SHOP_WITH_LOGIN_BOX = ("<html><head><title>Acme Kettle | Shop</title></head><body>"
                       "<header><form><input type=password></form></header>"
                       + "<p>Great kettle with many words about it.</p>" * 120 + "</body></html>")


def test_redirect_to_sso_is_a_login_wall() -> None:
    wall = wall_for_page("https://reg.example.edu/classes",
                         "https://idp.example.edu/idp/profile/SAML2/Redirect/SSO", "<p>x</p>")
    assert wall is not None and wall.reason == "login needed at idp.example.edu"
    cas = wall_for_page("https://a.example/x", "https://a.example/cas/login?service=x", "")
    assert cas is not None and cas.kind == "login"


def test_login_form_in_place_and_expired_notice() -> None:
    assert wall_for_page("https://a.example/x", "https://a.example/x", LOGIN).kind == "login"
    expired = "<html><title>Reg</title><h2>Your session has expired</h2></html>"
    assert wall_for_page("https://a.example/x", "https://a.example/x", expired).kind == "expired"


def test_real_pages_are_not_walls() -> None:
    url = "https://shop.example/kettle"
    assert wall_for_page(url, url, SHOP_WITH_LOGIN_BOX) is None
    assert wall_for_page(url, url + "/", "<title>Kettle</title><p>$5</p>") is None
    assert wall_for_page(url, "https://shop.example/kettle?variant=2", "<p>$5</p>") is None


def test_statuses() -> None:
    assert wall_for_status(401, "https://a.example/").kind == "login"
    challenge = wall_for_status(403, "https://a.example/",
                                "<title>Just a moment...</title><script>_cf_chl_opt</script>")
    assert challenge.kind == "challenge" and "HTTP 403" in challenge.reason
    assert wall_for_status(403, "https://a.example/", "Forbidden").kind == "denied"
    assert wall_for_status(503, "https://a.example/", "Down for maintenance") is None
    assert wall_for_status(429, "https://a.example/", "<div class=px-captcha>").kind == "challenge"
    assert wall_for_status(404, "https://a.example/", "") is None


def test_three_cookie_formats() -> None:
    fmt, [c] = parse_cookie_file("#HttpOnly_.example.edu\tTRUE\t/\tTRUE\t2000000000\tsid\tv1\n")
    assert fmt == "cookies.txt" and c.domain == "example.edu" and c.http_only and c.secure
    assert not c.host_only and c.matches("reg.example.edu") and c.expires == 2000000000
    fmt, [c] = parse_cookie_file(json.dumps([{"name": "a", "value": "v", "domain": "x.org",
                                              "hostOnly": True, "session": True}]))
    assert fmt == "extension JSON" and c.host_only and c.expires is None
    assert not c.matches("sub.x.org")
    fmt, [c] = parse_cookie_file(json.dumps({"cookies": [
        {"name": "b", "value": "v", "domain": ".y.org", "path": "/", "expires": -1}]}))
    assert fmt == "storage_state" and c.expires is None and c.matches("a.y.org")
    assert "v1" not in repr(c)


@pytest.mark.parametrize("text", ["", "{}", "[1]", "x\ty\n", '[{"name": "a b", "value": "s3cr3t",'
                                                             ' "domain": "x"}]'])
def test_bad_files_say_why_without_values(text) -> None:
    with pytest.raises(InputError) as err:
        parse_cookie_file(text)
    assert "s3cr3t" not in str(err.value)


def test_header_and_host_arguments() -> None:
    assert parse_header_arg("Authorization: Bearer x") == ("Authorization", "Bearer x")
    with pytest.raises(InputError):
        parse_header_arg("X-A: a\r\nInjected: 1")
    assert valid_host("https://BearTracks.example.edu:443/x") == "beartracks.example.edu"
    assert valid_host("127.0.0.2:8080") == "127.0.0.2"


def test_browser_proxy_from_environment() -> None:
    env = {"HTTP_PROXY": "http://u:p%40ss@127.0.0.1:3128", "NO_PROXY": "127.0.0.3,.corp,lan"}
    opt = playwright_proxy(env=env)
    assert opt == {"server": "http://127.0.0.1:3128", "username": "u", "password": "p@ss",
                   "bypass": "<-loopback>,127.0.0.3,*.corp,lan,*.lan"}
    assert playwright_proxy(env={"HTTPS_PROXY": "127.0.0.1:1", "no_proxy": "*"}) is None
    assert playwright_proxy(env={}) is None
    assert bypass_list("localhost") == "<-loopback>,localhost"


def test_config_reads_alert_urls_and_site_proxies(tmp_path) -> None:
    from tui_tracker.config import config_warning, load_settings

    path = tmp_path / "config.toml"
    path.write_text('notify_urls = ["ntfy://ntfy.sh/t1"]\n'
                    '[site_proxies]\n"beartracks.example.edu" = "http://127.0.0.1:3128"\n')
    path.chmod(0o644)
    s = load_settings(path, env={})
    assert s.notify_urls == ["ntfy://ntfy.sh/t1"]
    assert s.site_proxies == {"beartracks.example.edu": "http://127.0.0.1:3128"}
    assert "t1" not in repr(s) and s.public()["notify_urls"] == ["********"]
    assert "chmod 600" in (config_warning(path) or "")
    env = load_settings(path, env={"TUI_TRACKER_NOTIFY_URLS": "json://a/x ntfy://b/y"})
    assert env.notify_urls == ["json://a/x", "ntfy://b/y"]
