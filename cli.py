"""okko-cancel: get out of an OKKO subscription from the command line.

Each command parses its options, builds the settings, calls one flow and prints the result;
library errors become exit codes here and nowhere else (see docs in the README).
"""

from __future__ import annotations

if __name__ == "__main__":
    # Before the imports below: the entry point starts Playwright's driver while they run,
    # then imports this module again as `cli` (see automations/warm_start.py).
    from automations.warm_start import main as warm_start

    warm_start()
    raise SystemExit

import json
import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial, wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import SecretStr
from rich.console import Console

from automations.credentials import CredentialStore, Credentials
from automations.errors import ConfigurationError, OkkoCancelError
from automations.models import AccountState
from automations.output import StepPrinter, check_table, state_tables, summary_lines
from automations.pages import SettingsSection
from automations.reports import write_html, write_junit
from automations.session import SavedSession
from automations.settings import Settings, load_settings
from automations.storage import private_dir
from flows.auto_renew import STARTS_ON as AUTO_RENEW_STARTS_ON
from flows.auto_renew import disable_auto_renew
from flows.cancel import STARTS_ON as CANCEL_STARTS_ON
from flows.cancel import cancel_everything
from flows.check import CheckReport, run_check
from flows.deletion import DEFAULT_REASON, DELETION_ADDRESS, request_deletion
from flows.deletion import STARTS_ON as DELETION_STARTS_ON
from flows.deletion import summary_lines as deletion_lines
from flows.devices import STARTS_ON as DEVICES_STARTS_ON
from flows.devices import sign_out_devices
from flows.guides import LANGS, ROUTES, guide_lines, index_lines, store_guide_command, store_pointer
from flows.guides import guide as guide_document
from flows.login import CodeProvider
from flows.refund import STARTS_ON as REFUND_STARTS_ON
from flows.refund import check_refund
from flows.refund import summary_lines as refund_lines
from flows.report import ActionReport
from flows.runner import RunResult, run_flow, verify_login
from flows.status import STARTS_ON as STATUS_STARTS_ON
from flows.status import read_state
from flows.unbind_card import STARTS_ON as UNBIND_STARTS_ON
from flows.unbind_card import unbind_cards

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
CODE_COMMAND_TIMEOUT_S = 120
# okko.tv sends a code instead of asking for a password; a site that asks for one gets it.
PASSWORD_PROMPT = "Пароль (пусто: okko.tv присылает код на почту или по СМС)"
# The bundled mock site's layouts and seed data (fixtures/), named here so that --help needs no import.
MOCK_VARIANTS = ["okko", "classic", "redesign", "breaking"]
MOCK_SCENARIOS = ["default", "multi", "clean", "code-login", "crowd", "stores", "sber-id", "masks", "twins", "big"]

# soft_wrap: a long line (a receipt's path) is never broken in two for a script to reassemble.
stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)


