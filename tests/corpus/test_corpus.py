"""Every corpus page is read right: seats per section, the current price, stock.

The whole corpus is probed once (concurrently, real HTTP and real Chromium) by the
harness; each page is then its own test so a failure names the page and what it got.
"""

from __future__ import annotations

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


@pytest.mark.timeout(900)
@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_page_is_read_right(case: Case) -> None:
    out = outcome(case)
    assert out.ok, f"{case.name} ({case.spec.get('models')}): " + "; ".join(out.problems)


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
