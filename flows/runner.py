"""Running one flow for the CLI: credentials, browser, one login at most, the flow itself,
then the receipt (and a trace of the steps after the login, when asked)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from automations.credentials import Credentials, RejectedLogin
from automations.errors import (FlowFailed, HumanNeeded, LoginRejected, OkkoCancelError, SessionExpired,
                                SiteUnreachable)
from automations.evidence import write_receipt
from automations.home import TRACES
from automations.i18n import _
from automations.locks import account_lock
from automations.pages import SettingsSection
from automations.session import BrowserSession, SavedSession
from automations.site_answers import paused, record_site_answers
from automations.settings import Settings
from automations.steps import StepLog, StepRecord
from flows.interruption import CutShort, Progress, RunInterrupted, cut_short, deaf_to_ctrl_c, record_interruption
from flows.login import CodeProvider, Person, ensure_signed_in, log_in, open_settings, sign_in
from automations.models import ActionReport

T = TypeVar("T")
OnStep = Callable[[StepRecord, bool], None]
OnNotice = Callable[[str], None]


@dataclass
class RunResult(Generic[T]):
    value: T
    steps: list[StepRecord]
    fresh_login: bool
    receipt: Path | None = None
    trace: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def person_for(settings: Settings, on_notice: OnNotice | None) -> Person | None:
    """Someone at the window when the browser shows one: they finish Сбер ID, a CAPTCHA or a code."""
    if settings.headless:
        return None
    return Person(settings.person_wait_s, tell=on_notice or (lambda message: None))


def run_flow(
    settings: Settings,
    action: str,
    flow: Callable[[Page, StepLog], T],
    *,
    credentials: Credentials | None,
    code_provider: CodeProvider | None = None,
    on_step: OnStep | None = None,
    keep_receipt: bool = True,
    browser: Browser | None = None,
    start_on: type[SettingsSection] | None = None,
    on_notice: OnNotice | None = None,
    interrupt: threading.Event | None = None,
) -> RunResult[T]:
    """`browser`: run in a new context of this browser (a batch worker's) instead of a browser of its own.
    `start_on`: the section the flow opens first, where the run opens the settings (the flow's
    first step then finds it shown); None opens them at their front door.
    `interrupt`: a batch's Ctrl-C, for a run in a worker thread, where KeyboardInterrupt never
    arrives: once set, the run stops at its next step's start or end as if Ctrl-C had come there.

    One run at a time per account (automations/locks.py). Ctrl-C during the run raises
    RunInterrupted, after a receipt `<action>-interrupted` of what was done."""
    login = credentials.login if credentials else None
    try:
        with account_lock(settings.home, login, on_wait=on_notice), ExitStack() as unwinding:
            saved = SavedSession(settings.home, login)
            with BrowserSession(settings, saved.load(), browser=browser) as session:
                page = session.page
                progress = Progress(on_step, interrupt)
                steps = StepLog(on_step=progress, url=lambda: page.url)
                try:
                    return _signed_in_run(settings, action, flow, session, saved, steps, credentials=credentials,
                                          code_provider=code_provider, keep_receipt=keep_receipt, start_on=start_on,
                                          person=person_for(settings, on_notice), interrupt=interrupt)
                except CutShort as cut:
                    # A second Ctrl-C must not lose the receipt, nor end the browser's closing halfway.
                    unwinding.enter_context(deaf_to_ctrl_c())
                    raise record_interruption(settings, action, flow, login, page, steps, progress,
                                              keep=keep_receipt and cut.in_flow) from None
    except KeyboardInterrupt:
        # Waiting for the lock or starting the browser: nothing has happened on the site.
        raise RunInterrupted([], None, None) from None


def _signed_in_run(
    settings: Settings,
    action: str,
    flow: Callable[[Page, StepLog], T],
    session: BrowserSession,
    saved: SavedSession,
    steps: StepLog,
    *,
    credentials: Credentials | None,
    code_provider: CodeProvider | None,
    keep_receipt: bool,
    start_on: type[SettingsSection] | None,
    person: Person | None,
    interrupt: threading.Event | None,
) -> RunResult[T]:
    """One login at most, the flow, the receipt; Ctrl-C (or a batch's interrupt) becomes CutShort."""
    page = session.page
    try:
        try:
            fresh = sign_in_once(settings, page, steps, credentials, code_provider, start_on, person)
        except OkkoCancelError:
            if cut_short(interrupt, page):
                raise CutShort(in_flow=False) from None
            raise
    except KeyboardInterrupt:
        raise CutShort(in_flow=False) from None
    try:
        if fresh:
            saved.save(session.context)
        # Only now, like the trace: the login's own requests never reach a receipt.
        answers = record_site_answers(session.context, settings.base_url) if keep_receipt else None
        trace_path: Path | None = None
        if settings.trace:
            # Started only now: the login, with the password typed into it, is never traced.
            session.context.tracing.start(screenshots=True, snapshots=True)
        try:
            try:
                value = flow(page, steps)
            except SessionExpired:
                if credentials is None:
                    # Nothing was rejected: a person must log in once more (exit 5, as for a
                    # session the site ends before the flow).
                    raise HumanNeeded(_("the saved session has expired and no credentials are saved: run "
                                          "`okko-cancel login`")) from None
                # One fresh login per run, then the flow again from the start: it reads the
                # state first, so what was already done is not done twice.
                with _untraced(session.context, settings.trace), paused(answers):
                    relogin(settings, page, steps, credentials, code_provider, start_on, person)
                saved.save(session.context)
                value = flow(page, steps)
        except (FlowFailed, SiteUnreachable) as error:
            if cut_short(interrupt, page):
                raise CutShort(in_flow=True) from None
            if keep_receipt:
                write_receipt(settings.home, f"{action}-failed",
                              {"site": settings.base_url, "error": str(error), "steps": steps.to_list()}, page)
            raise
        finally:
            if settings.trace:
                trace_path = _stop_trace(session.context, settings.home.stamped(TRACES, action, ".zip"))
        saved.save(session.context)
        receipt = None
        if keep_receipt and isinstance(value, ActionReport):
            receipt = write_receipt(
                settings.home,
                action,
                {"site": settings.base_url, "account": credentials.login if credentials else None,
                 **value.to_dict(), "steps": steps.to_list()},
                page,
            )
        return RunResult(value, steps.records, fresh, receipt, trace_path)
    except KeyboardInterrupt:
        raise CutShort(in_flow=True) from None


def _stop_trace(context: BrowserContext, path: Path) -> Path | None:
    """The trace saved to `path`; None when the browser went away with it (Ctrl-C, a crash)."""
    try:
        context.tracing.stop(path=str(path))
    except PlaywrightError:
        path.unlink(missing_ok=True)
        return None
    path.chmod(0o600)
    return path


@contextmanager
def _untraced(context: BrowserContext, tracing: bool) -> Iterator[None]:
    """Pauses a trace around a login, so that the typed password never enters it."""
    if tracing:
        context.tracing.stop_chunk()
    try:
        yield
    finally:
        if tracing:
            context.tracing.start_chunk()


def sign_in_once(
    settings: Settings,
    page: Page,
    steps: StepLog,
    credentials: Credentials | None,
    code_provider: CodeProvider | None,
    start_on: type[SettingsSection] | None = None,
    person: Person | None = None,
) -> bool:
    """`ensure_signed_in`, refusing the login and password the site rejected before and
    remembering a rejection: a wrong saved password must not be tried again every morning
    until the account locks, while a changed one is tried once. A successful login (here or
    `okko-cancel login`) clears it."""
    marker = RejectedLogin(settings.home)
    if credentials is not None:
        marker.refuse_if_rejected(credentials)
    try:
        fresh = ensure_signed_in(page, steps, credentials, code_provider=code_provider, person=person,
                                 start_on=start_on)
    except LoginRejected as error:
        if credentials is not None:
            marker.record(credentials, str(error))
        raise
    if fresh and credentials is not None:
        marker.clear(credentials.login)
    return fresh


def relogin(
    settings: Settings,
    page: Page,
    steps: StepLog,
    credentials: Credentials,
    code_provider: CodeProvider | None,
    start_on: type[SettingsSection] | None = None,
    person: Person | None = None,
) -> None:
    marker = RejectedLogin(settings.home)
    try:
        sign_in(page, steps, credentials, code_provider=code_provider, person=person)
    except LoginRejected as error:
        marker.record(credentials, str(error))
        raise
    marker.clear(credentials.login)
    open_settings(page, steps, start_on)


def verify_login(
    settings: Settings,
    credentials: Credentials,
    *,
    code_provider: CodeProvider | None = None,
    on_step: OnStep | None = None,
    on_notice: OnNotice | None = None,
    browser: Browser | None = None,
) -> list[StepRecord]:
    """Logs in once with a fresh browser context and saves the session: `okko-cancel login`.
    It tries even credentials rejected before (a person asked for it: the lock may be over),
    and records a rejection, so that the next run does not try the same password again."""
    saved = SavedSession(settings.home, credentials.login)
    marker = RejectedLogin(settings.home)
    with (account_lock(settings.home, credentials.login, on_wait=on_notice),
          BrowserSession(settings, None, browser=browser) as session):
        page = session.page
        steps = StepLog(on_step=on_step or (lambda record, done: None), url=lambda: page.url)
        if open_settings(page, steps):
            try:
                log_in(page, steps, credentials, code_provider=code_provider, person=person_for(settings, on_notice))
            except LoginRejected as error:
                marker.record(credentials, str(error))
                raise
        saved.save(session.context)
        marker.clear(credentials.login)
        return steps.records


__all__ = ["OkkoCancelError", "RunInterrupted", "RunResult", "run_flow", "verify_login"]
