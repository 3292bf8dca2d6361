"""Where a batch account's CPU goes: bench/profile_batch.py over a few accounts with one
worker and no latency, for okko-cancel and for the floor (bench/baseline_batch.py's clicks)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.commands import BENCH, PY, REPO, base_env, checked, say
from bench.host import wait_for_quiet
from bench.measure import run
from bench.results import BatchPhase, Results

ACCOUNTS = 6


def measure(results: Results, work: Path, accounts: int = ACCOUNTS) -> None:
    say(f"where a batch account's CPU goes: bench/profile_batch.py, {accounts} accounts and a warm-up")
    for floor in (False, True):
        out = work / f"profile-batch-{'floor' if floor else 'okko-cancel'}.json"
        wait_for_quiet(results.quiet_seen)
        # English step names for the table; the site is the profiler's own.
        env = base_env(work / "profile-batch", "http://127.0.0.1:1", OKKO_LANG="en")
        command = [PY, str(BENCH / "profile_batch.py"), str(out), "--accounts", str(accounts),
                   *(["--floor"] if floor else [])]
        checked(run(command, env, REPO, timeout_s=900), "profile_batch.py")
        document = json.loads(out.read_text())
        phases = [BatchPhase(row["phase"], row["cpu"], row["wall"], row["times"]) for row in document["rows"]]
        if floor:
            results.batch_phases_floor = phases
        else:
            results.batch_phases, results.batch_phases_accounts = phases, document["accounts"]
        for phase in phases:
            say(f"  {'floor: ' if floor else ''}{phase.phase}: {phase.cpu:.3f} CPU-s")