class CommandFailed(click.ClickException):
    """A library error on its way out: its message, with the contract's exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def exits_by_contract(command: F) -> F:
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OkkoCancelError as error:
            raise CommandFailed(str(error), error.exit_code) from None

    return wrapper  # type: ignore[return-value]


def common_options(command: F) -> F:
    """The options every site command takes; each may also come from OKKO_* settings."""
    options = [
        click.option("--base-url", help="The site to work on (OKKO_BASE_URL; default https://okko.tv)."),
        click.option("--data-dir", type=click.Path(path_type=Path), help="Where credentials, session and receipts live (OKKO_DATA_DIR)."),
        click.option("--headed", is_flag=True, default=None, help="Show the browser window (OKKO_HEADLESS=false)."),
        click.option("--slow-mo", "slow_mo_ms", type=click.IntRange(0, 10_000), help="Slow each browser action by MS milliseconds."),
        click.option("--timeout", "timeout_s", type=float, help="Seconds to wait for the site at each step (OKKO_TIMEOUT_S)."),
        click.option("--trace", is_flag=True, default=None, help="Save a Playwright trace of the steps after login."),
        click.option("--browser-path", type=click.Path(path_type=Path), help="Chrome/Chromium to use (OKKO_BROWSER_PATH)."),
        click.option("--connect", help="ws:// URL of a remote Playwright browser server to run on."),
        click.option("--code-command", help="A command that prints the login code the site sent by e-mail or SMS; "
                     "it finds the login in OKKO_CODE_FOR (OKKO_CODE_COMMAND)."),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text."),
        click.option("-v", "--verbose", is_flag=True, help="Say more about each step."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def change_options(command: F) -> F:
    command = click.option("--dry-run", is_flag=True, help="Walk up to the last confirmation and back out; change nothing.")(command)
    command = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (required without a terminal).")(command)
    return command


def build_settings(options: dict[str, Any]) -> Settings:
    headed = options.pop("headed", None)
    return load_settings(**options, headless=False if headed else None)


def split_common(kwargs: dict[str, Any]) -> tuple[Settings, bool, bool]:
    as_json = kwargs.pop("as_json", False)
    verbose = kwargs.pop("verbose", False)
    settings = build_settings(kwargs)
    # Before anything happens on the site: a run that cannot keep its session and receipt
    # must not start changing the account.
    private_dir(settings.data_dir)
    session = SavedSession(settings.home, None)
    if session.is_too_open():
        stderr.print(f"[yellow]warning:[/] {session.file} can be read by other users: run `chmod 600 {session.file}`")
    return settings, as_json, verbose


def on_terminal() -> bool:
    return sys.stdin.isatty()


def credential_store(settings: Settings) -> CredentialStore:
    return CredentialStore(settings.home, warn=lambda m: stderr.print(f"[yellow]warning:[/] {m}"))


def resolve_credentials(settings: Settings) -> Credentials | None:
    """Settings first (OKKO_LOGIN/OKKO_PASSWORD), then the saved ones, then a prompt on a
    terminal; None when only a saved browser session can help."""
    if settings.login and settings.password is not None:
        return Credentials(settings.login, settings.password)
    saved = credential_store(settings).load()
    if saved is not None and (not settings.login or settings.login == saved.login):
        return saved
    if SavedSession(settings.home, settings.login).load() is not None:
        return None
    if not on_terminal():
        raise ConfigurationError(
            f"no saved credentials for {settings.site_key}: run `okko-cancel login` on a terminal, or set OKKO_LOGIN and OKKO_PASSWORD"
        )
    login = settings.login or click.prompt("Электронная почта или телефон", err=True)
    password = click.prompt(PASSWORD_PROMPT, default="", hide_input=True, show_default=False, err=True)
    return Credentials(login, SecretStr(password))


def code_provider(settings: Settings) -> CodeProvider | None:
    if settings.code_command:
        command = settings.code_command

        def from_command(login: str) -> str | None:
            # The command learns whose code is wanted (a batch logs in many accounts).
            env = {**os.environ, "OKKO_CODE_FOR": login}
            try:
                done = subprocess.run(shlex.split(command), capture_output=True, text=True, env=env,
                                      timeout=CODE_COMMAND_TIMEOUT_S, check=False)
            except (OSError, subprocess.TimeoutExpired) as error:
                raise ConfigurationError(f"the code command failed to run: {error}") from None
            if done.returncode != 0:
                raise ConfigurationError(f"the code command exited with {done.returncode}: {done.stderr.strip()[:200]}")
            return done.stdout.strip() or None

        return from_command
    if on_terminal():
        return lambda login: click.prompt(f"Код, который сайт отправил на {login}", err=True)
    return None


def mock_outbox_codes(site_url: str, printer: StepPrinter) -> CodeProvider:
    """The bundled mock site's login codes, read from its outbox (where it "sends" them)."""
    from fixtures import AdminClient

    def from_outbox(login: str) -> str:
        printer.notice(f"Read the login code for {login} from the mock site's outbox ({site_url}/__admin/outbox).")
        return AdminClient(site_url).last_code(login)

    return from_outbox


