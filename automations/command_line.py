"""The command line's machinery, shared by cli.py's commands and the mock's
(fixtures/commands.py): the common options (accepted before or after a command's name), the
settings they build, progress on stderr, one way to print JSON, and library errors turned
into the contract's exit codes. No command lives here."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from automations.carried_session import import_from_setting
from automations.credentials import CredentialStore, Credentials
from automations.driver import show_playwright_log
from automations.errors import FlowFailed, Interrupted, OkkoCancelError
from automations.mail import DEFAULT_REASON
from automations.i18n import LANGS, Lang, _, use_language
from automations.monitoring import Monitored, Verdict
from automations.output import StepPrinter
from automations.overrides import load_overrides
from automations.prompts import resolve_credentials
from automations.session import SavedSession
from automations.settings import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])

# soft_wrap: a long line (a receipt's path) is never broken in two for a script to reassemble.
stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)


class CommandFailed(click.ClickException):
    """A library error on its way out: its message, with the contract's exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(_("Error: {message}").format(message=self.format_message()), file=file or sys.stderr)


def lang_from_environment() -> Lang | None:
    """OKKO_LANG before the settings are read (a bad value is left for them to refuse)."""
    value = os.environ.get("OKKO_LANG", "").strip().lower()
    return value if value in LANGS else None  # type: ignore[return-value]


