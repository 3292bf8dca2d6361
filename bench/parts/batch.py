"""`batch ACCOUNTS.csv cancel` over the `crowd` scenario's accounts, at a real site's pace (the
mock's `okko` latency profile, 150–300 ms a request) and at none: one by one (`cancel --yes`
as a new process for a sample of the accounts), a batch at each number of workers, and
bench/baseline_batch.py at the same numbers of workers, the floor (a minimal hand-written
batch doing the same clicks)."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from bench.commands import (
    BENCH,
    BENCH_LAYOUT,
    CLI,
    CROWD_PASSWORD,
    PY,
    REPO,
    base_env,
    checked,
    say,
    script_browser,
)
from bench.host import own_cpu, wait_for_quiet
from bench.measure import run
from bench.results import BatchRun, Results
from fixtures import AdminClient

# The mock's latency profiles: a real site's pace, and none (the CPU alone decides).
LATENCIES = ("okko", "none")


def write_accounts(path: Path, count: int) -> list[str]:
    logins = [f"user{n:04d}@okko.test" for n in range(1, count + 1)]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["login", "password"])
        for login in logins:
            writer.writerow([login, CROWD_PASSWORD])
    return logins


def cancelled(account: dict[str, Any]) -> bool:
    """As read from the site's admin API: no card, nothing renewing, the seeded devices gone."""
    seeded_devices = {"Samsung Smart TV", "iPhone 13", "Chrome, Windows"}
    return (not account["cards"]
            and all(not s["auto_renew"] and not s["offer_accepted"] for s in account["subscriptions"])
            and not seeded_devices & {d["name"] for d in account["devices"]})


def cancelled_all(admin: AdminClient, logins: list[str]) -> int:
    state = {a["email"]: a for a in admin.state()["accounts"]}
    return sum(cancelled(state[login]) for login in logins)


def reset(admin: AdminClient, latency: str, accounts: int) -> None:
    admin.reset("crowd", BENCH_LAYOUT, accounts=accounts, faults={"profile": latency} if latency != "none" else None)


def measure(results: Results, site_url: str, admin: AdminClient, accounts: int, workers: list[int],
            one_by_one: int, work: Path, latencies: tuple[str, ...] = LATENCIES) -> None:
    accounts_csv = work / "accounts.csv"
    logins = write_accounts(accounts_csv, accounts)
    for latency in latencies:
        measure_one_by_one(results, site_url, admin, latency, logins[:one_by_one], work)
        for count in workers:
            for tool in ("okko-cancel", "floor"):
                measure_batch(results, site_url, admin, latency, tool, count, accounts_csv, logins, work)


def measure_one_by_one(results: Results, site_url: str, admin: AdminClient, latency: str, logins: list[str],
                       work: Path) -> None:
    reset(admin, latency, len(logins))
    say(f"one by one, latency {latency}: `cancel --yes` as a new process for {len(logins)} accounts in turn")
    for n, login in enumerate(logins, start=1):
        wait_for_quiet(results.quiet_seen)
        load = os.getloadavg()[0]
        env = base_env(work / f"single-{latency}-{n}", site_url, OKKO_LOGIN=login, OKKO_PASSWORD=CROWD_PASSWORD)
        before = own_cpu()
        single = checked(run([*CLI, "cancel", "--yes"], env, REPO), f"cancel --yes for {login}")
        site_cpu = own_cpu() - before
        # `done` is each run's account: the sample is checked as a whole, below.
        results.batch_runs.append(BatchRun(latency, "one by one", 1, 1, single, site_cpu, load, 1))
        say(f"  {login}: {single.seconds:.2f} s, {single.cpu_seconds + site_cpu:.2f} CPU-s")
    if cancelled_all(admin, logins) != len(logins):
        raise SystemExit(f"one by one at latency {latency}: an account was not cancelled")


def measure_batch(results: Results, site_url: str, admin: AdminClient, latency: str, tool: str, workers: int,
                  accounts_csv: Path, logins: list[str], work: Path) -> None:
    reset(admin, latency, len(logins))
    data = work / f"batch-{tool}-{latency}-{workers}"
    if tool == "okko-cancel":
        command = [*CLI, "batch", str(accounts_csv), "cancel", "--yes", "--workers", str(workers)]
    else:
        command = [PY, str(BENCH / "baseline_batch.py"), str(accounts_csv), *script_browser(),
                   "--workers", str(workers)]
    say(f"{tool}, latency {latency}: {len(logins)} accounts, {workers} workers")
    wait_for_quiet(results.quiet_seen)
    load = os.getloadavg()[0]
    before = own_cpu()
    measured = checked(run(command, base_env(data, site_url), REPO, timeout_s=1800), f"{tool} batch")
    site_cpu = own_cpu() - before
    done = cancelled_all(admin, logins)
    if tool == "okko-cancel":
        summary = list(csv.DictReader((data / "batch" / "accounts-cancel.csv").open()))
        if sum(row["outcome"] == "done" for row in summary) != len(logins):
            raise SystemExit(f"batch at latency {latency}, {workers} workers: not every account is done")
    results.batch_runs.append(BatchRun(latency, tool, workers, len(logins), measured, site_cpu, load, done))
    say(f"  {measured.seconds:.1f} s, {len(logins) / measured.seconds:.2f} accounts/s, "
        f"{(measured.cpu_seconds + site_cpu) / len(logins):.2f} CPU-s an account (load {load:.1f})")
    if done != len(logins):
        raise SystemExit(f"{tool} at latency {latency}, {workers} workers: not every account was cancelled")
