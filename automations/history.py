"""`check`'s and `watch`'s history: every run and each of its steps, in SQLite at
<data dir>/history.sqlite, so that an alert can wait for N failing runs in a row, `okko-cancel
history` can say how often each step passes and how long it takes, and check's report can
draw each step's trend.

    with History.open(settings.home.history_file) as history:
        run = history.record(NewRun("check", started_at, seconds, "okko.tv", "live", None, False, report, steps))
        history.failing_streak(run)       # this run and the failing ones right before it

A run belongs to a scope (command, mode, site): the bundled mock's runs ("mock", site "mock",
whatever its variant) never count towards or against okko.tv's ("live", its host). One file
holds them all, the mock's too, and is the one file a scheduled job keeps between runs.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from automations.errors import ConfigurationError
from automations.i18n import _
from automations.storage import FILE_MODE, private_dir

Mode = Literal["mock", "live"]
AlertKind = Literal["failing", "recovered"]
# The mock's runs share one scope whatever port or variant it was served on: a `breaking`
# run followed by an `okko` one is a failure and a recovery of the same thing.
MOCK_SITE = "mock"

# PRAGMA user_version: which schema the file holds (1: this one). No migrations yet; a later
# schema reads the number first.
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id         INTEGER PRIMARY KEY,
    command    TEXT NOT NULL,                       -- check or watch
    started_at TEXT NOT NULL,                       -- ISO 8601, UTC
    seconds    REAL NOT NULL,
    site       TEXT NOT NULL,                       -- the live site's host, or "mock"
    mode       TEXT NOT NULL CHECK (mode IN ('mock', 'live')),
    variant    TEXT,                                -- the mock's layout
    passed     INTEGER NOT NULL CHECK (passed IN (0, 1)),
    report     TEXT,                                -- where a person finds the run's report
    alert      TEXT CHECK (alert IN ('failing', 'recovered'))  -- an alert delivered after this run
);
CREATE INDEX IF NOT EXISTS runs_by_scope ON runs (command, mode, site, id);
CREATE TABLE IF NOT EXISTS steps (
    run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    grp      TEXT NOT NULL,                         -- the flow ("unbind-card"), or "login"
    name     TEXT NOT NULL,
    outcome  TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped')),
    seconds  REAL NOT NULL,
    PRIMARY KEY (run_id, position)
);
"""
RUN_COLUMNS = "id, command, started_at, seconds, site, mode, variant, passed, report, alert"


class HistoryUnreadable(ConfigurationError):
    """history.sqlite is not a database this tool can use (another program's file, a torn copy)."""


@dataclass(frozen=True)
class StepRun:
    group: str
    name: str
    outcome: str
    seconds: float


@dataclass(frozen=True)
class NewRun:
    command: str
    started_at: str
    seconds: float
    site: str
    mode: Mode
    variant: str | None
    passed: bool
    report: str | None
    steps: Sequence[StepRun] = ()


@dataclass(frozen=True, kw_only=True)
class Run(NewRun):
    """A run as the history holds it: its row's id, and the alert sent about it, if any."""

    id: int
    alert: AlertKind | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StepStats:
    """One step over a window of runs: how often it passed when it ran, and its median time."""

    command: str
    mode: Mode
    group: str
    name: str
    occurrence: int  # a name a flow gives two of its steps ("Open the settings"): the first, the second
    passed: int
    failed: int
    skipped: int  # an earlier step of its flow failed: it neither passed nor failed

    @property
    def ran(self) -> int:
        return self.passed + self.failed

    def to_dict(self, median_seconds: float | None) -> dict[str, Any]:
        return {"command": self.command, "mode": self.mode, "group": self.group, "name": self.name,
                "occurrence": self.occurrence, "passed": self.passed, "failed": self.failed, "skipped": self.skipped,
                "pass_rate": round(self.passed / self.ran, 4) if self.ran else None,
                "median_seconds": None if median_seconds is None else round(median_seconds, 3)}


