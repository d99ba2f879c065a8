"""Keeping an imported session current (core/cookies.py `refreshed_sessions`): what a
server changed is kept, scoped to the session's site, and a stale jar undoes nothing."""

from __future__ import annotations

import json

from tui_tracker.core.cookies import (
    MAX_SESSION_COOKIES,
    Cookie,
    jar_changed,
    refreshed_sessions,
)

NOW = 1_800_000_000.0
SITE = "beartracks.example.edu"


def ck(name: str, value: str, domain: str = SITE, **kw) -> Cookie:
    return Cookie(name, value, domain, **kw)


def test_unchanged_jar_is_no_news():
    sent = (ck("sid", "a", expires=NOW + 100.4),)
    assert not jar_changed(sent, (ck("sid", "a", expires=NOW + 100),))
    assert jar_changed(sent, (ck("sid", "b", expires=NOW + 100),))
    assert refreshed_sessions({SITE: list(sent)}, sent, sent, [SITE], NOW) == {}


def test_renewed_added_and_deleted_cookies_are_kept_for_the_site():
    stored = [ck("sid", "a", host_only=True, same_site="Lax"), ck("old", "x")]
    jar = (ck("sid", "b", host_only=True), ck("pref", "dark"),
           ck("wide", "1", domain="example.edu"),            # a parent domain: sent here
           ck("idp", "2", domain="idp.example.edu"),         # another host
           ck("tracker", "3", domain="shop.example.com"))
    out = refreshed_sessions({SITE: stored}, tuple(stored), jar, [SITE], NOW)[SITE]
    by_name = {c.name: c for c in out}
    assert by_name["sid"].value == "b" and by_name["sid"].same_site == "Lax"
    assert "old" not in by_name                    # the server deleted it
    assert {"pref", "wide"} <= set(by_name)
    assert "idp" not in by_name and "tracker" not in by_name


def test_new_cookies_join_only_the_session_of_the_site_fetched():
    sessions = {SITE: [ck("sid", "a")], "shop.example.com": [ck("cart", "1",
                                                                domain="shop.example.com")]}
    sent = tuple(c for v in sessions.values() for c in v)
    jar = (*sent, ck("pref", "dark"), ck("promo", "9", domain="shop.example.com"))
    out = refreshed_sessions(sessions, sent, jar, ["shop.example.com"], NOW)
    assert set(out) == {"shop.example.com"}
    assert [c.name for c in out["shop.example.com"]] == ["cart", "promo"]
    # The monitor's own --cookie was sent but is not the session's: never saved into it.
    own = ck("api", "k", host_only=True)
    assert refreshed_sessions({SITE: [ck("sid", "a")]}, (ck("sid", "a"), own),
                              (ck("sid", "a"), own), [SITE], NOW) == {}


def test_a_jar_as_sent_does_not_undo_a_newer_saved_value():
    # Another check renewed sid to "c" and saved it; this check's jar still holds the
    # "a" it sent: nothing to write.
    assert refreshed_sessions({SITE: [ck("sid", "c")]}, (ck("sid", "a"),),
                              (ck("sid", "a"),), [SITE], NOW) == {}


def test_expired_bad_and_too_many_cookies_are_not_saved():
    jar = (ck("gone", "1", expires=NOW - 5), ck("bad name", "1"), ck("huge", "x" * 5000),
           *(ck(f"c{i}", "1") for i in range(MAX_SESSION_COOKIES + 50)))
    out = refreshed_sessions({SITE: []}, (), jar, [SITE], NOW)[SITE]
    names = {c.name for c in out}
    assert not names & {"gone", "bad name", "huge"}
    assert len(out) == MAX_SESSION_COOKIES


def test_storage_state_origins_are_read_as_location_origin_says_them():
    from tui_tracker.core.cookies import normalize_origin, parse_local_storage

    assert normalize_origin("HTTPS://Example.EDU:443/") == "https://example.edu"
    assert normalize_origin("http://127.0.0.2:8080") == "http://127.0.0.2:8080"
    assert normalize_origin("file:///etc/passwd") is None
    text = json.dumps({"cookies": [], "origins": [
        {"origin": "https://app.example.edu", "localStorage": [
            {"name": "token", "value": "t0k"}, {"name": "theme", "value": "dark"}]},
        {"origin": "https://empty.example.edu", "localStorage": []}]})
    assert parse_local_storage(text) == [
        ("https://app.example.edu", (("token", "t0k"), ("theme", "dark")))]
    assert parse_local_storage("# Netscape HTTP Cookie File\n") == []
    assert parse_local_storage("[]") == []
