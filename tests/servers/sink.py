"""A local webhook / ntfy-compatible sink that records what it receives, failing on demand.

Apprise's `json://127.0.0.1:PORT/path` posts a JSON object (`title`, `message`, ...)
and `ntfy://127.0.0.1:PORT/topic` posts to the ntfy server; both land here. With
`fail = N` the next N requests answer 500 and echo the request's Authorization
header in the body (a server that repeats the client's credentials, HOSTILE 59).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Sink:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.received: list[dict[str, Any]] = []
        self.fail = 0
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                sink._serve(self)

            do_PUT = do_POST

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]

    def start(self) -> Sink:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length", "0") or 0)
        raw = h.rfile.read(length).decode("utf-8", "replace")
        try:
            body: Any = json.loads(raw)
        except json.JSONDecodeError:
            body = raw
        with self._lock:
            failing = self.fail > 0
            if failing:
                self.fail -= 1
            else:
                self.received.append({"path": h.path, "headers": dict(h.headers.items()),
                                      "body": body})
        status = 500 if failing else 200
        reply = (f"error: could not deliver for {h.headers.get('Authorization', '')}"
                 if failing else '{"id": "1", "event": "message"}').encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(reply)))
        h.end_headers()
        h.wfile.write(reply)

    def texts(self) -> list[str]:
        """Each received message as one string (title and message together)."""
        out = []
        for r in self.received:
            b = r["body"]
            out.append(json.dumps(b) if not isinstance(b, str) else b)
        return out
