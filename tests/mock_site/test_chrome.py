"""Browser tests of what surrounds every page of the mock OKKO site: the header (logo, catalogue
links, «Месяц за 1 ₽», «Войти» or the «Настройки» gear, `<html lang="ru">`), the cookie
banner (shown until «Принять», covering the bottom of the viewport and swallowing clicks
there), and the `promo_popup` fault («Новинки недели»).

Every test drives a real browser against the real mock server and checks what a person sees.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures import AdminClient

# This module describes the classic layout (and, where marked, redesign and breaking): it is
# pinned to it, whatever the site's default layout is. The okko layout has its own modules.
pytestmark = pytest.mark.variant("classic")

CATALOG_LINKS = ["Фильмы", "Сериалы", "Спорт", "ТВ-каналы"]
PUBLIC_PAGES = ["/", "/movies", "/login", "/no-such-page"]
REDESIGN = pytest.mark.variant("redesign")


def header(page: Page) -> Locator:
    return page.get_by_role("banner")


def consent_banner(page: Page) -> Locator:
    return page.get_by_role("region", name="Consent")


# ------------------------------------------------------------------------- header


@pytest.mark.parametrize(
    "path", [*PUBLIC_PAGES, pytest.param("/", marks=REDESIGN, id="redesign-/"),
             pytest.param("/login", marks=REDESIGN, id="redesign-/login")]
)
def test_header_on_every_page_when_signed_out(site: AdminClient, consented_page: Page, path: str) -> None:
    page = consented_page
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    bar = header(page)
    logo = bar.get_by_role("link", name="Главная страница", exact=True)
    expect(logo).to_have_attribute("href", "/")
    for name in [*CATALOG_LINKS, "Месяц за 1 ₽"]:
        expect(bar.get_by_role("link", name=name, exact=True)).to_be_visible()
    sign_in = bar.get_by_role("link", name="Войти", exact=True)
    expect(sign_in).to_be_visible()
    expect(sign_in).to_have_attribute("test-id", "nav_sign")
    expect(sign_in).to_have_attribute("href", "/login")
    expect(bar.get_by_role("link", name="Настройки")).to_have_count(0)


@pytest.mark.parametrize(
    "path", ["/", "/settings/profile", "/no-such-page",
             pytest.param("/settings/devices", marks=REDESIGN, id="redesign-/settings/devices")]
)
def test_header_shows_settings_gear_when_signed_in(site: AdminClient, signed_in_page: Page, path: str) -> None:
    page = signed_in_page
    page.goto(path)
    bar = header(page)
    expect(bar.get_by_role("link", name="Настройки", exact=True)).to_have_attribute("href", "/settings")
    expect(bar.get_by_role("link", name="Войти")).to_have_count(0)
    expect(bar.locator('[test-id="nav_sign"]')).to_have_count(0)


# ------------------------------------------------------------------ cookie banner
# These use the plain `page` fixture: no consent cookie, so the banner is there.


def test_consent_banner_is_shown_on_every_page_until_accepted(site: AdminClient, page: Page) -> None:
    for path in ["/", "/login"]:
        page.goto(path)
        banner = consent_banner(page)
        expect(banner).to_be_visible()
        expect(banner.get_by_role("button", name="Принять")).to_be_visible()


def test_accepting_consent_hides_banner_for_good(site: AdminClient, page: Page) -> None:
    page.goto("/")
    consent_banner(page).get_by_role("button", name="Принять").click()
    expect(consent_banner(page)).to_have_count(0)
    page.reload()
    expect(header(page).get_by_role("link", name="Главная страница")).to_be_visible()
    expect(consent_banner(page)).to_have_count(0)
    page.goto("/movies")
    expect(page.get_by_role("heading", name="Фильмы")).to_be_visible()
    expect(consent_banner(page)).to_have_count(0)
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", name="Страница не найдена")).to_be_visible()
    expect(consent_banner(page)).to_have_count(0)


def test_consent_banner_covers_bottom_of_viewport(site: AdminClient, page: Page) -> None:
    page.goto("/")
    box = consent_banner(page).bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] == 0 and box["width"] == viewport["width"]
    assert box["y"] + box["height"] == pytest.approx(viewport["height"], abs=1)
    assert box["height"] >= 100, "the bottom sheet should be tall enough to hide controls"
    # Still there, in the same place, once the page is scrolled.
    page.mouse.wheel(0, 600)
    expect(consent_banner(page)).to_be_in_viewport()
    assert consent_banner(page).bounding_box() == box


def test_consent_banner_intercepts_clicks_until_accepted(site: AdminClient, page: Page) -> None:
    # Design: put a real control under the banner, then click where a person would.
    # - A short window (1280×440, a laptop with toolbars) and scrolling the login field to
    #   the bottom edge put «Электронная почта или телефон» under the 180 px bottom sheet.
    # - Premise, by hit-testing rather than by pixels: `document.elementFromPoint` at the
    #   field's centre is inside the banner. This also catches a banner that lets clicks
    #   through (pointer-events: none) and fails loudly if the layout moves the field.
    # - The effect is decided without timing: a click on a text field focuses it at once,
    #   and typed characters land in the focused element. So after page.mouse.click (which,
    #   unlike locator.click, does not wait for the control to become clickable) the field
    #   must be unfocused and empty after typing; after «Принять» the very same click at the
    #   very same point focuses it and the typing arrives, proving the point was the field's.
    page.set_viewport_size({"width": 1280, "height": 440})
    page.goto("/login")
    field = page.get_by_label("Электронная почта или телефон")
    field.evaluate("e => e.scrollIntoView({block: 'end'})")
    box = field.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    in_banner = "([x, y]) => !!document.elementFromPoint(x, y)?.closest('[aria-label=\"Consent\"]')"
    assert page.evaluate(in_banner, [x, y]), "the field should sit under the banner"

    page.mouse.click(x, y)
    page.keyboard.type("demo@okko.test")
    expect(field).not_to_be_focused()
    expect(field).to_have_value("")
    expect(consent_banner(page)).to_be_visible()

    consent_banner(page).get_by_role("button", name="Принять").click()
    expect(consent_banner(page)).to_have_count(0)
    page.mouse.click(x, y)
    page.keyboard.type("demo@okko.test")
    expect(field).to_be_focused()
    expect(field).to_have_value("demo@okko.test")


# ------------------------------------------------------------------- promo pop-up
# The pop-up is scheduled a moment after load. Playwright's fake clock makes "a moment
# later" explicit: run_for() fires every timer due in that span, so "it appears" and "it
# never appears" are both decided without waiting on the wall clock.

PROMO_DELAY_MS = 5_000  # far longer than any "moment after load"


def promo_dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Новинки недели")


def test_promo_popup_appears_after_load_and_closes(site: AdminClient, signed_in_page: Page) -> None:
    page = signed_in_page
    site.set_faults(promo_popup=True)
    page.clock.install()
    page.goto("/settings/subscriptions")
    expect(page.get_by_role("heading", name="Оптимум").first).to_be_visible()  # section rendered
    expect(promo_dialog(page)).to_have_count(0)  # not yet: it comes after load
    page.clock.run_for(PROMO_DELAY_MS)
    dialog = promo_dialog(page)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Закрыть").click()
    expect(promo_dialog(page)).to_have_count(0)


def test_no_promo_popup_without_the_fault(site: AdminClient, signed_in_page: Page) -> None:
    page = signed_in_page
    page.clock.install()
    page.goto("/settings/subscriptions")
    expect(page.get_by_role("heading", name="Оптимум").first).to_be_visible()  # section rendered
    page.clock.run_for(PROMO_DELAY_MS)
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert "Новинки недели" not in page.content()