def confirm_change(question: str, yes: bool, dry_run: bool) -> None:
    if yes or dry_run:
        return
    if not on_terminal():
        raise ConfigurationError("this changes the account: pass --yes to confirm (there is no terminal to ask on)")
    if not click.confirm(question, default=False, err=True):
        raise click.Abort()


def run_with_progress(settings: Settings, action: str, flow: Callable[[Any, Any], T], start_on: type[SettingsSection],
                      as_json: bool) -> RunResult[T]:
    """Runs one flow with the saved or asked-for credentials, a line per step on stderr."""
    printer = StepPrinter(stderr, quiet=as_json)
    try:
        return run_flow(settings, action, flow, credentials=resolve_credentials(settings),
                        code_provider=code_provider(settings), on_step=printer, start_on=start_on,
                        on_notice=printer.notice)
    finally:
        printer.close()


def print_document(document: dict[str, Any], as_json: bool, lines: Callable[[dict[str, Any]], list[str]]) -> None:
    """One JSON document, or the summary lines and where the receipt is."""
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for line in lines(document):
        stdout.print(line, markup=False)
    if document.get("receipt"):
        stdout.print(f"Receipt: {document['receipt']}", markup=False)


def run_action(
    settings: Settings,
    action: str,
    flow: Callable[..., ActionReport],
    start_on: type[SettingsSection],
    as_json: bool,
    **flow_options: Any,
) -> None:
    result = run_with_progress(settings, action, partial(flow, **flow_options), start_on, as_json)
    document = {**result.value.to_dict(), "receipt": str(result.receipt) if result.receipt else None}
    print_document(document, as_json, summary_lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="okko-cancel")
def cli() -> None:
    """Stop OKKO (okko.tv) charging you: unbind the card, turn auto-renew off, sign out
    devices, and keep a receipt of each change as proof.

    \b
    Start with:  okko-cancel login
    Then:        okko-cancel cancel
    """


@cli.command()
@common_options
@exits_by_contract
def login(**options: Any) -> None:
    """Save the account's login and password after logging in once to verify them.

    \b
    Example:
      okko-cancel login
      OKKO_LOGIN=me@example.com OKKO_PASSWORD=... okko-cancel login --json
    """
    settings, as_json, _ = split_common(options)
    if not settings.login and not on_terminal():
        raise ConfigurationError("no login given: set OKKO_LOGIN (and OKKO_PASSWORD where the site asks for one), "
                                 "or run `okko-cancel login` on a terminal")
    login_name = settings.login or click.prompt("Электронная почта или телефон", err=True)
    if settings.password is not None:
        password = settings.password
    elif on_terminal():
        password = SecretStr(click.prompt(PASSWORD_PROMPT, default="", hide_input=True, show_default=False, err=True))
    else:
        # okko.tv logs in by a code it sends (--code-command, or a person with --headed).
        password = SecretStr("")
    credentials = Credentials(login_name, password)
    printer = StepPrinter(stderr, quiet=as_json)
    try:
        verify_login(settings, credentials, code_provider=code_provider(settings), on_step=printer,
                     on_notice=printer.notice)
    finally:
        printer.close()
    store = credential_store(settings)
    store.save(credentials)
    if as_json:
        click.echo(json.dumps({"login": login_name, "site": settings.site_key, "credentials": store.kind}, ensure_ascii=False))
    else:
        stdout.print(f"Logged in to {settings.site_key} as {login_name}; credentials saved in the {store.describe()}.")


@cli.command()
@common_options
@exits_by_contract
def logout(**options: Any) -> None:
    """Forget the saved credentials and browser session for the site.

    \b
    Example:
      okko-cancel logout
    """
    settings, as_json, _ = split_common(options)
    forgot_credentials = credential_store(settings).forget()
    forgot_session = SavedSession(settings.home, None).forget()
    if as_json:
        click.echo(json.dumps({"credentials_removed": forgot_credentials, "session_removed": forgot_session}))
    elif forgot_credentials or forgot_session:
        stdout.print(f"Forgot the saved credentials and session for {settings.site_key}.")
    else:
        stdout.print(f"Nothing was saved for {settings.site_key}.")


