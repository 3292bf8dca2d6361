"""Each site command's one call from cli.py: a flow of the registry run with the invocation's
credentials, and `check` and `watch` with their monitoring around them
(automations/monitoring.py). cli.py parses, calls one of these and prints what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from automations.command_line import Invocation, warn
from automations.errors import FlowFailed, HumanNeeded, LoginRejected, SessionExpired, SiteUnreachable
from automations.history import MOCK_SITE
from automations.i18n import _
from automations.monitoring import (Expected, Monitored, Report, Reporting, Scope, WatchOutcome, monitored_check,
                                    monitored_run, refuse_bad_reporting)
from automations.output import StepPrinter
from automations.prompts import Resolved, code_provider, resolve_credentials
from automations.settings import Settings
from automations.watch_rules import Cancellation, cancellations_to_watch
from flows.check import run_check
from flows.registry import COMMANDS
from flows.runner import RunResult, run_flow

COULD_NOT_READ = (FlowFailed, HumanNeeded, LoginRejected, SessionExpired, SiteUnreachable)

# The bundled mock's check (fixtures/commands.py's check_mock_site), given by the CLI: the
# fixtures sit above the flows and the flows do not import them.
MockCheck = Callable[[Settings, str, Path | None, StepPrinter, Expected], Report]


def run_command(run: Invocation, name: str, credentials: Resolved | None = None, **flow_options: Any) -> RunResult[Any]:
    """Runs the registry's flow `name` with the saved or asked-for credentials, a line per step."""
    command = COMMANDS[name]
    flow = partial(command.function(), **flow_options) if flow_options else command.function()
    with run.progress() as printer:
        return run_flow(run.settings, name, flow,
                        credentials=(credentials or resolve_credentials(run.settings, run.credential_store())).credentials,
                        code_provider=code_provider(run.settings), on_step=printer,
                        start_on=command.section(), on_notice=printer.notice)


def action_document(run: Invocation, name: str, **flow_options: Any) -> dict[str, Any]:
    """A flow that changes the account: what changed, and where its receipt is."""
    result = run_command(run, name, **flow_options)
    return {**result.value.to_dict(), "receipt": str(result.receipt) if result.receipt else None}


def check_site(run: Invocation, reporting: Reporting, *, variant: str | None = None,
               check_mock: MockCheck | None = None) -> Monitored:
    """`check`: every flow walked dry on the configured site, or on the bundled mock's
    `variant` when `check_mock` is given, as a monitored run."""
    refuse_bad_reporting(reporting)
    settings = run.settings
    scope = (Scope("mock", MOCK_SITE, variant, _("the bundled mock site")) if check_mock
             else Scope("live", settings.site_key, None, settings.site_key))

    def check_every_flow(expected: Expected) -> Report:
        with run.progress() as printer:
            if check_mock is not None:
                return check_mock(settings, variant or "", reporting.report_dir, printer, expected)
            return run_check(settings, credentials=run.credentials(), screenshots=reporting.report_dir,
                             expected=expected, code_provider=code_provider(settings), on_step=printer,
                             on_notice=printer.notice)

    return monitored_check(settings, scope, reporting, check_every_flow, warn)


def watch_site(run: Invocation, reporting: Reporting) -> Monitored:
    """`watch`: the account's state against the receipts of its past cancellations, as a
    monitored run. With no receipt to compare, it ends before any prompt or browser."""
    refuse_bad_reporting(reporting)  # a mistake on the command line first, then whether there is anything to watch
    settings = run.settings

    def cancellations(login: str | None) -> list[Cancellation]:
        return cancellations_to_watch(settings.home, site=settings.base_url, site_key=settings.site_key, account=login)

    cancellations(None)

    def watch_account(_expected: Expected) -> Report:
        resolved = resolve_credentials(settings, run.credential_store())
        login = resolved.credentials.login if resolved.credentials else settings.login
        try:
            return WatchOutcome.of(run_command(run, "watch", credentials=resolved, changes=cancellations(login),
                                               home=settings.home, account=login,
                                               window_days=settings.refund_window_days))
        except COULD_NOT_READ as error:
            # Unattended, these are what a morning's watch meets (OKKO_SESSION ended, the site
            # down or changed): a failing run for the history and its alerts. A configuration
            # error or Ctrl-C is the person's, and ends the run unrecorded.
            return WatchOutcome.could_not_read(error)

    return monitored_run("watch", settings, Scope("live", settings.site_key, None, settings.site_key), reporting,
                         watch_account, warn)
