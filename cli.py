"""okko-cancel: get out of an OKKO subscription from the command line.

Each command parses its options, builds the settings, calls one library function and prints
the result; library errors become exit codes here and nowhere else (see the README). What a
command runs, and where its flow starts, comes from the registry (flows/registry.py).
"""

from __future__ import annotations

if __name__ == "__main__":
    # Before the imports below: Playwright's driver starts while they run, in this module
    # imported again as `cli` (see automations/warm_start.py).
    from automations.warm_start import run_app
    from flows.registry import BROWSER_COMMANDS, COMMANDS

    run_app("cli", COMMANDS, BROWSER_COMMANDS)
    raise SystemExit

from pathlib import Path
from typing import Any

import click

from automations.command_line import (CommandFailed, Invocation, batch_options, capture_options, change_options,
                                      check_options, common_options, common_options_connecting_to_many,
                                      deletion_options, exits_by_contract, finish_monitored, invocation,
                                      monitoring_options, print_document, print_json, stderr, stdout)
from automations.guides import store_guide_command
from automations.help_language import SpeakingGroup
from automations.i18n import _
from automations.local_commands import LOCAL_COMMANDS
from automations.mail import DELETION_ADDRESS
from automations.models import AccountState
from automations.monitoring import Reporting, check_verdict, watch_verdict
from automations.output import (AccountPrinter, action_lines, batch_lines, deletion_lines, refund_lines, show_check,
                                show_status, show_watch)
from automations.prompts import (code_provider, confirm_change, credentials_to_save, describe_source,
                                 resolve_credentials)
from fixtures.commands import MOCK_VARIANTS, check_mock_site, demo, mock_site
from flows.capture import capture_lines, capture_path
from flows.commands import action_document, check_site, run_command, watch_site
from flows.registry import BATCH_COMMANDS
from flows.runner import verify_login


def run_action(run: Invocation, name: str, **flow_options: Any) -> None:
    """A flow that changes the account: the run, then what changed and the receipt."""
    print_document(action_document(run, name, **flow_options), run.as_json, action_lines)


# SpeakingGroup: every command's --help in the run's language (automations/help_language.py).
@click.group(cls=SpeakingGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="okko-cancel")
@common_options
@click.pass_context
def cli(context: click.Context, **common: Any) -> None:
    """Stop OKKO (okko.tv) charging you: unbind the card, turn auto-renew off, sign out
    devices, and keep a receipt of each change as proof.

    \b
    Start with:  okko-cancel login
    Then:        okko-cancel cancel
    Options such as --json and -v go before or after the command.
    """
    context.obj = {name: value for name, value in common.items() if value is not None}


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
    run = invocation(options)
    credentials = credentials_to_save(run.settings)
    with run.progress() as printer:
        verify_login(run.settings, credentials, code_provider=code_provider(run.settings), on_step=printer,
                     on_notice=printer.notice)
    store = run.credential_store()
    store.save(credentials)
    if run.as_json:
        print_json({"login": credentials.login, "site": run.settings.site_key, "credentials": store.kind})
    else:
        stdout.print(_("Logged in to {site} as {login}; credentials saved in the {where}.").format(
            site=run.settings.site_key, login=credentials.login, where=store.describe()), markup=False)


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
    run = invocation(options)
    store = run.credential_store()
    resolved = resolve_credentials(run.settings, store)
    state: AccountState = run_command(run, "status", credentials=resolved).value
    guides = {s.name: command for s in state.subscriptions if (command := store_guide_command(s))}
    if run.as_json:
        print_json({**state.to_dict(), "guides": guides, "credentials": resolved.source})
    else:
        show_status(stdout, state, describe_source(resolved.source, store))


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
    run = invocation(options)
    question = (_("Unbind the card ending in {last4} on {site}?") if card else _("Unbind every bound card on {site}?"))
    confirm_change(question.format(last4=card, site=run.settings.site_key), yes=yes, dry_run=dry_run)
    run_action(run, "unbind-card", card=card, dry_run=dry_run)


