"""/settings and what its sections share: the tabs, the wait for client rendering, reloads.

okko.tv (a copy of the site, ~2025-01) shows the h1 «Настройки» on every tab and the tabs
«Основные», «Оплата услуг», «Подписки», «Мои устройства», «Предзаказы», «Защита детей» at
/settings/general, /settings/payments, … A section counts as loaded when its tab is the
current one and its content has rendered (the loading skeleton is gone), never by an h1
named after it: our first design's side menu («Профиль», «Устройства») stays as alternatives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from automations.errors import SessionExpired
from automations.locators import Find, LocatorTable, Name

SETTINGS = LocatorTable("settings", {
    "nav": Find(role="navigation", names=("Настройки",)),
    "skeleton": Find(role="progressbar", names=("Загрузка",)),
    "load_error": Find(role="alert"),
    "error_page": Find(role="heading", level=1,
                       names=(re.compile(r"временно недоступен|Слишком много запросов|пошло не так", re.IGNORECASE),)),
    "login_heading": Find(role="heading", names=("Войдите или зарегистрируйтесь",)),
    "retry_button": Find(role="button", names=("Повторить",)),
    "more_button": Find(role="button", names=("Ещё",)),
    "toast": Find(role="status"),
})
LOAD_ERROR_TEXT = "Не удалось загрузить данные"
# How often a reload may be overtaken by the site's own redirect before it counts as an error.
REDIRECT_RACE_ATTEMPTS = 6
# How Playwright says that a reload lost that race.
OVERTAKEN = ("ERR_ABORTED", "interrupted by another navigation", "Not attached to an active page")
# The ARIA states that mark the current tab or menu entry.
CURRENT = '[aria-current="page"], [aria-current="true"], [aria-selected="true"]'


class SettingsMenu:
    """The settings navigation: tabs on top (okko.tv, our redesign) or a side menu."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.nav = SETTINGS.locate("nav", page)

    def link(self, titles: tuple[Name, ...]) -> Locator:
        return Find(role="link", names=titles)(self.nav).or_(Find(role="tab", names=titles)(self.nav))

    def current(self, titles: tuple[Name, ...]) -> Locator:
        return self.link(titles).and_(self.page.locator(CURRENT))

    def open(self, titles: tuple[Name, ...]) -> None:
        self.link(titles).first.click()


class SettingsSection:
    """What every section shares: its tab's names, path, and the wait for client rendering."""

    TITLES: tuple[Name, ...] = ()
    PATH = ""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.menu = SettingsMenu(page)
        self.tab = self.menu.current(self.TITLES)
        self.skeleton = SETTINGS.locate("skeleton", page)
        self.load_error = SETTINGS.locate("load_error", page).filter(has_text=LOAD_ERROR_TEXT)
        # What shows instead of the section: the site's error page, or the login page
        # when the session has ended.
        self.error_page = SETTINGS.locate("error_page", page)
        self.login_heading = SETTINGS.locate("login_heading", page)
        self.retry_button = SETTINGS.locate("retry_button", page)
        self.toasts = SETTINGS.locate("toast", page).filter(has_text=re.compile(r"\S"))
        self.main = page.get_by_role("main")

    @property
    def title(self) -> str:
        """The tab's name as okko.tv spells it, for messages."""
        first = self.TITLES[0]
        return first if isinstance(first, str) else first.pattern

    def open(self) -> None:
        """Goes to the section directly (the flows use the menu, like a person)."""
        self.page.goto(self.PATH)
        self.wait_loaded()

    def is_shown(self) -> bool:
        return self.tab.first.is_visible()

    def open_from_menu_unless_shown(self) -> None:
        """For a flow's first step: when the run started on this section, its page was just
        loaded, so only its data is waited for; anywhere else, the section opens from the menu.
        (Later steps open from the menu always: a section shown since a change is stale.)"""
        if self.is_shown():
            self.wait_loaded()
        else:
            self.open_from_menu()

    def open_from_menu(self) -> None:
        # Wait for the click's navigation to load: until then the page being left (the same
        # section on a second run, or a new document still parsing, before its skeleton
        # exists) can pass for a loaded section and be read as empty.
        with self.page.expect_navigation():
            self.menu.open(self.TITLES)
        self.wait_loaded()

    def reload(self) -> None:
        for attempt in range(REDIRECT_RACE_ATTEMPTS):
            try:
                if attempt == 0:
                    self.page.reload()
                else:
                    # Our own navigation to where the page is now wins over the site's.
                    self.page.goto(self.page.url)
                break
            except PlaywrightError as error:
                # The site navigated away by itself (to /login, when the session ended), which
                # aborts a reload, or left the page the reload was sent to ("not attached");
                # waiting for "load" could still see the old document.
                overtaken = any(sign in str(error) for sign in OVERTAKEN)
                if not overtaken or attempt == REDIRECT_RACE_ATTEMPTS - 1:
                    raise
                if urlsplit(self.page.url).path.startswith("/login"):
                    # Overtaken by the site's own way to its login page (the session ended):
                    # that page is the answer, and loading it again only races the site.
                    break
        self.wait_loaded()

    def wait_loaded(self) -> None:
        """Waits for the section's data, an error in its place, or the login page (which
        raises SessionExpired); `load_failure()` then says whether the data came."""
        self.tab.or_(self.error_page).or_(self.login_heading).first.wait_for()
        # One look for either (most loads show neither), then which one it is.
        if self.login_heading.or_(self.error_page).filter(visible=True).first.is_visible():
            if self.login_heading.first.is_visible():
                raise SessionExpired(self.title)
            return
        # The tab shows while the stylesheet may still be on its way (after a login's
        # redirect, say), and without it the skeleton has no size and passes for gone: the
        # section would be read as empty. So the document loads first (at once when it has).
        self.page.wait_for_load_state()
        self.skeleton.wait_for(state="hidden")

    def load_failure(self) -> str | None:
        """Why the section shows no data (the error's text), or None when it loaded."""
        # One look for either (a loaded section shows neither), then which one it is.
        if not self.error_page.or_(self.load_error).filter(visible=True).first.is_visible():
            return None
        for failure in (self.error_page, self.load_error):
            if failure.first.is_visible():
                return failure.first.inner_text().strip().splitlines()[0]
        return None

    def has_load_error(self) -> bool:
        return self.load_failure() is not None

    def submit(self, button: Locator) -> bool:
        """Clicks a button that sends a change to the site; True when the site answered that
        request with success. False covers an error status and no answer at all."""
        with self.page.expect_request(lambda request: request.method != "GET") as sent:
            button.click()
        response = sent.value.response()
        return response is not None and response.ok

    def wait_for_toast(self, text: str) -> None:
        self.page.get_by_role("status").get_by_text(text).first.wait_for()

    def reveal(self, item: Locator, action: Locator) -> Locator:
        """Opens the item's «⋯» menu when the action hides behind it (the redesign)."""
        if not action.first.is_visible():
            more = SETTINGS.locate("more_button", item)
            if more.count():
                more.first.click()
        return action.first


def tiles(page: Page) -> Locator:
    """A section's cards or tiles: articles (okko.tv, our first design) or list items (the redesign)."""
    main = page.get_by_role("main")
    return main.get_by_role("article").or_(main.get_by_role("listitem"))


SectionFactory = Callable[[Page], SettingsSection]
