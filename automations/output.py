"""How results look on a terminal: a line per step with a spinner while waiting, tables for
`status`, and a summary for each action. Progress goes to stderr; results to stdout."""

from __future__ import annotations

import threading
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.status import Status
from rich.table import Table

from automations.check_reports import step_outcome
from automations.drift_report import show_drift
from automations.guides import store_pointer
from automations.i18n import _
from automations.proposals import proposal_lines
from automations.models import AccountState
from automations.refund_rule import ddmmyyyy
from automations.steps import StepRecord
from automations.watch_rules import watch_lines


class StepPrinter:
    """The `on_step` callback of a run: a spinner while a step waits, a line when it ends."""

    def __init__(self, console: Console, *, quiet: bool = False, verbose: bool = False) -> None:
        self.console = console
        self.quiet = quiet
        # -v: each step's page, and a failed step's whole story (what it looked for, and why).
        self.verbose = verbose
        self.status: Status | None = None

    def __call__(self, record: StepRecord, done: bool) -> None:
        if self.quiet:
            return
        if not done:
            if self.console.is_terminal:
                self.status = self.status or self.console.status("")
                self.status.update(f"{record.name}…")
                self.status.start()
            return
        if self.status is not None:
            self.status.stop()
        mark = "[green]✓[/]" if record.outcome == "ok" else "[red]✗[/]"
        line = f"{mark} {record.name} [dim]{seconds(record.seconds)}[/]"
        if record.outcome == "failed" and record.element:
            line += f" [red]— {record.element}[/]"
        if self.verbose and record.url:
            line += f" [dim]{escape(record.url)}[/]"
        self.console.print(line, highlight=False)
        if record.outcome == "failed" and record.proposal:
            for said in proposal_lines(record.proposal):
                self.console.print(f"  {escape(said)}", highlight=False)
        if self.verbose and record.outcome == "failed":
            for said in (record.detail, record.locator and _("locator: {locator}").format(locator=record.locator)):
                if said:
                    self.console.print(f"    [red]{escape(said)}[/]", highlight=False)

    def notice(self, message: str) -> None:
        """Something the person must read now (even with --json: it goes to stderr)."""
        if self.status is not None:
            self.status.stop()
        self.console.print(f"[bold yellow]![/] {message}", highlight=False)

    def close(self) -> None:
        if self.status is not None:
            self.status.stop()


