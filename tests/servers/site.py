"""A well-behaved local shop + course site whose numbers the test changes between checks.

Pages are rendered from `Site.state` on every request, so a test sets
`site.state["price"] = 44.99` and the next check sees it. It also counts requests
and the highest number served at once (for concurrency-limit tests), and can delay
responses (`state["delay"]`) to hold requests open.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def product_page(name: str, price: float, currency: str, in_stock: bool) -> str:
    ld = {
        "@context": "https://schema.org", "@type": "Product", "name": name,
        "offers": {"@type": "Offer", "price": f"{price:.2f}", "priceCurrency": currency,
                   "availability": "https://schema.org/" + ("InStock" if in_stock
                                                             else "OutOfStock")},
    }
    return (f"<!doctype html><html><head><title>{name} | Shop</title>"
            f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
            f'<body><h1>{name}</h1><p class="price">${price:.2f}</p>'
            f'<p class="rating">4.5 stars</p><p>Save $20 today</p></body></html>')


def seats_page(sections: list[tuple[str, int, int]]) -> str:
    rows = "".join(
        f"<tr><td>{code}</td><td>{cap}</td><td>{cap - open_}</td><td>{open_}</td></tr>"
        for code, cap, open_ in sections
    )
    return ("<!doctype html><html><head><title>CS 101 sections</title></head><body>"
            "<table><tr><th>Section</th><th>Capacity</th><th>Enrolled</th>"
            f"<th>Available</th></tr>{rows}</table></body></html>")


JS_SEATS = """<!doctype html><html><head><title>Schedule Builder</title></head><body>
<div id="app"></div><noscript>Please enable JavaScript.</noscript>
<script>
fetch('/api/sections').then(r => r.json()).then(function (data) {
  var app = document.getElementById('app');
  data.forEach(function (s) {
    var d = document.createElement('div'); d.className = 'section';
    d.innerHTML = '<h3>Section ' + s.code + '</h3>' +
      '<p>Seats Open: ' + s.open + ' of ' + s.cap + '</p>';
    app.appendChild(d);
  });
});
</script></body></html>"""


JS_COMPUTED = """<!doctype html><html><head><title>Enrolment</title></head><body>
<div id="app"></div><noscript>Please enable JavaScript.</noscript>
<script>
fetch('/api/enrolment').then(r => r.json()).then(function (data) {
  var app = document.getElementById('app');
  data.forEach(function (s) {
    var d = document.createElement('div'); d.className = 'section';
    d.innerHTML = '<h3>Section ' + s.code + '</h3>' +
      '<p>Seats Open: ' + (s.cap - s.taken) + ' of ' + s.cap + '</p>';
    app.appendChild(d);
  });
});
</script></body></html>"""
"""Seats computed by script (capacity - taken): no JSON value equals what the page shows."""

JS_POSTED = JS_SEATS.replace("fetch('/api/sections')",
                             "fetch('/api/sections', {method: 'POST', body: '{}'})")
"""The same sections, asked for with a POST (not repeatable on its own)."""


class Site:
    """Threaded HTTP server on 127.0.0.x serving pages built from mutable `state`."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.state: dict[str, Any] = {
            "name": "Acme Kettle", "price": 49.99, "currency": "USD", "in_stock": True,
            "sections": [("A1", 30, 0), ("B2", 40, 5)], "delay": 0.0, "status": 200,
        }
        self.requests: dict[str, int] = {}
        self.not_modified = 0
        """304 answers sent (with `state["validators"]` on, pages carry an ETag)."""
        self.active = 0
        self.max_active = 0
        self.starts: list[float] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site._serve(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                site._serve(self)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> Site:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        with self._lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            self.starts.append(time.monotonic())
        try:
            if self.state["delay"]:
                time.sleep(self.state["delay"])
            status, ctype, body = self._route(path)
            if path.startswith("/api/") and self.state.get("api_fails_direct") \
                    and "sec-fetch-mode" not in h.headers:
                status, body = 500, "{}"  # only for a request made outside a browser
            data = body.encode("utf-8")
            validators = self.state.get("validators") and status == 200
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if validators and h.headers.get("If-None-Match") == etag:
                with self._lock:
                    self.not_modified += 1
                h.send_response(304)
                h.send_header("ETag", etag)
                h.end_headers()
                return
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(data)))
            if validators:
                h.send_header("ETag", etag)
                h.send_header("Last-Modified", "Sun, 01 Mar 2026 12:00:00 GMT")
            h.end_headers()
            h.wfile.write(data)
        finally:
            with self._lock:
                self.active -= 1

    def _route(self, path: str) -> tuple[int, str, str]:
        s = self.state
        html = "text/html; charset=utf-8"
        if path.startswith("/product"):
            if s["status"] != 200:
                return s["status"], html, "<h1>unavailable</h1>"
            return 200, html, product_page(s["name"], s["price"], s["currency"], s["in_stock"])
        if path == "/seats":
            return 200, html, seats_page(s["sections"])
        if path == "/js-seats":
            return 200, html, JS_SEATS
        if path == "/api/sections":
            data = [{"code": c, "cap": cap, "open": o} for c, cap, o in s["sections"]]
            return 200, "application/json", json.dumps(data)
        if path == "/js-computed":
            return 200, html, JS_COMPUTED
        if path == "/js-posted":
            return 200, html, JS_POSTED
        if path == "/api/enrolment":
            data = [{"code": c, "cap": cap, "taken": cap - o} for c, cap, o in s["sections"]]
            return 200, "application/json", json.dumps(data)
        if path == "/empty":
            return 200, html, "<html><body><p>Nothing to see.</p></body></html>"
        return 404, html, "<h1>not found</h1>"
