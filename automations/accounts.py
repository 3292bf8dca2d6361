"""`batch`'s accounts, apart from the browsers that run them (flows/batch.py): the accounts CSV
it reads (checked whole before anything reaches the site), the queue its workers take them
from (and give back an account whose browser went away), and the summary CSV it writes a row
at a time (so that `--resume` picks up after an interruption)."""

from __future__ import annotations

import csv
import io
import os
import threading
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from automations.credentials import Credentials, check_login
from automations.errors import ConfigurationError
from automations.home import BATCH, DataHome, account_slug
from automations.i18n import _
from automations.storage import private_dir

SUMMARY_COLUMNS = ("account", "command", "outcome", "exit_code", "seconds", "receipt", "error", "server")
# What a summary row may say for an account that `--resume` leaves alone; an "interrupted"
# one (Ctrl-C) is run again.
FINISHED = {"done", "already_done", "ok"}
INTERRUPTED = "interrupted"
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

    def failure(self) -> str | None:
        """One line when any account failed: how many, the first, and where the summary is."""
        failed = [r for r in self.results if r.exit_code != 0]
        if not failed:
            return None
        return _("{failed} of {accounts} accounts failed (first: {first}, exit {code}); see {summary}").format(
            failed=len(failed), accounts=len(self.results), first=failed[0].account, code=failed[0].exit_code,
            summary=self.summary)

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
    too_big = ConfigurationError(_("{path} is larger than {mb} MB, too large for an accounts file: split it into files of "
                                   "at most {accounts} accounts").format(path=path, mb=MAX_ACCOUNTS_FILE_MB,
                                                                         accounts=MAX_ACCOUNTS))
    try:
        if path.stat().st_size > limit:
            raise too_big
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the size again: a pipe or a growing file has none
    except FileNotFoundError:
        raise ConfigurationError(_("accounts file {path} does not exist").format(path=path)) from None
    except OSError as error:
        raise ConfigurationError(_("cannot read the accounts file {path}: {why}").format(path=path, why=error.strerror)) from None
    if len(data) > limit:
        raise too_big
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ConfigurationError(_("{path} is not UTF-8 text (line {line}): save it as UTF-8").format(path=path, line=line)) from None


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
            raise ConfigurationError(_("{path} is empty: it needs a header row `login,password` and a row per "
                                       "account").format(path=path))
        columns = [name.strip().lower() for name in header]
        if "login" not in columns or ("password" not in columns and passwords_needed):
            raise ConfigurationError(_("{path} needs a header row naming the columns login and password").format(path=path))
        if any(len(name) > MAX_FIELD_CHARS for name in columns):
            raise ConfigurationError(_("{path}, row 1: a column name is over {chars} characters").format(
                path=path, chars=MAX_FIELD_CHARS))
        login_at = columns.index("login")
        password_at = columns.index("password") if "password" in columns else None
        accounts: list[Account] = []
        seen: dict[str, int] = {}
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(accounts) == MAX_ACCOUNTS:
                raise ConfigurationError(_("{path} lists more than {accounts} accounts: split it into files of at "
                                           "most {accounts}").format(path=path, accounts=MAX_ACCOUNTS))
            for at, cell in enumerate(row):
                if len(cell) > MAX_FIELD_CHARS:
                    column = columns[at] if at < len(columns) and columns[at] else _("column {number}").format(number=at + 1)
                    raise ConfigurationError(_("{path}, row {row}: the {column} is over {chars} characters").format(
                        path=path, row=row_number, column=column, chars=MAX_FIELD_CHARS))
            login = row[login_at].strip() if login_at < len(row) else ""
            password = row[password_at] if password_at is not None and password_at < len(row) else ""
            if not login:
                raise ConfigurationError(_("{path}, row {row}: the login is empty").format(path=path, row=row_number))
            login = check_login(login, _("{path}, row {row}: the login").format(path=path, row=row_number))
            if passwords_needed and not password.strip():
                raise ConfigurationError(_("{path}, row {row}: the password is empty: fill it in (where the site "
                                           "logs in by a code instead, give --code-command or --code-from-imap)").format(path=path,
                                                                                                    row=row_number))
            slug = account_slug(login)
            if slug in seen:
                raise ConfigurationError(_("{path}, row {row}: the same account as row {first}").format(
                    path=path, row=row_number, first=seen[slug]))
            seen[slug] = row_number
            accounts.append(Account(row_number, Credentials(login, SecretStr(password))))
    except csv.Error as error:
        # The csv module's own limit (128 KiB) is met before a row reaches the check above.
        if "field larger than field limit" in str(error):
            raise ConfigurationError(_("{path}, row {row}: a field is over {chars} characters").format(
                path=path, row=row_number + 1, chars=MAX_FIELD_CHARS)) from None
        # Its messages describe the problem, not the cell's content.
        raise ConfigurationError(_("{path}, row {row}: not readable as CSV ({error})").format(
            path=path, row=row_number + 1, error=error)) from None
    if not accounts:
        raise ConfigurationError(_("{path} lists no accounts").format(path=path))
    return accounts


def batch_summary(home: DataHome, accounts_csv: Path, command: str) -> Path:
    """Where a batch's summary goes unless --summary says: <data dir>/batch/<ACCOUNTS>-<COMMAND>.csv."""
    return home.folder(BATCH) / f"{accounts_csv.stem}-{command}.csv"


def read_summary(path: Path) -> dict[str, dict[str, str]]:
    """The rows of an earlier summary, by account; empty when there is none."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return {row["account"]: row for row in csv.DictReader(handle) if row.get("account")}
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, csv.Error, KeyError) as error:
        raise ConfigurationError(_("cannot read the summary {path} to resume from: {error}").format(
            path=path, error=error.__class__.__name__)) from None


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
class Lost:
    """An account whose browser went away under it, with what it ended with there."""

    account: Account
    server: str
    result: AccountResult


class AccountQueue:
    """The accounts still to run: those of the CSV in its order, and those whose browser went
    away under them (`lose`), each to be run once more on another server while one has a
    browser (on the same one when it is the only one: a crashed browser, or a single server)."""

    def __init__(self, accounts: Sequence[Account]) -> None:
        self._lock = threading.Lock()
        self._fresh: deque[Account] = deque(accounts)
        self._lost: list[Lost] = []
        self._browsers: Counter[str] = Counter()  # workers with a browser, by server

    def take(self, server: str) -> tuple[Account, Lost | None] | None:
        """The next account for a worker on `server`; None when none is left for it."""
        with self._lock:
            elsewhere = any(n for other, n in self._browsers.items() if other != server)
            for at, lost in enumerate(self._lost):
                if lost.server != server or not elsewhere:
                    del self._lost[at]
                    return lost.account, lost
            return (self._fresh.popleft(), None) if self._fresh else None

    def lose(self, lost: Lost) -> None:
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

    def lost_left(self) -> list[Lost]:
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