@cli.command("disable-auto-renew")
@common_options
@change_options
@click.option("--subscription", metavar="NAME", help="Only this subscription, e.g. «Оптимум».")
@exits_by_contract
def disable_auto_renew(yes: bool, dry_run: bool, subscription: str | None, **options: Any) -> None:
    """Turn auto-renew off for card-billed subscriptions; the paid period runs out as usual.
    Subscriptions billed through App Store, Google Play or СберПрайм are reported with
    where to cancel them. The retention offer is always declined.

    \b
    Example:
      okko-cancel disable-auto-renew --yes
      okko-cancel disable-auto-renew --subscription Оптимум --dry-run
    """
    run = invocation(options)
    question = (_("Turn auto-renew off for «{name}»?").format(name=subscription) if subscription
                else _("Turn auto-renew off for every card-billed subscription?"))
    confirm_change(question, yes=yes, dry_run=dry_run)
    run_action(run, "disable-auto-renew", subscription=subscription, dry_run=dry_run)


@cli.command("sign-out-devices")
@common_options
@change_options
@click.option("--device", metavar="NAME", help="Only this device, e.g. «Samsung Smart TV».")
@exits_by_contract
def sign_out_devices(yes: bool, dry_run: bool, device: str | None, **options: Any) -> None:
    """Sign out every other device (or one) from the account.

    \b
    Example:
      okko-cancel sign-out-devices --yes
      okko-cancel sign-out-devices --device "Samsung Smart TV"
    """
    run = invocation(options)
    question = _("Sign out «{name}»?").format(name=device) if device else _("Sign out every other device?")
    confirm_change(question, yes=yes, dry_run=dry_run)
    run_action(run, "sign-out-devices", device=device, dry_run=dry_run)


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
    run = invocation(options)
    confirm_change(_("Turn auto-renew off, unbind every card and sign out other devices on {site}?").format(
        site=run.settings.site_key), yes=yes, dry_run=dry_run)
    run_action(run, "cancel", dry_run=dry_run)


@cli.command()
@common_options
@check_options(MOCK_VARIANTS)
@monitoring_options
@exits_by_contract
def check(mock: bool, variant: str, junit: Path | None, report_dir: Path | None, baseline_dir: Path | None,
          fail_on_drift: bool, notify_urls: tuple[str, ...], alert_after: int, badge: Path | None,
          **options: Any) -> None:
    """Run every flow without changing anything and report which steps still work:
    log in, read each section, open every destructive dialog and back out at its final
    confirmation. Exit 0 when every step passes, 1 when any fails.

    Each run goes into the history (<data dir>/history.sqlite; `okko-cancel history`). With
    --notify, an alert goes out once --alert-after runs in a row have failed, naming the
    failed steps and where the report is, and once more when a run passes after it.

    The ARIA snapshot of each section and dialog (redacted) is compared with the baseline of
    the last green run: what appeared, disappeared or was renamed is a warning, or exit 1
    with --fail-on-drift.

    \b
    Example:
      okko-cancel check --mock --junit check.xml --report check-report
      okko-cancel check --json
      okko-cancel check --notify 'json://hooks.example/okko' --alert-after 2 --badge badge.json
      okko-cancel check --baseline ci/aria-baseline --fail-on-drift
    """
    run = invocation({**options, "notify_urls": list(notify_urls) or None})
    reporting = Reporting(junit, report_dir, badge, run.settings.notify_urls, alert_after, copy_traces=mock,
                          baseline=baseline_dir, fail_on_drift=fail_on_drift)
    checked = check_site(run, reporting, variant=variant, check_mock=check_mock_site if mock else None)
    finish_monitored(run, checked, check_verdict(checked, run.settings.base_url), show_check)


@cli.command()
@common_options
@capture_options
@exits_by_contract
def capture(output: Path | None, **options: Any) -> None:
    """Save what the site's settings look like, for a bug report: walk where `check` walks
    (each destructive dialog opened and backed out of), open every other settings tab, and
    keep an ARIA snapshot and a screenshot of each section and dialog in one zip, personal
    data redacted in the snapshots and masked in the screenshots. Changes nothing.

    \b
    Example:
      okko-cancel capture
      okko-cancel capture --output okko-pages.zip --json
    """
    run = invocation(options)
    result = run_command(run, "capture", output=capture_path(run.settings.home, output))
    print_document(result.value.to_dict(), run.as_json, capture_lines)


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
    run = invocation(options)
    result = run_command(run, "refund-check", window_days=run.settings.refund_window_days, home=run.settings.home)
    print_document(result.value.to_dict(), run.as_json, refund_lines)


