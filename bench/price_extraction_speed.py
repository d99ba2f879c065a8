"""CPU time of price extraction alone (no fetch): the corpus pages and synthetic big pages.

Prints the median and worst CPU milliseconds per corpus price page (each extracted a
few times), then the time for synthetic category-like pages of growing size (a product
plus N related cards), so a change that makes extraction grow badly shows up here.
Asserts nothing.

    .venv/bin/python bench/price_extraction_speed.py [--repeat 5] [--cards 1000 4000 12000]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract

ROOT = Path(__file__).resolve().parents[1]


def _cpu_ms(html: str, repeat: int) -> float:
    start = time.process_time()
    for _ in range(repeat):
        with contextlib.suppress(ExtractionError):  # an ambiguous page costs the same
            extract(html, url="http://127.0.0.1/p", kind=Kind.PRICE)
    return (time.process_time() - start) / repeat * 1000


def _card_page(cards: int) -> str:
    items = "".join(
        f'<li class="card"><a href="/p/{i}"><img src="/i{i}.jpg"><h3>Item {i}</h3></a>'
        f'<span class="price">${i % 90 + 10}.99</span><s>${i % 90 + 20}.00</s></li>'
        for i in range(cards))
    return ('<html lang="en"><body><h1>Main thing</h1><div class="price">$49.99</div>'
            f'<section class="related"><ul class="grid">{items}</ul></section></body></html>')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cards", type=int, nargs="*", default=[1000, 4000, 12000])
    args = parser.parse_args()
    _cpu_ms(_card_page(10), 1)  # warm-up: compile the patterns before timing anything
    pages = sorted((ROOT / "tests" / "corpus" / "prices").glob("*/*.html"))
    timed = [(_cpu_ms(p.read_text(encoding="utf-8"), args.repeat), p) for p in pages]
    if timed:
        worst = max(timed)
        print(f"corpus: {len(timed)} pages, median {statistics.median(t for t, _ in timed):.1f} "
              f"ms CPU, worst {worst[0]:.1f} ms ({worst[1].relative_to(ROOT)})")
    for cards in args.cards:
        html = _card_page(cards)
        print(f"{cards:6d} cards ({len(html) / 1e6:.1f} MB): "
              f"{_cpu_ms(html, max(1, args.repeat // 5)):8.0f} ms CPU")


if __name__ == "__main__":
    main()
