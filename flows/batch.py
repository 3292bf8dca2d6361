"""`batch`: one command over many accounts, read from a CSV with the columns login,password.

Workers run side by side, each a thread with its own Playwright and one browser (launched, or
connected to with `--connect`), and a fresh browser context per account: a context and its
page cost ~0.1 s, where a new process with its driver and browser costs ~0.7 s and ~1 CPU-s.
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

import csv
import io
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError
from pydantic import SecretStr

from automations.credentials import Credentials, check_login
from automations.driver import start_playwright
from automations.errors import ConfigurationError, Interrupted, LoginRejected, OkkoCancelError
from automations.evidence import write_receipt
from automations.home import account_slug
from automations.i18n import _
from automations.models import AccountState
from automations.session import start_browser
from automations.settings import Settings
from automations.storage import private_dir
from flows.interruption import VANISHED_BROWSER_WAIT_S, RunInterrupted, deaf_to_ctrl_c
from flows.login import CodeProvider
from flows.registry import BATCH_COMMANDS, COMMANDS
from automations.models import ActionReport
from flows.runner import run_flow

SUMMARY_COLUMNS = ("account", "command", "outcome", "exit_code", "seconds", "receipt", "error", "server")
# What a summary row may say for an account that `--resume` leaves alone; an "interrupted"
# one (Ctrl-C) is run again.
FINISHED = {"done", "already_done", "ok"}
INTERRUPTED = "interrupted"
MAX_WORKERS = 32
LOCAL = "local"  # the summary's server for a browser launched on this machine

@dataclass(frozen=True)
class Account:
    row: int
    credentials: Credentials

    @property
    def login(self) -> str:
        return self.credentials.login


@dataclass
class AccountResult:
    account: str
    command: str
    outcome: str
    exit_code: int
    seconds: float
    receipt: str = ""
    error: str = ""
    skipped: bool = False
    server: str = ""  # where it ran: a server's address (server_label) or LOCAL
    retried_from: str = ""  # the server whose loss sent it back to the queue, if one did

    def row(self) -> dict[str, str]:
        return {"account": self.account, "command": self.command, "outcome": self.outcome,
                "exit_code": str(self.exit_code), "seconds": f"{self.seconds:.2f}", "receipt": self.receipt,
                "error": self.error, "server": self.server}

    def to_dict(self) -> dict[str, Any]:
        return {"account": self.account, "command": self.command, "outcome": self.outcome, "exit_code": self.exit_code,
                "seconds": round(self.seconds, 2), "receipt": self.receipt or None, "error": self.error or None,
                "skipped": self.skipped, "server": self.server or None, "retried_from": self.retried_from or None}


@dataclass
class BatchReport:
    command: str
    summary: Path
    workers: int
    seconds: float = 0.0
    results: list[AccountResult] = field(default_factory=list)
    servers: list[str] = field(default_factory=list)  # server_label of each, in the order given

    @property
    def exit_code(self) -> int:
        """0 when every account ended with 0; otherwise the largest of their exit codes."""
        return max((r.exit_code for r in self.results), default=0)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.results:
            key = "skipped" if result.skipped else result.outcome
            counts[key] = counts.get(key, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {"command": self.command, "summary": str(self.summary), "workers": self.workers,
                "servers": self.servers, "seconds": round(self.seconds, 2), "exit_code": self.exit_code,
                "counts": self.counts(), "accounts": [r.to_dict() for r in self.results]}


# An accounts file's limits: far beyond any real list, and small enough that a wrong file
# (a log, a database dump) is refused at once instead of becoming thousands of logins.
MAX_ACCOUNTS = 10_000
MAX_FIELD_CHARS = 256
MAX_ACCOUNTS_FILE_MB = 5


def _accounts_text(path: Path) -> str:
    """The file's text, refused when it is too big to be an accounts list or not UTF-8."""
    limit = MAX_ACCOUNTS_FILE_MB * 1024 * 1024
    too_big = ConfigurationError(f"{path} is larger than {MAX_ACCOUNTS_FILE_MB} MB, too large for an accounts file: "
                                 f"split it into files of at most {MAX_ACCOUNTS} accounts")
    try:
        if path.stat().st_size > limit:
            raise too_big
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the size again: a pipe or a growing file has none
    except FileNotFoundError:
        raise ConfigurationError(f"accounts file {path} does not exist") from None
    except OSError as error:
        raise ConfigurationError(f"cannot read the accounts file {path}: {error.strerror}") from None
    if len(data) > limit:
        raise too_big
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ConfigurationError(f"{path} is not UTF-8 text (line {line}): save it as UTF-8") from None


