"""What every page has: the header, the cookie banner and (sometimes) a promo pop-up.

okko.tv's header has «Войти» (`test-id="nav_sign"`) while signed out, and an avatar button whose
menu holds «Перейти в настройки» once signed in; the first design of our mock had a gear link
«Настройки» instead, which stays as an alternative.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automations.locators import Find, LocatorTable

# An overlay's button is there when its handler runs: a click that takes longer is blocked.
HANDLER_CLICK_MS = 5_000

HEADER = LocatorTable("header", {
    "sign_in": Find(test_ids=("nav_sign",), role="link", names=("Войти",)),
    "profile_button": Find(test_ids=("profile_btn",), role="button", names=("Профиль",)),
    "settings_in_menu": Find(role="menuitem", names=("Перейти в настройки",)),
    "settings_link": Find(role="link", names=("Перейти в настройки", "Настройки")),
    "home": Find(role="link", names=("Главная страница",)),
})

OVERLAYS = LocatorTable("overlays", {
    "consent": Find(role="region", names=("Consent",)),
    "accept_cookies": Find(role="button", names=("Принять",)),
    "promo": Find(role="dialog", names=("Новинки недели",)),
    # okko.tv's promo pop-up closes by this test-id (its button may have no name at all).
    "close_promo": Find(test_ids=("banner-pop-up-cancel-action-button",), role="button", names=("Закрыть",)),
})


class Header:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.home = HEADER.locate("home", page)
        self.sign_in = HEADER.locate("sign_in", page)
        self.profile_button = HEADER.locate("profile_button", page)
        self.settings_in_menu = HEADER.locate("settings_in_menu", page)
        self.settings_link = HEADER.locate("settings_link", page)
        # What only a signed-in visitor has: the avatar (okko.tv) or the gear (our first design).
        self.account_control = self.profile_button.or_(self.settings_link)

    def is_signed_in(self) -> bool:
        return not self.sign_in.first.is_visible() and self.account_control.first.is_visible()

    def open_settings(self) -> None:
        """Through the avatar's menu where the site has one, else the settings link."""
        if self.profile_button.first.is_visible():
            self.profile_button.first.click()
            self.settings_in_menu.first.click()
        else:
            self.settings_link.first.click()


class Overlays:
    """Things that cover the page when they like: dismissed wherever and whenever they show."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.consent = OVERLAYS.locate("consent", page)
        self.accept_cookies = OVERLAYS.locate("accept_cookies", self.consent)
        self.promo = OVERLAYS.locate("promo", page)
        close = OVERLAYS.find("close_promo")
        # okko.tv's close button counts wherever it is (its pop-up's name is not known);
        # «Закрыть» only inside the promo, where it cannot close something else.
        self.close_promo = Find(test_ids=close.test_ids)(page).or_(Find(role=close.role, names=close.names)(self.promo))

    def dismiss_automatically(self) -> None:
        """Registers a handler that Playwright runs before any action the overlays would block.
        One handler for both: Playwright looks for every handler's overlay before each action
        and each wait, a round trip to the page apiece (bench/profile_batch.py measures it).
        The banner may lie over the promo's close button, so it goes first."""
        overlays = self.accept_cookies.or_(self.close_promo).filter(visible=True)
        buttons = (self.accept_cookies, self.close_promo)

        def dismiss(_: Locator) -> None:
            for button in buttons:
                try:
                    if button.first.is_visible():
                        button.first.click(timeout=HANDLER_CLICK_MS)
                except PlaywrightTimeoutError:
                    # Gone by itself meanwhile, or covered: Playwright checks again before the
                    # next action, rather than the whole step waiting on this click.
                    return

        # Visible ones only: a hidden close button earlier in the page (a pop-up's template)
        # must not stand for the banner that is shown.
        self.page.add_locator_handler(overlays.first, dismiss)
