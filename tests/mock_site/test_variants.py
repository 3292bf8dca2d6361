"""Browser tests of the mock OKKO site's layout variants.

- `redesign`: the settings menu sits on top but keeps its name and links; a card's actions
  hide behind a «⋯» button named «Ещё»; the DOM (element types, class names, order)
  differs from `classic`, yet unbinding the card, the auto-renew cancel path and device
  sign-out work through the same accessible names. Layout checks run on both `classic` and
  `redesign`, so `classic` is the control; the classic versions of the flows themselves are
  in test_settings_pages.py.
- `breaking`: «Оплата услуг» is gone from the menu, /settings/payments answers 404, the
  section lives unlinked at /account/billing, and the other sections keep working.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures import AdminClient

# This module describes the classic layout (and, where marked, redesign and breaking): it is
# pinned to it, whatever the site's default layout is. The okko layout has its own modules.
pytestmark = pytest.mark.variant("classic")


def on(layout: str, *values: object) -> Any:
    """A parameter set that starts the site in `layout` (classic is the site's default)."""
    marks = [] if layout == "classic" else [pytest.mark.variant(layout)]
    return pytest.param(layout, *values, marks=marks, id=layout)


# The element roles each layout builds its subscription and card tiles from.
CARD_ROLE: dict[str, Any] = {"classic": "article", "redesign": "listitem", "breaking": "article"}
ALL_SECTIONS = ["Профиль", "Подписки", "Оплата услуг", "Устройства"]


def settings_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Настройки")


def dialog(page: Page, name: str) -> Locator:
    return page.get_by_role("dialog", name=name)


def card(page: Page, layout: str, name: str) -> Locator:
    return page.get_by_role(CARD_ROLE[layout], name=name, exact=True)


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return dict(found)


# ------------------------------------------------------------------------------------- layout


@pytest.mark.parametrize(
    ("layout", "links"),
    [on("classic", ALL_SECTIONS), on("redesign", ALL_SECTIONS), on("breaking", ["Профиль", "Подписки", "Устройства"])],
)
def test_settings_menu_links(signed_in_page: Page, layout: str, links: list[str]) -> None:
    signed_in_page.goto("/settings/profile")

    expect(settings_menu(signed_in_page).get_by_role("link")).to_have_text(links)
    expect(signed_in_page.get_by_role("button", name="Выйти", exact=True)).to_be_visible()


@pytest.mark.parametrize(
    ("layout", "menu_on_top", "own_class", "other_class"),
    [on("classic", False, "pay-card", "wallet-item"), on("redesign", True, "wallet-item", "pay-card")],
)
def test_layouts_differ_in_structure(
    signed_in_page: Page, layout: str, menu_on_top: bool, own_class: str, other_class: str
) -> None:
    signed_in_page.goto("/settings/payments")
    history = signed_in_page.get_by_role("region", name="История платежей")
    cards = signed_in_page.get_by_role("region", name="Способы оплаты")
    expect(card(signed_in_page, layout, "Visa •••• 4242")).to_be_visible()

    # Position: a side menu in classic, a tab bar above the content in the redesign.
    menu, content = box(settings_menu(signed_in_page)), box(cards)
    assert (menu["y"] + menu["height"] <= content["y"]) is menu_on_top
    assert (menu["x"] + menu["width"] <= content["x"]) is not menu_on_top
    # Order: the redesign puts the payment history before the cards.
    assert (box(history)["y"] < box(cards)["y"]) is menu_on_top
    # Class names: exactly what a brittle, selector-based flow would depend on.
    expect(signed_in_page.locator(f".{own_class}")).to_have_count(1)
    expect(signed_in_page.locator(f".{other_class}")).to_have_count(0)


# ---------------------------------------------------------------------------- redesign flows


@pytest.mark.variant("redesign")
def test_redesign_hides_card_actions_behind_more_button(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings/payments")
    tile = card(signed_in_page, "redesign", "Visa •••• 4242")
    more = tile.get_by_role("button", name="Ещё")
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(tile.get_by_role("button", name="Отвязать карту")).to_be_hidden()

    more.click()

    expect(more).to_have_attribute("aria-expanded", "true")
    expect(tile.get_by_role("button", name="Отвязать карту")).to_be_visible()
    expect(tile.get_by_role("button", name="Сменить карту")).to_be_visible()


@pytest.mark.variant("redesign")
def test_redesign_unbinding_card_works(signed_in_page: Page, site: AdminClient) -> None:
    signed_in_page.goto("/settings/payments")
    tile = card(signed_in_page, "redesign", "Visa •••• 4242")

    tile.get_by_role("button", name="Ещё").click()
    tile.get_by_role("button", name="Отвязать карту").click()
    dialog(signed_in_page, "Отвязать карту?").get_by_role("button", name="Отвязать", exact=True).click()

    expect(signed_in_page.get_by_role("status")).to_contain_text("Карта отвязана")
    expect(signed_in_page.get_by_text("Нет привязанных карт")).to_be_visible()
    assert site.account()["cards"] == []
    assert site.event_types().count("card_unbound") == 1


@pytest.mark.variant("redesign")
def test_redesign_disabling_auto_renew_works(signed_in_page: Page, site: AdminClient) -> None:
    signed_in_page.goto("/settings/subscriptions")
    plan = card(signed_in_page, "redesign", "Оптимум")

    plan.get_by_role("button", name="Ещё").click()
    plan.get_by_role("button", name="Отключить автопродление").click()
    dialog(signed_in_page, "Подождите! 3 месяца за 1 ₽").get_by_role("button", name="Всё равно отключить").click()
    survey = dialog(signed_in_page, "Почему вы отключаете автопродление?")
    survey.get_by_role("radio", name="Нечего смотреть").check()
    survey.get_by_role("button", name="Продолжить").click()
    dialog(signed_in_page, "Вы уверены?").get_by_role("button", name="Отключить").click()

    expect(plan.get_by_text("Автопродление отключено")).to_be_visible()
    assert site.account()["subscriptions"][0]["auto_renew"] is False
    assert [(e["type"], e.get("reason")) for e in site.events() if e["type"].startswith(("auto_renew", "offer"))] == [
        ("auto_renew_disabled", "nothing_to_watch")
    ]


@pytest.mark.variant("redesign")
def test_redesign_device_sign_out_works(signed_in_page: Page, site: AdminClient) -> None:
    signed_in_page.goto("/settings/devices")
    row = signed_in_page.get_by_role("row", name="Samsung Smart TV")

    row.get_by_role("button", name="Отключить").click()
    dialog(signed_in_page, "Отключить устройство?").get_by_role("button", name="Отключить").click()

    expect(row).to_have_count(0)
    expect(signed_in_page.get_by_text("3 из 5", exact=True)).to_be_visible()
    assert "Samsung Smart TV" not in [d["name"] for d in site.account()["devices"]]
    assert [e["device"] for e in site.events() if e["type"] == "device_signed_out"] == ["Samsung Smart TV"]


# ----------------------------------------------------------------------------------- breaking


@pytest.mark.variant("breaking")
def test_breaking_settings_payments_is_gone(signed_in_page: Page) -> None:
    response = signed_in_page.goto("/settings/payments")

    assert response is not None and response.status == 404
    expect(signed_in_page.get_by_role("heading", name="Страница не найдена")).to_be_visible()


@pytest.mark.variant("breaking")
def test_breaking_payments_moved_to_unlinked_account_billing(signed_in_page: Page) -> None:
    response = signed_in_page.goto("/account/billing")

    assert response is not None and response.status == 200
    tile = card(signed_in_page, "breaking", "Visa •••• 4242")
    expect(tile.get_by_role("button", name="Отвязать карту")).to_be_visible()
    expect(signed_in_page.get_by_role("link", name="Оплата услуг")).to_have_count(0)
    expect(signed_in_page.locator('a[href="/account/billing"]')).to_have_count(0)


def test_account_billing_exists_only_in_breaking(signed_in_page: Page, site: AdminClient) -> None:
    response = signed_in_page.goto("/account/billing")

    assert response is not None and response.status == 404


BREAKING_SECTIONS = {"Профиль": "demo@okko.test", "Подписки": "399 ₽/мес", "Устройства": "4 из 5"}


@pytest.mark.variant("breaking")
def test_breaking_other_sections_still_work(signed_in_page: Page) -> None:
    signed_in_page.goto("/settings")

    for section, content in BREAKING_SECTIONS.items():
        settings_menu(signed_in_page).get_by_role("link", name=section).click()
        expect(signed_in_page.get_by_role("heading", name=section, level=1)).to_be_visible()
        expect(signed_in_page.get_by_text(content, exact=True)).to_be_visible()
    expect(signed_in_page).to_have_url(re.compile(r"/settings/devices$"))
