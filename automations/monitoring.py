"""A monitored run (`check` today): what happens around the flows so that people rely on it.
The history is read for the steps a failure leaves unrun, the run is timed and recorded, its
reports are written (JUnit, HTML, badge), and the alert it calls for goes out.

The run itself comes from the caller (the live site's check, or the bundled mock's), so that
this module knows neither flows nor fixtures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from automations.alerts import Alert, check_urls, record_and_alert, where_is_the_report
from automations.check_reports import write_badge, write_html, write_junit
from automations.history import Mode, check_run, expected_steps, history_or_none
from automations.settings import Settings


class Report(Protocol):
    """What a monitored run gives back (flows/check.py's CheckReport)."""

    artifacts: Path | None

    @property
    def passed(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...


# Each flow's step names in the last passing run: what a failing run did not reach.
Expected = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Reporting:
    """Where a monitored run's outcome goes besides the terminal."""

    junit: Path | None = None
    report_dir: Path | None = None
    badge: Path | None = None
    notify_urls: Sequence[str] = ()
    alert_after: int = 2
    # The mock's traces live in a throwaway data dir: the report keeps copies of them.
    copy_traces: bool = False


@dataclass(frozen=True)
class Scope:
    """Whose runs a run counts among, in the history and for alerts."""

    mode: Mode
    site: str  # the site's key, or the history's name for the bundled mock
    variant: str | None = None
    shown_as: str = ""  # how an alert names the site


@dataclass
class Monitored:
    document: dict[str, Any]
    passed: bool
    alert: Alert | None = None
    failed: list[dict[str, Any]] = field(default_factory=list)


def refuse_bad_reporting(reporting: Reporting) -> None:
    """Before any browser starts: a notify URL Apprise cannot use is a usage error."""
    check_urls(reporting.notify_urls)


def monitored_check(settings: Settings, scope: Scope, reporting: Reporting, run: Callable[[Expected], Report],
                    warn: Callable[[str], None]) -> Monitored:
    """Runs `run` (a check of every flow) as a monitored run: see the module's docstring."""
    refuse_bad_reporting(reporting)
    with history_or_none(settings.home.history_file, warn) as history:
        expected = expected_steps(history.last_passing("check", scope.mode, scope.site)) if history else {}
        started = time.perf_counter()
        report = run(expected)
        seconds = time.perf_counter() - started
        document = report.to_dict()
        if reporting.junit is not None:
            write_junit(reporting.junit, document)
        index = None
        if reporting.report_dir is not None:
            index = write_html(reporting.report_dir, document, None, copy_traces=reporting.copy_traces)
        if reporting.badge is not None:
            write_badge(reporting.badge, document)
        where = where_is_the_report(report_index=index, junit=reporting.junit, artifacts=report.artifacts)
        failed = [step for step in document["steps"] if step["outcome"] == "failed"]
        alert = record_and_alert(
            history, check_run(document, mode=scope.mode, site=scope.site, variant=scope.variant, seconds=seconds,
                               report=where),
            failed, urls=reporting.notify_urls, alert_after=reporting.alert_after,
            site=scope.shown_as or scope.site, where=where, warn=warn)
    return Monitored(document, report.passed, alert, failed)