@cli.command()
@common_options
@exits_by_contract
def status(**options: Any) -> None:
    """Show subscriptions (auto-renew, paid until), bound cards and devices. Changes nothing.

    \b
    Example:
      okko-cancel status
      okko-cancel status --json | jq '.cards'
    """
    settings, as_json, _ = split_common(options)
    printer = StepPrinter(stderr, quiet=as_json)
    # Where the credentials are kept is shown last, but finding the OS keyring backend takes
    # ~0.1 s of imports and probing: done meanwhile, while the main thread waits on the browser.
    keyring_probe = threading.Thread(target=lambda: credential_store(settings).kind, daemon=True)
    keyring_probe.start()
    try:
        result: RunResult[AccountState] = run_flow(
            settings, "status", read_state, credentials=resolve_credentials(settings),
            code_provider=code_provider(settings), on_step=printer, start_on=STATUS_STARTS_ON, on_notice=printer.notice,
        )
    finally:
        printer.close()
        keyring_probe.join()
    store = credential_store(settings)
    if as_json:
        guides = {s.name: command for s in result.value.subscriptions if (command := store_guide_command(s))}
        document = {**result.value.to_dict(), "guides": guides, "credentials": store.kind}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for table in state_tables(result.value):
        stdout.print(table)
    for sub in result.value.subscriptions:
        pointer = store_pointer(sub)
        if pointer:
            stdout.print(f"{pointer}.", markup=False)
    stdout.print(f"Credentials: {store.describe()}.")


@cli.command("unbind-card")
@common_options
@change_options
@click.option("--card", metavar="LAST4", help="Only the card ending in these digits, e.g. 4242.")
@exits_by_contract
def unbind_card(yes: bool, dry_run: bool, card: str | None, **options: Any) -> None:
    """Unbind every bound card (or one) so that nothing more can be charged.

    \b
    Example:
      okko-cancel unbind-card --yes
      okko-cancel unbind-card --card 4242 --dry-run
    """
    settings, as_json, _ = split_common(options)
    confirm_change(f"Unbind {'the card ending in ' + card if card else 'every bound card'} on {settings.site_key}?", yes, dry_run)
    run_action(settings, "unbind-card", unbind_cards, UNBIND_STARTS_ON, as_json, card=card, dry_run=dry_run)


@cli.command("disable-auto-renew")
@common_options
@change_options
@click.option("--subscription", metavar="NAME", help="Only this subscription, e.g. «Оптимум».")
@exits_by_contract
def disable_auto_renew_command(yes: bool, dry_run: bool, subscription: str | None, **options: Any) -> None:
    """Turn auto-renew off for card-billed subscriptions; the paid period runs out as usual.
    Subscriptions billed through App Store, Google Play or СберПрайм are reported with
    where to cancel them. The retention offer is always declined.

    \b
    Example:
      okko-cancel disable-auto-renew --yes
      okko-cancel disable-auto-renew --subscription Оптимум --dry-run
    """
    settings, as_json, _ = split_common(options)
    confirm_change(f"Turn auto-renew off for {subscription or 'every card-billed subscription'}?", yes, dry_run)
    run_action(settings, "disable-auto-renew", disable_auto_renew, AUTO_RENEW_STARTS_ON, as_json,
               subscription=subscription, dry_run=dry_run)


@cli.command("sign-out-devices")
@common_options
@change_options
@click.option("--device", metavar="NAME", help="Only this device, e.g. «Samsung Smart TV».")
@exits_by_contract
def sign_out_devices_command(yes: bool, dry_run: bool, device: str | None, **options: Any) -> None:
    """Sign out every other device (or one) from the account.

    \b
    Example:
      okko-cancel sign-out-devices --yes
      okko-cancel sign-out-devices --device "Samsung Smart TV"
    """
    settings, as_json, _ = split_common(options)
    confirm_change(f"Sign out {device or 'every other device'}?", yes, dry_run)
    run_action(settings, "sign-out-devices", sign_out_devices, DEVICES_STARTS_ON, as_json, device=device, dry_run=dry_run)


