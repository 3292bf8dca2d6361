"""check on each layout, layout by layout, with its ARIA baseline: every layout but `breaking`
passes every flow and changes nothing on the site; the `okko` layout's snapshots are the
baseline; `okko` again shows nothing changed, `redesign` shows its other DOM (yet every step
passes), on `breaking` the link «Оплата услуг» is gone and its section not reached, and
`classic` passes with pages that read otherwise.

A check of every flow costs seconds, so one test walks the layouts and each check is read
for all it shows (what `breaking`'s failure looks like in the reports: tests/flows/test_check.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from automations.baselines import SectionDrift, compare, keep
from automations.steps import StepLog
from fixtures import DEMO_EMAIL, AdminClient
from flows.check import CheckReport, check_flows, checks
from flows.login import open_settings
from tests.helpers import EXPECT_TIMEOUT_MS, last_event_id, sign_in_through_api

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

CHECK_GROUPS = {group for group, _ in checks()}


def checked(page: Page, tmp_path: Path, site: AdminClient, variant: str | None = None) -> CheckReport:
    """A check of every flow on `variant` (on the layout the page is on already when none is
    given); every flow is in its report, and it changed nothing on the site, passing or not."""
    if variant is not None:
        site.reset("default", variant)
        sign_in_through_api(page.request, site, DEMO_EMAIL)
        open_settings(page, StepLog(), None)
    since, before = last_event_id(site), site.account()
    report = check_flows(page, StepLog(url=lambda: page.url), site="mock", screenshots=tmp_path / (variant or "first"))
    assert {s.group for s in report.steps} == CHECK_GROUPS
    assert site.events(since) == []
    assert site.account() == before
    return report


def changes(drift: dict[str, SectionDrift], key: str) -> set[tuple[str, str, str]]:
    return {(change.kind, change.role, change.name) for change in drift[key].changes}


def test_each_layout_checks_without_a_change_and_against_the_okko_baseline(
    site: AdminClient, settings_page: Page, tmp_path: Path
) -> None:
    okko = checked(settings_page, tmp_path, site)
    assert okko.passed, okko.to_dict()
    keep(tmp_path / "baseline", okko.observations, site="mock")
    assert {o.key for o in okko.observations} == {
        "settings.subscriptions", "subscriptions.offer_dialog", "subscriptions.survey_dialog",
        "subscriptions.confirm_dialog", "settings.payments", "payments.unbind_dialog", "settings.devices",
        "devices.unlink_dialog", "settings.general"}

    again = compare(tmp_path / "baseline", checked(settings_page, tmp_path, site, "okko").observations)

    assert (again.found, len(again.sections)) == (False, 9)

    redesign = checked(settings_page, tmp_path, site, "redesign")
    drift = {d.observation.key: d for d in compare(tmp_path / "baseline", redesign.observations).sections}

    assert redesign.passed, redesign.to_dict()
    # Another DOM, the same names: the subscription's card is a list item now, the menu a link shorter.
    assert ("disappeared", "article", "Оптимум") in changes(drift, "settings.subscriptions")
    assert ("renamed", "link", "Устройства") in changes(drift, "settings.subscriptions")
    assert drift["payments.unbind_dialog"].status == "same"

    settings_page.set_default_timeout(2_000)  # breaking's missing link costs this wait once
    breaking = checked(settings_page, tmp_path, site, "breaking")
    settings_page.set_default_timeout(EXPECT_TIMEOUT_MS)
    drift = {d.observation.key: d for d in compare(tmp_path / "baseline", breaking.observations).sections}

    assert [s.name for s in breaking.failed] == ["Open «Оплата услуг»"]
    assert ("disappeared", "link", "Оплата услуг") in changes(drift, "settings.subscriptions")
    assert (drift["settings.payments"].status, drift["payments.unbind_dialog"].status) == ("not reached",) * 2

    classic = checked(settings_page, tmp_path, site, "classic")
    drift = {d.observation.key: d for d in compare(tmp_path / "baseline", classic.observations).sections}

    # Our first design: every step passes, and the pages read otherwise than okko.tv's.
    assert classic.passed, classic.to_dict()
    assert any(d.status == "changed" for d in drift.values()), {k: d.status for k, d in drift.items()}
