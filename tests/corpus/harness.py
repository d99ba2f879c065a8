"""Probe every corpus page through the real fetchers and compare with what it must read.

Shared by tests/corpus/test_corpus.py (one test per page) and
bench/extraction_accuracy.py (shares per family, time per page). The probe is the one
`tui-tracker probe URL --kind K` runs: plain HTTP first, Chromium when the static page
yields nothing and runs scripts, with the JSON the page fetched recorded.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.corpus import server as corpus_server
from tui_tracker.config import Settings
from tui_tracker.core.model import FetchMode, Kind
from tui_tracker.engine.probe import FetcherPool, probe

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Case:
    """One corpus page and its expectation file."""

    path: Path
    """The .json expectation file."""
    spec: dict[str, Any]

    @property
    def page(self) -> Path:
        return self.path.with_suffix(".html")

    @property
    def name(self) -> str:
        return str(self.page.relative_to(ROOT))

    @property
    def kind(self) -> str:
        return str(self.spec.get("kind", "price"))

    @property
    def family(self) -> str:
        return f"{self.path.parent.parent.name}/{self.path.parent.name}"

    @property
    def holdout(self) -> bool:
        return bool(self.spec.get("holdout"))


@dataclass(slots=True)
class Outcome:
    case: Case
    result: dict[str, Any]
    seconds: float
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def cases(kind: str | None = None) -> list[Case]:
    """Every page with an expectation file, sorted by path."""
    found = []
    for sub in ("seats", "prices"):
        for path in sorted((ROOT / sub).glob("*/*.json")):
            if not path.with_suffix(".html").is_file():
                continue
            spec = json.loads(path.read_text(encoding="utf-8"))
            case = Case(path, spec)
            if kind is None or case.kind == kind:
                found.append(case)
    return found


def _norm(text: object) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text or "").lower())


def _same_number(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return math.isclose(float(a), float(b), abs_tol=0.005)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def judge(case: Case, result: dict[str, Any]) -> list[str]:
    """What the probe result got wrong against the case's expectation ([] = right)."""
    spec = case.spec
    if case.kind == "seats":
        return _judge_seats(spec, result)
    return _judge_price(spec, result)


def _judge_seats(spec: dict[str, Any], result: dict[str, Any]) -> list[str]:
    if not result.get("ok"):
        return [f"failed: {result.get('error')}"]
    if result.get("kind") != "seats":
        return [f"read as {result.get('kind')}"]
    want = spec.get("sections") or []
    got = result.get("readings") or []
    problems = []
    if len(got) != len(want):
        problems.append(f"{len(got)} sections read, {len(want)} expected")
    keys = [r.get("key") for r in got]
    if len(set(keys)) != len(keys):
        problems.append("duplicate keys")
    for i, (w, g) in enumerate(zip(want, got, strict=False)):
        ident = _norm(w.get("id"))
        where = f"section {i + 1} ({w.get('id')})"
        if ident and (ident not in _norm(g.get("key")) or ident not in _norm(g.get("label"))):
            problems.append(f"{where}: key/label {g.get('key')!r}/{g.get('label')!r}")
        if not _same_number(w.get("value"), g.get("value")):
            problems.append(f"{where}: value {g.get('value')} != {w.get('value')}")
        if w.get("status") and w.get("status") != g.get("status"):
            problems.append(f"{where}: status {g.get('status')} != {w.get('status')}")
        if len(problems) > 6:
            break
    return problems


def _judge_price(spec: dict[str, Any], result: dict[str, Any]) -> list[str]:
    if spec.get("expect") == "ambiguous":
        if result.get("ok"):
            return [f"guessed {result['readings'][0].get('value')} on an ambiguous page"]
        if len(result.get("candidates") or []) < 2:
            return ["failed without listing the candidates"]
        return []
    if not result.get("ok"):
        return [f"failed: {result.get('error')}"]
    problems = []
    reading = (result.get("readings") or [{}])[0]
    if result.get("kind") != "price":
        problems.append(f"read as {result.get('kind')}")
    if not _same_number(spec.get("price"), reading.get("value")):
        problems.append(f"price {reading.get('value')} != {spec.get('price')}")
    if spec.get("currency") and reading.get("unit") != spec["currency"]:
        problems.append(f"currency {reading.get('unit')} != {spec['currency']}")
    if "in_stock" in spec and result.get("in_stock") != spec["in_stock"]:
        problems.append(f"in_stock {result.get('in_stock')} != {spec['in_stock']}")
    want_title = spec.get("title_contains")
    if want_title and want_title.lower() not in str(result.get("title") or "").lower():
        problems.append(f"title {result.get('title')!r} lacks {want_title!r}")
    return problems


async def _probe_all(selected: list[Case], base: str, concurrency: int,
                     settings: Settings, auto: bool = False) -> list[Outcome]:
    pool = FetcherPool(settings)
    gate = asyncio.Semaphore(concurrency)

    async def one(case: Case) -> Outcome:
        url = base + case.name + str(case.spec.get("query") or "")
        async with gate:
            start = time.perf_counter()
            kind = Kind.AUTO if auto else Kind(case.kind)
            res = await probe(pool, url, kind=kind, fetch=FetchMode.AUTO)
            seconds = time.perf_counter() - start
        result = res.to_json()
        return Outcome(case, result, seconds, judge(case, result))

    try:
        return list(await asyncio.gather(*(one(c) for c in selected)))
    finally:
        await pool.aclose()


def run(selected: list[Case], *, concurrency: int = 4, settings: Settings | None = None,
        auto: bool = False) -> list[Outcome]:
    """Serve the corpus on 127.0.0.1 and probe `selected`; one Outcome per case.

    `auto` probes as `add URL` without `--kind` does: the reader must also tell a seat
    page from a shop page (the judge then checks the kind it settled on)."""
    srv, base = corpus_server.start()
    try:
        return asyncio.run(_probe_all(selected, base, concurrency, settings or Settings(),
                                      auto))
    finally:
        srv.shutdown()


_lock = threading.Lock()
_cache: dict[str, Outcome] = {}


def outcome(case: Case) -> Outcome:
    """The outcome of one case, probing the whole corpus once per process (concurrently)."""
    with _lock:
        if not _cache:
            for out in run(cases()):
                _cache[out.case.name] = out
        return _cache[case.name]