def exits_by_contract(command: F) -> F:
    """Library errors become the contract's exit code and one line on stderr (with --json,
    also a document on stdout); Ctrl-C anywhere in the command, or at a prompt, is 130."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # The language first: whatever the command says, it says in one language.
        use_language(kwargs.get("lang") or given_before_the_command().get("lang") or lang_from_environment())
        try:
            return command(*args, **kwargs)
        except OkkoCancelError as error:
            failure = error
        except (KeyboardInterrupt, click.exceptions.Abort):
            failure = Interrupted(_("interrupted: nothing was changed"))
        if kwargs.get("as_json") or given_before_the_command().get("as_json"):
            print_json({"ok": False, "exit_code": failure.exit_code, "error": str(failure),
                        "step": failure.step if isinstance(failure, FlowFailed) else None})
        raise CommandFailed(str(failure), failure.exit_code) from None

    return wrapper  # type: ignore[return-value]


CONNECT = click.option("--connect", help="ws:// URL of a remote Playwright browser server to run on.")
# batch's own --connect, in place of the common one: several servers, its workers over them.
REPEATABLE_CONNECT = click.option(
    "--connect", multiple=True, metavar="WS_URL",
    help="ws:// URL of a Playwright browser server to run on; repeat it for several: the workers go to them in turn, "
    "and an account whose server goes away is run once more on another (OKKO_CONNECT: one).")

# The options every site command takes, before or after the command's name; each may also
# come from OKKO_* settings. A flag's default is None, so that "not given" is told apart
# from "given" where both places meet (`okko-cancel --json status -v`).
COMMON_OPTIONS = [
    click.option("--base-url", help="The site to work on (OKKO_BASE_URL; default https://okko.tv)."),
    click.option("--data-dir", type=click.Path(path_type=Path), help="Where credentials, session and receipts live (OKKO_DATA_DIR)."),
    click.option("--headed", is_flag=True, default=None, help="Show the browser window (OKKO_HEADLESS=false)."),
    click.option("--slow-mo", "slow_mo_ms", type=click.IntRange(0, 10_000), help="Slow each browser action by MS milliseconds."),
    click.option("--timeout", "timeout_s", type=float, help="Seconds to wait for the site at each step (OKKO_TIMEOUT_S)."),
    click.option("--trace", is_flag=True, default=None, help="Save a Playwright trace of the steps after login."),
    click.option("--browser-path", type=click.Path(path_type=Path), help="Chrome/Chromium to use (OKKO_BROWSER_PATH)."),
    CONNECT,
    click.option("--code-command", help="A command that prints the login code the site sent by e-mail or SMS; "
                 "it finds the login in OKKO_CODE_FOR (OKKO_CODE_COMMAND)."),
    click.option("--code-from-imap", "code_imap", metavar="URL",
                 help="Read the e-mailed login code from this mailbox: imaps://user@host[:port], the password in "
                 "OKKO_CODE_IMAP_PASSWORD (OKKO_CODE_IMAP)."),
    click.option("--locators", type=click.Path(path_type=Path, dir_okay=False),
                 help="A locators.toml that adds to the built-in locators (OKKO_LOCATORS; default: locators.toml "
                 "in the data directory; see `okko-cancel locators`)."),
    click.option("--lang", type=click.Choice(LANGS), help="The output's language: ru or en (OKKO_LANG; default: "
                 "Russian unless the locale says otherwise)."),
    click.option("--json", "as_json", is_flag=True, default=None, help="Print one JSON document instead of text."),
    click.option("-v", "--verbose", is_flag=True, default=None,
                 help="Show each step's page and time, and what a failed step looked for."),
]


def common_options(command: F) -> F:
    for option in reversed(COMMON_OPTIONS):
        command = option(command)
    return command


def common_options_connecting_to_many(command: F) -> F:
    """The common options with a repeatable --connect (batch's): a tuple of URLs, empty when
    none is given after the command."""
    for option in reversed(COMMON_OPTIONS):
        command = (REPEATABLE_CONNECT if option is CONNECT else option)(command)
    return command


def change_options(command: F) -> F:
    command = click.option("--dry-run", is_flag=True, help="Walk up to the last confirmation and back out; change nothing.")(command)
    command = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (required without a terminal).")(command)
    return command


def monitoring_options(command: F) -> F:
    """--notify, --alert-after and --badge: what a scheduled `check` (and `watch`) tells people."""
    command = click.option("--badge", type=click.Path(path_type=Path, dir_okay=False),
                           help="Write a shields.io endpoint badge here (JSON: passing, or failing and the step).")(command)
    command = click.option("--alert-after", default=2, show_default=True, type=click.IntRange(1, 1000), metavar="N",
                           help="Alert once N runs in a row have failed (counted in the history), and once more when "
                           "one passes after that.")(command)
    return click.option("--notify", "notify_urls", multiple=True, metavar="URL",
                        help="An Apprise URL to alert (json://host/path, tgram://token/chat, mailto://…); repeat it "
                        "for several (OKKO_NOTIFY_URLS: apart by commas or spaces).")(command)


def check_options(variants: Sequence[str]) -> Callable[[F], F]:
    """`check`'s own options; `variants`: the bundled mock's layouts."""
    def add(command: F) -> F:
        command = click.option("--fail-on-drift", is_flag=True,
                               help="Exit 1 when the pages changed since the ARIA baseline, even if every step "
                               "passes (else a warning, exit 0).")(command)
        command = click.option("--baseline", "baseline_dir", type=click.Path(path_type=Path, file_okay=False),
                               help="The ARIA baseline's folder (for CI; default: <data dir>/baselines/<site>). A "
                               "green run's redacted snapshots become the baseline; each run reports what "
                               "appeared, disappeared or was renamed since.")(command)
        command = click.option("--report", "report_dir", type=click.Path(path_type=Path, file_okay=False),
                               help="Write a static HTML report (steps, each failure's screenshot and trace) into "
                               "this folder.")(command)
        command = click.option("--junit", type=click.Path(path_type=Path, dir_okay=False),
                               help="Write a JUnit XML report here (a test case per step).")(command)
        command = click.option("--variant", default="okko", show_default=True, type=click.Choice(variants),
                               help="With --mock: the mock site's layout (okko: as okko.tv is known to be).")(command)
        return click.option("--mock", is_flag=True, help="Check the bundled mock site with its demo account instead "
                            "of the configured site.")(command)
    return add


def capture_options(command: F) -> F:
    """`capture`'s own option."""
    return click.option("--output", "output", type=click.Path(path_type=Path, dir_okay=False),
                        help="The zip to write (default: <data dir>/captures/<UTC time>-capture.zip).")(command)


def batch_options(command: F) -> F:
    """`batch`'s own options, besides its arguments and the change options."""
    command = click.option("--summary", "summary_path", type=click.Path(path_type=Path, dir_okay=False),
                           help="The summary CSV (default: <data dir>/batch/<ACCOUNTS>-<COMMAND>.csv).")(command)
    command = click.option("--resume", is_flag=True, help="Skip the accounts that the summary already lists as done "
                           "or already done.")(command)
    return click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 32),
                        help="How many accounts run at once, in all (each worker has a browser of its own; with "
                        "several --connect, the workers go to the servers in turn).")(command)


