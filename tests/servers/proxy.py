"""A tiny forward HTTP proxy on 127.0.0.1 that records which URLs went through it.

Enough for plain-http targets (what a loopback test site is): the client sends
`GET http://host:port/path`, the proxy fetches it and relays status, headers and body.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
        "upgrade", "proxy-authorization", "content-length"}


class Proxy:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.seen: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy._relay(self)

            def do_CONNECT(self) -> None:  # https is not needed by the tests
                self.send_error(501)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"

    def start(self) -> Proxy:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _relay(self, h: BaseHTTPRequestHandler) -> None:
        self.seen.append(h.path)
        target = urlsplit(h.path)
        if not target.hostname:
            h.send_error(400, "not a proxy request")
            return
        conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=10)
        path = target.path + (f"?{target.query}" if target.query else "")
        headers = {k: v for k, v in h.headers.items() if k.lower() not in _HOP}
        conn.request("GET", path or "/", headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        h.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in _HOP:
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
        conn.close()
