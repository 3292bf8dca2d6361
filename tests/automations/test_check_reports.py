"""What a person reads after a `check` (automations/check_reports.py, the terminal's table):
the shields.io badge; the HTML report whose failed rows link the screenshot and trace by
relative paths that exist (a live account's trace never copied beside it), the screenshot at
its row; skipped steps listed; change steps that backed out saying so. And which steps a
failure leaves unrun (flows/check.py). No browser: a report document as `check` writes one,
over real files.
"""

from __future__ import annotations

import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from rich.console import Console

from automations.check_reports import write_badge, write_html
from automations.output import check_table
from flows.check import not_reached


def step(group: str, name: str, outcome: str = "ok", **more: Any) -> dict[str, Any]:
    return {"group": group, "name": name, "outcome": outcome, "seconds": 0.5, "detail": "", "element": "", "url": "",
            "screenshot": "", "trace": "", "backed_out": False, **more}


def document(steps: list[dict[str, Any]]) -> dict[str, Any]:
    failed = [s for s in steps if s["outcome"] == "failed"]
    return {"site": "https://okko.tv", "started_at": "2025-07-01T07:17:00+00:00", "passed": not failed,
            "counts": {"steps": len(steps), "failed": len(failed)}, "steps": steps, "artifacts": None}


class Links(HTMLParser):
    """Every href and src of a page, and the rows' text."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets.extend(value for name, value in attrs if name in ("href", "src") and value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(index: Path) -> Links:
    links = Links()
    links.feed(index.read_text())
    return links


def failing_run(tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """A run as `check` leaves it: the screenshot in the data dir's checks folder, the trace too."""
    artifacts = tmp_path / "data" / "checks" / "20250701T071700Z"
    artifacts.mkdir(parents=True)
    (artifacts / "unbind-card-failure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with zipfile.ZipFile(artifacts / "unbind-card-trace.zip", "w") as trace:
        trace.writestr("trace.trace", "{}")
    return document([
        step("disable-auto-renew", "Turn auto-renew off for «Оптимум»", backed_out=True),
        step("unbind-card", "Open «Оплата услуг»", "failed", element="the link «Оплата услуг»",
             url="https://okko.tv/settings/subscriptions", detail="not found",
             screenshot="unbind-card-failure.png", trace=str(artifacts / "unbind-card-trace.zip")),
        step("unbind-card", "Unbind Visa •••• 4242", "skipped", detail="not run: step «Open «Оплата услуг»» failed"),
    ]), artifacts


def test_a_mock_report_links_its_screenshot_and_trace_beside_it(tmp_path: Path) -> None:
    report, artifacts = failing_run(tmp_path)
    folder = tmp_path / "published" / "report"

    index = write_html(folder, report, artifacts, copy_traces=True)

    targets = read(index).targets
    assert sorted(set(targets)) == ["unbind-card-failure.png", "unbind-card-trace.zip"]
    assert all((folder / target).is_file() for target in targets)
    html = index.read_text()
    # The screenshot is shown at its row, before the next step's row, not at the bottom.
    assert html.index('<img src="unbind-card-failure.png"') < html.index("Unbind Visa •••• 4242")


def test_a_live_report_links_its_trace_where_it_is_never_beside_the_report(tmp_path: Path) -> None:
    report, artifacts = failing_run(tmp_path)
    folder = tmp_path / "published" / "report"

    index = write_html(folder, report, artifacts)

    traces = [target for target in read(index).targets if target.endswith(".zip")]
    assert traces == ["../../data/checks/20250701T071700Z/unbind-card-trace.zip"]
    assert (folder / traces[0]).resolve() == (artifacts / "unbind-card-trace.zip").resolve()
    assert not list(folder.glob("*.zip"))
    assert "never copied into this folder" in index.read_text()


def test_the_report_lists_skipped_steps_and_says_a_change_step_backed_out(tmp_path: Path) -> None:
    report, artifacts = failing_run(tmp_path)

    text = " ".join(" ".join(read(write_html(tmp_path / "report", report, artifacts)).text).split())

    assert "Turn auto-renew off for «Оптимум» ok (backed out, nothing changed)" in text
    assert "Unbind Visa •••• 4242 skipped 0.50 not run: step «Open «Оплата услуг»» failed" in text


def test_the_terminal_table_says_the_same(tmp_path: Path) -> None:
    report, _artifacts = failing_run(tmp_path)
    console = Console(width=200, record=True, color_system=None)

    console.print(check_table(report))

    printed = console.export_text()
    assert "ok (backed out, nothing changed)" in printed and "skipped" in printed


def test_the_badge_says_passing_or_the_first_failed_step(tmp_path: Path) -> None:
    passing, failing = tmp_path / "passing.json", tmp_path / "badges" / "failing.json"
    report, _artifacts = failing_run(tmp_path)

    write_badge(passing, document([step("profile", "Open «Основные»")]))
    write_badge(failing, report)

    assert json.loads(passing.read_text()) == {"schemaVersion": 1, "label": "flows", "message": "passing",
                                               "color": "brightgreen"}
    assert json.loads(failing.read_text()) == {"schemaVersion": 1, "label": "flows",
                                               "message": "failing: «Open «Оплата услуг»»", "color": "red"}


def test_a_failure_leaves_the_rest_of_its_flow_skipped_by_name_when_a_passing_run_named_them() -> None:
    walked = ["Open «Оплата услуг»", "Unbind Visa •••• 4242", "Check «Оплата услуг» after a reload"]

    named = not_reached("unbind-card", "Unbind Visa •••• 4242", walked)
    unknown = not_reached("unbind-card", "Open «Оплата услуг»", [])
    no_login = not_reached("unbind-card", None, walked)

    assert [(r.name, r.outcome, r.group) for r in named] == [
        ("Check «Оплата услуг» after a reload", "skipped", "unbind-card")]
    assert named[0].detail == "not run: step «Unbind Visa •••• 4242» of this flow failed"
    assert [r.name for r in unknown] == ["the rest of «unbind-card»"]
    assert [r.name for r in no_login] == walked and no_login[0].detail == "not run: the login failed"
