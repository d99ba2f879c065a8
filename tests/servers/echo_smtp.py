"""A hostile SMTP server that echoes the client's AUTH data back in its 535 reply
(HOSTILE-INPUTS 59). aiosmtpd never does this, so it is a few lines of socket code.

`mechanism` is what it advertises: "PLAIN" (the blob arrives on the AUTH line or
after a 334) or "LOGIN" (user and password each base64 on their own line).
"""

from __future__ import annotations

import socketserver
import threading


class EchoAuthSmtp:
    def __init__(self, mechanism: str = "PLAIN") -> None:
        self.mechanism = mechanism
        self.seen: list[str] = []
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                owner._session(self.rfile, self.wfile)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _session(self, rfile, wfile) -> None:
        def say(line: str) -> None:
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        def hear() -> str:
            line = rfile.readline().decode("utf-8", "replace").rstrip("\r\n")
            self.seen.append(line)
            return line

        say("220 echo.test ESMTP")
        while True:
            line = hear()
            verb = line.split(" ", 1)[0].upper()
            if not line or verb == "QUIT":
                say("221 bye")
                return
            if verb in ("EHLO", "HELO"):
                say("250-echo.test")
                say(f"250 AUTH {self.mechanism}")
            elif verb == "AUTH":
                parts = line.split()
                echoed = []
                if parts[1].upper() == "PLAIN":
                    if len(parts) > 2:
                        echoed.append(parts[2])
                    else:
                        say("334 ")
                        echoed.append(hear())
                else:  # LOGIN: the user may come with the AUTH line
                    if len(parts) > 2:
                        echoed.append(parts[2])
                    else:
                        say("334 VXNlcm5hbWU6")
                        echoed.append(hear())
                    say("334 UGFzc3dvcmQ6")
                    echoed.append(hear())
                say(f"535 5.7.8 Authentication failed for {' '.join(echoed)}")
            else:
                say("503 5.5.1 AUTH first")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> EchoAuthSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