@cli.command()
@common_options
@change_options
@exits_by_contract
def cancel(yes: bool, dry_run: bool, **options: Any) -> None:
    """The whole job: turn auto-renew off, unbind the cards, sign out other devices.

    \b
    Example:
      okko-cancel cancel --yes
      okko-cancel cancel --dry-run --json
    """
    settings, as_json, _ = split_common(options)
    confirm_change(f"Turn auto-renew off, unbind every card and sign out other devices on {settings.site_key}?", yes, dry_run)
    run_action(settings, "cancel", cancel_everything, CANCEL_STARTS_ON, as_json, dry_run=dry_run)


@cli.command()
@common_options
@click.option("--mock", is_flag=True, help="Check the bundled mock site with its demo account instead of the configured site.")
@click.option("--variant", default="okko", show_default=True, type=click.Choice(MOCK_VARIANTS),
              help="With --mock: the mock site's layout (okko: as okko.tv is known to be).")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="Write a JUnit XML report here (a test case per step).")
@click.option("--report", "report_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write a static HTML report (steps and failure screenshots) into this folder.")
@exits_by_contract
def check(mock: bool, variant: str, junit: Path | None, report_dir: Path | None, **options: Any) -> None:
    """Run every flow without changing anything and report which steps still work:
    log in, read each section, open every destructive dialog and back out at its final
    confirmation. Exit 0 when every step passes, 1 when any fails.

    \b
    Example:
      okko-cancel check --mock --junit check.xml --report check-report
      okko-cancel check --json
    """
    from fixtures import DEMO_EMAIL, DEMO_PASSWORD, serve_mock_site

    settings, as_json, _ = split_common(options)
    printer = StepPrinter(stderr, quiet=as_json)
    try:
        if mock:
            with serve_mock_site("default", variant) as site:
                settings = settings.model_copy(update={"base_url": site.url, "data_dir": settings.data_dir / "mock-check"})
                report = _run_check(settings, Credentials(DEMO_EMAIL, SecretStr(DEMO_PASSWORD)), report_dir, printer,
                                    mock_outbox_codes(site.url, printer))
        else:
            report = _run_check(settings, resolve_credentials(settings), report_dir, printer, code_provider(settings))
    finally:
        printer.close()
    document = report.to_dict()
    if junit is not None:
        write_junit(junit, document)
    if report_dir is not None:
        write_html(report_dir, document, None)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        stdout.print(check_table(document))
    if not report.passed:
        first = report.failed[0]
        raise CommandFailed(
            f"{len(report.failed)} of {len(report.steps)} steps failed; first: step «{first.name}» looked for "
            f"{first.element or 'the page'} at {first.url or settings.base_url}",
            1,
        )


def _run_check(settings: Settings, credentials: Credentials | None, report_dir: Path | None,
               printer: StepPrinter, codes: CodeProvider | None) -> CheckReport:
    checks = settings.data_dir / "checks" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return run_check(
        settings, credentials=credentials, screenshots=report_dir or checks, traces=checks,
        code_provider=codes, on_step=printer, on_notice=printer.notice,
    )


@cli.command()
@click.argument("route", required=False, type=click.Choice(ROUTES))
@click.option("--lang", type=click.Choice(LANGS), default="ru", show_default=True, help="The guide's language: ru or en.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")
def guide(route: str | None, lang: str, as_json: bool) -> None:
    """Numbered steps for cancelling where the website cannot: ROUTE is tv, android (Google
    Play), ios (App Store), app (the OKKO app), sberbank (auto-payments in Sberbank Online),
    web (what the other commands do) or phone (the hotline). Without ROUTE, lists them.
    Needs no browser and no login.

    \b
    Example:
      okko-cancel guide ios
      okko-cancel guide tv --lang en
      okko-cancel guide --json
    """
    chosen = [route] if route else list(ROUTES)
    if as_json:
        documents = [guide_document(r, lang) for r in chosen]  # type: ignore[arg-type]
        click.echo(json.dumps(documents[0] if route else {"guides": documents}, ensure_ascii=False, indent=2))
        return
    lines = guide_lines(route, lang) if route else index_lines(lang)  # type: ignore[arg-type]
    for line in lines:
        click.echo(line)