class AccountPrinter:
    """`batch`'s `on_result`: a line per account as it ends, from whichever worker ends it."""

    def __init__(self, console: Console, *, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet
        self.lock = threading.Lock()

    def __call__(self, result: Any) -> None:
        if self.quiet:
            return
        mark = "[green]✓[/]" if result.exit_code == 0 else "[red]✗[/]"
        detail = (outcome_words(result.outcome) if result.exit_code == 0
                  else _("exit {code}: {error}").format(code=result.exit_code, error=result.error))
        with self.lock:
            self.console.print(f"{mark} {escape(result.account)} {escape(detail)} [dim]{seconds(result.seconds)}[/]",
                               highlight=False)


def seconds(value: float) -> str:
    """A step's or an account's time: «2.3 s», «2.3 с»."""
    return _("{seconds:.1f} s").format(seconds=value)


def outcome_words(outcome: str) -> str:
    """An outcome of the summary CSV (done, already_done, …) for a person to read."""
    words = {"done": _("done"), "already_done": _("already done"), "dry_run": _("dry run"), "ok": _("ok"),
             "failed": _("failed"), "skipped": _("skipped"), "interrupted": _("interrupted")}
    return words.get(outcome, outcome.replace("_", " "))


def batch_lines(report: dict[str, Any]) -> list[str]:
    counts = ", ".join(f"{n} {outcome_words(outcome)}" for outcome, n in sorted(report["counts"].items()))
    lines = [_("{accounts} accounts in {seconds:.1f} s ({workers} workers): {counts}.").format(
                 accounts=len(report["accounts"]), seconds=report["seconds"], workers=report["workers"], counts=counts)]
    servers = [server for server in report.get("servers", []) if server != "local"]
    if servers:
        lines.append(_("Browser servers: {servers}.").format(servers=", ".join(servers)))
    retried = [a for a in report["accounts"] if a.get("retried_from")]
    if retried:
        lines.append(_("Run again on another browser after theirs went away: {accounts}.").format(
            accounts=", ".join(f"{a['account']} ({a['retried_from']} → {a['server']})" for a in retried)))
    return [*lines, _("Summary: {path}").format(path=report["summary"])]


def state_tables(state: AccountState) -> list[Table]:
    # The site's own names and dates go in as the site shows them.
    subs = Table(title=_("Subscriptions"), title_justify="left")
    for column in (_("Subscription"), _("Price"), _("Auto-renew"), _("Next charge"), _("Paid until"), _("Billed")):
        subs.add_column(column)
    on, off = _("on"), _("off")
    for s in state.subscriptions:
        renew = f"[yellow]{on}[/]" if s.auto_renew else f"[green]{off}[/]"
        subs.add_row(escape(s.name), s.price, renew, s.next_charge or "—", s.active_until or "—",
                     escape(s.manage_hint or s.billed))
    if not state.subscriptions:
        subs.add_row(_("no subscriptions"), "", "", "", "", "")
    cards = Table(title=_("Bound cards"), title_justify="left")
    cards.add_column(_("Card"))
    cards.add_column(_("Primary"))
    for c in state.cards:
        cards.add_row(escape(c.label), _("yes") if c.primary else "")
    if not state.cards:
        none_bound = _("no bound cards")
        cards.add_row(f"[green]{none_bound}[/]", "")
    devices = Table(title=_("Devices"), title_justify="left")
    devices.add_column(_("Device"))
    devices.add_column(_("Last sign-in"))
    devices.add_column("")
    for d in state.devices:
        devices.add_row(escape(d.name), d.last_seen or "—", _("this device") if d.current else "")
    return [subs, cards, devices]


def action_lines(report: dict[str, Any]) -> list[str]:
    outcome = report["outcome"]
    lines = []
    if outcome == "already_done":
        lines.append(_("Nothing to do: already done."))
    elif outcome == "dry_run":
        lines.append(_("Dry run: walked up to the last confirmation and backed out. Would change:"))
        lines.extend(f"  • {item}" for item in report["changed"])
    else:
        lines.append(_("Done, and verified on the site after a reload:"))
        lines.extend(f"  • {item}" for item in report["changed"])
    lines.extend(_("Note: {note}").format(note=note) for note in report.get("notes", []))
    return lines


def check_table(report: dict[str, Any]) -> Table:
    all_pass, some_failed = _("all steps pass"), _("{failed} failed").format(failed=report["counts"]["failed"])
    verdict = f"[green]{all_pass}[/]" if report["passed"] else f"[red]{some_failed}[/]"
    table = Table(title=_("check {site}: {verdict}").format(site=report["site"], verdict=verdict), title_justify="left")
    for column in (_("Flow"), _("Step"), _("Outcome"), _("Seconds"), _("Looked for")):
        table.add_column(column)
    colours = {"ok": "green", "failed": "red", "skipped": "yellow"}
    for step in report["steps"]:
        # A change step says it backed out: a person sees that `check` changed nothing.
        outcome = f"[{colours.get(step['outcome'], 'red')}]{escape(step_outcome(step))}[/]"
        table.add_row(step["group"], escape(step["name"]), outcome, f"{step['seconds']:.2f}", escape(step["element"]))
    return table


def show_check(console: Console, document: dict[str, Any]) -> None:
    """`check` as a person reads it: the table of steps, the locators.toml lines proposed for a
    step that could not find its element, and what changed on the pages since the baseline."""
    console.print(check_table(document))
    for step in document["steps"]:
        for line in proposal_lines(step["proposal"]) if step.get("proposal") else []:
            console.print(line, markup=False)
    show_drift(console, document.get("drift"))


def show_status(console: Console, state: AccountState, credentials: str) -> None:
    """`status` as a person reads it: the tables, where to cancel each subscription the site
    cannot, and where the credentials came from."""
    for table in state_tables(state):
        console.print(table)
    for sub in state.subscriptions:
        pointer = store_pointer(sub)
        if pointer:
            console.print(f"{pointer}.", markup=False)
    console.print(_("Credentials: {where}.").format(where=credentials), markup=False)


def show_watch(console: Console, document: dict[str, Any]) -> None:
    """`watch` as a person reads it: a line per finding (or that all is well), and its receipt."""
    for line in watch_lines(document):
        console.print(line, markup=False)
    if document.get("receipt"):
        console.print(_("Receipt: {path}").format(path=document["receipt"]), markup=False)


def refund_lines(document: dict[str, Any]) -> list[str]:
    """The verdict for a terminal: per subscription, the payments it rests on, the script."""
    lines = [
        (_("A refund is due.") if document["eligible"] else _("No refund is due.")),
        _("OKKO's rule: {rule}.").format(rule=document["rule"]),
    ]
    for sub in document["subscriptions"]:
        lines.append(f"«{sub['name']}»: {sub['explanation']}.")
        if sub["payment"]:
            lines.append(_("  rests on: {payment}").format(payment=_payment_line(sub["payment"])))
        for past in sub["past_payments"]:
            lines.append(_("  earlier, not refundable: {payment}").format(payment=_payment_line(past)))
    line = document["hotline"]
    lines.append(_("On the hotline ({phone}, {hours}; have ready {ready}), say:").format(
        phone=line["phone"], hours=line["hours"], ready=", ".join(line["have_ready"])))
    lines.append(f"  «{line['say']}»")
    return lines


def _payment_line(payment: dict[str, str]) -> str:
    return f"{ddmmyyyy(payment['date'])} · {payment['description']} · {payment['amount']} · {payment['status']}"


def deletion_lines(document: dict[str, Any]) -> list[str]:
    within = _("OKKO deletes the account within two days of the letter being read")
    if document["sent"]:
        smtp = document["smtp"]
        lines = [_("Sent the deletion request to {to} from {sender} through {host}:{port}; {within}.").format(
            to=document["to"], sender=document["sender"], host=smtp["host"], port=smtp["port"], within=within)]
    else:
        lines = [_("Composed the deletion request to {to}; not sent. {within} once you send it.").format(
            to=document["to"], within=within)]
    lines.append(_("Letter: {path}").format(path=document["eml"]))
    lines.extend(_("Note: {note}").format(note=note) for note in document["notes"])
    return lines


def history_tables(document: dict[str, Any]) -> list[Table | str]:
    """`history` for a terminal: the last runs, then each step's pass rate and median over them."""
    runs = document["runs"]
    if not runs:
        return [_("No check or watch run is recorded yet in {file}.").format(file=document["file"])]
    table = Table(title=_("The last {count} runs ({file})").format(count=len(runs), file=document["file"]),
                  title_justify="left")
    for column in (_("Started (UTC)"), _("Command"), _("Mode"), _("Site"), _("Outcome"), _("Seconds"), _("Alert")):
        table.add_column(column)
    for run in runs:
        failed = next((step["name"] for step in run["steps"] if step["outcome"] == "failed"), None)
        words = _("passed") if run["passed"] else _("failed: «{step}»").format(step=failed) if failed else _("failed")
        outcome = f"[{'green' if run['passed'] else 'red'}]{escape(words)}[/]"
        mode = f"{run['mode']} ({run['variant']})" if run["variant"] else run["mode"]
        alert = {"failing": _("failing, sent"), "recovered": _("recovered, sent")}.get(run["alert"] or "", "")
        table.add_row(run["started_at"], run["command"], mode, escape(run["site"]), outcome, f"{run['seconds']:.1f}",
                      alert)
    steps = Table(title=_("Each step over these runs"), title_justify="left")
    for column in (_("Mode"), _("Flow"), _("Step"), _("Passed"), _("Skipped"), _("Median s")):
        steps.add_column(column)
    for step in document["steps"]:
        ran = step["passed"] + step["failed"]
        rate = _("{passed} of {ran} ({percent:.0f}%)").format(passed=step["passed"], ran=ran,
                                                               percent=100 * step["pass_rate"])
        colour = "green" if step["failed"] == 0 else "red"
        name = step["name"] if step["occurrence"] == 1 else f"{step['name']} ({step['occurrence']})"
        steps.add_row(step["mode"], step["group"], escape(name), f"[{colour}]{rate}[/]", str(step["skipped"]),
                      f"{step['median_seconds']:.2f}")
    return [table, steps]
