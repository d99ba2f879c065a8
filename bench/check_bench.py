"""Benchmark one `tui-tracker check --json` pass over many static pages and many JS pages.

Usage (from the repo root, with the project's virtualenv):

    .venv/bin/python bench/check_bench.py                 # 500 static, 40 JS pages
    .venv/bin/python bench/check_bench.py --static 2000 --js 0 --hosts 8

The pages come from the demo site (`tui_tracker/demo/server.py`), one server per
loopback address (127.0.0.2, 127.0.0.3, ...) so the engine's per-host limits act as
they would on real many-host work; each monitor gets a distinct URL (`?item=N`).
Monitors go in through `tui-tracker import` of a generated export file, and each pass
is a real subprocess (`python -m tui_tracker --data-dir TMP check --json`), measured
from outside:

* wall time and checks/s;
* CPU seconds per check: the child's user+system time from rusage, which includes
  every descendant it reaped (Playwright's driver and Chromium);
* peak RSS and peak PSS of the whole process tree, sampled with psutil (PSS splits
  shared pages between Chromium's processes; RSS counts them once per process);
* how many checks were ok and how many failed, and how the ok ones read their values
  (`read` in check --json: http, not-modified, same-body, browser, endpoint).

Every set of monitors is checked twice: the *first check* of new monitors, then the
*next check* over the same data dir, which is what a scheduled pass does from then on
(and what urlwatch is measured on: its first run only fills its cache). The demo's
values hold still for `--period` seconds (default an hour) so the next check sees the
same values; `--period 5` (the demo's own) moves them every 5 s. The JS pages are
checked with learned data endpoints off (every check renders) and on.

It asserts nothing: figures depend on the machine. See bench/README.md for results.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402  (after the path fix so a non-installed checkout works)

from bench import peers  # noqa: E402
from tui_tracker.demo.server import PRODUCTS, DemoServer  # noqa: E402

SAMPLE_EVERY = 0.05
"""Seconds between memory samples of the process tree."""


@dataclass
class TreeSampler:
    """Samples RSS/PSS of a process and all its descendants in a background thread."""

    pid: int
    peak_rss: int = 0
    peak_pss: int = 0
    peak_procs: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> TreeSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            rss = pss = 0
            for p in procs:
                try:
                    # smaps_rollup (PSS) is cheap on modern kernels; fall back to RSS.
                    info = p.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(procs))
            self._stop.wait(SAMPLE_EVERY)


@dataclass
class PassResult:
    label: str
    monitors: int
    wall: float
    cpu: float
    peak_rss: int
    peak_pss: int
    peak_procs: int
    ok: int
    failed: int
    exit_code: int
    errors: dict[str, int]
    reads: dict[str, int] = field(default_factory=dict)
    """How the ok checks read their values (`read` in check --json) and how many each."""

    def report(self) -> str:
        n = max(self.ok + self.failed, 1)
        mb = 1024 * 1024
        lines = [
            f"== {self.label}: {self.monitors} monitors ==",
            f"  wall time        {self.wall:8.2f} s",
            f"  checks/s         {n / self.wall:8.1f}",
            f"  CPU s/check      {self.cpu / n:8.4f}   (child+descendants user+sys "
            f"{self.cpu:.2f} s)",
            f"  peak RSS (tree)  {self.peak_rss / mb:8.0f} MB",
            f"  peak PSS (tree)  {self.peak_pss / mb:8.0f} MB   ({self.peak_procs} processes "
            "at most)",
            f"  ok / failed      {self.ok} / {self.failed}   (exit {self.exit_code})",
        ]
        if self.reads:
            lines.append("  read via         " + ", ".join(
                f"{k} {v}" for k, v in sorted(self.reads.items(), key=lambda kv: -kv[1])))
        for error, count in sorted(self.errors.items(), key=lambda kv: -kv[1])[:5]:
            lines.append(f"    {count} x {error}")
        return "\n".join(lines)


def peer_report(label: str, measured: tuple | str, n: int, ours: PassResult) -> str:
    """A peer's figures on the same pages, and tui-tracker's ratios against it."""
    if isinstance(measured, str):
        return f"== {label}: skipped: {measured}"
    wall, cpu, sampler, code, err = measured
    mb = 1024 * 1024
    ours_rate = (ours.ok + ours.failed) / ours.wall
    ours_cpu = ours.cpu / max(ours.ok + ours.failed, 1)
    return "\n".join([
        f"== {label}: {n} pages (exit {code}{'; ' + err if code and err else ''}) ==",
        f"  checks/s         {n / wall:8.1f}   tui-tracker is {ours_rate / (n / wall):5.2f}x",
        f"  CPU s/check      {cpu / n:8.4f}   tui-tracker uses {ours_cpu / (cpu / n):5.2f}x",
        f"  peak PSS (tree)  {sampler.peak_pss / mb:8.0f} MB  tui-tracker "
        f"{ours.peak_pss / mb:.0f} MB",
    ])


def start_servers(hosts: int, period: float) -> list[DemoServer]:
    servers = []
    for i in range(hosts):
        try:
            servers.append(DemoServer(host=f"127.0.0.{i + 2}", period=period).start())
        except Exception:
            for s in servers:
                s.stop()
            raise
    return servers


def export_doc(urls: list[str], *, kind: str, fetcher: str) -> dict:
    """An import file in the `tui-tracker export` format; long interval = one pass only."""
    return {
        "format": "tui-tracker-export", "version": 1,
        "monitors": [{"url": u, "name": f"bench {i}", "kind": kind, "fetcher": fetcher,
                      "interval": 3600} for i, u in enumerate(urls)],
    }


def cli(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tui_tracker", "--data-dir", str(data_dir), *args]


def prepare(label: str, urls: list[str], *, kind: str, fetcher: str, work: Path,
            config: dict[str, str]) -> Path:
    """A fresh data dir holding one monitor per URL (through `tui-tracker import`)."""
    data_dir = work / label.replace(" ", "-")
    data_dir.mkdir(parents=True)
    if config:
        # config.toml in --data-dir is read by the child; values go in as TOML literals.
        (data_dir / "config.toml").write_text(
            "".join(f"{k} = {v}\n" for k, v in config.items()), "utf-8")
    export = work / f"{data_dir.name}.json"
    export.write_text(json.dumps(export_doc(urls, kind=kind, fetcher=fetcher)), "utf-8")
    imported = subprocess.run(cli(data_dir, "import", str(export)), capture_output=True,
                              text=True, check=False)
    if imported.returncode != 0:
        raise SystemExit(f"import failed: {imported.stderr.strip()}")
    return data_dir


def run_pass(label: str, data_dir: Path, monitors: int) -> PassResult:
    """One `check --json` pass over the data dir, measured from outside."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = psutil.Popen(cli(data_dir, "check", "--json"), stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid).start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    try:
        outcomes = json.loads(out) if out.strip() else []
    except json.JSONDecodeError:
        outcomes = []
    errors: dict[str, int] = {}
    if not isinstance(outcomes, list) or (not outcomes and monitors):
        # The pass died before printing its JSON: count every monitor as failed.
        last = err.strip().splitlines()[-1] if err.strip() else f"exit {proc.returncode}"
        errors[f"no JSON from check: {last}"] = monitors
        return PassResult(label, monitors, wall, cpu, sampler.peak_rss, sampler.peak_pss,
                          sampler.peak_procs, 0, monitors, proc.returncode, errors)
    ok = sum(1 for o in outcomes if isinstance(o, dict) and o.get("ok"))
    reads: dict[str, int] = {}
    for o in outcomes:
        if isinstance(o, dict) and not o.get("ok"):
            errors[str(o.get("error"))] = errors.get(str(o.get("error")), 0) + 1
        elif isinstance(o, dict):
            reads[str(o.get("read"))] = reads.get(str(o.get("read")), 0) + 1
    return PassResult(label, monitors, wall, cpu, sampler.peak_rss, sampler.peak_pss,
                      sampler.peak_procs, ok, len(outcomes) - ok, proc.returncode, errors,
                      reads)


