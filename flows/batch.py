"""`batch`: one command over many accounts, read from a CSV with the columns login,password.

Workers run side by side, each a thread with its own Playwright and one browser (launched, or
connected to with `--connect`), and a fresh browser context per account: a context and its
page are cheap, where a new process with its driver and browser is not (bench/ measures both).
Playwright's sync API is bound to the thread that started it, so the workers share no
Playwright objects. Threads over the sync API rather than one browser under asyncio: the
flows are the same code as for one account, and the work is CPU-bound (pages rendering in
the browser), which a browser more per worker does not change — it costs memory only. On a
browser server (`--connect`) each worker's connection gets its own browser, which is how a
batch spreads over a grid.

Several servers (`--connect` repeated): the workers, `workers` in all, go to them in turn
(worker n to server n mod the servers). When a worker's browser goes away under an account
(its server died, the connection closed, the browser crashed), the account goes back into
the queue and is run once more, on another server where there is one with a browser; the
worker connects anew, and ends when its server cannot be reached, leaving its share to the
others. Running an account again never does a change twice: its flow reads the state first,
and what is already done is "already_done". The summary names the server each account ran
on (`server`: its address without the query, which may hold a token; `local` for a browser
launched here).

Each account runs through `run_flow` with a data directory of its own,
`<data dir>/accounts/<account>/` (its saved session and `receipts/`), so a second batch
reuses the sessions, and a rejected login stays that account's business. One account's
failure never stops the others: it becomes that account's exit code in the summary CSV
(account, command, outcome, exit code, seconds, receipt, error, server), written a row at a time so
that `--resume` can pick up after an interruption. Passwords are never printed or written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from automations.accounts import (FINISHED, INTERRUPTED, Account, AccountQueue, AccountResult, BatchReport, Lost,
                                  SummaryWriter, batch_summary, check_servers, read_accounts, read_summary,
                                  server_label)
from automations.driver import start_playwright
from automations.errors import ConfigurationError, Interrupted, LoginRejected, OkkoCancelError
from automations.evidence import write_receipt
from automations.i18n import _
from automations.models import ActionReport, AccountState
from automations.prompts import code_provider, confirm_change
from automations.session import start_browser
from automations.settings import Settings
from flows.interruption import VANISHED_BROWSER_WAIT_S, RunInterrupted, deaf_to_ctrl_c
from flows.login import CodeProvider
from flows.registry import BATCH_COMMANDS, COMMANDS
from flows.runner import run_flow

MAX_WORKERS = 32


def _outcome(value: Any) -> str:
    return value.outcome if isinstance(value, ActionReport) else "ok"


def run_account(
    settings: Settings,
    command: str,
    account: Account,
    *,
    browser: Browser | None,
    dry_run: bool = False,
    code_provider: CodeProvider | None = None,
    interrupt: threading.Event | None = None,
) -> AccountResult:
    """One account, start to finish, never raising for the account's own failure. `interrupt`:
    the batch's Ctrl-C; an account it cuts short is "interrupted" (exit 130), not failed, even
    when it comes after the account's last change (`--resume` runs it again; its flow reads
    the state first, so nothing is done twice)."""
    started = time.perf_counter()
    result = _run_account(settings, command, account, browser=browser, dry_run=dry_run, code_provider=code_provider,
                          interrupt=interrupt)
    if result.exit_code != 0 and result.outcome != INTERRUPTED and _ctrl_c_took_it(interrupt, browser):
        # Failed outside what the run could record (the browser went with Ctrl-C as it began
        # or ended): what it had done is not known here.
        return AccountResult(account.login, command, INTERRUPTED, Interrupted.exit_code,
                             time.perf_counter() - started,
                             error=_("interrupted (Ctrl-C) where the run could not record what it had done: "
                                     "`okko-cancel status` shows the account"))
    return result


def _ctrl_c_took_it(interrupt: threading.Event | None, browser: Browser | None) -> bool:
    """Whether the batch's Ctrl-C explains a failure: it came, or the browser vanished and it
    comes within a moment (SIGINT to the process group ends the browsers too, and a worker
    may see that before the main thread hears it)."""
    if interrupt is None:
        return False
    if interrupt.is_set():
        return True
    return browser is not None and not _answers(browser) and interrupt.wait(VANISHED_BROWSER_WAIT_S)


def _answers(browser: Browser) -> bool:
    """Whether the browser is still there. Not is_connected() alone: a remote server's
    connection that closed is seen there only once Playwright has read the close, which a
    sync caller whose call failed on it may not have let it do yet."""
    if not browser.is_connected():
        return False
    try:
        browser.new_context().close()
    except PlaywrightError:
        return False
    return True


def _run_account(
    settings: Settings,
    command: str,
    account: Account,
    *,
    browser: Browser | None,
    dry_run: bool,
    code_provider: CodeProvider | None,
    interrupt: threading.Event | None,
) -> AccountResult:
    spec = COMMANDS[command]
    options: dict[str, Any] = {"dry_run": dry_run} if spec.changes else {}
    home = settings.home.account(account.login)
    account_settings = settings.model_copy(update={"data_dir": home.root})
    started = time.perf_counter()
    try:
        result = run_flow(account_settings, command, partial(spec.function(), **options), credentials=account.credentials,
                          code_provider=code_provider, browser=browser, start_on=spec.section(), interrupt=interrupt)
        receipt = result.receipt
        if receipt is None and isinstance(result.value, AccountState):
            receipt = write_receipt(home, command,
                                    {"site": settings.base_url, "account": account.login,
                                     "state": result.value.to_dict()}, None)
        return AccountResult(account.login, command, _outcome(result.value), 0, time.perf_counter() - started,
                             str(receipt) if receipt else "")
    except RunInterrupted as error:
        return AccountResult(account.login, command, INTERRUPTED, error.exit_code, time.perf_counter() - started,
                             str(error.receipt) if error.receipt else "", error=_one_line(str(error), account))
    except OkkoCancelError as error:
        message = _one_line(str(error), account)
        marker = home.rejected_file
        if isinstance(error, LoginRejected) and marker.exists():
            message += f" (in a batch: fix the password in the CSV, then delete {marker})"
        return AccountResult(account.login, command, "failed", error.exit_code, time.perf_counter() - started,
                             error=message)
    except PlaywrightError as error:
        # Outside any step: the browser or its connection went away under the account.
        return AccountResult(account.login, command, "failed", 4, time.perf_counter() - started,
                             error=_one_line(f"the browser failed: {error}", account))
    except Exception as error:  # noqa: BLE001 - a bug must cost one account, not the batch
        return AccountResult(account.login, command, "failed", 1, time.perf_counter() - started,
                             error=_one_line(f"{error.__class__.__name__}: {error}", account))


def _one_line(message: str, account: Account) -> str:
    """An error for the summary: one line, and never the account's password, even if some
    layer below quoted what was typed."""
    line = message.splitlines()[0] if message else ""
    secret = account.credentials.password.get_secret_value()
    return line.replace(secret, "**********") if secret else line


@contextmanager
def _browser(settings: Settings) -> Iterator[Browser]:
    """A worker's own Playwright and browser, in the calling thread."""
    playwright = start_playwright()
    try:
        browser = start_browser(playwright, settings)
        try:
            yield browser
        finally:
            try:
                browser.close()
            except PlaywrightError:
                pass
    finally:
        try:
            playwright.stop()
        except PlaywrightError:
            pass  # the driver is gone already (Ctrl-C reached it too)


