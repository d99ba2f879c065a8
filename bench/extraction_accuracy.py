"""How often the extractor reads the right number, per family of pages, and how fast.

Probes every page of tests/corpus (seats and prices) through the real fetchers, as
`tui-tracker probe URL --kind K` would (plain HTTP, Chromium when the page is built by
script), judges each against its expectation file, and prints the share read right per
family and overall, held-out pages apart, plus the wall time per page (sequential, so
the figure is one page's latency, browser start-up excluded after the first). Asserts
nothing.

    .venv/bin/python bench/extraction_accuracy.py [--kind seats|price] [--failures]
        [--concurrency N] [--auto]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.corpus.harness import Outcome, cases, run


def _share(outs: list[Outcome]) -> str:
    if not outs:
        return "   -    "
    right = sum(o.ok for o in outs)
    return f"{right:3d}/{len(outs):<3d} {100 * right / len(outs):5.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("seats", "price"))
    parser.add_argument("--failures", action="store_true", help="list every miss")
    parser.add_argument("--holdout", action="store_true",
                        help="with --failures, list held-out misses too")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--auto", action="store_true",
                        help="probe without a kind, as `add URL` does (the kind must be found)")
    args = parser.parse_args()
    selected = cases(args.kind)
    if not selected:
        print("no corpus pages found under tests/corpus/")
        return
    outs = run(selected, concurrency=args.concurrency, auto=args.auto)
    by_family: dict[str, list[Outcome]] = defaultdict(list)
    for out in outs:
        by_family[out.case.family].append(out)
    print(f"{'family':34s} {'all':>13s}   {'tuned-on':>13s}   {'held out':>13s}   ms/page")
    for family in sorted(by_family):
        group = by_family[family]
        ms = statistics.median(o.seconds for o in group) * 1000
        print(f"{family:34s} {_share(group)}   {_share([o for o in group if not o.case.holdout])}"
              f"   {_share([o for o in group if o.case.holdout])}   {ms:7.0f}")
    for kind in ("seats", "price"):
        group = [o for o in outs if o.case.kind == kind]
        if group:
            seen = [o for o in group if not o.case.holdout]
            held = [o for o in group if o.case.holdout]
            print(f"{'TOTAL ' + kind:34s} {_share(group)}   {_share(seen)}   {_share(held)}"
                  f"   {statistics.median(o.seconds for o in group) * 1000:7.0f}")
    static = [o.seconds for o in outs if o.result.get("fetcher") == "http"]
    browser = [o.seconds for o in outs if o.result.get("fetcher") == "browser"]
    for name, times in (("static (http)", static), ("rendered (browser)", browser)):
        if times:
            print(f"time per page, {name}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"max {max(times) * 1000:.0f} ms over {len(times)} pages")
    if args.failures:
        print()
        for out in outs:
            if not out.ok and (args.holdout or not out.case.holdout):
                print(f"MISS {out.case.name} [{out.result.get('fetcher')}]: "
                      + "; ".join(out.problems))


if __name__ == "__main__":
    main()
