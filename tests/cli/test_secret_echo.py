"""An SMTP server that echoes the client's AUTH line in its 535 reply (issue 10.7,
HOSTILE-INPUTS 59): neither the password nor any encoding of it the client sent reaches
`notify-test` output, the stored deliveries, or any file in the data dir."""

from __future__ import annotations

import base64

import pytest

from tests.cli.conftest import Cli
from tests.servers.echo_smtp import EchoAuthSmtp
from tests.servers.site import Site

USER = "alice"
PASSWORD = "hunter2-very-secret"


def encodings() -> list[bytes]:
    pw = PASSWORD.encode()
    forms = [pw, base64.b64encode(pw), base64.b64encode(f"\0{USER}\0".encode() + pw),
             base64.b64encode(f"{USER}\0{USER}\0".encode() + pw)]
    # A reply cut short still must not carry a recognisable piece of the blob.
    return forms + [f[:16] for f in forms[1:]]


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_echoed_auth_blob_never_leaks(cli: Cli, site: Site, mechanism: str) -> None:
    with EchoAuthSmtp(mechanism) as server:
        cli.env.update({
            "TUI_TRACKER_SMTP_HOST": "127.0.0.1", "TUI_TRACKER_SMTP_PORT": str(server.port),
            "TUI_TRACKER_SMTP_TLS": "none", "TUI_TRACKER_SMTP_USER": USER,
            "TUI_TRACKER_SMTP_PASSWORD": PASSWORD, "TUI_TRACKER_NOTIFY_TO": "me@example.com",
        })
        proc = cli("notify-test")
        assert proc.returncode == 1 and "535" in proc.stderr, proc.stderr
        cli.json("add", site.url("/product/1"), "--below", "100")
        cli.json("check")  # fires; the delivery fails with the echoing 535
        events = cli("notifications", "--json").stdout
        assert "535" in events  # the server's answer is kept, scrubbed
        sent = " ".join(server.seen)
    assert base64.b64encode(PASSWORD.encode()).decode()[:8] in sent or \
        base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode() in sent  # it did echo
    outputs = [proc.stdout.encode(), proc.stderr.encode(), events.encode()]
    files = [p.read_bytes() for p in cli.data_dir.rglob("*") if p.is_file()]
    for blob in outputs + files:
        for form in encodings():
            assert form not in blob, (form, blob[:400])
