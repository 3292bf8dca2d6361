"""Browser tests of the mock OKKO site's settings pages (classic layout unless marked).

Covered: /settings and its side menu («Профиль», «Подписки», «Оплата услуг», «Устройства»,
«Выйти»); the login redirect when logged out; client-side rendering (skeleton, then data);
«Подписки» (card facts, the retention → survey → confirmation path, keeping the
subscription, accepting the offer, «Возобновить», the `multi` scenario's prices and App
Store billing); «Оплата услуг» (card tile, unbind dialog, cancel, unbind, payment history,
binding a card); «Устройства» (counter, rows, current device, single and bulk sign-out);
«Профиль» (contacts, account deletion by e-mail, support phone); the `clean` scenario (no
card, auto-renew off: checked where its tests start); and page-level faults (503 on a read
with «Повторить», 500 on a write, a connection dropped after the write took effect).

Every test drives a real Chromium against the real mock server and checks what a user sees
and, for writes, what the admin API says changed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures import AdminClient
from fixtures.mock_site.context import device_name

# This module describes the classic layout (and, where marked, redesign and breaking): it is
# pinned to it, whatever the site's default layout is. The okko layout has its own modules.
pytestmark = pytest.mark.variant("classic")

SECTIONS = [
    ("Профиль", "/settings/profile"),
    ("Подписки", "/settings/subscriptions"),
    ("Оплата услуг", "/settings/payments"),
    ("Устройства", "/settings/devices"),
]
REASONS = ["Дорого", "Нечего смотреть", "Смотрю в другом сервисе", "Другое"]
DEVICE_LIMIT = 5


def ru_date(days_from_today: int) -> str:
    """A date as the site prints it: DD.MM.YYYY."""
    return (date.today() + timedelta(days=days_from_today)).strftime("%d.%m.%Y")


def dialog(page: Page, name: str) -> Locator:
    return page.get_by_role("dialog", name=name)


def subscription_card(page: Page, plan: str) -> Locator:
    return page.get_by_role("article", name=plan, exact=True)


def open_subscriptions(page: Page) -> Locator:
    """Opens «Подписки» and returns the Оптимум card once rendered."""
    page.goto("/settings/subscriptions")
    card = subscription_card(page, "Оптимум")
    expect(card).to_be_visible()
    return card


def open_payments(page: Page) -> Locator:
    """Opens «Оплата услуг» and returns the Visa tile once rendered."""
    page.goto("/settings/payments")
    tile = page.get_by_role("article", name="Visa •••• 4242")
    expect(tile).to_be_visible()
    return tile


def open_devices(page: Page) -> None:
    page.goto("/settings/devices")
    expect(page.get_by_text(re.compile(rf"^\d+ из {DEVICE_LIMIT}$"))).to_be_visible()


def current_device_name(page: Page) -> str:
    """What the site calls this test's browser («Chrome, Linux» for headless Chromium on Linux)."""
    return device_name(page.evaluate("navigator.userAgent"))


def device_row(page: Page, name: str) -> Locator:
    return page.get_by_role("listitem", name=name, exact=True)


def walk_to_confirmation(page: Page, reason: str = "Дорого") -> Locator:
    """Clicks through retention and survey; returns the open «Вы уверены?» dialog."""
    subscription_card(page, "Оптимум").get_by_role("button", name="Отключить автопродление").click()
    dialog(page, "Подождите! 3 месяца за 1 ₽").get_by_role("button", name="Всё равно отключить").click()
    survey = dialog(page, "Почему вы отключаете автопродление?")
    survey.get_by_role("radio", name=reason).check()
    survey.get_by_role("button", name="Продолжить").click()
    confirmation = dialog(page, "Вы уверены?")
    expect(confirmation).to_be_visible()
    return confirmation


# ------------------------------------------------------------------ navigation and shell