def read_accounts(path: Path, *, passwords_needed: bool = True) -> list[Account]:
    """The accounts in a CSV with a header row naming (at least) `login` and `password`.

    `passwords_needed`: False where the site logs in by a code (a code command gives it);
    then a password may be empty and the column may be left out. Every row is checked before
    anything is sent to the site: an empty password would be one more failed attempt toward
    the account's lock. Errors name the file and the row, never a value from it (a row may
    hold a password), except a login that is not one."""
    text = _accounts_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    row_number = 0  # the last row read whole: a csv.Error is in the one after it
    try:
        header = next(reader, None)
        row_number = 1
        if header is None:
            raise ConfigurationError(f"{path} is empty: it needs a header row `login,password` and a row per account")
        columns = [name.strip().lower() for name in header]
        if "login" not in columns or ("password" not in columns and passwords_needed):
            raise ConfigurationError(f"{path} needs a header row naming the columns login and password")
        if any(len(name) > MAX_FIELD_CHARS for name in columns):
            raise ConfigurationError(f"{path}, row 1: a column name is over {MAX_FIELD_CHARS} characters")
        login_at = columns.index("login")
        password_at = columns.index("password") if "password" in columns else None
        accounts: list[Account] = []
        seen: dict[str, int] = {}
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(accounts) == MAX_ACCOUNTS:
                raise ConfigurationError(f"{path} lists more than {MAX_ACCOUNTS} accounts: split it into files of "
                                         f"at most {MAX_ACCOUNTS}")
            for at, cell in enumerate(row):
                if len(cell) > MAX_FIELD_CHARS:
                    column = columns[at] if at < len(columns) and columns[at] else f"column {at + 1}"
                    raise ConfigurationError(f"{path}, row {row_number}: the {column} is over {MAX_FIELD_CHARS} "
                                             "characters")
            login = row[login_at].strip() if login_at < len(row) else ""
            password = row[password_at] if password_at is not None and password_at < len(row) else ""
            if not login:
                raise ConfigurationError(f"{path}, row {row_number}: the login is empty")
            login = check_login(login, f"{path}, row {row_number}: the login")
            if passwords_needed and not password.strip():
                raise ConfigurationError(f"{path}, row {row_number}: the password is empty: fill it in (where the "
                                         "site logs in by a code instead, give --code-command)")
            slug = account_slug(login)
            if slug in seen:
                raise ConfigurationError(f"{path}, row {row_number}: the same account as row {seen[slug]}")
            seen[slug] = row_number
            accounts.append(Account(row_number, Credentials(login, SecretStr(password))))
    except csv.Error as error:
        # The csv module's own limit (128 KiB) is met before a row reaches the check above.
        if "field larger than field limit" in str(error):
            raise ConfigurationError(f"{path}, row {row_number + 1}: a field is over {MAX_FIELD_CHARS} "
                                     "characters") from None
        # Its messages describe the problem, not the cell's content.
        raise ConfigurationError(f"{path}, row {row_number + 1}: not readable as CSV ({error})") from None
    if not accounts:
        raise ConfigurationError(f"{path} lists no accounts")
    return accounts


