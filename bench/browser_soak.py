"""Soak the browser fetcher with thousands of checks and watch memory (HOSTILE-INPUTS 26).

A reused Chromium creeps in memory (919 -> 1402 MB over 300 navigations) and so does
the Playwright node driver, which is why `BrowserFetcher` relaunches both every
`settings.browser_recycle` checks. This benchmark runs a long series of real browser
checks and samples the memory of the whole process tree so the effect of recycling
(and of turning it off with `--recycle 100000`) can be seen:

* the demo site (`tui_tracker/demo/server.py`) runs on 127.0.0.2 .. 127.0.0.5, one
  server per address, inside this process; every check reads its script-built
  `math221` page (a distinct `?n=` per check, which the server ignores);
* checks go through `tui_tracker.engine.probe.probe(pool, url, kind=SEATS,
  fetch=BROWSER)` with a `FetcherPool(settings)`, so the real ready-predicate path
  is used; the pool builds the `BrowserFetcher(settings)`;
* `--pages` workers run checks at once (the same number as the fetcher's tabs);
* every `--every` checks (default 100) psutil samples the process tree under this
  process (Python + Playwright's node driver + Chromium): RSS and PSS in total and by
  role, Chromium process count, zombie (`<defunct>`) descendants, checks/s and
  failures in that window, the fetcher's `launches` counter, and how many Chromium
  processes once seen in the tree now hang outside it (orphans, HOSTILE-INPUTS 27).

RSS counts pages shared between Chromium's processes once per process, so PSS is the
honest total. Prints figures and asserts nothing; see bench/README.md for results.

    .venv/bin/python bench/browser_soak.py                      # 2000 checks, defaults
    .venv/bin/python bench/browser_soak.py --recycle 100000     # never recycle
    .venv/bin/python bench/browser_soak.py --checks 500 --pages 8
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402  (after the path fix so a non-installed checkout works)

from tui_tracker.config import Settings  # noqa: E402
from tui_tracker.core.model import FetchMode, Kind  # noqa: E402
from tui_tracker.demo.server import DemoServer  # noqa: E402
from tui_tracker.engine.probe import FetcherPool, probe  # noqa: E402
from tui_tracker.fetchers.browser import BrowserFetcher  # noqa: E402

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5")
MB = 1024 * 1024


@dataclass(slots=True)
class Sample:
    """One look at the process tree after `done` checks."""

    done: int
    elapsed: float
    rss: int
    pss: int
    pss_python: int
    pss_driver: int
    pss_chromium: int
    chromium_procs: int
    zombies: int
    rate: float
    """Checks per second since the previous sample."""
    failed: int
    """Failed checks since the previous sample."""
    launches: int
    orphans: int
    """Chromium processes seen in our tree earlier that now hang outside it (`orphans`)."""


def _role(proc: psutil.Process, me: int) -> str:
    if proc.pid == me:
        return "python"
    try:
        name = proc.name().lower()
        exe = (proc.cmdline() or [""])[0].lower()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return "other"
    if "chrom" in name or "chrom" in exe or "headless" in name:
        return "chromium"
    if name.startswith("node") or exe.endswith("/node"):  # the driver's comm: node-MainThread
        return "driver"
    return "other"


def measure_tree(seen: set[tuple[int, float]] | None = None) -> dict[str, int]:
    """RSS/PSS totals and by role, Chromium process count and zombies under this process.

    Adds each Chromium process's (pid, start time) to `seen`, for `orphans`. Runs in a
    worker thread: reading smaps_rollup of ~15 processes takes a few ms.
    """
    me = os.getpid()
    root = psutil.Process(me)
    out = Counter[str]()
    for proc in [root, *root.children(recursive=True)]:
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                out["zombies"] += 1
                continue
            role = _role(proc, me)
            info = proc.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        pss = getattr(info, "pss", info.rss)
        out["rss"] += info.rss
        out["pss"] += pss
        out[f"pss_{role}"] += pss
        if role == "chromium":
            out["chromium_procs"] += 1
            if seen is not None:
                with contextlib.suppress(psutil.Error):
                    seen.add((proc.pid, proc.create_time()))
    return out


class Soak:
    """Runs the checks with bounded concurrency and samples every `every` checks."""

    def __init__(self, pool: FetcherPool, urls: list[str], checks: int, pages: int,
                 every: int) -> None:
        self.pool = pool
        self.urls = urls
        self.checks = checks
        self.pages = pages
        self.every = every
        self.fetcher = pool.get("browser")
        assert isinstance(self.fetcher, BrowserFetcher)
        self.samples: list[Sample] = []
        self.errors: Counter[str] = Counter()
        self.seen: set[tuple[int, float]] = set()
        """Chromium processes any sample saw in our tree: (pid, start time)."""
        self.started = 0
        self.done = 0
        self.failed = 0
        self._last_done = 0
        self._last_failed = 0
        self._t0 = 0.0
        self._last_t = 0.0
        self._sampling: list[asyncio.Task[None]] = []

    async def run(self) -> float:
        self._t0 = self._last_t = time.perf_counter()
        await asyncio.gather(*(self._worker() for _ in range(self.pages)))
        await asyncio.gather(*self._sampling)
        return time.perf_counter() - self._t0

    async def _worker(self) -> None:
        while self.started < self.checks:
            n = self.started
            self.started += 1
            url = self.urls[n % len(self.urls)] + f"?n={n}"
            result = await probe(self.pool, url, kind=Kind.SEATS, fetch=FetchMode.BROWSER)
            self.done += 1
            if not result.ok:
                self.failed += 1
                self.errors[str(result.error)] += 1
            if self.done % self.every == 0 or self.done == self.checks:
                self._sampling.append(asyncio.create_task(self._sample()))

    async def _sample(self) -> None:
        # Window figures are taken on the loop, before the thread hop, so they are exact.
        now, done, failed = time.perf_counter(), self.done, self.failed
        rate = (done - self._last_done) / max(now - self._last_t, 1e-9)
        window_failed = failed - self._last_failed
        self._last_t, self._last_done, self._last_failed = now, done, failed
        launches = self.fetcher.launches
        m = await asyncio.to_thread(measure_tree, self.seen)
        orphaned, _ = await asyncio.to_thread(orphans, self.seen)
        sample = Sample(done, now - self._t0, m["rss"], m["pss"], m["pss_python"],
                        m["pss_driver"], m["pss_chromium"], m["chromium_procs"],
                        m["zombies"], rate, window_failed, launches, orphaned)
        self.samples.append(sample)
        print(_row(sample), flush=True)


HEADER = (f"{'checks':>7} {'time s':>7} {'RSS MB':>7} {'PSS MB':>7} {'py':>5} {'node':>5} "
          f"{'chrom':>6} {'procs':>5} {'Z':>3} {'chk/s':>6} {'fail':>5} {'launch':>6} {'orph':>4}")


def _row(s: Sample) -> str:
    return (f"{s.done:>7} {s.elapsed:>7.1f} {s.rss / MB:>7.0f} {s.pss / MB:>7.0f} "
            f"{s.pss_python / MB:>5.0f} {s.pss_driver / MB:>5.0f} {s.pss_chromium / MB:>6.0f} "
            f"{s.chromium_procs:>5} {s.zombies:>3} {s.rate:>6.1f} {s.failed:>5} "
            f"{s.launches:>6} {s.orphans:>4}")


def orphans(seen: set[tuple[int, float]]) -> tuple[int, int]:
    """Chromium processes once sampled in our tree that now live (or lie dead) outside it.

    After `browser.close()` Chromium helpers may be reparented to PID 1 (HOSTILE 27),
    where `measure_tree` cannot see them; a process counts as ours only if a sample saw
    it under this process (same pid and start time), so other Chromium users on the host
    are not counted. Short-lived helpers never sampled are missed. Returns (orphans,
    of which zombies): a zombie orphan waits for PID 1 to reap it, which an init that
    does not reap (Docker without --init) never does.
    """
    tree = {p.pid for p in psutil.Process().children(recursive=True)}
    count = zombies = 0
    for pid, created in seen:
        try:
            proc = psutil.Process(pid)
            if proc.create_time() == created and pid not in tree:
                count += 1
                zombies += proc.status() == psutil.STATUS_ZOMBIE
        except psutil.Error:
            continue
    return count, zombies


def summary(soak: Soak, wall: float, after_close: dict[str, int]) -> str:
    s = soak.samples
    if not s:
        return "no samples"
    first, last = s[0], s[-1]
    peak_pss = max(s, key=lambda x: x.pss)
    peak_rss = max(s, key=lambda x: x.rss)
    lines = [
        "",
        f"checks {soak.done}, failed {soak.failed}, wall {wall:.1f} s, "
        f"{soak.done / wall:.1f} checks/s overall",
        f"PSS first window {first.pss / MB:.0f} MB (node {first.pss_driver / MB:.0f}, "
        f"chromium {first.pss_chromium / MB:.0f}) -> last window {last.pss / MB:.0f} MB "
        f"(node {last.pss_driver / MB:.0f}, chromium {last.pss_chromium / MB:.0f})",
        f"RSS first window {first.rss / MB:.0f} MB -> last window {last.rss / MB:.0f} MB",
        f"max PSS {peak_pss.pss / MB:.0f} MB (after {peak_pss.done} checks), "
        f"max RSS {peak_rss.rss / MB:.0f} MB (after {peak_rss.done} checks), "
        f"max node PSS {max(x.pss_driver for x in s) / MB:.0f} MB, "
        f"max Chromium processes {max(x.chromium_procs for x in s)}, "
        f"max zombies {max(x.zombies for x in s)}",
        f"browser launches {soak.fetcher.launches}, tabs opened "
        f"{soak.fetcher.pages_created}, fetcher checks {soak.fetcher.checks}",
        f"after aclose(): {after_close.get('chromium_procs', 0)} Chromium processes, "
        f"{after_close.get('zombies', 0)} zombies, tree PSS "
        f"{after_close.get('pss', 0) / MB:.0f} MB; sampled Chromium processes "
        f"{len(soak.seen)}, left outside the tree {after_close.get('orphans', 0)} "
        f"({after_close.get('orphan_zombies', 0)} of them zombies)",
    ]
    for error, count in soak.errors.most_common(5):
        lines.append(f"  {count} x {error}")
    return "\n".join(lines)


async def amain(args: argparse.Namespace) -> int:
    servers: list[DemoServer] = []
    try:
        for host in HOSTS:
            servers.append(DemoServer(host=host).start())
        urls = [s.urls["math221"] for s in servers]
        settings = Settings(browser_pages=args.pages)
        if args.recycle is not None:
            settings.browser_recycle = args.recycle
        pool = FetcherPool(settings)
        soak = Soak(pool, urls, args.checks, args.pages, args.every)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.checks} checks, "
              f"{args.pages} pages, recycle every {settings.browser_recycle} checks, "
              f"browser_wait {settings.browser_wait} s, hosts {HOSTS[0]}-{HOSTS[-1]}")
        print("memory in MB (PSS by role: py = this Python, node = Playwright driver, "
              "chrom = Chromium); Z = zombie descendants; chk/s and fail per window; "
              "orph = Chromium processes once in the tree, now outside it")
        print(HEADER, flush=True)
        try:
            wall = await soak.run()
        finally:
            await pool.aclose()
        await asyncio.sleep(0.5)  # let exiting children be reaped before the last look
        after_close = await asyncio.to_thread(measure_tree)
        after_close["orphans"], after_close["orphan_zombies"] = await asyncio.to_thread(
            orphans, soak.seen)
        print(summary(soak, wall, after_close))
    finally:
        for s in servers:
            s.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=2000, metavar="N",
                        help="browser checks to run (default 2000)")
    parser.add_argument("--recycle", type=int, default=None, metavar="K",
                        help="relaunch the browser every K checks "
                             f"(default Settings().browser_recycle = "
                             f"{Settings().browser_recycle})")
    parser.add_argument("--pages", type=int, default=Settings().browser_pages, metavar="P",
                        help="browser tabs, and checks in flight at once "
                             f"(default {Settings().browser_pages})")
    parser.add_argument("--every", type=int, default=100, metavar="S",
                        help="sample memory every S checks (default 100)")
    args = parser.parse_args(argv)
    if args.checks < 1 or args.pages < 1 or args.every < 1:
        parser.error("--checks, --pages and --every must be at least 1")
    if args.recycle is not None and args.recycle < 1:
        parser.error("--recycle must be at least 1")
    return asyncio.run(amain(args))


if __name__ == "__main__":
    sys.exit(main())
