"""Peers measured on the same pages in the same run: urlwatch, and a new browser per check.

`check_bench.py` calls these so every figure it prints has a ratio beside it from the
same moment on the same (shared, noisy) machine. A peer that is not installed is
skipped with a line saying how to get it:

- urlwatch: `bash bench/install_peers.sh` puts it in `bench/.peers-venv/` (it is not a
  dependency of tui-tracker), or set `URLWATCH=/path/to/urlwatch`.
- a new browser per check: what a naive script does (launch Chromium, open the page,
  wait for network idle, read the DOM, close), with the same Chromium tui-tracker uses.

Each peer runs as a subprocess measured from outside exactly like a `check` pass
(wall time, CPU of the process tree from rusage, peak PSS sampled with psutil).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent


def find_urlwatch() -> str | None:
    """The urlwatch executable: $URLWATCH, bench/.peers-venv, else the PATH."""
    for candidate in (os.environ.get("URLWATCH"), str(HERE / ".peers-venv/bin/urlwatch"),
                      shutil.which("urlwatch")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def measure(argv: list[str], sampler_cls: Callable, *, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> tuple[float, float, object, int, str]:
    """Run argv; (wall s, CPU s of the tree, sampler, exit code, stderr tail)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = psutil.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                        cwd=cwd, env=env)
    sampler = sampler_cls(proc.pid).start()
    _out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, sampler, proc.returncode, err.strip()[-300:]


def urlwatch_pass(urls: list[str], work: Path, sampler_cls: Callable
                  ) -> tuple[float, float, object, int, str] | str:
    """urlwatch over `urls` twice (the first run fills its cache); the second is measured.

    Returns the measurement, or a sentence saying why urlwatch was skipped.
    """
    ready = urlwatch_ready(urls, work)
    if isinstance(ready, str):
        return ready
    argv, env = ready
    return measure(argv, sampler_cls, env=env)


def urlwatch_ready(urls: list[str], work: Path) -> tuple[list[str], dict[str, str]] | str:
    """urlwatch's first run over `urls` (it fills its cache); (argv, env) for the runs to
    measure, or a sentence saying why urlwatch was skipped."""
    exe = find_urlwatch()
    if exe is None:
        return "urlwatch not installed (bash bench/install_peers.sh)"
    home = work / "urlwatch"
    home.mkdir(parents=True, exist_ok=True)
    jobs = "---\n".join(f"name: job {i}\nurl: {u}\n" for i, u in enumerate(urls))
    (home / "urls.yaml").write_text(jobs, "utf-8")
    # No config file: urlwatch writes its defaults there on the first run (stdout report).
    argv = [exe, "--urls", str(home / "urls.yaml"), "--config", str(home / "urlwatch.yaml"),
            "--hooks", str(home / "hooks.py"), "--cache", str(home / "cache.db")]
    env = {**os.environ, "HOME": str(home), "EDITOR": "true", "VISUAL": "true"}
    first = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if first.returncode != 0:
        return f"urlwatch failed: {first.stderr.strip()[-200:]}"
    return argv, env


_NEW_BROWSER_SCRIPT = textwrap.dedent("""
    import asyncio, sys
    from playwright.async_api import async_playwright

    async def one(pw, exe, url):
        browser = await pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            await page.goto(url, wait_until="networkidle", timeout=30000)
            return len(await page.content()) > 0
        finally:
            await browser.close()

    async def main():
        exe, workers, urls = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
        gate = asyncio.Semaphore(workers)
        async with async_playwright() as pw:
            async def guarded(url):
                async with gate:
                    try:
                        return await one(pw, exe, url)
                    except Exception:
                        return False
            ok = sum(await asyncio.gather(*(guarded(u) for u in urls)))
        print(f"{ok} ok", file=sys.stderr)

    asyncio.run(main())
""")


def new_browser_pass(urls: list[str], workers: int, sampler_cls: Callable
                     ) -> tuple[float, float, object, int, str] | str:
    """A new Chromium per check, `workers` at a time; or why it was skipped."""
    sys.path.insert(0, str(HERE.parent))
    from tui_tracker.config import Settings
    from tui_tracker.fetchers.chromium import find_chromium

    exe = find_chromium(Settings())
    if exe is None:
        return "no Chromium found"
    argv = [sys.executable, "-c", _NEW_BROWSER_SCRIPT, exe, str(workers), *urls]
    return measure(argv, sampler_cls)