def read_summary(path: Path) -> dict[str, dict[str, str]]:
    """The rows of an earlier summary, by account; empty when there is none."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return {row["account"]: row for row in csv.DictReader(handle) if row.get("account")}
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, csv.Error, KeyError) as error:
        raise ConfigurationError(f"cannot read the summary {path} to resume from: {error.__class__.__name__}") from None


class SummaryWriter:
    """The summary CSV, a row per account as it finishes (flushed, so a crash keeps them)."""

    def __init__(self, path: Path, kept: Sequence[dict[str, str]]) -> None:
        if not path.parent.exists():
            private_dir(path.parent)  # 0700, as the data directory's folders are
        self.path = path
        self.lock = threading.Lock()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # also when it was there before
        self.handle = open(fd, "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.writer = csv.DictWriter(self.handle, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore")
        self.writer.writeheader()
        for row in kept:
            self.writer.writerow(row)
        self.handle.flush()

    def write(self, result: AccountResult) -> None:
        with self.lock:
            self.writer.writerow(result.row())
            self.handle.flush()

    def close(self) -> None:
        self.handle.close()


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
                             error="interrupted (Ctrl-C) where the run could not record what it had done: "
                                   "`okko-cancel status` shows the account")
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


def server_label(server: str | None) -> str:
    """A browser server as the summary and the messages name it: its address without the
    query and any user name (either may hold a token); LOCAL for a browser launched here."""
    if not server:
        return LOCAL
    parts = urlsplit(server)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def check_servers(servers: Sequence[str]) -> None:
    """Every --connect a ws:// or wss:// URL, given once, before any browser starts."""
    for server in servers:
        if urlsplit(server).scheme not in ("ws", "wss"):
            raise ConfigurationError(_("bad --connect {server}: must be a ws:// or wss:// URL of a Playwright browser "
                                       "server").format(server=server_label(server) if "://" in server else "…"))
    repeated = [label for label, n in Counter(server_label(s) for s in servers).items() if n > 1]
    if repeated:
        raise ConfigurationError(_("--connect {server} is given twice: name each browser server once (--workers says "
                                   "how many run at once)").format(server=repeated[0]))


@dataclass
class _Lost:
    """An account whose browser went away under it, with what it ended with there."""

    account: Account
    server: str
    result: AccountResult


class _Work:
    """The accounts still to run: those of the CSV in its order, and those whose browser went
    away under them (`lose`), each to be run once more on another server while one has a
    browser (on the same one when it is the only one: a crashed browser, or a single server)."""

    def __init__(self, accounts: Sequence[Account]) -> None:
        self._lock = threading.Lock()
        self._fresh: deque[Account] = deque(accounts)
        self._lost: list[_Lost] = []
        self._browsers: Counter[str] = Counter()  # workers with a browser, by server

    def take(self, server: str) -> tuple[Account, _Lost | None] | None:
        """The next account for a worker on `server`; None when none is left for it."""
        with self._lock:
            elsewhere = any(n for other, n in self._browsers.items() if other != server)
            for at, lost in enumerate(self._lost):
                if lost.server != server or not elsewhere:
                    del self._lost[at]
                    return lost.account, lost
            return (self._fresh.popleft(), None) if self._fresh else None

    def lose(self, lost: _Lost) -> None:
        with self._lock:
            self._lost.append(lost)

    def any_left(self) -> bool:
        with self._lock:
            return bool(self._fresh or self._lost)

    def fresh_left(self) -> list[Account]:
        """The accounts of the CSV no worker took (once every worker has ended)."""
        with self._lock:
            fresh = list(self._fresh)
            self._fresh.clear()
            return fresh

    def lost_left(self) -> list[_Lost]:
        """The accounts sent back that no worker took again (once every worker has ended)."""
        with self._lock:
            lost = list(self._lost)
            self._lost.clear()
            return lost

    @contextmanager
    def browser_on(self, server: str) -> Iterator[None]:
        """Meanwhile a worker has a browser on `server`."""
        with self._lock:
            self._browsers[server] += 1
        try:
            yield
        finally:
            with self._lock:
                self._browsers[server] -= 1


def _browser_went_away(result: AccountResult, browser: Browser, interrupt: threading.Event) -> bool:
    """Whether an account failed because its browser (or the server's connection) went away,
    not by anything of its own: then it is run again, where Ctrl-C has not ended the batch."""
    return (result.exit_code != 0 and result.outcome != INTERRUPTED and not interrupt.is_set()
            and not _answers(browser))


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
    work = _Work([account for account in accounts if account.login not in finished])
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
                            work.lose(_Lost(account, label, result))  # once more, on another server
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
