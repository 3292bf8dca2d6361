"""The `refund-check` flow (flows/refund.py) against the mock site in a real browser: it reads
«Профиль», «Подписки» and «Оплата услуг», changes nothing, and its verdict matches the rule
applied to what the admin API says the account has.

- `default`: «Оптимум» was paid 18 days ago, so no refund; the older payments are listed
  as past months; a receipt (JSON + PNG, 0600) holds the verdict.
- `stores`: «Оптимум» was paid yesterday, so a refund is due and the hotline script asks for
  it; «Лайт» (Google Play) and «Премиум» (СберПрайм) point to their guides.
"""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automations.home import DataHome
from automations.pages import SettingsSection
from automations.steps import StepLog
from fixtures import AdminClient
from automations.refund_rule import JUST_BEGUN, NOT_BEGUN, STORE_BILLED, TOO_LATE, period_of, refund_rule
from flows.refund import check_refund
from flows.registry import COMMANDS


@pytest.fixture
def start_on() -> type[SettingsSection]:
    """Runs of this flow open the settings at its first section: so do its tests."""
    return COMMANDS["refund-check"].section()


def expected_start(site: AdminClient, name: str) -> date:
    sub = next(s for s in site.account()["subscriptions"] if s["name"] == name)
    return period_of(date.fromisoformat(sub["active_until"]))[0]


def test_default_account_is_past_the_window_and_keeps_a_receipt(
    site: AdminClient, settings_page: Page, steps: StepLog, tmp_path: Path
) -> None:
    events_before = site.events()
    paid = [p["date"] for p in site.account()["payments"]]
    today = date.today()

    report = check_refund(settings_page, steps, today=today, home=DataHome(tmp_path, "okko.test"))

    [optimum] = report.subscriptions
    start = expected_start(site, "Оптимум")
    assert optimum.period_start == start.isoformat()
    assert refund_rule(start, today).reason == TOO_LATE
    assert (optimum.eligible, optimum.reason, report.eligible) == (False, TOO_LATE, False)
    assert optimum.payment is not None and optimum.payment["date"] == paid[0]
    assert "Подписка «Оптимум»" in optimum.payment["description"] and optimum.payment["amount"] == "399 ₽"
    assert [p["date"] for p in optimum.past_payments] == paid[1:]
    assert report.account == {"email": "demo@okko.test", "phone": "+7 999 123-45-67"}
    assert "вернуть" not in report.hotline["say"] and "«Оптимум»" in report.hotline["say"]
    assert [r.name for r in steps.records] == ["Open «Основные»", "Open «Подписки»", "Open «Оплата услуг»"]
    assert site.events() == events_before  # read only

    assert report.receipt is not None
    receipt = Path(report.receipt)
    document = json.loads(receipt.read_text())
    assert (document["action"], document["eligible"]) == ("refund-check", False)
    assert document["subscriptions"][0]["payment"]["date"] == paid[0]
    assert receipt.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
    assert stat.S_IMODE(receipt.stat().st_mode) == 0o600


@pytest.mark.scenario("stores")
def test_paid_yesterday_is_refundable_and_store_billed_ones_point_to_their_guides(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    today = date.today()

    report = check_refund(settings_page, steps, today=today)

    by_name = {r.name: r for r in report.subscriptions}
    assert list(by_name) == ["Лайт", "Оптимум", "Премиум"]
    optimum = by_name["Оптимум"]
    # The period began a month before the next charge: today, yesterday or (after a short
    # month) in two days; each is refundable.
    assert optimum.reason == refund_rule(expected_start(site, "Оптимум"), today).reason in (JUST_BEGUN, NOT_BEGUN)
    assert optimum.eligible and report.eligible
    yesterday = date.fromordinal(today.toordinal() - 1).isoformat()
    assert optimum.payment is not None and optimum.payment["date"] == yesterday
    assert len(optimum.past_payments) == 1
    assert (by_name["Лайт"].reason, by_name["Лайт"].guide) == (STORE_BILLED, "okko-cancel guide android")
    assert (by_name["Премиум"].reason, by_name["Премиум"].guide) == (STORE_BILLED, "okko-cancel guide sberbank")
    assert "Прошу вернуть 399 ₽ за подписку «Оптимум»" in report.hotline["say"]
    assert report.hotline["phone"] == "8 800 700 55 33"
    assert report.receipt is None  # no data_dir given
