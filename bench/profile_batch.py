"""`python bench/profile_batch.py OUT.json [--accounts 8] [--latency none|okko] [--floor]
[--without PART] [--messages]`: where a batch account's CPU goes, phase by phase.

Serves the mock site in this process (the `crowd` scenario, the bench's layout), then runs
`cli.py batch ACCOUNTS.csv cancel --yes --workers 1` here too, with a CPU meter around each
phase of an account: the context and page, the login, saving the session, each step of the
flow, the receipt (its screenshot apart), closing the context. One worker, so the phases of
two accounts never overlap and a phase's CPU is the whole tree's during it: this process
(okko-cancel and the site's threads), Playwright's driver and every browser process.
`--floor` runs bench/baseline_batch.py's clicks in this process instead, for its total per
account (the floor has no phases to speak of).

The first account is a warm-up (the browser's first pages cost more) and is left out. The
meters only measure; they change nothing that the run does. Two experiments do change it:
`--without PART` runs without one of the parts that cost CPU everywhere rather than in one
phase (the overlay handlers, the site's answers, the stilled animations, …), to see what it
costs; `--messages` counts the calls to Playwright's driver and its events, by phase.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from bench.commands import BENCH_LAYOUT, base_env  # noqa: E402
from bench.measure import _label  # noqa: E402
from bench.parts.batch import write_accounts  # noqa: E402
from fixtures import AdminClient, serve_mock_site  # noqa: E402


class TreeCpu:
    """CPU-seconds of this process and all its descendants so far. A process that has ended
    keeps what it had when last seen: read often enough (at every phase's edge) that is all
    of it but its last moments. A reading costs a few milliseconds itself (it walks /proc),
    which it leaves out of what it says."""

    def __init__(self) -> None:
        self.me = psutil.Process()
        self.seen: dict[tuple[int, float], float] = {}  # by (pid, start time): pids are reused
        self.kinds: dict[tuple[int, float], str] = {}
        self.lock = threading.Lock()
        self.own_cost = 0.0  # CPU-seconds the readings took

    def __call__(self) -> float:
        with self.lock:
            started = time.thread_time()
            try:
                processes = [self.me, *self.me.children(recursive=True)]
            except psutil.Error:
                processes = [self.me]
            for process in processes:
                try:
                    with process.oneshot():
                        times, born = process.cpu_times(), process.create_time()
                except psutil.Error:
                    continue
                key = (process.pid, born)
                self.seen[key] = times.user + times.system
                if key not in self.kinds:
                    self.kinds[key] = "this process" if process.pid == self.me.pid else _label(process)
            self.own_cost += time.thread_time() - started
            return sum(self.seen.values()) - self.own_cost

    def by_kind(self) -> dict[str, float]:
        kinds: dict[str, float] = {}
        for key, cpu in self.seen.items():
            kinds[self.kinds[key]] = kinds.get(self.kinds[key], 0.0) + cpu
        kinds["this process"] -= self.own_cost
        return dict(sorted(kinds.items(), key=lambda item: -item[1]))


class Meter:
    """Phases as a tree ("receipt / screenshot"), each with its wall and CPU seconds, summed
    over the accounts that count."""

    def __init__(self) -> None:
        self.cpu = TreeCpu()
        self.stack: list[str] = []
        self.totals: dict[str, list[float]] = {}  # path: [wall, cpu, times]
        self.order: list[str] = []
        self.counting = False
        self.accounts = 0
        # Messages to Playwright's driver (calls) and from it (events), by the innermost phase:
        # each is work for this process, the driver and often the page.
        self.messages: dict[str, dict[str, int]] = {}

    def count(self, what: str) -> None:
        if self.counting:
            path = " / ".join(self.stack) or "(between accounts)"
            by_what = self.messages.setdefault(path, {})
            by_what[what] = by_what.get(what, 0) + 1

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self.stack.append(name)
        path = " / ".join(self.stack)
        wall, cpu = time.perf_counter(), self.cpu()
        try:
            yield
        finally:
            spent_wall, spent_cpu = time.perf_counter() - wall, self.cpu() - cpu
            self.stack.pop()
            if self.counting:
                if path not in self.totals:
                    self.totals[path] = [0.0, 0.0, 0]
                    self.order.append(path)
                total = self.totals[path]
                total[0] += spent_wall
                total[1] += spent_cpu
                total[2] += 1

    def timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.phase(name):
                return function(*args, **kwargs)

        return wrapper

    def rows(self) -> list[dict[str, Any]]:
        return [{"phase": path, "wall": self.totals[path][0] / self.accounts,
                 "cpu": self.totals[path][1] / self.accounts, "times": self.totals[path][2] / self.accounts}
                for path in self.order]


def step_name(name: str) -> str:
    """A step's name without what differs between accounts (the subscription's, the card's)."""
    head = name.split("«")[0].strip()
    return name if name.startswith("Open") or name.startswith("Check") else f"{head} …" if head != name else name


def count_messages(meter: Meter) -> None:
    """Counts every call to Playwright's driver and every event from it, by phase."""
    from playwright._impl import connection

    send, dispatch = connection.Connection.send_message_to_server, connection.Connection.dispatch

    def counted_send(self: Any, owner: Any, method: str, params: Any, options: Any) -> Any:
        if method != "__waitInfo__":
            meter.count(f"call {owner._type}.{method}")
        return send(self, owner, method, params, options)

    def counted_dispatch(self: Any, message: dict[str, Any]) -> None:
        if not message.get("id"):
            meter.count(f"event {message.get('method')}")
        dispatch(self, message)

    connection.Connection.send_message_to_server = counted_send  # type: ignore[method-assign]
    connection.Connection.dispatch = counted_dispatch  # type: ignore[method-assign]


def without(part: str) -> None:
    """Runs the batch without one of its parts, to see what that part costs (an experiment:
    the accounts still end cancelled, but the run keeps less)."""
    from automations import evidence, session
    from automations.pages import common
    from flows import runner

    if part == "screenshot":
        evidence.masked_screenshot = lambda page: None
    elif part == "site-answers":
        runner.record_site_answers = lambda context, base_url: None  # type: ignore[assignment,return-value]
    elif part == "overlay-handlers":
        common.Overlays.dismiss_automatically = lambda self: None  # type: ignore[method-assign]
    elif part == "still-animations":
        session.still_animations = lambda context: None
    elif part == "viewport":
        session.VIEWPORT = {"width": 1280, "height": 720}  # Playwright's own
    else:
        raise SystemExit(f"--without: no part {part!r}")


WITHOUT = ("screenshot", "site-answers", "overlay-handlers", "still-animations", "viewport")


def instrument(meter: Meter) -> None:
    from automations import evidence, session, steps
    from flows import batch, runner

    session.new_context = meter.timed("context", session.new_context)
    session.new_page = meter.timed("page and overlay handlers", session.new_page)
    session.SavedSession.save = meter.timed("save session.json", session.SavedSession.save)
    session.BrowserSession.close = meter.timed("close the context", session.BrowserSession.close)
    evidence.masked_screenshot = meter.timed("screenshot", evidence.masked_screenshot)
    runner.write_receipt = meter.timed("receipt", runner.write_receipt)
    runner.sign_in_once = meter.timed("log in", runner.sign_in_once)
    original_step = steps.StepLog.step

    @contextmanager
    def step(self: Any, name: str) -> Iterator[Any]:
        with meter.phase(step_name(name)), original_step(self, name) as record:
            yield record

    steps.StepLog.step = step  # type: ignore[method-assign]
    original_run_account = batch.run_account

    @wraps(original_run_account)
    def run_account(*args: Any, **kwargs: Any) -> Any:
        with meter.phase("account"):
            result = original_run_account(*args, **kwargs)
        if meter.counting:
            meter.accounts += 1
        meter.counting = True  # the first account was the warm-up
        return result

    batch.run_account = run_account


def run_floor(meter: Meter, accounts_csv: Path, base_url: str) -> None:
    """bench/baseline_batch.py's clicks, one account after another in one browser."""
    import csv

    from playwright.sync_api import sync_playwright

    floor = runpy.run_path(str(BENCH / "baseline_batch.py"))
    names = floor["cancel"].__globals__  # what its functions call (run_path hands back a copy)
    for name in ("log_in", "open_section", "reload"):
        names[name] = meter.timed(name, names[name])
    from automations.browser import locate_browser

    executable = locate_browser().executable
    with accounts_csv.open(newline="") as handle:
        accounts = [(row["login"], row["password"]) for row in csv.DictReader(handle)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable) if executable else None)
        for login, password in accounts:
            with meter.phase("account"):
                context = browser.new_context(base_url=base_url, locale="ru-RU")
                page = context.new_page()
                names["log_in"](page, login, password)
                names["cancel"](page)
                context.close()
            if meter.counting:
                meter.accounts += 1
            meter.counting = True
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--accounts", type=int, default=8, help="accounts that count (one more is the warm-up)")
    parser.add_argument("--latency", choices=("none", "okko"), default="none")
    parser.add_argument("--floor", action="store_true", help="bench/baseline_batch.py's clicks instead")
    parser.add_argument("--without", action="append", default=[], choices=WITHOUT,
                        help="run without this part, to see what it costs (repeatable)")
    parser.add_argument("--messages", action="store_true",
                        help="also count the messages to and from Playwright's driver, by phase")
    args = parser.parse_args()
    count = args.accounts + 1
    meter = Meter()
    work = args.out.with_suffix(".work")
    work.mkdir(parents=True, exist_ok=True)
    with serve_mock_site("default", BENCH_LAYOUT) as site:
        faults = {"profile": args.latency} if args.latency != "none" else None
        AdminClient(site.url).reset("crowd", BENCH_LAYOUT, accounts=count, faults=faults)
        accounts_csv = work / "accounts.csv"
        write_accounts(accounts_csv, count)
        if args.messages:
            count_messages(meter)
        started_wall, started_cpu = time.perf_counter(), meter.cpu()
        if args.floor:
            run_floor(meter, accounts_csv, site.url)
        else:
            import os

            os.environ.update(base_env(work / "data", site.url))
            from automations import warm_start  # noqa: F401  the CLI's own start, as a run has it

            instrument(meter)
            for part in args.without:
                without(part)
            sys.argv = ["cli.py", "batch", str(accounts_csv), "cancel", "--yes", "--workers", "1"]
            try:
                runpy.run_path(str(REPO / "cli.py"), run_name="__main__")
            except SystemExit as end:
                if end.code not in (0, None):
                    raise
        whole_wall, whole_cpu = time.perf_counter() - started_wall, meter.cpu() - started_cpu
    args.out.write_text(json.dumps({
        "what": "floor" if args.floor else "batch", "without": args.without, "latency": args.latency, "accounts": meter.accounts,
        "rows": meter.rows(), "messages": {path: {what: n / meter.accounts for what, n in sorted(counts.items())}
                                           for path, counts in meter.messages.items()},
        "whole": {"wall": whole_wall / count, "cpu": whole_cpu / count},
        "by_process": {kind: cpu / count for kind, cpu in meter.cpu.by_kind().items()},
    }, ensure_ascii=False, indent=2))
    for row in meter.rows():
        print(f"{row['phase']:<70} {row['cpu']:.3f} CPU-s  {row['wall']:.3f} s  ×{row['times']:.1f}")
    for kind, cpu in meter.cpu.by_kind().items():
        print(f"{kind:<70} {cpu / count:.3f} CPU-s an account (the warm-up's included)")
    for path, counts in meter.messages.items():
        print(f"{path}: {sum(counts.values()) / meter.accounts:.0f} messages an account")
        for what, n in sorted(counts.items(), key=lambda item: -item[1]):
            print(f"    {n / meter.accounts:6.1f}  {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
