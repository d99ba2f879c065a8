"""One rule for "a browser would run this `<script>`": raw HTML and parsed pages agree."""

from __future__ import annotations

import pytest

from tui_tracker.extractors.document import parse
from tui_tracker.extractors.scripts import executable_type, runs_scripts

CASES = [
    ("<script>x()</script>", True),
    ('<script src="a.js"></script>', True),
    ('<script type="module">x()</script>', True),
    ("<script type='text/javascript'>x()</script>", True),
    ("<script type=text/javascript>x()</script>", True),
    ('<script type="text/ecmascript">x()</script>', True),
    ('<script async type="module" src="x.js"></script>', True),
    ('<script type="text/javascript;version=1.8">x()</script>', True),
    ('<script type="application/ld+json">{"@type": "Product"}</script>', False),
    ('<script type="application/json">{"a": 1}</script>', False),
    ('<script type="text/template"><b>x</b></script>', False),
    ('<script type="javascriptx">x()</script>', False),
    ("<p>no scripts here</p>", False),
]


@pytest.mark.parametrize(("html", "runs"), CASES)
def test_raw_html_and_parsed_page_agree(html: str, runs: bool) -> None:
    page = f"<html><head>{html}</head><body><p>text</p></body></html>"
    assert runs_scripts(page) is runs
    parsed = [executable_type(el.get("type")) for el in parse(page).root.iter("script")]
    assert any(parsed) is runs


def test_only_the_first_chars_are_scanned() -> None:
    page = "x" * 100 + "<script>x()</script>"
    assert runs_scripts(page)
    assert not runs_scripts(page, limit=100)
