"""`check`: every flow in dry run, step by step; red on breaking naming the payments step, with
its screenshot, trace, JUnit and HTML report (green on the other layouts, changing nothing:
tests/flows/test_drift.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automations.check_reports import write_html, write_junit
from automations.steps import StepLog
from fixtures import DEMO_PASSWORD, AdminClient
from flows.check import CheckReport, check_flows

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

def run(page: Page, steps: StepLog, tmp_path: Path) -> CheckReport:
    return check_flows(page, steps, site="mock", screenshots=tmp_path / "shots", traces=tmp_path / "traces")


# Passing on okko, classic and redesign, changing nothing: tests/flows/test_drift.py checks each
# layout once and reads both that and its drift from the one run.


@pytest.mark.variant("breaking")
def test_breaking_layout_is_caught_named_and_reported(
    site: AdminClient, settings_page: Page, steps: StepLog, tmp_path: Path, page: Page
) -> None:
    """One check run on `breaking` (each costs the step's timeout), read four ways."""
    settings_page.set_default_timeout(1500)
    report = run(settings_page, steps, tmp_path)

    # The failing step is named, with what it looked for and where, and the rest still ran.
    [failed] = report.failed
    assert (failed.group, failed.name) == ("unbind-card", "Open «Оплата услуг»")
    assert "Оплата услуг" in failed.element
    assert failed.url.endswith("/settings/subscriptions")
    assert "profile" in {s.group for s in report.steps if s.outcome == "ok"}
    assert [e["type"] for e in site.events()] == ["login_ok"]

    # A screenshot, and a trace that holds the failing flow but not the login.
    assert (tmp_path / "shots" / failed.screenshot).stat().st_size > 0
    with zipfile.ZipFile(failed.trace) as trace:
        contents = b"".join(trace.read(name) for name in trace.namelist())
    assert "Оплата услуг".encode() in contents
    assert DEMO_PASSWORD.encode() not in contents
    assert b"/api/v1/auth/login" not in contents

    # JUnit: one case per step, the one failure under its flow.
    junit = tmp_path / "check.xml"
    write_junit(junit, report.to_dict())
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [s.name for s in report.steps]
    failures = [c for c in cases if c.find("failure") is not None]
    assert [c.get("classname") for c in failures] == ["check.unbind-card"]
    assert "Оплата услуг" in (failures[0].find("failure").get("message") or "")  # type: ignore[union-attr]
    assert suite.get("failures") == "1" and suite.get("tests") == str(len(cases))

    # HTML: a person sees the failing row and the screenshot.
    index = write_html(tmp_path / "report", report.to_dict(), tmp_path / "shots")
    page.goto(index.as_uri())
    image = page.get_by_role("img", name="Screenshot at the failure of Open «Оплата услуг»")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("row").filter(has=page.get_by_role("cell", name="failed", exact=True)).count() == 1
    # The rest of the failing flow did not run, and says so.
    skipped = page.get_by_role("row").filter(has=page.get_by_role("cell", name="skipped", exact=True))
    assert skipped.get_by_role("cell").nth(1).text_content() == "the rest of «unbind-card»"
