"""`batch ACCOUNTS.csv cancel` over the `crowd` scenario's accounts, against `cancel --yes` run
one account at a time, each as a new process, on a sample of them; and bench/baseline_batch.py,
a minimal hand-written script cancelling accounts in turn, for the floor under any batch's CPU
on this machine."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from flask import Flask, Response

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
from bench.measure import median, run
from bench.results import Results
from fixtures import AdminClient

# Enough accounts for a steady CPU-per-account figure; the script is only a yardstick.
SCRIPT_BATCH_ACCOUNTS = 20


class PageCounter:
    """Counts the HTML pages the site serves (redirects left out): what a flow's rendering costs
    scales with them. Registered before the site answers its first request (Flask's rule)."""

    def __init__(self, app: Flask) -> None:
        self.pages = 0
        app.after_request(self._count)

    def _count(self, response: Response) -> Response:
        if response.status_code == 200 and response.mimetype == "text/html":
            self.pages += 1
        return response


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


def measure(results: Results, site_url: str, admin: AdminClient, accounts: int, workers: int,
            one_by_one: int, work: Path, pages: PageCounter) -> None:
    logins = measure_batch(results, site_url, admin, accounts, workers, work, pages)
    measure_one_by_one(results, site_url, admin, accounts, logins[:one_by_one], work)
    measure_script_batch(results, site_url, admin, logins[:SCRIPT_BATCH_ACCOUNTS], work)


def measure_batch(results: Results, site_url: str, admin: AdminClient, accounts: int, workers: int,
                  work: Path, pages: PageCounter) -> list[str]:
    accounts_csv = work / "accounts.csv"
    logins = write_accounts(accounts_csv, accounts)
    admin.reset("crowd", BENCH_LAYOUT, accounts=accounts)
    data = work / "batch"
    say(f"batch: {accounts} accounts, cancel, {workers} workers")
    wait_for_quiet(results.quiet_seen)
    site_cpu, pages_before = own_cpu(), pages.pages
    measured = run([*CLI, "batch", str(accounts_csv), "cancel", "--yes", "--workers", str(workers)],
                   base_env(data, site_url), REPO, timeout_s=3600)
    results.batch_site_cpu = own_cpu() - site_cpu
    results.batch_pages = (pages.pages - pages_before) / accounts
    checked(measured, "batch cancel")
    done = cancelled_all(admin, logins)
    summary = list(csv.DictReader((data / "batch" / "accounts-cancel.csv").open()))
    results.batch, results.batch_accounts, results.batch_workers = measured, accounts, workers
    results.batch_verified = (f"{done} of {accounts} accounts cancelled as read from the site's admin API; "
                              f"summary: {sum(r['outcome'] == 'done' for r in summary)} done")
    say(f"  {measured.seconds:.1f} s, {results.batch_pages:.1f} pages per account; {results.batch_verified}")
    if done != accounts:
        raise SystemExit("batch: not every account was cancelled")
    return logins


def measure_one_by_one(results: Results, site_url: str, admin: AdminClient, accounts: int, logins: list[str],
                       work: Path) -> None:
    admin.reset("crowd", BENCH_LAYOUT, accounts=accounts)
    say(f"one by one: `cancel --yes` as a new process for {len(logins)} accounts in turn")
    site_cpu = own_cpu()
    for n, login in enumerate(logins, start=1):
        wait_for_quiet(results.quiet_seen)
        env = base_env(work / f"single-{n}", site_url, OKKO_LOGIN=login, OKKO_PASSWORD=CROWD_PASSWORD)
        single = checked(run([*CLI, "cancel", "--yes"], env, REPO), f"cancel --yes for {login}")
        results.one_by_one.append(single)
        say(f"  {login}: {single.seconds:.2f} s, {single.cpu_seconds:.2f} CPU-s")
    results.one_by_one_site_cpu = own_cpu() - site_cpu
    assert results.batch is not None
    say(f"  batch {accounts / results.batch.seconds:.2f} accounts/s, one by one "
        f"{len(results.one_by_one) / sum(m.seconds for m in results.one_by_one):.2f} accounts/s; CPU-s per account: "
        f"batch {results.batch.cpu_seconds / accounts:.2f}, one by one "
        f"{median([m.cpu_seconds for m in results.one_by_one]):.2f}")
    if cancelled_all(admin, logins) != len(logins):
        raise SystemExit("one by one: an account was not cancelled")


def measure_script_batch(results: Results, site_url: str, admin: AdminClient, logins: list[str], work: Path) -> None:
    """The CPU a minimal hand-written script takes per account to cancel the same accounts."""
    admin.reset("crowd", BENCH_LAYOUT, accounts=len(logins))
    accounts_csv = work / "script-batch.csv"
    write_accounts(accounts_csv, len(logins))
    say(f"hand-written batch: bench/baseline_batch.py cancels {len(logins)} accounts in turn")
    wait_for_quiet(results.quiet_seen)
    site_cpu = own_cpu()
    measured = checked(run([PY, str(BENCH / "baseline_batch.py"), str(accounts_csv), *script_browser()],
                           base_env(work / "script-batch", site_url), REPO), "baseline_batch.py")
    results.script_batch, results.script_batch_accounts = measured, len(logins)
    results.script_batch_site_cpu = own_cpu() - site_cpu
    if cancelled_all(admin, logins) != len(logins):
        raise SystemExit("baseline_batch.py: an account was not cancelled")
    say(f"  {(measured.cpu_seconds + results.script_batch_site_cpu) / len(logins):.2f} CPU-s per account")
