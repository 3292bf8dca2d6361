"""The rules that make the flows survive the real okko.tv, on the mock's `okko` layout (the
default): cards masked four ways and matched by their last four digits, dates without a
year, the cancel path as one combined dialog or none at all, a current device that shows
«Отвязать» like every other row, another device with the same name as the current one, and
a code field with no label and no button; and the settings reached through the avatar's menu.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from pydantic import SecretStr
from playwright.sync_api import Page

from automations.credentials import Credentials
from automations.errors import FlowFailed
from automations.pages import DevicesPage, Header, PaymentsPage, ProfilePage, SubscriptionsPage
from automations.steps import StepLog
from fixtures import AdminClient
from flows.auto_renew import disable_auto_renew
from flows.devices import sign_out_devices
from flows.login import open_settings, sign_in
from flows.resilience import load
from flows.unbind_card import unbind_cards
from tests.helpers import events_of, last_event_id, own_device

MASKS = {"4242": "Visa •••• 4242", "5454": "Mastercard •• 5454", "2202": "МИР **** 2202", "1111": "Visa *1111"}


@pytest.mark.scenario("masks")
def test_cards_masked_four_ways_are_read_by_their_last_four_digits(site: AdminClient, settings_page: Page) -> None:
    payments = PaymentsPage(settings_page)
    load(payments, payments.open_from_menu_unless_shown)

    cards = payments.cards()

    assert sorted(c.last4 for c in cards) == sorted(MASKS)
    assert sorted(c.label for c in cards) == sorted(card["label"] for card in site.account("masks@okko.test")["cards"])


@pytest.mark.scenario("masks")
@pytest.mark.parametrize("last4", ["5454", "2202", "1111"])
def test_one_card_of_any_mask_is_unbound_by_its_last_four_digits(
    site: AdminClient, settings_page: Page, steps: StepLog, last4: str
) -> None:
    since = last_event_id(site)

    unbind_cards(settings_page, steps, card=last4)

    left = [card["label"] for card in site.account("masks@okko.test")["cards"]]
    assert sorted(left) == sorted(label for end, label in MASKS.items() if end != last4)
    assert [e["card"] for e in events_of(site, "card_unbound", since)] == [MASKS[last4]]


def test_dates_without_a_year_are_the_next_charge_and_the_last_login(site: AdminClient, settings_page: Page) -> None:
    subscriptions = SubscriptionsPage(settings_page)
    load(subscriptions, subscriptions.open_from_menu_unless_shown)
    # The page says «Следующее списание 13 декабря»: no year to read.
    assert re.search(r"Следующее списание \d{1,2} [а-я]+$", subscriptions.cards.first.inner_text(), re.MULTILINE)

    read = subscriptions.subscriptions()

    account = site.account()
    assert [s.next_charge for s in read] == [s["next_charge"] for s in account["subscriptions"]]
    devices = DevicesPage(settings_page)
    load(devices, devices.open_from_menu)
    seen = {d.name: d.last_seen for d in devices.devices() if not d.current}
    assert seen == {d["name"]: d["last_seen"] for d in account["devices"] if d["name"] in seen}
    assert len(seen) == 3


@pytest.mark.parametrize("path", ["combined", "none"])
def test_the_cancel_path_as_one_combined_dialog_or_none(
    site: AdminClient, settings_page: Page, steps: StepLog, path: str
) -> None:
    site.set_faults(cancel_dialogs=path)
    since = last_event_id(site)

    report = disable_auto_renew(settings_page, steps)

    assert report.changed == ["Оптимум"]
    assert [s["auto_renew"] for s in site.account()["subscriptions"]] == [False]
    assert not events_of(site, "offer_accepted", since)


def test_a_dry_run_over_a_combined_dialog_backs_out(site: AdminClient, settings_page: Page, steps: StepLog) -> None:
    site.set_faults(cancel_dialogs="combined")
    since = last_event_id(site)

    disable_auto_renew(settings_page, steps, dry_run=True)

    assert [s["auto_renew"] for s in site.account()["subscriptions"]] == [True]
    assert events_of(site, "auto_renew_disabled", since) == [] and events_of(site, "offer_accepted", since) == []


def test_a_dry_run_where_the_button_changes_at_once_is_blocked(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    site.set_faults(cancel_dialogs="none")
    settings_page.set_default_timeout(1500)  # what the run waits for never comes: the write was blocked

    with pytest.raises(FlowFailed, match="without asking first"):
        disable_auto_renew(settings_page, steps, dry_run=True)

    assert [s["auto_renew"] for s in site.account()["subscriptions"]] == [True]


def test_the_current_device_is_kept_though_its_row_shows_unlink(
    site: AdminClient, settings_page: Page, steps: StepLog
) -> None:
    mine = own_device(site)
    devices = DevicesPage(settings_page)
    load(devices, devices.open_from_menu_unless_shown)
    assert devices.rows.count() == 4 and not devices.has_bulk_sign_out()
    since = last_event_id(site)

    report = sign_out_devices(settings_page, steps)

    assert [d["name"] for d in site.account()["devices"]] == [mine]
    assert len(events_of(site, "device_signed_out", since)) == 3
    assert sorted(report.changed) == sorted(["Samsung Smart TV", "iPhone 13", "Chrome, Windows"])
    # Still signed in: the reload after the change read the section, not the login page.
    assert settings_page.url.endswith("/settings/devices")


@pytest.mark.scenario("twins")
@pytest.mark.parametrize("named", [None, "Chrome, Linux"], ids=["every-other", "by-name"])
def test_another_device_named_like_the_current_one_is_unlinked_and_the_current_kept(
    site: AdminClient, settings_page: Page, steps: StepLog, named: str | None
) -> None:
    mine = own_device(site)
    assert mine == "Chrome, Linux"
    names = [d["name"] for d in site.account()["devices"]]
    assert names.count(mine) == 2
    since = last_event_id(site)

    sign_out_devices(settings_page, steps, device=named)

    left = [d["name"] for d in site.account()["devices"]]
    assert left.count(mine) == 1
    assert len(events_of(site, "device_signed_out", since)) == (1 if named else 4)
    devices = DevicesPage(settings_page)
    assert [d.current for d in devices.devices() if d.name == mine] == [True]


@pytest.mark.parametrize("login", ["demo@okko.test", "+7 999 123-45-67"], ids=["e-mail", "sms"])
def test_a_code_field_with_no_label_and_no_button_signs_in(
    site: AdminClient, consented_page: Page, steps: StepLog, outbox_codes: Callable[[str], str], login: str
) -> None:
    assert open_settings(consented_page, steps)

    sign_in(consented_page, steps, Credentials(login, SecretStr("")), code_provider=outbox_codes)

    assert events_of(site, "login_ok")[-1]["account"] == "demo@okko.test"
    code_step = "Log in: the code from the SMS" if login.startswith("+") else "Log in: the code from the e-mail"
    assert [r.name for r in steps.records][-1] == code_step


def test_the_settings_open_from_the_avatar_menu(signed_in_page: Page) -> None:
    signed_in_page.goto("/")
    header = Header(signed_in_page)
    assert header.is_signed_in()

    header.open_settings()

    profile = ProfilePage(signed_in_page)
    profile.wait_loaded()
    assert profile.is_shown() and profile.contacts()["email"] == "demo@okko.test"
