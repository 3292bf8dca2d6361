"""Faults the flows come through: slow pages, 429/5xx on reads and writes, dropped
connections (the ambiguous case), overlays. Every outcome is read back through the admin
API: a change is done exactly once, or not at all with exit code 4."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from automations.errors import SiteUnreachable
from automations.pages import Overlays, SettingsMenu
from automations.steps import StepLog
from fixtures import AdminClient
from flows.auto_renew import disable_auto_renew
from flows.cancel import cancel_everything
from flows.login import open_settings
from flows.unbind_card import unbind_cards
from tests.helpers import sign_in_through_api

# Whole commands or every flow: seconds each, so they start first (see conftest.py).
pytestmark = pytest.mark.slow

UNBIND_WRITES = "/api/v1/cards/"  # /api/v1/cards/<id>/unbind, and not the GET /api/v1/cards


def card_events(site: AdminClient) -> list[str]:
    return [e["type"] for e in site.events() if e["type"] == "card_unbound"]


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param({"latency_ms": 700, "latency_path": "/api/"}, id="slow-api"),
        pytest.param({"fail": {"path": "/api/v1/cards", "status": 503, "count": 2}}, id="503-on-reads"),
        pytest.param({"fail": {"path": "/settings/payments", "status": 429, "count": 1}}, id="429-on-the-page"),
        pytest.param({"fail": {"path": UNBIND_WRITES, "status": 500, "count": 2}}, id="500-on-the-write"),
        pytest.param({"fail": {"path": UNBIND_WRITES, "status": 429, "count": 1}}, id="429-on-the-write"),
        pytest.param({"drop": {"path": UNBIND_WRITES, "count": 1}}, id="dropped-before-the-write"),
        pytest.param({"drop": {"path": UNBIND_WRITES, "count": 1, "after": True}}, id="dropped-after-the-write"),
    ],
)
def test_unbind_comes_through_and_unbinds_exactly_once(
    faults: dict[str, Any], site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    site.set_faults(**faults)

    report = unbind_cards(settings_page, steps)

    assert report.changed == ["Visa •••• 4242"]
    assert site.account()["cards"] == []
    assert card_events(site) == ["card_unbound"]


def test_auto_renew_dropped_after_the_write_is_not_sent_again(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    site.set_faults(drop={"path": "/api/v1/subscriptions/", "count": 1, "after": True})

    disable_auto_renew(settings_page, steps)

    assert [s["auto_renew"] for s in site.account()["subscriptions"]] == [False]
    assert site.event_types().count("auto_renew_disabled") == 1
    assert "offer_accepted" not in site.event_types()


def test_a_write_that_keeps_failing_ends_with_exit_4_and_nothing_done(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    site.set_faults(fail={"path": UNBIND_WRITES, "status": 503, "count": 50})

    with pytest.raises(SiteUnreachable) as failure:
        unbind_cards(settings_page, steps)

    assert failure.value.exit_code == 4
    assert "kept failing" in str(failure.value) and "was not done" in str(failure.value)
    assert len(site.account()["cards"]) == 1


def test_a_section_that_keeps_failing_to_load_ends_with_exit_4(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    site.set_faults(fail={"path": "/api/v1/payments", "status": 503, "count": 50})

    with pytest.raises(SiteUnreachable, match="«Оплата услуг» kept failing to load"):
        unbind_cards(settings_page, steps)
    assert len(site.account()["cards"]) == 1


def test_cookie_banner_and_promo_popup_are_dismissed_wherever_they_appear(
    site: AdminClient, page: Page, steps: StepLog
) -> None:
    site.set_faults(promo_popup=True)
    sign_in_through_api(page.request, site)
    Overlays(page).dismiss_automatically()
    page.goto("/settings")

    cancel_everything(page, steps)

    account = site.account()
    assert account["cards"] == [] and not account["subscriptions"][0]["auto_renew"]
    assert len(account["devices"]) == 1


@pytest.mark.parametrize(("count", "opened"), [(2, True), (50, False)], ids=["comes-through", "keeps-failing"])
def test_a_settings_page_answering_503_is_opened_again_then_unreachable(
    site: AdminClient, signed_in_page: Page, steps: StepLog, count: int, opened: bool
) -> None:
    site.set_faults(fail={"path": "/settings", "status": 503, "count": count})

    if opened:
        assert open_settings(signed_in_page, steps) is False
        assert SettingsMenu(signed_in_page).nav.is_visible()
    else:
        with pytest.raises(SiteUnreachable, match="kept answering 503 to /settings"):
            open_settings(signed_in_page, steps)
