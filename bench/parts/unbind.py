"""`unbind-card --yes` as a new process (login included, a fresh data directory each time)
against bench/baseline_unbind.py doing the same clicks: in pairs, in alternating order, the
site reset before each run."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.commands import (
    BENCH,
    BENCH_LAYOUT,
    CLI,
    PY,
    REPO,
    base_env,
    checked,
    say,
    script_browser,
)
from bench.host import calibrate, wait_for_quiet
from bench.measure import Measured, median, run
from bench.results import Pair, Results
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient


def measure(results: Results, site_url: str, admin: AdminClient, runs: int, work: Path) -> None:
    baseline = [PY, str(BENCH / "baseline_unbind.py"), *script_browser()]

    def one_cli(n: int) -> Measured:
        admin.reset("default", BENCH_LAYOUT)
        data = work / f"unbind-{n}"
        shutil.rmtree(data, ignore_errors=True)
        env = base_env(data, site_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
        measured = checked(run([*CLI, "unbind-card", "--yes"], env, REPO), "unbind-card --yes")
        assert admin.account()["cards"] == [], "unbind-card left a card bound"
        return measured

    def one_baseline() -> Measured:
        admin.reset("default", BENCH_LAYOUT)
        env = base_env(work / "baseline", site_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
        measured = checked(run(baseline, env, REPO), "baseline_unbind.py")
        assert admin.account()["cards"] == [], "the baseline left a card bound"
        return measured

    say("unbind-card: one warm-up pair (not counted)")
    one_cli(0)
    one_baseline()
    for n in range(1, runs + 1):
        wait_for_quiet(results.quiet_seen)
        host_s = calibrate()
        cli_first = n % 2 == 1
        if cli_first:
            cli_run = one_cli(n)
            base_run = one_baseline()
        else:
            base_run = one_baseline()
            cli_run = one_cli(n)
        pair = Pair(cli_run, base_run, cli_first, host_s)
        results.pairs.append(pair)
        say(f"  pair {n}: cli {cli_run.seconds:.2f} s, baseline {base_run.seconds:.2f} s, "
            f"ratio {pair.ratio:.2f}, largest process {cli_run.largest_mb:.0f} MB")
    say(f"  medians: cli {median([p.cli.seconds for p in results.pairs]):.2f} s, baseline "
        f"{median([p.script.seconds for p in results.pairs]):.2f} s, ratio "
        f"{median([p.ratio for p in results.pairs]):.2f}")
