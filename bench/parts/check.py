"""`check --mock`, which starts its own mock site and runs every flow dry."""

from __future__ import annotations

from pathlib import Path

from bench.commands import CLI, REPO, base_env, checked, say
from bench.host import wait_for_quiet
from bench.measure import run
from bench.results import Results


def measure(results: Results, runs: int, work: Path) -> None:
    say("check --mock")
    for n in range(1, runs + 1):
        wait_for_quiet(results.quiet_seen)
        data = work / f"check-{n}"
        measured = checked(run([*CLI, "check", "--mock"], base_env(data, "https://okko.tv"), REPO), "check --mock")
        results.check.append(measured)
        say(f"  check --mock {n}: {measured.seconds:.2f} s")
