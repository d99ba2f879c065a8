"""A static file server for the extraction corpus, with a `delay` knob for slow APIs.

Serves `tests/corpus/` at http://127.0.0.1:PORT/ exactly as files are on disk
(`seats/banner8/detail-open.html`, `prices/shopify/dawn-variant.api/product.json`).
Any request may carry `delay=MS` in its query string: the answer is held back that
long, so a JS page can model an API that answers after 2 s (`fetch("x.json?delay=2000")`).
The query string is otherwise ignored (a page asked for as `page.html?variant=42`
is the same file). Run it by hand to look at pages: `python tests/corpus/server.py 8765`.
"""

from __future__ import annotations

import mimetypes
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

ROOT = Path(__file__).resolve().parent
MAX_DELAY_MS = 20_000


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        delay = query.get("delay", ["0"])[0]
        if delay.isdigit():
            time.sleep(min(int(delay), MAX_DELAY_MS) / 1000)
        path = (ROOT / unquote(parts.path).lstrip("/")).resolve()
        if ROOT not in path.parents or not path.is_file():
            self._send(404, b"not found", "text/plain")
            return
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith(("json", "javascript")):
            ctype += "; charset=utf-8"
        self._send(200, path.read_bytes(), ctype)

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def start(port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve the corpus in a daemon thread; returns (server, base URL ending in '/')."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


if __name__ == "__main__":
    srv, base = start(int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    print(f"serving {ROOT} at {base}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        srv.shutdown()