def test_settings_redirects_to_profile(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings")

    expect(signed_in_page).to_have_url(re.compile(r"/settings/profile$"))
    expect(signed_in_page.get_by_role("heading", name="Профиль", level=1)).to_be_visible()


def test_settings_menu_links_every_section(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings/profile")
    links = signed_in_page.get_by_role("navigation", name="Настройки").get_by_role("link")

    expect(links).to_have_text([name for name, _ in SECTIONS])
    for name, href in SECTIONS:
        expect(links.filter(has_text=name)).to_have_attribute("href", href)


def test_logout_button_signs_out(signed_in_page: Page, site: AdminClient) -> None:
    signed_in_page.goto("/settings/profile")

    signed_in_page.get_by_role("button", name="Выйти", exact=True).click()

    expect(signed_in_page).to_have_url(re.compile(r"/$"))
    expect(signed_in_page.get_by_role("link", name="Войти")).to_be_visible()
    assert site.account()["sessions"] == 0
    assert "logout" in site.event_types()


def test_logged_out_settings_page_redirects_to_login(consented_page: Page, site: AdminClient) -> None:
    consented_page.goto("/settings/payments")

    expect(consented_page).to_have_url(re.compile(r"/login\?next=/settings/payments$"))
    expect(consented_page.get_by_role("heading", name="Войдите или зарегистрируйтесь")).to_be_visible()


def test_section_shows_skeleton_then_data(signed_in_page: Page, site: AdminClient) -> None:
    site.set_faults(latency_ms=800, latency_path="/api/")

    # "commit": look for the skeleton as soon as the shell arrives, not after its scripts ran.
    signed_in_page.goto("/settings/subscriptions", wait_until="commit")

    skeleton = signed_in_page.get_by_role("progressbar", name="Загрузка")
    expect(skeleton).to_be_visible()
    expect(subscription_card(signed_in_page, "Оптимум")).to_be_visible()
    expect(skeleton).to_have_count(0)


# ---------------------------------------------------------------------------- subscriptions


def test_subscription_card_shows_plan_facts(signed_in_page: Page) -> None:
    card = open_subscriptions(signed_in_page)

    expect(card.get_by_text("399 ₽/мес")).to_be_visible()
    expect(card.get_by_text("Активна", exact=True)).to_be_visible()
    expect(card.get_by_text(f"Следующее списание {ru_date(12)}", exact=True)).to_be_visible()
    expect(card.get_by_text("Оплата картой Visa •••• 4242")).to_be_visible()
    expect(card.get_by_role("button", name="Отключить автопродление")).to_be_visible()


def test_cancel_path_opens_retention_then_survey_then_confirmation(signed_in_page: Page) -> None:
    card = open_subscriptions(signed_in_page)

    card.get_by_role("button", name="Отключить автопродление").click()
    retention = dialog(signed_in_page, "Подождите! 3 месяца за 1 ₽")
    expect(retention.get_by_role("button")).to_have_text(["Принять предложение", "Всё равно отключить"])
    retention.get_by_role("button", name="Всё равно отключить").click()

    survey = dialog(signed_in_page, "Почему вы отключаете автопродление?")
    expect(retention).to_have_count(0)
    radios = survey.get_by_role("radio")
    expect(radios).to_have_count(len(REASONS))
    for index, label in enumerate(REASONS):
        expect(radios.nth(index)).to_have_accessible_name(label)
    proceed = survey.get_by_role("button", name="Продолжить")
    expect(proceed).to_be_disabled()
    survey.get_by_role("radio", name="Другое").check()
    proceed.click()

    confirmation = dialog(signed_in_page, "Вы уверены?")
    expect(survey).to_have_count(0)
    expect(confirmation.get_by_role("button")).to_have_text(["Отключить", "Оставить подписку"])
    expect(confirmation).to_contain_text(f"активной до {ru_date(12)}")


def test_confirming_disables_auto_renew_with_reason(signed_in_page: Page, site: AdminClient) -> None:
    card = open_subscriptions(signed_in_page)

    walk_to_confirmation(signed_in_page, "Смотрю в другом сервисе").get_by_role("button", name="Отключить").click()

    expect(card.get_by_text("Автопродление отключено")).to_be_visible()
    expect(card.get_by_text(f"Активна до {ru_date(12)}", exact=True)).to_be_visible()
    expect(card.get_by_role("button", name="Возобновить")).to_be_visible()
    expect(card.get_by_text("Следующее списание")).to_have_count(0)
    assert site.account()["subscriptions"][0]["auto_renew"] is False
    events = site.events()
    assert [e["reason"] for e in events if e["type"] == "auto_renew_disabled"] == ["other_service"]
    assert "offer_accepted" not in [e["type"] for e in events]


def test_keeping_subscription_changes_nothing(signed_in_page: Page, site: AdminClient) -> None:
    card = open_subscriptions(signed_in_page)
    before = site.events()

    walk_to_confirmation(signed_in_page).get_by_role("button", name="Оставить подписку").click()

    expect(dialog(signed_in_page, "Вы уверены?")).to_have_count(0)
    expect(card.get_by_text(f"Следующее списание {ru_date(12)}")).to_be_visible()
    expect(card.get_by_role("button", name="Отключить автопродление")).to_be_visible()
    assert site.account()["subscriptions"][0]["auto_renew"] is True
    assert site.events() == before


def test_accepting_offer_records_offer_accepted(signed_in_page: Page, site: AdminClient) -> None:
    card = open_subscriptions(signed_in_page)
    card.get_by_role("button", name="Отключить автопродление").click()

    dialog(signed_in_page, "Подождите! 3 месяца за 1 ₽").get_by_role("button", name="Принять предложение").click()

    expect(card.get_by_text("Акция: 3 месяца за 1 ₽")).to_be_visible()
    subscription = site.account()["subscriptions"][0]
    assert subscription["offer_accepted"] is True
    assert subscription["auto_renew"] is True
    assert site.event_types().count("offer_accepted") == 1
    assert "auto_renew_disabled" not in site.event_types()


@pytest.mark.scenario("clean")
def test_resume_turns_auto_renew_back_on(signed_in_page: Page, site: AdminClient) -> None:
    card = open_subscriptions(signed_in_page)
    # The clean scenario starts with auto-renew already off.
    expect(card.get_by_text("Автопродление отключено", exact=True)).to_be_visible()

    card.get_by_role("button", name="Возобновить").click()

    expect(card.get_by_text(f"Следующее списание {ru_date(12)}")).to_be_visible()
    expect(card.get_by_role("button", name="Отключить автопродление")).to_be_visible()
    assert site.account()["subscriptions"][0]["auto_renew"] is True
    assert "auto_renew_enabled" in site.event_types()


MULTI_PRICES = {"Оптимум": "399 ₽/мес", "Оптимум + Амедиатека": "699 ₽/мес", "Премиум": "599 ₽/мес"}


@pytest.mark.scenario("multi")
def test_multi_subscription_prices(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings/subscriptions")

    expect(signed_in_page.get_by_role("article")).to_have_count(len(MULTI_PRICES))
    for plan, price in MULTI_PRICES.items():
        expect(subscription_card(signed_in_page, plan).get_by_text(price, exact=True)).to_be_visible()


@pytest.mark.scenario("multi")
def test_app_store_subscription_only_tells_where_to_manage(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings/subscriptions")
    premium = subscription_card(signed_in_page, "Премиум")

    expect(premium.get_by_text("Управляйте подпиской в настройках App Store")).to_be_visible()
    expect(premium.get_by_role("button")).to_have_count(0)
    # The card-billed plans on the same page do have the button.
    expect(signed_in_page.get_by_role("button", name="Отключить автопродление")).to_have_count(2)


# ---------------------------------------------------------------------------------- payments


def test_card_tile_shows_card_and_actions(signed_in_page: Page) -> None:
    tile = open_payments(signed_in_page)

    expect(tile.get_by_text("Основная")).to_be_visible()
    expect(tile.get_by_role("button")).to_have_text(["Сменить карту", "Отвязать карту"])


def test_unbind_asks_for_confirmation_and_cancel_keeps_card(signed_in_page: Page, site: AdminClient) -> None:
    tile = open_payments(signed_in_page)

    tile.get_by_role("button", name="Отвязать карту").click()
    confirm = dialog(signed_in_page, "Отвязать карту?")
    expect(confirm.get_by_text("После отвязки автопродление подписок станет невозможным")).to_be_visible()
    expect(confirm.get_by_role("button")).to_have_text(["Отвязать", "Отмена"])
    confirm.get_by_role("button", name="Отмена").click()

    expect(confirm).to_have_count(0)
    expect(tile).to_be_visible()
    assert [c["label"] for c in site.account()["cards"]] == ["Visa •••• 4242"]
    assert "card_unbound" not in site.event_types()


def test_unbinding_card_removes_it(signed_in_page: Page, site: AdminClient) -> None:
    tile = open_payments(signed_in_page)
    tile.get_by_role("button", name="Отвязать карту").click()

    dialog(signed_in_page, "Отвязать карту?").get_by_role("button", name="Отвязать", exact=True).click()

    expect(signed_in_page.get_by_role("status")).to_contain_text("Карта отвязана")
    expect(signed_in_page.get_by_text("Нет привязанных карт")).to_be_visible()
    expect(signed_in_page.get_by_role("button", name="Привязать карту")).to_be_visible()
    expect(tile).to_have_count(0)
    assert site.account()["cards"] == []
    assert site.event_types().count("card_unbound") == 1


def test_payment_history_table(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings/payments")
    table = signed_in_page.get_by_role("region", name="История платежей").get_by_role("table")

    expect(table.get_by_role("columnheader")).to_have_text(["Дата", "Описание", "Сумма", "Статус"])
    rows = table.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.first.get_by_role("cell")).to_have_text(
        [ru_date(-18), "Подписка «Оптимум» · Visa •••• 4242", "399 ₽", "Оплачено"]
    )


@pytest.mark.scenario("clean")
def test_binding_card_shows_new_card(signed_in_page: Page, site: AdminClient) -> None:
    signed_in_page.goto("/settings/payments")
    # The clean scenario starts with no card bound.
    expect(signed_in_page.get_by_text("Нет привязанных карт", exact=True)).to_be_visible()
    signed_in_page.get_by_role("button", name="Привязать карту").click()
    form = dialog(signed_in_page, "Привязать карту")

    form.get_by_label("Номер карты").fill("5555 5555 5555 4444")
    form.get_by_role("button", name="Привязать", exact=True).click()

    tile = signed_in_page.get_by_role("article", name="Mastercard •••• 4444")
    expect(tile).to_be_visible()
    expect(tile.get_by_text("Основная")).to_be_visible()
    expect(signed_in_page.get_by_role("status")).to_contain_text("Карта привязана")
    assert [c["label"] for c in site.account()["cards"]] == ["Mastercard •••• 4444"]
    assert site.event_types().count("card_bound") == 1


# ----------------------------------------------------------------------------------- devices


SEEDED_DEVICES_LAST_SEEN = {"Samsung Smart TV": 1, "iPhone 13": 4, "Chrome, Windows": 9}


def test_device_list_counter_and_last_sign_in(signed_in_page: Page, site: AdminClient) -> None:
    open_devices(signed_in_page)

    # Three seeded devices plus this test's own browser session, which signed in just now.
    devices = site.account()["devices"]
    assert len(devices) == 4
    expect(signed_in_page.get_by_text(f"{len(devices)} из {DEVICE_LIMIT}", exact=True)).to_be_visible()
    rows = {current_device_name(signed_in_page): 0, **SEEDED_DEVICES_LAST_SEEN}  # newest first
    expect(signed_in_page.get_by_role("list").get_by_role("listitem")).to_have_text(
        [re.compile(rf"^{re.escape(name)}Последний вход {ru_date(-days)}") for name, days in rows.items()]
    )


def test_current_device_is_marked_and_cannot_be_signed_out(signed_in_page: Page) -> None:
    open_devices(signed_in_page)
    rows = signed_in_page.get_by_role("listitem")

    current = rows.filter(has_text="Текущее устройство")
    expect(current).to_have_count(1)
    expect(current).to_have_accessible_name(current_device_name(signed_in_page))
    expect(current.get_by_role("button", name="Отключить")).to_have_count(0)
    expect(rows.get_by_role("button", name="Отключить")).to_have_count(3)


def test_signing_out_one_device(signed_in_page: Page, site: AdminClient) -> None:
    open_devices(signed_in_page)

    device_row(signed_in_page, "iPhone 13").get_by_role("button", name="Отключить").click()
    confirm = dialog(signed_in_page, "Отключить устройство?")
    expect(confirm).to_contain_text("iPhone 13")
    confirm.get_by_role("button", name="Отключить").click()

    expect(device_row(signed_in_page, "iPhone 13")).to_have_count(0)
    expect(signed_in_page.get_by_text(f"3 из {DEVICE_LIMIT}", exact=True)).to_be_visible()
    names = [d["name"] for d in site.account()["devices"]]
    assert "iPhone 13" not in names and len(names) == 3
    assert [e["device"] for e in site.events() if e["type"] == "device_signed_out"] == ["iPhone 13"]


def test_signing_out_everywhere_keeps_current_device(signed_in_page: Page, site: AdminClient) -> None:
    open_devices(signed_in_page)

    signed_in_page.get_by_role("button", name="Выйти на всех устройствах").click()
    confirm = dialog(signed_in_page, "Выйти на всех устройствах?")
    confirm.get_by_role("button", name="Выйти").click()

    expect(signed_in_page.get_by_text(f"1 из {DEVICE_LIMIT}", exact=True)).to_be_visible()
    expect(signed_in_page.get_by_role("listitem")).to_have_text([re.compile("Текущее устройство")])
    assert [d["name"] for d in site.account()["devices"]] == [current_device_name(signed_in_page)]
    assert site.event_types().count("device_signed_out") == 3


# ----------------------------------------------------------------------------------- profile


def test_profile_shows_contacts_and_support_phone(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings/profile")

    expect(signed_in_page.get_by_text("demo@okko.test", exact=True)).to_be_visible()
    expect(signed_in_page.get_by_text("+7 999 123-45-67", exact=True)).to_be_visible()
    support = signed_in_page.get_by_role("region", name="Служба поддержки")
    expect(support.get_by_role("link", name="8 800 700 55 33")).to_have_attribute("href", "tel:88007005533")


def test_account_deletion_is_by_email_only(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings/profile")
    deletion = signed_in_page.get_by_role("region", name="Удаление аккаунта")

    expect(deletion.get_by_role("link", name="mail@okko.tv")).to_have_attribute(
        "href", re.compile(r"^mailto:mail@okko\.tv")
    )
    expect(deletion).to_contain_text("двух дней")
    expect(deletion.get_by_role("button")).to_have_count(0)


# ------------------------------------------------------------------------------- page faults


def test_failed_read_shows_error_and_retry_loads(signed_in_page: Page, site: AdminClient) -> None:
    site.set_faults(fail={"path": "/api/v1/cards", "status": 503, "count": 1})
    signed_in_page.goto("/settings/payments")

    error = signed_in_page.get_by_role("alert")
    expect(error).to_contain_text("Не удалось загрузить данные")
    expect(signed_in_page.get_by_role("article", name="Visa •••• 4242")).to_have_count(0)

    error.get_by_role("button", name="Повторить").click()

    expect(signed_in_page.get_by_role("article", name="Visa •••• 4242")).to_be_visible()
    expect(error).to_have_count(0)


def test_failed_unbind_shows_error_and_keeps_card(signed_in_page: Page, site: AdminClient) -> None:
    tile = open_payments(signed_in_page)
    site.set_faults(fail={"path": "/api/v1/cards/", "status": 500, "count": 1})

    tile.get_by_role("button", name="Отвязать карту").click()
    dialog(signed_in_page, "Отвязать карту?").get_by_role("button", name="Отвязать", exact=True).click()

    toasts = signed_in_page.get_by_role("status")
    expect(toasts).to_contain_text("Сервис временно недоступен")
    expect(toasts).not_to_contain_text("Карта отвязана")
    expect(tile).to_be_visible()
    assert len(site.account()["cards"]) == 1
    assert "card_unbound" not in site.event_types()


def test_dropped_unbind_answer_is_ambiguous(signed_in_page: Page, site: AdminClient) -> None:
    tile = open_payments(signed_in_page)
    site.set_faults(drop={"path": "/api/v1/cards/", "count": 1, "after": True})

    tile.get_by_role("button", name="Отвязать карту").click()
    dialog(signed_in_page, "Отвязать карту?").get_by_role("button", name="Отвязать", exact=True).click()

    toasts = signed_in_page.get_by_role("status")
    expect(toasts).to_contain_text("Нет связи с сервером")
    expect(toasts).not_to_contain_text("Карта отвязана")
    # The write went through although the browser never got the answer.
    signed_in_page.reload()
    expect(signed_in_page.get_by_text("Нет привязанных карт")).to_be_visible()
    assert site.account()["cards"] == []
    assert site.event_types().count("card_unbound") == 1
