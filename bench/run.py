"""`make bench`: measure okko-cancel on the bundled mock site and write bench/RESULTS.md.

Every figure comes from this one run, on this machine:

- `unbind-card --yes` as a new process (login included, a fresh data directory each time)
  against bench/baseline_unbind.py, a minimal hand-written Playwright script doing the same
  clicks: run in pairs, in alternating order, the site reset before each run; the ratio is
  taken pair by pair. The largest process's peak RSS is sampled during these runs.
- `status` with the saved session (a first, unmeasured run logs in and saves it).
- `check --mock` (which starts its own mock site), every flow.
- `batch ACCOUNTS.csv cancel` over the 100 accounts of the `crowd` scenario, against
  `cancel --yes` run one account at a time, each as a new process, on a sample of them;
  and bench/baseline_batch.py, a minimal hand-written script cancelling accounts in turn,
  for the floor under any batch's CPU on this machine.
- A profile of one `unbind-card` run, phase by phase (bench/profile_run.py).

    .venv/bin/python bench/run.py [--runs 7] [--accounts 100] [--workers 4] [--one-by-one 10]

The mock site runs in this process (a thread); every measured command is a subprocess.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from flask import Flask, Response

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from automations.browser import locate_browser  # noqa: E402
from bench.measure import Measured, median, run, spread  # noqa: E402
from fixtures import DEMO_EMAIL, DEMO_PASSWORD, AdminClient, serve_mock_site  # noqa: E402

PY = sys.executable
CLI = [PY, str(REPO / "cli.py")]
CROWD_PASSWORD = DEMO_PASSWORD  # every crowd account's password (the scenario's template)
# The hand-written yardstick scripts log in by password, which the okko layout (the mock's
# default, by code only) refuses: the bench measures on our first design's layout.
BENCH_LAYOUT = "classic"

SCRIPT_BATCH_ACCOUNTS = 20
PARTS = ("unbind", "profile", "status", "check", "batch")
TARGETS = {
    "unbind_ratio": 1.3,
    "unbind_median": 2.5,
    "status_median": 1.5,
    "check": 10.0,
    "batch_speedup": 6.0,
    "peak_mb": 400.0,
}


@dataclass
class Results:
    machine: dict[str, str] = field(default_factory=dict)
    loads: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)
    pairs: list[tuple[Measured, Measured, bool]] = field(default_factory=list)  # cli, baseline, cli_first
    pair_speed: list[float] = field(default_factory=list)  # calibrate() before each pair
    status: list[Measured] = field(default_factory=list)
    status_baseline: list[Measured] = field(default_factory=list)
    status_logins: int = 0
    check: list[Measured] = field(default_factory=list)
    batch: Measured | None = None
    batch_accounts: int = 0
    batch_workers: int = 0
    batch_verified: str = ""
    batch_site_cpu: float = 0.0  # CPU-seconds of this process (the mock site) during the batch
    batch_pages: float = 0.0  # HTML pages the site served per account during the batch
    one_by_one: list[Measured] = field(default_factory=list)
    one_by_one_site_cpu: float = 0.0
    script_batch: Measured | None = None  # bench/baseline_batch.py, cancelling script_batch_accounts accounts
    script_batch_accounts: int = 0
    script_batch_site_cpu: float = 0.0
    profile: dict[str, Any] = field(default_factory=dict)

    speed: list[tuple[str, float]] = field(default_factory=list)

    def note_load(self, when: str) -> None:
        self.loads.append((when, os.getloadavg()))
        self.speed.append((when, calibrate()))


QUIET_BUSY = 25.0  # % of all cores busy with other work: below this the machine counts as quiet
QUIET_WAIT_S = 90.0
quiet_log: list[float] = []  # the busy % seen before each measurement, once quiet (or given up)


def wait_for_quiet() -> None:
    """On a shared machine, wait (up to QUIET_WAIT_S) until other work leaves the cores alone,
    so that a measurement is of okko-cancel and not of a neighbour's test suite."""
    if os.environ.get("BENCH_NO_WAIT"):
        return
    deadline = time.monotonic() + QUIET_WAIT_S
    busy = psutil.cpu_percent(interval=1.0)
    while busy > QUIET_BUSY and time.monotonic() < deadline:
        busy = psutil.cpu_percent(interval=2.0)
    quiet_log.append(busy)