@cli.command("refund-check")
@common_options
@click.option("--window-days", "refund_window_days", type=click.IntRange(0, 31),
              help="Days after the paid period begins that still count as just begun (OKKO_REFUND_WINDOW_DAYS; default 3).")
@exits_by_contract
def refund_check(**options: Any) -> None:
    """Is a refund due? Reads the payment history and the current paid period from the site
    and applies OKKO's rule: a refund only when the paid period has just begun or has not
    begun yet, never for a past month. Prints the verdict, the payments it rests on and
    what to say on the hotline; keeps a receipt. Changes nothing.

    \b
    Example:
      okko-cancel refund-check
      okko-cancel refund-check --window-days 5 --json
    """
    settings, as_json, _ = split_common(options)
    flow = partial(check_refund, window_days=settings.refund_window_days, home=settings.home)
    result = run_with_progress(settings, "refund-check", flow, REFUND_STARTS_ON, as_json)
    print_document(result.value.to_dict(), as_json, refund_lines)


@cli.command("deletion-request")
@common_options
@change_options
@click.option("--sber-id", metavar="ID", help="The Sber ID (phone or e-mail) you sign in with, to name in the letter.")
@click.option("--reason", default=DEFAULT_REASON, show_default=True, help="Why you leave, in a sentence of the letter.")
@click.option("--eml", "eml_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to save the letter (default: <data dir>/letters/<UTC time>-deletion-request.eml).")
@exits_by_contract
def deletion_request(yes: bool, dry_run: bool, sber_id: str | None, reason: str, eml_path: Path | None,
                     **options: Any) -> None:
    """Ask OKKO to delete the account: compose the letter to mail@okko.tv in Russian (the
    account's e-mail and phone as the site shows them, a Sber ID if given, the reason), save
    it as an .eml file, and send it over SMTP (STARTTLS, login) when OKKO_SMTP_HOST is set;
    keeps a receipt. OKKO deletes the account within two days of reading the letter. Turn
    auto-renew off first (okko-cancel cancel). --dry-run saves the letter without sending.

    \b
    Example:
      okko-cancel deletion-request --dry-run
      OKKO_SMTP_HOST=smtp.example.com OKKO_SMTP_USER=me@example.com OKKO_SMTP_PASSWORD=... \\
        okko-cancel deletion-request --sber-id "+7 999 123-45-67" --yes
    """
    settings, as_json, _ = split_common(options)
    if settings.smtp_host:
        confirm_change(f"Send the request to delete the OKKO account ({settings.login or settings.site_key}) to "
                       f"{DELETION_ADDRESS} through {settings.smtp_host}?", yes, dry_run)
    flow = partial(request_deletion, settings=settings, sber_id=sber_id, reason=reason, send=not dry_run,
                   eml_path=eml_path)
    result = run_with_progress(settings, "deletion-request", flow, DELETION_STARTS_ON, as_json)
    print_document(result.value.to_dict(), as_json, deletion_lines)


@cli.command()
@click.argument("accounts_csv", metavar="ACCOUNTS.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("command", type=click.Choice(["status", "unbind-card", "disable-auto-renew", "sign-out-devices", "cancel"]))
@common_options
@change_options
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 32),
              help="How many accounts run at once (each worker has a browser of its own).")
@click.option("--resume", is_flag=True, help="Skip the accounts that the summary already lists as done or already done.")
@click.option("--summary", "summary_path", type=click.Path(path_type=Path, dir_okay=False),
              help="The summary CSV (default: <data dir>/batch/<ACCOUNTS>-<COMMAND>.csv).")