def _browser_went_away(result: AccountResult, browser: Browser, interrupt: threading.Event) -> bool:
    """Whether an account failed because its browser (or the server's connection) went away,
    not by anything of its own: then it is run again, where Ctrl-C has not ended the batch."""
    return (result.exit_code != 0 and result.outcome != INTERRUPTED and not interrupt.is_set()
            and not _answers(browser))


def batch_from_file(settings: Settings, accounts_csv: Path, command: str, *, yes: bool, dry_run: bool,
                    summary: Path | None, on_result: Callable[[AccountResult], None], **batch_options: Any) -> BatchReport:
    """`batch`: the accounts file read and every row checked, a change confirmed once for all
    of them (before any browser), then `run_batch` with the rest of `batch_options`."""
    # Where the site logs in by a code (a code command gives it), a row needs no password.
    accounts = read_accounts(accounts_csv, passwords_needed=not settings.has_code_source)
    changes = COMMANDS[command].changes
    if changes:
        confirm_change(_("Run {command} on {count} accounts on {site}?").format(
            command=command, count=len(accounts), site=settings.site_key), yes=yes, dry_run=dry_run)
    return run_batch(settings, command, accounts, summary=summary or batch_summary(settings.home, accounts_csv, command),
                     dry_run=dry_run and changes, on_result=on_result,
                     code_provider=code_provider(settings) if settings.has_code_source else None, **batch_options)