def calibrate() -> float:
    """Seconds for a fixed piece of single-threaded Python work (best of three): the host's
    speed at that moment, which on a shared virtual machine is not constant."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        best = min(best, time.perf_counter() - started)
    return best


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    browser = locate_browser()
    version = ""
    if browser.executable is not None:
        try:
            version = subprocess.run([str(browser.executable), "--version"], capture_output=True, text=True,
                                     timeout=30, check=False).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            version = ""
    from importlib.metadata import version as package_version

    return {
        "CPU": f"{cpu}, {psutil.cpu_count(logical=True)} logical cores ({psutil.cpu_count(logical=False)} physical)",
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": platform.python_version(),
        "Playwright": package_version("playwright"),
        "browser": f"{browser.label} — {version or 'version unknown'}",
    }


def base_env(data_dir: Path, base_url: str, **extra: str) -> dict[str, str]:
    """The measured commands' environment: no OKKO_* of the host's, and Python's bytecode
    cache on, as it is for an installed program (some machines turn it off for the whole
    environment, and okko-cancel would then compile its own modules on every start)."""
    env = {k: v for k, v in os.environ.items()
           if not k.upper().startswith("OKKO_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(OKKO_DATA_DIR=str(data_dir), OKKO_BASE_URL=base_url, **extra)
    return env


def script_browser() -> list[str]:
    """The hand-written scripts' optional argument: the browser okko-cancel would launch, so
    that both sides run the same executable."""
    browser = locate_browser()
    return [str(browser.executable)] if browser.executable else []


def checked(measured: Measured, what: str) -> Measured:
    if measured.returncode != 0:
        raise SystemExit(f"{what} exited {measured.returncode}:\n{measured.stderr[-2000:]}")
    return measured


def measure_unbind(results: Results, site_url: str, admin: AdminClient, runs: int, work: Path) -> None:
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
        wait_for_quiet()
        results.pair_speed.append(calibrate())
        cli_first = n % 2 == 1
        if cli_first:
            cli_run = one_cli(n)
            base_run = one_baseline()
        else:
            base_run = one_baseline()
            cli_run = one_cli(n)
        results.pairs.append((cli_run, base_run, cli_first))
        say(f"  pair {n}: cli {cli_run.seconds:.2f} s, baseline {base_run.seconds:.2f} s, "
            f"ratio {cli_run.seconds / base_run.seconds:.2f}, largest process {cli_run.largest_mb:.0f} MB")
    cli_s, base_s = [c.seconds for c, _, _ in results.pairs], [b.seconds for _, b, _ in results.pairs]
    say(f"  medians: cli {median(cli_s):.2f} s, baseline {median(base_s):.2f} s, ratio "
        f"{median([c / b for c, b in zip(cli_s, base_s)]):.2f}")


def measure_status(results: Results, site_url: str, admin: AdminClient, runs: int, work: Path) -> None:
    admin.reset("default", BENCH_LAYOUT)
    data = work / "status"
    env = base_env(data, site_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
    say("status: a first run logs in and saves the session (not counted)")
    checked(run([*CLI, "status"], env, REPO), "status (first)")
    before = admin.event_types().count("login_ok")
    baseline = [PY, str(BENCH / "baseline_status.py"), str(data / "session.json"), *script_browser()]
    checked(run(baseline, env, REPO), "baseline_status.py (warm-up)")
    for n in range(1, runs + 1):
        wait_for_quiet()
        measured = checked(run([*CLI, "status"], env, REPO), "status")
        floor = checked(run(baseline, env, REPO), "baseline_status.py")
        results.status.append(measured)
        results.status_baseline.append(floor)
        say(f"  run {n}: {measured.seconds:.2f} s (script {floor.seconds:.2f} s)")
    results.status_logins = admin.event_types().count("login_ok") - before
    say(f"  median {median([m.seconds for m in results.status]):.2f} s, script "
        f"{median([m.seconds for m in results.status_baseline]):.2f} s; logins {results.status_logins}")


def measure_check(results: Results, runs: int, work: Path) -> None:
    for n in range(1, runs + 1):
        wait_for_quiet()
        data = work / f"check-{n}"
        measured = checked(run([*CLI, "check", "--mock"], base_env(data, "https://okko.tv"), REPO), "check --mock")
        results.check.append(measured)
        say(f"  check --mock {n}: {measured.seconds:.2f} s")


def write_accounts(path: Path, count: int) -> list[str]:
    logins = [f"user{n:04d}@okko.test" for n in range(1, count + 1)]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["login", "password"])
        for login in logins:
            writer.writerow([login, CROWD_PASSWORD])
    return logins


def cancelled(account: dict[str, Any]) -> bool:
    seeded_devices = {"Samsung Smart TV", "iPhone 13", "Chrome, Windows"}
    return (not account["cards"]
            and all(not s["auto_renew"] and not s["offer_accepted"] for s in account["subscriptions"])
            and not seeded_devices & {d["name"] for d in account["devices"]})


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


def measure_batch(results: Results, site_url: str, admin: AdminClient, accounts: int, workers: int,
                  one_by_one: int, work: Path, pages: PageCounter) -> None:
    accounts_csv = work / "accounts.csv"
    logins = write_accounts(accounts_csv, accounts)
    admin.reset("crowd", BENCH_LAYOUT, accounts=accounts)
    data = work / "batch"
    say(f"batch: {accounts} accounts, cancel, {workers} workers")
    wait_for_quiet()
    site_cpu, pages_before = own_cpu(), pages.pages
    measured = run([*CLI, "batch", str(accounts_csv), "cancel", "--yes", "--workers", str(workers)],
                   base_env(data, site_url), REPO, timeout_s=3600)
    results.batch_site_cpu = own_cpu() - site_cpu
    results.batch_pages = (pages.pages - pages_before) / accounts
    checked(measured, "batch cancel")
    state = {a["email"]: a for a in admin.state()["accounts"]}
    done = sum(cancelled(state[login]) for login in logins)
    summary = list(csv.DictReader((data / "batch" / "accounts-cancel.csv").open()))
    results.batch, results.batch_accounts, results.batch_workers = measured, accounts, workers
    results.batch_verified = (f"{done} of {accounts} accounts cancelled as read from the site's admin API; "
                              f"summary: {sum(r['outcome'] == 'done' for r in summary)} done")
    say(f"  {measured.seconds:.1f} s, {results.batch_pages:.1f} pages per account; {results.batch_verified}")
    if done != accounts:
        raise SystemExit("batch: not every account was cancelled")

    admin.reset("crowd", BENCH_LAYOUT, accounts=accounts)
    say(f"one by one: `cancel --yes` as a new process for {one_by_one} accounts in turn")
    site_cpu = own_cpu()
    for n, login in enumerate(logins[:one_by_one], start=1):
        wait_for_quiet()
        env = base_env(work / f"single-{n}", site_url, OKKO_LOGIN=login, OKKO_PASSWORD=CROWD_PASSWORD)
        single = checked(run([*CLI, "cancel", "--yes"], env, REPO), f"cancel --yes for {login}")
        results.one_by_one.append(single)
        say(f"  {login}: {single.seconds:.2f} s, {single.cpu_seconds:.2f} CPU-s")
    results.one_by_one_site_cpu = own_cpu() - site_cpu
    say(f"  batch {accounts / measured.seconds:.2f} accounts/s, one by one "
        f"{len(results.one_by_one) / sum(m.seconds for m in results.one_by_one):.2f} accounts/s; CPU-s per account: "
        f"batch {measured.cpu_seconds / accounts:.2f}, one by one "
        f"{median([m.cpu_seconds for m in results.one_by_one]):.2f}")
    state = {a["email"]: a for a in admin.state()["accounts"]}
    if not all(cancelled(state[login]) for login in logins[:one_by_one]):
        raise SystemExit("one by one: an account was not cancelled")

    measure_script_batch(results, site_url, admin, logins[:SCRIPT_BATCH_ACCOUNTS], work)


def measure_script_batch(results: Results, site_url: str, admin: AdminClient, logins: list[str], work: Path) -> None:
    """The CPU a minimal hand-written script takes per account to cancel the same accounts."""
    admin.reset("crowd", BENCH_LAYOUT, accounts=len(logins))
    accounts_csv = work / "script-batch.csv"
    write_accounts(accounts_csv, len(logins))
    say(f"hand-written batch: bench/baseline_batch.py cancels {len(logins)} accounts in turn")
    wait_for_quiet()
    site_cpu = own_cpu()
    measured = checked(run([PY, str(BENCH / "baseline_batch.py"), str(accounts_csv), *script_browser()],
                           base_env(work / "script-batch", site_url), REPO), "baseline_batch.py")
    results.script_batch, results.script_batch_accounts = measured, len(logins)
    results.script_batch_site_cpu = own_cpu() - site_cpu
    state = {a["email"]: a for a in admin.state()["accounts"]}
    if not all(cancelled(state[login]) for login in logins):
        raise SystemExit("baseline_batch.py: an account was not cancelled")
    say(f"  {(measured.cpu_seconds + results.script_batch_site_cpu) / len(logins):.2f} CPU-s per account")


def own_cpu() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


def measure_profile(results: Results, site_url: str, admin: AdminClient, work: Path) -> None:
    """A stopwatch on each phase of `unbind-card --yes` (a fresh login) and of `status` (the
    saved session): the median of three runs of each, phase by phase."""
    results.profile = {
        "unbind-card --yes": profile(site_url, admin, work, ["unbind-card", "--yes"], fresh=True),
        "status": profile(site_url, admin, work, ["status"], fresh=False),
    }
    for line in profile_table(results.profile):
        say("  " + line)


def profile(site_url: str, admin: AdminClient, work: Path, command: list[str], fresh: bool) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    admin.reset("default", BENCH_LAYOUT)
    for n in range(4):
        wait_for_quiet()
        if fresh:
            admin.reset("default", BENCH_LAYOUT)
        data = work / f"profile-{command[0]}-{n if fresh else 0}"
        out = work / f"profile-{command[0]}-{n}.json"
        env = base_env(data, site_url, OKKO_LOGIN=DEMO_EMAIL, OKKO_PASSWORD=DEMO_PASSWORD)
        measured = checked(run([PY, str(BENCH / "profile_run.py"), str(out), *command], env, REPO), "profile_run.py")
        if n == 0:
            continue  # warm-up (and, for status, the run that saves the session)
        document = json.loads(out.read_text())
        document["wall"] = measured.seconds
        runs.append(document)
    names: list[str] = []
    for document in runs:
        for name, _ in document["phases"]:
            if name not in names:
                names.append(name)
    for n, name in enumerate(names[:-1]):
        if name.startswith("…"):  # a phase inside the next one (it ends first): list it under that one
            names[n], names[n + 1] = names[n + 1], name
    phases = []
    for name in names:
        sums = [sum(s for n, s in document["phases"] if n == name) for document in runs]
        phases.append((name, median(sums)))
    inside = median([d["total"] for d in runs])
    counted = sum(s for name, s in phases if not name.startswith("…"))  # "… of which": inside the phase above
    phases.append(("the rest: settings, output, keyring, between phases", inside - counted))
    phases.append(("interpreter start-up and exit", median([d["wall"] for d in runs]) - inside))
    return {"phases": phases, "wall": median([d["wall"] for d in runs])}


def profile_table(profiles: dict[str, dict[str, Any]]) -> list[str]:
    names = list(profiles)
    rows: list[str] = []
    for name in names:
        for phase, _ in profiles[name]["phases"]:
            if phase not in rows:
                rows.append(phase)
    lines = ["| phase | " + " | ".join(f"`{n}` s" for n in names) + " |", "|---|" + "---|" * len(names)]
    for phase in rows:
        cells = []
        for name in names:
            found = [s for p, s in profiles[name]["phases"] if p == phase]
            cells.append(f"{found[0]:.3f}" if found else "—")
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    lines.append("| **wall, the whole process** | " + " | ".join(f"**{profiles[n]['wall']:.3f}**" for n in names) + " |")
    lines.append("")
    return lines


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


DISTURBED = 0.15  # a run during which other work took more than this share of the cores


def calm(items: list[Any], disturbance: Any, noun: str = "runs") -> tuple[list[Any], str]:
    """The runs that other work left alone, when there are three or more; else all of them."""
    kept = [item for item in items if disturbance(item) <= DISTURBED]
    if len(kept) >= 3:
        left_out = len(items) - len(kept)
        return kept, (f"the {len(kept)} of {len(items)} {noun} that other work left alone" if left_out
                      else f"all {len(items)} {noun}")
    return items, f"all {len(items)} {noun} (fewer than 3 were left alone by other work)"


def pair_disturbance(pair: tuple[Measured, Measured, Any]) -> float:
    return max(pair[0].disturbance, pair[1].disturbance)


def report(results: Results, args: argparse.Namespace) -> str:
    pairs, pairs_used = calm(results.pairs, pair_disturbance, "pairs")
    cli_s = [c.seconds for c, _, _ in pairs]
    base_s = [b.seconds for _, b, _ in pairs]
    ratios = [c.seconds / b.seconds for c, b, _ in pairs]
    status_pairs, status_used = calm(list(zip(results.status, results.status_baseline, results.status)),
                                     pair_disturbance)
    status_s = [m.seconds for m, _, _ in status_pairs]
    status_base_s = [m.seconds for _, m, _ in status_pairs]
    checks, checks_used = calm(results.check, lambda m: m.disturbance)
    check_s = [m.seconds for m in checks]
    peak = max(results.pairs, key=lambda p: p[0].largest_rss)[0]
    assert results.batch is not None
    batch_rate = results.batch_accounts / results.batch.seconds
    singles, singles_used = calm(results.one_by_one, lambda m: m.disturbance)
    single_s = [m.seconds for m in singles]
    single_rate = len(single_s) / sum(single_s)
    speedup = batch_rate / single_rate
    cores = psutil.cpu_count(logical=True) or 1
    batch_cpu = (results.batch.cpu_seconds + results.batch_site_cpu) / results.batch_accounts
    single_cpu = (sum(m.cpu_seconds for m in results.one_by_one) + results.one_by_one_site_cpu) / len(results.one_by_one)
    ceiling = cores * (sum(single_s) / len(single_s)) / batch_cpu
    assert results.script_batch is not None
    script_cpu = (results.script_batch.cpu_seconds + results.script_batch_site_cpu) / results.script_batch_accounts
    script_ceiling = cores * (sum(single_s) / len(single_s)) / script_cpu
    ratio = median(ratios)
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (bench/run.py) in one run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, against the "
        "bundled mock site served on loopback from the benchmark's own process. Every measured command is a new "
        "process; times are wall-clock seconds.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in results.machine.items()],
        "| load average (1, 5, 15 min) | " + "; ".join(
            f"{when}: {a:.2f}, {b:.2f}, {c:.2f}" for when, (a, b, c) in results.loads) + " |",
        f"| other work on the cores before each measurement | the bench waits (up to {QUIET_WAIT_S:.0f} s) for "
        f"under {QUIET_BUSY:.0f}% busy; seen: median {median(quiet_log):.0f}%, "
        f"{sum(b > QUIET_BUSY for b in quiet_log)} of {len(quiet_log)} measurements started busier |",
        "| a fixed Python loop, seconds (host speed) | " + "; ".join(
            f"{when}: {seconds:.3f}" for when, seconds in results.speed) + " |",
        "",
        "## Targets",
        "",
        "| what | target | measured | |",
        "|---|---|---|---|",
        f"| `unbind-card --yes`, new process, login included, vs the hand-written script | ratio ≤ "
        f"{TARGETS['unbind_ratio']} | {ratio:.2f} (median of the pairs' ratios; {pairs_used}) | "
        f"{verdict(ratio <= TARGETS['unbind_ratio'])} |",
        f"| the same, time | median ≤ {TARGETS['unbind_median']} s | {median(cli_s):.2f} s (script: "
        f"{median(base_s):.2f} s) | {verdict(median(cli_s) <= TARGETS['unbind_median'])} |",
        f"| `status` with the saved session | median ≤ {TARGETS['status_median']} s | median "
        f"{median(status_s):.2f} s ({status_used}; a hand-written script reading the same three sections: "
        f"{median(status_base_s):.2f} s) | {verdict(median(status_s) <= TARGETS['status_median'])} |",
        f"| `check --mock`, every flow | ≤ {TARGETS['check']:.0f} s | median {median(check_s):.2f} s, slowest "
        f"{max(check_s):.2f} s ({checks_used}) | {verdict(max(check_s) <= TARGETS['check'])} |",
        f"| batch: {results.batch_accounts} `crowd` accounts, `cancel` | ≥ {TARGETS['batch_speedup']:.0f}× the "
        f"throughput one by one | {speedup:.1f}× ({batch_rate:.2f} vs {single_rate:.2f} accounts/s; the "
        f"CPU-bound ceiling here: {ceiling:.1f}×; for a minimal hand-written script doing the same clicks: "
        f"{script_ceiling:.1f}×) | "
        f"{verdict(speedup >= TARGETS['batch_speedup'])} |",
        f"| peak memory of one `unbind-card` run, largest process | ≤ {TARGETS['peak_mb']:.0f} MB | "
        f"{peak.largest_mb:.0f} MB ({peak.largest_name}) | {verdict(peak.largest_mb <= TARGETS['peak_mb'])} |",
        "",
        "## `unbind-card --yes` against the hand-written script, pair by pair",
        "",
        "Each pair: the site reset, one run of each in alternating order, each a new process that logs in. "
        "The script (bench/baseline_unbind.py) imports only Playwright, launches the same browser, "
        "and does the same clicks: log in, open «Оплата услуг» from the menu, unbind, confirm, reload, check. "
        "okko-cancel does that and also reads the settings, names and times each step, saves the session, "
        "and writes a receipt with a full-page screenshot.",
        "",
        "Other work on the machine (another developer's test suite, say) shows as the share of the cores it "
        f"took during a run; a pair where it took more than {DISTURBED:.0%} is listed but left out of the medians "
        "when at least three pairs remain.",
        "",
        "The host's speed is not constant either (a shared virtual machine): the «host» column is the time of "
        "a fixed Python loop just before the pair; larger is slower.",
        "",
        "| pair | first | okko-cancel s | script s | ratio | other work | host s | okko-cancel largest process MB | "
        "whole tree MB |",
        "|---|---|---|---|---|---|---|---|---|",
        *[f"| {n} | {'okko-cancel' if first else 'script'} | {c.seconds:.2f} | {b.seconds:.2f} | "
          f"{c.seconds / b.seconds:.2f} | {pair_disturbance((c, b, first)):.0%}"
          f"{' (left out)' if (c, b, first) not in pairs else ''} | {speed:.3f} | {c.largest_mb:.0f} | {c.tree_mb:.0f} |"
          for n, ((c, b, first), speed) in enumerate(zip(results.pairs, results.pair_speed), start=1)],
        f"| **median** ({pairs_used}) | | **{median(cli_s):.2f}** | **{median(base_s):.2f}** | **{ratio:.2f}** | | | "
        f"{median([c.largest_mb for c, _, _ in results.pairs]):.0f} | {median([c.tree_mb for c, _, _ in results.pairs]):.0f} |",
        f"| median of all {len(results.pairs)} pairs | | {median([c.seconds for c, _, _ in results.pairs]):.2f} | "
        f"{median([b.seconds for _, b, _ in results.pairs]):.2f} | "
        f"{median([c.seconds / b.seconds for c, b, _ in results.pairs]):.2f} | | | | |",
        "",
        f"Range ({pairs_used}): okko-cancel {spread(cli_s)} s, script {spread(base_s)} s, ratio {spread(ratios)}.",
        "",
        "## Where a run's time goes",
        "",
        "bench/profile_run.py runs the CLI with a stopwatch around each phase; the median of three runs, phase "
        "by phase. The receipt's time includes its screenshot; the login phase includes opening the settings first "
        "(with the saved session, that is all it does).",
        "",
        *profile_table(results.profile),
        "## `status` with the saved session",
        "",
        "Runs (other work's share of the cores during each): " + ", ".join(
            f"{m.seconds:.2f} s ({m.disturbance:.0%})" for m in results.status) + f"; median ({status_used}) "
        f"{median(status_s):.2f} s. "
        f"Logins during these runs, from the site's event log: {results.status_logins} (the session was reused).",
        "",
        "Against bench/baseline_status.py, a minimal hand-written Playwright script that opens the settings with "
        "the same saved cookies and reads the same three sections from the menu, run in alternation: "
        + ", ".join(f"{m.seconds:.2f} s ({m.disturbance:.0%})" for m in results.status_baseline)
        + f"; median {median(status_base_s):.2f} s; ratio "
        f"{median([a / b for a, b in zip(status_s, status_base_s)]):.2f}.",
        "",
        "## `check --mock`",
        "",
        "Runs (other work's share of the cores): " + ", ".join(
            f"{m.seconds:.2f} s ({m.disturbance:.0%})" for m in results.check)
        + " (each starts its own mock site and runs every flow dry).",
        "",
        "## Batch",
        "",
        f"`okko-cancel batch accounts.csv cancel --yes --workers {results.batch_workers}` over "
        f"{results.batch_accounts} accounts: {results.batch.seconds:.1f} s, {batch_rate:.2f} accounts/s; "
        f"largest process {results.batch.largest_mb:.0f} MB ({results.batch.largest_name}), whole tree "
        f"{results.batch.tree_mb:.0f} MB. {results.batch_verified}. Other work took "
        f"{results.batch.disturbance:.0%} of the cores meanwhile.",
        "",
        f"One by one: `okko-cancel cancel --yes` as a new process for {len(results.one_by_one)} of the accounts in "
        "turn (a sample: the rate is per account; other work's share of the cores in brackets): "
        + ", ".join(f"{m.seconds:.2f} s ({m.disturbance:.0%})" for m in results.one_by_one)
        + f"; rate from {singles_used}: median {median(single_s):.2f} s, {single_rate:.2f} accounts/s.",
        "",
        f"Speed-up: **{speedup:.1f}×**.",
        "",
        "Where the ceiling is: CPU time of every process involved (okko-cancel, Playwright's driver, every browser "
        "process, and the mock site), sampled every 100 ms:",
        "",
        "| | CPU-seconds per account | wall seconds per account |",
        "|---|---|---|",
        f"| batch, {results.batch_workers} workers | {batch_cpu:.2f} | {results.batch.seconds / results.batch_accounts:.2f} |",
        f"| one by one | {single_cpu:.2f} | {sum(single_s) / len(single_s):.2f} |",
        "",
        f"A batch saves each account the process start-up, Playwright's driver and the browser launch "
        f"({single_cpu - batch_cpu:.2f} CPU-s of {single_cpu:.2f}); what is left, a fresh context that logs in and "
        f"loads {results.batch_pages:.0f} pages, is CPU work on {cores} cores. So the batch cannot beat {cores} × "
        f"{sum(single_s) / len(single_s):.2f} s / {batch_cpu:.2f} CPU-s = **{ceiling:.1f}×** here, however many "
        "workers run; it reaches "
        f"{speedup / ceiling:.0%} of that.",
        "",
        f"Nor can any batch doing the same clicks: bench/baseline_batch.py, a minimal hand-written Playwright "
        f"script that cancels the accounts one after another in fresh contexts of one browser (the same pages and "
        f"clicks; no step log, state reading, receipts or retries), took {script_cpu:.2f} CPU-s per account over "
        f"{results.script_batch_accounts} accounts "
        f"({results.script_batch.seconds / results.script_batch_accounts:.2f} s each; the "
        f"site's share included). That bounds any batch here by {cores} × {sum(single_s) / len(single_s):.2f} s / "
        f"{script_cpu:.2f} CPU-s = **{script_ceiling:.1f}×**. The target's {TARGETS['batch_speedup']:.0f}× would "
        f"need {cores * (sum(single_s) / len(single_s)) / TARGETS['batch_speedup']:.2f} CPU-s per account, all "
        "work included.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="pairs of unbind-card runs, and status runs")
    parser.add_argument("--check-runs", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=100, help="crowd accounts for the batch")
    parser.add_argument("--workers", type=int, default=4, help="batch workers")
    parser.add_argument("--one-by-one", type=int, default=10, help="accounts run one by one for the comparison")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run, of {','.join(PARTS)}; RESULTS.md is written only "
                             "when all of them run")
    args = parser.parse_args()
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(parts - set(PARTS)))}")

    results = Results(machine=machine())
    results.note_load("start")
    with tempfile.TemporaryDirectory(prefix="okko-bench-") as temp, serve_mock_site("default", BENCH_LAYOUT) as site:
        pages = PageCounter(site.app)
        work = Path(temp)
        admin = AdminClient(site.url)
        started = time.perf_counter()
        if "unbind" in parts:
            measure_unbind(results, site.url, admin, args.runs, work)
        if "profile" in parts:
            say("profile of unbind-card and status runs")
            measure_profile(results, site.url, admin, work)
        if "status" in parts:
            measure_status(results, site.url, admin, args.runs, work)
        if "check" in parts:
            say("check --mock")
            measure_check(results, args.check_runs, work)
        results.note_load("middle")
        if "batch" in parts:
            measure_batch(results, site.url, admin, args.accounts, args.workers, args.one_by_one, work, pages)
        results.note_load("end")
        say(f"done in {time.perf_counter() - started:.0f} s")
    if parts != set(PARTS):
        say(f"only {', '.join(sorted(parts))}: {args.out} not written")
        return 0
    args.out.write_text(report(results, args))
    say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