def two_passes(label: str, urls: list[str], *, kind: str, fetcher: str, work: Path,
               config: dict[str, str]) -> tuple[PassResult, PassResult]:
    """The first check of new monitors, then the next pass over the same data dir.

    The second is what a scheduled `check` (or the engine) does day after day, and what
    urlwatch is measured on too (its first run only fills its cache).
    """
    data_dir = prepare(label, urls, kind=kind, fetcher=fetcher, work=work, config=config)
    first = run_pass(f"{label}, first check", data_dir, len(urls))
    return first, run_pass(f"{label}, next check", data_dir, len(urls))


def static_rounds(urls: list[str], work: Path, config: dict[str, str], rounds: int, *,
                  peers_too: bool) -> None:
    """The static next check and urlwatch's run, taken in turns `rounds` times.

    On a shared machine a single pair compares two moments of someone else's load;
    taking them in turns and reading the medians compares the two programs.
    """
    data_dir = prepare("static http", urls, kind="price", fetcher="http", work=work,
                       config=config)
    print(run_pass("static http, first check", data_dir, len(urls)).report())
    ready = peers.urlwatch_ready(urls, work) if peers_too else "--no-peers"
    ours: list[PassResult] = []
    theirs: list[tuple] = []
    for i in range(rounds):
        ours.append(run_pass(f"static http, next check {i + 1}", data_dir, len(urls)))
        if not isinstance(ready, str):
            theirs.append(peers.measure(ready[0], TreeSampler, env=ready[1]))
    n = len(urls)

    def spread(values: list[float], fmt: str) -> str:
        v = sorted(values)
        return (f"min {format(v[0], fmt)}  median {format(v[len(v) // 2], fmt)}  "
                f"max {format(v[-1], fmt)}")

    mb = 1024 * 1024
    rates = [(o.ok + o.failed) / o.wall for o in ours]
    cpus = [o.cpu / max(o.ok + o.failed, 1) for o in ours]
    print(f"== static http, next check: {rounds} rounds, {n} monitors ==")
    print(f"  checks/s         {spread(rates, '.0f')}")
    print(f"  CPU s/check      {spread(cpus, '.5f')}")
    print(f"  peak PSS (tree)  {spread([o.peak_pss / mb for o in ours], '.0f')} MB")
    print(f"  ok / failed      {sum(o.ok for o in ours)} / {sum(o.failed for o in ours)}")
    reads: dict[str, int] = {}
    for o in ours:
        for k, v in o.reads.items():
            reads[k] = reads.get(k, 0) + v
    print("  read via         " + ", ".join(f"{k} {v}" for k, v in sorted(
        reads.items(), key=lambda kv: -kv[1])))
    if isinstance(ready, str):
        print(f"== urlwatch: skipped: {ready}")
        return
    their_rates = [n / t[0] for t in theirs]
    their_cpus = [t[1] / n for t in theirs]
    ratios = [a / b for a, b in zip(rates, their_rates, strict=True)]
    cpu_ratios = [a / b for a, b in zip(cpus, their_cpus, strict=True)]
    print(f"== urlwatch (its second and later runs): {rounds} rounds ==")
    print(f"  checks/s         {spread(their_rates, '.0f')}")
    print(f"  CPU s/check      {spread(their_cpus, '.5f')}")
    print(f"  peak PSS (tree)  {spread([t[2].peak_pss / mb for t in theirs], '.0f')} MB")
    print("== tui-tracker vs urlwatch, round by round ==")
    print("  checks/s ratio   " + ", ".join(f"{r:.2f}" for r in ratios))
    print(f"                   {spread(ratios, '.2f')}")
    print(f"  CPU ratio        {spread(cpu_ratios, '.2f')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--static", type=int, default=500, metavar="N",
                        help="static (HTTP) price pages (default 500)")
    parser.add_argument("--js", type=int, default=40, metavar="M",
                        help="script-built seat pages checked with --browser (default 40)")
    parser.add_argument("--hosts", type=int, default=8,
                        help="loopback addresses to spread the pages over (default 8)")
    parser.add_argument("--period", type=float, default=3600.0, metavar="S",
                        help="seconds the demo pages' values hold still (default 3600: the "
                             "next check sees the same values; the demo's own is 5)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting for the checked data dir, as in config.toml "
                             "(e.g. --set browser_pages=8 --set browser_wait=0.5)")
    parser.add_argument("--rounds", type=int, default=1, metavar="N",
                        help="static pages: N next checks and N urlwatch runs, taken in "
                             "turns, with the ratio of each pair and their medians (the "
                             "machine's load moves single runs; default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temp data dirs")
    parser.add_argument("--no-peers", action="store_true",
                        help="skip urlwatch and the new-browser-per-check peer")
    parser.add_argument("--no-render-pass", action="store_true",
                        help="skip the JS passes with learned endpoints off")
    args = parser.parse_args(argv)
    config = dict(item.split("=", 1) for item in args.set if "=" in item)

    # An installed package comes byte-compiled (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE set would compile every module again in every pass.
    compileall.compile_dir(str(ROOT / "tui_tracker"), quiet=1)
    servers = start_servers(args.hosts, args.period)
    work = Path(tempfile.mkdtemp(prefix="tui-tracker-bench-"))
    slugs = list(PRODUCTS)
    try:
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
              f"{args.hosts} hosts 127.0.0.2-127.0.0.{args.hosts + 1}, values hold "
              f"{args.period:g} s, data in {work}"
              + (f", settings {config}" if config else ""))
        if args.static:
            urls = [f"{servers[i % len(servers)].base_url}/shop/{slugs[i % len(slugs)]}"
                    f"?item={i}" for i in range(args.static)]
            if args.rounds > 1:
                static_rounds(urls, work, config, args.rounds, peers_too=not args.no_peers)
            else:
                first, ours = two_passes("static http", urls, kind="price", fetcher="http",
                                         work=work, config=config)
                print(first.report())
                print(ours.report())
                if not args.no_peers:
                    print(peer_report("urlwatch (its second run)",
                                      peers.urlwatch_pass(urls, work, TreeSampler),
                                      len(urls), ours))
        if args.js:
            urls = [f"{servers[i % len(servers)].base_url}/courses/math221?copy={i}"
                    for i in range(args.js)]
            passes = []
            if not args.no_render_pass:
                passes.append(two_passes("js rendered", urls, kind="seats", fetcher="browser",
                                         work=work,
                                         config={**config, "learn_endpoints": "false"}))
            passes.append(two_passes("js learned", urls, kind="seats", fetcher="browser",
                                     work=work, config=config))
            for first, ours in passes:
                print(first.report())
                print(ours.report())
            if not args.no_peers:
                measured = peers.new_browser_pass(urls, 4, TreeSampler)
                for _first, ours in passes:
                    print(peer_report(f"a new browser per check (4 at a time) vs {ours.label}",
                                      measured, len(urls), ours))
    finally:
        for s in servers:
            s.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
