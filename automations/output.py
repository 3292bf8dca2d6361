"""How results look on a terminal: a line per step with a spinner while waiting, tables for
`status`, and a summary for each action. Progress goes to stderr; results to stdout."""

from __future__ import annotations

import threading
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.status import Status
from rich.table import Table

from automations.mail import WITHIN
from automations.models import AccountState
from automations.refund_rule import ddmmyyyy
from automations.steps import StepRecord


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
        line = f"{mark} {record.name} [dim]{record.seconds:.1f} s[/]"
        if record.outcome == "failed" and record.element:
            line += f" [red]— {record.element}[/]"
        if self.verbose and record.url:
            line += f" [dim]{escape(record.url)}[/]"
        self.console.print(line, highlight=False)
        if self.verbose and record.outcome == "failed":
            for said in (record.detail, record.locator and f"locator: {record.locator}"):
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
        detail = result.outcome.replace("_", " ") if result.exit_code == 0 else f"exit {result.exit_code}: {result.error}"
        with self.lock:
            self.console.print(f"{mark} {escape(result.account)} {escape(detail)} [dim]{result.seconds:.1f} s[/]",
                               highlight=False)


def batch_lines(report: dict[str, Any]) -> list[str]:
    counts = ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in sorted(report["counts"].items()))
    return [f"{len(report['accounts'])} accounts in {report['seconds']:.1f} s ({report['workers']} workers): {counts}.",
            f"Summary: {report['summary']}"]


def state_tables(state: AccountState) -> list[Table]:
    subs = Table(title="Подписки", title_justify="left")
    for column in ("Подписка", "Цена", "Автопродление", "Следующее списание", "Активна до", "Оплата"):
        subs.add_column(column)
    for s in state.subscriptions:
        renew = "[yellow]вкл.[/]" if s.auto_renew else "[green]выкл.[/]"
        subs.add_row(s.name, s.price, renew, s.next_charge or "—", s.active_until or "—",
                     s.manage_hint or s.billed)
    if not state.subscriptions:
        subs.add_row("нет подписок", "", "", "", "", "")
    cards = Table(title="Привязанные карты", title_justify="left")
    cards.add_column("Карта")
    cards.add_column("Основная")
    for c in state.cards:
        cards.add_row(c.label, "да" if c.primary else "")
    if not state.cards:
        cards.add_row("[green]нет привязанных карт[/]", "")
    devices = Table(title="Устройства", title_justify="left")
    devices.add_column("Устройство")
    devices.add_column("Последний вход")
    devices.add_column("")
    for d in state.devices:
        devices.add_row(d.name, d.last_seen or "—", "это устройство" if d.current else "")
    return [subs, cards, devices]


def action_lines(report: dict[str, Any]) -> list[str]:
    outcome = report["outcome"]
    lines = []
    if outcome == "already_done":
        lines.append("Nothing to do: already done.")
    elif outcome == "dry_run":
        lines.append("Dry run: walked up to the last confirmation and backed out. Would change:")
        lines.extend(f"  • {item}" for item in report["changed"])
    else:
        lines.append("Done, and verified on the site after a reload:")
        lines.extend(f"  • {item}" for item in report["changed"])
    lines.extend(f"Note: {note}" for note in report.get("notes", []))
    return lines


def check_table(report: dict[str, Any]) -> Table:
    verdict = "[green]all steps pass[/]" if report["passed"] else f"[red]{report['counts']['failed']} failed[/]"
    table = Table(title=f"check {report['site']}: {verdict}", title_justify="left")
    for column in ("Flow", "Step", "Outcome", "Seconds", "Looked for"):
        table.add_column(column)
    for step in report["steps"]:
        outcome = "[green]ok[/]" if step["outcome"] == "ok" else f"[red]{step['outcome']}[/]"
        table.add_row(step["group"], step["name"], outcome, f"{step['seconds']:.2f}", step["element"])
    return table


def refund_lines(document: dict[str, Any]) -> list[str]:
    """The verdict for a terminal: per subscription, the payments it rests on, the script."""
    lines = [
        ("A refund is due." if document["eligible"] else "No refund is due."),
        f"OKKO's rule: {document['rule']}.",
    ]
    for sub in document["subscriptions"]:
        lines.append(f"«{sub['name']}»: {sub['explanation']}.")
        if sub["payment"]:
            lines.append(f"  rests on: {_payment_line(sub['payment'])}")
        for past in sub["past_payments"]:
            lines.append(f"  earlier, not refundable: {_payment_line(past)}")
    line = document["hotline"]
    lines.append(f"On the hotline ({line['phone']}, {line['hours']}; have ready {', '.join(line['have_ready'])}), say:")
    lines.append(f"  «{line['say']}»")
    return lines


def _payment_line(payment: dict[str, str]) -> str:
    return f"{ddmmyyyy(payment['date'])} · {payment['description']} · {payment['amount']} · {payment['status']}"


def deletion_lines(document: dict[str, Any]) -> list[str]:
    if document["sent"]:
        smtp = document["smtp"]
        lines = [(f"Sent the deletion request to {document['to']} from {document['sender']} "
                  f"through {smtp['host']}:{smtp['port']}; {WITHIN}.")]
    else:
        lines = [f"Composed the deletion request to {document['to']}; not sent. {WITHIN} once you send it."]
    lines.append(f"Letter: {document['eml']}")
    lines.extend(f"Note: {note}" for note in document["notes"])
    return lines