def check_run(document: Mapping[str, Any], *, mode: Mode, site: str, variant: str | None, seconds: float,
              report: str | None) -> NewRun:
    """A `check` run as the history keeps it, from its JSON document (flows/check.py)."""
    return NewRun("check", document["started_at"], seconds, site, mode, variant, bool(document["passed"]), report,
                  [StepRun(s["group"], s["name"], s["outcome"], s["seconds"]) for s in document["steps"]])


def expected_steps(run: Run | None) -> dict[str, list[str]]:
    """Each flow's step names in `run` (the last passing one): what a failing run did not reach."""
    names: dict[str, list[str]] = {}
    for step in run.steps if run else ():
        names.setdefault(step.group, []).append(step.name)
    return names


@contextmanager
def history_or_none(path: Path, warn: Callable[[str], None]) -> Iterator[History | None]:
    """For `check`: the history, or None after a warning when it cannot be opened; the check
    runs all the same, without alerts (which rest on the history)."""
    with ExitStack() as stack:
        history: History | None
        try:
            history = stack.enter_context(History.open(path))
        except (HistoryUnreadable, OSError, sqlite3.Error) as error:
            warn(str(error))
            history = None
        yield history


def history_document(path: Path, limit: int) -> dict[str, Any]:
    """`okko-cancel history`: the newest `limit` runs, newest first, and each step's pass rate
    and median duration over them. No file yet is no runs (and none is made)."""
    runs: list[Run] = []
    if path.exists():
        with History.open(path) as history:
            runs = history.last_runs(limit)
    return {"file": str(path), "limit": limit, "runs": [run.to_dict() for run in runs], "steps": step_stats(runs)}


def step_stats(runs: Sequence[Run]) -> list[dict[str, Any]]:
    """Each step that ran at least once in `runs`, in the order it first appears: its pass rate
    (passed / ran; a skipped step did not run) and the median of its durations when it ran."""
    counts: dict[tuple[str, Mode, str, str, int], dict[str, int]] = {}
    durations: dict[tuple[str, Mode, str, str, int], list[float]] = {}
    for run in sorted(runs, key=lambda r: r.id):
        seen: dict[tuple[str, str], int] = {}
        for step in run.steps:
            nth = seen[step.group, step.name] = seen.get((step.group, step.name), 0) + 1
            key = (run.command, run.mode, step.group, step.name, nth)
            counts.setdefault(key, {"ok": 0, "failed": 0, "skipped": 0})[step.outcome] += 1
            if step.outcome != "skipped":
                durations.setdefault(key, []).append(step.seconds)
    # A placeholder for steps that were never reached ("the rest of …") never ran: no rate to give.
    return [
        StepStats(*key, passed=c["ok"], failed=c["failed"], skipped=c["skipped"]).to_dict(
            statistics.median(durations[key]))
        for key, c in counts.items() if key in durations
    ]


