"""What every page has: the header, the cookie banner and (sometimes) a promo pop-up."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class Header:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.home = page.get_by_role("link", name="Главная страница")
        self.sign_in = page.get_by_role("link", name="Войти", exact=True)
        self.settings = page.get_by_role("link", name="Настройки", exact=True)

    def open_settings(self) -> None:
        self.settings.click()


class Overlays:
    """Things that cover the page when they like: dismissed wherever and whenever they show."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.consent = page.get_by_role("region", name="Consent")
        self.accept_cookies = self.consent.get_by_role("button", name="Принять")
        self.promo = page.get_by_role("dialog", name="Новинки недели")
        self.close_promo = self.promo.get_by_role("button", name="Закрыть")

    def dismiss_automatically(self) -> None:
        """Registers handlers that Playwright runs before any action the overlays would block."""
        self._handle(self.accept_cookies, self.accept_cookies)
        self._handle(self.promo, self.close_promo)

    def _handle(self, overlay: Locator, button: Locator) -> None:
        self.page.add_locator_handler(overlay, lambda _: button.click())
