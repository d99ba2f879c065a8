"""A local site behind a cookie login, for sessions and blocked-page tests (HOSTILE 60).

- `GET /login` shows a sign-in form (a password field); `POST /login` with the right
  user and password sets a `sid` session cookie and redirects to `next`.
- `/classes` (a seats table), `/product` (a JSON-LD price), `/notes` (text) and
  `/app` (a script-built seats page whose data comes from `/api/sections`) need a
  valid session: without one they redirect to `/login?next=...` (the API answers 401
  and the script sends the browser to the login page).
- `expire()` ends every session on demand; with `state["expired_style"] = "page"` the
  pages then answer 200 with a "your session has expired" notice instead of redirecting.
- `/token-app` is a script-built page that reads an API token from localStorage and
  shows the sections only when `/api/token-sections` accepts it (`new_token()`).
- `/shop` answers 403 with a bot-challenge body (`state["challenge"]`), else a price.
- Every request's headers are recorded in `seen` (path, headers) for assertions.
- With `state["rotate"]`, every signed-in page answers with a new `sid` (the old one
  stops working), as sites that renew a session on use do; `state["set_cookies"]` are
  extra Set-Cookie headers sent with every page (a preference, a tracker, a deletion).
"""

from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from tests.servers.site import product_page, seats_page

USER = "student"
PASSWORD = "hunter2-Correct-Horse"

LOGIN_PAGE = """<!doctype html><html><head><title>Sign in | Campus SSO</title></head><body>
<h1>Sign in with your campus ID</h1>
<form method="post" action="/login?next={next}">
<label>User <input name="user"></label>
<label>Password <input type="password" name="password"></label>
<button>Sign in</button></form></body></html>"""

EXPIRED_PAGE = """<!doctype html><html><head><title>Registration</title></head><body>
<h2>Your session has expired</h2><p>Please log in again to continue.</p>
<a href="/login">Log in</a></body></html>"""

CHALLENGE_PAGE = """<!doctype html><html><head><title>Just a moment...</title></head><body>
<div id="challenge-body-text">Checking your browser before accessing the shop.</div>
<script>window._cf_chl_opt = {cType: 'managed'};</script></body></html>"""

APP_PAGE = """<!doctype html><html><head><title>Schedule Builder</title></head><body>
<div id="app">Loading…</div><script>
fetch('/api/sections').then(function (r) {
  if (r.status === 401) { location.href = '/login?next=/app'; return null; }
  return r.json();
}).then(function (data) {
  if (!data) return;
  var app = document.getElementById('app'); app.innerHTML = '';
  var rows = data.map(function (s) {
    return '<tr><td>' + s.code + '</td><td>' + s.cap + '</td><td>' + (s.cap - s.open) +
           '</td><td>' + s.open + '</td></tr>';
  }).join('');
  app.innerHTML = '<table><tr><th>Section</th><th>Capacity</th><th>Enrolled</th>' +
                  '<th>Available</th></tr>' + rows + '</table>';
});
</script></body></html>"""


TOKEN_APP_PAGE = """<!doctype html><html><head><title>Seat Finder</title></head><body>
<div id="app">Loading…</div><script>
var app = document.getElementById('app');
var token = localStorage.getItem('token');
if (!token) {
  app.textContent = 'No saved token: open the app in your browser first.';
} else {
  fetch('/api/token-sections', {headers: {'Authorization': 'Bearer ' + token}})
    .then(function (r) { return r.status === 200 ? r.json() : null; })
    .then(function (data) {
      if (!data) { app.textContent = 'The saved token was refused.'; return; }
      app.innerHTML = '<table><tr><th>Section</th><th>Capacity</th><th>Enrolled</th>' +
        '<th>Available</th></tr>' + data.map(function (s) {
          return '<tr><td>' + s.code + '</td><td>' + s.cap + '</td><td>' +
                 (s.cap - s.open) + '</td><td>' + s.open + '</td></tr>';
        }).join('') + '</table>';
    });
}
</script></body></html>"""
"""A script-built page whose script reads its API token from localStorage (set by the
site's own login in a real browser) and shows the sections only when it is there."""


