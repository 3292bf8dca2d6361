"""The flows on the mock site's other layouts.

`redesign` (another DOM, menu on top, card actions behind «⋯», same accessible names):
unbinding, disabling auto-renew and signing out devices all still work, as the admin
state shows after the whole `cancel` on the `multi` account (several cards and
subscriptions, each action behind its own «⋯» menu), in order; the whole `cancel` on
`classic` too, and `status` reads the same account on `okko`, `classic` and `redesign`.

`breaking` («Оплата услуг» gone from the settings menu): unbinding fails with FlowFailed
naming the step and the missing menu link, and nothing changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from automations.errors import FlowFailed
from automations.steps import StepLog
from fixtures import AdminClient
from flows.cancel import cancel_everything
from flows.status import read_state
from flows.unbind_card import unbind_cards
from tests.helpers import last_event_id


def no_cards(account: dict[str, Any]) -> bool:
    return account["cards"] == []


def only_own_device(account: dict[str, Any]) -> bool:
    return len(account["devices"]) == 1


@pytest.mark.scenario("multi")
@pytest.mark.parametrize("layout", [pytest.param(v, marks=pytest.mark.variant(v), id=v) for v in ("redesign", "classic")])
def test_cancel_does_everything_on_the_other_layouts(
    layout: str, site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    """Each flow on each layout, composed: unbinding, disabling auto-renew and signing out devices
    each on an account with more than one of them. okko, the default, has its own in
    test_cancel.py."""
    since = last_event_id(site)

    report = cancel_everything(settings_page, steps)

    assert report.outcome == "done"

    account = site.account()
    assert {s["name"]: s["auto_renew"] for s in account["subscriptions"]} == {
        "Оптимум": False, "Премиум": True, "Оптимум + Амедиатека": False,
    }
    assert no_cards(account)
    assert only_own_device(account)
    assert site.event_types(since) == ["auto_renew_disabled"] * 2 + ["card_unbound"] * 2 + ["device_signed_out"] * 2


@pytest.mark.variant("breaking")
def test_unbind_fails_naming_the_missing_menu_link(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    settings_page.set_default_timeout(1500)
    before = site.account()
    since = last_event_id(site)

    with pytest.raises(FlowFailed) as raised:
        unbind_cards(settings_page, steps)

    assert raised.value.exit_code == 1
    assert raised.value.step == "Open «Оплата услуг»"
    assert "Оплата услуг" in raised.value.element
    assert [(r.name, r.outcome) for r in steps.records] == [("Open «Оплата услуг»", "failed")]
    assert site.account() == before
    assert site.events(since) == []


LAYOUTS = [pytest.param(v, marks=pytest.mark.variant(v), id=v) for v in ("okko", "classic", "redesign")]


@pytest.mark.scenario("multi")
@pytest.mark.parametrize("layout", LAYOUTS)
def test_status_reads_the_same_account_on_every_layout(
    layout: str, site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    state = read_state(settings_page, steps)

    account = site.account()
    assert [(s.name, s.auto_renew, s.next_charge if s.auto_renew else s.active_until) for s in state.subscriptions] == [
        (s["name"], s["auto_renew"], s["next_charge"] if s["auto_renew"] else s["active_until"])
        for s in account["subscriptions"]]
    assert sorted(c.label for c in state.cards) == sorted(c["label"] for c in account["cards"])
    assert sorted(d.name for d in state.devices) == sorted(d["name"] for d in account["devices"])
    assert [d.current for d in state.devices].count(True) == 1