@exits_by_contract
def batch(accounts_csv: Path, command: str, yes: bool, dry_run: bool, workers: int, resume: bool,
          summary_path: Path | None, **options: Any) -> None:
    """Run COMMAND for every account in ACCOUNTS.csv (columns login,password), WORKERS at a
    time, each account in a browser context of its own. One account's failure never stops
    the others. Each account keeps its session and receipts in <data dir>/accounts/<login>/;
    the summary CSV has a row per account (account, command, outcome, exit code, seconds,
    receipt, error). Passwords are never printed or written. Exit 0 when every account
    succeeded, else the largest exit code among them.

    \b
    Example:
      okko-cancel batch accounts.csv status
      okko-cancel batch accounts.csv cancel --yes --workers 8
      okko-cancel batch accounts.csv cancel --yes --resume
      okko-cancel batch accounts.csv cancel --yes --connect ws://grid.example:3000/
    """
    from flows.batch import COMMANDS, AccountResult, read_accounts, run_batch

    settings, as_json, _ = split_common(options)
    accounts = read_accounts(accounts_csv)
    changes = COMMANDS[command].changes
    if changes:
        confirm_change(f"Run {command} on {len(accounts)} accounts on {settings.site_key}?", yes, dry_run)
    summary = summary_path or settings.data_dir / "batch" / f"{accounts_csv.stem}-{command}.csv"
    lock = threading.Lock()

    def show(result: AccountResult) -> None:
        if as_json:
            return
        mark = "[green]✓[/]" if result.exit_code == 0 else "[red]✗[/]"
        detail = result.outcome.replace("_", " ") if result.exit_code == 0 else f"exit {result.exit_code}: {result.error}"
        with lock:
            stderr.print(f"{mark} {result.account} {detail} [dim]{result.seconds:.1f} s[/]", highlight=False)

    report = run_batch(
        settings, command, accounts, summary=summary, workers=workers, resume=resume, dry_run=dry_run and changes,
        code_provider=code_provider(settings) if settings.code_command else None, on_result=show,
    )
    document = report.to_dict()
    failed = [r for r in report.results if r.exit_code != 0]
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        counts = ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in sorted(document["counts"].items()))
        stdout.print(f"{len(report.results)} accounts in {report.seconds:.1f} s ({workers} workers): {counts}.")
        stdout.print(f"Summary: {report.summary}")
    if failed:
        raise CommandFailed(f"{len(failed)} of {len(report.results)} accounts failed (first: {failed[0].account}, "
                            f"exit {failed[0].exit_code}); see {report.summary}", report.exit_code)


@cli.command()
@click.option("--scenario", default="default", show_default=True, help="The mock account to start from.")
@click.option("--variant", default="okko", show_default=True, type=click.Choice(MOCK_VARIANTS),
              help="The mock site's layout (okko: as okko.tv is known to be).")
@click.option("--headed", is_flag=True, help="Show the browser window.")
@click.option("--slow-mo", "slow_mo_ms", type=click.IntRange(0, 10_000), help="Slow each browser action by MS milliseconds.")
@click.option("--data-dir", type=click.Path(path_type=Path), help="Where the demo's receipts go (default: <data dir>/demo).")
@exits_by_contract
def demo(scenario: str, variant: str, headed: bool, slow_mo_ms: int | None, data_dir: Path | None) -> None:
    """Start the bundled mock OKKO site with a demo account and run `cancel` against it.

    \b
    Example:
      okko-cancel demo
      okko-cancel demo --headed --slow-mo 300 --variant redesign
    """
    from fixtures import DEMO_EMAIL, DEMO_PASSWORD, serve_mock_site

    with serve_mock_site(scenario, variant) as site:
        base = load_settings(base_url=site.url)
        settings = load_settings(
            base_url=site.url, data_dir=data_dir or base.data_dir / "demo",
            headless=not headed, slow_mo_ms=slow_mo_ms,
        )
        stdout.print(f"Mock OKKO site at {site.url} ({scenario}, {variant}); demo account {DEMO_EMAIL}.")
        credentials = Credentials(DEMO_EMAIL, SecretStr(DEMO_PASSWORD))
        printer = StepPrinter(stderr)

        def cancel_then_read(page: Any, steps: Any) -> ActionReport:
            report = cancel_everything(page, steps)
            report.after["state"] = read_state(page, steps).to_dict()
            return report

        try:
            result = run_flow(settings, "cancel", cancel_then_read, credentials=credentials, on_step=printer,
                              start_on=CANCEL_STARTS_ON, code_provider=mock_outbox_codes(site.url, printer),
                              on_notice=printer.notice)
        finally:
            printer.close()
        for line in summary_lines(result.value.to_dict()):
            stdout.print(line)
        final = result.value.after["state"]
        state = AccountState(
            subscriptions=[_from_dict("Subscription", s) for s in final["subscriptions"]],
            cards=[_from_dict("Card", c) for c in final["cards"]],
            devices=[_from_dict("Device", d) for d in final["devices"]],
        )
        for table in state_tables(state):
            stdout.print(table)
        stdout.print(f"Receipt: {result.receipt}")


