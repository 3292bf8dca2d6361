"""`make bench`: measure okko-cancel on the bundled mock site and write bench/RESULTS.md.

Every figure comes from this one run, on this machine:

- `unbind-card --yes` as a new process (login included, a fresh data directory each time)
  against bench/baseline_unbind.py, a minimal hand-written Playwright script doing the same
  clicks: run in pairs, in alternating order, the site reset before each run; the ratio is
  taken pair by pair. The largest process's peak RSS is sampled during these runs.
- `status` with the saved session (a first, unmeasured run logs in and saves it).
- `check --mock` (which starts its own mock site), every flow.
- `batch ACCOUNTS.csv cancel` over `crowd` accounts at 4, 8 and 16 workers, at a real
  site's pace (the mock's `okko` latency profile) and with no latency; against `cancel --yes`
  run one account at a time, each as a new process, on a sample of them; and against
  bench/baseline_batch.py, a minimal hand-written batch doing the same clicks with as many
  workers, the floor. Accounts a second and CPU-seconds per account.
- A profile of `unbind-card` and of `status` runs, phase by phase (bench/profile_run.py),
  and of a batch account's CPU, phase by phase, beside the floor's (bench/profile_batch.py).

    .venv/bin/python bench/run.py [--runs 7] [--accounts 32] [--workers 4,8,16] [--one-by-one 4]

The mock site runs in this process (a thread); every measured command is a subprocess.

Where things are: bench/parts/ holds one module per measured part, each filling a Results
(bench/results.py); bench/measure.py runs one command and samples its time, CPU and memory;
bench/host.py describes the machine and waits for it to be quiet; bench/commands.py is the
measured commands' environment; bench/report.py works out the figures and renders them
through bench/results.md.j2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# Run as a script (`python bench/run.py`), so the repository is not on the path yet.
sys.path.insert(0, str(BENCH.parent))

from bench import report
from bench.commands import BENCH_LAYOUT, say
from bench.host import calibrate, load_average, machine
from bench.parts import batch, batch_profile, check, profile, status, unbind
from bench.results import Results
from fixtures import AdminClient, serve_mock_site

PARTS = ("unbind", "profile", "status", "check", "batch", "batch-profile")


def note_load(results: Results, when: str) -> None:
    results.loads.append((when, load_average()))
    results.speed.append((when, calibrate()))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="pairs of unbind-card runs, and status runs")
    parser.add_argument("--check-runs", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=32, help="crowd accounts for each batch run")
    parser.add_argument("--workers", default="4,8,16", help="the numbers of batch workers, comma-separated")
    parser.add_argument("--one-by-one", type=int, default=4,
                        help="accounts run one by one (a new process each) at each latency, for the comparison")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run, of {','.join(PARTS)}; RESULTS.md is written only "
                             "when all of them run")
    args = parser.parse_args()
    args.parts = {p.strip() for p in args.only.split(",") if p.strip()}
    try:
        args.workers = [int(n) for n in args.workers.split(",") if n.strip()]
    except ValueError:
        parser.error(f"--workers: numbers separated by commas, not {args.workers!r}")
    if args.parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(args.parts - set(PARTS)))}")
    return args


def main() -> int:
    args = parse_args()
    parts: set[str] = args.parts
    results = Results(machine=machine())
    note_load(results, "start")
    with tempfile.TemporaryDirectory(prefix="okko-bench-") as temp, serve_mock_site("default", BENCH_LAYOUT) as site:
        work = Path(temp)
        admin = AdminClient(site.url)
        started = time.perf_counter()
        if "unbind" in parts:
            unbind.measure(results, site.url, admin, args.runs, work)
        if "profile" in parts:
            profile.measure(results, site.url, admin, work)
        if "status" in parts:
            status.measure(results, site.url, admin, args.runs, work)
        if "check" in parts:
            check.measure(results, args.check_runs, work)
        note_load(results, "middle")
        if "batch" in parts:
            batch.measure(results, site.url, admin, args.accounts, args.workers, args.one_by_one, work)
        if "batch-profile" in parts:
            batch_profile.measure(results, work)
        note_load(results, "end")
        say(f"done in {time.perf_counter() - started:.0f} s")
    if parts != set(PARTS):
        say(f"only {', '.join(sorted(parts))}: {args.out} not written")
        return 0
    args.out.write_text(report.render(results))
    say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
