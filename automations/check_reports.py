"""Reports of a `check` run: JUnit XML (one test case per step, read by GitHub and GitLab), a
static HTML page a person opens to see each step, with each failure's screenshot and trace at
its row, and a shields.io badge."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from automations.drift_report import drift_html, drift_properties, step_drift_text
from automations.history import NewRun
from automations.i18n import _, pgettext
from automations.report_templates import render
from automations.storage import private_dir, write_private

SUITE_NAME = "okko-cancel check"


def step_outcome(step: dict[str, Any]) -> str:
    """A step's outcome for a person: a change step that `check` walked up to its last
    confirmation and backed out of says so."""
    if step["outcome"] == "ok" and step.get("backed_out"):
        return _("ok (backed out, nothing changed)")
    return {"ok": _("ok"), "failed": _("failed"), "skipped": _("skipped")}.get(step["outcome"], step["outcome"])


def write_badge(path: Path, report: dict[str, Any]) -> None:
    """A shields.io endpoint badge (https://shields.io/badges/endpoint-badge): "passing", or
    "failing: «the first failed step»". Its words are the badge format's, in English whatever
    the run's language: a README shows it to everyone."""
    failed = [step for step in report["steps"] if step["outcome"] == "failed"]
    write_endpoint_badge(path, "flows", f"failing: «{failed[0]['name']}»" if failed else "passing",
                         "red" if failed else "brightgreen")


def write_endpoint_badge(path: Path, label: str, message: str, color: str) -> None:
    """The badge's JSON (check's, or watch's: automations/monitoring.py)."""
    badge = {"schemaVersion": 1, "label": label, "message": message, "color": color}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(badge, ensure_ascii=False) + "\n", encoding="utf-8")


def write_junit(path: Path, report: dict[str, Any]) -> None:
    steps = report["steps"]
    suite = ET.Element(
        "testsuite",
        name=SUITE_NAME,
        tests=str(len(steps)),
        failures=str(sum(1 for s in steps if s["outcome"] == "failed")),
        errors="0",
        skipped=str(sum(1 for s in steps if s["outcome"] == "skipped")),
        time=f"{sum(s['seconds'] for s in steps):.3f}",
        timestamp=report["started_at"],
        hostname=report["site"],
    )
    properties = drift_properties(report.get("drift"))
    if properties:
        listed = ET.SubElement(suite, "properties")
        for name, value in properties.items():
            ET.SubElement(listed, "property", name=name, value=value)
    for step in steps:
        case = ET.SubElement(suite, "testcase", classname=f"check.{step['group'] or 'flow'}", name=step["name"],
                             time=f"{step['seconds']:.3f}")
        if step["outcome"] == "failed":
            element = step["element"] or pgettext("looked for", "the page")
            failure = ET.SubElement(case, "failure", message=f"{element}: {step['detail']}", type="FlowFailed")
            failure.text = "\n".join(
                f"{label}: {step[key]}" for label, key in
                ((_("step"), "name"), (_("looked for"), "element"), (_("url"), "url"), (_("detail"), "detail"),
                 (_("screenshot"), "screenshot"), (_("trace"), "trace"))
                if step.get(key)
            )
        elif step["outcome"] == "skipped":
            ET.SubElement(case, "skipped")
        drifted = step_drift_text(report.get("drift"), step)
        if drifted:
            ET.SubElement(case, "system-out").text = drifted
    root = ET.Element("testsuites", name=SUITE_NAME)
    root.append(suite)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def write_html(folder: Path, report: dict[str, Any], artifacts: Path | None, *, copy_traces: bool = False,
               trend: Sequence[NewRun] = ()) -> Path:
    """Writes `index.html` into `folder`, each failure's screenshot and trace linked at its row
    by a path relative to the folder, so that the folder can be moved, zipped or uploaded.
    Screenshots are copied beside it from `artifacts`; a trace too when `copy_traces` (the
    bundled mock's demo account): a live account's trace holds its session, so it stays where
    it is, linked relatively, and never lands in a folder that may be published. Below the
    steps, given `trend` (the scope's last runs from the history, this one last), each step's
    chart over them (automations/trend_chart.py)."""
    from automations.trend_chart import trend_section  # pygal: only `check --report` needs it, not start-up

    private_dir(folder)
    rows = [(step, _row(folder, step, artifacts, copy_traces)) for step in report["steps"]]
    html = render("check_report.html.j2", report=report, rows=rows, trend=trend_section(trend),
                  drift=drift_html(report.get("drift")))
    index = folder / "index.html"
    write_private(index, html.encode())
    return index


def _row(folder: Path, step: dict[str, Any], artifacts: Path | None, copy_traces: bool) -> dict[str, Any]:
    """What a step's row shows beyond the step itself: its outcome in words, and the links to
    its screenshot and trace (relative to `folder`), each file copied there when it may be."""
    row: dict[str, Any] = {"outcome": step_outcome(step), "screenshot": "", "trace": "", "trace_here": False}
    if step.get("screenshot"):
        here = folder / step["screenshot"]
        source = (artifacts or folder) / step["screenshot"]
        if source.exists() and source.resolve() != here.resolve():
            shutil.copy2(source, here)
        row["screenshot"] = step["screenshot"] if here.exists() else ""
    if step.get("trace") and Path(step["trace"]).exists():
        trace = Path(step["trace"])
        if copy_traces:
            if trace.resolve() != (folder / trace.name).resolve():
                shutil.copy2(trace, folder / trace.name)
            row["trace"], row["trace_here"] = trace.name, True
        else:
            row["trace"] = Path(os.path.relpath(trace.resolve(), folder.resolve())).as_posix()
    return row


