"""Browser tests of the `okko` layout's settings sections, after the evidence of okko.tv:
«Основные» (contacts, other ways to log in), «Оплата услуг» (account, card tiles with
«Отвязать» and its dialog, «Добавить карту», the history with «13 декабря 2026»), card masks,
«Подписки» («Активна», «Отключить автопродление», the cancel path, dates without a year),
«Мои устройства» (the texts, «N из 5», «13 января · Смартфон», «Отвязать» on every row,
unlinking another device and the current one), «Предзаказы», «Защита детей».
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures import AdminClient
from tests.mock_site.okko_support import day_month, day_month_year

pytestmark = pytest.mark.variant("okko")

YEAR = re.compile(r"\b20\d\d\b")


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def dialog(page: Page, name: str) -> Locator:
    return page.get_by_role("dialog", name=name)


def device_row(page: Page, name: str) -> Locator:
    return main(page).get_by_role("listitem", name=name, exact=True)


# ----------------------------------------------------------------------- «Основные»


def test_general_shows_contacts_and_other_ways_to_log_in(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/general")
    contacts = main(page).get_by_role("region", name="Контакты")
    expect(contacts.get_by_label("Электронная почта")).to_have_value("demo@okko.test")
    expect(contacts.get_by_label("Телефон")).to_have_value("+7 999 123-45-67")
    contacts.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Сохранено")
    others = main(page).get_by_role("region", name="Другие варианты входа")
    expect(others.get_by_role("listitem")).to_have_text(["Сбер ID", "VK ID", "Яндекс ID"])


# ------------------------------------------------------------------- «Оплата услуг»


def test_payments_shows_the_account_cards_and_history(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/payments")
    account = main(page).get_by_role("region", name="Информация о счёте")
    expect(account).to_contain_text("Номер счёта")
    expect(account.get_by_role("definition").first).to_have_text(re.compile(r"^\d{7}$"))
    expect(account).to_contain_text(re.compile(r"Баланс\s*0 руб"))

    cards = main(page).get_by_role("region", name="Мои банковские карты")
    tile = cards.get_by_role("article", name="Visa •••• 4242", exact=True)
    expect(tile).to_contain_text("Основная")
    expect(tile.get_by_role("button")).to_have_text(["Отвязать"])  # exactly «Отвязать», nothing else
    expect(cards.get_by_role("button", name="Добавить карту")).to_be_visible()

    history = main(page).get_by_role("region", name="История платежей")
    expect(history.get_by_role("columnheader")).to_have_text(["Дата", "Описание", "Сумма", "Статус"])
    paid = [p["date"] for p in site.account()["payments"]]
    expect(history.get_by_role("row").nth(1).get_by_role("cell").first).to_have_text(day_month_year(paid[0]))
    expect(history.get_by_role("row")).to_have_count(1 + len(paid))


def test_unbinding_a_card_asks_first_then_says_so(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/payments")
    tile = main(page).get_by_role("article", name="Visa •••• 4242", exact=True)
    tile.get_by_role("button", name="Отвязать", exact=True).click()
    confirm = dialog(page, "Отвязать карту?")
    expect(confirm).to_contain_text("После отвязки автопродление подписок станет невозможным")
    expect(confirm.get_by_role("button")).to_have_text(["Отвязать", "Отмена"])

    confirm.get_by_role("button", name="Отмена").click()
    expect(confirm).to_be_hidden()
    assert [c["label"] for c in site.account()["cards"]] == ["Visa •••• 4242"]

    tile.get_by_role("button", name="Отвязать", exact=True).click()
    dialog(page, "Отвязать карту?").get_by_role("button", name="Отвязать").click()
    expect(page.get_by_role("status")).to_contain_text("Карта отвязана")
    expect(main(page).get_by_text("Нет привязанных карт")).to_be_visible()
    expect(main(page).get_by_role("button", name="Добавить карту")).to_be_visible()
    assert site.account()["cards"] == []
    assert [e["card"] for e in site.events() if e["type"] == "card_unbound"] == ["Visa •••• 4242"]


@pytest.mark.scenario("masks")
@pytest.mark.parametrize("okko_login", ["masks@okko.test"])
def test_cards_are_labelled_with_their_own_masks(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/payments")
    labels = ["Visa •••• 4242", "Mastercard •• 5454", "МИР **** 2202", "Visa *1111"]
    cards = main(page).get_by_role("region", name="Мои банковские карты")
    expect(cards.get_by_role("article")).to_have_count(4)
    for label in labels:
        expect(cards.get_by_role("article", name=label, exact=True).get_by_role("button", name="Отвязать")).to_be_visible()
    assert [c["label"] for c in site.account("masks@okko.test")["cards"]] == labels

    page.goto("/settings/subscriptions")
    expect(main(page).get_by_role("article", name="Оптимум")).to_contain_text("Visa •••• 4242")


# ----------------------------------------------------------------------- «Подписки»


def test_subscription_is_active_and_cancels_with_dates_without_a_year(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/subscriptions")
    [sub] = site.account()["subscriptions"]
    card = main(page).get_by_role("article", name="Оптимум")
    expect(card).to_contain_text("Активна")
    expect(card).to_contain_text(f"Следующее списание {day_month(sub['next_charge'])}")
    expect(card).not_to_contain_text(YEAR)

    card.get_by_role("button", name="Отключить автопродление").click()
    dialog(page, "Подождите! 3 месяца за 1 ₽").get_by_role("button", name="Всё равно отключить").click()
    survey = dialog(page, "Почему вы отключаете автопродление?")
    survey.get_by_label("Дорого").check()
    survey.get_by_role("button", name="Продолжить").click()
    dialog(page, "Вы уверены?").get_by_role("button", name="Отключить").click()

    expect(card).to_contain_text("Автопродление отключено")
    expect(card).to_contain_text(f"Активна до {day_month(sub['active_until'])}")
    expect(card.get_by_role("button", name="Возобновить")).to_be_visible()
    [after] = site.account()["subscriptions"]
    assert (after["auto_renew"], after["offer_accepted"]) == (False, False)


# ----------------------------------------------------------------- «Мои устройства»


def test_devices_show_the_limit_kinds_and_unlink_on_every_row(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/devices")
    devices = site.account()["devices"]
    expect(main(page)).to_contain_text("К учётной записи в Okko можно подключить до пяти устройств.")
    expect(main(page).get_by_role("button", name="Подключить")).to_be_visible()
    expect(main(page).get_by_text("Смотреть Okko можно только на пяти устройствах")).to_be_visible()
    expect(main(page).get_by_text(f"{len(devices)} из 5", exact=True)).to_be_visible()
    expect(main(page).get_by_role("listitem")).to_have_count(len(devices))
    expect(main(page).get_by_role("button", name="Отвязать")).to_have_count(len(devices))
    expect(main(page).get_by_role("button", name="Выйти на всех устройствах")).to_have_count(0)

    expect(device_row(page, "Chrome, Linux")).to_contain_text("Текущее устройство")
    seen = {d["name"]: d["last_seen"] for d in devices}
    for name, kind in [("Samsung Smart TV", "Телевизор"), ("iPhone 13", "Смартфон"), ("Chrome, Windows", "Компьютер")]:
        row = device_row(page, name)
        expect(row).to_contain_text(f"{day_month(seen[name])} · {kind}")
        expect(row).not_to_contain_text(YEAR)
        expect(row).not_to_contain_text("Текущее устройство")
        expect(row.get_by_role("button", name="Отвязать")).to_be_visible()
    expect(device_row(page, "Chrome, Linux").get_by_role("button", name="Отвязать")).to_be_visible()


def test_unlinking_another_device(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/devices")
    device_row(page, "Samsung Smart TV").get_by_role("button", name="Отвязать").click()
    confirm = dialog(page, "Отвязать устройство?")
    expect(confirm.get_by_role("button")).to_have_text(["Отвязать", "Отмена"])
    confirm.get_by_role("button", name="Отвязать").click()
    expect(device_row(page, "Samsung Smart TV")).to_have_count(0)
    expect(main(page).get_by_text("3 из 5", exact=True)).to_be_visible()
    assert "Samsung Smart TV" not in [d["name"] for d in site.account()["devices"]]
    assert site.account()["sessions"] == 1  # still signed in here


def test_unlinking_the_current_device_ends_the_session(site: AdminClient, okko_page: Page, base_url: str) -> None:
    page = okko_page
    page.goto("/settings/devices")
    device_row(page, "Chrome, Linux").get_by_role("button", name="Отвязать").click()
    dialog(page, "Отвязать устройство?").get_by_role("button", name="Отвязать").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}/login?next=") + r"(/|%2F)settings(/|%2F)devices$"))
    expect(page.locator('[test-id="sign_input"]')).to_be_visible()
    assert site.account()["sessions"] == 0
    assert [e["device"] for e in site.events() if e["type"] == "device_signed_out"] == ["Chrome, Linux"]


@pytest.mark.scenario("twins")
def test_twins_have_a_second_device_with_the_current_ones_name(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/devices")
    twins = device_row(page, "Chrome, Linux")
    expect(twins).to_have_count(2)
    [other] = [d for d in site.account()["devices"] if d["name"] == "Chrome, Linux" and d["kind"] == "Компьютер"
               and d["last_seen"] != date.today().isoformat()]
    expect(twins.filter(has_text="Текущее устройство")).to_have_count(1)
    expect(twins.filter(has_text=f"{day_month(other['last_seen'])} · Компьютер")).to_have_count(1)
    expect(main(page).get_by_text("5 из 5", exact=True)).to_be_visible()


# ------------------------------------------------------------ «Предзаказы», «Защита детей»


def test_preorders_and_child_protection(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/settings/preorders")
    expect(main(page).get_by_text("Предзаказов пока нет")).to_be_visible()
    page.goto("/settings/protection")
    expect(main(page).get_by_role("heading", name="Детский профиль", level=2)).to_be_visible()
    expect(main(page)).to_contain_text("PIN-код")