def deletion_options(command: F) -> F:
    """`deletion-request`'s own options."""
    command = click.option("--eml", "eml_path", type=click.Path(path_type=Path, dir_okay=False),
                           help="Where to save the letter (default: <data dir>/letters/<UTC time>-"
                           "deletion-request.eml).")(command)
    command = click.option("--reason", default=DEFAULT_REASON, show_default=True,
                           help="Why you leave, in a sentence of the letter.")(command)
    return click.option("--sber-id", metavar="ID", help="The Sber ID (phone or e-mail) you sign in with, to name "
                        "in the letter.")(command)


def warn(message: str) -> None:
    stderr.print(_("[yellow]warning:[/] {message}").format(message=escape(message)), highlight=False)


def given_before_the_command() -> dict[str, Any]:
    """The common options given before the command's name (`okko-cancel --json status`)."""
    root = click.get_current_context().find_root()
    return dict(root.obj or {})


@dataclass(frozen=True)
class Invocation:
    """What every site command starts from: the settings and how to print."""

    settings: Settings
    as_json: bool
    verbose: bool

    @contextmanager
    def progress(self) -> Iterator[StepPrinter]:
        """A line per step on stderr (none with --json), closed however the run ends."""
        printer = StepPrinter(stderr, quiet=self.as_json, verbose=self.verbose)
        try:
            yield printer
        finally:
            printer.close()

    def credential_store(self) -> CredentialStore:
        return CredentialStore(self.settings.home, warn=warn)

    def credentials(self) -> Credentials | None:
        return resolve_credentials(self.settings, self.credential_store()).credentials


def invocation(options: dict[str, Any], *, carry_session: bool = True) -> Invocation:
    """The settings from the common options (after the command's name, else before it),
    checked before anything happens on the site: a run that cannot keep its session and
    receipt must not start changing the account. A session carried in OKKO_SESSION is taken
    into the data directory here, before any browser (`carry_session=False`: `session` itself)."""
    merged = {**given_before_the_command(), **{k: v for k, v in options.items() if v is not None}}
    as_json = bool(merged.pop("as_json", False))
    verbose = bool(merged.pop("verbose", False))
    headed = merged.pop("headed", None)
    settings = load_settings(**merged, headless=False if headed else None)
    use_language(settings.lang)
    show_playwright_log(verbose)
    load_overrides(settings)
    settings.home.ensure()
    session = SavedSession(settings.home, None, warn=warn)
    session.set_aside_if_corrupt()
    if settings.session is not None and carry_session:
        import_from_setting(settings.home, settings.session.get_secret_value(), settings.login)
    if session.is_too_open():
        warn(_("{file} can be read by other users: run `chmod 600 {file}`").format(file=session.file))
    return Invocation(settings, as_json, verbose)


def refuse_common_options(command: str, *, allowed: frozenset[str] = frozenset()) -> None:
    """A command without the site options refuses them before its name, rather than ignore them."""
    given = set(given_before_the_command()) - allowed
    if given:
        root = click.get_current_context().find_root().command
        option = next(max(p.opts, key=len) for p in root.params if p.name in given)
        raise click.UsageError(_("{option} does not apply to `{command}`").format(option=option, command=command))


def print_json(document: Any) -> None:
    """Every --json document: UTF-8 as it is (Cyrillic stays readable), indented alike."""
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def print_document(document: dict[str, Any], as_json: bool, lines: Callable[[dict[str, Any]], list[str]]) -> None:
    """One JSON document, or the summary lines and where the receipt is."""
    if as_json:
        print_json(document)
        return
    for line in lines(document):
        stdout.print(line, markup=False)
    if document.get("receipt"):
        stdout.print(_("Receipt: {path}").format(path=document["receipt"]), markup=False)


def finish_monitored(run: Invocation, monitored: Monitored, verdict: Verdict,
                     show: Callable[[Console, dict[str, Any]], None]) -> None:
    """After `check` or `watch`: the alert sent, the document (JSON, or as `show` draws it),
    then its verdict: a warning, or its one line and exit code."""
    if monitored.alert is not None:
        stderr.print(_("Alert sent: {title}").format(title=monitored.alert.title), markup=False)
    if run.as_json:
        print_json(monitored.document)
    else:
        show(stdout, monitored.document)
    if verdict.warning:
        warn(verdict.warning)
    if verdict.failure:
        raise CommandFailed(verdict.failure, verdict.exit_code)

