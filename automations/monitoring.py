"""A monitored run (`check` or `watch`): what happens around the flows so that people rely on
it. The history is read for the steps a failure leaves unrun (check's), the run is timed and
recorded, its reports are written (check's JUnit and HTML with its trend; either's badge), and
the alert it calls for goes out.

The run itself comes from the caller (the live site's check, the bundled mock's, or watch's
flow), so that this module knows neither flows nor fixtures. A `watch` run is recorded as one
step per thing it watches (the subscriptions, the cards, the payments), failed when a finding
is about it; a run with findings is a failing run, for the history and its alerts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from automations.alerts import Alert, check_urls, record_and_alert, where_is_the_report
from automations.baselines import drift_of_run, refuse_unwritable
from automations.check_reports import write_badge, write_endpoint_badge, write_html, write_junit
from automations.drift_report import drift_summary
from automations.errors import ChargedAfterCancel, OkkoCancelError
from automations.history import History, Mode, NewRun, StepRun, check_run, expected_steps, history_or_none
from automations.i18n import _
from automations.settings import Settings
from automations.watch_rules import (AUTO_RENEW_BACK_ON, CARD_BOUND_AGAIN, CHARGED_AFTER_AUTO_RENEW_OFF,
                                     CHARGED_TO_UNBOUND_CARD)

Kind = Literal["check", "watch"]


class Report(Protocol):
    """What a monitored run gives back (flows/check.py's CheckReport, or a WatchOutcome)."""

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
    # check's ARIA baseline: this folder (CI's), else <data dir>/baselines/<site>/; a change
    # against it fails the run only when asked.
    baseline: Path | None = None
    fail_on_drift: bool = False


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
    # The site changed since the ARIA baseline, and --fail-on-drift makes that a failure.
    drifted: bool = False


@dataclass(frozen=True)
class Verdict:
    """How a monitored run ends for the command line: its failure's one line and exit code
    (none when it passed), and a warning that leaves the exit code alone."""

    failure: str | None = None
    exit_code: int = 0
    warning: str | None = None


def check_verdict(checked: Monitored, base_url: str) -> Verdict:
    """A failed step fails the check (exit 1); a drift does too with --fail-on-drift, and is
    a warning without it."""
    document = checked.document
    drift_found = bool(document.get("drift", {}).get("found"))
    if checked.failed:
        first = checked.failed[0]
        return Verdict(_("{failed} of {steps} steps failed; first: step «{step}» looked for {what} at {url}").format(
            failed=len(checked.failed), steps=len(document["steps"]), step=first["name"],
            what=first["element"] or _("the page"), url=first["url"] or base_url), 1)
    if checked.drifted:
        return Verdict(drift_summary(document["drift"]), 1)
    if drift_found:
        return Verdict(warning=_("the pages changed since the ARIA baseline, yet every step passed (--fail-on-drift "
                                 "makes it exit 1)"))
    return Verdict()


def watch_verdict(watched: Monitored) -> Verdict:
    """A finding is exit 6, with where its evidence is."""
    if watched.passed:
        return Verdict()
    document = watched.document
    return Verdict(_("the site charged or renewed after a cancellation (findings: {count}); evidence in {path}").format(
        count=len(document["findings"]), path=document["evidence"]), ChargedAfterCancel.exit_code)


def refuse_bad_reporting(reporting: Reporting) -> None:
    """Before any browser starts: a notify URL Apprise cannot use, or a baseline folder that
    cannot be written, is a usage error."""
    check_urls(reporting.notify_urls)
    if reporting.baseline is not None:
        refuse_unwritable(reporting.baseline)


def monitored_run(kind: Kind, settings: Settings, scope: Scope, reporting: Reporting,
                  run: Callable[[Expected], Report], warn: Callable[[str], None]) -> Monitored:
    """Runs `run` (a check of every flow, or a watch) as a monitored run: see the module's
    docstring. `failed` in what it returns: check's failed steps, or watch's findings. The
    caller has refused bad reporting already (`refuse_bad_reporting`), before anything else."""
    with history_or_none(settings.home.history_file, warn) as history:
        last = history.last_passing(kind, scope.mode, scope.site) if history and kind == "check" else None
        started_at, started = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
        report = run(expected_steps(last))
        seconds = time.perf_counter() - started
        document = report.to_dict()
        drifted = False
        if isinstance(report, WatchOutcome):
            if reporting.badge is not None:
                write_watch_badge(reporting.badge, document)
            where = where_is_the_report(report_index=None, junit=None, artifacts=report.artifacts)
            new, failed = report.history_run(scope, started_at, seconds, where), report.failures()
        else:
            drifted = _drift(settings, scope, reporting, report, document)
            index = _check_reports(reporting, document, history, scope, seconds)
            where = where_is_the_report(report_index=index, junit=reporting.junit, artifacts=report.artifacts)
            new = check_run(document, mode=scope.mode, site=scope.site, variant=scope.variant, seconds=seconds,
                            report=where)
            failed = [step for step in document["steps"] if step["outcome"] == "failed"]
        alert = record_and_alert(history, new, failed, urls=reporting.notify_urls, alert_after=reporting.alert_after,
                                 site=scope.shown_as or scope.site, where=where, warn=warn)
    # A run the login ended (OKKO_SESSION's session ended, the site is down) is recorded and
    # alerted on like any failure, then ends with its own exit code and message.
    error = getattr(report, "error", None)
    if isinstance(error, Exception):
        raise error
    return Monitored(document, report.passed and not drifted, alert, failed, drifted)


def monitored_check(settings: Settings, scope: Scope, reporting: Reporting, run: Callable[[Expected], Report],
                    warn: Callable[[str], None]) -> Monitored:
    return monitored_run("check", settings, scope, reporting, run, warn)


def _drift(settings: Settings, scope: Scope, reporting: Reporting, report: Report, document: dict[str, Any]) -> bool:
    """check's snapshots against its ARIA baseline (automations/baselines.py), into the
    document; True when the change fails the run (--fail-on-drift)."""
    observations = getattr(report, "observations", None)
    if not observations:
        return False
    folder = reporting.baseline or settings.home.baselines(scope.site)
    drift = drift_of_run(folder, observations, steps_passed=report.passed, fail_on_drift=reporting.fail_on_drift,
                         site=scope.site)
    document["drift"] = drift.to_dict()
    return reporting.fail_on_drift and drift.found


def _check_reports(reporting: Reporting, document: dict[str, Any], history: History | None, scope: Scope,
                   seconds: float) -> Path | None:
    """check's JUnit, HTML (with the trend: the scope's last runs and this one) and badge; the
    HTML's index, when one was asked for."""
    if reporting.junit is not None:
        write_junit(reporting.junit, document)
    index = None
    if reporting.report_dir is not None:
        from automations.trend_chart import TREND_RUNS  # with --report only, as what draws the trend

        this = check_run(document, mode=scope.mode, site=scope.site, variant=scope.variant, seconds=seconds,
                         report=None)
        before = history.last_in_scope("check", scope.mode, scope.site, TREND_RUNS - 1) if history else []
        index = write_html(reporting.report_dir, document, None, copy_traces=reporting.copy_traces,
                           trend=[*reversed(before), this])
    if reporting.badge is not None:
        write_badge(reporting.badge, document)
    return index


class _Document(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class _Timed(Protocol):
    @property
    def seconds(self) -> float: ...


class Watched(Protocol):
    """What watch's flow gives back (flows/runner.py's RunResult of a WatchReport)."""

    @property
    def value(self) -> _Document: ...

    @property
    def steps(self) -> Sequence[_Timed]: ...


# What watch's findings are about: each a step of its runs in the history.
WATCHED_BY_FINDING = {AUTO_RENEW_BACK_ON: "subscriptions", CARD_BOUND_AGAIN: "cards",
                      CHARGED_AFTER_AUTO_RENEW_OFF: "payments", CHARGED_TO_UNBOUND_CARD: "payments"}


@dataclass(frozen=True)
class WatchOutcome:
    """A `watch` run as a monitored run sees it: its document (WatchReport.to_dict()) and the
    seconds it took to read each thing it watches."""

    document: dict[str, Any]
    read_seconds: Mapping[str, float]
    # The run could not read the account (the saved session ended, the site was down, a page
    # changed): recorded and alerted on as a failing run, then it ends with its own exit code.
    error: OkkoCancelError | None = None

    @classmethod
    def could_not_read(cls, error: OkkoCancelError) -> WatchOutcome:
        return cls({"findings": [], "error": str(error)}, {}, error)

    @classmethod
    def of(cls, result: Watched) -> WatchOutcome:
        # flows/watch.py's own steps, the last after the login's: «Основные», then «Подписки»
        # (the subscriptions), then «Оплата услуг» (the cards and the payments).
        *_profile, subscriptions, payments = [0.0, 0.0, *(step.seconds for step in result.steps[-3:])]
        return cls(result.value.to_dict(), {"subscriptions": subscriptions, "cards": payments, "payments": payments})

    @property
    def passed(self) -> bool:
        return not self.document["findings"] and self.error is None

    def failures(self) -> list[dict[str, Any]]:
        """What its alert names: the findings, or the error that kept it from looking."""
        return [{"error": str(self.error)}] if self.error is not None else list(self.document["findings"])

    @property
    def artifacts(self) -> Path | None:
        """Where a person looks: the evidence pack, or (nothing found) the run's receipt."""
        place = self.document.get("evidence") or self.document.get("receipt")
        return Path(place) if place else None

    def to_dict(self) -> dict[str, Any]:
        return self.document

    def history_run(self, scope: Scope, started_at: str, seconds: float, where: str) -> NewRun:
        """The run as the history keeps it: a step per thing watched, failed by a finding about it."""
        if self.error is not None:
            steps = [StepRun("watch", _("read the account"), "failed", seconds)]
            return NewRun("watch", started_at, seconds, scope.site, scope.mode, None, False, where, steps)
        names = {"subscriptions": _("auto-renew stays off"), "cards": _("no card bound again"),
                 "payments": _("no payment after a cancellation")}
        found = {WATCHED_BY_FINDING.get(finding["kind"], "payments") for finding in self.document["findings"]}
        steps = [StepRun("watch", name, "failed" if watched in found else "ok", self.read_seconds[watched])
                 for watched, name in names.items()]
        return NewRun("watch", started_at, seconds, scope.site, scope.mode, None, self.passed, where,
                      steps)


def write_watch_badge(path: Path, document: Mapping[str, Any]) -> None:
    """watch's shields.io badge: "clean", or what it found (a charge first: it costs money),
    or that it could not look."""
    if document.get("error"):
        write_endpoint_badge(path, "watch", "could not read the account", "lightgrey")
        return
    kinds = {finding["kind"] for finding in document["findings"]}
    message = ("clean" if not kinds else "charged after cancel" if "payments" in map(WATCHED_BY_FINDING.get, kinds)
               else "renewed after cancel")
    write_endpoint_badge(path, "watch", message, "brightgreen" if not kinds else "red")
