"""Every corpus page is read right: seats per section, the current price, stock.

The whole corpus is probed once (concurrently, real HTTP and real Chromium) by the
harness; each page is then its own test so a failure names the page and what it got.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus.harness import Case, cases, outcome

ALL = cases()


def test_corpus_is_broad() -> None:
    """The corpus covers what issue 8 asks: families, not examples."""
    seats = [c for c in ALL if c.kind == "seats"]
    prices = [c for c in ALL if c.kind == "price"]
    assert len(seats) >= 70, f"only {len(seats)} seat pages"
    assert len({c.family for c in seats}) >= 12, "fewer than 12 registration systems"
    assert len(prices) >= 80, f"only {len(prices)} price pages"
    assert len({c.family for c in prices}) >= 20, "fewer than 20 storefront platforms"
    assert len({c.spec.get("locale") for c in prices}) >= 10, "fewer than 10 locales"


def _known_misses() -> dict[str, str]:
    """Pages the extractor is known to read wrong: name -> what goes wrong (one line).

    Listed in known_misses.txt so the closing notes and the README can name the layouts
    not read yet. Each is a strict xfail: once such a page reads right the test fails
    until it is taken off the list, so the list cannot go stale.
    """
    path = Path(__file__).with_name("known_misses.txt")
    misses: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else ():
        if line.strip() and not line.startswith("#"):
            name, _, why = line.partition(" ")
            misses[name] = why.strip()
    return misses


KNOWN = _known_misses()


def _param(case: Case) -> object:
    why = KNOWN.get(case.name)
    marks = [pytest.mark.xfail(reason=f"known miss: {why}", strict=True)] if why else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.timeout(900)
@pytest.mark.parametrize("case", [_param(c) for c in ALL])
def test_page_is_read_right(case: Case) -> None:
    out = outcome(case)
    assert out.ok, f"{case.name} ({case.spec.get('models')}): " + "; ".join(out.problems)


def test_known_misses_name_real_pages() -> None:
    names = {c.name for c in ALL}
    assert not set(KNOWN) - names, f"known_misses.txt names no such page: {set(KNOWN) - names}"


@pytest.mark.parametrize("checker", ["check_corpus.py", "check_prices.py"])
def test_expectation_files_are_well_formed(checker: str) -> None:
    """The corpus's own checkers (ids present in the page, statuses, ISO codes...) pass."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).with_name(checker)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