def _from_dict(kind: str, data: dict[str, Any]) -> Any:
    from automations import models

    return getattr(models, kind)(**data)


@cli.command("mock-site")
@click.option("--port", default=8800, show_default=True, type=click.IntRange(0, 65535), help="Port on 127.0.0.1 (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--scenario", default="default", show_default=True, type=click.Choice(MOCK_SCENARIOS), help="The seed data.")
@click.option("--variant", default="okko", show_default=True, type=click.Choice(MOCK_VARIANTS),
              help="The layout (okko: as okko.tv is known to be).")
@click.option("--accounts", type=click.IntRange(1, 10_000), help="How many accounts the crowd scenario has.")
@click.option("--fault", "faults", multiple=True, metavar="KEY=JSON",
              help='A fault at start-up, e.g. --fault latency_ms=500 --fault \'fail={"path":"/api/","status":503,"count":2}\'.')
@exits_by_contract
def mock_site(port: int, host: str, scenario: str, variant: str, accounts: int | None, faults: tuple[str, ...]) -> None:
    """Serve the bundled mock OKKO site in the foreground until Ctrl-C.

    \b
    Example:
      okko-cancel mock-site --port 8800 --scenario default --variant okko
      okko-cancel mock-site --fault promo_popup=true
    """
    from fixtures import DEMO_EMAIL, DEMO_PASSWORD, serve_mock_site

    fault_spec: dict[str, Any] = {}
    for item in faults:
        key, _, raw = item.partition("=")
        try:
            fault_spec[key.strip()] = json.loads(raw)
        except ValueError:
            raise click.BadParameter(f"{item!r} is not KEY=JSON", param_hint="--fault") from None
    try:
        server = serve_mock_site(scenario, variant, host=host, port=port, quiet=False, accounts=accounts,
                                 faults=fault_spec or None)
        site = server.__enter__()
    except (ValueError, OSError) as error:
        raise CommandFailed(f"cannot start the mock site: {error}", 2) from None
    try:
        stdout.print(f"Mock OKKO site: {site.url}  (scenario {scenario}, layout {variant})")
        if variant == "okko":
            stdout.print(f"Log in as {DEMO_EMAIL} with the code the site sends to {site.url}/__admin/outbox "
                         f"(as okko.tv, by code only); admin API at {site.url}/__admin/state. Ctrl-C stops it.")
        else:
            stdout.print(f"Log in as {DEMO_EMAIL} / {DEMO_PASSWORD}; admin API at {site.url}/__admin/state. Ctrl-C stops it.")
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.__exit__(None, None, None)


def main() -> None:
    # What is made by now (modules, classes, schemas: most of the heap) lives until the
    # process ends. gc.freeze() takes it out of the collector's sight, so that neither the
    # collections during the run nor the last one at exit walk it again; once more at the
    # end for what the run made. Measured: ~0.15 s off every command (`status` 2.12 -> 1.95 s,
    # the median of 10 runs each), most of it the exit.
    import gc

    gc.freeze()
    try:
        cli(prog_name="okko-cancel")
    finally:
        gc.freeze()

