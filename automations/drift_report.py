"""How a `check`'s drift from its ARIA baseline reads (automations/baselines.py's document):
a table under check's own in the terminal, a step's system-out and the suite's properties in
JUnit, and in the HTML report each changed section with the baseline's tree beside this run's,
what changed marked in both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from automations.i18n import _

if TYPE_CHECKING:
    from markupsafe import Markup

# A terminal row lists this many changes, then counts the rest (the report has them all).
SHOWN_CHANGES = 6


def _status(section: dict[str, Any]) -> str:
    return {"changed": _("changed"), "new": _("new"), "not reached": _("not reached"),
            "same": _("unchanged")}.get(section["status"], section["status"])


def _change(change: dict[str, Any]) -> str:
    kind = {"appeared": _("appeared"), "disappeared": _("disappeared"), "renamed": _("renamed"),
            "moved": _("moved")}[change["change"]]
    return f"{kind}: {change['text']}"


def section_lines(section: dict[str, Any]) -> list[str]:
    """A changed section or dialog in words: its name and status, then a line per change."""
    head = _("{kind} «{title}» ({key}): {status}").format(
        kind=_("dialog") if section["kind"] == "dialog" else _("section"), title=section["title"],
        key=section["key"], status=_status(section))
    return [head, *(f"  {_change(change)}" for change in section["changes"])]


def drift_summary(drift: dict[str, Any]) -> str:
    """One line: what changed since when, or that there was no baseline yet."""
    if drift["taken_at"] is None:
        return _("No ARIA baseline yet; this run's snapshots are the baseline now ({folder}).").format(
            folder=drift["baseline"]) if drift["kept"] else _("No ARIA baseline yet ({folder}).").format(
            folder=drift["baseline"])
    if not drift["found"]:
        return _("The pages match the ARIA baseline of {when} ({count} sections and dialogs).").format(
            when=drift["taken_at"], count=len(drift["unchanged"]))
    changed = ", ".join(f"«{section['title']}»" for section in drift["sections"])
    return _("The site changed since the ARIA baseline of {when}: {sections}.").format(
        when=drift["taken_at"], sections=changed)


def drift_table(drift: dict[str, Any]) -> Table:
    table = Table(title=_("Changes since the ARIA baseline of {when} ({folder})").format(
        when=drift["taken_at"], folder=drift["baseline"]), title_justify="left")
    for column in (_("Section or dialog"), _("Step"), _("Status"), _("What changed")):
        table.add_column(column)
    for section in drift["sections"]:
        changes = [_change(change) for change in section["changes"]]
        if len(changes) > SHOWN_CHANGES:
            rest = len(changes) - SHOWN_CHANGES
            changes = [*changes[:SHOWN_CHANGES], _("and {count} more").format(count=rest)]
        table.add_row(escape(f"{section['title']} ({section['key']})"), escape(section["step"]),
                      f"[yellow]{escape(_status(section))}[/]", escape("\n".join(changes)))
    return table


def show_drift(console: Console, drift: dict[str, Any] | None) -> None:
    """Under check's table: the changes, if any, and one line on the baseline."""
    if not drift:
        return
    if drift["sections"]:
        console.print(drift_table(drift))
    console.print(drift_summary(drift), markup=False)


def step_drift_text(drift: dict[str, Any] | None, step: dict[str, Any]) -> str:
    """The changes in the sections and dialogs this step saw (JUnit's system-out)."""
    if not drift:
        return ""
    lines = [line for section in drift["sections"]
             if section["step"] == step["name"] and section["group"] == step["group"]
             for line in section_lines(section)]
    return "\n".join(lines)


def drift_properties(drift: dict[str, Any] | None) -> dict[str, str]:
    """The suite's JUnit properties: where the baseline is and what changed against it."""
    if not drift:
        return {}
    properties = {"aria-baseline": drift["baseline"], "aria-drift": drift_summary(drift)}
    for section in drift["sections"]:
        properties[f"aria-drift.{section['key']}"] = "; ".join(
            [_status(section), *(_change(change) for change in section["changes"])])
    return properties


def _marked(snapshot: str, marks: dict[int, str]) -> list[tuple[str, str]]:
    """The snapshot's lines, each with its mark: a gone or new element's whole subtree, a moved
    one's own line."""
    result: list[tuple[str, str]] = []
    subtree: tuple[int, str] | None = None  # the indent and mark of the element whose subtree this is
    for number, line in enumerate(snapshot.splitlines()):
        indent = len(line) - len(line.lstrip())
        if subtree is not None and indent <= subtree[0]:
            subtree = None
        mark = marks.get(number, "")
        if subtree is None and mark in ("gone", "new"):
            subtree = (indent, mark)
        result.append((line, mark or (subtree[1] if subtree else "")))
    return result


def drift_html(drift: dict[str, Any] | None) -> Markup:
    """The HTML report's section on the drift (markup, escaped where it holds the site's words;
    automations/templates/drift_section.html.j2)."""
    from markupsafe import Markup

    from automations.report_templates import render

    if not drift or not drift["sections"]:
        return Markup("")
    sections = []
    for section in drift["sections"]:
        changes = section["changes"]
        before = {c["baseline_line"]: "moved" if c["change"] == "moved" else "gone"
                  for c in changes if c["change"] in ("disappeared", "renamed", "moved")}
        after = {c["current_line"]: "moved" if c["change"] == "moved" else "new"
                 for c in changes if c["change"] in ("appeared", "renamed", "moved")}
        # A section not reached is gone as a whole; a new one is new as a whole.
        if section["status"] == "not reached":
            before = {0: "gone"}
        if section["status"] == "new":
            after = {0: "new"}
        head, *lines = section_lines(section)
        sections.append({"head": head, "step": section["step"], "group": section["group"],
                         "changes": [line.strip() for line in lines],
                         "baseline": _marked(section["baseline"], before),
                         "current": _marked(section["current"], after)})
    return render("drift_section.html.j2", drift=drift, sections=sections, summary=drift_summary(drift))
