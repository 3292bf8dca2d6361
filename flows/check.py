"""`check`: every flow in dry run, step by step, so that a change on the site is noticed the
morning it happens, with the failing step named. It never changes the account: each
destructive dialog is opened and backed out of at its final confirmation."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automations.credentials import Credentials
from automations.errors import FlowFailed, OkkoCancelError
from automations.home import CHECKS, utc_stamp
from automations.i18n import _
from automations.locks import account_lock
from automations.observation import Observation, Recorder, recording
from automations.pages import ProfilePage
from automations.redaction import Redactor, masked_screenshot, redact_url
from automations.session import BrowserSession, SavedSession
from automations.settings import Settings
from automations.steps import StepLog, StepRecord
from automations.storage import private_dir, write_private
from flows.interruption import is_change_step, is_dry_run
from flows.login import CodeProvider
from flows.registry import CHECKED_COMMANDS, COMMANDS
from flows.resilience import open_section
from flows.runner import person_for, sign_in_once


def read_profile(page: Page, steps: StepLog) -> dict[str, str]:
    return open_section(steps, ProfilePage(page), ProfilePage.contacts)


CheckFlow = Callable[[Page, StepLog], Any]


def checks() -> tuple[tuple[str, CheckFlow], ...]:
    """Each flow the registry has `check` walk, dry, in its order; then the profile."""
    dry = tuple((name, partial(COMMANDS[name].function(), dry_run=True)) for name in CHECKED_COMMANDS)
    return (*dry, ("profile", read_profile))


@dataclass
class CheckReport:
    site: str
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    steps: list[StepRecord] = field(default_factory=list)
    # The change steps walked up to their last confirmation and backed out of (ids of their
    # records): they passed, and changed nothing.
    backed_out: set[int] = field(default_factory=set)
    # Where the run kept its screenshots (unless a report folder took them) and traces.
    artifacts: Path | None = None
    # What ended the run at the login (other than the login page changing): raised once the
    # run is recorded and alerted on (automations/monitoring.py), its exit code the run's.
    error: OkkoCancelError | None = None
    # The ARIA snapshot of each section and dialog the flows reached, redacted (the baseline's
    # stuff: automations/baselines.py), and what redacted them, which knows the device names.
    observations: list[Observation] = field(default_factory=list)
    redactor: Redactor = field(default_factory=Redactor)

    @property
    def failed(self) -> list[StepRecord]:
        return [s for s in self.steps if s.outcome == "failed"]

    @property
    def passed(self) -> bool:
        return not self.failed and self.error is None

    def to_dict(self) -> dict[str, Any]:
        """The run for its reports, history and alerts, which people share: the steps' words
        redacted (a step is named after the card it unbinds)."""
        steps = [{**s.to_dict(), "backed_out": id(s) in self.backed_out} for s in self.steps]
        return {
            "site": self.site,
            "started_at": self.started_at,
            "passed": self.passed,
            "counts": {"steps": len(self.steps), "failed": len(self.failed)},
            "steps": self.redactor.document(steps, keep=FILES),
            "artifacts": str(self.artifacts) if self.artifacts else None,
        }


# A step's files: paths the tool made, which the report links.
FILES = frozenset({"screenshot", "trace"})


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text, flags=re.ASCII).strip("-").lower() or "step"


def not_reached(group: str, failed: str | None, expected: Sequence[str]) -> list[StepRecord]:
    """The steps of `group` that did not run: those after the step `failed` (or, when the login
    failed, all), named as the last passing run walked them (`expected`), else one record for
    the rest. The steps a flow takes depend on the account (a step per card), so only a run
    that walked them knows their names."""
    why = (_("not run: step «{step}» of this flow failed").format(step=failed) if failed
           else _("not run: the login failed"))
    # The history keeps the names as the reports show them, redacted.
    redact = Redactor().text
    known = [redact(name) for name in expected]
    if failed is None and expected:
        names = list(expected)
    elif failed is not None and redact(failed) in known:
        names = list(expected[known.index(redact(failed)) + 1:])
    else:
        names = [_("the rest of «{flow}»").format(flow=group) if failed else _("all of «{flow}»").format(flow=group)]
    return [StepRecord(name, outcome="skipped", detail=why, group=group) for name in names]


def check_flows(
    page: Page, steps: StepLog, *, site: str, screenshots: Path, traces: Path | None = None,
    expected: Mapping[str, Sequence[str]] | None = None,
) -> CheckReport:
    """Runs each flow dry; a failing flow is recorded (screenshot, and a trace when `traces`
    is given), the rest of its steps listed as skipped (by name, from `expected`: each flow's
    steps in the last passing run), and the next one still runs from the settings page. The
    steps before this call (the login) are never traced. Screenshots and traces go to
    separate folders because a report folder may be published, and a trace of a live account
    must not."""
    trace = traces is not None
    recorder = Recorder(steps=steps)
    report = CheckReport(site=site, steps=steps.records, redactor=recorder.redactor)
    for record in steps.records:
        record.group = record.group or "login"
    tracing = page.context.tracing
    if trace:
        # DOM snapshots of every action (Trace Viewer draws the page from them) and the failing
        # step's own screenshot are what a broken flow is read from; the screencast's filmstrip
        # on top was most of what tracing cost every check, passing or not.
        tracing.start(screenshots=False, snapshots=True)
    try:
        for group, flow in checks():
            first = len(steps.records)
            if trace:
                tracing.start_chunk(title=group)
            recorder.group = group
            try:
                with recording(recorder):
                    flow(page, steps)
            except FlowFailed:
                failed = steps.records[-1]
                # The report that shows it may be shared: personal data masked, not only passwords.
                shot = masked_screenshot(page, recorder.redactor.devices)
                if shot is not None:
                    failed.screenshot = f"{_slug(group)}-failure.png"
                    write_private(private_dir(screenshots) / failed.screenshot, shot)
                if traces is not None:
                    trace_file = private_dir(traces) / f"{_slug(group)}-trace.zip"
                    tracing.stop_chunk(path=str(trace_file))
                    trace_file.chmod(0o600)
                    failed.trace = str(trace_file)
                _back_to_settings(page)
                # Not through on_step: they never began, so no progress line is theirs.
                steps.records.extend(not_reached(group, failed.name, (expected or {}).get(group, ())))
            else:
                if trace:
                    tracing.stop_chunk()
            for record in steps.records[first:]:
                record.group = group
                if is_dry_run(flow) and record.outcome == "ok" and is_change_step(record.name):
                    report.backed_out.add(id(record))
    finally:
        if trace:
            tracing.stop()
    report.observations = recorder.observations()
    return report


def redacted_progress(on_step: Callable[[StepRecord, bool], None]) -> Callable[[StepRecord, bool], None]:
    """check's progress lines end up in CI logs as its reports do: the steps' words redacted."""
    redactor = Redactor()

    def show(record: StepRecord, done: bool) -> None:
        proposal = redactor.document(record.proposal) if record.proposal else None
        on_step(replace(record, name=redactor.text(record.name), element=redactor.text(record.element),
                        detail=redactor.text(record.detail), url=redact_url(record.url), proposal=proposal), done)

    return show


def _back_to_settings(page: Page) -> None:
    try:
        page.goto("/settings")
    except PlaywrightError:
        pass


def run_check(
    settings: Settings,
    *,
    credentials: Credentials | None,
    screenshots: Path | None = None,
    traces: Path | None = None,
    expected: Mapping[str, Sequence[str]] | None = None,
    code_provider: CodeProvider | None = None,
    on_step: Callable[[StepRecord, bool], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> CheckReport:
    """Logs in (untraced; a rejected login raises, for exit codes 3-5) and checks every flow.
    Traces, and screenshots unless `screenshots` says where, go to checks/<UTC time>/.
    `expected`: each flow's step names in the last passing run, to name the steps a failure
    left unrun."""
    if traces is None or screenshots is None:
        folder = settings.home.folder(CHECKS, utc_stamp())
        traces, screenshots = traces or folder, screenshots or folder
    login = credentials.login if credentials else None
    saved = SavedSession(settings.home, login)
    with account_lock(settings.home, login, on_wait=on_notice), BrowserSession(settings, saved.load()) as session:
        page = session.page
        steps = StepLog(on_step=redacted_progress(on_step) if on_step else (lambda record, done: None),
                        url=lambda: page.url)
        try:
            if sign_in_once(settings, page, steps, credentials, code_provider,
                            person=person_for(settings, on_notice)):
                saved.save(session.context)
        except OkkoCancelError as error:
            # No flow ran. The login page itself changed (FlowFailed): a finding, not a crash.
            # Anything else (the session carried in OKKO_SESSION has ended, the site is down)
            # ends the run with its own exit code once the run is recorded and alerted on.
            if not any(record.outcome == "failed" for record in steps.records):
                steps.records.append(StepRecord(_("Log in"), outcome="failed", detail=str(error)))
            for record in steps.records:
                record.group = record.group or "login"
            for group, _flow in checks():
                steps.records.extend(not_reached(group, None, (expected or {}).get(group, ())))
            return CheckReport(site=settings.base_url, steps=steps.records, artifacts=screenshots,
                               error=None if isinstance(error, FlowFailed) else error)
        report = check_flows(page, steps, site=settings.base_url, screenshots=screenshots, traces=traces,
                             expected=expected)
        report.artifacts = screenshots
        return report
