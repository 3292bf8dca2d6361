"""The commands that work on this machine's files alone: no browser, no flow, no site.
cli.py adds them to its group, as it adds the mock's own (fixtures/commands.py); the commands
that run a flow on the site are cli.py's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from automations.carried_session import (SECRET_LIMIT, export_string, install, parse_string, refuse_other_site,
                                         saved_session)
from automations.command_line import (CommandFailed, common_options, exits_by_contract, given_before_the_command,
                                      invocation, lang_from_environment, print_json, refuse_common_options, stdout,
                                      warn)
from automations.errors import ConfigurationError
from automations.guides import ROUTES, guide_lines, index_lines
from automations.guides import guide as guide_document
from automations.history import history_document
from automations.i18n import LANGS, _, use_language
from automations.output import history_tables
from automations.overrides import listing, listing_lines, listing_tables
from automations.receipt_manifest import verdict_line
from automations.receipt_manifest import verify_receipt as check_receipt
from automations.session import SavedSession


@click.command()
@common_options
@exits_by_contract
def logout(**options: Any) -> None:
    """Forget the saved credentials and browser session for the site.

    \b
    Example:
      okko-cancel logout
    """
    run = invocation(options)
    forgot_credentials = run.credential_store().forget()
    forgot_session = SavedSession(run.settings.home, None).forget()
    if run.as_json:
        print_json({"credentials_removed": forgot_credentials, "session_removed": forgot_session})
    elif forgot_credentials or forgot_session:
        stdout.print(_("Forgot the saved credentials and session for {site}.").format(site=run.settings.site_key))
    else:
        stdout.print(_("Nothing was saved for {site}.").format(site=run.settings.site_key))


@click.command()
@common_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 100_000), metavar="N",
              help="How many of the latest runs to show, and to reckon each step's pass rate and median over.")
@exits_by_contract
def history(limit: int, **options: Any) -> None:
    """The last `check` and `watch` runs (when, the site, mock or live, passed or the first
    failed step, the alert sent), and each step's pass rate and median duration over them,
    from <data dir>/history.sqlite. Opens no browser.

    \b
    Example:
      okko-cancel history
      okko-cancel history --limit 50 --json
    """
    run = invocation(options)
    document = history_document(run.settings.home.history_file, limit)
    if run.as_json:
        print_json(document)
        return
    for table in history_tables(document):
        stdout.print(table)


@click.command()
@click.argument("route", required=False, type=click.Choice(ROUTES))
@click.option("--lang", type=click.Choice(LANGS), help="The guide's language: ru or en (OKKO_LANG; default: Russian "
              "unless the locale says otherwise).")
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
    refuse_common_options("guide", allowed=frozenset({"as_json", "lang"}))
    as_json = as_json or bool(given_before_the_command().get("as_json"))
    lang = use_language(lang or given_before_the_command().get("lang") or lang_from_environment())
    chosen = [route] if route else list(ROUTES)
    if as_json:
        documents = [guide_document(r, lang) for r in chosen]  # type: ignore[arg-type]
        print_json(documents[0] if route else {"guides": documents})
        return
    lines = guide_lines(route, lang) if route else index_lines(lang)  # type: ignore[arg-type]
    for line in lines:
        click.echo(line)


@click.command()
@common_options
@exits_by_contract
def locators(**options: Any) -> None:
    """List every locator key (area.key) with its built-in alternatives and yours from
    locators.toml (in the data directory, or --locators PATH / OKKO_LOCATORS), which adds to
    a key or replaces it when the site changes its texts. Checks the file; opens no browser.

    \b
    Example:
      okko-cancel locators
      okko-cancel locators --locators ./locators.toml --json
    """
    run = invocation(options)
    document = listing()
    if run.as_json:
        print_json(document)
        return
    for line in listing_lines(document):
        stdout.print(line, markup=False)
    for table in listing_tables(document):
        stdout.print(table)


@click.command("verify-receipt")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", type=click.Choice(LANGS), help="The output's language: ru or en (OKKO_LANG; default: Russian "
              "unless the locale says otherwise).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")
@exits_by_contract
def verify_receipt(file: Path, lang: str | None, as_json: bool) -> None:
    """Check a receipt's files against its SHA-256 manifest: FILE is the receipt's .json or
    its .sha256 (receipts/<UTC time>-<action>.sha256). Prints each file and "ok"; exits 1 when
    a file was changed or removed since the run wrote it. Opens no browser.

    \b
    Example:
      okko-cancel verify-receipt ~/.local/share/okko-cancel/receipts/20260101T090000Z-cancel.json
      okko-cancel verify-receipt receipts/20260101T090000Z-cancel.sha256 --json
    """
    refuse_common_options("verify-receipt", allowed=frozenset({"as_json", "lang"}))
    as_json = as_json or bool(given_before_the_command().get("as_json"))
    result = check_receipt(file)
    if as_json:
        # A failure's document carries what every --json failure does (the contract's exit_code, step).
        print_json(result.to_dict() if result.ok else {**result.to_dict(), "exit_code": 1, "step": None})
    else:
        for check in result.files:
            stdout.print(verdict_line(check), markup=False)
    if not result.ok:
        # Not through exits_by_contract's document: with --json, the one above already says it.
        raise CommandFailed(result.failure(), 1)


@click.group()
def session() -> None:
    """Carry the saved browser session to another machine, such as a scheduled CI job that
    has nobody to type a login code: `export` prints it as one line for a secret
    (OKKO_SESSION), which a run with that secret set takes in before its browser starts.
    The line signs in as you: keep it secret. Opens no browser.

    \b
    Example:
      okko-cancel login
      okko-cancel session export | gh secret set OKKO_SESSION
    """


@session.command("export")
@common_options
@exits_by_contract
def session_export(**options: Any) -> None:
    """Print the saved session for the site as one line (for the secret OKKO_SESSION).

    \b
    Example:
      okko-cancel session export | gh secret set OKKO_SESSION
    """
    run = invocation(options, carry_session=False)
    saved = saved_session(run.settings.home)
    if saved is None:
        raise ConfigurationError(_("no saved session for {site}: run `okko-cancel login` first").format(
            site=run.settings.site_key))
    line = export_string(saved)
    if len(line) > SECRET_LIMIT:
        warn(_("the line is {size} KB, over the 48 KB a GitHub secret holds").format(size=len(line) // 1024))
    if run.as_json:
        print_json({"site": saved.site, "login": saved.login, "session": line})
    else:
        click.echo(line)


@session.command("import")
@common_options
@exits_by_contract
def session_import(**options: Any) -> None:
    """Save the session line that `session export` printed (read from standard input) as
    this machine's saved session for the site, replacing the one there.

    \b
    Example:
      okko-cancel session import < session.txt
    """
    run = invocation(options, carry_session=False)
    carried = parse_string(click.get_text_stream("stdin").read(), _("the standard input"))
    refuse_other_site(carried, run.settings.home, _("the standard input"))
    install(run.settings.home, carried)
    if run.as_json:
        print_json({"site": carried.site, "login": carried.login, "file": str(run.settings.home.session_file)})
    else:
        stdout.print(_("Saved the session for {site} in {file}.").format(
            site=carried.site, file=run.settings.home.session_file), markup=False)


LOCAL_COMMANDS = (logout, history, guide, locators, verify_receipt, session)