class LoginSite:
    """Threaded HTTP server on 127.0.0.x with cookie sessions that a test can expire."""

    def __init__(self, host: str = "127.0.0.2") -> None:
        self.state: dict[str, Any] = {
            "sections": [("A1", 30, 0), ("B2", 40, 5)], "price": 49.99,
            "notes": "Registration opens Monday.", "expired_style": "redirect",
            "challenge": True,
        }
        self.sessions: set[str] = set()
        self.tokens: set[str] = set()
        """API tokens the site accepts (kept by its pages in localStorage)."""
        self.seen: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site._serve(self, "GET")

            def do_POST(self) -> None:
                site._serve(self, "POST")

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]

    # --- test controls -------------------------------------------------------------------
    def start(self) -> LoginSite:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> LoginSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def new_session(self) -> str:
        """A valid session id, as a browser would hold after logging in."""
        sid = secrets.token_hex(16)
        with self._lock:
            self.sessions.add(sid)
        return sid

    def new_token(self) -> str:
        """An API token the site accepts, as its login page would leave in localStorage."""
        token = secrets.token_hex(16)
        with self._lock:
            self.tokens.add(token)
        return token

    def expire(self) -> None:
        """End every session: the next request with an old cookie meets the wall."""
        with self._lock:
            self.sessions.clear()

    def cookies_seen(self, path: str) -> list[str]:
        """The Cookie headers sent with requests for `path`."""
        return [h.get("cookie", "") for p, h in self.seen if urlsplit(p).path == path]

    # --- serving ---------------------------------------------------------------------------
    def _session(self, handler: BaseHTTPRequestHandler) -> str | None:
        for part in handler.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "sid" and value in self.sessions:
                return value
        return None

    def _serve(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        with self._lock:
            self.seen.append((h.path, {k.lower(): v for k, v in h.headers.items()}))
        if parts.path == "/login":
            return self._login(h, method, parse_qs(parts.query).get("next", ["/classes"])[0])
        if parts.path == "/shop":
            if self.state["challenge"]:
                return self._send(h, 403, CHALLENGE_PAGE)
            return self._send(h, 200, product_page("Shop Kettle", self.state["price"], "USD",
                                                   True),
                              cookies=list(self.state.get("set_cookies", [])))
        signed_in = self._session(h) is not None
        if parts.path == "/token-app":
            return self._send(h, 200, TOKEN_APP_PAGE)
        if parts.path == "/api/token-sections":
            auth = h.headers.get("Authorization", "")
            if auth.removeprefix("Bearer ") not in self.tokens:
                return self._send(h, 401, '{"error": "token"}', "application/json")
            data = [{"code": c, "cap": cap, "open": o} for c, cap, o in self.state["sections"]]
            return self._send(h, 200, json.dumps(data), "application/json")
        if parts.path == "/api/sections":
            if not signed_in:
                return self._send(h, 401, '{"error": "login"}', "application/json")
            data = [{"code": c, "cap": cap, "open": o} for c, cap, o in self.state["sections"]]
            cookies = []
            if self.state.get("rotate"):  # the script's request renews the session
                cookies.append(f"sid={self._rotate(self._session(h))}; Path=/; HttpOnly")
            return self._send(h, 200, json.dumps(data), "application/json", cookies=cookies)
        pages = {
            "/classes": lambda: seats_page(self.state["sections"]),
            "/product": lambda: product_page("Campus Hoodie", self.state["price"], "USD", True),
            "/notes": lambda: ("<!doctype html><html><head><title>Notes</title></head><body>"
                               f"<main><p>{self.state['notes']}</p></main></body></html>"),
            "/app": lambda: APP_PAGE,
        }
        page = pages.get(parts.path)
        if page is None:
            return self._send(h, 404, "<h1>Not found</h1>")
        if parts.path == "/app" or signed_in:
            cookies = list(self.state.get("set_cookies", []))
            if signed_in and self.state.get("rotate") and parts.path != "/app":
                cookies.append(f"sid={self._rotate(self._session(h))}; Path=/; HttpOnly")
            return self._send(h, 200, page(), cookies=cookies)
        if self.state["expired_style"] == "page":
            return self._send(h, 200, EXPIRED_PAGE)
        h.send_response(302)
        h.send_header("Location", f"/login?next={quote(parts.path)}")
        h.send_header("Content-Length", "0")
        h.end_headers()

    def _login(self, h: BaseHTTPRequestHandler, method: str, next_path: str) -> None:
        if method == "GET":
            return self._send(h, 200, LOGIN_PAGE.format(next=quote(next_path)))
        length = int(h.headers.get("Content-Length", "0") or 0)
        form = parse_qs(h.rfile.read(length).decode())
        if form.get("user") != [USER] or form.get("password") != [PASSWORD]:
            return self._send(h, 200, LOGIN_PAGE.format(next=quote(next_path)))
        sid = self.new_session()
        h.send_response(303)
        h.send_header("Set-Cookie", f"sid={sid}; Path=/; HttpOnly")
        h.send_header("Location", next_path)
        h.send_header("Content-Length", "0")
        h.end_headers()

    def _rotate(self, old: str | None) -> str:
        """A new session id in place of `old` (which stops working)."""
        sid = secrets.token_hex(16)
        with self._lock:
            self.sessions.discard(old or "")
            self.sessions.add(sid)
        return sid

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: str,
              ctype: str = "text/html; charset=utf-8", cookies: list[str] | None = None) -> None:
        data = body.encode()
        h.send_response(status)
        for cookie in cookies or []:
            h.send_header("Set-Cookie", cookie)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
