"""A local demo shop and course site whose numbers move, for `tui-tracker demo` and the bench.

Every value is a pure function of a *tick* (`clock() // period`, 5 s by default), so a
page shows the same numbers to every request within a tick and tests can pin the tick
by passing their own `clock`. Over one 24-tick cycle (two minutes):

* the kettle's price slides below 42.00 for 30 s (a `below` alert), and its name,
  `Deluxe [Limited] Kettle`, looks like Rich markup to prove page text stays literal;
* the headphones go out of stock for 30 s and come back (a back-in-stock alert);
* the grinder (EUR) drops about 13 % for 30 s (a `drop_pct` alert);
* CS 101 (a static Capacity/Enrolled/Available table) opens seats in a full section;
* MATH 221 is a script-built "schedule builder" page: an empty shell whose sections
  ("Seats Open: N of M" / "Full (0 of 35), Waitlist 4") come from a JSON endpoint,
  so only the browser fetcher can read it.

Only the standard library is used: a `ThreadingHTTPServer` in a daemon thread, bound
to loopback. Any query string is ignored, so the bench can make many distinct URLs
(`/shop/kettle?item=17`) that cost the same as the demo's own.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from tui_tracker.core.errors import InputError
from tui_tracker.core.model import FetchMode, Kind, Monitor, Rules

PERIOD = 5.0
"""Seconds per tick: how often the numbers may move."""
CYCLE = 24
"""Ticks per cycle; every scripted movement repeats after CYCLE * PERIOD seconds."""

KETTLE_TARGET = 42.0
"""The demo kettle monitor's `below` target; its price is under it for 6 ticks a cycle."""


@dataclass(frozen=True, slots=True)
class Product:
    slug: str
    name: str
    currency: str
    prices: tuple[float, ...]
    """One price per tick of the cycle."""
    list_price: float
    out_of_stock: frozenset[int] = frozenset()
    """Ticks of the cycle at which the product is sold out."""

    def price(self, tick: int) -> float:
        return self.prices[tick % CYCLE]

    def in_stock(self, tick: int) -> bool:
        return tick % CYCLE not in self.out_of_stock


PRODUCTS: dict[str, Product] = {
    p.slug: p
    for p in (
        Product(
            "kettle", "Deluxe [Limited] Kettle", "USD",
            (49.99, 49.49, 48.99, 47.99, 46.99, 45.99, 44.49, 42.99, 41.49, 39.99, 39.99, 39.99,
             40.49, 41.99, 43.49, 44.99, 46.49, 47.99, 49.49, 51.99, 52.49, 51.49, 50.99, 50.49),
            59.99,
        ),
        Product(
            "headphones", "Studio Headphones", "USD",
            (129.0,) * 18 + (124.0,) * 6,
            149.0,
            out_of_stock=frozenset(range(6, 12)),
        ),
        Product(
            "grinder", "Espresso Grinder", "EUR",
            (189.0,) * 6 + (184.5,) * 3 + (179.0,) * 3 + (164.0,) * 6 + (179.0,) * 3
            + (189.0,) * 3,
            219.0,
        ),
    )
}


def static_sections(tick: int) -> list[tuple[str, str, int, int]]:
    """CS 101's rows at `tick`: (section, instructor, capacity, enrolled).

    Section 001 is full except for ticks 6-14 of the cycle (a seats-opened alert);
    002 wobbles; 003 is always full.
    """
    t = tick % CYCLE
    lecture = 28 if 6 <= t < 12 else 29 if 12 <= t < 15 else 30
    lab = 24 - (0, 1, 3, 2, 4, 1)[t % 6]
    return [("001", "Hopper", 30, lecture), ("002", "Liskov", 24, lab),
            ("003", "Knuth", 40, 40)]


def schedule_sections(tick: int) -> list[dict[str, Any]]:
    """MATH 221's sections at `tick`, as the schedule builder's JSON endpoint returns them.

    Discussion 201 is full (wait list 4) except for ticks 16-21 (a seats-opened alert).
    """
    t = tick % CYCLE
    return [
        {"code": "101", "type": "Lecture", "capacity": 150, "open": 3 + t % 5, "waitlist": 0},
        {"code": "201", "type": "Discussion", "capacity": 35,
         "open": 2 if 16 <= t < 22 else 0, "waitlist": 0 if 16 <= t < 22 else 4},
        {"code": "202", "type": "Discussion", "capacity": 35, "open": max(0, 5 - t % 8),
         "waitlist": 0 if t % 8 < 5 else 2},
    ]


def _template(name: str) -> str:
    return resources.files("tui_tracker.demo").joinpath("pages", name).read_text("utf-8")


def _fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def _money(value: float, currency: str) -> str:
    """Shown price text in the shop's own convention (the JSON-LD carries the number)."""
    if currency == "EUR":
        return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " €"
    return f"${value:,.2f}"


def _script_json(data: object) -> str:
    """JSON safe inside <script>: `</` cannot close the element early."""
    return json.dumps(data).replace("</", "<\\/")


def product_page(product: Product, tick: int) -> str:
    price, in_stock = product.price(tick), product.in_stock(tick)
    availability = "InStock" if in_stock else "OutOfStock"
    ld = {
        "@context": "https://schema.org", "@type": "Product", "name": product.name,
        "sku": f"DEMO-{product.slug.upper()}",
        "offers": {"@type": "Offer", "price": f"{price:.2f}",
                   "priceCurrency": product.currency,
                   "availability": f"https://schema.org/{availability}"},
    }
    return _fill(
        _template("product.html"),
        name=html.escape(product.name),
        jsonld=_script_json(ld),
        list_price=html.escape(_money(product.list_price, product.currency)),
        price=html.escape(_money(price, product.currency)),
        stock="In stock - Add to cart" if in_stock else "Out of stock",
    )