class History:
    """One open history file. Every write is one transaction: a run and its steps, or neither."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    @contextmanager
    def open(cls, path: Path) -> Iterator[History]:
        """The history at `path`, made (0600, in a private folder) on first use."""
        with closing(cls._connect(path)) as connection:
            yield cls(connection, path)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        private_dir(path.parent)
        if not path.exists():
            # Made private before SQLite writes a byte into it; its journal takes the same mode.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
        connection = sqlite3.connect(path, timeout=10)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise HistoryUnreadable(_("{file} was written by a newer okko-cancel (schema {version}); update "
                                          "okko-cancel, or move the file away").format(file=path, version=version))
            with connection:
                connection.executescript(SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as error:
            connection.close()
            raise HistoryUnreadable(_("cannot use the history {file}: {error}; move it away to start a new "
                                      "one").format(file=path, error=error)) from None
        except HistoryUnreadable:
            connection.close()
            raise
        return connection

    def record(self, new: NewRun) -> Run:
        with self.connection:
            cursor = self.connection.execute(
                "INSERT INTO runs (command, started_at, seconds, site, mode, variant, passed, report)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (new.command, new.started_at, round(new.seconds, 3), new.site, new.mode, new.variant, int(new.passed),
                 new.report))
            run_id = int(cursor.lastrowid or 0)
            self.connection.executemany(
                "INSERT INTO steps (run_id, position, grp, name, outcome, seconds) VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, position, s.group, s.name, s.outcome, round(s.seconds, 3)) for position, s in enumerate(new.steps)])
        return self._runs(f"SELECT {RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,))[0]

    def mark_alert(self, run: Run, kind: AlertKind) -> None:
        """An alert about `run` reached someone: the streak has been told of."""
        with self.connection:
            self.connection.execute("UPDATE runs SET alert = ? WHERE id = ?", (kind, run.id))

    def last_runs(self, limit: int, command: str | None = None) -> list[Run]:
        """The newest `limit` runs (of `command`, or every command's), newest first, with their steps."""
        where, parameters = ("WHERE command = ?", (command,)) if command else ("", ())
        return self._runs(f"SELECT {RUN_COLUMNS} FROM runs {where} ORDER BY id DESC LIMIT ?", (*parameters, limit))

    def last_in_scope(self, command: str, mode: Mode, site: str, limit: int) -> list[Run]:
        """The scope's newest `limit` runs, newest first: what a trend is drawn from."""
        return self._runs(f"SELECT {RUN_COLUMNS} FROM runs WHERE command = ? AND mode = ? AND site = ?"
                          " ORDER BY id DESC LIMIT ?", (command, mode, site, limit))

    def failing_streak(self, run: Run) -> list[Run]:
        """The failing runs of `run`'s scope that end at `run` (itself included when it failed),
        newest first: none when `run` passed."""
        return [] if run.passed else self._same_since(run, run.id)

    def streak_before(self, run: Run) -> list[Run]:
        """The failing runs of `run`'s scope right before it, newest first: what a passing run
        recovers from."""
        previous = self._runs(f"SELECT {RUN_COLUMNS} FROM runs WHERE command = ? AND mode = ? AND site = ?"
                              " AND id < ? ORDER BY id DESC LIMIT 1", (run.command, run.mode, run.site, run.id))
        return self.failing_streak(previous[0]) if previous else []

    def last_passing(self, command: str, mode: Mode, site: str) -> Run | None:
        """The scope's latest run in which every step passed: which steps a flow has, as far as is known."""
        found = self._runs(f"SELECT {RUN_COLUMNS} FROM runs WHERE command = ? AND mode = ? AND site = ? AND passed = 1"
                           " ORDER BY id DESC LIMIT 1", (command, mode, site))
        return found[0] if found else None

    def _same_since(self, run: Run, up_to: int) -> list[Run]:
        # The runs of the scope up to `up_to` since the last one that ended otherwise than `run`.
        scope = (run.command, run.mode, run.site)
        return self._runs(
            f"SELECT {RUN_COLUMNS} FROM runs WHERE command = ? AND mode = ? AND site = ? AND id <= ? AND id > "
            "COALESCE((SELECT MAX(id) FROM runs WHERE command = ? AND mode = ? AND site = ? AND id <= ? "
            "AND passed != ?), 0) ORDER BY id DESC",
            (*scope, up_to, *scope, up_to, int(run.passed)))

    def _runs(self, query: str, parameters: tuple[Any, ...]) -> list[Run]:
        rows = self.connection.execute(query, parameters).fetchall()
        steps: dict[int, list[StepRun]] = {row[0]: [] for row in rows}
        if steps:
            marks = ", ".join("?" * len(steps))
            for run_id, group, name, outcome, seconds in self.connection.execute(
                    f"SELECT run_id, grp, name, outcome, seconds FROM steps WHERE run_id IN ({marks})"
                    " ORDER BY run_id, position", tuple(steps)):
                steps[run_id].append(StepRun(group, name, outcome, seconds))
        return [Run(row[1], row[2], row[3], row[4], row[5], row[6], bool(row[7]), row[8], tuple(steps[row[0]]),
                    id=row[0], alert=row[9]) for row in rows]