def run_batch(
    settings: Settings,
    command: str,
    accounts: Sequence[Account],
    *,
    summary: Path,
    workers: int = 4,
    resume: bool = False,
    dry_run: bool = False,
    code_provider: CodeProvider | None = None,
    on_result: Callable[[AccountResult], None] = lambda result: None,
    servers: Sequence[str] = (),
) -> BatchReport:
    """Runs `command` for every account, `workers` at a time in all; see the module's
    docstring. `servers`: the browser servers (`--connect`, repeatable) the workers go to in
    turn; none: the settings' one (OKKO_CONNECT), or a browser launched here."""
    if command not in BATCH_COMMANDS:
        raise ConfigurationError(f"batch runs one of {', '.join(BATCH_COMMANDS)}, not {command!r}")
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigurationError(f"--workers must be between 1 and {MAX_WORKERS}")
    check_servers(servers)
    places: list[str | None] = list(servers) or [settings.connect]
    if workers < len(places):
        raise ConfigurationError(_("--workers {workers} is fewer than the {servers} browser servers of --connect: "
                                   "give at least one worker for each").format(workers=workers, servers=len(places)))
    previous = read_summary(summary) if resume else {}
    finished = {login: row for login, row in previous.items()
                if row.get("command") == command and row.get("outcome") in FINISHED}
    report = BatchReport(command, summary, workers, servers=[server_label(place) for place in places])
    for account in accounts:
        if account.login in finished:
            row = finished[account.login]
            report.results.append(AccountResult(account.login, command, row["outcome"], 0, 0.0,
                                                row.get("receipt", ""), skipped=True, server=row.get("server") or ""))
    work = AccountQueue([account for account in accounts if account.login not in finished])
    kept = [finished[a.login] for a in accounts if a.login in finished]
    todo = len(accounts) - len(kept)
    settings.home.ensure()
    writer = SummaryWriter(summary, kept)
    lock = threading.Lock()
    # Ctrl-C, which only the main thread hears: no account starts after it, and the runs under
    # way stop at their next step (at once, when the browsers went with it).
    interrupt = threading.Event()

    def record(result: AccountResult) -> None:
        writer.write(result)
        with lock:
            report.results.append(result)
        on_result(result)

    failures: list[OkkoCancelError] = []

    def worker(ended: threading.Event, place: str | None) -> None:
        # Its own settings: the server it connects to (the rest as the batch's).
        worker_settings = settings if place == settings.connect else settings.model_copy(update={"connect": place})
        label = server_label(place)
        try:
            lost = False
            while not interrupt.is_set() and work.any_left():
                # A browser that crashed (or a server that went away) is started anew, unless
                # Ctrl-C took it: SIGINT to the process group ends the browsers too. A server
                # that cannot be reached any more ends the worker (below).
                if lost and interrupt.wait(VANISHED_BROWSER_WAIT_S):
                    return
                with _browser(worker_settings) as browser, work.browser_on(label):
                    while not interrupt.is_set() and browser.is_connected():
                        taken = work.take(label)
                        if taken is None:
                            return
                        account, earlier = taken
                        result = run_account(worker_settings, command, account, browser=browser, dry_run=dry_run,
                                             code_provider=code_provider, interrupt=interrupt)
                        result.server = label
                        result.retried_from = earlier.server if earlier else ""
                        if not _browser_went_away(result, browser, interrupt):
                            record(result)
                            continue
                        if earlier is None:
                            work.lose(Lost(account, label, result))  # once more, on another server
                        else:
                            record(result)  # lost twice: it stays failed
                        break  # this browser is gone: a new one, or the worker ends
                    lost = True
        except OkkoCancelError as error:
            # No browser for this worker (it did not start, or the server refused it): the
            # other workers take its share; if none has a browser, the accounts fail below.
            failures.append(error)
        finally:
            ended.set()

    started = time.perf_counter()
    ends = [threading.Event() for _ in range(min(workers, todo))]  # none when --resume finds everything done
    launched: list[threading.Event] = []
    try:
        for n, ended in enumerate(ends):
            # In turn over the servers: worker n on server n mod their number.
            threading.Thread(target=worker, args=(ended, places[n % len(places)]), name=f"okko-batch-{n}",
                             daemon=True).start()
            launched.append(ended)
        _wait_for(launched)
    except KeyboardInterrupt:
        interrupt.set()
        # A worker whose start Ctrl-C cut into sees `interrupt` and ends before it begins.
        with deaf_to_ctrl_c():
            _wait_for(launched)
    else:
        # Left over only when no worker got a browser: each such account fails with why.
        for account in work.fresh_left() if failures else []:
            record(AccountResult(account.login, command, "failed", failures[0].exit_code, 0.0,
                                 error=_one_line(str(failures[0]), account)))
    finally:
        # An account whose browser went away, and that no worker was left to run again: what
        # it ended with there (also after Ctrl-C: it had begun).
        for lost in work.lost_left():
            lost.result.error = _("{error} (its browser went away, and none was left to run it again)").format(
                error=lost.result.error)
            record(lost.result)
        writer.close()
        report.seconds = time.perf_counter() - started
    order = {a.login: n for n, a in enumerate(accounts)}
    report.results.sort(key=lambda r: order.get(r.account, len(order)))
    if interrupt.is_set():
        raise Interrupted(_interrupted_line(report, todo))
    return report


def _wait_for(ends: Sequence[threading.Event]) -> None:
    """Until every worker has ended. Not Thread.join: on Python 3.11, a KeyboardInterrupt in
    join() can leave a live thread marked as ended, and then the process exits under a worker
    still driving its browser (and crashes)."""
    for ended in ends:
        while not ended.wait(0.5):
            pass


def _interrupted_line(report: BatchReport, todo: int) -> str:
    """One line for a batch ended by Ctrl-C: how far it got, and where to read the rest."""
    ran = [r for r in report.results if not r.skipped]
    cut = [r.account for r in ran if r.outcome == INTERRUPTED]
    line = f"interrupted: {len(ran) - len(cut)} of {todo} accounts had finished"
    if cut:
        line += f", {len(cut)} cut short ({', '.join(cut)}: what each did is in the summary)"
    line += f", {todo - len(ran)} not started; summary: {report.summary}; `batch --resume` runs the rest"
    return line