def course_page(tick: int) -> str:
    rows = "\n".join(
        f"    <tr><td>CS 101-{code}</td><td>{name}</td><td>{cap}</td><td>{enrolled}</td>"
        f"<td>{cap - enrolled}</td></tr>"
        for code, name, cap, enrolled in static_sections(tick)
    )
    return _fill(_template("course.html"), title="CS 101 Intro to Programming - Sections",
                 rows=rows)


def index_page(urls: dict[str, str], tick: int) -> str:
    links = "\n".join(f'<li><a href="{html.escape(u)}">{html.escape(k)}</a></li>'
                      for k, u in urls.items())
    return _fill(_template("index.html"), tick=str(tick), links=links)


class DemoServer:
    """The demo site on a loopback address, served from a daemon thread.

    Args:
        host: address to bind; loopback only (127.0.0.0/8) so the demo never listens
            on a network.
        port: 0 picks a free port.
        period: seconds per tick.
        clock: time source, `time.time` by default; tests pass their own to pin ticks.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, period: float = PERIOD,
                 clock: Callable[[], float] = time.time) -> None:
        if not host.startswith("127."):
            raise InputError(f"The demo server binds to loopback only, not {host!r}.")
        self.host = host
        self.period = period
        self.clock = clock
        self.requests = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive: the engine's shared HTTP client and Chromium reuse connections,
            # as they would against a real site.
            protocol_version = "HTTP/1.1"
            server_version = "tui-tracker-demo"

            def log_message(self, *args: Any) -> None:
                pass  # the TUI owns the terminal

            def do_GET(self) -> None:
                server._serve(self)

        try:
            self._httpd = ThreadingHTTPServer((host, port), Handler)
        except OSError as exc:
            raise InputError(
                f"The demo server could not listen on {host}:{port}: {exc.strerror or exc}."
            ) from exc
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> DemoServer:
        # A short poll interval makes stop() return in ~0.1 s instead of 0.5 s.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.1,),
                                        name=f"demo-server-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ addresses

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def urls(self) -> dict[str, str]:
        """The watchable pages by short name (the keys `make_demo_monitors` expects)."""
        b = self.base_url
        return {**{slug: f"{b}/shop/{slug}" for slug in PRODUCTS},
                "cs101": f"{b}/courses/cs101", "math221": f"{b}/courses/math221"}

    def tick(self) -> int:
        return int(self.clock() // self.period)

    # ------------------------------------------------------------------ serving

    def _route(self, path: str, tick: int) -> tuple[int, str, str]:
        """(status, content type, body) for a path; pure apart from reading templates."""
        html_type = "text/html; charset=utf-8"
        if path in ("/", "/index.html"):
            return 200, html_type, index_page(self.urls, tick)
        if path.startswith("/shop/") and path[6:] in PRODUCTS:
            return 200, html_type, product_page(PRODUCTS[path[6:]], tick)
        if path == "/courses/cs101":
            return 200, html_type, course_page(tick)
        if path == "/courses/math221":
            page = _fill(_template("schedule.html"), api="/api/math221/sections.json")
            return 200, html_type, page
        if path == "/api/math221/sections.json":
            data = {"course": "MATH 221 Calculus I", "tick": tick,
                    "sections": schedule_sections(tick)}
            return 200, "application/json", json.dumps(data)
        return 404, html_type, "<!doctype html><title>Not found</title><h1>Not found</h1>"

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests += 1
        status, ctype, body = self._route(urlsplit(handler.path).path, self.tick())
        data = body.encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()
        handler.wfile.write(data)


def make_demo_monitors(urls: dict[str, str]) -> list[Monitor]:
    """The demo's monitors over `DemoServer.urls`, with short intervals and one rule each.

    Ids are left empty for the store to assign. The kettle has no name on purpose:
    it is named from the page, showing that `[Limited]` stays literal text.
    """
    return [
        Monitor(id="", url=urls["kettle"], kind=Kind.PRICE, fetcher=FetchMode.HTTP,
                interval=15.0, rules=Rules(below=KETTLE_TARGET), tags=["kitchen"]),
        Monitor(id="", url=urls["headphones"], name="Studio Headphones (restocks)",
                kind=Kind.PRICE, fetcher=FetchMode.HTTP, interval=20.0,
                rules=Rules(back_in_stock=True)),
        Monitor(id="", url=urls["grinder"], name="Espresso Grinder (EUR)", kind=Kind.PRICE,
                fetcher=FetchMode.HTTP, interval=20.0, rules=Rules(drop_pct=10.0),
                tags=["kitchen"]),
        Monitor(id="", url=urls["cs101"], name="CS 101 sections", kind=Kind.SEATS,
                fetcher=FetchMode.HTTP, interval=15.0, rules=Rules(seats_opened=True),
                tags=["cs", "fall"]),
        Monitor(id="", url=urls["math221"], name="MATH 221 (schedule builder, JS)",
                kind=Kind.SEATS, fetcher=FetchMode.BROWSER, interval=30.0,
                rules=Rules(seats_opened=True), tags=["math", "fall"]),
    ]
