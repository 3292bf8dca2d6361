"""How results look on a terminal: a line per step with a spinner while waiting, tables for
`status`, and a summary for each action. Progress goes to stderr; results to stdout."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.status import Status
from rich.table import Table

from automations.models import AccountState
from automations.steps import StepRecord


class StepPrinter:
    """The `on_step` callback of a run: a spinner while a step waits, a line when it ends."""

    def __init__(self, console: Console, *, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet
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
        self.console.print(line, highlight=False)

    def notice(self, message: str) -> None:
        """Something the person must read now (even with --json: it goes to stderr)."""
        if self.status is not None:
            self.status.stop()
        self.console.print(f"[bold yellow]![/] {message}", highlight=False)

    def close(self) -> None:
        if self.status is not None:
            self.status.stop()


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


def summary_lines(report: dict[str, Any]) -> list[str]:
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
