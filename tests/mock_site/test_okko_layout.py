"""Browser tests of the `okko` layout's chrome, after the evidence of okko.tv: signed in, an
avatar button «Профиль» with a menu («Перейти в настройки», «Выйти») and no gear link; the
settings' h1 «Настройки» on every tab and the six tabs at their paths; /settings and
/settings/profile leading to «Основные»; the promo pop-up closed by its test-id, a button
with no accessible name.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures import AdminClient
from tests.mock_site.okko_support import header

pytestmark = pytest.mark.variant("okko")

TABS = {
    "Основные": "/settings/general",
    "Оплата услуг": "/settings/payments",
    "Подписки": "/settings/subscriptions",
    "Мои устройства": "/settings/devices",
    "Предзаказы": "/settings/preorders",
    "Защита детей": "/settings/protection",
}
PROMO_CLOSE = '[test-id="banner-pop-up-cancel-action-button"]'


def profile_button(page: Page) -> Locator:
    return header(page).get_by_role("button", name="Профиль")


def profile_menu(page: Page) -> Locator:
    return page.get_by_role("menu", name="Профиль")


def settings_tabs(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Настройки")


# --------------------------------------------------------------------------- header


def test_signed_in_header_has_the_avatar_button_and_no_gear_link(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/")
    button = profile_button(page)
    expect(button).to_have_attribute("test-id", "profile_btn")
    expect(button).to_have_attribute("aria-haspopup", "menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_text("D")  # the e-mail's first letter (hidden from the accessible name)
    expect(header(page).get_by_role("link", name="Настройки")).to_have_count(0)
    expect(header(page).get_by_role("link", name="Войти")).to_have_count(0)
    expect(profile_menu(page)).to_be_hidden()
    expect(header(page).get_by_role("link", name="Главная страница")).to_be_visible()
    expect(header(page).get_by_role("link", name="Месяц за 1 ₽")).to_be_visible()


def test_the_avatar_menu_leads_to_the_settings(site: AdminClient, okko_page: Page, base_url: str) -> None:
    page = okko_page
    page.goto("/")
    profile_button(page).click()
    expect(profile_button(page)).to_have_attribute("aria-expanded", "true")
    items = profile_menu(page).get_by_role("menuitem")
    expect(items).to_have_text(["Перейти в настройки", "Выйти"])

    profile_menu(page).get_by_role("menuitem", name="Перейти в настройки").click()
    expect(page).to_have_url(f"{base_url}/settings/general")
    expect(page.get_by_role("heading", name="Настройки", level=1)).to_be_visible()


def test_escape_and_a_click_elsewhere_close_the_menu(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    page.goto("/")
    profile_button(page).click()
    expect(profile_menu(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(profile_menu(page)).to_be_hidden()
    expect(profile_button(page)).to_have_attribute("aria-expanded", "false")
    profile_button(page).click()
    expect(profile_menu(page)).to_be_visible()
    page.get_by_role("main").click(position={"x": 5, "y": 5})
    expect(profile_menu(page)).to_be_hidden()


def test_signing_out_from_the_avatar_menu(site: AdminClient, okko_page: Page, base_url: str) -> None:
    page = okko_page
    page.goto("/settings/devices")
    expect(settings_tabs(page).get_by_role("button", name="Выйти")).to_have_count(0)  # not among the tabs
    assert site.account()["sessions"] == 1
    profile_button(page).click()
    with page.expect_request(lambda r: r.url.endswith("/logout")) as logout:
        profile_menu(page).get_by_role("menuitem", name="Выйти").click()
    assert logout.value.method == "POST"
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator('[test-id="nav_sign"]')).to_have_text("Войти")
    expect(profile_button(page)).to_have_count(0)
    assert site.account()["sessions"] == 0


# ------------------------------------------------------------------------- settings


def test_every_tab_has_the_same_h1_and_the_six_tabs(site: AdminClient, okko_page: Page, base_url: str) -> None:
    page = okko_page
    for name, path in TABS.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Настройки")
        links = settings_tabs(page).get_by_role("link")
        expect(links).to_have_text(list(TABS))
        for tab, href in TABS.items():
            expect(settings_tabs(page).get_by_role("link", name=tab, exact=True)).to_have_attribute("href", href)
        expect(settings_tabs(page).locator('[aria-current="page"]')).to_have_text(name)
        main = page.get_by_role("main")
        expect(main.get_by_role("progressbar", name="Загрузка")).to_have_count(0)  # the section has loaded
        expect(main.locator("#section-root")).not_to_be_empty()


def test_tabs_move_between_sections(site: AdminClient, okko_page: Page, base_url: str) -> None:
    page = okko_page
    page.goto("/settings/general")
    settings_tabs(page).get_by_role("link", name="Мои устройства").click()
    expect(page).to_have_url(f"{base_url}/settings/devices")
    expect(page.get_by_text(re.compile(r"^\d из 5$"))).to_be_visible()
    settings_tabs(page).get_by_role("link", name="Оплата услуг").click()
    expect(page).to_have_url(f"{base_url}/settings/payments")
    expect(page.get_by_role("heading", name="Мои банковские карты")).to_be_visible()


@pytest.mark.parametrize("path", ["/settings", "/settings/profile"])
def test_old_front_doors_lead_to_general(site: AdminClient, okko_page: Page, base_url: str, path: str) -> None:
    page = okko_page
    page.goto(path)
    expect(page).to_have_url(f"{base_url}/settings/general")
    expect(page.get_by_role("heading", name="Контакты")).to_be_visible()


def test_settings_need_a_session(site: AdminClient, consented_page: Page, base_url: str) -> None:
    page = consented_page
    page.goto("/settings/payments")
    expect(page).to_have_url(re.compile(re.escape(f"{base_url}/login?next=") + r"(/|%2F)settings(/|%2F)payments$"))


# --------------------------------------------------------------------------- promo


def test_promo_closes_by_its_test_id_only(site: AdminClient, okko_page: Page) -> None:
    page = okko_page
    site.set_faults(promo_popup=True)
    page.goto("/settings/general")
    promo = page.get_by_role("dialog", name="Новинки недели")
    expect(promo).to_be_visible()
    close = promo.locator(PROMO_CLOSE)
    expect(close).to_have_accessible_name("")  # an icon only: nothing to find it by but its test-id
    expect(close).to_have_attribute("type", "button")
    expect(promo.get_by_role("button", name=re.compile("Закрыть|✕"))).to_have_count(0)

    close.click()
    expect(promo).to_be_hidden()
    expect(page.get_by_role("heading", name="Контакты")).to_be_visible()