@cli.command()
@common_options
@monitoring_options
@exits_by_contract
def watch(notify_urls: tuple[str, ...], alert_after: int, badge: Path | None, **options: Any) -> None:
    """Does the account stay cancelled? Reads the subscriptions, the cards and the payment
    history from the site and compares them with the receipts of past disable-auto-renew,
    unbind-card and cancel runs: a payment after auto-renew was turned off or the card
    unbound, auto-renew on again, a card bound again. Exit 0 when nothing is wrong; exit 6
    when something is, a line per finding and an evidence pack in <data dir>/evidence/
    (the receipt, the payment, the payment history now, the refund verdict, what to say on
    the hotline). Changes nothing.

    Each run goes into the history (<data dir>/history.sqlite; `okko-cancel history`). With
    --notify, an alert goes out once --alert-after runs in a row have found something, with
    the findings and where the evidence is, and once more when a run finds nothing after it.

    \b
    Example:
      okko-cancel watch
      okko-cancel watch --json | jq '.findings[].message'
      okko-cancel watch --notify 'json://hooks.example/okko' --alert-after 1 --badge watch.json
    """
    run = invocation({**options, "notify_urls": list(notify_urls) or None})
    reporting = Reporting(badge=badge, notify_urls=run.settings.notify_urls, alert_after=alert_after)
    watched = watch_site(run, reporting)
    finish_monitored(run, watched, watch_verdict(watched), show_watch)


@cli.command("deletion-request")
@common_options
@change_options
@deletion_options
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
    run = invocation(options)
    settings = run.settings
    if settings.smtp_host:
        confirm_change(_("Send the request to delete the OKKO account ({account}) to {address} through {server}?").format(
            account=settings.login or settings.site_key, address=DELETION_ADDRESS, server=settings.smtp_host),
            yes=yes, dry_run=dry_run)
    result = run_command(run, "deletion-request", settings=settings, sber_id=sber_id, reason=reason,
                         send=not dry_run, eml_path=eml_path)
    print_document(result.value.to_dict(), run.as_json, deletion_lines)


@cli.command()
@click.argument("accounts_csv", metavar="ACCOUNTS.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("command", type=click.Choice(BATCH_COMMANDS))
@common_options_connecting_to_many
@change_options
@batch_options
@exits_by_contract
def batch(accounts_csv: Path, command: str, yes: bool, dry_run: bool, workers: int, resume: bool,
          summary_path: Path | None, connect: tuple[str, ...], **options: Any) -> None:
    """Run COMMAND for every account in ACCOUNTS.csv (columns login,password), WORKERS at a
    time, each account in a browser context of its own. One account's failure never stops
    the others. Each account keeps its session and receipts in <data dir>/accounts/<login>/;
    the summary CSV has a row per account (account, command, outcome, exit code, seconds,
    receipt, error, server). Passwords are never printed or written. Exit 0 when every account
    succeeded, else the largest exit code among them.

    --connect, repeated, spreads the workers over several browser servers in turn; an
    account whose server goes away under it is run once more on another (its flow reads the
    state first, so nothing is done twice).

    \b
    Example:
      okko-cancel batch accounts.csv status
      okko-cancel batch accounts.csv cancel --yes --workers 8
      okko-cancel batch accounts.csv cancel --yes --resume
      okko-cancel batch accounts.csv cancel --yes --connect ws://grid.example:3000/
      okko-cancel batch accounts.csv cancel --yes --workers 8 --connect ws://a:3000/ --connect ws://b:3000/
    """
    from flows.batch import batch_from_file

    # Several --connect after the command; none: the one before it, or OKKO_CONNECT.
    run = invocation(options)
    report = batch_from_file(run.settings, accounts_csv, command, yes=yes, dry_run=dry_run, summary=summary_path,
                             workers=workers, resume=resume, servers=connect,
                             on_result=AccountPrinter(stderr, quiet=run.as_json))
    print_document(report.to_dict(), run.as_json, batch_lines)
    if failure := report.failure():
        raise CommandFailed(failure, report.exit_code)


for command in (*LOCAL_COMMANDS, demo, mock_site):
    cli.add_command(command)


def main() -> None:
    # What is made by now (modules, classes, schemas: most of the heap) lives until the
    # process ends. gc.freeze() takes it out of the collector's sight, so that neither the
    # collections during the run nor the last one at exit walk it again; once more at the
    # end for what the run made.
    import gc

    gc.freeze()
    try:
        cli(prog_name="okko-cancel")
    except KeyboardInterrupt:
        # Between Click's own handling and a command's (as it starts or ends): nothing ran.
        stderr.print(_("Error: {message}").format(message=_("interrupted: nothing was changed")), highlight=False,
                     markup=False)
        raise SystemExit(130) from None
    finally:
        gc.freeze()
